/* kouprey serve: the HTTP API and web interface. */
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analytics/analytics.h"
#include "index/graph_index.h"
#include "index/party_index.h"
#include "api/app.h"
#include "api/resolver.h"
#include "auth/session_cache.h"
#include "audit/viewlog.h"
#include "index/seizure_index.h"
#include "cli/cli.h"
#include "http/server.h"
#include "ref/refdata.h"
#include "store/pool.h"
#include "store/store.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kouprey serve [--db PATH] [--listen ADDR] [--threads N] [--web DIR]\n"
		"                     [--secure-cookies]\n\n"
		"  --db PATH        database (default %s)\n"
		"  --listen ADDR    HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one)\n"
		"  --threads N      worker threads (default: the number of cores)\n"
		"  --web DIR        the web interface's files (default %s)\n"
		"  --secure-cookies mark cookies Secure (when served behind HTTPS)\n",
		cli_default_db(), cli_web_dir());
}

int cmd_serve(int argc, char **argv)
{
	const char *db = cli_default_db(), *listen = "127.0.0.1:8080", *web = cli_web_dir();
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	int secure = 0;
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' }, { "listen", required_argument, 0, 'l' },
		{ "threads", required_argument, 0, 't' }, { "web", required_argument, 0, 'w' },
		{ "secure-cookies", no_argument, 0, 's' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l': listen = optarg; break;
		case 't': threads = strtol(optarg, NULL, 10); break;
		case 'w': web = optarg; break;
		case 's': secure = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || threads < 1 || threads > 256) {
		usage(stderr);
		return 2;
	}
	struct error err = ERROR_INIT;
	struct app app = { .web_dir = web, .secure_cookies = secure };
	throttle_init(&app.throttle);
	app.auth = auth_cache_new(0);
	pthread_mutex_init(&app.retired_lock, NULL);
	struct http_server *srv = NULL;
	int rc = 1;
	struct store *st = store_open(db, STORE_OPEN_EXISTING, &err);
	if (!st || store_migrate(st, &err) != 0)
		goto out;
	struct refdata *ref = refdata_load(st, &err);
	store_close(st);
	st = NULL;
	if (!ref)
		goto out;
	atomic_store(&app.ref, ref);
	app.pool = store_pool_open(db, (unsigned)threads + 2, &err);
	if (!app.pool)
		goto out;
	app.views = viewlog_start(db, &err);
	if (!app.views)
		goto out;
	struct store *ist = store_pool_acquire(app.pool);
	if (store_read_begin(ist, &err) == 0) {
		app.index = seizure_index_build(ist, &err);
		if (app.index)
			app.analytics = analytics_build(ist, ref, &err);
		if (app.analytics)
			app.parties = party_index_build(ist, &err);
		if (app.parties)
			app.graph = graph_index_build(ist, &err);
		store_read_end(ist);
	}
	store_pool_release(app.pool, ist);
	if (!app.index || !app.analytics || !app.parties || !app.graph)
		goto out;
	struct analytics_memory mem;
	analytics_memory(app.analytics, &mem);
	fprintf(stderr, "kouprey: analytics columns: %zu seizures, %zu items, %.1f MB, built in %.0f ms\n",
		mem.seizures, mem.items, (double)mem.bytes / 1048576.0, mem.build_ms);
	struct party_index_stats pst;
	party_index_stats(app.parties, &pst);
	fprintf(stderr, "kouprey: search index: %zu parties, %zu names, %zu identifiers, %.1f MB\n",
		pst.parties, pst.names, pst.identifiers, (double)pst.bytes / 1048576.0);
	struct graph_index_stats gst;
	graph_index_stats(app.graph, &gst);
	fprintf(stderr, "kouprey: link graph: %zu nodes, %zu edges, %.1f MB, built in %.0f ms\n",
		gst.nodes, gst.edges, (double)gst.bytes / 1048576.0, gst.build_ms);
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* The serving process keeps the heap it freed for the next requests
	 * instead of giving it back to the kernel and faulting it in again:
	 * SQLite frees a connection's whole page cache whenever another
	 * connection commits (the view writer does, several times a second). */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	/* started with the signals blocked, so that they reach the main thread */
	app.resolver = resolver_start(&app, &err);
	if (!app.resolver)
		goto out;
	struct http_config cfg = {
		.listen = listen, .threads = (unsigned)threads, .max_body = 1 << 20,
		.max_upload = 256u << 20, .upload_prefix = "/api/v1/imports",
		.handler = app_handle, .ctx = &app,
	};
	srv = http_start(&cfg, &err);
	if (!srv)
		goto out;
	char host[256];
	snprintf(host, sizeof host, "%s", listen);
	char *colon = strrchr(host, ':');
	if (colon)
		*colon = '\0';
	printf("kouprey is serving %s at http://%s:%u/ (Ctrl-C stops it)\n", db,
	       *host && strcmp(host, "0.0.0.0") != 0 ? host : "localhost", http_port(srv));
	fflush(stdout);
	/* until a signal: once a second, reads kept by idle connections are
	 * ended, so an idle server holds back no checkpoint of the WAL */
	const struct timespec second = { 1, 0 };
	while (sigtimedwait(&sigs, NULL, &second) < 0)
		store_pool_end_stale_reads(app.pool);
	printf("kouprey: stopping\n");
	rc = 0;
out:
	if (rc)
		cli_fail(&err);
	error_clear(&err);
	http_stop(srv);
	resolver_stop(app.resolver);
	viewlog_stop(app.views);
	seizure_index_free(app.index);
	analytics_free(app.analytics);
	party_index_free(app.parties);
	graph_index_free(app.graph);
	store_pool_close(app.pool);
	store_close(st);
	refdata_free(atomic_load(&app.ref));
	app_free_retired(&app);
	pthread_mutex_destroy(&app.retired_lock);
	throttle_destroy(&app.throttle);
	auth_cache_free(app.auth);
	return rc;
}
