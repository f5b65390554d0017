/* Entity resolution's tables: candidate pairs, merges and the rows they
 * moved (migration 0006), and the change feed the resolver reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dynbuf.h"
#include "party/resolve.h"
#include "store/internal.h"

/* Runs sql with ?1..?n bound to the ids given (n <= 4). */
static int exec_ids(struct store *st, const char *sql, const int64_t *ids, int n,
		    struct error *err, const char *what)
{
	sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(q, i + 1, ids[i]);
	return step_once(st, q, err, what);
}

/* A new party generation, stamped on the parties of ids (0s ignored) and on
 * those marked gen = -1 (the other ends of moved relations). */
static int touch(struct store *st, int64_t a, int64_t b, struct error *err)
{
	static const char bump[] =
		"INSERT INTO setting(key, value) VALUES('party_generation', '1') "
		"ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1";
	static const char stamp[] =
		"UPDATE party SET gen = (SELECT CAST(value AS INTEGER) FROM setting WHERE key = "
		"'party_generation') WHERE id IN (?1, ?2) OR gen = -1";
	int64_t ids[2] = { a, b };
	if (exec_ids(st, bump, NULL, 0, err, "counting the change") != 0)
		return -1;
	return exec_ids(st, stamp, ids, 2, err, "counting the change");
}

/* ---- the change feed ------------------------------------------------------------ */

int store_party_changed_after(struct store *st, int64_t gen, int64_t id, size_t max,
			      struct store_changed_party **out, size_t *n, int64_t *remaining,
			      struct arena *ar, struct error *err)
{
	*out = NULL;
	*n = 0;
	*remaining = 0;
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT id, gen FROM party WHERE merged_into IS NULL AND "
			       "(gen > ?1 OR (gen = ?1 AND id > ?2)) ORDER BY gen, id",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, gen);
	sqlite3_bind_int64(q, 2, id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == max) {
			(*remaining)++;
			continue;
		}
		*out = arena_grow(ar, *out, *n, &cap, sizeof **out);
		(*out)[*n].id = sqlite3_column_int64(q, 0);
		(*out)[(*n)++].gen = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading changed parties");
	return 0;
}

int store_party_peers(struct store *st, int64_t party_id, size_t max_parties,
		      struct store_party_peer **out, size_t *n, struct arena *ar,
		      struct error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = stmt_prepare_once(
		st,
		"SELECT DISTINCT o.party_id, i.id, i.kind, i.key, i.display, NULL "
		"FROM party_identifier l JOIN identifier i ON i.id = l.identifier_id "
		"JOIN party_identifier o ON o.identifier_id = l.identifier_id AND o.party_id <> ?1 "
		"JOIN party p ON p.id = o.party_id AND p.merged_into IS NULL "
		"AND p.kind = (SELECT kind FROM party WHERE id = ?1) "
		"WHERE l.party_id = ?1 AND (SELECT count(DISTINCT party_id) FROM party_identifier "
		"WHERE identifier_id = l.identifier_id) <= ?2 "
		"UNION SELECT DISTINCT o.party_id, 0, NULL, NULL, r.number, r.country "
		"FROM party_registration r JOIN party_registration o ON o.number = r.number "
		"AND o.country IS r.country AND o.party_id <> ?1 "
		"JOIN party p ON p.id = o.party_id AND p.merged_into IS NULL "
		"WHERE r.party_id = ?1 ORDER BY 1, 2",
		err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, party_id);
	sqlite3_bind_int64(q, 2, (int64_t)max_parties);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n, &cap, sizeof **out);
		struct store_party_peer *x = &(*out)[(*n)++];
		x->party_id = sqlite3_column_int64(q, 0);
		x->ident_id = sqlite3_column_int64(q, 1);
		x->kind = col_text(q, 2, ar);
		x->key = col_text(q, 3, ar);
		x->display = col_text(q, 4, ar);
		x->country = col_text(q, 5, ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading parties that share identifiers");
	return 0;
}

/* ---- candidates ------------------------------------------------------------------- */

#define CAND_COLS                                                                          \
	"c.id, c.party_a, c.party_b, c.score, c.reason, c.evidence, c.status, "             \
	"c.computed_at, c.decided_by, (SELECT username FROM user WHERE id = c.decided_by), " \
	"c.decided_at, c.note, c.decided_evidence, c.merge_id"

static void read_candidate(sqlite3_stmt *q, struct party_candidate *c, struct arena *ar)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(q, 0);
	c->party_a = sqlite3_column_int64(q, 1);
	c->party_b = sqlite3_column_int64(q, 2);
	c->score = sqlite3_column_double(q, 3);
	c->reason = col_text(q, 4, ar);
	c->evidence = col_text(q, 5, ar);
	c->status = col_text(q, 6, ar);
	c->computed_at = col_text(q, 7, ar);
	c->decided_by = col_id(q, 8);
	c->decided_by_name = col_text(q, 9, ar);
	c->decided_at = col_text(q, 10, ar);
	c->note = col_text(q, 11, ar);
	c->decided_evidence = col_text(q, 12, ar);
	c->merge_id = col_id(q, 13);
}

static int read_candidates(struct store *st, sqlite3_stmt *q, struct party_candidate **out,
			   size_t *n, struct arena *ar, struct error *err)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n, &cap, sizeof **out);
		read_candidate(q, &(*out)[(*n)++], ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading duplicate candidates");
	return 0;
}

static int candidate_one(struct store *st, const char *where, int64_t x, int64_t y,
			 struct party_candidate *out, struct arena *ar, struct error *err)
{
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT " CAND_COLS " FROM party_candidate c WHERE %s", where);
	sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, x);
	if (sqlite3_bind_parameter_count(q) > 1)
		sqlite3_bind_int64(q, 2, y);
	struct party_candidate *v;
	size_t n;
	if (read_candidates(st, q, &v, &n, ar, err) != 0)
		return -1;
	if (n)
		*out = v[0];
	return n ? 1 : 0;
}

int store_candidate_get(struct store *st, int64_t id, struct party_candidate *out,
			struct arena *ar, struct error *err)
{
	return candidate_one(st, "c.id = ?1", id, 0, out, ar, err);
}

int store_candidate_find(struct store *st, int64_t a, int64_t b, struct party_candidate *out,
			 struct arena *ar, struct error *err)
{
	return candidate_one(st, "c.party_a = ?1 AND c.party_b = ?2", a < b ? a : b, a < b ? b : a,
			     out, ar, err);
}

int store_candidates_of(struct store *st, int64_t party_id, struct party_candidate **out,
			size_t *n, struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT " CAND_COLS " FROM party_candidate c WHERE c.party_a = ?1 "
			       "UNION ALL SELECT " CAND_COLS " FROM party_candidate c WHERE "
			       "c.party_b = ?1 ORDER BY 1",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, party_id);
	return read_candidates(st, q, out, n, ar, err);
}

int store_candidate_save(struct store *st, struct party_candidate *c, struct error *err)
{
	sqlite3_stmt *q;
	if (c->id)
		q = stmt_prepare_once(st,
			 "UPDATE party_candidate SET party_a = ?1, party_b = ?2, score = ?3, "
			 "reason = ?4, evidence = ?5, status = ?6, computed_at = ?7, decided_by = ?8, "
			 "decided_at = ?9, note = ?10, decided_evidence = ?11, merge_id = ?12 "
			 "WHERE id = ?13",
			 err);
	else
		q = stmt_prepare_once(st,
			 "INSERT INTO party_candidate(party_a, party_b, score, reason, evidence, "
			 "status, computed_at, decided_by, decided_at, note, decided_evidence, "
			 "merge_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
			 err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, c->party_a);
	sqlite3_bind_int64(q, 2, c->party_b);
	sqlite3_bind_double(q, 3, c->score);
	bind_text(q, 4, c->reason ? c->reason : "");
	bind_text(q, 5, c->evidence ? c->evidence : "");
	bind_text(q, 6, c->status ? c->status : "open");
	bind_text(q, 7, c->computed_at);
	bind_id_or_null(q, 8, c->decided_by);
	bind_text_null(q, 9, c->decided_at);
	bind_text_null(q, 10, c->note);
	bind_text_null(q, 11, c->decided_evidence);
	bind_id_or_null(q, 12, c->merge_id);
	if (c->id)
		sqlite3_bind_int64(q, 13, c->id);
	if (step_once(st, q, err, "saving a duplicate candidate") != 0)
		return -1;
	if (!c->id)
		c->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_candidate_delete(struct store *st, int64_t id, struct error *err)
{
	return exec_ids(st, "DELETE FROM party_candidate WHERE id = ?1", &id, 1, err,
			"removing a duplicate candidate");
}

int store_candidates_drop_open(struct store *st, int64_t party_id, struct error *err)
{
	return exec_ids(st,
			"DELETE FROM party_candidate WHERE status = 'open' AND (party_a = ?1 OR "
			"party_b = ?1)",
			&party_id, 1, err, "removing duplicate candidates");
}

#define CAND_ACCESS                                                                       \
	" FROM party_candidate c JOIN party pa ON pa.id = c.party_a JOIN party pb ON pb.id = " \
	"c.party_b WHERE c.status = ?1 AND (?2 = 1 OR ((pa.agency_id = ?3 OR pa.sharing = "  \
	"'national') AND (pb.agency_id = ?3 OR pb.sharing = 'national'))) AND (?1 <> 'open' " \
	"OR (pa.merged_into IS NULL AND pb.merged_into IS NULL))"

int store_candidate_list(struct store *st, const struct actor *who, const char *status,
			 double after_score, int64_t after_id, int limit,
			 struct party_candidate **out, size_t *n, int64_t *total,
			 struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "SELECT count(*)" CAND_ACCESS, err);
	if (!q)
		return -1;
	bind_text(q, 1, status);
	sqlite3_bind_int(q, 2, who->role == ROLE_ADMIN);
	sqlite3_bind_int64(q, 3, who->agency_id);
	int rc = sqlite3_step(q);
	*total = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "counting duplicate candidates");
	q = stmt_prepare_once(st,
		 "SELECT " CAND_COLS CAND_ACCESS
		 " AND (?4 = 0 OR c.score < ?5 OR (c.score = ?5 AND c.id > ?4)) "
		 "ORDER BY c.score DESC, c.id LIMIT ?6",
		 err);
	if (!q)
		return -1;
	bind_text(q, 1, status);
	sqlite3_bind_int(q, 2, who->role == ROLE_ADMIN);
	sqlite3_bind_int64(q, 3, who->agency_id);
	sqlite3_bind_int64(q, 4, after_id);
	sqlite3_bind_double(q, 5, after_score);
	sqlite3_bind_int(q, 6, limit);
	return read_candidates(st, q, out, n, ar, err);
}

/* ---- merges ------------------------------------------------------------------------ */

int store_merge_insert(struct store *st, struct party_merge_rec *m, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "INSERT INTO party_merge(survivor_id, merged_id, candidate_id, reason, "
			       "automatic, user_id, at, survivor_version, merged_version) "
			       "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, m->survivor_id);
	sqlite3_bind_int64(q, 2, m->merged_id);
	bind_id_or_null(q, 3, m->candidate_id);
	bind_text(q, 4, m->reason);
	sqlite3_bind_int(q, 5, m->automatic);
	bind_id_or_null(q, 6, m->user_id);
	bind_text(q, 7, m->at);
	sqlite3_bind_int64(q, 8, m->survivor_version);
	sqlite3_bind_int64(q, 9, m->merged_version);
	if (step_once(st, q, err, "recording the merge") != 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_merge_row_add(struct store *st, int64_t merge_id, const char *tbl, const char *action,
			int64_t row_id, int64_t dup_of, const char *data, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "INSERT INTO party_merge_row(merge_id, tbl, action, row_id, dup_of, "
			       "data) VALUES(?, ?, ?, ?, ?, ?)",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, merge_id);
	bind_text(q, 2, tbl);
	bind_text(q, 3, action);
	sqlite3_bind_int64(q, 4, row_id);
	bind_id_or_null(q, 5, dup_of);
	bind_text(q, 6, data);
	return step_once(st, q, err, "recording the merge");
}

#define IDENT_JSON                                                                      \
	"json_object('party_id', a.party_id, 'identifier_id', a.identifier_id, 'role', "  \
	"a.role, 'source', a.source, 'date', a.date, 'seizure_id', a.seizure_id, "       \
	"'created_at', a.created_at, 'created_by', a.created_by)"
#define SEIZURE_JSON                                                                   \
	"json_object('party_id', a.party_id, 'seizure_id', a.seizure_id, 'role', a.role, " \
	"'source', a.source, 'date', a.date, 'created_at', a.created_at, 'created_by', "   \
	"a.created_by)"
#define RELATION_JSON                                                                    \
	"json_object('party_id', a.party_id, 'other_id', a.other_id, 'kind', a.kind, "      \
	"'source', a.source, 'date', a.date, 'seizure_id', a.seizure_id, 'created_at', "   \
	"a.created_at, 'created_by', a.created_by, 'new_party_id', ?4, 'new_other_id', ?5)"

/* Moves the rows of table (party_identifier or party_seizure, whose other
 * end is column to_col) from party ?2 to ?3, recording them as tbl. */
static int move_simple(struct store *st, int64_t merge_id, int64_t from, int64_t to,
		       const char *table, const char *to_col, const char *tbl, const char *json,
		       struct error *err)
{
	char sql[2048];
	int64_t ids[3] = { merge_id, from, to };
	/* duplicates of the survivor's links: recorded, then deleted */
	snprintf(sql, sizeof sql,
		 "INSERT INTO party_merge_row(merge_id, tbl, action, row_id, dup_of, data) "
		 "SELECT ?1, '%s', 'dropped', a.id, s.id, %s FROM %s a JOIN %s s ON s.party_id = ?3 "
		 "AND s.%s = a.%s AND s.role = a.role WHERE a.party_id = ?2 ORDER BY a.id",
		 tbl, json, table, table, to_col, to_col);
	if (exec_ids(st, sql, ids, 3, err, "merging links") != 0)
		return -1;
	snprintf(sql, sizeof sql,
		 "DELETE FROM %s WHERE id IN (SELECT row_id FROM party_merge_row WHERE merge_id = "
		 "?1 AND tbl = '%s' AND action = 'dropped')",
		 table, tbl);
	if (exec_ids(st, sql, ids, 1, err, "merging links") != 0)
		return -1;
	snprintf(sql, sizeof sql,
		 "INSERT INTO party_merge_row(merge_id, tbl, action, row_id, dup_of, data) "
		 "SELECT ?1, '%s', 'moved', a.id, NULL, %s FROM %s a WHERE a.party_id = ?2 "
		 "ORDER BY a.id",
		 tbl, json, table);
	if (exec_ids(st, sql, ids, 3, err, "merging links") != 0)
		return -1;
	snprintf(sql, sizeof sql, "UPDATE %s SET party_id = ?2 WHERE party_id = ?1", table);
	int64_t mv[2] = { from, to };
	return exec_ids(st, sql, mv, 2, err, "merging links");
}

static int is_symmetric(const char *kind)
{
	return strcmp(kind, "family") == 0 || strcmp(kind, "associate") == 0;
}

static int move_relations(struct store *st, int64_t merge_id, int64_t from, int64_t to,
			  struct error *err)
{
	struct arena ar;
	arena_init(&ar);
	struct rel {
		int64_t id, party_id, other_id;
		const char *kind;
	} *rels = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT id, party_id, other_id, kind FROM party_relation WHERE "
			       "party_id = ?1 OR other_id = ?1 ORDER BY id",
			       err);
	if (!q)
		goto out;
	sqlite3_bind_int64(q, 1, from);
	int src;
	while ((src = sqlite3_step(q)) == SQLITE_ROW) {
		rels = arena_grow(&ar, rels, n, &cap, sizeof *rels);
		rels[n].id = sqlite3_column_int64(q, 0);
		rels[n].party_id = sqlite3_column_int64(q, 1);
		rels[n].other_id = sqlite3_column_int64(q, 2);
		rels[n].kind = col_text(q, 3, &ar);
		n++;
	}
	sqlite3_finalize(q);
	if (src != SQLITE_DONE) {
		store_fail(st, err, "reading relations");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rel *r = &rels[i];
		int64_t np = r->party_id == from ? to : r->party_id;
		int64_t no = r->other_id == from ? to : r->other_id;
		if (is_symmetric(r->kind) && np > no) {
			int64_t t = np;
			np = no;
			no = t;
		}
		const char *action = "moved";
		int64_t dup = 0;
		if (np == no) {
			action = "dropped"; /* a relation between the two parties */
		} else {
			q = stmt_prepare_once(st,
				 "SELECT id FROM party_relation WHERE party_id = ?1 AND other_id = ?2 "
				 "AND kind = ?3 AND id <> ?4",
				 err);
			if (!q)
				goto out;
			sqlite3_bind_int64(q, 1, np);
			sqlite3_bind_int64(q, 2, no);
			bind_text(q, 3, r->kind);
			sqlite3_bind_int64(q, 4, r->id);
			int s = sqlite3_step(q);
			if (s == SQLITE_ROW) {
				action = "dropped";
				dup = sqlite3_column_int64(q, 0);
			}
			sqlite3_finalize(q);
			if (s != SQLITE_ROW && s != SQLITE_DONE) {
				store_fail(st, err, "reading relations");
				goto out;
			}
		}
		q = stmt_prepare_once(st,
			 "INSERT INTO party_merge_row(merge_id, tbl, action, row_id, dup_of, data) "
			 "SELECT ?1, 'relation', ?2, a.id, ?6, " RELATION_JSON
			 " FROM party_relation a WHERE a.id = ?3",
			 err);
		if (!q)
			goto out;
		sqlite3_bind_int64(q, 1, merge_id);
		bind_text(q, 2, action);
		sqlite3_bind_int64(q, 3, r->id);
		sqlite3_bind_int64(q, 4, np);
		sqlite3_bind_int64(q, 5, no);
		bind_id_or_null(q, 6, dup);
		if (step_once(st, q, err, "recording the merge") != 0)
			goto out;
		/* the other end changes too */
		int64_t other = r->party_id == from ? r->other_id : r->party_id;
		if (exec_ids(st, "UPDATE party SET gen = -1 WHERE id = ?1", &other, 1, err,
			     "merging relations") != 0)
			goto out;
		if (strcmp(action, "dropped") == 0) {
			if (exec_ids(st, "DELETE FROM party_relation WHERE id = ?1", &r->id, 1, err,
				     "merging relations") != 0)
				goto out;
		} else {
			int64_t ids[3] = { r->id, np, no };
			if (exec_ids(st,
				     "UPDATE party_relation SET party_id = ?2, other_id = ?3 WHERE "
				     "id = ?1",
				     ids, 3, err, "merging relations") != 0)
				goto out;
		}
	}
	rc = 0;
out:
	arena_free(&ar);
	return rc;
}

int store_merge_move_links(struct store *st, int64_t merge_id, int64_t from, int64_t to,
			   struct error *err)
{
	if (move_simple(st, merge_id, from, to, "party_identifier", "identifier_id", "identifier",
			IDENT_JSON, err) != 0 ||
	    move_simple(st, merge_id, from, to, "party_seizure", "seizure_id", "seizure",
			SEIZURE_JSON, err) != 0 ||
	    move_relations(st, merge_id, from, to, err) != 0)
		return -1;
	return touch(st, from, to, err);
}

/* The first row of sql (bound ?1 merge, ?2 survivor, ?3 merged) as a
 * conflict with message fmt (one %lld for column 0, one %s for column 1). */
static int conflict_if(struct store *st, const char *sql, const struct party_merge_rec *m,
		       const char *fmt, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, m->id);
	sqlite3_bind_int64(q, 2, m->survivor_id);
	sqlite3_bind_int64(q, 3, m->merged_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(q, 1);
		char msg[512];
		snprintf(msg, sizeof msg, fmt, (long long)sqlite3_column_int64(q, 0),
			 t ? (const char *)t : "");
		sqlite3_finalize(q);
		return error_set(err, ERR_CONFLICT, "merge %lld cannot be undone exactly: %s",
				 (long long)m->id, msg);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "checking the merge");
	return 0;
}

int store_merge_check_undo(struct store *st, const struct party_merge_rec *m,
			   struct error *err)
{
	/* a later merge into the survivor dropped a row as a duplicate of one
	 * this merge brought */
	if (conflict_if(st,
			"SELECT m2.id, m2.merged_id FROM party_merge_row r2 JOIN party_merge m2 ON "
			"m2.id = r2.merge_id WHERE m2.survivor_id = ?2 AND m2.id > ?1 AND "
			"m2.undone_at IS NULL AND r2.action = 'dropped' AND ("
			"(r2.tbl IN ('identifier', 'seizure', 'relation') AND r2.dup_of IN (SELECT "
			"row_id FROM party_merge_row WHERE merge_id = ?1 AND action = 'moved' AND "
			"tbl = r2.tbl)) OR (r2.tbl = 'name' AND json_extract(r2.data, '$.name') IN "
			"(SELECT json_extract(data, '$.name') FROM party_merge_row WHERE merge_id = "
			"?1 AND tbl = 'name' AND action = 'moved')) OR (r2.tbl = 'registration' AND "
			"json_extract(r2.data, '$.number') IN (SELECT json_extract(data, '$.number') "
			"FROM party_merge_row WHERE merge_id = ?1 AND tbl = 'registration' AND "
			"action = 'moved'))) ORDER BY m2.id DESC LIMIT 1",
			m, "a later merge (%lld, of party %s) relies on what this merge brought; "
			   "undo that merge first",
			err) != 0)
		return -1;
	/* moved links that are no longer on the survivor (while their other
	 * end still exists) */
	if (conflict_if(st,
			"SELECT r.row_id, 'identifier ' || i.display FROM party_merge_row r JOIN "
			"identifier i ON i.id = json_extract(r.data, '$.identifier_id') WHERE "
			"r.merge_id = ?1 AND r.tbl = 'identifier' AND r.action = 'moved' AND NOT "
			"EXISTS (SELECT 1 FROM party_identifier l WHERE l.id = r.row_id AND "
			"l.party_id = ?2 AND l.identifier_id = i.id AND l.role = json_extract(r.data, "
			"'$.role')) LIMIT 1",
			m, "the link %lld (%s) it moved was removed from the surviving party since",
			err) != 0 ||
	    conflict_if(st,
			"SELECT r.row_id, 'seizure ' || s.ref FROM party_merge_row r JOIN seizure s "
			"ON s.id = json_extract(r.data, '$.seizure_id') WHERE r.merge_id = ?1 AND "
			"r.tbl = 'seizure' AND r.action = 'moved' AND NOT EXISTS (SELECT 1 FROM "
			"party_seizure l WHERE l.id = r.row_id AND l.party_id = ?2 AND l.seizure_id = "
			"s.id AND l.role = json_extract(r.data, '$.role')) LIMIT 1",
			m, "the link %lld (%s) it moved was removed from the surviving party since",
			err) != 0 ||
	    conflict_if(st,
			"SELECT r.row_id, 'relation ' || json_extract(r.data, '$.kind') FROM "
			"party_merge_row r JOIN party o ON o.id = CASE WHEN json_extract(r.data, "
			"'$.party_id') = ?3 THEN json_extract(r.data, '$.other_id') ELSE "
			"json_extract(r.data, '$.party_id') END WHERE r.merge_id = ?1 AND r.tbl = "
			"'relation' AND r.action = 'moved' AND NOT EXISTS (SELECT 1 FROM "
			"party_relation l WHERE l.id = r.row_id AND l.party_id = json_extract(r.data, "
			"'$.new_party_id') AND l.other_id = json_extract(r.data, '$.new_other_id')) "
			"LIMIT 1",
			m, "the link %lld (%s) it moved was removed from the surviving party since",
			err) != 0)
		return -1;
	/* the merged party got the same link again since */
	return conflict_if(
		st,
		"SELECT r.row_id, r.tbl FROM party_merge_row r WHERE r.merge_id = ?1 AND "
		"r.action = 'moved' AND ((r.tbl = 'identifier' AND EXISTS (SELECT 1 FROM "
		"party_identifier x WHERE x.party_id = ?3 AND x.identifier_id = "
		"json_extract(r.data, '$.identifier_id') AND x.role = json_extract(r.data, "
		"'$.role'))) OR (r.tbl = 'seizure' AND EXISTS (SELECT 1 FROM party_seizure x "
		"WHERE x.party_id = ?3 AND x.seizure_id = json_extract(r.data, '$.seizure_id') "
		"AND x.role = json_extract(r.data, '$.role')))) LIMIT 1",
		m, "the merged party was given the link %lld (%s) again since; remove it from "
		   "the merged party first",
		err);
}

int store_merge_restore_links(struct store *st, const struct party_merge_rec *m,
			      struct error *err)
{
	int64_t ids[3] = { m->id, m->survivor_id, m->merged_id };
	static const char *const sql[] = {
		/* moved links go back */
		"UPDATE party_identifier SET party_id = ?3 WHERE party_id = ?2 AND id IN (SELECT "
		"row_id FROM party_merge_row WHERE merge_id = ?1 AND tbl = 'identifier' AND "
		"action = 'moved')",
		"UPDATE party_seizure SET party_id = ?3 WHERE party_id = ?2 AND id IN (SELECT "
		"row_id FROM party_merge_row WHERE merge_id = ?1 AND tbl = 'seizure' AND "
		"action = 'moved')",
		"UPDATE party SET gen = -1 WHERE id IN (SELECT CASE WHEN json_extract(data, "
		"'$.party_id') = ?3 THEN json_extract(data, '$.other_id') ELSE "
		"json_extract(data, '$.party_id') END FROM party_merge_row WHERE merge_id = ?1 "
		"AND tbl = 'relation')",
		"UPDATE party_relation SET party_id = (SELECT json_extract(r.data, '$.party_id') "
		"FROM party_merge_row r WHERE r.merge_id = ?1 AND r.tbl = 'relation' AND "
		"r.action = 'moved' AND r.row_id = party_relation.id), other_id = (SELECT "
		"json_extract(r.data, '$.other_id') FROM party_merge_row r WHERE r.merge_id = ?1 "
		"AND r.tbl = 'relation' AND r.action = 'moved' AND r.row_id = party_relation.id) "
		"WHERE id IN (SELECT row_id FROM party_merge_row WHERE merge_id = ?1 AND tbl = "
		"'relation' AND action = 'moved')",
		/* dropped duplicates come back (with their ids when free; those
		 * whose other end is gone stay gone) */
		"INSERT OR IGNORE INTO party_identifier(id, party_id, identifier_id, role, source, "
		"date, seizure_id, created_at, created_by) SELECT CASE WHEN EXISTS (SELECT 1 FROM "
		"party_identifier WHERE id = r.row_id) THEN NULL ELSE r.row_id END, ?3, "
		"json_extract(r.data, '$.identifier_id'), json_extract(r.data, '$.role'), "
		"json_extract(r.data, '$.source'), json_extract(r.data, '$.date'), CASE WHEN "
		"EXISTS (SELECT 1 FROM seizure WHERE id = json_extract(r.data, '$.seizure_id')) "
		"THEN json_extract(r.data, '$.seizure_id') END, json_extract(r.data, "
		"'$.created_at'), json_extract(r.data, '$.created_by') FROM party_merge_row r "
		"WHERE r.merge_id = ?1 AND r.tbl = 'identifier' AND r.action = 'dropped' AND "
		"EXISTS (SELECT 1 FROM identifier WHERE id = json_extract(r.data, "
		"'$.identifier_id')) ORDER BY r.id",
		"INSERT OR IGNORE INTO party_seizure(id, party_id, seizure_id, role, source, date, "
		"created_at, created_by) SELECT CASE WHEN EXISTS (SELECT 1 FROM party_seizure "
		"WHERE id = r.row_id) THEN NULL ELSE r.row_id END, ?3, json_extract(r.data, "
		"'$.seizure_id'), json_extract(r.data, '$.role'), json_extract(r.data, "
		"'$.source'), json_extract(r.data, '$.date'), json_extract(r.data, "
		"'$.created_at'), json_extract(r.data, '$.created_by') FROM party_merge_row r "
		"WHERE r.merge_id = ?1 AND r.tbl = 'seizure' AND r.action = 'dropped' AND "
		"EXISTS (SELECT 1 FROM seizure WHERE id = json_extract(r.data, '$.seizure_id')) "
		"ORDER BY r.id",
		"INSERT OR IGNORE INTO party_relation(id, party_id, other_id, kind, source, date, "
		"seizure_id, created_at, created_by) SELECT CASE WHEN EXISTS (SELECT 1 FROM "
		"party_relation WHERE id = r.row_id) THEN NULL ELSE r.row_id END, "
		"json_extract(r.data, '$.party_id'), json_extract(r.data, '$.other_id'), "
		"json_extract(r.data, '$.kind'), json_extract(r.data, '$.source'), "
		"json_extract(r.data, '$.date'), CASE WHEN EXISTS (SELECT 1 FROM seizure WHERE "
		"id = json_extract(r.data, '$.seizure_id')) THEN json_extract(r.data, "
		"'$.seizure_id') END, json_extract(r.data, '$.created_at'), json_extract(r.data, "
		"'$.created_by') FROM party_merge_row r WHERE r.merge_id = ?1 AND r.tbl = "
		"'relation' AND r.action = 'dropped' AND EXISTS (SELECT 1 FROM party WHERE id = "
		"json_extract(r.data, '$.party_id')) AND EXISTS (SELECT 1 FROM party WHERE id = "
		"json_extract(r.data, '$.other_id')) ORDER BY r.id",
	};
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
		sqlite3_stmt *q = stmt_prepare_once(st, sql[i], err);
		if (!q)
			return -1;
		/* statements not using every parameter ignore the extra binds */
		for (int k = 0; k < 3; k++)
			sqlite3_bind_int64(q, k + 1, ids[k]);
		if (step_once(st, q, err, "undoing the merge") != 0)
			return -1;
	}
	return touch(st, m->survivor_id, m->merged_id, err);
}

int store_merge_set_undone(struct store *st, int64_t id, int64_t user_id, const char *at,
			   const char *reason, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "UPDATE party_merge SET undone_at = ?2, undone_by = ?3, undo_reason = "
			       "?4 WHERE id = ?1 AND undone_at IS NULL",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	bind_text(q, 2, at);
	bind_id_or_null(q, 3, user_id);
	bind_text(q, 4, reason);
	if (step_once(st, q, err, "recording the undo") != 0)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return error_set(err, ERR_CONFLICT, "merge %lld was undone already", (long long)id);
	return 0;
}

#define MERGE_COLS                                                                          \
	"m.id, m.survivor_id, m.merged_id, m.candidate_id, m.reason, m.automatic, m.user_id, " \
	"(SELECT username FROM user WHERE id = m.user_id), m.at, m.survivor_version, "         \
	"m.merged_version, m.undone_at, m.undone_by, (SELECT username FROM user WHERE id = "   \
	"m.undone_by), m.undo_reason, (SELECT name FROM party_name WHERE party_id = "          \
	"m.survivor_id ORDER BY kind <> 'full', line LIMIT 1), (SELECT json_extract(data, "    \
	"'$.name') FROM party_merge_row WHERE merge_id = m.id AND tbl = 'name' ORDER BY "      \
	"json_extract(data, '$.kind') <> 'full', row_id LIMIT 1)"

static int read_merges(struct store *st, sqlite3_stmt *q, struct party_merge_rec **out,
		       size_t *n, struct arena *ar, struct error *err)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n, &cap, sizeof **out);
		struct party_merge_rec *m = &(*out)[(*n)++];
		memset(m, 0, sizeof *m);
		int c = 0;
		m->id = sqlite3_column_int64(q, c++);
		m->survivor_id = sqlite3_column_int64(q, c++);
		m->merged_id = sqlite3_column_int64(q, c++);
		m->candidate_id = col_id(q, c++);
		m->reason = col_text(q, c++, ar);
		m->automatic = sqlite3_column_int(q, c++);
		m->user_id = col_id(q, c++);
		m->username = col_text(q, c++, ar);
		m->at = col_text(q, c++, ar);
		m->survivor_version = sqlite3_column_int64(q, c++);
		m->merged_version = sqlite3_column_int64(q, c++);
		m->undone_at = col_text(q, c++, ar);
		m->undone_by = col_id(q, c++);
		m->undone_by_name = col_text(q, c++, ar);
		m->undo_reason = col_text(q, c++, ar);
		m->survivor_name = col_text(q, c++, ar);
		m->merged_name = col_text(q, c++, ar);
		if (!m->username)
			m->username = "system";
		if (m->undone_at && !m->undone_by_name)
			m->undone_by_name = "system";
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading merges");
	q = stmt_prepare_once(st,
		 "SELECT id, tbl, action, row_id, dup_of, data FROM party_merge_row WHERE "
		 "merge_id = ? ORDER BY id",
		 err);
	if (!q)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		struct party_merge_rec *m = &(*out)[i];
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, m->id);
		cap = 0;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			m->rows = arena_grow(ar, m->rows, m->nrows, &cap, sizeof *m->rows);
			struct party_merge_row *r = &m->rows[m->nrows++];
			r->id = sqlite3_column_int64(q, 0);
			r->tbl = col_text(q, 1, ar);
			r->action = col_text(q, 2, ar);
			r->row_id = col_id(q, 3);
			r->dup_of = col_id(q, 4);
			r->data = col_text(q, 5, ar);
		}
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(q);
			return store_fail(st, err, "reading merges");
		}
	}
	sqlite3_finalize(q);
	return 0;
}

int store_merge_get(struct store *st, int64_t id, struct party_merge_rec *out,
		    struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "SELECT " MERGE_COLS " FROM party_merge m WHERE m.id = ?", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	struct party_merge_rec *v;
	size_t n;
	if (read_merges(st, q, &v, &n, ar, err) != 0)
		return -1;
	if (!n)
		return error_set(err, ERR_NOT_FOUND, "merge %lld not found", (long long)id);
	*out = v[0];
	return 0;
}

int store_merge_list(struct store *st, int64_t party_id, struct party_merge_rec **out,
		     size_t *n, struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT " MERGE_COLS " FROM party_merge m WHERE m.survivor_id = ?1 OR "
			       "m.merged_id = ?1 ORDER BY m.id DESC",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, party_id);
	return read_merges(st, q, out, n, ar, err);
}

int store_merge_in_force(struct store *st, int64_t party_id, int64_t *merge_id,
			 struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT max(id) FROM party_merge WHERE merged_id = ? AND undone_at IS "
			       "NULL",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, party_id);
	int rc = sqlite3_step(q);
	*merge_id = rc == SQLITE_ROW ? col_id(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "reading merges");
	return 0;
}

int store_merge_pair_undone(struct store *st, int64_t a, int64_t b, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT EXISTS (SELECT 1 FROM party_merge WHERE undone_at IS NOT NULL "
			       "AND ((survivor_id = ?1 AND merged_id = ?2) OR (survivor_id = ?2 AND "
			       "merged_id = ?1)))",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, a);
	sqlite3_bind_int64(q, 2, b);
	int rc = sqlite3_step(q);
	int v = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "reading merges");
	return v;
}
