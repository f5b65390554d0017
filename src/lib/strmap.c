#include "lib/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

uint64_t strmap_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

void strmap_init(struct strmap *m)
{
	m->cap = 64;
	m->n = 0;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	arena_init(&m->keys);
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
	arena_free(&m->keys);
}

static struct strmap_slot *find(struct strmap_slot *slots, size_t cap, const char *key,
				uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	for (;;) {
		struct strmap_slot *s = &slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
		i = (i + 1) & (cap - 1);
	}
}

static void grow(struct strmap *m)
{
	size_t cap = m->cap * 2;
	struct strmap_slot *slots = xcalloc(cap, sizeof *slots);
	for (size_t i = 0; i < m->cap; i++) {
		struct strmap_slot *s = &m->slots[i];
		if (s->key)
			*find(slots, cap, s->key, s->hash) = *s;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

const char *strmap_put(struct strmap *m, const char *key, int64_t value)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	uint64_t h = strmap_hash(key, strlen(key));
	struct strmap_slot *s = find(m->slots, m->cap, key, h);
	if (!s->key) {
		s->key = arena_strdup(&m->keys, key);
		s->hash = h;
		m->n++;
	}
	s->value = value;
	return s->key;
}

int strmap_get(const struct strmap *m, const char *key, int64_t *value)
{
	if (!m->slots)
		return 0;
	struct strmap_slot *s = find(m->slots, m->cap, key, strmap_hash(key, strlen(key)));
	if (!s->key)
		return 0;
	*value = s->value;
	return 1;
}
