/* /api/v1/species and /api/v1/reference/... */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "ref/national.h"
#include "ref/refdata.h"
#include "store/store.h"
#include "text/fold.h"

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static void add_name(void *ctx, const struct taxon_name *n)
{
	json_t *common = ctx;
	if (n->kind != NAME_COMMON)
		return;
	json_t *list = json_object_get(common, n->lang);
	if (!list) {
		list = json_array();
		json_object_set_new(common, n->lang, list);
	}
	if (json_array_size(list) < 8)
		json_array_append_new(list, json_string(n->name));
}

int api_species_search(struct api_ctx *c)
{
	const char *q = query_get(&c->req->query, "q");
	int64_t limit;
	if (query_get_int(&c->req->query, "limit", 1, 100, 20, &limit, &c->err) != 0)
		return -1;
	if (!q || !*q)
		return error_field(&c->err, "q", "is required: part of a scientific or common name");
	if (strlen(q) > 200)
		return error_field(&c->err, "q", "is too long (at most 200 bytes)");
	struct species_hit hits[100];
	size_t n = refdata_search_species(c->ref, q, hits, (size_t)limit);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct taxon *t = hits[i].taxon;
		json_t *common = json_object();
		refdata_taxon_names(c->ref, t, add_name, common);
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s}", "id",
					 (json_int_t)t->id, "name", t->full_name, "rank",
					 str_or_null(t->rank), "listing", str_or_null(t->listing),
					 "family", str_or_null(t->family), "class",
					 str_or_null(t->class_name), "kingdom", str_or_null(t->kingdom),
					 "common", common, "matched", hits[i].matched, "matched_lang",
					 hits[i].matched_lang));
	}
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

static json_t *codes_json(const struct code_entry *e, size_t n)
{
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:o}", "code", e[i].code, "name_en",
						       e[i].name_en ? e[i].name_en : "", "name_km",
						       str_or_null(e[i].name_km)));
	return items;
}

int api_reference_terms(struct api_ctx *c)
{
	const struct code_entry *e;
	size_t n = refdata_terms(c->ref, &e);
	json_t *items = codes_json(e, n);
	for (size_t i = 0; i < n; i++) {
		json_t *units = json_array();
		char *list = strdup(refdata_term_units(c->ref, e[i].code));
		char *save = NULL;
		for (char *u = strtok_r(list, "|", &save); u; u = strtok_r(NULL, "|", &save))
			json_array_append_new(units, json_string(strcmp(u, "-") == 0 ? "" : u));
		free(list);
		json_object_set_new(json_array_get(items, i), "units", units);
	}
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int api_reference_units(struct api_ctx *c)
{
	const struct code_entry *e;
	size_t n = refdata_units(c->ref, &e);
	api_json(c, 200, json_pack("{s:o}", "items", codes_json(e, n)));
	return 0;
}

int api_reference_countries(struct api_ctx *c)
{
	const struct country *k;
	size_t n = refdata_countries(c->ref, &k);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:o, s:s, s:o, s:o, s:o}", "code",
						       k[i].iso2, "iso3", str_or_null(k[i].iso3),
						       "name_en", k[i].name_en, "name_km",
						       str_or_null(k[i].name_km), "region",
						       str_or_null(k[i].region), "currency",
						       str_or_null(k[i].currency)));
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int api_reference_locations(struct api_ctx *c)
{
	const char *q = query_get(&c->req->query, "q");
	const char *country = query_get(&c->req->query, "country");
	int64_t limit;
	if (query_get_int(&c->req->query, "limit", 1, 1000, 50, &limit, &c->err) != 0)
		return -1;
	char *fq = q && *q ? text_fold_dup(q) : NULL;
	const struct location *l;
	size_t n = refdata_locations(c->ref, &l);
	json_t *items = json_array();
	for (size_t i = 0; i < n && json_array_size(items) < (size_t)limit; i++) {
		if (country && *country && strcasecmp(country, l[i].country) != 0)
			continue;
		if (fq) {
			char *name = text_fold_dup(l[i].name);
			int hit = strstr(name, fq) != NULL || strcasecmp(l[i].locode, q) == 0 ||
				  (strlen(q) >= 3 && strncasecmp(l[i].locode, q, strlen(q)) == 0);
			free(name);
			if (!hit)
				continue;
		}
		json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "locode", l[i].locode,
				      "country", l[i].country, "name", l[i].name, "subdivision",
				      str_or_null(l[i].subdivision), "functions",
				      str_or_null(l[i].functions), "iata", str_or_null(l[i].iata));
		json_object_set_new(o, "latitude", l[i].has_coords ? json_real(l[i].latitude) : json_null());
		json_object_set_new(o, "longitude",
				    l[i].has_coords ? json_real(l[i].longitude) : json_null());
		json_array_append_new(items, o);
	}
	free(fq);
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int api_reference_agencies(struct api_ctx *c)
{
	struct agency_rec *a;
	size_t n;
	if (store_agency_list(c->st, &a, &n, c->req->arena, &c->err) != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s}", "id",
						       (json_int_t)a[i].id, "name", a[i].name,
						       "country", a[i].country, "kind", a[i].kind));
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int api_reference_vocab(struct api_ctx *c)
{
	json_t *j = json_object();
	for (const char *const *v = refdata_vocab_names(); *v; v++) {
		const struct code_entry *e;
		size_t n = refdata_vocab(c->ref, *v, &e);
		json_object_set_new(j, *v, codes_json(e, n));
	}
	api_json(c, 200, j);
	return 0;
}

/* POST /api/v1/species: a nationally protected taxon (admin). */
int api_species_create(struct api_ctx *c)
{
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	struct national_taxon t = { 0 };
	struct {
		const char *key;
		const char **slot;
	} fields[] = {
		{ "name", &t.full_name }, { "rank", &t.rank }, { "kingdom", &t.kingdom },
		{ "phylum", &t.phylum }, { "class", &t.class_name }, { "order", &t.order_name },
		{ "family", &t.family }, { "law", &t.law },
	};
	const char *langs[32], *names[32];
	const char *key;
	json_t *v;
	int rc = -1;
	json_object_foreach(body, key, v) {
		size_t i;
		for (i = 0; i < sizeof fields / sizeof *fields; i++)
			if (strcmp(key, fields[i].key) == 0)
				break;
		if (i < sizeof fields / sizeof *fields) {
			if (!json_is_string(v) && !json_is_null(v))
				error_field(&c->err, key, "must be a string");
			else
				*fields[i].slot = json_string_value(v);
		} else if (strcmp(key, "common_names") == 0) {
			if (!json_is_array(v) || json_array_size(v) > 32) {
				error_field(&c->err, key, "must be a list (at most 32) of {lang, name}");
				continue;
			}
			size_t k;
			json_t *e;
			json_array_foreach(v, k, e) {
				langs[k] = json_string_value(json_object_get(e, "lang"));
				names[k] = json_string_value(json_object_get(e, "name"));
			}
			t.name_langs = langs;
			t.names = names;
			t.nnames = json_array_size(v);
		} else {
			error_field(&c->err, key, "is not a field of a species");
		}
	}
	int64_t id;
	if (error_is_set(&c->err) ||
	    national_taxon_add(c->st, c->ref, &c->who, &t, &id, &c->err) != 0)
		goto out;
	struct refdata *fresh = refdata_load(c->st, &c->err);
	if (!fresh)
		goto out;
	app_replace_ref(c->app, fresh);
	const struct taxon *tx = refdata_taxon_by_id(fresh, id);
	json_t *common = json_object();
	refdata_taxon_names(fresh, tx, add_name, common);
	api_json(c, 201, json_pack("{s:I, s:s, s:s, s:s, s:o, s:b}", "id", (json_int_t)id, "name",
				   tx->full_name, "rank", tx->rank, "listing", tx->listing, "common",
				   common, "national", 1));
	rc = 0;
out:
	json_decref(body);
	return rc;
}
