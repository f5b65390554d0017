/*
 * Phone numbers, normalised to E.164 ("+" country code and national
 * significant number, at most 15 digits).
 *
 * The lengths of national significant numbers (NSN: the digits after the
 * country code) and the trunk prefixes below are from the national
 * numbering plans that administrations publish through the ITU (ITU-T
 * Recommendation E.164 and the "National Numbering Plans" communications
 * of the ITU-T Operational Bulletin, itu.int/oth/T0202), rounded to the
 * ranges in use.  A country not in the table gets the trunk prefix 0 and
 * any length from 4 to 15 less its country code.
 */
#include <stdio.h>
#include <string.h>

#include "party/ident_internal.h"
#include "ref/refdata.h"

struct numbering_plan {
	char iso2[3];
	char cc[4];              /* E.164 country code */
	char trunk[2];           /* national trunk prefix, "" when none */
	unsigned char min, max;  /* NSN lengths */
};

static const struct numbering_plan plans[] = {
	/* the Mekong region and ASEAN */
	{ "KH", "855", "0", 8, 9 },   /* 012 345 678, 097 123 4567, 023 456 789 */
	{ "VN", "84", "0", 9, 10 },   /* 091 234 5678; landlines 024 3826 1234 */
	{ "TH", "66", "0", 8, 9 },    /* 081 234 5678; Bangkok 02 123 4567 */
	{ "LA", "856", "0", 8, 10 },  /* 020 5512 3456; Vientiane 021 212 345 */
	{ "CN", "86", "0", 9, 11 },   /* mobiles 138 0013 8000 (no 0); 010 1234 5678 */
	{ "MY", "60", "0", 8, 10 },
	{ "SG", "65", "", 8, 8 },
	{ "ID", "62", "0", 7, 12 },
	{ "MM", "95", "0", 7, 10 },
	{ "PH", "63", "0", 8, 10 },
	{ "BN", "673", "", 7, 7 },
	{ "TL", "670", "", 7, 8 },
	/* neighbours and trade partners */
	{ "HK", "852", "", 8, 8 },
	{ "MO", "853", "", 8, 8 },
	{ "TW", "886", "0", 8, 9 },
	{ "KR", "82", "0", 8, 10 },
	{ "JP", "81", "0", 9, 10 },
	{ "IN", "91", "0", 10, 10 },
	{ "BD", "880", "0", 8, 10 },
	{ "LK", "94", "0", 9, 9 },
	{ "AE", "971", "0", 8, 9 },
	{ "AU", "61", "0", 9, 9 },
	{ "NZ", "64", "0", 8, 10 },
	{ "GB", "44", "0", 9, 10 },
	{ "FR", "33", "0", 9, 9 },
	{ "IT", "39", "", 6, 11 },    /* the leading 0 of landlines is dialled */
	{ "VA", "39", "", 6, 11 },
	{ "SM", "378", "", 6, 10 },
	{ "CI", "225", "", 10, 10 },  /* since 2021 numbers start with 0 and keep it */
	{ "US", "1", "1", 10, 10 },   /* NANP: area code and number */
	{ "CA", "1", "1", 10, 10 },
	{ "RU", "7", "8", 10, 10 },
	{ "KZ", "7", "8", 10, 10 },
};

static const struct numbering_plan *plan_for(const char *iso2)
{
	for (size_t i = 0; i < sizeof plans / sizeof *plans; i++)
		if (strcmp(plans[i].iso2, iso2) == 0)
			return &plans[i];
	return NULL;
}

/* A country's code and the plan that applies to it. */
struct dial {
	char iso2[3];
	const char *name;        /* English name, or the ISO code */
	char cc[8];
	const char *ranges;      /* dial column ("1-876"), or NULL */
	struct numbering_plan plan;
};

static void dial_fill(struct dial *d, const char *iso2, const char *name, const char *cc,
		      const char *ranges)
{
	memcpy(d->iso2, iso2, 3);
	d->name = name ? name : d->iso2;
	snprintf(d->cc, sizeof d->cc, "%s", cc);
	d->ranges = ranges;
	const struct numbering_plan *p = plan_for(iso2);
	/* a country sharing its code (the NANP, GG/IM/JE with GB, CC/CX with
	 * AU): the plan of the code's first country in the table, so that a
	 * number reads the same typed nationally or with +code */
	for (size_t i = 0; !p && i < sizeof plans / sizeof *plans; i++)
		if (strcmp(plans[i].cc, cc) == 0)
			p = &plans[i];
	if (p) {
		d->plan = *p;
	} else {
		struct numbering_plan def = { "", "", "0", 4, (unsigned char)(15 - strlen(cc)) };
		d->plan = def;
	}
}

/* The dialling code of a country (iso2); 0 when it has one, -1 if not. */
static int dial_of_country(const struct refdata *rd, const char *iso2, struct dial *d)
{
	if (rd) {
		const struct country *c = refdata_country(rd, iso2);
		if (!c || !c->dial_code || strlen(c->dial_code) >= sizeof d->cc)
			return -1;
		dial_fill(d, c->iso2, c->name_en, c->dial_code, c->dial);
		return 0;
	}
	const struct numbering_plan *p = plan_for(iso2);
	if (!p)
		return -1;
	dial_fill(d, p->iso2, NULL, p->cc, NULL);
	return 0;
}

/* The country of an international number's digits; sets *cc_len. */
static int dial_of_number(const struct refdata *rd, const char *digits, struct dial *d,
			  size_t *cc_len)
{
	if (rd) {
		const struct country *c = refdata_dial_country(rd, digits, cc_len);
		if (!c)
			return -1;
		dial_fill(d, c->iso2, c->name_en, c->dial_code, c->dial);
		return 0;
	}
	const struct numbering_plan *best = NULL;
	for (size_t i = 0; i < sizeof plans / sizeof *plans; i++) {
		size_t n = strlen(plans[i].cc);
		if (strncmp(digits, plans[i].cc, n) == 0 && (!best || n > strlen(best->cc)))
			best = &plans[i];
	}
	if (!best)
		return -1;
	if (strcmp(best->cc, "1") == 0)
		best = plan_for("US");
	else if (strcmp(best->cc, "7") == 0)
		best = plan_for(digits[1] == '6' || digits[1] == '7' ? "KZ" : "RU");
	*cc_len = strlen(best->cc);
	dial_fill(d, best->iso2, NULL, best->cc, NULL);
	return 0;
}

static int nsn_ok(const struct dial *d, size_t n)
{
	return n >= d->plan.min && n <= d->plan.max && strlen(d->cc) + n <= 15;
}

/* The first digit of a national significant number: never 0 where the
 * trunk prefix is 0, and a NANP area code starts with 2-9. */
static int first_digit_valid(const struct dial *d, const char *nsn)
{
	if (strcmp(d->plan.trunk, "0") == 0 && nsn[0] == '0')
		return 0;
	return strcmp(d->cc, "1") != 0 || (nsn[0] != '0' && nsn[0] != '1');
}

static int first_digit_ok(const struct dial *d, const char *nsn, const char *shown,
			  struct error *err)
{
	if (first_digit_valid(d, nsn))
		return 0;
	if (strcmp(d->plan.trunk, "0") == 0 && nsn[0] == '0')
		return error_field(err, "value",
				   "phone %s: a number of %s (+%s) does not start with 0 after the "
				   "trunk prefix 0",
				   shown, d->name, d->cc);
	if (strcmp(d->cc, "1") == 0 && (nsn[0] == '0' || nsn[0] == '1'))
		return error_field(err, "value",
				   "phone %s: a North American area code starts with 2 to 9, not %c",
				   shown, nsn[0]);
	return 0;
}

static int length_error(struct error *err, const char *shown, const struct dial *d, size_t n)
{
	if (d->plan.min == d->plan.max)
		return error_field(err, "value",
				   "phone %s: a number of %s (+%s) has %u digits after the country "
				   "code, not %zu",
				   shown, d->name, d->cc, d->plan.min, n);
	return error_field(err, "value",
			   "phone %s: a number of %s (+%s) has %u to %u digits after the country "
			   "code, not %zu",
			   shown, d->name, d->cc, d->plan.min, d->plan.max, n);
}

/* Writes key and display for country code cc and national number nsn. */
static int emit(const struct dial *d, const char *nsn, struct dynbuf *key,
		struct dynbuf *display, struct error *err)
{
	if (ident_put(key, err, "+%s%s", d->cc, nsn) != 0 ||
	    ident_put(display, err, "+%s", d->cc) != 0)
		return -1;
	/* groups by length: "12 345 678", "91 234 5678"-like; threes beyond */
	static const unsigned char shapes[][4] = {
		[7] = { 3, 4 }, [8] = { 2, 3, 3 }, [9] = { 3, 3, 3 }, [10] = { 3, 3, 4 },
		[11] = { 3, 4, 4 }, [12] = { 3, 3, 3, 3 },
	};
	size_t n = strlen(nsn);
	size_t groups[4] = { 3, 3, 3, 3 }, ng = 4;
	if (n < sizeof shapes / sizeof *shapes && shapes[n][0]) {
		for (ng = 0; ng < 4 && shapes[n][ng]; ng++)
			groups[ng] = shapes[n][ng];
	}
	const char *p = nsn;
	for (size_t i = 0; i < ng && *p; i++) {
		if (ident_put(display, err, " %.*s", (int)groups[i], p) != 0)
			return -1;
		p += strlen(p) < groups[i] ? strlen(p) : groups[i];
	}
	if (*p && ident_put(display, err, " %s", p) != 0)
		return -1;
	return 0;
}

/* An international number: digits after + or 00. */
static int international(const struct refdata *rd, const char *digits, const char *shown,
			 struct dynbuf *key, struct dynbuf *display, struct error *err)
{
	struct dial d;
	size_t cc_len = 0;
	if (!*digits)
		return error_field(err, "value", "phone %s: no digits after the +", shown);
	if (dial_of_number(rd, digits, &d, &cc_len) != 0)
		return error_field(err, "value",
				   "phone %s: no country has a dialling code that starts this number "
				   "(+%.3s...)",
				   shown, digits);
	if (strlen(digits) > 15)
		return error_field(err, "value",
				   "phone %s: %zu digits; an international number (E.164) has at "
				   "most 15",
				   shown, strlen(digits));
	const char *nsn = digits + cc_len;
	/* "+855 (0)12 345 678": the trunk prefix written after the country
	 * code (where the trunk prefix is 0, no national number starts with 0) */
	if (strcmp(d.plan.trunk, "0") == 0 && nsn[0] == '0')
		nsn++;
	if (!nsn_ok(&d, strlen(nsn)))
		return length_error(err, shown, &d, strlen(nsn));
	if (first_digit_ok(&d, nsn, shown, err) != 0)
		return -1;
	return emit(&d, nsn, key, display, err);
}

int ident_phone(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		struct dynbuf *display, struct error *err)
{
	char q[64], b[32];
	const char *shown = ident_quote(q, in->value);
	char digits[IDENT_MAX_VALUE];
	size_t nd = 0, n = strlen(in->value);
	int plus = 0, seen = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = ident_utf8_next(in->value + i, n - i, &cp);
		if (len == 0)
			return error_field(err, "value", "phone %s: not valid UTF-8 text", shown);
		i += len;
		int dv = ident_digit_value(cp);
		if (dv >= 0) {
			if (nd + 1 >= sizeof digits)
				return error_field(err, "value", "phone %s: too long", shown);
			digits[nd++] = (char)('0' + dv);
			seen = 1;
		} else if ((cp == '+' || cp == 0xFF0B) && !seen && !plus) {
			plus = 1;
			seen = 1;
		} else if (ident_is_space(cp) || (cp < 0x80 && strchr("-.()/", (int)cp))) {
			continue;
		} else {
			return error_field(err, "value",
					   "phone %s: %s is not allowed; a phone number has digits, "
					   "spaces, - . ( ) / and a leading + or 00 before the country "
					   "code",
					   shown, ident_char_name(b, cp));
		}
	}
	digits[nd] = '\0';
	if (nd == 0)
		return error_field(err, "value", "phone %s: no digits", shown);
	if (plus)
		return international(rd, digits, shown, key, display, err);
	if (nd > 2 && digits[0] == '0' && digits[1] == '0')
		return international(rd, digits + 2, shown, key, display, err);

	const char *country = in->country;
	while (country && (*country == ' ' || *country == '\t'))
		country++;
	if (!country || !*country)
		return error_field(err, "value",
				   "phone %s: no country given and the number has no +country code",
				   shown);
	char iso2[3];
	if (ident_country(rd, country, "a phone number without +country code", iso2, err) != 0)
		return -1;
	struct dial d;
	if (dial_of_country(rd, iso2, &d) != 0)
		return error_field(err, "country", "country %s has no dialling code", iso2);
	/* NANP: 011 is the international prefix */
	if (strcmp(d.cc, "1") == 0 && nd > 3 && strncmp(digits, "011", 3) == 0)
		return international(rd, digits + 3, shown, key, display, err);
	const char *nsn = digits;
	size_t tl = strlen(d.plan.trunk);
	if (tl && strncmp(nsn, d.plan.trunk, tl) == 0)
		nsn += tl;
	if (nsn_ok(&d, strlen(nsn)))
		return first_digit_ok(&d, nsn, shown, err) != 0 ? -1
								: emit(&d, nsn, key, display, err);
	/* NANP members with their own area code: the 7-digit local number */
	char local[IDENT_MAX_VALUE + 8];
	if (d.ranges && strcmp(d.cc, "1") == 0 && strlen(nsn) == 7 && strlen(d.ranges) >= 5 &&
	    d.ranges[1] == '-') {
		snprintf(local, sizeof local, "%.3s%s", d.ranges + 2, nsn);
		return emit(&d, local, key, display, err);
	}
	/* the country code typed without + or 00: "855 12 345 678" */
	size_t ccl = strlen(d.cc);
	if (strncmp(digits, d.cc, ccl) == 0) {
		struct dial e;
		size_t el = 0;
		if (dial_of_number(rd, digits, &e, &el) == 0 && el == ccl &&
		    nsn_ok(&e, strlen(digits + ccl)) && first_digit_valid(&e, digits + ccl))
			return emit(&e, digits + ccl, key, display, err);
	}
	return length_error(err, shown, &d, strlen(nsn));
}
