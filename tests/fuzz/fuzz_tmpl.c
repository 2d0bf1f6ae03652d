/*
 * libFuzzer harness for view/tmpl.
 *
 * The input is template source.  A NUL byte splits it into two templates,
 * "a" (before) and "b" (after), so that {{>a}} / {{>b}} exercise partials,
 * including recursive ones.  If the set compiles, "a" is rendered with a
 * fixed context that holds HTML metacharacters, a raw value, a list, an
 * object and booleans, and the output is checked for the one property the
 * engine promises: context strings never reach the output unescaped.  When
 * the input has no '<', every '<' in the output must start the raw value.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_tmpl.c \
 *     src/view/tmpl.c src/util/msg.c src/util/str.c src/util/arena.c src/util/alloc.c \
 *     (and an embed_messages table) -o fuzz_tmpl; scripts/fuzz builds it with the library
 *   ./fuzz_tmpl -dict=tests/fuzz/tmpl.dict tests/fuzz/corpus/tmpl
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/msg.h"
#include "view/tmpl.h"

/* Markup in context strings; only RAW may come out unescaped. */
#define EVIL "<script>"
#define RAW  "<!--raw-->"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Count occurrences of the string s in [p, p + n). */
static size_t count(const uint8_t *p, size_t n, const char *s)
{
	size_t k = 0, sn = strlen(s);
	const uint8_t *end = p + n;
	while (p < end) {
		const uint8_t *q = memmem(p, (size_t)(end - p), s, sn);
		if (!q)
			break;
		k++;
		p = q + 1;
	}
	return k;
}

/* Build the render context in arena a.  With lists of `items` entries. */
static struct tv *context(struct arena *a, int items)
{
	struct tv *ctx = tv_obj(a);
	tv_set_str(ctx, "s", EVIL "&\"'");
	tv_set(ctx, "r", tv_raw(a, RAW));
	tv_set_int(ctx, "n", -42);
	tv_set_int(ctx, "z", 0);
	tv_set_str(ctx, "e", "");
	tv_set_bool(ctx, "t", true);
	tv_set_bool(ctx, "f", false);
	tv_set(ctx, "null", tv_str(a, NULL));
	tv_set(ctx, "empty", tv_list(a));

	struct tv *o = tv_obj(a);
	tv_set_str(o, "name", EVIL "<o>");
	tv_set(o, "inner", tv_set_str(tv_obj(a), "s", "x'y"));
	tv_set(ctx, "o", o);

	struct tv *l = tv_list(a);
	for (int i = 0; i < items; i++) {
		struct tv *item = tv_obj(a);
		tv_set_int(item, "n", i);
		tv_set_str(item, "name", EVIL);
		tv_push(l, item);
	}
	tv_push(l, tv_str(a, "\"" EVIL "\""));
	tv_set(ctx, "l", l);
	return ctx;
}

/* Does every '<' in out start RAW? */
static bool only_raw_markup(const struct buf *out)
{
	const char *p = out->p, *end = out->p + out->n;
	size_t rn = strlen(RAW);
	while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < rn || memcmp(p, RAW, rn) != 0)
			return false;
		p += rn;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Rendering is exponential in recursive partials that branch (a list
	 * section around a partial, or two partials in a row), and templates
	 * are trusted input, so the engine does not cap it.  Keep the fuzzer
	 * on inputs whose output stays small: at most two partial tags, and
	 * one-entry lists when there are any; few sections otherwise. */
	size_t partials = count(data, size, "{{>");
	size_t sections = count(data, size, "{{#");
	if (partials > 2 || (partials == 2 && size > 64) || (partials == 0 && sections > 8))
		return 0;

	const uint8_t *sep = memchr(data, '\0', size);
	size_t alen = sep ? (size_t)(sep - data) : size;
	struct embed_file files[2] = {
	    {"a.html", data, alen},
	    {"b.html", sep ? sep + 1 : data + size, sep ? size - alen - 1 : 0},
	};
	char err[128];
	/* A catalogue for {{@m.a s n}}: arguments are escaped like values. */
	static bool loaded;
	if (!loaded) {
		static const char cat[] = "m.a = [{1}|{2}] {{3}\nm.b = <b>&\n";
		const struct embed_file f = {"ja.msg", (const unsigned char *)cat, sizeof(cat) - 1};
		if (msg_load(&f, 1, err, sizeof(err)) != 0)
			abort();
		loaded = true;
	}
	struct tmpl_set *set = tmpl_set_compile(files, 2, err, sizeof(err));
	if (!set) {
		if (strlen(err) == 0 || strchr(err, ':') == NULL)
			abort(); /* a failed compile must say where */
		return 0;
	}

	struct arena a;
	struct buf out = BUF_INIT;
	arena_init(&a);
	struct tv *ctx = context(&a, partials ? 0 : 1);
	/* Recursive partials stop at depth 16 and say so; nothing else may
	 * fail (variables are not strict here). */
	int ra = tmpl_render(set, "a", ctx, &out), rb = tmpl_render(set, "b", ctx, &out);
	if ((ra != TMPL_OK && ra != TMPL_TOO_DEEP) || (rb != TMPL_OK && rb != TMPL_TOO_DEEP))
		abort();
	if (tmpl_render(set, "missing", ctx, &out) != -1 || !tmpl_exists(set, "b"))
		abort();
	if (out.n && !memchr(data, '<', size) && !only_raw_markup(&out))
		abort(); /* a context string escaped the escaper */

	buf_release(&out);
	arena_free(&a);
	tmpl_set_free(set);
	return 0;
}
