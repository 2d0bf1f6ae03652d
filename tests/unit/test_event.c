/*
 * Unit tests for domain/event: the pure parts — the month grid the
 * calendar page draws, month parsing, and the registration state line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "events/event.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(october_2024_starts_on_tuesday),
	    cmocka_unit_test(february_2026_fills_four_weeks),
	    cmocka_unit_test(leap_february_and_six_week_month),
	    cmocka_unit_test(out_of_range_month_is_refused),
	    cmocka_unit_test(month_parse_accepts_only_yyyy_mm),
	    cmocka_unit_test(registration_state_follows_window_and_places),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
