/*
 * components.c - the networks: connected components of the graph as a
 * filter lets it be seen, each with its size, edges, first and last date and
 * node kinds, and a hook for what the caller gathers per network (species,
 * countries).
 */
#include <stdlib.h>
#include <string.h>

#include "graph/internal.h"
#include "lib/xalloc.h"

void graph_components_free(struct graph_components *c)
{
	if (!c)
		return;
	free(c->comps);
	free(c->comp_of);
	memset(c, 0, sizeof(*c));
}

static int comp_cmp(const void *pa, const void *pb)
{
	const struct graph_component *a = pa, *b = pb;
	if (a->nnodes != b->nnodes)
		return a->nnodes > b->nnodes ? -1 : 1;
	return (a->first_node > b->first_node) - (a->first_node < b->first_node);
}

int graph_components(const struct graph *g, struct graph_work *w, const struct graph_filter *f,
	size_t min_size, graph_component_visit_fn *visit, void *ctx, struct graph_components *out,
	struct error *err)
{
	struct graph_q q;
	memset(out, 0, sizeof(*out));
	graph_q_init(&q, g, f);
	graph_work_begin(w, g);
	const uint32_t n = g->n;
	uint32_t *comp_of = xmalloc(((size_t)n ? n : 1) * sizeof(*comp_of));
	memset(comp_of, 0xff, (size_t)n * sizeof(*comp_of));
	struct graph_component *comps = NULL;
	size_t ncomp = 0, cap = 0;
	uint32_t *queue = w->queue;

	for (uint32_t s = 0; s < n; s++) {
		if (comp_of[s] != GRAPH_NONE || !graph_q_node(&q, s))
			continue;
		if (ncomp == UINT32_MAX - 1)
			break;
		uint32_t id = (uint32_t)ncomp;
		struct graph_component c;
		memset(&c, 0, sizeof(c));
		c.first_node = s;
		c.first_date = c.last_date = GRAPH_DATE_NONE;
		size_t head = 0, tail = 0, half_edges = 0;
		queue[tail++] = s;
		comp_of[s] = id;
		while (head < tail) {
			uint32_t u = queue[head++], v, e;
			struct graph_it it;
			c.kind_count[g->node_kind[u]]++;
			graph_it_init(&it, g, u);
			while (graph_it_next(g, &it, &v, &e)) {
				if (!graph_q_edge(&q, e, u, v))
					continue;
				if (comp_of[v] == GRAPH_NONE) {
					if (!graph_q_node(&q, v))
						continue;
					comp_of[v] = id;
					queue[tail++] = v;
				}
				half_edges++;
				int32_t d = g->edges[e].date;
				if (d != GRAPH_DATE_NONE) {
					if (c.first_date == GRAPH_DATE_NONE || d < c.first_date)
						c.first_date = d;
					if (c.last_date == GRAPH_DATE_NONE || d > c.last_date)
						c.last_date = d;
				}
			}
		}
		c.nnodes = tail;
		c.nedges = half_edges / 2;
		if (ncomp == cap) {
			cap = cap ? cap * 2 : 64;
			comps = xreallocarray(comps, cap, sizeof(*comps));
		}
		comps[ncomp++] = c;
	}

	/* Keep the large enough ones, largest first; renumber comp_of. */
	uint32_t *rank = xmalloc((ncomp ? ncomp : 1) * sizeof(*rank));
	size_t kept = 0;
	for (size_t i = 0; i < ncomp; i++)
		if (comps[i].nnodes >= min_size)
			comps[kept++] = comps[i];
	if (kept > 1)
		qsort(comps, kept, sizeof(*comps), comp_cmp);
	/* Old ids were given in order of first_node: find them back. */
	for (size_t i = 0; i < ncomp; i++)
		rank[i] = GRAPH_NONE;
	for (size_t i = 0; i < kept; i++)
		rank[comp_of[comps[i].first_node]] = (uint32_t)i;
	for (uint32_t v = 0; v < n; v++)
		if (comp_of[v] != GRAPH_NONE)
			comp_of[v] = rank[comp_of[v]];
	free(rank);

	out->comps = comps;
	out->n = kept;
	out->comp_of = comp_of;
	out->nnodes = n;
	if (visit)
		for (uint32_t v = 0; v < n; v++)
			if (comp_of[v] != GRAPH_NONE)
				visit(ctx, comp_of[v], g, v);
	(void)err;
	return 0;
}
