/*
 * table.h - rows of text from a spreadsheet-like file: CSV or XLSX.
 *
 * table_open() looks at the content (a ZIP signature means XLSX, anything
 * else is read as CSV) and returns a reader that yields one row at a time as
 * strings.  For XLSX the first worksheet is read; shared strings, inline
 * strings, numbers, booleans and dates are returned as text (a cell with a
 * date format is returned as ISO 8601 "YYYY-MM-DD"; numbers in their shortest
 * round-trip form, "12.5", "3"), and missing cells in a row are empty
 * strings, so row n always has as many fields as its last non-empty cell.
 *
 * Ownership and errors as in csv.h: the row is the reader's until the next
 * call; errors name the row.
 */
#ifndef KOUPREY_TABLE_H
#define KOUPREY_TABLE_H

#include <stddef.h>

#include "lib/csv.h"
#include "lib/error.h"

struct table_reader;

/* Opens path; -1 with err set (ERR_IO, ERR_BAD_REQUEST) when it cannot. */
struct table_reader *table_open(const char *path, struct error *err);
/* Opens a file already in memory (an upload); data must outlive the reader. */
struct table_reader *table_open_mem(const char *data, size_t len, struct error *err);
/* 1: *row holds a row; 0: end; -1: error (err set). row->line is the row number
 * in the sheet (CSV: the physical line). */
int table_next(struct table_reader *t, struct csv_record *row, struct error *err);
/* 0..1 fraction of the input read so far, for progress; -1 when unknown. */
double table_progress(const struct table_reader *t);
void table_close(struct table_reader *t);

#endif
