/*
 * test_store.c - seizure operations on the fixture store (seizure/seizure.h:
 * create, get, update, delete with their access rules, conflicts and audit
 * entries; a failed write changes nothing) and the filtered, paged lists of
 * store/seizure.c through seizure_list().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "fixture.h"
#include "audit/audit.h"
#include "audit/viewlog.h"
#include "lib/dynbuf.h"
#include "seizure/seizure.h"

static struct fixture fx;
static struct arena ar;

static int test_setup(void **state)
{
	fixture_open(&fx);
	arena_init(&ar);
	return 0;
}

static int test_teardown(void **state)
{
	arena_free(&ar);
	fixture_close(&fx);
	return 0;
}

/* ---- helpers ------------------------------------------------------------------- */

/* A seizure of one item, in the arena. */
static struct seizure *new_seizure(int64_t agency, const char *sharing, const char *date,
				   const char *country, const char *species, const char *term,
				   double qty, const char *unit)
{
	struct seizure *s = arena_alloc(&ar, sizeof *s);
	s->agency_id = agency;
	s->sharing = sharing;
	s->date = date;
	s->country = country;
	s->items = arena_alloc(&ar, 4 * sizeof *s->items);
	s->nitems = 1;
	s->items[0] = (struct seizure_item){ .species = species, .term = term, .quantity = qty,
					     .unit = unit, .live = -1 };
	return s;
}

static struct seizure *simple(int64_t agency, const char *sharing)
{
	return new_seizure(agency, sharing, "2024-03-15", "KH", "Manis javanica", "SCA", 12.5,
			   "KIL");
}

static int64_t create_ok(const struct actor *who, struct seizure *s)
{
	struct error err = ERROR_INIT;
	if (seizure_create(fx.st, fx.ref, who, s, &ar, &err) != 0) {
		char *m = error_format(&err);
		fail_msg("seizure_create: %s", m);
	}
	assert_true(s->id > 0);
	return s->id;
}

static int64_t count_sql(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open_v2(fx.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

struct counts {
	int64_t seizures, items, countries, audit;
	char head[80];
};

static struct counts counts(void)
{
	struct counts c;
	c.seizures = count_sql("SELECT count(*) FROM seizure");
	c.items = count_sql("SELECT count(*) FROM seizure_item");
	/* the countries the records name (seizure, origin, transit, destination) */
	c.countries = count_sql("SELECT count(*) FROM seizure s, json_each('[\"' || "
				"replace(s.country || ';' || coalesce(s.origin, '') || ';' || "
				"coalesce(s.transit, '') || ';' || coalesce(s.destination, ''), ';', "
				"'\",\"') || '\"]') j WHERE j.value <> ''");
	c.audit = count_sql("SELECT count(*) FROM audit");
	struct error err = ERROR_INIT;
	assert_int_equal(store_audit_last_hash(fx.st, c.head, sizeof c.head, &err), 0);
	return c;
}

static void assert_counts_equal(struct counts a, struct counts b)
{
	assert_int_equal(a.seizures, b.seizures);
	assert_int_equal(a.items, b.items);
	assert_int_equal(a.countries, b.countries);
	assert_int_equal(a.audit, b.audit);
	assert_string_equal(a.head, b.head);
}

/* Audit entries of a seizure with action. */
struct audit_count {
	const char *action;
	int n;
	int64_t user_id;
	char detail[512];
};

static int count_one(void *ctx, const struct audit_rec *r)
{
	struct audit_count *c = ctx;
	if (strcmp(r->action, c->action) == 0) {
		c->n++;
		c->user_id = r->user_id;
		snprintf(c->detail, sizeof c->detail, "%s", r->detail);
	}
	return 0;
}

static struct audit_count audited(int64_t id, const char *action)
{
	struct audit_count c = { .action = action };
	struct error err = ERROR_INIT;
	assert_int_equal(store_audit_each(fx.st, "seizure", id, count_one, &c, &err), 0);
	return c;
}

static void expect_error(int rc, struct error *err, enum err_code code)
{
	assert_int_equal(rc, -1);
	if (err->code != code)
		fail_msg("got %s (%s), want %s", error_code_name(err->code),
			 err->message ? err->message : "", error_code_name(code));
	error_clear(err);
}

/* ---- create ----------------------------------------------------------------------- */

static void test_create_officer_own_agency(void **state)
{
	struct seizure *s = simple(0, NULL); /* agency: the actor's own */
	s->origin = "cn;vn";
	int64_t id = create_ok(&fx.officer, s);
	assert_int_equal(s->agency_id, fx.customs_id);
	assert_int_equal(s->version, 1);
	/* a reference is generated: KP-<year>-<8 hex digits> */
	assert_int_equal(strlen(s->ref), 16);
	assert_int_equal(strncmp(s->ref, "KP-2024-", 8), 0);
	for (int i = 8; i < 16; i++)
		assert_non_null(strchr("0123456789ABCDEF", s->ref[i]));
	struct counts c = counts();
	assert_int_equal(c.seizures, 1);
	assert_int_equal(c.items, 1);
	assert_int_equal(c.countries, 3); /* seizure KH, origin CN and VN */
	struct audit_count a = audited(id, "create");
	assert_int_equal(a.n, 1);
	assert_int_equal(a.user_id, fx.officer.user_id);
	assert_non_null(strstr(a.detail, "\"version\":1"));
	assert_non_null(strstr(a.detail, s->ref));
	/* another seizure gets another reference */
	struct seizure *s2 = simple(0, NULL);
	create_ok(&fx.officer, s2);
	assert_string_not_equal(s->ref, s2->ref);
}

static void test_create_roles(void **state)
{
	struct error err = ERROR_INIT;
	struct counts before = counts();
	/* an officer for another agency */
	struct seizure *s = simple(fx.forestry_id, NULL);
	expect_error(seizure_create(fx.st, fx.ref, &fx.officer, s, &ar, &err), &err, ERR_FORBIDDEN);
	/* a viewer at all */
	s = simple(0, NULL);
	assert_int_equal(seizure_create(fx.st, fx.ref, &fx.viewer, s, &ar, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	assert_non_null(strstr(err.message, "viewer"));
	error_clear(&err);
	assert_counts_equal(counts(), before);
	/* an analyst for their own agency, an admin for any */
	create_ok(&fx.analyst, simple(0, NULL));
	s = simple(fx.forestry_id, NULL);
	create_ok(&fx.admin, s);
	assert_int_equal(s->agency_id, fx.forestry_id);
	create_ok(&fx.forester, simple(0, "agency"));
	assert_int_equal(counts().seizures, 3);
}

static void test_create_invalid_changes_nothing(void **state)
{
	struct error err = ERROR_INIT;
	create_ok(&fx.officer, simple(0, NULL));
	struct counts before = counts();
	struct seizure *s = simple(0, NULL);
	s->items[0].unit = "XYZ";
	s->date = "2023-02-29";
	assert_int_equal(seizure_create(fx.st, fx.ref, &fx.officer, s, &ar, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_int_equal(err.nfields, 2);
	error_clear(&err);
	assert_counts_equal(counts(), before);
}

static void test_create_duplicate_ref(void **state)
{
	struct error err = ERROR_INIT;
	struct seizure *s = simple(0, NULL);
	s->ref = "CUS-2024-001";
	create_ok(&fx.officer, s);
	struct counts before = counts();
	s = simple(0, NULL);
	s->ref = "CUS-2024-001";
	s->origin = "CN"; /* children would be written after the record */
	assert_int_equal(seizure_create(fx.st, fx.ref, &fx.officer, s, &ar, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, "ref");
	assert_non_null(strstr(err.fields[0].message, "CUS-2024-001"));
	error_clear(&err);
	assert_counts_equal(counts(), before);
	/* the same reference at another agency is fine */
	s = simple(0, NULL);
	s->ref = "CUS-2024-001";
	create_ok(&fx.forester, s);
}

/* ---- get ---------------------------------------------------------------------------- */

static void test_get_round_trip(void **state)
{
	struct seizure *s = new_seizure(0, "agency", "2024-02", "Cambodia", "Sunda Pangolin", "sca",
					3, "kil");
	s->ref = "R-1";
	s->locode = "khkos";
	s->has_coords = 1;
	s->latitude = 10.6;
	s->longitude = 103.5;
	s->transport_mode = "courier";
	s->origin = "Laos; CN";
	s->has_value = 1;
	s->value_amount = 1500;
	s->value_currency = "usd";
	s->notes = "scales in rice bags";
	s->items[1] = (struct seizure_item){ .species = "tiger", .term = "LIV", .quantity = 1,
					     .unit = "", .live = 1 };
	s->nitems = 2;
	int64_t id = create_ok(&fx.officer, s);
	struct seizure g;
	struct error err = ERROR_INIT;
	assert_int_equal(seizure_get(fx.st, NULL, &fx.officer, id, &g, &ar, &err), 0);
	assert_int_equal(g.id, id);
	assert_string_equal(g.ref, "R-1");
	assert_int_equal(g.agency_id, fx.customs_id);
	assert_string_equal(g.agency, "Customs Department");
	assert_string_equal(g.sharing, "agency");
	assert_string_equal(g.date, "2024-02");
	assert_string_equal(g.date_from, "2024-02-01");
	assert_string_equal(g.date_to, "2024-02-29");
	assert_string_equal(g.country, "KH");
	assert_string_equal(g.locode, "KHKOS");
	assert_true(g.has_coords);
	assert_true(g.latitude == 10.6 && g.longitude == 103.5);
	assert_string_equal(g.transport_mode, "post");
	assert_string_equal(g.origin, "LA;CN");
	assert_null(g.destination);
	assert_true(g.has_value);
	assert_true(g.value_amount == 1500);
	assert_string_equal(g.value_currency, "USD");
	assert_string_equal(g.notes, "scales in rice bags");
	assert_string_equal(g.content_hash, s->content_hash);
	assert_string_equal(g.search_text, s->search_text);
	assert_int_equal(g.version, 1);
	assert_int_equal(g.created_by, fx.officer.user_id);
	assert_int_equal(g.updated_by, fx.officer.user_id);
	assert_int_equal(g.nitems, 2);
	assert_int_equal(g.items[0].line, 1);
	assert_int_equal(g.items[0].taxon_id, 5034);
	assert_string_equal(g.items[0].taxon_name, "Manis javanica");
	assert_string_equal(g.items[0].species, "Sunda Pangolin");
	assert_string_equal(g.items[0].term, "SCA");
	assert_string_equal(g.items[0].unit, "KIL");
	assert_true(g.items[0].quantity == 3);
	assert_int_equal(g.items[0].live, -1);
	assert_int_equal(g.items[1].line, 2);
	assert_string_equal(g.items[1].taxon_name, "Panthera tigris");
	assert_string_equal(g.items[1].unit, "");
	assert_int_equal(g.items[1].live, 1);
}

static void test_get_visibility(void **state)
{
	struct error err = ERROR_INIT;
	int64_t private_id = create_ok(&fx.officer, simple(0, "agency"));
	int64_t national_id = create_ok(&fx.officer, simple(0, "national"));
	struct seizure g;
	/* the customs seizure shared with the agency only: not for forestry */
	int views0 = audited(private_id, "view").n;
	assert_int_equal(seizure_get(fx.st, NULL, &fx.forester, private_id, &g, &ar, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_string_equal(err.message, "seizure 1 not found");
	error_clear(&err);
	assert_int_equal(audited(private_id, "view").n, views0); /* a refused view is not a view */
	/* customs users and the admin see it */
	const struct actor *see[] = { &fx.officer, &fx.viewer, &fx.analyst, &fx.admin };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(seizure_get(fx.st, NULL, see[i], private_id, &g, &ar, &err), 0);
		assert_int_equal(g.id, private_id);
	}
	/* national sharing: forestry sees it */
	assert_int_equal(seizure_get(fx.st, NULL, &fx.forester, national_id, &g, &ar, &err), 0);
	/* no such seizure */
	expect_error(seizure_get(fx.st, NULL, &fx.admin, 999, &g, &ar, &err), &err, ERR_NOT_FOUND);
}

static void test_get_is_audited(void **state)
{
	struct error err = ERROR_INIT;
	int64_t id = create_ok(&fx.officer, simple(0, "national"));
	struct seizure g;
	assert_int_equal(audited(id, "view").n, 0);
	assert_int_equal(seizure_get(fx.st, NULL, &fx.forester, id, &g, &ar, &err), 0);
	struct audit_count a = audited(id, "view");
	assert_int_equal(a.n, 1);
	assert_int_equal(a.user_id, fx.forester.user_id);
	assert_int_equal(seizure_get(fx.st, NULL, &fx.viewer, id, &g, &ar, &err), 0);
	a = audited(id, "view");
	assert_int_equal(a.n, 2);
	assert_int_equal(a.user_id, fx.viewer.user_id);
}


static void test_get_view_queued(void **state)
{
	/* With a view log (the server), the view is queued and written by the
	 * log's own connection; a refused read queues nothing. */
	struct error err = ERROR_INIT;
	int64_t national_id = create_ok(&fx.officer, simple(0, "national"));
	int64_t private_id = create_ok(&fx.officer, simple(0, "agency"));
	struct viewlog *views = viewlog_start(fx.path, &err);
	assert_non_null(views);
	struct seizure g;
	assert_int_equal(seizure_get(fx.st, views, &fx.forester, national_id, &g, &ar, &err), 0);
	assert_int_equal(g.id, national_id);
	expect_error(seizure_get(fx.st, views, &fx.forester, private_id, &g, &ar, &err), &err,
		     ERR_NOT_FOUND);
	assert_int_equal(viewlog_flush(views, &err), 0);
	struct audit_count a = audited(national_id, "view");
	assert_int_equal(a.n, 1);
	assert_int_equal(a.user_id, fx.forester.user_id);
	assert_non_null(strstr(a.detail, "\"at\":\""));
	assert_int_equal(audited(private_id, "view").n, 0);
	/* a view queued at stop is written too */
	assert_int_equal(seizure_get(fx.st, views, &fx.officer, private_id, &g, &ar, &err), 0);
	viewlog_stop(views);
	assert_int_equal(audited(private_id, "view").n, 1);
	/* the two connections kept one chain */
	struct audit_report rep;
	assert_int_equal(audit_verify(fx.st, &rep, &err), 0);
	assert_int_equal(rep.entries, 4);
}

/* ---- update ------------------------------------------------------------------------- */

/* Reads seizure id as the admin (without caring about the view entry). */
/* File descriptors of this process open on the database file. */
static int fds_on_database(void)
{
	char want[4096], path[64], got[4096];
	assert_non_null(realpath(fx.path, want));
	int n = 0;
	for (int fd = 0; fd < 4096; fd++) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		ssize_t len = readlink(path, got, sizeof got - 1);
		if (len <= 0)
			continue;
		got[len] = '\0';
		n += strcmp(got, want) == 0;
	}
	return n;
}

/* A large load (store_begin_bulk) writes its records with the same result
 * whether it commits or rolls back, and gives back the file it opened to
 * start writeback early, either way. */
static void test_bulk_load_files(void **state)
{
	struct error err = ERROR_INIT;
	int before = fds_on_database();
	for (int commit = 0; commit <= 1; commit++) {
		assert_int_equal(store_begin_bulk(fx.st, 20000, &err), 0);
		assert_int_equal(fds_on_database(), before + 1);
		for (int i = 0; i < 9000; i++) {
			struct seizure *s = simple(fx.admin.agency_id, "national");
			s->ref = arena_sprintf(&ar, "BULK-%d-%d", commit, i);
			assert_int_equal(seizure_validate(fx.ref, s, &ar, &err), 0);
			assert_int_equal(seizure_save_in_tx(fx.st, &fx.admin, s, 0, 0, "import", 1, &err),
					 0);
		}
		if (commit)
			assert_int_equal(store_commit(fx.st, &err), 0);
		else
			store_rollback(fx.st);
		assert_int_equal(fds_on_database(), before);
	}
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(fx.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*), sum(ref LIKE 'BULK-1-%') FROM seizure "
					    "WHERE ref LIKE 'BULK-%'",
					    -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 9000);
	assert_int_equal(sqlite3_column_int(q, 1), 9000);
	sqlite3_finalize(q);
	/* the indexes it dropped for the load are back */
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM sqlite_master WHERE name IN "
					    "('seizure_date', 'import_seizure_seizure')",
					    -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 2);
	sqlite3_finalize(q);
	sqlite3_close(db);
	error_clear(&err);
}

static struct seizure *read_back(int64_t id)
{
	struct seizure *g = arena_alloc(&ar, sizeof *g);
	struct error err = ERROR_INIT;
	assert_int_equal(store_seizure_get(fx.st, id, g, &ar, &err), 0);
	return g;
}

static void test_update_versions(void **state)
{
	struct error err = ERROR_INIT;
	int64_t id = create_ok(&fx.officer, simple(0, NULL));
	/* unchanged content: success, no new version, no audit entry */
	struct seizure *s = read_back(id);
	struct counts before = counts();
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, id, s, &ar, &err), 0);
	assert_int_equal(s->version, 1);
	assert_int_equal(read_back(id)->version, 1);
	assert_counts_equal(counts(), before);
	/* changed content: version 2, audited */
	s = read_back(id);
	s->place = "Poipet";
	s->items[0].quantity = 13;
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, id, s, &ar, &err), 0);
	assert_int_equal(s->version, 2);
	struct seizure *g = read_back(id);
	assert_int_equal(g->version, 2);
	assert_string_equal(g->place, "Poipet");
	assert_true(g->items[0].quantity == 13);
	assert_int_equal(audited(id, "update").n, 1);
	assert_non_null(strstr(audited(id, "update").detail, "\"version\":2"));
	/* an edit of version 1 now conflicts and changes nothing */
	before = counts();
	s = read_back(id);
	s->version = 1;
	s->place = "Bavet";
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, id, s, &ar, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	assert_non_null(strstr(err.message, "version 1"));
	assert_non_null(strstr(err.message, "version 2"));
	error_clear(&err);
	assert_counts_equal(counts(), before);
	assert_string_equal(read_back(id)->place, "Poipet");
	/* a version from the future conflicts too */
	s = read_back(id);
	s->version = 3;
	s->place = "Bavet";
	expect_error(seizure_update(fx.st, fx.ref, &fx.officer, id, s, &ar, &err), &err,
		     ERR_CONFLICT);
	assert_int_equal(read_back(id)->version, 2);
}

static void test_update_items_replaced(void **state)
{
	struct error err = ERROR_INIT;
	struct seizure *s = simple(0, NULL);
	s->origin = "CN;VN";
	int64_t id = create_ok(&fx.officer, s);
	s = read_back(id);
	struct seizure_item *items = arena_alloc(&ar, 3 * sizeof *items);
	items[0] = s->items[0];
	items[1] = (struct seizure_item){ .species = "tiger", .term = "SKI", .quantity = 2,
					  .unit = "", .live = 0 };
	items[2] = (struct seizure_item){ .species = "Elephas maximus", .term = "TUS",
					  .quantity = 4, .unit = "KIL", .live = -1 };
	s->items = items;
	s->nitems = 3;
	s->origin = "LA";
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, id, s, &ar, &err), 0);
	struct counts c = counts();
	assert_int_equal(c.items, 3);
	assert_int_equal(c.countries, 2); /* KH and LA: the old CN, VN are gone */
	struct seizure *g = read_back(id);
	assert_int_equal(g->nitems, 3);
	assert_string_equal(g->items[2].taxon_name, "Elephas maximus");
	assert_string_equal(g->origin, "LA");
	/* back to one item */
	g->nitems = 1;
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, id, g, &ar, &err), 0);
	assert_int_equal(counts().items, 1);
	assert_int_equal(read_back(id)->version, 3);
}

static void test_update_rights(void **state)
{
	struct error err = ERROR_INIT;
	int64_t private_id = create_ok(&fx.officer, simple(0, "agency"));
	int64_t national_id = create_ok(&fx.officer, simple(0, "national"));
	struct counts before = counts();
	/* forestry cannot see the private one at all */
	struct seizure *s = read_back(private_id);
	s->place = "x";
	expect_error(seizure_update(fx.st, fx.ref, &fx.forester, private_id, s, &ar, &err), &err,
		     ERR_NOT_FOUND);
	/* forestry sees the national one but may not change it */
	s = read_back(national_id);
	s->place = "x";
	expect_error(seizure_update(fx.st, fx.ref, &fx.forester, national_id, s, &ar, &err), &err,
		     ERR_FORBIDDEN);
	/* a customs viewer may not change it */
	s = read_back(national_id);
	s->place = "x";
	expect_error(seizure_update(fx.st, fx.ref, &fx.viewer, national_id, s, &ar, &err), &err,
		     ERR_FORBIDDEN);
	/* the customs officer may not hand it to forestry */
	s = read_back(national_id);
	s->agency_id = fx.forestry_id;
	expect_error(seizure_update(fx.st, fx.ref, &fx.officer, national_id, s, &ar, &err), &err,
		     ERR_FORBIDDEN);
	/* invalid content */
	s = read_back(national_id);
	s->country = "Narnia";
	expect_error(seizure_update(fx.st, fx.ref, &fx.officer, national_id, s, &ar, &err), &err,
		     ERR_VALIDATION);
	/* no such seizure */
	s = read_back(national_id);
	expect_error(seizure_update(fx.st, fx.ref, &fx.admin, 999, s, &ar, &err), &err,
		     ERR_NOT_FOUND);
	assert_counts_equal(counts(), before);
	assert_int_equal(read_back(national_id)->version, 1);
	/* the admin may move it to forestry */
	s = read_back(national_id);
	s->agency_id = fx.forestry_id;
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.admin, national_id, s, &ar, &err), 0);
	assert_int_equal(read_back(national_id)->agency_id, fx.forestry_id);
}

static void test_update_duplicate_ref(void **state)
{
	struct error err = ERROR_INIT;
	struct seizure *a = simple(0, NULL), *b = simple(0, NULL);
	a->ref = "A-1";
	b->ref = "B-1";
	create_ok(&fx.officer, a);
	int64_t idb = create_ok(&fx.officer, b);
	struct counts before = counts();
	struct seizure *s = read_back(idb);
	s->ref = "A-1";
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, idb, s, &ar, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	assert_counts_equal(counts(), before);
	assert_string_equal(read_back(idb)->ref, "B-1");
}

/* ---- delete --------------------------------------------------------------------------- */

static void test_delete(void **state)
{
	struct error err = ERROR_INIT;
	struct seizure *s = simple(0, NULL);
	s->origin = "CN";
	int64_t id = create_ok(&fx.officer, s);
	int64_t keep = create_ok(&fx.officer, simple(0, NULL));
	struct counts before = counts();
	/* only an admin deletes */
	const struct actor *not_admin[] = { &fx.officer, &fx.analyst, &fx.viewer, &fx.forester };
	for (size_t i = 0; i < 4; i++)
		expect_error(seizure_delete(fx.st, not_admin[i], id, 1, &err), &err, ERR_FORBIDDEN);
	/* with a stale version: conflict */
	expect_error(seizure_delete(fx.st, &fx.admin, id, 2, &err), &err, ERR_CONFLICT);
	expect_error(seizure_delete(fx.st, &fx.admin, id, 0, &err), &err, ERR_CONFLICT);
	/* no such seizure */
	expect_error(seizure_delete(fx.st, &fx.admin, 999, 1, &err), &err, ERR_NOT_FOUND);
	assert_counts_equal(counts(), before);
	/* the right version: gone with its items and countries, audited */
	assert_int_equal(seizure_delete(fx.st, &fx.admin, id, 1, &err), 0);
	struct counts c = counts();
	assert_int_equal(c.seizures, 1);
	assert_int_equal(c.items, 1);
	assert_int_equal(c.countries, 1);
	assert_int_equal(c.audit, before.audit + 1);
	struct audit_count a = audited(id, "delete");
	assert_int_equal(a.n, 1);
	assert_int_equal(a.user_id, fx.admin.user_id);
	struct seizure g;
	expect_error(seizure_get(fx.st, NULL, &fx.admin, id, &g, &ar, &err), &err, ERR_NOT_FOUND);
	assert_int_equal(seizure_get(fx.st, NULL, &fx.admin, keep, &g, &ar, &err), 0);
	/* deleting it again */
	expect_error(seizure_delete(fx.st, &fx.admin, id, 1, &err), &err, ERR_NOT_FOUND);
}

/* ---- lists ------------------------------------------------------------------------------ */

/*
 * Seven seizures (ids 1..7), created by the admin:
 *   A customs  national 2024-01-10 KH  Sunda Pangolin SCA 10 KIL; origin CN; air;
 *                                      place Phnom Penh airport
 *   B customs  agency   2024-02    KH  Panthera tigris SKI 1; destination VN; road
 *   C forestry national 2024-02-20 KH  Manis pentadactyla SCA 2 KIL; transit LA; road;
 *                                      notes "rice truck"
 *   D forestry agency   2023       VN  Elephas maximus TUS 2; sea
 *   E customs  national 2024-03-05 KH  Manis javanica LIV 3 + Panthera tigris BOD 1;
 *                                      offenders TH; post; notes "parcel from Bangkok"
 *   F customs  national 2022-12-31 TH  Manis javanica SCA 5 KIL; origin VN; air
 *   G forestry national 2024-02-20 KH  Panthera tigris SKI 1; rail
 * Newest first (date_from desc, id desc): E G C B A D F.
 */
static void make_list_data(void)
{
	struct seizure *s;
	s = new_seizure(fx.customs_id, "national", "2024-01-10", "KH", "Sunda Pangolin", "SCA", 10,
			"KIL");
	s->origin = "CN";
	s->transport_mode = "air";
	s->place = "Phnom Penh airport";
	assert_int_equal(create_ok(&fx.admin, s), 1);
	s = new_seizure(fx.customs_id, "agency", "2024-02", "KH", "Panthera tigris", "SKI", 1, "");
	s->destination = "VN";
	s->transport_mode = "road";
	assert_int_equal(create_ok(&fx.admin, s), 2);
	s = new_seizure(fx.forestry_id, "national", "2024-02-20", "KH", "Manis pentadactyla", "SCA",
			2, "KIL");
	s->transit = "LA";
	s->transport_mode = "road";
	s->notes = "rice truck";
	assert_int_equal(create_ok(&fx.admin, s), 3);
	s = new_seizure(fx.forestry_id, "agency", "2023", "VN", "Elephas maximus", "TUS", 2, "");
	s->transport_mode = "sea";
	assert_int_equal(create_ok(&fx.admin, s), 4);
	s = new_seizure(fx.customs_id, "national", "2024-03-05", "KH", "Manis javanica", "LIV", 3,
			"");
	s->items[1] = (struct seizure_item){ .species = "Panthera tigris", .term = "BOD",
					     .quantity = 1, .unit = "", .live = -1 };
	s->nitems = 2;
	s->offender_nationalities = "TH";
	s->transport_mode = "post";
	s->notes = "parcel from Bangkok";
	assert_int_equal(create_ok(&fx.admin, s), 5);
	s = new_seizure(fx.customs_id, "national", "2022-12-31", "TH", "Manis javanica", "SCA", 5,
			"KIL");
	s->origin = "VN";
	s->transport_mode = "air";
	assert_int_equal(create_ok(&fx.admin, s), 6);
	s = new_seizure(fx.forestry_id, "national", "2024-02-20", "KH", "Panthera tigris", "SKI", 1,
			"");
	s->transport_mode = "rail";
	assert_int_equal(create_ok(&fx.admin, s), 7);
}

/* The letters of a list page ("EGC"). */
static char *letters(const struct seizure_list *l)
{
	char *out = arena_alloc(&ar, l->n + 1);
	for (size_t i = 0; i < l->n; i++)
		out[i] = (char)('A' + l->items[i].id - 1);
	return out;
}

/* Lists with f (limit 100, total counted) and returns the letters. */
static const char *list_as(const struct actor *who, struct seizure_filter f, int64_t *total)
{
	struct seizure_list l;
	struct error err = ERROR_INIT;
	f.limit = f.limit ? f.limit : 100;
	f.want_total = 1;
	if (seizure_list(fx.st, who, &f, &l, &ar, &err) != 0)
		fail_msg("seizure_list: %s", err.message);
	assert_false(l.has_more);
	assert_null(l.next_cursor);
	if (total)
		*total = l.total;
	assert_int_equal(l.total, (int64_t)l.n); /* the total agrees with a full page */
	return letters(&l);
}

static const char *list(struct seizure_filter f)
{
	return list_as(&fx.admin, f, NULL);
}

static void test_list_all_and_access(void **state)
{
	make_list_data();
	struct seizure_filter none = { 0 };
	int64_t total;
	assert_string_equal(list_as(&fx.admin, none, &total), "EGCBADF");
	assert_int_equal(total, 7);
	/* customs users never see forestry's agency-only D, forestry never B */
	assert_string_equal(list_as(&fx.officer, none, &total), "EGCBAF");
	assert_int_equal(total, 6);
	assert_string_equal(list_as(&fx.viewer, none, &total), "EGCBAF");
	assert_string_equal(list_as(&fx.forester, none, &total), "EGCADF");
	assert_int_equal(total, 6);
	/* also when filtering on the other agency or a country that matches */
	assert_string_equal(list_as(&fx.forester, (struct seizure_filter){ .agency_id = 1 }, &total),
			    "EAF");
	assert_int_equal(total, 3);
	assert_string_equal(list_as(&fx.officer, (struct seizure_filter){ .agency_id = 2 }, &total),
			    "GC");
	assert_string_equal(list_as(&fx.forester, (struct seizure_filter){ .country = "VN" }, &total),
			    "DF");
	assert_int_equal(total, 2);
	assert_string_equal(list_as(&fx.officer, (struct seizure_filter){ .country = "VN" }, &total),
			    "BF");
	/* list items come with their items */
	struct seizure_list l;
	struct error err = ERROR_INIT;
	struct seizure_filter f = { .limit = 10 };
	assert_int_equal(seizure_list(fx.st, &fx.admin, &f, &l, &ar, &err), 0);
	assert_int_equal(l.total, -1); /* not asked for */
	assert_int_equal(l.items[0].nitems, 2);
	assert_string_equal(l.items[0].items[1].taxon_name, "Panthera tigris");
	assert_string_equal(l.items[0].agency, "Customs Department");
}

static void test_list_filters(void **state)
{
	make_list_data();
	static const struct {
		struct seizure_filter f;
		const char *want;
	} t[] = {
		{ { .taxon_id = 5034 }, "EAF" },
		{ { .taxon_id = 5690 }, "D" },
		{ { .taxon_group = "Manidae" }, "ECAF" },
		{ { .taxon_group = "Manis" }, "ECAF" },
		{ { .taxon_group = "Felidae" }, "EGB" },
		{ { .taxon_group = "Mammalia" }, "EGCBADF" },
		{ { .taxon_group = "Manis javanica" }, "EAF" },
		{ { .taxon_group = "Aves" }, "" },
		{ { .term = "SCA" }, "CAF" },
		{ { .term = "SKI" }, "GB" },
		{ { .term = "BOD" }, "E" },
		{ { .country = "KH" }, "EGCBA" },
		{ { .country = "VN" }, "BDF" }, /* destination, seizure, origin */
		{ { .country = "LA" }, "C" },   /* transit */
		{ { .country = "CN" }, "A" },   /* origin */
		{ { .country = "TH" }, "F" },   /* not E: offenders' nationality */
		{ { .agency_id = 2 }, "GCD" },
		{ { .transport_mode = "road" }, "CB" },
		{ { .transport_mode = "air" }, "AF" },
		{ { .transport_mode = "vessel" }, "" },
		{ { .q = "rice" }, "C" },
		{ { .q = "parcel bangkok" }, "E" },
		{ { .q = "bangkok parcel" }, "E" },
		{ { .q = "pangolin" }, "A" },
		{ { .q = "javanica" }, "EAF" },
		{ { .q = "phnom penh" }, "A" },
		{ { .q = "penh airport pangolin" }, "A" },
		{ { .q = "rice bangkok" }, "" },
		{ { .taxon_id = 5034, .country = "KH" }, "EA" },
		{ { .term = "SCA", .transport_mode = "air" }, "AF" },
		{ { .taxon_group = "Felidae", .agency_id = 2 }, "G" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		const char *got = list(t[i].f);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("filter %zu: got \"%s\", want \"%s\"", i, got, t[i].want);
	}
}

static void test_list_dates(void **state)
{
	make_list_data();
	static const struct {
		const char *from, *to, *want;
	} t[] = {
		/* B is all of February 2024: it overlaps a week inside it */
		{ "2024-02-10", "2024-02-15", "B" },
		{ "2024-02-20", "2024-02-20", "GCB" },
		/* D is all of 2023 */
		{ "2023-06-01", "2023-06-30", "D" },
		{ "2024-01-01", "2024-12-31", "EGCBA" },
		{ NULL, "2022-12-31", "F" },
		{ NULL, "2023-01-01", "DF" },
		{ "2024-03-01", NULL, "E" },
		{ "2024-03-06", NULL, "" },
		{ "2023-12-31", "2024-01-10", "AD" },
		{ "2024-01-11", "2024-01-31", "" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct seizure_filter f = { .from = t[i].from, .to = t[i].to };
		const char *got = list(f);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("from %s to %s: got \"%s\", want \"%s\"", t[i].from ? t[i].from : "-",
				 t[i].to ? t[i].to : "-", got, t[i].want);
	}
}

/* Pages through the list of who with page size limit; checks every page. */
static void page_through(const struct actor *who, struct seizure_filter base, int limit,
			 const char *want)
{
	struct dynbuf all = DYNBUF_INIT(1024);
	struct seizure_filter f = base;
	f.limit = limit;
	f.want_total = 1;
	int pages = 0;
	for (;;) {
		struct seizure_list l;
		struct error err = ERROR_INIT;
		assert_int_equal(seizure_list(fx.st, who, &f, &l, &ar, &err), 0);
		assert_int_equal(l.total, (int64_t)strlen(want)); /* the whole list, every page */
		assert_true(l.n <= (size_t)limit);
		dynbuf_adds(&all, letters(&l));
		pages++;
		if (!l.has_more) {
			assert_null(l.next_cursor);
			break;
		}
		assert_int_equal(l.n, (size_t)limit);
		assert_non_null(l.next_cursor);
		assert_int_equal(seizure_cursor_decode(l.next_cursor, &f, &ar), 0);
		assert_true(pages <= 10);
	}
	if (strcmp(dynbuf_str(&all), want) != 0)
		fail_msg("limit %d: pages gave \"%s\", want \"%s\"", limit, dynbuf_str(&all), want);
	size_t n = strlen(want);
	int want_pages = n == 0 ? 1 : (int)((n + (size_t)limit - 1) / (size_t)limit);
	/* a last page that is exactly full is known to be last */
	assert_int_equal(pages, want_pages);
	dynbuf_free(&all);
}

static void test_list_cursor_pages(void **state)
{
	make_list_data();
	struct seizure_filter none = { 0 };
	for (int limit = 1; limit <= 8; limit++) {
		page_through(&fx.admin, none, limit, "EGCBADF");
		page_through(&fx.officer, none, limit, "EGCBAF");
		page_through(&fx.forester, none, limit, "EGCADF");
	}
	/* pages of a filtered list */
	page_through(&fx.admin, (struct seizure_filter){ .taxon_group = "Manidae" }, 1, "ECAF");
	page_through(&fx.forester, (struct seizure_filter){ .country = "KH" }, 2, "EGCA");
	page_through(&fx.admin, (struct seizure_filter){ .q = "zzz" }, 3, "");
}

static void test_list_default_limit(void **state)
{
	/* 55 seizures: the default page is 50 */
	for (int i = 0; i < 55; i++)
		create_ok(&fx.officer, simple(0, NULL));
	struct seizure_filter f = { .want_total = 1 };
	struct seizure_list l;
	struct error err = ERROR_INIT;
	assert_int_equal(seizure_list(fx.st, &fx.officer, &f, &l, &ar, &err), 0);
	assert_int_equal(l.n, 50);
	assert_true(l.has_more);
	assert_int_equal(l.total, 55);
	/* all the same date: ordered by id, newest first */
	assert_int_equal(l.items[0].id, 55);
	assert_int_equal(l.items[49].id, 6);
	assert_string_equal(l.next_cursor, "2024-03-15_6");
}

/* Every word of q must appear, however many there are. */
static void test_list_q_all_words(void **state)
{
	make_list_data();
	assert_string_equal(list((struct seizure_filter){ .q = "phnom penh airport zzz" }), "");
}

/* A higher taxon given in the checklist's spelling (the filter parser
 * canonicalises case) lists its seizures. */
static void test_list_taxon_group_canonical(void **state)
{
	make_list_data();
	const char *name = refdata_group_name(fx.ref, "manidae");
	assert_non_null(name);
	assert_string_equal(name, "Manidae");
	assert_string_equal(list((struct seizure_filter){ .taxon_group = name }),
			    list((struct seizure_filter){ .taxon_group = "Manidae" }));
	assert_null(refdata_group_name(fx.ref, "Notataxonidae"));
}


int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_officer_own_agency),
		T(test_list_taxon_group_canonical),
		T(test_list_q_all_words),
		T(test_create_roles),
		T(test_create_invalid_changes_nothing),
		T(test_create_duplicate_ref),
		T(test_get_round_trip),
		T(test_get_visibility),
		T(test_get_is_audited),
		T(test_get_view_queued),
		T(test_update_versions),
		T(test_update_items_replaced),
		T(test_update_rights),
		T(test_update_duplicate_ref),
		T(test_delete),
		T(test_list_all_and_access),
		T(test_list_filters),
		T(test_list_dates),
		T(test_list_cursor_pages),
		T(test_list_default_limit),
		T(test_bulk_load_files),
	};
#undef T
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
