/*
 * error.h - the one error type carried up the stack.
 *
 * A function that can fail takes a `struct error *err` last and returns 0 on
 * success or -1 on failure, having filled *err.  An error has a code (which
 * the HTTP layer maps to a status), a message for people, and, for
 * validation errors, one entry per offending field ("items[0].unit") with its
 * own message.  The error owns its strings; error_clear() frees them and
 * leaves an empty error ready for reuse.
 */
#ifndef KOUPREY_ERROR_H
#define KOUPREY_ERROR_H

#include <stddef.h>

enum err_code {
	ERR_NONE = 0,
	ERR_VALIDATION,    /* input broke a rule; see fields */
	ERR_BAD_REQUEST,   /* malformed request (bad JSON, bad query string) */
	ERR_UNAUTHORIZED,  /* not signed in, or bad credentials */
	ERR_FORBIDDEN,     /* signed in, but the role or agency does not allow it */
	ERR_NOT_FOUND,
	ERR_CONFLICT,      /* stale version, duplicate key */
	ERR_TOO_LARGE,     /* input past a size limit */
	ERR_LOCKED,        /* account locked or sign-in throttled */
	ERR_IO,            /* file system */
	ERR_DB,            /* the store failed */
	ERR_INTERNAL,
};

struct err_field {
	char *field;
	char *message;
};

struct error {
	enum err_code code;
	char *message;
	struct err_field *fields;
	size_t nfields;
	size_t cap;
};

#define ERROR_INIT { ERR_NONE, NULL, NULL, 0, 0 }

/* Sets code and message (replacing any earlier message); returns -1. */
int error_set(struct error *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Adds a field error; sets the code to ERR_VALIDATION and a default message
 * when none is set.  Returns -1 so a validator can `return error_field(...)`.
 */
int error_field(struct error *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Moves all of src's fields into dst, each name prefixed ("items[2]."). */
void error_merge_fields(struct error *dst, struct error *src, const char *prefix);
void error_clear(struct error *e);
/* Hands src's error to dst (whose own is cleared) and leaves src empty;
 * returns -1 as error_set() does.  For an error made on another thread. */
int error_move(struct error *dst, struct error *src);
int error_is_set(const struct error *e);
/* "validation_failed", "not_found", ... as the API reports it. */
const char *error_code_name(enum err_code code);
/* HTTP status for a code. */
int error_http_status(enum err_code code);
/* One line for a terminal: message, then "field: message" per field. */
char *error_format(const struct error *e);

#endif
