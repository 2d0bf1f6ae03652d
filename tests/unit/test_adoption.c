/*
 * Unit tests for the adoption history label on a group's page
 * (adoption_years_label): fiscal years as era initials and era years,
 * consecutive years merged into one range, ranges joined with "・", and a
 * range that crosses from 平成 into 令和.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "challenge/adoption.h"
#include "util/msg.h"

static struct arena A;

/* The separator and the 採択 suffix come from the catalogue. */
static int setup(void **state)
{
	(void)state;
	char err[256];
	if (msg_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	msg_strict(true);
	arena_init(&A);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&A);
	msg_release();
	return 0;
}

static void check(const int64_t *years, size_t n, const char *want)
{
	const char *got = adoption_years_label(&A, years, n);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
}

static void test_three_consecutive_years_are_one_range(void **state)
{
	(void)state;
	const int64_t y[] = {2022, 2023, 2024};
	check(y, 3, "R4–6採択");
}

static void test_one_year(void **state)
{
	(void)state;
	/* 2019 is 令和元年度 (the era in force on 1 May), written R1. */
	const int64_t y[] = {2019};
	check(y, 1, "R1採択");
}

static void test_gap_gives_two_ranges(void **state)
{
	(void)state;
	const int64_t y[] = {2019, 2021, 2022};
	check(y, 3, "R1・R3–4採択");
}

static void test_range_crossing_heisei_into_reiwa(void **state)
{
	(void)state;
	const int64_t y[] = {2018, 2019};
	check(y, 2, "H30–R1採択");
}

static void test_order_and_repeats_do_not_matter(void **state)
{
	(void)state;
	/* Two projects in one year (lead and partner) count once. */
	const int64_t y[] = {2024, 2022, 2023, 2023};
	check(y, 4, "R4–6採択");
}

static void test_heisei_only(void **state)
{
	(void)state;
	const int64_t y[] = {2011, 2012, 2015};
	check(y, 3, "H23–24・H27採択");
}

static void test_nothing_gives_null(void **state)
{
	(void)state;
	check(NULL, 0, NULL);
}

static void test_year_before_meiji_gives_null(void **state)
{
	(void)state;
	const int64_t y[] = {1800};
	check(y, 1, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_three_consecutive_years_are_one_range),
	    cmocka_unit_test(test_one_year),
	    cmocka_unit_test(test_gap_gives_two_ranges),
	    cmocka_unit_test(test_range_crossing_heisei_into_reiwa),
	    cmocka_unit_test(test_order_and_repeats_do_not_matter),
	    cmocka_unit_test(test_heisei_only),
	    cmocka_unit_test(test_nothing_gives_null),
	    cmocka_unit_test(test_year_before_meiji_gives_null),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
