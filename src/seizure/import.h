/*
 * import.h - seizures from a spreadsheet (CSV or XLSX) into the register.
 *
 * The file: a header row, then one row per seizure item.  Columns are the
 * canonical ones (seizure_columns()) or their synonyms, which include the
 * column titles of the CITES Annual Illegal Trade Report standard format
 * (SC71): "Date of seizure", "Detecting/seizing agency", "Mode of
 * transport", ...  Header names match ignoring case, spaces, underscores and
 * punctuation ("Seizure Ref" = "seizure_ref").  Required columns: date,
 * country, species, term, quantity.
 *
 * Offenders, consignees and identifiers (containers, plates, phones, ...)
 * have columns of their own: import_parties.h.
 *
 * Unknown columns: a header this importer does not know refuses the whole
 * file (error on row 1 naming the columns), because a misspelt column would
 * otherwise drop its data silently.  Columns that only carry information the
 * record derives itself ("Reporting country", "CITES Appendix", "Unit name",
 * ... as in the AITR) are accepted and ignored with a warning.  Entirely empty
 * header cells (and their data) are ignored.
 *
 * Grouping: rows with the same seizure_ref and agency are the items of one
 * seizure, in file order, whether or not they are next to each other.  The
 * seizure-level columns may be repeated on every row of a seizure or left
 * blank after the first; a later row giving a different value is an error.
 * A row without seizure_ref is a seizure of its own, with a reference made
 * from its content ("IMP-" and 16 hex digits, "-2", "-3"... for identical
 * rows), so importing the same file again finds the same records.
 *
 * How (streaming, two passes): the rows are read once and spilled as read
 * to an unlinked temporary file (TMPDIR, else /tmp) while an index of
 * (seizure, row, offset) is built; a seizure is named by two independent
 * 64-bit hashes of its (agency, ref) key, so no key is kept in memory.  The
 * seizures are processed complete, in the order of their first row.  When
 * the rows of each seizure are next to each other in the file (the usual
 * case) and the file's size is known, pass 2 runs on the heels of pass 1: a
 * seizure is taken as soon as a row of another one follows it, on three
 * threads (parsing; grouping, spilling and validating; the database's).
 * When a row turns up for a seizure already taken, a seizure has more than
 * 500 rows, or more than 4 MB of rejected rows would wait in memory, pass 2
 * forgets what it did (the transaction is rolled back, the report's counts
 * reset) and runs again after pass 1, reading the seizures back from the
 * spill file.  Either way, each pass uses a second thread: in pass 1 it
 * parses the rows and hashes their keys while the calling thread groups them
 * and writes the spill file; in pass 2 it reads each seizure back and
 * validates it while the calling thread settles its agency and existing
 * record and writes it.  The database is used from the calling thread only,
 * and the outcome is the same as on one thread, streaming or not.  Memory: at
 * most about 55 bytes per row whatever the row's size (16 per row, 16 per
 * seizure, ~21 of hash table per seizure, freed before the commit, whose
 * index rebuild is the peak); disk: about the file's size again.  A seizure
 * of more than 500 rows is rejected (its rows are not held in memory).
 *
 * Agencies: the agency column names an agency (case-insensitive); blank means
 * the importing user's agency; an unknown name creates the agency (country =
 * the seizure's country, kind "other") and is listed in agencies_created.
 *
 * Rights: admin and analyst only (others: ERR_FORBIDDEN, nothing read).  An
 * analyst may import records of any agency (analysts consolidate the
 * national data), unlike seizure_create's own-agency rule.
 *
 * Values: seizure_validate() decides (vocabulary synonyms, country names,
 * species names ...); before it, numbers (quantity, latitude, longitude,
 * value_amount) must be plain decimals ("1234.5", "-3", "1e3"; a thousands
 * separator as in "1,234.5" is an error), live is live/dead/true/false/
 * yes/no/1/0 or empty, term and unit also accept their English names
 * ("scales", "kg"), sharing is agency or national (blank: national for a new
 * record, unchanged for an existing one).
 *
 * Outcome per seizure, identified by (agency, seizure_ref):
 *   created    no such record before: inserted at version 1;
 *   unchanged  the record exists with the same content hash: not written
 *              (no new version, no audit entry);
 *   updated    the record exists with other content: replaced by the file's
 *              content as a new version;
 *   rejected   any of its rows is invalid.
 * Every written seizure gets an audit entry "import" whose detail names the
 * import (changes.import_id); the import itself is one import_job row.
 *
 * All or nothing: the whole import is ONE transaction.  Without skip_invalid
 * any invalid row means nothing is written.  With skip_invalid the valid
 * seizures are written and every row of a rejected seizure goes to the
 * rejects CSV (the row as read, plus a "reason" column).  A crash or kill
 * part-way leaves the database as it was (SQLite rolls the transaction
 * back from its journal: WAL, or a rollback journal during a large load).
 */
#ifndef KOUPREY_SEIZURE_IMPORT_H
#define KOUPREY_SEIZURE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/error.h"
#include "seizure/export.h"

struct store;
struct refdata;
struct table_reader;

/* The canonical columns, in the order exports write them: the 29 columns of
 * the seizure item row, then the optional "sharing" and "concealment_code"
 * (so a CSV export keeps who may see a record and an explicit concealment
 * code). */
size_t seizure_column_count(void);
const char *seizure_column_name(size_t i);

struct import_options {
	int dry_run;              /* validate and count, write nothing */
	int skip_invalid;         /* write the valid seizures, reject the rest */
	/* Rejects CSV sink (used with skip_invalid; may be NULL to drop them). */
	seizure_write_fn rejects;
	void *rejects_ctx;
	const char *filename;     /* recorded in the import job ("" if NULL) */
	const char *sha256;       /* of the file, recorded likewise */
	/* When not NULL: called once, when every seizure is written and just
	 * before the commit, for the file's SHA-256 (the caller may make it
	 * beside the import); it returns what sha256 then holds. */
	const char *(*sha256_wait)(void *ctx);
	void *sha256_ctx;
	/* Called now and then with the rows handled so far and the fraction of
	 * the whole job done (0..1); may be NULL. */
	void (*progress)(void *ctx, size_t rows, double fraction);
	void *progress_ctx;
	size_t max_errors;        /* errors listed in the report; 0 means 1000 */
};

struct import_error {
	size_t row;               /* row number in the sheet (header = 1); 0: the file */
	char *field;              /* canonical column name, "columns" for the header */
	char *message;
};

struct import_report {
	int dry_run;
	int committed;            /* 1 when the transaction was committed */
	int64_t import_id;        /* the import_job row (0 when none was kept) */
	size_t rows;              /* data rows read */
	size_t rows_rejected;
	size_t created, updated, unchanged, rejected;   /* seizures */
	/* offender and identifier columns (import_parties.h), each counted once;
	 * party_columns is 1 when the file has such columns */
	int party_columns;
	size_t parties_created, parties_reused, identifiers_created, identifiers_reused;
	char **agencies_created;  /* names, in order of creation */
	size_t nagencies;
	struct import_error *errors;   /* sorted by row */
	size_t nerrors;
	size_t errors_omitted;    /* further errors not listed (past max_errors) */
	char **warnings;
	size_t nwarnings;
	/* 1 when pass 2 ran on the heels of pass 1 (the rows of each seizure
	 * were next to each other), 0 when it read the spill file after it */
	int streamed;
};

/*
 * Imports the rows of in (positioned before the header row).  rep must be
 * zeroed by the caller (or from a previous import_report_free) and is filled
 * in every case; free it with import_report_free().
 *
 * Returns 0 when the import went through: committed, or (dry_run) would
 * have; with skip_invalid that includes files with rejected rows.  Returns -1
 * with err set when it did not:
 *   ERR_VALIDATION  rows have errors (listed in rep->errors) and nothing was
 *                   written; also for a bad header;
 *   ERR_FORBIDDEN   the actor may not import;
 *   ERR_BAD_REQUEST / ERR_TOO_LARGE  the file could not be read (err names
 *                   the row); nothing written;
 *   ERR_IO, ERR_DB  the spill file or the database failed; nothing written.
 */
int seizure_import(struct store *st, const struct refdata *ref, const struct actor *who,
		   struct table_reader *in, const struct import_options *opt,
		   struct import_report *rep, struct error *err);

void import_report_free(struct import_report *rep);

/* The report as the API returns it (docs: POST /api/v1/imports):
 * {"dry_run","committed","import_id","rows","rows_rejected","seizures":
 * {"created","updated","unchanged","rejected"},"agencies_created":[...],
 * "parties":{"created","reused"},"identifiers":{"created","reused"} (these
 * two only when the file has offender or identifier columns),
 * "errors":[{"row","field","message"}],"errors_omitted","warnings":[...]}
 * plus "rejects_csv" when rejects_csv is not NULL.  The caller owns the
 * reference; the type is jansson's json_t. */
struct json_t;
struct json_t *import_report_to_json(const struct import_report *rep, const char *rejects_csv);

#endif
