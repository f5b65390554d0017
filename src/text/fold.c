#include "text/fold.h"

#include <stdint.h>
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

/*
 * Folding appends to one output buffer, with the state that joins its pieces:
 * whether the last thing written was a separator (or nothing yet).  ASCII
 * needs no Unicode tables: letters and digits stay (lower-cased), everything
 * else separates words, as the Unicode path does for them.  Each run of
 * non-ASCII characters goes through the Unicode path.  Cutting the text
 * between an ASCII character and a non-ASCII one changes nothing: the only
 * non-ASCII characters that normalise together with an ASCII neighbour are
 * the combining marks U+0300-U+036F, which the fold removes anyway (checked
 * against every code point, and by the unit tests against the Unicode path
 * over the whole text).
 */
struct ubuf {
	UChar *p;
	int32_t cap;
	int heap;                 /* p is malloc'd (else the caller's stack) */
};

/* Room inside the folder (on its caller's stack): most texts fold without
 * a malloc. */
enum { FOLD_STACK_OUT = 1024, FOLD_STACK_U = 512 };

struct folder {
	char *out;
	size_t len, cap;
	int out_heap;             /* out is malloc'd (else out_room) */
	int space;
	struct ubuf u, d, f, g;
	char out_room[FOLD_STACK_OUT];
	UChar u_room[4][FOLD_STACK_U];
};

static void folder_init(struct folder *fo)
{
	fo->len = 0;
	fo->out_heap = 0;
	fo->space = 1;
	fo->out = fo->out_room;
	fo->cap = sizeof fo->out_room;
	struct ubuf *b[4] = { &fo->u, &fo->d, &fo->f, &fo->g };
	for (int i = 0; i < 4; i++) {
		b[i]->p = fo->u_room[i];
		b[i]->cap = FOLD_STACK_U;
		b[i]->heap = 0;
	}
}

static void folder_free(struct folder *fo)
{
	if (fo->out_heap)
		free(fo->out);
	struct ubuf *b[4] = { &fo->u, &fo->d, &fo->f, &fo->g };
	for (int i = 0; i < 4; i++)
		if (b[i]->heap)
			free(b[i]->p);
}

/* Room for n units in b; what b held is not kept (each use fills it anew). */
static void ubuf_need(struct ubuf *b, int64_t n)
{
	if (n > INT32_MAX / 4)
		abort(); /* more than the text limits allow anywhere */
	if (n > b->cap) {
		if (b->heap)
			free(b->p);
		b->p = xreallocarray(NULL, (size_t)n, sizeof(UChar));
		b->cap = (int32_t)n;
		b->heap = 1;
	}
}

static void out_need(struct folder *fo, size_t more)
{
	if (fo->len + more + 1 > fo->cap) {
		fo->cap = (fo->len + more + 1) * 2;
		if (fo->out_heap) {
			fo->out = xrealloc(fo->out, fo->cap);
		} else {
			char *p = xmalloc(fo->cap);
			memcpy(p, fo->out, fo->len);
			fo->out = p;
			fo->out_heap = 1;
		}
	}
}

/* Folds the ASCII character c onto out at *len. */
static void ascii_step(char *out, size_t *len, int *space, unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
		out[(*len)++] = (char)c;
		*space = 0;
	} else if (c >= 'A' && c <= 'Z') {
		out[(*len)++] = (char)(c + 32);
		*space = 0;
	} else if (!*space) {
		out[(*len)++] = ' ';
		*space = 1;
	}
}

static void put_ascii(struct folder *fo, unsigned char c)
{
	ascii_step(fo->out, &fo->len, &fo->space, c);
}

/* Normalises src into b, grown to what ICU asks for; 0 on failure. */
static int32_t normalize(const UNormalizer2 *form, const UChar *src, int32_t len, struct ubuf *b)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t r = unorm2_normalize(form, src, len, b->p, b->cap, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		ubuf_need(b, (int64_t)r + 1);
		st = U_ZERO_ERROR;
		r = unorm2_normalize(form, src, len, b->p, b->cap, &st);
	}
	return U_FAILURE(st) ? 0 : r;
}

/* The Unicode path, for any UTF-8 text: NFKD, Latin combining marks dropped,
 * separators collapsed, case folded, NFC. */
static void fold_unicode(struct folder *fo, const char *s, size_t n)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&st);
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return;
	/* decode, dropping invalid sequences */
	ubuf_need(&fo->u, (int64_t)n + 1);
	int32_t ulen = 0;
	int32_t i = 0;
	while ((size_t)i < n) {
		UChar32 c;
		U8_NEXT(s, i, (int32_t)n, c);
		if (c < 0)
			continue;
		U16_APPEND_UNSAFE(fo->u.p, ulen, c);
	}
	ubuf_need(&fo->d, (int64_t)ulen * 2 + 16); /* most text; grown if not */
	int32_t dlen = normalize(nfkd, fo->u.p, ulen, &fo->d);
	/* strip Latin combining marks, fold case, collapse separators; a case
	 * fold is at most one code point, two UTF-16 units */
	ubuf_need(&fo->f, (int64_t)dlen * 2 + 1);
	int32_t flen = 0;
	const UChar *d = fo->d.p;
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
			if (!fo->space) {
				fo->f.p[flen++] = ' ';
				fo->space = 1;
			}
			continue;
		}
		c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
		U16_APPEND_UNSAFE(fo->f.p, flen, c);
		fo->space = 0;
	}
	ubuf_need(&fo->g, (int64_t)flen + 16);
	int32_t glen = normalize(nfc, fo->f.p, flen, &fo->g);
	out_need(fo, (size_t)glen * 3);
	int32_t olen = 0;
	st = U_ZERO_ERROR;
	u_strToUTF8(fo->out + fo->len, (int32_t)(fo->cap - fo->len), &olen, fo->g.p, glen, &st);
	if (U_SUCCESS(st))
		fo->len += (size_t)olen;
}

/* Folds s into fo (set up by folder_init); unicode_only sends every
 * character through the Unicode path.  fo->out holds fo->len bytes and a
 * NUL after. */
static void fold_into(struct folder *fo, const char *s, size_t n, int unicode_only)
{
	out_need(fo, 0);
	if (unicode_only) {
		fold_unicode(fo, s, n);
	} else {
		size_t i = 0;
		while (i < n) {
			size_t j = i;
			while (j < n && !((unsigned char)s[j] & 0x80))
				j++;
			out_need(fo, j - i);
			for (; i < j; i++)
				put_ascii(fo, (unsigned char)s[i]);
			while (j < n && ((unsigned char)s[j] & 0x80))
				j++;
			if (j > i)
				fold_unicode(fo, s + i, j - i);
			i = j;
		}
	}
	if (fo->len > 0 && fo->out[fo->len - 1] == ' ')
		fo->len--;
	fo->out[fo->len] = '\0';
}

/* Folds into a malloc'd string. */
static char *fold_malloc(const char *s, size_t n, int unicode_only)
{
	struct folder fo;
	folder_init(&fo);
	fold_into(&fo, s, n, unicode_only);
	char *r = xmalloc(fo.len + 1);
	memcpy(r, fo.out, fo.len + 1);
	folder_free(&fo);
	return r;
}

char *text_fold(struct arena *a, const char *s, size_t n)
{
	struct folder fo;
	folder_init(&fo);
	fold_into(&fo, s, n, 0);
	char *r = arena_strndup(a, fo.out, fo.len);
	folder_free(&fo);
	return r;
}

char *text_fold_dup(const char *s)
{
	return fold_malloc(s, strlen(s), 0);
}

char *text_fold_ascii(char *buf, size_t cap, const char *s)
{
	size_t len = 0;
	int space = 1;
	if (cap == 0)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c & 0x80)
			return NULL;
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if ((letter || !space) && len + 1 >= cap)
			return NULL; /* it would write a byte with no room for it and the NUL */
		ascii_step(buf, &len, &space, c);
	}
	if (len > 0 && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
	return buf;
}

char *text_fold_unicode_dup(const char *s, size_t n)
{
	return fold_malloc(s, n, 1);
}
