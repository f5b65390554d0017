/* Schema migrations: every migration is recorded in schema_migrations; a
 * migration missing from a database (numbered below ones it has, as when
 * two lines of work land out of order) is applied once; a database made
 * before the ledger gets it filled from user_version and the objects each
 * migration creates; migrating twice changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/migrations.h"
#include "store/store.h"

struct db {
	char dir[64];
	char path[96];
};

static void db_make(struct db *d)
{
	snprintf(d->dir, sizeof d->dir, "/tmp/kouprey-test-migrate.XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->path, sizeof d->path, "%s/k.db", d->dir);
}

static void db_remove(struct db *d)
{
	char p[128];
	const char *ext[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", d->path, ext[i]);
		unlink(p);
	}
	rmdir(d->dir);
}

static void migrate(const struct db *d)
{
	struct error err = ERROR_INIT;
	struct store *st = store_open(d->path, STORE_CREATE, &err);
	if (!st || store_migrate(st, &err) != 0)
		fail_msg("migrate: %s", err.message ? err.message : "?");
	store_close(st);
	error_clear(&err);
}

/* Runs sql on its own connection. */
static void raw(const struct db *d, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(d->path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

static int64_t one(const struct db *d, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(d->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static int last_version(void)
{
	return store_migrations[store_migration_count - 1].version;
}

static void test_fresh_database_records_each(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	migrate(&d);
	assert_int_equal(one(&d, "SELECT count(*) FROM schema_migrations"), store_migration_count);
	assert_int_equal(one(&d, "PRAGMA user_version"), last_version());
	assert_int_equal(one(&d, "SELECT count(*) FROM schema_migrations WHERE applied_at LIKE '20%Z'"),
			 store_migration_count);
	/* 0009: the register keeps only the indexes it reads through */
	assert_int_equal(one(&d, "SELECT count(*) FROM sqlite_master WHERE name IN ('seizure_country', "
				 "'seizure_by_country', 'seizure_item_taxon')"),
			 0);
	assert_int_equal(one(&d, "SELECT count(*) FROM sqlite_master WHERE name = 'seizure_date'"), 1);
	/* again: nothing to do, nothing changes */
	migrate(&d);
	assert_int_equal(one(&d, "SELECT count(*) FROM schema_migrations"), store_migration_count);
	db_remove(&d);
}

/* Migration 0005 (the audit view index) landed after 0006 and 0007: a
 * database that had 0007 without it gets it. */
static void test_missing_migration_is_applied(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	migrate(&d);
	raw(&d, "DROP INDEX audit_view; DELETE FROM schema_migrations WHERE version = 5");
	assert_int_equal(one(&d, "SELECT count(*) FROM sqlite_master WHERE name = 'audit_view'"), 0);
	migrate(&d);
	assert_int_equal(one(&d, "SELECT count(*) FROM sqlite_master WHERE name = 'audit_view'"), 1);
	assert_int_equal(one(&d, "SELECT count(*) FROM schema_migrations"), store_migration_count);
	assert_int_equal(one(&d, "PRAGMA user_version"), last_version());
	db_remove(&d);
}

/* A database from before the ledger: user_version only.  Migrations whose
 * objects are there count as applied; 0005, whose index is not, is run. */
static void test_database_before_the_ledger(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	migrate(&d);
	raw(&d, "DROP INDEX audit_view; DROP TABLE schema_migrations");
	migrate(&d);
	assert_int_equal(one(&d, "SELECT count(*) FROM sqlite_master WHERE name = 'audit_view'"), 1);
	assert_int_equal(one(&d, "SELECT count(*) FROM schema_migrations"), store_migration_count);
	assert_int_equal(one(&d, "SELECT count(*) FROM schema_migrations "
				 "WHERE applied_at = 'before the ledger'"),
			 store_migration_count - 1);
	assert_int_equal(one(&d, "SELECT applied_at <> 'before the ledger' FROM schema_migrations "
				 "WHERE version = 5"),
			 1);
	/* one at an older version gets the rest, in order */
	struct db o;
	db_make(&o);
	migrate(&o);
	raw(&o, "DROP TABLE schema_migrations; DROP TABLE graph_chart; PRAGMA user_version = 6");
	migrate(&o);
	assert_int_equal(one(&o, "SELECT count(*) FROM sqlite_master WHERE name = 'graph_chart'"), 1);
	assert_int_equal(one(&o, "SELECT count(*) FROM schema_migrations WHERE version = 7 AND "
				 "applied_at <> 'before the ledger'"),
			 1);
	assert_int_equal(one(&o, "PRAGMA user_version"), last_version());
	db_remove(&o);
	db_remove(&d);
}

/* 0008 moves the items into one tree keyed by (seizure_id, line) and keeps
 * every item as it was. */
static void test_items_keep_their_values(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	migrate(&d);
	raw(&d, "INSERT INTO taxon(id, full_name, rank) VALUES (10, 'Manis javanica', 'SPECIES'),"
		" (11, 'Manis', 'GENUS'), (12, 'Manis pentadactyla', 'SPECIES');"
		"INSERT INTO agency(id, name, country, kind, created_at) VALUES (1, 'Customs', 'KH',"
		" 'customs', '2026-01-01T00:00:00Z');"
		"INSERT INTO seizure(id, ref, agency_id, sharing, date, date_from, date_to, country,"
		" search_text, content_hash, created_at, updated_at) SELECT value, 'R' || value, 1,"
		" 'agency', '2026-01-02', '2026-01-02', '2026-01-02', 'KH', '', '', '2026-01-02',"
		" '2026-01-02' FROM json_each('[1, 2]');"
		"DROP TABLE seizure_item;"
		"CREATE TABLE seizure_item (id INTEGER PRIMARY KEY, seizure_id INTEGER NOT NULL,"
		" line INTEGER NOT NULL, taxon_id INTEGER NOT NULL, species_as_recorded TEXT NOT NULL,"
		" term TEXT NOT NULL, quantity REAL NOT NULL, unit TEXT NOT NULL DEFAULT '',"
		" live INTEGER, UNIQUE (seizure_id, line));"
		"INSERT INTO seizure_item(id, seizure_id, line, taxon_id, species_as_recorded, term,"
		" quantity, unit, live) VALUES (7, 2, 1, 10, 'pangolin', 'SCA', 12.5, 'KIL', 0),"
		" (3, 1, 2, 11, 'Manis', 'SKI', 3, '', NULL), (5, 1, 1, 12, 'ពង្រូល', 'LIV', 1, '', 1);"
		"DELETE FROM schema_migrations WHERE version = 8");
	migrate(&d);
	assert_int_equal(one(&d, "SELECT count(*) FROM sqlite_master WHERE name = 'seizure_item' "
				 "AND sql LIKE '%WITHOUT ROWID%'"),
			 1);
	assert_int_equal(one(&d, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
				 "'seizure_item%'"),
			 3); /* the table and its two indexes; the old table is gone */
	assert_int_equal(one(&d, "SELECT count(*) FROM seizure_item"), 3);
	assert_int_equal(one(&d, "SELECT count(*) FROM seizure_item WHERE "
				 "(seizure_id, line, taxon_id, species_as_recorded, term, quantity, unit,"
				 " coalesce(live, -1)) IN (VALUES (2, 1, 10, 'pangolin', 'SCA', 12.5, 'KIL', 0),"
				 " (1, 2, 11, 'Manis', 'SKI', 3.0, '', -1), (1, 1, 12, 'ពង្រូល', 'LIV', 1.0, '', 1))"),
			 3);
	assert_int_equal(one(&d, "SELECT count(*) FROM schema_migrations"), store_migration_count);
	db_remove(&d);
}

/* A migration that fails leaves the database as it was and names itself. */
static void test_failure_names_the_migration(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	migrate(&d);
	/* 0007 cannot run again over its own table when the ledger forgets it */
	raw(&d, "DELETE FROM schema_migrations WHERE version = 7");
	struct error err = ERROR_INIT;
	struct store *st = store_open(d.path, STORE_OPEN_EXISTING, &err);
	assert_non_null(st);
	assert_int_equal(store_migrate(st, &err), -1);
	assert_non_null(strstr(err.message, "0007"));
	store_close(st);
	error_clear(&err);
	assert_int_equal(one(&d, "SELECT count(*) FROM schema_migrations"), store_migration_count - 1);
	db_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_database_records_each),
		cmocka_unit_test(test_missing_migration_is_applied),
		cmocka_unit_test(test_database_before_the_ledger),
		cmocka_unit_test(test_items_keep_their_values),
		cmocka_unit_test(test_failure_names_the_migration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
