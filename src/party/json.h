/*
 * json.h - parties, identifiers and links as JSON (the API's form; the
 * shapes are described in docs/api.md and docs/openapi.json).
 */
#ifndef KOUPREY_PARTY_JSON_H
#define KOUPREY_PARTY_JSON_H

#include <jansson.h>

#include "lib/arena.h"
#include "lib/error.h"
#include "party/party.h"

/* A new JSON object for p (the caller owns the reference).  summary: the
 * list form (id, kind, name, names, agency, sharing, birth_year,
 * nationalities, org_kind, country, version). */
json_t *party_to_json(const struct party *p, int summary);
json_t *identifier_to_json(const struct identifier *x);
/* The party page: the party's fields and identifiers, seizures, relations,
 * timeline. */
json_t *party_page_to_json(const struct party_page *pg);
json_t *identifier_page_to_json(const struct identifier_page *pg);
/* {"items": [{link, "party": summary}], "identifiers": [{link, "identifier"}]} */
json_t *seizure_parties_to_json(const struct seizure_party *ps, size_t n,
				const struct seizure_ident *is, size_t ni);

/*
 * Reads the fields present in obj into p, leaving the others as they are
 * (so a PATCH reads onto the stored record).  "names" and "registrations",
 * when present, replace the lists.  "identifiers" (a list of identifier
 * objects as identifier_from_json reads them) is accepted only when
 * with_idents (a new party).  Wrong types and unknown keys are field
 * errors; strings are copied into the arena.  0, or -1 with err.
 */
int party_from_json(json_t *obj, struct party *p, int with_idents, struct arena *a,
		    struct error *err);

/*
 * Reads an identifier and its link from obj: either flat
 * {"kind", "value", "country", "platform", "province", "flight_date",
 *  "role", "source", "date", "seizure_id"} (where "date" is the link's date,
 * and also the flight's when the kind is flight and flight_date is absent)
 * or {"identifier": {"kind", "value", ..., "date"}, "role", "source",
 * "date", "seizure_id"}.  Field names of errors are prefixed with prefix.
 */
int identifier_from_json(json_t *obj, struct identifier *x, struct link_info *l,
			 const char *prefix, struct arena *a, struct error *err);

/*
 * Reads a link's "source", "date", "seizure_id" and the role under
 * role_key ("role" or "kind"), and the other end's id under id_key into
 * *other_id (0 when absent); any other key not in also_allowed (a
 * NULL-terminated list, may be NULL) is a field error.
 */
int link_from_json(json_t *obj, const char *role_key, const char *id_key, int64_t *other_id,
		   struct link_info *l, const char *const *also_allowed, struct arena *a,
		   struct error *err);

#endif
