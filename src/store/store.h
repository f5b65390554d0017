/*
 * store.h - all access to the database.  No SQL lives outside src/store/.
 *
 * A struct store is one connection, used by one thread at a time.  The
 * backend here is SQLite (WAL, foreign keys on, prepared statements cached
 * per connection); the functions speak in domain terms so that another
 * backend (PostgreSQL) can implement the same header.
 *
 * Conventions: functions return 0 on success and -1 on failure with *err set
 * (ERR_DB for database failures, ERR_NOT_FOUND, ERR_CONFLICT where said).
 * Strings read from the store are copied into the arena the caller gives and
 * live as long as it.  Writes outside store_begin()/store_commit() run in
 * their own implicit transaction.
 */
#ifndef KOUPREY_STORE_H
#define KOUPREY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"

struct store;
struct seizure;
struct seizure_filter;
struct seizure_list;

/* ---- connection, schema, transactions --------------------------------- */

enum store_mode { STORE_OPEN_EXISTING, STORE_CREATE };

struct store *store_open(const char *path, enum store_mode mode, struct error *err);
void store_close(struct store *st);
/* Applies the migrations not applied yet, each in its own transaction. */
int store_migrate(struct store *st, struct error *err);
/* The newest migration applied (0 for an empty database). */
int store_schema_version(struct store *st);
int store_begin(struct store *st, struct error *err);
int store_commit(struct store *st, struct error *err);
/* Safe to call when no transaction is open. */
void store_rollback(struct store *st);
/* Runs fn(ctx, err) in a transaction: begin, fn, commit; rolled back (and
 * -1) when fn or the commit fails. */
int store_in_tx(struct store *st, int (*fn)(void *ctx, struct error *err), void *ctx,
		struct error *err);
/*
 * Begins a transaction for a bulk load of about `rows` seizure rows (an
 * import).  Foreign keys are not checked during it (the caller has resolved
 * every reference).  When rows is large against what the register holds, the
 * register's secondary indexes are dropped and rebuilt by store_commit() (or
 * store_bulk_indexes()), which is faster than updating them row by row; a
 * rollback (or a crash) restores them with everything else.
 */
int store_begin_bulk(struct store *st, int64_t rows, struct error *err);
/* Rebuilds now, in the bulk load's transaction, the indexes it dropped, so
 * the caller can do other work between that and store_commit().  Nothing to
 * do outside a bulk load or when none were dropped.  On failure the
 * transaction is rolled back. */
int store_bulk_indexes(struct store *st, struct error *err);
/*
 * A read transaction: the reads between these see one snapshot and take the
 * database's locks once (a GET request's several queries).  Beginning one
 * while one is open keeps the open one.  A write transaction (store_begin,
 * store_begin_bulk) ends an open read first.
 */
int store_read_begin(struct store *st, struct error *err);
void store_read_end(struct store *st);
/*
 * Keeps the open read for the connection's next user (the server's pool,
 * pool.h): the next request answers from the same snapshot instead of
 * starting and ending a read transaction of its own.  The pool ends a kept
 * read when anything was committed through one of its connections since the
 * read began, or when the read is STORE_KEEP_READ_MS old (so changes made by
 * other processes, such as the command line, are seen within that time);
 * `kouprey serve` ends the old reads of idle connections once a second
 * (store_pool_end_stale_reads), so an idle server holds back no checkpoint.
 */
enum { STORE_KEEP_READ_MS = 20 };
void store_read_keep(struct store *st);
/* Consistent copy of the live database to dest (online backup API). */
int store_backup(struct store *st, const char *dest, struct error *err);
/* PRAGMA integrity_check and foreign_key_check; problems listed in err. */
int store_integrity_check(struct store *st, struct error *err);
int store_setting_get(struct store *st, const char *key, char **value_out, struct error *err);
int store_setting_set(struct store *st, const char *key, const char *value, struct error *err);

/* ---- reference data ------------------------------------------------------ */

enum ref_table {
	REF_COUNTRY,      /* iso2, iso3, name_en, name_km, region, currency, dial */
	REF_LOCATION,     /* locode, country, name, subdivision, functions, iata, latitude, longitude */
	REF_TERM,         /* code, name_en, name_fr, name_es, name_km */
	REF_UNIT,         /* code, name_en, name_fr, name_es, name_km */
	REF_TERM_UNIT,    /* term, unit */
	REF_PURPOSE,      /* code, name_en, name_fr, name_es */
	REF_SOURCE,       /* code, name_en, name_fr, name_es */
	REF_VOCAB,        /* vocab, code, name_en, name_km, synonyms */
	REF_AGENCY_KIND,  /* code, name_en, name_km */
	REF_TAXON,        /* id, kingdom, phylum, class, order, family, genus, species,
			     subspecies, full_name, author, rank, listing, accepted, national */
	REF_TAXON_NAME,   /* taxon_id, name, lang, kind */
	REF_TABLE_COUNT
};

/* Number of columns of a reference table, in the order listed above. */
size_t store_ref_columns(enum ref_table t);
/* Inserts one row (values as text; "" stored as NULL except for keys). */
int store_ref_insert(struct store *st, enum ref_table t, const char *const *values,
		     struct error *err);
typedef int (*store_row_fn)(void *ctx, const char *const *values, size_t n);
/* Calls fn for every row of t (NULL for SQL NULL); stops when fn returns non-zero. */
int store_ref_each(struct store *st, enum ref_table t, store_row_fn fn, void *ctx,
		   struct error *err);
int64_t store_ref_count(struct store *st, enum ref_table t);
/* Next free id for a nationally protected taxon added by an admin. */
int64_t store_taxon_next_id(struct store *st);

/* ---- agencies ------------------------------------------------------------ */

struct agency_rec {
	int64_t id;
	const char *name, *country, *kind, *created_at;
};

int store_agency_insert(struct store *st, struct agency_rec *a, struct error *err);
/* 0 with *out filled, or -1 with ERR_NOT_FOUND. Name match ignores case. */
int store_agency_by_name(struct store *st, const char *name, struct agency_rec *out,
			 struct arena *ar, struct error *err);
int store_agency_by_id(struct store *st, int64_t id, struct agency_rec *out,
		       struct arena *ar, struct error *err);
int store_agency_list(struct store *st, struct agency_rec **out, size_t *n, struct arena *ar,
		      struct error *err);

/* ---- users, sessions, tokens --------------------------------------------- */

struct user_rec {
	int64_t id;
	const char *username, *display_name, *password_hash, *lang, *created_at;
	const char *agency_name;
	int64_t agency_id;
	enum role role;
	int disabled;
	int failed_logins;
	int64_t locked_until;     /* unix seconds */
};

int store_user_insert(struct store *st, struct user_rec *u, struct error *err);
int store_user_by_name(struct store *st, const char *username, struct user_rec *out,
		       struct arena *ar, struct error *err);
int store_user_by_id(struct store *st, int64_t id, struct user_rec *out, struct arena *ar,
		     struct error *err);
int store_user_list(struct store *st, struct user_rec **out, size_t *n, struct arena *ar,
		    struct error *err);
int store_user_count(struct store *st, int64_t *n, struct error *err);
/* Changes role, agency, display name, lang, disabled from *u (by u->id). */
int store_user_update(struct store *st, const struct user_rec *u, struct error *err);
int store_user_set_password(struct store *st, int64_t id, const char *hash, struct error *err);
int store_user_set_login_state(struct store *st, int64_t id, int failed, int64_t locked_until,
			       struct error *err);

int store_session_insert(struct store *st, const char *token_hash, int64_t user_id,
			 const char *csrf, int64_t created, int64_t expires, struct error *err);
/* ERR_NOT_FOUND when there is no such session or it expired before now. */
int store_session_get(struct store *st, const char *token_hash, int64_t now, int64_t *user_id,
		      char **csrf, struct arena *ar, struct error *err);
int store_session_delete(struct store *st, const char *token_hash, struct error *err);
int store_session_delete_user(struct store *st, int64_t user_id, struct error *err);

int store_token_insert(struct store *st, int64_t user_id, const char *name,
		       const char *token_hash, int64_t *id, struct error *err);
int store_token_user(struct store *st, const char *token_hash, int64_t *user_id,
		     struct error *err);

/* ---- seizures ------------------------------------------------------------ */

/* Inserts s with its items and countries; sets s->id. */
int store_seizure_insert(struct store *st, struct seizure *s, struct error *err);
/* Replaces the record whose version is s->version - 1 (s->version is the new
 * one); ERR_CONFLICT if the stored version differs, ERR_NOT_FOUND if gone. */
int store_seizure_replace(struct store *st, struct seizure *s, struct error *err);
int store_seizure_delete(struct store *st, int64_t id, int64_t version, struct error *err);
int store_seizure_get(struct store *st, int64_t id, struct seizure *out, struct arena *ar,
		      struct error *err);
/* Reads the seizures of ids (with items) into out, in the order of ids;
 * ids not found are skipped; *nout says how many were read. */
int store_seizure_get_many(struct store *st, const int64_t *ids, size_t n, struct seizure *out,
			   size_t *nout, struct arena *ar, struct error *err);
/* Whether the register holds any seizure: *any = 1 or 0. */
int store_seizure_any(struct store *st, int *any, struct error *err);
/* Looks up by (agency, ref): 1 found (id, version, content_hash set), 0 not found. */
int store_seizure_find_ref(struct store *st, int64_t agency_id, const char *ref, int64_t *id,
			   int64_t *version, char *hash_out, size_t hash_size, struct error *err);
/* Filtered page, newest first, only what the actor may see. */
int store_seizure_list(struct store *st, const struct actor *who,
		       const struct seizure_filter *f, struct seizure_list *out,
		       struct arena *ar, struct error *err);
typedef int (*store_seizure_fn)(void *ctx, const struct seizure *s);
/* Every seizure the actor may see that matches f (limit and cursor ignored),
 * oldest first, with items; fn returning non-zero stops. Streams: each
 * seizure's memory is reused after fn returns. */
int store_seizure_each(struct store *st, const struct actor *who, const struct seizure_filter *f,
		       store_seizure_fn fn, void *ctx, struct error *err);

/*
 * The register's generation: a number that every committed transaction that
 * changed seizures increases by one.  In-memory indexes compare it with the
 * one they were built at to notice changes made by other processes.
 */
int store_seizure_generation(struct store *st, int64_t *gen, struct error *err);

/* Every seizure (all agencies), oldest id first, for building in-memory
 * indexes: only id, agency_id, sharing, date_from, date_to, country, origin,
 * transit, destination, transport_mode, search_text and the items' taxon_id
 * and term are filled.  Streams like store_seizure_each. */
int store_seizure_all(struct store *st, store_seizure_fn fn, void *ctx, struct error *err);

/* ---- imports ------------------------------------------------------------- */

struct import_rec {
	int64_t id, user_id;
	const char *filename, *sha256, *created_at;
	int64_t rows, created, updated, unchanged, rejected;
};
int store_import_insert(struct store *st, struct import_rec *r, struct error *err);
/* Records the counts, and sha256 when it is not NULL (a file's digest made
 * beside the import). */
int store_import_finish(struct store *st, const struct import_rec *r, struct error *err);

/* ---- audit --------------------------------------------------------------- */

struct audit_rec {
	int64_t id;
	const char *at;
	int64_t user_id;
	const char *username;     /* output only */
	const char *action, *entity;
	int64_t entity_id;
	const char *detail;       /* JSON */
	const char *prev_hash, *hash;
};

/* Reads the hash of the newest entry ("" when the log is empty). */
int store_audit_last_hash(struct store *st, char *out, size_t size, struct error *err);
int store_audit_insert(struct store *st, const struct audit_rec *r, struct error *err);
typedef int (*store_audit_fn)(void *ctx, const struct audit_rec *r);
/* Every entry in id order (entity NULL), or those of one entity.  For a
 * seizure, each import that wrote it is one more record, in the order of the
 * import's entry: that entry's id, time, user and hashes, action "import",
 * and the detail {"content_hash", "import_id", "version"} of its list row. */
int store_audit_each(struct store *st, const char *entity, int64_t entity_id,
		     store_audit_fn fn, void *ctx, struct error *err);

/* An import's list of the seizures it created or changed (migration 0010),
 * which its one audit entry covers by a digest. */
int store_import_seizure_add(struct store *st, int64_t import_id, int64_t seizure_id,
			     int64_t version, const char *content_hash, struct error *err);
typedef int (*store_import_seizure_fn)(void *ctx, int64_t seizure_id, int64_t version,
				       const char *content_hash);
/* The rows of one import in seizure id order; fn returns non-zero to stop. */
int store_import_seizure_each(struct store *st, int64_t import_id, store_import_seizure_fn fn,
			      void *ctx, struct error *err);
/* *import_id = the smallest import with list rows but no audit entry of its
 * own (action "import", entity "import"), or 0 when there is none. */
int store_import_seizure_orphan(struct store *st, int64_t *import_id, struct error *err);

/* ---- analytics (src/store/analytics.c) --------------------------------------- */

struct an_conversion;
struct an_rate;

/* One seizure as the analytics' columns read it. */
struct store_an_seizure {
	int64_t id, agency_id;
	int national;             /* sharing = 'national' */
	const char *date_from, *date_to, *country, *origin, *transit, *destination;
	const char *transport_mode, *detection_method, *concealment_code;
	int has_coords;
	double latitude, longitude;
	int has_value;
	double value_amount;
	const char *value_currency;
};

struct store_an_item {
	int64_t seizure_id, taxon_id;
	const char *term, *unit;
	double quantity;
};

typedef int (*store_an_seizure_fn)(void *ctx, const struct store_an_seizure *s);
typedef int (*store_an_item_fn)(void *ctx, const struct store_an_item *it);
/* Streams every seizure (id 0) or one, in id order; strings valid during fn only. */
int store_analytics_seizures(struct store *st, int64_t id, store_an_seizure_fn fn, void *ctx,
			     struct error *err);
/* Streams every item (seizure_id 0, in storage order) or one seizure's, by line. */
int store_analytics_items(struct store *st, int64_t seizure_id, store_an_item_fn fn, void *ctx,
			  struct error *err);
/* The newest audit entry's id (0 when none). */
int store_audit_max_id(struct store *st, int64_t *id, struct error *err);
/* Seizure ids created, changed, imported or deleted by audit entries after
 * after_id (an import's entry names the seizures of its list), up to max
 * distinct (*n = max + 1 says "more"), into *ids (allocated in ar); *last =
 * the newest audit id seen. */
int store_seizure_changed_since(struct store *st, int64_t after_id, size_t max, int64_t **ids,
				size_t *n, int64_t *last, struct arena *ar, struct error *err);
/* The conversion and rates tables (strings in ar), ordered by id. */
int store_conversion_list(struct store *st, struct an_conversion **out, size_t *n,
			  struct arena *ar, struct error *err);
/* Insert (c->id 0; sets it) or replace by id (ERR_NOT_FOUND); ERR_CONFLICT on a
 * duplicate key. */
int store_conversion_save(struct store *st, struct an_conversion *c, int64_t user_id,
			  struct error *err);
int store_conversion_delete(struct store *st, int64_t id, struct error *err);
int store_rate_list(struct store *st, struct an_rate **out, size_t *n, struct arena *ar,
		    struct error *err);
int store_rate_save(struct store *st, struct an_rate *r, int64_t user_id, struct error *err);
int store_rate_delete(struct store *st, int64_t id, struct error *err);

/* ---- parties, identifiers and their links (src/store/party.c) ------------
 *
 * The records are struct party / struct identifier / struct link_info of
 * party/party.h.  Writes happen inside the caller's transaction (the domain
 * functions of party/party.h open it and append the audit entry); each one
 * increases the party generation and stamps the parties it touched with it.
 */

struct party;
struct identifier;
struct link_info;
struct party_filter;
struct party_list;
struct party_page;
struct seizure_party;
struct seizure_ident;
struct party_seizure_link;

/* Inserts p with its names and registrations; sets p->id. */
int store_party_insert(struct store *st, struct party *p, struct error *err);
/* Replaces the record whose version is p->version - 1 (names and
 * registrations replaced whole); ERR_CONFLICT if the stored version differs,
 * ERR_NOT_FOUND if gone. */
int store_party_replace(struct store *st, struct party *p, struct error *err);
/* Deletes a party at that version with its names and links (ERR_CONFLICT,
 * ERR_NOT_FOUND as above); remembered in party_deleted for
 * store_party_changed_since. */
int store_party_delete(struct store *st, int64_t id, int64_t version, struct error *err);
/* Sets (into > 0) or clears (into 0) the party's merged_into, for entity
 * resolution (which records the merge itself); both parties count as
 * changed.  ERR_NOT_FOUND if id does not exist. */
int store_party_set_merged(struct store *st, int64_t id, int64_t into, struct error *err);
/* One party with names and registrations (merged or not). */
int store_party_get(struct store *st, int64_t id, struct party *out, struct arena *ar,
		    struct error *err);
/* A page of the parties the actor may see, not merged, newest id first,
 * with names; out->total counts all that match. */
int store_party_list(struct store *st, const struct actor *who, const struct party_filter *f,
		     struct party_list *out, struct arena *ar, struct error *err);

/* 1 and *out filled when an identifier (kind, key) exists, 0 when not. */
int store_identifier_find(struct store *st, const char *kind, const char *key,
			  struct identifier *out, struct arena *ar, struct error *err);
/* Inserts id (kind, key unique: ERR_CONFLICT); sets id->id. */
int store_identifier_insert(struct store *st, struct identifier *id, struct error *err);
int store_identifier_get(struct store *st, int64_t id, struct identifier *out,
			 struct arena *ar, struct error *err);
/* 1 when the actor may see identifier id (see party/party.h), 0 when not. */
int store_identifier_visible(struct store *st, const struct actor *who, int64_t id,
			     struct error *err);

enum store_link {
	LINK_PARTY_IDENTIFIER,    /* from party, to identifier */
	LINK_PARTY_SEIZURE,       /* from party, to seizure */
	LINK_PARTY_RELATION,      /* from party, to other party */
	LINK_IDENTIFIER_SEIZURE,  /* from identifier, to seizure */
};
/*
 * Inserts a link (l->role is the role or relation kind; l->seizure_id the
 * record it came from, ignored for the links to seizures) made by user_id at
 * at.  *created is 0 when the same (from, to, role) existed (then nothing
 * is written and *link_id is the existing link's id).
 */
int store_link_insert(struct store *st, enum store_link t, int64_t from, int64_t to,
		      const struct link_info *l, int64_t user_id, const char *at,
		      int64_t *link_id, int *created, struct error *err);
/* Deletes the links (from, to) of role (all roles when NULL); relations are
 * matched in both directions.  *n is how many went. */
int store_link_delete(struct store *st, enum store_link t, int64_t from, int64_t to,
		      const char *role, int64_t *n, struct error *err);
/* The links of one party: identifiers (with the identifier), seizures
 * (link fields only) and relations both ways (with the other party's kind,
 * agency, sharing and main name); out->party is not touched.  Nothing is
 * filtered for access: the caller does it. */
int store_party_links(struct store *st, int64_t party_id, struct party_page *out,
		      struct arena *ar, struct error *err);
/* The parties (with names) linked to a seizure, and the identifiers seen in
 * it; unfiltered. */
int store_seizure_party_links(struct store *st, int64_t seizure_id, struct seizure_party **out,
			      size_t *n, struct seizure_ident **idents, size_t *nidents,
			      struct arena *ar, struct error *err);
/* The parties (with names) linked to an identifier and its seen_in
 * seizures (link fields only); unfiltered. */
int store_identifier_links(struct store *st, int64_t ident_id, struct seizure_party **parties,
			   size_t *nparties, struct party_seizure_link **seizures,
			   size_t *nseizures, struct arena *ar, struct error *err);

/*
 * The party generation: every write of the functions above (and the
 * removal of party-seizure links when a seizure is deleted) increases it,
 * so a number read before and after tells whether anything changed, in
 * this process or another.  Like store_seizure_generation.
 */
int store_party_generation(struct store *st, int64_t *gen, struct error *err);

/*
 * For the search index: fn is called with a party and its identifiers (of
 * each only id, kind, key and display are filled; each identifier once).  Only these party fields are
 * filled: id, kind, agency_id, sharing, birth_year, nationalities, version,
 * names (name, script, kind, romanised).  Everything passed to fn lives
 * until fn returns (it is reused for the next party); fn returning non-zero
 * stops.
 */
typedef int (*store_party_fn)(void *ctx, const struct party *p, const struct identifier *ids,
			      size_t nids);
/* Every party that is not merged, in id order. Streams (three sequential
 * scans, merged by id): fit for a million parties. */
int store_party_all(struct store *st, store_party_fn fn, void *ctx, struct error *err);
/* The same for one party: fn is called once if it exists and is not merged,
 * not at all otherwise. */
int store_party_feed(struct store *st, int64_t id, store_party_fn fn, void *ctx,
		     struct error *err);
/*
 * The parties changed since generation since (since < the current
 * generation): changed(ctx, id, gone) for each, gone = 1 when the party was
 * deleted or merged since (drop it), 0 when it should be read again (with
 * store_party_feed).  Ids may repeat.  fn returning non-zero stops.
 */
typedef int (*store_party_changed_fn)(void *ctx, int64_t id, int gone);
int store_party_changed_since(struct store *st, int64_t since, store_party_changed_fn fn,
			      void *ctx, struct error *err);
/* Every identifier in id order (id, kind, key, display, agency_id filled;
 * the strings live until fn returns).  Whether an actor may see one is
 * store_identifier_visible. */
typedef int (*store_identifier_fn)(void *ctx, const struct identifier *id);
int store_identifier_all(struct store *st, store_identifier_fn fn, void *ctx,
			 struct error *err);
/* The same for the identifiers whose id is above after (new since a read). */
int store_identifier_after(struct store *st, int64_t after, store_identifier_fn fn, void *ctx,
			   struct error *err);
/* For the search index: every identifier-seizure link (seen_in) with the
 * seizure's agency and whether it is shared nationally, in identifier id
 * order; unfiltered (an identifier is visible to whoever sees one of its
 * seizures: store_identifier_visible).  fn returning non-zero stops. */
typedef int (*store_ident_seizure_fn)(void *ctx, int64_t ident_id, int64_t seizure_id,
				      int64_t agency_id, int national);
int store_identifier_seizure_all(struct store *st, store_ident_seizure_fn fn, void *ctx,
				 struct error *err);

/* ---- entity resolution (src/store/party_merge.c) ---------------------------
 *
 * The records are those of party/resolve.h.  Writes happen inside the
 * caller's transaction; those that move rows stamp the parties they touch
 * with a new party generation (so the search index follows).
 */

struct party_candidate;
struct party_merge_rec;

/* A party changed since the resolver's watermark (generation, id). */
struct store_changed_party {
	int64_t id, gen;
};
/* Parties not merged whose (gen, id) is after (gen, id), in that order, up
 * to max into *out (allocated in ar); *remaining = how many more there are. */
int store_party_changed_after(struct store *st, int64_t gen, int64_t id, size_t max,
			      struct store_changed_party **out, size_t *n, int64_t *remaining,
			      struct arena *ar, struct error *err);

/* Another party (not merged, of the same kind) sharing something with one. */
struct store_party_peer {
	int64_t party_id;         /* the other party */
	int64_t ident_id;         /* shared identifier (0 for a registration) */
	const char *kind, *key, *display;   /* identifier; or NULL, number */
	const char *country;      /* registration: its country (may be NULL) */
};
/* Parties sharing an identifier with party_id (identifiers linked to more
 * than max_parties parties skipped) and, for organisations, a registration
 * number (same number and country). */
int store_party_peers(struct store *st, int64_t party_id, size_t max_parties,
		      struct store_party_peer **out, size_t *n, struct arena *ar,
		      struct error *err);

/* 1 and *out filled, or 0 when there is none. */
int store_candidate_get(struct store *st, int64_t id, struct party_candidate *out,
			struct arena *ar, struct error *err);
int store_candidate_find(struct store *st, int64_t a, int64_t b, struct party_candidate *out,
			 struct arena *ar, struct error *err);
/* Every candidate (any status) involving party_id. */
int store_candidates_of(struct store *st, int64_t party_id, struct party_candidate **out,
			size_t *n, struct arena *ar, struct error *err);
/* Inserts c (sets c->id) or, with c->id set, rewrites its mutable fields. */
int store_candidate_save(struct store *st, struct party_candidate *c, struct error *err);
int store_candidate_delete(struct store *st, int64_t id, struct error *err);
/* Deletes the open candidates involving party_id. */
int store_candidates_drop_open(struct store *st, int64_t party_id, struct error *err);
/* A page of candidates of status whose two parties the actor may see (and
 * are not merged, for "open"), score descending then id, after
 * (after_score, after_id) when after_id > 0; *total counts them all. */
int store_candidate_list(struct store *st, const struct actor *who, const char *status,
			 double after_score, int64_t after_id, int limit,
			 struct party_candidate **out, size_t *n, int64_t *total,
			 struct arena *ar, struct error *err);

/* Inserts the merge record (rows aside); sets m->id. */
int store_merge_insert(struct store *st, struct party_merge_rec *m, struct error *err);
/* Records one row of a merge (data: a JSON object text). */
int store_merge_row_add(struct store *st, int64_t merge_id, const char *tbl, const char *action,
			int64_t row_id, int64_t dup_of, const char *data, struct error *err);
/* Moves the identifier links, seizure links and relations of party from to
 * party to, dropping duplicates, recording every row under merge_id. */
int store_merge_move_links(struct store *st, int64_t merge_id, int64_t from, int64_t to,
			   struct error *err);
/* ERR_CONFLICT (with what stands in the way) when the links of merge_id
 * cannot be put back exactly; 0 when they can. */
int store_merge_check_undo(struct store *st, const struct party_merge_rec *m,
			   struct error *err);
/* Puts the links of merge_id back on the merged party. */
int store_merge_restore_links(struct store *st, const struct party_merge_rec *m,
			      struct error *err);
int store_merge_set_undone(struct store *st, int64_t id, int64_t user_id, const char *at,
			   const char *reason, struct error *err);
/* One merge with its rows (ERR_NOT_FOUND). */
int store_merge_get(struct store *st, int64_t id, struct party_merge_rec *out,
		    struct arena *ar, struct error *err);
/* The merges involving party_id, newest first, with rows. */
int store_merge_list(struct store *st, int64_t party_id, struct party_merge_rec **out,
		     size_t *n, struct arena *ar, struct error *err);
/* The merge in force that merged party_id into another (0 if none). */
int store_merge_in_force(struct store *st, int64_t party_id, int64_t *merge_id,
			 struct error *err);
/* 1 when a merge between a and b (either way) was undone, else 0; -1 on error. */
int store_merge_pair_undone(struct store *st, int64_t a, int64_t b, struct error *err);

/* ---- the link-analysis graph (src/store/graph.c) ---------------------------
 *
 * Streaming reads for the graph index (index/graph_index.h) and the saved
 * charts of the network view.  Node kinds are those of graph/graph.h
 * (0 seizure, 1 party, 2 identifier).
 */

/* One link as the graph sees it: table is an enum store_link, id its row.
 * from/to as in enum store_link.  date: the link's own date, else (links to
 * a seizure) the seizure's; NULL when neither.  seizure_id: the record it
 * came from (the seizure itself for links to seizures), 0 if none. */
struct store_graph_link {
	int table;
	int64_t id, from, to;
	const char *role, *date, *source;
	int64_t seizure_id;
};
typedef int (*store_graph_link_fn)(void *ctx, const struct store_graph_link *l);
/* Every link of every table (merged parties' links are not skipped: a
 * merge moves them), table by table in id order.  Strings live until fn
 * returns; fn returning non-zero stops. */
int store_graph_links_all(struct store *st, store_graph_link_fn fn, void *ctx,
			  struct error *err);
/* The links touching one node (kind 0 seizure, 1 party, 2 identifier). */
int store_graph_links_of(struct store *st, int kind, int64_t id, store_graph_link_fn fn,
			 void *ctx, struct error *err);
/* The links table[i]/id[i] into out[i] (strings in ar); a link that is gone
 * comes back zeroed (out[i].id == 0). */
int store_graph_links_get(struct store *st, const int *table, const int64_t *id, size_t n,
			  struct store_graph_link *out, struct arena *ar, struct error *err);

/* A node as the graph's access rule sees it.  agency_id: the recording
 * agency (for an identifier: who recorded it first); national: shared
 * nationally (parties, seizures); gone: deleted or merged. */
struct store_graph_node {
	int kind;
	int64_t id, agency_id;
	int national, gone;
};
typedef int (*store_graph_node_fn)(void *ctx, const struct store_graph_node *n);
/* Every seizure, party not merged and identifier (identifiers with an id
 * above after_ident only; 0 for all), kind by kind in id order. */
int store_graph_nodes_all(struct store *st, int64_t after_ident, store_graph_node_fn fn,
			  void *ctx, struct error *err);
/* One node; gone = 1 when it does not exist (or is merged). */
int store_graph_node_get(struct store *st, int kind, int64_t id, struct store_graph_node *out,
			 struct error *err);
/* The largest identifier id (0 when none). */
int store_graph_max_identifier(struct store *st, int64_t *id, struct error *err);
/* Seizures named by audit entries (entity "seizure", any action but view;
 * an import's entry names the seizures of its list) after audit id after:
 * fn(ctx, seizure id) for each (ids may repeat); *last = the newest audit id. */
int store_graph_seizures_changed(struct store *st, int64_t after, int (*fn)(void *ctx, int64_t id),
				 void *ctx, int64_t *last, struct error *err);

/* What the network view shows of nodes kind[i]/id[i] (strings in ar):
 * label (seizure ref, party's main name, identifier's display), type
 * (person or organisation; the identifier's kind), date and country
 * (seizure; country also for an identifier).  A node that is gone comes
 * back with label NULL. */
struct store_graph_label {
	const char *label, *type, *date, *country;
};
int store_graph_labels(struct store *st, const int *kind, const int64_t *id, size_t n,
		       struct store_graph_label *out, struct arena *ar, struct error *err);
/* A seizure's species (taxon names of its items) and countries (of
 * seizure, origin, transit, destination): fn(ctx, "species"|"country",
 * value) for each. */
int store_graph_seizure_facts(struct store *st, int64_t id,
			      int (*fn)(void *ctx, const char *what, const char *value), void *ctx,
			      struct error *err);

/* Saved charts (migration 0007): body is the chart's JSON text. */
struct store_chart {
	int64_t id, owner_id, agency_id, version;
	const char *name, *body, *owner, *agency, *created_at, *updated_at;
};
/* Inserts (c->id 0; sets id, version 1) or replaces by id at c->version
 * (ERR_CONFLICT when stale, ERR_NOT_FOUND when gone; sets the new version). */
int store_chart_save(struct store *st, struct store_chart *c, struct error *err);
int store_chart_get(struct store *st, int64_t id, struct store_chart *out, struct arena *ar,
		    struct error *err);
/* The charts of agency_id (0: all), newest update first (bodies included). */
int store_chart_list(struct store *st, int64_t agency_id, struct store_chart **out, size_t *n,
		     struct arena *ar, struct error *err);
int store_chart_delete(struct store *st, int64_t id, struct error *err);

#endif
