/* Seizure exports: CSV (the import columns), JSON and GeoJSON (see export.h). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/csv.h"
#include "lib/dynbuf.h"
#include "ref/refdata.h"
#include "seizure/export.h"
#include "seizure/import.h"
#include "seizure/json.h"
#include "seizure/seizure.h"
#include "store/store.h"

int seizure_write_file(void *ctx, const char *buf, size_t n)
{
	FILE *f = ctx;
	return fwrite(buf, 1, n, f) == n ? 0 : -1;
}

int seizure_write_dynbuf(void *ctx, const char *buf, size_t n)
{
	return dynbuf_add(ctx, buf, n);
}

int export_format_parse(const char *name, enum export_format *out)
{
	if (!name)
		return -1;
	if (strcasecmp(name, "csv") == 0)
		*out = EXPORT_CSV;
	else if (strcasecmp(name, "json") == 0)
		*out = EXPORT_JSON;
	else if (strcasecmp(name, "geojson") == 0)
		*out = EXPORT_GEOJSON;
	else
		return -1;
	return 0;
}

const char *export_format_mime(enum export_format f)
{
	switch (f) {
	case EXPORT_CSV:
		return "text/csv; charset=utf-8";
	case EXPORT_JSON:
		return "application/json";
	case EXPORT_GEOJSON:
		return "application/geo+json";
	}
	return "application/octet-stream";
}

const char *export_format_ext(enum export_format f)
{
	switch (f) {
	case EXPORT_CSV:
		return "csv";
	case EXPORT_JSON:
		return "json";
	case EXPORT_GEOJSON:
		return "geojson";
	}
	return "bin";
}

/* ---- buffered output ----------------------------------------------------- */

enum { FLUSH_AT = 32768 };

struct out {
	struct dynbuf buf;
	seizure_write_fn write;
	void *ctx;
	int failed;
	const struct refdata *ref;
	size_t count;
};

static void out_flush(struct out *o)
{
	if (!o->failed && o->buf.len && o->write(o->ctx, o->buf.buf, o->buf.len) != 0)
		o->failed = 1;
	dynbuf_reset(&o->buf);
}

static void out_maybe_flush(struct out *o)
{
	if (o->buf.len >= FLUSH_AT)
		out_flush(o);
}

/* The shortest text that reads back as exactly v. */
static void format_number(char *buf, size_t size, double v)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, size, "%.0f", v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* ---- CSV ----------------------------------------------------------------- */

static int csv_seizure(void *ctx, const struct seizure *s)
{
	struct out *o = ctx;
	char lat[40] = "", lon[40] = "", value[40] = "", qty[40];
	if (s->has_coords) {
		format_number(lat, sizeof lat, s->latitude);
		format_number(lon, sizeof lon, s->longitude);
	}
	if (s->has_value)
		format_number(value, sizeof value, s->value_amount);
	for (size_t i = 0; i < s->nitems; i++) {
		const struct seizure_item *it = &s->items[i];
		format_number(qty, sizeof qty, it->quantity);
		/* in the order of seizure_column_name() */
		const char *f[] = {
			nz(s->ref), nz(s->date), nz(s->agency), nz(s->country), nz(s->place),
			nz(s->province), nz(s->locode), lat, lon, nz(s->reason),
			nz(s->transport_mode), nz(s->detection_method), nz(s->concealment),
			nz(s->origin), nz(s->transit), nz(s->destination),
			nz(s->offender_nationalities), value, nz(s->value_currency),
			nz(s->legal_action), nz(s->law), nz(s->sanctions), nz(s->disposal),
			nz(s->notes), nz(it->species), nz(it->term), qty, nz(it->unit),
			it->live < 0 ? "" : it->live ? "live" : "dead", nz(s->sharing),
			nz(s->concealment_code),
		};
		_Static_assert(sizeof f / sizeof *f == 31, "one value per import column");
		if (csv_put_record(&o->buf, f, sizeof f / sizeof *f) != 0)
			o->failed = 1;
	}
	o->count++;
	out_maybe_flush(o);
	return o->failed;
}

/* ---- JSON ---------------------------------------------------------------- */

static int json_seizure(void *ctx, const struct seizure *s)
{
	struct out *o = ctx;
	json_t *j = seizure_to_json(s, o->ref, 0);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (o->count)
		dynbuf_addc(&o->buf, ',');
	dynbuf_adds(&o->buf, "\n");
	if (!text || dynbuf_adds(&o->buf, text) != 0)
		o->failed = 1;
	free(text);
	o->count++;
	out_maybe_flush(o);
	return o->failed;
}

/* ---- GeoJSON ------------------------------------------------------------- */

static int geojson_seizure(void *ctx, const struct seizure *s)
{
	struct out *o = ctx;
	double lat, lon;
	const char *located;
	const struct location *l = s->locode ? refdata_location(o->ref, s->locode) : NULL;
	if (s->has_coords) {
		lat = s->latitude;
		lon = s->longitude;
		located = "coordinates";
	} else if (l && l->has_coords) {
		lat = l->latitude;
		lon = l->longitude;
		located = "locode";
	} else {
		return 0;
	}
	json_t *species = json_array(), *terms = json_array();
	for (size_t i = 0; i < s->nitems; i++) {
		const char *name = s->items[i].taxon_name ? s->items[i].taxon_name
							  : nz(s->items[i].species);
		int seen = 0;
		for (size_t k = 0; k < json_array_size(species); k++)
			if (strcmp(json_string_value(json_array_get(species, k)), name) == 0)
				seen = 1;
		if (!seen)
			json_array_append_new(species, json_string(name));
		seen = 0;
		for (size_t k = 0; k < json_array_size(terms); k++)
			if (strcmp(json_string_value(json_array_get(terms, k)), nz(s->items[i].term)) ==
			    0)
				seen = 1;
		if (!seen)
			json_array_append_new(terms, json_string(nz(s->items[i].term)));
	}
	json_t *props = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s}", "id",
				  (json_int_t)s->id, "ref", nz(s->ref), "date", nz(s->date),
				  "country", nz(s->country), "place",
				  s->place ? json_string(s->place) : json_null(), "locode",
				  s->locode ? json_string(s->locode) : json_null(), "agency",
				  s->agency ? json_string(s->agency) : json_null(), "species",
				  species, "terms", terms, "located", located);
	json_t *feature = json_pack("{s:s, s:{s:s, s:[f, f]}, s:o}", "type", "Feature",
				    "geometry", "type", "Point", "coordinates", lon, lat,
				    "properties", props);
	char *text = feature ? json_dumps(feature, JSON_COMPACT) : NULL;
	json_decref(feature);
	if (o->count)
		dynbuf_addc(&o->buf, ',');
	dynbuf_adds(&o->buf, "\n");
	if (!text || dynbuf_adds(&o->buf, text) != 0)
		o->failed = 1;
	free(text);
	o->count++;
	out_maybe_flush(o);
	return o->failed;
}

/* ---- the export ---------------------------------------------------------- */

int seizure_export(struct store *st, const struct refdata *ref, const struct actor *who,
		   const struct seizure_filter *f, enum export_format format,
		   seizure_write_fn write, void *ctx, struct error *err)
{
	struct seizure_filter all;
	memset(&all, 0, sizeof all);
	if (!f)
		f = &all;
	struct out o = { DYNBUF_INIT((size_t)1 << 30), write, ctx, 0, ref, 0 };
	store_seizure_fn fn;
	switch (format) {
	case EXPORT_CSV: {
		size_t n = seizure_column_count();
		const char *head[64];
		for (size_t i = 0; i < n && i < 64; i++)
			head[i] = seizure_column_name(i);
		csv_put_record(&o.buf, head, n);
		fn = csv_seizure;
		break;
	}
	case EXPORT_JSON:
		dynbuf_adds(&o.buf, "{\"items\":[");
		fn = json_seizure;
		break;
	case EXPORT_GEOJSON:
		dynbuf_adds(&o.buf, "{\"type\":\"FeatureCollection\",\"features\":[");
		fn = geojson_seizure;
		break;
	default:
		dynbuf_free(&o.buf);
		return error_set(err, ERR_BAD_REQUEST, "unknown export format");
	}
	int rc = store_seizure_each(st, who, f, fn, &o, err);
	if (rc == 0 && !o.failed) {
		if (format != EXPORT_CSV)
			dynbuf_adds(&o.buf, o.count ? "\n]}\n" : "]}\n");
		out_flush(&o);
	}
	dynbuf_free(&o.buf);
	if (rc != 0)
		return -1;
	if (o.failed)
		return error_set(err, ERR_IO, "writing the export failed");
	return 0;
}
