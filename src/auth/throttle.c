#include "auth/throttle.h"

#include <stdio.h>
#include <string.h>

#include "lib/strmap.h"

void throttle_init(struct throttle *t)
{
	memset(t, 0, sizeof *t);
	pthread_mutex_init(&t->lock, NULL);
}

void throttle_destroy(struct throttle *t)
{
	pthread_mutex_destroy(&t->lock);
}

static struct throttle_slot *slot_for(struct throttle *t, const char *addr)
{
	return &t->slots[strmap_hash(addr, strlen(addr)) % THROTTLE_SLOTS];
}

int64_t throttle_wait(struct throttle *t, const char *addr, int64_t now)
{
	pthread_mutex_lock(&t->lock);
	struct throttle_slot *s = slot_for(t, addr);
	int64_t wait = 0;
	if (strcmp(s->addr, addr) == 0 && s->failures >= THROTTLE_MAX &&
	    now - s->window_start < THROTTLE_WINDOW)
		wait = THROTTLE_WINDOW - (now - s->window_start);
	pthread_mutex_unlock(&t->lock);
	return wait;
}

void throttle_failure(struct throttle *t, const char *addr, int64_t now)
{
	pthread_mutex_lock(&t->lock);
	struct throttle_slot *s = slot_for(t, addr);
	if (strcmp(s->addr, addr) != 0 || now - s->window_start >= THROTTLE_WINDOW) {
		snprintf(s->addr, sizeof s->addr, "%s", addr);
		s->window_start = now;
		s->failures = 0;
	}
	s->failures++;
	pthread_mutex_unlock(&t->lock);
}

void throttle_success(struct throttle *t, const char *addr)
{
	pthread_mutex_lock(&t->lock);
	struct throttle_slot *s = slot_for(t, addr);
	if (strcmp(s->addr, addr) == 0)
		s->failures = 0;
	pthread_mutex_unlock(&t->lock);
}
