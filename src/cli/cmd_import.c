/* kouprey import seizures FILE: the importer on the command line. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/sha256.h"
#include "lib/table.h"
#include "lib/xalloc.h"
#include "seizure/import.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kouprey import seizures FILE [--db PATH] [--as USER] [--dry-run]\n"
		"                                    [--skip-invalid REJECTS.csv]\n"
		"\n"
		"Imports seizures from a CSV or XLSX file: a header row, then one row per\n"
		"seizure item. Columns: seizure_ref, date, agency, country, place, province,\n"
		"locode, latitude, longitude, reason, transport_mode, detection_method,\n"
		"concealment, origin, transit, destination, offender_nationalities,\n"
		"value_amount, value_currency, legal_action, law, sanctions, disposal, notes,\n"
		"species, term, quantity, unit, live (and sharing, concealment_code); the\n"
		"column titles of the CITES annual illegal trade report are accepted too.\n"
		"Required: date, country, species, term, quantity. Rows with the same\n"
		"seizure_ref (and agency) are one seizure. Importing a file again changes\n"
		"only the seizures whose content changed.\n"
		"\n"
		"Offenders, consignees and identifiers may come in the same rows (\"offender 1\n"
		"name\", \"offender 1 phone\", \"container\", \"vehicle plate\"...; see\n"
		"docs/import.md): they become parties, identifiers and links.\n"
		"\n"
		"Without --skip-invalid the import is all or nothing: any invalid row and\n"
		"nothing is written.\n"
		"\n"
		"  --db PATH                 the database (default %s)\n"
		"  --as USER                 act as this user (default: the first admin);\n"
		"                            admins and analysts may import\n"
		"  --dry-run                 check everything and count, write nothing\n"
		"  --skip-invalid FILE.csv   import the valid seizures; write the rows of the\n"
		"                            invalid ones to FILE.csv with a reason column\n"
		"\n"
		"Exit status: 0 imported (or would be, with --dry-run), 1 refused or failed,\n"
		"2 usage error.\n",
		cli_default_db());
}

static void show_progress(void *ctx, size_t rows, double fraction)
{
	(void)ctx;
	fprintf(stderr, "\rimporting: %zu rows, %3.0f%%", rows, fraction * 100);
	fflush(stderr);
}

/* Hex SHA-256 of a file into out; "" when it cannot be read. */
static void file_sha256(const char *path, char out[SHA256_HEX_SIZE])
{
	out[0] = '\0';
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	enum { CHUNK = 1 << 16 };
	unsigned char *buf = xmalloc(CHUNK);
	struct sha256 h;
	sha256_init(&h);
	size_t n;
	while ((n = fread(buf, 1, CHUNK, f)) > 0)
		sha256_update(&h, buf, n);
	int bad = ferror(f);
	fclose(f);
	free(buf);
	char hex[SHA256_HEX_SIZE];
	sha256_final(&h, hex);
	if (!bad)
		memcpy(out, hex, sizeof hex);
}

/* The file's SHA-256, made on a thread of its own while the import runs (the
 * import asks for it last, just before it commits).  The thread runs at the
 * lowest priority: it fills the time the import leaves a core idle (mostly
 * while the commit rebuilds the indexes on one core) and takes none from the
 * import's own threads. */
struct digest_job {
	const char *path;
	char hex[SHA256_HEX_SIZE];
	pthread_t thread;
	int running;
};

static void *digest_thread(void *arg)
{
	struct digest_job *j = arg;
#ifdef __linux__
	/* on Linux the nice value is per thread */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
#endif
	file_sha256(j->path, j->hex);
	return NULL;
}

static const char *digest_wait(void *ctx)
{
	struct digest_job *j = ctx;
	if (j->running) {
		pthread_join(j->thread, NULL);
		j->running = 0;
	}
	return j->hex;
}

static void print_report(const struct import_report *rep, const char *file)
{
	FILE *o = stdout;
	if (rep->committed)
		fprintf(o, "imported %s (import %lld)\n", file, (long long)rep->import_id);
	else if (rep->dry_run)
		fprintf(o, "dry run of %s: nothing was written; the counts are what an import "
			   "would do\n",
			file);
	else
		fprintf(o, "%s was not imported: nothing was written; the counts are what the "
			   "import would have done\n",
			file);
	fprintf(o, "  rows read            %zu\n", rep->rows);
	fprintf(o, "  seizures created     %zu\n", rep->created);
	fprintf(o, "  seizures updated     %zu\n", rep->updated);
	fprintf(o, "  seizures unchanged   %zu\n", rep->unchanged);
	if (rep->rejected || rep->rows_rejected)
		fprintf(o, "  seizures rejected    %zu (%zu rows)\n", rep->rejected,
			rep->rows_rejected);
	if (rep->party_columns) {
		fprintf(o, "  parties created      %zu (reused %zu)\n", rep->parties_created,
			rep->parties_reused);
		fprintf(o, "  identifiers created  %zu (reused %zu)\n", rep->identifiers_created,
			rep->identifiers_reused);
	}
	if (rep->nagencies) {
		fprintf(o, "  agencies created     ");
		for (size_t i = 0; i < rep->nagencies; i++)
			fprintf(o, "%s%s", i ? ", " : "", rep->agencies_created[i]);
		fputc('\n', o);
	}
	for (size_t i = 0; i < rep->nwarnings; i++)
		fprintf(o, "warning: %s\n", rep->warnings[i]);
	if (rep->nerrors) {
		fprintf(o, "errors:\n");
		for (size_t i = 0; i < rep->nerrors; i++)
			fprintf(o, "  row %zu, %s: %s\n", rep->errors[i].row, rep->errors[i].field,
				rep->errors[i].message);
		if (rep->errors_omitted)
			fprintf(o, "  ... and %zu more errors\n", rep->errors_omitted);
	}
}

int cmd_import(int argc, char **argv)
{
	const char *db = cli_default_db(), *as = NULL, *file = NULL, *rejects_path = NULL;
	int dry_run = 0, what = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (strcmp(a, "--as") == 0 && i + 1 < argc) {
			as = argv[++i];
		} else if (strcmp(a, "--dry-run") == 0) {
			dry_run = 1;
		} else if (strcmp(a, "--skip-invalid") == 0 && i + 1 < argc) {
			rejects_path = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "kouprey import: unknown option %s (or its value is missing)\n\n",
				a);
			usage(stderr);
			return 2;
		} else if (!what) {
			if (strcmp(a, "seizures") != 0) {
				fprintf(stderr, "kouprey import: what to import? only \"seizures\" is "
						"known, not \"%s\"\n\n",
					a);
				usage(stderr);
				return 2;
			}
			what = 1;
		} else if (!file) {
			file = a;
		} else {
			fprintf(stderr, "kouprey import: one file at a time (%s?)\n\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!what || !file) {
		usage(stderr);
		return 2;
	}

	struct cli_session cs;
	if (cli_open(&cs, db, as) != 0)
		return 1;
	struct error err = ERROR_INIT;
	struct table_reader *in = table_open(file, &err);
	if (!in) {
		cli_close(&cs);
		int rc = cli_fail(&err);
		error_clear(&err);
		return rc;
	}
	FILE *rejects = NULL;
	if (rejects_path) {
		rejects = fopen(rejects_path, "wb");
		if (!rejects) {
			fprintf(stderr, "kouprey: cannot write %s: %s\n", rejects_path, strerror(errno));
			table_close(in);
			cli_close(&cs);
			return 1;
		}
	}
	/* a dry run records no import job: no digest needed */
	struct digest_job digest = { .path = file };
	if (!dry_run && pthread_create(&digest.thread, NULL, digest_thread, &digest) == 0)
		digest.running = 1;
	else if (!dry_run)
		file_sha256(file, digest.hex);
	const char *base = strrchr(file, '/');
	struct import_options opt = {
		.dry_run = dry_run,
		.skip_invalid = rejects != NULL,
		.rejects = rejects ? seizure_write_file : NULL,
		.rejects_ctx = rejects,
		.filename = base ? base + 1 : file,
		.sha256 = digest.hex,
		.sha256_wait = digest_wait,
		.sha256_ctx = &digest,
		.progress = cli_interactive() ? show_progress : NULL,
	};
	struct import_report rep = { 0 };
	int rc = seizure_import(cs.st, cs.ref, &cs.who, in, &opt, &rep, &err);
	digest_wait(&digest);
	if (opt.progress)
		fprintf(stderr, "\r%40s\r", "");
	table_close(in);
	if (rejects && fclose(rejects) != 0) {
		fprintf(stderr, "kouprey: writing %s failed: %s\n", rejects_path, strerror(errno));
		rc = -1;
	}
	if (rep.rows || rep.nerrors)
		print_report(&rep, file);
	if (rc != 0) {
		fprintf(stderr, "kouprey: %s\n", err.message ? err.message : "the import failed");
		if (err.code != ERR_VALIDATION)
			for (size_t i = 0; i < err.nfields; i++)
				fprintf(stderr, "  %s: %s\n", err.fields[i].field, err.fields[i].message);
	} else if (rejects_path && rep.rows_rejected) {
		printf("rejected rows written to %s\n", rejects_path);
	}
	import_report_free(&rep);
	error_clear(&err);
	cli_close(&cs);
	return rc == 0 ? 0 : 1;
}
