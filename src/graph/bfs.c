/*
 * bfs.c - breadth-first queries: the neighbourhood of a node to depth 1-3
 * with filters and a size cap, and the plain traversal (graph_bfs).
 */
#include <stdlib.h>
#include <string.h>

#include "graph/internal.h"
#include "lib/xalloc.h"


/* Entries left in an adjacency iterator (removed edges included). */
static size_t it_remaining(const struct graph_it *it)
{
	size_t n = it->end - it->i;
	for (uint32_t o = it->o; o != UINT32_MAX; o = it->ovl[o].next)
		n++;
	return n;
}

/* Links of node u (removed edges included: an estimate for reports). */
static size_t node_links(const struct graph *g, uint32_t u)
{
	struct graph_it it;
	graph_it_init(&it, g, u);
	return it_remaining(&it);
}

void graph_hood_free(struct graph_hood *h)
{
	if (!h)
		return;
	free(h->nodes);
	free(h->depth);
	free(h->edges);
	memset(h, 0, sizeof(*h));
}

int graph_neighbourhood(const struct graph *g, struct graph_work *w, uint32_t start,
	const struct graph_hood_opts *o, struct graph_hood *out, struct error *err)
{
	struct graph_q q;
	memset(out, 0, sizeof(*out));
	if (o->depth < 1 || o->depth > 3)
		return error_set(err, ERR_BAD_REQUEST, "depth must be 1, 2 or 3");
	graph_q_init(&q, g, &o->filter);
	if (start >= g->n || !graph_q_node(&q, start))
		return error_set(err, ERR_NOT_FOUND, "no such node");
	graph_work_begin(w, g);
	uint32_t *queue = w->queue;
	struct graph_mark *mk = w->f;   /* par holds the position in queue */
	size_t head = 0, tail = 0;
	size_t cap = o->max_nodes ? o->max_nodes : SIZE_MAX;

	/* Who is in: a bit per node (the bit array stays in cache where the
	 * marks would not), cleared again before returning. */
	uint64_t *bits = w->bits;
	uint32_t cut = GRAPH_NONE;
#define BIT_GET(v) (bits[(v) >> 6] >> ((v) & 63) & 1)
#define BIT_SET(v) (bits[(v) >> 6] |= 1ull << ((v) & 63))

	queue[tail++] = start;
	BIT_SET(start);
	mk[start].dist = 0;
	mk[start].par = 0;
	for (unsigned d = 0; d < o->depth && !out->truncated; d++) {
		size_t level_end = tail;
		for (; head < level_end && !out->truncated; head++) {
			uint32_t u = queue[head], v, e;
			struct graph_it it;
			graph_it_init(&it, g, u);
			while (graph_it_next(g, &it, &v, &e)) {
				if (BIT_GET(v) || !graph_q_edge(&q, e, u, v) || !graph_q_node(&q, v))
					continue;
				BIT_SET(v);
				if (tail >= cap) {
					/* Full: stop here, and say what was not looked at. */
					cut = v;
					out->truncated = 1;
					out->cut_depth = d + 1;
					out->nodes_cut = 1;
					out->links_unexplored = it_remaining(&it);
					for (size_t r = head + 1; r < level_end; r++)
						out->links_unexplored += node_links(g, queue[r]);
					break;
				}
				mk[v].dist = d + 1;
				mk[v].par = (uint32_t)tail;
				queue[tail++] = v;
			}
		}
	}

	out->nnodes = tail;
	out->nodes = xmalloc(tail * sizeof(*out->nodes));
	out->depth = xmalloc(tail);
	memcpy(out->nodes, queue, tail * sizeof(*out->nodes));
	for (size_t i = 0; i < tail; i++)
		out->depth[i] = (uint8_t)w->f[queue[i]].dist;

	/*
	 * The edges among the nodes kept: each found from one end.  Normally
	 * the end first in BFS order; but the node of most links (a hub next to
	 * the start: tens of thousands of links of which a few hundred stay) is
	 * never scanned: its edges are found from their other ends.
	 */
	uint32_t heavy = GRAPH_NONE;
	size_t heavy_links = 64;
	for (size_t i = 0; i < tail; i++) {
		uint32_t u = queue[i];
		size_t d = u < g->base_n ? g->off[u + 1] - g->off[u] : 0;
		if (d > heavy_links) {
			heavy_links = d;
			heavy = u;
		}
	}
	size_t ecap = 0, ne = 0;
	size_t emax = o->max_edges ? o->max_edges : SIZE_MAX;
	for (size_t i = 0; i < tail; i++) {
		uint32_t u = queue[i], v, e;
		struct graph_it it;
		if (u == heavy)
			continue;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e)) {
			if (!BIT_GET(v) || v == cut || (mk[v].par <= i && v != heavy))
				continue;
			if (!graph_q_edge(&q, e, u, v))
				continue;
			if (ne >= emax) {
				out->edges_cut++;
				out->truncated = 1;
				continue;
			}
			if (ne == ecap) {
				ecap = ecap ? ecap * 2 : 64;
				out->edges = xreallocarray(out->edges, ecap, sizeof(*out->edges));
			}
			if (mk[v].par < i)
				graph_edge_fill(g, e, v, u, &out->edges[ne++]);
			else
				graph_edge_fill(g, e, u, v, &out->edges[ne++]);
		}
	}
	out->nedges = ne;
	for (size_t i = 0; i < tail; i++)
		bits[queue[i] >> 6] = 0;
	if (cut != GRAPH_NONE)
		bits[cut >> 6] = 0;
#undef BIT_GET
#undef BIT_SET
	return 0;
}

size_t graph_bfs(const struct graph *g, struct graph_work *w, uint32_t start, unsigned max_depth,
	const struct graph_filter *f, uint32_t **order, unsigned *deepest, struct error *err)
{
	struct graph_q q;
	graph_q_init(&q, g, f);
	if (order)
		*order = NULL;
	if (deepest)
		*deepest = 0;
	if (start >= g->n || !graph_q_node(&q, start)) {
		error_set(err, ERR_NOT_FOUND, "no such node");
		return 0;
	}
	graph_work_begin(w, g);
	const uint32_t gen = w->gen;
	uint32_t *queue = w->queue;
	struct graph_mark *mk = w->f;
	size_t head = 0, tail = 0;
	uint32_t limit = max_depth ? max_depth : UINT32_MAX;
	queue[tail++] = start;
	mk[start].gen = gen;
	mk[start].dist = 0;
	int plain = !q.node_check && !q.edge_check && !g->ndead && !g->ovl_head;
	while (head < tail) {
		uint32_t u = queue[head++];
		uint32_t du = mk[u].dist;
		if (du >= limit)
			continue;
		if (plain && u < g->base_n) {
			/* The common case: the CSR alone, nothing to check. */
			const uint32_t *a = g->adj + g->off[u], *end = g->adj + g->off[u + 1];
			for (; a < end; a++) {
				uint32_t v = *a;
				if (mk[v].gen != gen) {
					mk[v].gen = gen;
					mk[v].dist = du + 1;
					queue[tail++] = v;
				}
			}
			continue;
		}
		struct graph_it it;
		uint32_t v, e;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e)) {
			if (mk[v].gen == gen || !graph_q_edge(&q, e, u, v) || !graph_q_node(&q, v))
				continue;
			mk[v].gen = gen;
			mk[v].dist = du + 1;
			queue[tail++] = v;
		}
	}
	if (deepest)
		*deepest = mk[queue[tail - 1]].dist;
	if (order) {
		*order = xmalloc(tail * sizeof(**order));
		memcpy(*order, queue, tail * sizeof(**order));
	}
	return tail;
}
