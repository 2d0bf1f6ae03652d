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

#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"

/*
 * Results are the one family of core/rc.h.  A refusal also names its
 * reason as a message key through `why` (may be NULL):
 *   RC_NOT_FOUND  reg.err.not_found    no such (published) event or registration
 *   RC_CLOSED     reg.err.not_open     before reg_opens_at
 *                 reg.err.closed       after reg_closes_at or the event's start
 *                 reg.err.no_signup    the event takes no registrations (capacity 0)
 *   RC_INVALID    reg.err.party        party size outside 1..max_party ({1} = max_party)
 *   RC_CONFLICT   reg.err.duplicate    the e-mail already holds a live registration
 *   RC_STATE      reg.err.cancelled    the registration was cancelled before
 *                 checkin.err.not_confirmed  check-in of a waiting or cancelled one
 *   RC_ERROR      reg.err.failed       storage failure
 */
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
 * with REG_PHONE_MIN_DIGITS..REG_PHONE_MAX_DIGITS digits.  The message key
 * for false is REG_PHONE_KEY. */
bool registration_phone_ok(const char *phone);
#define REG_PHONE_KEY "reg.err.phone"

/* Read event id's registration facts into *ev (strings in a).  RC_OK,
 * RC_NOT_FOUND (absent or unpublished) or RC_ERROR. */
enum rc registration_event(struct db *db, struct arena *a, int64_t id, struct reg_event *ev);

/* Is the window open at now: RC_OK, or RC_CLOSED with *why
 * reg.err.not_open, reg.err.closed or reg.err.no_signup.  Pure. */
enum rc registration_window(const struct reg_event *ev, int64_t now, const char **why);

/*
 * Register r (fields validated by the caller; r->event_id set) at now.
 * In one write transaction: the event's window and party size are checked,
 * a live registration with the same e-mail refused (RC_CONFLICT), and the
 * registration stored as confirmed when it fits in the places left and no
 * one is waiting, as waiting otherwise.  A confirmation (reg.mail.*, in the
 * thread's language) is queued to the e-mail.  On RC_OK r->id and r->status
 * are set and *token is the secret (in a) — the only time it exists in
 * clear.  Refusals as listed above, with *why.  ev (may be NULL) receives
 * the event's facts, e.g. max_party for reg.err.party's {1}.
 */
enum rc registration_create(struct db *db, struct arena *a, struct registration *r, int64_t now,
			    char **token, struct reg_event *ev, const char **why);

/* Find the registration whose token is token: RC_OK, RC_NOT_FOUND or
 * RC_ERROR.  Strings in a. */
enum rc registration_by_token(struct db *db, struct arena *a, const char *token,
			      struct registration *out);

/*
 * Cancel the registration whose token is token, then promote waiting
 * registrations of the event in order while the next one fits, notifying
 * each; all in one write transaction.  RC_OK (with *promoted, may be NULL,
 * the number promoted), RC_NOT_FOUND, RC_STATE (reg.err.cancelled) or
 * RC_ERROR, with *why.
 */
enum rc registration_cancel(struct db *db, struct arena *a, const char *token, int64_t now,
			    int *promoted, const char **why);

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

/* Registration id of event event_id: RC_OK, RC_NOT_FOUND or RC_ERROR. */
enum rc registration_by_id(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			   struct registration *out);

/*
 * Check in registration id of event event_id: set attended_at to now and
 * record it in the audit log as user_id, in one transaction (strings in a).
 * RC_OK, with *already (may be NULL) true when it was checked in before and
 * nothing changed; RC_NOT_FOUND, RC_STATE (checkin.err.not_confirmed:
 * waiting or cancelled, only confirmed people have a place) or RC_ERROR,
 * with *why.
 */
enum rc registration_attend(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			    int64_t now, int64_t user_id, bool *already, const char **why);

/*
 * transitional: the old spellings for src/cli/demo_registrations.c, which
 * still uses them; remove when it is converted (it calls
 * registration_create() without `why`, and prints only the generic key of
 * a failure to stderr).
 */
#define reg_rc				       rc
#define REG_OK				       RC_OK
#define REG_DUPLICATE			       RC_CONFLICT
#define registration_message(a, rc, max_party) ((void)(a), (void)(max_party), rc_key(rc))
#define REG_CREATE_(db, a, r, now, token, ev, why, ...)                                            \
	registration_create(db, a, r, now, token, ev, why)
#define registration_create(...) REG_CREATE_(__VA_ARGS__, NULL, 0)

#endif
