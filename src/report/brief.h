/*
 * brief.h - the intelligence brief: an A4 PDF of what the analytics engine
 * says about a filtered set of seizures, for a director or a regional case
 * meeting (issue 5, scope 7).
 *
 * Two steps, so that the layout can be tested with figures made by hand:
 *
 *   brief_collect()     asks the analytics engine (src/analytics/analytics.h,
 *                       in process, as the acting user) for the figures of a
 *                       filter and fills a struct brief;
 *   brief_render_pdf()  lays a struct brief out on A4 pages with cairo and
 *                       pango and writes the PDF to a sink.
 *
 * The pages: a title page (handling marking, title, the filter in words, who
 * made it and when, the summary figures, the note on what seizure counts can
 * and cannot say); then, each only when it has data, the seizures and weight
 * by period, bar charts by species, country of seizure and CITES term, the
 * ranked route table (origin → transit → destination), a map of country
 * outlines shaded by the number of seizures (with points where seizures have
 * coordinates), the transaction and weight indices with their caveat, and
 * any extra sections (the hook below).  No section is ever drawn empty: a
 * brief of a filter that matches nothing is a title page saying so.  The
 * handling marking is printed at the top and bottom of every page.
 *
 * Text is laid out by pango, so Khmer, Thai, Lao and Vietnamese shape
 * correctly; fonts come from Debian packages: Noto Sans (fonts-noto-core)
 * for Latin, Thai, Lao and Vietnamese, Khmer OS (fonts-khmeros) for Khmer,
 * with fontconfig's fallback for anything else.  The fixed labels of the
 * brief are in a small table in brief.c, in English and Khmer; names that
 * come with the data (countries, terms, species) are passed in already in
 * the language wanted.
 */
#ifndef KOUPREY_REPORT_BRIEF_H
#define KOUPREY_REPORT_BRIEF_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "lib/query.h"
#include "seizure/export.h"

struct store;
struct refdata;
struct analytics;
struct graph_index;

/* One bar of a breakdown: a code (ISO country, term code, taxon name) and
 * the label shown for it. */
struct brief_count {
	const char *code;
	const char *label;
	int64_t seizures;
	double kg;            /* weight in kg where units allow; 0 otherwise */
};

/* One period of the time series ("2024", "2024-03"). */
struct brief_period {
	const char *label;
	int64_t seizures;
	double kg;
};

/* One route, as labels ("" for not recorded; transit "" = direct). trend
 * is the relative change in seizures against the period of the same length
 * before (0.25 = +25 %), or NAN when that period had none. */
struct brief_route {
	const char *origin, *transit, *destination;
	int64_t seizures;
	double kg;
	double trend;
};

/* A seizure point with coordinates. */
struct brief_point {
	double lat, lon;
};

/* One year of the indices (relative to the base year = 100). */
struct brief_index {
	int year;
	double transaction;   /* NAN when not computed */
	double weight;
};

/*
 * Extra sections after the built-in ones.  This is the hook for the network
 * chart of the link analysis issue: its collector adds a section whose draw
 * function paints the chart in the box (x, y, w, h) given in points on an A4
 * page; the renderer gives the section its title and a page of its own if
 * it does not fit.  A section with draw == NULL is skipped.
 */
struct brief_section {
	const char *title;
	double height;        /* points wanted (at most a page body) */
	int (*draw)(cairo_t *cr, double x, double y, double w, double h, void *ctx);
	void *ctx;
};

/*
 * Text for a section's draw function, with the brief's fonts (pango, so
 * Khmer and Thai shape): s at (x, y) (top left; with width > 0 aligned in a
 * box that wide), `size` points, in the cairo source colour set before the
 * call.  one_line: cut to width with an ellipsis instead of wrapping.
 * draw == 0 only measures.  Returns the height used; *text_width (when not
 * NULL) gets the width of the text.  Only on the cairo_t given to a
 * section's draw, during brief_render_pdf (elsewhere it draws nothing and
 * returns 0).
 */
enum brief_align { BRIEF_LEFT, BRIEF_CENTER, BRIEF_RIGHT };
double brief_section_text(cairo_t *cr, double x, double y, double width, const char *s,
			  double size, int bold, enum brief_align align, int one_line, int draw,
			  double *text_width);

struct brief {
	const char *lang;     /* "en" (default) or "km": the fixed labels */
	const char *title;    /* NULL: "Wildlife seizures — intelligence brief" */
	const char *marking;  /* handling marking; NULL: BRIEF_DEFAULT_MARKING */
	const char *scope;    /* the filter in words, "" or NULL for "all seizures" */
	const char *generated; /* "2025-03-01 10:00 UTC, analyst (Agency)" */

	int64_t seizures, items;
	double kg;
	int64_t countries;    /* countries involved (seizure, origin, transit, destination) */
	int64_t species;      /* distinct taxa */

	struct brief_period *periods; size_t nperiods;
	struct brief_count *by_species; size_t nby_species;
	struct brief_count *by_country; size_t nby_country;
	struct brief_count *by_term; size_t nby_term;
	struct brief_route *routes; size_t nroutes;
	struct brief_count *map; size_t nmap;      /* code = ISO2, seizures = count */
	struct brief_point *points; size_t npoints;
	struct brief_index *indices; size_t nindices;
	int index_base_year;
	const char *index_note; /* the caveat the engine gives with the indices */
	const char *note;       /* what raw counts can and cannot say; NULL: built-in */

	struct brief_section *extra; size_t nextra;
};

#define BRIEF_DEFAULT_MARKING "RESTRICTED — LAW ENFORCEMENT USE ONLY"

/* The fixed label `key` in a language ("en"/"km"); the key itself when the
 * table has no such key (so a gap shows). Static strings. */
const char *brief_label(const char *lang, const char *key);

/*
 * Renders the brief as a PDF to the sink.  Returns 0, or -1 with err set:
 * ERR_IO when the sink stopped, ERR_INTERNAL when cairo failed.
 */
int brief_render_pdf(const struct brief *b, seizure_write_fn write, void *ctx,
		     struct error *err);

/* Options of brief_collect, from the command line or the API. */
struct brief_options {
	const char *lang;     /* "en" or "km" */
	const char *title;    /* NULL: default */
	const char *marking;  /* NULL: BRIEF_DEFAULT_MARKING */
	/* network charts (link analysis) to add, by saved chart id; graph and
	 * store must be given with them (the caller holds a read snapshot and
	 * has brought the graph index up to date) */
	const int64_t *charts;
	size_t ncharts;
	struct graph_index *graph;
	struct store *store;
};

/*
 * The query parameters that are not analytics filters and that
 * brief_collect ignores: lang, title, marking, chart (a NULL-terminated list, for
 * the parsers that reject unknown names).  The analytics parameters
 * base_year (indices) is honoured; by, measure, limit and the like are
 * chosen by the brief and must not be given.
 */
extern const char *const brief_extra_params[];

/*
 * Fills *b from the analytics engine for the filters in q (the parameters of
 * GET /api/v1/analytics/..., as the command line's --filter builds them),
 * as the actor sees them.  Everything *b points to is allocated in arena a.
 * Returns 0, or -1 with err set (ERR_VALIDATION naming the bad parameter;
 * whatever the engine reports).
 */
int brief_collect(struct analytics *an, const struct refdata *ref, const struct actor *who,
		  const struct query *q, const struct brief_options *opt, struct brief *b,
		  struct arena *a, struct error *err);

/*
 * The network chart section (brief_chart.c): adds to b->extra a section
 * drawing the saved chart `chart_id` as the actor sees it now: the chart's
 * nodes the actor may see (graph_index_subgraph applies the access rules;
 * the chart's hidden nodes and kind filters are left out too) at their
 * saved positions scaled to the page (a circle, in a fixed order, when the
 * chart has none), shaped and coloured by kind, with their labels, the
 * links among them drawn by kind, a legend, the chart's name and the
 * range of the links' dates.  Caller holds a read snapshot of st and has
 * synced ix.  Everything is allocated in a.  Returns 0, or -1 with err set:
 * ERR_NOT_FOUND "chart N not found" when the chart does not exist or is
 * another agency's; what the store or the index report.
 */
int brief_add_chart(struct brief *b, struct graph_index *ix, struct store *st,
		    const struct actor *who, int64_t chart_id, struct arena *a, struct error *err);

/*
 * The chart ids of a query: every "chart" parameter, each a positive id
 * or several joined by commas.  *out in a; -1 with a field error "chart"
 * on a bad value or more than BRIEF_MAX_CHARTS.
 */
enum { BRIEF_MAX_CHARTS = 8 };
int brief_chart_ids(const struct query *q, int64_t **out, size_t *n, struct arena *a,
		    struct error *err);

/* brief_collect, the charts of opt, then brief_render_pdf: the whole brief
 * of a filter. */
int brief_write(struct analytics *an, const struct refdata *ref, const struct actor *who,
		const struct query *q, const struct brief_options *opt, seizure_write_fn write,
		void *ctx, struct error *err);

#endif
