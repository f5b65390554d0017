#include "lib/query.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(struct arena *a, const char *s, size_t n, int plus_is_space)
{
	char *out = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			out[j++] = ' ';
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
	if (memchr(out, '\0', j))
		return NULL;
	return out;
}

int query_parse(struct query *q, const char *raw, size_t len, struct arena *a,
		struct error *err)
{
	q->n = 0;
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && raw[i] != '&')
			i++;
		size_t end = i;
		i++;
		if (end == start)
			continue;
		if (q->n == QUERY_MAX_PARAMS)
			return error_set(err, ERR_BAD_REQUEST, "too many query parameters (at most %d)",
					 QUERY_MAX_PARAMS);
		const char *eq = memchr(raw + start, '=', end - start);
		size_t klen = eq ? (size_t)(eq - (raw + start)) : end - start;
		char *k = url_decode(a, raw + start, klen, 1);
		if (!k || !text_valid_utf8(k, strlen(k)))
			return error_set(err, ERR_BAD_REQUEST, "a query parameter name is malformed");
		char *v = eq ? url_decode(a, eq + 1, end - start - klen - 1, 1) : arena_strdup(a, "");
		if (!v || !text_valid_utf8(v, strlen(v))) {
			error_field(err, k, "is not validly encoded (percent-escapes of UTF-8)");
			err->code = ERR_BAD_REQUEST;
			return -1;
		}
		q->keys[q->n] = k;
		q->values[q->n] = v;
		q->n++;
	}
	return 0;
}

const char *query_get(const struct query *q, const char *key)
{
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->keys[i], key) == 0)
			return q->values[i];
	return NULL;
}

int query_get_int(const struct query *q, const char *key, int64_t min, int64_t max,
		  int64_t def, int64_t *out, struct error *err)
{
	const char *v = query_get(q, key);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return error_field(err, key, "must be a whole number from %lld to %lld",
				   (long long)min, (long long)max);
	*out = n;
	return 0;
}
