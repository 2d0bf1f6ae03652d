/*
 * Unit tests for domain/call: a category's window to the second, a call's
 * status at each boundary (JST), the timeline's states, the countdown, and
 * the form checks.  No database: the status functions work on a
 * struct call_view filled here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "challenge/call.h"
#include "util/jp.h"
#include "util/msg.h"

/* The 令和7年度 call of the demo: opens 4/1 09:00, general deadline 5/30
 * 17:00, students 6/30 17:00; 1次審査 from 6/9, 採択発表 8/8 10:00. */
#define OPENS	 jp_jst_to_unix(2025, 4, 1, 9, 0, 0)
#define DEADLINE jp_jst_to_unix(2025, 5, 30, 17, 0, 0)
#define STUDENTS jp_jst_to_unix(2025, 6, 30, 17, 0, 0)
#define REVIEW1	 jp_jst_to_unix(2025, 6, 9, 9, 0, 0)
#define ANNOUNCE jp_jst_to_unix(2025, 8, 8, 10, 0, 0)

struct fixture {
	struct category cats[2];
	struct milestone ms[5];
	struct call_view v;
};

/* A call with two categories and the usual schedule.  review1 and announce
 * say whether those milestones exist. */
static void fixture_init(struct fixture *f, bool review1, bool announce)
{
	memset(f, 0, sizeof(*f));
	f->cats[0] = (struct category){.id = 1,
				       .name = "一般部門",
				       .short_name = "一般",
				       .opens_at = OPENS,
				       .deadline_at = DEADLINE};
	f->cats[1] = (struct category){.id = 2,
				       .name = "学生・高校生部門",
				       .short_name = "学生",
				       .opens_at = OPENS,
				       .deadline_at = STUDENTS};
	size_t n = 0;
	f->ms[n++] = (struct milestone){.kind = MS_OPEN, .label = "", .starts_at = OPENS};
	f->ms[n++] = (struct milestone){.kind = MS_DEADLINE, .label = "", .starts_at = DEADLINE};
	if (review1)
		f->ms[n++] = (struct milestone){.kind = MS_REVIEW1,
						.label = "",
						.starts_at = REVIEW1,
						.ends_at = REVIEW1 + 10 * 86400};
	f->ms[n++] = (struct milestone){.kind = MS_DEADLINE, .label = "", .starts_at = STUDENTS};
	if (announce)
		f->ms[n++] =
		    (struct milestone){.kind = MS_ANNOUNCE, .label = "", .starts_at = ANNOUNCE};
	f->v.call = (struct call){.id = 1, .title = "令和7年度", .fiscal_year = 2025};
	f->v.categories = f->cats;
	f->v.ncategories = 2;
	f->v.milestones = f->ms;
	f->v.nmilestones = n;
}

/* ---- category_is_open ---------------------------------------------------- */

static void test_category_closed_one_second_before_opening(void **state)
{
	(void)state;
	struct category c = {.opens_at = OPENS, .deadline_at = DEADLINE};
	assert_false(category_is_open(&c, OPENS - 1));
}

static void test_category_open_at_opening_second(void **state)
{
	(void)state;
	struct category c = {.opens_at = OPENS, .deadline_at = DEADLINE};
	assert_true(category_is_open(&c, OPENS));
	assert_true(category_is_open(&c, OPENS + 1));
}

static void test_category_open_at_deadline_second(void **state)
{
	(void)state;
	struct category c = {.opens_at = OPENS, .deadline_at = DEADLINE};
	assert_true(category_is_open(&c, DEADLINE - 1));
	assert_true(category_is_open(&c, DEADLINE));
}

static void test_category_closed_one_second_after_deadline(void **state)
{
	(void)state;
	struct category c = {.opens_at = OPENS, .deadline_at = DEADLINE};
	assert_false(category_is_open(&c, DEADLINE + 1));
}

static void test_deadline_is_jst(void **state)
{
	(void)state;
	/* 2025-05-30 17:00 JST is 08:00 UTC. */
	assert_int_equal(DEADLINE, 1748592000);
}

/* ---- call_status --------------------------------------------------------- */

static void test_status_before_opening(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, true, true);
	assert_int_equal(call_status(&f.v, OPENS - 1), CALL_STATUS_BEFORE);
	assert_string_equal(msg(call_status_label_key(call_status(&f.v, OPENS - 1))), "受付前");
	assert_string_equal(call_status_key(call_status(&f.v, OPENS - 1)), "before");
}

static void test_status_open_from_opening_second(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, true, true);
	assert_int_equal(call_status(&f.v, OPENS), CALL_STATUS_OPEN);
	assert_int_equal(call_status(&f.v, OPENS + 1), CALL_STATUS_OPEN);
	assert_string_equal(msg(call_status_label_key(CALL_STATUS_OPEN)), "受付中");
	assert_string_equal(call_status_key(CALL_STATUS_OPEN), "open");
}

static void test_status_open_while_a_later_category_is_open(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, true, true);
	/* The general deadline has passed, the students' has not. */
	assert_int_equal(call_status(&f.v, DEADLINE + 1), CALL_STATUS_OPEN);
	assert_int_equal(call_status(&f.v, STUDENTS), CALL_STATUS_OPEN);
}

static void test_status_closed_one_second_after_last_deadline(void **state)
{
	(void)state;
	struct fixture f;
	/* Without a 1次審査 milestone, the call is 締切 until the result. */
	fixture_init(&f, false, true);
	assert_int_equal(call_status(&f.v, STUDENTS + 1), CALL_STATUS_CLOSED);
	assert_string_equal(msg(call_status_label_key(CALL_STATUS_CLOSED)), "締切");
	assert_string_equal(call_status_key(CALL_STATUS_CLOSED), "closed");
}

static void test_status_review_once_review1_started(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, true, true);
	/* Review started (6/9) before the students' deadline: 審査中 once all
	 * deadlines have passed. */
	assert_int_equal(call_status(&f.v, STUDENTS + 1), CALL_STATUS_REVIEW);
	assert_string_equal(msg(call_status_label_key(CALL_STATUS_REVIEW)), "審査中");
	assert_string_equal(call_status_key(CALL_STATUS_REVIEW), "review");
}

static void test_status_closed_before_review1_starts(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, true, true);
	/* One category only, closing before the review starts. */
	f.v.ncategories = 1;
	assert_int_equal(call_status(&f.v, DEADLINE + 1), CALL_STATUS_CLOSED);
	assert_int_equal(call_status(&f.v, REVIEW1 - 1), CALL_STATUS_CLOSED);
	assert_int_equal(call_status(&f.v, REVIEW1), CALL_STATUS_REVIEW);
}

static void test_status_announced_at_announce_second(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, true, true);
	assert_int_equal(call_status(&f.v, ANNOUNCE - 1), CALL_STATUS_REVIEW);
	assert_int_equal(call_status(&f.v, ANNOUNCE), CALL_STATUS_ANNOUNCED);
	assert_int_equal(call_status(&f.v, ANNOUNCE + 365 * 86400), CALL_STATUS_ANNOUNCED);
	assert_string_equal(msg(call_status_label_key(CALL_STATUS_ANNOUNCED)), "結果発表済");
	assert_string_equal(call_status_key(CALL_STATUS_ANNOUNCED), "announced");
}

static void test_status_without_categories_uses_schedule(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, false, false);
	f.v.ncategories = 0;
	assert_int_equal(call_status(&f.v, OPENS - 1), CALL_STATUS_BEFORE);
	assert_int_equal(call_status(&f.v, OPENS), CALL_STATUS_OPEN);
	assert_int_equal(call_status(&f.v, STUDENTS), CALL_STATUS_OPEN);
	assert_int_equal(call_status(&f.v, STUDENTS + 1), CALL_STATUS_CLOSED);
}

static void test_status_of_empty_call_is_before(void **state)
{
	(void)state;
	struct call_view v = {0};
	assert_int_equal(call_status(&v, OPENS), CALL_STATUS_BEFORE);
}

static void test_next_deadline_is_earliest_open(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, true, true);
	assert_int_equal(call_next_deadline(&f.v, OPENS - 1), 0);
	assert_int_equal(call_next_deadline(&f.v, OPENS), DEADLINE);
	assert_int_equal(call_next_deadline(&f.v, DEADLINE), DEADLINE);
	assert_int_equal(call_next_deadline(&f.v, DEADLINE + 1), STUDENTS);
	assert_int_equal(call_next_deadline(&f.v, STUDENTS + 1), 0);
}

/* ---- countdown ------------------------------------------------------------ */

/* The countdown as the pages word it: its key with its numbers. */
static void check_countdown(int64_t left, const char *want)
{
	struct arena a;
	arena_init(&a);
	int64_t n[2];
	const char *key = call_countdown(DEADLINE, DEADLINE - left, n);
	assert_string_equal(msgf(&a, key, arena_printf(&a, "%lld", (long long)n[0]),
				 arena_printf(&a, "%lld", (long long)n[1])),
			    want);
	arena_free(&a);
}

static void test_countdown_days_and_hours(void **state)
{
	(void)state;
	check_countdown(3 * 86400 + 4 * 3600 + 59 * 60, "締切まであと 3日 4時間");
	check_countdown(86400, "締切まであと 1日 0時間");
}

static void test_countdown_hours_under_a_day(void **state)
{
	(void)state;
	check_countdown(86399, "締切まであと 23時間");
	check_countdown(3600, "締切まであと 1時間");
}

static void test_countdown_minutes_under_an_hour(void **state)
{
	(void)state;
	check_countdown(3599, "締切まであと 59分");
	check_countdown(59, "締切まであと 1分未満");
	check_countdown(0, "締切まであと 1分未満");
}

/* ---- timeline ----------------------------------------------------------- */

static void test_timeline_states(void **state)
{
	(void)state;
	struct fixture f;
	fixture_init(&f, true, true);
	/* ms: 0 open, 1 deadline, 2 review1 (10 days), 3 students' deadline,
	 * 4 announce. */
	assert_int_equal(milestone_state(&f.v, 0, OPENS - 1), MS_STATE_FUTURE);
	/* 受付開始 is current through the reception period. */
	assert_int_equal(milestone_state(&f.v, 0, OPENS), MS_STATE_CURRENT);
	assert_int_equal(milestone_state(&f.v, 0, DEADLINE - 1), MS_STATE_CURRENT);
	assert_int_equal(milestone_state(&f.v, 0, DEADLINE), MS_STATE_DONE);
	assert_int_equal(milestone_state(&f.v, 1, DEADLINE), MS_STATE_CURRENT);
	assert_int_equal(milestone_state(&f.v, 1, REVIEW1), MS_STATE_DONE);
	/* A period: current from its start to its end. */
	assert_int_equal(milestone_state(&f.v, 2, REVIEW1), MS_STATE_CURRENT);
	assert_int_equal(milestone_state(&f.v, 2, REVIEW1 + 10 * 86400), MS_STATE_CURRENT);
	assert_int_equal(milestone_state(&f.v, 2, REVIEW1 + 10 * 86400 + 1), MS_STATE_DONE);
	/* The last one: current on its day, then done. */
	assert_int_equal(milestone_state(&f.v, 4, ANNOUNCE), MS_STATE_CURRENT);
	assert_int_equal(milestone_state(&f.v, 4, ANNOUNCE + 2 * 86400), MS_STATE_DONE);
}

/* ---- formatting ------------------------------------------------------------ */

static void test_format_jst_wareki_with_time(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	call_format_jst(&b, DEADLINE);
	assert_string_equal(b.p, "令和7年5月30日(金) 17:00");
	buf_release(&b);
}

static void test_format_yen_thousands(void **state)
{
	(void)state;
	const struct {
		int64_t v;
		const char *want;
	} cases[] = {
	    {0, "0"}, {999, "999"}, {1000, "1,000"}, {300000, "300,000"}, {1234567, "1,234,567"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		call_format_yen(&b, cases[i].v);
		assert_string_equal(b.p, cases[i].want);
		buf_release(&b);
	}
}

/* ---- forms ------------------------------------------------------------------ */

/* Check a category form given as key, value pairs (NULL-terminated); f
 * holds the result in arena a. */
static int category_form(struct arena *a, struct form *f, struct category *c, ...)
{
	struct kv kv[32];
	size_t n = 0;
	va_list ap;
	va_start(ap, c);
	for (const char *k; n < 32 && (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		kv[n++] = (struct kv){k, v, strlen(v)};
	}
	va_end(ap);
	form_check(a, category_fields, CATF__MAX, kv, n, f);
	memset(c, 0, sizeof(*c));
	return category_from_form(f, c);
}

static void test_category_form_accepts_valid(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	struct category c;
	/* Full-width digits are accepted; the space form of the date-time too. */
	assert_int_equal(category_form(&a, &f, &c, "name", "一般部門", "short_name", "一般",
				       "cap_yen", "５０００００", "opens_at", "2025-04-01T09:00",
				       "deadline_at", "2025-05-30 17:00", "needs_division", "1",
				       NULL),
			 0);
	assert_int_equal(c.cap_yen, 500000);
	assert_int_equal(c.opens_at, OPENS);
	assert_int_equal(c.deadline_at, DEADLINE);
	assert_true(c.needs_division);
	assert_false(c.needs_coordinator);
	assert_int_equal(c.min_groups, 1);
	arena_free(&a);
}

static void test_category_form_refuses_negative_cap(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	struct category c;
	assert_int_equal(category_form(&a, &f, &c, "name", "一般部門", "short_name", "一般",
				       "cap_yen", "-1", "opens_at", "2025-04-01T09:00",
				       "deadline_at", "2025-05-30T17:00", NULL),
			 1);
	assert_string_equal(f.v[CATF_CAP_YEN].error, "上限額は0円以上の整数で入力してください");
	arena_free(&a);
}

static void test_category_form_refuses_deadline_before_opening(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	struct category c;
	assert_int_equal(category_form(&a, &f, &c, "name", "一般部門", "short_name", "一般",
				       "cap_yen", "1000", "opens_at", "2025-04-01T09:00",
				       "deadline_at", "2025-04-01T09:00", NULL),
			 1);
	assert_string_equal(f.v[CATF_DEADLINE_AT].error, "締切は受付開始より後にしてください");
	arena_free(&a);
}

static void test_category_form_refuses_hyphen_in_short_name(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	struct category c;
	assert_int_equal(category_form(&a, &f, &c, "name", "一般部門", "short_name", "一-般",
				       "cap_yen", "1000", "opens_at", "2025-04-01T09:00",
				       "deadline_at", "2025-05-01T09:00", NULL),
			 1);
	assert_non_null(strstr(f.v[CATF_SHORT_NAME].error, "「-」"));
	arena_free(&a);
}

static void test_milestone_kinds_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < MS__MAX; i++)
		assert_int_equal(milestone_kind_parse(milestone_kind_keys[i]), i);
	assert_int_equal(milestone_kind_parse("party"), -1);
	assert_string_equal(msg(milestone_kind_label_keys[MS_REVIEW1]), "1次審査");
	assert_string_equal(msg(milestone_kind_label_keys[MS_RESULTS]), "成果発表会");
}

/* Labels, countdowns and form errors are message keys: load the
 * catalogue, strictly, so that a mistyped key fails the test. */
static int load_messages(void **state)
{
	(void)state;
	char err[256];
	if (msg_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	msg_strict(true);
	return 0;
}

static int unload_messages(void **state)
{
	(void)state;
	msg_release();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_category_closed_one_second_before_opening),
	    cmocka_unit_test(test_category_open_at_opening_second),
	    cmocka_unit_test(test_category_open_at_deadline_second),
	    cmocka_unit_test(test_category_closed_one_second_after_deadline),
	    cmocka_unit_test(test_deadline_is_jst),
	    cmocka_unit_test(test_status_before_opening),
	    cmocka_unit_test(test_status_open_from_opening_second),
	    cmocka_unit_test(test_status_open_while_a_later_category_is_open),
	    cmocka_unit_test(test_status_closed_one_second_after_last_deadline),
	    cmocka_unit_test(test_status_review_once_review1_started),
	    cmocka_unit_test(test_status_closed_before_review1_starts),
	    cmocka_unit_test(test_status_announced_at_announce_second),
	    cmocka_unit_test(test_status_without_categories_uses_schedule),
	    cmocka_unit_test(test_status_of_empty_call_is_before),
	    cmocka_unit_test(test_next_deadline_is_earliest_open),
	    cmocka_unit_test(test_countdown_days_and_hours),
	    cmocka_unit_test(test_countdown_hours_under_a_day),
	    cmocka_unit_test(test_countdown_minutes_under_an_hour),
	    cmocka_unit_test(test_timeline_states),
	    cmocka_unit_test(test_format_jst_wareki_with_time),
	    cmocka_unit_test(test_format_yen_thousands),
	    cmocka_unit_test(test_category_form_accepts_valid),
	    cmocka_unit_test(test_category_form_refuses_negative_cap),
	    cmocka_unit_test(test_category_form_refuses_deadline_before_opening),
	    cmocka_unit_test(test_category_form_refuses_hyphen_in_short_name),
	    cmocka_unit_test(test_milestone_kinds_round_trip),
	};
	return cmocka_run_group_tests(tests, load_messages, unload_messages);
}
