#include "lib/arena.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

enum { ARENA_DEFAULT_CHUNK = 8192 };

void arena_init(struct arena *a)
{
	a->chunks = NULL;
	a->chunk_size = ARENA_DEFAULT_CHUNK;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->chunks;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->chunks = NULL;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *keep = a->chunks;
	if (keep && keep->size > ARENA_KEEP_MAX)
		keep = NULL;
	struct arena_chunk *c = keep ? keep->next : a->chunks;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->chunks = keep;
	a->chunk_size = ARENA_DEFAULT_CHUNK;
}

void *arena_alloc(struct arena *a, size_t size)
{
	size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	struct arena_chunk *c = a->chunks;
	if (!c || c->size - c->used < size) {
		size_t want = size > a->chunk_size ? size : a->chunk_size;
		c = xmalloc(sizeof *c + want);
		c->size = want;
		c->used = 0;
		c->next = a->chunks;
		a->chunks = c;
		if (a->chunk_size < 1 << 20)
			a->chunk_size *= 2;
	}
	void *p = c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	if (arr && n < *cap)
		return arr;
	size_t ncap = *cap >= 4 ? *cap * 2 : 4;
	void *bigger = arena_alloc(a, ncap * size);
	if (arr && n)
		memcpy(bigger, arr, n * size);
	*cap = ncap;
	return bigger;
}

char *arena_sprintf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
