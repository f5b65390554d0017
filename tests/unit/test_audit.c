/*
 * test_audit.c - the hash-chained audit log (audit/audit.h): entries chain,
 * verification passes on an intact log, and edits or deletions made to the
 * database file behind the program's back (through a second SQLite
 * connection) are detected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "fixture.h"
#include "audit/audit.h"

static struct fixture fx;

static int test_setup(void **state)
{
	fixture_open(&fx);
	return 0;
}

static int test_teardown(void **state)
{
	fixture_close(&fx);
	return 0;
}

static void append(const struct actor *who, const char *action, int64_t id, const char *detail)
{
	struct error err = ERROR_INIT;
	if (audit_append(fx.st, who, action, "seizure", id, detail, &err) != 0)
		fail_msg("audit_append: %s", err.message);
}

/* Four entries: ids 1..4. */
static void append_four(void)
{
	append(&fx.officer, "create", 1, "{\"ref\":\"KP-1\"}");
	append(&fx.analyst, "view", 1, NULL);
	append(&fx.officer, "update", 1, "{\"ref\":\"KP-1\",\"version\":2}");
	append(NULL, "delete", 1, "{}");
}

/* Runs SQL on the database file through a connection of its own. */
static void tamper(const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx.path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	assert_true(sqlite3_changes(db) >= 1);
	sqlite3_close(db);
}

static int64_t verify_ok(void)
{
	struct audit_report rep;
	struct error err = ERROR_INIT;
	if (audit_verify(fx.st, &rep, &err) != 0)
		fail_msg("audit_verify: %s", err.message);
	assert_int_equal(rep.first_bad_id, 0);
	assert_false(error_is_set(&err));
	return rep.entries;
}

/* Verifies expecting failure at bad_id with a problem containing want. */
static void verify_fails(int64_t bad_id, const char *want)
{
	struct audit_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(audit_verify(fx.st, &rep, &err), -1);
	assert_int_equal(err.code, ERR_DB);
	assert_non_null(strstr(err.message, "audit log broken: "));
	if (rep.first_bad_id != bad_id || !strstr(rep.problem, want))
		fail_msg("first_bad_id %lld (%s), want %lld (%s)", (long long)rep.first_bad_id,
			 rep.problem, (long long)bad_id, want);
	assert_non_null(strstr(err.message, rep.problem));
	error_clear(&err);
}

/* ---- chaining -------------------------------------------------------------------- */

struct collected {
	int n;
	struct audit_rec r[16];
	char *strings[16][6];
};

static int collect(void *ctx, const struct audit_rec *r)
{
	struct collected *c = ctx;
	if (c->n == 16)
		return 1;
	c->r[c->n] = *r;
	const char *s[6] = { r->at, r->action, r->entity, r->detail, r->prev_hash, r->hash };
	for (int i = 0; i < 6; i++)
		c->strings[c->n][i] = s[i] ? xstrdup(s[i]) : NULL;
	c->n++;
	return 0;
}

static void collected_free(struct collected *c)
{
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < 6; k++)
			free(c->strings[i][k]);
}

static void test_empty_log_verifies(void **state)
{
	assert_int_equal(verify_ok(), 0);
}

static void test_append_chains(void **state)
{
	append_four();
	struct collected c = { 0 };
	struct error err = ERROR_INIT;
	assert_int_equal(store_audit_each(fx.st, NULL, 0, collect, &c, &err), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.strings[0][4], ""); /* the first entry follows nothing */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(c.r[i].id, i + 1);
		assert_int_equal(strlen(c.strings[i][5]), 64);
		if (i)
			assert_string_equal(c.strings[i][4], c.strings[i - 1][5]);
	}
	assert_int_equal(c.r[0].user_id, fx.officer.user_id);
	assert_int_equal(c.r[1].user_id, fx.analyst.user_id);
	assert_int_equal(c.r[3].user_id, 0); /* the system */
	assert_string_equal(c.strings[0][1], "create");
	assert_string_equal(c.strings[0][2], "seizure");
	assert_string_equal(c.strings[1][3], "{}"); /* NULL detail */
	assert_string_equal(c.strings[2][3], "{\"ref\":\"KP-1\",\"version\":2}");
	/* the head setting holds the newest hash */
	char *head = NULL;
	assert_int_equal(store_setting_get(fx.st, "audit_head", &head, &err), 0);
	assert_string_equal(head, c.strings[3][5]);
	free(head);
	/* entries of one entity */
	struct collected one = { 0 };
	append(&fx.officer, "create", 2, NULL);
	assert_int_equal(store_audit_each(fx.st, "seizure", 2, collect, &one, &err), 0);
	assert_int_equal(one.n, 1);
	assert_int_equal(one.r[0].id, 5);
	assert_string_equal(one.strings[0][4], c.strings[3][5]);
	collected_free(&one);
	collected_free(&c);
	assert_int_equal(verify_ok(), 5);
}

static void test_append_in_transactions(void **state)
{
	struct error err = ERROR_INIT;
	append(&fx.admin, "create", 1, NULL);
	/* two entries in one transaction chain to each other */
	assert_int_equal(store_begin(fx.st, &err), 0);
	append(&fx.admin, "update", 1, NULL);
	append(&fx.admin, "update", 1, "{\"n\":2}");
	assert_int_equal(store_commit(fx.st, &err), 0);
	assert_int_equal(verify_ok(), 3);
	/* a rolled back transaction leaves the log and its head as they were */
	assert_int_equal(store_begin(fx.st, &err), 0);
	append(&fx.admin, "delete", 1, NULL);
	store_rollback(fx.st);
	assert_int_equal(verify_ok(), 3);
	append(&fx.admin, "view", 1, NULL);
	assert_int_equal(verify_ok(), 4);
}

/* ---- tampering ------------------------------------------------------------------- */

static void test_tamper_detail(void **state)
{
	append_four();
	assert_int_equal(verify_ok(), 4);
	tamper("UPDATE audit SET detail = '{\"ref\":\"KP-9\"}' WHERE id = 2");
	verify_fails(2, "entry 2 was changed after it was written");
}

static void test_tamper_other_columns(void **state)
{
	static const char *const sql[] = {
		"UPDATE audit SET action = 'view' WHERE id = 3",
		"UPDATE audit SET at = '2020-01-01T00:00:00.000Z' WHERE id = 3",
		"UPDATE audit SET user_id = 1 WHERE id = 3",
		"UPDATE audit SET entity_id = 77 WHERE id = 3",
		"UPDATE audit SET entity = 'user' WHERE id = 3",
		"UPDATE audit SET hash = '00' || substr(hash, 3) WHERE id = 3",
	};
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
		fixture_close(&fx);
		fixture_open(&fx);
		append_four();
		tamper(sql[i]);
		struct audit_report rep;
		struct error err = ERROR_INIT;
		if (audit_verify(fx.st, &rep, &err) != -1)
			fail_msg("not detected: %s", sql[i]);
		/* a changed hash shows at entry 3 or, for its own hash, at 4 */
		assert_true(rep.first_bad_id == 3 || rep.first_bad_id == 4);
		error_clear(&err);
	}
}

static void test_tamper_delete_middle(void **state)
{
	append_four();
	tamper("DELETE FROM audit WHERE id = 2");
	verify_fails(3, "entry 3 does not follow the one before it");
}

static void test_tamper_delete_first(void **state)
{
	append_four();
	tamper("DELETE FROM audit WHERE id = 1");
	verify_fails(2, "entry 2 does not follow");
}

static void test_tamper_delete_last(void **state)
{
	append_four();
	tamper("DELETE FROM audit WHERE id = 4");
	verify_fails(-1, "the newest entries were removed");
}

static void test_tamper_delete_all(void **state)
{
	append_four();
	tamper("DELETE FROM audit");
	verify_fails(-1, "the newest entries were removed");
}

static void test_tamper_head_missing(void **state)
{
	append_four();
	tamper("DELETE FROM setting WHERE key = 'audit_head'");
	struct audit_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(audit_verify(fx.st, &rep, &err), -1);
	assert_non_null(strstr(rep.problem, "the record of the newest entry is missing"));
	error_clear(&err);
}

/* The hash audit.c computes: BLAKE2b-256 over the NUL-terminated parts. */
static void recompute_hash(sqlite3 *db, int64_t id)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT prev_hash, at, ifnull(user_id, 0), action, entity, "
					    "ifnull(entity_id, 0), detail FROM audit WHERE id = ?",
					    -1, &q, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(q, 1, id);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	crypto_generichash_state h;
	unsigned char d[32];
	char hex[65];
	crypto_generichash_init(&h, NULL, 0, sizeof d);
	for (int c = 0; c < 7; c++) {
		const char *s = (const char *)sqlite3_column_text(q, c);
		crypto_generichash_update(&h, (const unsigned char *)s, strlen(s) + 1);
	}
	crypto_generichash_final(&h, d, sizeof d);
	sqlite3_finalize(q);
	sodium_bin2hex(hex, sizeof hex, d, sizeof d);
	char *sql = sqlite3_mprintf("UPDATE audit SET hash = %Q WHERE id = %lld", hex, (long long)id);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
}

static void test_tamper_with_recomputed_hash(void **state)
{
	append_four();
	/* The attacker edits entry 2 and gives it a matching hash: entry 2 now
	 * checks out on its own, but entry 3 no longer follows it. */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE audit SET detail = '{\"ref\":\"KP-9\"}' WHERE id = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	recompute_hash(db, 2);
	sqlite3_close(db);
	verify_fails(3, "entry 3 does not follow the one before it");
}

static void test_recompute_matches_program(void **state)
{
	/* The helper above computes what the program computes: recomputing an
	 * untouched entry leaves the log intact (so the test above is a real
	 * recomputation, not a broken hash). */
	append_four();
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx.path, &db), SQLITE_OK);
	recompute_hash(db, 2);
	recompute_hash(db, 4);
	sqlite3_close(db);
	assert_int_equal(verify_ok(), 4);
}

/* Entries cut off the end stay detectable after the program writes again. */
static void test_tamper_delete_last_then_append(void **state)
{
	append_four();
	tamper("DELETE FROM audit WHERE id = 4");
	append(&fx.officer, "view", 1, NULL);
	struct audit_report rep;
	struct error err = ERROR_INIT;
	assert_int_equal(audit_verify(fx.st, &rep, &err), -1);
	error_clear(&err);
}

/* ---- a record's history: changes and views (migration 0005) ------------------------------- */

struct history {
	int64_t ids[16];
	char actions[16][16];
	int n;
};

static int history_row(void *ctx, const struct audit_rec *r)
{
	struct history *h = ctx;
	if (h->n < 16) {
		h->ids[h->n] = r->id;
		snprintf(h->actions[h->n], sizeof h->actions[h->n], "%s", r->action);
	}
	h->n++;
	return 0;
}

/* The newest audit id committed (through a connection of its own). */
static int64_t committed_max_id(void)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(fx.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT coalesce(max(id), 0) FROM audit", -1, &q,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return id;
}

/* Ids follow one another (nothing is deleted here): the newest appended. */
static int64_t next_id;
#define last_id() (next_id)
#define APPEND(...) (append(__VA_ARGS__), next_id++)

/* Views are indexed apart from the changes, by block of audit ids; the
 * history still lists both, in order, across several blocks. */
static void test_history_lists_views_across_blocks(void **state)
{
	struct error err = ERROR_INIT;
	int64_t want[8];
	const char *want_action[8] = { "create", "view", "view", "update", "view", "view",
				       "delete", "view" };
	int k = 0;
	next_id = committed_max_id();
	assert_int_equal(store_begin(fx.st, &err), 0);
	APPEND(&fx.officer, "create", 7, NULL);
	want[k++] = last_id();
	for (int i = 0; i < 40000; i++) {
		/* other records' views and changes fill the blocks */
		APPEND(&fx.analyst, i % 50 ? "view" : "update", 1000 + i % 977, NULL);
		if (i == 3 || i == 9000 || i == 17000 || i == 33000 || i == 39999) {
			APPEND(&fx.viewer, "view", 7, NULL);
			want[k++] = last_id();
		}
		if (i == 16000 || i == 35000) {
			APPEND(&fx.officer, i == 16000 ? "update" : "delete", 7, NULL);
			want[k++] = last_id();
		}
	}
	assert_int_equal(store_commit(fx.st, &err), 0);
	assert_int_equal(k, 8);
	assert_int_equal(committed_max_id(), next_id);
	assert_true(next_id >> 14 >= 2); /* three blocks at least */
	/* another entity with the same id is not listed */
	assert_int_equal(audit_append(fx.st, &fx.admin, "view", "user", 7, NULL, &err), 0);
	struct history h = { 0 };
	assert_int_equal(store_audit_each(fx.st, "seizure", 7, history_row, &h, &err), 0);
	assert_int_equal(h.n, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(h.ids[i], want[i]);
		assert_string_equal(h.actions[i], want_action[i]);
	}
	/* a record with no entry has an empty history */
	struct history none = { 0 };
	assert_int_equal(store_audit_each(fx.st, "seizure", 999999, history_row, &none, &err), 0);
	assert_int_equal(none.n, 0);
	/* the chain holds over all of it */
	struct audit_report rep;
	assert_int_equal(audit_verify(fx.st, &rep, &err), 0);
	assert_true(rep.entries >= 40009);
}

/* A view goes into the views' index only, a change into the entity index
 * only: one index entry per entry. */
static void test_view_index_layout(void **state)
{
	append_four();
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx.path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "EXPLAIN QUERY PLAN SELECT id FROM audit WHERE "
					    "(id >> 14) = 0 AND entity = 'seizure' AND entity_id = 1 "
					    "AND action = 'view'",
					    -1, &q, NULL),
			 SQLITE_OK);
	int uses_view_index = 0;
	while (sqlite3_step(q) == SQLITE_ROW)
		if (strstr((const char *)sqlite3_column_text(q, 3), "audit_view"))
			uses_view_index = 1;
	sqlite3_finalize(q);
	assert_true(uses_view_index);
	/* count index entries through each (partial) index */
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT (SELECT count(*) FROM audit INDEXED BY audit_view "
					    "WHERE action = 'view' AND (id >> 14) = 0), "
					    "(SELECT count(*) FROM audit INDEXED BY audit_entity "
					    "WHERE action <> 'view' AND entity = 'seizure')",
					    -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	assert_int_equal(sqlite3_column_int(q, 1), 3);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty_log_verifies),
		T(test_tamper_delete_last_then_append),
		T(test_append_chains),
		T(test_append_in_transactions),
		T(test_tamper_detail),
		T(test_tamper_other_columns),
		T(test_tamper_delete_middle),
		T(test_tamper_delete_first),
		T(test_tamper_delete_last),
		T(test_tamper_delete_all),
		T(test_tamper_head_missing),
		T(test_tamper_with_recomputed_hash),
		T(test_recompute_matches_program),
		T(test_history_lists_views_across_blocks),
		T(test_view_index_layout),
	};
#undef T
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
