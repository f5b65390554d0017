/*
 * geo.h - the country outlines shipped with kouprey (Natural Earth 1:110m,
 * data/geo/countries-110m.geojson, compiled into the program; see
 * data/SOURCES.md), for the maps of the web interface and the PDF brief.
 *
 * geo_countries_geojson() is the file's text as shipped: a FeatureCollection
 * whose features have properties ISO_A2 (ISO 3166-1 alpha-2, never "-99")
 * and NAME, and a Polygon or MultiPolygon geometry in longitude/latitude.
 *
 * geo_countries_load() parses it into rings of points for drawing.
 */
#ifndef KOUPREY_REPORT_GEO_H
#define KOUPREY_REPORT_GEO_H

#include <stddef.h>

#include "lib/error.h"

/* The GeoJSON text (static, NUL-terminated) and its length. */
const char *geo_countries_geojson(size_t *len);

struct geo_ring {
	size_t n;          /* points */
	double *lon, *lat; /* n each */
};

struct geo_country {
	char iso2[3];      /* "KH" */
	char *name;        /* Natural Earth's short English name */
	struct geo_ring *rings; /* outer rings and holes alike (drawn even-odd) */
	size_t nrings;
	double min_lon, min_lat, max_lon, max_lat; /* bounding box */
};

struct geo_countries {
	struct geo_country *c;
	size_t n;
};

/*
 * Parses the shipped outlines.  Returns a new set (free with
 * geo_countries_free), or NULL with err set (ERR_INTERNAL: the compiled-in
 * file is not the GeoJSON described above).
 */
struct geo_countries *geo_countries_load(struct error *err);
void geo_countries_free(struct geo_countries *g);

/* The country with this ISO code (several features may share one, e.g. CY:
 * the first), or NULL. */
const struct geo_country *geo_country_find(const struct geo_countries *g, const char *iso2);

#endif
