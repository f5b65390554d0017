/*
 * cli.h - the command line: one function per command (one file each), and
 * what they share.
 *
 * Every command takes (argc, argv) with argv[0] the command name, prints
 * usage on --help, prints errors to stderr, and returns the process exit
 * code (0 success, 1 failure, 2 usage error).
 */
#ifndef KOUPREY_CLI_H
#define KOUPREY_CLI_H

#include "auth/actor.h"
#include "lib/arena.h"
#include "lib/error.h"

struct store;
struct refdata;

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_agency(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_graph(int argc, char **argv);

/* The default database path, ./var/kouprey.db, or $KOUPREY_DB. */
const char *cli_default_db(void);
/* The reference data folder: $KOUPREY_DATA, else the data/ folder of the
 * source tree the program was built from, else ./data. */
const char *cli_data_dir(void);
/* The web interface folder, likewise ($KOUPREY_WEB, built-in, ./web). */
const char *cli_web_dir(void);

/* An open database with its reference data, and the acting user. */
struct cli_session {
	struct store *st;
	struct refdata *ref;
	struct actor who;
	struct arena arena;
};

/*
 * Opens the database at db_path, loads reference data, and resolves the
 * acting user: the user named as_user, or when NULL the first active admin.
 * Prints the error and returns -1 on failure.
 */
int cli_open(struct cli_session *cs, const char *db_path, const char *as_user);
void cli_close(struct cli_session *cs);
/* Prints "kouprey: <message>" and each field error to stderr; returns 1. */
int cli_fail(const struct error *err);
/* 1 when stderr is a terminal (progress is printed then). */
int cli_interactive(void);

#endif
