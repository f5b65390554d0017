/*
 * party_index.h - the search box's index: names of parties, matched across
 * scripts and spellings, and identifiers by their canonical key, answered
 * from memory.
 *
 * What it holds, compactly (a million parties with three million names and
 * two million identifiers fit in a few hundred megabytes):
 *
 *   - every party's id, agency, sharing and main name (its label);
 *   - every name's matching key (text/names.h), stored once per distinct
 *     key in a string pool, and the names that have it; the blocking terms
 *     of the keys (name_key_terms), each with the sorted array of the keys
 *     filed under it (uint32 postings);
 *   - every identifier's canonical key (party/identifier.h), display form,
 *     agency, sharing and party, in an open-addressing table by key.
 *
 * A name query builds the query's key, reads the postings of its terms
 * (rarest first, within a budget), keeps the keys that share the most
 * weight of terms with it, scores those with name_compare(), and returns
 * the parties that have them, best score first, each with the scorer's
 * explanation.  An identifier query is exact: ident_guess() lists every
 * kind and canonical key the typed text could be (a phone typed any way),
 * and each key is looked up.
 *
 * Access: a party or identifier the actor may not see (another agency's,
 * not shared nationally; admins see everything) is left out before
 * anything is counted, so it never shows in the hits nor in the total.  An
 * identifier follows the rule of party/party.h: it is visible through a
 * visible party it is linked to, through a visible seizure it was seen in,
 * or to the agency that recorded it.
 *
 * The index is derived, never the truth: built from the store at start
 * (party_index_build), brought up to date for a party after the server
 * changed it (party_index_refresh), and rebuilt whole when the register's
 * generation (store_party_generation) shows a change the server did not
 * make.  It can also be filled without a store (party_index_new,
 * party_index_put, party_index_put_ident) for tests and benchmarks.
 *
 * Thread-safe: searches share a read lock; changes and rebuilds take the
 * write lock (a rebuild loads outside it and swaps).
 */
#ifndef KOUPREY_PARTY_INDEX_H
#define KOUPREY_PARTY_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"

struct store;
struct refdata;
struct party_index;

/* ---- what goes in -------------------------------------------------------- */

/* An identifier as the index sees it. */
struct ident_doc {
	int64_t id;               /* > 0 */
	int64_t party_id;         /* the party it belongs to, or 0 */
	int64_t agency_id;        /* who may see it (ignored in a party_doc: the
				     party's agency and sharing apply) */
	int national;
	const char *kind;         /* ident_kind_name(): "phone", "email", ... */
	const char *key;          /* canonical key (ident_normalise) */
	const char *display;      /* for people; NULL: the key */
};

/* A party as the index sees it (all strings borrowed for the call). */
struct party_doc {
	int64_t id;               /* > 0 */
	int64_t agency_id;        /* the recording agency */
	int national;             /* shared nationally: every agency may see it */
	int organisation;         /* 0 person, 1 organisation */
	const char **names;       /* UTF-8, any script; names[0] is the label */
	size_t nnames;
	/* its identifiers: found by whoever may see the party, and replaced or
	 * removed with it */
	const struct ident_doc *idents;
	size_t nidents;
};

/*
 * An empty index (generation 0), to fill with party_index_put*.  While it is
 * being filled it remembers the names it has keyed (many parties are named
 * alike); party_index_loaded() drops that memory when filling is done.
 */
struct party_index *party_index_new(void);
void party_index_loaded(struct party_index *ix);
/*
 * Adds the party, or replaces the one with the same id (its old names are
 * dropped).  Names that are not valid UTF-8 or have no letters are skipped.
 * Returns 0; -1 with ERR_VALIDATION when the id is not positive.
 */
int party_index_put(struct party_index *ix, const struct party_doc *d, struct error *err);
/* Removes the party and the identifiers it brought; nothing when absent. */
void party_index_remove(struct party_index *ix, int64_t party_id);
/* Adds an identifier on its own (visible by its agency_id and national),
 * or replaces the one with the same id put this way.  Returns 0; -1 with
 * ERR_VALIDATION for a non-positive id or an empty key. */
int party_index_put_ident(struct party_index *ix, const struct ident_doc *d, struct error *err);
void party_index_remove_ident(struct party_index *ix, int64_t ident_id);

/* ---- from the store ------------------------------------------------------- */

/*
 * Builds the index from the store (the caller holds a read snapshot): every
 * party that is not merged, with its names and identifiers (store_party_all),
 * the identifiers linked to no party, visible to the agency that recorded
 * them (store_identifier_all), and which seizures' agencies see which
 * identifiers (store_identifier_seizure_all).  NULL with err set on failure.
 */
struct party_index *party_index_build(struct store *st, struct error *err);
void party_index_free(struct party_index *ix);
/*
 * Brings the index up to date with the store when the party generation
 * (store_party_generation) moved, whoever moved it (this server or another
 * process): the parties changed since the index's generation
 * (store_party_changed_since) are read again (store_party_feed) and
 * replaced or dropped; more than PARTY_INDEX_REFRESH_MAX of them, or a
 * generation older than the index's, rebuild it whole.  When that or the
 * seizure generation (store_seizure_generation) moved, the identifiers
 * recorded since the index's largest identifier id are added (seen by the
 * agency that recorded them, and through their parties once those are
 * read again) and the identifiers' seizure links are read again whole
 * (store_identifier_seizure_all: a link added or removed, a seizure
 * deleted or its sharing changed).  An identifier that loses its last
 * party keeps no entry of its own until the next rebuild.  A failure leaves the index as it was (the caller logs it; the store stands).
 * When another thread is already catching up, returns 0 at once (the search
 * then sees the index as it is, a moment behind).
 */
int party_index_sync(struct party_index *ix, struct store *st, struct error *err);
/* The same, after this server changed party_id (a hint; may be 0). */
int party_index_refresh(struct party_index *ix, struct store *st, int64_t party_id,
			struct error *err);

enum { PARTY_INDEX_REFRESH_MAX = 20000 };

/* ---- what comes out --------------------------------------------------------- */

enum party_hit_kind { PARTY_HIT_IDENTIFIER = 1, PARTY_HIT_PARTY = 2 };

/* Scores below this are not hits (name_compare's scale, 0..1). */
#define PARTY_SEARCH_MIN_SCORE 0.5

struct party_hit {
	enum party_hit_kind kind;
	int64_t id;               /* party id or identifier id */
	int64_t party_id;         /* identifier: its party (0 if none or not visible) */
	const char *label;        /* party: its main name; identifier: display */
	const char *ident_kind;   /* identifier: "phone", ...; party: NULL */
	double score;             /* 1 for an exact identifier */
	const char *reason;       /* "exact phone +85512345678", or name_compare's
				     explanation */
};

struct party_query {
	const char *q;            /* as typed */
	int want_parties, want_identifiers;
	size_t limit;             /* hits wanted (> 0) */
	const char *default_country; /* for identifiers typed without one (the
				     actor's agency's country); may be NULL */
	const struct refdata *ref;   /* for ident_guess; may be NULL */
};

/*
 * Searches: exact identifiers first (in the order of ident_guess, then by
 * id), then parties by name score (best first; equal scores by id).  Only
 * what `who` may see.  Fills *hits (allocated in ar, strings too) with up to
 * q->limit hits, *n of them, and *total with the number of hits before the
 * limit (parties counted once, however many of their names matched; the
 * names examined are bounded, so for a very common name the total counts
 * the best few hundred).  Returns 0; -1 with err set when the query cannot
 * be read (invalid UTF-8).
 */
int party_index_search(struct party_index *ix, const struct actor *who,
		       const struct party_query *q, struct arena *ar, struct party_hit **hits,
		       size_t *n, int64_t *total, struct error *err);

/* ---- size ---------------------------------------------------------------------- */

struct party_index_stats {
	size_t parties, names, keys, terms, postings, identifiers;
	size_t bytes;             /* memory held by the index's arrays and pools */
	int64_t generation;
};

void party_index_stats(struct party_index *ix, struct party_index_stats *out);

#endif
