/*
 * registration: see registration.h.
 *
 * The capacity rule lives in one place, decide_status(), and is applied
 * only between db_begin() (BEGIN IMMEDIATE: the write lock is taken before
 * the first read) and db_commit(), so two sign-ups can never both read the
 * same count of places left.
 */
#include "events/registration.h"
#include "core/audit.h"
#include "accounts/auth.h"
#include "notifications/outbox.h"
#include "util/jp.h"

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

enum reg_rc registration_event(struct db *db, struct arena *a, int64_t id, struct reg_event *ev)
{
	struct db_stmt *st = db_stmt(db, STMT_REG_EVENT);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_DONE)
		return REG_NOT_FOUND;
	if (rc != DB_ROW)
		return REG_ERROR;
	*ev = (struct reg_event){
	    .id = db_int(st, 0),
	    .title = arena_strdup(a, db_text(st, 1) ? db_text(st, 1) : ""),
	    .starts_at = db_int(st, 2),
	    .ends_at = db_int(st, 3),
	    .capacity = db_int(st, 4),
	    .max_party = db_int(st, 5),
	    .reg_opens_at = db_int(st, 6),
	    .reg_closes_at = db_int(st, 7),
	};
	db_reset(st);
	return REG_OK;
}

enum reg_rc registration_window(const struct reg_event *ev, int64_t now)
{
	if (ev->capacity <= 0)
		return REG_NO_SIGNUP;
	if (ev->reg_opens_at && now < ev->reg_opens_at)
		return REG_NOT_OPEN;
	if ((ev->reg_closes_at && now >= ev->reg_closes_at) || now >= ev->starts_at)
		return REG_CLOSED;
	return REG_OK;
}

/* Confirmed when the party fits in the places left and no one waits ahead
 * of it (first come, first served), waiting otherwise. */
static const char *decide_status(int64_t capacity, int64_t confirmed, int64_t waiting,
				 int64_t party)
{
	return waiting == 0 && confirmed + party <= capacity ? "confirmed" : "waiting";
}

static int64_t single_int(struct db *db, enum stmt id, int64_t arg, int *rc)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, arg);
	int64_t v = 0;
	int r = db_step(st);
	if (r == DB_ROW) {
		v = db_int(st, 0);
		db_reset(st);
	} else {
		*rc = REG_ERROR;
	}
	return v;
}

enum reg_rc registration_create(struct db *db, struct arena *a, struct registration *r, int64_t now,
				char **token, struct reg_event *evout)
{
	struct reg_event ev = {0};
	int rc = REG_OK;
	if (db_begin(db) != DB_OK)
		return REG_ERROR;
	rc = registration_event(db, a, r->event_id, &ev);
	if (evout)
		*evout = ev;
	if (rc != REG_OK)
		goto rollback;
	if ((rc = registration_window(&ev, now)) != REG_OK)
		goto rollback;
	int64_t party = r->adults + r->children;
	if (r->adults < 0 || r->children < 0 || party < 1 || party > ev.max_party) {
		rc = REG_PARTY;
		goto rollback;
	}
	struct db_stmt *st = db_stmt(db, STMT_REG_DUPLICATE);
	db_bind_int(st, 1, r->event_id);
	db_bind_str(st, 2, r->email);
	int s = db_step(st);
	if (s == DB_ROW) {
		db_reset(st);
		rc = REG_DUPLICATE;
		goto rollback;
	}
	if (s != DB_DONE) {
		rc = REG_ERROR;
		goto rollback;
	}
	int64_t confirmed = single_int(db, STMT_REG_CONFIRMED_PEOPLE, r->event_id, &rc);
	int64_t waiting = single_int(db, STMT_REG_WAITING_COUNT, r->event_id, &rc);
	if (rc != REG_OK)
		goto rollback;
	r->status = decide_status(ev.capacity, confirmed, waiting, party);
	char *tok = auth_new_token(a);
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
		rc = REG_ERROR;
		goto rollback;
	}
	r->id = db_last_id(db);
	r->created_at = now;
	/* The mail carries the secret link: the registrant has no account, so
	 * the link is the only way back to the registration. */
	bool ok = strcmp(r->status, "confirmed") == 0;
	const char *link = arena_printf(a, "/r/%s", tok);
	const char *body =
	    arena_printf(a,
			 "%s 様\n\n「%s」への申し込みを%sました（%lld名）。\n\n"
			 "申し込みの確認・取り消しは次のリンクから行えます。\n%s\n"
			 "%s"
			 "このリンクは他の人に知らせないでください。\n",
			 r->name, ev.title, ok ? "受け付け" : "キャンセル待ちとして受け付け",
			 (long long)party, link,
			 ok ? arena_printf(a, "当日の受付用QRコード: %s/qr.png\n", link)
			    : "定員に空きが出たら、順番に参加確定のお知らせをお送りします。\n");
	if (notify_email(
		db, r->email, ok ? "registration" : "registration_waiting",
		arena_printf(a, "【%s】%s", ok ? "申し込み完了" : "キャンセル待ち", ev.title), body,
		link) != DB_OK) {
		rc = REG_ERROR;
		goto rollback;
	}
	if (db_commit(db) != DB_OK)
		return REG_ERROR;
	*token = tok;
	return REG_OK;
rollback:
	db_rollback(db);
	return rc;
}

static void read_row(struct arena *a, struct db_stmt *st, struct registration *out);

static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	return arena_strdup(a, db_text(st, i) ? db_text(st, i) : "");
}

enum reg_rc registration_by_token(struct db *db, struct arena *a, const char *token,
				  struct registration *out)
{
	if (!token || strlen(token) != 43)
		return REG_NOT_FOUND;
	struct db_stmt *st = db_stmt(db, STMT_REG_BY_TOKEN);
	db_bind_str(st, 1, auth_token_hash(a, token));
	int rc = db_step(st);
	if (rc == DB_DONE)
		return REG_NOT_FOUND;
	if (rc != DB_ROW)
		return REG_ERROR;
	read_row(a, st, out);
	db_reset(st);
	return REG_OK;
}

enum reg_rc registration_by_id(struct db *db, struct arena *a, int64_t event_id, int64_t id,
			       struct registration *out)
{
	struct db_stmt *st = db_stmt(db, STMT_REG_BY_ID);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, event_id);
	int rc = db_step(st);
	if (rc == DB_DONE)
		return REG_NOT_FOUND;
	if (rc != DB_ROW)
		return REG_ERROR;
	read_row(a, st, out);
	db_reset(st);
	return REG_OK;
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
	size_t cap = 16, k = 0;
	struct registration *v = arena_alloc(a, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (k == cap) {
			struct registration *w = arena_alloc(a, 2 * cap * sizeof(*v));
			memcpy(w, v, cap * sizeof(*v));
			v = w;
			cap *= 2;
		}
		read_row(a, st, &v[k++]);
	}
	*list = v;
	*n = k;
	return rc == DB_DONE ? 0 : -1;
}

enum reg_rc registration_attend(struct db *db, struct arena *a, int64_t event_id, int64_t id,
				int64_t now, int64_t user_id)
{
	struct registration r;
	enum reg_rc rc;
	if (db_begin(db) != DB_OK)
		return REG_ERROR;
	if ((rc = registration_by_id(db, a, event_id, id, &r)) != REG_OK)
		goto rollback;
	if (strcmp(r.status, "confirmed") != 0) {
		rc = REG_NOT_CONFIRMED;
		goto rollback;
	}
	if (r.attended_at) {
		rc = REG_ATTENDED;
		goto rollback;
	}
	struct db_stmt *st = db_stmt(db, STMT_REG_ATTEND);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, now);
	/* The summary names no one: the audit log outlives the retention
	 * period of the registration itself. */
	if (db_exec(st) != DB_OK ||
	    audit(db, user_id, "attend", "registration", id,
		  arena_printf(a, "出席（催し %lld）", (long long)event_id)) != DB_OK) {
		rc = REG_ERROR;
		goto rollback;
	}
	return db_commit(db) == DB_OK ? REG_OK : REG_ERROR;
rollback:
	db_rollback(db);
	return rc;
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
static int promote(struct db *db, struct arena *a, const struct reg_event *ev, int64_t now,
		   int *promoted)
{
	int rc = REG_OK;
	int64_t confirmed = single_int(db, STMT_REG_CONFIRMED_PEOPLE, ev->id, &rc);
	if (rc != REG_OK)
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
			return REG_ERROR;
		confirmed += w[i].party;
		(*promoted)++;
		const char *body = arena_printf(
		    a,
		    "「%s」のキャンセル待ちから参加が確定しました（%lld名）。\n\n"
		    "申し込みの確認・取り消し、当日の受付用QRコードは、申し込み時にお送りした"
		    "メールのリンクからご覧ください。\n",
		    ev->title, (long long)w[i].party);
		if (notify_email(db, w[i].email, "registration_promoted",
				 arena_printf(a, "【参加確定】%s", ev->title), body,
				 arena_printf(a, "/events/%lld", (long long)ev->id)) != DB_OK)
			return REG_ERROR;
	}
	return REG_OK;
}

enum reg_rc registration_cancel(struct db *db, struct arena *a, const char *token, int64_t now,
				int *promoted)
{
	int np = 0;
	struct registration r;
	struct reg_event ev;
	int rc;
	if (db_begin(db) != DB_OK)
		return REG_ERROR;
	if ((rc = registration_by_token(db, a, token, &r)) != REG_OK)
		goto rollback;
	if (strcmp(r.status, "cancelled") == 0) {
		rc = REG_CANCELLED;
		goto rollback;
	}
	/* The event may since have been unpublished; its facts are still
	 * needed for the promotion. */
	if ((rc = registration_event(db, a, r.event_id, &ev)) == REG_NOT_FOUND) {
		ev = (struct reg_event){.id = r.event_id, .title = r.event_title};
	} else if (rc != REG_OK) {
		goto rollback;
	}
	struct db_stmt *st = db_stmt(db, STMT_REG_CANCEL);
	db_bind_int(st, 1, r.id);
	db_bind_int(st, 2, now);
	if (db_exec(st) != DB_OK) {
		rc = REG_ERROR;
		goto rollback;
	}
	/* No promotion once the event has started: nobody could come. */
	if (ev.capacity > 0 && now < ev.starts_at && (rc = promote(db, a, &ev, now, &np)) != REG_OK)
		goto rollback;
	if (db_commit(db) != DB_OK)
		return REG_ERROR;
	if (promoted)
		*promoted = np;
	return REG_OK;
rollback:
	db_rollback(db);
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

const char *registration_message(struct arena *a, enum reg_rc rc, int64_t max_party)
{
	switch (rc) {
	case REG_OK:
		return "";
	case REG_NOT_FOUND:
		return "お探しの申し込みは見つかりませんでした";
	case REG_NOT_OPEN:
		return "まだ受付を開始していません";
	case REG_CLOSED:
		return "受付は終了しました";
	case REG_NO_SIGNUP:
		return "この催しは申し込みを受け付けていません";
	case REG_PARTY:
		return arena_printf(a, "1回の申し込みは %lld 名までです", (long long)max_party);
	case REG_DUPLICATE:
		return "このメールアドレスでは既に申し込まれています";
	case REG_CANCELLED:
		return "この申し込みは取り消し済みです";
	case REG_NOT_CONFIRMED:
		return "参加が確定していない申し込み（キャンセル待ち・取り消し済み）は出席にできま"
		       "せん";
	case REG_ATTENDED:
		return "既に出席済みです";
	case REG_ERROR:
		break;
	}
	return "処理できませんでした。しばらくしてからもう一度お試しください";
}
