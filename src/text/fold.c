#include "text/fold.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "lib/xalloc.h"

int text_valid_utf8(const char *s, size_t n)
{
	int32_t i = 0;
	while ((size_t)i < n) {
		UChar32 c;
		U8_NEXT(s, i, (int32_t)n, c);
		if (c < 0)
			return 0;
		if (c < 0x20 && c != '\t' && c != '\r' && c != '\n')
			return 0;
	}
	return 1;
}

/* ASCII needs no Unicode tables: letters and digits stay (lower-cased),
 * everything else separates words, as the full path below does. */
static char *fold_ascii(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t j = 0;
	int space = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			out[j++] = (char)c;
			space = 0;
		} else if (c >= 'A' && c <= 'Z') {
			out[j++] = (char)(c + 32);
			space = 0;
		} else if (!space) {
			out[j++] = ' ';
			space = 1;
		}
	}
	if (j > 0 && out[j - 1] == ' ')
		j--;
	out[j] = '\0';
	return out;
}

/* Folds into a malloc'd string. */
static char *fold_malloc(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && !((unsigned char)s[k] & 0x80))
		k++;
	if (k == n)
		return fold_ascii(s, n);
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&st);
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return xstrdup("");
	/* decode, dropping invalid sequences */
	UChar *u = xmalloc((n + 1) * sizeof(UChar) * 2);
	int32_t ulen = 0;
	int32_t i = 0;
	while ((size_t)i < n) {
		UChar32 c;
		U8_NEXT(s, i, (int32_t)n, c);
		if (c < 0)
			continue;
		U16_APPEND_UNSAFE(u, ulen, c);
	}
	int32_t cap = ulen * 4 + 16;
	UChar *d = xmalloc((size_t)cap * sizeof(UChar));
	st = U_ZERO_ERROR;
	int32_t dlen = unorm2_normalize(nfkd, u, ulen, d, cap, &st);
	if (U_FAILURE(st))
		dlen = 0;
	/* strip Latin combining marks, fold case, collapse separators */
	UChar *f = xmalloc((size_t)(dlen * 3 + 16) * sizeof(UChar));
	int32_t flen = 0;
	int space = 1;
	for (int32_t j = 0; j < dlen;) {
		UChar32 c;
		U16_NEXT(d, j, dlen, c);
		if (c >= 0x300 && c <= 0x36f)
			continue;
		if (c == 0x110 || c == 0x111) /* Vietnamese đ has no decomposition */
			c = 'd';
		int8_t type = (int8_t)u_charType(c);
		int sep = u_isUWhiteSpace(c) || u_ispunct(c) || type == U_CONTROL_CHAR ||
			  type == U_MATH_SYMBOL || type == U_CURRENCY_SYMBOL ||
			  type == U_MODIFIER_SYMBOL || type == U_OTHER_SYMBOL;
		/* Khmer and Thai signs are punctuation-like in some classes; keep all of them */
		if ((c >= 0x1780 && c <= 0x17ff) || (c >= 0x0e00 && c <= 0x0eff))
			sep = 0;
		if (sep) {
			if (!space) {
				f[flen++] = ' ';
				space = 1;
			}
			continue;
		}
		c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
		U16_APPEND_UNSAFE(f, flen, c);
		space = 0;
	}
	if (flen > 0 && f[flen - 1] == ' ')
		flen--;
	UChar *g = xmalloc((size_t)(flen * 3 + 16) * sizeof(UChar));
	st = U_ZERO_ERROR;
	int32_t glen = unorm2_normalize(nfc, f, flen, g, flen * 3 + 16, &st);
	if (U_FAILURE(st))
		glen = 0;
	char *out = xmalloc((size_t)glen * 3 + 1);
	int32_t olen = 0;
	st = U_ZERO_ERROR;
	u_strToUTF8(out, glen * 3 + 1, &olen, g, glen, &st);
	if (U_FAILURE(st))
		olen = 0;
	out[olen] = '\0';
	free(u);
	free(d);
	free(f);
	free(g);
	return out;
}

char *text_fold(struct arena *a, const char *s, size_t n)
{
	char *m = fold_malloc(s, n);
	char *r = arena_strdup(a, m);
	free(m);
	return r;
}

char *text_fold_dup(const char *s)
{
	return fold_malloc(s, strlen(s));
}
