/*
 * resolve.h - entity resolution: candidate duplicate parties, the review
 * queue, merges with provenance and their exact undo, "not the same"
 * decisions, and the automatic merge by a proving identifier.
 *
 * Candidates.  For every party created or changed (the party change feed:
 * parties whose generation stamp is past the resolver's watermark, the
 * setting "resolution_watermark"), resolve_detect() looks for parties of the
 * same kind, not merged, that
 *   (a) share an identifier (same canonical key; identifiers linked to more
 *       than RESOLVE_IDENT_MAX_PARTIES parties are too common to say
 *       anything and are ignored) - the strongest reason;
 *   (b) have a name scoring at least NAME_MATCH_THRESHOLD with name_compare
 *       and, for persons, an agreeing birth (same date, same year, or a year
 *       one apart when one side knows only the year) or a shared
 *       nationality; for organisations the same country or a shared
 *       registration number;
 *   (c) organisations only: share a registration number (country and
 *       number).
 * A pair contradicted by evidence is never proposed: persons whose birth
 * years are more than one apart, or whose sex is known on both sides and
 * differs.  Candidates are kept whatever the reviewer's access: the queue
 * shows a pair only to users who may see both parties.
 *
 * Each candidate has a score in [0, 1] (identifiers 0.90, passport or ID
 * card 0.97, registration 0.93, names 0.5 + 0.4 x name score plus 0.03 for
 * an agreeing birth and 0.02 for a shared nationality; +0.02 per further
 * kind of evidence, at most 1) and a reason a person can read:
 * "same phone +85512345678; Khmer romanised → sun chantha; given name edit
 * distance 1; same birth year 1980".
 *
 * "Not the same".  A pair marked not the same is not proposed again unless
 * new evidence appears: an identifier shared now that was not shared when
 * the decision was made, a registration number newly shared, or a name
 * match (with its corroboration) where the decision was made on shared
 * identifiers alone.  A better name score, a new nationality or a
 * birth year added do not reopen it.  A reopened pair is open again with
 * the earlier decision kept in decided_by/decided_at/note.
 *
 * How detection runs.  It is correct whichever way parties were written
 * (API, command line, import): the pass reads the change feed.  The server
 * runs a pass after each write request that moved the party generation and
 * before the queue is read; resolve_queue() runs one itself.  A pass looks
 * names up in the search index when given one (party_index_sync first),
 * else in a temporary index built from the store (party_index_build), so
 * the command line and the tests need no server.  A pass checks at most
 * `max` parties; the rest stay pending (the queue reports how many).
 *
 * Merges.  resolve_merge() moves everything of the merged party to the
 * survivor: names (a name whose text the survivor already has is dropped),
 * registration numbers (same), identifier links, seizure links and
 * relations (a link the survivor already has is dropped; a relation between
 * the two becomes nothing).  The merged party keeps its own fields, gets
 * merged_into = survivor and is hidden from lists and search.  Both
 * parties' versions increase (an editor holding an older version gets a
 * conflict rather than overwriting the merged names).  Every moved or
 * dropped row is recorded (party_merge_row) with the merge's who, when and
 * why, and the merge is audited (entity "party": "merge" on the survivor,
 * "merged" on the merged party) in the same transaction.
 *
 * Undo restores the state before the merge exactly: the recorded rows go
 * back to the merged party (dropped duplicates re-inserted, with their ids
 * when free), merged_into is cleared; what was added to the survivor after
 * the merge stays on it.  Refused with ERR_CONFLICT and a message saying
 * what to do when it cannot be exact: the survivor was itself merged later
 * (undo that first), the merged party was changed since, a moved name or
 * link was removed from the survivor since, or a later merge into the
 * survivor dropped a row as a duplicate of one this merge brought.  Audited
 * as "unmerge".  After an undo the pair is open again (never merged
 * automatically again).
 *
 * Automatic merge: off by default.  When an admin turns on
 * auto_merge_by_identifier, a pass merges a pair that shares an identifier
 * of a proving kind (passport, id_card: kinds that identify one person;
 * phones and the rest never prove) when nothing contradicts it, both
 * parties belong to the same agency and the pair was never merged and
 * undone.  The older party (smaller id) survives; the merge is recorded as
 * the user "system" with the reason "automatic: same passport KH:N1234567"
 * and can be undone like any other.
 *
 * Access: the queue, merges, undo and "not the same" are for analysts and
 * admins (ERR_FORBIDDEN otherwise) who may see both parties (ERR_NOT_FOUND
 * otherwise); merging and undoing also need the right to change both
 * (admins: any agency; analysts: their own agency's parties).
 *
 * Records borrow their strings from the arena given; functions return 0 or
 * -1 with err set and leave the store unchanged on error.
 */
#ifndef KOUPREY_RESOLVE_H
#define KOUPREY_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "party/party.h"

struct store;
struct refdata;
struct party_index;

/* Identifiers linked to more parties than this are not evidence. */
enum { RESOLVE_IDENT_MAX_PARTIES = 50 };
/* Parties checked by one pass at most when the caller says 0. */
enum { RESOLVE_PASS_MAX = 5000 };
/* Name hits looked at per name of a changed party. */
enum { RESOLVE_NAME_HITS = 25 };
/* Longest reason or note accepted from a user (bytes). */
enum { RESOLVE_REASON_MAX = 2000 };

/* ---- records (also the store's, src/store/party_merge.c) ------------------ */

struct party_candidate {
	int64_t id;
	int64_t party_a, party_b;     /* party_a < party_b */
	double score;
	const char *reason;
	const char *evidence;         /* "i:12 r:KH/123 n" */
	const char *status;           /* "open", "merged", "not_same" */
	const char *computed_at;
	int64_t decided_by;           /* 0: none or the system */
	const char *decided_by_name;  /* username (output) */
	const char *decided_at, *note;
	const char *decided_evidence; /* the evidence when marked not_same */
	int64_t merge_id;
};

struct party_merge_row {
	int64_t id;
	const char *tbl;              /* "name", "registration", "identifier",
					 "seizure", "relation" */
	const char *action;           /* "moved", "dropped" */
	int64_t row_id;               /* link id, or the line on the merged party */
	int64_t dup_of;               /* the survivor's row it duplicated, or 0 */
	const char *data;             /* JSON object: the row before the merge */
};

struct party_merge_rec {
	int64_t id;
	int64_t survivor_id, merged_id, candidate_id;
	const char *survivor_name, *merged_name;   /* output */
	const char *reason;
	int automatic;
	int64_t user_id;              /* 0: the system */
	const char *username;         /* output: "system" for automatic merges */
	const char *at;
	int64_t survivor_version, merged_version;
	const char *undone_at;        /* NULL while in force */
	int64_t undone_by;
	const char *undone_by_name;
	const char *undo_reason;
	struct party_merge_row *rows;
	size_t nrows;
};

/* ---- settings ------------------------------------------------------------- */

struct resolve_settings {
	int auto_merge_by_identifier;   /* default 0 */
	const char *proving_kinds[4];   /* default passport, id_card */
	size_t nproving;
};

/* The kinds an admin may name as proving: passport, id_card.  NULL-ended. */
extern const char *const resolve_provable_kinds[];

/* The settings (the defaults when never set). */
int resolve_settings_get(struct store *st, struct resolve_settings *out, struct error *err);
/*
 * Replaces the settings (admin only; audited on entity "setting").  A kind
 * outside resolve_provable_kinds is a field error "proving_kinds[N]".
 */
int resolve_settings_set(struct store *st, const struct actor *who,
			 const struct resolve_settings *in, struct error *err);

/* ---- detection -------------------------------------------------------------- */

struct resolve_stats {
	size_t checked;           /* parties looked at */
	size_t proposed;          /* new open candidates */
	size_t updated;           /* open candidates rescored */
	size_t removed;           /* open candidates whose evidence went */
	size_t reopened;          /* not_same pairs with new evidence */
	size_t auto_merged;
	int64_t pending;          /* changed parties left for a later pass */
};

/*
 * One detection pass over the parties changed since the watermark (at most
 * max; 0 = RESOLVE_PASS_MAX), then the automatic merges if turned on (and
 * the passes those make necessary, a few rounds).  ix: the server's search
 * index, or NULL for a temporary one built from the store.  Must be called
 * outside any transaction.  stats may be NULL.
 */
int resolve_detect(struct store *st, const struct refdata *ref, struct party_index *ix,
		   size_t max, struct resolve_stats *stats, struct error *err);

/* ---- the review queue -------------------------------------------------------- */

/* One party of a pair, as the queue shows it. */
struct resolve_side {
	struct party party;       /* with names */
	struct party_ident_link *idents;   /* visible identifiers */
	size_t nidents;
	size_t nseizures;         /* seizures linked (visible ones) */
};

struct resolve_item {
	struct party_candidate c;
	struct resolve_side side[2];   /* party_a, party_b */
};

struct resolve_queue {
	struct resolve_item *items;
	size_t n;
	int64_t total;            /* pairs of that status the actor may see */
	const char *next_cursor;  /* NULL at the end */
	int64_t pending;          /* parties not yet checked */
};

/*
 * The pairs of status ("open" default, "merged", "not_same") the actor may
 * see both parties of, highest score first (equal scores by id), limit
 * (1..100, default 50) from cursor (NULL: the first page).  For "open" a
 * detection pass (ix as for resolve_detect) runs first, outside any
 * transaction (the caller must not hold one).  Bad status or cursor are
 * field errors.
 */
int resolve_queue(struct store *st, const struct refdata *ref, struct party_index *ix,
		  const struct actor *who, const char *status, const char *cursor, int limit,
		  struct resolve_queue *out, struct arena *a, struct error *err);
/* One candidate, as in the queue (ERR_NOT_FOUND when a party is not visible). */
int resolve_candidate_get(struct store *st, const struct actor *who, int64_t id,
			  struct resolve_item *out, struct arena *a, struct error *err);

/* ---- decisions ------------------------------------------------------------------ */

/*
 * Merges candidate pair candidate_id: survivor_id (one of the pair) stays,
 * the other is merged into it.  reason is required ("reason" field error).
 * A pair already merged is ERR_CONFLICT.  *merge_id is the merge's id.
 */
int resolve_merge_candidate(struct store *st, const struct refdata *ref,
			    const struct actor *who, int64_t candidate_id, int64_t survivor_id,
			    const char *reason, int64_t *merge_id, struct error *err);
/* Merges merged_id into survivor_id without a candidate (the pair's
 * candidate, if there is one, is marked merged).  "other" field errors. */
int resolve_merge(struct store *st, const struct refdata *ref, const struct actor *who,
		  int64_t survivor_id, int64_t merged_id, const char *reason, int64_t *merge_id,
		  struct error *err);
/* Marks the pair not the same (reason required).  Audited ("not_same" on
 * entity "party", party_a).  A merged pair is ERR_CONFLICT. */
int resolve_not_same(struct store *st, const struct actor *who, int64_t candidate_id,
		     const char *reason, struct error *err);
/* Undoes merge merge_id exactly, or ERR_CONFLICT (see the top). */
int resolve_undo(struct store *st, const struct refdata *ref, const struct actor *who,
		 int64_t merge_id, const char *reason, struct error *err);

/* A merge with its rows (the actor must see both parties). */
int resolve_merge_get(struct store *st, const struct actor *who, int64_t merge_id,
		      struct party_merge_rec *out, struct arena *a, struct error *err);
/* The merges involving party_id (survivor or merged), newest first, with
 * their rows; only those whose two parties the actor may see. */
int resolve_merges_of(struct store *st, const struct actor *who, int64_t party_id,
		      struct party_merge_rec **out, size_t *n, struct arena *a,
		      struct error *err);

#endif
