/*
 * test_identifier.c - identifiers (party/identifier.h): each kind's
 * normalisation from several typings to one key, the errors of invalid
 * input (field and message), check digits on published examples, the
 * dialling codes of the reference data, and the search-box guesses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/arena.h"
#include "lib/dynbuf.h"
#include "lib/error.h"
#include "party/ident_internal.h"
#include "party/identifier.h"
#include "ref/load.h"
#include "ref/refdata.h"
#include "store/store.h"

#ifndef KOUPREY_SOURCE_DIR
#define KOUPREY_SOURCE_DIR "."
#endif

static struct refdata *ref;

static int setup(void **state)
{
	struct error err = ERROR_INIT;
	struct store *st = store_open(":memory:", STORE_CREATE, &err);
	if (!st || store_migrate(st, &err) != 0 ||
	    ref_load_dir(st, KOUPREY_SOURCE_DIR "/data", &err) != 0) {
		fprintf(stderr, "reference data: %s\n", err.message);
		return -1;
	}
	ref = refdata_load(st, &err);
	store_close(st);
	return ref ? 0 : -1;
}

static int teardown(void **state)
{
	refdata_free(ref);
	return 0;
}

/* in normalises to want_key (and want_display when not NULL). */
static void check_ok(const struct ident_input *in, const struct refdata *rd,
		     const char *want_key, const char *want_display)
{
	struct dynbuf key = DYNBUF_INIT(4096), display = DYNBUF_INIT(4096);
	struct error err = ERROR_INIT;
	int rc = ident_normalise(in, rd, &key, &display, &err);
	if (rc != 0)
		fail_msg("%s \"%s\" (country %s): %s: %s", ident_kind_name(in->kind), in->value,
			 in->country ? in->country : "-", err.nfields ? err.fields[0].field : "",
			 err.nfields ? err.fields[0].message : err.message);
	if (strcmp(dynbuf_str(&key), want_key) != 0)
		fail_msg("%s \"%s\": key \"%s\", want \"%s\"", ident_kind_name(in->kind), in->value,
			 dynbuf_str(&key), want_key);
	if (want_display && strcmp(dynbuf_str(&display), want_display) != 0)
		fail_msg("%s \"%s\": display \"%s\", want \"%s\"", ident_kind_name(in->kind),
			 in->value, dynbuf_str(&display), want_display);
	dynbuf_free(&key);
	dynbuf_free(&display);
	error_clear(&err);
}

static void ok(enum ident_kind kind, const char *value, const char *country, const char *want)
{
	struct ident_input in = { .kind = kind, .value = value, .country = country };
	check_ok(&in, ref, want, NULL);
}

/* in fails with a validation error on field whose message holds want. */
static void check_bad(const struct ident_input *in, const char *field, const char *want)
{
	struct dynbuf key = DYNBUF_INIT(4096);
	struct error err = ERROR_INIT;
	int rc = ident_normalise(in, ref, &key, NULL, &err);
	if (rc == 0)
		fail_msg("%s \"%s\" accepted as \"%s\"", ident_kind_name(in->kind), in->value,
			 dynbuf_str(&key));
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_int_equal(err.nfields, 1);
	if (strcmp(err.fields[0].field, field) != 0)
		fail_msg("%s \"%s\": field \"%s\" (%s), want \"%s\"", ident_kind_name(in->kind),
			 in->value, err.fields[0].field, err.fields[0].message, field);
	if (!strstr(err.fields[0].message, want))
		fail_msg("%s \"%s\": message \"%s\" lacks \"%s\"", ident_kind_name(in->kind),
			 in->value, err.fields[0].message, want);
	dynbuf_free(&key);
	error_clear(&err);
}

static void bad(enum ident_kind kind, const char *value, const char *country, const char *field,
		const char *want)
{
	struct ident_input in = { .kind = kind, .value = value, .country = country };
	check_bad(&in, field, want);
}

/* ---- kinds and names ---- */

static void test_kind_names(void **state)
{
	static const char *const names[] = {
		"phone", "email", "passport", "id_card", "plate", "vessel", "flight", "container",
		"bill_of_lading", "airway_bill", "bank_account", "handle", "address",
	};
	assert_int_equal(sizeof names / sizeof *names, IDENT_KIND_COUNT);
	for (int k = 0; k < IDENT_KIND_COUNT; k++) {
		assert_string_equal(ident_kind_name((enum ident_kind)k), names[k]);
		enum ident_kind got = IDENT_KIND_COUNT;
		assert_int_equal(ident_kind_parse(names[k], &got), 0);
		assert_int_equal(got, k);
	}
	enum ident_kind untouched = IDENT_EMAIL;
	assert_int_equal(ident_kind_parse("Phone", &untouched), -1);
	assert_int_equal(ident_kind_parse("", &untouched), -1);
	assert_int_equal(ident_kind_parse(NULL, &untouched), -1);
	assert_int_equal(untouched, IDENT_EMAIL);
	assert_string_equal(ident_kind_name(IDENT_KIND_COUNT), "");
}

static void test_empty_and_invalid_text(void **state)
{
	for (int k = 0; k < IDENT_KIND_COUNT; k++) {
		bad((enum ident_kind)k, "", "KH", "value", "no value given");
		bad((enum ident_kind)k, "   ", "KH", "value", "no value given");
		bad((enum ident_kind)k, "ab\xff\xfe", "KH", "value", "not valid UTF-8");
	}
	struct ident_input in = { .kind = IDENT_EMAIL, .value = NULL };
	check_bad(&in, "value", "no value given");
	char big[600];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	bad(IDENT_PHONE, big, "KH", "value", "at most 255 allowed");
}

/* ---- dialling codes in the reference data ---- */

static void test_refdata_dial(void **state)
{
	assert_string_equal(refdata_country_dial(ref, "KH"), "855");
	assert_string_equal(refdata_country_dial(ref, "VN"), "84");
	assert_string_equal(refdata_country_dial(ref, "TH"), "66");
	assert_string_equal(refdata_country_dial(ref, "LA"), "856");
	assert_string_equal(refdata_country_dial(ref, "CN"), "86");
	assert_string_equal(refdata_country_dial(ref, "KHM"), "855");
	assert_string_equal(refdata_country_dial(ref, "Cambodia"), "855");
	assert_string_equal(refdata_country_dial(ref, "JM"), "1");
	assert_string_equal(refdata_country_dial(ref, "KZ"), "7");
	assert_null(refdata_country_dial(ref, "UM"));
	assert_null(refdata_country_dial(ref, "XX"));
	assert_null(refdata_country_dial(ref, NULL));
	const struct country *c = refdata_country(ref, "JM");
	assert_string_equal(c->dial, "1-876");

	size_t cc = 0;
	c = refdata_dial_country(ref, "85512345678", &cc);
	assert_non_null(c);
	assert_string_equal(c->iso2, "KH");
	assert_int_equal(cc, 3);
	c = refdata_dial_country(ref, "8562055123456", &cc);
	assert_string_equal(c->iso2, "LA");
	assert_int_equal(cc, 3);
	c = refdata_dial_country(ref, "84912345678", &cc);
	assert_string_equal(c->iso2, "VN");
	assert_int_equal(cc, 2);
	/* NANP: the longest range wins, else the United States */
	c = refdata_dial_country(ref, "18765551234", &cc);
	assert_string_equal(c->iso2, "JM");
	assert_int_equal(cc, 1);
	c = refdata_dial_country(ref, "12125551234", &cc);
	assert_string_equal(c->iso2, "US");
	c = refdata_dial_country(ref, "17875551234", &cc);
	assert_string_equal(c->iso2, "PR");
	/* +7: Kazakhstan holds 76 and 77, Russia the rest */
	c = refdata_dial_country(ref, "77271234567", &cc);
	assert_string_equal(c->iso2, "KZ");
	c = refdata_dial_country(ref, "74951234567", &cc);
	assert_string_equal(c->iso2, "RU");
	/* shared codes go to the state that holds them */
	assert_string_equal(refdata_dial_country(ref, "447911123456", NULL)->iso2, "GB");
	assert_string_equal(refdata_dial_country(ref, "61212345678", NULL)->iso2, "AU");
	assert_string_equal(refdata_dial_country(ref, "4722123456", NULL)->iso2, "NO");
	/* Rome is Italy; the Vatican only its own range */
	assert_string_equal(refdata_dial_country(ref, "390612345678", NULL)->iso2, "IT");
	assert_string_equal(refdata_dial_country(ref, "390669812345", NULL)->iso2, "VA");
	assert_null(refdata_dial_country(ref, "999123", &cc));
	assert_null(refdata_dial_country(ref, "", &cc));
	assert_null(refdata_dial_country(ref, "abc", &cc));
}

/* ---- phone ---- */

static void test_phone_cambodia(void **state)
{
	static const char *const typings[] = {
		"012 345 678", "012-345-678", "(012) 345 678", "012.345.678", "+855 12 345 678",
		"+855-12-345678", "+85512345678", "0085512345678", "00855 12 345 678",
		"+855 (0)12 345 678", "855 12 345 678", "85512345678",
		"\xe1\x9f\xa0\xe1\x9f\xa1\xe1\x9f\xa2 345 678", /* Khmer digits ០១២ */
		"\xef\xbc\x8b" "855 12 345 678",                   /* full-width plus */
	};
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		ok(IDENT_PHONE, typings[i], "KH", "+85512345678");
	struct ident_input in = { .kind = IDENT_PHONE, .value = "012 345 678", .country = "KH" };
	check_ok(&in, ref, "+85512345678", "+855 12 345 678");
	in.value = "097 123 4567";
	check_ok(&in, ref, "+855971234567", "+855 971 234 567");
	/* an international number does not need the country */
	ok(IDENT_PHONE, "+855 12 345 678", NULL, "+85512345678");
	ok(IDENT_PHONE, "+855 12 345 678", "VN", "+85512345678");
	/* Phnom Penh landline */
	ok(IDENT_PHONE, "023 216 666", "KH", "+85523216666");
}

static void test_phone_region(void **state)
{
	ok(IDENT_PHONE, "091 234 5678", "VN", "+84912345678");
	ok(IDENT_PHONE, "+84 91 234 5678", NULL, "+84912345678");
	ok(IDENT_PHONE, "024 3826 1234", "VN", "+842438261234");
	ok(IDENT_PHONE, "081 234 5678", "TH", "+66812345678");
	ok(IDENT_PHONE, "02 123 4567", "TH", "+6621234567");
	ok(IDENT_PHONE, "020 5512 3456", "LA", "+8562055123456");
	ok(IDENT_PHONE, "021 212 345", "LA", "+85621212345");
	/* China: mobiles have no trunk 0, landlines do */
	ok(IDENT_PHONE, "138 0013 8000", "CN", "+8613800138000");
	ok(IDENT_PHONE, "010 1234 5678", "CN", "+861012345678");
	ok(IDENT_PHONE, "+86 138 0013 8000", NULL, "+8613800138000");
	ok(IDENT_PHONE, "012-345 6789", "MY", "+60123456789");
	ok(IDENT_PHONE, "6123 4567", "SG", "+6561234567");
	ok(IDENT_PHONE, "0812 3456 7890", "ID", "+6281234567890");
	ok(IDENT_PHONE, "09 123 456 789", "MM", "+959123456789");
	/* NANP: trunk 1, 011 international, 7-digit local numbers of members
	 * with their own area code */
	ok(IDENT_PHONE, "(212) 555-1234", "US", "+12125551234");
	ok(IDENT_PHONE, "1 212 555 1234", "US", "+12125551234");
	ok(IDENT_PHONE, "011 855 12 345 678", "US", "+85512345678");
	ok(IDENT_PHONE, "555 1234", "JM", "+18765551234");
	ok(IDENT_PHONE, "+1 876 555 1234", NULL, "+18765551234");
	/* Russia's trunk prefix is 8; Italy keeps the 0 of landlines */
	ok(IDENT_PHONE, "8 495 123 45 67", "RU", "+74951234567");
	ok(IDENT_PHONE, "06 1234 5678", "IT", "+390612345678");
	/* alpha-3 and names for the country */
	ok(IDENT_PHONE, "012 345 678", "KHM", "+85512345678");
	ok(IDENT_PHONE, "012 345 678", "Cambodia", "+85512345678");
	/* without reference data the built-in plans still know the region */
	struct ident_input in = { .kind = IDENT_PHONE, .value = "012 345 678", .country = "KH" };
	check_ok(&in, NULL, "+85512345678", "+855 12 345 678");
	in.value = "+66 81 234 5678";
	in.country = NULL;
	check_ok(&in, NULL, "+66812345678", NULL);
}

static void test_phone_invalid(void **state)
{
	bad(IDENT_PHONE, "012 345 678", NULL, "value",
	    "phone 012 345 678: no country given and the number has no +country code");
	bad(IDENT_PHONE, "012 345 678", "", "value", "no +country code");
	bad(IDENT_PHONE, "012 345 678", "XX", "country", "country XX is not an ISO 3166 code");
	bad(IDENT_PHONE, "012 345 678", "UM", "country", "has no dialling code");
	bad(IDENT_PHONE, "012 345", "KH", "value",
	    "a number of Cambodia (+855) has 8 to 9 digits after the country code, not 5");
	bad(IDENT_PHONE, "+855 12 345", NULL, "value", "has 8 to 9 digits after the country code");
	bad(IDENT_PHONE, "6123 456", "SG", "value", "has 8 digits after the country code, not 7");
	bad(IDENT_PHONE, "+999 123 456", NULL, "value", "no country has a dialling code");
	bad(IDENT_PHONE, "+1234567890123456", NULL, "value", "at most 15");
	bad(IDENT_PHONE, "012 345 678 ext 9", "KH", "value", "\"e\" is not allowed");
	bad(IDENT_PHONE, "012+345678", "KH", "value", "\"+\" is not allowed");
	bad(IDENT_PHONE, "+", NULL, "value", "no digits");
	bad(IDENT_PHONE, "---", "KH", "value", "no digits");
	bad(IDENT_PHONE, "00", "KH", "value", "a number of Cambodia");
	/* after the trunk prefix 0 no national number starts with 0 */
	bad(IDENT_PHONE, "+855 0012 345 678", NULL, "value", "does not start with 0");
	bad(IDENT_PHONE, "+1 012 555 1234", NULL, "value",
	    "a North American area code starts with 2 to 9, not 0");
}

/* A number reads the same typed nationally and with its +code, also in
 * territories that share their state's code. */
static void test_phone_shared_codes(void **state)
{
	ok(IDENT_PHONE, "07924 123456", "IM", "+447924123456");
	ok(IDENT_PHONE, "+44 7924 123456", "IM", "+447924123456");
	ok(IDENT_PHONE, "07924 123456", "GB", "+447924123456");
	bad(IDENT_PHONE, "555 1233", "IM", "value", "has 9 to 10 digits");
	ok(IDENT_PHONE, "787 555 1234", "PR", "+17875551234");
	ok(IDENT_PHONE, "416 555 1234", "CA", "+14165551234");
	ok(IDENT_PHONE, "8 727 123 4567", "KZ", "+77271234567");
}

/* ---- e-mail ---- */

static void test_email(void **state)
{
	struct ident_input in = { .kind = IDENT_EMAIL, .value = "Sun.Chantha@Example.COM" };
	check_ok(&in, ref, "sun.chantha@example.com", "sun.chantha@example.com");
	ok(IDENT_EMAIL, "  sun.chantha@example.com  ", NULL, "sun.chantha@example.com");
	ok(IDENT_EMAIL, "mailto:SUN.CHANTHA@example.com", NULL, "sun.chantha@example.com");
	ok(IDENT_EMAIL, "<sun.chantha@example.com>", NULL, "sun.chantha@example.com");
	ok(IDENT_EMAIL, "sun.chantha@example.com.", NULL, "sun.chantha@example.com");
	ok(IDENT_EMAIL, "trader+ivory@mail.example.com.kh", NULL, "trader+ivory@mail.example.com.kh");
	ok(IDENT_EMAIL, "wang.wei@qq.com", NULL, "wang.wei@qq.com");
	/* internationalised addresses are kept (only ASCII is lower-cased) */
	ok(IDENT_EMAIL, "\xe7\x8e\x8b\xe4\xbc\x9f@\xe4\xbe\x8b\xe5\xad\x90.cn", NULL,
	   "\xe7\x8e\x8b\xe4\xbc\x9f@\xe4\xbe\x8b\xe5\xad\x90.cn");

	bad(IDENT_EMAIL, "sun.chantha.example.com", NULL, "value", "no @");
	bad(IDENT_EMAIL, "sun@chantha@example.com", NULL, "value", "more than one @");
	bad(IDENT_EMAIL, "@example.com", NULL, "value", "nothing before the @");
	bad(IDENT_EMAIL, "sun@", NULL, "value", "nothing after the @");
	bad(IDENT_EMAIL, "sun@chantha", NULL, "value", "the domain needs a dot");
	bad(IDENT_EMAIL, "sun@10.0.0.1", NULL, "value", "ends in a number");
	bad(IDENT_EMAIL, "sun..chantha@example.com", NULL, "value", "two dots in a row");
	bad(IDENT_EMAIL, ".sun@example.com", NULL, "value", "start or end with a dot");
	bad(IDENT_EMAIL, "sun chantha@example.com", NULL, "value", "\" \" is not allowed before the @");
	bad(IDENT_EMAIL, "sun@exa_mple.com", NULL, "value", "\"_\" is not allowed in the domain");
	bad(IDENT_EMAIL, "sun@-example.com", NULL, "value", "starts or ends with \"-\"");
	bad(IDENT_EMAIL, "sun@example..com", NULL, "value", "empty or over-long");
	char local[80];
	memset(local, 'a', 65);
	strcpy(local + 65, "@example.com");
	bad(IDENT_EMAIL, local, NULL, "value", "has 65 characters, at most 64");
}

/* ---- passport, ID card ---- */

static void test_documents(void **state)
{
	static const char *const typings[] = { "N1234567", "n1234567", "N 1234567", "N-123-4567",
					       " N1234567 " };
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		ok(IDENT_PASSPORT, typings[i], "KH", "KH:N1234567");
	ok(IDENT_PASSPORT, "N1234567", "khm", "KH:N1234567");
	ok(IDENT_PASSPORT, "E12345678", "China", "CN:E12345678");
	struct ident_input in = { .kind = IDENT_PASSPORT, .value = "n1234567", .country = "KH" };
	check_ok(&in, ref, "KH:N1234567", "N1234567 (KH)");
	ok(IDENT_ID_CARD, "010 203 040", "KH", "KH:010203040");
	/* Khmer digits fold to ASCII */
	ok(IDENT_ID_CARD, "\xe1\x9f\xa0\xe1\x9f\xa1\xe1\x9f\xa0" "203040", "KH", "KH:010203040");
	ok(IDENT_ID_CARD, "1-2345-67890-12-3", "TH", "TH:1234567890123");

	bad(IDENT_PASSPORT, "N1234567", NULL, "country", "a passport needs a country");
	bad(IDENT_ID_CARD, "010203040", NULL, "country", "an ID card needs a country");
	bad(IDENT_PASSPORT, "N1234567", "ZZ", "country", "country ZZ is not an ISO 3166 code");
	bad(IDENT_PASSPORT, "N12", "KH", "value",
	    "passport N12: 3 characters; a passport number has 5 to 20 letters and digits");
	bad(IDENT_PASSPORT, "N1234567890123456789012", "KH", "value", "5 to 20");
	bad(IDENT_PASSPORT, "N123#4567", "KH", "value", "\"#\" is not allowed");
	bad(IDENT_ID_CARD, "\xe1\x9e\x80" "1234567", "KH", "value", "U+1780 is not allowed");
}

/* ---- plate ---- */

static void test_plate(void **state)
{
	static const char *const typings[] = { "2A-1234", "2a 1234", "2A1234", "2A.1234",
					       "2A\xc2\xb7" "1234" /* middle dot */ };
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		ok(IDENT_PLATE, typings[i], "KH", "KH:2A1234");
	struct ident_input in = { .kind = IDENT_PLATE, .value = "2a-1234", .country = "KH" };
	check_ok(&in, ref, "KH:2A1234", "2A1234 (KH)");
	/* Khmer plate: "ភ្នំពេញ ២អ-១២៣៤" keeps the Khmer letters, folds the digits */
	ok(IDENT_PLATE,
	   "\xe1\x9e\x97\xe1\x9f\x92\xe1\x9e\x93\xe1\x9f\x86\xe1\x9e\x96\xe1\x9f\x81\xe1\x9e\x89 "
	   "\xe1\x9f\xa2\xe1\x9e\xa2-\xe1\x9f\xa1\xe1\x9f\xa2\xe1\x9f\xa3\xe1\x9f\xa4",
	   "KH",
	   "KH:\xe1\x9e\x97\xe1\x9f\x92\xe1\x9e\x93\xe1\x9f\x86\xe1\x9e\x96\xe1\x9f\x81\xe1\x9e\x89"
	   "2\xe1\x9e\xa2" "1234");
	/* Thai "1กข 1234", Vietnamese "51F-123.45", Chinese "粤B 12345" */
	ok(IDENT_PLATE, "1\xe0\xb8\x81\xe0\xb8\x82 1234", "TH",
	   "TH:1\xe0\xb8\x81\xe0\xb8\x82" "1234");
	ok(IDENT_PLATE, "51F-123.45", "VN", "VN:51F12345");
	ok(IDENT_PLATE, "\xe7\xb2\xa4" "B 12345", "CN", "CN:\xe7\xb2\xa4" "B12345");

	bad(IDENT_PLATE, "2A-1234", NULL, "country", "a vehicle plate needs a country");
	bad(IDENT_PLATE, "2A-1234", "Atlantis", "country", "country Atlantis is not an ISO 3166 code");
	bad(IDENT_PLATE, "2", "KH", "value", "1 characters; a plate has 2 to 16");
	bad(IDENT_PLATE, "2A_1234!", "KH", "value", "\"!\" is not allowed");
}

/* ---- vessel ---- */

static void test_vessel(void **state)
{
	/* IMO 9074729: the worked example usually quoted for the IMO ship
	 * identification number scheme (IMO Resolution A.600(15), now
	 * A.1117(30); e.g. the Wikipedia article "IMO number"):
	 * 9*7+0*6+7*5+4*4+7*3+2*2 = 139 -> check digit 9 */
	static const char *const typings[] = { "IMO 9074729", "IMO9074729", "imo 9074729",
					       "9074729", "IMO-9074729", "IMO: 9074729" };
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		ok(IDENT_VESSEL, typings[i], NULL, "IMO9074729");
	struct ident_input in = { .kind = IDENT_VESSEL, .value = "9074729" };
	check_ok(&in, ref, "IMO9074729", "IMO 9074729");
	assert_int_equal(ident_imo_check("907472"), 9);
	assert_int_equal(ident_imo_check("90747x"), -1);

	bad(IDENT_VESSEL, "IMO 9074728", NULL, "value", "IMO number 9074728: check digit is 9, not 8");
	bad(IDENT_VESSEL, "907472", NULL, "value", "has 7 digits");
	bad(IDENT_VESSEL, "IMO 90747290", NULL, "value", "has 7 digits");
	bad(IDENT_VESSEL, "MMSI 574123456", NULL, "value", "has 7 digits");
}

/* ---- flight ---- */

static void flight(const char *value, const char *date, const char *want)
{
	struct ident_input in = { .kind = IDENT_FLIGHT, .value = value, .date = date };
	check_ok(&in, ref, want, NULL);
}

static void flight_bad(const char *value, const char *date, const char *field, const char *want)
{
	struct ident_input in = { .kind = IDENT_FLIGHT, .value = value, .date = date };
	check_bad(&in, field, want);
}

static void test_flight(void **state)
{
	static const char *const typings[] = { "VN123", "VN 123", "vn0123", "VN-0123", "VN 0123" };
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		flight(typings[i], "2024-05-01", "VN123/2024-05-01");
	struct ident_input in = { .kind = IDENT_FLIGHT, .value = "VN0123", .date = "2024-05-01" };
	check_ok(&in, ref, "VN123/2024-05-01", "VN 123, 2024-05-01");
	flight("HVN123", "2024-05-01", "HVN123/2024-05-01");  /* ICAO designator */
	flight("3K 511", "2024-02-29", "3K511/2024-02-29");   /* digit in the designator */
	flight("U2 1234", "2023-12-31", "U21234/2023-12-31");
	flight("TG 560A", "2024-05-01", "TG560A/2024-05-01"); /* operational suffix */

	flight_bad("VN123", NULL, "date", "a flight needs its date (YYYY-MM-DD)");
	flight_bad("VN123", "2023-02-29", "date", "flight date 2023-02-29 is not a date");
	flight_bad("VN123", "01/05/2024", "date", "is not a date (YYYY-MM-DD)");
	flight_bad("VN123", "2024-13-01", "date", "is not a date");
	flight_bad("VN12345", "2024-05-01", "value", "1 to 4 digits");
	flight_bad("123", "2024-05-01", "value", "IATA code (2 characters) or ICAO code");
	flight_bad("VN", "2024-05-01", "value", "e.g. VN123 or HVN123");
	flight_bad("VN0", "2024-05-01", "value", "0 is not a flight number");
	flight_bad("VN123AB", "2024-05-01", "value", "maybe a letter");
	flight_bad("VN#123", "2024-05-01", "value", "\"#\" is not allowed");
}

/* ---- container ---- */

static void test_container(void **state)
{
	/* CSQU3054383: the worked example of the ISO 6346 check digit as the
	 * BIC (Bureau International des Containers) and the Wikipedia article
	 * "ISO 6346" give it */
	static const char *const typings[] = { "CSQU3054383", "CSQU 305438 3", "csqu3054383",
					       "CSQU-305438-3", "CSQU 305 438 3" };
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		ok(IDENT_CONTAINER, typings[i], NULL, "CSQU3054383");
	struct ident_input in = { .kind = IDENT_CONTAINER, .value = "csqu3054383" };
	check_ok(&in, ref, "CSQU3054383", "CSQU 305438 3");
	assert_int_equal(ident_iso6346_check("CSQU305438"), 3);
	assert_int_equal(ident_iso6346_check("MSCU123456"), 6);
	/* a remainder of 10 gives check digit 0 */
	ok(IDENT_CONTAINER, "TCLU1000030", NULL, "TCLU1000030");
	assert_int_equal(ident_iso6346_check("TCLU100003"), 0);
	ok(IDENT_CONTAINER, "MSCU1234566", NULL, "MSCU1234566");
	assert_int_equal(ident_iso6346_check("CSQ1305438"), -1);

	bad(IDENT_CONTAINER, "MSCU1234565", NULL, "value",
	    "container number MSCU1234565: check digit is 6, not 5 (ISO 6346)");
	bad(IDENT_CONTAINER, "CSQU3054384", NULL, "value", "check digit is 3, not 4");
	bad(IDENT_CONTAINER, "CSQA3054383", NULL, "value",
	    "the 4th letter is the equipment category, U (container), J (detachable equipment) "
	    "or Z (trailer or chassis), not A");
	bad(IDENT_CONTAINER, "CSQU305438", NULL, "value", "4 letters (owner code and category), 6 digits");
	bad(IDENT_CONTAINER, "CSQU30543833", NULL, "value", "e.g. CSQU3054383");
	bad(IDENT_CONTAINER, "C5QU3054383", NULL, "value", "4 letters");
	bad(IDENT_CONTAINER, "CSQU*3054383", NULL, "value", "\"*\" is not allowed");
}

/* ---- bill of lading, airway bill ---- */

static void test_bill_of_lading(void **state)
{
	static const char *const typings[] = { "MAEU123456789", "maeu 123456789", "MAEU-123456789",
					       "MAEU/123/456/789" };
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		ok(IDENT_BILL_OF_LADING, typings[i], NULL, "MAEU123456789");
	bad(IDENT_BILL_OF_LADING, "MAE", NULL, "value", "3 characters; a bill of lading number has 4 to 35");
	bad(IDENT_BILL_OF_LADING, "MAEU#1234", NULL, "value", "\"#\" is not allowed");
}

static void test_airway_bill(void **state)
{
	/* serial 1234567 mod 7 = 5 */
	static const char *const typings[] = { "157-12345675", "15712345675", "157 1234 5675",
					       "157-1234 5675" };
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		ok(IDENT_AIRWAY_BILL, typings[i], NULL, "157-12345675");
	struct ident_input in = { .kind = IDENT_AIRWAY_BILL, .value = "15712345675" };
	check_ok(&in, ref, "157-12345675", "157-1234 5675");
	ok(IDENT_AIRWAY_BILL, "738-00000070", NULL, "738-00000070");  /* 7 mod 7 = 0 */
	ok(IDENT_AIRWAY_BILL, "176-99999992", NULL, "176-99999992");  /* 9999999 mod 7 = 2 */

	bad(IDENT_AIRWAY_BILL, "157-12345676", NULL, "value",
	    "airway bill 157-12345676: the serial's check digit (mod 7) is 5, not 6");
	bad(IDENT_AIRWAY_BILL, "157-1234567", NULL, "value", "11 digits in all");
	bad(IDENT_AIRWAY_BILL, "157-1234567A", NULL, "value", "11 digits in all");
}

/* ---- bank account ---- */

static void test_bank_account(void **state)
{
	/* IBAN examples of the SWIFT IBAN Registry (ISO 13616; the GB one is
	 * also ECBS's standard example) */
	static const char *const gb[] = { "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32",
					  "gb82 west 1234 5698 7654 32" };
	for (size_t i = 0; i < sizeof gb / sizeof *gb; i++)
		ok(IDENT_BANK_ACCOUNT, gb[i], NULL, "GB:GB82WEST12345698765432");
	struct ident_input in = { .kind = IDENT_BANK_ACCOUNT, .value = "GB82WEST12345698765432" };
	check_ok(&in, ref, "GB:GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32");
	ok(IDENT_BANK_ACCOUNT, "DE89 3704 0044 0532 0130 00", NULL, "DE:DE89370400440532013000");
	ok(IDENT_BANK_ACCOUNT, "FR14 2004 1010 0505 0001 3M02 606", "KH",
	   "FR:FR1420041010050500013M02606");  /* the IBAN's own country wins */
	assert_int_equal(ident_iban_mod97("GB82WEST12345698765432"), 1);
	assert_int_equal(ident_iban_mod97("GB82 WEST"), -1);
	/* not IBANs: country and letters/digits */
	ok(IDENT_BANK_ACCOUNT, "0012-345-678", "KH", "KH:0012345678");
	ok(IDENT_BANK_ACCOUNT, "1234567890", "VN", "VN:1234567890");

	bad(IDENT_BANK_ACCOUNT, "GB82WEST12345698765433", NULL, "value",
	    "IBAN GB82WEST12345698765433: the check digits 82 do not verify");
	bad(IDENT_BANK_ACCOUNT, "GB83WEST12345698765432", NULL, "value", "must be 1; ISO 13616");
	bad(IDENT_BANK_ACCOUNT, "0012345678", NULL, "country",
	    "a bank account that is not an IBAN needs a country");
	bad(IDENT_BANK_ACCOUNT, "123", "KH", "value", "3 characters; an account number has 4 to 34");
	bad(IDENT_BANK_ACCOUNT, "123_456", "KH", "value", "\"_\" is not allowed");
}

/* ---- handle ---- */

static void handle(const char *platform, const char *value, const char *want)
{
	struct ident_input in = { .kind = IDENT_HANDLE, .value = value, .platform = platform };
	check_ok(&in, ref, want, NULL);
}

static void handle_bad(const char *platform, const char *value, const char *field,
		       const char *want)
{
	struct ident_input in = { .kind = IDENT_HANDLE, .value = value, .platform = platform };
	check_bad(&in, field, want);
}

static void test_handle(void **state)
{
	static const char *const typings[] = {
		"sun.chantha", "@sun.chantha", "Sun.Chantha", " @SUN.CHANTHA ",
		"https://www.facebook.com/sun.chantha", "facebook.com/sun.chantha/",
		"https://m.facebook.com/sun.chantha?ref=bookmarks",
	};
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++)
		handle("facebook", typings[i], "facebook:sun.chantha");
	handle("Facebook", "sun.chantha", "facebook:sun.chantha");
	handle("fb", "sun.chantha", "facebook:sun.chantha");
	handle("facebook", "https://www.facebook.com/profile.php?id=100012345678",
	       "facebook:100012345678");
	handle("twitter", "@SunChantha", "x:sunchantha");
	handle("wechat", "wxid_abc123", "wechat:wxid_abc123");
	handle("telegram", "t.me/sunchantha", "telegram:sunchantha");
	handle("zalo", "0912345678", "zalo:0912345678");
	handle("line", "\xe0\xb8\xaa\xe0\xb8\xa1", "line:\xe0\xb8\xaa\xe0\xb8\xa1");
	struct ident_input in = { .kind = IDENT_HANDLE, .value = "@Sun.Chantha", .platform = "tiktok" };
	check_ok(&in, ref, "tiktok:sun.chantha", "@sun.chantha (tiktok)");

	handle_bad(NULL, "sun.chantha", "platform", "a handle needs its platform");
	handle_bad("myspace", "sun.chantha", "platform",
		   "platform myspace is not known; one of facebook, instagram");
	handle_bad("facebook", "sun chantha", "value", "a handle has no spaces");
	handle_bad("facebook", "sun#chantha", "value", "\"#\" is not allowed");
	handle_bad("facebook", "@", "value", "no name");
}

/* ---- address ---- */

static void test_address(void **state)
{
	struct ident_input in = { .kind = IDENT_ADDRESS, .value = "No. 12, Street 271",
				  .country = "KH", .province = "Phnom Penh" };
	check_ok(&in, ref, "KH:phnom penh:no 12 street 271", "No. 12, Street 271, Phnom Penh, KH");
	in.value = "  no 12   STREET 271 ";
	in.province = "PHNOM PENH";
	check_ok(&in, ref, "KH:phnom penh:no 12 street 271", NULL);
	in.province = NULL;
	check_ok(&in, ref, "KH::no 12 street 271", "no 12 STREET 271, KH");
	/* Vietnamese diacritics fold; Khmer is kept */
	ok(IDENT_ADDRESS, "Số 5 Đường Láng, Hà Nội", "VN", "VN::so 5 duong lang ha noi");
	ok(IDENT_ADDRESS, "\xe1\x9e\x95\xe1\x9f\x92\xe1\x9e\x9b\xe1\x9e\xbc\xe1\x9e\x9c 271",
	   "Cambodia", "KH::\xe1\x9e\x95\xe1\x9f\x92\xe1\x9e\x9b\xe1\x9e\xbc\xe1\x9e\x9c 271");

	bad(IDENT_ADDRESS, "No. 12, Street 271", NULL, "country", "an address needs a country");
	bad(IDENT_ADDRESS, ", . ;", "KH", "value", "no letters or digits");
}

/* ---- errors are one field, and the buffers' caps are respected ---- */

static void test_buffer_cap(void **state)
{
	struct ident_input in = { .kind = IDENT_CONTAINER, .value = "CSQU3054383" };
	struct dynbuf key = DYNBUF_INIT(5);
	struct error err = ERROR_INIT;
	assert_int_equal(ident_normalise(&in, ref, &key, NULL, &err), -1);
	assert_int_equal(err.code, ERR_TOO_LARGE);
	error_clear(&err);
	dynbuf_free(&key);
	/* key and display may be NULL: validation only */
	assert_int_equal(ident_normalise(&in, ref, NULL, NULL, &err), 0);
	assert_int_equal(err.code, ERR_NONE);
}

/* ---- search-box guesses ---- */

static int has_guess(const struct ident_guess *g, size_t n, enum ident_kind kind, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].kind == kind && strcmp(g[i].key, key) == 0)
			return 1;
	return 0;
}

static size_t guess(const char *text, const char *country, struct ident_guess *g,
		    struct arena *ar)
{
	return ident_guess(text, ref, country, g, 16, ar);
}

static void test_guess_phone(void **state)
{
	struct arena ar;
	arena_init(&ar);
	struct ident_guess g[16];
	static const char *const typings[] = { "012 345 678", "+855-12-345678", "85512345678",
					       "0085512345678", "(012) 345-678" };
	for (size_t i = 0; i < sizeof typings / sizeof *typings; i++) {
		size_t n = guess(typings[i], "KH", g, &ar);
		if (!has_guess(g, n, IDENT_PHONE, "+85512345678"))
			fail_msg("\"%s\" not guessed as +85512345678", typings[i]);
	}
	/* an international number typed without + in another country */
	size_t n = guess("66812345678", "KH", g, &ar);
	assert_true(has_guess(g, n, IDENT_PHONE, "+66812345678"));
	/* without a default country only international readings */
	n = guess("012 345 678", NULL, g, &ar);
	assert_false(has_guess(g, n, IDENT_PHONE, "+85512345678"));
	n = guess("+855 12 345 678", NULL, g, &ar);
	assert_true(has_guess(g, n, IDENT_PHONE, "+85512345678"));
	assert_string_equal(ident_kind_name(g[0].kind), "phone");
	arena_free(&ar);
}

static void test_guess_kinds(void **state)
{
	struct arena ar;
	arena_init(&ar);
	struct ident_guess g[16];
	size_t n = guess("Sun.Chantha@Example.com", "KH", g, &ar);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].kind, IDENT_EMAIL);
	assert_string_equal(g[0].key, "sun.chantha@example.com");

	n = guess("CSQU 305438 3", "KH", g, &ar);
	assert_true(n >= 1);
	assert_int_equal(g[0].kind, IDENT_CONTAINER);  /* verified kinds first */
	assert_string_equal(g[0].key, "CSQU3054383");
	/* a wrong check digit is no container */
	n = guess("CSQU3054384", "KH", g, &ar);
	assert_false(has_guess(g, n, IDENT_CONTAINER, "CSQU3054384"));
	assert_true(has_guess(g, n, IDENT_BILL_OF_LADING, "CSQU3054384"));

	n = guess("IMO 9074729", NULL, g, &ar);
	assert_int_equal(g[0].kind, IDENT_VESSEL);
	assert_string_equal(g[0].key, "IMO9074729");
	n = guess("9074729", "KH", g, &ar);
	assert_true(has_guess(g, n, IDENT_VESSEL, "IMO9074729"));

	n = guess("157-12345675", "KH", g, &ar);
	assert_int_equal(g[0].kind, IDENT_AIRWAY_BILL);
	assert_string_equal(g[0].key, "157-12345675");

	n = guess("GB82 WEST 1234 5698 7654 32", "KH", g, &ar);
	assert_true(has_guess(g, n, IDENT_BANK_ACCOUNT, "GB:GB82WEST12345698765432"));

	n = guess("2A-1234", "KH", g, &ar);
	assert_true(has_guess(g, n, IDENT_PLATE, "KH:2A1234"));
	n = guess("N1234567", "KH", g, &ar);
	assert_true(has_guess(g, n, IDENT_PASSPORT, "KH:N1234567"));
	assert_true(has_guess(g, n, IDENT_ID_CARD, "KH:N1234567"));

	n = guess("@Sun.Chantha", "KH", g, &ar);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].kind, IDENT_HANDLE);
	assert_string_equal(g[0].key, "*:sun.chantha");
	n = guess("sun.chantha", "KH", g, &ar);
	assert_true(has_guess(g, n, IDENT_HANDLE, "*:sun.chantha"));

	/* names and nothing give no identifier of a kind needing digits */
	n = guess("Sun Chantha", "KH", g, &ar);
	assert_int_equal(n, 0);
	assert_int_equal(guess("", "KH", g, &ar), 0);
	assert_int_equal(guess("   ", "KH", g, &ar), 0);
	assert_int_equal(guess("\xff\xfe", "KH", g, &ar), 0);
	assert_int_equal(ident_guess(NULL, ref, "KH", g, 16, &ar), 0);

	/* no duplicates, and max is respected */
	n = guess("012345678", "KH", g, &ar);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_false(g[i].kind == g[j].kind && strcmp(g[i].key, g[j].key) == 0);
	assert_true(n > 2);
	assert_int_equal(ident_guess("012345678", ref, "KH", g, 2, &ar), 2);
	assert_int_equal(ident_guess("012345678", ref, "KH", g, 0, &ar), 0);
	arena_free(&ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_empty_and_invalid_text),
		cmocka_unit_test(test_refdata_dial),
		cmocka_unit_test(test_phone_cambodia),
		cmocka_unit_test(test_phone_region),
		cmocka_unit_test(test_phone_invalid),
		cmocka_unit_test(test_phone_shared_codes),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_plate),
		cmocka_unit_test(test_vessel),
		cmocka_unit_test(test_flight),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_bill_of_lading),
		cmocka_unit_test(test_airway_bill),
		cmocka_unit_test(test_bank_account),
		cmocka_unit_test(test_handle),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_buffer_cap),
		cmocka_unit_test(test_guess_phone),
		cmocka_unit_test(test_guess_kinds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
