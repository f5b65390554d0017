/* Operations on parties, identifiers and links: access rules, one
 * transaction per write, audit. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/viewlog.h"
#include "lib/clock.h"
#include "lib/dynbuf.h"
#include "party/identifier.h"
#include "party/party.h"
#include "seizure/seizure.h"
#include "store/store.h"
#include "text/fold.h"

int party_may_write(const struct actor *who, int64_t agency_id)
{
	if (who->role == ROLE_ADMIN)
		return 1;
	return who->role >= ROLE_OFFICER && who->agency_id == agency_id;
}

int party_may_see(const struct actor *who, int64_t agency_id, const char *sharing)
{
	return who->role == ROLE_ADMIN || agency_id == who->agency_id ||
	       (sharing && strcmp(sharing, "national") == 0);
}

const char *party_main_name(const struct party *p)
{
	for (size_t i = 0; i < p->nnames; i++)
		if (p->names[i].kind && strcmp(p->names[i].kind, "full") == 0)
			return p->names[i].name;
	return p->nnames ? p->names[0].name : "";
}

static json_t *party_detail(const struct party *p)
{
	json_t *names = json_array();
	for (size_t i = 0; i < p->nnames; i++)
		json_array_append_new(names, json_string(p->names[i].name));
	return json_pack("{s:s, s:I, s:o}", "kind", p->kind ? p->kind : "", "version",
			 (json_int_t)p->version, "names", names);
}

static json_t *link_detail(const char *what, int64_t other, const struct link_info *l)
{
	json_t *j = json_object();
	json_object_set_new(j, what, json_integer(other));
	json_object_set_new(j, "role", json_string(l->role ? l->role : ""));
	if (l->source)
		json_object_set_new(j, "source", json_string(l->source));
	if (l->date)
		json_object_set_new(j, "date", json_string(l->date));
	if (l->seizure_id)
		json_object_set_new(j, "seizure_id", json_integer(l->seizure_id));
	return j;
}

/* Reads a party the actor may see; ERR_NOT_FOUND otherwise. */
static int visible_party(struct store *st, const struct actor *who, int64_t id,
			 struct party *out, struct arena *a, struct error *err)
{
	if (store_party_get(st, id, out, a, err) != 0)
		return -1;
	if (!party_may_see(who, out->agency_id, out->sharing))
		return error_set(err, ERR_NOT_FOUND, "party %lld not found", (long long)id);
	return 0;
}

static int writable_party(struct store *st, const struct actor *who, int64_t id,
			  struct party *out, struct arena *a, struct error *err)
{
	if (visible_party(st, who, id, out, a, err) != 0)
		return -1;
	if (!party_may_write(who, out->agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 "your role (%s) may not change this agency's parties",
				 role_name(who->role));
	return 0;
}

static int visible_seizure(struct store *st, const struct actor *who, int64_t id,
			   struct seizure *out, struct arena *a, struct error *err)
{
	if (store_seizure_get(st, id, out, a, err) != 0)
		return -1;
	if (!party_may_see(who, out->agency_id, out->sharing))
		return error_set(err, ERR_NOT_FOUND, "seizure %lld not found", (long long)id);
	return 0;
}

/* The origin seizure of a link, when given, must be one the actor sees. */
static int check_origin(struct store *st, const struct actor *who, struct link_info *l,
			const char *field, struct arena *a, struct error *err)
{
	if (!l->seizure_id)
		return 0;
	struct seizure s;
	struct error e = ERROR_INIT;
	int rc = visible_seizure(st, who, l->seizure_id, &s, a, &e);
	if (rc != 0) {
		if (e.code == ERR_NOT_FOUND)
			error_field(err, field, "seizure %lld not found", (long long)l->seizure_id);
		else
			error_set(err, e.code, "%s", e.message ? e.message : "");
	}
	error_clear(&e);
	return rc;
}

/* ---- parties -------------------------------------------------------------- */

static int ident_prepare(struct store *st, const struct refdata *ref, const struct actor *who,
			 struct identifier *in, const char *prefix, struct arena *a,
			 struct error *err);
static int ident_save_in_tx(struct store *st, const struct actor *who, struct identifier *in,
			    struct identifier *out, struct arena *a, struct error *err);
static int link_in_tx(struct store *st, const struct actor *who, enum store_link t,
		      int64_t from, int64_t to, const struct link_info *l, const char *entity,
		      int64_t entity_id, const char *what, int64_t other, int *created,
		      struct error *err);

struct save_ctx {
	struct store *st;
	const struct refdata *ref;
	const struct actor *who;
	struct party *p;
	int64_t existing_version;
	const char *action;
	struct arena *a;
	int64_t seizure_id;       /* link the new party to this seizure with l */
	struct link_info *l;
};

/* Checks the identifiers given with a new party (all of them, every error). */
static int check_new_idents(struct store *st, const struct refdata *ref,
			    const struct actor *who, struct party *p, struct arena *a,
			    struct error *err)
{
	size_t before = err->nfields;
	for (size_t i = 0; i < p->nnew_idents; i++) {
		struct party_new_ident *x = &p->new_idents[i];
		char prefix[48], f[64];
		snprintf(prefix, sizeof prefix, "identifiers[%zu].", i);
		ident_prepare(st, ref, who, &x->ident, prefix, a, err);
		link_info_validate(&x->link, prefix, a, err);
		if (!x->link.role)
			x->link.role = "uses";
		snprintf(f, sizeof f, "%srole", prefix);
		party_check_role(err, f, &x->link.role, party_identifier_roles, a);
		snprintf(f, sizeof f, "%sseizure_id", prefix);
		if (check_origin(st, who, &x->link, f, a, err) != 0 && err->code != ERR_VALIDATION)
			return -1;
	}
	return err->nfields > before ? -1 : 0;
}

static int save_body(void *v, struct error *err)
{
	struct save_ctx *c = v;
	char now[32];
	clock_iso(now, sizeof now);
	c->p->updated_at = arena_strdup(c->a, now);
	c->p->updated_by = c->who->user_id;
	int rc;
	if (c->existing_version) {
		c->p->version = c->existing_version + 1;
		rc = store_party_replace(c->st, c->p, err);
	} else {
		c->p->version = 1;
		c->p->created_at = c->p->updated_at;
		c->p->created_by = c->who->user_id;
		rc = store_party_insert(c->st, c->p, err);
	}
	if (rc != 0 ||
	    audit_append_json(c->st, c->who, c->action, "party", c->p->id, party_detail(c->p), err) != 0)
		return -1;
	for (size_t i = 0; i < c->p->nnew_idents; i++) {
		struct party_new_ident *x = &c->p->new_idents[i];
		struct identifier saved;
		int created;
		if (ident_save_in_tx(c->st, c->who, &x->ident, &saved, c->a, err) != 0 ||
		    link_in_tx(c->st, c->who, LINK_PARTY_IDENTIFIER, c->p->id, saved.id, &x->link,
			       "party", c->p->id, "identifier_id", saved.id, &created, err) != 0)
			return -1;
		x->ident = saved;
	}
	if (c->seizure_id) {
		int created;
		if (link_in_tx(c->st, c->who, LINK_PARTY_SEIZURE, c->p->id, c->seizure_id, c->l,
			       "party", c->p->id, "seizure_id", c->seizure_id, &created, err) != 0)
			return -1;
	}
	return 0;
}

int party_check_new(struct store *st, const struct refdata *ref, const struct actor *who,
		    struct party *p, struct arena *a, struct error *err)
{
	size_t before = err->nfields;
	party_validate(ref, p, a, err);
	check_new_idents(st, ref, who, p, a, err);
	return err->nfields > before ? -1 : 0;
}

int party_create(struct store *st, const struct refdata *ref, const struct actor *who,
		 struct party *p, struct arena *a, struct error *err)
{
	if (!p->agency_id)
		p->agency_id = who->agency_id;
	if (!party_may_write(who, p->agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 who->role < ROLE_OFFICER
					 ? "your role (%s) may not record parties"
					 : "your role (%s) may record parties for your own agency only",
				 role_name(who->role));
	if (party_check_new(st, ref, who, p, a, err) != 0)
		return -1;
	struct save_ctx c = { st, ref, who, p, 0, "create", a, 0, NULL };
	return store_in_tx(st, save_body, &c, err);
}

int party_create_in_seizure(struct store *st, const struct refdata *ref,
			    const struct actor *who, int64_t seizure_id, struct party *p,
			    struct link_info *l, struct arena *a, struct error *err)
{
	struct seizure s;
	if (visible_seizure(st, who, seizure_id, &s, a, err) != 0)
		return -1;
	if (!p->agency_id)
		p->agency_id = who->agency_id;
	if (!party_may_write(who, p->agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 who->role < ROLE_OFFICER
					 ? "your role (%s) may not record parties"
					 : "your role (%s) may record parties for your own agency only",
				 role_name(who->role));
	size_t before = err->nfields;
	struct error perr = ERROR_INIT;
	party_check_new(st, ref, who, p, a, &perr);
	error_merge_fields(err, &perr, "party.");
	error_clear(&perr);
	link_info_validate(l, "", a, err);
	party_check_role(err, "role", &l->role, party_seizure_roles, a);
	if (err->nfields > before)
		return -1;
	l->seizure_id = seizure_id;
	struct save_ctx c = { st, ref, who, p, 0, "create", a, seizure_id, l };
	return store_in_tx(st, save_body, &c, err);
}

int party_update(struct store *st, const struct refdata *ref, const struct actor *who,
		 int64_t id, struct party *p, struct arena *a, struct error *err)
{
	struct party old;
	if (writable_party(st, who, id, &old, a, err) != 0)
		return -1;
	if (!party_may_write(who, p->agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 "your role (%s) may not give a party to another agency",
				 role_name(who->role));
	if (p->version != old.version)
		return error_set(err, ERR_CONFLICT,
				 "party %lld was changed by someone else (you edited version %lld, "
				 "it is now at version %lld); reload it and apply your change again",
				 (long long)id, (long long)p->version, (long long)old.version);
	if (party_validate(ref, p, a, err) != 0)
		return -1;
	p->id = id;
	p->created_at = old.created_at;
	p->created_by = old.created_by;
	p->nnew_idents = 0;
	struct save_ctx c = { st, ref, who, p, old.version, "update", a, 0, NULL };
	return store_in_tx(st, save_body, &c, err);
}

struct delete_ctx {
	struct store *st;
	const struct actor *who;
	const struct party *old;
	int64_t version;
};

static int delete_body(void *v, struct error *err)
{
	struct delete_ctx *c = v;
	if (store_party_delete(c->st, c->old->id, c->version, err) != 0)
		return -1;
	return audit_append_json(c->st, c->who, "delete", "party", c->old->id, party_detail(c->old), err);
}

int party_delete(struct store *st, const struct actor *who, int64_t id, int64_t version,
		 struct error *err)
{
	if (who->role != ROLE_ADMIN)
		return error_set(err, ERR_FORBIDDEN, "only an administrator may delete a party");
	struct arena a;
	arena_init(&a);
	struct party old;
	int rc = store_party_get(st, id, &old, &a, err);
	if (rc == 0) {
		struct delete_ctx c = { st, who, &old, version };
		rc = store_in_tx(st, delete_body, &c, err);
	}
	arena_free(&a);
	return rc;
}

int party_get(struct store *st, const struct actor *who, int64_t id, struct party *out,
	      struct arena *a, struct error *err)
{
	return visible_party(st, who, id, out, a, err);
}

int party_record_view(struct store *st, struct viewlog *views, const struct actor *who,
		      const char *entity, int64_t id, struct error *err)
{
	if (views) {
		viewlog_record(views, who, entity, id);
		return 0;
	}
	if (store_begin(st, err) != 0)
		return -1;
	if (audit_append(st, who, "view", entity, id, NULL, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* "Manis javanica (SCA 1200.5 KIL); Panthera tigris (BON 2)" */
static const char *species_summary(const struct seizure *s, struct arena *a)
{
	struct dynbuf b = DYNBUF_INIT(4096);
	for (size_t i = 0; i < s->nitems; i++) {
		const struct seizure_item *it = &s->items[i];
		dynbuf_addf(&b, "%s%s (%s %g%s%s)", i ? "; " : "",
			    it->taxon_name ? it->taxon_name : (it->species ? it->species : "?"),
			    it->term ? it->term : "", it->quantity, it->unit && *it->unit ? " " : "",
			    it->unit ? it->unit : "");
	}
	const char *out = arena_strdup(a, dynbuf_str(&b));
	dynbuf_free(&b);
	return out;
}

static int event_newest_first(const void *x, const void *y)
{
	const struct party_event *a = x, *b = y;
	int c = strcmp(b->date, a->date);
	if (c)
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

static void add_event(struct party_page *pg, size_t *cap, struct arena *a, const char *date,
		      const char *type, const struct link_info *l, int64_t id, const char *label)
{
	if (!date || !*date)
		return;
	pg->timeline = arena_grow(a, pg->timeline, pg->ntimeline, cap, sizeof *pg->timeline);
	struct party_event *e = &pg->timeline[pg->ntimeline++];
	e->date = date;
	e->type = type;
	e->role = l->role;
	e->source = l->source;
	e->id = id;
	e->label = label ? label : "";
}

int party_page(struct store *st, const struct actor *who, int64_t id, struct party_page *out,
	       struct arena *a, struct error *err)
{
	memset(out, 0, sizeof *out);
	if (visible_party(st, who, id, &out->party, a, err) != 0 ||
	    store_party_links(st, id, out, a, err) != 0)
		return -1;
	/* seizures: keep the visible ones, with their summary */
	if (out->nseizures) {
		int64_t *ids = arena_alloc(a, out->nseizures * sizeof *ids);
		for (size_t i = 0; i < out->nseizures; i++)
			ids[i] = out->seizures[i].link.seizure_id;
		struct seizure *ss = arena_alloc(a, out->nseizures * sizeof *ss);
		size_t ns = 0;
		if (store_seizure_get_many(st, ids, out->nseizures, ss, &ns, a, err) != 0)
			return -1;
		size_t keep = 0;
		for (size_t i = 0; i < out->nseizures; i++) {
			struct party_seizure_link *x = &out->seizures[i];
			const struct seizure *s = NULL;
			for (size_t j = 0; j < ns; j++)
				if (ss[j].id == x->link.seizure_id)
					s = &ss[j];
			if (!s || !party_may_see(who, s->agency_id, s->sharing))
				continue;
			x->ref = s->ref;
			x->date = s->date;
			x->country = s->country;
			x->agency = s->agency;
			x->agency_id = s->agency_id;
			x->species = species_summary(s, a);
			out->seizures[keep++] = *x;
		}
		out->nseizures = keep;
	}
	size_t keep = 0;
	for (size_t i = 0; i < out->nrelations; i++) {
		struct party_relation_link *x = &out->relations[i];
		if (party_may_see(who, x->other_agency_id, x->other_sharing))
			out->relations[keep++] = *x;
	}
	out->nrelations = keep;
	size_t cap = 0;
	for (size_t i = 0; i < out->nidents; i++)
		add_event(out, &cap, a, out->idents[i].link.date, "identifier", &out->idents[i].link,
			  out->idents[i].ident.id, out->idents[i].ident.display);
	for (size_t i = 0; i < out->nseizures; i++) {
		struct party_seizure_link *x = &out->seizures[i];
		add_event(out, &cap, a, x->link.date ? x->link.date : x->date, "seizure", &x->link,
			  x->link.seizure_id, x->ref);
	}
	for (size_t i = 0; i < out->nrelations; i++)
		add_event(out, &cap, a, out->relations[i].link.date, "relation",
			  &out->relations[i].link, out->relations[i].other_id,
			  out->relations[i].other_name);
	if (out->ntimeline > 1)
		qsort(out->timeline, out->ntimeline, sizeof *out->timeline, event_newest_first);
	return 0;
}

int party_list(struct store *st, const struct actor *who, const struct party_filter *f,
	       struct party_list *out, struct arena *a, struct error *err)
{
	struct party_filter g = *f;
	if (g.q && *g.q)
		g.q = text_fold(a, g.q, strlen(g.q));
	return store_party_list(st, who, &g, out, a, err);
}

const char *party_cursor_encode(struct arena *a, int64_t last_id)
{
	return arena_sprintf(a, "p%lld", (long long)last_id);
}

int party_cursor_decode(const char *cursor, struct party_filter *f)
{
	if (!cursor || cursor[0] != 'p' || cursor[1] < '1' || cursor[1] > '9')
		return -1;
	char *end;
	long long id = strtoll(cursor + 1, &end, 10);
	if (*end || id <= 0)
		return -1;
	f->after_id = id;
	return 0;
}

/* ---- identifiers ------------------------------------------------------------ */

/*
 * Validates and normalises in (kind, value, qualifiers) into key and
 * display.  ident_normalise's field "date" is reported as "flight_date".
 */
static int ident_prepare(struct store *st, const struct refdata *ref, const struct actor *who,
			 struct identifier *in, const char *prefix, struct arena *a,
			 struct error *err)
{
	char f[96];
	enum ident_kind kind;
	if (!in->kind || !*in->kind) {
		snprintf(f, sizeof f, "%skind", prefix);
		return error_field(err, f, "is required (phone, email, passport, id_card, plate, "
					   "vessel, flight, container, bill_of_lading, airway_bill, "
					   "bank_account, handle or address)");
	}
	if (ident_kind_parse(in->kind, &kind) != 0) {
		snprintf(f, sizeof f, "%skind", prefix);
		return error_field(err, f, "\"%s\" is not a kind of identifier (phone, email, "
					   "passport, id_card, plate, vessel, flight, container, "
					   "bill_of_lading, airway_bill, bank_account, handle or "
					   "address)",
				   in->kind);
	}
	if (!in->value || !*in->value) {
		snprintf(f, sizeof f, "%svalue", prefix);
		return error_field(err, f, "is required");
	}
	struct ident_input ii = { kind, in->value, in->country, in->platform, in->date,
				  in->province };
	if (kind == IDENT_PHONE && (!in->country || !*in->country)) {
		/* a number without its international prefix is taken to be of the
		 * recording agency's country */
		struct agency_rec ag;
		struct error e = ERROR_INIT;
		if (store_agency_by_id(st, who->agency_id, &ag, a, &e) == 0)
			ii.country = ag.country;
		error_clear(&e);
	}
	struct dynbuf key = DYNBUF_INIT(4096), display = DYNBUF_INIT(4096);
	struct error e = ERROR_INIT;
	int rc = ident_normalise(&ii, ref, &key, &display, &e);
	if (rc == 0) {
		in->key = arena_strdup(a, dynbuf_str(&key));
		in->display = arena_strdup(a, dynbuf_str(&display));
		in->kind = ident_kind_name(kind);
	} else if (e.nfields) {
		for (size_t i = 0; i < e.nfields; i++) {
			const char *name = strcmp(e.fields[i].field, "date") == 0 ? "flight_date"
										    : e.fields[i].field;
			snprintf(f, sizeof f, "%s%s", prefix, name);
			error_field(err, f, "%s", e.fields[i].message);
		}
	} else {
		snprintf(f, sizeof f, "%svalue", prefix);
		if (e.code == ERR_TOO_LARGE)
			error_field(err, f, "is too long");
		else
			error_field(err, f, "%s", e.message ? e.message : "is not valid");
	}
	error_clear(&e);
	dynbuf_free(&key);
	dynbuf_free(&display);
	return rc == 0 ? 0 : -1;
}

/* Finds the identifier with in's key or records it (audited); *out is it. */
static int ident_save_in_tx(struct store *st, const struct actor *who, struct identifier *in,
			    struct identifier *out, struct arena *a, struct error *err)
{
	int found = store_identifier_find(st, in->kind, in->key, out, a, err);
	if (found < 0)
		return -1;
	if (found)
		return 0;
	char now[32];
	clock_iso(now, sizeof now);
	in->agency_id = who->agency_id;
	in->created_at = arena_strdup(a, now);
	in->created_by = who->user_id;
	if (store_identifier_insert(st, in, err) != 0)
		return -1;
	*out = *in;
	json_t *d = json_pack("{s:s, s:s}", "kind", in->kind, "key", in->key);
	return audit_append_json(st, who, "create", "identifier", in->id, d, err);
}

/* Inserts a link and audits it on entity/entity_id when it is new. */
static int link_in_tx(struct store *st, const struct actor *who, enum store_link t,
		      int64_t from, int64_t to, const struct link_info *l, const char *entity,
		      int64_t entity_id, const char *what, int64_t other, int *created,
		      struct error *err)
{
	char now[32];
	clock_iso(now, sizeof now);
	int64_t link_id;
	if (store_link_insert(st, t, from, to, l, who->user_id, now, &link_id, created, err) != 0)
		return -1;
	if (!*created)
		return 0;
	return audit_append_json(st, who, "link", entity, entity_id, link_detail(what, other, l), err);
}

struct add_ident_ctx {
	struct store *st;
	const struct actor *who;
	enum store_link t;
	int64_t owner;            /* party or seizure id */
	const char *entity;
	struct identifier *in, *out;
	struct link_info *l;
	int *created;
	struct arena *a;
};

static int add_ident_body(void *v, struct error *err)
{
	struct add_ident_ctx *c = v;
	if (ident_save_in_tx(c->st, c->who, c->in, c->out, c->a, err) != 0)
		return -1;
	if (c->t == LINK_PARTY_IDENTIFIER)
		return link_in_tx(c->st, c->who, c->t, c->owner, c->out->id, c->l, c->entity,
				  c->owner, "identifier_id", c->out->id, c->created, err);
	return link_in_tx(c->st, c->who, c->t, c->out->id, c->owner, c->l, c->entity, c->owner,
			  "identifier_id", c->out->id, c->created, err);
}

int party_add_identifier(struct store *st, const struct refdata *ref, const struct actor *who,
			 int64_t party_id, struct identifier *in, struct link_info *l,
			 struct identifier *ident_out, int *created_link, struct arena *a,
			 struct error *err)
{
	struct party p;
	if (writable_party(st, who, party_id, &p, a, err) != 0)
		return -1;
	size_t before = err->nfields;
	ident_prepare(st, ref, who, in, "", a, err);
	link_info_validate(l, "", a, err);
	if (!l->role)
		l->role = "uses";
	party_check_role(err, "role", &l->role, party_identifier_roles, a);
	if (err->nfields > before)
		return -1;
	if (check_origin(st, who, l, "seizure_id", a, err) != 0)
		return -1;
	struct add_ident_ctx c = { st, who, LINK_PARTY_IDENTIFIER, party_id, "party", in,
				   ident_out, l, created_link, a };
	return store_in_tx(st, add_ident_body, &c, err);
}

int seizure_add_identifier(struct store *st, const struct refdata *ref, const struct actor *who,
			   int64_t seizure_id, struct identifier *in, struct link_info *l,
			   struct identifier *ident_out, int *created_link, struct arena *a,
			   struct error *err)
{
	struct seizure s;
	if (visible_seizure(st, who, seizure_id, &s, a, err) != 0)
		return -1;
	if (!seizure_may_write(who, s.agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 "your role (%s) may not change this agency's seizures",
				 role_name(who->role));
	size_t before = err->nfields;
	ident_prepare(st, ref, who, in, "", a, err);
	link_info_validate(l, "", a, err);
	if (!l->role)
		l->role = "seen_in";
	static const char *const roles[] = { "seen_in", NULL };
	party_check_role(err, "role", &l->role, roles, a);
	if (err->nfields > before)
		return -1;
	l->seizure_id = 0;
	struct add_ident_ctx c = { st, who, LINK_IDENTIFIER_SEIZURE, seizure_id, "seizure", in,
				   ident_out, l, created_link, a };
	return store_in_tx(st, add_ident_body, &c, err);
}

struct unlink_ctx {
	struct store *st;
	const struct actor *who;
	enum store_link t;
	int64_t from, to;
	const char *role;
	const char *entity, *what;
};

static int unlink_body(void *v, struct error *err)
{
	struct unlink_ctx *c = v;
	int64_t n;
	if (store_link_delete(c->st, c->t, c->from, c->to, c->role, &n, err) != 0)
		return -1;
	if (n == 0)
		return error_set(err, ERR_NOT_FOUND, "no such link");
	struct link_info l = { c->role ? c->role : "*", NULL, NULL, 0 };
	return audit_append_json(c->st, c->who, "unlink", c->entity, c->from,
			  link_detail(c->what, c->to, &l), err);
}

int party_remove_identifier(struct store *st, const struct actor *who, int64_t party_id,
			    int64_t ident_id, const char *role, struct error *err)
{
	struct arena a;
	arena_init(&a);
	struct party p;
	int rc = writable_party(st, who, party_id, &p, &a, err);
	if (rc == 0) {
		struct unlink_ctx c = { st, who, LINK_PARTY_IDENTIFIER, party_id, ident_id, role,
					"party", "identifier_id" };
		rc = store_in_tx(st, unlink_body, &c, err);
	}
	arena_free(&a);
	return rc;
}

/* ---- inside the caller's transaction (party.h) ---------------------------- */

int party_create_in_tx(struct store *st, const struct actor *who, struct party *p,
		       struct arena *a, struct error *err)
{
	struct save_ctx c = { st, NULL, who, p, 0, "create", a, 0, NULL };
	return save_body(&c, err);
}

int identifier_save_in_tx(struct store *st, const struct actor *who, struct identifier *in,
			  struct identifier *out, struct arena *a, struct error *err)
{
	return ident_save_in_tx(st, who, in, out, a, err);
}

int party_link_identifier_in_tx(struct store *st, const struct actor *who, int64_t party_id,
				int64_t ident_id, const struct link_info *l, int *created,
				struct error *err)
{
	return link_in_tx(st, who, LINK_PARTY_IDENTIFIER, party_id, ident_id, l, "party", party_id,
			  "identifier_id", ident_id, created, err);
}

int party_link_seizure_in_tx(struct store *st, const struct actor *who, int64_t party_id,
			     int64_t seizure_id, const struct link_info *l, int *created,
			     struct error *err)
{
	return link_in_tx(st, who, LINK_PARTY_SEIZURE, party_id, seizure_id, l, "party", party_id,
			  "seizure_id", seizure_id, created, err);
}

int seizure_link_identifier_in_tx(struct store *st, const struct actor *who,
				  int64_t seizure_id, int64_t ident_id, const struct link_info *l,
				  int *created, struct error *err)
{
	return link_in_tx(st, who, LINK_IDENTIFIER_SEIZURE, ident_id, seizure_id, l, "seizure",
			  seizure_id, "identifier_id", ident_id, created, err);
}

/* ---- party <-> seizure ------------------------------------------------------ */

struct link_ctx {
	struct store *st;
	const struct actor *who;
	enum store_link t;
	int64_t from, to;
	struct link_info *l;
	const char *what;
	int *created;
};

static int link_body(void *v, struct error *err)
{
	struct link_ctx *c = v;
	return link_in_tx(c->st, c->who, c->t, c->from, c->to, c->l, "party", c->from, c->what,
			  c->to, c->created, err);
}

/* The actor sees party and seizure and may write one of them. */
static int party_seizure_access(struct store *st, const struct actor *who, int64_t party_id,
				int64_t seizure_id, struct arena *a, struct error *err)
{
	struct party p;
	struct seizure s;
	if (visible_party(st, who, party_id, &p, a, err) != 0 ||
	    visible_seizure(st, who, seizure_id, &s, a, err) != 0)
		return -1;
	if (!party_may_write(who, p.agency_id) && !seizure_may_write(who, s.agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 "your role (%s) may not change this party or this seizure",
				 role_name(who->role));
	return 0;
}

int party_link_seizure(struct store *st, const struct actor *who, int64_t party_id,
		       int64_t seizure_id, struct link_info *l, int *created_link,
		       struct arena *a, struct error *err)
{
	if (party_seizure_access(st, who, party_id, seizure_id, a, err) != 0)
		return -1;
	size_t before = err->nfields;
	link_info_validate(l, "", a, err);
	party_check_role(err, "role", &l->role, party_seizure_roles, a);
	if (err->nfields > before)
		return -1;
	l->seizure_id = seizure_id;
	struct link_ctx c = { st, who, LINK_PARTY_SEIZURE, party_id, seizure_id, l, "seizure_id",
			      created_link };
	return store_in_tx(st, link_body, &c, err);
}

int party_unlink_seizure(struct store *st, const struct actor *who, int64_t party_id,
			 int64_t seizure_id, const char *role, struct error *err)
{
	struct arena a;
	arena_init(&a);
	int rc = party_seizure_access(st, who, party_id, seizure_id, &a, err);
	if (rc == 0) {
		struct unlink_ctx c = { st, who, LINK_PARTY_SEIZURE, party_id, seizure_id, role,
					"party", "seizure_id" };
		rc = store_in_tx(st, unlink_body, &c, err);
	}
	arena_free(&a);
	return rc;
}

/* ---- party <-> party -------------------------------------------------------- */

static int relation_access(struct store *st, const struct actor *who, int64_t party_id,
			   int64_t other_id, struct arena *a, struct error *err)
{
	struct party p, o;
	if (visible_party(st, who, party_id, &p, a, err) != 0)
		return -1;
	struct error e = ERROR_INIT;
	if (visible_party(st, who, other_id, &o, a, &e) != 0) {
		error_clear(&e);
		return error_field(err, "party_id", "party %lld not found", (long long)other_id);
	}
	if (!party_may_write(who, p.agency_id) && !party_may_write(who, o.agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 "your role (%s) may not change either of these parties",
				 role_name(who->role));
	return 0;
}

int party_add_relation(struct store *st, const struct actor *who, int64_t party_id,
		       int64_t other_id, struct link_info *l, int *created_link,
		       struct arena *a, struct error *err)
{
	if (other_id == party_id)
		return error_field(err, "party_id", "a party cannot be related to itself");
	if (other_id <= 0)
		return error_field(err, "party_id", "is required: the other party's id");
	if (relation_access(st, who, party_id, other_id, a, err) != 0)
		return -1;
	size_t before = err->nfields;
	link_info_validate(l, "", a, err);
	party_check_role(err, "kind", &l->role, party_relation_kinds, a);
	if (err->nfields > before)
		return -1;
	if (check_origin(st, who, l, "seizure_id", a, err) != 0)
		return -1;
	int64_t from = party_id, to = other_id;
	/* family and associate read both ways: one row, smaller id first */
	if ((strcmp(l->role, "family") == 0 || strcmp(l->role, "associate") == 0) && to < from) {
		from = other_id;
		to = party_id;
	}
	struct link_ctx c = { st, who, LINK_PARTY_RELATION, from, to, l, "party_id", created_link };
	return store_in_tx(st, link_body, &c, err);
}

int party_remove_relation(struct store *st, const struct actor *who, int64_t party_id,
			  int64_t other_id, const char *kind, struct error *err)
{
	struct arena a;
	arena_init(&a);
	int rc = relation_access(st, who, party_id, other_id, &a, err);
	if (rc == 0) {
		struct unlink_ctx c = { st, who, LINK_PARTY_RELATION, party_id, other_id, kind,
					"party", "party_id" };
		rc = store_in_tx(st, unlink_body, &c, err);
	}
	arena_free(&a);
	return rc;
}

/* ---- reads by seizure and identifier ---------------------------------------- */

int seizure_parties(struct store *st, const struct actor *who, int64_t seizure_id,
		    struct seizure_party **out, size_t *n, struct seizure_ident **idents,
		    size_t *nidents, struct arena *a, struct error *err)
{
	struct seizure s;
	if (visible_seizure(st, who, seizure_id, &s, a, err) != 0 ||
	    store_seizure_party_links(st, seizure_id, out, n, idents, nidents, a, err) != 0)
		return -1;
	size_t keep = 0;
	for (size_t i = 0; i < *n; i++) {
		const struct party *p = &(*out)[i].party;
		if (party_may_see(who, p->agency_id, p->sharing) && !p->merged_into)
			(*out)[keep++] = (*out)[i];
	}
	*n = keep;
	return 0;
}

int identifier_page(struct store *st, const struct actor *who, int64_t id,
		    struct identifier_page *out, struct arena *a, struct error *err)
{
	memset(out, 0, sizeof *out);
	if (store_identifier_get(st, id, &out->ident, a, err) != 0)
		return -1;
	int vis = store_identifier_visible(st, who, id, err);
	if (vis < 0)
		return -1;
	if (!vis)
		return error_set(err, ERR_NOT_FOUND, "identifier %lld not found", (long long)id);
	if (store_identifier_links(st, id, &out->parties, &out->nparties, &out->seizures,
				   &out->nseizures, a, err) != 0)
		return -1;
	size_t keep = 0;
	for (size_t i = 0; i < out->nparties; i++) {
		const struct party *p = &out->parties[i].party;
		if (party_may_see(who, p->agency_id, p->sharing))
			out->parties[keep++] = out->parties[i];
	}
	out->nparties = keep;
	keep = 0;
	for (size_t i = 0; i < out->nseizures; i++) {
		struct party_seizure_link *x = &out->seizures[i];
		struct seizure s;
		struct error e = ERROR_INIT;
		if (visible_seizure(st, who, x->link.seizure_id, &s, a, &e) == 0) {
			x->ref = s.ref;
			x->date = s.date;
			x->country = s.country;
			x->agency = s.agency;
			x->agency_id = s.agency_id;
			x->species = species_summary(&s, a);
			out->seizures[keep++] = *x;
		}
		error_clear(&e);
	}
	out->nseizures = keep;
	return 0;
}
