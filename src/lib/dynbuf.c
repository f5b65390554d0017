#include "lib/dynbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

void dynbuf_init(struct dynbuf *b, size_t max)
{
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void dynbuf_free(struct dynbuf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
}

void dynbuf_reset(struct dynbuf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

int dynbuf_reserve(struct dynbuf *b, size_t len)
{
	if (len > b->max || b->len > b->max - len) {
		dynbuf_free(b);
		return -1;
	}
	size_t need = b->len + len + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < need)
			cap *= 2;
		if (cap > b->max + 1)
			cap = b->max + 1;
		b->buf = xrealloc(b->buf, cap);
		b->cap = cap;
	}
	return 0;
}

int dynbuf_add(struct dynbuf *b, const void *data, size_t len)
{
	if (dynbuf_reserve(b, len) != 0)
		return -1;
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
	return 0;
}

char *dynbuf_extend(struct dynbuf *b, size_t len)
{
	if (dynbuf_reserve(b, len) != 0)
		return NULL;
	char *at = b->buf + b->len;
	b->len += len;
	b->buf[b->len] = '\0';
	return at;
}

int dynbuf_adds(struct dynbuf *b, const char *s)
{
	return dynbuf_add(b, s, strlen(s));
}

int dynbuf_addc(struct dynbuf *b, char c)
{
	return dynbuf_add(b, &c, 1);
}

int dynbuf_vaddf(struct dynbuf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof small, fmt, cp);
	va_end(cp);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return dynbuf_add(b, small, (size_t)n);
	char *big = xmalloc((size_t)n + 1);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	int rc = dynbuf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

int dynbuf_addf(struct dynbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = dynbuf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *dynbuf_str(const struct dynbuf *b)
{
	return b->buf ? b->buf : "";
}

char *dynbuf_take(struct dynbuf *b)
{
	char *s = b->buf ? b->buf : xstrdup("");
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
	return s;
}
