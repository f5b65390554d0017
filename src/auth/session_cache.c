#include "auth/session_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

enum { KEY_MAX = 80 };

struct slot {
	char key[KEY_MAX + 1];    /* "" when the slot is free */
	struct auth_entry e;
};

struct auth_cache {
	pthread_mutex_t lock;
	int64_t gen;
	size_t nslots, count;
	struct slot *slots;
};

struct auth_cache *auth_cache_new(size_t slots)
{
	struct auth_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->nslots = slots ? slots : AUTH_CACHE_SLOTS;
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	c->gen = -1;
	return c;
}

void auth_cache_free(struct auth_cache *c)
{
	if (!c)
		return;
	/* no secret outlives the cache in freed memory */
	memset(c->slots, 0, c->nslots * sizeof *c->slots);
	free(c->slots);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* The slot of a key (FNV-1a over all of it). */
static size_t slot_of(const struct auth_cache *c, const char *hash)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = hash; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)(h % c->nslots);
}

static int usable_key(const char *hash)
{
	size_t n = hash ? strlen(hash) : 0;
	return n > 0 && n <= KEY_MAX;
}

/* Empties the cache and adopts gen; lock held. */
static void reset(struct auth_cache *c, int64_t gen)
{
	if (c->count)
		memset(c->slots, 0, c->nslots * sizeof *c->slots);
	c->count = 0;
	c->gen = gen;
}

int auth_cache_get(struct auth_cache *c, const char *hash, int64_t gen, int64_t now,
		   struct auth_entry *out)
{
	if (!usable_key(hash))
		return 0;
	int found = 0;
	pthread_mutex_lock(&c->lock);
	if (gen != c->gen) {
		reset(c, gen);
	} else {
		struct slot *s = &c->slots[slot_of(c, hash)];
		if (strcmp(s->key, hash) == 0) {
			if (s->e.expires == 0 || now < s->e.expires) {
				*out = s->e;
				found = 1;
			} else { /* expired: gone for good */
				memset(s, 0, sizeof *s);
				c->count--;
			}
		}
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

void auth_cache_put(struct auth_cache *c, const char *hash, int64_t gen,
		    const struct auth_entry *e)
{
	if (!usable_key(hash))
		return;
	pthread_mutex_lock(&c->lock);
	if (gen > c->gen)
		reset(c, gen);
	if (gen == c->gen) {
		struct slot *s = &c->slots[slot_of(c, hash)];
		if (!s->key[0])
			c->count++;
		memcpy(s->key, hash, strlen(hash) + 1);
		s->e = *e;
	}
	pthread_mutex_unlock(&c->lock);
}

void auth_cache_remove(struct auth_cache *c, const char *hash)
{
	if (!usable_key(hash))
		return;
	pthread_mutex_lock(&c->lock);
	struct slot *s = &c->slots[slot_of(c, hash)];
	if (strcmp(s->key, hash) == 0) {
		memset(s, 0, sizeof *s);
		c->count--;
	}
	pthread_mutex_unlock(&c->lock);
}

size_t auth_cache_count(struct auth_cache *c)
{
	pthread_mutex_lock(&c->lock);
	size_t n = c->count;
	pthread_mutex_unlock(&c->lock);
	return n;
}
