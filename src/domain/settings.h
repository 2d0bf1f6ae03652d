/*
 * settings: key/value configuration kept in the database and edited by the
 * office (contact details in the footer, site name).
 */
#ifndef KYODO_SETTINGS_H
#define KYODO_SETTINGS_H

#include "store/db.h"
#include "util/arena.h"

struct setting_info {
	const char *key;
	const char *label;
	const char *fallback;
};

/* The editable settings, in display order. */
extern const struct setting_info settings_table[];
extern const int settings_count;

/* The value of key (arena copy), or its fallback, or "". */
const char *setting_get(struct db *db, struct arena *a, const char *key);
int setting_set(struct db *db, const char *key, const char *value);

/* Like setting_get, but from a process-wide cache that is reloaded after any
 * setting_set() in this process.  The copy is in the arena. */
const char *setting_cached(struct db *db, struct arena *a, const char *key);

#endif
