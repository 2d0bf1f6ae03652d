/*
 * libFuzzer harness for util/text and the kana helpers of util/jp.
 *
 * Arbitrary bytes go to text_valid_utf8; when they are valid, also to
 * text_search_key, jp_kana_normalize, jp_sort_key and jp_kana_row, and a few
 * properties that must always hold are checked (abort() on violation).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_text.c \
 *     src/util/jp.c src/util/text.c src/util/str.c src/util/arena.c src/util/alloc.c \
 *     $(pkg-config --cflags --libs libutf8proc) -o fuzz_text
 *   ./fuzz_text tests/fuzz/corpus/text
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/jp.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A search key is valid UTF-8, trimmed, with no double spaces, and a key
 * is its own key (NFKC_Casefold is meant to be idempotent; this checks that
 * utf8proc's approximation of it is too). */
static void check_key(struct arena *a, const char *key)
{
	size_t n = strlen(key);

	if (!text_valid_utf8(key, n))
		abort();
	if (n > 0 && (key[0] == ' ' || key[n - 1] == ' '))
		abort();
	if (strstr(key, "  "))
		abort();
	if (strcmp(text_search_key(a, key, n), key) != 0)
		abort();
}

/* A normalised reading is a fixed point of normalisation, and its sort key
 * ends with the reading itself (the tie-breaker). */
static void check_reading(struct arena *a, const char *kana)
{
	char *again;

	if (jp_kana_normalize(a, kana, strlen(kana), &again) != 0)
		abort();
	if (strcmp(again, kana) != 0)
		abort();
	const char *key = jp_sort_key(a, kana);
	size_t kn = strlen(key), n = strlen(kana);
	if (kn <= n || strcmp(key + kn - n, kana) != 0 || key[kn - n - 1] != 0x01)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct arena a;
	char *kana;
	size_t tn;

	arena_init(&a);
	text_trim(s, size, &tn);
	if (tn > size)
		abort();
	if (!text_valid_utf8(s, size))
		goto done;
	if (text_length(s, size) > size)
		abort();

	check_key(&a, text_search_key(&a, s, size));

	if (jp_kana_normalize(&a, s, size, &kana) == 0) {
		check_reading(&a, kana);
		jp_kana_row(kana);
	}

	/* jp_sort_key takes a C string: sort the raw input too ("other text"). */
	jp_sort_key(&a, arena_strndup(&a, s, size));
	jp_kana_row(arena_strndup(&a, s, size));
done:
	arena_free(&a);
	return 0;
}
