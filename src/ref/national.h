/*
 * national.h - taxa protected by national law but not listed by CITES
 * (e.g. species of Cambodia's Forestry Law or Fisheries Law lists), added by
 * an administrator so that seizures of them can be recorded.
 *
 * They are stored like CITES taxa with national = 1 and listing "NC" (not
 * CITES-listed), with ids from 10,000,000 up so they never meet Species+ ids.
 * The caller reloads the in-memory reference data afterwards.
 */
#ifndef KOUPREY_REF_NATIONAL_H
#define KOUPREY_REF_NATIONAL_H

#include <stdint.h>

#include "auth/actor.h"
#include "lib/error.h"

struct store;
struct refdata;

struct national_taxon {
	const char *full_name;    /* "Genus species" (or "Genus species subspecies", "Genus") */
	const char *rank;         /* SPECIES (default), SUBSPECIES, GENUS */
	const char *kingdom, *phylum, *class_name, *order_name, *family;
	const char *law;          /* the national law or list protecting it (kept as the author field) */
	/* common names: parallel arrays of language code and name */
	const char *const *name_langs;
	const char *const *names;
	size_t nnames;
};

/* Validates and stores; *id is set.  Admin only; a name that already names
 * a taxon (as scientific name or synonym) is refused. */
int national_taxon_add(struct store *st, const struct refdata *ref, const struct actor *who,
		       const struct national_taxon *t, int64_t *id, struct error *err);

#endif
