/*
 * test_import_parties.c - the offender, consignee and identifier columns of
 * the seizure import (seizure/import_parties.h), through the real importer:
 * parties, identifiers and links written with their source and date; one
 * identifier for a phone typed two ways; reuse within the file; a bad
 * container number as a row and column error with nothing written; the dry
 * run; skip-invalid rejecting only that seizure; conflicting rows of one
 * seizure; the header; an idempotent re-import; an XLSX file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <xlsxwriter.h>

#include "fixture.h"
#include "lib/dynbuf.h"
#include "lib/table.h"
#include "seizure/import.h"

/* ---- helpers ------------------------------------------------------------- */

static int run_import(struct fixture *fx, const char *csv, const struct import_options *opt,
		      struct import_report *rep, struct error *err)
{
	struct import_options o = { .filename = "people.csv" };
	if (opt)
		o = *opt;
	struct table_reader *t = table_open_mem(csv, strlen(csv), err);
	assert_non_null(t);
	memset(rep, 0, sizeof *rep);
	int rc = seizure_import(fx->st, fx->ref, &fx->analyst, t, &o, rep, err);
	table_close(t);
	return rc;
}

/* One integer from a query on the fixture's database (own connection). */
static int64_t count(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void dump_errors(const struct import_report *rep)
{
	for (size_t i = 0; i < rep->nerrors; i++)
		fprintf(stderr, "  row %zu, %s: %s\n", rep->errors[i].row, rep->errors[i].field,
			rep->errors[i].message);
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

static void import_ok(struct fixture *fx, const char *csv, struct import_report *rep)
{
	struct error err = ERROR_INIT;
	int rc = run_import(fx, csv, NULL, rep, &err);
	if (rc != 0) {
		fprintf(stderr, "import failed: %s\n", err.message ? err.message : "");
		dump_errors(rep);
	}
	assert_int_equal(rc, 0);
	assert_true(rep->committed);
	error_clear(&err);
}

/* Everything the party columns write, for before/after comparisons. */
static void register_counts(struct fixture *fx, int64_t out[6])
{
	static const char *const q[6] = {
		"SELECT count(*) FROM party", "SELECT count(*) FROM party_name",
		"SELECT count(*) FROM identifier", "SELECT count(*) FROM party_identifier",
		"SELECT count(*) FROM party_seizure", "SELECT count(*) FROM identifier_seizure",
	};
	for (int i = 0; i < 6; i++)
		out[i] = count(fx, q[i]);
}

#define BASE "seizure_ref,date,country,place,species,term,quantity,unit"

/* ---- parties, identifiers and links -------------------------------------- */

static void t_parties_written(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv =
		BASE ",Offender 1 name,Offender 1 name (Khmer),Offender 1 sex,Offender 1 birth year,"
		     "Offender 1 nationality,Offender 1 phone,Offender 1 passport,Offender 1 handle,"
		     "Offender 2 name,Offender 2 role,Container,Vehicle plate,Flight,Consignee,"
		     "sharing\n"
		"P-1,2024-03-05,KH,Bavet,Manis javanica,SCA,12.5,KIL,SUN Chantha,ស៊ុន ចាន់ថា,M,"
		"1980,KH,012 345 678; +84 912 345 678,N1234567,facebook:sun.chantha,Nguyen Van An,"
		"Driver,MSCU1234566,2A-1234,VN 123,Golden Dragon Trading Co. Ltd,agency\n"
		"P-1,2024-03-05,KH,Bavet,Manis javanica,BON,3,,,,,,,,,,,,,,,,\n";
	struct import_report rep;
	import_ok(&fx, csv, &rep);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.party_columns, 1);
	assert_int_equal(rep.parties_created, 3);
	assert_int_equal(rep.parties_reused, 0);
	/* 2 phones, passport, handle, container, plate, flight */
	assert_int_equal(rep.identifiers_created, 7);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party"), 3);
	assert_int_equal(count(&fx, "SELECT count(*) FROM identifier"), 7);

	/* the person: names, fields, agency and sharing of the seizure */
	assert_int_equal(count(&fx, "SELECT count(*) FROM party p JOIN party_name n ON "
				    "n.party_id = p.id WHERE p.kind = 'person' AND p.sex = 'male' "
				    "AND p.birth_year = 1980 AND p.nationalities = 'KH' AND "
				    "p.agency_id = 1 AND p.sharing = 'agency'"),
			 2);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_name WHERE name = 'ស៊ុន ចាន់ថា' "
				    "AND script = 'Khmr' AND kind = 'full'"),
			 1);
	/* its links: role, source, date, the seizure it came from */
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_seizure l JOIN party_name n ON "
				    "n.party_id = l.party_id AND n.line = 1 JOIN seizure s ON s.id = "
				    "l.seizure_id WHERE n.name = 'SUN Chantha' AND l.role = 'suspect' "
				    "AND l.source = 'import people.csv' AND l.date = '2024-03-05' AND "
				    "s.ref = 'P-1'"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_seizure l JOIN party_name n ON "
				    "n.party_id = l.party_id WHERE n.name = 'Nguyen Van An' AND "
				    "l.role = 'driver'"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_seizure l JOIN party p ON p.id = "
				    "l.party_id WHERE p.kind = 'organisation' AND l.role = "
				    "'consignee'"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_identifier l JOIN identifier i "
				    "ON i.id = l.identifier_id WHERE l.seizure_id IS NOT NULL AND "
				    "l.source = 'import people.csv' AND l.date = '2024-03-05' AND "
				    "((i.kind = 'phone' AND i.key IN ('+85512345678', "
				    "'+84912345678') AND l.role = 'uses') OR (i.kind = 'passport' "
				    "AND i.key = 'KH:N1234567' AND l.role = 'owns') OR (i.kind = "
				    "'handle' AND i.key = 'facebook:sun.chantha'))"),
			 4);
	/* the seizure's own identifiers: seen_in, plate in the seizure's country,
	 * flight on the seizure's date */
	assert_int_equal(count(&fx, "SELECT count(*) FROM identifier_seizure l JOIN identifier "
				    "i ON i.id = l.identifier_id WHERE l.role = 'seen_in' AND "
				    "l.date = '2024-03-05' AND i.key IN ('MSCU1234566', 'KH:2A1234', "
				    "'VN123/2024-03-05')"),
			 3);
	/* audited like the register's own writes */
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit WHERE entity = 'party' AND "
				    "action = 'create'"),
			 3);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit WHERE entity = 'identifier' AND "
				    "action = 'create'"),
			 7);
	import_report_free(&rep);
	fixture_close(&fx);
}

/* A phone typed two ways is one identifier; the same name with it is one
 * party; the same name with the same birth year too. */
static void t_reuse_in_file(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv =
		BASE ",offender_1_name,offender_1_phone,offender_1_birth_year\n"
		"R-1,2024-01-10,KH,Koh Kong,Manis javanica,SCA,1,KIL,Sun Chantha,012 345 678,\n"
		"R-2,2024-02-11,KH,Koh Kong,Manis javanica,SCA,2,KIL,SUN  CHANTHA,+855-12-345-678,\n"
		"R-3,2024-03-12,KH,Koh Kong,Manis javanica,SCA,3,KIL,Chea Dara,,1975\n"
		"R-4,2024-04-13,KH,Koh Kong,Manis javanica,SCA,4,KIL,chea dara,,1975\n"
		"R-5,2024-05-14,KH,Koh Kong,Manis javanica,SCA,5,KIL,Chea Dara,,1990\n"
		"R-6,2024-06-15,KH,Koh Kong,Manis javanica,SCA,6,KIL,Sun Chantha,,\n";
	struct import_report rep;
	import_ok(&fx, csv, &rep);
	assert_int_equal(rep.created, 6);
	assert_int_equal(rep.identifiers_created, 1);
	/* Sun Chantha, Chea Dara 1975, Chea Dara 1990, and
	 * Sun Chantha of R-6 (a name alone proves nothing) */
	assert_int_equal(rep.parties_created, 4);
	assert_int_equal(count(&fx, "SELECT count(*) FROM identifier WHERE kind = 'phone'"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party"), 4);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_seizure"), 6);
	/* one identifier, linked to its party once (per role) with the first seizure */
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_identifier"), 1);
	assert_int_equal(count(&fx, "SELECT count(DISTINCT party_id) FROM party_seizure l JOIN "
				    "seizure s ON s.id = l.seizure_id WHERE s.ref IN ('R-1', 'R-2')"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(DISTINCT party_id) FROM party_seizure l JOIN "
				    "seizure s ON s.id = l.seizure_id WHERE s.ref IN ('R-3', 'R-4')"),
			 1);
	import_report_free(&rep);
	fixture_close(&fx);
}

/* A container with a wrong check digit: an error on its row and column, and
 * nothing written, in a dry run and for real. */
static void t_bad_container(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = BASE ",Offender 1 name,Container number\n"
			       "C-1,2024-03-05,KH,Sihanoukville,Manis javanica,SCA,5,KIL,Sok Dara,"
			       "MSCU1234566\n"
			       "C-2,2024-03-06,KH,Sihanoukville,Manis javanica,SCA,5,KIL,Keo Mony,"
			       "MSCU1234565\n";
	int64_t before[6], after[6];
	register_counts(&fx, before);
	for (int dry = 1; dry >= 0; dry--) {
		struct import_options opt = { .dry_run = dry, .filename = "x.csv" };
		struct import_report rep;
		struct error err = ERROR_INIT;
		assert_int_equal(run_import(&fx, csv, &opt, &rep, &err), -1);
		assert_int_equal(err.code, ERR_VALIDATION);
		assert_false(rep.committed);
		assert_int_equal(rep.nerrors, 1);
		assert_true(has_error(&rep, 3, "container",
				      "container number MSCU1234565: check digit is 6, not 5 "
				      "(ISO 6346)"));
		error_clear(&err);
		import_report_free(&rep);
	}
	register_counts(&fx, after);
	assert_memory_equal(before, after, sizeof before);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure"), 0);
	fixture_close(&fx);
}

/* The dry run counts what would be created and writes nothing. */
static void t_dry_run(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = BASE ",Offender 1 name,Offender 1 phone,Offender 2 name,Offender 2 phone\n"
			       "D-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,"
			       "012 345 678,Keo Mony,097 123 4567\n"
			       "D-2,2024-03-06,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,"
			       "+85512345678,,\n";
	struct import_options opt = { .dry_run = 1, .filename = "d.csv" };
	struct import_report rep;
	struct error err = ERROR_INIT;
	int64_t before[6], after[6];
	register_counts(&fx, before);
	assert_int_equal(run_import(&fx, csv, &opt, &rep, &err), 0);
	assert_false(rep.committed);
	assert_int_equal(rep.created, 2);
	assert_int_equal(rep.parties_created, 2);
	assert_int_equal(rep.identifiers_created, 2);
	register_counts(&fx, after);
	assert_memory_equal(before, after, sizeof before);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit"), 0);
	import_report_free(&rep);
	/* the real run agrees with the dry run */
	import_ok(&fx, csv, &rep);
	assert_int_equal(rep.parties_created, 2);
	assert_int_equal(rep.identifiers_created, 2);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party"), 2);
	import_report_free(&rep);
	fixture_close(&fx);
}

static int collect(void *ctx, const char *data, size_t len)
{
	return dynbuf_add(ctx, data, len);
}

/* skip-invalid: the seizure with a bad phone goes to the rejects with the
 * reason; the others and their parties are written. */
static void t_skip_invalid(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = BASE ",Offender 1 name,Offender 1 phone\n"
			       "S-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,012 345 678\n"
			       "S-2,2024-03-06,KH,Bavet,Manis javanica,SCA,5,KIL,Keo Mony,12\n"
			       "S-2,2024-03-06,KH,Bavet,Manis javanica,BON,2,,,\n"
			       "S-3,2024-03-07,KH,Bavet,Manis javanica,SCA,5,KIL,Chan Sophal,"
			       "011 222 333\n";
	struct dynbuf rejects = DYNBUF_INIT(1 << 20);
	struct import_options opt = { .skip_invalid = 1, .rejects = collect,
				      .rejects_ctx = &rejects, .filename = "s.csv" };
	struct import_report rep;
	struct error err = ERROR_INIT;
	int rc = run_import(&fx, csv, &opt, &rep, &err);
	if (rc != 0)
		dump_errors(&rep);
	assert_int_equal(rc, 0);
	assert_true(rep.committed);
	assert_int_equal(rep.created, 2);
	assert_int_equal(rep.rejected, 1);
	assert_int_equal(rep.rows_rejected, 2);
	assert_true(has_error(&rep, 3, "offender_1_phone", NULL));
	assert_int_equal(rep.parties_created, 2);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party"), 2);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_name WHERE name = 'Keo Mony'"), 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM seizure WHERE ref = 'S-2'"), 0);
	const char *text = dynbuf_str(&rejects);
	assert_non_null(strstr(text, "reason"));
	assert_non_null(strstr(text, "offender_1_phone: "));
	assert_non_null(strstr(text, "Keo Mony"));
	assert_null(strstr(text, "Sok Dara"));
	dynbuf_free(&rejects);
	import_report_free(&rep);
	fixture_close(&fx);
}

/* Rows of one seizure: a party column may be given once or repeated; a
 * different value is an error naming the first row. */
static void t_rows_of_one_seizure(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = BASE ",Offender 1 name,Offender 1 birth year,Container\n"
			       "M-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,1980,"
			       "MSCU1234566\n"
			       "M-1,2024-03-05,KH,Bavet,Manis javanica,BON,2,,Sok Dara,,TGHU7654320\n"
			       "M-2,2024-03-06,KH,Bavet,Manis javanica,SCA,5,KIL,Keo Mony,1981,\n"
			       "M-2,2024-03-06,KH,Bavet,Manis javanica,BON,2,,Keo Monny,1981,\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, csv, NULL, &rep, &err), -1);
	assert_int_equal(rep.nerrors, 1);
	assert_true(has_error(&rep, 5, "offender_1_name",
			      "\"Keo Monny\" differs from \"Keo Mony\" on row 4 of the same seizure"));
	error_clear(&err);
	import_report_free(&rep);

	/* without the conflict: one party per seizure, both containers kept */
	const char *ok = BASE ",Offender 1 name,Offender 1 birth year,Container\n"
			      "M-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,1980,"
			      "MSCU1234566\n"
			      "M-1,2024-03-05,KH,Bavet,Manis javanica,BON,2,,Sok Dara,,"
			      "TGHU7654320; MSCU1234566\n";
	struct error e2 = ERROR_INIT;
	int rc = run_import(&fx, ok, NULL, &rep, &e2);
	if (rc != 0)
		dump_errors(&rep);
	assert_int_equal(rc, 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM identifier_seizure"), 2);
	import_report_free(&rep);
	fixture_close(&fx);
}

/* Other values with errors on their own columns. */
static void t_value_errors(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv = BASE ",Offender 1 name,Offender 1 sex,Offender 1 birth year,"
			       "Offender 1 nationality,Offender 1 role,Offender 1 passport,"
			       "Offender 2 phone,Flight\n"
			       "V-1,2024-03,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,x,19x0,"
			       "Atlantis,boss,N123,012 345 678,VN123\n";
	struct import_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, csv, NULL, &rep, &err), -1);
	assert_true(has_error(&rep, 2, "offender_1_sex", "\"x\""));
	assert_true(has_error(&rep, 2, "offender_1_birth_year", "four digits"));
	assert_true(has_error(&rep, 2, "offender_1_nationality", "Atlantis"));
	assert_true(has_error(&rep, 2, "offender_1_role", "suspect"));
	assert_true(has_error(&rep, 2, "offender_1_passport", "issuing country"));
	assert_true(has_error(&rep, 2, "offender_2_name", "is required"));
	/* the seizure's date is only a month: the flight needs a day */
	assert_true(has_error(&rep, 2, "flight", NULL));
	error_clear(&err);
	import_report_free(&rep);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party"), 0);
	fixture_close(&fx);
}

static void t_header(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct import_report rep;
	struct error err = ERROR_INIT;
	/* two titles for one column, and a column nobody knows */
	const char *csv = BASE ",Offender 1 phone,OFFENDER_1_TELEPHONE,Offender 1 shoe size\n"
			       "H-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,1,2,3\n";
	assert_int_equal(run_import(&fx, csv, NULL, &rep, &err), -1);
	assert_true(has_error(&rep, 1, "columns", "both give offender_1_phone"));
	assert_true(has_error(&rep, 1, "columns", "Offender 1 shoe size"));
	error_clear(&err);
	import_report_free(&rep);
	/* synonyms: suspect = offender, no number = 1 */
	const char *syn = BASE ",Suspect name,Suspect 2 Full Name,Suspect 2 Gender,Plate,"
			       "Plate country,Airway bill,consignor,consignor kind\n"
			       "H-2,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,Keo Mony,F,"
			       "51C-123.45,VN,157-12345675,Chan Sophal,person\n";
	struct error e2 = ERROR_INIT;
	int rc = run_import(&fx, syn, NULL, &rep, &e2);
	if (rc != 0)
		dump_errors(&rep);
	assert_int_equal(rc, 0);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party WHERE kind = 'person'"), 3);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party WHERE sex = 'female'"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_seizure WHERE role = 'consignor'"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM identifier WHERE key LIKE 'VN:%'"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM identifier WHERE kind = 'airway_bill'"),
			 1);
	import_report_free(&rep);
	fixture_close(&fx);
}

/* The same file twice: the second time creates nothing, and a rows-only
 * change of the file (a new phone for a known offender) adds only that. */
static void t_reimport(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	const char *csv =
		BASE ",Offender 1 name,Offender 1 phone,Offender 2 name,Container,Consignee\n"
		"I-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,012 345 678,Keo Mony,"
		"MSCU1234566,Golden Dragon\n"
		"I-2,2024-03-06,KH,Bavet,Manis javanica,SCA,6,KIL,Chan Sophal,,,,Golden Dragon\n";
	struct import_report rep;
	import_ok(&fx, csv, &rep);
	assert_int_equal(rep.parties_created, 4);
	import_report_free(&rep);
	int64_t before[6], after[6];
	register_counts(&fx, before);
	int64_t audits = count(&fx, "SELECT count(*) FROM audit");

	import_ok(&fx, csv, &rep);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(rep.parties_created, 0);
	assert_int_equal(rep.parties_reused, 4);
	assert_int_equal(rep.identifiers_created, 0);
	assert_int_equal(rep.identifiers_reused, 2);
	import_report_free(&rep);
	register_counts(&fx, after);
	assert_memory_equal(before, after, sizeof before);
	assert_int_equal(count(&fx, "SELECT count(*) FROM audit"), audits);

	/* a dry run of it says the same */
	struct import_options opt = { .dry_run = 1 };
	struct error err = ERROR_INIT;
	assert_int_equal(run_import(&fx, csv, &opt, &rep, &err), 0);
	assert_int_equal(rep.parties_created, 0);
	assert_int_equal(rep.parties_reused, 4);
	import_report_free(&rep);

	/* a new phone for Sok Dara: one identifier and one link more */
	const char *more =
		BASE ",Offender 1 name,Offender 1 phone,Offender 2 name,Container,Consignee\n"
		"I-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,012 345 678; 097 765 4321,"
		"Keo Mony,MSCU1234566,Golden Dragon\n";
	import_ok(&fx, more, &rep);
	assert_int_equal(rep.parties_created, 0);
	assert_int_equal(rep.identifiers_created, 1);
	import_report_free(&rep);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party"), before[0]);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_identifier"), before[3] + 1);
	fixture_close(&fx);
}

/* Across imports: a known phone with the same name is the same person. */
static void t_reuse_by_identifier(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct import_report rep;
	import_ok(&fx,
		  BASE ",Offender 1 name,Offender 1 phone\n"
		       "A-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL,Sok Dara,012 345 678\n",
		  &rep);
	import_report_free(&rep);
	import_ok(&fx,
		  BASE ",Offender 1 name,Offender 1 phone\n"
		       "B-1,2024-05-05,KH,Poipet,Manis javanica,SCA,1,KIL,SOK DARA,+855 12 345 678\n"
		       "B-2,2024-05-06,KH,Poipet,Manis javanica,SCA,1,KIL,Sok Dara Jr,+855 12 345 678\n",
		  &rep);
	assert_int_equal(rep.parties_reused, 1);
	assert_int_equal(rep.parties_created, 1);
	assert_int_equal(rep.identifiers_reused, 1);
	import_report_free(&rep);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party"), 2);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_seizure WHERE party_id = 1"), 2);
	fixture_close(&fx);
}

static void t_xlsx(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	char *dir = fixture_tempdir();
	char *path = xasprintf("%s/people.xlsx", dir);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	const char *head[] = { "Seizure reference", "Date of seizure", "Country", "Species",
			       "Term", "Quantity", "Unit", "Offender 1 name",
			       "Offender 1 name (Khmer)", "Offender 1 birth year", "Offender 1 phone" };
	for (int c = 0; c < 11; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
	worksheet_write_string(ws, 1, 0, "XL-1", NULL);
	worksheet_write_string(ws, 1, 1, "2024-10-05", NULL);
	worksheet_write_string(ws, 1, 2, "Cambodia", NULL);
	worksheet_write_string(ws, 1, 3, "Manis javanica", NULL);
	worksheet_write_string(ws, 1, 4, "SCA", NULL);
	worksheet_write_number(ws, 1, 5, 12.5, NULL);
	worksheet_write_string(ws, 1, 6, "KIL", NULL);
	worksheet_write_string(ws, 1, 7, "Sun Chantha", NULL);
	worksheet_write_string(ws, 1, 8, "ស៊ុន ចាន់ថា", NULL);
	worksheet_write_number(ws, 1, 9, 1980, NULL);
	worksheet_write_number(ws, 1, 10, 85512345678.0, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	struct error err = ERROR_INIT;
	struct table_reader *t = table_open(path, &err);
	assert_non_null(t);
	struct import_options opt = { .filename = "people.xlsx" };
	struct import_report rep = { 0 };
	int rc = seizure_import(fx.st, fx.ref, &fx.admin, t, &opt, &rep, &err);
	if (rc != 0)
		dump_errors(&rep);
	assert_int_equal(rc, 0);
	table_close(t);
	assert_int_equal(rep.parties_created, 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party WHERE birth_year = 1980"), 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM identifier WHERE key = '+85512345678'"),
			 1);
	assert_int_equal(count(&fx, "SELECT count(*) FROM party_seizure WHERE source = "
				    "'import people.xlsx'"),
			 1);
	import_report_free(&rep);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	fixture_close(&fx);
}

/* Files without the columns: no counts in the report. */
static void t_no_columns(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct import_report rep;
	import_ok(&fx, BASE "\nN-1,2024-03-05,KH,Bavet,Manis javanica,SCA,5,KIL\n", &rep);
	assert_int_equal(rep.party_columns, 0);
	json_t *j = import_report_to_json(&rep, NULL);
	assert_null(json_object_get(j, "parties"));
	json_decref(j);
	import_report_free(&rep);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_parties_written),
		cmocka_unit_test(t_reuse_in_file),
		cmocka_unit_test(t_bad_container),
		cmocka_unit_test(t_dry_run),
		cmocka_unit_test(t_skip_invalid),
		cmocka_unit_test(t_rows_of_one_seizure),
		cmocka_unit_test(t_value_errors),
		cmocka_unit_test(t_header),
		cmocka_unit_test(t_reimport),
		cmocka_unit_test(t_reuse_by_identifier),
		cmocka_unit_test(t_xlsx),
		cmocka_unit_test(t_no_columns),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
