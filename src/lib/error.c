#include "lib/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/dynbuf.h"
#include "lib/xalloc.h"

static char *vformat(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return xstrdup("error");
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

int error_set(struct error *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	free(e->message);
	e->message = msg;
	e->code = code;
	return -1;
}

static void add_field(struct error *e, char *field, char *message)
{
	if (e->nfields == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 4;
		e->fields = xreallocarray(e->fields, e->cap, sizeof *e->fields);
	}
	e->fields[e->nfields].field = field;
	e->fields[e->nfields].message = message;
	e->nfields++;
	if (e->code == ERR_NONE)
		e->code = ERR_VALIDATION;
	if (!e->message)
		e->message = xstrdup("Some fields are not valid.");
}

int error_field(struct error *e, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	add_field(e, xstrdup(field), msg);
	return -1;
}

void error_merge_fields(struct error *dst, struct error *src, const char *prefix)
{
	if (dst->code == ERR_NONE && src->code != ERR_NONE && src->code != ERR_VALIDATION) {
		dst->code = src->code;
		if (!dst->message && src->message)
			dst->message = xstrdup(src->message);
	}
	for (size_t i = 0; i < src->nfields; i++) {
		add_field(dst, xasprintf("%s%s", prefix, src->fields[i].field), src->fields[i].message);
		free(src->fields[i].field);
	}
	src->nfields = 0;
	if (dst->code == ERR_NONE && src->code != ERR_NONE) {
		dst->code = src->code;
		free(dst->message);
		dst->message = src->message;
		src->message = NULL;
	}
	error_clear(src);
}

void error_clear(struct error *e)
{
	for (size_t i = 0; i < e->nfields; i++) {
		free(e->fields[i].field);
		free(e->fields[i].message);
	}
	free(e->fields);
	free(e->message);
	e->fields = NULL;
	e->nfields = 0;
	e->cap = 0;
	e->message = NULL;
	e->code = ERR_NONE;
}

int error_is_set(const struct error *e)
{
	return e->code != ERR_NONE;
}

const char *error_code_name(enum err_code code)
{
	switch (code) {
	case ERR_NONE: return "ok";
	case ERR_VALIDATION: return "validation_failed";
	case ERR_BAD_REQUEST: return "bad_request";
	case ERR_UNAUTHORIZED: return "unauthorized";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_NOT_FOUND: return "not_found";
	case ERR_CONFLICT: return "conflict";
	case ERR_TOO_LARGE: return "too_large";
	case ERR_LOCKED: return "locked";
	case ERR_IO: return "io_error";
	case ERR_DB: return "database_error";
	case ERR_INTERNAL: return "internal_error";
	}
	return "internal_error";
}

int error_http_status(enum err_code code)
{
	switch (code) {
	case ERR_NONE: return 200;
	case ERR_VALIDATION: return 422;
	case ERR_BAD_REQUEST: return 400;
	case ERR_UNAUTHORIZED: return 401;
	case ERR_FORBIDDEN: return 403;
	case ERR_NOT_FOUND: return 404;
	case ERR_CONFLICT: return 409;
	case ERR_TOO_LARGE: return 413;
	case ERR_LOCKED: return 429;
	case ERR_IO:
	case ERR_DB:
	case ERR_INTERNAL: return 500;
	}
	return 500;
}

char *error_format(const struct error *e)
{
	struct dynbuf b = DYNBUF_INIT(1 << 20);
	dynbuf_adds(&b, e->message ? e->message : error_code_name(e->code));
	for (size_t i = 0; i < e->nfields; i++)
		dynbuf_addf(&b, "\n  %s: %s", e->fields[i].field, e->fields[i].message);
	return dynbuf_take(&b);
}

int error_move(struct error *dst, struct error *src)
{
	error_clear(dst);
	*dst = *src;
	*src = (struct error)ERROR_INIT;
	return -1;
}
