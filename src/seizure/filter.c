#include "seizure/filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dynbuf.h"
#include "ref/refdata.h"
#include "text/fold.h"

static const char *const known[] = { "q", "species", "taxon", "term", "country", "agency",
				     "from", "to", "transport_mode", "limit", "cursor", NULL };

static int listed(const char *const *list, const char *key)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], key) == 0)
			return 1;
	return 0;
}

/* from/to: a partial date stands for its first (from) or last (to) day. */
static const char *parse_bound(const char *v, int is_to, const char *field, struct arena *a,
			       struct error *err)
{
	int y, m, d, p;
	if (seizure_parse_date(v, &y, &m, &d, &p) != 0) {
		error_field(err, field, "\"%s\" is not a date: write YYYY-MM-DD, YYYY-MM or YYYY", v);
		return NULL;
	}
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (p == 1)
		m = is_to ? 12 : 1;
	if (p <= 2) {
		int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
		d = is_to ? last : 1;
	}
	return arena_sprintf(a, "%04d-%02d-%02d", y, m, d);
}

int seizure_filter_parse(const struct refdata *ref, const struct query *q,
			 const char *const *extra_ok, struct seizure_filter *f, struct arena *a,
			 struct error *err)
{
	memset(f, 0, sizeof *f);
	f->limit = 50;
	size_t before = err->nfields;
	for (size_t i = 0; i < q->n; i++) {
		const char *k = q->keys[i], *v = q->values[i];
		if (!listed(known, k) && !listed(extra_ok, k)) {
			error_field(err, k, "is not a filter; use q, species, taxon, term, country, "
					    "agency, from, to, transport_mode, limit, cursor");
			continue;
		}
		if (!*v)
			continue;
		if (strcmp(k, "q") == 0) {
			size_t words = 0;
			if (strlen(v) <= 200) {
				f->q = text_fold(a, v, strlen(v));
				for (const char *p = f->q; *p; p++)
					if (p == f->q || (p[-1] == ' ' && *p != ' '))
						words++;
			}
			if (strlen(v) > 200 || words > SEIZURE_Q_MAX_WORDS)
				error_field(err, k, "is too long (at most %d words, 200 bytes)",
					    SEIZURE_Q_MAX_WORDS);
		} else if (strcmp(k, "species") == 0) {
			char *end;
			long long id = strtoll(v, &end, 10);
			if (*end == '\0' && id > 0) {
				if (!refdata_taxon_by_id(ref, id))
					error_field(err, k, "no taxon has id %lld", id);
				f->taxon_id = id;
				continue;
			}
			const struct taxon *t[6];
			size_t n = refdata_resolve_species(ref, v, t, 6);
			if (n == 1) {
				f->taxon_id = t[0]->id;
			} else if (n == 0) {
				error_field(err, k, "\"%s\" is not a known species name", v);
			} else {
				struct dynbuf b = DYNBUF_INIT(4096);
				for (size_t j = 0; j < n && j < 6; j++)
					dynbuf_addf(&b, "%s%s", j ? ", " : "", t[j]->full_name);
				error_field(err, k, "\"%s\" is ambiguous (%s); use the scientific name", v,
					    dynbuf_str(&b));
				dynbuf_free(&b);
			}
		} else if (strcmp(k, "taxon") == 0) {
			f->taxon_group = refdata_group_name(ref, v);
			if (!f->taxon_group)
				error_field(err, k, "\"%s\" is not a genus, family, order or class of "
						    "the checklist", v);
		} else if (strcmp(k, "term") == 0) {
			char *up = arena_strdup(a, v);
			for (char *p = up; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 32);
			if (!refdata_term(ref, up))
				error_field(err, k, "\"%s\" is not a CITES term code", v);
			f->term = up;
		} else if (strcmp(k, "country") == 0) {
			const struct country *c = refdata_country(ref, v);
			if (!c)
				error_field(err, k, "\"%s\" is not a country (ISO 3166 code or name)", v);
			else
				f->country = c->iso2;
		} else if (strcmp(k, "agency") == 0) {
			char *end;
			long long id = strtoll(v, &end, 10);
			if (*end || id <= 0)
				error_field(err, k, "must be an agency id");
			f->agency_id = id;
		} else if (strcmp(k, "from") == 0) {
			f->from = parse_bound(v, 0, k, a, err);
		} else if (strcmp(k, "to") == 0) {
			f->to = parse_bound(v, 1, k, a, err);
		} else if (strcmp(k, "transport_mode") == 0) {
			const char *code = refdata_vocab_code(ref, "transport_mode", v);
			if (!code)
				error_field(err, k, "\"%s\" is not a mode of transport", v);
			f->transport_mode = code;
		} else if (strcmp(k, "limit") == 0) {
			char *end;
			long n = strtol(v, &end, 10);
			if (*end || n < 1 || n > 500)
				error_field(err, k, "must be a whole number from 1 to 500");
			else
				f->limit = (int)n;
		} else if (strcmp(k, "cursor") == 0) {
			if (seizure_cursor_decode(v, f, a) != 0)
				error_field(err, k, "is not a cursor this server gave out");
		}
	}
	return err->nfields > before ? -1 : 0;
}
