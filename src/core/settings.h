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
	const char *label;    /* message key of its name ("settings.field.site_name") */
	const char *fallback; /* the value until the office sets one: data, not UI text */
};

/* The editable settings, in display order. */
extern const struct setting_info settings_table[];
extern const int settings_count;

/* The value of key (arena copy), or its fallback, or "". */
const char *setting_get(struct db *db, struct arena *a, const char *key);
int setting_set(struct db *db, const char *key, const char *value);

/* Every setting, in settings_table order, into out[settings_count] (arena
 * copies), from a process-wide cache reloaded after any setting_set() in
 * this process: pages read the footer's settings on every request. */
void settings_snapshot(struct db *db, struct arena *a, const char **out);

enum setting_index {
	SETTING_SITE_NAME,
	SETTING_OFFICE_ORG,
	SETTING_OFFICE_NAME,
	SETTING_OFFICE_PHONE,
	SETTING_OFFICE_EMAIL,
	SETTING_OFFICE_ADDRESS,
	SETTING_OFFICE_HOURS,
	SETTING_CONSULT_CANCEL_HOURS,
	SETTING_OFFICE_HEAD_TITLE, /* 採択通知書 and other letters are sent in this name */
	SETTING_OFFICE_HEAD_NAME,
	SETTING_RETENTION_DAYS, /* registrants' data kept this long after the event */
	SETTING_CITY_CODE,	/* 全国地方公共団体コード for open data */
	SETTING__MAX
};

#endif
