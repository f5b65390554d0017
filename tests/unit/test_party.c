/* The party register: validation, store round trips, identifiers shared by
 * key, links, access rules, the party page, generation and the search feed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "party/party.h"
#include "seizure/seizure.h"

static struct party_name *names(struct arena *a, size_t n, ...)
{
	struct party_name *v = arena_alloc(a, n * sizeof *v);
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		v[i].name = va_arg(ap, const char *);
	va_end(ap);
	return v;
}

static void person(struct party *p, struct arena *a)
{
	memset(p, 0, sizeof *p);
	p->kind = "person";
	p->names = names(a, 2, "ស៊ុន ចាន់ថា", "SUN Chantha");
	p->nnames = 2;
	p->sex = "m";
	p->birth_date = "1978-04-02";
	p->nationalities = "KH;vn";
}

/* 0, or the error printed and -1 (so a failing assertion shows why). */
static int ok(int rc, struct error *e)
{
	if (rc != 0)
		for (size_t i = 0; i < e->nfields; i++)
			fprintf(stderr, "  %s: %s\n", e->fields[i].field, e->fields[i].message);
	if (rc != 0 && e->message)
		fprintf(stderr, "  %s\n", e->message);
	return rc;
}

static int has_field(const struct error *e, const char *field)
{
	for (size_t i = 0; i < e->nfields; i++)
		if (strcmp(e->fields[i].field, field) == 0)
			return 1;
	return 0;
}

static int64_t make_seizure(struct fixture *fx, const struct actor *who, const char *ref,
			    const char *sharing, struct arena *a)
{
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.ref = ref;
	s.sharing = sharing;
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
	if (seizure_create(fx->st, fx->ref, who, &s, a, &err) != 0)
		fixture_die("seizure", &err);
	return s.id;
}

static void test_validate_person(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct party p;
	person(&p, &a);
	struct error err = ERROR_INIT;
	assert_int_equal(ok(party_validate(fx.ref, &p, &a, &err), &err), 0);
	assert_string_equal(p.sex, "male");
	assert_int_equal(p.birth_year, 1978);
	assert_string_equal(p.nationalities, "KH;VN");
	assert_string_equal(p.sharing, "national");
	assert_string_equal(p.names[0].kind, "full");
	assert_string_equal(p.names[0].script, "Khmr");
	assert_string_equal(p.names[1].script, "Latn");
	assert_non_null(p.names[1].romanised);
	assert_string_equal(p.names[1].romanised, "sun chantha");
	assert_non_null(strstr(p.search_text, "sun chantha"));
	assert_non_null(strstr(p.search_text, "ចាន់ថា"));

	/* every problem at once, each on its field */
	struct party bad;
	memset(&bad, 0, sizeof bad);
	bad.kind = "person";
	bad.names = names(&a, 2, "  ", "Wang Wei");
	bad.names[1].kind = "boss";
	bad.names[1].script = "L4tn";
	bad.nnames = 2;
	bad.sex = "x";
	bad.birth_date = "1978-02-30";
	bad.nationalities = "KH;Narnia";
	bad.org_kind = "shop";
	bad.sharing = "world";
	assert_int_equal(party_validate(fx.ref, &bad, &a, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	const char *want[] = { "names[0].name", "names[1].kind", "names[1].script", "sex",
			       "birth_date", "nationalities[1]", "org_kind", "sharing" };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		assert_true(has_field(&err, want[i]));
	error_clear(&err);

	memset(&bad, 0, sizeof bad);
	bad.kind = "person";
	assert_int_equal(party_validate(fx.ref, &bad, &a, &err), -1);
	assert_true(has_field(&err, "names"));
	error_clear(&err);

	memset(&bad, 0, sizeof bad);
	bad.kind = "person";
	bad.names = names(&a, 1, "A");
	bad.nnames = 1;
	bad.birth_date = "1978-04-02";
	bad.birth_year = 1980;
	assert_int_equal(party_validate(fx.ref, &bad, &a, &err), -1);
	assert_true(has_field(&err, "birth_year"));
	error_clear(&err);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_validate_organisation(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	struct party o;
	memset(&o, 0, sizeof o);
	o.kind = "organization";
	o.names = names(&a, 2, "Mekong Star Logistics", "湄公星物流");
	o.names[1].kind = "alias";
	o.nnames = 2;
	o.org_kind = "logistics";
	o.country = "Cambodia";
	o.registrations = arena_alloc(&a, sizeof *o.registrations);
	o.nregistrations = 1;
	o.registrations[0].number = " 0001234 ";
	o.registrations[0].country = "kh";
	assert_int_equal(ok(party_validate(fx.ref, &o, &a, &err), &err), 0);
	assert_string_equal(o.kind, "organisation");
	assert_string_equal(o.country, "KH");
	assert_string_equal(o.registrations[0].number, "0001234");
	assert_string_equal(o.registrations[0].country, "KH");
	assert_string_equal(o.names[1].script, "Hani");

	o.sex = "male";
	o.nationalities = "KH";
	o.org_kind = "bank";
	o.registrations[0].number = NULL;
	assert_int_equal(party_validate(fx.ref, &o, &a, &err), -1);
	assert_true(has_field(&err, "sex"));
	assert_true(has_field(&err, "nationalities"));
	assert_true(has_field(&err, "org_kind"));
	assert_true(has_field(&err, "registrations[0].number"));
	error_clear(&err);

	struct link_info l = { "uses", "  police statement ", "2099-01-01", 0 };
	assert_int_equal(link_info_validate(&l, "x.", &a, &err), -1);
	assert_true(has_field(&err, "x.date"));
	assert_string_equal(l.source, "police statement");
	error_clear(&err);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_store_round_trip(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	int64_t gen0, gen1;
	assert_int_equal(ok(store_party_generation(fx.st, &gen0, &err), &err), 0);

	struct party p;
	person(&p, &a);
	p.notes = "trader";
	assert_int_equal(ok(party_create(fx.st, fx.ref, &fx.officer, &p, &a, &err), &err), 0);
	assert_true(p.id > 0);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.agency_id, fx.customs_id);
	assert_int_equal(ok(store_party_generation(fx.st, &gen1, &err), &err), 0);
	assert_true(gen1 > gen0);

	struct party got;
	assert_int_equal(ok(party_get(fx.st, &fx.viewer, p.id, &got, &a, &err), &err), 0);
	assert_string_equal(got.kind, "person");
	assert_int_equal(got.nnames, 2);
	assert_string_equal(got.names[0].name, "ស៊ុន ចាន់ថា");
	assert_string_equal(got.names[1].romanised, "sun chantha");
	assert_string_equal(got.sex, "male");
	assert_string_equal(got.birth_date, "1978-04-02");
	assert_int_equal(got.birth_year, 1978);
	assert_string_equal(got.nationalities, "KH;VN");
	assert_string_equal(got.notes, "trader");
	assert_string_equal(got.agency, "Customs Department");
	assert_string_equal(party_main_name(&got), "ស៊ុន ចាន់ថា");

	/* update: stale version refused, right one accepted */
	got.notes = "moved";
	got.version = 7;
	assert_int_equal(party_update(fx.st, fx.ref, &fx.officer, p.id, &got, &a, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	got.version = 1;
	assert_int_equal(party_update(fx.st, fx.ref, &fx.viewer, p.id, &got, &a, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	assert_int_equal(ok(party_update(fx.st, fx.ref, &fx.officer, p.id, &got, &a, &err), &err), 0);
	struct party again;
	assert_int_equal(ok(party_get(fx.st, &fx.admin, p.id, &again, &a, &err), &err), 0);
	assert_int_equal(again.version, 2);
	assert_string_equal(again.notes, "moved");

	/* the list finds it by a word of either script, case-insensitively */
	struct party_filter f = { .q = "CHANTHA" };
	struct party_list list;
	assert_int_equal(ok(party_list(fx.st, &fx.forester, &f, &list, &a, &err), &err), 0);
	assert_int_equal(list.total, 1);
	assert_int_equal(list.items[0].id, p.id);
	assert_int_equal(list.items[0].nnames, 2);
	f.q = "ចាន់ថា";
	assert_int_equal(ok(party_list(fx.st, &fx.forester, &f, &list, &a, &err), &err), 0);
	assert_int_equal(list.total, 1);
	f.q = "50%_";
	assert_int_equal(ok(party_list(fx.st, &fx.admin, &f, &list, &a, &err), &err), 0);
	assert_int_equal(list.total, 0);

	/* delete: admin only, at the version read */
	assert_int_equal(party_delete(fx.st, &fx.officer, p.id, 2, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	assert_int_equal(party_delete(fx.st, &fx.admin, p.id, 1, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	assert_int_equal(ok(party_delete(fx.st, &fx.admin, p.id, 2, &err), &err), 0);
	assert_int_equal(party_get(fx.st, &fx.admin, p.id, &again, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_identifiers_shared_by_key(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	struct party p1, p2;
	person(&p1, &a);
	person(&p2, &a);
	assert_int_equal(ok(party_create(fx.st, fx.ref, &fx.officer, &p1, &a, &err), &err), 0);
	assert_int_equal(ok(party_create(fx.st, fx.ref, &fx.forester, &p2, &a, &err), &err), 0);

	struct identifier in = { .kind = "phone", .value = "012 345 678" }, x1, x2;
	struct link_info l = { "uses", "police statement", "2025-03-14", 0 };
	int created;
	assert_int_equal(ok(party_add_identifier(fx.st, fx.ref, &fx.officer, p1.id, &in, &l, &x1,
					      &created, &a, &err), &err), 0);
	assert_int_equal(created, 1);
	assert_string_equal(x1.key, "+85512345678");
	assert_string_equal(x1.value, "012 345 678");

	struct identifier in2 = { .kind = "phone", .value = "+855 12-345-678" };
	struct link_info l2 = { "owns", NULL, NULL, 0 };
	assert_int_equal(ok(party_add_identifier(fx.st, fx.ref, &fx.forester, p2.id, &in2, &l2,
						 &x2, &created, &a, &err), &err), 0);
	assert_int_equal(x2.id, x1.id);
	assert_int_equal(created, 1);
	/* the same link again writes nothing */
	struct identifier in3 = { .kind = "phone", .value = "85512345678", .country = "KH" };
	struct link_info l3 = { "owns", NULL, NULL, 0 };
	int64_t g0, g1;
	store_party_generation(fx.st, &g0, &err);
	assert_int_equal(ok(party_add_identifier(fx.st, fx.ref, &fx.forester, p2.id, &in3, &l3, &x2,
					      &created, &a, &err), &err), 0);
	assert_int_equal(created, 0);
	store_party_generation(fx.st, &g1, &err);
	assert_int_equal(g1, g0);

	/* bad identifiers: the normaliser's message on its field, nothing written */
	struct identifier bad = { .kind = "container", .value = "MSCU1234565" };
	struct link_info bl = { "owns", NULL, NULL, 0 };
	assert_int_equal(party_add_identifier(fx.st, fx.ref, &fx.officer, p1.id, &bad, &bl, &x2,
					      &created, &a, &err), -1);
	assert_true(has_field(&err, "value"));
	assert_non_null(strstr(err.fields[0].message, "check digit"));
	error_clear(&err);
	struct identifier badkind = { .kind = "fax", .value = "1" };
	struct link_info badrole = { "rents", NULL, NULL, 0 };
	assert_int_equal(party_add_identifier(fx.st, fx.ref, &fx.officer, p1.id, &badkind,
					      &badrole, &x2, &created, &a, &err), -1);
	assert_true(has_field(&err, "kind"));
	assert_true(has_field(&err, "role"));
	error_clear(&err);

	/* the identifier page: both parties to the admin; only the national one
	 * (p2 is shared nationally too here) */
	struct identifier_page ip;
	assert_int_equal(ok(identifier_page(fx.st, &fx.admin, x1.id, &ip, &a, &err), &err), 0);
	assert_int_equal(ip.nparties, 2);

	/* unlink */
	assert_int_equal(ok(party_remove_identifier(fx.st, &fx.officer, p1.id, x1.id, NULL, &err), &err), 0);
	assert_int_equal(party_remove_identifier(fx.st, &fx.officer, p1.id, x1.id, NULL, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_access_and_page(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	struct party secret, shared, driver;
	person(&secret, &a);
	secret.sharing = "agency";
	secret.names = names(&a, 1, "Informant Zebra");
	secret.nnames = 1;
	person(&shared, &a);
	memset(&driver, 0, sizeof driver);
	driver.kind = "person";
	driver.names = names(&a, 2, "王伟", "Wang Wei");
	driver.nnames = 2;
	assert_int_equal(ok(party_create(fx.st, fx.ref, &fx.officer, &secret, &a, &err), &err), 0);
	assert_int_equal(ok(party_create(fx.st, fx.ref, &fx.officer, &shared, &a, &err), &err), 0);
	assert_int_equal(ok(party_create(fx.st, fx.ref, &fx.forester, &driver, &a, &err), &err), 0);

	/* another agency: not found, not listed */
	struct party got;
	assert_int_equal(party_get(fx.st, &fx.forester, secret.id, &got, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	struct party_filter f = { .q = "zebra" };
	struct party_list list;
	assert_int_equal(ok(party_list(fx.st, &fx.forester, &f, &list, &a, &err), &err), 0);
	assert_int_equal(list.total, 0);
	assert_int_equal(ok(party_list(fx.st, &fx.viewer, &f, &list, &a, &err), &err), 0);
	assert_int_equal(list.total, 1);
	/* a viewer may not write, an officer not for another agency */
	struct party v;
	person(&v, &a);
	assert_int_equal(party_create(fx.st, fx.ref, &fx.viewer, &v, &a, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	person(&v, &a);
	v.agency_id = fx.forestry_id;
	assert_int_equal(party_create(fx.st, fx.ref, &fx.officer, &v, &a, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);

	/* links: a customs seizure (national) and a forestry one (agency only) */
	int64_t s1 = make_seizure(&fx, &fx.officer, "P-1", "national", &a);
	int64_t s2 = make_seizure(&fx, &fx.forester, "P-2", "agency", &a);
	int created;
	struct link_info l = { "consignee", "customs declaration", NULL, 0 };
	assert_int_equal(ok(party_link_seizure(fx.st, &fx.officer, shared.id, s1, &l, &created, &a,
					    &err), &err), 0);
	/* forestry links the customs party (which it may see, not write) to its own seizure */
	struct link_info l2 = { "seller", "forestry report", "2025-01-05", 0 };
	assert_int_equal(ok(party_link_seizure(fx.st, &fx.forester, shared.id, s2, &l2, &created, &a,
					    &err), &err), 0);
	/* customs cannot link to forestry's hidden seizure */
	struct link_info l3 = { "buyer", NULL, NULL, 0 };
	assert_int_equal(party_link_seizure(fx.st, &fx.officer, shared.id, s2, &l3, &created, &a,
					    &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	struct link_info bad = { "mastermind", NULL, NULL, 0 };
	assert_int_equal(party_link_seizure(fx.st, &fx.officer, shared.id, s1, &bad, &created, &a,
					    &err), -1);
	assert_true(has_field(&err, "role"));
	error_clear(&err);

	struct link_info rel = { "employee_of", "driver statement", "2025-03-15", s1 };
	assert_int_equal(ok(party_add_relation(fx.st, &fx.forester, driver.id, shared.id, &rel,
					    &created, &a, &err), &err), 0);
	struct link_info self = { "family", NULL, NULL, 0 };
	assert_int_equal(party_add_relation(fx.st, &fx.officer, shared.id, shared.id, &self,
					    &created, &a, &err), -1);
	assert_true(has_field(&err, "party_id"));
	error_clear(&err);
	struct link_info tosecret = { "associate", NULL, NULL, 0 };
	assert_int_equal(ok(party_add_relation(fx.st, &fx.officer, shared.id, secret.id, &tosecret,
					    &created, &a, &err), &err), 0);

	struct identifier ph = { .kind = "phone", .value = "+66 81 234 5678" }, xo;
	struct link_info pl = { "uses", NULL, "2024-11-02", 0 };
	assert_int_equal(ok(party_add_identifier(fx.st, fx.ref, &fx.officer, shared.id, &ph, &pl, &xo,
					      &created, &a, &err), &err), 0);

	/* the page as customs sees it: its seizure only; both relations */
	struct party_page pg;
	assert_int_equal(ok(party_page(fx.st, &fx.officer, shared.id, &pg, &a, &err), &err), 0);
	assert_int_equal(pg.nseizures, 1);
	assert_int_equal(pg.seizures[0].link.seizure_id, s1);
	assert_string_equal(pg.seizures[0].ref, "P-1");
	assert_string_equal(pg.seizures[0].species, "Manis javanica (SCA 12 KIL)");
	assert_int_equal(pg.nrelations, 2);
	assert_int_equal(pg.nidents, 1);
	/* timeline: dated events newest first (the seizure by its date) */
	assert_int_equal(pg.ntimeline, 3);
	assert_string_equal(pg.timeline[0].date, "2025-03-15");
	assert_string_equal(pg.timeline[0].type, "relation");
	assert_string_equal(pg.timeline[1].date, "2025-03-14");
	assert_string_equal(pg.timeline[1].type, "seizure");
	assert_string_equal(pg.timeline[2].type, "identifier");

	/* as forestry: both seizures; the relation to the agency-only party hidden */
	assert_int_equal(ok(party_page(fx.st, &fx.forester, shared.id, &pg, &a, &err), &err), 0);
	assert_int_equal(pg.nseizures, 2);
	assert_int_equal(pg.nrelations, 1);
	assert_int_equal(pg.relations[0].other_id, driver.id);
	assert_int_equal(pg.relations[0].outgoing, 0);
	assert_string_equal(pg.relations[0].other_name, "王伟");

	/* the seizure's parties */
	struct seizure_party *sp;
	struct seizure_ident *si;
	size_t n, ni;
	assert_int_equal(ok(seizure_parties(fx.st, &fx.viewer, s1, &sp, &n, &si, &ni, &a, &err), &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(sp[0].link.role, "consignee");
	assert_int_equal(ni, 0);
	struct identifier plate = { .kind = "plate", .value = "2A-1234", .country = "KH" }, xp;
	struct link_info seen = { NULL, "truck at the port", NULL, 0 };
	assert_int_equal(ok(seizure_add_identifier(fx.st, fx.ref, &fx.officer, s1, &plate, &seen, &xp,
						&created, &a, &err), &err), 0);
	assert_int_equal(ok(seizure_parties(fx.st, &fx.viewer, s1, &sp, &n, &si, &ni, &a, &err), &err), 0);
	assert_int_equal(ni, 1);
	assert_string_equal(si[0].link.role, "seen_in");
	/* the plate, seen only in a national seizure, is visible to forestry */
	struct identifier_page ip;
	assert_int_equal(ok(identifier_page(fx.st, &fx.forester, xp.id, &ip, &a, &err), &err), 0);
	assert_int_equal(ip.nseizures, 1);

	/* deleting a seizure removes its party links and counts as a change */
	int64_t g0, g1;
	store_party_generation(fx.st, &g0, &err);
	assert_int_equal(ok(seizure_delete(fx.st, &fx.admin, s1, 1, &err), &err), 0);
	store_party_generation(fx.st, &g1, &err);
	assert_true(g1 > g0);
	assert_int_equal(ok(party_page(fx.st, &fx.admin, shared.id, &pg, &a, &err), &err), 0);
	assert_int_equal(pg.nseizures, 1);
	arena_free(&a);
	fixture_close(&fx);
}

struct feed_seen {
	int n;
	int64_t ids[8];
	size_t nids[8];
	size_t nnames[8];
	char key[8][64];
};

static int feed_fn(void *ctx, const struct party *p, const struct identifier *ids, size_t nids)
{
	struct feed_seen *s = ctx;
	if (s->n < 8) {
		s->ids[s->n] = p->id;
		s->nids[s->n] = nids;
		s->nnames[s->n] = p->nnames;
		snprintf(s->key[s->n], sizeof s->key[0], "%s", nids ? ids[0].key : "");
	}
	s->n++;
	return 0;
}

struct changed_seen {
	int n;
	int64_t ids[16];
	int gone[16];
};

static int changed_fn(void *ctx, int64_t id, int gone)
{
	struct changed_seen *s = ctx;
	if (s->n < 16) {
		s->ids[s->n] = id;
		s->gone[s->n] = gone;
	}
	s->n++;
	return 0;
}

static void test_feed_and_changes(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	struct party p[3];
	for (int i = 0; i < 3; i++) {
		person(&p[i], &a);
		assert_int_equal(ok(party_create(fx.st, fx.ref, &fx.officer, &p[i], &a, &err), &err), 0);
	}
	struct identifier in = { .kind = "email", .value = "Sun.Chantha@Example.com" }, x;
	struct link_info l = { "uses", NULL, NULL, 0 };
	int created;
	assert_int_equal(ok(party_add_identifier(fx.st, fx.ref, &fx.officer, p[1].id, &in, &l, &x,
					      &created, &a, &err), &err), 0);
	struct link_info l2 = { "owns", NULL, NULL, 0 };
	assert_int_equal(ok(party_add_identifier(fx.st, fx.ref, &fx.officer, p[1].id, &in, &l2, &x,
					      &created, &a, &err), &err), 0);
	int64_t gen;
	assert_int_equal(ok(store_party_generation(fx.st, &gen, &err), &err), 0);

	struct feed_seen s = { 0 };
	assert_int_equal(ok(store_party_all(fx.st, feed_fn, &s, &err), &err), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ids[1], p[1].id);
	assert_int_equal(s.nnames[1], 2);
	assert_int_equal(s.nids[1], 1);   /* once, though linked with two roles */
	assert_int_equal(s.nids[0], 0);
	assert_string_equal(s.key[1], x.key);

	struct changed_seen c = { 0 };
	assert_int_equal(ok(store_party_changed_since(fx.st, gen, changed_fn, &c, &err), &err), 0);
	assert_int_equal(c.n, 0);

	/* a merged party leaves the feed and the lists, and is reported gone */
	assert_int_equal(ok(store_begin(fx.st, &err), &err), 0);
	assert_int_equal(ok(store_party_set_merged(fx.st, p[1].id, p[0].id, &err), &err), 0);
	assert_int_equal(ok(store_commit(fx.st, &err), &err), 0);
	struct feed_seen s2 = { 0 };
	assert_int_equal(ok(store_party_all(fx.st, feed_fn, &s2, &err), &err), 0);
	assert_int_equal(s2.n, 2);
	assert_int_equal(s2.ids[0], p[0].id);
	assert_int_equal(s2.ids[1], p[2].id);
	struct party_filter f = { .q = "chantha" };
	struct party_list list;
	assert_int_equal(ok(party_list(fx.st, &fx.admin, &f, &list, &a, &err), &err), 0);
	assert_int_equal(list.total, 2);
	assert_int_equal(ok(store_party_changed_since(fx.st, gen, changed_fn, &c, &err), &err), 0);
	assert_int_equal(c.n, 2);   /* the merged one (gone) and the survivor */
	for (int i = 0; i < c.n; i++)
		assert_int_equal(c.gone[i], c.ids[i] == p[1].id);
	assert_int_equal(ok(store_party_generation(fx.st, &gen, &err), &err), 0);
	c.n = 0;

	/* a change is reported by id, a deletion as gone */
	struct party cur;
	assert_int_equal(ok(party_get(fx.st, &fx.admin, p[0].id, &cur, &a, &err), &err), 0);
	cur.notes = "changed";
	assert_int_equal(ok(party_update(fx.st, fx.ref, &fx.officer, p[0].id, &cur, &a, &err), &err), 0);
	assert_int_equal(ok(party_delete(fx.st, &fx.admin, p[2].id, 1, &err), &err), 0);
	assert_int_equal(ok(store_party_changed_since(fx.st, gen, changed_fn, &c, &err), &err), 0);
	assert_int_equal(c.n, 2);
	int saw_change = 0, saw_gone = 0;
	for (int i = 0; i < c.n; i++) {
		if (c.ids[i] == p[0].id && !c.gone[i])
			saw_change = 1;
		if (c.ids[i] == p[2].id && c.gone[i])
			saw_gone = 1;
	}
	assert_true(saw_change);
	assert_true(saw_gone);
	struct feed_seen one = { 0 };
	assert_int_equal(ok(store_party_feed(fx.st, p[2].id, feed_fn, &one, &err), &err), 0);
	assert_int_equal(one.n, 0);
	assert_int_equal(ok(store_party_feed(fx.st, p[1].id, feed_fn, &one, &err), &err), 0);
	assert_int_equal(one.n, 0);   /* merged */
	assert_int_equal(ok(store_party_feed(fx.st, p[0].id, feed_fn, &one, &err), &err), 0);
	assert_int_equal(one.n, 1);
	assert_string_equal(one.key[0], "");
	arena_free(&a);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_person),
		cmocka_unit_test(test_validate_organisation),
		cmocka_unit_test(test_store_round_trip),
		cmocka_unit_test(test_identifiers_shared_by_key),
		cmocka_unit_test(test_access_and_page),
		cmocka_unit_test(test_feed_and_changes),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
