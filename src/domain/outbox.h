/*
 * outbox: notifications.  Every notification is stored first (table
 * notifications), so nothing is lost while mail is down; recipients see them
 * on the お知らせ page.  When KYODO_SMTP_URL is set, a background thread
 * sends pending ones by e-mail (libcurl SMTP) and retries failures with
 * exponential backoff.
 */
#ifndef KYODO_OUTBOX_H
#define KYODO_OUTBOX_H

#include <stdint.h>

#include "store/db.h"

/*
 * Queue a notification for user_id.  kind names the event (receipt,
 * booking, booking_cancelled, reopened, partner_confirm, ...); subject and
 * body are Japanese text; link is a local path ("/proposals/12") or "".
 * Safe inside the caller's transaction: it only inserts a row.
 * Returns DB_OK or an error.
 */
int notify(struct db *db, int64_t user_id, const char *kind, const char *subject,
	   const char *body, const char *link);

/* Start the delivery thread (a no-op when smtp_url is NULL or empty).
 * db_spec opens the thread's own connection. */
void outbox_start(const char *db_spec, const char *smtp_url, const char *from,
		  const char *base_url);
/* Stop it, finishing the message being sent. */
void outbox_stop(void);

#endif
