/*
 * t0900: the command line — help, usage errors, idempotent migrate and
 * demo (run while the server is serving the same database), user and token
 * errors.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help_exits_0_and_lists_commands(void **state)
{
	char *out = NULL, *err = NULL;
	assert_int_equal(kyodo_cmd(*state, NULL, &out, &err, "--help", NULL), 0);
	assert_contains(out, "usage: kyodo COMMAND");
	const char *cmds[] = {"serve", "migrate", "demo", "user", "token", "backup"};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_contains(out, hfmt("  %s ", cmds[i]));
	assert_string_equal(err, "");
}

static void command_help_exits_0(void **state)
{
	char *out = NULL;
	assert_int_equal(kyodo_cmd(*state, NULL, &out, NULL, "migrate", "--help", NULL), 0);
	assert_contains(out, "usage: kyodo migrate");
	assert_int_equal(kyodo_cmd(*state, NULL, &out, NULL, "user", "-h", NULL), 0);
	assert_contains(out, "usage: kyodo user add");
}

static void unknown_command_exits_2_with_message(void **state)
{
	char *out = NULL, *err = NULL;
	assert_int_equal(kyodo_cmd(*state, NULL, &out, &err, "frobnicate", NULL), 2);
	assert_contains(err, "unknown command 'frobnicate'");
	assert_contains(err, "usage: kyodo COMMAND");
	assert_string_equal(out, "");
}

static void no_command_exits_2_with_usage(void **state)
{
	char *out = NULL, *err = NULL;
	const char *argv[] = {NULL};
	assert_int_equal(kyodo_cmdv(*state, NULL, NULL, &out, &err, argv), 2);
	assert_contains(err, "usage: kyodo COMMAND");
}

static void extra_arguments_exit_2(void **state)
{
	char *err = NULL;
	assert_int_equal(kyodo_cmd(*state, NULL, NULL, &err, "migrate", "now", NULL), 2);
	assert_contains(err, "usage: kyodo migrate");
	assert_int_equal(kyodo_cmd(*state, NULL, NULL, &err, "backup", NULL), 2);
	assert_contains(err, "usage: kyodo backup FILE");
}

static void migrate_again_is_harmless(void **state)
{
	char *out = NULL;
	assert_int_equal(kyodo_cmd(*state, NULL, &out, NULL, "migrate", NULL), 0);
	assert_contains(out, "is up to date");
}

static void demo_twice_is_harmless(void **state)
{
	struct server *s = *state;
	int64_t groups = sql_int(s, "SELECT count(*) FROM groups");
	int64_t themes = sql_int(s, "SELECT count(*) FROM themes");
	int64_t awards = sql_int(s, "SELECT count(*) FROM group_awards");
	assert_int_equal(groups, 16);
	char *out = NULL, *err = NULL;
	assert_int_equal(kyodo_cmd(s, NULL, &out, &err, "demo", NULL), 0);
	assert_contains(out, "demo data: 0 themes and 0 groups added");
	assert_int_equal(sql_int(s, "SELECT count(*) FROM groups"), groups);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM themes"), themes);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM group_awards"), awards);
	/* The running server is unaffected. */
	struct resp *r = get(client_new(s), "/groups");
	assert_status(r, 200);
	assert_contains(BODY(r), "団体一覧（16件）");
}

static void user_add_with_short_password_fails(void **state)
{
	struct server *s = *state;
	char *out = NULL, *err = NULL;
	int rc = kyodo_cmd(s, "abcde\n", &out, &err, "user", "add", "--email", "short@example.jp",
			   "--name", "短い", "--role", "member", NULL);
	assert_int_not_equal(rc, 0);
	assert_contains(err, "10 to 128 characters");
	assert_int_equal(sql_int(s, "SELECT count(*) FROM users WHERE email = 'short@example.jp'"),
			 0);
}

static void user_add_without_password_fails(void **state)
{
	char *err = NULL;
	int rc = kyodo_cmd(*state, NULL, NULL, &err, "user", "add", "--email", "nopw@example.jp",
			   "--name", "無し", "--role", "member", NULL);
	assert_int_not_equal(rc, 0);
	assert_contains(err, "password");
}

static void user_add_with_unknown_role_exits_2(void **state)
{
	char *err = NULL;
	int rc = kyodo_cmd(*state, "long-enough-password\n", NULL, &err, "user", "add", "--email",
			   "role@example.jp", "--name", "役割", "--role", "superuser", NULL);
	assert_int_equal(rc, 2);
	assert_contains(err, "unknown role 'superuser'");
}

static void user_add_without_email_exits_2(void **state)
{
	char *err = NULL;
	int rc = kyodo_cmd(*state, "long-enough-password\n", NULL, &err, "user", "add", "--name",
			   "名前だけ", NULL);
	assert_int_equal(rc, 2);
	assert_contains(err, "usage: kyodo user add");
}

static void user_add_then_login_works(void **state)
{
	struct server *s = *state;
	char *out = NULL;
	int rc = kyodo_cmd(s, "cli-made-password-1\n", &out, NULL, "user", "add", "--email",
			   "cli@example.jp", "--name", "CLI利用者", "--kana", "しーえるあい",
			   "--role", "coordinator", NULL);
	assert_int_equal(rc, 0);
	assert_contains(out, "created user ");
	assert_string_equal(sql(s, "SELECT name_kana FROM users WHERE email = 'cli@example.jp'"),
			    "シーエルアイ");
	struct client *c = client_new(s);
	assert_status(login(c, "cli@example.jp", "cli-made-password-1"), 303);
	assert_status(get(c, "/groups/new"), 200);
}

static void token_add_for_unknown_email_fails(void **state)
{
	char *out = NULL, *err = NULL;
	int rc = kyodo_cmd(*state, NULL, &out, &err, "token", "add", "--email", "nobody@example.jp",
			   NULL);
	assert_int_not_equal(rc, 0);
	assert_contains(err, "no user with email nobody@example.jp");
}

static void token_is_last_line_and_works(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "admin");
	const char *tok = add_token(s, u);
	assert_int_equal(strlen(tok), 43);
	const char *h[] = {hfmt("Authorization: Bearer %s", tok), NULL};
	struct resp *r =
	    request(client_new(s), "GET",
		    hfmt("/api/v1/groups/%lld", (long long)group_id(s, "にじのわ")), h, NULL, NULL);
	assert_status(r, 200);
	/* Only the hash is stored. */
	assert_int_equal(sql_int(s, "SELECT count(*) FROM api_tokens WHERE token_hash = '%s'", tok),
			 0);
}

static void serve_with_bad_listen_address_fails(void **state)
{
	char *err = NULL;
	const char *env[] = {"KYODO_LISTEN=not-an-address", NULL};
	const char *argv[] = {"serve", NULL};
	int rc = kyodo_cmdv(*state, env, NULL, NULL, &err, argv);
	assert_int_not_equal(rc, 0);
	assert_contains(err, "KYODO_LISTEN");
}

/* Does the file at path contain the bytes s? */
static bool file_contains(const char *path, const char *s)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t n = strlen(s), have = 0;
	bool found = false;
	for (int c; !found && (c = getc(f)) != EOF;) {
		have = (unsigned char)c == (unsigned char)s[have]
			   ? have + 1
			   : ((unsigned char)c == (unsigned char)s[0]);
		found = have == n;
	}
	fclose(f);
	return found;
}

/* The switch to cheap password hashes exists only in build/kyodo-test
 * (Makefile); the binary a city runs cannot be told to weaken them. */
static void production_binary_has_no_fast_hash_switch(void **state)
{
	(void)state;
	const char *bin = getenv("KYODO_BIN");
	bin = bin && *bin ? bin : "build/kyodo";
	size_t n = strlen(bin);
	const char *prod =
	    n > 5 && strcmp(bin + n - 5, "-test") == 0 ? hfmt("%.*s", (int)(n - 5), bin) : bin;
	if (access(prod, R_OK) != 0)
		skip();
	assert_false(file_contains(prod, "KYODO_TEST_FAST_HASH"));
	const char *test = hfmt("%s-test", prod);
	if (access(test, R_OK) == 0)
		assert_true(file_contains(test, "KYODO_TEST_FAST_HASH"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(help_exits_0_and_lists_commands),
	    cmocka_unit_test(command_help_exits_0),
	    cmocka_unit_test(unknown_command_exits_2_with_message),
	    cmocka_unit_test(no_command_exits_2_with_usage),
	    cmocka_unit_test(extra_arguments_exit_2),
	    cmocka_unit_test(migrate_again_is_harmless),
	    cmocka_unit_test(demo_twice_is_harmless),
	    cmocka_unit_test(user_add_with_short_password_fails),
	    cmocka_unit_test(user_add_without_password_fails),
	    cmocka_unit_test(user_add_with_unknown_role_exits_2),
	    cmocka_unit_test(user_add_without_email_exits_2),
	    cmocka_unit_test(user_add_then_login_works),
	    cmocka_unit_test(token_add_for_unknown_email_fails),
	    cmocka_unit_test(token_is_last_line_and_works),
	    cmocka_unit_test(serve_with_bad_listen_address_fails),
	    cmocka_unit_test(production_binary_has_no_fast_hash_switch),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
