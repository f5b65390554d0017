/*
 * table.c - CSV or XLSX rows behind one interface (see table.h).
 */
#include "lib/table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/xalloc.h"
#include "lib/xlsx.h"

struct table_reader {
	struct csv_reader *csv;
	FILE *f;            /* CSV read from a path */
	size_t size;        /* CSV input size, 0 when unknown */
	struct xlsx_reader *xlsx;
};

enum kind { KIND_CSV, KIND_ZIP, KIND_XLS };

static enum kind sniff(const unsigned char *p, size_t n)
{
	if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return KIND_ZIP;
	if (n >= 8 && memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return KIND_XLS;
	return KIND_CSV;
}

static int xls_error(struct error *err)
{
	return error_set(err, ERR_BAD_REQUEST,
			 "old Excel 97-2003 (.xls) files are not supported: save the sheet as .xlsx or CSV");
}

struct table_reader *table_open(const char *path, struct error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		error_set(err, ERR_IO, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	unsigned char magic[8];
	size_t n = fread(magic, 1, sizeof magic, f);
	if (ferror(f)) {
		error_set(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	enum kind k = sniff(magic, n);
	if (k != KIND_CSV) {
		fclose(f);
		if (k == KIND_XLS) {
			xls_error(err);
			return NULL;
		}
		struct xlsx_reader *x = xlsx_open(path, err);
		if (!x)
			return NULL;
		struct table_reader *t = xcalloc(1, sizeof *t);
		t->xlsx = x;
		return t;
	}
	if (fseek(f, 0, SEEK_SET) != 0) {
		error_set(err, ERR_IO, "cannot read %s: %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	struct table_reader *t = xcalloc(1, sizeof *t);
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
		t->size = (size_t)st.st_size;
	t->f = f;
	t->csv = csv_reader_file(f, NULL);
	return t;
}

struct table_reader *table_open_mem(const char *data, size_t len, struct error *err)
{
	enum kind k = sniff((const unsigned char *)data, data ? len : 0);
	if (k == KIND_XLS) {
		xls_error(err);
		return NULL;
	}
	struct table_reader *t;
	if (k == KIND_ZIP) {
		struct xlsx_reader *x = xlsx_open_mem(data, len, err);
		if (!x)
			return NULL;
		t = xcalloc(1, sizeof *t);
		t->xlsx = x;
		return t;
	}
	t = xcalloc(1, sizeof *t);
	t->size = len;
	t->csv = csv_reader_mem(data, len, NULL);
	return t;
}

int table_next(struct table_reader *t, struct csv_record *row, struct error *err)
{
	if (t->xlsx)
		return xlsx_next(t->xlsx, row, err);
	return csv_next(t->csv, row, err);
}

double table_progress(const struct table_reader *t)
{
	if (t->xlsx)
		return xlsx_progress(t->xlsx);
	if (t->size == 0)
		return -1;
	double f = (double)csv_offset(t->csv) / (double)t->size;
	return f > 1 ? 1 : f;
}

void table_close(struct table_reader *t)
{
	if (!t)
		return;
	csv_reader_free(t->csv);
	if (t->f)
		fclose(t->f);
	xlsx_close(t->xlsx);
	free(t);
}
