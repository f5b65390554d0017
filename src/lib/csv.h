/*
 * csv.h - streaming RFC 4180 reader and writer.
 *
 * The reader takes bytes from a FILE or from memory and yields one record at
 * a time; it never holds more than one record, so files of any size stream.
 * It accepts: a UTF-8 byte order mark at the very start (skipped), CRLF or LF
 * line ends (also a lone CR), quoted fields with embedded separators, quotes
 * ("" inside quotes) and newlines, an empty last line.  Records may have any
 * number of fields ("ragged"); the caller decides what that means.
 *
 * Errors (returned as -1 with err set, code ERR_BAD_REQUEST, message naming
 * the line): a quote inside an unquoted field, text after a closing quote,
 * an unterminated quoted field at end of input, a field longer than
 * max_field bytes or a record with more than max_fields fields
 * (ERR_TOO_LARGE), invalid UTF-8 in a field.
 *
 * Ownership: the reader owns the record it returns; its fields stay valid
 * until the next csv_next() or csv_close().  The reader does not close a FILE
 * it was given.
 */
#ifndef KOUPREY_CSV_H
#define KOUPREY_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "lib/dynbuf.h"
#include "lib/error.h"

struct csv_reader;

struct csv_record {
	size_t nfields;
	char **fields;       /* NUL-terminated, UTF-8 */
	size_t *lens;        /* byte length of each field */
	size_t line;         /* physical line (1-based) where the record starts */
	size_t index;        /* record number, 1-based (the header is record 1) */
};

struct csv_limits {
	size_t max_field;    /* bytes in one field; 0 means 1 MiB */
	size_t max_fields;   /* fields in one record; 0 means 1024 */
};

struct csv_reader *csv_reader_file(FILE *f, const struct csv_limits *lim);
struct csv_reader *csv_reader_mem(const char *data, size_t len, const struct csv_limits *lim);
/* 1: *rec holds a record; 0: end of input; -1: error (err set). */
int csv_next(struct csv_reader *r, struct csv_record *rec, struct error *err);
/* Bytes consumed so far (for progress reporting). */
size_t csv_offset(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/* Appends one field, quoted when it holds a separator, quote, CR or LF, or
 * starts with a space. Returns -1 when the buffer's cap is hit. */
int csv_put_field(struct dynbuf *b, const char *s);
/* Appends the fields separated by commas and a CRLF. */
int csv_put_record(struct dynbuf *b, const char *const *fields, size_t n);

#endif
