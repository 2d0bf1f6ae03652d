/*
 * jobs: the periodic work of the server, also run by `kyodo jobs run` and
 * `kyodo retention run`.
 *
 * - Reminders: each confirmed registration of a published event that
 *   starts "the day before" (between now + 12 h and now + 36 h) gets one
 *   reminder through the outbox; reminded_at records it, so a job run
 *   every hour, or twice by hand, sends it once.
 * - Retention: registrations of events that ended more than the setting
 *   retention_days ago are anonymised: the personal fields are blanked and
 *   anonymised_at set, while status, party size and attendance stay, so
 *   the counts of past events do not change.  The e-mail notifications
 *   sent to registrants before the same cutoff are blanked too (their
 *   body holds the name).
 *
 * Each step commits on its own: a failure of one leaves the other's work
 * in place.
 */
#ifndef KYODO_JOBS_H
#define KYODO_JOBS_H

#include <stdint.h>

#include "store/db.h"

/* Reminders go to events starting in [now + JOBS_REMIND_FROM,
 * now + JOBS_REMIND_TO): an hourly run reaches each event once inside the
 * window, and a run missed for half a day still reminds in time. */
#define JOBS_REMIND_FROM (12 * 3600)
#define JOBS_REMIND_TO	 (36 * 3600)
/* The retention period when the setting is missing or not a number, and
 * the bounds accepted for it (days). */
#define JOBS_RETENTION_DEFAULT 365
#define JOBS_RETENTION_MIN     1
#define JOBS_RETENTION_MAX     36500
/* What an anonymised registrant's name becomes. */
#define JOBS_ANONYMOUS_NAME "（匿名化済み）"

struct jobs_report {
	int reminders;		/* reminders queued */
	int anonymised;		/* registrations anonymised */
	int notifications;	/* notifications blanked */
	int64_t retention_days; /* the period used */
};

/* The retention period from the settings (JOBS_RETENTION_DEFAULT when
 * missing or out of range). */
int64_t jobs_retention_days(struct db *db);

/* Queue the reminders due at now; *count (may be NULL) gets how many.
 * 0, or -1 (reminders queued before the failure stay queued and marked). */
int jobs_remind(struct db *db, int64_t now, int *count);

/* Anonymise what is older than now minus the retention period; out (may be
 * NULL) gets the counts and the period.  0 or -1 (nothing changed). */
int jobs_retention(struct db *db, int64_t now, struct jobs_report *out);

/* Every job at now: reminders, then retention.  *out (may be NULL) gets
 * the counts.  0, or -1 when a job failed (the others still ran). */
int jobs_run(struct db *db, int64_t now, struct jobs_report *out);

/* Start the server's jobs thread: jobs_run at once, then every
 * JOBS_INTERVAL seconds, on its own connection opened from db_spec.  All
 * signals are blocked in it (the main thread sigwait()s). */
#define JOBS_INTERVAL 3600
void jobs_start(const char *db_spec);
/* Stop it and wait for it, finishing a run in progress. */
void jobs_stop(void);

#endif
