/*
 * Events, the public pages: the list of upcoming and past events with its
 * filters, the month calendar, an event's page and a series' page, the
 * home page's upcoming block, and the /files rule for event images.  The
 * organisers' forms and the office's venues and series are in
 * event_admin.c, GET /api/v1/events in event_api.c; the rules live in
 * event.c.  Words come from the catalogue (messages/ja.events.msg).
 */
#include "core/access.h"
#include "core/role.h"
#include "events/event.h"
#include "events/event_pages.h"
#include "events/handlers.h"
#include "files/files.h"
#include "groups/group.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

#define PER_PAGE 20

/* ---- shared by the pages ------------------------------------------------- */

/* 「令和6年10月18日(金) 14:00〜16:00」, or with the end date when it differs. */
static const char *when_label(struct arena *a, const struct event *e)
{
	struct jst s, t;
	jp_unix_to_jst(e->starts_at, &s);
	jp_unix_to_jst(e->ends_at, &t);
	const char *end = s.y == t.y && s.m == t.m && s.d == t.d
			      ? arena_printf(a, "%02d:%02d", t.hh, t.mi)
			      : page_datetime(a, e->ends_at);
	return msgf(a, "events.when", page_datetime(a, e->starts_at), end);
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
		label = msg("events.places.not_yet");
		break;
	case EVENT_REG_OPEN:
		label = msgf(a, "events.places.left", arena_printf(a, "%lld", (long long)left));
		break;
	case EVENT_REG_WAITLIST:
		label = msg("events.places.waitlist");
		break;
	case EVENT_REG_CLOSED:
		label = msg("events.places.closed");
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
	struct str line;
	for (const char *p = audience; event_audience_next(&p, &line);)
		tv_push(l, tv_strn(a, line.p, line.n));
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
		tv_set_str(
		    o, "series_no_label",
		    msgf(a, "events.series_no", arena_printf(a, "%lld", (long long)e->series_no)));
	tv_set_str(o, "organiser", e->organiser_name[0] ? e->organiser_name : msg("events.office"));
	tv_set(o, "audience", audience_list(a, e->audience));
	tv_set_bool(o, "has_report", e->has_report);
	tv_set_bool(o, "unpublished", !e->published);
	if (e->capacity > 0)
		places_label(a, o, e, event_places_left(db, e->id), now);
	return o;
}

/* ---- public list ------------------------------------------------------- */

enum { LQ_TYPE, LQ_SERIES, LQ_GROUP, LQ_AUDIENCE, LQ_PAGE, LQ__MAX };
static const struct field_spec list_fields[LQ__MAX] = {
    [LQ_TYPE] = {"type", "events.field.type", F_CHOICE, false, 0, 0, 0, event_types},
    [LQ_SERIES] = {"series", "events.field.series", F_ID, false, 0, 0, 0, NULL},
    [LQ_GROUP] = {"group", "events.field.group", F_ID, false, 0, 0, 0, NULL},
    [LQ_AUDIENCE] = {"audience", "events.field.audience", F_CHOICE, false, 0, 0, 0,
		     event_audiences},
    [LQ_PAGE] = {"page", "events.field.page", F_INT, false, 0, 1, 100000, NULL},
};

/* Options {name, selected} of a stored word list (event_types ...). */
static struct tv *word_choices(struct arena *a, const char *const *words, const char *chosen)
{
	struct tv *l = tv_list(a);
	for (size_t i = 0; words[i]; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", words[i]);
		tv_set_bool(o, "selected", strcmp(chosen, words[i]) == 0);
		tv_push(l, o);
	}
	return l;
}

struct tv *event_choices_tv(struct arena *a, const struct event_choice *c, size_t n, int64_t chosen)
{
	struct tv *l = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", c[i].id);
		tv_set_str(o, "name", c[i].name);
		tv_set_bool(o, "selected", chosen == c[i].id);
		tv_push(l, o);
	}
	return l;
}

/* Filter choices (type, series, organiser, audience) with the current ones selected. */
static void filter_choices(struct req *r, struct db *db, struct tv *ctx, const struct form *f)
{
	struct arena *a = &r->arena;
	tv_set(ctx, "types", word_choices(a, event_types, form_s(f, LQ_TYPE)));
	tv_set(ctx, "audiences", word_choices(a, event_audiences, form_s(f, LQ_AUDIENCE)));
	struct event_choice *c;
	size_t n = 0;
	event_choices(db, a, EVENT_PICK_SERIES, &c, &n);
	tv_set(ctx, "series", event_choices_tv(a, c, n, f->v[LQ_SERIES].i));
	n = 0;
	event_choices(db, a, EVENT_PICK_GROUP, &c, &n);
	tv_set(ctx, "groups", event_choices_tv(a, c, n, f->v[LQ_GROUP].i));
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
		web_error(r, 400, "events.err.filters");
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
	if (event_list(db, a, &q, &list, &n, &total) != RC_OK) {
		web_error(r, 503, "events.err.load_failed");
		return;
	}
	const char *base = past ? "/events/past" : "/events";
	struct tv *ctx = page_ctx(r, past ? "events.title.past" : "events.title.list", NAV_EVENTS);
	tv_set_bool(ctx, "past", past);
	tv_set_str(ctx, "base", base);
	bool filtering = f.v[LQ_TYPE].present || f.v[LQ_SERIES].present || f.v[LQ_GROUP].present ||
			 f.v[LQ_AUDIENCE].present;
	tv_set_bool(ctx, "filtering", filtering);
	tv_set_str(ctx, "heading",
		   msgf(a, filtering ? "events.list.heading_filtered" : "events.list.heading",
			arena_printf(a, "%lld", (long long)total)));
	tv_set_bool(ctx, "can_create", who_has(r->user, PERM_STAFF | ROLE_MEMBER));
	filter_choices(r, db, ctx, &f);
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(items, event_summary(r, db, &list[i], now));
	tv_set(ctx, "events", items);
	tv_set(ctx, "pages",
	       respond_pagination(r, page, PER_PAGE, total, base, &f, LQ_TYPE, LQ_AUDIENCE));
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
    [CQ_MONTH] = {"month", "events.field.month", F_MONTH, false, 0, 0, 0, NULL},
};

/* The link text to another month: 「前の月（2024年9月）」 for key
 * events.calendar.prev. */
static const char *month_link(struct arena *a, const char *key, int y, int m)
{
	return msgf(
	    a, key,
	    msgf(a, "events.calendar.month", arena_printf(a, "%d", y), arena_printf(a, "%d", m)));
}

/* The calendar's rows: weeks of seven cells, each day with its label
 * (「10月18日(金)」) and the events of days[day]. */
static struct tv *calendar_weeks(struct arena *a, const struct month_grid *g,
				 struct tv *const *days)
{
	static const char *const weekdays[7] = {
	    "events.calendar.sun", "events.calendar.mon", "events.calendar.tue",
	    "events.calendar.wed", "events.calendar.thu", "events.calendar.fri",
	    "events.calendar.sat",
	};
	struct tv *weeks = tv_list(a);
	for (int w = 0; w < g->nweeks; w++) {
		struct tv *cells = tv_list(a);
		for (int d = 0; d < 7; d++) {
			struct tv *c = tv_obj(a);
			int day = g->day[w][d];
			if (day) {
				tv_set_int(c, "day", day);
				tv_set_str(c, "label",
					   msgf(a, "events.calendar.day",
						arena_printf(a, "%d", g->month),
						arena_printf(a, "%d", day), msg(weekdays[d])));
				tv_set(c, "events", days[day]);
				tv_set_bool(c, "has_events", days[day] != NULL);
			}
			tv_push(cells, c);
		}
		struct tv *wk = tv_obj(a);
		tv_set(wk, "cells", cells);
		tv_push(weeks, wk);
	}
	return weeks;
}

void h_events_calendar(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, calendar_fields, CQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, "events.err.month");
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
		web_error(r, 400, "events.err.month");
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
	if (event_list(db, a, &q, &list, &n, NULL) != RC_OK) {
		web_error(r, 503, "events.err.load_failed");
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
	struct tv *ctx = page_ctx(r, "events.title.calendar", NAV_EVENTS);
	tv_set_str(ctx, "caption",
		   msgf(a, "events.calendar.caption", arena_printf(a, "%d", y), era,
			arena_printf(a, "%d", m), arena_printf(a, "%zu", n)));
	tv_set_str(ctx, "prev_url", arena_printf(a, "/events/calendar?month=%04d-%02d", py, pm));
	tv_set_str(ctx, "prev_label", month_link(a, "events.calendar.prev", py, pm));
	tv_set_str(ctx, "next_url", arena_printf(a, "/events/calendar?month=%04d-%02d", ny, nm));
	tv_set_str(ctx, "next_label", month_link(a, "events.calendar.next", ny, nm));
	tv_set(ctx, "weeks", calendar_weeks(a, &g, days));
	page_render(r, 200, "events/calendar", ctx);
}

/* ---- event page ------------------------------------------------------ */

const char *event_fee_label(struct arena *a, int64_t yen)
{
	if (yen <= 0)
		return msg("events.fee.free");
	return msgf(a, "events.fee.yen", arena_printf(a, "%lld", (long long)yen));
}

/* The event in route parameter 0, when the user may see it (event.c's
 * rule: published, or one they may manage).  Sends the 404 and returns
 * false otherwise. */
static bool load_event(struct req *r, struct db *db, struct event *e)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || event_get(db, &r->arena, id, e) != RC_OK ||
	    !event_may(db, r->user, e, ACCESS_VIEW)) {
		web_error(r, 404, "events.err.not_found");
		return false;
	}
	return true;
}

/* The venue block of the event page, or NULL. */
static struct tv *venue_info(struct arena *a, struct db *db, const struct event *e)
{
	struct venue v;
	if (!e->venue_id || venue_get(db, a, e->venue_id, &v) != RC_OK)
		return NULL;
	struct tv *vo = tv_obj(a);
	tv_set_str(vo, "name", v.name);
	tv_set_str(vo, "room", e->room);
	tv_set_str(vo, "address",
		   arena_printf(a, "%s%s%s%s%s%s", v.pref, v.city, v.town, v.street,
				v.building[0] ? " " : "", v.building));
	tv_set_str(vo, "access", v.access);
	tv_set_str(vo, "parking", v.parking);
	tv_set_str(vo, "barrier_free", v.barrier_free);
	return vo;
}

struct tv *event_images_tv(struct arena *a, struct db *db, int64_t id)
{
	struct event_image *im;
	size_t nim = 0;
	event_images(db, a, id, &im, &nim);
	struct tv *imgs = tv_list(a);
	for (size_t i = 0; i < nim; i++) {
		struct tv *io = tv_obj(a);
		tv_set_int(io, "id", im[i].id);
		tv_set_int(io, "event_id", id);
		tv_set_str(io, "url", arena_printf(a, "/files/%lld", (long long)im[i].file_id));
		tv_set_str(io, "alt", im[i].alt);
		tv_push(imgs, io);
	}
	return imgs;
}

void h_event(struct req *r)
{
	struct db *db = page_db(r);
	struct event e;
	if (!db || !load_event(r, db, &e))
		return;
	struct arena *a = &r->arena;
	int64_t now = time(NULL);
	struct tv *ctx = page_ctx(r, e.title, NAV_EVENTS);
	struct tv *o = event_summary(r, db, &e, now);
	tv_set(ctx, "event", o);
	tv_set_bool(ctx, "can_manage", event_may(db, r->user, &e, ACCESS_MANAGE));
	tv_set_bool(o, "ended", e.ends_at < now);
	tv_set_int(o, "series_id", e.series_id);
	tv_set_int(o, "capacity", e.capacity);
	if (e.capacity > 0)
		tv_set_str(
		    o, "capacity_label",
		    msgf(a, "events.capacity", arena_printf(a, "%lld", (long long)e.capacity)));
	tv_set_int(o, "max_party", e.max_party);
	if (e.group_id)
		tv_set_str(o, "organiser_url",
			   arena_printf(a, "/groups/%lld", (long long)e.group_id));
	tv_set_str(o, "starts_iso", arena_printf(a, "%lld", (long long)e.starts_at));
	tv_set(o, "venue_info", venue_info(a, db, &e));
	tv_set_str(o, "online_url", e.online_url);
	tv_set_str(o, "fee",
		   *e.fee_text
		       ? msgf(a, "events.fee.with_text", event_fee_label(a, e.fee_yen), e.fee_text)
		       : event_fee_label(a, e.fee_yen));
	tv_set_str(o, "accessibility", e.accessibility);
	tv_set_str(o, "contact_name", e.contact_name);
	tv_set_str(o, "contact_phone", e.contact_phone);
	tv_set_str(o, "contact_email", e.contact_email);
	tv_set(o, "description_html", tv_raw(a, markdown_html(a, e.description)));
	if (e.reg_opens_at)
		tv_set_str(o, "reg_opens", page_datetime(a, e.reg_opens_at));
	if (e.reg_closes_at)
		tv_set_str(o, "reg_closes", page_datetime(a, e.reg_closes_at));
	tv_set(o, "images", event_images_tv(a, db, e.id));
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
	if (id < 0 || series_get(db, a, id, &s) != RC_OK) {
		web_error(r, 404, "series.err.not_found");
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
		if (event_list(db, a, &q, &list, &n, NULL) != RC_OK) {
			web_error(r, 503, "events.err.load_failed");
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

/* ---- home page and /files ------------------------------------------------ */

void web_home_events(struct req *r, struct tv *ctx)
{
	struct db *db = db_thread();
	if (!db)
		return;
	int64_t now = time(NULL);
	struct event_query q = {.published_only = true, .now = now, .limit = 3};
	struct event *list;
	size_t n;
	if (event_list(db, &r->arena, &q, &list, &n, NULL) != RC_OK || n == 0)
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
	return id && access_may(db, r->user, ACCESS_EVENT, id, ACCESS_VIEW);
}
