/*
 * t0700: personal data (a group's private contact and street address) is
 * shown only to staff and the group's members, and every such look is
 * audited; changes to groups are audited; `kyodo backup` makes a consistent
 * copy while the server is serving reads and writes.
 */
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PRIVATE_CONTACT "非公開連絡先 090-9999-8888"
#define STREET		"秘密町1-2-3"
#define BUILDING	"秘密ビル405"

struct fixture {
	struct huser *admin;
	struct client *admin_c;
	int64_t gid; /* a group with private data set through the form */
};

/* The group with private data, made once through the form as admin. */
static struct fixture *fixture(struct server *s)
{
	static struct fixture f;
	if (f.gid)
		return &f;
	f.admin = add_user(s, "admin");
	f.admin_c = client_as(s, f.admin);
	struct resp *r = post_form(
	    f.admin_c, "/groups",
	    form_body("name", "個人情報テストの会", "name_kana", "コジンジョウホウテストノカイ",
		      "kind", "任意団体", "purpose", "個人情報の扱いを確かめる団体です。",
		      "public_contact", "公開窓口 076-111-2222", "private_contact", PRIVATE_CONTACT,
		      "pref", "石川県", "city", "金沢市", "town", "広坂", "street", STREET,
		      "building", BUILDING, "_csrf", client_csrf(f.admin_c), NULL));
	assert_status(r, 303);
	f.gid = group_id(s, "個人情報テストの会");
	return &f;
}

static void assert_no_private_data(const char *body)
{
	assert_not_contains(body, "090-9999-8888");
	assert_not_contains(body, STREET);
	assert_not_contains(body, BUILDING);
	assert_not_contains(body, "非公開の情報");
}

static void assert_private_data(const char *body)
{
	assert_contains(body, "非公開の情報（事務局・団体メンバーのみ）");
	assert_contains(body, PRIVATE_CONTACT);
	assert_contains(body, STREET);
	assert_contains(body, BUILDING);
}

static void private_data_absent_from_public_html(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	struct client *c = client_new(s);
	struct resp *r = get(c, hfmt("/groups/%lld", (long long)f->gid));
	assert_status(r, 200);
	assert_contains(BODY(r), "個人情報テストの会");
	assert_contains(BODY(r), "公開窓口 076-111-2222");
	assert_contains(BODY(r), "石川県金沢市広坂");
	assert_no_private_data(BODY(r));
	r = get(c, hfmt("/groups?q=%s", urlenc("個人情報テスト")));
	assert_contains(BODY(r), "個人情報テストの会");
	assert_no_private_data(BODY(r));
}

static void private_data_absent_from_public_api(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	struct resp *r = get(client_new(s), hfmt("/api/v1/groups/%lld", (long long)f->gid));
	assert_status(r, 200);
	assert_no_private_data(BODY(r));
	assert_null(json_at(r, "private_contact"));
	r = get(client_new(s), hfmt("/api/v1/groups?q=%s", urlenc("個人情報テスト")));
	assert_string_equal(json_at(r, "total"), "1");
	assert_no_private_data(BODY(r));
}

static void private_data_is_not_searchable(void **state)
{
	struct server *s = *state;
	fixture(s);
	/* Searching for the secret must not reveal which group has it. */
	assert_string_equal(
	    json_at(get(client_new(s), hfmt("/api/v1/groups?q=%s", urlenc("090-9999-8888"))),
		    "total"),
	    "0");
	assert_string_equal(
	    json_at(get(client_new(s), hfmt("/api/v1/groups?q=%s", urlenc(STREET))), "total"), "0");
}

static void private_data_visible_to_admin(void **state)
{
	struct fixture *f = fixture(*state);
	struct resp *r = get(f->admin_c, hfmt("/groups/%lld", (long long)f->gid));
	assert_status(r, 200);
	assert_private_data(BODY(r));
}

static void private_data_visible_to_coordinator(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	struct resp *r =
	    get(client_as(s, add_user(s, "coordinator")), hfmt("/groups/%lld", (long long)f->gid));
	assert_status(r, 200);
	assert_private_data(BODY(r));
}

static void private_data_visible_to_member_of_group(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	struct client *c = client_as(s, add_member_of(s, f->gid));
	struct resp *r = get(c, hfmt("/groups/%lld", (long long)f->gid));
	assert_status(r, 200);
	assert_private_data(BODY(r));
	r = get(c, hfmt("/api/v1/groups/%lld", (long long)f->gid));
	assert_string_equal(json_at(r, "private_contact"), PRIVATE_CONTACT);
	assert_string_equal(json_at(r, "street"), STREET);
}

static void private_data_hidden_from_other_logged_in_users(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	const char *path = hfmt("/groups/%lld", (long long)f->gid);
	const char *roles[] = {"reviewer", "division"};
	for (size_t i = 0; i < 2; i++) {
		struct resp *r = get(client_as(s, add_user(s, roles[i])), path);
		assert_status(r, 200);
		assert_no_private_data(BODY(r));
	}
	struct huser *other = add_member_of(s, group_id(s, "NPOエコラボ"));
	struct resp *r = get(client_as(s, other), path);
	assert_status(r, 200);
	assert_no_private_data(BODY(r));
}

static int64_t view_rows(struct server *s, int64_t gid, int64_t uid)
{
	return sql_int(s,
		       "SELECT count(*) FROM audit_log WHERE action = 'view_personal' AND "
		       "entity = 'group' AND entity_id = %lld AND user_id = %lld",
		       (long long)gid, (long long)uid);
}

static void each_staff_view_writes_an_audit_row(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	const char *path = hfmt("/groups/%lld", (long long)f->gid);
	int64_t before = view_rows(s, f->gid, f->admin->id);
	assert_status(get(f->admin_c, path), 200);
	assert_int_equal(view_rows(s, f->gid, f->admin->id), before + 1);
	assert_status(get(f->admin_c, path), 200);
	assert_int_equal(view_rows(s, f->gid, f->admin->id), before + 2);
}

static void member_view_writes_an_audit_row(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	struct huser *m = add_member_of(s, f->gid);
	struct client *c = client_as(s, m);
	assert_status(get(c, hfmt("/groups/%lld", (long long)f->gid)), 200);
	assert_int_equal(view_rows(s, f->gid, m->id), 1);
}

static void public_view_writes_no_audit_row(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	int64_t before =
	    sql_int(s, "SELECT count(*) FROM audit_log WHERE action = 'view_personal'");
	assert_status(get(client_new(s), hfmt("/groups/%lld", (long long)f->gid)), 200);
	struct huser *rev = add_user(s, "reviewer");
	assert_status(get(client_as(s, rev), hfmt("/groups/%lld", (long long)f->gid)), 200);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM audit_log WHERE action = 'view_personal'"), before);
}

static void api_view_of_private_data_writes_an_audit_row(void **state)
{
	struct server *s = *state;
	struct fixture *f = fixture(s);
	struct huser *m = add_member_of(s, f->gid);
	struct client *c = client_as(s, m);
	struct resp *r = get(c, hfmt("/api/v1/groups/%lld", (long long)f->gid));
	assert_status(r, 200);
	assert_string_equal(json_at(r, "private_contact"), PRIVATE_CONTACT);
	assert_int_equal(view_rows(s, f->gid, m->id), 1);
}

static void private_data_not_shown_when_the_view_cannot_be_audited(void **state)
{
	/* One policy for a look at personal data that cannot be recorded: it
	 * does not happen (503), on the page and in the API alike. */
	struct server *s = *state;
	struct fixture *f = fixture(s);
	struct huser *u = add_user(s, "coordinator");
	struct client *c = client_as(s, u);
	sql(s,
	    "CREATE TRIGGER t0700_no_audit BEFORE INSERT ON audit_log WHEN "
	    "new.action = 'view_personal' AND new.user_id = %lld "
	    "BEGIN SELECT RAISE(ABORT, 't0700: audit refused'); END",
	    (long long)u->id);
	struct resp *page = get(c, hfmt("/groups/%lld", (long long)f->gid));
	struct resp *api = get(c, hfmt("/api/v1/groups/%lld", (long long)f->gid));
	sql(s, "DROP TRIGGER t0700_no_audit");
	assert_status(page, 503);
	assert_contains(BODY(page), "記録できなかったため表示を中止しました。");
	assert_no_private_data(BODY(page));
	assert_status(api, 503);
	assert_no_private_data(BODY(api));
	assert_int_equal(view_rows(s, f->gid, u->id), 0);
	/* Once the log works again, so does the page. */
	page = get(c, hfmt("/groups/%lld", (long long)f->gid));
	assert_status(page, 200);
	assert_private_data(BODY(page));
	assert_int_equal(view_rows(s, f->gid, u->id), 1);
}

static void group_changes_write_audit_rows_with_user(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "coordinator");
	struct client *c = client_as(s, u);
	struct resp *r =
	    post_form(c, "/groups",
		      form_body("name", "監査される団体", "name_kana", "カンサ", "kind", "任意団体",
				"purpose", "監査の確認", "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	int64_t gid = group_id(s, "監査される団体");
	r = post_form(c, hfmt("/groups/%lld", (long long)gid),
		      form_body("name", "監査される団体", "name_kana", "カンサ", "kind", "任意団体",
				"purpose", "監査の確認", "members", "8", "_csrf", client_csrf(c),
				NULL));
	assert_status(r, 303);
	r = post_form(c, hfmt("/groups/%lld/archive", (long long)gid),
		      form_body("archived", "1", "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	r = post_form(c, hfmt("/groups/%lld/archive", (long long)gid),
		      form_body("archived", "0", "_csrf", client_csrf(c), NULL));
	assert_status(r, 303);
	const char *where = hfmt("entity = 'group' AND entity_id = %lld AND user_id = %lld AND "
				 "action <> 'view_personal'",
				 (long long)gid, (long long)u->id);
	assert_string_equal(sql(s, "SELECT action FROM audit_log WHERE %s ORDER BY id", where),
			    "create\nupdate\narchive\nunarchive");
	/* The update says what changed. */
	assert_contains(
	    sql(s, "SELECT summary FROM audit_log WHERE %s AND action = 'update'", where),
	    "会員数");
}

static void api_changes_write_audit_rows_with_user(void **state)
{
	struct server *s = *state;
	struct huser *u = add_user(s, "admin");
	const char *h[] = {hfmt("Authorization: Bearer %s", add_token(s, u)), NULL};
	struct resp *r = send_json(client_new(s), "POST", "/api/v1/groups",
				   "{\"name\":\"API監査団体\",\"name_kana\":\"カンサ\",\"kind\":"
				   "\"任意団体\",\"purpose\":\"x\"}",
				   h);
	assert_status(r, 201);
	const char *id = json_at(r, "id");
	r = send_json(client_new(s), "PATCH", hfmt("/api/v1/groups/%s", id),
		      "{\"website\":\"https://example.jp/\"}", h);
	assert_status(r, 200);
	const char *where =
	    hfmt("entity = 'group' AND entity_id = %s AND user_id = %lld", id, (long long)u->id);
	assert_string_equal(sql(s, "SELECT action FROM audit_log WHERE %s ORDER BY id", where),
			    "create\nupdate");
	assert_contains(
	    sql(s, "SELECT summary FROM audit_log WHERE %s AND action = 'update'", where),
	    "ウェブサイト");
}

/* ---- backup under load -------------------------------------------------- */

struct load {
	struct server *s;
	struct client *c;
	const char *const *auth;
	atomic_bool stop;
	atomic_int done, failed;
	char first_failure[200];
};

/* Reads and writes until told to stop.  No cmocka assertions here: they
 * longjmp, which only the test's own thread may do. */
static void *load_loop(void *arg)
{
	struct load *l = arg;
	for (int i = 0; !atomic_load(&l->stop); i++) {
		struct resp *r;
		if (i % 3 == 0)
			r = send_json(
			    l->c, "POST", "/api/v1/groups",
			    hfmt("{\"name\":\"負荷団体%d\",\"name_kana\":\"フカ\",\"kind\":"
				 "\"その他\",\"purpose\":\"バックアップ中の書き込み\"}",
				 i),
			    l->auth);
		else if (i % 3 == 1)
			r = get(l->c, "/groups");
		else
			r = get(l->c, "/api/v1/groups?q=%E8%B2%A0%E8%8D%B7");
		if (r->status != 200 && r->status != 201) {
			if (atomic_fetch_add(&l->failed, 1) == 0)
				snprintf(l->first_failure, sizeof(l->first_failure),
					 "%s %s gave %ld %s", r->method, r->path, r->status,
					 r->error ? r->error : "");
		}
		atomic_fetch_add(&l->done, 1);
	}
	return NULL;
}

static void backup_while_serving_is_consistent(void **state)
{
	struct server *s = *state;
	struct load l = {.s = s, .c = client_new(s)};
	static const char *auth[2];
	auth[0] = hfmt("Authorization: Bearer %s", add_token(s, add_user(s, "admin")));
	l.auth = auth;
	int64_t before = sql_int(s, "SELECT count(*) FROM groups");
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, load_loop, &l), 0);
	/* Let the writes get going before the copy starts. */
	for (int i = 0; i < 500 && atomic_load(&l.done) < 6; i++)
		usleep(10000);
	const char *files[3];
	int rcs[3];
	char *errs[3];
	for (int i = 0; i < 3; i++) {
		files[i] = hfmt("%s/backup%d.db", s->dir, i);
		char *out = NULL;
		rcs[i] = kyodo_cmd(s, NULL, &out, &errs[i], "backup", files[i], NULL);
	}
	int done_during = atomic_load(&l.done);
	atomic_store(&l.stop, true);
	pthread_join(t, NULL);
	int64_t after = sql_int(s, "SELECT count(*) FROM groups");

	if (l.failed)
		fail_msg("%d requests failed during the backup; first: %s", l.failed,
			 l.first_failure);
	if (done_during < 6)
		fail_msg("only %d requests ran during the backup", done_during);
	for (int i = 0; i < 3; i++) {
		if (rcs[i] != 0)
			fail_msg("kyodo backup %s exited %d: %s", files[i], rcs[i], errs[i]);
		assert_string_equal(sql_file(s, files[i], "PRAGMA integrity_check"), "ok");
		int64_t n = atoll(sql_file(s, files[i], "SELECT count(*) FROM groups"));
		if (n < before || n > after)
			fail_msg("backup %d has %lld groups; expected %lld..%lld", i, (long long)n,
				 (long long)before, (long long)after);
		assert_string_equal(
		    sql_file(s, files[i],
			     "SELECT count(*) FROM groups WHERE name = '金沢城・兼六園研究会'"),
		    "1");
		/* The search index came along and agrees with its table. */
		assert_string_equal(
		    sql_file(s, files[i],
			     "INSERT INTO groups_fts(groups_fts) VALUES ('integrity-check'); "
			     "SELECT 'fts ok'"),
		    "fts ok");
	}
}

static void backup_to_unwritable_path_fails(void **state)
{
	char *err = NULL;
	int rc =
	    kyodo_cmd(*state, NULL, NULL, &err, "backup", "/nonexistent-dir/x/backup.db", NULL);
	assert_int_not_equal(rc, 0);
	assert_contains(err, "backup");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(private_data_absent_from_public_html),
	    cmocka_unit_test(private_data_absent_from_public_api),
	    cmocka_unit_test(private_data_is_not_searchable),
	    cmocka_unit_test(private_data_visible_to_admin),
	    cmocka_unit_test(private_data_visible_to_coordinator),
	    cmocka_unit_test(private_data_visible_to_member_of_group),
	    cmocka_unit_test(private_data_hidden_from_other_logged_in_users),
	    cmocka_unit_test(each_staff_view_writes_an_audit_row),
	    cmocka_unit_test(member_view_writes_an_audit_row),
	    cmocka_unit_test(public_view_writes_no_audit_row),
	    cmocka_unit_test(api_view_of_private_data_writes_an_audit_row),
	    cmocka_unit_test(private_data_not_shown_when_the_view_cannot_be_audited),
	    cmocka_unit_test(group_changes_write_audit_rows_with_user),
	    cmocka_unit_test(api_changes_write_audit_rows_with_user),
	    cmocka_unit_test(backup_while_serving_is_consistent),
	    cmocka_unit_test(backup_to_unwritable_path_fails),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
