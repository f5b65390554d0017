/* The server's connection pool (store/pool.h) and reads kept between
 * requests (store.h: store_read_keep): a change committed through the pool
 * is seen by the next user of every connection; a change made by another
 * process is seen once the kept read is STORE_KEEP_READ_MS old; a write on
 * a connection with a kept read starts from a fresh snapshot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/pool.h"
#include "store/store.h"

struct db {
	char dir[64];
	char path[96];
};

static void db_make(struct db *d)
{
	snprintf(d->dir, sizeof d->dir, "/tmp/kouprey-test-pool.XXXXXX");
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->path, sizeof d->path, "%s/k.db", d->dir);
	struct error err = ERROR_INIT;
	struct store *st = store_open(d->path, STORE_CREATE, &err);
	assert_non_null(st);
	assert_int_equal(store_migrate(st, &err), 0);
	assert_int_equal(store_setting_set(st, "pool_test", "1", &err), 0);
	store_close(st);
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

/* The setting as a GET would read it: in a read transaction, kept after. */
static int read_kept(struct store_pool *p)
{
	struct error err = ERROR_INIT;
	struct store *st = store_pool_acquire(p);
	assert_int_equal(store_read_begin(st, &err), 0);
	char *v = NULL;
	assert_int_equal(store_setting_get(st, "pool_test", &v, &err), 0);
	int n = atoi(v);
	free(v);
	store_read_keep(st);
	store_pool_release(p, st);
	return n;
}

static void set_through_pool(struct store_pool *p, const char *v)
{
	struct error err = ERROR_INIT;
	struct store *st = store_pool_acquire(p);
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(store_setting_set(st, "pool_test", v, &err), 0);
	assert_int_equal(store_commit(st, &err), 0);
	store_pool_release(p, st);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void test_change_through_the_pool_is_seen_at_once(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	struct error err = ERROR_INIT;
	struct store_pool *p = store_pool_open(d.path, 2, &err);
	assert_non_null(p);
	/* both connections hold a kept read of "1" */
	struct store *a = store_pool_acquire(p);
	struct store *b = store_pool_acquire(p);
	store_pool_release(p, a);
	store_pool_release(p, b);
	assert_int_equal(read_kept(p), 1);
	struct store *x = store_pool_acquire(p);
	assert_int_equal(read_kept(p), 1);
	store_pool_release(p, x);
	/* a write on a connection with a kept read works, and every
	 * connection's next user sees it, however recent its kept read */
	set_through_pool(p, "2");
	a = store_pool_acquire(p);
	b = store_pool_acquire(p);
	char *v1 = NULL, *v2 = NULL;
	assert_int_equal(store_read_begin(a, &err), 0);
	assert_int_equal(store_read_begin(b, &err), 0);
	assert_int_equal(store_setting_get(a, "pool_test", &v1, &err), 0);
	assert_int_equal(store_setting_get(b, "pool_test", &v2, &err), 0);
	assert_string_equal(v1, "2");
	assert_string_equal(v2, "2");
	free(v1);
	free(v2);
	store_read_keep(a);
	store_read_keep(b);
	store_pool_release(p, a);
	store_pool_release(p, b);
	store_pool_close(p);
	db_remove(&d);
}

static void test_change_from_elsewhere_is_seen_within_the_limit(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	struct error err = ERROR_INIT;
	struct store_pool *p = store_pool_open(d.path, 1, &err);
	assert_non_null(p);
	assert_int_equal(read_kept(p), 1);
	/* another connection (another process, as the command line) */
	struct store *o = store_open(d.path, STORE_OPEN_EXISTING, &err);
	assert_non_null(o);
	assert_int_equal(store_setting_set(o, "pool_test", "3", &err), 0);
	sleep_ms(2 * STORE_KEEP_READ_MS + 5);
	assert_int_equal(read_kept(p), 3);
	/* a read that was not kept is never reused */
	struct store *st = store_pool_acquire(p);
	store_read_end(st);
	assert_int_equal(store_read_begin(st, &err), 0);
	char *v = NULL;
	assert_int_equal(store_setting_get(st, "pool_test", &v, &err), 0);
	assert_string_equal(v, "3");
	free(v);
	store_pool_release(p, st);
	assert_int_equal(store_setting_set(o, "pool_test", "4", &err), 0);
	assert_int_equal(read_kept(p), 4);
	store_close(o);
	store_pool_close(p);
	db_remove(&d);
}

/* A full checkpoint from another connection: 0 when it copied and reset
 * the whole log, 1 when a reader held it back. */
static int checkpoint_blocked(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "INSERT INTO setting(key, value) VALUES('pool_other', '1') "
			 "ON CONFLICT(key) DO UPDATE SET value = value + 1",
		     NULL, NULL, NULL);
	int log = -1, done = -1;
	int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	sqlite3_close(db);
	assert_int_equal(rc, SQLITE_OK);
	return done != log;
}

static void test_idle_kept_reads_end(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	struct error err = ERROR_INIT;
	struct store_pool *p = store_pool_open(d.path, 1, &err);
	assert_non_null(p);
	assert_int_equal(read_kept(p), 1);
	/* the kept snapshot holds back the frames written after it */
	assert_int_equal(checkpoint_blocked(d.path), 1);
	sleep_ms(2 * STORE_KEEP_READ_MS + 5);
	store_pool_end_stale_reads(p);
	assert_int_equal(checkpoint_blocked(d.path), 0);
	store_pool_close(p);
	db_remove(&d);
}

/* A setting found missing is remembered as missing only until a commit. */
static void test_missing_setting_then_set(void **state)
{
	(void)state;
	struct db d;
	db_make(&d);
	struct error err = ERROR_INIT;
	struct store *st = store_open(d.path, STORE_OPEN_EXISTING, &err);
	struct store *o = store_open(d.path, STORE_OPEN_EXISTING, &err);
	assert_non_null(st);
	assert_non_null(o);
	char *v = NULL;
	for (int i = 0; i < 2; i++) { /* the second answer from the cache */
		assert_int_equal(store_read_begin(st, &err), 0);
		assert_int_equal(store_setting_get(st, "pool_missing", &v, &err), -1);
		assert_int_equal(err.code, ERR_NOT_FOUND);
		error_clear(&err);
		store_read_end(st);
	}
	assert_int_equal(store_setting_set(o, "pool_missing", "7", &err), 0);
	assert_int_equal(store_read_begin(st, &err), 0);
	assert_int_equal(store_setting_get(st, "pool_missing", &v, &err), 0);
	assert_string_equal(v, "7");
	free(v);
	store_read_end(st);
	store_close(o);
	store_close(st);
	db_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change_through_the_pool_is_seen_at_once),
		cmocka_unit_test(test_change_from_elsewhere_is_seen_within_the_limit),
		cmocka_unit_test(test_idle_kept_reads_end),
		cmocka_unit_test(test_missing_setting_then_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
