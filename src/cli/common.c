#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/account.h"
#include "cli/cli.h"
#include "ref/refdata.h"
#include "store/store.h"

#ifndef KOUPREY_SOURCE_DIR
#define KOUPREY_SOURCE_DIR "."
#endif

const char *cli_default_db(void)
{
	const char *e = getenv("KOUPREY_DB");
	return e && *e ? e : "var/kouprey.db";
}

/* env's value if set, else the folder in the source tree the binary was built
 * from (a compile-time constant), else the relative name. */
static const char *find_dir(const char *env, const char *built, const char *name)
{
	const char *e = getenv(env);
	if (e && *e)
		return e;
	return access(built, R_OK) == 0 ? built : name;
}

const char *cli_data_dir(void)
{
	return find_dir("KOUPREY_DATA", KOUPREY_SOURCE_DIR "/data", "data");
}

const char *cli_web_dir(void)
{
	return find_dir("KOUPREY_WEB", KOUPREY_SOURCE_DIR "/web", "web");
}

int cli_fail(const struct error *err)
{
	fprintf(stderr, "kouprey: %s\n", err->message ? err->message : error_code_name(err->code));
	for (size_t i = 0; i < err->nfields; i++)
		fprintf(stderr, "  %s: %s\n", err->fields[i].field, err->fields[i].message);
	return 1;
}

int cli_interactive(void)
{
	return isatty(STDERR_FILENO);
}

int cli_open(struct cli_session *cs, const char *db_path, const char *as_user)
{
	struct error err = ERROR_INIT;
	memset(cs, 0, sizeof *cs);
	arena_init(&cs->arena);
	cs->st = store_open(db_path, STORE_OPEN_EXISTING, &err);
	if (!cs->st || store_migrate(cs->st, &err) != 0)
		goto fail;
	cs->ref = refdata_load(cs->st, &err);
	if (!cs->ref)
		goto fail;
	struct user_rec u;
	if (as_user) {
		if (store_user_by_name(cs->st, as_user, &u, &cs->arena, &err) != 0)
			goto fail;
	} else {
		struct user_rec *all;
		size_t n;
		if (store_user_list(cs->st, &all, &n, &cs->arena, &err) != 0)
			goto fail;
		size_t i;
		for (i = 0; i < n; i++)
			if (all[i].role == ROLE_ADMIN && !all[i].disabled)
				break;
		if (i == n) {
			error_set(&err, ERR_NOT_FOUND, "no active administrator; name a user with --as");
			goto fail;
		}
		u = all[i];
	}
	if (u.disabled) {
		error_set(&err, ERR_FORBIDDEN, "user %s is disabled", u.username);
		goto fail;
	}
	actor_from_user(&cs->who, &u);
	return 0;
fail:
	cli_fail(&err);
	error_clear(&err);
	cli_close(cs);
	return -1;
}

void cli_close(struct cli_session *cs)
{
	refdata_free(cs->ref);
	store_close(cs->st);
	cs->ref = NULL;
	cs->st = NULL;
	arena_free(&cs->arena);
}
