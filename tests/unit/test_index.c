/*
 * test_index.c - the in-memory list index answers exactly as the store's SQL
 * list does: same pages, same order, same totals, for every filter, actor
 * and page size; and it follows changes (its own and other processes').
 * Its cache of rendered JSON serves a render only while the record it was
 * rendered from is current, and the JSON writer prints what jansson prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"
#include "index/seizure_index.h"
#include "lib/dynbuf.h"
#include "seizure/json.h"
#include "seizure/seizure.h"

static struct fixture fx;
static struct arena ar;

static int setup(void **state)
{
	fixture_open(&fx);
	arena_init(&ar);
	return 0;
}

static int teardown(void **state)
{
	arena_free(&ar);
	fixture_close(&fx);
	return 0;
}

static int64_t add(const struct actor *who, int64_t agency, const char *sharing, const char *date,
		   const char *country, const char *species, const char *term, const char *unit,
		   const char *origin, const char *transport, const char *notes)
{
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.agency_id = agency;
	s.sharing = sharing;
	s.date = date;
	s.country = country;
	s.origin = origin;
	s.transport_mode = transport;
	s.notes = notes;
	s.items = arena_alloc(&ar, 2 * sizeof *s.items);
	s.items[0] = (struct seizure_item){ .species = species, .term = term, .quantity = 2,
					    .unit = unit, .live = -1 };
	s.nitems = 1;
	struct error err = ERROR_INIT;
	if (seizure_create(fx.st, fx.ref, who, &s, &ar, &err) != 0)
		fail_msg("seizure_create: %s", err.message);
	return s.id;
}

static void make_data(void)
{
	static const char *const species[] = { "Manis javanica", "Panthera tigris",
					       "Elephas maximus", "Dalbergia cochinchinensis" };
	static const char *const terms[] = { "SCA", "SKI", "TUS", "TIM" };
	static const char *const units[] = { "KIL", "", "", "KIL" };
	static const char *const countries[] = { "KH", "VN", "TH", "LA" };
	static const char *const modes[] = { "sea", "road", "air", NULL };
	static const char *const notes[] = { "rice truck from Poipet", "parcel Bangkok",
					     "phnom penh airport", NULL };
	for (int i = 0; i < 40; i++) {
		char date[16];
		snprintf(date, sizeof date, i % 7 == 0 ? "%04d" : i % 5 == 0 ? "%04d-%02d" : "%04d-%02d-%02d",
			 2019 + i % 5, 1 + i % 12, 1 + i % 27);
		int agency = i % 3 == 0 ? 2 : 1;
		add(&fx.admin, agency == 1 ? fx.customs_id : fx.forestry_id,
		    i % 4 == 0 ? "agency" : "national", date, countries[i % 4], species[i % 4],
		    terms[i % 4], units[i % 4], i % 2 ? "CN" : NULL, modes[i % 4], notes[i % 4]);
	}
}

/* Both answers for f as who, compared: ids in order and totals, every page. */
static void compare(struct seizure_index *ix, const struct actor *who, struct seizure_filter f)
{
	for (int limit = 1; limit <= 41; limit += 8) {
		f.limit = limit;
		f.want_total = 1;
		f.after_id = 0;
		f.after_date = NULL;
		for (int page = 0; page < 50; page++) {
			struct seizure_list l;
			struct error err = ERROR_INIT;
			if (store_seizure_list(fx.st, who, &f, &l, &ar, &err) != 0)
				fail_msg("store_seizure_list: %s", err.message);
			int64_t ids[64], total;
			size_t n;
			int more;
			assert_int_equal(seizure_index_query(ix, fx.ref, who, &f, ids, &n, &more, &total,
							     &err), 0);
			assert_int_equal(n, l.n);
			assert_int_equal(total, l.total);
			assert_int_equal(more, l.has_more);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(ids[i], l.items[i].id);
			if (!l.has_more)
				break;
			f.after_id = l.items[l.n - 1].id;
			f.after_date = l.items[l.n - 1].date_from;
		}
	}
}

static void compare_all(struct seizure_index *ix)
{
	const struct actor *who[] = { &fx.admin, &fx.officer, &fx.forester, &fx.viewer };
	int64_t manis = 0, tiger = 0;
	const struct taxon *t[2];
	if (refdata_resolve_species(fx.ref, "Manis javanica", t, 2) == 1)
		manis = t[0]->id;
	if (refdata_resolve_species(fx.ref, "Panthera tigris", t, 2) == 1)
		tiger = t[0]->id;
	assert_true(manis && tiger);
	struct seizure_filter filters[] = {
		{ 0 },
		{ .taxon_id = manis },
		{ .taxon_id = tiger, .country = "VN" },
		{ .taxon_group = "Manidae" },
		{ .taxon_group = "Felidae", .from = "2020-01-01" },
		{ .taxon_group = "Mammalia", .term = "TUS" },
		{ .term = "SCA" },
		{ .term = "HOR" }, /* no seizure has it */
		{ .country = "KH" },
		{ .country = "CN" }, /* origin only */
		{ .country = "ZA" },
		{ .agency_id = 2 },
		{ .from = "2021-01-01", .to = "2022-06-30" },
		{ .from = "2023-05-01" },
		{ .to = "2019-12-31" },
		{ .transport_mode = "road" },
		{ .transport_mode = "air", .country = "TH" },
		{ .q = "rice" },
		{ .q = "truck poipet" },
		{ .q = "ban" },
		{ .q = "penh zzz" },
		{ .q = "poipet", .taxon_id = manis, .agency_id = 1 },
	};
	for (size_t w = 0; w < sizeof who / sizeof *who; w++)
		for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
			compare(ix, who[w], filters[i]);
}

static void test_index_equals_sql(void **state)
{
	make_data();
	struct error err = ERROR_INIT;
	struct seizure_index *ix = seizure_index_build(fx.st, &err);
	assert_non_null(ix);
	assert_int_equal(seizure_index_size(ix), 40);
	compare_all(ix);
	seizure_index_free(ix);
}

static void test_index_follows_changes(void **state)
{
	make_data();
	struct error err = ERROR_INIT;
	struct seizure_index *ix = seizure_index_build(fx.st, &err);
	assert_non_null(ix);
	/* a new seizure, refreshed by id */
	int64_t id = add(&fx.officer, fx.customs_id, "national", "2025-01-02", "KH",
			 "Manis javanica", "SCA", "KIL", NULL, "sea", "new one at Sihanoukville");
	assert_int_equal(seizure_index_refresh(ix, fx.st, id, &err), 0);
	assert_int_equal(seizure_index_size(ix), 41);
	/* changed: the date moves it in the order; the text changes */
	struct seizure s;
	assert_int_equal(store_seizure_get(fx.st, id, &s, &ar, &err), 0);
	s.date = "2018-03-03";
	s.notes = "moved back in time";
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, id, &s, &ar, &err), 0);
	assert_int_equal(seizure_index_refresh(ix, fx.st, id, &err), 0);
	compare_all(ix);
	/* deleted */
	assert_int_equal(seizure_delete(fx.st, &fx.admin, id, s.version, &err), 0);
	assert_int_equal(seizure_index_refresh(ix, fx.st, id, &err), 0);
	assert_int_equal(seizure_index_size(ix), 40);
	/* changes the index did not hear of (another process): sync rebuilds */
	add(&fx.admin, fx.forestry_id, "agency", "2024-12", "LA", "Elephas maximus", "TUS", "",
	    "CN", "road", "late addition");
	add(&fx.admin, fx.customs_id, "national", "2024-11-30", "KH", "Panthera tigris", "SKI", "",
	    NULL, "air", "another");
	assert_int_equal(seizure_index_sync(ix, fx.st, &err), 0);
	assert_int_equal(seizure_index_size(ix), 42);
	compare_all(ix);
	seizure_index_free(ix);
}

/* The stamp of id as seen by who at the store's current generation (0: unseen). */
static uint64_t stamp_of(struct seizure_index *ix, const struct actor *who, int64_t id)
{
	struct error err = ERROR_INIT;
	int64_t gen;
	assert_int_equal(seizure_index_sync_generation(ix, fx.st, &gen, &err), 0);
	struct seizure_index_info info;
	assert_true(seizure_index_lookup(ix, who, gen, &id, 1, &info) >= 0);
	return info.stamp;
}

/* The JSON writer prints what jansson prints, for every record and both forms. */
static void test_json_writer_equals_jansson(void **state)
{
	make_data();
	/* text that needs escaping, several scripts, coordinates and a value */
	int64_t id = add(&fx.admin, fx.customs_id, "national", "2024-02-29", "KH", "Manis javanica",
			 "SCA", "KIL", "VN;CN", "sea",
			 "quote \" backslash \\ tab\t newline\n bell\x07 ក្រុងព្រះសីហនុ 广州 Cảng");
	struct seizure s;
	struct error err = ERROR_INIT;
	assert_int_equal(store_seizure_get(fx.st, id, &s, &ar, &err), 0);
	s.has_coords = 1;
	s.latitude = 10.6104;
	s.longitude = 103.5296;
	s.has_value = 1;
	s.value_amount = 12500;
	s.value_currency = "USD";
	s.items[0].quantity = 0.1;
	for (int64_t i = 0; i <= id; i++) {
		struct seizure r;
		const struct seizure *p = &s;
		if (i < id) {
			if (store_seizure_get(fx.st, i, &r, &ar, &err) != 0) {
				error_clear(&err);
				continue;
			}
			p = &r;
		}
		for (int summary = 0; summary < 2; summary++) {
			json_t *j = seizure_to_json(p, fx.ref, summary);
			char *want = json_dumps(j, JSON_COMPACT);
			json_decref(j);
			struct dynbuf b = DYNBUF_INIT(1 << 20);
			seizure_json_write(&b, p, fx.ref, summary);
			assert_string_equal(dynbuf_str(&b), want);
			free(want);
			dynbuf_free(&b);
		}
	}
}

/* Rendered JSON is served only for the entry it was rendered from: a change
 * (own refresh or another process's) retires it; visibility is the list's. */
static void test_rendered_cache(void **state)
{
	make_data();
	struct error err = ERROR_INIT;
	struct seizure_index *ix = seizure_index_build(fx.st, &err);
	assert_non_null(ix);
	int64_t id = add(&fx.officer, fx.customs_id, "agency", "2025-01-02", "KH",
			 "Manis javanica", "SCA", "KIL", NULL, "sea", "for the cache");
	assert_int_equal(seizure_index_refresh(ix, fx.st, id, &err), 0);
	/* seen by its agency and the admin; not by another agency (agency sharing) */
	uint64_t st1 = stamp_of(ix, &fx.officer, id);
	assert_true(st1 != 0);
	assert_int_equal(stamp_of(ix, &fx.admin, id), st1);
	assert_int_equal(stamp_of(ix, &fx.forester, id), 0);
	assert_int_equal(stamp_of(ix, &fx.admin, 999999), 0);
	/* a stale generation is refused */
	int64_t gen;
	assert_int_equal(seizure_index_sync_generation(ix, fx.st, &gen, &err), 0);
	struct seizure_index_info info;
	assert_int_equal(seizure_index_lookup(ix, &fx.admin, gen + 1, &id, 1, &info), -1);

	struct dynbuf b = DYNBUF_INIT(1 << 20);
	assert_int_equal(seizure_index_json_get(ix, SEIZURE_JSON_DETAIL, id, st1, fx.ref, &b), 0);
	seizure_index_json_put(ix, SEIZURE_JSON_DETAIL, id, st1, fx.ref, "{\"v\":1}", 7);
	assert_int_equal(seizure_index_json_get(ix, SEIZURE_JSON_DETAIL, id, st1, fx.ref, &b), 1);
	assert_string_equal(dynbuf_str(&b), "{\"v\":1}");
	/* the other kind, and other reference data, are other renders */
	assert_int_equal(seizure_index_json_get(ix, SEIZURE_JSON_SUMMARY, id, st1, fx.ref, &b), 0);
	assert_int_equal(seizure_index_json_get(ix, SEIZURE_JSON_DETAIL, id, st1,
						(const struct refdata *)&b, &b), 0);

	/* an update through the index: a new stamp; the old render is not served */
	struct seizure s;
	assert_int_equal(store_seizure_get(fx.st, id, &s, &ar, &err), 0);
	s.notes = "changed";
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, id, &s, &ar, &err), 0);
	assert_int_equal(seizure_index_refresh(ix, fx.st, id, &err), 0);
	uint64_t st2 = stamp_of(ix, &fx.officer, id);
	assert_true(st2 != 0 && st2 != st1);
	dynbuf_reset(&b);
	assert_int_equal(seizure_index_json_get(ix, SEIZURE_JSON_DETAIL, id, st2, fx.ref, &b), 0);
	seizure_index_json_put(ix, SEIZURE_JSON_DETAIL, id, st2, fx.ref, "{\"v\":2}", 7);

	/* changed by "another process" (the index not told): sync rebuilds, new stamps */
	assert_int_equal(store_seizure_get(fx.st, id, &s, &ar, &err), 0);
	s.notes = "changed elsewhere";
	s.sharing = "national";
	assert_int_equal(seizure_update(fx.st, fx.ref, &fx.officer, id, &s, &ar, &err), 0);
	uint64_t st3 = stamp_of(ix, &fx.forester, id); /* now shared nationally */
	assert_true(st3 != 0 && st3 != st2);
	assert_int_equal(seizure_index_json_get(ix, SEIZURE_JSON_DETAIL, id, st3, fx.ref, &b), 0);

	/* deleted, and a new seizure given the same id: never the old render */
	seizure_index_json_put(ix, SEIZURE_JSON_DETAIL, id, st3, fx.ref, "{\"v\":3}", 7);
	assert_int_equal(store_seizure_get(fx.st, id, &s, &ar, &err), 0);
	assert_int_equal(seizure_delete(fx.st, &fx.admin, id, s.version, &err), 0);
	assert_int_equal(seizure_index_refresh(ix, fx.st, id, &err), 0);
	assert_int_equal(stamp_of(ix, &fx.admin, id), 0);
	int64_t again = add(&fx.officer, fx.customs_id, "national", "2025-01-03", "KH",
			    "Manis javanica", "SCA", "KIL", NULL, "sea", "same id again");
	assert_int_equal(seizure_index_refresh(ix, fx.st, again, &err), 0);
	if (again == id) {
		uint64_t st4 = stamp_of(ix, &fx.admin, id);
		assert_true(st4 != 0 && st4 != st3);
		assert_int_equal(seizure_index_json_get(ix, SEIZURE_JSON_DETAIL, id, st4, fx.ref, &b),
				 0);
	}
	dynbuf_free(&b);
	seizure_index_free(ix);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_index_equals_sql, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_follows_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_writer_equals_jansson, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rendered_cache, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
