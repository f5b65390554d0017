/*
 * query.h - the query string of a URL ("a=1&b=x%20y"), decoded.
 *
 * query_parse() splits on '&', decodes %XX and '+' in keys and values, and
 * keeps the pairs in order; strings live in the arena.  Malformed escapes
 * and invalid UTF-8 make it fail with ERR_BAD_REQUEST naming the parameter;
 * more than QUERY_MAX_PARAMS parameters is an error too.
 */
#ifndef KOUPREY_QUERY_H
#define KOUPREY_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

enum { QUERY_MAX_PARAMS = 64 };

struct query {
	size_t n;
	const char *keys[QUERY_MAX_PARAMS];
	const char *values[QUERY_MAX_PARAMS];
};

int query_parse(struct query *q, const char *raw, size_t len, struct arena *a,
		struct error *err);
/* The first value of key, or NULL. */
const char *query_get(const struct query *q, const char *key);
/* Integer value of key within [min, max]; def when absent; -1 with a field
 * error when present but not such an integer. */
int query_get_int(const struct query *q, const char *key, int64_t min, int64_t max,
		  int64_t def, int64_t *out, struct error *err);
/* Decodes %XX and '+' of s (n bytes) into the arena; NULL on a bad escape. */
char *url_decode(struct arena *a, const char *s, size_t n, int plus_is_space);

#endif
