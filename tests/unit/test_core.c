/*
 * Unit tests for the core pieces: arena, str/buf, router, urlenc parser,
 * form validators and password hashing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "accounts/auth.h"
#include "http/req.h"
#include "http/router.h"
#include "http/urlenc.h"
#include "util/arena.h"
#include "util/csv.h"
#include "util/form.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/str.h"

/* ---- arena and buffers ---- */

static void test_arena_alloc_is_zeroed_and_aligned(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (int i = 1; i < 100; i++) {
		unsigned char *p = arena_alloc(&a, (size_t)i);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (int k = 0; k < i; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, (size_t)i);
	}
	arena_free(&a);
}

static void test_arena_large_allocation_gets_own_block(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char *small = arena_strdup(&a, "before");
	char *big = arena_alloc(&a, 1 << 20);
	memset(big, 'x', 1 << 20);
	assert_string_equal(small, "before");
	assert_true(a.total >= (1 << 20));
	arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
}

static void test_arena_printf_formats(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(arena_printf(&a, "%s-%d", "団体", 42), "団体-42");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	arena_free(&a);
}

static void test_buf_grows_and_stays_terminated(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_addc(&b, 'a');
	assert_int_equal(b.n, 1000);
	assert_int_equal(b.p[1000], '\0');
	buf_printf(&b, "%d", 7);
	assert_int_equal(b.n, 1001);
	size_t len;
	char *p = buf_detach(&b, &len);
	assert_int_equal(len, 1001);
	assert_null(b.p);
	free(p);
}

static void test_buf_add_html_escapes_all_five(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *in = "<a href=\"x\">Tom & Jerry's</a>";
	buf_add_html(&b, in, strlen(in));
	assert_string_equal(b.p, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	buf_release(&b);
}

static void test_buf_add_urlenc_encodes_reserved_and_utf8(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add_urlenc(&b, "a b&c=ま", strlen("a b&c=ま"));
	assert_string_equal(b.p, "a%20b%26c%3D%E3%81%BE");
	buf_release(&b);
}

static void test_str_to_i64_bounds(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(str_to_i64(str_c("42"), 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(str_to_i64(str_c("101"), 0, 100, &v), -1);
	assert_int_equal(str_to_i64(str_c("-1"), 0, 100, &v), -1);
	assert_int_equal(str_to_i64(str_c("9223372036854775808"), 0, INT64_MAX, &v), -1);
	assert_int_equal(str_to_i64(str_c("12a"), 0, 100, &v), -1);
	assert_int_equal(str_to_i64(str_c(""), 0, 100, &v), -1);
}

/* ---- router ---- */

static void h_dummy(struct req *r)
{
	(void)r;
}
static void h_other(struct req *r)
{
	(void)r;
}

static const struct route routes[] = {
    {M_GET, "/", h_dummy, 0, 0},
    {M_GET, "/groups", h_dummy, 0, 0},
    {M_GET, "/groups/new", h_other, 0, 0},
    {M_GET, "/groups/{id}", h_dummy, 0, 0},
    {M_POST, "/groups/{id}", h_other, 0, 0},
    {M_GET, "/groups/{id}/edit", h_other, 0, 0},
    {M_GET, "/feeds/{id}.ics", h_other, 0, 0},
    {M_GET, "/feeds/{id}", h_dummy, 0, 0},
};
static const struct route_table table = {routes, sizeof(routes) / sizeof(routes[0])};
static const struct route_table *const tables[] = {&table};

static enum route_result match(const char *path, enum method m, const struct route **out,
			       const char **params, int *np, unsigned *allow, struct arena *a)
{
	return router_match(tables, 1, m, path, a, params, np, out, allow);
}

/* The same routes in the reverse order, the parameter routes first, and a
 * literal route in a second table after a parameter route in the first. */
static const struct route reversed[] = {
    {M_GET, "/feeds/{id}", h_dummy, 0, 0},
    {M_GET, "/feeds/{id}.ics", h_other, 0, 0},
    {M_GET, "/groups/{id}/edit", h_other, 0, 0},
    {M_POST, "/groups/{id}", h_other, 0, 0},
    {M_GET, "/groups/{id}", h_dummy, 0, 0},
    {M_GET, "/groups", h_dummy, 0, 0},
    {M_GET, "/", h_dummy, 0, 0},
};
static const struct route late_literal[] = {
    {M_GET, "/groups/new", h_other, 0, 0},
    {M_GET, "/{section}/new", h_dummy, 0, 0},
    {M_GET, "/groups/{id}/{what}", h_dummy, 0, 0},
};

static enum route_result match_reversed(const char *path, const struct route **out,
					const char **params, int *np, struct arena *a)
{
	static const struct route_table t1 = {reversed, sizeof(reversed) / sizeof(reversed[0])};
	static const struct route_table t2 = {late_literal,
					      sizeof(late_literal) / sizeof(late_literal[0])};
	static const struct route_table *const both[] = {&t1, &t2};
	unsigned allow;
	return router_match(both, 2, M_GET, path, a, params, np, out, &allow);
}

static void test_router_order_does_not_matter(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int np;
	/* /groups/{id} stands first, /groups/new in a later table: the
	 * literal still wins, and so does the more literal first segment
	 * over /{section}/new. */
	assert_int_equal(match_reversed("/groups/new", &rt, params, &np, &a), ROUTE_OK);
	assert_ptr_equal(rt, &late_literal[0]);
	assert_int_equal(np, 0);
	/* A parameter with a suffix beats a bare parameter wherever it stands. */
	assert_int_equal(match_reversed("/feeds/9.ics", &rt, params, &np, &a), ROUTE_OK);
	assert_ptr_equal(rt, &reversed[1]);
	assert_string_equal(params[0], "9");
	assert_int_equal(match_reversed("/feeds/9", &rt, params, &np, &a), ROUTE_OK);
	assert_ptr_equal(rt, &reversed[0]);
	/* /groups/{id}/edit (literal last segment) beats /groups/{id}/{what}. */
	assert_int_equal(match_reversed("/groups/5/edit", &rt, params, &np, &a), ROUTE_OK);
	assert_ptr_equal(rt, &reversed[2]);
	assert_int_equal(match_reversed("/groups/5/other", &rt, params, &np, &a), ROUTE_OK);
	assert_ptr_equal(rt, &late_literal[2]);
	assert_string_equal(params[1], "other");
	/* Other sections still fall to the parameter route. */
	assert_int_equal(match_reversed("/events/new", &rt, params, &np, &a), ROUTE_OK);
	assert_ptr_equal(rt, &late_literal[1]);
	assert_string_equal(params[0], "events");
	arena_free(&a);
}

static void test_router_literal_wins(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int np;
	unsigned allow;
	assert_int_equal(match("/groups/new", M_GET, &rt, params, &np, &allow, &a), ROUTE_OK);
	assert_ptr_equal(rt->handler, h_other);
	assert_int_equal(np, 0);
	arena_free(&a);
}

static void test_router_extracts_parameter(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int np;
	unsigned allow;
	assert_int_equal(match("/groups/42/edit", M_GET, &rt, params, &np, &allow, &a), ROUTE_OK);
	assert_int_equal(np, 1);
	assert_string_equal(params[0], "42");
	assert_ptr_equal(rt, &routes[5]);
	arena_free(&a);
}

static void test_router_head_uses_get(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int np;
	unsigned allow;
	assert_int_equal(match("/groups", M_HEAD, &rt, params, &np, &allow, &a), ROUTE_OK);
	assert_ptr_equal(rt, &routes[1]);
	arena_free(&a);
}

static void test_router_405_lists_allowed_methods(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int np;
	unsigned allow = 0;
	assert_int_equal(match("/groups/7", M_DELETE, &rt, params, &np, &allow, &a),
			 ROUTE_BAD_METHOD);
	assert_true(allow & (1u << M_GET));
	assert_true(allow & (1u << M_POST));
	assert_true(allow & (1u << M_HEAD));
	assert_false(allow & (1u << M_PATCH));
	arena_free(&a);
}

static void test_router_404_for_unknown_and_partial_paths(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int np;
	unsigned allow;
	assert_int_equal(match("/nope", M_GET, &rt, params, &np, &allow, &a), ROUTE_NOT_FOUND);
	assert_int_equal(match("/groups/", M_GET, &rt, params, &np, &allow, &a), ROUTE_NOT_FOUND);
	assert_int_equal(match("/groups/1/edit/x", M_GET, &rt, params, &np, &allow, &a),
			 ROUTE_NOT_FOUND);
	assert_int_equal(match("/groupsx", M_GET, &rt, params, &np, &allow, &a), ROUTE_NOT_FOUND);
	arena_free(&a);
}

static void test_router_parameter_with_literal_suffix(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const struct route *rt;
	const char *params[REQ_MAX_PARAMS];
	int np;
	unsigned allow;
	assert_int_equal(match("/feeds/12.ics", M_GET, &rt, params, &np, &allow, &a), ROUTE_OK);
	assert_ptr_equal(rt->handler, h_other);
	assert_string_equal(params[0], "12");
	/* Without the suffix the next route takes the whole segment. */
	assert_int_equal(match("/feeds/12", M_GET, &rt, params, &np, &allow, &a), ROUTE_OK);
	assert_ptr_equal(rt->handler, h_dummy);
	/* The suffix alone is not a value. */
	assert_int_equal(match("/feeds/.ics", M_GET, &rt, params, &np, &allow, &a), ROUTE_OK);
	assert_ptr_equal(rt->handler, h_dummy);
	arena_free(&a);
}

/* ---- urlenc ---- */

static void test_urlenc_decodes_plus_and_percent(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct kv *kv;
	size_t n;
	const char *s = "q=%E3%81%BE%E3%81%A1+x&page=2&flag&&empty=";
	assert_int_equal(urlenc_parse(&a, s, strlen(s), 10, &kv, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(kv[0].key, "q");
	assert_string_equal(kv[0].val, "まち x");
	assert_string_equal(kv[1].val, "2");
	assert_string_equal(kv[2].key, "flag");
	assert_string_equal(kv[2].val, "");
	assert_string_equal(kv[3].key, "empty");
	arena_free(&a);
}

static void test_urlenc_rejects_bad_escapes_nul_and_bad_utf8(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct kv *kv;
	size_t n;
	const char *bad[] = {"a=%G1", "a=%4", "a=%", "a=%00", "a=%FF", "%E3%81=1", "=novalue"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(urlenc_parse(&a, bad[i], strlen(bad[i]), 10, &kv, &n), -1);
	arena_free(&a);
}

static void test_urlenc_limits_pair_count(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct kv *kv;
	size_t n;
	assert_int_equal(urlenc_parse(&a, "a=1&b=2&c=3", 11, 3, &kv, &n), 0);
	assert_int_equal(urlenc_parse(&a, "a=1&b=2&c=3&d=4", 15, 3, &kv, &n), -1);
	arena_free(&a);
}

/* ---- form validators ---- */

static const char *const colours[] = {"赤", "青", NULL};
enum { T_NAME, T_KANA, T_AGE, T_MAIL, T_URL, T_COLOUR, T_TAGS, T_MONTH, T_PW, T__MAX };
static const struct field_spec spec[T__MAX] = {
    [T_NAME] = {"name", "団体名", F_LINE, true, 5, 0, 0, NULL},
    [T_KANA] = {"kana", "フリガナ", F_KANA, false, 20, 0, 0, NULL},
    [T_AGE] = {"age", "年齢", F_INT, false, 3, 0, 120, NULL},
    [T_MAIL] = {"mail", "メール", F_EMAIL, false, 100, 0, 0, NULL},
    [T_URL] = {"url", "URL", F_URL, false, 100, 0, 0, NULL},
    [T_COLOUR] = {"colour", "色", F_CHOICE, false, 10, 0, 0, colours},
    [T_TAGS] = {"tags", "タグ", F_MULTI, false, 10, 0, 0, NULL},
    [T_MONTH] = {"month", "設立年月", F_MONTH, false, 7, 0, 0, NULL},
    [T_PW] = {"pw", "パスワード", F_PASSWORD, false, 128, 0, 0, NULL},
};

static int check(struct arena *a, struct form *f, const struct kv *kv, size_t n)
{
	return form_check(a, spec, T__MAX, kv, n, f);
}

#define KV(k, v)                                                                                   \
	{                                                                                          \
		(k), (v), sizeof(v) - 1                                                            \
	}

static void test_form_required_field_missing_gives_japanese_message(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	assert_int_equal(check(&a, &f, NULL, 0), 1);
	assert_string_equal(f.v[T_NAME].error, "団体名を入力してください");
	arena_free(&a);
}

/* ---- response headers ---- */

/* A header that does not fit is not dropped quietly: the request is marked
 * and the server answers 500 instead (http/server.c send_response). */
static void test_ninth_response_header_marks_the_answer_as_failed(void **state)
{
	(void)state;
	struct req r = {0};
	arena_init(&r.arena);
	r.path = "/x";
	for (int i = 0; i < REQ_MAX_HEADERS; i++)
		resp_header(&r, "X-Test", "v");
	assert_int_equal(r.nheaders, REQ_MAX_HEADERS);
	assert_false(r.headers_overflow);
	resp_header(&r, "X-One-Too-Many", "v");
	assert_int_equal(r.nheaders, REQ_MAX_HEADERS);
	assert_true(r.headers_overflow);
	arena_free(&r.arena);
}

/* A label that is a catalogue key is shown as its words; form_error()
 * takes a key and records the words (literal text still passes through). */
static void test_form_label_and_error_keys_are_translated(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	static const struct field_spec keyed[] = {
	    {"x", "web.select_prompt", F_LINE, true, 10, 0, 0, NULL},
	};
	struct form f;
	assert_int_equal(form_check(&a, keyed, 1, NULL, 0, &f), 1);
	assert_string_equal(f.v[0].error, "選択してくださいを入力してください");
	form_error(&f, 0, "form.email");
	assert_string_equal(f.v[0].error, msg("form.email"));
	assert_int_equal(f.nerrors, 1);
	form_error(&f, 0, "そのままの文");
	assert_string_equal(f.v[0].error, "そのままの文");
	arena_free(&a);
}

static void test_form_length_counts_characters_not_bytes(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv ok[] = {KV("name", "まちづくり")};
	assert_int_equal(check(&a, &f, ok, 1), 0);
	const struct kv too_long[] = {KV("name", "まちづくり会")};
	assert_int_equal(check(&a, &f, too_long, 1), 1);
	assert_non_null(strstr(f.v[T_NAME].error, "5文字以内"));
	arena_free(&a);
}

static void test_form_trims_and_keeps_input(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv kv[] = {KV("name", "　 あ い\t"), KV("age", "abc")};
	assert_int_equal(check(&a, &f, kv, 2), 1);
	assert_string_equal(f.v[T_NAME].s, "あ い");
	assert_string_equal(f.v[T_AGE].s, "abc");
	assert_non_null(f.v[T_AGE].error);
	arena_free(&a);
}

static void test_form_int_accepts_fullwidth_digits_in_range(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv kv[] = {KV("name", "x"), KV("age", "１１５")};
	assert_int_equal(check(&a, &f, kv, 2), 0);
	assert_int_equal(f.v[T_AGE].i, 115);
	const struct kv out[] = {KV("name", "x"), KV("age", "121")};
	assert_int_equal(check(&a, &f, out, 2), 1);
	arena_free(&a);
}

static void test_form_kana_converts_hiragana(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv kv[] = {KV("name", "x"), KV("kana", "かなざわ")};
	assert_int_equal(check(&a, &f, kv, 2), 0);
	assert_string_equal(f.v[T_KANA].s, "カナザワ");
	const struct kv bad[] = {KV("name", "x"), KV("kana", "金沢")};
	assert_int_equal(check(&a, &f, bad, 2), 1);
	assert_non_null(strstr(f.v[T_KANA].error, "カタカナまたはひらがな"));
	arena_free(&a);
}

static void test_form_email_and_url_validation(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv ok[] = {KV("name", "x"), KV("mail", "Ｉｎｆｏ@Example.JP"),
				KV("url", "https://example.jp/a?b=c")};
	assert_int_equal(check(&a, &f, ok, 3), 0);
	assert_string_equal(f.v[T_MAIL].s, "info@example.jp");
	const struct kv bad[] = {KV("name", "x"), KV("mail", "no-at-sign"),
				 KV("url", "javascript:alert(1)")};
	assert_int_equal(check(&a, &f, bad, 3), 2);
	arena_free(&a);
}

static void test_form_choice_must_be_listed(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv bad[] = {KV("name", "x"), KV("colour", "緑")};
	assert_int_equal(check(&a, &f, bad, 2), 1);
	assert_string_equal(f.v[T_COLOUR].error, "色は選択肢から選んでください");
	arena_free(&a);
}

static void test_form_unknown_and_repeated_keys_are_reported(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv kv[] = {KV("name", "x"), KV("evil", "1"), KV("name", "y"), KV("tags", "a"),
				KV("tags", "b")};
	check(&a, &f, kv, 5);
	assert_string_equal(f.unknown, "evil");
	assert_string_equal(f.repeated, "name");
	assert_string_equal(f.v[T_NAME].s, "x");
	assert_int_equal(f.v[T_TAGS].nlist, 2);
	arena_free(&a);
}

static void test_form_month_parses_and_rejects(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv ok[] = {KV("name", "x"), KV("month", "2018-06")};
	assert_int_equal(check(&a, &f, ok, 2), 0);
	assert_int_equal(f.v[T_MONTH].i, 201806);
	const struct kv bad[] = {KV("name", "x"), KV("month", "2018-13")};
	assert_int_equal(check(&a, &f, bad, 2), 1);
	arena_free(&a);
}

static void test_form_rejects_control_characters_and_newline_in_line(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv nl[] = {KV("name", "a\nb")};
	assert_int_equal(check(&a, &f, nl, 1), 1);
	const struct kv ctl[] = {KV("name", "a\x01")};
	assert_int_equal(check(&a, &f, ctl, 1), 1);
	arena_free(&a);
}

static void test_form_password_length(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv short_pw[] = {KV("name", "x"), KV("pw", "short")};
	assert_int_equal(check(&a, &f, short_pw, 2), 1);
	const struct kv ok[] = {KV("name", "x"), KV("pw", " ten chars ")};
	assert_int_equal(check(&a, &f, ok, 2), 0);
	assert_string_equal(f.v[T_PW].s, " ten chars ");
	arena_free(&a);
}

static void test_form_datetime_is_jst(void **state)
{
	(void)state;
	static const struct field_spec dt[] = {{"at", "日時", F_DATETIME, true, 20, 0, 0, NULL}};
	struct arena a;
	arena_init(&a);
	struct form f;
	const struct kv ok[] = {KV("at", "2025-04-01T09:00")};
	assert_int_equal(form_check(&a, dt, 1, ok, 1, &f), 0);
	/* 2025-04-01 00:00 UTC is 1743465600; 09:00 JST is that instant. */
	assert_int_equal(f.v[0].i, 1743465600);
	const struct kv bad[] = {KV("at", "2025-02-30T09:00")};
	assert_int_equal(form_check(&a, dt, 1, bad, 1, &f), 1);
	const struct kv late[] = {KV("at", "2025-04-01T24:00")};
	assert_int_equal(form_check(&a, dt, 1, late, 1, &f), 1);
	arena_free(&a);
}

static void test_jst_round_trip_across_midnight_and_leap_day(void **state)
{
	(void)state;
	struct jst t;
	jp_unix_to_jst(jp_jst_to_unix(2024, 2, 29, 23, 59, 59), &t);
	assert_int_equal(t.y, 2024);
	assert_int_equal(t.m, 2);
	assert_int_equal(t.d, 29);
	assert_int_equal(t.hh, 23);
	assert_int_equal(t.ss, 59);
	assert_int_equal(t.wday, 4); /* a Thursday */
	/* 2024-03-31 15:00 UTC is 2024-04-01 00:00 JST. */
	jp_unix_to_jst(1711897200, &t);
	assert_int_equal(t.m, 4);
	assert_int_equal(t.d, 1);
	assert_int_equal(t.hh, 0);
}

static void test_csv_field_quotes_guards_and_separates(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	csv_field(&b, "団体", true);
	csv_field(&b, "a,b", false);
	csv_field(&b, "say \"hi\"", false);
	csv_field(&b, "=SUM(A1)", false);
	csv_field(&b, "line1\nline2", false);
	csv_field(&b, NULL, false);
	assert_string_equal(b.p, "団体,\"a,b\",\"say \"\"hi\"\"\",\"'=SUM(A1)\","
				 "\"line1\r\nline2\",");
	buf_release(&b);
}

/* ---- passwords and tokens ---- */

static void test_password_hash_is_argon2id_and_verifies(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	char hash[crypto_pwhash_STRBYTES];
	assert_int_equal(auth_hash_password("correct horse battery", hash, sizeof(hash)), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_true(auth_check_password(hash, "correct horse battery"));
	assert_false(auth_check_password(hash, "correct horse batterx"));
}

static void test_password_hashes_are_salted(void **state)
{
	(void)state;
	char h1[crypto_pwhash_STRBYTES], h2[crypto_pwhash_STRBYTES];
	assert_int_equal(auth_hash_password("same password", h1, sizeof(h1)), 0);
	assert_int_equal(auth_hash_password("same password", h2, sizeof(h2)), 0);
	assert_string_not_equal(h1, h2);
}

static void test_tokens_are_random_and_hash_is_stable(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char *t1 = auth_new_token(&a), *t2 = auth_new_token(&a);
	assert_int_equal(strlen(t1), 43);
	assert_string_not_equal(t1, t2);
	assert_string_equal(auth_token_hash(&a, t1), auth_token_hash(&a, t1));
	assert_string_not_equal(auth_token_hash(&a, t1), auth_token_hash(&a, t2));
	assert_int_equal(strlen(auth_token_hash(&a, t1)), 64);
	arena_free(&a);
}

/* form.c words its messages from the catalogue. */
static int setup(void **state)
{
	(void)state;
	char err[256];
	if (msg_init(err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	msg_strict(true);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arena_alloc_is_zeroed_and_aligned),
	    cmocka_unit_test(test_arena_large_allocation_gets_own_block),
	    cmocka_unit_test(test_arena_printf_formats),
	    cmocka_unit_test(test_buf_grows_and_stays_terminated),
	    cmocka_unit_test(test_buf_add_html_escapes_all_five),
	    cmocka_unit_test(test_buf_add_urlenc_encodes_reserved_and_utf8),
	    cmocka_unit_test(test_str_to_i64_bounds),
	    cmocka_unit_test(test_router_literal_wins),
	    cmocka_unit_test(test_router_order_does_not_matter),
	    cmocka_unit_test(test_router_extracts_parameter),
	    cmocka_unit_test(test_router_head_uses_get),
	    cmocka_unit_test(test_router_405_lists_allowed_methods),
	    cmocka_unit_test(test_router_404_for_unknown_and_partial_paths),
	    cmocka_unit_test(test_router_parameter_with_literal_suffix),
	    cmocka_unit_test(test_urlenc_decodes_plus_and_percent),
	    cmocka_unit_test(test_urlenc_rejects_bad_escapes_nul_and_bad_utf8),
	    cmocka_unit_test(test_urlenc_limits_pair_count),
	    cmocka_unit_test(test_form_required_field_missing_gives_japanese_message),
	    cmocka_unit_test(test_ninth_response_header_marks_the_answer_as_failed),
	    cmocka_unit_test(test_form_label_and_error_keys_are_translated),
	    cmocka_unit_test(test_form_length_counts_characters_not_bytes),
	    cmocka_unit_test(test_form_trims_and_keeps_input),
	    cmocka_unit_test(test_form_int_accepts_fullwidth_digits_in_range),
	    cmocka_unit_test(test_form_kana_converts_hiragana),
	    cmocka_unit_test(test_form_email_and_url_validation),
	    cmocka_unit_test(test_form_choice_must_be_listed),
	    cmocka_unit_test(test_form_unknown_and_repeated_keys_are_reported),
	    cmocka_unit_test(test_form_month_parses_and_rejects),
	    cmocka_unit_test(test_form_rejects_control_characters_and_newline_in_line),
	    cmocka_unit_test(test_form_password_length),
	    cmocka_unit_test(test_form_datetime_is_jst),
	    cmocka_unit_test(test_csv_field_quotes_guards_and_separates),
	    cmocka_unit_test(test_jst_round_trip_across_midnight_and_leap_day),
	    cmocka_unit_test(test_password_hash_is_argon2id_and_verifies),
	    cmocka_unit_test(test_password_hashes_are_salted),
	    cmocka_unit_test(test_tokens_are_random_and_hash_is_stable),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
