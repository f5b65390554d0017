/*
 * internal.h - shared by the SQLite implementation of store.h only.
 *
 * Statements are prepared once per connection and cached by a fixed id;
 * store_stmt() returns the statement reset and with bindings cleared.
 */
#ifndef KOUPREY_STORE_INTERNAL_H
#define KOUPREY_STORE_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include <sqlite3.h>

#include "lib/arena.h"
#include "lib/error.h"
#include "store/store.h"

enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK, S_BEGIN_READ,
	S_SETTING_GET, S_SETTING_SET,
	S_REF_INSERT_FIRST,
	S_REF_INSERT_LAST = S_REF_INSERT_FIRST + REF_TABLE_COUNT - 1,
	S_REF_SELECT_FIRST,
	S_REF_SELECT_LAST = S_REF_SELECT_FIRST + REF_TABLE_COUNT - 1,
	S_TAXON_NEXT_ID,
	S_AGENCY_INSERT, S_AGENCY_BY_NAME, S_AGENCY_BY_ID, S_AGENCY_LIST,
	S_USER_INSERT, S_USER_BY_NAME, S_USER_BY_ID, S_USER_LIST, S_USER_COUNT, S_USER_UPDATE,
	S_USER_SET_PASSWORD, S_USER_SET_LOGIN,
	S_SESSION_INSERT, S_SESSION_GET, S_SESSION_DELETE, S_SESSION_DELETE_USER,
	S_TOKEN_INSERT, S_TOKEN_USER,
	S_SEIZURE_INSERT, S_SEIZURE_REPLACE, S_SEIZURE_VERSION, S_SEIZURE_DELETE, S_SEIZURE_GET,
	S_SEIZURE_FIND_REF, S_ITEM_INSERT, S_ITEM_DELETE_ALL, S_ITEMS_OF,
	S_IMPORT_INSERT, S_IMPORT_FINISH,
	S_AUDIT_LAST, S_AUDIT_INSERT, S_AUDIT_ALL, S_AUDIT_ENTITY, S_GEN_GET, S_GEN_BUMP,
	S_IMPORT_SEIZURE_ADD, S_IMPORT_SEIZURE_EACH,
	S_SEIZURE_ALL, S_SEIZURE_GET_MANY, S_ITEMS_OF_MANY,
	S_COUNT
};

enum { LIST_FILTER_BITS = 12 };

struct store {
	sqlite3 *db;
	char *path;
	int in_tx;
	int in_read;
	int read_kept;            /* store_read_keep() since the read began */
	int64_t read_at_ms;       /* clock_ms() when the read began */
	uint64_t read_commits;    /* *commits when the read began */
	/* The pool's count of commits through its connections (pool.c), bumped
	 * by store_commit(); NULL outside a pool. */
	_Atomic uint64_t *commits;
	int bulk;                 /* in a store_begin_bulk() transaction */
	int bulk_journal;         /* switched to a rollback journal for it */
	/* The database file opened once more during a large load, to start
	 * writing its changed pages to disk while the load goes on (0: not
	 * open); bulk_rows counts the records written since. */
	int bulk_fd;
	unsigned bulk_rows;
	char **dropped_indexes;   /* CREATE INDEX statements to run at commit */
	size_t ndropped;
	/* The audit chain's head while a transaction that appends to it is
	 * open; written to the setting "audit_head" just before COMMIT. */
	char audit_head[80];
	int audit_head_valid;
	int audit_dirty;
	int seizures_dirty;       /* this transaction changed seizures */
	/* Values read in an earlier read transaction, reused while the
	 * database's data version (SQLITE_FCNTL_DATA_VERSION: any commit, this
	 * connection's or another's, changes it) is the same: see
	 * store_data_version().  valid = 0: nothing cached. */
	struct {
		int valid;
		unsigned version;
		int64_t value;
	} gen_cache;              /* the register's generation */
	struct {
		int valid;
		int found;            /* 0: the setting does not exist */
		unsigned version;
		char key[32], value[32];
	} setting_cache;          /* one short setting (the account generation) */
	sqlite3_stmt *stmts[S_COUNT];
	sqlite3_stmt *list_stmts[1 << LIST_FILTER_BITS];
	sqlite3_stmt *count_stmts[1 << LIST_FILTER_BITS];
	sqlite3_stmt *each_stmts[1 << LIST_FILTER_BITS];
};

/* Counts every commit made through st in *commits (the pool's), after the
 * commit is visible to other connections. */
void store_count_commits(struct store *st, _Atomic uint64_t *commits);

/* The cached statement id, prepared from sql on first use; NULL on error. */
sqlite3_stmt *store_stmt(struct store *st, enum stmt_id id, const char *sql, struct error *err);
/* Prepares (and caches in *slot) a statement built at run time. */
sqlite3_stmt *store_stmt_slot(struct store *st, sqlite3_stmt **slot, const char *sql,
			      struct error *err);
/* Runs sql (one or more statements, no parameters: schema and pragmas
 * only); -1 with err on error. */
int store_exec(struct store *st, const char *sql, struct error *err);
/*
 * 1 and *version when the connection is inside a read-only transaction whose
 * snapshot has started (a statement has read the database in it): then
 * *version is the database's data version for that snapshot, and a value
 * read earlier at the same version is still what a read would return.  0
 * otherwise (no transaction, not started yet, or a write transaction, whose
 * own changes are not counted until it commits).
 */
int store_data_version(struct store *st, unsigned *version);
/* Sets err from the connection's last error; returns -1. */
int store_fail(struct store *st, struct error *err, const char *what);

/* Binding helpers: NULL (or "" with bind_text_null) binds SQL NULL. */
void bind_text(sqlite3_stmt *s, int i, const char *v);
void bind_text_null(sqlite3_stmt *s, int i, const char *v);
/* Column text copied into the arena; NULL for SQL NULL. */
const char *col_text(sqlite3_stmt *s, int i, struct arena *a);
/* Runs a statement expected to return no row; -1 on error. */
int step_done(struct store *st, sqlite3_stmt *s, struct error *err, const char *what);

/* Statements prepared per call (not cached): the caller finalizes. NULL with
 * err on error. */
sqlite3_stmt *stmt_prepare_once(struct store *st, const char *sql, struct error *err);
/* step_done, then finalizes s (a statement from stmt_prepare_once). */
int step_once(struct store *st, sqlite3_stmt *s, struct error *err, const char *what);
/* *out = the integer sql (one row, one column, no parameters) returns; -1
 * with err (naming what was read) on error. */
int query_int64(struct store *st, const char *sql, int64_t *out, struct error *err,
		const char *what);
/* An id column: 0 for SQL NULL. */
int64_t col_id(sqlite3_stmt *s, int i);
/* Binds v, or SQL NULL when v is 0. */
void bind_id_or_null(sqlite3_stmt *s, int i, int64_t v);

/* A record was written in a large load: now and then, starts writing the
 * database's changed pages to disk (store_begin_bulk()). */
void store_bulk_wrote(struct store *st);

#endif
