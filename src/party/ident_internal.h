/*
 * ident_internal.h - pieces shared by the identifier kinds (identifier.c,
 * ident_*.c).  Not for use outside src/party/ and its unit test.
 */
#ifndef KOUPREY_PARTY_IDENT_INTERNAL_H
#define KOUPREY_PARTY_IDENT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "party/identifier.h"

/* Longest value accepted (bytes); addresses may be longer. */
enum { IDENT_MAX_VALUE = 256, IDENT_MAX_ADDRESS = 2000 };

/*
 * Decodes one UTF-8 code point of s (n bytes left, n > 0) into *cp and
 * returns its length in bytes; returns 0 for an invalid sequence.
 */
size_t ident_utf8_next(const char *s, size_t n, uint32_t *cp);
/* 0-9 for an ASCII, Khmer (U+17E0..), Thai (U+0E50..), Lao (U+0ED0..) or
 * full-width (U+FF10..) digit; -1 for anything else. */
int ident_digit_value(uint32_t cp);
/* 1 for white space (ASCII, no-break space, the Unicode spaces U+2000..U+200B,
 * ideographic space). */
int ident_is_space(uint32_t cp);

/*
 * A printable copy of s for an error message, at most about 40 bytes (cut
 * at a character boundary and marked "..."), with control characters and
 * invalid UTF-8 shown as "?" and leading and trailing spaces dropped.
 * Writes into buf (64 bytes) and returns it.
 */
const char *ident_quote(char buf[64], const char *s);

/* Appends to b, or does nothing when b is NULL.  On passing the buffer's
 * cap sets err (ERR_TOO_LARGE) and returns -1. */
int ident_put(struct dynbuf *b, struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Resolves the country named by text (alpha-2, alpha-3 or a name; only
 * two letters when rd is NULL) into iso2 (3 bytes).  Missing: a "country"
 * field error saying what needs it (what, e.g. "a passport"); unknown:
 * "country XX is not an ISO 3166 code".  Returns 0 or -1.
 */
int ident_country(const struct refdata *rd, const char *text, const char *what, char iso2[3],
		  struct error *err);

/*
 * Copies the letters and digits of value into out (cap bytes, NUL
 * terminated): ASCII letters upper-cased, digits of any script folded to
 * ASCII, the separators in drop (ASCII characters; a middle dot U+00B7
 * counts as ".") and white space skipped.  When keep_scripts is set, letters of the Khmer, Thai, Lao and
 * CJK scripts are kept as UTF-8; otherwise, and for any other character,
 * fails.  Returns the number of characters (not bytes) copied, or -1 with
 * *bad set to the first character not allowed (0 for invalid UTF-8 or a
 * result longer than cap).
 */
long ident_compact(const char *value, const char *drop, int keep_scripts, char *out,
		   size_t cap, uint32_t *bad);
/* Describes a character refused by ident_compact for a message:
 * "\"#\"", "a space", "invalid UTF-8", "U+1234 \"x\"" into buf (32 bytes). */
const char *ident_char_name(char buf[32], uint32_t cp);

/* ---- check digits (exposed for the unit test) ---- */

/* ISO 6346: the check digit (0-9) of the first 10 characters of a
 * container number (4 letters, 6 digits; upper-case); -1 if malformed. */
int ident_iso6346_check(const char *ten);
/* IMO number: the check digit of the first 6 digits; -1 if malformed. */
int ident_imo_check(const char *six);
/* ISO 13616 IBAN: the remainder mod 97 of the rearranged number (1 when
 * valid); -1 if s is not letters and digits. */
int ident_iban_mod97(const char *s);

/* ---- the kinds ---- */

int ident_phone(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		struct dynbuf *display, struct error *err);
int ident_email(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		struct error *err);
int ident_document(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		   struct dynbuf *display, struct error *err);
int ident_plate(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		struct dynbuf *display, struct error *err);
int ident_vessel(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		 struct error *err);
int ident_flight(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		 struct error *err);
int ident_container(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		    struct error *err);
int ident_bill_of_lading(const struct ident_input *in, struct dynbuf *key,
			 struct dynbuf *display, struct error *err);
int ident_airway_bill(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		      struct error *err);
int ident_bank_account(const struct ident_input *in, const struct refdata *rd,
		       struct dynbuf *key, struct dynbuf *display, struct error *err);
int ident_handle(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		 struct error *err);
int ident_address(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		  struct dynbuf *display, struct error *err);

#endif
