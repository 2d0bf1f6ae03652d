/*
 * libFuzzer harness for form validation: arbitrary urlencoded input is
 * parsed and validated against the group form's declared fields; every
 * accepted text value must be valid UTF-8 within its declared length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "groups/group.h"
#include "http/urlenc.h"
#include "util/form.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	struct kv *kv;
	size_t n;
	if (urlenc_parse(&a, (const char *)data, size, 200, &kv, &n) == 0) {
		struct form f;
		form_check(&a, group_fields, GF__MAX, kv, n, &f);
		for (size_t i = 0; i < GF__MAX; i++) {
			const struct field_value *v = &f.v[i];
			if (v->error || group_fields[i].kind == F_MULTI)
				continue;
			if (!text_valid_utf8(v->s, strlen(v->s)))
				abort();
			if (v->present && text_length(v->s, strlen(v->s)) > group_fields[i].max)
				abort();
		}
	}
	arena_free(&a);
	return 0;
}
