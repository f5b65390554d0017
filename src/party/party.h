/*
 * party.h - the party register: persons and organisations, their names and
 * identifiers, and the links that tie them to seizures and to each other.
 *
 * Records borrow their strings from an arena given by the caller; nothing in
 * them is freed on its own.  Lists of countries are ';'-separated ISO 3166-1
 * alpha-2 codes.  Absent optional text is NULL.
 *
 * Access (the rule of the seizure register): an actor sees the parties of
 * their own agency and those shared nationally; an admin sees all.  Viewers
 * only read; officers, analysts and admins write the parties of their own
 * agency (admins: any).  Only an admin deletes a party.  A merged party
 * (merged_into set, by entity resolution) is hidden from lists and from the
 * search feed but can still be read by id.
 *
 * An identifier is one row per (kind, canonical key) in the whole store (the
 * same phone typed two ways is one identifier), tied to parties and seizures
 * by links.  It is visible to an actor when at least one party or seizure it
 * is linked to is visible, or when the actor's agency recorded it first.
 * A link is shown only when both its ends are visible.
 *
 * Every write goes through the functions here: they check the actor's
 * rights, validate, write in one transaction with the audit entry (entity
 * "party" or "identifier"), and leave the store unchanged on any error.
 */
#ifndef KOUPREY_PARTY_H
#define KOUPREY_PARTY_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"

struct store;
struct refdata;
struct viewlog;

enum { PARTY_MAX_NAMES = 50, PARTY_MAX_REGISTRATIONS = 20, PARTY_Q_MAX_WORDS = 7 };

/*
 * Kinds of organisation (party.org_kind), a fixed list: company,
 * vessel_operator, logistics, shop, restaurant, farm, zoo, other.
 * NULL-terminated; static strings.
 */
extern const char *const party_org_kinds[];
/* Roles of a party in a seizure: suspect, arrested, owner, consignor,
 * consignee, carrier, driver, buyer, seller, courier, other. */
extern const char *const party_seizure_roles[];
/* Roles of a party towards an identifier: uses, owns, registered_to. */
extern const char *const party_identifier_roles[];
/* Relations between parties, read "party KIND other": family, associate,
 * employee_of, director_of (the last two are directional). */
extern const char *const party_relation_kinds[];

struct party_name {
	const char *name;
	const char *script;       /* ISO 15924 ("Latn", "Khmr", "Hani", ...);
				     from the name when not given */
	const char *kind;         /* "full", "alias" or "nickname" */
	const char *romanised;    /* derived (name_romanise), output only */
};

struct party_registration {
	const char *country;      /* ISO2 or NULL */
	const char *number;
};

struct party_new_ident;

struct party {
	int64_t id;
	const char *kind;         /* "person" or "organisation" */
	int64_t agency_id;
	const char *agency;       /* agency name (output) */
	const char *sharing;      /* "agency" or "national" */
	struct party_name *names;
	size_t nnames;
	/* persons */
	const char *sex;          /* "male", "female", "unknown" or NULL */
	const char *birth_date;   /* YYYY-MM-DD or NULL */
	int birth_year;           /* 0 unknown; derived from birth_date when given */
	const char *nationalities;
	/* organisations */
	const char *org_kind;
	struct party_registration *registrations;
	size_t nregistrations;
	const char *country;
	const char *notes;
	const char *search_text;  /* derived: folded names and romanised names */
	int64_t version;
	const char *created_at, *updated_at;
	int64_t created_by, updated_by;
	int64_t merged_into;      /* 0 normally */
	/* input only: identifiers to record and link with a new party */
	struct party_new_ident *new_idents;
	size_t nnew_idents;
};

struct identifier {
	int64_t id;
	const char *kind;         /* ident_kind_name() */
	const char *value;        /* as first typed */
	const char *key;          /* canonical (ident_normalise) */
	const char *display;
	const char *country, *platform, *date, *province;
	int64_t agency_id;        /* the agency that recorded it first */
	const char *created_at;
	int64_t created_by;
};

/* What every link carries (besides its ends and role). */
struct link_info {
	const char *role;         /* or the relation's kind */
	const char *source;       /* free text: "customs declaration", ... */
	const char *date;         /* YYYY, YYYY-MM or YYYY-MM-DD, or NULL */
	int64_t seizure_id;       /* the record it came from, 0 if none */
};

/* An identifier given with a new party, and its link (role default "uses"). */
struct party_new_ident {
	struct identifier ident;  /* kind, value, country, platform, date, province */
	struct link_info link;
};

/* ---- the party page ---------------------------------------------------- */

struct party_ident_link {
	int64_t link_id;
	struct link_info link;
	struct identifier ident;
	const char *created_at;
};

struct party_seizure_link {
	int64_t link_id;
	struct link_info link;    /* link.seizure_id is the seizure */
	const char *created_at;
	/* the seizure (visible to the actor), filled by party_page */
	const char *ref, *date, *country, *agency;
	int64_t agency_id;
	const char *species;      /* "Manis javanica (SCA 1200.5 KIL); ..." */
};

struct party_relation_link {
	int64_t link_id;
	struct link_info link;    /* link.role is the relation's kind */
	int outgoing;             /* 1: "this KIND other"; 0: "other KIND this" */
	int64_t other_id;
	const char *other_kind, *other_name;
	int64_t other_agency_id;  /* for the access check */
	const char *other_sharing;
	const char *created_at;
};

struct party_event {
	const char *date;
	const char *type;         /* "identifier", "seizure", "relation" */
	const char *role;
	const char *source;
	int64_t id;               /* identifier, seizure or other party id */
	const char *label;        /* the identifier's display, seizure ref or name */
};

struct party_page {
	struct party party;
	struct party_ident_link *idents;
	size_t nidents;
	struct party_seizure_link *seizures;
	size_t nseizures;
	struct party_relation_link *relations;
	size_t nrelations;
	struct party_event *timeline;   /* dated events of the links, newest first */
	size_t ntimeline;
};

/* ---- lists --------------------------------------------------------------- */

struct party_filter {
	const char *q;            /* words that must all appear in a name or its
				     romanisation (case-insensitive substrings) */
	const char *kind;         /* "person", "organisation" or NULL */
	int64_t after_id;         /* cursor: lists are newest id first */
	int limit;                /* default 50 */
};

struct party_list {
	struct party *items;      /* with names */
	size_t n;
	int64_t total;
	const char *next_cursor;  /* NULL at the end */
};

/* ---- operations -------------------------------------------------------- */

/*
 * Checks and normalises p in place: kind, sharing (default "national"),
 * names (at least one; scripts filled; romanised computed), sex, dates,
 * countries, org_kind, registrations; derives birth_year and search_text.
 * Fields that do not belong to the kind are errors.  Every problem is a
 * field error ("names[1].kind", "nationalities[0]"); -1 if there was any.
 */
int party_validate(const struct refdata *ref, struct party *p, struct arena *a,
		   struct error *err);

/* Validates the link's text fields (date, source); field names are prefixed
 * with prefix ("" for none). */
int link_info_validate(struct link_info *l, const char *prefix, struct arena *a,
		       struct error *err);

/* Trims *role in place and checks it is one of list (party_seizure_roles,
 * ...); a field error on field otherwise.  0 or -1. */
int party_check_role(struct error *err, const char *field, const char **role,
		     const char *const *list, struct arena *a);

/* May the actor change (or link) a party of this agency? */
int party_may_write(const struct actor *who, int64_t agency_id);
/* May the actor see a record of this agency and sharing? */
int party_may_see(const struct actor *who, int64_t agency_id, const char *sharing);

/*
 * Creates p (agency defaults to the actor's); sets p->id and p->version.
 * The identifiers of p->new_idents are recorded (or reused) and linked in
 * the same transaction (their errors are "identifiers[N].value", ...; on
 * success each ident holds the identifier as stored).
 */
int party_create(struct store *st, const struct refdata *ref, const struct actor *who,
		 struct party *p, struct arena *a, struct error *err);
/* The checks of party_create without writing: party_validate and the
 * identifiers of p->new_idents.  0, or -1 with the field errors added. */
int party_check_new(struct store *st, const struct refdata *ref, const struct actor *who,
		    struct party *p, struct arena *a, struct error *err);
/*
 * Creates p as party_create does and links it to seizure seizure_id with l
 * (role from party_seizure_roles), in one transaction.  The actor must see
 * the seizure.  The party's field errors are prefixed "party.".
 */
int party_create_in_seizure(struct store *st, const struct refdata *ref,
			    const struct actor *who, int64_t seizure_id, struct party *p,
			    struct link_info *l, struct arena *a, struct error *err);
/* p->version must be the version read; a stale one fails with ERR_CONFLICT. */
int party_update(struct store *st, const struct refdata *ref, const struct actor *who,
		 int64_t id, struct party *p, struct arena *a, struct error *err);
/* Admin only; removes the party, its names and its links. */
int party_delete(struct store *st, const struct actor *who, int64_t id, int64_t version,
		 struct error *err);
/* Reads a party the actor may see (ERR_NOT_FOUND otherwise), no view recorded. */
int party_get(struct store *st, const struct actor *who, int64_t id, struct party *out,
	      struct arena *a, struct error *err);
/*
 * The party page: the party, its identifiers, seizures and relations (only
 * those whose other end the actor may see) and the timeline.  Records no
 * view (party_record_view does).
 */
int party_page(struct store *st, const struct actor *who, int64_t id, struct party_page *out,
	       struct arena *a, struct error *err);
/*
 * Records that who viewed entity ("party" or "identifier") id in the audit
 * log: queued on views when given (the server, whose GET requests run in a
 * read transaction), else written at once in its own transaction.
 */
int party_record_view(struct store *st, struct viewlog *views, const struct actor *who,
		      const char *entity, int64_t id, struct error *err);
int party_list(struct store *st, const struct actor *who, const struct party_filter *f,
	       struct party_list *out, struct arena *a, struct error *err);

/*
 * Records the identifier in (kind, value and its qualifiers; key and display
 * are computed) and links it to party party_id with link l (role uses, owns,
 * registered_to).  The identifier is reused when one with the same key
 * exists.  A phone without an international prefix takes the country in->country, else
 * the country of the actor's agency.  *ident_out is the identifier as
 * stored; *created_link is 0 when that exact link (party, identifier, role)
 * existed already (nothing is written then).  Field errors are named "kind",
 * "value", "country", "platform", "province" and "flight_date" (the
 * identifier's, from ident_normalise), "role", "source", "date" (the
 * link's) and "seizure_id".
 */
int party_add_identifier(struct store *st, const struct refdata *ref, const struct actor *who,
			 int64_t party_id, struct identifier *in, struct link_info *l,
			 struct identifier *ident_out, int *created_link, struct arena *a,
			 struct error *err);
/* Removes the links of party to identifier (of that role, or all when role
 * is NULL); ERR_NOT_FOUND if there was none. */
int party_remove_identifier(struct store *st, const struct actor *who, int64_t party_id,
			    int64_t ident_id, const char *role, struct error *err);

/*
 * Links party and seizure with l (role from party_seizure_roles).  The actor
 * must see both and may write one of them.  *created_link as above.
 */
int party_link_seizure(struct store *st, const struct actor *who, int64_t party_id,
		       int64_t seizure_id, struct link_info *l, int *created_link,
		       struct arena *a, struct error *err);
int party_unlink_seizure(struct store *st, const struct actor *who, int64_t party_id,
			 int64_t seizure_id, const char *role, struct error *err);

/* Relates party to other with l (l->role from party_relation_kinds). */
int party_add_relation(struct store *st, const struct actor *who, int64_t party_id,
		       int64_t other_id, struct link_info *l, int *created_link,
		       struct arena *a, struct error *err);
/* Removes relations between the two (either direction; of that kind, or all). */
int party_remove_relation(struct store *st, const struct actor *who, int64_t party_id,
			  int64_t other_id, const char *kind, struct error *err);

/*
 * Records an identifier seen in a seizure (role "seen_in"): the actor must
 * see the seizure and may write it.  Field errors as party_add_identifier.
 */
int seizure_add_identifier(struct store *st, const struct refdata *ref, const struct actor *who,
			   int64_t seizure_id, struct identifier *in, struct link_info *l,
			   struct identifier *ident_out, int *created_link, struct arena *a,
			   struct error *err);

/* The parties of a seizure (those the actor may see), with their links. */
struct seizure_party {
	int64_t link_id;
	struct link_info link;
	struct party party;       /* with names */
	const char *created_at;
};
/* The identifiers seen in a seizure (role seen_in). */
struct seizure_ident {
	int64_t link_id;
	struct link_info link;
	struct identifier ident;
	const char *created_at;
};
int seizure_parties(struct store *st, const struct actor *who, int64_t seizure_id,
		    struct seizure_party **out, size_t *n, struct seizure_ident **idents,
		    size_t *nidents, struct arena *a, struct error *err);

/* An identifier with its visible parties and seizures. */
struct identifier_page {
	struct identifier ident;
	struct seizure_party *parties;   /* link.seizure_id: the record it came from */
	size_t nparties;
	struct party_seizure_link *seizures;   /* seen_in links */
	size_t nseizures;
};
/* ERR_NOT_FOUND when the actor may not see it; records no view. */
int identifier_page(struct store *st, const struct actor *who, int64_t id,
		    struct identifier_page *out, struct arena *a, struct error *err);

/* ---- inside the caller's transaction (the seizure import) ---------------
 *
 * For a caller that holds a transaction of its own (src/seizure/
 * import_parties.c): these write and append the audit entry exactly as the
 * operations above do, but check no rights and validate nothing, and never
 * begin, commit or roll back.  The caller has checked the actor's rights and
 * validated (party_validate; ident_normalise for the identifier's key and
 * display).  On error the caller rolls its transaction back.
 */

/* Inserts p (agency_id, sharing and the rest set and validated) at version
 * 1 with its audit entry "create"; sets p->id.  p->new_idents are recorded
 * and linked as party_create does. */
int party_create_in_tx(struct store *st, const struct actor *who, struct party *p,
		       struct arena *a, struct error *err);
/* Finds the identifier with in's (kind, key) or records it (audited
 * "create", agency = the actor's); *out is the identifier as stored. */
int identifier_save_in_tx(struct store *st, const struct actor *who, struct identifier *in,
			  struct identifier *out, struct arena *a, struct error *err);
/* The links, audited "link" when new; *created 0 when it existed (nothing
 * written).  Roles as for party_add_identifier, party_link_seizure and
 * seizure_add_identifier ("seen_in"). */
int party_link_identifier_in_tx(struct store *st, const struct actor *who, int64_t party_id,
				int64_t ident_id, const struct link_info *l, int *created,
				struct error *err);
int party_link_seizure_in_tx(struct store *st, const struct actor *who, int64_t party_id,
			     int64_t seizure_id, const struct link_info *l, int *created,
			     struct error *err);
int seizure_link_identifier_in_tx(struct store *st, const struct actor *who,
				  int64_t seizure_id, int64_t ident_id, const struct link_info *l,
				  int *created, struct error *err);

/* Cursor text <-> filter. */
const char *party_cursor_encode(struct arena *a, int64_t last_id);
int party_cursor_decode(const char *cursor, struct party_filter *f);

/* The first full name of p (else its first name); "" when it has none. */
const char *party_main_name(const struct party *p);

#endif
