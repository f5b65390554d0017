/*
 * A relay of batches between two threads (see relay.h).
 */
#include "lib/relay.h"

void relay_init(struct relay *r)
{
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->produced = r->consumed = 0;
	r->stop = 0;
}

void relay_destroy(struct relay *r)
{
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
}

int relay_slot_to_fill(struct relay *r)
{
	pthread_mutex_lock(&r->mu);
	while (r->produced - r->consumed >= RELAY_SLOTS && !r->stop)
		pthread_cond_wait(&r->cv, &r->mu);
	int slot = r->stop ? -1 : (int)(r->produced % RELAY_SLOTS);
	pthread_mutex_unlock(&r->mu);
	return slot;
}

void relay_filled(struct relay *r)
{
	pthread_mutex_lock(&r->mu);
	r->produced++;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

int relay_slot_to_take(struct relay *r)
{
	pthread_mutex_lock(&r->mu);
	while (r->consumed == r->produced)
		pthread_cond_wait(&r->cv, &r->mu);
	int slot = (int)(r->consumed % RELAY_SLOTS);
	pthread_mutex_unlock(&r->mu);
	return slot;
}

void relay_taken(struct relay *r)
{
	pthread_mutex_lock(&r->mu);
	r->consumed++;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

void relay_produce(struct relay *r, int (*fill)(void *ctx, int slot), void *ctx)
{
	int slot, last = 0;
	while (!last && (slot = relay_slot_to_fill(r)) >= 0) {
		last = fill(ctx, slot);
		relay_filled(r);
	}
}

void relay_stop(struct relay *r)
{
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

