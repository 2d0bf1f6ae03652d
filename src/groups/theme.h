/*
 * theme: the activity themes (活動テーマ) groups are filed under, kept by
 * the office.  Themes are archived, never deleted: an archived theme
 * leaves the choices of the group form and the search, but groups keep it.
 * Names are unique.
 */
#ifndef KYODO_THEME_H
#define KYODO_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"

#define THEME_POSITION_MAX 10000

struct theme {
	int64_t id;
	const char *name;
	int64_t position; /* display order, 0 .. THEME_POSITION_MAX */
	bool archived;
};

/* Theme id (arena).  RC_OK, RC_NOT_FOUND or RC_ERROR. */
enum rc theme_get(struct db *db, struct arena *a, int64_t id, struct theme *t);

/* The themes in display order (arena): the active ones, or with archived
 * every theme, active first.  Returns the count; *out is never NULL. */
size_t theme_list(struct db *db, struct arena *a, bool archived, struct theme **out);

/* Add a theme named name by actor_id at position, or after the last one
 * when position < 0, with its audit entry, in one transaction.  *id gets
 * the new id.  RC_CONFLICT when the name is taken. */
enum rc theme_create(struct db *db, struct arena *a, const char *name, int64_t position,
		     int64_t actor_id, int64_t *id);

/* Store t (name, position, archived) over old, the stored version, by
 * actor_id, with an audit entry saying what changed, in one transaction;
 * nothing is written when nothing changed.  RC_CONFLICT when the name is
 * taken. */
enum rc theme_update(struct db *db, struct arena *a, const struct theme *t, const struct theme *old,
		     int64_t actor_id);

#endif
