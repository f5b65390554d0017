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

struct verify_ctx {
	struct audit_report *rep;
	char prev[80];
};

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
	return 0;
}

int audit_verify(struct store *st, struct audit_report *rep, struct error *err)
{
	memset(rep, 0, sizeof *rep);
	struct verify_ctx v = { .rep = rep, .prev = "" };
	if (store_audit_each(st, NULL, 0, verify_one, &v, err) != 0)
		return -1;
	if (rep->first_bad_id)
		return error_set(err, ERR_DB, "audit log broken: %s", rep->problem);
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
