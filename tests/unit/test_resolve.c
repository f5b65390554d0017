/* Entity resolution: candidates by shared identifier and by cross-script
 * name with birth year, contradictions, merge and exact undo, "not the
 * same", automatic merge by a proving identifier, access rules. */
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "party/json.h"
#include "party/party.h"
#include "party/resolve.h"
#include "seizure/seizure.h"

static int ok(int rc, struct error *e)
{
	if (rc != 0) {
		for (size_t i = 0; i < e->nfields; i++)
			fprintf(stderr, "  %s: %s\n", e->fields[i].field, e->fields[i].message);
		if (e->message)
			fprintf(stderr, "  %s\n", e->message);
	}
	return rc;
}

/* A person with the names given (NULL-terminated), birth year and sex. */
static int64_t person(struct fixture *fx, const struct actor *who, const char *sharing,
		      int birth_year, const char *sex, const char *nat, struct arena *a, ...)
{
	struct party p;
	memset(&p, 0, sizeof p);
	p.kind = "person";
	p.sharing = sharing;
	p.birth_year = birth_year;
	p.sex = sex;
	p.nationalities = nat;
	p.names = arena_alloc(a, 8 * sizeof *p.names);
	va_list ap;
	va_start(ap, a);
	const char *n;
	while ((n = va_arg(ap, const char *)) && p.nnames < 8)
		p.names[p.nnames++].name = n;
	va_end(ap);
	struct error err = ERROR_INIT;
	if (ok(party_create(fx->st, fx->ref, who, &p, a, &err), &err) != 0)
		fixture_die("party", &err);
	return p.id;
}

static int64_t ident(struct fixture *fx, const struct actor *who, int64_t party, const char *kind,
		     const char *value, const char *country, struct arena *a)
{
	struct identifier in = { .kind = kind, .value = value, .country = country }, out;
	struct link_info l = { "uses", "statement", "2025-01-02", 0 };
	int created;
	struct error err = ERROR_INIT;
	if (ok(party_add_identifier(fx->st, fx->ref, who, party, &in, &l, &out, &created, a, &err),
	       &err) != 0)
		fixture_die("identifier", &err);
	return out.id;
}

static void detect(struct fixture *fx, struct resolve_stats *stats)
{
	struct error err = ERROR_INIT;
	assert_int_equal(ok(resolve_detect(fx->st, fx->ref, NULL, 0, stats, &err), &err), 0);
}

/* The open queue as who sees it. */
static void queue(struct fixture *fx, const struct actor *who, const char *status,
		  struct resolve_queue *q, struct arena *a)
{
	struct error err = ERROR_INIT;
	assert_int_equal(ok(resolve_queue(fx->st, fx->ref, NULL, who, status, NULL, 50, q, a, &err),
			    &err),
			 0);
}

/* The candidate of the pair (x, y) in q, or NULL. */
static const struct resolve_item *pair(const struct resolve_queue *q, int64_t x, int64_t y)
{
	int64_t a = x < y ? x : y, b = x < y ? y : x;
	for (size_t i = 0; i < q->n; i++)
		if (q->items[i].c.party_a == a && q->items[i].c.party_b == b)
			return &q->items[i];
	return NULL;
}

static void test_candidate_by_identifier(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	int64_t p1 = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Sok Dara", NULL);
	int64_t p2 = person(&fx, &fx.forester, NULL, 0, NULL, NULL, &a, "Lim Bunthoeun", NULL);
	int64_t p3 = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Chea Vanna", NULL);
	ident(&fx, &fx.officer, p1, "phone", "012 345 678", NULL, &a);
	ident(&fx, &fx.forester, p2, "phone", "+855 12-345-678", NULL, &a);
	ident(&fx, &fx.officer, p3, "phone", "+855 99 888 777", NULL, &a);

	struct resolve_stats stats;
	detect(&fx, &stats);
	assert_int_equal(stats.checked, 3);
	assert_int_equal(stats.proposed, 1);
	struct resolve_queue q;
	queue(&fx, &fx.analyst, "open", &q, &a);
	assert_int_equal(q.total, 1);
	assert_int_equal(q.n, 1);
	const struct resolve_item *it = pair(&q, p1, p2);
	assert_non_null(it);
	assert_string_equal(it->c.status, "open");
	assert_true(it->c.score >= 0.9 && it->c.score < 0.95);
	assert_non_null(strstr(it->c.reason, "same phone +855"));
	assert_non_null(strstr(it->c.reason, "names differ"));
	/* both sides as the queue shows them */
	assert_int_equal(it->side[0].party.id, p1);
	assert_int_equal(it->side[0].nidents, 1);
	assert_string_equal(it->side[1].party.names[0].name, "Lim Bunthoeun");
	assert_int_equal(it->side[1].party.agency_id, fx.forestry_id);

	/* nothing changed: a second pass checks nothing and proposes nothing */
	detect(&fx, &stats);
	assert_int_equal(stats.checked, 0);
	assert_int_equal(stats.proposed, 0);

	/* officers and viewers have no queue */
	struct error err = ERROR_INIT;
	assert_int_equal(resolve_queue(fx.st, fx.ref, NULL, &fx.officer, NULL, NULL, 50, &q, &a,
				       &err),
			 -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	assert_int_equal(resolve_queue(fx.st, fx.ref, NULL, &fx.viewer, NULL, NULL, 50, &q, &a,
				       &err),
			 -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_candidate_by_name_and_birth(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	int64_t km = person(&fx, &fx.forester, NULL, 1980, "male", NULL, &a, "ស៊ុន ចាន់ថា", NULL);
	int64_t la = person(&fx, &fx.officer, NULL, 1980, NULL, NULL, &a, "Soun Chanthar", NULL);
	/* a year one apart agrees when only years are known */
	int64_t near = person(&fx, &fx.officer, NULL, 1981, NULL, NULL, &a, "SUN Chan Tha", NULL);
	/* the same names without anything agreeing: not proposed */
	int64_t bare = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Sun Chantha", NULL);
	/* a different name with the same birth year */
	int64_t other = person(&fx, &fx.officer, NULL, 1980, NULL, NULL, &a, "Wang Wei", NULL);
	/* Chinese: same name across scripts, agreeing by nationality */
	int64_t w1 = person(&fx, &fx.officer, NULL, 0, NULL, "CN", &a, "王伟", NULL);
	int64_t w2 = person(&fx, &fx.forester, NULL, 0, NULL, "CN;KH", &a, "Wang Wei", NULL);

	struct resolve_queue q;
	queue(&fx, &fx.admin, "open", &q, &a);
	const struct resolve_item *it = pair(&q, km, la);
	assert_non_null(it);
	assert_non_null(strstr(it->c.reason, "same birth year 1980"));
	assert_non_null(strstr(it->c.reason, "sun chantha"));
	assert_true(it->c.score > 0.8 && it->c.score <= 0.95);
	it = pair(&q, km, near);
	assert_non_null(it);
	assert_non_null(strstr(it->c.reason, "birth years 1980 and 1981"));
	assert_null(pair(&q, km, bare));
	assert_null(pair(&q, la, bare));
	assert_null(pair(&q, km, other));
	assert_null(pair(&q, other, w2));
	it = pair(&q, w1, w2);
	assert_non_null(it);
	assert_non_null(strstr(it->c.reason, "both CN"));
	/* highest score first */
	for (size_t i = 1; i < q.n; i++)
		assert_true(q.items[i - 1].c.score >= q.items[i].c.score);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_contradictions(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	/* same names, birth years ten years apart, and a shared phone */
	int64_t x = person(&fx, &fx.officer, NULL, 1970, NULL, "KH", &a, "Sun Chantha", NULL);
	int64_t y = person(&fx, &fx.officer, NULL, 1980, NULL, "KH", &a, "Soun Chantha", NULL);
	ident(&fx, &fx.officer, x, "phone", "012 345 678", NULL, &a);
	ident(&fx, &fx.officer, y, "phone", "012 345 678", NULL, &a);
	/* known sexes that differ */
	int64_t m = person(&fx, &fx.officer, NULL, 1990, "male", NULL, &a, "Keo Sophal", NULL);
	int64_t f = person(&fx, &fx.officer, NULL, 1990, "female", NULL, &a, "Keo Sophal", NULL);
	/* a person and an organisation sharing a phone */
	struct party org;
	memset(&org, 0, sizeof org);
	org.kind = "organisation";
	org.names = arena_alloc(&a, sizeof *org.names);
	org.names[0].name = "Sophal Trading Co";
	org.nnames = 1;
	struct error err = ERROR_INIT;
	assert_int_equal(ok(party_create(fx.st, fx.ref, &fx.officer, &org, &a, &err), &err), 0);
	ident(&fx, &fx.officer, org.id, "phone", "+855 77 111 222", NULL, &a);
	ident(&fx, &fx.officer, m, "phone", "+855 77 111 222", NULL, &a);

	struct resolve_queue q;
	queue(&fx, &fx.admin, "open", &q, &a);
	assert_null(pair(&q, x, y));
	assert_null(pair(&q, m, f));
	assert_null(pair(&q, m, org.id));
	assert_int_equal(q.total, 0);
	arena_free(&a);
	fixture_close(&fx);
}

/* The party page as JSON without what a merge and its undo change by
 * design (version, updated_at). */
static char *page_text(struct fixture *fx, int64_t id)
{
	struct arena a;
	arena_init(&a);
	struct party_page pg;
	struct error err = ERROR_INIT;
	if (ok(party_page(fx->st, &fx->admin, id, &pg, &a, &err), &err) != 0)
		fixture_die("page", &err);
	json_t *j = party_page_to_json(&pg);
	json_object_del(j, "version");
	json_object_del(j, "updated_at");
	char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	arena_free(&a);
	return s;
}

/* Two records of one trader, with a shared phone, a seizure each, a
 * relation to a third party and a relation between them. */
struct scene {
	int64_t s, m, c, seizure1, seizure2, phone, email;
};

static int64_t seizure(struct fixture *fx, const char *ref, struct arena *a)
{
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.ref = ref;
	s.date = "2025-03-14";
	s.country = "KH";
	s.items = arena_alloc(a, sizeof *s.items);
	s.nitems = 1;
	s.items[0].species = "Manis javanica";
	s.items[0].term = "SCA";
	s.items[0].quantity = 12;
	s.items[0].unit = "KIL";
	s.items[0].live = -1;
	struct error err = ERROR_INIT;
	if (seizure_create(fx->st, fx->ref, &fx->officer, &s, a, &err) != 0)
		fixture_die("seizure", &err);
	return s.id;
}

static void link_seizure(struct fixture *fx, int64_t party, int64_t sz, const char *role,
			 struct arena *a)
{
	struct link_info l = { role, "report", NULL, 0 };
	int created;
	struct error err = ERROR_INIT;
	if (ok(party_link_seizure(fx->st, &fx->officer, party, sz, &l, &created, a, &err), &err))
		fixture_die("seizure link", &err);
}

static void relate(struct fixture *fx, int64_t x, int64_t y, const char *kind, struct arena *a)
{
	struct link_info l = { kind, "statement", "2024-05", 0 };
	int created;
	struct error err = ERROR_INIT;
	if (ok(party_add_relation(fx->st, &fx->officer, x, y, &l, &created, a, &err), &err))
		fixture_die("relation", &err);
}

static void scene_make(struct fixture *fx, struct scene *sc, struct arena *a)
{
	sc->s = person(fx, &fx->officer, NULL, 1980, "male", "KH", a, "ស៊ុន ចាន់ថា",
		       "SUN Chantha", NULL);
	sc->m = person(fx, &fx->officer, NULL, 1980, NULL, "KH", a, "Soun Chanthar",
		       "SUN Chantha", "Tha", NULL);
	sc->c = person(fx, &fx->officer, NULL, 0, NULL, NULL, a, "Keo Sophal", NULL);
	sc->phone = ident(fx, &fx->officer, sc->s, "phone", "012 345 678", NULL, a);
	ident(fx, &fx->officer, sc->m, "phone", "+85512345678", NULL, a);
	sc->email = ident(fx, &fx->officer, sc->m, "email", "Soun.C@example.com", NULL, a);
	sc->seizure1 = seizure(fx, "KH-RES-1", a);
	sc->seizure2 = seizure(fx, "KH-RES-2", a);
	link_seizure(fx, sc->s, sc->seizure1, "suspect", a);
	link_seizure(fx, sc->m, sc->seizure1, "suspect", a);
	link_seizure(fx, sc->m, sc->seizure2, "driver", a);
	relate(fx, sc->m, sc->c, "associate", a);
	relate(fx, sc->m, sc->s, "family", a);
}

static void test_merge_moves_everything(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct scene sc;
	scene_make(&fx, &sc, &a);
	struct resolve_queue q;
	queue(&fx, &fx.analyst, "open", &q, &a);
	const struct resolve_item *it = pair(&q, sc.s, sc.m);
	assert_non_null(it);
	assert_non_null(strstr(it->c.reason, "same phone +855 12 345 678"));
	assert_int_equal(it->side[1].nseizures, 2);
	int64_t cand = it->c.id;

	struct error err = ERROR_INIT;
	int64_t merge_id;
	/* the survivor must be one of the pair, and a reason is required */
	assert_int_equal(resolve_merge_candidate(fx.st, fx.ref, &fx.analyst, cand, sc.c, "",
						 &merge_id, &err),
			 -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_int_equal(err.nfields, 2);
	error_clear(&err);
	assert_int_equal(resolve_merge_candidate(fx.st, fx.ref, &fx.officer, cand, sc.s, "same",
						 &merge_id, &err),
			 -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);

	assert_int_equal(ok(resolve_merge_candidate(fx.st, fx.ref, &fx.analyst, cand, sc.s,
						    "same phone and names, Koh Kong trader",
						    &merge_id, &err),
			    &err),
			 0);
	struct party_page pg;
	assert_int_equal(ok(party_page(fx.st, &fx.analyst, sc.s, &pg, &a, &err), &err), 0);
	/* names: the survivor's two, plus "Soun Chanthar" and "Tha" ("SUN
	 * Chantha" was there already) */
	assert_int_equal(pg.party.nnames, 4);
	assert_string_equal(pg.party.names[2].name, "Soun Chanthar");
	assert_string_equal(pg.party.names[3].name, "Tha");
	assert_string_equal(pg.party.names[3].romanised, "tha");
	assert_non_null(strstr(pg.party.search_text, "soun chanthar"));
	/* identifiers: the phone once (the merged party's link was the same), the e-mail */
	assert_int_equal(pg.nidents, 2);
	/* seizures: KH-RES-1 once as suspect, KH-RES-2 as driver */
	assert_int_equal(pg.nseizures, 2);
	/* relations: associate of Keo Sophal; the family link between the two is gone */
	assert_int_equal(pg.nrelations, 1);
	assert_int_equal(pg.relations[0].other_id, sc.c);
	assert_int_equal(pg.party.version, 2);

	struct party m;
	assert_int_equal(ok(party_get(fx.st, &fx.analyst, sc.m, &m, &a, &err), &err), 0);
	assert_int_equal(m.merged_into, sc.s);
	assert_int_equal(m.nnames, 0);
	struct party_page pm;
	assert_int_equal(ok(party_page(fx.st, &fx.admin, sc.m, &pm, &a, &err), &err), 0);
	assert_int_equal(pm.nidents + pm.nseizures + pm.nrelations, 0);
	/* the merged party is out of lists */
	struct party_filter f = { 0 };
	struct party_list list;
	assert_int_equal(ok(party_list(fx.st, &fx.analyst, &f, &list, &a, &err), &err), 0);
	assert_int_equal(list.total, 2);
	/* the merge record: who, why, every row */
	struct party_merge_rec rec;
	assert_int_equal(ok(resolve_merge_get(fx.st, &fx.analyst, merge_id, &rec, &a, &err), &err),
			 0);
	assert_int_equal(rec.survivor_id, sc.s);
	assert_int_equal(rec.merged_id, sc.m);
	assert_int_equal(rec.candidate_id, cand);
	assert_string_equal(rec.username, "analyst");
	assert_string_equal(rec.reason, "same phone and names, Koh Kong trader");
	assert_false(rec.automatic);
	size_t moved = 0, dropped = 0;
	for (size_t i = 0; i < rec.nrows; i++)
		*(strcmp(rec.rows[i].action, "moved") == 0 ? &moved : &dropped) += 1;
	/* moved: 2 names, e-mail, KH-RES-2, associate; dropped: 1 name, phone,
	 * KH-RES-1, family */
	assert_int_equal(moved, 5);
	assert_int_equal(dropped, 4);
	/* the candidate is merged; the queue is empty */
	queue(&fx, &fx.analyst, "open", &q, &a);
	assert_int_equal(q.total, 0);
	queue(&fx, &fx.analyst, "merged", &q, &a);
	assert_int_equal(q.total, 1);
	assert_int_equal(q.items[0].c.merge_id, merge_id);
	/* audited: "merge" on the survivor, "merged" on the other */
	struct party_merge_rec *list_m;
	size_t nm;
	assert_int_equal(ok(resolve_merges_of(fx.st, &fx.viewer, sc.m, &list_m, &nm, &a, &err), &err),
			 0);
	assert_int_equal(nm, 1);
	/* a second merge of the pair is a conflict */
	assert_int_equal(resolve_merge_candidate(fx.st, fx.ref, &fx.analyst, cand, sc.s, "again",
						 &merge_id, &err),
			 -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	assert_int_equal(resolve_merge(fx.st, fx.ref, &fx.analyst, sc.c, sc.m, "x", &merge_id, &err),
			 -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	arena_free(&a);
	fixture_close(&fx);
}

struct audit_count {
	int merge, merged, unmerge;
};

static int count_audit(void *ctx, const struct audit_rec *r)
{
	struct audit_count *c = ctx;
	if (strcmp(r->action, "merge") == 0)
		c->merge++;
	else if (strcmp(r->action, "merged") == 0)
		c->merged++;
	else if (strcmp(r->action, "unmerge") == 0)
		c->unmerge++;
	return 0;
}

static void test_undo_restores_exactly(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct scene sc;
	scene_make(&fx, &sc, &a);
	char *before_s = page_text(&fx, sc.s), *before_m = page_text(&fx, sc.m),
	     *before_c = page_text(&fx, sc.c);
	struct error err = ERROR_INIT;
	int64_t merge_id;
	/* merged the other way round: the older party goes into the newer */
	assert_int_equal(ok(resolve_merge(fx.st, fx.ref, &fx.admin, sc.m, sc.s, "same trader",
					  &merge_id, &err),
			    &err),
			 0);
	char *mid_s = page_text(&fx, sc.s);
	assert_string_not_equal(mid_s, before_s);
	free(mid_s);
	assert_int_equal(resolve_undo(fx.st, fx.ref, &fx.admin, merge_id, " ", &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	error_clear(&err);
	assert_int_equal(ok(resolve_undo(fx.st, fx.ref, &fx.admin, merge_id, "wrong person", &err),
			    &err),
			 0);
	char *after_s = page_text(&fx, sc.s), *after_m = page_text(&fx, sc.m),
	     *after_c = page_text(&fx, sc.c);
	assert_string_equal(after_s, before_s);
	assert_string_equal(after_m, before_m);
	assert_string_equal(after_c, before_c);
	free(after_s);
	free(after_m);
	free(after_c);
	/* undone once only */
	assert_int_equal(resolve_undo(fx.st, fx.ref, &fx.admin, merge_id, "again", &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	struct party_merge_rec rec;
	assert_int_equal(ok(resolve_merge_get(fx.st, &fx.admin, merge_id, &rec, &a, &err), &err), 0);
	assert_non_null(rec.undone_at);
	assert_string_equal(rec.undo_reason, "wrong person");
	assert_string_equal(rec.undone_by_name, "admin");
	struct audit_count ac = { 0 };
	assert_int_equal(store_audit_each(fx.st, "party", sc.m, count_audit, &ac, &err), 0);
	assert_int_equal(ac.merge, 1);
	assert_int_equal(ac.unmerge, 1);
	ac = (struct audit_count){ 0 };
	assert_int_equal(store_audit_each(fx.st, "party", sc.s, count_audit, &ac, &err), 0);
	assert_int_equal(ac.merged, 1);
	assert_int_equal(ac.unmerge, 1);

	/* merge again; what is added to the survivor afterwards stays on it */
	assert_int_equal(ok(resolve_merge(fx.st, fx.ref, &fx.admin, sc.s, sc.m, "same after all",
					  &merge_id, &err),
			    &err),
			 0);
	int64_t later = ident(&fx, &fx.officer, sc.s, "phone", "+855 97 555 4444", NULL, &a);
	assert_int_equal(ok(resolve_undo(fx.st, fx.ref, &fx.admin, merge_id, "no", &err), &err), 0);
	struct party_page pg;
	assert_int_equal(ok(party_page(fx.st, &fx.admin, sc.s, &pg, &a, &err), &err), 0);
	assert_int_equal(pg.nidents, 2);
	assert_int_equal(pg.idents[1].ident.id, later);
	assert_int_equal(ok(party_remove_identifier(fx.st, &fx.officer, sc.s, later, NULL, &err),
			    &err),
			 0);
	after_s = page_text(&fx, sc.s);
	after_m = page_text(&fx, sc.m);
	assert_string_equal(after_s, before_s);
	assert_string_equal(after_m, before_m);
	free(after_s);
	free(after_m);
	free(before_s);
	free(before_m);
	free(before_c);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_undo_refused_when_not_exact(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct scene sc;
	scene_make(&fx, &sc, &a);
	int64_t t = person(&fx, &fx.officer, NULL, 1980, NULL, "KH", &a, "Sun Chantha", NULL);
	struct error err = ERROR_INIT;
	int64_t m1, m2;
	assert_int_equal(ok(resolve_merge(fx.st, fx.ref, &fx.admin, sc.s, sc.m, "one", &m1, &err),
			    &err),
			 0);
	assert_int_equal(ok(resolve_merge(fx.st, fx.ref, &fx.admin, t, sc.s, "two", &m2, &err), &err),
			 0);
	/* the survivor was merged later: undo that first */
	assert_int_equal(resolve_undo(fx.st, fx.ref, &fx.admin, m1, "no", &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	assert_non_null(strstr(err.message, "undo that merge first"));
	error_clear(&err);
	assert_int_equal(ok(resolve_undo(fx.st, fx.ref, &fx.admin, m2, "no", &err), &err), 0);
	/* a name the merge brought was removed from the survivor since */
	struct party s;
	assert_int_equal(ok(party_get(fx.st, &fx.admin, sc.s, &s, &a, &err), &err), 0);
	s.nnames = 2; /* drops "Soun Chanthar" and "Tha" */
	assert_int_equal(ok(party_update(fx.st, fx.ref, &fx.admin, sc.s, &s, &a, &err), &err), 0);
	assert_int_equal(resolve_undo(fx.st, fx.ref, &fx.admin, m1, "no", &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	assert_non_null(strstr(err.message, "Soun Chanthar"));
	error_clear(&err);
	/* nothing changed by the refusals */
	struct party m;
	assert_int_equal(ok(party_get(fx.st, &fx.admin, sc.m, &m, &a, &err), &err), 0);
	assert_int_equal(m.merged_into, sc.s);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_not_same_persists(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	int64_t x = person(&fx, &fx.officer, NULL, 1980, NULL, "KH", &a, "Sun Chantha", NULL);
	int64_t y = person(&fx, &fx.officer, NULL, 1980, NULL, "KH", &a, "Soun Chantha", NULL);
	struct resolve_queue q;
	queue(&fx, &fx.analyst, "open", &q, &a);
	const struct resolve_item *it = pair(&q, x, y);
	assert_non_null(it);
	int64_t cand = it->c.id;
	struct error err = ERROR_INIT;
	assert_int_equal(resolve_not_same(fx.st, &fx.analyst, cand, "", &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	error_clear(&err);
	assert_int_equal(ok(resolve_not_same(fx.st, &fx.analyst, cand, "brothers, different ID",
					     &err),
			    &err),
			 0);
	queue(&fx, &fx.analyst, "open", &q, &a);
	assert_int_equal(q.total, 0);
	/* a change of one of them (no new evidence) does not bring it back */
	struct party p;
	assert_int_equal(ok(party_get(fx.st, &fx.officer, x, &p, &a, &err), &err), 0);
	p.notes = "seen at the port";
	p.names[0].name = "SUN Chantha";
	assert_int_equal(ok(party_update(fx.st, fx.ref, &fx.officer, x, &p, &a, &err), &err), 0);
	struct resolve_stats st;
	detect(&fx, &st);
	assert_int_equal(st.checked, 1);
	queue(&fx, &fx.analyst, "open", &q, &a);
	assert_int_equal(q.total, 0);
	queue(&fx, &fx.analyst, "not_same", &q, &a);
	assert_int_equal(q.total, 1);
	assert_string_equal(q.items[0].c.note, "brothers, different ID");
	assert_string_equal(q.items[0].c.decided_by_name, "analyst");
	/* new evidence: a phone both use */
	ident(&fx, &fx.officer, x, "phone", "012 888 999", NULL, &a);
	ident(&fx, &fx.officer, y, "phone", "012 888 999", NULL, &a);
	detect(&fx, &st);
	assert_int_equal(st.reopened, 1);
	queue(&fx, &fx.analyst, "open", &q, &a);
	assert_int_equal(q.total, 1);
	assert_non_null(strstr(q.items[0].c.reason, "same phone"));
	arena_free(&a);
	fixture_close(&fx);
}

static void test_auto_merge(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	struct resolve_settings set;
	assert_int_equal(ok(resolve_settings_get(fx.st, &set, &err), &err), 0);
	assert_false(set.auto_merge_by_identifier);
	assert_int_equal(set.nproving, 2);

	int64_t x = person(&fx, &fx.officer, NULL, 1975, NULL, NULL, &a, "Nguyen Van An", NULL);
	int64_t y = person(&fx, &fx.officer, NULL, 1975, NULL, NULL, &a, "Nguyễn Văn An", NULL);
	ident(&fx, &fx.officer, x, "passport", "C1234567", "VN", &a);
	ident(&fx, &fx.officer, y, "passport", "c 123 4567", "VN", &a);
	struct resolve_stats st;
	detect(&fx, &st);
	assert_int_equal(st.auto_merged, 0);
	struct resolve_queue q;
	queue(&fx, &fx.analyst, "open", &q, &a);
	const struct resolve_item *it = pair(&q, x, y);
	assert_non_null(it);
	assert_true(it->c.score >= 0.97);

	/* only an admin turns it on, and only with proving kinds */
	set.auto_merge_by_identifier = 1;
	assert_int_equal(resolve_settings_set(fx.st, &fx.analyst, &set, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	struct resolve_settings bad = set;
	bad.proving_kinds[1] = "phone";
	assert_int_equal(resolve_settings_set(fx.st, &fx.admin, &bad, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_string_equal(err.fields[0].field, "proving_kinds[1]");
	error_clear(&err);
	set.nproving = 1; /* passports only */
	assert_int_equal(ok(resolve_settings_set(fx.st, &fx.admin, &set, &err), &err), 0);

	/* new pairs: by passport (merged), by ID card (not a proving kind now),
	 * by phone (never proves) */
	int64_t p1 = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Li Ming", NULL);
	int64_t p2 = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "李明", NULL);
	ident(&fx, &fx.officer, p1, "passport", "E99887766", "CN", &a);
	ident(&fx, &fx.officer, p2, "passport", "E99887766", "CN", &a);
	int64_t c1 = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Pich Rathana", NULL);
	int64_t c2 = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Pich Ratana", NULL);
	ident(&fx, &fx.officer, c1, "id_card", "010203040", "KH", &a);
	ident(&fx, &fx.officer, c2, "id_card", "010203040", "KH", &a);
	int64_t f1 = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Hem Vibol", NULL);
	int64_t f2 = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Hem Vibol", NULL);
	ident(&fx, &fx.officer, f1, "phone", "017 222 333", NULL, &a);
	ident(&fx, &fx.officer, f2, "phone", "017 222 333", NULL, &a);
	detect(&fx, &st);
	struct party p;
	/* only the parties written since are looked at: x and y stay in the queue */
	assert_int_equal(st.auto_merged, 1);
	assert_int_equal(ok(party_get(fx.st, &fx.admin, y, &p, &a, &err), &err), 0);
	assert_int_equal(p.merged_into, 0);
	assert_int_equal(ok(party_get(fx.st, &fx.admin, p2, &p, &a, &err), &err), 0);
	assert_int_equal(p.merged_into, p1);
	assert_int_equal(ok(party_get(fx.st, &fx.admin, c2, &p, &a, &err), &err), 0);
	assert_int_equal(p.merged_into, 0);
	assert_int_equal(ok(party_get(fx.st, &fx.admin, f2, &p, &a, &err), &err), 0);
	assert_int_equal(p.merged_into, 0);
	struct party_merge_rec *ms;
	size_t nm;
	assert_int_equal(ok(resolve_merges_of(fx.st, &fx.analyst, p1, &ms, &nm, &a, &err), &err), 0);
	assert_int_equal(nm, 1);
	assert_true(ms[0].automatic);
	assert_string_equal(ms[0].username, "system");
	assert_string_equal(ms[0].reason, "automatic: same passport E99887766 (CN)");
	/* and it can be undone; it is not merged again automatically */
	assert_int_equal(ok(resolve_undo(fx.st, fx.ref, &fx.admin, ms[0].id, "twins", &err), &err),
			 0);
	detect(&fx, &st);
	assert_int_equal(st.auto_merged, 0);
	assert_int_equal(ok(party_get(fx.st, &fx.admin, p2, &p, &a, &err), &err), 0);
	assert_int_equal(p.merged_into, 0);
	queue(&fx, &fx.analyst, "open", &q, &a);
	it = pair(&q, p1, p2);
	assert_non_null(it);
	assert_non_null(strstr(it->c.note, "undone: twins"));
	arena_free(&a);
	fixture_close(&fx);
}

static void test_access(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	/* the forestry record is shared with its own agency only */
	int64_t x = person(&fx, &fx.officer, NULL, 0, NULL, NULL, &a, "Sok Dara", NULL);
	int64_t y = person(&fx, &fx.forester, "agency", 0, NULL, NULL, &a, "Sok Dara", NULL);
	ident(&fx, &fx.officer, x, "phone", "012 345 678", NULL, &a);
	ident(&fx, &fx.forester, y, "phone", "012 345 678", NULL, &a);
	struct resolve_queue q;
	queue(&fx, &fx.analyst, "open", &q, &a);
	assert_int_equal(q.total, 0);
	assert_int_equal(q.n, 0);
	queue(&fx, &fx.admin, "open", &q, &a);
	assert_int_equal(q.total, 1);
	int64_t cand = q.items[0].c.id;
	/* the analyst can neither read, merge nor decide it */
	struct error err = ERROR_INIT;
	struct resolve_item it;
	assert_int_equal(resolve_candidate_get(fx.st, &fx.analyst, cand, &it, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	int64_t mid;
	assert_int_equal(resolve_merge_candidate(fx.st, fx.ref, &fx.analyst, cand, x, "same",
						 &mid, &err),
			 -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	assert_int_equal(resolve_not_same(fx.st, &fx.analyst, cand, "no", &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	assert_int_equal(resolve_merge(fx.st, fx.ref, &fx.analyst, x, y, "same", &mid, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	error_clear(&err);
	/* the admin merges; the analyst does not see that merge */
	assert_int_equal(ok(resolve_merge_candidate(fx.st, fx.ref, &fx.admin, cand, x, "same",
						    &mid, &err),
			    &err),
			 0);
	struct party_merge_rec *ms;
	size_t nm;
	assert_int_equal(ok(resolve_merges_of(fx.st, &fx.analyst, x, &ms, &nm, &a, &err), &err), 0);
	assert_int_equal(nm, 0);
	assert_int_equal(ok(resolve_merges_of(fx.st, &fx.admin, x, &ms, &nm, &a, &err), &err), 0);
	assert_int_equal(nm, 1);
	arena_free(&a);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidate_by_identifier),
		cmocka_unit_test(test_candidate_by_name_and_birth),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_merge_moves_everything),
		cmocka_unit_test(test_undo_restores_exactly),
		cmocka_unit_test(test_undo_refused_when_not_exact),
		cmocka_unit_test(test_not_same_persists),
		cmocka_unit_test(test_auto_merge),
		cmocka_unit_test(test_access),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
