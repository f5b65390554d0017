/* /api/v1/parties, /api/v1/identifiers and the party links of seizures. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "lib/query.h"
#include "party/json.h"
#include "party/party.h"
#include "store/store.h"

/* Resolves an agency given by name in the body to its id. */
static int resolve_agency(struct api_ctx *c, struct party *p, const char *field)
{
	if (p->agency && !p->agency_id) {
		struct agency_rec a;
		struct error e = ERROR_INIT;
		if (store_agency_by_name(c->st, p->agency, &a, c->req->arena, &e) != 0) {
			error_clear(&e);
			return error_field(&c->err, field, "no agency is named \"%s\"", p->agency);
		}
		p->agency_id = a.id;
	}
	return 0;
}

static int respond_page(struct api_ctx *c, int status, int64_t id)
{
	struct party_page pg;
	if (party_page(c->st, &c->who, id, &pg, c->req->arena, &c->err) != 0)
		return -1;
	api_json(c, status, party_page_to_json(&pg));
	return 0;
}

int api_parties_list(struct api_ctx *c)
{
	static const char *const allowed[] = { "q", "kind", "limit", "cursor", NULL };
	struct party_filter f = { 0 };
	int64_t limit;
	api_only_params(c, allowed);
	limit = 50;
	query_get_int(&c->req->query, "limit", 1, 200, 50, &limit, &c->err);
	f.limit = (int)limit;
	f.q = query_get(&c->req->query, "q");
	f.kind = query_get(&c->req->query, "kind");
	if (f.kind && *f.kind && strcmp(f.kind, "person") != 0 && strcmp(f.kind, "organisation") != 0)
		error_field(&c->err, "kind", "must be person or organisation");
	const char *cursor = query_get(&c->req->query, "cursor");
	if (cursor && *cursor && party_cursor_decode(cursor, &f) != 0)
		error_field(&c->err, "cursor", "is not a cursor of this list (use \"next\" as given)");
	if (c->err.nfields)
		return -1;
	struct party_list list;
	if (party_list(c->st, &c->who, &f, &list, c->req->arena, &c->err) != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, party_to_json(&list.items[i], 1));
	json_t *j = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)list.total);
	json_object_set_new(j, "next", list.next_cursor ? json_string(list.next_cursor) : json_null());
	api_json(c, 200, j);
	return 0;
}

int api_parties_get(struct api_ctx *c)
{
	if (respond_page(c, 200, c->id) != 0)
		return -1;
	return party_record_view(c->st, c->app->views, &c->who, "party", c->id, &c->err);
}

/*
 * After field errors in the JSON, the record's own checks still run so that
 * one answer names every problem; errors on fields already named are not
 * repeated.  Returns -1.
 */
static int more_errors(struct api_ctx *c, struct error *err, struct party *p, int is_new)
{
	if (err->code != ERR_VALIDATION)
		return -1;
	struct error more = ERROR_INIT;
	if (is_new)
		party_check_new(c->st, c->ref, &c->who, p, c->req->arena, &more);
	else
		party_validate(c->ref, p, c->req->arena, &more);
	for (size_t i = 0; i < more.nfields; i++) {
		int seen = 0;
		for (size_t j = 0; j < err->nfields; j++)
			if (strcmp(err->fields[j].field, more.fields[i].field) == 0)
				seen = 1;
		if (!seen)
			error_field(err, more.fields[i].field, "%s", more.fields[i].message);
	}
	error_clear(&more);
	return -1;
}

int api_parties_create(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_OFFICER) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct party p;
	memset(&p, 0, sizeof p);
	int rc = -1;
	if (party_from_json(body, &p, 1, c->req->arena, &c->err) != 0) {
		more_errors(c, &c->err, &p, 1);
	} else if (resolve_agency(c, &p, "agency") == 0 &&
		   party_create(c->st, c->ref, &c->who, &p, c->req->arena, &c->err) == 0) {
		http_set_header(c->res, "Location",
				arena_sprintf(c->req->arena, "/api/v1/parties/%lld", (long long)p.id));
		rc = respond_page(c, 201, p.id);
	}
	json_decref(body);
	return rc;
}

int api_parties_update(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_OFFICER) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	int rc = -1;
	struct party p;
	if (!json_is_integer(json_object_get(body, "version"))) {
		error_field(&c->err, "version", "is required: the version you read (409 if it changed)");
		goto out;
	}
	if (party_get(c->st, &c->who, c->id, &p, c->req->arena, &c->err) != 0)
		goto out;
	p.agency = NULL;
	if (party_from_json(body, &p, 0, c->req->arena, &c->err) != 0) {
		more_errors(c, &c->err, &p, 0);
		goto out;
	}
	if (resolve_agency(c, &p, "agency") != 0)
		goto out;
	if (party_update(c->st, c->ref, &c->who, c->id, &p, c->req->arena, &c->err) != 0)
		goto out;
	rc = respond_page(c, 200, c->id);
out:
	json_decref(body);
	return rc;
}

int api_parties_delete(struct api_ctx *c)
{
	static const char *const allowed[] = { "version", NULL };
	int64_t version;
	if (api_only_params(c, allowed) != 0 ||
	    query_get_int(&c->req->query, "version", 1, INT64_MAX, 0, &version, &c->err) != 0)
		return -1;
	if (!version)
		return error_field(&c->err, "version", "is required: ?version=N, the version you read");
	if (party_delete(c->st, &c->who, c->id, version, &c->err) != 0)
		return -1;
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}

/* {"created": bool, "identifier": IDENT} with 201 for a new link, 200 if it existed. */
static void respond_ident(struct api_ctx *c, const struct identifier *x, int created)
{
	json_t *j = json_pack("{s:b, s:o}", "created", created, "identifier",
			      identifier_to_json(x));
	api_json(c, created ? 201 : 200, j);
}

int api_parties_add_identifier(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_OFFICER) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct identifier in, out;
	struct link_info l;
	int created = 0, rc = -1;
	if (identifier_from_json(body, &in, &l, "", c->req->arena, &c->err) == 0 &&
	    party_add_identifier(c->st, c->ref, &c->who, c->id, &in, &l, &out, &created,
				 c->req->arena, &c->err) == 0) {
		respond_ident(c, &out, created);
		rc = 0;
	}
	json_decref(body);
	return rc;
}

/* ?NAME=id (required) and ?ROLE_KEY=role (optional) of a DELETE of a link. */
static int link_params(struct api_ctx *c, const char *id_key, const char *role_key,
		       int64_t *id, const char **role)
{
	const char *allowed[] = { id_key, role_key, NULL };
	*id = 0;
	*role = NULL;
	if (api_only_params(c, allowed) != 0 ||
	    query_get_int(&c->req->query, id_key, 1, INT64_MAX, 0, id, &c->err) != 0)
		return -1;
	if (!*id)
		return error_field(&c->err, id_key, "is required");
	*role = query_get(&c->req->query, role_key);
	if (*role && !**role)
		*role = NULL;
	return 0;
}

int api_parties_remove_identifier(struct api_ctx *c)
{
	int64_t id = 0;
	const char *role = NULL;
	if (api_require_role(c, ROLE_OFFICER) != 0 ||
	    link_params(c, "identifier_id", "role", &id, &role) != 0 ||
	    party_remove_identifier(c->st, &c->who, c->id, id, role, &c->err) != 0)
		return -1;
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}

int api_parties_remove_seizure(struct api_ctx *c)
{
	int64_t id = 0;
	const char *role = NULL;
	if (api_require_role(c, ROLE_OFFICER) != 0 ||
	    link_params(c, "seizure_id", "role", &id, &role) != 0 ||
	    party_unlink_seizure(c->st, &c->who, c->id, id, role, &c->err) != 0)
		return -1;
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}

int api_parties_add_relation(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_OFFICER) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct link_info l;
	int64_t other;
	int created = 0, rc = -1;
	if (link_from_json(body, "kind", "party_id", &other, &l, NULL, c->req->arena, &c->err) == 0 &&
	    party_add_relation(c->st, &c->who, c->id, other, &l, &created, c->req->arena,
			       &c->err) == 0)
		rc = respond_page(c, created ? 201 : 200, c->id);
	json_decref(body);
	return rc;
}

int api_parties_remove_relation(struct api_ctx *c)
{
	int64_t id = 0;
	const char *kind = NULL;
	if (api_require_role(c, ROLE_OFFICER) != 0 ||
	    link_params(c, "party_id", "kind", &id, &kind) != 0 ||
	    party_remove_relation(c->st, &c->who, c->id, id, kind, &c->err) != 0)
		return -1;
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}

static int respond_seizure_parties(struct api_ctx *c, int status)
{
	struct seizure_party *ps;
	struct seizure_ident *is;
	size_t n, ni;
	if (seizure_parties(c->st, &c->who, c->id, &ps, &n, &is, &ni, c->req->arena, &c->err) != 0)
		return -1;
	api_json(c, status, seizure_parties_to_json(ps, n, is, ni));
	return 0;
}

int api_seizure_parties_list(struct api_ctx *c)
{
	return respond_seizure_parties(c, 200);
}

int api_seizure_parties_add(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_OFFICER) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct link_info l;
	int64_t party_id;
	int created = 1, rc = -1;
	static const char *const also[] = { "party", NULL };
	if (link_from_json(body, "role", "party_id", &party_id, &l, also, c->req->arena,
			   &c->err) != 0)
		goto out;
	json_t *inline_party = json_object_get(body, "party");
	if (inline_party && party_id) {
		error_field(&c->err, "party", "give either party_id (an existing party) or party "
					      "(a new one), not both");
		goto out;
	}
	if (inline_party) {
		struct party p;
		memset(&p, 0, sizeof p);
		struct error e = ERROR_INIT;
		int bad = party_from_json(inline_party, &p, 1, c->req->arena, &e) != 0;
		if (bad)
			more_errors(c, &e, &p, 1);
		else if (resolve_agency(c, &p, "party.agency") != 0)
			bad = 1;
		error_merge_fields(&c->err, &e, "party.");
		if (e.code == ERR_BAD_REQUEST)
			error_field(&c->err, "party", "must be an object: the new party");
		error_clear(&e);
		if (bad || party_create_in_seizure(c->st, c->ref, &c->who, c->id, &p, &l,
						   c->req->arena, &c->err) != 0)
			goto out;
	} else if (!party_id) {
		error_field(&c->err, "party_id", "is required (or party: a new party to record)");
		goto out;
	} else if (party_link_seizure(c->st, &c->who, party_id, c->id, &l, &created,
				      c->req->arena, &c->err) != 0) {
		goto out;
	}
	rc = respond_seizure_parties(c, created ? 201 : 200);
out:
	json_decref(body);
	return rc;
}

int api_seizure_identifiers_add(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_OFFICER) != 0)
		return -1;
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct identifier in, out;
	struct link_info l;
	int created = 0, rc = -1;
	if (identifier_from_json(body, &in, &l, "", c->req->arena, &c->err) == 0 &&
	    seizure_add_identifier(c->st, c->ref, &c->who, c->id, &in, &l, &out, &created,
				   c->req->arena, &c->err) == 0) {
		respond_ident(c, &out, created);
		rc = 0;
	}
	json_decref(body);
	return rc;
}

int api_identifiers_get(struct api_ctx *c)
{
	struct identifier_page pg;
	if (identifier_page(c->st, &c->who, c->id, &pg, c->req->arena, &c->err) != 0)
		return -1;
	api_json(c, 200, identifier_page_to_json(&pg));
	return party_record_view(c->st, c->app->views, &c->who, "identifier", c->id, &c->err);
}
