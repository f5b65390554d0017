/* Entity resolution: candidates, the review queue, merges, undo (see
 * resolve.h). */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "index/party_index.h"
#include "lib/clock.h"
#include "lib/dynbuf.h"
#include "party/resolve.h"
#include "store/store.h"
#include "text/names.h"

const char *const resolve_provable_kinds[] = { "passport", "id_card", NULL };

/* Who acts for detection and automatic merges: sees every party. */
static const struct actor system_actor = { 0, 0, ROLE_ADMIN, "system" };

#define WATERMARK_KEY "resolution_watermark"
#define SETTINGS_KEY "resolution"

/* Moves e's code, message and fields into err; returns -1. */
static int pass_error(struct error *err, struct error *e)
{
	if (e->nfields)
		error_merge_fields(err, e, "");
	error_set(err, e->code ? e->code : ERR_INTERNAL, "%s", e->message ? e->message : "failed");
	error_clear(e);
	return -1;
}

/* A reason or note typed by a user: trimmed, required, bounded. */
static int check_reason(const char **reason, struct arena *a, struct error *err)
{
	const char *s = *reason ? *reason : "";
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (!n)
		return error_field(err, "reason", "is required: say why (it is kept with the "
						  "decision)");
	if (n > RESOLVE_REASON_MAX)
		return error_field(err, "reason", "is longer than %d bytes", RESOLVE_REASON_MAX);
	*reason = arena_strndup(a, s, n);
	return 0;
}

static int require_reviewer(const struct actor *who, struct error *err)
{
	if (who->role < ROLE_ANALYST)
		return error_set(err, ERR_FORBIDDEN,
				 "your role (%s) may not review duplicates: analysts and "
				 "administrators do",
				 role_name(who->role));
	return 0;
}

/* ---- settings ---------------------------------------------------------------------- */

static const char *provable(const char *kind)
{
	for (size_t i = 0; resolve_provable_kinds[i]; i++)
		if (kind && strcmp(kind, resolve_provable_kinds[i]) == 0)
			return resolve_provable_kinds[i];
	return NULL;
}

static void settings_default(struct resolve_settings *s)
{
	memset(s, 0, sizeof *s);
	s->proving_kinds[0] = "passport";
	s->proving_kinds[1] = "id_card";
	s->nproving = 2;
}

int resolve_settings_get(struct store *st, struct resolve_settings *out, struct error *err)
{
	settings_default(out);
	char *v = NULL;
	struct error e = ERROR_INIT;
	if (store_setting_get(st, SETTINGS_KEY, &v, &e) != 0) {
		if (e.code == ERR_NOT_FOUND) {
			error_clear(&e);
			return 0;
		}
		return pass_error(err, &e);
	}
	json_t *j = json_loads(v, 0, NULL);
	free(v);
	if (!j)
		return 0;
	out->auto_merge_by_identifier = json_is_true(json_object_get(j, "auto_merge_by_identifier"));
	json_t *kinds = json_object_get(j, "proving_kinds");
	if (json_is_array(kinds)) {
		out->nproving = 0;
		size_t i;
		json_t *k;
		json_array_foreach(kinds, i, k)
		{
			const char *p = provable(json_string_value(k));
			if (p && out->nproving < sizeof out->proving_kinds / sizeof *out->proving_kinds)
				out->proving_kinds[out->nproving++] = p;
		}
	}
	json_decref(j);
	return 0;
}

struct settings_ctx {
	struct store *st;
	const struct actor *who;
	const char *text;
};

static int settings_body(void *v, struct error *err)
{
	struct settings_ctx *c = v;
	if (store_setting_set(c->st, SETTINGS_KEY, c->text, err) != 0)
		return -1;
	json_t *d = json_loads(c->text, 0, NULL);
	json_object_set_new(d, "key", json_string(SETTINGS_KEY));
	return audit_append_json(c->st, c->who, "update", "setting", 0, d, err);
}

int resolve_settings_set(struct store *st, const struct actor *who,
			 const struct resolve_settings *in, struct error *err)
{
	if (who->role != ROLE_ADMIN)
		return error_set(err, ERR_FORBIDDEN,
				 "only an administrator may change how duplicates are resolved");
	json_t *kinds = json_array();
	size_t before = err->nfields;
	for (size_t i = 0; i < in->nproving; i++) {
		const char *p = provable(in->proving_kinds[i]);
		if (!p) {
			char f[40];
			snprintf(f, sizeof f, "proving_kinds[%zu]", i);
			error_field(err, f,
				    "\"%s\" does not identify one person; only passport and id_card "
				    "may prove that two parties are one",
				    in->proving_kinds[i] ? in->proving_kinds[i] : "");
			continue;
		}
		int seen = 0;
		for (size_t k = 0; k < json_array_size(kinds); k++)
			if (strcmp(json_string_value(json_array_get(kinds, k)), p) == 0)
				seen = 1;
		if (!seen)
			json_array_append_new(kinds, json_string(p));
	}
	if (err->nfields > before) {
		json_decref(kinds);
		return -1;
	}
	json_t *j = json_pack("{s:b, s:o}", "auto_merge_by_identifier",
			      in->auto_merge_by_identifier ? 1 : 0, "proving_kinds", kinds);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	struct settings_ctx c = { st, who, text };
	int rc = store_in_tx(st, settings_body, &c, err);
	free(text);
	return rc;
}

/* ---- comparing two parties ------------------------------------------------------------ */

/* A party with the matching keys of its names. */
struct side {
	struct party p;
	struct name_key *keys;
	size_t nkeys;
};

static int side_load(struct store *st, int64_t id, struct side *s, struct arena *a,
		     struct error *err)
{
	memset(s, 0, sizeof *s);
	if (store_party_get(st, id, &s->p, a, err) != 0)
		return -1;
	s->keys = arena_alloc(a, (s->p.nnames ? s->p.nnames : 1) * sizeof *s->keys);
	for (size_t i = 0; i < s->p.nnames; i++) {
		struct error e = ERROR_INIT;
		if (name_key_build(s->p.names[i].name, a, &s->keys[s->nkeys], &e) == 0)
			s->nkeys++;
		error_clear(&e);
	}
	return 0;
}

static int is_person(const struct party *p)
{
	return p->kind && strcmp(p->kind, "person") == 0;
}

static int known_sex(const char *s)
{
	return s && (strcmp(s, "male") == 0 || strcmp(s, "female") == 0);
}

/* The first code of list a (';'-separated) that list b also has, into out. */
static int shared_code(const char *a, const char *b, char *out, size_t size)
{
	if (!a || !b)
		return 0;
	for (const char *p = a; *p;) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		for (const char *q = b; *q;) {
			const char *f = strchr(q, ';');
			size_t m = f ? (size_t)(f - q) : strlen(q);
			if (n && n == m && strncmp(p, q, n) == 0) {
				snprintf(out, size, "%.*s", (int)n, p);
				return 1;
			}
			q += m + (f ? 1 : 0);
		}
		p += n + (e ? 1 : 0);
	}
	return 0;
}

struct verdict {
	int candidate;
	const char *proving_kind;     /* a shared identifier of a proving kind */
	const char *proving_display;
	double score;
	char reason[1024];
	char evidence[512];
};

/* "id_card" -> "ID card"; others with '_' as ' '. */
static const char *kind_label(const char *kind, char *buf, size_t size)
{
	if (!kind)
		return "identifier";
	if (strcmp(kind, "id_card") == 0)
		return "ID card";
	if (strcmp(kind, "email") == 0)
		return "e-mail";
	snprintf(buf, size, "%s", kind);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
	return buf;
}

static void add_part(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_part(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	if (n + 3 >= size)
		return;
	if (n) {
		snprintf(buf + n, size - n, "; ");
		n += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

static void add_token(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_token(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	if (n + 2 >= size)
		return;
	if (n)
		buf[n++] = ' ';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

/*
 * Compares x and y.  peers: what y shares with x (identifiers,
 * registrations).  Fills v (v->candidate 0 when the pair is not proposed).
 */
static void evaluate(const struct side *x, const struct side *y,
		     const struct store_party_peer *peers, size_t npeers,
		     const struct resolve_settings *set, struct verdict *v)
{
	memset(v, 0, sizeof *v);
	const struct party *a = &x->p, *b = &y->p;
	if (!a->kind || !b->kind || strcmp(a->kind, b->kind) != 0)
		return;
	int person = is_person(a);
	char birth[64] = "", common[64] = "";
	if (person) {
		/* contradictions */
		if (known_sex(a->sex) && known_sex(b->sex) && strcmp(a->sex, b->sex) != 0)
			return;
		if (a->birth_year && b->birth_year && abs(a->birth_year - b->birth_year) > 1)
			return;
		int fa = a->birth_date && strlen(a->birth_date) == 10;
		int fb = b->birth_date && strlen(b->birth_date) == 10;
		if (fa && fb && strcmp(a->birth_date, b->birth_date) == 0)
			snprintf(birth, sizeof birth, "same birth date %s", a->birth_date);
		else if (a->birth_year && a->birth_year == b->birth_year)
			snprintf(birth, sizeof birth, "same birth year %d", a->birth_year);
		else if (a->birth_year && b->birth_year && (!fa || !fb))
			snprintf(birth, sizeof birth, "birth years %d and %d",
				 a->birth_year < b->birth_year ? a->birth_year : b->birth_year,
				 a->birth_year < b->birth_year ? b->birth_year : a->birth_year);
		char code[8];
		if (shared_code(a->nationalities, b->nationalities, code, sizeof code))
			snprintf(common, sizeof common, "both %s", code);
	} else if (a->country && b->country && strcmp(a->country, b->country) == 0) {
		snprintf(common, sizeof common, "both in %s", a->country);
	}

	/* names: the best pair */
	double best = 0;
	char why[256] = "";
	for (size_t i = 0; i < x->nkeys; i++)
		for (size_t j = 0; j < y->nkeys; j++) {
			char w[256];
			double s = name_compare(&x->keys[i], &y->keys[j], w, sizeof w);
			if (s > best) {
				best = s;
				memcpy(why, w, sizeof why);
			}
		}

	size_t nident = 0, nreg = 0;
	char label[32];
	for (size_t i = 0; i < npeers; i++) {
		const struct store_party_peer *p = &peers[i];
		if (p->ident_id) {
			if (nident < 3)
				add_part(v->reason, sizeof v->reason, "same %s %s",
					 kind_label(p->kind, label, sizeof label),
					 p->display ? p->display : p->key);
			add_token(v->evidence, sizeof v->evidence, "i:%lld", (long long)p->ident_id);
			for (size_t k = 0; k < set->nproving; k++)
				if (p->kind && strcmp(p->kind, set->proving_kinds[k]) == 0 &&
				    !v->proving_kind) {
					v->proving_kind = p->kind;
					v->proving_display = p->display ? p->display : p->key;
				}
			nident++;
		} else {
			add_part(v->reason, sizeof v->reason, "same registration %s%s%s",
				 p->country ? p->country : "", p->country ? " " : "", p->display);
			add_token(v->evidence, sizeof v->evidence, "r:%s/%s",
				  p->country ? p->country : "", p->display);
			nreg++;
		}
	}
	if (nident > 3)
		add_part(v->reason, sizeof v->reason, "and %zu more identifiers", nident - 3);
	/* an identifier of a proving kind proves only among the kinds set */
	int names_match = best >= NAME_MATCH_THRESHOLD;
	int corroborated = person ? (*birth || *common) : (*common || nreg);
	int name_evidence = names_match && corroborated;
	if (best >= PARTY_SEARCH_MIN_SCORE)
		add_part(v->reason, sizeof v->reason, "%s", why);
	else if (nident || nreg)
		add_part(v->reason, sizeof v->reason, "names differ");
	if (*birth)
		add_part(v->reason, sizeof v->reason, "%s", birth);
	if (*common)
		add_part(v->reason, sizeof v->reason, "%s", common);
	if (name_evidence)
		add_token(v->evidence, sizeof v->evidence, "n");
	if (!nident && !nreg && !name_evidence)
		return;
	v->candidate = 1;
	double s = 0;
	int kinds = 0;
	if (nident) {
		s = fmax(s, fmin(0.99, (v->proving_kind ? 0.97 : 0.90) + 0.01 * (double)(nident - 1)));
		kinds++;
	}
	if (nreg) {
		s = fmax(s, 0.93);
		kinds++;
	}
	if (name_evidence) {
		s = fmax(s, 0.5 + 0.4 * best + (*birth ? 0.03 : 0) + (*common ? 0.02 : 0));
		kinds++;
	}
	s += 0.02 * (kinds - 1);
	v->score = round(fmin(s, 1.0) * 1000) / 1000;
}

/* 1 when evidence has a token that old has not. */
static int has_new_evidence(const char *evidence, const char *old)
{
	if (!old)
		old = "";
	for (const char *p = evidence; *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		size_t n = (size_t)(e - p);
		int found = 0;
		for (const char *q = old; *q && !found;) {
			while (*q == ' ')
				q++;
			const char *f = q;
			while (*f && *f != ' ')
				f++;
			if ((size_t)(f - q) == n && strncmp(p, q, n) == 0)
				found = 1;
			q = f;
		}
		if (n && !found)
			return 1;
		p = e;
	}
	return 0;
}

/* ---- merges ---------------------------------------------------------------------------- */

struct merge_ctx {
	struct store *st;
	const struct refdata *ref;
	const struct actor *who;
	int64_t survivor, merged, candidate_id;
	const char *reason;
	int automatic;
	int64_t merge_id;
	struct arena *a;
};

static int visible_writable(const struct actor *who, const struct party *p, struct error *err)
{
	if (!party_may_see(who, p->agency_id, p->sharing))
		return error_set(err, ERR_NOT_FOUND, "party %lld not found", (long long)p->id);
	if (!party_may_write(who, p->agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 "your role (%s) may not change party %lld (another agency's)",
				 role_name(who->role), (long long)p->id);
	return 0;
}

static int same_registration(const struct party_registration *x,
			     const struct party_registration *y)
{
	return strcmp(x->number, y->number) == 0 &&
	       ((!x->country && !y->country) ||
		(x->country && y->country && strcmp(x->country, y->country) == 0));
}

/* JSON counts of a merge's rows: {"names": n, ...} for action. */
static json_t *row_counts(const struct party_merge_rec *m, const char *action)
{
	static const char *const tbls[] = { "name", "registration", "identifier", "seizure",
					    "relation" };
	static const char *const keys[] = { "names", "registrations", "identifiers", "seizures",
					    "relations" };
	json_t *j = json_object();
	for (size_t t = 0; t < 5; t++) {
		size_t n = 0;
		for (size_t i = 0; i < m->nrows; i++)
			if (strcmp(m->rows[i].tbl, tbls[t]) == 0 &&
			    strcmp(m->rows[i].action, action) == 0)
				n++;
		json_object_set_new(j, keys[t], json_integer((json_int_t)n));
	}
	return j;
}

/* The fields of p written back with its new version (names and
 * registrations as given), search text recomputed. */
static int rewrite_party(struct store *st, const struct refdata *ref, struct party *p,
			 const struct actor *who, const char *now, struct arena *a,
			 struct error *err)
{
	p->nnew_idents = 0;
	p->new_idents = NULL;
	if (p->nnames) {
		struct error e = ERROR_INIT;
		if (party_validate(ref, p, a, &e) != 0) {
			char *msg = error_format(&e);
			error_clear(&e);
			error_set(err, ERR_CONFLICT, "party %lld would not be valid: %s",
				  (long long)p->id, msg ? msg : "");
			free(msg);
			return -1;
		}
	} else {
		p->search_text = "";
	}
	p->version++;
	p->updated_at = now;
	p->updated_by = who->user_id;
	return store_party_replace(st, p, err);
}

static int merge_body(void *v, struct error *err)
{
	struct merge_ctx *c = v;
	struct arena *a = c->a;
	struct party s, m;
	if (c->survivor == c->merged)
		return error_set(err, ERR_CONFLICT, "a party cannot be merged with itself");
	if (store_party_get(c->st, c->survivor, &s, a, err) != 0 ||
	    store_party_get(c->st, c->merged, &m, a, err) != 0)
		return -1;
	if (!c->automatic &&
	    (visible_writable(c->who, &s, err) != 0 || visible_writable(c->who, &m, err) != 0))
		return -1;
	if (s.merged_into)
		return error_set(err, ERR_CONFLICT,
				 "party %lld is merged into party %lld; merge into that one instead",
				 (long long)s.id, (long long)s.merged_into);
	if (m.merged_into)
		return error_set(err, ERR_CONFLICT, "party %lld is already merged into party %lld",
				 (long long)m.id, (long long)m.merged_into);
	if (strcmp(s.kind, m.kind) != 0)
		return error_set(err, ERR_CONFLICT,
				 "a person and an organisation cannot be merged (parties %lld and "
				 "%lld)",
				 (long long)s.id, (long long)m.id);
	char now[32];
	clock_iso(now, sizeof now);
	struct party_candidate cand;
	int has_cand = store_candidate_find(c->st, s.id, m.id, &cand, a, err);
	if (has_cand < 0)
		return -1;
	if (has_cand && !c->candidate_id)
		c->candidate_id = cand.id;
	struct party_merge_rec rec;
	memset(&rec, 0, sizeof rec);
	rec.survivor_id = s.id;
	rec.merged_id = m.id;
	rec.candidate_id = c->candidate_id;
	rec.reason = c->reason;
	rec.automatic = c->automatic;
	rec.user_id = c->who->user_id;
	rec.at = now;
	rec.survivor_version = s.version + 1;
	rec.merged_version = m.version + 1;
	if (store_merge_insert(c->st, &rec, err) != 0)
		return -1;

	/* names and registrations: the survivor's, then the merged party's new ones */
	struct party s2 = s;
	s2.names = arena_alloc(a, (s.nnames + m.nnames + 1) * sizeof *s2.names);
	if (s.nnames)
		memcpy(s2.names, s.names, s.nnames * sizeof *s.names);
	for (size_t i = 0; i < m.nnames; i++) {
		const struct party_name *n = &m.names[i];
		int dup = 0;
		for (size_t k = 0; k < s2.nnames && !dup; k++)
			dup = strcmp(s2.names[k].name, n->name) == 0;
		json_t *d = json_pack("{s:I, s:s, s:s, s:s, s:s?}", "line", (json_int_t)i + 1, "name",
				      n->name, "script", n->script ? n->script : "Zzzz", "kind",
				      n->kind ? n->kind : "full", "romanised", n->romanised);
		char *text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(d);
		int rc = store_merge_row_add(c->st, rec.id, "name", dup ? "dropped" : "moved",
					     (int64_t)(i + 1), 0, text, err);
		free(text);
		if (rc != 0)
			return -1;
		if (!dup) {
			s2.names[s2.nnames] = *n;
			s2.names[s2.nnames].romanised = NULL;
			s2.nnames++;
		}
	}
	if (s2.nnames > PARTY_MAX_NAMES)
		return error_set(err, ERR_CONFLICT,
				 "together the two parties have %zu different names, more than a "
				 "party may have (%d); remove some names first",
				 s2.nnames, PARTY_MAX_NAMES);
	s2.registrations = arena_alloc(a, (s.nregistrations + m.nregistrations + 1) *
						  sizeof *s2.registrations);
	if (s.nregistrations)
		memcpy(s2.registrations, s.registrations,
		       s.nregistrations * sizeof *s.registrations);
	for (size_t i = 0; i < m.nregistrations; i++) {
		const struct party_registration *r = &m.registrations[i];
		int dup = 0;
		for (size_t k = 0; k < s2.nregistrations && !dup; k++)
			dup = same_registration(&s2.registrations[k], r);
		json_t *d = json_pack("{s:I, s:s?, s:s}", "line", (json_int_t)i + 1, "country",
				      r->country, "number", r->number);
		char *text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(d);
		int rc = store_merge_row_add(c->st, rec.id, "registration",
					     dup ? "dropped" : "moved", (int64_t)(i + 1), 0, text, err);
		free(text);
		if (rc != 0)
			return -1;
		if (!dup)
			s2.registrations[s2.nregistrations++] = *r;
	}
	if (rewrite_party(c->st, c->ref, &s2, c->who, now, a, err) != 0)
		return -1;
	struct party m2 = m;
	m2.names = NULL;
	m2.nnames = 0;
	m2.registrations = NULL;
	m2.nregistrations = 0;
	if (rewrite_party(c->st, c->ref, &m2, c->who, now, a, err) != 0 ||
	    store_merge_move_links(c->st, rec.id, m.id, s.id, err) != 0 ||
	    store_party_set_merged(c->st, m.id, s.id, err) != 0)
		return -1;
	if (has_cand) {
		cand.status = "merged";
		cand.merge_id = rec.id;
		cand.decided_by = c->who->user_id;
		cand.decided_at = now;
		cand.note = c->reason;
		if (store_candidate_save(c->st, &cand, err) != 0)
			return -1;
	}
	if (store_candidates_drop_open(c->st, m.id, err) != 0)
		return -1;
	struct party_merge_rec done;
	if (store_merge_get(c->st, rec.id, &done, a, err) != 0)
		return -1;
	json_t *d = json_pack("{s:I, s:I, s:s, s:b, s:o, s:o}", "merge_id", (json_int_t)rec.id,
			      "merged", (json_int_t)m.id, "reason", c->reason, "automatic",
			      c->automatic, "moved", row_counts(&done, "moved"), "dropped",
			      row_counts(&done, "dropped"));
	if (audit_append_json(c->st, c->who, "merge", "party", s.id, d, err) != 0)
		return -1;
	d = json_pack("{s:I, s:I, s:s, s:b}", "merge_id", (json_int_t)rec.id, "into",
		      (json_int_t)s.id, "reason", c->reason, "automatic", c->automatic);
	if (audit_append_json(c->st, c->who, "merged", "party", m.id, d, err) != 0)
		return -1;
	c->merge_id = rec.id;
	return 0;
}

static int do_merge(struct store *st, const struct refdata *ref, const struct actor *who,
		    int64_t survivor, int64_t merged, int64_t candidate_id, const char *reason,
		    int automatic, int64_t *merge_id, struct error *err)
{
	struct arena a;
	arena_init(&a);
	struct merge_ctx c = { st, ref, who, survivor, merged, candidate_id, reason, automatic, 0,
			       &a };
	int rc = store_in_tx(st, merge_body, &c, err);
	if (rc == 0 && merge_id)
		*merge_id = c.merge_id;
	arena_free(&a);
	return rc;
}

/* Reads both parties of c; ERR_NOT_FOUND when the actor may not see both. */
static int candidate_visible(struct store *st, const struct actor *who,
			     const struct party_candidate *c, struct arena *a, struct error *err)
{
	int64_t ids[2] = { c->party_a, c->party_b };
	for (int i = 0; i < 2; i++) {
		struct party p;
		struct error e = ERROR_INIT;
		if (store_party_get(st, ids[i], &p, a, &e) != 0 ||
		    !party_may_see(who, p.agency_id, p.sharing)) {
			int code = e.code;
			error_clear(&e);
			if (code && code != ERR_NOT_FOUND)
				return error_set(err, code, "reading party %lld failed",
						 (long long)ids[i]);
			return error_set(err, ERR_NOT_FOUND, "duplicate candidate %lld not found",
					 (long long)c->id);
		}
	}
	return 0;
}

static int load_candidate(struct store *st, const struct actor *who, int64_t id,
			  struct party_candidate *c, struct arena *a, struct error *err)
{
	int found = store_candidate_get(st, id, c, a, err);
	if (found < 0)
		return -1;
	if (!found)
		return error_set(err, ERR_NOT_FOUND, "duplicate candidate %lld not found",
				 (long long)id);
	return candidate_visible(st, who, c, a, err);
}

int resolve_merge_candidate(struct store *st, const struct refdata *ref,
			    const struct actor *who, int64_t candidate_id, int64_t survivor_id,
			    const char *reason, int64_t *merge_id, struct error *err)
{
	if (require_reviewer(who, err) != 0)
		return -1;
	struct arena a;
	arena_init(&a);
	int rc = -1;
	struct party_candidate c;
	if (load_candidate(st, who, candidate_id, &c, &a, err) != 0)
		goto out;
	if (strcmp(c.status, "merged") == 0) {
		error_set(err, ERR_CONFLICT,
			  "this pair was merged already (merge %lld); undo that merge to change it",
			  (long long)c.merge_id);
		goto out;
	}
	size_t before = err->nfields;
	if (survivor_id != c.party_a && survivor_id != c.party_b)
		error_field(err, "survivor", "must be one of the pair: %lld or %lld",
			    (long long)c.party_a, (long long)c.party_b);
	check_reason(&reason, &a, err);
	if (err->nfields > before)
		goto out;
	rc = do_merge(st, ref, who, survivor_id,
		      survivor_id == c.party_a ? c.party_b : c.party_a, c.id, reason, 0, merge_id,
		      err);
out:
	arena_free(&a);
	return rc;
}

int resolve_merge(struct store *st, const struct refdata *ref, const struct actor *who,
		  int64_t survivor_id, int64_t merged_id, const char *reason, int64_t *merge_id,
		  struct error *err)
{
	if (require_reviewer(who, err) != 0)
		return -1;
	struct arena a;
	arena_init(&a);
	int rc = -1;
	struct party p;
	if (store_party_get(st, survivor_id, &p, &a, err) != 0)
		goto out;
	if (!party_may_see(who, p.agency_id, p.sharing)) {
		error_set(err, ERR_NOT_FOUND, "party %lld not found", (long long)survivor_id);
		goto out;
	}
	size_t before = err->nfields;
	if (merged_id <= 0) {
		error_field(err, "other", "is required: the id of the party to merge into this one");
	} else if (merged_id == survivor_id) {
		error_field(err, "other", "is this party itself");
	} else {
		struct party o;
		struct error e = ERROR_INIT;
		if (store_party_get(st, merged_id, &o, &a, &e) != 0 ||
		    !party_may_see(who, o.agency_id, o.sharing))
			error_field(err, "other", "party %lld not found", (long long)merged_id);
		error_clear(&e);
	}
	check_reason(&reason, &a, err);
	if (err->nfields > before)
		goto out;
	rc = do_merge(st, ref, who, survivor_id, merged_id, 0, reason, 0, merge_id, err);
out:
	arena_free(&a);
	return rc;
}

struct not_same_ctx {
	struct store *st;
	const struct actor *who;
	struct party_candidate *c;
	const char *reason;
};

static int not_same_body(void *v, struct error *err)
{
	struct not_same_ctx *x = v;
	char now[32];
	clock_iso(now, sizeof now);
	x->c->status = "not_same";
	x->c->decided_by = x->who->user_id;
	x->c->decided_at = now;
	x->c->note = x->reason;
	x->c->decided_evidence = x->c->evidence;
	x->c->merge_id = 0;
	if (store_candidate_save(x->st, x->c, err) != 0)
		return -1;
	json_t *d = json_pack("{s:I, s:I, s:s, s:s}", "candidate_id", (json_int_t)x->c->id, "other",
			      (json_int_t)x->c->party_b, "reason", x->reason, "evidence",
			      x->c->evidence ? x->c->evidence : "");
	return audit_append_json(x->st, x->who, "not_same", "party", x->c->party_a, d, err);
}

int resolve_not_same(struct store *st, const struct actor *who, int64_t candidate_id,
		     const char *reason, struct error *err)
{
	if (require_reviewer(who, err) != 0)
		return -1;
	struct arena a;
	arena_init(&a);
	int rc = -1;
	struct party_candidate c;
	if (load_candidate(st, who, candidate_id, &c, &a, err) != 0)
		goto out;
	if (strcmp(c.status, "merged") == 0) {
		error_set(err, ERR_CONFLICT,
			  "this pair was merged (merge %lld); undo the merge instead",
			  (long long)c.merge_id);
		goto out;
	}
	if (check_reason(&reason, &a, err) != 0)
		goto out;
	struct not_same_ctx x = { st, who, &c, reason };
	rc = store_in_tx(st, not_same_body, &x, err);
out:
	arena_free(&a);
	return rc;
}

/* ---- undo ---------------------------------------------------------------------------------- */

struct undo_ctx {
	struct store *st;
	const struct refdata *ref;
	const struct actor *who;
	int64_t merge_id;
	const char *reason;
	struct arena *a;
};

static const char *json_str(json_t *o, const char *key, struct arena *a)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? arena_strdup(a, s) : NULL;
}

static int undo_body(void *v, struct error *err)
{
	struct undo_ctx *c = v;
	struct arena *a = c->a;
	struct party_merge_rec rec;
	if (store_merge_get(c->st, c->merge_id, &rec, a, err) != 0)
		return -1;
	if (rec.undone_at)
		return error_set(err, ERR_CONFLICT, "merge %lld was undone already (%s)",
				 (long long)rec.id, rec.undone_at);
	struct party s, m;
	if (store_party_get(c->st, rec.survivor_id, &s, a, err) != 0 ||
	    store_party_get(c->st, rec.merged_id, &m, a, err) != 0)
		return -1;
	if (visible_writable(c->who, &s, err) != 0 || visible_writable(c->who, &m, err) != 0)
		return -1;
	if (s.merged_into) {
		int64_t later = 0;
		if (store_merge_in_force(c->st, s.id, &later, err) != 0)
			return -1;
		return error_set(err, ERR_CONFLICT,
				 "merge %lld cannot be undone exactly: party %lld was itself merged "
				 "into party %lld later (merge %lld); undo that merge first",
				 (long long)rec.id, (long long)s.id, (long long)s.merged_into,
				 (long long)later);
	}
	if (m.merged_into != s.id)
		return error_set(err, ERR_CONFLICT, "party %lld is no longer merged into party %lld",
				 (long long)m.id, (long long)s.id);
	if (m.version != rec.merged_version)
		return error_set(err, ERR_CONFLICT,
				 "merge %lld cannot be undone exactly: party %lld was changed after "
				 "the merge (version %lld, the merge left version %lld)",
				 (long long)rec.id, (long long)m.id, (long long)m.version,
				 (long long)rec.merged_version);
	if (store_merge_check_undo(c->st, &rec, err) != 0)
		return -1;

	/* names and registrations back: what the merge added leaves the
	 * survivor, the merged party gets all its own again */
	struct party s2 = s, m2 = m;
	int *gone = arena_alloc(a, (s.nnames + 1) * sizeof *gone);
	int *rgone = arena_alloc(a, (s.nregistrations + 1) * sizeof *rgone);
	m2.names = arena_alloc(a, (rec.nrows + 1) * sizeof *m2.names);
	m2.nnames = 0;
	m2.registrations = arena_alloc(a, (rec.nrows + 1) * sizeof *m2.registrations);
	m2.nregistrations = 0;
	for (size_t i = 0; i < rec.nrows; i++) {
		const struct party_merge_row *r = &rec.rows[i];
		int is_name = strcmp(r->tbl, "name") == 0;
		if (!is_name && strcmp(r->tbl, "registration") != 0)
			continue;
		json_t *d = json_loads(r->data, 0, NULL);
		if (!d)
			return error_set(err, ERR_INTERNAL, "merge %lld: unreadable row %lld",
					 (long long)rec.id, (long long)r->id);
		int moved = strcmp(r->action, "moved") == 0;
		if (is_name) {
			struct party_name *n = &m2.names[m2.nnames++];
			memset(n, 0, sizeof *n);
			n->name = json_str(d, "name", a);
			n->script = json_str(d, "script", a);
			n->kind = json_str(d, "kind", a);
			int found = !moved;
			for (size_t k = 0; k < s.nnames && !found; k++)
				if (!gone[k] && strcmp(s.names[k].name, n->name ? n->name : "") == 0)
					gone[k] = found = 1;
			if (!found) {
				error_set(err, ERR_CONFLICT,
					  "merge %lld cannot be undone exactly: the name \"%s\" it "
					  "brought is no longer on party %lld",
					  (long long)rec.id, n->name ? n->name : "", (long long)s.id);
				json_decref(d);
				return -1;
			}
		} else {
			struct party_registration *g = &m2.registrations[m2.nregistrations++];
			g->country = json_str(d, "country", a);
			g->number = json_str(d, "number", a);
			int found = !moved;
			for (size_t k = 0; k < s.nregistrations && !found; k++)
				if (!rgone[k] && same_registration(&s.registrations[k], g))
					rgone[k] = found = 1;
			if (!found) {
				error_set(err, ERR_CONFLICT,
					  "merge %lld cannot be undone exactly: the registration %s it "
					  "brought is no longer on party %lld",
					  (long long)rec.id, g->number ? g->number : "",
					  (long long)s.id);
				json_decref(d);
				return -1;
			}
		}
		json_decref(d);
	}
	s2.names = arena_alloc(a, (s.nnames + 1) * sizeof *s2.names);
	s2.nnames = 0;
	for (size_t k = 0; k < s.nnames; k++)
		if (!gone[k])
			s2.names[s2.nnames++] = s.names[k];
	s2.registrations = arena_alloc(a, (s.nregistrations + 1) * sizeof *s2.registrations);
	s2.nregistrations = 0;
	for (size_t k = 0; k < s.nregistrations; k++)
		if (!rgone[k])
			s2.registrations[s2.nregistrations++] = s.registrations[k];
	if (!s2.nnames)
		return error_set(err, ERR_CONFLICT,
				 "merge %lld cannot be undone: party %lld would be left without a "
				 "name (its own names were removed after the merge); give it a name "
				 "first",
				 (long long)rec.id, (long long)s.id);
	char now[32];
	clock_iso(now, sizeof now);
	if (rewrite_party(c->st, c->ref, &s2, c->who, now, a, err) != 0 ||
	    rewrite_party(c->st, c->ref, &m2, c->who, now, a, err) != 0 ||
	    store_merge_restore_links(c->st, &rec, err) != 0 ||
	    store_party_set_merged(c->st, m.id, 0, err) != 0 ||
	    store_merge_set_undone(c->st, rec.id, c->who->user_id, now, c->reason, err) != 0)
		return -1;
	struct party_candidate cand;
	int has = store_candidate_find(c->st, s.id, m.id, &cand, a, err);
	if (has < 0)
		return -1;
	if (has) {
		cand.status = "open";
		cand.merge_id = 0;
		cand.decided_by = c->who->user_id;
		cand.decided_at = arena_strdup(a, now);
		cand.note = arena_sprintf(a, "merge %lld undone: %s", (long long)rec.id, c->reason);
		if (store_candidate_save(c->st, &cand, err) != 0)
			return -1;
	}
	json_t *d = json_pack("{s:I, s:I, s:s}", "merge_id", (json_int_t)rec.id, "merged",
			      (json_int_t)m.id, "reason", c->reason);
	if (audit_append_json(c->st, c->who, "unmerge", "party", s.id, d, err) != 0)
		return -1;
	d = json_pack("{s:I, s:I, s:s}", "merge_id", (json_int_t)rec.id, "from", (json_int_t)s.id,
		      "reason", c->reason);
	return audit_append_json(c->st, c->who, "unmerge", "party", m.id, d, err);
}

int resolve_undo(struct store *st, const struct refdata *ref, const struct actor *who,
		 int64_t merge_id, const char *reason, struct error *err)
{
	if (require_reviewer(who, err) != 0)
		return -1;
	struct arena a;
	arena_init(&a);
	int rc = -1;
	struct party_merge_rec rec;
	if (resolve_merge_get(st, who, merge_id, &rec, &a, err) != 0 ||
	    check_reason(&reason, &a, err) != 0)
		goto out;
	struct undo_ctx c = { st, ref, who, merge_id, reason, &a };
	rc = store_in_tx(st, undo_body, &c, err);
out:
	arena_free(&a);
	return rc;
}

/* ---- reading merges ------------------------------------------------------------------------ */

static int both_visible(struct store *st, const struct actor *who, int64_t x, int64_t y,
			struct arena *a, struct error *err)
{
	int64_t ids[2] = { x, y };
	for (int i = 0; i < 2; i++) {
		struct party p;
		struct error e = ERROR_INIT;
		int rc = store_party_get(st, ids[i], &p, a, &e);
		if (rc != 0 && e.code != ERR_NOT_FOUND)
			return pass_error(err, &e);
		error_clear(&e);
		if (rc != 0 || !party_may_see(who, p.agency_id, p.sharing))
			return 0;
	}
	return 1;
}

int resolve_merge_get(struct store *st, const struct actor *who, int64_t merge_id,
		      struct party_merge_rec *out, struct arena *a, struct error *err)
{
	struct error e = ERROR_INIT;
	if (store_merge_get(st, merge_id, out, a, &e) != 0)
		return pass_error(err, &e);
	int vis = both_visible(st, who, out->survivor_id, out->merged_id, a, err);
	if (vis < 0)
		return -1;
	if (!vis)
		return error_set(err, ERR_NOT_FOUND, "merge %lld not found", (long long)merge_id);
	return 0;
}

int resolve_merges_of(struct store *st, const struct actor *who, int64_t party_id,
		      struct party_merge_rec **out, size_t *n, struct arena *a,
		      struct error *err)
{
	*out = NULL;
	*n = 0;
	struct party_merge_rec *all;
	size_t nall;
	if (store_merge_list(st, party_id, &all, &nall, a, err) != 0)
		return -1;
	size_t keep = 0;
	for (size_t i = 0; i < nall; i++) {
		int vis = both_visible(st, who, all[i].survivor_id, all[i].merged_id, a, err);
		if (vis < 0)
			return -1;
		if (vis)
			all[keep++] = all[i];
	}
	*out = all;
	*n = keep;
	return 0;
}

/* ---- detection ------------------------------------------------------------------------------ */

static int watermark_get(struct store *st, int64_t *gen, int64_t *id, struct error *err)
{
	*gen = *id = 0;
	char *v = NULL;
	struct error e = ERROR_INIT;
	if (store_setting_get(st, WATERMARK_KEY, &v, &e) != 0) {
		if (e.code == ERR_NOT_FOUND) {
			error_clear(&e);
			return 0;
		}
		return pass_error(err, &e);
	}
	char *end;
	long long g = strtoll(v, &end, 10);
	if (*end == ' ') {
		long long i = strtoll(end + 1, &end, 10);
		if (!*end) {
			*gen = g;
			*id = i;
		}
	}
	free(v);
	return 0;
}

/* A pair found for the changed party, to write. */
struct found {
	int64_t other;
	struct verdict v;
	int same_agency;
};

struct auto_merge {
	int64_t survivor, merged, candidate_id;
	const char *reason;
};

struct write_ctx {
	struct store *st;
	int64_t party_id, gen;
	struct found *found;
	size_t nfound;
	const struct resolve_settings *set;
	struct resolve_stats *stats;
	struct arena *a;
	struct auto_merge *merges;    /* appended to (in a) */
	size_t *nmerges, *cmerges;
};

static int write_body(void *v, struct error *err)
{
	struct write_ctx *w = v;
	struct arena *a = w->a;
	char now[32];
	clock_iso(now, sizeof now);
	struct party_candidate *old;
	size_t nold;
	if (store_candidates_of(w->st, w->party_id, &old, &nold, a, err) != 0)
		return -1;
	int *kept = arena_alloc(a, (nold + 1) * sizeof *kept);
	for (size_t i = 0; i < w->nfound; i++) {
		const struct found *f = &w->found[i];
		int64_t pa = w->party_id < f->other ? w->party_id : f->other;
		int64_t pb = w->party_id < f->other ? f->other : w->party_id;
		struct party_candidate *c = NULL;
		for (size_t k = 0; k < nold; k++)
			if (old[k].party_a == pa && old[k].party_b == pb) {
				c = &old[k];
				kept[k] = 1;
			}
		struct party_candidate fresh;
		if (!c) {
			memset(&fresh, 0, sizeof fresh);
			c = &fresh;
			c->party_a = pa;
			c->party_b = pb;
			c->status = "open";
			w->stats->proposed++;
		} else if (strcmp(c->status, "open") == 0) {
			w->stats->updated++;
		} else if (strcmp(c->status, "not_same") == 0 &&
			   has_new_evidence(f->v.evidence, c->decided_evidence ? c->decided_evidence
									    : c->evidence)) {
			c->status = "open";
			w->stats->reopened++;
		} else {
			continue; /* merged, or not the same and nothing new */
		}
		c->score = f->v.score;
		c->reason = arena_strdup(a, f->v.reason);
		c->evidence = arena_strdup(a, f->v.evidence);
		c->computed_at = arena_strdup(a, now);
		if (store_candidate_save(w->st, c, err) != 0)
			return -1;
		if (w->set->auto_merge_by_identifier && f->v.proving_kind && f->same_agency) {
			int undone = store_merge_pair_undone(w->st, pa, pb, err);
			if (undone < 0)
				return -1;
			if (!undone) {
				w->merges = arena_grow(a, w->merges, *w->nmerges, w->cmerges,
						       sizeof *w->merges);
				struct auto_merge *m = &w->merges[(*w->nmerges)++];
				char label[32];
				m->survivor = pa;
				m->merged = pb;
				m->candidate_id = c->id;
				m->reason = arena_sprintf(a, "automatic: same %s %s",
							  kind_label(f->v.proving_kind, label,
								     sizeof label),
							  f->v.proving_display);
			}
		}
	}
	for (size_t k = 0; k < nold; k++)
		if (!kept[k] && strcmp(old[k].status, "open") == 0) {
			if (store_candidate_delete(w->st, old[k].id, err) != 0)
				return -1;
			w->stats->removed++;
		}
	char mark[64];
	snprintf(mark, sizeof mark, "%lld %lld", (long long)w->gen, (long long)w->party_id);
	return store_setting_set(w->st, WATERMARK_KEY, mark, err);
}

static void add_id(int64_t **ids, size_t *n, size_t *cap, int64_t id, struct arena *a)
{
	for (size_t i = 0; i < *n; i++)
		if ((*ids)[i] == id)
			return;
	*ids = arena_grow(a, *ids, *n, cap, sizeof **ids);
	(*ids)[(*n)++] = id;
}

/* Checks one changed party; merges to make are appended to *merges. */
static int check_party(struct store *st, struct party_index *ix,
		       const struct store_changed_party *ch, const struct resolve_settings *set,
		       struct resolve_stats *stats, struct arena *keep, struct auto_merge **merges,
		       size_t *nmerges, size_t *cmerges, struct error *err)
{
	struct arena a;
	arena_init(&a);
	int rc = -1;
	struct side me;
	struct error e = ERROR_INIT;
	if (side_load(st, ch->id, &me, &a, &e) != 0) {
		/* gone meanwhile: nothing to check */
		rc = e.code == ERR_NOT_FOUND ? 0 : pass_error(err, &e);
		error_clear(&e);
		goto out;
	}
	struct store_party_peer *peers;
	size_t npeers;
	if (store_party_peers(st, me.p.id, RESOLVE_IDENT_MAX_PARTIES, &peers, &npeers, &a, err) != 0)
		goto out;
	int64_t *ids = NULL;
	size_t nids = 0, cap = 0;
	for (size_t i = 0; i < npeers; i++)
		add_id(&ids, &nids, &cap, peers[i].party_id, &a);
	for (size_t i = 0; i < me.p.nnames; i++) {
		struct party_query q;
		memset(&q, 0, sizeof q);
		q.q = me.p.names[i].name;
		q.want_parties = 1;
		q.limit = RESOLVE_NAME_HITS;
		struct party_hit *hits;
		size_t nh = 0;
		int64_t total;
		if (party_index_search(ix, &system_actor, &q, &a, &hits, &nh, &total, &e) != 0) {
			error_clear(&e);
			continue;
		}
		for (size_t k = 0; k < nh; k++)
			if (hits[k].kind == PARTY_HIT_PARTY && hits[k].id != me.p.id &&
			    hits[k].score >= NAME_MATCH_THRESHOLD - 1e-9)
				add_id(&ids, &nids, &cap, hits[k].id, &a);
	}
	struct found *found = arena_alloc(&a, (nids + 1) * sizeof *found);
	size_t nfound = 0;
	for (size_t i = 0; i < nids; i++) {
		struct side other;
		if (side_load(st, ids[i], &other, &a, &e) != 0) {
			error_clear(&e);
			continue;
		}
		if (other.p.merged_into)
			continue;
		struct store_party_peer *mine = arena_alloc(&a, (npeers + 1) * sizeof *mine);
		size_t nmine = 0;
		for (size_t k = 0; k < npeers; k++)
			if (peers[k].party_id == ids[i])
				mine[nmine++] = peers[k];
		struct found *f = &found[nfound];
		evaluate(&me, &other, mine, nmine, set, &f->v);
		if (!f->v.candidate)
			continue;
		f->other = ids[i];
		f->same_agency = me.p.agency_id == other.p.agency_id;
		nfound++;
	}
	struct write_ctx w = { st, me.p.id, ch->gen, found, nfound, set, stats, keep,
			       *merges, nmerges, cmerges };
	rc = store_in_tx(st, write_body, &w, err);
	*merges = w.merges;
	stats->checked++;
out:
	arena_free(&a);
	return rc;
}

/*
 * Brings the server's index up to the store's generation.  When another
 * thread is already catching up, party_index_sync returns at once: wait for
 * it a little (a pass must see the parties written before it).
 */
static int index_catch_up(struct party_index *ix, struct store *st, struct error *err)
{
	int64_t want;
	if (store_party_generation(st, &want, err) != 0)
		return -1;
	for (int i = 0; i < 200; i++) {
		if (party_index_sync(ix, st, err) != 0)
			return -1;
		struct party_index_stats s;
		party_index_stats(ix, &s);
		if (s.generation >= want)
			return 0;
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return 0; /* the index is busy: search it as it is */
}

static int detect_round(struct store *st, const struct refdata *ref, struct party_index *ix,
			size_t max, const struct resolve_settings *set, struct resolve_stats *stats,
			size_t *merged, struct error *err)
{
	*merged = 0;
	struct arena a;
	arena_init(&a);
	int rc = -1;
	struct party_index *tmp = NULL;
	int64_t gen, id;
	struct store_changed_party *ch;
	size_t n;
	if (watermark_get(st, &gen, &id, err) != 0 ||
	    store_party_changed_after(st, gen, id, max, &ch, &n, &stats->pending, &a, err) != 0)
		goto out;
	if (!n) {
		rc = 0;
		goto out;
	}
	if (ix) {
		if (index_catch_up(ix, st, err) != 0)
			goto out;
	} else {
		if (store_read_begin(st, err) != 0)
			goto out;
		tmp = party_index_build(st, err);
		store_read_end(st);
		if (!tmp)
			goto out;
		ix = tmp;
	}
	struct auto_merge *merges = NULL;
	size_t nmerges = 0, cmerges = 0;
	for (size_t i = 0; i < n; i++)
		if (check_party(st, ix, &ch[i], set, stats, &a, &merges, &nmerges, &cmerges, err) != 0)
			goto out;
	for (size_t i = 0; i < nmerges; i++) {
		struct error e = ERROR_INIT;
		/* a pair whose party was merged by an earlier one is skipped (the
		 * next round looks at the survivor again) */
		if (do_merge(st, ref, &system_actor, merges[i].survivor, merges[i].merged,
			     merges[i].candidate_id, merges[i].reason, 1, NULL, &e) == 0) {
			stats->auto_merged++;
			(*merged)++;
		}
		error_clear(&e);
	}
	rc = 0;
out:
	party_index_free(tmp);
	arena_free(&a);
	return rc;
}

int resolve_detect(struct store *st, const struct refdata *ref, struct party_index *ix,
		   size_t max, struct resolve_stats *stats, struct error *err)
{
	struct resolve_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	if (!max)
		max = RESOLVE_PASS_MAX;
	struct resolve_settings set;
	if (resolve_settings_get(st, &set, err) != 0)
		return -1;
	for (int round = 0; round < 4; round++) {
		size_t merged;
		if (detect_round(st, ref, ix, max, &set, stats, &merged, err) != 0)
			return -1;
		if (!merged)
			break;
	}
	return 0;
}

/* ---- the queue ------------------------------------------------------------------------------ */

static int side_fill(struct store *st, const struct actor *who, int64_t id,
		     struct resolve_side *s, struct arena *a, struct error *err)
{
	struct party_page pg;
	if (party_page(st, who, id, &pg, a, err) != 0)
		return -1;
	s->party = pg.party;
	s->idents = pg.idents;
	s->nidents = pg.nidents;
	s->nseizures = pg.nseizures;
	return 0;
}

int resolve_candidate_get(struct store *st, const struct actor *who, int64_t id,
			  struct resolve_item *out, struct arena *a, struct error *err)
{
	if (require_reviewer(who, err) != 0)
		return -1;
	memset(out, 0, sizeof *out);
	if (load_candidate(st, who, id, &out->c, a, err) != 0 ||
	    side_fill(st, who, out->c.party_a, &out->side[0], a, err) != 0 ||
	    side_fill(st, who, out->c.party_b, &out->side[1], a, err) != 0)
		return -1;
	return 0;
}

int resolve_queue(struct store *st, const struct refdata *ref, struct party_index *ix,
		  const struct actor *who, const char *status, const char *cursor, int limit,
		  struct resolve_queue *out, struct arena *a, struct error *err)
{
	memset(out, 0, sizeof *out);
	if (require_reviewer(who, err) != 0)
		return -1;
	if (!status || !*status)
		status = "open";
	size_t before = err->nfields;
	if (strcmp(status, "open") != 0 && strcmp(status, "merged") != 0 &&
	    strcmp(status, "not_same") != 0)
		error_field(err, "status", "must be open, merged or not_same");
	double after_score = 0;
	long long after_id = 0;
	if (cursor && *cursor) {
		char *end;
		after_score = strtod(cursor, &end);
		if (*end == ':')
			after_id = strtoll(end + 1, &end, 10);
		if (*end || after_id <= 0)
			error_field(err, "cursor", "is not a cursor of this list (use \"next\" as given)");
	}
	if (limit <= 0)
		limit = 50;
	if (err->nfields > before)
		return -1;
	struct resolve_stats stats;
	if (strcmp(status, "open") == 0) {
		if (resolve_detect(st, ref, ix, 0, &stats, err) != 0)
			return -1;
		out->pending = stats.pending;
	} else {
		int64_t gen, id;
		struct store_changed_party *ch;
		size_t n;
		if (watermark_get(st, &gen, &id, err) != 0 ||
		    store_party_changed_after(st, gen, id, 0, &ch, &n, &out->pending, a, err) != 0)
			return -1;
	}
	struct party_candidate *cs;
	size_t n;
	if (store_candidate_list(st, who, status, after_score, after_id, limit + 1, &cs, &n,
				 &out->total, a, err) != 0)
		return -1;
	if (n > (size_t)limit) {
		n = (size_t)limit;
		out->next_cursor = arena_sprintf(a, "%.17g:%lld", cs[n - 1].score,
						 (long long)cs[n - 1].id);
	}
	out->items = arena_alloc(a, (n + 1) * sizeof *out->items);
	for (size_t i = 0; i < n; i++) {
		struct resolve_item *it = &out->items[out->n];
		it->c = cs[i];
		if (side_fill(st, who, cs[i].party_a, &it->side[0], a, err) != 0 ||
		    side_fill(st, who, cs[i].party_b, &it->side[1], a, err) != 0)
			return -1;
		out->n++;
	}
	return 0;
}
