/* The party register: parties, names, identifiers, links, the search feed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dynbuf.h"
#include "party/party.h"
#include "store/internal.h"

/*
 * Statements here are prepared per call (stmt_prepare_once) and finalized
 * after use: the connection's statement cache has fixed slots owned by
 * store/internal.h.  The per-party reads of a page or a feed prepare once and
 * reuse.
 */

/* Increases the party generation and stamps party_id (and other, if not 0)
 * with it. */
static int touch(struct store *st, int64_t party_id, int64_t other, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "INSERT INTO setting(key, value) VALUES('party_generation', '1') "
			       "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
			       err);
	if (!q || step_once(st, q, err, "counting the change") != 0)
		return -1;
	if (!party_id && !other)
		return 0;
	q = stmt_prepare_once(st,
		 "UPDATE party SET gen = (SELECT CAST(value AS INTEGER) FROM setting WHERE key = "
		 "'party_generation') WHERE id IN (?, ?)",
		 err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, party_id);
	sqlite3_bind_int64(q, 2, other);
	return step_once(st, q, err, "counting the change");
}

/* ---- parties --------------------------------------------------------------- */

#define PARTY_COLS                                                                        \
	"p.id, p.kind, p.agency_id, a.name, p.sharing, p.sex, p.birth_date, p.birth_year, " \
	"p.nationalities, p.org_kind, p.country, p.notes, p.search_text, p.version, "       \
	"p.created_at, p.created_by, p.updated_at, p.updated_by, p.merged_into"

static void read_party(sqlite3_stmt *q, int c, struct party *p, struct arena *ar)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(q, c++);
	p->kind = col_text(q, c++, ar);
	p->agency_id = sqlite3_column_int64(q, c++);
	p->agency = col_text(q, c++, ar);
	p->sharing = col_text(q, c++, ar);
	p->sex = col_text(q, c++, ar);
	p->birth_date = col_text(q, c++, ar);
	p->birth_year = sqlite3_column_int(q, c++);
	p->nationalities = col_text(q, c++, ar);
	p->org_kind = col_text(q, c++, ar);
	p->country = col_text(q, c++, ar);
	p->notes = col_text(q, c++, ar);
	p->search_text = col_text(q, c++, ar);
	p->version = sqlite3_column_int64(q, c++);
	p->created_at = col_text(q, c++, ar);
	p->created_by = col_id(q, c++);
	p->updated_at = col_text(q, c++, ar);
	p->updated_by = col_id(q, c++);
	p->merged_into = col_id(q, c++);
}

static void bind_party(sqlite3_stmt *q, const struct party *p)
{
	int c = 1;
	bind_text(q, c++, p->kind);
	sqlite3_bind_int64(q, c++, p->agency_id);
	bind_text(q, c++, p->sharing);
	bind_text_null(q, c++, p->sex);
	bind_text_null(q, c++, p->birth_date);
	if (p->birth_year)
		sqlite3_bind_int(q, c++, p->birth_year);
	else
		sqlite3_bind_null(q, c++);
	bind_text_null(q, c++, p->nationalities);
	bind_text_null(q, c++, p->org_kind);
	bind_text_null(q, c++, p->country);
	bind_text_null(q, c++, p->notes);
	bind_text(q, c++, p->search_text ? p->search_text : "");
	sqlite3_bind_int64(q, c++, p->version);
	bind_text(q, c++, p->updated_at);
	bind_id_or_null(q, c++, p->updated_by);
}

static int write_names(struct store *st, const struct party *p, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "DELETE FROM party_name WHERE party_id = ?", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, p->id);
	if (step_once(st, q, err, "replacing names") != 0)
		return -1;
	q = stmt_prepare_once(st, "DELETE FROM party_registration WHERE party_id = ?", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, p->id);
	if (step_once(st, q, err, "replacing registrations") != 0)
		return -1;
	q = stmt_prepare_once(st,
		 "INSERT INTO party_name(party_id, line, name, script, kind, romanised) "
		 "VALUES(?, ?, ?, ?, ?, ?)",
		 err);
	if (!q)
		return -1;
	for (size_t i = 0; i < p->nnames; i++) {
		const struct party_name *n = &p->names[i];
		sqlite3_bind_int64(q, 1, p->id);
		sqlite3_bind_int(q, 2, (int)i + 1);
		bind_text(q, 3, n->name);
		bind_text(q, 4, n->script ? n->script : "Zzzz");
		bind_text(q, 5, n->kind ? n->kind : "full");
		bind_text_null(q, 6, n->romanised);
		if (step_done(st, q, err, "saving a name") != 0) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	if (p->nregistrations == 0)
		return 0;
	q = stmt_prepare_once(st,
		 "INSERT INTO party_registration(party_id, line, country, number) VALUES(?, ?, ?, ?)",
		 err);
	if (!q)
		return -1;
	for (size_t i = 0; i < p->nregistrations; i++) {
		sqlite3_bind_int64(q, 1, p->id);
		sqlite3_bind_int(q, 2, (int)i + 1);
		bind_text_null(q, 3, p->registrations[i].country);
		bind_text(q, 4, p->registrations[i].number);
		if (step_done(st, q, err, "saving a registration number") != 0) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return 0;
}

int store_party_insert(struct store *st, struct party *p, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(
		st,
		"INSERT INTO party(kind, agency_id, sharing, sex, birth_date, birth_year, "
		"nationalities, org_kind, country, notes, search_text, version, updated_at, "
		"updated_by, created_at, created_by) "
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?13, ?14)",
		err);
	if (!q)
		return -1;
	bind_party(q, p);
	if (step_once(st, q, err, "saving the party") != 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(st->db);
	if (write_names(st, p, err) != 0)
		return -1;
	return touch(st, p->id, 0, err);
}

static int party_version(struct store *st, int64_t id, int64_t want, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "SELECT version FROM party WHERE id = ?", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	int64_t have = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "reading the party");
	if (have < 0)
		return error_set(err, ERR_NOT_FOUND, "party %lld not found", (long long)id);
	if (have != want)
		return error_set(err, ERR_CONFLICT,
				 "party %lld was changed by someone else (you edited version %lld, "
				 "it is now at version %lld); reload it and apply your change again",
				 (long long)id, (long long)want, (long long)have);
	return 0;
}

int store_party_replace(struct store *st, struct party *p, struct error *err)
{
	if (party_version(st, p->id, p->version - 1, err) != 0)
		return -1;
	sqlite3_stmt *q = stmt_prepare_once(
		st,
		"UPDATE party SET kind = ?1, agency_id = ?2, sharing = ?3, sex = ?4, "
		"birth_date = ?5, birth_year = ?6, nationalities = ?7, org_kind = ?8, "
		"country = ?9, notes = ?10, search_text = ?11, version = ?12, updated_at = ?13, "
		"updated_by = ?14 WHERE id = ?15 AND version = ?12 - 1",
		err);
	if (!q)
		return -1;
	bind_party(q, p);
	sqlite3_bind_int64(q, 15, p->id);
	if (step_once(st, q, err, "saving the party") != 0)
		return -1;
	if (write_names(st, p, err) != 0)
		return -1;
	return touch(st, p->id, 0, err);
}

int store_party_delete(struct store *st, int64_t id, int64_t version, struct error *err)
{
	if (party_version(st, id, version, err) != 0)
		return -1;
	/* the parties related to it change too */
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "UPDATE party SET gen = -1 WHERE id IN (SELECT other_id FROM "
			       "party_relation WHERE party_id = ?1 UNION SELECT party_id FROM "
			       "party_relation WHERE other_id = ?1)",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if (step_once(st, q, err, "deleting the party") != 0)
		return -1;
	q = stmt_prepare_once(st, "DELETE FROM party WHERE id = ?", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if (step_once(st, q, err, "deleting the party") != 0)
		return -1;
	if (touch(st, 0, 0, err) != 0)
		return -1;
	q = stmt_prepare_once(st,
		 "INSERT OR REPLACE INTO party_deleted(id, gen) VALUES(?, (SELECT CAST(value AS "
		 "INTEGER) FROM setting WHERE key = 'party_generation'))",
		 err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	if (step_once(st, q, err, "deleting the party") != 0)
		return -1;
	q = stmt_prepare_once(st,
		 "UPDATE party SET gen = (SELECT CAST(value AS INTEGER) FROM setting WHERE key = "
		 "'party_generation') WHERE gen = -1",
		 err);
	return q ? step_once(st, q, err, "deleting the party") : -1;
}

int store_party_set_merged(struct store *st, int64_t id, int64_t into, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "UPDATE party SET merged_into = ? WHERE id = ?", err);
	if (!q)
		return -1;
	bind_id_or_null(q, 1, into);
	sqlite3_bind_int64(q, 2, id);
	if (step_once(st, q, err, "merging the party") != 0)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return error_set(err, ERR_NOT_FOUND, "party %lld not found", (long long)id);
	return touch(st, id, into, err);
}

/* Reads names and registrations of p with the two statements given. */
static int read_names(struct store *st, sqlite3_stmt *nq, sqlite3_stmt *rq, struct party *p,
		      struct arena *ar, struct error *err)
{
	size_t cap = 0;
	p->names = NULL;
	p->nnames = 0;
	sqlite3_reset(nq);
	sqlite3_bind_int64(nq, 1, p->id);
	int rc;
	while ((rc = sqlite3_step(nq)) == SQLITE_ROW) {
		p->names = arena_grow(ar, p->names, p->nnames, &cap, sizeof *p->names);
		struct party_name *n = &p->names[p->nnames++];
		n->name = col_text(nq, 0, ar);
		n->script = col_text(nq, 1, ar);
		n->kind = col_text(nq, 2, ar);
		n->romanised = col_text(nq, 3, ar);
	}
	sqlite3_reset(nq);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading names");
	if (!rq)
		return 0;
	cap = 0;
	p->registrations = NULL;
	p->nregistrations = 0;
	sqlite3_reset(rq);
	sqlite3_bind_int64(rq, 1, p->id);
	while ((rc = sqlite3_step(rq)) == SQLITE_ROW) {
		p->registrations = arena_grow(ar, p->registrations, p->nregistrations, &cap,
					      sizeof *p->registrations);
		struct party_registration *r = &p->registrations[p->nregistrations++];
		r->country = col_text(rq, 0, ar);
		r->number = col_text(rq, 1, ar);
	}
	sqlite3_reset(rq);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading registration numbers");
	return 0;
}

#define NAMES_SQL \
	"SELECT name, script, kind, romanised FROM party_name WHERE party_id = ? ORDER BY line"
#define REGS_SQL \
	"SELECT country, number FROM party_registration WHERE party_id = ? ORDER BY line"

/* Statements reading the names (and registrations) of parties, for a batch. */
struct name_reader {
	sqlite3_stmt *names, *regs;
};

static int name_reader_open(struct store *st, struct name_reader *r, int regs, struct error *err)
{
	r->names = stmt_prepare_once(st, NAMES_SQL, err);
	r->regs = NULL;
	if (!r->names)
		return -1;
	if (regs && !(r->regs = stmt_prepare_once(st, REGS_SQL, err))) {
		sqlite3_finalize(r->names);
		return -1;
	}
	return 0;
}

static void name_reader_close(struct name_reader *r)
{
	sqlite3_finalize(r->names);
	sqlite3_finalize(r->regs);
}

int store_party_get(struct store *st, int64_t id, struct party *out, struct arena *ar,
		    struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT " PARTY_COLS " FROM party p JOIN agency a ON a.id = "
			       "p.agency_id WHERE p.id = ?",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return store_fail(st, err, "reading the party");
		return error_set(err, ERR_NOT_FOUND, "party %lld not found", (long long)id);
	}
	read_party(q, 0, out, ar);
	sqlite3_finalize(q);
	struct name_reader r;
	if (name_reader_open(st, &r, 1, err) != 0)
		return -1;
	rc = read_names(st, r.names, r.regs, out, ar, err);
	name_reader_close(&r);
	return rc;
}

/* "%word%" with LIKE's wildcards escaped by '\'. */
static char *like_pattern(struct arena *ar, const char *w, size_t len)
{
	char *p = arena_alloc(ar, 2 * len + 3);
	size_t j = 0;
	p[j++] = '%';
	for (size_t i = 0; i < len; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			p[j++] = '\\';
		p[j++] = w[i];
	}
	p[j++] = '%';
	p[j] = '\0';
	return p;
}

static void party_where(struct dynbuf *b, const struct party_filter *f, size_t nwords,
			int with_cursor)
{
	dynbuf_adds(b, " WHERE p.merged_into IS NULL AND (?1 = 1 OR p.agency_id = ?2 OR "
		       "p.sharing = 'national')");
	if (f->kind && *f->kind)
		dynbuf_adds(b, " AND p.kind = ?3");
	if (with_cursor && f->after_id)
		dynbuf_adds(b, " AND p.id < ?4");
	for (size_t i = 0; i < nwords; i++)
		dynbuf_addf(b, " AND p.search_text LIKE ?%zu ESCAPE '\\'", i + 6);
}

static void party_bind(sqlite3_stmt *q, const struct actor *who, const struct party_filter *f,
		       char **words, size_t nwords, int limit)
{
	sqlite3_bind_int(q, 1, who->role == ROLE_ADMIN);
	sqlite3_bind_int64(q, 2, who->agency_id);
	if (f->kind && *f->kind && sqlite3_bind_parameter_index(q, "?3"))
		bind_text(q, 3, f->kind);
	if (sqlite3_bind_parameter_index(q, "?4"))
		sqlite3_bind_int64(q, 4, f->after_id);
	if (sqlite3_bind_parameter_index(q, "?5"))
		sqlite3_bind_int(q, 5, limit);
	for (size_t i = 0; i < nwords; i++)
		bind_text(q, (int)i + 6, words[i]);
}

int store_party_list(struct store *st, const struct actor *who, const struct party_filter *f,
		     struct party_list *out, struct arena *ar, struct error *err)
{
	char *words[PARTY_Q_MAX_WORDS];
	size_t nwords = 0;
	const char *p = f->q ? f->q : "";
	while (*p && nwords < PARTY_Q_MAX_WORDS) {
		while (*p == ' ')
			p++;
		const char *s = p;
		while (*p && *p != ' ')
			p++;
		if (p > s)
			words[nwords++] = like_pattern(ar, s, (size_t)(p - s));
	}
	int limit = f->limit > 0 ? f->limit : 50;
	memset(out, 0, sizeof *out);
	struct dynbuf sql = DYNBUF_INIT(4096);
	dynbuf_adds(&sql, "SELECT " PARTY_COLS " FROM party p JOIN agency a ON a.id = p.agency_id");
	party_where(&sql, f, nwords, 1);
	dynbuf_adds(&sql, " ORDER BY p.id DESC LIMIT ?5");
	sqlite3_stmt *q = stmt_prepare_once(st, dynbuf_str(&sql), err);
	dynbuf_free(&sql);
	if (!q)
		return -1;
	party_bind(q, who, f, words, nwords, limit + 1);
	out->items = arena_alloc(ar, (size_t)(limit + 1) * sizeof *out->items);
	int rc, more = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((int)out->n == limit) {
			more = 1;
			break;
		}
		read_party(q, 0, &out->items[out->n++], ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "listing parties");
	struct name_reader r;
	if (name_reader_open(st, &r, 0, err) != 0)
		return -1;
	for (size_t i = 0; i < out->n; i++)
		if (read_names(st, r.names, NULL, &out->items[i], ar, err) != 0) {
			name_reader_close(&r);
			return -1;
		}
	name_reader_close(&r);
	if (more && out->n)
		out->next_cursor = party_cursor_encode(ar, out->items[out->n - 1].id);
	struct dynbuf csql = DYNBUF_INIT(4096);
	dynbuf_adds(&csql, "SELECT count(*) FROM party p");
	party_where(&csql, f, nwords, 0);
	q = stmt_prepare_once(st, dynbuf_str(&csql), err);
	dynbuf_free(&csql);
	if (!q)
		return -1;
	party_bind(q, who, f, words, nwords, 0);
	rc = sqlite3_step(q);
	out->total = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "counting parties");
	return 0;
}

/* ---- identifiers ------------------------------------------------------------ */

#define IDENT_COLS                                                                        \
	"i.id, i.kind, i.key, i.value, i.display, i.country, i.platform, i.date, "          \
	"i.province, i.agency_id, i.created_at, i.created_by"

static void read_ident(sqlite3_stmt *q, int c, struct identifier *id, struct arena *ar)
{
	memset(id, 0, sizeof *id);
	id->id = sqlite3_column_int64(q, c++);
	id->kind = col_text(q, c++, ar);
	id->key = col_text(q, c++, ar);
	id->value = col_text(q, c++, ar);
	id->display = col_text(q, c++, ar);
	id->country = col_text(q, c++, ar);
	id->platform = col_text(q, c++, ar);
	id->date = col_text(q, c++, ar);
	id->province = col_text(q, c++, ar);
	id->agency_id = sqlite3_column_int64(q, c++);
	id->created_at = col_text(q, c++, ar);
	id->created_by = col_id(q, c++);
}

int store_identifier_find(struct store *st, const char *kind, const char *key,
			  struct identifier *out, struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT " IDENT_COLS " FROM identifier i WHERE i.kind = ? AND "
			       "i.key = ?",
			       err);
	if (!q)
		return -1;
	bind_text(q, 1, kind);
	bind_text(q, 2, key);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_ident(q, 0, out, ar);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "looking up the identifier");
	return rc == SQLITE_ROW;
}

int store_identifier_insert(struct store *st, struct identifier *id, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "INSERT INTO identifier(kind, key, value, display, country, platform, "
			       "date, province, agency_id, created_at, created_by) "
			       "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       err);
	if (!q)
		return -1;
	bind_text(q, 1, id->kind);
	bind_text(q, 2, id->key);
	bind_text(q, 3, id->value);
	bind_text(q, 4, id->display ? id->display : id->key);
	bind_text_null(q, 5, id->country);
	bind_text_null(q, 6, id->platform);
	bind_text_null(q, 7, id->date);
	bind_text_null(q, 8, id->province);
	sqlite3_bind_int64(q, 9, id->agency_id);
	bind_text(q, 10, id->created_at);
	bind_id_or_null(q, 11, id->created_by);
	if (step_once(st, q, err, "saving the identifier") != 0)
		return -1;
	id->id = sqlite3_last_insert_rowid(st->db);
	return touch(st, 0, 0, err);
}

int store_identifier_get(struct store *st, int64_t id, struct identifier *out,
			 struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st, "SELECT " IDENT_COLS " FROM identifier i WHERE i.id = ?", err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_ident(q, 0, out, ar);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return error_set(err, ERR_NOT_FOUND, "identifier %lld not found", (long long)id);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "reading the identifier");
	return 0;
}

int store_identifier_visible(struct store *st, const struct actor *who, int64_t id,
			     struct error *err)
{
	if (who->role == ROLE_ADMIN)
		return 1;
	sqlite3_stmt *q = stmt_prepare_once(
		st,
		"SELECT EXISTS(SELECT 1 FROM identifier WHERE id = ?1 AND agency_id = ?2) "
		"OR EXISTS(SELECT 1 FROM party_identifier l JOIN party p ON p.id = l.party_id "
		"WHERE l.identifier_id = ?1 AND (p.agency_id = ?2 OR p.sharing = 'national')) "
		"OR EXISTS(SELECT 1 FROM identifier_seizure l JOIN seizure s ON s.id = "
		"l.seizure_id WHERE l.identifier_id = ?1 AND (s.agency_id = ?2 OR s.sharing = "
		"'national'))",
		err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, who->agency_id);
	int rc = sqlite3_step(q);
	int yes = rc == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "checking access to the identifier");
	return yes;
}

/* ---- links ------------------------------------------------------------------ */

struct link_table {
	const char *table, *from, *to;
	int has_origin;           /* a seizure_id column: the record it came from */
};

static const struct link_table link_tables[] = {
	[LINK_PARTY_IDENTIFIER] = { "party_identifier", "party_id", "identifier_id", 1 },
	[LINK_PARTY_SEIZURE] = { "party_seizure", "party_id", "seizure_id", 0 },
	[LINK_PARTY_RELATION] = { "party_relation", "party_id", "other_id", 1 },
	[LINK_IDENTIFIER_SEIZURE] = { "identifier_seizure", "identifier_id", "seizure_id", 0 },
};

static const char *link_role_col(enum store_link t)
{
	return t == LINK_PARTY_RELATION ? "kind" : "role";
}

/* Touches the parties at the ends of a link. */
static int touch_link(struct store *st, enum store_link t, int64_t from, int64_t to,
		      struct error *err)
{
	switch (t) {
	case LINK_PARTY_IDENTIFIER:
	case LINK_PARTY_SEIZURE:
		return touch(st, from, 0, err);
	case LINK_PARTY_RELATION:
		return touch(st, from, to, err);
	case LINK_IDENTIFIER_SEIZURE:
		break;
	}
	return touch(st, 0, 0, err);
}

int store_link_insert(struct store *st, enum store_link t, int64_t from, int64_t to,
		      const struct link_info *l, int64_t user_id, const char *at,
		      int64_t *link_id, int *created, struct error *err)
{
	const struct link_table *lt = &link_tables[t];
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ? AND %s = ? AND %s = ?",
		 lt->table, lt->from, lt->to, link_role_col(t));
	sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	bind_text(q, 3, l->role);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*link_id = sqlite3_column_int64(q, 0);
		*created = 0;
		sqlite3_finalize(q);
		return 0;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading links");
	snprintf(sql, sizeof sql,
		 "INSERT INTO %s(%s, %s, %s, source, date, created_at, created_by%s) "
		 "VALUES(?, ?, ?, ?, ?, ?, ?%s)",
		 lt->table, lt->from, lt->to, link_role_col(t), lt->has_origin ? ", seizure_id" : "",
		 lt->has_origin ? ", ?" : "");
	q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	bind_text(q, 3, l->role);
	bind_text_null(q, 4, l->source);
	bind_text_null(q, 5, l->date);
	bind_text(q, 6, at);
	bind_id_or_null(q, 7, user_id);
	if (lt->has_origin)
		bind_id_or_null(q, 8, l->seizure_id);
	if (step_once(st, q, err, "saving the link") != 0)
		return -1;
	*link_id = sqlite3_last_insert_rowid(st->db);
	*created = 1;
	return touch_link(st, t, from, to, err);
}

int store_link_delete(struct store *st, enum store_link t, int64_t from, int64_t to,
		      const char *role, int64_t *n, struct error *err)
{
	const struct link_table *lt = &link_tables[t];
	char sql[512];
	if (t == LINK_PARTY_RELATION)
		snprintf(sql, sizeof sql,
			 "DELETE FROM party_relation WHERE ((party_id = ?1 AND other_id = ?2) OR "
			 "(party_id = ?2 AND other_id = ?1)) AND (?3 IS NULL OR kind = ?3)");
	else
		snprintf(sql, sizeof sql,
			 "DELETE FROM %s WHERE %s = ?1 AND %s = ?2 AND (?3 IS NULL OR %s = ?3)",
			 lt->table, lt->from, lt->to, link_role_col(t));
	sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	bind_text_null(q, 3, role);
	if (step_once(st, q, err, "removing the link") != 0)
		return -1;
	*n = sqlite3_changes(st->db);
	if (*n == 0)
		return 0;
	return touch_link(st, t, from, to, err);
}

#define LINK_FIELDS(x) x ".id, " x ".source, " x ".date, " x ".created_at"

/* Columns 0..5 of a row selecting LINK_FIELDS, the role and the origin
 * seizure: the link's id, fields and creation time (text in ar). */
static void read_link_cols(sqlite3_stmt *q, int64_t *link_id, struct link_info *l,
			   const char **created_at, struct arena *ar)
{
	*link_id = sqlite3_column_int64(q, 0);
	l->source = col_text(q, 1, ar);
	l->date = col_text(q, 2, ar);
	*created_at = col_text(q, 3, ar);
	l->role = col_text(q, 4, ar);
	l->seizure_id = col_id(q, 5);
}

int store_party_links(struct store *st, int64_t party_id, struct party_page *out,
		      struct arena *ar, struct error *err)
{
	size_t cap = 0;
	int rc;
	out->idents = NULL;
	out->nidents = 0;
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT " LINK_FIELDS("l") ", l.role, l.seizure_id, " IDENT_COLS
			       " FROM party_identifier l JOIN identifier i ON i.id = "
			       "l.identifier_id WHERE l.party_id = ? ORDER BY l.id",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, party_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->idents = arena_grow(ar, out->idents, out->nidents, &cap, sizeof *out->idents);
		struct party_ident_link *x = &out->idents[out->nidents++];
		read_link_cols(q, &x->link_id, &x->link, &x->created_at, ar);
		read_ident(q, 6, &x->ident, ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the party's identifiers");

	cap = 0;
	out->seizures = NULL;
	out->nseizures = 0;
	q = stmt_prepare_once(st,
		 "SELECT " LINK_FIELDS("l") ", l.role, l.seizure_id FROM party_seizure l "
		 "WHERE l.party_id = ? ORDER BY l.id",
		 err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, party_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->seizures = arena_grow(ar, out->seizures, out->nseizures, &cap,
					   sizeof *out->seizures);
		struct party_seizure_link *x = &out->seizures[out->nseizures++];
		memset(x, 0, sizeof *x);
		read_link_cols(q, &x->link_id, &x->link, &x->created_at, ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the party's seizures");

	cap = 0;
	out->relations = NULL;
	out->nrelations = 0;
	q = stmt_prepare_once(st,
		 "SELECT " LINK_FIELDS("l") ", l.kind, l.seizure_id, l.party_id = ?1, o.id, "
		 "o.kind, o.agency_id, o.sharing, (SELECT n.name FROM party_name n WHERE "
		 "n.party_id = o.id ORDER BY n.kind <> 'full', n.line LIMIT 1) "
		 "FROM party_relation l JOIN party o ON o.id = CASE WHEN l.party_id = ?1 THEN "
		 "l.other_id ELSE l.party_id END WHERE l.party_id = ?1 OR l.other_id = ?1 "
		 "ORDER BY l.id",
		 err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, party_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->relations = arena_grow(ar, out->relations, out->nrelations, &cap,
					    sizeof *out->relations);
		struct party_relation_link *x = &out->relations[out->nrelations++];
		read_link_cols(q, &x->link_id, &x->link, &x->created_at, ar);
		x->outgoing = sqlite3_column_int(q, 6);
		x->other_id = sqlite3_column_int64(q, 7);
		x->other_kind = col_text(q, 8, ar);
		x->other_agency_id = sqlite3_column_int64(q, 9);
		x->other_sharing = col_text(q, 10, ar);
		x->other_name = col_text(q, 11, ar);
		if (!x->other_name)
			x->other_name = "";
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the party's relations");
	return 0;
}

/* Reads (link fields, role, origin, party columns) rows into seizure_party
 * entries, with the parties' names. */
static int read_party_rows(struct store *st, sqlite3_stmt *q, struct seizure_party **out,
			   size_t *n, struct arena *ar, struct error *err)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n, &cap, sizeof **out);
		struct seizure_party *x = &(*out)[(*n)++];
		read_link_cols(q, &x->link_id, &x->link, &x->created_at, ar);
		read_party(q, 6, &x->party, ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading linked parties");
	struct name_reader r;
	if (name_reader_open(st, &r, 0, err) != 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (read_names(st, r.names, NULL, &(*out)[i].party, ar, err) != 0) {
			name_reader_close(&r);
			return -1;
		}
	name_reader_close(&r);
	return 0;
}

int store_seizure_party_links(struct store *st, int64_t seizure_id, struct seizure_party **out,
			      size_t *n, struct seizure_ident **idents, size_t *nidents,
			      struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT " LINK_FIELDS("l") ", l.role, l.seizure_id, " PARTY_COLS
			       " FROM party_seizure l JOIN party p ON p.id = l.party_id JOIN "
			       "agency a ON a.id = p.agency_id WHERE l.seizure_id = ? ORDER BY l.id",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, seizure_id);
	if (read_party_rows(st, q, out, n, ar, err) != 0)
		return -1;
	q = stmt_prepare_once(st,
		 "SELECT " LINK_FIELDS("l") ", l.role, l.seizure_id, " IDENT_COLS
		 " FROM identifier_seizure l JOIN identifier i ON i.id = l.identifier_id "
		 "WHERE l.seizure_id = ? ORDER BY l.id",
		 err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, seizure_id);
	size_t cap = 0;
	int rc;
	*idents = NULL;
	*nidents = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*idents = arena_grow(ar, *idents, *nidents, &cap, sizeof **idents);
		struct seizure_ident *x = &(*idents)[(*nidents)++];
		read_link_cols(q, &x->link_id, &x->link, &x->created_at, ar);
		read_ident(q, 6, &x->ident, ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the seizure's identifiers");
	return 0;
}

int store_identifier_links(struct store *st, int64_t ident_id, struct seizure_party **parties,
			   size_t *nparties, struct party_seizure_link **seizures,
			   size_t *nseizures, struct arena *ar, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT " LINK_FIELDS("l") ", l.role, l.seizure_id, " PARTY_COLS
			       " FROM party_identifier l JOIN party p ON p.id = l.party_id JOIN "
			       "agency a ON a.id = p.agency_id WHERE l.identifier_id = ? ORDER BY "
			       "l.id",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, ident_id);
	if (read_party_rows(st, q, parties, nparties, ar, err) != 0)
		return -1;
	q = stmt_prepare_once(st,
		 "SELECT " LINK_FIELDS("l") ", l.role, l.seizure_id FROM identifier_seizure l "
		 "WHERE l.identifier_id = ? ORDER BY l.id",
		 err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, ident_id);
	size_t cap = 0;
	int rc;
	*seizures = NULL;
	*nseizures = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*seizures = arena_grow(ar, *seizures, *nseizures, &cap, sizeof **seizures);
		struct party_seizure_link *x = &(*seizures)[(*nseizures)++];
		memset(x, 0, sizeof *x);
		read_link_cols(q, &x->link_id, &x->link, &x->created_at, ar);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the identifier's seizures");
	return 0;
}

/* ---- generation and the search feed ------------------------------------- */

int store_party_generation(struct store *st, int64_t *gen, struct error *err)
{
	return query_int64(st,
			   "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM setting "
			   "WHERE key = 'party_generation'), 0)",
			   gen, err, "reading the party generation");
}

/*
 * The feed: parties, names and identifier keys read by three statements in
 * party id order, merged.  lo..hi bounds the ids (both 0: all).
 */
struct feed {
	sqlite3_stmt *parties, *names, *idents;
	int names_rc, idents_rc;
	struct party_name *nbuf;
	size_t ncap;
	struct identifier *ibuf;
	size_t icap;
};

static int feed_run(struct store *st, int64_t only, store_party_fn fn, void *ctx,
		    struct error *err)
{
	const char *where = only ? " = ?1" : " >= ?1";
	char sql[512];
	struct feed f = { 0 };
	int rc = -1;
	snprintf(sql, sizeof sql,
		 "SELECT id, kind, agency_id, sharing, birth_year, nationalities, version FROM "
		 "party WHERE merged_into IS NULL AND id%s ORDER BY id",
		 where);
	if (!(f.parties = stmt_prepare_once(st, sql, err)))
		goto out;
	snprintf(sql, sizeof sql,
		 "SELECT party_id, name, script, kind, romanised FROM party_name WHERE "
		 "party_id%s ORDER BY party_id, line",
		 where);
	if (!(f.names = stmt_prepare_once(st, sql, err)))
		goto out;
	snprintf(sql, sizeof sql,
		 "SELECT l.party_id, i.id, i.kind, i.key, i.display FROM party_identifier l JOIN "
		 "identifier "
		 "i ON i.id = l.identifier_id WHERE l.party_id%s GROUP BY l.party_id, "
		 "l.identifier_id ORDER BY l.party_id, l.identifier_id",
		 where);
	if (!(f.idents = stmt_prepare_once(st, sql, err)))
		goto out;
	sqlite3_bind_int64(f.parties, 1, only);
	sqlite3_bind_int64(f.names, 1, only);
	sqlite3_bind_int64(f.idents, 1, only);
	f.names_rc = sqlite3_step(f.names);
	f.idents_rc = sqlite3_step(f.idents);
	int prc, stop = 0;
	while (!stop && (prc = sqlite3_step(f.parties)) == SQLITE_ROW) {
		struct party p;
		memset(&p, 0, sizeof p);
		p.id = sqlite3_column_int64(f.parties, 0);
		p.kind = (const char *)sqlite3_column_text(f.parties, 1);
		p.agency_id = sqlite3_column_int64(f.parties, 2);
		p.sharing = (const char *)sqlite3_column_text(f.parties, 3);
		p.birth_year = sqlite3_column_int(f.parties, 4);
		p.nationalities = (const char *)sqlite3_column_text(f.parties, 5);
		p.version = sqlite3_column_int64(f.parties, 6);
		/* names of parties before this one belong to merged parties: skip */
		while (f.names_rc == SQLITE_ROW && sqlite3_column_int64(f.names, 0) < p.id)
			f.names_rc = sqlite3_step(f.names);
		size_t nn = 0;
		/* the rows stay valid while the statement stays on them; names
		 * are copied out as each step moves on */
		struct arena ar;
		arena_init(&ar);
		while (f.names_rc == SQLITE_ROW && sqlite3_column_int64(f.names, 0) == p.id) {
			f.nbuf = arena_grow(&ar, f.nbuf, nn, &f.ncap, sizeof *f.nbuf);
			struct party_name *n = &f.nbuf[nn++];
			n->name = col_text(f.names, 1, &ar);
			n->script = col_text(f.names, 2, &ar);
			n->kind = col_text(f.names, 3, &ar);
			n->romanised = col_text(f.names, 4, &ar);
			f.names_rc = sqlite3_step(f.names);
		}
		while (f.idents_rc == SQLITE_ROW && sqlite3_column_int64(f.idents, 0) < p.id)
			f.idents_rc = sqlite3_step(f.idents);
		size_t ni = 0;
		while (f.idents_rc == SQLITE_ROW && sqlite3_column_int64(f.idents, 0) == p.id) {
			f.ibuf = arena_grow(&ar, f.ibuf, ni, &f.icap, sizeof *f.ibuf);
			struct identifier *x = &f.ibuf[ni++];
			memset(x, 0, sizeof *x);
			x->id = sqlite3_column_int64(f.idents, 1);
			x->kind = col_text(f.idents, 2, &ar);
			x->key = col_text(f.idents, 3, &ar);
			x->display = col_text(f.idents, 4, &ar);
			f.idents_rc = sqlite3_step(f.idents);
		}
		p.names = f.nbuf;
		p.nnames = nn;
		stop = fn(ctx, &p, f.ibuf, ni);
		arena_free(&ar);
		f.nbuf = NULL;
		f.ncap = 0;
		f.ibuf = NULL;
		f.icap = 0;
	}
	if (!stop && (prc != SQLITE_DONE ||
		      (f.names_rc != SQLITE_DONE && f.names_rc != SQLITE_ROW) ||
		      (f.idents_rc != SQLITE_DONE && f.idents_rc != SQLITE_ROW))) {
		store_fail(st, err, "reading parties");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(f.parties);
	sqlite3_finalize(f.names);
	sqlite3_finalize(f.idents);
	return rc;
}

int store_party_all(struct store *st, store_party_fn fn, void *ctx, struct error *err)
{
	return feed_run(st, 0, fn, ctx, err);
}

int store_party_feed(struct store *st, int64_t id, store_party_fn fn, void *ctx,
		     struct error *err)
{
	if (id <= 0)
		return 0;
	return feed_run(st, id, fn, ctx, err);
}

int store_party_changed_since(struct store *st, int64_t since, store_party_changed_fn fn,
			      void *ctx, struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT id, merged_into IS NOT NULL FROM party WHERE gen > ?1 "
			       "UNION ALL SELECT id, 1 FROM party_deleted WHERE gen > ?1",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, since);
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW)
		stop = fn(ctx, sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1));
	sqlite3_finalize(q);
	if (!stop && rc != SQLITE_DONE)
		return store_fail(st, err, "reading changed parties");
	return 0;
}

int store_identifier_all(struct store *st, store_identifier_fn fn, void *ctx,
			 struct error *err)
{
	return store_identifier_after(st, 0, fn, ctx, err);
}

int store_identifier_after(struct store *st, int64_t after, store_identifier_fn fn, void *ctx,
			   struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT id, kind, key, display, agency_id FROM identifier WHERE id > ?1 "
			       "ORDER BY id",
			       err);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, after);
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct identifier x;
		memset(&x, 0, sizeof x);
		x.id = sqlite3_column_int64(q, 0);
		x.kind = (const char *)sqlite3_column_text(q, 1);
		x.key = (const char *)sqlite3_column_text(q, 2);
		x.display = (const char *)sqlite3_column_text(q, 3);
		x.agency_id = sqlite3_column_int64(q, 4);
		stop = fn(ctx, &x);
	}
	sqlite3_finalize(q);
	if (!stop && rc != SQLITE_DONE)
		return store_fail(st, err, "reading identifiers");
	return 0;
}

int store_identifier_seizure_all(struct store *st, store_ident_seizure_fn fn, void *ctx,
				 struct error *err)
{
	sqlite3_stmt *q = stmt_prepare_once(st,
			       "SELECT l.identifier_id, l.seizure_id, s.agency_id, s.sharing = "
			       "'national' FROM identifier_seizure l JOIN seizure s ON s.id = "
			       "l.seizure_id ORDER BY l.identifier_id, l.seizure_id",
			       err);
	if (!q)
		return -1;
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW)
		stop = fn(ctx, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
			  sqlite3_column_int64(q, 2), sqlite3_column_int(q, 3));
	sqlite3_finalize(q);
	if (!stop && rc != SQLITE_DONE)
		return store_fail(st, err, "reading the identifiers' seizures");
	return 0;
}
