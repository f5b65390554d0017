/*
 * test_validate.c - seizure_validate() and seizure_parse_date(): every rule
 * of the seizure record against the reference data of data/, the
 * normalisation it applies, search_text and content_hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "fixture.h"
#include "seizure/json.h"
#include "seizure/seizure.h"

static struct fixture fx;
static struct arena ar;

static int setup(void **state)
{
	fixture_open(&fx);
	return 0;
}

static int teardown(void **state)
{
	fixture_close(&fx);
	return 0;
}

static int test_setup(void **state)
{
	arena_init(&ar);
	return 0;
}

static int test_teardown(void **state)
{
	arena_free(&ar);
	return 0;
}

/* A valid seizure of one item: 12.5 kg of Manis javanica scales. */
static struct seizure *base(void)
{
	struct seizure *s = arena_alloc(&ar, sizeof *s);
	s->agency_id = 1;
	s->date = "2024-03-15";
	s->country = "KH";
	s->nitems = 1;
	s->items = arena_alloc(&ar, 4 * sizeof *s->items);
	s->items[0].species = "Manis javanica";
	s->items[0].term = "SCA";
	s->items[0].quantity = 12.5;
	s->items[0].unit = "KIL";
	s->items[0].live = -1;
	return s;
}

static void add_item(struct seizure *s, const char *species, const char *term, double q,
		     const char *unit)
{
	struct seizure_item *it = &s->items[s->nitems++];
	it->species = species;
	it->term = term;
	it->quantity = q;
	it->unit = unit;
	it->live = -1;
}

/* Validates s and expects success. */
static void ok(struct seizure *s)
{
	struct error err = ERROR_INIT;
	int rc = seizure_validate(fx.ref, s, &ar, &err);
	if (rc != 0) {
		char *m = error_format(&err);
		fail_msg("validation failed: %s", m);
	}
	assert_int_equal(err.nfields, 0);
	error_clear(&err);
}

/*
 * Validates s and expects exactly one field error on field whose message
 * contains want (when not NULL).  Returns nothing; fails the test otherwise.
 */
static void bad(struct seizure *s, const char *field, const char *want)
{
	struct error err = ERROR_INIT;
	int rc = seizure_validate(fx.ref, s, &ar, &err);
	if (rc != -1 || err.nfields != 1 || strcmp(err.fields[0].field, field) != 0 ||
	    (want && !strstr(err.fields[0].message, want))) {
		char *m = error_format(&err);
		fail_msg("want one error on %s containing \"%s\"; got rc %d: %s", field,
			 want ? want : "", rc, m);
	}
	assert_int_equal(err.code, ERR_VALIDATION);
	error_clear(&err);
}

static void date_in_days(int days, char *buf, size_t size)
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d", &tm);
}

/* ---- the minimal valid record -------------------------------------------- */

static void test_valid_minimal(void **state)
{
	struct seizure *s = base();
	ok(s);
	assert_string_equal(s->sharing, "national");
	assert_string_equal(s->date_from, "2024-03-15");
	assert_string_equal(s->date_to, "2024-03-15");
	assert_int_equal(s->items[0].taxon_id, 5034);
	assert_string_equal(s->items[0].taxon_name, "Manis javanica");
	assert_string_equal(s->items[0].term, "SCA");
	assert_string_equal(s->items[0].unit, "KIL");
	assert_non_null(s->content_hash);
	assert_int_equal(strlen(s->content_hash), 32);
	for (const char *p = s->content_hash; *p; p++)
		assert_non_null(strchr("0123456789abcdef", *p));
	assert_string_equal(s->search_text, "manis javanica");
	/* absent optional fields stay absent */
	assert_null(s->origin);
	assert_null(s->transport_mode);
	assert_null(s->value_currency);
}

/* ---- dates ------------------------------------------------------------------ */

static void test_parse_date(void **state)
{
	int y, m, d, p;
	assert_int_equal(seizure_parse_date("2024", &y, &m, &d, &p), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 0);
	assert_int_equal(d, 0);
	assert_int_equal(p, 1);
	assert_int_equal(seizure_parse_date("2024-02", &y, &m, &d, &p), 0);
	assert_int_equal(m, 2);
	assert_int_equal(p, 2);
	assert_int_equal(seizure_parse_date("2024-02-29", &y, &m, &d, &p), 0);
	assert_int_equal(d, 29);
	assert_int_equal(p, 3);
	assert_int_equal(seizure_parse_date("2000-02-29", &y, &m, &d, &p), 0); /* /400 leap */
	static const char *const badv[] = {
		"2023-02-29", "1900-02-29", "2025-13-01", "2025-00-10", "2025-01-00",
		"2024-04-31", "2024-1-05",  "24-01-01",   "2024/01/01", "2024-01-01T00",
		"1899",       "abcd",       "",           "20240",      "2024-02-3x",
		"+024",       " 2024",      "2024-",      "2024-1",
	};
	for (size_t i = 0; i < sizeof badv / sizeof *badv; i++)
		if (seizure_parse_date(badv[i], &y, &m, &d, &p) != -1)
			fail_msg("\"%s\" parsed as a date", badv[i]);
}

static void test_date_full_and_leap(void **state)
{
	struct seizure *s = base();
	s->date = "2024-02-29";
	ok(s);
	assert_string_equal(s->date_from, "2024-02-29");
	assert_string_equal(s->date_to, "2024-02-29");
	s = base();
	s->date = "  2024-03-01\t";
	ok(s);
	assert_string_equal(s->date, "2024-03-01");
	s = base();
	s->date = "2023-02-29";
	bad(s, "date", "is not a date");
	s = base();
	s->date = "2025-13-01";
	bad(s, "date", "\"2025-13-01\" is not a date");
	s = base();
	s->date = "15/03/2024";
	bad(s, "date", "YYYY-MM-DD");
}

static void test_date_partial(void **state)
{
	struct seizure *s = base();
	s->date = "2024";
	ok(s);
	assert_string_equal(s->date, "2024");
	assert_string_equal(s->date_from, "2024-01-01");
	assert_string_equal(s->date_to, "2024-12-31");
	s = base();
	s->date = "2024-02";
	ok(s);
	assert_string_equal(s->date_from, "2024-02-01");
	assert_string_equal(s->date_to, "2024-02-29");
	s = base();
	s->date = "2023-02";
	ok(s);
	assert_string_equal(s->date_to, "2023-02-28");
	s = base();
	s->date = "2023-11";
	ok(s);
	assert_string_equal(s->date_from, "2023-11-01");
	assert_string_equal(s->date_to, "2023-11-30");
}

static void test_date_required(void **state)
{
	struct seizure *s = base();
	s->date = NULL;
	bad(s, "date", "is required");
	s = base();
	s->date = "   ";
	bad(s, "date", "is required");
}

static void test_date_future(void **state)
{
	char today[16], tomorrow[16], buf[16];
	date_in_days(0, today, sizeof today);
	date_in_days(1, tomorrow, sizeof tomorrow);
	struct seizure *s = base();
	s->date = today;
	ok(s);
	s = base();
	s->date = tomorrow;
	bad(s, "date", "is in the future");
	/* this year and this month are not in the future, next year is */
	s = base();
	snprintf(buf, sizeof buf, "%.4s", today);
	s->date = buf;
	ok(s);
	s = base();
	snprintf(buf, sizeof buf, "%.7s", today);
	s->date = buf;
	ok(s);
	s = base();
	snprintf(buf, sizeof buf, "%d", atoi(today) + 1);
	s->date = buf;
	bad(s, "date", "is in the future");
	s = base();
	s->date = "2100-01-01";
	bad(s, "date", "is in the future");
}

/* ---- country, location, coordinates ---------------------------------------- */

static void test_country(void **state)
{
	static const char *const kh[] = { "KH", "kh", " KH ", "KHM", "Cambodia", "cambodia",
					  "កម្ពុជា" };
	for (size_t i = 0; i < sizeof kh / sizeof *kh; i++) {
		struct seizure *s = base();
		s->country = kh[i];
		ok(s);
		assert_string_equal(s->country, "KH");
	}
	struct seizure *s = base();
	s->country = "Viet Nam Republic";
	bad(s, "country", "\"Viet Nam Republic\" is not a country");
	s = base();
	s->country = "XX";
	bad(s, "country", "is not a country");
	s = base();
	s->country = NULL;
	bad(s, "country", "is required");
	s = base();
	s->country = "";
	bad(s, "country", "is required");
}

static void test_locode(void **state)
{
	struct seizure *s = base();
	s->locode = "KHKOS";
	ok(s);
	assert_string_equal(s->locode, "KHKOS");
	s = base();
	s->locode = " khkos ";
	ok(s);
	assert_string_equal(s->locode, "KHKOS");
	s = base();
	s->country = "Cambodia";
	s->locode = "KHPNH";
	ok(s);
	/* Ho Chi Minh City is in Vietnam, not in the country of seizure */
	s = base();
	s->locode = "VNSGN";
	bad(s, "locode", "VNSGN (Ho Chi Minh City) is not in the country of seizure KH");
	s = base();
	s->country = "VN";
	s->locode = "VNSGN";
	ok(s);
	s = base();
	s->locode = "ZZZZZ";
	bad(s, "locode", "\"ZZZZZ\" is not a known UN/LOCODE");
	/* an unknown country is reported once, the LOCODE is not compared */
	s = base();
	s->country = "Narnia";
	s->locode = "VNSGN";
	bad(s, "country", "is not a country");
}

static void test_coordinates(void **state)
{
	struct seizure *s = base();
	s->has_coords = 1;
	s->latitude = 10.6;
	s->longitude = 103.51667;
	ok(s);
	s = base();
	s->has_coords = 1;
	s->latitude = -90;
	s->longitude = 180;
	ok(s);
	s = base();
	s->has_coords = 1;
	s->latitude = 90.0001;
	s->longitude = 100;
	bad(s, "latitude", "between -90 and 90");
	s = base();
	s->has_coords = 1;
	s->latitude = 10;
	s->longitude = -180.5;
	bad(s, "longitude", "between -180 and 180");
	s = base();
	s->has_coords = 1;
	s->latitude = NAN;
	s->longitude = 100;
	bad(s, "latitude", NULL);
	s = base();
	s->has_coords = 1;
	s->latitude = 10;
	s->longitude = INFINITY;
	bad(s, "longitude", NULL);
	/* without has_coords the numbers are not looked at */
	s = base();
	s->latitude = 500;
	ok(s);
}

/* Coordinates from JSON: latitude and longitude go together. */
static int from_json(const char *text, struct seizure *s, struct error *err)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	assert_non_null(j);
	int rc = seizure_from_json(j, s, &ar, err);
	json_decref(j);
	return rc;
}

static void test_coordinates_json_pairing(void **state)
{
	struct error err = ERROR_INIT;
	struct seizure *s = base();
	assert_int_equal(from_json("{\"latitude\": 10.6, \"longitude\": 103.5}", s, &err), 0);
	assert_int_equal(err.nfields, 0);
	assert_true(s->has_coords);
	assert_true(s->latitude == 10.6 && s->longitude == 103.5);
	ok(s);
	s = base();
	assert_int_equal(from_json("{\"latitude\": null, \"longitude\": null}", s, &err), 0);
	assert_false(s->has_coords);
	s = base();
	assert_int_equal(from_json("{\"latitude\": null, \"longitude\": 103.5}", s, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, "latitude");
	assert_non_null(strstr(err.fields[0].message, "go together"));
	error_clear(&err);
	s = base();
	assert_int_equal(from_json("{\"latitude\": \"10\", \"longitude\": 103.5}", s, &err), -1);
	assert_string_equal(err.fields[0].field, "latitude");
	assert_string_equal(err.fields[0].message, "must be a number");
	error_clear(&err);
}

/* A "value" object must give its amount: a currency alone would be lost
 * when the record is written back (found by fuzz_seizure_json). */
static void test_value_object_needs_amount(void **state)
{
	(void)state;
	struct error err = ERROR_INIT;
	struct seizure *s = base();
	assert_int_equal(from_json("{\"value\": {\"amolawunt\": 2000, \"currency\": \"USD\"}}", s,
				   &err),
			 -1);
	assert_string_equal(err.fields[0].field, "value.amount");
	assert_string_equal(err.fields[0].message, "must be a number");
	error_clear(&err);
	s = base();
	assert_int_equal(from_json("{\"value\": {\"amount\": 2000, \"currency\": \"USD\"}}", s, &err),
			 0);
	assert_true(s->has_value && s->value_amount == 2000);
	assert_string_equal(s->value_currency, "USD");
}

/* ---- vocabularies ------------------------------------------------------------ */

static void test_vocab_codes_and_synonyms(void **state)
{
	struct seizure *s = base();
	s->detection_method = "x-ray";
	s->transport_mode = "courier";
	s->reason = "No Permit";
	s->legal_action = "prosecution";
	s->disposal = " burnt ";
	ok(s);
	assert_string_equal(s->detection_method, "xray");
	assert_string_equal(s->transport_mode, "post");
	assert_string_equal(s->reason, "no_permit");
	assert_string_equal(s->legal_action, "criminal");
	assert_string_equal(s->disposal, "destroyed");
	s = base();
	s->transport_mode = "ផ្លូវអាកាស";
	s->detection_method = "Sniffer dog";
	ok(s);
	assert_string_equal(s->transport_mode, "air");
	assert_string_equal(s->detection_method, "sniffer_dog");
	s = base();
	s->transport_mode = "";
	ok(s);
	assert_null(s->transport_mode);
}

static void test_vocab_unknown(void **state)
{
	struct seizure *s = base();
	s->transport_mode = "teleport";
	bad(s, "transport_mode",
	    "\"teleport\" is not one of: air, sea, road, rail, post, on_foot, vessel, unknown");
	s = base();
	s->detection_method = "psychic";
	bad(s, "detection_method", "routine_inspection, risk_profiling, xray, sniffer_dog");
	s = base();
	s->reason = "x";
	bad(s, "reason", "\"x\" is not one of: no_permit,");
	s = base();
	s->legal_action = "x";
	bad(s, "legal_action", "criminal, civil, administrative, none, pending, unknown");
	s = base();
	s->disposal = "eaten";
	bad(s, "disposal", "stockpile, destroyed");
}

static void test_concealment(void **state)
{
	/* free text that is a known name gives the code */
	struct seizure *s = base();
	s->concealment = "  suitcase ";
	ok(s);
	assert_string_equal(s->concealment, "suitcase");
	assert_string_equal(s->concealment_code, "hidden_in_luggage");
	/* other free text is kept without a code */
	s = base();
	s->concealment = "under frozen fish in a cool box";
	ok(s);
	assert_null(s->concealment_code);
	/* a code (or synonym) given is checked and normalised */
	s = base();
	s->concealment = "under frozen fish";
	s->concealment_code = "false bottom";
	ok(s);
	assert_string_equal(s->concealment_code, "false_compartment");
	s = base();
	s->concealment_code = "in the fish";
	bad(s, "concealment", "\"in the fish\" is not one of: none, hidden_in_luggage");
}

/* ---- country lists ------------------------------------------------------------ */

static void test_country_lists(void **state)
{
	struct seizure *s = base();
	s->origin = "CN; vn ,Laos";
	s->transit = "Vietnam";
	s->destination = "ចិន";
	s->offender_nationalities = "KHM|tha";
	ok(s);
	assert_string_equal(s->origin, "CN;VN;LA");
	assert_string_equal(s->transit, "VN");
	assert_string_equal(s->destination, "CN");
	assert_string_equal(s->offender_nationalities, "KH;TH");
	/* duplicates are dropped, empty pieces skipped */
	s = base();
	s->origin = "VN;vn;;Vietnam; ;VNM";
	ok(s);
	assert_string_equal(s->origin, "VN");
	s = base();
	s->transit = " ; , ";
	ok(s);
	assert_null(s->transit);
	s = base();
	s->origin = "";
	ok(s);
	assert_null(s->origin);
}

static void test_country_list_errors(void **state)
{
	struct seizure *s = base();
	s->origin = "CN;Narnia";
	bad(s, "origin[1]", "\"Narnia\" is not a country");
	s = base();
	s->destination = "Mordor";
	bad(s, "destination[0]", "\"Mordor\" is not a country");
	s = base();
	s->transit = "LA; XX";
	bad(s, "transit[1]", "\"XX\"");
	s = base();
	s->offender_nationalities = "Atlantis";
	bad(s, "offender_nationalities[0]", NULL);
}

/* ---- value ------------------------------------------------------------------------ */

static void test_value(void **state)
{
	struct seizure *s = base();
	s->has_value = 1;
	s->value_amount = 25000;
	s->value_currency = " usd ";
	ok(s);
	assert_string_equal(s->value_currency, "USD");
	s = base();
	s->has_value = 1;
	s->value_amount = 0;
	s->value_currency = "KHR";
	ok(s);
	s = base();
	s->has_value = 1;
	s->value_amount = 100;
	bad(s, "value_currency", "is required when a value is given");
	s = base();
	s->has_value = 1;
	s->value_amount = -1;
	s->value_currency = "USD";
	bad(s, "value_amount", "0 or more");
	s = base();
	s->has_value = 1;
	s->value_amount = NAN;
	s->value_currency = "USD";
	bad(s, "value_amount", NULL);
	s = base();
	s->has_value = 1;
	s->value_amount = INFINITY;
	s->value_currency = "USD";
	bad(s, "value_amount", NULL);
	static const char *const badc[] = { "US", "USDD", "U1D", "€", "us$" };
	for (size_t i = 0; i < sizeof badc / sizeof *badc; i++) {
		s = base();
		s->has_value = 1;
		s->value_amount = 5;
		s->value_currency = badc[i];
		bad(s, "value_currency", "ISO 4217");
	}
}

/* ---- text fields and sharing ------------------------------------------------------ */

static void test_text_fields(void **state)
{
	char ref[102], place[202];
	memset(ref, 'r', 101);
	ref[101] = '\0';
	memset(place, 'p', 201);
	place[201] = '\0';
	struct seizure *s = base();
	s->ref = ref;
	bad(s, "ref", "at most 100");
	ref[100] = '\0';
	s = base();
	s->ref = ref;
	ok(s);
	s = base();
	s->place = place;
	bad(s, "place", "at most 200");
	s = base();
	s->province = place;
	bad(s, "province", "at most 200");
	s = base();
	s->place = "  Sihanoukville port \n";
	s->notes = "   ";
	ok(s);
	assert_string_equal(s->place, "Sihanoukville port");
	assert_null(s->notes);
}

static void test_sharing(void **state)
{
	struct seizure *s = base();
	s->sharing = "agency";
	ok(s);
	assert_string_equal(s->sharing, "agency");
	s = base();
	s->sharing = "";
	ok(s);
	assert_string_equal(s->sharing, "national");
	s = base();
	s->sharing = "public";
	bad(s, "sharing", "\"agency\"");
}

/* ---- items ---------------------------------------------------------------------- */

static void test_items_count(void **state)
{
	struct seizure *s = base();
	s->nitems = 0;
	bad(s, "items", "at least one item");
	s = base();
	s->items = arena_alloc(&ar, 501 * sizeof *s->items);
	s->nitems = 501;
	bad(s, "items", "at most 500");
}

static void test_item_species_names(void **state)
{
	static const struct {
		const char *name;
		int64_t id;
		const char *taxon_name;
	} t[] = {
		{ "Manis javanica", 5034, "Manis javanica" },
		{ "manis JAVANICA", 5034, "Manis javanica" },
		{ "Phataginus gigantea", 11136, "Manis gigantea" }, /* synonym */
		{ "Sunda Pangolin", 5034, "Manis javanica" },       /* English */
		{ "ពង្រូលជ្វា", 5034, "Manis javanica" },          /* Khmer */
		{ "tê tê Java", 5034, "Manis javanica" },            /* Vietnamese */
		{ "马来穿山甲", 5034, "Manis javanica" },           /* Chinese */
		{ "tiger", 6047, "Panthera tigris" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct seizure *s = base();
		s->items[0].species = t[i].name;
		ok(s);
		assert_int_equal(s->items[0].taxon_id, t[i].id);
		assert_string_equal(s->items[0].taxon_name, t[i].taxon_name);
		/* the name as recorded is kept */
		assert_string_equal(s->items[0].species, t[i].name);
	}
}

static void test_item_species_by_id(void **state)
{
	struct seizure *s = base();
	s->items[0].species = NULL;
	s->items[0].taxon_id = 6047;
	ok(s);
	assert_string_equal(s->items[0].species, "Panthera tigris");
	assert_string_equal(s->items[0].taxon_name, "Panthera tigris");
	s = base();
	s->items[0].species = "";
	s->items[0].taxon_id = 1;
	bad(s, "items[0].taxon_id", "no taxon has id 1");
	s = base();
	s->items[0].species = "  ";
	bad(s, "items[0].species", "is required");
}

static void test_item_species_errors(void **state)
{
	struct seizure *s = base();
	s->items[0].species = "elephant";
	bad(s, "items[0].species",
	    "\"elephant\" is ambiguous: it names 2 taxa (");
	s = base();
	s->items[0].species = "elephant";
	struct error err = ERROR_INIT;
	assert_int_equal(seizure_validate(fx.ref, s, &ar, &err), -1);
	assert_non_null(strstr(err.fields[0].message, "Elephas maximus"));
	assert_non_null(strstr(err.fields[0].message, "Loxodonta africana"));
	assert_non_null(strstr(err.fields[0].message, "use the scientific name"));
	error_clear(&err);
	/* more candidates than listed: nine taxa, six named and "…" */
	s = base();
	s->items[0].species = "ពង្រូល";
	assert_int_equal(seizure_validate(fx.ref, s, &ar, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_non_null(strstr(err.fields[0].message, "it names 9 taxa ("));
	assert_non_null(strstr(err.fields[0].message, ", …)"));
	assert_non_null(strstr(err.fields[0].message, "Manis"));
	error_clear(&err);
	s = base();
	s->items[0].species = "Unicornis fabulosa";
	bad(s, "items[0].species", "\"Unicornis fabulosa\" is not a known species name");
}

static void test_item_term_unit(void **state)
{
	struct seizure *s = base();
	s->items[0].term = " sca ";
	s->items[0].unit = "kil";
	ok(s);
	assert_string_equal(s->items[0].term, "SCA");
	assert_string_equal(s->items[0].unit, "KIL");
	/* NUM (and an empty or absent unit) means a number of specimens */
	static const char *const count[] = { "NUM", "num", "", NULL, "  " };
	for (size_t i = 0; i < sizeof count / sizeof *count; i++) {
		s = base();
		s->items[0].term = "LIV";
		s->items[0].unit = count[i];
		s->items[0].quantity = 3;
		ok(s);
		assert_string_equal(s->items[0].unit, "");
	}
	s = base();
	s->items[0].term = "SKI";
	s->items[0].unit = "sqm";
	ok(s);
	assert_string_equal(s->items[0].unit, "SQM");
}

static void test_item_term_unit_errors(void **state)
{
	struct seizure *s = base();
	s->items[0].term = NULL;
	bad(s, "items[0].term", "is required");
	s = base();
	s->items[0].term = "xyz";
	bad(s, "items[0].term", "\"XYZ\" is not a CITES term code");
	s = base();
	s->items[0].unit = "XYZ";
	bad(s, "items[0].unit", "\"XYZ\" is not a CITES unit code");
	s = base();
	s->items[0].unit = "SQM";
	bad(s, "items[0].unit",
	    "unit SQM is not allowed with term SCA; allowed units: -|GRM|KIL|MGM|MYG");
	s = base();
	s->items[0].term = "TUS";
	s->items[0].unit = "pcs";
	bad(s, "items[0].unit", "unit PCS is not allowed with term TUS");
}

static void test_item_quantity(void **state)
{
	double badq[] = { 0, -1, -0.0001, NAN, INFINITY, -INFINITY };
	for (size_t i = 0; i < sizeof badq / sizeof *badq; i++) {
		struct seizure *s = base();
		s->items[0].quantity = badq[i];
		bad(s, "items[0].quantity", "greater than 0");
	}
	struct seizure *s = base();
	s->items[0].quantity = 2e12;
	bad(s, "items[0].quantity", "implausibly large");
	s = base();
	s->items[0].quantity = 0.001;
	ok(s);
	s = base();
	s->items[0].live = 2;
	bad(s, "items[0].live", NULL);
	s = base();
	s->items[0].live = 1;
	ok(s);
}

static void test_item_field_names(void **state)
{
	/* the second item's unit is wrong: the error names items[1].unit only */
	struct seizure *s = base();
	add_item(s, "Panthera tigris", "SKI", 2, "SQM");
	add_item(s, "Panthera tigris", "BOD", 1, "PCS");
	bad(s, "items[2].unit", "not allowed with term BOD");
	s = base();
	add_item(s, "Panthera tigris", "SKI", 2, "BANANA");
	bad(s, "items[1].unit", "\"BANANA\"");
	s = base();
	add_item(s, "Panthera tigris", "SKI", 0, "");
	bad(s, "items[1].quantity", NULL);
	s = base();
	add_item(s, "nobody knows", "SKI", 1, "");
	bad(s, "items[1].species", NULL);
}

static void test_errors_accumulate(void **state)
{
	struct seizure *s = base();
	s->date = "2023-02-29";
	s->country = "Narnia";
	s->transport_mode = "teleport";
	add_item(s, "Panthera tigris", "XYZ", -1, "");
	struct error err = ERROR_INIT;
	assert_int_equal(seizure_validate(fx.ref, s, &ar, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	static const char *const want[] = { "date", "country", "transport_mode", "items[1].term",
					    "items[1].quantity" };
	assert_int_equal(err.nfields, 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(err.fields[i].field, want[i]);
	/* nothing is derived from an invalid record */
	assert_null(s->content_hash);
	assert_null(s->search_text);
	error_clear(&err);
}

/* ---- derived fields ---------------------------------------------------------- */

static void test_search_text(void **state)
{
	struct seizure *s = base();
	s->ref = "KP-1";
	s->place = "Sihanoukville Port";
	s->province = "Preah Sihanouk";
	s->locode = "khkos";
	s->concealment = "Under RICE bags";
	s->notes = "Tip-off; Đồng Nai truck!";
	s->items[0].species = "Sunda Pangolin";
	add_item(s, "ពង្រូលជ្វា", "LIV", 2, "");
	ok(s);
	assert_string_equal(s->search_text,
			    "kp 1 sihanoukville port preah sihanouk khkos under rice bags tip off "
			    "dong nai truck sunda pangolin manis javanica ពង្រូលជ្វា manis "
			    "javanica");
}

static const char *hash_of(struct seizure *s)
{
	ok(s);
	return s->content_hash;
}

static void test_content_hash_equal(void **state)
{
	const char *h1 = hash_of(base());
	const char *h2 = hash_of(base());
	assert_string_equal(h1, h2);
	/* the hash is over the normalised record: equivalent inputs agree */
	struct seizure *s = base();
	s->country = "Cambodia";
	s->items[0].term = "sca";
	s->items[0].unit = "kil";
	s->notes = "   ";
	assert_string_equal(hash_of(s), h1);
	/* validating twice gives the same hash */
	s = base();
	const char *once = hash_of(s);
	assert_string_equal(hash_of(s), once);
}

/* The content hash is stored: a re-import compares the file's against it, so
 * it must not change from one version of kouprey to the next.  These values
 * were made by the code of 2026-11-29 (whole numbers, fractions, negative
 * numbers, zero, large values, no coordinates). */
static void test_content_hash_stable(void **state)
{
	(void)state;
	static const struct {
		double q, lat, lon, value;
		int coords;
		const char *want;
	} cases[] = {
		{ 12.5, 0, 0, 0, 0, "7726df31ec67b0ba733c4ee84f267470" },
		{ 3, 11.55, 104.9167, 5000, 1, "fa872de1f6b98125084636a37614bb63" },
		{ 1e12, -0.1, -179.99999, 123456789012, 1, "9f4cf8d38187da3bed442463e88af0fb" },
		{ 0.001, 0, 0, 0.5, 1, "78f9a688d53f9079d4a45a8e737f4ea4" },
		{ 999999999999, -33, 151, 1e15, 1, "39aec9b2dbda128ac437795bc6d942ef" },
		{ 7, 20.27625, 100.39463, 999999999999999, 1, "3049fb51f3b5995db520593757755412" },
		{ 1, -90, -180, 2e16, 1, "55d2ed0000a7c1a3cc28ab5f47f210d9" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct seizure *s = base();
		s->items[0].quantity = cases[i].q;
		s->has_coords = cases[i].coords;
		s->latitude = cases[i].lat;
		s->longitude = cases[i].lon;
		s->has_value = cases[i].value != 0;
		s->value_amount = cases[i].value;
		s->value_currency = s->has_value ? "USD" : NULL;
		const char *h = hash_of(s);
		if (strcmp(h, cases[i].want) != 0)
			fail_msg("case %zu: %s, want %s", i, h, cases[i].want);
	}
	/* fields longer than the hash's input buffer, before and after a short
	 * one, and several items (values pinned before the buffer existed) */
	static const struct {
		size_t law, notes;
		const char *want;
	} longer[] = {
		{ 1000, 0, "d9263a5517cf667895ad7626511f2e56" },
		{ 1023, 1, "89d6db4395a0830a430e2f6741349594" },
		{ 3000, 5000, "3adf2abbdb46d1851a012f59ab7d8a5f" },
		{ 10, 1100, "3353293040496b913b75c2d07007d1a0" },
	};
	for (size_t i = 0; i < sizeof longer / sizeof *longer; i++) {
		struct seizure *s = base();
		char *law = test_malloc(longer[i].law + 1);
		char *notes = test_malloc(longer[i].notes + 1);
		for (size_t k = 0; k < longer[i].law; k++)
			law[k] = (char)('a' + k % 26);
		law[longer[i].law] = '\0';
		for (size_t k = 0; k < longer[i].notes; k++)
			notes[k] = (char)('A' + k % 23);
		notes[longer[i].notes] = '\0';
		s->law = law;
		s->sanctions = "fine";
		s->notes = notes;
		if (i == 2) {
			/* several items, each a dozen fields */
			s->nitems = 4;
			for (size_t k = 1; k < 4; k++) {
				s->items[k] = s->items[0];
				s->items[k].quantity = (double)k * 1.25;
			}
		}
		const char *h = hash_of(s);
		int same = strcmp(h, longer[i].want) == 0;
		char got[40];
		snprintf(got, sizeof got, "%s", h);
		test_free(law);
		test_free(notes);
		if (!same)
			fail_msg("long case %zu: %s, want %s", i, got, longer[i].want);
	}
}

static void test_content_hash_changes(void **state)
{
	const char *h = hash_of(base());
	struct seizure *s;
#define DIFFERS(stmt)                                                            \
	do {                                                                     \
		s = base();                                                      \
		stmt;                                                            \
		const char *h2 = hash_of(s);                                     \
		if (strcmp(h, h2) == 0)                                          \
			fail_msg("hash unchanged after: %s", #stmt);             \
	} while (0)
	DIFFERS(s->ref = "KP-2");
	DIFFERS(s->sharing = "agency");
	DIFFERS(s->date = "2024-03-16");
	DIFFERS(s->date = "2024-03");
	DIFFERS(s->country = "VN");
	DIFFERS(s->place = "Phnom Penh");
	DIFFERS(s->province = "Kandal");
	DIFFERS(s->locode = "KHPNH");
	DIFFERS((s->has_coords = 1, s->latitude = 0, s->longitude = 0));
	DIFFERS((s->has_coords = 1, s->latitude = 10.5, s->longitude = 104));
	DIFFERS(s->reason = "no_permit");
	DIFFERS(s->transport_mode = "air");
	DIFFERS(s->detection_method = "xray");
	DIFFERS(s->concealment = "in rice");
	DIFFERS(s->concealment_code = "container");
	DIFFERS(s->origin = "CN");
	DIFFERS(s->transit = "VN");
	DIFFERS(s->destination = "CN");
	DIFFERS(s->offender_nationalities = "VN");
	DIFFERS((s->has_value = 1, s->value_amount = 10, s->value_currency = "USD"));
	DIFFERS(s->value_currency = "USD");
	DIFFERS(s->legal_action = "criminal");
	DIFFERS(s->law = "Forestry Law art. 98");
	DIFFERS(s->sanctions = "fine");
	DIFFERS(s->disposal = "stockpile");
	DIFFERS(s->notes = "x");
	DIFFERS(s->agency_id = 2);
	DIFFERS(s->items[0].species = "Sunda Pangolin");
	DIFFERS(s->items[0].species = "Manis pentadactyla");
	DIFFERS(s->items[0].term = "SKI");
	DIFFERS(s->items[0].unit = "GRM");
	DIFFERS(s->items[0].quantity = 12.51);
	DIFFERS(s->items[0].live = 0);
	DIFFERS(add_item(s, "Manis javanica", "SCA", 12.5, "KIL"));
	/* swapping two items is a change of content too */
	struct seizure *a = base(), *b = base();
	add_item(a, "Panthera tigris", "SKI", 1, "");
	b->items[0] = a->items[1];
	b->items[1] = a->items[0];
	b->nitems = 2;
	const char *ha = hash_of(a), *hb = hash_of(b);
	assert_string_not_equal(ha, hb);
	/* "ab"+"c" and "a"+"bc" in neighbouring fields do not collide */
	a = base();
	b = base();
	a->place = "ab";
	a->province = "c";
	b->place = "a";
	b->province = "bc";
	assert_string_not_equal(hash_of(a), hash_of(b));
#undef DIFFERS
}

/* The pairing of latitude and longitude does not depend on key order. */
static void test_coordinates_json_any_order(void **state)
{
	struct error err = ERROR_INIT;
	struct seizure *s = base();
	assert_int_equal(from_json("{\"longitude\": 103.5, \"latitude\": 10.6}", s, &err), 0);
	assert_true(s->has_coords);
	s = base();
	assert_int_equal(from_json("{\"latitude\": 10.6}", s, &err), -1);
	assert_string_equal(err.fields[0].field, "longitude");
	error_clear(&err);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_valid_minimal),
		T(test_coordinates_json_any_order),
		T(test_parse_date),
		T(test_date_full_and_leap),
		T(test_date_partial),
		T(test_date_required),
		T(test_date_future),
		T(test_country),
		T(test_locode),
		T(test_coordinates),
		T(test_coordinates_json_pairing),
		T(test_value_object_needs_amount),
		T(test_vocab_codes_and_synonyms),
		T(test_vocab_unknown),
		T(test_concealment),
		T(test_country_lists),
		T(test_country_list_errors),
		T(test_value),
		T(test_text_fields),
		T(test_sharing),
		T(test_items_count),
		T(test_item_species_names),
		T(test_item_species_by_id),
		T(test_item_species_errors),
		T(test_item_term_unit),
		T(test_item_term_unit_errors),
		T(test_item_quantity),
		T(test_item_field_names),
		T(test_errors_accumulate),
		T(test_search_text),
		T(test_content_hash_equal),
		T(test_content_hash_stable),
		T(test_content_hash_changes),
	};
#undef T
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	fixture_cleanup();
	return rc;
}
