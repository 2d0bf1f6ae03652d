/*
 * Notifications (お知らせ): each user's list of what happened to their
 * applications and bookings, and the admin's view of the outbox that
 * mails them (domain/outbox.h).
 */
#include "core/who.h"
#include "notifications/outbox.h"
#include "notifications/handlers.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

#define PER_PAGE 50

static const char *const bad_query = "リクエストの項目が正しくありません。";

/* db_text may be NULL for a NULL column. */
static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return arena_strdup(a, s ? s : "");
}

/* "2025-03-04T18:05+09:00" for <time datetime>. */
static const char *iso_jst(struct arena *a, int64_t t)
{
	time_t jst = (time_t)(t + 9 * 3600);
	struct tm tm;
	gmtime_r(&jst, &tm);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d+09:00", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* Page links for `total` rows: url + "page=N", where url ends in '?' or
 * '&'.  NULL when everything fits on one page. */
static struct tv *pagination(struct req *r, const char *url, int64_t page, int64_t total)
{
	struct arena *a = &r->arena;
	int64_t pages = (total + PER_PAGE - 1) / PER_PAGE;
	if (pages <= 1)
		return NULL;
	struct tv *p = tv_obj(a);
	tv_set_int(p, "current", page);
	tv_set_int(p, "total_pages", pages);
	if (page > 1)
		tv_set_str(p, "prev_url", arena_printf(a, "%spage=%lld", url, (long long)page - 1));
	if (page < pages)
		tv_set_str(p, "next_url", arena_printf(a, "%spage=%lld", url, (long long)page + 1));
	struct tv *items = tv_list(a);
	int64_t from = page - 2 < 1 ? 1 : page - 2, to = page + 2 > pages ? pages : page + 2;
	for (int64_t i = 1; i <= pages; i++) {
		if (i != 1 && i != pages && (i < from || i > to)) {
			/* One gap marker for each run of skipped pages. */
			if (i == from - 1 || i == to + 1) {
				struct tv *gap = tv_obj(a);
				tv_set_bool(gap, "current", false);
				tv_push(items, gap);
			}
			continue;
		}
		struct tv *it = tv_obj(a);
		tv_set_int(it, "number", i);
		tv_set_str(it, "url", arena_printf(a, "%spage=%lld", url, (long long)i));
		tv_set_bool(it, "current", i == page);
		tv_push(items, it);
	}
	tv_set(p, "items", items);
	return p;
}

/* The body as paragraphs (split at blank lines) of lines, for
 * <p>line<br>line</p>: the text is escaped as usual, only the breaks are
 * markup; "first" marks the line without a <br> before it. */
static struct tv *paragraphs(struct arena *a, const char *text)
{
	struct tv *paras = tv_list(a);
	struct tv *lines = NULL;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		size_t n = len;
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0) {
			lines = NULL;
		} else {
			if (!lines) {
				struct tv *para = tv_obj(a);
				lines = tv_list(a);
				tv_set(para, "lines", lines);
				tv_push(paras, para);
			}
			struct tv *line = tv_obj(a);
			tv_set(line, "text", tv_strn(a, p, n));
			tv_set_bool(line, "first", tv_len(lines) == 0);
			tv_push(lines, line);
		}
		p += len + (p[len] == '\n');
	}
	return paras;
}

/* A link is shown only when it is a path on this site. */
static bool local_link(const char *link)
{
	return link[0] == '/' && link[1] != '/' && link[1] != '\\';
}

/* ---- /notifications ------------------------------------------------------ */

enum { NQ_PAGE, NQ__MAX };
static const struct field_spec notification_query[NQ__MAX] = {
    [NQ_PAGE] = {"page", "ページ", F_INT, false, 6, 1, 100000, NULL},
};

void h_notifications(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form q;
	form_check(a, notification_query, NQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, bad_query);
		return;
	}
	int64_t page = q.v[NQ_PAGE].present ? q.v[NQ_PAGE].i : 1;
	int64_t total = 0, unread = 0;
	struct db_stmt *st = db_stmt(db, STMT_NOTIFICATION_COUNT);
	db_bind_int(st, 1, r->user->id);
	if (db_step(st) != DB_ROW) {
		web_error(r, 503,
			  "お知らせを読み込めませんでした。しばらくしてからお試しください。");
		return;
	}
	total = db_int(st, 0);
	unread = db_int(st, 1);
	db_reset(st);
	if (page > 1 && (page - 1) * PER_PAGE >= total) {
		web_error(r, 404, "このページにはお知らせがありません。");
		return;
	}

	struct tv *ctx = page_ctx(r, "お知らせ", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	struct tv *items = tv_list(a);
	st = db_stmt(db, STMT_NOTIFICATION_LIST);
	db_bind_int(st, 1, r->user->id);
	db_bind_int(st, 2, PER_PAGE);
	db_bind_int(st, 3, (page - 1) * PER_PAGE);
	while (db_step(st) == DB_ROW) {
		struct tv *o = tv_obj(a);
		int64_t at = db_int(st, 5);
		const char *link = col(a, st, 4);
		tv_set_int(o, "id", db_int(st, 0));
		tv_set_str(o, "subject", col(a, st, 2));
		tv_set(o, "paragraphs", paragraphs(a, col(a, st, 3)));
		if (local_link(link))
			tv_set_str(o, "link", link);
		tv_set_str(o, "at", page_datetime(a, at));
		tv_set_str(o, "iso", iso_jst(a, at));
		tv_set_bool(o, "unread", db_int(st, 6) != 0);
		tv_push(items, o);
	}
	tv_set(ctx, "items", items);
	tv_set_bool(ctx, "has_items", tv_len(items) > 0);
	tv_set_int(ctx, "total", total);
	tv_set_int(ctx, "unread", unread);
	struct tv *p = pagination(r, "/notifications?", page, total);
	if (p)
		tv_set(ctx, "pages", p);
	page_render(r, 200, "notifications/index", ctx);
}

void h_notifications_read(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	/* The form has no fields of its own (the CSRF token is taken off by
	 * the server); anything else is a bad request. */
	if (r->nform) {
		web_error(r, 400, "送信された項目が正しくありません。");
		return;
	}
	struct db_stmt *st = db_stmt(db, STMT_NOTIFICATION_READ_ALL);
	db_bind_int(st, 1, r->user->id);
	db_bind_int(st, 2, (int64_t)time(NULL));
	if (db_exec(st) != DB_OK) {
		web_error(r, 503, "保存できませんでした。しばらくしてからお試しください。");
		return;
	}
	page_flash(r, "read");
	resp_redirect(r, "/notifications");
}

/* ---- /admin/outbox --------------------------------------------------------- */

static const char *const outbox_states[] = {"pending", "sent", "failed", "skipped", NULL};
static const char *const outbox_state_labels[] = {"未送信", "送信済み", "失敗", "対象外"};

static const char *state_label(const char *state)
{
	for (size_t i = 0; outbox_states[i]; i++)
		if (strcmp(outbox_states[i], state) == 0)
			return outbox_state_labels[i];
	return state;
}

/* Notification kinds as people call them; unknown kinds show their key. */
static const struct {
	const char *key, *label;
} kinds[] = {
    {"receipt", "提案の受付"},
    {"booking", "事前相談の予約"},
    {"booking_cancelled", "事前相談の取消"},
    {"reopened", "提案の差し戻し"},
    {"partner_confirm", "連携団体の確認"},
    {"presentation", "プレゼンテーションの日程"},
    {"results", "審査結果"},
    {"registration", "イベントの申し込み"},
    {"registration_waiting", "キャンセル待ちの受付"},
    {"registration_promoted", "キャンセル待ちからの繰り上げ"},
    {"registration_reminder", "イベントの前日のお知らせ"},
};

static const char *kind_label(const char *key)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].key, key) == 0)
			return kinds[i].label;
	return key;
}

enum { OQ_STATE, OQ_PAGE, OQ__MAX };
static const struct field_spec outbox_query[OQ__MAX] = {
    [OQ_STATE] = {"state", "状態", F_CHOICE, false, 20, 0, 0, outbox_states},
    [OQ_PAGE] = {"page", "ページ", F_INT, false, 6, 1, 100000, NULL},
};

static void bind_state(struct db_stmt *st, const struct form *q)
{
	if (q->v[OQ_STATE].present)
		db_bind_str(st, 1, form_s(q, OQ_STATE));
	else
		db_bind_null(st, 1);
}

void h_admin_outbox(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form q;
	form_check(a, outbox_query, OQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, "絞り込みの条件が正しくありません。");
		return;
	}
	int64_t page = q.v[OQ_PAGE].present ? q.v[OQ_PAGE].i : 1;
	struct db_stmt *st = db_stmt(db, STMT_OUTBOX_COUNT);
	bind_state(st, &q);
	if (db_step(st) != DB_ROW) {
		web_error(r, 503,
			  "送信の状況を読み込めませんでした。しばらくしてからお試しください。");
		return;
	}
	int64_t total = db_int(st, 0);
	db_reset(st);
	if (page > 1 && (page - 1) * PER_PAGE >= total) {
		web_error(r, 404, "このページには記録がありません。");
		return;
	}

	struct tv *ctx = page_ctx(r, "お知らせの送信状況", NAV_NONE);
	tv_set_bool(ctx, "mail_on", outbox_enabled());

	/* How many in each state, in the order of outbox_states. */
	int64_t counts[4] = {0};
	st = db_stmt(db, STMT_OUTBOX_STATES);
	while (db_step(st) == DB_ROW)
		for (size_t i = 0; outbox_states[i]; i++)
			if (strcmp(outbox_states[i], col(a, st, 0)) == 0)
				counts[i] = db_int(st, 1);
	struct tv *summary = tv_list(a);
	for (size_t i = 0; outbox_states[i]; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "label", outbox_state_labels[i]);
		tv_set_int(o, "count", counts[i]);
		tv_set_str(o, "url", arena_printf(a, "/admin/outbox?state=%s", outbox_states[i]));
		tv_push(summary, o);
	}
	tv_set(ctx, "summary", summary);

	struct tv *rows = tv_list(a);
	st = db_stmt(db, STMT_OUTBOX_LIST);
	bind_state(st, &q);
	db_bind_int(st, 2, PER_PAGE);
	db_bind_int(st, 3, (page - 1) * PER_PAGE);
	while (db_step(st) == DB_ROW) {
		struct tv *o = tv_obj(a);
		const char *state = col(a, st, 6);
		int64_t attempts = db_int(st, 7);
		tv_set_int(o, "id", db_int(st, 0));
		tv_set_int(o, "user_id", db_int(st, 1));
		tv_set_str(o, "user_name", col(a, st, 2));
		tv_set_str(o, "email", col(a, st, 3));
		tv_set_str(o, "kind", kind_label(col(a, st, 4)));
		tv_set_str(o, "subject", col(a, st, 5));
		tv_set_str(o, "state", state_label(state));
		tv_set_bool(o, "is_sent", strcmp(state, "sent") == 0);
		tv_set_bool(o, "is_failed", strcmp(state, "failed") == 0);
		tv_set_int(o, "attempts", attempts);
		tv_set_str(o, "error", col(a, st, 8));
		tv_set_str(o, "created", page_datetime(a, db_int(st, 9)));
		if (!db_isnull(st, 10))
			tv_set_str(o, "sent", page_datetime(a, db_int(st, 10)));
		if (strcmp(state, "failed") == 0) {
			if (attempts >= OUTBOX_MAX_ATTEMPTS)
				tv_set_bool(o, "gave_up", true);
			else
				tv_set_str(o, "next", page_datetime(a, db_int(st, 11)));
		}
		tv_push(rows, o);
	}
	tv_set(ctx, "rows", rows);
	tv_set_bool(ctx, "has_rows", tv_len(rows) > 0);
	tv_set_int(ctx, "total", total);
	tv_set_int(ctx, "max_attempts", OUTBOX_MAX_ATTEMPTS);
	bool filtering = q.v[OQ_STATE].present;
	tv_set_bool(ctx, "filtering", filtering);
	if (filtering)
		tv_set_str(ctx, "filter_label", state_label(form_s(&q, OQ_STATE)));

	struct tv *fields = page_form(r, ctx, outbox_query, OQ_PAGE, &q, NULL);
	struct tv *opts = tv_list(a);
	struct tv *any = tv_obj(a);
	tv_set_str(any, "value", "");
	tv_set_str(any, "label", "すべて");
	tv_set_bool(any, "selected", !filtering);
	tv_push(opts, any);
	for (size_t i = 0; outbox_states[i]; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "value", outbox_states[i]);
		tv_set_str(o, "label", outbox_state_labels[i]);
		tv_set_bool(o, "selected", strcmp(form_s(&q, OQ_STATE), outbox_states[i]) == 0);
		tv_push(opts, o);
	}
	page_field_set(fields, "state", "options", opts);
	page_field_set(fields, "state", "select", tv_bool(a, true));

	const char *url = filtering
			      ? arena_printf(a, "/admin/outbox?state=%s&", form_s(&q, OQ_STATE))
			      : "/admin/outbox?";
	struct tv *p = pagination(r, url, page, total);
	if (p)
		tv_set(ctx, "pages", p);
	page_render(r, 200, "admin/outbox", ctx);
}
