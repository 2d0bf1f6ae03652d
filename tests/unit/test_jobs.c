/*
 * Unit tests for domain/jobs: the reminder's date line, and, on a fresh
 * temporary database per test, reminders "the day before" (once only) and
 * retention (only past the period, counts kept).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "jobs/jobs.c"

#define DAY  ((int64_t)86400)
#define HOUR ((int64_t)3600)
/* The clock of every test: 2025-06-02 (Mon) 18:00 JST. */
#define NOW ((int64_t)1748854800)

/* ---- pure ---- */

static void test_when_is_wareki_with_weekday_and_times(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int64_t s = jp_jst_to_unix(2025, 11, 16, 10, 0, 0);
	assert_string_equal(when(&a, s, s + 2 * HOUR), "令和7年11月16日(日) 10:00〜12:00");
	assert_string_equal(when(&a, s, s + DAY),
			    "令和7年11月16日(日) 10:00〜令和7年11月17日(月) 10:00");
	arena_free(&a);
}

/* ---- on a database ---- */

struct fixture {
	char path[64];
	struct db *db;
	sqlite3 *raw;
};

static void exec(struct fixture *fx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	char *err = NULL;
	if (sqlite3_exec(fx->raw, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_free(sql);
}

static int64_t one_int(struct fixture *fx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(fx->raw, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return n;
}

/* An event of capacity 10 from starts_at for two hours. */
static int64_t add_event(struct fixture *fx, const char *title, int64_t starts_at)
{
	exec(fx,
	     "INSERT INTO events(title, type, starts_at, ends_at, capacity, created_at, "
	     "updated_at) VALUES (%Q, '講座', %lld, %lld, 10, 0, 0)",
	     title, (long long)starts_at, (long long)(starts_at + 2 * HOUR));
	return (int64_t)sqlite3_last_insert_rowid(fx->raw);
}

/* A registration of event_id; attended marks it checked in. */
static void add_reg(struct fixture *fx, int64_t event_id, const char *email, const char *status,
		    int adults, int children, int attended)
{
	static int n;
	exec(fx,
	     "INSERT INTO registrations(event_id, token_hash, name, name_kana, email, phone, "
	     "adults, children, notes, access_needs, status, created_at, attended_at) "
	     "VALUES (%lld, 'hash%d', '申込 太郎', 'モウシコミ タロウ', %Q, '090-0000-0000', "
	     "%d, %d, 'メモ', '車いす', %Q, 0, %s)",
	     (long long)event_id, ++n, email, adults, children, status, attended ? "1" : "NULL");
}

/* The people of event_id by status and attendance, as one comparable
 * string: "confirmed:5:1 waiting:2:0 ...". */
static char *counts(struct fixture *fx, int64_t event_id)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT group_concat(s, ' ') FROM (SELECT status || ':' || "
			  "sum(adults + children) || ':' || count(attended_at) AS s "
			  "FROM registrations WHERE event_id = ?1 GROUP BY status ORDER BY status)";
	assert_int_equal(sqlite3_prepare_v2(fx->raw, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, event_id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	snprintf(fx->path, sizeof(fx->path), "/tmp/kyodo-jobs-XXXXXX");
	int fd = mkstemp(fx->path);
	if (fd < 0)
		return -1;
	close(fd);
	fx->db = db_open(fx->path);
	if (!fx->db || db_migrate(fx->db) < 0)
		return -1;
	if (sqlite3_open(fx->path, &fx->raw) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(fx->raw, 5000);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	sqlite3_close(fx->raw);
	db_close(fx->db);
	char side[80];
	unlink(fx->path);
	snprintf(side, sizeof(side), "%s-wal", fx->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", fx->path);
	unlink(side);
	free(fx);
	return 0;
}

static void test_retention_anonymises_only_events_past_the_period(void **state)
{
	struct fixture *fx = *state;
	int64_t old = add_event(fx, "昔の講座", NOW - 400 * DAY - 2 * HOUR);
	int64_t recent = add_event(fx, "先日の講座", NOW - 10 * DAY - 2 * HOUR);
	add_reg(fx, old, "a@example.jp", "confirmed", 2, 1, 1);
	add_reg(fx, old, "b@example.jp", "confirmed", 1, 0, 0);
	add_reg(fx, old, "c@example.jp", "waiting", 1, 1, 0);
	add_reg(fx, old, "d@example.jp", "cancelled", 1, 0, 0);
	add_reg(fx, recent, "e@example.jp", "confirmed", 1, 0, 1);
	add_reg(fx, recent, "f@example.jp", "confirmed", 2, 0, 0);
	char *old_before = counts(fx, old), *recent_before = counts(fx, recent);

	struct jobs_report r;
	assert_int_equal(jobs_run(fx->db, NOW, &r), 0);
	assert_int_equal(r.retention_days, 365);
	assert_int_equal(r.anonymised, 4);

	char *old_after = counts(fx, old), *recent_after = counts(fx, recent);
	assert_string_equal(old_after, old_before);
	assert_string_equal(recent_after, recent_before);
	assert_int_equal(one_int(fx,
				 "SELECT count(*) FROM registrations WHERE event_id = %lld "
				 "AND name = '（匿名化済み）' AND name_kana = '' AND email = '' "
				 "AND phone = '' AND notes = '' AND access_needs = '' "
				 "AND anonymised_at = %lld",
				 (long long)old, (long long)NOW),
			 4);
	assert_int_equal(one_int(fx,
				 "SELECT count(*) FROM registrations WHERE event_id = %lld "
				 "AND anonymised_at IS NULL AND email <> '' AND name = '申込 太郎'",
				 (long long)recent),
			 2);
	free(old_before), free(old_after), free(recent_before), free(recent_after);
}

static void test_retention_twice_changes_nothing_more(void **state)
{
	struct fixture *fx = *state;
	int64_t old = add_event(fx, "昔の講座", NOW - 400 * DAY);
	add_reg(fx, old, "a@example.jp", "confirmed", 1, 0, 0);
	struct jobs_report r;
	assert_int_equal(jobs_retention(fx->db, NOW, &r), 0);
	assert_int_equal(r.anonymised, 1);
	assert_int_equal(jobs_retention(fx->db, NOW + HOUR, &r), 0);
	assert_int_equal(r.anonymised, 0);
	assert_int_equal(one_int(fx, "SELECT anonymised_at FROM registrations"), NOW);
}

static void test_retention_period_comes_from_the_setting(void **state)
{
	struct fixture *fx = *state;
	int64_t recent = add_event(fx, "先日の講座", NOW - 10 * DAY - 2 * HOUR);
	add_reg(fx, recent, "e@example.jp", "confirmed", 1, 0, 0);
	struct jobs_report r;
	assert_int_equal(setting_set(fx->db, "retention_days", "11"), DB_OK);
	assert_int_equal(jobs_retention(fx->db, NOW, &r), 0);
	assert_int_equal(r.anonymised, 0);
	assert_int_equal(setting_set(fx->db, "retention_days", "9"), DB_OK);
	assert_int_equal(jobs_retention(fx->db, NOW, &r), 0);
	assert_int_equal(r.retention_days, 9);
	assert_int_equal(r.anonymised, 1);
}

static void test_retention_setting_that_is_not_a_number_uses_the_default(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(setting_set(fx->db, "retention_days", "一年"), DB_OK);
	assert_int_equal(jobs_retention_days(fx->db), JOBS_RETENTION_DEFAULT);
	assert_int_equal(setting_set(fx->db, "retention_days", "0"), DB_OK);
	assert_int_equal(jobs_retention_days(fx->db), JOBS_RETENTION_DEFAULT);
}

static void test_retention_blanks_old_registrant_notifications_only(void **state)
{
	struct fixture *fx = *state;
	exec(fx,
	     "INSERT INTO notifications(user_id, email, kind, subject, body, link, created_at, "
	     "state) VALUES (NULL, 'a@example.jp', 'registration', '【申し込み完了】昔の講座', "
	     "'申込 太郎 様', '/r/x', %lld, 'sent'), "
	     "(NULL, 'b@example.jp', 'registration_waiting', 'キャンセル待ち', '本文', '', %lld, "
	     "'pending'), "
	     "(NULL, 'c@example.jp', 'registration', '【申し込み完了】先日の講座', '本文', '', "
	     "%lld, 'sent')",
	     (long long)(NOW - 420 * DAY), (long long)(NOW - 420 * DAY),
	     (long long)(NOW - 20 * DAY));
	struct jobs_report r;
	assert_int_equal(jobs_retention(fx->db, NOW, &r), 0);
	assert_int_equal(r.notifications, 2);
	assert_int_equal(one_int(fx, "SELECT count(*) FROM notifications WHERE body = '' AND "
				     "link = '' AND email = '（匿名化済み）'"),
			 2);
	/* An unsent one is never sent once blanked. */
	assert_int_equal(one_int(fx, "SELECT count(*) FROM notifications WHERE state = 'skipped'"),
			 1);
	assert_int_equal(one_int(fx, "SELECT count(*) FROM notifications WHERE email = "
				     "'c@example.jp' AND body = '本文'"),
			 1);
}

static void test_reminder_is_queued_once_for_an_event_tomorrow(void **state)
{
	struct fixture *fx = *state;
	int64_t tomorrow = add_event(fx, "明日の講座", NOW + 24 * HOUR);
	int64_t later = add_event(fx, "3日後の講座", NOW + 3 * DAY);
	add_reg(fx, tomorrow, "a@example.jp", "confirmed", 2, 1, 0);
	add_reg(fx, tomorrow, "w@example.jp", "waiting", 1, 0, 0);
	add_reg(fx, tomorrow, "x@example.jp", "cancelled", 1, 0, 0);
	add_reg(fx, later, "b@example.jp", "confirmed", 1, 0, 0);

	int n;
	assert_int_equal(jobs_remind(fx->db, NOW, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(jobs_remind(fx->db, NOW + HOUR, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(one_int(fx, "SELECT count(*) FROM notifications WHERE "
				     "kind = 'registration_reminder'"),
			 1);
	assert_int_equal(one_int(fx,
				 "SELECT count(*) FROM notifications WHERE email = 'a@example.jp' "
				 "AND kind = 'registration_reminder' AND link = '/events/%lld' "
				 "AND subject = '【開催のご案内】明日の講座' "
				 "AND instr(body, '令和7年6月3日(火) 18:00〜20:00') > 0",
				 (long long)tomorrow),
			 1);
	assert_int_equal(one_int(fx, "SELECT reminded_at FROM registrations WHERE email = "
				     "'a@example.jp'"),
			 NOW);
	assert_int_equal(one_int(fx, "SELECT count(*) FROM registrations WHERE email = "
				     "'b@example.jp' AND reminded_at IS NULL"),
			 1);
}

static void test_reminder_skips_unpublished_events(void **state)
{
	struct fixture *fx = *state;
	int64_t id = add_event(fx, "非公開の講座", NOW + 20 * HOUR);
	exec(fx, "UPDATE events SET published = 0 WHERE id = %lld", (long long)id);
	add_reg(fx, id, "a@example.jp", "confirmed", 1, 0, 0);
	int n;
	assert_int_equal(jobs_remind(fx->db, NOW, &n), 0);
	assert_int_equal(n, 0);
}

#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	/* The reminder's words come from the catalogue. */
	char err[256];
	if (msg_init(err, sizeof err) != 0) {
		fprintf(stderr, "message catalogue: %s\n", err);
		return 1;
	}
	msg_strict(true);
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(test_when_is_wareki_with_weekday_and_times),
	};
	const struct CMUnitTest with_db[] = {
	    DB_TEST(test_retention_anonymises_only_events_past_the_period),
	    DB_TEST(test_retention_twice_changes_nothing_more),
	    DB_TEST(test_retention_period_comes_from_the_setting),
	    DB_TEST(test_retention_setting_that_is_not_a_number_uses_the_default),
	    DB_TEST(test_retention_blanks_old_registrant_notifications_only),
	    DB_TEST(test_reminder_is_queued_once_for_an_event_tomorrow),
	    DB_TEST(test_reminder_skips_unpublished_events),
	};
	int failed = cmocka_run_group_tests_name("jobs", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("jobs on a database", with_db, NULL, NULL);
	return failed;
}
