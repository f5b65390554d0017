/*
 * aitr.h - the CITES Annual Illegal Trade Report (AITR) for a year.
 *
 * One row per seizure item, in the columns of the AITR standard format
 * agreed by the Standing Committee (SC71, 2019; CITES Notification
 * 2019/072), oldest seizure first:
 *
 *   Reporting country, Date of seizure, Detecting/seizing agency, Location
 *   of seizure, Reason for seizure, Species (scientific name), CITES
 *   Appendix, Term code, Description of specimens, Quantity, Unit, Mode of
 *   transport, Method of detection, Method of concealment, Alleged country of
 *   origin, Countries of transit, Alleged final destination, Nationality of
 *   offenders, Estimated value, Currency, Criminal/civil/administrative
 *   action, Law under which charges were brought, Sanctions, Disposal of
 *   confiscated specimens, Additional information.
 *
 * Values: the reporting country is the deployment's (setting "country",
 * default KH), by name; dates are text as recorded ("2024-03-05", or
 * "2024-03" / "2024" when only that is known); the location joins place,
 * province and UN/LOCODE ("Bavet, Svay Rieng (KHBAV)"); species are the
 * accepted CITES names with their current listing; term and unit are CITES
 * codes (a blank unit is a number of specimens) with the term's name beside
 * it; countries are ISO 3166 codes joined by ", "; vocabulary fields (reason,
 * transport, detection, legal action, disposal, concealment code) are their
 * names.
 *
 * Languages: "en", or "km": column titles in Khmer and vocabulary, term and
 * country names in Khmer where data/ has them (English otherwise); codes,
 * species names and free text are unchanged.
 *
 * Access: only seizures the actor may see (store_seizure_each), dated within
 * the year.  Nothing is written to the database.
 */
#ifndef KOUPREY_SEIZURE_AITR_H
#define KOUPREY_SEIZURE_AITR_H

#include <stddef.h>

#include "auth/actor.h"
#include "lib/error.h"
#include "seizure/export.h"

struct store;
struct refdata;

enum aitr_format { AITR_CSV, AITR_XLSX };

struct aitr_options {
	int year;                 /* 1900..9999 */
	const char *lang;         /* "en" (default when NULL) or "km" */
	enum aitr_format format;
};

/* Number of columns and the title of column i in a language ("en"/"km"). */
size_t aitr_column_count(void);
const char *aitr_column_title(size_t i, const char *lang);

/* "csv" or "xlsx" (case-insensitive); -1 otherwise. */
int aitr_format_parse(const char *name, enum aitr_format *out);
const char *aitr_format_mime(enum aitr_format f);

/*
 * Writes the report to the sink.  CSV streams as it reads; XLSX (a workbook
 * with one sheet "AITR YEAR": bold frozen header row, column widths, dates as
 * text) is built in a temporary file (TMPDIR, else /tmp) and then copied to
 * the sink.  *rows_out (may be NULL) receives the number of item rows.
 * Returns 0, or -1 with err set: ERR_VALIDATION for a bad year or language,
 * ERR_IO when the sink stopped or the workbook could not be made, ERR_DB.
 */
int aitr_report(struct store *st, const struct refdata *ref, const struct actor *who,
		const struct aitr_options *opt, seizure_write_fn write, void *ctx,
		size_t *rows_out, struct error *err);

#endif
