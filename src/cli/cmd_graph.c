/* kouprey graph: link analysis on the command line (the API's queries). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "index/graph_index.h"
#include "lib/query.h"
#include "store/store.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kouprey graph neighbourhood NODE [--depth 1..3] [--limit N] [filters]\n"
		"       kouprey graph paths FROM TO [--k N] [--max-length N] [--node-kinds K] [--edge-kinds K]\n"
		"       kouprey graph networks [--min-size N] [--limit N] [filters]\n"
		"       kouprey graph central NODE [--measure degree|betweenness] [--limit N]\n"
		"  common: [--db PATH] [--as USER] [--json]\n\n"
		"  NODE             KIND:ID, e.g. party:7, seizure:12, identifier:3\n"
		"  filters          --node-kinds seizure,party,identifier\n"
		"                   --edge-kinds holds,involved_in,related,seen_in,shares_identifier\n"
		"                   --from DATE --to DATE (YYYY, YYYY-MM, YYYY-MM-DD: links dated within)\n"
		"  --db PATH        database (default %s)\n"
		"  --as USER        act as this user, seeing what they may see (default: the first admin)\n"
		"  --json           print the API's JSON answer instead of text\n",
		cli_default_db());
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void print_node(json_t *n)
{
	const char *type = str(n, "type");
	printf("  %-18s %-12s %s", str(n, "id"), *type ? type : str(n, "kind"), str(n, "label"));
	if (*str(n, "date"))
		printf("  %s", str(n, "date"));
	printf("\n");
}

static void print_record(json_t *e)
{
	json_t *r = json_object_get(e, "record");
	if (strcmp(str(r, "kind"), "seizure") == 0)
		printf("[seizure %s]", str(r, "ref"));
	else
		printf("[%s %lld]", str(r, "table"), (long long)json_integer_value(json_object_get(r, "id")));
}

static void print_edge(json_t *e)
{
	printf("  %s -%s", str(e, "source"), str(e, "kind"));
	if (*str(e, "role"))
		printf(" (%s)", str(e, "role"));
	printf("-> %s  %s ", str(e, "target"), *str(e, "date") ? str(e, "date") : "undated");
	print_record(e);
	printf("\n");
}

static void print_text(enum graph_index_query q, json_t *j)
{
	switch (q) {
	case GRAPH_Q_NEIGHBOURHOOD: {
		json_t *nodes = json_object_get(j, "nodes"), *edges = json_object_get(j, "edges");
		printf("%zu nodes, %zu links within %lld steps of %s\n", json_array_size(nodes),
		       json_array_size(edges), (long long)json_integer_value(json_object_get(j, "depth")),
		       str(j, "node"));
		for (size_t i = 0; i < json_array_size(nodes); i++)
			print_node(json_array_get(nodes, i));
		printf("links:\n");
		for (size_t i = 0; i < json_array_size(edges); i++)
			print_edge(json_array_get(edges, i));
		json_t *t = json_object_get(j, "truncated");
		if (json_is_object(t))
			printf("cut: at least %lld more nodes at depth %lld, %lld links not followed, %lld "
			       "links left out\n",
			       (long long)json_integer_value(json_object_get(t, "nodes_cut")),
			       (long long)json_integer_value(json_object_get(t, "depth")),
			       (long long)json_integer_value(json_object_get(t, "links_unexplored")),
			       (long long)json_integer_value(json_object_get(t, "edges_cut")));
		break;
	}
	case GRAPH_Q_PATHS: {
		json_t *paths = json_object_get(j, "paths");
		if (!json_array_size(paths))
			printf("no path from %s to %s within %lld steps\n", str(j, "from"), str(j, "to"),
			       (long long)json_integer_value(json_object_get(j, "max_length")));
		for (size_t i = 0; i < json_array_size(paths); i++) {
			json_t *p = json_array_get(paths, i), *nodes = json_object_get(p, "nodes");
			json_t *steps = json_object_get(p, "steps");
			printf("path %zu (%lld steps):\n", i + 1,
			       (long long)json_integer_value(json_object_get(p, "length")));
			for (size_t s = 0; s < json_array_size(nodes); s++) {
				print_node(json_array_get(nodes, s));
				if (s < json_array_size(steps)) {
					json_t *e = json_object_get(json_array_get(steps, s), "edge");
					printf("      | %s", str(e, "kind"));
					if (*str(e, "role"))
						printf(" (%s)", str(e, "role"));
					printf(" %s ", *str(e, "date") ? str(e, "date") : "undated");
					print_record(e);
					printf("\n");
				}
			}
		}
		break;
	}
	case GRAPH_Q_NETWORKS: {
		json_t *nets = json_object_get(j, "networks");
		printf("%lld networks\n", (long long)json_integer_value(json_object_get(j, "total")));
		for (size_t i = 0; i < json_array_size(nets); i++) {
			json_t *n = json_array_get(nets, i), *k = json_object_get(n, "kinds");
			printf("#%zu  %lld nodes (%lld seizures, %lld parties, %lld identifiers), %lld links",
			       i + 1, (long long)json_integer_value(json_object_get(n, "size")),
			       (long long)json_integer_value(json_object_get(k, "seizure")),
			       (long long)json_integer_value(json_object_get(k, "party")),
			       (long long)json_integer_value(json_object_get(k, "identifier")),
			       (long long)json_integer_value(json_object_get(n, "edges")));
			if (*str(n, "first_date"))
				printf(", %s to %s", str(n, "first_date"), str(n, "last_date"));
			printf("; open from %s\n", str(n, "node"));
			static const char *const lists[2][2] = { { "species", "name" }, { "countries", "code" } };
			for (int l = 0; l < 2; l++) {
				json_t *arr = json_object_get(n, lists[l][0]);
				if (!json_array_size(arr))
					continue;
				printf("     %s:", lists[l][0]);
				for (size_t x = 0; x < json_array_size(arr); x++)
					printf("%s %s (%lld)", x ? "," : "", str(json_array_get(arr, x), lists[l][1]),
					       (long long)json_integer_value(
						       json_object_get(json_array_get(arr, x), "seizures")));
				printf("\n");
			}
		}
		break;
	}
	case GRAPH_Q_CENTRAL: {
		json_t *items = json_object_get(j, "items");
		printf("key actors of the network of %s (%lld nodes) by %s%s\n", str(j, "node"),
		       (long long)json_integer_value(json_object_get(j, "network_size")),
		       str(j, "measure"), json_is_true(json_object_get(j, "exact")) ? "" : " (approximate)");
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *it = json_array_get(items, i), *n = json_object_get(it, "node");
			printf("%3zu. %-18s %-28s degree %lld", i + 1, str(n, "id"), str(n, "label"),
			       (long long)json_integer_value(json_object_get(it, "degree")));
			if (json_object_get(it, "betweenness"))
				printf("  betweenness %.1f", json_number_value(json_object_get(it, "betweenness")));
			printf("\n");
		}
		if (*str(j, "note"))
			printf("note: %s\n", str(j, "note"));
		break;
	}
	}
}

static int add_param(struct query *q, const char *key, const char *value)
{
	if (q->n == QUERY_MAX_PARAMS)
		return -1;
	q->keys[q->n] = key;
	q->values[q->n++] = value;
	return 0;
}

int cmd_graph(int argc, char **argv)
{
	static const struct {
		const char *option, *param;
	} opts[] = {
		{ "--depth", "depth" },          { "--limit", "limit" },
		{ "--node-kinds", "node_kinds" }, { "--edge-kinds", "edge_kinds" },
		{ "--from", "from" },            { "--to", "to" },
		{ "--k", "k" },                  { "--max-length", "max_length" },
		{ "--min-size", "min_size" },    { "--measure", "measure" },
	};
	const char *db = cli_default_db(), *as = NULL, *what = NULL;
	const char *pos[2] = { NULL, NULL };
	size_t npos = 0;
	int json = 0;
	struct query q;
	memset(&q, 0, sizeof q);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--json") == 0) {
			json = 1;
			continue;
		}
		if (a[0] == '-') {
			int used = 0;
			if (i + 1 < argc) {
				used = 1;
				if (strcmp(a, "--db") == 0)
					db = argv[++i];
				else if (strcmp(a, "--as") == 0)
					as = argv[++i];
				else
					used = 0;
				for (size_t k = 0; !used && k < sizeof opts / sizeof *opts; k++)
					if (strcmp(a, opts[k].option) == 0) {
						if (add_param(&q, opts[k].param, argv[++i]) != 0) {
							fprintf(stderr, "kouprey graph: too many options\n");
							return 2;
						}
						used = 1;
					}
			}
			if (!used) {
				fprintf(stderr, "kouprey graph: unknown option %s (or its value is missing)\n\n", a);
				usage(stderr);
				return 2;
			}
			continue;
		}
		if (!what) {
			what = a;
		} else if (npos < 2) {
			pos[npos++] = a;
		} else {
			fprintf(stderr, "kouprey graph: too many arguments (%s)\n\n", a);
			usage(stderr);
			return 2;
		}
	}
	enum graph_index_query gq;
	size_t want;
	if (!what) {
		usage(stderr);
		return 2;
	} else if (strcmp(what, "neighbourhood") == 0 || strcmp(what, "neighborhood") == 0) {
		gq = GRAPH_Q_NEIGHBOURHOOD, want = 1;
	} else if (strcmp(what, "paths") == 0) {
		gq = GRAPH_Q_PATHS, want = 2;
	} else if (strcmp(what, "networks") == 0) {
		gq = GRAPH_Q_NETWORKS, want = 0;
	} else if (strcmp(what, "central") == 0) {
		gq = GRAPH_Q_CENTRAL, want = 1;
	} else {
		fprintf(stderr, "kouprey graph: \"%s\" is not a query (neighbourhood, paths, networks, "
				"central)\n\n", what);
		usage(stderr);
		return 2;
	}
	if (npos != want) {
		fprintf(stderr, "kouprey graph %s takes %zu node%s\n\n", what, want, want == 1 ? "" : "s");
		usage(stderr);
		return 2;
	}
	if (want == 1)
		add_param(&q, "node", pos[0]);
	if (want == 2) {
		add_param(&q, "from", pos[0]);
		add_param(&q, "to", pos[1]);
	}
	struct cli_session cs;
	if (cli_open(&cs, db, as) != 0)
		return 1;
	struct error err = ERROR_INIT;
	int rc = 1;
	json_t *out = NULL;
	if (store_read_begin(cs.st, &err) != 0) {
		cli_fail(&err);
		goto done;
	}
	struct graph_index *ix = graph_index_build(cs.st, &err);
	if (ix && graph_index_query(ix, cs.st, &cs.who, gq, &q, &out, &err) == 0) {
		if (json) {
			json_dumpf(out, stdout, JSON_INDENT(2));
			printf("\n");
		} else {
			print_text(gq, out);
		}
		rc = 0;
	} else {
		cli_fail(&err);
	}
	json_decref(out);
	graph_index_free(ix);
	store_read_end(cs.st);
done:
	error_clear(&err);
	cli_close(&cs);
	return rc;
}
