/*
 * t0800: hostile and broken input.  Every case must get a clear 4xx (or,
 * for broken framing, a closed connection) and the server must go on
 * serving: each test ends by checking /healthz.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/str.h"

#define BAD_BODY "送信されたデータの形式が正しくありません。"

/* /healthz still answers. */
static void assert_alive(struct server *s)
{
	struct resp *r = get(client_new(s), "/healthz");
	if (r->status != 200 || strcmp(BODY(r), "ok") != 0)
		fail_msg("the server stopped answering: /healthz gave %ld %s", r->status,
			 r->error ? r->error : BODY(r));
}

/* One logged-in admin and an admin API token for the whole file. */
static struct client *admin_client(struct server *s)
{
	static struct client *c;
	if (!c)
		c = client_as(s, add_user(s, "admin"));
	return c;
}

static const char *const *admin_auth(struct server *s)
{
	static const char *h[2];
	if (!h[0])
		h[0] = hfmt("Authorization: Bearer %s", add_token(s, add_user(s, "admin")));
	return h;
}

/* POST an urlencoded body to /groups as the admin, with a valid token. */
static struct resp *admin_post(struct server *s, const char *body)
{
	struct client *c = admin_client(s);
	return post_form(c, "/groups", hfmt("%s&_csrf=%s", body, urlenc(client_csrf(c))));
}

static const char *valid_group =
    "name=%E5%85%A5%E5%8A%9B%E3%83%86%E3%82%B9%E3%83%88&name_kana=%E3%83%86%E3%82%B9%E3%83%88"
    "&kind=%E4%BB%BB%E6%84%8F%E5%9B%A3%E4%BD%93&purpose=x";

static void valid_form_is_accepted(void **state)
{
	/* The baseline the cases below vary: this body is fine. */
	assert_status(admin_post(*state, valid_group), 303);
	assert_alive(*state);
}

static void invalid_utf8_in_form_field_gives_400(void **state)
{
	struct server *s = *state;
	int64_t before = sql_int(s, "SELECT count(*) FROM groups");
	struct resp *r = admin_post(s, hfmt("%s&city=%%FF%%FE", valid_group));
	assert_status(r, 400);
	assert_contains(BODY(r), BAD_BODY);
	/* Half of a multi-byte character. */
	assert_status(admin_post(s, hfmt("%s&city=%%E9%%87", valid_group)), 400);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM groups"), before);
	assert_alive(s);
}

static void invalid_utf8_in_query_gives_400(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/groups?q=%FF");
	assert_status(r, 400);
	assert_contains(BODY(r), "URLのパラメータが正しくありません。");
	r = get(client_new(s), "/api/v1/groups?q=%C0%AF");
	assert_status(r, 400);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_alive(s);
}

static void invalid_utf8_in_path_gives_400(void **state)
{
	struct server *s = *state;
	assert_status(get(client_new(s), "/groups/%FF"), 400);
	assert_status(get(client_new(s), "/static/%FF.css"), 400);
	assert_alive(s);
}

static void invalid_utf8_in_json_gives_400(void **state)
{
	struct server *s = *state;
	const char body[] = "{\"name\":\"\xff\xfe\",\"name_kana\":\"カ\",\"kind\":\"任意団体\","
			    "\"purpose\":\"x\"}";
	struct resp *r = request_n(client_new(s), "POST", "/api/v1/groups", admin_auth(s), body,
				   sizeof(body) - 1, "application/json");
	assert_status(r, 400);
	assert_string_equal(json_at(r, "error"), "JSONの形式が正しくありません。");
	assert_alive(s);
}

static void escaped_lone_surrogate_in_json_gives_400(void **state)
{
	struct resp *r =
	    send_json(client_new(*state), "POST", "/api/v1/groups",
		      "{\"name\":\"\\ud800\",\"name_kana\":\"カ\",\"kind\":\"任意団体\","
		      "\"purpose\":\"x\"}",
		      admin_auth(*state));
	assert_status(r, 400);
	assert_alive(*state);
}

static void nul_in_json_string_gives_4xx(void **state)
{
	struct resp *r =
	    send_json(client_new(*state), "POST", "/api/v1/groups",
		      "{\"name\":\"a\\u0000b\",\"name_kana\":\"カ\",\"kind\":\"任意団体\","
		      "\"purpose\":\"x\"}",
		      admin_auth(*state));
	if (r->status != 400 && r->status != 422)
		fail_msg("NUL in a JSON string gave %ld", r->status);
	assert_int_equal(sql_int(*state, "SELECT count(*) FROM groups WHERE name LIKE 'a%%'"), 0);
	assert_alive(*state);
}

static void deeply_nested_json_gives_400(void **state)
{
	const char *body = hfmt("{\"name\":%s", repeat("[", 100000));
	struct resp *r =
	    send_json(client_new(*state), "POST", "/api/v1/groups", body, admin_auth(*state));
	assert_status(r, 400);
	assert_alive(*state);
}

static void nul_byte_in_form_field_gives_400(void **state)
{
	assert_status(admin_post(*state, hfmt("%s&city=a%%00b", valid_group)), 400);
	assert_alive(*state);
}

static void control_character_in_form_field_gives_400(void **state)
{
	assert_status(admin_post(*state, hfmt("%s&city=a%%1Bb", valid_group)), 400);
	assert_alive(*state);
}

static void bad_percent_escape_gives_400(void **state)
{
	assert_status(admin_post(*state, hfmt("%s&city=%%G1", valid_group)), 400);
	assert_status(admin_post(*state, hfmt("%s&city=%%4", valid_group)), 400);
	assert_status(get(client_new(*state), "/groups?q=%ZZ"), 400);
	assert_alive(*state);
}

static void overlong_field_gives_422(void **state)
{
	struct resp *r =
	    admin_post(*state, hfmt("%s&city=%s", valid_group, urlenc(repeat("長", 51))));
	assert_status(r, 422);
	assert_contains(BODY(r), "市区町村は50文字以内で入力してください（現在51文字）");
	r = send_json(client_new(*state), "PATCH",
		      hfmt("/api/v1/groups/%lld", (long long)group_id(*state, "にじのわ")),
		      hfmt("{\"purpose\":\"%s\"}", repeat("あ", 4001)), admin_auth(*state));
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.purpose"),
			    "活動の目的は4000文字以内で入力してください（現在4001文字）");
	assert_alive(*state);
}

static void unknown_keys_are_refused(void **state)
{
	struct server *s = *state;
	assert_status(admin_post(s, hfmt("%s&role=admin", valid_group)), 400);
	assert_status(get(client_new(s), "/groups?debug=1"), 400);
	struct resp *r = send_json(client_new(s), "PATCH",
				   hfmt("/api/v1/groups/%lld", (long long)group_id(s, "にじのわ")),
				   "{\"archived\":false,\"id\":1}", admin_auth(s));
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.id"), "不明な項目です");
	assert_string_equal(json_at(r, "errors.archived"), "不明な項目です");
	assert_alive(s);
}

static void wrong_json_types_give_422(void **state)
{
	struct server *s = *state;
	const char *path = hfmt("/api/v1/groups/%lld", (long long)group_id(s, "にじのわ"));
	static const char *const bodies[] = {"{\"members\":{\"n\":1}}", "{\"name\":[[\"x\"]]}",
					     "{\"themes\":[{\"x\":1}]}", "{\"founded\":2018.5}"};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct resp *r = send_json(client_new(s), "PATCH", path, bodies[i], admin_auth(s));
		if (r->status != 422)
			fail_msg("PATCH %s gave %ld, not 422", bodies[i], r->status);
	}
	assert_string_equal(sql(s, "SELECT name FROM groups WHERE name = 'にじのわ'"), "にじのわ");
	assert_alive(s);
}

static void missing_csrf_gives_403(void **state)
{
	struct server *s = *state;
	struct resp *r = post_form(admin_client(s), "/groups", valid_group);
	assert_status(r, 403);
	assert_contains(BODY(r), "フォームの有効期限が切れたか、不正な送信です。");
	assert_alive(s);
}

static void wrong_csrf_gives_403(void **state)
{
	struct server *s = *state;
	assert_status(post_form(admin_client(s), "/groups", hfmt("%s&_csrf=wrong", valid_group)),
		      403);
	assert_status(post_form(admin_client(s), "/groups", hfmt("%s&_csrf=", valid_group)), 403);
	/* A token that is valid for someone else's session. */
	struct client *other = client_as(s, add_user(s, "admin"));
	const char *theirs = client_csrf(other);
	assert_status(
	    post_form(admin_client(s), "/groups", hfmt("%s&_csrf=%s", valid_group, urlenc(theirs))),
	    403);
	assert_alive(s);
}

static void duplicate_email_via_cli_fails(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	char *out = NULL, *err = NULL;
	int rc = kyodo_cmd(s, "another-password-1\n", &out, &err, "user", "add", "--email",
			   u->email, "--name", "二人目", "--role", "member", NULL);
	assert_int_not_equal(rc, 0);
	assert_contains(err, "already exists");
	/* The same address in other case is the same address. */
	char *upper = hfmt("%s", u->email);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	rc = kyodo_cmd(s, "another-password-1\n", &out, &err, "user", "add", "--email", upper,
		       "--name", "三人目", "--role", "member", NULL);
	assert_int_not_equal(rc, 0);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM users WHERE email = '%s' COLLATE NOCASE", u->email),
	    1);
	assert_alive(s);
}

static void duplicate_email_via_admin_form_gives_422(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	struct client *c = admin_client(s);
	struct resp *r = post_form(c, "/admin/users",
				   form_body("email", u->email, "name", "重複さん", "password",
					     "duplicate-pass-123", "roles", "member", "_csrf",
					     client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "このメールアドレスは既に登録されています");
	assert_int_equal(sql_int(s, "SELECT count(*) FROM users WHERE email = '%s'", u->email), 1);
	assert_alive(s);
}

static void crlf_in_single_line_field_gives_422(void **state)
{
	struct resp *r = admin_post(*state, hfmt("%s&city=%s", valid_group, urlenc("金沢\r\n市")));
	assert_status(r, 422);
	assert_contains(BODY(r), "市区町村は1行で入力してください");
	assert_alive(*state);
}

static void crlf_in_login_next_cannot_inject_a_header(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	struct client *c = client_new(s);
	const char *tok = csrf_in(get(c, "/login"));
	assert_non_null(tok);
	struct resp *r = post_form(c, "/login",
				   form_body("email", u->email, "password", u->password, "next",
					     "/\r\nSet-Cookie: injected=1", "_csrf", tok, NULL));
	assert_null(set_cookie_of(r, "injected"));
	assert_not_contains(r->headers, "injected");
	/* Refused (422), or at most a redirect to a harmless local path. */
	if (r->status == 303) {
		const char *loc = header_of(r, "Location");
		if (!loc || strcmp(loc, "/") != 0)
			fail_msg("redirected to %s", loc ? loc : "(none)");
	} else {
		assert_status(r, 422);
	}
	assert_alive(s);
}

static void dot_segments_in_path_give_400(void **state)
{
	struct server *s = *state;
	static const char *const paths[] = {
	    "/groups/../admin", "/%2e%2e/",   "/groups/%2e%2e/admin",
	    "/groups/%2E%2E",	"/./groups",  "/groups/./new",
	    "//groups",		"/groups//1", "/groups/..%2fadmin"};
	struct client *c = admin_client(s);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct resp *r = get(c, paths[i]);
		if (r->status != 400)
			fail_msg("GET %s gave %ld, expected 400", paths[i], r->status);
		assert_not_contains(BODY(r), "管理メニュー");
	}
	assert_alive(s);
}

static void backslash_in_path_gives_400(void **state)
{
	assert_status(get(client_new(*state), "/groups\\..\\admin"), 400);
	assert_status(get(client_new(*state), "/groups%5c..%5cadmin"), 400);
	assert_alive(*state);
}

/* A multipart POST to /groups as the admin, the CSRF token in the header so
 * that only the body can be at fault. */
static struct resp *multipart_post(struct server *s, const char *content_type, const char *body)
{
	struct client *c = admin_client(s);
	const char *h[] = {hfmt("X-CSRF-Token: %s", client_csrf(c)), NULL};
	return request(c, "POST", "/groups", h, body, content_type);
}

static void multipart_without_boundary_gives_400(void **state)
{
	struct resp *r = multipart_post(*state, "multipart/form-data", "garbage");
	assert_status(r, 400);
	assert_alive(*state);
}

static void multipart_with_broken_boundary_gives_400(void **state)
{
	struct server *s = *state;
	int64_t before = sql_int(s, "SELECT count(*) FROM groups");
	/* The body's boundary is not the declared one. */
	struct resp *r = multipart_post(s, "multipart/form-data; boundary=XYZ",
					"--ABC\r\nContent-Disposition: form-data; name=\"name\"\r\n"
					"\r\nx\r\n--ABC--\r\n");
	assert_status(r, 400);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM groups"), before);
	assert_alive(s);
}

static void truncated_multipart_gives_400(void **state)
{
	struct resp *r = multipart_post(*state, "multipart/form-data; boundary=XYZ",
					"--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n"
					"\r\nunterminated");
	assert_status(r, 400);
	assert_alive(*state);
}

static void bad_chunk_size_gives_4xx_or_close(void **state)
{
	struct server *s = *state;
	static const char req[] = "POST /api/v1/groups HTTP/1.1\r\nHost: localhost\r\n"
				  "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n"
				  "\r\nZZZ\r\n{}\r\n0\r\n\r\n";
	const char *line = raw_exchange(s, req, sizeof(req) - 1, 10000);
	int code = status_of_line(line);
	if (*line && (code < 400 || code > 499))
		fail_msg("bad chunk size: \"%s\", expected a 4xx or a closed connection", line);
	assert_alive(s);
}

static void huge_header_gives_431(void **state)
{
	struct server *s = *state;
	const char *req =
	    hfmt("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: %s\r\n\r\n", repeat("A", 64 * 1024));
	const char *line = raw_exchange(s, req, strlen(req), 10000);
	int code = status_of_line(line);
	if (code != 431 && code != 413 && code != 400)
		fail_msg("64 KiB header: \"%s\", expected 431 (or 413/400)", line);
	assert_alive(s);
}

static void huge_url_gives_414(void **state)
{
	struct server *s = *state;
	const char *req =
	    hfmt("GET /groups?q=%s HTTP/1.1\r\nHost: localhost\r\n\r\n", repeat("a", 100 * 1024));
	const char *line = raw_exchange(s, req, strlen(req), 10000);
	int code = status_of_line(line);
	if (code != 414 && code != 431 && code != 413 && code != 400)
		fail_msg("100 KiB URL: \"%s\", expected 414 (or another 4xx)", line);
	assert_alive(s);
}

static void body_over_limit_gives_413(void **state)
{
	struct server *s = *state;
	size_t n = 2u << 20;
	char *body = repeat("a", n);
	memcpy(body, "email=", 6);
	struct resp *r = request_n(client_new(s), "POST", "/login", NULL, body, n,
				   "application/x-www-form-urlencoded");
	assert_status(r, 413);
	assert_contains(BODY(r), "データが大きすぎます");
	assert_alive(s);
}

static void chunked_body_over_limit_gives_413(void **state)
{
	/* No Content-Length to refuse up front: the limit must apply while
	 * the body arrives, and the client must still be told why. */
	struct server *s = *state;
	struct buf b = BUF_INIT;
	buf_adds(&b,
		 "POST /login HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
		 "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n");
	const char *chunk = repeat("a", 256 * 1024);
	for (int i = 0; i < 12; i++)
		buf_printf(&b, "%x\r\n%s\r\n", 256 * 1024, chunk);
	buf_adds(&b, "0\r\n\r\n");
	const char *req = hfmt("%s", b.p);
	size_t len = b.n;
	buf_release(&b);
	const char *line = raw_exchange(s, req, len, 15000);
	if (status_of_line(line) != 413)
		fail_msg("3 MiB chunked body: \"%s\", expected 413", *line ? line
									   : "(connection "
									     "closed, no reply)");
	assert_alive(s);
}

static void slow_client_does_not_block_others(void **state)
{
	struct server *s = *state;
	int fd = raw_connect(s);
	assert_true(fd >= 0);
	static const char half[] = "GET /heal";
	assert_int_equal(write(fd, half, sizeof(half) - 1), (ssize_t)(sizeof(half) - 1));
	/* A second slow one, mid-headers. */
	int fd2 = raw_connect(s);
	static const char part[] = "POST /groups HTTP/1.1\r\nHost: localhost\r\nContent-Le";
	assert_int_equal(write(fd2, part, sizeof(part) - 1), (ssize_t)(sizeof(part) - 1));
	struct timespec ts = {0, 200 * 1000000L};
	nanosleep(&ts, NULL);
	for (int i = 0; i < 3; i++) {
		struct resp *r = get(client_new(s), "/healthz");
		assert_status(r, 200);
		if (r->seconds >= 2.0)
			fail_msg("/healthz took %.2f s while a slow client was connected",
				 r->seconds);
	}
	close(fd);
	close(fd2);
	assert_alive(s);
}

static void unsupported_content_type_gives_415(void **state)
{
	struct server *s = *state;
	struct client *c = admin_client(s);
	const char *h[] = {hfmt("X-CSRF-Token: %s", client_csrf(c)), NULL};
	struct resp *r = request(c, "POST", "/groups", h, "name=x", "text/plain");
	assert_status(r, 415);
	assert_contains(BODY(r), "この形式には対応していません");
	r = request(client_new(s), "POST", "/api/v1/groups", admin_auth(s), "<group/>",
		    "application/xml");
	assert_status(r, 415);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_alive(s);
}

static void too_many_fields_gives_400(void **state)
{
	struct server *s = *state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 201; i++)
		buf_printf(&b, "%sf%d=1", i ? "&" : "", i);
	const char *many = hfmt("%s", b.p);
	buf_release(&b);
	struct resp *r = admin_post(s, many);
	assert_status(r, 400);
	assert_contains(BODY(r), BAD_BODY);
	assert_status(get(client_new(s), hfmt("/groups?%s", many)), 400);
	assert_alive(s);
}

static void unknown_method_gives_501(void **state)
{
	static const char req[] = "BREW /groups HTTP/1.1\r\nHost: localhost\r\n\r\n";
	const char *line = raw_exchange(*state, req, sizeof(req) - 1, 10000);
	assert_int_equal(status_of_line(line), 501);
	assert_alive(*state);
}

static void unsupported_http_version_gives_505(void **state)
{
	static const char req[] = "GET / HTTP/9.9\r\nHost: localhost\r\n\r\n";
	const char *line = raw_exchange(*state, req, sizeof(req) - 1, 10000);
	assert_int_equal(status_of_line(line), 505);
	assert_alive(*state);
}

static void bad_content_length_gives_400(void **state)
{
	static const char req[] = "POST /login HTTP/1.1\r\nHost: localhost\r\n"
				  "Content-Length: abc\r\n\r\n";
	const char *line = raw_exchange(*state, req, sizeof(req) - 1, 10000);
	assert_int_equal(status_of_line(line), 400);
	assert_alive(*state);
}

static void sql_metacharacters_in_query_are_harmless(void **state)
{
	struct server *s = *state;
	int64_t groups = sql_int(s, "SELECT count(*) FROM groups");
	static const char *const qs[] = {"' OR 1=1 --", "'; DROP TABLE groups; --", "\" OR \"\"=\"",
					 "1) OR (1=1"};
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		struct resp *r = get(client_new(s), hfmt("/api/v1/groups?q=%s", urlenc(qs[i])));
		assert_status(r, 200);
		assert_string_equal(json_at(r, "total"), "0");
	}
	assert_int_equal(sql_int(s, "SELECT count(*) FROM groups"), groups);
	assert_alive(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_form_is_accepted),
	    cmocka_unit_test(invalid_utf8_in_form_field_gives_400),
	    cmocka_unit_test(invalid_utf8_in_query_gives_400),
	    cmocka_unit_test(invalid_utf8_in_path_gives_400),
	    cmocka_unit_test(invalid_utf8_in_json_gives_400),
	    cmocka_unit_test(escaped_lone_surrogate_in_json_gives_400),
	    cmocka_unit_test(nul_in_json_string_gives_4xx),
	    cmocka_unit_test(deeply_nested_json_gives_400),
	    cmocka_unit_test(nul_byte_in_form_field_gives_400),
	    cmocka_unit_test(control_character_in_form_field_gives_400),
	    cmocka_unit_test(bad_percent_escape_gives_400),
	    cmocka_unit_test(overlong_field_gives_422),
	    cmocka_unit_test(unknown_keys_are_refused),
	    cmocka_unit_test(wrong_json_types_give_422),
	    cmocka_unit_test(missing_csrf_gives_403),
	    cmocka_unit_test(wrong_csrf_gives_403),
	    cmocka_unit_test(duplicate_email_via_cli_fails),
	    cmocka_unit_test(duplicate_email_via_admin_form_gives_422),
	    cmocka_unit_test(crlf_in_single_line_field_gives_422),
	    cmocka_unit_test(crlf_in_login_next_cannot_inject_a_header),
	    cmocka_unit_test(dot_segments_in_path_give_400),
	    cmocka_unit_test(backslash_in_path_gives_400),
	    cmocka_unit_test(multipart_without_boundary_gives_400),
	    cmocka_unit_test(multipart_with_broken_boundary_gives_400),
	    cmocka_unit_test(truncated_multipart_gives_400),
	    cmocka_unit_test(bad_chunk_size_gives_4xx_or_close),
	    cmocka_unit_test(huge_header_gives_431),
	    cmocka_unit_test(huge_url_gives_414),
	    cmocka_unit_test(body_over_limit_gives_413),
	    cmocka_unit_test(chunked_body_over_limit_gives_413),
	    cmocka_unit_test(slow_client_does_not_block_others),
	    cmocka_unit_test(unsupported_content_type_gives_415),
	    cmocka_unit_test(too_many_fields_gives_400),
	    cmocka_unit_test(unknown_method_gives_501),
	    cmocka_unit_test(unsupported_http_version_gives_505),
	    cmocka_unit_test(bad_content_length_gives_400),
	    cmocka_unit_test(sql_metacharacters_in_query_are_harmless),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
