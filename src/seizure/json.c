#include "seizure/json.h"

#include <stdio.h>
#include <string.h>

#include "lib/dynbuf.h"
#include "lib/jsonread.h"
#include "lib/jsonwrite.h"

#include "ref/refdata.h"

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
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

static json_t *item_json(const struct seizure_item *it, const struct refdata *ref)
{
	const struct taxon *t = ref ? refdata_taxon_by_id(ref, it->taxon_id) : NULL;
	json_t *tx = json_pack("{s:I, s:s}", "id", (json_int_t)it->taxon_id, "name",
			       t ? t->full_name : (it->taxon_name ? it->taxon_name : ""));
	if (t) {
		json_object_set_new(tx, "rank", str_or_null(t->rank));
		json_object_set_new(tx, "listing", str_or_null(t->listing));
		json_object_set_new(tx, "family", str_or_null(t->family));
	}
	json_t *j = json_object();
	json_object_set_new(j, "line", json_integer(it->line));
	json_object_set_new(j, "species", json_string(it->species ? it->species : ""));
	json_object_set_new(j, "taxon", tx);
	json_object_set_new(j, "term", json_string(it->term ? it->term : ""));
	json_object_set_new(j, "quantity", json_real(it->quantity));
	json_object_set_new(j, "unit", json_string(it->unit ? it->unit : ""));
	json_object_set_new(j, "live", it->live < 0 ? json_null() : json_boolean(it->live));
	return j;
}

json_t *seizure_to_json(const struct seizure *s, const struct refdata *ref, int summary)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(s->id));
	json_object_set_new(j, "ref", json_string(s->ref ? s->ref : ""));
	json_object_set_new(j, "version", json_integer(s->version));
	json_object_set_new(j, "date", json_string(s->date ? s->date : ""));
	json_object_set_new(j, "country", json_string(s->country ? s->country : ""));
	json_object_set_new(j, "place", str_or_null(s->place));
	json_object_set_new(j, "agency", json_pack("{s:I, s:s}", "id", (json_int_t)s->agency_id,
						   "name", s->agency ? s->agency : ""));
	json_object_set_new(j, "transport_mode", str_or_null(s->transport_mode));
	json_t *items = json_array();
	for (size_t i = 0; i < s->nitems; i++)
		json_array_append_new(items, item_json(&s->items[i], ref));
	json_object_set_new(j, "items", items);
	if (summary)
		return j;
	json_object_set_new(j, "sharing", json_string(s->sharing ? s->sharing : "national"));
	json_object_set_new(j, "province", str_or_null(s->province));
	json_object_set_new(j, "locode", str_or_null(s->locode));
	json_object_set_new(j, "latitude", s->has_coords ? json_real(s->latitude) : json_null());
	json_object_set_new(j, "longitude", s->has_coords ? json_real(s->longitude) : json_null());
	json_object_set_new(j, "reason", str_or_null(s->reason));
	json_object_set_new(j, "detection_method", str_or_null(s->detection_method));
	json_object_set_new(j, "concealment", str_or_null(s->concealment));
	json_object_set_new(j, "concealment_code", str_or_null(s->concealment_code));
	json_object_set_new(j, "origin", country_list(s->origin));
	json_object_set_new(j, "transit", country_list(s->transit));
	json_object_set_new(j, "destination", country_list(s->destination));
	json_object_set_new(j, "offender_nationalities", country_list(s->offender_nationalities));
	json_object_set_new(j, "value",
			    s->has_value ? json_pack("{s:f, s:s}", "amount", s->value_amount,
						     "currency", s->value_currency ? s->value_currency : "")
					 : json_null());
	json_object_set_new(j, "legal_action", str_or_null(s->legal_action));
	json_object_set_new(j, "law", str_or_null(s->law));
	json_object_set_new(j, "sanctions", str_or_null(s->sanctions));
	json_object_set_new(j, "disposal", str_or_null(s->disposal));
	json_object_set_new(j, "notes", str_or_null(s->notes));
	json_object_set_new(j, "created_at", str_or_null(s->created_at));
	json_object_set_new(j, "updated_at", str_or_null(s->updated_at));
	return j;
}

/* ---- writing without building a tree ---- */

static void put_strn(struct dynbuf *b, const char *s, size_t n)
{
	jw_strn(b, s, n);
}

static void put_str(struct dynbuf *b, const char *s)
{
	put_strn(b, s, strlen(s));
}

/* "key": with the separator before it unless it is the object's first. */
static void put_key(struct dynbuf *b, const char *key, int first)
{
	char k[64];
	size_t kl = strlen(key), n = 0;
	if (kl > sizeof k - 4) { /* not one of this file's keys */
		if (!first)
			dynbuf_addc(b, ',');
		put_str(b, key);
		dynbuf_addc(b, ':');
		return;
	}
	if (!first)
		k[n++] = ',';
	k[n++] = '"';
	memcpy(k + n, key, kl + 1); /* its NUL is overwritten below */
	n += kl;
	k[n++] = '"';
	k[n++] = ':';
	dynbuf_add(b, k, n);
}

static void put_str_or_null(struct dynbuf *b, const char *s)
{
	if (s && *s)
		put_str(b, s);
	else
		dynbuf_add(b, "null", 4);
}

static void put_int(struct dynbuf *b, int64_t v)
{
	jw_int(b, v);
}

/* A real as jansson writes it: 17 significant digits, ".0" when it would
 * read as an integer. */
static void put_real(struct dynbuf *b, double v)
{
	char num[40];
	int n = snprintf(num, sizeof num, "%.17g", v);
	if (n < 0 || (size_t)n >= sizeof num - 3)
		n = snprintf(num, sizeof num, "0.0");
	else if (!strpbrk(num, ".eEnN"))
		n += snprintf(num + n, sizeof num - (size_t)n, ".0");
	dynbuf_add(b, num, (size_t)n);
}

static void put_country_list(struct dynbuf *b, const char *list)
{
	dynbuf_addc(b, '[');
	int first = 1;
	const char *p = list;
	while (p && *p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n) {
			if (!first)
				dynbuf_addc(b, ',');
			first = 0;
			put_strn(b, p, n);
		}
		if (!e)
			break;
		p = e + 1;
	}
	dynbuf_addc(b, ']');
}

static void put_item(struct dynbuf *b, const struct seizure_item *it, const struct refdata *ref)
{
	const struct taxon *t = ref ? refdata_taxon_by_id(ref, it->taxon_id) : NULL;
	put_key(b, "line", 1);
	put_int(b, it->line);
	put_key(b, "species", 0);
	put_str(b, it->species ? it->species : "");
	put_key(b, "taxon", 0);
	dynbuf_addc(b, '{');
	put_key(b, "id", 1);
	put_int(b, it->taxon_id);
	put_key(b, "name", 0);
	put_str(b, t ? t->full_name : (it->taxon_name ? it->taxon_name : ""));
	if (t) {
		put_key(b, "rank", 0);
		put_str_or_null(b, t->rank);
		put_key(b, "listing", 0);
		put_str_or_null(b, t->listing);
		put_key(b, "family", 0);
		put_str_or_null(b, t->family);
	}
	dynbuf_addc(b, '}');
	put_key(b, "term", 0);
	put_str(b, it->term ? it->term : "");
	put_key(b, "quantity", 0);
	put_real(b, it->quantity);
	put_key(b, "unit", 0);
	put_str(b, it->unit ? it->unit : "");
	put_key(b, "live", 0);
	dynbuf_adds(b, it->live < 0 ? "null" : it->live ? "true" : "false");
}

void seizure_json_write(struct dynbuf *b, const struct seizure *s, const struct refdata *ref,
			int summary)
{
	dynbuf_addc(b, '{');
	put_key(b, "id", 1);
	put_int(b, s->id);
	put_key(b, "ref", 0);
	put_str(b, s->ref ? s->ref : "");
	put_key(b, "version", 0);
	put_int(b, s->version);
	put_key(b, "date", 0);
	put_str(b, s->date ? s->date : "");
	put_key(b, "country", 0);
	put_str(b, s->country ? s->country : "");
	put_key(b, "place", 0);
	put_str_or_null(b, s->place);
	put_key(b, "agency", 0);
	dynbuf_addc(b, '{');
	put_key(b, "id", 1);
	put_int(b, s->agency_id);
	put_key(b, "name", 0);
	put_str(b, s->agency ? s->agency : "");
	dynbuf_addc(b, '}');
	put_key(b, "transport_mode", 0);
	put_str_or_null(b, s->transport_mode);
	put_key(b, "items", 0);
	dynbuf_addc(b, '[');
	for (size_t i = 0; i < s->nitems; i++) {
		if (i)
			dynbuf_addc(b, ',');
		dynbuf_addc(b, '{');
		put_item(b, &s->items[i], ref);
		dynbuf_addc(b, '}');
	}
	dynbuf_addc(b, ']');
	if (summary) {
		dynbuf_addc(b, '}');
		return;
	}
	put_key(b, "sharing", 0);
	put_str(b, s->sharing ? s->sharing : "national");
	put_key(b, "province", 0);
	put_str_or_null(b, s->province);
	put_key(b, "locode", 0);
	put_str_or_null(b, s->locode);
	put_key(b, "latitude", 0);
	if (s->has_coords)
		put_real(b, s->latitude);
	else
		dynbuf_add(b, "null", 4);
	put_key(b, "longitude", 0);
	if (s->has_coords)
		put_real(b, s->longitude);
	else
		dynbuf_add(b, "null", 4);
	put_key(b, "reason", 0);
	put_str_or_null(b, s->reason);
	put_key(b, "detection_method", 0);
	put_str_or_null(b, s->detection_method);
	put_key(b, "concealment", 0);
	put_str_or_null(b, s->concealment);
	put_key(b, "concealment_code", 0);
	put_str_or_null(b, s->concealment_code);
	put_key(b, "origin", 0);
	put_country_list(b, s->origin);
	put_key(b, "transit", 0);
	put_country_list(b, s->transit);
	put_key(b, "destination", 0);
	put_country_list(b, s->destination);
	put_key(b, "offender_nationalities", 0);
	put_country_list(b, s->offender_nationalities);
	put_key(b, "value", 0);
	if (s->has_value) {
		dynbuf_addc(b, '{');
		put_key(b, "amount", 1);
		put_real(b, s->value_amount);
		put_key(b, "currency", 0);
		put_str(b, s->value_currency ? s->value_currency : "");
		dynbuf_addc(b, '}');
	} else {
		dynbuf_add(b, "null", 4);
	}
	put_key(b, "legal_action", 0);
	put_str_or_null(b, s->legal_action);
	put_key(b, "law", 0);
	put_str_or_null(b, s->law);
	put_key(b, "sanctions", 0);
	put_str_or_null(b, s->sanctions);
	put_key(b, "disposal", 0);
	put_str_or_null(b, s->disposal);
	put_key(b, "notes", 0);
	put_str_or_null(b, s->notes);
	put_key(b, "created_at", 0);
	put_str_or_null(b, s->created_at);
	put_key(b, "updated_at", 0);
	put_str_or_null(b, s->updated_at);
	dynbuf_addc(b, '}');
}

/* ---- reading ---- */

static int read_item(json_t *o, struct seizure_item *it, size_t idx, struct arena *a,
		     struct error *err)
{
	char f[64];
#define F(name) (snprintf(f, sizeof f, "items[%zu].%s", idx, name), f)
	if (!json_is_object(o)) {
		snprintf(f, sizeof f, "items[%zu]", idx);
		return error_field(err, f, "must be an object with species, term, quantity, unit");
	}
	memset(it, 0, sizeof *it);
	it->live = -1;
	it->unit = "";
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (strcmp(key, "species") == 0) {
			json_read_text(v, F("species"), &it->species, a, err);
		} else if (strcmp(key, "taxon_id") == 0 || strcmp(key, "taxon") == 0) {
			json_t *idv = json_is_object(v) ? json_object_get(v, "id") : v;
			if (json_is_integer(idv))
				it->taxon_id = json_integer_value(idv);
			else if (!json_is_null(idv))
				error_field(err, F("taxon_id"), "must be a taxon id (integer)");
		} else if (strcmp(key, "term") == 0) {
			json_read_text(v, F("term"), &it->term, a, err);
		} else if (strcmp(key, "unit") == 0) {
			json_read_text(v, F("unit"), &it->unit, a, err);
			if (!it->unit)
				it->unit = "";
		} else if (strcmp(key, "quantity") == 0) {
			int has = 0;
			if (json_read_number(v, F("quantity"), &has, &it->quantity, err) == 0 && !has)
				it->quantity = 0;
		} else if (strcmp(key, "live") == 0) {
			if (json_is_null(v))
				it->live = -1;
			else if (json_is_boolean(v))
				it->live = json_is_true(v);
			else
				error_field(err, F("live"), "must be true, false or null");
		} else if (strcmp(key, "line") == 0) {
			/* output only; ignored on input */
		} else {
			error_field(err, F(key), "is not a field of a seizure item");
		}
	}
#undef F
	return 0;
}

int seizure_from_json(json_t *obj, struct seizure *s, struct arena *a, struct error *err)
{
	if (!json_is_object(obj))
		return error_set(err, ERR_BAD_REQUEST, "the body must be a JSON object");
	size_t before = err->nfields;
	const char *key;
	json_t *v;
	int saw_lat = 0, saw_lon = 0, has_lat = s->has_coords, has_lon = s->has_coords;
	json_object_foreach(obj, key, v) {
		struct {
			const char *name;
			const char **slot;
		} texts[] = {
			{ "ref", &s->ref }, { "sharing", &s->sharing }, { "date", &s->date },
			{ "country", &s->country }, { "place", &s->place },
			{ "province", &s->province }, { "locode", &s->locode },
			{ "reason", &s->reason }, { "transport_mode", &s->transport_mode },
			{ "detection_method", &s->detection_method },
			{ "concealment", &s->concealment },
			{ "concealment_code", &s->concealment_code },
			{ "legal_action", &s->legal_action }, { "law", &s->law },
			{ "sanctions", &s->sanctions }, { "disposal", &s->disposal },
			{ "notes", &s->notes },
		};
		int done = 0;
		for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
			if (strcmp(key, texts[i].name) == 0) {
				json_read_text(v, key, texts[i].slot, a, err);
				done = 1;
			}
		if (done)
			continue;
		if (strcmp(key, "origin") == 0) {
			json_read_countries(v, key, &s->origin, a, err);
		} else if (strcmp(key, "transit") == 0) {
			json_read_countries(v, key, &s->transit, a, err);
		} else if (strcmp(key, "destination") == 0) {
			json_read_countries(v, key, &s->destination, a, err);
		} else if (strcmp(key, "offender_nationalities") == 0) {
			json_read_countries(v, key, &s->offender_nationalities, a, err);
		} else if (strcmp(key, "latitude") == 0) {
			json_read_number(v, key, &has_lat, &s->latitude, err);
			saw_lat = 1;
		} else if (strcmp(key, "longitude") == 0) {
			json_read_number(v, key, &has_lon, &s->longitude, err);
			saw_lon = 1;
		} else if (strcmp(key, "value") == 0) {
			if (json_is_null(v)) {
				s->has_value = 0;
				s->value_currency = NULL;
			} else if (!json_is_object(v)) {
				error_field(err, "value", "must be {\"amount\": …, \"currency\": …} or null");
			} else {
				json_read_number(json_object_get(v, "amount"), "value.amount", &s->has_value,
					    &s->value_amount, err);
				json_t *c = json_object_get(v, "currency");
				if (c)
					json_read_text(c, "value.currency", &s->value_currency, a, err);
			}
		} else if (strcmp(key, "value_amount") == 0) {
			json_read_number(v, key, &s->has_value, &s->value_amount, err);
		} else if (strcmp(key, "value_currency") == 0) {
			json_read_text(v, key, &s->value_currency, a, err);
		} else if (strcmp(key, "agency") == 0 || strcmp(key, "agency_id") == 0) {
			json_t *idv = json_is_object(v) ? json_object_get(v, "id") : v;
			if (json_is_integer(idv))
				s->agency_id = json_integer_value(idv);
			else if (json_is_string(idv))
				s->agency = arena_strdup(a, json_string_value(idv));
			else
				error_field(err, key, "must be an agency id or name");
		} else if (strcmp(key, "items") == 0) {
			if (!json_is_array(v)) {
				error_field(err, "items", "must be a list of items");
				continue;
			}
			size_t n = json_array_size(v);
			s->items = arena_alloc(a, (n ? n : 1) * sizeof *s->items);
			s->nitems = n;
			for (size_t i = 0; i < n; i++)
				read_item(json_array_get(v, i), &s->items[i], i, a, err);
		} else if (strcmp(key, "version") == 0) {
			if (json_is_integer(v))
				s->version = json_integer_value(v);
			else
				error_field(err, "version", "must be an integer");
		} else if (strcmp(key, "id") == 0 || strcmp(key, "created_at") == 0 ||
			   strcmp(key, "updated_at") == 0) {
			/* read-only; ignored so a GET result can be sent back */
		} else {
			error_field(err, key, "is not a field of a seizure");
		}
	}
	if (saw_lat || saw_lon) {
		if (has_lat != has_lon)
			error_field(err, has_lat ? "longitude" : "latitude",
				    "latitude and longitude go together: give both or neither");
		s->has_coords = has_lat && has_lon;
	}
	return err->nfields > before ? -1 : 0;
}
