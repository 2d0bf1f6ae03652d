/*
 * t0600: the JSON API v1 — shapes of list and item, create and partial
 * update, malformed and invalid bodies, session clients and CSRF, and
 * personal data only for those allowed to see it.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define ECO "NPOエコラボ"

/* Authorization header of one admin token for the whole file. */
static const char *const *admin_auth(struct server *s)
{
	static const char *h[2];
	if (!h[0])
		h[0] = hfmt("Authorization: Bearer %s", add_token(s, add_user(s, "admin")));
	return h;
}

static const char *valid_json(const char *name)
{
	return hfmt("{\"name\":\"%s\",\"name_kana\":\"えーぴーあい\",\"kind\":\"任意団体\","
		    "\"purpose\":\"APIで登録した団体です。\"}",
		    name);
}

/* POST as admin; expects 201 and returns the new id. */
static long long api_create(struct server *s, const char *body)
{
	struct resp *r = send_json(client_new(s), "POST", "/api/v1/groups", body, admin_auth(s));
	assert_status(r, 201);
	const char *id = json_at(r, "id");
	if (!id)
		fail_msg("no id in %s", BODY(r));
	return atoll(id);
}

static struct resp *api_post(struct server *s, const char *body)
{
	return send_json(client_new(s), "POST", "/api/v1/groups", body, admin_auth(s));
}

static void list_has_items_total_page_per_page(void **state)
{
	struct resp *r = get(client_new(*state), "/api/v1/groups");
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_int_equal(json_size_at(r, ""), 4);
	assert_string_equal(json_at(r, "total"), "16");
	assert_string_equal(json_at(r, "page"), "1");
	assert_string_equal(json_at(r, "per_page"), "20");
	assert_int_equal(json_size_at(r, "items"), 16);
	/* 50音順, as the HTML list. */
	assert_string_equal(json_at(r, "items.0.name_kana"),
			    "エヌピーオーウェルビーイング　ライフサポートカナザワ");
	const char *keys[] = {"id",	"name", "name_kana", "kind",
			      "themes", "city", "town",	     "members"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_at(r, hfmt("items.0.%s", keys[i])))
			fail_msg("list item has no \"%s\": %s", keys[i], BODY(r));
}

static void item_has_every_public_field(void **state)
{
	struct server *s = *state;
	struct resp *r =
	    get(client_new(s), hfmt("/api/v1/groups/%lld", (long long)group_id(s, ECO)));
	assert_status(r, 200);
	assert_string_equal(json_at(r, "id"), hfmt("%lld", (long long)group_id(s, ECO)));
	assert_string_equal(json_at(r, "name"), ECO);
	assert_string_equal(json_at(r, "name_kana"), "エヌピーオーエコラボ");
	assert_string_equal(json_at(r, "kind"), "NPO法人");
	assert_string_equal(json_at(r, "founded"), "null");
	assert_string_equal(json_at(r, "members"), "null");
	assert_int_equal(json_size_at(r, "themes"), 3);
	assert_string_equal(json_at(r, "awards"),
			    "[\"2020 いいね金沢環境活動賞\",\"2022 農林水産大臣賞\"]");
	assert_string_equal(json_at(r, "sns"), "[]");
	assert_string_equal(json_at(r, "pref"), "石川県");
	assert_string_equal(json_at(r, "city"), "金沢市");
	assert_string_equal(json_at(r, "archived"), "false");
	assert_non_null(json_at(r, "purpose"));
	assert_non_null(json_at(r, "website"));
	assert_non_null(json_at(r, "public_contact"));
	assert_null(json_at(r, "private_contact"));
	assert_null(json_at(r, "street"));
	assert_null(json_at(r, "building"));
}

static void unknown_item_gives_404_json(void **state)
{
	struct resp *r = get(client_new(*state), "/api/v1/groups/999999");
	assert_status(r, 404);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_string_equal(json_at(r, "error"), "団体が見つかりません。");
}

static void post_creates_with_201_id_and_location(void **state)
{
	struct server *s = *state;
	struct resp *r = api_post(
	    s, "{\"name\":\"API環境クラブ\",\"name_kana\":\"えーぴーあいかんきょうくらぶ\","
	       "\"kind\":\"NPO法人\",\"purpose\":\"目的\",\"founded\":\"2020-04\","
	       "\"members\":7,\"themes\":[\"環境\",\"教育\"],"
	       "\"awards\":[\"2021 いいね金沢環境活動賞\"],\"website\":\"https://example.jp/\"}");
	assert_status(r, 201);
	const char *id = json_at(r, "id");
	assert_non_null(id);
	assert_string_equal(header_of(r, "Location"), hfmt("/api/v1/groups/%s", id));
	r = get(client_new(s), hfmt("/api/v1/groups/%s", id));
	assert_status(r, 200);
	assert_string_equal(json_at(r, "name"), "API環境クラブ");
	assert_string_equal(json_at(r, "name_kana"), "エーピーアイカンキョウクラブ");
	assert_string_equal(json_at(r, "founded"), "2020-04");
	assert_string_equal(json_at(r, "members"), "7");
	assert_string_equal(json_at(r, "themes"), "[\"環境\",\"教育\"]");
	assert_string_equal(json_at(r, "awards"), "[\"2021 いいね金沢環境活動賞\"]");
	assert_string_equal(json_at(r, "website"), "https://example.jp/");
}

static void number_is_accepted_as_text(void **state)
{
	struct resp *r = api_post(*state, "{\"name\":12345,\"name_kana\":\"スウジ\",\"kind\":"
					  "\"任意団体\",\"purpose\":\"数字の名前\"}");
	assert_status(r, 201);
	assert_string_equal(json_at(r, "name"), "12345");
}

static void patch_changes_only_sent_fields(void **state)
{
	struct server *s = *state;
	long long id = api_create(
	    s, "{\"name\":\"部分更新の団体\",\"name_kana\":\"ブブン\",\"kind\":\"任意団体\","
	       "\"purpose\":\"元の目的\",\"members\":3,\"themes\":[\"福祉\"],"
	       "\"private_contact\":\"元の連絡先\"}");
	const char *path = hfmt("/api/v1/groups/%lld", id);
	struct resp *r = send_json(client_new(s), "PATCH", path, "{\"members\":30}", admin_auth(s));
	assert_status(r, 200);
	assert_string_equal(json_at(r, "members"), "30");
	r = get(client_new(s), path);
	assert_string_equal(json_at(r, "name"), "部分更新の団体");
	assert_string_equal(json_at(r, "purpose"), "元の目的");
	assert_string_equal(json_at(r, "themes"), "[\"福祉\"]");
	assert_string_equal(json_at(r, "members"), "30");
	assert_string_equal(sql(s, "SELECT private_contact FROM groups WHERE id = %lld", id),
			    "元の連絡先");
	/* And an array field alone. */
	r = send_json(client_new(s), "PATCH", path, "{\"themes\":[\"防災\",\"教育\"]}",
		      admin_auth(s));
	assert_status(r, 200);
	r = get(client_new(s), path);
	assert_string_equal(json_at(r, "themes"), "[\"防災\",\"教育\"]");
	assert_string_equal(json_at(r, "members"), "30");
	assert_string_equal(json_at(r, "purpose"), "元の目的");
}

static void patch_with_invalid_value_changes_nothing(void **state)
{
	struct server *s = *state;
	long long id = api_create(s, valid_json("不正PATCHの団体"));
	const char *path = hfmt("/api/v1/groups/%lld", id);
	struct resp *r =
	    send_json(client_new(s), "PATCH", path,
		      "{\"members\":99,\"website\":\"ftp://example.jp\"}", admin_auth(s));
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.website"),
			    "ウェブサイトは http:// または https:// で始まるURLを入力してください");
	assert_string_equal(json_at(get(client_new(s), path), "members"), "null");
}

static void patch_of_unknown_group_gives_404(void **state)
{
	struct resp *r = send_json(client_new(*state), "PATCH", "/api/v1/groups/999999",
				   "{\"members\":1}", admin_auth(*state));
	assert_status(r, 404);
}

static void malformed_json_gives_400(void **state)
{
	static const char *const bodies[] = {"{\"name\":", "{name: 1}", "{\"a\":1,}",
					     "",	   "{'a':1}",	"{\"a\":1}{\"b\":2}"};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct resp *r = api_post(*state, bodies[i]);
		if (r->status != 400)
			fail_msg("body %s gave %ld, not 400", bodies[i], r->status);
		assert_string_equal(json_at(r, "error"), "JSONの形式が正しくありません。");
	}
}

static void non_object_json_gives_400(void **state)
{
	static const char *const bodies[] = {"[1,2]", "\"name\"", "42", "null", "true"};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct resp *r = api_post(*state, bodies[i]);
		if (r->status != 400)
			fail_msg("body %s gave %ld, not 400", bodies[i], r->status);
	}
}

static void duplicate_key_gives_400(void **state)
{
	struct resp *r = api_post(*state, "{\"name\":\"A\",\"name\":\"B\",\"name_kana\":\"ア\","
					  "\"kind\":\"任意団体\",\"purpose\":\"x\"}");
	assert_status(r, 400);
}

static void invalid_fields_give_422_with_japanese_errors(void **state)
{
	int64_t before = sql_int(*state, "SELECT count(*) FROM groups");
	struct resp *r = api_post(*state, "{\"name\":\"\",\"name_kana\":\"漢字\",\"kind\":"
					  "\"宗教団体\",\"purpose\":\"x\",\"members\":\"多数\"}");
	assert_status(r, 422);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_string_equal(json_at(r, "errors.name"), "団体名を入力してください");
	assert_string_equal(json_at(r, "errors.name_kana"),
			    "団体名（フリガナ）はカタカナまたはひらがなで入力してください");
	assert_string_equal(json_at(r, "errors.kind"), "団体の種類は選択肢から選んでください");
	assert_string_equal(json_at(r, "errors.members"),
			    "会員数は0〜1000000の数字で入力してください");
	assert_int_equal(json_size_at(r, "errors"), 4);
	assert_int_equal(sql_int(*state, "SELECT count(*) FROM groups"), before);
}

static void unknown_key_gives_422_naming_it(void **state)
{
	struct resp *r = api_post(*state, "{\"name\":\"余分\",\"name_kana\":\"ヨブン\",\"kind\":"
					  "\"任意団体\",\"purpose\":\"x\",\"is_admin\":true}");
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.is_admin"), "不明な項目です");
	assert_int_equal(json_size_at(r, "errors"), 1);
}

static void object_value_gives_422(void **state)
{
	struct resp *r = api_post(*state, "{\"name\":{\"a\":1},\"name_kana\":\"カタ\",\"kind\":"
					  "\"任意団体\",\"purpose\":\"x\"}");
	assert_status(r, 422);
	assert_non_null(json_at(r, "errors.name"));
}

static void array_of_objects_gives_422(void **state)
{
	struct resp *r = api_post(*state, "{\"name\":\"配列\",\"name_kana\":\"カタ\",\"kind\":"
					  "\"任意団体\",\"purpose\":\"x\",\"themes\":[{\"x\":1}]}");
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.themes"), "値の型が正しくありません");
}

static void fractional_number_gives_422(void **state)
{
	struct resp *r = api_post(*state, "{\"name\":\"小数\",\"name_kana\":\"カタ\",\"kind\":"
					  "\"任意団体\",\"purpose\":\"x\",\"members\":1.5}");
	assert_status(r, 422);
	assert_non_null(json_at(r, "errors.members"));
}

static void array_for_single_field_gives_422(void **state)
{
	struct resp *r = api_post(*state, "{\"name\":[\"A\",\"B\"],\"name_kana\":\"カタ\",\"kind\":"
					  "\"任意団体\",\"purpose\":\"x\"}");
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.name"), "値は1つだけ指定してください");
}

static void session_with_csrf_header_can_post(void **state)
{
	struct server *s = *state;
	struct client *c = client_as(s, add_user(s, "coordinator"));
	const char *h[] = {hfmt("X-CSRF-Token: %s", client_csrf(c)), NULL};
	struct resp *r = send_json(c, "POST", "/api/v1/groups", valid_json("セッションの団体"), h);
	assert_status(r, 201);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM groups WHERE name = 'セッションの団体'"),
			 1);
}

static void session_without_csrf_header_gives_403(void **state)
{
	struct server *s = *state;
	struct client *c = client_as(s, add_user(s, "coordinator"));
	struct resp *r = send_json(c, "POST", "/api/v1/groups", valid_json("CSRFなしの団体"), NULL);
	assert_status(r, 403);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	const char *h[] = {"X-CSRF-Token: wrong", NULL};
	r = send_json(c, "POST", "/api/v1/groups", valid_json("CSRFなしの団体"), h);
	assert_status(r, 403);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM groups WHERE name = 'CSRFなしの団体'"),
			 0);
}

static void private_contact_only_for_staff(void **state)
{
	struct server *s = *state;
	long long id = api_create(
	    s, "{\"name\":\"非公開情報の団体\",\"name_kana\":\"ヒコウカイ\",\"kind\":\"任意団体\","
	       "\"purpose\":\"x\",\"private_contact\":\"秘密の電話 076-000-1234\","
	       "\"street\":\"秘密の番地 9-9\"}");
	const char *path = hfmt("/api/v1/groups/%lld", id);
	struct resp *r = get(client_new(s), path);
	assert_status(r, 200);
	assert_null(json_at(r, "private_contact"));
	assert_null(json_at(r, "street"));
	assert_not_contains(BODY(r), "076-000-1234");
	assert_not_contains(BODY(r), "秘密の番地");
	/* The list never has it either. */
	assert_not_contains(
	    BODY(get(client_new(s), "/api/v1/groups?q=%E9%9D%9E%E5%85%AC%E9%96%8B")),
	    "076-000-1234");
	/* Admin by token and by session. */
	r = request(client_new(s), "GET", path, admin_auth(s), NULL, NULL);
	assert_string_equal(json_at(r, "private_contact"), "秘密の電話 076-000-1234");
	assert_string_equal(json_at(r, "street"), "秘密の番地 9-9");
	r = get(client_as(s, add_user(s, "admin")), path);
	assert_string_equal(json_at(r, "private_contact"), "秘密の電話 076-000-1234");
	/* A reviewer is logged in but not entitled. */
	r = get(client_as(s, add_user(s, "reviewer")), path);
	assert_status(r, 200);
	assert_null(json_at(r, "private_contact"));
}

static void unsupported_method_gives_405_json_with_allow(void **state)
{
	struct resp *r = send_json(client_new(*state), "PUT",
				   hfmt("/api/v1/groups/%lld", (long long)group_id(*state, ECO)),
				   "{}", admin_auth(*state));
	assert_status(r, 405);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_non_null(json_at(r, "error"));
	const char *allow = header_of(r, "Allow");
	assert_non_null(allow);
	assert_contains(allow, "PATCH");
	assert_contains(allow, "GET");
	assert_not_contains(allow, "PUT");
}

static void unknown_api_path_gives_404_json(void **state)
{
	struct resp *r = get(client_new(*state), "/api/v1/nothing");
	assert_status(r, 404);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_non_null(json_at(r, "error"));
}

static void list_query_errors_give_422(void **state)
{
	struct resp *r = get(client_new(*state), "/api/v1/groups?page=abc");
	assert_status(r, 422);
	assert_non_null(json_at(r, "errors.page"));
	r = get(client_new(*state), "/api/v1/groups?bogus=1");
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.bogus"), "不明な項目です");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    /* First, while only the demo groups exist. */
	    cmocka_unit_test(list_has_items_total_page_per_page),
	    cmocka_unit_test(item_has_every_public_field),
	    cmocka_unit_test(unknown_item_gives_404_json),
	    cmocka_unit_test(post_creates_with_201_id_and_location),
	    cmocka_unit_test(number_is_accepted_as_text),
	    cmocka_unit_test(patch_changes_only_sent_fields),
	    cmocka_unit_test(patch_with_invalid_value_changes_nothing),
	    cmocka_unit_test(patch_of_unknown_group_gives_404),
	    cmocka_unit_test(malformed_json_gives_400),
	    cmocka_unit_test(non_object_json_gives_400),
	    cmocka_unit_test(duplicate_key_gives_400),
	    cmocka_unit_test(invalid_fields_give_422_with_japanese_errors),
	    cmocka_unit_test(unknown_key_gives_422_naming_it),
	    cmocka_unit_test(object_value_gives_422),
	    cmocka_unit_test(array_of_objects_gives_422),
	    cmocka_unit_test(fractional_number_gives_422),
	    cmocka_unit_test(array_for_single_field_gives_422),
	    cmocka_unit_test(session_with_csrf_header_can_post),
	    cmocka_unit_test(session_without_csrf_header_gives_403),
	    cmocka_unit_test(private_contact_only_for_staff),
	    cmocka_unit_test(unsupported_method_gives_405_json_with_allow),
	    cmocka_unit_test(unknown_api_path_gives_404_json),
	    cmocka_unit_test(list_query_errors_give_422),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
