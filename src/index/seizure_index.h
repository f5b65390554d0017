/*
 * seizure_index.h - the seizure list's filters, answered from memory.
 *
 * A list filtered on a million items is too slow through SQL (it finds and
 * sorts every match to return fifty), so the server keeps, per seizure, what
 * the filters look at — dates, agency, sharing, countries, mode of transport,
 * the items' taxa and terms, the folded search text — in one array ordered
 * newest first.  A query walks it once: the page's ids, whether there are
 * more, and the total.  The records themselves are then read from the store.
 *
 * The index is derived, never the truth: built from the store at start,
 * refreshed for a seizure after the server changes it, and rebuilt whole when
 * the register's generation (store_seizure_generation) shows a change it did
 * not make (an import from the command line, say).
 *
 * Thread-safe: queries share a read lock; refreshes and rebuilds take the
 * write lock.
 */
#ifndef KOUPREY_SEIZURE_INDEX_H
#define KOUPREY_SEIZURE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/error.h"
#include "seizure/seizure.h"

struct store;
struct refdata;
struct seizure_index;

struct seizure_index *seizure_index_build(struct store *st, struct error *err);
void seizure_index_free(struct seizure_index *ix);
/* Seizures in the index. */
size_t seizure_index_size(struct seizure_index *ix);
/* Brings the index up to date with the store: the seizure `id` changed
 * (created, updated or deleted; 0 for "something, maybe"); rebuilds whole
 * when other changes happened meanwhile. */
int seizure_index_refresh(struct seizure_index *ix, struct store *st, int64_t id,
			  struct error *err);
/* Rebuilds if the store's generation differs from the index's. */
int seizure_index_sync(struct seizure_index *ix, struct store *st, struct error *err);

/*
 * The page of seizures the actor may see that match f (as
 * store_seizure_list would list them: newest first, after the cursor):
 * up to f->limit ids into ids (room for f->limit), *n of them; *has_more;
 * and *total, the number of matches ignoring the cursor.
 */
int seizure_index_query(struct seizure_index *ix, const struct refdata *ref,
			const struct actor *who, const struct seizure_filter *f, int64_t *ids,
			size_t *n, int *has_more, int64_t *total, struct error *err);

/*
 * Single seizures, and their JSON rendered once.
 *
 * Every entry of the index carries a stamp, a number never given to another
 * entry of this index: a change to a seizure (refresh) or a rebuild makes new
 * entries with new stamps.  JSON rendered from the store for an entry is
 * kept under (id, stamp, reference data); it is served again only while that
 * entry is the current one, so a cached answer is never older than the
 * index.  The cache is bounded (a fixed number of slots per kind, the newest
 * render of an id replacing an older one in its slot).
 *
 * The protocol, inside one read transaction of the store:
 *   seizure_index_sync_generation() -> gen (the snapshot's generation);
 *   seizure_index_lookup(..., gen, ...) -> stamps of the visible seizures;
 *   seizure_index_json_get() for each; on a miss read it from the store
 *   (same snapshot), render it, seizure_index_json_put() with its stamp.
 */
struct dynbuf;

enum seizure_json_kind { SEIZURE_JSON_DETAIL, SEIZURE_JSON_SUMMARY, SEIZURE_JSON_KINDS };

struct seizure_index_info {
	uint64_t stamp;           /* 0: not in the index, or not visible to the actor */
	int32_t date_from;        /* YYYYMMDD, for cursors */
};

/* seizure_index_sync(), and the generation the store's snapshot is at. */
int seizure_index_sync_generation(struct seizure_index *ix, struct store *st, int64_t *gen,
				  struct error *err);
/*
 * For each of ids, its stamp and date when the actor may see it (the list's
 * visibility rule), zeros otherwise.  Returns how many were found, or -1 when
 * the index is not at `generation` (a change in between: use the store).
 */
int seizure_index_lookup(struct seizure_index *ix, const struct actor *who, int64_t generation,
			 const int64_t *ids, size_t n, struct seizure_index_info *out);
/* Appends the cached JSON of (id, stamp) rendered with ref to b: 1, or 0 on a miss. */
int seizure_index_json_get(struct seizure_index *ix, enum seizure_json_kind kind, int64_t id,
			   uint64_t stamp, const struct refdata *ref, struct dynbuf *b);
/* Keeps a copy of json (len bytes) as the render of (id, stamp) with ref. */
void seizure_index_json_put(struct seizure_index *ix, enum seizure_json_kind kind, int64_t id,
			    uint64_t stamp, const struct refdata *ref, const char *json,
			    size_t len);

#endif
