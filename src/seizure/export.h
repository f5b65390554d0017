/*
 * export.h - the seizure register streamed out as CSV, JSON or GeoJSON.
 *
 * Output goes to a sink: a write callback that receives the bytes in chunks
 * (at most a few tens of KiB each) in order.  The HTTP server passes one that
 * writes to the response; the command line passes seizure_write_file with a
 * FILE *.  A sink returns 0 to go on and non-zero to stop (the export then
 * fails with ERR_IO "writing the export failed").
 *
 * Exports run through store_seizure_each(): the actor sees exactly what the
 * store's access rule lets them see (their agency's records and the records
 * shared nationally; an admin sees all), oldest first.  Nothing is written to
 * the audit log (an export is a list, not a record view).
 *
 * Formats:
 *   CSV      the canonical import columns (seizure_columns(), in that order),
 *            one row per item, seizure-level fields repeated on each row, so
 *            that `kouprey import seizures` of the file recreates the same
 *            records (same content hash) in the same database.
 *   JSON     {"items":[SEIZURE, ...]} with the API's full seizure form
 *            (seizure_to_json), streamed one record at a time.
 *   GeoJSON  a FeatureCollection with one Point per seizure that has
 *            coordinates, or else a UN/LOCODE whose location has coordinates
 *            (the point of that location); seizures with neither are left
 *            out.  Properties: id, ref, date, country, place, locode,
 *            agency, species (accepted names), terms (codes), located
 *            ("coordinates" or "locode").
 */
#ifndef KOUPREY_SEIZURE_EXPORT_H
#define KOUPREY_SEIZURE_EXPORT_H

#include <stddef.h>

#include "auth/actor.h"
#include "lib/error.h"

struct store;
struct refdata;
struct seizure_filter;

/* Receives the next n bytes of output; returns 0 to go on, non-zero to stop. */
typedef int (*seizure_write_fn)(void *ctx, const char *buf, size_t n);

/* Sinks for the common cases: ctx is a FILE * (fails on a short write), or a
 * struct dynbuf * (fails when its cap is reached). */
int seizure_write_file(void *ctx, const char *buf, size_t n);
int seizure_write_dynbuf(void *ctx, const char *buf, size_t n);

enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT_GEOJSON };

/* "csv", "json", "geojson" (case-insensitive); -1 for anything else. */
int export_format_parse(const char *name, enum export_format *out);
/* The MIME type and file name extension of a format. */
const char *export_format_mime(enum export_format f);
const char *export_format_ext(enum export_format f);

/*
 * Writes every seizure the actor may see that matches f (NULL: all; limit and
 * cursor are ignored) in the given format.  Returns 0, or -1 with err set
 * (ERR_IO when the sink stopped, ERR_DB when reading failed); output already
 * written stays written.
 */
int seizure_export(struct store *st, const struct refdata *ref, const struct actor *who,
		   const struct seizure_filter *f, enum export_format format,
		   seizure_write_fn write, void *ctx, struct error *err);

#endif
