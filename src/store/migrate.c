/*
 * Schema migrations (store.h: store_migrate, store_schema_version).
 *
 * Which migrations a database has is recorded one row per migration in
 * schema_migrations (version, name, applied_at), so a migration numbered
 * below one already applied (two lines of work landing out of order) is
 * still applied, once.  PRAGMA user_version keeps the newest version
 * applied, for tools that read it.
 *
 * A database made before the ledger existed has only user_version.  Its
 * ledger is filled once: a migration at or below user_version counts as
 * applied unless a table, index, view or trigger it creates is missing (and
 * no migration drops that object), in which case it is applied now.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/xalloc.h"
#include "store/internal.h"
#include "store/migrations.h"

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = 0;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	return v;
}

/* ---- reading the names a migration creates or drops --------------------- */

/* The next token of sql from *p: a word (letters, digits, _ and $, or a
 * "quoted" / `quoted` / [bracketed] name without its quotes) into buf, or a
 * single punctuation character.  Comments and 'strings' are skipped.
 * Returns 0 at the end. */
static int next_token(const char **p, char *buf, size_t cap)
{
	const char *s = *p;
	for (;;) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (s[0] == '-' && s[1] == '-') {
			while (*s && *s != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");
			s = e ? e + 2 : s + strlen(s);
		} else if (*s == '\'') {
			for (s++; *s && !(*s == '\'' && s[1] != '\''); s++)
				if (*s == '\'')
					s++;
			if (*s)
				s++;
		} else {
			break;
		}
	}
	if (!*s) {
		*p = s;
		return 0;
	}
	size_t n = 0;
	char close = *s == '"' ? '"' : *s == '`' ? '`' : *s == '[' ? ']' : 0;
	if (close) {
		for (s++; *s && *s != close; s++)
			if (n + 1 < cap)
				buf[n++] = *s;
		if (*s)
			s++;
	} else if (isalnum((unsigned char)*s) || *s == '_' || *s == '$') {
		for (; isalnum((unsigned char)*s) || *s == '_' || *s == '$'; s++)
			if (n + 1 < cap)
				buf[n++] = *s;
	} else {
		buf[n++] = *s++;
	}
	buf[n] = 0;
	*p = s;
	return 1;
}

static int is_kind(const char *t)
{
	return !strcasecmp(t, "TABLE") || !strcasecmp(t, "INDEX") || !strcasecmp(t, "VIEW") ||
	       !strcasecmp(t, "TRIGGER");
}

/*
 * Calls fn(ctx, name) for each object sql creates (verb "CREATE") or drops
 * ("DROP"): CREATE [TEMP|UNIQUE|VIRTUAL] TABLE|INDEX|VIEW|TRIGGER [IF NOT
 * EXISTS] [schema.]name, DROP KIND [IF EXISTS] name.  Stops when fn
 * returns non-zero and returns that.
 */
static int each_object(const char *sql, const char *verb,
		       int (*fn)(void *ctx, const char *name), void *ctx)
{
	char t[128];
	const char *p = sql;
	while (next_token(&p, t, sizeof t)) {
		if (strcasecmp(t, verb) != 0)
			continue;
		if (!next_token(&p, t, sizeof t))
			break;
		while (!strcasecmp(t, "TEMP") || !strcasecmp(t, "TEMPORARY") ||
		       !strcasecmp(t, "UNIQUE") || !strcasecmp(t, "VIRTUAL"))
			if (!next_token(&p, t, sizeof t))
				return 0;
		if (!is_kind(t) || !next_token(&p, t, sizeof t))
			continue;
		if (!strcasecmp(t, "IF")) { /* IF [NOT] EXISTS */
			while (next_token(&p, t, sizeof t) && strcasecmp(t, "EXISTS") != 0)
				;
			if (!next_token(&p, t, sizeof t))
				break;
		}
		const char *q = p;
		char dot[8];
		if (next_token(&q, dot, sizeof dot) && strcmp(dot, ".") == 0) {
			p = q; /* schema.name: the name follows */
			if (!next_token(&p, t, sizeof t))
				break;
		}
		int rc = fn(ctx, t);
		if (rc)
			return rc;
	}
	return 0;
}

struct probe {
	struct store *st;
	sqlite3_stmt *exists;
	int missing;
	int dropped;            /* for dropped_by_any: the name was found */
	const char *name;
};

static int name_dropped(void *ctx, const char *name)
{
	struct probe *pr = ctx;
	if (strcasecmp(name, pr->name) == 0)
		pr->dropped = 1;
	return pr->dropped;
}

/* Whether some migration drops an object of this name. */
static int dropped_by_any(const char *name)
{
	struct probe pr = { .name = name };
	for (int i = 0; i < store_migration_count && !pr.dropped; i++)
		each_object(store_migrations[i].sql, "DROP", name_dropped, &pr);
	return pr.dropped;
}

static int name_exists(void *ctx, const char *name)
{
	struct probe *pr = ctx;
	if (dropped_by_any(name))
		return 0; /* its absence says nothing */
	sqlite3_reset(pr->exists);
	sqlite3_bind_text(pr->exists, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(pr->exists) != SQLITE_ROW)
		pr->missing = 1;
	return pr->missing;
}

/* ---- the ledger -------------------------------------------------------------- */

static int ledger_has(struct store *st, sqlite3_stmt *q, int version, struct error *err)
{
	sqlite3_reset(q);
	sqlite3_bind_int(q, 1, version);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading schema_migrations");
	return 0;
}

static int ledger_add(struct store *st, const struct migration *m, const char *when,
		      struct error *err)
{
	sqlite3_stmt *s = stmt_prepare_once(
		st, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, "
		    "COALESCE(?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))", err);
	if (!s)
		return -1;
	sqlite3_bind_int(s, 1, m->version);
	sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
	bind_text(s, 3, when);
	return step_once(st, s, err, "recording a migration");
}

/* Fills an empty ledger of a database made before it (see the top). */
static int ledger_backfill(struct store *st, int have, struct error *err)
{
	struct probe pr = { .st = st };
	pr.exists = stmt_prepare_once(st, "SELECT 1 FROM sqlite_master WHERE name = ?1 COLLATE NOCASE",
				      err);
	if (!pr.exists)
		return -1;
	int rc = 0;
	for (int i = 0; i < store_migration_count && rc == 0; i++) {
		const struct migration *m = &store_migrations[i];
		if (m->version > have)
			break;
		pr.missing = 0;
		each_object(m->sql, "CREATE", name_exists, &pr);
		if (!pr.missing)
			rc = ledger_add(st, m, "before the ledger", err);
	}
	sqlite3_finalize(pr.exists);
	return rc;
}

int store_migrate(struct store *st, struct error *err)
{
	int have = store_schema_version(st);
	if (store_exec(st, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	sqlite3_stmt *count = NULL;
	int rc = store_exec(st, "CREATE TABLE IF NOT EXISTS schema_migrations ("
				"version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
				"applied_at TEXT NOT NULL)", err);
	if (rc == 0 && have > 0) {
		count = stmt_prepare_once(st, "SELECT count(*) FROM schema_migrations", err);
		if (!count)
			rc = -1;
		else if (sqlite3_step(count) == SQLITE_ROW && sqlite3_column_int(count, 0) == 0)
			rc = ledger_backfill(st, have, err);
		if (count)
			sqlite3_finalize(count);
	}
	if (rc != 0 || store_exec(st, "COMMIT", err) != 0) {
		store_exec(st, "ROLLBACK", &(struct error)ERROR_INIT);
		return -1;
	}

	sqlite3_stmt *has = stmt_prepare_once(st, "SELECT 1 FROM schema_migrations WHERE version = ?1",
					      err);
	if (!has)
		return -1;
	for (int i = 0; i < store_migration_count && rc == 0; i++) {
		const struct migration *m = &store_migrations[i];
		int applied = ledger_has(st, has, m->version, err);
		if (applied != 0) {
			rc = applied < 0 ? -1 : 0;
			continue;
		}
		sqlite3_reset(has); /* no statement left open across the transaction */
		if (store_exec(st, "BEGIN IMMEDIATE", err) != 0) {
			rc = -1;
			break;
		}
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d",
			 m->version > have ? m->version : have);
		if (store_exec(st, m->sql, err) != 0 || ledger_add(st, m, NULL, err) != 0 ||
		    store_exec(st, pragma, err) != 0) {
			store_exec(st, "ROLLBACK", &(struct error)ERROR_INIT);
			rc = error_set(err, ERR_DB, "migration %s failed: %s", m->name,
				       err->message);
			break;
		}
		if (store_exec(st, "COMMIT", err) != 0) {
			rc = -1;
			break;
		}
		if (m->version > have)
			have = m->version;
	}
	sqlite3_finalize(has);
	return rc;
}
