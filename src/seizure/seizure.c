/* Operations on seizures: access rules, one transaction per write, audit. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/viewlog.h"
#include "lib/clock.h"
#include "lib/dynbuf.h"
#include "lib/jsonwrite.h"
#include "seizure/seizure.h"
#include "store/store.h"

int seizure_may_write(const struct actor *who, int64_t agency_id)
{
	if (who->role == ROLE_ADMIN)
		return 1;
	return who->role >= ROLE_OFFICER && who->agency_id == agency_id;
}

static int may_see(const struct actor *who, const struct seizure *s)
{
	return who->role == ROLE_ADMIN || s->agency_id == who->agency_id ||
	       (s->sharing && strcmp(s->sharing, "national") == 0);
}

/* The audit entry's detail: {"content_hash","items","ref","version"} in
 * jansson's compact form with sorted keys, as entries written before were. */
static char *audit_detail(const struct seizure *s)
{
	struct dynbuf b = DYNBUF_INIT(1 << 20);
	dynbuf_adds(&b, "{\"content_hash\":");
	jw_str(&b, s->content_hash ? s->content_hash : "");
	dynbuf_adds(&b, ",\"items\":");
	jw_int(&b, (int64_t)s->nitems);
	dynbuf_adds(&b, ",\"ref\":");
	jw_str(&b, s->ref ? s->ref : "");
	dynbuf_adds(&b, ",\"version\":");
	jw_int(&b, s->version);
	dynbuf_addc(&b, '}');
	return dynbuf_take(&b);
}

int seizure_save_in_tx(struct store *st, const struct actor *who, struct seizure *s,
		       int64_t existing_id, int64_t existing_version, const char *action,
		       int64_t import_id, struct error *err)
{
	char now[32];
	clock_iso(now, sizeof now);
	s->updated_at = now;
	s->updated_by = who->user_id;
	int rc;
	if (existing_id) {
		s->id = existing_id;
		s->version = existing_version + 1;
		rc = store_seizure_replace(st, s, err);
	} else {
		s->version = 1;
		rc = store_seizure_insert(st, s, err);
	}
	if (rc != 0)
		return -1;
	if (import_id)
		return store_import_seizure_add(st, import_id, s->id, s->version, s->content_hash,
						err);
	char *detail = audit_detail(s);
	rc = audit_append(st, who, action, "seizure", s->id, detail, err);
	free(detail);
	return rc;
}

static const char *generate_ref(struct arena *a, const struct seizure *s)
{
	unsigned char r[4];
	randombytes_buf(r, sizeof r);
	char y[5] = "0000";
	if (s->date && strlen(s->date) >= 4)
		memcpy(y, s->date, 4);
	return arena_sprintf(a, "KP-%s-%02X%02X%02X%02X", y, r[0], r[1], r[2], r[3]);
}

int seizure_create(struct store *st, const struct refdata *ref, const struct actor *who,
		   struct seizure *s, struct arena *a, struct error *err)
{
	if (!s->agency_id)
		s->agency_id = who->agency_id;
	if (!seizure_may_write(who, s->agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 who->role < ROLE_OFFICER
					 ? "your role (%s) may not record seizures"
					 : "your role (%s) may record seizures for your own agency only",
				 role_name(who->role));
	if (!s->ref || !*s->ref)
		s->ref = generate_ref(a, s);
	if (seizure_validate(ref, s, a, err) != 0)
		return -1;
	if (store_begin(st, err) != 0)
		return -1;
	if (seizure_save_in_tx(st, who, s, 0, 0, "create", 0, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int seizure_update(struct store *st, const struct refdata *ref, const struct actor *who,
		   int64_t id, struct seizure *s, struct arena *a, struct error *err)
{
	struct seizure old;
	if (store_seizure_get(st, id, &old, a, err) != 0)
		return -1;
	if (!may_see(who, &old))
		return error_set(err, ERR_NOT_FOUND, "seizure %lld not found", (long long)id);
	if (!seizure_may_write(who, old.agency_id) || !seizure_may_write(who, s->agency_id))
		return error_set(err, ERR_FORBIDDEN,
				 "your role (%s) may not change this agency's seizures",
				 role_name(who->role));
	if (s->version != old.version)
		return error_set(err, ERR_CONFLICT,
				 "seizure %lld was changed by someone else (you edited version %lld, "
				 "it is now at version %lld); reload it and apply your change again",
				 (long long)id, (long long)s->version, (long long)old.version);
	if (!s->ref || !*s->ref)
		s->ref = old.ref;
	if (seizure_validate(ref, s, a, err) != 0)
		return -1;
	if (s->content_hash && old.content_hash && strcmp(s->content_hash, old.content_hash) == 0) {
		s->id = id;
		s->version = old.version;
		return 0; /* nothing changed: no new version */
	}
	if (store_begin(st, err) != 0)
		return -1;
	if (seizure_save_in_tx(st, who, s, id, old.version, "update", 0, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int seizure_delete(struct store *st, const struct actor *who, int64_t id, int64_t version,
		   struct error *err)
{
	if (who->role != ROLE_ADMIN)
		return error_set(err, ERR_FORBIDDEN, "only an administrator may delete a seizure");
	struct arena a;
	arena_init(&a);
	struct seizure old;
	int rc = -1;
	if (store_seizure_get(st, id, &old, &a, err) != 0)
		goto out;
	if (store_begin(st, err) != 0)
		goto out;
	char *detail = audit_detail(&old);
	if (store_seizure_delete(st, id, version, err) != 0 ||
	    audit_append(st, who, "delete", "seizure", id, detail, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		free(detail);
		goto out;
	}
	free(detail);
	rc = 0;
out:
	arena_free(&a);
	return rc;
}

int seizure_get(struct store *st, struct viewlog *views, const struct actor *who, int64_t id,
		struct seizure *out, struct arena *a, struct error *err)
{
	if (store_seizure_get(st, id, out, a, err) != 0)
		return -1;
	if (!may_see(who, out))
		return error_set(err, ERR_NOT_FOUND, "seizure %lld not found", (long long)id);
	if (views) {
		viewlog_record(views, who, "seizure", id);
		return 0;
	}
	if (store_begin(st, err) != 0)
		return -1;
	if (audit_append(st, who, "view", "seizure", id, NULL, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int seizure_check_visible(struct store *st, const struct actor *who, int64_t id,
			  struct error *err)
{
	struct arena a;
	arena_init(&a);
	struct seizure s;
	int rc = store_seizure_get(st, id, &s, &a, err);
	if (rc == 0 && !may_see(who, &s))
		rc = error_set(err, ERR_NOT_FOUND, "seizure %lld not found", (long long)id);
	arena_free(&a);
	return rc;
}

int seizure_list(struct store *st, const struct actor *who, const struct seizure_filter *f,
		 struct seizure_list *out, struct arena *a, struct error *err)
{
	if (store_seizure_list(st, who, f, out, a, err) != 0)
		return -1;
	out->next_cursor = out->has_more && out->n ? seizure_cursor_encode(a, &out->items[out->n - 1])
						   : NULL;
	return 0;
}

const char *seizure_cursor_encode(struct arena *a, const struct seizure *last)
{
	return arena_sprintf(a, "%s_%lld", last->date_from, (long long)last->id);
}

int seizure_cursor_decode(const char *cursor, struct seizure_filter *f, struct arena *a)
{
	if (!cursor || strlen(cursor) < 12 || cursor[10] != '_')
		return -1;
	char *end;
	long long id = strtoll(cursor + 11, &end, 10);
	if (*end || id <= 0)
		return -1;
	for (int i = 0; i < 10; i++)
		if (!((cursor[i] >= '0' && cursor[i] <= '9') || cursor[i] == '-'))
			return -1;
	f->after_date = arena_strndup(a, cursor, 10);
	f->after_id = id;
	return 0;
}
