/* /api/v1/analytics/... : the analytics of issue 5 (JSON, or CSV with
 * format=csv), and the admin-editable conversion and rates tables.  Shapes
 * in docs/api.md ("Analytics API"); numbers from src/analytics/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics.h"
#include "api/api.h"
#include "lib/dynbuf.h"
#include "store/store.h"

static const char *const extra[] = { "format", NULL };

static json_t *number(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *cell_json(const struct an_cell *c)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "seizures", number(c->seizures),
			 "items", number(c->items), "quantity", number(c->quantity), "weight_kg",
			 number(c->weight_kg), "animals", number(c->animals), "value",
			 number(c->value), "items_unweighed", number(c->items_unweighed),
			 "seizures_valued", number(c->seizures_valued));
}

static const char *iso_day(struct arena *a, int32_t day)
{
	int y, m, d;
	analytics_day_ymd(day, &y, &m, &d);
	return arena_sprintf(a, "%04d-%02d-%02d", y, m, d);
}

/* Parses the request, brings the columns up to date. */
static int start(struct api_ctx *c, struct an_request *r, int *csv)
{
	analytics_request_init(r);
	if (!c->app->analytics)
		return error_set(&c->err, ERR_INTERNAL, "the analytics are not built");
	if (analytics_request_parse(c->ref, &c->req->query, extra, r, c->req->arena, &c->err) != 0)
		return -1;
	const char *format = query_get(&c->req->query, "format");
	*csv = format && strcmp(format, "csv") == 0;
	if (format && *format && !*csv && strcmp(format, "json") != 0)
		return error_field(&c->err, "format", "must be json or csv");
	return analytics_sync(c->app->analytics, c->st, c->ref, &c->err);
}

static void common(json_t *j, const struct an_request *r)
{
	json_object_set_new(j, "measure", json_string(analytics_measure_name(r->measure)));
	if (r->measure == AN_M_VALUE)
		json_object_set_new(j, "currency", json_string(r->currency));
	if (r->measure == AN_M_QUANTITY)
		json_object_set_new(j, "unit", json_string(r->unit ? r->unit : ""));
	json_object_set_new(j, "note", json_string(analytics_note()));
}

/* ---- CSV ---- */

static void csv_field(struct dynbuf *b, const char *s)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\n\r")) {
		dynbuf_addc(b, '"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				dynbuf_addc(b, '"');
			dynbuf_addc(b, *p);
		}
		dynbuf_addc(b, '"');
	} else {
		dynbuf_adds(b, s);
	}
}

static void csv_num(struct dynbuf *b, double v)
{
	dynbuf_addc(b, ',');
	if (!isnan(v) && !isinf(v))
		dynbuf_addf(b, "%.10g", v);
}

static void csv_send(struct api_ctx *c, struct dynbuf *b, const char *name)
{
	size_t len = b->len;
	char *body = dynbuf_take(b);
	api_download(c, "text/csv; charset=utf-8", name, body, len);
}

static void csv_cell(struct dynbuf *b, const struct an_cell *x)
{
	csv_num(b, x->seizures);
	csv_num(b, x->items);
	csv_num(b, x->quantity);
	csv_num(b, x->weight_kg);
	csv_num(b, x->animals);
	csv_num(b, x->value);
}

/* Agency names for keys that are agency ids. */
static void agency_labels(struct api_ctx *c, struct an_group *g, size_t n)
{
	struct agency_rec *list;
	size_t na;
	struct error e = ERROR_INIT;
	if (store_agency_list(c->st, &list, &na, c->req->arena, &e) != 0) {
		error_clear(&e);
		return;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < na; k++)
			if (g[i].key && strtoll(g[i].key, NULL, 10) == list[k].id)
				g[i].label = list[k].name;
}

static json_t *group_json(const struct an_group *g, enum an_measure m, double total)
{
	double v = analytics_cell_value(&g->cell, m);
	json_t *j = json_pack("{s:s, s:o, s:o, s:o}", "key", g->key ? g->key : "", "label",
			      g->label ? json_string(g->label) : json_null(), "value", number(v),
			      "cell", cell_json(&g->cell));
	if (total >= 0)
		json_object_set_new(j, "share", total > 0 ? json_real(v / total) : json_null());
	return j;
}

static json_t *groups_json(const struct an_group *g, size_t n, enum an_measure m, double total)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, group_json(&g[i], m, total));
	return a;
}

/* ---- endpoints ---- */

int api_analytics_summary(struct api_ctx *c)
{
	struct an_request r;
	int csv = 0;
	struct an_summary s;
	if (start(c, &r, &csv) != 0 ||
	    analytics_summary(c->app->analytics, c->ref, &c->who, &r, &s, c->req->arena, &c->err) != 0)
		return -1;
	struct analytics_memory mem;
	analytics_memory(c->app->analytics, &mem);
	if (csv) {
		struct dynbuf b = DYNBUF_INIT(64u << 20);
		dynbuf_adds(&b, "section,key,label,seizures,items,quantity,weight_kg,animals,value\n");
		dynbuf_adds(&b, "total,all,All");
		csv_cell(&b, &s.total);
		dynbuf_addc(&b, '\n');
		const struct { const char *name; struct an_group *g; size_t n; } sec[] = {
			{ "unit", s.units, s.nunits }, { "commodity", s.commodities, s.ncommodities },
			{ "weight_class", s.classes, s.nclasses } };
		for (size_t k = 0; k < 3; k++)
			for (size_t i = 0; i < sec[k].n; i++) {
				dynbuf_adds(&b, sec[k].name);
				dynbuf_addc(&b, ',');
				csv_field(&b, sec[k].g[i].key);
				dynbuf_addc(&b, ',');
				csv_field(&b, sec[k].g[i].label);
				csv_cell(&b, &sec[k].g[i].cell);
				dynbuf_addc(&b, '\n');
			}
		csv_send(c, &b, "analytics-summary.csv");
		return 0;
	}
	json_t *j = json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:f}}", "total",
		cell_json(&s.total), "first",
		s.first_day ? json_string(iso_day(c->req->arena, s.first_day)) : json_null(), "last",
		s.last_day ? json_string(iso_day(c->req->arena, s.last_day)) : json_null(), "units",
		groups_json(s.units, s.nunits, AN_M_ITEMS, -1), "commodities",
		groups_json(s.commodities, s.ncommodities, AN_M_ANIMALS, -1), "weight_classes",
		groups_json(s.classes, s.nclasses, AN_M_SEIZURES, -1), "columns", "seizures",
		(json_int_t)mem.seizures, "items", (json_int_t)mem.items, "bytes",
		(json_int_t)mem.bytes, "generation", (json_int_t)mem.generation, "build_ms",
		mem.build_ms);
	common(j, &r);
	api_json(c, 200, j);
	return 0;
}

int api_analytics_breakdown(struct api_ctx *c)
{
	struct an_request r;
	int csv = 0;
	if (start(c, &r, &csv) != 0)
		return -1;
	if (r.by == AN_D_NONE)
		r.by = AN_D_SPECIES; /* the default dimension */
	struct an_breakdown b;
	if (analytics_breakdown(c->app->analytics, c->ref, &c->who, &r, &b, c->req->arena,
				&c->err) != 0)
		return -1;
	if (r.by == AN_D_AGENCY)
		agency_labels(c, b.groups, b.ngroups);
	double total = analytics_cell_value(&b.total, r.measure);
	if (csv) {
		struct dynbuf b2 = DYNBUF_INIT(64u << 20);
		dynbuf_adds(&b2, "key,label,value,seizures,items,quantity,weight_kg,animals,"
				 "value_amount,share\n");
		for (size_t i = 0; i < b.ngroups; i++) {
			csv_field(&b2, b.groups[i].key);
			dynbuf_addc(&b2, ',');
			csv_field(&b2, b.groups[i].label);
			double v = analytics_cell_value(&b.groups[i].cell, r.measure);
			csv_num(&b2, v);
			csv_cell(&b2, &b.groups[i].cell);
			csv_num(&b2, total > 0 ? v / total : NAN);
			dynbuf_addc(&b2, '\n');
		}
		csv_send(c, &b2, "analytics-breakdown.csv");
		return 0;
	}
	json_t *j = json_pack("{s:s, s:o, s:I, s:{s:o, s:o}, s:{s:o, s:o}, s:b}", "by",
			      analytics_dim_name(r.by), "groups",
			      groups_json(b.groups, b.ngroups, r.measure, total), "groups_total",
			      (json_int_t)b.ngroups_total, "other", "value",
			      number(analytics_cell_value(&b.other, r.measure)), "cell",
			      cell_json(&b.other), "total", "value", number(total), "cell",
			      cell_json(&b.total), "multi", b.multi);
	common(j, &r);
	api_json(c, 200, j);
	return 0;
}

int api_analytics_timeseries(struct api_ctx *c)
{
	struct an_request r;
	int csv = 0;
	struct an_timeseries t;
	if (start(c, &r, &csv) != 0 ||
	    analytics_timeseries(c->app->analytics, c->ref, &c->who, &r, &t, c->req->arena,
				 &c->err) != 0)
		return -1;
	if (csv) {
		struct dynbuf b = DYNBUF_INIT(64u << 20);
		dynbuf_adds(&b, "period");
		for (size_t s = 0; s < t.nseries; s++) {
			dynbuf_addc(&b, ',');
			csv_field(&b, t.series[s].label ? t.series[s].label : t.series[s].key);
		}
		dynbuf_addc(&b, '\n');
		for (size_t k = 0; k < t.nperiods; k++) {
			dynbuf_adds(&b, t.periods[k]);
			for (size_t s = 0; s < t.nseries; s++)
				csv_num(&b, t.series[s].values[k]);
			dynbuf_addc(&b, '\n');
		}
		csv_send(c, &b, "analytics-timeseries.csv");
		return 0;
	}
	json_t *periods = json_array(), *starts = json_array(), *series = json_array();
	for (size_t k = 0; k < t.nperiods; k++) {
		json_array_append_new(periods, json_string(t.periods[k]));
		json_array_append_new(starts, json_string(iso_day(c->req->arena, t.period_start[k])));
	}
	for (size_t s = 0; s < t.nseries; s++) {
		json_t *values = json_array();
		for (size_t k = 0; k < t.nperiods; k++)
			json_array_append_new(values, number(t.series[s].values[k]));
		json_array_append_new(series,
				      json_pack("{s:s, s:o, s:o, s:o}", "key", t.series[s].key,
						"label",
						t.series[s].label ? json_string(t.series[s].label)
								  : json_null(),
						"values", values, "total", number(t.series[s].total)));
	}
	json_t *j = json_pack("{s:s, s:o, s:o, s:o}", "grain", analytics_dim_name(t.grain),
			      "periods", periods, "period_start", starts, "series", series);
	if (r.by != AN_D_NONE)
		json_object_set_new(j, "split", json_string(analytics_dim_name(r.by)));
	common(j, &r);
	api_json(c, 200, j);
	return 0;
}

static json_t *transit_json(const char *t)
{
	json_t *a = json_array();
	const char *p = t;
	while (p && *p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len)
			json_array_append_new(a, json_stringn(p, len));
		if (!end)
			break;
		p = end + 1;
	}
	return a;
}

int api_analytics_routes(struct api_ctx *c)
{
	struct an_request r;
	int csv = 0;
	struct an_routes o;
	if (start(c, &r, &csv) != 0 ||
	    analytics_routes(c->app->analytics, c->ref, &c->who, &r, &o, c->req->arena, &c->err) != 0)
		return -1;
	struct arena *a = c->req->arena;
	if (csv) {
		struct dynbuf b = DYNBUF_INIT(64u << 20);
		dynbuf_adds(&b, "origin,transit,destination,value,previous_value,trend,seizures,"
				"weight_kg\n");
		for (size_t i = 0; i < o.nroutes; i++) {
			const struct an_route *ro = &o.routes[i];
			csv_field(&b, ro->origin);
			dynbuf_addc(&b, ',');
			csv_field(&b, ro->transit);
			dynbuf_addc(&b, ',');
			csv_field(&b, ro->destination);
			csv_num(&b, analytics_cell_value(&ro->now, r.measure));
			csv_num(&b, analytics_cell_value(&ro->before, r.measure));
			csv_num(&b, ro->trend);
			csv_num(&b, ro->now.seizures);
			csv_num(&b, ro->now.weight_kg);
			dynbuf_addc(&b, '\n');
		}
		csv_send(c, &b, "analytics-routes.csv");
		return 0;
	}
	json_t *routes = json_array();
	for (size_t i = 0; i < o.nroutes; i++) {
		const struct an_route *ro = &o.routes[i];
		json_array_append_new(
			routes,
			json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "origin", ro->origin,
				  "transit", transit_json(ro->transit), "destination", ro->destination,
				  "now", cell_json(&ro->now), "before", cell_json(&ro->before), "value",
				  number(analytics_cell_value(&ro->now, r.measure)), "previous_value",
				  number(analytics_cell_value(&ro->before, r.measure)), "trend",
				  number(ro->trend)));
	}
	json_t *origins = json_array(), *dests = json_array(), *values = json_array(),
	       *seizures = json_array(), *weights = json_array();
	for (size_t i = 0; i < o.norigins; i++)
		json_array_append_new(origins, json_string(o.origins[i]));
	for (size_t k = 0; k < o.ndestinations; k++)
		json_array_append_new(dests, json_string(o.destinations[k]));
	for (size_t i = 0; i < o.norigins; i++) {
		json_t *v = json_array(), *s = json_array(), *w = json_array();
		for (size_t k = 0; k < o.ndestinations; k++) {
			const struct an_cell *x = &o.matrix[i * o.ndestinations + k];
			json_array_append_new(v, number(analytics_cell_value(x, r.measure)));
			json_array_append_new(s, number(x->seizures));
			json_array_append_new(w, number(x->weight_kg));
		}
		json_array_append_new(values, v);
		json_array_append_new(seizures, s);
		json_array_append_new(weights, w);
	}
	json_t *countries = json_array();
	for (size_t i = 0; i < o.ncountries; i++) {
		const struct an_country_flow *f = &o.countries[i];
		json_t *pts = json_array();
		for (size_t k = 0; k < f->npoints_to; k++)
			json_array_append_new(pts, json_pack("{s:s, s:o}", "country",
							     f->points_to[k].country, "seizures",
							     number(f->points_to[k].seizures)));
		json_array_append_new(countries,
				      json_pack("{s:s, s:o, s:o, s:o}", "country", f->country,
						"seizures_in", number(f->seizures_in), "seizures_out",
						number(f->seizures_out), "points_to", pts));
	}
	json_t *j = json_pack(
		"{s:{s:s, s:s}, s:{s:s, s:s}, s:o, s:I, s:{s:o, s:o, s:o, s:o, s:o}, s:o}", "period",
		"from", iso_day(a, o.from), "to", iso_day(a, o.to), "previous", "from",
		iso_day(a, o.prev_from), "to", iso_day(a, o.prev_to), "routes", routes,
		"routes_total", (json_int_t)o.nroutes_total, "matrix", "origins", origins,
		"destinations", dests, "values", values, "seizures", seizures, "weight_kg", weights,
		"countries", countries);
	common(j, &r);
	api_json(c, 200, j);
	return 0;
}

static const char *const class_keys[AN_CLASSES] = { "all", "lt10", "10to100", "ge100" };

static json_t *by_class(const double *v)
{
	json_t *o = json_object();
	for (int k = 0; k < AN_CLASSES; k++)
		json_object_set_new(o, class_keys[k], number(v[k]));
	return o;
}

int api_analytics_indices(struct api_ctx *c)
{
	struct an_request r;
	int csv = 0;
	struct an_indices x;
	if (start(c, &r, &csv) != 0 ||
	    analytics_indices(c->app->analytics, c->ref, &c->who, &r, &x, c->req->arena,
			      &c->err) != 0)
		return -1;
	if (csv) {
		struct dynbuf b = DYNBUF_INIT(16u << 20);
		dynbuf_adds(&b, "year,class,transactions,weight_kg,transaction_index,weight_index\n");
		for (size_t i = 0; i < x.nyears; i++)
			for (int k = 0; k < AN_CLASSES; k++) {
				dynbuf_addf(&b, "%d,%s", x.years[i].year, class_keys[k]);
				csv_num(&b, x.years[i].transactions[k]);
				csv_num(&b, x.years[i].weight_kg[k]);
				csv_num(&b, x.years[i].transaction_index[k]);
				csv_num(&b, x.years[i].weight_index[k]);
				dynbuf_addc(&b, '\n');
			}
		csv_send(c, &b, "analytics-indices.csv");
		return 0;
	}
	json_t *years = json_array(), *classes = json_array();
	for (int k = 0; k < AN_CLASSES; k++)
		json_array_append_new(classes, json_string(class_keys[k]));
	for (size_t i = 0; i < x.nyears; i++) {
		const struct an_index_year *y = &x.years[i];
		json_array_append_new(years,
				      json_pack("{s:i, s:o, s:o, s:o, s:o}", "year", y->year,
						"transactions", by_class(y->transactions), "weight_kg",
						by_class(y->weight_kg), "transaction_index",
						by_class(y->transaction_index), "weight_index",
						by_class(y->weight_index)));
	}
	json_t *j = json_pack("{s:o, s:o, s:o, s:s}", "base_year",
			      x.base_year ? json_integer(x.base_year) : json_null(), "classes",
			      classes, "years", years, "method", analytics_index_method());
	common(j, &r);
	api_json(c, 200, j);
	return 0;
}

int api_analytics_map(struct api_ctx *c)
{
	struct an_request r;
	int csv = 0;
	struct an_map m;
	if (start(c, &r, &csv) != 0 ||
	    analytics_map(c->app->analytics, c->ref, &c->who, &r, &m, c->req->arena, &c->err) != 0)
		return -1;
	if (csv) {
		struct dynbuf b = DYNBUF_INIT(16u << 20);
		dynbuf_adds(&b, "country,label,value,seizures,weight_kg\n");
		for (size_t i = 0; i < m.ncountries; i++) {
			csv_field(&b, m.countries[i].key);
			dynbuf_addc(&b, ',');
			csv_field(&b, m.countries[i].label);
			csv_num(&b, analytics_cell_value(&m.countries[i].cell, r.measure));
			csv_num(&b, m.countries[i].cell.seizures);
			csv_num(&b, m.countries[i].cell.weight_kg);
			dynbuf_addc(&b, '\n');
		}
		csv_send(c, &b, "analytics-map.csv");
		return 0;
	}
	json_t *points = json_array();
	for (size_t i = 0; i < m.npoints; i++) {
		const struct an_point *p = &m.points[i];
		json_array_append_new(points,
				      json_pack("{s:I, s:f, s:f, s:s, s:s, s:o}", "id",
						(json_int_t)p->id, "lat", p->latitude, "lon",
						p->longitude, "date", iso_day(c->req->arena, p->day),
						"country", p->country, "weight_kg",
						number(p->weight_kg)));
	}
	json_t *j = json_pack("{s:s, s:o, s:o, s:I, s:I}", "role", analytics_dim_name(m.role),
			      "countries", groups_json(m.countries, m.ncountries, r.measure, -1),
			      "points", points, "points_total", (json_int_t)m.points_total,
			      "points_omitted", (json_int_t)(m.points_total - m.npoints));
	common(j, &r);
	api_json(c, 200, j);
	return 0;
}

/* ---- the conversion and rates tables ---- */

static json_t *conversion_json(const struct an_conversion *v)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:s, s:o, s:o}", "id",
			 (json_int_t)v->id, "taxon", v->taxon, "term", v->term, "unit",
			 v->unit ? v->unit : "", "commodity", v->commodity ? v->commodity : "",
			 "kg_per_unit", number(v->kg_per_unit), "animals_per_unit",
			 number(v->animals_per_unit), "rie_factor", number(v->rie_factor),
			 "estimate", v->estimate, "source", v->source ? v->source : "", "note",
			 v->note ? json_string(v->note) : json_null(), "updated_at",
			 v->updated_at ? json_string(v->updated_at) : json_null());
}

static json_t *rate_json(const struct an_rate *v)
{
	return json_pack("{s:I, s:s, s:f, s:o, s:s, s:b}", "id", (json_int_t)v->id, "currency",
			 v->currency, "usd_per_unit", v->usd_per_unit, "as_of",
			 v->as_of ? json_string(v->as_of) : json_null(), "source",
			 v->source ? v->source : "", "estimate", v->estimate);
}

int api_analytics_conversions_list(struct api_ctx *c)
{
	struct an_conversion *v;
	size_t n;
	if (store_conversion_list(c->st, &v, &n, c->req->arena, &c->err) != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, conversion_json(&v[i]));
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

/* A factor from JSON: a number, or null / absent for none. */
static double factor(json_t *body, const char *key, struct api_ctx *c)
{
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v))
		return NAN;
	if (!json_is_number(v)) {
		error_field(&c->err, key, "must be a number or null");
		return NAN;
	}
	return json_number_value(v);
}

static const char *text(json_t *body, const char *key, struct api_ctx *c)
{
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		error_field(&c->err, key, "must be a string");
		return NULL;
	}
	return arena_strdup(c->req->arena, json_string_value(v));
}

/* After a change of a table: the analytics follow (a failure is logged). */
static void follow(struct api_ctx *c)
{
	struct error e = ERROR_INIT;
	if (c->app->analytics && analytics_reload_factors(c->app->analytics, c->st, &e) != 0)
		fprintf(stderr, "kouprey: reloading the analytics factors failed: %s\n",
			e.message ? e.message : "?");
	error_clear(&e);
}

static int conversion_write(struct api_ctx *c, int64_t id)
{
	if (api_require_role(c, ROLE_ADMIN) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct an_conversion v = {
		.id = id, .taxon = text(body, "taxon", c), .term = text(body, "term", c),
		.unit = text(body, "unit", c), .commodity = text(body, "commodity", c),
		.kg_per_unit = factor(body, "kg_per_unit", c),
		.animals_per_unit = factor(body, "animals_per_unit", c),
		.rie_factor = factor(body, "rie_factor", c),
		.estimate = json_is_true(json_object_get(body, "estimate")),
		.source = text(body, "source", c), .note = text(body, "note", c),
	};
	json_decref(body);
	if (v.term) {
		char *u = arena_strdup(c->req->arena, v.term);
		for (char *p = u; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		v.term = u;
	}
	if (c->err.nfields ||
	    analytics_conversion_save(c->st, c->ref, &c->who, &v, &c->err) != 0)
		return -1;
	follow(c);
	struct an_conversion *all;
	size_t n;
	if (store_conversion_list(c->st, &all, &n, c->req->arena, &c->err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (all[i].id == v.id) {
			api_json(c, id ? 200 : 201, conversion_json(&all[i]));
			return 0;
		}
	return error_set(&c->err, ERR_NOT_FOUND, "no such conversion");
}

int api_analytics_conversions_create(struct api_ctx *c)
{
	return conversion_write(c, 0);
}

int api_analytics_conversions_update(struct api_ctx *c)
{
	return conversion_write(c, c->id);
}

int api_analytics_conversions_delete(struct api_ctx *c)
{
	if (analytics_conversion_delete(c->st, &c->who, c->id, &c->err) != 0)
		return -1;
	follow(c);
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}

int api_analytics_rates_list(struct api_ctx *c)
{
	struct an_rate *v;
	size_t n;
	if (store_rate_list(c->st, &v, &n, c->req->arena, &c->err) != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, rate_json(&v[i]));
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

static int rate_write(struct api_ctx *c, int64_t id)
{
	if (api_require_role(c, ROLE_ADMIN) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	json_t *per = json_object_get(body, "usd_per_unit");
	struct an_rate v = { .id = id, .currency = text(body, "currency", c),
			     .usd_per_unit = json_is_number(per) ? json_number_value(per) : NAN,
			     .as_of = text(body, "as_of", c), .source = text(body, "source", c),
			     .estimate = json_is_true(json_object_get(body, "estimate")) };
	json_decref(body);
	if (v.currency) {
		char *u = arena_strdup(c->req->arena, v.currency);
		for (char *p = u; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		v.currency = u;
	}
	if (c->err.nfields || analytics_rate_save(c->st, &c->who, &v, &c->err) != 0)
		return -1;
	follow(c);
	api_json(c, id ? 200 : 201, rate_json(&v));
	return 0;
}

int api_analytics_rates_create(struct api_ctx *c)
{
	return rate_write(c, 0);
}

int api_analytics_rates_update(struct api_ctx *c)
{
	return rate_write(c, c->id);
}

int api_analytics_rates_delete(struct api_ctx *c)
{
	if (analytics_rate_delete(c->st, &c->who, c->id, &c->err) != 0)
		return -1;
	follow(c);
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}
