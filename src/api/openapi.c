/* /api/v1/openapi.json: the API description, compiled in from docs/openapi.json. */
#include <string.h>

#include "api/api.h"
#include "lib/xalloc.h"

extern const char api_openapi_json[];

int api_openapi(struct api_ctx *c)
{
	http_set_body(c->res, 200, "application/json; charset=utf-8", xstrdup(api_openapi_json),
		      strlen(api_openapi_json));
	return 0;
}
