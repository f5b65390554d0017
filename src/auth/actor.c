#include "auth/actor.h"

#include <string.h>

static const char *const role_names[] = { "viewer", "officer", "analyst", "admin" };

const char *role_name(enum role r)
{
	return (unsigned)r < 4 ? role_names[r] : "viewer";
}

int role_parse(const char *name, enum role *out)
{
	for (int i = 0; i < 4; i++)
		if (name && strcmp(name, role_names[i]) == 0) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}
