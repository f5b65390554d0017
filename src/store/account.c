/* Agencies, users, sessions and API tokens. */
#include <string.h>

#include "lib/xalloc.h"
#include "store/internal.h"

static int not_found(struct error *err, const char *what)
{
	return error_set(err, ERR_NOT_FOUND, "%s not found", what);
}

/* ---- agencies ---------------------------------------------------------- */

int store_agency_insert(struct store *st, struct agency_rec *a, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_AGENCY_INSERT,
				     "INSERT INTO agency(name, country, kind, created_at) "
				     "VALUES(?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
				     err);
	if (!s)
		return -1;
	bind_text(s, 1, a->name);
	bind_text(s, 2, a->country);
	bind_text(s, 3, a->kind);
	if (step_done(st, s, err, "adding the agency") != 0) {
		if (err->code == ERR_CONFLICT)
			error_set(err, ERR_CONFLICT, "an agency named \"%s\" exists already", a->name);
		return -1;
	}
	a->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static void read_agency(sqlite3_stmt *s, struct agency_rec *out, struct arena *ar)
{
	out->id = sqlite3_column_int64(s, 0);
	out->name = col_text(s, 1, ar);
	out->country = col_text(s, 2, ar);
	out->kind = col_text(s, 3, ar);
	out->created_at = col_text(s, 4, ar);
}

#define AGENCY_COLS "SELECT id, name, country, kind, created_at FROM agency "

static int agency_one(struct store *st, sqlite3_stmt *s, struct agency_rec *out,
		      struct arena *ar, struct error *err)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_agency(s, out, ar);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading an agency");
	return not_found(err, "agency");
}

int store_agency_by_name(struct store *st, const char *name, struct agency_rec *out,
			 struct arena *ar, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_AGENCY_BY_NAME, AGENCY_COLS "WHERE name = ?", err);
	if (!s)
		return -1;
	bind_text(s, 1, name);
	return agency_one(st, s, out, ar, err);
}

int store_agency_by_id(struct store *st, int64_t id, struct agency_rec *out,
		       struct arena *ar, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_AGENCY_BY_ID, AGENCY_COLS "WHERE id = ?", err);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return agency_one(st, s, out, ar, err);
}

int store_agency_list(struct store *st, struct agency_rec **out, size_t *n, struct arena *ar,
		      struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_AGENCY_LIST, AGENCY_COLS "ORDER BY name", err);
	if (!s)
		return -1;
	size_t cap = 0;
	*n = 0;
	*out = arena_grow(ar, NULL, 0, &cap, sizeof **out);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n, &cap, sizeof **out);
		read_agency(s, &(*out)[(*n)++], ar);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "listing agencies");
	return 0;
}

/* ---- users ------------------------------------------------------------- */

#define USER_COLS                                                                        \
	"SELECT u.id, u.username, u.display_name, u.password_hash, u.lang, u.created_at, " \
	"a.name, u.agency_id, u.role, u.disabled, u.failed_logins, u.locked_until "         \
	"FROM user u JOIN agency a ON a.id = u.agency_id "

static void read_user(sqlite3_stmt *s, struct user_rec *u, struct arena *ar)
{
	u->id = sqlite3_column_int64(s, 0);
	u->username = col_text(s, 1, ar);
	u->display_name = col_text(s, 2, ar);
	u->password_hash = col_text(s, 3, ar);
	u->lang = col_text(s, 4, ar);
	u->created_at = col_text(s, 5, ar);
	u->agency_name = col_text(s, 6, ar);
	u->agency_id = sqlite3_column_int64(s, 7);
	const char *role = (const char *)sqlite3_column_text(s, 8);
	if (role_parse(role ? role : "", &u->role) != 0)
		u->role = ROLE_VIEWER;
	u->disabled = sqlite3_column_int(s, 9);
	u->failed_logins = sqlite3_column_int(s, 10);
	u->locked_until = sqlite3_column_int64(s, 11);
}

int store_user_insert(struct store *st, struct user_rec *u, struct error *err)
{
	sqlite3_stmt *s = store_stmt(
		st, S_USER_INSERT,
		"INSERT INTO user(username, display_name, agency_id, role, password_hash, lang, "
		"created_at) VALUES(?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
		err);
	if (!s)
		return -1;
	bind_text(s, 1, u->username);
	bind_text(s, 2, u->display_name);
	sqlite3_bind_int64(s, 3, u->agency_id);
	bind_text(s, 4, role_name(u->role));
	bind_text(s, 5, u->password_hash);
	bind_text(s, 6, u->lang ? u->lang : "en");
	if (step_done(st, s, err, "adding the user") != 0) {
		if (err->code == ERR_CONFLICT) {
			error_clear(err);
			error_field(err, "username", "the user name \"%s\" is taken", u->username);
			err->code = ERR_CONFLICT;
		}
		return -1;
	}
	u->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static int user_one(struct store *st, sqlite3_stmt *s, struct user_rec *out, struct arena *ar,
		    struct error *err)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_user(s, out, ar);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading a user");
	return not_found(err, "user");
}

int store_user_by_name(struct store *st, const char *username, struct user_rec *out,
		       struct arena *ar, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_USER_BY_NAME, USER_COLS "WHERE u.username = ?", err);
	if (!s)
		return -1;
	bind_text(s, 1, username);
	return user_one(st, s, out, ar, err);
}

int store_user_by_id(struct store *st, int64_t id, struct user_rec *out, struct arena *ar,
		     struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_USER_BY_ID, USER_COLS "WHERE u.id = ?", err);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return user_one(st, s, out, ar, err);
}

int store_user_list(struct store *st, struct user_rec **out, size_t *n, struct arena *ar,
		    struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_USER_LIST, USER_COLS "ORDER BY u.username", err);
	if (!s)
		return -1;
	size_t cap = 0;
	*n = 0;
	*out = arena_grow(ar, NULL, 0, &cap, sizeof **out);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = arena_grow(ar, *out, *n, &cap, sizeof **out);
		read_user(s, &(*out)[(*n)++], ar);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "listing users");
	return 0;
}

int store_user_count(struct store *st, int64_t *n, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_USER_COUNT, "SELECT count(*) FROM user", err);
	if (!s)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_fail(st, err, "counting users");
	}
	*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int store_user_update(struct store *st, const struct user_rec *u, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_USER_UPDATE,
				     "UPDATE user SET role = ?, agency_id = ?, display_name = ?, "
				     "lang = ?, disabled = ? WHERE id = ?",
				     err);
	if (!s)
		return -1;
	bind_text(s, 1, role_name(u->role));
	sqlite3_bind_int64(s, 2, u->agency_id);
	bind_text(s, 3, u->display_name);
	bind_text(s, 4, u->lang ? u->lang : "en");
	sqlite3_bind_int(s, 5, u->disabled);
	sqlite3_bind_int64(s, 6, u->id);
	if (step_done(st, s, err, "changing the user") != 0)
		return -1;
	return sqlite3_changes(st->db) ? 0 : not_found(err, "user");
}

int store_user_set_password(struct store *st, int64_t id, const char *hash, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_USER_SET_PASSWORD,
				     "UPDATE user SET password_hash = ?, failed_logins = 0, "
				     "locked_until = 0 WHERE id = ?",
				     err);
	if (!s)
		return -1;
	bind_text(s, 1, hash);
	sqlite3_bind_int64(s, 2, id);
	if (step_done(st, s, err, "changing the password") != 0)
		return -1;
	return sqlite3_changes(st->db) ? 0 : not_found(err, "user");
}

int store_user_set_login_state(struct store *st, int64_t id, int failed, int64_t locked_until,
			       struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_USER_SET_LOGIN,
				     "UPDATE user SET failed_logins = ?, locked_until = ? WHERE id = ?",
				     err);
	if (!s)
		return -1;
	sqlite3_bind_int(s, 1, failed);
	sqlite3_bind_int64(s, 2, locked_until);
	sqlite3_bind_int64(s, 3, id);
	return step_done(st, s, err, "recording the sign-in");
}

/* ---- sessions and tokens ----------------------------------------------- */

int store_session_insert(struct store *st, const char *token_hash, int64_t user_id,
			 const char *csrf, int64_t created, int64_t expires, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_SESSION_INSERT,
				     "INSERT INTO session(token_hash, user_id, csrf, created_at, "
				     "expires_at) VALUES(?, ?, ?, ?, ?)",
				     err);
	if (!s)
		return -1;
	bind_text(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, user_id);
	bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, created);
	sqlite3_bind_int64(s, 5, expires);
	return step_done(st, s, err, "opening the session");
}

int store_session_get(struct store *st, const char *token_hash, int64_t now, int64_t *user_id,
		      char **csrf, struct arena *ar, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_SESSION_GET,
				     "SELECT user_id, csrf FROM session WHERE token_hash = ? AND "
				     "expires_at > ?",
				     err);
	if (!s)
		return -1;
	bind_text(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, now);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(s, 0);
		*csrf = (char *)col_text(s, 1, ar);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the session");
	return not_found(err, "session");
}

int store_session_delete(struct store *st, const char *token_hash, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_SESSION_DELETE,
				     "DELETE FROM session WHERE token_hash = ?", err);
	if (!s)
		return -1;
	bind_text(s, 1, token_hash);
	return step_done(st, s, err, "closing the session");
}

int store_session_delete_user(struct store *st, int64_t user_id, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_SESSION_DELETE_USER,
				     "DELETE FROM session WHERE user_id = ?", err);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	return step_done(st, s, err, "closing the user's sessions");
}

int store_token_insert(struct store *st, int64_t user_id, const char *name,
		       const char *token_hash, int64_t *id, struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_TOKEN_INSERT,
				     "INSERT INTO api_token(user_id, name, token_hash, created_at) "
				     "VALUES(?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
				     err);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, user_id);
	bind_text(s, 2, name);
	bind_text(s, 3, token_hash);
	if (step_done(st, s, err, "creating the token") != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_token_user(struct store *st, const char *token_hash, int64_t *user_id,
		     struct error *err)
{
	sqlite3_stmt *s = store_stmt(st, S_TOKEN_USER,
				     "SELECT user_id FROM api_token WHERE token_hash = ? AND "
				     "revoked = 0",
				     err);
	if (!s)
		return -1;
	bind_text(s, 1, token_hash);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "reading the token");
	return not_found(err, "token");
}
