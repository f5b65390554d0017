/* Validation and normalisation of a seizure record against reference data. */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/dynbuf.h"
#include "lib/numtext.h"
#include "ref/refdata.h"
#include "seizure/seizure.h"
#include "text/fold.h"

enum { MAX_SHORT_TEXT = 200, MAX_LONG_TEXT = 20000, MAX_ITEMS = 500 };

static int is_blank(const char *s)
{
	return !s || !*s;
}

static const char *trimmed(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

static void check_text(struct error *err, const char *field, const char **v, size_t max,
		       struct arena *a)
{
	*v = trimmed(a, *v);
	if (*v && strlen(*v) > max)
		error_field(err, field, "is too long (at most %zu bytes)", max);
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Parses YYYY, YYYY-MM or YYYY-MM-DD; sets from/to. 0 ok, -1 bad. */
int seizure_parse_date(const char *s, int *y, int *m, int *d, int *precision)
{
	size_t n = strlen(s);
	*m = *d = 0;
	if (n == 4 && all_digits(s, 4)) {
		*precision = 1;
	} else if (n == 7 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2)) {
		*precision = 2;
	} else if (n == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) &&
		   s[7] == '-' && all_digits(s + 8, 2)) {
		*precision = 3;
	} else {
		return -1;
	}
	*y = (int)strtol(s, NULL, 10);
	if (*precision >= 2)
		*m = (int)strtol(s + 5, NULL, 10);
	if (*precision == 3)
		*d = (int)strtol(s + 8, NULL, 10);
	if (*y < 1900 || *y > 9999)
		return -1;
	if (*precision >= 2 && (*m < 1 || *m > 12))
		return -1;
	if (*precision == 3 && (*d < 1 || *d > days_in_month(*y, *m)))
		return -1;
	return 0;
}

static void check_date(struct seizure *s, struct arena *a, struct error *err)
{
	s->date = trimmed(a, s->date);
	if (is_blank(s->date)) {
		error_field(err, "date", "is required (YYYY-MM-DD, or YYYY-MM or YYYY when only "
					 "that is known)");
		return;
	}
	int y, m, d, p;
	if (seizure_parse_date(s->date, &y, &m, &d, &p) != 0) {
		error_field(err, "date", "\"%s\" is not a date: write YYYY-MM-DD, YYYY-MM or YYYY",
			    s->date);
		return;
	}
	s->date_from = date_text(arena_alloc(a, 11), y, p >= 2 ? m : 1, p == 3 ? d : 1);
	s->date_to = date_text(arena_alloc(a, 11), y, p >= 2 ? m : 12,
			       p == 3 ? d : days_in_month(y, p >= 2 ? m : 12));
	char today[16];
	clock_today(today, sizeof today);
	if (strcmp(s->date_from, today) > 0)
		error_field(err, "date", "%s is in the future", s->date);
}

static void check_country(const struct refdata *ref, const char *field, const char **v,
			  int required, struct arena *a, struct error *err)
{
	*v = trimmed(a, *v);
	if (is_blank(*v)) {
		if (required)
			error_field(err, field, "is required (an ISO 3166 country code such as KH)");
		return;
	}
	const struct country *c = refdata_country(ref, *v);
	if (!c)
		error_field(err, field, "\"%s\" is not a country: use an ISO 3166 code such as "
					"KH, VN, CN or the English name",
			    *v);
	else
		*v = c->iso2;
}

/* A list of countries separated by ';' (or ','), normalised to "KH;VN". */
static void check_country_list(const struct refdata *ref, const char *field, const char **v,
			       struct arena *a, struct error *err)
{
	if (is_blank(*v)) {
		*v = NULL;
		return;
	}
	struct dynbuf out = DYNBUF_INIT(4096);
	char *copy = arena_strdup(a, *v);
	char *save = NULL;
	int idx = 0;
	for (char *tok = strtok_r(copy, ";,|", &save); tok; tok = strtok_r(NULL, ";,|", &save)) {
		const char *t = trimmed(a, tok);
		if (!t)
			continue;
		const struct country *c = refdata_country(ref, t);
		if (!c) {
			char f[96];
			snprintf(f, sizeof f, "%s[%d]", field, idx);
			error_field(err, f, "\"%s\" is not a country: use ISO 3166 codes such as "
					    "CN;VN, separated by ';'",
				    t);
		} else if (!strstr(dynbuf_str(&out), c->iso2)) {
			if (out.len)
				dynbuf_addc(&out, ';');
			dynbuf_adds(&out, c->iso2);
		}
		idx++;
	}
	*v = out.len ? arena_strdup(a, dynbuf_str(&out)) : NULL;
	dynbuf_free(&out);
}

static void check_vocab(const struct refdata *ref, const char *vocab, const char **v,
			struct arena *a, struct error *err)
{
	*v = trimmed(a, *v);
	if (is_blank(*v))
		return;
	const char *code = refdata_vocab_code(ref, vocab, *v);
	if (code) {
		*v = code;
		return;
	}
	const struct code_entry *e;
	size_t n = refdata_vocab(ref, vocab, &e);
	struct dynbuf allowed = DYNBUF_INIT(4096);
	for (size_t i = 0; i < n; i++)
		dynbuf_addf(&allowed, "%s%s", i ? ", " : "", e[i].code);
	error_field(err, vocab, "\"%s\" is not one of: %s", *v, dynbuf_str(&allowed));
	dynbuf_free(&allowed);
}

static void check_item(const struct refdata *ref, struct seizure_item *it, int i,
		       struct arena *a, struct error *err)
{
	char f[64];
#define FIELD(name) (snprintf(f, sizeof f, "items[%d].%s", i, name), f)
	it->species = trimmed(a, it->species);
	if (it->taxon_id && is_blank(it->species)) {
		const struct taxon *t = refdata_taxon_by_id(ref, it->taxon_id);
		if (!t)
			error_field(err, FIELD("taxon_id"), "no taxon has id %lld",
				    (long long)it->taxon_id);
		else
			it->species = it->taxon_name = t->full_name;
	} else if (is_blank(it->species)) {
		error_field(err, FIELD("species"), "is required: a scientific name, synonym or "
						   "common name");
	} else {
		const struct taxon *found[6];
		size_t n = refdata_resolve_species(ref, it->species, found, 6);
		if (n == 1) {
			it->taxon_id = found[0]->id;
			it->taxon_name = found[0]->full_name;
		} else if (n == 0) {
			error_field(err, FIELD("species"),
				    "\"%s\" is not a known species name (scientific, synonym or "
				    "common name); search /api/v1/species?q=…",
				    it->species);
		} else {
			struct dynbuf c = DYNBUF_INIT(4096);
			for (size_t k = 0; k < n && k < 6; k++)
				dynbuf_addf(&c, "%s%s", k ? ", " : "", found[k]->full_name);
			error_field(err, FIELD("species"),
				    "\"%s\" is ambiguous: it names %zu taxa (%s%s); use the "
				    "scientific name",
				    it->species, n, dynbuf_str(&c), n > 6 ? ", …" : "");
			dynbuf_free(&c);
		}
	}
	it->term = trimmed(a, it->term);
	if (it->term) {
		char *up = arena_strdup(a, it->term);
		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		it->term = up;
	}
	int term_ok = 0;
	if (is_blank(it->term))
		error_field(err, FIELD("term"), "is required: a CITES term code such as SCA, TUS, "
						"LIV");
	else if (!refdata_term(ref, it->term))
		error_field(err, FIELD("term"), "\"%s\" is not a CITES term code (e.g. SCA, TUS, "
						"HOR, SKI, LIV, BOD)",
			    it->term);
	else
		term_ok = 1;
	const char *unit = trimmed(a, it->unit);
	if (unit) {
		char *up = arena_strdup(a, unit);
		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		unit = up;
		if (strcmp(unit, "NUM") == 0 || strcmp(unit, "NAR") == 0)
			unit = "";
	}
	it->unit = unit ? unit : "";
	if (*it->unit && !refdata_unit(ref, it->unit)) {
		error_field(err, FIELD("unit"), "\"%s\" is not a CITES unit code (e.g. KIL, GRM, "
						"PCS; empty for number of specimens)",
			    it->unit);
	} else if (term_ok && !refdata_term_unit_allowed(ref, it->term, it->unit)) {
		const char *allowed = refdata_term_units(ref, it->term);
		error_field(err, FIELD("unit"),
			    "%s%s%s is not allowed with term %s; allowed units: %s (- means number "
			    "of specimens)",
			    *it->unit ? "unit " : "", *it->unit ? it->unit : "a count of specimens",
			    "", it->term, *allowed ? allowed : "none");
	}
	if (!(it->quantity > 0) || !isfinite(it->quantity))
		error_field(err, FIELD("quantity"), "must be a number greater than 0");
	else if (it->quantity > 1e12)
		error_field(err, FIELD("quantity"), "is implausibly large");
	if (it->live < -1 || it->live > 1)
		error_field(err, FIELD("live"), "must be true, false or empty");
#undef FIELD
}

static void add_search(struct dynbuf *b, const char *s)
{
	if (s && *s) {
		dynbuf_addc(b, ' ');
		dynbuf_adds(b, s);
	}
}

/* The hash's input gathered in a buffer and handed over a block at a time:
 * far fewer calls into BLAKE2b than one per field (the same bytes, so the
 * same hash). */
struct hash_input {
	crypto_generichash_state h;
	size_t n;
	unsigned char buf[1024];
};

static void put_hash_bytes(struct hash_input *in, const void *p, size_t n)
{
	if (in->n + n > sizeof in->buf) {
		crypto_generichash_update(&in->h, in->buf, in->n);
		in->n = 0;
		if (n > sizeof in->buf) {
			crypto_generichash_update(&in->h, p, n);
			return;
		}
	}
	memcpy(in->buf + in->n, p, n);
	in->n += n;
}

/* A field and its NUL. */
static void put_hash_field(struct hash_input *in, const char *s)
{
	const char *p = s ? s : "";
	put_hash_bytes(in, p, strlen(p) + 1);
}

/* v as "%.17g" prints it.  A whole number below 10^15 in magnitude prints as
 * its digits (no exponent, no point), as quantities and values mostly are;
 * coordinates through num_g17(). */
static void put_hash_num(struct hash_input *in, int has, double v)
{
	if (!has) {
		put_hash_field(in, "");
	} else if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v && !(v == 0 && signbit(v))) {
		char num[NUM_TEXT_SIZE];
		put_hash_field(in, num_text(num, (int64_t)v));
	} else {
		char buf[NUM_G17_SIZE];
		put_hash_field(in, num_g17(buf, v));
	}
}

static const char *content_hash(const struct seizure *s, struct arena *a)
{
	struct hash_input in;
	unsigned char d[16];
	crypto_generichash_init(&in.h, NULL, 0, sizeof d);
	in.n = 0;
	const char *fields[] = { s->ref, s->sharing, s->date, s->country, s->place, s->province,
				 s->locode, s->reason, s->transport_mode, s->detection_method,
				 s->concealment, s->concealment_code, s->origin, s->transit,
				 s->destination, s->offender_nationalities, s->value_currency,
				 s->legal_action, s->law, s->sanctions, s->disposal, s->notes };
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		put_hash_field(&in, fields[i]);
	put_hash_num(&in, s->has_coords, s->latitude);
	put_hash_num(&in, s->has_coords, s->longitude);
	put_hash_num(&in, s->has_value, s->value_amount);
	char num[NUM_TEXT_SIZE];
	put_hash_field(&in, num_text(num, s->agency_id));
	for (size_t i = 0; i < s->nitems; i++) {
		const struct seizure_item *it = &s->items[i];
		/* the field "taxon_id|live" */
		const char *t = num_text(num, it->taxon_id);
		put_hash_bytes(&in, t, strlen(t));
		put_hash_bytes(&in, "|", 1);
		put_hash_field(&in, num_text(num, it->live));
		put_hash_field(&in, it->species);
		put_hash_field(&in, it->term);
		put_hash_field(&in, it->unit);
		put_hash_num(&in, 1, it->quantity);
	}
	crypto_generichash_update(&in.h, in.buf, in.n);
	crypto_generichash_final(&in.h, d, sizeof d);
	char *hex = arena_alloc(a, 33);
	sodium_bin2hex(hex, 33, d, sizeof d);
	return hex;
}

void seizure_rehash(struct seizure *s, struct arena *a)
{
	s->content_hash = content_hash(s, a);
}

int seizure_validate(const struct refdata *ref, struct seizure *s, struct arena *a,
		     struct error *err)
{
	size_t before = err->nfields;
	check_text(err, "ref", &s->ref, 100, a);
	if (is_blank(s->sharing))
		s->sharing = "national";
	else if (strcmp(s->sharing, "agency") != 0 && strcmp(s->sharing, "national") != 0)
		error_field(err, "sharing", "must be \"agency\" (only the recording agency sees it) "
					    "or \"national\" (all agencies of the country)");
	check_date(s, a, err);
	check_country(ref, "country", &s->country, 1, a, err);
	check_text(err, "place", &s->place, MAX_SHORT_TEXT, a);
	check_text(err, "province", &s->province, MAX_SHORT_TEXT, a);
	s->locode = trimmed(a, s->locode);
	if (s->locode) {
		const struct location *l = refdata_location(ref, s->locode);
		if (!l)
			error_field(err, "locode", "\"%s\" is not a known UN/LOCODE port, airport or "
						   "border crossing",
				    s->locode);
		else {
			s->locode = l->locode;
			if (s->country && strlen(s->country) == 2 && strcmp(l->country, s->country) != 0)
				error_field(err, "locode", "%s (%s) is not in the country of seizure %s",
					    l->locode, l->name, s->country);
		}
	}
	if (s->has_coords) {
		if (!(s->latitude >= -90 && s->latitude <= 90))
			error_field(err, "latitude", "must be between -90 and 90");
		if (!(s->longitude >= -180 && s->longitude <= 180))
			error_field(err, "longitude", "must be between -180 and 180");
	}
	check_vocab(ref, "reason", &s->reason, a, err);
	check_vocab(ref, "transport_mode", &s->transport_mode, a, err);
	check_vocab(ref, "detection_method", &s->detection_method, a, err);
	check_vocab(ref, "legal_action", &s->legal_action, a, err);
	check_vocab(ref, "disposal", &s->disposal, a, err);
	check_text(err, "concealment", &s->concealment, MAX_LONG_TEXT, a);
	if (is_blank(s->concealment_code) && s->concealment) {
		const char *code = refdata_vocab_code(ref, "concealment", s->concealment);
		s->concealment_code = code;
	} else {
		check_vocab(ref, "concealment", &s->concealment_code, a, err);
	}
	check_country_list(ref, "origin", &s->origin, a, err);
	check_country_list(ref, "transit", &s->transit, a, err);
	check_country_list(ref, "destination", &s->destination, a, err);
	check_country_list(ref, "offender_nationalities", &s->offender_nationalities, a, err);
	if (s->has_value && (!(s->value_amount >= 0) || !isfinite(s->value_amount)))
		error_field(err, "value_amount", "must be a number, 0 or more");
	s->value_currency = trimmed(a, s->value_currency);
	if (s->value_currency) {
		char *up = arena_strdup(a, s->value_currency);
		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		s->value_currency = up;
		if (strlen(up) != 3 || up[0] < 'A' || up[0] > 'Z' || up[1] < 'A' || up[1] > 'Z' ||
		    up[2] < 'A' || up[2] > 'Z')
			error_field(err, "value_currency", "must be an ISO 4217 code such as USD or KHR");
	}
	if (s->has_value && !s->value_currency)
		error_field(err, "value_currency", "is required when a value is given");
	check_text(err, "law", &s->law, MAX_LONG_TEXT, a);
	check_text(err, "sanctions", &s->sanctions, MAX_LONG_TEXT, a);
	check_text(err, "notes", &s->notes, MAX_LONG_TEXT, a);
	if (s->nitems == 0)
		error_field(err, "items", "at least one item (species, term, quantity) is required");
	else if (s->nitems > MAX_ITEMS)
		error_field(err, "items", "at most %d items per seizure", MAX_ITEMS);
	else
		for (size_t i = 0; i < s->nitems; i++)
			check_item(ref, &s->items[i], (int)i, a, err);
	if (err->nfields > before)
		return -1;

	struct dynbuf b = DYNBUF_INIT(1 << 20);
	add_search(&b, s->ref);
	add_search(&b, s->place);
	add_search(&b, s->province);
	add_search(&b, s->locode);
	add_search(&b, s->concealment);
	add_search(&b, s->notes);
	for (size_t i = 0; i < s->nitems; i++) {
		add_search(&b, s->items[i].species);
		if (s->items[i].taxon_name && strcmp(s->items[i].taxon_name, s->items[i].species) != 0)
			add_search(&b, s->items[i].taxon_name);
	}
	s->search_text = text_fold(a, dynbuf_str(&b), b.len);
	dynbuf_free(&b);
	s->content_hash = content_hash(s, a);
	return 0;
}
