/* The link-analysis graph's reads and the saved charts (store.h, graph block). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "store/internal.h"

/* ---- links ------------------------------------------------------------------ */

/* Columns: id, from, to, role, date, source, seizure_id; one SELECT per
 * table (enum store_link order), each taking an optional WHERE. */
static const char *const link_select[] = {
	[LINK_PARTY_IDENTIFIER] =
		"SELECT l.id, l.party_id, l.identifier_id, l.role, l.date, l.source, l.seizure_id "
		"FROM party_identifier l",
	[LINK_PARTY_SEIZURE] =
		"SELECT l.id, l.party_id, l.seizure_id, l.role, coalesce(l.date, s.date), l.source, "
		"l.seizure_id FROM party_seizure l JOIN seizure s ON s.id = l.seizure_id",
	[LINK_PARTY_RELATION] =
		"SELECT l.id, l.party_id, l.other_id, l.kind, l.date, l.source, l.seizure_id "
		"FROM party_relation l",
	[LINK_IDENTIFIER_SEIZURE] =
		"SELECT l.id, l.identifier_id, l.seizure_id, l.role, coalesce(l.date, s.date), "
		"l.source, l.seizure_id FROM identifier_seizure l JOIN seizure s ON s.id = "
		"l.seizure_id",
};

static void read_link(sqlite3_stmt *q, int table, struct store_graph_link *l)
{
	l->table = table;
	l->id = sqlite3_column_int64(q, 0);
	l->from = sqlite3_column_int64(q, 1);
	l->to = sqlite3_column_int64(q, 2);
	l->role = (const char *)sqlite3_column_text(q, 3);
	l->date = (const char *)sqlite3_column_text(q, 4);
	l->source = (const char *)sqlite3_column_text(q, 5);
	l->seizure_id = col_id(q, 6);
}

/* Runs the SELECT of table with the tail (WHERE ... ORDER BY), binding id
 * to ?1 when not 0, and calls fn per row.  1 when fn stopped. */
static int each_link(struct store *st, int table, const char *tail, int64_t id,
		     store_graph_link_fn fn, void *ctx, struct error *err)
{
	char sql[512];
	snprintf(sql, sizeof sql, "%s %s", link_select[table], tail);
	sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	if (id)
		sqlite3_bind_int64(q, 1, id);
	int rc, stopped = 0;
	struct store_graph_link l;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_link(q, table, &l);
		if (fn(ctx, &l) != 0) {
			stopped = 1;
			break;
		}
	}
	if (!stopped && rc != SQLITE_DONE) {
		store_fail(st, err, "reading the links");
		sqlite3_finalize(q);
		return -1;
	}
	sqlite3_finalize(q);
	return stopped;
}

int store_graph_links_all(struct store *st, store_graph_link_fn fn, void *ctx,
			  struct error *err)
{
	for (int t = LINK_PARTY_IDENTIFIER; t <= LINK_IDENTIFIER_SEIZURE; t++) {
		int rc = each_link(st, t, "ORDER BY l.id", 0, fn, ctx, err);
		if (rc)
			return rc < 0 ? -1 : 0;
	}
	return 0;
}

int store_graph_links_of(struct store *st, int kind, int64_t id, store_graph_link_fn fn,
			 void *ctx, struct error *err)
{
	static const struct {
		int kind, table;
		const char *where;
	} parts[] = {
		{ 1, LINK_PARTY_IDENTIFIER, "WHERE l.party_id = ?1" },
		{ 1, LINK_PARTY_SEIZURE, "WHERE l.party_id = ?1" },
		{ 1, LINK_PARTY_RELATION, "WHERE l.party_id = ?1 OR l.other_id = ?1" },
		{ 2, LINK_PARTY_IDENTIFIER, "WHERE l.identifier_id = ?1" },
		{ 2, LINK_IDENTIFIER_SEIZURE, "WHERE l.identifier_id = ?1" },
		{ 0, LINK_PARTY_SEIZURE, "WHERE l.seizure_id = ?1" },
		{ 0, LINK_IDENTIFIER_SEIZURE, "WHERE l.seizure_id = ?1" },
	};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		if (parts[i].kind != kind)
			continue;
		int rc = each_link(st, parts[i].table, parts[i].where, id, fn, ctx, err);
		if (rc)
			return rc < 0 ? -1 : 0;
	}
	return 0;
}

int store_graph_links_get(struct store *st, const int *table, const int64_t *id, size_t n,
			  struct store_graph_link *out, struct arena *ar, struct error *err)
{
	sqlite3_stmt *q[4] = { NULL, NULL, NULL, NULL };
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int t = table[i];
		memset(&out[i], 0, sizeof out[i]);
		if (t < LINK_PARTY_IDENTIFIER || t > LINK_IDENTIFIER_SEIZURE)
			continue;
		if (!q[t]) {
			char sql[512];
			snprintf(sql, sizeof sql, "%s WHERE l.id = ?1", link_select[t]);
			if (!(q[t] = stmt_prepare_once(st, sql, err))) {
				rc = -1;
				break;
			}
		}
		sqlite3_reset(q[t]);
		sqlite3_bind_int64(q[t], 1, id[i]);
		int s = sqlite3_step(q[t]);
		if (s == SQLITE_ROW) {
			read_link(q[t], t, &out[i]);
			out[i].role = out[i].role ? arena_strdup(ar, out[i].role) : NULL;
			out[i].date = out[i].date ? arena_strdup(ar, out[i].date) : NULL;
			out[i].source = out[i].source ? arena_strdup(ar, out[i].source) : NULL;
		} else if (s != SQLITE_DONE) {
			rc = store_fail(st, err, "reading a link");
		}
	}
	for (int t = 0; t < 4; t++)
		sqlite3_finalize(q[t]);
	return rc;
}

/* ---- nodes ------------------------------------------------------------------ */

static const char *const node_select[] = {
	"SELECT id, agency_id, sharing = 'national', 0 FROM seizure",
	"SELECT id, agency_id, sharing = 'national', merged_into IS NOT NULL FROM party",
	"SELECT id, agency_id, 0, 0 FROM identifier",
};

int store_graph_nodes_all(struct store *st, int64_t after_ident, store_graph_node_fn fn,
			  void *ctx, struct error *err)
{
	for (int k = 0; k < 3; k++) {
		char sql[256];
		snprintf(sql, sizeof sql, "%s%s ORDER BY id", node_select[k],
			 k == 1 ? " WHERE merged_into IS NULL" : k == 2 ? " WHERE id > ?1" : "");
		if (k < 2 && after_ident)
			continue;
		sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
		if (!q)
			return -1;
		if (k == 2)
			sqlite3_bind_int64(q, 1, after_ident);
		int rc, stopped = 0;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			struct store_graph_node n = {
				.kind = k, .id = sqlite3_column_int64(q, 0),
				.agency_id = sqlite3_column_int64(q, 1),
				.national = sqlite3_column_int(q, 2),
				.gone = sqlite3_column_int(q, 3),
			};
			if (fn(ctx, &n) != 0) {
				stopped = 1;
				break;
			}
		}
		int bad = !stopped && rc != SQLITE_DONE;
		if (bad)
			store_fail(st, err, "reading the graph's nodes");
		sqlite3_finalize(q);
		if (bad)
			return -1;
		if (stopped)
			return 0;
	}
	return 0;
}

int store_graph_node_get(struct store *st, int kind, int64_t id, struct store_graph_node *out,
			 struct error *err)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->id = id;
	out->gone = 1;
	if (kind < 0 || kind > 2)
		return 0;
	char sql[256];
	snprintf(sql, sizeof sql, "%s WHERE id = ?1", node_select[kind]);
	sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->agency_id = sqlite3_column_int64(q, 1);
		out->national = sqlite3_column_int(q, 2);
		out->gone = sqlite3_column_int(q, 3);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "reading a node of the graph");
	return 0;
}

int store_graph_max_identifier(struct store *st, int64_t *id, struct error *err)
{
	return query_int64(st, "SELECT coalesce(max(id), 0) FROM identifier", id, err,
			   "reading the identifiers");
}

int store_graph_seizures_changed(struct store *st, int64_t after, int (*fn)(void *ctx, int64_t id),
				 void *ctx, int64_t *last, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT id, entity_id FROM audit WHERE id > ?1 AND entity = 'seizure' "
			       "AND action <> 'view' "
			       "UNION ALL SELECT a.id, i.seizure_id FROM audit a JOIN import_seizure i "
			       "ON i.import_id = a.entity_id WHERE a.id > ?1 AND a.entity = 'import' "
			       "AND a.action = 'import' ORDER BY 1",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, after);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (fn(ctx, sqlite3_column_int64(q, 1)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the audit log");
	return store_audit_max_id(st, last, err);
}

int store_graph_labels(struct store *st, const int *kind, const int64_t *id, size_t n,
		       struct store_graph_label *out, struct arena *ar, struct error *err)
{
	static const char *const sql[] = {
		"SELECT ref, NULL, date, country FROM seizure WHERE id = ?1",
		"SELECT (SELECT name FROM party_name WHERE party_id = p.id ORDER BY kind <> 'full', "
		"line LIMIT 1), kind, NULL, NULL FROM party p WHERE id = ?1",
		"SELECT display, kind, NULL, country FROM identifier WHERE id = ?1",
	};
	sqlite3_stmt *q[3] = { NULL, NULL, NULL };
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int k = kind[i];
		memset(&out[i], 0, sizeof out[i]);
		if (k < 0 || k > 2)
			continue;
		if (!q[k] && !(q[k] = stmt_prepare_once(st, sql[k], err))) {
			rc = -1;
			break;
		}
		sqlite3_reset(q[k]);
		sqlite3_bind_int64(q[k], 1, id[i]);
		int s = sqlite3_step(q[k]);
		if (s == SQLITE_ROW) {
			out[i].label = col_text(q[k], 0, ar);
			out[i].type = col_text(q[k], 1, ar);
			out[i].date = col_text(q[k], 2, ar);
			out[i].country = col_text(q[k], 3, ar);
			if (!out[i].label)
				out[i].label = "";
		} else if (s != SQLITE_DONE) {
			rc = store_fail(st, err, "reading a node's label");
		}
	}
	for (int k = 0; k < 3; k++)
		sqlite3_finalize(q[k]);
	return rc;
}

int store_graph_seizure_facts(struct store *st, int64_t id,
			      int (*fn)(void *ctx, const char *what, const char *value), void *ctx,
			      struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT DISTINCT 'species', t.full_name FROM seizure_item i JOIN taxon t "
			       "ON t.id = i.taxon_id WHERE i.seizure_id = ?1 "
			       "UNION ALL SELECT 'countries', coalesce(country, '') || ';' || "
			       "coalesce(origin, '') || ';' || coalesce(transit, '') || ';' || "
			       "coalesce(destination, '') FROM seizure WHERE id = ?1",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *what = (const char *)sqlite3_column_text(q, 0);
		const char *v = (const char *)sqlite3_column_text(q, 1);
		if (strcmp(what, "species") == 0) {
			stop = fn(ctx, what, v) != 0;
			continue;
		}
		/* each country once: the seizure's, then its route's, in order */
		char seen[64][8];
		size_t nseen = 0;
		for (const char *p = v; *p && !stop;) {
			const char *end = strchr(p, ';');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			if (n > 0 && n < sizeof seen[0]) {
				char code[8];
				memcpy(code, p, n);
				code[n] = '\0';
				size_t k = 0;
				while (k < nseen && strcmp(seen[k], code) != 0)
					k++;
				if (k == nseen && nseen < sizeof seen / sizeof seen[0]) {
					memcpy(seen[nseen++], code, n + 1);
					stop = fn(ctx, "country", code) != 0;
				}
			}
			if (!end)
				break;
			p = end + 1;
		}
	}
	if (stop)
		rc = SQLITE_DONE;
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading a seizure's species and countries");
	return 0;
}

/* ---- saved charts ----------------------------------------------------------- */

#define CHART_COLS                                                                       \
	"c.id, c.name, c.owner_id, u.username, c.agency_id, a.name, c.body, c.version, " \
	"c.created_at, c.updated_at FROM graph_chart c JOIN user u ON u.id = c.owner_id " \
	"JOIN agency a ON a.id = c.agency_id"

static void read_chart(sqlite3_stmt *q, struct store_chart *c, struct arena *ar)
{
	c->id = sqlite3_column_int64(q, 0);
	c->name = col_text(q, 1, ar);
	c->owner_id = sqlite3_column_int64(q, 2);
	c->owner = col_text(q, 3, ar);
	c->agency_id = sqlite3_column_int64(q, 4);
	c->agency = col_text(q, 5, ar);
	c->body = col_text(q, 6, ar);
	c->version = sqlite3_column_int64(q, 7);
	c->created_at = col_text(q, 8, ar);
	c->updated_at = col_text(q, 9, ar);
}

int store_chart_save(struct store *st, struct store_chart *c, struct error *err)
{
	char now[32];
	clock_iso(now, sizeof now);
	sqlite3_stmt *q;
	if (!c->id) {
		q = stmt_prepare_once(st,
			 "INSERT INTO graph_chart(name, owner_id, agency_id, body, version, created_at, "
			 "updated_at) VALUES(?1, ?2, ?3, ?4, 1, ?5, ?5)",
			 err);
		if (!q)
			return -1;
		bind_text(q, 1, c->name);
		sqlite3_bind_int64(q, 2, c->owner_id);
		sqlite3_bind_int64(q, 3, c->agency_id);
		bind_text(q, 4, c->body);
		bind_text(q, 5, now);
		int rc = step_done(st, q, err, "saving the chart");
		sqlite3_finalize(q);
		if (rc != 0)
			return -1;
		c->id = sqlite3_last_insert_rowid(st->db);
		c->version = 1;
		return 0;
	}
	q = stmt_prepare_once(st,
		 "UPDATE graph_chart SET name = ?1, body = ?2, version = version + 1, updated_at = ?3 "
		 "WHERE id = ?4 AND version = ?5",
		 err);
	if (!q)
		return -1;
	bind_text(q, 1, c->name);
	bind_text(q, 2, c->body);
	bind_text(q, 3, now);
	sqlite3_bind_int64(q, 4, c->id);
	sqlite3_bind_int64(q, 5, c->version);
	int rc = step_done(st, q, err, "saving the chart");
	sqlite3_finalize(q);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		q = stmt_prepare_once(st, "SELECT version FROM graph_chart WHERE id = ?1", err);
		if (!q)
			return -1;
		sqlite3_bind_int64(q, 1, c->id);
		int found = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_finalize(q);
		if (!found)
			return error_set(err, ERR_NOT_FOUND, "chart %lld not found", (long long)c->id);
		return error_set(err, ERR_CONFLICT,
				 "the chart was changed by someone else meanwhile; reload it");
	}
	c->version++;
	return 0;
}

int store_chart_get(struct store *st, int64_t id, struct store_chart *out, struct arena *ar,
		    struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "SELECT " CHART_COLS " WHERE c.id = ?1", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_chart(q, out, ar);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return error_set(err, ERR_NOT_FOUND, "chart %lld not found", (long long)id);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "reading the chart");
	return 0;
}

int store_chart_list(struct store *st, int64_t agency_id, struct store_chart **out, size_t *n,
		     struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT " CHART_COLS " WHERE ?1 = 0 OR c.agency_id = ?1 "
			       "ORDER BY c.updated_at DESC, c.id DESC LIMIT 1000",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, agency_id);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n, &cap, sizeof **out);
		read_chart(q, &(*out)[(*n)++], ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "listing the charts");
	return 0;
}

int store_chart_delete(struct store *st, int64_t id, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "DELETE FROM graph_chart WHERE id = ?1", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = step_done(st, q, err, "deleting the chart");
	sqlite3_finalize(q);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return error_set(err, ERR_NOT_FOUND, "chart %lld not found", (long long)id);
	return 0;
}
