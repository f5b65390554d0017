/* kouprey user add|list|disable|enable|passwd|token; kouprey agency add|list. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "auth/password.h"
#include "cli/cli.h"
#include "ref/refdata.h"
#include "store/store.h"

static void user_usage(FILE *out)
{
	fprintf(out,
		"usage: kouprey user <action> [--db PATH] [--as ADMIN] …\n\n"
		"  add USERNAME --role admin|analyst|officer|viewer --agency NAME\n"
		"      [--name \"Display Name\"] [--password PW]   (password generated if not given)\n"
		"  list\n"
		"  disable USERNAME | enable USERNAME\n"
		"  passwd USERNAME [--password PW]              (generated if not given)\n"
		"  token USERNAME --name LABEL                  prints a new API token once\n");
}

static int find_user(struct cli_session *cs, const char *name, struct user_rec *u)
{
	struct error err = ERROR_INIT;
	if (store_user_by_name(cs->st, name, u, &cs->arena, &err) != 0) {
		cli_fail(&err);
		error_clear(&err);
		return -1;
	}
	return 0;
}

int cmd_user(int argc, char **argv)
{
	const char *db = cli_default_db(), *as = NULL, *role = NULL, *agency = NULL;
	const char *display = NULL, *password = NULL, *label = NULL;
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "as", required_argument, 0, 'A' },
		{ "role", required_argument, 0, 'r' }, { "agency", required_argument, 0, 'a' },
		{ "name", required_argument, 0, 'n' }, { "password", required_argument, 0, 'p' },
		{ "label", required_argument, 0, 'l' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'A': as = optarg; break;
		case 'r': role = optarg; break;
		case 'a': agency = optarg; break;
		case 'n': display = optarg; label = optarg; break;
		case 'p': password = optarg; break;
		case 'l': label = optarg; break;
		case 'h': user_usage(stdout); return 0;
		default: user_usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		user_usage(stderr);
		return 2;
	}
	const char *action = argv[optind];
	const char *target = optind + 1 < argc ? argv[optind + 1] : NULL;
	int needs_target = strcmp(action, "list") != 0;
	if ((needs_target && !target) ||
	    (strcmp(action, "add") != 0 && strcmp(action, "list") != 0 &&
	     strcmp(action, "disable") != 0 && strcmp(action, "enable") != 0 &&
	     strcmp(action, "passwd") != 0 && strcmp(action, "token") != 0)) {
		user_usage(stderr);
		return 2;
	}
	struct cli_session cs;
	if (cli_open(&cs, db, as) != 0)
		return 1;
	struct error err = ERROR_INIT;
	int rc = 1;
	char *generated = NULL;
	struct user_rec u;
	if (strcmp(action, "list") == 0) {
		struct user_rec *all;
		size_t n;
		if (store_user_list(cs.st, &all, &n, &cs.arena, &err) != 0)
			goto fail;
		printf("%-20s %-8s %-9s %s\n", "USERNAME", "ROLE", "STATUS", "AGENCY");
		for (size_t i = 0; i < n; i++)
			printf("%-20s %-8s %-9s %s\n", all[i].username, role_name(all[i].role),
			       all[i].disabled ? "disabled" : "active", all[i].agency_name);
		rc = 0;
	} else if (strcmp(action, "add") == 0) {
		struct agency_rec ag;
		if (!agency) {
			fprintf(stderr, "kouprey: user add needs --agency NAME\n");
			goto out;
		}
		if (store_agency_by_name(cs.st, agency, &ag, &cs.arena, &err) != 0)
			goto fail;
		if (!password)
			password = generated = password_generate();
		struct user_input in = { .username = target, .display_name = display,
					 .password = password, .role = role, .agency_id = ag.id,
					 .disabled = -1 };
		int64_t id;
		if (user_add(cs.st, &cs.who, &in, &id, &err) != 0)
			goto fail;
		printf("Added %s (%s, %s).\n", target, role, ag.name);
		if (generated)
			printf("Password (shown once): %s\n", generated);
		rc = 0;
	} else if (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
		if (find_user(&cs, target, &u) != 0)
			goto out;
		struct user_input in = { .disabled = strcmp(action, "disable") == 0 };
		if (user_change(cs.st, &cs.who, u.id, &in, &err) != 0)
			goto fail;
		printf("%s %sd.\n", target, action);
		rc = 0;
	} else if (strcmp(action, "passwd") == 0) {
		if (find_user(&cs, target, &u) != 0)
			goto out;
		if (!password)
			password = generated = password_generate();
		struct user_input in = { .password = password, .disabled = -1 };
		if (user_change(cs.st, &cs.who, u.id, &in, &err) != 0)
			goto fail;
		printf("Password of %s changed.\n", target);
		if (generated)
			printf("New password (shown once): %s\n", generated);
		rc = 0;
	} else { /* token */
		if (find_user(&cs, target, &u) != 0)
			goto out;
		if (cs.who.role != ROLE_ADMIN && cs.who.user_id != u.id) {
			fprintf(stderr, "kouprey: only an administrator may make tokens for others\n");
			goto out;
		}
		struct actor owner;
		actor_from_user(&owner, &u);
		char token[96];
		int64_t id;
		if (api_token_create(cs.st, &owner, label ? label : "command line", token, &id, &err) != 0)
			goto fail;
		printf("%s\n", token);
		rc = 0;
	}
	goto out;
fail:
	cli_fail(&err);
out:
	error_clear(&err);
	free(generated);
	cli_close(&cs);
	return rc;
}

static void agency_usage(FILE *out)
{
	fprintf(out, "usage: kouprey agency add NAME --country CC --kind KIND [--db PATH] [--as ADMIN]\n"
		     "       kouprey agency list [--db PATH]\n\n"
		     "KIND is one of the agency kinds (customs, police, forestry, …).\n");
}

int cmd_agency(int argc, char **argv)
{
	const char *db = cli_default_db(), *as = NULL, *country = NULL, *kind = NULL;
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "as", required_argument, 0, 'A' },
		{ "country", required_argument, 0, 'c' }, { "kind", required_argument, 0, 'k' },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'A': as = optarg; break;
		case 'c': country = optarg; break;
		case 'k': kind = optarg; break;
		case 'h': agency_usage(stdout); return 0;
		default: agency_usage(stderr); return 2;
		}
	}
	if (optind >= argc || (strcmp(argv[optind], "list") != 0 &&
			       (strcmp(argv[optind], "add") != 0 || optind + 1 >= argc))) {
		agency_usage(stderr);
		return 2;
	}
	struct cli_session cs;
	if (cli_open(&cs, db, as) != 0)
		return 1;
	struct error err = ERROR_INIT;
	int rc = 0;
	if (strcmp(argv[optind], "list") == 0) {
		struct agency_rec *all;
		size_t n;
		if (store_agency_list(cs.st, &all, &n, &cs.arena, &err) != 0) {
			rc = cli_fail(&err);
		} else {
			printf("%-5s %-7s %-18s %s\n", "ID", "COUNTRY", "KIND", "NAME");
			for (size_t i = 0; i < n; i++)
				printf("%-5lld %-7s %-18s %s\n", (long long)all[i].id, all[i].country,
				       all[i].kind, all[i].name);
		}
	} else {
		struct agency_rec ag = { .name = argv[optind + 1], .country = country, .kind = kind };
		if (agency_add(cs.st, cs.ref, &cs.who, &ag, &err) != 0)
			rc = cli_fail(&err);
		else
			printf("Added agency %lld: %s\n", (long long)ag.id, ag.name);
	}
	error_clear(&err);
	cli_close(&cs);
	return rc;
}
