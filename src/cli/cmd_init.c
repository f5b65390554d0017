/* kouprey init: create a database, load reference data, create the first admin. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/account.h"
#include "auth/password.h"
#include "cli/cli.h"
#include "ref/load.h"
#include "ref/refdata.h"
#include "store/store.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kouprey init [--db PATH] [--country CC] [--admin-user NAME]\n"
		"                    [--admin-password PASSWORD] [--agency NAME] [--data DIR]\n\n"
		"Creates a new database, loads the reference data (CITES species and codes,\n"
		"countries, UN/LOCODE places, vocabularies) and the first administrator.\n"
		"The administrator's password is printed once unless given.\n\n"
		"  --db PATH              database file (default %s)\n"
		"  --country CC           the deployment's country, ISO 3166 (default KH)\n"
		"  --admin-user NAME      (default admin)\n"
		"  --admin-password PW    at least %d characters (default: generated)\n"
		"  --agency NAME          the administrator's agency (default \"Administration\")\n"
		"  --data DIR             reference data folder (default %s)\n",
		cli_default_db(), PASSWORD_MIN_LENGTH, cli_data_dir());
}

int cmd_init(int argc, char **argv)
{
	const char *db = cli_default_db(), *country = "KH", *user = "admin", *password = NULL;
	const char *agency = "Administration", *data = cli_data_dir();
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "country", required_argument, 0, 'c' },
		{ "admin-user", required_argument, 0, 'u' },
		{ "admin-password", required_argument, 0, 'p' },
		{ "agency", required_argument, 0, 'a' }, { "data", required_argument, 0, 'D' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': country = optarg; break;
		case 'u': user = optarg; break;
		case 'p': password = optarg; break;
		case 'a': agency = optarg; break;
		case 'D': data = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (access(db, F_OK) == 0) {
		fprintf(stderr, "kouprey: %s exists already; init makes a new database\n", db);
		return 1;
	}
	struct error err = ERROR_INIT;
	char *generated = NULL;
	if (password && password_check_policy(password, "--admin-password", &err) != 0)
		return cli_fail(&err);
	if (!password)
		password = generated = password_generate();
	int rc = 1;
	struct refdata *ref = NULL;
	struct store *st = store_open(db, STORE_CREATE, &err);
	if (!st || store_migrate(st, &err) != 0)
		goto out;
	if (cli_interactive())
		fprintf(stderr, "loading reference data from %s …\n", data);
	if (ref_load_dir(st, data, &err) != 0)
		goto out;
	ref = refdata_load(st, &err);
	if (!ref)
		goto out;
	const struct country *cc = refdata_country(ref, country);
	if (!cc) {
		error_set(&err, ERR_VALIDATION, "--country: \"%s\" is not an ISO 3166 country", country);
		goto out;
	}
	if (store_setting_set(st, "country", cc->iso2, &err) != 0)
		goto out;
	struct agency_rec ag = { .name = agency, .country = cc->iso2, .kind = "other" };
	if (agency_add(st, ref, NULL, &ag, &err) != 0)
		goto out;
	struct user_input in = { .username = user, .display_name = "Administrator",
				 .password = password, .role = "admin", .agency_id = ag.id,
				 .disabled = -1 };
	int64_t uid;
	if (user_add(st, NULL, &in, &uid, &err) != 0)
		goto out;
	printf("Created %s: %zu taxa, %lld countries, %lld places.\n", db,
	       refdata_taxon_count(ref), (long long)store_ref_count(st, REF_COUNTRY),
	       (long long)store_ref_count(st, REF_LOCATION));
	printf("Administrator: %s\n", user);
	if (generated)
		printf("Password (shown once, write it down): %s\n", generated);
	rc = 0;
out:
	if (rc)
		cli_fail(&err);
	error_clear(&err);
	refdata_free(ref);
	store_close(st);
	if (rc && st)
		unlink(db);
	free(generated);
	return rc;
}
