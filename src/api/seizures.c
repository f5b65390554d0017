/* /api/v1/seizures */
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "api/api.h"
#include "index/seizure_index.h"
#include "audit/viewlog.h"
#include "seizure/filter.h"
#include "seizure/json.h"
#include "store/store.h"

/* The page from the in-memory index, the records from the store. */
static int api_list_from_index(struct api_ctx *c, const struct seizure_filter *f,
			       struct seizure_list *list)
{
	if (seizure_index_sync(c->app->index, c->st, &c->err) != 0)
		return -1;
	int limit = f->limit > 0 ? f->limit : 50;
	int64_t *ids = arena_alloc(c->req->arena, (size_t)limit * sizeof *ids);
	size_t n;
	if (seizure_index_query(c->app->index, c->ref, &c->who, f, ids, &n, &list->has_more,
				&list->total, &c->err) != 0)
		return -1;
	list->items = arena_alloc(c->req->arena, (n ? n : 1) * sizeof *list->items);
	if (store_seizure_get_many(c->st, ids, n, list->items, &list->n, c->req->arena, &c->err) != 0)
		return -1;
	list->next_cursor = list->has_more && list->n
				    ? seizure_cursor_encode(c->req->arena, &list->items[list->n - 1])
				    : NULL;
	return 0;
}

/* After a change: the index follows (a failure there is logged, the change stands). */
static void index_follow(struct api_ctx *c, int64_t id)
{
	if (!c->app->index)
		return;
	struct error e = ERROR_INIT;
	if (seizure_index_refresh(c->app->index, c->st, id, &e) != 0)
		fprintf(stderr, "kouprey: updating the list index failed: %s\n",
			e.message ? e.message : "?");
	error_clear(&e);
}

int api_seizures_list(struct api_ctx *c)
{
	struct seizure_filter f;
	if (seizure_filter_parse(c->ref, &c->req->query, NULL, &f, c->req->arena, &c->err) != 0)
		return -1;
	f.want_total = 1;
	struct seizure_list list;
	if (api_list_from_index(c, &f, &list) != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, seizure_to_json(&list.items[i], c->ref, 1));
	json_t *j = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)list.total);
	json_object_set_new(j, "next", list.next_cursor ? json_string(list.next_cursor) : json_null());
	api_json(c, 200, j);
	return 0;
}

int api_seizures_get(struct api_ctx *c)
{
	struct seizure s;
	if (seizure_get(c->st, c->app->views, &c->who, c->id, &s, c->req->arena, &c->err) != 0)
		return -1;
	api_json(c, 200, seizure_to_json(&s, c->ref, 0));
	return 0;
}

struct history_ctx {
	json_t *items;
};

static int history_row(void *ctx, const struct audit_rec *r)
{
	struct history_ctx *h = ctx;
	json_t *detail = r->detail ? json_loads(r->detail, 0, NULL) : NULL;
	json_array_append_new(h->items,
			      json_pack("{s:I, s:s, s:s?, s:s, s:o}", "id", (json_int_t)r->id, "at",
					r->at ? r->at : "", "user", r->username, "action",
					r->action ? r->action : "", "detail",
					detail ? detail : json_object()));
	return 0;
}

int api_seizures_history(struct api_ctx *c)
{
	if (seizure_check_visible(c->st, &c->who, c->id, &c->err) != 0)
		return -1;
	/* views are audited in batches: write the queued ones so the history is complete */
	if (c->app->views && viewlog_flush(c->app->views, &c->err) != 0)
		return -1;
	store_read_end(c->st); /* a new snapshot, with the views just written */
	if (store_read_begin(c->st, &c->err) != 0)
		return -1;
	struct history_ctx h = { json_array() };
	if (store_audit_each(c->st, "seizure", c->id, history_row, &h, &c->err) != 0) {
		json_decref(h.items);
		return -1;
	}
	api_json(c, 200, json_pack("{s:o}", "items", h.items));
	return 0;
}

/* Resolves an agency given by name in the body to its id. */
static int resolve_agency(struct api_ctx *c, struct seizure *s)
{
	if (s->agency && !s->agency_id) {
		struct agency_rec a;
		struct error e = ERROR_INIT;
		if (store_agency_by_name(c->st, s->agency, &a, c->req->arena, &e) != 0) {
			error_clear(&e);
			return error_field(&c->err, "agency", "no agency is named \"%s\"", s->agency);
		}
		s->agency_id = a.id;
	}
	return 0;
}

int api_seizures_create(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_OFFICER) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct seizure s;
	memset(&s, 0, sizeof s);
	int rc = -1;
	if (seizure_from_json(body, &s, c->req->arena, &c->err) == 0 && resolve_agency(c, &s) == 0 &&
	    seizure_create(c->st, c->ref, &c->who, &s, c->req->arena, &c->err) == 0) {
		index_follow(c, s.id);
		struct seizure saved;
		if (store_seizure_get(c->st, s.id, &saved, c->req->arena, &c->err) == 0) {
			http_set_header(c->res, "Location",
					arena_sprintf(c->req->arena, "/api/v1/seizures/%lld",
						      (long long)s.id));
			api_json(c, 201, seizure_to_json(&saved, c->ref, 0));
			rc = 0;
		}
	}
	json_decref(body);
	return rc;
}

int api_seizures_update(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_OFFICER) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	int rc = -1;
	struct seizure s;
	if (!json_is_integer(json_object_get(body, "version"))) {
		error_field(&c->err, "version", "is required: the version you read (409 if it changed)");
		goto out;
	}
	if (store_seizure_get(c->st, c->id, &s, c->req->arena, &c->err) != 0)
		goto out;
	s.agency = NULL;
	if (seizure_from_json(body, &s, c->req->arena, &c->err) != 0 || resolve_agency(c, &s) != 0)
		goto out;
	if (seizure_update(c->st, c->ref, &c->who, c->id, &s, c->req->arena, &c->err) != 0)
		goto out;
	index_follow(c, c->id);
	struct seizure saved;
	if (store_seizure_get(c->st, c->id, &saved, c->req->arena, &c->err) != 0)
		goto out;
	api_json(c, 200, seizure_to_json(&saved, c->ref, 0));
	rc = 0;
out:
	json_decref(body);
	return rc;
}

int api_seizures_delete(struct api_ctx *c)
{
	int64_t version;
	if (query_get_int(&c->req->query, "version", 1, INT64_MAX, 0, &version, &c->err) != 0)
		return -1;
	if (!version)
		return error_field(&c->err, "version", "is required: ?version=N, the version you read");
	if (seizure_delete(c->st, &c->who, c->id, version, &c->err) != 0)
		return -1;
	index_follow(c, c->id);
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}
