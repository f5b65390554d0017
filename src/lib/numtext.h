/*
 * numtext.h - an integer as decimal text without printf, for the paths that
 * run once per record of a large import (audit entries, content hashes,
 * JSON).  The text is written into the caller's buffer.
 */
#ifndef KOUPREY_LIB_NUMTEXT_H
#define KOUPREY_LIB_NUMTEXT_H

#include <stdint.h>

enum { NUM_TEXT_SIZE = 24 }; /* "-9223372036854775808" and its NUL fit */

/* v in decimal, NUL-terminated, at the end of buf; returns where it starts. */
const char *num_text(char buf[NUM_TEXT_SIZE], int64_t v);

#endif
