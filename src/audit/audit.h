/*
 * audit.h - the hash-chained audit log.
 *
 * Every change (and every view of a record's detail) appends one entry in
 * the same transaction as the change.  Each entry's hash is BLAKE2b-256 over
 * the previous entry's hash and the entry's own fields, so editing or
 * deleting an entry behind the program's back breaks the chain; the newest
 * hash is also kept as the setting "audit_head", so cutting entries off the
 * end is detected too.
 */
#ifndef KOUPREY_AUDIT_H
#define KOUPREY_AUDIT_H

#include <stdint.h>

#include <jansson.h>

#include "auth/actor.h"
#include "lib/error.h"

struct store;

/* Appends an entry; detail is a JSON object text (NULL means "{}"). */
int audit_append(struct store *st, const struct actor *who, const char *action,
		 const char *entity, int64_t entity_id, const char *detail, struct error *err);
/* audit_append with detail as a JSON object (written compact, keys sorted);
 * takes the reference to detail (NULL means "{}"). */
int audit_append_json(struct store *st, const struct actor *who, const char *action,
		      const char *entity, int64_t entity_id, json_t *detail, struct error *err);

/*
 * An import appends one entry (action and entity "import", entity_id the
 * import's id) for all the seizures it created or changed, which it lists in
 * the store (store_import_seizure_add).  The entry's detail carries the
 * list's digest as "digest": BLAKE2b-256 (hex) over each row's seizure id,
 * version and content hash in seizure id order; audit_verify() checks it.
 * *count = the rows.
 */
int audit_import_digest(struct store *st, int64_t import_id, char out[65], int64_t *count,
			struct error *err);

struct audit_report {
	int64_t entries;
	int64_t first_bad_id;     /* 0 when the chain holds */
	char problem[256];
};

/* Walks the whole chain, and checks each import's list against its digest;
 * 0 when all holds, -1 with err and report filled when not. */
int audit_verify(struct store *st, struct audit_report *rep, struct error *err);

#endif
