/*
 * test_text.c - folding text for matching and UTF-8 validation (text/fold.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/arena.h"
#include "lib/xalloc.h"
#include "text/fold.h"

/* Folds s both ways (arena and malloc) and checks they agree. */
static void check_fold_n(const char *s, size_t n, const char *want)
{
	struct arena a;
	arena_init(&a);
	char *got = text_fold(&a, s, n);
	if (strcmp(got, want) != 0)
		fail_msg("fold(\"%s\") = \"%s\", want \"%s\"", s, got, want);
	if (strlen(s) == n) {
		char *dup = text_fold_dup(s);
		assert_string_equal(dup, want);
		free(dup);
	}
	char *slow = text_fold_unicode_dup(s, n);
	assert_string_equal(slow, want);
	free(slow);
	/* into a buffer: ASCII that fits only */
	char buf[64];
	const char *small = strlen(s) == n ? text_fold_ascii(buf, sizeof buf, s) : NULL;
	int ascii = 1;
	for (size_t i = 0; i < n; i++)
		ascii &= !((unsigned char)s[i] & 0x80);
	if (strlen(s) == n && ascii && strlen(want) < sizeof buf)
		assert_string_equal(small, want);
	else
		assert_null(small);
	arena_free(&a);
}

/* text_fold (ASCII shortcut) and the Unicode path agree on s. */
static void check_paths_agree(const char *s, size_t n)
{
	struct arena a;
	arena_init(&a);
	char *fast = text_fold(&a, s, n);
	char *slow = text_fold_unicode_dup(s, n);
	if (strcmp(fast, slow) != 0) {
		char hex[400] = "";
		for (size_t i = 0; i < n && i < 120; i++)
			snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%02x",
				 (unsigned char)s[i]);
		fail_msg("text %s: fast \"%s\", Unicode path \"%s\"", hex, fast, slow);
	}
	free(slow);
	arena_free(&a);
}

static void check_fold(const char *s, const char *want)
{
	check_fold_n(s, strlen(s), want);
}

static void test_fold_case(void **state)
{
	check_fold("Hello World", "hello world");
	check_fold("MANIS JAVANICA", "manis javanica");
	check_fold("Panthera tigris", "panthera tigris");
	check_fold("ΣΟΦΙΑ", "σοφια");
	check_fold("already folded", "already folded");
	check_fold("", "");
}

static void test_fold_vietnamese(void **state)
{
	check_fold("Tê Tê", "te te");
	check_fold("tê tê", "te te");
	check_fold("TÊ TÊ JAVA", "te te java");
	check_fold("tê tê Ấn Độ", "te te an do");
	check_fold("Đ", "d");
	check_fold("đ", "d");
	check_fold("Đồng Nai", "dong nai");
	check_fold("Hồ Chí Minh", "ho chi minh");
	/* decomposed input (e + combining acute) folds the same */
	check_fold("Cafe\xcc\x81", "cafe");
	check_fold("Kâmpóng Saôm", "kampong saom");
}

static void test_fold_compatibility(void **state)
{
	/* full-width Latin letters and digits */
	check_fold("\xef\xbc\xb0\xef\xbc\xa1\xef\xbc\xae\xef\xbc\xa7\xef\xbc\xaf\xef\xbc\xac"
		   "\xef\xbc\xa9\xef\xbc\xae", /* ＰＡＮＧＯＬＩＮ */
		   "pangolin");
	check_fold("\xef\xbc\x91\xef\xbc\x92", "12"); /* １２ */
	check_fold("\xef\xac\x81sh", "fish");         /* ﬁ ligature */
	check_fold("m\xc2\xb2", "m2");                /* superscript two */
}

static void test_fold_separators(void **state)
{
	check_fold("  Manis,,  javanica!! ", "manis javanica");
	check_fold("a\t\r\nb", "a b");
	check_fold("x-ray", "x ray");
	check_fold("post/courier", "post courier");
	check_fold("Temminck's Ground Pangolin", "temminck s ground pangolin");
	check_fold("(Sihanoukville)", "sihanoukville");
	check_fold("!!!", "");
	check_fold("   ", "");
	check_fold("a + b = c $ 5", "a b c 5");
	check_fold("Manis javanica (ពង្រូល)", "manis javanica ពង្រូល");
}

static void test_fold_scripts_kept(void **state)
{
	check_fold("ពង្រូល", "ពង្រូល");
	check_fold("ពង្រូលជ្វា", "ពង្រូលជ្វា");
	check_fold("  ពង្រូល   ជ្វា ", "ពង្រូល ជ្វា");
	check_fold("កម្ពុជា", "កម្ពុជា");
	check_fold("ตัวนิ่ม", "ตัวนิ่ม");
	check_fold("ลิ่นชวา", "ลิ่นชวา");
	check_fold("ລີ່ນ", "ລີ່ນ");
	check_fold("穿山甲", "穿山甲");
	check_fold("马来穿山甲", "马来穿山甲");
}

static void test_fold_invalid_utf8(void **state)
{
	check_fold("ab\xff" "cd", "abcd");
	check_fold("\xc3", "");                 /* truncated sequence */
	check_fold("Tê\xc3", "te");
	check_fold("\xc0\xaf" "x", "x");       /* overlong '/' */
	check_fold("\xed\xa0\x80" "y", "y");   /* UTF-16 surrogate */
	/* only n bytes are read */
	check_fold_n("ABCDEF", 3, "abc");
	/* a sequence cut by n is dropped, not read past n */
	check_fold_n("x\xc3\xa9", 2, "x");
}

static void test_fold_long(void **state)
{
	size_t n = 30000;
	char *s = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = i % 10 == 9 ? ' ' : 'A';
	s[n] = '\0';
	char *f = text_fold_dup(s);
	/* every 'A' lower-cased, single spaces kept, trailing space trimmed */
	assert_int_equal(strlen(f), n - 1);
	assert_int_equal(f[0], 'a');
	assert_int_equal(f[9], ' ');
	free(f);
	free(s);
}

/* Every ASCII character alone, and between letters and Khmer. */
static void test_fold_ascii_agrees(void **state)
{
	for (int c = 1; c < 0x80; c++) {
		char s[32];
		s[0] = (char)c;
		check_paths_agree(s, 1);
		int n = snprintf(s, sizeof s, "A%cb", c);
		check_paths_agree(s, (size_t)n);
		n = snprintf(s, sizeof s, "\xe1\x9e\x80%c\xc3\xa9%c", c, c); /* ក c é c */
		check_paths_agree(s, (size_t)n);
	}
}

/* Random texts made of pieces chosen where the two paths could part:
 * ASCII next to combining marks (Latin ones, which go, and others, which
 * stay), decomposed and precomposed letters, compatibility forms, Khmer and
 * Thai signs, long expansions, invalid bytes. */
static void test_fold_mixed_agrees(void **state)
{
	static const char *const piece[] = {
		"a", "Z", "e", "<", "=", " ", ",", "-", "'", "_", "9", "\t", "~", "$",
		"Manis", "SIHANOUKVILLE", "\xcc\x81",       /* U+0301 */
		"\xcc\xa3",                                /* U+0323 */
		"\xcc\xb8",                                /* U+0338 */
		"\xd6\xb4",                                /* U+05B4 Hebrew hiriq */
		"\xe2\x83\x97",                            /* U+20D7 combining arrow */
		"\xc3\xa9", "\xc3\x89", "\xe1\xbb\x87",       /* é É ệ */
		"\xc4\x90", "\xc4\x91",                       /* Đ đ */
		"\xef\xbc\xa1", "\xef\xac\x81",               /* Ａ ﬁ */
		"\xe2\x84\xaa",                            /* U+212A Kelvin */
		"\xce\xa3", "\xcf\x82",                       /* Σ ς */
		"\xe1\x9e\x96\xe1\x9e\x84\xe1\x9f\x92\xe1\x9e\x9a\xe1\x9e\xbc\xe1\x9e\x9b", /* ពង្រូល */
		"\xe1\x9f\x92", "\xe1\x9f\x94",               /* Khmer coeng, khan */
		"\xe0\xb8\xb3",                            /* Thai sara am */
		"\xef\xb7\xba",                            /* U+FDFA, 18 letters */
		"\xe7\xa9\xbf\xe5\xb1\xb1\xe7\x94\xb2",       /* 穿山甲 */
		"\xf0\x9f\x90\x85",                        /* U+1F405 */
		"\xe3\x80\x80",                            /* ideographic space */
		"\xc2\xa0",                                /* no-break space */
		"\xff", "\xc3", "\x80", "\xe1\x9e",             /* invalid, cut short */
	};
	const size_t npiece = sizeof piece / sizeof *piece;
	uint32_t x = 2463534242u; /* xorshift: the same texts every run */
	char s[8192];
	/* short texts, then 2,000 of up to 400 pieces: past the stack room the
	 * fold starts with (1 KB of output, 512 UTF-16 units per run) */
	for (int t = 0; t < 22000; t++) {
		size_t n = 0;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		int len = t < 20000 ? 1 + (int)(x % 12) : 1 + (int)(x % 400);
		for (int k = 0; k < len; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			const char *p = piece[x % npiece];
			size_t m = strlen(p);
			memcpy(s + n, p, m);
			n += m;
		}
		check_paths_agree(s, n);
	}
}

/* A text that grows many times over in NFKD (buffers grow as needed). */
static void test_fold_expands(void **state)
{
	size_t reps = 2000;
	char *s = xmalloc(reps * 4 + 1);
	for (size_t i = 0; i < reps; i++)
		memcpy(s + i * 4, i % 2 ? "\xef\xb7\xba" "a" : "b\xef\xb7\xba", 4);
	s[reps * 4] = '\0';
	char *f = text_fold_dup(s);
	/* U+FDFA is 18 letters and 3 separators after NFKD */
	assert_true(strlen(f) > reps * 30);
	check_paths_agree(s, reps * 4);
	free(f);
	free(s);
}

/* The buffer must hold the fold and its NUL, or nothing is written. */
static void test_fold_ascii_buffer(void **state)
{
	char buf[6];
	assert_string_equal(text_fold_ascii(buf, sizeof buf, "  Road "), "road");
	assert_string_equal(text_fold_ascii(buf, sizeof buf, "X-RAY"), "x ray");
	assert_null(text_fold_ascii(buf, sizeof buf, "x-rays"));  /* 6 + NUL */
	assert_null(text_fold_ascii(buf, sizeof buf, "t\xc3\xaa")); /* tê */
	assert_string_equal(text_fold_ascii(buf, sizeof buf, ""), "");
	assert_string_equal(text_fold_ascii(buf, 1, "!!"), "");
}

static void test_valid_utf8(void **state)
{
#define V(s) text_valid_utf8((s), sizeof(s) - 1)
	assert_int_equal(V(""), 1);
	assert_int_equal(V("abc"), 1);
	assert_int_equal(V("ពង្រូល"), 1);
	assert_int_equal(V("tê tê"), 1);
	assert_int_equal(V("\xf0\x9f\x90\x85"), 1); /* U+1F405 tiger, 4 bytes */
	assert_int_equal(V("a\tb\r\n"), 1);
	assert_int_equal(V("\x7f"), 1);             /* DEL is not a C0 control */
	assert_int_equal(V("\xff"), 0);
	assert_int_equal(V("\xc3"), 0);             /* truncated */
	assert_int_equal(V("\xc0\xaf"), 0);         /* overlong */
	assert_int_equal(V("\xed\xa0\x80"), 0);     /* surrogate */
	assert_int_equal(V("\xf4\x90\x80\x80"), 0); /* past U+10FFFF */
	assert_int_equal(V("\x80"), 0);             /* lone continuation */
	assert_int_equal(V("a\x01" "b"), 0);        /* C0 control */
	assert_int_equal(V("\x1b[0m"), 0);          /* escape */
	assert_int_equal(V("a\0b"), 0);             /* NUL inside */
#undef V
	/* only n bytes are checked */
	assert_int_equal(text_valid_utf8("ok\xff", 2), 1);
	assert_int_equal(text_valid_utf8("\xe1\x9e\x96", 2), 0); /* Khmer letter cut short */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_case),
		cmocka_unit_test(test_fold_vietnamese),
		cmocka_unit_test(test_fold_compatibility),
		cmocka_unit_test(test_fold_separators),
		cmocka_unit_test(test_fold_scripts_kept),
		cmocka_unit_test(test_fold_invalid_utf8),
		cmocka_unit_test(test_fold_long),
		cmocka_unit_test(test_fold_ascii_agrees),
		cmocka_unit_test(test_fold_mixed_agrees),
		cmocka_unit_test(test_fold_expands),
		cmocka_unit_test(test_fold_ascii_buffer),
		cmocka_unit_test(test_valid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
