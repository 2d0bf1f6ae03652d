/*
 * Unit tests for challenge/budget: yen and quantity parsing, line
 * arithmetic (amount = unit price × quantity, overflow), totals and the cap
 * rule.  Reasons are message keys with arguments; the tests check the
 * words the catalogue makes of them, as a person reads them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "challenge/budget.h"
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

/* The words of a reason, or NULL when there is none. */
static const char *words(const struct budget_msg *m)
{
	return m->key ? msg_format(&A, m->key, m->args) : NULL;
}

/* The words of a parse refusal with key, whose {1} is the maximum max. */
static const char *parse_words(const char *key, int64_t max)
{
	return msgf(&A, key, budget_yen(&A, max));
}

static int64_t yen_ok(const char *s)
{
	int64_t v = -1;
	const char *err = NULL;
	if (budget_parse_yen(&A, s, BUDGET_MAX_YEN, &v, &err) != 0)
		fail_msg("\"%s\" refused: %s", s, err);
	return v;
}

/* The message for refused yen text s (fails the test when it is accepted). */
static const char *yen_err(const char *s)
{
	int64_t v = 0;
	const char *err = NULL;
	if (budget_parse_yen(&A, s, BUDGET_MAX_YEN, &v, &err) == 0)
		fail_msg("\"%s\" accepted as %lld", s, (long long)v);
	assert_non_null(err);
	return parse_words(err, BUDGET_MAX_YEN);
}

/* ---- parsing ---- */

static void test_yen_plain_digits(void **state)
{
	(void)state;
	assert_int_equal(yen_ok("0"), 0);
	assert_int_equal(yen_ok("12000"), 12000);
	assert_int_equal(yen_ok("  300 "), 300);
}

static void test_yen_fullwidth_digits(void **state)
{
	(void)state;
	assert_int_equal(yen_ok("１２０００"), 12000);
	assert_int_equal(yen_ok("１２，０００円"), 12000);
}

static void test_yen_commas_yen_sign_and_unit(void **state)
{
	(void)state;
	assert_int_equal(yen_ok("12,000"), 12000);
	assert_int_equal(yen_ok("1,234,567"), 1234567);
	assert_int_equal(yen_ok("12,000円"), 12000);
	assert_int_equal(yen_ok("¥5,000"), 5000);
	assert_int_equal(yen_ok("￥5000"), 5000);
}

static void test_yen_misplaced_commas_refused(void **state)
{
	(void)state;
	assert_non_null(strstr(yen_err("12,00"), "数字"));
	assert_non_null(strstr(yen_err(",100"), "数字"));
	assert_non_null(strstr(yen_err("1,0000"), "数字"));
}

static void test_yen_negative_refused(void **state)
{
	(void)state;
	assert_non_null(strstr(yen_err("-100"), "マイナス"));
	assert_non_null(strstr(yen_err("－１００"), "マイナス"));
	assert_non_null(strstr(yen_err("−100"), "マイナス"));
	assert_non_null(strstr(yen_err("▲100"), "マイナス"));
	assert_non_null(strstr(yen_err("-0"), "マイナス"));
}

static void test_yen_fraction_refused(void **state)
{
	(void)state;
	assert_non_null(strstr(yen_err("100.5"), "小数"));
	assert_non_null(strstr(yen_err("１００．５"), "小数"));
	assert_non_null(strstr(yen_err("100.00"), "小数"));
}

static void test_yen_non_numeric_refused(void **state)
{
	(void)state;
	assert_non_null(strstr(yen_err("abc"), "数字"));
	assert_non_null(strstr(yen_err("1e5"), "数字"));
	assert_non_null(strstr(yen_err("百円"), "数字"));
	assert_non_null(strstr(yen_err("円"), "数字"));
	assert_non_null(strstr(yen_err("0x10"), "数字"));
	assert_non_null(strstr(yen_err("100.5.1"), "数字"));
}

static void test_yen_empty_is_missing(void **state)
{
	(void)state;
	assert_non_null(strstr(yen_err(""), "入力してください"));
	assert_non_null(strstr(yen_err("　"), "入力してください"));
	int64_t v;
	const char *err = NULL;
	assert_int_equal(budget_parse_yen(&A, NULL, 100, &v, &err), -1);
	assert_non_null(err);
}

static void test_yen_above_max_refused(void **state)
{
	(void)state;
	assert_int_equal(yen_ok("1,000,000,000"), BUDGET_MAX_YEN);
	assert_string_equal(yen_err("1000000001"), "金額が大きすぎます（1,000,000,000円まで）");
	/* More digits than int64 holds: no wrap-around. */
	assert_non_null(strstr(yen_err("99999999999999999999999"), "大きすぎ"));
}

static void test_qty_rules(void **state)
{
	(void)state;
	int64_t v = 0;
	const char *err = NULL;
	assert_int_equal(budget_parse_qty(&A, "３", &v, &err), 0);
	assert_int_equal(v, 3);
	assert_int_equal(budget_parse_qty(&A, "0", &v, &err), -1);
	assert_non_null(strstr(parse_words(err, BUDGET_MAX_QTY), "1以上"));
	assert_int_equal(budget_parse_qty(&A, "-2", &v, &err), -1);
	assert_non_null(strstr(parse_words(err, BUDGET_MAX_QTY), "マイナス"));
	assert_int_equal(budget_parse_qty(&A, "1.5", &v, &err), -1);
	assert_non_null(strstr(parse_words(err, BUDGET_MAX_QTY), "整数"));
	assert_int_equal(budget_parse_qty(&A, "3円", &v, &err), -1);
	assert_non_null(strstr(parse_words(err, BUDGET_MAX_QTY), "数字"));
	assert_int_equal(budget_parse_qty(&A, "1000001", &v, &err), -1);
	assert_string_equal(err, "budget.err.qty_too_large");
	assert_string_equal(parse_words(err, BUDGET_MAX_QTY),
			    "数量が大きすぎます（1,000,000まで）");
}

/* ---- lines ---- */

static int read_line(const char *item, const char *price, const char *qty, const char *amount,
		     struct budget_line *l, struct budget_line_errors *e)
{
	struct budget_input in = {item, price, qty, amount};
	return budget_line_read(&A, BUDGET_EXPENSE, 2, &in, l, e);
}

static void test_line_amount_is_price_times_qty(void **state)
{
	(void)state;
	struct budget_line l;
	struct budget_line_errors e;
	assert_int_equal(read_line("講師謝金", "10,000", "3", NULL, &l, &e), 1);
	assert_string_equal(l.item, "講師謝金");
	assert_int_equal(l.unit_price, 10000);
	assert_int_equal(l.quantity, 3);
	assert_int_equal(l.amount, 30000);
	assert_int_equal(l.position, 2);
	assert_int_equal(l.kind, BUDGET_EXPENSE);
}

static void test_line_matching_amount_accepted(void **state)
{
	(void)state;
	struct budget_line l;
	struct budget_line_errors e;
	assert_int_equal(read_line("印刷費", "50", "200", "10,000円", &l, &e), 1);
	assert_int_equal(l.amount, 10000);
}

static void test_line_amount_mismatch_refused(void **state)
{
	(void)state;
	struct budget_line l;
	struct budget_line_errors e;
	assert_int_equal(read_line("印刷費", "50", "200", "12000", &l, &e), -1);
	assert_non_null(e.amount.key);
	assert_string_equal(words(&e.amount),
			    "金額（12,000円）が単価×数量（10,000円）と一致しません");
	assert_null(e.price.key);
	assert_null(e.qty.key);
}

static void test_line_empty_is_no_line(void **state)
{
	(void)state;
	struct budget_line l;
	struct budget_line_errors e;
	assert_int_equal(read_line(NULL, "", " ", NULL, &l, &e), 0);
	assert_null(e.item.key);
}

static void test_line_partial_needs_every_field(void **state)
{
	(void)state;
	struct budget_line l;
	struct budget_line_errors e;
	assert_int_equal(read_line("会場費", NULL, NULL, NULL, &l, &e), -1);
	assert_string_equal(words(&e.price), "金額を入力してください");
	assert_string_equal(words(&e.qty), "数量を入力してください");
	assert_null(e.item.key);
	assert_int_equal(read_line(NULL, "100", "1", NULL, &l, &e), -1);
	assert_string_equal(words(&e.item), "項目（費目）を入力してください");
}

static void test_line_product_overflow_refused(void **state)
{
	(void)state;
	struct budget_line l;
	struct budget_line_errors e;
	/* Each factor within its own limit, the product far beyond. */
	assert_int_equal(read_line("機材", "1,000,000,000", "1000000", NULL, &l, &e), -1);
	assert_string_equal(words(&e.amount), "単価×数量が大きすぎます（1,000,000,000円まで）");
	/* Just above the amount limit. */
	assert_int_equal(read_line("機材", "500000001", "2", NULL, &l, &e), -1);
	assert_non_null(e.amount.key);
	/* Exactly the limit. */
	assert_int_equal(read_line("機材", "500000000", "2", NULL, &l, &e), 1);
	assert_int_equal(l.amount, BUDGET_MAX_YEN);
}

static void test_line_negative_price_refused(void **state)
{
	(void)state;
	struct budget_line l;
	struct budget_line_errors e;
	assert_int_equal(read_line("値引き", "-500", "1", NULL, &l, &e), -1);
	assert_non_null(strstr(words(&e.price), "マイナス"));
}

/* ---- totals and the cap ---- */

static void test_totals_and_requested(void **state)
{
	(void)state;
	struct budget_line lines[] = {
	    {BUDGET_INCOME, 1, "参加費", 500, 40, 20000},
	    {BUDGET_EXPENSE, 1, "講師謝金", 10000, 3, 30000},
	    {BUDGET_EXPENSE, 2, "会場費", 5000, 4, 20000},
	    {BUDGET_INCOME, 2, "自己資金", 10000, 1, 10000},
	};
	struct budget_totals t;
	assert_int_equal(budget_total(lines, 4, &t), 0);
	assert_int_equal(t.income, 30000);
	assert_int_equal(t.expense, 50000);
	assert_int_equal(t.requested, 20000);
}

static void test_totals_overflow_detected(void **state)
{
	(void)state;
	struct budget_line lines[] = {
	    {BUDGET_EXPENSE, 1, "a", 0, 1, INT64_MAX},
	    {BUDGET_EXPENSE, 2, "b", 0, 1, 1},
	};
	struct budget_totals t;
	assert_int_equal(budget_total(lines, 2, &t), -1);
}

static void test_request_within_cap_ok(void **state)
{
	(void)state;
	struct budget_totals t = {0, 300000, 300000};
	struct budget_msg why;
	assert_int_equal(budget_check_request(&A, &t, 300000, true, &why), 0);
	assert_null(why.key);
}

static void test_request_above_cap_refused(void **state)
{
	(void)state;
	struct budget_totals t = {0, 300001, 300001};
	struct budget_msg why;
	assert_int_equal(budget_check_request(&A, &t, 300000, true, &why), -1);
	assert_string_equal(why.key, "budget.err.over_cap");
	assert_string_equal(words(&why),
			    "申請額（300,001円）がこの部門の上限額（300,000円）を超えています");
}

static void test_request_zero_or_negative_refused(void **state)
{
	(void)state;
	struct budget_totals t = {50000, 50000, 0};
	struct budget_msg why;
	assert_int_equal(budget_check_request(&A, &t, 300000, true, &why), -1);
	struct budget_totals u = {60000, 50000, -10000};
	assert_int_equal(budget_check_request(&A, &u, 300000, true, &why), -1);
	assert_non_null(strstr(words(&why), "-10,000円"));
}

static void test_request_without_expenses_refused(void **state)
{
	(void)state;
	struct budget_totals t = {0, 0, 0};
	struct budget_msg why;
	assert_int_equal(budget_check_request(&A, &t, 300000, false, &why), -1);
	assert_string_equal(words(&why), "支出の明細を1行以上入力してください");
}

static void test_kind_keys_and_labels(void **state)
{
	(void)state;
	assert_string_equal(budget_kind_key(BUDGET_INCOME), "income");
	assert_string_equal(budget_kind_key(BUDGET_EXPENSE), "expense");
	assert_string_equal(msg(budget_kind_label_key(BUDGET_INCOME)), "収入");
	assert_string_equal(msg(budget_kind_label_key(BUDGET_EXPENSE)), "支出");
}

static void test_yen_format(void **state)
{
	(void)state;
	assert_string_equal(budget_yen(&A, 0), "0");
	assert_string_equal(budget_yen(&A, 999), "999");
	assert_string_equal(budget_yen(&A, 1000), "1,000");
	assert_string_equal(budget_yen(&A, 600000), "600,000");
	assert_string_equal(budget_yen(&A, -1234567), "-1,234,567");
	assert_string_equal(budget_yen(&A, INT64_MIN), "-9,223,372,036,854,775,808");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_yen_plain_digits),
	    cmocka_unit_test(test_yen_fullwidth_digits),
	    cmocka_unit_test(test_yen_commas_yen_sign_and_unit),
	    cmocka_unit_test(test_yen_misplaced_commas_refused),
	    cmocka_unit_test(test_yen_negative_refused),
	    cmocka_unit_test(test_yen_fraction_refused),
	    cmocka_unit_test(test_yen_non_numeric_refused),
	    cmocka_unit_test(test_yen_empty_is_missing),
	    cmocka_unit_test(test_yen_above_max_refused),
	    cmocka_unit_test(test_qty_rules),
	    cmocka_unit_test(test_line_amount_is_price_times_qty),
	    cmocka_unit_test(test_line_matching_amount_accepted),
	    cmocka_unit_test(test_line_amount_mismatch_refused),
	    cmocka_unit_test(test_line_empty_is_no_line),
	    cmocka_unit_test(test_line_partial_needs_every_field),
	    cmocka_unit_test(test_line_product_overflow_refused),
	    cmocka_unit_test(test_line_negative_price_refused),
	    cmocka_unit_test(test_totals_and_requested),
	    cmocka_unit_test(test_totals_overflow_detected),
	    cmocka_unit_test(test_request_within_cap_ok),
	    cmocka_unit_test(test_request_above_cap_refused),
	    cmocka_unit_test(test_request_zero_or_negative_refused),
	    cmocka_unit_test(test_request_without_expenses_refused),
	    cmocka_unit_test(test_kind_keys_and_labels),
	    cmocka_unit_test(test_yen_format),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
