/*
 * xlsx.h - rows of the first worksheet of an Office Open XML workbook.
 *
 * Internal to table.c (use table.h).  The workbook is opened with libzip;
 * xl/workbook.xml and its relationships name the first worksheet, shared
 * strings and styles are loaded up front, and the sheet itself is streamed
 * through libxml2's xmlTextReader straight out of the ZIP, so memory stays
 * small whatever the sheet's size.  Every part read is capped in
 * uncompressed bytes (zip bombs stop with ERR_TOO_LARGE).
 *
 * Cells come back as text, as table.h describes; missing cells before the
 * last non-empty one of a row are empty strings; rows with no non-empty cell
 * are skipped.  row->line is the sheet's row number.
 *
 * Errors: ERR_BAD_REQUEST for a file that is not a usable workbook (message
 * "not a valid XLSX file: ...") or a damaged sheet ("row 5: ..."),
 * ERR_TOO_LARGE for a part, row or cell past its cap, ERR_IO when the file
 * cannot be opened.  A reader that returned -1 keeps returning -1.
 */
#ifndef KOUPREY_XLSX_H
#define KOUPREY_XLSX_H

#include <stddef.h>

#include "lib/csv.h"
#include "lib/error.h"

struct xlsx_reader;

/* NULL with err set when the file is not a readable workbook. */
struct xlsx_reader *xlsx_open(const char *path, struct error *err);
/* data must outlive the reader. */
struct xlsx_reader *xlsx_open_mem(const char *data, size_t len, struct error *err);
/* 1: a row; 0: end of the sheet; -1: error. */
int xlsx_next(struct xlsx_reader *x, struct csv_record *row, struct error *err);
/* Fraction of the sheet's XML read so far, -1 when unknown. */
double xlsx_progress(const struct xlsx_reader *x);
void xlsx_close(struct xlsx_reader *x);

#endif
