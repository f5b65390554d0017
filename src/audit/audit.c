#include "audit/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/numtext.h"
#include "store/store.h"

static void hash_part(crypto_generichash_state *h, const char *s)
{
	if (!s)
		s = "";
	crypto_generichash_update(h, (const unsigned char *)s, strlen(s) + 1);
}

static void entry_hash(const char *prev, const char *at, int64_t user_id, const char *action,
		       const char *entity, int64_t entity_id, const char *detail, char out[65])
{
	crypto_generichash_state h;
	unsigned char digest[32];
	char num[NUM_TEXT_SIZE];
	crypto_generichash_init(&h, NULL, 0, sizeof digest);
#define PART(s) hash_part(&h, (s))
	PART(prev);
	PART(at);
	PART(num_text(num, user_id));
	PART(action);
	PART(entity);
	PART(num_text(num, entity_id));
	PART(detail);
#undef PART
	crypto_generichash_final(&h, digest, sizeof digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

int audit_append(struct store *st, const struct actor *who, const char *action,
		 const char *entity, int64_t entity_id, const char *detail, struct error *err)
{
	char prev[80], at[32], hash[65];
	if (store_audit_last_hash(st, prev, sizeof prev, err) != 0)
		return -1;
	clock_iso(at, sizeof at);
	if (!detail)
		detail = "{}";
	int64_t uid = who ? who->user_id : 0;
	entry_hash(prev, at, uid, action, entity, entity_id, detail, hash);
	struct audit_rec r = {
		.at = at, .user_id = uid, .action = action, .entity = entity,
		.entity_id = entity_id, .detail = detail, .prev_hash = prev, .hash = hash,
	};
	return store_audit_insert(st, &r, err);
}

struct digest_ctx {
	crypto_generichash_state h;
	int64_t count;
};

static int digest_row(void *ctx, int64_t seizure_id, int64_t version, const char *content_hash)
{
	struct digest_ctx *d = ctx;
	char num[NUM_TEXT_SIZE];
	hash_part(&d->h, num_text(num, seizure_id));
	hash_part(&d->h, num_text(num, version));
	hash_part(&d->h, content_hash);
	d->count++;
	return 0;
}

int audit_import_digest(struct store *st, int64_t import_id, char out[65], int64_t *count,
			struct error *err)
{
	struct digest_ctx d = { .count = 0 };
	unsigned char digest[32];
	crypto_generichash_init(&d.h, NULL, 0, sizeof digest);
	if (store_import_seizure_each(st, import_id, digest_row, &d, err) != 0)
		return -1;
	crypto_generichash_final(&d.h, digest, sizeof digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
	*count = d.count;
	return 0;
}

struct verify_ctx {
	struct store *st;
	struct audit_report *rep;
	char prev[80];
	int failed;               /* reading an import's list failed: err says why */
	struct error *err;
};

/* An import's entry: its list of seizures must still give its digest. */
static int verify_import(struct verify_ctx *v, const struct audit_rec *r)
{
	json_t *detail = r->detail ? json_loads(r->detail, 0, NULL) : NULL;
	const char *want = json_string_value(json_object_get(detail, "digest"));
	char have[65];
	int64_t n;
	int rc = 0;
	if (audit_import_digest(v->st, r->entity_id, have, &n, v->err) != 0) {
		v->failed = 1;
		rc = 1;
	} else if (!want || strcmp(want, have) != 0) {
		v->rep->first_bad_id = r->id;
		snprintf(v->rep->problem, sizeof v->rep->problem,
			 "the list of seizures of import %lld (entry %lld) was changed after it "
			 "was written",
			 (long long)r->entity_id, (long long)r->id);
		rc = 1;
	}
	json_decref(detail);
	return rc;
}

static int verify_one(void *ctx, const struct audit_rec *r)
{
	struct verify_ctx *v = ctx;
	char want[65];
	v->rep->entries++;
	if (strcmp(r->prev_hash ? r->prev_hash : "", v->prev) != 0) {
		v->rep->first_bad_id = r->id;
		snprintf(v->rep->problem, sizeof v->rep->problem,
			 "entry %lld does not follow the one before it (an entry before it was "
			 "deleted or changed)",
			 (long long)r->id);
		return 1;
	}
	entry_hash(r->prev_hash, r->at, r->user_id, r->action, r->entity, r->entity_id, r->detail,
		   want);
	if (strcmp(want, r->hash ? r->hash : "") != 0) {
		v->rep->first_bad_id = r->id;
		snprintf(v->rep->problem, sizeof v->rep->problem,
			 "entry %lld was changed after it was written", (long long)r->id);
		return 1;
	}
	snprintf(v->prev, sizeof v->prev, "%s", r->hash);
	if (r->action && r->entity && strcmp(r->action, "import") == 0 &&
	    strcmp(r->entity, "import") == 0)
		return verify_import(v, r);
	return 0;
}

int audit_verify(struct store *st, struct audit_report *rep, struct error *err)
{
	memset(rep, 0, sizeof *rep);
	struct verify_ctx v = { .st = st, .rep = rep, .prev = "", .err = err };
	if (store_audit_each(st, NULL, 0, verify_one, &v, err) != 0 || v.failed)
		return -1;
	if (rep->first_bad_id)
		return error_set(err, ERR_DB, "audit log broken: %s", rep->problem);
	int64_t orphan;
	if (store_import_seizure_orphan(st, &orphan, err) != 0)
		return -1;
	if (orphan) {
		rep->first_bad_id = -1;
		snprintf(rep->problem, sizeof rep->problem,
			 "seizures are listed for import %lld, which has no audit entry",
			 (long long)orphan);
		return error_set(err, ERR_DB, "audit log broken: %s", rep->problem);
	}
	char *head = NULL;
	struct error e = ERROR_INIT;
	if (store_setting_get(st, "audit_head", &head, &e) != 0) {
		error_clear(&e);
		if (rep->entries == 0)
			return 0;
		snprintf(rep->problem, sizeof rep->problem, "the record of the newest entry is missing");
		return error_set(err, ERR_DB, "audit log broken: %s", rep->problem);
	}
	int ok = strcmp(head, v.prev) == 0;
	free(head);
	if (!ok) {
		snprintf(rep->problem, sizeof rep->problem,
			 "the newest entries were removed (the log ends before its recorded head)");
		rep->first_bad_id = -1;
		return error_set(err, ERR_DB, "audit log broken: %s", rep->problem);
	}
	return 0;
}

int audit_append_json(struct store *st, const struct actor *who, const char *action,
		      const char *entity, int64_t entity_id, json_t *detail, struct error *err)
{
	char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(detail);
	int rc = audit_append(st, who, action, entity, entity_id, text, err);
	free(text);
	return rc;
}
