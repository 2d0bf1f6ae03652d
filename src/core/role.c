#include "core/role.h"
#include "core/who.h"

#include <string.h>

const struct role_info role_table[] = {
    {ROLE_ADMIN, "admin", "管理者（市民協働推進課）"},
    {ROLE_COORDINATOR, "coordinator", "コーディネーター"},
    {ROLE_DIVISION, "division", "担当課職員"},
    {ROLE_REVIEWER, "reviewer", "審査員"},
    {ROLE_MEMBER, "member", "団体メンバー"},
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
