#include "core/access.h"

bool access_may(struct db *db, const struct who *w, enum access_entity e, int64_t id,
		enum access_act act)
{
	if ((unsigned)e >= ACCESS__MAX || !access_rules[e])
		return false;
	return access_rules[e](db, w, id, act);
}
