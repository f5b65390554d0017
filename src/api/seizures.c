/* /api/v1/seizures */
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "api/api.h"
#include "index/seizure_index.h"
#include "audit/viewlog.h"
#include "lib/dynbuf.h"
#include "seizure/filter.h"
#include "seizure/json.h"
#include "store/store.h"

/* Room for a response: a page of full summaries is far below it. */
enum { JSON_MAX = 64 << 20 };

/* Sends the JSON in b (taken). */
static int respond(struct api_ctx *c, int status, struct dynbuf *b)
{
	if (!b->len && b->max) /* emptied at the cap */
		return error_set(&c->err, ERR_INTERNAL, "the answer is too large");
	size_t len = b->len;
	http_set_body(c->res, status, "application/json; charset=utf-8", dynbuf_take(b), len);
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

/* A piece of the scratch buffer. */
struct span {
	size_t off, len;
	int have;
};

/*
 * The page's summaries: rendered ones from the index's cache, the others read
 * from the store in one go, rendered and cached.  infos NULL: no cache (the
 * index moved on since the page was computed).
 */
static int render_page(struct api_ctx *c, const int64_t *ids, size_t n,
		       const struct seizure_index_info *infos, struct dynbuf *out)
{
	struct seizure_index *ix = c->app->index;
	struct dynbuf scratch = DYNBUF_INIT(JSON_MAX);
	struct span *spans = arena_alloc(c->req->arena, (n ? n : 1) * sizeof *spans);
	int64_t *missing = arena_alloc(c->req->arena, (n ? n : 1) * sizeof *missing);
	size_t nmissing = 0;
	for (size_t i = 0; i < n; i++) {
		size_t off = scratch.len;
		if (infos && infos[i].stamp &&
		    seizure_index_json_get(ix, SEIZURE_JSON_SUMMARY, ids[i], infos[i].stamp, c->ref,
					   &scratch))
			spans[i] = (struct span){ off, scratch.len - off, 1 };
		else if (!infos || infos[i].stamp)
			missing[nmissing++] = ids[i];
	}
	if (nmissing) {
		struct seizure *got = arena_alloc(c->req->arena, nmissing * sizeof *got);
		size_t ngot;
		if (store_seizure_get_many(c->st, missing, nmissing, got, &ngot, c->req->arena,
					   &c->err) != 0) {
			dynbuf_free(&scratch);
			return -1;
		}
		for (size_t k = 0; k < ngot; k++) {
			size_t i = 0;
			while (i < n && (ids[i] != got[k].id || spans[i].have))
				i++;
			if (i == n)
				continue;
			size_t off = scratch.len;
			seizure_json_write(&scratch, &got[k], c->ref, 1);
			spans[i] = (struct span){ off, scratch.len - off, 1 };
			if (infos)
				seizure_index_json_put(ix, SEIZURE_JSON_SUMMARY, ids[i], infos[i].stamp,
						       c->ref, scratch.buf + off, scratch.len - off);
		}
	}
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		if (!spans[i].have)
			continue;
		if (!first)
			dynbuf_addc(out, ',');
		first = 0;
		dynbuf_add(out, scratch.buf + spans[i].off, spans[i].len);
	}
	dynbuf_free(&scratch);
	return 0;
}

int api_seizures_list(struct api_ctx *c)
{
	struct seizure_filter f;
	if (seizure_filter_parse(c->ref, &c->req->query, NULL, &f, c->req->arena, &c->err) != 0)
		return -1;
	f.want_total = 1;
	struct seizure_index *ix = c->app->index;
	int64_t gen;
	if (seizure_index_sync_generation(ix, c->st, &gen, &c->err) != 0)
		return -1;
	int limit = f.limit > 0 ? f.limit : 50;
	int64_t *ids = arena_alloc(c->req->arena, (size_t)limit * sizeof *ids);
	size_t n;
	int has_more;
	int64_t total;
	if (seizure_index_query(ix, c->ref, &c->who, &f, ids, &n, &has_more, &total, &c->err) != 0)
		return -1;
	struct seizure_index_info *infos = arena_alloc(c->req->arena, (n ? n : 1) * sizeof *infos);
	if (seizure_index_lookup(ix, &c->who, gen, ids, n, infos) < 0)
		infos = NULL;
	struct dynbuf b = DYNBUF_INIT(JSON_MAX);
	dynbuf_adds(&b, "{\"items\":[");
	if (render_page(c, ids, n, infos, &b) != 0) {
		dynbuf_free(&b);
		return -1;
	}
	dynbuf_addf(&b, "],\"total\":%lld,\"next\":", (long long)total);
	/* the cursor: the last seizure of the page (as seizure_cursor_encode) */
	const char *next = NULL;
	if (has_more && n) {
		struct seizure_index_info last;
		if (infos)
			last = infos[n - 1];
		else if (seizure_index_lookup(ix, &c->who, gen, &ids[n - 1], 1, &last) < 0)
			last.stamp = 0;
		if (last.stamp)
			next = arena_sprintf(c->req->arena, "%04d-%02d-%02d_%lld",
					     (int)(last.date_from / 10000),
					     (int)(last.date_from / 100 % 100),
					     (int)(last.date_from % 100), (long long)ids[n - 1]);
	}
	if (has_more && n && !next) {
		/* the index moved on: the cursor from the record itself */
		struct seizure s;
		if (store_seizure_get(c->st, ids[n - 1], &s, c->req->arena, &c->err) != 0) {
			dynbuf_free(&b);
			return -1;
		}
		next = seizure_cursor_encode(c->req->arena, &s);
	}
	dynbuf_adds(&b, next ? "\"" : "null");
	if (next)
		dynbuf_adds(&b, next); /* digits, '-' and '_' only */
	dynbuf_adds(&b, next ? "\"}" : "}");
	return respond(c, 200, &b);
}

int api_seizures_get(struct api_ctx *c)
{
	struct seizure_index *ix = c->app->index;
	struct seizure_index_info info = { 0 };
	int cached = ix && c->app->views;
	if (cached) {
		int64_t gen;
		if (seizure_index_sync_generation(ix, c->st, &gen, &c->err) != 0)
			return -1;
		int found = seizure_index_lookup(ix, &c->who, gen, &c->id, 1, &info);
		if (found == 0)
			return error_set(&c->err, ERR_NOT_FOUND, "seizure %lld not found",
					 (long long)c->id);
		cached = found > 0;
	}
	struct dynbuf b = DYNBUF_INIT(JSON_MAX);
	dynbuf_reserve(&b, 4096); /* a record is about 1 KB */
	if (cached &&
	    seizure_index_json_get(ix, SEIZURE_JSON_DETAIL, c->id, info.stamp, c->ref, &b)) {
		/* seen: audited as seizure_get() does */
		viewlog_record(c->app->views, &c->who, "seizure", c->id);
		return respond(c, 200, &b);
	}
	struct seizure s;
	if (seizure_get(c->st, c->app->views, &c->who, c->id, &s, c->req->arena, &c->err) != 0)
		return -1;
	seizure_json_write(&b, &s, c->ref, 0);
	if (cached)
		seizure_index_json_put(ix, SEIZURE_JSON_DETAIL, c->id, info.stamp, c->ref, b.buf,
				       b.len);
	return respond(c, 200, &b);
}

/* The record as saved, as the answer to a change. */
static int respond_saved(struct api_ctx *c, int status, int64_t id)
{
	struct seizure saved;
	if (store_seizure_get(c->st, id, &saved, c->req->arena, &c->err) != 0)
		return -1;
	struct dynbuf b = DYNBUF_INIT(JSON_MAX);
	seizure_json_write(&b, &saved, c->ref, 0);
	return respond(c, status, &b);
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
		if (respond_saved(c, 201, s.id) == 0) {
			http_set_header(c->res, "Location",
					arena_sprintf(c->req->arena, "/api/v1/seizures/%lld",
						      (long long)s.id));
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
	if (respond_saved(c, 200, c->id) != 0)
		goto out;
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
