/*
 * names.h - personal and organisation names across scripts: romanisation,
 * a precomputed matching key, a scorer with an explanation, and the blocking
 * terms a search index files a name under.
 *
 * The same trader is "ស៊ុន ចាន់ថា" in a Forestry Administration report,
 * "SUN Chantha" in a customs declaration, "Soun Chanthar" in a police
 * statement and "Sun Chan Tha" in a Thai border report.  All four romanise
 * to lowercase ASCII words, the words are normalised for the spelling
 * variants usual in Khmer, Thai, Lao, Vietnamese and Chinese romanisations
 * (ou/o/u, ch/j, ea/ia/ie, final r/h, ph/p, k/g, double letters, ...),
 * and the scorer compares the word multisets (order-free: family name first
 * or last), the words joined without spaces ("chan tha" = "chantha"),
 * phonetic keys and edit distance.
 *
 * Romanisation:
 *   Khmer      the project's table (src/text/khmer.c), after the UNGEGN
 *              system with the spellings common in Cambodian documents
 *              (ស៊ុន → sun, ចាន់ថា → chantha).
 *   Thai       RTGS, by the project's syllable rules (romanise.c; ICU's
 *              Thai-Latin is ISO 11940 and gives "smchay" for สมชาย).
 *   Lao        the project's table, after BGN/PCGN 1966 as used in Lao
 *              documents.
 *   Han        Hanyu Pinyin without tones (ICU Han-Latin), one word per
 *              syllable; 王伟 → "wang wei".
 *   Cyrillic   BGN/PCGN (the project's table).
 *   Latin      diacritics removed, đ → d (Vietnamese), case folded.
 *   other      ICU Any-Latin then Latin-ASCII, best effort.
 * Punctuation and digits separate words, hyphens and apostrophes join
 * them ("Chan-o-cha" is one word); the output has no leading, trailing or
 * doubled spaces.
 *
 * Thread safety: every function here may be called from several threads at
 * once (the ICU Han-Latin and Any-Latin transliterators are opened once
 * per thread, on first use, and closed when the thread exits).
 */
#ifndef KOUPREY_NAMES_H
#define KOUPREY_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/dynbuf.h"
#include "lib/error.h"

/* ---- scripts ------------------------------------------------------------ */

enum name_script {
	NAME_SCRIPT_LATIN,
	NAME_SCRIPT_KHMER,
	NAME_SCRIPT_THAI,
	NAME_SCRIPT_LAO,
	NAME_SCRIPT_HAN,
	NAME_SCRIPT_CYRILLIC,
	NAME_SCRIPT_OTHER,   /* letters of a script not listed above */
	NAME_SCRIPT_MIXED,   /* letters of two or more scripts */
};

/*
 * The script of a name's letters (digits, spaces and punctuation do not
 * count).  A name without letters, or invalid UTF-8, is NAME_SCRIPT_OTHER.
 */
enum name_script name_script_of(const char *utf8);

/*
 * ISO 15924 code of a script: "Latn", "Khmr", "Thai", "Laoo", "Hani",
 * "Cyrl"; "Zzzz" (uncoded) for OTHER and "Zyyy" (undetermined) for MIXED.
 * A static string.
 */
const char *name_script_code(enum name_script s);

/*
 * Parses an ISO 15924 code (case-insensitive; "Hans" and "Hant" are HAN)
 * into *out.  Returns 0, or -1 (leaving *out alone) for an unknown code.
 */
int name_script_parse(const char *code, enum name_script *out);

/* ---- romanisation ------------------------------------------------------- */

/*
 * Appends the romanised form of the UTF-8 name to out: lowercase ASCII
 * words separated by one space (see the top of this file).  A name with no
 * letters appends nothing.  Returns 0; -1 with ERR_VALIDATION ("name is not
 * valid UTF-8 at byte N") for invalid UTF-8, or ERR_TOO_LARGE when out
 * reached its cap.  On error out may hold part of the result.
 */
int name_romanise(const char *name, struct dynbuf *out, struct error *err);

/* ---- matching keys ------------------------------------------------------ */

/* Words of a name beyond this many are ignored by the matcher. */
#define NAME_MAX_TOKENS 12

/*
 * The score from which two names are "probably the same person".  Scores
 * are in [0, 1]; 1 is the same name after romanisation and normalisation.
 */
#define NAME_MATCH_THRESHOLD 0.80

struct name_key {
	enum name_script script;  /* of the name as given */
	const char *romanised;    /* name_romanise() output, "sun chantha" */
	size_t ntokens;           /* at most NAME_MAX_TOKENS */
	/* Words after spelling-variant normalisation, in the name's order. */
	const char **tokens;
	/* The same words sorted (bytewise), so order does not matter. */
	const char **sorted;
	/* Phonetic key of each word of tokens[] (same index). */
	const char **phonetic;
	/* All normalised words joined without spaces ("chantha" for both
	 * "chan tha" and "chantha"), and its phonetic key. */
	const char *skeleton;
	const char *skeleton_phonetic;
	/* Blocking terms (see name_key_terms), sorted bytewise, distinct. */
	size_t nterms;
	const char **terms;
	/* The rest is for the scorer and its explanations. */
	const char **words;       /* romanised words before normalisation */
	const char **joined;      /* tokens[i] + tokens[i + 1], ntokens - 1 */
	size_t nalts;             /* Han names: other readings of the surname */
	const char **alts;        /* (Cantonese, Hokkien, Wade-Giles, ...) */
};

/*
 * Builds the matching key of a UTF-8 name.  Everything, the strings and
 * the arrays, is allocated in ar and lives as long as it.  A name with no
 * letters gives a key with no tokens (it matches nothing).  Returns 0, or
 * -1 with ERR_VALIDATION for invalid UTF-8 (out is then zeroed).
 */
int name_key_build(const char *name, struct arena *ar, struct name_key *out,
	struct error *err);

/*
 * Scores how likely two names are the same person's, in [0, 1]
 * (symmetric up to rounding), and writes a short English explanation into
 * why (truncated to why_size, always NUL-terminated when why_size > 0; why
 * may be NULL), such as "Khmer romanised → sun chantha; given name edit
 * distance 1" or "same words, order swapped".  Allocates nothing; a pair
 * takes well under a microsecond for names of ordinary length.  A key
 * without tokens scores 0 against anything.
 */
double name_compare(const struct name_key *a, const struct name_key *b,
	char *why, size_t why_size);

/*
 * The blocking terms under which a search index files the name: short
 * ASCII strings such as each word's phonetic key and the skeleton's.  Two
 * names that name_compare() scores at or above NAME_MATCH_THRESHOLD share
 * at least one term (this is what the evaluation set checks), so an index
 * that looks candidates up by term and then scores them with name_compare()
 * misses none.  Stores up to max pointers (into the key's arena memory,
 * distinct strings) in terms and returns how many there are in all (which
 * may exceed max, as snprintf does).
 */
size_t name_key_terms(const struct name_key *k, const char **terms, size_t max);

/* ---- internal to src/text (exposed for the unit tests) ----------------- */

/*
 * Appends the romanisation of a run of n Khmer code points (U+1780-U+17FF;
 * anything else separates words) to out, words separated by one space.
 * Returns 0, or -1 when out reached its cap.
 */
int name_romanise_khmer(const uint32_t *cp, size_t n, struct dynbuf *out);

#endif
