/* The resolver's thread: duplicate detection passes in the background. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/app.h"
#include "api/resolver.h"
#include "lib/xalloc.h"
#include "party/resolve.h"
#include "store/pool.h"
#include "store/store.h"

struct resolver {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int wanted;               /* a pass was asked for */
	int stopping;
	_Atomic long long checked_gen;
};

/* One pass; 1 when parties are still waiting behind the watermark. */
static int run_pass(struct resolver *r)
{
	struct store *st = store_pool_acquire(r->app->pool);
	struct error err = ERROR_INIT;
	struct resolve_stats stats = { 0 };
	int more = 0;
	int64_t gen = -1;
	if (store_party_generation(st, &gen, &err) != 0)
		gen = -1;
	error_clear(&err);
	if (resolve_detect(st, atomic_load(&r->app->ref), r->app->parties, 0, &stats, &err) != 0)
		fprintf(stderr, "kouprey: duplicate detection failed: %s\n",
			err.message ? err.message : "?");
	else if (stats.pending > 0)
		more = 1;
	else if (gen >= 0)
		resolver_mark_checked(r, gen);
	error_clear(&err);
	store_pool_release(r->app->pool, st);
	return more;
}

static void *resolver_main(void *arg)
{
	struct resolver *r = arg;
	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		if (!r->wanted) {
			pthread_cond_wait(&r->wake, &r->lock);
			continue;
		}
		r->wanted = 0;
		pthread_mutex_unlock(&r->lock);
		int more = run_pass(r);
		pthread_mutex_lock(&r->lock);
		if (more)
			r->wanted = 1;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

struct resolver *resolver_start(struct app *app, struct error *err)
{
	struct resolver *r = xcalloc(1, sizeof *r);
	r->app = app;
	r->wanted = 1;
	atomic_store(&r->checked_gen, -1);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->thread, NULL, resolver_main, r) != 0) {
		pthread_cond_destroy(&r->wake);
		pthread_mutex_destroy(&r->lock);
		free(r);
		error_set(err, ERR_INTERNAL, "cannot start the duplicate detection thread");
		return NULL;
	}
	return r;
}

void resolver_poke(struct resolver *r)
{
	pthread_mutex_lock(&r->lock);
	r->wanted = 1;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
}

long long resolver_checked_gen(struct resolver *r)
{
	return atomic_load(&r->checked_gen);
}

void resolver_mark_checked(struct resolver *r, long long gen)
{
	long long seen = atomic_load(&r->checked_gen);
	while (seen < gen && !atomic_compare_exchange_weak(&r->checked_gen, &seen, gen))
		;
}

void resolver_stop(struct resolver *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = 1;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
