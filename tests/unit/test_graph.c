/*
 * test_graph.c - the link-analysis graph engine (src/graph/): storage and
 * incremental updates, neighbourhood with filters and caps, shortest and k
 * shortest paths, components, degree and betweenness on textbook graphs,
 * "what links these", and access rules (a hidden node leaves no trace).
 * Every graph here is small and drawn by hand, with answers worked out on
 * paper or taken from the literature (cited where used).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "graph/graph.h"

enum { E_ROLE, E_HOLDS, E_RELATION, E_SHARES };

/* A graph of n parties 0..n-1 (ids = index + 100) with the given edges,
 * each edge's record = 1000 + its position, dated 20200101 + position. */
static struct graph *make_graph(size_t n, const int (*edges)[2], size_t m, int bulk)
{
	struct graph *g = graph_new(n, m);
	struct error err = ERROR_INIT;
	for (size_t i = 0; i < n; i++)
		assert_int_equal(graph_add_node(g, GRAPH_PARTY, (int64_t)i + 100, GRAPH_ACL_ALL), i);
	if (bulk)
		graph_bulk_begin(g);
	for (size_t i = 0; i < m; i++)
		assert_int_equal(graph_add_edge(g, (uint32_t)edges[i][0], (uint32_t)edges[i][1], E_RELATION,
			20200101 + (int32_t)i, 1000 + i, &err), 0);
	if (bulk)
		graph_bulk_end(g);
	return g;
}

static int has_node(const uint32_t *nodes, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (nodes[i] == v)
			return 1;
	return 0;
}

static void assert_path(const struct graph_path *p, const uint32_t *want, size_t len)
{
	assert_int_equal(p->len, len);
	for (size_t i = 0; i <= len; i++)
		assert_int_equal(p->nodes[i], want[i]);
	for (size_t i = 0; i < len; i++) {
		/* Each step joins its two nodes and carries its record. */
		const struct graph_edge *e = &p->steps[i];
		assert_true((e->a == want[i] && e->b == want[i + 1]) || (e->a == want[i + 1] && e->b == want[i]));
		assert_true(e->record >= 1000);
	}
}

/* ---- storage ----------------------------------------------------------- */

static void test_nodes_and_lookup(void **state)
{
	struct graph *g = graph_new(0, 0);
	struct error err = ERROR_INIT;
	uint32_t s = graph_add_node(g, GRAPH_SEIZURE, 7, GRAPH_ACL_ALL);
	uint32_t p = graph_add_node(g, GRAPH_PARTY, 7, GRAPH_ACL_ALL);
	assert_int_not_equal(s, p);   /* same id, other kind: another node */
	assert_int_equal(graph_add_node(g, GRAPH_SEIZURE, 7, 3), s);
	assert_int_equal(graph_node_acl(g, s), 3);
	assert_int_equal(graph_lookup(g, GRAPH_PARTY, 7), p);
	assert_int_equal(graph_lookup(g, GRAPH_IDENTIFIER, 7), GRAPH_NONE);
	struct graph_node_ref r = graph_node(g, p);
	assert_int_equal(r.kind, GRAPH_PARTY);
	assert_int_equal(r.id, 7);
	/* Many nodes: the table grows and still finds every one. */
	for (int64_t i = 0; i < 5000; i++)
		graph_add_node(g, GRAPH_IDENTIFIER, i * 7919, GRAPH_ACL_ALL);
	for (int64_t i = 0; i < 5000; i++)
		assert_int_equal(graph_node(g, graph_lookup(g, GRAPH_IDENTIFIER, i * 7919)).id, i * 7919);
	assert_int_equal(graph_node_count(g), 5002);
	/* Bad edges change nothing. */
	assert_int_equal(graph_add_edge(g, s, s, E_ROLE, 0, 1, &err), -1);
	assert_int_equal(err.code, ERR_BAD_REQUEST);
	error_clear(&err);
	assert_int_equal(graph_add_edge(g, s, 99999, E_ROLE, 0, 1, &err), -1);
	error_clear(&err);
	assert_int_equal(graph_add_edge(g, s, p, GRAPH_EDGE_KINDS, 0, 1, &err), -1);
	error_clear(&err);
	assert_int_equal(graph_edge_count(g), 0);
	assert_true(graph_memory(g) > 5000 * 16);
	graph_free(g);
}

/* The same edges loaded in bulk, added one by one, and compacted give the
 * same answers; removal takes an edge out at once and for good. */
static void test_bulk_overlay_compact(void **state)
{
	static const int e[][2] = { { 0, 1 }, { 1, 2 }, { 2, 3 }, { 3, 4 }, { 1, 5 }, { 5, 6 } };
	struct graph *a = make_graph(7, e, 6, 1), *b = make_graph(7, e, 6, 0);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	assert_int_equal(graph_overlay_size(a), 0);
	assert_int_equal(graph_overlay_size(b), 6);
	for (int round = 0; round < 2; round++) {
		unsigned da, db;
		assert_int_equal(graph_bfs(a, w, 0, 0, NULL, NULL, &da, &err), 7);
		assert_int_equal(graph_bfs(b, w, 0, 0, NULL, NULL, &db, &err), 7);
		assert_int_equal(da, 4);
		assert_int_equal(db, 4);
		assert_int_equal(graph_bfs(b, w, 0, 2, NULL, NULL, NULL, &err), 4);   /* 0,1,2,5 */
		graph_compact(b);
		assert_int_equal(graph_overlay_size(b), 0);
	}
	/* Remove 2-3 (record 1002): 3 and 4 fall away; wrong record removes nothing. */
	assert_int_equal(graph_remove_edge(b, 2, 3, 999), 0);
	assert_int_equal(graph_remove_edge(b, 3, 2, 1002), 1);
	assert_int_equal(graph_edge_count(b), 5);
	assert_int_equal(graph_bfs(b, w, 0, 0, NULL, NULL, NULL, &err), 5);
	assert_false(graph_same_network(b, 0, 4));
	graph_compact(b);
	assert_int_equal(graph_edge_count(b), 5);
	assert_int_equal(graph_bfs(b, w, 0, 0, NULL, NULL, NULL, &err), 5);
	assert_true(graph_same_network(b, 3, 4));
	/* Edge data survives the renumbering of the compaction. */
	struct graph_path_opts o = { .k = 1, .max_len = 5, .filter = GRAPH_FILTER_ALL };
	struct graph_paths ps;
	assert_int_equal(graph_shortest_paths(b, w, 0, 6, &o, &ps, &err), 0);
	assert_int_equal(ps.n, 1);
	assert_int_equal(ps.paths[0].steps[2].record, 1005);
	assert_int_equal(ps.paths[0].steps[2].date, 20200106);
	graph_paths_free(&ps);
	graph_work_free(w);
	graph_free(a);
	graph_free(b);
}

/* "A new seizure linking two networks merges them at once." */
static void test_incremental_merge(void **state)
{
	/* Two networks: 0-1-2 and 3-4, built in bulk (the state after start-up). */
	static const int e[][2] = { { 0, 1 }, { 1, 2 }, { 3, 4 } };
	struct graph *g = make_graph(5, e, 3, 1);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	struct graph_components c;
	assert_int_equal(graph_components(g, w, NULL, 0, NULL, NULL, &c, &err), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.comps[0].nnodes, 3);
	graph_components_free(&c);
	assert_false(graph_same_network(g, 2, 4));

	struct graph_path_opts o = { .k = 1, .max_len = 6, .filter = GRAPH_FILTER_ALL };
	struct graph_paths ps;
	assert_int_equal(graph_shortest_paths(g, w, 2, 4, &o, &ps, &err), 0);
	assert_int_equal(ps.n, 0);

	/* The commit of a seizure: a node and two roles, one in each network. */
	uint32_t s = graph_add_node(g, GRAPH_SEIZURE, 555, GRAPH_ACL_ALL);
	assert_int_equal(graph_add_edge(g, s, 2, E_ROLE, 20240301, 7001, &err), 0);
	assert_int_equal(graph_add_edge(g, s, 3, E_ROLE, 20240301, 7002, &err), 0);
	assert_true(graph_same_network(g, 0, 4));
	assert_int_equal(graph_components(g, w, NULL, 0, NULL, NULL, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.comps[0].nnodes, 6);
	assert_int_equal(c.comps[0].nedges, 5);
	assert_int_equal(c.comps[0].kind_count[GRAPH_SEIZURE], 1);
	assert_int_equal(c.comps[0].last_date, 20240301);
	graph_components_free(&c);
	assert_int_equal(graph_shortest_paths(g, w, 2, 4, &o, &ps, &err), 0);
	assert_int_equal(ps.n, 1);
	static const uint32_t want[] = { 2, 5, 3, 4 };
	assert_path(&ps.paths[0], want, 3);
	assert_int_equal(ps.paths[0].steps[0].record, 7001);
	assert_int_equal(ps.paths[0].steps[0].kind, E_ROLE);
	graph_paths_free(&ps);

	/* The seizure is corrected: one role goes; the networks part again. */
	assert_int_equal(graph_remove_edge(g, s, 3, 7002), 1);
	assert_false(graph_same_network(g, 0, 4));
	assert_int_equal(graph_components(g, w, NULL, 0, NULL, NULL, &c, &err), 0);
	assert_int_equal(c.n, 2);
	graph_components_free(&c);
	graph_work_free(w);
	graph_free(g);
}

/* ---- neighbourhood ----------------------------------------------------- */

/*
 * Seizure S (node 0) with parties P1..P4 (roles, dated 2019..2022), P1 holds
 * phone I1 (2020), I1 shares with party P5 (2023), P5 relation to P6 (2023).
 *
 *   S -role- P1 -holds- I1 -shares- P5 -relation- P6
 *   S -role- P2, P3, P4
 */
static struct graph *make_hood(void)
{
	struct graph *g = graph_new(0, 0);
	struct error err = ERROR_INIT;
	uint32_t s = graph_add_node(g, GRAPH_SEIZURE, 1, GRAPH_ACL_ALL);
	uint32_t p[7];
	for (int i = 1; i <= 4; i++) {
		p[i] = graph_add_node(g, GRAPH_PARTY, i, GRAPH_ACL_ALL);
		graph_add_edge(g, s, p[i], E_ROLE, 20180101 + i * 10000, 100 + i, &err);
	}
	uint32_t i1 = graph_add_node(g, GRAPH_IDENTIFIER, 1, GRAPH_ACL_ALL);
	graph_add_edge(g, p[1], i1, E_HOLDS, 20200101, 201, &err);
	p[5] = graph_add_node(g, GRAPH_PARTY, 5, GRAPH_ACL_ALL);
	graph_add_edge(g, i1, p[5], E_SHARES, 20230101, 301, &err);
	p[6] = graph_add_node(g, GRAPH_PARTY, 6, GRAPH_ACL_ALL);
	graph_add_edge(g, p[5], p[6], E_RELATION, 20230101, 401, &err);
	graph_compact(g);
	return g;   /* nodes: S=0, P1..P4=1..4, I1=5, P5=6, P6=7 */
}

static void test_neighbourhood_depths(void **state)
{
	struct graph *g = make_hood();
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	struct graph_hood h;
	struct graph_hood_opts o = { .depth = 1, .filter = GRAPH_FILTER_ALL };
	assert_int_equal(graph_neighbourhood(g, w, 0, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 5);
	assert_int_equal(h.nodes[0], 0);
	assert_int_equal(h.depth[0], 0);
	assert_int_equal(h.nedges, 4);
	assert_false(h.truncated);
	graph_hood_free(&h);

	o.depth = 2;
	assert_int_equal(graph_neighbourhood(g, w, 0, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 6);   /* + I1 */
	assert_int_equal(h.depth[5], 2);
	assert_int_equal(h.nodes[5], 5);
	assert_int_equal(h.nedges, 5);
	graph_hood_free(&h);

	o.depth = 3;
	assert_int_equal(graph_neighbourhood(g, w, 0, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 7);   /* + P5; P6 is at 4 */
	assert_false(has_node(h.nodes, h.nnodes, 7));
	graph_hood_free(&h);

	/* Edges among the nodes of the last level are there too (induced). */
	struct graph *t = graph_new(0, 0);
	uint32_t a = graph_add_node(t, GRAPH_PARTY, 1, GRAPH_ACL_ALL);
	uint32_t b = graph_add_node(t, GRAPH_PARTY, 2, GRAPH_ACL_ALL);
	uint32_t c = graph_add_node(t, GRAPH_PARTY, 3, GRAPH_ACL_ALL);
	graph_add_edge(t, a, b, E_RELATION, 1, 1, &err);
	graph_add_edge(t, a, c, E_RELATION, 1, 2, &err);
	graph_add_edge(t, b, c, E_RELATION, 1, 3, &err);
	graph_add_edge(t, b, c, E_SHARES, 1, 4, &err);   /* a parallel edge: listed too */
	o.depth = 1;
	assert_int_equal(graph_neighbourhood(t, w, a, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 3);
	assert_int_equal(h.nedges, 4);
	graph_hood_free(&h);
	graph_free(t);

	/* Bad requests. */
	o.depth = 4;
	assert_int_equal(graph_neighbourhood(g, w, 0, &o, &h, &err), -1);
	assert_int_equal(err.code, ERR_BAD_REQUEST);
	error_clear(&err);
	o.depth = 1;
	assert_int_equal(graph_neighbourhood(g, w, 1000, &o, &h, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	graph_work_free(w);
	graph_free(g);
}

static void test_neighbourhood_filters(void **state)
{
	struct graph *g = make_hood();
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	struct graph_hood h;
	/* Only roles: from P1, depth 3, the identifier's branch is closed. */
	struct graph_hood_opts o = { .depth = 3, .filter = GRAPH_FILTER_ALL };
	o.filter.edge_kinds = GRAPH_KIND_BIT(E_ROLE);
	assert_int_equal(graph_neighbourhood(g, w, 1, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 5);   /* P1, S, P2, P3, P4 */
	assert_false(has_node(h.nodes, h.nnodes, 5));
	graph_hood_free(&h);

	/* Date range 2020-2023: roles of P2 (2020), P3 (2021), P4 (2022) pass,
	 * P1's (2019) does not: from S, depth 3 reaches P2, P3, P4 only. */
	o.filter = (struct graph_filter)GRAPH_FILTER_ALL;
	o.filter.has_dates = 1;
	o.filter.date_from = 20200101;
	o.filter.date_to = 20231231;
	assert_int_equal(graph_neighbourhood(g, w, 0, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 4);
	assert_false(has_node(h.nodes, h.nnodes, 1));
	graph_hood_free(&h);

	/* Node kinds: no identifiers, so P5 is out of reach from P1. */
	o.filter = (struct graph_filter)GRAPH_FILTER_ALL;
	o.filter.node_kinds = GRAPH_KIND_BIT(GRAPH_SEIZURE) | GRAPH_KIND_BIT(GRAPH_PARTY);
	assert_int_equal(graph_neighbourhood(g, w, 1, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 5);
	assert_false(has_node(h.nodes, h.nnodes, 6));
	graph_hood_free(&h);
	graph_work_free(w);
	graph_free(g);
}

static void test_neighbourhood_cap(void **state)
{
	/* A hub with 10 spokes, each spoke with 2 leaves. */
	struct graph *g = graph_new(0, 0);
	struct error err = ERROR_INIT;
	uint32_t hub = graph_add_node(g, GRAPH_IDENTIFIER, 0, GRAPH_ACL_ALL);
	for (int i = 0; i < 10; i++) {
		uint32_t s = graph_add_node(g, GRAPH_PARTY, i, GRAPH_ACL_ALL);
		graph_add_edge(g, hub, s, E_HOLDS, 1, (uint64_t)i, &err);
		for (int j = 0; j < 2; j++) {
			uint32_t l = graph_add_node(g, GRAPH_SEIZURE, i * 10 + j, GRAPH_ACL_ALL);
			graph_add_edge(g, s, l, E_ROLE, 1, 100 + (uint64_t)i * 10 + (uint64_t)j, &err);
		}
	}
	struct graph_work *w = graph_work_new();
	struct graph_hood h;
	struct graph_hood_opts o = { .depth = 2, .max_nodes = 15, .filter = GRAPH_FILTER_ALL };
	assert_int_equal(graph_neighbourhood(g, w, hub, &o, &h, &err), 0);
	/* Hub + 10 spokes fit, then the leaves of two spokes; the first leaf
	 * of the third does not fit.  Left unexplored: that spoke's 2 other
	 * links (its other leaf and the hub: the overlay lists the newest link
	 * first) and the 3 links of each of the 7 spokes not expanded. */
	assert_int_equal(h.nnodes, 15);
	assert_true(h.truncated);
	assert_int_equal(h.cut_depth, 2);
	assert_int_equal(h.nodes_cut, 1);
	assert_int_equal(h.links_unexplored, 2 + 7 * 3);
	assert_int_equal(h.nedges, 14);   /* 10 spokes + 4 leaf edges; none to a cut node */
	for (size_t i = 0; i < h.nedges; i++)
		assert_true(h.edges[i].a != h.edges[i].b);
	graph_hood_free(&h);

	/* The same once compacted (the CSR keeps the order; the links are
	 * counted from its offsets). */
	graph_compact(g);
	assert_int_equal(graph_neighbourhood(g, w, hub, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 15);
	assert_int_equal(h.links_unexplored, 23);
	graph_hood_free(&h);

	/* A cap in the first level: the deeper ones are not explored. */
	o.max_nodes = 5;
	assert_int_equal(graph_neighbourhood(g, w, hub, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 5);
	assert_int_equal(h.cut_depth, 1);
	assert_int_equal(h.nodes_cut, 1);
	assert_int_equal(h.links_unexplored, 5);   /* the hub's links to the 5 other spokes */
	for (size_t i = 0; i < h.nnodes; i++)
		assert_true(h.depth[i] <= 1);
	graph_hood_free(&h);

	/* A cap on edges. */
	o.max_nodes = 0;
	o.max_edges = 12;
	assert_int_equal(graph_neighbourhood(g, w, hub, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 31);
	assert_int_equal(h.nedges, 12);
	assert_int_equal(h.edges_cut, 18);
	assert_true(h.truncated);
	graph_hood_free(&h);
	graph_work_free(w);
	graph_free(g);
}

/* Next to hubs: the edges listed are exactly those among the nodes kept,
 * each once (the hub's are found from their other ends). */
static void test_neighbourhood_hub_edges(void **state)
{
	enum { SPOKES = 100 };
	int e[SPOKES + SPOKES / 2 + 80 + 1][2];
	size_t m = 0;
	for (int i = 1; i <= SPOKES; i++) {
		e[m][0] = 0;
		e[m++][1] = i;
	}
	for (int i = 1; i < SPOKES; i += 2) {
		e[m][0] = i;
		e[m++][1] = i + 1;
	}
	for (int i = 1; i <= 80; i++) {
		e[m][0] = SPOKES + 1;
		e[m++][1] = i;
	}
	e[m][0] = 0;
	e[m++][1] = SPOKES + 1;
	struct graph *g = make_graph(SPOKES + 2, (const int (*)[2])e, m, 1);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	struct graph_hood h;
	size_t caps[] = { 0, 50, 90 };
	for (size_t c = 0; c < 3; c++) {
		struct graph_hood_opts o = { .depth = 2, .max_nodes = caps[c], .filter = GRAPH_FILTER_ALL };
		assert_int_equal(graph_neighbourhood(g, w, 7, &o, &h, &err), 0);
		size_t want = 0;
		for (size_t i = 0; i < m; i++)
			want += has_node(h.nodes, h.nnodes, (uint32_t)e[i][0]) && has_node(h.nodes, h.nnodes, (uint32_t)e[i][1]);
		assert_int_equal(h.nedges, want);
		for (size_t i = 0; i < h.nedges; i++)
			for (size_t j = i + 1; j < h.nedges; j++)
				assert_true(h.edges[i].record != h.edges[j].record);
		if (caps[c] == 0) {
			assert_int_equal(h.nnodes, SPOKES + 2);
			assert_int_equal(h.nedges, m);
		} else {
			assert_int_equal(h.nnodes, caps[c]);
		}
		graph_hood_free(&h);
	}
	graph_work_free(w);
	graph_free(g);
}

/* ---- paths ------------------------------------------------------------- */

/*
 *   s - a - t                (2 steps)
 *   s - b - c - t            (3 steps)
 *   s - d - e - f - t        (4 steps)
 * and a second record on s-a (a parallel edge: not a second path).
 */
static const int yen_edges[][2] = {
	{ 0, 1 }, { 1, 6 },
	{ 0, 2 }, { 2, 3 }, { 3, 6 },
	{ 0, 4 }, { 4, 5 }, { 5, 7 }, { 7, 6 },
	{ 0, 1 },
};

static void test_k_shortest(void **state)
{
	struct graph *g = make_graph(8, yen_edges, 10, 1);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	struct graph_paths ps;
	struct graph_path_opts o = { .k = 5, .max_len = 10, .filter = GRAPH_FILTER_ALL };
	assert_int_equal(graph_shortest_paths(g, w, 0, 6, &o, &ps, &err), 0);
	assert_int_equal(ps.n, 3);
	static const uint32_t p1[] = { 0, 1, 6 }, p2[] = { 0, 2, 3, 6 }, p3[] = { 0, 4, 5, 7, 6 };
	assert_path(&ps.paths[0], p1, 2);
	assert_path(&ps.paths[1], p2, 3);
	assert_path(&ps.paths[2], p3, 4);
	assert_true(ps.paths[2].cost == 4.0);
	graph_paths_free(&ps);

	/* Bounded length: the 4-step path is not allowed. */
	o.max_len = 3;
	assert_int_equal(graph_shortest_paths(g, w, 0, 6, &o, &ps, &err), 0);
	assert_int_equal(ps.n, 2);
	graph_paths_free(&ps);
	o.max_len = 1;
	assert_int_equal(graph_shortest_paths(g, w, 0, 6, &o, &ps, &err), 0);
	assert_int_equal(ps.n, 0);
	graph_paths_free(&ps);

	/* Weighted: relations (kind 2) cost 1; make the paths through b and d
	 * cheap by giving them another kind. */
	struct graph *h = graph_new(8, 10);
	for (int i = 0; i < 8; i++)
		graph_add_node(h, GRAPH_PARTY, i, GRAPH_ACL_ALL);
	for (int i = 0; i < 10; i++) {
		unsigned kind = (i >= 2 && i <= 8) ? E_SHARES : E_RELATION;
		graph_add_edge(h, (uint32_t)yen_edges[i][0], (uint32_t)yen_edges[i][1], kind, 0, 1000 + (uint64_t)i, &err);
	}
	double kw[GRAPH_EDGE_KINDS];
	for (int i = 0; i < GRAPH_EDGE_KINDS; i++)
		kw[i] = 1.0;
	kw[E_RELATION] = 5.0;
	kw[E_SHARES] = 0.5;
	o.max_len = 10;
	o.k = 3;
	o.kind_weights = kw;
	assert_int_equal(graph_shortest_paths(h, w, 0, 6, &o, &ps, &err), 0);
	assert_int_equal(ps.n, 3);
	assert_path(&ps.paths[0], p2, 3);   /* 1.5 */
	assert_path(&ps.paths[1], p3, 4);   /* 2.0 */
	assert_path(&ps.paths[2], p1, 2);   /* 10 */
	assert_true(fabs(ps.paths[0].cost - 1.5) < 1e-9);
	assert_true(fabs(ps.paths[2].cost - 10.0) < 1e-9);
	graph_paths_free(&ps);

	/* Bad requests. */
	o.k = 0;
	assert_int_equal(graph_shortest_paths(h, w, 0, 6, &o, &ps, &err), -1);
	assert_int_equal(err.code, ERR_BAD_REQUEST);
	error_clear(&err);
	o.k = 1;
	kw[3] = 0;
	assert_int_equal(graph_shortest_paths(h, w, 0, 6, &o, &ps, &err), -1);
	error_clear(&err);
	graph_free(h);
	graph_work_free(w);
	graph_free(g);
}

/* Yen on a grid, where the 2nd and 3rd paths share roots and cross. */
static void test_k_shortest_grid(void **state)
{
	/*  0 - 1 - 2
	 *  |   |   |
	 *  3 - 4 - 5      from 0 to 5: 3 paths of 3 steps, then 5 steps
	 */
	static const int e[][2] = { { 0, 1 }, { 1, 2 }, { 3, 4 }, { 4, 5 }, { 0, 3 }, { 1, 4 }, { 2, 5 } };
	struct graph *g = make_graph(6, e, 7, 0);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	struct graph_paths ps;
	struct graph_path_opts o = { .k = 10, .max_len = 10, .filter = GRAPH_FILTER_ALL };
	assert_int_equal(graph_shortest_paths(g, w, 0, 5, &o, &ps, &err), 0);
	/* Simple paths 0->5: 0-1-2-5, 0-1-4-5, 0-3-4-5 (3 steps), 0-3-4-1-2-5 (5 steps). */
	assert_int_equal(ps.n, 4);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(ps.paths[i].len, 3);
	static const uint32_t three[3][4] = { { 0, 1, 2, 5 }, { 0, 1, 4, 5 }, { 0, 3, 4, 5 } };
	static const uint32_t p4[] = { 0, 3, 4, 1, 2, 5 };
	int found[3] = { 0 };
	for (size_t i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			if (!memcmp(ps.paths[i].nodes, three[j], sizeof(three[j]))) {
				assert_path(&ps.paths[i], three[j], 3);
				found[j]++;
			}
	assert_true(found[0] == 1 && found[1] == 1 && found[2] == 1);
	assert_path(&ps.paths[3], p4, 5);
	graph_paths_free(&ps);
	graph_work_free(w);
	graph_free(g);
}

/* ---- components ------------------------------------------------------------ */

struct visit_tally {
	size_t calls;
	size_t per_comp[8];
};

static void tally(void *ctx, size_t comp, const struct graph *g, uint32_t node)
{
	struct visit_tally *t = ctx;
	t->calls++;
	if (comp < 8)
		t->per_comp[comp]++;
}

static void test_components(void **state)
{
	/* Triangle 0-1-2 (dated 1..3), path 3-4-5-6 (4..6), pair 7-8 (7), 9 alone. */
	static const int e[][2] = { { 0, 1 }, { 1, 2 }, { 2, 0 }, { 3, 4 }, { 4, 5 }, { 5, 6 }, { 7, 8 } };
	struct graph *g = make_graph(10, e, 7, 1);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	struct graph_components c;
	struct visit_tally t = { 0 };
	assert_int_equal(graph_components(g, w, NULL, 0, tally, &t, &c, &err), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.comps[0].nnodes, 4);
	assert_int_equal(c.comps[0].nedges, 3);
	assert_int_equal(c.comps[0].first_node, 3);
	assert_int_equal(c.comps[0].first_date, 20200104);
	assert_int_equal(c.comps[0].last_date, 20200106);
	assert_int_equal(c.comps[1].nnodes, 3);
	assert_int_equal(c.comps[1].nedges, 3);
	assert_int_equal(c.comps[2].nnodes, 2);
	assert_int_equal(c.comps[3].nnodes, 1);
	assert_int_equal(c.comps[3].first_date, GRAPH_DATE_NONE);
	assert_int_equal(c.comp_of[9], 3);
	assert_int_equal(c.comp_of[6], 0);
	assert_int_equal(c.comp_of[0], 1);
	assert_int_equal(t.calls, 10);
	assert_int_equal(t.per_comp[0], 4);
	assert_int_equal(t.per_comp[1], 3);
	graph_components_free(&c);

	/* At least 3 nodes, and after a date filter that cuts 4-5 (dated
	 * 20200105): the path splits into two pairs, which are too small. */
	struct graph_filter f = GRAPH_FILTER_ALL;
	f.has_dates = 1;
	f.date_from = 20200101;
	f.date_to = 20200104;
	assert_int_equal(graph_components(g, w, &f, 3, NULL, NULL, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.comps[0].nnodes, 3);
	assert_int_equal(c.comp_of[3], GRAPH_NONE);
	assert_int_equal(c.comp_of[9], GRAPH_NONE);
	graph_components_free(&c);
	graph_work_free(w);
	graph_free(g);
}

/* ---- key actors -------------------------------------------------------------- */

static void test_betweenness_path_and_star(void **state)
{
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	uint32_t all[5] = { 0, 1, 2, 3, 4 }, deg[5];
	double bc[5];
	int exact = 0;
	/* P5: 0-1-2-3-4.  The centre lies on the shortest path of 4 pairs
	 * ({0,3} {0,4} {1,3} {1,4}), its neighbours on 3 each. */
	static const int p5[][2] = { { 0, 1 }, { 1, 2 }, { 2, 3 }, { 3, 4 } };
	struct graph *g = make_graph(5, p5, 4, 1);
	assert_int_equal(graph_centrality(g, w, all, 5, NULL, 0, 1, deg, bc, &exact, &err), 0);
	assert_true(exact);
	static const double want[] = { 0, 3, 4, 3, 0 };
	for (int i = 0; i < 5; i++)
		assert_true(fabs(bc[i] - want[i]) < 1e-9);
	assert_int_equal(deg[0], 1);
	assert_int_equal(deg[2], 2);
	graph_free(g);

	/* Star K(1,4), centre 0: on every pair of leaves, C(4,2) = 6.  A
	 * parallel edge changes neither degree nor betweenness. */
	static const int star[][2] = { { 0, 1 }, { 0, 2 }, { 0, 3 }, { 0, 4 }, { 0, 4 } };
	g = make_graph(5, star, 5, 0);
	assert_int_equal(graph_centrality(g, w, all, 5, NULL, 0, 1, deg, bc, &exact, &err), 0);
	assert_true(fabs(bc[0] - 6) < 1e-9);
	for (int i = 1; i < 5; i++) {
		assert_true(fabs(bc[i]) < 1e-9);
		assert_int_equal(deg[i], 1);
	}
	assert_int_equal(deg[0], 4);
	/* Within a subset (the network of 0, 1, 2 only): centre 1 pair. */
	uint32_t sub[3] = { 2, 0, 1 };
	assert_int_equal(graph_centrality(g, w, sub, 3, NULL, 0, 1, deg, bc, &exact, &err), 0);
	assert_true(fabs(bc[1] - 1) < 1e-9);
	assert_int_equal(deg[1], 2);
	graph_free(g);
	graph_work_free(w);
}

/*
 * Krackhardt's kite (D. Krackhardt, "Assessing the political landscape",
 * Administrative Science Quarterly 35, 1990), nodes in the order Andre,
 * Beverly, Carol, Diane, Ed, Fernando, Garth, Heather, Ike, Jane.  Published
 * betweenness: Heather 14, Fernando and Garth 8.33, Ike 8, Diane 3.67, Andre
 * and Beverly 0.83, the others 0.
 */
static void test_betweenness_kite(void **state)
{
	static const int kite[][2] = {
		{ 0, 1 }, { 0, 2 }, { 0, 3 }, { 0, 5 }, { 1, 3 }, { 1, 4 }, { 1, 6 }, { 2, 3 }, { 2, 5 },
		{ 3, 4 }, { 3, 5 }, { 3, 6 }, { 4, 6 }, { 5, 6 }, { 5, 7 }, { 6, 7 }, { 7, 8 }, { 8, 9 },
	};
	struct graph *g = make_graph(10, kite, 18, 1);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	uint32_t all[10], deg[10];
	double bc[10];
	for (int i = 0; i < 10; i++)
		all[i] = (uint32_t)i;
	assert_int_equal(graph_centrality(g, w, all, 10, NULL, 0, 1, deg, bc, NULL, &err), 0);
	static const double want[] = { 5.0 / 6, 5.0 / 6, 0, 11.0 / 3, 0, 25.0 / 3, 25.0 / 3, 14, 8, 0 };
	for (int i = 0; i < 10; i++)
		assert_true(fabs(bc[i] - want[i]) < 1e-9);
	assert_int_equal(deg[3], 6);   /* Diane has the most ties */
	graph_work_free(w);
	graph_free(g);
}

/*
 * Zachary's karate club (W. W. Zachary, "An information flow model for
 * conflict and fission in small groups", J. Anthropological Research 33,
 * 1977): 34 members, 78 ties, numbered from 0 here.  Published unnormalised
 * betweenness (the values networkx and igraph reproduce, e.g. networkx's
 * betweenness_centrality(normalized=False)): member 1 231.07, member 34
 * 160.55, member 33 76.69, member 3 75.85, member 32 73.01.
 */
static const int karate[][2] = {
	{ 0, 1 }, { 0, 2 }, { 0, 3 }, { 0, 4 }, { 0, 5 }, { 0, 6 }, { 0, 7 }, { 0, 8 }, { 0, 10 }, { 0, 11 },
	{ 0, 12 }, { 0, 13 }, { 0, 17 }, { 0, 19 }, { 0, 21 }, { 0, 31 }, { 1, 2 }, { 1, 3 }, { 1, 7 },
	{ 1, 13 }, { 1, 17 }, { 1, 19 }, { 1, 21 }, { 1, 30 }, { 2, 3 }, { 2, 7 }, { 2, 27 }, { 2, 28 },
	{ 2, 32 }, { 2, 9 }, { 2, 8 }, { 2, 13 }, { 3, 7 }, { 3, 12 }, { 3, 13 }, { 4, 6 }, { 4, 10 },
	{ 5, 6 }, { 5, 10 }, { 5, 16 }, { 6, 16 }, { 8, 30 }, { 8, 32 }, { 8, 33 }, { 9, 33 }, { 13, 33 },
	{ 14, 32 }, { 14, 33 }, { 15, 32 }, { 15, 33 }, { 18, 32 }, { 18, 33 }, { 19, 33 }, { 20, 32 },
	{ 20, 33 }, { 22, 32 }, { 22, 33 }, { 23, 25 }, { 23, 27 }, { 23, 32 }, { 23, 33 }, { 23, 29 },
	{ 24, 25 }, { 24, 27 }, { 24, 31 }, { 25, 31 }, { 26, 29 }, { 26, 33 }, { 27, 33 }, { 28, 31 },
	{ 28, 33 }, { 29, 32 }, { 29, 33 }, { 30, 32 }, { 30, 33 }, { 31, 32 }, { 31, 33 }, { 32, 33 },
};

static void test_betweenness_karate(void **state)
{
	struct graph *g = make_graph(34, karate, 78, 1);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	uint32_t all[34], deg[34];
	double bc[34], bc2[34];
	int exact;
	for (int i = 0; i < 34; i++)
		all[i] = (uint32_t)i;
	assert_int_equal(graph_edge_count(g), 78);
	assert_int_equal(graph_centrality(g, w, all, 34, NULL, 0, 1, deg, bc, &exact, &err), 0);
	assert_true(exact);
	assert_true(fabs(bc[0] - 231.0714) < 1e-3);
	assert_true(fabs(bc[33] - 160.5516) < 1e-3);
	assert_true(fabs(bc[32] - 76.6905) < 1e-3);
	assert_true(fabs(bc[2] - 75.8508) < 1e-3);
	assert_true(fabs(bc[31] - 73.0095) < 1e-3);
	assert_int_equal(deg[0], 16);
	assert_int_equal(deg[33], 17);
	double sum = 0;
	for (int i = 0; i < 34; i++)
		sum += bc[i];
	/* Sum of betweenness = sum over pairs of (distance - 1). */
	size_t pairs_len = 0;
	for (uint32_t s = 0; s < 34; s++)
		for (uint32_t t = s + 1; t < 34; t++) {
			struct graph_paths ps;
			struct graph_path_opts o = { .k = 1, .max_len = 10, .filter = GRAPH_FILTER_ALL };
			assert_int_equal(graph_shortest_paths(g, w, s, t, &o, &ps, &err), 0);
			assert_int_equal(ps.n, 1);
			pairs_len += ps.paths[0].len - 1;
			graph_paths_free(&ps);
		}
	assert_true(fabs(sum - (double)pairs_len) < 1e-6);

	/* Sampled: reproducible for a seed, flagged approximate, and the two
	 * leaders (members 1 and 34) stay on top. */
	assert_int_equal(graph_centrality(g, w, all, 34, NULL, 17, 42, NULL, bc, &exact, &err), 0);
	assert_false(exact);
	assert_int_equal(graph_centrality(g, w, all, 34, NULL, 17, 42, NULL, bc2, &exact, &err), 0);
	assert_memory_equal(bc, bc2, sizeof(bc));
	int top = 0;
	for (int i = 1; i < 34; i++)
		if (bc[i] > bc[top])
			top = i;
	assert_true(top == 0 || top == 33);
	graph_work_free(w);
	graph_free(g);
}

/* ---- what links these ----------------------------------------------------------- */

static void test_steiner(void **state)
{
	/*
	 * Terminals a(0), b(1), c(2).  The hub h(3) is one step from each; a
	 * and b are also joined by a 2-step detour through x(4), and c hangs
	 * off a 3-step chain c-y-z-a (5, 6).  Optimum: the star through h, 3
	 * edges, cost 3.
	 */
	static const int e[][2] = { { 0, 3 }, { 1, 3 }, { 2, 3 }, { 0, 4 }, { 4, 1 }, { 2, 5 }, { 5, 6 }, { 6, 0 } };
	struct graph *g = make_graph(7, e, 8, 1);
	struct graph_work *w = graph_work_new();
	struct error err = ERROR_INIT;
	struct graph_steiner s;
	uint32_t term[] = { 0, 1, 2 };
	assert_int_equal(graph_steiner(g, w, term, 3, NULL, NULL, &s, &err), 0);
	assert_int_equal(s.nedges, 3);
	assert_int_equal(s.nnodes, 4);
	assert_true(fabs(s.cost - 3) < 1e-9);
	assert_true(has_node(s.nodes, s.nnodes, 3));
	assert_int_equal(s.nunreached, 0);
	graph_steiner_free(&s);

	/* Two terminals: the shortest path. */
	uint32_t two[] = { 2, 6 };
	assert_int_equal(graph_steiner(g, w, two, 2, NULL, NULL, &s, &err), 0);
	assert_int_equal(s.nedges, 2);
	assert_true(has_node(s.nodes, s.nnodes, 5));
	graph_steiner_free(&s);

	/* A terminal in another network is reported, the rest still joined. */
	uint32_t lone = graph_add_node(g, GRAPH_PARTY, 999, GRAPH_ACL_ALL);
	uint32_t three[] = { 0, lone, 1 };
	assert_int_equal(graph_steiner(g, w, three, 3, NULL, NULL, &s, &err), 0);
	assert_int_equal(s.nunreached, 1);
	assert_int_equal(s.unreached[0], lone);
	assert_int_equal(s.nedges, 2);
	graph_steiner_free(&s);

	assert_int_equal(graph_steiner(g, w, term, 1, NULL, NULL, &s, &err), -1);
	assert_int_equal(err.code, ERR_BAD_REQUEST);
	error_clear(&err);
	graph_work_free(w);
	graph_free(g);
}

/* ---- access: no trace ------------------------------------------------------------ */

static int not_node_4(void *ctx, const struct graph *g, uint32_t node)
{
	return node != *(const uint32_t *)ctx;
}

static void test_access_no_trace(void **state)
{
	/*
	 * Officer of agency A (mask bit 0) and a node restricted to agency B
	 * (bit 1):  a(0) - r(1) - b(2), and b - c(3).  r is the only link
	 * between a and b.
	 */
	enum { AGENCY_A = 1, AGENCY_B = 2 };
	struct graph *g = graph_new(0, 0);
	struct error err = ERROR_INIT;
	uint32_t a = graph_add_node(g, GRAPH_PARTY, 1, GRAPH_ACL_ALL);
	uint32_t r = graph_add_node(g, GRAPH_SEIZURE, 2, AGENCY_B);
	uint32_t b = graph_add_node(g, GRAPH_PARTY, 3, GRAPH_ACL_ALL);
	uint32_t c = graph_add_node(g, GRAPH_PARTY, 4, GRAPH_ACL_ALL);
	graph_add_edge(g, a, r, E_ROLE, 1, 11, &err);
	graph_add_edge(g, r, b, E_ROLE, 1, 12, &err);
	graph_add_edge(g, b, c, E_RELATION, 1, 13, &err);
	struct graph_work *w = graph_work_new();
	struct graph_filter officer = GRAPH_FILTER_ALL;
	officer.acl = AGENCY_A;
	struct graph_filter other = GRAPH_FILTER_ALL;
	other.acl = AGENCY_B;

	/* The node itself: not found, exactly like a node that is not there. */
	assert_int_equal(graph_lookup_visible(g, GRAPH_SEIZURE, 2, &officer, &err), GRAPH_NONE);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	char *msg_hidden = strdup(err.message);
	error_clear(&err);
	assert_int_equal(graph_lookup_visible(g, GRAPH_SEIZURE, 12345, &officer, &err), GRAPH_NONE);
	assert_string_equal(err.message, msg_hidden);
	free(msg_hidden);
	error_clear(&err);
	assert_int_equal(graph_lookup_visible(g, GRAPH_SEIZURE, 2, &other, &err), r);

	/* Neighbourhood of a: a alone, nothing cut, no edge. */
	struct graph_hood h;
	struct graph_hood_opts o = { .depth = 3, .max_nodes = 1, .filter = officer };
	assert_int_equal(graph_neighbourhood(g, w, a, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 1);
	assert_int_equal(h.nedges, 0);
	assert_false(h.truncated);
	assert_int_equal(h.nodes_cut, 0);
	graph_hood_free(&h);
	o.filter = other;
	o.max_nodes = 0;
	assert_int_equal(graph_neighbourhood(g, w, a, &o, &h, &err), 0);
	assert_int_equal(h.nnodes, 4);
	graph_hood_free(&h);
	/* Starting from it is a "not found". */
	o.filter = officer;
	assert_int_equal(graph_neighbourhood(g, w, r, &o, &h, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);

	/* No path a-b for the officer; one for agency B. */
	struct graph_paths ps;
	struct graph_path_opts po = { .k = 3, .max_len = 5, .filter = officer };
	assert_int_equal(graph_shortest_paths(g, w, a, c, &po, &ps, &err), 0);
	assert_int_equal(ps.n, 0);
	graph_paths_free(&ps);
	po.filter = other;
	assert_int_equal(graph_shortest_paths(g, w, a, c, &po, &ps, &err), 0);
	assert_int_equal(ps.n, 1);
	graph_paths_free(&ps);

	/* Components: {a} and {b, c}; r counted nowhere. */
	struct graph_components cc;
	assert_int_equal(graph_components(g, w, &officer, 0, NULL, NULL, &cc, &err), 0);
	assert_int_equal(cc.n, 2);
	assert_int_equal(cc.comps[0].nnodes, 2);
	assert_int_equal(cc.comps[0].kind_count[GRAPH_SEIZURE], 0);
	assert_int_equal(cc.comp_of[r], GRAPH_NONE);
	assert_true(cc.comp_of[a] != cc.comp_of[b]);
	graph_components_free(&cc);

	/* Degree and betweenness: b has one visible tie and lies on no path. */
	uint32_t all[4] = { a, r, b, c }, deg[4];
	double bc[4];
	assert_int_equal(graph_centrality(g, w, all, 4, &officer, 0, 1, deg, bc, NULL, &err), 0);
	assert_int_equal(deg[1], 0);
	assert_int_equal(deg[2], 1);
	assert_true(bc[2] == 0 && bc[1] == 0);

	/* What links a and c: nothing the officer may see. */
	struct graph_steiner s;
	uint32_t term[2] = { a, c };
	assert_int_equal(graph_steiner(g, w, term, 2, NULL, &officer, &s, &err), 0);
	assert_int_equal(s.nunreached, 1);
	assert_int_equal(s.nedges, 0);
	assert_false(has_node(s.nodes, s.nnodes, r));
	graph_steiner_free(&s);

	/* The callback hides too (e.g. a case the user is not a member of). */
	struct graph_filter cb = GRAPH_FILTER_ALL;
	cb.node_visible = not_node_4;
	cb.ctx = &c;
	unsigned deepest;
	assert_int_equal(graph_bfs(g, w, a, 0, &cb, NULL, &deepest, &err), 3);
	assert_int_equal(deepest, 2);
	graph_work_free(w);
	graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nodes_and_lookup),
		cmocka_unit_test(test_bulk_overlay_compact),
		cmocka_unit_test(test_incremental_merge),
		cmocka_unit_test(test_neighbourhood_depths),
		cmocka_unit_test(test_neighbourhood_filters),
		cmocka_unit_test(test_neighbourhood_cap),
		cmocka_unit_test(test_neighbourhood_hub_edges),
		cmocka_unit_test(test_k_shortest),
		cmocka_unit_test(test_k_shortest_grid),
		cmocka_unit_test(test_components),
		cmocka_unit_test(test_betweenness_path_and_star),
		cmocka_unit_test(test_betweenness_kite),
		cmocka_unit_test(test_betweenness_karate),
		cmocka_unit_test(test_steiner),
		cmocka_unit_test(test_access_no_trace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
