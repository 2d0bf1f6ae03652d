/*
 * Unit tests for events/event: the pure parts — the month grid the
 * calendar page draws, month parsing, the registration state line, the
 * audience lines, and the rules that need no database (which field, which
 * message key).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events/event.h"
#include "util/msg.h"

/* October 2024 starts on a Tuesday and needs five weeks. */
static void october_2024_starts_on_tuesday(void **state)
{
	(void)state;
	struct month_grid g;
	assert_int_equal(month_grid_fill(&g, 2024, 10), 0);
	assert_int_equal(g.nweeks, 5);
	assert_int_equal(g.day[0][0], 0);
	assert_int_equal(g.day[0][1], 0);
	assert_int_equal(g.day[0][2], 1);
	assert_int_equal(g.day[2][5], 18); /* 18 October 2024 was a Friday */
	assert_int_equal(g.day[4][4], 31);
	assert_int_equal(g.day[4][5], 0);
}

/* February 2026 starts on a Sunday and fills exactly four weeks. */
static void february_2026_fills_four_weeks(void **state)
{
	(void)state;
	struct month_grid g;
	assert_int_equal(month_grid_fill(&g, 2026, 2), 0);
	assert_int_equal(g.nweeks, 4);
	assert_int_equal(g.day[0][0], 1);
	assert_int_equal(g.day[3][6], 28);
}

/* A leap February has 29 days; March 2025 needs six weeks (Sat 1st, 31 days). */
static void leap_february_and_six_week_month(void **state)
{
	(void)state;
	struct month_grid g;
	assert_int_equal(month_grid_fill(&g, 2024, 2), 0);
	assert_int_equal(g.day[4][4], 29);
	assert_int_equal(month_grid_fill(&g, 2025, 3), 0);
	assert_int_equal(g.nweeks, 6);
	assert_int_equal(g.day[0][6], 1);
	assert_int_equal(g.day[5][1], 31);
}

static void out_of_range_month_is_refused(void **state)
{
	(void)state;
	struct month_grid g;
	assert_int_equal(month_grid_fill(&g, 2024, 0), -1);
	assert_int_equal(month_grid_fill(&g, 2024, 13), -1);
}

static void month_parse_accepts_only_yyyy_mm(void **state)
{
	(void)state;
	int y = 0, m = 0;
	assert_int_equal(month_parse("2024-10", &y, &m), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 10);
	assert_int_equal(month_parse("2024-13", &y, &m), -1);
	assert_int_equal(month_parse("2024-1", &y, &m), -1);
	assert_int_equal(month_parse("20a4-10", &y, &m), -1);
	assert_int_equal(month_parse(NULL, &y, &m), -1);
}

static void registration_state_follows_window_and_places(void **state)
{
	(void)state;
	struct event e = {.capacity = 10, .starts_at = 1000, .ends_at = 2000};
	assert_int_equal(event_reg_state(&e, 5, 500), EVENT_REG_OPEN);
	assert_int_equal(event_reg_state(&e, 0, 500), EVENT_REG_WAITLIST);
	assert_int_equal(event_reg_state(&e, 5, 1000), EVENT_REG_CLOSED);
	e.reg_opens_at = 600;
	assert_int_equal(event_reg_state(&e, 5, 500), EVENT_REG_NOT_YET);
	e.reg_closes_at = 800;
	assert_int_equal(event_reg_state(&e, 5, 801), EVENT_REG_CLOSED);
	e.capacity = 0;
	assert_int_equal(event_reg_state(&e, -1, 700), EVENT_REG_NONE);
}

static void audience_lines_skip_empty_ones(void **state)
{
	(void)state;
	const char *seen[4];
	size_t n = 0;
	struct str line;
	for (const char *p = "\n親子\n\n学生\n"; n < 4 && event_audience_next(&p, &line);)
		seen[n++] = strndup(line.p, line.n);
	assert_int_equal(n, 2);
	assert_string_equal(seen[0], "親子");
	assert_string_equal(seen[1], "学生");
	for (size_t i = 0; i < n; i++)
		free((void *)seen[i]);
	const char *none = NULL;
	assert_false(event_audience_next(&none, &line));
}

/* A valid new event, changed by each case below. */
static struct event valid_event(void)
{
	return (struct event){.title = "講座",
			      .type = "講座",
			      .starts_at = 1000,
			      .ends_at = 2000,
			      .max_party = 1,
			      .audience = "親子\n学生"};
}

/* event_validate on a new event (no database needed): the field it blames
 * and the message key, which the catalogue knows. */
static void expect_refusal(struct event e, const char *field, const char *key)
{
	struct arena a;
	arena_init(&a);
	const char *f = NULL, *why = NULL;
	assert_int_equal(event_validate(NULL, &a, &e, &f, &why), RC_INVALID);
	assert_string_equal(f, field);
	assert_string_equal(why, key);
	assert_true(msg_exists(why));
	arena_free(&a);
}

static void validate_names_the_field_and_a_message_key(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct event e = valid_event();
	const char *f = NULL, *why = NULL;
	assert_int_equal(event_validate(NULL, &a, &e, &f, &why), RC_OK);
	arena_free(&a);
	e.title = "";
	expect_refusal(e, "title", "events.err.title_required");
	e = valid_event();
	e.title_kana = "tesuto";
	expect_refusal(e, "title_kana", "events.err.title_kana");
	e = valid_event();
	e.type = "宴会";
	expect_refusal(e, "type", "events.err.type");
	e = valid_event();
	e.ends_at = 999;
	expect_refusal(e, "ends_at", "events.err.ends_before_start");
	e = valid_event();
	e.capacity = -1;
	expect_refusal(e, "capacity", "events.err.capacity_negative");
	e = valid_event();
	e.max_party = 0;
	expect_refusal(e, "max_party", "events.err.max_party");
	e = valid_event();
	e.reg_opens_at = 900, e.reg_closes_at = 800;
	expect_refusal(e, "reg_closes_at", "events.err.reg_closes_before_opens");
	e = valid_event();
	e.audience = "親子\n大人";
	expect_refusal(e, "audience", "events.err.audience");
}

/* The capacity message takes the people signed up as its argument. */
static void capacity_message_takes_the_people(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(msgf(&a, "events.err.capacity_below_people", "3"),
			    "定員は申込済みの人数（3名）より少なくできません");
	arena_free(&a);
}

int main(void)
{
	char err[256];
	if (msg_init(err, sizeof err) != 0) {
		fprintf(stderr, "message catalogue: %s\n", err);
		return 1;
	}
	msg_strict(true);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(october_2024_starts_on_tuesday),
	    cmocka_unit_test(february_2026_fills_four_weeks),
	    cmocka_unit_test(leap_february_and_six_week_month),
	    cmocka_unit_test(out_of_range_month_is_refused),
	    cmocka_unit_test(month_parse_accepts_only_yyyy_mm),
	    cmocka_unit_test(registration_state_follows_window_and_places),
	    cmocka_unit_test(audience_lines_skip_empty_ones),
	    cmocka_unit_test(validate_names_the_field_and_a_message_key),
	    cmocka_unit_test(capacity_message_takes_the_people),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
