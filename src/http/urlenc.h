/*
 * urlenc: parse application/x-www-form-urlencoded text (query strings and
 * form bodies) into key/value pairs.
 */
#ifndef KYODO_URLENC_H
#define KYODO_URLENC_H

#include "http/req.h"

/*
 * Parse s[0..n) ("a=1&b=%E3%81%82+x") into an arena array of pairs.
 * '+' is a space; %XX is a byte; a key without '=' has an empty value;
 * empty pairs ("&&") are skipped.  Returns 0, or -1 when the text is
 * malformed (a bad %-escape, a decoded NUL, invalid UTF-8, an empty key)
 * or has more than max_pairs pairs.
 */
int urlenc_parse(struct arena *a, const char *s, size_t n, size_t max_pairs, struct kv **out,
		 size_t *nout);

/* Percent-decode s[0..n) into the arena (no '+' handling, for paths).
 * Returns NULL for a bad escape or a decoded NUL. */
char *urlenc_decode_path(struct arena *a, const char *s, size_t n);

#endif
