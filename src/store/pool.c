#include "store/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "lib/clock.h"
#include "lib/xalloc.h"
#include "store/internal.h"

struct store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct store **all;
	struct store **idle;
	unsigned size, nidle;
	_Atomic uint64_t commits; /* through any of the connections */
};

struct store_pool *store_pool_open(const char *path, unsigned size, struct error *err)
{
	struct store_pool *p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->all = xcalloc(size, sizeof(struct store *));
	p->idle = xcalloc(size, sizeof(struct store *));
	for (unsigned i = 0; i < size; i++) {
		p->all[i] = store_open(path, STORE_OPEN_EXISTING, err);
		if (!p->all[i]) {
			p->size = i;
			store_pool_close(p);
			return NULL;
		}
		store_count_commits(p->all[i], &p->commits);
		p->idle[p->nidle++] = p->all[i];
	}
	p->size = size;
	return p;
}

void store_pool_close(struct store_pool *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->size; i++)
		store_close(p->all[i]);
	free(p->all);
	free(p->idle);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	free(p);
}

/* Whether st's open read may go on serving: kept by its last user, begun
 * after the pool's latest commit and under STORE_KEEP_READ_MS old. */
static int read_still_fresh(struct store_pool *p, const struct store *st, int64_t now)
{
	return st->read_kept && st->read_commits == atomic_load(&p->commits) &&
	       now - st->read_at_ms < STORE_KEEP_READ_MS;
}

struct store *store_pool_acquire(struct store_pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->nidle == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	struct store *st = p->idle[--p->nidle];
	pthread_mutex_unlock(&p->lock);
	/* store.h: store_read_keep */
	if (st->in_read && !read_still_fresh(p, st, clock_ms()))
		store_read_end(st);
	st->read_kept = 0;
	return st;
}

void store_pool_release(struct store_pool *p, struct store *st)
{
	if (!(st->in_read && st->read_kept && !st->in_tx))
		store_rollback(st);
	pthread_mutex_lock(&p->lock);
	p->idle[p->nidle++] = st;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

void store_pool_end_stale_reads(struct store_pool *p)
{
	pthread_mutex_lock(&p->lock);
	int64_t now = clock_ms();
	for (unsigned i = 0; i < p->nidle; i++) {
		struct store *st = p->idle[i];
		if (st->in_read && !read_still_fresh(p, st, now))
			store_read_end(st);
	}
	pthread_mutex_unlock(&p->lock);
}
