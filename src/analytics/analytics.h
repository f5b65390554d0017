/*
 * analytics.h - measures, breakdowns, routes, indices and map data of the
 * seizure register, answered from columns held in memory (issue 5).
 *
 * The columns are a struct of arrays over seizures and over their items:
 * dimensions dictionary-encoded, dates as day numbers, and per item the
 * weight in kg and the whole-animal equivalent already worked out from the
 * conversion table (data/conversions.csv, editable by an admin); per seizure
 * its value in US dollars from the rates table.  A query is one pass over
 * the seizures that may match (they are kept in date order, so a date range
 * is a slice), adding each matching seizure and item into the cells of its
 * groups; a pass over many seizures is cut in two fixed halves scanned on
 * two threads (analytics_set_split), their sums added in a fixed order.
 * docs/analytics.md gives the method of every number.
 *
 * The columns are derived, never the truth: built from the store at start
 * (analytics_build), refreshed for a seizure after a change
 * (analytics_refresh), and brought up to date when the register's
 * generation moved (analytics_sync: the seizures named by the audit log
 * since the last look are re-read; a large change rebuilds).  Editing the
 * conversion or rates table recomputes the derived values
 * (analytics_reload_factors).
 *
 * Access rules hold in every number: a query counts only the seizures the
 * actor may see (admin: all; others: their agency's and those shared
 * nationally), exactly as the seizure list does.
 *
 * Thread-safe: queries share a read lock, changes take the write lock.
 * Results are allocated in the arena the caller gives and live as long as
 * it; strings in them point into the arena too.  Functions return 0, or -1
 * with *err set (ERR_VALIDATION naming the parameter for a bad request).
 */
#ifndef KOUPREY_ANALYTICS_H
#define KOUPREY_ANALYTICS_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "lib/query.h"

struct store;
struct refdata;
struct analytics;

/* ---- what is measured ---------------------------------------------------- */

enum an_measure {
	AN_M_SEIZURES,    /* number of seizures ("seizures") */
	AN_M_ITEMS,       /* number of item lines ("items") */
	AN_M_QUANTITY,    /* sum of quantities in one unit ("quantity", with unit=) */
	AN_M_WEIGHT,      /* kilograms, where the unit or the conversion table allows ("weight_kg") */
	AN_M_ANIMALS,     /* whole-animal equivalents from the conversion table ("animals") */
	AN_M_VALUE,       /* estimated value in a currency ("value", with currency=) */
	AN_M_COUNT
};

/* Dimensions: for breakdowns (by=), series (grain=, split=) and filters. */
enum an_dim {
	AN_D_NONE,
	AN_D_DAY, AN_D_WEEK, AN_D_MONTH, AN_D_QUARTER, AN_D_YEAR,   /* time grains */
	AN_D_SPECIES,       /* the item's taxon (key: taxon id) */
	AN_D_GENUS, AN_D_FAMILY, AN_D_ORDER, AN_D_CLASS,
	AN_D_TERM,          /* CITES term code */
	AN_D_UNIT,          /* CITES unit code ("" = number of specimens) */
	AN_D_COUNTRY,       /* country of seizure (as a filter: "seizure_country") */
	AN_D_ORIGIN, AN_D_TRANSIT, AN_D_DESTINATION,
	AN_D_AGENCY,        /* key: agency id */
	AN_D_TRANSPORT,     /* transport_mode code */
	AN_D_DETECTION,     /* detection_method code */
	AN_D_CONCEALMENT,   /* concealment code */
	AN_D_WEIGHT_CLASS,  /* "lt10", "10to100", "ge100", "unknown" (ETIS size classes) */
	AN_D_COMMODITY,     /* the conversion table's commodity ("ivory", "pangolin scales", ...) */
	AN_D_COUNT
};

/* API names ("seizures", "weight_kg"; "month", "species", "transport_mode"),
 * and back (-1 when unknown). */
const char *analytics_measure_name(enum an_measure m);
int analytics_measure_parse(const char *name);
const char *analytics_dim_name(enum an_dim d);
int analytics_dim_parse(const char *name);
/* 1 for the dimensions of items (species ... unit, commodity): a seizure
 * counts in each group one of its matching items falls in. */
int analytics_dim_is_item(enum an_dim d);

/* ---- the request --------------------------------------------------------- */

enum { AN_FILTER_MAX = 32 };  /* values per filter parameter */

/* Values of one filter parameter: a match is any of them (OR); parameters
 * combine with AND.  Values are codes as the API shows them (taxon and
 * agency ids in decimal). */
struct an_list {
	size_t n;
	const char *v[AN_FILTER_MAX];
};

struct an_filter {
	int32_t from, to;         /* day numbers (days since 1970-01-01), inclusive;
				     INT32_MIN / INT32_MAX when open.  A seizure
				     whose date is a month or year matches when its
				     period overlaps [from, to]. */
	struct an_list dim[AN_D_COUNT];  /* per dimension (not the time grains) */
	struct an_list any_country;      /* seizure, origin, transit or destination
					    (the seizure list's country=) */
	struct an_list taxon;            /* higher taxa by name, any rank (taxon=) */
};

struct an_request {
	struct an_filter filter;
	enum an_measure measure;  /* default AN_M_SEIZURES */
	const char *unit;         /* AN_M_QUANTITY: unit code, "" = number of specimens */
	const char *currency;     /* AN_M_VALUE: ISO 4217 code; default "USD" */
	enum an_dim by;           /* breakdown dimension, or the split of a series */
	enum an_dim grain;        /* series: AN_D_DAY .. AN_D_YEAR (default month) */
	enum an_dim role;         /* map: AN_D_COUNTRY (default), ORIGIN, TRANSIT, DESTINATION */
	int limit;                /* groups or routes kept, largest first (default 20) */
	int base_year;            /* indices: 0 = the first year with data */
	int points_limit;         /* map points kept (default 5000, at most 20000) */
};

/*
 * Parses a request from query parameters:
 *   the seizure list's filters: species (name or taxon id), taxon (higher
 *   taxon), term, country (any role), agency (id), from, to (YYYY, YYYY-MM,
 *   YYYY-MM-DD), transport_mode;
 *   and: seizure_country, origin, transit, destination, detection_method,
 *   concealment, unit_code, weight_class, commodity, genus, family, order,
 *   class; every filter takes several values separated by commas;
 *   measure, unit, currency, by, split, grain, role, limit, base_year,
 *   points_limit.
 * Unknown parameters are errors unless listed in extra_ok (NULL-terminated,
 * e.g. "format").  Every bad value is a field error naming the parameter.
 */
int analytics_request_parse(const struct refdata *ref, const struct query *q,
			    const char *const *extra_ok, struct an_request *r, struct arena *a,
			    struct error *err);
/* Defaults: open dates, no filters, seizures, limit 20, month grain. */
void analytics_request_init(struct an_request *r);

/* ---- results ------------------------------------------------------------- */

/* Every measure of one group (or of the total). */
struct an_cell {
	double seizures;          /* distinct seizures */
	double items;             /* item lines */
	double quantity;          /* in the request's unit (AN_M_QUANTITY) */
	double weight_kg;         /* items whose weight is known */
	double animals;           /* items with a whole-animal equivalent */
	double value;             /* in the request's currency; seizures with a value */
	double items_unweighed;   /* matching items whose weight is not known */
	double seizures_valued;   /* seizures that carry a value */
};

/* The measure m of a cell. */
double analytics_cell_value(const struct an_cell *c, enum an_measure m);

struct an_group {
	const char *key;          /* code, id or period ("2024-03"); "" = not recorded */
	const char *label;        /* English name, or NULL */
	struct an_cell cell;
};

struct an_breakdown {
	enum an_dim by;
	struct an_group *groups;  /* largest first by the measure, at most limit */
	size_t ngroups;
	size_t ngroups_total;     /* groups before the limit */
	struct an_cell other;     /* the groups past the limit, summed (seizures
				     there are counted once per group) */
	struct an_cell total;     /* every matching seizure and item once */
	int multi;                /* a seizure may fall in several groups: the
				     groups' sum can exceed the total */
};

struct an_summary {
	struct an_cell total;
	int32_t first_day, last_day;          /* of the matching seizures; 0 when none */
	struct an_group *units;   size_t nunits;   /* quantity per unit ("" = number) */
	struct an_group *commodities; size_t ncommodities; /* equivalents per commodity */
	struct an_group *classes; size_t nclasses; /* lt10, 10to100, ge100, unknown */
};

struct an_series {
	const char *key, *label;  /* "all" for the whole; "other" for the rest */
	double *values;           /* nperiods values of the measure */
	double total;
};

struct an_timeseries {
	enum an_dim grain;
	const char **periods;     /* "2024-03-05", "2024-W10", "2024-03", "2024-Q1", "2024" */
	int32_t *period_start;    /* first day of each period */
	size_t nperiods;          /* every period from the first to the last match */
	struct an_series *series; /* "all" alone, or the split's largest groups then "other" */
	size_t nseries;
};

struct an_route {
	const char *origin, *transit, *destination;  /* ISO2; transit ';'-joined in
							recorded order; "" = not recorded */
	struct an_cell now, before;   /* in the period and in the one before it */
	double trend;                 /* (now - before) / before of the measure; NAN when before is 0 */
};

struct an_pair {
	const char *country;
	double seizures;
};

struct an_country_flow {
	const char *country;
	double seizures_in;       /* seizures made in the country */
	double seizures_out;      /* seizures made elsewhere naming it as origin or transit (ETIS) */
	struct an_pair *points_to;  /* for seizures made in it: the countries named as
				       origin or transit, most first */
	size_t npoints_to;
};

struct an_routes {
	int32_t from, to;             /* the period (the filter's, or the last 365 days with data) */
	int32_t prev_from, prev_to;   /* the period of the same length before it */
	struct an_route *routes;      /* most first by the measure, at most limit */
	size_t nroutes, nroutes_total;
	const char **origins, **destinations;   /* the matrix's rows and columns ("" = not recorded) */
	size_t norigins, ndestinations;
	struct an_cell *matrix;       /* norigins x ndestinations, row-major; in the period */
	struct an_country_flow *countries;  /* most seizures_in + seizures_out first */
	size_t ncountries;
};

enum { AN_CLASS_ALL, AN_CLASS_LT10, AN_CLASS_10_100, AN_CLASS_GE100, AN_CLASSES };

struct an_index_year {
	int year;
	double transactions[AN_CLASSES];      /* seizures with a known weight class (ALL: every seizure) */
	double weight_kg[AN_CLASSES];
	double transaction_index[AN_CLASSES]; /* 100 x year / base year; NAN when the base is 0 */
	double weight_index[AN_CLASSES];
};

struct an_indices {
	int base_year;
	struct an_index_year *years;  /* every year from the first to the last with data */
	size_t nyears;
};

struct an_point {
	int64_t id;
	double latitude, longitude;
	int32_t day;
	const char *country;
	double weight_kg;
};

struct an_map {
	enum an_dim role;
	struct an_group *countries;  /* per country of the role, most first (no limit) */
	size_t ncountries;
	struct an_point *points;     /* matching seizures with coordinates, newest first */
	size_t npoints;
	size_t points_total;         /* points before the cap (omitted = total - npoints) */
};

struct analytics_memory {
	size_t seizures, items;
	size_t bytes;             /* the columns, dictionaries and factors */
	int64_t generation;
	double build_ms;          /* the last full build */
};

/* ---- the columns --------------------------------------------------------- */

/* Builds the columns from the store (call inside a read transaction for a
 * consistent snapshot) and the conversion and rates tables. */
struct analytics *analytics_build(struct store *st, const struct refdata *ref,
				  struct error *err);
void analytics_free(struct analytics *an);
/* Seizure id changed (created, updated, deleted; 0 = something): brings the
 * columns up to date, rebuilding when more changed meanwhile. */
int analytics_refresh(struct analytics *an, struct store *st, const struct refdata *ref,
		      int64_t id, struct error *err);
/* Brings the columns up to date when the register's generation moved. */
int analytics_sync(struct analytics *an, struct store *st, const struct refdata *ref,
		   struct error *err);
/* Re-reads the conversion and rates tables and recomputes weights,
 * equivalents and values. */
int analytics_reload_factors(struct analytics *an, struct store *st, struct error *err);
void analytics_memory(struct analytics *an, struct analytics_memory *out);
/* A query whose scan covers at least min_rows seizures scans two fixed
 * halves on two threads (each into its own sums, the second added to the
 * first: the same answer on every run, equal to the one-thread answer up to
 * the rounding of the sums of fractional figures).  0 keeps every scan on
 * the calling thread.  The default is 32768; for tests and benchmarks. */
void analytics_set_split(struct analytics *an, size_t min_rows);

/* ---- queries (who: the acting user; only what they may see counts) -------- */

int analytics_summary(struct analytics *an, const struct refdata *ref, const struct actor *who,
		      const struct an_request *r, struct an_summary *out, struct arena *a,
		      struct error *err);
int analytics_breakdown(struct analytics *an, const struct refdata *ref,
			const struct actor *who, const struct an_request *r,
			struct an_breakdown *out, struct arena *a, struct error *err);
/* r->grain periods; r->by (if not AN_D_NONE) splits into its r->limit largest groups. */
int analytics_timeseries(struct analytics *an, const struct refdata *ref,
			 const struct actor *who, const struct an_request *r,
			 struct an_timeseries *out, struct arena *a, struct error *err);
int analytics_routes(struct analytics *an, const struct refdata *ref, const struct actor *who,
		     const struct an_request *r, struct an_routes *out, struct arena *a,
		     struct error *err);
int analytics_indices(struct analytics *an, const struct refdata *ref, const struct actor *who,
		      const struct an_request *r, struct an_indices *out, struct arena *a,
		      struct error *err);
int analytics_map(struct analytics *an, const struct refdata *ref, const struct actor *who,
		  const struct an_request *r, struct an_map *out, struct arena *a,
		  struct error *err);

/* What raw seizure counts can and cannot say (returned with every chart). */
const char *analytics_note(void);
/* The method of the indices, in one paragraph. */
const char *analytics_index_method(void);

/* Day number <-> "YYYY-MM-DD". */
int32_t analytics_day(int y, int m, int d);
void analytics_day_ymd(int32_t day, int *y, int *m, int *d);

/* ---- conversion and rates tables (admin-editable, audited) ---------------- */

struct an_conversion {
	int64_t id;
	const char *taxon;        /* a taxon name at any rank as in the checklist
				     ("Manis", "Elephantidae", "Panthera tigris") */
	const char *term;         /* CITES term code */
	const char *unit;         /* "" = number of specimens; "KIL" = per kilogram
				     (any weight unit is converted to kg first) */
	const char *commodity;    /* label for equivalents ("ivory", "pangolin scales") */
	double kg_per_unit;       /* kg of one unit (NAN: none; 1 for KIL) */
	double animals_per_unit;  /* whole animals per unit (NAN: none) */
	double rie_factor;        /* raw-ivory-equivalent factor on the kg (NAN: none = 1) */
	int estimate;             /* 1 when the factor is an estimate */
	const char *source;       /* the published source, cited */
	const char *note;
	const char *updated_at;
};

struct an_rate {
	int64_t id;
	const char *currency;     /* ISO 4217 */
	double usd_per_unit;      /* US dollars for one unit of the currency */
	const char *as_of;        /* YYYY-MM-DD or YYYY */
	const char *source;
	int estimate;
};

/* Checks a conversion row (taxon known, term and unit codes, factors >= 0,
 * source given); field errors name the JSON keys. */
int analytics_conversion_validate(const struct refdata *ref, struct an_conversion *c,
				  struct error *err);
/* Admin only: insert (c->id 0; sets it), replace, or delete, with the audit
 * entry in the same transaction.  ERR_NOT_FOUND for an unknown id,
 * ERR_CONFLICT for a duplicate (taxon, term, unit). */
int analytics_conversion_save(struct store *st, const struct refdata *ref,
			      const struct actor *who, struct an_conversion *c, struct error *err);
int analytics_conversion_delete(struct store *st, const struct actor *who, int64_t id,
				struct error *err);
int analytics_rate_save(struct store *st, const struct actor *who, struct an_rate *r,
			struct error *err);
int analytics_rate_delete(struct store *st, const struct actor *who, int64_t id,
			  struct error *err);
/* Loads data/conversions.csv and data/rates.csv from dir into empty tables
 * (kouprey init); inside the caller's transaction. */
int analytics_load_tables(struct store *st, const char *dir, struct error *err);

#endif
