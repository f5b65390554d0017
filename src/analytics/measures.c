/* Breakdowns, series, summary, indices and map data from one scan of the
 * columns (see query.c for the scan and the filters). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/internal.h"
#include "analytics/scan.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"

/* ---- groups of a dimension ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The time bucket of a day / month for a grain. */
static int64_t bucket_of(const struct columns *c, size_t r, enum an_dim grain)
{
	switch (grain) {
	case AN_D_DAY: return c->day_from[r];
	case AN_D_WEEK: return floor_div((int64_t)c->day_from[r] + 3, 7); /* Monday-based */
	case AN_D_MONTH: return c->month[r];
	case AN_D_QUARTER: return floor_div(c->month[r], 3);
	default: return floor_div(c->month[r], 12);
	}
}

static int64_t bucket_of_day(int32_t day, enum an_dim grain)
{
	int y, m, d;
	analytics_day_ymd(day, &y, &m, &d);
	int64_t month = (int64_t)y * 12 + m - 1;
	switch (grain) {
	case AN_D_DAY: return day;
	case AN_D_WEEK: return floor_div((int64_t)day + 3, 7);
	case AN_D_MONTH: return month;
	case AN_D_QUARTER: return floor_div(month, 3);
	default: return floor_div(month, 12);
	}
}

/* First day of a bucket, and its label. */
static int32_t bucket_start(int64_t b, enum an_dim grain)
{
	switch (grain) {
	case AN_D_DAY: return (int32_t)b;
	case AN_D_WEEK: return (int32_t)(b * 7 - 3);
	case AN_D_MONTH: return analytics_day((int)floor_div(b, 12), (int)(b - floor_div(b, 12) * 12) + 1, 1);
	case AN_D_QUARTER: return analytics_day((int)floor_div(b, 4), (int)(b - floor_div(b, 4) * 4) * 3 + 1, 1);
	default: return analytics_day((int)b, 1, 1);
	}
}

static const char *bucket_label(struct arena *a, int64_t b, enum an_dim grain)
{
	int y, m, d;
	int32_t start = bucket_start(b, grain);
	analytics_day_ymd(start, &y, &m, &d);
	switch (grain) {
	case AN_D_DAY: return arena_sprintf(a, "%04d-%02d-%02d", y, m, d);
	case AN_D_WEEK: {
		/* ISO week: the year and week of the week's Thursday */
		int ty, tm, td;
		analytics_day_ymd(start + 3, &ty, &tm, &td);
		int week = (start + 3 - analytics_day(ty, 1, 1)) / 7 + 1;
		return arena_sprintf(a, "%04d-W%02d", ty, week);
	}
	case AN_D_MONTH: return arena_sprintf(a, "%04d-%02d", y, m);
	case AN_D_QUARTER: return arena_sprintf(a, "%04d-Q%d", y, (m - 1) / 3 + 1);
	default: return arena_sprintf(a, "%04d", y);
	}
}

/* How a match falls into the groups of a dimension. */
struct dimmap {
	enum an_dim d;
	const struct prep *p;
	int64_t base;             /* time: the first bucket */
	uint32_t *taxon_group;    /* genus..class: taxon index -> group index */
	struct dict groups;       /* genus..class names */
	uint32_t *kind_group;     /* item dimensions: item kind -> group index */
	uint8_t *kind_qty;        /* item dimensions: 1 when the kind's quantity is
				     summed (its unit is the request's; any unit
				     when grouping by unit) */
};

static uint32_t factor_group(const struct dimmap *dm, const struct factor *f)
{
	switch (dm->d) {
	case AN_D_SPECIES: return f->taxon;
	case AN_D_GENUS: case AN_D_FAMILY: case AN_D_ORDER: case AN_D_CLASS:
		return dm->taxon_group[f->taxon];
	case AN_D_TERM: return f->term;
	case AN_D_UNIT: return f->unit;
	default: return f->commodity;
	}
}

typedef void (*group_fn)(void *ctx, uint32_t g, const struct an_cell *part);

static void dimmap_init(struct dimmap *dm, const struct columns *c, const struct refdata *ref,
			const struct prep *p, enum an_dim d)
{
	memset(dm, 0, sizeof *dm);
	dm->d = d;
	dm->p = p;
	if (d >= AN_D_DAY && d <= AN_D_YEAR)
		dm->base = bucket_of_day(c->min_day, d);
	if (d >= AN_D_GENUS && d <= AN_D_CLASS) {
		dict_init(&dm->groups);
		dm->taxon_group = xcalloc(c->taxa.n + 1, sizeof *dm->taxon_group);
		for (uint32_t t = 1; t < c->taxa.n; t++) {
			const struct taxon *tx = refdata_taxon_by_id(ref, c->taxon_id[t]);
			const char *name = NULL;
			if (tx)
				name = d == AN_D_GENUS ? tx->genus : d == AN_D_FAMILY ? tx->family
						     : d == AN_D_ORDER		? tx->order_name
										: tx->class_name;
			dm->taxon_group[t] = dict_add(&dm->groups, name);
		}
	}
	if (analytics_dim_is_item(d)) {
		size_t nk = c->nfactors ? c->nfactors : 1;
		dm->kind_group = xcalloc(nk, sizeof *dm->kind_group);
		dm->kind_qty = xcalloc(nk, 1);
		for (size_t k = 0; k < c->nfactors; k++) {
			dm->kind_group[k] = factor_group(dm, &c->factors[k]);
			dm->kind_qty[k] = d == AN_D_UNIT || p->qty_kind[k];
		}
	}
}

static void dimmap_free(struct dimmap *dm)
{
	if (dm->taxon_group) {
		free(dm->taxon_group);
		dict_free(&dm->groups);
	}
	free(dm->kind_group);
	free(dm->kind_qty);
}

/* Number of groups of the dimension (time: buckets from min to max day). */
static size_t dim_size(const struct dimmap *dm, const struct columns *c)
{
	enum an_dim d = dm->d;
	if (d >= AN_D_DAY && d <= AN_D_YEAR)
		return (size_t)(bucket_of_day(c->max_day, d) - dm->base + 1);
	if (d >= AN_D_GENUS && d <= AN_D_CLASS)
		return dm->groups.n;
	if (d == AN_D_WEIGHT_CLASS)
		return WC_COUNT;
	if (d == AN_D_NONE)
		return 1;
	return dim_dict(c, d)->n;
}

static const char *group_key(const struct dimmap *dm, const struct columns *c, uint32_t g,
			     struct arena *a)
{
	enum an_dim d = dm->d;
	if (d >= AN_D_DAY && d <= AN_D_YEAR)
		return bucket_label(a, dm->base + g, d);
	if (d >= AN_D_GENUS && d <= AN_D_CLASS)
		return dm->groups.names[g];
	if (d == AN_D_WEIGHT_CLASS)
		return analytics_class_keys[g];
	if (d == AN_D_NONE)
		return "all";
	return dim_dict(c, d)->names[g];
}

struct part {
	uint32_t g;
	struct an_cell cell;
};

static uint32_t item_group(const struct dimmap *dm, const struct columns *c, size_t i)
{
	return dm->kind_group[c->kind[i]];
}

SCAN_INLINE void each_group(const struct dimmap *dm, const struct columns *c, const struct match *m,
		       group_fn fn, void *ctx)
{
	size_t r = m->s;
	enum an_dim d = dm->d;
	switch (d) {
	case AN_D_NONE: fn(ctx, 0, &m->cell); return;
	case AN_D_DAY: case AN_D_WEEK: case AN_D_MONTH: case AN_D_QUARTER: case AN_D_YEAR:
		fn(ctx, (uint32_t)(bucket_of(c, r, d) - dm->base), &m->cell);
		return;
	case AN_D_COUNTRY: fn(ctx, c->country[r], &m->cell); return;
	case AN_D_AGENCY: fn(ctx, c->agency[r], &m->cell); return;
	case AN_D_TRANSPORT: fn(ctx, c->transport[r], &m->cell); return;
	case AN_D_DETECTION: fn(ctx, c->detection[r], &m->cell); return;
	case AN_D_CONCEALMENT: fn(ctx, c->concealment[r], &m->cell); return;
	case AN_D_WEIGHT_CLASS: fn(ctx, (uint32_t)m->wclass, &m->cell); return;
	case AN_D_ORIGIN: case AN_D_TRANSIT: case AN_D_DESTINATION: {
		const uint16_t *codes = c->route + c->route_off[r];
		size_t n = c->norigin[r];
		if (d != AN_D_ORIGIN) {
			codes += n;
			n = c->ntransit[r];
		}
		if (d == AN_D_DESTINATION) {
			codes += n;
			n = c->ndest[r];
		}
		if (!n)
			fn(ctx, 0, &m->cell);
		for (size_t k = 0; k < n; k++) {
			int dup = 0;
			for (size_t j = 0; j < k && !dup; j++)
				dup = codes[j] == codes[k];
			if (!dup)
				fn(ctx, codes[k], &m->cell);
		}
		return;
	}
	default: break;
	}
	/* item dimensions: the seizure's matching items summed per group */
	struct part local[16];
	struct part *parts = m->nitems <= 16 ? local : xmalloc(m->nitems * sizeof *parts);
	size_t np = 0;
	for (size_t k = 0; k < m->nitems; k++) {
		size_t i = m->items ? m->items[k] : m->item_off + k;
		uint32_t g = item_group(dm, c, i);
		size_t j = 0;
		while (j < np && parts[j].g != g)
			j++;
		if (j == np) {
			memset(&parts[np], 0, sizeof parts[np]);
			parts[np++].g = g;
		}
		struct an_cell *pc = &parts[j].cell;
		pc->items += 1;
		if (dm->kind_qty[c->kind[i]])
			pc->quantity += c->quantity[i];
		float kg = c->kg[i], an = c->animals[i];
		if (kg == kg)
			pc->weight_kg += kg;
		else
			pc->items_unweighed += 1;
		if (an == an)
			pc->animals += an;
	}
	for (size_t j = 0; j < np; j++) {
		parts[j].cell.seizures = 1;
		parts[j].cell.value = m->cell.value;
		parts[j].cell.seizures_valued = m->cell.seizures_valued;
		fn(ctx, parts[j].g, &parts[j].cell);
	}
	if (parts != local)
		free(parts);
}

/* ---- accumulating cells per group ---- */

struct acc {
	const struct dimmap *dm;
	struct an_cell *cells;
	size_t ncells;
	uint32_t *stamp;          /* item dimensions: the last seizure counted per group */
	uint32_t tick;
	struct an_cell total;
	int32_t first_day, last_day;
	int any;
};

SCAN_INLINE void acc_group(void *ctx, uint32_t g, const struct an_cell *part)
{
	struct acc *a = ctx;
	if (g < a->ncells)
		cell_add(&a->cells[g], part);
}

/* One item into the cell of its group (q: its quantity, +0.0 when not
 * summed), the seizure (value, valued) once per group (stamp); without
 * branches: what does not count adds +0.0, leaving the sums as they were. */
static inline __attribute__((always_inline)) void acc_one(struct an_cell *cl, uint32_t *stamp,
							   uint32_t tick, float kg, float an,
							   double q, double value, double valued)
{
	unsigned w = kg == kg, fresh = *stamp != tick;
	*stamp = tick;
	cl->items += 1;
	cl->quantity += q;
	cl->weight_kg += scan_keep(kg, w);
	cl->items_unweighed += (double)!w;
	cl->animals += scan_keep(an, an == an);
	cl->seizures += (double)fresh;
	cl->value += scan_keep(value, fresh);
	cl->seizures_valued += scan_keep(valued, fresh);
}

/* Item dimensions, added straight into the groups: each item into its
 * group, the seizure (and its value) once per group it reaches. */
SCAN_INLINE void acc_items(struct acc *a, const struct columns *c, const struct match *m)
{
	const struct dimmap *dm = a->dm;
	uint32_t tick = ++a->tick;
	const uint32_t *kind = c->kind, *grp = dm->kind_group;
	const uint8_t *kq = dm->kind_qty;
	const float *kgs = c->kg, *ans = c->animals;
	const double *qs = c->quantity;
	int want_qty = dm->d == AN_D_UNIT || dm->p->qty_unit != UINT16_MAX;
	double value = m->cell.value, valued = m->cell.seizures_valued;
	for (size_t k = 0; k < m->nitems; k++) {
		size_t i = m->items ? m->items[k] : m->item_off + k;
		uint32_t kd = kind[i], g = grp[kd];
		if (g >= a->ncells)
			continue;
		acc_one(&a->cells[g], &a->stamp[g], tick, kgs[i], ans[i],
			want_qty ? scan_keep(qs[i], kq[kd]) : 0.0, value, valued);
	}
}

/* The summary's units (u) and commodities (k) over every item of the
 * seizure (no item filter), in one pass: each cell gets the same additions
 * in the same order as acc_items on each would give it.  Commodity 0 (none)
 * is summed too, into a cell the summary then clears. */
SCAN_INLINE void acc_units_commodities(struct acc *u, struct acc *k, const struct columns *c,
				  const struct match *m)
{
	uint32_t tu = ++u->tick, tk = ++k->tick;
	const uint32_t *kind = c->kind, *ug = u->dm->kind_group, *kg_ = k->dm->kind_group;
	const uint8_t *kq = k->dm->kind_qty;
	const float *kgs = c->kg, *ans = c->animals;
	const double *qs = c->quantity;
	double value = m->cell.value, valued = m->cell.seizures_valued;
	size_t i0 = m->item_off, i1 = m->item_off + m->nitems;
	for (size_t i = i0; i < i1; i++) {
		float kg = kgs[i], an = ans[i];
		double q = qs[i];
		uint32_t kd = kind[i], gu = ug[kd], gk = kg_[kd];
		if (gu < u->ncells)
			acc_one(&u->cells[gu], &u->stamp[gu], tu, kg, an, q, value, valued);
		if (gk < k->ncells)
			acc_one(&k->cells[gk], &k->stamp[gk], tk, kg, an, scan_keep(q, kq[kd]), value,
				valued);
	}
}

/* Prepares acc for its dimension (the stamps of item dimensions). */
static void acc_init(struct acc *a)
{
	a->cells = scan_calloc(a->ncells ? a->ncells : 1, sizeof *a->cells);
	a->stamp = analytics_dim_is_item(a->dm->d)
			   ? scan_calloc(a->ncells ? a->ncells : 1, sizeof *a->stamp)
			   : NULL;
}

static void acc_free(struct acc *a)
{
	free(a->cells);
	free(a->stamp);
}

SCAN_INLINE void acc_visit(void *ctx, const struct columns *c, const struct match *m)
{
	struct acc *a = ctx;
	cell_add(&a->total, &m->cell);
	int32_t day = c->day_from[m->s];
	if (!a->any || day < a->first_day)
		a->first_day = day;
	if (!a->any || day > a->last_day)
		a->last_day = day;
	a->any = 1;
	if (a->stamp)
		acc_items(a, c, m);
	else
		each_group(a->dm, c, m, acc_group, a);
}

/* The earlier and later days of b into a's. */
static void days_merge(int32_t *first, int32_t *last, int *any, int32_t bfirst, int32_t blast,
		       int bany)
{
	if (!bany)
		return;
	if (!*any || bfirst < *first)
		*first = bfirst;
	if (!*any || blast > *last)
		*last = blast;
	*any = 1;
}

/* Adds b's groups, total and days into a (a holds the first half). */
static void acc_merge(struct acc *a, const struct acc *b)
{
	for (size_t g = 0; g < a->ncells; g++)
		cell_add(&a->cells[g], &b->cells[g]);
	cell_add(&a->total, &b->total);
	days_merge(&a->first_day, &a->last_day, &a->any, b->first_day, b->last_day, b->any);
}

static void acc_part(const struct columns *c, const struct prep *p, const struct scan_part *part,
		     void *ctx)
{
	/* on this thread's stack: the two halves' sums never share a cache line */
	struct acc local = *(struct acc *)ctx;
	SCAN_PART(c, p, part, acc_visit, &local);
	*(struct acc *)ctx = local;
}

/* Scans p into acc (after acc_init): in two halves when large (split.c). */
static void acc_scan(const struct columns *c, const struct prep *p, size_t split_min,
		     struct acc *acc)
{
	int nparts = scan_nparts(c, p, split_min);
	struct acc second = { .dm = acc->dm, .ncells = acc->ncells };
	if (nparts == 2)
		acc_init(&second);
	void *ctx[2] = { acc, &second };
	scan_run(c, p, nparts, acc_part, ctx);
	if (nparts == 2) {
		acc_merge(acc, &second);
		acc_free(&second);
	}
}

struct sortable {
	uint32_t g;
	double v;
	const char *key;
};

static int by_value_desc(const void *x, const void *y)
{
	const struct sortable *a = x, *b = y;
	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* Non-empty groups as a sorted list (largest first) in the arena. */
static struct an_group *groups_out(const struct dimmap *dm, const struct columns *c,
				   const struct refdata *ref, const struct an_cell *cells,
				   size_t ncells, enum an_measure measure, int limit,
				   size_t *nout, size_t *ntotal, struct an_cell *other,
				   struct arena *a)
{
	struct sortable *s = xmalloc((ncells ? ncells : 1) * sizeof *s);
	size_t n = 0;
	for (size_t g = 0; g < ncells; g++)
		if (cells[g].seizures > 0) {
			s[n].g = (uint32_t)g;
			s[n].v = analytics_cell_value(&cells[g], measure);
			s[n].key = group_key(dm, c, (uint32_t)g, a);
			n++;
		}
	qsort(s, n, sizeof *s, by_value_desc);
	size_t keep = limit > 0 && (size_t)limit < n ? (size_t)limit : n;
	struct an_group *out = arena_alloc(a, (keep ? keep : 1) * sizeof *out);
	for (size_t k = 0; k < keep; k++) {
		out[k].key = arena_strdup(a, s[k].key);
		out[k].label = dim_label(ref, dm->d, out[k].key);
		out[k].cell = cells[s[k].g];
	}
	if (other) {
		memset(other, 0, sizeof *other);
		for (size_t k = keep; k < n; k++)
			cell_add(other, &cells[s[k].g]);
	}
	*nout = keep;
	if (ntotal)
		*ntotal = n;
	free(s);
	return out;
}

/* ---- labels ---- */

static const char *vocab_name(const struct refdata *ref, const char *vocab, const char *code)
{
	const struct code_entry *e;
	size_t n = refdata_vocab(ref, vocab, &e);
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].code, code) == 0)
			return e[i].name_en;
	return NULL;
}

const char *dim_label(const struct refdata *ref, enum an_dim d, const char *key)
{
	if (!key || !*key)
		return d == AN_D_UNIT ? "number of specimens" : "not recorded";
	switch (d) {
	case AN_D_SPECIES: {
		const struct taxon *t = refdata_taxon_by_id(ref, strtoll(key, NULL, 10));
		return t ? t->full_name : NULL;
	}
	case AN_D_COUNTRY: case AN_D_ORIGIN: case AN_D_TRANSIT: case AN_D_DESTINATION: {
		const struct country *c = refdata_country(ref, key);
		return c ? c->name_en : NULL;
	}
	case AN_D_TERM: {
		const struct code_entry *e = refdata_term(ref, key);
		return e ? e->name_en : NULL;
	}
	case AN_D_UNIT: {
		const struct code_entry *e = refdata_unit(ref, key);
		return e ? e->name_en : NULL;
	}
	case AN_D_TRANSPORT: return vocab_name(ref, "transport_mode", key);
	case AN_D_DETECTION: return vocab_name(ref, "detection_method", key);
	case AN_D_CONCEALMENT: return vocab_name(ref, "concealment", key);
	case AN_D_WEIGHT_CLASS:
		for (int i = 0; i < WC_COUNT; i++)
			if (strcmp(key, analytics_class_keys[i]) == 0)
				return analytics_class_labels[i];
		return NULL;
	case AN_D_GENUS: case AN_D_FAMILY: case AN_D_ORDER: case AN_D_CLASS:
	case AN_D_COMMODITY:
		return key;
	default:
		return NULL;
	}
}

/* ---- the queries ---- */

/* Takes the read lock and prepares; on success the caller scans, then
 * calls done(). */
static int begin(struct analytics *an, const struct refdata *ref, const struct actor *who,
		 const struct an_request *r, struct prep *p, struct error *err)
{
	pthread_rwlock_rdlock(&an->lock);
	if (prep_request(an->c, ref, who, r, p, err) != 0) {
		pthread_rwlock_unlock(&an->lock);
		return -1;
	}
	return 0;
}

static void done(struct analytics *an, struct prep *p)
{
	prep_free(p);
	pthread_rwlock_unlock(&an->lock);
}

int analytics_breakdown(struct analytics *an, const struct refdata *ref,
			const struct actor *who, const struct an_request *r,
			struct an_breakdown *out, struct arena *a, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct prep p;
	if (begin(an, ref, who, r, &p, err) != 0)
		return -1;
	const struct columns *c = an->c;
	struct dimmap dm;
	dimmap_init(&dm, c, ref, &p, r->by);
	struct acc acc = { .dm = &dm, .ncells = dim_size(&dm, c) };
	acc_init(&acc);
	acc_scan(c, &p, an->split_min, &acc);
	out->by = r->by;
	out->total = acc.total;
	out->groups = groups_out(&dm, c, ref, acc.cells, acc.ncells, r->measure, r->limit,
				 &out->ngroups, &out->ngroups_total, &out->other, a);
	out->multi = analytics_dim_is_item(r->by) || r->by == AN_D_ORIGIN ||
		     r->by == AN_D_TRANSIT || r->by == AN_D_DESTINATION;
	acc_free(&acc);
	dimmap_free(&dm);
	done(an, &p);
	return 0;
}

/* Summary: the total, quantity per unit, equivalents per commodity and the
 * weight classes, in one scan. */
struct summary_acc {
	struct acc u, k, w;
	struct an_cell total;
	int32_t first, last;
	int any;
};

SCAN_INLINE void summary_visit(void *ctx, const struct columns *c, const struct match *m)
{
	struct summary_acc *s = ctx;
	cell_add(&s->total, &m->cell);
	int32_t day = c->day_from[m->s];
	if (!s->any || day < s->first)
		s->first = day;
	if (!s->any || day > s->last)
		s->last = day;
	s->any = 1;
	if (m->items) {
		acc_items(&s->u, c, m);
		acc_items(&s->k, c, m);
	} else {
		acc_units_commodities(&s->u, &s->k, c, m);
	}
	acc_group(&s->w, (uint32_t)m->wclass, &m->cell);
}

static void summary_part(const struct columns *c, const struct prep *p,
			 const struct scan_part *part, void *ctx)
{
	/* on this thread's stack: the two halves' sums never share a cache line */
	struct summary_acc local = *(struct summary_acc *)ctx;
	SCAN_PART(c, p, part, summary_visit, &local);
	*(struct summary_acc *)ctx = local;
}

static void summary_init(struct summary_acc *s, const struct columns *c, const struct dimmap *units,
			 const struct dimmap *commodities, const struct dimmap *classes)
{
	memset(s, 0, sizeof *s);
	s->u = (struct acc){ .dm = units, .ncells = c->units.n };
	s->k = (struct acc){ .dm = commodities, .ncells = c->commodities.n };
	s->w = (struct acc){ .dm = classes, .ncells = WC_COUNT };
	acc_init(&s->u);
	acc_init(&s->k);
	acc_init(&s->w);
}

static void summary_free(struct summary_acc *s)
{
	acc_free(&s->u);
	acc_free(&s->k);
	acc_free(&s->w);
}

/* Adds b into a (a holds the first half). */
static void summary_merge(struct summary_acc *a, const struct summary_acc *b)
{
	acc_merge(&a->u, &b->u);
	acc_merge(&a->k, &b->k);
	acc_merge(&a->w, &b->w);
	cell_add(&a->total, &b->total);
	days_merge(&a->first, &a->last, &a->any, b->first, b->last, b->any);
}

int analytics_summary(struct analytics *an, const struct refdata *ref, const struct actor *who,
		      const struct an_request *r, struct an_summary *out, struct arena *a,
		      struct error *err)
{
	memset(out, 0, sizeof *out);
	struct prep p;
	if (begin(an, ref, who, r, &p, err) != 0)
		return -1;
	const struct columns *c = an->c;
	/* quantities are summed per unit: every unit counts in its own group */
	struct dimmap units, commodities, classes;
	dimmap_init(&units, c, ref, &p, AN_D_UNIT);
	dimmap_init(&commodities, c, ref, &p, AN_D_COMMODITY);
	dimmap_init(&classes, c, ref, &p, AN_D_WEIGHT_CLASS);
	struct summary_acc s, second;
	int nparts = scan_nparts(c, &p, an->split_min);
	summary_init(&s, c, &units, &commodities, &classes);
	if (nparts == 2)
		summary_init(&second, c, &units, &commodities, &classes);
	void *ctx[2] = { &s, &second };
	scan_run(c, &p, nparts, summary_part, ctx);
	if (nparts == 2) {
		summary_merge(&s, &second);
		summary_free(&second);
	}
	out->total = s.total;
	out->first_day = s.any ? s.first : 0;
	out->last_day = s.any ? s.last : 0;
	out->units = groups_out(&units, c, ref, s.u.cells, s.u.ncells, AN_M_ITEMS, 0,
				&out->nunits, NULL, NULL, a);
	/* commodity 0 is "no equivalent": left out */
	if (s.k.ncells)
		memset(&s.k.cells[0], 0, sizeof s.k.cells[0]);
	out->commodities = groups_out(&commodities, c, ref, s.k.cells, s.k.ncells,
				      AN_M_ANIMALS, 0, &out->ncommodities, NULL, NULL, a);
	out->classes = arena_alloc(a, WC_COUNT * sizeof *out->classes);
	for (int k = 0; k < WC_COUNT; k++) {
		out->classes[k].key = analytics_class_keys[k];
		out->classes[k].label = analytics_class_labels[k];
		out->classes[k].cell = s.w.cells[k];
	}
	out->nclasses = WC_COUNT;
	summary_free(&s);
	dimmap_free(&units);
	dimmap_free(&commodities);
	dimmap_free(&classes);
	done(an, &p);
	return 0;
}

/* Series: cells per (series, bucket). */
struct series_acc {
	const struct dimmap *time, *split;
	const uint32_t *series_of;  /* split group -> series (nseries - 1 = other) */
	uint32_t nseries;
	size_t nbuckets;
	double *values;             /* nseries x nbuckets */
	enum an_measure measure;
	int64_t bucket;
	int64_t first, last;
	int any;
};

SCAN_INLINE void series_group(void *ctx, uint32_t g, const struct an_cell *part)
{
	struct series_acc *s = ctx;
	uint32_t k = s->series_of ? s->series_of[g] : 0;
	if (k == UINT32_MAX)
		return;
	s->values[(size_t)k * s->nbuckets + (size_t)s->bucket] += cell_value(part, s->measure);
}

SCAN_INLINE void series_visit(void *ctx, const struct columns *c, const struct match *m)
{
	struct series_acc *s = ctx;
	s->bucket = bucket_of(c, m->s, s->time->d) - s->time->base;
	if (!s->any || s->bucket < s->first)
		s->first = s->bucket;
	if (!s->any || s->bucket > s->last)
		s->last = s->bucket;
	s->any = 1;
	if (s->split)
		each_group(s->split, c, m, series_group, s);
	else
		series_group(s, 0, &m->cell);
}

static void series_part(const struct columns *c, const struct prep *p,
			const struct scan_part *part, void *ctx)
{
	/* on this thread's stack: the two halves' sums never share a cache line */
	struct series_acc local = *(struct series_acc *)ctx;
	SCAN_PART(c, p, part, series_visit, &local);
	*(struct series_acc *)ctx = local;
}

int analytics_timeseries(struct analytics *an, const struct refdata *ref,
			 const struct actor *who, const struct an_request *r,
			 struct an_timeseries *out, struct arena *a, struct error *err)
{
	memset(out, 0, sizeof *out);
	enum an_dim grain = r->grain >= AN_D_DAY && r->grain <= AN_D_YEAR ? r->grain : AN_D_MONTH;
	struct prep p;
	if (begin(an, ref, who, r, &p, err) != 0)
		return -1;
	const struct columns *c = an->c;
	struct dimmap tm, sm;
	memset(&sm, 0, sizeof sm);
	dimmap_init(&tm, c, ref, &p, grain);
	int split = r->by != AN_D_NONE && !(r->by >= AN_D_DAY && r->by <= AN_D_YEAR);
	struct an_group *top = NULL;
	size_t ntop = 0, nall = 0;
	uint32_t *series_of = NULL;
	uint32_t nseries = 1;
	if (split) {
		/* pass 1: the largest groups of the split */
		dimmap_init(&sm, c, ref, &p, r->by);
		struct acc acc = { .dm = &sm, .ncells = dim_size(&sm, c) };
		acc_init(&acc);
		acc_scan(c, &p, an->split_min, &acc);
		struct an_cell other;
		top = groups_out(&sm, c, ref, acc.cells, acc.ncells, r->measure, r->limit, &ntop,
				 &nall, &other, a);
		series_of = xmalloc((acc.ncells ? acc.ncells : 1) * sizeof *series_of);
		int has_other = nall > ntop;
		for (size_t g = 0; g < acc.ncells; g++)
			series_of[g] = has_other ? (uint32_t)ntop : UINT32_MAX;
		for (size_t k = 0; k < ntop; k++)
			for (size_t g = 0; g < acc.ncells; g++)
				if (strcmp(group_key(&sm, c, (uint32_t)g, a), top[k].key) == 0) {
					series_of[g] = (uint32_t)k;
					break;
				}
		nseries = (uint32_t)ntop + (has_other ? 1 : 0);
		acc_free(&acc);
	}
	struct series_acc s = { .time = &tm, .split = split ? &sm : NULL, .series_of = series_of,
				.nseries = nseries ? nseries : 1, .nbuckets = dim_size(&tm, c),
				.measure = r->measure };
	size_t nvalues = (size_t)s.nseries * (s.nbuckets ? s.nbuckets : 1);
	s.values = scan_calloc(nvalues, sizeof(double));
	int nparts = scan_nparts(c, &p, an->split_min);
	struct series_acc second = s;
	if (nparts == 2)
		second.values = scan_calloc(nvalues, sizeof(double));
	void *ctx[2] = { &s, &second };
	scan_run(c, &p, nparts, series_part, ctx);
	if (nparts == 2) {
		for (size_t k = 0; k < nvalues; k++)
			s.values[k] += second.values[k];
		if (second.any) {
			if (!s.any || second.first < s.first)
				s.first = second.first;
			if (!s.any || second.last > s.last)
				s.last = second.last;
			s.any = 1;
		}
		free(second.values);
	}
	out->grain = grain;
	if (s.any) {
		size_t np = (size_t)(s.last - s.first + 1);
		out->nperiods = np;
		out->periods = arena_alloc(a, np * sizeof *out->periods);
		out->period_start = arena_alloc(a, np * sizeof *out->period_start);
		for (size_t k = 0; k < np; k++) {
			int64_t b = tm.base + s.first + (int64_t)k;
			out->periods[k] = bucket_label(a, b, grain);
			out->period_start[k] = bucket_start(b, grain);
		}
		out->nseries = split ? nseries : 1;
		out->series = arena_alloc(a, (out->nseries ? out->nseries : 1) * sizeof *out->series);
		for (size_t k = 0; k < out->nseries; k++) {
			struct an_series *se = &out->series[k];
			if (!split) {
				se->key = "all";
				se->label = "All";
			} else if (k < ntop) {
				se->key = top[k].key;
				se->label = top[k].label;
			} else {
				se->key = "other";
				se->label = "Other";
			}
			se->values = arena_alloc(a, np * sizeof *se->values);
			for (size_t j = 0; j < np; j++) {
				se->values[j] = s.values[k * s.nbuckets + (size_t)s.first + j];
				se->total += se->values[j];
			}
		}
	}
	free(s.values);
	free(series_of);
	if (split)
		dimmap_free(&sm);
	dimmap_free(&tm);
	done(an, &p);
	return 0;
}

/* Indices: per year and weight class. */
struct index_acc {
	int first_year, nyears;
	double *tx, *kg;          /* nyears x AN_CLASSES */
	int lo, hi, any;
};

SCAN_INLINE void index_visit(void *ctx, const struct columns *c, const struct match *m)
{
	struct index_acc *x = ctx;
	int y = (int)floor_div(c->month[m->s], 12) - x->first_year;
	if (y < 0 || y >= x->nyears)
		return;
	if (!x->any || y < x->lo)
		x->lo = y;
	if (!x->any || y > x->hi)
		x->hi = y;
	x->any = 1;
	double *tx = x->tx + (size_t)y * AN_CLASSES, *kg = x->kg + (size_t)y * AN_CLASSES;
	tx[AN_CLASS_ALL] += 1;
	if (m->wclass != WC_UNKNOWN) {
		kg[AN_CLASS_ALL] += m->class_kg;
		tx[AN_CLASS_LT10 + m->wclass] += 1;
		kg[AN_CLASS_LT10 + m->wclass] += m->class_kg;
	}
}

static void index_part(const struct columns *c, const struct prep *p,
		       const struct scan_part *part, void *ctx)
{
	/* on this thread's stack: the two halves' sums never share a cache line */
	struct index_acc local = *(struct index_acc *)ctx;
	SCAN_PART(c, p, part, index_visit, &local);
	*(struct index_acc *)ctx = local;
}

int analytics_indices(struct analytics *an, const struct refdata *ref, const struct actor *who,
		      const struct an_request *r, struct an_indices *out, struct arena *a,
		      struct error *err)
{
	memset(out, 0, sizeof *out);
	struct prep p;
	if (begin(an, ref, who, r, &p, err) != 0)
		return -1;
	const struct columns *c = an->c;
	int y0, y1, m, d;
	analytics_day_ymd(c->min_day, &y0, &m, &d);
	analytics_day_ymd(c->max_day, &y1, &m, &d);
	struct index_acc x = { .first_year = y0, .nyears = y1 - y0 + 1 };
	size_t ncells = (size_t)x.nyears * AN_CLASSES;
	x.tx = scan_calloc(ncells, sizeof(double));
	x.kg = scan_calloc(ncells, sizeof(double));
	int nparts = scan_nparts(c, &p, an->split_min);
	struct index_acc second = x;
	if (nparts == 2) {
		second.tx = scan_calloc(ncells, sizeof(double));
		second.kg = scan_calloc(ncells, sizeof(double));
	}
	void *ctx[2] = { &x, &second };
	scan_run(c, &p, nparts, index_part, ctx);
	if (nparts == 2) {
		for (size_t k = 0; k < ncells; k++) {
			x.tx[k] += second.tx[k];
			x.kg[k] += second.kg[k];
		}
		days_merge(&x.lo, &x.hi, &x.any, second.lo, second.hi, second.any);
		free(second.tx);
		free(second.kg);
	}
	if (x.any) {
		int span = x.hi - x.lo + 1;
		out->nyears = (size_t)span;
		out->years = arena_alloc(a, out->nyears * sizeof *out->years);
		out->base_year = r->base_year ? r->base_year : x.first_year + x.lo;
		int b = out->base_year - x.first_year;
		for (size_t k = 0; k < out->nyears; k++) {
			struct an_index_year *iy = &out->years[k];
			int yy = x.lo + (int)k;
			iy->year = x.first_year + yy;
			for (int cl = 0; cl < AN_CLASSES; cl++) {
				iy->transactions[cl] = x.tx[(size_t)yy * AN_CLASSES + (size_t)cl];
				iy->weight_kg[cl] = x.kg[(size_t)yy * AN_CLASSES + (size_t)cl];
				double bt = b >= 0 && b < x.nyears ? x.tx[(size_t)b * AN_CLASSES + (size_t)cl] : 0;
				double bk = b >= 0 && b < x.nyears ? x.kg[(size_t)b * AN_CLASSES + (size_t)cl] : 0;
				iy->transaction_index[cl] = bt > 0 ? 100 * iy->transactions[cl] / bt : NAN;
				iy->weight_index[cl] = bk > 0 ? 100 * iy->weight_kg[cl] / bk : NAN;
			}
		}
	} else {
		out->base_year = r->base_year;
	}
	free(x.tx);
	free(x.kg);
	done(an, &p);
	return 0;
}

/* Map: per country of the role, and the points.  The sorted rows come
 * oldest first, so of them only the newest points_limit can be shown: those
 * are kept in a ring; the points of the unsorted tail are all kept. */
struct map_acc {
	struct acc acc;
	size_t limit;
	uint32_t *ring_rows;      /* limit entries */
	float *ring_kg;
	size_t nsorted_hits;      /* sorted rows with a point, all of them */
	uint32_t *rows;           /* the tail's */
	float *kg;
	size_t n, cap;
};

SCAN_INLINE void map_visit(void *ctx, const struct columns *c, const struct match *m)
{
	struct map_acc *x = ctx;
	acc_visit(&x->acc, c, m);
	if (c->lat[m->s] == c->lat[m->s] && c->lon[m->s] == c->lon[m->s]) {
		float kg = m->cell.items_unweighed == m->cell.items ? NAN : (float)m->cell.weight_kg;
		if (m->s < c->nsorted) {
			if (x->limit) {
				size_t k = x->nsorted_hits % x->limit;
				x->ring_rows[k] = (uint32_t)m->s;
				x->ring_kg[k] = kg;
			}
			x->nsorted_hits++;
			return;
		}
		if (x->n == x->cap) {
			x->cap = x->cap ? x->cap * 2 : 1024;
			x->rows = xreallocarray(x->rows, x->cap, sizeof *x->rows);
			x->kg = xreallocarray(x->kg, x->cap, sizeof *x->kg);
		}
		x->rows[x->n] = (uint32_t)m->s;
		x->kg[x->n++] = kg;
	}
}

static void map_part(const struct columns *c, const struct prep *p, const struct scan_part *part,
		     void *ctx)
{
	/* on this thread's stack: the two halves' sums never share a cache line */
	struct map_acc local = *(struct map_acc *)ctx;
	SCAN_PART(c, p, part, map_visit, &local);
	*(struct map_acc *)ctx = local;
}

static void map_init(struct map_acc *x, const struct dimmap *dm, size_t ncountries, size_t limit)
{
	*x = (struct map_acc){ .acc = { .dm = dm, .ncells = ncountries }, .limit = limit };
	x->ring_rows = scan_calloc(limit ? limit : 1, sizeof *x->ring_rows);
	x->ring_kg = scan_calloc(limit ? limit : 1, sizeof *x->ring_kg);
	acc_init(&x->acc);
}

static void map_free(struct map_acc *x)
{
	free(x->ring_rows);
	free(x->ring_kg);
	free(x->rows);
	free(x->kg);
	acc_free(&x->acc);
}

/* Appends the newest m of x's sorted points (m <= its ring's fill) and then
 * its tail's points to rows and kg at *n. */
static void map_take(const struct map_acc *x, size_t m, uint32_t *rows, float *kg, size_t *n)
{
	for (size_t h = x->nsorted_hits - m; h < x->nsorted_hits; h++) {
		rows[*n] = x->ring_rows[h % x->limit];
		kg[(*n)++] = x->ring_kg[h % x->limit];
	}
	for (size_t k = 0; k < x->n; k++) {
		rows[*n] = x->rows[k];
		kg[(*n)++] = x->kg[k];
	}
}

struct point_sort {
	uint32_t k;
	int32_t day;
	int64_t id;
};

static int newest_first(const void *x, const void *y)
{
	const struct point_sort *a = x, *b = y;
	if (a->day != b->day)
		return a->day > b->day ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

int analytics_map(struct analytics *an, const struct refdata *ref, const struct actor *who,
		  const struct an_request *r, struct an_map *out, struct arena *a,
		  struct error *err)
{
	memset(out, 0, sizeof *out);
	struct prep p;
	if (begin(an, ref, who, r, &p, err) != 0)
		return -1;
	const struct columns *c = an->c;
	enum an_dim role = r->role >= AN_D_COUNTRY && r->role <= AN_D_DESTINATION ? r->role
										  : AN_D_COUNTRY;
	struct dimmap dm;
	dimmap_init(&dm, c, ref, &p, role);
	size_t limit = (size_t)(r->points_limit >= 0 ? r->points_limit : 0);
	/* x: the whole scan or its first half; y: its second half (then added
	 * into x), or empty */
	struct map_acc x, y = { .limit = limit };
	int nparts = scan_nparts(c, &p, an->split_min);
	map_init(&x, &dm, c->countries.n, limit);
	if (nparts == 2)
		map_init(&y, &dm, c->countries.n, limit);
	void *ctx[2] = { &x, &y };
	scan_run(c, &p, nparts, map_part, ctx);
	if (nparts == 2)
		acc_merge(&x.acc, &y.acc);
	out->role = role;
	out->countries = groups_out(&dm, c, ref, x.acc.cells, x.acc.ncells, r->measure, 0,
				    &out->ncountries, NULL, NULL, a);
	out->points_total = x.nsorted_hits + x.n + y.nsorted_hits + y.n;
	/* the candidates: the newest limit sorted points (the second half's
	 * newest, then the first half's) and the tail's; sorted newest first
	 * below (a total order: the order taken here does not matter) */
	size_t my = y.nsorted_hits < limit ? y.nsorted_hits : limit;
	size_t mx = x.nsorted_hits < limit - my ? x.nsorted_hits : limit - my;
	size_t ncand = mx + my + x.n + y.n;
	uint32_t *crow = xmalloc((ncand ? ncand : 1) * sizeof *crow);
	float *ckg = xmalloc((ncand ? ncand : 1) * sizeof *ckg);
	ncand = 0;
	map_take(&x, mx, crow, ckg, &ncand);
	map_take(&y, my, crow, ckg, &ncand);
	struct point_sort *cand = xmalloc((ncand ? ncand : 1) * sizeof *cand);
	for (size_t k = 0; k < ncand; k++) {
		uint32_t row = crow[k];
		cand[k] = (struct point_sort){ (uint32_t)k, c->day_from[row], c->id[row] };
	}
	qsort(cand, ncand, sizeof *cand, newest_first);
	out->npoints = ncand < limit ? ncand : limit;
	out->points = arena_alloc(a, (out->npoints ? out->npoints : 1) * sizeof *out->points);
	for (size_t k = 0; k < out->npoints; k++) {
		uint32_t row = crow[cand[k].k];
		struct an_point *pt = &out->points[k];
		pt->id = c->id[row];
		pt->latitude = c->lat[row];
		pt->longitude = c->lon[row];
		pt->day = c->day_from[row];
		pt->country = arena_strdup(a, c->countries.names[c->country[row]]);
		pt->weight_kg = ckg[cand[k].k];
	}
	free(cand);
	free(crow);
	free(ckg);
	map_free(&x);
	if (nparts == 2)
		map_free(&y);
	dimmap_free(&dm);
	done(an, &p);
	return 0;
}
