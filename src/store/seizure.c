/* The seizure register: records, items, filtered lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dynbuf.h"
#include "lib/xalloc.h"
#include "seizure/seizure.h"
#include "store/internal.h"

#define SEIZURE_COLS                                                                          \
	"s.id, s.ref, s.agency_id, a.name, s.sharing, s.date, s.date_from, s.date_to, "      \
	"s.country, s.place, s.province, s.locode, s.latitude, s.longitude, s.reason, "      \
	"s.transport_mode, s.detection_method, s.concealment, s.concealment_code, s.origin, " \
	"s.transit, s.destination, s.offender_nationalities, s.value_amount, "               \
	"s.value_currency, s.legal_action, s.law, s.sanctions, s.disposal, s.notes, "        \
	"s.search_text, s.content_hash, s.version, s.created_at, s.created_by, "             \
	"s.updated_at, s.updated_by"

static void read_seizure(sqlite3_stmt *q, struct seizure *s, struct arena *ar)
{
	memset(s, 0, sizeof *s);
	int c = 0;
	s->id = sqlite3_column_int64(q, c++);
	s->ref = col_text(q, c++, ar);
	s->agency_id = sqlite3_column_int64(q, c++);
	s->agency = col_text(q, c++, ar);
	s->sharing = col_text(q, c++, ar);
	s->date = col_text(q, c++, ar);
	s->date_from = col_text(q, c++, ar);
	s->date_to = col_text(q, c++, ar);
	s->country = col_text(q, c++, ar);
	s->place = col_text(q, c++, ar);
	s->province = col_text(q, c++, ar);
	s->locode = col_text(q, c++, ar);
	s->has_coords = sqlite3_column_type(q, c) != SQLITE_NULL;
	s->latitude = sqlite3_column_double(q, c++);
	s->longitude = sqlite3_column_double(q, c++);
	s->reason = col_text(q, c++, ar);
	s->transport_mode = col_text(q, c++, ar);
	s->detection_method = col_text(q, c++, ar);
	s->concealment = col_text(q, c++, ar);
	s->concealment_code = col_text(q, c++, ar);
	s->origin = col_text(q, c++, ar);
	s->transit = col_text(q, c++, ar);
	s->destination = col_text(q, c++, ar);
	s->offender_nationalities = col_text(q, c++, ar);
	s->has_value = sqlite3_column_type(q, c) != SQLITE_NULL;
	s->value_amount = sqlite3_column_double(q, c++);
	s->value_currency = col_text(q, c++, ar);
	s->legal_action = col_text(q, c++, ar);
	s->law = col_text(q, c++, ar);
	s->sanctions = col_text(q, c++, ar);
	s->disposal = col_text(q, c++, ar);
	s->notes = col_text(q, c++, ar);
	s->search_text = col_text(q, c++, ar);
	s->content_hash = col_text(q, c++, ar);
	s->version = sqlite3_column_int64(q, c++);
	s->created_at = col_text(q, c++, ar);
	s->created_by = sqlite3_column_int64(q, c++);
	s->updated_at = col_text(q, c++, ar);
	s->updated_by = sqlite3_column_int64(q, c++);
}

/* Reads one item row (columns as in read_items' query, from column c0) into it. */
static void read_item_row(sqlite3_stmt *q, int c0, struct seizure_item *it, struct arena *ar)
{
	it->line = sqlite3_column_int(q, c0);
	it->taxon_id = sqlite3_column_int64(q, c0 + 1);
	it->taxon_name = col_text(q, c0 + 2, ar);
	it->species = col_text(q, c0 + 3, ar);
	it->term = col_text(q, c0 + 4, ar);
	it->quantity = sqlite3_column_double(q, c0 + 5);
	it->unit = col_text(q, c0 + 6, ar);
	if (!it->unit)
		it->unit = "";
	it->live = sqlite3_column_type(q, c0 + 7) == SQLITE_NULL ? -1 : sqlite3_column_int(q, c0 + 7);
}

/* Appends an item slot to s (arena-grown). */
static struct seizure_item *add_item(struct seizure *s, size_t *cap, struct arena *ar)
{
	s->items = arena_grow(ar, s->items, s->nitems, cap, sizeof *s->items);
	return &s->items[s->nitems++];
}

static int read_items(struct store *st, struct seizure *s, struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = store_stmt(st, S_ITEMS_OF,
				     "SELECT i.line, i.taxon_id, t.full_name, "
				     "i.species_as_recorded, i.term, i.quantity, i.unit, i.live "
				     "FROM seizure_item i JOIN taxon t ON t.id = i.taxon_id "
				     "WHERE i.seizure_id = ? ORDER BY i.line",
				     err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, s->id);
	size_t cap = 0;
	s->nitems = 0;
	s->items = NULL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		read_item_row(q, 0, add_item(s, &cap, ar), ar);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading seizure items");
	return 0;
}

/* Binds the record's columns in the order of the INSERT/UPDATE below (1..32). */
static void bind_record(sqlite3_stmt *q, const struct seizure *s)
{
	int c = 1;
	bind_text(q, c++, s->ref);
	sqlite3_bind_int64(q, c++, s->agency_id);
	bind_text(q, c++, s->sharing);
	bind_text(q, c++, s->date);
	bind_text(q, c++, s->date_from);
	bind_text(q, c++, s->date_to);
	bind_text(q, c++, s->country);
	bind_text_null(q, c++, s->place);
	bind_text_null(q, c++, s->province);
	bind_text_null(q, c++, s->locode);
	if (s->has_coords) {
		sqlite3_bind_double(q, c++, s->latitude);
		sqlite3_bind_double(q, c++, s->longitude);
	} else {
		sqlite3_bind_null(q, c++);
		sqlite3_bind_null(q, c++);
	}
	bind_text_null(q, c++, s->reason);
	bind_text_null(q, c++, s->transport_mode);
	bind_text_null(q, c++, s->detection_method);
	bind_text_null(q, c++, s->concealment);
	bind_text_null(q, c++, s->concealment_code);
	bind_text_null(q, c++, s->origin);
	bind_text_null(q, c++, s->transit);
	bind_text_null(q, c++, s->destination);
	bind_text_null(q, c++, s->offender_nationalities);
	if (s->has_value)
		sqlite3_bind_double(q, c++, s->value_amount);
	else
		sqlite3_bind_null(q, c++);
	bind_text_null(q, c++, s->value_currency);
	bind_text_null(q, c++, s->legal_action);
	bind_text_null(q, c++, s->law);
	bind_text_null(q, c++, s->sanctions);
	bind_text_null(q, c++, s->disposal);
	bind_text_null(q, c++, s->notes);
	bind_text(q, c++, s->search_text ? s->search_text : "");
	bind_text(q, c++, s->content_hash ? s->content_hash : "");
	sqlite3_bind_int64(q, c++, s->version);
	bind_text(q, c++, s->updated_at);
	if (s->updated_by)
		sqlite3_bind_int64(q, c++, s->updated_by);
	else
		sqlite3_bind_null(q, c++);
}

static int write_items(struct store *st, const struct seizure *s, struct error *err)
{
	sqlite3_stmt *q;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct seizure_item *it = &s->items[i];
		q = store_stmt(st, S_ITEM_INSERT,
			       "INSERT INTO seizure_item(seizure_id, line, taxon_id, "
			       "species_as_recorded, term, quantity, unit, live) "
			       "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
			       err);
		if (!q)
			return -1;
		sqlite3_bind_int64(q, 1, s->id);
		sqlite3_bind_int(q, 2, (int)i + 1);
		sqlite3_bind_int64(q, 3, it->taxon_id);
		bind_text(q, 4, it->species ? it->species : "");
		bind_text(q, 5, it->term);
		sqlite3_bind_double(q, 6, it->quantity);
		bind_text(q, 7, it->unit ? it->unit : "");
		if (it->live < 0)
			sqlite3_bind_null(q, 8);
		else
			sqlite3_bind_int(q, 8, it->live);
		if (step_done(st, q, err, "saving a seizure item") != 0)
			return -1;
	}
	return 0;
}

int store_seizure_insert(struct store *st, struct seizure *s, struct error *err)
{
	sqlite3_stmt *q = store_stmt(
		st, S_SEIZURE_INSERT,
		"INSERT INTO seizure(ref, agency_id, sharing, date, date_from, date_to, country, "
		"place, province, locode, latitude, longitude, reason, transport_mode, "
		"detection_method, concealment, concealment_code, origin, transit, destination, "
		"offender_nationalities, value_amount, value_currency, legal_action, law, "
		"sanctions, disposal, notes, search_text, content_hash, version, updated_at, "
		"updated_by, created_at, created_by, import_id) "
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
		"?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, "
		"?33, ?32, ?33, NULL)",
		err);
	if (!q)
		return -1;
	bind_record(q, s);
	if (step_done(st, q, err, "saving the seizure") != 0) {
		if (err->code == ERR_CONFLICT) {
			error_clear(err);
			error_field(err, "ref",
				    "this agency already has a seizure with reference \"%s\"",
				    s->ref);
			err->code = ERR_CONFLICT;
		}
		return -1;
	}
	s->id = sqlite3_last_insert_rowid(st->db);
	st->seizures_dirty = 1;
	store_bulk_wrote(st);
	return write_items(st, s, err);
}

static int check_version(struct store *st, int64_t id, int64_t want, struct error *err)
{
	sqlite3_stmt *q = store_stmt(st, S_SEIZURE_VERSION,
				     "SELECT version FROM seizure WHERE id = ?", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	int64_t have = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "reading the seizure");
	if (have < 0)
		return error_set(err, ERR_NOT_FOUND, "seizure %lld not found", (long long)id);
	if (have != want)
		return error_set(err, ERR_CONFLICT,
				 "seizure %lld was changed by someone else (you edited version "
				 "%lld, it is now at version %lld); reload it and apply your "
				 "change again",
				 (long long)id, (long long)want, (long long)have);
	return 0;
}

int store_seizure_replace(struct store *st, struct seizure *s, struct error *err)
{
	if (check_version(st, s->id, s->version - 1, err) != 0)
		return -1;
	sqlite3_stmt *q = store_stmt(
		st, S_SEIZURE_REPLACE,
		"UPDATE seizure SET ref = ?1, agency_id = ?2, sharing = ?3, date = ?4, "
		"date_from = ?5, date_to = ?6, country = ?7, place = ?8, province = ?9, "
		"locode = ?10, latitude = ?11, longitude = ?12, reason = ?13, "
		"transport_mode = ?14, detection_method = ?15, concealment = ?16, "
		"concealment_code = ?17, origin = ?18, transit = ?19, destination = ?20, "
		"offender_nationalities = ?21, value_amount = ?22, value_currency = ?23, "
		"legal_action = ?24, law = ?25, sanctions = ?26, disposal = ?27, notes = ?28, "
		"search_text = ?29, content_hash = ?30, version = ?31, updated_at = ?32, "
		"updated_by = ?33 WHERE id = ?34 AND version = ?31 - 1",
		err);
	if (!q)
		return -1;
	bind_record(q, s);
	sqlite3_bind_int64(q, 34, s->id);
	if (step_done(st, q, err, "saving the seizure") != 0)
		return -1;
	st->seizures_dirty = 1;
	sqlite3_stmt *d = store_stmt(st, S_ITEM_DELETE_ALL,
				     "DELETE FROM seizure_item WHERE seizure_id = ?", err);
	if (!d)
		return -1;
	sqlite3_bind_int64(d, 1, s->id);
	if (step_done(st, d, err, "replacing seizure items") != 0)
		return -1;
	return write_items(st, s, err);
}

int store_seizure_delete(struct store *st, int64_t id, int64_t version, struct error *err)
{
	if (check_version(st, id, version, err) != 0)
		return -1;
	sqlite3_stmt *q = store_stmt(st, S_SEIZURE_DELETE, "DELETE FROM seizure WHERE id = ?", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	st->seizures_dirty = 1;
	return step_done(st, q, err, "deleting the seizure");
}

int store_seizure_get(struct store *st, int64_t id, struct seizure *out, struct arena *ar,
		      struct error *err)
{
	sqlite3_stmt *q = store_stmt(st, S_SEIZURE_GET,
				     "SELECT " SEIZURE_COLS " FROM seizure s JOIN agency a ON "
				     "a.id = s.agency_id WHERE s.id = ?",
				     err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return store_fail(st, err, "reading the seizure");
		return error_set(err, ERR_NOT_FOUND, "seizure %lld not found", (long long)id);
	}
	read_seizure(q, out, ar);
	sqlite3_reset(q);
	return read_items(st, out, ar, err);
}

int store_seizure_any(struct store *st, int *any, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "SELECT EXISTS (SELECT 1 FROM seizure)", err);
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	*any = rc == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "reading the register");
	return 0;
}

int store_seizure_find_ref(struct store *st, int64_t agency_id, const char *ref, int64_t *id,
			   int64_t *version, char *hash_out, size_t hash_size, struct error *err)
{
	sqlite3_stmt *q = store_stmt(st, S_SEIZURE_FIND_REF,
				     "SELECT id, version, content_hash FROM seizure "
				     "WHERE agency_id = ? AND ref = ?",
				     err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, agency_id);
	bind_text(q, 2, ref);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		*version = sqlite3_column_int64(q, 1);
		const char *h = (const char *)sqlite3_column_text(q, 2);
		snprintf(hash_out, hash_size, "%s", h ? h : "");
		sqlite3_reset(q);
		return 1;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "looking up the seizure reference");
	return 0;
}

/* ---- filtered lists ------------------------------------------------------ */

/* bits 0-2 hold the number of words of q (0-7) */
enum {
	F_QMASK = 7,
	F_TAXON = 1 << 3, F_GROUP = 1 << 4, F_TERM = 1 << 5, F_COUNTRY = 1 << 6,
	F_AGENCY = 1 << 7, F_FROM = 1 << 8, F_TO = 1 << 9, F_TRANSPORT = 1 << 10,
	F_CURSOR = 1 << 11,
};

/* Up to SEIZURE_Q_MAX_WORDS words of q, folded by the caller. */
struct qwords {
	char *w[SEIZURE_Q_MAX_WORDS];
	size_t n;
};

static void split_q(const char *q, struct qwords *qw, struct arena *ar)
{
	qw->n = 0;
	if (!q)
		return;
	const char *p = q;
	while (*p && qw->n < SEIZURE_Q_MAX_WORDS) {
		while (*p == ' ')
			p++;
		const char *start = p;
		while (*p && *p != ' ')
			p++;
		if (p > start) {
			size_t len = (size_t)(p - start);
			char *w = arena_alloc(ar, len + 3);
			w[0] = '%';
			memcpy(w + 1, start, len);
			w[len + 1] = '%';
			qw->w[qw->n++] = w;
		}
	}
}

static unsigned filter_mask(const struct seizure_filter *f, const struct qwords *qw,
			    int with_cursor)
{
	unsigned m = 0;
	m |= (unsigned)qw->n & F_QMASK;
	if (f->taxon_id) m |= F_TAXON;
	if (f->taxon_group && *f->taxon_group) m |= F_GROUP;
	if (f->term && *f->term) m |= F_TERM;
	if (f->country && *f->country) m |= F_COUNTRY;
	if (f->agency_id) m |= F_AGENCY;
	if (f->from && *f->from) m |= F_FROM;
	if (f->to && *f->to) m |= F_TO;
	if (f->transport_mode && *f->transport_mode) m |= F_TRANSPORT;
	if (with_cursor && f->after_id) m |= F_CURSOR;
	return m;
}

static void build_where(struct dynbuf *b, unsigned m)
{
	dynbuf_adds(b, " WHERE (:admin = 1 OR s.agency_id = :my_agency OR s.sharing = 'national')");
	for (unsigned i = 0; i < (m & F_QMASK); i++)
		dynbuf_addf(b, " AND s.search_text LIKE :q%u", i + 1);
	if (m & F_TAXON)
		dynbuf_adds(b, " AND s.id IN (SELECT seizure_id FROM seizure_item WHERE taxon_id = :taxon)");
	if (m & F_GROUP)
		dynbuf_adds(b, " AND s.id IN (SELECT i.seizure_id FROM seizure_item i WHERE i.taxon_id IN "
			       "(SELECT id FROM taxon WHERE class = :grp OR order_name = :grp OR "
			       "family = :grp OR genus = :grp OR full_name = :grp))");
	if (m & F_TERM)
		dynbuf_adds(b, " AND s.id IN (SELECT seizure_id FROM seizure_item WHERE term = :term)");
	if (m & F_COUNTRY)
		dynbuf_adds(b, " AND (s.country = :country OR instr(';' || coalesce(s.origin, '') || ';' "
			       "|| coalesce(s.transit, '') || ';' || coalesce(s.destination, '') || ';', "
			       "';' || :country || ';') > 0)");
	if (m & F_AGENCY) dynbuf_adds(b, " AND s.agency_id = :agency");
	if (m & F_FROM) dynbuf_adds(b, " AND s.date_to >= :from");
	if (m & F_TO) dynbuf_adds(b, " AND s.date_from <= :to");
	if (m & F_TRANSPORT) dynbuf_adds(b, " AND s.transport_mode = :transport");
	if (m & F_CURSOR)
		dynbuf_adds(b, " AND (s.date_from < :cdate OR (s.date_from = :cdate AND s.id < :cid))");
}

static void bind_named_text(sqlite3_stmt *q, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i > 0)
		bind_text(q, i, v);
}

static void bind_named_int(sqlite3_stmt *q, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i > 0)
		sqlite3_bind_int64(q, i, v);
}

static void bind_filter(sqlite3_stmt *q, const struct actor *who, const struct seizure_filter *f,
			const struct qwords *qw)
{
	bind_named_int(q, ":admin", who->role == ROLE_ADMIN);
	bind_named_int(q, ":my_agency", who->agency_id);
	for (size_t i = 0; i < qw->n; i++) {
		char name[32];
		snprintf(name, sizeof name, ":q%zu", i + 1);
		bind_named_text(q, name, qw->w[i]);
	}
	bind_named_int(q, ":taxon", f->taxon_id);
	bind_named_text(q, ":grp", f->taxon_group);
	bind_named_text(q, ":term", f->term);
	bind_named_text(q, ":country", f->country);
	bind_named_int(q, ":agency", f->agency_id);
	bind_named_text(q, ":from", f->from);
	bind_named_text(q, ":to", f->to);
	bind_named_text(q, ":transport", f->transport_mode);
	bind_named_text(q, ":cdate", f->after_date);
	bind_named_int(q, ":cid", f->after_id);
}

int store_seizure_list(struct store *st, const struct actor *who,
		       const struct seizure_filter *f, struct seizure_list *out,
		       struct arena *ar, struct error *err)
{
	struct qwords qw;
	split_q(f->q, &qw, ar);
	unsigned m = filter_mask(f, &qw, 1);
	struct dynbuf sql = DYNBUF_INIT(8192);
	sqlite3_stmt *q = st->list_stmts[m];
	if (!q) {
		dynbuf_adds(&sql, "SELECT " SEIZURE_COLS " FROM seizure s JOIN agency a ON a.id = s.agency_id");
		build_where(&sql, m);
		dynbuf_adds(&sql, " ORDER BY s.date_from DESC, s.id DESC LIMIT :limit");
	}
	q = store_stmt_slot(st, &st->list_stmts[m], dynbuf_str(&sql), err);
	dynbuf_free(&sql);
	if (!q)
		return -1;
	bind_filter(q, who, f, &qw);
	int limit = f->limit > 0 ? f->limit : 50;
	bind_named_int(q, ":limit", limit + 1);
	out->items = arena_alloc(ar, (size_t)(limit + 1) * sizeof *out->items);
	out->n = 0;
	out->has_more = 0;
	out->total = -1;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((int)out->n == limit) {
			out->has_more = 1;
			break;
		}
		read_seizure(q, &out->items[out->n++], ar);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "listing seizures");
	for (size_t i = 0; i < out->n; i++)
		if (read_items(st, &out->items[i], ar, err) != 0)
			return -1;
	if (f->want_total) {
		unsigned cm = filter_mask(f, &qw, 0);
		struct dynbuf csql = DYNBUF_INIT(8192);
		if (!st->count_stmts[cm]) {
			dynbuf_adds(&csql, "SELECT count(*) FROM seizure s");
			build_where(&csql, cm);
		}
		sqlite3_stmt *c = store_stmt_slot(st, &st->count_stmts[cm], dynbuf_str(&csql), err);
		dynbuf_free(&csql);
		if (!c)
			return -1;
		bind_filter(c, who, f, &qw);
		if (sqlite3_step(c) == SQLITE_ROW)
			out->total = sqlite3_column_int64(c, 0);
		sqlite3_reset(c);
	}
	return 0;
}

int store_seizure_each(struct store *st, const struct actor *who, const struct seizure_filter *f,
		       store_seizure_fn fn, void *ctx, struct error *err)
{
	struct arena words;
	arena_init(&words);
	struct qwords qw;
	split_q(f->q, &qw, &words);
	unsigned m = filter_mask(f, &qw, 0);
	struct dynbuf sql = DYNBUF_INIT(8192);
	if (!st->each_stmts[m]) {
		dynbuf_adds(&sql, "SELECT " SEIZURE_COLS " FROM seizure s JOIN agency a ON a.id = s.agency_id");
		build_where(&sql, m);
		dynbuf_adds(&sql, " ORDER BY s.date_from, s.id");
	}
	sqlite3_stmt *q = store_stmt_slot(st, &st->each_stmts[m], dynbuf_str(&sql), err);
	dynbuf_free(&sql);
	if (!q) {
		arena_free(&words);
		return -1;
	}
	bind_filter(q, who, f, &qw);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct arena ar;
		arena_init(&ar);
		struct seizure s;
		read_seizure(q, &s, &ar);
		if (read_items(st, &s, &ar, err) != 0) {
			arena_free(&ar);
			sqlite3_reset(q);
			arena_free(&words);
			return -1;
		}
		stop = fn(ctx, &s);
		arena_free(&ar);
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_reset(q);
		arena_free(&words);
		return store_fail(st, err, "reading seizures");
	}
	sqlite3_reset(q);
	arena_free(&words);
	return 0;
}

int store_seizure_generation(struct store *st, int64_t *gen, struct error *err)
{
	/* read before in this snapshot or an earlier one, nothing committed since */
	unsigned version = 0;
	if (st->gen_cache.valid && store_data_version(st, &version) &&
	    version == st->gen_cache.version) {
		*gen = st->gen_cache.value;
		return 0;
	}
	sqlite3_stmt *q = store_stmt(st, S_GEN_GET,
				     "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM setting "
				     "WHERE key = 'seizure_generation'), 0)",
				     err);
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	*gen = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "reading the register's generation");
	st->gen_cache.valid = store_data_version(st, &version);
	st->gen_cache.version = version;
	st->gen_cache.value = *gen;
	return 0;
}

int store_seizure_all(struct store *st, store_seizure_fn fn, void *ctx, struct error *err)
{
	sqlite3_stmt *q = store_stmt(
		st, S_SEIZURE_ALL,
		"SELECT s.id, s.agency_id, s.sharing, s.date_from, s.date_to, s.country, s.origin, "
		"s.transit, s.destination, s.transport_mode, s.search_text, "
		"(SELECT group_concat(i.taxon_id || ' ' || i.term, ' ') FROM seizure_item i "
		"WHERE i.seizure_id = s.id) FROM seizure s ORDER BY s.id",
		err);
	if (!q)
		return -1;
	int rc, stop = 0;
	struct seizure_item items[512];
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct seizure s = { 0 };
		s.id = sqlite3_column_int64(q, 0);
		s.agency_id = sqlite3_column_int64(q, 1);
		s.sharing = (const char *)sqlite3_column_text(q, 2);
		s.date_from = (const char *)sqlite3_column_text(q, 3);
		s.date_to = (const char *)sqlite3_column_text(q, 4);
		s.country = (const char *)sqlite3_column_text(q, 5);
		s.origin = (const char *)sqlite3_column_text(q, 6);
		s.transit = (const char *)sqlite3_column_text(q, 7);
		s.destination = (const char *)sqlite3_column_text(q, 8);
		s.transport_mode = (const char *)sqlite3_column_text(q, 9);
		s.search_text = (const char *)sqlite3_column_text(q, 10);
		/* "taxon term taxon term ..." */
		const char *text = (const char *)sqlite3_column_text(q, 11);
		char *list = text ? xstrdup(text) : NULL;
		char *save = NULL;
		for (char *tok = list ? strtok_r(list, " ", &save) : NULL; tok && s.nitems < 512;
		     tok = strtok_r(NULL, " ", &save)) {
			struct seizure_item *it = &items[s.nitems];
			memset(it, 0, sizeof *it);
			it->taxon_id = strtoll(tok, NULL, 10);
			tok = strtok_r(NULL, " ", &save);
			it->term = tok ? tok : "";
			s.nitems++;
		}
		s.items = items;
		stop = fn(ctx, &s);
		free(list);
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return store_fail(st, err, "reading seizures");
	return 0;
}

int store_seizure_get_many(struct store *st, const int64_t *ids, size_t n, struct seizure *out,
			   size_t *nout, struct arena *ar, struct error *err)
{
	*nout = 0;
	if (n == 0)
		return 0;
	/* the ids as a JSON array, one bound parameter for both statements */
	char *list = arena_alloc(ar, n * 21 + 3);
	size_t len = 0;
	list[len++] = '[';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(list + len, 22, "%s%lld", i ? "," : "", (long long)ids[i]);
	list[len++] = ']';
	list[len] = '\0';
	struct seizure *found = arena_alloc(ar, n * sizeof *found);
	int *have = arena_alloc(ar, n * sizeof *have);
	sqlite3_stmt *q = store_stmt(st, S_SEIZURE_GET_MANY,
				     "SELECT " SEIZURE_COLS " FROM seizure s JOIN agency a ON "
				     "a.id = s.agency_id WHERE s.id IN (SELECT value FROM json_each(?))",
				     err);
	if (!q)
		return -1;
	bind_text(q, 1, list);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		for (size_t i = 0; i < n; i++)
			if (ids[i] == id && !have[i]) {
				read_seizure(q, &found[i], ar);
				have[i] = 1;
				break;
			}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading seizures");
	q = store_stmt(st, S_ITEMS_OF_MANY,
		       "SELECT i.seizure_id, i.line, i.taxon_id, t.full_name, "
		       "i.species_as_recorded, i.term, i.quantity, i.unit, i.live "
		       "FROM seizure_item i JOIN taxon t ON t.id = i.taxon_id "
		       "WHERE i.seizure_id IN (SELECT value FROM json_each(?)) "
		       "ORDER BY i.seizure_id, i.line",
		       err);
	if (!q)
		return -1;
	bind_text(q, 1, list);
	size_t *caps = arena_alloc(ar, n * sizeof *caps);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(q, 0);
		for (size_t i = 0; i < n; i++)
			if (have[i] && found[i].id == sid) {
				read_item_row(q, 1, add_item(&found[i], &caps[i], ar), ar);
				break;
			}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading seizure items");
	for (size_t i = 0; i < n; i++)
		if (have[i])
			out[(*nout)++] = found[i];
	return 0;
}
