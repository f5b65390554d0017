/*
 * The intelligence brief (src/report/brief.h): the PDF's text, extracted
 * with pdftotext (poppler-utils), holds the right figures and labels; empty
 * sections are left out; the marking is on every page; Khmer is shaped with
 * a Khmer font (pdffonts) and page 1 of a Khmer brief is kept as a PNG
 * (pdftoppm) under build/test-artifacts/; the country outlines load; and a
 * brief collected from a small database through the analytics engine has
 * the figures worked out by hand, as the acting user may see them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analytics/analytics.h"
#include "fixture.h"
#include "lib/dynbuf.h"
#include "lib/table.h"
#include "lib/xalloc.h"
#include "report/brief.h"
#include "seizure/import.h"
#include "report/geo.h"
#include "seizure/export.h"

#ifndef KOUPREY_SOURCE_DIR
#define KOUPREY_SOURCE_DIR "."
#endif

/* ---- helpers ------------------------------------------------------------- */

/* Renders b to a temporary PDF file; returns its path (free it; unlink it). */
static char *render(const struct brief *b)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/kouprey-brief-XXXXXX.pdf", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	assert_non_null(f);
	struct error err = ERROR_INIT;
	int rc = brief_render_pdf(b, seizure_write_file, f, &err);
	if (rc != 0)
		fprintf(stderr, "brief: %s\n", err.message ? err.message : "?");
	assert_int_equal(rc, 0);
	assert_int_equal(fclose(f), 0);
	error_clear(&err);
	return path;
}

/* The standard output of a command (the caller frees it). */
static char *run(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	assert_true(vasprintf(&cmd, fmt, ap) > 0);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct dynbuf out = DYNBUF_INIT(64u << 20);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		assert_int_equal(dynbuf_add(&out, buf, n), 0);
	int rc = pclose(p);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	assert_int_equal(rc, 0);
	free(cmd);
	return dynbuf_take(&out);
}

static char *pdf_text(const char *path)
{
	return run("pdftotext -enc UTF-8 '%s' -", path);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

static int pages(const char *path)
{
	char *info = run("pdfinfo '%s'", path);
	const char *p = strstr(info, "Pages:");
	assert_non_null(p);
	int n = atoi(p + 6);
	free(info);
	return n;
}

#define assert_contains(hay, needle) \
	do { \
		if (!strstr((hay), (needle))) \
			fail_msg("\"%s\" not in the PDF's text:\n%s", (needle), (hay)); \
	} while (0)
#define assert_lacks(hay, needle) \
	do { \
		if (strstr((hay), (needle))) \
			fail_msg("\"%s\" should not be in the PDF's text", (needle)); \
	} while (0)

/* ---- the data -------------------------------------------------------------- */

static struct brief_period periods[] = {
	{ "2022", 3, 120 }, { "2023", 7, 300.5 }, { "2024", 16, 1480 },
};
static struct brief_count species[] = {
	{ "4454", "Manis javanica", 17, 1500 },
	{ "8815", "Panthera tigris", 6, 30 },
	{ "4433", "Elephas maximus", 3, 0 },
};
static struct brief_count countries_en[] = {
	{ "KH", "Cambodia", 14, 900 }, { "VN", "Viet Nam", 9, 700 }, { "TH", "Thailand", 3, 10.5 },
};
static struct brief_count countries_km[] = {
	{ "KH", "កម្ពុជា", 14, 900 }, { "VN", "វៀតណាម", 9, 700 }, { "TH", "ថៃ", 3, 10.5 },
};
static struct brief_count terms[] = {
	{ "SCA", "scales (SCA)", 17, 1500 }, { "SKI", "skins (SKI)", 5, 0 },
};
static struct brief_route routes[] = {
	{ "Nigeria", "Malaysia", "Viet Nam", 5, 1200, 0.25 },
	{ "Cambodia", "", "China", 3, 40, NAN },
};
static struct brief_count map[] = {
	{ "KH", "", 14, 0 }, { "VN", "", 9, 0 }, { "TH", "", 3, 0 },
};
static struct brief_point points[] = { { 10.63, 103.5 }, { 11.55, 104.9 } };
static struct brief_index indices[] = {
	{ 2022, 100, 100 }, { 2023, 233.3, 250.4 }, { 2024, 533.3, 1233.3 },
};

static struct brief full(const char *lang)
{
	int km = strcmp(lang, "km") == 0;
	struct brief b = {
		.lang = lang,
		.scope = "Period: 2022 – 2024 · Taxon: Manidae",
		.generated = "2025-01-02 10:00 UTC, analyst",
		.seizures = 26, .items = 31, .kg = 1900.5, .countries = 5, .species = 3,
		.periods = periods, .nperiods = 3,
		.by_species = species, .nby_species = 3,
		.by_country = km ? countries_km : countries_en, .nby_country = 3,
		.by_term = terms, .nby_term = 2,
		.routes = routes, .nroutes = 2,
		.map = map, .nmap = 3, .points = points, .npoints = 2,
		.indices = indices, .nindices = 3, .index_base_year = 2022,
		.index_note = "Indices move with enforcement effort.",
	};
	return b;
}

/* ---- tests ----------------------------------------------------------------- */

static void brief_has_the_figures_and_labels(void **state)
{
	(void)state;
	struct brief b = full("en");
	char *path = render(&b);
	char *t = pdf_text(path);
	assert_contains(t, "RESTRICTED — LAW ENFORCEMENT USE ONLY");
	assert_contains(t, "Wildlife seizures — intelligence brief");
	assert_contains(t, "Period: 2022 – 2024 · Taxon: Manidae");
	assert_contains(t, "2025-01-02 10:00 UTC, analyst");
	/* summary figures, formatted */
	assert_contains(t, "Seizures");
	assert_contains(t, "26");
	assert_contains(t, "31");
	assert_contains(t, "1,901");   /* 1900.5 kg rounds to 1,901 above 1000 */
	assert_contains(t, "Countries involved");
	assert_contains(t, "Reading these figures");
	/* sections with their data */
	assert_contains(t, "Seizures and weight by period");
	assert_contains(t, "2024");
	assert_contains(t, "Species and taxa (number of seizures)");
	assert_contains(t, "Manis javanica");
	assert_contains(t, "17 (1,500 kg)");
	assert_contains(t, "Country of seizure (number of seizures)");
	assert_contains(t, "Viet Nam");
	assert_contains(t, "3 (10.5 kg)");
	assert_contains(t, "scales (SCA)");
	assert_contains(t, "Main routes");
	assert_contains(t, "Nigeria");
	assert_contains(t, "Malaysia");
	assert_contains(t, "+25 %");
	assert_contains(t, "direct");      /* the route without transit */
	assert_contains(t, "1,200");
	assert_contains(t, "Seizures by country");
	assert_contains(t, "dots: seizures with coordinates");
	assert_contains(t, "Transaction and weight indices (base year 2022 = 100)");
	assert_contains(t, "Indices move with enforcement effort.");
	free(t);
	assert_true(pages(path) >= 3);
	unlink(path);
	free(path);
}

static void marking_is_configurable_and_on_every_page(void **state)
{
	(void)state;
	struct brief b = full("en");
	b.marking = "SECRET — CASE 42 ONLY";
	b.title = "Pangolin scales 2022–2024";
	char *path = render(&b);
	char *t = pdf_text(path);
	int n = pages(path);
	assert_int_equal(count(t, "SECRET — CASE 42 ONLY"), 2 * n); /* top and bottom */
	assert_lacks(t, "RESTRICTED");
	assert_contains(t, "Pangolin scales 2022–2024");
	assert_contains(t, "Page 1");
	free(t);
	unlink(path);
	free(path);
}

static void no_section_without_data(void **state)
{
	(void)state;
	struct brief b = full("en");
	b.nroutes = 0;
	b.nmap = 0;
	b.npoints = 0;
	b.nindices = 0;
	b.nby_term = 0;
	char *path = render(&b);
	char *t = pdf_text(path);
	assert_contains(t, "Species and taxa (number of seizures)");
	assert_lacks(t, "Main routes");
	assert_lacks(t, "Seizures by country");
	assert_lacks(t, "indices");
	assert_lacks(t, "CITES term");
	free(t);
	unlink(path);
	free(path);

	/* nothing matches: one page that says so, no sections */
	struct brief empty = { .lang = "en", .scope = "Taxon: Dodo" };
	path = render(&empty);
	t = pdf_text(path);
	assert_int_equal(pages(path), 1);
	assert_contains(t, "No seizures match this filter.");
	assert_contains(t, "Taxon: Dodo");
	assert_lacks(t, "by period");
	assert_lacks(t, "Reading these figures");
	free(t);
	unlink(path);
	free(path);
}

static int drawn;
static int draw_network(cairo_t *cr, double x, double y, double w, double h, void *ctx)
{
	drawn++;
	assert_ptr_equal(ctx, &drawn);
	assert_true(w > 400 && h == 200);
	cairo_rectangle(cr, x, y, w, h);
	cairo_stroke(cr);
	return 0;
}

static void extra_sections_are_the_hook(void **state)
{
	(void)state;
	struct brief_section s[] = {
		{ .title = "Network of the offenders", .height = 200, .draw = draw_network, .ctx = &drawn },
		{ .title = "Never drawn", .height = 100, .draw = NULL },
	};
	struct brief b = full("en");
	b.extra = s;
	b.nextra = 2;
	drawn = 0;
	char *path = render(&b);
	char *t = pdf_text(path);
	assert_int_equal(drawn, 1);
	assert_contains(t, "Network of the offenders");
	assert_lacks(t, "Never drawn");
	free(t);
	unlink(path);
	free(path);
}

/* 1 when the file's first 8 bytes are the PNG signature. */
static int is_png(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	unsigned char sig[8] = { 0 };
	size_t n = fread(sig, 1, 8, f);
	fclose(f);
	return n == 8 && memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static void khmer_renders_with_a_khmer_font(void **state)
{
	(void)state;
	struct brief b = full("km");
	char *path = render(&b);
	char *fonts = run("pdffonts '%s'", path);
	if (!strstr(fonts, "Khmer"))
		fail_msg("no Khmer font in the PDF:\n%s", fonts);
	free(fonts);
	/* the Khmer labels are in the text layer */
	char *t = pdf_text(path);
	assert_contains(t, "RESTRICTED — LAW ENFORCEMENT USE ONLY");
	assert_contains(t, "1,901");
	assert_contains(t, "សេចក្តីសង្ខេប");            /* Summary */
	assert_contains(t, "វៀតណាម");                    /* (pdftotext splits some clusters with spaces) */
	free(t);

	/* page 1 as a PNG, kept for people to look at */
	const char *dir = KOUPREY_SOURCE_DIR "/build/test-artifacts";
	mkdir(KOUPREY_SOURCE_DIR "/build", 0755);
	mkdir(dir, 0755);
	char *png_base = xasprintf("%s/brief-km-page1", dir);
	char *png = xasprintf("%s.png", png_base);
	unlink(png);
	free(run("pdftoppm -png -r 100 -f 1 -l 1 -singlefile '%s' '%s'", path, png_base));
	assert_true(is_png(png));
	struct stat sb;
	assert_int_equal(stat(png, &sb), 0);
	/* not blank: count the dark pixels of a grey rendering (PGM, 8 bit) */
	char *pgm = run("pdftoppm -gray -r 50 -f 1 -l 1 -singlefile '%s'", path);
	int w = 0, h = 0, maxv = 0, off = 0;
	assert_int_equal(sscanf(pgm, "P5 %d %d %d%n", &w, &h, &maxv, &off), 3);
	assert_true(w > 300 && h > 400 && maxv == 255);
	const unsigned char *px = (const unsigned char *)pgm + off + 1;
	long dark = 0;
	for (long i = 0; i < (long)w * h; i++)
		dark += px[i] < 128;
	/* the title, marking, boxes and note: well over 0.5 % of the page */
	assert_true(dark > (long)w * h / 200);
	free(pgm);
	free(png);
	free(png_base);
	unlink(path);
	free(path);
}

static void country_outlines_load(void **state)
{
	(void)state;
	struct error err = ERROR_INIT;
	struct geo_countries *g = geo_countries_load(&err);
	assert_non_null(g);
	assert_int_equal(g->n, 177);
	const struct geo_country *kh = geo_country_find(g, "KH");
	assert_non_null(kh);
	assert_string_equal(kh->name, "Cambodia");
	assert_true(kh->min_lon > 102 && kh->max_lon < 108 && kh->min_lat > 10 && kh->max_lat < 15);
	/* Natural Earth's -99 is mapped: France and Norway have their codes */
	assert_non_null(geo_country_find(g, "FR"));
	assert_non_null(geo_country_find(g, "NO"));
	for (size_t i = 0; i < g->n; i++) {
		assert_int_equal(strlen(g->c[i].iso2), 2);
		assert_true(g->c[i].nrings > 0);
	}
	assert_null(geo_country_find(g, "ZZ"));
	size_t len = 0;
	const char *text = geo_countries_geojson(&len);
	assert_true(len > 100000 && strncmp(text, "{\"type\":\"FeatureCollection\"", 27) == 0);
	geo_countries_free(g);
}

static void labels_in_both_languages(void **state)
{
	(void)state;
	assert_string_equal(brief_label("en", "routes"), "Main routes");
	assert_string_equal(brief_label("km", "routes"), "ផ្លូវដឹកជញ្ជូនសំខាន់ៗ");
	assert_string_equal(brief_label(NULL, "seizures"), "Seizures");
	assert_string_equal(brief_label("km", "no-such-key"), "no-such-key");
}

/* ---- from a database ---------------------------------------------------------- */

static const char *const register_csv =
	"seizure_ref,date,agency,country,origin,transit,destination,transport_mode,species,term,"
	"quantity,unit,sharing\n"
	"S1,2023-05-10,,KH,NG,MY,VN,sea,Manis javanica,SCA,100,KIL,\n"
	"S2,2024-02-01,,KH,NG,MY,VN,sea,Manis javanica,SCA,20,KIL,\n"
	"S3,2024-03-15,,VN,KH,,CN,road,Panthera tigris,BON,3,KIL,\n"
	"S4,2024-06-01,,TH,,,,air,Manis javanica,SCA,5.5,KIL,\n"
	/* the forestry administration's own: customs users never count it */
	"F1,2024-04-02,Forestry Administration,LA,,,,road,Manis javanica,SCA,900,KIL,agency\n";

static void load_register(struct fixture *fx)
{
	struct error err = ERROR_INIT;
	struct table_reader *t = table_open_mem(register_csv, strlen(register_csv), &err);
	assert_non_null(t);
	struct import_options opt = { 0 };
	struct import_report rep = { 0 };
	int rc = seizure_import(fx->st, fx->ref, &fx->admin, t, &opt, &rep, &err);
	for (size_t i = 0; rc != 0 && i < rep.nerrors; i++)
		fprintf(stderr, "row %zu, %s: %s\n", rep.errors[i].row, rep.errors[i].field,
			rep.errors[i].message);
	assert_int_equal(rc, 0);
	assert_int_equal(rep.created, 5);
	table_close(t);
	import_report_free(&rep);
}

static const struct brief_count *find_count(const struct brief_count *c, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].code, code) == 0)
			return &c[i];
	return NULL;
}

static void brief_from_a_database(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx);
	load_register(&fx);
	struct error err = ERROR_INIT;
	struct analytics *an = analytics_build(fx.st, fx.ref, &err);
	if (!an)
		fail_msg("analytics_build: %s", err.message);
	struct arena a;
	arena_init(&a);
	struct query q = { .n = 2, .keys = { "from", "to" }, .values = { "2023-01-01", "2024-12-31" } };
	struct brief_options opt = { .lang = "en" };
	struct brief b;
	/* the customs analyst: S1-S4 (F1 is the forestry administration's own) */
	if (brief_collect(an, fx.ref, &fx.analyst, &q, &opt, &b, &a, &err) != 0)
		fail_msg("brief_collect: %s", err.message);
	assert_int_equal(b.seizures, 4);
	assert_int_equal(b.items, 4);
	assert_true(fabs(b.kg - 128.5) < 1e-9);        /* 100 + 20 + 3 + 5.5 */
	assert_int_equal(b.species, 2);                 /* Manis javanica, Panthera tigris */
	assert_int_equal(b.countries, 6);               /* KH VN TH, NG MY CN */
	assert_int_equal(b.nby_species, 2);
	assert_string_equal(b.by_species[0].label, "Manis javanica");
	assert_int_equal(b.by_species[0].seizures, 3);
	assert_true(fabs(b.by_species[0].kg - 125.5) < 1e-9);
	const struct brief_count *kh = find_count(b.by_country, b.nby_country, "KH");
	assert_non_null(kh);
	assert_int_equal(kh->seizures, 2);
	assert_string_equal(kh->label, "Cambodia");
	assert_null(find_count(b.by_country, b.nby_country, "LA"));
	assert_non_null(find_count(b.by_term, b.nby_term, "BON"));
	/* routes in the filter's period: NG -> MY -> VN twice, KH -> CN once */
	assert_true(b.nroutes >= 2);
	assert_string_equal(b.routes[0].origin, "Nigeria");
	assert_string_equal(b.routes[0].transit, "Malaysia");
	assert_string_equal(b.routes[0].destination, "Vietnam");
	assert_int_equal(b.routes[0].seizures, 2);
	assert_true(fabs(b.routes[0].kg - 120) < 1e-9);
	/* the map: countries of seizure */
	assert_int_equal(b.nmap, 3);
	/* indices: 2023 = 100, 2024 has three seizures = 300 */
	assert_int_equal(b.nindices, 2);
	assert_int_equal(b.index_base_year, 2023);
	assert_true(fabs(b.indices[1].transaction - 300) < 1e-9);
	/* months from the first to the last seizure: May 2023 .. June 2024 */
	assert_int_equal(b.nperiods, 14);
	assert_string_equal(b.scope, "Period: 2023-01-01 – 2024-12-31");

	char *path = render(&b);
	char *t = pdf_text(path);
	assert_contains(t, "Period: 2023-01-01 – 2024-12-31");
	assert_contains(t, "analyst");
	assert_contains(t, "128.5");
	assert_contains(t, "Manis javanica");
	assert_contains(t, "3 (125.5 kg)");
	assert_contains(t, "Nigeria");
	assert_contains(t, "Malaysia");
	assert_contains(t, "Cambodia");
	assert_contains(t, "BON");
	assert_lacks(t, "Laos");
	assert_lacks(t, "1,028.5");                     /* with F1, which is not theirs */
	free(t);
	unlink(path);
	free(path);

	/* the admin sees F1 too */
	arena_free(&a);
	arena_init(&a);
	assert_int_equal(brief_collect(an, fx.ref, &fx.admin, &q, &opt, &b, &a, &err), 0);
	assert_int_equal(b.seizures, 5);
	assert_true(fabs(b.kg - 1028.5) < 1e-9);

	/* a filter that matches nothing, and a bad filter */
	struct query none = { .n = 1, .keys = { "taxon" }, .values = { "Elephantidae" } };
	assert_int_equal(brief_collect(an, fx.ref, &fx.analyst, &none, &opt, &b, &a, &err), 0);
	assert_int_equal(b.seizures, 0);
	assert_int_equal(b.nroutes + b.nby_species + b.nperiods, 0);
	struct query bad = { .n = 1, .keys = { "colour" }, .values = { "red" } };
	assert_int_equal(brief_collect(an, fx.ref, &fx.analyst, &bad, &opt, &b, &a, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	error_clear(&err);

	/* Khmer: names of countries in Khmer, the whole brief through brief_write */
	struct brief_options km = { .lang = "km", .marking = "សម្ងាត់" };
	struct dynbuf pdf = DYNBUF_INIT(64u << 20);
	assert_int_equal(brief_write(an, fx.ref, &fx.analyst, &q, &km, seizure_write_dynbuf, &pdf,
				     &err), 0);
	assert_true(pdf.len > 10000 && memcmp(dynbuf_str(&pdf), "%PDF-", 5) == 0);
	dynbuf_free(&pdf);

	arena_free(&a);
	analytics_free(an);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(brief_has_the_figures_and_labels),
		cmocka_unit_test(marking_is_configurable_and_on_every_page),
		cmocka_unit_test(no_section_without_data),
		cmocka_unit_test(extra_sections_are_the_hook),
		cmocka_unit_test(khmer_renders_with_a_khmer_font),
		cmocka_unit_test(country_outlines_load),
		cmocka_unit_test(labels_in_both_languages),
		cmocka_unit_test(brief_from_a_database),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
