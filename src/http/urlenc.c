#include "http/urlenc.h"
#include "util/text.h"

#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..n) into the arena; plus_space turns '+' into ' '.  Returns
 * NULL on a malformed escape or a decoded NUL. */
static char *decode(struct arena *a, const char *s, size_t n, bool plus_space, size_t *outn)
{
	char *out = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (char)(hi * 16 + lo);
			if (c == '\0')
				return NULL;
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		} else if (c == '\0') {
			return NULL;
		}
		out[j++] = c;
	}
	out[j] = '\0';
	*outn = j;
	return out;
}

int urlenc_parse(struct arena *a, const char *s, size_t n, size_t max_pairs, struct kv **out,
		 size_t *nout)
{
	size_t count = 0, cap = 0;
	struct kv *pairs = NULL;
	size_t i = 0;

	*out = NULL;
	*nout = 0;
	while (i < n) {
		size_t start = i;
		while (i < n && s[i] != '&')
			i++;
		size_t len = i - start;
		i++; /* skip '&' */
		if (len == 0)
			continue;
		const char *pair = s + start;
		const char *eq = memchr(pair, '=', len);
		size_t klen = eq ? (size_t)(eq - pair) : len;
		size_t kn, vn = 0;
		char *k = decode(a, pair, klen, true, &kn);
		char *v = eq ? decode(a, eq + 1, len - klen - 1, true, &vn) : arena_strdup(a, "");
		if (!k || !v || kn == 0 || !text_valid_utf8(k, kn) || !text_valid_utf8(v, vn))
			return -1;
		if (count == max_pairs)
			return -1;
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct kv *np = arena_alloc(a, ncap * sizeof(*np));
			if (count)
				memcpy(np, pairs, count * sizeof(*np));
			pairs = np;
			cap = ncap;
		}
		pairs[count++] = (struct kv){k, v, vn};
	}
	*out = pairs;
	*nout = count;
	return 0;
}

char *urlenc_decode_path(struct arena *a, const char *s, size_t n)
{
	size_t outn;
	return decode(a, s, n, false, &outn);
}
