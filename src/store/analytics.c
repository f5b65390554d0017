/* The analytics' reads of the register and its conversion and rates tables.
 * Statements are prepared per call: these run at start, after changes and on
 * admin edits, never per dashboard query. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics.h"
#include "lib/clock.h"
#include "lib/xalloc.h"
#include "store/internal.h"

static const char *text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int store_analytics_seizures(struct store *st, int64_t id, store_an_seizure_fn fn, void *ctx,
			     struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(
		st,
		"SELECT id, agency_id, sharing = 'national', date_from, date_to, country, origin, "
		"transit, destination, transport_mode, detection_method, concealment_code, latitude, "
		"longitude, value_amount, value_currency FROM seizure WHERE ?1 = 0 OR id = ?1 "
		"ORDER BY id",
		err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_an_seizure s = {
			.id = sqlite3_column_int64(q, 0), .agency_id = sqlite3_column_int64(q, 1),
			.national = sqlite3_column_int(q, 2), .date_from = text(q, 3),
			.date_to = text(q, 4), .country = text(q, 5), .origin = text(q, 6),
			.transit = text(q, 7), .destination = text(q, 8), .transport_mode = text(q, 9),
			.detection_method = text(q, 10), .concealment_code = text(q, 11),
		};
		if (sqlite3_column_type(q, 12) != SQLITE_NULL &&
		    sqlite3_column_type(q, 13) != SQLITE_NULL) {
			s.has_coords = 1;
			s.latitude = sqlite3_column_double(q, 12);
			s.longitude = sqlite3_column_double(q, 13);
		}
		if (sqlite3_column_type(q, 14) != SQLITE_NULL) {
			s.has_value = 1;
			s.value_amount = sqlite3_column_double(q, 14);
			s.value_currency = text(q, 15);
		}
		stop = fn(ctx, &s);
	}
	int bad = !stop && rc != SQLITE_DONE;
	if (bad)
		store_fail(st, err, "reading seizures for the analytics");
	sqlite3_finalize(q);
	return bad ? -1 : 0;
}

int store_analytics_items(struct store *st, int64_t seizure_id, store_an_item_fn fn, void *ctx,
			  struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(
		st,
		seizure_id ? "SELECT seizure_id, taxon_id, term, unit, quantity FROM seizure_item "
			     "WHERE seizure_id = ?1 ORDER BY line"
			   : "SELECT seizure_id, taxon_id, term, unit, quantity FROM seizure_item",
		err);
	if (!q)
		return -1;
	if (seizure_id)
		sqlite3_bind_int64(q, 1, seizure_id);
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_an_item it = { .seizure_id = sqlite3_column_int64(q, 0),
					    .taxon_id = sqlite3_column_int64(q, 1),
					    .term = text(q, 2), .unit = text(q, 3),
					    .quantity = sqlite3_column_double(q, 4) };
		if (!it.unit)
			it.unit = "";
		stop = fn(ctx, &it);
	}
	int bad = !stop && rc != SQLITE_DONE;
	if (bad)
		store_fail(st, err, "reading seizure items for the analytics");
	sqlite3_finalize(q);
	return bad ? -1 : 0;
}

int store_audit_max_id(struct store *st, int64_t *id, struct error *err)
{
	return query_int64(st, "SELECT coalesce(max(id), 0) FROM audit", id, err,
			   "reading the audit log");
}

int store_seizure_changed_since(struct store *st, int64_t after_id, size_t max, int64_t **ids,
				size_t *n, int64_t *last, struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
				  "SELECT id, entity_id FROM audit WHERE id > ?1 AND entity = 'seizure' "
				  "AND action IN ('create', 'update', 'delete', 'import') "
				  "UNION ALL SELECT a.id, i.seizure_id FROM audit a JOIN import_seizure i "
				  "ON i.import_id = a.entity_id WHERE a.id > ?1 AND a.entity = 'import' "
				  "AND a.action = 'import' ORDER BY 1",
				  err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, after_id);
	*ids = arena_alloc(ar, (max + 1) * sizeof **ids);
	*n = 0;
	*last = after_id;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t aid = sqlite3_column_int64(q, 0), sid = sqlite3_column_int64(q, 1);
		*last = aid;
		int seen = 0;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = (*ids)[i] == sid;
		if (seen)
			continue;
		(*ids)[(*n)++] = sid;
		if (*n > max)
			break;
	}
	int bad = rc != SQLITE_DONE && rc != SQLITE_ROW;
	if (bad)
		store_fail(st, err, "reading the audit log");
	sqlite3_finalize(q);
	if (!bad) {
		/* the newest audit id, so the next look starts after everything */
		if (store_audit_max_id(st, last, err) != 0)
			return -1;
	}
	return bad ? -1 : 0;
}

static double col_real(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

static void bind_real(sqlite3_stmt *q, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_double(q, i, v);
}

int store_conversion_list(struct store *st, struct an_conversion **out, size_t *n,
			  struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
				  "SELECT id, taxon, term, unit, commodity, kg_per_unit, "
				  "animals_per_unit, rie_factor, estimate, source, note, updated_at "
				  "FROM analytics_conversion ORDER BY id",
				  err);
	if (!q)
		return -1;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n + 1, &cap, sizeof **out);
		struct an_conversion *c = &(*out)[(*n)++];
		c->id = sqlite3_column_int64(q, 0);
		c->taxon = col_text(q, 1, ar);
		c->term = col_text(q, 2, ar);
		c->unit = col_text(q, 3, ar);
		if (!c->unit)
			c->unit = "";
		c->commodity = col_text(q, 4, ar);
		c->kg_per_unit = col_real(q, 5);
		c->animals_per_unit = col_real(q, 6);
		c->rie_factor = col_real(q, 7);
		c->estimate = sqlite3_column_int(q, 8);
		c->source = col_text(q, 9, ar);
		c->note = col_text(q, 10, ar);
		c->updated_at = col_text(q, 11, ar);
	}
	int bad = rc != SQLITE_DONE;
	if (bad)
		store_fail(st, err, "reading the conversion table");
	sqlite3_finalize(q);
	return bad ? -1 : 0;
}

/* Runs q to the end; ERR_NOT_FOUND when it changed no row and must_change. */
static int run(struct store *st, sqlite3_stmt *q, int must_change, const char *what,
	       struct error *err)
{
	int rc = sqlite3_step(q);
	int bad = rc != SQLITE_DONE && rc != SQLITE_ROW;
	if (bad)
		store_fail(st, err, what);
	else if (must_change && sqlite3_changes(st->db) == 0) {
		bad = 1;
		error_set(err, ERR_NOT_FOUND, "no such entry");
	}
	sqlite3_finalize(q);
	return bad ? -1 : 0;
}

int store_conversion_save(struct store *st, struct an_conversion *c, int64_t user_id,
			  struct error *err)
{
	char now[32];
	clock_iso(now, sizeof now);
	sqlite3_stmt *q = stmt_prepare_once(
		st,
		c->id ? "UPDATE analytics_conversion SET taxon = ?2, term = ?3, unit = ?4, "
			"commodity = ?5, kg_per_unit = ?6, animals_per_unit = ?7, rie_factor = ?8, "
			"estimate = ?9, source = ?10, note = ?11, updated_at = ?12, updated_by = ?13 "
			"WHERE id = ?1"
		      : "INSERT INTO analytics_conversion(taxon, term, unit, commodity, kg_per_unit, "
			"animals_per_unit, rie_factor, estimate, source, note, updated_at, updated_by) "
			"VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
		err);
	if (!q)
		return -1;
	if (c->id)
		sqlite3_bind_int64(q, 1, c->id);
	bind_text(q, 2, c->taxon);
	bind_text(q, 3, c->term);
	bind_text(q, 4, c->unit ? c->unit : "");
	bind_text(q, 5, c->commodity);
	bind_real(q, 6, c->kg_per_unit);
	bind_real(q, 7, c->animals_per_unit);
	bind_real(q, 8, c->rie_factor);
	sqlite3_bind_int(q, 9, c->estimate);
	bind_text(q, 10, c->source);
	bind_text_null(q, 11, c->note);
	bind_text(q, 12, now);
	if (user_id)
		sqlite3_bind_int64(q, 13, user_id);
	int is_update = c->id != 0;
	if (run(st, q, is_update, "saving a conversion factor", err) != 0) {
		if (err->code == ERR_CONFLICT)
			error_set(err, ERR_CONFLICT,
				  "a conversion for this taxon, term and unit exists already");
		return -1;
	}
	if (!is_update)
		c->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_conversion_delete(struct store *st, int64_t id, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "DELETE FROM analytics_conversion WHERE id = ?1", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	return run(st, q, 1, "deleting a conversion factor", err);
}

int store_rate_list(struct store *st, struct an_rate **out, size_t *n, struct arena *ar,
		    struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
				  "SELECT id, currency, usd_per_unit, as_of, source, estimate FROM "
				  "analytics_rate ORDER BY id",
				  err);
	if (!q)
		return -1;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n + 1, &cap, sizeof **out);
		struct an_rate *r = &(*out)[(*n)++];
		r->id = sqlite3_column_int64(q, 0);
		r->currency = col_text(q, 1, ar);
		r->usd_per_unit = sqlite3_column_double(q, 2);
		r->as_of = col_text(q, 3, ar);
		r->source = col_text(q, 4, ar);
		r->estimate = sqlite3_column_int(q, 5);
	}
	int bad = rc != SQLITE_DONE;
	if (bad)
		store_fail(st, err, "reading the rates table");
	sqlite3_finalize(q);
	return bad ? -1 : 0;
}

int store_rate_save(struct store *st, struct an_rate *r, int64_t user_id, struct error *err)
{
	char now[32];
	clock_iso(now, sizeof now);
	sqlite3_stmt *q = stmt_prepare_once(
		st,
		r->id ? "UPDATE analytics_rate SET currency = ?2, usd_per_unit = ?3, as_of = ?4, "
			"source = ?5, estimate = ?6, updated_at = ?7, updated_by = ?8 WHERE id = ?1"
		      : "INSERT INTO analytics_rate(currency, usd_per_unit, as_of, source, estimate, "
			"updated_at, updated_by) VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		err);
	if (!q)
		return -1;
	if (r->id)
		sqlite3_bind_int64(q, 1, r->id);
	bind_text(q, 2, r->currency);
	sqlite3_bind_double(q, 3, r->usd_per_unit);
	bind_text_null(q, 4, r->as_of);
	bind_text(q, 5, r->source);
	sqlite3_bind_int(q, 6, r->estimate);
	bind_text(q, 7, now);
	if (user_id)
		sqlite3_bind_int64(q, 8, user_id);
	int is_update = r->id != 0;
	if (run(st, q, is_update, "saving a currency rate", err) != 0) {
		if (err->code == ERR_CONFLICT)
			error_set(err, ERR_CONFLICT, "a rate for this currency exists already");
		return -1;
	}
	if (!is_update)
		r->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_rate_delete(struct store *st, int64_t id, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "DELETE FROM analytics_rate WHERE id = ?1", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	return run(st, q, 1, "deleting a currency rate", err);
}
