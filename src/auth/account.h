/*
 * account.h - agencies, users, sign-in, sessions and API tokens.
 *
 * Rules: only an admin adds or changes users and agencies; a user may change
 * their own password and language.  Sign-in locks an account for
 * LOCK_SECONDS after LOCK_AFTER consecutive failures; the server also
 * throttles sign-in attempts per client address (throttle.h).  Every change
 * is audited in its transaction.
 */
#ifndef KOUPREY_ACCOUNT_H
#define KOUPREY_ACCOUNT_H

#include <stdint.h>

#include "auth/actor.h"
#include "auth/session_cache.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "store/store.h"

enum { LOCK_AFTER = 5, LOCK_SECONDS = 900, SESSION_SECONDS = 12 * 3600 };

struct refdata;

/* Validates and adds an agency (admin, or system when who is NULL). */
int agency_add(struct store *st, const struct refdata *ref, const struct actor *who,
	       struct agency_rec *a, struct error *err);

struct user_input {
	const char *username, *display_name, *password, *role, *lang;
	int64_t agency_id;
	int disabled;             /* -1: leave as is */
};

/* Adds a user (admin only; NULL who = system, for init). Sets *id. */
int user_add(struct store *st, const struct actor *who, const struct user_input *in,
	     int64_t *id, struct error *err);
/* Changes the fields of in that are set (NULL / -1 = unchanged). */
int user_change(struct store *st, const struct actor *who, int64_t id,
		const struct user_input *in, struct error *err);

/* The actor for a user record. */
void actor_from_user(struct actor *a, const struct user_rec *u);

/*
 * Checks credentials.  On success fills *u (strings in ar) and resets the
 * failure count; on failure counts it, locks the account after LOCK_AFTER,
 * and fails with ERR_UNAUTHORIZED ("wrong user name or password", the same
 * for an unknown user) or ERR_LOCKED.
 */
int auth_sign_in(struct store *st, const char *username, const char *password,
		 struct user_rec *u, struct arena *ar, struct error *err);

/* Opens a session: token (cookie value) and csrf are written to the buffers (>= 80 bytes). */
int session_open(struct store *st, int64_t user_id, char *token, char *csrf, struct error *err);
/* Resolves a session cookie to its user and CSRF token (csrf in ar). */
int session_resolve(struct store *st, const char *token, struct user_rec *u, char **csrf,
		    struct arena *ar, struct error *err);
int session_close(struct store *st, const char *token, struct error *err);

/* Creates an API token for the actor; the token (shown once) goes to buf (>= 80 bytes). */
int api_token_create(struct store *st, const struct actor *who, const char *name, char *buf,
		     int64_t *id, struct error *err);
int api_token_resolve(struct store *st, const char *token, struct user_rec *u,
		      struct arena *ar, struct error *err);

/*
 * The account generation: a number in the store that every change to users
 * or sessions increases in its own transaction (user_change(),
 * session_close()), in this process or another, so that caches of who a
 * session belongs to (session_cache.h) notice it.  0 before the first change.
 */
int auth_generation(struct store *st, int64_t *gen, struct error *err);
/* Increases it; call inside the change's transaction (store_begin()). */
int auth_generation_bump(struct store *st, struct error *err);

/* A cached session is re-read from the store at least this often (its entry
 * expires then, or at the session's own expiry if that is sooner). */
enum { AUTH_CACHE_HORIZON = 300 };

enum auth_kind { AUTH_SESSION, AUTH_API_TOKEN };

/*
 * Resolves a session cookie or an API token to who it belongs to, as strictly
 * as session_resolve() and api_token_resolve() (unknown, expired, signed out,
 * user disabled: ERR_UNAUTHORIZED with their messages).  With a cache (may be
 * NULL) it reads only the account generation from the store when the answer
 * is cached, and caches what it read otherwise.  out->csrf is "" for tokens.
 */
int auth_resolve(struct store *st, struct auth_cache *cache, enum auth_kind kind,
		 const char *secret, struct auth_entry *out, struct error *err);

#endif
