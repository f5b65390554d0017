/* The analytics' columns: built from the store, followed after changes,
 * compacted, and their derived values (weights, equivalents, values) worked
 * out from the conversion and rates tables. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/internal.h"
#include "lib/clock.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"
#include "store/store.h"

/* ---- dictionaries ---- */

void dict_init(struct dict *d)
{
	memset(d, 0, sizeof *d);
	strmap_init(&d->map);
	dict_add(d, "");
}

void dict_free(struct dict *d)
{
	strmap_free(&d->map);
	free(d->names);
	memset(d, 0, sizeof *d);
}

uint32_t dict_add(struct dict *d, const char *name)
{
	if (!name)
		name = "";
	int64_t v;
	if (strmap_get(&d->map, name, &v))
		return (uint32_t)v;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->names = xreallocarray(d->names, d->cap, sizeof *d->names);
	}
	d->names[d->n] = (char *)strmap_put(&d->map, name, d->n);
	return d->n++;
}

uint32_t dict_find(const struct dict *d, const char *name)
{
	int64_t v;
	return strmap_get(&d->map, name ? name : "", &v) ? (uint32_t)v : UINT32_MAX;
}

size_t dict_bytes(const struct dict *d)
{
	size_t b = d->cap * sizeof *d->names;
	for (uint32_t i = 0; i < d->n; i++)
		b += strlen(d->names[i]) + 1 + 24; /* the key and its slot */
	return b;
}

/* ---- dates ---- */

int32_t analytics_day(int y, int m, int d)
{
	/* days from civil (proleptic Gregorian), 1970-01-01 = 0 */
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void analytics_day_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

int32_t day_of(const char *s)
{
	if (!s || strlen(s) < 10)
		return 0;
	return analytics_day((int)strtol(s, NULL, 10), (int)strtol(s + 5, NULL, 10),
			     (int)strtol(s + 8, NULL, 10));
}

/* the dictionaries of a columns, for walking them all */
enum { N_DICTS = 12 };

/* ---- growing the arrays ---- */

#define GROW(arr, cap) ((arr) = xreallocarray((arr), (cap), sizeof *(arr)))

/* Sets the capacity of every per-seizure array to cap exactly. */
static void seizures_resize(struct columns *c, size_t cap)
{
	GROW(c->id, cap); GROW(c->day_from, cap); GROW(c->month, cap); GROW(c->day_to, cap);
	GROW(c->agency, cap); GROW(c->country, cap); GROW(c->transport, cap);
	GROW(c->detection, cap); GROW(c->concealment, cap); GROW(c->flags, cap);
	GROW(c->transit_seq, cap); GROW(c->route_off, cap); GROW(c->norigin, cap);
	GROW(c->ntransit, cap); GROW(c->ndest, cap); GROW(c->lat, cap); GROW(c->lon, cap);
	GROW(c->value_amount, cap); GROW(c->value_currency, cap); GROW(c->value_usd, cap);
	GROW(c->item_off, cap); GROW(c->nitems, cap);
	GROW(c->agg_kg, cap); GROW(c->agg_animals, cap); GROW(c->agg_class_kg, cap);
	GROW(c->agg_unweighed, cap); GROW(c->kmask, cap);
	c->cap = cap;
}

/* Room for want rows; grows by a quarter (little spare capacity: the
 * compaction trims it to the rows). */
static void seizures_reserve(struct columns *c, size_t want)
{
	if (want <= c->cap)
		return;
	size_t cap = c->cap ? c->cap : 1024;
	while (cap < want)
		cap += cap / 4 + 1024;
	seizures_resize(c, cap);
}

static void items_resize(struct columns *c, size_t cap)
{
	GROW(c->taxon, cap); GROW(c->term, cap); GROW(c->unit, cap); GROW(c->quantity, cap);
	GROW(c->kg, cap); GROW(c->animals, cap); GROW(c->rie_kg, cap); GROW(c->kind, cap);
	c->icap = cap;
}

static void items_reserve(struct columns *c, size_t want)
{
	if (want <= c->icap)
		return;
	size_t cap = c->icap ? c->icap : 4096;
	while (cap < want)
		cap += cap / 4 + 4096;
	items_resize(c, cap);
}

static void route_push(struct columns *c, uint16_t v)
{
	if (c->nroute == c->route_cap) {
		c->route_cap = c->route_cap ? c->route_cap * 2 : 4096;
		GROW(c->route, c->route_cap);
	}
	c->route[c->nroute++] = v;
}

/* Adds the codes of a ';'-list to the route pool; returns how many. */
static uint8_t add_countries(struct columns *c, const char *list)
{
	uint8_t n = 0;
	const char *p = list;
	while (p && *p && n < 255) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0 && len < 8) {
			char code[8];
			memcpy(code, p, len);
			code[len] = '\0';
			route_push(c, (uint16_t)dict_add(&c->countries, code));
			n++;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return n;
}

static uint16_t code16(struct dict *d, const char *s)
{
	uint32_t v = dict_add(d, s);
	return v > UINT16_MAX ? 0 : (uint16_t)v;
}

/* ---- loading ---- */

/* An item read, kept until its row's place is known. */
struct pending_item {
	int64_t seizure_id, taxon_id;
	uint16_t term, unit;      /* interned at once: the strings die after the callback */
	double quantity;
};

struct loader {
	struct columns *c;
	/* row by seizure id while loading every item */
	uint32_t *row_of;
	size_t row_of_cap;
	/* items per row, counted then placed */
	uint32_t *count;
	struct pending_item *pending; /* items kept until placed */
	size_t npending, pending_cap;
	struct arena strings;
	int64_t only_id;
};

static void seizure_append(struct columns *c, const struct store_an_seizure *s)
{
	seizures_reserve(c, c->n + 1);
	size_t r = c->n++;
	c->id[r] = s->id;
	c->day_from[r] = day_of(s->date_from);
	c->day_to[r] = day_of(s->date_to);
	int y, m, d;
	analytics_day_ymd(c->day_from[r], &y, &m, &d);
	c->month[r] = y * 12 + m - 1;
	if (c->n == 1 || c->day_from[r] < c->min_day)
		c->min_day = c->day_from[r];
	if (c->n == 1 || c->day_from[r] > c->max_day)
		c->max_day = c->day_from[r];
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)s->agency_id);
	c->agency[r] = code16(&c->agencies, idtext);
	c->country[r] = code16(&c->countries, s->country);
	c->transport[r] = code16(&c->transports, s->transport_mode);
	c->detection[r] = code16(&c->detections, s->detection_method);
	c->concealment[r] = code16(&c->concealments, s->concealment_code);
	c->flags[r] = s->national ? SZ_NATIONAL : 0;
	c->transit_seq[r] = dict_add(&c->transits, s->transit);
	c->route_off[r] = (uint32_t)c->nroute;
	c->norigin[r] = add_countries(c, s->origin);
	c->ntransit[r] = add_countries(c, s->transit);
	c->ndest[r] = add_countries(c, s->destination);
	c->lat[r] = s->has_coords ? (float)s->latitude : NAN;
	c->lon[r] = s->has_coords ? (float)s->longitude : NAN;
	c->value_amount[r] = s->has_value ? s->value_amount : NAN;
	c->value_currency[r] = code16(&c->currencies, s->has_value ? s->value_currency : NULL);
	c->value_usd[r] = NAN;
	c->item_off[r] = (uint32_t)c->ni;
	c->nitems[r] = 0;
}

static int collect_seizure(void *ctx, const struct store_an_seizure *s)
{
	struct loader *l = ctx;
	struct columns *c = l->c;
	seizure_append(c, s);
	if (s->id > 0) {
		if ((size_t)s->id >= l->row_of_cap) {
			size_t cap = l->row_of_cap ? l->row_of_cap : 1024;
			while (cap <= (size_t)s->id)
				cap *= 2;
			l->row_of = xreallocarray(l->row_of, cap, sizeof *l->row_of);
			memset(l->row_of + l->row_of_cap, 0xff, (cap - l->row_of_cap) * sizeof *l->row_of);
			l->row_of_cap = cap;
		}
		l->row_of[s->id] = (uint32_t)(c->n - 1);
	}
	return 0;
}

static void item_set(struct columns *c, size_t i, const struct store_an_item *it)
{
	uint32_t t;
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)it->taxon_id);
	t = dict_add(&c->taxa, idtext);
	if (t >= c->taxon_id_cap) {
		size_t cap = c->taxon_id_cap ? c->taxon_id_cap * 2 : 256;
		while (cap <= t)
			cap *= 2;
		c->taxon_id = xreallocarray(c->taxon_id, cap, sizeof *c->taxon_id);
		c->taxon_id_cap = cap;
	}
	c->taxon_id[t] = it->taxon_id;
	c->taxon[i] = t;
	c->term[i] = code16(&c->terms, it->term);
	c->unit[i] = code16(&c->units, it->unit);
	c->quantity[i] = it->quantity;
	c->kg[i] = c->animals[i] = c->rie_kg[i] = NAN;
	c->kind[i] = 0;           /* set by apply_items */
}

/* Pass over all items: they come in storage order, so they are kept with
 * their row, then placed row by row. */
static int collect_item(void *ctx, const struct store_an_item *it)
{
	struct loader *l = ctx;
	if (it->seizure_id <= 0 || (size_t)it->seizure_id >= l->row_of_cap ||
	    l->row_of[it->seizure_id] == UINT32_MAX)
		return 0; /* not in the snapshot read */
	if (l->npending == l->pending_cap) {
		l->pending_cap = l->pending_cap ? l->pending_cap * 2 : 4096;
		l->pending = xreallocarray(l->pending, l->pending_cap, sizeof *l->pending);
	}
	struct pending_item *p = &l->pending[l->npending++];
	struct columns *c = l->c;
	*p = (struct pending_item){ it->seizure_id, it->taxon_id, code16(&c->terms, it->term),
				    code16(&c->units, it->unit), it->quantity };
	l->count[l->row_of[it->seizure_id]]++;
	return 0;
}

static int by_row_order(const void *a, const void *b, void *ctx)
{
	const struct columns *c = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (c->day_from[x] != c->day_from[y])
		return c->day_from[x] < c->day_from[y] ? -1 : 1;
	return c->id[x] < c->id[y] ? -1 : c->id[x] > c->id[y];
}

/* Gathers every per-seizure array in the order perm (n rows). */
static void gather(struct columns *c, const uint32_t *perm, size_t n)
{
#define GATHER(arr)                                                                   \
	do {                                                                          \
		__typeof__(arr) fresh = xmalloc((n ? n : 1) * sizeof *(arr));          \
		for (size_t k = 0; k < n; k++)                                        \
			fresh[k] = (arr)[perm[k]];                                    \
		free(arr);                                                            \
		(arr) = fresh;                                                        \
	} while (0)
	GATHER(c->id); GATHER(c->day_from); GATHER(c->month); GATHER(c->day_to); GATHER(c->agency);
	GATHER(c->country); GATHER(c->transport); GATHER(c->detection); GATHER(c->concealment);
	GATHER(c->flags); GATHER(c->transit_seq); GATHER(c->route_off); GATHER(c->norigin);
	GATHER(c->ntransit); GATHER(c->ndest); GATHER(c->lat); GATHER(c->lon);
	GATHER(c->value_amount); GATHER(c->value_currency); GATHER(c->value_usd);
	GATHER(c->item_off); GATHER(c->nitems);
	GATHER(c->agg_kg); GATHER(c->agg_animals); GATHER(c->agg_class_kg);
	GATHER(c->agg_unweighed); GATHER(c->kmask);
#undef GATHER
	c->n = n;
	c->cap = n ? n : 1;       /* no spare capacity after a compaction */
	c->nsorted = n;
	c->ndead = 0;
}

/* Rewrites the items (and the route pool) in row order. */
static void items_in_row_order(struct columns *c)
{
	size_t ni = 0, nr = 0;
	for (size_t r = 0; r < c->n; r++) {
		ni += c->nitems[r];
		nr += (size_t)c->norigin[r] + c->ntransit[r] + c->ndest[r];
	}
	struct columns f = { 0 };
	items_resize(&f, ni ? ni : 1);
	uint16_t *route = xmalloc((nr ? nr : 1) * sizeof *route);
	size_t i = 0, q = 0;
	for (size_t r = 0; r < c->n; r++) {
		size_t o = c->item_off[r];
		for (size_t k = 0; k < c->nitems[r]; k++, i++) {
			f.taxon[i] = c->taxon[o + k];
			f.term[i] = c->term[o + k];
			f.unit[i] = c->unit[o + k];
			f.quantity[i] = c->quantity[o + k];
			f.kg[i] = c->kg[o + k];
			f.animals[i] = c->animals[o + k];
			f.rie_kg[i] = c->rie_kg[o + k];
			f.kind[i] = c->kind[o + k];
		}
		c->item_off[r] = (uint32_t)(i - c->nitems[r]);
		size_t len = (size_t)c->norigin[r] + c->ntransit[r] + c->ndest[r];
		if (len)
			memcpy(route + q, c->route + c->route_off[r], len * sizeof *route);
		c->route_off[r] = (uint32_t)q;
		q += len;
	}
	free(c->taxon); free(c->term); free(c->unit); free(c->quantity);
	free(c->kg); free(c->animals); free(c->rie_kg); free(c->kind);
	c->taxon = f.taxon; c->term = f.term; c->unit = f.unit; c->quantity = f.quantity;
	c->kg = f.kg; c->animals = f.animals; c->rie_kg = f.rie_kg; c->kind = f.kind;
	c->ni = ni;
	c->icap = f.icap;
	free(c->route);
	c->route = route;
	c->nroute = q;
	c->route_cap = nr ? nr : 1;
}

/* The distinct values of dimension dim (POST_*) of row r into out; how many. */
static size_t row_values(const struct columns *c, int dim, size_t r, uint16_t *out)
{
	switch (dim) {
	case POST_COUNTRY: out[0] = c->country[r]; return 1;
	case POST_TRANSPORT: out[0] = c->transport[r]; return 1;
	case POST_AGENCY: out[0] = c->agency[r]; return 1;
	default: break;
	}
	const uint16_t *codes = c->route + c->route_off[r];
	size_t n = c->norigin[r];
	if (dim == POST_DESTINATION) {
		codes += n + c->ntransit[r];
		n = c->ndest[r];
	}
	if (!n) {
		out[0] = 0;
		return 1;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < k && out[j] != codes[i])
			j++;
		if (j == k)
			out[k++] = codes[i];
	}
	return k;
}

static void postings_free(struct columns *c)
{
	for (int d = 0; d < POST_N; d++) {
		free(c->post[d].off);
		free(c->post[d].rows);
		memset(&c->post[d], 0, sizeof c->post[d]);
	}
}

/* The posting lists of every sorted row (a counting sort per dimension). */
static void postings_build(struct columns *c)
{
	postings_free(c);
	const size_t nvals[POST_N] = { c->countries.n, c->countries.n, c->countries.n,
				       c->transports.n, c->agencies.n };
	uint16_t vals[256];
	for (int d = 0; d < POST_N; d++) {
		struct posting *pt = &c->post[d];
		pt->nvals = nvals[d];
		pt->off = xcalloc(pt->nvals + 1, sizeof *pt->off);
		size_t total = 0;
		for (size_t r = 0; r < c->nsorted; r++) {
			size_t k = row_values(c, d, r, vals);
			for (size_t j = 0; j < k; j++)
				if (vals[j] < pt->nvals)
					pt->off[vals[j] + 1]++, total++;
		}
		for (size_t v = 0; v < pt->nvals; v++)
			pt->off[v + 1] += pt->off[v];
		pt->rows = xmalloc((total ? total : 1) * sizeof *pt->rows);
		uint32_t *next = xmalloc((pt->nvals ? pt->nvals : 1) * sizeof *next);
		if (pt->nvals)
			memcpy(next, pt->off, pt->nvals * sizeof *next);
		for (size_t r = 0; r < c->nsorted; r++) {
			size_t k = row_values(c, d, r, vals);
			for (size_t j = 0; j < k; j++)
				if (vals[j] < pt->nvals)
					pt->rows[next[vals[j]]++] = (uint32_t)r;
		}
		free(next);
	}
}

void columns_compact(struct columns *c)
{
	uint32_t *perm = xmalloc((c->n ? c->n : 1) * sizeof *perm);
	size_t n = 0;
	for (size_t r = 0; r < c->n; r++)
		if (!(c->flags[r] & SZ_DEAD))
			perm[n++] = (uint32_t)r;
	qsort_r(perm, n, sizeof *perm, by_row_order, c);
	gather(c, perm, n);
	free(perm);
	items_in_row_order(c);
	postings_build(c);
}

static void columns_init(struct columns *c)
{
	memset(c, 0, sizeof *c);
	struct dict *ds[] = { &c->countries, &c->agencies, &c->transports, &c->detections,
			      &c->concealments, &c->taxa, &c->terms, &c->units, &c->currencies,
			      &c->transits, &c->commodities, &c->kind_keys };
	for (size_t i = 0; i < N_DICTS; i++)
		dict_init(ds[i]);
	arena_init(&c->conv_arena);
	seizures_reserve(c, 1);
	items_reserve(c, 1);
}

void columns_free(struct columns *c)
{
	if (!c)
		return;
	void *arrays[] = { c->id, c->day_from, c->month, c->day_to, c->agency, c->country, c->transport,
			   c->detection, c->concealment, c->flags, c->transit_seq, c->route_off,
			   c->norigin, c->ntransit, c->ndest, c->lat, c->lon, c->value_amount,
			   c->value_currency, c->value_usd, c->item_off, c->nitems, c->route,
			   c->agg_kg, c->agg_animals, c->agg_class_kg, c->agg_unweighed, c->kmask,
			   c->taxon, c->term, c->unit, c->quantity, c->kg, c->animals, c->rie_kg,
			   c->kind, c->taxon_id, c->usd_per, c->factors };
	for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
		free(arrays[i]);
	struct dict *ds[] = { &c->countries, &c->agencies, &c->transports, &c->detections,
			      &c->concealments, &c->taxa, &c->terms, &c->units, &c->currencies,
			      &c->transits, &c->commodities, &c->kind_keys };
	for (size_t i = 0; i < N_DICTS; i++)
		dict_free(ds[i]);
	arena_free(&c->conv_arena);
	free(c->fcache_key);
	free(c->fcache_val);
	postings_free(c);
	free(c);
}

struct columns *columns_load(struct store *st, const struct refdata *ref, struct error *err)
{
	struct columns *c = xmalloc(sizeof *c);
	columns_init(c);
	struct loader l = { .c = c };
	if (store_seizure_generation(st, &c->generation, err) != 0 ||
	    store_audit_max_id(st, &c->last_audit, err) != 0 ||
	    store_analytics_seizures(st, 0, collect_seizure, &l, err) != 0)
		goto fail;
	l.count = xcalloc(c->n ? c->n : 1, sizeof *l.count);
	if (store_analytics_items(st, 0, collect_item, &l, err) != 0)
		goto fail;
	/* place the items: each row's items contiguous, in the order read */
	size_t total = 0;
	for (size_t r = 0; r < c->n; r++) {
		c->item_off[r] = (uint32_t)total;
		total += l.count[r];
		c->nitems[r] = 0;
	}
	items_reserve(c, total ? total : 1);
	for (size_t k = 0; k < l.npending; k++) {
		const struct pending_item *it = &l.pending[k];
		uint32_t r = l.row_of[it->seizure_id];
		size_t i = c->item_off[r] + c->nitems[r]++;
		struct store_an_item named = { it->seizure_id, it->taxon_id, c->terms.names[it->term],
					       c->units.names[it->unit], it->quantity };
		item_set(c, i, &named);
	}
	c->ni = total;
	free(l.pending);
	l.pending = NULL;
	free(l.count);
	l.count = NULL;
	free(l.row_of);
	l.row_of = NULL;
	if (columns_read_factors(c, st, err) != 0)
		goto fail;
	columns_compact(c);
	columns_apply_factors(c, ref);
	return c;
fail:
	free(l.pending);
	free(l.count);
	free(l.row_of);
	columns_free(c);
	return NULL;
}

/* ---- one seizure again ---- */

static void apply_items(struct columns *c, const struct refdata *ref, size_t i0, size_t i1);
static void apply_values(struct columns *c, size_t r0, size_t r1);

struct one {
	struct columns *c;
	int found;
};

static int one_seizure(void *ctx, const struct store_an_seizure *s)
{
	struct one *o = ctx;
	seizure_append(o->c, s);
	o->found = 1;
	return 0;
}

static int one_item(void *ctx, const struct store_an_item *it)
{
	struct columns *c = ctx;
	items_reserve(c, c->ni + 1);
	item_set(c, c->ni++, it);
	c->nitems[c->n - 1]++;
	return 0;
}

int columns_reload_one(struct columns *c, struct store *st, const struct refdata *ref, int64_t id,
		       struct error *err)
{
	for (size_t r = 0; r < c->n; r++)
		if (c->id[r] == id && !(c->flags[r] & SZ_DEAD)) {
			c->flags[r] |= SZ_DEAD;
			c->ndead++;
		}
	struct one o = { c, 0 };
	size_t first_item = c->ni;
	if (store_analytics_seizures(st, id, one_seizure, &o, err) != 0)
		return -1;
	if (o.found) {
		c->item_off[c->n - 1] = (uint32_t)c->ni;
		if (store_analytics_items(st, id, one_item, c, err) != 0) {
			c->flags[c->n - 1] |= SZ_DEAD;
			c->ndead++;
			return -1;
		}
		apply_items(c, ref, first_item, c->ni);
		apply_values(c, c->n - 1, c->n);
	}
	return 0;
}

size_t columns_bytes(const struct columns *c)
{
	size_t per_seizure = sizeof(int64_t) + 3 * sizeof(int32_t) + 6 * sizeof(uint16_t) + 1 +
			     3 * sizeof(float) +
			     sizeof(uint32_t) * 2 + 3 + 2 * sizeof(float) + 2 * sizeof(double) +
			     sizeof(uint16_t) + sizeof(uint32_t) + sizeof(uint16_t) +
			     sizeof(uint32_t) /* kmask */;
	size_t per_item = sizeof(uint32_t) + 2 * sizeof(uint16_t) + sizeof(double) +
			  3 * sizeof(float) + sizeof(uint32_t);
	size_t b = c->cap * per_seizure + c->icap * per_item + c->route_cap * sizeof(uint16_t);
	const struct dict *ds[] = { &c->countries, &c->agencies, &c->transports, &c->detections,
				    &c->concealments, &c->taxa, &c->terms, &c->units, &c->currencies,
				    &c->transits, &c->commodities, &c->kind_keys };
	for (size_t i = 0; i < N_DICTS; i++)
		b += dict_bytes(ds[i]);
	for (int d = 0; d < POST_N; d++)
		if (c->post[d].off)
			b += (c->post[d].nvals + 1 + c->post[d].off[c->post[d].nvals]) * sizeof(uint32_t);
	b += c->taxon_id_cap * sizeof(int64_t) + c->factors_cap * sizeof(struct factor) +
	     c->fcache_cap * (sizeof(uint64_t) + sizeof(uint32_t));
	return b;
}

/* ---- factors ---- */

double unit_kg(const char *unit)
{
	static const struct {
		const char *code;
		double kg;
	} units[] = { { "KIL", 1 }, { "GRM", 1e-3 }, { "MGM", 1e-6 }, { "MYG", 1e-9 },
		      { "TON", 1000 }, { "PND", 0.45359237 }, { "OUN", 0.028349523125 } };
	for (size_t i = 0; unit && i < sizeof units / sizeof *units; i++)
		if (strcmp(unit, units[i].code) == 0)
			return units[i].kg;
	return 0;
}

int columns_read_factors(struct columns *c, struct store *st, struct error *err)
{
	struct arena a;
	arena_init(&a);
	struct an_conversion *conv;
	size_t nconv;
	struct an_rate *rates;
	size_t nrates;
	if (store_conversion_list(st, &conv, &nconv, &a, err) != 0 ||
	    store_rate_list(st, &rates, &nrates, &a, err) != 0) {
		arena_free(&a);
		return -1;
	}
	arena_free(&c->conv_arena);
	c->conv_arena = a;
	c->conv = conv;
	c->nconv = nconv;
	c->usd_per_cap = 0;
	free(c->usd_per);
	c->usd_per = NULL;
	for (size_t i = 0; i < nrates; i++)
		dict_add(&c->currencies, rates[i].currency);
	dict_add(&c->currencies, "USD");
	c->usd_per_cap = c->currencies.n + 64;
	c->usd_per = xmalloc(c->usd_per_cap * sizeof *c->usd_per);
	for (size_t i = 0; i < c->usd_per_cap; i++)
		c->usd_per[i] = NAN;
	c->usd_per[dict_find(&c->currencies, "USD")] = 1;
	for (size_t i = 0; i < nrates; i++)
		c->usd_per[dict_find(&c->currencies, rates[i].currency)] = rates[i].usd_per_unit;
	/* the cache of resolved factors is for the old table */
	if (c->fcache_val)
		memset(c->fcache_val, 0xff, c->fcache_cap * sizeof *c->fcache_val);
	c->nfactors = 0;
	return 0;
}

/* How closely a conversion row's taxon names t: 0 the taxon itself, 1 its
 * genus, 2 family, 3 order, 4 class; -1 not at all. */
static int taxon_rank_match(const struct taxon *t, const char *name)
{
	if (!t || !name)
		return -1;
	if (strcmp(t->full_name, name) == 0)
		return 0;
	const char *levels[] = { t->genus, t->family, t->order_name, t->class_name };
	for (int i = 0; i < 4; i++)
		if (levels[i] && strcmp(levels[i], name) == 0)
			return i + 1;
	/* a species named by its binomial matches its subspecies */
	size_t len = strlen(name);
	if (strncmp(t->full_name, name, len) == 0 && t->full_name[len] == ' ')
		return 0;
	return -1;
}

/* The best row for (taxon, term, unit); NULL if none. */
static const struct an_conversion *best_row(const struct columns *c, const struct taxon *t,
					    const char *term, const char *unit)
{
	const struct an_conversion *best = NULL;
	int best_rank = 99;
	for (size_t i = 0; i < c->nconv; i++) {
		const struct an_conversion *v = &c->conv[i];
		if (strcmp(v->term, term) != 0 || strcmp(v->unit, unit) != 0)
			continue;
		int rank = taxon_rank_match(t, v->taxon);
		if (rank >= 0 && rank < best_rank) {
			best = v;
			best_rank = rank;
		}
	}
	return best;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* The factor slot for key in the cache (a power-of-two open table). */
static uint32_t *cache_slot(struct columns *c, uint64_t key)
{
	if ((c->nfactors + 1) * 2 > c->fcache_cap) {
		size_t cap = c->fcache_cap ? c->fcache_cap * 2 : 1024;
		uint64_t *keys = xmalloc(cap * sizeof *keys);
		uint32_t *vals = xmalloc(cap * sizeof *vals);
		memset(vals, 0xff, cap * sizeof *vals);
		for (size_t i = 0; i < c->fcache_cap; i++) {
			if (c->fcache_val[i] == UINT32_MAX)
				continue;
			size_t h = mix(c->fcache_key[i]) & (cap - 1);
			while (vals[h] != UINT32_MAX)
				h = (h + 1) & (cap - 1);
			keys[h] = c->fcache_key[i];
			vals[h] = c->fcache_val[i];
		}
		free(c->fcache_key);
		free(c->fcache_val);
		c->fcache_key = keys;
		c->fcache_val = vals;
		c->fcache_cap = cap;
	}
	size_t h = mix(key) & (c->fcache_cap - 1);
	while (c->fcache_val[h] != UINT32_MAX && c->fcache_key[h] != key)
		h = (h + 1) & (c->fcache_cap - 1);
	c->fcache_key[h] = key;
	return &c->fcache_val[h];
}

static const struct factor *factor_for(struct columns *c, const struct refdata *ref,
				       uint32_t taxon, uint16_t term, uint16_t unit)
{
	uint64_t key = (uint64_t)taxon << 32 | (uint64_t)term << 16 | unit;
	uint32_t *slot = cache_slot(c, key);
	if (*slot != UINT32_MAX)
		return &c->factors[*slot];
	if (c->nfactors == c->factors_cap) {
		c->factors_cap = c->factors_cap ? c->factors_cap * 2 : 256;
		c->factors = xreallocarray(c->factors, c->factors_cap, sizeof *c->factors);
	}
	struct factor *f = &c->factors[c->nfactors];
	*f = (struct factor){ NAN, NAN, NAN, 1, 0, taxon, term, unit, 0 };
	const struct taxon *t = ref ? refdata_taxon_by_id(ref, c->taxon_id[taxon]) : NULL;
	const char *term_code = c->terms.names[term], *unit_code = c->units.names[unit];
	double per_kg = unit_kg(unit_code);
	const struct an_conversion *row =
		best_row(c, t, term_code, per_kg > 0 ? "KIL" : unit_code);
	if (per_kg > 0) {
		f->kg_per_unit = per_kg;
		if (row) {
			f->animals_per_kg = row->animals_per_unit;
			if (!isnan(row->rie_factor))
				f->rie = row->rie_factor;
		}
	} else if (row) {
		f->kg_per_unit = row->kg_per_unit;
		f->animals_per_unit = row->animals_per_unit;
		if (!isnan(row->rie_factor))
			f->rie = row->rie_factor;
	}
	if (row)
		f->commodity = code16(&c->commodities, row->commodity);
	/* its bit: of its taxon's family (the taxon itself when it has none)
	 * and its term, in the order first met (a few dozen in practice) */
	const char *fam = t && t->family && *t->family ? t->family : c->taxa.names[taxon];
	char kkey[160];
	snprintf(kkey, sizeof kkey, "%s\t%s", fam, term_code);
	f->bit = (uint8_t)((dict_add(&c->kind_keys, kkey) - 1) & 31);
	*slot = (uint32_t)c->nfactors;
	return &c->factors[c->nfactors++];
}

static void apply_items(struct columns *c, const struct refdata *ref, size_t i0, size_t i1)
{
	for (size_t i = i0; i < i1; i++) {
		const struct factor *f = factor_for(c, ref, c->taxon[i], c->term[i], c->unit[i]);
		double kg = c->quantity[i] * f->kg_per_unit;
		double animals = !isnan(f->animals_per_kg) ? kg * f->animals_per_kg
							   : c->quantity[i] * f->animals_per_unit;
		c->kg[i] = (float)kg;
		c->animals[i] = (float)animals;
		c->rie_kg[i] = (float)(kg * f->rie);
		c->kind[i] = (uint32_t)(f - c->factors);
	}
}

static void apply_values(struct columns *c, size_t r0, size_t r1)
{
	for (size_t r = r0; r < r1; r++) {
		double kg = 0, animals = 0, class_kg = 0;
		int weighed = 0;
		uint16_t unweighed = 0;
		uint32_t kmask = 0;
		for (size_t i = c->item_off[r]; i < c->item_off[r] + c->nitems[r]; i++) {
			kmask |= (uint32_t)1 << c->factors[c->kind[i]].bit;
			if (c->kg[i] == c->kg[i]) {
				kg += c->kg[i];
				class_kg += c->rie_kg[i];
				weighed = 1;
			} else {
				unweighed++;
			}
			if (c->animals[i] == c->animals[i])
				animals += c->animals[i];
		}
		c->agg_kg[r] = (float)kg;
		c->agg_animals[r] = (float)animals;
		c->agg_class_kg[r] = weighed ? (float)class_kg : NAN;
		c->agg_unweighed[r] = unweighed;
		c->kmask[r] = kmask;
		uint16_t cur = c->value_currency[r];
		double per = cur < c->usd_per_cap ? c->usd_per[cur] : NAN;
		c->value_usd[r] = c->value_amount[r] * per;
	}
}

void columns_apply_factors(struct columns *c, const struct refdata *ref)
{
	apply_items(c, ref, 0, c->ni);
	apply_values(c, 0, c->n);
}

/* ---- the shared object ---- */

struct analytics *analytics_build(struct store *st, const struct refdata *ref,
				  struct error *err)
{
	int64_t t0 = clock_ms();
	struct columns *c = columns_load(st, ref, err);
	if (!c)
		return NULL;
	struct analytics *an = xcalloc(1, sizeof *an);
	pthread_rwlock_init(&an->lock, NULL);
	an->c = c;
	an->ref = ref;
	an->build_ms = (double)(clock_ms() - t0);
	an->split_min = SCAN_SPLIT_MIN_DEFAULT;
	return an;
}

void analytics_set_split(struct analytics *an, size_t min_rows)
{
	pthread_rwlock_wrlock(&an->lock);
	an->split_min = min_rows;
	pthread_rwlock_unlock(&an->lock);
}

void analytics_free(struct analytics *an)
{
	if (!an)
		return;
	columns_free(an->c);
	pthread_rwlock_destroy(&an->lock);
	free(an);
}

enum { SYNC_MAX_CHANGES = 2048 };

static int rebuild(struct analytics *an, struct store *st, const struct refdata *ref,
		   struct error *err)
{
	int64_t t0 = clock_ms();
	struct columns *fresh = columns_load(st, ref, err);
	if (!fresh)
		return -1;
	pthread_rwlock_wrlock(&an->lock);
	struct columns *old = an->c;
	an->c = fresh;
	an->ref = ref;
	an->build_ms = (double)(clock_ms() - t0);
	pthread_rwlock_unlock(&an->lock);
	columns_free(old);
	return 0;
}

int analytics_sync(struct analytics *an, struct store *st, const struct refdata *ref,
		   struct error *err)
{
	int64_t gen;
	if (store_seizure_generation(st, &gen, err) != 0)
		return -1;
	pthread_rwlock_rdlock(&an->lock);
	int current = an->c->generation == gen;
	int64_t after = an->c->last_audit;
	pthread_rwlock_unlock(&an->lock);
	if (current)
		return 0;
	struct arena a;
	arena_init(&a);
	int64_t *ids, last;
	size_t n;
	int rc = store_seizure_changed_since(st, after, SYNC_MAX_CHANGES, &ids, &n, &last, &a, err);
	if (rc == 0 && n > SYNC_MAX_CHANGES) {
		rc = rebuild(an, st, ref, err);
	} else if (rc == 0) {
		pthread_rwlock_wrlock(&an->lock);
		struct columns *c = an->c;
		an->ref = ref;
		if (c->last_audit == after) {
			for (size_t i = 0; i < n && rc == 0; i++)
				rc = columns_reload_one(c, st, ref, ids[i], err);
			if (rc == 0) {
				c->generation = gen;
				c->last_audit = last;
				if (c->n - c->nsorted > 4096 || c->ndead > c->n / 8)
					columns_compact(c);
			}
		}
		pthread_rwlock_unlock(&an->lock);
		if (rc != 0) { /* the columns may be half changed: start again */
			struct error e2 = ERROR_INIT;
			if (rebuild(an, st, ref, &e2) == 0)
				rc = 0, error_clear(err);
			error_clear(&e2);
		}
	}
	arena_free(&a);
	return rc;
}

int analytics_refresh(struct analytics *an, struct store *st, const struct refdata *ref,
		      int64_t id, struct error *err)
{
	(void)id; /* the audit log names what changed */
	return analytics_sync(an, st, ref, err);
}

int analytics_reload_factors(struct analytics *an, struct store *st, struct error *err)
{
	pthread_rwlock_wrlock(&an->lock);
	int rc = columns_read_factors(an->c, st, err);
	if (rc == 0)
		columns_apply_factors(an->c, an->ref);
	pthread_rwlock_unlock(&an->lock);
	return rc;
}

void analytics_memory(struct analytics *an, struct analytics_memory *out)
{
	pthread_rwlock_rdlock(&an->lock);
	const struct columns *c = an->c;
	out->seizures = c->n - c->ndead;
	out->items = 0;
	for (size_t r = 0; r < c->n; r++)
		if (!(c->flags[r] & SZ_DEAD))
			out->items += c->nitems[r];
	out->bytes = columns_bytes(c);
	out->generation = c->generation;
	out->build_ms = an->build_ms;
	pthread_rwlock_unlock(&an->lock);
}
