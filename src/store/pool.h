/*
 * pool.h - a fixed set of store connections shared by the server's threads.
 *
 * store_pool_acquire() blocks until a connection is free; the caller gives it
 * back with store_pool_release() (any open transaction is rolled back, except
 * a read the caller kept with store_read_keep(), which the next acquirer
 * finds open while it is recent and nothing was committed through the pool
 * since: store.h).
 */
#ifndef KOUPREY_STORE_POOL_H
#define KOUPREY_STORE_POOL_H

#include "lib/error.h"

struct store;
struct store_pool;

struct store_pool *store_pool_open(const char *path, unsigned size, struct error *err);
void store_pool_close(struct store_pool *p);
struct store *store_pool_acquire(struct store_pool *p);
void store_pool_release(struct store_pool *p, struct store *st);
/* Ends the reads kept by idle connections that the next acquirer would end
 * anyway (older than STORE_KEEP_READ_MS, or begun before a commit through
 * the pool), so an idle server holds back no WAL checkpoint. */
void store_pool_end_stale_reads(struct store_pool *p);

#endif
