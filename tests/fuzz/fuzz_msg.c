/*
 * libFuzzer harness for the message catalogue parser (util/msg.c).
 *
 * The input is loaded as "ja.msg" with msg_load(); when it is accepted,
 * every key it defines is looked up and formatted with arguments, and a
 * few properties are checked (abort() on violation): a loaded key exists,
 * its text has no NUL-cut surprises, and formatting never reads past the
 * arguments.  Run through scripts/fuzz (scripts/fuzz 60 msg).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	struct embed_file f = {"ja.msg", data, size};
	char err[256];
	msg_strict(false);
	if (msg_load(&f, 1, err, sizeof(err)) != 0) {
		if (!err[0])
			abort(); /* a refusal always says why */
		return 0;
	}
	/* Walk the input's lines again for their keys: each must be found. */
	struct arena a;
	arena_init(&a);
	const char *s = (const char *)data, *end = s + size;
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		const char *eq = memchr(s, '=', (size_t)(eol - s));
		const char *p = s;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (eq && p < eq && *p != '#') {
			const char *ke = eq;
			while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			char *key = arena_strndup(&a, p, (size_t)(ke - p));
			if (!msg_exists(key))
				abort();
			const char *t = msg(key);
			if (!t)
				abort();
			const char *out = msgf(&a, key, "1", "22", "333");
			if (!out)
				abort();
		}
		s = eol + 1;
	}
	arena_free(&a);
	return 0;
}
