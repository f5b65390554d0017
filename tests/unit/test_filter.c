/*
 * test_filter.c - query strings (lib/query.h) and the seizure list filter
 * built from them (seizure/filter.h), with the cursor format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "lib/dynbuf.h"
#include "lib/query.h"
#include "seizure/filter.h"

static struct fixture fx;
static struct arena ar;

static int setup(void **state)
{
	fixture_open(&fx);
	return 0;
}

static int teardown(void **state)
{
	fixture_close(&fx);
	return 0;
}

static int test_setup(void **state)
{
	arena_init(&ar);
	return 0;
}

static int test_teardown(void **state)
{
	arena_free(&ar);
	return 0;
}

static int parse(struct query *q, const char *raw, struct error *err)
{
	return query_parse(q, raw, strlen(raw), &ar, err);
}

/* ---- query_parse ------------------------------------------------------------ */

static void test_query_basic(void **state)
{
	struct query q;
	struct error err = ERROR_INIT;
	assert_int_equal(parse(&q, "a=1&b=x%20y&c=p+q&d=%2B%26%3D", &err), 0);
	assert_int_equal(q.n, 4);
	assert_string_equal(q.keys[0], "a");
	assert_string_equal(q.values[0], "1");
	assert_string_equal(q.keys[1], "b");
	assert_string_equal(q.values[1], "x y");
	assert_string_equal(q.values[2], "p q");
	assert_string_equal(q.values[3], "+&="); /* escaped specials are data */
	assert_string_equal(query_get(&q, "b"), "x y");
	assert_null(query_get(&q, "e"));
	assert_null(query_get(&q, "B"));
	assert_false(error_is_set(&err));
}

static void test_query_shapes(void **state)
{
	struct query q;
	struct error err = ERROR_INIT;
	/* empty pieces are skipped; a key without '=' has the value "" */
	assert_int_equal(parse(&q, "&&flag&a=1=2&&b=&", &err), 0);
	assert_int_equal(q.n, 3);
	assert_string_equal(q.keys[0], "flag");
	assert_string_equal(q.values[0], "");
	assert_string_equal(q.values[1], "1=2");
	assert_string_equal(q.keys[2], "b");
	assert_string_equal(q.values[2], "");
	/* repeated keys are kept in order; query_get gives the first */
	assert_int_equal(parse(&q, "k=1&k=2", &err), 0);
	assert_int_equal(q.n, 2);
	assert_string_equal(query_get(&q, "k"), "1");
	/* escaped keys */
	assert_int_equal(parse(&q, "transport%5Fmode=air", &err), 0);
	assert_string_equal(q.keys[0], "transport_mode");
	/* nothing at all */
	assert_int_equal(parse(&q, "", &err), 0);
	assert_int_equal(q.n, 0);
	/* only len bytes are read */
	assert_int_equal(query_parse(&q, "a=1&b=2", 3, &ar, &err), 0);
	assert_int_equal(q.n, 1);
	assert_string_equal(q.values[0], "1");
	assert_false(error_is_set(&err));
}

static void test_query_utf8(void **state)
{
	struct query q;
	struct error err = ERROR_INIT;
	assert_int_equal(parse(&q, "q=%E1%9E%96%E1%9E%84%E1%9F%92%E1%9E%9A%E1%9E%BC%E1%9E%9B"
				   "&v=t%C3%AA+t%C3%AA&raw=ពង្រូល",
			       &err),
			 0);
	assert_string_equal(query_get(&q, "q"), "ពង្រូល");
	assert_string_equal(query_get(&q, "v"), "tê tê");
	assert_string_equal(query_get(&q, "raw"), "ពង្រូល");
	/* lower-case hex digits */
	assert_int_equal(parse(&q, "v=t%c3%aa", &err), 0);
	assert_string_equal(query_get(&q, "v"), "tê");
}

/* Parses raw expecting failure with code, and (when field is given) one
 * field error on it. */
static void parse_fails(const char *raw, enum err_code code, const char *field)
{
	struct query q;
	struct error err = ERROR_INIT;
	if (parse(&q, raw, &err) != -1)
		fail_msg("\"%s\" parsed", raw);
	if (err.code != code)
		fail_msg("\"%s\": code %s, want %s", raw, error_code_name(err.code),
			 error_code_name(code));
	if (field) {
		assert_int_equal(err.nfields, 1);
		assert_string_equal(err.fields[0].field, field);
	}
	error_clear(&err);
}

static void test_query_bad_escapes(void **state)
{
	/* a bad escape in a name */
	parse_fails("%ZZ=1", ERR_BAD_REQUEST, NULL);
	parse_fails("a%4=1", ERR_BAD_REQUEST, NULL);
	parse_fails("%00=1", ERR_BAD_REQUEST, NULL);
	parse_fails("%FF=1", ERR_BAD_REQUEST, NULL);
	parse_fails("ok=1&k%=1", ERR_BAD_REQUEST, NULL);
	struct query q;
	struct error err = ERROR_INIT;
	assert_int_equal(parse(&q, "%ZZ=1", &err), -1);
	assert_non_null(strstr(err.message, "malformed"));
	error_clear(&err);
}

/* A badly encoded value is a field error on its parameter. */
static void test_query_bad_values_name_parameter(void **state)
{
	static const char *const raws[] = {
		"q=%ZZ", "q=%4", "q=abc%", "q=%00", "q=a%00b", "q=%FF", "q=%C3", "q=%01",
		"q=%E1%9E",
	};
	for (size_t i = 0; i < sizeof raws / sizeof *raws; i++) {
		struct query q;
		struct error err = ERROR_INIT;
		if (parse(&q, raws[i], &err) != -1)
			fail_msg("\"%s\" parsed", raws[i]);
		assert_int_equal(err.nfields, 1);
		assert_string_equal(err.fields[0].field, "q");
		assert_non_null(strstr(err.fields[0].message, "not validly encoded"));
		error_clear(&err);
	}
}

static void test_query_too_many(void **state)
{
	struct dynbuf b = DYNBUF_INIT(1 << 16);
	for (int i = 0; i < QUERY_MAX_PARAMS; i++)
		dynbuf_addf(&b, "%sp%d=%d", i ? "&" : "", i, i);
	struct query q;
	struct error err = ERROR_INIT;
	assert_int_equal(parse(&q, dynbuf_str(&b), &err), 0);
	assert_int_equal(q.n, QUERY_MAX_PARAMS);
	assert_string_equal(query_get(&q, "p63"), "63");
	dynbuf_adds(&b, "&one=more");
	assert_int_equal(parse(&q, dynbuf_str(&b), &err), -1);
	assert_int_equal(err.code, ERR_BAD_REQUEST);
	assert_non_null(strstr(err.message, "too many query parameters (at most 64)"));
	error_clear(&err);
	/* empty pieces do not count */
	dynbuf_reset(&b);
	for (int i = 0; i < QUERY_MAX_PARAMS; i++)
		dynbuf_addf(&b, "p%d=1&&&", i);
	assert_int_equal(parse(&q, dynbuf_str(&b), &err), 0);
	dynbuf_free(&b);
}

static void test_query_get_int(void **state)
{
	struct query q;
	struct error err = ERROR_INIT;
	int64_t v = 0;
	assert_int_equal(parse(&q, "limit=10&zero=0&big=501&neg=-5&abc=abc&mix=12abc&empty=&"
				   "huge=99999999999999999999&sp=%2010",
			       &err),
			 0);
	assert_int_equal(query_get_int(&q, "limit", 1, 500, 50, &v, &err), 0);
	assert_int_equal(v, 10);
	assert_int_equal(query_get_int(&q, "absent", 1, 500, 50, &v, &err), 0);
	assert_int_equal(v, 50);
	assert_int_equal(query_get_int(&q, "empty", 1, 500, 7, &v, &err), 0);
	assert_int_equal(v, 7);
	assert_int_equal(query_get_int(&q, "neg", -10, 10, 0, &v, &err), 0);
	assert_int_equal(v, -5);
	assert_int_equal(query_get_int(&q, "big", 1, 501, 0, &v, &err), 0); /* max inclusive */
	assert_int_equal(v, 501);
	assert_false(error_is_set(&err));
	static const char *const bad[] = { "zero", "big", "neg", "abc", "mix", "huge" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		v = 12345;
		assert_int_equal(query_get_int(&q, bad[i], 1, 500, 50, &v, &err), -1);
		assert_int_equal(err.nfields, 1);
		assert_string_equal(err.fields[0].field, bad[i]);
		assert_string_equal(err.fields[0].message, "must be a whole number from 1 to 500");
		assert_int_equal(v, 12345); /* untouched */
		error_clear(&err);
	}
}

/* ---- seizure_filter_parse ----------------------------------------------------- */

/* Parses raw into f; returns the rc; errors into err. */
static int filter(const char *raw, struct seizure_filter *f, const char *const *extra,
		  struct error *err)
{
	struct query q;
	if (query_parse(&q, raw, strlen(raw), &ar, err) != 0)
		fail_msg("query \"%s\" did not parse", raw);
	return seizure_filter_parse(fx.ref, &q, extra, f, &ar, err);
}

static void filter_ok(const char *raw, struct seizure_filter *f)
{
	struct error err = ERROR_INIT;
	if (filter(raw, f, NULL, &err) != 0) {
		char *m = error_format(&err);
		fail_msg("\"%s\": %s", raw, m);
	}
	assert_false(error_is_set(&err));
}

/* Expects exactly one field error, on field, containing want. */
static void filter_bad(const char *raw, const char *field, const char *want)
{
	struct seizure_filter f;
	struct error err = ERROR_INIT;
	int rc = filter(raw, &f, NULL, &err);
	if (rc != -1 || err.nfields != 1 || strcmp(err.fields[0].field, field) != 0 ||
	    (want && !strstr(err.fields[0].message, want))) {
		char *m = error_format(&err);
		fail_msg("\"%s\": want one error on %s (%s), got rc %d: %s", raw, field,
			 want ? want : "", rc, m);
	}
	assert_int_equal(err.code, ERR_VALIDATION);
	error_clear(&err);
}

static void test_filter_defaults(void **state)
{
	struct seizure_filter f;
	memset(&f, 0x55, sizeof f); /* parse clears everything */
	filter_ok("", &f);
	assert_int_equal(f.limit, 50);
	assert_null(f.q);
	assert_int_equal(f.taxon_id, 0);
	assert_null(f.taxon_group);
	assert_null(f.term);
	assert_null(f.country);
	assert_int_equal(f.agency_id, 0);
	assert_null(f.from);
	assert_null(f.to);
	assert_null(f.transport_mode);
	assert_int_equal(f.after_id, 0);
	assert_null(f.after_date);
	/* empty values are "any" */
	filter_ok("q=&species=&term=&country=&from=&to=&limit=&cursor=", &f);
	assert_int_equal(f.limit, 50);
	assert_null(f.q);
	assert_null(f.term);
}

static void test_filter_q(void **state)
{
	struct seizure_filter f;
	filter_ok("q=T%C3%AA+T%C3%AA,+Java!", &f);
	assert_string_equal(f.q, "te te java");
	filter_ok("q=%E1%9E%96%E1%9E%84%E1%9F%92%E1%9E%9A%E1%9E%BC%E1%9E%9B", &f);
	assert_string_equal(f.q, "ពង្រូល");
	char raw[300] = "q=";
	memset(raw + 2, 'a', 201);
	raw[203] = '\0';
	filter_bad(raw, "q", "too long");
	raw[202] = '\0'; /* 200 bytes is the most */
	filter_ok(raw, &f);
	assert_int_equal(strlen(f.q), 200);
}

static void test_filter_species(void **state)
{
	struct seizure_filter f;
	filter_ok("species=Manis+javanica", &f);
	assert_int_equal(f.taxon_id, 5034);
	filter_ok("species=5034", &f);
	assert_int_equal(f.taxon_id, 5034);
	filter_ok("species=Sunda%20Pangolin", &f);
	assert_int_equal(f.taxon_id, 5034);
	filter_ok("species=%E1%9E%96%E1%9E%84%E1%9F%92%E1%9E%9A%E1%9E%BC%E1%9E%9B%E1%9E%87%E1%9F%92"
		  "%E1%9E%9C%E1%9E%B6",
		  &f);
	assert_int_equal(f.taxon_id, 5034);
	filter_ok("species=Phataginus+gigantea", &f);
	assert_int_equal(f.taxon_id, 11136);
	filter_bad("species=1", "species", "no taxon has id 1");
	filter_bad("species=Unicornis", "species", "\"Unicornis\" is not a known species name");
	filter_bad("species=5034abc", "species", "not a known species name");
	filter_bad("species=elephant", "species", "is ambiguous");
	struct error err = ERROR_INIT;
	assert_int_equal(filter("species=elephant", &f, NULL, &err), -1);
	assert_non_null(strstr(err.fields[0].message, "Elephas maximus"));
	assert_non_null(strstr(err.fields[0].message, "Loxodonta africana"));
	error_clear(&err);
}

static void test_filter_taxon_term_country(void **state)
{
	struct seizure_filter f;
	filter_ok("taxon=Manidae&term=sca&country=Cambodia&transport_mode=courier", &f);
	assert_string_equal(f.taxon_group, "Manidae");
	assert_string_equal(f.term, "SCA");
	assert_string_equal(f.country, "KH");
	assert_string_equal(f.transport_mode, "post");
	filter_ok("country=vn&transport_mode=AIR", &f);
	assert_string_equal(f.country, "VN");
	assert_string_equal(f.transport_mode, "air");
	filter_ok("country=%E1%9E%80%E1%9E%98%E1%9F%92%E1%9E%96%E1%9E%BB%E1%9E%87%E1%9E%B6", &f);
	assert_string_equal(f.country, "KH"); /* កម្ពុជា */
	filter_bad("term=xyz", "term", "\"xyz\" is not a CITES term code");
	filter_bad("country=Narnia", "country", "\"Narnia\" is not a country");
	filter_bad("transport_mode=teleport", "transport_mode", "\"teleport\" is not a mode");
}

static void test_filter_agency_limit_cursor(void **state)
{
	struct seizure_filter f;
	filter_ok("agency=2&limit=500&cursor=2024-03-15_42", &f);
	assert_int_equal(f.agency_id, 2);
	assert_int_equal(f.limit, 500);
	assert_string_equal(f.after_date, "2024-03-15");
	assert_int_equal(f.after_id, 42);
	filter_ok("limit=1", &f);
	assert_int_equal(f.limit, 1);
	filter_bad("agency=abc", "agency", "must be an agency id");
	filter_bad("agency=0", "agency", NULL);
	filter_bad("agency=-3", "agency", NULL);
	filter_bad("agency=2x", "agency", NULL);
	filter_bad("limit=0", "limit", "from 1 to 500");
	filter_bad("limit=501", "limit", "from 1 to 500");
	filter_bad("limit=ten", "limit", NULL);
	filter_bad("cursor=xyz", "cursor", "is not a cursor this server gave out");
	filter_bad("cursor=2024-03-15_0", "cursor", NULL);
	filter_bad("cursor=2024-03-15_", "cursor", NULL);
	filter_bad("cursor=2024-03-15-42", "cursor", NULL);
	filter_bad("cursor=2024x03-15_42", "cursor", NULL);
	filter_bad("cursor=2024-03-15_42z", "cursor", NULL);
}

static void test_filter_dates(void **state)
{
	static const struct {
		const char *raw, *from, *to;
	} t[] = {
		{ "from=2024-02&to=2024-02", "2024-02-01", "2024-02-29" },
		{ "from=2023-02&to=2023-02", "2023-02-01", "2023-02-28" },
		{ "from=1900-02&to=1900-02", "1900-02-01", "1900-02-28" },
		{ "from=2000-02&to=2000-02", "2000-02-01", "2000-02-29" },
		{ "from=2024&to=2024", "2024-01-01", "2024-12-31" },
		{ "from=2024-11&to=2024-11", "2024-11-01", "2024-11-30" },
		{ "from=2024-03-15&to=2024-03-16", "2024-03-15", "2024-03-16" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct seizure_filter f;
		filter_ok(t[i].raw, &f);
		assert_string_equal(f.from, t[i].from);
		assert_string_equal(f.to, t[i].to);
	}
	filter_bad("from=2023-02-29", "from", "\"2023-02-29\" is not a date");
	filter_bad("to=2025-13", "to", "is not a date");
	filter_bad("to=yesterday", "to", "YYYY-MM-DD");
}

static void test_filter_unknown_and_extra(void **state)
{
	filter_bad("colour=red", "colour", "is not a filter");
	filter_bad("format=csv", "format", "is not a filter");
	struct seizure_filter f;
	struct error err = ERROR_INIT;
	static const char *const extra[] = { "format", "fields", NULL };
	assert_int_equal(filter("format=csv&fields=a&term=SCA", &f, extra, &err), 0);
	assert_string_equal(f.term, "SCA");
	assert_int_equal(filter("format=csv&colour=red", &f, extra, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, "colour");
	error_clear(&err);
	/* an unknown parameter is an error even with an empty value */
	filter_bad("colour=", "colour", NULL);
	/* names are case-sensitive */
	filter_bad("Term=SCA", "Term", NULL);
}

static void test_filter_many_errors(void **state)
{
	struct seizure_filter f;
	struct error err = ERROR_INIT;
	assert_int_equal(filter("term=XX&country=Narnia&limit=0&from=2024-13&x=1&species=Unicornis",
				&f, NULL, &err),
			 -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	static const char *const want[] = { "term", "country", "limit", "from", "x", "species" };
	assert_int_equal(err.nfields, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(err.fields[i].field, want[i]);
	error_clear(&err);
}

static void test_cursor_round_trip(void **state)
{
	struct seizure last = { .id = 987, .date_from = "2023-07-01" };
	const char *c = seizure_cursor_encode(&ar, &last);
	assert_string_equal(c, "2023-07-01_987");
	struct seizure_filter f = { 0 };
	assert_int_equal(seizure_cursor_decode(c, &f, &ar), 0);
	assert_string_equal(f.after_date, "2023-07-01");
	assert_int_equal(f.after_id, 987);
	assert_int_equal(seizure_cursor_decode(NULL, &f, &ar), -1);
	assert_int_equal(seizure_cursor_decode("", &f, &ar), -1);
	assert_int_equal(seizure_cursor_decode("2023-07-01_-1", &f, &ar), -1);
}

/* A badly encoded value is a malformed request (400), naming the parameter. */
static void test_query_bad_value_is_bad_request(void **state)
{
	parse_fails("q=%ZZ", ERR_BAD_REQUEST, "q");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_query_basic),
		T(test_query_bad_value_is_bad_request),
		T(test_query_shapes),
		T(test_query_utf8),
		T(test_query_bad_escapes),
		T(test_query_bad_values_name_parameter),
		T(test_query_too_many),
		T(test_query_get_int),
		T(test_filter_defaults),
		T(test_filter_q),
		T(test_filter_species),
		T(test_filter_taxon_term_country),
		T(test_filter_agency_limit_cursor),
		T(test_filter_dates),
		T(test_filter_unknown_and_extra),
		T(test_filter_many_errors),
		T(test_cursor_round_trip),
	};
#undef T
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	fixture_cleanup();
	return rc;
}
