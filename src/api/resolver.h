/*
 * resolver.h - duplicate detection off the request path.
 *
 * The server owns one resolver (struct app's `resolver`).  A write request
 * that changed parties checks the few parties it touched itself, at once
 * (so an automatic merge an admin turned on happens before the answer);
 * whatever is left behind the watermark — a bulk import by the command line,
 * or parties changed faster than requests check them — is drained by the
 * resolver's own thread, in passes of RESOLVE_PASS_MAX parties, each on a
 * connection of the server's pool.  Nothing a user waits for pays for a
 * backlog.
 */
#ifndef KOUPREY_RESOLVER_H
#define KOUPREY_RESOLVER_H

#include "lib/error.h"

struct app;
struct resolver;

/* Starts the thread; it runs one pass at once (a backlog left by an import
 * while the server was down).  NULL with err when the thread can't start. */
struct resolver *resolver_start(struct app *app, struct error *err);
/* Asks for a pass soon; never blocks on one. */
void resolver_poke(struct resolver *r);
/*
 * The party generation up to which every change has been checked (by the
 * thread or by a request's own pass); -1 before the first complete pass.  A
 * request whose starting generation equals it has no backlog to pay for.
 */
long long resolver_checked_gen(struct resolver *r);
/* Records that the parties changed up to gen have been checked. */
void resolver_mark_checked(struct resolver *r, long long gen);
/* Stops the thread after the pass in progress; frees r.  NULL is a no-op. */
void resolver_stop(struct resolver *r);

#endif
