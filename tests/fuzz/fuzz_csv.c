/*
 * fuzz_csv.c - libFuzzer target for the CSV reader and writer (lib/csv.h).
 *
 * Reads the input with small limits and walks every record; the memory
 * reader and the FILE reader must agree record by record; each record is
 * written back with csv_put_record and must read back as the same fields.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"
#include "lib/dynbuf.h"
#include "lib/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                              \
	do {                                                                  \
		if (!(c)) {                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #c);                                \
			abort();                                              \
		}                                                             \
	} while (0)

static const struct csv_limits LIMITS = { 4096, 64 };

/* Writes rec and reads it back: the same fields must come out. */
static void round_trip(const struct csv_record *rec)
{
	struct dynbuf out = DYNBUF_INIT(1 << 20);
	CHECK(csv_put_record(&out, (const char *const *)rec->fields, rec->nfields) == 0);
	struct csv_reader *r = csv_reader_mem(out.buf, out.len, &LIMITS);
	struct csv_record back;
	struct error err = ERROR_INIT;
	CHECK(csv_next(r, &back, &err) == 1);
	CHECK(back.nfields == rec->nfields);
	for (size_t i = 0; i < rec->nfields; i++) {
		CHECK(back.lens[i] == rec->lens[i]);
		CHECK(memcmp(back.fields[i], rec->fields[i], rec->lens[i]) == 0);
	}
	CHECK(csv_next(r, &back, &err) == 0);
	CHECK(csv_offset(r) == out.len);
	csv_reader_free(r);
	dynbuf_free(&out);
	error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *mem = csv_reader_mem((const char *)data, size, &LIMITS);
	FILE *f = size ? fmemopen((void *)data, size, "rb") : NULL;
	struct csv_reader *file = f ? csv_reader_file(f, &LIMITS) : NULL;
	struct error err = ERROR_INIT, ferr = ERROR_INIT;
	struct csv_record rec, frec;
	int rc;
	size_t n = 0;
	while ((rc = csv_next(mem, &rec, &err)) == 1) {
		n++;
		CHECK(rec.index == n);
		CHECK(rec.nfields >= 1 && rec.nfields <= LIMITS.max_fields);
		for (size_t i = 0; i < rec.nfields; i++) {
			CHECK(rec.lens[i] <= LIMITS.max_field);
			CHECK(strlen(rec.fields[i]) == rec.lens[i]);
		}
		if (file) {
			CHECK(csv_next(file, &frec, &ferr) == 1);
			CHECK(frec.nfields == rec.nfields && frec.line == rec.line);
			for (size_t i = 0; i < rec.nfields; i++)
				CHECK(frec.lens[i] == rec.lens[i] &&
				      memcmp(frec.fields[i], rec.fields[i], rec.lens[i]) == 0);
		}
		round_trip(&rec);
	}
	if (rc < 0) {
		CHECK(err.message && strncmp(err.message, "line ", 5) == 0);
		CHECK(err.code == ERR_BAD_REQUEST || err.code == ERR_TOO_LARGE);
	} else {
		CHECK(csv_offset(mem) == size);
	}
	if (file) {
		int frc = csv_next(file, &frec, &ferr);
		CHECK(frc == rc);
		if (rc < 0)
			CHECK(strcmp(err.message, ferr.message) == 0);
		csv_reader_free(file);
		fclose(f);
	}
	csv_reader_free(mem);
	error_clear(&err);
	error_clear(&ferr);
	return 0;
}
