/*
 * refdata.h - reference data held in memory for validation and look-ups:
 * taxa and all their names, CITES term/unit codes and allowed pairs,
 * countries, UN/LOCODE locations and the controlled vocabularies.
 *
 * Built from the store by refdata_load() (the store is the truth; this is
 * derived).  Once built it is read-only and may be shared by any number of
 * threads.  Everything returned points into the refdata and lives as long as
 * it.
 */
#ifndef KOUPREY_REFDATA_H
#define KOUPREY_REFDATA_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

struct store;
struct refdata;

struct taxon {
	int64_t id;
	const char *full_name, *rank, *listing, *author;
	const char *kingdom, *phylum, *class_name, *order_name, *family, *genus;
	int accepted, national;
};

enum name_kind { NAME_SCIENTIFIC = 0, NAME_SYNONYM, NAME_COMMON };

struct taxon_name {
	uint32_t taxon;           /* index into the taxa */
	enum name_kind kind;
	char lang[4];
	const char *name;
	const char *folded;
};

struct species_hit {
	const struct taxon *taxon;
	const char *matched;      /* the name that matched */
	const char *matched_lang;
	int score;                /* higher is better */
};

struct code_entry {
	const char *code, *name_en, *name_km;
};

struct country {
	const char *iso2, *iso3, *name_en, *name_km, *region, *currency;
	/* The dial column of data/countries.csv: the E.164 country code, and
	 * where a country shares it and is told apart by the first digits of
	 * the national number, those digits after a "-"; several ranges
	 * "|"-separated ("855", "1-876", "1-809|1-829|1-849").  NULL if none. */
	const char *dial;
	/* The E.164 country code alone ("855", "1" for Jamaica); NULL if none. */
	const char *dial_code;
};

struct location {
	const char *locode, *country, *name, *subdivision, *functions, *iata;
	int has_coords;
	double latitude, longitude;
};

struct refdata *refdata_load(struct store *st, struct error *err);
void refdata_free(struct refdata *r);

/* ---- taxa ---- */
size_t refdata_taxon_count(const struct refdata *r);
const struct taxon *refdata_taxon_by_id(const struct refdata *r, int64_t id);
/*
 * Resolves a name typed by a person (scientific name, synonym or common name
 * in any language; case and Latin diacritics ignored) to taxa.  Scientific
 * names win over synonyms, synonyms over common names.  Returns the number of
 * distinct taxa at the best level (0: unknown; 1: resolved; more: ambiguous)
 * and fills up to max of them.
 */
size_t refdata_resolve_species(const struct refdata *r, const char *name,
			       const struct taxon **out, size_t max);
/* Ranked search by prefix and substring of any name; returns hits filled. */
size_t refdata_search_species(const struct refdata *r, const char *query,
			      struct species_hit *hits, size_t max);
/* Calls fn for each name of a taxon. */
void refdata_taxon_names(const struct refdata *r, const struct taxon *t,
			 void (*fn)(void *ctx, const struct taxon_name *n), void *ctx);
/* The spelling in the checklist of a higher taxon (class, order, family,
 * genus) or taxon name, matched ignoring case; NULL if none. */
const char *refdata_group_name(const struct refdata *r, const char *group);
/* The ids of the taxa that are, or belong to, the higher taxon named group
 * (spelt as in the checklist), sorted; *out is malloc'd (the caller frees). */
size_t refdata_group_members(const struct refdata *r, const char *group, int64_t **out);
/* 1 if taxon t is, or belongs to, the higher taxon named group. */
int refdata_taxon_in_group(const struct taxon *t, const char *group);

/* ---- CITES codes ---- */
const struct code_entry *refdata_term(const struct refdata *r, const char *code);
const struct code_entry *refdata_unit(const struct refdata *r, const char *code);
/* unit "" is "number of specimens". */
int refdata_term_unit_allowed(const struct refdata *r, const char *term, const char *unit);
/* Units allowed with a term, as a '|'-joined list ("" appears as "-"). */
const char *refdata_term_units(const struct refdata *r, const char *term);
size_t refdata_terms(const struct refdata *r, const struct code_entry **out);
size_t refdata_units(const struct refdata *r, const struct code_entry **out);

/* ---- places ---- */
/* ISO code for a code (alpha-2 or -3) or a name in English or Khmer; NULL if unknown. */
const struct country *refdata_country(const struct refdata *r, const char *text);
size_t refdata_countries(const struct refdata *r, const struct country **out);
/* The E.164 country code of a country given as for refdata_country()
 * ("855" for KH, "1" for JM); NULL if the country is unknown or has none. */
const char *refdata_country_dial(const struct refdata *r, const char *iso2);
/*
 * The country of an international number: digits are the number's digits
 * after "+" or "00" (only the leading ones are read; stops at the first
 * non-digit).  The country whose dialling range is the longest prefix of
 * digits wins ("1876..." is Jamaica, "1212..." the United States).  Where
 * several countries share a range exactly (+1 without a listed area code:
 * US and CA; +7: RU; +44: GB, GG, IM, JE; +47; +61; +212; +262; +358;
 * +500; +590; +599; +672) the state that holds the code is returned (US,
 * RU, GB, NO, AU, MA, RE, FI, FK, GP, CW, NF): the E.164 number is the same
 * whichever it is, only the display and the length check use it.  Sets
 * *cc_len (if not NULL) to the length of the country code ("1" of "1876":
 * 1).  NULL if no range matches.
 */
const struct country *refdata_dial_country(const struct refdata *r, const char *digits,
					   size_t *cc_len);
const struct location *refdata_location(const struct refdata *r, const char *locode);
size_t refdata_locations(const struct refdata *r, const struct location **out);

/* ---- vocabularies (transport_mode, detection_method, reason, legal_action,
 *      disposal, concealment, agency_kind) ---- */
/* The code for text (a code, an English or Khmer name, or a synonym); NULL if none. */
const char *refdata_vocab_code(const struct refdata *r, const char *vocab, const char *text);
/* All entries of a vocabulary in file order. */
size_t refdata_vocab(const struct refdata *r, const char *vocab, const struct code_entry **out);
/* Names of the vocabularies, NULL-terminated. */
const char *const *refdata_vocab_names(void);

#endif
