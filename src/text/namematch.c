/*
 * namematch.c - matching keys, the scorer and blocking terms (see names.h).
 *
 * A key holds the romanised words, each normalised for spelling variants
 * (table below), a phonetic key per word (consonant skeleton), the words
 * sorted, adjacent words joined, and the blocking terms.
 *
 * Scoring: words of the two names are paired greedily, best pair first;
 * a word may pair with two adjacent words of the other name joined
 * ("chantha" with "chan tha").  A pair scores 1 when equal (after the
 * variant table), else 1 - edits / longer length (optimal string
 * alignment: a transposition is one edit; two or more edits weigh 1.3
 * each), less 0.25 when the words differ only in their last two letters
 * (chantha, chanthy: usually two names) and 0.15 when they differ in the
 * first letter; at least 0.85 when the consonant keys, first and last
 * letters agree.  Words of 4 letters or fewer that differ are other names
 * unless only a vowel differs (mom, mam: 0.7).  Pairs under 0.5 are not
 * pairs.  A name's score is the letter-weighted mean of its pairs, each
 * unpaired word counting against it 1.2 times its length, or 0.6 times
 * when all the words of one name (of two or more) were paired (a dropped
 * middle name: "nguyen van hung", "nguyen hung" is 0.85; "sun chantha",
 * "chantha" is 0.77).  Two names sharing no blocking term are capped just
 * under NAME_MATCH_THRESHOLD, so the contract of name_key_terms holds by
 * construction.  Chinese-script names also match the Cantonese, Hokkien,
 * Wade-Giles and Vietnamese readings of their surname (table below).
 */
#include "text/names.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- spelling variants -------------------------------------------------- */

enum { ANY, START, END, END_AFTER_VOWEL };

struct variant {
	const char *from;
	const char *to;
	int where;
};

/*
 * Tried in order at each position; the first that applies wins, so longer
 * patterns come first and identities ("ng") protect letters from shorter
 * rules.  Sources: the variation seen between UNGEGN, ALA-LC and the
 * French-based spellings of Khmer names (o/ou/u/uo, ea/ia/ie, chh/ch/j, final
 * r/h, ph/p, th/t, kh/k, k/g, double letters, final eo/eu/ev), RTGS against
 * popular Thai spellings (ee/i, oo/u, w/v, j/ch, sr/s, final orn/arn/art),
 * Lao (x/s, gn/nh, final one) and Wade-Giles
 * against Hanyu Pinyin (q/ch, x/s, zh/ch).
 */
static const struct variant variants[] = {
	{ "aew", "eu", END },
	{ "aev", "eu", END },
	{ "eov", "eu", END },
	{ "ew", "eu", END },
	{ "ev", "eu", END },
	{ "eo", "eu", END },
	{ "orn", "un", END },
	{ "one", "un", END },
	{ "arn", "an", END },
	{ "art", "at", END },
	{ "ard", "at", END },
	{ "dh", "t", END },
	{ "chh", "ch", ANY },
	{ "tch", "ch", ANY },
	{ "iea", "ia", ANY },
	{ "oeu", "eu", ANY },
	{ "zh", "ch", ANY },
	{ "ch", "ch", ANY },
	{ "ng", "ng", ANY },
	{ "nh", "nh", ANY },
	{ "ny", "ni", END },
	{ "ny", "nh", ANY },
	{ "gn", "nh", ANY },
	{ "sr", "s", ANY },
	{ "kh", "k", ANY },
	{ "gh", "k", ANY },
	{ "ck", "k", ANY },
	{ "ph", "p", ANY },
	{ "th", "t", ANY },
	{ "dh", "d", ANY },
	{ "ea", "ia", ANY },
	{ "ie", "ia", ANY },
	{ "ee", "i", ANY },
	{ "oo", "u", ANY },
	{ "ou", "u", ANY },
	{ "uo", "u", ANY },
	{ "ov", "u", END },
	{ "ow", "u", END },
	{ "ey", "ei", ANY },
	{ "ay", "ai", ANY },
	{ "oy", "oi", ANY },
	{ "ae", "e", ANY },
	{ "oe", "eu", ANY },
	{ "au", "ao", ANY },
	{ "ao", "ao", ANY },
	{ "o", "u", ANY },
	{ "j", "ch", ANY },
	{ "q", "ch", ANY },
	{ "x", "s", ANY },
	{ "c", "k", ANY },
	{ "g", "k", ANY },
	{ "w", "v", ANY },
	{ "y", "i", END },
	{ "d", "t", END },
	{ "b", "p", END },
	{ "r", "", END_AFTER_VOWEL },
	{ "h", "", END_AFTER_VOWEL },
};

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Normalises the word w (lowercase ASCII) into out (at least 1600 bytes;
 * a longer result is cut); returns the length. */
static size_t normalise(const char *w, char *out)
{
	size_t n = strlen(w), j = 0;
	char tmp[1600];
	size_t t = 0;
	for (size_t i = 0; i < n && t + 4 < sizeof(tmp);) {
		int done = 0;
		for (size_t r = 0; r < sizeof(variants) / sizeof(variants[0]); r++) {
			const struct variant *v = &variants[r];
			if (v->from[0] != w[i])
				continue; /* cannot match here: skipped unmeasured */
			size_t fl = strlen(v->from);
			if (i + fl > n || memcmp(w + i, v->from, fl) != 0)
				continue;
			if (v->where == START && i != 0)
				continue;
			if ((v->where == END || v->where == END_AFTER_VOWEL) && i + fl != n)
				continue;
			if (v->where == END_AFTER_VOWEL && (i == 0 || !is_vowel(w[i - 1])))
				continue;
			size_t tl = strlen(v->to);
			memcpy(tmp + t, v->to, tl);
			t += tl;
			i += fl;
			done = 1;
			break;
		}
		if (!done)
			tmp[t++] = w[i++];
	}
	/* double letters collapse */
	for (size_t i = 0; i < t; i++)
		if (j == 0 || out[j - 1] != tmp[i])
			out[j++] = tmp[i];
	out[j] = '\0';
	return j;
}

/* Consonant skeleton: the first letter (a vowel as "a"), then consonants
 * with "ch" as c, "ng" as N, h dropped, repeats collapsed. */
static size_t phonetic(const char *w, char *out)
{
	size_t j = 0;
	for (size_t i = 0; w[i]; i++) {
		char c = w[i];
		if (i == 0) {
			out[j++] = is_vowel(c) ? 'a' : (c == 'c' ? 'c' : c);
			if (c == 'c' && w[1] == 'h')
				i++;
			else if (c == 'n' && w[1] == 'g')
				out[j - 1] = 'N', i++;
			continue;
		}
		if (is_vowel(c) || c == 'h')
			continue;
		if (c == 'c' && w[i + 1] == 'h') {
			i++;
		} else if (c == 'n' && w[i + 1] == 'g') {
			c = 'N';
			i++;
		}
		if (out[j - 1] != c)
			out[j++] = c;
	}
	out[j] = '\0';
	return j;
}

/* ---- Chinese surname readings ------------------------------------------- */

/* Hanyu Pinyin → Cantonese, Hokkien/Teochew, Wade-Giles and Vietnamese
 * readings of common surnames, as found in passports. */
static const char *const surname_readings[][8] = {
	{ "wang", "wong", "ong", "vuong", NULL },
	{ "li", "lee", "lei", "ly", "lie", NULL },
	{ "zhang", "cheung", "chang", "teo", "chong", "truong", NULL },
	{ "liu", "lau", "low", "lao", "luu", NULL },
	{ "chen", "chan", "tan", "chin", "tran", "chern", NULL },
	{ "yang", "yeung", "yong", "young", "duong", NULL },
	{ "huang", "wong", "ng", "ooi", "hoang", "huynh", NULL },
	{ "zhao", "chiu", "chao", "teo", "trieu", NULL },
	{ "wu", "ng", "goh", "ngo", "woo", NULL },
	{ "zhou", "chow", "chau", "chou", "chew", "chu", NULL },
	{ "xu", "tsui", "hsu", "chui", "koh", "hui", NULL },
	{ "sun", "suen", "soon", "sng", "ton", NULL },
	{ "ma", "mah", "mar", NULL },
	{ "zhu", "chu", "choo", "chue", NULL },
	{ "hu", "woo", "oh", "ho", NULL },
	{ "guo", "kwok", "kuo", "quach", "koay", NULL },
	{ "he", "ho", "hoe", "ha", NULL },
	{ "lin", "lam", "lim", "lum", "lam", NULL },
	{ "luo", "law", "lo", "loh", "la", NULL },
	{ "zheng", "cheng", "tay", "tee", "trinh", NULL },
	{ "liang", "leung", "leong", "neo", "luong", NULL },
	{ "xie", "tse", "cheah", "chia", "seah", "ta", NULL },
	{ "song", "sung", "soong", "tong", NULL },
	{ "tang", "tong", "tng", "duong", NULL },
	{ "deng", "tang", "teng", "dang", NULL },
	{ "feng", "fung", "fong", "phung", NULL },
	{ "han", "hon", "hang", NULL },
	{ "cao", "tso", "chou", "tao", NULL },
	{ "zeng", "tsang", "chan", "tang", NULL },
	{ "peng", "pang", "phang", "bang", NULL },
	{ "xiao", "siu", "seow", "hsiao", "tieu", NULL },
	{ "cai", "choi", "tsoi", "chua", "tsai", "thai", NULL },
	{ "pan", "poon", "phua", "phan", NULL },
	{ "ye", "yip", "yap", "ip", "diep", NULL },
	{ "jiang", "cheung", "chiang", "kong", "giang", NULL },
	{ "du", "to", "tou", "do", NULL },
	{ "su", "so", "soh", "to", NULL },
	{ "lu", "lo", "lou", "loo", "lui", "lu", NULL },
	{ "ding", "ting", "dinh", NULL },
	{ "shen", "sum", "sim", "shum", "tham", NULL },
	{ "yao", "yiu", "dieu", NULL },
	{ "zhong", "chung", "cheong", "chung", NULL },
	{ "fang", "fong", "png", "phuong", NULL },
	{ "liao", "liu", "leow", "lieu", NULL },
	{ "qiu", "yau", "khoo", "chiu", "khau", NULL },
	{ "ruan", "nguyen", "yuen", NULL },
	{ "wei", "ngai", "vi", NULL },
	{ "yu", "yee", "yue", "ee", "du", NULL },
	{ "gao", "ko", "kao", "cao", NULL },
	{ "lai", "lai", "lay", NULL },
	{ "ou", "au", "ow", NULL },
	{ "hou", "hau", NULL },
	{ "fu", "foo", "poh", "phu", NULL },
};

/* ---- keys --------------------------------------------------------------- */

struct termset {
	const char **t;
	size_t n, cap;
};

static void term_add(struct arena *ar, struct termset *ts, const char *s)
{
	if (!*s)
		return;
	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->t[i], s) == 0)
			return;
	ts->t = arena_grow(ar, ts->t, ts->n, &ts->cap, sizeof(*ts->t));
	ts->t[ts->n++] = arena_strdup(ar, s);
}

/* A phonetic key and, for keys of 3 letters or more, the key with one
 * letter deleted (so one substitution or deletion still shares a term). */
static void terms_of(struct arena *ar, struct termset *ts, const char *key)
{
	term_add(ar, ts, key);
	size_t n = strlen(key);
	if (n < 3 || n > 24)
		return;
	char d[32];
	for (size_t i = 0; i < n; i++) {
		memcpy(d, key, i);
		memcpy(d + i, key + i + 1, n - i);
		term_add(ar, ts, d);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int name_key_build(const char *name, struct arena *ar, struct name_key *out,
	struct error *err)
{
	memset(out, 0, sizeof(*out));
	struct dynbuf b = DYNBUF_INIT(1 << 16);
	if (name_romanise(name, &b, err) < 0) {
		dynbuf_free(&b);
		return -1;
	}
	out->script = name_script_of(name);
	out->romanised = arena_strdup(ar, dynbuf_str(&b));
	dynbuf_free(&b);

	/* words */
	const char *wstart[NAME_MAX_TOKENS];
	size_t wlen[NAME_MAX_TOKENS];
	size_t n = 0;
	for (const char *p = out->romanised; *p && n < NAME_MAX_TOKENS;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		wstart[n] = p;
		wlen[n] = (size_t)(q - p) > 64 ? 64 : (size_t)(q - p);
		n++;
		p = q;
	}
	out->ntokens = n;
	out->words = arena_alloc(ar, (n + 1) * sizeof(char *));
	out->tokens = arena_alloc(ar, (n + 1) * sizeof(char *));
	out->sorted = arena_alloc(ar, (n + 1) * sizeof(char *));
	out->phonetic = arena_alloc(ar, (n + 1) * sizeof(char *));
	out->joined = arena_alloc(ar, (n + 1) * sizeof(char *));
	char buf[1600], key[1600], skel[NAME_MAX_TOKENS * 64 + 1];
	size_t sl = 0;
	struct termset ts = { NULL, 0, 0 };
	for (size_t i = 0; i < n; i++) {
		out->words[i] = arena_strndup(ar, wstart[i], wlen[i]);
		size_t l = normalise(out->words[i], buf);
		out->tokens[i] = arena_strndup(ar, buf, l);
		phonetic(buf, key);
		out->phonetic[i] = arena_strdup(ar, key);
		out->sorted[i] = out->tokens[i];
		memcpy(skel + sl, out->words[i], wlen[i]);
		sl += wlen[i];
		terms_of(ar, &ts, key);
	}
	skel[sl] = '\0';
	normalise(skel, buf);
	out->skeleton = arena_strdup(ar, buf);
	phonetic(buf, key);
	out->skeleton_phonetic = arena_strdup(ar, key);
	if (n > 0)
		term_add(ar, &ts, key);
	for (size_t i = 0; i + 1 < n; i++) {
		/* the words joined, then normalised: "sok" + "ha" = "sokha" */
		char raw[132];
		snprintf(raw, sizeof(raw), "%s%s", out->words[i], out->words[i + 1]);
		size_t l = normalise(raw, buf);
		char *j = arena_strndup(ar, buf, l);
		out->joined[i] = j;
		phonetic(j, key);
		term_add(ar, &ts, key);
	}
	if (n > 1)
		qsort(out->sorted, n, sizeof(char *), cmp_str);
	/* Chinese surname readings */
	if (out->script == NAME_SCRIPT_HAN && n > 0) {
		for (size_t r = 0; r < sizeof(surname_readings) / sizeof(surname_readings[0]); r++) {
			if (strcmp(surname_readings[r][0], out->words[0]) != 0)
				continue;
			size_t na = 0;
			while (surname_readings[r][1 + na])
				na++;
			out->alts = arena_alloc(ar, (na + 1) * sizeof(char *));
			for (size_t a = 0; a < na; a++) {
				size_t l = normalise(surname_readings[r][1 + a], buf);
				out->alts[out->nalts++] = arena_strndup(ar, buf, l);
				phonetic(buf, key);
				term_add(ar, &ts, key);
			}
			break;
		}
	}
	if (ts.n > 1)
		qsort(ts.t, ts.n, sizeof(char *), cmp_str);
	out->terms = ts.t;
	out->nterms = ts.n;
	return 0;
}

size_t name_key_terms(const struct name_key *k, const char **terms, size_t max)
{
	for (size_t i = 0; i < k->nterms && i < max; i++)
		terms[i] = k->terms[i];
	return k->nterms;
}

/* ---- scoring ------------------------------------------------------------ */

#define MAXL 48

/* Optimal string alignment distance of a and b (first MAXL letters), or
 * some value above maxd as soon as it must exceed maxd. */
static int osa(const char *a, size_t la, const char *b, size_t lb, int maxd)
{
	if (la > MAXL)
		la = MAXL;
	if (lb > MAXL)
		lb = MAXL;
	int d0[MAXL + 1], d1[MAXL + 1], d2[MAXL + 1];
	int *pp = d0, *p = d1, *c = d2;
	for (size_t j = 0; j <= lb; j++)
		p[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		c[0] = (int)i;
		int rowmin = c[0];
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > maxd)
			return rowmin;
		int *t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb];
}

struct unit {
	const char *s;      /* normalised text */
	const char *ph;     /* phonetic key, or NULL for a joined pair */
	unsigned short len;
	unsigned short mask; /* tokens covered */
	short first;        /* index of the first token */
	short joined;
};

enum how { H_EXACT, H_EDIT, H_PHON, H_ALT };

struct pair {
	float sim;
	short ua, ub;
	unsigned char how;
	unsigned char dist;
};

static size_t units_of(const struct name_key *k, struct unit *u)
{
	size_t n = 0;
	for (size_t i = 0; i < k->ntokens; i++) {
		u[n] = (struct unit){ k->tokens[i], k->phonetic[i],
			(unsigned short)strlen(k->tokens[i]), (unsigned short)(1u << i),
			(short)i, 0 };
		n++;
	}
	for (size_t i = 0; i + 1 < k->ntokens; i++) {
		u[n] = (struct unit){ k->joined[i], NULL,
			(unsigned short)strlen(k->joined[i]), (unsigned short)(3u << i),
			(short)i, 1 };
		n++;
	}
	return n;
}

static int is_alt(const struct name_key *k, const struct unit *u, const char *other,
	const struct name_key *of)
{
	/* two names in Chinese script compare their pinyin */
	if (k->nalts == 0 || u->joined || u->first != 0 || of->script == NAME_SCRIPT_HAN)
		return 0;
	for (size_t i = 0; i < k->nalts; i++)
		if (strcmp(k->alts[i], other) == 0)
			return 1;
	return 0;
}

static void pair_sim(const struct name_key *a, const struct unit *x,
	const struct name_key *b, const struct unit *y, struct pair *p)
{
	p->dist = 0;
	if (x->len == y->len && memcmp(x->s, y->s, x->len) == 0) {
		p->sim = 1.0f;
		p->how = H_EXACT;
		return;
	}
	if (!y->joined && is_alt(a, x, y->s, b)) {
		p->sim = 0.95f;
		p->how = H_ALT;
		return;
	}
	if (!x->joined && is_alt(b, y, x->s, a)) {
		p->sim = 0.95f;
		p->how = H_ALT;
		return;
	}
	int lmax = x->len > y->len ? x->len : y->len;
	int ldiff = x->len > y->len ? x->len - y->len : y->len - x->len;
	if (ldiff * 2 > lmax) {
		p->sim = 0.0f;
		p->how = H_EDIT;
		return;
	}
	/* past lmax / 2 edits a pair scores under 0.5: stop counting there */
	int d = osa(x->s, x->len, y->s, y->len, lmax / 2);
	if (lmax <= 4) {
		/* short words differing in a consonant are other names (sun,
		 * sok); in a vowel only, often one name spelt two ways (mom,
		 * mam; kim, keam) */
		int vowels_only = x->ph && y->ph && strcmp(x->ph, y->ph) == 0 &&
			x->s[0] == y->s[0];
		p->sim = vowels_only ? 0.7f : 0.0f;
		p->how = vowels_only ? H_PHON : H_EDIT;
		p->dist = (unsigned char)d;
		return;
	}
	/* one edit is a typo as often as not; two or more, less often */
	float s = 1.0f - (d == 1 ? 1.0f : 1.3f * (float)d) / (float)lmax;
	p->how = H_EDIT;
	p->dist = (unsigned char)(d > 255 ? 255 : d);
	/* words that differ only in their last two letters are more often
	 * different names (chantha, chanthy; sophea, sopheap) than typos */
	size_t pre = 0;
	while (pre < x->len && pre < y->len && x->s[pre] == y->s[pre])
		pre++;
	if (lmax >= 4 && pre + 2 >= (size_t)lmax)
		s -= 0.25f;
	/* so are words that differ in their first letter (theary, neary) */
	else if (pre == 0)
		s -= 0.15f;
	/* the same consonants in the same places with vowels spelt
	 * differently inside the word (first and last letters agreeing) */
	else if (x->ph && y->ph && d <= 2 && lmax >= 5 && s < 0.85f &&
		 x->s[x->len - 1] == y->s[y->len - 1] && strcmp(x->ph, y->ph) == 0) {
		s = 0.85f;
		p->how = H_PHON;
	}
	p->sim = s;
}

static int share_term(const struct name_key *a, const struct name_key *b)
{
	size_t i = 0, j = 0;
	while (i < a->nterms && j < b->nterms) {
		int c = strcmp(a->terms[i], b->terms[j]);
		if (c == 0)
			return 1;
		if (c < 0)
			i++;
		else
			j++;
	}
	return 0;
}

struct why {
	char *buf;
	size_t size, len;
	int parts;
};

__attribute__((format(printf, 2, 3)))
static void why_add(struct why *w, const char *fmt, ...)
{
	if (!w->buf || w->size == 0 || w->len + 1 >= w->size)
		return;
	if (w->parts++ > 0) {
		int k = snprintf(w->buf + w->len, w->size - w->len, "; ");
		w->len += (size_t)k < w->size - w->len ? (size_t)k : w->size - w->len - 1;
	}
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(w->buf + w->len, w->size - w->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		w->len += (size_t)k < w->size - w->len ? (size_t)k : w->size - w->len - 1;
}

static const char *script_name(enum name_script s)
{
	switch (s) {
	case NAME_SCRIPT_KHMER: return "Khmer";
	case NAME_SCRIPT_THAI: return "Thai";
	case NAME_SCRIPT_LAO: return "Lao";
	case NAME_SCRIPT_HAN: return "Chinese";
	case NAME_SCRIPT_CYRILLIC: return "Cyrillic";
	case NAME_SCRIPT_MIXED: return "Mixed-script";
	default: return "Name";
	}
}

/* Writes the words a unit covers ("chan tha") into buf. */
static const char *unit_words(const struct name_key *k, const struct unit *u, char *buf, size_t size)
{
	if (!u->joined)
		return k->words[u->first];
	snprintf(buf, size, "%s %s", k->words[u->first], k->words[u->first + 1]);
	return buf;
}

double name_compare(const struct name_key *a, const struct name_key *b,
	char *why, size_t why_size)
{
	struct why w = { why, why_size, 0, 0 };
	if (why && why_size)
		why[0] = '\0';
	if (a->ntokens == 0 || b->ntokens == 0) {
		why_add(&w, "no letters to compare");
		return 0.0;
	}
	if (a->script != NAME_SCRIPT_LATIN && a->script != NAME_SCRIPT_OTHER)
		why_add(&w, "%s romanised → %s", script_name(a->script), a->romanised);
	if (b->script != NAME_SCRIPT_LATIN && b->script != NAME_SCRIPT_OTHER &&
	    !(b->script == a->script && strcmp(a->romanised, b->romanised) == 0))
		why_add(&w, "%s romanised → %s", script_name(b->script), b->romanised);

	/* same words? */
	if (a->ntokens == b->ntokens) {
		int same = 1;
		for (size_t i = 0; i < a->ntokens && same; i++)
			same = strcmp(a->sorted[i], b->sorted[i]) == 0;
		if (same) {
			int in_order = 1;
			for (size_t i = 0; i < a->ntokens && in_order; i++)
				in_order = strcmp(a->tokens[i], b->tokens[i]) == 0;
			/* the same words as written, in whatever order? */
			int spelt = 1;
			for (size_t i = 0; i < a->ntokens && spelt; i++) {
				int found = 0;
				for (size_t j = 0; j < b->ntokens && !found; j++)
					found = strcmp(a->words[i], b->words[j]) == 0;
				spelt = found;
			}
			if (!in_order)
				why_add(&w, spelt ? "same words, order swapped" :
					"same words up to spelling variants, order swapped");
			else if (!spelt && a->script == NAME_SCRIPT_LATIN && b->script == NAME_SCRIPT_LATIN)
				why_add(&w, "same name up to spelling variants");
			else
				why_add(&w, "same name");
			return 1.0;
		}
	}

	struct unit ua[2 * NAME_MAX_TOKENS], ub[2 * NAME_MAX_TOKENS];
	size_t na = units_of(a, ua), nb = units_of(b, ub);
	struct pair cand[4 * NAME_MAX_TOKENS * NAME_MAX_TOKENS];
	size_t nc = 0;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++) {
			if (ua[i].joined && ub[j].joined)
				continue;
			struct pair p;
			pair_sim(a, &ua[i], b, &ub[j], &p);
			if (p.sim < 0.5f)
				continue;
			p.ua = (short)i;
			p.ub = (short)j;
			/* a joined unit must beat its words paired one by one */
			if (ua[i].joined || ub[j].joined)
				p.sim -= 0.001f;
			cand[nc++] = p;
		}
	unsigned used_a = 0, used_b = 0;
	double num = 0, den = 0;
	struct pair chosen[NAME_MAX_TOKENS];
	size_t nch = 0;
	for (;;) {
		int best = -1;
		for (size_t c = 0; c < nc; c++) {
			if ((ua[cand[c].ua].mask & used_a) || (ub[cand[c].ub].mask & used_b))
				continue;
			if (best < 0 || cand[c].sim > cand[best].sim ||
			    (cand[c].sim == cand[best].sim &&
			     ua[cand[c].ua].len + ub[cand[c].ub].len >
			     ua[cand[best].ua].len + ub[cand[best].ub].len))
				best = (int)c;
		}
		if (best < 0)
			break;
		struct pair *p = &cand[best];
		used_a |= ua[p->ua].mask;
		used_b |= ub[p->ub].mask;
		double wgt = ua[p->ua].len + ub[p->ub].len;
		num += (p->sim > 0.998f ? 1.0 : p->sim) * wgt;
		den += wgt;
		if (nch < NAME_MAX_TOKENS)
			chosen[nch++] = *p;
	}
	double unmatched_a = 0, unmatched_b = 0;
	for (size_t i = 0; i < a->ntokens; i++)
		if (!(used_a & (1u << i)))
			unmatched_a += ua[i].len;
	for (size_t i = 0; i < b->ntokens; i++)
		if (!(used_b & (1u << i)))
			unmatched_b += ub[i].len;
	/* a word missing from a name of two or more words that are all in
	 * the other (a dropped middle name: nguyen van hung, nguyen hung)
	 * costs less than words missing on both sides or a lone word
	 * matching one of several (chantha, sun chantha) */
	double penalty = 1.2;
	if ((unmatched_a == 0 && a->ntokens >= 2) || (unmatched_b == 0 && b->ntokens >= 2))
		penalty = 0.6;
	den += penalty * (unmatched_a + unmatched_b);
	double score = den > 0 ? num / den : 0.0;

	/* explanation: pairs that were not exact, then what is missing */
	char b1[160], b2[160];
	int swapped = 0;
	for (size_t c = 0; c < nch; c++) {
		const struct pair *p = &chosen[c];
		const struct unit *x = &ua[p->ua], *y = &ub[p->ub];
		for (size_t d = 0; d < c; d++)
			if ((ua[chosen[d].ua].first < x->first) != (ub[chosen[d].ub].first < y->first))
				swapped = 1;
		const char *wx = unit_words(a, x, b1, sizeof(b1));
		const char *wy = unit_words(b, y, b2, sizeof(b2));
		if (x->joined || y->joined) {
			why_add(&w, "%s = %s (joined)", wx, wy);
		} else if (p->how == H_ALT) {
			why_add(&w, "surname reading %s = %s", wx, wy);
		} else if (p->how == H_PHON) {
			why_add(&w, "%s ~ %s sound alike", wx, wy);
		} else if (p->how == H_EDIT) {
			why_add(&w, "%s ~ %s edit distance %u", wx, wy, p->dist);
		} else if (strcmp(wx, wy) != 0 && a->script == NAME_SCRIPT_LATIN &&
			   b->script == NAME_SCRIPT_LATIN) {
			why_add(&w, "%s ~ %s spelling variant", wx, wy);
		}
	}
	if (swapped)
		why_add(&w, "order swapped");
	for (size_t i = 0; i < a->ntokens; i++)
		if (!(used_a & (1u << i)))
			why_add(&w, "%s not in the other name", a->words[i]);
	for (size_t i = 0; i < b->ntokens; i++)
		if (!(used_b & (1u << i)))
			why_add(&w, "%s not in the other name", b->words[i]);
	if (nch == 0)
		why_add(&w, "no word in common");
	if (score >= NAME_MATCH_THRESHOLD && !share_term(a, b)) {
		score = NAME_MATCH_THRESHOLD - 0.01;
		why_add(&w, "no phonetic key in common");
	}
	if (score > 0.999)
		score = 0.999; /* 1 is kept for the same words */
	return score;
}
