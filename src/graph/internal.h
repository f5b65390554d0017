/*
 * internal.h - the graph's storage, shared by the files of src/graph/ only.
 *
 * Nodes: parallel arrays indexed by node (kind, id, access mask) and an
 * open-addressing table from (kind, id) to the index.
 *
 * Edges: parallel arrays indexed by edge id (kind, date, record, a removed
 * bit).  The adjacency of node u is, in order:
 *   - the base CSR: adj[off[u] .. off[u+1]) (neighbour) and adj_eid[] (edge
 *     id), for u < base_n;
 *   - the overlay: a list through ovl[] starting at ovl_head[u], holding the
 *     edges added since the last compaction.
 * Every undirected edge appears in the adjacency of both its ends.  While
 * bulk loading, new edges wait in pend[] (pairs of ends) and are in no
 * adjacency until graph_bulk_end.
 */
#ifndef KOUPREY_GRAPH_INTERNAL_H
#define KOUPREY_GRAPH_INTERNAL_H

#include <stdint.h>

#include "graph/graph.h"

struct graph_ovl {
	uint32_t target, eid, next;
};

struct graph_erec {
	uint64_t record;
	int32_t date;
	uint8_t kind;
};

/* What a search knows of a node, in one place (one cache miss per node). */
struct graph_mark {
	uint32_t gen;    /* == the work area's gen: reached in this query */
	uint32_t dist;   /* steps from the search's source */
	uint32_t par;    /* parent node */
	uint32_t pe;     /* edge id to the parent */
};

struct graph {
	/* nodes */
	uint32_t n, ncap;
	uint8_t *node_kind;
	int64_t *node_id;
	uint64_t *node_acl;
	uint32_t *slots;        /* node index + 1; 0 = empty */
	uint32_t nslots;        /* a power of two */

	/* edges */
	uint32_t m, mcap;       /* edge ids 0..m-1, removed ones included */
	struct graph_erec *edges;   /* one 16-byte record per edge: one cache miss */
	uint8_t *edge_dead;     /* bit per edge; allocated at the first removal */
	uint32_t ndead;

	/* base CSR */
	uint32_t base_n;
	uint32_t *off;          /* base_n + 1 */
	uint32_t *adj, *adj_eid;

	/* overlay */
	uint32_t *ovl_head;     /* ncap entries (UINT32_MAX = none), NULL while empty */
	struct graph_ovl *ovl;
	uint32_t novl, ovlcap;

	/* bulk loading */
	int bulk;
	uint32_t *pend;         /* pairs */
	uint32_t npend, pendcap;

	/* union-find over every edge (graph_same_network) */
	uint32_t *uf;
	int uf_stale;
};

/*
 * Work area: per-node arrays, two sides (forward and backward searches),
 * each with a generation stamp so a new query does not clear them.
 */
struct graph_work {
	uint32_t cap;
	uint32_t gen;
	struct graph_mark *f, *b;      /* forward and backward sides */
	uint32_t *queue;               /* cap entries */
	uint32_t *queue2;
	double *cost;                  /* Dijkstra */
	uint32_t *heap;                /* Dijkstra: node heap */
	uint32_t *heap_pos;
	uint32_t *ban;                 /* == gen: node banned (Yen) */
	uint64_t *bits;                /* a bit per node, all clear between queries:
	                                  membership tests that stay in cache */
};

/* Makes w fit g (grows arrays) and starts a new generation. */
void graph_work_begin(struct graph_work *w, const struct graph *g);

/* ---- the filter, made quick to test ---------------------------------- */

struct graph_q {
	const struct graph *g;
	const struct graph_filter *f;
	int node_check;    /* anything to check on nodes */
	int edge_check;    /* anything to check on edges */
};

void graph_q_init(struct graph_q *q, const struct graph *g, const struct graph_filter *f);
int graph_q_node_slow(const struct graph_q *q, uint32_t v);
int graph_q_edge_slow(const struct graph_q *q, uint32_t eid, uint32_t a, uint32_t b);

static inline int graph_q_node(const struct graph_q *q, uint32_t v)
{
	return !q->node_check || graph_q_node_slow(q, v);
}

static inline int graph_q_edge(const struct graph_q *q, uint32_t eid, uint32_t a, uint32_t b)
{
	return !q->edge_check || graph_q_edge_slow(q, eid, a, b);
}

static inline int graph_edge_dead(const struct graph *g, uint32_t eid)
{
	return g->ndead && (g->edge_dead[eid >> 3] >> (eid & 7) & 1);
}

/* ---- iterating over a node's adjacency --------------------------------- */

struct graph_it {
	const uint32_t *t, *e;
	uint32_t i, end;
	uint32_t o;
	const struct graph_ovl *ovl;
};

static inline void graph_it_init(struct graph_it *it, const struct graph *g, uint32_t u)
{
	if (u < g->base_n) {
		it->t = g->adj;
		it->e = g->adj_eid;
		it->i = g->off[u];
		it->end = g->off[u + 1];
	} else {
		it->t = it->e = NULL;
		it->i = it->end = 0;
	}
	it->o = g->ovl_head ? g->ovl_head[u] : UINT32_MAX;
	it->ovl = g->ovl;
}

/* Next neighbour v of u through edge eid; 0 at the end.  Removed edges
 * are skipped here. */
static inline int graph_it_next(const struct graph *g, struct graph_it *it, uint32_t *v, uint32_t *eid)
{
	for (;;) {
		if (it->i < it->end) {
			*v = it->t[it->i];
			*eid = it->e[it->i];
			it->i++;
		} else if (it->o != UINT32_MAX) {
			*v = it->ovl[it->o].target;
			*eid = it->ovl[it->o].eid;
			it->o = it->ovl[it->o].next;
		} else {
			return 0;
		}
		if (!graph_edge_dead(g, *eid))
			return 1;
	}
}

/* Fills an edge as queries report it. */
void graph_edge_fill(const struct graph *g, uint32_t eid, uint32_t a, uint32_t b, struct graph_edge *e);

/* Deterministic random numbers (splitmix64), for sampling. */
static inline uint64_t graph_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Bounded search used by paths and steiner (paths.c): the shortest path
 * from src to dst avoiding banned nodes (w->ban == w->gen) and, out of src
 * only, the neighbours in ban_next[0..nban_next).  Unweighted: breadth
 * first, at most max_len steps; weighted: Dijkstra.  Fills the forward
 * arrays of w; returns 1 and the path (malloc'd in *p) when found. */
int graph_path_search(const struct graph_q *q, struct graph_work *w, uint32_t src, uint32_t dst,
	unsigned max_len, const double *kind_weights, const uint32_t *ban_next, size_t nban_next,
	struct graph_path *p);

/* Single-source Dijkstra (or BFS when kind_weights is NULL) over the whole
 * visible graph, forward marks of w (f) and cost.  Used by the
 * Steiner closure.  Starts a new generation. */
void graph_sssp(const struct graph_q *q, struct graph_work *w, uint32_t src, const double *kind_weights);

#endif
