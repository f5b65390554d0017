/* kouprey report aitr: the CITES Annual Illegal Trade Report of a year. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "seizure/aitr.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kouprey report aitr --year YEAR [--out FILE.xlsx|FILE.csv]\n"
		"                           [--format csv|xlsx] [--lang en|km] [--db PATH]\n"
		"                           [--as USER]\n"
		"\n"
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

int cmd_report(int argc, char **argv)
{
	const char *db = cli_default_db(), *as = NULL, *out_path = NULL, *format_name = NULL;
	const char *lang = "en", *year_text = NULL;
	int what = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
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
			return 2;
		} else if (!what && strcmp(a, "aitr") == 0) {
			what = 1;
		} else {
			fprintf(stderr, "kouprey report: the only report is \"aitr\", not \"%s\"\n\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!what || !year_text) {
		usage(stderr);
		return 2;
	}
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
