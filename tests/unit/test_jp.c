/*
 * Unit tests for util/jp: 和暦, 年度, ISO dates, kana readings and 50音順.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/date.h"
#include "util/jp.h"
#include "util/msg.h"

/* Format y-m-d with jp_wareki_date into a fresh buffer, check the return
 * code, and compare the text with want (NULL: nothing appended). */
static void check_wareki(int y, int m, int d, bool wd, const char *want)
{
	struct buf b = BUF_INIT;
	int rc = jp_wareki_date(&b, y, m, d, wd);

	if (want) {
		assert_int_equal(rc, 0);
		assert_non_null(b.p);
		assert_string_equal(b.p, want);
	} else {
		assert_int_equal(rc, -1);
		assert_int_equal(b.n, 0);
	}
	buf_release(&b);
}

static void check_wareki_year(int y, int m, int d, const char *want)
{
	struct buf b = BUF_INIT;
	int rc = jp_wareki_year(&b, y, m, d);

	if (want) {
		assert_int_equal(rc, 0);
		assert_string_equal(b.p, want);
	} else {
		assert_int_equal(rc, -1);
		assert_int_equal(b.n, 0);
	}
	buf_release(&b);
}

static void check_fy_label(int fy, const char *want)
{
	struct buf b = BUF_INIT;
	int rc = jp_fiscal_year_label(&b, fy);

	if (want) {
		assert_int_equal(rc, 0);
		assert_string_equal(b.p, want);
	} else {
		assert_int_equal(rc, -1);
		assert_int_equal(b.n, 0);
	}
	buf_release(&b);
}

/* 和暦 dates ------------------------------------------------------------ */

static void test_wareki_reiwa_with_weekday(void **state)
{
	(void)state;
	check_wareki(2024, 10, 18, true, "令和6年10月18日(金)");
}

static void test_wareki_without_weekday(void **state)
{
	(void)state;
	check_wareki(2024, 10, 18, false, "令和6年10月18日");
}

static void test_wareki_every_weekday_name(void **state)
{
	/* 2024-10-13 was a Sunday. */
	static const char *const want[] = {
	    "令和6年10月13日(日)", "令和6年10月14日(月)", "令和6年10月15日(火)",
	    "令和6年10月16日(水)", "令和6年10月17日(木)", "令和6年10月18日(金)",
	    "令和6年10月19日(土)",
	};
	(void)state;
	for (int i = 0; i < 7; i++)
		check_wareki(2024, 10, 13 + i, true, want[i]);
}

static void test_wareki_heisei_last_day(void **state)
{
	(void)state;
	check_wareki(2019, 4, 30, false, "平成31年4月30日");
}

static void test_wareki_reiwa_first_day(void **state)
{
	(void)state;
	check_wareki(2019, 5, 1, true, "令和元年5月1日(水)");
}

static void test_wareki_reiwa_second_year(void **state)
{
	(void)state;
	check_wareki(2020, 1, 1, false, "令和2年1月1日");
}

static void test_wareki_showa_last_day(void **state)
{
	(void)state;
	check_wareki(1989, 1, 7, false, "昭和64年1月7日");
}

static void test_wareki_heisei_first_day(void **state)
{
	(void)state;
	check_wareki(1989, 1, 8, true, "平成元年1月8日(日)");
}

static void test_wareki_taisho_last_day(void **state)
{
	(void)state;
	check_wareki(1926, 12, 24, false, "大正15年12月24日");
}

static void test_wareki_showa_first_day(void **state)
{
	(void)state;
	check_wareki(1926, 12, 25, true, "昭和元年12月25日(土)");
}

static void test_wareki_meiji_last_day(void **state)
{
	(void)state;
	check_wareki(1912, 7, 29, false, "明治45年7月29日");
}

static void test_wareki_taisho_first_day(void **state)
{
	(void)state;
	check_wareki(1912, 7, 30, true, "大正元年7月30日(火)");
}

static void test_wareki_meiji_first_day(void **state)
{
	(void)state;
	check_wareki(1868, 1, 25, true, "明治元年1月25日(土)");
}

static void test_wareki_rejects_day_before_meiji(void **state)
{
	(void)state;
	check_wareki(1868, 1, 24, true, NULL);
	check_wareki(1, 1, 1, false, NULL);
}

static void test_wareki_rejects_feb_29_in_common_year(void **state)
{
	(void)state;
	check_wareki(2023, 2, 29, false, NULL);
}

static void test_wareki_accepts_feb_29_in_leap_year(void **state)
{
	(void)state;
	check_wareki(2024, 2, 29, true, "令和6年2月29日(木)");
}

static void test_wareki_century_leap_rules(void **state)
{
	(void)state;
	check_wareki(1900, 2, 29, false, NULL);
	check_wareki(2000, 2, 29, true, "平成12年2月29日(火)");
}

static void test_wareki_rejects_month_13(void **state)
{
	(void)state;
	check_wareki(2024, 13, 1, false, NULL);
}

static void test_wareki_rejects_month_and_day_zero(void **state)
{
	(void)state;
	check_wareki(2024, 0, 1, false, NULL);
	check_wareki(2024, 1, 0, false, NULL);
}

static void test_wareki_rejects_day_past_month_end(void **state)
{
	(void)state;
	check_wareki(2024, 4, 31, false, NULL);
	check_wareki(2024, 1, 32, false, NULL);
	check_wareki(2024, -1, 1, false, NULL);
}

static void test_wareki_appends_to_buffer(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "開催日: ");
	assert_int_equal(jp_wareki_date(&b, 2025, 4, 1, false), 0);
	assert_string_equal(b.p, "開催日: 令和7年4月1日");
	assert_int_equal(jp_wareki_date(&b, 2023, 2, 29, false), -1);
	assert_string_equal(b.p, "開催日: 令和7年4月1日");
	buf_release(&b);
}

static void test_wareki_year_reiwa_gannen(void **state)
{
	(void)state;
	check_wareki_year(2019, 5, 1, "令和元年");
	check_wareki_year(2019, 4, 30, "平成31年");
}

static void test_wareki_year_rejects_invalid_date(void **state)
{
	(void)state;
	check_wareki_year(2023, 2, 29, NULL);
	check_wareki_year(1868, 1, 24, NULL);
}

/* Weekday --------------------------------------------------------------- */

static void test_weekday_known_dates(void **state)
{
	(void)state;
	assert_int_equal(jp_weekday(2024, 10, 18), 5);
	assert_int_equal(jp_weekday(1970, 1, 1), 4);
	assert_int_equal(jp_weekday(2000, 1, 1), 6);
	assert_int_equal(jp_weekday(2024, 3, 1), 5);
	assert_int_equal(jp_weekday(2024, 2, 29), 4);
}

static void test_weekday_rejects_invalid_date(void **state)
{
	(void)state;
	assert_int_equal(jp_weekday(2023, 2, 29), -1);
}

/* 年度 ------------------------------------------------------------------ */

static void test_fiscal_year_march_31_is_previous_year(void **state)
{
	(void)state;
	assert_int_equal(jp_fiscal_year(2025, 3, 31), 2024);
}

static void test_fiscal_year_april_1_starts_new_year(void **state)
{
	(void)state;
	assert_int_equal(jp_fiscal_year(2025, 4, 1), 2025);
}

static void test_fiscal_year_january_and_december(void **state)
{
	(void)state;
	assert_int_equal(jp_fiscal_year(2025, 1, 1), 2024);
	assert_int_equal(jp_fiscal_year(2025, 12, 31), 2025);
}

static void test_fiscal_year_rejects_invalid_date(void **state)
{
	(void)state;
	assert_int_equal(jp_fiscal_year(2023, 2, 29), -1);
	assert_int_equal(jp_fiscal_year(2025, 13, 1), -1);
}

static void test_fiscal_label_2019_is_reiwa_gannen(void **state)
{
	(void)state;
	check_fy_label(2019, "令和元年度");
}

static void test_fiscal_label_2018_is_heisei_30(void **state)
{
	(void)state;
	check_fy_label(2018, "平成30年度");
}

static void test_fiscal_label_1988_is_showa_63(void **state)
{
	(void)state;
	check_fy_label(1988, "昭和63年度");
}

static void test_fiscal_label_1989_is_heisei_gannen(void **state)
{
	(void)state;
	check_fy_label(1989, "平成元年度");
}

static void test_fiscal_label_2025_is_reiwa_7(void **state)
{
	(void)state;
	check_fy_label(2025, "令和7年度");
}

static void test_fiscal_label_first_and_before_meiji(void **state)
{
	(void)state;
	check_fy_label(1868, "明治元年度");
	check_fy_label(1867, NULL);
}

/* ISO dates ------------------------------------------------------------- */

static void test_iso_parses_valid_date(void **state)
{
	int y = 0, m = 0, d = 0;

	(void)state;
	assert_int_equal(jp_parse_iso_date("2024-10-18", 10, &y, &m, &d), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 10);
	assert_int_equal(d, 18);
}

static void test_iso_parses_leap_day(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(jp_parse_iso_date("2024-02-29", 10, &y, &m, &d), 0);
	assert_int_equal(d, 29);
}

static void test_iso_rejects_impossible_dates(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(jp_parse_iso_date("2023-02-29", 10, &y, &m, &d), -1);
	assert_int_equal(jp_parse_iso_date("2024-13-01", 10, &y, &m, &d), -1);
	assert_int_equal(jp_parse_iso_date("2024-00-10", 10, &y, &m, &d), -1);
	assert_int_equal(jp_parse_iso_date("2024-04-31", 10, &y, &m, &d), -1);
	assert_int_equal(jp_parse_iso_date("0000-01-01", 10, &y, &m, &d), -1);
}

static void test_iso_rejects_malformed_text(void **state)
{
	static const char *const bad[] = {
	    "2024-1-018", "2024/10/18", "20241018xx",  "+024-10-18",
	    "2024-10-1 ", " 2024-10-1", "2024-１0-18", "2024-10-1a",
	};
	int y, m, d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(jp_parse_iso_date(bad[i], strlen(bad[i]), &y, &m, &d), -1);
	assert_int_equal(jp_parse_iso_date("2024-10-188", 11, &y, &m, &d), -1);
	assert_int_equal(jp_parse_iso_date("2024-10-1", 9, &y, &m, &d), -1);
}

static void test_iso_reads_only_n_bytes(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(jp_parse_iso_date("2024-10-18T09:00", 10, &y, &m, &d), 0);
	assert_int_equal(d, 18);
}

/* Kana readings --------------------------------------------------------- */

/* Normalise s and compare with want (NULL: must be rejected). */
static void check_kana(const char *s, const char *want)
{
	struct arena a;
	char *out = (char *)"unset";
	int rc;

	arena_init(&a);
	rc = jp_kana_normalize(&a, s, strlen(s), &out);
	if (want) {
		assert_int_equal(rc, 0);
		assert_non_null(out);
		assert_string_equal(out, want);
	} else {
		assert_int_equal(rc, -1);
		assert_null(out);
	}
	arena_free(&a);
}

static void test_kana_hiragana_becomes_katakana(void **state)
{
	(void)state;
	check_kana("やまだ", "ヤマダ");
	check_kana("きょうと", "キョウト");
	check_kana("ゔぁ", "ヴァ");
}

static void test_kana_katakana_kept(void **state)
{
	(void)state;
	check_kana("ヴァイオリン・ケース", "ヴァイオリン・ケース");
	check_kana("ヵヶヷヺ", "ヵヶヷヺ");
}

static void test_kana_halfwidth_voiced_becomes_fullwidth(void **state)
{
	(void)state;
	check_kana("ｶﾞ", "ガ");
	check_kana("ﾊﾟﾝ", "パン");
	check_kana("ｳﾞ", "ヴ");
}

static void test_kana_halfwidth_long_mark_and_dot(void **state)
{
	(void)state;
	check_kana("ｺｰﾋｰ･ｶｯﾌﾟ", "コーヒー・カップ");
}

static void test_kana_spaces_collapse_to_one_ideographic_space(void **state)
{
	(void)state;
	check_kana("やまだ たろう", "ヤマダ\u3000タロウ");
	check_kana("ﾔﾏﾀﾞ\u3000 \tﾀﾛｳ", "ヤマダ\u3000タロウ");
}

static void test_kana_spaces_trimmed(void **state)
{
	(void)state;
	check_kana(" \u3000やまだ\u3000 ", "ヤマダ");
	check_kana("\u3000 ", "");
}

static void test_kana_empty_is_empty(void **state)
{
	(void)state;
	check_kana("", "");
}

static void test_kana_spacing_sound_marks_compose(void **state)
{
	(void)state;
	check_kana("か゛", "ガ");
	check_kana("は゜", "パ");
	check_kana("わ゛", "ヷ");
}

static void test_kana_rejects_kanji(void **state)
{
	(void)state;
	check_kana("山田", NULL);
	check_kana("やまだ太郎", NULL);
}

static void test_kana_rejects_latin_and_digits(void **state)
{
	(void)state;
	check_kana("yamada", NULL);
	check_kana("ＡＢ", NULL);
	check_kana("タロウ2", NULL);
	check_kana("タロウ-", NULL);
}

static void test_kana_rejects_dangling_sound_mark(void **state)
{
	(void)state;
	check_kana("ﾞｶ", NULL);
	check_kana("ン゛", NULL);
}

static void test_kana_rejects_newline(void **state)
{
	(void)state;
	check_kana("ヤマダ\nタロウ", NULL);
}

static void test_kana_rejects_invalid_utf8(void **state)
{
	struct arena a;
	char *out;

	(void)state;
	arena_init(&a);
	assert_int_equal(jp_kana_normalize(&a, "\xE3\x82", 2, &out), -1);
	assert_int_equal(jp_kana_normalize(&a, "\xC0\xAF", 2, &out), -1);
	assert_int_equal(jp_kana_normalize(&a, "ア\0イ", 7, &out), -1);
	arena_free(&a);
}

/* 50音順 ----------------------------------------------------------------- */

struct keyed {
	const char *reading;
	const char *key;
};

static int cmp_keyed(const void *x, const void *y)
{
	return strcmp(((const struct keyed *)x)->key, ((const struct keyed *)y)->key);
}

/* Sort the n readings by their keys and compare with want. */
static void check_order(const char *const *in, const char *const *want, size_t n)
{
	struct arena a;
	struct keyed *k = calloc(n, sizeof(*k));

	assert_non_null(k);
	arena_init(&a);
	for (size_t i = 0; i < n; i++) {
		k[i].reading = in[i];
		k[i].key = jp_sort_key(&a, in[i]);
	}
	qsort(k, n, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(k[i].reading, want[i]);
	arena_free(&a);
	free(k);
}

/* strcmp of the two keys: negative when x sorts first. */
static int key_cmp(const char *x, const char *y)
{
	struct arena a;
	int c;

	arena_init(&a);
	c = strcmp(jp_sort_key(&a, x), jp_sort_key(&a, y));
	arena_free(&a);
	return c;
}

static void test_sort_key_gojuon_order(void **state)
{
	static const char *const in[] = {"ガッコウ", "カイ", "キ", "アオ", "カッコウ"};
	static const char *const want[] = {"アオ", "カイ", "カッコウ", "ガッコウ", "キ"};

	(void)state;
	check_order(in, want, 5);
}

static void test_sort_key_voiced_sorts_with_plain(void **state)
{
	(void)state;
	/* By code point カイ < ガア; by 50音 ガア (カア) comes first. */
	assert_true(key_cmp("ガア", "カイ") < 0);
	assert_true(key_cmp("ガ", "キ") < 0);
}

static void test_sort_key_plain_voiced_semivoiced_tie_order(void **state)
{
	static const char *const in[] = {"ヒ", "パ", "ハ", "バ"};
	static const char *const want[] = {"ハ", "バ", "パ", "ヒ"};

	(void)state;
	check_order(in, want, 4);
}

static void test_sort_key_small_sorts_with_large(void **state)
{
	(void)state;
	/* シャチ is シヤチ for the primary order, after シヤク. */
	assert_true(key_cmp("シヤク", "シャチ") < 0);
	/* ヵ is カ, before キ although U+30F5 > U+30AD. */
	assert_true(key_cmp("ヵイ", "キ") < 0);
}

static void test_sort_key_small_before_large_on_tie(void **state)
{
	(void)state;
	assert_true(key_cmp("カッコウ", "カツコウ") < 0);
	assert_true(key_cmp("キャク", "キヤク") < 0);
}

static void test_sort_key_vu_sorts_with_u(void **state)
{
	(void)state;
	assert_true(key_cmp("ヴァイオリン", "エイ") < 0);
	/* ヴァ is ウア for the primary order, before ウイ (U+30F4 > U+30A6). */
	assert_true(key_cmp("ヴァ", "ウイ") < 0);
}

static void test_sort_key_long_mark_ignored_for_primary(void **state)
{
	(void)state;
	/* ボーイ is ホイ for the primary order, before ボウ (ホウ). */
	assert_true(key_cmp("ボーイ", "ボウ") < 0);
	/* On a tie the exact reading decides: カ is a prefix of カー. */
	assert_true(key_cmp("カ", "カー") < 0);
}

static void test_sort_key_prefix_first(void **state)
{
	(void)state;
	assert_true(key_cmp("カ", "カア") < 0);
	assert_true(key_cmp("", "ア") < 0);
}

static void test_sort_key_total_order(void **state)
{
	(void)state;
	assert_int_equal(key_cmp("カッコウ", "カッコウ"), 0);
	assert_true(key_cmp("ガッコウ", "カッコウ") > 0);
	assert_true(key_cmp("カー", "カ") > 0);
}

static void test_sort_key_space_separates_words(void **state)
{
	static const char *const in[] = {"ヤマダ\u3000ハナコ", "ヤマ\u3000タロウ",
					 "ヤマダ\u3000タロウ", "ヤマダイ"};
	static const char *const want[] = {"ヤマ\u3000タロウ", "ヤマダ\u3000タロウ",
					   "ヤマダ\u3000ハナコ", "ヤマダイ"};

	(void)state;
	check_order(in, want, 4);
}

static void test_sort_key_other_text_after_kana(void **state)
{
	static const char *const in[] = {"山", "A", "ン", "Z", "ア"};
	static const char *const want[] = {"ア", "ン", "A", "Z", "山"};

	(void)state;
	check_order(in, want, 5);
}

/* Row labels ------------------------------------------------------------- */

static void test_kana_row_labels(void **state)
{
	static const char *const in[] = {"アオ", "コ", "ソ", "ト", "ノ",
					 "ホ",	 "モ", "ヨ", "ロ", "ワ"};
	static const char *const want[] = {"ア", "カ", "サ", "タ", "ナ",
					   "ハ", "マ", "ヤ", "ラ", "ワ"};

	(void)state;
	for (size_t i = 0; i < 10; i++)
		assert_string_equal(jp_kana_row(in[i]), want[i]);
}

static void test_kana_row_voiced_and_small_use_plain_row(void **state)
{
	(void)state;
	assert_string_equal(jp_kana_row("ガッコウ"), "カ");
	assert_string_equal(jp_kana_row("パン"), "ハ");
	assert_string_equal(jp_kana_row("ヴァ"), "ア");
	assert_string_equal(jp_kana_row("ッ"), "タ");
	assert_string_equal(jp_kana_row("ャ"), "ヤ");
	assert_string_equal(jp_kana_row("ヶ"), "カ");
}

static void test_kana_row_wa_row_includes_wo_and_n(void **state)
{
	(void)state;
	assert_string_equal(jp_kana_row("ヲ"), "ワ");
	assert_string_equal(jp_kana_row("ン"), "ワ");
	assert_string_equal(jp_kana_row("ヺ"), "ワ");
}

static void test_kana_row_other_is_ta(void **state)
{
	(void)state;
	assert_string_equal(jp_kana_row(""), "他");
	assert_string_equal(jp_kana_row("ー"), "他");
	assert_string_equal(jp_kana_row("山田"), "他");
	assert_string_equal(jp_kana_row("Abe"), "他");
	assert_string_equal(jp_kana_row("\xE3\x82"), "他");
}

/* ---- util/date: the one date writer ---- */

/* 2026-11-28 14:05 JST, a Saturday. */
#define SAT_AFTERNOON ((int64_t)1795842300)

static int load_embedded(void **state)
{
	(void)state;
	char err[256];
	msg_strict(true);
	return msg_init(err, sizeof(err));
}

static void test_date_format_writes_wareki_in_japanese(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(date_format(&a, SAT_AFTERNOON, DATE_DATETIME),
			    "令和8年11月28日(土) 14:05");
	assert_string_equal(date_format(&a, SAT_AFTERNOON, DATE_WEEKDAY), "令和8年11月28日(土)");
	assert_string_equal(date_format(&a, SAT_AFTERNOON, DATE_DAY), "令和8年11月28日");
	assert_string_equal(date_format(&a, SAT_AFTERNOON, DATE_YEAR), "令和8年");
	assert_string_equal(date_format_day(&a, 2019, 5, 1, DATE_DAY), "令和元年5月1日");
	assert_null(date_format_day(&a, 2019, 2, 29, DATE_DAY));
	assert_null(date_format_day(&a, 1868, 1, 24, DATE_DAY));
	assert_string_equal(date_format_fiscal_year(&a, 2019), "令和元年度");
	/* Midnight JST is still the same day in the morning's UTC. */
	assert_string_equal(date_format(&a, SAT_AFTERNOON - 14 * 3600 - 5 * 60, DATE_DATETIME),
			    "令和8年11月28日(土) 00:00");
	arena_free(&a);
}

/* A language whose calendar is Western fills its own patterns: no code
 * changes for it. */
static void test_date_format_follows_a_gregorian_catalogue(void **state)
{
	(void)state;
	static const char ja[] = "jp.calendar = wareki\n"
				 "jp.date.day = {1}年{2}月{3}日\n"
				 "jp.date.weekday = {1}({2})\n"
				 "jp.date.time = {1} {2}:{3}\n"
				 "jp.date.year = {1}年\n"
				 "jp.date.fiscal_year = {1}年度\n"
				 "jp.weekday.6 = 土\n";
	static const char en[] = "jp.calendar = gregorian\n"
				 "jp.date.day = {2}/{3}/{1}\n"
				 "jp.date.weekday = {2}, {1}\n"
				 "jp.date.fiscal_year = FY{1}\n"
				 "jp.weekday.6 = Sat\n";
	const struct embed_file files[] = {
	    {"ja.msg", (const unsigned char *)ja, sizeof(ja) - 1},
	    {"en.msg", (const unsigned char *)en, sizeof(en) - 1},
	};
	char err[256];
	assert_int_equal(msg_load(files, 2, err, sizeof(err)), 0);
	assert_true(msg_use("en"));
	struct arena a;
	arena_init(&a);
	assert_string_equal(date_format(&a, SAT_AFTERNOON, DATE_DATETIME), "Sat, 11/28/2026 14:05");
	assert_string_equal(date_format(&a, SAT_AFTERNOON, DATE_DAY), "11/28/2026");
	assert_string_equal(date_format(&a, SAT_AFTERNOON, DATE_YEAR), "2026年");
	assert_string_equal(date_format_fiscal_year(&a, 2025), "FY2025");
	arena_free(&a);
	msg_use("ja");
	assert_int_equal(load_embedded(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wareki_reiwa_with_weekday),
	    cmocka_unit_test(test_wareki_without_weekday),
	    cmocka_unit_test(test_wareki_every_weekday_name),
	    cmocka_unit_test(test_wareki_heisei_last_day),
	    cmocka_unit_test(test_wareki_reiwa_first_day),
	    cmocka_unit_test(test_wareki_reiwa_second_year),
	    cmocka_unit_test(test_wareki_showa_last_day),
	    cmocka_unit_test(test_wareki_heisei_first_day),
	    cmocka_unit_test(test_wareki_taisho_last_day),
	    cmocka_unit_test(test_wareki_showa_first_day),
	    cmocka_unit_test(test_wareki_meiji_last_day),
	    cmocka_unit_test(test_wareki_taisho_first_day),
	    cmocka_unit_test(test_wareki_meiji_first_day),
	    cmocka_unit_test(test_wareki_rejects_day_before_meiji),
	    cmocka_unit_test(test_wareki_rejects_feb_29_in_common_year),
	    cmocka_unit_test(test_wareki_accepts_feb_29_in_leap_year),
	    cmocka_unit_test(test_wareki_century_leap_rules),
	    cmocka_unit_test(test_wareki_rejects_month_13),
	    cmocka_unit_test(test_wareki_rejects_month_and_day_zero),
	    cmocka_unit_test(test_wareki_rejects_day_past_month_end),
	    cmocka_unit_test(test_wareki_appends_to_buffer),
	    cmocka_unit_test(test_wareki_year_reiwa_gannen),
	    cmocka_unit_test(test_wareki_year_rejects_invalid_date),
	    cmocka_unit_test(test_weekday_known_dates),
	    cmocka_unit_test(test_weekday_rejects_invalid_date),
	    cmocka_unit_test(test_fiscal_year_march_31_is_previous_year),
	    cmocka_unit_test(test_fiscal_year_april_1_starts_new_year),
	    cmocka_unit_test(test_fiscal_year_january_and_december),
	    cmocka_unit_test(test_fiscal_year_rejects_invalid_date),
	    cmocka_unit_test(test_fiscal_label_2019_is_reiwa_gannen),
	    cmocka_unit_test(test_fiscal_label_2018_is_heisei_30),
	    cmocka_unit_test(test_fiscal_label_1988_is_showa_63),
	    cmocka_unit_test(test_fiscal_label_1989_is_heisei_gannen),
	    cmocka_unit_test(test_fiscal_label_2025_is_reiwa_7),
	    cmocka_unit_test(test_fiscal_label_first_and_before_meiji),
	    cmocka_unit_test(test_iso_parses_valid_date),
	    cmocka_unit_test(test_iso_parses_leap_day),
	    cmocka_unit_test(test_iso_rejects_impossible_dates),
	    cmocka_unit_test(test_iso_rejects_malformed_text),
	    cmocka_unit_test(test_iso_reads_only_n_bytes),
	    cmocka_unit_test(test_kana_hiragana_becomes_katakana),
	    cmocka_unit_test(test_kana_katakana_kept),
	    cmocka_unit_test(test_kana_halfwidth_voiced_becomes_fullwidth),
	    cmocka_unit_test(test_kana_halfwidth_long_mark_and_dot),
	    cmocka_unit_test(test_kana_spaces_collapse_to_one_ideographic_space),
	    cmocka_unit_test(test_kana_spaces_trimmed),
	    cmocka_unit_test(test_kana_empty_is_empty),
	    cmocka_unit_test(test_kana_spacing_sound_marks_compose),
	    cmocka_unit_test(test_kana_rejects_kanji),
	    cmocka_unit_test(test_kana_rejects_latin_and_digits),
	    cmocka_unit_test(test_kana_rejects_dangling_sound_mark),
	    cmocka_unit_test(test_kana_rejects_newline),
	    cmocka_unit_test(test_kana_rejects_invalid_utf8),
	    cmocka_unit_test(test_sort_key_gojuon_order),
	    cmocka_unit_test(test_sort_key_voiced_sorts_with_plain),
	    cmocka_unit_test(test_sort_key_plain_voiced_semivoiced_tie_order),
	    cmocka_unit_test(test_sort_key_small_sorts_with_large),
	    cmocka_unit_test(test_sort_key_small_before_large_on_tie),
	    cmocka_unit_test(test_sort_key_vu_sorts_with_u),
	    cmocka_unit_test(test_sort_key_long_mark_ignored_for_primary),
	    cmocka_unit_test(test_sort_key_prefix_first),
	    cmocka_unit_test(test_sort_key_total_order),
	    cmocka_unit_test(test_sort_key_space_separates_words),
	    cmocka_unit_test(test_sort_key_other_text_after_kana),
	    cmocka_unit_test(test_kana_row_labels),
	    cmocka_unit_test(test_kana_row_voiced_and_small_use_plain_row),
	    cmocka_unit_test(test_kana_row_wa_row_includes_wo_and_n),
	    cmocka_unit_test(test_kana_row_other_is_ta),
	    cmocka_unit_test_setup(test_date_format_writes_wareki_in_japanese, load_embedded),
	    cmocka_unit_test_setup(test_date_format_follows_a_gregorian_catalogue, load_embedded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
