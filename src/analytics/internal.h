/*
 * internal.h - the analytics' columns, shared by the files of src/analytics/
 * only.  See analytics.h for the contract.
 */
#ifndef KOUPREY_ANALYTICS_INTERNAL_H
#define KOUPREY_ANALYTICS_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "analytics/analytics.h"
#include "lib/strmap.h"

/* Strings to small numbers; 0 is "" (not recorded). */
struct dict {
	struct strmap map;
	char **names;             /* names[0] = "" */
	uint32_t n, cap;
};

void dict_init(struct dict *d);
void dict_free(struct dict *d);
uint32_t dict_add(struct dict *d, const char *name);
/* UINT32_MAX when absent. */
uint32_t dict_find(const struct dict *d, const char *name);
size_t dict_bytes(const struct dict *d);

enum { SZ_NATIONAL = 1, SZ_DEAD = 2 };
enum { WEIGHT_UNITS_MAX = 8 };

/* What the conversion table makes of one (taxon, term, unit). */
struct factor {
	double kg_per_unit;       /* NAN: no weight */
	double animals_per_kg;    /* for weight units (NAN: none) */
	double animals_per_unit;  /* for other units (NAN: none) */
	double rie;               /* multiplier on kg for the weight class (1 if none) */
	uint16_t commodity;       /* in the commodity dictionary; 0 none */
	uint32_t taxon;           /* the key: (taxon, term, unit) of the items of this kind */
	uint16_t term, unit;
	uint8_t bit;              /* its bit in a seizure's kmask: of its (family, term) */
};

/* Posting lists of the sorted rows, for the selective seizure filters. */
enum { POST_COUNTRY, POST_ORIGIN, POST_DESTINATION, POST_TRANSPORT, POST_AGENCY, POST_N };

/* Per value of a dimension (its dictionary index; 0 = not recorded), the
 * sorted rows that have it, in row order: rows + off[v] .. rows + off[v + 1].
 * A row is in the list of each of its (distinct) origins or destinations.
 * Built by the compaction: rows added since are in the unsorted tail, rows
 * dead since are still listed (the scan skips them). */
struct posting {
	uint32_t *off;            /* nvals + 1 */
	uint32_t *rows;
	size_t nvals;
};

/* The columns: seizures in (day_from, id) order up to nsorted; later rows
 * (changed since the last compaction) follow unsorted. */
struct columns {
	size_t n, cap, nsorted, ndead;
	int64_t *id;
	int32_t *day_from, *day_to;
	int32_t *month;           /* of day_from: year * 12 + month - 1 */
	int32_t min_day, max_day; /* over every row ever added (0, 0 when none) */
	uint16_t *agency, *country, *transport, *detection, *concealment;
	uint8_t *flags;
	uint32_t *transit_seq;    /* the transit list as one code ("MY;SG") */
	uint32_t *route_off;      /* into route: origins, transits, destinations */
	uint8_t *norigin, *ntransit, *ndest;
	float *lat, *lon;         /* NAN: none */
	double *value_amount;     /* NAN: none */
	uint16_t *value_currency;
	double *value_usd;        /* derived from the rates; NAN: none */
	uint32_t *item_off;
	uint16_t *nitems;
	/* per seizure, over all its items (derived with the factors): what a
	 * query without item filters needs, so it need not read the items */
	float *agg_kg, *agg_animals, *agg_class_kg;  /* class: NAN when no weight known */
	uint16_t *agg_unweighed;
	uint32_t *kmask;          /* per seizure, the bits (factor.bit) of its items'
				     kinds: a seizure none of whose bits an item filter
				     accepts has no matching item, and is passed over
				     without reading its items */

	struct posting post[POST_N];
	uint16_t *route;          /* country codes */
	size_t nroute, route_cap;

	size_t ni, icap;          /* items */
	uint32_t *taxon;          /* in the taxon dictionary */
	uint16_t *term, *unit;
	double *quantity;
	float *kg, *animals, *rie_kg;   /* derived; NAN unknown */
	uint32_t *kind;           /* derived: the item's (taxon, term, unit) as its index
				     in factors (its commodity there too), so that a
				     query's item filters and item groups are one table
				     lookup per item */

	struct dict countries, agencies, transports, detections, concealments, taxa, terms, units,
		currencies, transits, commodities;
	struct dict kind_keys;    /* "family\tterm" of the kinds: a kind's bit is its
				     index here (from 1) minus 1, modulo 32 */
	int64_t *taxon_id;        /* by taxon dictionary index */
	size_t taxon_id_cap;

	/* factors */
	struct an_conversion *conv;
	size_t nconv;
	struct arena conv_arena;
	double *usd_per;          /* by currency index; NAN unknown */
	size_t usd_per_cap;
	uint64_t *fcache_key;     /* (taxon, term, unit) -> index in factors */
	uint32_t *fcache_val;
	size_t fcache_cap;
	struct factor *factors;
	size_t nfactors, factors_cap;

	int64_t generation, last_audit;
};

struct analytics {
	pthread_rwlock_t lock;
	struct columns *c;
	const struct refdata *ref; /* the latest given (for the factors) */
	double build_ms;
	size_t split_min;          /* scans of this many rows run on two threads; 0 never */
};

/* Builds into a fresh columns (NULL on error). */
struct columns *columns_load(struct store *st, const struct refdata *ref, struct error *err);
void columns_free(struct columns *c);
/* Re-reads one seizure (gone: marked dead); refdata for the factors. */
int columns_reload_one(struct columns *c, struct store *st, const struct refdata *ref, int64_t id,
		       struct error *err);
/* Puts every live row in order again. */
void columns_compact(struct columns *c);
/* Recomputes kg, animals, rie_kg, kind, value_usd. */
void columns_apply_factors(struct columns *c, const struct refdata *ref);
int columns_read_factors(struct columns *c, struct store *st, struct error *err);
size_t columns_bytes(const struct columns *c);

/* kg per unit of a weight unit code; 0 when not a weight unit. */
double unit_kg(const char *unit);

/* ---- queries ---- */

/* A request prepared against the columns: per dictionary, the accepted
 * indexes (NULL = any). */
struct prep {
	int32_t from, to;
	int admin;
	uint16_t my_agency;       /* UINT16_MAX when the actor's agency has no seizure */
	uint8_t *ok_country, *ok_origin, *ok_transit, *ok_destination, *ok_any_country;
	uint8_t *ok_agency, *ok_transport, *ok_detection, *ok_concealment;
	uint8_t *ok_taxon, *ok_term, *ok_unit, *ok_commodity;
	unsigned class_mask;      /* bit per weight class (index into class keys); 0 = any */
	int item_filter;          /* any of the item filters set */
	/* the item filters for the scan: the filter's table, or all ones when
	 * that filter is not set (ones: owned, freed by prep_free) */
	const uint8_t *it_taxon, *it_term, *it_unit, *it_commodity;
	uint8_t *ones;
	/* per item kind (columns.kind, nfactors of them): 1 when the item
	 * filters pass (ok_kind), when its unit is qty_unit (qty_kind) */
	uint8_t *ok_kind, *qty_kind;
	uint32_t kind_bits;       /* the bits (factor.bit) of the kinds of ok_kind */
	/* the sorted rows that may pass a selective seizure filter (country,
	 * origin, destination, transport or agency: the one with the fewest
	 * rows in the dates), ascending; NULL: every row is read.  Owned when
	 * cand_owned, else a posting list of the columns. */
	const uint32_t *cand;
	size_t ncand;
	uint32_t *cand_owned;
	int impossible;
	uint16_t qty_unit;        /* AN_M_QUANTITY; UINT16_MAX: none */
	double currency_div;      /* usd per unit of the currency asked */
	double currency_mul;      /* 1 / currency_div */
	enum an_measure measure;
};

enum { WC_LT10, WC_10_100, WC_GE100, WC_UNKNOWN, WC_COUNT };
extern const char *const analytics_class_keys[WC_COUNT];
extern const char *const analytics_class_labels[WC_COUNT];

/* One matching seizure, as the scan hands it over. */
struct match {
	size_t s;                 /* row */
	const uint32_t *items;    /* its matching items; NULL: all of them, from item_off */
	size_t item_off;
	size_t nitems;
	int wclass;
	double class_kg;          /* weight for the class (raw-ivory equivalent); NAN unknown */
	struct an_cell cell;      /* the seizure's matching part */
};

typedef void (*visit_fn)(void *ctx, const struct columns *c, const struct match *m);

int prep_request(const struct columns *c, const struct refdata *ref, const struct actor *who,
		 const struct an_request *r, struct prep *p, struct error *err);
void prep_free(struct prep *p);
/* The scan over the matching seizures: SCAN_PART() in scan.h. */

/* A part of a scan: the sorted rows [lo, hi), then the unsorted tail when
 * tail is 1. */
struct scan_part {
	size_t lo, hi;
	int tail;
};

/* Scans of at least this many rows run as two halves on two threads. */
enum { SCAN_SPLIT_MIN_DEFAULT = 32768 };

/* Scans one part into ctx (a function of the calling file wrapping
 * SCAN_PART with its visitor). */
typedef void (*part_fn)(const struct columns *c, const struct prep *p,
			const struct scan_part *part, void *ctx);

/* 2 when the scan of p covers at least split_min rows (split_min > 0), so
 * that scan_run() will use two accumulators; else 1. */
int scan_nparts(const struct columns *c, const struct prep *p, size_t split_min);
/*
 * Runs the scan of p in nparts parts (scan_nparts()).  One part: fn(ctx[0])
 * over every row.  Two: the sorted rows in range are cut in two fixed halves
 * (by row count); fn(ctx[0]) scans the first half on a new thread while
 * fn(ctx[1]) scans the second half and the unsorted tail on the calling
 * thread; both have ended when it returns.  The caller then adds ctx[1] into
 * ctx[0] (the first half's sums first: the order is fixed).  If a thread
 * cannot be started, both parts run on the calling thread, with the same
 * result.  fn must only read c and p.
 */
void scan_run(const struct columns *c, const struct prep *p, int nparts, part_fn fn,
	      void *ctx[2]);
/* nmemb * size zeroed bytes in whole cache lines of their own (aligned to
 * and padded to 64 bytes): the sums of two halves scanned on two threads
 * never share a line.  Aborts when out of memory, like xcalloc; free(). */
void *scan_calloc(size_t nmemb, size_t size);
/* Adds c into into, field by field. */
static inline void cell_add(struct an_cell *into, const struct an_cell *c)
{
	into->seizures += c->seizures;
	into->items += c->items;
	into->quantity += c->quantity;
	into->weight_kg += c->weight_kg;
	into->animals += c->animals;
	into->value += c->value;
	into->items_unweighed += c->items_unweighed;
	into->seizures_valued += c->seizures_valued;
}
/* analytics_cell_value(), inline for the scans. */
static inline double cell_value(const struct an_cell *c, enum an_measure m)
{
	switch (m) {
	case AN_M_SEIZURES: return c->seizures;
	case AN_M_ITEMS: return c->items;
	case AN_M_QUANTITY: return c->quantity;
	case AN_M_WEIGHT: return c->weight_kg;
	case AN_M_ANIMALS: return c->animals;
	case AN_M_VALUE: return c->value;
	default: return 0;
	}
}
/* English label of a key of a dimension (NULL when none). */
const char *dim_label(const struct refdata *ref, enum an_dim d, const char *key);
/* The dictionary behind a (non-time) dimension. */
const struct dict *dim_dict(const struct columns *c, enum an_dim d);
int32_t day_of(const char *ymd);

#endif
