/*
 * test_lib.c - the small general pieces of src/lib: dynbuf (capped buffer),
 * arena (region allocator), strmap (string hash map), error, clock, numtext,
 * sha256, relay.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/dynbuf.h"
#include "lib/error.h"
#include "lib/numtext.h"
#include "lib/relay.h"
#include "lib/sha256.h"
#include "lib/strmap.h"
#include "lib/xalloc.h"

/* ---- dynbuf ------------------------------------------------------------ */

static void test_dynbuf_empty(void **state)
{
	struct dynbuf b = DYNBUF_INIT(100);
	assert_null(b.buf);
	assert_string_equal(dynbuf_str(&b), "");
	char *s = dynbuf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	dynbuf_free(&b);
}

static void test_dynbuf_append(void **state)
{
	struct dynbuf b;
	dynbuf_init(&b, 1000);
	assert_int_equal(dynbuf_adds(&b, "abc"), 0);
	assert_int_equal(dynbuf_addc(&b, '-'), 0);
	assert_int_equal(dynbuf_add(&b, "xyz123", 3), 0);
	assert_int_equal(dynbuf_addf(&b, "[%d|%s]", 42, "k"), 0);
	assert_string_equal(dynbuf_str(&b), "abc-xyz[42|k]");
	assert_int_equal(b.len, 13);
	/* An empty append is fine and changes nothing. */
	assert_int_equal(dynbuf_add(&b, "", 0), 0);
	assert_int_equal(b.len, 13);
	/* reset empties but keeps the allocation */
	char *before = b.buf;
	size_t cap = b.cap;
	dynbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(dynbuf_str(&b), "");
	assert_ptr_equal(b.buf, before);
	assert_int_equal(b.cap, cap);
	assert_int_equal(dynbuf_adds(&b, "again"), 0);
	char *s = dynbuf_take(&b);
	assert_string_equal(s, "again");
	assert_null(b.buf);
	assert_int_equal(b.len, 0);
	free(s);
	dynbuf_free(&b);
}

static void test_dynbuf_extend(void **state)
{
	struct dynbuf b = DYNBUF_INIT(10);
	assert_int_equal(dynbuf_adds(&b, "ab"), 0);
	char *p = dynbuf_extend(&b, 3);
	assert_non_null(p);
	memcpy(p, "xyz", 3);
	assert_int_equal(b.len, 5);
	assert_string_equal(dynbuf_str(&b), "abxyz"); /* still NUL-terminated */
	p = dynbuf_extend(&b, 5);                     /* up to the cap exactly */
	assert_non_null(p);
	memset(p, '.', 5);
	assert_string_equal(dynbuf_str(&b), "abxyz.....");
	assert_null(dynbuf_extend(&b, 1)); /* past it: freed, as dynbuf_add */
	assert_null(b.buf);
	assert_int_equal(b.len, 0);
	dynbuf_free(&b);
}

static void test_dynbuf_cap_exact(void **state)
{
	/* Reaching the cap exactly is allowed; one byte more is not. */
	struct dynbuf b = DYNBUF_INIT(10);
	assert_int_equal(dynbuf_adds(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10);
	assert_string_equal(dynbuf_str(&b), "0123456789");
	assert_true(b.cap <= 11);
	assert_int_equal(dynbuf_addc(&b, 'x'), -1);
	/* The failed append freed the buffer. */
	assert_null(b.buf);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_string_equal(dynbuf_str(&b), "");
	/* It is usable again afterwards, with the same cap. */
	assert_int_equal(dynbuf_adds(&b, "abc"), 0);
	assert_string_equal(dynbuf_str(&b), "abc");
	dynbuf_free(&b);
}

static void test_dynbuf_cap_single_large_append(void **state)
{
	struct dynbuf b = DYNBUF_INIT(8);
	assert_int_equal(dynbuf_adds(&b, "ab"), 0);
	assert_int_equal(dynbuf_adds(&b, "cdefghi"), -1); /* 2 + 7 = 9 > 8 */
	assert_null(b.buf);
	assert_int_equal(b.len, 0);
	/* A length near SIZE_MAX must not wrap around the check. */
	assert_int_equal(dynbuf_adds(&b, "a"), 0);
	assert_int_equal(dynbuf_add(&b, "", SIZE_MAX), -1);
	assert_null(b.buf);
	dynbuf_free(&b);
}

static void test_dynbuf_addf_long(void **state)
{
	/* Longer than the 256-byte stack buffer of dynbuf_vaddf. */
	char *big = xmalloc(5001);
	for (int i = 0; i < 5000; i++)
		big[i] = (char)('a' + i % 26);
	big[5000] = '\0';
	struct dynbuf b = DYNBUF_INIT(1 << 20);
	assert_int_equal(dynbuf_adds(&b, "<"), 0);
	assert_int_equal(dynbuf_addf(&b, "%s|%d>", big, 7), 0);
	assert_int_equal(b.len, 1 + 5000 + 3);
	assert_int_equal(memcmp(dynbuf_str(&b) + 1, big, 5000), 0);
	assert_string_equal(dynbuf_str(&b) + 5001, "|7>");
	/* Exactly 255 and 256 characters: both sides of the stack buffer. */
	dynbuf_reset(&b);
	assert_int_equal(dynbuf_addf(&b, "%.*s", 255, big), 0);
	assert_int_equal(b.len, 255);
	assert_int_equal(dynbuf_addf(&b, "%.*s", 256, big), 0);
	assert_int_equal(b.len, 511);
	assert_int_equal(memcmp(dynbuf_str(&b) + 255, big, 256), 0);
	dynbuf_free(&b);

	/* A long formatted append past the cap fails and frees. */
	struct dynbuf small = DYNBUF_INIT(1000);
	assert_int_equal(dynbuf_adds(&small, "x"), 0);
	assert_int_equal(dynbuf_addf(&small, "%s", big), -1);
	assert_null(small.buf);
	assert_int_equal(small.len, 0);
	dynbuf_free(&small);
	free(big);
}

static void test_dynbuf_growth_many(void **state)
{
	struct dynbuf b = DYNBUF_INIT(1 << 20);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(dynbuf_addc(&b, (char)('0' + i % 10)), 0);
	assert_int_equal(b.len, 10000);
	assert_true(b.cap >= 10001);
	const char *s = dynbuf_str(&b);
	assert_int_equal(strlen(s), 10000);
	for (int i = 0; i < 10000; i += 997)
		assert_int_equal(s[i], '0' + i % 10);
	dynbuf_free(&b);
}

/* ---- arena ------------------------------------------------------------- */

static void test_arena_alignment_and_zero(void **state)
{
	struct arena a;
	arena_init(&a);
	size_t sizes[] = { 1, 3, 7, 8, 13, 16, 17, 31, 100, 1 };
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		unsigned char *p = arena_alloc(&a, sizes[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, sizes[i]);
	}
	/* A long double and a uint64_t can be stored at any returned address. */
	long double *ld = arena_alloc(&a, sizeof *ld);
	*ld = 1.5L;
	uint64_t *u = arena_alloc(&a, sizeof *u);
	*u = UINT64_MAX;
	assert_true(*ld == 1.5L);
	assert_true(*u == UINT64_MAX);
	arena_free(&a);
}

static void test_arena_many_distinct(void **state)
{
	struct arena a;
	arena_init(&a);
	enum { N = 5000 };
	int **ptrs = xcalloc(N, sizeof *ptrs);
	/* Enough to span several chunks. */
	for (int i = 0; i < N; i++) {
		ptrs[i] = arena_alloc(&a, 40);
		ptrs[i][0] = i;
		ptrs[i][9] = -i;
	}
	for (int i = 0; i < N; i++) {
		assert_int_equal(ptrs[i][0], i);
		assert_int_equal(ptrs[i][9], -i);
	}
	free(ptrs);
	arena_free(&a);
	/* arena_free leaves an arena that can be used again. */
	char *s = arena_strdup(&a, "after free");
	assert_string_equal(s, "after free");
	arena_free(&a);
}

static void test_arena_large(void **state)
{
	struct arena a;
	arena_init(&a);
	char *small = arena_strdup(&a, "before");
	/* Larger than any chunk size (which grows up to 1 MiB). */
	size_t big = 3u << 20;
	unsigned char *p = arena_alloc(&a, big);
	assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[big - 1], 0);
	memset(p, 0x5a, big);
	char *after = arena_strdup(&a, "after");
	assert_string_equal(small, "before");
	assert_string_equal(after, "after");
	assert_int_equal(p[big - 1], 0x5a);
	/* Zero bytes is a valid request. */
	void *z = arena_alloc(&a, 0);
	assert_non_null(z);
	arena_free(&a);
}

static void test_arena_strings(void **state)
{
	struct arena a;
	arena_init(&a);
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_strndup(&a, "ab", 10), "ab");
	assert_string_equal(arena_strdup(&a, ""), "");
	assert_string_equal(arena_strdup(&a, "ពង្រូល"), "ពង្រូល");
	assert_string_equal(arena_sprintf(&a, "%s-%04d-%lld", "KP", 7, (long long)-3), "KP-0007--3");
	char longs[3000];
	memset(longs, 'q', sizeof longs - 1);
	longs[sizeof longs - 1] = '\0';
	char *p = arena_sprintf(&a, "<%s>", longs);
	assert_int_equal(strlen(p), sizeof longs + 1);
	assert_int_equal(p[0], '<');
	assert_int_equal(p[sizeof longs], '>');
	arena_free(&a);
}

/* ---- strmap ------------------------------------------------------------ */

static void test_strmap_basic(void **state)
{
	struct strmap m;
	strmap_init(&m);
	int64_t v = 99;
	assert_int_equal(strmap_get(&m, "missing", &v), 0);
	assert_int_equal(v, 99); /* untouched when absent */
	char key[16] = "alpha";
	const char *stored = strmap_put(&m, key, 1);
	assert_string_equal(stored, "alpha");
	assert_ptr_not_equal(stored, key); /* the map keeps its own copy */
	strcpy(key, "beta");
	assert_int_equal(strmap_get(&m, "alpha", &v), 1);
	assert_int_equal(v, 1);
	assert_int_equal(strmap_get(&m, "beta", &v), 0);
	strmap_put(&m, "beta", -5);
	strmap_put(&m, "", 7); /* the empty key is a key like any other */
	assert_int_equal(m.n, 3);
	/* replacing keeps the count and the stored key */
	const char *again = strmap_put(&m, "alpha", 1000000000000LL);
	assert_ptr_equal(again, stored);
	assert_int_equal(m.n, 3);
	assert_int_equal(strmap_get(&m, "alpha", &v), 1);
	assert_int_equal(v, 1000000000000LL);
	assert_int_equal(strmap_get(&m, "beta", &v), 1);
	assert_int_equal(v, -5);
	assert_int_equal(strmap_get(&m, "", &v), 1);
	assert_int_equal(v, 7);
	/* keys differ by case and by bytes */
	assert_int_equal(strmap_get(&m, "Alpha", &v), 0);
	assert_int_equal(strmap_get(&m, "alph", &v), 0);
	strmap_free(&m);
	/* get on a freed map answers "absent" */
	assert_int_equal(strmap_get(&m, "alpha", &v), 0);
}

static void test_strmap_grow_10000(void **state)
{
	struct strmap m;
	strmap_init(&m);
	size_t cap0 = m.cap;
	char key[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		strmap_put(&m, key, i * 3);
	}
	assert_int_equal(m.n, 10000);
	assert_true(m.cap > cap0);
	assert_int_equal(m.cap & (m.cap - 1), 0);      /* power of two */
	assert_true(m.n * 4 <= m.cap * 3);              /* load factor kept */
	int64_t v;
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		assert_int_equal(strmap_get(&m, key, &v), 1);
		assert_int_equal(v, i * 3);
	}
	assert_int_equal(strmap_get(&m, "key-10000", &v), 0);
	assert_int_equal(strmap_get(&m, "key-", &v), 0);
	/* replace every other one after growth */
	for (int i = 0; i < 10000; i += 2) {
		snprintf(key, sizeof key, "key-%d", i);
		strmap_put(&m, key, -i);
	}
	assert_int_equal(m.n, 10000);
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		assert_int_equal(strmap_get(&m, key, &v), 1);
		assert_int_equal(v, i % 2 ? i * 3 : -i);
	}
	strmap_free(&m);
}

static void test_strmap_hash(void **state)
{
	/* deterministic, never 0 (0 could not mark an empty slot) */
	assert_true(strmap_hash("", 0) != 0);
	assert_true(strmap_hash("key-1", 5) == strmap_hash("key-1", 5));
	assert_true(strmap_hash("key-1", 5) != strmap_hash("key-2", 5));
	/* only n bytes count */
	assert_true(strmap_hash("abc", 2) == strmap_hash("abx", 2));
	assert_true(strmap_hash("abc", 3) != strmap_hash("abx", 3));
}

/* ---- error ------------------------------------------------------------- */

static void test_error_set_and_clear(void **state)
{
	struct error e = ERROR_INIT;
	assert_false(error_is_set(&e));
	assert_int_equal(error_set(&e, ERR_NOT_FOUND, "seizure %d not found", 12), -1);
	assert_true(error_is_set(&e));
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_string_equal(e.message, "seizure 12 not found");
	/* a second set replaces code and message */
	error_set(&e, ERR_CONFLICT, "changed");
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.message, "changed");
	error_clear(&e);
	assert_false(error_is_set(&e));
	assert_null(e.message);
	assert_int_equal(e.nfields, 0);
	assert_null(e.fields);
	/* cleared twice is harmless */
	error_clear(&e);
}

static void test_error_field(void **state)
{
	struct error e = ERROR_INIT;
	assert_int_equal(error_field(&e, "date", "\"%s\" is not a date", "2025-13-01"), -1);
	assert_int_equal(e.code, ERR_VALIDATION);
	assert_string_equal(e.message, "Some fields are not valid.");
	assert_int_equal(e.nfields, 1);
	assert_string_equal(e.fields[0].field, "date");
	assert_string_equal(e.fields[0].message, "\"2025-13-01\" is not a date");
	for (int i = 0; i < 9; i++)
		error_field(&e, "items[0].unit", "bad %d", i);
	assert_int_equal(e.nfields, 10);
	assert_string_equal(e.fields[9].message, "bad 8");
	error_clear(&e);

	/* A field added to an error that already has a code keeps that code. */
	error_set(&e, ERR_CONFLICT, "duplicate");
	error_field(&e, "ref", "exists already");
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_string_equal(e.message, "duplicate");
	assert_int_equal(e.nfields, 1);
	error_clear(&e);
}

static void test_error_merge_fields(void **state)
{
	struct error dst = ERROR_INIT, src = ERROR_INIT;
	error_field(&dst, "date", "is required");
	error_field(&src, "unit", "bad unit");
	error_field(&src, "quantity", "must be > 0");
	error_merge_fields(&dst, &src, "items[2].");
	assert_int_equal(dst.nfields, 3);
	assert_string_equal(dst.fields[1].field, "items[2].unit");
	assert_string_equal(dst.fields[1].message, "bad unit");
	assert_string_equal(dst.fields[2].field, "items[2].quantity");
	assert_string_equal(dst.fields[2].message, "must be > 0");
	assert_int_equal(dst.code, ERR_VALIDATION);
	/* src is left empty */
	assert_false(error_is_set(&src));
	assert_int_equal(src.nfields, 0);
	assert_null(src.message);
	error_clear(&dst);

	/* An error without fields passes its code and message to an empty dst. */
	error_set(&src, ERR_DB, "disk I/O error");
	error_merge_fields(&dst, &src, "x.");
	assert_int_equal(dst.code, ERR_DB);
	assert_string_equal(dst.message, "disk I/O error");
	assert_int_equal(dst.nfields, 0);
	assert_false(error_is_set(&src));
	error_clear(&dst);

	/* Merging an empty error changes nothing. */
	error_merge_fields(&dst, &src, "y.");
	assert_false(error_is_set(&dst));
	assert_int_equal(dst.nfields, 0);
}

static void test_error_format(void **state)
{
	struct error e = ERROR_INIT;
	error_field(&e, "date", "is required");
	error_field(&e, "items[1].unit", "\"XYZ\" is not a CITES unit code");
	char *s = error_format(&e);
	assert_string_equal(s, "Some fields are not valid.\n"
			       "  date: is required\n"
			       "  items[1].unit: \"XYZ\" is not a CITES unit code");
	free(s);
	error_clear(&e);
	/* No message: the code's name. */
	e.code = ERR_LOCKED;
	s = error_format(&e);
	assert_string_equal(s, "locked");
	free(s);
	error_set(&e, ERR_IO, "cannot open x");
	s = error_format(&e);
	assert_string_equal(s, "cannot open x");
	free(s);
	error_clear(&e);
}

static void test_error_codes(void **state)
{
	static const struct {
		enum err_code c;
		const char *name;
		int status;
	} t[] = {
		{ ERR_NONE, "ok", 200 },
		{ ERR_VALIDATION, "validation_failed", 422 },
		{ ERR_BAD_REQUEST, "bad_request", 400 },
		{ ERR_UNAUTHORIZED, "unauthorized", 401 },
		{ ERR_FORBIDDEN, "forbidden", 403 },
		{ ERR_NOT_FOUND, "not_found", 404 },
		{ ERR_CONFLICT, "conflict", 409 },
		{ ERR_TOO_LARGE, "too_large", 413 },
		{ ERR_LOCKED, "locked", 429 },
		{ ERR_IO, "io_error", 500 },
		{ ERR_DB, "database_error", 500 },
		{ ERR_INTERNAL, "internal_error", 500 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		assert_string_equal(error_code_name(t[i].c), t[i].name);
		assert_int_equal(error_http_status(t[i].c), t[i].status);
	}
}

/* ---- clock ------------------------------------------------------------- */

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void test_clock_today(void **state)
{
	char buf[16];
	time_t before = time(NULL);
	clock_today(buf, sizeof buf);
	time_t after = time(NULL);
	assert_int_equal(strlen(buf), 10);
	assert_true(digits(buf, 4) && buf[4] == '-' && digits(buf + 5, 2) && buf[7] == '-' &&
		    digits(buf + 8, 2));
	/* equal to today in UTC (either side of a midnight crossing) */
	char want1[16], want2[16];
	struct tm tm;
	gmtime_r(&before, &tm);
	strftime(want1, sizeof want1, "%Y-%m-%d", &tm);
	gmtime_r(&after, &tm);
	strftime(want2, sizeof want2, "%Y-%m-%d", &tm);
	assert_true(strcmp(buf, want1) == 0 || strcmp(buf, want2) == 0);
	/* A short buffer is truncated, not overrun. */
	char tiny[5];
	clock_today(tiny, sizeof tiny);
	assert_int_equal(strlen(tiny), 4);
	assert_int_equal(memcmp(tiny, buf, 4), 0);
}

static void test_clock_iso_and_unix(void **state)
{
	char buf[32];
	clock_iso(buf, sizeof buf);
	/* 2026-11-29T08:15:02.123Z */
	assert_int_equal(strlen(buf), 24);
	assert_true(digits(buf, 4) && buf[4] == '-' && digits(buf + 5, 2) && buf[7] == '-' &&
		    digits(buf + 8, 2) && buf[10] == 'T' && digits(buf + 11, 2) &&
		    buf[13] == ':' && digits(buf + 14, 2) && buf[16] == ':' &&
		    digits(buf + 17, 2) && buf[19] == '.' && digits(buf + 20, 3) && buf[23] == 'Z');
	int64_t u = clock_unix();
	assert_true(u >= (int64_t)time(NULL) - 1 && u <= (int64_t)time(NULL));
	int64_t m1 = clock_ms(), m2 = clock_ms();
	assert_true(m2 >= m1);
}

/* clock_iso_of() writes what strftime writes from gmtime_r, at the epoch, the
 * leap days, the ends of years 0 and 9999, before 1970, and on 200,000 random
 * instants from year 0 to 9999. */
static void check_iso(int64_t t, int ms)
{
	char got[64], want[96];
	time_t tt = (time_t)t;
	struct tm tm;
	assert_non_null(gmtime_r(&tt, &tm));
	snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
	clock_iso_of(got, sizeof got, t, ms);
	if (strcmp(got, want) != 0)
		fail_msg("%lld: %s, want %s", (long long)t, got, want);
}

static uint64_t clock_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void test_clock_iso_of(void **state)
{
	(void)state;
	const int64_t year0 = -62167219200LL;   /* 0000-01-01T00:00:00Z */
	const int64_t year10000 = 253402300800LL; /* 10000-01-01T00:00:00Z */
	static const int64_t fixed[] = {
		0, -1, 1, 86399, 86400, -86400, -86401,
		951782400,  /* 2000-02-29 */ 951868800, /* 2000-03-01 */
		4107456000, /* 2100-02-28 */ 4107542400, /* 2100-03-01 */
		1709164800, /* 2024-02-29 */ 1798761599, /* 2026-12-31T23:59:59 */
		-2208988800, /* 1900-01-01 */ -5364662400, /* 1800-01-01 */
	};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		check_iso(fixed[i], 7);
	check_iso(year0, 0);
	check_iso(year10000 - 1, 999);
	uint64_t x = 0x2545F4914F6CDD1DULL;
	for (int i = 0; i < 200000; i++) {
		int64_t t = year0 + (int64_t)(clock_rand(&x) % (uint64_t)(year10000 - year0));
		check_iso(t, (int)(clock_rand(&x) % 1000));
	}
	/* today is the date part of now */
	char iso[32], today[16];
	clock_iso(iso, sizeof iso);
	clock_today(today, sizeof today);
	if (strncmp(iso, today, 10) != 0) { /* unless midnight passed in between */
		clock_iso(iso, sizeof iso);
		assert_memory_equal(iso, today, 10);
	}
}

/* Merging keeps the source's code when it is not a plain validation error. */
static void test_error_merge_keeps_code(void **state)
{
	struct error dst = ERROR_INIT, src = ERROR_INIT;
	error_field(&src, "ref", "exists already");
	src.code = ERR_CONFLICT;
	error_merge_fields(&dst, &src, "rows[3].");
	assert_int_equal(dst.code, ERR_CONFLICT);
	assert_string_equal(dst.fields[0].field, "rows[3].ref");
	error_clear(&dst);
}

/* num_text() writes what "%lld" writes, at the ends of the range too. */
static void test_num_text(void **state)
{
	(void)state;
	static const int64_t cases[] = { 0, 1, -1, 9, 10, -10, 1234567890, INT64_MAX, INT64_MIN };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char want[32], buf[NUM_TEXT_SIZE];
		snprintf(want, sizeof want, "%lld", (long long)cases[i]);
		assert_string_equal(num_text(buf, cases[i]), want);
	}
}

/* num_g17() writes what "%.17g" writes; failing, shows the value. */
static void check_g17(double v)
{
	char want[64], buf[NUM_G17_SIZE];
	snprintf(want, sizeof want, "%.17g", v);
	num_g17(buf, v);
	if (strcmp(buf, want) != 0)
		fail_msg("%a: num_g17 \"%s\", printf \"%s\"", v, buf, want);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void test_num_g17(void **state)
{
	(void)state;
	static const double cases[] = {
		0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 11.5623, 104.9282,
		-13.3671, 1e-4, 1e-5, 9.9999999999999991e-5, 0.00012345, 1234.5, 1e15, 1e16,
		9999999999999998.0, 1e17, 1e300, -1e-300, 5e-324, 123456789.123456789,
		1000000000000000.25, 1000000000000000.75, 2251799813685247.25, 0.5, 0.25,
		0.125, 99999999999999.99, 0.99999999999999989, 9.9999999999999982,
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		check_g17(cases[i]);
		check_g17(-cases[i]);
	}
	check_g17(INFINITY);
	check_g17(-INFINITY);
	check_g17(NAN);
	/* around every power of ten of the range and past it */
	for (int k = -6; k <= 18; k++) {
		double p = pow(10, k);
		check_g17(p);
		double lo = p, hi = p;
		for (int j = 0; j < 40; j++) {
			lo = nextafter(lo, 0);
			hi = nextafter(hi, INFINITY);
			check_g17(lo);
			check_g17(hi);
		}
	}
	/* ties at the 18th digit: k + 0.25 and k + 0.75 where 1/8 is the step */
	for (uint64_t k = 1000000000000000ULL; k < 1000000000000000ULL + 2000; k++) {
		check_g17((double)k + 0.25);
		check_g17((double)k + 0.75);
		check_g17((double)k + 0.5);
		check_g17((double)k + 0.125);
	}
	/* coordinates and quantities as typed: up to 8 decimals */
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 300000; i++) {
		char text[64];
		int decimals = (int)(xorshift(&x) % 9);
		double v = (double)(int64_t)(xorshift(&x) % 36000000000ULL - 18000000000LL) / 1e8;
		snprintf(text, sizeof text, "%.*f", decimals, v);
		check_g17(strtod(text, NULL));
	}
	/* any double with a leading digit from 10^-6 to 10^18 */
	for (int i = 0; i < 300000; i++) {
		uint64_t r = xorshift(&x);
		int exp = 1023 - 20 + (int)(xorshift(&x) % 80); /* 2^-20 .. 2^59 */
		uint64_t bits = (r & ((1ULL << 52) - 1)) | ((uint64_t)exp << 52) | (r >> 63 << 63);
		double v;
		memcpy(&v, &bits, sizeof v);
		check_g17(v);
	}
}

/* ---- relay ------------------------------------------------------------- */

struct relay_test {
	struct relay r;
	int batch[RELAY_SLOTS]; /* a batch: its number */
	int next, last;         /* the producer's next number, the last one */
};

static int relay_test_fill(void *ctx, int slot)
{
	struct relay_test *t = ctx;
	t->batch[slot] = t->next++;
	return t->batch[slot] == t->last;
}

static void *relay_test_producer(void *arg)
{
	struct relay_test *t = arg;
	relay_produce(&t->r, relay_test_fill, t);
	return NULL;
}

/* 10,000 batches arrive whole and in order; a consumer that stops early
 * ends the producer, which filled at most RELAY_SLOTS batches past it. */
static void test_relay(void **state)
{
	(void)state;
	struct relay_test t = { .next = 0, .last = 9999 };
	relay_init(&t.r);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, relay_test_producer, &t), 0);
	for (int want = 0; want <= 9999; want++) {
		int slot = relay_slot_to_take(&t.r);
		assert_int_equal(slot, want % RELAY_SLOTS);
		assert_int_equal(t.batch[slot], want);
		relay_taken(&t.r);
	}
	relay_stop(&t.r);
	pthread_join(th, NULL);
	relay_destroy(&t.r);

	struct relay_test u = { .next = 0, .last = -1 }; /* no last batch */
	relay_init(&u.r);
	assert_int_equal(pthread_create(&th, NULL, relay_test_producer, &u), 0);
	for (int want = 0; want < 10; want++) {
		assert_int_equal(u.batch[relay_slot_to_take(&u.r)], want);
		relay_taken(&u.r);
	}
	relay_stop(&u.r);
	pthread_join(th, NULL);
	assert_true(u.next >= 10 && u.next <= 10 + RELAY_SLOTS);
	relay_destroy(&u.r);
}

/* ---- sha256 ------------------------------------------------------------ */

/* libcrypto's digest against FIPS 180-4's examples and against libsodium's
 * portable code on random inputs, whole and fed in random pieces. */
static void test_sha256(void **state)
{
	(void)state;
	char hex[SHA256_HEX_SIZE];
	sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex(two, strlen(two), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a', in pieces of 1000 */
	char a[1000];
	memset(a, 'a', sizeof a);
	struct sha256 h;
	sha256_init(&h);
	for (int i = 0; i < 1000; i++)
		sha256_update(&h, a, sizeof a);
	sha256_final(&h, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	assert_true(sodium_init() >= 0);
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	enum { MAX = 5000 };
	unsigned char *buf = xmalloc(MAX);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(xorshift(&x) % MAX);
		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)xorshift(&x);
		unsigned char d[crypto_hash_sha256_BYTES];
		char want[SHA256_HEX_SIZE];
		crypto_hash_sha256(d, buf, n);
		sodium_bin2hex(want, sizeof want, d, sizeof d);
		sha256_hex(buf, n, hex);
		assert_string_equal(hex, want);
		sha256_init(&h);
		for (size_t at = 0; at < n;) {
			size_t k = (size_t)(xorshift(&x) % 200);
			if (k > n - at)
				k = n - at;
			sha256_update(&h, buf + at, k);
			at += k;
		}
		sha256_final(&h, hex);
		assert_string_equal(hex, want);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dynbuf_empty),
		cmocka_unit_test(test_num_text),
		cmocka_unit_test(test_num_g17),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_relay),
		cmocka_unit_test(test_error_merge_keeps_code),
		cmocka_unit_test(test_dynbuf_append),
		cmocka_unit_test(test_dynbuf_cap_exact),
		cmocka_unit_test(test_dynbuf_extend),
		cmocka_unit_test(test_dynbuf_cap_single_large_append),
		cmocka_unit_test(test_dynbuf_addf_long),
		cmocka_unit_test(test_dynbuf_growth_many),
		cmocka_unit_test(test_arena_alignment_and_zero),
		cmocka_unit_test(test_arena_many_distinct),
		cmocka_unit_test(test_arena_large),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_strmap_basic),
		cmocka_unit_test(test_strmap_grow_10000),
		cmocka_unit_test(test_strmap_hash),
		cmocka_unit_test(test_error_set_and_clear),
		cmocka_unit_test(test_error_field),
		cmocka_unit_test(test_error_merge_fields),
		cmocka_unit_test(test_error_format),
		cmocka_unit_test(test_error_codes),
		cmocka_unit_test(test_clock_today),
		cmocka_unit_test(test_clock_iso_and_unix),
		cmocka_unit_test(test_clock_iso_of),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
