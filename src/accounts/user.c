#include "accounts/user.h"
#include "accounts/auth.h"
#include "accounts/membership.h"
#include "core/audit.h"
#include "store/row.h"
#include "util/msg.h"

#include <sodium.h>
#include <time.h>

/* Insert u with the password hash.  Runs in the caller's transaction when
 * there is one. */
static enum rc insert(struct db *db, const struct user *u, const char *hash, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, STMT_USER_INSERT);
	db_bind_str(st, 1, u->email);
	db_bind_str(st, 2, u->name);
	db_bind_str(st, 3, u->name_kana ? u->name_kana : "");
	db_bind_str(st, 4, hash);
	db_bind_int(st, 5, u->roles);
	db_bind_int(st, 6, (int64_t)time(NULL));
	int rc = db_exec(st);
	if (rc == DB_CONSTRAINT)
		return RC_CONFLICT;
	if (rc != DB_OK)
		return RC_ERROR;
	if (id)
		*id = db_last_id(db);
	return RC_OK;
}

/* End a write transaction that has gone well so far (rc == DB_OK) with
 * the audit entry (none for an empty summary): everything lands, or
 * nothing does (RC_ERROR). */
static enum rc commit_audited(struct db *db, int rc, int64_t actor_id, const char *action,
			      int64_t id, const char *summary)
{
	if (rc == DB_OK && summary && *summary)
		rc = audit(db, actor_id, action, "user", id, summary);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc == DB_OK)
		return RC_OK;
	db_rollback(db);
	return RC_ERROR;
}

enum rc user_create(struct db *db, const char *email, const char *name, const char *kana,
		    unsigned roles, const char *password, int64_t *id)
{
	char hash[crypto_pwhash_STRBYTES];
	if (auth_hash_password(password, hash, sizeof(hash)) != 0)
		return RC_ERROR;
	const struct user u = {.email = email, .name = name, .name_kana = kana, .roles = roles};
	return insert(db, &u, hash, id);
}

enum rc user_register(struct db *db, const struct user *u, const char *password, int64_t actor_id,
		      const char *summary, int64_t *id)
{
	/* Hashed before the transaction: Argon2 takes a while, and the write
	 * lock is not held meanwhile. */
	char hash[crypto_pwhash_STRBYTES];
	if (auth_hash_password(password, hash, sizeof(hash)) != 0)
		return RC_ERROR;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	int64_t new_id = 0;
	enum rc rc = insert(db, u, hash, &new_id);
	if (rc != RC_OK) {
		db_rollback(db);
		return rc;
	}
	rc = commit_audited(db, DB_OK, actor_id, "create", new_id, summary);
	if (rc == RC_OK && id)
		*id = new_id;
	return rc;
}

static void read_user(struct db_stmt *st, struct arena *a, void *out)
{
	struct user *u = out;
	u->id = db_int(st, 0);
	u->email = arena_strdup(a, db_text(st, 1));
	u->name = arena_strdup(a, db_text(st, 2));
	u->name_kana = arena_strdup(a, db_text(st, 3));
	u->roles = (unsigned)db_int(st, 4);
	u->disabled = db_int(st, 5) != 0;
	u->pw_hash = arena_strdup(a, db_text(st, 6));
}

enum rc user_get(struct db *db, struct arena *a, int64_t id, struct user *u)
{
	return db_get(db, STMT_USER_BY_ID, id, read_user, a, u);
}

enum rc user_by_email(struct db *db, struct arena *a, const char *email, struct user *u)
{
	struct db_stmt *st = db_stmt(db, STMT_USER_BY_EMAIL);
	db_bind_str(st, 1, email);
	int rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? RC_NOT_FOUND : RC_ERROR;
	read_user(st, a, u);
	db_reset(st);
	return RC_OK;
}

static void read_id(struct db_stmt *st, struct arena *a, void *out)
{
	(void)a;
	*(int64_t *)out = db_isnull(st, 0) ? 0 : db_int(st, 0);
}

int64_t user_division(struct db *db, int64_t user_id)
{
	int64_t id = 0;
	db_get(db, STMT_USER_DIVISION_GET, user_id, read_id, NULL, &id);
	return id;
}

enum rc user_save(struct db *db, struct arena *a, const struct user *u, const int64_t *groups,
		  size_t ngroups, int64_t division, int64_t actor_id, const char *summary)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_USER_UPDATE);
	db_bind_int(st, 1, u->id);
	db_bind_str(st, 2, u->name);
	db_bind_str(st, 3, u->name_kana ? u->name_kana : "");
	db_bind_int(st, 4, u->roles);
	db_bind_int(st, 5, u->disabled);
	db_bind_int(st, 6, (int64_t)time(NULL));
	int rc = db_exec(st);
	if (rc == DB_OK)
		rc = membership_replace(db, a, u->id, groups, ngroups);
	if (rc == DB_OK) {
		st = db_stmt(db, STMT_USER_DIVISION_SET);
		db_bind_int(st, 1, u->id);
		if (division)
			db_bind_int(st, 2, division);
		else
			db_bind_null(st, 2);
		rc = db_exec(st);
	}
	/* Disabled accounts are refused at lookup too; deleting the sessions
	 * makes the logout immediate and final. */
	if (rc == DB_OK && u->disabled)
		rc = auth_sessions_end(db, u->id, 0);
	return commit_audited(db, rc, actor_id, "update", u->id, summary);
}

enum rc user_change_password(struct db *db, int64_t id, const char *password, int64_t keep_session)
{
	char hash[crypto_pwhash_STRBYTES];
	if (auth_hash_password(password, hash, sizeof(hash)) != 0)
		return RC_ERROR;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_USER_SET_PASSWORD);
	db_bind_int(st, 1, id);
	db_bind_str(st, 2, hash);
	db_bind_int(st, 3, (int64_t)time(NULL));
	int rc = db_exec(st);
	if (rc == DB_OK && db_changes(db) != 1)
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = auth_sessions_end(db, id, keep_session);
	return commit_audited(db, rc, id, "password", id, msg("accounts.audit.password"));
}
