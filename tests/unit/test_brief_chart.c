/*
 * The network chart section of the brief (brief_add_chart, brief.h): a
 * saved chart drawn in the PDF has the chart's name, its node labels (a
 * Khmer name too) and its legend in pdftotext's output; a node the reader
 * may not see leaves no label; hidden nodes are left out; a chart without
 * positions is still drawn; another agency's chart is "not found"; the
 * chart ids of a query; and the whole brief through brief_write with a
 * chart, from the analytics engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "analytics/analytics.h"
#include "fixture.h"
#include "index/graph_index.h"
#include "lib/dynbuf.h"
#include "lib/query.h"
#include "lib/xalloc.h"
#include "party/party.h"
#include "report/brief.h"
#include "seizure/export.h"
#include "seizure/seizure.h"
#include "store/store.h"

/* ---- helpers ----------------------------------------------------------------- */

static char *tmp_pdf(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/kouprey-brief-chart-XXXXXX.pdf", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

/* The text of a PDF file (pdftotext), to free. */
static char *pdf_text(const char *path)
{
	char *cmd = xasprintf("pdftotext -enc UTF-8 '%s' -", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct dynbuf out = DYNBUF_INIT(64u << 20);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		assert_int_equal(dynbuf_add(&out, buf, n), 0);
	assert_int_equal(pclose(p), 0);
	free(cmd);
	return dynbuf_take(&out);
}

/* Renders b; the PDF's text. */
static char *render_text(const struct brief *b)
{
	char *path = tmp_pdf();
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	struct error err = ERROR_INIT;
	int rc = brief_render_pdf(b, seizure_write_file, f, &err);
	if (rc != 0)
		fail_msg("brief_render_pdf: %s", err.message ? err.message : "?");
	assert_int_equal(fclose(f), 0);
	char *t = pdf_text(path);
	unlink(path);
	free(path);
	return t;
}

#define assert_contains(hay, needle) \
	do { \
		if (!strstr((hay), (needle))) \
			fail_msg("\"%s\" not in the PDF's text:\n%s", (needle), (hay)); \
	} while (0)
#define assert_lacks(hay, needle) \
	do { \
		if (strstr((hay), (needle))) \
			fail_msg("\"%s\" should not be in the PDF's text:\n%s", (needle), (hay)); \
	} while (0)

static int64_t make_seizure(struct fixture *fx, const struct actor *who, const char *ref,
			    const char *date, struct arena *a)
{
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.ref = ref;
	s.sharing = "national";
	s.date = date;
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

static int64_t make_party(struct fixture *fx, const struct actor *who, const char *kind,
			  const char *name, const char *sharing, struct arena *a)
{
	struct party p;
	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.sharing = sharing;
	p.names = arena_alloc(a, sizeof *p.names);
	p.names[0].name = name;
	p.nnames = 1;
	struct error err = ERROR_INIT;
	if (party_create(fx->st, fx->ref, who, &p, a, &err) != 0)
		fixture_die("party", &err);
	return p.id;
}

/*
 * The register: Sun Chantha (customs) uses a phone and is the suspect of
 * KH-CUS-1 (2024-05-02); សុខ ចាន់ថា (customs) is his family; the
 * Mekong Freight Co. (an organisation) employs him; Secret Source
 * (forestry, its agency only) is his associate.
 */
struct world {
	int64_t s1, sun, sok, org, secret, phone;
};

static void build_world(struct fixture *fx, struct world *w, struct arena *a)
{
	struct error err = ERROR_INIT;
	int created;
	w->s1 = make_seizure(fx, &fx->officer, "KH-CUS-1", "2024-05-02", a);
	w->sun = make_party(fx, &fx->officer, "person", "Sun Chantha", "national", a);
	w->sok = make_party(fx, &fx->officer, "person", "សុខ ចាន់ថា", "national", a);
	w->org = make_party(fx, &fx->officer, "organisation", "Mekong Freight Co", "national", a);
	w->secret = make_party(fx, &fx->forester, "person", "Secret Source", "agency", a);
	struct identifier in = { .kind = "phone", .value = "012 345 678" }, out;
	struct link_info l = { "uses", "phone seized", "2024-05-02", w->s1 };
	if (party_add_identifier(fx->st, fx->ref, &fx->officer, w->sun, &in, &l, &out, &created, a,
				 &err) != 0)
		fixture_die("identifier", &err);
	w->phone = out.id;
	struct link_info ls = { "suspect", "arrest report", NULL, 0 };
	if (party_link_seizure(fx->st, &fx->officer, w->sun, w->s1, &ls, &created, a, &err) != 0)
		fixture_die("link seizure", &err);
	struct link_info lf = { "family", "interview", "2023-11-02", 0 };
	if (party_add_relation(fx->st, &fx->officer, w->sok, w->sun, &lf, &created, a, &err) != 0)
		fixture_die("relation", &err);
	struct link_info le = { "employee_of", "registry", "2024-01-15", 0 };
	if (party_add_relation(fx->st, &fx->officer, w->sun, w->org, &le, &created, a, &err) != 0)
		fixture_die("relation", &err);
	struct link_info lx = { "associate", "informant", "2024-02-01", 0 };
	if (party_add_relation(fx->st, &fx->forester, w->secret, w->sun, &lx, &created, a, &err) != 0)
		fixture_die("relation", &err);
}

/* Saves a chart of all the world's nodes as `who`; with_pos: positions. */
static int64_t save_chart(struct fixture *fx, const struct actor *who, const struct world *w,
			  const char *name, int with_pos, const char *hidden)
{
	int64_t ids[6][2] = { { 0, w->s1 }, { 1, w->sun }, { 1, w->sok }, { 1, w->org },
			      { 1, w->secret }, { 2, w->phone } };
	static const char *const kinds[3] = { "seizure", "party", "identifier" };
	json_t *nodes = json_array();
	for (int i = 0; i < 6; i++) {
		char id[48];
		snprintf(id, sizeof id, "%s:%lld", kinds[ids[i][0]], (long long)ids[i][1]);
		json_t *n = json_pack("{s:s, s:b}", "id", id, "pinned", 0);
		if (with_pos) {
			json_object_set_new(n, "x", json_integer(100 * (i % 3)));
			json_object_set_new(n, "y", json_integer(-80 * (i / 3)));
		}
		json_array_append_new(nodes, n);
	}
	json_t *chart = json_pack("{s:o, s:[], s:{s:s}}", "nodes", nodes, "hidden", "filters",
				  "depth", "1");
	if (hidden)
		json_array_append_new(json_object_get(chart, "hidden"), json_string(hidden));
	struct arena a;
	arena_init(&a);
	struct store_chart c;
	struct error err = ERROR_INIT;
	if (graph_chart_create(fx->st, who, name, chart, &c, &a, &err) != 0)
		fixture_die("chart", &err);
	json_decref(chart);
	arena_free(&a);
	return c.id;
}

static struct graph_index *build_index(struct fixture *fx)
{
	struct error err = ERROR_INIT;
	struct graph_index *ix = graph_index_build(fx->st, &err);
	if (!ix)
		fail_msg("graph_index_build: %s", err.message);
	return ix;
}

/* A brief with only the chart (no seizures matched), rendered; its text. */
static char *chart_brief(struct fixture *fx, struct graph_index *ix, const struct actor *who,
			 int64_t chart, const char *lang)
{
	struct arena a;
	arena_init(&a);
	struct brief b;
	memset(&b, 0, sizeof b);
	b.lang = lang;
	struct error err = ERROR_INIT;
	if (brief_add_chart(&b, ix, fx->st, who, chart, &a, &err) != 0)
		fail_msg("brief_add_chart: %s", err.message ? err.message : "?");
	assert_int_equal(b.nextra, 1);
	char *t = render_text(&b);
	arena_free(&a);
	return t;
}

/* ---- tests --------------------------------------------------------------------- */

static void chart_has_name_labels_and_legend(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	int64_t id = save_chart(&fx, &fx.analyst, &w, "Sun Chantha ring", 1, NULL);
	struct graph_index *ix = build_index(&fx);

	/* the customs analyst: everything but the forestry informant */
	char *t = chart_brief(&fx, ix, &fx.analyst, id, "en");
	assert_contains(t, "Network chart: Sun Chantha ring");
	assert_contains(t, "Sun Chantha");
	assert_contains(t, "សុខ ចាន់ថា");
	assert_contains(t, "Mekong Freight Co");
	assert_contains(t, "KH-CUS-1");
	assert_contains(t, "+855 12 345 678");     /* the phone, as displayed */
	assert_contains(t, "5 nodes, 4 links");
	assert_contains(t, "Links dated 2023-11-02 – 2024-05-02");
	assert_contains(t, "1 of the chart's nodes not shown");
	/* legend: the kinds present */
	assert_contains(t, "Seizure");
	assert_contains(t, "Person");
	assert_contains(t, "Organisation");
	assert_contains(t, "Phone, e-mail, handle");
	assert_contains(t, "role in seizure");
	assert_contains(t, "relation");
	assert_lacks(t, "Secret Source");
	assert_lacks(t, "informant");
	assert_lacks(t, "associate");
	assert_lacks(t, "Bank account");
	free(t);

	/* an admin sees the informant and the link to him */
	t = chart_brief(&fx, ix, &fx.admin, id, "en");
	assert_contains(t, "Secret Source");
	assert_contains(t, "6 nodes, 5 links");
	assert_contains(t, "associate");
	assert_lacks(t, "not shown");
	free(t);

	/* in Khmer: the labels are Khmer (pdftotext splits some Khmer
	 * clusters with spaces, so the English ones are checked absent) */
	t = chart_brief(&fx, ix, &fx.analyst, id, "km");
	assert_contains(t, ": Sun Chantha ring");
	assert_contains(t, "សុខ ចាន់ថា");
	assert_contains(t, "2023-11-02 – 2024-05-02");
	assert_lacks(t, "Network chart");
	assert_lacks(t, "Person");
	free(t);

	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

static void hidden_nodes_and_no_positions(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	char hid[48];
	snprintf(hid, sizeof hid, "party:%lld", (long long)w.org);
	int64_t id = save_chart(&fx, &fx.officer, &w, "No layout", 0, hid);
	struct graph_index *ix = build_index(&fx);
	char *t = chart_brief(&fx, ix, &fx.admin, id, "en");
	assert_contains(t, "Network chart: No layout");
	assert_contains(t, "Sun Chantha");           /* drawn on a circle */
	assert_contains(t, "Secret Source");
	assert_lacks(t, "Mekong Freight Co");        /* hidden in the view */
	assert_lacks(t, "Organisation");             /* so not in the legend */
	assert_contains(t, "5 nodes, 4 links");
	free(t);
	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

static void another_agencys_chart_is_not_found(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	int64_t id = save_chart(&fx, &fx.analyst, &w, "Customs only", 1, NULL);
	struct graph_index *ix = build_index(&fx);
	struct brief b;
	memset(&b, 0, sizeof b);
	struct error err = ERROR_INIT;
	assert_int_equal(brief_add_chart(&b, ix, fx.st, &fx.forester, id, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	char want[64];
	snprintf(want, sizeof want, "chart %lld not found", (long long)id);
	assert_string_equal(err.message, want);
	assert_int_equal(b.nextra, 0);
	error_clear(&err);
	assert_int_equal(brief_add_chart(&b, ix, fx.st, &fx.analyst, id + 100, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

static void chart_ids_of_a_query(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	int64_t *ids;
	size_t n;
	struct query q = { .n = 3, .keys = { "chart", "from", "chart" },
			   .values = { "3,5", "2024", "7" } };
	assert_int_equal(brief_chart_ids(&q, &ids, &n, &a, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], 5);
	assert_int_equal(ids[2], 7);
	struct query none = { .n = 1, .keys = { "from" }, .values = { "2024" } };
	assert_int_equal(brief_chart_ids(&none, &ids, &n, &a, &err), 0);
	assert_int_equal(n, 0);
	static const char *const bad[] = { "x", "0", "3,", "-2", "4;5", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct query qb = { .n = 1, .keys = { "chart" }, .values = { bad[i] } };
		assert_int_equal(brief_chart_ids(&qb, &ids, &n, &a, &err), -1);
		assert_int_equal(err.nfields, 1);
		assert_string_equal(err.fields[0].field, "chart");
		error_clear(&err);
	}
	struct query many = { .n = 1, .keys = { "chart" }, .values = { "1,2,3,4,5,6,7,8,9" } };
	assert_int_equal(brief_chart_ids(&many, &ids, &n, &a, &err), -1);
	error_clear(&err);
	arena_free(&a);
}

static void whole_brief_with_a_chart(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	int64_t id = save_chart(&fx, &fx.analyst, &w, "Ring in the brief", 1, NULL);
	struct graph_index *ix = build_index(&fx);
	struct error err = ERROR_INIT;
	struct analytics *an = analytics_build(fx.st, fx.ref, &err);
	if (!an)
		fail_msg("analytics_build: %s", err.message);
	struct query q = { .n = 2, .keys = { "from", "chart" }, .values = { "2024", "ignored" } };
	struct brief_options opt = { .lang = "en", .charts = &id, .ncharts = 1, .graph = ix,
				     .store = fx.st };
	char *path = tmp_pdf();
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (brief_write(an, fx.ref, &fx.analyst, &q, &opt, seizure_write_file, f, &err) != 0)
		fail_msg("brief_write: %s", err.message ? err.message : "?");
	assert_int_equal(fclose(f), 0);
	char *t = pdf_text(path);
	assert_contains(t, "Wildlife seizures — intelligence brief");
	assert_contains(t, "Seizures and weight by period");  /* the analytics sections */
	assert_contains(t, "Network chart: Ring in the brief");
	assert_contains(t, "Mekong Freight Co");
	assert_lacks(t, "Secret Source");
	assert_lacks(t, "ignored");                        /* chart is not a filter */
	free(t);
	/* a forestry officer: the chart is not theirs; nothing is written */
	struct dynbuf out = DYNBUF_INIT(64u << 20);
	assert_int_equal(brief_write(an, fx.ref, &fx.forester, &q, &opt, seizure_write_dynbuf, &out,
				     &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_int_equal(out.len, 0);
	dynbuf_free(&out);
	error_clear(&err);
	unlink(path);
	free(path);
	analytics_free(an);
	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chart_has_name_labels_and_legend),
		cmocka_unit_test(hidden_nodes_and_no_positions),
		cmocka_unit_test(another_agencys_chart_is_not_found),
		cmocka_unit_test(chart_ids_of_a_query),
		cmocka_unit_test(whole_brief_with_a_chart),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
