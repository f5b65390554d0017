/* The analytics' queries: a request parsed and prepared against the
 * columns, one scan, and the groups of a breakdown, series, summary,
 * indices and map.  docs/analytics.md describes what each number means. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/internal.h"
#include "analytics/scan.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"

const char *const analytics_class_keys[WC_COUNT] = { "lt10", "10to100", "ge100", "unknown" };
const char *const analytics_class_labels[WC_COUNT] = { "< 10 kg", "10-100 kg", ">= 100 kg",
						       "weight not known" };

static const char *const measure_names[AN_M_COUNT] = { "seizures", "items", "quantity",
						       "weight_kg", "animals", "value" };
static const char *const dim_names[AN_D_COUNT] = {
	"", "day", "week", "month", "quarter", "year", "species", "genus", "family", "order",
	"class", "term", "unit", "country", "origin", "transit", "destination", "agency",
	"transport_mode", "detection_method", "concealment", "weight_class", "commodity",
};

const char *analytics_measure_name(enum an_measure m)
{
	return m < AN_M_COUNT ? measure_names[m] : "";
}

int analytics_measure_parse(const char *name)
{
	for (int i = 0; name && i < AN_M_COUNT; i++)
		if (strcmp(name, measure_names[i]) == 0)
			return i;
	return -1;
}

const char *analytics_dim_name(enum an_dim d)
{
	return d < AN_D_COUNT ? dim_names[d] : "";
}

int analytics_dim_parse(const char *name)
{
	for (int i = 1; name && i < AN_D_COUNT; i++)
		if (strcmp(name, dim_names[i]) == 0)
			return i;
	return -1;
}

int analytics_dim_is_item(enum an_dim d)
{
	return (d >= AN_D_SPECIES && d <= AN_D_UNIT) || d == AN_D_COMMODITY;
}

static int is_time(enum an_dim d)
{
	return d >= AN_D_DAY && d <= AN_D_YEAR;
}

double analytics_cell_value(const struct an_cell *c, enum an_measure m)
{
	return cell_value(c, m);
}

const char *analytics_note(void)
{
	return "Seizure numbers count what was detected and recorded, not what was traded: "
	       "they rise and fall with enforcement effort, the focus of agencies, and how fully "
	       "seizures are reported and entered here, as much as with trafficking. A rise can "
	       "mean more trade or better enforcement; a fall can mean less trade or fewer "
	       "records. Large seizures weigh heavily on totals. Weights and whole-animal "
	       "equivalents are estimates from the conversion table; items without a known "
	       "weight are left out of weights. Compare periods and places only with these "
	       "limits in mind.";
}

const char *analytics_index_method(void)
{
	return "Transactions (seizures) and their weight per year, for all seizures and by "
	       "ETIS weight class of the seizure (< 10 kg, 10-100 kg, >= 100 kg of the matching "
	       "items; ivory as raw-ivory equivalent, worked ivory x 1/0.7), each divided by its "
	       "value in the base year and multiplied by 100. This is a simplified, unadjusted "
	       "version of the ETIS indices: ETIS fits a generalised linear model that adjusts "
	       "for seizure and reporting rates by country and for bias in the data; nothing "
	       "here is adjusted. Seizures whose weight is unknown count in 'all' only.";
}

/* ---- request ---- */

void analytics_request_init(struct an_request *r)
{
	memset(r, 0, sizeof *r);
	r->filter.from = INT32_MIN;
	r->filter.to = INT32_MAX;
	r->measure = AN_M_SEIZURES;
	r->grain = AN_D_MONTH;
	r->role = AN_D_COUNTRY;
	r->limit = 20;
	r->points_limit = 5000;
	r->currency = "USD";
}

static const char *const param_dim[][2] = {
	{ "species", "species" }, { "genus", "genus" }, { "family", "family" },
	{ "order", "order" }, { "class", "class" }, { "term", "term" }, { "unit_code", "unit" },
	{ "seizure_country", "country" }, { "origin", "origin" }, { "transit", "transit" },
	{ "destination", "destination" }, { "agency", "agency" },
	{ "transport_mode", "transport_mode" }, { "detection_method", "detection_method" },
	{ "concealment", "concealment" }, { "weight_class", "weight_class" },
	{ "commodity", "commodity" },
};

static const char *const plain_params[] = { "country", "taxon", "from", "to", "measure", "unit",
					    "currency", "by", "split", "grain", "role", "limit",
					    "base_year", "points_limit", NULL };

static int listed(const char *const *list, const char *k)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], k) == 0)
			return 1;
	return 0;
}

static char *upper(struct arena *a, const char *v)
{
	char *u = arena_strdup(a, v);
	for (char *p = u; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	return u;
}

/* Day number of a from/to bound (a partial date is its first or last day). */
static int parse_bound(const char *v, int is_to, int32_t *out)
{
	int y = 0, m = 0, d = 0, n = 0;
	size_t len = strlen(v);
	static const char shape[] = "dddd-dd-dd";
	if (len != 4 && len != 7 && len != 10)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (shape[i] == 'd' ? (v[i] < '0' || v[i] > '9') : v[i] != '-')
			return -1;
	y = (int)strtol(v, NULL, 10);
	n = 1;
	if (len >= 7)
		m = (int)strtol(v + 5, NULL, 10), n = 2;
	if (len == 10)
		d = (int)strtol(v + 8, NULL, 10), n = 3;
	if (y < 1 || (n >= 2 && (m < 1 || m > 12)))
		return -1;
	if (n == 1)
		m = is_to ? 12 : 1;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
	if (n == 3 && (d < 1 || d > last))
		return -1;
	if (n <= 2)
		d = is_to ? last : 1;
	*out = analytics_day(y, m, d);
	return 0;
}

/* One value of a filter, checked and normalised; NULL with a field error. */
static const char *filter_value(const struct refdata *ref, const char *k, enum an_dim d,
				const char *v, struct arena *a, struct error *err)
{
	switch (d) {
	case AN_D_SPECIES: {
		char *end;
		long long id = strtoll(v, &end, 10);
		if (*end == '\0' && id > 0) {
			if (!refdata_taxon_by_id(ref, id)) {
				error_field(err, k, "no taxon has id %lld", id);
				return NULL;
			}
			return arena_sprintf(a, "%lld", id);
		}
		const struct taxon *t[4];
		size_t n = refdata_resolve_species(ref, v, t, 4);
		if (n != 1) {
			error_field(err, k, n ? "\"%s\" is ambiguous; use the scientific name or id"
					      : "\"%s\" is not a known species name",
				    v);
			return NULL;
		}
		return arena_sprintf(a, "%lld", (long long)t[0]->id);
	}
	case AN_D_GENUS: case AN_D_FAMILY: case AN_D_ORDER: case AN_D_CLASS: {
		const char *g = refdata_group_name(ref, v);
		if (!g)
			error_field(err, k, "\"%s\" is not a %s of the checklist", v, dim_names[d]);
		return g;
	}
	case AN_D_TERM: {
		char *u = upper(a, v);
		if (!refdata_term(ref, u)) {
			error_field(err, k, "\"%s\" is not a CITES term code", v);
			return NULL;
		}
		return u;
	}
	case AN_D_UNIT: {
		if (!*v || strcmp(v, "-") == 0)
			return "";
		char *u = upper(a, v);
		if (!refdata_unit(ref, u)) {
			error_field(err, k, "\"%s\" is not a CITES unit code (\"-\": number of specimens)",
				    v);
			return NULL;
		}
		return u;
	}
	case AN_D_COUNTRY: case AN_D_ORIGIN: case AN_D_TRANSIT: case AN_D_DESTINATION: {
		const struct country *c = refdata_country(ref, v);
		if (!c) {
			error_field(err, k, "\"%s\" is not a country (ISO 3166 code or name)", v);
			return NULL;
		}
		return c->iso2;
	}
	case AN_D_AGENCY: {
		char *end;
		long long id = strtoll(v, &end, 10);
		if (*end || id <= 0) {
			error_field(err, k, "must be agency ids");
			return NULL;
		}
		return arena_sprintf(a, "%lld", id);
	}
	case AN_D_TRANSPORT: case AN_D_DETECTION: case AN_D_CONCEALMENT: {
		const char *vocab = d == AN_D_TRANSPORT ? "transport_mode"
				    : d == AN_D_DETECTION ? "detection_method"
							  : "concealment";
		const char *code = refdata_vocab_code(ref, vocab, v);
		if (!code)
			error_field(err, k, "\"%s\" is not a code of %s", v, vocab);
		return code;
	}
	case AN_D_WEIGHT_CLASS:
		for (int i = 0; i < WC_COUNT; i++)
			if (strcmp(v, analytics_class_keys[i]) == 0)
				return analytics_class_keys[i];
		error_field(err, k, "must be lt10, 10to100, ge100 or unknown");
		return NULL;
	default:
		return arena_strdup(a, v);
	}
}

/* Splits a comma list into l, each value checked. */
static void add_values(const struct refdata *ref, const char *k, enum an_dim d, const char *v,
		       struct an_list *l, struct arena *a, struct error *err)
{
	const char *p = v;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *one = arena_strndup(a, p, len);
		while (*one == ' ')
			one++;
		for (size_t n = strlen(one); n && one[n - 1] == ' '; n--)
			one[n - 1] = '\0';
		if (*one || d == AN_D_UNIT) {
			if (l->n >= AN_FILTER_MAX) {
				error_field(err, k, "at most %d values", AN_FILTER_MAX);
				return;
			}
			const char *ok = filter_value(ref, k, d, one, a, err);
			if (ok)
				l->v[l->n++] = ok;
		}
		if (!end)
			break;
		p = end + 1;
	}
}

static int parse_int(const char *k, const char *v, long min, long max, int *out,
		     struct error *err)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < min || n > max)
		return error_field(err, k, "must be a whole number from %ld to %ld", min, max);
	*out = (int)n;
	return 0;
}

int analytics_request_parse(const struct refdata *ref, const struct query *q,
			    const char *const *extra_ok, struct an_request *r, struct arena *a,
			    struct error *err)
{
	analytics_request_init(r);
	size_t before = err->nfields;
	int unit_given = 0;
	for (size_t i = 0; i < q->n; i++) {
		const char *k = q->keys[i], *v = q->values[i];
		int dim = -1;
		for (size_t j = 0; j < sizeof param_dim / sizeof *param_dim; j++)
			if (strcmp(k, param_dim[j][0]) == 0)
				dim = analytics_dim_parse(param_dim[j][1]);
		if (dim < 0 && !listed(plain_params, k)) {
			if (!listed(extra_ok, k))
				error_field(err, k, "is not a parameter of the analytics (see "
						    "docs/analytics.md)");
			continue;
		}
		if (dim >= 0) {
			add_values(ref, k, (enum an_dim)dim, v, &r->filter.dim[dim], a, err);
		} else if (strcmp(k, "country") == 0) {
			add_values(ref, k, AN_D_COUNTRY, v, &r->filter.any_country, a, err);
		} else if (strcmp(k, "taxon") == 0) {
			add_values(ref, k, AN_D_GENUS, v, &r->filter.taxon, a, err);
		} else if (!*v) {
			continue;
		} else if (strcmp(k, "from") == 0 || strcmp(k, "to") == 0) {
			int is_to = k[0] == 't';
			if (parse_bound(v, is_to, is_to ? &r->filter.to : &r->filter.from) != 0)
				error_field(err, k, "\"%s\" is not a date: write YYYY-MM-DD, YYYY-MM or "
						    "YYYY", v);
		} else if (strcmp(k, "measure") == 0) {
			int m = analytics_measure_parse(v);
			if (m < 0)
				error_field(err, k, "must be seizures, items, quantity, weight_kg, "
						    "animals or value");
			else
				r->measure = (enum an_measure)m;
		} else if (strcmp(k, "unit") == 0) {
			struct an_list l = { 0 };
			add_values(ref, k, AN_D_UNIT, v, &l, a, err);
			if (l.n == 1)
				r->unit = l.v[0], unit_given = 1;
		} else if (strcmp(k, "currency") == 0) {
			if (strlen(v) != 3)
				error_field(err, k, "must be an ISO 4217 code such as USD or KHR");
			r->currency = upper(a, v);
		} else if (strcmp(k, "by") == 0 || strcmp(k, "split") == 0) {
			int d = analytics_dim_parse(v);
			if (d < 0)
				error_field(err, k, "\"%s\" is not a dimension (day, week, month, "
						    "quarter, year, species, genus, family, order, "
						    "class, term, unit, country, origin, transit, "
						    "destination, agency, transport_mode, "
						    "detection_method, concealment, weight_class, "
						    "commodity)", v);
			else
				r->by = (enum an_dim)d;
		} else if (strcmp(k, "grain") == 0) {
			int d = analytics_dim_parse(v);
			if (d < 0 || !is_time((enum an_dim)d))
				error_field(err, k, "must be day, week, month, quarter or year");
			else
				r->grain = (enum an_dim)d;
		} else if (strcmp(k, "role") == 0) {
			int d = analytics_dim_parse(v);
			if (d < AN_D_COUNTRY || d > AN_D_DESTINATION)
				error_field(err, k, "must be country, origin, transit or destination");
			else
				r->role = (enum an_dim)d;
		} else if (strcmp(k, "limit") == 0) {
			parse_int(k, v, 1, 1000, &r->limit, err);
		} else if (strcmp(k, "base_year") == 0) {
			parse_int(k, v, 1900, 2200, &r->base_year, err);
		} else if (strcmp(k, "points_limit") == 0) {
			parse_int(k, v, 0, 20000, &r->points_limit, err);
		}
	}
	if (r->measure == AN_M_QUANTITY && !unit_given)
		error_field(err, "unit", "is required with measure=quantity (a unit code, or \"-\" "
					 "for number of specimens)");
	if (r->filter.from > r->filter.to)
		error_field(err, "from", "is after to");
	return err->nfields > before ? -1 : 0;
}

/* ---- prepared filter ---- */

const struct dict *dim_dict(const struct columns *c, enum an_dim d)
{
	switch (d) {
	case AN_D_SPECIES: return &c->taxa;
	case AN_D_TERM: return &c->terms;
	case AN_D_UNIT: return &c->units;
	case AN_D_COUNTRY: case AN_D_ORIGIN: case AN_D_TRANSIT: case AN_D_DESTINATION:
		return &c->countries;
	case AN_D_AGENCY: return &c->agencies;
	case AN_D_TRANSPORT: return &c->transports;
	case AN_D_DETECTION: return &c->detections;
	case AN_D_CONCEALMENT: return &c->concealments;
	case AN_D_COMMODITY: return &c->commodities;
	default: return NULL;
	}
}

/* Accepted indexes of a dictionary for a list of codes (NULL when the list
 * is empty: any). */
static uint8_t *accept(const struct dict *d, const struct an_list *l)
{
	if (!l->n)
		return NULL;
	uint8_t *ok = xcalloc(d->n + 1, 1);
	for (size_t i = 0; i < l->n; i++) {
		uint32_t v = dict_find(d, l->v[i]);
		if (v != UINT32_MAX)
			ok[v] = 1;
	}
	return ok;
}

/* First index of list[0..n) holding row or a later one. */
static size_t rows_from(const uint32_t *list, size_t n, size_t row)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (list[mid] < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The union of two ascending lists without repeats into out; its length. */
static size_t rows_union(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
			 uint32_t *out)
{
	size_t i = 0, j = 0, n = 0;
	while (i < na || j < nb) {
		uint32_t x = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
		i += i < na && a[i] == x;
		j += j < nb && b[j] == x;
		out[n++] = x;
	}
	return n;
}

/* When a seizure filter with posting lists keeps few of the rows in the
 * dates (a third at most), the rows of its values become the scan's
 * candidates (p->cand): the scan then reads those rows only.  The filters
 * are all checked on each candidate as on any row, so the answer is the
 * same, with the same additions in the same order. */
static void prep_candidates(const struct columns *c, struct prep *p)
{
	const uint8_t *oks[POST_N] = { p->ok_country, p->ok_origin, p->ok_destination,
				       p->ok_transport, p->ok_agency };
	size_t lo, hi;
	scan_bounds(c, p, &lo, &hi);
	int best = -1;
	size_t best_n = (hi - lo) / 3;
	for (int d = 0; d < POST_N; d++) {
		const struct posting *pt = &c->post[d];
		if (!oks[d] || !pt->off)
			continue;
		size_t n = 0;
		for (size_t v = 0; v < pt->nvals; v++)
			if (oks[d][v]) {
				const uint32_t *l = pt->rows + pt->off[v];
				size_t len = pt->off[v + 1] - pt->off[v];
				n += rows_from(l, len, hi) - rows_from(l, len, lo);
			}
		if (n < best_n || (best < 0 && n == 0)) {
			best = d;
			best_n = n;
		}
	}
	if (best < 0)
		return;
	const struct posting *pt = &c->post[best];
	const uint8_t *ok = oks[best];
	size_t nv = 0, last = 0, total = 0;
	for (size_t v = 0; v < pt->nvals; v++)
		if (ok[v]) {
			nv++;
			last = v;
			total += pt->off[v + 1] - pt->off[v];
		}
	if (nv <= 1) {
		/* one value (or none): its list as it is */
		p->cand = nv ? pt->rows + pt->off[last] : pt->rows;
		p->ncand = nv ? pt->off[last + 1] - pt->off[last] : 0;
		return;
	}
	uint32_t *acc = xmalloc((total ? total : 1) * sizeof *acc);
	uint32_t *tmp = xmalloc((total ? total : 1) * sizeof *tmp);
	size_t n = 0;
	for (size_t v = 0; v < pt->nvals; v++)
		if (ok[v]) {
			n = rows_union(acc, n, pt->rows + pt->off[v], pt->off[v + 1] - pt->off[v], tmp);
			uint32_t *t = acc;
			acc = tmp;
			tmp = t;
		}
	free(tmp);
	p->cand = p->cand_owned = acc;
	p->ncand = n;
}

int prep_request(const struct columns *c, const struct refdata *ref, const struct actor *who,
		 const struct an_request *r, struct prep *p, struct error *err)
{
	memset(p, 0, sizeof *p);
	const struct an_filter *f = &r->filter;
	p->from = f->from;
	p->to = f->to;
	p->measure = r->measure;
	p->admin = who->role == ROLE_ADMIN;
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)who->agency_id);
	uint32_t mine = dict_find(&c->agencies, idtext);
	p->my_agency = mine == UINT32_MAX ? UINT16_MAX : (uint16_t)mine;
	p->ok_country = accept(&c->countries, &f->dim[AN_D_COUNTRY]);
	p->ok_origin = accept(&c->countries, &f->dim[AN_D_ORIGIN]);
	p->ok_transit = accept(&c->countries, &f->dim[AN_D_TRANSIT]);
	p->ok_destination = accept(&c->countries, &f->dim[AN_D_DESTINATION]);
	p->ok_any_country = accept(&c->countries, &f->any_country);
	p->ok_agency = accept(&c->agencies, &f->dim[AN_D_AGENCY]);
	p->ok_transport = accept(&c->transports, &f->dim[AN_D_TRANSPORT]);
	p->ok_detection = accept(&c->detections, &f->dim[AN_D_DETECTION]);
	p->ok_concealment = accept(&c->concealments, &f->dim[AN_D_CONCEALMENT]);
	p->ok_term = accept(&c->terms, &f->dim[AN_D_TERM]);
	p->ok_unit = accept(&c->units, &f->dim[AN_D_UNIT]);
	p->ok_commodity = accept(&c->commodities, &f->dim[AN_D_COMMODITY]);
	p->ok_taxon = accept(&c->taxa, &f->dim[AN_D_SPECIES]);
	/* higher taxa: every listed level must hold (AND), any value of one (OR) */
	const struct an_list *levels[] = { &f->taxon, &f->dim[AN_D_GENUS], &f->dim[AN_D_FAMILY],
					   &f->dim[AN_D_ORDER], &f->dim[AN_D_CLASS] };
	for (size_t k = 0; k < 5; k++) {
		const struct an_list *l = levels[k];
		if (!l->n)
			continue;
		if (!p->ok_taxon) {
			p->ok_taxon = xmalloc(c->taxa.n + 1);
			memset(p->ok_taxon, 1, c->taxa.n + 1);
		}
		for (uint32_t t = 0; t < c->taxa.n; t++) {
			const struct taxon *tx = t ? refdata_taxon_by_id(ref, c->taxon_id[t]) : NULL;
			int in = 0;
			for (size_t j = 0; j < l->n && !in; j++)
				in = tx && refdata_taxon_in_group(tx, l->v[j]);
			if (!in)
				p->ok_taxon[t] = 0;
		}
	}
	for (size_t i = 0; i < f->dim[AN_D_WEIGHT_CLASS].n; i++)
		for (int k = 0; k < WC_COUNT; k++)
			if (strcmp(f->dim[AN_D_WEIGHT_CLASS].v[i], analytics_class_keys[k]) == 0)
				p->class_mask |= 1u << k;
	p->item_filter = p->ok_taxon || p->ok_term || p->ok_unit || p->ok_commodity;
	size_t most = c->taxa.n;
	if (c->terms.n > most)
		most = c->terms.n;
	if (c->units.n > most)
		most = c->units.n;
	if (c->commodities.n > most)
		most = c->commodities.n;
	p->ones = xmalloc(most + 1);
	memset(p->ones, 1, most + 1);
	p->it_taxon = p->ok_taxon ? p->ok_taxon : p->ones;
	p->it_term = p->ok_term ? p->ok_term : p->ones;
	p->it_unit = p->ok_unit ? p->ok_unit : p->ones;
	p->it_commodity = p->ok_commodity ? p->ok_commodity : p->ones;
	p->qty_unit = UINT16_MAX;
	if (r->measure == AN_M_QUANTITY && r->unit) {
		uint32_t u = dict_find(&c->units, r->unit);
		p->qty_unit = u == UINT32_MAX ? UINT16_MAX - 1 : (uint16_t)u;
	}
	/* the item filters and the quantity's unit per item kind */
	size_t nk = c->nfactors ? c->nfactors : 1;
	p->ok_kind = xcalloc(nk, 1);
	p->qty_kind = xcalloc(nk, 1);
	for (size_t k = 0; k < c->nfactors; k++) {
		const struct factor *fk = &c->factors[k];
		p->ok_kind[k] = p->it_taxon[fk->taxon] & p->it_term[fk->term] & p->it_unit[fk->unit] &
				p->it_commodity[fk->commodity];
		p->qty_kind[k] = fk->unit == p->qty_unit;
		p->kind_bits |= (uint32_t)p->ok_kind[k] << fk->bit;
	}
	prep_candidates(c, p);
	const char *cur = r->currency ? r->currency : "USD";
	uint32_t ci = dict_find(&c->currencies, cur);
	p->currency_div = ci != UINT32_MAX && ci < c->usd_per_cap ? c->usd_per[ci] : NAN;
	p->currency_mul = 1 / p->currency_div;
	if (isnan(p->currency_div)) {
		prep_free(p);
		return error_field(err, "currency", "no rate for \"%s\" in the rates table", cur);
	}
	return 0;
}

void prep_free(struct prep *p)
{
	uint8_t *all[] = { p->ok_country, p->ok_origin, p->ok_transit, p->ok_destination,
			   p->ok_any_country, p->ok_agency, p->ok_transport, p->ok_detection,
			   p->ok_concealment, p->ok_taxon, p->ok_term, p->ok_unit, p->ok_commodity, p->ones,
			   p->ok_kind, p->qty_kind };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		free(all[i]);
	free(p->cand_owned);
	memset(p, 0, sizeof *p);
}

/* The scan itself is in scan.h (inline in each query). */
