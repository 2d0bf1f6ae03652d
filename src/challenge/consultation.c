/*
 * consultation: slots, bookings and division consultations (see the header).
 *
 * Each write is one transaction (BEGIN IMMEDIATE, so writers queue rather
 * than race) holding the change, its audit entry and its notifications.
 * The state checks inside the transaction give the precise message; the
 * partial unique index on consultation_bookings(slot_id) is what finally
 * guarantees one live booking per slot.
 */
#include "challenge/consultation.h"
#include "core/audit.h"
#include "groups/group.h"
#include "notifications/outbox.h"
#include "core/settings.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/str.h"

#include <string.h>
#include <time.h>

#define CONSULT_DEFAULT_CANCEL_HOURS 24
#define CONSULT_MAX_CANCEL_HOURS     (24 * 365)
/* Staff lists keep slots that ended up to this long ago, for the notes. */
#define CONSULT_STAFF_PAST_DAYS 30
/* The most group members one booking notifies. */
#define CONSULT_MAX_NOTIFY 200

const char *consultation_rc_key(enum rc rc)
{
	switch (rc) {
	case RC_NOT_FOUND:
		return "consult.err.not_found";
	case RC_CONFLICT:
		return "consult.err.taken";
	case RC_CLOSED:
		return "consult.err.past";
	case RC_STATE:
		return "consult.err.state";
	default:
		return rc_key(rc);
	}
}

/* ---- the cancel deadline ---- */

int64_t consultation_cancel_deadline(int64_t starts_at, int64_t hours)
{
	if (hours < 0)
		hours = 0;
	if (hours > CONSULT_MAX_CANCEL_HOURS)
		hours = CONSULT_MAX_CANCEL_HOURS;
	return starts_at - hours * 3600;
}

bool consultation_can_cancel(int64_t now, int64_t starts_at, int64_t hours)
{
	return now <= consultation_cancel_deadline(starts_at, hours);
}

int64_t consultation_cancel_hours(struct db *db)
{
	struct arena a;
	arena_init(&a);
	const char *v = setting_get(db, &a, CONSULT_CANCEL_HOURS_KEY);
	int64_t h;
	/* The setting is free text in the admin form: anything that is not a
	 * whole number of hours falls back to the default. */
	if (str_to_i64(str_c(v), 0, CONSULT_MAX_CANCEL_HOURS, &h) != 0)
		h = CONSULT_DEFAULT_CANCEL_HOURS;
	arena_free(&a);
	return h;
}

const char *consultation_when(struct arena *a, int64_t starts_at, int64_t ends_at)
{
	struct jst s, e;
	jp_unix_to_jst(starts_at, &s);
	jp_unix_to_jst(ends_at, &e);
	struct buf b = BUF_INIT;
	jp_wareki_date(&b, s.y, s.m, s.d, true);
	buf_printf(&b, " %02d:%02d〜", s.hh, s.mi);
	if (e.y != s.y || e.m != s.m || e.d != s.d) {
		jp_wareki_date(&b, e.y, e.m, e.d, true);
		buf_adds(&b, " ");
	}
	buf_printf(&b, "%02d:%02d", e.hh, e.mi);
	char *out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

const char *consultation_place(struct arena *a, const char *place, bool online)
{
	if (!online)
		return place;
	return *place ? msgf(a, "consult.place_online", place) : msg("consult.online");
}

/* ---- reading rows ---- */

/* db_text is NULL for a NULL column. */
static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return arena_strdup(a, s ? s : "");
}

/* A row of CONSULT_SLOT_COLS (sql_sqlite.c). */
static void read_slot(struct arena *a, struct db_stmt *st, bool staff, struct consultation_slot *s)
{
	memset(s, 0, sizeof(*s));
	s->id = db_int(st, 0);
	s->coordinator_id = db_int(st, 1);
	s->starts_at = db_int(st, 2);
	s->ends_at = db_int(st, 3);
	s->place = col(a, st, 4);
	s->online = db_int(st, 5) != 0;
	s->cancelled = db_int(st, 6) != 0;
	s->created_at = db_int(st, 7);
	s->coordinator_name = col(a, st, 8);
	struct consultation_booking *b = &s->booking;
	b->id = db_int(st, 9);
	b->slot_id = s->id;
	b->group_id = db_int(st, 10);
	b->group_name = col(a, st, 11);
	b->call_id = db_int(st, 12);
	b->call_title = col(a, st, 13);
	b->booked_by = db_int(st, 14);
	b->booked_by_name = col(a, st, 15);
	b->booked_at = db_int(st, 16);
	b->done_at = db_int(st, 17);
	b->notes = staff ? col(a, st, 18) : "";
	b->starts_at = s->starts_at;
	b->ends_at = s->ends_at;
	b->coordinator_id = s->coordinator_id;
	b->coordinator_name = s->coordinator_name;
	b->place = s->place;
	b->online = s->online;
}

/* A row of CONSULT_BOOKING_COLS (sql_sqlite.c). */
static void read_booking(struct arena *a, struct db_stmt *st, bool staff,
			 struct consultation_booking *b)
{
	memset(b, 0, sizeof(*b));
	b->id = db_int(st, 0);
	b->slot_id = db_int(st, 1);
	b->group_id = db_int(st, 2);
	b->group_name = col(a, st, 3);
	b->call_id = db_int(st, 4);
	b->call_title = col(a, st, 5);
	b->booked_by = db_int(st, 6);
	b->booked_by_name = col(a, st, 7);
	b->booked_at = db_int(st, 8);
	b->cancelled_at = db_int(st, 9);
	b->done_at = db_int(st, 10);
	b->notes = staff ? col(a, st, 11) : "";
	b->starts_at = db_int(st, 12);
	b->ends_at = db_int(st, 13);
	b->coordinator_id = db_int(st, 14);
	b->coordinator_name = col(a, st, 15);
	b->place = col(a, st, 16);
	b->online = db_int(st, 17) != 0;
}

typedef void (*row_reader)(struct arena *a, struct db_stmt *st, bool staff, void *item);

/*
 * Run a list statement already bound except for its limit (parameter
 * limit_param) and read up to max rows of size bytes each into a new arena
 * array *out through read.
 */
static enum rc collect(struct arena *a, struct db_stmt *st, int limit_param, size_t max,
		       size_t size, row_reader read, bool staff, void *out, size_t *n)
{
	char *items = arena_alloc(a, (max ? max : 1) * size);
	size_t k = 0;
	int rc = DB_DONE;
	db_bind_int(st, limit_param, (int64_t)max);
	while (k < max && (rc = db_step(st)) == DB_ROW)
		read(a, st, staff, items + k++ * size);
	if (rc == DB_ROW)
		db_reset(st);
	else if (rc != DB_DONE)
		return RC_ERROR;
	*(void **)out = items;
	*n = k;
	return RC_OK;
}

static void read_slot_item(struct arena *a, struct db_stmt *st, bool staff, void *item)
{
	read_slot(a, st, staff, item);
}

static void read_booking_item(struct arena *a, struct db_stmt *st, bool staff, void *item)
{
	read_booking(a, st, staff, item);
}

static void read_division_item(struct arena *a, struct db_stmt *st, bool staff, void *item)
{
	(void)staff;
	struct division_consultation *d = item;
	d->id = db_int(st, 0);
	d->group_id = db_int(st, 1);
	d->group_name = col(a, st, 2);
	d->call_id = db_int(st, 3);
	d->call_title = col(a, st, 4);
	d->division_id = db_int(st, 5);
	d->division_name = col(a, st, 6);
	int y, m, dd;
	const char *h = db_text(st, 7);
	d->held_on = h && jp_parse_iso_date(h, strlen(h), &y, &m, &dd) == 0
			 ? (int64_t)y * 10000 + m * 100 + dd
			 : 0;
	d->notes = col(a, st, 8);
	d->recorded_by = db_int(st, 9);
	d->recorded_by_name = col(a, st, 10);
	d->created_at = db_int(st, 11);
}

static void read_choice_item(struct arena *a, struct db_stmt *st, bool staff, void *item)
{
	(void)staff;
	struct consultation_choice *c = item;
	c->id = db_int(st, 0);
	c->name = col(a, st, 1);
}

/* Read the one row of statement id for key with read (RC_NOT_FOUND when
 * there is none). */
static enum rc get_one(struct db *db, struct arena *a, enum stmt id, int64_t key, bool staff,
		       row_reader read, void *out)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, key);
	int rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? RC_NOT_FOUND : RC_ERROR;
	read(a, st, staff, out);
	db_reset(st);
	return RC_OK;
}

enum rc consultation_slot_get(struct db *db, struct arena *a, int64_t slot_id, bool staff,
			      struct consultation_slot *out)
{
	return get_one(db, a, STMT_CONSULT_SLOT_GET, slot_id, staff, read_slot_item, out);
}

enum rc consultation_booking_get(struct db *db, struct arena *a, int64_t booking_id, bool staff,
				 struct consultation_booking *out)
{
	return get_one(db, a, STMT_CONSULT_BOOKING_GET, booking_id, staff, read_booking_item, out);
}

enum rc consultation_free_slots(struct db *db, struct arena *a, int64_t now, size_t max,
				struct consultation_slot **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_CONSULT_SLOTS_FREE);
	db_bind_int(st, 1, now);
	return collect(a, st, 2, max, sizeof(**out), read_slot_item, false, out, n);
}

enum rc consultation_staff_slots(struct db *db, struct arena *a, int64_t coordinator_id,
				 int64_t now, size_t max, struct consultation_slot **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_CONSULT_SLOTS_STAFF);
	db_bind_int(st, 1, coordinator_id);
	db_bind_int(st, 2, now - (int64_t)CONSULT_STAFF_PAST_DAYS * 86400);
	return collect(a, st, 3, max, sizeof(**out), read_slot_item, true, out, n);
}

enum rc consultation_member_bookings(struct db *db, struct arena *a, int64_t user_id, size_t max,
				     struct consultation_booking **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_CONSULT_BOOKINGS_OF_MEMBER);
	db_bind_int(st, 1, user_id);
	return collect(a, st, 2, max, sizeof(**out), read_booking_item, false, out, n);
}

enum rc division_consultation_list(struct db *db, struct arena *a, int64_t division_id, size_t max,
				   struct division_consultation **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_DIVCONSULT_LIST);
	db_bind_int(st, 1, division_id);
	return collect(a, st, 2, max, sizeof(**out), read_division_item, false, out, n);
}

/* (id, name) rows of a statement with the limit as parameter 1. */
static enum rc choices(struct db *db, struct arena *a, enum stmt id, size_t max,
		       struct consultation_choice **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, id);
	return collect(a, st, 1, max, sizeof(**out), read_choice_item, false, out, n);
}

enum rc consultation_calls(struct db *db, struct arena *a, size_t max,
			   struct consultation_choice **out, size_t *n)
{
	return choices(db, a, STMT_CONSULT_CALLS_PUBLISHED, max, out, n);
}

enum rc consultation_divisions(struct db *db, struct arena *a, size_t max,
			       struct consultation_choice **out, size_t *n)
{
	return choices(db, a, STMT_CONSULT_DIVISIONS, max, out, n);
}

enum rc consultation_user_division(struct db *db, struct arena *a, int64_t user_id,
				   struct consultation_choice *out)
{
	return get_one(db, a, STMT_CONSULT_USER_DIVISION, user_id, false, read_choice_item, out);
}

/* ---- notifications ---- */

/* A notification's subject and lead sentence, by kind. */
struct notice {
	const char *kind, *subject_key, *lead_key;
};

static const struct notice booked_notice = {"booking", "consult.notify.booked.subject",
					    "consult.notify.booked.lead"};
static const struct notice cancelled_notice = {
    "booking_cancelled", "consult.notify.cancelled.subject", "consult.notify.cancelled.lead"};
static const struct notice slot_cancelled_notice = {"booking_cancelled",
						    "consult.notify.slot_cancelled.subject",
						    "consult.notify.slot_cancelled.lead"};

/*
 * Notify the slot's coordinator and every member of the booking's group
 * (each once) about b.  Runs inside the caller's transaction.
 */
static int notify_booking(struct db *db, struct arena *a, const struct consultation_booking *b,
			  const struct notice *n)
{
	const char *subject = msg(n->subject_key);
	const char *body =
	    msgf(a, "consult.notify.body", msg(n->lead_key), b->group_name,
		 consultation_when(a, b->starts_at, b->ends_at),
		 consultation_place(a, b->place, b->online), b->coordinator_name,
		 *b->call_title ? msgf(a, "consult.notify.call_line", b->call_title) : "");
	int64_t sent[CONSULT_MAX_NOTIFY];
	size_t nsent = 0;
	if (notify(db, b->coordinator_id, n->kind, subject, body, "/consultations") != DB_OK)
		return -1;
	sent[nsent++] = b->coordinator_id;

	/* Collect first: notify() runs statements of its own. */
	struct db_stmt *st = db_stmt(db, STMT_GROUP_MEMBERS);
	db_bind_int(st, 1, b->group_id);
	int rc;
	while (nsent < CONSULT_MAX_NOTIFY && (rc = db_step(st)) == DB_ROW) {
		int64_t uid = db_int(st, 0);
		bool dup = false;
		for (size_t i = 0; i < nsent; i++)
			dup |= sent[i] == uid;
		if (!dup)
			sent[nsent++] = uid;
	}
	if (nsent == CONSULT_MAX_NOTIFY)
		db_reset(st);
	else if (rc != DB_DONE)
		return -1;
	for (size_t i = 1; i < nsent; i++)
		if (notify(db, sent[i], n->kind, subject, body, "/consultations") != DB_OK)
			return -1;
	return 0;
}

/*
 * Every write below runs in one transaction with its scratch arena: it
 * ends through undo() (roll back, with the reason) or done() (commit).
 * Audit summaries are stored in the catalogue's words (consult.audit.*).
 */

/* Roll back the write in progress, release a, and return rc. */
static enum rc undo(struct db *db, struct arena *a, enum rc rc)
{
	db_rollback(db);
	arena_free(a);
	return rc;
}

/* Commit the write in progress and release a: RC_OK, or RC_ERROR (rolled
 * back) when the commit fails. */
static enum rc done(struct db *db, struct arena *a)
{
	if (db_commit(db) != DB_OK)
		return undo(db, a, RC_ERROR);
	arena_free(a);
	return RC_OK;
}

/* Set *why (when asked for) to key and return rc. */
static enum rc refused(enum rc rc, const char *key, const char **why)
{
	if (why)
		*why = key;
	return rc;
}

/* ---- slots ---- */

enum rc consultation_slot_create(struct db *db, int64_t coordinator_id, int64_t starts_at,
				 int64_t ends_at, const char *place, bool online, int64_t actor_id,
				 int64_t *id)
{
	struct arena a;
	if (ends_at <= starts_at || db_begin(db) != DB_OK)
		return RC_ERROR;
	arena_init(&a);
	struct db_stmt *st = db_stmt(db, STMT_CONSULT_SLOT_INSERT);
	db_bind_int(st, 1, coordinator_id);
	db_bind_int(st, 2, starts_at);
	db_bind_int(st, 3, ends_at);
	db_bind_str(st, 4, place ? place : "");
	db_bind_int(st, 5, online);
	db_bind_int(st, 6, (int64_t)time(NULL));
	if (db_exec(st) != DB_OK)
		return undo(db, &a, RC_ERROR);
	*id = db_last_id(db);
	const char *summary =
	    msgf(&a, "consult.audit.slot_created", consultation_when(&a, starts_at, ends_at),
		 place ? place : "", online ? msg("consult.audit.online") : "");
	if (audit(db, actor_id, "create", "consultation_slot", *id, summary) != DB_OK)
		return undo(db, &a, RC_ERROR);
	return done(db, &a);
}

/* Cancel the live booking b (in the caller's transaction) with its audit
 * entry (summary_key: group, when) and its notification.  0 or -1. */
static int cancel_booking(struct db *db, struct arena *a, const struct consultation_booking *b,
			  int64_t actor_id, int64_t now, const char *summary_key,
			  const struct notice *n)
{
	struct db_stmt *st = db_stmt(db, STMT_CONSULT_BOOKING_CANCEL);
	db_bind_int(st, 1, b->id);
	db_bind_int(st, 2, now);
	if (db_exec(st) != DB_OK)
		return -1;
	const char *summary =
	    msgf(a, summary_key, b->group_name, consultation_when(a, b->starts_at, b->ends_at));
	if (audit(db, actor_id, "cancel", "consultation_booking", b->id, summary) != DB_OK)
		return -1;
	return notify_booking(db, a, b, n);
}

enum rc consultation_slot_cancel(struct db *db, int64_t slot_id, int64_t actor_id, bool is_admin,
				 int64_t now)
{
	struct arena a;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	arena_init(&a);
	struct consultation_slot s;
	enum rc rc = consultation_slot_get(db, &a, slot_id, true, &s);
	if (rc != RC_OK)
		return undo(db, &a, rc);
	if (!is_admin && s.coordinator_id != actor_id)
		return undo(db, &a, RC_FORBIDDEN);
	/* A consultation that took place stays on record with its slot. */
	if (s.cancelled || s.booking.done_at)
		return undo(db, &a, RC_STATE);
	struct db_stmt *st = db_stmt(db, STMT_CONSULT_SLOT_CANCEL);
	db_bind_int(st, 1, slot_id);
	if (db_exec(st) != DB_OK)
		return undo(db, &a, RC_ERROR);
	const char *summary =
	    msgf(&a, "consult.audit.slot_cancelled", consultation_when(&a, s.starts_at, s.ends_at));
	if (audit(db, actor_id, "cancel", "consultation_slot", slot_id, summary) != DB_OK)
		return undo(db, &a, RC_ERROR);
	if (s.booking.id && cancel_booking(db, &a, &s.booking, actor_id, now,
					   "consult.audit.booking_cancelled_with_slot",
					   &slot_cancelled_notice) != 0)
		return undo(db, &a, RC_ERROR);
	return done(db, &a);
}

/* ---- bookings ---- */

enum rc consultation_book(struct db *db, int64_t slot_id, int64_t group_id, int64_t call_id,
			  int64_t user_id, int64_t now, int64_t *id, const char **why)
{
	struct arena a;
	refused(RC_ERROR, "rc.error", why); /* until a precise reason is known */
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	arena_init(&a);
	if (!group_is_member(db, group_id, user_id))
		return undo(db, &a, refused(RC_FORBIDDEN, "rc.forbidden", why));
	struct consultation_slot s;
	enum rc rc = consultation_slot_get(db, &a, slot_id, false, &s);
	if (rc != RC_OK)
		return undo(db, &a, refused(rc, consultation_rc_key(rc), why));
	if (s.cancelled || s.starts_at <= now)
		return undo(db, &a, refused(RC_CLOSED, "consult.err.past", why));
	if (s.booking.id)
		return undo(db, &a, refused(RC_CONFLICT, "consult.err.taken", why));
	struct db_stmt *st;
	if (call_id) {
		st = db_stmt(db, STMT_CONSULT_CALL_TITLE);
		db_bind_int(st, 1, call_id);
		if (db_step(st) != DB_ROW)
			return undo(db, &a, refused(RC_NOT_FOUND, "consult.err.not_found", why));
		db_reset(st);
	}
	st = db_stmt(db, STMT_CONSULT_BOOKING_INSERT);
	db_bind_int(st, 1, slot_id);
	db_bind_int(st, 2, group_id);
	if (call_id)
		db_bind_int(st, 3, call_id);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, user_id);
	db_bind_int(st, 5, now);
	int dbrc = db_exec(st);
	/* The unique index: someone booked between our check and now. */
	if (dbrc == DB_CONSTRAINT)
		return undo(db, &a, refused(RC_CONFLICT, "consult.err.taken", why));
	if (dbrc != DB_OK)
		return undo(db, &a, RC_ERROR);
	*id = db_last_id(db);
	struct consultation_booking b;
	if (consultation_booking_get(db, &a, *id, false, &b) != RC_OK)
		return undo(db, &a, RC_ERROR);
	const char *summary = msgf(&a, "consult.audit.booked", b.group_name,
				   consultation_when(&a, b.starts_at, b.ends_at));
	if (audit(db, user_id, "create", "consultation_booking", *id, summary) != DB_OK ||
	    notify_booking(db, &a, &b, &booked_notice) != 0)
		return undo(db, &a, RC_ERROR);
	rc = done(db, &a);
	if (rc == RC_OK && why)
		*why = NULL;
	return rc;
}

enum rc consultation_booking_cancel(struct db *db, int64_t booking_id, int64_t actor_id,
				    bool is_admin, int64_t now, const char **why)
{
	struct arena a;
	refused(RC_ERROR, "rc.error", why); /* until a precise reason is known */
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	arena_init(&a);
	struct consultation_booking b;
	enum rc rc = consultation_booking_get(db, &a, booking_id, true, &b);
	if (rc != RC_OK)
		return undo(db, &a, refused(rc, consultation_rc_key(rc), why));
	bool staff = is_admin || b.coordinator_id == actor_id;
	if (!staff && !group_is_member(db, b.group_id, actor_id))
		return undo(db, &a, refused(RC_FORBIDDEN, "rc.forbidden", why));
	if (b.cancelled_at || b.done_at)
		return undo(db, &a, refused(RC_STATE, "consult.err.state", why));
	if (!staff && !consultation_can_cancel(now, b.starts_at, consultation_cancel_hours(db)))
		return undo(db, &a, refused(RC_CLOSED, "consult.err.deadline", why));
	if (cancel_booking(db, &a, &b, actor_id, now, "consult.audit.booking_cancelled",
			   &cancelled_notice) != 0)
		return undo(db, &a, RC_ERROR);
	rc = done(db, &a);
	if (rc == RC_OK && why)
		*why = NULL;
	return rc;
}

enum rc consultation_booking_done(struct db *db, int64_t booking_id, const char *notes,
				  int64_t actor_id, bool is_admin, int64_t now)
{
	struct arena a;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	arena_init(&a);
	struct consultation_booking b;
	enum rc rc = consultation_booking_get(db, &a, booking_id, true, &b);
	if (rc != RC_OK)
		return undo(db, &a, rc);
	if (!is_admin && b.coordinator_id != actor_id)
		return undo(db, &a, RC_FORBIDDEN);
	if (b.cancelled_at)
		return undo(db, &a, RC_STATE);
	struct db_stmt *st = db_stmt(db, STMT_CONSULT_BOOKING_DONE);
	db_bind_int(st, 1, booking_id);
	db_bind_int(st, 2, now);
	db_bind_str(st, 3, notes ? notes : "");
	if (db_exec(st) != DB_OK)
		return undo(db, &a, RC_ERROR);
	/* The notes are personal data: the audit log says that they changed,
	 * not what they say. */
	const char *summary =
	    msgf(&a, b.done_at ? "consult.audit.notes_updated" : "consult.audit.done", b.group_name,
		 consultation_when(&a, b.starts_at, b.ends_at));
	if (audit(db, actor_id, b.done_at ? "update" : "done", "consultation_booking", booking_id,
		  summary) != DB_OK)
		return undo(db, &a, RC_ERROR);
	return done(db, &a);
}

/* ---- division consultations ---- */

enum rc division_consultation_record(struct db *db, int64_t group_id, int64_t call_id,
				     int64_t division_id, int64_t held_on, const char *notes,
				     int64_t actor_id, int64_t *id)
{
	struct arena a;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	arena_init(&a);
	const char *date = arena_printf(&a, "%04d-%02d-%02d", (int)(held_on / 10000),
					(int)(held_on / 100 % 100), (int)(held_on % 100));
	struct db_stmt *st = db_stmt(db, STMT_DIVCONSULT_INSERT);
	db_bind_int(st, 1, group_id);
	if (call_id)
		db_bind_int(st, 2, call_id);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, division_id);
	db_bind_str(st, 4, date);
	db_bind_str(st, 5, notes ? notes : "");
	db_bind_int(st, 6, actor_id);
	db_bind_int(st, 7, (int64_t)time(NULL));
	int rc = db_exec(st);
	/* A group, call or division that does not exist (foreign keys). */
	if (rc != DB_OK)
		return undo(db, &a, rc == DB_CONSTRAINT ? RC_NOT_FOUND : RC_ERROR);
	*id = db_last_id(db);
	const char *summary = msgf(&a, "consult.audit.division_recorded",
				   arena_printf(&a, "%lld", (long long)group_id),
				   arena_printf(&a, "%lld", (long long)division_id), date);
	if (audit(db, actor_id, "create", "division_consultation", *id, summary) != DB_OK)
		return undo(db, &a, RC_ERROR);
	return done(db, &a);
}

/* ---- requirements ---- */

/* 1 when the statement (bound with group, call) yields a row, 0 when not,
 * -1 on error. */
static int exists(struct db *db, enum stmt id, int64_t group_id, int64_t call_id)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, call_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		db_reset(st);
		return 1;
	}
	return rc == DB_DONE ? 0 : -1;
}

int consultation_requirements(struct db *db, int64_t group_id, int64_t call_id,
			      bool *coordinator_done, bool *division_done)
{
	*coordinator_done = *division_done = false;
	int c = exists(db, STMT_CONSULT_DONE_FOR, group_id, call_id);
	int d = c < 0 ? -1 : exists(db, STMT_DIVCONSULT_EXISTS, group_id, call_id);
	if (c < 0 || d < 0)
		return -1;
	*coordinator_done = c == 1;
	*division_done = d == 1;
	return 0;
}
