/*
 * kouprey report aitr: the CITES Annual Illegal Trade Report of a year.
 * kouprey report brief: the intelligence brief (PDF) of a filter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "analytics/analytics.h"
#include "cli/cli.h"
#include "index/graph_index.h"
#include "report/brief.h"
#include "seizure/aitr.h"
#include "store/store.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kouprey report aitr --year YEAR [--out FILE.xlsx|FILE.csv]\n"
		"                           [--format csv|xlsx] [--lang en|km] [--db PATH]\n"
		"                           [--as USER]\n"
		"       kouprey report brief --out FILE.pdf [--filter NAME=VALUE]...\n"
		"                           [--lang en|km] [--title TEXT] [--marking TEXT]\n"
		"                           [--chart ID]... [--db PATH] [--as USER]\n"
		"\n"
		"brief: an intelligence brief as a PDF (A4): title page with the handling\n"
		"marking, summary figures, seizures and weight by period, species,\n"
		"countries and terms, the main routes, a map and the indices, of the\n"
		"seizures the acting user may see that match the filters.  Filters are\n"
		"those of GET /api/v1/analytics (from, to, species, taxon, term, country,\n"
		"origin, transit, destination, agency, transport_mode, ...); --filter may\n"
		"be repeated and takes NAME=VALUE or several joined by '&'\n"
		"(--filter 'taxon=Manidae&from=2024').  --marking replaces the default\n"
		"\"" BRIEF_DEFAULT_MARKING "\".  --chart ID (repeatable) adds a saved network\n"
		"chart (the network view's), with what the acting user may see of it.\n"
		"\n"
		"aitr:\n"
		"Writes the CITES Annual Illegal Trade Report (standard format, SC71) of a\n"
		"year: one row per seizure item the acting user may see. The format follows\n"
		"the --out file's extension (default: CSV on standard output).\n"
		"\n"
		"  --year YEAR      the year reported (required)\n"
		"  --out FILE       write to FILE (.xlsx or .csv)\n"
		"  --format F       csv or xlsx, when --out does not say\n"
		"  --lang L         en (default) or km: column titles and names in Khmer\n"
		"  --db PATH        the database (default %s)\n"
		"  --as USER        act as this user (default: the first admin)\n",
		cli_default_db());
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* Adds "a=1&b=2" (no decoding: values are taken as typed) to q. */
static int add_filters(struct query *q, const char *text, struct arena *a)
{
	char *copy = arena_strdup(a, text), *save = NULL;
	for (char *pair = strtok_r(copy, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (!eq || eq == pair) {
			fprintf(stderr, "kouprey report: --filter takes NAME=VALUE, not \"%s\"\n", pair);
			return -1;
		}
		if (q->n >= QUERY_MAX_PARAMS) {
			fprintf(stderr, "kouprey report: too many filters\n");
			return -1;
		}
		*eq = '\0';
		q->keys[q->n] = pair;
		q->values[q->n] = eq + 1;
		q->n++;
	}
	return 0;
}

/* The brief: the analytics columns built from the store, then the PDF. */
static int report_brief(const char *db, const char *as, const struct query *q,
			const struct brief_options *opt, const char *out_path)
{
	struct cli_session cs;
	if (cli_open(&cs, db, as) != 0)
		return 1;
	struct error err = ERROR_INIT;
	int rc = 1;
	struct analytics *an = NULL;
	FILE *out = NULL;
	if (store_read_begin(cs.st, &err) != 0) {
		cli_fail(&err);
		goto done;
	}
	an = analytics_build(cs.st, cs.ref, &err);
	store_read_end(cs.st);
	if (!an) {
		cli_fail(&err);
		goto done;
	}
	out = fopen(out_path, "wb");
	if (!out) {
		fprintf(stderr, "kouprey: cannot write %s: %s\n", out_path, strerror(errno));
		goto done;
	}
	struct brief_options o = *opt;
	struct graph_index *ix = NULL;
	if (o.ncharts > 0) {
		/* the charts: the graph of the register, read in one snapshot */
		if (store_read_begin(cs.st, &err) != 0) {
			cli_fail(&err);
			goto done;
		}
		ix = graph_index_build(cs.st, &err);
		o.graph = ix;
		o.store = cs.st;
	}
	int wrc = o.ncharts > 0 && !ix ? -1
		  : brief_write(an, cs.ref, &cs.who, q, &o, seizure_write_file, out, &err);
	if (o.ncharts > 0) {
		graph_index_free(ix);
		store_read_end(cs.st);
	}
	if (wrc != 0) {
		cli_fail(&err);
		goto done;
	}
	rc = 0;
done:
	if (out && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "kouprey: writing %s failed: %s\n", out_path, strerror(errno));
		rc = 1;
	}
	if (out && rc != 0)
		unlink(out_path);
	if (rc == 0)
		fprintf(stderr, "wrote %s\n", out_path);
	if (an)
		analytics_free(an);
	error_clear(&err);
	cli_close(&cs);
	return rc;
}

/* The AITR of a year. */
static int report_aitr(const char *db, const char *as, const char *out_path,
		       const char *format_name, const char *lang, const char *year_text)
{
	char *end;
	long year = strtol(year_text, &end, 10);
	if (*end || year < 1900 || year > 9999) {
		fprintf(stderr, "kouprey report: --year must be a year such as 2024\n");
		return 2;
	}
	if (strcmp(lang, "en") != 0 && strcmp(lang, "km") != 0) {
		fprintf(stderr, "kouprey report: --lang must be en or km\n");
		return 2;
	}
	enum aitr_format format = AITR_CSV;
	if (format_name) {
		if (aitr_format_parse(format_name, &format) != 0) {
			fprintf(stderr, "kouprey report: --format must be csv or xlsx\n");
			return 2;
		}
	} else if (out_path && ends_with(out_path, ".xlsx")) {
		format = AITR_XLSX;
	}
	if (format == AITR_XLSX && !out_path && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kouprey report: a workbook is binary: give --out FILE.xlsx\n");
		return 2;
	}

	struct cli_session cs;
	if (cli_open(&cs, db, as) != 0)
		return 1;
	struct error err = ERROR_INIT;
	int rc = 1;
	FILE *out = stdout;
	if (out_path) {
		out = fopen(out_path, "wb");
		if (!out) {
			fprintf(stderr, "kouprey: cannot write %s: %s\n", out_path, strerror(errno));
			out = stdout;
			goto done;
		}
	}
	struct aitr_options opt = { .year = (int)year, .lang = lang, .format = format };
	size_t rows = 0;
	if (aitr_report(cs.st, cs.ref, &cs.who, &opt, seizure_write_file, out, &rows, &err) != 0) {
		cli_fail(&err);
		goto done;
	}
	if (fflush(out) != 0) {
		fprintf(stderr, "kouprey: writing the report failed: %s\n", strerror(errno));
		goto done;
	}
	if (out_path)
		fprintf(stderr, "wrote %s: %zu item rows of %ld\n", out_path, rows, year);
	rc = 0;
done:
	if (out != stdout && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "kouprey: writing %s failed: %s\n", out_path, strerror(errno));
		rc = 1;
	}
	if (rc != 0 && out_path)
		unlink(out_path);
	error_clear(&err);
	cli_close(&cs);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	const char *db = cli_default_db(), *as = NULL, *out_path = NULL, *format_name = NULL;
	const char *lang = "en", *year_text = NULL, *title = NULL, *marking = NULL;
	int what = 0; /* 1 aitr, 2 brief */
	struct arena fa;
	arena_init(&fa);
	struct query filters = { 0 };
	int64_t charts[BRIEF_MAX_CHARTS];
	size_t ncharts = 0;
	int rc = 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			rc = 0;
			goto out;
		} else if (strcmp(a, "--filter") == 0 && i + 1 < argc) {
			if (add_filters(&filters, argv[++i], &fa) != 0)
				goto out;
		} else if (strcmp(a, "--chart") == 0 && i + 1 < argc) {
			char *end;
			long long id = strtoll(argv[++i], &end, 10);
			if (*end || id < 1) {
				fprintf(stderr, "kouprey report: --chart takes the id of a saved chart, not \"%s\"\n",
					argv[i]);
				goto out;
			}
			if (ncharts >= BRIEF_MAX_CHARTS) {
				fprintf(stderr, "kouprey report: at most %d charts in a brief\n", BRIEF_MAX_CHARTS);
				goto out;
			}
			charts[ncharts++] = id;
		} else if (strcmp(a, "--title") == 0 && i + 1 < argc) {
			title = argv[++i];
		} else if (strcmp(a, "--marking") == 0 && i + 1 < argc) {
			marking = argv[++i];
		} else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (strcmp(a, "--as") == 0 && i + 1 < argc) {
			as = argv[++i];
		} else if (strcmp(a, "--out") == 0 && i + 1 < argc) {
			out_path = argv[++i];
		} else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
			format_name = argv[++i];
		} else if (strcmp(a, "--lang") == 0 && i + 1 < argc) {
			lang = argv[++i];
		} else if (strcmp(a, "--year") == 0 && i + 1 < argc) {
			year_text = argv[++i];
		} else if (a[0] == '-') {
			fprintf(stderr, "kouprey report: unknown option %s (or its value is missing)\n\n",
				a);
			usage(stderr);
			goto out;
		} else if (!what && strcmp(a, "aitr") == 0) {
			what = 1;
		} else if (!what && strcmp(a, "brief") == 0) {
			what = 2;
		} else {
			fprintf(stderr, "kouprey report: the reports are \"aitr\" and \"brief\", not \"%s\"\n\n", a);
			usage(stderr);
			goto out;
		}
	}
	if (what == 2) {
		if (!out_path) {
			fprintf(stderr, "kouprey report: a brief is a PDF: give --out FILE.pdf\n");
			goto out;
		}
		if (strcmp(lang, "en") != 0 && strcmp(lang, "km") != 0) {
			fprintf(stderr, "kouprey report: --lang must be en or km\n");
			goto out;
		}
		struct brief_options bo = { .lang = lang, .title = title, .marking = marking,
					    .charts = charts, .ncharts = ncharts };
		rc = report_brief(db, as, &filters, &bo, out_path);
		goto out;
	}
	if (what != 1 || !year_text || filters.n || title || marking || ncharts) {
		usage(stderr);
		goto out;
	}
	rc = report_aitr(db, as, out_path, format_name, lang, year_text);
out:
	arena_free(&fa);
	return rc;
}
