/*
 * Unit tests for proposal receipt numbers (R7-一般-003: era initial and
 * year of the call's fiscal year, the category's short name, a sequence
 * zero-padded to three digits), for the declared proposal fields (every
 * label a key of the catalogue) and for the words of statuses and result
 * codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "challenge/proposal.h"
#include "util/msg.h"

static struct arena A;

static int setup(void **state)
{
	(void)state;
	char err[256];
	if (msg_init(err, sizeof err) != 0) {
		fprintf(stderr, "msg_init: %s\n", err);
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

static void check(int64_t fy, const char *short_name, int64_t seq, const char *want)
{
	const char *got = proposal_receipt_no(&A, fy, short_name, seq);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
}

static void test_receipt_reiwa_7_general(void **state)
{
	(void)state;
	check(2025, "一般", 3, "R7-一般-003");
}

static void test_receipt_zero_padding(void **state)
{
	(void)state;
	check(2025, "スタート", 1, "R7-スタート-001");
	check(2025, "学生", 42, "R7-学生-042");
	check(2025, "学生", 999, "R7-学生-999");
}

static void test_receipt_wider_than_three_digits(void **state)
{
	(void)state;
	check(2025, "一般", 1000, "R7-一般-1000");
}

static void test_receipt_reiwa_gannen_is_1(void **state)
{
	(void)state;
	/* 令和元年度 (2019): the era in force on 1 May. */
	check(2019, "連携", 7, "R1-連携-007");
}

static void test_receipt_heisei_before_reiwa(void **state)
{
	(void)state;
	check(2018, "一般", 12, "H30-一般-012");
	check(1989, "一般", 1, "H1-一般-001");
}

static void test_receipt_later_years(void **state)
{
	(void)state;
	check(2026, "一般", 1, "R8-一般-001");
	check(2030, "団体連携", 5, "R12-団体連携-005");
}

static void test_receipt_before_meiji_refused(void **state)
{
	(void)state;
	check(1867, "一般", 1, NULL);
	check(0, "一般", 1, NULL);
}

static void test_fields_every_key_declared(void **state)
{
	(void)state;
	for (size_t i = 0; i < PRF__MAX; i++) {
		assert_non_null(proposal_fields[i].name);
		assert_non_null(proposal_fields[i].label);
		if (!msg_exists(proposal_fields[i].label))
			fail_msg("label of %s is not a message key", proposal_fields[i].name);
		for (size_t k = 0; k < i; k++)
			if (strcmp(proposal_fields[i].name, proposal_fields[k].name) == 0)
				fail_msg("field %s declared twice", proposal_fields[i].name);
	}
}

static void test_fields_row_names(void **state)
{
	(void)state;
	assert_string_equal(proposal_fields[PRF_SCHED_WHEN(0)].name, "sched_when_1");
	assert_string_equal(proposal_fields[PRF_SCHED_WHAT(7)].name, "sched_what_8");
	assert_string_equal(proposal_fields[PRF_BUDGET(BUDGET_INCOME, 0, BCOL_ITEM)].name,
			    "income_item_1");
	assert_string_equal(proposal_fields[PRF_BUDGET(BUDGET_INCOME, 9, BCOL_AMOUNT)].name,
			    "income_amount_10");
	assert_string_equal(proposal_fields[PRF_BUDGET(BUDGET_EXPENSE, 4, BCOL_PRICE)].name,
			    "expense_price_5");
	assert_string_equal(proposal_fields[PRF_BUDGET(BUDGET_EXPENSE, 9, BCOL_QTY)].name,
			    "expense_qty_10");
}

static void test_fields_labels_words(void **state)
{
	(void)state;
	assert_string_equal(msg(proposal_fields[PRF_SUMMARY].label), "事業の概要（公開）");
	assert_string_equal(msg(proposal_fields[PRF_SCHED_WHAT(7)].label), "日程8の内容");
	assert_string_equal(msg(proposal_fields[PRF_BUDGET(BUDGET_EXPENSE, 9, BCOL_AMOUNT)].label),
			    "支出10の金額");
	for (size_t i = 0; i < PNF__MAX; i++)
		assert_true(msg_exists(proposal_new_fields[i].label));
	for (size_t i = 0; i < PQ__MAX; i++)
		assert_true(msg_exists(proposal_query_fields[i].label));
}

static void test_status_labels(void **state)
{
	(void)state;
	assert_string_equal(msg(proposal_status_label_key("draft")), "下書き");
	assert_string_equal(msg(proposal_status_label_key("submitted")), "提出済み");
	assert_string_equal(msg(proposal_status_label_key("reopened")), "差し戻し（修正中）");
	assert_true(proposal_status_editable("reopened"));
	assert_false(proposal_status_editable("submitted"));
	assert_false(proposal_status_editable("withdrawn"));
	/* A status added by a later stage has no label here: shown as itself. */
	assert_null(proposal_status_label_key("adopted"));
}

static void test_rc_words(void **state)
{
	(void)state;
	assert_string_equal(msg(proposal_rc_key(RC_CLOSED)), "この部門の受付期間は終了しました。");
	assert_non_null(strstr(msg(proposal_rc_key(RC_STATE)), "すでに提出済み"));
	assert_string_equal(msg(proposal_rc_key(RC_NOT_FOUND)),
			    "お探しの企画提案書は見つかりませんでした。");
	assert_string_equal(proposal_rc_key(RC_INVALID), rc_key(RC_INVALID));
	/* Every code has words. */
	for (int rc = RC_OK; rc < RC__MAX; rc++)
		assert_true(msg_exists(proposal_rc_key((enum rc)rc)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_receipt_reiwa_7_general),
	    cmocka_unit_test(test_receipt_zero_padding),
	    cmocka_unit_test(test_receipt_wider_than_three_digits),
	    cmocka_unit_test(test_receipt_reiwa_gannen_is_1),
	    cmocka_unit_test(test_receipt_heisei_before_reiwa),
	    cmocka_unit_test(test_receipt_later_years),
	    cmocka_unit_test(test_receipt_before_meiji_refused),
	    cmocka_unit_test(test_fields_every_key_declared),
	    cmocka_unit_test(test_fields_row_names),
	    cmocka_unit_test(test_fields_labels_words),
	    cmocka_unit_test(test_status_labels),
	    cmocka_unit_test(test_rc_words),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
