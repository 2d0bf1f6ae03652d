/*
 * libFuzzer harness for the user-typed number parsers of the challenge and
 * events forms: yen amounts and quantities (budget lines) and telephone
 * numbers.  Accepted amounts must lie in [0, max]; a formatted amount must
 * parse back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "challenge/budget.h"
#include "events/registration.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	char *s = arena_strndup(&a, (const char *)data, size);
	if (strlen(s) == size && text_valid_utf8(s, size)) {
		const int64_t max = 100000000;
		int64_t v;
		const char *err = NULL;
		if (budget_parse_yen(&a, s, max, &v, &err) == 0) {
			if (v < 0 || v > max)
				abort();
			int64_t back;
			if (budget_parse_yen(&a, budget_yen(&a, v), max, &back, &err) != 0 ||
			    back != v)
				abort();
		} else if (!err) {
			abort(); /* a refusal always says why */
		}
		int64_t q;
		if (budget_parse_qty(&a, s, &q, &err) == 0 && q < 0)
			abort();
		registration_phone_ok(s);
	}
	arena_free(&a);
	return 0;
}
