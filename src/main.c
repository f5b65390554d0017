/* kouprey - wildlife-crime information and intelligence system. */
#include <libxml/parser.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "init", cmd_init, "create a database, load reference data, create the first admin" },
	{ "serve", cmd_serve, "run the HTTP API and web interface" },
	{ "user", cmd_user, "add, list, disable users; change passwords" },
	{ "agency", cmd_agency, "add and list agencies" },
	{ "import", cmd_import, "import seizures from CSV or XLSX" },
	{ "export", cmd_export, "export seizures as CSV, JSON or GeoJSON" },
	{ "report", cmd_report, "the CITES annual illegal trade report (CSV or XLSX)" },
	{ "backup", cmd_backup, "consistent online copy of the database" },
	{ "check", cmd_check, "verify the database and the audit chain" },
	{ "graph", cmd_graph, "link analysis: neighbourhood, paths, networks, key actors" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: kouprey <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n`kouprey <command> --help` describes a command.\n");
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "kouprey: libsodium failed to start\n");
		return 1;
	}
	xmlInitParser(); /* once, before any thread reads XLSX */
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "kouprey: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return 2;
}
