/*
 * The demo events, loaded by `kyodo demo` after the groups and before the
 * demo reports and registrations (which look these events up).
 */
#ifndef KYODO_DEMO_EVENTS_H
#define KYODO_DEMO_EVENTS_H

#include "store/db.h"

/* Titles of the two future demo events, for the registrations demo:
 * find them with event_find(db, title, 0). */
#define DEMO_EVENT_OPEN_TITLE "まちづくりHUB Project in 金沢 第3回"
#define DEMO_EVENT_FULL_TITLE "親子で歩く防災まち歩き（満席の例）"

/*
 * Add the venue 金沢学生のまち市民交流館, the series まちづくりHUB Project in
 * 金沢 and these events:
 *
 * - the 2nd HUB (2024-10-18, 交流ホール, 30 participants: its report comes
 *   from demo_reports);
 * - the 令和7年度 call briefing (April 2025);
 * - 「カルタとクイズで兼六園!!」 (2024-11-16, 金沢城・兼六園研究会, 親子);
 * - the 3rd HUB about a month from now, capacity 40, registration open;
 * - a future event with capacity 10 that the registrations demo fills.
 *
 * Everything present is left alone, so running it twice adds nothing.
 * Returns 0, or -1 on a storage error (with a message on stderr).
 */
int demo_events(struct db *db);

#endif
