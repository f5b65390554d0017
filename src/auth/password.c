#include "auth/password.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

int password_check_policy(const char *password, const char *field, struct error *err)
{
	size_t n = 0; /* characters, not bytes */
	for (const char *p = password; p && *p; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	if (n < PASSWORD_MIN_LENGTH)
		return error_field(err, field, "must be at least %d characters long",
				   PASSWORD_MIN_LENGTH);
	if (n > PASSWORD_MAX_LENGTH)
		return error_field(err, field, "must be at most %d characters long",
				   PASSWORD_MAX_LENGTH);
	return 0;
}

char *password_hash(const char *password)
{
	char out[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(out, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		fprintf(stderr, "kouprey: password hashing failed (out of memory)\n");
		abort();
	}
	return xstrdup(out);
}

int password_verify(const char *hash, const char *password)
{
	if (!hash || !password)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

char *password_generate(void)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char *p = xmalloc(17);
	for (int i = 0; i < 16; i++)
		p[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	p[16] = '\0';
	return p;
}

void token_hash(const char *token, char out[65])
{
	unsigned char digest[32];
	crypto_generichash(digest, sizeof digest, (const unsigned char *)token, strlen(token),
			   NULL, 0);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

void token_generate(const char *prefix, char *out, size_t size)
{
	unsigned char raw[32];
	char hex[65];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	snprintf(out, size, "%s%s", prefix ? prefix : "", hex);
}
