/*
 * SHA-256 through OpenSSL's EVP interface (see sha256.h).
 */
#include "lib/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

static void sha256_fail(const char *what)
{
	fprintf(stderr, "kouprey: SHA-256: %s failed\n", what);
	abort();
}

void sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		sha256_fail("allocating the state");
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		sha256_fail("initialising the state");
	h->ctx = ctx;
}

void sha256_update(struct sha256 *h, const void *p, size_t n)
{
	if (n && EVP_DigestUpdate(h->ctx, p, n) != 1)
		sha256_fail("hashing");
}

void sha256_final(struct sha256 *h, char hex[SHA256_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (EVP_DigestFinal_ex(h->ctx, d, &len) != 1 || len != 32)
		sha256_fail("finishing");
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
	for (unsigned int i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

void sha256_hex(const void *p, size_t n, char hex[SHA256_HEX_SIZE])
{
	struct sha256 h;
	sha256_init(&h);
	sha256_update(&h, p, n);
	sha256_final(&h, hex);
}
