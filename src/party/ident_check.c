/*
 * Identifiers with check digits: containers (ISO 6346), vessels (IMO
 * number), airway bills (IATA, mod 7) and bank accounts (IBAN, ISO 13616
 * mod 97).
 */
#include <stdio.h>
#include <string.h>

#include "party/ident_internal.h"
#include "ref/refdata.h"

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* Refuses what ident_compact refused, naming the kind. */
static int refused(struct error *err, const char *what, const char *value, uint32_t bad,
		   const char *allowed)
{
	char q[64], b[32];
	if (bad == 0 && strlen(value) >= IDENT_MAX_VALUE)
		return error_field(err, "value", "%s %s: too long", what, ident_quote(q, value));
	return error_field(err, "value", "%s %s: %s is not allowed; %s", what, ident_quote(q, value),
			   ident_char_name(b, bad), allowed);
}

/* ---- container (ISO 6346) ---- */

int ident_iso6346_check(const char *ten)
{
	/* A=10 .. Z=38, skipping the multiples of 11 (11, 22, 33) */
	unsigned long sum = 0;
	for (int i = 0; i < 10; i++) {
		char c = ten[i];
		unsigned v;
		if (i < 4) {
			if (!is_upper(c))
				return -1;
			v = (unsigned)(c - 'A') + 10;
			v += v >= 11 ? 1 : 0;
			v += v >= 22 ? 1 : 0;
			v += v >= 33 ? 1 : 0;
		} else {
			if (c < '0' || c > '9')
				return -1;
			v = (unsigned)(c - '0');
		}
		sum += (unsigned long)v << i;
	}
	return (int)(sum % 11 % 10);
}

int ident_container(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		    struct error *err)
{
	char c[IDENT_MAX_VALUE];
	uint32_t bad;
	long n = ident_compact(in->value, "-./", 0, c, sizeof c, &bad);
	if (n < 0)
		return refused(err, "container number", in->value, bad,
			       "ISO 6346 has 4 letters and 7 digits (e.g. CSQU3054383)");
	if (n != 11 || !is_upper(c[0]) || !is_upper(c[1]) || !is_upper(c[2]) ||
	    !is_upper(c[3]) || !is_digits(c + 4, 7))
		return error_field(err, "value",
				   "container number %s: ISO 6346 has 4 letters (owner code and "
				   "category), 6 digits and a check digit, e.g. CSQU3054383",
				   c);
	if (c[3] != 'U' && c[3] != 'J' && c[3] != 'Z')
		return error_field(err, "value",
				   "container number %s: the 4th letter is the equipment category, "
				   "U (container), J (detachable equipment) or Z (trailer or "
				   "chassis), not %c (ISO 6346)",
				   c, c[3]);
	int check = ident_iso6346_check(c);
	if (check != c[10] - '0')
		return error_field(err, "value",
				   "container number %s: check digit is %d, not %c (ISO 6346)", c,
				   check, c[10]);
	if (ident_put(key, err, "%s", c) != 0 ||
	    ident_put(display, err, "%.4s %.6s %c", c, c + 4, c[10]) != 0)
		return -1;
	return 0;
}

/* ---- vessel (IMO number) ---- */

int ident_imo_check(const char *six)
{
	if (!is_digits(six, 6))
		return -1;
	int sum = 0;
	for (int i = 0; i < 6; i++)
		sum += (six[i] - '0') * (7 - i);
	return sum % 10;
}

int ident_vessel(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		 struct error *err)
{
	char c[IDENT_MAX_VALUE];
	uint32_t bad;
	long n = ident_compact(in->value, "-.:", 0, c, sizeof c, &bad);
	if (n < 0)
		return refused(err, "IMO number", in->value, bad,
			       "an IMO number is \"IMO\" and 7 digits (e.g. IMO 9074729)");
	const char *d = c;
	if (strncmp(d, "IMO", 3) == 0)
		d += 3;
	size_t len = strlen(d);
	if (len != 7 || !is_digits(d, 7))
		return error_field(err, "value",
				   "IMO number %s: an IMO ship number has 7 digits, the last a check "
				   "digit (e.g. IMO 9074729)",
				   c);
	int check = ident_imo_check(d);
	if (check != d[6] - '0')
		return error_field(err, "value", "IMO number %s: check digit is %d, not %c", d,
				   check, d[6]);
	if (ident_put(key, err, "IMO%s", d) != 0 || ident_put(display, err, "IMO %s", d) != 0)
		return -1;
	return 0;
}

/* ---- airway bill ---- */

int ident_airway_bill(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		      struct error *err)
{
	char c[IDENT_MAX_VALUE];
	uint32_t bad;
	long n = ident_compact(in->value, "-./", 0, c, sizeof c, &bad);
	if (n < 0)
		return refused(err, "airway bill", in->value, bad,
			       "an airway bill number is a 3-digit airline prefix and an 8-digit "
			       "serial (e.g. 157-12345675)");
	if (n != 11 || !is_digits(c, 11))
		return error_field(err, "value",
				   "airway bill %s: an airway bill number is a 3-digit airline prefix "
				   "and an 8-digit serial, 11 digits in all (e.g. 157-12345675)",
				   c);
	long serial = 0;
	for (int i = 3; i < 10; i++)
		serial = serial * 10 + (c[i] - '0');
	int check = (int)(serial % 7);
	if (check != c[10] - '0')
		return error_field(err, "value",
				   "airway bill %.3s-%s: the serial's check digit (mod 7) is %d, "
				   "not %c",
				   c, c + 3, check, c[10]);
	if (ident_put(key, err, "%.3s-%s", c, c + 3) != 0 ||
	    ident_put(display, err, "%.3s-%.4s %s", c, c + 3, c + 7) != 0)
		return -1;
	return 0;
}

/* ---- bank account ---- */

int ident_iban_mod97(const char *s)
{
	size_t n = strlen(s);
	if (n < 4)
		return -1;
	unsigned rem = 0;
	for (size_t k = 0; k < n; k++) {
		char c = s[(k + 4) % n];  /* the first four characters moved to the end */
		if (c >= '0' && c <= '9') {
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		} else if (is_upper(c)) {
			unsigned v = (unsigned)(c - 'A') + 10;
			rem = (rem * 100 + v) % 97;
		} else {
			return -1;
		}
	}
	return (int)rem;
}

static int looks_like_iban(const struct refdata *rd, const char *c, size_t n)
{
	if (n < 15 || n > 34 || !is_upper(c[0]) || !is_upper(c[1]) || !is_digits(c + 2, 2))
		return 0;
	if (!rd)
		return 1;
	char cc[3] = { c[0], c[1], '\0' };
	const struct country *k = refdata_country(rd, cc);
	return k && strcmp(k->iso2, cc) == 0;
}

int ident_bank_account(const struct ident_input *in, const struct refdata *rd,
		       struct dynbuf *key, struct dynbuf *display, struct error *err)
{
	char c[IDENT_MAX_VALUE];
	uint32_t bad;
	long n = ident_compact(in->value, "-./", 0, c, sizeof c, &bad);
	if (n < 0)
		return refused(err, "bank account", in->value, bad,
			       "an account number has letters and digits (spaces, - . / are "
			       "ignored)");
	if (looks_like_iban(rd, c, (size_t)n)) {
		int rem = ident_iban_mod97(c);
		if (rem != 1)
			return error_field(err, "value",
					   "IBAN %s: the check digits %.2s do not verify (the number "
					   "mod 97 is %d, must be 1; ISO 13616)",
					   c, c + 2, rem);
		if (ident_put(key, err, "%.2s:%s", c, c) != 0)
			return -1;
		for (long i = 0; i < n; i += 4)
			if (ident_put(display, err, "%s%.4s", i ? " " : "", c + i) != 0)
				return -1;
		return 0;
	}
	char iso2[3];
	if (ident_country(rd, in->country, "a bank account that is not an IBAN", iso2, err) != 0)
		return -1;
	if (n < 4 || n > 34)
		return error_field(err, "value",
				   "bank account %s: %ld characters; an account number has 4 to 34 "
				   "letters and digits",
				   c, n);
	if (ident_put(key, err, "%s:%s", iso2, c) != 0 ||
	    ident_put(display, err, "%s (%s)", c, iso2) != 0)
		return -1;
	return 0;
}
