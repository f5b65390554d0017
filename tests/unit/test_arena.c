/* The region allocator (src/lib/arena.h): allocation, reset and reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/arena.h"

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_alloc_zeroed_and_aligned(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (size_t n = 1; n < 3000; n += 97) {
		unsigned char *p = arena_alloc(&a, n);
		assert_true(all_zero(p, n));
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		memset(p, 0xab, n);
	}
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_sprintf(&a, "%d-%s", 42, "x"), "42-x");
	arena_free(&a);
	assert_null(a.chunks);
}

static void test_reset_reuses_a_small_block(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	unsigned char *first = arena_alloc(&a, 100);
	memset(first, 0xcd, 100);
	arena_reset(&a);
	assert_non_null(a.chunks);
	/* the same block again, and zeroed although it was written before */
	unsigned char *again = arena_alloc(&a, 100);
	assert_ptr_equal(again, first);
	assert_true(all_zero(again, 100));
	/* many resets do not grow the arena */
	for (int round = 0; round < 1000; round++) {
		char *s = arena_sprintf(&a, "request %d", round);
		assert_string_equal(s, arena_sprintf(&a, "request %d", round));
		arena_reset(&a);
	}
	assert_non_null(a.chunks);
	assert_ptr_equal(arena_alloc(&a, 8), first);
	arena_free(&a);
	assert_null(a.chunks);
}

static void test_reset_keeps_only_the_newest_block(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	/* three blocks: 8k, 16k, 32k */
	for (int i = 0; i < 7; i++)
		memset(arena_alloc(&a, 7000), 1, 7000);
	assert_non_null(a.chunks);
	arena_reset(&a);
	assert_non_null(a.chunks);
	/* everything fits in the kept block until it is full */
	unsigned char *p = arena_alloc(&a, 20000);
	assert_true(all_zero(p, 20000));
	/* arrays grown in a reset arena keep their elements */
	int *arr = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < 5000; i++) {
		arr = arena_grow(&a, arr, i, &cap, sizeof *arr);
		arr[i] = (int)i;
	}
	for (size_t i = 0; i < 5000; i++)
		assert_int_equal(arr[i], (int)i);
	arena_free(&a);
}

static void test_reset_drops_a_large_block(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	arena_alloc(&a, ARENA_KEEP_MAX + 1);
	arena_reset(&a);
	assert_null(a.chunks);
	/* still usable after it */
	assert_string_equal(arena_strdup(&a, "after"), "after");
	arena_reset(&a);
	arena_reset(&a);
	arena_free(&a);
	assert_null(a.chunks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_zeroed_and_aligned),
		cmocka_unit_test(test_reset_reuses_a_small_block),
		cmocka_unit_test(test_reset_keeps_only_the_newest_block),
		cmocka_unit_test(test_reset_drops_a_large_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
