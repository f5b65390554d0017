/*
 * filter.h - a seizure list filter from query parameters (the API's list and
 * export URLs, and the command line's options, which build the same pairs).
 *
 * Parameters: q, species (a name in any language, or a taxon id), taxon (a
 * higher taxon: class, order, family or genus), term, country, agency (id),
 * from, to (YYYY, YYYY-MM or YYYY-MM-DD), transport_mode, limit (1-500,
 * default 50), cursor.  Every bad value is a field error naming the
 * parameter; unknown parameters are errors too unless listed in extra_ok
 * (a NULL-terminated list of names the caller handles, e.g. "format").
 */
#ifndef KOUPREY_SEIZURE_FILTER_H
#define KOUPREY_SEIZURE_FILTER_H

#include "lib/arena.h"
#include "lib/error.h"
#include "lib/query.h"
#include "seizure/seizure.h"

struct refdata;

int seizure_filter_parse(const struct refdata *ref, const struct query *q,
			 const char *const *extra_ok, struct seizure_filter *f, struct arena *a,
			 struct error *err);

#endif
