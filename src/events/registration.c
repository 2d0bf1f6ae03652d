/*
 * registration: see registration.h.
 *
 * The capacity rule lives in one place, decide_status(), and is applied
 * only between db_begin() (BEGIN IMMEDIATE: the write lock is taken before
 * the first read) and db_commit(), so two sign-ups can never both read the
 * same count of places left.
 */
#include "events/registration.h"
#include "accounts/auth.h"
#include "core/audit.h"
#include "notifications/outbox.h"
#include "store/row.h"
#include "util/jp.h"
#include "util/msg.h"

#include <ctype.h>
#include <string.h>

bool registration_phone_ok(const char *phone)
{
	int digits = 0;
	if (!phone || !*phone)
		return true;
	for (const char *p = phone; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("-+() ", *p))
			return false;
	}
	return digits >= REG_PHONE_MIN_DIGITS && digits <= REG_PHONE_MAX_DIGITS;
}

/* Set *why (may be NULL) to key and return rc. */
static enum rc refuse(enum rc rc, const char **why, const char *key)
{
	if (why)
		*why = key;
	return rc;
}

/*
 * End a write transaction begun with db_begin(): commit when rc is RC_OK,
 * roll back otherwise (and after a failed commit, which may leave the
 * transaction open).  Returns the outcome with its reason in *why: reason
 * for a refusal, reg.err.not_found or reg.err.failed when none is given.
 */
static enum rc finish(struct db *db, enum rc rc, const char **why, const char *reason)
{
	if (rc == RC_OK && db_commit(db) == DB_OK)
		return RC_OK;
	db_rollback(db);
	if (rc == RC_OK || rc == RC_ERROR)
		return refuse(RC_ERROR, why, "reg.err.failed");
	return refuse(rc, why,
		      reason		   ? reason
		      : rc == RC_NOT_FOUND ? "reg.err.not_found"
					   : "reg.err.failed");
}

static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	return arena_strdup(a, db_text(st, i) ? db_text(st, i) : "");
}

/* A REG_EVENT row into *(struct reg_event *)out. */
static void read_event(struct db_stmt *st, struct arena *a, void *out)
{
	*(struct reg_event *)out = (struct reg_event){
	    .id = db_int(st, 0),
	    .title = col(a, st, 1),
	    .starts_at = db_int(st, 2),
	    .ends_at = db_int(st, 3),
	    .capacity = db_int(st, 4),
	    .max_party = db_int(st, 5),
	    .reg_opens_at = db_int(st, 6),
	    .reg_closes_at = db_int(st, 7),
	};
}

enum rc registration_event(struct db *db, struct arena *a, int64_t id, struct reg_event *ev)
{
	return db_get(db, STMT_REG_EVENT, id, read_event, a, ev);
}

enum rc registration_window(const struct reg_event *ev, int64_t now, const char **why)
{
	if (ev->capacity <= 0)
		return refuse(RC_CLOSED, why, "reg.err.no_signup");
	if (ev->reg_opens_at && now < ev->reg_opens_at)
		return refuse(RC_CLOSED, why, "reg.err.not_open");
	if ((ev->reg_closes_at && now >= ev->reg_closes_at) || now >= ev->starts_at)
		return refuse(RC_CLOSED, why, "reg.err.closed");
	return RC_OK;
}

/* Confirmed when the party fits in the places left and no one waits ahead
 * of it (first come, first served), waiting otherwise. */
static const char *decide_status(int64_t capacity, int64_t confirmed, int64_t waiting,
				 int64_t party)
{
	return waiting == 0 && confirmed + party <= capacity ? "confirmed" : "waiting";
}

/* The first column of statement id's row for arg; *rc becomes RC_ERROR
 * when there is none. */
static int64_t single_int(struct db *db, enum stmt id, int64_t arg, enum rc *rc)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, arg);
	int64_t v = 0;
	int r = db_step(st);
	if (r == DB_ROW) {
		v = db_int(st, 0);
		db_reset(st);
	} else {
		*rc = RC_ERROR;
	}
	return v;
}

/* Queue the confirmation of r (just stored as r->status) with its secret
 * link: the registrant has no account, so the link is the only way back
 * to the registration.  DB_OK or an error. */
static int mail_confirmation(struct db *db, struct arena *a, const struct registration *r,
			     const struct reg_event *ev, const char *tok)
{
	bool ok = strcmp(r->status, "confirmed") == 0;
	const char *link = arena_printf(a, "/r/%s", tok);
	const char *party = arena_printf(a, "%lld", (long long)(r->adults + r->children));
	const char *subject =
	    msgf(a, ok ? "reg.mail.confirmed.subject" : "reg.mail.waiting.subject", ev->title);
	const char *body = msgf(a, ok ? "reg.mail.confirmed.body" : "reg.mail.waiting.body",
				r->name, ev->title, party, link);
	return notify_email(db, r->email, ok ? "registration" : "registration_waiting", subject,
			    body, link);
}

/* Parenthesised: the name is not the transitional macro of the header. */
enum rc(registration_create)(struct db *db, struct arena *a, struct registration *r, int64_t now,
			     char **token, struct reg_event *evout, const char **why)
{
	struct reg_event ev = {0};
	enum rc rc = RC_OK;
	const char *reason = NULL;
	char *tok = NULL;
	if (db_begin(db) != DB_OK)
		return refuse(RC_ERROR, why, "reg.err.failed");
	rc = registration_event(db, a, r->event_id, &ev);
	if (evout)
		*evout = ev;
	if (rc != RC_OK)
		goto done;
	if ((rc = registration_window(&ev, now, &reason)) != RC_OK)
		goto done;
	int64_t party = r->adults + r->children;
	if (r->adults < 0 || r->children < 0 || party < 1 || party > ev.max_party) {
		rc = RC_INVALID;
		reason = "reg.err.party";
		goto done;
	}
	struct db_stmt *st = db_stmt(db, STMT_REG_DUPLICATE);
	db_bind_int(st, 1, r->event_id);
	db_bind_str(st, 2, r->email);
	int s = db_step(st);
	if (s == DB_ROW) {
		db_reset(st);
		rc = RC_CONFLICT;
		reason = "reg.err.duplicate";
		goto done;
	}
	if (s != DB_DONE) {
		rc = RC_ERROR;
		goto done;
	}
	int64_t confirmed = single_int(db, STMT_REG_CONFIRMED_PEOPLE, r->event_id, &rc);
	int64_t waiting = single_int(db, STMT_REG_WAITING_COUNT, r->event_id, &rc);
	if (rc != RC_OK)
		goto done;
	r->status = decide_status(ev.capacity, confirmed, waiting, party);
	tok = auth_new_token(a);
	st = db_stmt(db, STMT_REG_INSERT);
	db_bind_int(st, 1, r->event_id);
	db_bind_str(st, 2, auth_token_hash(a, tok));
	db_bind_str(st, 3, r->name);
	db_bind_str(st, 4, r->name_kana);
	db_bind_str(st, 5, r->email);
	db_bind_str(st, 6, r->phone ? r->phone : "");
	db_bind_int(st, 7, r->adults);
	db_bind_int(st, 8, r->children);
	db_bind_str(st, 9, r->notes ? r->notes : "");
	db_bind_str(st, 10, r->access_needs ? r->access_needs : "");
	db_bind_str(st, 11, r->status);
	db_bind_int(st, 12, now);
	if (db_exec(st) != DB_OK) {
		rc = RC_ERROR;
		goto done;
	}
	r->id = db_last_id(db);
	r->created_at = now;
	if (mail_confirmation(db, a, r, &ev, tok) != DB_OK)
		rc = RC_ERROR;
done:
	rc = finish(db, rc, why, reason);
	if (rc == RC_OK)
		*token = tok;
	return rc;
}

static void read_row(struct arena *a, struct db_stmt *st, struct registration *out);

/* Step st, a REG_SELECT bound to one registration, into *out. */
static enum rc read_one(struct db_stmt *st, struct arena *a, struct registration *out)
{
	int rc = db_step(st);
	if (rc == DB_DONE)
		return RC_NOT_FOUND;
	if (rc != DB_ROW)
		return RC_ERROR;
	read_row(a, st, out);
	db_reset(st);
	return RC_OK;
}

enum rc registration_by_token(struct db *db, struct arena *a, const char *token,
			      struct registration *out)
{
	if (!token || strlen(token) != 43)
		return RC_NOT_FOUND;
	struct db_stmt *st = db_stmt(db, STMT_REG_BY_TOKEN);
	db_bind_str(st, 1, auth_token_hash(a, token));
	return read_one(st, a, out);
}

enum rc registration_by_id(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			   struct registration *out)
{
	struct db_stmt *st = db_stmt(db, STMT_REG_BY_ID);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, event_id);
	return read_one(st, a, out);
}

int registration_list(struct db *db, struct arena *a, int64_t event_id, const char *q,
		      struct registration **list, size_t *n)
{
	bool all = !q || !*q;
	struct db_stmt *st = db_stmt(db, all ? STMT_REG_LIST : STMT_REG_SEARCH);
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, REG_LIST_MAX);
	if (!all) {
		/* Readings are stored in katakana; a term that is a reading
		 * (typed in hiragana or half-width) is compared in that form. */
		char *kana = NULL;
		db_bind_like(st, 3, q);
		db_bind_like(st, 4, jp_kana_normalize(a, q, strlen(q), &kana) == 0 ? kana : q);
	}
	size_t cap = 0, k = 0;
	struct registration *v = NULL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		v = arena_grow(a, v, k, &cap, sizeof(*v));
		read_row(a, st, &v[k++]);
	}
	*list = v;
	*n = k;
	return rc == DB_DONE ? 0 : -1;
}

enum rc registration_attend(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			    int64_t now, int64_t user_id, bool *already, const char **why)
{
	struct registration r;
	enum rc rc;
	const char *reason = NULL;
	if (already)
		*already = false;
	if (db_begin(db) != DB_OK)
		return refuse(RC_ERROR, why, "reg.err.failed");
	if ((rc = registration_by_id(db, a, event_id, id, &r)) != RC_OK)
		goto done;
	if (strcmp(r.status, "confirmed") != 0) {
		rc = RC_STATE;
		reason = "checkin.err.not_confirmed";
		goto done;
	}
	if (r.attended_at) {
		/* Checked in twice (two staff, or a second scan): nothing to do. */
		if (already)
			*already = true;
		goto done;
	}
	struct db_stmt *st = db_stmt(db, STMT_REG_ATTEND);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, now);
	/* The summary names no one: the audit log outlives the retention
	 * period of the registration itself. */
	if (db_exec(st) != DB_OK ||
	    audit(db, user_id, "attend", "registration", id,
		  msgf(a, "checkin.audit.attend", arena_printf(a, "%lld", (long long)event_id))) !=
		DB_OK)
		rc = RC_ERROR;
done:
	return finish(db, rc, why, reason);
}

/* Fill *out from the current row of a REG_SELECT statement. */
static void read_row(struct arena *a, struct db_stmt *st, struct registration *out)
{
	*out = (struct registration){
	    .id = db_int(st, 0),
	    .event_id = db_int(st, 1),
	    .name = col(a, st, 2),
	    .name_kana = col(a, st, 3),
	    .email = col(a, st, 4),
	    .phone = col(a, st, 5),
	    .adults = db_int(st, 6),
	    .children = db_int(st, 7),
	    .notes = col(a, st, 8),
	    .access_needs = col(a, st, 9),
	    .status = col(a, st, 10),
	    .created_at = db_int(st, 11),
	    .cancelled_at = db_int(st, 12),
	    .promoted_at = db_int(st, 13),
	    .attended_at = db_int(st, 14),
	    .anonymised_at = db_int(st, 15),
	    .event_title = col(a, st, 16),
	    .event_starts_at = db_int(st, 17),
	    .token_hash = col(a, st, 18),
	};
}

char *registration_checkin_code(struct arena *a, const struct registration *reg)
{
	return auth_mac(a, "checkin", reg->token_hash);
}

/* Promote waiting registrations of ev in order while the first one still
 * fits; notify each.  Inside the caller's transaction. */
static enum rc promote(struct db *db, struct arena *a, const struct reg_event *ev, int64_t now,
		       int *promoted)
{
	enum rc rc = RC_OK;
	int64_t confirmed = single_int(db, STMT_REG_CONFIRMED_PEOPLE, ev->id, &rc);
	if (rc != RC_OK)
		return rc;
	struct waiter {
		int64_t id, party;
		const char *email;
	} w[64];
	/* Read a batch, then write: a statement is not stepped while others
	 * change the rows it reads. */
	size_t n = 0;
	struct db_stmt *st = db_stmt(db, STMT_REG_WAITING_LIST);
	db_bind_int(st, 1, ev->id);
	int s;
	while (n < sizeof(w) / sizeof(w[0]) && (s = db_step(st)) == DB_ROW)
		w[n++] = (struct waiter){db_int(st, 0), db_int(st, 1), col(a, st, 2)};
	db_reset(st);
	for (size_t i = 0; i < n && confirmed + w[i].party <= ev->capacity; i++) {
		st = db_stmt(db, STMT_REG_PROMOTE);
		db_bind_int(st, 1, w[i].id);
		db_bind_int(st, 2, now);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
		confirmed += w[i].party;
		(*promoted)++;
		const char *body = msgf(a, "reg.mail.promoted.body", ev->title,
					arena_printf(a, "%lld", (long long)w[i].party));
		if (notify_email(db, w[i].email, "registration_promoted",
				 msgf(a, "reg.mail.promoted.subject", ev->title), body,
				 arena_printf(a, "/events/%lld", (long long)ev->id)) != DB_OK)
			return RC_ERROR;
	}
	return RC_OK;
}

enum rc registration_cancel(struct db *db, struct arena *a, const char *token, int64_t now,
			    int *promoted, const char **why)
{
	int np = 0;
	struct registration r;
	struct reg_event ev;
	enum rc rc;
	const char *reason = NULL;
	if (db_begin(db) != DB_OK)
		return refuse(RC_ERROR, why, "reg.err.failed");
	if ((rc = registration_by_token(db, a, token, &r)) != RC_OK)
		goto done;
	if (strcmp(r.status, "cancelled") == 0) {
		rc = RC_STATE;
		reason = "reg.err.cancelled";
		goto done;
	}
	/* The event may since have been unpublished; its facts are still
	 * needed for the promotion. */
	if ((rc = registration_event(db, a, r.event_id, &ev)) == RC_NOT_FOUND) {
		ev = (struct reg_event){.id = r.event_id, .title = r.event_title};
		rc = RC_OK;
	} else if (rc != RC_OK) {
		goto done;
	}
	struct db_stmt *st = db_stmt(db, STMT_REG_CANCEL);
	db_bind_int(st, 1, r.id);
	db_bind_int(st, 2, now);
	if (db_exec(st) != DB_OK) {
		rc = RC_ERROR;
		goto done;
	}
	/* No promotion once the event has started: nobody could come. */
	if (ev.capacity > 0 && now < ev.starts_at)
		rc = promote(db, a, &ev, now, &np);
done:
	rc = finish(db, rc, why, reason);
	if (rc == RC_OK && promoted)
		*promoted = np;
	return rc;
}

int registration_counts(struct db *db, int64_t event_id, struct reg_counts *c)
{
	*c = (struct reg_counts){0};
	struct db_stmt *st = db_stmt(db, STMT_REG_COUNTS);
	db_bind_int(st, 1, event_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *s = db_text(st, 0) ? db_text(st, 0) : "";
		int64_t n = db_int(st, 1), people = db_int(st, 2);
		if (strcmp(s, "confirmed") == 0) {
			c->n_confirmed = n;
			c->confirmed = people;
		} else if (strcmp(s, "waiting") == 0) {
			c->n_waiting = n;
			c->waiting = people;
		} else if (strcmp(s, "cancelled") == 0) {
			c->n_cancelled = n;
			c->cancelled = people;
		}
		c->n_attended += db_int(st, 3);
		c->attended += db_int(st, 4);
	}
	return rc == DB_DONE ? 0 : -1;
}
