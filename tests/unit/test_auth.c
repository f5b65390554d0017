/*
 * test_auth.c - passwords and tokens (auth/password.h) and accounts,
 * sign-in, sessions and API tokens (auth/account.h) on the fixture store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"
#include "auth/account.h"
#include "auth/password.h"
#include "lib/clock.h"

static struct fixture fx;
static struct arena ar;

static const char *const GOOD_PW = "correct horse battery";

static int test_setup(void **state)
{
	fixture_open(&fx);
	arena_init(&ar);
	return 0;
}

static int test_teardown(void **state)
{
	arena_free(&ar);
	fixture_close(&fx);
	return 0;
}

static int is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

/* Adds user name (officer of customs unless said) as admin; returns its id. */
static int64_t add_user(const char *name, const char *role, int64_t agency)
{
	struct user_input in = { .username = name, .password = GOOD_PW, .role = role,
				 .agency_id = agency, .disabled = -1 };
	struct error err = ERROR_INIT;
	int64_t id = 0;
	if (user_add(fx.st, &fx.admin, &in, &id, &err) != 0) {
		char *m = error_format(&err);
		fail_msg("user_add %s: %s", name, m);
	}
	assert_true(id > 0);
	return id;
}

static struct user_rec get_user(int64_t id)
{
	struct user_rec u;
	struct error err = ERROR_INIT;
	assert_int_equal(store_user_by_id(fx.st, id, &u, &ar, &err), 0);
	return u;
}

/* Counts audit entries of entity/id with action (any action when NULL). */
struct audit_count {
	const char *action;
	int n;
};

static int count_one(void *ctx, const struct audit_rec *r)
{
	struct audit_count *c = ctx;
	if (!c->action || strcmp(r->action, c->action) == 0)
		c->n++;
	return 0;
}

static int audit_count(const char *entity, int64_t id, const char *action)
{
	struct audit_count c = { action, 0 };
	struct error err = ERROR_INIT;
	assert_int_equal(store_audit_each(fx.st, entity, id, count_one, &c, &err), 0);
	return c.n;
}

/* ---- passwords and tokens --------------------------------------------------- */

static void test_password_policy(void **state)
{
	struct error err = ERROR_INIT;
	assert_int_equal(password_check_policy("0123456789", "password", &err), 0);
	char long_pw[PASSWORD_MAX_LENGTH + 2];
	memset(long_pw, 'x', sizeof long_pw);
	long_pw[PASSWORD_MAX_LENGTH] = '\0';
	assert_int_equal(password_check_policy(long_pw, "password", &err), 0);
	assert_false(error_is_set(&err));

	long_pw[PASSWORD_MAX_LENGTH] = 'x';
	long_pw[PASSWORD_MAX_LENGTH + 1] = '\0';
	assert_int_equal(password_check_policy(long_pw, "new_password", &err), -1);
	assert_string_equal(err.fields[0].field, "new_password");
	assert_string_equal(err.fields[0].message, "must be at most 256 characters long");
	error_clear(&err);
	static const char *const shortpw[] = { "123456789", "", NULL };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(password_check_policy(shortpw[i], "password", &err), -1);
		assert_int_equal(err.code, ERR_VALIDATION);
		assert_string_equal(err.fields[0].field, "password");
		assert_string_equal(err.fields[0].message, "must be at least 10 characters long");
		error_clear(&err);
	}
}

static void test_password_hash_verify(void **state)
{
	char *h = password_hash(GOOD_PW);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_int_equal(password_verify(h, GOOD_PW), 1);
	assert_int_equal(password_verify(h, "correct horse batterY"), 0);
	assert_int_equal(password_verify(h, ""), 0);
	assert_int_equal(password_verify(h, NULL), 0);
	assert_int_equal(password_verify(NULL, GOOD_PW), 0);
	assert_int_equal(password_verify("-", GOOD_PW), 0); /* the fixture's dummy hash */
	/* a fresh salt every time */
	char *h2 = password_hash(GOOD_PW);
	assert_string_not_equal(h, h2);
	assert_int_equal(password_verify(h2, GOOD_PW), 1);
	free(h);
	free(h2);
	/* non-ASCII passwords */
	h = password_hash("ពាក្យសម្ងាត់ 123");
	assert_int_equal(password_verify(h, "ពាក្យសម្ងាត់ 123"), 1);
	assert_int_equal(password_verify(h, "ពាក្យសម្ងាត់ 124"), 0);
	free(h);
}

static void test_password_generate(void **state)
{
	char *a = password_generate(), *b = password_generate();
	assert_int_equal(strlen(a), 16);
	for (const char *p = a; *p; p++)
		assert_non_null(strchr("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", *p));
	assert_string_not_equal(a, b);
	struct error err = ERROR_INIT;
	assert_int_equal(password_check_policy(a, "password", &err), 0);
	free(a);
	free(b);
}

static void test_token_generate(void **state)
{
	char t[80];
	token_generate("kp_", t, sizeof t);
	assert_int_equal(strncmp(t, "kp_", 3), 0);
	assert_true(is_hex(t + 3, 64));
	token_generate(NULL, t, sizeof t);
	assert_true(is_hex(t, 64));
	token_generate("", t, sizeof t);
	assert_true(is_hex(t, 64));
	/* 200 tokens, all different */
	enum { N = 200 };
	char (*all)[80] = xcalloc(N, sizeof *all);
	for (int i = 0; i < N; i++) {
		token_generate("kp_", all[i], sizeof all[i]);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(all[i], all[k]);
	}
	free(all);
	/* a short buffer is truncated and terminated */
	char small[10];
	token_generate("kp_", small, sizeof small);
	assert_int_equal(strlen(small), 9);
	assert_int_equal(strncmp(small, "kp_", 3), 0);
}

static void test_token_hash(void **state)
{
	char h[65], h2[65];
	token_hash("abc", h);
	/* BLAKE2b with a 32-byte digest (RFC 7693), hex */
	assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	token_hash("", h);
	assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	token_hash("kp_0123", h);
	token_hash("kp_0123", h2);
	assert_string_equal(h, h2);
	token_hash("kp_0124", h2);
	assert_string_not_equal(h, h2);
	assert_true(is_hex(h2, 64));
}

/* ---- user_add ------------------------------------------------------------------ */

static void test_user_add(void **state)
{
	int64_t id = add_user("alice.k-2_x", "analyst", fx.forestry_id);
	struct user_rec u = get_user(id);
	assert_string_equal(u.username, "alice.k-2_x");
	assert_string_equal(u.display_name, "alice.k-2_x"); /* defaults to the username */
	assert_string_equal(u.lang, "en");
	assert_int_equal(u.role, ROLE_ANALYST);
	assert_int_equal(u.agency_id, fx.forestry_id);
	assert_int_equal(u.disabled, 0);
	assert_int_equal(password_verify(u.password_hash, GOOD_PW), 1);
	assert_int_equal(audit_count("user", id, "create"), 1);

	/* display name and language given; the system (NULL actor) may add users */
	struct user_input in = { .username = "sokha", .display_name = "Sok Kha",
				 .password = GOOD_PW, .role = "officer", .lang = "km",
				 .agency_id = fx.customs_id, .disabled = -1 };
	struct error err = ERROR_INIT;
	int64_t id2 = 0;
	assert_int_equal(user_add(fx.st, NULL, &in, &id2, &err), 0);
	u = get_user(id2);
	assert_string_equal(u.display_name, "Sok Kha");
	assert_string_equal(u.lang, "km");
	assert_int_equal(u.role, ROLE_OFFICER);
}

static void test_user_add_admin_only(void **state)
{
	struct user_input in = { .username = "mallory", .password = GOOD_PW, .role = "admin",
				 .agency_id = fx.customs_id, .disabled = -1 };
	const struct actor *who[] = { &fx.analyst, &fx.officer, &fx.viewer, &fx.forester };
	int64_t n0, n1;
	struct error err = ERROR_INIT;
	assert_int_equal(store_user_count(fx.st, &n0, &err), 0);
	for (size_t i = 0; i < 4; i++) {
		int64_t id = 0;
		assert_int_equal(user_add(fx.st, who[i], &in, &id, &err), -1);
		assert_int_equal(err.code, ERR_FORBIDDEN);
		assert_int_equal(id, 0);
		error_clear(&err);
	}
	assert_int_equal(store_user_count(fx.st, &n1, &err), 0);
	assert_int_equal(n1, n0);
}

/* user_add expecting one field error on field. */
static void user_add_bad(const struct user_input *in, const char *field)
{
	struct error err = ERROR_INIT;
	int64_t id = 0, n0, n1;
	assert_int_equal(store_user_count(fx.st, &n0, &err), 0);
	if (user_add(fx.st, &fx.admin, in, &id, &err) != -1)
		fail_msg("user %s was added", in->username ? in->username : "(null)");
	assert_int_equal(err.code, ERR_VALIDATION);
	if (err.nfields != 1 || strcmp(err.fields[0].field, field) != 0) {
		char *m = error_format(&err);
		fail_msg("want one error on %s, got %s", field, m);
	}
	error_clear(&err);
	assert_int_equal(store_user_count(fx.st, &n1, &err), 0);
	assert_int_equal(n1, n0);
}

static void test_user_add_rules(void **state)
{
	struct user_input in = { .password = GOOD_PW, .role = "officer",
				 .agency_id = fx.customs_id, .disabled = -1 };
	char long_name[66];
	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	static const char *bad_names[] = { "a", "", "has space", "ünï", "semi;colon", "a/b", NULL };
	for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
		in.username = bad_names[i];
		user_add_bad(&in, "username");
	}
	in.username = long_name;
	user_add_bad(&in, "username");
	long_name[64] = '\0'; /* 64 is the most */
	add_user(long_name, "viewer", fx.customs_id);
	in.username = "ab"; /* 2 is the least */
	add_user("ab", "viewer", fx.customs_id);

	in.username = "newuser";
	in.role = "boss";
	user_add_bad(&in, "role");
	in.role = NULL;
	user_add_bad(&in, "role");
	in.role = "Officer"; /* role names are exact */
	user_add_bad(&in, "role");
	in.role = "officer";
	in.agency_id = 99;
	user_add_bad(&in, "agency_id");
	in.agency_id = 0;
	user_add_bad(&in, "agency_id");
	in.agency_id = fx.customs_id;
	in.password = "short";
	user_add_bad(&in, "password");
	in.password = GOOD_PW;
	in.lang = "fr";
	user_add_bad(&in, "lang");

	/* every problem at once */
	struct user_input all = { .username = "x", .password = "p", .role = "god", .lang = "de",
				  .agency_id = 42, .disabled = -1 };
	struct error err = ERROR_INIT;
	int64_t id = 0;
	assert_int_equal(user_add(fx.st, &fx.admin, &all, &id, &err), -1);
	assert_int_equal(err.nfields, 5);
	static const char *const fields[] = { "username", "password", "role", "lang", "agency_id" };
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(err.fields[i].field, fields[i]);
	error_clear(&err);
}

static void test_user_add_duplicate(void **state)
{
	struct user_input in = { .username = "officer", .password = GOOD_PW, .role = "officer",
				 .agency_id = fx.customs_id, .disabled = -1 };
	struct error err = ERROR_INIT;
	int64_t id = 0, n0, n1;
	assert_int_equal(store_user_count(fx.st, &n0, &err), 0);
	int audit0 = audit_count(NULL, 0, NULL);
	assert_int_equal(user_add(fx.st, &fx.admin, &in, &id, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	/* user names ignore case */
	in.username = "OFFICER";
	assert_int_equal(user_add(fx.st, &fx.admin, &in, &id, &err), -1);
	assert_int_equal(err.code, ERR_CONFLICT);
	error_clear(&err);
	assert_int_equal(store_user_count(fx.st, &n1, &err), 0);
	assert_int_equal(n1, n0);
	/* the failed transaction left no audit entry */
	assert_int_equal(audit_count(NULL, 0, NULL), audit0);
}

/* ---- user_change ----------------------------------------------------------------- */

static struct user_input no_change(void)
{
	return (struct user_input){ .disabled = -1 };
}

static void test_user_change_self(void **state)
{
	int64_t id = add_user("dara", "officer", fx.customs_id);
	struct user_rec u = get_user(id);
	struct actor self;
	actor_from_user(&self, &u);
	assert_int_equal(self.user_id, id);
	assert_int_equal(self.role, ROLE_OFFICER);
	assert_int_equal(self.agency_id, fx.customs_id);

	/* own password and language: allowed */
	struct user_input in = no_change();
	in.password = "a brand new secret";
	in.lang = "km";
	struct error err = ERROR_INIT;
	assert_int_equal(user_change(fx.st, &self, id, &in, &err), 0);
	u = get_user(id);
	assert_string_equal(u.lang, "km");
	assert_int_equal(password_verify(u.password_hash, "a brand new secret"), 1);
	assert_int_equal(password_verify(u.password_hash, GOOD_PW), 0);
	assert_int_equal(u.role, ROLE_OFFICER);

	/* own role, agency, display name, disabled: not allowed */
	in = no_change();
	in.role = "admin";
	assert_int_equal(user_change(fx.st, &self, id, &in, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	in = no_change();
	in.agency_id = fx.forestry_id;
	assert_int_equal(user_change(fx.st, &self, id, &in, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	in = no_change();
	in.disabled = 0;
	assert_int_equal(user_change(fx.st, &self, id, &in, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	u = get_user(id);
	assert_int_equal(u.role, ROLE_OFFICER);
	assert_int_equal(u.agency_id, fx.customs_id);

	/* a short new password is refused */
	in = no_change();
	in.password = "short";
	assert_int_equal(user_change(fx.st, &self, id, &in, &err), -1);
	assert_int_equal(err.code, ERR_VALIDATION);
	assert_string_equal(err.fields[0].field, "password");
	error_clear(&err);
}

static void test_user_change_others(void **state)
{
	int64_t id = add_user("dara", "officer", fx.customs_id);
	struct user_input in = no_change();
	in.password = "someone elses secret";
	struct error err = ERROR_INIT;
	/* another non-admin may not change anything of dara's */
	assert_int_equal(user_change(fx.st, &fx.officer, id, &in, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	in = no_change();
	in.lang = "km";
	assert_int_equal(user_change(fx.st, &fx.analyst, id, &in, &err), -1);
	assert_int_equal(err.code, ERR_FORBIDDEN);
	error_clear(&err);
	/* an admin may change role, agency, display name */
	in = no_change();
	in.role = "analyst";
	in.agency_id = fx.forestry_id;
	in.display_name = "Dara S.";
	assert_int_equal(user_change(fx.st, &fx.admin, id, &in, &err), 0);
	struct user_rec u = get_user(id);
	assert_int_equal(u.role, ROLE_ANALYST);
	assert_int_equal(u.agency_id, fx.forestry_id);
	assert_string_equal(u.display_name, "Dara S.");
	assert_int_equal(audit_count("user", id, "update"), 1);
	/* bad values */
	in = no_change();
	in.role = "boss";
	assert_int_equal(user_change(fx.st, &fx.admin, id, &in, &err), -1);
	assert_string_equal(err.fields[0].field, "role");
	error_clear(&err);
	in = no_change();
	in.agency_id = 77;
	assert_int_equal(user_change(fx.st, &fx.admin, id, &in, &err), -1);
	assert_string_equal(err.fields[0].field, "agency_id");
	error_clear(&err);
	u = get_user(id);
	assert_int_equal(u.agency_id, fx.forestry_id);
	/* no such user */
	in = no_change();
	in.lang = "en";
	assert_int_equal(user_change(fx.st, &fx.admin, 9999, &in, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	error_clear(&err);
	/* an admin may not disable their own account */
	in = no_change();
	in.disabled = 1;
	assert_int_equal(user_change(fx.st, &fx.admin, fx.admin.user_id, &in, &err), -1);
	assert_string_equal(err.fields[0].field, "disabled");
	error_clear(&err);
	assert_int_equal(get_user(fx.admin.user_id).disabled, 0);
}

static void test_user_disable_ends_sessions(void **state)
{
	int64_t id = add_user("dara", "officer", fx.customs_id);
	char token[80], csrf[80];
	struct error err = ERROR_INIT;
	assert_int_equal(session_open(fx.st, id, token, csrf, &err), 0);
	struct user_rec u;
	char *c;
	assert_int_equal(session_resolve(fx.st, token, &u, &c, &ar, &err), 0);
	struct user_input in = no_change();
	in.disabled = 1;
	assert_int_equal(user_change(fx.st, &fx.admin, id, &in, &err), 0);
	assert_int_equal(get_user(id).disabled, 1);
	assert_int_equal(session_resolve(fx.st, token, &u, &c, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
	/* and the disabled user cannot sign in */
	assert_int_equal(auth_sign_in(fx.st, "dara", GOOD_PW, &u, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
	/* enabled again, signing in works */
	in.disabled = 0;
	assert_int_equal(user_change(fx.st, &fx.admin, id, &in, &err), 0);
	assert_int_equal(auth_sign_in(fx.st, "dara", GOOD_PW, &u, &ar, &err), 0);
}

static void test_password_change_ends_sessions(void **state)
{
	int64_t id = add_user("dara", "officer", fx.customs_id);
	struct user_rec u = get_user(id);
	struct actor self;
	actor_from_user(&self, &u);
	char token[80], csrf[80];
	struct error err = ERROR_INIT;
	assert_int_equal(session_open(fx.st, id, token, csrf, &err), 0);
	struct user_input in = no_change();
	in.password = "a brand new secret";
	assert_int_equal(user_change(fx.st, &self, id, &in, &err), 0);
	char *c;
	assert_int_equal(session_resolve(fx.st, token, &u, &c, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
	/* changing only the language keeps the session */
	assert_int_equal(session_open(fx.st, id, token, csrf, &err), 0);
	in = no_change();
	in.lang = "km";
	assert_int_equal(user_change(fx.st, &self, id, &in, &err), 0);
	assert_int_equal(session_resolve(fx.st, token, &u, &c, &ar, &err), 0);
}

/* ---- sign-in -------------------------------------------------------------------------- */

static void sign_in_fails(const char *user, const char *pw, enum err_code code)
{
	struct user_rec u;
	struct error err = ERROR_INIT;
	assert_int_equal(auth_sign_in(fx.st, user, pw, &u, &ar, &err), -1);
	if (err.code != code)
		fail_msg("sign-in %s: %s (%s), want %s", user ? user : "(null)",
			 error_code_name(err.code), err.message, error_code_name(code));
	if (code == ERR_UNAUTHORIZED && strcmp(err.message, "this account is disabled") != 0)
		assert_string_equal(err.message, "wrong user name or password");
	error_clear(&err);
}

static void test_sign_in(void **state)
{
	int64_t id = add_user("dara", "officer", fx.customs_id);
	struct user_rec u;
	struct error err = ERROR_INIT;
	assert_int_equal(auth_sign_in(fx.st, "dara", GOOD_PW, &u, &ar, &err), 0);
	assert_int_equal(u.id, id);
	assert_string_equal(u.username, "dara");
	assert_int_equal(u.role, ROLE_OFFICER);
	/* wrong password and unknown user: the same answer */
	sign_in_fails("dara", "wrong password!", ERR_UNAUTHORIZED);
	sign_in_fails("nobody", GOOD_PW, ERR_UNAUTHORIZED);
	sign_in_fails("dara", NULL, ERR_UNAUTHORIZED);
	sign_in_fails(NULL, GOOD_PW, ERR_UNAUTHORIZED);
	sign_in_fails("dara", "", ERR_UNAUTHORIZED);
	/* the fixture users have no usable password */
	sign_in_fails("officer", "-", ERR_UNAUTHORIZED);
	/* the wrong tries were counted and audited */
	assert_int_equal(get_user(id).failed_logins, 2);
	assert_int_equal(audit_count("user", id, "sign_in_failed"), 2);
}

static void test_sign_in_lockout(void **state)
{
	int64_t id = add_user("dara", "officer", fx.customs_id);
	for (int i = 1; i < LOCK_AFTER; i++) {
		sign_in_fails("dara", "wrong password!", ERR_UNAUTHORIZED);
		assert_int_equal(get_user(id).failed_logins, i);
	}
	/* the LOCK_AFTER-th failure locks */
	sign_in_fails("dara", "wrong password!", ERR_LOCKED);
	struct user_rec u = get_user(id);
	int64_t now = clock_unix();
	assert_true(u.locked_until >= now + LOCK_SECONDS - 5);
	assert_true(u.locked_until <= now + LOCK_SECONDS);
	assert_int_equal(audit_count("user", id, "lock"), 1);
	/* even the right password is refused while locked */
	sign_in_fails("dara", GOOD_PW, ERR_LOCKED);
	struct error err = ERROR_INIT;
	assert_int_equal(auth_sign_in(fx.st, "dara", GOOD_PW, &u, &ar, &err), -1);
	assert_non_null(strstr(err.message, "locked"));
	error_clear(&err);
	/* once the lock has run out, the right password works and resets */
	assert_int_equal(store_user_set_login_state(fx.st, id, 0, now - 1, &err), 0);
	assert_int_equal(auth_sign_in(fx.st, "dara", GOOD_PW, &u, &ar, &err), 0);
	u = get_user(id);
	assert_int_equal(u.failed_logins, 0);
	assert_int_equal(u.locked_until, 0);
}

static void test_sign_in_success_resets_counter(void **state)
{
	int64_t id = add_user("dara", "officer", fx.customs_id);
	for (int i = 0; i < LOCK_AFTER - 1; i++)
		sign_in_fails("dara", "wrong password!", ERR_UNAUTHORIZED);
	struct user_rec u;
	struct error err = ERROR_INIT;
	assert_int_equal(auth_sign_in(fx.st, "dara", GOOD_PW, &u, &ar, &err), 0);
	assert_int_equal(get_user(id).failed_logins, 0);
	/* LOCK_AFTER - 1 more failures do not lock: the count started again */
	for (int i = 0; i < LOCK_AFTER - 1; i++)
		sign_in_fails("dara", "wrong password!", ERR_UNAUTHORIZED);
	assert_int_equal(auth_sign_in(fx.st, "dara", GOOD_PW, &u, &ar, &err), 0);
}

static void test_sign_in_disabled(void **state)
{
	int64_t id = add_user("dara", "officer", fx.customs_id);
	struct user_input in = no_change();
	in.disabled = 1;
	struct error err = ERROR_INIT;
	assert_int_equal(user_change(fx.st, &fx.admin, id, &in, &err), 0);
	sign_in_fails("dara", GOOD_PW, ERR_UNAUTHORIZED);
	sign_in_fails("dara", "wrong password!", ERR_UNAUTHORIZED);
}

/* ---- sessions -------------------------------------------------------------------------- */

static void test_session_open_resolve_close(void **state)
{
	char token[80], csrf[80];
	struct error err = ERROR_INIT;
	int audit0 = audit_count("user", fx.officer.user_id, "sign_in");
	assert_int_equal(session_open(fx.st, fx.officer.user_id, token, csrf, &err), 0);
	assert_true(is_hex(token, 64));
	assert_true(is_hex(csrf, 64));
	assert_string_not_equal(token, csrf);
	assert_int_equal(audit_count("user", fx.officer.user_id, "sign_in"), audit0 + 1);
	struct user_rec u;
	char *c = NULL;
	assert_int_equal(session_resolve(fx.st, token, &u, &c, &ar, &err), 0);
	assert_int_equal(u.id, fx.officer.user_id);
	assert_string_equal(u.username, "officer");
	assert_string_equal(c, csrf);
	/* the store keeps only the hash: the hash is not itself a token */
	char h[65];
	token_hash(token, h);
	assert_int_equal(session_resolve(fx.st, h, &u, &c, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
	/* a second session is independent */
	char token2[80], csrf2[80];
	assert_int_equal(session_open(fx.st, fx.officer.user_id, token2, csrf2, &err), 0);
	assert_string_not_equal(token, token2);
	assert_int_equal(session_close(fx.st, token, &err), 0);
	assert_int_equal(session_resolve(fx.st, token, &u, &c, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	assert_string_equal(err.message, "not signed in (or the session has expired)");
	error_clear(&err);
	assert_int_equal(session_resolve(fx.st, token2, &u, &c, &ar, &err), 0);
	assert_string_equal(c, csrf2);
	assert_int_equal(session_resolve(fx.st, "", &u, &c, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
}

static void test_session_expired(void **state)
{
	struct error err = ERROR_INIT;
	int64_t now = clock_unix();
	char h[65];
	token_hash("expired-token", h);
	assert_int_equal(store_session_insert(fx.st, h, fx.officer.user_id, "csrf-old", now - 7200,
					      now - 1, &err),
			 0);
	token_hash("live-token", h);
	assert_int_equal(store_session_insert(fx.st, h, fx.officer.user_id, "csrf-live", now - 7200,
					      now + 60, &err),
			 0);
	struct user_rec u;
	char *c;
	assert_int_equal(session_resolve(fx.st, "expired-token", &u, &c, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
	assert_int_equal(session_resolve(fx.st, "live-token", &u, &c, &ar, &err), 0);
	assert_string_equal(c, "csrf-live");
	assert_int_equal(u.id, fx.officer.user_id);
}

/* ---- API tokens ------------------------------------------------------------------------- */

static void test_api_token(void **state)
{
	char buf[80], buf2[80];
	int64_t id = 0, id2 = 0;
	struct error err = ERROR_INIT;
	assert_int_equal(api_token_create(fx.st, &fx.forester, "nightly export", buf, &id, &err), 0);
	assert_true(id > 0);
	assert_int_equal(strncmp(buf, "kp_", 3), 0);
	assert_true(is_hex(buf + 3, 64));
	assert_int_equal(audit_count("api_token", id, "create"), 1);
	assert_int_equal(api_token_create(fx.st, &fx.forester, "nightly export", buf2, &id2, &err),
			 0);
	assert_string_not_equal(buf, buf2);
	assert_true(id2 != id);
	struct user_rec u;
	assert_int_equal(api_token_resolve(fx.st, buf, &u, &ar, &err), 0);
	assert_int_equal(u.id, fx.forester.user_id);
	assert_int_equal(u.agency_id, fx.forestry_id);
	assert_int_equal(api_token_resolve(fx.st, buf2, &u, &ar, &err), 0);
	/* a wrong token, and the token's hash, are not tokens */
	buf[10] = buf[10] == 'a' ? 'b' : 'a';
	assert_int_equal(api_token_resolve(fx.st, buf, &u, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	assert_string_equal(err.message, "the API token is not valid");
	error_clear(&err);
	char h[65];
	token_hash(buf2, h);
	assert_int_equal(api_token_resolve(fx.st, h, &u, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
}

static void test_api_token_rules(void **state)
{
	char buf[80], name[102];
	int64_t id = 0;
	struct error err = ERROR_INIT;
	assert_int_equal(api_token_create(fx.st, &fx.officer, "", buf, &id, &err), -1);
	assert_string_equal(err.fields[0].field, "name");
	error_clear(&err);
	assert_int_equal(api_token_create(fx.st, &fx.officer, NULL, buf, &id, &err), -1);
	assert_string_equal(err.fields[0].field, "name");
	error_clear(&err);
	memset(name, 'n', 101);
	name[101] = '\0';
	assert_int_equal(api_token_create(fx.st, &fx.officer, name, buf, &id, &err), -1);
	assert_string_equal(err.fields[0].field, "name");
	error_clear(&err);
	name[100] = '\0';
	assert_int_equal(api_token_create(fx.st, &fx.officer, name, buf, &id, &err), 0);
	/* the token of a disabled user stops working */
	int64_t uid = add_user("dara", "officer", fx.customs_id);
	struct user_rec u = get_user(uid);
	struct actor a;
	actor_from_user(&a, &u);
	assert_int_equal(api_token_create(fx.st, &a, "script", buf, &id, &err), 0);
	assert_int_equal(api_token_resolve(fx.st, buf, &u, &ar, &err), 0);
	struct user_input in = no_change();
	in.disabled = 1;
	assert_int_equal(user_change(fx.st, &fx.admin, uid, &in, &err), 0);
	assert_int_equal(api_token_resolve(fx.st, buf, &u, &ar, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
}

/* The length rule counts characters, not bytes. */
static void test_password_policy_counts_characters(void **state)
{
	struct error err = ERROR_INIT;
	assert_int_equal(password_check_policy("ពាក្យ", "password", &err), -1); /* 5 characters */
	error_clear(&err);
	char khmer[100 * 3 + 1] = "";
	for (int i = 0; i < 100; i++)
		strcat(khmer, "ក");
	assert_int_equal(password_check_policy(khmer, "password", &err), 0);
	error_clear(&err);
}

/* ---- the authentication cache (auth/session_cache.h, auth_resolve) ---------------------- */

static struct auth_entry entry(int64_t uid, enum role role, int64_t expires, const char *csrf)
{
	struct auth_entry e = { .user_id = uid, .agency_id = 1, .role = role, .expires = expires };
	snprintf(e.username, sizeof e.username, "user%lld", (long long)uid);
	snprintf(e.csrf, sizeof e.csrf, "%s", csrf);
	return e;
}

static void test_auth_cache_get_put(void **state)
{
	struct auth_cache *c = auth_cache_new(64);
	struct auth_entry e = entry(7, ROLE_ANALYST, 1000, "csrf-7"), out;
	assert_int_equal(auth_cache_get(c, "aaaa", 1, 10, &out), 0);
	auth_cache_put(c, "aaaa", 1, &e);
	assert_int_equal(auth_cache_count(c), 1);
	memset(&out, 0, sizeof out);
	assert_int_equal(auth_cache_get(c, "aaaa", 1, 10, &out), 1);
	assert_int_equal(out.user_id, 7);
	assert_int_equal(out.role, ROLE_ANALYST);
	assert_string_equal(out.username, "user7");
	assert_string_equal(out.csrf, "csrf-7");
	assert_int_equal(auth_cache_get(c, "bbbb", 1, 10, &out), 0);
	assert_int_equal(auth_cache_get(c, "", 1, 10, &out), 0);
	assert_int_equal(auth_cache_get(c, NULL, 1, 10, &out), 0);
	/* forgetting one key leaves the others */
	auth_cache_put(c, "bbbb", 1, &e);
	auth_cache_remove(c, "aaaa");
	assert_int_equal(auth_cache_get(c, "aaaa", 1, 10, &out), 0);
	assert_int_equal(auth_cache_get(c, "bbbb", 1, 10, &out), 1);
	auth_cache_free(c);
}

static void test_auth_cache_expiry(void **state)
{
	struct auth_cache *c = auth_cache_new(64);
	struct auth_entry e = entry(7, ROLE_OFFICER, 100, "x"), out;
	auth_cache_put(c, "k1", 1, &e);
	assert_int_equal(auth_cache_get(c, "k1", 1, 99, &out), 1);
	/* valid while now < expires, like the store's expires_at > now */
	assert_int_equal(auth_cache_get(c, "k1", 1, 100, &out), 0);
	assert_int_equal(auth_cache_count(c), 0);
	assert_int_equal(auth_cache_get(c, "k1", 1, 99, &out), 0);
	/* expires = 0: an API token, no expiry */
	struct auth_entry t = entry(8, ROLE_VIEWER, 0, "");
	auth_cache_put(c, "k2", 1, &t);
	assert_int_equal(auth_cache_get(c, "k2", 1, (int64_t)1 << 40, &out), 1);
	auth_cache_free(c);
}

static void test_auth_cache_generation(void **state)
{
	struct auth_cache *c = auth_cache_new(64);
	struct auth_entry e = entry(7, ROLE_OFFICER, 0, "x"), out;
	auth_cache_put(c, "k1", 3, &e);
	auth_cache_put(c, "k2", 3, &e);
	assert_int_equal(auth_cache_get(c, "k1", 3, 1, &out), 1);
	/* a newer generation in the store empties the cache */
	assert_int_equal(auth_cache_get(c, "k2", 4, 1, &out), 0);
	assert_int_equal(auth_cache_count(c), 0);
	assert_int_equal(auth_cache_get(c, "k1", 4, 1, &out), 0);
	/* an answer read at an older generation is not kept */
	auth_cache_put(c, "k1", 3, &e);
	assert_int_equal(auth_cache_count(c), 0);
	assert_int_equal(auth_cache_get(c, "k1", 4, 1, &out), 0);
	/* a put at a newer generation empties the older entries first */
	auth_cache_put(c, "k1", 4, &e);
	auth_cache_put(c, "k2", 5, &e);
	assert_int_equal(auth_cache_count(c), 1);
	assert_int_equal(auth_cache_get(c, "k2", 5, 1, &out), 1);
	assert_int_equal(auth_cache_get(c, "k1", 5, 1, &out), 0);
	auth_cache_free(c);
}

static void test_auth_cache_bounded(void **state)
{
	struct auth_cache *c = auth_cache_new(16);
	struct auth_entry e = entry(1, ROLE_OFFICER, 0, "x"), out;
	char key[65];
	for (int i = 0; i < 1000; i++) {
		token_hash((char[16]){ (char)('a' + i % 26), (char)('a' + i / 26 % 26),
				       (char)('a' + i / 676), 0 },
			   key);
		e.user_id = i + 1;
		auth_cache_put(c, key, 1, &e);
		assert_true(auth_cache_count(c) <= 16);
		/* the newest is always there, with its own value */
		assert_int_equal(auth_cache_get(c, key, 1, 1, &out), 1);
		assert_int_equal(out.user_id, i + 1);
	}
	assert_true(auth_cache_count(c) > 0);
	auth_cache_free(c);
}

/* Resolves through the cache; returns 0 or -1 (err cleared). */
static int resolve(struct auth_cache *c, enum auth_kind kind, const char *secret,
		   struct auth_entry *out, enum err_code *code)
{
	struct error err = ERROR_INIT;
	int rc = auth_resolve(fx.st, c, kind, secret, out, &err);
	if (code)
		*code = err.code;
	error_clear(&err);
	return rc;
}

static void test_auth_resolve_session_cached(void **state)
{
	struct auth_cache *c = auth_cache_new(64);
	struct error err = ERROR_INIT;
	struct auth_entry out;
	enum err_code code;
	int64_t uid = add_user("sokha", "analyst", fx.customs_id);
	char token[80], csrf[80], other[80], other_csrf[80];
	assert_int_equal(session_open(fx.st, uid, token, csrf, &err), 0);
	assert_int_equal(session_open(fx.st, uid, other, other_csrf, &err), 0);
	assert_int_equal(resolve(c, AUTH_SESSION, token, &out, NULL), 0);
	assert_int_equal(out.user_id, uid);
	assert_int_equal(out.role, ROLE_ANALYST);
	assert_int_equal(out.agency_id, fx.customs_id);
	assert_string_equal(out.username, "sokha");
	assert_string_equal(out.csrf, csrf);
	assert_true(out.expires > clock_unix());
	assert_int_equal(auth_cache_count(c), 1);
	/* the second time it comes from the cache: a row removed behind the
	 * program's back (no account change counted) is not seen ... */
	char h[65];
	token_hash(token, h);
	int64_t gen0;
	assert_int_equal(auth_generation(fx.st, &gen0, &err), 0);
	assert_int_equal(store_session_delete(fx.st, h, &err), 0);
	assert_int_equal(resolve(c, AUTH_SESSION, token, &out, NULL), 0);
	/* ... until the generation moves, as every account change makes it */
	assert_int_equal(store_begin(fx.st, &err), 0);
	assert_int_equal(auth_generation_bump(fx.st, &err), 0);
	assert_int_equal(store_commit(fx.st, &err), 0);
	int64_t gen1;
	assert_int_equal(auth_generation(fx.st, &gen1, &err), 0);
	assert_int_equal(gen1, gen0 + 1);
	assert_int_equal(resolve(c, AUTH_SESSION, token, &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	/* a role change is seen at once */
	assert_int_equal(resolve(c, AUTH_SESSION, other, &out, NULL), 0);
	assert_int_equal(out.role, ROLE_ANALYST);
	struct user_input in = no_change();
	in.role = "viewer";
	in.agency_id = fx.forestry_id;
	assert_int_equal(user_change(fx.st, &fx.admin, uid, &in, &err), 0);
	assert_int_equal(resolve(c, AUTH_SESSION, other, &out, NULL), 0);
	assert_int_equal(out.role, ROLE_VIEWER);
	assert_int_equal(out.agency_id, fx.forestry_id);
	/* sign-out is seen at once */
	assert_int_equal(session_close(fx.st, other, &err), 0);
	assert_int_equal(resolve(c, AUTH_SESSION, other, &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	/* so is a password change (it ends the sessions) */
	assert_int_equal(session_open(fx.st, uid, token, csrf, &err), 0);
	assert_int_equal(resolve(c, AUTH_SESSION, token, &out, NULL), 0);
	in = no_change();
	in.password = "another good secret";
	assert_int_equal(user_change(fx.st, &fx.admin, uid, &in, &err), 0);
	assert_int_equal(resolve(c, AUTH_SESSION, token, &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	/* and disabling the user */
	assert_int_equal(session_open(fx.st, uid, token, csrf, &err), 0);
	assert_int_equal(resolve(c, AUTH_SESSION, token, &out, NULL), 0);
	in = no_change();
	in.disabled = 1;
	assert_int_equal(user_change(fx.st, &fx.admin, uid, &in, &err), 0);
	assert_int_equal(resolve(c, AUTH_SESSION, token, &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	auth_cache_free(c);
}

static void test_auth_resolve_expiry(void **state)
{
	struct auth_cache *c = auth_cache_new(64);
	struct error err = ERROR_INIT;
	struct auth_entry out;
	enum err_code code;
	int64_t now = clock_unix();
	char h[65];
	/* a session ending within the horizon works but is not cached (its
	 * expiry is not known to the cache) */
	token_hash("short-token", h);
	assert_int_equal(store_session_insert(fx.st, h, fx.officer.user_id, "csrf-short", now - 10,
					      now + 5, &err),
			 0);
	assert_int_equal(resolve(c, AUTH_SESSION, "short-token", &out, NULL), 0);
	assert_string_equal(out.csrf, "csrf-short");
	assert_int_equal(auth_cache_count(c), 0);
	/* a longer one is cached, with an expiry never past the session's */
	token_hash("long-token", h);
	assert_int_equal(store_session_insert(fx.st, h, fx.officer.user_id, "csrf-long", now - 10,
					      now + 3600, &err),
			 0);
	assert_int_equal(resolve(c, AUTH_SESSION, "long-token", &out, NULL), 0);
	assert_int_equal(auth_cache_count(c), 1);
	assert_true(out.expires <= now + 3600 && out.expires >= now + AUTH_CACHE_HORIZON);
	/* an expired one is refused */
	token_hash("old-token", h);
	assert_int_equal(store_session_insert(fx.st, h, fx.officer.user_id, "csrf-old", now - 7200,
					      now - 1, &err),
			 0);
	assert_int_equal(resolve(c, AUTH_SESSION, "old-token", &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	assert_int_equal(resolve(c, AUTH_SESSION, "", &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	auth_cache_free(c);
}

static void test_auth_resolve_api_token(void **state)
{
	struct auth_cache *c = auth_cache_new(64);
	struct error err = ERROR_INIT;
	struct auth_entry out;
	enum err_code code;
	int64_t uid = add_user("vanna", "officer", fx.forestry_id);
	struct user_rec u = get_user(uid);
	struct actor a;
	actor_from_user(&a, &u);
	char buf[80];
	int64_t id;
	assert_int_equal(api_token_create(fx.st, &a, "script", buf, &id, &err), 0);
	assert_int_equal(resolve(c, AUTH_API_TOKEN, buf, &out, NULL), 0);
	assert_int_equal(out.user_id, uid);
	assert_int_equal(out.agency_id, fx.forestry_id);
	assert_int_equal(out.expires, 0);
	assert_string_equal(out.csrf, "");
	assert_int_equal(resolve(c, AUTH_API_TOKEN, buf, &out, NULL), 0);
	assert_int_equal(auth_cache_count(c), 1);
	/* a session cookie is not a token and the other way round */
	assert_int_equal(resolve(c, AUTH_SESSION, buf, &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	assert_int_equal(resolve(c, AUTH_API_TOKEN, "kp_nothing", &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	/* disabling the user stops the cached token at once */
	struct user_input in = no_change();
	in.disabled = 1;
	assert_int_equal(user_change(fx.st, &fx.admin, uid, &in, &err), 0);
	assert_int_equal(resolve(c, AUTH_API_TOKEN, buf, &out, &code), -1);
	assert_int_equal(code, ERR_UNAUTHORIZED);
	/* and without a cache the answers are the same */
	assert_int_equal(auth_resolve(fx.st, NULL, AUTH_API_TOKEN, buf, &out, &err), -1);
	assert_int_equal(err.code, ERR_UNAUTHORIZED);
	error_clear(&err);
	auth_cache_free(c);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
	const struct CMUnitTest tests[] = {
		T(test_password_policy),
		T(test_password_policy_counts_characters),
		T(test_password_hash_verify),
		T(test_password_generate),
		T(test_token_generate),
		T(test_token_hash),
		T(test_user_add),
		T(test_user_add_admin_only),
		T(test_user_add_rules),
		T(test_user_add_duplicate),
		T(test_user_change_self),
		T(test_user_change_others),
		T(test_user_disable_ends_sessions),
		T(test_password_change_ends_sessions),
		T(test_sign_in),
		T(test_sign_in_lockout),
		T(test_sign_in_success_resets_counter),
		T(test_sign_in_disabled),
		T(test_session_open_resolve_close),
		T(test_session_expired),
		T(test_api_token),
		T(test_api_token_rules),
		T(test_auth_cache_get_put),
		T(test_auth_cache_expiry),
		T(test_auth_cache_generation),
		T(test_auth_cache_bounded),
		T(test_auth_resolve_session_cached),
		T(test_auth_resolve_expiry),
		T(test_auth_resolve_api_token),
	};
#undef T
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_cleanup();
	return rc;
}
