/*
 * access: the one answer to "may this user do this to this object".
 *
 * Route masks (core/role.h) only say who may reach a URL at all.  Whether
 * a user may see or change one particular object (a group, a proposal, an
 * event, a stored file) is asked here, by pages, the API and /files alike.
 * Each entity's rule lives with its feature (e.g. groups/group.c
 * group_access()); the table that names them is web/features.c.
 */
#ifndef KYODO_ACCESS_H
#define KYODO_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/who.h"
#include "store/db.h"

enum access_act {
	ACCESS_VIEW,   /* see it (including what residents do not see) */
	ACCESS_EDIT,   /* change its content */
	ACCESS_MANAGE, /* administer it: participants, decisions, archive */
};

enum access_entity { ACCESS_GROUP, ACCESS_PROPOSAL, ACCESS_EVENT, ACCESS_FILE, ACCESS__MAX };

/* One entity's rule: may w (NULL for a resident) act on object id? */
typedef bool (*access_rule)(struct db *db, const struct who *w, int64_t id, enum access_act act);

/* The rules, indexed by entity (web/features.c). */
extern const access_rule access_rules[ACCESS__MAX];

/* May w do act to entity e's object id?  False for an entity without a
 * rule, so a forgotten rule refuses rather than allows. */
bool access_may(struct db *db, const struct who *w, enum access_entity e, int64_t id,
		enum access_act act);

#endif
