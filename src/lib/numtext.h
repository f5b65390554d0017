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

enum { NUM_G17_SIZE = 32 };

/* v as printf("%.17g") writes it, NUL-terminated, into buf; returns buf.
 * By hand (exact, ties to even) from 1e-4 up to 1e16 in magnitude, where
 * coordinates and quantities are; through snprintf otherwise. */
char *num_g17(char buf[NUM_G17_SIZE], double v);

#endif
