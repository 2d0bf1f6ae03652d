/*
 * t1800: adoption (採択) and results — the office decides on proposals that
 * reached the last stage (grant within the requested amount and the cap, a
 * partner division, a contract date; a proposal that did not pass is
 * refused; going over the expected number needs a reason), adoption makes
 * the project; releasing results notifies every applicant, who then see
 * their own result (and the reviewers' comments without names); the
 * letters; the public 採択事業一覧 and its API; the partner division's read
 * access; the group page's history after the demo; office pages refused to
 * other roles.
 *
 * The call (fiscal year 2031 = 令和13年度, so that no demo data mixes in),
 * its proposals, stages, decisions and score sheets are written with sql(),
 * as the screening module would have left them.  Tests run in order and
 * build on each other: decisions, then the release, then what people see.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FY	   2031
#define FY_LABEL   "令和13年度"
#define GROUP_A	   "にじのわ"
#define GROUP_A2   "尾張町商店街" /* A's partner */
#define GROUP_B	   "NPOエコラボ"
#define GROUP_C	   "金沢城・兼六園研究会"
#define GROUP_D	   "Take a step"
#define TITLE_A	   "t1800 子育ての学校をひらく準備"
#define TITLE_B	   "t1800 給水スポットの地図"
#define TITLE_C	   "t1800 石垣めぐりツアー"
#define TITLE_D	   "t1800 からだの講座"
#define SUMMARY_A  "医療の専門職と一緒に、子育ての学校を開く準備をします。"
#define REVIEWER   "審査員 山田花子"
#define REVIEWER2  "審査員 川口一郎"
#define COMMENT_1  "地域との連携がよく考えられています。"
#define COMMENT_2  "予算の内訳をもう少し具体的にしてください。"
#define COMMENT_S1 "1次審査のときの講評です。"
#define COMMENT_DR "下書きのままの講評です。"
#define HEAD_TITLE "テスト市長"
#define HEAD_NAME  "試験 太郎"
#define NOT_PASSED "1次審査（書類）を通過していない提案は採択できません"

/* ---- fixtures ------------------------------------------------------------ */

struct fixture {
	struct huser *admin_u;
	struct client *admin;
	long long call, k1, k2, s1, s2;
	long long a, b, c, d; /* proposals */
	long long div1, div2;
};

static struct client *member_of(struct server *s, const char *group)
{
	static struct {
		const char *group;
		struct client *c;
	} cache[8];
	for (size_t i = 0; i < 8; i++) {
		if (cache[i].group && strcmp(cache[i].group, group) == 0)
			return cache[i].c;
		if (!cache[i].group) {
			cache[i].group = group;
			cache[i].c = client_as(s, add_member_of(s, group_id(s, group)));
			return cache[i].c;
		}
	}
	fail_msg("too many members");
	return NULL;
}

static long long add_proposal(struct server *s, struct fixture *f, long long cat, const char *group,
			      int seq, const char *title, long long requested, long long division)
{
	sql(s,
	    "INSERT INTO proposals (call_id, category_id, group_id, created_by, status, "
	    "receipt_seq, receipt_no, title, summary, division_id, submitted_at, created_at, "
	    "updated_at) VALUES (%lld, %lld, %lld, %lld, 'submitted', %d, 'R13-T18-%lld-%03d', "
	    "'%s', '%s', %lld, strftime('%%s','now') - 40 * 86400, strftime('%%s','now') - 50 * "
	    "86400, strftime('%%s','now') - 40 * 86400)",
	    f->call, cat, (long long)group_id(s, group), (long long)f->admin_u->id, seq, cat, seq,
	    title, strcmp(title, TITLE_A) == 0 ? SUMMARY_A : "概要です。", division);
	long long id = (long long)sql_int(s, "SELECT max(id) FROM proposals");
	sql(s,
	    "INSERT INTO proposal_budget (proposal_id, kind, position, item, unit_price, quantity, "
	    "amount) VALUES (%lld, 'expense', 1, '経費', %lld, 1, %lld)",
	    id, requested, requested);
	return id;
}

static struct fixture *fx(struct server *s)
{
	static struct fixture f;
	if (f.call)
		return &f;
	f.admin_u = add_user(s, "admin");
	f.admin = client_as(s, f.admin_u);
	sql(s, "INSERT INTO programs (name) VALUES ('t1800 テスト事業')");
	sql(s,
	    "INSERT INTO calls (program_id, fiscal_year, title, published, created_at, updated_at) "
	    "VALUES ((SELECT id FROM programs WHERE name = 't1800 テスト事業'), %d, 't1800の募集', "
	    "1, 0, 0)",
	    FY);
	f.call = (long long)sql_int(s, "SELECT max(id) FROM calls");
	const char *cat = "INSERT INTO call_categories (call_id, name, short_name, cap_yen, "
			  "expected_adoptions, implementation_end, position, opens_at, "
			  "deadline_at) VALUES (%lld, '%s', '%s', %d, %d, '%s', %d, "
			  "strftime('%%s','now') - 60 * 86400, strftime('%%s','now') - 45 * 86400)";
	sql(s, cat, f.call, "T18一般部門", "T18一般", 300000, 1, "2032-03-31", 1);
	f.k1 = (long long)sql_int(s, "SELECT max(id) FROM call_categories");
	sql(s, cat, f.call, "T18小規模部門", "T18小", 100000, 3, "2032-02-28", 2);
	f.k2 = (long long)sql_int(s, "SELECT max(id) FROM call_categories");
	f.div1 = (long long)sql_int(s, "SELECT id FROM divisions WHERE name = '子育て支援課'");
	f.div2 = (long long)sql_int(s, "SELECT id FROM divisions WHERE name = "
				       "'ダイバーシティ人権政策課'");

	f.a = add_proposal(s, &f, f.k1, GROUP_A, 1, TITLE_A, 200000, f.div1);
	sql(s,
	    "INSERT INTO proposal_partners (proposal_id, group_id, confirmed_at, confirmed_by) "
	    "VALUES (%lld, %lld, 1, %lld)",
	    f.a, (long long)group_id(s, GROUP_A2), (long long)f.admin_u->id);
	f.b = add_proposal(s, &f, f.k1, GROUP_B, 2, TITLE_B, 100000, f.div1);
	f.c = add_proposal(s, &f, f.k1, GROUP_C, 3, TITLE_C, 100000, f.div2);
	/* Requested above the (since lowered) cap: the grant is held to both. */
	f.d = add_proposal(s, &f, f.k2, GROUP_D, 1, TITLE_D, 150000, f.div2);

	const char *stage = "INSERT INTO review_stages (call_id, position, name, kind, entry, "
			    "opens_at, closes_at, closed_at) VALUES (%lld, %d, '%s', '%s', '%s', "
			    "strftime('%%s','now') - 30 * 86400, strftime('%%s','now') - %d * "
			    "86400, strftime('%%s','now') - %d * 86400)";
	sql(s, stage, f.call, 1, "1次審査（書類）", "document", "all_submitted", 20, 19);
	f.s1 = (long long)sql_int(s, "SELECT max(id) FROM review_stages");
	sql(s, stage, f.call, 2, "2次審査（公開プレゼンテーション）", "presentation",
	    "passed_previous", 10, 9);
	f.s2 = (long long)sql_int(s, "SELECT max(id) FROM review_stages");
	const long long ps[] = {f.a, f.b, f.c, f.d};
	for (int i = 0; i < 4; i++)
		sql(s,
		    "INSERT INTO stage_decisions (stage_id, proposal_id, decision, reason, "
		    "decided_by, decided_at) VALUES (%lld, %lld, '%s', '', %lld, 1)",
		    f.s1, ps[i], ps[i] == f.b ? "fail" : "pass", (long long)f.admin_u->id);

	/* Comments: two submitted in the last stage, one of the first stage
	 * and one draft, which applicants must never see. */
	struct huser *r1 = add_user(s, "reviewer"), *r2 = add_user(s, "reviewer"),
		     *r3 = add_user(s, "reviewer");
	sql(s, "UPDATE users SET name = '%s' WHERE id = %lld", REVIEWER, (long long)r1->id);
	sql(s, "UPDATE users SET name = '%s' WHERE id = %lld", REVIEWER2, (long long)r2->id);
	const char *sheet = "INSERT INTO score_sheets (stage_id, proposal_id, reviewer_id, status, "
			    "comment, updated_at, submitted_at) VALUES (%lld, %lld, %lld, '%s', "
			    "'%s', 1, 1)";
	sql(s, sheet, f.s2, f.a, (long long)r1->id, "submitted", COMMENT_1);
	sql(s, sheet, f.s2, f.a, (long long)r2->id, "submitted", COMMENT_2);
	sql(s, sheet, f.s2, f.a, (long long)r3->id, "draft", COMMENT_DR);
	sql(s, sheet, f.s1, f.a, (long long)r1->id, "submitted", COMMENT_S1);
	return &f;
}

static struct resp *decide(struct server *s, long long id, const char *decision, const char *grant,
			   long long division, const char *date, const char *reason)
{
	struct fixture *f = fx(s);
	return post_form(f->admin, hfmt("/admin/proposals/%lld/adoption", id),
			 form_body("decision", decision, "grant_yen", grant, "division",
				   division ? hfmt("%lld", division) : "", "contract_date", date,
				   "reason", reason, "_csrf", client_csrf(f->admin), NULL));
}

/* The error shown next to field name in a re-displayed form. */
static void assert_field_error(const struct resp *r, const char *name, const char *message)
{
	const char *at = strstr(BODY(r), hfmt("id=\"f-%s-error\"", name));
	if (!at)
		fail_msg("no error next to %s: %.800s", name, excerpt(BODY(r)));
	const char *end = strstr(at, "</p>");
	if (!end || !strstr(hfmt("%.*s", (int)(end - at), at), message))
		fail_msg("error next to %s is not \"%s\": %.300s", name, message, at);
}

/* ---- the office -------------------------------------------------------- */

static void office_pages_refused_to_other_roles(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	const char *gets[] = {
	    "/admin/adoptions",
	    hfmt("/admin/calls/%lld/adoptions", f->call),
	    hfmt("/admin/calls/%lld/letters", f->call),
	    hfmt("/admin/proposals/%lld/adoption", f->a),
	};
	struct client *v = client_new(s);
	for (size_t i = 0; i < 4; i++) {
		struct resp *r = get(v, gets[i]);
		assert_status(r, 303);
		assert_contains(header_of(r, "Location"), "/login");
		assert_status(get(f->admin, gets[i]), 200);
	}
	const char *roles[] = {"coordinator", "reviewer", "member", "division"};
	for (size_t k = 0; k < 4; k++) {
		struct client *c = client_as(s, add_user(s, roles[k]));
		for (size_t i = 0; i < 4; i++)
			assert_status(get(c, gets[i]), 403);
		const char *csrf = client_csrf(c);
		assert_status(post_form(c, hfmt("/admin/proposals/%lld/adoption", f->a),
					form_body("decision", "adopt", "_csrf", csrf, NULL)),
			      403);
		assert_status(post_form(c, hfmt("/admin/calls/%lld/results", f->call),
					form_body("_csrf", csrf, NULL)),
			      403);
	}
	/* Letters of one proposal: staff (the coordinator too), not others. */
	assert_status(
	    get(client_as(s, add_user(s, "member")), hfmt("/proposals/%lld/letter", f->a)), 403);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM adoptions"), 0);
}

static void release_refused_before_any_decision(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	struct resp *r = post_form(f->admin, hfmt("/admin/calls/%lld/results", f->call),
				   form_body("_csrf", client_csrf(f->admin), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "まだ採択・不採択を決めた企画提案書がありません");
	assert_int_equal(
	    sql_int(s, "SELECT results_released_at IS NULL FROM calls WHERE id = %lld", f->call),
	    1);
}

static void grant_above_requested_or_cap_refused(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	/* D asked for 150,000 yen in a category capped at 100,000. */
	struct resp *r = decide(s, f->d, "adopt", "160000", f->div2, "2031-06-01", "");
	assert_status(r, 422);
	assert_field_error(r, "grant_yen", "交付額は申請額以下にしてください");
	assert_contains(BODY(r), "申請額 150,000円");
	r = decide(s, f->d, "adopt", "120000", f->div2, "2031-06-01", "");
	assert_status(r, 422);
	assert_field_error(r, "grant_yen", "交付額は部門の上限額以下にしてください");
	/* Not a number, and nothing but the decision: every problem listed. */
	r = decide(s, f->d, "adopt", "十万円", f->div2, "2031-06-01", "");
	assert_status(r, 422);
	assert_contains(BODY(r), "交付額（円）は1〜");
	r = decide(s, f->d, "adopt", "", 0, "", "");
	assert_status(r, 422);
	assert_field_error(r, "grant_yen", "採択する場合は交付額を入力してください");
	assert_field_error(r, "division", "採択する場合は担当課を選んでください");
	assert_field_error(r, "contract_date", "採択する場合は契約日を入力してください");
	/* A contract date outside the fiscal year, or after the implementation end. */
	r = decide(s, f->d, "adopt", "90000", f->div2, "2031-03-31", "");
	assert_status(r, 422);
	assert_field_error(r, "contract_date", "契約日は" FY_LABEL);
	r = decide(s, f->d, "adopt", "90000", f->div2, "2032-03-01", "");
	assert_status(r, 422);
	assert_field_error(r, "contract_date", "実施期限");
	assert_int_equal(sql_int(s, "SELECT count(*) FROM adoptions"), 0);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM projects WHERE fiscal_year = %d", FY), 0);
}

static void proposal_that_did_not_pass_is_refused(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	struct resp *r = decide(s, f->b, "adopt", "50000", f->div1, "2031-06-01", "");
	assert_status(r, 422);
	assert_contains(BODY(r), NOT_PASSED);
	r = decide(s, f->b, "reject", "", 0, "", "");
	assert_status(r, 422);
	assert_contains(BODY(r), NOT_PASSED);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM adoptions WHERE proposal_id = %lld", f->b), 0);
	/* The form page says why and offers no form. */
	r = get(f->admin, hfmt("/admin/proposals/%lld/adoption", f->b));
	assert_status(r, 200);
	assert_contains(BODY(r), NOT_PASSED);
	assert_not_contains(BODY(r), "name=\"grant_yen\"");
}

static void adoption_creates_the_project(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	struct resp *r = get(f->admin, hfmt("/admin/proposals/%lld/adoption", f->a));
	assert_status(r, 200);
	assert_contains(BODY(r), "name=\"grant_yen\" value=\"200000\"");
	r = decide(s, f->a, "adopt", "180000", f->div1, "2031-05-01", "");
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"),
			    hfmt("/admin/calls/%lld/adoptions?done=decided", f->call));
	assert_string_equal(
	    sql(s,
		"SELECT fiscal_year || '|' || category_name || '|' || group_id || '|' || title || "
		"'|' || summary || '|' || division_id || '|' || grant_yen || '|' || period_start "
		"|| "
		"'|' || period_end || '|' || call_id FROM projects WHERE proposal_id = %lld",
		f->a),
	    hfmt("%d|T18一般部門|%lld|%s|%s|%lld|180000|2031-05-01|2032-03-31|%lld", FY,
		 (long long)group_id(s, GROUP_A), TITLE_A, SUMMARY_A, f->div1, f->call));
	/* The lead and the partner group. */
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM project_groups x JOIN projects p ON p.id = "
				 "x.project_id WHERE p.proposal_id = %lld AND x.group_id IN (%lld, "
				 "%lld)",
				 f->a, (long long)group_id(s, GROUP_A),
				 (long long)group_id(s, GROUP_A2)),
			 2);
	assert_true(sql_int(s,
			    "SELECT count(*) FROM audit_log WHERE action = 'adopt' AND entity = "
			    "'proposal' AND entity_id = %lld AND summary LIKE '%%180,000円%%'",
			    f->a) == 1);
	r = get(f->admin, hfmt("/admin/calls/%lld/adoptions?done=decided", f->call));
	assert_status(r, 200);
	assert_contains(BODY(r), "採択・不採択を保存しました。");
	assert_contains(BODY(r), "採択 1件／採択予定 1件");
}

static void expected_adoptions_exceeded_needs_a_reason(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	/* The category expects one adoption, and A has it. */
	struct resp *r = get(f->admin, hfmt("/admin/proposals/%lld/adoption", f->c));
	assert_status(r, 200);
	assert_contains(BODY(r), "すでに1件を採択しています（採択予定 1件）");
	r = decide(s, f->c, "adopt", "100000", f->div2, "2031-05-01", "");
	assert_status(r, 422);
	assert_field_error(r, "reason", "T18一般部門の採択予定件数（1件）を超えます（2件目）");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM adoptions WHERE proposal_id = %lld", f->c), 0);
	r = decide(s, f->c, "adopt", "100000", f->div2, "2031-05-01",
		   "評価が特に高く、予算に余裕があるため");
	assert_status(r, 303);
	assert_string_equal(sql(s, "SELECT reason FROM adoptions WHERE proposal_id = %lld", f->c),
			    "評価が特に高く、予算に余裕があるため");
	r = get(f->admin, hfmt("/admin/calls/%lld/adoptions", f->call));
	assert_contains(BODY(r), "採択予定件数を超えています");
}

static void not_adopted_makes_no_project(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	/* Adopted first, then changed to 不採択: the project goes away. */
	assert_status(decide(s, f->d, "adopt", "90000", f->div2, "2031-06-01", ""), 303);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM projects WHERE proposal_id = %lld", f->d),
			 1);
	assert_status(decide(s, f->d, "reject", "", 0, "", ""), 303);
	assert_int_equal(sql_int(s, "SELECT adopted FROM adoptions WHERE proposal_id = %lld", f->d),
			 0);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM projects WHERE proposal_id = %lld", f->d),
			 0);
}

/* ---- before and after the release ------------------------------------------- */

static void nothing_public_before_the_release(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	struct resp *r = get(client_new(s), hfmt("/challenge/results?year=%d&before=1", FY));
	assert_status(r, 400); /* an undeclared key */
	r = get(f->admin, hfmt("/challenge/results?year=%d", FY));
	assert_status(r, 200);
	assert_not_contains(BODY(r), TITLE_A);
	r = get(f->admin, hfmt("/api/v1/projects?year=%d", FY));
	assert_status(r, 200);
	assert_int_equal(json_size_at(r, "items"), 0);
	r = get(member_of(s, GROUP_A), hfmt("/proposals/%lld/result", f->a));
	assert_status(r, 200);
	assert_contains(BODY(r), "まだ公開されていません");
	assert_not_contains(BODY(r), "採択されました");
	assert_not_contains(BODY(r), "180,000");
	assert_not_contains(BODY(get(member_of(s, GROUP_A), hfmt("/proposals/%lld", f->a))),
			    "審査結果を見る");
	/* The group page's history waits for the release too. */
	assert_not_contains(
	    BODY(get(f->admin, hfmt("/groups/%lld", (long long)group_id(s, GROUP_A)))), "R13");
}

static void release_notifies_every_applicant(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	struct client *lead = member_of(s, GROUP_A), *partner = member_of(s, GROUP_A2),
		      *other = member_of(s, GROUP_B);
	(void)lead, (void)partner, (void)other;
	struct resp *r =
	    post_form(f->admin, hfmt("/admin/calls/%lld/results", f->call),
		      form_body("comments", "1", "_csrf", client_csrf(f->admin), NULL));
	assert_status(r, 303);
	assert_string_equal(header_of(r, "Location"),
			    hfmt("/admin/calls/%lld/adoptions?done=released", f->call));
	assert_int_equal(
	    sql_int(
		s,
		"SELECT results_released_at > 0 AND comments_released FROM calls WHERE id = %lld",
		f->call),
	    1);
	const char *groups[] = {GROUP_A, GROUP_A2, GROUP_B, GROUP_C, GROUP_D};
	const long long props[] = {f->a, f->a, f->b, f->c, f->d};
	for (size_t i = 0; i < 5; i++) {
		long long n = (long long)sql_int(
		    s,
		    "SELECT count(*) FROM notifications n JOIN group_members m ON m.user_id = "
		    "n.user_id WHERE m.group_id = %lld AND n.kind = 'results' AND n.link = "
		    "'/proposals/%lld/result'",
		    (long long)group_id(s, groups[i]), props[i]);
		/* members of groups without a test member have none to notify */
		long long members = (long long)sql_int(
		    s, "SELECT count(*) FROM group_members WHERE group_id = %lld",
		    (long long)group_id(s, groups[i]));
		assert_int_equal(n, members);
	}
	assert_true(sql_int(s, "SELECT count(*) FROM notifications WHERE kind = 'results'") >= 3);
	assert_true(sql_int(s,
			    "SELECT count(*) FROM audit_log WHERE action = 'release' AND entity = "
			    "'call' AND entity_id = %lld",
			    f->call) == 1);
	/* Decisions are final now. */
	r = decide(s, f->a, "reject", "", 0, "", "");
	assert_status(r, 409);
	assert_int_equal(sql_int(s, "SELECT adopted FROM adoptions WHERE proposal_id = %lld", f->a),
			 1);
}

static void results_page_lists_projects_by_year_and_category(void **state)
{
	struct server *s = *state;
	struct resp *r = get(client_new(s), hfmt("/challenge/results?year=%d", FY));
	assert_status(r, 200);
	const char *b = BODY(r);
	assert_contains(b, "<h1>" FY_LABEL "採択事業一覧</h1>");
	assert_contains(b, "<h2 id=\"category-1\">T18一般部門</h2>");
	assert_contains(b, GROUP_A);
	assert_contains(b, "（連携：" GROUP_A2 "）");
	assert_contains(b, TITLE_A);
	assert_contains(b, SUMMARY_A);
	assert_contains(b, "担当課：子育て支援課");
	assert_contains(b, TITLE_C);
	assert_not_contains(b, TITLE_B);
	assert_not_contains(b, TITLE_D);
	/* Linked from the program page; the year navigation lists the year. */
	assert_contains(BODY(get(client_new(s), "/challenge")), "href=\"/challenge/results\"");
	assert_contains(b, hfmt("href=\"/challenge/results?year=%d\" aria-current=\"page\"", FY));
	assert_status(get(client_new(s), "/challenge/results?year=abc"), 400);
}

static void api_lists_projects_with_filters(void **state)
{
	struct server *s = *state;
	struct client *c = client_new(s);
	struct resp *r = get(c, hfmt("/api/v1/projects?year=%d", FY));
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "application/json");
	assert_int_equal(json_size_at(r, ""), 1);
	assert_int_equal(json_size_at(r, "items"), 2);
	assert_string_equal(json_at(r, "items.0.fiscal_year"), hfmt("%d", FY));
	assert_string_equal(json_at(r, "items.0.category"), "T18一般部門");
	assert_string_equal(json_at(r, "items.0.group"), GROUP_A);
	assert_int_equal(json_size_at(r, "items.0.groups"), 2);
	assert_string_equal(json_at(r, "items.0.groups.0"), GROUP_A);
	assert_string_equal(json_at(r, "items.0.groups.1"), GROUP_A2);
	assert_string_equal(json_at(r, "items.0.title"), TITLE_A);
	assert_string_equal(json_at(r, "items.0.summary"), SUMMARY_A);
	assert_string_equal(json_at(r, "items.0.division"), "子育て支援課");
	assert_string_equal(json_at(r, "items.0.grant_yen"), "180000");
	assert_non_null(json_at(r, "items.0.id"));
	assert_string_equal(json_at(r, "items.1.title"), TITLE_C);

	r = get(c, hfmt("/api/v1/projects?year=%d&category=%s", FY, urlenc("T18一般部門")));
	assert_int_equal(json_size_at(r, "items"), 2);
	r = get(c, hfmt("/api/v1/projects?year=%d&category=%s", FY, urlenc("T18一般")));
	assert_int_equal(json_size_at(r, "items"), 2);
	r = get(c, hfmt("/api/v1/projects?year=%d&category=%s", FY, urlenc("T18小規模部門")));
	assert_int_equal(json_size_at(r, "items"), 0);
	/* Every year: the demo's earlier adoptions too, newest first. */
	r = get(c, "/api/v1/projects");
	assert_status(r, 200);
	assert_true(json_size_at(r, "items") >= 4);
	assert_string_equal(json_at(r, "items.0.fiscal_year"), hfmt("%d", FY));
	assert_contains(BODY(r), "\"fiscal_year\":2019");
	assert_contains(BODY(r), "\"grant_yen\":null");
	/* Declared keys only. */
	r = get(c, "/api/v1/projects?foo=1");
	assert_status(r, 422);
	assert_string_equal(json_at(r, "errors.foo"), "不明な項目です");
	r = get(c, "/api/v1/projects?year=abc");
	assert_status(r, 422);
	assert_non_null(json_at(r, "errors.year"));
	r = get(c, "/api/v1/projects?year=2024&year=2025");
	assert_status(r, 422);
}

static void applicants_see_their_result_and_comments_without_names(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	for (int k = 0; k < 2; k++) {
		struct client *c = member_of(s, k ? GROUP_A2 : GROUP_A);
		struct resp *r = get(c, hfmt("/proposals/%lld/result", f->a));
		assert_status(r, 200);
		const char *b = BODY(r);
		assert_contains(b, "この企画提案は採択されました");
		assert_contains(b, "180,000円");
		assert_contains(b, "子育て支援課");
		assert_contains(b, "令和13年5月1日 〜 令和14年3月31日");
		assert_contains(b, "審査員の講評");
		assert_contains(b, COMMENT_1);
		assert_contains(b, COMMENT_2);
		assert_not_contains(b, COMMENT_S1);
		assert_not_contains(b, COMMENT_DR);
		assert_not_contains(b, REVIEWER);
		assert_not_contains(b, REVIEWER2);
		assert_not_contains(b, "山田");
		assert_not_contains(b, "reviewer-");
		/* Letters are for staff. */
		assert_not_contains(b, "/letter");
	}
	assert_contains(BODY(get(member_of(s, GROUP_A), hfmt("/proposals/%lld", f->a))),
			hfmt("href=\"/proposals/%lld/result\"", f->a));
	/* Another group's member: not found; their own: 不採択 and where it stopped. */
	struct client *other = member_of(s, GROUP_B);
	assert_status(get(other, hfmt("/proposals/%lld/result", f->a)), 404);
	struct resp *r = get(other, hfmt("/proposals/%lld/result", f->b));
	assert_status(r, 200);
	assert_contains(BODY(r), "採択に至りませんでした");
	assert_contains(BODY(r), "1次審査（書類）で終了");
	assert_not_contains(BODY(r), "採択されました");
	/* A visitor is sent to the login page. */
	assert_status(get(client_new(s), hfmt("/proposals/%lld/result", f->a)), 303);
}

static void letters_have_titles_and_the_office_head(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	struct resp *r = post_form(f->admin, "/admin/settings",
				   form_body("site_name", "協働のまちづくりポータル", "office_name",
					     "市民協働推進課", "office_head_title", HEAD_TITLE,
					     "office_head_name", HEAD_NAME, "_csrf",
					     client_csrf(f->admin), NULL));
	assert_status(r, 303);
	r = get(f->admin, hfmt("/admin/calls/%lld/letters", f->call));
	assert_status(r, 200);
	const char *b = BODY(r);
	assert_int_equal(count_of(b, "<article class=\"letter\""), 4);
	assert_int_equal(count_of(b, ">採択通知書</h2>"), 2);
	assert_int_equal(count_of(b, ">不採択通知書</h2>"), 2);
	assert_int_equal(count_of(b, HEAD_TITLE "　" HEAD_NAME), 4);
	assert_contains(b, "180,000円");
	assert_contains(b, "令和"); /* dated in 和暦 */
	/* Print: one letter per page. */
	r = get(client_new(s), "/static/kyodo.css");
	assert_status(r, 200);
	assert_contains(BODY(r), "break-after: page");
	/* One letter, for staff. */
	struct client *coord = client_as(s, add_user(s, "coordinator"));
	r = get(coord, hfmt("/proposals/%lld/letter", f->a));
	assert_status(r, 200);
	assert_contains(BODY(r), ">採択通知書</h2>");
	assert_contains(BODY(r), HEAD_TITLE);
	assert_contains(BODY(r), GROUP_A);
	r = get(coord, hfmt("/proposals/%lld/letter", f->b));
	assert_status(r, 200);
	assert_contains(BODY(r), ">不採択通知書</h2>");
	assert_status(get(member_of(s, GROUP_A), hfmt("/proposals/%lld/letter", f->a)), 403);
}

/* ---- the partner division ----------------------------------------------------- */

static void division_reads_its_adopted_proposals_only(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s);
	struct huser *u = add_user(s, "division");
	sql(s, "UPDATE users SET division_id = %lld WHERE id = %lld", f->div1, (long long)u->id);
	struct client *c = client_as(s, u);
	/* A is adopted with this division; B wished for it but was not adopted;
	 * C is adopted with another division. */
	struct resp *r = get(c, hfmt("/proposals/%lld", f->a));
	assert_status(r, 200);
	assert_contains(BODY(r), TITLE_A);
	assert_status(get(c, hfmt("/proposals/%lld", f->b)), 404);
	assert_status(get(c, hfmt("/proposals/%lld", f->c)), 404);
	/* Read only: no edit, and no result page (applicants and staff). */
	assert_status(get(c, hfmt("/proposals/%lld/edit", f->a)), 403);
	assert_status(get(c, hfmt("/proposals/%lld/result", f->a)), 404);
	r = get(c, "/division/projects");
	assert_status(r, 200);
	assert_contains(BODY(r), "子育て支援課");
	assert_contains(BODY(r), hfmt("href=\"/proposals/%lld\"", f->a));
	assert_not_contains(BODY(r), TITLE_C);
	/* Without a division: told so.  Other roles: refused. */
	r = get(client_as(s, add_user(s, "division")), "/division/projects");
	assert_status(r, 200);
	assert_contains(BODY(r), "所属する担当課が登録されていません");
	assert_status(get(member_of(s, GROUP_A), "/division/projects"), 403);
	/* Another division's staff. */
	struct huser *u2 = add_user(s, "division");
	sql(s, "UPDATE users SET division_id = %lld WHERE id = %lld", f->div2, (long long)u2->id);
	struct client *c2 = client_as(s, u2);
	assert_status(get(c2, hfmt("/proposals/%lld", f->a)), 404);
	assert_status(get(c2, hfmt("/proposals/%lld", f->c)), 200);
}

/* ---- the demo: 令和6年度 and the group history ---------------------------------- */

static void demo_adds_r6_screening_and_history_once(void **state)
{
	struct server *s = *state;
	struct fixture *f = fx(s); /* an admin exists now: the demo authors proposals */
	char *out = NULL, *err = NULL;
	assert_int_equal(kyodo_cmd(s, NULL, &out, &err, "demo", NULL), 0);
	assert_contains(out, "令和6年度 screened in two stages");
	assert_contains(out, "令和7年度 1次審査 open");
	long long gid = (long long)group_id(s, "重症児・医療的ケア児相談事業 さくらんぼすまいる");
	/* Logged in: the page cache would not know about the CLI's writes. */
	struct resp *r = get(f->admin, hfmt("/groups/%lld", gid));
	assert_status(r, 200);
	assert_contains(BODY(r), "R4–6採択");
	r = get(f->admin,
		hfmt("/groups/%lld",
		     (long long)group_id(s, "脳脊髄液減少症 石川・金沢患者家族支援の会")));
	assert_contains(BODY(r), "R1採択");

	r = get(f->admin, "/challenge/results?year=2024");
	assert_status(r, 200);
	const char *b = BODY(r);
	assert_contains(b, "令和6年度採択事業一覧");
	assert_contains(b, "Take a step");
	assert_contains(b, "担当課：ダイバーシティ人権政策課");
	assert_contains(b, "（連携：材木地区町会連合会・馬場地区町会連合会）");
	assert_contains(b, "学生団体ウィーコード");
	assert_contains(b, "学生・高校生部門");
	assert_not_contains(b, "尾張町商店街"); /* did not pass the 1次審査 */

	/* 令和7年度: the 1次審査 open now, sheets submitted and drafts. */
	long long r7 = (long long)sql_int(s, "SELECT id FROM calls WHERE fiscal_year = 2025");
	assert_int_equal(
	    sql_int(s,
		    "SELECT count(*) FROM review_stages WHERE call_id = %lld AND "
		    "position = 1 AND opens_at < strftime('%%s','now') AND closes_at > "
		    "strftime('%%s','now') AND closed_at IS NULL",
		    r7),
	    1);
	const char *counts = "SELECT (SELECT count(*) FROM projects) || '|' || (SELECT count(*) "
			     "FROM score_sheets) || '|' || (SELECT count(*) FROM groups) || '|' "
			     "|| (SELECT count(*) FROM users) || '|' || (SELECT count(*) FROM "
			     "proposals)";
	const char *before = sql(s, "%s", counts);
	assert_int_equal(kyodo_cmd(s, NULL, &out, &err, "demo", NULL), 0);
	assert_string_equal(sql(s, "%s", counts), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(office_pages_refused_to_other_roles),
	    cmocka_unit_test(release_refused_before_any_decision),
	    cmocka_unit_test(grant_above_requested_or_cap_refused),
	    cmocka_unit_test(proposal_that_did_not_pass_is_refused),
	    cmocka_unit_test(adoption_creates_the_project),
	    cmocka_unit_test(expected_adoptions_exceeded_needs_a_reason),
	    cmocka_unit_test(not_adopted_makes_no_project),
	    cmocka_unit_test(nothing_public_before_the_release),
	    cmocka_unit_test(release_notifies_every_applicant),
	    cmocka_unit_test(results_page_lists_projects_by_year_and_category),
	    cmocka_unit_test(api_lists_projects_with_filters),
	    cmocka_unit_test(applicants_see_their_result_and_comments_without_names),
	    cmocka_unit_test(letters_have_titles_and_the_office_head),
	    cmocka_unit_test(division_reads_its_adopted_proposals_only),
	    cmocka_unit_test(demo_adds_r6_screening_and_history_once),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
