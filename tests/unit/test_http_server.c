/* The HTTP server (src/http/server.h): requests one after another on one
 * kept-alive connection get their own body, path and arena, whatever came
 * before them (the connection's buffers are reused). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/server.h"
#include "lib/xalloc.h"

/* Answers "METHOD PATH BODYLEN [BODY] IP" and allocates from the arena. */
static void echo(void *ctx, struct http_request *req, struct http_response *res)
{
	(void)ctx;
	/* zeroed, whatever the request before wrote there (checked here, on
	 * the server's thread, and told in the answer) */
	char *scratch = arena_alloc(req->arena, 3000);
	int dirty = 0;
	for (size_t i = 0; i < 3000; i++)
		dirty |= scratch[i] != 0;
	memset(scratch, 'x', 2999);
	char *body = xasprintf("%s %s %zu [%s] %s%s", req->method, req->path, req->body_len,
			       req->body, req->client_ip, dirty ? " DIRTY" : "");
	http_set_body(res, 200, "text/plain", body, strlen(body));
}

static struct http_server *start(void)
{
	struct http_config cfg = { .listen = "127.0.0.1:0", .threads = 2, .max_body = 16,
				   .max_upload = 64, .upload_prefix = "/up", .handler = echo };
	struct error err = ERROR_INIT;
	struct http_server *srv = http_start(&cfg, &err);
	assert_non_null(srv);
	return srv;
}

static int connect_to(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	return fd;
}

/* Sends one request and reads one response; returns its status, body in out. */
static int roundtrip(int fd, const char *request, char *out, size_t size)
{
	size_t n = strlen(request);
	assert_int_equal(write(fd, request, n), (ssize_t)n);
	char buf[8192];
	size_t have = 0;
	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof buf - 1 - have);
		assert_true(r > 0);
		have += (size_t)r;
		buf[have] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		const char *cl = strcasestr(buf, "Content-Length:");
		assert_non_null(cl);
		size_t len = strtoul(cl + 15, NULL, 10);
		size_t head = (size_t)(end + 4 - buf);
		if (have < head + len)
			continue;
		assert_true(len < size);
		memcpy(out, end + 4, len);
		out[len] = '\0';
		return atoi(buf + 9);
	}
}

static void test_keep_alive_requests_do_not_mix(void **state)
{
	(void)state;
	struct http_server *srv = start();
	int fd = connect_to(http_port(srv));
	char out[4096];
	assert_int_equal(roundtrip(fd, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
				   out, sizeof out),
			 200);
	assert_string_equal(out, "POST /a 5 [hello] 127.0.0.1");
	/* no body: nothing left of the one before */
	assert_int_equal(roundtrip(fd, "GET /b%20c HTTP/1.1\r\nHost: x\r\n\r\n", out, sizeof out),
			 200);
	assert_string_equal(out, "GET /b c 0 [] 127.0.0.1");
	/* a shorter body than the one before is not followed by its tail */
	assert_int_equal(roundtrip(fd, "POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi",
				   out, sizeof out),
			 200);
	assert_string_equal(out, "POST /d 2 [hi] 127.0.0.1");
	/* past the cap: 413, and the connection serves the next one */
	assert_int_equal(roundtrip(fd, "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n"
				       "01234567890123456789",
				   out, sizeof out),
			 413);
	assert_non_null(strstr(out, "too_large"));
	/* an upload path has its own, larger cap, on the same connection */
	assert_int_equal(roundtrip(fd, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n"
				       "01234567890123456789",
				   out, sizeof out),
			 200);
	assert_string_equal(out, "POST /up 20 [01234567890123456789] 127.0.0.1");
	assert_int_equal(roundtrip(fd, "PUT /f HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
				   out, sizeof out),
			 200);
	assert_string_equal(out, "PUT /f 3 [abc] 127.0.0.1");
	/* many requests on one connection */
	for (int i = 0; i < 200; i++) {
		char req[128], want[128];
		snprintf(req, sizeof req, "GET /n/%d HTTP/1.1\r\nHost: x\r\n\r\n", i);
		snprintf(want, sizeof want, "GET /n/%d 0 [] 127.0.0.1", i);
		assert_int_equal(roundtrip(fd, req, out, sizeof out), 200);
		assert_string_equal(out, want);
	}
	close(fd);
	http_stop(srv);
}

static void test_connections_side_by_side(void **state)
{
	(void)state;
	struct http_server *srv = start();
	int a = connect_to(http_port(srv)), b = connect_to(http_port(srv));
	char out[4096];
	for (int i = 0; i < 20; i++) {
		assert_int_equal(roundtrip(a, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\naaa",
					   out, sizeof out),
				 200);
		assert_string_equal(out, "POST /a 3 [aaa] 127.0.0.1");
		assert_int_equal(roundtrip(b, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n", out, sizeof out),
				 200);
		assert_string_equal(out, "GET /b 0 [] 127.0.0.1");
	}
	close(a);
	/* a closed connection's state is gone; the other goes on */
	assert_int_equal(roundtrip(b, "GET /c HTTP/1.1\r\nHost: x\r\n\r\n", out, sizeof out), 200);
	assert_string_equal(out, "GET /c 0 [] 127.0.0.1");
	close(b);
	http_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_alive_requests_do_not_mix),
		cmocka_unit_test(test_connections_side_by_side),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
