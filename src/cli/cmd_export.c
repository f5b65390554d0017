/* kouprey export seizures: the register as CSV, JSON or GeoJSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/query.h"
#include "seizure/export.h"
#include "seizure/filter.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kouprey export seizures [--db PATH] [--as USER] [--format csv|json|geojson]\n"
		"                               [--out FILE] [--species NAME] [--taxon NAME]\n"
		"                               [--term CODE] [--country CC] [--agency ID]\n"
		"                               [--transport-mode CODE] [--from DATE] [--to DATE]\n"
		"                               [--q WORDS]\n"
		"\n"
		"Writes the seizures the acting user may see, oldest first.\n"
		"  csv      the import columns, one row per item (`kouprey import seizures`\n"
		"           reads it back to the same records)\n"
		"  json     {\"items\": [...]} with the full record of each seizure\n"
		"  geojson  a FeatureCollection of the seizures with coordinates (or a\n"
		"           UN/LOCODE with coordinates)\n"
		"\n"
		"  --db PATH        the database (default %s)\n"
		"  --as USER        act as this user (default: the first admin)\n"
		"  --format F       csv (default), json or geojson\n"
		"  --out FILE       write to FILE instead of standard output\n"
		"  --species NAME   a species (scientific, synonym or common name, or taxon id)\n"
		"  --taxon NAME     a higher taxon: class, order, family or genus\n"
		"  --term CODE      a CITES term code\n"
		"  --country CC     seized in, or coming from, through or going to, this country\n"
		"  --agency ID      the recording agency's id\n"
		"  --transport-mode CODE\n"
		"  --from DATE, --to DATE   YYYY, YYYY-MM or YYYY-MM-DD, inclusive\n"
		"  --q WORDS        words that must all appear in the record\n",
		cli_default_db());
}

int cmd_export(int argc, char **argv)
{
	static const struct {
		const char *option, *param;
	} filters[] = {
		{ "--species", "species" }, { "--taxon", "taxon" },   { "--term", "term" },
		{ "--country", "country" }, { "--agency", "agency" }, { "--from", "from" },
		{ "--to", "to" },           { "--q", "q" },           { "--transport-mode", "transport_mode" },
	};
	const char *db = cli_default_db(), *as = NULL, *out_path = NULL, *format_name = "csv";
	struct query q;
	memset(&q, 0, sizeof q);
	int what = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int used = 0;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (i + 1 < argc) {
			used = 1;
			if (strcmp(a, "--db") == 0)
				db = argv[++i];
			else if (strcmp(a, "--as") == 0)
				as = argv[++i];
			else if (strcmp(a, "--format") == 0)
				format_name = argv[++i];
			else if (strcmp(a, "--out") == 0)
				out_path = argv[++i];
			else
				used = 0;
			for (size_t k = 0; !used && k < sizeof filters / sizeof *filters; k++)
				if (strcmp(a, filters[k].option) == 0) {
					if (q.n == QUERY_MAX_PARAMS) {
						fprintf(stderr, "kouprey export: too many filters\n");
						return 2;
					}
					q.keys[q.n] = filters[k].param;
					q.values[q.n++] = argv[++i];
					used = 1;
				}
		}
		if (used)
			continue;
		if (a[0] == '-') {
			fprintf(stderr, "kouprey export: unknown option %s (or its value is missing)\n\n",
				a);
			usage(stderr);
			return 2;
		}
		if (what || strcmp(a, "seizures") != 0) {
			fprintf(stderr, "kouprey export: only \"seizures\" can be exported, not \"%s\"\n\n",
				a);
			usage(stderr);
			return 2;
		}
		what = 1;
	}
	if (!what) {
		usage(stderr);
		return 2;
	}
	enum export_format format;
	if (export_format_parse(format_name, &format) != 0) {
		fprintf(stderr, "kouprey export: --format must be csv, json or geojson\n");
		return 2;
	}

	struct cli_session cs;
	if (cli_open(&cs, db, as) != 0)
		return 1;
	struct error err = ERROR_INIT;
	struct seizure_filter f;
	int rc = 1;
	FILE *out = stdout;
	if (seizure_filter_parse(cs.ref, &q, NULL, &f, &cs.arena, &err) != 0) {
		cli_fail(&err);
		goto done;
	}
	if (out_path) {
		out = fopen(out_path, "wb");
		if (!out) {
			fprintf(stderr, "kouprey: cannot write %s: %s\n", out_path, strerror(errno));
			out = stdout;
			goto done;
		}
	}
	if (seizure_export(cs.st, cs.ref, &cs.who, &f, format, seizure_write_file, out, &err) != 0) {
		cli_fail(&err);
		goto done;
	}
	if (fflush(out) != 0) {
		fprintf(stderr, "kouprey: writing %s failed: %s\n", out_path ? out_path : "the output",
			strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (out != stdout && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "kouprey: writing %s failed: %s\n", out_path, strerror(errno));
		rc = 1;
	}
	error_clear(&err);
	cli_close(&cs);
	return rc;
}
