/*
 * seizure.h - the seizure record (CITES Annual Illegal Trade Report, SC71)
 * and the operations on it.
 *
 * A struct seizure and its items borrow all their strings from an arena
 * given by the caller; nothing in them is freed on its own.  Lists of
 * countries are ';'-separated ISO 3166-1 alpha-2 codes.  Absent optional
 * text is NULL.
 *
 * Every write goes through seizure_create / seizure_update / seizure_delete
 * (and the importer, which calls seizure_write_validated): they check the
 * actor's rights, validate, write in one transaction with the audit entry,
 * and leave the store unchanged on any error.
 */
#ifndef KOUPREY_SEIZURE_H
#define KOUPREY_SEIZURE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"

struct store;
struct refdata;

struct seizure_item {
	int64_t taxon_id;         /* resolved by validation */
	const char *species;      /* as recorded */
	const char *taxon_name;   /* accepted scientific name (output) */
	const char *term;         /* CITES term code */
	double quantity;
	const char *unit;         /* CITES unit code; "" = number of specimens */
	int line;                 /* 1-based order within the seizure */
	int live;                 /* 1 live, 0 dead, -1 not stated */
};

struct seizure {
	int64_t id;
	const char *ref;          /* the agency's reference; unique per agency */
	int64_t agency_id;
	const char *agency;       /* agency name (output, and input on import) */
	const char *sharing;      /* "agency" or "national" */
	const char *date;         /* YYYY, YYYY-MM or YYYY-MM-DD */
	const char *date_from, *date_to;   /* derived: first and last day */
	const char *country;
	const char *place, *province, *locode;
	int has_coords;
	double latitude, longitude;
	const char *reason, *transport_mode, *detection_method;
	const char *concealment, *concealment_code;
	const char *origin, *transit, *destination, *offender_nationalities;
	int has_value;
	double value_amount;
	const char *value_currency;
	const char *legal_action, *law, *sanctions, *disposal, *notes;
	int64_t version;
	const char *created_at, *updated_at;
	int64_t created_by, updated_by;
	const char *search_text;  /* derived: folded text for q= search */
	const char *content_hash; /* derived: hash of the record's content */
	struct seizure_item *items;
	size_t nitems;
};

enum { SEIZURE_Q_MAX_WORDS = 7 };

/* Filters of the list; NULL / 0 means "any". */
struct seizure_filter {
	const char *q;            /* words that must all appear (folded; at most
				     SEIZURE_Q_MAX_WORDS) */
	int64_t taxon_id;         /* exact taxon */
	const char *taxon_group;  /* higher taxon: class, order, family or genus */
	const char *term;
	const char *country;      /* of seizure, origin, transit or destination */
	int64_t agency_id;
	const char *from, *to;    /* YYYY-MM-DD, inclusive */
	const char *transport_mode;
	int64_t after_id;         /* cursor: list is by date desc, id desc */
	const char *after_date;
	int limit;
	int want_total;
};

struct seizure_list {
	struct seizure *items;
	size_t n;
	int64_t total;            /* -1 when not counted */
	int has_more;
	const char *next_cursor;  /* NULL at the end */
};

/*
 * Checks and normalises s in place against the reference data: resolves
 * species names to taxa, vocabulary synonyms to codes, country names to codes,
 * derives date_from/date_to, search_text and content_hash.  Every problem is
 * added to err as a field error ("date", "items[0].unit", ...); returns -1 if
 * there was any.
 */
int seizure_validate(const struct refdata *ref, struct seizure *s, struct arena *a,
		     struct error *err);

/* Derives content_hash again for a seizure seizure_validate() accepted,
 * after its agency_id or sharing was changed (the import decides both after
 * validating). */
void seizure_rehash(struct seizure *s, struct arena *a);

int seizure_create(struct store *st, const struct refdata *ref, const struct actor *who,
		   struct seizure *s, struct arena *a, struct error *err);
/* s->version must be the version read; a stale one fails with ERR_CONFLICT. */
int seizure_update(struct store *st, const struct refdata *ref, const struct actor *who,
		   int64_t id, struct seizure *s, struct arena *a, struct error *err);
int seizure_delete(struct store *st, const struct actor *who, int64_t id, int64_t version,
		   struct error *err);
/*
 * Reads one seizure the actor may see and records the view in the audit log:
 * queued on views when given (the server), else written at once.
 */
struct viewlog;
int seizure_get(struct store *st, struct viewlog *views, const struct actor *who, int64_t id,
		struct seizure *out, struct arena *a, struct error *err);
int seizure_list(struct store *st, const struct actor *who, const struct seizure_filter *f,
		 struct seizure_list *out, struct arena *a, struct error *err);

/* Cursor text <-> filter fields. */
const char *seizure_cursor_encode(struct arena *a, const struct seizure *last);
int seizure_cursor_decode(const char *cursor, struct seizure_filter *f, struct arena *a);

/* 0 when the actor may see seizure id (its history, say), without recording
 * a view; ERR_NOT_FOUND otherwise. */
int seizure_check_visible(struct store *st, const struct actor *who, int64_t id,
			  struct error *err);

/* Parses YYYY, YYYY-MM or YYYY-MM-DD (precision 1, 2, 3); -1 if not a real date. */
int seizure_parse_date(const char *s, int *y, int *m, int *d, int *precision);

/*
 * Writes an already validated seizure inside the caller's transaction: insert
 * (existing_id 0) or replace version existing_version, and append its audit
 * entry (action).  With import_id not 0 (the importer) it is listed in that
 * import's list instead, which the import's one audit entry covers (audit.h);
 * action is then not used.  For the importer and the operations above.
 */
int seizure_save_in_tx(struct store *st, const struct actor *who, struct seizure *s,
		       int64_t existing_id, int64_t existing_version, const char *action,
		       int64_t import_id, struct error *err);

/* May the actor change (or delete) this seizure? */
int seizure_may_write(const struct actor *who, int64_t agency_id);

#endif
