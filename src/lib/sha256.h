/*
 * sha256.h - SHA-256 (FIPS 180-4) of files and uploads, as lower-case hex.
 *
 * Through OpenSSL's libcrypto, which uses the CPU's SHA instructions where
 * it has them: several times the speed of libsodium's portable code, which
 * matters for the digest of a large import file.  The state is the caller's
 * (sha256_init() to sha256_final()); nothing is shared between calls.
 * Allocation failure aborts, as with xmalloc.
 */
#ifndef KOUPREY_LIB_SHA256_H
#define KOUPREY_LIB_SHA256_H

#include <stddef.h>

enum { SHA256_HEX_SIZE = 65 }; /* 64 hex digits and the NUL */

struct sha256 {
	void *ctx; /* OpenSSL's EVP_MD_CTX; owned until sha256_final() */
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *p, size_t n);
/* The digest of all the updates into hex; frees the state. */
void sha256_final(struct sha256 *h, char hex[SHA256_HEX_SIZE]);

/* The digest of p[0..n) in one call. */
void sha256_hex(const void *p, size_t n, char hex[SHA256_HEX_SIZE]);

#endif
