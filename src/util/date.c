/*
 * date: see date.h.  The catalogue decides the calendar (jp.calendar):
 * "wareki" asks util/jp.c, which knows the eras; anything else fills the
 * jp.date.* patterns with the Western year.
 */
#include "util/date.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/str.h"

#include <string.h>

static bool wareki(void)
{
	return strcmp(msg("jp.calendar"), "wareki") == 0;
}

static const char *num(struct arena *a, int n)
{
	return arena_printf(a, "%d", n);
}

/* y-m-d with the Western year through the catalogue's patterns. */
static const char *gregorian(struct arena *a, int y, int m, int d, enum date_style style)
{
	if (style == DATE_YEAR)
		return msgf(a, "jp.date.year", num(a, y));
	const char *s = msgf(a, "jp.date.day", num(a, y), num(a, m), num(a, d));
	if (style != DATE_DAY) {
		int wd = jp_weekday(y, m, d);
		const char *key = arena_printf(a, "jp.weekday.%d", wd);
		s = msgf(a, "jp.date.weekday", s, msg(key));
	}
	return s;
}

const char *date_format_day(struct arena *a, int y, int m, int d, enum date_style style)
{
	if (jp_weekday(y, m, d) < 0)
		return NULL;
	if (!wareki())
		return gregorian(a, y, m, d, style);
	struct buf b = BUF_INIT;
	int rc = style == DATE_YEAR ? jp_wareki_year(&b, y, m, d)
				    : jp_wareki_date(&b, y, m, d, style != DATE_DAY);
	const char *s = rc == 0 ? arena_strndup(a, b.p ? b.p : "", b.n) : NULL;
	buf_release(&b);
	return s;
}

const char *date_format(struct arena *a, int64_t t, enum date_style style)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	const char *s = date_format_day(a, j.y, j.m, j.d, style);
	if (!s)
		return "";
	if (style == DATE_DATETIME)
		s = msgf(a, "jp.date.time", s, arena_printf(a, "%02d", j.hh),
			 arena_printf(a, "%02d", j.mi));
	return s;
}

const char *date_format_fiscal_year(struct arena *a, int fy)
{
	if (!wareki())
		return jp_weekday(fy, 4, 1) < 0 ? NULL : msgf(a, "jp.date.fiscal_year", num(a, fy));
	struct buf b = BUF_INIT;
	const char *s = jp_fiscal_year_label(&b, fy) == 0 ? arena_strndup(a, b.p, b.n) : NULL;
	buf_release(&b);
	return s;
}
