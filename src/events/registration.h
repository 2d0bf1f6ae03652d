/*
 * registration: sign-ups for events, without an account.
 *
 * A registration holds a name, its reading, an e-mail address, an optional
 * phone number, a party size (adults + children) and private notes.  Its
 * status is confirmed, waiting or cancelled.  Capacity is counted in people:
 * every decision that reads the confirmed total and writes a status happens
 * inside one write transaction (db_begin = BEGIN IMMEDIATE), so concurrent
 * sign-ups and cancellations are serialised and the event is never over
 * capacity.  The waiting list is first come, first served: a new sign-up
 * waits when anyone is already waiting, and a cancellation promotes waiting
 * registrations in order while the next one fits.
 *
 * Each registration has a secret token (auth_new_token); only its hash is
 * stored.  The registrant's link /r/{token} shows and cancels it.
 */
#ifndef KYODO_REGISTRATION_H
#define KYODO_REGISTRATION_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

enum reg_rc {
	REG_OK = 0,
	REG_NOT_FOUND,	   /* no such event or registration */
	REG_NOT_OPEN,	   /* before reg_opens_at */
	REG_CLOSED,	   /* after reg_closes_at or the event's start */
	REG_NO_SIGNUP,	   /* the event takes no registrations (capacity 0) */
	REG_PARTY,	   /* party size outside 1..max_party */
	REG_DUPLICATE,	   /* the e-mail already holds a live registration */
	REG_CANCELLED,	   /* the registration was cancelled before */
	REG_NOT_CONFIRMED, /* check-in of a waiting or cancelled registration */
	REG_ATTENDED,	   /* check-in of a registration already attended */
	REG_ERROR = -1,
};

struct registration {
	int64_t id, event_id;
	const char *name, *name_kana, *email, *phone, *notes, *access_needs;
	const char *status; /* "confirmed" / "waiting" / "cancelled" */
	int64_t adults, children;
	int64_t created_at, cancelled_at, promoted_at, attended_at, anonymised_at;
	/* of the event, filled by registration_by_token() */
	const char *event_title;
	int64_t event_starts_at;
	const char *token_hash; /* the stored hash of the secret link's token */
};

/*
 * The check-in code of a registration: a keyed hash of its token hash, so
 * the QR code's link (/events/{id}/checkin/{rid}/{code}) lets staff find the
 * registration without carrying the secret that cancels it.
 */
char *registration_checkin_code(struct arena *a, const struct registration *reg);

/* The event facts registration needs (read inside the transaction). */
struct reg_event {
	int64_t id;
	const char *title;
	int64_t starts_at, ends_at, capacity, max_party;
	int64_t reg_opens_at, reg_closes_at; /* 0 when not set */
};

/* Shortest and longest phone number, in digits, separators removed. */
#define REG_PHONE_MIN_DIGITS 10
#define REG_PHONE_MAX_DIGITS 13

/* True when phone is empty or made of digits, '-', '+', '(', ')' and spaces
 * with REG_PHONE_MIN_DIGITS..REG_PHONE_MAX_DIGITS digits.  The message for
 * false is REG_PHONE_MESSAGE. */
bool registration_phone_ok(const char *phone);
#define REG_PHONE_MESSAGE "電話番号の形式が正しくありません"

/* Read event id's registration facts into *ev (strings in a).  REG_OK,
 * REG_NOT_FOUND (absent or unpublished) or REG_ERROR. */
enum reg_rc registration_event(struct db *db, struct arena *a, int64_t id, struct reg_event *ev);

/* Is the window open at now: REG_OK, REG_NOT_OPEN, REG_CLOSED or
 * REG_NO_SIGNUP.  Pure. */
enum reg_rc registration_window(const struct reg_event *ev, int64_t now);

/*
 * Register r (fields validated by the caller; r->event_id set) at now.
 * In one write transaction: the event's window and party size are checked,
 * a live registration with the same e-mail refused (REG_DUPLICATE), and the
 * registration stored as confirmed when it fits in the places left and no
 * one is waiting, as waiting otherwise.  A confirmation is queued to the
 * e-mail.  On REG_OK r->id and r->status are set and *token is the secret
 * (in a) — the only time it exists in clear.  ev (may be NULL) receives the
 * event's facts, e.g. max_party for REG_PARTY's message.
 */
enum reg_rc registration_create(struct db *db, struct arena *a, struct registration *r, int64_t now,
				char **token, struct reg_event *ev);

/* Find the registration whose token is token: REG_OK, REG_NOT_FOUND or
 * REG_ERROR.  Strings in a. */
enum reg_rc registration_by_token(struct db *db, struct arena *a, const char *token,
				  struct registration *out);

/*
 * Cancel the registration whose token is token, then promote waiting
 * registrations of the event in order while the next one fits, notifying
 * each; all in one write transaction.  REG_OK (with *promoted, may be NULL,
 * the number promoted), REG_NOT_FOUND, REG_CANCELLED or REG_ERROR.
 */
enum reg_rc registration_cancel(struct db *db, struct arena *a, const char *token, int64_t now,
				int *promoted);

/* Confirmed, waiting and cancelled people and registrations of an event,
 * and attended people. */
struct reg_counts {
	int64_t confirmed, waiting, cancelled, attended;	 /* people */
	int64_t n_confirmed, n_waiting, n_cancelled, n_attended; /* registrations */
};
int registration_counts(struct db *db, int64_t event_id, struct reg_counts *c);

/* The most registrations one list (participants, check-in search)
 * holds; an event of the city is far smaller. */
#define REG_LIST_MAX 5000

/*
 * Registrations of event_id in order of arrival into *list (in a), *n of
 * them, at most REG_LIST_MAX.  With q NULL or "" all of them; otherwise
 * those whose name or reading contains q (a reading typed in hiragana
 * matches the katakana stored).  0 or -1.
 */
int registration_list(struct db *db, struct arena *a, int64_t event_id, const char *q,
		      struct registration **list, size_t *n);

/* Registration id of event event_id: REG_OK, REG_NOT_FOUND or REG_ERROR. */
enum reg_rc registration_by_id(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			       struct registration *out);

/*
 * Check in registration id of event event_id: set attended_at to now and
 * record it in the audit log as user_id, in one transaction (strings in a).  REG_OK,
 * REG_NOT_FOUND, REG_NOT_CONFIRMED (waiting or cancelled: only confirmed
 * people have a place), REG_ATTENDED (already checked in; nothing changes)
 * or REG_ERROR.
 */
enum reg_rc registration_attend(struct db *db, struct arena *a, int64_t event_id, int64_t id,
				int64_t now, int64_t user_id);

/* The Japanese message for rc; max_party is used by REG_PARTY. */
const char *registration_message(struct arena *a, enum reg_rc rc, int64_t max_party);

#endif
