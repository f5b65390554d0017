/*
 * paths.c - shortest paths: a bidirectional breadth-first search bounded in
 * length (unweighted), Dijkstra with a binary heap (weighted), and Yen's k
 * shortest loopless paths on top of either (J. Y. Yen, "Finding the k
 * shortest loopless paths in a network", Management Science 17(11), 1971).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/internal.h"
#include "lib/xalloc.h"

void graph_paths_free(struct graph_paths *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->paths[i].nodes);
		free(p->paths[i].steps);
	}
	free(p->paths);
	memset(p, 0, sizeof(*p));
}

static void path_clear(struct graph_path *p)
{
	free(p->nodes);
	free(p->steps);
	memset(p, 0, sizeof(*p));
}

static int banned_next(uint32_t v, const uint32_t *ban_next, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ban_next[i] == v)
			return 1;
	return 0;
}

/* May the search step from u to v through e? */
static inline int step_ok(const struct graph_q *q, const struct graph_work *w, uint32_t u, uint32_t v,
	uint32_t e, uint32_t src, const uint32_t *ban_next, size_t nban)
{
	if (w->ban[v] == w->gen)
		return 0;
	if (nban) {
		if (u == src && banned_next(v, ban_next, nban))
			return 0;
		if (v == src && banned_next(u, ban_next, nban))
			return 0;
	}
	return graph_q_edge(q, e, u, v) && graph_q_node(q, v);
}

/* Links out of v (the base CSR's count; overlay edges are few and not
 * counted): the cost of expanding v. */
static inline size_t base_degree(const struct graph *g, uint32_t v)
{
	return v < g->base_n ? g->off[v + 1] - g->off[v] : 1;
}

/*
 * Expands one level of one side.  Stops at the first node the other side
 * has reached and returns the path length through it (UINT32_MAX when the
 * level met nothing), with the node in *meet.  Stopping at once is exact:
 * when two level-synchronous searches first meet, every meeting node of
 * that level lies on the other side's frontier (a node the other side had
 * expanded would have met this side one level earlier), so all meetings of
 * the level give the same length.  *next_cost gets the summed degree of the
 * next frontier.
 */
static uint32_t expand_level(const struct graph_q *q, struct graph_work *w, int forward, uint32_t *queue,
	size_t *head, size_t *tail, uint32_t src, const uint32_t *ban_next, size_t nban, uint32_t *meet,
	size_t *next_cost)
{
	const struct graph *g = q->g;
	const uint32_t gen = w->gen;
	struct graph_mark *mk = forward ? w->f : w->b, *omk = forward ? w->b : w->f;
	size_t end = *tail, cost = 0;
	for (; *head < end; (*head)++) {
		uint32_t u = queue[*head], v, e;
		struct graph_it it;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e)) {
			if (mk[v].gen == gen)
				continue;
			/* step_ok is symmetric in u and v but for the checks on v,
			 * the node being entered: it serves both sides. */
			if (!step_ok(q, w, u, v, e, src, ban_next, nban))
				continue;
			mk[v] = (struct graph_mark){ gen, mk[u].dist + 1, u, e };
			queue[(*tail)++] = v;
			cost += base_degree(g, v);
			if (omk[v].gen == gen) {
				*meet = v;
				return mk[v].dist + omk[v].dist;
			}
		}
	}
	*next_cost = cost;
	return UINT32_MAX;
}

/* Unweighted, bidirectional, at most max_len steps.  w must be begun. */
static int search_bfs(const struct graph_q *q, struct graph_work *w, uint32_t src, uint32_t dst,
	unsigned max_len, const uint32_t *ban_next, size_t nban, struct graph_path *p)
{
	const struct graph *g = q->g;
	const uint32_t gen = w->gen;
	size_t fh = 0, ft = 0, bh = 0, bt = 0;
	size_t fcost = base_degree(g, src), bcost = base_degree(g, dst);
	uint32_t df = 0, db = 0, meet = GRAPH_NONE, best = UINT32_MAX;
	memset(p, 0, sizeof(*p));
	w->f[src].gen = gen;
	w->f[src].dist = 0;
	w->queue[ft++] = src;
	w->b[dst].gen = gen;
	w->b[dst].dist = 0;
	w->queue2[bt++] = dst;
	if (src == dst)
		return 0;
	while (fh < ft && bh < bt && df + db < max_len) {
		/* Grow the side whose frontier has fewer links to follow (a
		 * frontier of one hub is costlier than one of a hundred
		 * ordinary nodes). */
		if (fcost <= bcost) {
			best = expand_level(q, w, 1, w->queue, &fh, &ft, src, ban_next, nban, &meet, &fcost);
			df++;
		} else {
			best = expand_level(q, w, 0, w->queue2, &bh, &bt, src, ban_next, nban, &meet, &bcost);
			db++;
		}
		if (best != UINT32_MAX)
			break;
	}
	if (best == UINT32_MAX || best > max_len)
		return 0;
	p->len = best;
	p->cost = best;
	p->nodes = xmalloc((best + 1) * sizeof(*p->nodes));
	p->steps = xmalloc(best * sizeof(*p->steps));
	size_t i = w->f[meet].dist;
	p->nodes[i] = meet;
	for (uint32_t v = meet; v != src; v = w->f[v].par) {
		i--;
		p->nodes[i] = w->f[v].par;
		graph_edge_fill(g, w->f[v].pe, w->f[v].par, v, &p->steps[i]);
	}
	i = w->f[meet].dist;
	for (uint32_t v = meet; v != dst; v = w->b[v].par) {
		graph_edge_fill(g, w->b[v].pe, v, w->b[v].par, &p->steps[i]);
		i++;
		p->nodes[i] = w->b[v].par;
	}
	return 1;
}

/* ---- Dijkstra ------------------------------------------------------------ */

static void heap_up(struct graph_work *w, size_t i)
{
	uint32_t v = w->heap[i];
	double c = w->cost[v];
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (w->cost[w->heap[p]] <= c)
			break;
		w->heap[i] = w->heap[p];
		w->heap_pos[w->heap[i]] = (uint32_t)i;
		i = p;
	}
	w->heap[i] = v;
	w->heap_pos[v] = (uint32_t)i;
}

static uint32_t heap_pop(struct graph_work *w, size_t *n)
{
	uint32_t top = w->heap[0];
	uint32_t v = w->heap[--*n];
	double c = w->cost[v];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, s;
		if (l >= *n)
			break;
		s = l + 1 < *n && w->cost[w->heap[l + 1]] < w->cost[w->heap[l]] ? l + 1 : l;
		if (w->cost[w->heap[s]] >= c)
			break;
		w->heap[i] = w->heap[s];
		w->heap_pos[w->heap[i]] = (uint32_t)i;
		i = s;
	}
	if (*n > 0) {
		w->heap[i] = v;
		w->heap_pos[v] = (uint32_t)i;
	}
	w->heap_pos[top] = UINT32_MAX;
	return top;
}

/* Dijkstra from src until dst is settled (dst == GRAPH_NONE: everything
 * reachable).  Fills the forward marks (f) and cost; the backward marks'
 * gen (b[v].gen) flags settled nodes.  w must be begun. */
static void dijkstra(const struct graph_q *q, struct graph_work *w, uint32_t src, uint32_t dst,
	const double *kw, const uint32_t *ban_next, size_t nban)
{
	const struct graph *g = q->g;
	const uint32_t gen = w->gen;
	size_t n = 0;
	w->f[src].gen = gen;
	w->cost[src] = 0;
	w->f[src].dist = 0;
	w->f[src].par = GRAPH_NONE;
	w->heap[n++] = src;
	w->heap_pos[src] = 0;
	while (n > 0) {
		uint32_t u = heap_pop(w, &n), v, e;
		w->b[u].gen = gen;
		if (u == dst)
			return;
		struct graph_it it;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e)) {
			if (w->b[v].gen == gen || !step_ok(q, w, u, v, e, src, ban_next, nban))
				continue;
			double c = w->cost[u] + kw[g->edges[e].kind];
			if (w->f[v].gen != gen) {
				w->f[v].gen = gen;
				w->cost[v] = c;
				w->f[v].dist = w->f[u].dist + 1;
				w->f[v].par = u;
				w->f[v].pe = e;
				w->heap[n] = v;
				heap_up(w, n++);
			} else if (c < w->cost[v]) {
				w->cost[v] = c;
				w->f[v].dist = w->f[u].dist + 1;
				w->f[v].par = u;
				w->f[v].pe = e;
				heap_up(w, w->heap_pos[v]);
			}
		}
	}
}

/* The path to dst from the forward arrays of a finished search. */
static void path_from_tree(const struct graph *g, const struct graph_work *w, uint32_t src, uint32_t dst,
	struct graph_path *p)
{
	size_t len = w->f[dst].dist;
	p->len = len;
	p->cost = w->cost[dst];
	p->nodes = xmalloc((len + 1) * sizeof(*p->nodes));
	p->steps = xmalloc((len ? len : 1) * sizeof(*p->steps));
	p->nodes[len] = dst;
	for (uint32_t v = dst; v != src; v = w->f[v].par) {
		len--;
		p->nodes[len] = w->f[v].par;
		graph_edge_fill(g, w->f[v].pe, w->f[v].par, v, &p->steps[len]);
	}
}

int graph_path_search(const struct graph_q *q, struct graph_work *w, uint32_t src, uint32_t dst,
	unsigned max_len, const double *kind_weights, const uint32_t *ban_next, size_t nban_next,
	struct graph_path *p)
{
	memset(p, 0, sizeof(*p));
	if (!kind_weights)
		return search_bfs(q, w, src, dst, max_len, ban_next, nban_next, p);
	dijkstra(q, w, src, dst, kind_weights, ban_next, nban_next);
	if (w->b[dst].gen != w->gen || w->f[dst].dist > max_len)
		return 0;
	path_from_tree(q->g, w, src, dst, p);
	return 1;
}

void graph_sssp(const struct graph_q *q, struct graph_work *w, uint32_t src, const double *kind_weights)
{
	graph_work_begin(w, q->g);
	if (kind_weights) {
		dijkstra(q, w, src, GRAPH_NONE, kind_weights, NULL, 0);
		return;
	}
	const struct graph *g = q->g;
	const uint32_t gen = w->gen;
	size_t head = 0, tail = 0;
	w->f[src].gen = gen;
	w->f[src].dist = 0;
	w->cost[src] = 0;
	w->queue[tail++] = src;
	while (head < tail) {
		uint32_t u = w->queue[head++], v, e;
		struct graph_it it;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e)) {
			if (w->f[v].gen == gen || !graph_q_edge(q, e, u, v) || !graph_q_node(q, v))
				continue;
			w->f[v].gen = gen;
			w->f[v].dist = w->f[u].dist + 1;
			w->cost[v] = w->f[v].dist;
			w->f[v].par = u;
			w->f[v].pe = e;
			w->queue[tail++] = v;
		}
	}
}

/* ---- Yen ------------------------------------------------------------------- */

static int same_nodes(const struct graph_path *a, const struct graph_path *b)
{
	return a->len == b->len && !memcmp(a->nodes, b->nodes, (a->len + 1) * sizeof(*a->nodes));
}

/* Orders candidates: cost, then steps, then node sequence (deterministic). */
static int path_less(const struct graph_path *a, const struct graph_path *b)
{
	if (a->cost != b->cost)
		return a->cost < b->cost;
	if (a->len != b->len)
		return a->len < b->len;
	return memcmp(a->nodes, b->nodes, (a->len + 1) * sizeof(*a->nodes)) < 0;
}

static double step_weight(const double *kw, const struct graph_edge *e)
{
	return kw ? kw[e->kind] : 1.0;
}

int graph_shortest_paths(const struct graph *g, struct graph_work *w, uint32_t src, uint32_t dst,
	const struct graph_path_opts *o, struct graph_paths *out, struct error *err)
{
	struct graph_q q;
	memset(out, 0, sizeof(*out));
	if (o->k < 1 || o->k > GRAPH_MAX_K)
		return error_set(err, ERR_BAD_REQUEST, "k must be between 1 and %d", GRAPH_MAX_K);
	if (o->max_len < 1 || o->max_len > GRAPH_MAX_PATH_LEN)
		return error_set(err, ERR_BAD_REQUEST, "the maximum length must be between 1 and %d",
			GRAPH_MAX_PATH_LEN);
	if (o->kind_weights)
		for (int k = 0; k < GRAPH_EDGE_KINDS; k++)
			if (!(o->kind_weights[k] > 0) || !isfinite(o->kind_weights[k]))
				return error_set(err, ERR_BAD_REQUEST, "edge weights must be positive");
	graph_q_init(&q, g, &o->filter);
	if (src >= g->n || dst >= g->n || !graph_q_node(&q, src) || !graph_q_node(&q, dst))
		return error_set(err, ERR_NOT_FOUND, "no such node");
	if (src == dst)
		return error_set(err, ERR_BAD_REQUEST, "a path joins two different nodes");

	struct graph_path first;
	graph_work_begin(w, g);
	if (!graph_path_search(&q, w, src, dst, o->max_len, o->kind_weights, NULL, 0, &first))
		return 0;
	out->paths = xcalloc(o->k, sizeof(*out->paths));
	out->paths[out->n++] = first;

	struct graph_path *cand = NULL;
	size_t ncand = 0, candcap = 0;
	uint32_t ban_next[GRAPH_MAX_K];
	while (out->n < o->k) {
		const struct graph_path *prev = &out->paths[out->n - 1];
		double root_cost = 0;
		for (size_t i = 0; i < prev->len; i++) {
			uint32_t spur = prev->nodes[i];
			size_t nban = 0;
			/* The next step of every path found so far that shares this root. */
			for (size_t j = 0; j < out->n; j++) {
				const struct graph_path *a = &out->paths[j];
				if (a->len > i && !memcmp(a->nodes, prev->nodes, (i + 1) * sizeof(*a->nodes))
					&& !banned_next(a->nodes[i + 1], ban_next, nban))
					ban_next[nban++] = a->nodes[i + 1];
			}
			graph_work_begin(w, g);
			for (size_t j = 0; j < i; j++)
				w->ban[prev->nodes[j]] = w->gen;
			struct graph_path spur_path;
			if (graph_path_search(&q, w, spur, dst, o->max_len - (unsigned)i, o->kind_weights,
				    ban_next, nban, &spur_path)) {
				struct graph_path c;
				c.len = i + spur_path.len;
				c.cost = root_cost + spur_path.cost;
				c.nodes = xmalloc((c.len + 1) * sizeof(*c.nodes));
				c.steps = xmalloc(c.len * sizeof(*c.steps));
				memcpy(c.nodes, prev->nodes, i * sizeof(*c.nodes));
				memcpy(c.nodes + i, spur_path.nodes, (spur_path.len + 1) * sizeof(*c.nodes));
				memcpy(c.steps, prev->steps, i * sizeof(*c.steps));
				memcpy(c.steps + i, spur_path.steps, spur_path.len * sizeof(*c.steps));
				path_clear(&spur_path);
				int dup = 0;
				for (size_t j = 0; j < ncand && !dup; j++)
					dup = same_nodes(&cand[j], &c);
				for (size_t j = 0; j < out->n && !dup; j++)
					dup = same_nodes(&out->paths[j], &c);
				if (dup) {
					path_clear(&c);
				} else {
					if (ncand == candcap) {
						candcap = candcap ? candcap * 2 : 16;
						cand = xreallocarray(cand, candcap, sizeof(*cand));
					}
					cand[ncand++] = c;
				}
			}
			root_cost += step_weight(o->kind_weights, &prev->steps[i]);
		}
		if (!ncand)
			break;
		size_t best = 0;
		for (size_t j = 1; j < ncand; j++)
			if (path_less(&cand[j], &cand[best]))
				best = j;
		out->paths[out->n++] = cand[best];
		cand[best] = cand[--ncand];
	}
	for (size_t j = 0; j < ncand; j++)
		path_clear(&cand[j]);
	free(cand);
	return 0;
}
