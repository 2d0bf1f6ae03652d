/*
 * t0500: Japanese search over the group directory — substrings, full- and
 * half-width forms, short queries (the LIKE fallback), wildcard and FTS
 * metacharacters taken literally, the empty result and the JSON shape.
 */
#include "harness.h"

#include <jansson.h>
#include <string.h>

/* GET /groups?q=query (HTML). */
static struct resp *search(struct server *s, const char *query)
{
	struct resp *r = get(client_new(s), hfmt("/groups?q=%s", urlenc(query)));
	assert_status(r, 200);
	return r;
}

/* The API's total for ?q=query. */
static long long api_total(struct server *s, const char *query)
{
	struct resp *r = get(client_new(s), hfmt("/api/v1/groups?q=%s", urlenc(query)));
	assert_status(r, 200);
	json_error_t err;
	json_t *j = json_loads(BODY(r), 0, &err);
	if (!j)
		fail_msg("not JSON (%s): %.200s", err.text, BODY(r));
	json_t *t = json_object_get(j, "total");
	long long total = json_is_integer(t) ? json_integer_value(t) : -1;
	json_decref(j);
	if (total < 0)
		fail_msg("no integer \"total\" in %.200s", BODY(r));
	return total;
}

static void kanji_substring_finds_group(void **state)
{
	struct resp *r = search(*state, "兼六園");
	assert_contains(BODY(r), "金沢城・兼六園研究会");
	assert_contains(BODY(r), "検索結果（1件）");
	assert_int_equal(api_total(*state, "兼六園"), 1);
}

static void full_width_latin_finds_group(void **state)
{
	struct resp *r = search(*state, "ＮＰＯ");
	assert_contains(BODY(r), "NPOエコラボ");
	assert_not_contains(BODY(r), "金沢城・兼六園研究会");
}

static void lower_case_latin_finds_group(void **state)
{
	assert_contains(BODY(search(*state, "npo")), "NPOエコラボ");
	assert_contains(BODY(search(*state, "TAKE A")), "Take a step");
}

static void half_width_katakana_finds_group(void **state)
{
	struct resp *r = search(*state, "ｴｺﾗﾎﾞ");
	assert_contains(BODY(r), "NPOエコラボ");
	assert_contains(BODY(r), "検索結果（1件）");
}

static void two_character_query_uses_fallback(void **state)
{
	struct resp *r = search(*state, "兼六");
	assert_contains(BODY(r), "金沢城・兼六園研究会");
	assert_contains(BODY(r), "検索結果（1件）");
	r = search(*state, "防災");
	assert_contains(BODY(r), "多職種による防災知識のシェア団体 この指とまれ!");
	assert_contains(BODY(r), "さくらんぼすまいる"); /* 防災キャンプ in its purpose */
	assert_not_contains(BODY(r), "NPOエコラボ");
}

static void one_character_query_works(void **state)
{
	struct resp *r = search(*state, "城");
	assert_contains(BODY(r), "金沢城・兼六園研究会");
	assert_not_contains(BODY(r), "NPOエコラボ");
}

static void all_terms_must_match(void **state)
{
	assert_contains(BODY(search(*state, "研究会 兼六園")), "金沢城・兼六園研究会");
	assert_int_equal(api_total(*state, "研究会 兼六園"), 1);
	assert_int_equal(api_total(*state, "兼六園 存在しない語"), 0);
	/* A full-width space separates terms too. */
	assert_int_equal(api_total(*state, "研究会　兼六園"), 1);
}

static void short_term_in_query_still_matches_terms_separately(void **state)
{
	/* "金沢" is shorter than a trigram, so the query takes the fallback;
	 * its terms must still match separately, as they do in the index. */
	assert_contains(BODY(search(*state, "研究会 金沢")), "金沢城・兼六園研究会");
	assert_int_equal(api_total(*state, "研究会 金沢"), 1);
	assert_int_equal(api_total(*state, "金沢 研究会"), 1);
	assert_int_equal(api_total(*state, "兼六 存在しない語"), 0);
}

static void percent_and_underscore_match_literally(void **state)
{
	struct server *s = *state;
	static const char *const queries[] = {"%", "_", "%%", "__", "%%%", "___", "a%b", "\\"};
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		long long n = api_total(s, queries[i]);
		if (n != 0)
			fail_msg("q=%s matched %lld groups; expected none", queries[i], n);
	}
	struct resp *r = search(s, "%");
	assert_contains(BODY(r), "検索結果（0件）");
}

static void fts_syntax_in_query_is_taken_literally(void **state)
{
	struct server *s = *state;
	static const char *const queries[] = {
	    "\"",      "\"兼六園", "兼六園\"", "NEAR(",		 "AND OR NOT", "*",
	    "研究会*", "(兼六園)", "^兼六園",  "兼六園 OR 防災", "{name}:x"};
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		struct resp *r = get(client_new(s), hfmt("/groups?q=%s", urlenc(queries[i])));
		if (r->status != 200)
			fail_msg("q=%s gave %ld, not 200", queries[i], r->status);
	}
	/* "OR" is a word to look for, not an operator. */
	assert_int_equal(api_total(s, "兼六園 OR 防災"), 0);
}

static void no_results_shows_message(void **state)
{
	struct resp *r = search(*state, "どこにもない団体名");
	assert_contains(BODY(r), "検索結果（0件）");
	assert_contains(BODY(r), "条件に合う団体は見つかりませんでした。");
	assert_int_equal(count_of(BODY(r), "<li class=\"card\">"), 0);
}

static void query_is_kept_escaped_in_search_box(void **state)
{
	struct resp *r = search(*state, "兼六園");
	assert_contains(BODY(r), "name=\"q\" value=\"兼六園\"");
	r = search(*state, "\"><script>x</script>");
	assert_contains(BODY(r), "value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\"");
	assert_not_contains(BODY(r), "<script>x");
}

static void empty_fields_of_search_form_list_everything(void **state)
{
	/* The form sends every field; "すべて" is an empty value. */
	struct resp *r = get(client_new(*state), "/groups?q=&theme=&kind=");
	assert_status(r, 200);
	assert_contains(BODY(r), "団体一覧（16件）");
	r = get(client_new(*state), "/api/v1/groups?q=&theme=&kind=");
	assert_status(r, 200);
	assert_string_equal(json_at(r, "total"), "16");
}

static void overlong_query_gives_400(void **state)
{
	struct resp *r = get(client_new(*state), hfmt("/groups?q=%s", urlenc(repeat("あ", 101))));
	assert_status(r, 400);
	assert_contains(BODY(r), "検索条件が正しくありません。");
}

static void api_search_has_documented_shape(void **state)
{
	struct resp *r = get(client_new(*state), hfmt("/api/v1/groups?q=%s", urlenc("兼六園")));
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	json_error_t err;
	json_t *j = json_loads(BODY(r), 0, &err);
	if (!j)
		fail_msg("not JSON: %s", err.text);
	json_t *items = json_object_get(j, "items");
	bool ok = json_is_array(items) && json_array_size(items) == 1 &&
		  json_integer_value(json_object_get(j, "total")) == 1 &&
		  json_integer_value(json_object_get(j, "page")) == 1 &&
		  json_integer_value(json_object_get(j, "per_page")) == 20 &&
		  json_object_size(j) == 4;
	json_t *it = json_array_get(items, 0);
	const char *name = json_string_value(json_object_get(it, "name"));
	const char *kana = json_string_value(json_object_get(it, "name_kana"));
	ok = ok && json_is_integer(json_object_get(it, "id")) && name &&
	     strcmp(name, "金沢城・兼六園研究会") == 0 && kana &&
	     strcmp(kana, "カナザワジョウ・ケンロクエンケンキュウカイ") == 0 &&
	     json_is_array(json_object_get(it, "themes")) &&
	     json_integer_value(json_object_get(it, "members")) == 115;
	/* No personal data in search results. */
	ok = ok && !json_object_get(it, "private_contact") && !json_object_get(it, "street");
	json_decref(j);
	if (!ok)
		fail_msg("unexpected JSON: %s", BODY(r));
}

static void api_search_with_no_results_has_empty_items(void **state)
{
	struct resp *r =
	    get(client_new(*state), hfmt("/api/v1/groups?q=%s", urlenc("どこにもない団体名")));
	assert_status(r, 200);
	assert_string_equal(BODY(r), "{\"items\":[],\"total\":0,\"page\":1,\"per_page\":20}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kanji_substring_finds_group),
	    cmocka_unit_test(full_width_latin_finds_group),
	    cmocka_unit_test(lower_case_latin_finds_group),
	    cmocka_unit_test(half_width_katakana_finds_group),
	    cmocka_unit_test(two_character_query_uses_fallback),
	    cmocka_unit_test(one_character_query_works),
	    cmocka_unit_test(all_terms_must_match),
	    cmocka_unit_test(short_term_in_query_still_matches_terms_separately),
	    cmocka_unit_test(percent_and_underscore_match_literally),
	    cmocka_unit_test(fts_syntax_in_query_is_taken_literally),
	    cmocka_unit_test(no_results_shows_message),
	    cmocka_unit_test(query_is_kept_escaped_in_search_box),
	    cmocka_unit_test(empty_fields_of_search_form_list_everything),
	    cmocka_unit_test(overlong_query_gives_400),
	    cmocka_unit_test(api_search_has_documented_shape),
	    cmocka_unit_test(api_search_with_no_results_has_empty_items),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
