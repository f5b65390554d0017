/*
 * Entity resolution over HTTP: the duplicate review queue, merges and their
 * undo, "not the same", the merges of a party and the resolution settings
 * (party/resolve.h holds the rules; docs/openapi.json the shapes).
 *
 *   GET  /api/v1/duplicates?status=open|merged|not_same&limit=&cursor=
 *   POST /api/v1/duplicates/{id}/merge      {"survivor", "reason"}
 *   POST /api/v1/duplicates/{id}/not-same   {"reason"}
 *   POST /api/v1/parties/{id}/merge         {"other", "reason"}
 *   GET  /api/v1/parties/{id}/merges
 *   POST /api/v1/merges/{id}/undo           {"reason"}
 *   GET  /api/v1/settings/resolution, PUT (admin)
 *
 * The server also runs a detection pass after every write request
 * (api_duplicates_after_write, from the router), so new and changed
 * parties are compared at once whoever wrote them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/app.h"
#include "api/resolver.h"
#include "lib/query.h"
#include "party/json.h"
#include "party/resolve.h"
#include "store/store.h"

/* body.reason as a string (NULL when absent; a field error when not text). */
static const char *reason_of(struct api_ctx *c, json_t *body)
{
	json_t *r = json_object_get(body, "reason");
	if (r && !json_is_string(r) && !json_is_null(r)) {
		error_field(&c->err, "reason", "must be text");
		return NULL;
	}
	return json_is_string(r) ? arena_strdup(c->req->arena, json_string_value(r)) : NULL;
}

/* body.key as a positive id (0 when absent; a field error when not one). */
static int64_t id_of(struct api_ctx *c, json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		error_field(&c->err, key, "must be a party id");
		return 0;
	}
	return (int64_t)json_integer_value(v);
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *side_json(const struct resolve_side *s)
{
	json_t *j = party_to_json(&s->party, 1);
	json_object_set_new(j, "sex", str_or_null(s->party.sex));
	json_object_set_new(j, "birth_date", str_or_null(s->party.birth_date));
	json_object_set_new(j, "merged_into",
			    s->party.merged_into ? json_integer(s->party.merged_into) : json_null());
	json_t *ids = json_array();
	for (size_t i = 0; i < s->nidents; i++) {
		json_t *x = identifier_to_json(&s->idents[i].ident);
		json_object_set_new(x, "role", str_or_null(s->idents[i].link.role));
		json_array_append_new(ids, x);
	}
	json_object_set_new(j, "identifiers", ids);
	json_object_set_new(j, "seizures", json_integer((json_int_t)s->nseizures));
	return j;
}

static json_t *candidate_json(const struct resolve_item *it)
{
	const struct party_candidate *c = &it->c;
	json_t *j = json_pack("{s:I, s:f, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
			      (json_int_t)c->id, "score", c->score, "reason",
			      c->reason ? c->reason : "", "status", c->status ? c->status : "open",
			      "computed_at", str_or_null(c->computed_at), "decided_by",
			      str_or_null(c->decided_at ? (c->decided_by_name ? c->decided_by_name
									      : "system")
							: NULL),
			      "decided_at", str_or_null(c->decided_at), "note", str_or_null(c->note),
			      "merge_id", c->merge_id ? json_integer(c->merge_id) : json_null());
	json_object_set_new(j, "parties",
			    json_pack("[o, o]", side_json(&it->side[0]), side_json(&it->side[1])));
	return j;
}

static json_t *merge_json(const struct party_merge_rec *m)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < m->nrows; i++) {
		const struct party_merge_row *r = &m->rows[i];
		json_t *data = json_loads(r->data ? r->data : "{}", 0, NULL);
		json_array_append_new(
			rows, json_pack("{s:s, s:s, s:o, s:o, s:o}", "table", r->tbl, "action",
					r->action, "id", r->row_id ? json_integer(r->row_id) : json_null(),
					"duplicate_of", r->dup_of ? json_integer(r->dup_of) : json_null(),
					"data", data ? data : json_object()));
	}
	json_t *undone = json_null();
	if (m->undone_at)
		undone = json_pack("{s:s, s:s, s:o}", "at", m->undone_at, "user",
				   m->undone_by_name ? m->undone_by_name : "system", "reason",
				   str_or_null(m->undo_reason));
	return json_pack("{s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:o, s:s, s:b, s:s, s:s, s:o, s:o}",
			 "id", (json_int_t)m->id, "survivor", "id", (json_int_t)m->survivor_id,
			 "name", m->survivor_name ? m->survivor_name : "", "merged", "id",
			 (json_int_t)m->merged_id, "name", m->merged_name ? m->merged_name : "",
			 "candidate_id", m->candidate_id ? json_integer(m->candidate_id) : json_null(),
			 "reason", m->reason ? m->reason : "", "automatic", m->automatic, "user",
			 m->username ? m->username : "system", "at", m->at ? m->at : "", "undone",
			 undone, "rows", rows);
}

static int respond_merge(struct api_ctx *c, int status, int64_t merge_id)
{
	struct party_merge_rec m;
	if (resolve_merge_get(c->st, &c->who, merge_id, &m, c->req->arena, &c->err) != 0)
		return -1;
	if (status == 201)
		http_set_header(c->res, "Location",
				arena_sprintf(c->req->arena, "/api/v1/parties/%lld/merges",
					      (long long)m.survivor_id));
	api_json(c, status, merge_json(&m));
	return 0;
}

void api_duplicates_after_write(struct api_ctx *c, int64_t party_gen_before)
{
	struct error e = ERROR_INIT;
	int64_t gen;
	if (party_gen_before < 0 || store_party_generation(c->st, &gen, &e) != 0) {
		error_clear(&e);
		return;
	}
	if (gen == party_gen_before)
		return; /* this request changed no party */
	struct resolver *r = c->app->resolver;
	/* The request's own changes are checked at once when nothing older is
	 * waiting (an import's parties always go to the background). */
	int own = !r || (resolver_checked_gen(r) == party_gen_before &&
			 strncmp(c->req->path, "/api/v1/imports", 15) != 0);
	if (own) {
		struct resolve_stats stats;
		if (resolve_detect(c->st, c->ref, c->app->parties, 0, &stats, &e) != 0)
			fprintf(stderr, "kouprey: duplicate detection failed: %s\n",
				e.message ? e.message : "?");
		else if (r && !stats.pending)
			resolver_mark_checked(r, gen);
		error_clear(&e);
	}
	if (r)
		resolver_poke(r);
}

int api_duplicates_list(struct api_ctx *c)
{
	static const char *const allowed[] = { "status", "limit", "cursor", NULL };
	api_only_params(c, allowed);
	int64_t limit = 50;
	query_get_int(&c->req->query, "limit", 1, 100, 50, &limit, &c->err);
	if (c->err.nfields)
		return -1;
	if (api_require_role(c, ROLE_ANALYST) != 0)
		return -1;
	/* the detection pass writes: out of the request's read snapshot */
	store_read_end(c->st);
	struct resolve_queue q;
	int rc = resolve_queue(c->st, c->ref, c->app->parties, &c->who,
			       query_get(&c->req->query, "status"),
			       query_get(&c->req->query, "cursor"), (int)limit, &q, c->req->arena,
			       &c->err);
	struct error e = ERROR_INIT;
	if (store_read_begin(c->st, &e) != 0)
		error_clear(&e); /* the router ends what it began; nothing to keep */
	if (rc != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < q.n; i++)
		json_array_append_new(items, candidate_json(&q.items[i]));
	api_json(c, 200,
		 json_pack("{s:o, s:o, s:I, s:I}", "items", items, "next", str_or_null(q.next_cursor),
			   "total", (json_int_t)q.total, "pending", (json_int_t)q.pending));
	return 0;
}

static int respond_candidate(struct api_ctx *c, int64_t id)
{
	struct resolve_item it;
	if (resolve_candidate_get(c->st, &c->who, id, &it, c->req->arena, &c->err) != 0)
		return -1;
	api_json(c, 200, candidate_json(&it));
	return 0;
}

int api_duplicates_merge(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ANALYST) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	static const char *const keys[] = { "survivor", "reason", NULL };
	api_only_keys(c, body, keys);
	int64_t survivor = id_of(c, body, "survivor");
	if (!survivor && !c->err.nfields)
		error_field(&c->err, "survivor", "is required: the id of the party that stays");
	const char *reason = reason_of(c, body);
	json_decref(body);
	if (c->err.nfields)
		return -1;
	int64_t merge_id;
	if (resolve_merge_candidate(c->st, c->ref, &c->who, c->id, survivor, reason, &merge_id,
				    &c->err) != 0)
		return -1;
	return respond_merge(c, 201, merge_id);
}

int api_duplicates_not_same(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ANALYST) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	static const char *const keys[] = { "reason", NULL };
	api_only_keys(c, body, keys);
	const char *reason = reason_of(c, body);
	json_decref(body);
	if (c->err.nfields)
		return -1;
	if (resolve_not_same(c->st, &c->who, c->id, reason, &c->err) != 0)
		return -1;
	return respond_candidate(c, c->id);
}

int api_parties_merge(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ANALYST) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	static const char *const keys[] = { "other", "reason", NULL };
	api_only_keys(c, body, keys);
	int64_t other = id_of(c, body, "other");
	const char *reason = reason_of(c, body);
	json_decref(body);
	if (c->err.nfields)
		return -1;
	int64_t merge_id;
	if (resolve_merge(c->st, c->ref, &c->who, c->id, other, reason, &merge_id, &c->err) != 0)
		return -1;
	return respond_merge(c, 201, merge_id);
}

int api_parties_merges(struct api_ctx *c)
{
	static const char *const allowed[] = { NULL };
	if (api_only_params(c, allowed) != 0)
		return -1;
	/* the merges involving a party the actor may see (none for a party
	 * that does not exist or is not visible) */
	struct party_merge_rec *ms;
	size_t n;
	if (resolve_merges_of(c->st, &c->who, c->id, &ms, &n, c->req->arena, &c->err) != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, merge_json(&ms[i]));
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int api_merges_undo(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ANALYST) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	static const char *const keys[] = { "reason", NULL };
	api_only_keys(c, body, keys);
	const char *reason = reason_of(c, body);
	json_decref(body);
	if (c->err.nfields)
		return -1;
	if (resolve_undo(c->st, c->ref, &c->who, c->id, reason, &c->err) != 0)
		return -1;
	return respond_merge(c, 200, c->id);
}

static void respond_settings(struct api_ctx *c, const struct resolve_settings *s)
{
	json_t *kinds = json_array();
	for (size_t i = 0; i < s->nproving; i++)
		json_array_append_new(kinds, json_string(s->proving_kinds[i]));
	json_t *allowed = json_array();
	for (size_t i = 0; resolve_provable_kinds[i]; i++)
		json_array_append_new(allowed, json_string(resolve_provable_kinds[i]));
	api_json(c, 200,
		 json_pack("{s:b, s:o, s:o}", "auto_merge_by_identifier",
			   s->auto_merge_by_identifier, "proving_kinds", kinds,
			   "provable_kinds", allowed));
}

int api_settings_resolution_get(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ANALYST) != 0)
		return -1;
	struct resolve_settings s;
	if (resolve_settings_get(c->st, &s, &c->err) != 0)
		return -1;
	respond_settings(c, &s);
	return 0;
}

int api_settings_resolution_put(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ADMIN) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	static const char *const keys[] = { "auto_merge_by_identifier", "proving_kinds",
					    "provable_kinds", NULL };
	api_only_keys(c, body, keys);
	struct resolve_settings s;
	if (resolve_settings_get(c->st, &s, &c->err) != 0) {
		json_decref(body);
		return -1;
	}
	json_t *v = json_object_get(body, "auto_merge_by_identifier");
	if (v) {
		if (json_is_boolean(v))
			s.auto_merge_by_identifier = json_is_true(v);
		else
			error_field(&c->err, "auto_merge_by_identifier", "must be true or false");
	}
	v = json_object_get(body, "proving_kinds");
	if (v) {
		size_t max = sizeof s.proving_kinds / sizeof *s.proving_kinds;
		if (!json_is_array(v) || json_array_size(v) > max) {
			error_field(&c->err, "proving_kinds",
				    "must be a list of at most %zu identifier kinds", max);
		} else {
			s.nproving = 0;
			size_t i;
			json_t *k;
			json_array_foreach(v, i, k)
			{
				if (!json_is_string(k)) {
					char f[40];
					snprintf(f, sizeof f, "proving_kinds[%zu]", i);
					error_field(&c->err, f, "must be text");
					continue;
				}
				s.proving_kinds[s.nproving++] =
					arena_strdup(c->req->arena, json_string_value(k));
			}
		}
	}
	json_decref(body);
	if (c->err.nfields)
		return -1;
	if (resolve_settings_set(c->st, &c->who, &s, &c->err) != 0 ||
	    resolve_settings_get(c->st, &s, &c->err) != 0)
		return -1;
	respond_settings(c, &s);
	return 0;
}
