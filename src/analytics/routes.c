/* Routes: origin -> transit -> destination flows, this period against the
 * one before, the origin x destination matrix, and each country's seizures
 * in and out (as ETIS counts them). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/internal.h"
#include "analytics/scan.h"
#include "lib/xalloc.h"

struct route_cell {
	uint64_t key;             /* origin << 48 | destination << 32 | transit sequence */
	struct an_cell now, before;
};

struct routes_acc {
	int32_t from, to;         /* the period; earlier matches are the previous one */
	struct route_cell *cells;
	size_t n, cap;
	uint32_t *table;          /* open addressing: index + 1, 0 empty */
	size_t table_cap;
	size_t ncountries;
	double *in, *out, *points; /* by country; points: ncountries x ncountries */
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	return x;
}

static struct route_cell *route_at(struct routes_acc *a, uint64_t key)
{
	if ((a->n + 1) * 2 > a->table_cap) {
		size_t cap = a->table_cap ? a->table_cap * 2 : 1024;
		uint32_t *t = xcalloc(cap, sizeof *t);
		for (size_t i = 0; i < a->n; i++) {
			size_t h = mix64(a->cells[i].key) & (cap - 1);
			while (t[h])
				h = (h + 1) & (cap - 1);
			t[h] = (uint32_t)i + 1;
		}
		free(a->table);
		a->table = t;
		a->table_cap = cap;
	}
	size_t h = mix64(key) & (a->table_cap - 1);
	while (a->table[h]) {
		struct route_cell *rc = &a->cells[a->table[h] - 1];
		if (rc->key == key)
			return rc;
		h = (h + 1) & (a->table_cap - 1);
	}
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 256;
		a->cells = xreallocarray(a->cells, a->cap, sizeof *a->cells);
	}
	struct route_cell *rc = &a->cells[a->n];
	memset(rc, 0, sizeof *rc);
	rc->key = key;
	a->table[h] = (uint32_t)++a->n;
	return rc;
}

SCAN_INLINE void routes_visit(void *ctx, const struct columns *c, const struct match *m)
{
	struct routes_acc *a = ctx;
	size_t r = m->s;
	int now = c->day_from[r] >= a->from;
	const uint16_t *codes = c->route + c->route_off[r];
	size_t no = c->norigin[r], nt = c->ntransit[r], nd = c->ndest[r];
	static const uint16_t none = 0;
	const uint16_t *orig = no ? codes : &none, *dest = nd ? codes + no + nt : &none;
	size_t norig = no ? no : 1, ndest = nd ? nd : 1;
	for (size_t i = 0; i < norig; i++) {
		int dup = 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = orig[k] == orig[i];
		if (dup)
			continue;
		for (size_t j = 0; j < ndest; j++) {
			dup = 0;
			for (size_t k = 0; k < j && !dup; k++)
				dup = dest[k] == dest[j];
			if (dup)
				continue;
			uint64_t key = (uint64_t)orig[i] << 48 | (uint64_t)dest[j] << 32 |
				       c->transit_seq[r];
			struct route_cell *rc = route_at(a, key);
			cell_add(now ? &rc->now : &rc->before, &m->cell);
		}
	}
	if (!now)
		return;
	/* seizures in, out and what they point to (this period) */
	uint16_t home = c->country[r];
	a->in[home] += 1;
	for (size_t i = 0; i < no + nt; i++) {
		uint16_t x = codes[i];
		if (x == home || x == 0)
			continue;
		int dup = 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = codes[k] == x;
		if (dup)
			continue;
		a->out[x] += 1;
		a->points[(size_t)home * a->ncountries + x] += 1;
	}
}

static void routes_part(const struct columns *c, const struct prep *p,
			const struct scan_part *part, void *ctx)
{
	/* on this thread's stack: the two halves' sums never share a cache line */
	struct routes_acc local = *(struct routes_acc *)ctx;
	SCAN_PART(c, p, part, routes_visit, &local);
	*(struct routes_acc *)ctx = local;
}

static void routes_init(struct routes_acc *a, int32_t from, int32_t to, size_t ncountries)
{
	*a = (struct routes_acc){ .from = from, .to = to, .ncountries = ncountries };
	size_t nc = ncountries ? ncountries : 1;
	a->in = scan_calloc(nc, sizeof(double));
	a->out = scan_calloc(nc, sizeof(double));
	a->points = scan_calloc(nc * nc, sizeof(double));
}

static void routes_free(struct routes_acc *a)
{
	free(a->in);
	free(a->out);
	free(a->points);
	free(a->cells);
	free(a->table);
}

/* Adds b (the second half) into a: b's routes in the order b met them, so
 * a's routes stay in the order a whole scan would meet them. */
static void routes_merge(struct routes_acc *a, const struct routes_acc *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct route_cell *rc = route_at(a, b->cells[i].key);
		cell_add(&rc->now, &b->cells[i].now);
		cell_add(&rc->before, &b->cells[i].before);
	}
	size_t nc = a->ncountries ? a->ncountries : 1;
	for (size_t x = 0; x < nc; x++) {
		a->in[x] += b->in[x];
		a->out[x] += b->out[x];
	}
	for (size_t x = 0; x < nc * nc; x++)
		a->points[x] += b->points[x];
}

/* The newest day of a matching seizure; 0 when none. */
struct last_day {
	int32_t day;
	int any;
};

SCAN_INLINE void last_visit(void *ctx, const struct columns *c, const struct match *m)
{
	struct last_day *l = ctx;
	if (!l->any || c->day_from[m->s] > l->day)
		l->day = c->day_from[m->s];
	l->any = 1;
}

static void last_part(const struct columns *c, const struct prep *p, const struct scan_part *part,
		      void *ctx)
{
	/* on this thread's stack: the two halves' sums never share a cache line */
	struct last_day local = *(struct last_day *)ctx;
	SCAN_PART(c, p, part, last_visit, &local);
	*(struct last_day *)ctx = local;
}

struct ranked {
	size_t i;
	double v;
};

static int ranked_desc(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int pair_desc(const void *x, const void *y)
{
	const struct an_pair *a = x, *b = y;
	if (a->seizures != b->seizures)
		return a->seizures > b->seizures ? -1 : 1;
	return strcmp(a->country, b->country);
}

static int flow_desc(const void *x, const void *y)
{
	const struct an_country_flow *a = x, *b = y;
	double va = a->seizures_in + a->seizures_out, vb = b->seizures_in + b->seizures_out;
	if (va != vb)
		return va > vb ? -1 : 1;
	return strcmp(a->country, b->country);
}

/* Index of code in list (appending it when absent). */
static size_t slot_of(uint16_t *list, size_t *n, uint16_t code)
{
	for (size_t i = 0; i < *n; i++)
		if (list[i] == code)
			return i;
	list[*n] = code;
	return (*n)++;
}

int analytics_routes(struct analytics *an, const struct refdata *ref, const struct actor *who,
		     const struct an_request *r, struct an_routes *out, struct arena *a,
		     struct error *err)
{
	memset(out, 0, sizeof *out);
	pthread_rwlock_rdlock(&an->lock);
	const struct columns *c = an->c;
	struct prep p;
	if (prep_request(c, ref, who, r, &p, err) != 0) {
		pthread_rwlock_unlock(&an->lock);
		return -1;
	}
	/* the period: the filter's, or the last 365 days up to the newest match */
	int32_t from = r->filter.from, to = r->filter.to;
	if (to == INT32_MAX) {
		struct last_day l = { 0 }, l2 = { 0 };
		int nparts = scan_nparts(c, &p, an->split_min);
		void *ctx[2] = { &l, &l2 };
		scan_run(c, &p, nparts, last_part, ctx);
		if (l2.any && (!l.any || l2.day > l.day))
			l = l2;
		to = l.any ? l.day : c->max_day;
	}
	if (from == INT32_MIN)
		from = to - 364;
	int32_t len = to - from + 1;
	out->from = from;
	out->to = to;
	out->prev_from = from - len;
	out->prev_to = from - 1;
	p.from = out->prev_from;
	p.to = to;
	size_t nc = c->countries.n ? c->countries.n : 1;
	struct routes_acc acc, second;
	int nparts = scan_nparts(c, &p, an->split_min);
	routes_init(&acc, from, to, c->countries.n);
	if (nparts == 2)
		routes_init(&second, from, to, c->countries.n);
	void *ctx[2] = { &acc, &second };
	scan_run(c, &p, nparts, routes_part, ctx);
	if (nparts == 2) {
		routes_merge(&acc, &second);
		routes_free(&second);
	}

	/* ranked routes (by the measure in the period) */
	struct ranked *rk = xmalloc((acc.n ? acc.n : 1) * sizeof *rk);
	size_t nr = 0;
	for (size_t i = 0; i < acc.n; i++)
		if (acc.cells[i].now.seizures > 0 || acc.cells[i].before.seizures > 0)
			rk[nr++] = (struct ranked){ i, analytics_cell_value(&acc.cells[i].now, r->measure) };
	qsort(rk, nr, sizeof *rk, ranked_desc);
	size_t keep = r->limit > 0 && (size_t)r->limit < nr ? (size_t)r->limit : nr;
	out->nroutes_total = nr;
	out->nroutes = keep;
	out->routes = arena_alloc(a, (keep ? keep : 1) * sizeof *out->routes);
	for (size_t k = 0; k < keep; k++) {
		const struct route_cell *rc = &acc.cells[rk[k].i];
		struct an_route *ro = &out->routes[k];
		ro->origin = arena_strdup(a, c->countries.names[rc->key >> 48]);
		ro->destination = arena_strdup(a, c->countries.names[(rc->key >> 32) & 0xffff]);
		ro->transit = arena_strdup(a, c->transits.names[rc->key & 0xffffffff]);
		ro->now = rc->now;
		ro->before = rc->before;
		double b = analytics_cell_value(&rc->before, r->measure);
		ro->trend = b > 0 ? (analytics_cell_value(&rc->now, r->measure) - b) / b : NAN;
	}
	free(rk);

	/* the matrix: every origin and destination of the period */
	uint16_t *rows = xmalloc(nc * sizeof *rows), *cols = xmalloc(nc * sizeof *cols);
	size_t nrows = 0, ncols = 0;
	for (size_t i = 0; i < acc.n; i++)
		if (acc.cells[i].now.seizures > 0) {
			slot_of(rows, &nrows, (uint16_t)(acc.cells[i].key >> 48));
			slot_of(cols, &ncols, (uint16_t)((acc.cells[i].key >> 32) & 0xffff));
		}
	out->norigins = nrows;
	out->ndestinations = ncols;
	out->origins = arena_alloc(a, (nrows ? nrows : 1) * sizeof *out->origins);
	out->destinations = arena_alloc(a, (ncols ? ncols : 1) * sizeof *out->destinations);
	for (size_t i = 0; i < nrows; i++)
		out->origins[i] = arena_strdup(a, c->countries.names[rows[i]]);
	for (size_t j = 0; j < ncols; j++)
		out->destinations[j] = arena_strdup(a, c->countries.names[cols[j]]);
	size_t ncells = nrows * ncols > 0 ? nrows * ncols : 1;
	out->matrix = arena_alloc(a, ncells * sizeof *out->matrix);
	memset(out->matrix, 0, ncells * sizeof *out->matrix);
	for (size_t i = 0; i < acc.n; i++)
		if (acc.cells[i].now.seizures > 0) {
			size_t ri = slot_of(rows, &nrows, (uint16_t)(acc.cells[i].key >> 48));
			size_t ci = slot_of(cols, &ncols, (uint16_t)((acc.cells[i].key >> 32) & 0xffff));
			cell_add(&out->matrix[ri * ncols + ci], &acc.cells[i].now);
		}
	free(rows);
	free(cols);

	/* countries: seizures in and out, and where their seizures point */
	size_t nflows = 0;
	for (size_t x = 1; x < acc.ncountries; x++)
		nflows += acc.in[x] > 0 || acc.out[x] > 0;
	out->countries = arena_alloc(a, (nflows ? nflows : 1) * sizeof *out->countries);
	for (size_t x = 1; x < acc.ncountries; x++) {
		if (!(acc.in[x] > 0 || acc.out[x] > 0))
			continue;
		struct an_country_flow *fl = &out->countries[out->ncountries++];
		fl->country = arena_strdup(a, c->countries.names[x]);
		fl->seizures_in = acc.in[x];
		fl->seizures_out = acc.out[x];
		size_t np = 0;
		for (size_t y = 1; y < acc.ncountries; y++)
			np += acc.points[x * acc.ncountries + y] > 0;
		fl->points_to = arena_alloc(a, (np ? np : 1) * sizeof *fl->points_to);
		for (size_t y = 1; y < acc.ncountries; y++)
			if (acc.points[x * acc.ncountries + y] > 0)
				fl->points_to[fl->npoints_to++] = (struct an_pair){
					arena_strdup(a, c->countries.names[y]),
					acc.points[x * acc.ncountries + y] };
		qsort(fl->points_to, fl->npoints_to, sizeof *fl->points_to, pair_desc);
	}
	qsort(out->countries, out->ncountries, sizeof *out->countries, flow_desc);
	routes_free(&acc);
	prep_free(&p);
	pthread_rwlock_unlock(&an->lock);
	return 0;
}
