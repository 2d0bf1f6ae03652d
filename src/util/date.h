/*
 * date: the one way to write a date for people, in the thread's language
 * (util/msg.h).  Japanese writes the era year (和暦: 令和6年10月18日(金)),
 * through util/jp.c; a catalogue whose jp.calendar is "gregorian" writes
 * the Western year with its jp.date.* patterns instead.  Times are shown in
 * Japan's time (JST), where the city is.
 *
 * Callers that write dates by hand (jp_wareki_date() and a 「%d月%d日」)
 * should call these instead, so that a second language needs no code.
 */
#ifndef KYODO_DATE_H
#define KYODO_DATE_H

#include <stdint.h>

#include "util/arena.h"

enum date_style {
	DATE_DAY,      /* 令和6年10月18日 */
	DATE_WEEKDAY,  /* 令和6年10月18日(金) */
	DATE_DATETIME, /* 令和6年10月18日(金) 14:05 */
	DATE_YEAR,     /* 令和6年 */
};

/* The Unix time t as a JST date in style, allocated in a.  "" when it
 * cannot be written (before 明治 in 和暦, or beyond year 9999). */
const char *date_format(struct arena *a, int64_t t, enum date_style style);

/* The calendar date y-m-d in style (DATE_DATETIME writes no time).  NULL
 * for an invalid date or one that cannot be written. */
const char *date_format_day(struct arena *a, int y, int m, int d, enum date_style style);

/* The fiscal year (年度) that starts in April of fy: 令和7年度.  NULL when
 * it cannot be written. */
const char *date_format_fiscal_year(struct arena *a, int fy);

#endif
