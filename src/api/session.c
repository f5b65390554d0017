/* /api/v1/session, /api/v1/tokens, /api/v1/users, /api/v1/agencies */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth/account.h"
#include "lib/clock.h"
#include "ref/refdata.h"
#include "store/store.h"

static json_t *user_json(const struct user_rec *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:s, s:b}", "id", (json_int_t)u->id,
			 "username", u->username, "display_name", u->display_name, "role",
			 role_name(u->role), "agency", "id", (json_int_t)u->agency_id, "name",
			 u->agency_name ? u->agency_name : "", "lang", u->lang ? u->lang : "en",
			 "disabled", u->disabled);
}

static const char *get_string(json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int api_session_create(struct api_ctx *c)
{
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	const char *user = get_string(body, "username"), *pass = get_string(body, "password");
	int64_t now = clock_unix();
	int64_t wait = throttle_wait(&c->app->throttle, c->req->client_ip, now);
	int rc = -1;
	if (wait > 0) {
		error_set(&c->err, ERR_LOCKED,
			  "too many failed sign-ins from this address; try again in %lld seconds",
			  (long long)wait);
		goto out;
	}
	if (!user || !pass) {
		if (!user)
			error_field(&c->err, "username", "is required");
		if (!pass)
			error_field(&c->err, "password", "is required");
		goto out;
	}
	struct user_rec u;
	if (auth_sign_in(c->st, user, pass, &u, c->req->arena, &c->err) != 0) {
		if (c->err.code == ERR_UNAUTHORIZED || c->err.code == ERR_LOCKED)
			throttle_failure(&c->app->throttle, c->req->client_ip, now);
		goto out;
	}
	throttle_success(&c->app->throttle, c->req->client_ip);
	char token[96], csrf[96];
	if (session_open(c->st, u.id, token, csrf, &c->err) != 0)
		goto out;
	http_set_header(c->res, "Set-Cookie",
			arena_sprintf(c->req->arena,
				      "kouprey_session=%s; Path=/; HttpOnly; SameSite=Strict; "
				      "Max-Age=%d%s",
				      token, SESSION_SECONDS, c->app->secure_cookies ? "; Secure" : ""));
	api_json(c, 200, json_pack("{s:o, s:s}", "user", user_json(&u), "csrf_token", csrf));
	rc = 0;
out:
	json_decref(body);
	return rc;
}

int api_session_get(struct api_ctx *c)
{
	struct user_rec u;
	if (store_user_by_id(c->st, c->who.user_id, &u, c->req->arena, &c->err) != 0)
		return -1;
	json_t *j = json_pack("{s:o}", "user", user_json(&u));
	json_object_set_new(j, "csrf_token", c->csrf ? json_string(c->csrf) : json_null());
	api_json(c, 200, j);
	return 0;
}

int api_session_delete(struct api_ctx *c)
{
	if (c->session_token && session_close(c->st, c->session_token, &c->err) != 0)
		return -1;
	http_set_header(c->res, "Set-Cookie",
			"kouprey_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}

int api_tokens_create(struct api_ctx *c)
{
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	char token[96];
	int64_t id;
	int rc = api_token_create(c->st, &c->who, get_string(body, "name"), token, &id, &c->err);
	json_decref(body);
	if (rc != 0)
		return -1;
	api_json(c, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "token", token));
	return 0;
}

int api_users_list(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ADMIN) != 0)
		return -1;
	struct user_rec *all;
	size_t n;
	if (store_user_list(c->st, &all, &n, c->req->arena, &c->err) != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, user_json(&all[i]));
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

static int read_user_input(struct api_ctx *c, json_t *body, struct user_input *in)
{
	const char *key;
	json_t *v;
	in->disabled = -1;
	json_object_foreach(body, key, v) {
		if (strcmp(key, "username") == 0 || strcmp(key, "display_name") == 0 ||
		    strcmp(key, "password") == 0 || strcmp(key, "role") == 0 ||
		    strcmp(key, "lang") == 0) {
			if (!json_is_string(v)) {
				error_field(&c->err, key, "must be a string");
				continue;
			}
			const char *s = json_string_value(v);
			if (strcmp(key, "username") == 0) in->username = s;
			else if (strcmp(key, "display_name") == 0) in->display_name = s;
			else if (strcmp(key, "password") == 0) in->password = s;
			else if (strcmp(key, "role") == 0) in->role = s;
			else in->lang = s;
		} else if (strcmp(key, "agency_id") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) <= 0)
				error_field(&c->err, key, "must be an agency id");
			else
				in->agency_id = json_integer_value(v);
		} else if (strcmp(key, "disabled") == 0) {
			if (!json_is_boolean(v))
				error_field(&c->err, key, "must be true or false");
			else
				in->disabled = json_is_true(v);
		} else if (strcmp(key, "id") != 0 && strcmp(key, "agency") != 0) {
			error_field(&c->err, key, "is not a field of a user");
		}
	}
	return error_is_set(&c->err) ? -1 : 0;
}

static int respond_user(struct api_ctx *c, int64_t id, int status)
{
	struct user_rec u;
	if (store_user_by_id(c->st, id, &u, c->req->arena, &c->err) != 0)
		return -1;
	api_json(c, status, user_json(&u));
	return 0;
}

int api_users_create(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ADMIN) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct user_input in = { 0 };
	int64_t id;
	int rc = -1;
	if (read_user_input(c, body, &in) == 0 && user_add(c->st, &c->who, &in, &id, &c->err) == 0)
		rc = respond_user(c, id, 201);
	json_decref(body);
	return rc;
}

int api_users_update(struct api_ctx *c)
{
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct user_input in = { 0 };
	int rc = -1;
	if (read_user_input(c, body, &in) == 0) {
		if (in.username)
			error_field(&c->err, "username", "cannot be changed");
		else if (user_change(c->st, &c->who, c->id, &in, &c->err) == 0)
			rc = respond_user(c, c->id, 200);
	}
	json_decref(body);
	return rc;
}

int api_agencies_create(struct api_ctx *c)
{
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct agency_rec a = { .name = get_string(body, "name"),
				.country = get_string(body, "country"),
				.kind = get_string(body, "kind") };
	int rc = -1;
	if (agency_add(c->st, c->ref, &c->who, &a, &c->err) == 0) {
		api_json(c, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)a.id, "name",
					   a.name, "country", a.country, "kind", a.kind));
		rc = 0;
	}
	json_decref(body);
	return rc;
}
