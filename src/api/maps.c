/* GET /api/v1/reference/map: the country outlines of the maps (Natural Earth
 * 1:110m, compiled in; see src/report/geo.h and data/SOURCES.md). */
#include <string.h>

#include "api/api.h"
#include "lib/xalloc.h"
#include "report/geo.h"

int api_reference_map(struct api_ctx *c)
{
	size_t len = 0;
	const char *text = geo_countries_geojson(&len);
	char *body = xmalloc(len + 1);
	memcpy(body, text, len + 1);
	http_set_body(c->res, 200, "application/geo+json", body, len);
	return 0;
}
