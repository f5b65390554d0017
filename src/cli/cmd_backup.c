/* kouprey backup: consistent online copy; kouprey check: integrity and audit chain. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "store/store.h"

int cmd_backup(int argc, char **argv)
{
	const char *db = cli_default_db();
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'd') {
			db = optarg;
		} else {
			FILE *out = c == 'h' ? stdout : stderr;
			fprintf(out, "usage: kouprey backup [--db PATH] DEST\n\n"
				     "Copies the database to DEST (a new file) while the server may "
				     "be running;\nthe copy is consistent: one moment's committed "
				     "data.\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: kouprey backup [--db PATH] DEST\n");
		return 2;
	}
	struct error err = ERROR_INIT;
	struct store *st = store_open(db, STORE_OPEN_EXISTING, &err);
	if (!st || store_backup(st, argv[optind], &err) != 0) {
		cli_fail(&err);
		error_clear(&err);
		store_close(st);
		return 1;
	}
	store_close(st);
	printf("Backed up %s to %s\n", db, argv[optind]);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	const char *db = cli_default_db();
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'd') {
			db = optarg;
		} else {
			FILE *out = c == 'h' ? stdout : stderr;
			fprintf(out, "usage: kouprey check [--db PATH]\n\n"
				     "Verifies the database (SQLite integrity and foreign keys) and "
				     "the audit\nlog's hash chain; exits 1 when anything is wrong.\n");
			return c == 'h' ? 0 : 2;
		}
	}
	struct error err = ERROR_INIT;
	struct store *st = store_open(db, STORE_OPEN_EXISTING, &err);
	if (!st) {
		cli_fail(&err);
		error_clear(&err);
		return 1;
	}
	int rc = 0;
	if (store_integrity_check(st, &err) != 0) {
		cli_fail(&err);
		error_clear(&err);
		rc = 1;
	} else {
		printf("database: ok\n");
	}
	struct audit_report rep;
	if (audit_verify(st, &rep, &err) != 0) {
		cli_fail(&err);
		error_clear(&err);
		rc = 1;
	} else {
		printf("audit log: ok (%lld entries, chain intact)\n", (long long)rep.entries);
	}
	store_close(st);
	return rc;
}
