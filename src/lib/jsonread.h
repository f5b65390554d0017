/*
 * jsonread.h - reading the fields of a JSON request body into C values.
 *
 * Each reader takes the field's JSON value v and the field's name for the
 * error.  JSON null reads as "not given".  On the wrong type (and for a NULL
 * v: a key the caller required but did not find, as "amount" in a "value"
 * object) it adds a field error naming the field (or "field[i]" for an
 * element of a list) to err and returns -1; *out is then unchanged.  Strings are copied into the arena a; the caller owns nothing
 * else.
 */
#ifndef KOUPREY_JSONREAD_H
#define KOUPREY_JSONREAD_H

#include <jansson.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

/* A string, or NULL for null. */
int json_read_text(json_t *v, const char *field, const char **out, struct arena *a,
		   struct error *err);
/* A positive integer id, or 0 for null. */
int json_read_id(json_t *v, const char *field, int64_t *out, struct error *err);
/* A number: *has is 1 with *out set, or 0 for null. */
int json_read_number(json_t *v, const char *field, int *has, double *out, struct error *err);
/* Country codes given as a list of strings or as one ';'-separated
 * string, read as the ';'-separated string (NULL for null).  The codes are
 * not checked here: validation does that, naming the code. */
int json_read_countries(json_t *v, const char *field, const char **out, struct arena *a,
			struct error *err);

#endif
