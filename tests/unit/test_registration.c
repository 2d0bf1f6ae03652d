/*
 * Unit tests for domain/registration.c's pure rules: phone numbers, the
 * registration window, and the first-come-first-served capacity decision.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events/registration.c"

static void phone_empty_is_allowed(void **state)
{
	(void)state;
	assert_true(registration_phone_ok(""));
}

static void phone_with_separators_is_accepted(void **state)
{
	(void)state;
	assert_true(registration_phone_ok("076-220-2111"));
	assert_true(registration_phone_ok("+81 (76) 220-2111"));
	assert_true(registration_phone_ok("09012345678"));
}

static void phone_with_letters_is_refused(void **state)
{
	(void)state;
	assert_false(registration_phone_ok("076-220-abcd"));
	assert_false(
	    registration_phone_ok("０７６２２０２１１１")); /* full width: normalise first */
}

static void phone_digit_count_is_10_to_13(void **state)
{
	(void)state;
	assert_false(registration_phone_ok("076-220-211"));	 /* 9 */
	assert_true(registration_phone_ok("0762202111"));	 /* 10 */
	assert_true(registration_phone_ok("+81-90-1234-56789")); /* 13 */
	assert_false(registration_phone_ok("+81-90-1234-567890"));
}

static void window_opens_and_closes(void **state)
{
	(void)state;
	struct reg_event ev = {
	    .capacity = 10, .starts_at = 1000, .reg_opens_at = 100, .reg_closes_at = 900};
	assert_int_equal(registration_window(&ev, 99), REG_NOT_OPEN);
	assert_int_equal(registration_window(&ev, 100), REG_OK);
	assert_int_equal(registration_window(&ev, 900), REG_CLOSED);
	ev.reg_closes_at = 0;
	assert_int_equal(registration_window(&ev, 999), REG_OK);
	assert_int_equal(registration_window(&ev, 1000), REG_CLOSED);
	ev.capacity = 0;
	assert_int_equal(registration_window(&ev, 500), REG_NO_SIGNUP);
}

static void party_waits_when_it_does_not_fit_or_others_wait(void **state)
{
	(void)state;
	assert_string_equal(decide_status(10, 9, 0, 1), "confirmed");
	assert_string_equal(decide_status(10, 9, 0, 2), "waiting");
	assert_string_equal(decide_status(10, 5, 1, 1), "waiting");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(phone_empty_is_allowed),
	    cmocka_unit_test(phone_with_separators_is_accepted),
	    cmocka_unit_test(phone_with_letters_is_refused),
	    cmocka_unit_test(phone_digit_count_is_10_to_13),
	    cmocka_unit_test(window_opens_and_closes),
	    cmocka_unit_test(party_waits_when_it_does_not_fit_or_others_wait),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
