/*
 * libFuzzer harness for the query-string and form-body parser: any bytes
 * must parse or be refused without crashing, and every pair produced must
 * be valid UTF-8 with a non-empty key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/urlenc.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	struct kv *kv;
	size_t n;
	if (urlenc_parse(&a, (const char *)data, size, 200, &kv, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (!kv[i].key[0] || !text_valid_utf8(kv[i].val, kv[i].len) ||
			    strlen(kv[i].val) != kv[i].len)
				abort();
		}
	}
	urlenc_decode_path(&a, (const char *)data, size);
	arena_free(&a);
	return 0;
}
