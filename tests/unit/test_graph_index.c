/* The graph index on a small register built through the domain functions:
 * neighbourhood, a path through a shared phone with the records proving
 * each step, a new seizure merging two networks at once (incremental
 * update), access rules (no trace of a restricted node), networks, key
 * actors, "what links these", a chart's subgraph, saved charts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "fixture.h"
#include "index/graph_index.h"
#include "lib/query.h"
#include "party/party.h"
#include "party/resolve.h"
#include "seizure/seizure.h"

static int64_t make_seizure(struct fixture *fx, const struct actor *who, const char *ref,
			    const char *sharing, const char *date, struct arena *a)
{
	struct seizure s;
	memset(&s, 0, sizeof s);
	s.ref = ref;
	s.sharing = sharing;
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

static int64_t make_party(struct fixture *fx, const struct actor *who, const char *name,
			  const char *sharing, struct arena *a)
{
	struct party p;
	memset(&p, 0, sizeof p);
	p.kind = "person";
	p.sharing = sharing;
	p.names = arena_alloc(a, sizeof *p.names);
	memset(p.names, 0, sizeof *p.names);
	p.names[0].name = name;
	p.nnames = 1;
	struct error err = ERROR_INIT;
	if (party_create(fx->st, fx->ref, who, &p, a, &err) != 0)
		fixture_die("party", &err);
	return p.id;
}

static int64_t add_phone(struct fixture *fx, const struct actor *who, int64_t party,
			 const char *phone, const char *role, int64_t from_seizure, struct arena *a)
{
	struct identifier in = { .kind = "phone", .value = phone }, out;
	struct link_info l = { role, "phone seized", "2025-03-14", from_seizure };
	int created;
	struct error err = ERROR_INIT;
	if (party_add_identifier(fx->st, fx->ref, who, party, &in, &l, &out, &created, a, &err) != 0)
		fixture_die("identifier", &err);
	return out.id;
}

static void link_seizure(struct fixture *fx, const struct actor *who, int64_t party,
			 int64_t seizure, const char *role, struct arena *a)
{
	struct link_info l = { role, "arrest report", NULL, 0 };
	int created;
	struct error err = ERROR_INIT;
	if (party_link_seizure(fx->st, who, party, seizure, &l, &created, a, &err) != 0)
		fixture_die("party_link_seizure", &err);
}

static void relate(struct fixture *fx, const struct actor *who, int64_t a_id, int64_t b_id,
		   const char *kind, struct arena *a)
{
	struct link_info l = { kind, "interview", "2024-11-02", 0 };
	int created;
	struct error err = ERROR_INIT;
	if (party_add_relation(fx->st, who, a_id, b_id, &l, &created, a, &err) != 0)
		fixture_die("party_add_relation", &err);
}

/* Runs a query given as a query string; the answer, or NULL with *err. */
static json_t *ask(struct graph_index *ix, struct fixture *fx, const struct actor *who,
		   enum graph_index_query q, const char *qs, struct error *err)
{
	struct arena a;
	arena_init(&a);
	struct query params;
	json_t *out = NULL;
	if (query_parse(&params, qs, strlen(qs), &a, err) == 0 &&
	    graph_index_sync(ix, fx->st, err) == 0)
		graph_index_query(ix, fx->st, who, q, &params, &out, err);
	arena_free(&a);
	return out;
}

static json_t *ok_ask(struct graph_index *ix, struct fixture *fx, const struct actor *who,
		      enum graph_index_query q, const char *qs)
{
	struct error err = ERROR_INIT;
	json_t *j = ask(ix, fx, who, q, qs, &err);
	if (!j)
		fail_msg("%s: %s", qs, err.message ? err.message : "failed");
	error_clear(&err);
	return j;
}

static int has_node(json_t *nodes, const char *id)
{
	for (size_t i = 0; i < json_array_size(nodes); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(nodes, i), "id")), id) == 0)
			return 1;
	return 0;
}

static char *name(const char *kind, int64_t id)
{
	static char buf[8][48];
	static int next;
	char *b = buf[next++ % 8];
	snprintf(b, sizeof buf[0], "%s:%lld", kind, (long long)id);
	return b;
}

/* The small register of the tests:
 *   A (customs) uses phone P, recorded from seizure s1; B (customs) owns P;
 *   A is the suspect of s1; C (forestry) is the seller of s2 (forestry). */
struct world {
	int64_t a, b, c, phone, s1, s2;
};

static void build_world(struct fixture *fx, struct world *w, struct arena *a)
{
	w->s1 = make_seizure(fx, &fx->officer, "KH-CUS-1", "national", "2025-03-14", a);
	w->s2 = make_seizure(fx, &fx->forester, "KH-FOR-2", "national", "2024-06-01", a);
	w->a = make_party(fx, &fx->officer, "Sun Chantha", "national", a);
	w->b = make_party(fx, &fx->officer, "Chea Vuthy", "national", a);
	w->c = make_party(fx, &fx->forester, "Lim Dara", "national", a);
	w->phone = add_phone(fx, &fx->officer, w->a, "012 345 678", "uses", w->s1, a);
	add_phone(fx, &fx->officer, w->b, "+855 12 345 678", "owns", 0, a);
	link_seizure(fx, &fx->officer, w->a, w->s1, "suspect", a);
	link_seizure(fx, &fx->forester, w->c, w->s2, "seller", a);
}

static struct graph_index *build_index(struct fixture *fx)
{
	struct error err = ERROR_INIT;
	struct graph_index *ix = graph_index_build(fx->st, &err);
	if (!ix)
		fail_msg("graph_index_build: %s", err.message);
	return ix;
}

static void test_neighbourhood(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	struct graph_index *ix = build_index(&fx);

	char qs[128];
	snprintf(qs, sizeof qs, "node=party:%lld&depth=1", (long long)w.a);
	json_t *j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_NEIGHBOURHOOD, qs);
	json_t *nodes = json_object_get(j, "nodes"), *edges = json_object_get(j, "edges");
	/* A, its phone, its seizure, and B through the derived "shares an
	 * identifier" edge */
	assert_int_equal(json_array_size(nodes), 4);
	assert_true(has_node(nodes, name("party", w.a)));
	assert_true(has_node(nodes, name("identifier", w.phone)));
	assert_true(has_node(nodes, name("seizure", w.s1)));
	assert_true(has_node(nodes, name("party", w.b)));
	assert_string_equal(json_string_value(json_object_get(json_array_get(nodes, 0), "label")),
			    "Sun Chantha");
	/* A's three, and B's hold of the phone (both ends shown) */
	assert_int_equal(json_array_size(edges), 4);
	assert_true(json_is_null(json_object_get(j, "truncated")));
	int seen_role = 0, seen_shares = 0;
	for (size_t i = 0; i < json_array_size(edges); i++) {
		json_t *e = json_array_get(edges, i);
		const char *kind = json_string_value(json_object_get(e, "kind"));
		if (strcmp(kind, "involved_in") == 0) {
			assert_string_equal(json_string_value(json_object_get(e, "role")), "suspect");
			assert_string_equal(json_string_value(json_object_get(e, "source")),
					    name("party", w.a));
			assert_string_equal(json_string_value(json_object_get(e, "target")),
					    name("seizure", w.s1));
			/* undated link to a seizure: the seizure's date */
			assert_string_equal(json_string_value(json_object_get(e, "date")), "2025-03-14");
			seen_role = 1;
		} else if (strcmp(kind, "shares_identifier") == 0) {
			assert_string_equal(json_string_value(json_object_get(e, "source")),
					    name("party", w.a));
			assert_string_equal(json_string_value(json_object_get(e, "target")),
					    name("party", w.b));
			assert_string_equal(json_string_value(json_object_get(e, "role")), "phone");
			assert_string_equal(json_string_value(json_object_get(e, "date")), "2025-03-14");
			json_t *r = json_object_get(e, "record");
			assert_string_equal(json_string_value(json_object_get(r, "kind")), "identifier");
			assert_int_equal(json_integer_value(json_object_get(r, "id")), w.phone);
			assert_string_equal(json_string_value(json_object_get(r, "ref")),
					    "+855 12 345 678");
			seen_shares = 1;
		}
	}
	assert_true(seen_role);
	assert_true(seen_shares);
	json_decref(j);

	/* depth 2 reaches B through the phone; node kinds filter out the seizure */
	snprintf(qs, sizeof qs, "node=party:%lld&depth=2", (long long)w.a);
	j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_NEIGHBOURHOOD, qs);
	assert_int_equal(json_array_size(json_object_get(j, "nodes")), 4);
	json_decref(j);
	snprintf(qs, sizeof qs, "node=party:%lld&depth=2&node_kinds=party,identifier",
		 (long long)w.a);
	j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_NEIGHBOURHOOD, qs);
	assert_int_equal(json_array_size(json_object_get(j, "nodes")), 3);
	assert_false(has_node(json_object_get(j, "nodes"), name("seizure", w.s1)));
	json_decref(j);
	/* a cap says what it cut */
	snprintf(qs, sizeof qs, "node=party:%lld&depth=2&limit=2", (long long)w.a);
	j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_NEIGHBOURHOOD, qs);
	assert_int_equal(json_array_size(json_object_get(j, "nodes")), 2);
	assert_true(json_is_object(json_object_get(j, "truncated")));
	assert_true(json_integer_value(json_object_get(json_object_get(j, "truncated"), "nodes_cut")) >= 1);
	json_decref(j);
	/* dates: only 2025 links (the phone's links are dated 2025-03-14) */
	snprintf(qs, sizeof qs, "node=party:%lld&from=2024-01&to=2024-12", (long long)w.a);
	j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_NEIGHBOURHOOD, qs);
	assert_int_equal(json_array_size(json_object_get(j, "nodes")), 1);
	json_decref(j);

	/* bad parameters name themselves */
	struct error err = ERROR_INIT;
	assert_null(ask(ix, &fx, &fx.analyst, GRAPH_Q_NEIGHBOURHOOD, "node=person:1&depth=9&x=1", &err));
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_true(err.nfields >= 3);
	error_clear(&err);
	assert_null(ask(ix, &fx, &fx.analyst, GRAPH_Q_NEIGHBOURHOOD, "node=party:999", &err));
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);

	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

static void test_path_through_shared_phone(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	struct graph_index *ix = build_index(&fx);
	char qs[160];
	/* the derived edge is the shortest path, proved by the phone */
	snprintf(qs, sizeof qs, "from=party:%lld&to=party:%lld&k=3", (long long)w.a, (long long)w.b);
	json_t *j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_PATHS, qs);
	json_t *paths = json_object_get(j, "paths");
	assert_int_equal(json_array_size(paths), 2);
	json_t *p1 = json_array_get(paths, 0);
	assert_int_equal(json_integer_value(json_object_get(p1, "length")), 1);
	json_t *e = json_object_get(json_array_get(json_object_get(p1, "steps"), 0), "edge");
	assert_string_equal(json_string_value(json_object_get(e, "kind")), "shares_identifier");
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "record"), "kind")),
			    "identifier");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(paths, 1), "length")), 2);
	json_decref(j);
	/* without it, the two steps through the phone, each proved */
	snprintf(qs, sizeof qs,
		 "from=party:%lld&to=party:%lld&k=3&edge_kinds=holds,involved_in,related,seen_in",
		 (long long)w.a, (long long)w.b);
	j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_PATHS, qs);
	paths = json_object_get(j, "paths");
	assert_int_equal(json_array_size(paths), 1);
	json_t *p = json_array_get(paths, 0);
	assert_int_equal(json_integer_value(json_object_get(p, "length")), 2);
	json_t *steps = json_object_get(p, "steps");
	json_t *s0 = json_array_get(steps, 0), *s1 = json_array_get(steps, 1);
	assert_string_equal(json_string_value(json_object_get(s0, "from")), name("party", w.a));
	assert_string_equal(json_string_value(json_object_get(s0, "to")), name("identifier", w.phone));
	assert_string_equal(json_string_value(json_object_get(s1, "to")), name("party", w.b));
	/* A's use of the phone is proved by seizure s1, B's by the link itself */
	json_t *e0 = json_object_get(s0, "edge"), *e1 = json_object_get(s1, "edge");
	assert_string_equal(json_string_value(json_object_get(e0, "kind")), "holds");
	assert_string_equal(json_string_value(json_object_get(e0, "role")), "uses");
	assert_string_equal(json_string_value(json_object_get(e0, "provenance")), "phone seized");
	json_t *r0 = json_object_get(e0, "record");
	assert_string_equal(json_string_value(json_object_get(r0, "kind")), "seizure");
	assert_int_equal(json_integer_value(json_object_get(r0, "id")), w.s1);
	assert_string_equal(json_string_value(json_object_get(r0, "ref")), "KH-CUS-1");
	json_t *r1 = json_object_get(e1, "record");
	assert_string_equal(json_string_value(json_object_get(e1, "role")), "owns");
	assert_string_equal(json_string_value(json_object_get(r1, "kind")), "link");
	assert_string_equal(json_string_value(json_object_get(r1, "table")), "party_identifier");
	/* the nodes of the path, labelled */
	json_t *nodes = json_object_get(p, "nodes");
	assert_int_equal(json_array_size(nodes), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(nodes, 1), "label")),
			    "+855 12 345 678");
	json_decref(j);

	/* no path to C; too short a bound finds none either */
	snprintf(qs, sizeof qs, "from=party:%lld&to=party:%lld", (long long)w.a, (long long)w.c);
	j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_PATHS, qs);
	assert_int_equal(json_array_size(json_object_get(j, "paths")), 0);
	json_decref(j);
	snprintf(qs, sizeof qs, "from=party:%lld&to=party:%lld&max_length=1&edge_kinds=holds",
		 (long long)w.a, (long long)w.b);
	j = ok_ask(ix, &fx, &fx.analyst, GRAPH_Q_PATHS, qs);
	assert_int_equal(json_array_size(json_object_get(j, "paths")), 0);
	json_decref(j);
	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

static size_t network_count(struct graph_index *ix, struct fixture *fx, const struct actor *who)
{
	json_t *j = ok_ask(ix, fx, who, GRAPH_Q_NETWORKS, "min_size=2");
	size_t n = (size_t)json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

static void test_incremental_merge(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	struct graph_index *ix = build_index(&fx);
	/* two networks: {A, B, phone, s1} and {C, s2} */
	assert_int_equal(network_count(ix, &fx, &fx.admin), 2);
	char qs[128];
	snprintf(qs, sizeof qs, "from=party:%lld&to=party:%lld", (long long)w.b, (long long)w.c);
	json_t *j = ok_ask(ix, &fx, &fx.admin, GRAPH_Q_PATHS, qs);
	assert_int_equal(json_array_size(json_object_get(j, "paths")), 0);
	json_decref(j);

	/* a new seizure where B is the courier and C the buyer joins them */
	int64_t s3 = make_seizure(&fx, &fx.officer, "KH-CUS-3", "national", "2025-05-01", &a);
	link_seizure(&fx, &fx.officer, w.b, s3, "courier", &a);
	link_seizure(&fx, &fx.forester, w.c, s3, "buyer", &a);
	struct graph_index_stats before;
	graph_index_stats(ix, &before);
	j = ok_ask(ix, &fx, &fx.admin, GRAPH_Q_PATHS, qs);
	json_t *paths = json_object_get(j, "paths");
	assert_int_equal(json_array_size(paths), 1);
	json_t *p = json_array_get(paths, 0);
	assert_int_equal(json_integer_value(json_object_get(p, "length")), 2);
	assert_true(has_node(json_object_get(p, "nodes"), name("seizure", s3)));
	json_decref(j);
	assert_int_equal(network_count(ix, &fx, &fx.admin), 1);
	struct graph_index_stats after;
	graph_index_stats(ix, &after);
	assert_int_equal(after.rebuilds, 0); /* followed, not rebuilt */
	assert_true(after.updates > before.updates);
	assert_int_equal(after.nodes, before.nodes + 1);

	/* the network's species and dates come from its seizures */
	j = ok_ask(ix, &fx, &fx.admin, GRAPH_Q_NETWORKS, "");
	json_t *net = json_array_get(json_object_get(j, "networks"), 0);
	assert_int_equal(json_integer_value(json_object_get(net, "size")), 7);
	assert_string_equal(json_string_value(json_object_get(net, "first_date")), "2024-06-01");
	assert_string_equal(json_string_value(json_object_get(net, "last_date")), "2025-05-01");
	json_t *sp = json_array_get(json_object_get(net, "species"), 0);
	assert_string_equal(json_string_value(json_object_get(sp, "name")), "Manis javanica");
	assert_int_equal(json_integer_value(json_object_get(sp, "seizures")), 3);
	json_decref(j);

	/* unlinking splits it again at once; deleting a seizure too */
	struct error err = ERROR_INIT;
	assert_int_equal(party_unlink_seizure(fx.st, &fx.officer, w.b, s3, NULL, &err), 0);
	assert_int_equal(network_count(ix, &fx, &fx.admin), 2);
	link_seizure(&fx, &fx.officer, w.b, s3, "courier", &a);
	assert_int_equal(network_count(ix, &fx, &fx.admin), 1);
	assert_int_equal(seizure_delete(fx.st, &fx.admin, s3, 1, &err), 0);
	assert_int_equal(network_count(ix, &fx, &fx.admin), 2);
	error_clear(&err);

	/* key actors: in {s1, A, phone, B}, where A and B also share the phone
	 * directly, A lies between s1 and the others */
	snprintf(qs, sizeof qs, "node=party:%lld&measure=betweenness", (long long)w.a);
	j = ok_ask(ix, &fx, &fx.admin, GRAPH_Q_CENTRAL, qs);
	assert_int_equal(json_integer_value(json_object_get(j, "network_size")), 4);
	assert_true(json_is_true(json_object_get(j, "exact")));
	json_t *top = json_array_get(json_object_get(j, "items"), 0);
	/* s1 - A - {phone, B}, phone - B: A lies on 2 of the 6 pairs, the phone on none */
	assert_string_equal(json_string_value(json_object_get(json_object_get(top, "node"), "id")),
			    name("party", w.a));
	assert_true(json_real_value(json_object_get(top, "betweenness")) == 2.0);
	json_decref(j);
	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

static int mentions(json_t *j, const char *what)
{
	char *s = json_dumps(j, JSON_COMPACT);
	int yes = strstr(s, what) != NULL;
	free(s);
	return yes;
}

static void test_access_no_trace(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	/* customs' informant S (agency only) links forestry's C to customs' B,
	 * and uses a phone only customs knows */
	int64_t s = make_party(&fx, &fx.officer, "Informant", "agency", &a);
	relate(&fx, &fx.officer, s, w.c, "associate", &a);
	relate(&fx, &fx.officer, s, w.b, "associate", &a);
	int64_t q = add_phone(&fx, &fx.officer, s, "097 111 2222", "uses", 0, &a);
	/* a secret customs seizure proves C's link to nothing visible */
	struct graph_index *ix = build_index(&fx);
	char qs[160];

	/* customs sees the path C - S - B */
	snprintf(qs, sizeof qs, "from=party:%lld&to=party:%lld", (long long)w.c, (long long)w.b);
	json_t *j = ok_ask(ix, &fx, &fx.officer, GRAPH_Q_PATHS, qs);
	assert_int_equal(json_array_size(json_object_get(j, "paths")), 1);
	assert_true(mentions(j, name("party", s)));
	json_decref(j);

	/* forestry: no path, no node, no count, no mention anywhere */
	j = ok_ask(ix, &fx, &fx.forester, GRAPH_Q_PATHS, qs);
	assert_int_equal(json_array_size(json_object_get(j, "paths")), 0);
	json_decref(j);
	snprintf(qs, sizeof qs, "node=party:%lld&depth=3", (long long)w.c);
	j = ok_ask(ix, &fx, &fx.forester, GRAPH_Q_NEIGHBOURHOOD, qs);
	assert_int_equal(json_array_size(json_object_get(j, "nodes")), 2); /* C and s2 */
	assert_false(mentions(j, name("party", s)));
	assert_false(mentions(j, name("identifier", q)));
	assert_true(json_is_null(json_object_get(j, "truncated")));
	json_decref(j);
	struct error err = ERROR_INIT;
	snprintf(qs, sizeof qs, "node=party:%lld", (long long)s);
	assert_null(ask(ix, &fx, &fx.forester, GRAPH_Q_NEIGHBOURHOOD, qs, &err));
	assert_int_equal(err.code, ERR_NOT_FOUND);
	char *msg_hidden = xstrdup(err.message);
	error_clear(&err);
	assert_null(ask(ix, &fx, &fx.forester, GRAPH_Q_NEIGHBOURHOOD, "node=party:99999", &err));
	/* the same answer as for a node that does not exist (ids aside) */
	assert_int_equal(err.code, ERR_NOT_FOUND);
	free(msg_hidden);
	error_clear(&err);
	snprintf(qs, sizeof qs, "node=identifier:%lld", (long long)q);
	assert_null(ask(ix, &fx, &fx.forester, GRAPH_Q_NEIGHBOURHOOD, qs, &err));
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	j = ok_ask(ix, &fx, &fx.forester, GRAPH_Q_NETWORKS, "");
	assert_false(mentions(j, name("party", s)));
	/* forestry sees A-B-phone-s1 and C-s2 apart; customs one network */
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	json_decref(j);
	assert_int_equal(network_count(ix, &fx, &fx.officer), 1);
	snprintf(qs, sizeof qs, "node=party:%lld&measure=degree", (long long)w.b);
	j = ok_ask(ix, &fx, &fx.forester, GRAPH_Q_CENTRAL, qs);
	assert_int_equal(json_integer_value(json_object_get(j, "network_size")), 4);
	assert_false(mentions(j, name("party", s)));
	json_decref(j);
	/* what links these: nothing for forestry */
	const char *terms[2] = { name("party", w.c), name("party", w.b) };
	char t0[48], t1[48];
	snprintf(t0, sizeof t0, "%s", terms[0]);
	snprintf(t1, sizeof t1, "%s", terms[1]);
	const char *tt[2] = { t0, t1 };
	assert_int_equal(graph_index_connect(ix, fx.st, &fx.forester, tt, 2, &j, &err), 0);
	assert_int_equal(json_array_size(json_object_get(j, "unreached")), 1);
	assert_false(mentions(j, name("party", s)));
	json_decref(j);
	assert_int_equal(graph_index_connect(ix, fx.st, &fx.officer, tt, 2, &j, &err), 0);
	assert_int_equal(json_array_size(json_object_get(j, "unreached")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "length")), 2);
	assert_true(mentions(j, name("party", s)));
	json_decref(j);
	/* a chart's nodes: the hidden one is left out, counted as missing */
	char sn[48];
	snprintf(sn, sizeof sn, "party:%lld", (long long)s);
	const char *chart[3] = { t0, t1, sn };
	assert_int_equal(graph_index_subgraph(ix, fx.st, &fx.forester, chart, 3, &j, &err), 0);
	assert_int_equal(json_array_size(json_object_get(j, "nodes")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "edges")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "missing")), 1);
	json_decref(j);
	assert_int_equal(graph_index_subgraph(ix, fx.st, &fx.officer, chart, 3, &j, &err), 0);
	assert_int_equal(json_array_size(json_object_get(j, "nodes")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "edges")), 2);
	json_decref(j);

	/* sharing the informant nationally shows it to forestry at once */
	struct party p;
	assert_int_equal(party_get(fx.st, &fx.officer, s, &p, &a, &err), 0);
	p.sharing = "national";
	assert_int_equal(party_update(fx.st, fx.ref, &fx.officer, s, &p, &a, &err), 0);
	snprintf(qs, sizeof qs, "from=party:%lld&to=party:%lld", (long long)w.c, (long long)w.b);
	j = ok_ask(ix, &fx, &fx.forester, GRAPH_Q_PATHS, qs);
	assert_int_equal(json_array_size(json_object_get(j, "paths")), 1);
	json_decref(j);
	/* and its phone, through it */
	snprintf(qs, sizeof qs, "node=identifier:%lld", (long long)q);
	j = ok_ask(ix, &fx, &fx.forester, GRAPH_Q_NEIGHBOURHOOD, qs);
	json_decref(j);
	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

/* The derived "shares an identifier" edges of party p (node_kinds=party,
 * edge_kinds=shares_identifier, depth 1): how many parties p reaches. */
static size_t sharers(struct graph_index *ix, struct fixture *fx, const struct actor *who,
		      int64_t p)
{
	char qs[160];
	snprintf(qs, sizeof qs, "node=party:%lld&edge_kinds=shares_identifier", (long long)p);
	json_t *j = ok_ask(ix, fx, who, GRAPH_Q_NEIGHBOURHOOD, qs);
	size_t n = json_array_size(json_object_get(j, "nodes")) - 1;
	json_decref(j);
	return n;
}

/* The answer of a fresh index built from the store, to compare with the
 * one kept current. */
static size_t sharers_rebuilt(struct fixture *fx, int64_t p)
{
	struct graph_index *ix = build_index(fx);
	size_t n = sharers(ix, fx, &fx->admin, p);
	graph_index_free(ix);
	return n;
}

static void test_shares_identifier(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct world w;
	build_world(&fx, &w, &a);
	struct graph_index *ix = build_index(&fx);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.a), 1);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.c), 0);

	/* C takes the phone too: C shares it with A and B at once, dated by
	 * the later first use (C's, 2025-03-14, the same as theirs here) */
	add_phone(&fx, &fx.forester, w.c, "012345678", "uses", 0, &a);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.c), 2);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.a), 2);
	assert_int_equal(sharers_rebuilt(&fx, w.a), 2);
	/* a date range before anyone held it shows no derived edge */
	char qs[200];
	snprintf(qs, sizeof qs, "node=party:%lld&edge_kinds=shares_identifier&to=2025-03-13",
		 (long long)w.c);
	json_t *j = ok_ask(ix, &fx, &fx.admin, GRAPH_Q_NEIGHBOURHOOD, qs);
	assert_int_equal(json_array_size(json_object_get(j, "nodes")), 1);
	json_decref(j);

	/* B lets go of it: B's pairs go, A - C stays */
	struct error err = ERROR_INIT;
	assert_int_equal(party_remove_identifier(fx.st, &fx.officer, w.b, w.phone, NULL, &err), 0);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.b), 0);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.a), 1);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.c), 1);
	assert_int_equal(sharers_rebuilt(&fx, w.c), 1);

	/* merging C into A: one party holding the phone, no pair left; undoing
	 * the merge brings the pair back */
	int64_t merge_id = 0;
	assert_int_equal(resolve_merge(fx.st, fx.ref, &fx.admin, w.a, w.c, "same person",
				       &merge_id, &err), 0);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.a), 0);
	assert_int_equal(sharers_rebuilt(&fx, w.a), 0);
	assert_int_equal(resolve_undo(fx.st, fx.ref, &fx.admin, merge_id, "not the same", &err), 0);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.a), 1);
	assert_int_equal(sharers(ix, &fx, &fx.admin, w.c), 1);

	/* a hub: more than GRAPH_SHARES_MAX holders derive no pairs (they stay
	 * joined through the identifier's node); one fewer and they come back */
	int64_t hub[GRAPH_SHARES_MAX + 1];
	int64_t hub_phone = 0;
	for (int i = 0; i <= GRAPH_SHARES_MAX; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "Forwarder clerk %d", i);
		hub[i] = make_party(&fx, &fx.officer, nm, "national", &a);
		hub_phone = add_phone(&fx, &fx.officer, hub[i], "023 880 880", "uses", 0, &a);
	}
	assert_int_equal(sharers(ix, &fx, &fx.admin, hub[0]), 0);
	assert_int_equal(sharers_rebuilt(&fx, hub[0]), 0);
	snprintf(qs, sizeof qs, "from=party:%lld&to=party:%lld", (long long)hub[0],
		 (long long)hub[GRAPH_SHARES_MAX]);
	j = ok_ask(ix, &fx, &fx.admin, GRAPH_Q_PATHS, qs);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(j, "paths"), 0), "length")), 2);
	json_decref(j);
	assert_int_equal(party_remove_identifier(fx.st, &fx.officer, hub[GRAPH_SHARES_MAX],
						 hub_phone, NULL, &err), 0);
	assert_int_equal(sharers(ix, &fx, &fx.admin, hub[0]), GRAPH_SHARES_MAX - 1);
	assert_int_equal(sharers_rebuilt(&fx, hub[0]), GRAPH_SHARES_MAX - 1);
	error_clear(&err);

	/* access: forestry's party F and customs' agency-only party G share a
	 * phone only customs recorded; forestry sees F but neither G nor the
	 * edge */
	int64_t f = make_party(&fx, &fx.forester, "Forest trader", "agency", &a);
	int64_t g = make_party(&fx, &fx.officer, "Customs informant", "agency", &a);
	add_phone(&fx, &fx.officer, g, "097 555 0101", "uses", 0, &a);
	add_phone(&fx, &fx.forester, f, "097 555 0101", "uses", 0, &a);
	assert_int_equal(sharers(ix, &fx, &fx.forester, f), 0);
	assert_int_equal(sharers(ix, &fx, &fx.officer, g), 0); /* F is forestry's */
	assert_int_equal(sharers(ix, &fx, &fx.admin, f), 1);
	snprintf(qs, sizeof qs, "node=party:%lld&depth=3", (long long)f);
	j = ok_ask(ix, &fx, &fx.forester, GRAPH_Q_NEIGHBOURHOOD, qs);
	assert_false(mentions(j, name("party", g)));
	json_decref(j);

	graph_index_free(ix);
	arena_free(&a);
	fixture_close(&fx);
}

/* A register with no parties and no links: the index builds and answers
 * (no holders to derive pairs from). */
static void test_empty_register(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct graph_index *ix = build_index(&fx);
	assert_int_equal(network_count(ix, &fx, &fx.admin), 0);
	struct graph_index_stats st;
	graph_index_stats(ix, &st);
	assert_int_equal(st.edges, 0);
	graph_index_free(ix);
	fixture_close(&fx);
}

static void test_charts(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	json_t *chart = json_loads("{\"nodes\":[{\"id\":\"party:1\",\"x\":1,\"y\":2,\"pinned\":true}],"
				   "\"hidden\":[],\"filters\":{}}", 0, NULL);
	struct store_chart c, got;
	assert_int_equal(graph_chart_create(fx.st, &fx.analyst, " Ring A ", chart, &c, &a, &err), 0);
	assert_string_equal(c.name, "Ring A");
	assert_int_equal(c.version, 1);
	/* the agency sees it, forestry does not */
	assert_int_equal(graph_chart_get(fx.st, &fx.officer, c.id, &got, &a, &err), 0);
	assert_int_equal(graph_chart_get(fx.st, &fx.forester, c.id, &got, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	/* only the owner (or an admin) changes it; stale versions conflict */
	assert_int_equal(graph_chart_update(fx.st, &fx.officer, c.id, "x", NULL, 0, &got, &a, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	assert_int_equal(graph_chart_update(fx.st, &fx.analyst, c.id, "Ring B", NULL, 1, &got, &a, &err), 0);
	assert_int_equal(got.version, 2);
	assert_string_equal(got.name, "Ring B");
	assert_non_null(strstr(got.body, "party:1"));
	assert_int_equal(graph_chart_update(fx.st, &fx.analyst, c.id, "Ring C", NULL, 1, &got, &a, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	/* bad charts name the field */
	json_t *bad = json_loads("{\"nodes\":[{\"id\":\"person:1\"}]}", 0, NULL);
	assert_int_equal(graph_chart_create(fx.st, &fx.analyst, "", bad, &got, &a, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_int_equal(err.nfields, 2);
	error_clear(&err);
	json_decref(bad);
	struct store_chart *list;
	size_t n;
	assert_int_equal(graph_chart_list(fx.st, &fx.forester, &list, &n, &a, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(graph_chart_list(fx.st, &fx.viewer, &list, &n, &a, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(graph_chart_delete(fx.st, &fx.viewer, c.id, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	assert_int_equal(graph_chart_delete(fx.st, &fx.admin, c.id, &err), 0);
	assert_int_equal(graph_chart_get(fx.st, &fx.analyst, c.id, &got, &a, &err), -1);
	error_clear(&err);
	/* audited: create, update, delete */
	int64_t last;
	assert_int_equal(store_audit_max_id(fx.st, &last, &err), 0);
	assert_true(last >= 3);
	json_decref(chart);
	arena_free(&a);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_neighbourhood),
		cmocka_unit_test(test_path_through_shared_phone),
		cmocka_unit_test(test_incremental_merge),
		cmocka_unit_test(test_access_no_trace),
		cmocka_unit_test(test_shares_identifier),
		cmocka_unit_test(test_empty_register),
		cmocka_unit_test(test_charts),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
