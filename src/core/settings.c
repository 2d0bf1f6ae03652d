#include "core/settings.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

const struct setting_info settings_table[] = {
    {"site_name", "settings.field.site_name", "協働のまちづくりポータル"},
    {"office_org", "settings.field.office_org", "金沢市"},
    {"office_name", "settings.field.office_name", "市民協働推進課"},
    {"office_phone", "settings.field.office_phone", "076-220-2026"},
    {"office_email", "settings.field.office_email", "kyoudou@city.kanazawa.lg.jp"},
    {"office_address", "settings.field.office_address", "石川県金沢市広坂1丁目1番1号"},
    {"office_hours", "settings.field.office_hours", "平日 8時30分〜17時15分"},
    {"consult_cancel_hours", "settings.field.consult_cancel_hours", "24"},
    {"office_head_title", "settings.field.office_head_title", "金沢市長"},
    {"office_head_name", "settings.field.office_head_name", ""},
    {"retention_days", "settings.field.retention_days", "365"},
    {"city_code", "settings.field.city_code", "172014"},
};
const int settings_count = sizeof(settings_table) / sizeof(settings_table[0]);
/* enum setting_index names these rows in this order. */
_Static_assert(sizeof(settings_table) / sizeof(settings_table[0]) == SETTING__MAX,
	       "settings_table and enum setting_index differ");

#define MAX_SETTINGS 16
/* A process-wide copy of the settings, reloaded after setting_set(); pages
 * read the footer's settings on every request. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint generation = 1;
static unsigned cached_generation;
static char *cache[MAX_SETTINGS];

void settings_snapshot(struct db *db, struct arena *a, const char **out)
{
	_Static_assert(sizeof(settings_table) / sizeof(settings_table[0]) <= MAX_SETTINGS,
		       "settings cache too small");
	pthread_mutex_lock(&cache_lock);
	unsigned gen = atomic_load(&generation);
	if (cached_generation != gen) {
		for (int i = 0; i < settings_count; i++) {
			free(cache[i]);
			cache[i] = xstrdup(setting_get(db, a, settings_table[i].key));
		}
		cached_generation = gen;
	}
	for (int i = 0; i < settings_count; i++)
		out[i] = arena_strdup(a, cache[i]);
	pthread_mutex_unlock(&cache_lock);
}

const char *setting_get(struct db *db, struct arena *a, const char *key)
{
	struct db_stmt *st = db_stmt(db, STMT_SETTING_GET);
	db_bind_str(st, 1, key);
	if (db_step(st) == DB_ROW) {
		const char *v = arena_strdup(a, db_text(st, 0));
		db_reset(st);
		return v;
	}
	for (int i = 0; i < settings_count; i++)
		if (strcmp(settings_table[i].key, key) == 0)
			return settings_table[i].fallback;
	return "";
}

int setting_set(struct db *db, const char *key, const char *value)
{
	struct db_stmt *st = db_stmt(db, STMT_SETTING_SET);
	db_bind_str(st, 1, key);
	db_bind_str(st, 2, value);
	int rc = db_exec(st);
	atomic_fetch_add(&generation, 1);
	return rc;
}
