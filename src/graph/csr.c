/*
 * csr.c - the graph's storage: nodes and their (kind, id) table, edges, the
 * base CSR, the overlay of recent edges, compaction, the union-find of
 * networks, work areas and the compiled filter.  See graph.h and internal.h.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/internal.h"
#include "lib/xalloc.h"

/* ---- nodes and their table --------------------------------------------- */

static uint32_t hash_ref(unsigned kind, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)kind << 56);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static void table_insert(struct graph *g, uint32_t node)
{
	uint32_t mask = g->nslots - 1;
	uint32_t s = hash_ref(g->node_kind[node], g->node_id[node]) & mask;
	while (g->slots[s])
		s = (s + 1) & mask;
	g->slots[s] = node + 1;
}

static void table_grow(struct graph *g, uint32_t want)
{
	uint32_t n = g->nslots ? g->nslots : 64;
	while (n / 2 < want)
		n *= 2;
	if (n == g->nslots)
		return;
	free(g->slots);
	g->slots = xcalloc(n, sizeof(*g->slots));
	g->nslots = n;
	for (uint32_t i = 0; i < g->n; i++)
		table_insert(g, i);
}

uint32_t graph_lookup(const struct graph *g, enum graph_node_kind kind, int64_t id)
{
	if (!g->nslots)
		return GRAPH_NONE;
	uint32_t mask = g->nslots - 1;
	uint32_t s = hash_ref(kind, id) & mask;
	for (; g->slots[s]; s = (s + 1) & mask) {
		uint32_t v = g->slots[s] - 1;
		if (g->node_id[v] == id && g->node_kind[v] == (uint8_t)kind)
			return v;
	}
	return GRAPH_NONE;
}

static void nodes_reserve(struct graph *g, size_t want)
{
	if (want <= g->ncap)
		return;
	size_t cap = g->ncap ? g->ncap : 64;
	while (cap < want)
		cap *= 2;
	g->node_kind = xreallocarray(g->node_kind, cap, sizeof(*g->node_kind));
	g->node_id = xreallocarray(g->node_id, cap, sizeof(*g->node_id));
	g->node_acl = xreallocarray(g->node_acl, cap, sizeof(*g->node_acl));
	if (g->ovl_head) {
		g->ovl_head = xreallocarray(g->ovl_head, cap, sizeof(*g->ovl_head));
		memset(g->ovl_head + g->ncap, 0xff, (cap - g->ncap) * sizeof(*g->ovl_head));
	}
	if (g->uf)
		g->uf = xreallocarray(g->uf, cap, sizeof(*g->uf));
	g->ncap = (uint32_t)cap;
}

uint32_t graph_add_node(struct graph *g, enum graph_node_kind kind, int64_t id, uint64_t acl)
{
	uint32_t v = graph_lookup(g, kind, id);
	if (v != GRAPH_NONE) {
		g->node_acl[v] = acl;
		return v;
	}
	nodes_reserve(g, (size_t)g->n + 1);
	if ((size_t)(g->n + 1) * 2 > g->nslots)
		table_grow(g, g->n + 1);
	v = g->n++;
	g->node_kind[v] = (uint8_t)kind;
	g->node_id[v] = id;
	g->node_acl[v] = acl;
	if (g->uf)
		g->uf[v] = v;
	table_insert(g, v);
	return v;
}

uint32_t graph_lookup_visible(const struct graph *g, enum graph_node_kind kind, int64_t id,
	const struct graph_filter *f, struct error *err)
{
	uint32_t v = graph_lookup(g, kind, id);
	struct graph_q q;
	graph_q_init(&q, g, f);
	if (v == GRAPH_NONE || !graph_q_node(&q, v)) {
		error_set(err, ERR_NOT_FOUND, "no such node");
		return GRAPH_NONE;
	}
	return v;
}

struct graph_node_ref graph_node(const struct graph *g, uint32_t node)
{
	struct graph_node_ref r = { GRAPH_SEIZURE, 0 };
	if (node < g->n) {
		r.kind = (enum graph_node_kind)g->node_kind[node];
		r.id = g->node_id[node];
	}
	return r;
}

uint64_t graph_node_acl(const struct graph *g, uint32_t node)
{
	return node < g->n ? g->node_acl[node] : 0;
}

void graph_set_node_acl(struct graph *g, uint32_t node, uint64_t acl)
{
	if (node < g->n)
		g->node_acl[node] = acl;
}

/* ---- the graph --------------------------------------------------------- */

struct graph *graph_new(size_t nodes_hint, size_t edges_hint)
{
	struct graph *g = xcalloc(1, sizeof(*g));
	if (nodes_hint > UINT32_MAX / 4)
		nodes_hint = UINT32_MAX / 4;
	nodes_reserve(g, nodes_hint ? nodes_hint : 64);
	table_grow(g, (uint32_t)(nodes_hint ? nodes_hint : 32));
	if (edges_hint) {
		if (edges_hint > UINT32_MAX / 4)
			edges_hint = UINT32_MAX / 4;
		g->mcap = (uint32_t)edges_hint;
		g->edges = xmalloc(edges_hint * sizeof(*g->edges));
	}
	g->off = xcalloc(1, sizeof(*g->off));
	return g;
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	free(g->node_kind);
	free(g->node_id);
	free(g->node_acl);
	free(g->slots);
	free(g->edges);
	free(g->edge_dead);
	free(g->off);
	free(g->adj);
	free(g->adj_eid);
	free(g->ovl_head);
	free(g->ovl);
	free(g->pend);
	free(g->uf);
	free(g);
}

size_t graph_node_count(const struct graph *g)
{
	return g->n;
}

size_t graph_edge_count(const struct graph *g)
{
	return g->m - g->ndead;
}

size_t graph_overlay_size(const struct graph *g)
{
	return g->novl / 2 + g->ndead;
}

size_t graph_memory(const struct graph *g)
{
	size_t b = sizeof(*g);
	b += (size_t)g->ncap * (sizeof(uint8_t) + sizeof(int64_t) + sizeof(uint64_t));
	b += (size_t)g->nslots * sizeof(uint32_t);
	b += (size_t)g->mcap * sizeof(struct graph_erec);
	if (g->edge_dead)
		b += ((size_t)g->mcap + 7) / 8;
	b += ((size_t)g->base_n + 1) * sizeof(uint32_t);
	if (g->base_n)
		b += (size_t)g->off[g->base_n] * 2 * sizeof(uint32_t);
	if (g->ovl_head)
		b += (size_t)g->ncap * sizeof(uint32_t);
	b += (size_t)g->ovlcap * sizeof(struct graph_ovl);
	b += (size_t)g->pendcap * sizeof(uint32_t);
	if (g->uf)
		b += (size_t)g->ncap * sizeof(uint32_t);
	return b;
}

/* ---- union-find ---------------------------------------------------------- */

static uint32_t uf_find(uint32_t *uf, uint32_t x)
{
	while (uf[x] != x) {
		uf[x] = uf[uf[x]];
		x = uf[x];
	}
	return x;
}

static void uf_union(uint32_t *uf, uint32_t a, uint32_t b)
{
	a = uf_find(uf, a);
	b = uf_find(uf, b);
	if (a != b) {
		if (a < b)
			uf[b] = a;
		else
			uf[a] = b;
	}
}

static void uf_rebuild(struct graph *g)
{
	if (!g->uf)
		g->uf = xmalloc((size_t)g->ncap * sizeof(*g->uf));
	for (uint32_t i = 0; i < g->n; i++)
		g->uf[i] = i;
	for (uint32_t u = 0; u < g->n; u++) {
		struct graph_it it;
		uint32_t v, e;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e))
			if (u < v)
				uf_union(g->uf, u, v);
	}
	for (uint32_t i = 0; i < g->npend; i++)
		uf_union(g->uf, g->pend[2 * i], g->pend[2 * i + 1]);
	g->uf_stale = 0;
}

int graph_same_network(struct graph *g, uint32_t a, uint32_t b)
{
	if (a >= g->n || b >= g->n)
		return 0;
	if (!g->uf || g->uf_stale)
		uf_rebuild(g);
	return uf_find(g->uf, a) == uf_find(g->uf, b);
}

/* ---- edges --------------------------------------------------------------- */

static void edges_reserve(struct graph *g, size_t want)
{
	if (want <= g->mcap)
		return;
	size_t cap = g->mcap ? g->mcap : 64;
	while (cap < want)
		cap += cap / 2 + 64;
	g->edges = xreallocarray(g->edges, cap, sizeof(*g->edges));
	if (g->edge_dead) {
		g->edge_dead = xrealloc(g->edge_dead, (cap + 7) / 8);
		memset(g->edge_dead + (g->mcap + 7) / 8, 0, (cap + 7) / 8 - (g->mcap + 7) / 8);
	}
	g->mcap = (uint32_t)cap;
}

static void ovl_push(struct graph *g, uint32_t u, uint32_t v, uint32_t eid)
{
	if (!g->ovl_head) {
		g->ovl_head = xmalloc((size_t)g->ncap * sizeof(*g->ovl_head));
		memset(g->ovl_head, 0xff, (size_t)g->ncap * sizeof(*g->ovl_head));
	}
	if (g->novl == g->ovlcap) {
		g->ovlcap = g->ovlcap ? g->ovlcap * 2 : 64;
		g->ovl = xreallocarray(g->ovl, g->ovlcap, sizeof(*g->ovl));
	}
	/* Appended at the head: the newest edge is seen first. */
	g->ovl[g->novl] = (struct graph_ovl){ v, eid, g->ovl_head[u] };
	g->ovl_head[u] = g->novl++;
}

int graph_add_edge(struct graph *g, uint32_t a, uint32_t b, unsigned kind, int32_t date,
	uint64_t record, struct error *err)
{
	if (a >= g->n || b >= g->n)
		return error_set(err, ERR_BAD_REQUEST, "edge end out of range");
	if (a == b)
		return error_set(err, ERR_BAD_REQUEST, "an edge joins two different nodes");
	if (kind >= GRAPH_EDGE_KINDS)
		return error_set(err, ERR_BAD_REQUEST, "edge kind %u out of range", kind);
	if (g->m == UINT32_MAX - 1)
		return error_set(err, ERR_TOO_LARGE, "too many edges");
	edges_reserve(g, (size_t)g->m + 1);
	uint32_t e = g->m++;
	g->edges[e].kind = (uint8_t)kind;
	g->edges[e].date = date;
	g->edges[e].record = record;
	if (g->bulk) {
		if (g->npend * 2 + 2 > g->pendcap) {
			g->pendcap = g->pendcap ? g->pendcap + g->pendcap / 2 : 1024;
			g->pend = xreallocarray(g->pend, g->pendcap, sizeof(*g->pend));
		}
		g->pend[g->npend * 2] = a;
		g->pend[g->npend * 2 + 1] = b;
		g->npend++;
	} else {
		ovl_push(g, a, b, e);
		ovl_push(g, b, a, e);
	}
	if (g->uf && !g->uf_stale)
		uf_union(g->uf, a, b);
	return 0;
}

size_t graph_remove_edge(struct graph *g, uint32_t a, uint32_t b, uint64_t record)
{
	if (a >= g->n || b >= g->n)
		return 0;
	size_t removed = 0;
	struct graph_it it;
	uint32_t v, e;
	graph_it_init(&it, g, a);
	while (graph_it_next(g, &it, &v, &e)) {
		if (v != b || g->edges[e].record != record)
			continue;
		if (!g->edge_dead)
			g->edge_dead = xcalloc(((size_t)g->mcap + 7) / 8, 1);
		g->edge_dead[e >> 3] |= (uint8_t)(1u << (e & 7));
		g->ndead++;
		removed++;
	}
	if (removed)
		g->uf_stale = 1;
	return removed;
}

void graph_bulk_begin(struct graph *g)
{
	g->bulk = 1;
}

void graph_bulk_end(struct graph *g)
{
	graph_compact(g);
}

void graph_compact(struct graph *g)
{
	uint32_t n = g->n;
	/* New edge ids: the live edges in their old order. */
	uint32_t *newid = NULL;
	uint32_t m2 = g->m;
	if (g->ndead) {
		newid = xmalloc((size_t)g->m * sizeof(*newid));
		m2 = 0;
		for (uint32_t e = 0; e < g->m; e++)
			newid[e] = graph_edge_dead(g, e) ? UINT32_MAX : m2++;
	}
	uint32_t *off = xcalloc((size_t)n + 1, sizeof(*off));
	for (uint32_t u = 0; u < n; u++) {
		struct graph_it it;
		uint32_t v, e, d = 0;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e))
			d++;
		off[u + 1] = d;
	}
	for (uint32_t i = 0; i < g->npend; i++) {
		off[g->pend[2 * i] + 1]++;
		off[g->pend[2 * i + 1] + 1]++;
	}
	for (uint32_t u = 0; u < n; u++)
		off[u + 1] += off[u];
	size_t total = off[n];
	uint32_t *adj = xmalloc((total ? total : 1) * sizeof(*adj));
	uint32_t *adj_eid = xmalloc((total ? total : 1) * sizeof(*adj_eid));
	uint32_t *fill = xmalloc(((size_t)n + 1) * sizeof(*fill));
	memcpy(fill, off, ((size_t)n + 1) * sizeof(*fill));
	for (uint32_t u = 0; u < n; u++) {
		struct graph_it it;
		uint32_t v, e;
		graph_it_init(&it, g, u);
		while (graph_it_next(g, &it, &v, &e)) {
			adj[fill[u]] = v;
			adj_eid[fill[u]++] = newid ? newid[e] : e;
		}
	}
	/* Pending edges have the ids after every edge in an adjacency. */
	uint32_t pend_first = g->m - g->npend;
	for (uint32_t i = 0; i < g->npend; i++) {
		uint32_t a = g->pend[2 * i], b = g->pend[2 * i + 1];
		uint32_t e = newid ? newid[pend_first + i] : pend_first + i;
		adj[fill[a]] = b;
		adj_eid[fill[a]++] = e;
		adj[fill[b]] = a;
		adj_eid[fill[b]++] = e;
	}
	free(fill);
	if (newid) {
		for (uint32_t e = 0; e < g->m; e++) {
			uint32_t k = newid[e];
			if (k == UINT32_MAX)
				continue;
			g->edges[k] = g->edges[e];
		}
		free(newid);
		free(g->edge_dead);
		g->edge_dead = NULL;
		g->ndead = 0;
		g->m = m2;
	}
	free(g->off);
	free(g->adj);
	free(g->adj_eid);
	g->off = off;
	g->adj = adj;
	g->adj_eid = adj_eid;
	g->base_n = n;
	free(g->ovl_head);
	free(g->ovl);
	g->ovl_head = NULL;
	g->ovl = NULL;
	g->novl = g->ovlcap = 0;
	free(g->pend);
	g->pend = NULL;
	g->npend = g->pendcap = 0;
	g->bulk = 0;
	g->uf_stale = 1;
}

void graph_edge_fill(const struct graph *g, uint32_t eid, uint32_t a, uint32_t b, struct graph_edge *e)
{
	e->a = a;
	e->b = b;
	e->kind = g->edges[eid].kind;
	e->date = g->edges[eid].date;
	e->record = g->edges[eid].record;
}

/* ---- the filter ---------------------------------------------------------- */

void graph_q_init(struct graph_q *q, const struct graph *g, const struct graph_filter *f)
{
	static const struct graph_filter all = GRAPH_FILTER_ALL;
	if (!f)
		f = &all;
	q->g = g;
	q->f = f;
	q->node_check = f->acl != GRAPH_ACL_ALL || f->node_kinds != 0 || f->node_visible != NULL;
	q->edge_check = f->edge_kinds != 0 || f->has_dates || f->edge_visible != NULL;
}

int graph_q_node_slow(const struct graph_q *q, uint32_t v)
{
	const struct graph *g = q->g;
	const struct graph_filter *f = q->f;
	if (!(g->node_acl[v] & f->acl))
		return 0;
	if (f->node_kinds && !(f->node_kinds & GRAPH_KIND_BIT(g->node_kind[v])))
		return 0;
	if (f->node_visible && !f->node_visible(f->ctx, g, v))
		return 0;
	return 1;
}

int graph_q_edge_slow(const struct graph_q *q, uint32_t eid, uint32_t a, uint32_t b)
{
	const struct graph *g = q->g;
	const struct graph_filter *f = q->f;
	if (f->edge_kinds && !(f->edge_kinds & GRAPH_KIND_BIT(g->edges[eid].kind)))
		return 0;
	if (f->has_dates) {
		int32_t d = g->edges[eid].date;
		if (d == GRAPH_DATE_NONE || d < f->date_from || d > f->date_to)
			return 0;
	}
	if (f->edge_visible) {
		struct graph_edge e;
		graph_edge_fill(g, eid, a, b, &e);
		if (!f->edge_visible(f->ctx, g, &e))
			return 0;
	}
	return 1;
}

/* ---- work areas ---------------------------------------------------------- */

struct graph_work *graph_work_new(void)
{
	return xcalloc(1, sizeof(struct graph_work));
}

void graph_work_free(struct graph_work *w)
{
	if (!w)
		return;
	free(w->f);
	free(w->b);
	free(w->bits);
	free(w->queue);
	free(w->queue2);
	free(w->cost);
	free(w->heap);
	free(w->heap_pos);
	free(w->ban);
	free(w);
}

size_t graph_work_memory(const struct graph_work *w)
{
	return sizeof(*w) + (size_t)w->cap * (2 * sizeof(struct graph_mark) + 5 * sizeof(uint32_t) + sizeof(double))
		+ ((size_t)w->cap + 63) / 64 * sizeof(uint64_t);
}

static void *grow_zero(void *p, size_t old, size_t cap, size_t size)
{
	p = xreallocarray(p, cap, size);
	memset((char *)p + old * size, 0, (cap - old) * size);
	return p;
}

void graph_work_begin(struct graph_work *w, const struct graph *g)
{
	if (w->cap < g->n) {
		size_t old = w->cap, cap = g->n + g->n / 4 + 64;
		w->bits = grow_zero(w->bits, (old + 63) / 64, (cap + 63) / 64, sizeof(uint64_t));
		w->f = grow_zero(w->f, old, cap, sizeof(struct graph_mark));
		w->b = grow_zero(w->b, old, cap, sizeof(struct graph_mark));
		w->ban = grow_zero(w->ban, old, cap, sizeof(uint32_t));
		w->heap_pos = grow_zero(w->heap_pos, old, cap, sizeof(uint32_t));
		w->queue = xreallocarray(w->queue, cap, sizeof(uint32_t));
		w->queue2 = xreallocarray(w->queue2, cap, sizeof(uint32_t));
		w->cost = xreallocarray(w->cost, cap, sizeof(double));
		w->heap = xreallocarray(w->heap, cap, sizeof(uint32_t));
		w->cap = (uint32_t)cap;
	}
	if (++w->gen == 0) {
		memset(w->f, 0, (size_t)w->cap * sizeof(struct graph_mark));
		memset(w->b, 0, (size_t)w->cap * sizeof(struct graph_mark));
		memset(w->ban, 0, (size_t)w->cap * sizeof(uint32_t));
		w->gen = 1;
	}
}
