/*
 * json.h - the seizure record as JSON (the API's form, see docs/api.md).
 */
#ifndef KOUPREY_SEIZURE_JSON_H
#define KOUPREY_SEIZURE_JSON_H

#include <jansson.h>

#include "lib/arena.h"
#include "lib/error.h"
#include "seizure/seizure.h"

struct refdata;

/* A new JSON object for s (the caller owns the reference).  summary: the
 * list form (fewer fields). */
json_t *seizure_to_json(const struct seizure *s, const struct refdata *ref, int summary);

/*
 * Appends the same document as seizure_to_json(s, ref, summary) would print
 * (jansson's compact form, keys in the same order, reals with 17 digits) to b,
 * without building a tree: the server's fast path.  Strings are written as
 * stored (they are valid UTF-8).  On b's cap, b is emptied (see dynbuf.h).
 */
struct dynbuf;
void seizure_json_write(struct dynbuf *b, const struct seizure *s, const struct refdata *ref,
			int summary);

/*
 * Reads the fields present in obj into s, leaving the others as they are (so
 * a PATCH reads onto the stored record).  "items", when present, replaces all
 * items.  Fields of the wrong JSON type are field errors; unknown keys are a
 * field error too (catching typos).  Strings are copied into the arena.
 */
int seizure_from_json(json_t *obj, struct seizure *s, struct arena *a, struct error *err);

#endif
