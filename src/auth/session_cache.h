/*
 * session_cache.h - who a session or API token belongs to, kept in memory
 * so that a request authenticates without SQL.
 *
 * Keys are strings of at most 80 bytes made from the stored hashes of the
 * secrets (token_hash()), never the secrets themselves; auth_resolve()
 * prefixes the kind ("s:" session, "t:" API token) so the kinds never mix.
 * A longer or empty key is never cached.  An entry says what
 * the store said about the key at one "account generation": a number that
 * every change to accounts or sessions increases in the store, in the
 * change's own transaction (auth_generation_bump() in account.h), whichever
 * process made it.  A lookup passes the generation it has just read from the
 * store; when it differs from the cache's, the whole cache is dropped first,
 * so a sign-out, a disabled account, a new role, agency or password
 * (sessions deleted) is seen by the next request, even when the change came
 * from another process (`kouprey user disable`).  Session expiry is checked
 * at every lookup.
 *
 * The cache is bounded (a fixed number of slots; a new entry replaces the
 * one in its slot) and thread-safe (one mutex, held for a copy).  It has no
 * global state: the server context owns it.
 */
#ifndef KOUPREY_SESSION_CACHE_H
#define KOUPREY_SESSION_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"

enum { AUTH_CACHE_SLOTS = 4096 };

struct auth_cache;

/* What a session or token resolves to.  expires = 0: never (API tokens). */
struct auth_entry {
	int64_t user_id, agency_id;
	enum role role;
	int64_t expires;          /* unix seconds; valid while now < expires */
	char username[72];
	char csrf[96];            /* "" for API tokens */
};

/* A new, empty cache of at most slots entries (0: AUTH_CACHE_SLOTS). */
struct auth_cache *auth_cache_new(size_t slots);
void auth_cache_free(struct auth_cache *c);

/*
 * Looks hash up as of the store's generation gen at time now (unix seconds).
 * Returns 1 and copies the entry to *out when it is there, was stored at gen
 * and has not expired; else 0.  A gen different from the cache's empties the
 * cache (and makes gen the cache's).
 */
int auth_cache_get(struct auth_cache *c, const char *hash, int64_t gen, int64_t now,
		   struct auth_entry *out);
/*
 * Stores e for hash, as read from the store at generation gen (read before
 * the lookup it caches).  Ignored when gen is older than the cache's (the
 * answer may be stale); a newer gen empties the cache first.
 */
void auth_cache_put(struct auth_cache *c, const char *hash, int64_t gen,
		    const struct auth_entry *e);
/* Forgets hash (a sign-out on this server), if it is there. */
void auth_cache_remove(struct auth_cache *c, const char *hash);
/* The number of entries held (tests, statistics). */
size_t auth_cache_count(struct auth_cache *c);

#endif
