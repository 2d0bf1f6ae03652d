/*
 * Unit tests for util/text: UTF-8 validation, length, search key, trim.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/text.h"

/* Validate a string literal including every byte but the terminating NUL. */
#define VALID(lit) text_valid_utf8((lit), sizeof(lit) - 1)

/* The search key of s, compared with want. */
static void check_key(const char *s, size_t n, const char *want)
{
	struct arena a;
	char *key;

	arena_init(&a);
	key = text_search_key(&a, s, n);
	assert_non_null(key);
	assert_string_equal(key, want);
	arena_free(&a);
}

#define KEY(lit, want) check_key((lit), sizeof(lit) - 1, (want))

/* Validation ------------------------------------------------------------ */

static void test_valid_ascii_and_japanese(void **state)
{
	(void)state;
	assert_true(VALID("hello, world"));
	assert_true(VALID("市民提案 ヤマダ やまだ"));
	assert_true(VALID("\xF0\x9F\x98\x80")); /* U+1F600 */
}

static void test_valid_empty(void **state)
{
	(void)state;
	assert_true(text_valid_utf8("", 0));
}

static void test_valid_boundary_code_points(void **state)
{
	(void)state;
	assert_true(VALID("\xC2\x80"));		/* U+0080 */
	assert_true(VALID("\xE0\xA0\x80"));	/* U+0800 */
	assert_true(VALID("\xED\x9F\xBF"));	/* U+D7FF */
	assert_true(VALID("\xEE\x80\x80"));	/* U+E000 */
	assert_true(VALID("\xF0\x90\x80\x80")); /* U+10000 */
	assert_true(VALID("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
}

static void test_valid_rejects_overlong(void **state)
{
	(void)state;
	assert_false(VALID("\xC0\xAF")); /* '/' in two bytes */
	assert_false(VALID("\xC1\xBF"));
	assert_false(VALID("\xE0\x80\xAF"));	 /* '/' in three bytes */
	assert_false(VALID("\xE0\x9F\xBF"));	 /* U+07FF in three bytes */
	assert_false(VALID("\xF0\x80\x80\xAF")); /* '/' in four bytes */
	assert_false(VALID("\xF0\x8F\xBF\xBF")); /* U+FFFF in four bytes */
}

static void test_valid_rejects_surrogates(void **state)
{
	(void)state;
	assert_false(VALID("\xED\xA0\x80"));		 /* U+D800 */
	assert_false(VALID("\xED\xBF\xBF"));		 /* U+DFFF */
	assert_false(VALID("\xED\xA0\xBD\xED\xB8\x80")); /* CESU-8 pair */
}

static void test_valid_rejects_above_max(void **state)
{
	(void)state;
	assert_false(VALID("\xF4\x90\x80\x80")); /* U+110000 */
	assert_false(VALID("\xF5\x80\x80\x80"));
	assert_false(VALID("\xFF"));
}

static void test_valid_rejects_truncated(void **state)
{
	(void)state;
	assert_false(VALID("\xE3\x81"));	/* あ without its last byte */
	assert_false(VALID("abc\xF0\x9F\x98")); /* at the end */
	assert_false(VALID("\xE3\x81z"));	/* interrupted */
	assert_false(text_valid_utf8("\xE3\x81\x82", 2));
}

static void test_valid_rejects_stray_continuation(void **state)
{
	(void)state;
	assert_false(VALID("\x80"));
	assert_false(VALID("a\xBF"));
}

static void test_valid_rejects_nul(void **state)
{
	(void)state;
	assert_false(VALID("ab\0c"));
}

static void test_valid_rejects_c0_controls(void **state)
{
	(void)state;
	assert_false(VALID("a\x01"));
	assert_false(VALID("\x1B[31m"));
	assert_false(VALID("a\x0B"));
}

static void test_valid_allows_tab_lf_cr(void **state)
{
	(void)state;
	assert_true(VALID("a\tb\r\nc\n"));
}

/* Length ---------------------------------------------------------------- */

static void test_length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(text_length("abc", 3), 3);
	assert_int_equal(text_length("日本語", strlen("日本語")), 3);
	assert_int_equal(text_length("a\xC3\xA9日\xF0\x9F\x98\x80", 10), 4);
}

static void test_length_empty(void **state)
{
	(void)state;
	assert_int_equal(text_length("", 0), 0);
}

static void test_length_reads_only_n_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_length("日本語", 6), 2);
}

/* Search key ------------------------------------------------------------ */

static void test_key_fullwidth_latin_folds_to_ascii(void **state)
{
	(void)state;
	KEY("ＮＰＯ", "npo");
}

static void test_key_case_folded(void **state)
{
	(void)state;
	KEY("NPO", "npo");
	KEY("Straße", "strasse");
	KEY("ÀÉ", "àé");
}

static void test_key_halfwidth_katakana_to_fullwidth(void **state)
{
	(void)state;
	KEY("ｶﾅ", "カナ");
	KEY("ﾊﾟﾝ", "パン");
}

static void test_key_fullwidth_digits(void **state)
{
	(void)state;
	KEY("令和２０２４", "令和2024");
}

static void test_key_compatibility_characters(void **state)
{
	(void)state;
	KEY("①", "1");
	KEY("㈱", "(株)");
}

static void test_key_hiragana_and_katakana_distinct(void **state)
{
	(void)state;
	KEY("かな", "かな");
	KEY("カナ", "カナ");
}

static void test_key_ideographic_space_collapsed(void **state)
{
	(void)state;
	KEY("市民\u3000\u3000会議", "市民 会議");
	KEY("市民 \u3000 会議", "市民 会議");
}

static void test_key_whitespace_runs_collapsed(void **state)
{
	(void)state;
	KEY("a \t\r\n b", "a b");
	KEY("a\u00A0b", "a b");
}

static void test_key_trimmed(void **state)
{
	(void)state;
	KEY("\u3000 まちづくり \t\u3000", "まちづくり");
	KEY(" \u3000 ", "");
}

static void test_key_empty(void **state)
{
	(void)state;
	KEY("", "");
}

static void test_key_ignorable_removed(void **state)
{
	(void)state;
	KEY("co\u00ADop", "coop");
	KEY("a\u200Bb", "ab");
}

static void test_key_invalid_utf8_is_empty(void **state)
{
	(void)state;
	KEY("abc\xC0\xAF", "");
	KEY("\xED\xA0\x80", "");
	KEY("abc\xE3\x81", "");
	KEY("ab\0c", "");
}

static void test_key_reads_only_n_bytes(void **state)
{
	(void)state;
	check_key("ABCDEF", 3, "abc");
}

/* Trim ------------------------------------------------------------------ */

static void check_trim(const char *s, const char *want)
{
	size_t n;
	const char *p = text_trim(s, strlen(s), &n);

	assert_true(p >= s && p + n <= s + strlen(s));
	assert_int_equal(n, strlen(want));
	assert_memory_equal(p, want, n);
}

static void test_trim_ascii_space(void **state)
{
	(void)state;
	check_trim("  abc \t\r\n", "abc");
}

static void test_trim_ideographic_space(void **state)
{
	(void)state;
	check_trim("\u3000\u3000提案\u3000", "提案");
	check_trim(" \u3000 提案 \u3000", "提案");
}

static void test_trim_keeps_inner_space(void **state)
{
	(void)state;
	check_trim(" a \u3000 b ", "a \u3000 b");
}

static void test_trim_all_space_gives_empty(void **state)
{
	(void)state;
	check_trim(" \u3000\t", "");
	check_trim("", "");
}

static void test_trim_leaves_other_punctuation(void **state)
{
	(void)state;
	/* 、 is U+3001: shares two lead bytes with U+3000 but is no space. */
	check_trim("、あ、", "、あ、");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_ascii_and_japanese),
	    cmocka_unit_test(test_valid_empty),
	    cmocka_unit_test(test_valid_boundary_code_points),
	    cmocka_unit_test(test_valid_rejects_overlong),
	    cmocka_unit_test(test_valid_rejects_surrogates),
	    cmocka_unit_test(test_valid_rejects_above_max),
	    cmocka_unit_test(test_valid_rejects_truncated),
	    cmocka_unit_test(test_valid_rejects_stray_continuation),
	    cmocka_unit_test(test_valid_rejects_nul),
	    cmocka_unit_test(test_valid_rejects_c0_controls),
	    cmocka_unit_test(test_valid_allows_tab_lf_cr),
	    cmocka_unit_test(test_length_counts_code_points),
	    cmocka_unit_test(test_length_empty),
	    cmocka_unit_test(test_length_reads_only_n_bytes),
	    cmocka_unit_test(test_key_fullwidth_latin_folds_to_ascii),
	    cmocka_unit_test(test_key_case_folded),
	    cmocka_unit_test(test_key_halfwidth_katakana_to_fullwidth),
	    cmocka_unit_test(test_key_fullwidth_digits),
	    cmocka_unit_test(test_key_compatibility_characters),
	    cmocka_unit_test(test_key_hiragana_and_katakana_distinct),
	    cmocka_unit_test(test_key_ideographic_space_collapsed),
	    cmocka_unit_test(test_key_whitespace_runs_collapsed),
	    cmocka_unit_test(test_key_trimmed),
	    cmocka_unit_test(test_key_empty),
	    cmocka_unit_test(test_key_ignorable_removed),
	    cmocka_unit_test(test_key_invalid_utf8_is_empty),
	    cmocka_unit_test(test_key_reads_only_n_bytes),
	    cmocka_unit_test(test_trim_ascii_space),
	    cmocka_unit_test(test_trim_ideographic_space),
	    cmocka_unit_test(test_trim_keeps_inner_space),
	    cmocka_unit_test(test_trim_all_space_gives_empty),
	    cmocka_unit_test(test_trim_leaves_other_punctuation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
