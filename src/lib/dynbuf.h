/*
 * dynbuf.h - growable byte buffer with a hard cap (after curl's dynbuf).
 *
 * A dynbuf always holds a NUL-terminated string (buf may be NULL while empty;
 * use dynbuf_str() to read it).  Appends that would take the length past the
 * cap free the buffer and return -1: a caller that hits the cap gets an empty
 * buffer and must report the input as too large.  Allocation failure aborts.
 *
 * The buffer owns its memory; dynbuf_free() releases it, dynbuf_take() hands
 * it to the caller (who then frees it with free()).
 */
#ifndef KOUPREY_DYNBUF_H
#define KOUPREY_DYNBUF_H

#include <stdarg.h>
#include <stddef.h>

struct dynbuf {
	char *buf;
	size_t len;
	size_t cap;  /* bytes allocated */
	size_t max;  /* largest len allowed */
};

#define DYNBUF_INIT(max_) { NULL, 0, 0, (max_) }

void dynbuf_init(struct dynbuf *b, size_t max);
void dynbuf_free(struct dynbuf *b);
/* Empties the buffer but keeps its allocation. */
void dynbuf_reset(struct dynbuf *b);
/* Makes room for len more bytes without changing the contents (one
 * allocation instead of several doublings when the size is known). */
int dynbuf_reserve(struct dynbuf *b, size_t len);
int dynbuf_add(struct dynbuf *b, const void *data, size_t len);
/* Appends len bytes for the caller to fill: returns where they start (valid
 * until the next change; the contents stay NUL-terminated after them), or
 * NULL when the cap is hit (the buffer is then freed, as dynbuf_add does). */
char *dynbuf_extend(struct dynbuf *b, size_t len);
int dynbuf_adds(struct dynbuf *b, const char *s);
int dynbuf_addc(struct dynbuf *b, char c);
int dynbuf_addf(struct dynbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int dynbuf_vaddf(struct dynbuf *b, const char *fmt, va_list ap);
/* The contents as a string; "" when empty. Valid until the next change. */
const char *dynbuf_str(const struct dynbuf *b);
/* Hands the contents (a malloc'd string, never NULL) to the caller and empties b. */
char *dynbuf_take(struct dynbuf *b);

#endif
