/*
 * arena.h - region allocator for one request or one operation (after h2o's
 * memory pools).
 *
 * Everything allocated from an arena lives until arena_free(), which releases
 * it all at once; nothing allocated here is freed individually.  Allocation
 * failure aborts.  An arena is not thread-safe: one owner at a time.
 */
#ifndef KOUPREY_ARENA_H
#define KOUPREY_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *chunks;
	size_t chunk_size;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/*
 * Releases everything allocated from a, like arena_free(), but keeps its
 * newest block for the next allocations when that block is small (at most
 * ARENA_KEEP_MAX bytes), so that an arena used for one request after another
 * (the HTTP server's, per connection) does not go back to malloc each time.
 * Pointers from before the reset must not be used after it.  The arena stays
 * initialised; arena_free() still releases it at the end.
 */
void arena_reset(struct arena *a);
enum { ARENA_KEEP_MAX = 64 * 1024 };
/* Zeroed, aligned for any type. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/*
 * Makes room for one more element in an array living in the arena: when
 * n == *cap, returns a copy of the n elements (of size bytes) in a block
 * twice as large (at least 4) and updates *cap; otherwise returns arr.  The
 * old block stays allocated until the arena is freed.
 */
void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t size);
char *arena_sprintf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
