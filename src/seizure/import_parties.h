/*
 * import_parties.h - offenders, consignees and identifiers in the seizure
 * import: the columns that turn a spreadsheet of seizures with names and
 * phones into parties, identifiers and their links in one go (issue 3,
 * scope 2).  The seizure importer (import.c) calls these; docs/import.md is
 * the user's page.
 *
 * Columns (titles match as the importer's do: case, spaces, underscores and
 * punctuation ignored; N is 1 to 20, "offender name" without a number is
 * offender 1; "suspect N ..." is a synonym of "offender N ..."):
 *
 *   offender_N_name              a person's name (any script)
 *   offender_N_other_name        another name: "offender N name (Khmer)",
 *                                "offender N alias"; kind "full" when in
 *                                another script than the name, else "alias"
 *   offender_N_role              suspect (default), arrested, owner,
 *                                consignor, consignee, carrier, driver,
 *                                buyer, seller, courier, other
 *   offender_N_sex               male, female, unknown (m, f; ប្រុស, ស្រី)
 *   offender_N_birth_year        four digits
 *   offender_N_birth_date        YYYY-MM-DD
 *   offender_N_nationality       ISO codes or English names, ';'-separated
 *   offender_N_phone             ';'-separated; a number without its
 *                                international prefix is of the country of
 *                                the seizure's agency
 *   offender_N_passport          issuing country: offender_N_passport_country,
 *   offender_N_passport_country  else the first nationality
 *   offender_N_id_card           country: the first nationality, else the
 *                                seizure's country
 *   offender_N_email, offender_N_handle ("platform:handle" or a profile
 *                                address such as https://facebook.com/x)
 *   container, vehicle_plate (+ vehicle_plate_country, default the
 *   seizure's country), vessel_imo, flight (+ flight_date, default the
 *   seizure's date), bill_of_lading, airway_bill
 *                                identifiers seen in the seizure (role
 *                                seen_in); ';'-separated; the values of
 *                                every row of the seizure are all kept
 *   consignee, consignor         a party with that role; an organisation
 *   consignee_kind, consignor_kind  unless the kind says "person"
 *
 * Rows of one seizure: a party column may be repeated on every row or given
 * once; a later row with another value is an error on that row naming the
 * first ("\"B\" differs from \"A\" on row 3 of the same seizure").
 *
 * Every value is validated: names, sex, dates and countries by
 * party_validate, identifiers by ident_normalise (its message, e.g. on
 * field "container": "container number MSCU1234566: check digit is 5, not 6
 * (ISO 6346)").  The errors are the seizure's: a dry run lists them, an
 * all-or-nothing import writes nothing, skip-invalid rejects the seizure.
 *
 * What is written (inside the import's transaction, audited as the party
 * register's own operations are): each identifier once per (kind, key) in
 * the whole store; new parties with the seizure's agency and sharing; links
 * party-seizure (role), party-identifier (uses; owns for a passport or ID
 * card; with the seizure as the record it came from), identifier-seizure
 * (seen_in), each with source "import FILE" and the seizure's date.
 * The import adds parties and links and never changes or removes existing
 * ones.  Nothing is merged: entity resolution proposes duplicates of the
 * new parties afterwards.
 *
 * Which party a row names (reuse, in this order):
 *   1. the seizure exists already (a re-import) and a party linked to it has
 *      one of the names (folded: case, accents, spacing) and the same kind;
 *   2. earlier in this file: the same folded name and the same birth year,
 *      or the same name and a shared identifier (persons); the same name
 *      (organisations);
 *   3. in the register: a party the importing user may see, not merged,
 *      with the same folded name and linked to one of the row's identifiers;
 *   4. otherwise a new party.
 * So importing the same file twice creates no party, identifier or link the
 * second time (links are unique per ends and role).
 *
 * Cost: the header is looked at once; a file without these columns never
 * reaches the functions below past import_parties_column().
 */
#ifndef KOUPREY_SEIZURE_IMPORT_PARTIES_H
#define KOUPREY_SEIZURE_IMPORT_PARTIES_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/error.h"

struct store;
struct refdata;
struct import_parties;

/*
 * Header: called for each title the seizure importer does not know.
 * Returns 1 when title is one of the columns above (its index is kept;
 * *ipp is allocated on the first one), 0 when it is not, and -1 when the
 * column was already given by another title (*msg is then a message naming
 * both, which the caller frees).
 */
int import_parties_column(struct import_parties **ipp, size_t index, const char *title,
			  const char *const *titles, char **msg);

/* One row of a seizure as read (fields not trimmed). */
struct import_parties_row {
	size_t line;              /* row number in the sheet */
	char *const *fields;
	const size_t *lens;
	size_t nfields;
};

/* The seizure the rows make, as validated by seizure_validate. */
struct import_parties_seizure {
	const char *date;         /* YYYY, YYYY-MM or YYYY-MM-DD */
	const char *country;      /* ISO2 */
	const char *sharing;      /* "agency" or "national" */
	int64_t agency_id;        /* <= 0: an agency the import creates */
	int64_t existing_id;      /* the stored record of a re-import, else 0 */
};

/*
 * Parses and validates the columns above for the rows of one seizure; the
 * errors are read with import_parties_error() until the next call.  Returns
 * the number of errors, or -1 with err set on a database failure.
 */
int import_parties_check(struct import_parties *ip, struct store *st, const struct refdata *ref,
			 const struct import_parties_row *rows, size_t nrows,
			 const struct import_parties_seizure *s, struct error *err);
size_t import_parties_nerrors(const struct import_parties *ip);
/* Error i of the last check: row, canonical column name ("offender_1_phone",
 * "container", ...) and message; valid until the next check. */
void import_parties_error(const struct import_parties *ip, size_t i, size_t *row,
			  const char **field, const char **message);

/*
 * After a check without errors: resolves the parties and identifiers and,
 * when seizure_id > 0, writes them and their links inside the caller's
 * transaction (s->agency_id must then be the real agency).  seizure_id 0
 * (a dry run, or an import that will not be committed) only counts what
 * would be created or reused.  filename names the import in the links'
 * source ("import FILE"; NULL or "" gives "import").  0, or -1 with err
 * set (the caller rolls back).
 */
int import_parties_write(struct import_parties *ip, struct store *st, const struct actor *who,
			 const struct import_parties_seizure *s, int64_t seizure_id,
			 const char *filename, struct error *err);

/* What the file created and reused so far, each counted once per file:
 * parties created, existing parties linked again, identifiers created,
 * existing identifiers used. */
struct import_parties_counts {
	size_t parties_created, parties_reused, identifiers_created, identifiers_reused;
};
void import_parties_counts(const struct import_parties *ip, struct import_parties_counts *out);

/* Forgets what the file created and reused so far (its parties,
 * identifiers, counts), keeping the columns: for an import that starts its
 * seizures again from the first (NULL allowed). */
void import_parties_restart(struct import_parties *ip);

/* Frees ip (NULL allowed). */
void import_parties_free(struct import_parties *ip);

#endif
