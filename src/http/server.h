/*
 * server.h - the HTTP server (libmicrohttpd, epoll, a thread pool).
 *
 * The server reads a whole request (body capped: max_upload for paths under
 * upload_prefix, max_body for the rest; past the cap it answers 413 without
 * calling the handler), then calls the handler once with a request whose
 * strings live in a per-request arena, freed as soon as the response is
 * queued.  The handler fills the response; the server adds the security
 * headers to every response.
 */
#ifndef KOUPREY_HTTP_SERVER_H
#define KOUPREY_HTTP_SERVER_H

#include <stddef.h>

#include "lib/query.h"
#include "lib/arena.h"
#include "lib/error.h"

struct http_request {
	const char *method;
	const char *path;         /* decoded, without the query */
	struct query query;
	const char *body;         /* NUL-terminated; body_len bytes */
	size_t body_len;
	const char *client_ip;
	struct arena *arena;
	void *conn;               /* the server's connection (for headers) */
};

/* A request header's value, or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/* A cookie's value, or NULL (from the Cookie header). */
const char *http_cookie(const struct http_request *req, const char *name);

enum { HTTP_MAX_HEADERS = 8 };

struct http_response {
	int status;
	const char *content_type;
	char *body;               /* malloc'd; the server frees it */
	size_t body_len;
	const char *header_names[HTTP_MAX_HEADERS];
	const char *header_values[HTTP_MAX_HEADERS];  /* live until the response is queued */
	size_t nheaders;
};

/* Sets an extra header (the name and value must outlive the handler call:
 * literals or the request arena). */
void http_set_header(struct http_response *res, const char *name, const char *value);
/* Takes body (malloc'd). */
void http_set_body(struct http_response *res, int status, const char *content_type, char *body,
		   size_t len);

typedef void (*http_handler_fn)(void *ctx, struct http_request *req, struct http_response *res);

struct http_config {
	const char *listen;       /* "127.0.0.1:8080", "[::1]:8080", ":8080"; port 0 picks one */
	unsigned threads;
	size_t max_body;
	size_t max_upload;
	const char *upload_prefix;
	http_handler_fn handler;
	void *ctx;
};

struct http_server;

struct http_server *http_start(const struct http_config *cfg, struct error *err);
/* The port actually bound. */
unsigned http_port(const struct http_server *srv);
void http_stop(struct http_server *srv);

#endif
