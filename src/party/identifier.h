/*
 * identifier.h - identifiers of people, organisations and things (phones,
 * e-mail, passports, plates, vessels, flights, containers, ...): their
 * normalisation to one canonical key, validation with check digits, and a
 * guess of what a text typed in the search box could be.
 *
 * Two identifiers are the same when their keys are equal byte for byte; the
 * key is what the register stores and indexes.  The display form is for
 * people and is never compared.
 *
 * Keys by kind (examples):
 *
 *   phone           "+85512345678"          E.164, "+" and digits only
 *   email           "sun.chantha@example.com"  local part and domain lower-cased
 *   passport        "KH:N1234567"           issuing country, upper-case alnum
 *   id_card         "KH:010203040"          same as passport
 *   plate           "KH:2A1234"             country, upper-case alnum, Khmer
 *                                           letters kept, Khmer digits folded
 *   vessel          "IMO9074729"            IMO number, check digit verified
 *   flight          "VN123/2024-05-01"      carrier (IATA 2 or ICAO 3), number
 *                                           without leading zeros, suffix, date
 *   container       "MSCU1234565"           ISO 6346, check digit verified
 *   bill_of_lading  "MAEU123456789"         upper-case alnum
 *   airway_bill     "157-12345675"          prefix-serial, mod 7 check digit
 *   bank_account    "KH:GB82WEST12345698765432" country, IBAN (mod 97
 *                                           verified) or upper-case alnum
 *   handle          "facebook:sun.chantha"  platform, handle lower-cased, no @
 *   address         "KH:Phnom Penh:no 12 street 271 ..."  country, province,
 *                                           folded text (lower-case, single
 *                                           spaces, punctuation dropped)
 *
 * The country dialling codes come from the reference data
 * (refdata_country_dial, refdata_dial_country in ref/refdata.h).
 *
 * Rules worth knowing:
 *  - phone: digits of any script after dropping spaces and - . ( ) /; "+",
 *    "00" (and "011" in NANP countries) mean international.  Otherwise the
 *    country is the default (in->country) and its trunk prefix (0; 1 in the
 *    NANP, 8 in Russia and Kazakhstan; none in Singapore, Hong Kong, Macao,
 *    Italy, ...) is dropped; a trunk 0 written after the code ("+855 (0)12")
 *    too.  The national number's length is checked against the country's
 *    plan (ident_phone.c, after the ITU-T E.164 national numbering plans;
 *    other countries: 4 to 15 digits in all).  A national number that fails
 *    but starts with the default country's code is read as international
 *    typed without + ("855 12 345 678").  Countries sharing a code (the
 *    NANP, +7, +44, ...) use the plan of the code's state, so a number
 *    reads the same typed either way.  The international prefixes of other
 *    countries (001/007 in Cambodia, 810 in Russia) are not understood.
 *  - email: one @, no quoted local parts or IP-literal domains; the local
 *    part is lower-cased too (providers treat it case-insensitively in
 *    practice; for matching it is the useful choice), non-ASCII is kept.
 *  - flight: IATA and ICAO designators of one airline give different keys
 *    (there is no designator table).
 *  - plate: letters of the Khmer, Thai, Lao and CJK scripts are kept, so a
 *    plate written with its province name differs from one without.
 *  - bank_account: a value that starts with an ISO country code and two
 *    digits and has 15 to 34 characters is an IBAN and must pass mod 97;
 *    its own country is used in the key, whatever in->country says.
 *  - handle: a profile address ("https://facebook.com/sun.chantha",
 *    "facebook.com/profile.php?id=1000...") gives its handle; platform
 *    aliases fb, messenger, ig, kakao, tg, twitter, weixin and wa map to
 *    facebook, facebook, instagram, kakaotalk, telegram, x, wechat and
 *    whatsapp.
 */
#ifndef KOUPREY_PARTY_IDENTIFIER_H
#define KOUPREY_PARTY_IDENTIFIER_H

#include <stddef.h>

#include "lib/arena.h"
#include "lib/dynbuf.h"
#include "lib/error.h"

struct refdata;

enum ident_kind {
	IDENT_PHONE,
	IDENT_EMAIL,
	IDENT_PASSPORT,
	IDENT_ID_CARD,
	IDENT_PLATE,
	IDENT_VESSEL,
	IDENT_FLIGHT,
	IDENT_CONTAINER,
	IDENT_BILL_OF_LADING,
	IDENT_AIRWAY_BILL,
	IDENT_BANK_ACCOUNT,
	IDENT_HANDLE,
	IDENT_ADDRESS,
	IDENT_KIND_COUNT
};

/* "phone", "email", "passport", "id_card", "plate", "vessel", "flight",
 * "container", "bill_of_lading", "airway_bill", "bank_account", "handle",
 * "address"; "" for a value out of range.  Static strings. */
const char *ident_kind_name(enum ident_kind kind);
/* Sets *out to the kind named name (exactly as ident_kind_name spells it);
 * returns 0, or -1 when no kind has that name (*out untouched). */
int ident_kind_parse(const char *name, enum ident_kind *out);

struct ident_input {
	enum ident_kind kind;
	const char *value;      /* as typed; required */
	/*
	 * ISO 3166-1 alpha-2 (alpha-3 and names are accepted too and mapped to
	 * alpha-2): the issuing country for passport, id_card, plate and
	 * bank_account (required for those, except that an IBAN carries its
	 * own), the address's country (required), and for a phone the default
	 * country (the recording agency's) used when the number has no
	 * international prefix.  Ignored for other kinds.  May be NULL.
	 */
	const char *country;
	/* handle: facebook, instagram, kakaotalk, line, qq, signal, skype,
	 * snapchat, telegram, tiktok, douyin, viber, wechat, weibo, whatsapp, x,
	 * youtube, zalo (case ignored, aliases as below); required for a
	 * handle. */
	const char *platform;
	const char *date;       /* flight: YYYY-MM-DD, required */
	const char *province;   /* address: optional free text */
};

/*
 * Validates in and appends its canonical key to key and a human form to
 * display (either may be NULL when not wanted).  Returns 0 on success.
 *
 * On invalid input returns -1 with err a validation error (ERR_VALIDATION)
 * holding one field error whose field is "value", "country", "platform" or
 * "date" and whose message says what is wrong and what is allowed, e.g.
 * "container number MSCU1234566: check digit is 5, not 6 (ISO 6346)".
 * key and display may then hold partial output; the caller discards them.
 * If an append passes a dynbuf's cap, returns -1 with ERR_TOO_LARGE.
 *
 * rd may be NULL: countries are then only checked for form (two letters)
 * and a phone needs a + prefix or a country whose code is in the small
 * built-in table (the Mekong countries and neighbours).
 */
int ident_normalise(const struct ident_input *in, const struct refdata *rd,
		    struct dynbuf *key, struct dynbuf *display, struct error *err);

struct ident_guess {
	enum ident_kind kind;
	const char *key;        /* the canonical key, as ident_normalise makes it */
};

/*
 * For the search box: every kind the typed text could plausibly be, each
 * with its key, so a search can look up exact identifiers first.  A phone
 * typed any way ("012 345 678" with default_country KH, "+855-12-345678",
 * "0085512345678", "85512345678"), an e-mail, a container, an IMO number,
 * an airway bill, a bill of lading, a plate (in default_country), a passport
 * or ID card (in default_country), a handle typed "@name" (no platform:
 * the key is "*:name", which callers match against the part after the
 * colon; a single word with a letter gets the same guess), an IBAN.
 * Kinds needing more than the text (flight without a date, address) are
 * not guessed.
 *
 * Fills up to max guesses, most specific first (check-digit-verified kinds
 * before free-form ones), without duplicate (kind, key) pairs, and returns
 * how many it filled.  Keys are allocated in ar.  default_country and rd may
 * be NULL.  Never fails; text that is nothing returns 0.
 */
size_t ident_guess(const char *text, const struct refdata *rd, const char *default_country,
		   struct ident_guess *out, size_t max, struct arena *ar);

#endif
