/* The figures of a brief, from the analytics engine (see brief.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics/analytics.h"
#include "lib/dynbuf.h"
#include "ref/refdata.h"
#include "report/brief.h"

const char *const brief_extra_params[] = { "lang", "title", "marking", "chart", NULL };

enum { BRIEF_BARS = 12, BRIEF_ROUTES = 15 };

static int is_km(const char *lang)
{
	return lang && strcmp(lang, "km") == 0;
}

static const char *country_name(const struct refdata *ref, const char *lang, const char *iso)
{
	if (!iso || !*iso)
		return "";
	const struct country *c = refdata_country(ref, iso);
	if (!c)
		return iso;
	return is_km(lang) && c->name_km && *c->name_km ? c->name_km : c->name_en;
}

static const char *term_name(const struct refdata *ref, const char *lang, const char *code,
			     struct arena *a)
{
	const struct code_entry *t = refdata_term(ref, code);
	if (!t)
		return code;
	const char *name = is_km(lang) && t->name_km && *t->name_km ? t->name_km : t->name_en;
	return arena_sprintf(a, "%s (%s)", name, code);
}

/* "KH;TH" -> "Cambodia, Thailand" */
static const char *country_list(const struct refdata *ref, const char *lang, const char *list,
				struct arena *a)
{
	if (!list || !*list)
		return "";
	struct dynbuf out = DYNBUF_INIT(4096);
	const char *p = list;
	while (*p) {
		const char *e = p + strcspn(p, ";,");
		char code[8] = "";
		size_t n = (size_t)(e - p) < sizeof code - 1 ? (size_t)(e - p) : sizeof code - 1;
		memcpy(code, p, n);
		code[n] = '\0';
		if (out.len)
			dynbuf_adds(&out, ", ");
		dynbuf_adds(&out, country_name(ref, lang, code));
		p = *e ? e + 1 : e;
	}
	const char *s = arena_strdup(a, dynbuf_str(&out));
	dynbuf_free(&out);
	return s;
}

static int is_country_param(const char *k)
{
	return strcmp(k, "country") == 0 || strcmp(k, "seizure_country") == 0 ||
	       strcmp(k, "origin") == 0 || strcmp(k, "transit") == 0 ||
	       strcmp(k, "destination") == 0;
}

/* The filter in words: "Period: 2024-01 – 2024-12 · Species: Manis javanica". */
static const char *scope_text(const struct refdata *ref, const char *lang, const struct query *q,
			      struct arena *a)
{
	struct dynbuf out = DYNBUF_INIT(8192);
	const char *from = query_get(q, "from"), *to = query_get(q, "to");
	if ((from && *from) || (to && *to)) {
		dynbuf_addf(&out, "%s: %s – %s", brief_label(lang, "f_period"),
			    from && *from ? from : "…", to && *to ? to : "…");
	}
	for (size_t i = 0; i < q->n; i++) {
		const char *k = q->keys[i], *v = q->values[i];
		if (!v || !*v || strcmp(k, "from") == 0 || strcmp(k, "to") == 0 ||
		    strcmp(k, "base_year") == 0)
			continue;
		int skip = 0;
		for (size_t j = 0; brief_extra_params[j]; j++)
			skip |= strcmp(k, brief_extra_params[j]) == 0;
		if (skip)
			continue;
		char key[64];
		snprintf(key, sizeof key, "f_%s", k);
		const char *label = brief_label(lang, key);
		if (label == key || strcmp(label, key) == 0)
			label = k;
		const char *shown = v;
		if (is_country_param(k))
			shown = country_list(ref, lang, v, a);
		else if (strcmp(k, "term") == 0)
			shown = term_name(ref, lang, v, a);
		if (out.len)
			dynbuf_adds(&out, " · ");
		dynbuf_addf(&out, "%s: %s", label, shown);
	}
	const char *s = arena_strdup(a, dynbuf_str(&out));
	dynbuf_free(&out);
	return s;
}

static struct brief_count *counts(const struct an_breakdown *bd, size_t *n, struct arena *a)
{
	*n = bd->ngroups;
	struct brief_count *c = arena_alloc(a, (bd->ngroups ? bd->ngroups : 1) * sizeof *c);
	for (size_t i = 0; i < bd->ngroups; i++) {
		c[i].code = bd->groups[i].key;
		c[i].label = bd->groups[i].label && *bd->groups[i].label ? bd->groups[i].label
									    : bd->groups[i].key;
		c[i].seizures = (int64_t)llround(bd->groups[i].cell.seizures);
		c[i].kg = bd->groups[i].cell.weight_kg;
	}
	return c;
}

static int breakdown(struct analytics *an, const struct refdata *ref, const struct actor *who,
		     const struct an_request *base, enum an_dim by, struct an_breakdown *out,
		     struct arena *a, struct error *err)
{
	struct an_request r = *base;
	r.by = by;
	r.measure = AN_M_SEIZURES;
	r.limit = BRIEF_BARS;
	return analytics_breakdown(an, ref, who, &r, out, a, err);
}

/* Years when the matches span more than four years, quarters above 18
 * months, else months. */
static enum an_dim grain_for(int32_t first, int32_t last)
{
	int32_t span = last - first;
	if (span > 4 * 365)
		return AN_D_YEAR;
	if (span > 548)
		return AN_D_QUARTER;
	return AN_D_MONTH;
}

int brief_collect(struct analytics *an, const struct refdata *ref, const struct actor *who,
		  const struct query *q, const struct brief_options *opt, struct brief *b,
		  struct arena *a, struct error *err)
{
	struct an_request r;
	if (analytics_request_parse(ref, q, brief_extra_params, &r, a, err) != 0)
		return -1;
	memset(b, 0, sizeof *b);
	const char *lang = opt && is_km(opt->lang) ? "km" : "en";
	b->lang = lang;
	b->title = opt ? opt->title : NULL;
	b->marking = opt ? opt->marking : NULL;
	b->scope = scope_text(ref, lang, q, a);
	b->note = is_km(lang) ? NULL : analytics_note();
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	b->generated = who && who->username ? arena_sprintf(a, "%s, %s", when, who->username)
					    : arena_strdup(a, when);

	struct an_summary sum;
	if (analytics_summary(an, ref, who, &r, &sum, a, err) != 0)
		return -1;
	b->seizures = (int64_t)llround(sum.total.seizures);
	b->items = (int64_t)llround(sum.total.items);
	b->kg = sum.total.weight_kg;
	if (b->seizures == 0)
		return 0;

	/* time series: seizures and weight */
	struct an_request tr = r;
	tr.by = AN_D_NONE;
	tr.grain = grain_for(sum.first_day, sum.last_day);
	tr.measure = AN_M_SEIZURES;
	struct an_timeseries ts, tw;
	if (analytics_timeseries(an, ref, who, &tr, &ts, a, err) != 0)
		return -1;
	tr.measure = AN_M_WEIGHT;
	if (analytics_timeseries(an, ref, who, &tr, &tw, a, err) != 0)
		return -1;
	if (ts.nseries > 0 && ts.nperiods > 0) {
		b->nperiods = ts.nperiods;
		b->periods = arena_alloc(a, ts.nperiods * sizeof *b->periods);
		for (size_t i = 0; i < ts.nperiods; i++) {
			b->periods[i].label = ts.periods[i];
			b->periods[i].seizures = (int64_t)llround(ts.series[0].values[i]);
			b->periods[i].kg = tw.nseries > 0 && i < tw.nperiods ? tw.series[0].values[i] : 0;
		}
	}

	/* breakdowns */
	struct an_breakdown bd;
	if (breakdown(an, ref, who, &r, AN_D_SPECIES, &bd, a, err) != 0)
		return -1;
	b->by_species = counts(&bd, &b->nby_species, a);
	b->species = (int64_t)bd.ngroups_total;
	if (breakdown(an, ref, who, &r, AN_D_COUNTRY, &bd, a, err) != 0)
		return -1;
	b->by_country = counts(&bd, &b->nby_country, a);
	for (size_t i = 0; i < b->nby_country; i++)
		b->by_country[i].label = *b->by_country[i].code
						 ? country_name(ref, lang, b->by_country[i].code)
						 : brief_label(lang, "unknown");
	if (breakdown(an, ref, who, &r, AN_D_TERM, &bd, a, err) != 0)
		return -1;
	b->by_term = counts(&bd, &b->nby_term, a);
	for (size_t i = 0; i < b->nby_term; i++)
		b->by_term[i].label = *b->by_term[i].code ? term_name(ref, lang, b->by_term[i].code, a)
							  : brief_label(lang, "unknown");

	/* routes: only those with an origin or a destination recorded */
	struct an_request rr = r;
	rr.measure = AN_M_SEIZURES;
	rr.limit = BRIEF_ROUTES;
	struct an_routes routes;
	if (analytics_routes(an, ref, who, &rr, &routes, a, err) != 0)
		return -1;
	b->routes = arena_alloc(a, (routes.nroutes ? routes.nroutes : 1) * sizeof *b->routes);
	for (size_t i = 0; i < routes.nroutes; i++) {
		const struct an_route *x = &routes.routes[i];
		if (!*x->origin && !*x->destination)
			continue;
		struct brief_route *y = &b->routes[b->nroutes++];
		y->origin = country_name(ref, lang, x->origin);
		y->transit = country_list(ref, lang, x->transit, a);
		y->destination = country_name(ref, lang, x->destination);
		y->seizures = (int64_t)llround(x->now.seizures);
		y->kg = x->now.weight_kg;
		y->trend = x->trend;
	}

	/* the map: seizures by country of seizure, and the points; countries
	 * involved in any role */
	struct an_request mr = r;
	mr.measure = AN_M_SEIZURES;
	mr.role = AN_D_COUNTRY;
	struct an_map map;
	if (analytics_map(an, ref, who, &mr, &map, a, err) != 0)
		return -1;
	b->map = arena_alloc(a, (map.ncountries ? map.ncountries : 1) * sizeof *b->map);
	for (size_t i = 0; i < map.ncountries; i++) {
		if (!*map.countries[i].key)
			continue;
		struct brief_count *c = &b->map[b->nmap++];
		c->code = map.countries[i].key;
		c->label = country_name(ref, lang, c->code);
		c->seizures = (int64_t)llround(map.countries[i].cell.seizures);
		c->kg = map.countries[i].cell.weight_kg;
	}
	b->npoints = map.npoints;
	b->points = arena_alloc(a, (map.npoints ? map.npoints : 1) * sizeof *b->points);
	for (size_t i = 0; i < map.npoints; i++) {
		b->points[i].lat = map.points[i].latitude;
		b->points[i].lon = map.points[i].longitude;
	}
	const char **seen = arena_alloc(a, 256 * sizeof *seen);
	size_t nseen = 0;
	const enum an_dim roles[] = { AN_D_COUNTRY, AN_D_ORIGIN, AN_D_TRANSIT, AN_D_DESTINATION };
	for (size_t k = 0; k < 4; k++) {
		struct an_map m2;
		mr.role = roles[k];
		mr.points_limit = 1;
		if (analytics_map(an, ref, who, &mr, &m2, a, err) != 0)
			return -1;
		for (size_t i = 0; i < m2.ncountries && nseen < 256; i++) {
			const char *key = m2.countries[i].key;
			int dup = !*key;
			for (size_t j = 0; j < nseen && !dup; j++)
				dup = strcmp(seen[j], key) == 0;
			if (!dup)
				seen[nseen++] = key;
		}
	}
	b->countries = (int64_t)nseen;

	/* indices, from two years on */
	struct an_indices ix;
	if (analytics_indices(an, ref, who, &r, &ix, a, err) != 0)
		return -1;
	if (ix.nyears >= 2) {
		b->index_base_year = ix.base_year;
		b->nindices = ix.nyears;
		b->indices = arena_alloc(a, ix.nyears * sizeof *b->indices);
		for (size_t i = 0; i < ix.nyears; i++) {
			b->indices[i].year = ix.years[i].year;
			b->indices[i].transaction = ix.years[i].transaction_index[AN_CLASS_ALL];
			b->indices[i].weight = ix.years[i].weight_index[AN_CLASS_ALL];
		}
		b->index_note = brief_label(lang, "index_note");
	}
	/* the network charts are extra sections added by brief_write
	 * (brief_add_chart, brief_chart.c): they need the store and the graph */
	return 0;
}

int brief_write(struct analytics *an, const struct refdata *ref, const struct actor *who,
		const struct query *q, const struct brief_options *opt, seizure_write_fn write,
		void *ctx, struct error *err)
{
	struct arena a;
	arena_init(&a);
	struct brief b;
	int rc = brief_collect(an, ref, who, q, opt, &b, &a, err);
	for (size_t i = 0; rc == 0 && opt && i < opt->ncharts; i++) {
		if (!opt->graph || !opt->store) {
			rc = error_set(err, ERR_INTERNAL, "the graph index is not built");
			break;
		}
		rc = brief_add_chart(&b, opt->graph, opt->store, who, opt->charts[i], &a, err);
	}
	if (rc == 0)
		rc = brief_render_pdf(&b, write, ctx, err);
	arena_free(&a);
	return rc;
}
