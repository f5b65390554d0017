/*
 * xalloc.h - allocation that never returns NULL.
 *
 * kouprey treats running out of memory as fatal: every function here prints a
 * message and aborts the process instead of returning NULL, so callers never
 * check.  Memory returned is owned by the caller and released with free().
 */
#ifndef KOUPREY_XALLOC_H
#define KOUPREY_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of nmemb elements of size bytes, checking for overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* Copies at most n bytes of s and terminates the copy. */
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
