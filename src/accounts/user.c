#include "accounts/user.h"
#include "accounts/auth.h"
#include "util/str.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

enum user_rc user_create(struct db *db, const char *email, const char *name, const char *kana,
			 unsigned roles, const char *password, int64_t *id)
{
	char hash[crypto_pwhash_STRBYTES];
	if (auth_hash_password(password, hash, sizeof(hash)) != 0)
		return USER_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_USER_INSERT);
	db_bind_str(st, 1, email);
	db_bind_str(st, 2, name);
	db_bind_str(st, 3, kana ? kana : "");
	db_bind_str(st, 4, hash);
	db_bind_int(st, 5, roles);
	db_bind_int(st, 6, (int64_t)time(NULL));
	int rc = db_exec(st);
	if (rc == DB_CONSTRAINT)
		return USER_DUPLICATE;
	if (rc != DB_OK)
		return USER_ERROR;
	if (id)
		*id = db_last_id(db);
	return USER_OK;
}

static void read_user(struct db_stmt *st, struct arena *a, struct user *u)
{
	u->id = db_int(st, 0);
	u->email = arena_strdup(a, db_text(st, 1));
	u->name = arena_strdup(a, db_text(st, 2));
	u->name_kana = arena_strdup(a, db_text(st, 3));
	u->roles = (unsigned)db_int(st, 4);
	u->disabled = db_int(st, 5) != 0;
	u->pw_hash = arena_strdup(a, db_text(st, 6));
}

enum user_rc user_get(struct db *db, struct arena *a, int64_t id, struct user *u)
{
	struct db_stmt *st = db_stmt(db, STMT_USER_BY_ID);
	db_bind_int(st, 1, id);
	if (db_step(st) != DB_ROW)
		return USER_NOT_FOUND;
	read_user(st, a, u);
	db_reset(st);
	return USER_OK;
}

enum user_rc user_by_email(struct db *db, struct arena *a, const char *email, struct user *u)
{
	struct db_stmt *st = db_stmt(db, STMT_USER_BY_EMAIL);
	db_bind_str(st, 1, email);
	if (db_step(st) != DB_ROW)
		return USER_NOT_FOUND;
	read_user(st, a, u);
	db_reset(st);
	return USER_OK;
}

enum user_rc user_update(struct db *db, const struct user *u)
{
	struct db_stmt *st = db_stmt(db, STMT_USER_UPDATE);
	db_bind_int(st, 1, u->id);
	db_bind_str(st, 2, u->name);
	db_bind_str(st, 3, u->name_kana ? u->name_kana : "");
	db_bind_int(st, 4, u->roles);
	db_bind_int(st, 5, u->disabled);
	db_bind_int(st, 6, (int64_t)time(NULL));
	return db_exec(st) == DB_OK ? USER_OK : USER_ERROR;
}

enum user_rc user_set_password(struct db *db, int64_t id, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	if (auth_hash_password(password, hash, sizeof(hash)) != 0)
		return USER_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_USER_SET_PASSWORD);
	db_bind_int(st, 1, id);
	db_bind_str(st, 2, hash);
	db_bind_int(st, 3, (int64_t)time(NULL));
	return db_exec(st) == DB_OK ? USER_OK : USER_ERROR;
}

const char *user_roles_label(struct arena *a, unsigned roles)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < role_count; i++) {
		if (!(roles & role_table[i].role))
			continue;
		if (b.n)
			buf_adds(&b, "、");
		buf_adds(&b, role_table[i].label);
	}
	char *s = arena_strdup(a, b.p ? b.p : "（なし）");
	buf_release(&b);
	return s;
}
