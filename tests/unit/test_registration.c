/*
 * Unit tests for events/registration.c's pure rules: phone numbers, the
 * registration window and its reasons, the first-come-first-served
 * capacity decision, and the catalogue words the rules name.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events/registration.c"
#include "util/msg.h"

static int setup(void **state)
{
	(void)state;
	char err[256];
	if (msg_init(err, sizeof err) != 0) {
		fprintf(stderr, "catalogue: %s\n", err);
		return -1;
	}
	msg_strict(true);
	return 0;
}

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

/* The window's refusals are RC_CLOSED, each with its reason key. */
static void window_opens_and_closes(void **state)
{
	(void)state;
	struct reg_event ev = {
	    .capacity = 10, .starts_at = 1000, .reg_opens_at = 100, .reg_closes_at = 900};
	const char *why = NULL;
	assert_int_equal(registration_window(&ev, 99, &why), RC_CLOSED);
	assert_string_equal(why, "reg.err.not_open");
	assert_int_equal(registration_window(&ev, 100, &why), RC_OK);
	assert_int_equal(registration_window(&ev, 900, &why), RC_CLOSED);
	assert_string_equal(why, "reg.err.closed");
	ev.reg_closes_at = 0;
	assert_int_equal(registration_window(&ev, 999, &why), RC_OK);
	assert_int_equal(registration_window(&ev, 1000, &why), RC_CLOSED);
	assert_string_equal(why, "reg.err.closed");
	ev.capacity = 0;
	assert_int_equal(registration_window(&ev, 500, &why), RC_CLOSED);
	assert_string_equal(why, "reg.err.no_signup");
	/* why may be NULL */
	assert_int_equal(registration_window(&ev, 500, NULL), RC_CLOSED);
}

/* Every reason the rules give is a key of the catalogue. */
static void reasons_are_catalogue_keys(void **state)
{
	(void)state;
	static const char *const keys[] = {
	    REG_PHONE_KEY,
	    "reg.err.not_found",
	    "reg.err.not_open",
	    "reg.err.closed",
	    "reg.err.no_signup",
	    "reg.err.party",
	    "reg.err.duplicate",
	    "reg.err.cancelled",
	    "reg.err.failed",
	    "checkin.err.not_confirmed",
	    "checkin.audit.attend",
	    "reg.mail.confirmed.subject",
	    "reg.mail.confirmed.body",
	    "reg.mail.waiting.subject",
	    "reg.mail.waiting.body",
	    "reg.mail.promoted.subject",
	    "reg.mail.promoted.body",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!msg_exists(keys[i]))
			fail_msg("no message %s", keys[i]);
}

/* The mails keep their words: the waiting one promises a place in turn,
 * the confirmed one carries the QR code's link. */
static void mails_are_formatted_from_the_catalogue(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const char *c = msgf(&a, "reg.mail.confirmed.body", "金沢 花子", "講座", "2", "/r/T");
	assert_non_null(strstr(c, "金沢 花子 様\n\n「講座」への申し込みを受け付けました（2名）。"));
	assert_non_null(strstr(c, "\n/r/T\n当日の受付用QRコード: /r/T/qr.png\n"));
	const char *w = msgf(&a, "reg.mail.waiting.body", "金沢 花子", "講座", "1", "/r/T");
	assert_non_null(strstr(w, "キャンセル待ちとして受け付けました（1名）"));
	assert_null(strstr(w, "qr.png"));
	assert_string_equal(msgf(&a, "reg.mail.confirmed.subject", "講座"), "【申し込み完了】講座");
	arena_free(&a);
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
	    cmocka_unit_test(reasons_are_catalogue_keys),
	    cmocka_unit_test(mails_are_formatted_from_the_catalogue),
	    cmocka_unit_test(party_waits_when_it_does_not_fit_or_others_wait),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
