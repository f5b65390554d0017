/*
 * steiner.c - "what links these": a small tree joining chosen nodes.
 *
 * The heuristic of L. Kou, G. Markowsky and L. Berman ("A fast algorithm
 * for Steiner trees", Acta Informatica 15, 1981), which is within
 * 2(1 - 1/t) of the optimal tree for t terminals:
 *   1. the metric closure of the terminals: one shortest-path search from
 *      each terminal (t searches; the path to every other terminal is kept);
 *   2. a minimum spanning tree of the closure (Prim; t is at most 64);
 *   3. every closure edge of that tree replaced by its path;
 *   4. a minimum spanning tree of the union of those paths (Kruskal);
 *   5. leaves that are not terminals removed until none is left.
 * The exact problem is NP-hard; on the small sets an analyst picks the
 * heuristic is usually optimal or one or two nodes off.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/internal.h"
#include "lib/xalloc.h"

void graph_steiner_free(struct graph_steiner *s)
{
	if (!s)
		return;
	free(s->nodes);
	free(s->edges);
	free(s->unreached);
	memset(s, 0, sizeof(*s));
}

struct tpath {
	size_t len;
	struct graph_edge *steps;
};

struct uedge {
	struct graph_edge e;
	double wt;
	int keep;
};

static int uedge_cmp(const void *pa, const void *pb)
{
	const struct uedge *a = pa, *b = pb;
	if (a->wt != b->wt)
		return a->wt < b->wt ? -1 : 1;
	if (a->e.a != b->e.a)
		return a->e.a < b->e.a ? -1 : 1;
	if (a->e.b != b->e.b)
		return a->e.b < b->e.b ? -1 : 1;
	return (a->e.record > b->e.record) - (a->e.record < b->e.record);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static size_t node_index(const uint32_t *nodes, size_t n, uint32_t v)
{
	const uint32_t *p = bsearch(&v, nodes, n, sizeof(*nodes), u32_cmp);
	return (size_t)(p - nodes);
}

static uint32_t find(uint32_t *uf, uint32_t x)
{
	while (uf[x] != x) {
		uf[x] = uf[uf[x]];
		x = uf[x];
	}
	return x;
}

int graph_steiner(const struct graph *g, struct graph_work *w, const uint32_t *terminals, size_t nterm,
	const double *kind_weights, const struct graph_filter *f, struct graph_steiner *out,
	struct error *err)
{
	struct graph_q q;
	memset(out, 0, sizeof(*out));
	if (nterm < 2 || nterm > GRAPH_MAX_TERMINALS)
		return error_set(err, ERR_BAD_REQUEST, "between 2 and %d nodes are needed", GRAPH_MAX_TERMINALS);
	if (kind_weights)
		for (int k = 0; k < GRAPH_EDGE_KINDS; k++)
			if (!(kind_weights[k] > 0) || !isfinite(kind_weights[k]))
				return error_set(err, ERR_BAD_REQUEST, "edge weights must be positive");
	graph_q_init(&q, g, f);
	uint32_t term[GRAPH_MAX_TERMINALS] = { 0 };
	size_t t = 0;
	for (size_t i = 0; i < nterm; i++) {
		uint32_t v = terminals[i];
		if (v >= g->n || !graph_q_node(&q, v))
			return error_set(err, ERR_NOT_FOUND, "no such node");
		int dup = 0;
		for (size_t j = 0; j < t; j++)
			dup |= term[j] == v;
		if (!dup)
			term[t++] = v;
	}

	/* 1. The metric closure, and the paths behind it. */
	double *dist = xmalloc(t * t * sizeof(*dist));
	struct tpath *paths = xcalloc(t * t, sizeof(*paths));
	for (size_t i = 0; i < t; i++) {
		graph_sssp(&q, w, term[i], kind_weights);
		for (size_t j = 0; j < t; j++) {
			uint32_t d = term[j];
			if (w->f[d].gen != w->gen) {
				dist[i * t + j] = INFINITY;
				continue;
			}
			dist[i * t + j] = w->cost[d];
			if (j <= i)
				continue;
			struct tpath *p = &paths[i * t + j];
			p->len = w->f[d].dist;
			p->steps = xmalloc(p->len * sizeof(*p->steps));
			size_t k = p->len;
			for (uint32_t v = d; v != term[i]; v = w->f[v].par)
				graph_edge_fill(g, w->f[v].pe, w->f[v].par, v, &p->steps[--k]);
		}
	}

	/* 2. Prim over the terminals reachable from the first. */
	int in_tree[GRAPH_MAX_TERMINALS] = { 0 };
	double best[GRAPH_MAX_TERMINALS];
	size_t from[GRAPH_MAX_TERMINALS];
	size_t tree_pairs[GRAPH_MAX_TERMINALS][2], npairs = 0;
	in_tree[0] = 1;
	for (size_t j = 0; j < t; j++) {
		best[j] = dist[j];
		from[j] = 0;
	}
	for (;;) {
		size_t pick = t;
		for (size_t j = 0; j < t; j++)
			if (!in_tree[j] && isfinite(best[j]) && (pick == t || best[j] < best[pick]))
				pick = j;
		if (pick == t)
			break;
		in_tree[pick] = 1;
		tree_pairs[npairs][0] = from[pick] < pick ? from[pick] : pick;
		tree_pairs[npairs][1] = from[pick] < pick ? pick : from[pick];
		npairs++;
		for (size_t j = 0; j < t; j++)
			if (!in_tree[j] && dist[pick * t + j] < best[j]) {
				best[j] = dist[pick * t + j];
				from[j] = pick;
			}
	}
	for (size_t j = 0; j < t; j++)
		if (!in_tree[j]) {
			out->unreached = xreallocarray(out->unreached, out->nunreached + 1, sizeof(*out->unreached));
			out->unreached[out->nunreached++] = term[j];
		}

	/* 3. The union of the paths, each edge once. */
	struct uedge *ue = NULL;
	size_t nue = 0, uecap = 0;
	for (size_t i = 0; i < npairs; i++) {
		const struct tpath *p = &paths[tree_pairs[i][0] * t + tree_pairs[i][1]];
		for (size_t k = 0; k < p->len; k++) {
			struct graph_edge e = p->steps[k];
			if (e.a > e.b) {
				uint32_t x = e.a;
				e.a = e.b;
				e.b = x;
			}
			if (nue == uecap) {
				uecap = uecap ? uecap * 2 : 32;
				ue = xreallocarray(ue, uecap, sizeof(*ue));
			}
			ue[nue].e = e;
			ue[nue].wt = kind_weights ? kind_weights[e.kind] : 1.0;
			ue[nue].keep = 0;
			nue++;
		}
	}
	if (nue > 1)
		qsort(ue, nue, sizeof(*ue), uedge_cmp);
	size_t k = 0;
	for (size_t i = 0; i < nue; i++)
		if (!k || uedge_cmp(&ue[i], &ue[k - 1]) != 0)
			ue[k++] = ue[i];
	nue = k;

	/* The nodes of the union (terminals in the tree included). */
	uint32_t *nodes = xmalloc((2 * nue + t) * sizeof(*nodes));
	size_t nn = 0;
	for (size_t i = 0; i < t; i++)
		if (in_tree[i])
			nodes[nn++] = term[i];
	for (size_t i = 0; i < nue; i++) {
		nodes[nn++] = ue[i].e.a;
		nodes[nn++] = ue[i].e.b;
	}
	if (nn > 1)
		qsort(nodes, nn, sizeof(*nodes), u32_cmp);
	k = 0;
	for (size_t i = 0; i < nn; i++)
		if (!k || nodes[i] != nodes[k - 1])
			nodes[k++] = nodes[i];
	nn = k;

	/* 4. Kruskal over the union. */
	uint32_t *uf = xmalloc((nn ? nn : 1) * sizeof(*uf));
	uint32_t *deg = xcalloc(nn ? nn : 1, sizeof(*deg));
	for (size_t i = 0; i < nn; i++)
		uf[i] = (uint32_t)i;
	for (size_t i = 0; i < nue; i++) {
		uint32_t a = (uint32_t)node_index(nodes, nn, ue[i].e.a), b = (uint32_t)node_index(nodes, nn, ue[i].e.b);
		uint32_t ra = find(uf, a), rb = find(uf, b);
		if (ra == rb)
			continue;
		uf[ra] = rb;
		ue[i].keep = 1;
		deg[a]++;
		deg[b]++;
	}

	/* 5. Prune leaves that are not terminals. */
	int *is_term = xcalloc(nn ? nn : 1, sizeof(*is_term));
	for (size_t i = 0; i < t; i++)
		if (in_tree[i])
			is_term[node_index(nodes, nn, term[i])] = 1;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < nue; i++) {
			if (!ue[i].keep)
				continue;
			size_t a = node_index(nodes, nn, ue[i].e.a), b = node_index(nodes, nn, ue[i].e.b);
			if ((deg[a] == 1 && !is_term[a]) || (deg[b] == 1 && !is_term[b])) {
				ue[i].keep = 0;
				deg[a]--;
				deg[b]--;
				changed = 1;
			}
		}
	}

	out->nodes = xmalloc((nn ? nn : 1) * sizeof(*out->nodes));
	for (size_t i = 0; i < nn; i++)
		if (deg[i] > 0 || is_term[i])
			out->nodes[out->nnodes++] = nodes[i];
	out->edges = xmalloc((nue ? nue : 1) * sizeof(*out->edges));
	for (size_t i = 0; i < nue; i++)
		if (ue[i].keep) {
			out->edges[out->nedges++] = ue[i].e;
			out->cost += ue[i].wt;
		}

	free(is_term);
	free(deg);
	free(uf);
	free(nodes);
	free(ue);
	for (size_t i = 0; i < t * t; i++)
		free(paths[i].steps);
	free(paths);
	free(dist);
	return 0;
}
