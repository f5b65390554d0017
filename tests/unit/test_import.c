/*
 * test_import.c - seizure_import(): header synonyms, validation errors with
 * their rows, grouping, dry run, all or nothing, skip-invalid rejects,
 * idempotent and changed re-imports, agency creation, rights, XLSX input,
 * and crash safety (a child killed with SIGKILL part-way).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <xlsxwriter.h>

#include "fixture.h"
#include "audit/audit.h"
#include "lib/dynbuf.h"
#include "lib/table.h"
#include "seizure/import.h"
#include "seizure/seizure.h"

/* ---- helpers ------------------------------------------------------------- */

static int run_import(struct fixture *fx, const struct actor *who, const char *csv,
		      const struct import_options *opt, struct import_report *rep,
		      struct error *err)
{
	static const struct import_options none = { 0 };
	struct table_reader *t = table_open_mem(csv, strlen(csv), err);
	assert_non_null(t);
	memset(rep, 0, sizeof *rep);
	int rc = seizure_import(fx->st, fx->ref, who, t, opt ? opt : &none, rep, err);
	table_close(t);
	return rc;
}

/* One integer from a query on the fixture's database (own connection). */
static int64_t count(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/* The stored seizure (agency, ref); fails the test when absent. */
static void get_seizure(struct fixture *fx, int64_t agency, const char *ref, struct seizure *s,
			struct arena *a)
{
	struct error err = ERROR_INIT;
	int64_t id, version;
	char hash[80];
	assert_int_equal(store_seizure_find_ref(fx->st, agency, ref, &id, &version, hash,
						sizeof hash, &err),
			 1);
	assert_int_equal(store_seizure_get(fx->st, id, s, a, &err), 0);
}

static int has_error(const struct import_report *rep, size_t row, const char *field,
		     const char *needle)
{
	for (size_t i = 0; i < rep->nerrors; i++)
		if (rep->errors[i].row == row && strcmp(rep->errors[i].field, field) == 0 &&
		    (!needle || strstr(rep->errors[i].message, needle)))
			return 1;
	return 0;
}

static void dump_errors(const struct import_report *rep)
{
	for (size_t i = 0; i < rep->nerrors; i++)
		fprintf(stderr, "  row %zu, %s: %s\n", rep->errors[i].row, rep->errors[i].field,
			rep->errors[i].message);
}

/* How many times needle occurs in s (not overlapping). */
static size_t occurrences(const char *s, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = s; (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

#define HEAD "seizure_ref,date,agency,country,place,transport_mode,origin,species,term,quantity,unit,live\n"

/* ---- header --------------------------------------------------------------- */

/* A file in the AITR standard format as `kouprey report aitr` writes it:
 * "Term code" beside "Description of specimens" (the code is read), and no
 * country of seizure but the reporting country (read as it). */
static void t_header_aitr_report_itself(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv =
		"Reporting country,Date of seizure,Detecting/seizing agency,Location of seizure,"
		"Reason for seizure,Species (scientific name),CITES Appendix,Description of specimens,"
		"Term code,Quantity,Unit,Mode of transport\n"
		"Cambodia,2024-03-05,,\"Sihanoukville port, Preah Sihanouk (KHKOS)\",No permit,"
		"Manis javanica,I,Scales,SCA,120,KIL,Sea\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	int rc = run_import(&fx, &fx.admin, csv, NULL, &rep, &err);
	if (rc != 0)
		dump_errors(&rep);
	assert_int_equal(rc, 0);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.nwarnings, 2);
	assert_non_null(strstr(rep.warnings[0], "\"Reporting country\""));
	assert_non_null(strstr(rep.warnings[1], "\"Description of specimens\""));
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure WHERE country = 'KH' AND "
				    "date = '2024-03-05'"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure_item WHERE term = 'SCA' AND "
				    "unit = 'KIL' AND quantity = 120"),
			 1);
	import_report_free(&rep);
	error_clear(&err);

	/* a file with both a country column and the reporting country reads
	 * the country column; two term descriptions are still an error */
	const char *both =
		"Reporting country,Country of seizure,Date of seizure,Species (scientific name),"
		"Term,Description of specimens,Quantity\n"
		"Cambodia,TH,2024-03-05,Manis javanica,SCA,SCA,1\n";
	assert_int_equal(run_import(&fx, &fx.admin, both, NULL, &rep, &err), -1);
	assert_true(has_error(&rep, 1, "columns", "both give term"));
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_header_aitr_titles(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv =
		"Seizure Reference,Date of seizure,Detecting/seizing agency,Country of seizure,"
		"Location of seizure,Reason for seizure,Mode of transport,Method of detection,"
		"Method of concealment,Alleged country of origin,Countries of transit,"
		"Alleged final destination,Nationality of offenders,Estimated value,Currency,"
		"Criminal/civil/administrative action,Law under which charges were brought,"
		"Sanctions,Disposal of confiscated specimens,Additional information,"
		"Species (scientific name),Description of specimens,Quantity,Unit,CITES Appendix\n"
		"R-1,2024-03-05,,KH,Bavet,no permit,Road,x-ray,in a spare tyre,NG,VN,CN,VN;KH,5000,"
		"usd,criminal,Law on Forestry,2 years,stockpile,tip from hotline,Manis javanica,"
		"scales,12.5,kg,I\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	int rc = run_import(&fx, &fx.admin, csv, NULL, &rep, &err);
	if (rc != 0)
		dump_errors(&rep);
	assert_int_equal(rc, 0);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.nwarnings, 1); /* CITES Appendix is ignored */
	assert_non_null(strstr(rep.warnings[0], "CITES Appendix"));
	struct arena a;
	arena_init(&a);
	struct seizure s;
	get_seizure(&fx, fx.customs_id, "R-1", &s, &a);
	assert_string_equal(s.place, "Bavet");
	assert_string_equal(s.reason, "no_permit");
	assert_string_equal(s.transport_mode, "road");
	assert_string_equal(s.detection_method, "xray");
	assert_string_equal(s.concealment, "in a spare tyre");
	assert_string_equal(s.origin, "NG");
	assert_string_equal(s.transit, "VN");
	assert_string_equal(s.destination, "CN");
	assert_string_equal(s.offender_nationalities, "VN;KH");
	assert_true(s.has_value);
	assert_true(s.value_amount == 5000);
	assert_string_equal(s.value_currency, "USD");
	assert_string_equal(s.legal_action, "criminal");
	assert_string_equal(s.law, "Law on Forestry");
	assert_string_equal(s.sanctions, "2 years");
	assert_string_equal(s.disposal, "stockpile");
	assert_string_equal(s.notes, "tip from hotline");
	assert_int_equal(s.nitems, 1);
	assert_string_equal(s.items[0].term, "SCA");
	assert_string_equal(s.items[0].unit, "KIL");
	assert_true(s.items[0].quantity == 12.5);
	arena_free(&a);
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_header_spelling(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	/* case, spaces, underscores and punctuation do not matter */
	const char *csv = " SEIZURE REF ,Date,COUNTRY,species:,Term-Code,QTY,unit_code\n"
			  "X-1,2023,kh,Panthera tigris,BON,3,KIL\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), 0);
	assert_int_equal(rep.created, 1);
	struct arena a;
	arena_init(&a);
	struct seizure s;
	get_seizure(&fx, fx.customs_id, "X-1", &s, &a);
	assert_string_equal(s.date, "2023");
	assert_string_equal(s.country, "KH");
	arena_free(&a);
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_header_errors(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct import_report rep;
	struct error err = ERROR_INIT;
	/* an unknown column is named; nothing is written */
	const char *csv = "date,country,speceis,species,term,quantity\n"
			  "2024,KH,x,Manis javanica,SCA,1\n";
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_true(has_error(&rep, 1, "columns", "\"speceis\""));
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 0);
	import_report_free(&rep);
	error_clear(&err);
	/* a missing required column */
	csv = "date,country,species,term\n2024,KH,Manis javanica,SCA\n";
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), -1);
	assert_true(has_error(&rep, 1, "columns", "quantity"));
	import_report_free(&rep);
	error_clear(&err);
	/* two titles for one column */
	csv = "date,country,species,Species (scientific name),term,quantity\n"
	      "2024,KH,a,b,SCA,1\n";
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), -1);
	assert_true(has_error(&rep, 1, "columns", "both give species"));
	import_report_free(&rep);
	error_clear(&err);
	/* an empty file */
	assert_int_equal(run_import(&fx, &fx.admin, "", NULL, &rep, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_true(has_error(&rep, 1, "columns", "empty"));
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

/* ---- validation ----------------------------------------------------------- */

static void t_validation_rows(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv =
		"seizure_ref,date,country,locode,latitude,longitude,transport_mode,origin,"
		"value_amount,value_currency,species,term,quantity,unit,live\n"
		"V2,2024-02-30,KH,,,,,,,,Manis javanica,SCA,1,KIL,\n"      /* 2 date */
		"V3,2024-02-01,Narnia,,,,,,,,Manis javanica,SCA,1,KIL,\n"  /* 3 country */
		"V4,2024-02-01,KH,,,,,,,,Unicornus magicus,SCA,1,KIL,\n"   /* 4 species */
		"V5,2024-02-01,KH,,,,,,,,Manis javanica,XYZ,1,KIL,\n"      /* 5 term */
		"V6,2024-02-01,KH,,,,,,,,Manis javanica,SCA,1,LTR,\n"      /* 6 unit */
		"V7,2024-02-01,KH,,,,,,,,Manis javanica,SCA,\"1,234.5\",KIL,\n" /* 7 quantity */
		"V8,2024-02-01,KH,,,,,,,,Manis javanica,SCA,,KIL,\n"       /* 8 quantity */
		"V9,2024-02-01,KH,,abc,104.5,,,,,Manis javanica,SCA,1,KIL,\n" /* 9 latitude */
		"V10,2024-02-01,KH,,,,,,,,Manis javanica,LIV,1,,maybe\n"   /* 10 live */
		"V11,2024-02-01,KH,,,,teleport,,,,Manis javanica,SCA,1,KIL,\n" /* 11 transport */
		"V12,2024-02-01,KH,,,,,,100,,Manis javanica,SCA,1,KIL,\n"  /* 12 currency */
		"V13,2024-02-01,KH,XXZZZ,,,,,,,Manis javanica,SCA,1,KIL,\n" /* 13 locode */
		"V14,2024-02-01,KH,,,,,CN;Atlantis,,,Manis javanica,SCA,1,KIL,\n" /* 14 origin */
		"V15,2024-02-01,KH,,,,,,,,Manis javanica,SCA,0,KIL,\n"     /* 15 quantity */
		"V16,2024-02-01,KH,,12.5,,,,,,Manis javanica,SCA,1,KIL,\n" /* 16 longitude */
		"V17,2024-02-01,KH,,,,,,,,Manis javanica,SCA,2,KIL,\n";    /* 17 valid */
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_false(rep.committed);
	assert_true(has_error(&rep, 2, "date", "not a date"));
	assert_true(has_error(&rep, 3, "country", "Narnia"));
	assert_true(has_error(&rep, 4, "species", "Unicornus magicus"));
	assert_true(has_error(&rep, 5, "term", "XYZ"));
	assert_true(has_error(&rep, 6, "unit", "not allowed with term SCA"));
	assert_true(has_error(&rep, 7, "quantity", "thousands separators"));
	assert_true(has_error(&rep, 8, "quantity", "required"));
	assert_true(has_error(&rep, 9, "latitude", "abc"));
	assert_true(has_error(&rep, 10, "live", "maybe"));
	assert_true(has_error(&rep, 11, "transport_mode", "teleport"));
	assert_true(has_error(&rep, 12, "value_currency", NULL));
	assert_true(has_error(&rep, 13, "locode", "XXZZZ"));
	assert_true(has_error(&rep, 14, "origin", "Atlantis"));
	assert_true(has_error(&rep, 15, "quantity", "greater than 0"));
	assert_true(has_error(&rep, 16, "longitude", "required"));
	if (rep.nerrors != 15)
		dump_errors(&rep);
	assert_int_equal(rep.nerrors, 15);
	for (size_t i = 1; i < rep.nerrors; i++)
		assert_true(rep.errors[i - 1].row <= rep.errors[i].row);
	assert_int_equal(rep.rejected, 15);
	assert_int_equal(rep.created, 1); /* would have been */
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_job"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit"), 0);
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_conflicting_seizure_fields(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = HEAD "C1,2024-01-02,,KH,Bavet,road,,Manis javanica,SCA,1,KIL,\n"
			       "C1,,,,,,,Panthera tigris,BON,2,KIL,\n" /* blank: inherits */
			       "C1,2024-01-03,,KH,Bavet,road,,Panthera tigris,SKI,1,,\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), -1);
	assert_int_equal(rep.nerrors, 1);
	assert_true(has_error(&rep, 4, "date", "differs from \"2024-01-02\" on row 2"));
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_errors_capped(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct dynbuf csv = DYNBUF_INIT(1 << 20);
	dynbuf_adds(&csv, HEAD);
	for (int i = 0; i < 12; i++)
		dynbuf_addf(&csv, "E%d,2024-01-01,,KH,,,,Manis javanica,SCA,-%d,KIL,\n", i, i + 1);
	struct import_options opt = { .max_errors = 5 };
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, dynbuf_str(&csv), &opt, &rep, &err), -1);
	assert_int_equal(rep.nerrors, 5);
	assert_int_equal(rep.errors_omitted, 7);
	assert_int_equal(rep.rejected, 12);
	import_report_free(&rep);
	error_clear(&err);
	dynbuf_free(&csv);
	fixture_close(&fx);
}

/* ---- grouping ------------------------------------------------------------- */

static void t_grouping(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv =
		HEAD "A,2024-05-01,,KH,Bavet,road,,Manis javanica,SCA,1,KIL,\n"
		     "B,2024-05-02,,KH,Poipet,road,,Panthera tigris,BON,2,KIL,\n"
		     "A,,,,,,,Panthera tigris,SKI,3,,\n"
		     "B,2024-05-09,Forestry Administration,KH,Koh Kong,sea,,Manis javanica,LIV,4,,live\n"
		     ",2024-05-03,,KH,Kampot,,,Manis javanica,SCA,5,KIL,\n"
		     "A,2024-05-01,customs department,KH,Bavet,road,,Manis javanica,TUS,6,,dead\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	int rc = run_import(&fx, &fx.admin, csv, NULL, &rep, &err);
	if (rc)
		dump_errors(&rep);
	assert_int_equal(rc, 0);
	assert_int_equal(rep.rows, 6);
	assert_int_equal(rep.created, 4);
	struct arena a;
	arena_init(&a);
	struct seizure s;
	/* A: rows 2, 4 and 7 (agency blank = the importer's = "customs department") */
	get_seizure(&fx, fx.customs_id, "A", &s, &a);
	assert_int_equal(s.nitems, 3);
	assert_string_equal(s.items[0].term, "SCA");
	assert_string_equal(s.items[1].term, "SKI");
	assert_string_equal(s.items[2].term, "TUS");
	assert_int_equal(s.items[2].live, 0);
	assert_string_equal(s.place, "Bavet");
	/* B of customs and B of forestry are two seizures */
	get_seizure(&fx, fx.customs_id, "B", &s, &a);
	assert_int_equal(s.nitems, 1);
	assert_string_equal(s.place, "Poipet");
	get_seizure(&fx, fx.forestry_id, "B", &s, &a);
	assert_int_equal(s.nitems, 1);
	assert_int_equal(s.items[0].live, 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure WHERE ref LIKE 'IMP-%'"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure_item"), 6);
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_job"), 1);
	/* one audit entry for the import, its four seizures in its list */
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit WHERE action = 'import' AND "
				    "entity = 'import'"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit WHERE entity = 'seizure'"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_seizure i JOIN seizure s ON "
				    "s.id = i.seizure_id AND s.version = i.version AND "
				    "s.content_hash = i.content_hash"),
			 4);
	assert_int_equal(count(&fx, "SELECT json_extract(detail, '$.seizures') FROM audit WHERE "
				    "entity = 'import'"),
			 4);
	arena_free(&a);
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_interleaved(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	/* 300 seizures of 3 items, rows dealt round-robin: no two rows of a
	 * seizure are next to each other */
	struct dynbuf csv = DYNBUF_INIT(1 << 22);
	dynbuf_adds(&csv, HEAD);
	static const char *const terms[3] = { "SCA", "SKI", "BON" };
	for (int item = 0; item < 3; item++)
		for (int k = 0; k < 300; k++)
			dynbuf_addf(&csv, "I-%03d,2024-02-%02d,,KH,,,,Manis javanica,%s,%d,KIL,\n", k,
				    1 + k % 28, terms[item], item + 1);
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, dynbuf_str(&csv), NULL, &rep, &err), 0);
	assert_int_equal(rep.rows, 900);
	assert_int_equal(rep.created, 300);
	import_report_free(&rep);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure_item"), 900);
	/* every seizure has its items in file order */
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure_item WHERE (line = 1 AND term "
				    "<> 'SCA') OR (line = 2 AND term <> 'SKI') OR (line = 3 AND "
				    "term <> 'BON') OR quantity <> line"),
			 0);
	/* seizures are numbered in the order of their first row */
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure WHERE id <> "
				    "CAST(substr(ref, 3) AS INTEGER) + 1"),
			 0);
	assert_int_equal(run_import(&fx, &fx.admin, dynbuf_str(&csv), NULL, &rep, &err), 0);
	assert_int_equal(rep.unchanged, 300);
	import_report_free(&rep);
	dynbuf_free(&csv);
	error_clear(&err);
	fixture_close(&fx);
}

/* Rows of one seizure spelled apart (padding, the agency's case) are one
 * seizure, also into an empty register, where nothing is looked up. */
static void t_same_seizure_spelled_apart(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = HEAD
		"W-1,2024-02-01,Wildlife Rapid Rescue,KH,,,,Manis javanica,SCA,1,KIL,\n"
		"W-2,2024-02-01,,KH,,,,Manis javanica,SCA,1,KIL,\n"
		"\" W-1 \",2024-02-01,\"  WILDLIFE RAPID RESCUE \",KH,,,,Manis javanica,SKI,2,,\n";
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 0);
	struct import_report rep;
	struct error err = ERROR_INIT;
	int rc = run_import(&fx, &fx.admin, csv, NULL, &rep, &err);
	if (rc != 0)
		dump_errors(&rep);
	assert_int_equal(rc, 0);
	assert_int_equal(rep.created, 2);
	import_report_free(&rep);
	assert_int_equal(count(&fx, "SELECT count(*) FROM agency WHERE name = 'Wildlife Rapid "
				    "Rescue' COLLATE NOCASE"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure_item i JOIN seizure s ON s.id = "
				    "i.seizure_id WHERE s.ref = 'W-1'"),
			 2);
	/* again: the same two seizures, unchanged */
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), 0);
	assert_int_equal(rep.unchanged, 2);
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_rows_without_ref(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = HEAD ",2024-05-03,,KH,Kampot,,,Manis javanica,SCA,5,KIL,\n"
			       ",2024-05-03,,KH,Kampot,,,Manis javanica,SCA,5,KIL,\n"
			       ",2024-05-04,,KH,Kep,,,Manis javanica,SCA,5,KIL,\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), 0);
	assert_int_equal(rep.created, 3);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure WHERE ref GLOB "
				    "'IMP-[0-9A-F]*-2'"),
			 1);
	import_report_free(&rep);
	/* the same file again: the made references are the same */
	assert_int_equal(run_import(&fx, &fx.admin, csv, NULL, &rep, &err), 0);
	assert_int_equal(rep.created, 0);
	assert_int_equal(rep.unchanged, 3);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 3);
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

/* ---- modes ----------------------------------------------------------------- */

static const char *const three =
	HEAD "G1,2024-06-01,,KH,Bavet,road,CN,Manis javanica,SCA,10,KIL,\n"
	     "G2,2024-06-02,,KH,Poipet,road,,Panthera tigris,BON,2,KIL,\n"
	     "G2,2024-06-02,,KH,Poipet,road,,Panthera tigris,SKI,1,,\n"
	     "G3,2024-06-03,,KH,Kampot,sea,VN;TH,Manis javanica,LIV,3,,live\n";

static void t_dry_run(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct import_options opt = { .dry_run = 1 };
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, three, &opt, &rep, &err), 0);
	assert_true(rep.dry_run);
	assert_false(rep.committed);
	assert_int_equal(rep.rows, 4);
	assert_int_equal(rep.created, 3);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_job"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit"), 0);
	import_report_free(&rep);
	/* after a real import, a dry run of a changed file counts what would change */
	assert_int_equal(run_import(&fx, &fx.admin, three, NULL, &rep, &err), 0);
	import_report_free(&rep);
	int64_t audits = count(&fx, "SELECT count(*) FROM audit");
	char *changed = xstrdup(three);
	*strstr(changed, "SCA,10") = 'X'; /* G1's first item: XCA is not a term */
	assert_int_equal(run_import(&fx, &fx.admin, changed, &opt, &rep, &err), -1);
	assert_true(has_error(&rep, 2, "term", "XCA"));
	assert_int_equal(rep.unchanged, 2);
	import_report_free(&rep);
	error_clear(&err);
	strstr(changed, "XCA,10")[0] = 'S';
	strstr(changed, "SCA,10")[4] = '9';
	assert_int_equal(run_import(&fx, &fx.admin, changed, &opt, &rep, &err), 0);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(count(&fx, "SELECT max(version) FROM seizure"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit"), audits);
	free(changed);
	import_report_free(&rep);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_all_or_nothing(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct dynbuf csv = DYNBUF_INIT(1 << 20);
	dynbuf_adds(&csv, three);
	dynbuf_adds(&csv, "G4,2024-06-04,,KH,Kep,road,,Manis javanica,SCA,1,PCS,\n");
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, dynbuf_str(&csv), NULL, &rep, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_non_null(strstr(err.message, "1 of 5 rows"));
	assert_true(has_error(&rep, 6, "unit", NULL));
	assert_false(rep.committed);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure_item"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_job"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit"), 0);
	import_report_free(&rep);
	error_clear(&err);
	dynbuf_free(&csv);
	fixture_close(&fx);
}

static void t_skip_invalid(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv =
		"seizure_ref,date,country,species,term,quantity,unit,place,notes\n"
		"S1,2024-07-01,KH,Manis javanica,SCA,1,KIL,,ok\n"
		"S2,2024-07-02,KH,Manis javanica,SCA,2,KIL,  Bavet  ,\n"
		"S2,2024-07-02,KH,Manis javanica,SCA,x,KIL,Bavet,\"a, b\"\n"
		"S3,2024-07-03,KH,Manis javanica,SCA,3,KIL,,ok\n";
	struct dynbuf rejects = DYNBUF_INIT(1 << 20);
	struct import_options opt = { .skip_invalid = 1, .rejects = seizure_write_dynbuf,
				      .rejects_ctx = &rejects };
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.analyst, csv, &opt, &rep, &err), 0);
	assert_true(rep.committed);
	assert_int_equal(rep.created, 2);
	assert_int_equal(rep.rejected, 1);
	assert_int_equal(rep.rows_rejected, 2);
	assert_string_equal(
		dynbuf_str(&rejects),
		"seizure_ref,date,country,species,term,quantity,unit,place,notes,reason\r\n"
		"S2,2024-07-02,KH,Manis javanica,SCA,2,KIL,\"  Bavet  \",,rejected with the "
		"other rows of the same seizure (see row 4)\r\n"
		"S2,2024-07-02,KH,Manis javanica,SCA,x,KIL,Bavet,\"a, b\",\"quantity: \"\"x\"\" is not a "
		"number (write digits, with a point for decimals, e.g. 12.5)\"\r\n");
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 2);
	assert_int_equal(count(&fx, "SELECT rows_rejected FROM import_job"), 2);
	assert_int_equal(count(&fx, "SELECT seizures_created FROM import_job"), 2);
	import_report_free(&rep);
	/* nothing rejected: the rejects file is the header alone */
	dynbuf_reset(&rejects);
	const char *good = "seizure_ref,date,country,species,term,quantity\n"
			   "S9,2024-07-09,KH,Manis javanica,LIV,1\n";
	assert_int_equal(run_import(&fx, &fx.analyst, good, &opt, &rep, &err), 0);
	assert_string_equal(dynbuf_str(&rejects),
			    "seizure_ref,date,country,species,term,quantity,reason\r\n");
	import_report_free(&rep);
	error_clear(&err);
	dynbuf_free(&rejects);
	fixture_close(&fx);
}

/* Many seizures (pass 2 hands them over in batches between two threads),
 * one of them with more rows than a seizure may have, its rows spread over
 * the file, and an invalid one near the end: every valid seizure is written
 * once, in file order, and every row of the rejected ones reaches the rejects
 * file, the rows past the cap included. */
static void t_many_seizures(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	enum { N = 1500, BIG = 520 };
	struct dynbuf csv = DYNBUF_INIT(1 << 24);
	dynbuf_adds(&csv, "seizure_ref,date,country,species,term,quantity\n");
	size_t big_rows = 0;
	for (int i = 0; i < N; i++) {
		dynbuf_addf(&csv, "M%d,2024-05-01,KH,Manis javanica,SCA,%d\n", i, i + 1);
		if (i % 2 == 0 && big_rows < BIG) {
			dynbuf_addf(&csv, "BIG,2024-05-02,KH,Manis javanica,SCA,%zu\n", big_rows + 1);
			big_rows++;
		}
		if (i == N - 10)
			dynbuf_adds(&csv, "BAD,2024-05-03,KH,Manis javanica,SCA,-1\n");
	}
	assert_int_equal(big_rows, BIG);
	struct dynbuf rejects = DYNBUF_INIT(1 << 24);
	struct import_options opt = { .skip_invalid = 1, .rejects = seizure_write_dynbuf,
				      .rejects_ctx = &rejects };
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.analyst, dynbuf_str(&csv), &opt, &rep, &err), 0);
	assert_int_equal(rep.rows, N + BIG + 1);
	assert_int_equal(rep.created, N);
	assert_int_equal(rep.rejected, 2);
	assert_int_equal(rep.rows_rejected, BIG + 1);
	assert_true(has_error(&rep, 3, "seizure_ref", "at most 500 items"));
	import_report_free(&rep);
	/* written in the order of their first row, quantities as given */
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), N);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure s JOIN seizure_item i ON "
				    "i.seizure_id = s.id WHERE s.ref <> 'M' || (CAST(i.quantity AS INTEGER) - 1)"),
			 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure a JOIN seizure b ON b.id = "
				    "a.id + 1 WHERE CAST(substr(b.ref, 2) AS INTEGER) <> "
				    "CAST(substr(a.ref, 2) AS INTEGER) + 1"),
			 0);
	/* the rejects: the header, all 520 rows of BIG, the bad row */
	assert_int_equal(occurrences(dynbuf_str(&rejects), "\r\n"), 1 + BIG + 1);
	assert_int_equal(occurrences(dynbuf_str(&rejects), "(more than 500 items)"), BIG - 501);
	assert_non_null(strstr(dynbuf_str(&rejects), "BIG,2024-05-02,KH,Manis javanica,SCA,520,"));
	assert_non_null(strstr(dynbuf_str(&rejects), "BAD,2024-05-03,KH,Manis javanica,SCA,-1,"));
	error_clear(&err);
	dynbuf_free(&rejects);
	dynbuf_free(&csv);
	fixture_close(&fx);
}

/* A file that cannot be read past its first thousands of rows (the rows are
 * read on a thread of their own): the error names the line, nothing is
 * written. */
static void t_unreadable_late(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct dynbuf csv = DYNBUF_INIT(1 << 24);
	dynbuf_adds(&csv, "seizure_ref,date,country,species,term,quantity\n");
	for (int i = 0; i < 3000; i++)
		dynbuf_addf(&csv, "U%d,2024-05-01,KH,Manis javanica,SCA,1\n", i);
	dynbuf_adds(&csv, "U3000,2024-05-01,KH,Manis \"javanica\",SCA,1\n");
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, dynbuf_str(&csv), NULL, &rep, &err), -1);
	assert_int_equal(err.code, ERR_BAD_REQUEST);
	assert_non_null(strstr(err.message, "line 3002"));
	assert_false(rep.committed);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_job"), 0);
	import_report_free(&rep);
	error_clear(&err);
	dynbuf_free(&csv);
	fixture_close(&fx);
}

/* ---- pass 2 on the heels of pass 1 ---------------------------------------- */

#define STREAM_HEAD "seizure_ref,date,agency,country,species,term,quantity,notes,offender_1_name,offender_1_phone\n"

/* N one-row seizures: S100 and S101 name an agency that does not exist yet
 * (spelled two ways), S200 is invalid, every 50th names an offender with a
 * phone; with late, S5 gets a second row at the end of the file, else right
 * after its first. */
static void stream_file(struct dynbuf *csv, int n, int late)
{
	dynbuf_adds(csv, STREAM_HEAD);
	for (int i = 0; i < n; i++) {
		const char *agency = i == 100 ? "Preah Vihear Wildlife Unit"
				   : i == 101 ? "preah vihear wildlife unit"
					      : "";
		dynbuf_addf(csv, "S%d,2024-06-%02d,%s,KH,Manis javanica,SCA,%d,note %d,%s,%s\n", i,
			    1 + i % 28, agency, i == 200 ? -1 : i + 1, i,
			    i % 50 == 0 ? "Sok Dara" : "", i % 50 == 0 ? "012 345 678" : "");
		if (i == 5 && !late)
			dynbuf_adds(csv, "S5,2024-06-06,,KH,Manis javanica,SKI,2,,,\n");
	}
	if (late)
		dynbuf_adds(csv, "S5,2024-06-06,,KH,Manis javanica,SKI,2,,,\n");
}

/* The register's records as one text: each seizure's reference, agency,
 * content hash and items. */
static char *register_text(struct fixture *fx)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(
		sqlite3_prepare_v2(db,
				   "SELECT s.ref || '|' || a.name || '|' || s.content_hash || '|' || "
				   "(SELECT group_concat(i.term || i.quantity, ';') FROM "
				   "seizure_item i WHERE i.seizure_id = s.id) FROM seizure s JOIN "
				   "agency a ON a.id = s.agency_id ORDER BY s.id",
				   -1, &q, NULL),
		SQLITE_OK);
	struct dynbuf b = DYNBUF_INIT(1 << 24);
	while (sqlite3_step(q) == SQLITE_ROW) {
		dynbuf_adds(&b, (const char *)sqlite3_column_text(q, 0));
		dynbuf_addc(&b, '\n');
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	char *t = xstrdup(dynbuf_str(&b));
	dynbuf_free(&b);
	return t;
}

/* A file whose one late row joins a seizure already written: pass 2, which
 * had written thousands of seizures, created an agency, rejected a seizure
 * and created an offender with a phone, starts again; the outcome is the
 * same as for the file with that row in its place, which streams, in a dry
 * run and for real: the same report, the same records, the agency, offender
 * and phone created once, each rejected row written out once, one import. */
static void t_stream_restart(void **state)
{
	(void)state;
	enum { N = 3000 };
	char *text[2];
	for (int late = 0; late <= 1; late++) {
		struct fixture fx;
		fixture_open(&fx);
		struct dynbuf csv = DYNBUF_INIT(1 << 24);
		stream_file(&csv, N, late);
		struct dynbuf rejects = DYNBUF_INIT(1 << 20);
		for (int dry = 1; dry >= 0; dry--) {
			dynbuf_reset(&rejects);
			struct import_options opt = { .dry_run = dry,
						      .skip_invalid = 1,
						      .rejects = seizure_write_dynbuf,
						      .rejects_ctx = &rejects };
			struct import_report rep;
			struct error err = ERROR_INIT;
			assert_int_equal(
				run_import(&fx, &fx.analyst, dynbuf_str(&csv), &opt, &rep, &err), 0);
			assert_int_equal(rep.streamed, !late);
			assert_int_equal(rep.committed, !dry);
			assert_int_equal(rep.rows, N + 1);
			assert_int_equal(rep.created, N - 1);
			assert_int_equal(rep.rejected, 1);
			assert_int_equal(rep.rows_rejected, 1);
			assert_int_equal(rep.nerrors, 1);
			assert_true(has_error(&rep, (size_t)(203 - late), "quantity", NULL));
			assert_int_equal(rep.nagencies, 1);
			assert_string_equal(rep.agencies_created[0], "Preah Vihear Wildlife Unit");
			assert_int_equal(rep.parties_created, 1);
			assert_int_equal(rep.identifiers_created, 1);
			assert_string_equal(dynbuf_str(&rejects),
					    "seizure_ref,date,agency,country,species,term,quantity,"
					    "notes,offender_1_name,offender_1_phone,reason\r\n"
					    "S200,2024-06-05,,KH,Manis javanica,SCA,-1,note 200,Sok "
					    "Dara,012 345 678,quantity: must be a number greater "
					    "than 0\r\n");
			import_report_free(&rep);
			error_clear(&err);
		}
		assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), N - 1);
		assert_int_equal(count(&fx, "SELECT count(*) FROM seizure_item"), N);
		assert_int_equal(count(&fx, "SELECT count(*) FROM seizure s JOIN seizure_item i ON "
					    "i.seizure_id = s.id WHERE s.ref = 'S5'"),
				 2);
		assert_int_equal(count(&fx, "SELECT count(*) FROM agency WHERE name = 'Preah Vihear "
					    "Wildlife Unit'"),
				 1);
		assert_int_equal(count(&fx, "SELECT count(*) FROM audit WHERE entity = 'agency'"), 1);
		assert_int_equal(count(&fx, "SELECT count(*) FROM party"), 1);
		assert_int_equal(count(&fx, "SELECT count(*) FROM identifier"), 1);
		/* every 50th seizure but S200, rejected */
		assert_int_equal(count(&fx, "SELECT count(*) FROM party_seizure"), N / 50 - 1);
		assert_int_equal(count(&fx, "SELECT count(*) FROM import_job"), 1);
		assert_int_equal(count(&fx, "SELECT count(*) FROM audit WHERE entity = 'import'"), 1);
		assert_int_equal(count(&fx, "SELECT count(*) FROM import_seizure WHERE import_id = "
					    "(SELECT id FROM import_job)"),
				 N - 1);
		struct audit_report arep;
		struct error err = ERROR_INIT;
		assert_int_equal(audit_verify(fx.st, &arep, &err), 0);
		error_clear(&err);
		text[late] = register_text(&fx);
		dynbuf_free(&rejects);
		dynbuf_free(&csv);
		fixture_close(&fx);
	}
	assert_string_equal(text[0], text[1]);
	free(text[0]);
	free(text[1]);
}

/* A seizure of more than 500 rows, its rows together in the middle of the
 * file: pass 2 starts again from the spill file to reach the rows past the
 * cap; every row of it reaches the rejects file once. */
static void t_stream_big_seizure(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	enum { N = 1200, BIG = 510 };
	struct dynbuf csv = DYNBUF_INIT(1 << 24);
	dynbuf_adds(&csv, "seizure_ref,date,country,species,term,quantity\n");
	for (int i = 0; i < N; i++) {
		dynbuf_addf(&csv, "M%d,2024-05-01,KH,Manis javanica,SCA,%d\n", i, i + 1);
		if (i == N / 2)
			for (int k = 0; k < BIG; k++)
				dynbuf_addf(&csv, "BIG,2024-05-02,KH,Manis javanica,SCA,%d\n", k + 1);
	}
	struct dynbuf rejects = DYNBUF_INIT(1 << 24);
	struct import_options opt = { .skip_invalid = 1, .rejects = seizure_write_dynbuf,
				      .rejects_ctx = &rejects };
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.analyst, dynbuf_str(&csv), &opt, &rep, &err), 0);
	assert_int_equal(rep.streamed, 0);
	assert_int_equal(rep.rows, N + BIG);
	assert_int_equal(rep.created, N);
	assert_int_equal(rep.rejected, 1);
	assert_int_equal(rep.rows_rejected, BIG);
	import_report_free(&rep);
	assert_int_equal(occurrences(dynbuf_str(&rejects), "\r\n"), 1 + BIG);
	assert_non_null(strstr(dynbuf_str(&rejects), "BIG,2024-05-02,KH,Manis javanica,SCA,510,"));
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), N);
	error_clear(&err);
	dynbuf_free(&rejects);
	dynbuf_free(&csv);
	fixture_close(&fx);
}

/* More rejected rows than may wait in memory while pass 2 streams: it gives
 * up and starts again, and each rejected row is written out once. */
static void t_stream_many_rejects(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	enum { N = 12000 };
	char notes[401];
	memset(notes, 'n', 400);
	notes[400] = '\0';
	struct dynbuf csv = DYNBUF_INIT(1 << 24);
	dynbuf_adds(&csv, "seizure_ref,date,country,species,term,quantity,notes\n");
	for (int i = 0; i < N; i++)
		dynbuf_addf(&csv, "R%d,2024-05-01,KH,Manis javanica,SCA,%d,%s\n", i,
			    i % 10 == 0 ? 1 : -1, notes);
	struct dynbuf rejects = DYNBUF_INIT(1 << 26);
	struct import_options opt = { .skip_invalid = 1, .rejects = seizure_write_dynbuf,
				      .rejects_ctx = &rejects };
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.analyst, dynbuf_str(&csv), &opt, &rep, &err), 0);
	assert_int_equal(rep.streamed, 0);
	assert_int_equal(rep.created, N / 10);
	assert_int_equal(rep.rows_rejected, N - N / 10);
	import_report_free(&rep);
	assert_int_equal(occurrences(dynbuf_str(&rejects), "\r\n"), 1 + N - N / 10);
	assert_non_null(strstr(dynbuf_str(&rejects), "\r\nR1,"));
	assert_non_null(strstr(dynbuf_str(&rejects), "\r\nR11999,"));
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), N / 10);
	/* the same file in a dry run without a rejects file streams */
	struct import_options dry = { .dry_run = 1, .skip_invalid = 1 };
	assert_int_equal(run_import(&fx, &fx.analyst, dynbuf_str(&csv), &dry, &rep, &err), 0);
	assert_int_equal(rep.streamed, 1);
	assert_int_equal(rep.unchanged, N / 10);
	assert_int_equal(rep.rows_rejected, N - N / 10);
	import_report_free(&rep);
	error_clear(&err);
	dynbuf_free(&rejects);
	dynbuf_free(&csv);
	fixture_close(&fx);
}

/* ---- re-import ------------------------------------------------------------- */

/* ---- the import's one audit entry ---------------------------------------- */

struct hist {
	int n;
	int64_t id[8];
	char action[8][16];
	char user[8][32];
	int64_t import_id[8], version[8];
};

static int hist_row(void *ctx, const struct audit_rec *r)
{
	struct hist *h = ctx;
	if (h->n == 8)
		return 1;
	h->id[h->n] = r->id;
	snprintf(h->action[h->n], sizeof h->action[0], "%s", r->action);
	snprintf(h->user[h->n], sizeof h->user[0], "%s", r->username ? r->username : "");
	json_t *d = json_loads(r->detail, 0, NULL);
	assert_non_null(d);
	h->import_id[h->n] = json_integer_value(json_object_get(d, "import_id"));
	h->version[h->n] = json_integer_value(json_object_get(d, "version"));
	json_decref(d);
	h->n++;
	return 0;
}

/* Runs SQL through a connection of its own: a change behind the program's back. */
static void tamper(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_close(db);
}

static void verify_fails(struct fixture *fx, const char *want)
{
	struct audit_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(audit_verify(fx->st, &rep, &err), -1);
	if (!err.message || !strstr(err.message, want))
		fail_msg("audit_verify: \"%s\", want \"%s\"", err.message ? err.message : "",
			 want);
	error_clear(&err);
}

static int note_id(void *ctx, int64_t id)
{
	int64_t *sum = ctx;
	*sum += id;
	return 0;
}

static void t_import_audit_entry(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *abc = HEAD "A1,2024-01-02,,KH,Bavet,road,,Manis javanica,SCA,1,KIL,\n"
				 "A2,2024-01-03,,KH,Bavet,road,,Manis javanica,SCA,2,KIL,\n"
				 "A3,2024-01-04,,KH,Bavet,road,,Manis javanica,SCA,3,KIL,\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	int64_t before;
	assert_int_equal(store_audit_max_id(fx.st, &before, &err), 0);
	assert_int_equal(run_import(&fx, &fx.admin, abc, NULL, &rep, &err), 0);
	int64_t first = rep.import_id;
	import_report_free(&rep);
	int64_t entry = count(&fx, "SELECT id FROM audit WHERE entity = 'import'");
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit WHERE entity = 'import' AND "
				    "json_extract(detail, '$.seizures') = 3 AND "
				    "json_extract(detail, '$.created') = 3 AND "
				    "length(json_extract(detail, '$.digest')) = 64"),
			 1);
	struct audit_report ar;
	assert_int_equal(audit_verify(fx.st, &ar, &err), 0);

	/* the feeds of the analytics and the network view see the abc */
	int64_t *ids, last, sum = 0;
	size_t n;
	struct arena a;
	arena_init(&a);
	assert_int_equal(store_seizure_changed_since(fx.st, before, 100, &ids, &n, &last, &a, &err),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(last, entry);
	assert_int_equal(store_graph_seizures_changed(fx.st, before, note_id, &sum, &last, &err), 0);
	assert_int_equal(sum, count(&fx, "SELECT sum(id) FROM seizure"));
	/* nothing after the entry */
	assert_int_equal(store_seizure_changed_since(fx.st, entry, 100, &ids, &n, &last, &a, &err),
			 0);
	assert_int_equal(n, 0);
	arena_free(&a);

	/* A2 changed by a second import: its history is both imports, by the
	 * user who ran them, with the version each wrote */
	char *changed = xstrdup(abc);
	memcpy(strstr(changed, "SCA,2"), "SCA,7", 5);
	assert_int_equal(run_import(&fx, &fx.admin, changed, NULL, &rep, &err), 0);
	assert_int_equal(rep.updated, 1);
	int64_t second = rep.import_id;
	import_report_free(&rep);
	free(changed);
	int64_t a2 = count(&fx, "SELECT id FROM seizure WHERE ref = 'A2'");
	struct hist h = { 0 };
	assert_int_equal(store_audit_each(fx.st, "seizure", a2, hist_row, &h, &err), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.id[0], entry);
	assert_true(h.id[1] > entry);
	for (int i = 0; i < 2; i++) {
		assert_string_equal(h.action[i], "import");
		assert_string_equal(h.user[i], "admin");
	}
	assert_int_equal(h.import_id[0], first);
	assert_int_equal(h.version[0], 1);
	assert_int_equal(h.import_id[1], second);
	assert_int_equal(h.version[1], 2);
	assert_int_equal(audit_verify(fx.st, &ar, &err), 0);
	assert_int_equal(ar.entries, 2);

	/* the lists are covered by their entries' digests */
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE import_seizure SET version = 9 WHERE import_id = %lld AND "
		 "seizure_id = %lld", (long long)first, (long long)a2);
	tamper(&fx, sql);
	verify_fails(&fx, "the list of seizures of import");
	snprintf(sql, sizeof sql, "UPDATE import_seizure SET version = 1 WHERE import_id = %lld AND "
		 "seizure_id = %lld", (long long)first, (long long)a2);
	tamper(&fx, sql); /* put back: holds again */
	assert_int_equal(audit_verify(fx.st, &ar, &err), 0);
	snprintf(sql, sizeof sql, "DELETE FROM import_seizure WHERE import_id = %lld AND "
		 "seizure_id = %lld", (long long)first, (long long)a2);
	tamper(&fx, sql);
	verify_fails(&fx, "the list of seizures of import");
	snprintf(sql, sizeof sql, "INSERT INTO import_seizure VALUES(%lld, %lld, 1, 'x')",
		 (long long)first, (long long)a2);
	tamper(&fx, sql);
	verify_fails(&fx, "the list of seizures of import"); /* the hash differs */
	snprintf(sql, sizeof sql, "UPDATE import_seizure SET content_hash = (SELECT content_hash "
		 "FROM import_seizure WHERE import_id = %lld AND seizure_id = %lld) WHERE import_id "
		 "= %lld AND seizure_id = %lld", (long long)second, (long long)a2, (long long)first,
		 (long long)a2);
	tamper(&fx, sql);
	verify_fails(&fx, "the list of seizures of import");
	fixture_close(&fx);

	/* rows for an import that has no entry */
	fixture_open(&fx);
	assert_int_equal(run_import(&fx, &fx.admin, abc, NULL, &rep, &err), 0);
	import_report_free(&rep);
	assert_int_equal(audit_verify(fx.st, &ar, &err), 0);
	tamper(&fx, "INSERT INTO import_seizure VALUES(77, 1, 1, 'x')");
	verify_fails(&fx, "seizures are listed for import 77, which has no audit entry");
	error_clear(&err);
	fixture_close(&fx);
}

static void t_reimport(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, three, NULL, &rep, &err), 0);
	assert_int_equal(rep.created, 3);
	int64_t first_import = rep.import_id;
	import_report_free(&rep);
	int64_t audits = count(&fx, "SELECT count(*) FROM audit");
	assert_int_equal(audits, 1); /* the import's entry */
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_seizure"), 3);

	/* the same file: nothing changes, no version, no audit entry */
	assert_int_equal(run_import(&fx, &fx.admin, three, NULL, &rep, &err), 0);
	assert_int_equal(rep.created, 0);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.unchanged, 3);
	assert_true(rep.import_id > first_import);
	import_report_free(&rep);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit"), audits);
	assert_int_equal(count(&fx, "SELECT max(version) FROM seizure"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_job"), 2);

	/* one quantity changed: that seizure is replaced as version 2 */
	char *changed = xstrdup(three);
	memcpy(strstr(changed, "BON,2"), "BON,7", 5);
	assert_int_equal(run_import(&fx, &fx.admin, changed, NULL, &rep, &err), 0);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 2);
	int64_t third_import = rep.import_id;
	import_report_free(&rep);
	assert_int_equal(count(&fx, "SELECT version FROM seizure WHERE ref = 'G2'"), 2);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure_item i JOIN seizure s ON "
				    "s.id = i.seizure_id WHERE s.ref = 'G2'"),
			 2);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit"), audits + 1);
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit WHERE action = 'import' AND entity = 'import' AND "
		 "entity_id = %lld AND json_extract(detail, '$.updated') = 1",
		 (long long)third_import);
	assert_int_equal(count(&fx, sql), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM import_seizure i JOIN seizure s ON s.id = i.seizure_id "
		 "WHERE i.import_id = %lld AND s.ref = 'G2' AND i.version = 2",
		 (long long)third_import);
	assert_int_equal(count(&fx, sql), 1);
	free(changed);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_sharing_kept(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *with = "seizure_ref,date,country,species,term,quantity,sharing\n"
			   "P1,2024-08-01,KH,Manis javanica,LIV,1,Agency\n";
	const char *without = "seizure_ref,date,country,species,term,quantity\n"
			      "P1,2024-08-01,KH,Manis javanica,LIV,1\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.admin, with, NULL, &rep, &err), 0);
	import_report_free(&rep);
	/* a file without the sharing column keeps the record's sharing */
	assert_int_equal(run_import(&fx, &fx.admin, without, NULL, &rep, &err), 0);
	assert_int_equal(rep.unchanged, 1);
	import_report_free(&rep);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure WHERE sharing = 'agency'"), 1);
	error_clear(&err);
	fixture_close(&fx);
}

/* ---- agencies and rights --------------------------------------------------- */

static void t_agency_created(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = HEAD "N1,2024-09-01,Kampot Provincial Police,KH,Kampot,,,Manis javanica,LIV,1,,\n"
			       "N2,2024-09-02,kampot provincial police,VN,,,,Manis javanica,LIV,2,,\n"
			       "N3,2024-09-03,Forestry Administration,KH,,,,Manis javanica,LIV,2,,\n";
	struct import_options dry = { .dry_run = 1 };
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.analyst, csv, &dry, &rep, &err), 0);
	assert_int_equal(rep.nagencies, 1);
	assert_string_equal(rep.agencies_created[0], "Kampot Provincial Police");
	assert_int_equal(count(&fx, "SELECT count(*) FROM agency"), 2);
	import_report_free(&rep);

	assert_int_equal(run_import(&fx, &fx.analyst, csv, NULL, &rep, &err), 0);
	assert_int_equal(rep.created, 3);
	assert_int_equal(rep.nagencies, 1);
	assert_string_equal(rep.agencies_created[0], "Kampot Provincial Police");
	import_report_free(&rep);
	struct arena a;
	arena_init(&a);
	struct agency_rec ag;
	assert_int_equal(store_agency_by_name(fx.st, "KAMPOT PROVINCIAL POLICE", &ag, &a, &err), 0);
	assert_string_equal(ag.country, "KH");
	assert_string_equal(ag.kind, "other");
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure WHERE agency_id = "
				    "(SELECT id FROM agency WHERE name = 'Kampot Provincial Police')"),
			 2);
	/* an analyst may import for another agency */
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure WHERE agency_id = 2"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit WHERE entity = 'agency'"), 1);
	/* again: the agency exists now */
	assert_int_equal(run_import(&fx, &fx.analyst, csv, NULL, &rep, &err), 0);
	assert_int_equal(rep.nagencies, 0);
	assert_int_equal(rep.unchanged, 3);
	import_report_free(&rep);
	arena_free(&a);
	error_clear(&err);
	fixture_close(&fx);
}

static void t_rights(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, &fx.officer, three, NULL, &rep, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	import_report_free(&rep);
	error_clear(&err);
	assert_int_equal(run_import(&fx, &fx.viewer, three, NULL, &rep, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	import_report_free(&rep);
	error_clear(&err);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 0);
	assert_int_equal(run_import(&fx, &fx.analyst, three, NULL, &rep, &err), 0);
	assert_int_equal(rep.created, 3);
	import_report_free(&rep);
	fixture_close(&fx);
}

/* ---- XLSX ------------------------------------------------------------------- */

static void t_xlsx(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	char *dir = fixture_tempdir();
	char *path = xasprintf("%s/in.xlsx", dir);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	const char *head[] = { "Seizure reference", "Date of seizure", "Country", "Species",
			       "Term", "Quantity", "Unit" };
	for (int c = 0; c < 7; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
	lxw_datetime d = { 2024, 10, 5, 0, 0, 0 };
	worksheet_write_string(ws, 1, 0, "XL-1", NULL);
	worksheet_write_datetime(ws, 1, 1, &d, date);
	worksheet_write_string(ws, 1, 2, "Cambodia", NULL);
	worksheet_write_string(ws, 1, 3, "Manis javanica", NULL);
	worksheet_write_string(ws, 1, 4, "SCA", NULL);
	worksheet_write_number(ws, 1, 5, 12.5, NULL);
	worksheet_write_string(ws, 1, 6, "KIL", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	struct error err = ERROR_INIT;
	struct table_reader *t = table_open(path, &err);
	assert_non_null(t);
	struct import_options opt = { .filename = "in.xlsx", .sha256 = "abc" };
	struct import_report rep = { 0 };
	assert_int_equal(seizure_import(fx.st, fx.ref, &fx.admin, t, &opt, &rep, &err), 0);
	table_close(t);
	assert_int_equal(rep.created, 1);
	struct arena a;
	arena_init(&a);
	struct seizure s;
	get_seizure(&fx, fx.customs_id, "XL-1", &s, &a);
	assert_string_equal(s.date, "2024-10-05");
	assert_string_equal(s.country, "KH");
	assert_true(s.items[0].quantity == 12.5);
	assert_int_equal(count(&fx, "SELECT count(*) FROM import_job WHERE filename = 'in.xlsx' "
				    "AND sha256 = 'abc'"),
			 1);
	arena_free(&a);
	import_report_free(&rep);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	fixture_close(&fx);
}

static void t_report_json(void **state)
{
	(void)state;
	struct import_report rep = { 0 };
	rep.rows = 3;
	rep.created = 2;
	rep.rejected = 1;
	rep.committed = 1;
	rep.import_id = 7;
	rep.errors = xcalloc(1, sizeof *rep.errors);
	rep.errors[0] = (struct import_error){ 5, xstrdup("unit"), xstrdup("bad") };
	rep.nerrors = 1;
	json_t *j = import_report_to_json(&rep, "a,b\r\n");
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
			    "{\"agencies_created\":[],\"committed\":true,\"dry_run\":false,"
			    "\"errors\":[{\"field\":\"unit\",\"message\":\"bad\",\"row\":5}],"
			    "\"errors_omitted\":0,\"import_id\":7,\"rejects_csv\":\"a,b\\r\\n\","
			    "\"rows\":3,\"rows_rejected\":0,\"seizures\":{\"created\":2,"
			    "\"rejected\":1,\"unchanged\":0,\"updated\":0},\"warnings\":[]}");
	free(text);
	json_decref(j);
	import_report_free(&rep);
}

/* ---- crash safety ------------------------------------------------------------ */

/* Row counts and a BLAKE2b of every table's content, in one string. */
static char *db_fingerprint(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *tables;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT name FROM sqlite_master WHERE type = 'table' "
					    "ORDER BY name",
					    -1, &tables, NULL),
			 SQLITE_OK);
	struct dynbuf out = DYNBUF_INIT(1 << 20);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
		sqlite3_free(sql);
		crypto_generichash_state h;
		crypto_generichash_init(&h, NULL, 0, 16);
		long rows = 0;
		while (sqlite3_step(q) == SQLITE_ROW) {
			rows++;
			for (int c = 0; c < sqlite3_column_count(q); c++) {
				const unsigned char *v = sqlite3_column_text(q, c);
				int n = sqlite3_column_bytes(q, c);
				crypto_generichash_update(&h, v ? v : (const unsigned char *)"\1",
							  v ? (size_t)n : 1);
				crypto_generichash_update(&h, (const unsigned char *)"", 1);
			}
		}
		sqlite3_finalize(q);
		unsigned char d[16];
		char hex[33];
		crypto_generichash_final(&h, d, sizeof d);
		sodium_bin2hex(hex, sizeof hex, d, sizeof d);
		dynbuf_addf(&out, "%s %ld %s\n", name, rows, hex);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	return dynbuf_take(&out);
}

struct crash_ctx {
	int fd;
	int told;
};

/* In the child: once the import is well into writing, tell the parent and
 * wait to be killed. */
static void crash_progress(void *ctx, size_t rows, double fraction)
{
	struct crash_ctx *c = ctx;
	(void)rows;
	if (!c->told && fraction > 0.5) {
		c->told = 1;
		if (write(c->fd, "w", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
}

static void t_crash_kill(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct import_report rep;
	struct error err = ERROR_INIT;
	/* some data first, so "as before" is not just "empty" */
	assert_int_equal(run_import(&fx, &fx.admin, three, NULL, &rep, &err), 0);
	import_report_free(&rep);
	struct dynbuf csv = DYNBUF_INIT((size_t)1 << 28);
	dynbuf_adds(&csv, HEAD);
	for (int i = 0; i < 20000; i++)
		dynbuf_addf(&csv, "K%d,2024-%02d-%02d,,KH,Bavet,road,CN;VN,Manis javanica,SCA,%d.5,"
				  "KIL,\n",
			    i / 2, 1 + i / 2 % 12, 1 + i / 2 % 28, i);
	char *before = db_fingerprint(fx.path);
	store_close(fx.st); /* no connection crosses the fork */
	fx.st = NULL;

	int pipefd[2];
	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pipefd[0]);
		struct error e = ERROR_INIT;
		struct store *st = store_open(fx.path, STORE_OPEN_EXISTING, &e);
		if (!st)
			_exit(2);
		struct crash_ctx c = { pipefd[1], 0 };
		struct import_options opt = { .progress = crash_progress, .progress_ctx = &c };
		struct table_reader *t = table_open_mem(csv.buf, csv.len, &e);
		struct import_report r = { 0 };
		seizure_import(st, fx.ref, &fx.admin, t, &opt, &r, &e);
		_exit(4); /* not reached: killed in crash_progress */
	}
	close(pipefd[1]);
	char b = 0;
	assert_int_equal(read(pipefd[0], &b, 1), 1);
	assert_int_equal(b, 'w');
	/* the child is inside its transaction, with rows written */
	assert_int_equal(kill(pid, SIGKILL), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	close(pipefd[0]);

	char *after = db_fingerprint(fx.path);
	assert_string_equal(before, after);
	fx.st = store_open(fx.path, STORE_OPEN_EXISTING, &err);
	assert_non_null(fx.st);
	assert_int_equal(store_integrity_check(fx.st, &err), 0);
	/* and the database is usable: the same import now goes through */
	assert_int_equal(run_import(&fx, &fx.admin, dynbuf_str(&csv), NULL, &rep, &err), 0);
	assert_int_equal(rep.created, 10000);
	import_report_free(&rep);
	free(before);
	free(after);
	dynbuf_free(&csv);
	error_clear(&err);
	fixture_close(&fx);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_header_aitr_titles),
		cmocka_unit_test(t_header_aitr_report_itself),
		cmocka_unit_test(t_header_spelling),
		cmocka_unit_test(t_header_errors),
		cmocka_unit_test(t_validation_rows),
		cmocka_unit_test(t_conflicting_seizure_fields),
		cmocka_unit_test(t_errors_capped),
		cmocka_unit_test(t_grouping),
		cmocka_unit_test(t_same_seizure_spelled_apart),
		cmocka_unit_test(t_interleaved),
		cmocka_unit_test(t_rows_without_ref),
		cmocka_unit_test(t_dry_run),
		cmocka_unit_test(t_all_or_nothing),
		cmocka_unit_test(t_skip_invalid),
		cmocka_unit_test(t_reimport),
		cmocka_unit_test(t_import_audit_entry),
		cmocka_unit_test(t_many_seizures),
		cmocka_unit_test(t_unreadable_late),
		cmocka_unit_test(t_stream_restart),
		cmocka_unit_test(t_stream_big_seizure),
		cmocka_unit_test(t_stream_many_rejects),
		cmocka_unit_test(t_sharing_kept),
		cmocka_unit_test(t_agency_created),
		cmocka_unit_test(t_rights),
		cmocka_unit_test(t_xlsx),
		cmocka_unit_test(t_report_json),
		cmocka_unit_test(t_crash_kill),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
