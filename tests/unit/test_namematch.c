/*
 * test_namematch.c - matching keys, name_compare and blocking terms
 * (text/names.h), and the evaluation set tests/names/pairs.csv (2,600
 * labelled pairs made by tools/gen_name_pairs.py; see tests/names/README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lib/arena.h"
#include "lib/error.h"
#include "lib/xalloc.h"
#include "text/names.h"

#ifndef KOUPREY_SOURCE_DIR
#define KOUPREY_SOURCE_DIR "."
#endif

/* Scores a and b both ways (checking symmetry) and returns a to b. */
static double cmp2(const char *a, const char *b, char *why, size_t why_size)
{
	struct arena ar;
	arena_init(&ar);
	struct name_key ka, kb;
	struct error err = ERROR_INIT;
	assert_int_equal(name_key_build(a, &ar, &ka, &err), 0);
	assert_int_equal(name_key_build(b, &ar, &kb, &err), 0);
	double s = name_compare(&ka, &kb, why, why_size);
	double r = name_compare(&kb, &ka, NULL, 0);
	if (s - r > 0.02 || r - s > 0.02)
		fail_msg("asymmetric: %s / %s: %.3f vs %.3f", a, b, s, r);
	assert_true(s >= 0.0 && s <= 1.0);
	arena_free(&ar);
	return s;
}

static void same(const char *a, const char *b)
{
	char why[256];
	double s = cmp2(a, b, why, sizeof(why));
	if (s < NAME_MATCH_THRESHOLD)
		fail_msg("%s / %s: %.3f (%s), want a match", a, b, s, why);
}

static void differ(const char *a, const char *b)
{
	char why[256];
	double s = cmp2(a, b, why, sizeof(why));
	if (s >= NAME_MATCH_THRESHOLD)
		fail_msg("%s / %s: %.3f (%s), want no match", a, b, s, why);
}

static void test_issue_examples(void **state)
{
	same("ស៊ុន ចាន់ថា", "SUN Chantha");
	same("ស៊ុន ចាន់ថា", "Soun Chanthar");
	same("ស៊ុន ចាន់ថា", "Sun Chan Tha");
	same("SUN Chantha", "Soun Chanthar");
	same("Chantha Sun", "Sun Chan Tha");
	same("王伟", "Wang Wei");
	same("王伟", "Wei Wang");
	same("Nguyễn Văn Hùng", "Nguyen Van Hung");
	same("Nguyễn Văn Hùng", "Hung Nguyen Van");
	same("Nguyễn Văn Hùng", "Nguyen Hung");   /* middle name dropped */
	same("สมชาย ใจดี", "Somchai Jaidee");
	same("Jaidee Somchai", "สมชาย ใจดี");
	same("ສົມພອນ ໄຊຍະວົງ", "Somphone Xaignavong");
	same("Hun Sen", "ហ៊ុន សែន");
	same("Kim Srey Pov", "គឹម ស្រីពៅ");
	same("Sun Chantha", "Sun Chamtha");       /* a typo */
	same("陈伟", "Chan Wei");                 /* Cantonese surname reading */
	same("黄伟", "Wong Wei");
	same("Владимир Путин", "Vladimir Putin");
}

/*
 * Different people.  Documented ambiguity: a one-letter typo inside a long
 * word is accepted (Chamtha for Chantha), so two different long names one
 * interior letter apart match; a difference in the last two letters or the
 * first letter is taken as another name (Chanthy, Sopheap, Neary).
 */
static void test_different_people(void **state)
{
	differ("Sun Chantha", "Sok Chantha");
	differ("ស៊ុន ចាន់ថា", "សុខ ចាន់ថា");
	differ("Sun Chantha", "Sun Chanthy");
	differ("Sun Chantha", "Chantha");         /* family name missing */
	differ("Sok Sophea", "Sok Sopheap");
	differ("Pov Theary", "Pov Neary");
	differ("Wang Wei", "Wang Ming");
	differ("王伟", "李伟");
	differ("Nguyen Van Hung", "Tran Van Hung");
	differ("Somchai Jaidee", "Somsak Jaidee");
}

static void test_explanations(void **state)
{
	char why[256];
	cmp2("ស៊ុន ចាន់ថា", "SUN Chantha", why, sizeof(why));
	assert_non_null(strstr(why, "Khmer romanised → sun chantha"));
	cmp2("Sun Chantha", "Chantha Sun", why, sizeof(why));
	assert_non_null(strstr(why, "order swapped"));
	cmp2("Sun Chantha", "Sun Chamtha", why, sizeof(why));
	assert_non_null(strstr(why, "edit distance 1"));
	cmp2("Sun Chantha", "Sun Chan Tha", why, sizeof(why));
	assert_non_null(strstr(why, "joined"));
	cmp2("陈伟", "Chan Wei", why, sizeof(why));
	assert_non_null(strstr(why, "surname reading"));
	cmp2("Nguyen Van Hung", "Nguyen Hung", why, sizeof(why));
	assert_non_null(strstr(why, "van not in the other name"));
	/* truncated, always terminated */
	char tiny[8];
	cmp2("ស៊ុន ចាន់ថា", "SUN Chantha", tiny, sizeof(tiny));
	assert_true(strlen(tiny) < sizeof(tiny));
	/* why may be NULL */
	assert_true(cmp2("Sun", "Sun", NULL, 0) == 1.0);
}

static void test_keys(void **state)
{
	struct arena ar;
	arena_init(&ar);
	struct name_key k;
	struct error err = ERROR_INIT;
	assert_int_equal(name_key_build("Soun Chan-thar", &ar, &k, &err), 0);
	assert_int_equal(k.script, NAME_SCRIPT_LATIN);
	assert_string_equal(k.romanised, "soun chanthar");
	assert_int_equal(k.ntokens, 2);
	assert_string_equal(k.words[0], "soun");
	assert_string_equal(k.tokens[0], "sun");     /* ou = u */
	assert_string_equal(k.tokens[1], "chanta");  /* th = t, final r dropped */
	assert_string_equal(k.sorted[0], "chanta");
	assert_string_equal(k.skeleton, "sunchanta");
	assert_true(k.nterms > 0);
	const char *terms[64];
	size_t n = name_key_terms(&k, terms, 64);
	assert_int_equal(n, k.nterms);
	for (size_t i = 1; i < n && i < 64; i++)
		assert_true(strcmp(terms[i - 1], terms[i]) < 0); /* sorted, distinct */
	/* max smaller than the count: the count is still returned */
	assert_int_equal(name_key_terms(&k, terms, 1), n);

	/* no letters: no tokens, scores 0 against anything */
	struct name_key e;
	assert_int_equal(name_key_build(" 12 - ", &ar, &e, &err), 0);
	assert_int_equal(e.ntokens, 0);
	assert_true(name_compare(&e, &k, NULL, 0) == 0.0);
	assert_true(name_compare(&e, &e, NULL, 0) == 0.0);

	/* invalid UTF-8 */
	struct name_key bad;
	assert_int_equal(name_key_build("Sun \xe1\x9e", &ar, &bad, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_int_equal(bad.ntokens, 0);
	error_clear(&err);

	/* more words than NAME_MAX_TOKENS: the rest ignored */
	struct name_key many;
	assert_int_equal(name_key_build("a b c d e f g h i j k l m n o p", &ar, &many, &err), 0);
	assert_int_equal(many.ntokens, NAME_MAX_TOKENS);
	arena_free(&ar);
}

/* ---- the evaluation set ------------------------------------------------- */

struct pairrow {
	char *a, *b;
	int same;
};

/* Reads pairs.csv (RFC 4180 quoting in the how column only). */
static struct pairrow *read_pairs(size_t *n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/names/pairs.csv", KOUPREY_SOURCE_DIR);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	size_t cap = 4096, k = 0;
	struct pairrow *rows = xmalloc(cap * sizeof(*rows));
	char line[4096];
	assert_non_null(fgets(line, sizeof(line), f));
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ',');
		if (!c1)
			continue;
		char *c2 = strchr(c1 + 1, ',');
		if (!c2 || (c2[1] != '0' && c2[1] != '1'))
			continue;
		*c1 = *c2 = '\0';
		if (k == cap) {
			cap *= 2;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		rows[k].a = xstrdup(line);
		rows[k].b = xstrdup(c1 + 1);
		rows[k].same = c2[1] == '1';
		k++;
	}
	fclose(f);
	*n = k;
	return rows;
}

static int shares_term(const struct name_key *a, const struct name_key *b)
{
	for (size_t i = 0; i < a->nterms; i++)
		for (size_t j = 0; j < b->nterms; j++)
			if (strcmp(a->terms[i], b->terms[j]) == 0)
				return 1;
	return 0;
}

/*
 * Precision and recall of name_compare() >= NAME_MATCH_THRESHOLD on the
 * evaluation set.  Asserted: at least 2,000 pairs, precision >= 0.94,
 * recall >= 0.89 (measured 0.956 and 0.910 when written).  Also: every
 * pair scored at or above the threshold shares a blocking term, and the
 * time per comparison (printed; asserted under 20 µs so that sanitizer
 * builds pass, the release build takes well under 1 µs).
 */
static void test_evaluation_set(void **state)
{
	size_t n;
	struct pairrow *rows = read_pairs(&n);
	assert_true(n >= 2000);
	struct arena ar;
	arena_init(&ar);
	struct name_key *ka = arena_alloc(&ar, n * sizeof(*ka));
	struct name_key *kb = arena_alloc(&ar, n * sizeof(*kb));
	struct error err = ERROR_INIT;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(name_key_build(rows[i].a, &ar, &ka[i], &err), 0);
		assert_int_equal(name_key_build(rows[i].b, &ar, &kb[i], &err), 0);
	}
	int tp = 0, fp = 0, fn = 0, tn = 0, printed = 0;
	for (size_t i = 0; i < n; i++) {
		char why[256];
		double s = name_compare(&ka[i], &kb[i], why, sizeof(why));
		int match = s >= NAME_MATCH_THRESHOLD;
		if (match && !shares_term(&ka[i], &kb[i]))
			fail_msg("%s / %s match (%.3f) without a shared term", rows[i].a, rows[i].b, s);
		if (match && rows[i].same)
			tp++;
		else if (match)
			fp++;
		else if (rows[i].same)
			fn++;
		else
			tn++;
		if (match != rows[i].same && printed++ < 25)
			printf("  %s %.3f %s / %s: %s\n", match ? "false match" : "missed",
				s, rows[i].a, rows[i].b, why);
	}
	double precision = (double)tp / (tp + fp), recall = (double)tp / (tp + fn);
	printf("evaluation set: %zu pairs, threshold %.2f: tp %d fp %d fn %d tn %d, "
		"precision %.3f recall %.3f\n", n, NAME_MATCH_THRESHOLD, tp, fp, fn, tn,
		precision, recall);

	/* time: every pair, many rounds */
	struct timespec t0, t1;
	double sink = 0;
	int rounds = 20;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0); /* CPU time: the machine may be shared */
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++)
			sink += name_compare(&ka[i], &kb[i], NULL, 0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
		((double)rounds * (double)n);
	printf("name_compare: %.0f ns per pair (mean over %d x %zu pairs, checksum %.1f)\n",
		ns, rounds, n, sink);

	assert_true(precision >= 0.94);
	assert_true(recall >= 0.89);
	assert_true(ns < 20000.0);
	arena_free(&ar);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].a);
		free(rows[i].b);
	}
	free(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_examples),
		cmocka_unit_test(test_different_people),
		cmocka_unit_test(test_explanations),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_evaluation_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
