/*
 * strmap.h - hash map from strings to 64-bit values (open addressing).
 *
 * The map copies its keys into its own arena; strmap_free() releases all.
 * Not thread-safe for writers; any number of readers may share a map that is
 * no longer changed.
 */
#ifndef KOUPREY_STRMAP_H
#define KOUPREY_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

struct strmap_slot {
	const char *key;
	uint64_t hash;
	int64_t value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap;    /* power of two */
	size_t n;
	struct arena keys;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Sets key to value, replacing any earlier value. Returns the key's stored copy. */
const char *strmap_put(struct strmap *m, const char *key, int64_t value);
/* 1 and *value set when present, else 0. */
int strmap_get(const struct strmap *m, const char *key, int64_t *value);
uint64_t strmap_hash(const char *s, size_t n);

#endif
