#include "util/csv.h"

#include <string.h>

void csv_field(struct buf *b, const char *s, bool first)
{
	if (!first)
		buf_addc(b, ',');
	s = s ? s : "";
	bool formula = s[0] && strchr("=+-@\t\r", s[0]);
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_addc(b, '"');
	if (formula)
		buf_addc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		if (*p == '\n' && (p == s || p[-1] != '\r'))
			buf_adds(b, "\r\n");
		else
			buf_addc(b, *p);
	}
	if (quote)
		buf_addc(b, '"');
}
