/* The intelligence brief as a PDF (see brief.h). */
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dynbuf.h"
#include "lib/xalloc.h"
#include "report/brief.h"
#include "report/geo.h"

/* ---- labels ---------------------------------------------------------------- */

static const struct {
	const char *key, *en, *km;
} labels[] = {
	{ "title", "Wildlife seizures — intelligence brief",
	  "ការរឹបអូសសត្វព្រៃ — របាយការណ៍សង្ខេបស៊ើបការណ៍" },
	{ "scope", "Scope", "វិសាលភាព" },
	{ "scope_all", "All seizures the author may see", "ការរឹបអូសទាំងអស់ដែលអ្នករៀបចំអាចមើលឃើញ" },
	{ "prepared", "Prepared", "រៀបចំនៅ" },
	{ "summary", "Summary", "សេចក្តីសង្ខេប" },
	{ "seizures", "Seizures", "ការរឹបអូស" },
	{ "items", "Items seized", "មុខទំនិញដែលបានរឹបអូស" },
	{ "kg", "Weight (kg)", "ទម្ងន់ (គីឡូក្រាម)" },
	{ "species", "Species and taxa", "ប្រភេទសត្វ និងរុក្ខជាតិ" },
	{ "countries", "Countries involved", "ប្រទេសពាក់ព័ន្ធ" },
	{ "none", "No seizures match this filter.", "គ្មានការរឹបអូសណាមួយត្រូវនឹងតម្រងនេះទេ។" },
	{ "note_title", "Reading these figures", "របៀបអានតួលេខទាំងនេះ" },
	{ "note",
	  "Seizure records measure enforcement as much as trafficking: a rise can mean more "
	  "trade, more or better-targeted inspections, or more complete reporting. Compare "
	  "like with like, and read counts together with weights and routes.",
	  "កំណត់ត្រានៃការរឹបអូសបង្ហាញពីការអនុវត្តច្បាប់ ដូចគ្នានឹងការជួញដូរ៖ ការកើនឡើងអាចមានន័យថា "
	  "មានការជួញដូរច្រើនជាងមុន មានការត្រួតពិនិត្យច្រើនជាងមុន ឬមានការរាយការណ៍ពេញលេញជាងមុន។ "
	  "សូមប្រៀបធៀបអ្វីដែលអាចប្រៀបធៀបបាន ហើយអានចំនួនរួមជាមួយទម្ងន់ និងផ្លូវដឹកជញ្ជូន។" },
	{ "by_period", "Seizures and weight by period", "ការរឹបអូស និងទម្ងន់ តាមរយៈពេល" },
	{ "by_species", "Species and taxa (number of seizures)",
	  "ប្រភេទសត្វ និងរុក្ខជាតិ (ចំនួនការរឹបអូស)" },
	{ "by_country", "Country of seizure (number of seizures)",
	  "ប្រទេសនៃការរឹបអូស (ចំនួនការរឹបអូស)" },
	{ "by_term", "Commodity, CITES term (number of seizures)",
	  "ទំនិញ តាមលេខកូដ CITES (ចំនួនការរឹបអូស)" },
	{ "routes", "Main routes", "ផ្លូវដឹកជញ្ជូនសំខាន់ៗ" },
	{ "origin", "Origin", "ប្រភព" },
	{ "transit", "Transit", "ឆ្លងកាត់" },
	{ "destination", "Destination", "គោលដៅ" },
	{ "trend", "Trend", "និន្នាការ" },
	{ "direct", "direct", "ផ្ទាល់" },
	{ "unknown", "unknown", "មិនដឹង" },
	{ "map", "Seizures by country", "ការរឹបអូសតាមប្រទេស" },
	{ "map_points", "dots: seizures with coordinates", "ចំណុច៖ ការរឹបអូសដែលមានកូអរដោនេ" },
	{ "indices", "Transaction and weight indices", "សន្ទស្សន៍ប្រតិបត្តិការ និងទម្ងន់" },
	{ "base_year", "base year", "ឆ្នាំគោល" },
	{ "transaction_index", "Transaction index", "សន្ទស្សន៍ប្រតិបត្តិការ" },
	{ "weight_index", "Weight index", "សន្ទស្សន៍ទម្ងន់" },
	{ "page", "Page", "ទំព័រ" },
	{ "more", "others", "ផ្សេងទៀត" },
	{ "index_note",
	  "Indices follow the method of ETIS: they show relative change against the base year, "
	  "not the volume of trade, and move with enforcement effort and reporting.",
	  "សន្ទស្សន៍តាមវិធីសាស្ត្រ ETIS បង្ហាញការប្រែប្រួលធៀបនឹងឆ្នាំគោល មិនមែនបរិមាណនៃការជួញដូរទេ "
	  "ហើយប្រែប្រួលតាមកិច្ចខិតខំអនុវត្តច្បាប់ និងការរាយការណ៍។" },
	/* the filters, for the scope line */
	{ "f_period", "Period", "រយៈពេល" },
	{ "f_species", "Species", "ប្រភេទ" },
	{ "f_taxon", "Taxon", "ក្រុមចំណាត់ថ្នាក់" },
	{ "f_term", "Term", "ប្រភេទសំណាក" },
	{ "f_country", "Country", "ប្រទេស" },
	{ "f_seizure_country", "Country of seizure", "ប្រទេសនៃការរឹបអូស" },
	{ "f_origin", "Origin", "ប្រភព" },
	{ "f_transit", "Transit", "ឆ្លងកាត់" },
	{ "f_destination", "Destination", "គោលដៅ" },
	{ "f_agency", "Agency", "ស្ថាប័ន" },
	{ "f_transport_mode", "Transport", "មធ្យោបាយដឹកជញ្ជូន" },
	{ "f_detection_method", "Detection", "វិធីសាស្ត្ររកឃើញ" },
	{ "f_concealment", "Concealment", "វិធីសាស្ត្រលាក់បាំង" },
	{ "f_by", "by", "ដោយ" },
	/* the network chart (brief_chart.c) */
	{ "chart", "Network chart", "គំនូសតាងបណ្ដាញ" },
	{ "chart_dates", "Links dated", "តំណភ្ជាប់មានកាលបរិច្ឆេទ" },
	{ "chart_undated", "Links without dates", "តំណភ្ជាប់គ្មានកាលបរិច្ឆេទ" },
	{ "chart_until", "shown until", "បង្ហាញរហូតដល់" },
	{ "chart_nodes", "nodes", "ថ្នាំង" },
	{ "chart_links", "links", "តំណភ្ជាប់" },
	{ "chart_missing", "of the chart's nodes not shown (deleted, or not yours to see)",
	  "ថ្នាំងនៃគំនូសតាងមិនត្រូវបានបង្ហាញ (បានលុប ឬអ្នកគ្មានសិទ្ធិមើល)" },
	{ "chart_empty", "Nothing of this chart can be shown.",
	  "គ្មានអ្វីនៃគំនូសតាងនេះអាចបង្ហាញបានទេ។" },
	{ "k_seizure", "Seizure", "ការរឹបអូស" },
	{ "k_person", "Person", "បុគ្គល" },
	{ "k_organisation", "Organisation", "អង្គការ" },
	{ "k_comms", "Phone, e-mail, handle", "ទូរស័ព្ទ អ៊ីមែល គណនីអនឡាញ" },
	{ "k_transport", "Vehicle, vessel, flight, container, shipping document",
	  "យានយន្ត នាវា ជើងហោះហើរ កុងតឺន័រ ឯកសារដឹកជញ្ជូន" },
	{ "k_document", "Passport, ID card", "លិខិតឆ្លងដែន អត្តសញ្ញាណប័ណ្ណ" },
	{ "k_money", "Bank account", "គណនីធនាគារ" },
	{ "k_address", "Address, other identifier", "អាសយដ្ឋាន អត្តសញ្ញាណផ្សេងទៀត" },
	{ "e_holds", "holds identifier", "កាន់អត្តសញ្ញាណ" },
	{ "e_involved_in", "role in seizure", "តួនាទីក្នុងការរឹបអូស" },
	{ "e_related", "relation", "ទំនាក់ទំនង" },
	{ "e_seen_in", "seen in seizure", "ឃើញក្នុងការរឹបអូស" },
	{ "e_shares", "shares an identifier", "ប្រើអត្តសញ្ញាណរួមគ្នា" },
};

const char *brief_label(const char *lang, const char *key)
{
	int km = lang && strcmp(lang, "km") == 0;
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (strcmp(labels[i].key, key) == 0)
			return km ? labels[i].km : labels[i].en;
	return key;
}

/* ---- page and text ------------------------------------------------------------ */

#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 50.0
#define BODY_TOP 64.0
#define BODY_BOTTOM (PAGE_H - 56.0)
#define BODY_W (PAGE_W - 2 * MARGIN_X)
/* Latin, Vietnamese, Thai, Lao from Noto; Khmer from Khmer OS. */
#define FONT_FAMILIES "Noto Sans, Khmer OS, Noto Sans Khmer, Noto Sans Thai, Noto Sans Lao, sans-serif"

struct rgb {
	double r, g, b;
};
static const struct rgb INK = { 0.11, 0.14, 0.13 };
static const struct rgb MUTED = { 0.34, 0.38, 0.36 };
static const struct rgb ACCENT = { 0.184, 0.420, 0.227 };
static const struct rgb MARK = { 0.64, 0.09, 0.09 };
static const struct rgb LINE = { 0.80, 0.83, 0.80 };
static const struct rgb WEIGHT = { 0.78, 0.45, 0.10 };

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	const struct brief *b;
	const char *lang;
	const char *marking;
	PangoLanguage *plang;
	PangoFontMap *fonts;      /* this brief's own, freed with it */
	PangoContext *pctx;
	int page;
	double y;
	seizure_write_fn write;
	void *ctx;
	int write_failed;
};

enum align { LEFT, CENTER, RIGHT };

static void set_rgb(cairo_t *cr, struct rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static const char *L(const struct pdf *p, const char *key)
{
	return brief_label(p->lang, key);
}

/*
 * Draws s at (x, y) in a box `width` wide (wrapping words; width <= 0: no
 * wrap), at `size` points; returns the height used.  With draw == 0 only
 * measures.
 */
static double text_ex(struct pdf *p, double x, double y, double width, const char *s, double size,
		      int bold, enum align al, struct rgb c, int draw, double *text_width)
{
	PangoLayout *l = pango_layout_new(p->pctx);
	PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILIES);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(l, al == CENTER ? PANGO_ALIGN_CENTER
					   : al == RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	}
	pango_layout_set_text(l, s ? s : "", -1);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	if (text_width)
		*text_width = (double)w / PANGO_SCALE;
	if (draw) {
		double dx = 0;
		if (width <= 0 && al == RIGHT)
			dx = -(double)w / PANGO_SCALE;
		else if (width <= 0 && al == CENTER)
			dx = -(double)w / PANGO_SCALE / 2;
		set_rgb(p->cr, c);
		cairo_move_to(p->cr, x + dx, y);
		pango_cairo_show_layout(p->cr, l);
	}
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

static double text(struct pdf *p, double x, double y, double width, const char *s, double size,
		   int bold, enum align al, struct rgb c)
{
	return text_ex(p, x, y, width, s, size, bold, al, c, 1, NULL);
}

/* One line cut to `width` with an ellipsis. */
static void text_line(struct pdf *p, double x, double y, double width, const char *s, double size,
		      int bold, enum align al, struct rgb c)
{
	PangoLayout *l = pango_layout_new(p->pctx);
	PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILIES);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(l, al == CENTER ? PANGO_ALIGN_CENTER
				   : al == RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, s ? s : "", -1);
	set_rgb(p->cr, c);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

/* The brief being drawn, on its cairo_t, for brief_section_text. */
static const cairo_user_data_key_t pdf_key;

double brief_section_text(cairo_t *cr, double x, double y, double width, const char *s,
			  double size, int bold, enum brief_align align, int one_line, int draw,
			  double *text_width)
{
	struct pdf *p = cairo_get_user_data(cr, &pdf_key);
	if (text_width)
		*text_width = 0;
	if (!p || p->cr != cr)
		return 0;
	double r = 0, g = 0, bl = 0, al = 1;
	cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &bl, &al);
	struct rgb c = { r, g, bl };
	enum align a = align == BRIEF_CENTER ? CENTER : align == BRIEF_RIGHT ? RIGHT : LEFT;
	if (one_line && width > 0) {
		double h = text_ex(p, x, y, 0, s, size, bold, a, c, 0, text_width);
		if (draw)
			text_line(p, x, y, width, s, size, bold, a, c);
		if (text_width && *text_width > width)
			*text_width = width;
		return h;
	}
	return text_ex(p, x, y, width, s, size, bold, a, c, draw, text_width);
}

/* "12,345" */
static void fmt_int(char *buf, size_t n, int64_t v)
{
	char raw[32];
	snprintf(raw, sizeof raw, "%lld", (long long)(v < 0 ? -v : v));
	size_t len = strlen(raw), o = 0;
	if (v < 0 && o + 1 < n)
		buf[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
}

/* "1,234.5" (one decimal below 1000, none above) */
static void fmt_kg(char *buf, size_t n, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, n, "–");
		return;
	}
	if (fabs(v) >= 1000) {
		fmt_int(buf, n, (int64_t)llround(v));
		return;
	}
	snprintf(buf, n, "%.1f", v);
	size_t len = strlen(buf);
	if (len >= 2 && strcmp(buf + len - 2, ".0") == 0)
		buf[len - 2] = '\0';
}

static void page_frame(struct pdf *p)
{
	cairo_t *cr = p->cr;
	set_rgb(cr, MARK);
	cairo_rectangle(cr, MARGIN_X, 22, BODY_W, 20);
	cairo_set_line_width(cr, 1.2);
	cairo_stroke(cr);
	text(p, MARGIN_X, 25, BODY_W, p->marking, 9.5, 1, CENTER, MARK);
	text(p, MARGIN_X, PAGE_H - 40, BODY_W, p->marking, 8.5, 1, CENTER, MARK);
	char num[64];
	snprintf(num, sizeof num, "%s %d", L(p, "page"), p->page);
	text(p, PAGE_W - MARGIN_X, PAGE_H - 40, 0, num, 8, 0, RIGHT, MUTED);
}

static void new_page(struct pdf *p)
{
	if (p->page > 0)
		cairo_show_page(p->cr);
	p->page++;
	p->y = BODY_TOP;
	page_frame(p);
}

/* Makes room for h points, on a new page when the current one is full. */
static void need(struct pdf *p, double h)
{
	if (p->y + h > BODY_BOTTOM && p->y > BODY_TOP + 1)
		new_page(p);
}

static void heading(struct pdf *p, const char *s, double room_after)
{
	double h = text_ex(p, 0, 0, BODY_W, s, 13, 1, LEFT, INK, 0, NULL);
	need(p, h + 8 + room_after);
	text(p, MARGIN_X, p->y, BODY_W, s, 13, 1, LEFT, ACCENT);
	p->y += h + 2;
	set_rgb(p->cr, ACCENT);
	cairo_set_line_width(p->cr, 0.8);
	cairo_move_to(p->cr, MARGIN_X, p->y);
	cairo_line_to(p->cr, MARGIN_X + BODY_W, p->y);
	cairo_stroke(p->cr);
	p->y += 8;
}

/* A "nice" axis maximum ≥ v: 1, 2, 2.5, 5 × 10^k. */
static double nice_max(double v)
{
	if (v <= 0)
		return 1;
	double e = pow(10, floor(log10(v)));
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	for (size_t i = 0; i < 5; i++)
		if (steps[i] * e >= v)
			return steps[i] * e;
	return 10 * e;
}

/* An axis maximum for counts with 4 grid steps of whole numbers: 4 x (1, 2,
 * 5 x 10^k) >= v. */
static double count_axis_max(double v)
{
	if (v <= 4)
		return 4;
	double step = v / 4, e = pow(10, floor(log10(step)));
	static const double steps[] = { 1, 2, 5, 10 };
	for (size_t i = 0; i < 4; i++)
		if (steps[i] * e >= step)
			return 4 * steps[i] * e;
	return 40 * e;
}

/* ---- title page -------------------------------------------------------------- */

static void summary_box(struct pdf *p, double x, double y, double w, const char *value,
			const char *label)
{
	cairo_t *cr = p->cr;
	cairo_set_source_rgb(cr, 0.95, 0.97, 0.95);
	cairo_rectangle(cr, x, y, w, 62);
	cairo_fill(cr);
	set_rgb(cr, ACCENT);
	cairo_rectangle(cr, x, y, 3, 62);
	cairo_fill(cr);
	text(p, x + 10, y + 6, w - 14, value, 18, 1, LEFT, INK);
	text(p, x + 10, y + 34, w - 14, label, 8.5, 0, LEFT, MUTED);
}

static void title_page(struct pdf *p)
{
	const struct brief *b = p->b;
	new_page(p);
	p->y = 130;
	const char *title = b->title && *b->title ? b->title : L(p, "title");
	p->y += text(p, MARGIN_X, p->y, BODY_W, title, 24, 1, LEFT, INK) + 16;
	p->y += text(p, MARGIN_X, p->y, BODY_W, L(p, "scope"), 9, 1, LEFT, MUTED) + 1;
	p->y += text(p, MARGIN_X, p->y, BODY_W, b->scope && *b->scope ? b->scope : L(p, "scope_all"),
		     12, 0, LEFT, INK) + 10;
	if (b->generated && *b->generated) {
		p->y += text(p, MARGIN_X, p->y, BODY_W, L(p, "prepared"), 9, 1, LEFT, MUTED) + 1;
		p->y += text(p, MARGIN_X, p->y, BODY_W, b->generated, 11, 0, LEFT, INK) + 10;
	}
	p->y += 14;
	heading(p, L(p, "summary"), 70);
	if (b->seizures <= 0) {
		p->y += text(p, MARGIN_X, p->y, BODY_W, L(p, "none"), 13, 0, LEFT, INK) + 10;
		return;
	}
	char v[5][48];
	const char *k[5] = { "seizures", "items", "kg", "species", "countries" };
	fmt_int(v[0], sizeof v[0], b->seizures);
	fmt_int(v[1], sizeof v[1], b->items);
	fmt_kg(v[2], sizeof v[2], b->kg);
	fmt_int(v[3], sizeof v[3], b->species);
	fmt_int(v[4], sizeof v[4], b->countries);
	/* boxes for the figures there are: weight, taxa and countries only when known */
	int show[5] = { 1, b->items > 0, b->kg > 0, b->species > 0, b->countries > 0 };
	int n = 0;
	for (int i = 0; i < 5; i++)
		n += show[i];
	double gap = 8, w = (BODY_W - gap * (n - 1)) / n, x = MARGIN_X;
	for (int i = 0; i < 5; i++) {
		if (!show[i])
			continue;
		summary_box(p, x, p->y, w, v[i], L(p, k[i]));
		x += w + gap;
	}
	p->y += 62 + 24;
	const char *note = b->note && *b->note ? b->note : L(p, "note");
	double h = text_ex(p, 0, 0, BODY_W - 24, note, 10, 0, LEFT, INK, 0, NULL);
	double th = text_ex(p, 0, 0, BODY_W - 24, L(p, "note_title"), 10, 1, LEFT, INK, 0, NULL);
	cairo_set_source_rgb(p->cr, 1.0, 0.965, 0.86);
	cairo_rectangle(p->cr, MARGIN_X, p->y, BODY_W, h + th + 22);
	cairo_fill(p->cr);
	text(p, MARGIN_X + 12, p->y + 8, BODY_W - 24, L(p, "note_title"), 10, 1, LEFT, INK);
	text(p, MARGIN_X + 12, p->y + 12 + th, BODY_W - 24, note, 10, 0, LEFT, INK);
	p->y += h + th + 30;
}

/* ---- charts -------------------------------------------------------------------- */

/* Seizures as bars, weight as a line on its own axis (right). */
static void period_chart(struct pdf *p)
{
	const struct brief *b = p->b;
	size_t n = b->nperiods;
	if (n == 0)
		return;
	double chart_h = 210, total_h = chart_h + 44;
	heading(p, L(p, "by_period"), total_h);
	cairo_t *cr = p->cr;
	double x0 = MARGIN_X + 40, x1 = MARGIN_X + BODY_W - 46, y0 = p->y + 18, y1 = p->y + chart_h;
	double max_s = 0, max_kg = 0;
	for (size_t i = 0; i < n; i++) {
		if (b->periods[i].seizures > max_s)
			max_s = (double)b->periods[i].seizures;
		if (b->periods[i].kg > max_kg)
			max_kg = b->periods[i].kg;
	}
	max_s = count_axis_max(max_s);
	int has_kg = max_kg > 0;
	max_kg = nice_max(max_kg);
	/* grid and axes */
	cairo_set_line_width(cr, 0.5);
	for (int g = 0; g <= 4; g++) {
		double gy = y1 - (y1 - y0) * g / 4;
		set_rgb(cr, LINE);
		cairo_move_to(cr, x0, gy);
		cairo_line_to(cr, x1, gy);
		cairo_stroke(cr);
		char lab[48];
		fmt_int(lab, sizeof lab, (int64_t)llround(max_s * g / 4));
		text(p, x0 - 4, gy - 5, 0, lab, 7, 0, RIGHT, ACCENT);
		if (has_kg) {
			fmt_kg(lab, sizeof lab, max_kg * g / 4);
			text(p, x1 + 4, gy - 5, 0, lab, 7, 0, LEFT, WEIGHT);
		}
	}
	text(p, x0 - 36, p->y, 0, L(p, "seizures"), 7.5, 1, LEFT, ACCENT);
	if (has_kg)
		text(p, x1 + 40, p->y, 0, L(p, "kg"), 7.5, 1, RIGHT, WEIGHT);
	double slot = (x1 - x0) / n, bw = slot * 0.7;
	size_t every = n <= 12 ? 1 : (n + 11) / 12;
	for (size_t i = 0; i < n; i++) {
		double h = (y1 - y0) * (double)b->periods[i].seizures / max_s;
		set_rgb(cr, ACCENT);
		cairo_rectangle(cr, x0 + slot * i + (slot - bw) / 2, y1 - h, bw, h);
		cairo_fill(cr);
		if (i % every == 0)
			text(p, x0 + slot * i + slot / 2, y1 + 4, 0, b->periods[i].label, 7, 0, CENTER,
			     MUTED);
	}
	if (has_kg) {
		set_rgb(cr, WEIGHT);
		cairo_set_line_width(cr, 1.6);
		for (size_t i = 0; i < n; i++) {
			double px = x0 + slot * i + slot / 2;
			double py = y1 - (y1 - y0) * b->periods[i].kg / max_kg;
			if (i == 0)
				cairo_move_to(cr, px, py);
			else
				cairo_line_to(cr, px, py);
		}
		cairo_stroke(cr);
		for (size_t i = 0; i < n; i++) {
			double px = x0 + slot * i + slot / 2;
			double py = y1 - (y1 - y0) * b->periods[i].kg / max_kg;
			cairo_arc(cr, px, py, 2.2, 0, 2 * M_PI);
			cairo_fill(cr);
		}
	}
	set_rgb(cr, MUTED);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, x0, y1);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
	p->y += total_h;
}

enum { BAR_ROWS = 12 };

/* Horizontal bars, largest first as given; at most BAR_ROWS. */
static void bar_chart(struct pdf *p, const char *title_key, const struct brief_count *c, size_t n)
{
	if (n == 0)
		return;
	size_t rows = n > BAR_ROWS ? BAR_ROWS : n;
	double row_h = 17, total_h = rows * row_h + 16;
	heading(p, L(p, title_key), total_h);
	cairo_t *cr = p->cr;
	double label_w = 170, x0 = MARGIN_X + label_w + 6, x1 = MARGIN_X + BODY_W - 110;
	double max = 0;
	for (size_t i = 0; i < rows; i++)
		if ((double)c[i].seizures > max)
			max = (double)c[i].seizures;
	if (max <= 0)
		max = 1;
	for (size_t i = 0; i < rows; i++) {
		double y = p->y + i * row_h;
		const char *lab = c[i].label && *c[i].label ? c[i].label : c[i].code;
		text_line(p, MARGIN_X, y + 1, label_w, lab ? lab : "", 9, 0, RIGHT, INK);
		double w = (x1 - x0) * (double)c[i].seizures / max;
		set_rgb(cr, ACCENT);
		cairo_rectangle(cr, x0, y + 3, w < 0.5 ? 0.5 : w, row_h - 6);
		cairo_fill(cr);
		char v[48], kg[48], both[112];
		fmt_int(v, sizeof v, c[i].seizures);
		if (c[i].kg > 0) {
			fmt_kg(kg, sizeof kg, c[i].kg);
			snprintf(both, sizeof both, "%s (%s kg)", v, kg);
		} else {
			snprintf(both, sizeof both, "%s", v);
		}
		text(p, x0 + w + 5, y + 1.5, 0, both, 8.5, 0, LEFT, INK);
	}
	p->y += rows * row_h;
	if (n > rows) {
		char more[96];
		snprintf(more, sizeof more, "+ %zu %s", n - rows, L(p, "more"));
		p->y += text(p, x0, p->y + 2, 0, more, 8, 0, LEFT, MUTED);
	}
	p->y += 16;
}

/* ---- routes -------------------------------------------------------------------- */

enum { ROUTE_ROWS = 15 };

static void route_table(struct pdf *p)
{
	const struct brief *b = p->b;
	if (b->nroutes == 0)
		return;
	size_t rows = b->nroutes > ROUTE_ROWS ? ROUTE_ROWS : b->nroutes;
	double row_h = 17;
	heading(p, L(p, "routes"), (rows + 1) * row_h + 10);
	/* columns: #, origin, transit, destination, seizures, kg, trend */
	const double cx[] = { 0, 20, 122, 224, 326, 384, 442, BODY_W };
	const char *head[] = { "#", L(p, "origin"), L(p, "transit"), L(p, "destination"),
			       L(p, "seizures"), L(p, "kg"), L(p, "trend") };
	cairo_t *cr = p->cr;
	cairo_set_source_rgb(cr, 0.92, 0.93, 0.91);
	cairo_rectangle(cr, MARGIN_X, p->y, BODY_W, row_h);
	cairo_fill(cr);
	for (int j = 0; j < 7; j++)
		text_line(p, MARGIN_X + cx[j] + 3, p->y + 2, cx[j + 1] - cx[j] - 6, head[j], 8, 1,
			  j >= 4 ? RIGHT : LEFT, INK);
	p->y += row_h;
	for (size_t i = 0; i < rows; i++) {
		const struct brief_route *r = &b->routes[i];
		char cells[7][64];
		snprintf(cells[0], sizeof cells[0], "%zu", i + 1);
		snprintf(cells[1], sizeof cells[1], "%s", r->origin && *r->origin ? r->origin : L(p, "unknown"));
		snprintf(cells[2], sizeof cells[2], "%s", r->transit && *r->transit ? r->transit : L(p, "direct"));
		snprintf(cells[3], sizeof cells[3], "%s",
			 r->destination && *r->destination ? r->destination : L(p, "unknown"));
		fmt_int(cells[4], sizeof cells[4], r->seizures);
		if (r->kg > 0)
			fmt_kg(cells[5], sizeof cells[5], r->kg);
		else
			snprintf(cells[5], sizeof cells[5], "–");
		if (isfinite(r->trend))
			snprintf(cells[6], sizeof cells[6], "%s%lld %%", r->trend > 0 ? "+" : "",
				 (long long)llround(r->trend * 100));
		else
			snprintf(cells[6], sizeof cells[6], "–");
		for (int j = 0; j < 7; j++)
			text_line(p, MARGIN_X + cx[j] + 3, p->y + 2, cx[j + 1] - cx[j] - 6, cells[j], 8.5,
				  0, j >= 4 ? RIGHT : LEFT, INK);
		set_rgb(cr, LINE);
		cairo_set_line_width(cr, 0.5);
		cairo_move_to(cr, MARGIN_X, p->y + row_h);
		cairo_line_to(cr, MARGIN_X + BODY_W, p->y + row_h);
		cairo_stroke(cr);
		p->y += row_h;
	}
	if (b->nroutes > rows) {
		char more[96];
		snprintf(more, sizeof more, "+ %zu %s", b->nroutes - rows, L(p, "more"));
		p->y += text(p, MARGIN_X, p->y + 2, 0, more, 8, 0, LEFT, MUTED);
	}
	p->y += 18;
}

/* ---- map ----------------------------------------------------------------------- */

/* Sequential green scale, 5 classes. */
static const struct rgb SHADES[5] = {
	{ 0.85, 0.93, 0.85 }, { 0.65, 0.84, 0.66 }, { 0.42, 0.70, 0.45 },
	{ 0.22, 0.53, 0.28 }, { 0.09, 0.33, 0.14 },
};

static int64_t map_count(const struct brief *b, const char *iso)
{
	for (size_t i = 0; i < b->nmap; i++)
		if (b->map[i].code && strcmp(b->map[i].code, iso) == 0)
			return b->map[i].seizures;
	return 0;
}

static int shade_class(int64_t v, int64_t max)
{
	if (max <= 1)
		return 4;
	/* log scale: a few countries usually dominate */
	double f = log((double)v) / log((double)max);
	int k = (int)(f * 5);
	return k < 0 ? 0 : k > 4 ? 4 : k;
}

struct proj {
	double lon0, lat1, scale, x, y, cosl;
};

static void project(const struct proj *pr, double lon, double lat, double *x, double *y)
{
	*x = pr->x + (lon - pr->lon0) * pr->cosl * pr->scale;
	*y = pr->y + (pr->lat1 - lat) * pr->scale;
}

static int map_section(struct pdf *p, struct error *err)
{
	const struct brief *b = p->b;
	int64_t max = 0;
	for (size_t i = 0; i < b->nmap; i++)
		if (b->map[i].seizures > max)
			max = b->map[i].seizures;
	if (max <= 0 && b->npoints == 0)
		return 0;
	struct geo_countries *g = geo_countries_load(err);
	if (!g)
		return -1;
	/* the box: countries with seizures and the points, with a margin */
	double lo0 = 1e9, lo1 = -1e9, la0 = 1e9, la1 = -1e9;
	for (size_t i = 0; i < g->n; i++) {
		const struct geo_country *c = &g->c[i];
		if (map_count(b, c->iso2) <= 0)
			continue;
		/* countries across the antimeridian (Russia, Fiji) would span the world */
		if (c->max_lon - c->min_lon > 180)
			continue;
		lo0 = fmin(lo0, c->min_lon), lo1 = fmax(lo1, c->max_lon);
		la0 = fmin(la0, c->min_lat), la1 = fmax(la1, c->max_lat);
	}
	for (size_t i = 0; i < b->npoints; i++) {
		lo0 = fmin(lo0, b->points[i].lon), lo1 = fmax(lo1, b->points[i].lon);
		la0 = fmin(la0, b->points[i].lat), la1 = fmax(la1, b->points[i].lat);
	}
	if (lo0 > lo1) { /* only antimeridian countries: the world */
		lo0 = -180, lo1 = 180, la0 = -60, la1 = 80;
	}
	double min_span = 24;
	if (lo1 - lo0 < min_span) {
		double c = (lo0 + lo1) / 2;
		lo0 = c - min_span / 2, lo1 = c + min_span / 2;
	}
	if (la1 - la0 < min_span * 0.6) {
		double c = (la0 + la1) / 2;
		la0 = c - min_span * 0.3, la1 = c + min_span * 0.3;
	}
	double mx = (lo1 - lo0) * 0.08, my = (la1 - la0) * 0.08;
	lo0 -= mx, lo1 += mx, la0 = fmax(la0 - my, -85), la1 = fmin(la1 + my, 85);

	double box_w = BODY_W, box_h = 330;
	heading(p, L(p, "map"), box_h + 40);
	struct proj pr;
	pr.cosl = cos((la0 + la1) / 2 * M_PI / 180);
	if (pr.cosl < 0.3)
		pr.cosl = 0.3;
	double sx = box_w / ((lo1 - lo0) * pr.cosl), sy = box_h / (la1 - la0);
	pr.scale = fmin(sx, sy);
	double used_w = (lo1 - lo0) * pr.cosl * pr.scale, used_h = (la1 - la0) * pr.scale;
	pr.lon0 = lo0;
	pr.lat1 = la1;
	pr.x = MARGIN_X + (box_w - used_w) / 2;
	pr.y = p->y + (box_h - used_h) / 2;

	cairo_t *cr = p->cr;
	cairo_save(cr);
	cairo_rectangle(cr, MARGIN_X, p->y, box_w, box_h);
	cairo_set_source_rgb(cr, 0.91, 0.94, 0.97); /* sea */
	cairo_fill_preserve(cr);
	cairo_clip(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	for (size_t i = 0; i < g->n; i++) {
		const struct geo_country *c = &g->c[i];
		if (c->max_lon < lo0 - 30 || c->min_lon > lo1 + 30 || c->max_lat < la0 - 30 ||
		    c->min_lat > la1 + 30)
			continue;
		for (size_t r = 0; r < c->nrings; r++) {
			const struct geo_ring *ring = &c->rings[r];
			for (size_t k = 0; k < ring->n; k++) {
				double x, y;
				project(&pr, ring->lon[k], ring->lat[k], &x, &y);
				if (k == 0)
					cairo_move_to(cr, x, y);
				else
					cairo_line_to(cr, x, y);
			}
			cairo_close_path(cr);
		}
		int64_t v = map_count(b, c->iso2);
		if (v > 0) {
			struct rgb s = SHADES[shade_class(v, max)];
			cairo_set_source_rgb(cr, s.r, s.g, s.b);
		} else {
			cairo_set_source_rgb(cr, 0.97, 0.97, 0.95);
		}
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0.55, 0.58, 0.56);
		cairo_set_line_width(cr, 0.4);
		cairo_stroke(cr);
	}
	/* names of the shaded countries, at their box centres */
	for (size_t i = 0; i < g->n; i++) {
		const struct geo_country *c = &g->c[i];
		if (map_count(b, c->iso2) <= 0 || c->max_lon - c->min_lon > 180)
			continue;
		double x, y, xa, xb, ya;
		project(&pr, c->min_lon, c->max_lat, &xa, &ya);
		project(&pr, c->max_lon, c->max_lat, &xb, &ya);
		if (xb - xa < 22) /* too small to carry a label */
			continue;
		project(&pr, (c->min_lon + c->max_lon) / 2, (c->min_lat + c->max_lat) / 2, &x, &y);
		text(p, x, y - 5, 0, c->iso2, 7.5, 1, CENTER, INK);
	}
	set_rgb(cr, MARK);
	for (size_t i = 0; i < b->npoints; i++) {
		double x, y;
		project(&pr, b->points[i].lon, b->points[i].lat, &x, &y);
		cairo_arc(cr, x, y, 2.0, 0, 2 * M_PI);
		cairo_fill(cr);
	}
	cairo_restore(cr);
	set_rgb(cr, MUTED);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, MARGIN_X, p->y, box_w, box_h);
	cairo_stroke(cr);
	p->y += box_h + 6;

	/* legend: the classes with their ranges, then the points */
	double lx = MARGIN_X;
	if (max > 0) {
		for (int k = 0; k < 5; k++) {
			/* class k holds v with k <= 5 log v / log max < k + 1 */
			int64_t from = max <= 1 ? 1 : (int64_t)ceil(exp(log((double)max) * k / 5));
			int64_t to = max <= 1 ? 1 : (int64_t)ceil(exp(log((double)max) * (k + 1) / 5)) - 1;
			if (k == 4 || to > max)
				to = max;
			if (max <= 1 && k != 4)
				continue;
			if (from > to)
				continue;
			cairo_set_source_rgb(cr, SHADES[k].r, SHADES[k].g, SHADES[k].b);
			cairo_rectangle(cr, lx, p->y + 2, 14, 9);
			cairo_fill(cr);
			char a[32], z[32], lab[80];
			fmt_int(a, sizeof a, from);
			fmt_int(z, sizeof z, to);
			if (from == to)
				snprintf(lab, sizeof lab, "%s", a);
			else
				snprintf(lab, sizeof lab, "%s–%s", a, z);
			double tw;
			text_ex(p, lx + 18, p->y, 0, lab, 8, 0, LEFT, INK, 1, &tw);
			lx += 18 + tw + 12;
		}
	}
	if (b->npoints > 0) {
		set_rgb(cr, MARK);
		cairo_arc(cr, lx + 5, p->y + 6.5, 2.5, 0, 2 * M_PI);
		cairo_fill(cr);
		text(p, lx + 12, p->y, 0, L(p, "map_points"), 8, 0, LEFT, INK);
	}
	p->y += 28;
	geo_countries_free(g);
	return 0;
}

/* ---- indices ------------------------------------------------------------------- */

static void index_chart(struct pdf *p)
{
	const struct brief *b = p->b;
	size_t n = b->nindices;
	int any = 0;
	for (size_t i = 0; i < n; i++)
		any |= isfinite(b->indices[i].transaction) || isfinite(b->indices[i].weight);
	if (!any)
		return;
	char title[256];
	if (b->index_base_year)
		snprintf(title, sizeof title, "%s (%s %d = 100)", L(p, "indices"), L(p, "base_year"),
			 b->index_base_year);
	else
		snprintf(title, sizeof title, "%s", L(p, "indices"));
	double note_h = b->index_note && *b->index_note
				? text_ex(p, 0, 0, BODY_W, b->index_note, 8.5, 0, LEFT, INK, 0, NULL)
				: 0;
	double chart_h = 180;
	heading(p, title, chart_h + 40 + note_h);
	cairo_t *cr = p->cr;
	double x0 = MARGIN_X + 36, x1 = MARGIN_X + BODY_W - 10, y0 = p->y + 8, y1 = p->y + chart_h;
	double max = 100;
	for (size_t i = 0; i < n; i++) {
		if (isfinite(b->indices[i].transaction))
			max = fmax(max, b->indices[i].transaction);
		if (isfinite(b->indices[i].weight))
			max = fmax(max, b->indices[i].weight);
	}
	max = nice_max(max);
	cairo_set_line_width(cr, 0.5);
	for (int gl = 0; gl <= 4; gl++) {
		double gy = y1 - (y1 - y0) * gl / 4;
		set_rgb(cr, LINE);
		cairo_move_to(cr, x0, gy);
		cairo_line_to(cr, x1, gy);
		cairo_stroke(cr);
		char lab[32];
		fmt_int(lab, sizeof lab, (int64_t)llround(max * gl / 4));
		text(p, x0 - 4, gy - 5, 0, lab, 7, 0, RIGHT, MUTED);
	}
	/* the base: 100 */
	double by = y1 - (y1 - y0) * 100 / max;
	set_rgb(cr, MUTED);
	double dash[] = { 3, 2 };
	cairo_set_dash(cr, dash, 2, 0);
	cairo_move_to(cr, x0, by);
	cairo_line_to(cr, x1, by);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	double slot = n > 1 ? (x1 - x0) / (n - 1) : 0;
	for (int s = 0; s < 2; s++) {
		set_rgb(cr, s == 0 ? ACCENT : WEIGHT);
		cairo_set_line_width(cr, 1.6);
		int started = 0;
		for (size_t i = 0; i < n; i++) {
			double v = s == 0 ? b->indices[i].transaction : b->indices[i].weight;
			if (!isfinite(v)) {
				started = 0;
				continue;
			}
			double px = n > 1 ? x0 + slot * i : (x0 + x1) / 2, py = y1 - (y1 - y0) * v / max;
			if (!started)
				cairo_move_to(cr, px, py);
			else
				cairo_line_to(cr, px, py);
			started = 1;
		}
		cairo_stroke(cr);
		for (size_t i = 0; i < n; i++) {
			double v = s == 0 ? b->indices[i].transaction : b->indices[i].weight;
			if (!isfinite(v))
				continue;
			double px = n > 1 ? x0 + slot * i : (x0 + x1) / 2, py = y1 - (y1 - y0) * v / max;
			cairo_arc(cr, px, py, 2.2, 0, 2 * M_PI);
			cairo_fill(cr);
		}
	}
	size_t every = n <= 12 ? 1 : (n + 11) / 12;
	for (size_t i = 0; i < n; i += every) {
		char y[16];
		snprintf(y, sizeof y, "%d", b->indices[i].year);
		text(p, n > 1 ? x0 + slot * i : (x0 + x1) / 2, y1 + 4, 0, y, 7, 0, CENTER, MUTED);
	}
	p->y += chart_h + 18;
	/* legend */
	double tw;
	set_rgb(cr, ACCENT);
	cairo_rectangle(cr, x0, p->y + 4, 14, 3);
	cairo_fill(cr);
	text_ex(p, x0 + 18, p->y, 0, L(p, "transaction_index"), 8, 0, LEFT, INK, 1, &tw);
	double lx = x0 + 18 + tw + 14;
	set_rgb(cr, WEIGHT);
	cairo_rectangle(cr, lx, p->y + 4, 14, 3);
	cairo_fill(cr);
	text(p, lx + 18, p->y, 0, L(p, "weight_index"), 8, 0, LEFT, INK);
	p->y += 16;
	if (note_h > 0)
		p->y += text(p, MARGIN_X, p->y, BODY_W, b->index_note, 8.5, 0, LEFT, MUTED);
	p->y += 14;
}

/* ---- extra sections (the hook) --------------------------------------------------- */

static int extra_sections(struct pdf *p, struct error *err)
{
	const struct brief *b = p->b;
	for (size_t i = 0; i < b->nextra; i++) {
		const struct brief_section *s = &b->extra[i];
		if (!s->draw || s->height <= 0)
			continue;
		double h = fmin(s->height, BODY_BOTTOM - BODY_TOP - 40);
		heading(p, s->title ? s->title : "", h);
		cairo_save(p->cr);
		int rc = s->draw(p->cr, MARGIN_X, p->y, BODY_W, h, s->ctx);
		cairo_restore(p->cr);
		if (rc != 0)
			return error_set(err, ERR_INTERNAL, "drawing the section \"%s\" failed",
					 s->title ? s->title : "");
		p->y += h + 16;
	}
	return 0;
}

/* ---- the document -------------------------------------------------------------- */

/*
 * Fontconfig keeps its configuration and font caches for the life of the
 * process.  They are released at exit (before the leak checker of a
 * sanitizer build looks), registered once by the first brief.
 */
static void release_fonts(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}

static void register_release(void)
{
	atexit(release_fonts);
}

static cairo_status_t write_chunk(void *closure, const unsigned char *data, unsigned int len)
{
	struct pdf *p = closure;
	if (p->write_failed)
		return CAIRO_STATUS_WRITE_ERROR;
	if (p->write(p->ctx, (const char *)data, len) != 0) {
		p->write_failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

int brief_render_pdf(const struct brief *b, seizure_write_fn write, void *ctx, struct error *err)
{
	struct pdf p = { .b = b, .write = write, .ctx = ctx };
	p.lang = b->lang && strcmp(b->lang, "km") == 0 ? "km" : "en";
	p.plang = pango_language_from_string(p.lang);
	p.marking = b->marking && *b->marking ? b->marking : BRIEF_DEFAULT_MARKING;
	p.surface = cairo_pdf_surface_create_for_stream(write_chunk, &p, PAGE_W, PAGE_H);
	const char *title = b->title && *b->title ? b->title : brief_label(p.lang, "title");
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "kouprey");
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_SUBJECT, p.marking);
	p.cr = cairo_create(p.surface);
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, register_release);
	p.fonts = pango_cairo_font_map_new();
	p.pctx = pango_font_map_create_context(p.fonts);
	pango_cairo_update_context(p.cr, p.pctx);
	pango_context_set_language(p.pctx, p.plang);
	cairo_set_user_data(p.cr, &pdf_key, &p, NULL);
	int rc = 0;
	title_page(&p);
	if (b->seizures <= 0 && b->nextra > 0) {
		/* a filter that matches nothing: the title page says so; the
		 * extra sections (a network chart) still follow */
		p.y = BODY_BOTTOM;
		if (extra_sections(&p, err) != 0)
			rc = -1;
	} else if (b->seizures > 0) {
		p.y = BODY_BOTTOM; /* the first section that has data starts page 2 */
		period_chart(&p);
		bar_chart(&p, "by_species", b->by_species, b->nby_species);
		bar_chart(&p, "by_country", b->by_country, b->nby_country);
		bar_chart(&p, "by_term", b->by_term, b->nby_term);
		route_table(&p);
		if (map_section(&p, err) != 0)
			rc = -1;
		if (rc == 0)
			index_chart(&p);
		if (rc == 0 && extra_sections(&p, err) != 0)
			rc = -1;
	}
	cairo_show_page(p.cr);
	cairo_status_t st = cairo_status(p.cr);
	g_object_unref(p.pctx);
	g_object_unref(p.fonts);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(p.surface);
	cairo_surface_destroy(p.surface);
	if (rc != 0)
		return -1;
	if (p.write_failed)
		return error_set(err, ERR_IO, "writing the brief failed");
	if (st != CAIRO_STATUS_SUCCESS)
		return error_set(err, ERR_INTERNAL, "drawing the brief failed: %s",
				 cairo_status_to_string(st));
	return 0;
}
