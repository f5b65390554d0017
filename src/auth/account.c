#include "auth/account.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "lib/clock.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"

static int require_admin(const struct actor *who, struct error *err)
{
	if (who && who->role != ROLE_ADMIN)
		return error_set(err, ERR_FORBIDDEN, "only an administrator may do this");
	return 0;
}

static int valid_username(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

int agency_add(struct store *st, const struct refdata *ref, const struct actor *who,
	       struct agency_rec *a, struct error *err)
{
	if (require_admin(who, err) != 0)
		return -1;
	if (!a->name || !*a->name || strlen(a->name) > 200)
		error_field(err, "name", "is required (at most 200 characters)");
	const struct country *c = ref ? refdata_country(ref, a->country) : NULL;
	if (!c)
		error_field(err, "country", "must be an ISO 3166 country code such as KH");
	else
		a->country = c->iso2;
	const char *kind = ref ? refdata_vocab_code(ref, "agency_kind", a->kind) : NULL;
	if (!kind)
		error_field(err, "kind", "must be one of the agency kinds (customs, police, "
					 "forestry, …; see /api/v1/reference/vocab)");
	else
		a->kind = kind;
	if (error_is_set(err))
		return -1;
	if (store_begin(st, err) != 0)
		return -1;
	char *detail = NULL;
	if (store_agency_insert(st, a, err) != 0)
		goto fail;
	json_t *j = json_pack("{s:s, s:s, s:s}", "name", a->name, "country", a->country, "kind",
			      a->kind);
	detail = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (audit_append(st, who, "create", "agency", a->id, detail, err) != 0 ||
	    store_commit(st, err) != 0)
		goto fail;
	free(detail);
	return 0;
fail:
	free(detail);
	store_rollback(st);
	return -1;
}

void actor_from_user(struct actor *a, const struct user_rec *u)
{
	a->user_id = u->id;
	a->agency_id = u->agency_id;
	a->role = u->role;
	a->username = u->username;
}

static int check_lang(const char *lang, struct error *err)
{
	if (lang && strcmp(lang, "en") != 0 && strcmp(lang, "km") != 0)
		return error_field(err, "lang", "must be \"en\" or \"km\"");
	return 0;
}

int user_add(struct store *st, const struct actor *who, const struct user_input *in,
	     int64_t *id, struct error *err)
{
	if (require_admin(who, err) != 0)
		return -1;
	struct user_rec u = { 0 };
	if (!valid_username(in->username))
		error_field(err, "username",
			    "must be 2 to 64 letters, digits, dots, dashes or underscores");
	password_check_policy(in->password, "password", err);
	if (!in->role || role_parse(in->role, &u.role) != 0)
		error_field(err, "role", "must be one of admin, analyst, officer, viewer");
	check_lang(in->lang, err);
	struct arena ar;
	arena_init(&ar);
	struct agency_rec ag;
	struct error e2 = ERROR_INIT;
	if (store_agency_by_id(st, in->agency_id, &ag, &ar, &e2) != 0)
		error_field(err, "agency_id", "must be the id of an existing agency");
	error_clear(&e2);
	arena_free(&ar);
	if (error_is_set(err))
		return -1;
	u.username = in->username;
	u.display_name = in->display_name && *in->display_name ? in->display_name : in->username;
	u.agency_id = in->agency_id;
	u.lang = in->lang ? in->lang : "en";
	char *hash = password_hash(in->password);
	u.password_hash = hash;
	int rc = -1;
	if (store_begin(st, err) != 0)
		goto out;
	if (store_user_insert(st, &u, err) != 0)
		goto fail;
	char detail[256];
	snprintf(detail, sizeof detail, "{\"role\":\"%s\",\"agency_id\":%lld}", role_name(u.role),
		 (long long)u.agency_id);
	if (audit_append(st, who, "create", "user", u.id, detail, err) != 0 ||
	    store_commit(st, err) != 0)
		goto fail;
	*id = u.id;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	free(hash);
	return rc;
}

int user_change(struct store *st, const struct actor *who, int64_t id,
		const struct user_input *in, struct error *err)
{
	int self = who && who->user_id == id;
	int admin_only = in->role || in->agency_id || in->disabled >= 0 || in->display_name;
	if ((!self || admin_only) && require_admin(who, err) != 0)
		return -1;
	struct arena ar;
	arena_init(&ar);
	struct user_rec u;
	int rc = -1;
	char *hash = NULL;
	if (store_user_by_id(st, id, &u, &ar, err) != 0)
		goto out;
	if (in->role && role_parse(in->role, &u.role) != 0)
		error_field(err, "role", "must be one of admin, analyst, officer, viewer");
	if (in->password)
		password_check_policy(in->password, "password", err);
	check_lang(in->lang, err);
	if (in->agency_id) {
		struct agency_rec ag;
		struct error e2 = ERROR_INIT;
		if (store_agency_by_id(st, in->agency_id, &ag, &ar, &e2) != 0)
			error_field(err, "agency_id", "must be the id of an existing agency");
		error_clear(&e2);
		u.agency_id = in->agency_id;
	}
	if (self && in->disabled == 1)
		error_field(err, "disabled", "you cannot disable your own account");
	if (error_is_set(err))
		goto out;
	if (in->display_name)
		u.display_name = in->display_name;
	if (in->lang)
		u.lang = in->lang;
	if (in->disabled >= 0)
		u.disabled = in->disabled;
	if (in->password)
		hash = password_hash(in->password);
	if (store_begin(st, err) != 0)
		goto out;
	if (store_user_update(st, &u, err) != 0 ||
	    (hash && store_user_set_password(st, id, hash, err) != 0) ||
	    ((hash || u.disabled) && store_session_delete_user(st, id, err) != 0) ||
	    auth_generation_bump(st, err) != 0)
		goto fail;
	char detail[256];
	snprintf(detail, sizeof detail,
		 "{\"role\":\"%s\",\"agency_id\":%lld,\"disabled\":%s,\"password_changed\":%s}",
		 role_name(u.role), (long long)u.agency_id, u.disabled ? "true" : "false",
		 hash ? "true" : "false");
	if (audit_append(st, who, "update", "user", id, detail, err) != 0 ||
	    store_commit(st, err) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	free(hash);
	arena_free(&ar);
	return rc;
}

int auth_sign_in(struct store *st, const char *username, const char *password,
		 struct user_rec *u, struct arena *ar, struct error *err)
{
	struct error e2 = ERROR_INIT;
	if (!username || !password || store_user_by_name(st, username, u, ar, &e2) != 0) {
		int db = e2.code == ERR_DB;
		error_clear(&e2);
		if (db)
			return error_set(err, ERR_DB, "the database is not available");
		/* spend the same time as a real check */
		password_verify("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
				password ? password : "");
		return error_set(err, ERR_UNAUTHORIZED, "wrong user name or password");
	}
	int64_t now = clock_unix();
	if (u->locked_until > now)
		return error_set(err, ERR_LOCKED,
				 "this account is locked after repeated failed sign-ins; try again "
				 "in %lld minutes or ask an administrator",
				 (long long)((u->locked_until - now + 59) / 60));
	if (!password_verify(u->password_hash, password)) {
		int failed = u->failed_logins + 1;
		int64_t until = failed >= LOCK_AFTER ? now + LOCK_SECONDS : 0;
		struct actor a;
		actor_from_user(&a, u);
		if (store_begin(st, &e2) == 0) {
			if (store_user_set_login_state(st, u->id, until ? 0 : failed, until, &e2) ==
				    0 &&
			    audit_append(st, &a, until ? "lock" : "sign_in_failed", "user", u->id,
					 NULL, &e2) == 0)
				store_commit(st, &e2);
			else
				store_rollback(st);
		}
		error_clear(&e2);
		if (until)
			return error_set(err, ERR_LOCKED,
					 "too many failed sign-ins: this account is locked for %d "
					 "minutes",
					 LOCK_SECONDS / 60);
		return error_set(err, ERR_UNAUTHORIZED, "wrong user name or password");
	}
	if (u->disabled) /* said only to whoever knows the password */
		return error_set(err, ERR_UNAUTHORIZED, "this account is disabled");
	if (u->failed_logins || u->locked_until) {
		if (store_user_set_login_state(st, u->id, 0, 0, err) != 0)
			return -1;
	}
	return 0;
}

int session_open(struct store *st, int64_t user_id, char *token, char *csrf, struct error *err)
{
	char hash[65];
	token_generate("", token, 80);
	token_generate("", csrf, 80);
	token_hash(token, hash);
	int64_t now = clock_unix();
	if (store_begin(st, err) != 0)
		return -1;
	struct actor a = { .user_id = user_id };
	if (store_session_insert(st, hash, user_id, csrf, now, now + SESSION_SECONDS, err) != 0 ||
	    audit_append(st, &a, "sign_in", "user", user_id, NULL, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int session_resolve(struct store *st, const char *token, struct user_rec *u, char **csrf,
		    struct arena *ar, struct error *err)
{
	char hash[65];
	token_hash(token, hash);
	int64_t uid;
	if (store_session_get(st, hash, clock_unix(), &uid, csrf, ar, err) != 0)
		goto unauthorized;
	if (store_user_by_id(st, uid, u, ar, err) != 0 || u->disabled)
		goto unauthorized;
	return 0;
unauthorized:
	if (err->code == ERR_DB)
		return -1;
	return error_set(err, ERR_UNAUTHORIZED, "not signed in (or the session has expired)");
}

int session_close(struct store *st, const char *token, struct error *err)
{
	char hash[65];
	token_hash(token, hash);
	if (store_begin(st, err) != 0)
		return -1;
	if (store_session_delete(st, hash, err) != 0 || auth_generation_bump(st, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int api_token_create(struct store *st, const struct actor *who, const char *name, char *buf,
		     int64_t *id, struct error *err)
{
	if (!name || !*name || strlen(name) > 100)
		return error_field(err, "name", "is required (at most 100 characters)");
	char hash[65];
	token_generate("kp_", buf, 80);
	token_hash(buf, hash);
	if (store_begin(st, err) != 0)
		return -1;
	if (store_token_insert(st, who->user_id, name, hash, id, err) != 0 ||
	    audit_append(st, who, "create", "api_token", *id, NULL, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int api_token_resolve(struct store *st, const char *token, struct user_rec *u,
		      struct arena *ar, struct error *err)
{
	char hash[65];
	token_hash(token, hash);
	int64_t uid;
	if (store_token_user(st, hash, &uid, err) != 0 || store_user_by_id(st, uid, u, ar, err) != 0 ||
	    u->disabled) {
		if (err->code == ERR_DB)
			return -1;
		error_clear(err);
		return error_set(err, ERR_UNAUTHORIZED, "the API token is not valid");
	}
	return 0;
}

/* ---- the account generation and cached resolution ------------------------ */

static const char AUTH_GENERATION_KEY[] = "auth_generation";

int auth_generation(struct store *st, int64_t *gen, struct error *err)
{
	char *v = NULL;
	*gen = 0;
	if (store_setting_get(st, AUTH_GENERATION_KEY, &v, err) != 0) {
		if (err->code != ERR_NOT_FOUND)
			return -1;
		error_clear(err);
		return 0;
	}
	*gen = strtoll(v, NULL, 10);
	free(v);
	return 0;
}

int auth_generation_bump(struct store *st, struct error *err)
{
	int64_t gen;
	if (auth_generation(st, &gen, err) != 0)
		return -1;
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)gen + 1);
	return store_setting_set(st, AUTH_GENERATION_KEY, buf, err);
}

static void entry_from_user(struct auth_entry *e, const struct user_rec *u)
{
	e->user_id = u->id;
	e->agency_id = u->agency_id;
	e->role = u->role;
	snprintf(e->username, sizeof e->username, "%s", u->username ? u->username : "");
}

/* The store's answer for a session; *cacheable = 0 when the session ends
 * within the horizon (then it is not cached: its expiry is not known). */
static int resolve_session(struct store *st, const char *hash, int64_t now,
			   struct auth_entry *out, int *cacheable, struct arena *ar,
			   struct error *err)
{
	int64_t uid = 0;
	char *csrf = NULL;
	struct user_rec u = { 0 };
	*cacheable = 1;
	out->expires = now + AUTH_CACHE_HORIZON;
	if (store_session_get(st, hash, out->expires, &uid, &csrf, ar, err) != 0) {
		if (err->code != ERR_NOT_FOUND)
			return -1;
		error_clear(err);
		*cacheable = 0;
		out->expires = 0;
		if (store_session_get(st, hash, now, &uid, &csrf, ar, err) != 0)
			goto unauthorized;
	}
	if (store_user_by_id(st, uid, &u, ar, err) != 0 || u.disabled)
		goto unauthorized;
	entry_from_user(out, &u);
	snprintf(out->csrf, sizeof out->csrf, "%s", csrf ? csrf : "");
	if (strlen(csrf ? csrf : "") >= sizeof out->csrf)
		*cacheable = 0;
	return 0;
unauthorized:
	if (err->code == ERR_DB)
		return -1;
	error_clear(err);
	return error_set(err, ERR_UNAUTHORIZED, "not signed in (or the session has expired)");
}

int auth_resolve(struct store *st, struct auth_cache *cache, enum auth_kind kind,
		 const char *secret, struct auth_entry *out, struct error *err)
{
	char hash[65], key[67];
	int64_t gen = 0, now = clock_unix();
	memset(out, 0, sizeof *out);
	token_hash(secret ? secret : "", hash);
	/* the kind is part of the key: a token is not a session cookie */
	snprintf(key, sizeof key, "%c:%s", kind == AUTH_SESSION ? 's' : 't', hash);
	/* the generation is read before the lookup it guards */
	if (cache) {
		if (auth_generation(st, &gen, err) != 0)
			return -1;
		if (auth_cache_get(cache, key, gen, now, out))
			return 0;
	}
	struct arena ar;
	arena_init(&ar);
	int cacheable = 1, rc;
	if (kind == AUTH_SESSION) {
		rc = resolve_session(st, hash, now, out, &cacheable, &ar, err);
	} else {
		struct user_rec u = { 0 };
		rc = api_token_resolve(st, secret ? secret : "", &u, &ar, err);
		if (rc == 0)
			entry_from_user(out, &u);
	}
	if (rc == 0 && cache && cacheable)
		auth_cache_put(cache, key, gen, out);
	arena_free(&ar);
	return rc;
}
