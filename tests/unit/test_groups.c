/*
 * Unit tests for groups/group and groups/theme on a temporary migrated
 * database: group_access() (who may view private fields, edit, archive),
 * the audit of a look at personal data, form errors worded from message
 * keys, and the theme rules (a taken name, the position after the last,
 * no audit entry when nothing changed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/role.h"
#include "core/who.h"
#include "groups/group.h"
#include "groups/theme.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/msg.h"

#include "tempdb.h"

static int setup(void **state)
{
	struct tempdb *t = calloc(1, sizeof(*t));
	if (!t || tempdb_open(t, "groups") != 0)
		return -1;
	/* 1 member of group 1, 2 member of group 2, 3 in group 1 without the
	 * member role, 4 coordinator. */
	tempdb_exec(t, "INSERT INTO users(id, email, name, pw_hash, roles, created_at, updated_at) "
		       "VALUES (1, 'm1@example.jp', '会員一', 'x', 16, 0, 0), "
		       "(2, 'm2@example.jp', '会員二', 'x', 16, 0, 0), "
		       "(3, 'r@example.jp', '審査員', 'x', 8, 0, 0), "
		       "(4, 'c@example.jp', '相談員', 'x', 2, 0, 0)");
	tempdb_exec(t, "INSERT INTO groups(id, name, name_kana, name_sort, kind, search_text, "
		       "private_contact, created_at, updated_at) VALUES "
		       "(1, '団体A', 'ダンタイエー', 'a', '任意団体', '', '秘密', 0, 0), "
		       "(2, '団体B', 'ダンタイビー', 'b', '任意団体', '', '', 0, 0)");
	tempdb_exec(t, "INSERT INTO group_members VALUES (1, 1), (2, 2), (1, 3)");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tempdb_close(*state);
	free(*state);
	return 0;
}

static struct who person(int64_t id, unsigned roles)
{
	return (struct who){.id = id, .roles = roles};
}

static void staff_may_view_edit_and_manage_any_group(void **state)
{
	struct tempdb *fx = *state;
	struct who admin = person(9, ROLE_ADMIN), coordinator = person(4, ROLE_COORDINATOR);
	for (enum access_act act = ACCESS_VIEW; act <= ACCESS_MANAGE; act++) {
		assert_true(access_may(fx->db, &admin, ACCESS_GROUP, 2, act));
		assert_true(access_may(fx->db, &coordinator, ACCESS_GROUP, 1, act));
	}
}

static void member_may_view_and_edit_only_their_group_and_never_manage(void **state)
{
	struct tempdb *fx = *state;
	struct who m1 = person(1, ROLE_MEMBER);
	assert_true(group_access(fx->db, &m1, 1, ACCESS_VIEW));
	assert_true(group_access(fx->db, &m1, 1, ACCESS_EDIT));
	assert_false(group_access(fx->db, &m1, 1, ACCESS_MANAGE));
	assert_false(group_access(fx->db, &m1, 2, ACCESS_VIEW));
	assert_false(group_access(fx->db, &m1, 2, ACCESS_EDIT));
}

static void membership_without_the_member_role_gives_nothing(void **state)
{
	struct tempdb *fx = *state;
	struct who reviewer = person(3, ROLE_REVIEWER);
	assert_false(group_access(fx->db, &reviewer, 1, ACCESS_VIEW));
	assert_false(group_access(fx->db, &reviewer, 1, ACCESS_EDIT));
}

static void resident_may_do_nothing(void **state)
{
	struct tempdb *fx = *state;
	assert_false(group_access(fx->db, NULL, 1, ACCESS_VIEW));
	assert_false(access_may(fx->db, NULL, ACCESS_GROUP, 1, ACCESS_EDIT));
}

static void a_private_view_is_audited_and_a_refused_audit_is_reported(void **state)
{
	struct tempdb *fx = *state;
	const char *views = "SELECT count(*) FROM audit_log WHERE action = 'view_personal' AND "
			    "entity = 'group' AND entity_id = 1 AND user_id = 1 AND "
			    "summary = '非公開の連絡先を表示'";
	int64_t before = tempdb_int(fx, views);
	assert_int_equal(group_log_private_view(fx->db, 1, 1), DB_OK);
	assert_int_equal(tempdb_int(fx, views), before + 1);
	tempdb_exec(fx, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log "
			"BEGIN SELECT RAISE(ABORT, 'refused'); END");
	assert_int_not_equal(group_log_private_view(fx->db, 1, 1), DB_OK);
	tempdb_exec(fx, "DROP TRIGGER no_audit");
	assert_int_equal(tempdb_int(fx, views), before + 1);
}

static void find_hides_archived_groups_unless_asked(void **state)
{
	struct tempdb *fx = *state;
	struct arena a;
	arena_init(&a);
	struct group g;
	assert_int_equal(group_set_archived(fx->db, 2, true, 4), RC_OK);
	assert_int_equal(group_find(fx->db, &a, 2, false, &g), RC_NOT_FOUND);
	assert_int_equal(group_find(fx->db, &a, 2, true, &g), RC_OK);
	assert_true(g.archived);
	assert_int_equal(group_set_archived(fx->db, 2, false, 4), RC_OK);
	assert_int_equal(group_find(fx->db, &a, 2, false, &g), RC_OK);
	assert_int_equal(group_find(fx->db, &a, -1, true, &g), RC_NOT_FOUND);
	assert_int_equal(group_set_archived(fx->db, 999, true, 4), RC_NOT_FOUND);
	arena_free(&a);
}

static void unknown_theme_error_names_it_in_words(void **state)
{
	struct tempdb *fx = *state;
	struct arena a;
	arena_init(&a);
	struct kv kv[] = {
	    {"name", "団体C", 0},   {"name_kana", "ダンタイシー", 0},  {"kind", "任意団体", 0},
	    {"purpose", "目的", 0}, {"themes", "存在しないテーマ", 0},
	};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		kv[i].len = strlen(kv[i].val);
	struct form f;
	form_check(&a, group_fields, GF__MAX, kv, sizeof(kv) / sizeof(kv[0]), &f);
	assert_int_equal(f.nerrors, 0);
	struct group g = {0};
	assert_int_equal(group_from_form(fx->db, &a, &f, NULL, &g), 1);
	assert_string_equal(f.v[GF_THEMES].error,
			    "活動テーマ「存在しないテーマ」は登録されていません");
	arena_free(&a);
}

static void theme_names_are_unique_and_new_ones_go_last(void **state)
{
	struct tempdb *fx = *state;
	struct arena a;
	arena_init(&a);
	int64_t first, second;
	assert_int_equal(theme_create(fx->db, &a, "子育て", 500, 4, &first), RC_OK);
	assert_int_equal(theme_create(fx->db, &a, "防災", -1, 4, &second), RC_OK);
	struct theme t;
	assert_int_equal(theme_get(fx->db, &a, second, &t), RC_OK);
	assert_true(t.position >= 510);
	assert_int_equal(theme_create(fx->db, &a, "子育て", -1, 4, NULL), RC_CONFLICT);
	assert_int_equal(tempdb_int(fx, "SELECT count(*) FROM themes WHERE name = '子育て'"), 1);
	assert_int_equal(tempdb_int(fx,
				    "SELECT count(*) FROM audit_log WHERE entity = 'theme' AND "
				    "action = 'create' AND entity_id = %lld AND "
				    "summary = '「防災」を追加　表示順：%lld'",
				    (long long)second, (long long)t.position),
			 1);
	arena_free(&a);
}

static void theme_update_audits_what_changed_and_nothing_when_unchanged(void **state)
{
	struct tempdb *fx = *state;
	struct arena a;
	arena_init(&a);
	int64_t id;
	assert_int_equal(theme_create(fx->db, &a, "まちづくり", 100, 4, &id), RC_OK);
	struct theme old;
	assert_int_equal(theme_get(fx->db, &a, id, &old), RC_OK);
	const char *updates = "SELECT count(*) FROM audit_log WHERE entity = 'theme' AND "
			      "action = 'update'";
	int64_t before = tempdb_int(fx, updates);
	assert_int_equal(theme_update(fx->db, &a, &old, &old, 4), RC_OK);
	assert_int_equal(tempdb_int(fx, updates), before);
	struct theme t = old;
	t.archived = true;
	t.position = 120;
	assert_int_equal(theme_update(fx->db, &a, &t, &old, 4), RC_OK);
	assert_int_equal(tempdb_int(fx, updates), before + 1);
	assert_int_equal(tempdb_int(fx, "SELECT count(*) FROM audit_log WHERE entity = 'theme' AND "
					"summary = '表示順：100 → 120 ／ アーカイブした'"),
			 1);
	struct theme *list;
	size_t n = theme_list(fx->db, &a, false, &list);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(list[i].id, id);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(staff_may_view_edit_and_manage_any_group),
	    cmocka_unit_test(member_may_view_and_edit_only_their_group_and_never_manage),
	    cmocka_unit_test(membership_without_the_member_role_gives_nothing),
	    cmocka_unit_test(resident_may_do_nothing),
	    cmocka_unit_test(a_private_view_is_audited_and_a_refused_audit_is_reported),
	    cmocka_unit_test(find_hides_archived_groups_unless_asked),
	    cmocka_unit_test(unknown_theme_error_names_it_in_words),
	    cmocka_unit_test(theme_names_are_unique_and_new_ones_go_last),
	    cmocka_unit_test(theme_update_audits_what_changed_and_nothing_when_unchanged),
	};
	return cmocka_run_group_tests_name("groups on a database", tests, setup, teardown);
}
