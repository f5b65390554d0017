/* SQLite connection, transactions, backup and checks (migrations: migrate.c). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/dynbuf.h"
#include "lib/xalloc.h"
#include "store/internal.h"

int store_fail(struct store *st, struct error *err, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);
	enum err_code ec = ERR_DB;
	if ((code & 0xff) == SQLITE_CONSTRAINT)
		ec = ERR_CONFLICT;
	return error_set(err, ec, "%s: %s", what, sqlite3_errmsg(st->db));
}

sqlite3_stmt *store_stmt_slot(struct store *st, sqlite3_stmt **slot, const char *sql,
			      struct error *err)
{
	if (!*slot) {
		if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) !=
		    SQLITE_OK) {
			store_fail(st, err, "preparing a statement");
			*slot = NULL;
			return NULL;
		}
	} else {
		sqlite3_reset(*slot);
		sqlite3_clear_bindings(*slot);
	}
	return *slot;
}

sqlite3_stmt *store_stmt(struct store *st, enum stmt_id id, const char *sql, struct error *err)
{
	return store_stmt_slot(st, &st->stmts[id], sql, err);
}

void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

void bind_text_null(sqlite3_stmt *s, int i, const char *v)
{
	bind_text(s, i, v && *v ? v : NULL);
}

const char *col_text(sqlite3_stmt *s, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(s, i));
}

int step_done(struct store *st, sqlite3_stmt *s, struct error *err, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(st, err, what);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

sqlite3_stmt *stmt_prepare_once(struct store *st, const char *sql, struct error *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_fail(st, err, "preparing a statement");
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

int step_once(struct store *st, sqlite3_stmt *s, struct error *err, const char *what)
{
	int rc = step_done(st, s, err, what);
	sqlite3_finalize(s);
	return rc;
}

int query_int64(struct store *st, const char *sql, int64_t *out, struct error *err,
		const char *what)
{
	sqlite3_stmt *q = stmt_prepare_once(st, sql, err);
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, what);
	return 0;
}

int64_t col_id(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, i);
}

void bind_id_or_null(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

int store_exec(struct store *st, const char *sql, struct error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error_set(err, ERR_DB, "database: %s", msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int store_data_version(struct store *st, unsigned *version)
{
	if (sqlite3_txn_state(st->db, "main") != SQLITE_TXN_READ)
		return 0;
	unsigned v = 0;
	if (sqlite3_file_control(st->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	*version = v;
	return 1;
}

/*
 * Process-wide SQLite settings, applied once before the first connection:
 * no memory statistics (they take one global mutex around every allocation
 * SQLite makes, which the server's threads then wait on; kouprey never reads
 * them).  sqlite3_config() refuses (harmlessly) when SQLite was started
 * already.  The once-flag is the only state here, set once.
 */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct store *store_open(const char *path, enum store_mode mode, struct error *err)
{
	pthread_once(&sqlite_configured, configure_sqlite);
	if (mode == STORE_OPEN_EXISTING && access(path, F_OK) != 0) {
		error_set(err, ERR_IO, "no database at %s (create one with `kouprey init --db %s`)",
			  path, path);
		return NULL;
	}
	struct store *st = xcalloc(1, sizeof *st);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (mode == STORE_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		error_set(err, ERR_IO, "cannot open database %s: %s", path,
			  st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		free(st);
		return NULL;
	}
	st->path = xstrdup(path);
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_extended_result_codes(st->db, 1);
	if (store_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
		     "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
		     "PRAGMA cache_size=-65536;",
		 err) != 0) {
		store_close(st);
		return NULL;
	}
	return st;
}

static void finalize_all(sqlite3_stmt **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i])
			sqlite3_finalize(v[i]);
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->in_tx || st->in_read)
		store_rollback(st);
	finalize_all(st->stmts, S_COUNT);
	finalize_all(st->list_stmts, 1 << LIST_FILTER_BITS);
	finalize_all(st->count_stmts, 1 << LIST_FILTER_BITS);
	finalize_all(st->each_stmts, 1 << LIST_FILTER_BITS);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int store_in_tx(struct store *st, int (*fn)(void *ctx, struct error *err), void *ctx,
		struct error *err)
{
	if (store_begin(st, err) != 0)
		return -1;
	if (fn(ctx, err) != 0 || store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int store_begin(struct store *st, struct error *err)
{
	store_read_end(st); /* a write never runs in an older snapshot */
	sqlite3_stmt *s = store_stmt(st, S_BEGIN, "BEGIN IMMEDIATE", err);
	if (!s || step_done(st, s, err, "starting a transaction") != 0)
		return -1;
	st->in_tx = 1;
	st->audit_head_valid = 0;
	st->audit_dirty = 0;
	st->seizures_dirty = 0;
	return 0;
}

static int journal_is(struct store *st, const char *mode)
{
	sqlite3_stmt *q;
	int yes = 0;
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			yes = strcmp((const char *)sqlite3_column_text(q, 0), mode) == 0;
		sqlite3_finalize(q);
	}
	return yes;
}

/* Records between two starts of writeback in a large load. */
enum { BULK_WRITEBACK_ROWS = 8192 };

void store_bulk_wrote(struct store *st)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (st->bulk_fd > 0 && ++st->bulk_rows % BULK_WRITEBACK_ROWS == 0)
		sync_file_range(st->bulk_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)st;
#endif
}

static void forget_dropped(struct store *st)
{
	for (size_t i = 0; i < st->ndropped; i++)
		free(st->dropped_indexes[i]);
	free(st->dropped_indexes);
	st->dropped_indexes = NULL;
	st->ndropped = 0;
}

static void bulk_done(struct store *st)
{
	if (st->bulk_fd > 0)
		close(st->bulk_fd);
	st->bulk_fd = 0;
	st->bulk_rows = 0;
	if (st->bulk_journal) {
		st->bulk_journal = 0;
		sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
	}
	forget_dropped(st);
	if (st->bulk) {
		st->bulk = 0;
		sqlite3_exec(st->db, "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY", NULL, NULL,
			     NULL);
	}
}

/* The secondary indexes of the register's tables and of the imports' lists,
 * as (name, CREATE INDEX ...).
 * The audit log's stay: a load appends to them in their order, which costs
 * less than reading the whole log again to rebuild them. */
static int drop_register_indexes(struct store *st, struct error *err)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS "
			       "NOT NULL AND tbl_name IN ('seizure', 'seizure_item', "
			       "'seizure_country', 'import_seizure')",
			       -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, err, "listing indexes");
	size_t cap = 0;
	char **names = NULL;
	size_t n = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			names = xreallocarray(names, cap, sizeof *names);
			st->dropped_indexes = xreallocarray(st->dropped_indexes, cap, sizeof(char *));
		}
		names[n] = xstrdup((const char *)sqlite3_column_text(q, 0));
		st->dropped_indexes[n] = xstrdup((const char *)sqlite3_column_text(q, 1));
		n++;
	}
	sqlite3_finalize(q);
	st->ndropped = n;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *sql = sqlite3_mprintf("DROP INDEX \"%w\"", names[i]);
		if (rc == 0)
			rc = store_exec(st, sql, err);
		sqlite3_free(sql);
		free(names[i]);
	}
	free(names);
	return rc;
}

int store_begin_bulk(struct store *st, int64_t rows, struct error *err)
{
	store_read_end(st);
	/* the index rebuild at commit sorts on disk, not in memory */
	if (store_exec(st, "PRAGMA foreign_keys=OFF; PRAGMA temp_store=FILE", err) != 0)
		return -1;
	st->bulk = 1;
	/* A transaction this large is much faster with a rollback journal than
	 * in WAL mode (whose index of changed pages grows with it).  Switching
	 * needs the database to ourselves: when a server has it open, stay in
	 * WAL.  Either way the load is one atomic transaction. */
	st->bulk_journal = 0;
	if (rows >= 20000) {
		struct error ignored = ERROR_INIT;
		sqlite3_busy_timeout(st->db, 0);
		if (store_exec(st, "PRAGMA journal_mode=DELETE", &ignored) == 0 && journal_is(st, "delete"))
			st->bulk_journal = 1;
		sqlite3_busy_timeout(st->db, 10000);
		error_clear(&ignored);
	}
	if (store_begin(st, err) != 0) {
		bulk_done(st);
		return -1;
	}
	int64_t have = 0;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT max(id) FROM seizure", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			have = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	/* rebuilding costs about what the table holds; row-by-row updates cost
	 * more per row: worth it when the load is large against the table */
	if (rows >= 20000 && rows >= have && drop_register_indexes(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	/* The pages SQLite writes during a large load wait in the kernel's
	 * cache until the commit's fsync writes them all (a gigabyte takes
	 * about a second): starting their writeback as the load goes overlaps
	 * it with the work (store_bulk_wrote()).  Only a hint: when the file
	 * cannot be opened again, the commit writes everything as before. */
	const char *path = sqlite3_db_filename(st->db, "main");
	if (rows >= 20000 && path && *path) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		st->bulk_fd = fd > 0 ? fd : 0;
		if (fd == 0)
			close(fd);
	}
	return 0;
}

int store_bulk_indexes(struct store *st, struct error *err)
{
	if (st->ndropped == 0)
		return 0;
	/* The sort of a large index uses a second core (SQLite's sorter
	 * threads), but only when it writes sorted runs as it goes, which it
	 * does past the page cache's size: with a small cache it sorts runs on
	 * the second core while the first scans the table (measured at 1M
	 * seizures: the date index in 0.7 s with 2 MB against 1.8 s with the
	 * 64 MB cache).  The dirty pages the smaller cache cannot hold are
	 * written now rather than at the commit. */
	int64_t cache = 0;
	struct error ignored = ERROR_INIT;
	if (query_int64(st, "PRAGMA cache_size", &cache, &ignored, "reading the cache size") != 0)
		cache = 0;
	error_clear(&ignored);
	sqlite3_exec(st->db, "PRAGMA threads=2; PRAGMA cache_size=-2048", NULL, NULL, NULL);
	int rc = 0;
	for (size_t i = 0; i < st->ndropped && rc == 0; i++)
		rc = store_exec(st, st->dropped_indexes[i], err);
	sqlite3_exec(st->db, "PRAGMA threads=0", NULL, NULL, NULL);
	if (cache) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size=%lld", (long long)cache);
		sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	}
	forget_dropped(st);
	if (rc != 0)
		store_rollback(st);
	return rc;
}

int store_commit(struct store *st, struct error *err)
{
	if (store_bulk_indexes(st, err) != 0)
		return -1;
	if (st->audit_dirty && store_setting_set(st, "audit_head", st->audit_head, err) != 0) {
		store_rollback(st);
		return -1;
	}
	if (st->seizures_dirty) {
		sqlite3_stmt *g = store_stmt(st, S_GEN_BUMP,
					     "INSERT INTO setting(key, value) VALUES('seizure_generation', "
					     "'1') ON CONFLICT(key) DO UPDATE SET value = value + 1",
					     err);
		if (!g || step_done(st, g, err, "counting the change") != 0) {
			store_rollback(st);
			return -1;
		}
		st->seizures_dirty = 0;
	}
	st->audit_dirty = 0;
	st->audit_head_valid = 0;
	sqlite3_stmt *s = store_stmt(st, S_COMMIT, "COMMIT", err);
	if (!s || step_done(st, s, err, "committing") != 0) {
		store_rollback(st);
		return -1;
	}
	st->in_tx = 0;
	bulk_done(st);
	return 0;
}

int store_read_begin(struct store *st, struct error *err)
{
	if (st->in_read)
		return 0;
	/* counted before the snapshot is taken: a commit in between makes the
	 * pool end this read sooner, never later */
	st->read_commits = st->commits ? atomic_load(st->commits) : 0;
	st->read_at_ms = clock_ms();
	st->read_kept = 0;
	sqlite3_stmt *s = store_stmt(st, S_BEGIN_READ, "BEGIN DEFERRED", err);
	if (!s || step_done(st, s, err, "starting a read") != 0)
		return -1;
	st->in_read = 1;
	return 0;
}

/* After every commit on the connection (WAL mode), once it is visible to
 * other connections: counted, and the WAL checkpointed past 1000 pages as
 * SQLite's own automatic checkpoint (which this hook replaces) would. */
static int count_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store *st = arg;
	atomic_fetch_add(st->commits, 1);
	if (pages >= 1000)
		sqlite3_wal_checkpoint(db, name);
	return SQLITE_OK;
}

void store_count_commits(struct store *st, _Atomic uint64_t *commits)
{
	st->commits = commits;
	sqlite3_wal_hook(st->db, count_commit, st);
}

void store_read_keep(struct store *st)
{
	if (st->in_read)
		st->read_kept = 1;
}

void store_read_end(struct store *st)
{
	st->read_kept = 0;
	if (st->in_read) {
		st->in_read = 0;
		struct error e = ERROR_INIT;
		sqlite3_stmt *s = store_stmt(st, S_COMMIT, "COMMIT", &e);
		if (s && step_done(st, s, &e, "ending a read") != 0)
			store_rollback(st);
		error_clear(&e);
	}
}

void store_rollback(struct store *st)
{
	st->in_read = 0;
	st->read_kept = 0;
	if (sqlite3_get_autocommit(st->db)) {
		st->in_tx = 0;
		bulk_done(st);
		return;
	}
	struct error e = ERROR_INIT;
	sqlite3_stmt *s = store_stmt(st, S_ROLLBACK, "ROLLBACK", &e);
	if (s)
		step_done(st, s, &e, "rolling back");
	error_clear(&e);
	st->in_tx = 0;
	st->audit_head_valid = 0;
	st->audit_dirty = 0;
	st->seizures_dirty = 0;
	bulk_done(st);
}

int store_backup(struct store *st, const char *dest, struct error *err)
{
	if (access(dest, F_OK) == 0)
		return error_set(err, ERR_IO, "%s exists already; choose a new file", dest);
	sqlite3 *out;
	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		error_set(err, ERR_IO, "cannot create %s: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", st->db, "main");
	if (!b) {
		error_set(err, ERR_DB, "backup: %s", sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	int rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		error_set(err, ERR_DB, "backup: %s", sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(dest);
		return -1;
	}
	sqlite3_close(out);
	return 0;
}

static int check_pragma(struct store *st, const char *sql, const char *ok, struct error *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, err, sql);
	int bad = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		if (ok && t && strcmp(t, ok) == 0)
			continue;
		bad++;
		char field[64];
		snprintf(field, sizeof field, "%s", sql + 7);
		error_field(err, field, "%s%s%s", t ? t : "",
			    sqlite3_column_count(s) > 1 ? " row " : "",
			    sqlite3_column_count(s) > 1
				    ? (const char *)sqlite3_column_text(s, 1)
				    : "");
	}
	sqlite3_finalize(s);
	return bad ? -1 : 0;
}

int store_integrity_check(struct store *st, struct error *err)
{
	int rc = check_pragma(st, "PRAGMA integrity_check", "ok", err);
	if (check_pragma(st, "PRAGMA foreign_key_check", NULL, err) != 0)
		rc = -1;
	if (rc != 0) {
		free(err->message);
		err->message = xstrdup("the database failed its integrity checks");
		err->code = ERR_DB;
	}
	return rc;
}

/* Remembers the answer for key (value NULL: there is none) while the data
 * version stays the same. */
static void setting_remember(struct store *st, const char *key, const char *value)
{
	unsigned version = 0;
	st->setting_cache.valid = 0;
	if (strlen(key) >= sizeof st->setting_cache.key ||
	    (value && strlen(value) >= sizeof st->setting_cache.value) ||
	    !store_data_version(st, &version))
		return;
	strcpy(st->setting_cache.key, key);
	strcpy(st->setting_cache.value, value ? value : "");
	st->setting_cache.found = value != NULL;
	st->setting_cache.version = version;
	st->setting_cache.valid = 1;
}

int store_setting_get(struct store *st, const char *key, char **value_out, struct error *err)
{
	/* the last short setting read (or found missing), while nothing was
	 * committed since */
	unsigned version = 0;
	if (st->setting_cache.valid && store_data_version(st, &version) &&
	    version == st->setting_cache.version && strcmp(st->setting_cache.key, key) == 0) {
		if (!st->setting_cache.found)
			return error_set(err, ERR_NOT_FOUND, "no setting %s", key);
		*value_out = xstrdup(st->setting_cache.value);
		return 0;
	}
	sqlite3_stmt *s = store_stmt(st, S_SETTING_GET, "SELECT value FROM setting WHERE key = ?", err);
	if (!s)
		return -1;
	bind_text(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		*value_out = xstrdup(v ? v : "");
		sqlite3_reset(s);
		setting_remember(st, key, *value_out);
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading a setting");
	setting_remember(st, key, NULL);
	return error_set(err, ERR_NOT_FOUND, "no setting %s", key);
}

int store_setting_set(struct store *st, const char *key, const char *value, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_SETTING_SET,
				     "INSERT INTO setting(key, value) VALUES(?, ?) "
				     "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
				     err);
	if (!s)
		return -1;
	bind_text(s, 1, key);
	bind_text(s, 2, value);
	return step_done(st, s, err, "saving a setting");
}
