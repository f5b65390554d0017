/* The web interface's files, served from the web folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/api.h"
#include "lib/xalloc.h"

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" }, { ".svg", "image/svg+xml" },
		{ ".png", "image/png" }, { ".ico", "image/x-icon" }, { ".woff2", "font/woff2" },
		{ ".webmanifest", "application/manifest+json" }, { ".csv", "text/csv; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static void not_found(struct http_response *res)
{
	const char *b = "not found\n";
	http_set_body(res, 404, "text/plain; charset=utf-8", xstrdup(b), strlen(b));
}

void api_static(struct app *app, struct http_request *req, struct http_response *res)
{
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		const char *b = "method not allowed\n";
		http_set_body(res, 405, "text/plain; charset=utf-8", xstrdup(b), strlen(b));
		return;
	}
	const char *path = req->path;
	if (strstr(path, "..") || strstr(path, "//") || strchr(path, '\\') || path[0] != '/') {
		not_found(res);
		return;
	}
	const char *last = strrchr(path, '/');
	if (strcmp(path, "/") == 0 || !strchr(last, '.'))
		path = "/index.html"; /* the single page application handles its own routes */
	char *file = xasprintf("%s%s", app->web_dir, path);
	FILE *f = fopen(file, "rb");
	struct stat sb;
	if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (64 << 20)) {
		if (f)
			fclose(f);
		free(file);
		not_found(res);
		return;
	}
	size_t n = (size_t)sb.st_size;
	char *body = xmalloc(n + 1);
	if (fread(body, 1, n, f) != n) {
		free(body);
		fclose(f);
		free(file);
		not_found(res);
		return;
	}
	fclose(f);
	free(file);
	http_set_body(res, 200, content_type(path), body, n);
	http_set_header(res, "Cache-Control", "no-cache");
}
