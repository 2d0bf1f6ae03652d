/*
 * Japanese calendar and kana helpers.
 *
 * Eras (元号) with their first days: 明治 1868-01-25 (dates before it are
 * refused), 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
 * Year 1 of an era is written 元年.
 */
#ifndef KYODO_JP_H
#define KYODO_JP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/str.h"

/* Append e.g. 「令和6年10月18日(金)」 (weekday when with_weekday) for the
 * Gregorian date y-m-d.  Returns 0, or -1 (appending nothing) for an invalid
 * date or one before 明治. */
int jp_wareki_date(struct buf *out, int y, int m, int d, bool with_weekday);

/* Append the era year only, e.g. 「令和元年」 for 2019-05-01. -1 as above. */
int jp_wareki_year(struct buf *out, int y, int m, int d);

/* The fiscal year (年度, 1 April to 31 March) containing y-m-d, as the
 * Gregorian year in which it starts: 2025-03-31 -> 2024, 2025-04-01 -> 2025. */
int jp_fiscal_year(int y, int m, int d);

/* Append the label of fiscal year fy, e.g. 「令和7年度」.  The era is the one
 * in force on 1 May of fy, which follows usage: 2019 -> 令和元年度,
 * 1988 -> 昭和63年度, 1989 -> 平成元年度. */
int jp_fiscal_year_label(struct buf *out, int fy);

/* Parse "YYYY-MM-DD" (ISO 8601 date, Gregorian, valid day of month).
 * Returns 0 or -1. */
int jp_parse_iso_date(const char *s, size_t n, int *y, int *m, int *d);

/* Unix seconds of a JST (UTC+9) wall-clock time, and back.  Japan has no
 * daylight saving time, so the offset is fixed. */
int64_t jp_jst_to_unix(int y, int m, int d, int hh, int mi, int ss);
struct jst {
	int y, m, d, hh, mi, ss, wday; /* wday 0 = Sunday */
};
void jp_unix_to_jst(int64_t t, struct jst *out);

/* Day of week of a Gregorian date, 0 = Sunday. */
int jp_weekday(int y, int m, int d);

/*
 * Normalise a reading (ふりがな) to full-width katakana: hiragana become
 * katakana, half-width katakana become full-width, ASCII/ideographic spaces
 * collapse to one U+3000 and are trimmed.  Allowed in the result: katakana
 * (U+30A1..U+30FA), ー, ・, U+3000.  Returns the new string in *out (arena)
 * and 0, or -1 when anything else (kanji, Latin, digits) is present.
 */
int jp_kana_normalize(struct arena *a, const char *s, size_t n, char **out);

/*
 * A byte-comparable key that sorts katakana readings in 50音順: voiced and
 * semi-voiced kana sort with their plain kana (カ, ガ, then キ), small kana
 * with large, ー is ignored for the primary order; ties are broken by the
 * exact reading so that the order is total.  Input is the output of
 * jp_kana_normalize; other text sorts after all kana, by code point.
 */
char *jp_sort_key(struct arena *a, const char *kana);

/* The gojūon row label (ア カ サ タ ナ ハ マ ヤ ラ ワ) for the first kana of a
 * reading, or 「他」 for anything else; a static string. */
const char *jp_kana_row(const char *kana);

#endif
