/*
 * Unit tests for accounts/user and accounts/auth on a temporary migrated
 * database: a password change is one transaction with the end of the
 * user's other sessions and its audit entry; the office's edit of an
 * account ends a disabled user's sessions; registering a taken address is
 * a conflict with nothing written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/auth.h"
#include "accounts/user.h"
#include "core/role.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/msg.h"

#include "tempdb.h"

struct fixture {
	struct tempdb t;
	int64_t user;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	if (!fx || tempdb_open(&fx->t, "accounts") != 0 || auth_init(fx->t.db) != 0)
		return -1;
	if (user_create(fx->t.db, "member@example.jp", "会員", "カイイン", ROLE_MEMBER,
			"first-password-1", &fx->user) != RC_OK)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	tempdb_close(&fx->t);
	free(fx);
	return 0;
}

/* Three sessions of the user; *keep gets the id of the first. */
static void three_sessions(struct fixture *fx, struct arena *a, int64_t *keep)
{
	tempdb_exec(&fx->t, "DELETE FROM sessions");
	for (int i = 0; i < 3; i++)
		assert_non_null(auth_session_create(fx->t.db, a, fx->user));
	*keep = tempdb_int(&fx->t, "SELECT min(id) FROM sessions WHERE user_id = %lld",
			   (long long)fx->user);
}

static void password_change_ends_the_other_sessions_with_one_audit_entry(void **state)
{
	struct fixture *fx = *state;
	struct arena a;
	arena_init(&a);
	int64_t keep;
	three_sessions(fx, &a, &keep);
	int64_t audits =
	    tempdb_int(&fx->t, "SELECT count(*) FROM audit_log WHERE action = 'password'");
	assert_int_equal(user_change_password(fx->t.db, fx->user, "second-password-2", keep),
			 RC_OK);
	assert_int_equal(tempdb_int(&fx->t, "SELECT count(*) FROM sessions WHERE user_id = %lld",
				    (long long)fx->user),
			 1);
	assert_int_equal(
	    tempdb_int(&fx->t, "SELECT id FROM sessions WHERE user_id = %lld", (long long)fx->user),
	    keep);
	assert_int_equal(tempdb_int(&fx->t,
				    "SELECT count(*) FROM audit_log WHERE action = 'password' AND "
				    "summary = 'パスワード変更'"),
			 audits + 1);
	struct user u;
	assert_int_equal(user_get(fx->t.db, &a, fx->user, &u), RC_OK);
	assert_true(auth_check_password(u.pw_hash, "second-password-2"));
	arena_free(&a);
}

/* With trigger in place, a password change fails (RC_ERROR) and leaves the
 * password, the three sessions and the audit log as they were. */
static void assert_change_fails_whole(struct fixture *fx, const char *trigger)
{
	struct arena a;
	arena_init(&a);
	int64_t keep;
	three_sessions(fx, &a, &keep);
	struct user before, after;
	assert_int_equal(user_get(fx->t.db, &a, fx->user, &before), RC_OK);
	int64_t audits = tempdb_int(&fx->t, "SELECT count(*) FROM audit_log");
	tempdb_exec(&fx->t, "CREATE TRIGGER refuse %s BEGIN SELECT RAISE(ABORT, 'no'); END",
		    trigger);
	assert_int_equal(user_change_password(fx->t.db, fx->user, "never-stored-3", keep),
			 RC_ERROR);
	tempdb_exec(&fx->t, "DROP TRIGGER refuse");
	assert_int_equal(user_get(fx->t.db, &a, fx->user, &after), RC_OK);
	assert_string_equal(after.pw_hash, before.pw_hash);
	assert_int_equal(tempdb_int(&fx->t, "SELECT count(*) FROM sessions"), 3);
	assert_int_equal(tempdb_int(&fx->t, "SELECT count(*) FROM audit_log"), audits);
	arena_free(&a);
}

static void password_change_changes_nothing_when_the_sessions_cannot_end(void **state)
{
	assert_change_fails_whole(*state, "BEFORE DELETE ON sessions");
}

static void password_change_changes_nothing_when_the_audit_fails(void **state)
{
	assert_change_fails_whole(*state, "BEFORE INSERT ON audit_log");
}

static void password_change_of_a_missing_user_fails(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(user_change_password(fx->t.db, 999999, "whatever-pass-5", 0), RC_ERROR);
}

static void disabling_an_account_ends_all_its_sessions(void **state)
{
	struct fixture *fx = *state;
	struct arena a;
	arena_init(&a);
	int64_t keep;
	three_sessions(fx, &a, &keep);
	struct user u;
	assert_int_equal(user_get(fx->t.db, &a, fx->user, &u), RC_OK);
	u.disabled = true;
	assert_int_equal(user_save(fx->t.db, &a, &u, NULL, 0, 0, 0, "無効にした"), RC_OK);
	assert_int_equal(tempdb_int(&fx->t, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(tempdb_int(&fx->t,
				    "SELECT count(*) FROM audit_log WHERE action = 'update' AND "
				    "entity = 'user' AND entity_id = %lld",
				    (long long)fx->user),
			 1);
	u.disabled = false;
	/* Nothing to say: no audit entry. */
	assert_int_equal(user_save(fx->t.db, &a, &u, NULL, 0, 0, 0, ""), RC_OK);
	assert_int_equal(tempdb_int(&fx->t,
				    "SELECT count(*) FROM audit_log WHERE action = 'update' AND "
				    "entity = 'user' AND entity_id = %lld",
				    (long long)fx->user),
			 1);
	arena_free(&a);
}

static void registering_a_taken_address_is_a_conflict(void **state)
{
	struct fixture *fx = *state;
	int64_t audits = tempdb_int(&fx->t, "SELECT count(*) FROM audit_log");
	const struct user u = {.email = "member@example.jp", .name = "別人", .roles = ROLE_MEMBER};
	int64_t id = -1;
	assert_int_equal(user_register(fx->t.db, &u, "some-password-6", 0, "登録", &id),
			 RC_CONFLICT);
	assert_int_equal(id, -1);
	assert_int_equal(tempdb_int(&fx->t, "SELECT count(*) FROM audit_log"), audits);
	const struct user v = {.email = "new@example.jp", .name = "新人", .roles = ROLE_MEMBER};
	assert_int_equal(user_register(fx->t.db, &v, "some-password-6", 0, "登録", &id), RC_OK);
	assert_true(id > 0);
	assert_int_equal(tempdb_int(&fx->t, "SELECT count(*) FROM audit_log"), audits + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(password_change_ends_the_other_sessions_with_one_audit_entry),
	    cmocka_unit_test(password_change_changes_nothing_when_the_sessions_cannot_end),
	    cmocka_unit_test(password_change_changes_nothing_when_the_audit_fails),
	    cmocka_unit_test(password_change_of_a_missing_user_fails),
	    cmocka_unit_test(disabling_an_account_ends_all_its_sessions),
	    cmocka_unit_test(registering_a_taken_address_is_a_conflict),
	};
	return cmocka_run_group_tests_name("accounts on a database", tests, setup, teardown);
}
