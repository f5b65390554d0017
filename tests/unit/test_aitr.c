/*
 * test_aitr.c - aitr_report(): columns and rows for a small hand-made data
 * set, the Khmer variant, the year filter, access rules and the XLSX form
 * (read back through lib/table.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>

#include "fixture.h"
#include "lib/csv.h"
#include "lib/dynbuf.h"
#include "lib/table.h"
#include "seizure/aitr.h"
#include "seizure/import.h"

static const char *const data =
	"seizure_ref,date,agency,country,place,province,locode,reason,transport_mode,"
	"detection_method,concealment,origin,transit,destination,offender_nationalities,"
	"value_amount,value_currency,legal_action,law,sanctions,disposal,notes,species,term,"
	"quantity,unit,live,sharing\n"
	/* 2024, two items */
	"A1,2024-03-05,,KH,Bavet,Svay Rieng,KHPPT,no_permit,road,xray,suitcase,NG;CM,VN,CN,VN;KH,"
	"1500.5,USD,criminal,Law on Forestry,2 years,stockpile,first case,Manis javanica,SCA,12.5,"
	"KIL,,\n"
	"A1,,,,,,,,,,,,,,,,,,,,,,Panthera tigris,BON,3,,,\n"
	/* 2024, whole-year date, agency-only, of forestry */
	"F1,2024,Forestry Administration,KH,Koh Kong,,,,vessel,,,,,,,,,,,,,,"
	"Dalbergia cochinchinensis,TIM,2.75,CUM,,agency\n"
	/* 2023: not in the 2024 report */
	"B1,2023-12-31,,KH,Poipet,,,,road,,,,,,,,,,,,,,Manis javanica,LIV,1,,live,\n";

static void load(struct fixture *fx)
{
	struct error err = ERROR_INIT;
	struct table_reader *t = table_open_mem(data, strlen(data), &err);
	assert_non_null(t);
	struct import_options opt = { 0 };
	struct import_report rep = { 0 };
	int rc = seizure_import(fx->st, fx->ref, &fx->admin, t, &opt, &rep, &err);
	for (size_t i = 0; rc != 0 && i < rep.nerrors; i++)
		fprintf(stderr, "row %zu, %s: %s\n", rep.errors[i].row, rep.errors[i].field,
			rep.errors[i].message);
	assert_int_equal(rc, 0);
	assert_int_equal(rep.created, 3);
	table_close(t);
	import_report_free(&rep);
}

/* The report's rows as "a|b|c" lines (header first). */
struct rows {
	char *line[16];
	size_t n;
};

static void parse_rows(const char *data_, size_t len, struct rows *out)
{
	struct error err = ERROR_INIT;
	struct table_reader *t = table_open_mem(data_, len, &err);
	assert_non_null(t);
	struct csv_record rec;
	out->n = 0;
	int rc;
	while ((rc = table_next(t, &rec, &err)) == 1) {
		assert_true(out->n < 16);
		struct dynbuf b = DYNBUF_INIT(1 << 20);
		for (size_t i = 0; i < rec.nfields; i++)
			dynbuf_addf(&b, "%s%s", i ? "|" : "", rec.fields[i]);
		out->line[out->n++] = dynbuf_take(&b);
	}
	assert_int_equal(rc, 0);
	table_close(t);
}

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->line[i]);
	r->n = 0;
}

static char *report(struct fixture *fx, const struct actor *who, int year, const char *lang,
		    enum aitr_format format, size_t *len, size_t *nrows)
{
	struct dynbuf out = DYNBUF_INIT(1 << 24);
	struct error err = ERROR_INIT;
	struct aitr_options opt = { .year = year, .lang = lang, .format = format };
	int rc = aitr_report(fx->st, fx->ref, who, &opt, seizure_write_dynbuf, &out, nrows, &err);
	if (rc != 0)
		fprintf(stderr, "aitr: %s\n", err.message);
	assert_int_equal(rc, 0);
	*len = out.len;
	return dynbuf_take(&out);
}

static void t_rows_and_columns(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx);
	size_t len, n;
	char *csv = report(&fx, &fx.admin, 2024, "en", AITR_CSV, &len, &n);
	assert_int_equal(n, 3);
	struct rows r;
	parse_rows(csv, len, &r);
	assert_int_equal(r.n, 4);
	assert_string_equal(
		r.line[0],
		"Reporting country|Date of seizure|Detecting/seizing agency|Location of seizure|"
		"Reason for seizure|Species (scientific name)|CITES Appendix|Term code|"
		"Description of specimens|Quantity|Unit|Mode of transport|Method of detection|"
		"Method of concealment|Alleged country of origin|Countries of transit|"
		"Alleged final destination|Nationality of offenders|Estimated value|Currency|"
		"Criminal/civil/administrative action|Law under which charges were brought|"
		"Sanctions|Disposal of confiscated specimens|Additional information");
	/* oldest first: F1 (2024, from 2024-01-01), then A1's two items */
	assert_string_equal(r.line[1], "Cambodia|2024|Forestry Administration|Koh Kong||"
				       "Dalbergia cochinchinensis|II|TIM|Timber|2.75|CUM|Vessel|||"
				       "||||||||||");
	assert_string_equal(r.line[2],
			    "Cambodia|2024-03-05|Customs Department|Bavet, Svay Rieng (KHPPT)|"
			    "No permit|Manis javanica|I|SCA|Scales|12.5|KIL|Road|X-ray|"
			    "suitcase|NG, CM|VN|CN|VN, KH|1500.5|USD|Criminal|"
			    "Law on Forestry|2 years|Stockpile|first case");
	assert_string_equal(r.line[3],
			    "Cambodia|2024-03-05|Customs Department|Bavet, Svay Rieng (KHPPT)|"
			    "No permit|Panthera tigris|I|BON|Bones|3||Road|X-ray|"
			    "suitcase|NG, CM|VN|CN|VN, KH|1500.5|USD|Criminal|"
			    "Law on Forestry|2 years|Stockpile|first case");
	rows_free(&r);
	free(csv);
	/* 2023: only B1 */
	csv = report(&fx, &fx.admin, 2023, NULL, AITR_CSV, &len, &n);
	assert_int_equal(n, 1);
	parse_rows(csv, len, &r);
	assert_int_equal(r.n, 2);
	assert_non_null(strstr(r.line[1], "|2023-12-31|"));
	rows_free(&r);
	free(csv);
	fixture_close(&fx);
}

static void t_khmer(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx);
	size_t len, n;
	char *csv = report(&fx, &fx.admin, 2024, "km", AITR_CSV, &len, &n);
	struct rows r;
	parse_rows(csv, len, &r);
	assert_int_equal(r.n, 4);
	/* titles in Khmer */
	assert_memory_equal(r.line[0], "ប្រទេសរាយការណ៍|កាលបរិច្ឆេទរឹបអូស|",
			    strlen("ប្រទេសរាយការណ៍|កាលបរិច្ឆេទរឹបអូស|"));
	for (size_t i = 0; i < aitr_column_count(); i++)
		assert_non_null(strstr(r.line[0], aitr_column_title(i, "km")));
	/* names in Khmer where data/ has them; codes and species unchanged */
	assert_non_null(strstr(r.line[2], "កម្ពុជា|2024-03-05|"));
	assert_non_null(strstr(r.line[2], "|Manis javanica|I|SCA|ស្រកា|12.5|KIL|ផ្លូវគោក|"));
	assert_non_null(strstr(r.line[2], "|គ្មានលិខិតអនុញ្ញាត|"));
	assert_non_null(strstr(r.line[2], "|ព្រហ្មទណ្ឌ|"));
	assert_non_null(strstr(r.line[2], "|ស្តុកទុក|"));
	assert_non_null(strstr(r.line[2], "|NG, CM|VN|CN|"));
	rows_free(&r);
	free(csv);
	fixture_close(&fx);
}

static void t_access(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx);
	size_t len, n;
	/* F1 is forestry's and agency-only: not in a customs analyst's report */
	char *csv = report(&fx, &fx.analyst, 2024, "en", AITR_CSV, &len, &n);
	assert_int_equal(n, 2);
	assert_null(strstr(csv, "Dalbergia"));
	free(csv);
	/* the forester sees it, and the national A1 */
	csv = report(&fx, &fx.forester, 2024, "en", AITR_CSV, &len, &n);
	assert_int_equal(n, 3);
	assert_non_null(strstr(csv, "Dalbergia"));
	free(csv);
	fixture_close(&fx);
}

static void t_xlsx(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load(&fx);
	struct error err = ERROR_INIT;
	assert_int_equal(store_setting_set(fx.st, "country", "VN", &err), 0);
	size_t len, n;
	char *xlsx = report(&fx, &fx.admin, 2024, "en", AITR_XLSX, &len, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(xlsx, "PK\3\4", 4);
	struct rows r;
	parse_rows(xlsx, len, &r);
	assert_int_equal(r.n, 4);
	assert_memory_equal(r.line[0], "Reporting country|Date of seizure|", 34);
	/* the date stays text, numbers are numbers, the setting names the country */
	assert_memory_equal(r.line[2], "Vietnam|2024-03-05|Customs Department|", 38);
	assert_non_null(strstr(r.line[2], "|SCA|Scales|12.5|KIL|"));
	assert_non_null(strstr(r.line[2], "|1500.5|USD|"));
	rows_free(&r);
	free(xlsx);
	fixture_close(&fx);
}

static void t_bad_options(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct dynbuf out = DYNBUF_INIT(1 << 20);
	struct error err = ERROR_INIT;
	struct aitr_options opt = { .year = 24 };
	assert_int_equal(aitr_report(fx.st, fx.ref, &fx.admin, &opt, seizure_write_dynbuf, &out,
				     NULL, &err),
			 -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	error_clear(&err);
	opt = (struct aitr_options){ .year = 2024, .lang = "fr" };
	assert_int_equal(aitr_report(fx.st, fx.ref, &fx.admin, &opt, seizure_write_dynbuf, &out,
				     NULL, &err),
			 -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_int_equal(out.len, 0);
	error_clear(&err);
	enum aitr_format f;
	assert_int_equal(aitr_format_parse("XLSX", &f), 0);
	assert_int_equal(f, AITR_XLSX);
	assert_int_equal(aitr_format_parse("pdf", &f), -1);
	dynbuf_free(&out);
	fixture_close(&fx);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_rows_and_columns),
		cmocka_unit_test(t_khmer),
		cmocka_unit_test(t_access),
		cmocka_unit_test(t_xlsx),
		cmocka_unit_test(t_bad_options),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
