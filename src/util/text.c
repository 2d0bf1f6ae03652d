/*
 * Unicode text helpers: strict UTF-8 validation, code point counting and
 * the normalised search key (NFKC + case folding, via utf8proc).
 */
#include "util/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/*
 * Decode one UTF-8 sequence at s[0..n) into *cp.  Returns its length in
 * bytes, or 0 when the sequence is malformed: a stray continuation byte, a
 * truncated sequence, an overlong form, a UTF-16 surrogate or a value above
 * U+10FFFF.  n must be at least 1.
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0];
	size_t len;
	uint32_t min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		min = 0x80;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		min = 0x800;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		/* 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF. */
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

bool text_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0)
			return false;
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return false;
		i += len;
	}
	return true;
}

size_t text_length(const char *s, size_t n)
{
	size_t count = 0;

	/* Every code point has exactly one byte that is not 10xxxxxx. */
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* White space for the search key, judged after NFKC (which has already
 * turned U+3000 and the other fixed-width spaces into U+0020). */
static bool is_key_space(utf8proc_int32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
		return true;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return true;
	default:
		return false;
	}
}

/*
 * NFKC_Casefold-like key: compatibility composition, case folding and, as
 * NFKC_Casefold does, removal of default-ignorable code points (soft hyphen,
 * zero-width space, variation selectors), so that text that looks the same
 * searches the same.  Then white space runs become one ASCII space and the
 * ends are trimmed.  utf8proc allocates with malloc; the result is copied
 * into the arena and the malloc'd string freed before returning.
 */
char *text_search_key(struct arena *a, const char *s, size_t n)
{
	const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
				       UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t mlen;
	char *key = NULL;
	size_t kn = 0;
	bool pending_space = false;

	if (n > (size_t)PTRDIFF_MAX || !text_valid_utf8(s, n))
		goto cleanup;
	mlen = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped, opts);
	if (mlen < 0)
		goto cleanup;

	/* Collapsing only ever shrinks the text, so mlen + 1 bytes suffice. */
	key = arena_alloc(a, (size_t)mlen + 1);
	for (utf8proc_ssize_t i = 0; i < mlen;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(mapped + i, mlen - i, &cp);
		if (len <= 0) {
			key = NULL;
			goto cleanup;
		}
		if (is_key_space(cp)) {
			pending_space = kn > 0;
		} else {
			if (pending_space)
				key[kn++] = ' ';
			pending_space = false;
			memcpy(key + kn, mapped + i, (size_t)len);
			kn += (size_t)len;
		}
		i += len;
	}
	key[kn] = '\0';

cleanup:
	free(mapped);
	if (!key)
		key = arena_strdup(a, "");
	return key;
}

/* ASCII white space or U+3000 at the start of s[0..n): its length, or 0. */
static size_t space_at(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

/* The same, for white space ending at s[n). */
static size_t space_before(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
		return 1;
	if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x80)
		return 3;
	return 0;
}

const char *text_trim(const char *s, size_t n, size_t *outn)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	while ((len = space_at(p, n)) > 0) {
		p += len;
		n -= len;
	}
	while ((len = space_before(p, n)) > 0)
		n -= len;
	*outn = n;
	return (const char *)p;
}
