/*
 * khmer.c - romanisation of Khmer names (see names.h).
 *
 * ICU has no Khmer transliterator, so this is the project's own table.  The
 * consonants follow the UNGEGN system for Khmer (the 1972 system reported
 * by the UNGEGN Working Group on Romanization Systems); the vowels follow
 * the spellings usual in Cambodian documents and passports (French-based:
 * សុខ "sok", ស៊ុន "sun", សុភា "sophea", ស្រី "srey", ពៅ "pov"), because
 * that is how officers write names, rather than UNGEGN's diacritics.
 *
 * Every consonant belongs to the first ("a") or second ("o") series, and
 * the sound of a dependent vowel depends on the series of the consonant it
 * is written on (ា is "a" after ច, "ea" after ភ).  The register shifters
 * ៉ and ៊ move a consonant to the other series.  In a cluster (C1 ្ C2) the
 * series of C2 rules unless C2 is a sonorant.
 *
 * Syllables: a word is cut into units (a consonant with its subscripts,
 * shifter, vowel and signs).  A unit without a vowel is the final consonant
 * of the syllable before it when that syllable is still open and either the
 * unit is the last of the word, carries ់ (bantoc), or the next unit has a
 * vowel (ចាន់ថា = chan-tha, សុខ = sok); otherwise it is a syllable of its
 * own with the inherent vowel (សុផល = so-phal, រតនា = ra-ta-na).  A medial
 * C1 ្ C2 closes the open syllable before it with C1 and starts the next
 * with C2 (វណ្ណា = van-na); at the end of a word the subscript is silent
 * (ពិសិដ្ឋ = pi-set).
 */
#include "text/names.h"

#include <stdint.h>
#include <string.h>

enum { S1 = 1, S2 = 2 };

struct kcons {
	const char *init;   /* as an initial */
	const char *fin;    /* as a final */
	unsigned char series;
	unsigned char sonorant;
};

/* U+1780 .. U+17A2 */
static const struct kcons kcons[35] = {
	{ "k", "k", S1, 0 },    /* ក */
	{ "kh", "k", S1, 0 },   /* ខ */
	{ "k", "k", S2, 0 },    /* គ */
	{ "kh", "k", S2, 0 },   /* ឃ */
	{ "ng", "ng", S2, 1 },  /* ង */
	{ "ch", "ch", S1, 0 },  /* ច */
	{ "chh", "ch", S1, 0 }, /* ឆ */
	{ "ch", "ch", S2, 0 },  /* ជ */
	{ "chh", "ch", S2, 0 }, /* ឈ */
	{ "nh", "nh", S2, 1 },  /* ញ */
	{ "d", "t", S1, 0 },    /* ដ */
	{ "th", "t", S1, 0 },   /* ឋ */
	{ "d", "t", S2, 0 },    /* ឌ */
	{ "th", "t", S2, 0 },   /* ឍ */
	{ "n", "n", S1, 1 },    /* ណ */
	{ "t", "t", S1, 0 },    /* ត */
	{ "th", "t", S1, 0 },   /* ថ */
	{ "t", "t", S2, 0 },    /* ទ */
	{ "th", "t", S2, 0 },   /* ធ */
	{ "n", "n", S2, 1 },    /* ន */
	{ "b", "p", S1, 0 },    /* ប */
	{ "ph", "p", S1, 0 },   /* ផ */
	{ "p", "p", S2, 0 },    /* ព */
	{ "ph", "p", S2, 0 },   /* ភ */
	{ "m", "m", S2, 1 },    /* ម */
	{ "y", "y", S2, 1 },    /* យ */
	{ "r", "r", S2, 1 },    /* រ */
	{ "l", "l", S2, 1 },    /* ល */
	{ "v", "v", S2, 1 },    /* វ */
	{ "s", "s", S1, 0 },    /* ឝ (obsolete) */
	{ "s", "s", S1, 0 },    /* ឞ (obsolete) */
	{ "s", "s", S1, 0 },    /* ស */
	{ "h", "h", S1, 0 },    /* ហ */
	{ "l", "l", S1, 1 },    /* ឡ */
	{ "", "", S1, 0 },      /* អ: carries a vowel, not sounded */
};

/* Dependent vowels U+17B6 .. U+17C5: first series, second series. */
static const char *const kvowel[16][2] = {
	{ "a", "ea" },    /* ា */
	{ "e", "i" },     /* ិ */
	{ "ey", "i" },    /* ី */
	{ "oe", "i" },    /* ឹ */
	{ "eu", "eu" },   /* ឺ */
	{ "o", "u" },     /* ុ */
	{ "o", "u" },     /* ូ */
	{ "uo", "uo" },   /* ួ */
	{ "aeu", "eu" },  /* ើ */
	{ "oea", "oea" }, /* ឿ */
	{ "ie", "ie" },   /* ៀ */
	{ "e", "e" },     /* េ */
	{ "e", "e" },     /* ែ (UNGEGN "ê"; names: សែន "sen") */
	{ "ai", "ey" },   /* ៃ */
	{ "ao", "o" },    /* ោ */
	{ "ao", "ov" },   /* ៅ */
};

/* Independent vowels U+17A3 .. U+17B3. */
static const char *const kindep[17] = {
	"a", "a", "e", "ei", "o", "o", "ou", "ov", "rue", "rue", "lue", "lue",
	"e", "ai", "ao", "ao", "au",
};

static int is_cons(uint32_t c) { return c >= 0x1780 && c <= 0x17A2; }
static int is_dep_vowel(uint32_t c) { return c >= 0x17B6 && c <= 0x17C5; }

#define COENG 0x17D2
#define MUSIKATOAN 0x17C9 /* ៉ to first series */
#define TRIISAP 0x17CA    /* ៊ to second series */
#define NIKAHIT 0x17C6    /* ំ */
#define REAHMUK 0x17C7    /* ះ */
#define BANTOC 0x17CB     /* ់ */
#define TOANDAKHIAT 0x17CD /* ៍ silent */
#define SAMYOK 0x17D0     /* ័ */
#define KAKABAT 0x17CE
#define AHSDA 0x17CF

#define MAX_SUB 3

struct kunit {
	uint32_t base;
	uint32_t sub[MAX_SUB];
	int nsub;
	int series;
	int vowel;        /* index into kvowel, or -1 */
	int samyok;
	int nikahit, reahmuk, bantoc, silent, shifted;
	uint32_t indep;   /* an independent vowel instead of a consonant */
};

static int unit_has_vowel(const struct kunit *u)
{
	return u->vowel >= 0 || u->nikahit || u->reahmuk || u->samyok || u->indep;
}

static int add(struct dynbuf *out, const char *s)
{
	return *s ? dynbuf_adds(out, s) : 0;
}

/* The vowel of u given that the syllable's final is (or is not) there. */
static int emit_vowel(struct dynbuf *out, const struct kunit *u, int series, int sonorant,
	int first, int has_final)
{
	const char *v = NULL;
	int s2 = series == S2;
	if (u->vowel == 0 && u->nikahit)
		v = s2 ? "eam" : "am";          /* ាំ */
	else if (u->vowel == 5 && u->nikahit)
		v = s2 ? "um" : "om";           /* ុំ */
	else if (u->vowel == 0 && s2 && sonorant && !first)
		v = "a"; /* ា after ន ម យ រ ល វ ង ញ past the first syllable:
			  * រតនា "rathana", មករា "makara" (but វាសនា "veasna") */
	else if (u->vowel >= 0)
		v = kvowel[u->vowel][s2];
	else if (u->samyok)
		v = s2 ? "ea" : "a";
	else if (u->nikahit)
		v = s2 ? "um" : "am";
	else if (has_final)
		v = s2 ? "o" : "a";
	else
		v = "a";
	if (add(out, v) < 0)
		return -1;
	if (u->vowel >= 0 && u->nikahit && u->vowel != 0 && u->vowel != 5)
		if (dynbuf_addc(out, 'm') < 0)
			return -1;
	if (u->reahmuk) {
		if (u->vowel < 0 && !u->nikahit && !u->samyok && s2 && add(out, "e") < 0)
			return -1;
		if (dynbuf_addc(out, 'h') < 0)
			return -1;
	}
	return 0;
}

/* Romanises one word of units. */
static int emit_word(struct dynbuf *out, struct kunit *u, size_t n)
{
	/* role: 0 onset (own syllable), 1 final of the syllable before,
	 * 2 base closes the syllable before and the subscript starts one */
	int open = 0;          /* a syllable was emitted and has no final yet */
	int open_inherent = 0; /* ... and it has no written vowel */
	const struct kunit *open_unit = NULL;
	for (size_t i = 0; i < n; i++) {
		struct kunit *k = &u[i];
		if (k->indep) {
			if (add(out, kindep[k->indep - 0x17A3]) < 0)
				return -1;
			open = 1;
			open_inherent = 0;
			open_unit = NULL;
			continue;
		}
		const struct kcons *c = &kcons[k->base - 0x1780];
		if (k->silent)
			continue;
		/* a word-final ិ after the first syllable is not sounded in
		 * Pali words: សុវត្ថិ "sovath", សុជាតិ "socheat" */
		if (i + 1 == n && i > 0 && k->vowel == 1 && !k->nikahit && !k->reahmuk)
			k->vowel = -1;
		int has_vowel = unit_has_vowel(k);
		int last = i + 1 == n;
		if (!has_vowel && k->nsub == 0 && open) {
			int final;
			if (last || k->bantoc)
				final = 1;
			else if (u[i + 1].nsub > 0)
				final = 0; /* the next C1 ្ C2 closes this syllable itself */
			else if (unit_has_vowel(&u[i + 1]))
				final = !open_inherent;
			else if (i + 2 == n || u[i + 1].bantoc)
				final = 0; /* the next consonant is this syllable's final */
			else
				final = !open_inherent;
			if (final) {
				if (open_unit && open_unit->vowel < 0 && !open_unit->nikahit &&
				    !open_unit->samyok && !open_unit->reahmuk) {
					/* inherent vowel, now closed: rewrite is not needed,
					 * the open syllable printed "a"; second series closed
					 * is "o" */
					if (open_unit->series == S2 && out->len > 0 &&
					    out->buf[out->len - 1] == 'a')
						out->buf[out->len - 1] = 'o';
				}
				const char *f = c->fin;
				/* វ closing ែ េ ិ ី is "o": កែវ "keo" */
				if (k->base == 0x179C && open_unit && open_unit->vowel == 10)
					f = "u"; /* ៀវ: ខៀវ "khieu" */
				else if (k->base == 0x179C && open_unit &&
				    (open_unit->vowel == 1 || open_unit->vowel == 2 ||
				     open_unit->vowel == 11 || open_unit->vowel == 12))
					f = "o";
				if (add(out, f) < 0)
					return -1;
				open = 0;
				continue;
			}
		}
		if (k->nsub > 0 && i > 0 && open) {
			/* base closes the open syllable, subscripts start the next
			 * (Pali and Sanskrit words: the inherent vowel stays "a",
			 * វណ្ណា = vanna) */
			if (add(out, c->fin) < 0)
				return -1;
			open = 0;
			if (!has_vowel && last)
				continue; /* final cluster: the subscript is silent */
			const struct kcons *s = &kcons[k->sub[0] - 0x1780];
			int series = s->series;
			if (k->series != c->series)
				series = k->series; /* a shifter decides */
			/* ន្ត ណ្ត are "nd" in names: ចិន្តា "chenda" */
			const char *si = s->init;
			if (k->sub[0] == 0x178F && (k->base == 0x1793 || k->base == 0x178E))
				si = "d";
			if (add(out, si) < 0)
				return -1;
			for (int j = 1; j < k->nsub; j++)
				if (add(out, kcons[k->sub[j] - 0x1780].init) < 0)
					return -1;
			int has_final = !has_vowel && !last && !unit_has_vowel(&u[i + 1]);
			if (emit_vowel(out, k, series, s->sonorant, 0, has_final) < 0)
				return -1;
			open = !k->reahmuk && !k->nikahit;
			open_inherent = !has_vowel;
			open_unit = k;
			continue;
		}
		/* an onset: consonant (and cluster) with its vowel; ប៉ and ប្រ are "p" */
		if (add(out, k->base == 0x1794 && ((k->series == S1 && k->shifted) || k->nsub) ?
		    "p" : c->init) < 0)
			return -1;
		for (int j = 0; j < k->nsub; j++)
			if (add(out, kcons[k->sub[j] - 0x1780].init) < 0)
				return -1;
		int series = k->series;
		if (!has_vowel && last && i > 0) {
			/* a lone consonant closing a word after a closed syllable */
			if (dynbuf_addc(out, 'a') < 0)
				return -1;
			open = 0;
			continue;
		}
		/* ាំង, ុំង: the nikahit is not sounded before a final ង (តាំង "tang") */
		int nik_ng = k->nikahit && !last && u[i + 1].base == 0x1784 &&
			!unit_has_vowel(&u[i + 1]) && u[i + 1].nsub == 0;
		if (nik_ng)
			k->nikahit = 0;
		if (emit_vowel(out, k, series,
		    kcons[(k->nsub ? k->sub[k->nsub - 1] : k->base) - 0x1780].sonorant,
		    i == 0, 0) < 0)
			return -1;
		open = !k->reahmuk && !k->nikahit;
		open_inherent = !has_vowel;
		open_unit = k;
	}
	return 0;
}

int name_romanise_khmer(const uint32_t *cp, size_t n, struct dynbuf *out)
{
	struct kunit units[64];
	size_t nu = 0;
	size_t i = 0;
	int words = 0;
	while (i <= n) {
		uint32_t c = i < n ? cp[i] : 0;
		int boundary = i == n || !(c >= 0x1780 && c <= 0x17DD) ||
			(c >= 0x17D4 && c <= 0x17DC && c != 0x17DD);
		if (boundary || nu == 64) {
			if (nu > 0) {
				if (words++ > 0 && dynbuf_addc(out, ' ') < 0)
					return -1;
				if (emit_word(out, units, nu) < 0)
					return -1;
				nu = 0;
			}
			if (boundary) {
				i++;
				continue;
			}
		}
		if (is_cons(c) || (c >= 0x17A3 && c <= 0x17B3)) {
			struct kunit *k = &units[nu++];
			memset(k, 0, sizeof(*k));
			k->vowel = -1;
			if (is_cons(c)) {
				k->base = c;
				k->series = kcons[c - 0x1780].series;
			} else {
				k->base = 0x17A2;
				k->indep = c;
			}
			i++;
			continue;
		}
		if (nu == 0) { /* a sign with no consonant before it */
			i++;
			continue;
		}
		struct kunit *k = &units[nu - 1];
		if (c == COENG && i + 1 < n && is_cons(cp[i + 1])) {
			uint32_t s = cp[i + 1];
			if (k->nsub < MAX_SUB)
				k->sub[k->nsub++] = s;
			/* the series of a cluster: the subscript's unless it is a
			 * sonorant (and no shifter was written) */
			if (k->nsub == 1 && !kcons[s - 0x1780].sonorant)
				k->series = kcons[s - 0x1780].series;
			i += 2;
			continue;
		}
		if (c == MUSIKATOAN) {
			k->series = S1;
			k->shifted = 1;
		}
		else if (c == TRIISAP)
			k->series = S2;
		else if (is_dep_vowel(c)) {
			if (k->vowel < 0)
				k->vowel = (int)(c - 0x17B6);
		} else if (c == NIKAHIT)
			k->nikahit = 1;
		else if (c == REAHMUK)
			k->reahmuk = 1;
		else if (c == BANTOC)
			k->bantoc = 1;
		else if (c == TOANDAKHIAT || c == KAKABAT || c == AHSDA)
			k->silent = c == TOANDAKHIAT;
		else if (c == SAMYOK)
			k->samyok = 1;
		i++;
	}
	return 0;
}
