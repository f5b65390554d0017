/*
 * test_export.c - seizure_export(): the CSV round trip (export, import into a
 * fresh database, same content hashes), JSON, GeoJSON, filters, access
 * rules and a failing sink.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>

#include "fixture.h"
#include "lib/dynbuf.h"
#include "lib/table.h"
#include "seizure/export.h"
#include "seizure/import.h"
#include "seizure/seizure.h"

/* A varied data set: partial dates, decimals, lists, both agencies, sharing,
 * concealment text with and without a code, live flags, blank units. */
static const char *const data =
	"seizure_ref,date,agency,country,place,province,locode,latitude,longitude,reason,"
	"transport_mode,detection_method,concealment,origin,transit,destination,"
	"offender_nationalities,value_amount,value_currency,legal_action,law,sanctions,disposal,"
	"notes,species,term,quantity,unit,live,sharing,concealment_code\n"
	"R1,2024-03-05,,KH,Bavet,Svay Rieng,,11.0731,106.13337,no permit,road,x-ray,suitcase,"
	"NG;CM,VN,CN,VN,1234.56,USD,criminal,\"Law on Forestry, art. 98\",\"2 years, fine\","
	"stockpile,\"said \"\"medicine\"\"\",Manis javanica,SCA,12.5,KIL,,,\n"
	"R1,2024-03-05,,KH,Bavet,Svay Rieng,,11.0731,106.13337,no permit,road,x-ray,suitcase,"
	"NG;CM,VN,CN,VN,1234.56,USD,criminal,\"Law on Forestry, art. 98\",\"2 years, fine\","
	"stockpile,\"said \"\"medicine\"\"\",Sunda pangolin,LIV,3,,live,,\n"
	"R2,2024-04,,KH,Sihanoukville port,,KHKOS,,,,sea,,inside frozen fish,,,VN,,,,,,,,,"
	"Panthera tigris,BON,0.333,KIL,dead,national,mixed_with_legal_goods\n"
	"R3,2023,Forestry Administration,KH,Phnom Penh,,KHPNH,,,,air,,,,,TH,,,,,,,,,"
	"Dalbergia cochinchinensis,TIM,2.75,CUM,,agency,\n"
	"R4,2024-11-30,,KH,Koh Kong,,,,,,,,,,,,,,,,,,,Khmer: ពង្រូល,Manis javanica,SKI,4,,,agency,\n";

struct hashes {
	char **keys;              /* "agency|ref|hash" */
	size_t n;
};

static int collect(void *ctx, const struct seizure *s)
{
	struct hashes *h = ctx;
	h->keys = xreallocarray(h->keys, h->n + 1, sizeof *h->keys);
	h->keys[h->n++] = xasprintf("%lld|%s|%s", (long long)s->agency_id, s->ref, s->content_hash);
	return 0;
}

static void hashes_free(struct hashes *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->keys[i]);
	free(h->keys);
}

static void load(struct fixture *fx, const char *csv, size_t expect_created)
{
	struct error err = ERROR_INIT;
	struct table_reader *t = table_open_mem(csv, strlen(csv), &err);
	assert_non_null(t);
	struct import_options opt = { 0 };
	struct import_report rep = { 0 };
	int rc = seizure_import(fx->st, fx->ref, &fx->admin, t, &opt, &rep, &err);
	for (size_t i = 0; rc != 0 && i < rep.nerrors; i++)
		fprintf(stderr, "row %zu, %s: %s\n", rep.errors[i].row, rep.errors[i].field,
			rep.errors[i].message);
	assert_int_equal(rc, 0);
	assert_int_equal(rep.created, expect_created);
	table_close(t);
	import_report_free(&rep);
}

static char *export_text(struct fixture *fx, const struct actor *who,
			 const struct seizure_filter *f, enum export_format format)
{
	struct dynbuf out = DYNBUF_INIT(1 << 24);
	struct error err = ERROR_INIT;
	assert_int_equal(seizure_export(fx->st, fx->ref, who, f, format, seizure_write_dynbuf, &out,
					&err),
			 0);
	return dynbuf_take(&out);
}

static void t_csv_round_trip(void **state)
{
	(void)state;
	struct fixture a, b;
	fixture_open(&a);
	fixture_open(&b);
	load(&a, data, 4);
	char *csv = export_text(&a, &a.admin, NULL, EXPORT_CSV);
	/* the header is the canonical columns */
	struct dynbuf head = DYNBUF_INIT(1 << 16);
	for (size_t i = 0; i < seizure_column_count(); i++)
		dynbuf_addf(&head, "%s%s", i ? "," : "", seizure_column_name(i));
	dynbuf_adds(&head, "\r\n");
	assert_memory_equal(csv, dynbuf_str(&head), head.len);
	dynbuf_free(&head);
	/* one row per item */
	size_t lines = 0;
	for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, 1 + 5);

	/* into a fresh database: the same records */
	load(&b, csv, 4);
	struct hashes ha = { 0 }, hb = { 0 };
	struct error err = ERROR_INIT;
	assert_int_equal(store_seizure_each(a.st, &a.admin, &(struct seizure_filter){ 0 }, collect,
					    &ha, &err),
			 0);
	assert_int_equal(store_seizure_each(b.st, &b.admin, &(struct seizure_filter){ 0 }, collect,
					    &hb, &err),
			 0);
	assert_int_equal(ha.n, 4);
	assert_int_equal(hb.n, 4);
	for (size_t i = 0; i < ha.n; i++)
		assert_string_equal(ha.keys[i], hb.keys[i]);

	/* and into the same database: all unchanged */
	struct table_reader *t = table_open_mem(csv, strlen(csv), &err);
	struct import_report rep = { 0 };
	struct import_options opt = { 0 };
	assert_int_equal(seizure_import(a.st, a.ref, &a.admin, t, &opt, &rep, &err), 0);
	assert_int_equal(rep.unchanged, 4);
	assert_int_equal(rep.created + rep.updated, 0);
	table_close(t);
	import_report_free(&rep);
	hashes_free(&ha);
	hashes_free(&hb);
	free(csv);
	fixture_close(&a);
	fixture_close(&b);
}

static void t_csv_values(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx, data, 4);
	char *csv = export_text(&fx, &fx.admin, NULL, EXPORT_CSV);
	/* oldest first: R3 (2023) leads; numbers in their shortest form */
	const char *r3 = strstr(csv, "\r\nR3,2023,Forestry Administration,KH,Phnom Penh,,KHPNH,");
	assert_non_null(r3);
	assert_non_null(strstr(csv, ",Dalbergia cochinchinensis,TIM,2.75,CUM,,agency,\r\n"));
	assert_non_null(strstr(csv, "R1,2024-03-05,Customs Department,KH,Bavet,Svay Rieng,,"
				    "11.0731,106.13337,no_permit,road,xray,suitcase,NG;CM,VN,CN,VN,"
				    "1234.56,USD,criminal,\"Law on Forestry, art. 98\","
				    "\"2 years, fine\",stockpile,\"said \"\"medicine\"\"\","
				    "Manis javanica,SCA,12.5,KIL,,national,hidden_in_luggage\r\n"));
	assert_non_null(strstr(csv, ",Sunda pangolin,LIV,3,,live,national,hidden_in_luggage\r\n"));
	assert_non_null(strstr(csv, ",Panthera tigris,BON,0.333,KIL,dead,national,"
				    "mixed_with_legal_goods\r\n"));
	assert_true(r3 < strstr(csv, "\r\nR1,"));
	free(csv);
	fixture_close(&fx);
}

static void t_json(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx, data, 4);
	char *text = export_text(&fx, &fx.admin, NULL, EXPORT_JSON);
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	assert_non_null(j);
	json_t *items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 4);
	json_t *first = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(first, "ref")), "R3");
	assert_string_equal(json_string_value(json_object_get(first, "sharing")), "agency");
	json_t *r1 = json_array_get(items, 1);
	assert_string_equal(json_string_value(json_object_get(r1, "ref")), "R1");
	assert_int_equal(json_array_size(json_object_get(r1, "items")), 2);
	json_decref(j);
	free(text);
	/* nothing to export: still a valid document */
	struct seizure_filter none = { .from = "2030-01-01" };
	text = export_text(&fx, &fx.admin, &none, EXPORT_JSON);
	assert_string_equal(text, "{\"items\":[]}\n");
	free(text);
	fixture_close(&fx);
}

static void t_geojson(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx, data, 4);
	char *text = export_text(&fx, &fx.admin, NULL, EXPORT_GEOJSON);
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "FeatureCollection");
	json_t *features = json_object_get(j, "features");
	/* R1 (coordinates) and R2 (KHKOS has coordinates); not R3 (KHPNH has
	 * none) nor R4 (no place) */
	assert_int_equal(json_array_size(features), 2);
	json_t *f1 = json_array_get(features, 0);
	json_t *c = json_object_get(json_object_get(f1, "geometry"), "coordinates");
	assert_true(json_real_value(json_array_get(c, 0)) == 106.13337);
	assert_true(json_real_value(json_array_get(c, 1)) == 11.0731);
	json_t *p1 = json_object_get(f1, "properties");
	assert_string_equal(json_string_value(json_object_get(p1, "ref")), "R1");
	assert_string_equal(json_string_value(json_object_get(p1, "located")), "coordinates");
	json_t *species = json_object_get(p1, "species");
	assert_int_equal(json_array_size(species), 1); /* both items are Manis javanica */
	assert_string_equal(json_string_value(json_array_get(species, 0)), "Manis javanica");
	json_t *terms = json_object_get(p1, "terms");
	assert_int_equal(json_array_size(terms), 2);
	json_t *f2 = json_array_get(features, 1);
	c = json_object_get(json_object_get(f2, "geometry"), "coordinates");
	assert_true(json_real_value(json_array_get(c, 0)) == 103.51667);
	assert_true(json_real_value(json_array_get(c, 1)) == 10.6);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(f2, "properties"), "located")),
		"locode");
	json_decref(j);
	free(text);
	fixture_close(&fx);
}

static void t_access_and_filters(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx, data, 4);
	/* the forester (agency 2) sees national records and its own agency-only R3,
	 * not customs' agency-only R4 */
	char *csv = export_text(&fx, &fx.forester, NULL, EXPORT_CSV);
	assert_non_null(strstr(csv, "\r\nR1,"));
	assert_non_null(strstr(csv, "\r\nR2,"));
	assert_non_null(strstr(csv, "\r\nR3,"));
	assert_null(strstr(csv, "\r\nR4,"));
	free(csv);
	/* a customs analyst: R4 but not forestry's R3 */
	csv = export_text(&fx, &fx.analyst, NULL, EXPORT_CSV);
	assert_null(strstr(csv, "\r\nR3,"));
	assert_non_null(strstr(csv, "\r\nR4,"));
	free(csv);
	/* filters: a country of the route, a date range */
	struct seizure_filter f = { .country = "CN" };
	csv = export_text(&fx, &fx.admin, &f, EXPORT_CSV);
	assert_non_null(strstr(csv, "\r\nR1,"));
	assert_null(strstr(csv, "\r\nR2,"));
	free(csv);
	struct seizure_filter g = { .from = "2024-04-01", .to = "2024-04-30" };
	csv = export_text(&fx, &fx.admin, &g, EXPORT_GEOJSON);
	assert_non_null(strstr(csv, "\"ref\":\"R2\""));
	assert_null(strstr(csv, "\"ref\":\"R1\""));
	free(csv);
	fixture_close(&fx);
}

static int failing_sink(void *ctx, const char *buf, size_t n)
{
	(void)buf;
	(void)n;
	++*(int *)ctx;
	return -1;
}

static void t_sink_failure(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx, data, 4);
	int calls = 0;
	struct error err = ERROR_INIT;
	assert_int_equal(seizure_export(fx.st, fx.ref, &fx.admin, NULL, EXPORT_CSV, failing_sink,
					&calls, &err),
			 -1);
	assert_int_equal(err.code, ERR_IO);
	assert_int_equal(calls, 1);
	error_clear(&err);
	enum export_format ef;
	assert_int_equal(export_format_parse("GeoJSON", &ef), 0);
	assert_int_equal(ef, EXPORT_GEOJSON);
	assert_int_equal(export_format_parse("xml", &ef), -1);
	assert_string_equal(export_format_ext(EXPORT_JSON), "json");
	fixture_close(&fx);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_csv_round_trip),
		cmocka_unit_test(t_csv_values),
		cmocka_unit_test(t_json),
		cmocka_unit_test(t_geojson),
		cmocka_unit_test(t_access_and_filters),
		cmocka_unit_test(t_sink_failure),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
