/*
 * test_species.c - reference data in memory (ref/refdata.h): species name
 * resolution and search, CITES term/unit pairs, countries, UN/LOCODE
 * locations, vocabularies and higher taxa; loaded from the fixture's data/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static struct fixture fx;

static int setup(void **state)
{
	fixture_open(&fx);
	return 0;
}

static int teardown(void **state)
{
	fixture_close(&fx);
	return 0;
}

/* The one taxon name resolves to, or fails. */
static const struct taxon *resolve1(const struct refdata *r, const char *name)
{
	const struct taxon *t[8];
	size_t n = refdata_resolve_species(r, name, t, 8);
	if (n != 1)
		fail_msg("\"%s\" resolved to %zu taxa, want 1", name, n);
	return t[0];
}

static int has_taxon(const struct taxon *const *t, size_t n, const char *full_name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i]->full_name, full_name) == 0)
			return 1;
	return 0;
}

/* ---- resolution ---------------------------------------------------------- */

static void test_resolve_scientific(void **state)
{
	const struct taxon *t = resolve1(fx.ref, "Manis javanica");
	assert_int_equal(t->id, 5034);
	assert_string_equal(t->full_name, "Manis javanica");
	assert_string_equal(t->rank, "SPECIES");
	assert_string_equal(t->family, "Manidae");
	/* case, spaces and punctuation do not matter */
	assert_int_equal(resolve1(fx.ref, "MANIS JAVANICA")->id, 5034);
	assert_int_equal(resolve1(fx.ref, "  manis   javanica ")->id, 5034);
	assert_int_equal(resolve1(fx.ref, "Panthera tigris")->id, 6047);
	assert_int_equal(resolve1(fx.ref, "Manis")->id, 2224); /* the genus */
}

static void test_resolve_synonym(void **state)
{
	/* Phataginus gigantea is a synonym of Manis gigantea only */
	assert_string_equal(resolve1(fx.ref, "Phataginus gigantea")->full_name, "Manis gigantea");
	assert_string_equal(resolve1(fx.ref, "manis longicaudata")->full_name,
			    "Manis tetradactyla");
}

static void test_resolve_common_names(void **state)
{
	static const char *const names[] = {
		"Sunda Pangolin", "malayan pangolin", /* English (species.csv) */
		"ពង្រូលជ្វា",                          /* Khmer */
		"tê tê Java", "TE TE JAVA",            /* Vietnamese, diacritics ignored */
		"马来穿山甲",                           /* Chinese */
		"ลิ่นชวา",                              /* Thai */
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		assert_string_equal(resolve1(fx.ref, names[i])->full_name, "Manis javanica");
	assert_string_equal(resolve1(fx.ref, "Tiger")->full_name, "Panthera tigris");
	assert_string_equal(resolve1(fx.ref, "pangolin")->full_name, "Manis");
}

static void test_resolve_scientific_beats_synonym(void **state)
{
	/* "Antipathes fragilis" is an accepted name and a synonym of Pteropathes
	 * fragilis; "Antipathes gracilis" a name and a synonym of three others. */
	assert_string_equal(resolve1(fx.ref, "Antipathes fragilis")->full_name,
			    "Antipathes fragilis");
	assert_string_equal(resolve1(fx.ref, "Antipathes gracilis")->full_name,
			    "Antipathes gracilis");
}

static void test_resolve_scientific_beats_common(void **state)
{
	/* "Puma" is a genus and the English name of Puma concolor */
	assert_string_equal(resolve1(fx.ref, "puma")->full_name, "Puma");
	assert_string_equal(resolve1(fx.ref, "Caracal")->full_name, "Caracal");
}

static void test_resolve_synonym_beats_common(void **state)
{
	/* The data has no name that is both a synonym and a common name, so
	 * give Manis javanica the common name "Phataginus gigantea" (a synonym
	 * of Manis gigantea) and load the reference data again. */
	struct error err = ERROR_INIT;
	const char *row[4] = { "5034", "Phataginus gigantea", "en", "common" };
	assert_int_equal(store_ref_insert(fx.st, REF_TAXON_NAME, row, &err), 0);
	const char *row2[4] = { "5373", "Kouprey test name", "en", "common" };
	assert_int_equal(store_ref_insert(fx.st, REF_TAXON_NAME, row2, &err), 0);
	const char *row3[4] = { "6047", "Kouprey test name", "la", "synonym" };
	assert_int_equal(store_ref_insert(fx.st, REF_TAXON_NAME, row3, &err), 0);
	struct refdata *r = refdata_load(fx.st, &err);
	assert_non_null(r);
	assert_string_equal(resolve1(r, "Phataginus gigantea")->full_name, "Manis gigantea");
	assert_string_equal(resolve1(r, "kouprey test name")->full_name, "Panthera tigris");
	refdata_free(r);
	error_clear(&err);
}

static void test_resolve_ambiguous(void **state)
{
	const struct taxon *t[12];
	size_t n = refdata_resolve_species(fx.ref, "elephant", t, 12);
	assert_int_equal(n, 2);
	assert_true(has_taxon(t, n, "Elephas maximus"));
	assert_true(has_taxon(t, n, "Loxodonta africana"));

	n = refdata_resolve_species(fx.ref, "tê tê", t, 12);
	assert_int_equal(n, 5);
	assert_true(has_taxon(t, n, "Manis"));
	assert_true(has_taxon(t, n, "Manis javanica"));
	assert_true(has_taxon(t, n, "Manis pentadactyla"));
	assert_true(has_taxon(t, n, "Manis crassicaudata"));
	assert_true(has_taxon(t, n, "Manis culionensis"));

	/* Khmer ពង្រូល names the genus and its eight species; with room for
	 * six the count is still 9 and six distinct taxa are filled in. */
	n = refdata_resolve_species(fx.ref, "ពង្រូល", t, 12);
	assert_int_equal(n, 9);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(t[i]->genus, "Manis");
	const struct taxon *six[6];
	n = refdata_resolve_species(fx.ref, "ពង្រូល", six, 6);
	assert_int_equal(n, 9);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(six[i]->genus, "Manis");
		for (size_t k = 0; k < i; k++)
			assert_ptr_not_equal(six[i], six[k]);
	}
}

static void test_resolve_unknown(void **state)
{
	const struct taxon *t[4];
	assert_int_equal(refdata_resolve_species(fx.ref, "Unicornis fabulosa", t, 4), 0);
	assert_int_equal(refdata_resolve_species(fx.ref, "", t, 4), 0);
	assert_int_equal(refdata_resolve_species(fx.ref, "!!!", t, 4), 0);
	/* a prefix is not a name */
	assert_int_equal(refdata_resolve_species(fx.ref, "Manis javan", t, 4), 0);
}

static void test_taxon_by_id(void **state)
{
	const struct taxon *t = refdata_taxon_by_id(fx.ref, 5034);
	assert_non_null(t);
	assert_string_equal(t->full_name, "Manis javanica");
	assert_string_equal(t->listing, "I");
	assert_int_equal(t->accepted, 1);
	assert_null(refdata_taxon_by_id(fx.ref, 1));
	assert_null(refdata_taxon_by_id(fx.ref, -5));
	assert_int_equal(refdata_taxon_count(fx.ref), 38079); /* rows of species.csv */
}

/* ---- search ---------------------------------------------------------------- */

static void assert_sorted(const struct species_hit *h, size_t n)
{
	for (size_t i = 1; i < n; i++)
		assert_true(h[i - 1].score >= h[i].score);
}

static void test_search_pangolin(void **state)
{
	struct species_hit h[20];
	size_t n = refdata_search_species(fx.ref, "pangolin", h, 20);
	assert_true(n >= 9);
	assert_sorted(h, n);
	/* the genus (exact name) first, then the Manis species */
	assert_string_equal(h[0].taxon->full_name, "Manis");
	assert_string_equal(h[0].matched, "pangolin");
	assert_string_equal(h[0].matched_lang, "en");
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(h[i].taxon->genus, "Manis");
	/* one hit per taxon */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < i; k++)
			assert_ptr_not_equal(h[i].taxon, h[k].taxon);
}

static void test_search_khmer(void **state)
{
	struct species_hit h[20];
	size_t n = refdata_search_species(fx.ref, "ពង្រូល", h, 20);
	assert_true(n >= 9);
	assert_sorted(h, n);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(h[i].taxon->genus, "Manis");
	/* the exact Khmer name beats the longer ពង្រូលជ្វា */
	assert_string_equal(h[0].matched, "ពង្រូល");
	assert_string_equal(h[0].matched_lang, "km");
}

static void test_search_tiger(void **state)
{
	struct species_hit h[10];
	size_t n = refdata_search_species(fx.ref, "tiger", h, 10);
	assert_true(n >= 3);
	assert_sorted(h, n);
	int found = 0;
	for (size_t i = 0; i < 3; i++)
		found |= strcmp(h[i].taxon->full_name, "Panthera tigris") == 0;
	assert_true(found);
}

static void test_search_prefix_and_substring(void **state)
{
	struct species_hit h[10];
	/* prefix of a scientific name */
	size_t n = refdata_search_species(fx.ref, "Panthera tig", h, 10);
	assert_true(n >= 1);
	assert_string_equal(h[0].taxon->full_name, "Panthera tigris");
	/* a word inside a name */
	n = refdata_search_species(fx.ref, "javanica", h, 10);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= strcmp(h[i].taxon->full_name, "Manis javanica") == 0;
	assert_true(found);
	/* a piece inside a word, case and diacritics ignored */
	n = refdata_search_species(fx.ref, "AVANIC", h, 10);
	found = 0;
	for (size_t i = 0; i < n; i++)
		found |= strcmp(h[i].taxon->full_name, "Manis javanica") == 0;
	assert_true(found);
	n = refdata_search_species(fx.ref, "Tê tê jav", h, 10);
	assert_true(n >= 1);
	assert_string_equal(h[0].taxon->full_name, "Manis javanica");
	/* an exact name scores above a prefix, a prefix above a later word */
	struct species_hit e[1], p[1], w[1];
	assert_int_equal(refdata_search_species(fx.ref, "sunda pangolin", e, 1), 1);
	assert_int_equal(refdata_search_species(fx.ref, "sunda pangol", p, 1), 1);
	assert_ptr_equal(e[0].taxon, p[0].taxon);
	assert_true(e[0].score > p[0].score);
	n = refdata_search_species(fx.ref, "pangolin", h, 10);
	for (size_t i = 0; i < n; i++)
		if (strcmp(h[i].taxon->full_name, "Manis javanica") == 0) {
			w[0] = h[i];
			assert_true(p[0].score > w[0].score);
		}
}

static void test_search_limits(void **state)
{
	struct species_hit h[5];
	assert_int_equal(refdata_search_species(fx.ref, "", h, 5), 0);
	assert_int_equal(refdata_search_species(fx.ref, "  ,, ", h, 5), 0);
	assert_int_equal(refdata_search_species(fx.ref, "pangolin", h, 0), 0);
	assert_int_equal(refdata_search_species(fx.ref, "zzqxv no such thing", h, 5), 0);
	/* a very common piece fills exactly max, best first */
	size_t n = refdata_search_species(fx.ref, "a", h, 5);
	assert_int_equal(n, 5);
	assert_sorted(h, n);
}

/* ---- codes ------------------------------------------------------------------ */

static void test_term_unit(void **state)
{
	assert_non_null(refdata_term(fx.ref, "TUS"));
	assert_string_equal(refdata_term(fx.ref, "TUS")->name_en, "Tusks");
	assert_string_equal(refdata_term(fx.ref, "SCA")->name_km, "ស្រកា");
	assert_null(refdata_term(fx.ref, "tus")); /* codes are upper case */
	assert_null(refdata_term(fx.ref, "XYZ"));
	assert_null(refdata_term(fx.ref, NULL));
	assert_string_equal(refdata_unit(fx.ref, "KIL")->name_en, "Kilograms");
	assert_null(refdata_unit(fx.ref, "NUM"));

	assert_true(refdata_term_unit_allowed(fx.ref, "SCA", "KIL"));
	assert_true(refdata_term_unit_allowed(fx.ref, "SCA", ""));   /* number of specimens */
	assert_true(refdata_term_unit_allowed(fx.ref, "SCA", NULL)); /* same */
	assert_true(refdata_term_unit_allowed(fx.ref, "SKI", "SQM"));
	assert_false(refdata_term_unit_allowed(fx.ref, "SCA", "SQM"));
	assert_false(refdata_term_unit_allowed(fx.ref, "TUS", "PCS"));
	assert_false(refdata_term_unit_allowed(fx.ref, "XYZ", "KIL"));
	assert_string_equal(refdata_term_units(fx.ref, "SCA"), "-|GRM|KIL|MGM|MYG");
	assert_string_equal(refdata_term_units(fx.ref, "XYZ"), "");

	const struct code_entry *e;
	assert_int_equal(refdata_terms(fx.ref, &e), 105);
	assert_string_equal(e[0].code, "BAL");
	assert_int_equal(refdata_units(fx.ref, &e), 38);
	assert_string_equal(e[0].code, "BAG");
}

/* ---- places ----------------------------------------------------------------- */

static void test_country(void **state)
{
	static const char *const kh[] = { "KH", "kh", "KHM", "khm", "Cambodia", "CAMBODIA",
					  " cambodia ", "កម្ពុជា" };
	for (size_t i = 0; i < sizeof kh / sizeof *kh; i++) {
		const struct country *c = refdata_country(fx.ref, kh[i]);
		if (!c)
			fail_msg("\"%s\" is not found", kh[i]);
		assert_string_equal(c->iso2, "KH");
	}
	const struct country *c = refdata_country(fx.ref, "Laos");
	assert_non_null(c);
	assert_string_equal(c->iso2, "LA");
	assert_string_equal(c->iso3, "LAO");
	assert_string_equal(c->currency, "LAK");
	assert_string_equal(refdata_country(fx.ref, "វៀតណាម")->iso2, "VN");
	assert_string_equal(refdata_country(fx.ref, "VNM")->iso2, "VN");
	assert_null(refdata_country(fx.ref, "Atlantis"));
	assert_null(refdata_country(fx.ref, "XX"));
	assert_null(refdata_country(fx.ref, ""));
	assert_null(refdata_country(fx.ref, NULL));
	const struct country *all;
	assert_int_equal(refdata_countries(fx.ref, &all), 249);
}

static void test_location(void **state)
{
	const struct location *l = refdata_location(fx.ref, "KHKOS");
	assert_non_null(l);
	assert_string_equal(l->locode, "KHKOS");
	assert_string_equal(l->country, "KH");
	assert_non_null(strstr(l->name, "Sihanoukville"));
	assert_true(l->has_coords);
	assert_true(l->latitude > 10.59 && l->latitude < 10.61);
	assert_true(l->longitude > 103.51 && l->longitude < 103.52);
	/* lower case and the space of "KH KOS" are accepted */
	assert_ptr_equal(refdata_location(fx.ref, "khkos"), l);
	assert_ptr_equal(refdata_location(fx.ref, "KH KOS"), l);
	const struct location *p = refdata_location(fx.ref, "KHPNH");
	assert_non_null(p);
	assert_false(p->has_coords);
	assert_string_equal(refdata_location(fx.ref, "VNSGN")->country, "VN");
	assert_null(refdata_location(fx.ref, "KHXXX"));
	assert_null(refdata_location(fx.ref, ""));
	assert_null(refdata_location(fx.ref, NULL));
	assert_null(refdata_location(fx.ref, "KHKOSKHKOSKHKOSKHKOS"));
	const struct location *all;
	assert_int_equal(refdata_locations(fx.ref, &all), 14837);
}

/* ---- vocabularies ------------------------------------------------------------ */

static void test_vocab(void **state)
{
	static const struct {
		const char *vocab, *text, *code;
	} t[] = {
		{ "transport_mode", "air", "air" },
		{ "transport_mode", "AIR", "air" },
		{ "transport_mode", "courier", "post" },
		{ "transport_mode", "Post / courier", "post" },
		{ "transport_mode", "ផ្លូវអាកាស", "air" },
		{ "transport_mode", "on foot", "on_foot" },
		{ "transport_mode", "On_Foot", "on_foot" },
		{ "detection_method", "x-ray", "xray" },
		{ "detection_method", "X RAY", "xray" },
		{ "detection_method", "xray", "xray" },
		{ "detection_method", "K-9", "sniffer_dog" },
		{ "reason", "No permit", "no_permit" },
		{ "legal_action", "prosecution", "criminal" },
		{ "disposal", "burnt", "destroyed" },
		{ "concealment", "suitcase", "hidden_in_luggage" },
		{ "agency_kind", "Customs", "customs" },
		{ "agency_kind", "គយ", "customs" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		const char *c = refdata_vocab_code(fx.ref, t[i].vocab, t[i].text);
		if (!c || strcmp(c, t[i].code) != 0)
			fail_msg("%s \"%s\" -> %s, want %s", t[i].vocab, t[i].text, c ? c : "NULL",
				 t[i].code);
	}
	assert_null(refdata_vocab_code(fx.ref, "transport_mode", "teleport"));
	assert_null(refdata_vocab_code(fx.ref, "transport_mode", "x-ray")); /* other vocabulary */
	assert_null(refdata_vocab_code(fx.ref, "no_such_vocab", "air"));
	assert_null(refdata_vocab_code(fx.ref, "transport_mode", NULL));

	const struct code_entry *e;
	assert_int_equal(refdata_vocab(fx.ref, "transport_mode", &e), 8);
	assert_string_equal(e[0].code, "air");
	assert_string_equal(e[4].code, "post");
	assert_string_equal(e[4].name_en, "Post / courier");
	assert_string_equal(e[7].code, "unknown");
	assert_int_equal(refdata_vocab(fx.ref, "nope", &e), 0);
	assert_null(e);

	const char *const *names = refdata_vocab_names();
	size_t n = 0;
	while (names[n])
		n++;
	assert_int_equal(n, 7);
	assert_string_equal(names[0], "transport_mode");
}

static void test_taxon_in_group(void **state)
{
	const struct taxon *t = refdata_taxon_by_id(fx.ref, 5034);
	assert_true(refdata_taxon_in_group(t, "Manidae"));
	assert_true(refdata_taxon_in_group(t, "Pholidota"));
	assert_true(refdata_taxon_in_group(t, "Mammalia"));
	assert_true(refdata_taxon_in_group(t, "Manis"));
	assert_true(refdata_taxon_in_group(t, "Manis javanica"));
	assert_true(refdata_taxon_in_group(t, "mammalia"));
	assert_true(refdata_taxon_in_group(t, "Chordata"));
	assert_false(refdata_taxon_in_group(t, "Felidae"));
	assert_false(refdata_taxon_in_group(t, "Aves"));
	assert_false(refdata_taxon_in_group(t, "Mammal"));
	const struct taxon *tiger = refdata_taxon_by_id(fx.ref, 6047);
	assert_true(refdata_taxon_in_group(tiger, "Felidae"));
	assert_false(refdata_taxon_in_group(tiger, "Manidae"));
	/* the genus itself has no family of its own name */
	const struct taxon *genus = refdata_taxon_by_id(fx.ref, 2224);
	assert_true(refdata_taxon_in_group(genus, "Manidae"));
	assert_false(refdata_taxon_in_group(genus, "Manis javanica"));
}

struct name_count {
	int total, km, scientific;
};

static void count_name(void *ctx, const struct taxon_name *n)
{
	struct name_count *c = ctx;
	c->total++;
	c->km += strcmp(n->lang, "km") == 0;
	c->scientific += n->kind == NAME_SCIENTIFIC;
}

static void test_taxon_names(void **state)
{
	struct name_count c = { 0 };
	refdata_taxon_names(fx.ref, refdata_taxon_by_id(fx.ref, 5034), count_name, &c);
	/* Manis javanica: its scientific name, 2 English (species.csv), km 2,
	 * vi 2, th 2, zh 2, lo 1 (species_names.csv): 12 */
	assert_int_equal(c.scientific, 1);
	assert_int_equal(c.km, 2);
	assert_int_equal(c.total, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_scientific),
		cmocka_unit_test(test_resolve_synonym),
		cmocka_unit_test(test_resolve_common_names),
		cmocka_unit_test(test_resolve_scientific_beats_synonym),
		cmocka_unit_test(test_resolve_scientific_beats_common),
		cmocka_unit_test(test_resolve_synonym_beats_common),
		cmocka_unit_test(test_resolve_ambiguous),
		cmocka_unit_test(test_resolve_unknown),
		cmocka_unit_test(test_taxon_by_id),
		cmocka_unit_test(test_search_pangolin),
		cmocka_unit_test(test_search_khmer),
		cmocka_unit_test(test_search_tiger),
		cmocka_unit_test(test_search_prefix_and_substring),
		cmocka_unit_test(test_search_limits),
		cmocka_unit_test(test_term_unit),
		cmocka_unit_test(test_country),
		cmocka_unit_test(test_location),
		cmocka_unit_test(test_vocab),
		cmocka_unit_test(test_taxon_in_group),
		cmocka_unit_test(test_taxon_names),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	fixture_cleanup();
	return rc;
}
