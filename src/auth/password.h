/*
 * password.h - password hashing (argon2id through libsodium) and policy.
 */
#ifndef KOUPREY_PASSWORD_H
#define KOUPREY_PASSWORD_H

#include <stddef.h>

#include "lib/error.h"

enum { PASSWORD_MIN_LENGTH = 10, PASSWORD_MAX_LENGTH = 256 };

/* 0 when the password is acceptable, else -1 with a field error on field. */
int password_check_policy(const char *password, const char *field, struct error *err);
/* A new argon2id hash string (malloc'd, caller frees); aborts if libsodium fails. */
char *password_hash(const char *password);
/* 1 if password matches the hash string, else 0. */
int password_verify(const char *hash, const char *password);
/* A random password of 16 readable characters (malloc'd). */
char *password_generate(void);
/* Hex BLAKE2b-256 of a secret token (for storing sessions and API tokens). */
void token_hash(const char *token, char out[65]);
/* A random token of 32 bytes as 64 hex characters, prefixed (e.g. "kp_"). */
void token_generate(const char *prefix, char *out, size_t size);

#endif
