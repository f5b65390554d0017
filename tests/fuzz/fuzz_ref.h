/* Reference data for fuzz targets: the project's data/ loaded once into an
 * in-memory database. */
#ifndef KOUPREY_FUZZ_REF_H
#define KOUPREY_FUZZ_REF_H

#include <stdio.h>
#include <stdlib.h>

#include "ref/load.h"
#include "ref/refdata.h"
#include "store/store.h"

static struct refdata *fuzz_refdata(void)
{
	struct error err = ERROR_INIT;
	struct store *st = store_open(":memory:", STORE_CREATE, &err);
	if (!st || store_migrate(st, &err) != 0 ||
	    ref_load_dir(st, KOUPREY_SOURCE_DIR "/data", &err) != 0) {
		fprintf(stderr, "fuzz: cannot load reference data: %s\n", err.message);
		abort();
	}
	struct refdata *ref = refdata_load(st, &err);
	if (!ref)
		abort();
	store_close(st);
	return ref;
}

#endif
