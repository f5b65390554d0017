/* Fuzz target: arbitrary bytes as two names (split at the first NUL or
 * newline) through name_romanise, name_key_build, name_compare (both ways,
 * with and without an explanation buffer) and name_key_terms. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/dynbuf.h"
#include "lib/error.h"
#include "text/names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char *b = s + strlen(s);
	char *nl = strchr(s, '\n');
	if (nl && nl < b) {
		*nl = '\0';
		b = nl + 1;
	} else if (b < s + size) {
		b++;
	}
	struct arena ar;
	arena_init(&ar);
	struct error err = ERROR_INIT;
	struct dynbuf rom = DYNBUF_INIT(1 << 16);
	if (name_romanise(s, &rom, &err) == 0) {
		/* lowercase ASCII words, single spaces */
		const char *r = dynbuf_str(&rom);
		for (size_t i = 0; r[i]; i++)
			if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] == ' ' && i > 0 && r[i + 1] && r[i + 1] != ' ')))
				abort();
	}
	error_clear(&err);
	dynbuf_free(&rom);
	struct name_key ka, kb;
	int ra = name_key_build(s, &ar, &ka, &err);
	error_clear(&err);
	int rb = name_key_build(b, &ar, &kb, &err);
	error_clear(&err);
	if (ra == 0 && rb == 0) {
		char why[96];
		double x = name_compare(&ka, &kb, why, sizeof(why));
		double y = name_compare(&kb, &ka, NULL, 0);
		double z = name_compare(&ka, &ka, why, 1);
		if (!(x >= 0.0 && x <= 1.0 && y >= 0.0 && y <= 1.0 && z >= 0.0 && z <= 1.0))
			abort();
		if (strlen(why) >= sizeof(why))
			abort();
		if (ka.ntokens > 0 && z != 1.0)
			abort(); /* a name is itself */
		const char *terms[8];
		size_t n = name_key_terms(&ka, terms, 8);
		for (size_t i = 0; i < n && i < 8; i++)
			if (!terms[i] || !terms[i][0])
				abort();
	}
	arena_free(&ar);
	free(s);
	return 0;
}
