/*
 * Unit tests for view/tmpl: one behaviour per test, through the public API.
 * Templates are built as local embed_file arrays, not the generated
 * embed_templates table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/msg.h"
#include "view/tmpl.h"

/* An embed_file for a template given as a string literal. */
#define FILE_LIT(name, text)                                                                       \
	{                                                                                          \
		(name), (const unsigned char *)(text), sizeof(text) - 1                            \
	}

struct fx {
	struct arena a;
	struct buf out;
	struct tmpl_set *set;
	char err[256];
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	arena_init(&f->a);
	f->out = BUF_INIT;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	tmpl_set_free(f->set);
	buf_release(&f->out);
	arena_free(&f->a);
	free(f);
	return 0;
}

/* Compile files into f->set (replacing any earlier set). */
static struct tmpl_set *compile(struct fx *f, const struct embed_file *files, size_t n)
{
	tmpl_set_free(f->set);
	f->err[0] = '\0';
	f->set = tmpl_set_compile(files, n, f->err, sizeof(f->err));
	return f->set;
}

/* Render template name into a fresh output; fails the test if it is missing. */
static const char *render(struct fx *f, const char *name, const struct tv *ctx)
{
	buf_reset(&f->out);
	assert_int_equal(tmpl_render(f->set, name, ctx, &f->out), 0);
	return f->out.p ? f->out.p : "";
}

/* Compile src as the one template "t" and render it with ctx. */
static const char *render_src(struct fx *f, const char *src, const struct tv *ctx)
{
	struct embed_file files[] = {{"t.html", (const unsigned char *)src, strlen(src)}};
	if (!compile(f, files, 1))
		fail_msg("compile failed: %s", f->err);
	return render(f, "t", ctx);
}

/* Compile src as the one template "t", expecting an error; returns it. */
static const char *compile_err(struct fx *f, const char *src)
{
	struct embed_file files[] = {{"t.html", (const unsigned char *)src, strlen(src)}};
	assert_null(compile(f, files, 1));
	return f->err;
}

/* An object {key: s}. */
static struct tv *obj1(struct fx *f, const char *key, const char *s)
{
	return tv_set_str(tv_obj(&f->a), key, s);
}

/* ---- text and escaping ---- */

static void test_text_is_copied_verbatim(void **state)
{
	struct fx *f = *state;
	const char *src = "  <p>\n\t a & b </p>\n\n  { } }} {x}\n";
	assert_string_equal(render_src(f, src, NULL), src);
}

static void test_empty_template_renders_nothing(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "", NULL), "");
}

static void test_escapes_ampersand(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "{{x}}", obj1(f, "x", "a&b")), "a&amp;b");
}

static void test_escapes_less_than(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "{{x}}", obj1(f, "x", "a<b")), "a&lt;b");
}

static void test_escapes_greater_than(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "{{x}}", obj1(f, "x", "a>b")), "a&gt;b");
}

static void test_escapes_double_quote(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "{{x}}", obj1(f, "x", "a\"b")), "a&quot;b");
}

static void test_escapes_single_quote(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "{{x}}", obj1(f, "x", "a'b")), "a&#39;b");
}

static void test_strn_renders_only_n_bytes(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set(tv_obj(&f->a), "x", tv_strn(&f->a, "abc<def", 4));
	assert_string_equal(render_src(f, "[{{x}}]", ctx), "[abc&lt;]");
}

/* ---- raw output ---- */

static void test_triple_renders_tv_raw_unescaped(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set(tv_obj(&f->a), "h", tv_raw(&f->a, "<b>\"x\" & 'y'</b>"));
	assert_string_equal(render_src(f, "{{{h}}}", ctx), "<b>\"x\" & 'y'</b>");
}

static void test_double_braces_escape_tv_raw(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set(tv_obj(&f->a), "h", tv_raw(&f->a, "<b>"));
	assert_string_equal(render_src(f, "{{h}}", ctx), "&lt;b&gt;");
}

static void test_triple_escapes_plain_string(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "{{{x}}}", obj1(f, "x", "<script>'&\"")),
			    "&lt;script&gt;&#39;&amp;&quot;");
}

/* ---- scalars ---- */

static void test_int_renders_decimal(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	tv_set_int(ctx, "a", 0);
	tv_set_int(ctx, "b", 1234567);
	tv_set_int(ctx, "c", -42);
	tv_set_int(ctx, "max", INT64_MAX);
	tv_set_int(ctx, "min", INT64_MIN);
	assert_string_equal(render_src(f, "{{a}} {{b}} {{c}} {{max}} {{min}}", ctx),
			    "0 1234567 -42 9223372036854775807 -9223372036854775808");
}

static void test_bool_renders_true_false(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	tv_set_bool(ctx, "y", true);
	tv_set_bool(ctx, "n", false);
	assert_string_equal(render_src(f, "{{y}}/{{n}}", ctx), "true/false");
}

static void test_null_string_renders_nothing(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "[{{x}}]", obj1(f, "x", NULL)), "[]");
}

static void test_list_and_object_interpolate_as_nothing(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	struct tv *l = tv_list(&f->a);
	tv_push(l, tv_str(&f->a, "x"));
	tv_set(ctx, "l", l);
	tv_set(ctx, "o", obj1(f, "k", "v"));
	assert_string_equal(render_src(f, "[{{l}}{{o}}]", ctx), "[]");
}

static void test_missing_key_renders_nothing(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "a{{nope}}b{{{nope}}}c", obj1(f, "x", "1")), "abc");
}

static void test_null_context_renders_text_only(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "a{{x}}{{#s}}S{{/s}}{{^s}}I{{/s}}", NULL), "aI");
}

static void test_whitespace_inside_tags_is_ignored(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "{{ x }}{{# x }}!{{/ x }}", obj1(f, "x", "v")), "v!");
}

/* ---- sections ---- */

static void test_section_repeats_for_each_list_item(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	struct tv *l = tv_list(&f->a);
	tv_push(l, obj1(f, "n", "a"));
	tv_push(l, obj1(f, "n", "b"));
	tv_push(l, obj1(f, "n", "c"));
	tv_set(ctx, "items", l);
	assert_string_equal(render_src(f, "<{{#items}}[{{n}}]{{/items}}>", ctx), "<[a][b][c]>");
}

static void test_section_over_long_list_renders_every_item(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	struct tv *l = tv_list(&f->a);
	for (int i = 0; i < 1000; i++)
		tv_push(l, tv_int(&f->a, i));
	tv_set(ctx, "l", l);
	assert_int_equal(tv_len(l), 1000);
	const char *out = render_src(f, "{{#l}}{{.}},{{/l}}", ctx);
	assert_int_equal(strlen(out), 10 * 2 + 90 * 3 + 900 * 4);
	assert_memory_equal(out, "0,1,2,", 6);
	assert_string_equal(out + strlen(out) - 4, "999,");
}

static void test_section_pushes_object_once(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set(tv_obj(&f->a), "user", obj1(f, "name", "Aoi"));
	assert_string_equal(render_src(f, "{{#user}}<{{name}}>{{/user}}", ctx), "<Aoi>");
}

static void test_section_true_renders_once(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set_bool(tv_obj(&f->a), "ok", true);
	assert_string_equal(render_src(f, "[{{#ok}}yes{{/ok}}]", ctx), "[yes]");
}

static void test_section_false_renders_nothing(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set_bool(tv_obj(&f->a), "ok", false);
	assert_string_equal(render_src(f, "[{{#ok}}yes{{/ok}}]", ctx), "[]");
}

static void test_section_empty_list_renders_nothing(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set(tv_obj(&f->a), "l", tv_list(&f->a));
	assert_string_equal(render_src(f, "[{{#l}}x{{/l}}]", ctx), "[]");
}

static void test_section_zero_renders_nothing(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set_int(tv_obj(&f->a), "n", 0);
	assert_string_equal(render_src(f, "[{{#n}}x{{/n}}]", ctx), "[]");
}

static void test_section_nonzero_int_renders_once(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set_int(tv_obj(&f->a), "n", -3);
	assert_string_equal(render_src(f, "[{{#n}}x{{.}}{{/n}}]", ctx), "[x-3]");
}

static void test_section_empty_string_renders_nothing(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "[{{#s}}x{{/s}}]", obj1(f, "s", "")), "[]");
}

static void test_section_null_renders_nothing(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "[{{#s}}x{{/s}}]", obj1(f, "s", NULL)), "[]");
}

static void test_section_missing_renders_nothing(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "[{{#s}}x{{/s}}]", obj1(f, "other", "1")), "[]");
}

static void test_inverted_renders_for_false(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set_bool(tv_obj(&f->a), "ok", false);
	assert_string_equal(render_src(f, "[{{^ok}}no{{/ok}}]", ctx), "[no]");
}

static void test_inverted_renders_for_empty_list(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set(tv_obj(&f->a), "l", tv_list(&f->a));
	assert_string_equal(render_src(f, "[{{^l}}none{{/l}}]", ctx), "[none]");
}

static void test_inverted_renders_for_missing(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "[{{^l}}none{{/l}}]", obj1(f, "x", "1")), "[none]");
}

static void test_inverted_skips_for_true(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set_bool(tv_obj(&f->a), "ok", true);
	assert_string_equal(render_src(f, "[{{^ok}}no{{/ok}}]", ctx), "[]");
}

static void test_inverted_skips_for_nonempty_list(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	struct tv *l = tv_list(&f->a);
	tv_push(l, tv_int(&f->a, 1));
	tv_set(ctx, "l", l);
	assert_string_equal(render_src(f, "[{{^l}}none{{/l}}]", ctx), "[]");
}

static void test_inverted_keeps_outer_context(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = obj1(f, "name", "Ken");
	tv_set_bool(ctx, "ok", false);
	assert_string_equal(render_src(f, "{{^ok}}{{name}}{{/ok}}", ctx), "Ken");
}

static void test_nested_section_looks_up_outer_context(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = obj1(f, "city", "Sendai");
	struct tv *groups = tv_list(&f->a);
	struct tv *g = obj1(f, "name", "G1");
	struct tv *members = tv_list(&f->a);
	tv_push(members, obj1(f, "who", "m1"));
	tv_push(members, obj1(f, "who", "m2"));
	tv_set(g, "members", members);
	tv_push(groups, g);
	tv_set(ctx, "groups", groups);
	const char *src =
	    "{{#groups}}{{#members}}{{who}}@{{name}}/{{city}};{{/members}}{{/groups}}";
	assert_string_equal(render_src(f, src, ctx), "m1@G1/Sendai;m2@G1/Sendai;");
}

static void test_inner_context_shadows_outer(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = obj1(f, "name", "outer");
	tv_set(ctx, "o", obj1(f, "name", "inner"));
	assert_string_equal(render_src(f, "{{#o}}{{name}}{{/o}} {{name}}", ctx), "inner outer");
}

static void test_dotted_section_name_closes(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set(tv_obj(&f->a), "a", tv_set_bool(tv_obj(&f->a), "b", true));
	assert_string_equal(render_src(f, "{{#a.b}}yes{{/a.b}}", ctx), "yes");
}

/* ---- names ---- */

static void test_dotted_name_walks_objects(void **state)
{
	struct fx *f = *state;
	struct tv *c = obj1(f, "name", "<Sapporo>");
	struct tv *ctx = tv_set(tv_obj(&f->a), "user", tv_set(tv_obj(&f->a), "city", c));
	assert_string_equal(render_src(f, "{{user.city.name}}", ctx), "&lt;Sapporo&gt;");
}

static void test_dotted_name_missing_part_renders_nothing(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_set(tv_obj(&f->a), "user", obj1(f, "name", "x"));
	assert_string_equal(render_src(f, "[{{user.city.name}}{{user.name.x}}]", ctx), "[]");
}

static void test_dotted_name_does_not_fall_back_after_first_part(void **state)
{
	struct fx *f = *state;
	/* a.b resolves a in the inner context; b is then looked up only in it. */
	struct tv *ctx = tv_set(tv_obj(&f->a), "a", obj1(f, "b", "outer"));
	tv_set(ctx, "in", tv_set(tv_obj(&f->a), "a", obj1(f, "c", "x")));
	assert_string_equal(render_src(f, "[{{#in}}{{a.b}}{{/in}}]", ctx), "[]");
}

static void test_dot_renders_current_item(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	struct tv *l = tv_list(&f->a);
	tv_push(l, tv_str(&f->a, "a&"));
	tv_push(l, tv_int(&f->a, 7));
	tv_push(l, tv_bool(&f->a, true));
	tv_set(ctx, "l", l);
	assert_string_equal(render_src(f, "{{#l}}({{.}}){{/l}}", ctx), "(a&amp;)(7)(true)");
}

static void test_dot_at_top_renders_context(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "{{.}}", tv_str(&f->a, "<x>")), "&lt;x&gt;");
}

/* ---- partials ---- */

static void test_partial_renders_with_same_context(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {
	    FILE_LIT("page.html", "<main>{{#u}}{{> card}}{{/u}}</main>"),
	    FILE_LIT("card.html", "[{{name}}|{{site}}]"),
	};
	assert_non_null(compile(f, files, 2));
	struct tv *ctx = obj1(f, "site", "kyodo");
	tv_set(ctx, "u", obj1(f, "name", "Mio"));
	assert_string_equal(render(f, "page", ctx), "<main>[Mio|kyodo]</main>");
}

static void test_partial_in_subfolder(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {
	    FILE_LIT("groups/list.html", "L{{>groups/item}}"),
	    FILE_LIT("groups/item.html", "I"),
	};
	assert_non_null(compile(f, files, 2));
	assert_string_equal(render(f, "groups/list", NULL), "LI");
}

static void test_self_recursive_partial_stops_at_depth_16(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {FILE_LIT("r.html", "x{{>r}}")};
	assert_non_null(compile(f, files, 1));
	/* The template itself plus 16 nested partials; the render says that
	 * it was cut short. */
	buf_reset(&f->out);
	assert_int_equal(tmpl_render(f->set, "r", NULL, &f->out), TMPL_TOO_DEEP);
	assert_string_equal(f->out.p, "xxxxxxxxxxxxxxxxx");
	assert_string_equal(tmpl_last_problem(), "r");
}

static void test_mutually_recursive_partials_terminate(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {
	    FILE_LIT("a.html", "a{{>b}}"),
	    FILE_LIT("b.html", "b{{>a}}"),
	};
	assert_non_null(compile(f, files, 2));
	buf_reset(&f->out);
	assert_int_equal(tmpl_render(f->set, "a", NULL, &f->out), TMPL_TOO_DEEP);
	assert_string_equal(f->out.p, "abababababababab"
				      "a");
}

/* ---- {{@key}}: the message catalogue ---- */

static const char test_catalogue[] = "t.plain = 見出し & <b>\n"
				     "t.count = {1}ページ中 {2}ページ目\n"
				     "t.quote = 「{1}」\n";

static int load_test_catalogue(void)
{
	const struct embed_file f = {"ja.msg", (const unsigned char *)test_catalogue,
				     sizeof(test_catalogue) - 1};
	char err[128];
	return msg_load(&f, 1, err, sizeof(err));
}

static void test_message_tag_is_escaped_text(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_test_catalogue(), 0);
	assert_string_equal(render_src(f, "<h1>{{@t.plain}}</h1>", NULL),
			    "<h1>見出し &amp; &lt;b&gt;</h1>");
}

static void test_message_tag_takes_names_as_arguments(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_test_catalogue(), 0);
	struct tv *ctx = tv_obj(&f->a);
	struct tv *p = tv_obj(&f->a);
	tv_set_int(p, "total", 12);
	tv_set_int(p, "current", 2);
	tv_set(ctx, "p", p);
	tv_set_str(ctx, "name", "<x>");
	assert_string_equal(
	    render_src(f, "{{@t.count p.total p.current}}|{{@ t.quote  name }}", ctx),
	    "12ページ中 2ページ目|「&lt;x&gt;」");
}

static void test_message_tag_errors(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_test_catalogue(), 0);
	assert_string_equal(compile_err(f, "{{@t.nope}}"), "t:1: unknown message key \"t.nope\"");
	assert_string_equal(compile_err(f, "{{@t.count a b c d e f g h i j}}"),
			    "t:1: more than 9 message arguments");
	assert_string_equal(compile_err(f, "{{@t.count a..b}}"), "t:1: invalid name \"a..b\"");
}

/* ---- strict variables (tests run the server this way) ---- */

static void test_strict_missing_variable_fails_naming_template_and_name(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {
	    FILE_LIT("page.html", "<p>{{title}}</p>{{> partials/x}}"),
	    FILE_LIT("partials/x.html", "[{{nope.deeper}}]"),
	};
	assert_non_null(compile(f, files, 2));
	struct tv *ctx = tv_obj(&f->a);
	tv_set_str(ctx, "title", "T");
	tmpl_strict_vars(TMPL_VARS_FAIL);
	buf_reset(&f->out);
	int rc = tmpl_render(f->set, "page", ctx, &f->out);
	tmpl_strict_vars(TMPL_VARS_QUIET);
	assert_int_equal(rc, TMPL_MISSING_VAR);
	assert_string_equal(tmpl_last_problem(), "partials/x: nope");
}

static void test_strict_null_value_and_sections_over_missing_names_pass(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	tv_set(ctx, "blank", tv_str(&f->a, NULL));
	struct tv *item = tv_obj(&f->a);
	tv_set_str(item, "name", "A");
	struct tv *list = tv_list(&f->a);
	tv_push(list, item);
	tv_set(ctx, "items", list);
	tmpl_strict_vars(TMPL_VARS_FAIL);
	/* null is a deliberate blank; a section or inverted section over a
	 * missing name is just false; inner names may come from outer levels. */
	const char *out = render_src(
	    f,
	    "[{{blank}}]{{#absent}}x{{/absent}}{{^absent}}y{{/absent}}{{#items}}{{name}}{{/items}}",
	    ctx);
	tmpl_strict_vars(TMPL_VARS_QUIET);
	assert_string_equal(out, "[]yA");
}

static void test_unknown_template_is_named(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {FILE_LIT("a.html", "a")};
	assert_non_null(compile(f, files, 1));
	buf_reset(&f->out);
	assert_int_equal(tmpl_render(f->set, "groups/lsit", NULL, &f->out), TMPL_NO_TEMPLATE);
	assert_string_equal(tmpl_last_problem(), "groups/lsit");
}

/* ---- comments ---- */

static void test_comment_renders_nothing(void **state)
{
	struct fx *f = *state;
	assert_string_equal(render_src(f, "a{{! note {{x \n more }}b", obj1(f, "x", "1")), "ab");
}

/* ---- set and names ---- */

static void test_name_is_file_name_without_html(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {FILE_LIT("groups/list.html", "ok")};
	assert_non_null(compile(f, files, 1));
	assert_true(tmpl_exists(f->set, "groups/list"));
	assert_false(tmpl_exists(f->set, "groups/list.html"));
	assert_false(tmpl_exists(f->set, "groups"));
}

static void test_non_html_files_are_ignored(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {
	    FILE_LIT("style.css", "{{#unclosed"),
	    FILE_LIT("a.html", "A"),
	    FILE_LIT("notes.txt", "x"),
	};
	assert_non_null(compile(f, files, 3));
	assert_true(tmpl_exists(f->set, "a"));
	assert_false(tmpl_exists(f->set, "style"));
	assert_false(tmpl_exists(f->set, "notes"));
}

static void test_many_templates_are_all_found(void **state)
{
	struct fx *f = *state;
	static const char *names[] = {"z.html", "m/a.html", "b.html", "m/b.html",
				      "a.html", "aa.html",  "m.html"};
	struct embed_file files[7];
	for (size_t i = 0; i < 7; i++)
		files[i] = (struct embed_file){names[i], (const unsigned char *)names[i],
					       strlen(names[i])};
	assert_non_null(compile(f, files, 7));
	assert_string_equal(render(f, "m/a", NULL), "m/a.html");
	assert_string_equal(render(f, "aa", NULL), "aa.html");
	assert_string_equal(render(f, "z", NULL), "z.html");
	assert_false(tmpl_exists(f->set, "m/c"));
}

static void test_render_unknown_name_returns_minus_one(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {FILE_LIT("a.html", "A")};
	assert_non_null(compile(f, files, 1));
	buf_adds(&f->out, "keep");
	assert_int_equal(tmpl_render(f->set, "b", NULL, &f->out), -1);
	assert_string_equal(f->out.p, "keep");
}

static void test_render_appends_to_output(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {FILE_LIT("a.html", "A")};
	assert_non_null(compile(f, files, 1));
	buf_adds(&f->out, "<");
	assert_int_equal(tmpl_render(f->set, "a", NULL, &f->out), 0);
	assert_int_equal(tmpl_render(f->set, "a", NULL, &f->out), 0);
	assert_string_equal(f->out.p, "<AA");
}

/* ---- values ---- */

static void test_tv_set_replaces_existing_key(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = obj1(f, "x", "old");
	tv_set_str(ctx, "x", "new");
	assert_string_equal(render_src(f, "{{x}}", ctx), "new");
}

static void test_tv_set_grows_object(void **state)
{
	struct fx *f = *state;
	struct tv *ctx = tv_obj(&f->a);
	char *keys[40];
	for (int i = 0; i < 40; i++) {
		keys[i] = arena_printf(&f->a, "k%d", i);
		tv_set_int(ctx, keys[i], i);
	}
	assert_string_equal(render_src(f, "{{k0}} {{k7}} {{k8}} {{k39}}", ctx), "0 7 8 39");
	assert_non_null(tv_get(ctx, "k39"));
	assert_null(tv_get(ctx, "k40"));
}

static void test_tv_get_finds_plain_keys_only(void **state)
{
	struct fx *f = *state;
	struct tv *inner = obj1(f, "b", "x");
	struct tv *ctx = tv_set(tv_obj(&f->a), "a", inner);
	assert_ptr_equal(tv_get(ctx, "a"), inner);
	assert_null(tv_get(ctx, "a.b"));
	assert_null(tv_get(tv_list(&f->a), "a"));
}

static void test_tv_len_counts_list_items(void **state)
{
	struct fx *f = *state;
	struct tv *l = tv_list(&f->a);
	assert_int_equal(tv_len(l), 0);
	tv_push(l, tv_int(&f->a, 1));
	tv_push(l, tv_int(&f->a, 2));
	assert_int_equal(tv_len(l), 2);
	assert_int_equal(tv_len(tv_obj(&f->a)), 0);
}

/* ---- compile errors ---- */

static void test_err_unclosed_section_reports_open_line(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "a\nb\n{{#items}}\nx\n"),
			    "t:3: unclosed section \"items\"");
}

static void test_err_mismatched_close_reports_close_line(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "{{#a}}\n{{#b}}\n\n{{/a}}"),
			    "t:4: close tag \"a\" does not match section \"b\" opened on line 2");
}

static void test_err_close_without_open(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "x\n{{/a}}"),
			    "t:2: close tag \"a\" without open section");
}

static void test_err_unclosed_tag(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "ok {{x}}\n\n<p>{{name</p>\n"), "t:3: unclosed tag");
}

static void test_err_unclosed_triple(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "\n{{{x}} y"), "t:2: unclosed tag: expected }}}");
}

static void test_err_unclosed_comment(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "{{! never\nclosed"), "t:1: unclosed tag");
}

static void test_err_unknown_partial(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {
	    FILE_LIT("a.html", "x\n{{>b}}\n\n{{> nope }}"),
	    FILE_LIT("b.html", "B"),
	};
	assert_null(compile(f, files, 2));
	assert_string_equal(f->err, "a:4: unknown partial \"nope\"");
}

static void test_err_empty_name(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "a\n{{ }}"), "t:2: empty name");
}

static void test_err_empty_section_name(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "{{#}}{{/}}"), "t:1: empty name");
}

static void test_err_invalid_name(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "{{a..b}}"), "t:1: invalid name \"a..b\"");
	assert_string_equal(compile_err(f, "\n{{&x}}"), "t:2: invalid name \"&x\"");
}

static void test_err_line_counts_newlines_in_tags(void **state)
{
	struct fx *f = *state;
	assert_string_equal(compile_err(f, "{{!\n\n}}{{\nx\n}}\n{{/y}}"),
			    "t:6: close tag \"y\" without open section");
}

static void test_err_duplicate_template(void **state)
{
	struct fx *f = *state;
	const struct embed_file files[] = {FILE_LIT("a.html", "1"), FILE_LIT("a.html", "2")};
	assert_null(compile(f, files, 2));
	assert_string_equal(f->err, "a:1: duplicate template");
}

static void test_err_sections_nested_too_deep(void **state)
{
	struct fx *f = *state;
	struct buf src = BUF_INIT;
	for (int i = 0; i < 65; i++)
		buf_adds(&src, "{{#a}}\n");
	struct embed_file files[] = {{"t.html", (const unsigned char *)src.p, src.n}};
	assert_null(compile(f, files, 1));
	buf_release(&src);
	assert_string_equal(f->err, "t:65: sections nested deeper than 64");
}

static void test_err_truncated_to_buffer(void **state)
{
	(void)state;
	const struct embed_file files[] = {FILE_LIT("a.html", "{{#x}}")};
	char err[6];
	assert_null(tmpl_set_compile(files, 1, err, sizeof(err)));
	assert_string_equal(err, "a:1: ");
	assert_null(tmpl_set_compile(files, 1, NULL, 0));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_text_is_copied_verbatim),
	    T(test_empty_template_renders_nothing),
	    T(test_escapes_ampersand),
	    T(test_escapes_less_than),
	    T(test_escapes_greater_than),
	    T(test_escapes_double_quote),
	    T(test_escapes_single_quote),
	    T(test_strn_renders_only_n_bytes),
	    T(test_triple_renders_tv_raw_unescaped),
	    T(test_double_braces_escape_tv_raw),
	    T(test_triple_escapes_plain_string),
	    T(test_int_renders_decimal),
	    T(test_bool_renders_true_false),
	    T(test_null_string_renders_nothing),
	    T(test_list_and_object_interpolate_as_nothing),
	    T(test_missing_key_renders_nothing),
	    T(test_null_context_renders_text_only),
	    T(test_whitespace_inside_tags_is_ignored),
	    T(test_section_repeats_for_each_list_item),
	    T(test_section_over_long_list_renders_every_item),
	    T(test_section_pushes_object_once),
	    T(test_section_true_renders_once),
	    T(test_section_false_renders_nothing),
	    T(test_section_empty_list_renders_nothing),
	    T(test_section_zero_renders_nothing),
	    T(test_section_nonzero_int_renders_once),
	    T(test_section_empty_string_renders_nothing),
	    T(test_section_null_renders_nothing),
	    T(test_section_missing_renders_nothing),
	    T(test_inverted_renders_for_false),
	    T(test_inverted_renders_for_empty_list),
	    T(test_inverted_renders_for_missing),
	    T(test_inverted_skips_for_true),
	    T(test_inverted_skips_for_nonempty_list),
	    T(test_inverted_keeps_outer_context),
	    T(test_nested_section_looks_up_outer_context),
	    T(test_inner_context_shadows_outer),
	    T(test_dotted_section_name_closes),
	    T(test_dotted_name_walks_objects),
	    T(test_dotted_name_missing_part_renders_nothing),
	    T(test_dotted_name_does_not_fall_back_after_first_part),
	    T(test_dot_renders_current_item),
	    T(test_dot_at_top_renders_context),
	    T(test_partial_renders_with_same_context),
	    T(test_partial_in_subfolder),
	    T(test_self_recursive_partial_stops_at_depth_16),
	    T(test_message_tag_is_escaped_text),
	    T(test_message_tag_takes_names_as_arguments),
	    T(test_message_tag_errors),
	    T(test_strict_missing_variable_fails_naming_template_and_name),
	    T(test_strict_null_value_and_sections_over_missing_names_pass),
	    T(test_unknown_template_is_named),
	    T(test_mutually_recursive_partials_terminate),
	    T(test_comment_renders_nothing),
	    T(test_name_is_file_name_without_html),
	    T(test_non_html_files_are_ignored),
	    T(test_many_templates_are_all_found),
	    T(test_render_unknown_name_returns_minus_one),
	    T(test_render_appends_to_output),
	    T(test_tv_set_replaces_existing_key),
	    T(test_tv_set_grows_object),
	    T(test_tv_get_finds_plain_keys_only),
	    T(test_tv_len_counts_list_items),
	    T(test_err_unclosed_section_reports_open_line),
	    T(test_err_mismatched_close_reports_close_line),
	    T(test_err_close_without_open),
	    T(test_err_unclosed_tag),
	    T(test_err_unclosed_triple),
	    T(test_err_unclosed_comment),
	    T(test_err_unknown_partial),
	    T(test_err_empty_name),
	    T(test_err_empty_section_name),
	    T(test_err_invalid_name),
	    T(test_err_line_counts_newlines_in_tags),
	    T(test_err_duplicate_template),
	    T(test_err_sections_nested_too_deep),
	    T(test_err_truncated_to_buffer),
	};
	return cmocka_run_group_tests_name("tmpl", tests, NULL, NULL);
}
