/*
 * Roles and permissions.  A user holds a set of roles (bits); a route
 * states the roles that may use it (a mask).  PERM_PUBLIC routes are open
 * to residents who are not logged in.
 */
#ifndef KYODO_ROLE_H
#define KYODO_ROLE_H

#include "http/router.h"

enum role {
	ROLE_ADMIN = 1u << 0,	    /* the city office (市民協働推進課) */
	ROLE_COORDINATOR = 1u << 1, /* support-centre coordinator */
	ROLE_DIVISION = 1u << 2,    /* staff of a partner division (担当課) */
	ROLE_REVIEWER = 1u << 3,    /* 審査員 */
	ROLE_MEMBER = 1u << 4,	    /* member of one or more citizen groups */
};

#define ROLE_ALL (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_DIVISION | ROLE_REVIEWER | ROLE_MEMBER)

#define PERM_PUBLIC 0u
/* Any logged-in user, whatever their roles (even none). */
#define PERM_USER  PERM_ANY_USER
#define PERM_STAFF (ROLE_ADMIN | ROLE_COORDINATOR)
#define PERM_ADMIN ROLE_ADMIN

struct role_info {
	enum role role;
	const char *key;   /* "admin", used by the CLI and the API */
	const char *label; /* message key of its name for the UI ("role.admin") */
};

extern const struct role_info role_table[];
extern const int role_count;

/* The bit for a role key, or 0. */
unsigned role_parse(const char *key);

#endif
