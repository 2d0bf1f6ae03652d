/*
 * t0300: who may use which route.  Residents (not logged in) are sent to
 * the login page or refused; each role gets exactly what the route table
 * grants; group members may edit their own group only; API clients are
 * refused with JSON.
 */
#include "harness.h"

#include <string.h>

#define GROUP_A "金沢城・兼六園研究会"
#define GROUP_B "NPOエコラボ"

struct route_case {
	const char *method, *path; /* {A} is replaced by group A's id */
};

/* Every protected route of the table that is tested here. */
static const struct route_case protected_get[] = {
    {"GET", "/groups/new"},  {"GET", "/groups/{A}/edit"}, {"GET", "/admin"},
    {"GET", "/admin/users"}, {"GET", "/admin/audit"},
};
static const struct route_case protected_post[] = {
    {"POST", "/groups"},
    {"POST", "/groups/{A}"},
    {"POST", "/groups/{A}/archive"},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *path_of(struct server *s, const char *pattern)
{
	const char *at = strstr(pattern, "{A}");
	if (!at)
		return pattern;
	return hfmt("%.*s%lld%s", (int)(at - pattern), pattern, (long long)group_id(s, GROUP_A),
		    at + 3);
}

/* The archive form has only "archived"; the group forms reject it as an
 * unknown key, so each POST gets a body its route accepts. */
static const char *body_for(const char *path, const char *name, const char *csrf)
{
	if (strstr(path, "/archive"))
		return form_body("archived", "1", "_csrf", csrf, NULL);
	return form_body("name", name, "name_kana", "テストダンタイ", "kind", "任意団体", "purpose",
			 "テストのための団体です。", "_csrf", csrf, NULL);
}

static int64_t public_groups(struct server *s)
{
	return sql_int(s, "SELECT count(*) FROM groups WHERE archived = 0");
}

static void resident_get_of_protected_page_redirects_to_login(void **state)
{
	struct client *c = client_new(*state);
	for (size_t i = 0; i < N(protected_get); i++) {
		const char *path = path_of(*state, protected_get[i].path);
		struct resp *r = get(c, path);
		assert_status(r, 303);
		const char *loc = header_of(r, "Location");
		const char *want = hfmt("/login?next=%s", urlenc(path));
		if (!loc || strcmp(loc, want) != 0)
			fail_msg("GET %s: Location %s, expected %s", path, loc ? loc : "(none)",
				 want);
	}
}

static void resident_post_without_csrf_is_refused(void **state)
{
	/* Either check may come first: 403 for the token or 401 for the login. */
	struct client *c = client_new(*state);
	int64_t before = public_groups(*state);
	for (size_t i = 0; i < N(protected_post); i++) {
		const char *path = path_of(*state, protected_post[i].path);
		struct resp *r = post_form(c, path, body_for(path, "侵入テスト団体", "x"));
		if (r->status != 401 && r->status != 403)
			fail_msg("POST %s without login or token: %ld, expected 401 or 403", path,
				 r->status);
	}
	assert_int_equal(public_groups(*state), before);
}

static void resident_post_with_visitor_csrf_gives_401(void **state)
{
	/* A visitor's own valid token passes the CSRF check; the login
	 * requirement must still refuse. */
	struct client *c = client_new(*state);
	const char *csrf = client_csrf(c);
	int64_t before = public_groups(*state);
	for (size_t i = 0; i < N(protected_post); i++) {
		const char *path = path_of(*state, protected_post[i].path);
		struct resp *r = post_form(c, path, body_for(path, "侵入テスト団体", csrf));
		assert_status(r, 401);
		assert_contains(BODY(r), "ログインしてください。");
	}
	assert_int_equal(public_groups(*state), before);
}

/* u gets 403 for every route in the list (POSTs with a valid token and a
 * valid body, so that only the permission can refuse). */
static void assert_refused(struct server *s, const struct huser *u, const struct route_case *cases,
			   size_t n)
{
	struct client *c = client_as(s, u);
	const char *csrf = client_csrf(c);
	for (size_t i = 0; i < n; i++) {
		const char *path = path_of(s, cases[i].path);
		struct resp *r = strcmp(cases[i].method, "GET") == 0
				     ? get(c, path)
				     : post_form(c, path, body_for(path, "権限テスト団体", csrf));
		if (r->status != 403)
			fail_msg("%s %s as %s: expected 403, got %ld", cases[i].method, path,
				 u->role, r->status);
		assert_contains(BODY(r), "権限がありません");
	}
}

static const struct route_case staff_routes[] = {
    {"GET", "/groups/new"},	     {"POST", "/groups"},
    {"GET", "/groups/{A}/edit"},     {"POST", "/groups/{A}"},
    {"POST", "/groups/{A}/archive"}, {"GET", "/admin"},
    {"GET", "/admin/users"},	     {"GET", "/admin/audit"},
};

static void division_is_refused_everywhere(void **state)
{
	int64_t before = public_groups(*state);
	assert_refused(*state, add_user(*state, "division"), staff_routes, N(staff_routes));
	assert_int_equal(public_groups(*state), before);
	assert_int_equal(
	    sql_int(*state, "SELECT count(*) FROM groups WHERE name = '権限テスト団体'"), 0);
}

static void reviewer_is_refused_everywhere(void **state)
{
	assert_refused(*state, add_user(*state, "reviewer"), staff_routes, N(staff_routes));
	assert_int_equal(
	    sql_int(*state, "SELECT count(*) FROM groups WHERE name = '権限テスト団体'"), 0);
}

static void member_of_other_group_cannot_edit(void **state)
{
	static const struct route_case edit[] = {{"GET", "/groups/{A}/edit"},
						 {"POST", "/groups/{A}"}};
	struct huser *u = add_member_of(*state, group_id(*state, GROUP_B));
	assert_refused(*state, u, edit, N(edit));
	assert_int_equal(sql_int(*state, "SELECT count(*) FROM groups WHERE purpose = '%s'",
				 "テストのための団体です。"),
			 0);
}

static void member_cannot_create_archive_or_administer(void **state)
{
	static const struct route_case others[] = {
	    {"GET", "/groups/new"}, {"POST", "/groups"},     {"POST", "/groups/{A}/archive"},
	    {"GET", "/admin"},	    {"GET", "/admin/users"}, {"GET", "/admin/audit"},
	};
	/* A member of group A itself: membership gives editing, nothing more. */
	struct huser *u = add_member_of(*state, group_id(*state, GROUP_A));
	assert_refused(*state, u, others, N(others));
	assert_int_equal(sql_int(*state, "SELECT archived FROM groups WHERE id = %lld",
				 (long long)group_id(*state, GROUP_A)),
			 0);
}

static void coordinator_is_refused_admin_pages(void **state)
{
	static const struct route_case admin[] = {
	    {"GET", "/admin"}, {"GET", "/admin/users"}, {"GET", "/admin/audit"}};
	assert_refused(*state, add_user(*state, "coordinator"), admin, N(admin));
}

static void member_can_edit_own_group(void **state)
{
	struct server *s = *state;
	int64_t gid = sql_int(s, "SELECT id FROM groups WHERE name = 'にじいろあそび'");
	struct huser *u = add_member_of(s, gid);
	struct client *c = client_as(s, u);
	struct resp *r = get(c, hfmt("/groups/%lld/edit", (long long)gid));
	assert_status(r, 200);
	assert_contains(BODY(r), "団体情報の編集");
	r = post_form(c, hfmt("/groups/%lld", (long long)gid),
		      form_body("name", "にじいろあそび", "name_kana", "ニジイロアソビ", "kind",
				"任意団体", "purpose", "メンバーが書き直した目的です。", "_csrf",
				client_csrf(c), NULL));
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), hfmt("/groups/%lld", (long long)gid));
	assert_string_equal(sql(s, "SELECT purpose FROM groups WHERE id = %lld", (long long)gid),
			    "メンバーが書き直した目的です。");
}

static void coordinator_can_create_group(void **state)
{
	struct server *s = *state;
	struct client *c = client_as(s, add_user(s, "coordinator"));
	assert_status(get(c, "/groups/new"), 200);
	struct resp *r = post_form(c, "/groups",
				   body_for("/groups", "コーディネーター登録団体", client_csrf(c)));
	assert_status(r, 303);
	int64_t id = group_id(s, "コーディネーター登録団体");
	assert_string_equal(header_of(r, "Location"), hfmt("/groups/%lld", (long long)id));
}

static void admin_can_open_admin_pages(void **state)
{
	struct client *c = client_as(*state, add_user(*state, "admin"));
	assert_status(get(c, "/admin"), 200);
	assert_status(get(c, "/admin/users"), 200);
	assert_status(get(c, "/admin/audit"), 200);
}

/* ---- API ---------------------------------------------------------------- */

static const char *api_group_json(const char *name)
{
	return hfmt("{\"name\":\"%s\",\"name_kana\":\"エーピーアイ\",\"kind\":\"任意団体\","
		    "\"purpose\":\"APIから登録した団体です。\"}",
		    name);
}

static void api_post_without_credentials_gives_401_json(void **state)
{
	struct resp *r = send_json(client_new(*state), "POST", "/api/v1/groups",
				   api_group_json("無認証団体"), NULL);
	assert_status(r, 401);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_contains(BODY(r), "\"error\":");
}

static void api_patch_without_credentials_gives_401_json(void **state)
{
	struct resp *r =
	    send_json(client_new(*state), "PATCH",
		      hfmt("/api/v1/groups/%lld", (long long)group_id(*state, GROUP_A)),
		      "{\"purpose\":\"書き換え\"}", NULL);
	assert_status(r, 401);
	assert_contains(header_of(r, "Content-Type"), "application/json");
}

static void api_invalid_bearer_token_gives_401_json(void **state)
{
	const char *h[] = {"Authorization: Bearer not-a-real-token", NULL};
	struct resp *r = send_json(client_new(*state), "POST", "/api/v1/groups",
				   api_group_json("偽トークン団体"), h);
	assert_status(r, 401);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_contains(BODY(r), "\"error\":");
}

static void api_reviewer_token_gives_403_json(void **state)
{
	struct server *s = *state;
	const char *tok = add_token(s, add_user(s, "reviewer"));
	const char *h[] = {hfmt("Authorization: Bearer %s", tok), NULL};
	struct resp *r =
	    send_json(client_new(s), "POST", "/api/v1/groups", api_group_json("審査員の団体"), h);
	assert_status(r, 403);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_contains(BODY(r), "権限がありません");
	r = send_json(client_new(s), "PATCH",
		      hfmt("/api/v1/groups/%lld", (long long)group_id(s, GROUP_A)),
		      "{\"purpose\":\"書き換え\"}", h);
	assert_status(r, 403);
}

static void api_admin_token_creates_with_201(void **state)
{
	struct server *s = *state;
	const char *tok = add_token(s, add_user(s, "admin"));
	const char *h[] = {hfmt("Authorization: Bearer %s", tok), NULL};
	struct resp *r = send_json(client_new(s), "POST", "/api/v1/groups",
				   api_group_json("管理者APIの団体"), h);
	assert_status(r, 201);
	assert_contains(BODY(r), "\"id\":");
	assert_int_equal(sql_int(s, "SELECT count(*) FROM groups WHERE name = '管理者APIの団体'"),
			 1);
}

static void api_member_token_patches_own_group_only(void **state)
{
	struct server *s = *state;
	int64_t own = sql_int(s, "SELECT id FROM groups WHERE name = 'ユースの保健室'");
	const char *tok = add_token(s, add_member_of(s, own));
	const char *h[] = {hfmt("Authorization: Bearer %s", tok), NULL};
	struct resp *r =
	    send_json(client_new(s), "PATCH", hfmt("/api/v1/groups/%lld", (long long)own),
		      "{\"members\":12}", h);
	assert_status(r, 200);
	assert_int_equal(sql_int(s, "SELECT members FROM groups WHERE id = %lld", (long long)own),
			 12);
	r = send_json(client_new(s), "PATCH",
		      hfmt("/api/v1/groups/%lld", (long long)group_id(s, GROUP_A)),
		      "{\"members\":1}", h);
	assert_status(r, 403);
	/* Creating needs staff. */
	r = send_json(client_new(s), "POST", "/api/v1/groups", api_group_json("メンバーの団体"), h);
	assert_status(r, 403);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(resident_get_of_protected_page_redirects_to_login),
	    cmocka_unit_test(resident_post_without_csrf_is_refused),
	    cmocka_unit_test(resident_post_with_visitor_csrf_gives_401),
	    cmocka_unit_test(division_is_refused_everywhere),
	    cmocka_unit_test(reviewer_is_refused_everywhere),
	    cmocka_unit_test(member_of_other_group_cannot_edit),
	    cmocka_unit_test(member_cannot_create_archive_or_administer),
	    cmocka_unit_test(coordinator_is_refused_admin_pages),
	    cmocka_unit_test(member_can_edit_own_group),
	    cmocka_unit_test(coordinator_can_create_group),
	    cmocka_unit_test(admin_can_open_admin_pages),
	    cmocka_unit_test(api_post_without_credentials_gives_401_json),
	    cmocka_unit_test(api_patch_without_credentials_gives_401_json),
	    cmocka_unit_test(api_invalid_bearer_token_gives_401_json),
	    cmocka_unit_test(api_reviewer_token_gives_403_json),
	    cmocka_unit_test(api_admin_token_creates_with_201),
	    cmocka_unit_test(api_member_token_patches_own_group_only),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
