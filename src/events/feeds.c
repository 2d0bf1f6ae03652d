/*
 * Feeds and open data of the published events:
 *
 *   GET /events.ics                 every event, iCalendar (RFC 5545)
 *   GET /events/series/{id}.ics     one series
 *   GET /events/groups/{id}.ics     one organising group
 *   GET /events.atom                the 30 newest events (by creation), Atom
 *   GET /opendata/events.csv        推奨データセット「イベント一覧」
 *
 * Calendars are built with libical: each VEVENT carries DTSTART/DTEND as
 * wall time with TZID=Asia/Tokyo, and the calendar holds a VTIMEZONE for it
 * (JST, +09:00, no daylight saving) built here rather than taken from the
 * system's zoneinfo, so the output does not depend on the host.
 *
 * None of these depends on the clock or the user, so the routes are in the
 * page cache; every write empties it.
 */
#include "core/settings.h"
#include "events/event.h"
#include "events/event_pages.h"
#include "events/handlers.h"
#include "groups/group.h"
#include "util/csv.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FEED_TZID	  "Asia/Tokyo"
#define ATOM_MAX_ENTRIES  30
#define FEED_PAGE	  500	/* event_list's page size */
#define FEED_MAX_EVENTS	  20000 /* a bound on one feed, far above any city's list */
#define DEFAULT_CITY_CODE "172014"

/* ---- loading ------------------------------------------------------------ */

/* Every published event matching series_id / group_id (0 = any), by start.
 * false (with a 503 sent) when the database fails. */
static bool load_events(struct req *r, struct db *db, int64_t series_id, int64_t group_id,
			struct event **out, size_t *nout)
{
	struct arena *a = &r->arena;
	struct event *all = NULL;
	size_t n = 0, cap = 0;
	for (int64_t offset = 0; offset < FEED_MAX_EVENTS; offset += FEED_PAGE) {
		struct event_query q = {0};
		q.any_time = true;
		q.published_only = true;
		q.series_id = series_id;
		q.group_id = group_id;
		q.limit = FEED_PAGE;
		q.offset = offset;
		struct event *page;
		size_t np;
		if (event_list(db, a, &q, &page, &np, NULL) != RC_OK) {
			web_error(r, 503, "feeds.err.load_failed");
			return false;
		}
		for (size_t i = 0; i < np; i++) {
			all = arena_grow(a, all, n, &cap, sizeof(*all));
			all[n++] = page[i];
		}
		if (np < FEED_PAGE)
			break;
	}
	*out = all;
	*nout = n;
	return true;
}

/* The connection (page_db) and every published event (load_events); NULL
 * after an error was answered. */
static struct db *all_events(struct req *r, struct event **list, size_t *n)
{
	struct db *db = page_db(r);
	return db && load_events(r, db, 0, 0, list, n) ? db : NULL;
}

/* The venue of e (looked up once per id in a small cache), or NULL. */
struct venue_cache {
	struct venue *v;
	size_t n, cap;
};

static const struct venue *venue_of(struct db *db, struct arena *a, struct venue_cache *c,
				    const struct event *e)
{
	if (e->venue_id <= 0)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].id == e->venue_id)
			return &c->v[i];
	c->v = arena_grow(a, c->v, c->n, &c->cap, sizeof(*c->v));
	if (venue_get(db, a, e->venue_id, &c->v[c->n]) != RC_OK)
		return NULL;
	return &c->v[c->n++];
}

/* 「石川県金沢市…」 of a venue: the four address fields joined. */
static const char *venue_address(struct arena *a, const struct venue *v)
{
	if (!v)
		return "";
	return arena_printf(a, "%s%s%s%s", v->pref, v->city, v->town, v->street);
}

/* The site's absolute base: KYODO_BASE_URL, or http://Host. */
static const char *site_base(struct req *r)
{
	const char *b = web_base_url();
	if (b && *b)
		return b;
	const char *host = req_header(r, "Host");
	return arena_printf(&r->arena, "http://%s", host && *host ? host : "localhost");
}

/* The host part of a base URL ("kyodo.example.jp"), for UIDs. */
static const char *base_host(struct arena *a, const char *base)
{
	const char *p = strstr(base, "://");
	p = p ? p + 3 : base;
	size_t n = strcspn(p, "/:");
	return n ? arena_strndup(a, p, n) : "kyodo";
}

/* The characters XML and HTML escape, and their entities.  The last
 * entry is another spelling of the one before it, which the Markdown
 * renderer may write: read, never written. */
static const struct {
	char ch;
	const char *ent;
} entities[] = {{'&', "&amp;"},	 {'<', "&lt;"},	  {'>', "&gt;"},
		{'"', "&quot;"}, {'\'', "&#39;"}, {'\'', "&#x27;"}};
#define NWRITTEN (sizeof(entities) / sizeof(entities[0]) - 1)

/* The index in entities[] of the entity p starts with, or -1. */
static int entity_at(const char *p)
{
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (strncmp(p, entities[i].ent, strlen(entities[i].ent)) == 0)
			return (int)i;
	return -1;
}

/*
 * Markdown as plain text: rendered to sanitised HTML by cmark, then the
 * tags dropped (block ends become line breaks) and the five entities the
 * renderer writes decoded.
 */
static const char *plain_text(struct arena *a, const char *md)
{
	if (!md || !*md)
		return "";
	const char *html = markdown_html(a, md);
	struct buf b = BUF_INIT;
	for (const char *p = html; *p;) {
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (!end)
				break;
			if (!strncmp(p, "</p>", 4) || !strncmp(p, "<br", 3) ||
			    !strncmp(p, "</li>", 5) || !strncmp(p, "</h", 3))
				buf_addc(&b, '\n');
			p = end + 1;
			continue;
		}
		int e = *p == '&' ? entity_at(p) : -1;
		if (e >= 0) {
			buf_addc(&b, entities[e].ch);
			p += strlen(entities[e].ent);
		} else {
			buf_addc(&b, *p++);
		}
	}
	/* No trailing line breaks. */
	while (b.n && (b.p[b.n - 1] == '\n' || b.p[b.n - 1] == ' '))
		b.p[--b.n] = '\0';
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

/* The office's name: 自治体名 + 担当部署 from the settings. */
static const char *office(struct db *db, struct arena *a)
{
	return arena_printf(a, "%s %s", setting_get(db, a, "office_org"),
			    setting_get(db, a, "office_name"));
}

/* The organiser's name: the group, or the office. */
static const char *organiser(struct db *db, struct arena *a, const struct event *e)
{
	return e->organiser_name && *e->organiser_name ? e->organiser_name : office(db, a);
}

/* ---- iCalendar ---------------------------------------------------------- */

/* Wall time in JST of Unix time t, as a floating icaltime (the TZID
 * parameter names its zone). */
static struct icaltimetype jst_time(int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	struct icaltimetype it = icaltime_null_time();
	it.year = j.y;
	it.month = j.m;
	it.day = j.d;
	it.hour = j.hh;
	it.minute = j.mi;
	it.second = j.ss;
	it.is_date = 0;
	return it;
}

/* The VTIMEZONE of Asia/Tokyo: standard time at +09:00 since 1970, no
 * daylight saving (the last was in 1951). */
static icalcomponent *tokyo_vtimezone(void)
{
	icalcomponent *tz = icalcomponent_new_vtimezone();
	icalcomponent_add_property(tz, icalproperty_new_tzid(FEED_TZID));
	icalcomponent *std = icalcomponent_new_xstandard();
	struct icaltimetype start = icaltime_null_time();
	start.year = 1970;
	start.month = 1;
	start.day = 1;
	icalcomponent_add_property(std, icalproperty_new_dtstart(start));
	icalcomponent_add_property(std, icalproperty_new_tzoffsetfrom(9 * 3600));
	icalcomponent_add_property(std, icalproperty_new_tzoffsetto(9 * 3600));
	icalcomponent_add_property(std, icalproperty_new_tzname("JST"));
	icalcomponent_add_component(tz, std);
	return tz;
}

static icalproperty *with_tzid(icalproperty *p)
{
	icalproperty_add_parameter(p, icalparameter_new_tzid(FEED_TZID));
	return p;
}

/* Send events[0..n) as a calendar named name. */
static void send_ics(struct req *r, struct db *db, const char *name, const struct event *events,
		     size_t n)
{
	struct arena *a = &r->arena;
	const char *base = site_base(r);
	const char *host = base_host(a, base);
	struct venue_cache vc = {0};
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//kyodo//events//JA"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalproperty *xname = icalproperty_new_x(name);
	icalproperty_set_x_name(xname, "X-WR-CALNAME");
	icalcomponent_add_property(cal, xname);
	icalproperty *xtz = icalproperty_new_x(FEED_TZID);
	icalproperty_set_x_name(xtz, "X-WR-TIMEZONE");
	icalcomponent_add_property(cal, xtz);
	icalcomponent_add_component(cal, tokyo_vtimezone());

	for (size_t i = 0; i < n; i++) {
		const struct event *e = &events[i];
		icalcomponent *ev = icalcomponent_new_vevent();
		icalcomponent_add_property(
		    ev, icalproperty_new_uid(
			    arena_printf(a, "kyodo-event-%lld@%s", (long long)e->id, host)));
		icalcomponent_add_property(
		    ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
			    (time_t)e->updated_at, 0, icaltimezone_get_utc_timezone())));
		icalcomponent_add_property(
		    ev, with_tzid(icalproperty_new_dtstart(jst_time(e->starts_at))));
		icalcomponent_add_property(ev,
					   with_tzid(icalproperty_new_dtend(jst_time(e->ends_at))));
		icalcomponent_add_property(ev, icalproperty_new_summary(e->title));
		const struct venue *v = venue_of(db, a, &vc, e);
		const char *location = "";
		if (v)
			location = arena_printf(a, "%s%s%s %s", v->name, *e->room ? " " : "",
						e->room, venue_address(a, v));
		else if (*e->online_url)
			location = msg("feeds.online");
		if (*location)
			icalcomponent_add_property(ev, icalproperty_new_location(location));
		const char *desc = plain_text(a, e->description);
		if (*desc)
			icalcomponent_add_property(ev, icalproperty_new_description(desc));
		icalcomponent_add_property(ev, icalproperty_new_url(arena_printf(
						   a, "%s/events/%lld", base, (long long)e->id)));
		if (e->type && *e->type)
			icalcomponent_add_property(ev, icalproperty_new_categories(e->type));
		icalcomponent_add_component(cal, ev);
	}
	char *text = icalcomponent_as_ical_string_r(cal);
	buf_reset(&r->body);
	buf_adds(&r->body, text ? text : "");
	free(text);
	icalcomponent_free(cal);
	r->status = 200;
	r->content_type = "text/calendar; charset=utf-8";
}

void h_events_ics(struct req *r)
{
	struct event *list;
	size_t n;
	struct db *db = all_events(r, &list, &n);
	if (!db)
		return;
	send_ics(r, db, setting_get(db, &r->arena, "site_name"), list, n);
}

void h_series_ics(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0); /* the router strips ".ics" */
	struct series s;
	if (id < 0 || series_get(db, &r->arena, id, &s) != RC_OK) {
		web_error(r, 404, "feeds.err.not_found");
		return;
	}
	struct event *list;
	size_t n;
	if (load_events(r, db, id, 0, &list, &n))
		send_ics(r, db, s.name, list, n);
}

void h_group_events_ics(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0); /* the router strips ".ics" */
	struct group g;
	if (id < 0 || group_get(db, &r->arena, id, &g) != GROUP_OK || g.archived) {
		web_error(r, 404, "feeds.err.not_found");
		return;
	}
	struct event *list;
	size_t n;
	if (load_events(r, db, 0, id, &list, &n))
		send_ics(r, db, g.name, list, n);
}

/* ---- Atom --------------------------------------------------------------- */

/* s escaped for XML text and attributes; characters XML 1.0 forbids
 * (C0 controls other than tab and line breaks) are dropped. */
static void xml_add(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		size_t i = 0;
		while (i < NWRITTEN && entities[i].ch != (char)*p)
			i++;
		if (i < NWRITTEN)
			buf_adds(b, entities[i].ent);
		else if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
			buf_addc(b, (char)*p);
	}
}

/* RFC 3339 UTC time. */
static void rfc3339(struct buf *b, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		   tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Newest created first. */
static int by_created_desc(const void *x, const void *y)
{
	const struct event *a = x, *b = y;
	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? 1 : -1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

void h_events_atom(struct req *r)
{
	struct event *list;
	size_t n;
	struct db *db = all_events(r, &list, &n);
	if (!db)
		return;
	struct arena *a = &r->arena;
	if (n)
		qsort(list, n, sizeof(*list), by_created_desc);
	if (n > ATOM_MAX_ENTRIES)
		n = ATOM_MAX_ENTRIES;
	const char *base = site_base(r);
	const char *site = setting_get(db, a, "site_name");
	int64_t updated = 0;
	for (size_t i = 0; i < n; i++)
		if (list[i].updated_at > updated)
			updated = list[i].updated_at;

	struct buf *b = &r->body;
	buf_reset(b);
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">\n  <title>");
	xml_add(b, msgf(a, "feeds.atom.title", site));
	buf_adds(b, "</title>\n  <id>");
	xml_add(b, base);
	buf_adds(b,
		 "/events.atom</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_add(b, base);
	buf_adds(b, "/events.atom\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_add(b, base);
	buf_adds(b, "/events\"/>\n  <updated>");
	rfc3339(b, updated);
	buf_adds(b, "</updated>\n  <author><name>");
	xml_add(b, office(db, a));
	buf_adds(b, "</name></author>\n");
	for (size_t i = 0; i < n; i++) {
		const struct event *e = &list[i];
		const char *url = arena_printf(a, "%s/events/%lld", base, (long long)e->id);
		buf_adds(b, "  <entry>\n    <title>");
		xml_add(b, e->title);
		buf_adds(b, "</title>\n    <id>");
		xml_add(b, url);
		buf_adds(b, "</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
		xml_add(b, url);
		buf_adds(b, "\"/>\n    <published>");
		rfc3339(b, e->created_at);
		buf_adds(b, "</published>\n    <updated>");
		rfc3339(b, e->updated_at);
		buf_adds(b, "</updated>\n    <author><name>");
		xml_add(b, organiser(db, a, e));
		buf_adds(b, "</name></author>\n    <summary type=\"text\">");
		xml_add(b, page_datetime(a, e->starts_at));
		if (e->venue_name && *e->venue_name) {
			buf_adds(b, " ");
			xml_add(b, e->venue_name);
		}
		const char *desc = plain_text(a, e->description);
		if (*desc) {
			buf_adds(b, "\n");
			xml_add(b, desc);
		}
		buf_adds(b, "</summary>\n  </entry>\n");
	}
	buf_adds(b, "</feed>\n");
	r->status = 200;
	r->content_type = "application/atom+xml; charset=utf-8";
}

/* ---- open data CSV -------------------------------------------------------- */

/* The header line of 推奨データセット「イベント一覧」: its 32 column names
 * in their order, fixed by the dataset (they do not change with the
 * interface language). */
static const char csv_header[] =
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,イベント名,イベント名_カナ,"
    "イベント名_英語,開始日,終了日,開始時間,終了時間,開始日時特記事項,説明,料金(基本),料金(詳細),"
    "連絡先名称,連絡先電話番号,連絡先内線番号,主催者,場所名称,住所,方書,緯度,経度,アクセス方法,"
    "駐車場情報,定員,参加申込終了日,参加申込終了時間,参加申込方法,URL,備考\r\n";
#define CSV_NCOLS 32

static const char *ymd(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02d", j.y, j.m, j.d);
}

static const char *hm(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%02d:%02d", j.hh, j.mi);
}

/* 石川県 from 「石川県金沢市広坂…」 (the office address): the prefecture the
 * address starts with (groups/group.h's JIS table), or "". */
static const char *pref_of(const char *addr)
{
	for (const char *const *p = prefectures; *p; p++)
		if (!strncmp(addr, *p, strlen(*p)))
			return *p;
	return "";
}

/* One line of the dataset: its CSV_NCOLS fields and CRLF. */
static void csv_row(struct buf *b, const char *const *fields)
{
	for (size_t c = 0; c < CSV_NCOLS; c++)
		csv_field(b, fields[c], c == 0);
	buf_adds(b, "\r\n");
}

/* The 備考 of e: its audiences, accessibility and online address, a line
 * each. */
static const char *csv_note(struct arena *a, const struct event *e)
{
	struct buf aud = BUF_INIT, note = BUF_INIT;
	struct str line;
	for (const char *p = e->audience; event_audience_next(&p, &line);) {
		if (aud.n)
			buf_adds(&aud, msg("feeds.csv.list_sep"));
		buf_addstr(&aud, line);
	}
	if (aud.n)
		buf_adds(&note, msgf(a, "feeds.csv.audience", aud.p));
	if (e->accessibility && *e->accessibility)
		buf_printf(&note, "%s%s", note.n ? "\n" : "",
			   msgf(a, "feeds.csv.accessibility", e->accessibility));
	if (*e->online_url)
		buf_printf(&note, "%s%s", note.n ? "\n" : "",
			   msgf(a, "feeds.csv.online_url", e->online_url));
	const char *s = arena_strdup(a, note.p ? note.p : "");
	buf_release(&aud);
	buf_release(&note);
	return s;
}

void h_opendata_events_csv(struct req *r)
{
	struct event *list;
	size_t n;
	struct db *db = all_events(r, &list, &n);
	if (!db)
		return;
	struct arena *a = &r->arena;
	const char *base = site_base(r);
	const char *code = setting_get(db, a, "city_code");
	if (!code || !*code)
		code = DEFAULT_CITY_CODE;
	const char *office_pref = pref_of(setting_get(db, a, "office_address"));
	const char *office_city = setting_get(db, a, "office_org");
	struct venue_cache vc = {0};

	struct buf *b = &r->body;
	buf_reset(b);
	buf_adds(b, "\xEF\xBB\xBF"); /* BOM: spreadsheet software reads UTF-8 by it */
	buf_adds(b, csv_header);
	for (size_t i = 0; i < n; i++) {
		const struct event *e = &list[i];
		const struct venue *v = venue_of(db, a, &vc, e);
		const char *f[CSV_NCOLS] = {0};
		f[0] = code;
		f[1] = arena_printf(a, "%lld", (long long)e->id);
		f[2] = v && *v->pref ? v->pref : office_pref;
		f[3] = v && *v->city ? v->city : office_city;
		f[4] = e->title;
		f[5] = e->title_kana;
		f[6] = "";
		f[7] = ymd(a, e->starts_at);
		f[8] = ymd(a, e->ends_at);
		f[9] = hm(a, e->starts_at);
		f[10] = hm(a, e->ends_at);
		f[11] = *e->online_url ? msg("feeds.csv.online") : "";
		f[12] = plain_text(a, e->description);
		f[13] = event_fee_label(a, e->fee_yen);
		f[14] = e->fee_text;
		f[15] = e->contact_name;
		f[16] = e->contact_phone;
		f[17] = "";
		f[18] = organiser(db, a, e);
		f[19] = v ? v->name : "";
		f[20] = v ? venue_address(a, v) : "";
		f[21] = v ? arena_printf(a, "%s%s%s", v->building,
					 *v->building && *e->room ? " " : "", e->room)
			  : e->room;
		f[22] = v && v->has_latlng ? arena_printf(a, "%.6f", v->lat) : "";
		f[23] = v && v->has_latlng ? arena_printf(a, "%.6f", v->lng) : "";
		f[24] = v ? v->access : "";
		f[25] = v ? v->parking : "";
		f[26] = e->capacity > 0 ? arena_printf(a, "%lld", (long long)e->capacity) : "";
		if (e->capacity > 0) {
			int64_t closes = e->reg_closes_at ? e->reg_closes_at : e->starts_at;
			f[27] = ymd(a, closes);
			f[28] = hm(a, closes);
			f[29] = msg("feeds.csv.how_to_apply");
		} else {
			f[27] = f[28] = f[29] = "";
		}
		f[30] = arena_printf(a, "%s/events/%lld", base, (long long)e->id);
		f[31] = csv_note(a, e);
		csv_row(b, f);
	}
	r->status = 200;
	r->content_type = RESPOND_CSV;
}
