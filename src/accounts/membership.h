/*
 * membership: which citizen groups a user belongs to (group_members).  The
 * office edits a user's groups as a whole on the admin pages; membership
 * is what lets a ROLE_MEMBER user edit their own group's entry.
 */
#ifndef KYODO_MEMBERSHIP_H
#define KYODO_MEMBERSHIP_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct membership {
	int64_t group_id;
	const char *name;
};

/* The user's groups in 50音順 (arena).  Returns the count; *out is never
 * NULL. */
size_t membership_list(struct db *db, struct arena *a, int64_t user_id, struct membership **out);

/* The name of group id (arena copy), or NULL when there is no such group
 * (archived groups count: the office may still manage them). */
const char *membership_group_name(struct db *db, struct arena *a, int64_t group_id);

/*
 * Make the user's groups exactly ids[0..n) (no duplicates), adding and
 * removing rows as needed.  Runs inside the caller's transaction so that
 * the change and its audit entry land together.  DB_OK or an error.
 */
int membership_replace(struct db *db, struct arena *a, int64_t user_id, const int64_t *ids,
		       size_t n);

#endif
