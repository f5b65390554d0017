/*
 * Offenders, consignees and identifiers in the seizure import (see
 * import_parties.h): the header's party columns, their values per seizure,
 * validation, and the write inside the import's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/arena.h"
#include "lib/dynbuf.h"
#include "lib/strmap.h"
#include "lib/xalloc.h"
#include "party/identifier.h"
#include "party/party.h"
#include "ref/refdata.h"
#include "seizure/import_parties.h"
#include "store/store.h"
#include "text/fold.h"
#include "text/names.h"

enum { MAX_OFFENDERS = 20, MAX_SOURCE = 200 };

/* Columns of an offender. */
enum pf {
	PF_NAME, PF_OTHER_NAME, PF_ROLE, PF_SEX, PF_BIRTH_YEAR, PF_BIRTH_DATE, PF_NATIONALITY,
	PF_PHONE, PF_PASSPORT, PF_PASSPORT_COUNTRY, PF_ID_CARD, PF_EMAIL, PF_HANDLE, PF_COUNT
};

static const char *const pf_names[PF_COUNT] = {
	"name", "other_name", "role", "sex", "birth_year", "birth_date", "nationality",
	"phone", "passport", "passport_country", "id_card", "email", "handle",
};

/* Columns of the seizure. */
enum sf {
	SF_CONTAINER, SF_PLATE, SF_PLATE_COUNTRY, SF_VESSEL, SF_FLIGHT, SF_FLIGHT_DATE, SF_BOL,
	SF_AWB, SF_CONSIGNEE, SF_CONSIGNEE_KIND, SF_CONSIGNOR, SF_CONSIGNOR_KIND, SF_COUNT
};

static const char *const sf_names[SF_COUNT] = {
	"container", "vehicle_plate", "vehicle_plate_country", "vessel_imo", "flight",
	"flight_date", "bill_of_lading", "airway_bill", "consignee", "consignee_kind",
	"consignor", "consignor_kind",
};

/* Title synonyms, in normalised form (ASCII letters and digits, lower case). */
static const struct {
	int f;
	const char *t;
} pf_titles[] = {
	{ PF_NAME, "" }, { PF_NAME, "name" }, { PF_NAME, "fullname" },
	{ PF_OTHER_NAME, "othername" }, { PF_OTHER_NAME, "namekhmer" },
	{ PF_OTHER_NAME, "khmername" }, { PF_OTHER_NAME, "nameinkhmer" },
	{ PF_OTHER_NAME, "localname" }, { PF_OTHER_NAME, "namelocal" },
	{ PF_OTHER_NAME, "namelocalscript" }, { PF_OTHER_NAME, "namenativescript" },
	{ PF_OTHER_NAME, "alias" }, { PF_OTHER_NAME, "aka" },
	{ PF_ROLE, "role" },
	{ PF_SEX, "sex" }, { PF_SEX, "gender" },
	{ PF_BIRTH_YEAR, "birthyear" }, { PF_BIRTH_YEAR, "yearofbirth" }, { PF_BIRTH_YEAR, "yob" },
	{ PF_BIRTH_DATE, "birthdate" }, { PF_BIRTH_DATE, "dateofbirth" }, { PF_BIRTH_DATE, "dob" },
	{ PF_NATIONALITY, "nationality" }, { PF_NATIONALITY, "nationalities" },
	{ PF_NATIONALITY, "citizenship" },
	{ PF_PHONE, "phone" }, { PF_PHONE, "phones" }, { PF_PHONE, "phonenumber" },
	{ PF_PHONE, "telephone" }, { PF_PHONE, "tel" }, { PF_PHONE, "mobile" },
	{ PF_PASSPORT, "passport" }, { PF_PASSPORT, "passportnumber" },
	{ PF_PASSPORT, "passportno" },
	{ PF_PASSPORT_COUNTRY, "passportcountry" }, { PF_PASSPORT_COUNTRY, "passportissuingcountry" },
	{ PF_ID_CARD, "idcard" }, { PF_ID_CARD, "idcardnumber" }, { PF_ID_CARD, "nationalid" },
	{ PF_ID_CARD, "idnumber" }, { PF_ID_CARD, "identitycard" },
	{ PF_EMAIL, "email" }, { PF_EMAIL, "emailaddress" },
	{ PF_HANDLE, "handle" }, { PF_HANDLE, "onlinehandle" }, { PF_HANDLE, "socialmedia" },
	{ PF_HANDLE, "socialmediaaccount" },
};

static const struct {
	int f;
	const char *t;
} sf_titles[] = {
	{ SF_CONTAINER, "container" }, { SF_CONTAINER, "containers" },
	{ SF_CONTAINER, "containernumber" }, { SF_CONTAINER, "containerno" },
	{ SF_PLATE, "vehicleplate" }, { SF_PLATE, "plate" }, { SF_PLATE, "platenumber" },
	{ SF_PLATE, "licenceplate" }, { SF_PLATE, "licenseplate" }, { SF_PLATE, "numberplate" },
	{ SF_PLATE, "vehicleregistration" }, { SF_PLATE, "vehicleregistrationnumber" },
	{ SF_PLATE_COUNTRY, "vehicleplatecountry" }, { SF_PLATE_COUNTRY, "platecountry" },
	{ SF_VESSEL, "vesselimo" }, { SF_VESSEL, "imo" }, { SF_VESSEL, "imonumber" },
	{ SF_VESSEL, "vessel" }, { SF_VESSEL, "vesselimonumber" },
	{ SF_FLIGHT, "flight" }, { SF_FLIGHT, "flightnumber" }, { SF_FLIGHT, "flightno" },
	{ SF_FLIGHT_DATE, "flightdate" },
	{ SF_BOL, "billoflading" }, { SF_BOL, "billofladingnumber" }, { SF_BOL, "bl" },
	{ SF_BOL, "blnumber" },
	{ SF_AWB, "airwaybill" }, { SF_AWB, "airwaybillnumber" }, { SF_AWB, "awb" },
	{ SF_AWB, "awbnumber" },
	{ SF_CONSIGNEE, "consignee" }, { SF_CONSIGNEE, "consigneename" },
	{ SF_CONSIGNEE_KIND, "consigneekind" }, { SF_CONSIGNEE_KIND, "consigneetype" },
	{ SF_CONSIGNOR, "consignor" }, { SF_CONSIGNOR, "consignorname" },
	{ SF_CONSIGNOR, "shipper" },
	{ SF_CONSIGNOR_KIND, "consignorkind" }, { SF_CONSIGNOR_KIND, "consignortype" },
};

struct ip_err {
	size_t row;
	const char *field, *message;
};

/* An identifier of the seizure or of a party, validated. */
struct ip_ident {
	struct identifier id;     /* kind, value, key, display, country, platform, date */
	const char *role;         /* of the link */
	size_t row;
	int64_t stored;           /* after resolution (negative: would be created) */
};

/* A party named by the rows. */
struct ip_party {
	struct party p;
	struct party_name names[2];
	const char *role;         /* in the seizure */
	struct ip_ident *ids;
	size_t nids;
	const char *folded[2];    /* the names folded, for reuse */
	size_t row;
};

struct import_parties {
	int ocol[MAX_OFFENDERS + 1][PF_COUNT];   /* header index or -1; [0] unused */
	int scol[SF_COUNT];
	int noff;                 /* highest offender number with a column */
	/* the file */
	struct strmap keys;       /* reuse key -> party id (negative: would be created) */
	struct strmap idents;     /* "kind\x1fkey" -> identifier id */
	struct strmap seen;       /* "p<id>": existing party counted as reused */
	int64_t next_placeholder;
	int64_t agency_cached;
	char agency_country[8];
	struct import_parties_counts counts;
	/* the current seizure */
	struct arena ga;
	const struct refdata *ref;
	struct ip_err *errs;
	size_t nerrs, caperrs;
	struct ip_party *parties;
	size_t nparties, capparties;
	struct ip_ident *sids;
	size_t nsids, capsids;
};

/* ---- the header ----------------------------------------------------------- */

static void norm_title(const char *s, char *out, size_t size)
{
	size_t j = 0;
	for (; *s && j + 1 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80)
			out[j++] = (char)c;
		else if (c >= 'A' && c <= 'Z')
			out[j++] = (char)(c + 32);
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[j++] = (char)c;
	}
	out[j] = '\0';
}

/* Offender number and field of a normalised title: 0, or -1 when it is not one. */
static int offender_title(const char *t, int *num, int *f)
{
	static const char *const prefixes[] = { "offender", "suspect" };
	const char *rest = NULL;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes && !rest; i++)
		if (strncmp(t, prefixes[i], strlen(prefixes[i])) == 0)
			rest = t + strlen(prefixes[i]);
	if (!rest)
		return -1;
	int n = 0;
	if (*rest >= '1' && *rest <= '9') {
		while (*rest >= '0' && *rest <= '9' && n <= MAX_OFFENDERS)
			n = n * 10 + (*rest++ - '0');
		if (n > MAX_OFFENDERS)
			return -1;
	} else {
		n = 1;
	}
	for (size_t i = 0; i < sizeof pf_titles / sizeof *pf_titles; i++)
		if (strcmp(rest, pf_titles[i].t) == 0) {
			*num = n;
			*f = pf_titles[i].f;
			return 0;
		}
	return -1;
}

static struct import_parties *ip_new(void)
{
	struct import_parties *ip = xcalloc(1, sizeof *ip);
	for (int n = 0; n <= MAX_OFFENDERS; n++)
		for (int f = 0; f < PF_COUNT; f++)
			ip->ocol[n][f] = -1;
	for (int f = 0; f < SF_COUNT; f++)
		ip->scol[f] = -1;
	strmap_init(&ip->keys);
	strmap_init(&ip->idents);
	strmap_init(&ip->seen);
	arena_init(&ip->ga);
	return ip;
}

int import_parties_column(struct import_parties **ipp, size_t index, const char *title,
			  const char *const *titles, char **msg)
{
	char t[256] = { 0 };
	norm_title(title, t, sizeof t);
	int num = 0, f = -1, sf = -1;
	if (!*t)
		return 0;
	if (offender_title(t, &num, &f) != 0) {
		for (size_t i = 0; i < sizeof sf_titles / sizeof *sf_titles && sf < 0; i++)
			if (strcmp(t, sf_titles[i].t) == 0)
				sf = sf_titles[i].f;
		if (sf < 0)
			return 0;
	}
	if (!*ipp)
		*ipp = ip_new();
	struct import_parties *ip = *ipp;
	int *slot = sf >= 0 ? &ip->scol[sf] : &ip->ocol[num][f];
	if (*slot >= 0) {
		char canon[64];
		if (sf >= 0)
			snprintf(canon, sizeof canon, "%s", sf_names[sf]);
		else
			snprintf(canon, sizeof canon, "offender_%d_%s", num, pf_names[f]);
		*msg = xasprintf("columns \"%s\" and \"%s\" both give %s",
				 titles ? titles[*slot] : "?", title, canon);
		return -1;
	}
	*slot = (int)index;
	if (sf < 0 && num > ip->noff)
		ip->noff = num;
	return 1;
}

/* ---- errors --------------------------------------------------------------- */

static void add_err(struct import_parties *ip, size_t row, const char *field, const char *msg)
{
	ip->errs = arena_grow(&ip->ga, ip->errs, ip->nerrs, &ip->caperrs, sizeof *ip->errs);
	ip->errs[ip->nerrs++] = (struct ip_err){ row, arena_strdup(&ip->ga, field),
						 arena_strdup(&ip->ga, msg) };
}

size_t import_parties_nerrors(const struct import_parties *ip)
{
	return ip ? ip->nerrs : 0;
}

void import_parties_error(const struct import_parties *ip, size_t i, size_t *row,
			  const char **field, const char **message)
{
	*row = ip->errs[i].row;
	*field = ip->errs[i].field;
	*message = ip->errs[i].message;
}

/* ---- values of the rows ---------------------------------------------------- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The trimmed cell of header index col ("" when absent), in the arena. */
static const char *cell(struct import_parties *ip, const struct import_parties_row *r, int col)
{
	if (col < 0 || (size_t)col >= r->nfields)
		return "";
	const char *v = r->fields[col];
	size_t n = r->lens[col];
	while (n && is_space(*v)) {
		v++;
		n--;
	}
	while (n && is_space(v[n - 1]))
		n--;
	return n ? arena_strndup(&ip->ga, v, n) : "";
}

struct val {
	const char *v;            /* "" when blank in every row */
	size_t row;               /* where it came from (first row when blank) */
};

/* A party column over the rows: the first non-blank value; a later row
 * with another value is an error on that row. */
static struct val one_value(struct import_parties *ip, const struct import_parties_row *rows,
			    size_t nrows, int col, const char *field)
{
	struct val out = { "", rows[0].line };
	if (col < 0)
		return out;
	for (size_t r = 0; r < nrows; r++) {
		const char *v = cell(ip, &rows[r], col);
		if (!*v)
			continue;
		if (!*out.v) {
			out.v = v;
			out.row = rows[r].line;
		} else if (strcmp(out.v, v) != 0) {
			char *m = arena_sprintf(&ip->ga,
						"\"%s\" differs from \"%s\" on row %zu of the same "
						"seizure",
						v, out.v, out.row);
			add_err(ip, rows[r].line, field, m);
		}
	}
	return out;
}

/* The next ';'-separated item of *p (trimmed, in the arena), or NULL. */
static const char *next_item(struct import_parties *ip, const char **p)
{
	while (**p) {
		const char *s = *p;
		size_t n = strcspn(s, ";\n");
		*p = s + n + (s[n] ? 1 : 0);
		while (n && is_space(*s)) {
			s++;
			n--;
		}
		while (n && is_space(s[n - 1]))
			n--;
		if (n)
			return arena_strndup(&ip->ga, s, n);
	}
	return NULL;
}

/* ---- identifiers ------------------------------------------------------------ */

/*
 * Normalises one identifier value; on error adds it on field (the
 * identifier's column) or, for its country or date, on the qualifier's
 * column when there is one.  Returns 0 and fills *out, or -1.
 */
static int make_ident(struct import_parties *ip, enum ident_kind kind, const char *value,
		      const char *country, const char *platform, const char *date, size_t row,
		      const char *field, const char *country_field, const char *date_field,
		      struct ip_ident *out)
{
	struct ident_input in = { kind, value, country, platform, date, NULL };
	struct dynbuf key = DYNBUF_INIT(4096), display = DYNBUF_INIT(4096);
	struct error e = ERROR_INIT;
	int rc = ident_normalise(&in, ip->ref, &key, &display, &e);
	if (rc == 0) {
		memset(out, 0, sizeof *out);
		out->id.kind = ident_kind_name(kind);
		out->id.value = value;
		out->id.key = arena_strdup(&ip->ga, dynbuf_str(&key));
		out->id.display = arena_strdup(&ip->ga, dynbuf_str(&display));
		if (kind == IDENT_PASSPORT || kind == IDENT_ID_CARD || kind == IDENT_PLATE ||
		    kind == IDENT_BANK_ACCOUNT)
			out->id.country = country;
		if (kind == IDENT_HANDLE)
			out->id.platform = platform;
		if (kind == IDENT_FLIGHT)
			out->id.date = date;
		out->row = row;
	} else if (e.nfields) {
		for (size_t i = 0; i < e.nfields; i++) {
			const char *f = field;
			if (strcmp(e.fields[i].field, "country") == 0 && country_field)
				f = country_field;
			else if (strcmp(e.fields[i].field, "date") == 0 && date_field)
				f = date_field;
			add_err(ip, row, f, e.fields[i].message);
		}
	} else {
		add_err(ip, row, field,
			e.code == ERR_TOO_LARGE ? "is too long"
						: (e.message ? e.message : "is not a valid identifier"));
	}
	error_clear(&e);
	dynbuf_free(&key);
	dynbuf_free(&display);
	return rc == 0 ? 0 : -1;
}

/* A handle typed "platform:handle" or as a profile address. */
static void split_handle(struct import_parties *ip, const char *v, const char **platform,
			 const char **handle)
{
	const char *p = v;
	if (strncasecmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncasecmp(p, "http://", 7) == 0)
		p += 7;
	size_t host = strcspn(p, "/");
	if (p != v || (p[host] == '/' && memchr(p, '.', host))) {
		/* a profile address: the platform is the host's main label */
		const char *h = p;
		if (strncasecmp(h, "www.", 4) == 0)
			h += 4;
		else if (strncasecmp(h, "m.", 2) == 0)
			h += 2;
		size_t n = strcspn(h, "./");
		const char *label = arena_strndup(&ip->ga, h, n);
		if (strcasecmp(label, "t") == 0)
			label = "telegram";
		else if (strcasecmp(label, "wa") == 0)
			label = "whatsapp";
		*platform = label;
		*handle = v;
		return;
	}
	const char *colon = strchr(v, ':');
	if (colon) {
		const char *pl = arena_strndup(&ip->ga, v, (size_t)(colon - v));
		const char *h = colon + 1;
		while (is_space(*h))
			h++;
		*platform = pl;
		*handle = h;
		return;
	}
	*platform = NULL;
	*handle = v;
}

/* The default country of a phone without its international prefix: the
 * seizure's agency's, else the seizure's. */
static const char *phone_country(struct import_parties *ip, struct store *st,
				 const struct import_parties_seizure *s, struct error *err)
{
	if (s->agency_id <= 0)
		return s->country;
	if (ip->agency_cached != s->agency_id) {
		struct arena a;
		arena_init(&a);
		struct agency_rec ag;
		struct error e = ERROR_INIT;
		ip->agency_country[0] = '\0';
		if (store_agency_by_id(st, s->agency_id, &ag, &a, &e) == 0) {
			snprintf(ip->agency_country, sizeof ip->agency_country, "%s",
				 ag.country ? ag.country : "");
		} else if (e.code != ERR_NOT_FOUND) {
			error_set(err, e.code, "%s", e.message ? e.message : "reading agencies");
			error_clear(&e);
			arena_free(&a);
			return NULL;
		}
		error_clear(&e);
		arena_free(&a);
		ip->agency_cached = s->agency_id;
	}
	return ip->agency_country[0] ? ip->agency_country : s->country;
}

static void add_party_ident(struct import_parties *ip, struct ip_party *pp, size_t *cap,
			    const struct ip_ident *x)
{
	for (size_t i = 0; i < pp->nids; i++)
		if (strcmp(pp->ids[i].id.kind, x->id.kind) == 0 &&
		    strcmp(pp->ids[i].id.key, x->id.key) == 0)
			return;
	pp->ids = arena_grow(&ip->ga, pp->ids, pp->nids, cap, sizeof *pp->ids);
	pp->ids[pp->nids++] = *x;
}

/* ---- the check ---------------------------------------------------------------- */

static const char *lower_ascii(struct import_parties *ip, const char *v)
{
	char *s = arena_strdup(&ip->ga, v);
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

/* Maps a party_validate field to this import's column (in the arena). */
static const char *party_field(struct import_parties *ip, const char *f, const char *prefix)
{
	const char *col = "name";
	if (strncmp(f, "names[1]", 8) == 0)
		col = "other_name";
	else if (strncmp(f, "sex", 3) == 0)
		col = "sex";
	else if (strncmp(f, "birth_year", 10) == 0)
		col = "birth_year";
	else if (strncmp(f, "birth_date", 10) == 0)
		col = "birth_date";
	else if (strncmp(f, "nationalities", 13) == 0)
		col = "nationality";
	return arena_sprintf(&ip->ga, "%s%s", prefix, col);
}

/* The first item of a ';'-separated list (in the arena), or NULL. */
static const char *first_item(struct import_parties *ip, const char *list)
{
	const char *p = list;
	return next_item(ip, &p);
}

static int check_offender(struct import_parties *ip, struct store *st,
			  const struct import_parties_row *rows, size_t nrows,
			  const struct import_parties_seizure *s, int n, struct error *err)
{
	struct val v[PF_COUNT];
	char f[PF_COUNT][64];
	int any = 0;
	size_t first_row = 0;
	for (int k = 0; k < PF_COUNT; k++) {
		snprintf(f[k], sizeof f[k], "offender_%d_%s", n, pf_names[k]);
		v[k] = one_value(ip, rows, nrows, ip->ocol[n][k], f[k]);
		if (*v[k].v && (!any || v[k].row < first_row)) {
			first_row = v[k].row;
			any = 1;
		}
	}
	if (!any)
		return 0;
	if (!*v[PF_NAME].v && !*v[PF_OTHER_NAME].v) {
		add_err(ip, first_row, f[PF_NAME],
			arena_sprintf(&ip->ga, "is required when other columns of offender %d "
					       "are given",
				      n));
		return 0;
	}
	size_t cap = 0;
	ip->parties = arena_grow(&ip->ga, ip->parties, ip->nparties, &ip->capparties,
				 sizeof *ip->parties);
	struct ip_party *pp = &ip->parties[ip->nparties++];
	memset(pp, 0, sizeof *pp);
	pp->row = *v[PF_NAME].v ? v[PF_NAME].row : v[PF_OTHER_NAME].row;
	struct party *p = &pp->p;
	p->kind = "person";
	p->sharing = s->sharing;
	p->names = pp->names;
	if (*v[PF_NAME].v)
		pp->names[p->nnames++] = (struct party_name){ v[PF_NAME].v, NULL, "full", NULL };
	if (*v[PF_OTHER_NAME].v) {
		const char *kind = "full";
		if (p->nnames && name_script_of(v[PF_OTHER_NAME].v) == name_script_of(p->names[0].name))
			kind = "alias";
		pp->names[p->nnames++] = (struct party_name){ v[PF_OTHER_NAME].v, NULL, kind, NULL };
	}
	if (*v[PF_SEX].v) {
		const char *sx = lower_ascii(ip, v[PF_SEX].v);
		if (strcmp(sx, "ប្រុស") == 0)
			sx = "male";
		else if (strcmp(sx, "ស្រី") == 0)
			sx = "female";
		p->sex = sx;
	}
	if (*v[PF_BIRTH_YEAR].v) {
		const char *y = v[PF_BIRTH_YEAR].v;
		char *end;
		long year = strtol(y, &end, 10);
		if (strlen(y) != 4 || *end || year <= 0)
			add_err(ip, v[PF_BIRTH_YEAR].row, f[PF_BIRTH_YEAR],
				arena_sprintf(&ip->ga, "\"%s\" is not a year: write four digits, "
						       "e.g. 1980",
					      y));
		else
			p->birth_year = (int)year;
	}
	if (*v[PF_BIRTH_DATE].v)
		p->birth_date = v[PF_BIRTH_DATE].v;
	if (*v[PF_NATIONALITY].v)
		p->nationalities = v[PF_NATIONALITY].v;

	/* the party's own fields */
	struct error perr = ERROR_INIT;
	party_validate(ip->ref, p, &ip->ga, &perr);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "offender_%d_", n);
	for (size_t i = 0; i < perr.nfields; i++) {
		if (strcmp(perr.fields[i].field, "sharing") == 0)
			continue; /* the seizure's own sharing column reports it */
		const char *pf = party_field(ip, perr.fields[i].field, prefix);
		size_t row = pp->row;
		for (int k = 0; k < PF_COUNT; k++)
			if (strcmp(pf, f[k]) == 0 && *v[k].v)
				row = v[k].row;
		add_err(ip, row, pf, perr.fields[i].message);
	}
	error_clear(&perr);
	pp->role = *v[PF_ROLE].v ? lower_ascii(ip, v[PF_ROLE].v) : "suspect";
	party_check_role(&perr, "role", &pp->role, party_seizure_roles, &ip->ga);
	for (size_t i = 0; i < perr.nfields; i++)
		add_err(ip, v[PF_ROLE].row, f[PF_ROLE], perr.fields[i].message);
	error_clear(&perr);

	/* identifiers */
	const char *nat = p->nationalities ? first_item(ip, p->nationalities) : NULL;
	const char *phone_cc = NULL;
	if (*v[PF_PHONE].v) {
		phone_cc = phone_country(ip, st, s, err);
		if (!phone_cc)
			return -1;
	}
	static const struct {
		int f;
		enum ident_kind kind;
		const char *role;
	} kinds[] = {
		{ PF_PHONE, IDENT_PHONE, "uses" }, { PF_PASSPORT, IDENT_PASSPORT, "owns" },
		{ PF_ID_CARD, IDENT_ID_CARD, "owns" }, { PF_EMAIL, IDENT_EMAIL, "uses" },
		{ PF_HANDLE, IDENT_HANDLE, "uses" },
	};
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		int c = kinds[k].f;
		const char *list = v[c].v, *item;
		while ((item = next_item(ip, &list))) {
			const char *country = NULL, *platform = NULL, *value = item;
			const char *country_field = NULL;
			switch (kinds[k].kind) {
			case IDENT_PHONE:
				country = phone_cc;
				break;
			case IDENT_PASSPORT:
				if (*v[PF_PASSPORT_COUNTRY].v) {
					country = v[PF_PASSPORT_COUNTRY].v;
					country_field = f[PF_PASSPORT_COUNTRY];
				} else {
					country = nat;
				}
				break;
			case IDENT_ID_CARD:
				country = nat ? nat : s->country;
				break;
			case IDENT_HANDLE:
				split_handle(ip, item, &platform, &value);
				break;
			default:
				break;
			}
			if (!country && (kinds[k].kind == IDENT_PASSPORT)) {
				add_err(ip, v[c].row, f[c],
					arena_sprintf(&ip->ga,
						      "needs its issuing country: give offender %d "
						      "passport country or offender %d nationality",
						      n, n));
				continue;
			}
			struct ip_ident x;
			if (make_ident(ip, kinds[k].kind, value, country, platform, NULL, v[c].row,
				       f[c], country_field, NULL, &x) == 0) {
				x.role = kinds[k].role;
				add_party_ident(ip, pp, &cap, &x);
			}
		}
	}
	if (*v[PF_PASSPORT_COUNTRY].v && !*v[PF_PASSPORT].v)
		add_err(ip, v[PF_PASSPORT_COUNTRY].row, f[PF_PASSPORT_COUNTRY],
			arena_sprintf(&ip->ga, "is given without offender %d passport", n));
	return 0;
}

static void check_org(struct import_parties *ip, const struct import_parties_row *rows,
		      size_t nrows, const struct import_parties_seizure *s, int col, int kcol,
		      const char *role)
{
	struct val name = one_value(ip, rows, nrows, ip->scol[col], sf_names[col]);
	struct val kind = one_value(ip, rows, nrows, ip->scol[kcol], sf_names[kcol]);
	if (!*name.v) {
		if (*kind.v)
			add_err(ip, kind.row, sf_names[kcol],
				arena_sprintf(&ip->ga, "is given without a %s", role));
		return;
	}
	const char *k = "organisation";
	if (*kind.v) {
		const char *kv = lower_ascii(ip, kind.v);
		if (strcmp(kv, "person") == 0 || strcmp(kv, "individual") == 0)
			k = "person";
		else if (strcmp(kv, "organisation") != 0 && strcmp(kv, "organization") != 0 &&
			 strcmp(kv, "company") != 0) {
			add_err(ip, kind.row, sf_names[kcol],
				arena_sprintf(&ip->ga, "\"%s\" is not one of: person, organisation",
					      kind.v));
			return;
		}
	}
	ip->parties = arena_grow(&ip->ga, ip->parties, ip->nparties, &ip->capparties,
				 sizeof *ip->parties);
	struct ip_party *pp = &ip->parties[ip->nparties++];
	memset(pp, 0, sizeof *pp);
	pp->row = name.row;
	pp->role = role;
	pp->p.kind = k;
	pp->p.sharing = s->sharing;
	pp->p.names = pp->names;
	pp->p.nnames = 1;
	pp->names[0] = (struct party_name){ name.v, NULL, "full", NULL };
	struct error perr = ERROR_INIT;
	party_validate(ip->ref, &pp->p, &ip->ga, &perr);
	for (size_t i = 0; i < perr.nfields; i++)
		if (strcmp(perr.fields[i].field, "sharing") != 0)
			add_err(ip, name.row, sf_names[col], perr.fields[i].message);
	error_clear(&perr);
}

/* Identifiers seen in the seizure: every value of every row, once each. */
static void check_seizure_idents(struct import_parties *ip,
				 const struct import_parties_row *rows, size_t nrows,
				 const struct import_parties_seizure *s)
{
	static const struct {
		int f;
		enum ident_kind kind;
	} kinds[] = {
		{ SF_CONTAINER, IDENT_CONTAINER }, { SF_PLATE, IDENT_PLATE },
		{ SF_VESSEL, IDENT_VESSEL }, { SF_FLIGHT, IDENT_FLIGHT },
		{ SF_BOL, IDENT_BILL_OF_LADING }, { SF_AWB, IDENT_AIRWAY_BILL },
	};
	struct val plate_cc = one_value(ip, rows, nrows, ip->scol[SF_PLATE_COUNTRY],
					sf_names[SF_PLATE_COUNTRY]);
	struct val flight_date = one_value(ip, rows, nrows, ip->scol[SF_FLIGHT_DATE],
					   sf_names[SF_FLIGHT_DATE]);
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		int col = ip->scol[kinds[k].f];
		if (col < 0)
			continue;
		for (size_t r = 0; r < nrows; r++) {
			const char *list = cell(ip, &rows[r], col), *item;
			while ((item = next_item(ip, &list))) {
				const char *country = NULL, *date = NULL;
				const char *country_field = NULL, *date_field = NULL;
				if (kinds[k].kind == IDENT_PLATE) {
					country = *plate_cc.v ? plate_cc.v : s->country;
					if (*plate_cc.v)
						country_field = sf_names[SF_PLATE_COUNTRY];
				}
				if (kinds[k].kind == IDENT_FLIGHT) {
					date = *flight_date.v ? flight_date.v : s->date;
					if (*flight_date.v)
						date_field = sf_names[SF_FLIGHT_DATE];
				}
				struct ip_ident x;
				if (make_ident(ip, kinds[k].kind, item, country, NULL, date,
					       rows[r].line, sf_names[kinds[k].f], country_field,
					       date_field, &x) != 0)
					continue;
				x.role = "seen_in";
				int dup = 0;
				for (size_t i = 0; i < ip->nsids && !dup; i++)
					dup = strcmp(ip->sids[i].id.kind, x.id.kind) == 0 &&
					      strcmp(ip->sids[i].id.key, x.id.key) == 0;
				if (dup)
					continue;
				ip->sids = arena_grow(&ip->ga, ip->sids, ip->nsids, &ip->capsids,
						      sizeof *ip->sids);
				ip->sids[ip->nsids++] = x;
			}
		}
	}
}

int import_parties_check(struct import_parties *ip, struct store *st, const struct refdata *ref,
			 const struct import_parties_row *rows, size_t nrows,
			 const struct import_parties_seizure *s, struct error *err)
{
	arena_free(&ip->ga);
	arena_init(&ip->ga);
	ip->ref = ref;
	ip->errs = NULL;
	ip->nerrs = ip->caperrs = 0;
	ip->parties = NULL;
	ip->nparties = ip->capparties = 0;
	ip->sids = NULL;
	ip->nsids = ip->capsids = 0;
	if (!nrows)
		return 0;
	for (int n = 1; n <= ip->noff; n++)
		if (check_offender(ip, st, rows, nrows, s, n, err) != 0)
			return -1;
	check_org(ip, rows, nrows, s, SF_CONSIGNEE, SF_CONSIGNEE_KIND, "consignee");
	check_org(ip, rows, nrows, s, SF_CONSIGNOR, SF_CONSIGNOR_KIND, "consignor");
	check_seizure_idents(ip, rows, nrows, s);
	return (int)ip->nerrs;
}

/* ---- the write ------------------------------------------------------------------ */

/* The stored identifier for x (found, created, or counted as would be). */
static int resolve_ident(struct import_parties *ip, struct store *st, const struct actor *who,
			 struct ip_ident *x, int writing, struct error *err)
{
	const char *mk = arena_sprintf(&ip->ga, "%s\x1f%s", x->id.kind, x->id.key);
	int64_t id;
	if (strmap_get(&ip->idents, mk, &id)) {
		x->stored = id;
		return 0;
	}
	struct identifier found;
	int rc = store_identifier_find(st, x->id.kind, x->id.key, &found, &ip->ga, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		id = found.id;
		ip->counts.identifiers_reused++;
	} else {
		if (writing) {
			struct identifier saved;
			if (identifier_save_in_tx(st, who, &x->id, &saved, &ip->ga, err) != 0)
				return -1;
			id = saved.id;
		} else {
			id = --ip->next_placeholder;
		}
		ip->counts.identifiers_created++;
	}
	strmap_put(&ip->idents, mk, id);
	x->stored = id;
	return 0;
}

static int names_match(const struct import_parties *ip, const struct ip_party *pp,
		       const struct party *other, struct arena *a)
{
	(void)ip;
	if (!other->kind || strcmp(other->kind, pp->p.kind) != 0 || other->merged_into)
		return 0;
	for (size_t i = 0; i < other->nnames; i++) {
		const char *n = other->names[i].name;
		if (!n)
			continue;
		const char *f = text_fold(a, n, strlen(n));
		for (size_t k = 0; k < 2; k++)
			if (pp->folded[k] && *pp->folded[k] && strcmp(pp->folded[k], f) == 0)
				return 1;
	}
	return 0;
}

/* The file's reuse keys of a party (see import_parties.h). */
static size_t party_keys(struct import_parties *ip, const struct ip_party *pp,
			 const char **keys, size_t max)
{
	size_t n = 0;
	for (size_t k = 0; k < 2; k++) {
		const char *nm = pp->folded[k];
		if (!nm || !*nm)
			continue;
		if (strcmp(pp->p.kind, "organisation") == 0) {
			if (n < max)
				keys[n++] = arena_sprintf(&ip->ga, "o\x1f%s", nm);
			continue;
		}
		if (pp->p.birth_year && n < max)
			keys[n++] = arena_sprintf(&ip->ga, "p\x1f%s\x1fy%d", nm, pp->p.birth_year);
		for (size_t i = 0; i < pp->nids && n < max; i++)
			keys[n++] = arena_sprintf(&ip->ga, "p\x1f%s\x1fi%s\x1f%s", nm,
						  pp->ids[i].id.kind, pp->ids[i].id.key);
	}
	return n;
}

static void count_reused(struct import_parties *ip, int64_t id)
{
	char k[32];
	snprintf(k, sizeof k, "%lld", (long long)id);
	int64_t v;
	if (id > 0 && !strmap_get(&ip->seen, k, &v)) {
		strmap_put(&ip->seen, k, 1);
		ip->counts.parties_reused++;
	}
}

/*
 * The party pp names: reused (see import_parties.h) or created.  linked are
 * the parties of the stored seizure (re-import), may be NULL.
 */
static int resolve_party(struct import_parties *ip, struct store *st, const struct actor *who,
			 struct ip_party *pp, const struct seizure_party *linked, size_t nlinked,
			 int64_t agency_id, int writing, int64_t *out, struct error *err)
{
	for (size_t k = 0; k < pp->p.nnames && k < 2; k++)
		pp->folded[k] = text_fold(&ip->ga, pp->p.names[k].name, strlen(pp->p.names[k].name));
	const char *keys[2 * (PARTY_MAX_NAMES + 2)];
	size_t nkeys = party_keys(ip, pp, keys, sizeof keys / sizeof *keys);
	int64_t id = 0;
	/* 1. the seizure's own parties */
	for (size_t i = 0; i < nlinked && !id; i++)
		if (names_match(ip, pp, &linked[i].party, &ip->ga)) {
			id = linked[i].party.id;
			count_reused(ip, id);
		}
	/* 2. earlier in the file */
	for (size_t i = 0; i < nkeys && !id; i++)
		strmap_get(&ip->keys, keys[i], &id);
	/* 3. the register, through a shared identifier */
	for (size_t i = 0; i < pp->nids && !id; i++) {
		if (pp->ids[i].stored <= 0)
			continue;
		struct seizure_party *ps;
		struct party_seizure_link *ss;
		size_t np, ns;
		if (store_identifier_links(st, pp->ids[i].stored, &ps, &np, &ss, &ns, &ip->ga, err) !=
		    0)
			return -1;
		for (size_t j = 0; j < np && !id; j++)
			if (party_may_see(who, ps[j].party.agency_id, ps[j].party.sharing) &&
			    names_match(ip, pp, &ps[j].party, &ip->ga)) {
				id = ps[j].party.id;
				count_reused(ip, id);
			}
	}
	/* 4. a new party */
	if (!id) {
		if (writing) {
			pp->p.agency_id = agency_id;
			if (party_create_in_tx(st, who, &pp->p, &ip->ga, err) != 0)
				return -1;
			id = pp->p.id;
			char k[32];
			snprintf(k, sizeof k, "%lld", (long long)id);
			strmap_put(&ip->seen, k, 1);
		} else {
			id = --ip->next_placeholder;
		}
		ip->counts.parties_created++;
	}
	for (size_t i = 0; i < nkeys; i++)
		strmap_put(&ip->keys, keys[i], id);
	*out = id;
	return 0;
}

int import_parties_write(struct import_parties *ip, struct store *st, const struct actor *who,
			 const struct import_parties_seizure *s, int64_t seizure_id,
			 const char *filename, struct error *err)
{
	if (!ip->nparties && !ip->nsids)
		return 0;
	int writing = seizure_id > 0;
	char source[MAX_SOURCE + 1];
	if (filename && *filename) {
		/* cut at a character boundary */
		size_t n = strlen(filename), max = MAX_SOURCE - 7;
		if (n > max) {
			n = max;
			while (n && ((unsigned char)filename[n] & 0xC0) == 0x80)
				n--;
		}
		snprintf(source, sizeof source, "import %.*s", (int)n, filename);
	} else {
		snprintf(source, sizeof source, "import");
	}
	const char *date = s->date && *s->date ? s->date : NULL;

	/* identifiers seen in the seizure */
	for (size_t i = 0; i < ip->nsids; i++) {
		struct ip_ident *x = &ip->sids[i];
		if (resolve_ident(ip, st, who, x, writing, err) != 0)
			return -1;
		if (writing) {
			struct link_info l = { "seen_in", source, date, 0 };
			int created;
			if (seizure_link_identifier_in_tx(st, who, seizure_id, x->stored, &l, &created,
							  err) != 0)
				return -1;
		}
	}
	/* the parties of a re-imported seizure */
	struct seizure_party *linked = NULL;
	size_t nlinked = 0;
	if (s->existing_id > 0 && ip->nparties) {
		struct seizure_ident *si;
		size_t nsi;
		if (store_seizure_party_links(st, s->existing_id, &linked, &nlinked, &si, &nsi,
					      &ip->ga, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < ip->nparties; i++) {
		struct ip_party *pp = &ip->parties[i];
		for (size_t k = 0; k < pp->nids; k++)
			if (resolve_ident(ip, st, who, &pp->ids[k], writing, err) != 0)
				return -1;
		int64_t pid;
		if (resolve_party(ip, st, who, pp, linked, nlinked, s->agency_id, writing, &pid,
				  err) != 0)
			return -1;
		if (!writing)
			continue;
		struct link_info l = { pp->role, source, date, seizure_id };
		int created;
		if (party_link_seizure_in_tx(st, who, pid, seizure_id, &l, &created, err) != 0)
			return -1;
		for (size_t k = 0; k < pp->nids; k++) {
			struct link_info li = { pp->ids[k].role, source, date, seizure_id };
			if (party_link_identifier_in_tx(st, who, pid, pp->ids[k].stored, &li, &created,
							err) != 0)
				return -1;
		}
	}
	return 0;
}

void import_parties_counts(const struct import_parties *ip, struct import_parties_counts *out)
{
	if (ip)
		*out = ip->counts;
	else
		memset(out, 0, sizeof *out);
}

/* What the file created and reused so far (the maps are left freed). */
static void file_state_free(struct import_parties *ip)
{
	strmap_free(&ip->keys);
	strmap_free(&ip->idents);
	strmap_free(&ip->seen);
}

void import_parties_restart(struct import_parties *ip)
{
	if (!ip)
		return;
	file_state_free(ip);
	strmap_init(&ip->keys);
	strmap_init(&ip->idents);
	strmap_init(&ip->seen);
	ip->next_placeholder = 0;
	ip->agency_cached = 0;
	ip->agency_country[0] = '\0';
	memset(&ip->counts, 0, sizeof ip->counts);
}

void import_parties_free(struct import_parties *ip)
{
	if (!ip)
		return;
	file_state_free(ip);
	arena_free(&ip->ga);
	free(ip);
}
