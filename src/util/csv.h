/*
 * csv: the one CSV field writer for the office's exports (RFC 4180, as
 * Excel reads it).
 */
#ifndef KYODO_CSV_H
#define KYODO_CSV_H

#include <stdbool.h>

#include "util/str.h"

/*
 * Append s as one field, preceded by a comma unless first.  The field is
 * quoted when it holds a comma, quote, CR or LF (quotes doubled, line breaks
 * written as CRLF).  Text a spreadsheet would run as a formula (starting
 * with = + - @, tab or CR) gets a leading apostrophe inside the quotes.
 */
void csv_field(struct buf *b, const char *s, bool first);

#endif
