/*
 * app.h - the server context: everything the running server shares between
 * requests.  It is the only mutable state outside a request, and each part
 * guards itself (the store pool, the throttle); the reference data is
 * read-only once loaded.
 */
#ifndef KOUPREY_APP_H
#define KOUPREY_APP_H

#include "auth/throttle.h"
#include "http/server.h"

struct refdata;
struct store_pool;
struct viewlog;

struct app {
	struct refdata *ref;
	struct store_pool *pool;
	struct throttle throttle;
	struct viewlog *views;    /* views of records, audited in batches */
	const char *web_dir;
	int secure_cookies;       /* add Secure to cookies (behind TLS) */
};

/* The HTTP handler for the whole API and the web interface. */
void app_handle(void *app, struct http_request *req, struct http_response *res);

#endif
