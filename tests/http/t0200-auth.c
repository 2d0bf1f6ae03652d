/*
 * t0200: logging in and out, CSRF on the login form, throttling, password
 * change, bad and disabled sessions.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define BAD_LOGIN "メールアドレスまたはパスワードが正しくありません。"

/* The session token from a login response's Set-Cookie. */
static const char *session_token(const struct resp *r)
{
	const char *c = set_cookie_of(r, "kyodo_session");
	if (!c)
		fail_msg("no kyodo_session cookie set; headers:\n%s", r->headers);
	const char *v = c + strlen("kyodo_session=");
	return hfmt("%.*s", (int)strcspn(v, ";"), v);
}

static void login_sets_httponly_samesite_session_cookie(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_new(*state);
	struct resp *r = login(c, u->email, u->password);
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), "/");
	const char *cookie = set_cookie_of(r, "kyodo_session");
	if (!cookie)
		fail_msg("no kyodo_session cookie; headers:\n%s", r->headers);
	assert_true(strlen(session_token(r)) >= 32);
	assert_contains(cookie, "HttpOnly");
	assert_contains(cookie, "SameSite=Lax");
	assert_contains(cookie, "Path=/");
	/* The cookie works: a page for logged-in users only. */
	assert_status(get(c, "/account/password"), 200);
	assert_contains(BODY(get(c, "/")), "ログアウト");
}

static void login_with_wrong_password_gives_401_and_keeps_email(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_new(*state);
	struct resp *r = login(c, u->email, "wrong-password-123");
	assert_status(r, 401);
	assert_contains(BODY(r), BAD_LOGIN);
	assert_contains(BODY(r), hfmt("name=\"email\" value=\"%s\"", u->email));
	/* The password is never sent back. */
	assert_not_contains(BODY(r), "wrong-password-123");
	assert_null(set_cookie_of(r, "kyodo_session"));
}

static void login_with_unknown_email_gives_same_401(void **state)
{
	struct resp *r = login(client_new(*state), "nobody@example.jp", "some-password-123");
	assert_status(r, 401);
	assert_contains(BODY(r), BAD_LOGIN);
}

static void login_redirects_only_to_local_next(void **state)
{
	struct huser *u = add_user(*state, "admin");
	struct client *c = client_new(*state);
	const char *tok = csrf_in(get(c, "/login?next=%2Fgroups%2Fnew"));
	assert_non_null(tok);
	struct resp *r = post_form(c, "/login",
				   form_body("email", u->email, "password", u->password, "next",
					     "/groups/new", "_csrf", tok, NULL));
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), "/groups/new");

	struct client *c2 = client_new(*state);
	tok = csrf_in(get(c2, "/login"));
	r = post_form(c2, "/login",
		      form_body("email", u->email, "password", u->password, "next",
				"//evil.example/", "_csrf", tok, NULL));
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), "/");
}

static void logout_ends_the_session(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_new(*state);
	struct resp *r = login(c, u->email, u->password);
	assert_status(r, 303);
	const char *token = session_token(r);
	const char *csrf = client_csrf(c);
	r = post_form(c, "/logout", form_body("_csrf", csrf, NULL));
	assert_status(r, 303);
	r = get(c, "/account/password");
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), "/login?next=%2Faccount%2Fpassword");
	/* The session is gone on the server too, not only from this browser. */
	const char *h[] = {hfmt("Cookie: kyodo_session=%s", token), NULL};
	r = request(client_new(*state), "GET", "/account/password", h, NULL, NULL);
	assert_status(r, 303);
}

static void logout_deletes_the_session_cookie(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	struct resp *r = post_form(c, "/logout", form_body("_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	const char *cookie = set_cookie_of(r, "kyodo_session");
	if (!cookie)
		fail_msg("logout does not clear kyodo_session; headers:\n%s", r->headers);
	assert_contains(cookie, "kyodo_session=;");
	assert_contains(cookie, "Max-Age=0");
}

static void logout_without_csrf_gives_403(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	struct resp *r = post_form(c, "/logout", "");
	assert_status(r, 403);
	/* Still logged in. */
	assert_status(get(c, "/account/password"), 200);
}

static void login_next_cannot_lead_off_site(void **state)
{
	/* Browsers drop tabs and newlines inside a URL and read "\\" as "/",
	 * so each of these would send the user to another site. */
	static const char *const nexts[] = {"//evil.example/",	     "/\\evil.example/",
					    "https://evil.example/", "/\t/evil.example/",
					    "/\t\\evil.example/",    " //evil.example/"};
	struct huser *u = add_user(*state, "member");
	for (size_t i = 0; i < sizeof(nexts) / sizeof(nexts[0]); i++) {
		struct client *c = client_new(*state);
		const char *tok = csrf_in(get(c, "/login"));
		struct resp *r = post_form(c, "/login",
					   form_body("email", u->email, "password", u->password,
						     "next", nexts[i], "_csrf", tok, NULL));
		if (r->status != 303)
			continue; /* refusing the login is safe too */
		const char *loc = header_of(r, "Location");
		char clean[256];
		size_t n = 0;
		for (const char *p = loc ? loc : ""; *p && n < sizeof(clean) - 1; p++)
			if (*p != '\t' && *p != '\n' && *p != '\r')
				clean[n++] = *p == '\\' ? '/' : *p;
		clean[n] = '\0';
		if (clean[0] != '/' || clean[1] == '/')
			fail_msg("next=\"%s\" redirected to \"%s\", which a browser reads as "
				 "another site",
				 nexts[i], loc);
	}
}

static void login_form_keeps_next_escaped(void **state)
{
	struct resp *r = get(client_new(*state), "/login?next=%2Fgroups%22%3E%3Cscript%3Ex");
	assert_status(r, 200);
	assert_contains(BODY(r), "name=\"next\" value=\"/groups&quot;&gt;&lt;script&gt;x\"");
	assert_not_contains(BODY(r), "<script>x");
}

static void login_without_csrf_gives_403(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_new(*state);
	assert_status(get(c, "/login"), 200);
	struct resp *r =
	    post_form(c, "/login", form_body("email", u->email, "password", u->password, NULL));
	assert_status(r, 403);
	assert_contains(BODY(r), "フォームの有効期限が切れたか、不正な送信です。");
	assert_null(set_cookie_of(r, "kyodo_session"));
}

static void login_with_wrong_csrf_gives_403(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_new(*state);
	assert_status(get(c, "/login"), 200);
	struct resp *r = post_form(c, "/login",
				   form_body("email", u->email, "password", u->password, "_csrf",
					     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL));
	assert_status(r, 403);
	assert_null(set_cookie_of(r, "kyodo_session"));
}

static void login_with_another_visitors_csrf_gives_403(void **state)
{
	/* A token is bound to its visitor cookie: one taken from another
	 * browser is refused. */
	struct huser *u = add_user(*state, "member");
	const char *theirs = csrf_in(get(client_new(*state), "/login"));
	struct client *c = client_new(*state);
	assert_status(get(c, "/login"), 200);
	struct resp *r =
	    post_form(c, "/login",
		      form_body("email", u->email, "password", u->password, "_csrf", theirs, NULL));
	assert_status(r, 403);
}

static void five_failures_lock_the_account_with_429(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_new(*state);
	for (int i = 0; i < 5; i++)
		assert_status(login(c, u->email, "wrong-password-123"), 401);
	/* Even the right password is refused now. */
	struct resp *r = login(c, u->email, u->password);
	assert_status(r, 429);
	assert_contains(BODY(r), "ログインの失敗が続いたため、一時的にログインを止めています。");
	assert_null(set_cookie_of(r, "kyodo_session"));
	/* Another account from the same address is not locked. */
	struct huser *other = add_user(*state, "member");
	assert_status(login(client_new(*state), other->email, other->password), 303);
}

/* POST /account/password for c; returns the response. */
static struct resp *change_password(struct client *c, const char *current, const char *pw,
				    const char *confirm)
{
	return post_form(c, "/account/password",
			 form_body("current", current, "password", pw, "confirm", confirm, "_csrf",
				   client_csrf(c), NULL));
}

static void password_change_with_wrong_current_gives_422(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	struct resp *r =
	    change_password(c, "not-my-password-1", "new-password-1234", "new-password-1234");
	assert_status(r, 422);
	assert_contains(BODY(r),
			"<p class=\"field__error\" id=\"f-current-error\"><span>エラー：</span>"
			"現在のパスワードが正しくありません</p>");
	assert_contains(BODY(r), "入力内容に誤りがあります（1件）");
	/* Nothing changed: the old password still logs in. */
	assert_status(login(client_new(*state), u->email, u->password), 303);
}

static void password_change_with_mismatched_confirm_gives_422(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	struct resp *r = change_password(c, u->password, "new-password-1234", "new-password-9999");
	assert_status(r, 422);
	assert_contains(BODY(r),
			"<p class=\"field__error\" id=\"f-confirm-error\"><span>エラー：</span>"
			"確認用のパスワードが一致しません</p>");
	assert_status(login(client_new(*state), u->email, u->password), 303);
}

static void password_change_with_short_password_gives_422(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	struct resp *r = change_password(c, u->password, "short", "short");
	assert_status(r, 422);
	assert_contains(BODY(r), "パスワードは10文字以上128文字以内で入力してください");
}

static void password_change_lets_the_new_password_log_in(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	struct resp *r =
	    change_password(c, u->password, "brand-new-password-42", "brand-new-password-42");
	assert_status(r, 303);
	/* This session stays. */
	assert_status(get(c, "/account/password"), 200);
	assert_status(login(client_new(*state), u->email, "brand-new-password-42"), 303);
	assert_status(login(client_new(*state), u->email, u->password), 401);
}

static void password_change_ends_other_sessions(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *here = client_as(*state, u);
	struct client *elsewhere = client_as(*state, u);
	assert_status(get(elsewhere, "/account/password"), 200);
	assert_status(
	    change_password(here, u->password, "changed-password-77", "changed-password-77"), 303);
	assert_status(get(here, "/account/password"), 200);
	assert_status(get(elsewhere, "/account/password"), 303);
}

static void password_change_ends_every_other_session_and_is_audited(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	struct client *here = client_as(s, u);
	struct client *phone = client_as(s, u), *laptop = client_as(s, u);
	struct huser *other = add_user(s, "member");
	struct client *someone_else = client_as(s, other);
	assert_status(
	    change_password(here, u->password, "every-other-ends-42", "every-other-ends-42"), 303);
	assert_status(get(here, "/account/password"), 200);
	assert_status(get(phone, "/account/password"), 303);
	assert_status(get(laptop, "/account/password"), 303);
	/* Other users' sessions are not touched. */
	assert_status(get(someone_else, "/account/password"), 200);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM sessions WHERE user_id = %lld", (long long)u->id), 1);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE action = 'password' AND "
				 "user_id = %lld AND entity_id = %lld",
				 (long long)u->id, (long long)u->id),
			 1);
}

static void password_change_that_cannot_end_other_sessions_changes_nothing(void **state)
{
	/* The new password, the end of the other sessions and the audit entry
	 * are one transaction: when the sessions cannot be deleted, the
	 * password stays as it was and the other sessions stay open. */
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	struct client *here = client_as(s, u), *elsewhere = client_as(s, u);
	sql(s,
	    "CREATE TRIGGER t0200_keep_sessions BEFORE DELETE ON sessions WHEN old.user_id = %lld "
	    "BEGIN SELECT RAISE(ABORT, 't0200: sessions kept'); END",
	    (long long)u->id);
	struct resp *r =
	    change_password(here, u->password, "never-stored-pass-1", "never-stored-pass-1");
	sql(s, "DROP TRIGGER t0200_keep_sessions");
	assert_status(r, 503);
	assert_contains(BODY(r), "パスワードを変更できませんでした。");
	assert_status(get(elsewhere, "/account/password"), 200);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE action = 'password' AND "
				 "user_id = %lld",
				 (long long)u->id),
			 0);
	assert_status(login(client_new(s), u->email, "never-stored-pass-1"), 401);
	assert_status(login(client_new(s), u->email, u->password), 303);
}

static void idle_session_expires_after_two_hours(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	assert_status(get(c, "/account/password"), 200);
	sql(*state, "UPDATE sessions SET seen_at = seen_at - 2 * 3600 - 60 WHERE user_id = %lld",
	    (long long)u->id);
	assert_status(get(c, "/account/password"), 303);
}

static void session_expires_twelve_hours_after_login(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	sql(*state,
	    "UPDATE sessions SET created_at = created_at - 12 * 3600 - 60 WHERE user_id = %lld",
	    (long long)u->id);
	/* Even though it was used a moment ago. */
	assert_status(get(c, "/account/password"), 303);
}

static void active_session_stays_valid(void **state)
{
	struct huser *u = add_user(*state, "member");
	struct client *c = client_as(*state, u);
	sql(*state,
	    "UPDATE sessions SET seen_at = seen_at - 3600, created_at = created_at - 3600 "
	    "WHERE user_id = %lld",
	    (long long)u->id);
	assert_status(get(c, "/account/password"), 200);
}

static void garbage_session_cookie_is_treated_as_logged_out(void **state)
{
	struct client *c = client_new(*state);
	const char *h[] = {"Cookie: kyodo_session=garbage%00<script>", NULL};
	struct resp *r = request(c, "GET", "/account/password", h, NULL, NULL);
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"), "/login?next=%2Faccount%2Fpassword");
	r = request(c, "GET", "/", h, NULL, NULL);
	assert_status(r, 200);
	assert_not_contains(BODY(r), "ログアウト");
	assert_contains(BODY(r), "<a href=\"/login\">ログイン</a>");
	/* A 43-character token of the right shape that no session has. */
	const char *h2[] = {"Cookie: kyodo_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			    NULL};
	assert_status(request(c, "GET", "/account/password", h2, NULL, NULL), 303);
}

static void disabled_user_cannot_log_in(void **state)
{
	struct huser *u = add_user(*state, "admin");
	sql(*state, "UPDATE users SET disabled = 1 WHERE id = %lld", (long long)u->id);
	struct resp *r = login(client_new(*state), u->email, u->password);
	assert_status(r, 401);
	assert_contains(BODY(r), BAD_LOGIN);
	assert_null(set_cookie_of(r, "kyodo_session"));
}

static void disabling_a_user_ends_their_session(void **state)
{
	struct huser *u = add_user(*state, "admin");
	struct client *c = client_as(*state, u);
	assert_status(get(c, "/groups/new"), 200);
	sql(*state, "UPDATE users SET disabled = 1 WHERE id = %lld", (long long)u->id);
	assert_status(get(c, "/groups/new"), 303);
}

/* Fastest of three failed logins. */
static double fastest_failure(struct server *s, const char *const emails[3])
{
	double best = 1e9;
	for (int i = 0; i < 3; i++) {
		struct client *c = client_new(s);
		const char *tok = csrf_in(get(c, "/login"));
		struct resp *r = post_form(c, "/login",
					   form_body("email", emails[i], "password",
						     "not-the-password-1", "_csrf", tok, NULL));
		assert_status(r, 401);
		if (r->seconds < best)
			best = r->seconds;
	}
	return best;
}

static void failed_login_takes_as_long_for_unknown_email(void **state)
{
	/* The message is the same for both causes; the time must not tell
	 * them apart either, or it reveals which addresses have accounts.
	 * The margin is wide: this checks that the password hash runs in both
	 * cases, not how fast it is. */
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	const char *known[3] = {u->email, u->email, u->email};
	const char *unknown[3] = {"ghost-1@example.jp", "ghost-2@example.jp", "ghost-3@example.jp"};
	double k = fastest_failure(s, known);
	double n = fastest_failure(s, unknown);
	if (n < k / 5)
		fail_msg("a wrong password for an existing account takes %.1f ms, an unknown "
			 "address %.1f ms",
			 k * 1000, n * 1000);
}

static void twenty_failures_from_one_address_block_all_logins(void **state)
{
	/* Last: afterwards nobody can log in from 127.0.0.1 for 15 minutes. */
	struct server *s = *state;
	struct huser *u = add_user(s, "member");
	int64_t so_far = atoll(sql(s, "SELECT coalesce(max(count), 0) FROM login_failures WHERE "
				      "key = 'ip:127.0.0.1'"));
	for (int64_t i = so_far; i < 20; i++) {
		struct resp *r = login(client_new(s), hfmt("someone-%lld@example.jp", (long long)i),
				       "not-the-password-1");
		assert_status(r, 401);
	}
	struct resp *r = login(client_new(s), u->email, u->password);
	assert_status(r, 429);
	assert_null(set_cookie_of(r, "kyodo_session"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(login_sets_httponly_samesite_session_cookie),
	    cmocka_unit_test(login_with_wrong_password_gives_401_and_keeps_email),
	    cmocka_unit_test(login_with_unknown_email_gives_same_401),
	    cmocka_unit_test(login_redirects_only_to_local_next),
	    cmocka_unit_test(logout_ends_the_session),
	    cmocka_unit_test(logout_deletes_the_session_cookie),
	    cmocka_unit_test(logout_without_csrf_gives_403),
	    cmocka_unit_test(login_next_cannot_lead_off_site),
	    cmocka_unit_test(login_form_keeps_next_escaped),
	    cmocka_unit_test(login_without_csrf_gives_403),
	    cmocka_unit_test(login_with_wrong_csrf_gives_403),
	    cmocka_unit_test(login_with_another_visitors_csrf_gives_403),
	    cmocka_unit_test(five_failures_lock_the_account_with_429),
	    cmocka_unit_test(password_change_with_wrong_current_gives_422),
	    cmocka_unit_test(password_change_with_mismatched_confirm_gives_422),
	    cmocka_unit_test(password_change_with_short_password_gives_422),
	    cmocka_unit_test(password_change_lets_the_new_password_log_in),
	    cmocka_unit_test(password_change_ends_other_sessions),
	    cmocka_unit_test(password_change_ends_every_other_session_and_is_audited),
	    cmocka_unit_test(password_change_that_cannot_end_other_sessions_changes_nothing),
	    cmocka_unit_test(idle_session_expires_after_two_hours),
	    cmocka_unit_test(session_expires_twelve_hours_after_login),
	    cmocka_unit_test(active_session_stays_valid),
	    cmocka_unit_test(garbage_session_cookie_is_treated_as_logged_out),
	    cmocka_unit_test(disabled_user_cannot_log_in),
	    cmocka_unit_test(disabling_a_user_ends_their_session),
	    cmocka_unit_test(failed_login_takes_as_long_for_unknown_email),
	    cmocka_unit_test(twenty_failures_from_one_address_block_all_logins),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
