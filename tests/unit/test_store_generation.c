/* The generations read by every request (the register's, the accounts'):
 * reused while nothing was committed, and never stale after a commit by this
 * connection or another (src/store: store_seizure_generation,
 * store_setting_get). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "store/store.h"

static int64_t gen_of(struct store *st)
{
	struct error err = ERROR_INIT;
	int64_t gen = -1;
	assert_int_equal(store_seizure_generation(st, &gen, &err), 0);
	return gen;
}

static char *setting_of(struct store *st, const char *key)
{
	struct error err = ERROR_INIT;
	char *v = NULL;
	assert_int_equal(store_setting_get(st, key, &v, &err), 0);
	return v;
}

/* As a request reads: one read transaction around the reads. */
static int64_t read_gen(struct store *st)
{
	struct error err = ERROR_INIT;
	assert_int_equal(store_read_begin(st, &err), 0);
	int64_t first = gen_of(st), again = gen_of(st);
	assert_int_equal(first, again);
	store_read_end(st);
	return first;
}

static void set_value(struct store *st, const char *key, const char *value)
{
	struct error err = ERROR_INIT;
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(store_setting_set(st, key, value, &err), 0);
	assert_int_equal(store_commit(st, &err), 0);
}

static void test_generation_follows_other_connections(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct error err = ERROR_INIT;
	struct store *other = store_open(fx.path, STORE_OPEN_EXISTING, &err);
	assert_non_null(other);
	set_value(other, "seizure_generation", "7");
	assert_int_equal(read_gen(fx.st), 7);
	assert_int_equal(read_gen(fx.st), 7);
	/* another connection commits: the next read sees it */
	set_value(other, "seizure_generation", "8");
	assert_int_equal(read_gen(fx.st), 8);
	/* a commit of something else does not matter to the value */
	set_value(other, "unrelated", "x");
	assert_int_equal(read_gen(fx.st), 8);
	/* this connection commits: its next read sees it too */
	set_value(fx.st, "seizure_generation", "9");
	assert_int_equal(read_gen(fx.st), 9);
	/* inside a write transaction, its own uncommitted change is seen */
	assert_int_equal(store_begin(fx.st, &err), 0);
	assert_int_equal(gen_of(fx.st), 9);
	assert_int_equal(store_setting_set(fx.st, "seizure_generation", "10", &err), 0);
	assert_int_equal(gen_of(fx.st), 10);
	store_rollback(fx.st);
	assert_int_equal(read_gen(fx.st), 9);
	/* without a transaction (each read its own) */
	set_value(other, "seizure_generation", "11");
	assert_int_equal(gen_of(fx.st), 11);
	set_value(other, "seizure_generation", "12");
	assert_int_equal(gen_of(fx.st), 12);
	/* a read transaction that started before a commit keeps its snapshot */
	assert_int_equal(store_read_begin(fx.st, &err), 0);
	assert_int_equal(gen_of(fx.st), 12);
	set_value(other, "seizure_generation", "13");
	assert_int_equal(gen_of(fx.st), 12);
	store_read_end(fx.st);
	assert_int_equal(read_gen(fx.st), 13);
	store_close(other);
	fixture_close(&fx);
}

static void test_setting_follows_other_connections(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct error err = ERROR_INIT;
	struct store *other = store_open(fx.path, STORE_OPEN_EXISTING, &err);
	assert_non_null(other);
	set_value(other, "auth_generation", "3");
	set_value(other, "other_key", "abc");
	for (int round = 4; round < 8; round++) {
		assert_int_equal(store_read_begin(fx.st, &err), 0);
		char *a = setting_of(fx.st, "auth_generation");
		char *b = setting_of(fx.st, "auth_generation");
		char *c = setting_of(fx.st, "other_key");
		char *d = setting_of(fx.st, "auth_generation");
		assert_int_equal(atoi(a), round - 1);
		assert_string_equal(a, b);
		assert_string_equal(c, "abc");
		assert_string_equal(a, d);
		free(a);
		free(b);
		free(c);
		free(d);
		store_read_end(fx.st);
		char v[16];
		snprintf(v, sizeof v, "%d", round);
		/* alternately from the other connection and from this one */
		set_value(round % 2 ? other : fx.st, "auth_generation", v);
	}
	/* a missing setting is still not found */
	assert_int_equal(store_read_begin(fx.st, &err), 0);
	char *v = NULL;
	assert_int_equal(store_setting_get(fx.st, "no_such_setting", &v, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	store_read_end(fx.st);
	store_close(other);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generation_follows_other_connections),
		cmocka_unit_test(test_setting_follows_other_connections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
