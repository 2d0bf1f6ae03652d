#include "groups/theme.h"
#include "core/audit.h"
#include "store/row.h"
#include "util/msg.h"
#include "util/str.h"

#include <string.h>

static void read_theme(struct db_stmt *st, struct arena *a, void *out)
{
	struct theme *t = out;
	const char *name = db_text(st, 1);
	t->id = db_int(st, 0);
	t->name = arena_strdup(a, name ? name : "");
	t->position = db_int(st, 2);
	t->archived = db_int(st, 3) != 0;
}

enum rc theme_get(struct db *db, struct arena *a, int64_t id, struct theme *t)
{
	return db_get(db, STMT_THEME_BY_ID, id, read_theme, a, t);
}

size_t theme_list(struct db *db, struct arena *a, bool archived, struct theme **out)
{
	size_t n = 0, cap = 0;
	struct theme *t = arena_alloc(a, sizeof(*t));
	struct db_stmt *st = db_stmt(db, archived ? STMT_THEME_LIST_ALL : STMT_THEME_LIST);
	while (db_step(st) == DB_ROW) {
		t = arena_grow(a, t, n, &cap, sizeof(*t));
		read_theme(st, a, &t[n++]);
	}
	*out = t;
	return n;
}

/* The position after the last theme, leaving room to slot others between. */
static int64_t next_position(struct db *db)
{
	int64_t position = 0;
	struct db_stmt *st = db_stmt(db, STMT_THEME_LIST_ALL);
	while (db_step(st) == DB_ROW)
		if (db_int(st, 2) + 10 > position)
			position = db_int(st, 2) + 10;
	return position > THEME_POSITION_MAX ? THEME_POSITION_MAX : position;
}

/* Finish a transaction: commit after the audit entry, or roll back. */
static enum rc finish(struct db *db, int rc, int64_t actor_id, const char *action, int64_t id,
		      const char *summary)
{
	if (rc == DB_OK)
		rc = audit(db, actor_id, action, "theme", id, summary);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc == DB_OK)
		return RC_OK;
	db_rollback(db);
	return rc == DB_CONSTRAINT ? RC_CONFLICT : RC_ERROR;
}

enum rc theme_create(struct db *db, struct arena *a, const char *name, int64_t position,
		     int64_t actor_id, int64_t *id)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	if (position < 0)
		position = next_position(db);
	struct db_stmt *st = db_stmt(db, STMT_THEME_INSERT);
	db_bind_str(st, 1, name);
	db_bind_int(st, 2, position);
	int rc = db_exec(st);
	int64_t new_id = rc == DB_OK ? db_last_id(db) : 0;
	const char *summary = msgf(a, "groups.audit.theme_created", name,
				   arena_printf(a, "%lld", (long long)position));
	enum rc out = finish(db, rc, actor_id, "create", new_id, summary);
	if (out == RC_OK && id)
		*id = new_id;
	return out;
}

/* Append one "what changed" item to an audit summary. */
static void change(struct buf *b, const char *item)
{
	if (b->n)
		buf_adds(b, " ／ ");
	buf_adds(b, item);
}

enum rc theme_update(struct db *db, struct arena *a, const struct theme *t, const struct theme *old,
		     int64_t actor_id)
{
	struct buf b = BUF_INIT;
	if (strcmp(t->name, old->name) != 0)
		change(&b, msgf(a, "groups.change.theme_name", old->name, t->name));
	if (t->position != old->position)
		change(&b, msgf(a, "groups.change.theme_position",
				arena_printf(a, "%lld", (long long)old->position),
				arena_printf(a, "%lld", (long long)t->position)));
	if (t->archived != old->archived)
		change(&b, msg(t->archived ? "groups.change.theme_archived"
					   : "groups.change.theme_restored"));
	const char *summary = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	if (!*summary)
		return RC_OK;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_THEME_UPDATE);
	db_bind_int(st, 1, t->id);
	db_bind_str(st, 2, t->name);
	db_bind_int(st, 3, t->position);
	db_bind_int(st, 4, t->archived);
	return finish(db, db_exec(st), actor_id, "update", t->id, summary);
}
