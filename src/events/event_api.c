/*
 * GET /api/v1/events: the published events as JSON, upcoming by default or
 * those starting in [from, to] (dates in JST), filtered by series and
 * type.  Times are ISO 8601 with +09:00.
 */
#include "events/event.h"
#include "events/handlers.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <jansson.h>
#include <stdio.h>
#include <time.h>

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

enum { AQ_FROM, AQ_TO, AQ_SERIES, AQ_TYPE, AQ__MAX };
static const struct field_spec api_fields[AQ__MAX] = {
    [AQ_FROM] = {"from", "events.field.from", F_DATE, false, 0, 0, 0, NULL},
    [AQ_TO] = {"to", "events.field.to", F_DATE, false, 0, 0, 0, NULL},
    [AQ_SERIES] = {"series", "events.field.series", F_ID, false, 0, 0, 0, NULL},
    [AQ_TYPE] = {"type", "events.field.type", F_CHOICE, false, 0, 0, 0, event_types},
};

/* JST midnight of a F_DATE value (yyyymmdd). */
static int64_t date_start(int64_t v)
{
	return jp_jst_to_unix((int)(v / 10000), (int)(v / 100 % 100), (int)(v % 100), 0, 0, 0);
}

/* 422 {"errors": {field: message}} for a query that did not pass. */
static void refuse_query(struct req *r, const struct form *f)
{
	json_t *errs = json_object();
	for (size_t i = 0; i < AQ__MAX; i++)
		if (f->v[i].error)
			json_object_set_new(errs, api_fields[i].name, json_string(f->v[i].error));
	if (f->unknown)
		json_object_set_new(errs, f->unknown, json_string(msg("events.err.unknown_field")));
	if (f->repeated)
		json_object_set_new(errs, f->repeated,
				    json_string(msg("events.err.repeated_field")));
	respond_json(r, 422, json_pack("{s:o}", "errors", errs));
}

/* One event of the list. */
static json_t *event_json(struct req *r, struct db *db, const struct event *e, const char *base)
{
	json_t *aud = json_array();
	struct str line;
	for (const char *p = e->audience; event_audience_next(&p, &line);)
		json_array_append_new(aud, json_stringn(line.p, line.n));
	int64_t left = event_places_left(db, e->id);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "title", json_string(e->title));
	json_object_set_new(j, "title_kana", json_string(e->title_kana));
	json_object_set_new(j, "type", json_string(e->type));
	json_object_set_new(j, "series", json_str_or_null(e->series_name));
	json_object_set_new(j, "series_no",
			    e->series_no ? json_integer(e->series_no) : json_null());
	json_object_set_new(j, "organiser", json_str_or_null(e->organiser_name));
	json_object_set_new(j, "starts_at", iso_jst(e->starts_at));
	json_object_set_new(j, "ends_at", iso_jst(e->ends_at));
	json_object_set_new(j, "venue", json_str_or_null(e->venue_name));
	json_object_set_new(j, "room", json_str_or_null(e->room));
	json_object_set_new(j, "online_url", json_str_or_null(e->online_url));
	json_object_set_new(j, "audience", aud);
	json_object_set_new(j, "fee_yen", json_integer(e->fee_yen));
	json_object_set_new(j, "capacity", json_integer(e->capacity));
	json_object_set_new(j, "places_left", left >= 0 ? json_integer(left) : json_null());
	json_object_set_new(
	    j, "url",
	    json_string(arena_printf(&r->arena, "%s/events/%lld", base, (long long)e->id)));
	return j;
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
		refuse_query(r, &f);
		return;
	}
	struct event_query q = {
	    .from = f.v[AQ_FROM].present ? date_start(f.v[AQ_FROM].i) : 0,
	    /* "to" is inclusive: events starting before the next midnight. */
	    .to = f.v[AQ_TO].present ? date_start(f.v[AQ_TO].i) + 86400 : 0,
	    .series_id = f.v[AQ_SERIES].i,
	    .type = form_s(&f, AQ_TYPE),
	    .published_only = true,
	    .now = time(NULL),
	    .limit = 500,
	};
	/* With a date range the client chose the window; else upcoming. */
	q.any_time = q.from || q.to;
	struct event *list;
	size_t n;
	if (event_list(db, a, &q, &list, &n, NULL) != RC_OK) {
		web_error(r, 503, "events.err.load_failed");
		return;
	}
	const char *base = web_base_url();
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, event_json(r, db, &list[i], base));
	respond_json(r, 200, json_pack("{s:o}", "items", items));
}
