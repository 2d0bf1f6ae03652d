/*
 * outbox: notifications.  Every notification is stored first (table
 * notifications), so nothing is lost while mail is down; recipients see them
 * on the お知らせ page.  When KYODO_SMTP_URL is set, a background thread
 * sends pending ones by e-mail (libcurl SMTP) and retries failures with
 * exponential backoff.
 */
#ifndef KYODO_OUTBOX_H
#define KYODO_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/*
 * Queue a notification for user_id.  kind names the event (receipt,
 * booking, booking_cancelled, reopened, partner_confirm, ...); subject and
 * body are Japanese text; link is a local path ("/proposals/12") or "".
 * Safe inside the caller's transaction: it only inserts a row, and wakes
 * the delivery thread when that transaction commits.
 * Returns DB_OK or an error.
 */
int notify(struct db *db, int64_t user_id, const char *kind, const char *subject, const char *body,
	   const char *link);

/*
 * Queue a notification for an e-mail address without an account (an event
 * registrant): stored with user_id NULL, so it is mailed but appears on no
 * one's お知らせ page.  Arguments as notify().  Returns DB_OK or an error.
 */
int notify_email(struct db *db, const char *email, const char *kind, const char *subject,
		 const char *body, const char *link);

/* Start the delivery thread (a no-op when smtp_url is NULL or empty).
 * db_spec opens the thread's own connection. */
void outbox_start(const char *db_spec, const char *smtp_url, const char *from,
		  const char *base_url);
/* Stop it, finishing the message being sent. */
void outbox_stop(void);
/* Tell the delivery thread that a message was queued (notify() does this
 * once its transaction commits), so that it does not wait for its next
 * look at the table.  Harmless when the thread is not running. */
void outbox_wake(void);
/* True while the delivery thread runs (SMTP is configured). */
bool outbox_enabled(void);

/* A message is tried at most this many times, then stays failed. */
#define OUTBOX_MAX_ATTEMPTS 8
/* Seconds to wait before the next try after `attempts` failed ones:
 * 60 s doubled per failure (60, 120, 240 ...), at most 6 hours. */
int64_t outbox_backoff(int attempts);

#endif
