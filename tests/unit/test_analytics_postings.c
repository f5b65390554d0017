/*
 * test_analytics_postings.c - the scan served from posting lists: a filter
 * on the country of seizure, origin, destination, transport mode or agency
 * that keeps a third of the rows in the dates or fewer reads only the rows
 * of its values (prep_candidates in query.c).  Each such filter is asked
 * twice: alone (the list is used: checked on the prepared request) and with
 * dates that leave so few rows that the list is not used; both must give
 * the figures worked out by hand below, to the bit.  Every test runs with
 * every scan on one thread and again cut in two halves.
 *
 * The register (no conversion factors: weights from KIL only; values in USD):
 *   O1..O12  customs  2020-01-01..12  VN  NG>CN  sea   Manis javanica SCA 10 KIL
 *   D        customs  2024-03-10      VN  NG>CN  sea   Manis javanica SCA 10 KIL
 *   T1       forestry 2024-03-05      KH  LA>TH  air   100 USD
 *              Panthera tigris BON 25 KIL                 (25 kg: 10to100)
 *   T2       forestry 2024-03-20      KH  LA>TH  air
 *              Manis javanica SCA 200 KIL                 (200 kg: ge100)
 *              Panthera tigris SKI 2                      (unweighed)
 * Every one of KH, LA, TH, air, forestry picks T1 and T2 (2 of 15 rows:
 * the list is used); from 2024-03-01 to 2024-03-31 the scan's rows are D,
 * T1, T2 (2 of 3: the list is not used).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analytics/analytics.h"
#include "analytics/internal.h"
#include "fixture.h"
#include "seizure/seizure.h"

static struct fixture fx;
static struct arena ar;
static struct analytics *an;

struct line {
	const char *species, *term, *unit;
	double quantity;
};

static void add(int64_t agency, const char *date, const char *country, const char *origin,
		const char *dest, const char *mode, double usd, const struct line *lines,
		size_t n)
{
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.agency_id = agency;
	s.sharing = "national";
	s.date = date;
	s.country = country;
	s.origin = origin;
	s.destination = dest;
	s.transport_mode = mode;
	if (usd > 0) {
		s.has_value = 1;
		s.value_amount = usd;
		s.value_currency = "USD";
	}
	s.items = arena_alloc(&ar, n * sizeof *s.items);
	for (size_t i = 0; i < n; i++)
		s.items[i] = (struct seizure_item){ .species = lines[i].species,
						    .term = lines[i].term,
						    .unit = lines[i].unit,
						    .quantity = lines[i].quantity, .live = -1 };
	s.nitems = n;
	struct error err = ERROR_INIT;
	if (seizure_create(fx.st, fx.ref, &fx.admin, &s, &ar, &err) != 0)
		fail_msg("seizure_create: %s %s", err.message,
			 err.nfields ? err.fields[0].message : "");
}

static int setup_rows(size_t split)
{
	fixture_open(&fx);
	arena_init(&ar);
	struct arena a0;
	arena_init(&a0);
	struct an_conversion *cv0;
	size_t n0;
	struct error err = ERROR_INIT;
	assert_int_equal(store_conversion_list(fx.st, &cv0, &n0, &a0, &err), 0);
	for (size_t i = 0; i < n0; i++)
		assert_int_equal(store_conversion_delete(fx.st, cv0[i].id, &err), 0);
	arena_free(&a0);
	int64_t cu = fx.customs_id, fo = fx.forestry_id;
	const struct line sca10[] = { { "Manis javanica", "SCA", "KIL", 10 } };
	for (int m = 1; m <= 12; m++) {
		char date[32];
		snprintf(date, sizeof date, "2020-%02d-01", m);
		add(cu, date, "VN", "NG", "CN", "sea", 0, sca10, 1);
	}
	add(fo, "2024-03-05", "KH", "LA", "TH", "air", 100,
	    (struct line[]){ { "Panthera tigris", "BON", "KIL", 25 } }, 1);
	add(cu, "2024-03-10", "VN", "NG", "CN", "sea", 0, sca10, 1);
	add(fo, "2024-03-20", "KH", "LA", "TH", "air", 0,
	    (struct line[]){ { "Manis javanica", "SCA", "KIL", 200 },
			     { "Panthera tigris", "SKI", "", 2 } }, 2);
	an = analytics_build(fx.st, fx.ref, &err);
	if (!an)
		fail_msg("build: %s", err.message);
	analytics_set_split(an, split);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_rows(0);
}

/* Every scan cut in two halves on two threads. */
static int setup_split(void **state)
{
	(void)state;
	return setup_rows(1);
}

static int teardown(void **state)
{
	(void)state;
	analytics_free(an);
	an = NULL;
	arena_free(&ar);
	fixture_close(&fx);
	return 0;
}

static struct an_request req(const char *text)
{
	struct query q;
	struct error err = ERROR_INIT;
	assert_int_equal(query_parse(&q, text, strlen(text), &ar, &err), 0);
	struct an_request r;
	if (analytics_request_parse(fx.ref, &q, NULL, &r, &ar, &err) != 0)
		fail_msg("parse %s: %s", text, err.nfields ? err.fields[0].message : err.message);
	return r;
}

/* How many rows the scan of text reads from a posting list; -1 when it
 * reads every row in the dates instead. */
static long candidates(const char *text)
{
	struct an_request r = req(text);
	struct prep p;
	struct error err = ERROR_INIT;
	assert_int_equal(prep_request(an->c, fx.ref, &fx.admin, &r, &p, &err), 0);
	long n = p.cand ? (long)p.ncand : -1;
	prep_free(&p);
	return n;
}

static struct an_breakdown breakdown(const char *text)
{
	struct an_request r = req(text);
	struct an_breakdown b;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_breakdown(an, fx.ref, &fx.admin, &r, &b, &ar, &err), 0);
	return b;
}

static const struct an_group *group(const struct an_breakdown *b, const char *key)
{
	for (size_t i = 0; i < b->ngroups; i++)
		if (strcmp(b->groups[i].key, key) == 0)
			return &b->groups[i];
	fail_msg("no group %s", key);
	return NULL;
}

static void cell_is(const struct an_cell *c, double seizures, double items, double kg,
		    double unweighed, double value, double valued)
{
	/* sums of whole kilograms and dollars: exact */
	assert_true(c->seizures == seizures);
	assert_true(c->items == items);
	assert_true(c->weight_kg == kg);
	assert_true(c->items_unweighed == unweighed);
	assert_true(c->value == value);
	assert_true(c->seizures_valued == valued);
	assert_true(c->animals == 0);
}

static const char *const one_month = "&from=2024-03-01&to=2024-03-31";

/* The filter f, with and without the list: T1 and T2 by term and by weight
 * class, and the same figures both ways. */
static void check_filter(const char *f)
{
	char dated[256];
	snprintf(dated, sizeof dated, "%s%s", f, one_month);
	assert_int_equal(candidates(f), 2);
	assert_int_equal(candidates(dated), -1);

	char text[320];
	struct an_breakdown b[2];
	const char *const which[2] = { f, dated };
	for (int k = 0; k < 2; k++) {
		snprintf(text, sizeof text, "by=term&measure=weight_kg&%s", which[k]);
		b[k] = breakdown(text);
		cell_is(&b[k].total, 2, 3, 225, 1, 100, 1);
		assert_int_equal(b[k].ngroups, 3);
		cell_is(&group(&b[k], "SCA")->cell, 1, 1, 200, 0, 0, 0);
		cell_is(&group(&b[k], "BON")->cell, 1, 1, 25, 0, 100, 1);
		cell_is(&group(&b[k], "SKI")->cell, 1, 1, 0, 1, 0, 0);
		assert_string_equal(b[k].groups[0].key, "SCA");
	}
	assert_memory_equal(&b[0].total, &b[1].total, sizeof b[0].total);

	for (int k = 0; k < 2; k++) {
		snprintf(text, sizeof text, "by=weight_class&%s", which[k]);
		b[k] = breakdown(text);
		assert_int_equal(b[k].ngroups, 2);
		cell_is(&group(&b[k], "10to100")->cell, 1, 1, 25, 0, 100, 1);
		cell_is(&group(&b[k], "ge100")->cell, 1, 2, 200, 1, 0, 0);
	}
	/* with an item filter: T2's pangolin scales alone */
	for (int k = 0; k < 2; k++) {
		snprintf(text, sizeof text, "by=weight_class&family=Manidae&%s", which[k]);
		b[k] = breakdown(text);
		assert_int_equal(b[k].ngroups, 1);
		cell_is(&b[k].total, 1, 1, 200, 0, 0, 0);
		cell_is(&group(&b[k], "ge100")->cell, 1, 1, 200, 0, 0, 0);
	}
}

static void test_country(void **state)
{
	(void)state;
	check_filter("seizure_country=KH");
}

static void test_origin(void **state)
{
	(void)state;
	check_filter("origin=LA");
}

static void test_destination(void **state)
{
	(void)state;
	check_filter("destination=TH");
}

static void test_transport(void **state)
{
	(void)state;
	check_filter("transport_mode=air");
}

static void test_agency(void **state)
{
	(void)state;
	char f[64];
	snprintf(f, sizeof f, "agency=%lld", (long long)fx.forestry_id);
	check_filter(f);
}

/* Several values (the lists' union), a value with no rows, two listed
 * filters at once (the shorter list read, both checked), and rows added
 * after the lists were built (the unsorted tail, read in full). */
static void test_unions_and_tail(void **state)
{
	(void)state;
	/* KH or TH: TH has no seizure, the union is T1, T2 */
	assert_int_equal(candidates("seizure_country=KH,TH"), 2);
	struct an_breakdown b = breakdown("by=weight_class&seizure_country=KH,TH");
	cell_is(&b.total, 2, 3, 225, 1, 100, 1);
	/* no seizure in LA: an empty list, nothing read */
	assert_int_equal(candidates("seizure_country=LA"), 0);
	b = breakdown("by=weight_class&seizure_country=LA");
	assert_int_equal(b.ngroups, 0);
	cell_is(&b.total, 0, 0, 0, 0, 0, 0);
	/* air (2 rows) and sea (13): the list of air, and sea checked on each */
	b = breakdown("by=weight_class&transport_mode=air&destination=CN");
	assert_int_equal(b.ngroups, 0);
	cell_is(&b.total, 0, 0, 0, 0, 0, 0);
	/* VN origin LA destination TH by road, added after the build */
	struct error err = ERROR_INIT;
	add(fx.customs_id, "2024-03-25", "VN", "LA", "TH", "road", 0,
	    (struct line[]){ { "Panthera tigris", "BON", "KIL", 5 } }, 1);
	assert_int_equal(analytics_sync(an, fx.st, fx.ref, &err), 0);
	assert_int_equal(candidates("origin=LA"), 2);
	b = breakdown("by=weight_class&origin=LA");
	cell_is(&b.total, 3, 4, 230, 1, 100, 1);
	cell_is(&group(&b, "lt10")->cell, 1, 1, 5, 0, 0, 0);
	b = breakdown("by=weight_class&origin=LA&from=2024-03-01&to=2024-03-31");
	cell_is(&b.total, 3, 4, 230, 1, 100, 1);
	/* with an item filter: the new row's kinds are known to the scan too */
	b = breakdown("by=weight_class&origin=LA&family=Felidae");
	cell_is(&b.total, 3, 3, 30, 1, 100, 1);
	cell_is(&group(&b, "unknown")->cell, 1, 1, 0, 1, 0, 0);
}

int main(void)
{
#define BOTH(fn)                                                                        \
	cmocka_unit_test_setup_teardown(fn, setup, teardown),                           \
		{ #fn " (two threads)", fn, setup_split, teardown, NULL }
	const struct CMUnitTest tests[] = {
		BOTH(test_country),   BOTH(test_origin), BOTH(test_destination),
		BOTH(test_transport), BOTH(test_agency), BOTH(test_unions_and_tail),
	};
#undef BOTH
	return cmocka_run_group_tests(tests, NULL, NULL);
}
