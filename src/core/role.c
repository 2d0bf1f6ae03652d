#include "core/role.h"
#include "core/who.h"

#include <string.h>

const struct role_info role_table[] = {
    {ROLE_ADMIN, "admin", "role.admin"},
    {ROLE_COORDINATOR, "coordinator", "role.coordinator"},
    {ROLE_DIVISION, "division", "role.division"},
    {ROLE_REVIEWER, "reviewer", "role.reviewer"},
    {ROLE_MEMBER, "member", "role.member"},
};
const int role_count = sizeof(role_table) / sizeof(role_table[0]);

unsigned role_parse(const char *key)
{
	for (int i = 0; i < role_count; i++)
		if (strcmp(role_table[i].key, key) == 0)
			return role_table[i].role;
	return 0;
}

bool who_has(const struct who *w, unsigned mask)
{
	return w && (w->roles & mask) != 0;
}

bool who_is_staff(const struct who *w)
{
	return who_has(w, PERM_STAFF);
}

bool who_is_admin(const struct who *w)
{
	return who_has(w, PERM_ADMIN);
}
