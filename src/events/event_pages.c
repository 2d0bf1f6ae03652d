/*
 * Events: the public list, month calendar, past events, event and series
 * pages; the organisers' forms (new, edit, images); the office's venues and
 * series; and GET /api/v1/events.  Rules live in domain/event.c; this file
 * turns declared fields into structs and structs into pages.
 */
#include "core/who.h"
#include "challenge/adoption.h"
#include "events/handlers.h"
#include "core/audit.h"
#include "events/event.h"
#include "files/files.h"
#include "groups/group.h"
#include "accounts/membership.h"
#include "core/role.h"
#include "util/jp.h"
#include "web/page.h"
#include "web/web.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PER_PAGE	20
#define IMAGE_MAX_BYTES (10u * 1024 * 1024)

static const char no_event[] = "お探しのイベントは見つかりませんでした。";
static const char bad_fields[] = "送信された項目が正しくありません。";
static const char save_failed[] = "保存できませんでした。しばらくしてからお試しください。";
static const char load_failed[] = "読み込めませんでした。しばらくしてからお試しください。";

/* ---- shared helpers ------------------------------------------------------ */

/* "令和6年10月18日(金) 14:00〜16:00", or with the end date when it differs. */
static const char *when_label(struct arena *a, const struct event *e)
{
	struct jst s, t;
	jp_unix_to_jst(e->starts_at, &s);
	jp_unix_to_jst(e->ends_at, &t);
	if (s.y == t.y && s.m == t.m && s.d == t.d)
		return arena_printf(a, "%s〜%02d:%02d", page_datetime(a, e->starts_at), t.hh, t.mi);
	return arena_printf(a, "%s〜%s", page_datetime(a, e->starts_at),
			    page_datetime(a, e->ends_at));
}

/* The 「残り N 名」 line and whether the sign-up is open. */
static void places_label(struct arena *a, struct tv *o, const struct event *e, int64_t left,
			 int64_t now)
{
	enum event_reg_state st = event_reg_state(e, left, now);
	const char *label = NULL;
	switch (st) {
	case EVENT_REG_NONE:
		break;
	case EVENT_REG_NOT_YET:
		label = "受付前";
		break;
	case EVENT_REG_OPEN:
		label = arena_printf(a, "残り %lld 名", (long long)left);
		break;
	case EVENT_REG_WAITLIST:
		label = "満席（キャンセル待ちで受付中）";
		break;
	case EVENT_REG_CLOSED:
		label = "受付終了";
		break;
	}
	if (label)
		tv_set_str(o, "places_label", label);
	tv_set_bool(o, "registration_open", st == EVENT_REG_OPEN || st == EVENT_REG_WAITLIST);
	tv_set_bool(o, "full", st == EVENT_REG_WAITLIST);
	if (left >= 0)
		tv_set_int(o, "places_left", left);
}

/* The audience lines as a template list. */
static struct tv *audience_list(struct arena *a, const char *audience)
{
	struct tv *l = tv_list(a);
	for (const char *p = audience; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n)
			tv_push(l, tv_strn(a, p, n));
		p += n + (nl ? 1 : 0);
	}
	return l;
}

/* The fields a list item or calendar cell shows. */
static struct tv *event_summary(struct req *r, struct db *db, const struct event *e, int64_t now)
{
	struct arena *a = &r->arena;
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", e->id);
	tv_set_str(o, "url", arena_printf(a, "/events/%lld", (long long)e->id));
	tv_set_str(o, "title", e->title);
	tv_set_str(o, "title_kana", e->title_kana);
	tv_set_str(o, "type", e->type);
	tv_set_str(o, "when", when_label(a, e));
	tv_set_str(o, "venue", e->venue_name[0] ? e->venue_name : NULL);
	tv_set_bool(o, "online", e->online_url[0] != 0);
	tv_set_str(o, "series_name", e->series_name[0] ? e->series_name : NULL);
	if (e->series_no)
		tv_set_int(o, "series_no", e->series_no);
	tv_set_str(o, "organiser", e->organiser_name[0] ? e->organiser_name : "市（事務局）");
	tv_set(o, "audience", audience_list(a, e->audience));
	tv_set_bool(o, "has_report", e->has_report);
	tv_set_bool(o, "unpublished", !e->published);
	if (e->capacity > 0)
		places_label(a, o, e, event_places_left(db, e->id), now);
	return o;
}

/* Options for a select whose values are ids. */
static void id_options(struct req *r, struct tv *fields, const char *name, const char *blank,
		       const int64_t *ids, const char *const *labels, size_t n, int64_t chosen)
{
	struct arena *a = &r->arena;
	struct tv *field = tv_get(fields, name);
	if (!field)
		return;
	struct tv *list = tv_list(a);
	struct tv *o = tv_obj(a);
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", blank);
	tv_push(list, o);
	for (size_t i = 0; i < n; i++) {
		o = tv_obj(a);
		tv_set_str(o, "value", arena_printf(a, "%lld", (long long)ids[i]));
		tv_set_str(o, "label", labels[i]);
		tv_set_bool(o, "selected", ids[i] == chosen);
		tv_push(list, o);
	}
	tv_set(field, "options", list);
	tv_set_bool(field, "select", true);
}

/* Groups for the organiser select: all active groups for staff, the
 * user's own groups for members. */
static size_t organiser_choices(struct req *r, struct db *db, int64_t **ids, const char ***names)
{
	struct arena *a = &r->arena;
	size_t n = 0;
	if (r->user && (r->user->roles & PERM_STAFF)) {
		size_t cap = 1000;
		*ids = arena_alloc(a, cap * sizeof **ids);
		*names = arena_alloc(a, cap * sizeof **names);
		struct db_stmt *st = db_stmt(db, STMT_EVENT_GROUP_CHOICES);
		while (n < cap && db_step(st) == DB_ROW) {
			(*ids)[n] = db_int(st, 0);
			(*names)[n] = arena_strdup(a, db_text(st, 1));
			n++;
		}
		if (n == cap)
			db_reset(st);
		return n;
	}
	struct membership *m;
	size_t nm = r->user ? membership_list(db, a, r->user->id, &m) : 0;
	*ids = arena_alloc(a, (nm + 1) * sizeof **ids);
	*names = arena_alloc(a, (nm + 1) * sizeof **names);
	for (size_t i = 0; i < nm; i++) {
		(*ids)[i] = m[i].group_id;
		(*names)[i] = m[i].name;
	}
	return nm;
}

/* ---- public list ------------------------------------------------------- */

enum { LQ_TYPE, LQ_SERIES, LQ_GROUP, LQ_AUDIENCE, LQ_PAGE, LQ__MAX };
static const struct field_spec list_fields[LQ__MAX] = {
    [LQ_TYPE] = {"type", "種類", F_CHOICE, false, 0, 0, 0, event_types},
    [LQ_SERIES] = {"series", "シリーズ", F_ID, false, 0, 0, 0, NULL},
    [LQ_GROUP] = {"group", "主催団体", F_ID, false, 0, 0, 0, NULL},
    [LQ_AUDIENCE] = {"audience", "対象", F_CHOICE, false, 0, 0, 0, event_audiences},
    [LQ_PAGE] = {"page", "ページ", F_INT, false, 0, 1, 100000, NULL},
};

/* "/events?type=..&page=N" keeping the current filters. */
static const char *list_url(struct req *r, const char *base, const struct form *f, int64_t page)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, base);
	char sep = '?';
	for (int i = LQ_TYPE; i <= LQ_AUDIENCE; i++) {
		if (!f->v[i].present)
			continue;
		buf_printf(&b, "%c%s=", sep, list_fields[i].name);
		buf_add_urlenc(&b, f->v[i].s, f->v[i].n);
		sep = '&';
	}
	if (page > 1)
		buf_printf(&b, "%cpage=%lld", sep, (long long)page);
	char *s = arena_strdup(&r->arena, b.p);
	buf_release(&b);
	return s;
}

static struct tv *pagination(struct req *r, const char *base, const struct form *f, int64_t page,
			     int64_t total)
{
	struct arena *a = &r->arena;
	int64_t pages = (total + PER_PAGE - 1) / PER_PAGE;
	if (pages <= 1)
		return NULL;
	struct tv *p = tv_obj(a);
	tv_set_int(p, "current", page);
	tv_set_int(p, "total_pages", pages);
	if (page > 1)
		tv_set_str(p, "prev_url", list_url(r, base, f, page - 1));
	if (page < pages)
		tv_set_str(p, "next_url", list_url(r, base, f, page + 1));
	struct tv *items = tv_list(a);
	int64_t from = page - 3 < 1 ? 1 : page - 3, to = page + 3 > pages ? pages : page + 3;
	for (int64_t i = from; i <= to; i++) {
		struct tv *it = tv_obj(a);
		tv_set_int(it, "number", i);
		tv_set_str(it, "url", list_url(r, base, f, i));
		tv_set_bool(it, "current", i == page);
		tv_push(items, it);
	}
	tv_set(p, "items", items);
	return p;
}

/* Filter choices (type, series, organiser, audience) with the current ones selected. */
static void filter_choices(struct req *r, struct db *db, struct tv *ctx, const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *l = tv_list(a);
	for (size_t i = 0; event_types[i]; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", event_types[i]);
		tv_set_bool(o, "selected", strcmp(form_s(f, LQ_TYPE), event_types[i]) == 0);
		tv_push(l, o);
	}
	tv_set(ctx, "types", l);
	l = tv_list(a);
	for (size_t i = 0; event_audiences[i]; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", event_audiences[i]);
		tv_set_bool(o, "selected", strcmp(form_s(f, LQ_AUDIENCE), event_audiences[i]) == 0);
		tv_push(l, o);
	}
	tv_set(ctx, "audiences", l);
	struct series *s;
	size_t ns = 0;
	series_list(db, a, &s, &ns);
	l = tv_list(a);
	for (size_t i = 0; i < ns; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", s[i].id);
		tv_set_str(o, "name", s[i].name);
		tv_set_bool(o, "selected", f->v[LQ_SERIES].i == s[i].id);
		tv_push(l, o);
	}
	tv_set(ctx, "series", l);
	struct db_stmt *st = db_stmt(db, STMT_EVENT_GROUP_CHOICES);
	l = tv_list(a);
	while (db_step(st) == DB_ROW) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", db_int(st, 0));
		tv_set_str(o, "name", arena_strdup(a, db_text(st, 1)));
		tv_set_bool(o, "selected", f->v[LQ_GROUP].i == db_int(st, 0));
		tv_push(l, o);
	}
	tv_set(ctx, "groups", l);
}

static void list_page(struct req *r, bool past)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, list_fields, LQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, "検索条件が正しくありません。");
		return;
	}
	int64_t page = f.v[LQ_PAGE].present ? f.v[LQ_PAGE].i : 1;
	int64_t now = time(NULL);
	struct event_query q = {
	    .type = form_s(&f, LQ_TYPE),
	    .series_id = f.v[LQ_SERIES].i,
	    .group_id = f.v[LQ_GROUP].i,
	    .audience = form_s(&f, LQ_AUDIENCE),
	    .past = past,
	    .published_only = true,
	    .now = now,
	    .limit = PER_PAGE,
	    .offset = (page - 1) * PER_PAGE,
	};
	struct event *list;
	size_t n;
	int64_t total = 0;
	if (event_list(db, a, &q, &list, &n, &total) != EVENT_OK) {
		web_error(r, 503, load_failed);
		return;
	}
	const char *base = past ? "/events/past" : "/events";
	struct tv *ctx = page_ctx(r, past ? "終了したイベント" : "イベント", NAV_EVENTS);
	tv_set_bool(ctx, "past", past);
	tv_set_str(ctx, "base", base);
	tv_set_int(ctx, "total", total);
	tv_set_bool(ctx, "filtering",
		    f.v[LQ_TYPE].present || f.v[LQ_SERIES].present || f.v[LQ_GROUP].present ||
			f.v[LQ_AUDIENCE].present);
	tv_set_bool(ctx, "can_create", r->user && (r->user->roles & (PERM_STAFF | ROLE_MEMBER)));
	filter_choices(r, db, ctx, &f);
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(items, event_summary(r, db, &list[i], now));
	tv_set(ctx, "events", items);
	tv_set(ctx, "pages", pagination(r, base, &f, page, total));
	page_render(r, 200, "events/list", ctx);
}

void h_events(struct req *r)
{
	list_page(r, false);
}

void h_events_past(struct req *r)
{
	list_page(r, true);
}

/* ---- month calendar ---------------------------------------------------- */

enum { CQ_MONTH, CQ__MAX };
static const struct field_spec calendar_fields[CQ__MAX] = {
    [CQ_MONTH] = {"month", "月", F_MONTH, false, 0, 0, 0, NULL},
};

void h_events_calendar(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, calendar_fields, CQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, "月は「2025-04」のように指定してください。");
		return;
	}
	int64_t now = time(NULL);
	int y, m;
	if (f.v[CQ_MONTH].present) {
		y = (int)(f.v[CQ_MONTH].i / 100);
		m = (int)(f.v[CQ_MONTH].i % 100);
	} else {
		struct jst t;
		jp_unix_to_jst(now, &t);
		y = t.y;
		m = t.m;
	}
	struct month_grid g;
	if (month_grid_fill(&g, y, m) != 0) {
		web_error(r, 400, "月は「2025-04」のように指定してください。");
		return;
	}
	int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
	int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
	struct event_query q = {
	    .from = jp_jst_to_unix(y, m, 1, 0, 0, 0),
	    .to = jp_jst_to_unix(ny, nm, 1, 0, 0, 0),
	    .any_time = true,
	    .published_only = true,
	    .now = now,
	    .limit = 500,
	};
	struct event *list;
	size_t n;
	if (event_list(db, a, &q, &list, &n, NULL) != EVENT_OK) {
		web_error(r, 503, load_failed);
		return;
	}
	/* Events of each day of the month, by start date in JST. */
	struct tv *days[32] = {0};
	for (size_t i = 0; i < n; i++) {
		struct jst t;
		jp_unix_to_jst(list[i].starts_at, &t);
		if (t.d < 1 || t.d > 31)
			continue;
		if (!days[t.d])
			days[t.d] = tv_list(a);
		struct tv *o = tv_obj(a);
		tv_set_str(o, "url", arena_printf(a, "/events/%lld", (long long)list[i].id));
		tv_set_str(o, "title", list[i].title);
		tv_set_str(o, "time", arena_printf(a, "%02d:%02d", t.hh, t.mi));
		tv_push(days[t.d], o);
	}
	struct buf b = BUF_INIT;
	jp_wareki_year(&b, y, m, 1);
	char *era = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	struct tv *ctx = page_ctx(r, "イベントカレンダー", NAV_EVENTS);
	tv_set_str(ctx, "caption", arena_printf(a, "%d年（%s）%d月のイベント", y, era, m));
	tv_set_str(ctx, "prev_url", arena_printf(a, "/events/calendar?month=%04d-%02d", py, pm));
	tv_set_str(ctx, "prev_label", arena_printf(a, "%d年%d月", py, pm));
	tv_set_str(ctx, "next_url", arena_printf(a, "/events/calendar?month=%04d-%02d", ny, nm));
	tv_set_str(ctx, "next_label", arena_printf(a, "%d年%d月", ny, nm));
	tv_set_int(ctx, "count", (int64_t)n);
	static const char *const wd[] = {"日", "月", "火", "水", "木", "金", "土"};
	struct tv *weeks = tv_list(a);
	for (int w = 0; w < g.nweeks; w++) {
		struct tv *cells = tv_list(a);
		for (int d = 0; d < 7; d++) {
			struct tv *c = tv_obj(a);
			int day = g.day[w][d];
			if (day) {
				tv_set_int(c, "day", day);
				tv_set_str(c, "label",
					   arena_printf(a, "%d月%d日(%s)", m, day, wd[d]));
				tv_set(c, "events", days[day]);
				tv_set_bool(c, "has_events", days[day] != NULL);
			}
			tv_push(cells, c);
		}
		struct tv *wk = tv_obj(a);
		tv_set(wk, "cells", cells);
		tv_push(weeks, wk);
	}
	tv_set(ctx, "weeks", weeks);
	page_render(r, 200, "events/calendar", ctx);
}

/* ---- event page ------------------------------------------------------ */

/* The event in route parameter i, hiding unpublished ones from those who
 * may not manage them.  Sends the 404 and returns false otherwise. */
static bool load_event(struct req *r, struct db *db, int i, struct event *e)
{
	int64_t id = req_param_id(r, i);
	if (id < 0 || event_get(db, &r->arena, id, e) != EVENT_OK ||
	    (!e->published && !event_can_manage(db, r->user, e))) {
		web_error(r, 404, no_event);
		return false;
	}
	return true;
}

void h_event(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_event(r, db, 0, &e))
		return;
	struct arena *a = &r->arena;
	int64_t now = time(NULL);
	struct tv *ctx = page_ctx(r, e.title, NAV_EVENTS);
	struct tv *o = event_summary(r, db, &e, now);
	tv_set(ctx, "event", o);
	tv_set_bool(ctx, "can_manage", event_can_manage(db, r->user, &e));
	tv_set_bool(o, "ended", e.ends_at < now);
	tv_set_int(o, "series_id", e.series_id);
	tv_set_int(o, "capacity", e.capacity);
	tv_set_int(o, "max_party", e.max_party);
	if (e.group_id)
		tv_set_str(o, "organiser_url",
			   arena_printf(a, "/groups/%lld", (long long)e.group_id));
	tv_set_str(o, "starts_iso", arena_printf(a, "%lld", (long long)e.starts_at));
	if (e.venue_id) {
		struct venue v;
		if (venue_get(db, a, e.venue_id, &v) == EVENT_OK) {
			struct tv *vo = tv_obj(a);
			tv_set_str(vo, "name", v.name);
			tv_set_str(vo, "room", e.room);
			tv_set_str(vo, "address",
				   arena_printf(a, "%s%s%s%s%s%s", v.pref, v.city, v.town, v.street,
						v.building[0] ? " " : "", v.building));
			tv_set_str(vo, "access", v.access);
			tv_set_str(vo, "parking", v.parking);
			tv_set_str(vo, "barrier_free", v.barrier_free);
			tv_set(o, "venue_info", vo);
		}
	}
	tv_set_str(o, "online_url", e.online_url);
	if (e.fee_yen > 0)
		tv_set_str(o, "fee", arena_printf(a, "%lld円", (long long)e.fee_yen));
	else
		tv_set_str(o, "fee", "無料");
	tv_set_str(o, "fee_text", e.fee_text);
	tv_set_str(o, "accessibility", e.accessibility);
	tv_set_str(o, "contact_name", e.contact_name);
	tv_set_str(o, "contact_phone", e.contact_phone);
	tv_set_str(o, "contact_email", e.contact_email);
	tv_set(o, "description_html", tv_raw(a, markdown_html(a, e.description)));
	if (e.reg_opens_at)
		tv_set_str(o, "reg_opens", page_datetime(a, e.reg_opens_at));
	if (e.reg_closes_at)
		tv_set_str(o, "reg_closes", page_datetime(a, e.reg_closes_at));
	struct event_image *im;
	size_t nim = 0;
	event_images(db, a, e.id, &im, &nim);
	struct tv *imgs = tv_list(a);
	for (size_t i = 0; i < nim; i++) {
		struct tv *io = tv_obj(a);
		tv_set_int(io, "id", im[i].id);
		tv_set_str(io, "url", arena_printf(a, "/files/%lld", (long long)im[i].file_id));
		tv_set_str(io, "alt", im[i].alt);
		tv_push(imgs, io);
	}
	tv_set(o, "images", imgs);
	web_registration_form(r, ctx, e.id, e.max_party);
	web_event_report(r, ctx, &e);
	page_render(r, 200, "events/show", ctx);
}

void h_event_series(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t id = req_param_id(r, 0);
	struct series s;
	if (id < 0 || series_get(db, a, id, &s) != EVENT_OK) {
		web_error(r, 404, "お探しのシリーズは見つかりませんでした。");
		return;
	}
	int64_t now = time(NULL);
	struct tv *ctx = page_ctx(r, s.name, NAV_EVENTS);
	tv_set_str(ctx, "name", s.name);
	tv_set_int(ctx, "series_id", s.id);
	tv_set(ctx, "description_html", tv_raw(a, markdown_html(a, s.description)));
	for (int past = 0; past < 2; past++) {
		struct event_query q = {.series_id = id,
					.past = past,
					.published_only = true,
					.now = now,
					.limit = 200};
		struct event *list;
		size_t n;
		if (event_list(db, a, &q, &list, &n, NULL) != EVENT_OK) {
			web_error(r, 503, load_failed);
			return;
		}
		struct tv *items = tv_list(a);
		for (size_t i = 0; i < n; i++) {
			struct tv *o = event_summary(r, db, &list[i], now);
			if (past && list[i].has_report)
				tv_set(o, "report_short", web_event_report_short(r, &list[i]));
			tv_push(items, o);
		}
		tv_set(ctx, past ? "history" : "upcoming", items);
	}
	page_render(r, 200, "events/series", ctx);
}

/* ---- the organisers' form ------------------------------------------------ */

enum {
	EF_TITLE,
	EF_TITLE_KANA,
	EF_TYPE,
	EF_SERIES,
	EF_SERIES_NO,
	EF_GROUP,
	EF_PROJECT,
	EF_STARTS,
	EF_ENDS,
	EF_VENUE,
	EF_ROOM,
	EF_ONLINE_URL,
	EF_CAPACITY,
	EF_MAX_PARTY,
	EF_REG_OPENS,
	EF_REG_CLOSES,
	EF_AUDIENCE,
	EF_FEE_YEN,
	EF_FEE_TEXT,
	EF_ACCESSIBILITY,
	EF_CONTACT_NAME,
	EF_CONTACT_PHONE,
	EF_CONTACT_EMAIL,
	EF_DESCRIPTION,
	EF_PUBLISHED,
	EF__MAX
};
/* Capacity accepts negative numbers so that the domain rule, not the
 * range check, explains the mistake. */
static const struct field_spec event_fields[EF__MAX] = {
    [EF_TITLE] = {"title", "タイトル", F_LINE, true, 120, 0, 0, NULL},
    [EF_TITLE_KANA] = {"title_kana", "ふりがな", F_KANA, false, 200, 0, 0, NULL},
    [EF_TYPE] = {"type", "種類", F_CHOICE, true, 0, 0, 0, event_types},
    [EF_SERIES] = {"series", "シリーズ", F_ID, false, 0, 0, 0, NULL},
    [EF_SERIES_NO] = {"series_no", "回（第N回）", F_INT, false, 0, 0, 9999, NULL},
    [EF_GROUP] = {"group", "主催団体", F_ID, false, 0, 0, 0, NULL},
    [EF_PROJECT] = {"project", "採択事業（事業として開く場合）", F_ID, false, 0, 0, 0, NULL},
    [EF_STARTS] = {"starts_at", "開始日時", F_DATETIME, true, 0, 0, 0, NULL},
    [EF_ENDS] = {"ends_at", "終了日時", F_DATETIME, true, 0, 0, 0, NULL},
    [EF_VENUE] = {"venue", "会場", F_ID, false, 0, 0, 0, NULL},
    [EF_ROOM] = {"room", "部屋（方書）", F_LINE, false, 100, 0, 0, NULL},
    [EF_ONLINE_URL] = {"online_url", "オンライン参加のURL", F_URL, false, 500, 0, 0, NULL},
    [EF_CAPACITY] = {"capacity", "定員（人）", F_INT, false, 0, -100000, 100000, NULL},
    [EF_MAX_PARTY] = {"max_party", "1件で申し込める人数", F_INT, false, 0, 1, 100, NULL},
    [EF_REG_OPENS] = {"reg_opens_at", "申込開始", F_DATETIME, false, 0, 0, 0, NULL},
    [EF_REG_CLOSES] = {"reg_closes_at", "申込締切", F_DATETIME, false, 0, 0, 0, NULL},
    [EF_AUDIENCE] = {"audience", "対象", F_MULTI, false, 0, 0, 0, NULL},
    [EF_FEE_YEN] = {"fee_yen", "参加費（円）", F_INT, false, 0, 0, 10000000, NULL},
    [EF_FEE_TEXT] = {"fee_text", "参加費の詳細", F_LINE, false, 200, 0, 0, NULL},
    [EF_ACCESSIBILITY] = {"accessibility", "配慮・バリアフリーについて", F_TEXT, false, 2000, 0, 0,
			  NULL},
    [EF_CONTACT_NAME] = {"contact_name", "問い合わせ先", F_LINE, false, 100, 0, 0, NULL},
    [EF_CONTACT_PHONE] = {"contact_phone", "問い合わせ電話番号", F_LINE, false, 30, 0, 0, NULL},
    [EF_CONTACT_EMAIL] = {"contact_email", "問い合わせメール", F_EMAIL, false, 254, 0, 0, NULL},
    [EF_DESCRIPTION] = {"description", "内容", F_TEXT, false, 20000, 0, 0, NULL},
    [EF_PUBLISHED] = {"published", "公開する", F_BOOL, false, 5, 0, 0, NULL},
};

static const char *dt_value(struct arena *a, int64_t t)
{
	if (!t)
		return NULL;
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", j.y, j.m, j.d, j.hh, j.mi);
}

static const char *int_value(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

/* Draw the form for e (NULL: a new event) with f's values and errors. */
static void form_page(struct req *r, struct db *db, int status, const struct event *e,
		      const struct form *f, const char *file_error)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, e ? "イベントを編集" : "イベントを登録", NAV_EVENTS);
	tv_set_str(ctx, "title", e ? "イベントを編集" : "イベントを登録");
	tv_set_str(ctx, "action",
		   e ? arena_printf(a, "/events/%lld/edit", (long long)e->id) : "/events/new");
	const char *defaults[EF__MAX] = {0};
	const char *const *chosen = NULL;
	size_t nchosen = 0;
	const char **aud = arena_alloc(a, 8 * sizeof *aud);
	if (e) {
		tv_set_int(ctx, "id", e->id);
		tv_set_str(ctx, "event_title", e->title);
		defaults[EF_TITLE] = e->title;
		defaults[EF_TITLE_KANA] = e->title_kana;
		defaults[EF_TYPE] = e->type;
		defaults[EF_SERIES_NO] = e->series_no ? int_value(a, e->series_no) : NULL;
		defaults[EF_STARTS] = dt_value(a, e->starts_at);
		defaults[EF_ENDS] = dt_value(a, e->ends_at);
		defaults[EF_ROOM] = e->room;
		defaults[EF_ONLINE_URL] = e->online_url;
		defaults[EF_CAPACITY] = int_value(a, e->capacity);
		defaults[EF_MAX_PARTY] = int_value(a, e->max_party);
		defaults[EF_REG_OPENS] = dt_value(a, e->reg_opens_at);
		defaults[EF_REG_CLOSES] = dt_value(a, e->reg_closes_at);
		defaults[EF_FEE_YEN] = int_value(a, e->fee_yen);
		defaults[EF_FEE_TEXT] = e->fee_text;
		defaults[EF_ACCESSIBILITY] = e->accessibility;
		defaults[EF_CONTACT_NAME] = e->contact_name;
		defaults[EF_CONTACT_PHONE] = e->contact_phone;
		defaults[EF_CONTACT_EMAIL] = e->contact_email;
		defaults[EF_DESCRIPTION] = e->description;
		defaults[EF_PUBLISHED] = e->published ? "1" : NULL;
		size_t k = 0;
		for (const char *p = e->audience; *p && k < 8;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			if (n)
				aud[k++] = arena_strndup(a, p, n);
			p += n + (nl ? 1 : 0);
		}
		chosen = aud;
		nchosen = k;
	} else {
		defaults[EF_MAX_PARTY] = "5";
		defaults[EF_CAPACITY] = "0";
		defaults[EF_FEE_YEN] = "0";
		defaults[EF_PUBLISHED] = "1";
	}
	if (f) {
		chosen = f->v[EF_AUDIENCE].list;
		nchosen = f->v[EF_AUDIENCE].nlist;
	}
	struct tv *fields = page_form(r, ctx, event_fields, EF__MAX, f, defaults);
	tv_set(ctx, "f", fields);
	size_t nt = 0, na = 0;
	while (event_types[nt])
		nt++;
	while (event_audiences[na])
		na++;
	const char *type = f ? form_s(f, EF_TYPE) : defaults[EF_TYPE];
	page_field_options(r, fields, "type", event_types, nt, &type, 1, false);
	page_field_options(r, fields, "audience", event_audiences, na, chosen, nchosen, true);

	int64_t cur_series = f ? f->v[EF_SERIES].i : e ? e->series_id : 0;
	struct series *s;
	size_t ns = 0;
	series_list(db, a, &s, &ns);
	int64_t *ids = arena_alloc(a, (ns + 1) * sizeof *ids);
	const char **names = arena_alloc(a, (ns + 1) * sizeof *names);
	for (size_t i = 0; i < ns; i++) {
		ids[i] = s[i].id;
		names[i] = s[i].name;
	}
	id_options(r, fields, "series", "なし", ids, names, ns, cur_series);

	int64_t cur_venue = f ? f->v[EF_VENUE].i : e ? e->venue_id : 0;
	struct venue *v;
	size_t nv = 0;
	venue_list(db, a, false, &v, &nv);
	ids = arena_alloc(a, (nv + 1) * sizeof *ids);
	names = arena_alloc(a, (nv + 1) * sizeof *names);
	for (size_t i = 0; i < nv; i++) {
		ids[i] = v[i].id;
		names[i] = v[i].name;
	}
	id_options(r, fields, "venue", "なし（オンライン・未定）", ids, names, nv, cur_venue);

	int64_t cur_group = f ? f->v[EF_GROUP].i : e ? e->group_id : 0;
	int64_t *gids;
	const char **gnames;
	size_t ng = organiser_choices(r, db, &gids, &gnames);
	bool staff = r->user && (r->user->roles & PERM_STAFF);
	id_options(r, fields, "group", staff ? "市（事務局）" : "選択してください", gids, gnames,
		   ng, cur_group);

	/* An event may belong to an adopted project (the group's, or any for
	 * staff); the choice is checked again when saving. */
	int64_t cur_project = f ? f->v[EF_PROJECT].i : e ? e->project_id : 0;
	struct project_query pq = {.group_id = staff ? 0 : cur_group, .with_unreleased = staff};
	struct project *pr;
	size_t np = 0;
	if (staff || cur_group)
		project_list(db, a, &pq, &pr, &np);
	ids = arena_alloc(a, (np + 1) * sizeof *ids);
	names = arena_alloc(a, (np + 1) * sizeof *names);
	for (size_t i = 0; i < np; i++) {
		struct buf lb = BUF_INIT;
		jp_fiscal_year_label(&lb, (int)pr[i].fiscal_year);
		ids[i] = pr[i].id;
		names[i] =
		    arena_printf(a, "%s %s（%s）", lb.p ? lb.p : "", pr[i].title, pr[i].group_name);
		buf_release(&lb);
	}
	id_options(r, fields, "project", "なし", ids, names, np, cur_project);

	bool published = f ? f->v[EF_PUBLISHED].i != 0 : defaults[EF_PUBLISHED] != NULL;
	page_field_set(fields, "published", "value", tv_str(a, "1"));
	page_field_set(fields, "published", "checkbox", tv_bool(a, true));
	page_field_set(fields, "published", "checked", tv_bool(a, published));
	page_field_set(fields, "accessibility", "textarea", tv_bool(a, true));
	page_field_set(fields, "description", "textarea", tv_bool(a, true));
	const char *dt = "datetime-local";
	page_field_set(fields, "starts_at", "type", tv_str(a, dt));
	page_field_set(fields, "ends_at", "type", tv_str(a, dt));
	page_field_set(fields, "reg_opens_at", "type", tv_str(a, dt));
	page_field_set(fields, "reg_closes_at", "type", tv_str(a, dt));
	page_field_set(fields, "starts_at", "hint", tv_str(a, "例：2025-04-20T14:00（日本時間）"));
	page_field_set(fields, "title_kana", "hint",
		       tv_str(a, "ひらがなで入力しても、カタカナで登録されます。"));
	page_field_set(
	    fields, "capacity", "hint",
	    tv_str(a, "人数で数えます（大人と子ども）。0にすると申込を受け付けません。"));
	page_field_set(fields, "description", "hint",
		       tv_str(a, "Markdown記法（見出し・箇条書き・リンク）が使えます。"));
	page_field_set(fields, "reg_closes_at", "hint",
		       tv_str(a, "空欄のときは開始日時まで受け付けます。"));
	if (e) {
		struct event_image *im;
		size_t nim = 0;
		event_images(db, a, e->id, &im, &nim);
		struct tv *imgs = tv_list(a);
		for (size_t i = 0; i < nim; i++) {
			struct tv *io = tv_obj(a);
			tv_set_int(io, "id", im[i].id);
			tv_set_int(io, "event_id", e->id);
			tv_set_str(io, "url",
				   arena_printf(a, "/files/%lld", (long long)im[i].file_id));
			tv_set_str(io, "alt", im[i].alt);
			tv_push(imgs, io);
		}
		tv_set(ctx, "images", imgs);
		tv_set_str(ctx, "file_error", file_error);
	}
	page_render(r, status, "events/form", ctx);
}

/* Validate the posted form into e (which holds the old values when
 * editing).  Re-displays the form (422) or refuses (400/403) and returns
 * false on errors. */
static bool read_form(struct req *r, struct db *db, struct event *e, const struct event *old)
{
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, event_fields, EF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, bad_fields);
		return false;
	}
	e->title = form_s(&f, EF_TITLE);
	e->title_kana = form_s(&f, EF_TITLE_KANA);
	e->type = form_s(&f, EF_TYPE);
	e->series_id = f.v[EF_SERIES].i;
	e->series_no = f.v[EF_SERIES_NO].i;
	e->group_id = f.v[EF_GROUP].i;
	e->project_id = f.v[EF_PROJECT].i;
	e->starts_at = f.v[EF_STARTS].i;
	e->ends_at = f.v[EF_ENDS].i;
	e->venue_id = f.v[EF_VENUE].i;
	e->room = form_s(&f, EF_ROOM);
	e->online_url = form_s(&f, EF_ONLINE_URL);
	e->capacity = f.v[EF_CAPACITY].i;
	e->max_party = f.v[EF_MAX_PARTY].present ? f.v[EF_MAX_PARTY].i : 5;
	e->reg_opens_at = f.v[EF_REG_OPENS].i;
	e->reg_closes_at = f.v[EF_REG_CLOSES].i;
	e->fee_yen = f.v[EF_FEE_YEN].i;
	e->fee_text = form_s(&f, EF_FEE_TEXT);
	e->accessibility = form_s(&f, EF_ACCESSIBILITY);
	e->contact_name = form_s(&f, EF_CONTACT_NAME);
	e->contact_phone = form_s(&f, EF_CONTACT_PHONE);
	e->contact_email = form_s(&f, EF_CONTACT_EMAIL);
	e->description = form_s(&f, EF_DESCRIPTION);
	e->published = f.v[EF_PUBLISHED].i != 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < f.v[EF_AUDIENCE].nlist; i++) {
		const char *x = f.v[EF_AUDIENCE].list[i];
		bool known = false;
		for (size_t k = 0; event_audiences[k]; k++)
			known = known || strcmp(event_audiences[k], x) == 0;
		if (!known) {
			form_error(&f, EF_AUDIENCE, "対象を選択肢から選んでください");
			break;
		}
		buf_printf(&b, "%s%s", b.n ? "\n" : "", x);
	}
	e->audience = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	/* Who may organise: a member only for their own group; the office
	 * (no group) only for staff. */
	if (!event_can_create(db, r->user, e->group_id)) {
		if (old && old->group_id == e->group_id) {
			web_error(r, 403, "このイベントを編集する権限がありません。");
			return false;
		}
		form_error(&f, EF_GROUP, "あなたが所属する団体を選んでください");
	}
	if (e->project_id) {
		/* The project must exist and, for a group's event, be that
		 * group's (lead or partner). */
		struct project_query pq = {.group_id = e->group_id, .with_unreleased = true};
		struct project *pr;
		size_t np = 0;
		bool found = false;
		if (project_list(db, a, &pq, &pr, &np) == ADOPTION_OK)
			for (size_t i = 0; i < np; i++)
				found = found || pr[i].id == e->project_id;
		if (!found)
			form_error(&f, EF_PROJECT, "採択事業を選択肢から選んでください");
	}
	if (e->series_id) {
		struct series s;
		if (series_get(db, a, e->series_id, &s) != EVENT_OK)
			form_error(&f, EF_SERIES, "シリーズを選択肢から選んでください");
	}
	if (e->venue_id) {
		struct venue v;
		if (venue_get(db, a, e->venue_id, &v) != EVENT_OK)
			form_error(&f, EF_VENUE, "会場を選択肢から選んでください");
	}
	if (!f.v[EF_STARTS].error && !f.v[EF_ENDS].error && f.v[EF_STARTS].present &&
	    f.v[EF_ENDS].present) {
		const char *field, *error;
		if (event_validate(db, a, e, &field, &error) != EVENT_OK) {
			for (size_t i = 0; i < EF__MAX; i++)
				if (strcmp(event_fields[i].name, field) == 0 && !f.v[i].error)
					form_error(&f, i, error);
		}
	} else if (f.v[EF_CAPACITY].i < 0) {
		form_error(&f, EF_CAPACITY, "定員は0以上の数で入力してください");
	}
	if (f.nerrors) {
		form_page(r, db, 422, old, &f, NULL);
		return false;
	}
	return true;
}

void h_event_new(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	form_page(r, db, 200, NULL, NULL, NULL);
}

/* Save e and its audit entry in one transaction; on failure answer 503 and
 * return -1. */
static int save_audited(struct req *r, struct db *db, const struct event *e, int64_t *id)
{
	const char *field, *error;
	int64_t new_id = e->id;
	if (db_begin(db) != DB_OK)
		goto fail;
	if (event_save(db, &r->arena, e, time(NULL), e->id ? NULL : &new_id, &field, &error) !=
		EVENT_OK ||
	    audit(db, r->user->id, e->id ? "update" : "create", "event", new_id,
		  arena_printf(&r->arena, "「%s」", e->title)) != DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		goto fail;
	}
	if (id)
		*id = new_id;
	return 0;
fail:
	web_error(r, 503, save_failed);
	return -1;
}

void h_event_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct event e = {0};
	if (!read_form(r, db, &e, NULL))
		return;
	e.created_by = r->user->id;
	int64_t id;
	if (save_audited(r, db, &e, &id) != 0)
		return;
	page_flash(r, "created");
	resp_redirect(r, arena_printf(&r->arena, "/events/%lld", (long long)id));
}

/* The event in the route for editing, refusing users who may not. */
static bool load_editable(struct req *r, struct db *db, struct event *e)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || event_get(db, &r->arena, id, e) != EVENT_OK) {
		web_error(r, 404, no_event);
		return false;
	}
	if (!event_can_manage(db, r->user, e)) {
		web_error(r, 403, "このイベントを編集する権限がありません。");
		return false;
	}
	return true;
}

void h_event_edit(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_editable(r, db, &e))
		return;
	form_page(r, db, 200, &e, NULL, NULL);
}

void h_event_update(struct req *r)
{
	struct db *db = page_db(r);
	struct event old;
	if (!db || !load_editable(r, db, &old))
		return;
	struct event e = old;
	if (!read_form(r, db, &e, &old))
		return;
	if (save_audited(r, db, &e, NULL) != 0)
		return;
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/events/%lld", (long long)e.id));
}

enum { IF_ALT, IF__MAX };
static const struct field_spec image_fields[IF__MAX] = {
    [IF_ALT] = {"alt", "画像の説明（代替テキスト）", F_LINE, true, 200, 0, 0, NULL},
};

void h_event_image_add(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_editable(r, db, &e))
		return;
	struct form f;
	form_check(&r->arena, image_fields, IF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, bad_fields);
		return;
	}
	const struct upload *u = NULL;
	for (size_t i = 0; i < r->nuploads; i++) {
		const struct upload *x = &r->uploads[i];
		if (strcmp(x->field, "image") != 0 || u) {
			web_error(r, 400, bad_fields);
			return;
		}
		if (x->filename && *x->filename)
			u = x;
	}
	const char *file_error = u ? NULL : "画像ファイルを選んでください";
	if (f.nerrors)
		file_error = f.v[IF_ALT].error;
	int64_t file_id = 0;
	if (!file_error &&
	    file_store(db, &r->arena, u, FILE_PNG | FILE_JPEG, IMAGE_MAX_BYTES, r->user->id,
		       &file_id, &file_error) != 0 &&
	    !file_error)
		file_error = "画像を保存できませんでした";
	if (file_error) {
		form_page(r, db, 422, &e, NULL, file_error);
		return;
	}
	if (event_image_add(db, e.id, file_id, form_s(&f, IF_ALT)) != EVENT_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/events/%lld/edit", (long long)e.id));
}

void h_event_image_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_editable(r, db, &e))
		return;
	int64_t iid = req_param_id(r, 1);
	if (iid < 0 || r->nform > 1 || (r->nform == 1 && strcmp(r->form[0].key, "_csrf") != 0)) {
		web_error(r, 400, bad_fields);
		return;
	}
	if (event_image_delete(db, e.id, iid) != EVENT_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "deleted");
	resp_redirect(r, arena_printf(&r->arena, "/events/%lld/edit", (long long)e.id));
}

/* ---- the office: venues and series ------------------------------------ */

enum {
	VF_NAME,
	VF_KANA,
	VF_PREF,
	VF_CITY,
	VF_TOWN,
	VF_STREET,
	VF_BUILDING,
	VF_LAT,
	VF_LNG,
	VF_ACCESS,
	VF_PARKING,
	VF_BARRIER,
	VF_ARCHIVED,
	VF__MAX
};
static const struct field_spec venue_fields[VF__MAX] = {
    [VF_NAME] = {"name", "会場名", F_LINE, true, 100, 0, 0, NULL},
    [VF_KANA] = {"name_kana", "ふりがな", F_KANA, false, 200, 0, 0, NULL},
    [VF_PREF] = {"pref", "都道府県", F_LINE, false, 10, 0, 0, NULL},
    [VF_CITY] = {"city", "市区町村", F_LINE, false, 50, 0, 0, NULL},
    [VF_TOWN] = {"town", "町字", F_LINE, false, 100, 0, 0, NULL},
    [VF_STREET] = {"street", "番地以下", F_LINE, false, 100, 0, 0, NULL},
    [VF_BUILDING] = {"building", "建物名", F_LINE, false, 100, 0, 0, NULL},
    [VF_LAT] = {"lat", "緯度", F_LINE, false, 20, 0, 0, NULL},
    [VF_LNG] = {"lng", "経度", F_LINE, false, 20, 0, 0, NULL},
    [VF_ACCESS] = {"access", "アクセス", F_TEXT, false, 1000, 0, 0, NULL},
    [VF_PARKING] = {"parking", "駐車場", F_TEXT, false, 1000, 0, 0, NULL},
    [VF_BARRIER] = {"barrier_free", "バリアフリー情報", F_TEXT, false, 1000, 0, 0, NULL},
    [VF_ARCHIVED] = {"archived", "使わなくなった会場", F_BOOL, false, 5, 0, 0, NULL},
};

/* A decimal degree in [-lim, lim]; 0 or -1. */
static int parse_degree(const char *s, double lim, double *out)
{
	char *end;
	double d = strtod(s, &end);
	if (end == s || *end || d < -lim || d > lim)
		return -1;
	*out = d;
	return 0;
}

static void venues_page(struct req *r, struct db *db, int status, const struct venue *cur,
			const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "会場の管理", NAV_NONE);
	struct venue *list;
	size_t n = 0;
	venue_list(db, a, true, &list, &n);
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", list[i].id);
		tv_set_str(o, "name", list[i].name);
		tv_set_str(o, "address",
			   arena_printf(a, "%s%s%s%s", list[i].pref, list[i].city, list[i].town,
					list[i].street));
		tv_set_bool(o, "archived", list[i].archived);
		tv_push(items, o);
	}
	tv_set(ctx, "venues", items);
	const char *defaults[VF__MAX] = {0};
	if (cur) {
		tv_set_int(ctx, "id", cur->id);
		defaults[VF_NAME] = cur->name;
		defaults[VF_KANA] = cur->name_kana;
		defaults[VF_PREF] = cur->pref;
		defaults[VF_CITY] = cur->city;
		defaults[VF_TOWN] = cur->town;
		defaults[VF_STREET] = cur->street;
		defaults[VF_BUILDING] = cur->building;
		if (cur->has_latlng) {
			defaults[VF_LAT] = arena_printf(a, "%.6f", cur->lat);
			defaults[VF_LNG] = arena_printf(a, "%.6f", cur->lng);
		}
		defaults[VF_ACCESS] = cur->access;
		defaults[VF_PARKING] = cur->parking;
		defaults[VF_BARRIER] = cur->barrier_free;
		defaults[VF_ARCHIVED] = cur->archived ? "1" : NULL;
	}
	tv_set_str(ctx, "action",
		   cur ? arena_printf(a, "/admin/venues/%lld", (long long)cur->id)
		       : "/admin/venues");
	struct tv *fields = page_form(r, ctx, venue_fields, VF__MAX, f, defaults);
	tv_set(ctx, "f", fields);
	bool archived = f ? f->v[VF_ARCHIVED].i != 0 : cur && cur->archived;
	page_field_set(fields, "archived", "value", tv_str(a, "1"));
	page_field_set(fields, "archived", "checkbox", tv_bool(a, true));
	page_field_set(fields, "archived", "checked", tv_bool(a, archived));
	page_field_set(fields, "access", "textarea", tv_bool(a, true));
	page_field_set(fields, "parking", "textarea", tv_bool(a, true));
	page_field_set(fields, "barrier_free", "textarea", tv_bool(a, true));
	page_field_set(fields, "lat", "hint", tv_str(a, "例：36.5613（世界測地系の10進数）"));
	page_render(r, status, "admin/venues", ctx);
}

void h_admin_venues(struct req *r)
{
	struct db *db = page_db(r);
	if (db)
		venues_page(r, db, 200, NULL, NULL);
}

void h_admin_venue_edit(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct venue v;
	int64_t id = req_param_id(r, 0);
	if (id < 0 || venue_get(db, &r->arena, id, &v) != EVENT_OK) {
		web_error(r, 404, "お探しの会場は見つかりませんでした。");
		return;
	}
	venues_page(r, db, 200, &v, NULL);
}

void h_admin_venue_save(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct venue old = {0}, v = {0};
	bool editing = r->nparams > 0;
	if (editing) {
		int64_t id = req_param_id(r, 0);
		if (id < 0 || venue_get(db, a, id, &old) != EVENT_OK) {
			web_error(r, 404, "お探しの会場は見つかりませんでした。");
			return;
		}
		v.id = id;
	}
	struct form f;
	form_check(a, venue_fields, VF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, bad_fields);
		return;
	}
	v.name = form_s(&f, VF_NAME);
	v.name_kana = form_s(&f, VF_KANA);
	v.pref = form_s(&f, VF_PREF);
	v.city = form_s(&f, VF_CITY);
	v.town = form_s(&f, VF_TOWN);
	v.street = form_s(&f, VF_STREET);
	v.building = form_s(&f, VF_BUILDING);
	v.access = form_s(&f, VF_ACCESS);
	v.parking = form_s(&f, VF_PARKING);
	v.barrier_free = form_s(&f, VF_BARRIER);
	v.archived = f.v[VF_ARCHIVED].i != 0;
	if (f.v[VF_LAT].present || f.v[VF_LNG].present) {
		v.has_latlng = true;
		if (parse_degree(form_s(&f, VF_LAT), 90, &v.lat) != 0)
			form_error(&f, VF_LAT, "緯度は-90から90までの数で入力してください");
		if (parse_degree(form_s(&f, VF_LNG), 180, &v.lng) != 0)
			form_error(&f, VF_LNG, "経度は-180から180までの数で入力してください");
	}
	enum event_rc rc = EVENT_OK;
	if (!f.nerrors) {
		rc = venue_save(db, &v, NULL);
		if (rc == EVENT_CONFLICT)
			form_error(&f, VF_NAME, "同じ名前の会場がすでに登録されています");
	}
	if (f.nerrors) {
		venues_page(r, db, 422, editing ? &old : NULL, &f);
		return;
	}
	if (rc != EVENT_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, "/admin/venues");
}

enum { SF_NAME, SF_DESCRIPTION, SF__MAX };
static const struct field_spec series_fields[SF__MAX] = {
    [SF_NAME] = {"name", "シリーズ名", F_LINE, true, 100, 0, 0, NULL},
    [SF_DESCRIPTION] = {"description", "説明", F_TEXT, false, 10000, 0, 0, NULL},
};

static void series_page(struct req *r, struct db *db, int status, const struct series *cur,
			const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "シリーズの管理", NAV_NONE);
	struct series *list;
	size_t n = 0;
	series_list(db, a, &list, &n);
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", list[i].id);
		tv_set_str(o, "name", list[i].name);
		tv_push(items, o);
	}
	tv_set(ctx, "series", items);
	const char *defaults[SF__MAX] = {0};
	if (cur) {
		tv_set_int(ctx, "id", cur->id);
		defaults[SF_NAME] = cur->name;
		defaults[SF_DESCRIPTION] = cur->description;
	}
	tv_set_str(ctx, "action",
		   cur ? arena_printf(a, "/admin/series/%lld", (long long)cur->id)
		       : "/admin/series");
	struct tv *fields = page_form(r, ctx, series_fields, SF__MAX, f, defaults);
	tv_set(ctx, "f", fields);
	page_field_set(fields, "description", "textarea", tv_bool(a, true));
	page_field_set(fields, "description", "hint", tv_str(a, "Markdown記法が使えます。"));
	page_render(r, status, "admin/series", ctx);
}

void h_admin_series(struct req *r)
{
	struct db *db = page_db(r);
	if (db)
		series_page(r, db, 200, NULL, NULL);
}

void h_admin_series_edit(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct series s;
	int64_t id = req_param_id(r, 0);
	if (id < 0 || series_get(db, &r->arena, id, &s) != EVENT_OK) {
		web_error(r, 404, "お探しのシリーズは見つかりませんでした。");
		return;
	}
	series_page(r, db, 200, &s, NULL);
}

void h_admin_series_save(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct series old = {0}, s = {0};
	bool editing = r->nparams > 0;
	if (editing) {
		int64_t id = req_param_id(r, 0);
		if (id < 0 || series_get(db, a, id, &old) != EVENT_OK) {
			web_error(r, 404, "お探しのシリーズは見つかりませんでした。");
			return;
		}
		s.id = id;
	}
	struct form f;
	form_check(a, series_fields, SF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, bad_fields);
		return;
	}
	s.name = form_s(&f, SF_NAME);
	s.description = form_s(&f, SF_DESCRIPTION);
	enum event_rc rc = EVENT_OK;
	if (!f.nerrors) {
		rc = series_save(db, &s, NULL);
		if (rc == EVENT_CONFLICT)
			form_error(&f, SF_NAME, "同じ名前のシリーズがすでに登録されています");
	}
	if (f.nerrors) {
		series_page(r, db, 422, editing ? &old : NULL, &f);
		return;
	}
	if (rc != EVENT_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, "/admin/series");
}

/* ---- API ----------------------------------------------------------------- */

/* ISO 8601 in JST: 2024-10-18T14:00:00+09:00. */
static json_t *iso_jst(int64_t t)
{
	struct jst j;
	char b[40];
	jp_unix_to_jst(t, &j);
	snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", j.y, j.m, j.d, j.hh, j.mi,
		 j.ss);
	return json_string(b);
}

static json_t *opt_str(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

enum { AQ_FROM, AQ_TO, AQ_SERIES, AQ_TYPE, AQ__MAX };
static const struct field_spec api_fields[AQ__MAX] = {
    [AQ_FROM] = {"from", "開始日", F_DATE, false, 0, 0, 0, NULL},
    [AQ_TO] = {"to", "終了日", F_DATE, false, 0, 0, 0, NULL},
    [AQ_SERIES] = {"series", "シリーズ", F_ID, false, 0, 0, 0, NULL},
    [AQ_TYPE] = {"type", "種類", F_CHOICE, false, 0, 0, 0, event_types},
};

/* JST midnight of a F_DATE value (yyyymmdd). */
static int64_t date_start(int64_t v)
{
	return jp_jst_to_unix((int)(v / 10000), (int)(v / 100 % 100), (int)(v % 100), 0, 0, 0);
}

void h_api_events(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, api_fields, AQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		json_t *errs = json_object();
		for (size_t i = 0; i < AQ__MAX; i++)
			if (f.v[i].error)
				json_object_set_new(errs, api_fields[i].name,
						    json_string(f.v[i].error));
		if (f.unknown)
			json_object_set_new(errs, f.unknown, json_string("未知の項目です"));
		if (f.repeated)
			json_object_set_new(errs, f.repeated, json_string("項目が重複しています"));
		json_t *j = json_object();
		json_object_set_new(j, "errors", errs);
		char *s = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		buf_reset(&r->body);
		buf_adds(&r->body, s ? s : "{}");
		free(s);
		r->status = 422;
		r->content_type = "application/json; charset=utf-8";
		return;
	}
	int64_t now = time(NULL);
	struct event_query q = {
	    .from = f.v[AQ_FROM].present ? date_start(f.v[AQ_FROM].i) : 0,
	    /* "to" is inclusive: events starting before the next midnight. */
	    .to = f.v[AQ_TO].present ? date_start(f.v[AQ_TO].i) + 86400 : 0,
	    .series_id = f.v[AQ_SERIES].i,
	    .type = form_s(&f, AQ_TYPE),
	    .published_only = true,
	    .now = now,
	    .limit = 500,
	};
	/* With a date range the client chose the window; else upcoming. */
	q.any_time = q.from || q.to;
	struct event *list;
	size_t n;
	if (event_list(db, a, &q, &list, &n, NULL) != EVENT_OK) {
		web_error(r, 503, load_failed);
		return;
	}
	const char *base = web_base_url();
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct event *e = &list[i];
		json_t *j = json_object();
		json_object_set_new(j, "id", json_integer(e->id));
		json_object_set_new(j, "title", json_string(e->title));
		json_object_set_new(j, "title_kana", json_string(e->title_kana));
		json_object_set_new(j, "type", json_string(e->type));
		json_object_set_new(j, "series", opt_str(e->series_name));
		json_object_set_new(j, "series_no",
				    e->series_no ? json_integer(e->series_no) : json_null());
		json_object_set_new(j, "organiser", opt_str(e->organiser_name));
		json_object_set_new(j, "starts_at", iso_jst(e->starts_at));
		json_object_set_new(j, "ends_at", iso_jst(e->ends_at));
		json_object_set_new(j, "venue", opt_str(e->venue_name));
		json_object_set_new(j, "room", opt_str(e->room));
		json_object_set_new(j, "online_url", opt_str(e->online_url));
		json_t *aud = json_array();
		for (const char *p = e->audience; *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			if (len)
				json_array_append_new(aud, json_stringn(p, len));
			p += len + (nl ? 1 : 0);
		}
		json_object_set_new(j, "audience", aud);
		json_object_set_new(j, "fee_yen", json_integer(e->fee_yen));
		json_object_set_new(j, "capacity", json_integer(e->capacity));
		int64_t left = event_places_left(db, e->id);
		json_object_set_new(j, "places_left", left >= 0 ? json_integer(left) : json_null());
		json_object_set_new(
		    j, "url",
		    json_string(arena_printf(a, "%s/events/%lld", base, (long long)e->id)));
		json_array_append_new(items, j);
	}
	json_t *j = json_object();
	json_object_set_new(j, "items", items);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	buf_reset(&r->body);
	buf_adds(&r->body, s ? s : "{}");
	free(s);
	r->status = 200;
	r->content_type = "application/json; charset=utf-8";
}

/* ---- home page ------------------------------------------------------------- */

void web_home_events(struct req *r, struct tv *ctx)
{
	struct db *db = db_thread();
	if (!db)
		return;
	int64_t now = time(NULL);
	struct event_query q = {.published_only = true, .now = now, .limit = 3};
	struct event *list;
	size_t n;
	if (event_list(db, &r->arena, &q, &list, &n, NULL) != EVENT_OK || n == 0)
		return;
	struct tv *items = tv_list(&r->arena);
	for (size_t i = 0; i < n; i++)
		tv_push(items, event_summary(r, db, &list[i], now));
	tv_set(ctx, "upcoming_events", items);
	tv_set_bool(ctx, "has_upcoming_events", true);
}

bool web_event_image_visible(struct req *r, struct db *db, const struct stored_file *f)
{
	int64_t id = event_of_image_file(db, f->id);
	struct event e;
	if (!id || event_get(db, &r->arena, id, &e) != EVENT_OK)
		return false;
	return e.published || event_can_manage(db, r->user, &e);
}
