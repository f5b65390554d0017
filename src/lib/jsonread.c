/* Reading the fields of a JSON request body (see jsonread.h). */
#include "lib/jsonread.h"

#include <stdio.h>
#include <string.h>

int json_read_text(json_t *v, const char *field, const char **out, struct arena *a,
		   struct error *err)
{
	if (json_is_null(v)) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return error_field(err, field, "must be a string");
	*out = arena_strndup(a, json_string_value(v), json_string_length(v));
	return 0;
}

int json_read_id(json_t *v, const char *field, int64_t *out, struct error *err)
{
	if (json_is_null(v)) {
		*out = 0;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return error_field(err, field, "must be an id (a positive integer)");
	*out = json_integer_value(v);
	return 0;
}

int json_read_number(json_t *v, const char *field, int *has, double *out, struct error *err)
{
	if (json_is_null(v)) {
		*has = 0;
		return 0;
	}
	if (!json_is_number(v))
		return error_field(err, field, "must be a number");
	*has = 1;
	*out = json_number_value(v);
	return 0;
}

int json_read_countries(json_t *v, const char *field, const char **out, struct arena *a,
			struct error *err)
{
	if (json_is_null(v)) {
		*out = NULL;
		return 0;
	}
	if (json_is_string(v))
		return json_read_text(v, field, out, a, err);
	if (!json_is_array(v))
		return error_field(err, field, "must be a list of ISO 3166 country codes");
	size_t n = 1, i;
	json_t *e;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e)) {
			char f[96];
			snprintf(f, sizeof f, "%s[%zu]", field, i);
			return error_field(err, f, "must be a country code string");
		}
		n += json_string_length(e) + 1;
	}
	char *buf = arena_alloc(a, n);
	size_t len = 0;
	json_array_foreach(v, i, e) {
		if (i)
			buf[len++] = ';';
		memcpy(buf + len, json_string_value(e), json_string_length(e));
		len += json_string_length(e);
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}
