#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "lib/dynbuf.h"
#include "lib/xalloc.h"

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_config cfg;
	unsigned port;
};

/*
 * State of one connection, kept from request to request (keep-alive): the
 * arena and the body buffer are reset after each request instead of freed,
 * so that a request on an open connection does not go back to malloc for
 * them, and the client's address is formatted once.
 */
struct conn_state {
	struct arena arena;
	struct dynbuf body;
	char ip[INET6_ADDRSTRLEN];
	int in_use;               /* a request is using it */
};

/* Beyond this, a request's body buffer is not kept for the next request. */
enum { BODY_KEEP_MAX = 64 * 1024 };

/* State of one request while its body arrives. */
struct pending {
	struct arena *arena;      /* the connection's, or own (see owned) */
	struct dynbuf *body;
	char *uri;                /* as received, with the query */
	const char *ip;
	struct conn_state *conn;  /* NULL: owned below, freed at completion */
	struct conn_state owned;
	int started;              /* the headers were seen */
	int too_large;
};

const char *http_header(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_request *req, const char *name)
{
	const char *h = http_header(req, "Cookie");
	if (!h)
		return NULL;
	size_t n = strlen(name);
	const char *p = h;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			const char *v = p + n + 1;
			const char *e = strchr(v, ';');
			return arena_strndup(req->arena, v, e ? (size_t)(e - v) : strlen(v));
		}
		p = strchr(p, ';');
		if (!p)
			break;
	}
	return NULL;
}

void http_set_header(struct http_response *res, const char *name, const char *value)
{
	if (res->nheaders < HTTP_MAX_HEADERS) {
		res->header_names[res->nheaders] = name;
		res->header_values[res->nheaders] = value;
		res->nheaders++;
	}
}

void http_set_body(struct http_response *res, int status, const char *content_type, char *body,
		   size_t len)
{
	free(res->body);
	res->status = status;
	res->content_type = content_type;
	res->body = body;
	res->body_len = len;
}

static void format_ip(const struct sockaddr *sa, char *buf, size_t size)
{
	snprintf(buf, size, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
			  (socklen_t)size);
}

static void conn_state_init(struct conn_state *cs, struct MHD_Connection *conn)
{
	arena_init(&cs->arena);
	dynbuf_init(&cs->body, 0);
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	format_ip(ci ? ci->client_addr : NULL, cs->ip, sizeof cs->ip);
	cs->in_use = 0;
}

static void conn_state_free(struct conn_state *cs)
{
	dynbuf_free(&cs->body);
	arena_free(&cs->arena);
}

/* MHD_OPTION_NOTIFY_CONNECTION: a connection's state lives as long as it. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn_state *cs = xmalloc(sizeof *cs);
		conn_state_init(cs, conn);
		*socket_context = cs;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		conn_state_free(*socket_context);
		free(*socket_context);
		*socket_context = NULL;
	}
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct pending *p = xcalloc(1, sizeof *p);
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_state *cs = ci ? ci->socket_context : NULL;
	if (cs && !cs->in_use) {
		cs->in_use = 1;
		p->conn = cs;
	} else { /* no connection state (should not happen): a state of its own */
		cs = &p->owned;
		conn_state_init(cs, conn);
	}
	p->arena = &cs->arena;
	p->body = &cs->body;
	p->ip = cs->ip;
	p->uri = arena_strdup(p->arena, uri ? uri : "/");
	return p;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct pending *p = *con_cls;
	if (!p)
		return;
	if (p->conn) {
		arena_reset(p->arena);
		if (p->body->cap > BODY_KEEP_MAX)
			dynbuf_free(p->body);
		p->body->len = 0;
		p->body->max = 0;
		p->conn->in_use = 0;
	} else {
		conn_state_free(&p->owned);
	}
	free(p);
	*con_cls = NULL;
}

static void add_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data: blob:; "
				"style-src 'self'; script-src 'self'; connect-src 'self'; "
				"frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct http_response *res)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		res->body_len, res->body ? res->body : (void *)"", res->body ? MHD_RESPMEM_MUST_FREE
									     : MHD_RESPMEM_PERSISTENT);
	res->body = NULL;
	add_security_headers(r);
	if (res->content_type)
		MHD_add_response_header(r, "Content-Type", res->content_type);
	for (size_t i = 0; i < res->nheaders; i++)
		MHD_add_response_header(r, res->header_names[i], res->header_values[i]);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void error_response(struct http_response *res, int status, const char *code,
			   const char *message)
{
	char *body = xasprintf("{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"fields\":[]}}",
			       code, message);
	http_set_body(res, status, "application/json; charset=utf-8", body, strlen(body));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct pending *p = *con_cls;
	if (!p->started) {
		/* first call: headers are in */
		p->started = 1;
		int upload = srv->cfg.upload_prefix &&
			     strncmp(url, srv->cfg.upload_prefix, strlen(srv->cfg.upload_prefix)) == 0;
		/* a kept buffer: emptied, with this request's cap */
		p->body->len = 0;
		p->body->max = upload ? srv->cfg.max_upload : srv->cfg.max_body;
		if (p->body->cap > p->body->max + 1)
			dynbuf_free(p->body);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > p->body->max)
			p->too_large = 1;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* dynbuf_add empties the buffer when the cap is passed: the cap is kept */
		size_t max = p->body->max;
		if (!p->too_large && dynbuf_add(p->body, upload_data, *upload_data_size) != 0)
			p->too_large = 1;
		p->body->max = max;
		*upload_data_size = 0;
		return MHD_YES;
	}
	struct http_response res = { .status = 500 };
	if (p->too_large) {
		char msg[128];
		snprintf(msg, sizeof msg, "the request body is larger than the limit of %zu bytes",
			 p->body->max);
		error_response(&res, 413, "too_large", msg);
		return queue(conn, &res);
	}
	if (p->body->buf)
		p->body->buf[p->body->len] = '\0'; /* a kept buffer may hold an older body */
	struct http_request req = {
		.method = method,
		.body = p->body->len ? dynbuf_str(p->body) : "",
		.body_len = p->body->len,
		.client_ip = p->ip,
		.arena = p->arena,
		.conn = conn,
	};
	const char *qm = strchr(p->uri, '?');
	size_t plen = qm ? (size_t)(qm - p->uri) : strlen(p->uri);
	req.path = url_decode(p->arena, p->uri, plen, 0);
	struct error err = ERROR_INIT;
	if (!req.path) {
		error_response(&res, 400, "bad_request", "the URL path is malformed");
	} else if (qm && query_parse(&req.query, qm + 1, strlen(qm + 1), p->arena, &err) != 0) {
		error_response(&res, 400, "bad_request",
			       "the query string is malformed (use percent-encoded UTF-8)");
	} else {
		srv->cfg.handler(srv->cfg.ctx, &req, &res);
	}
	error_clear(&err);
	enum MHD_Result ret = queue(conn, &res);
	free(res.body);
	return ret;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
			struct error *err)
{
	memset(ss, 0, sizeof *ss);
	const char *colon = strrchr(listen, ':');
	if (!colon)
		return error_set(err, ERR_BAD_REQUEST, "--listen %s: write HOST:PORT", listen);
	char host[256];
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof host)
		return error_set(err, ERR_BAD_REQUEST, "--listen %s: host too long", listen);
	memcpy(host, listen, hl);
	host[hl] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return error_set(err, ERR_BAD_REQUEST, "--listen %s: bad port", listen);
	if (host[0] == '[') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		size_t n = strlen(host);
		if (n < 2 || host[n - 1] != ']')
			return error_set(err, ERR_BAD_REQUEST, "--listen %s: bad IPv6 host", listen);
		host[n - 1] = '\0';
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			return error_set(err, ERR_BAD_REQUEST, "--listen %s: bad IPv6 address", listen);
		*len = sizeof *a6;
		return 0;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)port);
	if (!*host || strcmp(host, "0.0.0.0") == 0)
		a4->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
		return error_set(err, ERR_BAD_REQUEST, "--listen %s: bad IPv4 address", listen);
	*len = sizeof *a4;
	return 0;
}

struct http_server *http_start(const struct http_config *cfg, struct error *err)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (parse_listen(cfg->listen, &ss, &sl, err) != 0)
		return NULL;
	struct http_server *srv = xcalloc(1, sizeof *srv);
	srv->cfg = *cfg;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 2,
		MHD_OPTION_URI_LOG_CALLBACK, uri_logger, srv, MHD_OPTION_NOTIFY_COMPLETED,
		completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)(32 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
		MHD_OPTION_END);
	if (!srv->daemon) {
		free(srv);
		error_set(err, ERR_IO, "cannot listen on %s (in use, or not an address of this "
				       "machine)",
			  cfg->listen);
		return NULL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : 0;
	return srv;
}

unsigned http_port(const struct http_server *srv)
{
	return srv->port;
}

void http_stop(struct http_server *srv)
{
	if (!srv)
		return;
	MHD_stop_daemon(srv->daemon);
	free(srv);
}
