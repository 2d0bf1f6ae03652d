/*
 * Notifications (お知らせ): each user's list of what happened to their
 * applications and bookings, and the admin's view of the outbox that
 * mails them (domain/outbox.h).
 */
#include "core/who.h"
#include "notifications/outbox.h"
#include "notifications/handlers.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"

#include <string.h>
#include <time.h>

#define PER_PAGE 50

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
    [NQ_PAGE] = {"page", "web.field.page", F_INT, false, 6, 1, 100000, NULL},
};

void h_notifications(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form q;
	if (!page_query(r, notification_query, NQ__MAX, &q, "web.bad_query"))
		return;
	int64_t page = q.v[NQ_PAGE].present ? q.v[NQ_PAGE].i : 1;
	int64_t total = 0, unread = 0;
	struct db_stmt *st = db_stmt(db, STMT_NOTIFICATION_COUNT);
	db_bind_int(st, 1, r->user->id);
	if (db_step(st) != DB_ROW) {
		web_error(r, 503, "notify.err.load");
		return;
	}
	total = db_int(st, 0);
	unread = db_int(st, 1);
	db_reset(st);
	if (page > 1 && (page - 1) * PER_PAGE >= total) {
		web_error(r, 404, "notify.err.no_page");
		return;
	}

	struct tv *ctx = page_ctx(r, msg("notify.title.list"), NAV_NONE);
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
	struct tv *p = respond_pagination(r, page, PER_PAGE, total, "/notifications", NULL, 0, 0);
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
		web_error(r, 400, "web.bad_form");
		return;
	}
	struct db_stmt *st = db_stmt(db, STMT_NOTIFICATION_READ_ALL);
	db_bind_int(st, 1, r->user->id);
	db_bind_int(st, 2, (int64_t)time(NULL));
	if (db_exec(st) != DB_OK) {
		web_error(r, 503, "web.save_failed");
		return;
	}
	page_flash(r, "read");
	resp_redirect(r, "/notifications");
}

/* ---- /admin/outbox --------------------------------------------------------- */

/* The states of a row (stored values); people read notify.state.<state>. */
static const char *const outbox_states[] = {"pending", "sent", "failed", "skipped", NULL};

/* The words for a stored word of a family (notify.state.*, notify.kind.*);
 * a value the catalogue does not know (a kind added without its words)
 * shows as it is stored. */
static const char *label_of(struct arena *a, const char *family, const char *value)
{
	const char *key = arena_printf(a, "notify.%s.%s", family, value);
	return msg_exists(key) ? msg(key) : value;
}

enum { OQ_STATE, OQ_PAGE, OQ__MAX };
static const struct field_spec outbox_query[OQ__MAX] = {
    [OQ_STATE] = {"state", "notify.field.state", F_CHOICE, false, 20, 0, 0, outbox_states},
    [OQ_PAGE] = {"page", "web.field.page", F_INT, false, 6, 1, 100000, NULL},
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
	if (!page_query(r, outbox_query, OQ__MAX, &q, "web.bad_filter"))
		return;
	int64_t page = q.v[OQ_PAGE].present ? q.v[OQ_PAGE].i : 1;
	struct db_stmt *st = db_stmt(db, STMT_OUTBOX_COUNT);
	bind_state(st, &q);
	if (db_step(st) != DB_ROW) {
		web_error(r, 503, "notify.err.outbox_load");
		return;
	}
	int64_t total = db_int(st, 0);
	db_reset(st);
	if (page > 1 && (page - 1) * PER_PAGE >= total) {
		web_error(r, 404, "notify.err.outbox_no_page");
		return;
	}

	struct tv *ctx = page_ctx(r, msg("notify.title.outbox"), NAV_NONE);
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
		tv_set_str(o, "label", label_of(a, "state", outbox_states[i]));
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
		tv_set_str(o, "kind", label_of(a, "kind", col(a, st, 4)));
		tv_set_str(o, "subject", col(a, st, 5));
		tv_set_str(o, "state", label_of(a, "state", state));
		tv_set_bool(o, "is_sent", strcmp(state, "sent") == 0);
		tv_set_bool(o, "is_failed", strcmp(state, "failed") == 0);
		tv_set_int(o, "attempts", attempts);
		/* Skipped rows store a message key as their reason. */
		tv_set_str(o, "error", msg_or_text(col(a, st, 8)));
		tv_set_str(o, "created", page_datetime(a, db_int(st, 9)));
		tv_set_str(o, "sent", db_isnull(st, 10) ? NULL : page_datetime(a, db_int(st, 10)));
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
		tv_set_str(ctx, "filter_label", label_of(a, "state", form_s(&q, OQ_STATE)));

	struct tv *fields = page_form(r, ctx, outbox_query, OQ_PAGE, &q, NULL);
	struct tv *opts = tv_list(a);
	struct tv *any = tv_obj(a);
	tv_set_str(any, "value", "");
	tv_set_str(any, "label", msg("notify.filter.any"));
	tv_set_bool(any, "selected", !filtering);
	tv_push(opts, any);
	for (size_t i = 0; outbox_states[i]; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "value", outbox_states[i]);
		tv_set_str(o, "label", label_of(a, "state", outbox_states[i]));
		tv_set_bool(o, "selected", strcmp(form_s(&q, OQ_STATE), outbox_states[i]) == 0);
		tv_push(opts, o);
	}
	page_field_set(fields, "state", "options", opts);
	page_field_set(fields, "state", "select", tv_bool(a, true));

	struct tv *p =
	    respond_pagination(r, page, PER_PAGE, total, "/admin/outbox", &q, OQ_STATE, OQ_STATE);
	if (p)
		tv_set(ctx, "pages", p);
	page_render(r, 200, "admin/outbox", ctx);
}
