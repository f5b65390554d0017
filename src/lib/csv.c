/*
 * csv.c - streaming RFC 4180 reader and writer (see csv.h).
 *
 * The reader walks a window of bytes [p, e): for a FILE it is the current
 * 64 KiB block, refilled when used up; for memory it is the whole buffer.
 * Field bytes are copied into one record buffer (each field NUL-terminated)
 * that is reused from record to record, so the steady state allocates
 * nothing.  Unquoted runs are scanned with a byte-class table and copied in
 * one memcpy; UTF-8 is validated only for fields that hold a byte >= 0x80
 * (or a NUL, which is refused: fields are C strings).
 *
 * Blank physical lines (no bytes at all between two line ends) are skipped;
 * a line holding "" is a record of one empty field.
 */
#include "lib/csv.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

#define CSV_BLOCK (64 * 1024)
#define CSV_DEFAULT_MAX_FIELD (1024 * 1024)
#define CSV_DEFAULT_MAX_FIELDS 1024

/* Byte classes for the unquoted scanner. */
enum { C_TEXT = 0, C_COMMA, C_LF, C_CR, C_QUOTE, C_HIGH };

struct csv_reader {
	FILE *f;                 /* NULL for a memory reader */
	char *block;             /* FILE readers: the current block */
	const char *base;        /* start of the window */
	const char *p, *e;       /* unread part of the window */
	size_t consumed;         /* bytes of earlier windows */
	int eof;                 /* no more windows */
	int io_error;            /* fread failed */
	int failed;              /* an error was returned; stop */
	int after_cr;            /* the last record ended on CR: skip one LF */
	int started;             /* BOM check done */

	size_t max_field, max_fields;
	size_t line;             /* physical line of p (1-based) */
	size_t index;            /* records returned */

	char *buf;               /* field bytes of the current record */
	size_t len, cap;
	size_t *starts;          /* offset of each field in buf */
	size_t *lens;
	char **fields;
	size_t nfields, fcap;
};

#define H4 C_HIGH, C_HIGH, C_HIGH, C_HIGH
#define H16 H4, H4, H4, H4
#define T4 C_TEXT, C_TEXT, C_TEXT, C_TEXT
#define T16 T4, T4, T4, T4

/* NUL counts as "high": the validator refuses it (fields are C strings). */
static const unsigned char byte_class[256] = {
	C_HIGH, C_TEXT, C_TEXT, C_TEXT, C_TEXT, C_TEXT, C_TEXT, C_TEXT, /* 0x00 */
	C_TEXT, C_TEXT, C_LF, C_TEXT, C_TEXT, C_CR, C_TEXT, C_TEXT,
	T16,                                                            /* 0x10 */
	C_TEXT, C_TEXT, C_QUOTE, C_TEXT, C_TEXT, C_TEXT, C_TEXT, C_TEXT, /* 0x20 */
	C_TEXT, C_TEXT, C_TEXT, C_TEXT, C_COMMA, C_TEXT, C_TEXT, C_TEXT,
	T16, T16, T16, T16, T16,                                        /* 0x30-0x7f */
	H16, H16, H16, H16, H16, H16, H16, H16,                         /* 0x80-0xff */
};

static struct csv_reader *reader_new(const struct csv_limits *lim)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);
	r->max_field = lim && lim->max_field ? lim->max_field : CSV_DEFAULT_MAX_FIELD;
	r->max_fields = lim && lim->max_fields ? lim->max_fields : CSV_DEFAULT_MAX_FIELDS;
	r->line = 1;
	return r;
}

struct csv_reader *csv_reader_file(FILE *f, const struct csv_limits *lim)
{
	struct csv_reader *r = reader_new(lim);
	r->f = f;
	r->block = xmalloc(CSV_BLOCK);
	r->base = r->p = r->e = r->block;
	return r;
}

struct csv_reader *csv_reader_mem(const char *data, size_t len, const struct csv_limits *lim)
{
	struct csv_reader *r = reader_new(lim);
	if (!data)
		data = "";
	r->base = r->p = data;
	r->e = data + len;
	r->eof = 1;
	return r;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->block);
	free(r->buf);
	free(r->starts);
	free(r->lens);
	free(r->fields);
	free(r);
}

size_t csv_offset(const struct csv_reader *r)
{
	return r->consumed + (size_t)(r->p - r->base);
}

/* Loads the next block; 1 when there are bytes, 0 at end of input. */
static int refill(struct csv_reader *r, const char **p, const char **e)
{
	if (r->eof) {
		*p = *e;
		return 0;
	}
	r->consumed += (size_t)(*e - r->base);
	size_t n = fread(r->block, 1, CSV_BLOCK, r->f);
	r->base = *p = r->block;
	*e = r->block + n;
	if (n == 0) {
		r->eof = 1;
		if (ferror(r->f))
			r->io_error = errno ? errno : EIO;
		return 0;
	}
	return 1;
}

static void grow_buf(struct csv_reader *r, size_t need)
{
	size_t cap = r->cap ? r->cap : 256;
	while (cap < need)
		cap *= 2;
	r->buf = xrealloc(r->buf, cap);
	r->cap = cap;
}

/* Number of line ends in s[0..n) (CRLF counts once). */
static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r')
			lines++;
		else if (s[i] == '\n' && !(i > 0 && s[i - 1] == '\r'))
			lines++;
	}
	return lines;
}

/*
 * Offset of the first byte of s[0..n) that is not well-formed UTF-8 (no
 * overlongs, no surrogates, nothing past U+10FFFF) or is NUL; n when valid.
 */
static size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return i;
		}
		if (n - i <= k)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t j = 2; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return i;
		i += k + 1;
	}
	return n;
}

/* Appends n bytes to the current field (which started at fstart). */
static int add_bytes(struct csv_reader *r, size_t fstart, const char *s, size_t n,
		     size_t fline, size_t fieldno, struct error *err)
{
	if (n > r->max_field || r->len - fstart > r->max_field - n)
		return error_set(err, ERR_TOO_LARGE, "line %zu: field %zu is longer than %zu bytes",
				 fline, fieldno, r->max_field);
	if (r->len + n + 1 > r->cap)
		grow_buf(r, r->len + n + 1);
	memcpy(r->buf + r->len, s, n);
	r->len += n;
	return 0;
}

/* Ends the current field: checks its text and records it. */
static int end_field(struct csv_reader *r, size_t fstart, int check, size_t fline,
		     struct error *err)
{
	size_t n = r->len - fstart;
	size_t fieldno = r->nfields + 1;
	if (check) {
		const unsigned char *s = (const unsigned char *)r->buf + fstart;
		size_t bad = utf8_invalid_at(s, n);
		if (bad < n) {
			size_t line = fline + count_lines(r->buf + fstart, bad);
			if (s[bad] == 0)
				return error_set(err, ERR_BAD_REQUEST, "line %zu: NUL byte in field %zu",
						 line, fieldno);
			return error_set(err, ERR_BAD_REQUEST, "line %zu: invalid UTF-8 in field %zu",
					 line, fieldno);
		}
	}
	if (r->nfields == r->max_fields)
		return error_set(err, ERR_TOO_LARGE, "line %zu: record has more than %zu fields",
				 fline, r->max_fields);
	if (r->nfields == r->fcap) {
		r->fcap = r->fcap ? r->fcap * 2 : 32;
		r->starts = xreallocarray(r->starts, r->fcap, sizeof *r->starts);
		r->lens = xreallocarray(r->lens, r->fcap, sizeof *r->lens);
		r->fields = xreallocarray(r->fields, r->fcap, sizeof *r->fields);
	}
	if (r->len + 1 > r->cap)
		grow_buf(r, r->len + 1);
	r->buf[r->len++] = '\0';
	r->starts[r->nfields] = fstart;
	r->lens[r->nfields] = n;
	r->nfields++;
	return 0;
}

int csv_next(struct csv_reader *r, struct csv_record *rec, struct error *err)
{
	if (r->failed)
		return error_set(err, ERR_BAD_REQUEST, "line %zu: reading stopped after an earlier error",
				 r->line);
	const char *p = r->p, *e = r->e;
	int rc = -1;

	if (!r->started) {
		r->started = 1;
		if (p == e)
			refill(r, &p, &e);
		if (e - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;
	}

	/* Skip the LF of a CRLF that ended the last record, and blank lines. */
	for (;;) {
		if (p == e && !refill(r, &p, &e)) {
			rc = 0;
			goto out;
		}
		if (*p == '\n') {
			if (!r->after_cr)
				r->line++;
			r->after_cr = 0;
			p++;
		} else if (*p == '\r') {
			r->line++;
			r->after_cr = 1;
			p++;
		} else {
			r->after_cr = 0;
			break;
		}
	}

	size_t rec_line = r->line;
	r->len = 0;
	r->nfields = 0;

	for (;;) { /* one field per turn */
		size_t fstart = r->len, fline = r->line, fieldno = r->nfields + 1;
		int check = 0;
		if (p == e && !refill(r, &p, &e)) {
			/* End of input right after a comma: a last empty field. */
			if (end_field(r, fstart, 0, fline, err))
				goto out;
			break;
		}
		if (*p != '"') {
			for (;;) {
				const char *s = p;
				for (;;) {
					while (p < e && byte_class[(unsigned char)*p] == C_TEXT)
						p++;
					if (p < e && byte_class[(unsigned char)*p] == C_HIGH) {
						check = 1;
						p++;
						continue;
					}
					break;
				}
				if (p > s && add_bytes(r, fstart, s, (size_t)(p - s), fline, fieldno, err))
					goto out;
				if (p == e) {
					if (refill(r, &p, &e))
						continue;
					if (end_field(r, fstart, check, fline, err))
						goto out;
					goto record_done;
				}
				char c = *p++;
				if (c == '"') {
					error_set(err, ERR_BAD_REQUEST,
						  "line %zu: quote inside unquoted field %zu", r->line, fieldno);
					goto out;
				}
				if (end_field(r, fstart, check, fline, err))
					goto out;
				if (c == ',')
					break; /* next field */
				r->line++;
				r->after_cr = c == '\r';
				goto record_done;
			}
			continue;
		}

		/* Quoted field. */
		p++;
		int prev_cr = 0;
		for (;;) {
			if (p == e && !refill(r, &p, &e)) {
				error_set(err, ERR_BAD_REQUEST, "line %zu: unterminated quoted field", fline);
				goto out;
			}
			const char *s = p;
			while (p < e) {
				unsigned char c = (unsigned char)*p;
				if (c == '"')
					break;
				if (c == '\n') {
					if (!prev_cr)
						r->line++;
					prev_cr = 0;
				} else if (c == '\r') {
					r->line++;
					prev_cr = 1;
				} else {
					prev_cr = 0;
					if (c >= 0x80 || c == 0)
						check = 1;
				}
				p++;
			}
			if (p > s && add_bytes(r, fstart, s, (size_t)(p - s), fline, fieldno, err))
				goto out;
			if (p == e)
				continue;
			p++; /* the quote */
			prev_cr = 0;
			if (p == e && !refill(r, &p, &e)) {
				if (end_field(r, fstart, check, fline, err))
					goto out;
				goto record_done;
			}
			char c = *p;
			if (c == '"') {
				if (add_bytes(r, fstart, "\"", 1, fline, fieldno, err))
					goto out;
				p++;
				continue;
			}
			if (c != ',' && c != '\n' && c != '\r') {
				error_set(err, ERR_BAD_REQUEST, "line %zu: text after closing quote", r->line);
				goto out;
			}
			p++;
			if (end_field(r, fstart, check, fline, err))
				goto out;
			if (c == ',')
				break;
			r->line++;
			r->after_cr = c == '\r';
			goto record_done;
		}
	}

record_done:
	if (r->io_error) {
		error_set(err, ERR_IO, "line %zu: read error: %s", r->line, strerror(r->io_error));
		goto out;
	}
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i] = r->buf + r->starts[i];
	rec->nfields = r->nfields;
	rec->fields = r->fields;
	rec->lens = r->lens;
	rec->line = rec_line;
	rec->index = ++r->index;
	rc = 1;

out:
	r->p = p;
	r->e = e;
	if (rc == 0 && r->io_error) {
		error_set(err, ERR_IO, "line %zu: read error: %s", r->line, strerror(r->io_error));
		rc = -1;
	}
	if (rc < 0)
		r->failed = 1;
	return rc;
}

/*
 * Besides what csv.h lists, a field starting with U+FEFF is quoted too: at
 * the start of a file it would otherwise be taken for a byte order mark.
 */
int csv_put_field(struct dynbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return 0;
	if (s[0] != ' ' && strncmp(s, "\xEF\xBB\xBF", 3) != 0 && strpbrk(s, ",\"\r\n") == NULL)
		return dynbuf_add(b, s, n);
	if (dynbuf_addc(b, '"'))
		return -1;
	for (;;) {
		const char *q = strchr(s, '"');
		if (!q)
			break;
		if (dynbuf_add(b, s, (size_t)(q - s) + 1) || dynbuf_addc(b, '"'))
			return -1;
		s = q + 1;
	}
	if (dynbuf_adds(b, s) || dynbuf_addc(b, '"'))
		return -1;
	return 0;
}

int csv_put_record(struct dynbuf *b, const char *const *fields, size_t n)
{
	/* A record of one empty field is written as "" so that it does not
	 * read back as a blank line (which readers skip). */
	if (n == 1 && fields[0][0] == '\0')
		return dynbuf_add(b, "\"\"\r\n", 4);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && dynbuf_addc(b, ','))
			return -1;
		if (csv_put_field(b, fields[i]))
			return -1;
	}
	return dynbuf_add(b, "\r\n", 2);
}
