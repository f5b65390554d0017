/*
 * graph.h - the link-analysis graph held in memory (DESIGN.md capability 3,
 * issue 4).
 *
 * Nodes are seizures, parties and identifiers (later cases and shipments),
 * each named by a (kind, id) pair: the kind says which table, the id is that
 * table's 64-bit key.  Edges are undirected; each carries a kind (one of up
 * to 32 kinds the caller defines: "role in seizure", "holds identifier",
 * "shares an identifier" ...), a date (a day number, see below) and the
 * record: the 64-bit id of the source row that proves the link.  Several
 * edges may join the same two nodes (two seizures, two records); a node is
 * never joined to itself.
 *
 * Storage.  A compact CSR (one array of neighbours, one of edge ids, an
 * offset per node) built in one pass, plus an overlay that takes edges added
 * later (the commit of one seizure adds a node and a few edges in
 * microseconds; queries see them at once).  graph_compact() folds the
 * overlay and the removed edges into a fresh CSR; the caller decides when
 * (graph_overlay_size() says how much is waiting).  Node indexes are stable
 * for the life of a graph (compaction keeps them); edge ids are not (a
 * compaction renumbers them), so results carry the edge's kind, date and
 * record, never an edge id to keep.
 *
 * Concurrency.  A graph has one writer: adding, removing and compacting need
 * the caller to exclude every reader (a read-write lock in the index layer).
 * Queries only read the graph and write into a struct graph_work, so any
 * number of threads may query at once, each with its own work area.
 *
 * Access ("no trace").  Every node carries an access mask (64 bits the caller
 * assigns: agencies, handling codes ...).  A query's filter holds the
 * acting user's mask; a node is visible when the two share a bit, and then
 * also the optional node_visible callback must agree.  A hidden node is
 * treated exactly as if it were absent: it is never returned, never
 * traversed (so it cannot connect two visible nodes), never counted in a
 * component, a degree, a betweenness or a "what was cut" figure, and asking
 * for it gives the same ERR_NOT_FOUND as asking for a node that does not
 * exist.  Node kinds excluded by the filter are treated the same way.
 * Edges can be hidden likewise (kind mask, date range, edge_visible).
 *
 * Dates.  An edge's date is a day number on any scale where later is larger
 * (kouprey uses days since 1970-01-01); GRAPH_DATE_NONE means unknown.  A
 * date range in a filter lets through edges dated inside it (both ends
 * included); an undated edge passes only when the filter has no range.
 *
 * Errors.  Functions that can fail return 0 or -1 with *err filled
 * (src/lib/error.h): ERR_NOT_FOUND for an unknown or hidden node,
 * ERR_BAD_REQUEST for an argument out of range.  Allocation failure aborts.
 * Results are malloc'd, owned by the caller and released with their _free
 * function, which accepts a zeroed or already-freed result.
 */
#ifndef KOUPREY_GRAPH_H
#define KOUPREY_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

struct graph;
struct graph_work;

enum graph_node_kind {
	GRAPH_SEIZURE = 0,
	GRAPH_PARTY = 1,
	GRAPH_IDENTIFIER = 2,
	GRAPH_CASE = 3,
	GRAPH_SHIPMENT = 4,
	GRAPH_NODE_KINDS = 8  /* kinds are 0..7 */
};

#define GRAPH_EDGE_KINDS 32          /* edge kinds are 0..31 */
#define GRAPH_NONE UINT32_MAX        /* "no node" */
#define GRAPH_DATE_NONE INT32_MIN    /* an undated edge */
#define GRAPH_ACL_ALL UINT64_MAX     /* visible to everyone / sees everything */
#define GRAPH_KIND_BIT(k) (1u << (k))

struct graph_node_ref {
	enum graph_node_kind kind;
	int64_t id;
};

/* One edge as queries report it. */
struct graph_edge {
	uint32_t a, b;        /* node indexes */
	uint8_t kind;
	int32_t date;
	uint64_t record;      /* the source row that proves the link */
};

/*
 * What a query may see and traverse.  Zero-initialise and set what you
 * need, or start from GRAPH_FILTER_ALL (sees everything).  node_kinds and
 * edge_kinds are bit masks (GRAPH_KIND_BIT), 0 meaning every kind.  When
 * has_dates is set, only edges dated within [date_from, date_to] pass.
 * The callbacks, when not NULL, get the last word; they must give the same
 * answer for the same node or edge throughout a query.
 */
struct graph_filter {
	uint64_t acl;                 /* the user's access mask */
	uint32_t node_kinds;
	uint32_t edge_kinds;
	int has_dates;
	int32_t date_from, date_to;
	int (*node_visible)(void *ctx, const struct graph *g, uint32_t node);
	int (*edge_visible)(void *ctx, const struct graph *g, const struct graph_edge *e);
	void *ctx;
};

#define GRAPH_FILTER_ALL { GRAPH_ACL_ALL, 0, 0, 0, 0, 0, NULL, NULL, NULL }

/* ---- building and updating --------------------------------------------- */

/* An empty graph; the hints size the first allocations (0 is fine). */
struct graph *graph_new(size_t nodes_hint, size_t edges_hint);
void graph_free(struct graph *g);

/*
 * Adds a node, or finds it when (kind, id) is there already (its mask is
 * then replaced by acl).  Returns its index.  kind must be < GRAPH_NODE_KINDS.
 */
uint32_t graph_add_node(struct graph *g, enum graph_node_kind kind, int64_t id, uint64_t acl);
/* The index of (kind, id), or GRAPH_NONE.  Ignores access: callers answer
 * users through graph_lookup_visible. */
uint32_t graph_lookup(const struct graph *g, enum graph_node_kind kind, int64_t id);
/* The index of (kind, id) when it exists and f lets it be seen; otherwise
 * GRAPH_NONE and ERR_NOT_FOUND in *err (the same for both cases). */
uint32_t graph_lookup_visible(const struct graph *g, enum graph_node_kind kind, int64_t id,
	const struct graph_filter *f, struct error *err);
struct graph_node_ref graph_node(const struct graph *g, uint32_t node);
uint64_t graph_node_acl(const struct graph *g, uint32_t node);
void graph_set_node_acl(struct graph *g, uint32_t node, uint64_t acl);

/*
 * Adds the edge a-b.  Returns 0, or -1 with ERR_BAD_REQUEST when a == b, a
 * node index is out of range or kind >= GRAPH_EDGE_KINDS.  Between
 * graph_bulk_begin and graph_bulk_end, edges are only collected (queries do
 * not see them until graph_bulk_end builds the CSR); otherwise they go to
 * the overlay and are visible at once.
 */
int graph_add_edge(struct graph *g, uint32_t a, uint32_t b, unsigned kind, int32_t date,
	uint64_t record, struct error *err);
/* Removes every edge a-b proved by record (both directions), at once for
 * queries; the space comes back at the next compaction.  Returns the number
 * removed (0 when there was none).  Edges still waiting in a bulk load
 * cannot be removed. */
size_t graph_remove_edge(struct graph *g, uint32_t a, uint32_t b, uint64_t record);

/* Bulk loading: a graph built from the store adds all its edges between
 * these two calls; graph_bulk_end builds the CSR (the same as graph_compact). */
void graph_bulk_begin(struct graph *g);
void graph_bulk_end(struct graph *g);
/* Folds the overlay and removed edges into a new CSR.  O(nodes + edges). */
void graph_compact(struct graph *g);

size_t graph_node_count(const struct graph *g);
/* Live edges (removed ones not counted). */
size_t graph_edge_count(const struct graph *g);
/* Edges in the overlay plus removed edges not yet compacted away. */
size_t graph_overlay_size(const struct graph *g);
/* Bytes held by the graph (not by work areas). */
size_t graph_memory(const struct graph *g);

/*
 * Whether a and b are in the same network, ignoring every filter and access
 * rule (for the index layer, e.g. to know which saved charts a commit
 * touched; never shown to users as is).  A union-find kept up to date by
 * graph_add_edge; removals make it rebuild on the next call.  It writes
 * (path compression, rebuilds): call it as the writer, not beside queries.
 */
int graph_same_network(struct graph *g, uint32_t a, uint32_t b);

/* ---- work areas -------------------------------------------------------- */

/*
 * A query's scratch memory, about 60 bytes per node, reused from query to
 * query (marks are generation-stamped, so a query costs what it visits, not
 * what the graph holds).  One per thread; it follows the graph's growth by
 * itself.  graph_work_free(NULL) is fine.
 */
struct graph_work *graph_work_new(void);
void graph_work_free(struct graph_work *w);
size_t graph_work_memory(const struct graph_work *w);

/* ---- neighbourhood (bfs.c) --------------------------------------------- */

struct graph_hood_opts {
	unsigned depth;          /* 1..3 */
	size_t max_nodes;        /* 0 = no cap; counts the start node */
	size_t max_edges;        /* 0 = no cap */
	struct graph_filter filter;
};

/*
 * The nodes within `depth` steps of start and the edges among them.  The
 * nodes come in breadth-first order (start first, with depth 0).  When the
 * cap on nodes is reached the search stops at once (its cost stays in
 * proportion to the cap, even next to a hub of 100,000 links) and says what
 * it left: cut_depth is the depth being filled, nodes_cut the nodes found
 * and left out (1: the one that did not fit; there may be many more),
 * links_unexplored the links of that level's nodes it did not follow (each
 * may lead to a node already shown, so an upper bound of what is missing).
 * Edges past max_edges are counted in edges_cut.  Each edge is listed once
 * (with a before b in BFS order); parallel edges are all listed.
 */
struct graph_hood {
	uint32_t *nodes;
	uint8_t *depth;
	size_t nnodes;
	struct graph_edge *edges;
	size_t nedges;
	int truncated;
	unsigned cut_depth;      /* the depth whose nodes were cut (0 if none) */
	size_t nodes_cut;
	size_t links_unexplored;
	size_t edges_cut;
};

int graph_neighbourhood(const struct graph *g, struct graph_work *w, uint32_t start,
	const struct graph_hood_opts *o, struct graph_hood *out, struct error *err);
void graph_hood_free(struct graph_hood *h);

/*
 * Breadth-first traversal from start up to max_depth steps (0: no limit).
 * Returns the number of nodes reached (start included); *deepest gets the
 * largest depth (may be NULL).  When order is not NULL it receives a
 * malloc'd array of the nodes in visiting order.  Returns 0 when start is
 * unknown or hidden (and sets *err).
 */
size_t graph_bfs(const struct graph *g, struct graph_work *w, uint32_t start, unsigned max_depth,
	const struct graph_filter *f, uint32_t **order, unsigned *deepest, struct error *err);

/* ---- paths (paths.c) --------------------------------------------------- */

struct graph_path {
	uint32_t *nodes;             /* len + 1 nodes, from the source */
	struct graph_edge *steps;    /* len edges: steps[i] joins nodes[i] and nodes[i+1] */
	size_t len;
	double cost;                 /* len when unweighted */
};

struct graph_paths {
	struct graph_path *paths;
	size_t n;
};

struct graph_path_opts {
	unsigned k;                  /* paths wanted, 1.. (GRAPH_MAX_K at most) */
	unsigned max_len;            /* longest path in steps, 1..GRAPH_MAX_PATH_LEN */
	/* Weight of an edge by its kind (> 0), or NULL for every edge 1 (the
	 * fewest steps).  Between two nodes, the lightest visible edge is the
	 * step taken. */
	const double *kind_weights;
	struct graph_filter filter;
};

#define GRAPH_MAX_K 32
#define GRAPH_MAX_PATH_LEN 32

/*
 * The k shortest loopless paths from src to dst (Yen's algorithm, paths
 * compared as node sequences), shortest first, each at most max_len steps.
 * Fewer than k (possibly none: n = 0, still 0 returned) when fewer exist.
 * Unweighted paths respect max_len exactly (breadth-first search bounded in
 * depth; the first path by a bidirectional search).  Weighted paths come
 * from Dijkstra and those longer than max_len steps are dropped, so a path
 * that is costlier but within the bound may be missed (documented limit).
 */
int graph_shortest_paths(const struct graph *g, struct graph_work *w, uint32_t src, uint32_t dst,
	const struct graph_path_opts *o, struct graph_paths *out, struct error *err);
void graph_paths_free(struct graph_paths *p);

/* ---- networks (components.c) ------------------------------------------- */

struct graph_component {
	size_t nnodes;
	size_t nedges;
	uint32_t first_node;         /* the component's lowest node index */
	int32_t first_date, last_date;   /* GRAPH_DATE_NONE when no edge is dated */
	size_t kind_count[GRAPH_NODE_KINDS];
};

/*
 * Called once for each node of each component reported, in node order,
 * after every component is known, so the caller can gather species,
 * countries ... of a network from its own records.  `comp` indexes
 * out->comps.
 */
typedef void graph_component_visit_fn(void *ctx, size_t comp, const struct graph *g, uint32_t node);

struct graph_components {
	struct graph_component *comps;   /* largest first; ties by first_node */
	size_t n;
	uint32_t *comp_of;   /* per node index: its component in comps, or GRAPH_NONE
	                        (hidden, filtered out, or in a component under min_size) */
	size_t nnodes;       /* length of comp_of */
};

/*
 * The connected components of the graph as f lets it be seen, keeping those
 * of at least min_size nodes (0 or 1: all, isolated visible nodes included).
 * visit may be NULL.
 */
int graph_components(const struct graph *g, struct graph_work *w, const struct graph_filter *f,
	size_t min_size, graph_component_visit_fn *visit, void *ctx, struct graph_components *out,
	struct error *err);
void graph_components_free(struct graph_components *c);

/* ---- key actors (central.c) -------------------------------------------- */

/*
 * Degree and betweenness of the nodes of one network: the subgraph induced
 * by nodes[0..n) as f lets it be seen (hidden or filtered nodes among them
 * are skipped: their degree and betweenness are reported as 0).  Parallel
 * edges count once (degree = distinct visible neighbours inside the set).
 *
 * Betweenness is unnormalised, over unordered pairs of an undirected graph,
 * with every edge of length 1 (the convention of igraph's betweenness() and
 * networkx with normalized=False: the centre of a 5-node path has 4).
 * samples == 0, or samples >= the number of visible nodes: exact (Brandes
 * 2001, O(n m)).  Otherwise approximate: Brandes' accumulation from
 * `samples` source nodes drawn uniformly without replacement (seeded by
 * seed, so reproducible) and scaled by n / samples (Brandes and Pich 2007,
 * "Centrality estimation in large networks"): an unbiased estimate whose
 * error shrinks as 1/sqrt(samples); a few hundred samples rank the top
 * actors of a network of 100,000 nodes reliably.  *exact says which.
 * degree and betweenness are caller arrays of n entries (either may be NULL).
 */
int graph_centrality(const struct graph *g, struct graph_work *w, const uint32_t *nodes, size_t n,
	const struct graph_filter *f, size_t samples, uint64_t seed, uint32_t *degree,
	double *betweenness, int *exact, struct error *err);

/* ---- what links these (steiner.c) -------------------------------------- */

struct graph_steiner {
	uint32_t *nodes;             /* the terminals reached and the nodes joining them */
	size_t nnodes;
	struct graph_edge *edges;    /* a tree: nnodes - 1 edges */
	size_t nedges;
	double cost;                 /* sum of the edges' weights */
	uint32_t *unreached;         /* terminals not connected to the first one */
	size_t nunreached;
};

#define GRAPH_MAX_TERMINALS 64

/*
 * A small tree joining the terminals (2 to GRAPH_MAX_TERMINALS distinct
 * visible nodes): the heuristic of Kou, Markowsky and Berman (1981), whose
 * tree costs at most 2(1 - 1/t) times the optimum for t terminals: shortest
 * paths between every pair of terminals (the metric closure, one search per
 * terminal), its minimum spanning tree, each tree edge replaced by its
 * path, a minimum spanning tree of the union, and leaves that are not
 * terminals pruned.  Weights as in graph_path_opts (NULL: every edge 1).
 * Terminals that cannot reach the first one are listed in unreached; the
 * tree joins the others.
 */
int graph_steiner(const struct graph *g, struct graph_work *w, const uint32_t *terminals, size_t nterm,
	const double *kind_weights, const struct graph_filter *f, struct graph_steiner *out,
	struct error *err);
void graph_steiner_free(struct graph_steiner *s);

#endif
