/*
 * who: the acting user, as the domain sees it.  The server fills one in
 * from a session or an API token (accounts/auth.h); NULL means a resident
 * who is not logged in.  Role bits are core/role.h's.
 *
 * The predicates here are the one answer to "is this user staff / an
 * administrator"; rules about a particular object live in core/access.h.
 */
#ifndef KYODO_WHO_H
#define KYODO_WHO_H

#include <stdbool.h>
#include <stdint.h>

struct who {
	int64_t id;
	const char *email;
	const char *name;
	unsigned roles;
	int64_t session_id; /* 0 for API tokens */
};

/* Whether w holds any of the role bits in mask (false for NULL w). */
bool who_has(const struct who *w, unsigned mask);
/* The city office or a coordinator (PERM_STAFF). */
bool who_is_staff(const struct who *w);
/* The city office (ROLE_ADMIN). */
bool who_is_admin(const struct who *w);

#endif
