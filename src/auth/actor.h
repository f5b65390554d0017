/*
 * actor.h - who is acting: the signed-in user (or the command line's
 * operator) that every domain operation receives, so access control is
 * decided in the domain and never by handlers.
 */
#ifndef KOUPREY_ACTOR_H
#define KOUPREY_ACTOR_H

#include <stdint.h>

enum role { ROLE_VIEWER = 0, ROLE_OFFICER, ROLE_ANALYST, ROLE_ADMIN };

struct actor {
	int64_t user_id;          /* 0 for the system (init, migrations) */
	int64_t agency_id;
	enum role role;
	const char *username;
};

const char *role_name(enum role r);
/* 0 and *out set, or -1 for an unknown name. */
int role_parse(const char *name, enum role *out);

#endif
