/*
 * jsonwrite.h - JSON values appended to a dynbuf without building a tree,
 * byte for byte as jansson's compact form writes them (UTF-8 passed through,
 * control characters as \uXXXX).  For the hot paths: the server's records,
 * the audit entries of an import.  On b's cap, b is emptied (dynbuf.h).
 */
#ifndef KOUPREY_LIB_JSONWRITE_H
#define KOUPREY_LIB_JSONWRITE_H

#include <stddef.h>
#include <stdint.h>

struct dynbuf;

/* A JSON string of the n bytes at s (valid UTF-8), quoted and escaped. */
void jw_strn(struct dynbuf *b, const char *s, size_t n);
void jw_str(struct dynbuf *b, const char *s);
/* An integer in decimal. */
void jw_int(struct dynbuf *b, int64_t v);

#endif
