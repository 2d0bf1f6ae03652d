/*
 * t1000: the page cache for residents' views.  Repeated anonymous requests
 * are served from memory, a change is visible at once, and logged-in users
 * never get a cached page.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define ECO "NPOエコラボ"

static long hits(struct server *s)
{
	struct resp *r = get(client_new(s), "/metrics");
	const char *p = strstr(BODY(r), "kyodo_page_cache_lookups_total{result=\"hit\"} ");
	if (!p)
		fail_msg("no page cache metric in /metrics");
	return atol(p + strlen("kyodo_page_cache_lookups_total{result=\"hit\"} "));
}

static void repeated_anonymous_page_is_served_from_cache(void **state)
{
	struct server *s = *state;
	const char *path = hfmt("/groups/%lld", (long long)group_id(s, ECO));
	struct resp *first = get(client_new(s), path);
	assert_status(first, 200);
	long before = hits(s);
	struct resp *second = get(client_new(s), path);
	assert_status(second, 200);
	assert_string_equal(BODY(first), BODY(second));
	assert_int_equal(hits(s), before + 1);
}

static void change_through_the_api_is_visible_at_once(void **state)
{
	struct server *s = *state;
	long long id = (long long)group_id(s, ECO);
	const char *path = hfmt("/groups/%lld", id);
	assert_status(get(client_new(s), path), 200);
	assert_status(get(client_new(s), path), 200); /* now cached */
	const char *auth[2] = {hfmt("Authorization: Bearer %s", add_token(s, add_user(s, "admin"))),
			       NULL};
	struct resp *r = send_json(client_new(s), "PATCH", hfmt("/api/v1/groups/%lld", id),
				   "{\"public_contact\":\"キャッシュ確認用の連絡先\"}", auth);
	assert_status(r, 200);
	struct resp *after = get(client_new(s), path);
	assert_status(after, 200);
	assert_contains(BODY(after), "キャッシュ確認用の連絡先");
}

static void logged_in_staff_never_get_the_anonymous_page(void **state)
{
	struct server *s = *state;
	long long id = (long long)group_id(s, ECO);
	const char *path = hfmt("/groups/%lld", id);
	assert_status(get(client_new(s), path), 200);
	assert_status(get(client_new(s), path), 200); /* cached for residents */
	struct client *admin = client_as(s, add_user(s, "admin"));
	struct resp *r = get(admin, path);
	assert_status(r, 200);
	assert_contains(BODY(r), "非公開の情報");
	assert_contains(BODY(r), "ログアウト");
	struct resp *anon = get(client_new(s), path);
	assert_not_contains(BODY(anon), "非公開の情報");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(repeated_anonymous_page_is_served_from_cache),
	    cmocka_unit_test(change_through_the_api_is_visible_at_once),
	    cmocka_unit_test(logged_in_staff_never_get_the_anonymous_page),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
