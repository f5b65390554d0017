/*
 * romanise.c - names in any script to lowercase ASCII words (see names.h).
 *
 * The name is cut into runs of one script; each run is romanised by its
 * own rules and the words of all runs are joined with single spaces.
 * Khmer: khmer.c.  Thai (RTGS) and Lao (BGN/PCGN 1966): the syllable
 * engine below with one table per script (ICU's Thai-Latin is ISO 11940,
 * a letter-by-letter transliteration that gives "smchay" for สมชาย where
 * RTGS and every Thai document say "somchai").  Cyrillic: a BGN/PCGN table.
 * Latin: the base letter of each canonical decomposition (Vietnamese
 * "Nguyễn" → "nguyen"), đ → d and a few letters without decomposition.
 * Han: ICU Han-Latin (Hanyu Pinyin), tones removed.  Other scripts: ICU
 * Any-Latin then Latin-ASCII.
 */
#include "text/names.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/utf8.h>

/* ---- scripts ------------------------------------------------------------ */

static int is_mark(uint32_t c)
{
	int8_t t = u_charType((UChar32)c);
	return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

static int is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
		(c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF) ||
		c == 0x3007;
}

/* The script of a letter; -1 for separators (space, punctuation, digits,
 * symbols), -2 for marks and joiners that belong to the letter before. */
static int cp_script(uint32_t c)
{
	if (c < 0x80) {
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			return NAME_SCRIPT_LATIN;
		if (c == '-' || c == '\'')
			return -2; /* joins: "Chan-o-cha" is one word */
		return -1;
	}
	if (c == 0x2010 || c == 0x2011 || c == 0x2019)
		return -2;
	if (c >= 0x300 && c <= 0x36F)
		return -2;
	if (c == 0x200C || c == 0x200D || c == 0xFE0F)
		return -2;
	if (c >= 0x1780 && c <= 0x17FF) {
		if ((c >= 0x17D4 && c <= 0x17DA) || (c >= 0x17E0 && c <= 0x17F9))
			return -1;
		return NAME_SCRIPT_KHMER;
	}
	if (c >= 0x19E0 && c <= 0x19FF)
		return -1;
	if (c >= 0x0E00 && c <= 0x0E7F) {
		if (c == 0x0E2F || c == 0x0E46 || c == 0x0E4F || c >= 0x0E50)
			return -1;
		return NAME_SCRIPT_THAI;
	}
	if (c >= 0x0E80 && c <= 0x0EFF) {
		if (c == 0x0EAF || c == 0x0EC6 || (c >= 0x0ED0 && c <= 0x0ED9))
			return -1;
		return NAME_SCRIPT_LAO;
	}
	if (is_han(c))
		return NAME_SCRIPT_HAN;
	if ((c >= 0x400 && c <= 0x52F) || (c >= 0x1C80 && c <= 0x1C8F))
		return is_mark(c) ? -2 : NAME_SCRIPT_CYRILLIC;
	if ((c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	    (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x250 && c <= 0x2AF))
		return NAME_SCRIPT_LATIN;
	if (is_mark(c))
		return -2;
	if (u_isalpha((UChar32)c)) {
		if (c >= 0xFF21 && c <= 0xFF5A)
			return NAME_SCRIPT_LATIN;
		return NAME_SCRIPT_OTHER;
	}
	return -1;
}

/* Decodes s into a malloc'd array of code points; -1 and the offset of the
 * first bad byte for invalid UTF-8. */
static int decode(const char *s, uint32_t **cps, size_t *n, size_t *bad)
{
	size_t len = strlen(s);
	uint32_t *a = malloc((len + 1) * sizeof(*a));
	if (!a)
		abort();
	size_t k = 0;
	int32_t i = 0;
	while ((size_t)i < len) {
		int32_t at = i;
		UChar32 c;
		U8_NEXT(s, i, (int32_t)len, c);
		if (c < 0) {
			free(a);
			*bad = (size_t)at;
			return -1;
		}
		a[k++] = (uint32_t)c;
	}
	*cps = a;
	*n = k;
	return 0;
}

enum name_script name_script_of(const char *utf8)
{
	int found = -1;
	int32_t len = (int32_t)strlen(utf8), i = 0;
	while (i < len) {
		UChar32 c;
		U8_NEXT(utf8, i, len, c);
		if (c < 0)
			return NAME_SCRIPT_OTHER;
		int s = cp_script((uint32_t)c);
		if (s < 0)
			continue;
		if (found < 0)
			found = s;
		else if (found != s)
			return NAME_SCRIPT_MIXED;
	}
	return found < 0 ? NAME_SCRIPT_OTHER : (enum name_script)found;
}

static const char *const script_codes[] = {
	[NAME_SCRIPT_LATIN] = "Latn", [NAME_SCRIPT_KHMER] = "Khmr",
	[NAME_SCRIPT_THAI] = "Thai", [NAME_SCRIPT_LAO] = "Laoo",
	[NAME_SCRIPT_HAN] = "Hani", [NAME_SCRIPT_CYRILLIC] = "Cyrl",
	[NAME_SCRIPT_OTHER] = "Zzzz", [NAME_SCRIPT_MIXED] = "Zyyy",
};

const char *name_script_code(enum name_script s)
{
	if ((unsigned)s > NAME_SCRIPT_MIXED)
		return "Zzzz";
	return script_codes[s];
}

int name_script_parse(const char *code, enum name_script *out)
{
	if (!code || strlen(code) != 4)
		return -1;
	char c[5];
	for (int i = 0; i < 4; i++) {
		char ch = code[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		c[i] = ch;
	}
	c[4] = '\0';
	if (strcmp(c, "hans") == 0 || strcmp(c, "hant") == 0) {
		*out = NAME_SCRIPT_HAN;
		return 0;
	}
	for (int s = 0; s <= NAME_SCRIPT_MIXED; s++) {
		const char *k = script_codes[s];
		int eq = 1;
		for (int i = 0; i < 4; i++) {
			char ch = k[i];
			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch + 32);
			if (ch != c[i])
				eq = 0;
		}
		if (eq) {
			*out = (enum name_script)s;
			return 0;
		}
	}
	return -1;
}

/* ---- ICU transliterators, one set per thread ---------------------------- */

/*
 * Han characters are romanised one at a time (han_add), and ICU's Han-Latin
 * costs tens of microseconds a character, so each thread remembers what a
 * character gave (up to HAN_CACHE_MAX characters; the output of one
 * character, at most HAN_TEXT_MAX bytes, does not depend on anything else).
 */
enum { HAN_CACHE_MAX = 1 << 16, HAN_TEXT_MAX = 11 };

struct han_ent {
	uint32_t cp;              /* code point + 1; 0 empty */
	unsigned char len;
	char text[HAN_TEXT_MAX];
};

struct translit {
	UTransliterator *han;
	UTransliterator *any;
	struct han_ent *han_cache; /* open addressing, cap a power of two */
	uint32_t han_cap, han_n;
};

static pthread_once_t translit_once = PTHREAD_ONCE_INIT;
static pthread_key_t translit_key;

static void translit_free(void *p)
{
	struct translit *t = p;
	if (t->han)
		utrans_close(t->han);
	if (t->any)
		utrans_close(t->any);
	free(t->han_cache);
	free(t);
}

static void translit_key_make(void)
{
	pthread_key_create(&translit_key, translit_free);
}

static UTransliterator *open_id(const char *id)
{
	UChar uid[64];
	int32_t n = (int32_t)strnlen(id, 63);
	for (int32_t i = 0; i < n; i++)
		uid[i] = (UChar)id[i];
	UErrorCode st = U_ZERO_ERROR;
	UTransliterator *t = utrans_openU(uid, n, UTRANS_FORWARD, NULL, 0, NULL, &st);
	return U_FAILURE(st) ? NULL : t;
}

static struct translit *translit_ctx(void)
{
	pthread_once(&translit_once, translit_key_make);
	struct translit *t = pthread_getspecific(translit_key);
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			abort();
		pthread_setspecific(translit_key, t);
	}
	return t;
}

static UTransliterator *translit_get(int han)
{
	struct translit *t = translit_ctx();
	if (han && !t->han)
		t->han = open_id("Han-Latin; Latin-ASCII");
	if (!han && !t->any)
		t->any = open_id("Any-Latin; Latin-ASCII");
	return han ? t->han : t->any;
}

/* Appends the transliteration of n code points, lower-cased, anything but
 * ASCII letters becoming a space. */
static int icu_add(struct dynbuf *out, UTransliterator *tr, const uint32_t *cp, size_t n)
{
	if (!tr)
		return 0;
	int32_t cap = (int32_t)(n * 2 + 8) * 8;
	UChar *u = malloc((size_t)cap * sizeof(UChar));
	if (!u)
		abort();
	int32_t len = 0;
	for (size_t i = 0; i < n; i++)
		U16_APPEND_UNSAFE(u, len, cp[i]);
	int32_t limit = len;
	UErrorCode st = U_ZERO_ERROR;
	utrans_transUChars(tr, u, &len, cap, 0, &limit, &st);
	int rc = 0;
	if (U_SUCCESS(st)) {
		for (int32_t i = 0; i < len && rc == 0; i++) {
			UChar c = u[i];
			if (c >= 'A' && c <= 'Z')
				c = (UChar)(c + 32);
			rc = dynbuf_addc(out, (c >= 'a' && c <= 'z') ? (char)c : ' ');
		}
	}
	free(u);
	return rc;
}

/* ---- Latin and Cyrillic ------------------------------------------------- */

static const char *latin_special(uint32_t c)
{
	switch (c) {
	case 0x110: case 0x111: case 0xD0: case 0xF0: case 0x189: case 0x256:
		return "d";
	case 0xDF: return "ss";
	case 0xC6: case 0xE6: return "ae";
	case 0x152: case 0x153: return "oe";
	case 0xD8: case 0xF8: return "o";
	case 0x141: case 0x142: return "l";
	case 0xDE: case 0xFE: return "th";
	case 0x131: return "i";
	case 0x127: case 0x126: return "h";
	case 0x14A: case 0x14B: return "ng";
	default: return NULL;
	}
}

static int latin_add(struct dynbuf *out, uint32_t c)
{
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			c += 32;
		return dynbuf_addc(out, (char)c);
	}
	if (c >= 0xFF21 && c <= 0xFF3A)
		return dynbuf_addc(out, (char)('a' + (c - 0xFF21)));
	if (c >= 0xFF41 && c <= 0xFF5A)
		return dynbuf_addc(out, (char)('a' + (c - 0xFF41)));
	const char *sp = latin_special(c);
	if (sp)
		return dynbuf_adds(out, sp);
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
	UChar d[8];
	if (U_SUCCESS(st)) {
		int32_t n = unorm2_getDecomposition(nfd, (UChar32)c, d, 8, &st);
		if (U_SUCCESS(st) && n > 0 && d[0] < 0x80) {
			UChar b = d[0];
			if (b >= 'A' && b <= 'Z')
				b = (UChar)(b + 32);
			if (b >= 'a' && b <= 'z')
				return dynbuf_addc(out, (char)b);
		}
	}
	return 0; /* a letter without an ASCII base: dropped */
}

/* BGN/PCGN for Russian, with Ukrainian and Belarusian letters. */
static const char *cyrillic(uint32_t c)
{
	static const char *const ru[32] = {
		"a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m",
		"n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh",
		"shch", "", "y", "", "e", "yu", "ya",
	};
	if (c >= 0x410 && c <= 0x42F)
		return ru[c - 0x410];
	if (c >= 0x430 && c <= 0x44F)
		return ru[c - 0x430];
	switch (c) {
	case 0x401: case 0x451: return "e";   /* ё */
	case 0x404: case 0x454: return "ye";  /* є */
	case 0x406: case 0x456: return "i";   /* і */
	case 0x407: case 0x457: return "yi";  /* ї */
	case 0x490: case 0x491: return "g";   /* ґ */
	case 0x40E: case 0x45E: return "w";   /* ў */
	case 0x402: case 0x452: return "dj";
	case 0x408: case 0x458: return "j";
	case 0x409: case 0x459: return "lj";
	case 0x40A: case 0x45A: return "nj";
	case 0x40B: case 0x45B: return "c";
	case 0x40F: case 0x45F: return "dz";
	case 0x405: case 0x455: return "dz";
	case 0x403: case 0x453: return "g";
	case 0x40C: case 0x45C: return "k";
	default: return "";
	}
}

/* ---- Han ---------------------------------------------------------------- */

/* Compound surnames (two characters, written as one word in pinyin). */
static const uint32_t compound_surnames[][2] = {
	{ 0x6B27, 0x9633 }, /* 欧阳 ouyang */
	{ 0x53F8, 0x9A6C }, /* 司马 sima */
	{ 0x8BF8, 0x845B }, /* 诸葛 zhuge */
	{ 0x4E0A, 0x5B98 }, /* 上官 shangguan */
	{ 0x4E1C, 0x65B9 }, /* 东方 dongfang */
	{ 0x7687, 0x752B }, /* 皇甫 huangfu */
	{ 0x4EE4, 0x72D0 }, /* 令狐 linghu */
	{ 0x6155, 0x5BB9 }, /* 慕容 murong */
	{ 0x590F, 0x4FAF }, /* 夏侯 xiahou */
	{ 0x516C, 0x5B59 }, /* 公孙 gongsun */
	{ 0x53F8, 0x5F92 }, /* 司徒 situ */
	{ 0x5B87, 0x6587 }, /* 宇文 yuwen */
	{ 0x6B50, 0x967D }, /* 歐陽 */
	{ 0x53F8, 0x99AC }, /* 司馬 */
	{ 0x8AF8, 0x845B }, /* 諸葛 */
};

/* The cache's slot for c: its entry, or the empty slot where it would go. */
static struct han_ent *han_slot(const struct translit *t, uint32_t c)
{
	uint32_t mask = t->han_cap - 1;
	for (uint32_t i = (c * 2654435761u) & mask;; i = (i + 1) & mask)
		if (!t->han_cache[i].cp || t->han_cache[i].cp == c + 1)
			return &t->han_cache[i];
}

/* What the thread remembers of c, or NULL. */
static const struct han_ent *han_cached(const struct translit *t, uint32_t c)
{
	if (!t->han_cap)
		return NULL;
	const struct han_ent *e = han_slot(t, c);
	return e->cp ? e : NULL;
}

/* Remembers that c gave text (len bytes), while there is room. */
static void han_remember(struct translit *t, uint32_t c, const char *text, size_t len)
{
	if (len > HAN_TEXT_MAX || t->han_n >= HAN_CACHE_MAX)
		return;
	if ((t->han_n + 1) * 2 > t->han_cap) {
		struct translit bigger = { .han_cap = t->han_cap ? t->han_cap * 2 : 1024 };
		bigger.han_cache = calloc(bigger.han_cap, sizeof *bigger.han_cache);
		if (!bigger.han_cache)
			abort();
		for (uint32_t i = 0; i < t->han_cap; i++)
			if (t->han_cache[i].cp)
				*han_slot(&bigger, t->han_cache[i].cp - 1) = t->han_cache[i];
		free(t->han_cache);
		t->han_cache = bigger.han_cache;
		t->han_cap = bigger.han_cap;
	}
	struct han_ent *e = han_slot(t, c);
	if (e->cp)
		return;
	e->cp = c + 1;
	e->len = (unsigned char)len;
	memcpy(e->text, text, len);
	t->han_n++;
}

/* A Han run: surname as one word, the given name joined as one word
 * (王伟 → "wang wei", 李小龙 → "li xiaolong", 欧阳娜娜 → "ouyang nana"). */
static int han_add(struct dynbuf *out, const uint32_t *cp, size_t n)
{
	struct translit *t = translit_ctx();
	UTransliterator *tr = translit_get(1);
	size_t sur = 1;
	if (n >= 3)
		for (size_t i = 0; i < sizeof(compound_surnames) / sizeof(compound_surnames[0]); i++)
			if (cp[0] == compound_surnames[i][0] && cp[1] == compound_surnames[i][1])
				sur = 2;
	if (n > 4)
		sur = n; /* not a personal name: one word per syllable */
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (i == sur || sur == n) && dynbuf_addc(out, ' ') < 0)
			return -1;
		const struct han_ent *e = han_cached(t, cp[i]);
		if (e) {
			if (e->len && dynbuf_add(out, e->text, e->len) < 0)
				return -1;
			continue;
		}
		size_t before = out->len;
		if (icu_add(out, tr, cp + i, 1) < 0)
			return -1;
		/* drop spaces ICU put inside a syllable's output */
		size_t k = before;
		for (size_t j = before; j < out->len; j++)
			if (out->buf[j] != ' ')
				out->buf[k++] = out->buf[j];
		out->len = k;
		if (out->buf)
			out->buf[k] = '\0';
		if (tr)
			han_remember(t, cp[i], out->buf + before, k - before);
	}
	return 0;
}

/* ---- Thai and Lao: syllables -------------------------------------------- */

enum tcls { T_NONE, T_CONS, T_PRE, T_MARK, T_POST, T_TONE, T_KARAN, T_SHORT };

struct tscript {
	uint32_t base;                   /* first code point of the block */
	const char *const *init;         /* per offset: initial (NULL: not a consonant) */
	const char *const *fin;          /* per offset: final */
	const char *const *vow;          /* per offset: vowel sound of a mark */
	const unsigned char *cls;        /* per offset: enum tcls */
	uint32_t ro, lo, wo, yo, oo, ho; /* ร ล ว ย อ ห */
	uint32_t sara_a, sara_aa, mai_han_akat, sara_e, sara_ii, sara_uee, sara_i;
	int lao;
};

#define TH(x) [(x) - 0x0E00]

static const char *const thai_init[128] = {
	TH(0x0E01) = "k", TH(0x0E02) = "kh", TH(0x0E03) = "kh", TH(0x0E04) = "kh",
	TH(0x0E05) = "kh", TH(0x0E06) = "kh", TH(0x0E07) = "ng", TH(0x0E08) = "ch",
	TH(0x0E09) = "ch", TH(0x0E0A) = "ch", TH(0x0E0B) = "s", TH(0x0E0C) = "ch",
	TH(0x0E0D) = "y", TH(0x0E0E) = "d", TH(0x0E0F) = "t", TH(0x0E10) = "th",
	TH(0x0E11) = "th", TH(0x0E12) = "th", TH(0x0E13) = "n", TH(0x0E14) = "d",
	TH(0x0E15) = "t", TH(0x0E16) = "th", TH(0x0E17) = "th", TH(0x0E18) = "th",
	TH(0x0E19) = "n", TH(0x0E1A) = "b", TH(0x0E1B) = "p", TH(0x0E1C) = "ph",
	TH(0x0E1D) = "f", TH(0x0E1E) = "ph", TH(0x0E1F) = "f", TH(0x0E20) = "ph",
	TH(0x0E21) = "m", TH(0x0E22) = "y", TH(0x0E23) = "r", TH(0x0E24) = "rue",
	TH(0x0E25) = "l", TH(0x0E26) = "lue", TH(0x0E27) = "w", TH(0x0E28) = "s",
	TH(0x0E29) = "s", TH(0x0E2A) = "s", TH(0x0E2B) = "h", TH(0x0E2C) = "l",
	TH(0x0E2D) = "", TH(0x0E2E) = "h",
};
static const char *const thai_fin[128] = {
	TH(0x0E01) = "k", TH(0x0E02) = "k", TH(0x0E03) = "k", TH(0x0E04) = "k",
	TH(0x0E05) = "k", TH(0x0E06) = "k", TH(0x0E07) = "ng", TH(0x0E08) = "t",
	TH(0x0E09) = "t", TH(0x0E0A) = "t", TH(0x0E0B) = "t", TH(0x0E0C) = "t",
	TH(0x0E0D) = "n", TH(0x0E0E) = "t", TH(0x0E0F) = "t", TH(0x0E10) = "t",
	TH(0x0E11) = "t", TH(0x0E12) = "t", TH(0x0E13) = "n", TH(0x0E14) = "t",
	TH(0x0E15) = "t", TH(0x0E16) = "t", TH(0x0E17) = "t", TH(0x0E18) = "t",
	TH(0x0E19) = "n", TH(0x0E1A) = "p", TH(0x0E1B) = "p", TH(0x0E1C) = "p",
	TH(0x0E1D) = "p", TH(0x0E1E) = "p", TH(0x0E1F) = "p", TH(0x0E20) = "p",
	TH(0x0E21) = "m", TH(0x0E22) = "i", TH(0x0E23) = "n", TH(0x0E24) = "",
	TH(0x0E25) = "n", TH(0x0E26) = "", TH(0x0E27) = "o", TH(0x0E28) = "t",
	TH(0x0E29) = "t", TH(0x0E2A) = "t", TH(0x0E2B) = "", TH(0x0E2C) = "n",
	TH(0x0E2D) = "", TH(0x0E2E) = "",
};
static const char *const thai_vow[128] = {
	TH(0x0E30) = "a", TH(0x0E31) = "a", TH(0x0E32) = "a", TH(0x0E33) = "am",
	TH(0x0E34) = "i", TH(0x0E35) = "i", TH(0x0E36) = "ue", TH(0x0E37) = "ue",
	TH(0x0E38) = "u", TH(0x0E39) = "u", TH(0x0E40) = "e", TH(0x0E41) = "ae",
	TH(0x0E42) = "o", TH(0x0E43) = "ai", TH(0x0E44) = "ai", TH(0x0E4D) = "am",
};
static unsigned char thai_cls[128];

#define LO(x) [(x) - 0x0E80]

static const char *const lao_init[128] = {
	LO(0x0E81) = "k", LO(0x0E82) = "kh", LO(0x0E84) = "kh", LO(0x0E86) = "kh",
	LO(0x0E87) = "ng", LO(0x0E88) = "ch", LO(0x0E89) = "ch", LO(0x0E8A) = "x",
	LO(0x0E8C) = "ch", LO(0x0E8D) = "gn", LO(0x0E8E) = "d", LO(0x0E8F) = "t",
	LO(0x0E90) = "th", LO(0x0E91) = "th", LO(0x0E92) = "th", LO(0x0E93) = "n",
	LO(0x0E94) = "d", LO(0x0E95) = "t", LO(0x0E96) = "th", LO(0x0E97) = "th",
	LO(0x0E98) = "th", LO(0x0E99) = "n", LO(0x0E9A) = "b", LO(0x0E9B) = "p",
	LO(0x0E9C) = "ph", LO(0x0E9D) = "f", LO(0x0E9E) = "ph", LO(0x0E9F) = "f",
	LO(0x0EA0) = "ph", LO(0x0EA1) = "m", LO(0x0EA2) = "y", LO(0x0EA3) = "r",
	LO(0x0EA5) = "l", LO(0x0EA7) = "v", LO(0x0EA8) = "s", LO(0x0EA9) = "s",
	LO(0x0EAA) = "s", LO(0x0EAB) = "h", LO(0x0EAC) = "l", LO(0x0EAD) = "",
	LO(0x0EAE) = "h", LO(0x0EDC) = "n", LO(0x0EDD) = "m", LO(0x0EDE) = "k",
	LO(0x0EDF) = "ny",
};
static const char *const lao_fin[128] = {
	LO(0x0E81) = "k", LO(0x0E82) = "k", LO(0x0E84) = "k", LO(0x0E86) = "k",
	LO(0x0E87) = "ng", LO(0x0E88) = "t", LO(0x0E89) = "t", LO(0x0E8A) = "t",
	LO(0x0E8C) = "t", LO(0x0E8D) = "y", LO(0x0E8E) = "t", LO(0x0E8F) = "t",
	LO(0x0E90) = "t", LO(0x0E91) = "t", LO(0x0E92) = "t", LO(0x0E93) = "n",
	LO(0x0E94) = "t", LO(0x0E95) = "t", LO(0x0E96) = "t", LO(0x0E97) = "t",
	LO(0x0E98) = "t", LO(0x0E99) = "n", LO(0x0E9A) = "p", LO(0x0E9B) = "p",
	LO(0x0E9C) = "p", LO(0x0E9D) = "p", LO(0x0E9E) = "p", LO(0x0E9F) = "p",
	LO(0x0EA0) = "p", LO(0x0EA1) = "m", LO(0x0EA2) = "y", LO(0x0EA3) = "n",
	LO(0x0EA5) = "n", LO(0x0EA7) = "o", LO(0x0EA8) = "t", LO(0x0EA9) = "t",
	LO(0x0EAA) = "t", LO(0x0EAB) = "", LO(0x0EAC) = "n", LO(0x0EAD) = "",
	LO(0x0EAE) = "", LO(0x0EDC) = "n", LO(0x0EDD) = "m", LO(0x0EDE) = "k",
	LO(0x0EDF) = "y",
};
static const char *const lao_vow[128] = {
	LO(0x0EB0) = "a", LO(0x0EB1) = "a", LO(0x0EB2) = "a", LO(0x0EB3) = "am",
	LO(0x0EB4) = "i", LO(0x0EB5) = "i", LO(0x0EB6) = "u", LO(0x0EB7) = "u",
	LO(0x0EB8) = "ou", LO(0x0EB9) = "ou", LO(0x0EBB) = "o", LO(0x0EBD) = "ia",
	LO(0x0EC0) = "e", LO(0x0EC1) = "e", LO(0x0EC2) = "o", LO(0x0EC3) = "ai",
	LO(0x0EC4) = "ai", LO(0x0ECD) = "o",
};
static unsigned char lao_cls[128];

static const struct tscript thai = {
	0x0E00, thai_init, thai_fin, thai_vow, thai_cls,
	0x0E23, 0x0E25, 0x0E27, 0x0E22, 0x0E2D, 0x0E2B,
	0x0E30, 0x0E32, 0x0E31, 0x0E40, 0x0E35, 0x0E37, 0x0E34, 0,
};
static const struct tscript lao = {
	0x0E80, lao_init, lao_fin, lao_vow, lao_cls,
	0x0EA3, 0x0EA5, 0x0EA7, 0x0E8D, 0x0EAD, 0x0EAB,
	0x0EB0, 0x0EB2, 0x0EB1, 0x0EC0, 0x0EB5, 0x0EB7, 0x0EB4, 1,
};

static pthread_once_t tcls_once = PTHREAD_ONCE_INIT;

static void tcls_make(void)
{
	for (int i = 0; i < 128; i++) {
		if (thai_init[i])
			thai_cls[i] = T_CONS;
		if (lao_init[i])
			lao_cls[i] = T_CONS;
	}
	for (uint32_t c = 0x0E40; c <= 0x0E44; c++)
		thai_cls[c - 0x0E00] = T_PRE;
	for (uint32_t c = 0x0EC0; c <= 0x0EC4; c++)
		lao_cls[c - 0x0E80] = T_PRE;
	static const uint16_t thai_marks[] = { 0x0E31, 0x0E34, 0x0E35, 0x0E36, 0x0E37, 0x0E38, 0x0E39, 0x0E4D };
	for (size_t i = 0; i < sizeof(thai_marks) / 2; i++)
		thai_cls[thai_marks[i] - 0x0E00] = T_MARK;
	static const uint16_t lao_marks[] = { 0x0EB1, 0x0EB4, 0x0EB5, 0x0EB6, 0x0EB7, 0x0EB8, 0x0EB9, 0x0EBB, 0x0ECD };
	for (size_t i = 0; i < sizeof(lao_marks) / 2; i++)
		lao_cls[lao_marks[i] - 0x0E80] = T_MARK;
	thai_cls[0x0E30 - 0x0E00] = thai_cls[0x0E32 - 0x0E00] = thai_cls[0x0E33 - 0x0E00] = T_POST;
	lao_cls[0x0EB0 - 0x0E80] = lao_cls[0x0EB2 - 0x0E80] = lao_cls[0x0EB3 - 0x0E80] = T_POST;
	lao_cls[0x0EBD - 0x0E80] = T_POST;
	for (uint32_t c = 0x0E48; c <= 0x0E4B; c++)
		thai_cls[c - 0x0E00] = T_TONE;
	for (uint32_t c = 0x0EC8; c <= 0x0ECB; c++)
		lao_cls[c - 0x0E80] = T_TONE;
	thai_cls[0x0E3A - 0x0E00] = thai_cls[0x0E4E - 0x0E00] = T_TONE;
	thai_cls[0x0E4C - 0x0E00] = T_KARAN;
	lao_cls[0x0ECC - 0x0E80] = T_KARAN;
	thai_cls[0x0E47 - 0x0E00] = T_SHORT;
	lao_cls[0x0EBC - 0x0E80] = T_SHORT; /* subscript lo: handled as a cluster */
}

static int tc(const struct tscript *t, uint32_t c)
{
	if (c < t->base || c >= t->base + 128)
		return T_NONE;
	return t->cls[c - t->base];
}

static int is_sonorant(const struct tscript *t, uint32_t c)
{
	if (t->lao)
		return c == 0x0E87 || c == 0x0E8D || c == 0x0E99 || c == 0x0EA1 ||
			c == 0x0EA2 || c == 0x0EA3 || c == 0x0EA5 || c == 0x0EA7;
	return c == 0x0E07 || c == 0x0E0D || c == 0x0E19 || c == 0x0E21 ||
		c == 0x0E22 || c == 0x0E23 || c == 0x0E25 || c == 0x0E27;
}

static int cluster_first(const struct tscript *t, uint32_t c)
{
	if (t->lao)
		return c == 0x0E81 || c == 0x0E82 || c == 0x0E84 || c == 0x0E9B ||
			c == 0x0E9E || c == 0x0E9C || c == 0x0E95;
	return c == 0x0E01 || c == 0x0E02 || c == 0x0E04 || c == 0x0E15 ||
		c == 0x0E1B || c == 0x0E1E || c == 0x0E1C || c == 0x0E17;
}

/* 1 if w[j] starts a syllable of its own: a consonant followed (after any
 * tone mark) by a vowel mark, a following vowel or a cluster. */
static int starts_syllable(const struct tscript *t, const uint32_t *w, size_t n, size_t j)
{
	if (j >= n || tc(t, w[j]) != T_CONS)
		return 0;
	size_t k = j + 1;
	while (k < n && tc(t, w[k]) == T_TONE)
		k++;
	if (k >= n)
		return 0;
	int c = tc(t, w[k]);
	if (c == T_MARK || c == T_POST || c == T_SHORT)
		return 1;
	return 0;
}

static int thai_word(struct dynbuf *out, const struct tscript *t, const uint32_t *w, size_t n)
{
	size_t i = 0;
	int nsyl = 0;
	while (i < n) {
		uint32_t pre = 0;
		if (tc(t, w[i]) == T_PRE)
			pre = w[i++];
		if (i >= n) {
			if (pre && dynbuf_adds(out, t->vow[pre - t->base]) < 0)
				return -1;
			break;
		}
		if (tc(t, w[i]) != T_CONS) {
			const char *v = t->vow[w[i] - t->base];
			if (v && tc(t, w[i]) != T_TONE && dynbuf_adds(out, v) < 0)
				return -1;
			i++;
			continue;
		}
		uint32_t on1 = w[i++], on2 = 0;
		/* ร after ศ ส ซ จ before a vowel is silent (ศรี "si", จริง "ching") */
		if (!t->lao && i < n && w[i] == t->ro && starts_syllable(t, w, n, i) &&
		    (on1 == 0x0E28 || on1 == 0x0E2A || on1 == 0x0E0B || on1 == 0x0E08))
			i++;
		/* a final ร standing alone at the end of a word is silent (วัตร) */
		if (!t->lao && !pre && on1 == t->ro && i == n && nsyl > 0)
			break;
		/* silent leading ห / อ before a sonorant, and true clusters */
		if (i < n && tc(t, w[i]) == T_CONS &&
		    (pre || starts_syllable(t, w, n, i) ||
		     (i + 1 < n && tc(t, w[i + 1]) == T_SHORT))) {
			if ((on1 == t->ho && is_sonorant(t, w[i])) ||
			    (on1 == t->oo && w[i] == t->yo && !t->lao)) {
				on1 = w[i++];
			} else if (cluster_first(t, on1) &&
				   (w[i] == t->ro || w[i] == t->lo || w[i] == t->wo)) {
				on2 = w[i++];
			}
		}
		const char *mark = NULL, *post = NULL, *special = NULL;
		int karan = 0;
		uint32_t markc = 0, postc = 0;
		while (i < n) {
			int c = tc(t, w[i]);
			if (c == T_MARK && !mark) {
				markc = w[i];
				mark = t->vow[w[i] - t->base];
			} else if (c == T_KARAN) {
				karan = 1;
			} else if (c == T_SHORT) {
				if (t->lao && w[i] == 0x0EBC && !on2)
					on2 = t->lo;
			} else if (c != T_TONE && c != T_MARK) {
				break;
			}
			i++;
		}
		if (karan)
			continue; /* a silenced consonant */
		if (i < n && tc(t, w[i]) == T_POST) {
			postc = w[i];
			post = t->vow[w[i++] - t->base];
			if (postc == t->sara_aa && i < n && w[i] == t->sara_a)
				i++; /* เ-าะ */
		}
		/* vowels written with อ ว ย */
		if (!special && i < n) {
			uint32_t c = w[i];
			int next_cons_or_end = i + 1 >= n || tc(t, w[i + 1]) == T_CONS ||
				tc(t, w[i + 1]) == T_PRE;
			if (pre == t->sara_e && markc == t->sara_ii && c == t->yo) {
				special = "ia";
				i++;
			} else if (pre == t->sara_e && markc == t->sara_uee && c == t->oo) {
				special = "uea";
				i++;
			} else if (pre == t->sara_e && !markc && !postc && c == t->oo) {
				special = "oe";
				i++;
			} else if (markc == t->mai_han_akat && c == t->wo) {
				special = "ua";
				i++;
			} else if (t->lao && markc == 0x0EBB && c == t->wo) {
				special = "oua";
				i++;
			} else if (!pre && !markc && !postc && c == t->wo && i + 1 < n &&
				   tc(t, w[i + 1]) == T_CONS && !starts_syllable(t, w, n, i + 1) &&
				   !starts_syllable(t, w, n, i)) {
				special = "ua";
				i++;
			} else if (!pre && !markc && !postc && c == t->oo && next_cons_or_end &&
				   !starts_syllable(t, w, n, i)) {
				special = "o";
				i++;
			} else if (markc == t->sara_uee && c == t->oo) {
				i++;
			}
		}
		if (pre == t->sara_e && markc == t->sara_i)
			special = "oe";
		if (t->lao && pre == t->sara_e && markc == 0x0EBB && postc == t->sara_aa)
			special = "ao";
		if (!t->lao && pre == t->sara_e && postc == t->sara_aa)
			special = "ao";
		if (!t->lao && pre == t->sara_e && postc == t->sara_aa && i > 0 && w[i - 1] == t->sara_a)
			special = "o";
		/* the final consonant; but a consonant followed by a last bare
		 * one (or by one and a silenced one) starts a syllable of its
		 * own when this one has no vowel or an open one: กมล "kamon",
		 * นิพนธ์ "niphon" (ั always takes a final: จันทร์) */
		const char *fin = NULL;
		int own = 0;
		if (i + 1 < n && tc(t, w[i]) == T_CONS && tc(t, w[i + 1]) == T_CONS &&
		    markc != t->mai_han_akat && !special && !post && !pre) {
			size_t k = i + 1;
			if (k + 1 == n && !starts_syllable(t, w, n, k))
				own = 1;
			if (k + 2 < n + 1 && k + 1 < n && tc(t, w[k + 1]) == T_CONS &&
			    k + 2 < n && tc(t, w[k + 2]) == T_KARAN && k + 3 == n)
				own = 1;
		}
		/* a word-final consonant with ิ after an open syllable is that
		 * syllable's final, the ิ not sounded: สมบัติ "sombat" */
		if (!own && nsyl >= 0 && i + 2 == n && tc(t, w[i]) == T_CONS &&
		    w[i + 1] == t->sara_i && (mark || post) && !t->lao) {
			fin = t->fin[w[i] - t->base];
			i = n;
		} else if (!own && i < n && tc(t, w[i]) == T_CONS && !starts_syllable(t, w, n, i)) {
			size_t k = i + 1;
			while (k < n && tc(t, w[k]) == T_TONE)
				k++;
			if (k < n && tc(t, w[k]) == T_KARAN) {
				i = k + 1; /* silent final */
				fin = "";
				if (!pre && !mark && !post && !special)
					continue; /* the whole syllable is silent (ทร์, ษณ์) */
			} else if (k < n && tc(t, w[k]) == T_CONS && k + 1 < n &&
				   tc(t, w[k + 1]) == T_KARAN) {
				fin = t->fin[w[i] - t->base];
				i = k + 2; /* final followed by a silenced one */
			} else {
				fin = t->fin[w[i] - t->base];
				i++;
			}
		}
		/* a lone consonant silenced by the one after it (จันทร์) */
		if (!pre && !mark && !post && !special && fin == NULL && i < n &&
		    tc(t, w[i]) == T_CONS && i + 1 < n && tc(t, w[i + 1]) == T_KARAN) {
			i += 2;
			continue;
		}
		if (dynbuf_adds(out, t->init[on1 - t->base]) < 0)
			return -1;
		if (on2 && dynbuf_adds(out, t->init[on2 - t->base]) < 0)
			return -1;
		const char *v;
		if (special)
			v = special;
		else if (pre && !mark && !post)
			v = t->vow[pre - t->base];
		else if (pre == t->sara_e && post)
			v = "e";
		else if (pre)
			v = t->vow[pre - t->base];
		else if (mark && post)
			v = post; /* ำ after a mark */
		else if (mark)
			v = mark;
		else if (post)
			v = post;
		else if (fin && *fin) /* inherent vowel */
			v = (fin[0] == 'o' || fin[0] == 'i') ? "a" : "o";
		else if (fin)
			v = "o";
		else
			v = "a";
		if (pre && markc == t->mai_han_akat)
			v = t->vow[pre - t->base];
		if (dynbuf_adds(out, v) < 0)
			return -1;
		if (fin && dynbuf_adds(out, fin) < 0)
			return -1;
		nsyl++;
	}
	return 0;
}

static int tl_add(struct dynbuf *out, const struct tscript *t, const uint32_t *cp, size_t n)
{
	pthread_once(&tcls_once, tcls_make);
	return thai_word(out, t, cp, n);
}

/* ---- the whole name ----------------------------------------------------- */

static int run_add(struct dynbuf *out, int script, const uint32_t *cp, size_t n)
{
	switch (script) {
	case NAME_SCRIPT_LATIN:
		for (size_t i = 0; i < n; i++)
			if (latin_add(out, cp[i]) < 0)
				return -1;
		return 0;
	case NAME_SCRIPT_CYRILLIC:
		for (size_t i = 0; i < n; i++) {
			/* е is "ye" word-initially and after a vowel (BGN/PCGN) */
			uint32_t c = cp[i] | 0x20;
			if (c == 0x435 && cp[i] >= 0x415) {
				if (i == 0 && dynbuf_addc(out, 'y') < 0)
					return -1;
			}
			if (dynbuf_adds(out, cyrillic(cp[i])) < 0)
				return -1;
		}
		return 0;
	case NAME_SCRIPT_KHMER:
		return name_romanise_khmer(cp, n, out);
	case NAME_SCRIPT_THAI:
		return tl_add(out, &thai, cp, n);
	case NAME_SCRIPT_LAO:
		return tl_add(out, &lao, cp, n);
	case NAME_SCRIPT_HAN:
		return han_add(out, cp, n);
	default:
		return icu_add(out, translit_get(0), cp, n);
	}
}

int name_romanise(const char *name, struct dynbuf *out, struct error *err)
{
	uint32_t *cp;
	size_t n, bad;
	if (decode(name, &cp, &n, &bad) < 0)
		return error_set(err, ERR_VALIDATION, "name is not valid UTF-8 at byte %zu", bad);
	struct dynbuf tmp = DYNBUF_INIT(out->max ? out->max * 2 + 64 : 1 << 20);
	/* runs of one script; generic combining marks (Latin diacritics) and
	 * joiners are dropped (the vowel signs of Khmer, Thai and Lao are in
	 * their own blocks and stay) */
	size_t i = 0;
	int rc = 0;
	while (i < n && rc == 0) {
		int s = cp_script(cp[i]);
		if (s < 0) {
			i++;
			continue;
		}
		size_t j = i;
		size_t k = i;
		while (j < n) {
			int sj = cp_script(cp[j]);
			if (sj == -2) {
				j++; /* combining diacritics and joiners */
				continue;
			}
			if (sj != s)
				break;
			cp[k++] = cp[j++];
		}
		if (tmp.len > 0)
			rc = dynbuf_addc(&tmp, ' ');
		if (rc == 0)
			rc = run_add(&tmp, s, cp + i, k - i);
		i = j;
	}
	free(cp);
	if (rc < 0) {
		dynbuf_free(&tmp);
		return error_set(err, ERR_TOO_LARGE, "name is too long");
	}
	/* words of lowercase ASCII letters, single spaces */
	const char *t = dynbuf_str(&tmp);
	int need_space = out->len > 0 && out->buf[out->len - 1] != ' ';
	int in_word = 0;
	for (; *t && rc == 0; t++) {
		char c = *t;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c >= 'a' && c <= 'z') {
			if (!in_word && need_space)
				rc = dynbuf_addc(out, ' ');
			if (rc == 0)
				rc = dynbuf_addc(out, c);
			in_word = 1;
			need_space = 1;
		} else {
			in_word = 0;
		}
	}
	dynbuf_free(&tmp);
	if (rc < 0)
		return error_set(err, ERR_TOO_LARGE, "romanised name is too long");
	return 0;
}
