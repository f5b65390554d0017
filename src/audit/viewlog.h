/*
 * viewlog.h - views of records, written to the audit log in batches.
 *
 * Reading a seizure's detail must be recorded, but it must not turn every
 * read into a database write on the request path.  The server queues each
 * view here; a background thread appends the queued views to the audit log
 * (hash chain and all) in one transaction every VIEWLOG_FLUSH_MS, and at
 * stop.  A crash can lose at most the views of that last interval; changes
 * are never batched (they are audited in their own transaction).
 *
 * The interval is long on purpose: every commit makes each other connection
 * drop its whole page cache (SQLite in WAL mode cannot tell which pages
 * changed), so frequent small commits turned every read into disk reads.
 *
 * Past VIEWLOG_WAKE pending views the writer is woken to write them at once
 * (the request goes on); the queue is bounded: past VIEWLOG_MAX pending views
 * (the writer cannot keep up), viewlog_record() flushes on the caller's
 * thread first.
 */
#ifndef KOUPREY_VIEWLOG_H
#define KOUPREY_VIEWLOG_H

#include <stdint.h>

#include "auth/actor.h"
#include "lib/error.h"

enum { VIEWLOG_FLUSH_MS = 2000, VIEWLOG_WAKE = 20000, VIEWLOG_MAX = 200000 };

struct viewlog;

/* Starts the writer with its own connection to the database at path. */
struct viewlog *viewlog_start(const char *path, struct error *err);
/* Writes what is queued, stops the thread, frees everything. */
void viewlog_stop(struct viewlog *v);
/* Queues one view of entity/id by who. */
void viewlog_record(struct viewlog *v, const struct actor *who, const char *entity, int64_t id);
/* Writes what is queued now (tests, shutdown); 0 or -1 with err. */
int viewlog_flush(struct viewlog *v, struct error *err);

#endif
