/*
 * scan.h - the analytics' scan, as an inline function so that each query
 * (measures.c, routes.c) gets its own copy with its visitor inlined: no call
 * through a pointer per seizure, and the filters that are not set cost one
 * predictable branch.  Included by the files of src/analytics/ only.
 *
 * SCAN_PART(c, p, part, fn, ctx) calls fn(ctx, c, &match) for every
 * matching seizure of one part of the rows (struct scan_part, internal.h),
 * in (day_from, id) order for the sorted rows, then the unsorted tail when
 * the part has it.  split.c cuts a large scan into two fixed halves run on
 * two threads, each into its own accumulator, and the caller adds the
 * second accumulator into the first; a small scan is one part on the
 * calling thread.  Within a part the order of the additions is fixed, and
 * the halves depend only on the rows in range, never on timing: every
 * answer is the same on every run.
 */
#ifndef KOUPREY_ANALYTICS_SCAN_H
#define KOUPREY_ANALYTICS_SCAN_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/internal.h"
#include "lib/xalloc.h"

#define SCAN_INLINE static inline __attribute__((always_inline))

/* v when keep (0 or 1), else +0.0, without a branch.  Adding the +0.0 to a
 * sum leaves it exactly as it was (a sum that starts at +0.0 is never -0.0),
 * so a branch-free loop adds the same figures as one that skips. */
SCAN_INLINE double scan_keep(double v, unsigned keep)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	bits &= (uint64_t)0 - (uint64_t)keep;
	memcpy(&v, &bits, sizeof v);
	return v;
}

/* a when pick (0 or 1), else b, without a branch. */
SCAN_INLINE double scan_pick(double a, double b, unsigned pick)
{
	uint64_t x, y, mask = (uint64_t)0 - (uint64_t)pick;
	memcpy(&x, &a, sizeof x);
	memcpy(&y, &b, sizeof y);
	x = (x & mask) | (y & ~mask);
	memcpy(&a, &x, sizeof a);
	return a;
}

SCAN_INLINE int scan_any_in(const uint8_t *ok, const uint16_t *codes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ok[codes[i]])
			return 1;
	return 0;
}

/* The route filters of a seizure (origin, transit, destination, any country). */
static inline int scan_route_passes(const struct columns *c, const struct prep *p, size_t r)
{
	const uint16_t *route = c->route + c->route_off[r];
	size_t no = c->norigin[r], nt = c->ntransit[r], nd = c->ndest[r];
	if (p->ok_origin && !(no ? scan_any_in(p->ok_origin, route, no) : p->ok_origin[0]))
		return 0;
	if (p->ok_transit && !(nt ? scan_any_in(p->ok_transit, route + no, nt) : p->ok_transit[0]))
		return 0;
	if (p->ok_destination &&
	    !(nd ? scan_any_in(p->ok_destination, route + no + nt, nd) : p->ok_destination[0]))
		return 0;
	if (p->ok_any_country && !p->ok_any_country[c->country[r]] &&
	    !scan_any_in(p->ok_any_country, route, no + nt + nd))
		return 0;
	return 1;
}

/* The seizure-level filters other than the date and the access rule. */
static inline int scan_dims_pass(const struct columns *c, const struct prep *p, size_t r)
{
	if ((p->ok_country && !p->ok_country[c->country[r]]) ||
	    (p->ok_agency && !p->ok_agency[c->agency[r]]) ||
	    (p->ok_transport && !p->ok_transport[c->transport[r]]) ||
	    (p->ok_detection && !p->ok_detection[c->detection[r]]) ||
	    (p->ok_concealment && !p->ok_concealment[c->concealment[r]]))
		return 0;
	return scan_route_passes(c, p, r);
}

/* The seizure's matching items into m (their indexes into buf when an item
 * filter or a quantity unit is set); 0 when none match or its weight class
 * is filtered out. */
SCAN_INLINE int scan_items(const struct columns *c, const struct prep *p, size_t r,
			   uint32_t **bufp, size_t *bufcap, int per_item, struct match *m)
{
	size_t off = c->item_off[r], n = c->nitems[r];
	if (per_item && n > *bufcap) {
		*bufcap = n;
		*bufp = xreallocarray(*bufp, n, sizeof **bufp);
	}
	uint32_t *buf = *bufp;
	double class_kg = 0;
	int weighed = 0;
	m->s = r;
	m->items = buf;
	m->item_off = 0;
	m->nitems = 0;
	m->cell = (struct an_cell){ 0 };
	if (!per_item && n) {
		/* every item counts: the seizure's sums, without reading its items */
		m->items = NULL;
		m->item_off = off;
		m->nitems = n;
		m->cell.items = n;
		m->cell.weight_kg = c->agg_kg[r];
		m->cell.animals = c->agg_animals[r];
		m->cell.items_unweighed = c->agg_unweighed[r];
		class_kg = c->agg_class_kg[r];
		weighed = class_kg == class_kg;
	}
	if (per_item) {
		/* first the kinds alone (one byte of the request's table per
		 * item): the matching items into buf, without branches; a
		 * seizure with none is left before its figures are read */
		const uint32_t *kind = c->kind;
		const uint8_t *okk = p->ok_kind;
		size_t nm = 0;
		for (size_t k = 0; k < n; k++) {
			buf[nm] = (uint32_t)(off + k);
			nm += okk[kind[off + k]];
		}
		if (nm == 0)
			return 0;
		/* then the matching items' sums, in item order, without
		 * branches: the same additions as over every item with +0.0
		 * for those that do not match (which leaves a sum as it was) */
		const uint8_t *qk = p->qty_kind;
		const float *kgs = c->kg, *ans = c->animals, *ries = c->rie_kg;
		const double *qs = c->quantity;
		int want_qty = p->qty_unit != UINT16_MAX;
		size_t unw = 0;
		unsigned anyw = 0;
		double qty = 0, wkg = 0, ani = 0;
		for (size_t j = 0; j < nm; j++) {
			size_t i = buf[j];
			float kg = kgs[i], an = ans[i];
			unsigned w = kg == kg;
			anyw |= w;
			unw += !w;
			wkg += scan_keep(kg, w);
			class_kg += scan_keep(ries[i], w);
			ani += scan_keep(an, an == an);
			if (want_qty)
				qty += scan_keep(qs[i], qk[kind[i]]);
		}
		weighed |= (int)anyw;
		m->nitems = nm;
		m->cell.items = (double)nm;
		m->cell.quantity = qty;
		m->cell.weight_kg = wkg;
		m->cell.items_unweighed = (double)unw;
		m->cell.animals = ani;
	}
	if (m->nitems == 0)
		return 0;
	/* without branches (the class is as good as random from one seizure to
	 * the next): WC_LT10 + 1 from 10 kg, + 1 more from 100 kg */
	unsigned wc = (unsigned)!(class_kg < 10) + (unsigned)!(class_kg < 100);
	unsigned uw = (unsigned)!weighed;
	m->wclass = (int)(wc + (WC_UNKNOWN - wc) * uw);
	if (p->class_mask && !(p->class_mask & (1u << m->wclass)))
		return 0;
	m->class_kg = scan_pick(class_kg, NAN, (unsigned)weighed);
	m->cell.seizures = 1;
	/* whether a seizure has a value is as good as random: no branch */
	double v = c->value_usd[r];
	unsigned valued = v == v;
	m->cell.value = scan_keep(v * p->currency_mul, valued);
	m->cell.seizures_valued = (double)valued;
	return 1;
}

/* First sorted row whose day_from is day or later. */
static inline size_t scan_first_from(const struct columns *c, int32_t day)
{
	size_t lo = 0, hi = c->nsorted;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->day_from[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The sorted rows [lo, hi) that may match p's dates (a seizure whose date
 * is a year may start up to 366 days before the filter's from). */
static inline void scan_bounds(const struct columns *c, const struct prep *p, size_t *lo,
			       size_t *hi)
{
	*lo = p->from == INT32_MIN ? 0 : scan_first_from(c, p->from - 366);
	*hi = p->to == INT32_MAX ? c->nsorted : scan_first_from(c, p->to + 1);
	if (*hi > c->nsorted)
		*hi = c->nsorted;
	if (*lo > *hi)
		*lo = *hi;
}

enum { SCAN_BLOCK = 1024 };

/* Of the rows [lo, hi) (at most SCAN_BLOCK), those alive, that the actor may
 * see and whose dates overlap p's, into sel; returns how many.  With kinds
 * (the items are read one by one), only those with an item of a kind whose
 * bit p accepts (kmask, kind_bits): the others have no matching item.
 * Branch-free: whether an officer may see a row is as good as random from
 * row to row. */
SCAN_INLINE size_t scan_select(const struct columns *c, const struct prep *p, size_t lo,
			       size_t hi, uint32_t *sel, int kinds)
{
	const uint32_t *km = c->kmask;
	uint32_t bits = p->kind_bits;
	const uint8_t *fl = c->flags;
	const int32_t *df = c->day_from, *dt = c->day_to;
	const uint16_t *ag = c->agency;
	int32_t from = p->from, to = p->to;
	int admin = p->admin != 0;
	uint16_t mine = p->my_agency;
	size_t n = 0;
	for (size_t r = lo; r < hi; r++) {
		unsigned f = fl[r];
		int pass = ((f & SZ_DEAD) == 0) & (admin | (ag[r] == mine) | ((f & SZ_NATIONAL) != 0)) &
			   (dt[r] >= from) & (df[r] <= to);
		if (kinds)
			pass &= (km[r] & bits) != 0;
		sel[n] = (uint32_t)r;
		n += (size_t)pass;
	}
	return n;
}

/* scan_select over the rows rows[0..n) (ascending, n at most SCAN_BLOCK). */
SCAN_INLINE size_t scan_select_rows(const struct columns *c, const struct prep *p,
				    const uint32_t *rows, size_t n, uint32_t *sel, int kinds)
{
	const uint32_t *km = c->kmask;
	uint32_t bits = p->kind_bits;
	const uint8_t *fl = c->flags;
	const int32_t *df = c->day_from, *dt = c->day_to;
	const uint16_t *ag = c->agency;
	int32_t from = p->from, to = p->to;
	int admin = p->admin != 0;
	uint16_t mine = p->my_agency;
	size_t ns = 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t r = rows[k];
		unsigned f = fl[r];
		int pass = ((f & SZ_DEAD) == 0) & (admin | (ag[r] == mine) | ((f & SZ_NATIONAL) != 0)) &
			   (dt[r] >= from) & (df[r] <= to);
		if (kinds)
			pass &= (km[r] & bits) != 0;
		sel[ns] = r;
		ns += (size_t)pass;
	}
	return ns;
}

/* The candidates of p (p->cand) among the sorted rows [lo, hi), a block
 * at a time, as SCAN_RANGE does with every row. */
#define SCAN_CAND(c, p, lo, hi, buf, per_item, fn, ctx)                                     \
	do {                                                                                 \
		struct match m_;                                                             \
		uint32_t sel_[SCAN_BLOCK] = { 0 };                                           \
		const uint32_t *cd_ = (p)->cand;                                             \
		size_t j0_ = 0, j1_ = (p)->ncand;                                            \
		while (j0_ < j1_ && cd_[j0_] < (lo))                                         \
			j0_ += (j1_ - j0_ > 64 && cd_[j0_ + 64] < (lo)) ? 64 : 1;            \
		size_t je_ = j0_;                                                            \
		while (je_ < j1_ && cd_[je_] < (hi))                                         \
			je_ += (j1_ - je_ > 64 && cd_[je_ + 64] < (hi)) ? 64 : 1;            \
		for (size_t b_ = j0_; b_ < je_; b_ += SCAN_BLOCK) {                          \
			size_t n_ = je_ - b_ < SCAN_BLOCK ? je_ - b_ : SCAN_BLOCK;           \
			size_t ns_ = scan_select_rows((c), (p), cd_ + b_, n_, sel_, (per_item));         \
			for (size_t k_ = 0; k_ < ns_; k_++) {                                \
				size_t r_ = sel_[k_];                                        \
				if (!scan_dims_pass((c), (p), r_))                           \
					continue;                                            \
				if (!scan_items((c), (p), r_, &(buf), &bufcap_, (per_item), &m_)) \
					continue;                                            \
				fn((ctx), (c), &m_);                                         \
			}                                                                    \
		}                                                                            \
	} while (0)

/* One range of rows [lo, hi), a block at a time: the rows that pass the
 * access rule and the dates selected first, then the rest of the filters
 * and the visit, in row order. */
#define SCAN_RANGE(c, p, lo, hi, buf, per_item, dims, fn, ctx)                              \
	do {                                                                                 \
		struct match m_;                                                             \
		uint32_t sel_[SCAN_BLOCK] = { 0 }; /* zeroed once: for the analyzer */ \
		for (size_t b_ = (lo); b_ < (hi); b_ += SCAN_BLOCK) {                        \
			size_t e_ = (hi) - b_ < SCAN_BLOCK ? (hi) : b_ + SCAN_BLOCK;         \
			size_t ns_ = scan_select((c), (p), b_, e_, sel_, (per_item));                    \
			for (size_t k_ = 0; k_ < ns_; k_++) {                                \
				size_t r_ = sel_[k_];                                        \
				if ((dims) && !scan_dims_pass((c), (p), r_))                 \
					continue;                                            \
				if (!scan_items((c), (p), r_, &(buf), &bufcap_, (per_item), &m_)) \
					continue;                                            \
				fn((ctx), (c), &m_);                                         \
			}                                                                    \
		}                                                                            \
	} while (0)

/* One part of a scan (struct scan_part *part): its sorted rows, then the
 * unsorted tail when part->tail.  Visits nothing when p is impossible. */
#define SCAN_PART(c, p, part, fn, ctx)                                                       \
	do {                                                                                 \
		const struct columns *sc_ = (c);                                             \
		const struct prep *sp_ = (p);                                                \
		const struct scan_part *pt_ = (part);                                        \
		if (sp_->impossible)                                                         \
			break;                                                               \
		int per_item_ = sp_->item_filter || sp_->qty_unit != UINT16_MAX;             \
		int dims_ = sp_->ok_country || sp_->ok_agency || sp_->ok_transport ||        \
			    sp_->ok_detection || sp_->ok_concealment || sp_->ok_origin ||     \
			    sp_->ok_transit || sp_->ok_destination || sp_->ok_any_country;    \
		size_t bufcap_ = 64;                                                         \
		uint32_t *buf_ = xmalloc(bufcap_ * sizeof *buf_);                           \
		size_t lo_ = pt_->lo, hi_ = pt_->hi;                                         \
		if (sp_->cand) {                                                             \
			if (per_item_)                                                       \
				SCAN_CAND(sc_, sp_, lo_, hi_, buf_, 1, fn, ctx);             \
			else                                                                 \
				SCAN_CAND(sc_, sp_, lo_, hi_, buf_, 0, fn, ctx);             \
		} else if (per_item_) {                                                      \
			if (dims_)                                                           \
				SCAN_RANGE(sc_, sp_, lo_, hi_, buf_, 1, 1, fn, ctx);         \
			else                                                                 \
				SCAN_RANGE(sc_, sp_, lo_, hi_, buf_, 1, 0, fn, ctx);         \
		} else {                                                                     \
			if (dims_)                                                           \
				SCAN_RANGE(sc_, sp_, lo_, hi_, buf_, 0, 1, fn, ctx);         \
			else                                                                 \
				SCAN_RANGE(sc_, sp_, lo_, hi_, buf_, 0, 0, fn, ctx);         \
		}                                                                            \
		if (pt_->tail)                                                               \
			SCAN_RANGE(sc_, sp_, sc_->nsorted, sc_->n, buf_, per_item_, dims_, fn, ctx); \
		free(buf_);                                                                  \
	} while (0)

#endif
