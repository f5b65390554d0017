/* Routing, authentication and CSRF checks for every API request. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "auth/account.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"
#include "store/pool.h"
#include "store/store.h"

enum route_flags {
	PUBLIC = 1,       /* no sign-in needed */
};

struct route {
	const char *method;
	const char *pattern;      /* "{id}" matches a positive integer */
	api_handler_fn fn;
	unsigned flags;
};

static const struct route routes[] = {
	{ "GET", "/healthz", api_health, PUBLIC },
	{ "GET", "/api/v1/openapi.json", api_openapi, PUBLIC },
	{ "POST", "/api/v1/session", api_session_create, PUBLIC },
	{ "GET", "/api/v1/session", api_session_get, 0 },
	{ "DELETE", "/api/v1/session", api_session_delete, 0 },
	{ "POST", "/api/v1/tokens", api_tokens_create, 0 },
	{ "GET", "/api/v1/seizures", api_seizures_list, 0 },
	{ "POST", "/api/v1/seizures", api_seizures_create, 0 },
	{ "GET", "/api/v1/seizures/{id}", api_seizures_get, 0 },
	{ "PATCH", "/api/v1/seizures/{id}", api_seizures_update, 0 },
	{ "DELETE", "/api/v1/seizures/{id}", api_seizures_delete, 0 },
	{ "GET", "/api/v1/seizures/{id}/history", api_seizures_history, 0 },
	{ "GET", "/api/v1/species", api_species_search, 0 },
	{ "POST", "/api/v1/species", api_species_create, 0 },
	{ "GET", "/api/v1/reference/terms", api_reference_terms, 0 },
	{ "GET", "/api/v1/reference/units", api_reference_units, 0 },
	{ "GET", "/api/v1/reference/countries", api_reference_countries, 0 },
	{ "GET", "/api/v1/reference/locations", api_reference_locations, 0 },
	{ "GET", "/api/v1/reference/agencies", api_reference_agencies, 0 },
	{ "GET", "/api/v1/reference/vocab", api_reference_vocab, 0 },
	{ "GET", "/api/v1/reference/map", api_reference_map, 0 },
	{ "POST", "/api/v1/imports", api_imports_create, 0 },
	{ "GET", "/api/v1/exports/seizures", api_exports_seizures, 0 },
	{ "GET", "/api/v1/reports/aitr", api_reports_aitr, 0 },
	{ "GET", "/api/v1/reports/brief", api_reports_brief, 0 },
	{ "GET", "/api/v1/users", api_users_list, 0 },
	{ "POST", "/api/v1/users", api_users_create, 0 },
	{ "PATCH", "/api/v1/users/{id}", api_users_update, 0 },
	{ "POST", "/api/v1/agencies", api_agencies_create, 0 },
	{ "GET", "/api/v1/analytics/summary", api_analytics_summary, 0 },
	{ "GET", "/api/v1/analytics/breakdown", api_analytics_breakdown, 0 },
	{ "GET", "/api/v1/analytics/timeseries", api_analytics_timeseries, 0 },
	{ "GET", "/api/v1/analytics/routes", api_analytics_routes, 0 },
	{ "GET", "/api/v1/analytics/indices", api_analytics_indices, 0 },
	{ "GET", "/api/v1/analytics/map", api_analytics_map, 0 },
	{ "GET", "/api/v1/analytics/conversions", api_analytics_conversions_list, 0 },
	{ "POST", "/api/v1/analytics/conversions", api_analytics_conversions_create, 0 },
	{ "PUT", "/api/v1/analytics/conversions/{id}", api_analytics_conversions_update, 0 },
	{ "DELETE", "/api/v1/analytics/conversions/{id}", api_analytics_conversions_delete, 0 },
	{ "GET", "/api/v1/analytics/rates", api_analytics_rates_list, 0 },
	{ "POST", "/api/v1/analytics/rates", api_analytics_rates_create, 0 },
	{ "PUT", "/api/v1/analytics/rates/{id}", api_analytics_rates_update, 0 },
	{ "DELETE", "/api/v1/analytics/rates/{id}", api_analytics_rates_delete, 0 },
	{ "GET", "/api/v1/search", api_search, 0 },
	{ "GET", "/api/v1/parties", api_parties_list, 0 },
	{ "POST", "/api/v1/parties", api_parties_create, 0 },
	{ "GET", "/api/v1/parties/{id}", api_parties_get, 0 },
	{ "PATCH", "/api/v1/parties/{id}", api_parties_update, 0 },
	{ "DELETE", "/api/v1/parties/{id}", api_parties_delete, 0 },
	{ "POST", "/api/v1/parties/{id}/identifiers", api_parties_add_identifier, 0 },
	{ "DELETE", "/api/v1/parties/{id}/identifiers", api_parties_remove_identifier, 0 },
	{ "DELETE", "/api/v1/parties/{id}/seizures", api_parties_remove_seizure, 0 },
	{ "POST", "/api/v1/parties/{id}/relations", api_parties_add_relation, 0 },
	{ "DELETE", "/api/v1/parties/{id}/relations", api_parties_remove_relation, 0 },
	{ "GET", "/api/v1/seizures/{id}/parties", api_seizure_parties_list, 0 },
	{ "POST", "/api/v1/seizures/{id}/parties", api_seizure_parties_add, 0 },
	{ "POST", "/api/v1/seizures/{id}/identifiers", api_seizure_identifiers_add, 0 },
	{ "GET", "/api/v1/identifiers/{id}", api_identifiers_get, 0 },
	{ "GET", "/api/v1/graph/neighbourhood", api_graph_neighbourhood, 0 },
	{ "GET", "/api/v1/graph/paths", api_graph_paths, 0 },
	{ "GET", "/api/v1/graph/networks", api_graph_networks, 0 },
	{ "GET", "/api/v1/graph/central", api_graph_central, 0 },
	{ "POST", "/api/v1/graph/connect", api_graph_connect, 0 },
	{ "GET", "/api/v1/graph/charts", api_graph_charts_list, 0 },
	{ "POST", "/api/v1/graph/charts", api_graph_charts_create, 0 },
	{ "GET", "/api/v1/graph/charts/{id}", api_graph_charts_get, 0 },
	{ "PUT", "/api/v1/graph/charts/{id}", api_graph_charts_update, 0 },
	{ "DELETE", "/api/v1/graph/charts/{id}", api_graph_charts_delete, 0 },
	{ "GET", "/api/v1/graph/charts/{id}/export", api_graph_charts_export, 0 },
	{ "GET", "/api/v1/duplicates", api_duplicates_list, 0 },
	{ "POST", "/api/v1/duplicates/{id}/merge", api_duplicates_merge, 0 },
	{ "POST", "/api/v1/duplicates/{id}/not-same", api_duplicates_not_same, 0 },
	{ "POST", "/api/v1/parties/{id}/merge", api_parties_merge, 0 },
	{ "GET", "/api/v1/parties/{id}/merges", api_parties_merges, 0 },
	{ "POST", "/api/v1/merges/{id}/undo", api_merges_undo, 0 },
	{ "GET", "/api/v1/settings/resolution", api_settings_resolution_get, 0 },
	{ "PUT", "/api/v1/settings/resolution", api_settings_resolution_put, 0 },
};

/* 1 when path matches pattern; *id set from "{id}". */
static int match(const char *pattern, const char *path, int64_t *id)
{
	while (*pattern && *path) {
		if (strncmp(pattern, "{id}", 4) == 0) {
			char *end;
			if (*path < '1' || *path > '9')
				return 0;
			long long v = strtoll(path, &end, 10);
			if (v <= 0 || end - path > 18)
				return 0;
			*id = v;
			path = end;
			pattern += 4;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return *pattern == '\0' && (*path == '\0' || (path[0] == '/' && path[1] == '\0'));
}

static int authenticate(struct api_ctx *c)
{
	struct auth_entry e;
	const char *auth = http_header(c->req, "Authorization");
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		if (auth_resolve(c->st, c->app->auth, AUTH_API_TOKEN, auth + 7, &e, &c->err) != 0)
			return -1;
	} else {
		const char *tok = http_cookie(c->req, "kouprey_session");
		if (!tok)
			return error_set(&c->err, ERR_UNAUTHORIZED,
					 "sign in first (POST /api/v1/session) or send an API token");
		if (auth_resolve(c->st, c->app->auth, AUTH_SESSION, tok, &e, &c->err) != 0)
			return -1;
		c->csrf = arena_strdup(c->req->arena, e.csrf);
		c->session_token = tok;
		if (strcmp(c->req->method, "GET") != 0 && strcmp(c->req->method, "HEAD") != 0) {
			const char *sent = http_header(c->req, "X-CSRF-Token");
			if (!sent || strcmp(sent, e.csrf) != 0) {
				error_set(&c->err, ERR_FORBIDDEN,
					  "missing or wrong X-CSRF-Token header (it comes with the "
					  "session)");
				return -2;
			}
		}
	}
	c->who = (struct actor){ .user_id = e.user_id, .agency_id = e.agency_id, .role = e.role,
				 .username = arena_strdup(c->req->arena, e.username) };
	c->signed_in = 1;
	return 0;
}

static void render_csrf_error(struct http_response *res)
{
	const char *b = "{\"error\":{\"code\":\"csrf_failed\",\"message\":\"missing or wrong "
			"X-CSRF-Token header (it comes with the session)\",\"fields\":[]}}";
	http_set_body(res, 403, "application/json; charset=utf-8", xstrdup(b), strlen(b));
}

void app_replace_ref(struct app *app, struct refdata *ref)
{
	struct refdata *old = atomic_exchange(&app->ref, ref);
	pthread_mutex_lock(&app->retired_lock);
	app->retired = xreallocarray(app->retired, app->nretired + 1, sizeof(struct refdata *));
	app->retired[app->nretired++] = old;
	pthread_mutex_unlock(&app->retired_lock);
}

void app_free_retired(struct app *app)
{
	pthread_mutex_lock(&app->retired_lock);
	for (size_t i = 0; i < app->nretired; i++)
		refdata_free(app->retired[i]);
	free(app->retired);
	app->retired = NULL;
	app->nretired = 0;
	pthread_mutex_unlock(&app->retired_lock);
}

void app_handle(void *appv, struct http_request *req, struct http_response *res)
{
	struct app *app = appv;
	if (strncmp(req->path, "/api/", 5) != 0 && strcmp(req->path, "/healthz") != 0) {
		api_static(app, req, res);
		return;
	}
	const struct route *r = NULL;
	int path_known = 0;
	int64_t id = 0;
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		int64_t rid = 0;
		if (match(routes[i].pattern, req->path, &rid)) {
			path_known = 1;
			if (strcmp(routes[i].method, req->method) == 0) {
				r = &routes[i];
				id = rid;
				break;
			}
		}
	}
	struct api_ctx c = { .app = app, .req = req, .res = res, .id = id, .err = ERROR_INIT,
			     .ref = atomic_load(&app->ref) };
	if (!r) {
		error_set(&c.err, path_known ? ERR_BAD_REQUEST : ERR_NOT_FOUND,
			  path_known ? "method %s is not allowed here" : "no such resource: %s",
			  path_known ? req->method : req->path);
		api_error(res, &c.err);
		if (path_known)
			res->status = 405;
		error_clear(&c.err);
		return;
	}
	c.st = store_pool_acquire(app->pool);
	int rc = 0;
	int reading = strcmp(req->method, "GET") == 0;
	/* a GET reads in one snapshot, which may be the one the connection's
	 * last GET kept (store.h: store_read_keep); a change starts fresh */
	if (!reading)
		store_read_end(c.st);
	else if (store_read_begin(c.st, &c.err) != 0)
		rc = -1;
	if (rc == 0 && !(r->flags & PUBLIC))
		rc = authenticate(&c);
	int64_t party_gen = -1;
	if (rc == 0 && !reading) {
		struct error e = ERROR_INIT;
		if (store_party_generation(c.st, &party_gen, &e) != 0)
			party_gen = -1;
		error_clear(&e);
	}
	if (rc == -2)
		render_csrf_error(res);
	else if (rc == 0 && r->fn(&c) == 0) {
		/* the handler responded; new or changed parties are compared */
		if (!reading)
			api_duplicates_after_write(&c, party_gen);
	} else {
		api_error(res, &c.err);
		rc = -1;
	}
	if (reading && rc == 0)
		store_read_keep(c.st);
	else if (reading)
		store_read_end(c.st);
	store_pool_release(app->pool, c.st);
	error_clear(&c.err);
	http_set_header(res, "Cache-Control", "no-store");
}
