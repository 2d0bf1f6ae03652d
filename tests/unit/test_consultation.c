/*
 * Unit tests for challenge/consultation: the cancel deadline at its boundary,
 * the slot time label, and, on a temporary migrated database, booking,
 * cancelling and what consultation_requirements() reports.
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

#include "challenge/consultation.h"
#include "core/settings.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/jp.h"
#include "util/msg.h"

/* 2025-06-02 (Mon) 18:00 JST */
#define START ((int64_t)1748854800)

/* The reason (message key) the last booking or cancellation gave. */
static const char *why;

/* ---- the deadline ---- */

static void test_deadline_is_the_hours_before_the_start(void **state)
{
	(void)state;
	assert_int_equal(consultation_cancel_deadline(START, 24), START - 24 * 3600);
	assert_int_equal(consultation_cancel_deadline(START, 1), START - 3600);
}

static void test_cancel_allowed_at_the_deadline_second(void **state)
{
	(void)state;
	assert_true(consultation_can_cancel(START - 24 * 3600, START, 24));
	assert_true(consultation_can_cancel(START - 24 * 3600 - 1, START, 24));
}

static void test_cancel_refused_one_second_after_the_deadline(void **state)
{
	(void)state;
	assert_false(consultation_can_cancel(START - 24 * 3600 + 1, START, 24));
	assert_false(consultation_can_cancel(START, START, 24));
}

static void test_zero_or_negative_hours_allow_cancelling_until_the_start(void **state)
{
	(void)state;
	assert_true(consultation_can_cancel(START, START, 0));
	assert_false(consultation_can_cancel(START + 1, START, 0));
	assert_int_equal(consultation_cancel_deadline(START, -5), START);
}

static void test_when_label_is_wareki_with_weekday_and_times(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(consultation_when(&a, START, START + 3600),
			    "令和7年6月2日(月) 18:00〜19:00");
	/* A slot running past midnight names the second day too. */
	assert_string_equal(consultation_when(&a, START + 5 * 3600, START + 7 * 3600),
			    "令和7年6月2日(月) 23:00〜令和7年6月3日(火) 01:00");
	arena_free(&a);
}

/* ---- on a database ---- */

struct fixture {
	char path[64];
	struct db *db;
	sqlite3 *raw; /* for fixture rows and counts */
	int64_t coordinator, member, other, group, other_group, call1, call2, division;
};

static void exec(struct fixture *fx, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	char *err = NULL;
	if (sqlite3_exec(fx->raw, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

static int64_t count(struct fixture *fx, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(fx->raw, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int setup(void **state)
{
	/* Audit summaries and notifications are worded from the catalogue. */
	char err[256];
	if (msg_init(err, sizeof(err)) != 0)
		return -1;
	msg_strict(true);
	struct fixture *fx = calloc(1, sizeof(*fx));
	snprintf(fx->path, sizeof(fx->path), "/tmp/kyodo-consult-XXXXXX");
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
	exec(fx, "INSERT INTO users(id, email, name, pw_hash, roles, created_at, updated_at) "
		 "VALUES (1, 'c@example.jp', '相談員', 'x', 2, 0, 0), "
		 "(2, 'm@example.jp', '会員', 'x', 16, 0, 0), "
		 "(3, 'o@example.jp', '他団体', 'x', 16, 0, 0)");
	exec(fx,
	     "INSERT INTO groups(id, name, name_kana, name_sort, kind, search_text, "
	     "created_at, updated_at) VALUES (1, '団体A', 'ダンタイエー', 'a', '任意団体', '', 0, "
	     "0), (2, '団体B', 'ダンタイビー', 'b', '任意団体', '', 0, 0)");
	exec(fx, "INSERT INTO group_members VALUES (1, 2), (2, 3)");
	exec(fx, "INSERT INTO programs(id, name) VALUES (1, 'チャレンジ事業')");
	exec(fx, "INSERT INTO calls(id, program_id, fiscal_year, title, published, created_at, "
		 "updated_at) VALUES (1, 1, 2025, '令和7年度', 1, 0, 0), "
		 "(2, 1, 2026, '令和8年度', 1, 0, 0)");
	exec(fx, "INSERT INTO divisions(id, name) VALUES (1, '子育て支援課')");
	fx->coordinator = 1, fx->member = 2, fx->other = 3;
	fx->group = 1, fx->other_group = 2;
	fx->call1 = 1, fx->call2 = 2, fx->division = 1;
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
	msg_release();
	return 0;
}

static int64_t slot_at(struct fixture *fx, int64_t starts)
{
	int64_t id = 0;
	assert_int_equal(consultation_slot_create(fx->db, fx->coordinator, starts, starts + 3600,
						  "相談室", false, fx->coordinator, &id),
			 RC_OK);
	return id;
}

static void test_cancel_hours_come_from_the_setting_with_a_default(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(consultation_cancel_hours(fx->db), 24);
	assert_int_equal(setting_set(fx->db, CONSULT_CANCEL_HOURS_KEY, "48"), DB_OK);
	assert_int_equal(consultation_cancel_hours(fx->db), 48);
	assert_int_equal(setting_set(fx->db, CONSULT_CANCEL_HOURS_KEY, "あした"), DB_OK);
	assert_int_equal(consultation_cancel_hours(fx->db), 24);
	assert_int_equal(setting_set(fx->db, CONSULT_CANCEL_HOURS_KEY, "24"), DB_OK);
}

static void test_second_booking_of_a_slot_is_taken(void **state)
{
	struct fixture *fx = *state;
	int64_t now = START - 10 * 86400;
	int64_t slot = slot_at(fx, START), id;
	assert_int_equal(consultation_book(fx->db, slot, fx->group, 0, fx->member, now, &id, &why),
			 RC_OK);
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->other_group, 0, fx->other, now, &id, &why),
	    RC_CONFLICT);
	assert_string_equal(why, "consult.err.taken");
	assert_string_equal(msg(why), "この枠はすでに予約されています");
	assert_string_equal(msg(consultation_rc_key(RC_CONFLICT)),
			    "この枠はすでに予約されています");
	char sql[128];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM consultation_bookings WHERE slot_id = %lld",
		 (long long)slot);
	assert_int_equal(count(fx, sql), 1);
}

static void test_booking_needs_membership_and_a_future_slot(void **state)
{
	struct fixture *fx = *state;
	int64_t slot = slot_at(fx, START + 86400), id;
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->other, START - 86400, &id, &why),
	    RC_FORBIDDEN);
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START + 86400, &id, &why),
	    RC_CLOSED);
	assert_string_equal(why, "consult.err.past");
}

static void test_booking_notifies_coordinator_and_members(void **state)
{
	struct fixture *fx = *state;
	int64_t before = count(fx, "SELECT count(*) FROM notifications WHERE kind = 'booking'");
	int64_t slot = slot_at(fx, START + 2 * 86400), id;
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START - 86400, &id, &why),
	    RC_OK);
	/* the coordinator and the group's one member */
	assert_int_equal(count(fx, "SELECT count(*) FROM notifications WHERE kind = 'booking'"),
			 before + 2);
}

static void test_member_cancel_refused_after_the_deadline_staff_may(void **state)
{
	struct fixture *fx = *state;
	int64_t slot = slot_at(fx, START + 3 * 86400), id;
	int64_t starts = START + 3 * 86400;
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START - 86400, &id, &why),
	    RC_OK);
	assert_int_equal(consultation_booking_cancel(fx->db, id, fx->member, false,
						     starts - 24 * 3600 + 1, &why),
			 RC_CLOSED);
	assert_string_equal(why, "consult.err.deadline");
	assert_int_equal(consultation_booking_cancel(fx->db, id, fx->other, false, START, &why),
			 RC_FORBIDDEN);
	assert_int_equal(
	    consultation_booking_cancel(fx->db, id, fx->coordinator, false, starts - 60, &why),
	    RC_OK);
	assert_int_equal(
	    consultation_booking_cancel(fx->db, id, fx->coordinator, false, starts - 60, &why),
	    RC_STATE);
	/* the slot is free again */
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, starts - 3600, &id, &why),
	    RC_OK);
}

static void test_member_cancel_allowed_at_the_deadline(void **state)
{
	struct fixture *fx = *state;
	int64_t starts = START + 4 * 86400;
	int64_t slot = slot_at(fx, starts), id;
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START - 86400, &id, &why),
	    RC_OK);
	assert_int_equal(
	    consultation_booking_cancel(fx->db, id, fx->member, false, starts - 24 * 3600, &why),
	    RC_OK);
}

static void test_requirements_follow_done_bookings_and_division_records(void **state)
{
	struct fixture *fx = *state;
	bool coord, div;
	/* group B has nothing yet */
	assert_int_equal(
	    consultation_requirements(fx->db, fx->other_group, fx->call1, &coord, &div), 0);
	assert_false(coord);
	assert_false(div);

	/* a booking for call 2, not done, then done: counts for call 2 only */
	int64_t slot = slot_at(fx, START + 5 * 86400), id;
	assert_int_equal(consultation_book(fx->db, slot, fx->other_group, fx->call2, fx->other,
					   START - 86400, &id, &why),
			 RC_OK);
	consultation_requirements(fx->db, fx->other_group, fx->call2, &coord, &div);
	assert_false(coord);
	assert_int_equal(consultation_booking_done(fx->db, id, "予算の相談", fx->other, false,
						   START + 5 * 86400),
			 RC_FORBIDDEN);
	assert_int_equal(consultation_booking_done(fx->db, id, "予算の相談", fx->coordinator, false,
						   START + 5 * 86400),
			 RC_OK);
	consultation_requirements(fx->db, fx->other_group, fx->call2, &coord, &div);
	assert_true(coord);
	consultation_requirements(fx->db, fx->other_group, fx->call1, &coord, &div);
	assert_false(coord);

	/* a division consultation for call 2, then one with no call */
	assert_int_equal(division_consultation_record(fx->db, fx->other_group, fx->call2,
						      fx->division, 20250601, "", fx->coordinator,
						      &id),
			 RC_OK);
	consultation_requirements(fx->db, fx->other_group, fx->call1, &coord, &div);
	assert_false(div);
	consultation_requirements(fx->db, fx->other_group, fx->call2, &coord, &div);
	assert_true(div);
	assert_int_equal(division_consultation_record(fx->db, fx->other_group, 0, fx->division,
						      20250601, "", fx->coordinator, &id),
			 RC_OK);
	consultation_requirements(fx->db, fx->other_group, fx->call1, &coord, &div);
	assert_true(div);
	assert_false(coord);
}

static void test_done_booking_with_no_call_counts_for_any_call(void **state)
{
	struct fixture *fx = *state;
	int64_t starts = START + 6 * 86400;
	int64_t slot = slot_at(fx, starts), id;
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START - 86400, &id, &why),
	    RC_OK);
	assert_int_equal(consultation_booking_done(fx->db, id, "", fx->coordinator, false, starts),
			 RC_OK);
	bool coord, div;
	consultation_requirements(fx->db, fx->group, fx->call1, &coord, &div);
	assert_true(coord);
	consultation_requirements(fx->db, fx->group, fx->call2, &coord, &div);
	assert_true(coord);
	/* a done consultation cannot be cancelled, nor its slot */
	assert_int_equal(
	    consultation_booking_cancel(fx->db, id, fx->coordinator, true, starts, &why), RC_STATE);
	assert_int_equal(consultation_slot_cancel(fx->db, slot, fx->coordinator, false, starts),
			 RC_STATE);
}

static void test_notes_are_blank_for_non_staff_readers(void **state)
{
	struct fixture *fx = *state;
	int64_t starts = START + 7 * 86400;
	int64_t slot = slot_at(fx, starts), id;
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START - 86400, &id, &why),
	    RC_OK);
	assert_int_equal(
	    consultation_booking_done(fx->db, id, "内部メモ", fx->coordinator, false, starts),
	    RC_OK);
	struct arena a;
	arena_init(&a);
	struct consultation_booking b;
	assert_int_equal(consultation_booking_get(fx->db, &a, id, false, &b), RC_OK);
	assert_string_equal(b.notes, "");
	assert_int_equal(consultation_booking_get(fx->db, &a, id, true, &b), RC_OK);
	assert_string_equal(b.notes, "内部メモ");
	struct consultation_booking *list;
	size_t n;
	assert_int_equal(consultation_member_bookings(fx->db, &a, fx->member, 50, &list, &n),
			 RC_OK);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(list[i].notes, "");
	arena_free(&a);
}

static void test_cancelling_a_slot_cancels_its_booking(void **state)
{
	struct fixture *fx = *state;
	int64_t starts = START + 8 * 86400;
	int64_t slot = slot_at(fx, starts), id;
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START - 86400, &id, &why),
	    RC_OK);
	assert_int_equal(consultation_slot_cancel(fx->db, slot, fx->other, false, START),
			 RC_FORBIDDEN);
	assert_int_equal(consultation_slot_cancel(fx->db, slot, fx->coordinator, false, START),
			 RC_OK);
	struct arena a;
	arena_init(&a);
	struct consultation_booking b;
	assert_int_equal(consultation_booking_get(fx->db, &a, id, false, &b), RC_OK);
	assert_true(b.cancelled_at != 0);
	arena_free(&a);
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START - 86400, &id, &why),
	    RC_CLOSED);
}

static void test_database_refuses_a_second_live_booking_of_a_slot(void **state)
{
	struct fixture *fx = *state;
	int64_t slot = slot_at(fx, START + 9 * 86400), id;
	assert_int_equal(
	    consultation_book(fx->db, slot, fx->group, 0, fx->member, START - 86400, &id, &why),
	    RC_OK);
	/* The partial unique index, not the check before the insert, is what
	 * stops a racing second booking: write one past the check. */
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO consultation_bookings(slot_id, group_id, booked_by, booked_at) "
		 "VALUES (%lld, %lld, %lld, 0)",
		 (long long)slot, (long long)fx->other_group, (long long)fx->other);
	assert_int_equal(sqlite3_exec(fx->raw, sql, NULL, NULL, NULL), SQLITE_CONSTRAINT);
	/* a cancelled booking does not hold the slot */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO consultation_bookings(slot_id, group_id, booked_by, booked_at, "
		 "cancelled_at) VALUES (%lld, %lld, %lld, 0, 1)",
		 (long long)slot, (long long)fx->other_group, (long long)fx->other);
	assert_int_equal(sqlite3_exec(fx->raw, sql, NULL, NULL, NULL), SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(test_deadline_is_the_hours_before_the_start),
	    cmocka_unit_test(test_cancel_allowed_at_the_deadline_second),
	    cmocka_unit_test(test_cancel_refused_one_second_after_the_deadline),
	    cmocka_unit_test(test_zero_or_negative_hours_allow_cancelling_until_the_start),
	    cmocka_unit_test(test_when_label_is_wareki_with_weekday_and_times),
	};
	const struct CMUnitTest with_db[] = {
	    cmocka_unit_test(test_cancel_hours_come_from_the_setting_with_a_default),
	    cmocka_unit_test(test_second_booking_of_a_slot_is_taken),
	    cmocka_unit_test(test_booking_needs_membership_and_a_future_slot),
	    cmocka_unit_test(test_booking_notifies_coordinator_and_members),
	    cmocka_unit_test(test_member_cancel_refused_after_the_deadline_staff_may),
	    cmocka_unit_test(test_member_cancel_allowed_at_the_deadline),
	    cmocka_unit_test(test_requirements_follow_done_bookings_and_division_records),
	    cmocka_unit_test(test_done_booking_with_no_call_counts_for_any_call),
	    cmocka_unit_test(test_notes_are_blank_for_non_staff_readers),
	    cmocka_unit_test(test_cancelling_a_slot_cancels_its_booking),
	    cmocka_unit_test(test_database_refuses_a_second_live_booking_of_a_slot),
	};
	int failed = cmocka_run_group_tests_name("consultation deadline", pure, NULL, NULL);
	failed +=
	    cmocka_run_group_tests_name("consultation on a database", with_db, setup, teardown);
	return failed;
}
