/*
 * Unicode text helpers (utf8proc): validation and the normalised search key.
 */
#ifndef KYODO_TEXT_H
#define KYODO_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

/* True when s[0..n) is well-formed UTF-8 with no NUL and no C0 controls other
 * than tab, LF and CR. */
bool text_valid_utf8(const char *s, size_t n);

/* Number of code points in valid UTF-8 s[0..n). */
size_t text_length(const char *s, size_t n);

/*
 * The search key of s: NFKC, case-folded, runs of white space collapsed to
 * one ASCII space, trimmed.  「ＮＰＯ」 and "npo" give "npo"; 「ｶﾅ」 gives 「カナ」.
 * Hiragana and katakana stay distinct.  The result is allocated in a;
 * invalid UTF-8 gives "".
 */
char *text_search_key(struct arena *a, const char *s, size_t n);

/* Trim ASCII and U+3000 white space at both ends: returns a view into s. */
const char *text_trim(const char *s, size_t n, size_t *outn);

#endif
