/*
 * relay.h - batches handed from a producing thread to a consuming thread,
 * in order, through RELAY_SLOTS slots (the importer's passes).
 *
 * The caller owns the batches: an array of RELAY_SLOTS of them, indexed by
 * the slot numbers the relay gives out.  The batch with index k lives in
 * slot k % RELAY_SLOTS; the producer fills it only when the consumer is done
 * with the one that was there, so at most RELAY_SLOTS batches are filled
 * ahead.  The relay only counts and wakes: what a batch holds, and when the
 * last one is, is the caller's.
 *
 *   producer: relay_produce(r, fill, ctx) (or relay_slot_to_fill() and
 *             relay_filled() by hand);
 *   consumer: slot = relay_slot_to_take(r); use the batch; relay_taken(r);
 *             relay_stop(r) when it wants no more (the producer ends at its
 *             next batch), then joins the producing thread.
 */
#ifndef KOUPREY_LIB_RELAY_H
#define KOUPREY_LIB_RELAY_H

#include <pthread.h>
#include <stddef.h>

enum { RELAY_SLOTS = 3 };

struct relay {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t produced, consumed; /* batches handed over, batches done with */
	int stop;                  /* the consumer wants no more */
};

void relay_init(struct relay *r);
void relay_destroy(struct relay *r);

/* Producer: the slot to fill next (waiting for one), or -1 when the
 * consumer stopped. */
int relay_slot_to_fill(struct relay *r);
/* Producer: the slot is filled. */
void relay_filled(struct relay *r);
/* Producer's loop: fill(ctx, slot) fills the batch in slot and returns 1
 * when it is the last one; ends then, or when the consumer stops. */
void relay_produce(struct relay *r, int (*fill)(void *ctx, int slot), void *ctx);

/* Consumer: the slot of the next batch, once it is filled. */
int relay_slot_to_take(struct relay *r);
/* Consumer: done with the batch taken last. */
void relay_taken(struct relay *r);
/* Consumer: no more batches wanted. */
void relay_stop(struct relay *r);

#endif
