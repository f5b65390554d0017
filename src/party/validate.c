/* Validation and normalisation of parties and links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/dynbuf.h"
#include "party/party.h"
#include "ref/refdata.h"
#include "seizure/seizure.h"
#include "text/fold.h"
#include "text/names.h"

enum { MAX_NAME = 200, MAX_SHORT = 200, MAX_NOTES = 20000, MAX_ROMANISED = 1000 };

const char *const party_org_kinds[] = {
	"company", "vessel_operator", "logistics", "shop", "restaurant", "farm", "zoo", "other",
	NULL,
};
const char *const party_seizure_roles[] = {
	"suspect", "arrested", "owner", "consignor", "consignee", "carrier",
	"driver", "buyer", "seller", "courier", "other", NULL,
};
const char *const party_identifier_roles[] = { "uses", "owns", "registered_to", NULL };
const char *const party_relation_kinds[] = { "family", "associate", "employee_of",
					     "director_of", NULL };
static const char *const name_kinds[] = { "full", "alias", "nickname", NULL };
static const char *const sexes[] = { "male", "female", "unknown", NULL };

static const char *trimmed(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
			 s[n - 1] == '\n'))
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

static int in_list(const char *const *list, const char *v)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], v) == 0)
			return 1;
	return 0;
}

/* "a, b, c" of a list, for messages (in the arena). */
static const char *list_text(struct arena *a, const char *const *list)
{
	struct dynbuf b = DYNBUF_INIT(4096);
	for (size_t i = 0; list[i]; i++)
		dynbuf_addf(&b, "%s%s", i ? ", " : "", list[i]);
	const char *out = arena_strdup(a, dynbuf_str(&b));
	dynbuf_free(&b);
	return out;
}

/* Trims *v and checks it against list (NULL allowed when !required). */
static void check_choice(struct error *err, const char *field, const char **v,
			 const char *const *list, int required, struct arena *a)
{
	*v = trimmed(a, *v);
	if (!*v) {
		if (required)
			error_field(err, field, "is required: one of %s", list_text(a, list));
		return;
	}
	if (!in_list(list, *v))
		error_field(err, field, "\"%s\" is not one of: %s", *v, list_text(a, list));
}

static void check_text(struct error *err, const char *field, const char **v, size_t max,
		       struct arena *a)
{
	*v = trimmed(a, *v);
	if (!*v)
		return;
	if (!text_valid_utf8(*v, strlen(*v)))
		error_field(err, field, "is not valid UTF-8 text");
	else if (strlen(*v) > max)
		error_field(err, field, "is too long (at most %zu bytes)", max);
}

static void check_country(const struct refdata *ref, struct error *err, const char *field,
			  const char **v, struct arena *a)
{
	*v = trimmed(a, *v);
	if (!*v)
		return;
	const struct country *c = refdata_country(ref, *v);
	if (!c)
		error_field(err, field, "\"%s\" is not a country: use an ISO 3166 code such as KH, "
					"VN, CN or the English name",
			    *v);
	else
		*v = c->iso2;
}

/* A ';' (or ',') separated list of countries, normalised to "KH;VN". */
static void check_country_list(const struct refdata *ref, struct error *err, const char *field,
			       const char **v, struct arena *a)
{
	if (!*v || !**v) {
		*v = NULL;
		return;
	}
	struct dynbuf out = DYNBUF_INIT(4096);
	char *copy = arena_strdup(a, *v);
	char *save = NULL;
	int idx = 0;
	for (char *tok = strtok_r(copy, ";,|", &save); tok; tok = strtok_r(NULL, ";,|", &save)) {
		const char *t = trimmed(a, tok);
		if (!t)
			continue;
		const struct country *c = refdata_country(ref, t);
		if (!c) {
			char f[96];
			snprintf(f, sizeof f, "%s[%d]", field, idx);
			error_field(err, f, "\"%s\" is not a country: use ISO 3166 codes such as KH", t);
		} else if (!strstr(dynbuf_str(&out), c->iso2)) {
			dynbuf_addf(&out, "%s%s", out.len ? ";" : "", c->iso2);
		}
		idx++;
	}
	*v = out.len ? arena_strdup(a, dynbuf_str(&out)) : NULL;
	dynbuf_free(&out);
}

/* A date YYYY, YYYY-MM or YYYY-MM-DD (only a full one when full), not in the future. */
static void check_date(struct error *err, const char *field, const char **v, int full,
		       struct arena *a)
{
	*v = trimmed(a, *v);
	if (!*v)
		return;
	int y, m, d, p;
	if (seizure_parse_date(*v, &y, &m, &d, &p) != 0 || (full && p != 3)) {
		error_field(err, field, "\"%s\" is not a date: write %s", *v,
			    full ? "YYYY-MM-DD" : "YYYY-MM-DD, YYYY-MM or YYYY");
		return;
	}
	char today[16];
	clock_today(today, sizeof today);
	if (strncmp(*v, today, strlen(*v)) > 0)
		error_field(err, field, "%s is in the future", *v);
}

/* Four ASCII letters, written "Xxxx". */
static const char *script_code(struct arena *a, const char *s)
{
	if (!s || strlen(s) != 4)
		return NULL;
	char c[5];
	for (int i = 0; i < 4; i++) {
		char ch = s[i];
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch < 'A' || ch > 'Z')
			return NULL;
		c[i] = i ? (char)(ch - 'A' + 'a') : ch;
	}
	c[4] = '\0';
	return arena_strdup(a, c);
}

static void check_names(struct party *p, struct dynbuf *search, struct arena *a,
			struct error *err)
{
	if (p->nnames == 0) {
		error_field(err, "names", "at least one name is required");
		return;
	}
	if (p->nnames > PARTY_MAX_NAMES) {
		error_field(err, "names", "at most %d names", PARTY_MAX_NAMES);
		return;
	}
	char f[64];
	for (size_t i = 0; i < p->nnames; i++) {
		struct party_name *n = &p->names[i];
#define F(x) (snprintf(f, sizeof f, "names[%zu].%s", i, x), f)
		check_text(err, F("name"), &n->name, MAX_NAME, a);
		if (!n->name) {
			error_field(err, F("name"), "is required");
			continue;
		}
		if (!n->kind || !*n->kind)
			n->kind = "full";
		check_choice(err, F("kind"), &n->kind, name_kinds, 1, a);
		if (n->script && *n->script) {
			const char *code = script_code(a, n->script);
			if (!code)
				error_field(err, F("script"),
					    "\"%s\" is not an ISO 15924 script code (such as Latn, "
					    "Khmr, Thai, Laoo, Hani, Cyrl)",
					    n->script);
			n->script = code;
		} else {
			n->script = name_script_code(name_script_of(n->name));
		}
		struct dynbuf r = DYNBUF_INIT(MAX_ROMANISED);
		struct error e = ERROR_INIT;
		if (name_romanise(n->name, &r, &e) != 0) {
			error_field(err, F("name"), "%s", e.message ? e.message : "cannot be romanised");
			n->romanised = NULL;
		} else {
			n->romanised = r.len ? arena_strdup(a, dynbuf_str(&r)) : NULL;
		}
		error_clear(&e);
		dynbuf_free(&r);
		char *folded = text_fold(a, n->name, strlen(n->name));
		dynbuf_addf(search, "%s%s", search->len ? " | " : "", folded);
		if (n->romanised)
			dynbuf_addf(search, " | %s", n->romanised);
#undef F
	}
}

int party_validate(const struct refdata *ref, struct party *p, struct arena *a,
		   struct error *err)
{
	size_t before = err->nfields;
	p->kind = trimmed(a, p->kind);
	if (p->kind && strcmp(p->kind, "organization") == 0)
		p->kind = "organisation";
	static const char *const kinds[] = { "person", "organisation", NULL };
	check_choice(err, "kind", &p->kind, kinds, 1, a);
	p->sharing = trimmed(a, p->sharing);
	if (!p->sharing)
		p->sharing = "national";
	else if (strcmp(p->sharing, "agency") != 0 && strcmp(p->sharing, "national") != 0)
		error_field(err, "sharing", "must be \"agency\" (only the recording agency sees it) "
					    "or \"national\" (every agency of the system sees it)");
	struct dynbuf search = DYNBUF_INIT(1 << 20);
	check_names(p, &search, a, err);
	p->search_text = arena_strdup(a, dynbuf_str(&search));
	dynbuf_free(&search);
	check_text(err, "notes", &p->notes, MAX_NOTES, a);

	int person = p->kind && strcmp(p->kind, "person") == 0;
	int org = p->kind && strcmp(p->kind, "organisation") == 0;
	/* fields of the other kind */
	if (org) {
		if (p->sex && *p->sex)
			error_field(err, "sex", "is for persons only");
		if ((p->birth_date && *p->birth_date) || p->birth_year)
			error_field(err, p->birth_year ? "birth_year" : "birth_date",
				    "is for persons only");
		if (p->nationalities && *p->nationalities)
			error_field(err, "nationalities", "is for persons only (an organisation has "
							  "a country)");
	}
	if (person) {
		if (p->org_kind && *p->org_kind)
			error_field(err, "org_kind", "is for organisations only");
		if (p->nregistrations)
			error_field(err, "registrations", "are for organisations only");
		if (p->country && *p->country)
			error_field(err, "country", "is for organisations only (a person has "
						    "nationalities)");
	}

	/* persons */
	p->sex = trimmed(a, p->sex);
	if (p->sex) {
		if (strcmp(p->sex, "m") == 0 || strcmp(p->sex, "M") == 0)
			p->sex = "male";
		else if (strcmp(p->sex, "f") == 0 || strcmp(p->sex, "F") == 0)
			p->sex = "female";
	}
	check_choice(err, "sex", &p->sex, sexes, 0, a);
	check_date(err, "birth_date", &p->birth_date, 1, a);
	if (p->birth_date) {
		int y = (int)strtol(p->birth_date, NULL, 10);
		if (p->birth_year && p->birth_year != y)
			error_field(err, "birth_year", "%d does not agree with birth_date %s",
				    p->birth_year, p->birth_date);
		p->birth_year = y;
	} else if (p->birth_year) {
		char today[16];
		clock_today(today, sizeof today);
		if (p->birth_year < 1900 || p->birth_year > (int)strtol(today, NULL, 10))
			error_field(err, "birth_year", "%d is not a year of birth (1900 to %.4s)",
				    p->birth_year, today);
	}
	check_country_list(ref, err, "nationalities", &p->nationalities, a);

	/* organisations */
	check_choice(err, "org_kind", &p->org_kind, party_org_kinds, 0, a);
	check_country(ref, err, "country", &p->country, a);
	if (p->nregistrations > PARTY_MAX_REGISTRATIONS)
		error_field(err, "registrations", "at most %d registration numbers",
			    PARTY_MAX_REGISTRATIONS);
	for (size_t i = 0; i < p->nregistrations && i < PARTY_MAX_REGISTRATIONS; i++) {
		char f[64];
		struct party_registration *r = &p->registrations[i];
		snprintf(f, sizeof f, "registrations[%zu].number", i);
		check_text(err, f, &r->number, MAX_SHORT, a);
		if (!r->number)
			error_field(err, f, "is required");
		snprintf(f, sizeof f, "registrations[%zu].country", i);
		check_country(ref, err, f, &r->country, a);
	}
	return err->nfields > before ? -1 : 0;
}

int link_info_validate(struct link_info *l, const char *prefix, struct arena *a,
		       struct error *err)
{
	size_t before = err->nfields;
	char f[96];
	snprintf(f, sizeof f, "%ssource", prefix);
	check_text(err, f, &l->source, MAX_SHORT, a);
	snprintf(f, sizeof f, "%sdate", prefix);
	check_date(err, f, &l->date, 0, a);
	l->role = trimmed(a, l->role);
	return err->nfields > before ? -1 : 0;
}

int party_check_role(struct error *err, const char *field, const char **role,
		     const char *const *list, struct arena *a)
{
	size_t before = err->nfields;
	check_choice(err, field, role, list, 1, a);
	return err->nfields > before ? -1 : 0;
}
