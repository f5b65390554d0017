/*
 * app.h - the server context: everything the running server shares between
 * requests.  It is the only mutable state outside a request, and each part
 * guards itself (the store pool, the throttle); the reference data is
 * read-only once loaded.
 */
#ifndef KOUPREY_APP_H
#define KOUPREY_APP_H

#include <pthread.h>
#include <stddef.h>

#include "auth/throttle.h"
#include "http/server.h"

struct refdata;
struct store_pool;
struct viewlog;
struct seizure_index;
struct analytics;
struct party_index;
struct graph_index;
struct auth_cache;
struct resolver;

struct app {
	/* The reference data in use.  Replaced whole (never changed in place)
	 * when an admin adds a national species: requests in flight keep the one
	 * they started with; replaced ones are freed at stop. */
	_Atomic(struct refdata *) ref;
	pthread_mutex_t retired_lock;
	struct refdata **retired;
	size_t nretired;
	struct store_pool *pool;
	struct throttle throttle;
	struct auth_cache *auth;  /* who sessions and tokens belong to (NULL: ask the store) */
	struct viewlog *views;    /* views of records, audited in batches */
	struct seizure_index *index; /* the list filters, in memory */
	struct analytics *analytics; /* the analytics' columns (issue 5) */
	struct party_index *parties; /* the search box's names and identifiers (issue 3) */
	struct graph_index *graph;   /* the link-analysis graph (issue 4) */
	struct resolver *resolver;   /* duplicate detection in the background (NULL: inline) */
	const char *web_dir;
	int secure_cookies;       /* add Secure to cookies (behind TLS) */
};

/* Installs new reference data; the old is kept until app_free_retired(). */
void app_replace_ref(struct app *app, struct refdata *ref);
void app_free_retired(struct app *app);

/* The HTTP handler for the whole API and the web interface. */
void app_handle(void *app, struct http_request *req, struct http_response *res);

#endif
