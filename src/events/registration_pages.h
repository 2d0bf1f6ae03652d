/*
 * What registration_pages.c shares with the other organisers' pages of
 * the events folder (report_pages.c): loading the event an organiser
 * works on, refused the same way everywhere.
 */
#ifndef KYODO_REGISTRATION_PAGES_H
#define KYODO_REGISTRATION_PAGES_H

#include <stdbool.h>

#include "events/event.h"
#include "http/req.h"
#include "store/db.h"

/*
 * Load the event of route parameter 0 into *e when the user may manage it
 * (event_may(ACCESS_MANAGE): participants, check-in, report); otherwise
 * answer 404 or 403 with the words of the message keys no_event or
 * forbidden, and return false.
 */
bool events_load_managed(struct req *r, struct db *db, struct event *e, const char *no_event,
			 const char *forbidden);

#endif
