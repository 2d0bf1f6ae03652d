/*
 * user: accounts.  E-mail addresses are unique regardless of case.
 */
#ifndef KYODO_USER_H
#define KYODO_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/role.h"
#include "store/db.h"
#include "util/arena.h"

struct user {
	int64_t id;
	const char *email;
	const char *name;
	const char *name_kana;
	unsigned roles;
	bool disabled;
	const char *pw_hash;
};

enum user_rc { USER_OK = 0, USER_ERROR = -1, USER_DUPLICATE = -2, USER_NOT_FOUND = -3 };

/* Create a user with an Argon2id hash of password.  *id gets the new id. */
enum user_rc user_create(struct db *db, const char *email, const char *name, const char *kana,
			 unsigned roles, const char *password, int64_t *id);
enum user_rc user_get(struct db *db, struct arena *a, int64_t id, struct user *u);
enum user_rc user_by_email(struct db *db, struct arena *a, const char *email, struct user *u);
enum user_rc user_update(struct db *db, const struct user *u);
enum user_rc user_set_password(struct db *db, int64_t id, const char *password);

/* "管理者（市民協働推進課）、審査員" for a role set, in the arena. */
const char *user_roles_label(struct arena *a, unsigned roles);

#endif
