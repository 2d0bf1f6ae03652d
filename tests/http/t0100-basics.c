/*
 * t0100: the basics every response shares — health check, language,
 * security headers, error pages, methods, static files, metrics, access log.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The headers every kind of response must carry. */
static void assert_security_headers(const struct resp *r)
{
	const char *csp = header_of(r, "Content-Security-Policy");
	if (!csp)
		fail_msg("%s %s (%ld): no Content-Security-Policy", r->method, r->path, r->status);
	assert_not_contains(csp, "unsafe-inline");
	assert_not_contains(csp, "unsafe-eval");
	assert_contains(csp, "frame-ancestors 'none'");
	assert_contains(csp, "default-src 'self'");
	const char *nosniff = header_of(r, "X-Content-Type-Options");
	if (!nosniff || strcmp(nosniff, "nosniff") != 0)
		fail_msg("%s %s: X-Content-Type-Options is %s, not nosniff", r->method, r->path,
			 nosniff ? nosniff : "missing");
	const char *ref = header_of(r, "Referrer-Policy");
	if (!ref || !*ref)
		fail_msg("%s %s: no Referrer-Policy", r->method, r->path);
}

static void healthz_answers_ok(void **state)
{
	struct resp *r = get(client_new(*state), "/healthz");
	assert_status(r, 200);
	assert_string_equal(BODY(r), "ok");
}

static void home_page_is_japanese_html(void **state)
{
	struct resp *r = get(client_new(*state), "/");
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "text/html");
	assert_contains(BODY(r), "<html lang=\"ja\">");
	assert_contains(BODY(r), "<meta charset=\"utf-8\">");
}

static void security_headers_on_html_page(void **state)
{
	struct resp *r = get(client_new(*state), "/groups");
	assert_status(r, 200);
	assert_security_headers(r);
}

static void security_headers_on_not_found(void **state)
{
	struct resp *r = get(client_new(*state), "/no-such-page");
	assert_status(r, 404);
	assert_security_headers(r);
}

static void security_headers_on_static_file(void **state)
{
	struct resp *r = get(client_new(*state), "/static/kyodo.css");
	assert_status(r, 200);
	assert_security_headers(r);
}

static void security_headers_on_redirect(void **state)
{
	struct resp *r = get(client_new(*state), "/groups/new");
	assert_status(r, 303);
	assert_security_headers(r);
}

static void security_headers_on_api_json(void **state)
{
	struct resp *r = get(client_new(*state), "/api/v1/groups");
	assert_status(r, 200);
	assert_security_headers(r);
}

static void security_headers_on_bad_request(void **state)
{
	struct resp *r = get(client_new(*state), "/groups?page=abc");
	assert_status(r, 400);
	assert_security_headers(r);
}

static void unknown_path_gives_japanese_404_page(void **state)
{
	struct resp *r = get(client_new(*state), "/no-such-page");
	assert_status(r, 404);
	assert_contains(header_of(r, "Content-Type"), "text/html");
	assert_contains(BODY(r), "<html lang=\"ja\">");
	assert_contains(BODY(r), "ページが見つかりません");
	assert_contains(BODY(r), "お探しのページは見つかりませんでした。");
}

static void delete_on_groups_gives_405_with_allow(void **state)
{
	struct resp *r = request(client_new(*state), "DELETE", "/groups", NULL, NULL, NULL);
	assert_status(r, 405);
	const char *allow = header_of(r, "Allow");
	if (!allow)
		fail_msg("405 without an Allow header");
	assert_contains(allow, "GET");
	assert_contains(allow, "HEAD");
	assert_contains(allow, "POST");
	assert_not_contains(allow, "DELETE");
	assert_contains(BODY(r), "この操作はできません");
}

static void head_groups_gives_200_without_body(void **state)
{
	struct resp *r = request(client_new(*state), "HEAD", "/groups", NULL, NULL, NULL);
	assert_status(r, 200);
	assert_int_equal(r->len, 0);
	/* curl would discard a body sent by mistake: look at the wire. */
	static const char req[] = "HEAD /groups HTTP/1.1\r\nHost: localhost\r\n"
				  "Connection: close\r\n\r\n";
	const char *reply = raw_reply(*state, req, sizeof(req) - 1, 10000);
	assert_int_equal(status_of_line(reply), 200);
	const char *end = strstr(reply, "\r\n\r\n");
	if (!end)
		fail_msg("no end of headers in: %.300s", reply);
	assert_string_equal(end + 4, "");
}

static void static_css_has_etag_and_cache_control(void **state)
{
	struct resp *r = get(client_new(*state), "/static/kyodo.css");
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "text/css");
	const char *etag = header_of(r, "ETag");
	if (!etag || etag[0] != '"')
		fail_msg("ETag missing or not quoted: %s", etag ? etag : "(none)");
	const char *cc = header_of(r, "Cache-Control");
	if (!cc)
		fail_msg("no Cache-Control on a static file");
	assert_contains(cc, "max-age=");
	assert_not_contains(cc, "no-store");
	assert_true(r->len > 100);
}

static void static_css_if_none_match_gives_304(void **state)
{
	struct client *c = client_new(*state);
	struct resp *r = get(c, "/static/kyodo.css");
	assert_status(r, 200);
	const char *etag = header_of(r, "ETag");
	assert_non_null(etag);
	const char *h[] = {hfmt("If-None-Match: %s", etag), NULL};
	struct resp *again = request(c, "GET", "/static/kyodo.css", h, NULL, NULL);
	assert_status(again, 304);
	assert_int_equal(again->len, 0);
	/* A different tag gets the file. */
	const char *other[] = {"If-None-Match: \"0000000000000000\"", NULL};
	assert_status(request(c, "GET", "/static/kyodo.css", other, NULL, NULL), 200);
}

/* A refused path: 400 or 404, and never the file's contents. */
static void assert_refused_path(struct server *s, const char *path)
{
	struct resp *r = get(client_new(s), path);
	if (r->status != 400 && r->status != 404)
		fail_msg("GET %s: expected 400 or 404, got %ld", path, r->status);
	assert_not_contains(BODY(r), "CREATE TABLE");
	assert_not_contains(BODY(r), "root:");
}

static void static_dot_dot_is_refused(void **state)
{
	assert_refused_path(*state, "/static/../sql/001_init.sql");
	assert_refused_path(*state, "/static/../../../../etc/passwd");
}

static void static_encoded_dot_dot_is_refused(void **state)
{
	assert_refused_path(*state, "/static/%2e%2e/sql/001_init.sql");
	assert_refused_path(*state, "/static/%2E%2E%2Fsql%2F001_init.sql");
	assert_refused_path(*state, "/static/..%2fsql%2f001_init.sql");
}

static void static_nonexistent_file_gives_404(void **state)
{
	struct resp *r = get(client_new(*state), "/static/nonexistent.css");
	assert_status(r, 404);
	assert_contains(BODY(r), "見つかりません");
}

static void metrics_exposes_requests_latency_and_db_size(void **state)
{
	struct client *c = client_new(*state);
	assert_status(get(c, "/healthz"), 200);
	struct resp *r = get(c, "/metrics");
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "text/plain");
	assert_contains(BODY(r), "kyodo_http_requests_total{status=\"200\"}");
	assert_contains(BODY(r), "kyodo_http_request_duration_seconds_bucket{le=\"+Inf\"}");
	assert_contains(BODY(r), "kyodo_http_request_duration_seconds_bucket{le=");
	const char *db = strstr(BODY(r), "\nkyodo_db_size_bytes ");
	if (!db)
		fail_msg("no kyodo_db_size_bytes sample in: %.600s", BODY(r));
	long long size = atoll(db + strlen("\nkyodo_db_size_bytes "));
	if (size <= 0)
		fail_msg("kyodo_db_size_bytes is %lld", size);
}

static void access_log_line_is_written(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), "/accessibility");
	assert_status(r, 200);
	/* "GET /accessibility 200 BYTES NNNus"; the line is written once the
	 * response has gone, so it may lag the client a little. */
	const char *want = hfmt("GET /accessibility 200 %zu ", r->len);
	const char *line = NULL;
	for (int i = 0; i < 100 && !line; i++) {
		line = strstr(server_log(s), want);
		if (!line) {
			struct timespec ts = {0, 20 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	if (!line)
		fail_msg("no line starting \"%s\" in the server log:\n%s", want, server_log(s));
	const char *p = line + strlen(want);
	size_t digits = strspn(p, "0123456789");
	if (digits == 0 || strncmp(p + digits, "us\n", 3) != 0)
		fail_msg("access log line does not end with a duration in us: %.80s", line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(healthz_answers_ok),
	    cmocka_unit_test(home_page_is_japanese_html),
	    cmocka_unit_test(security_headers_on_html_page),
	    cmocka_unit_test(security_headers_on_not_found),
	    cmocka_unit_test(security_headers_on_static_file),
	    cmocka_unit_test(security_headers_on_redirect),
	    cmocka_unit_test(security_headers_on_api_json),
	    cmocka_unit_test(security_headers_on_bad_request),
	    cmocka_unit_test(unknown_path_gives_japanese_404_page),
	    cmocka_unit_test(delete_on_groups_gives_405_with_allow),
	    cmocka_unit_test(head_groups_gives_200_without_body),
	    cmocka_unit_test(static_css_has_etag_and_cache_control),
	    cmocka_unit_test(static_css_if_none_match_gives_304),
	    cmocka_unit_test(static_dot_dot_is_refused),
	    cmocka_unit_test(static_encoded_dot_dot_is_refused),
	    cmocka_unit_test(static_nonexistent_file_gives_404),
	    cmocka_unit_test(metrics_exposes_requests_latency_and_db_size),
	    cmocka_unit_test(access_log_line_is_written),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
