/*
 * fixture.h - a throw-away kouprey database for unit tests.
 *
 * The first fixture_open() in a test program builds a template database in
 * a temporary folder: schema, the reference data of the source tree's data/
 * folder (KOUPREY_SOURCE_DIR, defined by the Makefile), two agencies and
 * five users.  Every fixture_open() then copies the template to a fresh file
 * and opens it, so tests are independent and fast.  The reference data
 * (struct refdata) is loaded once and shared (it is read-only).
 *
 *   agency 1 "Customs Department"      (customs, KH)
 *   agency 2 "Forestry Administration" (forestry, KH)
 *   users: admin (admin, 1), analyst (analyst, 1), officer (officer, 1),
 *          viewer (viewer, 1), forester (officer, 2)
 *
 * Users have a dummy password hash: they cannot sign in.  Everything here is
 * static inline so that any test file may include it.
 */
#ifndef KOUPREY_TEST_FIXTURE_H
#define KOUPREY_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/actor.h"
#include "lib/error.h"
#include "lib/xalloc.h"
#include "ref/load.h"
#include "ref/refdata.h"
#include "store/store.h"

#ifndef KOUPREY_SOURCE_DIR
#define KOUPREY_SOURCE_DIR "."
#endif

struct fixture {
	char *path;               /* the database file (in the fixture folder) */
	struct store *st;
	const struct refdata *ref;
	struct actor admin, analyst, officer, viewer, forester;
	int64_t customs_id, forestry_id;
};

struct fixture_global {
	char *dir;
	char *template_path;
	struct refdata *ref;
	int counter;
	int64_t user_ids[5];
};

static inline struct fixture_global *fixture_global(void)
{
	static struct fixture_global g;
	return &g;
}

static inline void fixture_die(const char *what, struct error *err)
{
	fprintf(stderr, "fixture: %s: %s\n", what, err && err->message ? err->message : "failed");
	if (err)
		for (size_t i = 0; i < err->nfields; i++)
			fprintf(stderr, "  %s: %s\n", err->fields[i].field, err->fields[i].message);
	abort();
}

/* A fresh folder under $TMPDIR (or /tmp); the caller frees the path. */
static inline char *fixture_tempdir(void)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char *dir = xasprintf("%s/kouprey-unit-XXXXXX", tmp);
	if (!mkdtemp(dir))
		fixture_die("mkdtemp", NULL);
	return dir;
}

static inline void fixture_copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	if (!in || !out)
		fixture_die("copying the template database", NULL);
	char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			fixture_die("copying the template database", NULL);
	fclose(in);
	if (fclose(out) != 0)
		fixture_die("copying the template database", NULL);
}

static inline void fixture_build_template(struct fixture_global *g)
{
	struct error err = ERROR_INIT;
	g->dir = fixture_tempdir();
	g->template_path = xasprintf("%s/template.db", g->dir);
	struct store *st = store_open(g->template_path, STORE_CREATE, &err);
	if (!st || store_migrate(st, &err) != 0)
		fixture_die("creating the database", &err);
	if (ref_load_dir(st, KOUPREY_SOURCE_DIR "/data", &err) != 0)
		fixture_die("loading reference data", &err);
	struct agency_rec customs = { .name = "Customs Department", .country = "KH",
				      .kind = "customs" };
	struct agency_rec forestry = { .name = "Forestry Administration", .country = "KH",
				       .kind = "forestry" };
	if (store_agency_insert(st, &customs, &err) != 0 ||
	    store_agency_insert(st, &forestry, &err) != 0)
		fixture_die("adding agencies", &err);
	static const struct {
		const char *name;
		enum role role;
		int agency;
	} users[5] = {
		{ "admin", ROLE_ADMIN, 1 }, { "analyst", ROLE_ANALYST, 1 },
		{ "officer", ROLE_OFFICER, 1 }, { "viewer", ROLE_VIEWER, 1 },
		{ "forester", ROLE_OFFICER, 2 },
	};
	for (int i = 0; i < 5; i++) {
		struct user_rec u = { .username = users[i].name, .display_name = users[i].name,
				      .password_hash = "-", .lang = "en", .role = users[i].role,
				      .agency_id = users[i].agency == 1 ? customs.id : forestry.id };
		if (store_user_insert(st, &u, &err) != 0)
			fixture_die("adding users", &err);
		g->user_ids[i] = u.id;
	}
	g->ref = refdata_load(st, &err);
	if (!g->ref)
		fixture_die("loading refdata", &err);
	store_close(st);
}

/* Opens a fresh copy of the template; aborts the test program on failure. */
static inline void fixture_open(struct fixture *fx)
{
	struct fixture_global *g = fixture_global();
	if (!g->template_path)
		fixture_build_template(g);
	memset(fx, 0, sizeof *fx);
	fx->path = xasprintf("%s/db-%d.db", g->dir, ++g->counter);
	fixture_copy_file(g->template_path, fx->path);
	struct error err = ERROR_INIT;
	fx->st = store_open(fx->path, STORE_OPEN_EXISTING, &err);
	if (!fx->st)
		fixture_die("opening the database", &err);
	fx->ref = g->ref;
	fx->customs_id = 1;
	fx->forestry_id = 2;
	struct actor *who[5] = { &fx->admin, &fx->analyst, &fx->officer, &fx->viewer,
				 &fx->forester };
	static const char *const names[5] = { "admin", "analyst", "officer", "viewer",
					      "forester" };
	static const enum role roles[5] = { ROLE_ADMIN, ROLE_ANALYST, ROLE_OFFICER, ROLE_VIEWER,
					    ROLE_OFFICER };
	for (int i = 0; i < 5; i++) {
		who[i]->user_id = g->user_ids[i];
		who[i]->agency_id = i == 4 ? fx->forestry_id : fx->customs_id;
		who[i]->role = roles[i];
		who[i]->username = names[i];
	}
}

/* Closes and deletes the copy (and its WAL files). */
static inline void fixture_close(struct fixture *fx)
{
	store_close(fx->st);
	fx->st = NULL;
	char *wal = xasprintf("%s-wal", fx->path), *shm = xasprintf("%s-shm", fx->path);
	unlink(fx->path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	free(fx->path);
	fx->path = NULL;
}

/* Removes the template and its folder; call at the end of main(). */
static inline void fixture_cleanup(void)
{
	struct fixture_global *g = fixture_global();
	if (!g->template_path)
		return;
	refdata_free(g->ref);
	char *wal = xasprintf("%s-wal", g->template_path),
	     *shm = xasprintf("%s-shm", g->template_path);
	unlink(g->template_path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	rmdir(g->dir);
	free(g->template_path);
	free(g->dir);
	g->template_path = NULL;
	g->dir = NULL;
	g->ref = NULL;
}

#endif
