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

#endif
