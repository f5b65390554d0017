/*
 * Seizure import (see import.h): header mapping, a spill file that groups the
 * rows of each seizure, validation, and the write in one transaction.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "audit/audit.h"
#include "lib/arena.h"
#include "lib/csv.h"
#include "lib/dynbuf.h"
#include "lib/jsonwrite.h"
#include "lib/relay.h"
#include "lib/strmap.h"
#include "lib/table.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"
#include "seizure/import.h"
#include "seizure/import_parties.h"
#include "seizure/seizure.h"
#include "store/store.h"

/* ---- columns ------------------------------------------------------------- */

enum col {
	C_REF, C_DATE, C_AGENCY, C_COUNTRY, C_PLACE, C_PROVINCE, C_LOCODE, C_LATITUDE,
	C_LONGITUDE, C_REASON, C_TRANSPORT, C_DETECTION, C_CONCEALMENT, C_ORIGIN, C_TRANSIT,
	C_DESTINATION, C_NATIONALITIES, C_VALUE, C_CURRENCY, C_LEGAL, C_LAW, C_SANCTIONS,
	C_DISPOSAL, C_NOTES, C_SPECIES, C_TERM, C_QUANTITY, C_UNIT, C_LIVE, C_SHARING,
	C_CONCEALMENT_CODE, C_COUNT,
	C_REPORTING = -3, C_IGNORED = -2, C_NONE = -1
};

static const char *const column_names[C_COUNT] = {
	"seizure_ref", "date", "agency", "country", "place", "province", "locode", "latitude",
	"longitude", "reason", "transport_mode", "detection_method", "concealment", "origin",
	"transit", "destination", "offender_nationalities", "value_amount", "value_currency",
	"legal_action", "law", "sanctions", "disposal", "notes", "species", "term", "quantity",
	"unit", "live", "sharing", "concealment_code",
};

size_t seizure_column_count(void)
{
	return C_COUNT;
}

const char *seizure_column_name(size_t i)
{
	return i < C_COUNT ? column_names[i] : NULL;
}

static int is_item_col(int c)
{
	return c >= C_SPECIES && c <= C_LIVE;
}

/*
 * Header synonyms.  Compared after normalisation (ASCII letters and digits
 * lower-cased, other ASCII dropped, non-ASCII bytes kept), so "Date of
 * seizure", "date_of_seizure" and "DATE OF SEIZURE:" are one title.  The
 * first block is the CITES Annual Illegal Trade Report standard format
 * (SC71; Notification 2019/072) in the wording of its template and of its
 * guidelines; then common alternatives.  C_IGNORED titles are AITR columns
 * whose content the record derives itself: accepted, ignored, warned about.
 */
static const struct synonym {
	int col;
	const char *title;
} synonyms[] = {
	/* AITR standard format */
	{ C_DATE, "Date of seizure" },
	{ C_DATE, "Date of seizure (dd/mm/yyyy)" },
	{ C_AGENCY, "Detecting/seizing agency" },
	{ C_AGENCY, "Detecting agency" },
	{ C_AGENCY, "Seizing agency" },
	{ C_PLACE, "Location of seizure" },
	{ C_PLACE, "Location of seizure (city, port, airport, border crossing)" },
	{ C_COUNTRY, "Country of seizure" },
	{ C_REASON, "Reason for seizure" },
	{ C_TRANSPORT, "Mode of transport" },
	{ C_DETECTION, "Method of detection" },
	{ C_CONCEALMENT, "Method of concealment" },
	{ C_ORIGIN, "Alleged country of origin" },
	{ C_ORIGIN, "Country of origin" },
	{ C_TRANSIT, "Countries of transit" },
	{ C_TRANSIT, "Country of transit" },
	{ C_TRANSIT, "Alleged countries of transit" },
	{ C_DESTINATION, "Alleged final destination" },
	{ C_DESTINATION, "Alleged country of final destination" },
	{ C_DESTINATION, "Final destination" },
	{ C_NATIONALITIES, "Nationality of offenders" },
	{ C_NATIONALITIES, "Nationality of offender(s)" },
	{ C_NATIONALITIES, "Nationality of alleged offenders" },
	{ C_VALUE, "Estimated value" },
	{ C_VALUE, "Estimated value of specimens" },
	{ C_VALUE, "Estimated value (in local currency)" },
	{ C_CURRENCY, "Currency" },
	{ C_LEGAL, "Criminal/civil/administrative action" },
	{ C_LEGAL, "Criminal, civil or administrative action" },
	{ C_LAW, "Law under which charges were brought" },
	{ C_LAW, "Legislation under which charges were brought" },
	{ C_SANCTIONS, "Sanctions" },
	{ C_SANCTIONS, "Sanctions imposed" },
	{ C_DISPOSAL, "Disposal of confiscated specimens" },
	{ C_DISPOSAL, "Disposal of seized specimens" },
	{ C_NOTES, "Additional information" },
	{ C_NOTES, "Additional comments" },
	{ C_SPECIES, "Species" },
	{ C_SPECIES, "Species (scientific name)" },
	{ C_SPECIES, "Scientific name" },
	{ C_SPECIES, "Species name" },
	{ C_TERM, "Description of specimens" },
	{ C_TERM, "Description of specimen" },
	{ C_TERM, "Description of specimens (CITES term code)" },
	{ C_TERM, "Term" },
	{ C_TERM, "Term code" },
	{ C_TERM, "CITES term" },
	{ C_QUANTITY, "Quantity" },
	{ C_QUANTITY, "Quantity seized" },
	{ C_UNIT, "Unit" },
	{ C_UNIT, "Unit (code)" },
	{ C_UNIT, "Unit of measure" },
	{ C_UNIT, "Unit of quantity" },
	{ C_UNIT, "Unit code" },
	/* the country of seizure when the file has no such column (an AITR
	 * reports its own country's seizures) */
	{ C_REPORTING, "Reporting country" },
	{ C_REPORTING, "Reporting Party" },
	{ C_IGNORED, "CITES Appendix" },
	{ C_IGNORED, "Appendix" },
	{ C_IGNORED, "Description of specimens (name)" },
	{ C_IGNORED, "Term name" },
	{ C_IGNORED, "Unit name" },
	{ C_IGNORED, "Year" },
	/* the record's own names and common alternatives */
	{ C_REF, "Seizure reference" },
	{ C_REF, "Seizure reference number" },
	{ C_REF, "Reference" },
	{ C_REF, "Reference number" },
	{ C_REF, "Ref" },
	{ C_REF, "Seizure ID" },
	{ C_REF, "Seizure number" },
	{ C_REF, "Case number" },
	{ C_DATE, "Seizure date" },
	{ C_AGENCY, "Agency name" },
	{ C_PLACE, "Location" },
	{ C_PLACE, "Place of seizure" },
	{ C_PROVINCE, "Province/state" },
	{ C_PROVINCE, "State/province" },
	{ C_PROVINCE, "Province of seizure" },
	{ C_LOCODE, "UN/LOCODE" },
	{ C_LOCODE, "LOCODE of seizure" },
	{ C_LATITUDE, "Lat" },
	{ C_LONGITUDE, "Lon" },
	{ C_LONGITUDE, "Lng" },
	{ C_LONGITUDE, "Long" },
	{ C_REASON, "Reason" },
	{ C_TRANSPORT, "Transport" },
	{ C_TRANSPORT, "Transport mode" },
	{ C_TRANSPORT, "Mode of transportation" },
	{ C_DETECTION, "Detection" },
	{ C_DETECTION, "Detection method" },
	{ C_CONCEALMENT, "Concealment method" },
	{ C_ORIGIN, "Origin country" },
	{ C_ORIGIN, "Countries of origin" },
	{ C_TRANSIT, "Transit countries" },
	{ C_DESTINATION, "Destination" },
	{ C_DESTINATION, "Country of destination" },
	{ C_DESTINATION, "Destination country" },
	{ C_NATIONALITIES, "Offender nationalities" },
	{ C_NATIONALITIES, "Offender nationality" },
	{ C_NATIONALITIES, "Nationalities" },
	{ C_VALUE, "Value" },
	{ C_VALUE, "Value amount" },
	{ C_CURRENCY, "Value currency" },
	{ C_LEGAL, "Legal action" },
	{ C_LEGAL, "Action taken" },
	{ C_LAW, "Legislation" },
	{ C_SANCTIONS, "Sanction" },
	{ C_SANCTIONS, "Penalty" },
	{ C_SANCTIONS, "Penalties" },
	{ C_DISPOSAL, "Disposal of specimens" },
	{ C_NOTES, "Notes" },
	{ C_NOTES, "Note" },
	{ C_NOTES, "Remarks" },
	{ C_NOTES, "Comments" },
	{ C_SPECIES, "Taxon" },
	{ C_TERM, "Specimen" },
	{ C_TERM, "Specimens" },
	{ C_TERM, "Specimen type" },
	{ C_QUANTITY, "Qty" },
	{ C_UNIT, "Units" },
	{ C_LIVE, "Live/dead" },
	{ C_LIVE, "Live or dead" },
	{ C_LIVE, "Alive" },
	{ C_SHARING, "Visibility" },
};

/* Normalised title: ASCII letters/digits lower-cased, other ASCII dropped. */
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

static int column_for_title(const char *title)
{
	char want[256], have[256];
	norm_title(title, want, sizeof want);
	if (!*want)
		return C_NONE;
	for (int c = 0; c < C_COUNT; c++) {
		norm_title(column_names[c], have, sizeof have);
		if (strcmp(want, have) == 0)
			return c;
	}
	for (size_t i = 0; i < sizeof synonyms / sizeof *synonyms; i++) {
		norm_title(synonyms[i].title, have, sizeof have);
		if (strcmp(want, have) == 0)
			return synonyms[i].col;
	}
	return C_NONE - 10; /* unknown */
}

/* ---- the report ---------------------------------------------------------- */

void import_report_free(struct import_report *rep)
{
	for (size_t i = 0; i < rep->nagencies; i++)
		free(rep->agencies_created[i]);
	free(rep->agencies_created);
	for (size_t i = 0; i < rep->nerrors; i++) {
		free(rep->errors[i].field);
		free(rep->errors[i].message);
	}
	free(rep->errors);
	for (size_t i = 0; i < rep->nwarnings; i++)
		free(rep->warnings[i]);
	free(rep->warnings);
	memset(rep, 0, sizeof *rep);
}

static void add_warning(struct import_report *rep, char *msg)
{
	rep->warnings = xreallocarray(rep->warnings, rep->nwarnings + 1, sizeof *rep->warnings);
	rep->warnings[rep->nwarnings++] = msg;
}

static void add_error(struct import_report *rep, size_t max, size_t row, const char *field,
		      const char *message)
{
	if (rep->nerrors >= max) {
		rep->errors_omitted++;
		return;
	}
	rep->errors = xreallocarray(rep->errors, rep->nerrors + 1, sizeof *rep->errors);
	rep->errors[rep->nerrors++] = (struct import_error){ row, xstrdup(field), xstrdup(message) };
}

/* Stable sort by row (the list is short: at most max_errors). */
static void sort_errors(struct import_report *rep)
{
	for (size_t i = 1; i < rep->nerrors; i++) {
		struct import_error e = rep->errors[i];
		size_t j = i;
		while (j > 0 && rep->errors[j - 1].row > e.row) {
			rep->errors[j] = rep->errors[j - 1];
			j--;
		}
		rep->errors[j] = e;
	}
}

json_t *import_report_to_json(const struct import_report *rep, const char *rejects_csv)
{
	json_t *errors = json_array();
	for (size_t i = 0; i < rep->nerrors; i++)
		json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "row",
							(json_int_t)rep->errors[i].row, "field",
							rep->errors[i].field, "message",
							rep->errors[i].message));
	json_t *agencies = json_array();
	for (size_t i = 0; i < rep->nagencies; i++)
		json_array_append_new(agencies, json_string(rep->agencies_created[i]));
	json_t *warnings = json_array();
	for (size_t i = 0; i < rep->nwarnings; i++)
		json_array_append_new(warnings, json_string(rep->warnings[i]));
	json_t *j = json_pack(
		"{s:b, s:b, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:I, s:o}", "dry_run",
		rep->dry_run, "committed", rep->committed, "import_id", (json_int_t)rep->import_id,
		"rows", (json_int_t)rep->rows, "rows_rejected", (json_int_t)rep->rows_rejected,
		"seizures", "created", (json_int_t)rep->created, "updated",
		(json_int_t)rep->updated, "unchanged", (json_int_t)rep->unchanged, "rejected",
		(json_int_t)rep->rejected, "agencies_created", agencies, "errors", errors,
		"errors_omitted", (json_int_t)rep->errors_omitted, "warnings", warnings);
	if (rep->party_columns) {
		json_object_set_new(j, "parties",
				    json_pack("{s:I, s:I}", "created",
					      (json_int_t)rep->parties_created, "reused",
					      (json_int_t)rep->parties_reused));
		json_object_set_new(j, "identifiers",
				    json_pack("{s:I, s:I}", "created",
					      (json_int_t)rep->identifiers_created, "reused",
					      (json_int_t)rep->identifiers_reused));
	}
	if (rejects_csv)
		json_object_set_new(j, "rejects_csv", json_string(rejects_csv));
	return j;
}

/* ---- value parsing ------------------------------------------------------- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A plain decimal: [+-]digits[.digits][e[+-]digits]. 0 ok, -1 not a number. */
static int parse_number(const char *s, double *out)
{
	const char *p = s;
	int digits = 0;
	if (*p == '+' || *p == '-')
		p++;
	while (is_digit(*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (is_digit(*p)) {
			p++;
			digits++;
		}
	}
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return -1;
		while (is_digit(*p))
			p++;
	}
	if (*p)
		return -1;
	*out = strtod(s, NULL);
	return isfinite(*out) ? 0 : -1;
}

static const char *number_problem(const char *s)
{
	if (strchr(s, ',') || strchr(s, ' ') || strchr(s, '\''))
		return "is not a number: write it without thousands separators, with a point "
		       "for decimals (e.g. 1234.5)";
	return "is not a number (write digits, with a point for decimals, e.g. 12.5)";
}

/* 1 live, 0 dead, -1 not stated, -2 not understood. */
static int parse_live(const char *s)
{
	static const char *const yes[] = { "live", "alive", "true", "yes", "y", "1" };
	static const char *const no[] = { "dead", "false", "no", "n", "0" };
	if (!*s)
		return -1;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -2;
}

static void upper_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 32);
}

/* s with ASCII letters lower-cased, in place; returns s (agency names are
 * matched so, and the sharing column read so). */
static char *lower_ascii(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

/* A term code for a code or an English/Khmer term name; the input when none. */
static const char *term_code(const struct refdata *ref, const char *v, struct arena *a)
{
	char *up = arena_strdup(a, v);
	upper_ascii(up);
	if (refdata_term(ref, up))
		return up;
	const struct code_entry *t;
	size_t n = refdata_terms(ref, &t);
	for (size_t i = 0; i < n; i++)
		if ((t[i].name_en && strcasecmp(t[i].name_en, v) == 0) ||
		    (t[i].name_km && *t[i].name_km && strcmp(t[i].name_km, v) == 0))
			return t[i].code;
	return v;
}

/* A unit code for a code, a usual abbreviation or an English/Khmer name. */
static const char *unit_code(const struct refdata *ref, const char *v, struct arena *a)
{
	static const struct {
		const char *alias, *code;
	} aliases[] = {
		{ "kg", "KIL" }, { "kgs", "KIL" }, { "kilo", "KIL" }, { "kilos", "KIL" },
		{ "kilogram", "KIL" }, { "g", "GRM" }, { "gram", "GRM" }, { "gr", "GRM" },
		{ "mg", "MGM" }, { "l", "LTR" }, { "litre", "LTR" }, { "liter", "LTR" },
		{ "liters", "LTR" }, { "ml", "MLT" }, { "m", "MTR" }, { "metre", "MTR" },
		{ "meter", "MTR" }, { "meters", "MTR" }, { "cm", "CTM" }, { "m2", "SQM" },
		{ "m3", "CUM" }, { "t", "TON" }, { "tonne", "TON" }, { "tonnes", "TON" },
		{ "piece", "PCS" }, { "pc", "PCS" }, { "pair", "PAI" }, { "box", "BOX" },
		{ "bag", "BAG" }, { "bottle", "BOT" }, { "-", "" }, { "number", "" },
		{ "specimens", "" }, { "count", "" }, { "head", "" },
	};
	char *up = arena_strdup(a, v);
	upper_ascii(up);
	if (refdata_unit(ref, up) || strcmp(up, "NUM") == 0 || strcmp(up, "NAR") == 0)
		return up;
	for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
		if (strcasecmp(aliases[i].alias, v) == 0)
			return aliases[i].code;
	const struct code_entry *u;
	size_t n = refdata_units(ref, &u);
	for (size_t i = 0; i < n; i++)
		if ((u[i].name_en && strcasecmp(u[i].name_en, v) == 0) ||
		    (u[i].name_km && *u[i].name_km && strcmp(u[i].name_km, v) == 0))
			return u[i].code;
	return v;
}

/* ---- the grouping index -------------------------------------------------- */

/* One data row in the spill file. */
struct rowref {
	uint32_t group;
	uint32_t seq;
	uint64_t off;
};

struct group {
	uint64_t check;           /* a second, independent hash of its key */
	uint32_t nrows;
	uint32_t dup;             /* 0: has a seizure_ref; n: n-th row without one of that content */
};

/* Open-addressing map from a 64-bit hash to a 32-bit value; several slots may
 * hold one hash (callers verify). */
struct hmap {
	struct hslot {
		uint64_t h;
		uint32_t v;
	} *slots;
	size_t cap, n;
};

static void hmap_init(struct hmap *m)
{
	m->cap = 1024;
	m->n = 0;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
}

static void hmap_free(struct hmap *m)
{
	free(m->slots);
	m->slots = NULL;
}

static void hmap_put(struct hmap *m, uint64_t h, uint32_t v)
{
	if ((m->n + 1) * 4 > m->cap * 3) { /* load at most 3/4 */
		struct hslot *old = m->slots;
		size_t oldcap = m->cap;
		m->cap *= 2;
		m->slots = xcalloc(m->cap, sizeof *m->slots);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].h) {
				size_t j = old[i].h & (m->cap - 1);
				while (m->slots[j].h)
					j = (j + 1) & (m->cap - 1);
				m->slots[j] = old[i];
			}
		free(old);
	}
	size_t j = h & (m->cap - 1);
	while (m->slots[j].h)
		j = (j + 1) & (m->cap - 1);
	m->slots[j] = (struct hslot){ h, v };
	m->n++;
}

/* The slot index after *pos holding h, or -1; start with *pos = (size_t)-1. */
static struct hslot *hmap_next(struct hmap *m, uint64_t h, size_t *pos)
{
	size_t j = *pos == (size_t)-1 ? (h & (m->cap - 1)) : ((*pos + 1) & (m->cap - 1));
	for (; m->slots[j].h; j = (j + 1) & (m->cap - 1)) {
		if (m->slots[j].h == h) {
			*pos = j;
			return &m->slots[j];
		}
	}
	return NULL;
}

/* ---- the import state ---------------------------------------------------- */

enum { MAX_GROUP_ROWS = 501, DEFAULT_MAX_ERRORS = 1000, PROGRESS_EVERY = 2048 };

/* Rejected rows kept in memory while pass 2 runs on the heels of pass 1
 * (they cannot be written out before it is sure not to start again): past
 * this, it gives up and pass 2 reads the spill file instead. */
enum { STREAM_REJECTS_HELD = 4 << 20 };

struct row {
	size_t line;
	size_t nfields;
	char **fields;            /* as read */
	size_t *lens;             /* lengths as read */
	const char *cv[C_COUNT];  /* value of each column, trimmed; "" when absent */
};

struct importer {
	struct store *st;
	const struct refdata *ref;
	const struct actor *who;
	const struct import_options *opt;
	struct import_report *rep;
	size_t max_errors;

	/* header */
	size_t nheader;
	char **header;            /* copies of the header cells */
	int *colof;               /* header index -> column (C_NONE: ignored) */
	int idx[C_COUNT];         /* column -> header index, -1 when absent */

	/* spill */
	FILE *spill;
	uint64_t spill_size;      /* bytes written */
	uint64_t read_pos;        /* where the FILE's position is while reading */
	int reading;
	struct rowref *rows;
	size_t nrows, caprows;
	struct group *groups;
	size_t ngroups, capgroups;
	struct hmap keys;         /* (agency, ref) key hash -> group */
	struct hmap contents;     /* content hash of rows without ref -> count */
	/* the key of the row before, when it had a reference */
	int last_valid;
	uint64_t last_h, last_check;
	uint32_t last_group;
	char *own_agency;         /* the actor's agency name */

	/* pass 2 */
	/* lower-cased name -> id (negative: would be created); written by the
	 * calling thread only, under agency_mu, read by the reading thread
	 * under it (see known_agency()) */
	struct strmap agencies;
	pthread_mutex_t agency_mu;
	int64_t next_placeholder;
	int64_t import_id;
	int writing;              /* inside a transaction and still writing */
	int register_empty;       /* no seizure when the import began: none to look up */
	int failed;               /* a row was invalid (all-or-nothing) */
	size_t invalid_rows;
	size_t done_rows;
	struct dynbuf rejects;
	int rejects_header_done;
	int hold_rejects;         /* keep them in memory: pass 2 may start again */
	atomic_int give_up_stream; /* set by the calling thread, read by the reading one */
	/* offender and identifier columns (import_parties.h); NULL when none */
	struct import_parties *parties;
};

static void progress(struct importer *im, size_t rows, double fraction)
{
	if (im->opt->progress)
		im->opt->progress(im->opt->progress_ctx, rows, fraction);
}

/* A field of a row by column, trimmed; "" when absent. */
static const char *get(const struct importer *im, const struct row *r, int c)
{
	(void)im;
	return r->cv[c];
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Fills r->cv from r->fields (a copy only when there is trailing space). */
static void column_values(const struct importer *im, struct row *r, struct arena *a)
{
	for (int c = 0; c < C_COUNT; c++) {
		int i = im->idx[c];
		if (i < 0 || (size_t)i >= r->nfields) {
			r->cv[c] = "";
			continue;
		}
		const char *v = r->fields[i];
		size_t n = r->lens[i];
		while (n && is_space(*v)) {
			v++;
			n--;
		}
		if (n && is_space(v[n - 1])) {
			while (n && is_space(v[n - 1]))
				n--;
			v = arena_strndup(a, v, n);
		}
		r->cv[c] = v;
	}
}

/* ---- pass 1: header and spill -------------------------------------------- */

/* Whether a term column's title names the code ("Term code", "Description
 * of specimens (CITES term code)") rather than the description. */
static int title_says_code(const char *title)
{
	for (const char *p = title; *p; p++)
		if (strncasecmp(p, "code", 4) == 0)
			return 1;
	return 0;
}

static int read_header(struct importer *im, const struct csv_record *row, struct error *err)
{
	im->nheader = row->nfields;
	im->header = xcalloc(row->nfields ? row->nfields : 1, sizeof *im->header);
	im->colof = xcalloc(row->nfields ? row->nfields : 1, sizeof *im->colof);
	for (int c = 0; c < C_COUNT; c++)
		im->idx[c] = -1;
	struct dynbuf unknown = DYNBUF_INIT(1 << 16), ignored = DYNBUF_INIT(1 << 16);
	int bad = 0, reporting = -1;
	for (size_t i = 0; i < row->nfields; i++) {
		im->header[i] = xstrdup(row->fields[i]);
		int c = column_for_title(row->fields[i]);
		im->colof[i] = C_NONE;
		if (c == C_NONE)
			continue;
		if (c == C_IGNORED) {
			dynbuf_addf(&ignored, "%s\"%s\"", ignored.len ? ", " : "", row->fields[i]);
			continue;
		}
		if (c == C_REPORTING) {
			if (reporting < 0)
				reporting = (int)i;
			continue;
		}
		if (c < 0) {
			/* offender and identifier columns (import_parties.h) */
			char *pm = NULL;
			int pc = import_parties_column(&im->parties, i, row->fields[i],
						       (const char *const *)im->header, &pm);
			if (pc < 0) {
				add_error(im->rep, im->max_errors, row->line, "columns", pm);
				free(pm);
				bad = 1;
			}
			if (pc != 0)
				continue;
			dynbuf_addf(&unknown, "%s\"%s\"", unknown.len ? ", " : "", row->fields[i]);
			continue;
		}
		if (c == C_TERM && im->idx[c] >= 0 &&
		    title_says_code(row->fields[i]) != title_says_code(im->header[im->idx[c]])) {
			/* the AITR's "Term code" and "Description of specimens":
			 * the code is read, the description ignored */
			size_t drop = title_says_code(row->fields[i]) ? (size_t)im->idx[c] : i;
			dynbuf_addf(&ignored, "%s\"%s\"", ignored.len ? ", " : "", im->header[drop]);
			if (drop != i) {
				im->colof[drop] = C_NONE;
				im->idx[c] = (int)i;
				im->colof[i] = c;
			}
			continue;
		}
		if (im->idx[c] >= 0) {
			char *m = xasprintf("columns \"%s\" and \"%s\" both give %s",
					    im->header[im->idx[c]], row->fields[i], column_names[c]);
			add_error(im->rep, im->max_errors, row->line, "columns", m);
			free(m);
			bad = 1;
			continue;
		}
		im->idx[c] = (int)i;
		im->colof[i] = c;
	}
	if (unknown.len) {
		char *m = xasprintf("unknown column%s %s: use the canonical names (%s, ...) or the "
				    "CITES illegal trade report titles",
				    strchr(dynbuf_str(&unknown), ',') ? "s" : "",
				    dynbuf_str(&unknown), "seizure_ref, date, agency, country");
		add_error(im->rep, im->max_errors, row->line, "columns", m);
		free(m);
		bad = 1;
	}
	if (reporting >= 0 && im->idx[C_COUNTRY] < 0) {
		im->idx[C_COUNTRY] = reporting;
		im->colof[reporting] = C_COUNTRY;
		add_warning(im->rep, xasprintf("the country of seizure is read from \"%s\" (the "
					       "file has no country column)",
					       im->header[reporting]));
	} else if (reporting >= 0) {
		dynbuf_addf(&ignored, "%s\"%s\"", ignored.len ? ", " : "", im->header[reporting]);
	}
	if (ignored.len)
		add_warning(im->rep, xasprintf("ignored column(s) %s: the record derives them",
					       dynbuf_str(&ignored)));
	static const int required[] = { C_DATE, C_COUNTRY, C_SPECIES, C_TERM, C_QUANTITY };
	for (size_t k = 0; k < sizeof required / sizeof *required; k++)
		if (im->idx[required[k]] < 0) {
			char *m = xasprintf("the required column %s is missing",
					    column_names[required[k]]);
			add_error(im->rep, im->max_errors, row->line, "columns", m);
			free(m);
			bad = 1;
		}
	dynbuf_free(&unknown);
	dynbuf_free(&ignored);
	if (bad)
		return error_set(err, ERR_VALIDATION,
				 "the header row (row %zu) is not usable; nothing was imported",
				 row->line);
	return 0;
}

static int spill_write(struct importer *im, const void *p, size_t n, struct error *err)
{
	if (n && fwrite(p, 1, n, im->spill) != n)
		return error_set(err, ERR_IO, "writing the import's temporary file: %s",
				 strerror(errno));
	im->spill_size += n;
	return 0;
}

/* Lower-cased (ASCII) trimmed agency name and trimmed ref, '\x1f'-joined. */
static void group_key(const struct importer *im, struct dynbuf *key, char *const *fields,
		      const size_t *lens, size_t nfields, int *has_ref)
{
	dynbuf_reset(key);
	const char *agency = "", *ref = "";
	size_t alen = 0, rlen = 0;
	if (im->idx[C_AGENCY] >= 0 && (size_t)im->idx[C_AGENCY] < nfields) {
		agency = fields[im->idx[C_AGENCY]];
		alen = lens[im->idx[C_AGENCY]];
	}
	if (im->idx[C_REF] >= 0 && (size_t)im->idx[C_REF] < nfields) {
		ref = fields[im->idx[C_REF]];
		rlen = lens[im->idx[C_REF]];
	}
	/* trimmed as column_values() trims the values: one key per (agency, ref) */
	while (alen && is_space(*agency)) {
		agency++;
		alen--;
	}
	while (alen && is_space(agency[alen - 1]))
		alen--;
	while (rlen && is_space(*ref)) {
		ref++;
		rlen--;
	}
	while (rlen && is_space(ref[rlen - 1]))
		rlen--;
	*has_ref = rlen > 0;
	if (!alen) {
		agency = im->own_agency;
		alen = strlen(agency);
	}
	for (size_t i = 0; i < alen; i++) {
		char c = agency[i];
		dynbuf_addc(key, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
	}
	dynbuf_addc(key, '\x1f');
	dynbuf_add(key, ref, rlen);
}

static uint64_t content_hash64(const struct importer *im, char *const *fields, const size_t *lens,
			       size_t nfields)
{
	crypto_generichash_state h;
	unsigned char d[8];
	crypto_generichash_init(&h, NULL, 0, sizeof d);
	for (int c = 0; c < C_COUNT; c++) {
		int i = im->idx[c];
		if (i >= 0 && (size_t)i < nfields)
			crypto_generichash_update(&h, (const unsigned char *)fields[i], lens[i]);
		crypto_generichash_update(&h, (const unsigned char *)"\x1f", 1);
	}
	crypto_generichash_final(&h, d, sizeof d);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return v;
}

/* The check hash of a key: SipHash-2-4 (libsodium's shorthash, made for
 * short inputs) under a fixed key, independent of strmap_hash(). */
static uint64_t key_check(const struct dynbuf *key)
{
	static const unsigned char k[crypto_shorthash_KEYBYTES] = "kouprey-import-k";
	unsigned char d[crypto_shorthash_BYTES];
	crypto_shorthash(d, (const unsigned char *)dynbuf_str(key), key->len, k);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return v;
}

static struct group *new_group(struct importer *im, uint32_t *g)
{
	if (im->ngroups == im->capgroups) {
		im->capgroups = im->capgroups ? im->capgroups * 2 : 1024;
		im->groups = xreallocarray(im->groups, im->capgroups, sizeof *im->groups);
	}
	*g = (uint32_t)im->ngroups;
	struct group *gr = &im->groups[im->ngroups++];
	memset(gr, 0, sizeof *gr);
	return gr;
}

/*
 * Pass 1 runs on two threads: a parsing thread reads the rows, works out each
 * row's grouping key (as two hashes) and builds its spill record; the calling
 * thread groups the rows and writes the records to the spill file.
 */

/* A data row as the parsing thread hands it over; its spill record is in the
 * batch's buffer. */
struct parsed_row {
	size_t line;
	size_t len;               /* of its spill record */
	int has_ref;
	uint64_t h, check;        /* with a reference: its key's two hashes */
	uint64_t content;         /* without: its content hash (not 0) */
	/* set by group_row() */
	uint32_t group;
	int rejoins;              /* its seizure had rows before, then other rows */
};

/* Groups one row whose spill record will be at off: sets pr->group and
 * pr->rejoins.  The thread that groups (group_parsed()). */
static int group_row(struct importer *im, struct parsed_row *pr, uint64_t off,
		     struct error *err)
{
	if (im->nrows >= UINT32_MAX - 1)
		return error_set(err, ERR_TOO_LARGE, "too many rows in one import");
	uint32_t g = UINT32_MAX;
	if (!pr->has_ref) {
		size_t pos = (size_t)-1;
		struct hslot *s = hmap_next(&im->contents, pr->content, &pos);
		uint32_t n = 1;
		if (s)
			n = ++s->v;
		else
			hmap_put(&im->contents, pr->content, 1);
		new_group(im, &g)->dup = n;
		im->last_valid = 0;
	} else if (im->last_valid && im->last_h == pr->h && im->last_check == pr->check) {
		g = im->last_group;
	} else {
		/* two independent 64-bit hashes name the key: a false match needs
		 * both to collide (odds about 2^-128 per pair of keys) */
		size_t pos = (size_t)-1;
		struct hslot *s;
		while ((s = hmap_next(&im->keys, pr->h, &pos)))
			if (im->groups[s->v].check == pr->check) {
				/* not the row before's: rows of others came between */
				g = s->v;
				pr->rejoins = 1;
				break;
			}
		if (g == UINT32_MAX) {
			new_group(im, &g)->check = pr->check;
			hmap_put(&im->keys, pr->h, g);
		}
		im->last_valid = 1;
		im->last_h = pr->h;
		im->last_check = pr->check;
		im->last_group = g;
	}
	im->groups[g].nrows++;
	pr->group = g;
	if (im->nrows == im->caprows) {
		im->caprows = im->caprows ? im->caprows * 2 : 4096;
		im->rows = xreallocarray(im->rows, im->caprows, sizeof *im->rows);
	}
	im->rows[im->nrows] = (struct rowref){ g, (uint32_t)im->nrows, off };
	im->nrows++;
	return 0;
}

static int row_is_blank(const struct csv_record *row)
{
	for (size_t i = 0; i < row->nfields; i++)
		for (const char *p = row->fields[i]; *p; p++)
			if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
				return 0;
	return 1;
}

static FILE *open_spill(struct error *err)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *path = xasprintf("%s/kouprey-import-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		error_set(err, ERR_IO, "cannot create a temporary file in %s: %s", dir,
			  strerror(errno));
		free(path);
		return NULL;
	}
	unlink(path);
	free(path);
	FILE *f = fdopen(fd, "w+b");
	if (!f) {
		close(fd);
		error_set(err, ERR_IO, "cannot open a temporary file: %s", strerror(errno));
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

/* ---- pass 2: reading groups back ----------------------------------------- */

/* Adds n zero bytes to buf; -1 when buf's cap is reached. */
static int grow_zeroed(struct dynbuf *buf, size_t n)
{
	static const char zeros[4096];
	while (n) {
		size_t k = n < sizeof zeros ? n : sizeof zeros;
		if (dynbuf_add(buf, zeros, k) != 0)
			return -1;
		n -= k;
	}
	return 0;
}

/* Appends the record at off to buf; *start is where it begins in buf.  Only
 * the reading thread of pass 2 reads through the FILE. */
static int read_row_at(struct importer *im, uint64_t off, struct dynbuf *buf, size_t *start,
		       struct error *err)
{
	if (!im->reading || im->read_pos != off) {
		if (fseeko(im->spill, (off_t)off, SEEK_SET) != 0)
			return error_set(err, ERR_IO, "seeking in the import's temporary file");
		im->read_pos = off;
	}
	uint32_t head[3];
	if (fread(head, 1, sizeof head, im->spill) != sizeof head)
		return error_set(err, ERR_IO, "reading the import's temporary file");
	*start = buf->len;
	if (dynbuf_add(buf, head, sizeof head) != 0)
		return error_set(err, ERR_TOO_LARGE, "a seizure's rows are too large");
	/* grow and read the body straight into the buffer */
	size_t at = buf->len;
	if (head[2]) {
		if (grow_zeroed(buf, head[2]) != 0)
			return error_set(err, ERR_TOO_LARGE, "a seizure's rows are too large");
		if (fread(buf->buf + at, 1, head[2], im->spill) != head[2])
			return error_set(err, ERR_IO, "reading the import's temporary file");
	}
	im->read_pos = off + sizeof head + head[2];
	return 0;
}

/* The same with pread(), which leaves the FILE's position alone: for the
 * calling thread while the reading thread reads. */
static int pread_row_at(struct importer *im, uint64_t off, struct dynbuf *buf, size_t *start,
			struct error *err)
{
	int fd = fileno(im->spill);
	uint32_t head[3];
	if (pread(fd, head, sizeof head, (off_t)off) != (ssize_t)sizeof head)
		return error_set(err, ERR_IO, "reading the import's temporary file");
	*start = buf->len;
	if (dynbuf_add(buf, head, sizeof head) != 0)
		return error_set(err, ERR_TOO_LARGE, "a seizure's rows are too large");
	size_t at = buf->len;
	if (head[2]) {
		if (grow_zeroed(buf, head[2]) != 0)
			return error_set(err, ERR_TOO_LARGE, "a seizure's rows are too large");
		if (pread(fd, buf->buf + at, head[2], (off_t)(off + sizeof head)) !=
		    (ssize_t)head[2])
			return error_set(err, ERR_IO, "reading the import's temporary file");
	}
	return 0;
}

/* Turns the record at buf+start into r (pointers into buf, fields trimmed). */
static void decode_row(char *base, size_t start, struct row *r, struct arena *a)
{
	char *p = base + start;
	uint32_t head[3];
	memcpy(head, p, sizeof head);
	p += sizeof head;
	r->line = head[0];
	r->nfields = head[1];
	r->fields = arena_alloc(a, (head[1] ? head[1] : 1) * sizeof *r->fields);
	r->lens = arena_alloc(a, (head[1] ? head[1] : 1) * sizeof *r->lens);
	for (uint32_t i = 0; i < head[1]; i++) {
		uint32_t len;
		memcpy(&len, p, 4);
		r->fields[i] = p + 4;
		r->lens[i] = len;
		p += 4 + len + 1;
	}
}

static int by_group(const void *a, const void *b)
{
	const struct rowref *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- pass 2: one seizure ------------------------------------------------- */

/* Errors of the current group: (row, column, message). */
struct gerr {
	size_t row;
	const char *field;
	const char *message;
};

struct gerrs {
	struct gerr *v;
	size_t n, cap;
};

static void gerr_add(struct gerrs *e, struct arena *a, size_t row, const char *field,
		     const char *message)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct gerr *v = arena_alloc(a, cap * sizeof *v);
		if (e->n)
			memcpy(v, e->v, e->n * sizeof *v);
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n++] = (struct gerr){ row, arena_strdup(a, field), arena_strdup(a, message) };
}

static void write_rejects_out(struct importer *im, int force)
{
	if (!im->opt->rejects || !im->rejects.len)
		return;
	if (im->hold_rejects) {
		if (im->rejects.len >= STREAM_REJECTS_HELD)
			atomic_store(&im->give_up_stream, 1);
		return;
	}
	if (force || im->rejects.len >= 32768) {
		im->opt->rejects(im->opt->rejects_ctx, im->rejects.buf, im->rejects.len);
		dynbuf_reset(&im->rejects);
	}
}

static void rejects_header(struct importer *im)
{
	if (!im->opt->skip_invalid || !im->opt->rejects || im->rejects_header_done || !im->header)
		return;
	for (size_t i = 0; i < im->nheader; i++) {
		csv_put_field(&im->rejects, im->header[i]);
		dynbuf_addc(&im->rejects, ',');
	}
	dynbuf_adds(&im->rejects, "reason\r\n");
	im->rejects_header_done = 1;
}

static void reject_row(struct importer *im, const struct row *r, const char *reason)
{
	if (!im->opt->skip_invalid || !im->opt->rejects)
		return;
	rejects_header(im);
	/* the row as read, padded to the header's width */
	size_t n = r->nfields > im->nheader ? r->nfields : im->nheader;
	for (size_t i = 0; i < n; i++) {
		csv_put_field(&im->rejects, i < r->nfields ? r->fields[i] : "");
		dynbuf_addc(&im->rejects, ',');
	}
	csv_put_field(&im->rejects, reason);
	dynbuf_adds(&im->rejects, "\r\n");
	write_rejects_out(im, 0);
}

/* Maps a seizure_validate field name to (row, column). */
static void map_field(struct importer *im, const char *field, const struct row *rows,
		      size_t nrows, const size_t *src_row, const struct seizure *s, size_t *row,
		      const char **col)
{
	*row = rows[0].line;
	if (strncmp(field, "items[", 6) == 0) {
		size_t i = strtoul(field + 6, NULL, 10);
		const char *dot = strchr(field, '.');
		if (i < nrows)
			*row = rows[i].line;
		*col = dot ? dot + 1 : "species";
		if (strcmp(*col, "taxon_id") == 0)
			*col = "species";
		return;
	}
	static const struct {
		const char *field;
		int col;
	} names[] = {
		{ "ref", C_REF }, { "items", C_REF }, { "sharing", C_SHARING }, { "date", C_DATE },
		{ "country", C_COUNTRY }, { "place", C_PLACE }, { "province", C_PROVINCE },
		{ "locode", C_LOCODE }, { "latitude", C_LATITUDE }, { "longitude", C_LONGITUDE },
		{ "reason", C_REASON }, { "transport_mode", C_TRANSPORT },
		{ "detection_method", C_DETECTION }, { "legal_action", C_LEGAL },
		{ "disposal", C_DISPOSAL }, { "origin", C_ORIGIN }, { "transit", C_TRANSIT },
		{ "destination", C_DESTINATION }, { "offender_nationalities", C_NATIONALITIES },
		{ "value_amount", C_VALUE }, { "value_currency", C_CURRENCY }, { "law", C_LAW },
		{ "sanctions", C_SANCTIONS }, { "notes", C_NOTES },
	};
	size_t flen = strcspn(field, "[");
	int c = -1;
	if (strncmp(field, "concealment", flen) == 0 && flen == 11)
		c = s->concealment_code && im->idx[C_CONCEALMENT_CODE] >= 0 ? C_CONCEALMENT_CODE
									  : C_CONCEALMENT;
	for (size_t i = 0; c < 0 && i < sizeof names / sizeof *names; i++)
		if (strlen(names[i].field) == flen && strncmp(field, names[i].field, flen) == 0)
			c = names[i].col;
	if (c < 0) {
		*col = field;
		return;
	}
	*col = column_names[c];
	if (src_row[c])
		*row = src_row[c];
}

/* The agency id for a name (blank: the actor's): 0 when it does not exist. */
static int agency_id(struct importer *im, const char *name, int64_t *id, struct error *err)
{
	if (!*name) {
		*id = im->who->agency_id;
		return 0;
	}
	char *low = lower_ascii(xstrdup(name));
	int64_t v;
	if (strmap_get(&im->agencies, low, &v)) {
		*id = v;
		free(low);
		return 0;
	}
	struct arena a;
	arena_init(&a);
	struct agency_rec rec;
	struct error e = ERROR_INIT;
	*id = 0;
	if (store_agency_by_name(im->st, name, &rec, &a, &e) == 0) {
		*id = rec.id;
		pthread_mutex_lock(&im->agency_mu);
		strmap_put(&im->agencies, low, rec.id);
		pthread_mutex_unlock(&im->agency_mu);
	} else if (e.code != ERR_NOT_FOUND) {
		error_set(err, e.code, "%s", e.message ? e.message : "reading agencies");
		error_clear(&e);
		arena_free(&a);
		free(low);
		return -1;
	}
	error_clear(&e);
	arena_free(&a);
	free(low);
	return 0;
}

static int create_agency(struct importer *im, const char *name, const char *country,
			 int64_t *id, struct error *err)
{
	char *low = lower_ascii(xstrdup(name));
	if (im->writing) {
		struct agency_rec rec = { .name = name, .country = country, .kind = "other" };
		if (store_agency_insert(im->st, &rec, err) != 0) {
			free(low);
			return -1;
		}
		json_t *j = json_pack("{s:s, s:s, s:s, s:I}", "name", name, "country", country,
				      "kind", "other", "import_id", (json_int_t)im->import_id);
		char *detail = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		int rc = audit_append(im->st, im->who, "create", "agency", rec.id, detail, err);
		free(detail);
		if (rc != 0) {
			free(low);
			return -1;
		}
		*id = rec.id;
	} else {
		*id = --im->next_placeholder;
	}
	pthread_mutex_lock(&im->agency_mu);
	strmap_put(&im->agencies, low, *id);
	pthread_mutex_unlock(&im->agency_mu);
	free(low);
	struct import_report *rep = im->rep;
	rep->agencies_created =
		xreallocarray(rep->agencies_created, rep->nagencies + 1, sizeof *rep->agencies_created);
	rep->agencies_created[rep->nagencies++] = xstrdup(name);
	return 0;
}

static const char *dup_or_null(const char *v)
{
	return *v ? v : NULL;
}

/* ---- the import ---------------------------------------------------------- */

static void importer_free(struct importer *im)
{
	if (im->spill)
		fclose(im->spill);
	for (size_t i = 0; i < im->nheader; i++)
		free(im->header[i]);
	free(im->header);
	free(im->colof);
	free(im->rows);
	free(im->groups);
	hmap_free(&im->keys);
	hmap_free(&im->contents);
	dynbuf_free(&im->rejects);
	strmap_free(&im->agencies);
	pthread_mutex_destroy(&im->agency_mu);
	free(im->own_agency);
	import_parties_free(im->parties);
}

/*
 * Pass 2 runs on two threads.  The reading thread takes the seizures in
 * order, reads their rows back from the spill file and does all that needs
 * no database: the values, the numbers, the items and seizure_validate(),
 * whose content hash it makes with the agency id known so far
 * (known_agency()).  The calling thread takes them in the same order and
 * does the rest: the agency, the existing record, offenders and identifiers,
 * the report and the write (finish_group()).  The outcome is the one thread
 * would reach: when the agency or the sharing the calling thread settles on
 * differ from those the hash was made with, it makes the hash again.
 */

/* A seizure read back and checked on the reading thread. */
struct prepared {
	uint32_t group;
	size_t first;             /* index in im->rows of its first row */
	size_t total;             /* its rows in the file */
	size_t nrows;             /* loaded: at most MAX_GROUP_ROWS */
	size_t *starts;           /* where each loaded row begins in the batch's buffer */
	struct row *rows;
	struct seizure s;
	struct gerrs ge;          /* errors found without the database */
	const char *val[C_COUNT]; /* the seizure-level values ("" when blank) */
	size_t src_row[C_COUNT];  /* the row each value came from */
	int sharing_given;        /* the file names the sharing */
	int64_t hashed_agency;    /* the agency id content_hash was made with */
};

/* The agency id for a name as far as it is known yet (0: not known); blank
 * means the actor's agency.  Called on the reading thread. */
static int64_t known_agency(struct importer *im, const char *name, struct arena *a)
{
	if (!*name)
		return im->who->agency_id;
	char *low = lower_ascii(arena_strdup(a, name));
	int64_t v = 0;
	pthread_mutex_lock(&im->agency_mu);
	if (!strmap_get(&im->agencies, low, &v))
		v = 0;
	pthread_mutex_unlock(&im->agency_mu);
	return v;
}

/* The reference of a row without one: "IMP-" + 16 hex digits of its content,
 * "-n" for the n-th identical row. */
static const char *make_ref(const struct importer *im, const struct row *r, uint32_t dup,
			    struct arena *a)
{
	uint64_t h = content_hash64(im, r->fields, r->lens, r->nfields);
	if (!h)
		h = 1;
	if (dup > 1)
		return arena_sprintf(a, "IMP-%016llX-%u", (unsigned long long)h, dup);
	return arena_sprintf(a, "IMP-%016llX", (unsigned long long)h);
}

/*
 * Reads the values of one seizure from its rows (all of them loaded, or the
 * first MAX_GROUP_ROWS with total > loaded) and validates it, collecting
 * every problem in p->ge.  Reading thread; everything lives in a.
 */
static void prepare_group(struct importer *im, struct prepared *p, struct arena *a)
{
	struct gerrs *ge = &p->ge;
	struct seizure *s = &p->s;
	struct row *rows = p->rows;
	size_t nrows = p->nrows;
	const char **val = p->val;
	size_t *src_row = p->src_row;
	const struct group *gr = &im->groups[p->group];

	/* seizure-level columns: the first non-blank value; others must agree */
	for (int c = 0; c < C_COUNT; c++) {
		if (is_item_col(c) || im->idx[c] < 0)
			continue;
		for (size_t r = 0; r < nrows; r++) {
			const char *v = get(im, &rows[r], c);
			if (!*v)
				continue;
			if (!val[c]) {
				val[c] = v;
				src_row[c] = rows[r].line;
			} else if (c == C_AGENCY ? strcasecmp(val[c], v) != 0
						 : strcmp(val[c], v) != 0) {
				gerr_add(ge, a, rows[r].line, column_names[c],
					 arena_sprintf(a,
						       "\"%s\" differs from \"%s\" on row %zu of the "
						       "same seizure",
						       v, val[c], src_row[c]));
			}
		}
	}
	for (int c = 0; c < C_COUNT; c++)
		if (!val[c])
			val[c] = "";
	if (p->total > nrows)
		gerr_add(ge, a, rows[0].line, "seizure_ref",
			 arena_sprintf(a, "this seizure has %zu rows; at most 500 items are allowed",
				       p->total));

	/* the reference: given, or made from the first row's content */
	if (gr->dup)
		val[C_REF] = make_ref(im, &rows[0], gr->dup, a);
	s->ref = dup_or_null(val[C_REF]);
	s->date = dup_or_null(val[C_DATE]);
	s->country = dup_or_null(val[C_COUNTRY]);
	s->place = dup_or_null(val[C_PLACE]);
	s->province = dup_or_null(val[C_PROVINCE]);
	s->locode = dup_or_null(val[C_LOCODE]);
	s->reason = dup_or_null(val[C_REASON]);
	s->transport_mode = dup_or_null(val[C_TRANSPORT]);
	s->detection_method = dup_or_null(val[C_DETECTION]);
	s->concealment = dup_or_null(val[C_CONCEALMENT]);
	s->concealment_code = dup_or_null(val[C_CONCEALMENT_CODE]);
	s->origin = dup_or_null(val[C_ORIGIN]);
	s->transit = dup_or_null(val[C_TRANSIT]);
	s->destination = dup_or_null(val[C_DESTINATION]);
	s->offender_nationalities = dup_or_null(val[C_NATIONALITIES]);
	s->value_currency = dup_or_null(val[C_CURRENCY]);
	s->legal_action = dup_or_null(val[C_LEGAL]);
	s->law = dup_or_null(val[C_LAW]);
	s->sanctions = dup_or_null(val[C_SANCTIONS]);
	s->disposal = dup_or_null(val[C_DISPOSAL]);
	s->notes = dup_or_null(val[C_NOTES]);
	if (*val[C_SHARING]) {
		s->sharing = lower_ascii(arena_strdup(a, val[C_SHARING]));
	}
	p->sharing_given = s->sharing != NULL;
	if (*val[C_LATITUDE] || *val[C_LONGITUDE]) {
		s->has_coords = 1;
		if (!*val[C_LATITUDE] || !*val[C_LONGITUDE]) {
			int given = *val[C_LATITUDE] ? C_LATITUDE : C_LONGITUDE;
			int missing = *val[C_LATITUDE] ? C_LONGITUDE : C_LATITUDE;
			gerr_add(ge, a, src_row[given] ? src_row[given] : rows[0].line,
				 column_names[missing],
				 "is required when the other coordinate is given (decimal degrees)");
			s->has_coords = 0;
		} else {
			if (parse_number(val[C_LATITUDE], &s->latitude) != 0) {
				gerr_add(ge, a, src_row[C_LATITUDE], "latitude",
					 arena_sprintf(a, "\"%s\" %s", val[C_LATITUDE],
						       number_problem(val[C_LATITUDE])));
				s->has_coords = 0;
			}
			if (parse_number(val[C_LONGITUDE], &s->longitude) != 0) {
				gerr_add(ge, a, src_row[C_LONGITUDE], "longitude",
					 arena_sprintf(a, "\"%s\" %s", val[C_LONGITUDE],
						       number_problem(val[C_LONGITUDE])));
				s->has_coords = 0;
			}
		}
	}
	if (*val[C_VALUE]) {
		if (parse_number(val[C_VALUE], &s->value_amount) != 0)
			gerr_add(ge, a, src_row[C_VALUE], "value_amount",
				 arena_sprintf(a, "\"%s\" %s", val[C_VALUE],
					       number_problem(val[C_VALUE])));
		else
			s->has_value = 1;
	}

	/* items */
	s->nitems = nrows;
	s->items = arena_alloc(a, nrows * sizeof *s->items);
	for (size_t r = 0; r < nrows; r++) {
		struct seizure_item *it = &s->items[r];
		const char *v;
		it->line = (int)r + 1;
		it->species = dup_or_null(get(im, &rows[r], C_SPECIES));
		v = get(im, &rows[r], C_TERM);
		it->term = *v ? term_code(im->ref, v, a) : NULL;
		v = get(im, &rows[r], C_UNIT);
		it->unit = *v ? unit_code(im->ref, v, a) : "";
		v = get(im, &rows[r], C_QUANTITY);
		it->quantity = 1; /* placeholder so a parse error is reported once */
		if (!*v)
			gerr_add(ge, a, rows[r].line, "quantity",
				 "is required: a number greater than 0");
		else if (parse_number(v, &it->quantity) != 0) {
			gerr_add(ge, a, rows[r].line, "quantity",
				 arena_sprintf(a, "\"%s\" %s", v, number_problem(v)));
			it->quantity = 1;
		}
		v = get(im, &rows[r], C_LIVE);
		it->live = parse_live(v);
		if (it->live == -2) {
			gerr_add(ge, a, rows[r].line, "live",
				 arena_sprintf(a, "\"%s\" is not one of live, dead, true, false, "
						  "yes, no, 1, 0 (or empty)",
					       v));
			it->live = -1;
		}
	}

	s->agency_id = known_agency(im, val[C_AGENCY], a);
	p->hashed_agency = s->agency_id;
	struct error verr = ERROR_INIT;
	seizure_validate(im->ref, s, a, &verr);
	for (size_t i = 0; i < verr.nfields; i++) {
		size_t row;
		const char *col;
		map_field(im, verr.fields[i].field, rows, nrows, src_row, s, &row, &col);
		gerr_add(ge, a, row, col, verr.fields[i].message);
	}
	error_clear(&verr);
}

/* Every row of a rejected seizure to the rejects file, each with its reason;
 * the rows past the cap of a seizure too large are read back here. */
static int reject_group(struct importer *im, const struct prepared *p, const struct gerrs *ge,
			struct error *err)
{
	for (size_t r = 0; r < p->nrows; r++) {
		struct dynbuf reason = DYNBUF_INIT(1 << 20);
		for (size_t i = 0; i < ge->n; i++)
			if (ge->v[i].row == p->rows[r].line)
				dynbuf_addf(&reason, "%s%s: %s", reason.len ? "; " : "",
					    ge->v[i].field, ge->v[i].message);
		if (!reason.len)
			dynbuf_addf(&reason, "rejected with the other rows of the same seizure (see "
					     "row %zu)",
				    ge->v[0].row);
		reject_row(im, &p->rows[r], dynbuf_str(&reason));
		dynbuf_free(&reason);
	}
	for (size_t k = p->first + p->nrows; k < p->first + p->total; k++) {
		struct dynbuf one = DYNBUF_INIT((size_t)1 << 31);
		struct arena a;
		arena_init(&a);
		size_t start = 0;
		struct row r;
		int rc = pread_row_at(im, im->rows[k].off, &one, &start, err);
		if (rc == 0) {
			decode_row(one.buf, start, &r, &a);
			reject_row(im, &r,
				   "rejected with the other rows of the same seizure (more than 500 "
				   "items)");
		}
		arena_free(&a);
		dynbuf_free(&one);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/*
 * Settles and writes one prepared seizure: its agency, the record it
 * replaces, offenders and identifiers, then the report and the write.
 * Calling thread.  Returns -1 only on a hard failure (database, I/O);
 * invalid rows are counted and reported.
 */
static int finish_group(struct importer *im, struct prepared *p, struct error *err)
{
	struct arena a;
	arena_init(&a);
	struct gerrs ge = p->ge; /* grows in a from here */
	struct seizure *s = &p->s;
	struct row *rows = p->rows;
	size_t nrows = p->nrows;
	int rc = -1;

	/* agency and the existing record (an id the reading thread found is
	 * final: the map only gains names) */
	int64_t aid = p->hashed_agency;
	if (aid <= 0 && agency_id(im, p->val[C_AGENCY], &aid, err) != 0)
		goto out;
	s->agency_id = aid;
	int exists = 0;
	int64_t old_id = 0, old_version = 0;
	char old_hash[80] = "";
	if (aid > 0 && s->ref && *s->ref && !im->register_empty) {
		int found = store_seizure_find_ref(im->st, aid, s->ref, &old_id, &old_version,
						   old_hash, sizeof old_hash, err);
		if (found < 0)
			goto out;
		exists = found;
	}
	int rehash = 0;
	if (exists && !p->sharing_given) {
		/* a file without sharing keeps the record's */
		struct seizure old;
		if (store_seizure_get(im->st, old_id, &old, &a, err) != 0)
			goto out;
		if (!s->sharing || strcmp(s->sharing, old.sharing) != 0) {
			s->sharing = old.sharing;
			rehash = 1;
		}
	}

	/* offenders and identifiers (import_parties.h): checked with the seizure */
	struct import_parties_seizure ps = { s->date, s->country, s->sharing, aid,
					     exists ? old_id : 0 };
	if (im->parties) {
		struct import_parties_row *pr = arena_alloc(&a, nrows * sizeof *pr);
		for (size_t r = 0; r < nrows; r++)
			pr[r] = (struct import_parties_row){ rows[r].line, rows[r].fields,
							     rows[r].lens, rows[r].nfields };
		int np = import_parties_check(im->parties, im->st, im->ref, pr, nrows, &ps, err);
		if (np < 0)
			goto out;
		for (size_t i = 0; i < (size_t)np; i++) {
			size_t prow;
			const char *pfield, *pmsg;
			import_parties_error(im->parties, i, &prow, &pfield, &pmsg);
			gerr_add(&ge, &a, prow, pfield, pmsg);
		}
	}

	if (ge.n) {
		/* rejected: report every error; rows to the rejects file */
		im->rep->rejected++;
		im->rep->rows_rejected += p->total;
		im->invalid_rows += p->total;
		if (!im->opt->skip_invalid) {
			im->failed = 1;
			if (im->writing) {
				/* nothing will be kept: stop writing, keep validating */
				store_rollback(im->st);
				im->writing = 0;
			}
		}
		for (size_t i = 0; i < ge.n; i++)
			add_error(im->rep, im->max_errors, ge.v[i].row, ge.v[i].field,
				  ge.v[i].message);
		if (reject_group(im, p, &ge, err) != 0)
			goto out;
		rc = 0;
		goto out;
	}

	if (aid == 0) {
		if (create_agency(im, p->val[C_AGENCY], s->country, &aid, err) != 0)
			goto out;
		s->agency_id = aid;
	}
	/* the content hash covers the agency and the sharing */
	if (rehash || s->agency_id != p->hashed_agency)
		seizure_rehash(s, &a);
	if (exists && strcmp(old_hash, s->content_hash) == 0) {
		im->rep->unchanged++;
	} else {
		if (exists)
			im->rep->updated++;
		else
			im->rep->created++;
		if (im->writing) {
			if (seizure_save_in_tx(im->st, im->who, s, exists ? old_id : 0,
					       exists ? old_version : 0, "import", im->import_id,
					       err) != 0)
				goto out;
		}
	}
	if (im->parties) {
		/* written (or, when not writing, counted) after the seizure */
		ps.agency_id = s->agency_id;
		if (import_parties_write(im->parties, im->st, im->who, &ps,
					 im->writing ? (exists ? old_id : s->id) : 0,
					 im->opt->filename, err) != 0)
			goto out;
	}
	rc = 0;
out:
	arena_free(&a);
	return rc;
}

/* ---- handing batches from one thread to the other ------------------------ */

/* Both passes run on two threads: a producing thread fills batches, the
 * calling thread takes them in order (lib/relay.h). */
enum { NBATCH = RELAY_SLOTS };

/* ---- pass 1: the parsing thread ------------------------------------------ */

enum { PARSE_ROWS = 1024, PARSE_BYTES = 4 << 20 };

struct parsed {
	struct dynbuf recs;       /* the rows' spill records, back to back */
	struct parsed_row v[PARSE_ROWS];
	size_t n;
	double fraction;          /* of the file read after its last row */
	int last;                 /* no batch follows */
	int failed;               /* reading failed: err says why */
	struct error err;
};

struct parser {
	struct importer *im;      /* its header fields only: read, never written */
	struct table_reader *in;
	pthread_t thread;
	struct relay relay;
	struct parsed b[NBATCH];
	struct dynbuf key, last_key;
	uint64_t last_h, last_check;
};

/* Works out row's key and appends its spill record to recs: line, nfields,
 * body length, then len + bytes + NUL per field. */
static int parse_row(struct parser *ps, const struct csv_record *row, struct dynbuf *recs,
		     struct parsed_row *pr, struct error *err)
{
	const struct importer *im = ps->im;
	memset(pr, 0, sizeof *pr);
	pr->line = row->line;
	group_key(im, &ps->key, row->fields, row->lens, row->nfields, &pr->has_ref);
	if (!pr->has_ref) {
		pr->content = content_hash64(im, row->fields, row->lens, row->nfields);
		if (!pr->content)
			pr->content = 1;
		dynbuf_reset(&ps->last_key);
	} else if (ps->last_key.len && ps->last_key.len == ps->key.len &&
		   memcmp(ps->last_key.buf, ps->key.buf, ps->key.len) == 0) {
		pr->h = ps->last_h;
		pr->check = ps->last_check;
	} else {
		pr->h = ps->last_h = strmap_hash(dynbuf_str(&ps->key), ps->key.len);
		pr->check = ps->last_check = key_check(&ps->key);
		dynbuf_reset(&ps->last_key);
		dynbuf_add(&ps->last_key, ps->key.buf, ps->key.len);
	}
	uint32_t head[3] = { (uint32_t)row->line, (uint32_t)row->nfields, 0 };
	for (size_t i = 0; i < row->nfields; i++)
		head[2] += 4 + (uint32_t)row->lens[i] + 1;
	char *p = dynbuf_extend(recs, sizeof head + head[2]);
	if (!p)
		return error_set(err, ERR_TOO_LARGE, "row %zu is too large", row->line);
	memcpy(p, head, sizeof head);
	p += sizeof head;
	for (size_t i = 0; i < row->nfields; i++) {
		uint32_t len = (uint32_t)row->lens[i];
		memcpy(p, &len, 4);
		memcpy(p + 4, row->fields[i], row->lens[i] + 1);
		p += 4 + row->lens[i] + 1;
	}
	pr->len = sizeof head + head[2];
	return 0;
}

/* Reads the next rows into b.  Parsing thread. */
static void fill_parsed(struct parser *ps, struct parsed *b)
{
	dynbuf_reset(&b->recs);
	error_clear(&b->err);
	b->n = 0;
	b->failed = 0;
	b->last = 0;
	struct csv_record row;
	while (b->n < PARSE_ROWS && b->recs.len < PARSE_BYTES) {
		int r = table_next(ps->in, &row, &b->err);
		if (r <= 0) {
			b->failed = r < 0;
			b->last = 1;
			break;
		}
		if (row_is_blank(&row))
			continue;
		if (parse_row(ps, &row, &b->recs, &b->v[b->n], &b->err) != 0) {
			b->failed = 1;
			b->last = 1;
			break;
		}
		b->n++;
	}
	b->fraction = table_progress(ps->in);
}

static int fill_parsed_slot(void *ctx, int slot)
{
	struct parser *ps = ctx;
	fill_parsed(ps, &ps->b[slot]);
	return ps->b[slot].last;
}

static void *parsing_thread(void *arg)
{
	struct parser *ps = arg;
	relay_produce(&ps->relay, fill_parsed_slot, ps);
	return NULL;
}

static void parser_free(struct parser *ps)
{
	for (size_t i = 0; i < NBATCH; i++) {
		dynbuf_free(&ps->b[i].recs);
		error_clear(&ps->b[i].err);
	}
	dynbuf_free(&ps->key);
	dynbuf_free(&ps->last_key);
	relay_destroy(&ps->relay);
	free(ps);
}

/* Starts the parsing thread on the data rows of in (after the header). */
static struct parser *parser_start(struct importer *im, struct table_reader *in,
				   struct error *err)
{
	struct parser *ps = xcalloc(1, sizeof *ps);
	ps->im = im;
	ps->in = in;
	relay_init(&ps->relay);
	for (size_t i = 0; i < NBATCH; i++)
		dynbuf_init(&ps->b[i].recs, (size_t)1 << 31);
	dynbuf_init(&ps->key, 1 << 21);
	dynbuf_init(&ps->last_key, 1 << 21);
	if (pthread_create(&ps->thread, NULL, parsing_thread, ps) != 0) {
		parser_free(ps);
		error_set(err, ERR_INTERNAL, "cannot start the import's parsing thread");
		return NULL;
	}
	return ps;
}

/* Stops the parsing thread (at its next batch, when it has not ended) and
 * frees ps. */
static void parser_stop(struct parser *ps)
{
	relay_stop(&ps->relay);
	pthread_join(ps->thread, NULL);
	parser_free(ps);
}

/* Pass 1 for one parsed batch: its rows grouped, their records spilled; with
 * report_progress, the progress told (on the calling thread only). */
static int group_parsed(struct importer *im, struct parsed *b, int report_progress,
			struct error *err)
{
	struct import_report *rep = im->rep;
	uint64_t off = im->spill_size;
	for (size_t i = 0; i < b->n; i++) {
		if (group_row(im, &b->v[i], off, err) != 0)
			return -1;
		off += b->v[i].len;
		rep->rows++;
		if (report_progress && rep->rows % PROGRESS_EVERY == 0)
			progress(im, rep->rows, 0.25 * b->fraction);
	}
	if (spill_write(im, b->recs.buf, b->recs.len, err) != 0)
		return -1;
	if (b->failed)
		return error_move(err, &b->err);
	return 0;
}

/* Pass 1 to the end of the file: every data row the parsing thread has not
 * handed over yet grouped and spilled.  With report_progress, on the calling
 * thread. */
static int read_rows(struct importer *im, struct parser *ps, int report_progress,
		     struct error *err)
{
	int rc = 0;
	for (int last = 0; !last && rc == 0;) {
		struct parsed *b = &ps->b[relay_slot_to_take(&ps->relay)];
		last = b->last;
		rc = group_parsed(im, b, report_progress, err);
		relay_taken(&ps->relay);
	}
	return rc;
}

/* ---- pass 2: the two threads --------------------------------------------- */

/* Seizures are handed over in batches: each hand-over may wake the other
 * thread, which costs most on a virtual machine (at 1M rows, batches of 512
 * seizures took ~0.5 s less than batches of 128). */
enum { BATCH_GROUPS = 512, BATCH_ROWS = 4096, BATCH_BYTES = 4 << 20 };

struct batch {
	struct arena a;           /* the prepared seizures' memory */
	struct dynbuf buf;        /* their rows as read back */
	size_t *starts;           /* where each row begins in buf */
	size_t nstarts, capstarts;
	struct prepared v[BATCH_GROUPS];
	size_t n;
	int last;                 /* no batch follows */
	int failed;               /* reading failed: err says why */
	int restart;              /* streaming gave up: pass 2 starts again (n is 0) */
	double fraction;          /* streaming: of the file read when it was filled */
	size_t est_rows;          /* streaming: the file's data rows, as estimated then */
	struct error err;
};

/*
 * Pass 2 either reads the spill file once pass 1 is done, or, streaming,
 * runs on the heels of pass 1.  When the rows of each seizure are next to
 * each other in the file (the usual case), a seizure is complete as soon as
 * a row of another one follows: the reading thread then takes the parsing
 * thread's batches itself, groups and spills their rows as the calling
 * thread does in pass 1, and prepares each complete seizure at once, so the
 * three threads share the cores.  When a row turns up for a seizure already
 * complete, a seizure has more rows than are loaded at once, or the rejects
 * held in memory grow past STREAM_REJECTS_HELD, the reading thread only
 * groups and spills to the end of the file and hands over a batch saying so;
 * the import then forgets what pass 2 did (pass2_restart()) and does it again
 * from the spill file.
 */
struct pipeline {
	struct importer *im;
	struct relay relay;
	struct batch b[NBATCH];
	size_t next;               /* reading thread: next index in im->rows */
	/* streaming (ps not NULL) */
	struct parser *ps;
	struct parsed *pb;         /* the parsed batch being taken apart, or NULL */
	size_t pi;                 /* its next row */
	size_t ppos;               /* where that row's record is in pb->recs */
	int eof;                   /* the parsing thread's last batch was taken */
	int restart;               /* streaming gave up */
};

/* Where the next row begins in b->buf. */
static size_t *next_start(struct batch *b)
{
	if (b->nstarts == b->capstarts) {
		b->capstarts = b->capstarts ? b->capstarts * 2 : 1024;
		b->starts = xreallocarray(b->starts, b->capstarts, sizeof *b->starts);
	}
	return &b->starts[b->nstarts++];
}

static void batch_reset(struct batch *b)
{
	arena_reset(&b->a);
	dynbuf_reset(&b->buf);
	error_clear(&b->err);
	b->nstarts = 0;
	b->n = 0;
	b->last = b->failed = b->restart = 0;
}

/* The batch's rows are all in its buffer: decodes them and prepares each
 * seizure.  Reading thread. */
static void prepare_batch(struct importer *im, struct batch *b)
{
	size_t k0 = 0;
	for (size_t g = 0; g < b->n; g++) {
		struct prepared *p = &b->v[g];
		p->starts = b->starts + k0;
		k0 += p->nrows;
		p->rows = arena_alloc(&b->a, p->nrows * sizeof *p->rows);
		for (size_t k = 0; k < p->nrows; k++) {
			decode_row(b->buf.buf, p->starts[k], &p->rows[k], &b->a);
			column_values(im, &p->rows[k], &b->a);
		}
		prepare_group(im, p, &b->a);
	}
}

/* Reads and prepares the next seizures from the spill file into b.  Reading
 * thread. */
static void fill_batch(struct pipeline *pl, struct batch *b)
{
	struct importer *im = pl->im;
	batch_reset(b);
	size_t rows = 0;
	while (pl->next < im->nrows && b->n < BATCH_GROUPS && rows < BATCH_ROWS &&
	       b->buf.len < BATCH_BYTES) {
		struct prepared *p = &b->v[b->n];
		memset(p, 0, sizeof *p);
		size_t i = pl->next, j = i;
		p->group = im->rows[i].group;
		while (j < im->nrows && im->rows[j].group == p->group)
			j++;
		p->first = i;
		p->total = j - i;
		p->nrows = p->total < MAX_GROUP_ROWS ? p->total : MAX_GROUP_ROWS;
		for (size_t k = 0; k < p->nrows; k++)
			if (read_row_at(im, im->rows[i + k].off, &b->buf, next_start(b), &b->err) !=
			    0) {
				b->failed = 1;
				b->last = 1;
				return;
			}
		pl->next = j;
		rows += p->nrows;
		b->n++;
	}
	b->last = pl->next >= im->nrows;
	prepare_batch(im, b);
}

/* Streaming: the next parsed batch taken and pass 1 done on it; 1 at the end
 * of the file, -1 when reading failed (err). */
static int take_parsed(struct pipeline *pl, struct error *err)
{
	struct parser *ps = pl->ps;
	if (pl->pb) {
		int last = pl->pb->last;
		relay_taken(&ps->relay);
		pl->pb = NULL;
		if (last)
			pl->eof = 1;
	}
	if (pl->eof)
		return 1;
	pl->pb = &ps->b[relay_slot_to_take(&ps->relay)];
	pl->pi = 0;
	pl->ppos = 0;
	return group_parsed(pl->im, pl->pb, 0, err);
}

/* Streaming: the next complete seizures into b, each as soon as a row of
 * another one follows it (or the file ends).  Reading thread. */
static void fill_batch_streaming(struct pipeline *pl, struct batch *b)
{
	struct importer *im = pl->im;
	batch_reset(b);
	b->fraction = pl->pb ? pl->pb->fraction : 0;
	size_t rows = 0;
	struct prepared *p = NULL; /* the seizure being gathered */
	while (!pl->restart) {
		if (!pl->pb || pl->pi == pl->pb->n) {
			int r = take_parsed(pl, &b->err);
			if (r < 0) {
				b->failed = b->last = 1;
				return;
			}
			if (r > 0)
				break;
			if (atomic_load(&im->give_up_stream))
				pl->restart = 1;
			b->fraction = pl->pb->fraction;
			continue;
		}
		struct parsed_row *pr = &pl->pb->v[pl->pi];
		if (pr->rejoins) {
			pl->restart = 1;
			break;
		}
		if (!p || pr->group != p->group) {
			/* p is complete */
			if (b->n == BATCH_GROUPS || rows >= BATCH_ROWS || b->buf.len >= BATCH_BYTES)
				break;
			p = &b->v[b->n++];
			memset(p, 0, sizeof *p);
			p->group = pr->group;
			p->first = im->nrows - (pl->pb->n - pl->pi);
		}
		if (p->nrows == MAX_GROUP_ROWS) {
			/* the rows past the cap are read back from the spill file */
			pl->restart = 1;
			break;
		}
		*next_start(b) = b->buf.len;
		if (dynbuf_add(&b->buf, pl->pb->recs.buf + pl->ppos, pr->len) != 0) {
			error_set(&b->err, ERR_TOO_LARGE, "a seizure's rows are too large");
			b->failed = b->last = 1;
			return;
		}
		p->nrows++;
		p->total++;
		rows++;
		pl->ppos += pr->len;
		pl->pi++;
	}
	if (pl->restart) {
		/* pass 1 to the end; pass 2 will read the spill file */
		b->n = 0;
		b->restart = b->last = 1;
		int last = pl->eof;
		if (pl->pb) {
			last = pl->pb->last;
			relay_taken(&pl->ps->relay);
			pl->pb = NULL;
		}
		if (!last && read_rows(im, pl->ps, 0, &b->err) != 0)
			b->failed = 1;
		pl->eof = 1;
		return;
	}
	b->last = pl->eof;
	if (pl->eof)
		b->fraction = 1;
	/* the estimate settles how the database takes a large load */
	size_t seen = im->rep->rows;
	b->est_rows = pl->eof || b->fraction <= 0 ? seen : (size_t)((double)seen / b->fraction);
	prepare_batch(im, b);
}

static int fill_batch_slot(void *ctx, int slot)
{
	struct pipeline *pl = ctx;
	if (pl->ps)
		fill_batch_streaming(pl, &pl->b[slot]);
	else
		fill_batch(pl, &pl->b[slot]);
	return pl->b[slot].last;
}

static void *reading_thread(void *arg)
{
	struct pipeline *pl = arg;
	relay_produce(&pl->relay, fill_batch_slot, pl);
	return NULL;
}

static void pipeline_free(struct pipeline *pl)
{
	for (size_t i = 0; i < NBATCH; i++) {
		arena_free(&pl->b[i].a);
		dynbuf_free(&pl->b[i].buf);
		free(pl->b[i].starts);
		error_clear(&pl->b[i].err);
	}
	relay_destroy(&pl->relay);
	free(pl);
}

/*
 * The import's transaction begun (unless a dry run), its job row written,
 * and whether the register had any seizure: read inside the transaction when
 * there is one, so no other writer can add a seizure after it (rows of one
 * file that share a reference are one group: they never meet themselves).
 * rows (exact or estimated) settles how the database takes the load.
 */
static int start_writing(struct importer *im, size_t rows, struct error *err)
{
	const struct import_options *opt = im->opt;
	if (!opt->dry_run) {
		if (store_begin_bulk(im->st, (int64_t)rows, err) != 0)
			return -1;
		/* a digest made beside the import is recorded at the end */
		const char *sha = opt->sha256_wait ? "" : opt->sha256;
		struct import_rec job = { .user_id = im->who->user_id,
					  .filename = opt->filename ? opt->filename : "",
					  .sha256 = sha ? sha : "" };
		if (store_import_insert(im->st, &job, err) != 0) {
			store_rollback(im->st);
			return -1;
		}
		im->import_id = job.id;
		im->writing = 1;
	}
	int any = 1;
	if (store_seizure_any(im->st, &any, err) != 0) {
		if (im->writing)
			store_rollback(im->st);
		im->writing = 0;
		return -1;
	}
	im->register_empty = !any;
	return 0;
}

/*
 * Pass 2: each seizure, in the order of its first row, prepared on the
 * reading thread and finished on the calling thread.  Streaming when ps is
 * given (the parsing thread of pass 1, started): then it also begins the
 * writing, and returns 1 when streaming gave up (pass2_restart(), then call
 * again without ps).  Otherwise pass 1 is done and the writing begun.  0 when
 * every seizure went through finish_group(), -1 on a hard failure.
 */
static int run_groups(struct importer *im, struct parser *ps, struct error *err)
{
	struct pipeline *pl = xcalloc(1, sizeof *pl);
	pl->im = im;
	pl->ps = ps;
	relay_init(&pl->relay);
	for (size_t i = 0; i < NBATCH; i++) {
		arena_init(&pl->b[i].a);
		dynbuf_init(&pl->b[i].buf, (size_t)1 << 31);
	}
	im->hold_rejects = ps != NULL;
	atomic_store(&im->give_up_stream, 0);
	pthread_t thread;
	if (pthread_create(&thread, NULL, reading_thread, pl) != 0) {
		pipeline_free(pl);
		return error_set(err, ERR_INTERNAL, "cannot start the import's reading thread");
	}
	int rc = 0, restart = 0, begun = ps == NULL;
	for (int last = 0; !last && rc == 0;) {
		struct batch *b = &pl->b[relay_slot_to_take(&pl->relay)];
		last = b->last;
		restart = b->restart;
		if (b->failed) {
			/* nothing is kept: the groups before do not matter */
			rc = error_move(err, &b->err);
		} else if (!begun && !restart) {
			rc = start_writing(im, b->est_rows, err);
			begun = 1;
		}
		for (size_t g = 0; g < b->n && rc == 0; g++) {
			struct prepared *p = &b->v[g];
			rc = finish_group(im, p, err);
			im->done_rows += p->total;
			if (im->done_rows / PROGRESS_EVERY !=
			    (im->done_rows - p->total) / PROGRESS_EVERY)
				progress(im, im->done_rows,
					 ps ? b->fraction
					    : 0.25 + 0.75 * (double)im->done_rows / (double)im->nrows);
		}
		relay_taken(&pl->relay);
	}
	relay_stop(&pl->relay);
	pthread_join(thread, NULL);
	pipeline_free(pl);
	im->hold_rejects = 0;
	if (rc == 0 && restart)
		return 1;
	return rc;
}

/* What the report held when pass 2 began (what the header gave). */
struct report_mark {
	size_t nerrors, errors_omitted;
};

/*
 * Forgets all pass 2 did, for a pass 2 that starts again from the first
 * seizure or fails: the transaction rolled back, the report's counts, its
 * errors past the mark, the agencies it would create, the rejected rows, the
 * offenders' and identifiers' state.  The rows and their groups stay.
 */
static void pass2_restart(struct importer *im, const struct report_mark *m)
{
	if (im->writing)
		store_rollback(im->st);
	im->writing = 0;
	struct import_report *rep = im->rep;
	rep->created = rep->updated = rep->unchanged = rep->rejected = rep->rows_rejected = 0;
	for (size_t i = 0; i < rep->nagencies; i++)
		free(rep->agencies_created[i]);
	rep->nagencies = 0;
	for (size_t i = m->nerrors; i < rep->nerrors; i++) {
		free(rep->errors[i].field);
		free(rep->errors[i].message);
	}
	rep->nerrors = m->nerrors;
	rep->errors_omitted = m->errors_omitted;
	strmap_free(&im->agencies);
	strmap_init(&im->agencies);
	im->next_placeholder = 0;
	im->import_id = 0;
	im->register_empty = 0;
	im->failed = 0;
	im->invalid_rows = 0;
	im->done_rows = 0;
	dynbuf_reset(&im->rejects);
	im->rejects_header_done = 0;
	import_parties_restart(im->parties);
}

/* The import's one audit entry, for the seizures it created or changed (none:
 * no entry), with the digest of their list (audit.h). */
static int audit_import_entry(struct importer *im, const char *sha256, struct error *err)
{
	const struct import_report *rep = im->rep;
	if (rep->created + rep->updated == 0)
		return 0;
	char digest[65];
	int64_t n;
	if (audit_import_digest(im->st, im->import_id, digest, &n, err) != 0)
		return -1;
	struct dynbuf b = DYNBUF_INIT(1 << 20);
	dynbuf_adds(&b, "{\"created\":");
	jw_int(&b, (int64_t)rep->created);
	dynbuf_adds(&b, ",\"digest\":");
	jw_str(&b, digest);
	dynbuf_adds(&b, ",\"file\":");
	jw_str(&b, im->opt->filename ? im->opt->filename : "");
	dynbuf_adds(&b, ",\"rows\":");
	jw_int(&b, (int64_t)rep->rows);
	dynbuf_adds(&b, ",\"rows_rejected\":");
	jw_int(&b, (int64_t)rep->rows_rejected);
	dynbuf_adds(&b, ",\"seizures\":");
	jw_int(&b, n);
	dynbuf_adds(&b, ",\"sha256\":");
	jw_str(&b, sha256 ? sha256 : "");
	dynbuf_adds(&b, ",\"updated\":");
	jw_int(&b, (int64_t)rep->updated);
	dynbuf_addc(&b, '}');
	int rc = audit_append(im->st, im->who, "import", "import", im->import_id, dynbuf_str(&b),
			      err);
	dynbuf_free(&b);
	return rc;
}

static int rows_sorted(const struct importer *im)
{
	for (size_t i = 1; i < im->nrows; i++)
		if (im->rows[i].group < im->rows[i - 1].group)
			return 0;
	return 1;
}

int seizure_import(struct store *st, const struct refdata *ref, const struct actor *who,
		   struct table_reader *in, const struct import_options *opt,
		   struct import_report *rep, struct error *err)
{
	static const struct import_options defaults = { 0 };
	if (!opt)
		opt = &defaults;
	rep->dry_run = opt->dry_run;
	rep->committed = 0;
	if (who->role != ROLE_ADMIN && who->role != ROLE_ANALYST)
		return error_set(err, ERR_FORBIDDEN,
				 "only administrators and analysts may import seizures (your role "
				 "is %s)",
				 role_name(who->role));

	struct importer im;
	memset(&im, 0, sizeof im);
	im.st = st;
	im.ref = ref;
	im.who = who;
	im.opt = opt;
	im.rep = rep;
	im.max_errors = opt->max_errors ? opt->max_errors : DEFAULT_MAX_ERRORS;
	hmap_init(&im.keys);
	hmap_init(&im.contents);
	strmap_init(&im.agencies);
	pthread_mutex_init(&im.agency_mu, NULL);
	dynbuf_init(&im.rejects, (size_t)1 << 31);
	int rc = -1;

	struct arena a;
	arena_init(&a);
	struct agency_rec own;
	struct error e = ERROR_INIT;
	if (store_agency_by_id(st, who->agency_id, &own, &a, &e) == 0)
		im.own_agency = xstrdup(own.name);
	else
		im.own_agency = xstrdup("");
	error_clear(&e);
	arena_free(&a);

	/* the header, then passes 1 and 2 */
	im.spill = open_spill(err);
	if (!im.spill)
		goto out;
	struct csv_record row;
	int r = table_next(in, &row, err);
	if (r < 0)
		goto out;
	if (r == 0) {
		add_error(rep, im.max_errors, 1, "columns",
			  "the file is empty: the first row must name the columns");
		error_set(err, ERR_VALIDATION, "the file is empty; nothing was imported");
		goto out;
	}
	if (read_header(&im, &row, err) != 0)
		goto out;
	const struct report_mark mark = { rep->nerrors, rep->errors_omitted };
	/* pass 2 on the heels of pass 1 when it can: it needs the file's size,
	 * to estimate the rows before the end (asked before the parsing thread
	 * owns the reader) */
	int can_stream = table_progress(in) >= 0;
	struct parser *ps = parser_start(&im, in, err);
	if (!ps)
		goto out;
	int streamed = 1; /* 0: done; 1: (again) from the spill file; -1: failed */
	int pass1_done = 0;
	if (can_stream) {
		streamed = run_groups(&im, ps, err);
		pass1_done = 1;
		if (streamed != 0)
			pass2_restart(&im, &mark);
	}
	if (streamed < 0 || (!pass1_done && read_rows(&im, ps, 1, err) != 0)) {
		parser_stop(ps);
		goto out;
	}
	parser_stop(ps);
	rep->streamed = streamed == 0;
	if (streamed != 0) {
		if (fflush(im.spill) != 0) {
			error_set(err, ERR_IO, "writing the import's temporary file: %s",
				  strerror(errno));
			goto out;
		}
		progress(&im, rep->rows, 0.25);
		/* the key maps only serve pass 1: give their memory back before the
		 * database's page cache fills in pass 2 */
		hmap_free(&im.keys);
		hmap_free(&im.contents);
		if (!rows_sorted(&im))
			qsort(im.rows, im.nrows, sizeof *im.rows, by_group);
		im.reading = 1;
		im.read_pos = UINT64_MAX;
		if (start_writing(&im, rep->rows, err) != 0)
			goto out;
		if (run_groups(&im, NULL, err) != 0) {
			store_rollback(st);
			im.writing = 0;
			goto out;
		}
	}
	/* the row index and the key maps are done with: free them before the
	 * commit, which rebuilds the register's indexes and is the import's peak
	 * of memory */
	hmap_free(&im.keys);
	hmap_free(&im.contents);
	free(im.rows);
	im.rows = NULL;
	free(im.groups);
	im.groups = NULL;
	if (im.writing) {
		/* the indexes first: the file's digest, when it is made beside the
		 * import, has the other core meanwhile */
		if (store_bulk_indexes(st, err) != 0) {
			im.writing = 0;
			goto out;
		}
		const char *sha = opt->sha256_wait ? opt->sha256_wait(opt->sha256_ctx) : opt->sha256;
		struct import_rec job = { .id = im.import_id,
					  .sha256 = sha,
					  .rows = (int64_t)rep->rows,
					  .created = (int64_t)rep->created,
					  .updated = (int64_t)rep->updated,
					  .unchanged = (int64_t)rep->unchanged,
					  .rejected = (int64_t)rep->rows_rejected };
		if (store_import_finish(st, &job, err) != 0 ||
		    audit_import_entry(&im, sha, err) != 0 ||
		    store_commit(st, err) != 0) {
			store_rollback(st);
			im.writing = 0;
			goto out;
		}
		rep->committed = 1;
		rep->import_id = im.import_id;
	}
	progress(&im, rep->rows, 1.0);
	if (im.failed) {
		error_set(err, ERR_VALIDATION,
			  "%zu of %zu rows have errors; nothing %s imported (fix them, or skip "
			  "the invalid seizures to import the valid ones only)",
			  im.invalid_rows, rep->rows, opt->dry_run ? "would be" : "was");
		goto out;
	}
	rc = 0;
out:
	if (im.parties) {
		struct import_parties_counts pc;
		import_parties_counts(im.parties, &pc);
		rep->party_columns = 1;
		rep->parties_created = pc.parties_created;
		rep->parties_reused = pc.parties_reused;
		rep->identifiers_created = pc.identifiers_created;
		rep->identifiers_reused = pc.identifiers_reused;
	}
	sort_errors(rep);
	rejects_header(&im);
	write_rejects_out(&im, 1);
	importer_free(&im);
	return rc;
}
