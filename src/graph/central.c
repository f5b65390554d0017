/*
 * central.c - key actors of a network: degree and betweenness.
 *
 * The network (a set of nodes, usually one component) is first copied into
 * a small local CSR of its visible nodes and edges, parallel edges merged,
 * so the algorithms run on dense local indexes.  Betweenness is Brandes'
 * algorithm (U. Brandes, "A faster algorithm for betweenness centrality",
 * J. Math. Sociology 25(2), 2001): one breadth-first search per source and
 * a dependency accumulation in reverse order.  Sampling for large networks
 * follows Brandes and Pich ("Centrality estimation in large networks",
 * Int. J. Bifurcation and Chaos 17(7), 2007): uniform random sources, the
 * sum scaled by n / samples.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/internal.h"
#include "lib/xalloc.h"

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int graph_centrality(const struct graph *g, struct graph_work *w, const uint32_t *nodes, size_t n,
	const struct graph_filter *f, size_t samples, uint64_t seed, uint32_t *degree,
	double *betweenness, int *exact, struct error *err)
{
	struct graph_q q;
	graph_q_init(&q, g, f);
	for (size_t i = 0; i < n; i++)
		if (nodes[i] >= g->n)
			return error_set(err, ERR_NOT_FOUND, "no such node");
	graph_work_begin(w, g);
	const uint32_t gen = w->gen;
	/* global -> local index in w->f[v].dist, valid where w->f[v].gen == gen */
	uint32_t *glob = xmalloc((n ? n : 1) * sizeof(*glob));
	uint32_t nl = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = nodes[i];
		if (w->f[v].gen == gen || !graph_q_node(&q, v))
			continue;
		w->f[v].gen = gen;
		w->f[v].dist = nl;
		glob[nl++] = v;
	}

	/* The local CSR, neighbours sorted and unique. */
	uint32_t *off = xcalloc((size_t)nl + 1, sizeof(*off));
	size_t nadj = 0, adjcap = 256;
	uint32_t *adj = xmalloc(adjcap * sizeof(*adj));
	for (uint32_t i = 0; i < nl; i++) {
		uint32_t u = glob[i], v, e;
		struct graph_it it;
		size_t from = nadj;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e)) {
			if (w->f[v].gen != gen || !graph_q_edge(&q, e, u, v))
				continue;
			if (nadj == adjcap) {
				adjcap *= 2;
				adj = xreallocarray(adj, adjcap, sizeof(*adj));
			}
			adj[nadj++] = w->f[v].dist;
		}
		if (nadj - from > 1)
			qsort(adj + from, nadj - from, sizeof(*adj), u32_cmp);
		size_t k = from;
		for (size_t j = from; j < nadj; j++)
			if (j == from || adj[j] != adj[j - 1])
				adj[k++] = adj[j];
		nadj = k;
		off[i + 1] = (uint32_t)nadj;
	}

	double *bc = xcalloc((size_t)nl + 1, sizeof(*bc));
	int is_exact = samples == 0 || samples >= nl;
	if (betweenness && nl > 2) {
		double *sigma = xmalloc((size_t)nl * sizeof(*sigma));
		double *delta = xmalloc((size_t)nl * sizeof(*delta));
		int32_t *dist = xmalloc((size_t)nl * sizeof(*dist));
		uint32_t *order = xmalloc((size_t)nl * sizeof(*order));
		uint32_t *src = xmalloc((size_t)nl * sizeof(*src));
		size_t nsrc = nl;
		for (uint32_t i = 0; i < nl; i++)
			src[i] = i;
		if (!is_exact) {
			/* The first `samples` of a partial Fisher-Yates shuffle. */
			uint64_t s = seed;
			for (size_t i = 0; i < samples; i++) {
				size_t j = i + (size_t)(graph_rand(&s) % (nl - i));
				uint32_t t = src[i];
				src[i] = src[j];
				src[j] = t;
			}
			nsrc = samples;
		}
		for (size_t si = 0; si < nsrc; si++) {
			uint32_t s = src[si];
			for (uint32_t i = 0; i < nl; i++) {
				dist[i] = -1;
				sigma[i] = 0;
				delta[i] = 0;
			}
			size_t head = 0, tail = 0;
			order[tail++] = s;
			dist[s] = 0;
			sigma[s] = 1;
			while (head < tail) {
				uint32_t u = order[head++];
				for (uint32_t j = off[u]; j < off[u + 1]; j++) {
					uint32_t v = adj[j];
					if (dist[v] < 0) {
						dist[v] = dist[u] + 1;
						order[tail++] = v;
					}
					if (dist[v] == dist[u] + 1)
						sigma[v] += sigma[u];
				}
			}
			/* Dependencies in reverse order of distance; the predecessors
			 * of x are its neighbours one step closer to s. */
			for (size_t i = tail; i-- > 1;) {
				uint32_t x = order[i];
				double c = (1.0 + delta[x]) / sigma[x];
				for (uint32_t j = off[x]; j < off[x + 1]; j++) {
					uint32_t v = adj[j];
					if (dist[v] == dist[x] - 1)
						delta[v] += sigma[v] * c;
				}
				bc[x] += delta[x];
			}
		}
		/* Each unordered pair was counted from both ends (exact case). */
		double scale = 0.5;
		if (!is_exact)
			scale *= (double)nl / (double)nsrc;
		for (uint32_t i = 0; i < nl; i++)
			bc[i] *= scale;
		free(sigma);
		free(delta);
		free(dist);
		free(order);
		free(src);
	}

	for (size_t i = 0; i < n; i++) {
		uint32_t v = nodes[i];
		int vis = w->f[v].gen == gen;
		if (degree)
			degree[i] = vis ? off[w->f[v].dist + 1] - off[w->f[v].dist] : 0;
		if (betweenness)
			betweenness[i] = vis ? bc[w->f[v].dist] : 0;
	}
	if (exact)
		*exact = is_exact;
	free(bc);
	free(off);
	free(adj);
	free(glob);
	return 0;
}
