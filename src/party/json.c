#include "party/json.h"

#include <stdio.h>
#include <string.h>

#include "lib/jsonread.h"

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *country_list(const char *list)
{
	json_t *a = json_array();
	if (!list)
		return a;
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		if (!e)
			break;
		p = e + 1;
	}
	return a;
}

static json_t *names_json(const struct party *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < p->nnames; i++) {
		const struct party_name *n = &p->names[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o}", "name", n->name ? n->name : "",
						   "script", n->script ? n->script : "", "kind",
						   n->kind ? n->kind : "full", "romanised",
						   str_or_null(n->romanised)));
	}
	return a;
}

json_t *party_to_json(const struct party *p, int summary)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "kind", json_string(p->kind ? p->kind : ""));
	json_object_set_new(j, "version", json_integer(p->version));
	json_object_set_new(j, "name", json_string(party_main_name(p)));
	json_object_set_new(j, "names", names_json(p));
	json_object_set_new(j, "agency", json_pack("{s:I, s:s}", "id", (json_int_t)p->agency_id,
						   "name", p->agency ? p->agency : ""));
	json_object_set_new(j, "sharing", json_string(p->sharing ? p->sharing : "national"));
	json_object_set_new(j, "birth_year", p->birth_year ? json_integer(p->birth_year) : json_null());
	json_object_set_new(j, "nationalities", country_list(p->nationalities));
	json_object_set_new(j, "org_kind", str_or_null(p->org_kind));
	json_object_set_new(j, "country", str_or_null(p->country));
	if (summary)
		return j;
	json_object_set_new(j, "sex", str_or_null(p->sex));
	json_object_set_new(j, "birth_date", str_or_null(p->birth_date));
	json_t *regs = json_array();
	for (size_t i = 0; i < p->nregistrations; i++)
		json_array_append_new(regs, json_pack("{s:o, s:s}", "country",
						      str_or_null(p->registrations[i].country),
						      "number", p->registrations[i].number
								? p->registrations[i].number
								: ""));
	json_object_set_new(j, "registrations", regs);
	json_object_set_new(j, "notes", str_or_null(p->notes));
	json_object_set_new(j, "merged_into", id_or_null(p->merged_into));
	json_object_set_new(j, "created_at", str_or_null(p->created_at));
	json_object_set_new(j, "updated_at", str_or_null(p->updated_at));
	return j;
}

json_t *identifier_to_json(const struct identifier *x)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(x->id));
	json_object_set_new(j, "kind", json_string(x->kind ? x->kind : ""));
	json_object_set_new(j, "value", json_string(x->value ? x->value : ""));
	json_object_set_new(j, "key", json_string(x->key ? x->key : ""));
	json_object_set_new(j, "display", json_string(x->display ? x->display : ""));
	json_object_set_new(j, "country", str_or_null(x->country));
	json_object_set_new(j, "platform", str_or_null(x->platform));
	json_object_set_new(j, "date", str_or_null(x->date));
	json_object_set_new(j, "province", str_or_null(x->province));
	json_object_set_new(j, "created_at", str_or_null(x->created_at));
	return j;
}

/* The link's own fields: link_id, role (or kind), source, date, seizure_id. */
static json_t *link_json(int64_t link_id, const struct link_info *l, const char *role_key,
			 int with_origin)
{
	json_t *j = json_object();
	json_object_set_new(j, "link_id", json_integer(link_id));
	json_object_set_new(j, role_key, json_string(l->role ? l->role : ""));
	json_object_set_new(j, "source", str_or_null(l->source));
	json_object_set_new(j, "date", str_or_null(l->date));
	if (with_origin)
		json_object_set_new(j, "seizure_id", id_or_null(l->seizure_id));
	return j;
}

static json_t *seizure_brief(const struct party_seizure_link *x)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:s}", "id",
			 (json_int_t)x->link.seizure_id, "ref", x->ref ? x->ref : "", "date",
			 x->date ? x->date : "", "country", x->country ? x->country : "", "agency",
			 "id", (json_int_t)x->agency_id, "name", x->agency ? x->agency : "",
			 "species", x->species ? x->species : "");
}

static json_t *seizure_links_json(const struct party_seizure_link *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = link_json(v[i].link_id, &v[i].link, "role", 0);
		json_object_set_new(j, "seizure", seizure_brief(&v[i]));
		json_array_append_new(a, j);
	}
	return a;
}

json_t *party_page_to_json(const struct party_page *pg)
{
	json_t *j = party_to_json(&pg->party, 0);
	json_t *a = json_array();
	for (size_t i = 0; i < pg->nidents; i++) {
		json_t *x = link_json(pg->idents[i].link_id, &pg->idents[i].link, "role", 1);
		json_object_set_new(x, "identifier", identifier_to_json(&pg->idents[i].ident));
		json_array_append_new(a, x);
	}
	json_object_set_new(j, "identifiers", a);
	json_object_set_new(j, "seizures", seizure_links_json(pg->seizures, pg->nseizures));
	a = json_array();
	for (size_t i = 0; i < pg->nrelations; i++) {
		const struct party_relation_link *r = &pg->relations[i];
		json_t *x = link_json(r->link_id, &r->link, "kind", 1);
		json_object_set_new(x, "direction", json_string(r->outgoing ? "out" : "in"));
		json_object_set_new(x, "party", json_pack("{s:I, s:s, s:s}", "id",
							  (json_int_t)r->other_id, "kind",
							  r->other_kind ? r->other_kind : "", "name",
							  r->other_name ? r->other_name : ""));
		json_array_append_new(a, x);
	}
	json_object_set_new(j, "relations", a);
	a = json_array();
	for (size_t i = 0; i < pg->ntimeline; i++) {
		const struct party_event *e = &pg->timeline[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:I, s:s}", "date", e->date,
						   "type", e->type, "role", e->role ? e->role : "",
						   "source", str_or_null(e->source), "id",
						   (json_int_t)e->id, "label", e->label ? e->label : ""));
	}
	json_object_set_new(j, "timeline", a);
	return j;
}

static json_t *party_links_json(const struct seizure_party *ps, size_t n, int with_origin)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *x = link_json(ps[i].link_id, &ps[i].link, "role", with_origin);
		json_object_set_new(x, "party", party_to_json(&ps[i].party, 1));
		json_array_append_new(a, x);
	}
	return a;
}

json_t *identifier_page_to_json(const struct identifier_page *pg)
{
	json_t *j = identifier_to_json(&pg->ident);
	json_object_set_new(j, "parties", party_links_json(pg->parties, pg->nparties, 1));
	json_object_set_new(j, "seizures", seizure_links_json(pg->seizures, pg->nseizures));
	return j;
}

json_t *seizure_parties_to_json(const struct seizure_party *ps, size_t n,
				const struct seizure_ident *is, size_t ni)
{
	json_t *a = json_array();
	for (size_t i = 0; i < ni; i++) {
		json_t *x = link_json(is[i].link_id, &is[i].link, "role", 0);
		json_object_set_new(x, "identifier", identifier_to_json(&is[i].ident));
		json_array_append_new(a, x);
	}
	return json_pack("{s:o, s:o}", "items", party_links_json(ps, n, 0), "identifiers", a);
}

/* ---- reading ---- */

static void read_names(json_t *v, struct party *p, struct arena *a, struct error *err)
{
	if (json_is_string(v)) {
		/* one full name given as a string */
		p->names = arena_alloc(a, sizeof *p->names);
		p->nnames = 1;
		p->names[0].name = arena_strdup(a, json_string_value(v));
		return;
	}
	if (!json_is_array(v)) {
		error_field(err, "names", "must be a list of {name, script, kind}");
		return;
	}
	size_t n = json_array_size(v);
	p->names = arena_alloc(a, (n ? n : 1) * sizeof *p->names);
	p->nnames = n;
	char f[64];
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(v, i);
		struct party_name *nm = &p->names[i];
		if (json_is_string(o)) {
			nm->name = arena_strdup(a, json_string_value(o));
			continue;
		}
		if (!json_is_object(o)) {
			snprintf(f, sizeof f, "names[%zu]", i);
			error_field(err, f, "must be an object {name, script, kind} or a string");
			continue;
		}
		const char *key;
		json_t *x;
		json_object_foreach(o, key, x) {
			snprintf(f, sizeof f, "names[%zu].%s", i, key);
			if (strcmp(key, "name") == 0)
				json_read_text(x, f, &nm->name, a, err);
			else if (strcmp(key, "script") == 0)
				json_read_text(x, f, &nm->script, a, err);
			else if (strcmp(key, "kind") == 0)
				json_read_text(x, f, &nm->kind, a, err);
			else if (strcmp(key, "romanised") == 0)
				; /* computed; ignored so a GET result can be sent back */
			else
				error_field(err, f, "is not a field of a name (name, script, kind)");
		}
	}
}

static void read_registrations(json_t *v, struct party *p, struct arena *a, struct error *err)
{
	if (json_is_null(v)) {
		p->registrations = NULL;
		p->nregistrations = 0;
		return;
	}
	if (!json_is_array(v)) {
		error_field(err, "registrations", "must be a list of {country, number}");
		return;
	}
	size_t n = json_array_size(v);
	p->registrations = arena_alloc(a, (n ? n : 1) * sizeof *p->registrations);
	p->nregistrations = n;
	char f[64];
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(v, i);
		if (!json_is_object(o)) {
			snprintf(f, sizeof f, "registrations[%zu]", i);
			error_field(err, f, "must be an object {country, number}");
			continue;
		}
		const char *key;
		json_t *x;
		json_object_foreach(o, key, x) {
			snprintf(f, sizeof f, "registrations[%zu].%s", i, key);
			if (strcmp(key, "number") == 0)
				json_read_text(x, f, &p->registrations[i].number, a, err);
			else if (strcmp(key, "country") == 0)
				json_read_text(x, f, &p->registrations[i].country, a, err);
			else
				error_field(err, f, "is not a field of a registration (country, number)");
		}
	}
}

static void read_new_idents(json_t *v, struct party *p, struct arena *a, struct error *err)
{
	if (!json_is_array(v)) {
		error_field(err, "identifiers", "must be a list of identifiers {kind, value, ...}");
		return;
	}
	size_t n = json_array_size(v);
	p->new_idents = arena_alloc(a, (n ? n : 1) * sizeof *p->new_idents);
	p->nnew_idents = n;
	for (size_t i = 0; i < n; i++) {
		char prefix[48];
		snprintf(prefix, sizeof prefix, "identifiers[%zu].", i);
		identifier_from_json(json_array_get(v, i), &p->new_idents[i].ident,
				     &p->new_idents[i].link, prefix, a, err);
	}
}

int party_from_json(json_t *obj, struct party *p, int with_idents, struct arena *a,
		    struct error *err)
{
	if (!json_is_object(obj))
		return error_set(err, ERR_BAD_REQUEST, "the body must be a JSON object");
	size_t before = err->nfields;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		struct {
			const char *name;
			const char **slot;
		} texts[] = {
			{ "kind", &p->kind }, { "sharing", &p->sharing }, { "sex", &p->sex },
			{ "birth_date", &p->birth_date }, { "org_kind", &p->org_kind },
			{ "country", &p->country }, { "notes", &p->notes },
		};
		int done = 0;
		for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
			if (strcmp(key, texts[i].name) == 0) {
				json_read_text(v, key, texts[i].slot, a, err);
				done = 1;
			}
		if (done)
			continue;
		if (strcmp(key, "names") == 0) {
			read_names(v, p, a, err);
		} else if (strcmp(key, "nationalities") == 0) {
			json_read_countries(v, key, &p->nationalities, a, err);
		} else if (strcmp(key, "birth_year") == 0) {
			if (json_is_null(v))
				p->birth_year = 0;
			else if (json_is_integer(v) && json_integer_value(v) > 0 &&
				 json_integer_value(v) < 10000)
				p->birth_year = (int)json_integer_value(v);
			else
				error_field(err, key, "must be a year (an integer such as 1978)");
		} else if (strcmp(key, "registrations") == 0) {
			read_registrations(v, p, a, err);
		} else if (strcmp(key, "agency") == 0 || strcmp(key, "agency_id") == 0) {
			json_t *idv = json_is_object(v) ? json_object_get(v, "id") : v;
			if (json_is_integer(idv) && json_integer_value(idv) > 0)
				p->agency_id = json_integer_value(idv);
			else if (json_is_string(idv))
				p->agency = arena_strdup(a, json_string_value(idv));
			else
				error_field(err, key, "must be an agency id or name");
		} else if (strcmp(key, "version") == 0) {
			if (json_is_integer(v))
				p->version = json_integer_value(v);
			else
				error_field(err, "version", "must be an integer");
		} else if (strcmp(key, "identifiers") == 0 && with_idents) {
			read_new_idents(v, p, a, err);
		} else if (strcmp(key, "id") == 0 || strcmp(key, "created_at") == 0 ||
			   strcmp(key, "updated_at") == 0 || strcmp(key, "name") == 0 ||
			   strcmp(key, "merged_into") == 0) {
			/* read-only; ignored so a GET result can be sent back */
		} else if (strcmp(key, "identifiers") == 0 || strcmp(key, "seizures") == 0 ||
			   strcmp(key, "relations") == 0 || strcmp(key, "timeline") == 0) {
			error_field(err, key, "is changed through its own resource "
					      "(/parties/{id}/identifiers, /seizures/{id}/parties, "
					      "/parties/{id}/relations), not here");
		} else {
			error_field(err, key, "is not a field of a party");
		}
	}
	return err->nfields > before ? -1 : 0;
}

int identifier_from_json(json_t *obj, struct identifier *x, struct link_info *l,
			 const char *prefix, struct arena *a, struct error *err)
{
	char f[96];
	memset(x, 0, sizeof *x);
	memset(l, 0, sizeof *l);
	if (!json_is_object(obj)) {
		snprintf(f, sizeof f, "%.*s", prefix[0] ? (int)strlen(prefix) - 1 : 4,
			 prefix[0] ? prefix : "body");
		return error_field(err, f, "must be an object {kind, value, ...}");
	}
	size_t before = err->nfields;
	json_t *nested = json_object_get(obj, "identifier");
	const char *flight_date = NULL;
	const char *key;
	json_t *v;
	if (nested) {
		if (!json_is_object(nested)) {
			snprintf(f, sizeof f, "%sidentifier", prefix);
			return error_field(err, f, "must be an object {kind, value, ...}");
		}
		json_object_foreach(nested, key, v) {
			snprintf(f, sizeof f, "%s%s", prefix, key);
			if (strcmp(key, "kind") == 0)
				json_read_text(v, f, &x->kind, a, err);
			else if (strcmp(key, "value") == 0)
				json_read_text(v, f, &x->value, a, err);
			else if (strcmp(key, "country") == 0)
				json_read_text(v, f, &x->country, a, err);
			else if (strcmp(key, "platform") == 0)
				json_read_text(v, f, &x->platform, a, err);
			else if (strcmp(key, "province") == 0)
				json_read_text(v, f, &x->province, a, err);
			else if (strcmp(key, "date") == 0 || strcmp(key, "flight_date") == 0)
				json_read_text(v, f, &flight_date, a, err);
			else if (strcmp(key, "id") == 0 || strcmp(key, "key") == 0 ||
				 strcmp(key, "display") == 0 || strcmp(key, "created_at") == 0)
				; /* output only */
			else
				error_field(err, f, "is not a field of an identifier");
		}
	}
	json_object_foreach(obj, key, v) {
		snprintf(f, sizeof f, "%s%s", prefix, key);
		if (strcmp(key, "identifier") == 0)
			continue;
		if (!nested && strcmp(key, "kind") == 0)
			json_read_text(v, f, &x->kind, a, err);
		else if (!nested && strcmp(key, "value") == 0)
			json_read_text(v, f, &x->value, a, err);
		else if (!nested && strcmp(key, "country") == 0)
			json_read_text(v, f, &x->country, a, err);
		else if (!nested && strcmp(key, "platform") == 0)
			json_read_text(v, f, &x->platform, a, err);
		else if (!nested && strcmp(key, "province") == 0)
			json_read_text(v, f, &x->province, a, err);
		else if (!nested && strcmp(key, "flight_date") == 0)
			json_read_text(v, f, &flight_date, a, err);
		else if (strcmp(key, "role") == 0)
			json_read_text(v, f, &l->role, a, err);
		else if (strcmp(key, "source") == 0)
			json_read_text(v, f, &l->source, a, err);
		else if (strcmp(key, "date") == 0)
			json_read_text(v, f, &l->date, a, err);
		else if (strcmp(key, "seizure_id") == 0)
			json_read_id(v, f, &l->seizure_id, err);
		else
			error_field(err, f, "is not a field of an identifier or its link");
	}
	x->date = flight_date;
	if (!x->date && x->kind && strcmp(x->kind, "flight") == 0)
		x->date = l->date;
	return err->nfields > before ? -1 : 0;
}

int link_from_json(json_t *obj, const char *role_key, const char *id_key, int64_t *other_id,
		   struct link_info *l, const char *const *also_allowed, struct arena *a,
		   struct error *err)
{
	memset(l, 0, sizeof *l);
	if (other_id)
		*other_id = 0;
	size_t before = err->nfields;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (strcmp(key, role_key) == 0) {
			json_read_text(v, key, &l->role, a, err);
		} else if (strcmp(key, "source") == 0) {
			json_read_text(v, key, &l->source, a, err);
		} else if (strcmp(key, "date") == 0) {
			json_read_text(v, key, &l->date, a, err);
		} else if (strcmp(key, "seizure_id") == 0 && (!id_key || strcmp(id_key, key) != 0)) {
			json_read_id(v, key, &l->seizure_id, err);
		} else if (id_key && other_id && strcmp(key, id_key) == 0) {
			json_read_id(v, key, other_id, err);
		} else {
			int ok = 0;
			for (size_t i = 0; also_allowed && also_allowed[i]; i++)
				if (strcmp(also_allowed[i], key) == 0)
					ok = 1;
			if (!ok)
				error_field(err, key, "is not a field here");
		}
	}
	return err->nfields > before ? -1 : 0;
}
