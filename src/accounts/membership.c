#include "accounts/membership.h"

#define MEMBERSHIP_MAX 256

size_t membership_list(struct db *db, struct arena *a, int64_t user_id, struct membership **out)
{
	size_t n = 0;
	struct membership *m = arena_alloc(a, MEMBERSHIP_MAX * sizeof(*m));
	struct db_stmt *st = db_stmt(db, STMT_USER_GROUPS);
	db_bind_int(st, 1, user_id);
	while (db_step(st) == DB_ROW) {
		/* Far beyond any real user; stop rather than grow. */
		if (n == MEMBERSHIP_MAX) {
			db_reset(st);
			break;
		}
		m[n].group_id = db_int(st, 0);
		m[n].name = arena_strdup(a, db_text(st, 1));
		n++;
	}
	*out = m;
	return n;
}

const char *membership_group_name(struct db *db, struct arena *a, int64_t group_id)
{
	struct db_stmt *st = db_stmt(db, STMT_GROUP_GET);
	db_bind_int(st, 1, group_id);
	if (db_step(st) != DB_ROW)
		return NULL;
	const char *name = arena_strdup(a, db_text(st, 1));
	db_reset(st);
	return name;
}

static bool contains(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

int membership_replace(struct db *db, struct arena *a, int64_t user_id, const int64_t *ids,
		       size_t n)
{
	struct membership *cur;
	size_t ncur = membership_list(db, a, user_id, &cur);
	int64_t *old = arena_alloc(a, (ncur + 1) * sizeof(*old));
	for (size_t i = 0; i < ncur; i++)
		old[i] = cur[i].group_id;
	for (size_t i = 0; i < ncur; i++) {
		if (contains(ids, n, old[i]))
			continue;
		struct db_stmt *st = db_stmt(db, STMT_GROUP_MEMBER_REMOVE);
		db_bind_int(st, 1, old[i]);
		db_bind_int(st, 2, user_id);
		int rc = db_exec(st);
		if (rc != DB_OK)
			return rc;
	}
	for (size_t i = 0; i < n; i++) {
		if (contains(old, ncur, ids[i]))
			continue;
		struct db_stmt *st = db_stmt(db, STMT_GROUP_MEMBER_ADD);
		db_bind_int(st, 1, ids[i]);
		db_bind_int(st, 2, user_id);
		int rc = db_exec(st);
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}
