#include "audit/viewlog.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "lib/clock.h"
#include "lib/xalloc.h"
#include "store/store.h"

struct view {
	struct actor who;
	char entity[24];
	int64_t id;
	char at[32];
};

struct viewlog {
	pthread_mutex_t lock;       /* guards queue and stopping */
	pthread_mutex_t write_lock; /* one flush at a time */
	pthread_cond_t wake;
	pthread_t thread;
	struct store *st;
	struct view *queue;
	size_t n, cap;
	struct view *spare; /* the last batch's array, reused for the next queue */
	size_t spare_cap;
	int stopping;
};

static int flush_batch(struct viewlog *v, struct error *err)
{
	pthread_mutex_lock(&v->write_lock);
	pthread_mutex_lock(&v->lock);
	struct view *batch = v->queue;
	size_t n = v->n, batch_cap = v->cap;
	/* the queue goes on in the previous batch's array: no regrowing */
	v->queue = v->spare;
	v->cap = v->spare_cap;
	v->n = 0;
	v->spare = NULL;
	v->spare_cap = 0;
	pthread_mutex_unlock(&v->lock);
	int rc = 0;
	if (n) {
		rc = store_begin(v->st, err);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			char detail[64];
			snprintf(detail, sizeof detail, "{\"at\":\"%s\"}", batch[i].at);
			rc = audit_append(v->st, &batch[i].who, "view", batch[i].entity, batch[i].id,
					  detail, err);
		}
		if (rc == 0)
			rc = store_commit(v->st, err);
		else
			store_rollback(v->st);
	}
	pthread_mutex_lock(&v->lock);
	if (!v->spare) {
		v->spare = batch;
		v->spare_cap = batch_cap;
		batch = NULL;
	}
	pthread_mutex_unlock(&v->lock);
	free(batch);
	pthread_mutex_unlock(&v->write_lock);
	return rc;
}

static void *writer(void *arg)
{
	struct viewlog *v = arg;
	pthread_mutex_lock(&v->lock);
	while (!v->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)VIEWLOG_FLUSH_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&v->wake, &v->lock, &ts);
		if (v->n == 0)
			continue;
		pthread_mutex_unlock(&v->lock);
		struct error err = ERROR_INIT;
		if (flush_batch(v, &err) != 0)
			fprintf(stderr, "kouprey: recording views in the audit log failed: %s\n",
				err.message ? err.message : "?");
		error_clear(&err);
		pthread_mutex_lock(&v->lock);
	}
	pthread_mutex_unlock(&v->lock);
	return NULL;
}

struct viewlog *viewlog_start(const char *path, struct error *err)
{
	struct viewlog *v = xcalloc(1, sizeof *v);
	v->st = store_open(path, STORE_OPEN_EXISTING, err);
	if (!v->st) {
		free(v);
		return NULL;
	}
	pthread_mutex_init(&v->lock, NULL);
	pthread_mutex_init(&v->write_lock, NULL);
	pthread_cond_init(&v->wake, NULL);
	if (pthread_create(&v->thread, NULL, writer, v) != 0) {
		store_close(v->st);
		free(v);
		error_set(err, ERR_INTERNAL, "cannot start the audit writer thread");
		return NULL;
	}
	return v;
}

int viewlog_flush(struct viewlog *v, struct error *err)
{
	return flush_batch(v, err);
}

void viewlog_stop(struct viewlog *v)
{
	if (!v)
		return;
	pthread_mutex_lock(&v->lock);
	v->stopping = 1;
	pthread_cond_signal(&v->wake);
	pthread_mutex_unlock(&v->lock);
	pthread_join(v->thread, NULL);
	struct error err = ERROR_INIT;
	if (flush_batch(v, &err) != 0)
		fprintf(stderr, "kouprey: recording views in the audit log failed: %s\n",
			err.message ? err.message : "?");
	error_clear(&err);
	store_close(v->st);
	pthread_mutex_destroy(&v->lock);
	pthread_mutex_destroy(&v->write_lock);
	pthread_cond_destroy(&v->wake);
	free(v->queue);
	free(v->spare);
	free(v);
}

void viewlog_record(struct viewlog *v, const struct actor *who, const char *entity, int64_t id)
{
	int full;
	struct view e;
	e.who = *who;
	e.who.username = NULL;
	snprintf(e.entity, sizeof e.entity, "%s", entity);
	e.id = id;
	clock_iso(e.at, sizeof e.at);
	pthread_mutex_lock(&v->lock);
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->queue = xreallocarray(v->queue, v->cap, sizeof *v->queue);
	}
	v->queue[v->n++] = e;
	if (v->n == VIEWLOG_WAKE)
		pthread_cond_signal(&v->wake);
	full = v->n >= VIEWLOG_MAX;
	pthread_mutex_unlock(&v->lock);
	if (full) {
		struct error err = ERROR_INIT;
		flush_batch(v, &err);
		error_clear(&err);
	}
}
