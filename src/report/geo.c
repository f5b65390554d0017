/* Country outlines (see geo.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "report/geo.h"

/* Generated at build time from data/geo/countries-110m.geojson. */
extern const char geo_countries_110m[];

const char *geo_countries_geojson(size_t *len)
{
	if (len)
		*len = strlen(geo_countries_110m);
	return geo_countries_110m;
}

static void bbox_add(struct geo_country *c, double lon, double lat)
{
	if (lon < c->min_lon)
		c->min_lon = lon;
	if (lon > c->max_lon)
		c->max_lon = lon;
	if (lat < c->min_lat)
		c->min_lat = lat;
	if (lat > c->max_lat)
		c->max_lat = lat;
}

/* Adds each ring of a Polygon's coordinates ([[[lon,lat],…],…]). */
static int add_polygon(struct geo_country *c, json_t *poly)
{
	if (!json_is_array(poly))
		return -1;
	size_t i;
	json_t *ring;
	json_array_foreach(poly, i, ring) {
		if (!json_is_array(ring))
			return -1;
		size_t n = json_array_size(ring);
		c->rings = xreallocarray(c->rings, c->nrings + 1, sizeof *c->rings);
		struct geo_ring *r = &c->rings[c->nrings++];
		r->n = 0;
		r->lon = xreallocarray(NULL, n ? n : 1, sizeof(double));
		r->lat = xreallocarray(NULL, n ? n : 1, sizeof(double));
		size_t j;
		json_t *pt;
		json_array_foreach(ring, j, pt) {
			json_t *x = json_array_get(pt, 0), *y = json_array_get(pt, 1);
			if (!json_is_number(x) || !json_is_number(y))
				return -1;
			r->lon[r->n] = json_number_value(x);
			r->lat[r->n] = json_number_value(y);
			bbox_add(c, r->lon[r->n], r->lat[r->n]);
			r->n++;
		}
	}
	return 0;
}

static int add_feature(struct geo_countries *g, json_t *f)
{
	json_t *props = json_object_get(f, "properties");
	json_t *geom = json_object_get(f, "geometry");
	const char *iso = json_string_value(json_object_get(props, "ISO_A2"));
	const char *name = json_string_value(json_object_get(props, "NAME"));
	const char *type = json_string_value(json_object_get(geom, "type"));
	json_t *coords = json_object_get(geom, "coordinates");
	if (!iso || strlen(iso) != 2 || !name || !type || !coords)
		return -1;
	g->c = xreallocarray(g->c, g->n + 1, sizeof *g->c);
	struct geo_country *c = &g->c[g->n++];
	memset(c, 0, sizeof *c);
	memcpy(c->iso2, iso, 3);
	c->name = xstrdup(name);
	c->min_lon = c->min_lat = 1e9;
	c->max_lon = c->max_lat = -1e9;
	if (strcmp(type, "Polygon") == 0)
		return add_polygon(c, coords);
	if (strcmp(type, "MultiPolygon") != 0 || !json_is_array(coords))
		return -1;
	size_t i;
	json_t *poly;
	json_array_foreach(coords, i, poly) {
		if (add_polygon(c, poly) != 0)
			return -1;
	}
	return 0;
}

struct geo_countries *geo_countries_load(struct error *err)
{
	json_error_t je;
	json_t *root = json_loads(geo_countries_110m, 0, &je);
	json_t *features = json_object_get(root, "features");
	struct geo_countries *g = xcalloc(1, sizeof *g);
	int bad = !json_is_array(features);
	size_t i;
	json_t *f;
	if (!bad) {
		json_array_foreach(features, i, f) {
			if (add_feature(g, f) != 0) {
				bad = 1;
				break;
			}
		}
	}
	json_decref(root);
	if (bad) {
		geo_countries_free(g);
		error_set(err, ERR_INTERNAL, "the compiled-in country outlines are not valid GeoJSON%s%s",
			  root ? "" : ": ", root ? "" : je.text);
		return NULL;
	}
	return g;
}

void geo_countries_free(struct geo_countries *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		for (size_t j = 0; j < g->c[i].nrings; j++) {
			free(g->c[i].rings[j].lon);
			free(g->c[i].rings[j].lat);
		}
		free(g->c[i].rings);
		free(g->c[i].name);
	}
	free(g->c);
	free(g);
}

const struct geo_country *geo_country_find(const struct geo_countries *g, const char *iso2)
{
	if (!g || !iso2)
		return NULL;
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->c[i].iso2, iso2) == 0)
			return &g->c[i];
	return NULL;
}
