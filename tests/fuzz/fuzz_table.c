/*
 * fuzz_table.c - libFuzzer target for lib/table.h: arbitrary bytes as CSV
 * or XLSX (inputs starting with "PK\3\4" go to the XLSX reader).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                              \
	do {                                                                  \
		if (!(c)) {                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #c);                                \
			abort();                                              \
		}                                                             \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error err = ERROR_INIT;
	struct table_reader *t = table_open_mem((const char *)data, size, &err);
	if (!t) {
		CHECK(err.message != NULL);
		error_clear(&err);
		return 0;
	}
	struct csv_record row;
	size_t n = 0;
	int rc;
	while ((rc = table_next(t, &row, &err)) == 1) {
		CHECK(row.index == ++n);
		CHECK(row.nfields >= 1);
		for (size_t i = 0; i < row.nfields; i++)
			CHECK(strlen(row.fields[i]) == row.lens[i]);
		double p = table_progress(t);
		CHECK(p == -1 || (p >= 0 && p <= 1));
	}
	if (rc < 0)
		CHECK(err.message != NULL);
	error_clear(&err);
	table_close(t);
	return 0;
}
