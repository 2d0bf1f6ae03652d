/*
 * Japanese calendar (和暦, 年度) and kana (ふりがな, 50音順) helpers.
 */
#include "util/jp.h"
#include "util/alloc.h"
#include "util/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* Years outside 1..9999 are refused: ISO dates have four digits, and the
 * bound keeps the day arithmetic far from int overflow. */
#define JP_YEAR_MIN 1
#define JP_YEAR_MAX 9999

struct era {
	const char *name;
	int y, m, d; /* first day */
};

/* Newest first, so the first era that started on or before a date is its era. */
static const struct era eras[] = {
    {"令和", 2019, 5, 1},  {"平成", 1989, 1, 8},  {"昭和", 1926, 12, 25},
    {"大正", 1912, 7, 30}, {"明治", 1868, 1, 25},
};

static const char *const weekdays[] = {"日", "月", "火", "水", "木", "金", "土"};

/* The words of a 和暦 date.  They are part of the calendar, like the era
 * names, not prose to translate: other languages use util/date.h's
 * Western patterns instead of these functions. */
static const struct {
	const char *first, *year, *month, *day, *fiscal, *open, *close;
} words = {"元", "年", "月", "日", "度", "(", ")"};

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* True when y-m-d is a real Gregorian date with y in JP_YEAR_MIN..MAX. */
static bool valid_date(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (y < JP_YEAR_MIN || y > JP_YEAR_MAX || m < 1 || m > 12 || d < 1)
		return false;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* The date as one comparable number, e.g. 20190501. */
static long date_ord(int y, int m, int d)
{
	return (long)y * 10000 + m * 100 + d;
}

/* The era of a valid date, or NULL before 明治. */
static const struct era *era_of(int y, int m, int d)
{
	for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
		if (date_ord(y, m, d) >= date_ord(eras[i].y, eras[i].m, eras[i].d))
			return &eras[i];
	return NULL;
}

/* Append 「令和元年」 or 「令和6年」: the era and its year containing year y. */
static void add_era_year(struct buf *out, const struct era *e, int y)
{
	int ey = y - e->y + 1;

	if (ey == 1)
		buf_printf(out, "%s%s%s", e->name, words.first, words.year);
	else
		buf_printf(out, "%s%d%s", e->name, ey, words.year);
}

int jp_weekday(int y, int m, int d)
{
	/* Sakamoto's method: month offsets for a year that starts in March. */
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};

	if (!valid_date(y, m, d))
		return -1;
	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

int jp_wareki_date(struct buf *out, int y, int m, int d, bool with_weekday)
{
	const struct era *e;

	if (!valid_date(y, m, d) || !(e = era_of(y, m, d)))
		return -1;
	add_era_year(out, e, y);
	buf_printf(out, "%d%s%d%s", m, words.month, d, words.day);
	if (with_weekday)
		buf_printf(out, "%s%s%s", words.open, weekdays[jp_weekday(y, m, d)], words.close);
	return 0;
}

int jp_wareki_year(struct buf *out, int y, int m, int d)
{
	const struct era *e;

	if (!valid_date(y, m, d) || !(e = era_of(y, m, d)))
		return -1;
	add_era_year(out, e, y);
	return 0;
}

/* Returns -1 for an invalid date (not stated in the header, but no fiscal
 * year is a plausible answer to a date that does not exist). */
int jp_fiscal_year(int y, int m, int d)
{
	if (!valid_date(y, m, d))
		return -1;
	return m >= 4 ? y : y - 1;
}

/* 「令和7年度」; -1 (appending nothing) when 1 May of fy is before 明治 or
 * fy is out of range. */
int jp_fiscal_year_label(struct buf *out, int fy)
{
	const struct era *e;

	if (!valid_date(fy, 5, 1) || !(e = era_of(fy, 5, 1)))
		return -1;
	add_era_year(out, e, fy);
	buf_adds(out, words.fiscal);
	return 0;
}

/* Parse exactly n decimal digits. */
static int parse_digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int jp_parse_iso_date(const char *s, size_t n, int *y, int *m, int *d)
{
	int yy, mm, dd;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (parse_digits(s, 4, &yy) || parse_digits(s + 5, 2, &mm) || parse_digits(s + 8, 2, &dd))
		return -1;
	if (!valid_date(yy, mm, dd))
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

/* Kana ------------------------------------------------------------------ */

#define HIRA_FIRST   0x3041 /* ぁ */
#define HIRA_LAST    0x3096 /* ゖ */
#define KATA_FIRST   0x30A1 /* ァ */
#define KATA_LAST    0x30FA /* ヺ */
#define KATA_DOT     0x30FB /* ・ */
#define KATA_LONG    0x30FC /* ー */
#define IDEO_SPACE   0x3000
#define HIRA_TO_KATA (KATA_FIRST - HIRA_FIRST)

/*
 * Applied by utf8proc to each input code point before NFKC: hiragana become
 * katakana, so that e.g. わ + ゙ composes to ヷ (there is no precomposed
 * hiragana for it), and the spacing sound marks ゛ ゜ become the combining
 * ones, so that 「か゛」 composes to ガ like half-width 「ｶﾞ」 does.
 */
static utf8proc_int32_t kana_prefold(utf8proc_int32_t cp, void *data)
{
	(void)data;
	if (cp >= HIRA_FIRST && cp <= HIRA_LAST)
		return cp + HIRA_TO_KATA;
	if (cp == 0x309B || cp == 0x309C)
		return cp - 2;
	return cp;
}

/*
 * NFKC with kana_prefold, then a pass that keeps only katakana, ・ and ー,
 * turns any hiragana the compatibility mappings produced into katakana, and
 * collapses space/tab runs (NFKC has made U+3000 a space) into one U+3000
 * between words.  Any other character makes the reading invalid.
 */
int jp_kana_normalize(struct arena *a, const char *s, size_t n, char **out)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t mlen;
	char *res;
	size_t rn = 0;
	bool pending_space = false;
	int rc = -1;

	*out = NULL;
	if (n > (size_t)PTRDIFF_MAX || !text_valid_utf8(s, n))
		goto cleanup;
	mlen = utf8proc_map_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
				   UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE,
				   kana_prefold, NULL);
	if (mlen < 0)
		goto cleanup;

	/* At most 3 output bytes per code point, and a code point is at least
	 * one byte of mapped. */
	res = arena_alloc(a, xadd(xmul((size_t)mlen, 3), 1));
	for (utf8proc_ssize_t i = 0; i < mlen;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(mapped + i, mlen - i, &cp);
		if (len <= 0)
			goto cleanup;
		i += len;
		if (cp == ' ' || cp == '\t') {
			pending_space = rn > 0;
			continue;
		}
		if (cp >= HIRA_FIRST && cp <= HIRA_LAST)
			cp += HIRA_TO_KATA;
		if (!((cp >= KATA_FIRST && cp <= KATA_LAST) || cp == KATA_DOT || cp == KATA_LONG))
			goto cleanup;
		if (pending_space)
			rn +=
			    (size_t)utf8proc_encode_char(IDEO_SPACE, (utf8proc_uint8_t *)res + rn);
		pending_space = false;
		rn += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)res + rn);
	}
	res[rn] = '\0';
	*out = res;
	rc = 0;

cleanup:
	free(mapped);
	return rc;
}

/* The 48 letters of the gojūon table, in order; 0 means "not a kana". */
/* clang-format off */
enum kana_base {
	K_NONE,
	K_A,  K_I,  K_U,  K_E,  K_O,
	K_KA, K_KI, K_KU, K_KE, K_KO,
	K_SA, K_SI, K_SU, K_SE, K_SO,
	K_TA, K_TI, K_TU, K_TE, K_TO,
	K_NA, K_NI, K_NU, K_NE, K_NO,
	K_HA, K_HI, K_HU, K_HE, K_HO,
	K_MA, K_MI, K_MU, K_ME, K_MO,
	K_YA, K_YU, K_YO,
	K_RA, K_RI, K_RU, K_RE, K_RO,
	K_WA, K_WI, K_WE, K_WO, K_N,
	K__MAX
};

/* For each katakana U+30A1..U+30FA, the plain, large letter it sorts with. */
static const unsigned char kata_base[] = {
	K_A,  K_A,  K_I,  K_I,  K_U,  K_U,  K_E,  K_E,  K_O,  K_O,	/* ァアィイゥウェエォオ */
	K_KA, K_KA, K_KI, K_KI, K_KU, K_KU, K_KE, K_KE, K_KO, K_KO,	/* カガキギクグケゲコゴ */
	K_SA, K_SA, K_SI, K_SI, K_SU, K_SU, K_SE, K_SE, K_SO, K_SO,	/* サザシジスズセゼソゾ */
	K_TA, K_TA, K_TI, K_TI, K_TU, K_TU, K_TU, K_TE, K_TE, K_TO, K_TO, /* タダチヂッツヅテデトド */
	K_NA, K_NI, K_NU, K_NE, K_NO,					/* ナニヌネノ */
	K_HA, K_HA, K_HA, K_HI, K_HI, K_HI, K_HU, K_HU, K_HU,		/* ハバパヒビピフブプ */
	K_HE, K_HE, K_HE, K_HO, K_HO, K_HO,				/* ヘベペホボポ */
	K_MA, K_MI, K_MU, K_ME, K_MO,					/* マミムメモ */
	K_YA, K_YA, K_YU, K_YU, K_YO, K_YO,				/* ャヤュユョヨ */
	K_RA, K_RI, K_RU, K_RE, K_RO,					/* ラリルレロ */
	K_WA, K_WA, K_WI, K_WE, K_WO, K_N,				/* ヮワヰヱヲン */
	K_U,  K_KA, K_KE,						/* ヴヵヶ */
	K_WA, K_WI, K_WE, K_WO,						/* ヷヸヹヺ */
};
/* clang-format on */

_Static_assert(sizeof(kata_base) == KATA_LAST - KATA_FIRST + 1, "one entry per katakana");

/* The gojūon letter of a katakana or hiragana code point, or K_NONE. */
static enum kana_base kana_base_of(utf8proc_int32_t cp)
{
	if (cp >= HIRA_FIRST && cp <= HIRA_LAST)
		cp += HIRA_TO_KATA;
	if (cp >= KATA_FIRST && cp <= KATA_LAST)
		return (enum kana_base)kata_base[cp - KATA_FIRST];
	return K_NONE;
}

/*
 * Sort key layout (no byte is NUL, so strcmp works):
 *
 *   primary  one byte per unit: KEY_WORD for a space or ・, KEY_KANA + the
 *            gojūon letter for a kana, KEY_OTHER + the UTF-8 bytes for
 *            anything else (UTF-8 byte order is code point order, and a lead
 *            byte orders sequences of different lengths correctly); ー adds
 *            nothing.
 *   KEY_END  below every primary byte, so a reading sorts before its
 *            extensions.
 *   the exact reading, which breaks ties: in the katakana block plain kana
 *            come before voiced, voiced before semi-voiced, small before
 *            large (カ < ガ, ハ < バ < パ, ッ < ツ).
 */
#define KEY_END	  0x01
#define KEY_WORD  0x02
#define KEY_KANA  0x20
#define KEY_OTHER 0x7E

_Static_assert(KEY_KANA + K__MAX < KEY_OTHER, "kana bytes below KEY_OTHER");

char *jp_sort_key(struct arena *a, const char *kana)
{
	const unsigned char *s = (const unsigned char *)kana;
	size_t n = strlen(kana);
	/* Each input byte yields at most two primary bytes (KEY_OTHER + byte). */
	char *key = arena_alloc(a, xadd(xadd(xmul(n, 2), n), 2));
	size_t kn = 0;

	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (len <= 0) {
			/* Not UTF-8: sort the stray byte after all kana. */
			key[kn++] = (char)KEY_OTHER;
			key[kn++] = (char)s[i++];
			continue;
		}
		enum kana_base b = kana_base_of(cp);
		if (b != K_NONE) {
			key[kn++] = (char)(KEY_KANA + b);
		} else if (cp == ' ' || cp == IDEO_SPACE || cp == KATA_DOT) {
			key[kn++] = KEY_WORD;
		} else if (cp != KATA_LONG) {
			key[kn++] = (char)KEY_OTHER;
			memcpy(key + kn, s + i, (size_t)len);
			kn += (size_t)len;
		}
		i += (size_t)len;
	}
	key[kn++] = KEY_END;
	memcpy(key + kn, kana, n);
	kn += n;
	key[kn] = '\0';
	return key;
}

const char *jp_kana_row(const char *kana)
{
	/* The ten rows, then the heading for anything that is not kana. */
	static const char *const rows[] = {"ア", "カ", "サ", "タ", "ナ", "ハ",
					   "マ", "ヤ", "ラ", "ワ", "他"};
	utf8proc_int32_t cp;
	enum kana_base b;

	if (utf8proc_iterate((const utf8proc_uint8_t *)kana, -1, &cp) <= 0)
		return rows[10];
	b = kana_base_of(cp);
	if (b == K_NONE)
		return rows[10];
	/* ア行 to マ行 have five letters each; ヤ行 three; ワ行 takes ヰヱヲン. */
	if (b <= K_MO)
		return rows[(b - K_A) / 5];
	if (b <= K_YO)
		return rows[7];
	if (b <= K_RO)
		return rows[8];
	return rows[9];
}

/* Days since 1970-01-01 of a Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t jp_jst_to_unix(int y, int m, int d, int hh, int mi, int ss)
{
	return days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss - 9 * 3600;
}

void jp_unix_to_jst(int64_t t, struct jst *out)
{
	int64_t s = t + 9 * 3600;
	int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	int64_t rem = s - days * 86400;
	out->hh = (int)(rem / 3600);
	out->mi = (int)(rem % 3600 / 60);
	out->ss = (int)(rem % 60);
	out->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	out->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->y = (int)(yoe + era * 400 + (out->m <= 2));
}
