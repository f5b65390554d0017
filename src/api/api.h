/*
 * api.h - shared by the resource handlers under src/api/ (one file per
 * resource): the per-request context, routing flags and response helpers.
 *
 * A handler parses the request, calls the domain, and renders JSON; it never
 * decides who may see what (the domain does) and never touches SQL.  On
 * failure it fills c->err and returns -1; the router renders the error.
 */
#ifndef KOUPREY_API_H
#define KOUPREY_API_H

#include <jansson.h>
#include <stdint.h>

#include "api/app.h"
#include "auth/actor.h"
#include "http/server.h"
#include "lib/error.h"

struct store;

struct api_ctx {
	struct app *app;
	struct http_request *req;
	struct http_response *res;
	struct store *st;         /* a pooled connection, for this request */
	const struct refdata *ref; /* the reference data, for this request */
	struct actor who;         /* valid when signed in */
	int signed_in;
	const char *csrf;         /* the session's CSRF token (cookie sessions) */
	const char *session_token;
	int64_t id;               /* {id} from the path */
	struct error err;
};

typedef int (*api_handler_fn)(struct api_ctx *c);

/* Sends j (taken) with the status. */
void api_json(struct api_ctx *c, int status, json_t *j);
/* Sends bytes (taken, malloc'd) as a download. */
void api_download(struct api_ctx *c, const char *content_type, const char *filename, char *body,
		  size_t len);
/* Renders an error as {"error": {...}} with its HTTP status. */
void api_error(struct http_response *res, const struct error *err);
/* Parses the body as a JSON object; -1 with a bad_request error otherwise. */
json_t *api_body_json(struct api_ctx *c);
/* The acting user must have at least this role. */
int api_require_role(struct api_ctx *c, enum role min);
/* Query parameters, or keys of body, other than allowed[] (NULL-ended)
 * become field errors in c->err ("is not a parameter here" / "is not a
 * field here"); -1 when there were any. */
int api_only_params(struct api_ctx *c, const char *const *allowed);
int api_only_keys(struct api_ctx *c, json_t *body, const char *const *allowed);

/* Handlers, by resource. */
int api_session_create(struct api_ctx *c);
int api_session_get(struct api_ctx *c);
int api_session_delete(struct api_ctx *c);
int api_tokens_create(struct api_ctx *c);
int api_seizures_list(struct api_ctx *c);
int api_seizures_get(struct api_ctx *c);
int api_seizures_history(struct api_ctx *c);
int api_seizures_create(struct api_ctx *c);
int api_seizures_update(struct api_ctx *c);
int api_seizures_delete(struct api_ctx *c);
int api_species_search(struct api_ctx *c);
int api_species_create(struct api_ctx *c);
int api_reference_terms(struct api_ctx *c);
int api_reference_units(struct api_ctx *c);
int api_reference_countries(struct api_ctx *c);
int api_reference_locations(struct api_ctx *c);
int api_reference_agencies(struct api_ctx *c);
int api_reference_vocab(struct api_ctx *c);
int api_reference_map(struct api_ctx *c);      /* maps.c: country outlines */
int api_imports_create(struct api_ctx *c);
int api_exports_seizures(struct api_ctx *c);
int api_reports_aitr(struct api_ctx *c);
int api_reports_brief(struct api_ctx *c);      /* reports_brief.c: the PDF brief */
int api_users_list(struct api_ctx *c);
int api_users_create(struct api_ctx *c);
int api_users_update(struct api_ctx *c);
int api_agencies_create(struct api_ctx *c);
int api_analytics_summary(struct api_ctx *c);
int api_analytics_breakdown(struct api_ctx *c);
int api_analytics_timeseries(struct api_ctx *c);
int api_analytics_routes(struct api_ctx *c);
int api_analytics_indices(struct api_ctx *c);
int api_analytics_map(struct api_ctx *c);
int api_analytics_conversions_list(struct api_ctx *c);
int api_analytics_conversions_create(struct api_ctx *c);
int api_analytics_conversions_update(struct api_ctx *c);
int api_analytics_conversions_delete(struct api_ctx *c);
int api_analytics_rates_list(struct api_ctx *c);
int api_analytics_rates_create(struct api_ctx *c);
int api_analytics_rates_update(struct api_ctx *c);
int api_analytics_rates_delete(struct api_ctx *c);
/* GET /api/v1/search (src/api/search.c) */
int api_search(struct api_ctx *c);
/* After a change to a party: the search index follows at once (a failure is
 * logged; the index also catches up at the next search). */
void api_search_follow_party(struct api_ctx *c, int64_t party_id);
int api_parties_list(struct api_ctx *c);
int api_parties_create(struct api_ctx *c);
int api_parties_get(struct api_ctx *c);
int api_parties_update(struct api_ctx *c);
int api_parties_delete(struct api_ctx *c);
int api_parties_add_identifier(struct api_ctx *c);
int api_parties_remove_identifier(struct api_ctx *c);
int api_parties_remove_seizure(struct api_ctx *c);
int api_parties_add_relation(struct api_ctx *c);
int api_parties_remove_relation(struct api_ctx *c);
int api_seizure_parties_list(struct api_ctx *c);
int api_seizure_parties_add(struct api_ctx *c);
int api_seizure_identifiers_add(struct api_ctx *c);
int api_identifiers_get(struct api_ctx *c);
/* Entity resolution (src/api/duplicates.c) */
int api_duplicates_list(struct api_ctx *c);
int api_duplicates_merge(struct api_ctx *c);
int api_duplicates_not_same(struct api_ctx *c);
int api_parties_merge(struct api_ctx *c);
int api_parties_merges(struct api_ctx *c);
int api_merges_undo(struct api_ctx *c);
int api_settings_resolution_get(struct api_ctx *c);
int api_settings_resolution_put(struct api_ctx *c);
/* After a successful write request: when it changed parties (the party
 * generation moved from party_gen_before; -1 = unknown, do nothing), their
 * duplicates are looked for at once if no backlog is waiting, and the
 * server's resolver thread is asked for a pass (failures are logged). */
void api_duplicates_after_write(struct api_ctx *c, int64_t party_gen_before);
/* Link analysis and the network view's charts (src/api/graph.c, issue 4) */
int api_graph_neighbourhood(struct api_ctx *c);
int api_graph_paths(struct api_ctx *c);
int api_graph_networks(struct api_ctx *c);
int api_graph_central(struct api_ctx *c);
int api_graph_connect(struct api_ctx *c);
int api_graph_charts_list(struct api_ctx *c);
int api_graph_charts_create(struct api_ctx *c);
int api_graph_charts_get(struct api_ctx *c);
int api_graph_charts_update(struct api_ctx *c);
int api_graph_charts_delete(struct api_ctx *c);
int api_graph_charts_export(struct api_ctx *c);
int api_openapi(struct api_ctx *c);
int api_health(struct api_ctx *c);

/* Serves a file of the web interface (GET of any path outside /api). */
void api_static(struct app *app, struct http_request *req, struct http_response *res);

#endif
