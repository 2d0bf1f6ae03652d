/*
 * t2200: the jobs — `kyodo retention run` anonymises registrations of
 * events past the retention period and keeps their counts; `kyodo jobs
 * run` queues a reminder the day before, once; the demo fills the full
 * event with a waiting list; the retention setting is on the settings page.
 */
#include "harness.h"

#include <string.h>

#define FULL_TITLE "親子で歩く防災まち歩き（満席の例）"

/* An event starting `offset` seconds from now (SQL expression), 2 hours. */
static int64_t add_event(struct server *s, const char *title, const char *offset)
{
	sql(s,
	    "INSERT INTO events(title, type, starts_at, ends_at, capacity, created_at, updated_at) "
	    "VALUES ('%s', '講座', CAST(strftime('%%s', 'now') AS INTEGER) + %s, "
	    "CAST(strftime('%%s', 'now') AS INTEGER) + %s + 7200, 10, 0, 0)",
	    title, offset, offset);
	return sql_int(s, "SELECT id FROM events WHERE title = '%s'", title);
}

static void add_reg(struct server *s, int64_t event_id, const char *email, const char *status,
		    int adults, int children, int attended)
{
	sql(s,
	    "INSERT INTO registrations(event_id, token_hash, name, name_kana, email, phone, "
	    "adults, "
	    "children, notes, access_needs, status, created_at, attended_at) VALUES (%lld, "
	    "'t2200-%s', '試験 花子', 'シケン ハナコ', '%s', '090-1234-5678', %d, %d, 'メモ', "
	    "'手話通訳', '%s', 0, %s)",
	    (long long)event_id, email, email, adults, children, status, attended ? "1" : "NULL");
}

/* People and attendance by status, as one comparable string. */
static const char *counts(struct server *s, int64_t event_id)
{
	return sql(s,
		   "SELECT group_concat(x, ' ') FROM (SELECT status || ':' || "
		   "sum(adults + children) || ':' || count(attended_at) AS x FROM registrations "
		   "WHERE event_id = %lld GROUP BY status ORDER BY status)",
		   (long long)event_id);
}

static void retention_run_anonymises_old_registrations_and_keeps_counts(void **state)
{
	struct server *s = *state;
	int64_t old = add_event(s, "400日前の講座", "-400 * 86400");
	int64_t recent = add_event(s, "10日前の講座", "-10 * 86400");
	add_reg(s, old, "old1@example.jp", "confirmed", 2, 1, 1);
	add_reg(s, old, "old2@example.jp", "waiting", 1, 0, 0);
	add_reg(s, old, "old3@example.jp", "cancelled", 1, 1, 0);
	add_reg(s, recent, "new1@example.jp", "confirmed", 1, 0, 1);
	const char *old_before = counts(s, old), *recent_before = counts(s, recent);

	char *out = NULL, *err = NULL;
	assert_int_equal(kyodo_cmd(s, NULL, &out, &err, "retention", "run", NULL), 0);
	assert_contains(out, "registrations anonymised: 3 (retention 365 days)");

	assert_string_equal(counts(s, old), old_before);
	assert_string_equal(counts(s, recent), recent_before);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM registrations WHERE event_id = %lld AND "
				 "name = '（匿名化済み）' AND email = '' AND phone = '' AND "
				 "name_kana = '' AND notes = '' AND access_needs = '' AND "
				 "anonymised_at IS NOT NULL",
				 (long long)old),
			 3);
	assert_string_equal(
	    sql(s, "SELECT email FROM registrations WHERE event_id = %lld", (long long)recent),
	    "new1@example.jp");

	/* Nothing more the second time. */
	assert_int_equal(kyodo_cmd(s, NULL, &out, NULL, "retention", "run", NULL), 0);
	assert_contains(out, "registrations anonymised: 0");
}

static void jobs_run_queues_a_reminder_the_day_before_once(void **state)
{
	struct server *s = *state;
	int64_t tomorrow = add_event(s, "明日の講座", "86400");
	int64_t later = add_event(s, "3日後の講座", "3 * 86400");
	add_reg(s, tomorrow, "remind@example.jp", "confirmed", 1, 0, 0);
	add_reg(s, later, "notyet@example.jp", "confirmed", 1, 0, 0);
	char *out = NULL;
	assert_int_equal(kyodo_cmd(s, NULL, &out, NULL, "jobs", "run", NULL), 0);
	assert_contains(out, "reminders queued: 1");
	assert_int_equal(kyodo_cmd(s, NULL, &out, NULL, "jobs", "run", NULL), 0);
	assert_contains(out, "reminders queued: 0");
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM notifications WHERE kind = "
				 "'registration_reminder' AND email = 'remind@example.jp' AND "
				 "link = '/events/%lld'",
				 (long long)tomorrow),
			 1);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM notifications WHERE email = "
				    "'notyet@example.jp'"),
			 0);
}

static void jobs_help_exits_0_and_bad_usage_exits_2(void **state)
{
	char *out = NULL, *err = NULL;
	assert_int_equal(kyodo_cmd(*state, NULL, &out, NULL, "jobs", "run", "--help", NULL), 0);
	assert_contains(out, "usage: kyodo jobs run");
	assert_int_equal(kyodo_cmd(*state, NULL, &out, NULL, "retention", "--help", NULL), 0);
	assert_contains(out, "usage: kyodo retention run");
	assert_int_equal(kyodo_cmd(*state, NULL, NULL, &err, "jobs", NULL), 2);
	assert_contains(err, "usage: kyodo jobs run");
	assert_int_equal(kyodo_cmd(*state, NULL, NULL, &err, "retention", "now", NULL), 2);
}

static void demo_fills_the_full_event_with_a_waiting_list(void **state)
{
	struct server *s = *state;
	int64_t id = sql_int(s, "SELECT id FROM events WHERE title = '%s'", FULL_TITLE);
	const char *q = "SELECT sum(adults + children) FROM registrations WHERE event_id = %lld "
			"AND status = 'confirmed'";
	assert_int_equal(sql_int(s, q, (long long)id),
			 sql_int(s, "SELECT capacity FROM events WHERE id = %lld", (long long)id));
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM registrations WHERE event_id = %lld AND "
				 "status = 'waiting'",
				 (long long)id),
			 2);
	/* Running the demo again adds no one. */
	int64_t before = sql_int(s, "SELECT count(*) FROM registrations");
	assert_int_equal(kyodo_cmd(s, NULL, NULL, NULL, "demo", NULL), 0);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM registrations"), before);
}

static void settings_page_shows_the_retention_period(void **state)
{
	struct server *s = *state;
	struct client *c = client_as(s, add_user(s, "admin"));
	struct resp *r = get(c, "/admin/settings");
	assert_status(r, 200);
	assert_contains(BODY(r), "申込者情報の保存期間（日）");
	assert_contains(BODY(r), "地方公共団体コード");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(retention_run_anonymises_old_registrations_and_keeps_counts),
	    cmocka_unit_test(jobs_run_queues_a_reminder_the_day_before_once),
	    cmocka_unit_test(jobs_help_exits_0_and_bad_usage_exits_2),
	    cmocka_unit_test(demo_fills_the_full_event_with_a_waiting_list),
	    cmocka_unit_test(settings_page_shows_the_retention_period),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
