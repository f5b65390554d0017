/*
 * Fuzz target: identifiers (party/identifier.h).  The first byte picks the
 * kind (or the search-box guess); the rest is split at 0x1F (unit
 * separator) into value, country, platform, date and province.  Checks:
 * a failure is one validation field error (or a too-large error); a key of
 * a kind whose key is also a valid value (phone, e-mail, vessel, container,
 * bill of lading, airway bill) normalises to itself; guesses are within
 * max, non-empty and each re-normalises to its key where the kind allows.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_ref.h"
#include "lib/arena.h"
#include "lib/dynbuf.h"
#include "lib/xalloc.h"
#include "party/identifier.h"

static struct refdata *ref;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ref = fuzz_refdata();
	return 0;
}

static int key_is_value(enum ident_kind k)
{
	return k == IDENT_PHONE || k == IDENT_EMAIL || k == IDENT_VESSEL || k == IDENT_CONTAINER ||
	       k == IDENT_BILL_OF_LADING || k == IDENT_AIRWAY_BILL;
}

/* in normalises; a key that is itself a value normalises to itself. */
static void check_one(const struct ident_input *in, const struct refdata *rd)
{
	struct dynbuf key = DYNBUF_INIT(1 << 16), display = DYNBUF_INIT(1 << 16);
	struct error err = ERROR_INIT;
	if (ident_normalise(in, rd, &key, &display, &err) == 0) {
		if (err.code != ERR_NONE || key.len == 0 || display.len == 0)
			abort();
		if (key_is_value(in->kind)) {
			struct ident_input again = *in;
			again.value = dynbuf_str(&key);
			struct dynbuf k2 = DYNBUF_INIT(1 << 16);
			if (ident_normalise(&again, rd, &k2, NULL, &err) != 0 ||
			    strcmp(dynbuf_str(&k2), dynbuf_str(&key)) != 0)
				abort();
			dynbuf_free(&k2);
		}
	} else if (!((err.code == ERR_VALIDATION && err.nfields == 1 && err.fields[0].message &&
		      *err.fields[0].message) ||
		     err.code == ERR_TOO_LARGE)) {
		abort();
	}
	error_clear(&err);
	dynbuf_free(&key);
	dynbuf_free(&display);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0] % (IDENT_KIND_COUNT + 1);
	char *copy = xmalloc(size);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	/* value, country, platform, date, province */
	char *part[5] = { copy, NULL, NULL, NULL, NULL };
	size_t np = 1;
	for (char *p = copy; *p && np < 5; p++) {
		if (*p == 0x1F) {
			*p = '\0';
			part[np++] = p + 1;
		}
	}
	if (sel < IDENT_KIND_COUNT) {
		struct ident_input in = { .kind = (enum ident_kind)sel, .value = part[0],
					  .country = part[1], .platform = part[2], .date = part[3],
					  .province = part[4] };
		check_one(&in, ref);
		check_one(&in, NULL);
	} else {
		struct arena a;
		arena_init(&a);
		struct ident_guess g[8];
		size_t n = ident_guess(part[0], ref, part[1], g, 8, &a);
		if (n > 8)
			abort();
		for (size_t i = 0; i < n; i++) {
			if ((unsigned)g[i].kind >= IDENT_KIND_COUNT || !g[i].key || !*g[i].key)
				abort();
			if (key_is_value(g[i].kind)) {
				struct ident_input in = { .kind = g[i].kind, .value = g[i].key };
				check_one(&in, ref);
			}
		}
		arena_free(&a);
	}
	free(copy);
	return 0;
}
