/* JSON responses and errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "lib/xalloc.h"

void api_json(struct api_ctx *c, int status, json_t *j)
{
	char *body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!body)
		body = xstrdup("{}");
	http_set_body(c->res, status, "application/json; charset=utf-8", body, strlen(body));
}

void api_download(struct api_ctx *c, const char *content_type, const char *filename, char *body,
		  size_t len)
{
	http_set_body(c->res, 200, content_type, body, len);
	http_set_header(c->res, "Content-Disposition",
			arena_sprintf(c->req->arena, "attachment; filename=\"%s\"", filename));
}

void api_error(struct http_response *res, const struct error *err)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < err->nfields; i++)
		json_array_append_new(fields, json_pack("{s:s, s:s}", "field", err->fields[i].field,
							"message", err->fields[i].message));
	enum err_code code = err->code == ERR_NONE ? ERR_INTERNAL : err->code;
	const char *message = err->message ? err->message : error_code_name(code);
	if (code == ERR_DB || code == ERR_INTERNAL || code == ERR_IO) {
		fprintf(stderr, "kouprey: %s\n", message);
		message = "the server could not complete the request; the error is in its log";
	}
	json_t *j = json_pack("{s:{s:s, s:s, s:o}}", "error", "code", error_code_name(code),
			      "message", message, "fields", fields);
	char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!body)
		body = xstrdup("{\"error\":{\"code\":\"internal_error\",\"message\":\"error\",\"fields\":[]}}");
	http_set_body(res, error_http_status(code), "application/json; charset=utf-8", body,
		      strlen(body));
}

json_t *api_body_json(struct api_ctx *c)
{
	json_error_t je;
	if (c->req->body_len == 0) {
		error_set(&c->err, ERR_BAD_REQUEST, "the request needs a JSON body");
		return NULL;
	}
	json_t *j = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		error_set(&c->err, ERR_BAD_REQUEST, "the body is not valid JSON (line %d, column %d: %s)",
			  je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		error_set(&c->err, ERR_BAD_REQUEST, "the body must be a JSON object");
		return NULL;
	}
	return j;
}

int api_require_role(struct api_ctx *c, enum role min)
{
	if (c->who.role < min)
		return error_set(&c->err, ERR_FORBIDDEN, "your role (%s) may not do this; it needs %s",
				 role_name(c->who.role), role_name(min));
	return 0;
}

int api_health(struct api_ctx *c)
{
	api_json(c, 200, json_pack("{s:s}", "status", "ok"));
	return 0;
}

static int allowed_has(const char *const *allowed, const char *key)
{
	for (size_t j = 0; allowed[j]; j++)
		if (strcmp(key, allowed[j]) == 0)
			return 1;
	return 0;
}

int api_only_params(struct api_ctx *c, const char *const *allowed)
{
	const struct query *q = &c->req->query;
	size_t before = c->err.nfields;
	for (size_t i = 0; i < q->n; i++)
		if (!allowed_has(allowed, q->keys[i]))
			error_field(&c->err, q->keys[i], "is not a parameter here");
	return c->err.nfields > before ? -1 : 0;
}

int api_only_keys(struct api_ctx *c, json_t *body, const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t before = c->err.nfields;
	json_object_foreach(body, key, v)
	{
		if (!allowed_has(allowed, key))
			error_field(&c->err, key, "is not a field here");
	}
	return c->err.nfields > before ? -1 : 0;
}
