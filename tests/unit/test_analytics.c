/*
 * test_analytics.c - the analytics' numbers on a small register whose every
 * figure is worked out by hand below: measures, conversions, breakdowns,
 * series, routes, seizures out, indices, map; access rules in aggregates;
 * the columns following changes; the conversion and rates tables.
 *
 * The register (conversions and rates of the test, not the shipped ones):
 *   S1 customs  national 2023-01-10 VN  NG>MY>VN sea  1000 USD
 *        Manis javanica SCA 100 KIL  (kg 100,  animals 250)
 *        Manis javanica SCA 500 GRM  (kg 0.5,  animals 1.25)   class kg 100.5 -> ge100
 *   S2 customs  agency   2023-02-05 TH  NG>CN    air   40000 KHR (= 10 USD)
 *        Elephas maximus TUS 4       (kg 20 at 5 kg/tusk, animals 2)
 *        Loxodonta africana IVC 7 KIL (kg 7, RIE x2 = 14)      class kg 34 -> 10to100
 *   S3 forestry national 2024-03-15 KH  -        road
 *        Panthera tigris SKI 2       (kg ?, animals 2)
 *        Panthera tigris CLA 36      (kg ?, animals 2)          class unknown
 *   S4 forestry agency   2024-06    KH  LA>TH>VN road
 *        Panthera tigris BON 25 KIL  (kg 25, animals 2.5)       10to100
 *   S5 customs  national 2024       VN  NG;CM>CN sea
 *        Manis javanica SCA 2000 KIL (kg 2000, animals 5000)    ge100
 *
 * Every test of the register runs twice: with every scan on one thread, and
 * with every scan cut in two halves on two threads (analytics_set_split 1),
 * which must give the same figures.
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
#include "fixture.h"
#include "seizure/seizure.h"

static struct fixture fx;
static struct arena ar;
static struct analytics *an;
static int64_t ids[6];
static size_t split_rows; /* 0: the default; 1: every scan in two halves */

struct line {
	const char *species, *term, *unit;
	double quantity;
};

static int64_t add(int64_t agency, const char *sharing, const char *date, const char *country,
		   const char *origin, const char *transit, const char *dest, const char *mode,
		   double value, const char *currency, const struct line *lines, size_t n)
{
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.agency_id = agency;
	s.sharing = sharing;
	s.date = date;
	s.country = country;
	s.origin = origin;
	s.transit = transit;
	s.destination = dest;
	s.transport_mode = mode;
	if (currency) {
		s.has_value = 1;
		s.value_amount = value;
		s.value_currency = currency;
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
	return s.id;
}

static void conv(const char *taxon, const char *term, const char *unit, double kg,
		 double animals, double rie)
{
	struct an_conversion c = { .taxon = taxon, .term = term, .unit = unit,
				   .commodity = strcmp(taxon, "Manidae") == 0 ? "pangolin"
					       : strcmp(taxon, "Elephantidae") == 0 ? "ivory"
										: "tiger",
				   .kg_per_unit = kg, .animals_per_unit = animals, .rie_factor = rie,
				   .estimate = 1, .source = "test" };
	struct error err = ERROR_INIT;
	if (analytics_conversion_save(fx.st, fx.ref, &fx.admin, &c, &err) != 0)
		fail_msg("conversion: %s %s", err.message, err.nfields ? err.fields[0].message : "");
}

static int setup(void **state)
{
	(void)state;
	fixture_open(&fx);
	arena_init(&ar);
	/* the test's own factors, not the shipped ones */
	struct arena a0;
	arena_init(&a0);
	struct an_conversion *cv0;
	struct an_rate *rt0;
	size_t n0, nr0;
	struct error e0 = ERROR_INIT;
	assert_int_equal(store_conversion_list(fx.st, &cv0, &n0, &a0, &e0), 0);
	assert_int_equal(store_rate_list(fx.st, &rt0, &nr0, &a0, &e0), 0);
	for (size_t i = 0; i < n0; i++)
		assert_int_equal(store_conversion_delete(fx.st, cv0[i].id, &e0), 0);
	for (size_t i = 0; i < nr0; i++)
		assert_int_equal(store_rate_delete(fx.st, rt0[i].id, &e0), 0);
	arena_free(&a0);
	conv("Manidae", "SCA", "KIL", NAN, 2.5, NAN);
	conv("Elephantidae", "TUS", "", 5, 0.5, NAN);
	conv("Elephantidae", "IVC", "KIL", NAN, NAN, 2);
	conv("Panthera tigris", "SKI", "", NAN, 1, NAN);
	conv("Panthera tigris", "CLA", "", NAN, 1.0 / 18, NAN);
	conv("Panthera tigris", "BON", "KIL", NAN, 0.1, NAN);
	struct an_rate usd = { .currency = "USD", .usd_per_unit = 1, .source = "base" };
	struct an_rate khr = { .currency = "KHR", .usd_per_unit = 0.00025, .source = "test" };
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_rate_save(fx.st, &fx.admin, &usd, &err), 0);
	assert_int_equal(analytics_rate_save(fx.st, &fx.admin, &khr, &err), 0);
	int64_t cu = fx.customs_id, fo = fx.forestry_id;
	ids[1] = add(cu, "national", "2023-01-10", "VN", "NG", "MY", "VN", "sea", 1000, "USD",
		     (struct line[]){ { "Manis javanica", "SCA", "KIL", 100 },
				      { "Manis javanica", "SCA", "GRM", 500 } }, 2);
	ids[2] = add(cu, "agency", "2023-02-05", "TH", "NG", NULL, "CN", "air", 40000, "KHR",
		     (struct line[]){ { "Elephas maximus", "TUS", "", 4 },
				      { "Loxodonta africana", "IVC", "KIL", 7 } }, 2);
	ids[3] = add(fo, "national", "2024-03-15", "KH", NULL, NULL, NULL, "road", 0, NULL,
		     (struct line[]){ { "Panthera tigris", "SKI", "", 2 },
				      { "Panthera tigris", "CLA", "", 36 } }, 2);
	ids[4] = add(fo, "agency", "2024-06", "KH", "LA", "TH", "VN", "road", 0, NULL,
		     (struct line[]){ { "Panthera tigris", "BON", "KIL", 25 } }, 1);
	ids[5] = add(cu, "national", "2024", "VN", "NG;CM", NULL, "CN", "sea", 0, NULL,
		     (struct line[]){ { "Manis javanica", "SCA", "KIL", 2000 } }, 1);
	an = analytics_build(fx.st, fx.ref, &err);
	if (!an)
		fail_msg("build: %s", err.message);
	return 0;
}

/* The same register, every scan cut in two halves (split.c). */
static int setup_split(void **state)
{
	setup(state);
	split_rows = 1;
	analytics_set_split(an, split_rows);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analytics_free(an);
	an = NULL;
	split_rows = 0;
	arena_free(&ar);
	fixture_close(&fx);
	return 0;
}

/* A request from "k=v&k=v" text, as the API parses it. */
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

static struct an_summary summary(const struct actor *who, const char *text)
{
	struct an_request r = req(text);
	struct an_summary s;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_summary(an, fx.ref, who, &r, &s, &ar, &err), 0);
	return s;
}

static struct an_breakdown breakdown(const struct actor *who, const char *text)
{
	struct an_request r = req(text);
	struct an_breakdown b;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_breakdown(an, fx.ref, who, &r, &b, &ar, &err), 0);
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

#define NEAR(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-6)

static void test_measures(void **state)
{
	(void)state;
	struct an_summary s = summary(&fx.admin, "");
	NEAR(s.total.seizures, 5);
	NEAR(s.total.items, 8);
	NEAR(s.total.weight_kg, 100.5 + 27 + 25 + 2000);
	NEAR(s.total.animals, 251.25 + 2 + 2 + 2 + 2.5 + 5000);
	NEAR(s.total.items_unweighed, 2);
	NEAR(s.total.value, 1010);
	NEAR(s.total.seizures_valued, 2);
	assert_int_equal(s.first_day, analytics_day(2023, 1, 10));
	assert_int_equal(s.last_day, analytics_day(2024, 6, 1));
	/* quantity per unit: KIL 100 + 7 + 25 + 2000; GRM 500; number 4 + 2 + 36 */
	int seen = 0;
	for (size_t i = 0; i < s.nunits; i++) {
		if (strcmp(s.units[i].key, "KIL") == 0)
			NEAR(s.units[i].cell.quantity, 2132), seen++;
		if (strcmp(s.units[i].key, "GRM") == 0)
			NEAR(s.units[i].cell.quantity, 500), seen++;
		if (strcmp(s.units[i].key, "") == 0)
			NEAR(s.units[i].cell.quantity, 42), seen++;
	}
	assert_int_equal(seen, 3);
	/* equivalents per commodity */
	assert_int_equal(s.ncommodities, 3);
	assert_string_equal(s.commodities[0].key, "pangolin");
	NEAR(s.commodities[0].cell.animals, 5251.25);
	assert_string_equal(s.commodities[1].key, "tiger");
	NEAR(s.commodities[1].cell.animals, 6.5);
	assert_string_equal(s.commodities[2].key, "ivory");
	NEAR(s.commodities[2].cell.animals, 2);
	/* weight classes */
	NEAR(s.classes[0].cell.seizures, 0);
	NEAR(s.classes[1].cell.seizures, 2);
	NEAR(s.classes[2].cell.seizures, 2);
	NEAR(s.classes[3].cell.seizures, 1);
	/* value in another currency: 1010 USD / 0.00025 */
	s = summary(&fx.admin, "currency=KHR");
	NEAR(s.total.value, 4040000);
	/* quantity in one unit */
	struct an_request r = req("measure=quantity&unit=KIL");
	struct an_breakdown b;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_breakdown(an, fx.ref, &fx.admin, &r, &b, &ar, &err), 0);
	NEAR(b.total.quantity, 2132);
	/* an unknown currency is an error naming the parameter */
	r = req("currency=XAF");
	assert_int_equal(analytics_summary(an, fx.ref, &fx.admin, &r, &s, &ar, &err), -1);
	assert_string_equal(err.fields[0].field, "currency");
	error_clear(&err);
}

static void test_breakdowns(void **state)
{
	(void)state;
	struct an_breakdown b = breakdown(&fx.admin, "by=species&measure=weight_kg");
	assert_int_equal(b.ngroups, 4);
	assert_string_equal(b.groups[0].label, "Manis javanica");
	NEAR(b.groups[0].cell.weight_kg, 2100.5);
	NEAR(b.groups[0].cell.seizures, 2);
	assert_string_equal(b.groups[1].label, "Panthera tigris");
	NEAR(b.groups[1].cell.weight_kg, 25);
	NEAR(b.groups[1].cell.seizures, 2);
	NEAR(b.groups[1].cell.items_unweighed, 2);
	assert_string_equal(b.groups[2].label, "Elephas maximus");
	assert_string_equal(b.groups[3].label, "Loxodonta africana");
	assert_true(b.multi);

	b = breakdown(&fx.admin, "by=family&measure=weight_kg");
	assert_string_equal(b.groups[0].key, "Manidae");
	assert_string_equal(b.groups[1].key, "Elephantidae");
	NEAR(b.groups[1].cell.weight_kg, 27);
	NEAR(b.groups[1].cell.seizures, 1);
	NEAR(b.groups[1].cell.value, 10);
	assert_string_equal(b.groups[2].key, "Felidae");

	b = breakdown(&fx.admin, "by=origin");
	NEAR(group(&b, "NG")->cell.seizures, 3);
	NEAR(group(&b, "CM")->cell.seizures, 1);
	NEAR(group(&b, "LA")->cell.seizures, 1);
	NEAR(group(&b, "")->cell.seizures, 1);
	NEAR(b.total.seizures, 5);

	b = breakdown(&fx.admin, "by=weight_class");
	NEAR(group(&b, "10to100")->cell.seizures, 2);
	NEAR(group(&b, "ge100")->cell.seizures, 2);
	NEAR(group(&b, "unknown")->cell.seizures, 1);
	assert_false(b.multi);

	b = breakdown(&fx.admin, "by=term&measure=items");
	NEAR(group(&b, "SCA")->cell.items, 3);
	NEAR(group(&b, "SCA")->cell.seizures, 2);

	b = breakdown(&fx.admin, "by=transport_mode");
	NEAR(group(&b, "sea")->cell.seizures, 2);
	NEAR(group(&b, "road")->cell.seizures, 2);
	NEAR(group(&b, "air")->cell.seizures, 1);

	/* filters combine: pangolins seized in Viet Nam, 2024 */
	b = breakdown(&fx.admin, "by=year&taxon=Manidae&seizure_country=VN&from=2024");
	assert_int_equal(b.ngroups, 1);
	assert_string_equal(b.groups[0].key, "2024");
	NEAR(b.total.weight_kg, 2000);
	/* item filters narrow the items counted, not only the seizures */
	b = breakdown(&fx.admin, "by=country&term=CLA");
	NEAR(b.total.items, 1);
	NEAR(b.total.animals, 2);
	/* several values of one filter: OR */
	b = breakdown(&fx.admin, "by=country&origin=LA,CM");
	NEAR(b.total.seizures, 2);
	/* weight class as a filter */
	b = breakdown(&fx.admin, "by=agency&weight_class=ge100");
	NEAR(b.total.seizures, 2);
	/* country = any role */
	b = breakdown(&fx.admin, "by=country&country=MY");
	NEAR(b.total.seizures, 1);
	/* limit: the rest summed in other */
	b = breakdown(&fx.admin, "by=species&limit=1&measure=weight_kg");
	assert_int_equal(b.ngroups, 1);
	assert_int_equal(b.ngroups_total, 4);
	NEAR(b.other.weight_kg, 52);
	/* month-precision date within a range */
	b = breakdown(&fx.admin, "by=country&from=2024-06-10&to=2024-06-20");
	NEAR(b.total.seizures, 2); /* S4 (2024-06) and S5 (2024) overlap it */
}

static void test_timeseries(void **state)
{
	(void)state;
	struct an_request r = req("grain=month");
	struct an_timeseries t;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_timeseries(an, fx.ref, &fx.admin, &r, &t, &ar, &err), 0);
	assert_int_equal(t.nperiods, 18);
	assert_string_equal(t.periods[0], "2023-01");
	assert_string_equal(t.periods[17], "2024-06");
	assert_int_equal(t.nseries, 1);
	NEAR(t.series[0].values[0], 1);
	NEAR(t.series[0].values[1], 1);
	NEAR(t.series[0].values[2], 0);
	NEAR(t.series[0].values[12], 1); /* 2024-01: S5, dated 2024 */
	NEAR(t.series[0].values[14], 1);
	NEAR(t.series[0].values[17], 1);
	NEAR(t.series[0].total, 5);

	r = req("grain=year&split=family&measure=weight_kg&limit=1");
	assert_int_equal(analytics_timeseries(an, fx.ref, &fx.admin, &r, &t, &ar, &err), 0);
	assert_int_equal(t.nperiods, 2);
	assert_int_equal(t.nseries, 2);
	assert_string_equal(t.series[0].key, "Manidae");
	NEAR(t.series[0].values[0], 100.5);
	NEAR(t.series[0].values[1], 2000);
	assert_string_equal(t.series[1].key, "other");
	NEAR(t.series[1].values[0], 27);
	NEAR(t.series[1].values[1], 25);

	r = req("grain=week&from=2023-01-01&to=2023-01-31");
	assert_int_equal(analytics_timeseries(an, fx.ref, &fx.admin, &r, &t, &ar, &err), 0);
	assert_int_equal(t.nperiods, 1);
	assert_string_equal(t.periods[0], "2023-W02"); /* 2023-01-10 is a Tuesday of ISO week 2 */
	assert_int_equal(t.period_start[0], analytics_day(2023, 1, 9));
	r = req("grain=quarter");
	assert_int_equal(analytics_timeseries(an, fx.ref, &fx.admin, &r, &t, &ar, &err), 0);
	assert_string_equal(t.periods[0], "2023-Q1");
	NEAR(t.series[0].values[0], 2);
}

static void test_routes(void **state)
{
	(void)state;
	struct an_request r = req("from=2024-01-01&to=2024-12-31&limit=50");
	struct an_routes o;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_routes(an, fx.ref, &fx.admin, &r, &o, &ar, &err), 0);
	assert_int_equal(o.prev_to, analytics_day(2023, 12, 31));
	assert_int_equal(o.nroutes_total, 5);
	int found = 0;
	for (size_t i = 0; i < o.nroutes; i++) {
		const struct an_route *ro = &o.routes[i];
		if (!strcmp(ro->origin, "NG") && !strcmp(ro->destination, "CN")) {
			NEAR(ro->now.seizures, 1);
			NEAR(ro->before.seizures, 1);
			NEAR(ro->trend, 0);
			found++;
		} else if (!strcmp(ro->origin, "NG") && !strcmp(ro->destination, "VN")) {
			assert_string_equal(ro->transit, "MY");
			NEAR(ro->now.seizures, 0);
			NEAR(ro->trend, -1);
			found++;
		} else if (!strcmp(ro->origin, "LA")) {
			assert_string_equal(ro->transit, "TH");
			assert_string_equal(ro->destination, "VN");
			NEAR(ro->now.weight_kg, 25);
			assert_true(isnan(ro->trend));
			found++;
		} else if (!strcmp(ro->origin, "CM")) {
			found++;
		} else if (!strcmp(ro->origin, "")) {
			assert_string_equal(ro->destination, "");
			found++;
		}
	}
	assert_int_equal(found, 5);
	/* matrix of the period: origins NG, CM, LA, "" x destinations CN, VN, "" */
	assert_int_equal(o.norigins, 4);
	assert_int_equal(o.ndestinations, 3);
	double sum = 0;
	for (size_t i = 0; i < o.norigins * o.ndestinations; i++)
		sum += o.matrix[i].seizures;
	NEAR(sum, 4); /* S5 counts on two routes */
	/* seizures in and out (ETIS): KH made 2; its seizures point to LA and TH */
	int kh = 0, ng = 0;
	for (size_t i = 0; i < o.ncountries; i++) {
		const struct an_country_flow *f = &o.countries[i];
		if (!strcmp(f->country, "KH")) {
			NEAR(f->seizures_in, 2);
			NEAR(f->seizures_out, 0);
			assert_int_equal(f->npoints_to, 2);
			kh = 1;
		}
		if (!strcmp(f->country, "NG")) {
			NEAR(f->seizures_in, 0);
			NEAR(f->seizures_out, 1);
			ng = 1;
		}
	}
	assert_true(kh && ng);
}

static void test_indices(void **state)
{
	(void)state;
	struct an_request r = req("base_year=2023");
	struct an_indices x;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_indices(an, fx.ref, &fx.admin, &r, &x, &ar, &err), 0);
	assert_int_equal(x.nyears, 2);
	assert_int_equal(x.years[0].year, 2023);
	NEAR(x.years[0].transactions[AN_CLASS_ALL], 2);
	NEAR(x.years[1].transactions[AN_CLASS_ALL], 3);
	NEAR(x.years[0].transaction_index[AN_CLASS_ALL], 100);
	NEAR(x.years[1].transaction_index[AN_CLASS_ALL], 150);
	NEAR(x.years[0].weight_kg[AN_CLASS_ALL], 134.5);   /* 100.5 + 34 (RIE) */
	NEAR(x.years[1].weight_kg[AN_CLASS_ALL], 2025);
	NEAR(x.years[1].weight_index[AN_CLASS_ALL], 2025 / 134.5 * 100);
	NEAR(x.years[1].transaction_index[AN_CLASS_GE100], 100);
	NEAR(x.years[1].weight_index[AN_CLASS_10_100], 25.0 / 34 * 100);
	assert_true(isnan(x.years[1].transaction_index[AN_CLASS_LT10]));
}

static void test_map(void **state)
{
	(void)state;
	struct an_request r = req("role=country");
	struct an_map m;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_map(an, fx.ref, &fx.admin, &r, &m, &ar, &err), 0);
	assert_int_equal(m.ncountries, 3);
	double vn = 0, kh = 0;
	for (size_t i = 0; i < m.ncountries; i++) {
		if (!strcmp(m.countries[i].key, "VN"))
			vn = m.countries[i].cell.seizures;
		if (!strcmp(m.countries[i].key, "KH"))
			kh = m.countries[i].cell.seizures;
	}
	NEAR(vn, 2);
	NEAR(kh, 2);
	assert_int_equal(m.points_total, 0); /* no coordinates recorded */
	r = req("role=destination");
	assert_int_equal(analytics_map(an, fx.ref, &fx.admin, &r, &m, &ar, &err), 0);
	NEAR(m.countries[0].cell.seizures, 2);
}

/* A seizure with coordinates (S1's items), made by the admin. */
static int64_t add_point(const char *date, double lat, double lon)
{
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.agency_id = fx.customs_id;
	s.sharing = "national";
	s.date = date;
	s.country = "KH";
	s.has_coords = 1;
	s.latitude = lat;
	s.longitude = lon;
	s.items = arena_alloc(&ar, sizeof *s.items);
	s.items[0] = (struct seizure_item){ .species = "Manis javanica", .term = "SCA",
					    .unit = "KIL", .quantity = 12, .live = -1 };
	s.nitems = 1;
	struct error err = ERROR_INIT;
	if (seizure_create(fx.st, fx.ref, &fx.admin, &s, &ar, &err) != 0)
		fail_msg("seizure_create: %s", err.message);
	return s.id;
}

/* The newest points_limit points, newest first (ties: higher id first),
 * alike whether the seizures came after the build (the unsorted tail) or
 * were sorted by a build. */
static void test_map_points(void **state)
{
	(void)state;
	int64_t p1 = add_point("2022-05-01", 11.5, 104.9);
	int64_t p2 = add_point("2022-05-03", 11.6, 104.8);
	int64_t p3 = add_point("2022-05-02", 11.7, 104.7);
	int64_t p4 = add_point("2022-05-03", 11.8, 104.6);
	add_point("2021-01-01", 11.9, 104.5);
	(void)p1;
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_sync(an, fx.st, fx.ref, &err), 0);
	struct analytics *fresh = analytics_build(fx.st, fx.ref, &err);
	assert_non_null(fresh);
	if (split_rows)
		analytics_set_split(fresh, split_rows);
	struct analytics *both[2] = { an, fresh };
	for (int k = 0; k < 2; k++) {
		struct an_request r = req("points_limit=3");
		struct an_map m;
		assert_int_equal(analytics_map(both[k], fx.ref, &fx.admin, &r, &m, &ar, &err), 0);
		assert_int_equal(m.points_total, 5);
		assert_int_equal(m.npoints, 3);
		assert_int_equal(m.points[0].id, p4);
		assert_int_equal(m.points[1].id, p2);
		assert_int_equal(m.points[2].id, p3);
		NEAR(m.points[0].latitude, 11.8);
		NEAR(m.points[0].weight_kg, 12);
		assert_string_equal(m.points[0].country, "KH");
		r = req("points_limit=0");
		assert_int_equal(analytics_map(both[k], fx.ref, &fx.admin, &r, &m, &ar, &err), 0);
		assert_int_equal(m.points_total, 5);
		assert_int_equal(m.npoints, 0);
		r = req("points_limit=20&from=2022&to=2022");
		assert_int_equal(analytics_map(both[k], fx.ref, &fx.admin, &r, &m, &ar, &err), 0);
		assert_int_equal(m.points_total, 4);
		assert_int_equal(m.npoints, 4);
		assert_int_equal(m.points[3].id, p1);
	}
	analytics_free(fresh);
}

/* Access rules hold in every number. */
static void test_access(void **state)
{
	(void)state;
	struct an_summary s = summary(&fx.officer, "");
	NEAR(s.total.seizures, 4); /* not S4, forestry's own */
	NEAR(s.total.weight_kg, 100.5 + 27 + 2000);
	s = summary(&fx.forester, "");
	NEAR(s.total.seizures, 4); /* not S2, customs' own */
	NEAR(s.total.value, 1000);
	/* another agency's restricted seizure never changes the officer's numbers */
	struct an_summary before = summary(&fx.officer, "");
	struct an_breakdown bb = breakdown(&fx.officer, "by=species&measure=weight_kg");
	add(fx.forestry_id, "agency", "2024-02-02", "VN", "NG", NULL, "CN", "sea", 5, "USD",
	    (struct line[]){ { "Manis javanica", "SCA", "KIL", 777 } }, 1);
	struct error err = ERROR_INIT;
	assert_int_equal(analytics_sync(an, fx.st, fx.ref, &err), 0);
	struct an_summary after = summary(&fx.officer, "");
	assert_memory_equal(&before.total, &after.total, sizeof before.total);
	struct an_breakdown ba = breakdown(&fx.officer, "by=species&measure=weight_kg");
	NEAR(ba.groups[0].cell.weight_kg, bb.groups[0].cell.weight_kg);
	struct an_request r = req("from=2024-01-01&to=2024-12-31");
	struct an_routes o;
	assert_int_equal(analytics_routes(an, fx.ref, &fx.officer, &r, &o, &ar, &err), 0);
	for (size_t i = 0; i < o.nroutes; i++)
		if (!strcmp(o.routes[i].origin, "NG") && !strcmp(o.routes[i].destination, "CN"))
			NEAR(o.routes[i].now.seizures, 1); /* S5 only */
	/* the forester (and admin) see it */
	s = summary(&fx.forester, "");
	NEAR(s.total.seizures, 5);
	s = summary(&fx.admin, "");
	NEAR(s.total.seizures, 6);
}

/* The columns follow creates, updates and deletes, and factor edits. */
static void test_follows_changes(void **state)
{
	(void)state;
	struct error err = ERROR_INIT;
	int64_t id = add(fx.customs_id, "national", "2025-01-01", "LA", NULL, NULL, NULL, "air", 0,
			 NULL, (struct line[]){ { "Panthera tigris", "SKI", "", 3 } }, 1);
	assert_int_equal(analytics_refresh(an, fx.st, fx.ref, id, &err), 0);
	struct an_summary s = summary(&fx.admin, "");
	NEAR(s.total.seizures, 6);
	NEAR(s.total.animals, 5259.75 + 3);
	/* update: the version read is 1 */
	struct seizure cur;
	assert_int_equal(store_seizure_get(fx.st, id, &cur, &ar, &err), 0);
	cur.items[0].quantity = 5;
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.admin, id, &cur, &ar, &err), 0);
	assert_int_equal(analytics_sync(an, fx.st, fx.ref, &err), 0);
	s = summary(&fx.admin, "");
	NEAR(s.total.seizures, 6);
	NEAR(s.total.animals, 5259.75 + 5);
	/* delete */
	assert_int_equal(seizure_delete(fx.st, &fx.admin, id, 2, &err), 0);
	assert_int_equal(analytics_sync(an, fx.st, fx.ref, &err), 0);
	s = summary(&fx.admin, "");
	NEAR(s.total.seizures, 5);
	NEAR(s.total.animals, 5259.75);
	/* an admin edits a factor: equivalents follow */
	struct arena a2;
	arena_init(&a2);
	struct an_conversion *cv;
	size_t n;
	assert_int_equal(store_conversion_list(fx.st, &cv, &n, &a2, &err), 0);
	assert_int_equal(n, 6);
	cv[0].animals_per_unit = 1; /* Manidae SCA KIL: 1 animal per kg */
	assert_int_equal(analytics_conversion_save(fx.st, fx.ref, &fx.admin, &cv[0], &err), 0);
	assert_int_equal(analytics_reload_factors(an, fx.st, &err), 0);
	s = summary(&fx.admin, "");
	NEAR(s.total.animals, 2100.5 + 2 + 4 + 2.5);
	/* only an admin may */
	assert_int_equal(analytics_conversion_save(fx.st, fx.ref, &fx.analyst, &cv[0], &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	/* and a bad row names its fields */
	struct an_conversion bad = { .taxon = "Nosuchus", .term = "XXX", .unit = "GRM",
				     .kg_per_unit = -1, .animals_per_unit = NAN, .rie_factor = NAN };
	assert_int_equal(analytics_conversion_save(fx.st, fx.ref, &fx.admin, &bad, &err), -1);
	assert_true(err.nfields >= 5);
	error_clear(&err);
	/* a duplicate key is a conflict */
	struct an_conversion dup = cv[0];
	dup.id = 0;
	assert_int_equal(analytics_conversion_save(fx.st, fx.ref, &fx.admin, &dup, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	arena_free(&a2);
	struct analytics_memory mem;
	analytics_memory(an, &mem);
	assert_int_equal(mem.seizures, 5);
	assert_int_equal(mem.items, 8);
	assert_true(mem.bytes > 0);
}

/* The shipped tables load, and their factors apply. */
static void test_shipped_tables(void **state)
{
	(void)state;
	struct fixture f2;
	fixture_open(&f2);
	struct error err = ERROR_INIT;
	/* kouprey init (ref_load_dir) loaded them; loading twice is a conflict */
	assert_int_equal(store_begin(f2.st, &err), 0);
	assert_int_equal(analytics_load_tables(f2.st, KOUPREY_SOURCE_DIR "/data", &err), -1);
	store_rollback(f2.st);
	error_clear(&err);
	struct arena a2;
	arena_init(&a2);
	struct an_conversion *cv;
	struct an_rate *rt;
	size_t n, nr;
	assert_int_equal(store_conversion_list(f2.st, &cv, &n, &a2, &err), 0);
	assert_int_equal(store_rate_list(f2.st, &rt, &nr, &a2, &err), 0);
	assert_true(n >= 20);
	assert_true(nr >= 10);
	for (size_t i = 0; i < n; i++) {
		struct an_conversion c = cv[i];
		struct error e = ERROR_INIT;
		if (analytics_conversion_validate(f2.ref, &c, &e) != 0)
			fail_msg("row %zu (%s %s): %s", i, cv[i].taxon, cv[i].term,
				 e.nfields ? e.fields[0].message : "?");
	}
	/* 1 kg of Sunda pangolin scales, 18 tiger claws, worked ivory */
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.agency_id = f2.customs_id;
	s.sharing = "national";
	s.date = "2022-05-05";
	s.country = "KH";
	s.items = arena_alloc(&a2, 3 * sizeof *s.items);
	s.items[0] = (struct seizure_item){ .species = "Manis javanica", .term = "SCA",
					    .unit = "KIL", .quantity = 36, .live = -1 };
	s.items[1] = (struct seizure_item){ .species = "Panthera tigris", .term = "CLA",
					    .unit = "", .quantity = 18, .live = -1 };
	s.items[2] = (struct seizure_item){ .species = "Loxodonta africana", .term = "IVC",
					    .unit = "KIL", .quantity = 7, .live = -1 };
	s.nitems = 3;
	assert_int_equal(seizure_create(f2.st, f2.ref, &f2.admin, &s, &a2, &err), 0);
	struct analytics *an2 = analytics_build(f2.st, f2.ref, &err);
	assert_non_null(an2);
	struct an_request r;
	analytics_request_init(&r);
	struct an_summary sum;
	assert_int_equal(analytics_summary(an2, f2.ref, &f2.admin, &r, &sum, &a2, &err), 0);
	/* 36 kg x 2.7778 = 100.0 pangolins, 18 x 0.0556 = 1.0 tiger */
	assert_true(fabs(sum.total.animals - (36 * 2.7778 + 18 * 0.0556)) < 1e-3);
	/* RIE: 36 + 7 / 0.7 = 46 kg -> 10to100 */
	NEAR(sum.classes[1].cell.seizures, 1);
	r.currency = "KHR";
	assert_int_equal(analytics_summary(an2, f2.ref, &f2.admin, &r, &sum, &a2, &err), 0);
	analytics_free(an2);
	arena_free(&a2);
	fixture_close(&f2);
}

static void test_request_errors(void **state)
{
	(void)state;
	static const char *const bad[] = { "measure=weight", "by=colour", "grain=species",
					   "from=2024-13", "species=Nosuchus%20animal",
					   "measure=quantity", "limit=0", "weight_class=huge",
					   "country=Atlantis", "role=agency", "frobnicate=1" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct query q;
		struct error err = ERROR_INIT;
		assert_int_equal(query_parse(&q, bad[i], strlen(bad[i]), &ar, &err), 0);
		struct an_request r;
		if (analytics_request_parse(fx.ref, &q, NULL, &r, &ar, &err) != -1)
			fail_msg("%s was accepted", bad[i]);
		assert_int_equal(err.code, ERR_VALIDATION);
		assert_true(err.nfields >= 1);
		error_clear(&err);
	}
	struct an_request r = req("species=Manis%20javanica&unit_code=-,KIL&transport_mode=sea");
	assert_int_equal(r.filter.dim[AN_D_UNIT].n, 2);
	assert_string_equal(r.filter.dim[AN_D_UNIT].v[0], "");
	struct an_breakdown b = breakdown(&fx.admin, "unit_code=GRM&by=unit");
	NEAR(b.total.items, 1);
}

static void test_days(void **state)
{
	(void)state;
	assert_int_equal(analytics_day(1970, 1, 1), 0);
	assert_int_equal(analytics_day(2000, 3, 1), 11017);
	int y, m, d;
	analytics_day_ymd(analytics_day(2024, 2, 29), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	analytics_day_ymd(-1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19691231);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_measures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_breakdowns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeseries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_points, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follows_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shipped_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_errors, setup, teardown),
		cmocka_unit_test(test_days),
#define TWO_THREADS(fn) { #fn " (two threads)", fn, setup_split, teardown, NULL }
		TWO_THREADS(test_measures),
		TWO_THREADS(test_breakdowns),
		TWO_THREADS(test_timeseries),
		TWO_THREADS(test_routes),
		TWO_THREADS(test_indices),
		TWO_THREADS(test_map),
		TWO_THREADS(test_map_points),
		TWO_THREADS(test_access),
		TWO_THREADS(test_follows_changes),
#undef TWO_THREADS
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
