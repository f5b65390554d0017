/* The audit log and import jobs. */
#include <stdio.h>
#include <string.h>

#include "store/internal.h"

int store_audit_last_hash(struct store *st, char *out, size_t size, struct error *err)
{
	if (st->in_tx && st->audit_head_valid) {
		snprintf(out, size, "%s", st->audit_head);
		return 0;
	}
	/* chain from the recorded head (not the newest row), so entries cut off
	 * the end stay detectable after later writes */
	sqlite3_stmt *s = store_stmt(st, S_AUDIT_LAST,
				     "SELECT coalesce((SELECT value FROM setting WHERE key = "
				     "'audit_head'), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1))",
				     err);
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	out[0] = '\0';
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(s, 0);
		if (h)
			snprintf(out, size, "%s", h);
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return store_fail(st, err, "reading the audit log");
	}
	sqlite3_reset(s);
	return 0;
}

int store_audit_insert(struct store *st, const struct audit_rec *r, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_AUDIT_INSERT,
				     "INSERT INTO audit(at, user_id, action, entity, entity_id, "
				     "detail, prev_hash, hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
				     err);
	if (!s)
		return -1;
	bind_text(s, 1, r->at);
	if (r->user_id)
		sqlite3_bind_int64(s, 2, r->user_id);
	bind_text(s, 3, r->action);
	bind_text(s, 4, r->entity);
	if (r->entity_id)
		sqlite3_bind_int64(s, 5, r->entity_id);
	bind_text(s, 6, r->detail);
	bind_text(s, 7, r->prev_hash);
	bind_text(s, 8, r->hash);
	if (step_done(st, s, err, "writing the audit log") != 0)
		return -1;
	if (st->in_tx) {
		snprintf(st->audit_head, sizeof st->audit_head, "%s", r->hash);
		st->audit_head_valid = 1;
		st->audit_dirty = 1;
		return 0;
	}
	return store_setting_set(st, "audit_head", r->hash, err);
}

int store_audit_each(struct store *st, const char *entity, int64_t entity_id,
		     store_audit_fn fn, void *ctx, struct error *err)
{
	sqlite3_stmt *s;
	if (entity) {
		/* changes through audit_entity, views through audit_view: one
		 * probe per block of 16,384 ids (migration 0005) */
		s = store_stmt(st, S_AUDIT_ENTITY,
			       "SELECT a.id, a.at, a.user_id, u.username, a.action, a.entity, "
			       "a.entity_id, a.detail, a.prev_hash, a.hash FROM audit a "
			       "LEFT JOIN user u ON u.id = a.user_id "
			       "WHERE a.entity = ?1 AND a.entity_id = ?2 AND a.action <> 'view' "
			       "UNION ALL "
			       "SELECT a.id, a.at, a.user_id, u.username, a.action, a.entity, "
			       "a.entity_id, a.detail, a.prev_hash, a.hash FROM "
			       "(WITH RECURSIVE b(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM b "
			       "WHERE x < ((SELECT max(id) FROM audit) >> 14)) SELECT x FROM b) b "
			       "JOIN audit a ON (a.id >> 14) = b.x AND a.entity = ?1 "
			       "AND a.entity_id = ?2 AND a.action = 'view' "
			       "LEFT JOIN user u ON u.id = a.user_id "
			       "UNION ALL "
			       "SELECT a.id, a.at, a.user_id, u.username, 'import', 'seizure', "
			       "i.seizure_id, json_object('content_hash', i.content_hash, "
			       "'import_id', i.import_id, 'version', i.version), a.prev_hash, a.hash "
			       "FROM import_seizure i JOIN audit a ON a.entity = 'import' "
			       "AND a.entity_id = i.import_id AND a.action = 'import' "
			       "AND a.action <> 'view' "
			       "LEFT JOIN user u ON u.id = a.user_id "
			       "WHERE ?1 = 'seizure' AND i.seizure_id = ?2 "
			       "ORDER BY 1",
			       err);
		if (!s)
			return -1;
		bind_text(s, 1, entity);
		sqlite3_bind_int64(s, 2, entity_id);
	} else {
		s = store_stmt(st, S_AUDIT_ALL,
			       "SELECT a.id, a.at, a.user_id, NULL, a.action, a.entity, "
			       "a.entity_id, a.detail, a.prev_hash, a.hash FROM audit a ORDER BY a.id",
			       err);
		if (!s)
			return -1;
	}
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_rec r = {
			.id = sqlite3_column_int64(s, 0),
			.at = (const char *)sqlite3_column_text(s, 1),
			.user_id = sqlite3_column_int64(s, 2),
			.username = (const char *)sqlite3_column_text(s, 3),
			.action = (const char *)sqlite3_column_text(s, 4),
			.entity = (const char *)sqlite3_column_text(s, 5),
			.entity_id = sqlite3_column_int64(s, 6),
			.detail = (const char *)sqlite3_column_text(s, 7),
			.prev_hash = (const char *)sqlite3_column_text(s, 8),
			.hash = (const char *)sqlite3_column_text(s, 9),
		};
		if (fn(ctx, &r) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return store_fail(st, err, "reading the audit log");
	}
	sqlite3_reset(s);
	return 0;
}

int store_import_seizure_add(struct store *st, int64_t import_id, int64_t seizure_id,
			     int64_t version, const char *content_hash, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_IMPORT_SEIZURE_ADD,
				     "INSERT INTO import_seizure(import_id, seizure_id, version, "
				     "content_hash) VALUES(?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
				     "version = excluded.version, content_hash = excluded.content_hash",
				     err);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, import_id);
	sqlite3_bind_int64(s, 2, seizure_id);
	sqlite3_bind_int64(s, 3, version);
	bind_text(s, 4, content_hash);
	return step_done(st, s, err, "listing the import's seizures");
}

int store_import_seizure_each(struct store *st, int64_t import_id, store_import_seizure_fn fn,
			      void *ctx, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_IMPORT_SEIZURE_EACH,
				     "SELECT seizure_id, version, content_hash FROM import_seizure "
				     "WHERE import_id = ? ORDER BY seizure_id",
				     err);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, import_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(ctx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
		       (const char *)sqlite3_column_text(s, 2)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the import's seizures");
	return 0;
}

int store_import_seizure_orphan(struct store *st, int64_t *import_id, struct error *err)
{
	return query_int64(st,
			   "SELECT coalesce(min(import_id), 0) FROM (SELECT DISTINCT import_id "
			   "FROM import_seizure) i WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE "
			   "a.entity = 'import' AND a.entity_id = i.import_id AND a.action = "
			   "'import' AND a.action <> 'view')",
			   import_id, err, "reading the imports' lists");
}

int store_import_insert(struct store *st, struct import_rec *r, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_IMPORT_INSERT,
				     "INSERT INTO import_job(user_id, filename, sha256, created_at, "
				     "rows, seizures_created, seizures_updated, seizures_unchanged, "
				     "rows_rejected) VALUES(?, ?, ?, "
				     "strftime('%Y-%m-%dT%H:%M:%SZ','now'), 0, 0, 0, 0, 0)",
				     err);
	if (!s)
		return -1;
	if (r->user_id)
		sqlite3_bind_int64(s, 1, r->user_id);
	else
		sqlite3_bind_null(s, 1);
	bind_text(s, 2, r->filename);
	bind_text(s, 3, r->sha256);
	if (step_done(st, s, err, "recording the import") != 0)
		return -1;
	r->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_import_finish(struct store *st, const struct import_rec *r, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_IMPORT_FINISH,
				     "UPDATE import_job SET rows = ?, seizures_created = ?, "
				     "seizures_updated = ?, seizures_unchanged = ?, rows_rejected = ?, "
				     "sha256 = coalesce(?, sha256) WHERE id = ?",
				     err);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, r->rows);
	sqlite3_bind_int64(s, 2, r->created);
	sqlite3_bind_int64(s, 3, r->updated);
	sqlite3_bind_int64(s, 4, r->unchanged);
	sqlite3_bind_int64(s, 5, r->rejected);
	if (r->sha256)
		bind_text(s, 6, r->sha256);
	else
		sqlite3_bind_null(s, 6);
	sqlite3_bind_int64(s, 7, r->id);
	return step_done(st, s, err, "recording the import");
}
