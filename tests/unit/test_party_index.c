/*
 * test_party_index.c - the search index of parties and identifiers: exact
 * identifiers first, names found across scripts and spellings and ranked by
 * score with the scorer's explanation, nothing the actor may not see (in
 * the hits or the total), and changes followed.
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
#include "auth/actor.h"
#include "index/party_index.h"
#include "party/party.h"
#include "seizure/seizure.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "text/names.h"

static const struct actor admin = { .user_id = 1, .agency_id = 1, .role = ROLE_ADMIN,
				    .username = "admin" };
static const struct actor customs = { .user_id = 2, .agency_id = 1, .role = ROLE_ANALYST,
				      .username = "analyst" };
static const struct actor forestry = { .user_id = 3, .agency_id = 2, .role = ROLE_OFFICER,
				       .username = "forester" };

static void put(struct party_index *ix, int64_t id, int64_t agency, int national,
		const char *n1, const char *n2)
{
	const char *names[2] = { n1, n2 };
	struct party_doc d = { .id = id, .agency_id = agency, .national = national,
			       .names = names, .nnames = n2 ? 2 : 1 };
	struct error err = ERROR_INIT;
	assert_int_equal(party_index_put(ix, &d, &err), 0);
}

static void put_ident(struct party_index *ix, int64_t id, int64_t party, int64_t agency,
		      int national, const char *kind, const char *key, const char *display)
{
	struct ident_doc d = { .id = id, .party_id = party, .agency_id = agency,
			       .national = national, .kind = kind, .key = key, .display = display };
	struct error err = ERROR_INIT;
	assert_int_equal(party_index_put_ident(ix, &d, &err), 0);
}

struct found {
	struct arena a;
	struct party_hit *hits;
	size_t n;
	int64_t total;
};

static void search(struct party_index *ix, const struct actor *who, const char *q, size_t limit,
		   struct found *f)
{
	arena_init(&f->a);
	struct party_query pq = { .q = q, .want_parties = 1, .want_identifiers = 1,
				  .limit = limit, .default_country = "KH" };
	struct error err = ERROR_INIT;
	assert_int_equal(party_index_search(ix, who, &pq, &f->a, &f->hits, &f->n, &f->total, &err),
			 0);
}

/* Position of the party (kind PARTY) in the hits, or -1. */
static int rank_of(const struct found *f, int64_t party_id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->hits[i].kind == PARTY_HIT_PARTY && f->hits[i].id == party_id)
			return (int)i;
	return -1;
}

static struct party_index *sample(void)
{
	struct party_index *ix = party_index_new();
	put(ix, 1, 2, 1, "ស៊ុន ចាន់ថា", NULL);              /* forestry, shared */
	put(ix, 2, 1, 1, "Sok Dara", "សុខ ដារ៉ា");
	put(ix, 3, 1, 1, "王伟", NULL);
	put(ix, 4, 1, 1, "Nguyễn Văn Hùng", NULL);
	put(ix, 5, 1, 1, "สมชาย ศรีสุข", NULL);
	put(ix, 6, 1, 1, "Sun Sophea", NULL);
	put(ix, 7, 1, 1, "Chan Thy", NULL);
	put(ix, 8, 2, 0, "Sun Chanthy", NULL);               /* forestry only */
	put(ix, 9, 1, 1, "Golden Dragon Trading Co., Ltd.", NULL);
	put_ident(ix, 100, 1, 2, 1, "phone", "+85512345678", "+855 12 345 678");
	put_ident(ix, 101, 2, 1, 1, "passport", "TH:A1234567", "A1234567");
	put_ident(ix, 102, 3, 1, 1, "handle", "wechat:wangwei88", NULL);
	put_ident(ix, 103, 8, 2, 0, "phone", "+85597765432", "+855 97 765 432");
	party_index_loaded(ix);
	return ix;
}

static void test_exact_identifier_first(void **state)
{
	struct party_index *ix = sample();
	const char *typed[] = { "012 345 678", "+855-12-345-678", "0085512345678", "85512345678" };
	for (size_t t = 0; t < 4; t++) {
		struct found f;
		search(ix, &customs, typed[t], 20, &f);
		assert_true(f.n >= 1);
		assert_int_equal(f.hits[0].kind, PARTY_HIT_IDENTIFIER);
		assert_int_equal(f.hits[0].id, 100);
		assert_int_equal(f.hits[0].party_id, 1);
		assert_string_equal(f.hits[0].ident_kind, "phone");
		assert_string_equal(f.hits[0].label, "+855 12 345 678");
		assert_string_equal(f.hits[0].reason, "exact phone +85512345678");
		assert_true(f.hits[0].score == 1.0);
		arena_free(&f.a);
	}
	/* a passport typed without its country, a handle on any platform */
	struct found f;
	search(ix, &customs, "a 1234567", 20, &f);
	assert_true(f.n >= 1);
	assert_int_equal(f.hits[0].id, 101);
	assert_string_equal(f.hits[0].ident_kind, "passport");
	arena_free(&f.a);
	search(ix, &customs, "@wangwei88", 20, &f);
	assert_true(f.n >= 1);
	assert_int_equal(f.hits[0].id, 102);
	arena_free(&f.a);
	/* an identifier and a name in one query: the identifier comes first */
	party_index_free(ix);
}

static void test_cross_script(void **state)
{
	struct party_index *ix = sample();
	struct {
		const char *q;
		int64_t party;
	} cases[] = {
		{ "SUN Chantha", 1 }, { "Soun Chanthar", 1 }, { "Sun Chan Tha", 1 },
		{ "Chantha Sun", 1 }, { "ស៊ុន ចាន់ថា", 1 },   { "Wang Wei", 3 },
		{ "WANG Wei", 3 },    { "Wei Wang", 3 },       { "Nguyen Van Hung", 4 },
		{ "NGUYEN VAN HUNG", 4 }, { "Somchai Srisuk", 5 }, { "សុខ ដារ៉ា", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct found f;
		search(ix, &admin, cases[i].q, 10, &f);
		int r = rank_of(&f, cases[i].party);
		if (r != 0)
			fail_msg("%s: party %lld at rank %d", cases[i].q, (long long)cases[i].party, r);
		assert_true(f.hits[0].score >= NAME_MATCH_THRESHOLD);
		assert_non_null(f.hits[0].reason);
		assert_true(strlen(f.hits[0].reason) > 0);
		arena_free(&f.a);
	}
	/* the explanation says what was romanised */
	struct found f;
	search(ix, &admin, "Sun Chantha", 10, &f);
	assert_int_equal(rank_of(&f, 1), 0);
	assert_non_null(strstr(f.hits[0].reason, "sun chantha"));
	assert_string_equal(f.hits[0].label, "ស៊ុន ចាន់ថា");
	arena_free(&f.a);
	party_index_free(ix);
}

static void test_ranking(void **state)
{
	struct party_index *ix = sample();
	struct found f;
	search(ix, &admin, "Sun Chantha", 10, &f);
	assert_true(f.n >= 2);
	assert_int_equal(f.hits[0].id, 1);
	for (size_t i = 1; i < f.n; i++)
		assert_true(f.hits[i - 1].score >= f.hits[i].score);
	for (size_t i = 0; i < f.n; i++)
		assert_true(f.hits[i].score >= PARTY_SEARCH_MIN_SCORE);
	/* a near name ranks below the exact one */
	int near = rank_of(&f, 8);
	assert_true(near > 0);
	arena_free(&f.a);
	/* the limit cuts the hits, not the total */
	search(ix, &admin, "Sun Chantha", 1, &f);
	assert_int_equal(f.n, 1);
	assert_true(f.total >= 2);
	arena_free(&f.a);
	/* a typo still finds the name */
	search(ix, &admin, "Golden Dragn Trading", 10, &f);
	assert_int_equal(rank_of(&f, 9), 0);
	arena_free(&f.a);
	/* nothing like it: nothing */
	search(ix, &admin, "Zzyzx Qwerty", 10, &f);
	assert_int_equal(f.n, 0);
	assert_int_equal(f.total, 0);
	arena_free(&f.a);
	party_index_free(ix);
}

static void test_access_rules(void **state)
{
	struct party_index *ix = sample();
	struct found fa, fc, ff;
	search(ix, &admin, "Sun Chanthy", 20, &fa);
	search(ix, &customs, "Sun Chanthy", 20, &fc);
	search(ix, &forestry, "Sun Chanthy", 20, &ff);
	assert_true(rank_of(&fa, 8) >= 0);
	assert_true(rank_of(&ff, 8) >= 0);       /* its own agency */
	assert_int_equal(rank_of(&fc, 8), -1);   /* another agency's, not shared */
	assert_int_equal(fc.total, fa.total - 1); /* and not counted */
	for (size_t i = 0; i < fc.n; i++)
		assert_false(fc.hits[i].id == 8 && fc.hits[i].kind == PARTY_HIT_PARTY);
	arena_free(&fa.a);
	arena_free(&fc.a);
	arena_free(&ff.a);
	/* identifiers likewise */
	search(ix, &customs, "097 765 432", 20, &fc);
	for (size_t i = 0; i < fc.n; i++)
		assert_false(fc.hits[i].kind == PARTY_HIT_IDENTIFIER && fc.hits[i].id == 103);
	assert_int_equal(fc.total, 0);
	arena_free(&fc.a);
	search(ix, &forestry, "097 765 432", 20, &ff);
	assert_true(ff.n >= 1);
	assert_int_equal(ff.hits[0].id, 103);
	assert_int_equal(ff.hits[0].party_id, 8);
	arena_free(&ff.a);
	party_index_free(ix);
}

static void test_follows_changes(void **state)
{
	struct party_index *ix = sample();
	struct found f;
	search(ix, &admin, "Chan Thy", 10, &f);
	assert_int_equal(rank_of(&f, 7), 0);
	arena_free(&f.a);
	/* renamed: found by the new name, not by the old */
	put(ix, 7, 1, 1, "Keo Sambath", "កែវ សម្បត្តិ");
	search(ix, &admin, "Chan Thy", 10, &f);
	assert_int_equal(rank_of(&f, 7), -1);
	arena_free(&f.a);
	search(ix, &admin, "Keo Sambat", 10, &f);
	assert_int_equal(rank_of(&f, 7), 0);
	assert_string_equal(f.hits[0].label, "Keo Sambath");
	arena_free(&f.a);
	/* shared with another agency no longer */
	put(ix, 7, 1, 0, "Keo Sambath", NULL);
	search(ix, &forestry, "Keo Sambath", 10, &f);
	assert_int_equal(rank_of(&f, 7), -1);
	arena_free(&f.a);
	/* removed */
	party_index_remove(ix, 7);
	search(ix, &admin, "Keo Sambath", 10, &f);
	assert_int_equal(rank_of(&f, 7), -1);
	arena_free(&f.a);
	/* an identifier removed and one added */
	party_index_remove_ident(ix, 100);
	search(ix, &admin, "012 345 678", 10, &f);
	assert_int_equal(f.n, 0);
	arena_free(&f.a);
	put_ident(ix, 104, 2, 1, 1, "phone", "+85512345678", NULL);
	search(ix, &admin, "012345678", 10, &f);
	assert_true(f.n >= 1);
	assert_int_equal(f.hits[0].id, 104);
	assert_string_equal(f.hits[0].label, "+85512345678");
	arena_free(&f.a);
	struct party_index_stats st;
	party_index_stats(ix, &st);
	assert_int_equal(st.parties, 8);
	assert_int_equal(st.identifiers, 4);
	assert_true(st.bytes > 0);
	party_index_free(ix);
}

/* A key kept in the index scores exactly as the key built from the name. */
static void test_scores_as_name_compare(void **state)
{
	const char *names[] = { "ស៊ុន ចាន់ថា", "Soun Chanthar", "王伟", "Wong Wai", "张建国",
				"Nguyễn Thị Lan", "Nguyen Lan", "สมชาย ศรีสุข", "Somchay Srisook",
				"Golden Dragon Trading", "Sok Dara", "Dara Sokh" };
	size_t n = sizeof names / sizeof *names;
	for (size_t i = 0; i < n; i++) {
		struct party_index *ix = party_index_new();
		put(ix, 1, 1, 1, names[i], NULL);
		for (size_t j = 0; j < n; j++) {
			struct arena a;
			arena_init(&a);
			struct name_key ka, kb;
			struct error err = ERROR_INIT;
			assert_int_equal(name_key_build(names[j], &a, &ka, &err), 0);
			assert_int_equal(name_key_build(names[i], &a, &kb, &err), 0);
			char why[200];
			double want = name_compare(&ka, &kb, why, sizeof why);
			struct found f;
			search(ix, &admin, names[j], 10, &f);
			if (want >= PARTY_SEARCH_MIN_SCORE) {
				if (f.n != 1)
					fail_msg("%s ~ %s scores %.3f but is not found", names[j],
						 names[i], want);
				assert_true(f.hits[0].score == want);
				assert_string_equal(f.hits[0].reason, why);
			} else {
				assert_int_equal(f.n, 0);
			}
			arena_free(&f.a);
			arena_free(&a);
		}
		party_index_free(ix);
	}
}

static void test_bad_input(void **state)
{
	struct party_index *ix = party_index_new();
	struct error err = ERROR_INIT;
	const char *names[] = { "Sok Dara" };
	struct party_doc d = { .id = 0, .names = names, .nnames = 1 };
	assert_int_equal(party_index_put(ix, &d, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	error_clear(&err);
	struct ident_doc id = { .id = 5, .kind = "phone", .key = "" };
	assert_int_equal(party_index_put_ident(ix, &id, &err), -1);
	error_clear(&err);
	/* names without letters and invalid UTF-8 are skipped, the party kept */
	const char *odd[] = { "12345", "\xff\xfe", "Sok Dara" };
	struct party_doc d2 = { .id = 3, .agency_id = 1, .national = 1, .names = odd, .nnames = 3 };
	assert_int_equal(party_index_put(ix, &d2, &err), 0);
	struct found f;
	search(ix, &admin, "Sok Dara", 10, &f);
	assert_int_equal(rank_of(&f, 3), 0);
	assert_string_equal(f.hits[0].label, "12345"); /* the first name is the label */
	arena_free(&f.a);
	/* an empty or unreadable query finds nothing and fails nothing */
	search(ix, &admin, "", 10, &f);
	assert_int_equal(f.n, 0);
	arena_free(&f.a);
	party_index_free(ix);
}

/* ---- built from the store, following it ---------------------------------- */

static int64_t create(struct fixture *fx, const struct actor *who, const char *sharing,
		      const char *name, const char *phone)
{
	struct arena a;
	arena_init(&a);
	struct party p;
	memset(&p, 0, sizeof p);
	p.kind = "person";
	p.sharing = sharing;
	p.names = arena_alloc(&a, sizeof *p.names);
	p.names[0] = (struct party_name){ .name = name };
	p.nnames = 1;
	if (phone) {
		p.new_idents = arena_alloc(&a, sizeof *p.new_idents);
		p.new_idents[0].ident.kind = "phone";
		p.new_idents[0].ident.value = phone;
		p.nnew_idents = 1;
	}
	struct error err = ERROR_INIT;
	if (party_create(fx->st, fx->ref, who, &p, &a, &err) != 0)
		fail_msg("party_create: %s", err.message);
	arena_free(&a);
	return p.id;
}

static void test_from_store(void **state)
{
	struct fixture fx;
	fixture_open(&fx);
	int64_t chantha = create(&fx, &fx.officer, "national", "ស៊ុន ចាន់ថា", "012 345 678");
	int64_t hidden = create(&fx, &fx.forester, "agency", "Sun Chanthy", "097 765 432");
	struct error err = ERROR_INIT;
	struct party_index *ix = party_index_build(fx.st, &err);
	assert_non_null(ix);
	struct found f;
	search(ix, &fx.analyst, "Soun Chanthar", 10, &f);
	assert_int_equal(rank_of(&f, chantha), 0);
	assert_int_equal(rank_of(&f, hidden), -1);
	arena_free(&f.a);
	search(ix, &fx.analyst, "+855 12 345 678", 10, &f);
	assert_int_equal(f.hits[0].kind, PARTY_HIT_IDENTIFIER);
	assert_int_equal(f.hits[0].party_id, chantha);
	assert_string_equal(f.hits[0].reason, "exact phone +85512345678");
	arena_free(&f.a);
	search(ix, &fx.forester, "Sun Chanthy", 10, &f);
	assert_int_equal(rank_of(&f, hidden), 0);
	arena_free(&f.a);

	/* changed through the domain (here, or by another process): sync reads
	 * the changed parties again */
	int64_t added = create(&fx, &fx.officer, "national", "王伟", NULL);
	struct arena a;
	arena_init(&a);
	struct party p;
	assert_int_equal(party_get(fx.st, &fx.admin, chantha, &p, &a, &err), 0);
	p.names[0] = (struct party_name){ .name = "Keo Sambath" };
	p.nnames = 1;
	assert_int_equal(party_update(fx.st, fx.ref, &fx.officer, chantha, &p, &a, &err), 0);
	arena_free(&a);
	assert_int_equal(party_index_sync(ix, fx.st, &err), 0);
	search(ix, &fx.analyst, "Wang Wei", 10, &f);
	assert_int_equal(rank_of(&f, added), 0);
	arena_free(&f.a);
	search(ix, &fx.analyst, "Soun Chanthar", 10, &f);
	assert_int_equal(rank_of(&f, chantha), -1);
	arena_free(&f.a);
	search(ix, &fx.analyst, "Keo Sambat", 10, &f);
	assert_int_equal(rank_of(&f, chantha), 0);
	arena_free(&f.a);
	/* the phone came along with the party */
	search(ix, &fx.analyst, "012345678", 10, &f);
	assert_true(f.n >= 1);
	assert_int_equal(f.hits[0].party_id, chantha);
	arena_free(&f.a);

	/* deleted */
	arena_init(&a);
	assert_int_equal(party_get(fx.st, &fx.admin, added, &p, &a, &err), 0);
	assert_int_equal(party_delete(fx.st, &fx.admin, added, p.version, &err), 0);
	arena_free(&a);
	assert_int_equal(party_index_refresh(ix, fx.st, added, &err), 0);
	search(ix, &fx.analyst, "Wang Wei", 10, &f);
	assert_int_equal(rank_of(&f, added), -1);
	arena_free(&f.a);

	/* the index knows the generation it is at: nothing to do */
	struct party_index_stats st1, st2;
	party_index_stats(ix, &st1);
	assert_int_equal(party_index_sync(ix, fx.st, &err), 0);
	party_index_stats(ix, &st2);
	assert_int_equal(st1.generation, st2.generation);
	assert_int_equal(st2.parties, 2);
	int64_t gen;
	assert_int_equal(store_party_generation(fx.st, &gen, &err), 0);
	assert_int_equal(st2.generation, gen);
	party_index_free(ix);
	fixture_close(&fx);
}

/* ---- identifiers seen in seizures ----------------------------------------- */

static int64_t make_seizure(struct fixture *fx, const struct actor *who, const char *ref,
			    const char *sharing)
{
	struct arena a;
	arena_init(&a);
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.ref = ref;
	s.sharing = sharing;
	s.date = "2025-03-14";
	s.country = "KH";
	s.items = arena_alloc(&a, sizeof *s.items);
	s.nitems = 1;
	s.items[0].species = "Manis javanica";
	s.items[0].term = "SCA";
	s.items[0].quantity = 12;
	s.items[0].unit = "KIL";
	s.items[0].live = -1;
	struct error err = ERROR_INIT;
	if (seizure_create(fx->st, fx->ref, who, &s, &a, &err) != 0)
		fail_msg("seizure_create: %s", err.message);
	arena_free(&a);
	return s.id;
}

/* Records a container seen in a seizure (linked to no party); its id. */
static int64_t seen_in(struct fixture *fx, const struct actor *who, int64_t seizure,
		       const char *container)
{
	struct arena a;
	arena_init(&a);
	struct identifier in = { .kind = "container", .value = container }, out;
	struct link_info l = { 0 };
	int created = 0;
	struct error err = ERROR_INIT;
	if (seizure_add_identifier(fx->st, fx->ref, who, seizure, &in, &l, &out, &created, &a,
				   &err) != 0)
		fail_msg("seizure_add_identifier: %s", err.message);
	arena_free(&a);
	return out.id;
}

/* 1 when the search finds the identifier (and nothing else: total 1), 0 when
 * it finds nothing at all (total 0). */
static int finds_ident(struct party_index *ix, const struct actor *who, const char *q,
		       int64_t ident)
{
	struct found f;
	search(ix, who, q, 10, &f);
	int yes = f.n == 1 && f.total == 1 && f.hits[0].kind == PARTY_HIT_IDENTIFIER &&
		  f.hits[0].id == ident && f.hits[0].party_id == 0;
	int none = f.n == 0 && f.total == 0;
	arena_free(&f.a);
	if (!yes && !none)
		fail_msg("%s: neither found alone nor absent", q);
	return yes;
}

static void set_sharing(struct fixture *fx, int64_t id, const char *sharing)
{
	struct arena a;
	arena_init(&a);
	struct seizure s;
	struct error err = ERROR_INIT;
	assert_int_equal(seizure_get(fx->st, NULL, &fx->admin, id, &s, &a, &err), 0);
	s.sharing = sharing;
	if (seizure_update(fx->st, fx->ref, &fx->officer, id, &s, &a, &err) != 0)
		fail_msg("seizure_update: %s", err.message);
	arena_free(&a);
}

static void test_seizure_access(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	/* customs' seizures, one shared nationally, one kept to customs */
	int64_t shared = make_seizure(&fx, &fx.officer, "KH-CUS-2025-0100", "national");
	int64_t own = make_seizure(&fx, &fx.officer, "KH-CUS-2025-0101", "agency");
	int64_t c1 = seen_in(&fx, &fx.officer, shared, "CSQU3054383");
	int64_t c2 = seen_in(&fx, &fx.officer, own, "MSCU1234566");
	struct error err = ERROR_INIT;
	struct party_index *ix = party_index_build(fx.st, &err);
	assert_non_null(ix);
	/* forestry sees the national seizure, so the container seen in it;
	 * not the other one, in the hits nor in the total */
	assert_true(finds_ident(ix, &fx.forester, "CSQU 305438-3", c1));
	assert_false(finds_ident(ix, &fx.forester, "MSCU1234566", c2));
	assert_true(finds_ident(ix, &fx.analyst, "MSCU1234566", c2));
	assert_true(finds_ident(ix, &fx.admin, "mscu 1234566", c2));

	/* after the build: a container recorded and seen in a seizure is
	 * followed by sync, for customs (who recorded it) and forestry (the
	 * seizure is national) */
	int64_t c3 = seen_in(&fx, &fx.officer, shared, "TGHU7654320");
	assert_false(finds_ident(ix, &fx.forester, "TGHU7654320", c3));
	assert_int_equal(party_index_sync(ix, fx.st, &err), 0);
	assert_true(finds_ident(ix, &fx.forester, "TGHU7654320", c3));
	assert_true(finds_ident(ix, &fx.viewer, "TGHU7654320", c3));
	/* an existing container seen later in the national seizure */
	assert_int_equal(seen_in(&fx, &fx.officer, shared, "MSCU1234566"), c2);
	assert_int_equal(party_index_sync(ix, fx.st, &err), 0);
	assert_true(finds_ident(ix, &fx.forester, "MSCU1234566", c2));

	/* the seizure kept to customs again: forestry loses its containers */
	set_sharing(&fx, shared, "agency");
	assert_int_equal(party_index_sync(ix, fx.st, &err), 0);
	assert_false(finds_ident(ix, &fx.forester, "CSQU3054383", c1));
	assert_false(finds_ident(ix, &fx.forester, "TGHU7654320", c3));
	assert_false(finds_ident(ix, &fx.forester, "MSCU1234566", c2));
	assert_true(finds_ident(ix, &fx.officer, "TGHU7654320", c3));

	/* a rebuild gives the same answers */
	party_index_free(ix);
	ix = party_index_build(fx.st, &err);
	assert_non_null(ix);
	assert_false(finds_ident(ix, &fx.forester, "TGHU7654320", c3));
	assert_true(finds_ident(ix, &fx.officer, "TGHU7654320", c3));
	party_index_free(ix);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_identifier_first),
		cmocka_unit_test(test_cross_script),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_access_rules),
		cmocka_unit_test(test_follows_changes),
		cmocka_unit_test(test_scores_as_name_compare),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_from_store),
		cmocka_unit_test(test_seizure_access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
