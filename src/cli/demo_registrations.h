/*
 * Demo registrations, loaded by `kyodo demo` after the demo events.
 */
#ifndef KYODO_DEMO_REGISTRATIONS_H
#define KYODO_DEMO_REGISTRATIONS_H

#include "store/db.h"

/*
 * Register fictional residents (example.jp addresses) through
 * registration_create(), as the form would: the full demo event gets
 * confirmed parties up to its capacity and two waiting ones, the open one
 * a few.  A registrant already present (same e-mail) is skipped, so
 * running it twice adds nothing.  Each registration queues its
 * confirmation in the outbox, as a real one does.  Returns 0, or -1 with a
 * message on stderr.
 */
int demo_registrations(struct db *db);

#endif
