/*
 * The demo event report: the 2nd まちづくりHUB Project in 金沢, loaded by
 * `kyodo demo` after the demo events.
 */
#ifndef KYODO_DEMO_REPORTS_H
#define KYODO_DEMO_REPORTS_H

#include "store/db.h"

/*
 * Add the report of the 2nd HUB meeting (series まちづくりHUB Project in 金沢,
 * 第2回, made by the events demo): 30 participants, minutes, free-talk
 * notes for 材木, 木倉町, 小坂 and 尾張町, participants' voices, and a
 * plain generated PNG as the graphic minutes with its text summary (stored
 * through file_store under KYODO_FILES, or var/files).
 *
 * Skipped with a message when the event is absent; left alone when it
 * already has a report, so running it twice adds nothing.  Returns 0, or
 * -1 on a storage error (with a message on stderr).
 */
int demo_reports(struct db *db);

#endif
