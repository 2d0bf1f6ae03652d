/*
 * t1900: events — the public list, month calendar, past events, event and
 * series pages, filters, unpublished events, who may create and edit, the
 * form's validation messages, the office's venues and series, and
 * GET /api/v1/events.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"

#define HUB2	 "まちづくりHUB Project in 金沢 第2回"
#define HUB3	 "まちづくりHUB Project in 金沢 第3回"
#define FULL	 "親子で歩く防災まち歩き（満席の例）"
#define KARUTA	 "カルタとクイズで兼六園!!"
#define BRIEFING "令和7年度 協働のまちづくりチャレンジ事業 事前説明会"

static struct client *admin_client(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, add_user(s, "admin"));
	return c;
}

static int64_t event_id(struct server *s, const char *title)
{
	return sql_int(s, "SELECT id FROM events WHERE title = '%s'", title);
}

/* 「残り N 名」 for the event titled title, from the database: the
 * registrations demo may already have filled some places. */
static const char *places_left_label(struct server *s, const char *title)
{
	int64_t left =
	    sql_int(s,
		    "SELECT e.capacity - coalesce((SELECT sum(adults + children) FROM "
		    "registrations r WHERE r.event_id = e.id AND r.status = 'confirmed'), "
		    "0) FROM events e WHERE e.title = '%s'",
		    title);
	return hfmt("残り %lld 名", (long long)left);
}

static const char *const defaults[][2] = {
    {"title", "テストの講座"},
    {"title_kana", "てすとのこうざ"},
    {"type", "講座"},
    {"starts_at", "2031-05-10T14:00"},
    {"ends_at", "2031-05-10T16:00"},
    {"capacity", "20"},
    {"max_party", "3"},
    {"description", "テストです。"},
    {"published", "1"},
};
#define NDEF (sizeof(defaults) / sizeof(defaults[0]))

/* An urlencoded event form: the defaults, with key/value pairs
 * (NULL-terminated) replacing or added; a NULL value removes the key. */
static const char *event_body(const char *csrf, ...)
{
	const char *keys[64], *vals[64];
	size_t n = 0;
	for (size_t i = 0; i < NDEF; i++, n++)
		keys[n] = defaults[i][0], vals[n] = defaults[i][1];
	va_list ap;
	va_start(ap, csrf);
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		size_t i;
		for (i = 0; i < n; i++)
			if (strcmp(keys[i], k) == 0)
				break;
		if (i < n)
			vals[i] = v;
		else if (n < 63)
			keys[n] = k, vals[n++] = v;
	}
	va_end(ap);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (vals[i])
			buf_printf(&b, "%s%s=%s", b.n ? "&" : "", urlenc(keys[i]), urlenc(vals[i]));
	buf_printf(&b, "&_csrf=%s", urlenc(csrf));
	const char *out = hfmt("%s", b.p);
	buf_release(&b);
	return out;
}

static void list_shows_upcoming_events_only(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/events");
	assert_status(r, 200);
	assert_contains(BODY(r), "lang=\"ja\"");
	assert_contains(BODY(r), HUB3);
	assert_contains(BODY(r), FULL);
	assert_not_contains(BODY(r), HUB2);
	assert_contains(BODY(r), places_left_label(s, HUB3));
}

static void past_lists_finished_events_with_report_badge(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/events/past");
	assert_status(r, 200);
	assert_contains(BODY(r), HUB2);
	assert_contains(BODY(r), KARUTA);
	assert_contains(BODY(r), BRIEFING);
	assert_not_contains(BODY(r), HUB3);
	if (sql_int(s, "SELECT count(*) FROM event_reports WHERE event_id = %lld",
		    (long long)event_id(s, HUB2)) > 0)
		assert_contains(BODY(r), "報告あり");
}

static void calendar_is_a_table_with_caption_and_month_links(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/events/calendar?month=2024-10");
	assert_status(r, 200);
	assert_contains(BODY(r), "<table class=\"calendar\">");
	assert_contains(BODY(r), "<caption>2024年（令和6年）10月のイベント（1件）</caption>");
	assert_contains(BODY(r), hfmt("href=\"/events/%lld\"", (long long)event_id(s, HUB2)));
	assert_contains(BODY(r), "/events/calendar?month=2024-09");
	assert_contains(BODY(r), "/events/calendar?month=2024-11");
	assert_contains(BODY(r), "aria-label=\"10月18日(金)\"");
	r = get(client_new(s), "/events/calendar?month=2024-12");
	assert_status(r, 200);
	assert_contains(BODY(r), "/events/calendar?month=2025-01");
	assert_status(get(client_new(s), "/events/calendar"), 200);
}

static void calendar_refuses_a_bad_month(void **state)
{
	struct server *s = *state;
	assert_status(get(client_new(s), "/events/calendar?month=2024-13"), 400);
	assert_status(get(client_new(s), "/events/calendar?month=oct"), 400);
}

static void event_page_shows_wareki_venue_and_places(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), hfmt("/events/%lld", (long long)event_id(s, HUB2)));
	assert_status(r, 200);
	assert_contains(BODY(r), "令和6年10月18日(金) 18:30〜20:30");
	assert_contains(BODY(r), "金沢学生のまち市民交流館");
	assert_contains(BODY(r), "交流ホール");
	assert_contains(BODY(r), "石川県金沢市");
	assert_contains(BODY(r), "第2回");
	assert_contains(BODY(r), "受付終了");
	r = get(client_new(s), hfmt("/events/%lld", (long long)event_id(s, KARUTA)));
	assert_status(r, 200);
	assert_contains(BODY(r), "親子");
	assert_contains(BODY(r), "金沢城・兼六園研究会");
	r = get(client_new(s), hfmt("/events/%lld", (long long)event_id(s, HUB3)));
	assert_contains(BODY(r), places_left_label(s, HUB3));
}

static void full_event_says_waiting_list(void **state)
{
	struct server *s = *state;
	int64_t id = event_id(s, FULL);
	int64_t people = sql_int(s,
				 "SELECT coalesce(sum(adults + children), 0) FROM registrations "
				 "WHERE event_id = %lld AND status = 'confirmed'",
				 (long long)id);
	if (people < 10)
		sql(s,
		    "INSERT INTO registrations (event_id, token_hash, name, name_kana, email, "
		    "adults, children, status, created_at) VALUES (%lld, 't1900-full', 'テスト', "
		    "'テスト', 'full@example.jp', %lld, 0, 'confirmed', 0)",
		    (long long)id, (long long)(10 - people));
	struct resp *r = get(client_new(s), hfmt("/events/%lld", (long long)id));
	assert_status(r, 200);
	assert_contains(BODY(r), "満席（キャンセル待ちで受付中）");
}

static void series_page_lists_upcoming_and_history(void **state)
{
	struct server *s = *state;
	int64_t sid = sql_int(s, "SELECT id FROM event_series WHERE name = "
				 "'まちづくりHUB Project in 金沢'");
	struct resp *r = get(client_new(s), hfmt("/events/series/%lld", (long long)sid));
	assert_status(r, 200);
	assert_contains(BODY(r), "lang=\"ja\"");
	assert_contains(BODY(r), HUB3);
	assert_contains(BODY(r), HUB2);
	assert_status(get(client_new(s), "/events/series/999999"), 404);
}

static void filters_by_type_audience_series_and_group(void **state)
{
	struct server *s = *state;
	struct client *c = client_new(s);
	struct resp *r = get(c, hfmt("/events?type=%s", urlenc("HUB")));
	assert_status(r, 200);
	assert_contains(BODY(r), HUB3);
	assert_not_contains(BODY(r), FULL);
	r = get(c, hfmt("/events?audience=%s", urlenc("親子")));
	assert_status(r, 200);
	assert_contains(BODY(r), FULL);
	assert_not_contains(BODY(r), HUB3);
	r = get(c, hfmt("/events/past?group=%lld", (long long)group_id(s, "金沢城・兼六園研究会")));
	assert_status(r, 200);
	assert_contains(BODY(r), KARUTA);
	assert_not_contains(BODY(r), HUB2);
	int64_t sid = sql_int(s, "SELECT id FROM event_series WHERE name = "
				 "'まちづくりHUB Project in 金沢'");
	r = get(c, hfmt("/events/past?series=%lld", (long long)sid));
	assert_contains(BODY(r), HUB2);
	assert_not_contains(BODY(r), KARUTA);
	assert_status(get(c, hfmt("/events?type=%s", urlenc("宴会"))), 400);
	assert_status(get(c, "/events?unknown=1"), 400);
}

static void unpublished_event_is_hidden_from_residents(void **state)
{
	struct server *s = *state;
	sql(s, "INSERT INTO events (title, type, starts_at, ends_at, published, created_at, "
	       "updated_at) VALUES ('非公開のテスト', '講座', 1999999999, 1999999999, 0, 0, 0)");
	int64_t id = event_id(s, "非公開のテスト");
	struct client *c = client_new(s);
	assert_not_contains(BODY(get(c, "/events")), "非公開のテスト");
	assert_status(get(c, hfmt("/events/%lld", (long long)id)), 404);
	assert_not_contains(BODY(get(c, "/api/v1/events")), "非公開のテスト");
	assert_status(get(admin_client(s), hfmt("/events/%lld", (long long)id)), 200);
}

static void visitor_is_sent_to_login(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/events/new");
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "/login");
	r = get(client_new(s), hfmt("/events/%lld/edit", (long long)event_id(s, KARUTA)));
	assert_status(r, 303);
}

static void member_of_organising_group_may_edit(void **state)
{
	struct server *s = *state;
	int64_t gid = group_id(s, "金沢城・兼六園研究会");
	int64_t id = event_id(s, KARUTA);
	struct client *c = client_as(s, add_member_of(s, gid));
	struct resp *r = get(c, hfmt("/events/%lld/edit", (long long)id));
	assert_status(r, 200);
	assert_contains(BODY(r), KARUTA);
	r = post_form(c, hfmt("/events/%lld/edit", (long long)id),
		      event_body(client_csrf(c), "title", KARUTA, "title_kana", "かるた", "type",
				 "ツアー", "group", hfmt("%lld", (long long)gid), "starts_at",
				 "2024-11-16T10:00", "ends_at", "2024-11-16T12:00", "capacity",
				 "30", "audience", "親子", "accessibility",
				 "集合場所に段差はありません。", NULL));
	assert_status(r, 303);
	assert_contains(BODY(get(client_new(s), hfmt("/events/%lld", (long long)id))),
			"集合場所に段差はありません。");
}

static void member_of_another_group_gets_403(void **state)
{
	struct server *s = *state;
	int64_t other = sql_int(s, "SELECT id FROM groups WHERE name <> '金沢城・兼六園研究会' "
				   "ORDER BY id LIMIT 1");
	int64_t id = event_id(s, KARUTA);
	struct client *c = client_as(s, add_member_of(s, other));
	assert_status(get(c, hfmt("/events/%lld/edit", (long long)id)), 403);
	assert_status(post_form(c, hfmt("/events/%lld/edit", (long long)id),
				event_body(client_csrf(c), NULL)),
		      403);
	/* Nor may they edit an office event. */
	assert_status(get(c, hfmt("/events/%lld/edit", (long long)event_id(s, HUB3))), 403);
}

static void member_creates_events_only_for_own_group(void **state)
{
	struct server *s = *state;
	int64_t gid = group_id(s, "金沢城・兼六園研究会");
	struct client *c = client_as(s, add_member_of(s, gid));
	struct resp *r = post_form(c, "/events/new", event_body(client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "あなたが所属する団体を選んでください");
	r = post_form(c, "/events/new",
		      event_body(client_csrf(c), "title", "研究会の講座", "group",
				 hfmt("%lld", (long long)gid), NULL));
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "/events/");
	assert_int_equal(sql_int(s, "SELECT group_id FROM events WHERE title = '研究会の講座'"),
			 gid);
}

static void end_before_start_gives_422_next_to_field(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r = post_form(c, "/events/new",
				   event_body(client_csrf(c), "starts_at", "2031-05-10T14:00",
					      "ends_at", "2031-05-10T13:00", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-ends_at-error\"><span>エラー：</span>"
				 "終了日時は開始日時より後にしてください");
}

static void negative_capacity_gives_422(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r =
	    post_form(c, "/events/new", event_body(client_csrf(c), "capacity", "-1", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-capacity-error\"");
	assert_contains(BODY(r), "定員は0以上の数で入力してください");
}

static void latin_reading_gives_422(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r =
	    post_form(c, "/events/new", event_body(client_csrf(c), "title_kana", "tesuto", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-title_kana-error\"");
	assert_contains(BODY(r), "カタカナまたはひらがなで入力してください");
}

static void capacity_below_confirmed_people_gives_422(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r =
	    post_form(c, "/events/new", event_body(client_csrf(c), "title", "定員テスト", NULL));
	assert_status(r, 303);
	int64_t id = event_id(s, "定員テスト");
	sql(s,
	    "INSERT INTO registrations (event_id, token_hash, name, name_kana, email, adults, "
	    "children, status, created_at) VALUES (%lld, 't1900-cap', 'テスト', 'テスト', "
	    "'cap@example.jp', 2, 1, 'confirmed', 0)",
	    (long long)id);
	r = post_form(c, hfmt("/events/%lld/edit", (long long)id),
		      event_body(client_csrf(c), "title", "定員テスト", "capacity", "2", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "定員は申込済みの人数（3名）より少なくできません");
	r = post_form(c, hfmt("/events/%lld/edit", (long long)id),
		      event_body(client_csrf(c), "title", "定員テスト", "capacity", "3", NULL));
	assert_status(r, 303);
	assert_contains(BODY(get(client_new(s), hfmt("/events/%lld", (long long)id))),
			"満席（キャンセル待ちで受付中）");
}

static void saving_an_event_is_audited(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r =
	    post_form(c, "/events/new", event_body(client_csrf(c), "title", "監査のテスト", NULL));
	assert_status(r, 303);
	int64_t id = event_id(s, "監査のテスト");
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE entity = 'event' AND "
				 "entity_id = %lld AND action = 'create'",
				 (long long)id),
			 1);
	r = post_form(c, hfmt("/events/%lld/edit", (long long)id),
		      event_body(client_csrf(c), "title", "監査のテスト", "capacity", "12", NULL));
	assert_status(r, 303);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE entity = 'event' AND "
				 "entity_id = %lld AND action = 'update'",
				 (long long)id),
			 1);
}

static void event_of_a_project_is_checked_and_saved(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r = post_form(
	    c, "/events/new",
	    event_body(client_csrf(c), "title", "事業のイベント", "project", "999999", NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-project-error\"");
	assert_contains(BODY(r), "採択事業を選択肢から選んでください");
	int64_t g = sql_int(s, "SELECT id FROM groups ORDER BY id LIMIT 1");
	sql(s,
	    "INSERT INTO projects (fiscal_year, category_name, group_id, title, created_at) "
	    "VALUES (2026, '一般部門', %lld, 'テスト事業', 0)",
	    (long long)g);
	int64_t p = sql_int(s, "SELECT id FROM projects WHERE title = 'テスト事業'");
	r = post_form(c, "/events/new",
		      event_body(client_csrf(c), "title", "事業のイベント", "project",
				 hfmt("%lld", (long long)p), NULL));
	assert_status(r, 303);
	assert_int_equal(sql_int(s, "SELECT project_id FROM events WHERE title = '事業のイベント'"),
			 p);
}

static void admin_creates_event_with_every_field(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	int64_t venue = sql_int(s, "SELECT id FROM venues LIMIT 1");
	struct resp *r = post_form(
	    c, "/events/new",
	    event_body(client_csrf(c), "title", "全項目のテスト", "venue",
		       hfmt("%lld", (long long)venue), "room", "交流ホール", "audience", "学生",
		       "audience", "シニア", "fee_yen", "500", "fee_text", "資料代", "contact_name",
		       "市民協働推進課", "contact_email", "kyodo@example.jp", "reg_opens_at",
		       "2031-04-01T09:00", "reg_closes_at", "2031-05-09T17:00", "description",
		       "## 見出し\n\n本文<script>", NULL));
	assert_status(r, 303);
	r = get(client_new(s), hfmt("/events/%lld", (long long)event_id(s, "全項目のテスト")));
	assert_status(r, 200);
	assert_contains(BODY(r), "500円（資料代）");
	assert_contains(BODY(r), "<h2>見出し</h2>");
	assert_not_contains(BODY(r), "<script>");
	assert_contains(BODY(r), "シニア");
	assert_contains(BODY(r), "受付前");
}

static void api_lists_events_with_iso_times(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/api/v1/events?from=2024-10-01&to=2024-10-31");
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_int_equal(json_size_at(r, "items"), 1);
	assert_string_equal(json_at(r, "items.0.title"), HUB2);
	assert_string_equal(json_at(r, "items.0.starts_at"), "2024-10-18T18:30:00+09:00");
	assert_string_equal(json_at(r, "items.0.type"), "HUB");
	assert_non_null(json_at(r, "items.0.places_left"));
	r = get(client_new(s), hfmt("/api/v1/events?type=%s", urlenc("HUB")));
	assert_status(r, 200);
	assert_string_equal(json_at(r, "items.0.title"), HUB3);
	assert_string_equal(hfmt("残り %s 名", json_at(r, "items.0.places_left")),
			    places_left_label(s, HUB3));
	r = get(client_new(s), "/api/v1/events?from=yesterday");
	assert_status(r, 422);
	assert_non_null(json_at(r, "errors.from"));
}

static void venues_and_series_are_managed_by_staff(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	struct resp *r = get(c, "/admin/venues");
	assert_status(r, 200);
	assert_contains(BODY(r), "金沢学生のまち市民交流館");
	r = post_form(c, "/admin/venues",
		      form_body("name", "テスト会館", "name_kana", "てすとかいかん", "pref",
				"石川県", "city", "金沢市", "lat", "36.5", "lng", "136.6", "_csrf",
				client_csrf(c), NULL));
	assert_status(r, 303);
	r = post_form(c, "/admin/venues",
		      form_body("name", "別の会館", "lat", "99", "lng", "136", "_csrf",
				client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "緯度は-90から90までの数で入力してください");
	r = post_form(c, "/admin/venues",
		      form_body("name", "テスト会館", "_csrf", client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "同じ名前の会場がすでに登録されています");
	r = post_form(c, "/admin/series",
		      form_body("name", "テストシリーズ", "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM event_series WHERE name = "
				    "'テストシリーズ'"),
			 1);
	struct client *m = client_as(s, add_user(s, "member"));
	assert_status(get(m, "/admin/venues"), 403);
}

static void home_page_shows_upcoming_events(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/");
	assert_status(r, 200);
	assert_contains(BODY(r), "これからのイベント");
	assert_contains(BODY(r), HUB3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(list_shows_upcoming_events_only),
	    cmocka_unit_test(past_lists_finished_events_with_report_badge),
	    cmocka_unit_test(calendar_is_a_table_with_caption_and_month_links),
	    cmocka_unit_test(calendar_refuses_a_bad_month),
	    cmocka_unit_test(event_page_shows_wareki_venue_and_places),
	    cmocka_unit_test(series_page_lists_upcoming_and_history),
	    cmocka_unit_test(filters_by_type_audience_series_and_group),
	    cmocka_unit_test(home_page_shows_upcoming_events),
	    cmocka_unit_test(api_lists_events_with_iso_times),
	    cmocka_unit_test(full_event_says_waiting_list),
	    cmocka_unit_test(unpublished_event_is_hidden_from_residents),
	    cmocka_unit_test(visitor_is_sent_to_login),
	    cmocka_unit_test(member_of_organising_group_may_edit),
	    cmocka_unit_test(member_of_another_group_gets_403),
	    cmocka_unit_test(member_creates_events_only_for_own_group),
	    cmocka_unit_test(end_before_start_gives_422_next_to_field),
	    cmocka_unit_test(negative_capacity_gives_422),
	    cmocka_unit_test(latin_reading_gives_422),
	    cmocka_unit_test(capacity_below_confirmed_people_gives_422),
	    cmocka_unit_test(admin_creates_event_with_every_field),
	    cmocka_unit_test(saving_an_event_is_audited),
	    cmocka_unit_test(event_of_a_project_is_checked_and_saved),
	    cmocka_unit_test(venues_and_series_are_managed_by_staff),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
