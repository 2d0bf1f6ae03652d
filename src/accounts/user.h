/*
 * user: accounts.  E-mail addresses are unique regardless of case.
 *
 * Functions return enum rc (core/rc.h): RC_OK, RC_NOT_FOUND, RC_CONFLICT
 * for an address already taken, RC_ERROR when storage fails.
 */
#ifndef KYODO_USER_H
#define KYODO_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
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

/* transitional: the old names of the codes, for callers outside accounts
 * (cli/commands.c, cli/demo_screening.c); remove when they say RC_*. */
#define user_rc	       rc
#define USER_OK	       RC_OK
#define USER_ERROR     RC_ERROR
#define USER_DUPLICATE RC_CONFLICT
#define USER_NOT_FOUND RC_NOT_FOUND

/* Create a user with an Argon2id hash of password, unaudited (the CLI and
 * the demo loader).  *id gets the new id.  RC_CONFLICT when the address is
 * taken. */
enum rc user_create(struct db *db, const char *email, const char *name, const char *kana,
		    unsigned roles, const char *password, int64_t *id);
/* user_create() of u's email, name, reading and roles by actor_id, with
 * the "create" audit entry (summary) in the same transaction. */
enum rc user_register(struct db *db, const struct user *u, const char *password, int64_t actor_id,
		      const char *summary, int64_t *id);
enum rc user_get(struct db *db, struct arena *a, int64_t id, struct user *u);
enum rc user_by_email(struct db *db, struct arena *a, const char *email, struct user *u);

/* The division a user belongs to (users.division_id), or 0. */
int64_t user_division(struct db *db, int64_t user_id);

/*
 * The office's edit of an account, in one transaction: u's name, reading,
 * roles and disabled flag; the groups ids[0..n) as its memberships; its
 * division (0 for none); the end of every session when disabled; and, when
 * summary is not empty, the "update" audit entry by actor_id.
 */
enum rc user_save(struct db *db, struct arena *a, const struct user *u, const int64_t *groups,
		  size_t ngroups, int64_t division, int64_t actor_id, const char *summary);

/*
 * Set user id's password and end every other session of theirs (all but
 * keep_session), with the "password" audit entry, in one transaction: a
 * stolen session does not outlive the change, and if any part fails
 * nothing changes (RC_ERROR).
 */
enum rc user_change_password(struct db *db, int64_t id, const char *password, int64_t keep_session);

#endif
