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

struct audit_report {
	int64_t entries;
	int64_t first_bad_id;     /* 0 when the chain holds */
	char problem[256];
};

/* Walks the whole chain; 0 when it holds, -1 with err and report filled when not. */
int audit_verify(struct store *st, struct audit_report *rep, struct error *err);

#endif
