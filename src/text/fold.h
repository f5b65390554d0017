/*
 * fold.h - text folded for matching: names typed by officers in any script
 * compare equal when they differ only in case, Latin diacritics (Vietnamese
 * "Tê tê" = "te te"), compatibility forms (full-width letters), or runs of
 * spaces and punctuation.  Khmer, Thai, Lao and Chinese characters are kept
 * as they are (their combining signs are part of the letter).
 */
#ifndef KOUPREY_FOLD_H
#define KOUPREY_FOLD_H

#include <stddef.h>

#include "lib/arena.h"

/*
 * Returns the folded form of the UTF-8 text s (n bytes): NFKD, Latin
 * combining marks U+0300-U+036F removed, case folded, recomposed (NFC),
 * punctuation and white space collapsed to single spaces, trimmed.
 * Allocated in the arena.  Invalid UTF-8 sequences are dropped.
 */
char *text_fold(struct arena *a, const char *s, size_t n);
/* The same, into a malloc'd string the caller frees. */
char *text_fold_dup(const char *s);
/* The fold of the NUL-terminated s into buf when s is ASCII and its fold
 * fits in cap bytes with its NUL: returns buf; NULL otherwise (fold with
 * text_fold_dup then).  No allocation: for lookups of short names. */
char *text_fold_ascii(char *buf, size_t cap, const char *s);
/* The same fold with every character through the Unicode tables (text_fold
 * takes a shortcut for ASCII): slower, malloc'd; the unit tests check
 * text_fold against it. */
char *text_fold_unicode_dup(const char *s, size_t n);
/* 1 if s (NUL-terminated) is valid UTF-8 without NUL or C0 controls other
 * than tab, CR and LF; else 0. */
int text_valid_utf8(const char *s, size_t n);

#endif
