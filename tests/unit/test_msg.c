/*
 * Unit tests for util/msg (the message catalogue), and a check of the whole
 * source tree against it: every message key the C code names and every
 * {{@key}} a template names must be in messages/ja*.msg.
 *
 * The source check reads src/ from the working directory or one of its
 * parents (KYODO_SRC_DIR names it instead); it is skipped when there is
 * none, e.g. when the binary runs outside the tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/msg.h"
#include "util/str.h"
#include "web/page.h"

/* An embed_file for a catalogue given as a string literal. */
#define CAT(name, text)                                                                            \
	{                                                                                          \
		(name), (const unsigned char *)(text), sizeof(text) - 1                            \
	}

static char err[256];

static int load(const struct embed_file *files, size_t n)
{
	err[0] = '\0';
	return msg_load(files, n, err, sizeof(err));
}

/* Every test leaves the embedded catalogue loaded, strict, in Japanese. */
static int restore(void **state)
{
	(void)state;
	msg_use("ja");
	msg_strict(true);
	return msg_init(err, sizeof(err)) == 0 ? 0 : -1;
}

/* ---- the file format ---- */

static void test_lines_keys_comments_and_escapes(void **state)
{
	(void)state;
	const struct embed_file f[] = {
	    CAT("ja.msg", "# a comment\n"
			  "\n"
			  "  a.one =  first  \r\n"
			  "a.two=二行目\\nです\n"
			  "a.back = a\\\\n\n"),
	};
	assert_int_equal(load(f, 1), 0);
	assert_string_equal(msg("a.one"), "first");
	assert_string_equal(msg("a.two"), "二行目\nです");
	assert_string_equal(msg("a.back"), "a\\n");
	assert_true(msg_exists("a.one"));
	assert_false(msg_exists("a"));
	assert_false(msg_exists("a.one.more"));
}

static void test_line_without_equals_is_refused_with_its_line(void **state)
{
	(void)state;
	const struct embed_file f[] = {CAT("ja.msg", "a.one = x\nno equals here\n")};
	assert_int_equal(load(f, 1), -1);
	assert_string_equal(err, "ja.msg:2: expected \"key = text\"");
}

static void test_bad_keys_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {"A.upper = x\n", "a..b = x\n", ".a = x\n",
					  "a. = x\n",	   "a-b = x\n",	 " = x\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct embed_file f[] = {
		    {"ja.msg", (const unsigned char *)bad[i], strlen(bad[i])}};
		assert_int_equal(load(f, 1), -1);
		assert_non_null(strstr(err, "ja.msg:1: bad key"));
	}
}

static void test_duplicate_key_across_parts_is_refused(void **state)
{
	(void)state;
	const struct embed_file f[] = {
	    CAT("ja.msg", "a.one = x\n"),
	    CAT("ja.groups.msg", "a.one = y\n"),
	};
	assert_int_equal(load(f, 2), -1);
	assert_string_equal(err, "ja: key \"a.one\" defined twice");
}

static void test_parts_of_a_language_form_one_catalogue(void **state)
{
	(void)state;
	const struct embed_file f[] = {
	    CAT("ja.msg", "a.one = x\n"),
	    CAT("ja.groups.msg", "groups.two = y\n"),
	};
	assert_int_equal(load(f, 2), 0);
	assert_string_equal(msg("a.one"), "x");
	assert_string_equal(msg("groups.two"), "y");
}

static void test_no_japanese_catalogue_is_refused(void **state)
{
	(void)state;
	const struct embed_file f[] = {CAT("en.msg", "a.one = x\n")};
	assert_int_equal(load(f, 1), -1);
	assert_string_equal(err, "no ja.msg catalogue");
}

/* A template tag is looked up by (pointer, length) and may hold NULs:
 * found by fuzz_tmpl, where "m.a\0..." read past the stored key. */
static void test_lookup_by_length_compares_bytes(void **state)
{
	(void)state;
	const struct embed_file f[] = {CAT("ja.msg", "m.a = x\nm.ab = y\n")};
	assert_int_equal(load(f, 1), 0);
	assert_int_equal(msg_index("m.a\0\0\0\0", 7), -1);
	assert_int_equal(msg_index("m.a", 3), msg_index("m.a", 3));
	assert_true(msg_index("m.a", 3) >= 0);
	assert_true(msg_index("m.ab", 4) >= 0);
	assert_int_equal(msg_index("m.abc", 4), msg_index("m.ab", 4));
	assert_int_equal(msg_index("m.", 2), -1);
}

/* ---- languages ---- */

static void test_second_language_overrides_and_falls_back_to_japanese(void **state)
{
	(void)state;
	const struct embed_file f[] = {
	    CAT("ja.msg", "a.one = 一\na.two = 二\n"),
	    CAT("en.msg", "a.one = one\n"),
	};
	assert_int_equal(load(f, 2), 0);
	assert_true(msg_use("en"));
	assert_string_equal(msg_lang(), "en");
	assert_string_equal(msg("a.one"), "one");
	assert_string_equal(msg("a.two"), "二");
	assert_true(msg_use("ja"));
	assert_string_equal(msg("a.one"), "一");
	assert_false(msg_use("fr"));
	assert_string_equal(msg_lang(), "ja");
}

static void test_key_unknown_to_japanese_is_refused_in_another_language(void **state)
{
	(void)state;
	const struct embed_file f[] = {
	    CAT("ja.msg", "a.one = 一\n"),
	    CAT("en.msg", "a.one = one\na.extra = extra\n"),
	};
	assert_int_equal(load(f, 2), -1);
	assert_string_equal(err, "en.msg: key \"a.extra\" is not in ja.msg");
}

/* ---- formatting ---- */

static void test_arguments_and_brace_escape(void **state)
{
	(void)state;
	const struct embed_file f[] = {
	    CAT("ja.msg", "a.f = {1}は{2}文字以内（{1}）\na.brace = {{1} と {2}\n")};
	assert_int_equal(load(f, 1), 0);
	struct arena a;
	arena_init(&a);
	assert_string_equal(msgf(&a, "a.f", "団体名", "5"), "団体名は5文字以内（団体名）");
	assert_string_equal(msgf(&a, "a.brace", "x", "y"), "{1} と y");
	arena_free(&a);
}

/* Outside strict mode an unknown key is logged and shows as itself. */
static void test_unknown_key_returns_itself_when_not_strict(void **state)
{
	(void)state;
	msg_strict(false);
	assert_string_equal(msg("no.such.key"), "no.such.key");
	assert_string_equal(msg_or_text("そのままの文"), "そのままの文");
	msg_strict(true);
}

/* In strict mode (the tests' servers) it aborts, so the test that reached
 * it fails. */
static void test_unknown_key_aborts_when_strict(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(1);
		msg_strict(true);
		msg("no.such.key");
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* ---- the source tree against the catalogue ---- */

/* The folder holding src/ and messages/, or NULL. */
static const char *tree_root(void)
{
	static char root[4096];
	const char *env = getenv("KYODO_SRC_DIR");
	static const char *const tries[] = {".", "..", "../..", "../../.."};
	for (size_t i = 0; i < (env ? 1 : sizeof(tries) / sizeof(tries[0])); i++) {
		struct stat st;
		snprintf(root, sizeof(root), "%s", env ? env : tries[i]);
		char probe[4200];
		snprintf(probe, sizeof(probe), "%s/src/util/msg.c", root);
		if (stat(probe, &st) == 0)
			return root;
	}
	return NULL;
}

/* The first segments of the catalogue's keys ("groups", "web", ...),
 * read from the embedded ja catalogue: the namespaces a key-shaped literal
 * must belong to before it is taken for a key. */
static char namespaces[64][32];
static size_t nnamespaces;

static void add_namespace(const char *k, size_t n)
{
	if (n == 0 || n >= sizeof(namespaces[0]))
		return;
	for (size_t i = 0; i < nnamespaces; i++)
		if (strlen(namespaces[i]) == n && memcmp(namespaces[i], k, n) == 0)
			return;
	if (nnamespaces < sizeof(namespaces) / sizeof(namespaces[0])) {
		memcpy(namespaces[nnamespaces], k, n);
		namespaces[nnamespaces++][n] = '\0';
	}
}

static void read_namespaces(void)
{
	nnamespaces = 0;
	for (size_t i = 0; i < embed_messages_count; i++) {
		const char *s = (const char *)embed_messages[i].data,
			   *end = s + embed_messages[i].len;
		if (strncmp(embed_messages[i].name, "ja.", 3) != 0)
			continue;
		while (s < end) {
			const char *eol = memchr(s, '\n', (size_t)(end - s));
			if (!eol)
				eol = end;
			const char *dot = memchr(s, '.', (size_t)(eol - s));
			if (*s != '#' && dot && memchr(s, '=', (size_t)(eol - s)))
				add_namespace(s, (size_t)(dot - s));
			s = eol + 1;
		}
	}
}

static bool is_namespace(const char *k, size_t n)
{
	for (size_t i = 0; i < nnamespaces; i++)
		if (strlen(namespaces[i]) == n && memcmp(namespaces[i], k, n) == 0)
			return true;
	return false;
}

/* "[a-z0-9_]+(.[a-z0-9_]+)+" */
static bool key_shaped(const char *s, size_t n)
{
	bool dot = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (i == 0 || i == n - 1 || s[i - 1] == '.')
				return false;
			dot = true;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
			return false;
		}
	}
	return dot;
}

/* "scores.csv": a file name, not a key. */
static bool file_name(const char *s, size_t n)
{
	static const char *const ext[] = {".csv",  ".xlsx", ".pdf",  ".png", ".jpg", ".jpeg",
					  ".html", ".ics",  ".msg",  ".db",  ".css", ".js",
					  ".txt",  ".xml",  ".json", ".svg", ".c",   ".h"};
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i]);
		if (n > e && memcmp(s + n - e, ext[i], e) == 0)
			return true;
	}
	return false;
}

/* Is the literal text[open..close] (its quotes) glued to a neighbour by
 * the preprocessor: another literal or a # stringification next to it? */
static bool part_of_concatenation(const char *text, size_t len, size_t open, size_t close)
{
	size_t a = open, b = close + 1;
	while (a > 0 && (text[a - 1] == ' ' || text[a - 1] == '\t'))
		a--;
	while (b < len && (text[b] == ' ' || text[b] == '\t'))
		b++;
	return (a > 0 && (text[a - 1] == '"' || text[a - 1] == '#')) ||
	       (b < len && (text[b] == '"' || text[b] == '#'));
}

/* Is the literal starting at text[at] (its opening quote) the key argument
 * of msg("...") or msgf(a, "...") / msg_format(a, "...")? */
static bool is_msg_argument(const char *text, size_t at)
{
	size_t i = at;
	while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n'))
		i--;
	if (i == 0)
		return false;
	int commas = 0;
	if (text[i - 1] == ',') {
		/* Back to the call's '(' over one simple argument. */
		commas = 1;
		i--;
		while (i > 0 && text[i - 1] != '(' && text[i - 1] != ',' && text[i - 1] != ';' &&
		       text[i - 1] != '"')
			i--;
		if (i == 0 || text[i - 1] != '(')
			return false;
	} else if (text[i - 1] != '(') {
		return false;
	}
	i--; /* at '(' */
	size_t e = i;
	while (i > 0 && ((text[i - 1] >= 'a' && text[i - 1] <= 'z') || text[i - 1] == '_'))
		i--;
	size_t n = e - i;
	if (commas == 0)
		return n == 3 && memcmp(text + i, "msg", 3) == 0 && (i == 0 || text[i - 1] != '_');
	return (n == 4 && memcmp(text + i, "msgf", 4) == 0) ||
	       (n == 10 && memcmp(text + i, "msg_format", 10) == 0);
}

/* Append "path:line: key" to missing for each key named in the C file
 * text (comments are skipped) that the catalogue lacks. */
static void check_source(const char *path, const char *text, size_t len, struct buf *missing,
			 size_t *nkeys)
{
	unsigned line = 1;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\n') {
			line++;
		} else if (c == '/' && i + 1 < len && text[i + 1] == '/') {
			while (i < len && text[i] != '\n')
				i++;
			line++;
		} else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
			for (i += 2; i + 1 < len && !(text[i] == '*' && text[i + 1] == '/'); i++)
				line += text[i] == '\n';
			i++;
		} else if (c == '\'') {
			for (i++; i < len && text[i] != '\''; i++)
				i += text[i] == '\\';
		} else if (c == '"') {
			size_t start = i + 1, j = start;
			while (j < len && text[j] != '"' && text[j] != '\n')
				j += text[j] == '\\' ? 2 : 1;
			const char *lit = text + start;
			size_t n = j - start;
			if (part_of_concatenation(text, len, i, j)) {
				/* "reports.field.voice" #n "_quote": a key made by
				 * the preprocessor, not one to look up. */
			} else if (key_shaped(lit, n)) {
				size_t ns = (size_t)((const char *)memchr(lit, '.', n) - lit);
				if ((is_namespace(lit, ns) && !file_name(lit, n)) ||
				    is_msg_argument(text, i)) {
					char *key = strndup(lit, n);
					(*nkeys)++;
					if (!msg_exists(key))
						buf_printf(missing, "%s:%u: %s\n", path, line, key);
					free(key);
				}
			} else if (is_msg_argument(text, i) && !memchr(lit, '%', n)) {
				/* msg("Some text"): not a key at all. */
				buf_printf(missing, "%s:%u: not a key: \"%.*s\"\n", path, line,
					   (int)n, lit);
			}
			i = j;
		}
	}
}

/* Check every .c and .h file under dir (recursively). */
static void check_tree(const char *dir, struct buf *missing, size_t *nfiles, size_t *nkeys)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			check_tree(path, missing, nfiles, nkeys);
			continue;
		}
		size_t n = strlen(e->d_name);
		if (n < 3 || e->d_name[n - 2] != '.' ||
		    (e->d_name[n - 1] != 'c' && e->d_name[n - 1] != 'h'))
			continue;
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		struct buf b = BUF_INIT;
		char chunk[65536];
		size_t got;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&b, chunk, got);
		fclose(f);
		check_source(path, b.p ? b.p : "", b.n, missing, nkeys);
		buf_release(&b);
		(*nfiles)++;
	}
	closedir(d);
}

static void test_every_key_named_in_src_is_in_the_catalogue(void **state)
{
	(void)state;
	const char *root = tree_root();
	if (!root)
		skip();
	read_namespaces();
	assert_true(nnamespaces > 5);
	char src[4200];
	snprintf(src, sizeof(src), "%s/src", root);
	struct buf missing = BUF_INIT;
	size_t nfiles = 0, nkeys = 0;
	check_tree(src, &missing, &nfiles, &nkeys);
	assert_true(nfiles > 50);
	assert_true(nkeys > 100);
	if (missing.n)
		fail_msg("message keys named in src/ but not in messages/ja*.msg:\n%s", missing.p);
	buf_release(&missing);
}

/* Compiling the templates resolves every {{@key}}: an unknown one is an
 * error naming the template and line. */
static void test_every_template_key_is_in_the_catalogue(void **state)
{
	(void)state;
	assert_int_equal(page_init(), 0);
	page_release();
}

/* The unit test of the scanner itself: what counts as a key. */
static void test_scanner_finds_keys_and_skips_comments(void **state)
{
	(void)state;
	read_namespaces();
	const char text[] = "/* \"web.no_such_in_comment\" */\n"
			    "// \"web.no_such_either\"\n"
			    "x = msg(\"web.select_prompt\");\n"
			    "y = msgf(a, \"zz.unknown_namespace\", b);\n"
			    "z = \"web.missing_here\";\n"
			    "w = \"ja.msg\"; v = \"%s.%s\"; c = '\"'; f = \"web.csv\";\n"
			    "g = \"web.glued\" #n \"_x\";\n"
			    "u = msg(\"Plain words\");\n";
	struct buf missing = BUF_INIT;
	size_t nkeys = 0;
	check_source("t.c", text, sizeof(text) - 1, &missing, &nkeys);
	assert_int_equal(nkeys, 3);
	assert_string_equal(missing.p, "t.c:4: zz.unknown_namespace\n"
				       "t.c:5: web.missing_here\n"
				       "t.c:8: not a key: \"Plain words\"\n");
	buf_release(&missing);
}

#define T(name) cmocka_unit_test_teardown(name, restore)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_lines_keys_comments_and_escapes),
	    T(test_line_without_equals_is_refused_with_its_line),
	    T(test_bad_keys_are_refused),
	    T(test_duplicate_key_across_parts_is_refused),
	    T(test_parts_of_a_language_form_one_catalogue),
	    T(test_no_japanese_catalogue_is_refused),
	    T(test_lookup_by_length_compares_bytes),
	    T(test_second_language_overrides_and_falls_back_to_japanese),
	    T(test_key_unknown_to_japanese_is_refused_in_another_language),
	    T(test_arguments_and_brace_escape),
	    T(test_unknown_key_returns_itself_when_not_strict),
	    T(test_unknown_key_aborts_when_strict),
	    T(test_scanner_finds_keys_and_skips_comments),
	    T(test_every_key_named_in_src_is_in_the_catalogue),
	    T(test_every_template_key_is_in_the_catalogue),
	};
	if (restore(NULL) != 0) {
		fprintf(stderr, "message catalogue: %s\n", err);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
