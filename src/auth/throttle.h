/*
 * throttle.h - limits sign-in attempts per client address: at most
 * THROTTLE_MAX failures in THROTTLE_WINDOW seconds, then refusals until the
 * window passes.  Thread-safe; lives in the server context.
 */
#ifndef KOUPREY_THROTTLE_H
#define KOUPREY_THROTTLE_H

#include <pthread.h>
#include <stdint.h>

enum { THROTTLE_MAX = 10, THROTTLE_WINDOW = 300, THROTTLE_SLOTS = 256 };

struct throttle_slot {
	char addr[48];
	int64_t window_start;
	int failures;
};

struct throttle {
	pthread_mutex_t lock;
	struct throttle_slot slots[THROTTLE_SLOTS];
};

void throttle_init(struct throttle *t);
void throttle_destroy(struct throttle *t);
/* Seconds to wait before the address may try again; 0 when it may now. */
int64_t throttle_wait(struct throttle *t, const char *addr, int64_t now);
void throttle_failure(struct throttle *t, const char *addr, int64_t now);
void throttle_success(struct throttle *t, const char *addr);

#endif
