/*
 * graph_index.h - the link-analysis graph of the register, held in memory
 * (DESIGN.md capability 3, issue 4), on top of the engine of graph/graph.h.
 *
 * Nodes: every seizure, party (not merged) and identifier.  Edges: one per
 * link row of the party register, with the link's table as its kind:
 *
 *   holds        party - identifier      (party_identifier: uses, owns, registered_to)
 *   involved_in  party - seizure         (party_seizure: suspect, owner, ...)
 *   related      party - party           (party_relation: family, associate,
 *                                         employee_of, director_of; source -> target
 *                                         reads "source KIND target")
 *   seen_in      identifier - seizure    (identifier_seizure)
 *
 * Each edge carries its date (the link's; for links to a seizure without
 * one, the seizure's date) and its record: the link row, from which the
 * answers give the role, the free-text source and the seizure the link came
 * from.
 *
 * Derived: "shares an identifier" (kind shares_identifier, party - party):
 * one edge per pair of parties holding the same identifier, so a view of
 * parties only shows who shares a phone, a plate or an account.  Its date is
 * the later of the two parties' first holds links (since when both held it;
 * either one's when only one is dated), its record the identifier.  An
 * identifier held by more than GRAPH_SHARES_MAX parties (a freight
 * forwarder's switchboard) derives no pairs: the number of pairs grows with
 * the square of the holders, and such a hub still joins its parties through
 * its own node (party - identifier - party).  The edge is seen only by whoever
 * may see the identifier.  Derived edges are kept current with the holds
 * links they come from, in the same sync.
 *
 * Access ("no trace", party/party.h's rules): a seizure or party is seen by
 * its agency, by everyone when shared nationally, and by admins; an
 * identifier by the agency that recorded it first and by whoever sees one of
 * the parties or seizures it is linked to.  A node the actor may not see is
 * absent from every answer: not returned, not traversed, not counted.  An
 * edge's proving seizure is named only when the actor may see it.
 *
 * Keeping up: built from the store at start (graph_index_build); before
 * every answer graph_index_sync() compares the party and seizure
 * generations with those the index holds and, when they moved (this server
 * or another process), reads what changed (store_party_changed_since, the
 * audit entries of seizures, new identifiers) and replaces the links of
 * each changed node in the graph's overlay at once; more than
 * GRAPH_INDEX_REFRESH_MAX changed nodes, or a generation going backwards,
 * rebuild it whole.  The database stays the truth.
 *
 * Thread-safe: answers share a read lock (each takes a work area from a
 * pool); a sync that changes something takes the write lock.
 */
#ifndef KOUPREY_GRAPH_INDEX_H
#define KOUPREY_GRAPH_INDEX_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "lib/query.h"

struct store;
struct graph_index;

enum { GRAPH_INDEX_REFRESH_MAX = 20000, GRAPH_SHARES_MAX = 25 };

/* Builds the graph from the store (the caller holds a read snapshot).
 * NULL with err set on failure. */
struct graph_index *graph_index_build(struct store *st, struct error *err);
void graph_index_free(struct graph_index *ix);
/* Brings the index up to date with the store (see above).  A failure
 * leaves the index as it was. */
int graph_index_sync(struct graph_index *ix, struct store *st, struct error *err);

struct graph_index_stats {
	size_t nodes, edges, overlay;
	size_t bytes;             /* the graph's memory and the index's per-node data */
	double build_ms;
	size_t updates;           /* incremental syncs that changed something */
	size_t rebuilds;
	int64_t party_gen, seizure_gen;
};
void graph_index_stats(struct graph_index *ix, struct graph_index_stats *out);

/*
 * Node names in answers: "seizure:12", "party:7", "identifier:3".
 * graph_index_parse_node: 0 with *kind (0 seizure, 1 party, 2 identifier)
 * and *id, or -1 with a field error on field.
 */
int graph_index_parse_node(const char *s, int *kind, int64_t *id, const char *field,
			   struct error *err);

/*
 * The queries, answered in the JSON shapes of the HTTP API (docs/api.md,
 * "Graph API"), so the API and the command line give the same answers.
 * Parameters come as a query string (struct query; unknown ones are field
 * errors), read only what `who` may see, and the store gives the labels
 * and link details (the caller holds a read snapshot, after
 * graph_index_sync).  *out is a new reference owned by the caller.
 *
 *   neighbourhood: node, depth 1..3 (1), node_kinds, edge_kinds (comma
 *                  lists), from, to (YYYY[-MM[-DD]]), limit 1..2000 (200 nodes)
 *   paths:         from, to (nodes), k 1..10 (3), max_length 1..12 (6),
 *                  node_kinds, edge_kinds
 *   networks:      node_kinds, edge_kinds, from, to, min_size (2), limit 1..100 (20)
 *   central:       node, measure degree|betweenness (betweenness), limit 1..100 (20),
 *                  node_kinds, edge_kinds
 * Errors: ERR_VALIDATION naming the parameter, ERR_NOT_FOUND for a node that
 * does not exist or may not be seen (the same answer for both).
 */
enum graph_index_query {
	GRAPH_Q_NEIGHBOURHOOD, GRAPH_Q_PATHS, GRAPH_Q_NETWORKS, GRAPH_Q_CENTRAL,
};
int graph_index_query(struct graph_index *ix, struct store *st, const struct actor *who,
		      enum graph_index_query q, const struct query *params, json_t **out,
		      struct error *err);

/*
 * "What links these": the smallest tree (graph/graph.h's Steiner
 * heuristic) joining nodes[0..n) (2..64 names), as {"nodes","edges",
 * "unreached":[names]}.  Field errors name "nodes[i]".
 */
int graph_index_connect(struct graph_index *ix, struct store *st, const struct actor *who,
			const char *const *nodes, size_t n, json_t **out, struct error *err);

/*
 * The subgraph on a set of nodes (a saved chart's): those of names[0..n)
 * that the actor may see and the visible edges among them, as {"nodes",
 * "edges","missing":N} (missing: names not shown, unknown or hidden alike).
 * Names that do not parse are skipped (counted in missing).
 */
int graph_index_subgraph(struct graph_index *ix, struct store *st, const struct actor *who,
			 const char *const *names, size_t n, json_t **out, struct error *err);

/* ---- saved charts ---------------------------------------------------------
 *
 * A chart is {"name", "chart": {...}} where chart is the view's state
 * (nodes [{"id","x","y","pinned"}], "hidden" [names], "filters" {...}); it is
 * stored as given, after checking it is an object of at most
 * GRAPH_CHART_MAX_NODES nodes with valid names.  The owner's agency sees a
 * chart (admins all); the owner or an admin changes or deletes it.  Every
 * write is audited (entity "graph_chart") in its transaction.
 */
enum { GRAPH_CHART_MAX_NODES = 2000, GRAPH_CHART_NAME_MAX = 200 };

struct store_chart;
/* Checks name and chart; 0, or -1 with field errors "name", "chart",
 * "chart.nodes[i].id". */
int graph_chart_check(const char *name, json_t *chart, struct error *err);
int graph_chart_create(struct store *st, const struct actor *who, const char *name,
		       json_t *chart, struct store_chart *out, struct arena *ar, struct error *err);
/* version: the one read (ERR_CONFLICT when stale); 0 skips the check. */
int graph_chart_update(struct store *st, const struct actor *who, int64_t id, const char *name,
		       json_t *chart, int64_t version, struct store_chart *out, struct arena *ar,
		       struct error *err);
int graph_chart_delete(struct store *st, const struct actor *who, int64_t id,
		       struct error *err);
/* ERR_NOT_FOUND when missing or not the actor's to see. */
int graph_chart_get(struct store *st, const struct actor *who, int64_t id,
		    struct store_chart *out, struct arena *ar, struct error *err);
int graph_chart_list(struct store *st, const struct actor *who, struct store_chart **out,
		     size_t *n, struct arena *ar, struct error *err);

#endif
