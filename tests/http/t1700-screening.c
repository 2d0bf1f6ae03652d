/*
 * t1700: screening (1次審査・2次審査) — the office sets up the default
 * stages, assigns reviewers and reads completion; reviewers score in their
 * workspace.  Pinned here: who may open which page; a reviewer never reads
 * another reviewer's scores or comments while the stage is open; a
 * reviewer who is a member of the applicant group is recused and their
 * score refused; a declared conflict; a reviewer not assigned gets 403; a
 * score outside the scale or not a number is a 422 with the Japanese
 * message next to the field and the input kept; nobody scores after the
 * window or the close (409); the settings are frozen once scoring started;
 * deciding with missing sheets needs a reason; an admin's correction after
 * close is audited; presentations reach the applicants and, when
 * published, everyone; and no page an applicant can reach names a
 * reviewer.
 *
 * The call, its categories and its proposals are made here with sql(), so
 * that the tests do not depend on the demo's calendar.  The tests run in
 * order and build on each other, as a screening does.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/str.h"

#define GROUP_A "金沢城・兼六園研究会"
#define GROUP_B "重症児・医療的ケア児相談事業 さくらんぼすまいる"
#define GROUP_C "NPOエコラボ"

/* Reviewer names no applicant page may ever show. */
static const char *const reviewer_names[] = {"審査員アカネ", "審査員イブキ", "審査員ウシオ",
					     "審査員エマ"};
#define SECRET_COMMENT "ひみつの講評アルファ"

struct fixture {
	long long call, cat_a, cat_b;
	long long pa, pb, pc; /* proposals of groups A, B (一般) and C (学生) */
	long long s1, s2;     /* the default stages */
	long long crit[6];    /* the first stage's criteria */
	struct huser *admin_u, *reviewer_u[4];
	struct client *admin, *reviewer[4]; /* reviewer 3 (index 2) is in group B */
};

static struct fixture fx;

static const char *ids(long long v)
{
	return hfmt("%lld", v);
}

/* The call, its proposals, the users and the default stages (once). */
static void prepare(struct server *s)
{
	if (fx.call)
		return;
	sql(s, "INSERT INTO programs (name) VALUES ('t1700 テスト事業')");
	sql(s,
	    "INSERT INTO calls (program_id, fiscal_year, title, published, created_at, updated_at) "
	    "VALUES ((SELECT id FROM programs WHERE name = 't1700 テスト事業'), 2025, "
	    "'t1700の募集', 1, 0, 0)");
	fx.call = (long long)sql_int(s, "SELECT max(id) FROM calls");
	sql(s,
	    "INSERT INTO call_categories (call_id, name, short_name, cap_yen, opens_at, "
	    "deadline_at, position) VALUES (%lld, 't1700一般部門', 'T17一般', 500000, 0, 1, 1), "
	    "(%lld, 't1700学生部門', 'T17学生', 100000, 0, 1, 2)",
	    fx.call, fx.call);
	fx.cat_a = (long long)sql_int(
	    s, "SELECT id FROM call_categories WHERE call_id = %lld AND position = 1", fx.call);
	fx.cat_b = (long long)sql_int(
	    s, "SELECT id FROM call_categories WHERE call_id = %lld AND position = 2", fx.call);

	fx.admin_u = add_user(s, "admin");
	fx.admin = client_as(s, fx.admin_u);
	const struct {
		long long *id, cat;
		const char *group, *no, *title;
	} props[] = {
	    {&fx.pa, fx.cat_a, GROUP_A, "T17-一般-001", "石垣を歩く親子ツアー"},
	    {&fx.pb, fx.cat_a, GROUP_B, "T17-一般-002", "医療的ケア児の外出支援"},
	    {&fx.pc, fx.cat_b, GROUP_C, "T17-学生-001", "学生と考える省エネ"},
	};
	for (size_t i = 0; i < 3; i++) {
		sql(s,
		    "INSERT INTO proposals (call_id, category_id, group_id, created_by, status, "
		    "receipt_seq, receipt_no, title, summary, submitted_at, created_at, "
		    "updated_at) "
		    "VALUES (%lld, %lld, %lld, %lld, 'submitted', %zu, '%s', '%s', '概要です。', "
		    "strftime('%%s','now'), 0, 0)",
		    fx.call, props[i].cat, (long long)group_id(s, props[i].group),
		    (long long)fx.admin_u->id, i + 1, props[i].no, props[i].title);
		*props[i].id = (long long)sql_int(
		    s, "SELECT id FROM proposals WHERE receipt_no = '%s'", props[i].no);
	}
	for (int i = 0; i < 4; i++) {
		fx.reviewer_u[i] = add_user(s, "reviewer");
		sql(s, "UPDATE users SET name = '%s' WHERE id = %lld", reviewer_names[i],
		    (long long)fx.reviewer_u[i]->id);
		fx.reviewer[i] = client_as(s, fx.reviewer_u[i]);
	}
	/* Reviewer 3 is a member of group B. */
	sql(s, "INSERT INTO group_members (group_id, user_id) VALUES (%lld, %lld)",
	    (long long)group_id(s, GROUP_B), (long long)fx.reviewer_u[2]->id);
}

/* The first stage open from an hour ago until tomorrow, reviewers 1–3
 * assigned to every category (reviewer 4 to none). */
static void open_first_stage(struct server *s)
{
	sql(s,
	    "UPDATE review_stages SET opens_at = strftime('%%s','now') - 3600, closes_at = "
	    "strftime('%%s','now') + 86400 WHERE id = %lld",
	    fx.s1);
	struct resp *r =
	    post_form(fx.admin, hfmt("/admin/screening/stages/%lld/reviewers", fx.s1),
		      form_body("assignment", "chosen",
				hfmt("reviewer_%lld", (long long)fx.reviewer_u[0]->id), "0",
				hfmt("reviewer_%lld", (long long)fx.reviewer_u[1]->id), "0",
				hfmt("reviewer_%lld", (long long)fx.reviewer_u[2]->id), "0",
				"_csrf", client_csrf(fx.admin), NULL));
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM stage_reviewers WHERE stage_id = %lld", fx.s1), 3);
}

/* A score sheet form: values for the six criteria (NULL leaves one out). */
static const char *sheet(struct client *c, const char *const v[6], const char *comment,
			 const char *action)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 6; i++) {
		if (!v[i])
			continue;
		buf_printf(&b, "score_%lld=", fx.crit[i]);
		buf_add_urlenc(&b, v[i], strlen(v[i]));
		buf_addc(&b, '&');
	}
	buf_adds(&b, "comment=");
	buf_add_urlenc(&b, comment, strlen(comment));
	buf_printf(&b, "&action=%s&_csrf=", action);
	const char *csrf = client_csrf(c);
	buf_add_urlenc(&b, csrf, strlen(csrf));
	const char *out = hfmt("%s", b.p);
	buf_release(&b);
	return out;
}

static const char *review_url(long long stage, long long proposal)
{
	return hfmt("/review/stages/%lld/proposals/%lld", stage, proposal);
}

static struct resp *score(struct client *c, long long stage, long long proposal,
			  const char *const v[6], const char *comment, const char *action)
{
	return post_form(c, review_url(stage, proposal), sheet(c, v, comment, action));
}

static const char *const all5[6] = {"5", "5", "5", "5", "5", "5"};
static const char *const all3[6] = {"3", "3", "3", "3", "3", "3"};
static const char *const all4[6] = {"4", "4", "4", "4", "4", "4"};

/* ---- set-up and permissions -------------------------------------------- */

static void office_sets_up_the_default_stages(void **state)
{
	struct server *s = *state;
	prepare(s);
	const char *page = hfmt("/admin/calls/%lld/screening", fx.call);
	struct resp *r = get(fx.admin, page);
	assert_status(r, 200);
	assert_contains(BODY(r), "審査段階を初期設定");
	r = post_form(fx.admin, hfmt("/admin/calls/%lld/screening/setup", fx.call),
		      form_body("_csrf", client_csrf(fx.admin), NULL));
	assert_status(r, 303);
	fx.s1 = (long long)sql_int(
	    s, "SELECT id FROM review_stages WHERE call_id = %lld AND position = 1", fx.call);
	fx.s2 = (long long)sql_int(
	    s, "SELECT id FROM review_stages WHERE call_id = %lld AND position = 2", fx.call);
	for (int i = 0; i < 6; i++)
		fx.crit[i] =
		    (long long)sql_int(s,
				       "SELECT id FROM review_criteria WHERE stage_id = %lld "
				       "ORDER BY position LIMIT 1 OFFSET %d",
				       fx.s1, i);
	r = get(fx.admin, page);
	assert_status(r, 200);
	assert_contains(BODY(r), "1次審査（書類）");
	assert_contains(BODY(r), "2次審査（公開プレゼンテーション）");
	assert_contains(BODY(r), "前の段階を通過した提案");
	r = get(fx.admin, hfmt("/admin/screening/stages/%lld/settings", fx.s1));
	assert_status(r, 200);
	const char *const names[] = {"公益性", "協働の必要性", "実現可能性",
				     "独自性", "発展性",       "費用対効果"};
	for (size_t i = 0; i < 6; i++)
		assert_contains(BODY(r), names[i]);
	assert_string_equal(sql(s,
				"SELECT scale_min || '-' || scale_max || ' ' || aggregation || ' ' "
				"|| pass_threshold || ' ' || recusal_fill FROM review_stages "
				"WHERE id = %lld",
				fx.s1),
			    "0-5 mean 60 exclude");
	/* Once is enough. */
	r = post_form(fx.admin, hfmt("/admin/calls/%lld/screening/setup", fx.call),
		      form_body("_csrf", client_csrf(fx.admin), NULL));
	assert_status(r, 409);
	open_first_stage(s);
}

static void office_pages_refuse_other_roles(void **state)
{
	struct server *s = *state;
	const char *pages[] = {
	    hfmt("/admin/calls/%lld/screening", fx.call),
	    hfmt("/admin/screening/stages/%lld", fx.s1),
	    hfmt("/admin/screening/stages/%lld/settings", fx.s1),
	    hfmt("/admin/screening/stages/%lld/proposals/%lld", fx.s1, fx.pa),
	    hfmt("/admin/screening/stages/%lld/presentations", fx.s2),
	};
	struct client *member = client_as(s, add_member_of(s, group_id(s, GROUP_A)));
	struct client *division = client_as(s, add_user(s, "division"));
	struct client *coordinator = client_as(s, add_user(s, "coordinator"));
	struct client *visitor = client_new(s);
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		assert_status(get(member, pages[i]), 403);
		assert_status(get(division, pages[i]), 403);
		assert_status(get(fx.reviewer[0], pages[i]), 403);
		struct resp *r = get(visitor, pages[i]);
		assert_status(r, 303);
		assert_contains(header_of(r, "Location"), "/login");
		/* Coordinators may look. */
		assert_status(get(coordinator, pages[i]), 200);
	}
	/* ... but change nothing. */
	assert_status(post_form(coordinator, hfmt("/admin/screening/stages/%lld/close", fx.s1),
				form_body("_csrf", client_csrf(coordinator), NULL)),
		      403);
	assert_status(post_form(member, hfmt("/admin/calls/%lld/screening/setup", fx.call),
				form_body("_csrf", client_csrf(member), NULL)),
		      403);
	assert_status(post_form(fx.reviewer[0], hfmt("/admin/screening/stages/%lld/close", fx.s1),
				form_body("_csrf", client_csrf(fx.reviewer[0]), NULL)),
		      403);
}

static void review_workspace_refuses_other_roles(void **state)
{
	struct server *s = *state;
	const char *pages[] = {"/review", review_url(fx.s1, fx.pa)};
	struct client *member = client_as(s, add_member_of(s, group_id(s, GROUP_C)));
	struct client *division = client_as(s, add_user(s, "division"));
	struct client *visitor = client_new(s);
	for (size_t i = 0; i < 2; i++) {
		assert_status(get(member, pages[i]), 403);
		assert_status(get(division, pages[i]), 403);
		/* The office is not a reviewer either. */
		assert_status(get(fx.admin, pages[i]), 403);
		struct resp *r = get(visitor, pages[i]);
		assert_status(r, 303);
		assert_contains(header_of(r, "Location"), "/login");
	}
	assert_status(score(member, fx.s1, fx.pc, all5, "", "submit"), 403);
	assert_status(score(division, fx.s1, fx.pc, all5, "", "submit"), 403);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM score_sheets WHERE stage_id = %lld", fx.s1), 0);
}

/* ---- the reviewer's workspace ------------------------------------------- */

static void queue_lists_the_proposals_with_progress(void **state)
{
	(void)state;
	struct resp *r = get(fx.reviewer[0], "/review");
	assert_status(r, 200);
	assert_contains(BODY(r), "1次審査（書類）");
	assert_contains(BODY(r), "石垣を歩く親子ツアー");
	assert_contains(BODY(r), "医療的ケア児の外出支援");
	assert_contains(BODY(r), "学生と考える省エネ");
	assert_contains(BODY(r), "0/3 採点済み");
	r = get(fx.reviewer[0], review_url(fx.s1, fx.pa));
	assert_status(r, 200);
	/* The proposal read-only, with its budget, and the sheet form. */
	assert_contains(BODY(r), "収支予算");
	assert_contains(BODY(r), "添付ファイル");
	assert_contains(BODY(r), hfmt("name=\"score_%lld\"", fx.crit[0]));
	assert_contains(BODY(r), "0〜5点");
}

static void score_outside_the_scale_or_not_a_number_is_refused(void **state)
{
	struct server *s = *state;
	const char *const six[6] = {"6", "5", "5", "5", "5", "5"};
	struct resp *r = score(fx.reviewer[0], fx.s1, fx.pa, six, "講評", "submit");
	assert_status(r, 422);
	assert_contains(BODY(r), "公益性は0〜5の整数で入力してください");
	assert_contains(BODY(r), hfmt("id=\"f-score_%lld-error\"", fx.crit[0]));
	assert_contains(BODY(r), "value=\"6\"");
	assert_contains(BODY(r), "講評</textarea>");

	const char *const word[6] = {"5", "よい", "5", "5", "5", "5"};
	r = score(fx.reviewer[0], fx.s1, fx.pa, word, "", "draft");
	assert_status(r, 422);
	assert_contains(BODY(r), "協働の必要性は0〜5の整数で入力してください");
	assert_contains(BODY(r), "value=\"よい\"");

	const char *const frac[6] = {"5", "5", "3.5", "5", "5", "-1"};
	r = score(fx.reviewer[0], fx.s1, fx.pa, frac, "", "draft");
	assert_status(r, 422);
	assert_contains(BODY(r), "実現可能性は0〜5の整数で入力してください");
	assert_contains(BODY(r), "費用対効果は0〜5の整数で入力してください");

	/* Submitting needs every score; a draft does not. */
	const char *const part[6] = {"5", "5", NULL, NULL, NULL, NULL};
	r = score(fx.reviewer[0], fx.s1, fx.pa, part, "", "submit");
	assert_status(r, 422);
	assert_contains(BODY(r), "実現可能性の点数を入力してください");
	assert_int_equal(sql_int(s, "SELECT count(*) FROM score_sheets"), 0);
}

static void reviewer_saves_a_draft_then_submits(void **state)
{
	struct server *s = *state;
	/* Full-width digits are numbers too. */
	const char *const part[6] = {"５", "4", NULL, NULL, NULL, NULL};
	struct resp *r = score(fx.reviewer[0], fx.s1, fx.pa, part, "途中まで", "draft");
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "done=draft");
	assert_string_equal(sql(s,
				"SELECT status FROM score_sheets WHERE stage_id = %lld AND "
				"proposal_id = %lld AND reviewer_id = %lld",
				fx.s1, fx.pa, (long long)fx.reviewer_u[0]->id),
			    "draft");
	r = get(fx.reviewer[0], review_url(fx.s1, fx.pa));
	assert_contains(BODY(r), "value=\"5\"");
	assert_contains(BODY(r), "途中まで</textarea>");
	assert_contains(get(fx.reviewer[0], "/review")->body, "0/3 採点済み");

	r = score(fx.reviewer[0], fx.s1, fx.pa, all5, SECRET_COMMENT, "submit");
	assert_status(r, 303);
	assert_contains(header_of(r, "Location"), "done=submitted");
	assert_contains(get(fx.reviewer[0], "/review")->body, "1/3 採点済み");
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM scores sc JOIN score_sheets sh ON sh.id = "
				 "sc.sheet_id WHERE sh.stage_id = %lld AND sh.proposal_id = %lld "
				 "AND sh.reviewer_id = %lld AND sc.score = 5",
				 fx.s1, fx.pa, (long long)fx.reviewer_u[0]->id),
			 6);
	assert_int_equal(
	    sql_int(
		s,
		"SELECT count(*) FROM audit_log WHERE entity = 'score_sheet' AND user_id = %lld "
		"AND action IN ('score_draft', 'score_submit')",
		(long long)fx.reviewer_u[0]->id),
	    2);
	/* Changing a submitted sheet is allowed while the stage is open. */
	r = score(fx.reviewer[0], fx.s1, fx.pa, all5, SECRET_COMMENT, "submit");
	assert_status(r, 303);
}

static void reviewers_never_see_each_others_scores_while_open(void **state)
{
	struct server *s = *state;
	struct client *other = fx.reviewer[1];
	struct resp *r = get(other, review_url(fx.s1, fx.pa));
	assert_status(r, 200);
	assert_not_contains(BODY(r), SECRET_COMMENT);
	assert_not_contains(BODY(r), "value=\"5\"");
	assert_not_contains(BODY(r), reviewer_names[0]);
	r = get(other, "/review");
	assert_status(r, 200);
	assert_not_contains(BODY(r), SECRET_COMMENT);
	assert_not_contains(BODY(r), reviewer_names[0]);
	assert_contains(BODY(r), "0/3 採点済み");
	/* Nor through the office's pages or the files. */
	assert_status(get(other, hfmt("/admin/screening/stages/%lld/proposals/%lld", fx.s1, fx.pa)),
		      403);
	assert_status(get(other, hfmt("/admin/screening/stages/%lld", fx.s1)), 403);
	/* The second reviewer scores on their own; the first one's sheet stays. */
	assert_status(score(other, fx.s1, fx.pa, all3, "別の講評", "submit"), 303);
	r = get(fx.reviewer[0], review_url(fx.s1, fx.pa));
	assert_contains(BODY(r), SECRET_COMMENT);
	assert_not_contains(BODY(r), "別の講評");
	/* While open, the office sees who has submitted, not what. */
	r = get(fx.admin, hfmt("/admin/screening/stages/%lld/proposals/%lld", fx.s1, fx.pa));
	assert_status(r, 200);
	assert_not_contains(BODY(r), SECRET_COMMENT);
	assert_contains(BODY(r), "2/3 提出済み");
	(void)s;
}

static void group_member_is_recused_and_cannot_score(void **state)
{
	struct server *s = *state;
	struct client *member_reviewer = fx.reviewer[2];
	struct resp *r = get(member_reviewer, "/review");
	assert_status(r, 200);
	assert_contains(BODY(r), "利益相反のため採点しない");
	assert_contains(BODY(r), "0/2 採点済み");
	assert_int_equal(sql_int(s,
				 "SELECT automatic FROM recusals WHERE stage_id = %lld AND "
				 "proposal_id = %lld AND user_id = %lld",
				 fx.s1, fx.pb, (long long)fx.reviewer_u[2]->id),
			 1);
	r = score(member_reviewer, fx.s1, fx.pb, all5, "", "submit");
	assert_status(r, 403);
	assert_contains(BODY(r), "利益相反があるため");
	r = get(member_reviewer, review_url(fx.s1, fx.pb));
	assert_status(r, 200);
	assert_contains(BODY(r), "この提案は採点しません");
	assert_not_contains(BODY(r), hfmt("name=\"score_%lld\"", fx.crit[0]));
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM score_sheets WHERE proposal_id = %lld AND "
				 "reviewer_id = %lld",
				 fx.pb, (long long)fx.reviewer_u[2]->id),
			 0);
	/* Other proposals are scored as usual. */
	assert_status(score(member_reviewer, fx.s1, fx.pa, all4, "", "submit"), 303);
}

static void reviewer_declares_a_conflict(void **state)
{
	struct server *s = *state;
	struct client *c = fx.reviewer[1];
	const char *url = hfmt("%s/conflict", review_url(fx.s1, fx.pc));
	struct resp *r =
	    post_form(c, url, form_body("conflict_reason", "", "_csrf", client_csrf(c), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "利益相反の内容を入力してください");
	r = post_form(c, url,
		      form_body("conflict_reason", "指導教員として助言している", "_csrf",
				client_csrf(c), NULL));
	assert_status(r, 303);
	assert_string_equal(sql(s,
				"SELECT automatic || ' ' || reason FROM recusals WHERE stage_id = "
				"%lld AND proposal_id = %lld AND user_id = %lld",
				fx.s1, fx.pc, (long long)fx.reviewer_u[1]->id),
			    "0 指導教員として助言している");
	assert_status(score(c, fx.s1, fx.pc, all4, "", "submit"), 403);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE action = 'conflict' AND "
				 "entity = 'proposal' AND entity_id = %lld",
				 fx.pc),
			 1);
	r = get(c, "/review");
	assert_contains(BODY(r), "1/2 採点済み");
}

static void reviewer_not_assigned_is_refused(void **state)
{
	struct server *s = *state;
	struct client *c = fx.reviewer[3];
	struct resp *r = get(c, review_url(fx.s1, fx.pa));
	assert_status(r, 403);
	assert_contains(BODY(r), "割り当てられていません");
	r = score(c, fx.s1, fx.pa, all5, "", "submit");
	assert_status(r, 403);
	assert_contains(BODY(r), "割り当てられていません");
	assert_not_contains(get(c, "/review")->body, "石垣を歩く親子ツアー");
	/* A proposal that is not in the stage at all. */
	assert_status(get(fx.reviewer[0], review_url(fx.s2, fx.pa)), 404);
	assert_int_equal(sql_int(s, "SELECT count(*) FROM score_sheets WHERE reviewer_id = %lld",
				 (long long)fx.reviewer_u[3]->id),
			 0);
}

static void assigned_reviewer_reads_the_attachments(void **state)
{
	struct server *s = *state;
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	const char *sha = repeat("5a", 32);
	FILE *f = fopen(hfmt("%s/%s", s->files, sha), "wb");
	assert_non_null(f);
	fwrite(pdf, 1, sizeof(pdf) - 1, f);
	fclose(f);
	sql(s,
	    "INSERT INTO files (sha256, name, mime, size, uploaded_by, created_at) VALUES ('%s', "
	    "'plan.pdf', 'application/pdf', %zu, %lld, 0)",
	    sha, sizeof(pdf) - 1, (long long)fx.admin_u->id);
	long long file = (long long)sql_int(s, "SELECT max(id) FROM files");
	sql(s,
	    "INSERT INTO proposal_files (proposal_id, file_id, title) VALUES (%lld, %lld, "
	    "'計画書')",
	    fx.pa, file);
	assert_contains(get(fx.reviewer[0], review_url(fx.s1, fx.pa))->body,
			hfmt("/files/%lld", file));
	struct resp *r = get(fx.reviewer[0], hfmt("/files/%lld", file));
	assert_status(r, 200);
	assert_contains(header_of(r, "Content-Type"), "application/pdf");
	assert_status(get(fx.reviewer[3], hfmt("/files/%lld", file)), 404);
}

static void continuation_shows_the_groups_earlier_years(void **state)
{
	struct server *s = *state;
	sql(s,
	    "INSERT INTO calls (program_id, fiscal_year, title, published, created_at, updated_at) "
	    "VALUES ((SELECT id FROM programs WHERE name = 't1700 テスト事業'), 2024, "
	    "'t1700の前年度の募集', 1, 0, 0)");
	long long old_call = (long long)sql_int(s, "SELECT max(id) FROM calls");
	sql(s,
	    "INSERT INTO call_categories (call_id, name, short_name, cap_yen, opens_at, "
	    "deadline_at) VALUES (%lld, 't1700前年度部門', 'T17前', 500000, 0, 1)",
	    old_call);
	sql(s,
	    "INSERT INTO proposals (call_id, category_id, group_id, created_by, status, "
	    "receipt_seq, receipt_no, title, submitted_at, created_at, updated_at) VALUES (%lld, "
	    "(SELECT max(id) FROM call_categories), %lld, %lld, 'submitted', 1, 'T16-前-001', "
	    "'石垣の清掃ボランティア', 0, 0, 0)",
	    old_call, (long long)group_id(s, GROUP_A), (long long)fx.admin_u->id);
	long long old = (long long)sql_int(s, "SELECT max(id) FROM proposals");
	sql(s, "UPDATE proposals SET previous_proposal_id = %lld WHERE id = %lld", old, fx.pa);
	struct resp *r = get(fx.reviewer[0], review_url(fx.s1, fx.pa));
	assert_status(r, 200);
	assert_contains(BODY(r), "この団体のこれまでの年度");
	assert_contains(BODY(r), "令和6年度");
	assert_contains(BODY(r), "石垣の清掃ボランティア");
	/* Adopted projects come first when there are any. */
	sql(s,
	    "INSERT INTO projects (fiscal_year, category_name, group_id, title, grant_yen, "
	    "created_at) VALUES (2022, '一般部門', %lld, '石垣ガイド養成講座', 300000, 0)",
	    (long long)group_id(s, GROUP_A));
	r = get(fx.reviewer[0], review_url(fx.s1, fx.pa));
	assert_contains(BODY(r), "令和4年度");
	assert_contains(BODY(r), "石垣ガイド養成講座");
	assert_contains(BODY(r), "300,000");
	/* A proposal that continues nothing shows no history. */
	assert_not_contains(get(fx.reviewer[0], review_url(fx.s1, fx.pc))->body,
			    "この団体のこれまでの年度");
}

/* ---- the office's settings ---------------------------------------------- */

static void stage_edits_are_refused_once_scoring_started(void **state)
{
	struct server *s = *state;
	const char *csrf = client_csrf(fx.admin);
	struct resp *r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/settings", fx.s1),
				   form_body("stage_name", "1次審査", "kind", "document", "entry",
					     "all_submitted", "scale_min", "0", "scale_max", "10",
					     "aggregation", "sum", "recusal_fill", "mean",
					     "pass_threshold", "50", "_csrf", csrf, NULL));
	assert_status(r, 409);
	assert_contains(BODY(r), "採点が始まっている");
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/criteria", fx.s1),
		      form_body("criterion_name", "地域性", "max_score", "5", "weight", "1",
				"_csrf", csrf, NULL));
	assert_status(r, 409);
	r = post_form(fx.admin,
		      hfmt("/admin/screening/stages/%lld/criteria/%lld", fx.s1, fx.crit[0]),
		      form_body("criterion_name", "公益性", "max_score", "5", "weight", "3",
				"_csrf", csrf, NULL));
	assert_status(r, 409);
	r = post_form(fx.admin,
		      hfmt("/admin/screening/stages/%lld/criteria/%lld/delete", fx.s1, fx.crit[0]),
		      form_body("_csrf", csrf, NULL));
	assert_status(r, 409);
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/delete", fx.s1),
		      form_body("_csrf", csrf, NULL));
	assert_status(r, 409);
	assert_string_equal(sql(s,
				"SELECT scale_max || aggregation FROM review_stages WHERE "
				"id = %lld",
				fx.s1),
			    "5mean");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM review_criteria WHERE stage_id = %lld", fx.s1), 6);
	r = get(fx.admin, hfmt("/admin/screening/stages/%lld/settings", fx.s1));
	assert_contains(BODY(r), "採点が始まっているため");
	assert_not_contains(BODY(r), "name=\"stage_name\"");

	/* The second stage has no sheet: its settings and criteria still change. */
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/settings", fx.s2),
		      form_body("stage_name", "2次審査（公開プレゼンテーション）", "kind",
				"presentation", "entry", "passed_previous", "scale_min", "0",
				"scale_max", "10", "aggregation", "sum", "recusal_fill", "mean",
				"pass_threshold", "70", "_csrf", csrf, NULL));
	assert_status(r, 303);
	assert_string_equal(sql(s,
				"SELECT scale_max || aggregation || recusal_fill || pass_threshold "
				"FROM review_stages WHERE id = %lld",
				fx.s2),
			    "10summean70");
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/criteria", fx.s2),
		      form_body("criterion_name", "発表の分かりやすさ", "max_score", "10", "weight",
				"2", "_csrf", csrf, NULL));
	assert_status(r, 303);
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM review_criteria WHERE stage_id = %lld", fx.s2), 7);
	/* A maximum above the scale is refused next to the field. */
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/criteria", fx.s2),
		      form_body("criterion_name", "熱意", "max_score", "11", "weight", "1", "_csrf",
				csrf, NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "id=\"f-max_score-error\"");
	/* The window: the close before the opening is refused. */
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/window", fx.s2),
		      form_body("opens_at", "2025-07-12T13:00", "closes_at", "2025-07-12T12:00",
				"_csrf", csrf, NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "採点の締切は開始より後にしてください");
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/window", fx.s2),
		      form_body("opens_at", "2025-07-12T13:00", "closes_at", "2025-07-12T17:00",
				"_csrf", csrf, NULL));
	assert_status(r, 303);
	assert_int_equal(sql_int(s, "SELECT opens_at FROM review_stages WHERE id = %lld", fx.s2),
			 1752292800); /* 2025-07-12 13:00 JST */
	assert_true(sql_int(s,
			    "SELECT count(*) FROM audit_log WHERE entity = 'review_stage' AND "
			    "entity_id = %lld",
			    fx.s2) >= 3);
}

/* ---- close, ranking, decisions ------------------------------------------ */

static void nobody_scores_after_the_window_or_the_close(void **state)
{
	struct server *s = *state;
	/* Proposal B: reviewer 1 submits, reviewer 2 never does (reviewer 3 is
	 * recused).  Proposal C: reviewer 1 and reviewer 3. */
	assert_status(score(fx.reviewer[0], fx.s1, fx.pb, all3, "", "submit"), 303);
	assert_status(score(fx.reviewer[0], fx.s1, fx.pc, all4, "", "submit"), 303);
	assert_status(score(fx.reviewer[2], fx.s1, fx.pc, all4, "", "submit"), 303);
	/* Deciding before the close is refused. */
	struct resp *r = post_form(
	    fx.admin, hfmt("/admin/screening/stages/%lld/proposals/%lld/decision", fx.s1, fx.pa),
	    form_body("decision", "pass", "reason", "", "_csrf", client_csrf(fx.admin), NULL));
	assert_status(r, 409);

	/* The window is over: refused, although the office has not closed it. */
	long long closes =
	    (long long)sql_int(s, "SELECT closes_at FROM review_stages WHERE id = %lld", fx.s1);
	sql(s, "UPDATE review_stages SET closes_at = strftime('%%s','now') - 1 WHERE id = %lld",
	    fx.s1);
	r = score(fx.reviewer[1], fx.s1, fx.pb, all3, "", "submit");
	assert_status(r, 409);
	assert_contains(BODY(r), "審査期間は終了しました");
	sql(s, "UPDATE review_stages SET closes_at = %lld WHERE id = %lld", closes, fx.s1);

	r = get(fx.admin, hfmt("/admin/screening/stages/%lld", fx.s1));
	assert_status(r, 200);
	assert_contains(BODY(r), "6/7 提出済み");
	assert_not_contains(BODY(r), "ranking-heading");
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/close", fx.s1),
		      form_body("_csrf", client_csrf(fx.admin), NULL));
	assert_status(r, 303);
	assert_true(sql_int(s, "SELECT closed_at FROM review_stages WHERE id = %lld", fx.s1) > 0);
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE action = 'close' AND entity "
				 "= 'review_stage' AND entity_id = %lld",
				 fx.s1),
			 1);
	for (int i = 0; i < 3; i++) {
		r = score(fx.reviewer[i], fx.s1, fx.pa, all3, "", "submit");
		assert_status(r, 409);
		assert_contains(BODY(r), "審査期間は終了しました");
	}
	r = get(fx.reviewer[0], review_url(fx.s1, fx.pa));
	assert_status(r, 200);
	assert_not_contains(BODY(r), hfmt("name=\"score_%lld\"", fx.crit[0]));
	/* A closed stage leaves the workspace. */
	assert_not_contains(get(fx.reviewer[0], "/review")->body, "石垣を歩く親子ツアー");
	assert_status(post_form(fx.admin, hfmt("/admin/screening/stages/%lld/close", fx.s1),
				form_body("_csrf", client_csrf(fx.admin), NULL)),
		      409);
}

static void ranking_appears_after_the_close(void **state)
{
	(void)state;
	struct resp *r = get(fx.admin, hfmt("/admin/screening/stages/%lld", fx.s1));
	assert_status(r, 200);
	assert_contains(BODY(r), "順位表");
	assert_contains(BODY(r), "t1700一般部門");
	assert_contains(BODY(r), "t1700学生部門");
	/* A: 100, 60, 80 → 80.00 with stdev 16.33; B: 60 alone; C: 80, 80. */
	assert_contains(BODY(r), "80.00");
	assert_contains(BODY(r), "16.33");
	assert_contains(BODY(r), "60.00");
	assert_contains(BODY(r), "ばらつき大");
	assert_contains(BODY(r), "目安以上");
	/* After the close the office reads the sheets, names and comments. */
	r = get(fx.admin, hfmt("/admin/screening/stages/%lld/proposals/%lld", fx.s1, fx.pa));
	assert_contains(BODY(r), SECRET_COMMENT);
	assert_contains(BODY(r), reviewer_names[0]);
}

static void deciding_early_needs_a_reason(void **state)
{
	struct server *s = *state;
	const char *url =
	    hfmt("/admin/screening/stages/%lld/proposals/%lld/decision", fx.s1, fx.pb);
	struct resp *r = post_form(
	    fx.admin, url,
	    form_body("decision", "fail", "reason", "", "_csrf", client_csrf(fx.admin), NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "未提出の審査があるため、理由を入力してください");
	assert_contains(BODY(r), "id=\"f-reason-error\"");
	assert_int_equal(
	    sql_int(s, "SELECT count(*) FROM stage_decisions WHERE proposal_id = %lld", fx.pb), 0);
	r = post_form(fx.admin, url,
		      form_body("decision", "fail", "reason", "審査員1名の評価が未提出のまま審議",
				"_csrf", client_csrf(fx.admin), NULL));
	assert_status(r, 303);
	assert_string_equal(sql(s,
				"SELECT decision FROM stage_decisions WHERE stage_id = %lld AND "
				"proposal_id = %lld",
				fx.s1, fx.pb),
			    "fail");
	/* A and C have every expected sheet: no reason needed. */
	for (int i = 0; i < 2; i++) {
		long long p = i ? fx.pc : fx.pa;
		r = post_form(
		    fx.admin,
		    hfmt("/admin/screening/stages/%lld/proposals/%lld/decision", fx.s1, p),
		    form_body("decision", "pass", "reason", "", "_csrf", client_csrf(fx.admin),
			      NULL));
		assert_status(r, 303);
	}
	assert_int_equal(sql_int(s,
				 "SELECT count(*) FROM audit_log WHERE action = 'decide' AND "
				 "entity = 'proposal' AND entity_id IN (%lld, %lld, %lld)",
				 fx.pa, fx.pb, fx.pc),
			 3);
	/* Only a known decision. */
	r = post_form(fx.admin,
		      hfmt("/admin/screening/stages/%lld/proposals/%lld/decision", fx.s1, fx.pa),
		      form_body("decision", "maybe", "_csrf", client_csrf(fx.admin), NULL));
	assert_status(r, 422);
}

static void admin_corrects_a_score_after_close_with_a_reason(void **state)
{
	struct server *s = *state;
	long long sheet =
	    (long long)sql_int(s,
			       "SELECT id FROM score_sheets WHERE stage_id = %lld AND "
			       "proposal_id = %lld AND reviewer_id = %lld",
			       fx.s1, fx.pa, (long long)fx.reviewer_u[1]->id);
	struct resp *r =
	    get(fx.admin, hfmt("/admin/screening/stages/%lld/proposals/%lld?correct=%lld", fx.s1,
			       fx.pa, sheet));
	assert_status(r, 200);
	assert_contains(BODY(r), "評価の修正");
	struct buf b = BUF_INIT;
	for (int i = 0; i < 6; i++)
		buf_printf(&b, "score_%lld=%d&", fx.crit[i], i == 0 ? 4 : 3);
	buf_adds(&b, "comment=x&correction_reason=&_csrf=");
	const char *csrf = client_csrf(fx.admin);
	buf_add_urlenc(&b, csrf, strlen(csrf));
	r = post_form(fx.admin, hfmt("/admin/screening/sheets/%lld", sheet), hfmt("%s", b.p));
	assert_status(r, 422);
	assert_contains(BODY(r), "修正の理由を入力してください");
	buf_reset(&b);
	for (int i = 0; i < 6; i++)
		buf_printf(&b, "score_%lld=%d&", fx.crit[i], i == 0 ? 4 : 3);
	buf_adds(&b, "comment=x&correction_reason=");
	buf_add_urlenc(&b, "紙の評価票と照合", strlen("紙の評価票と照合"));
	buf_adds(&b, "&_csrf=");
	buf_add_urlenc(&b, csrf, strlen(csrf));
	r = post_form(fx.admin, hfmt("/admin/screening/sheets/%lld", sheet), hfmt("%s", b.p));
	buf_release(&b);
	assert_status(r, 303);
	assert_int_equal(sql_int(s,
				 "SELECT score FROM scores WHERE sheet_id = %lld AND "
				 "criterion_id = %lld",
				 sheet, fx.crit[0]),
			 4);
	assert_int_equal(
	    sql_int(s,
		    "SELECT count(*) FROM audit_log WHERE action = 'score_correct' AND "
		    "entity_id = %lld AND summary LIKE '%%紙の評価票と照合%%'",
		    sheet),
	    1);
	/* Reviewers cannot. */
	assert_status(post_form(fx.reviewer[1], hfmt("/admin/screening/sheets/%lld", sheet),
				form_body("_csrf", client_csrf(fx.reviewer[1]), NULL)),
		      403);
}

/* ---- presentations ------------------------------------------------------- */

static void presentation_schedule_reaches_applicants_then_the_public(void **state)
{
	struct server *s = *state;
	const char *csrf = client_csrf(fx.admin);
	const char *url = hfmt("/admin/screening/stages/%lld/presentations", fx.s2);
	/* Proposal B failed the first stage: it has no slot in the second. */
	struct resp *r = post_form(fx.admin, url,
				   form_body("proposal", ids(fx.pb), "position", "1", "starts_at",
					     "2025-07-12T13:00", "duration_min", "10", "venue",
					     "市役所第一会議室", "_csrf", csrf, NULL));
	assert_status(r, 422);
	/* Neither venue nor video. */
	r = post_form(fx.admin, url,
		      form_body("proposal", ids(fx.pa), "position", "1", "starts_at",
				"2025-07-12T13:00", "duration_min", "10", "_csrf", csrf, NULL));
	assert_status(r, 422);
	assert_contains(BODY(r), "会場または発表動画のURLを入力してください");
	r = post_form(fx.admin, url,
		      form_body("proposal", ids(fx.pa), "position", "1", "starts_at",
				"2025-07-12T13:00", "duration_min", "10", "venue",
				"市役所第一会議室", "_csrf", csrf, NULL));
	assert_status(r, 303);

	/* The applicant group's member is told and sees their slot. */
	struct client *member = client_as(s, add_member_of(s, group_id(s, GROUP_A)));
	const char *pub = hfmt("/challenge/calls/%lld/presentations", fx.call);
	r = get(member, pub);
	assert_status(r, 200);
	assert_contains(BODY(r), "市役所第一会議室");
	assert_contains(BODY(r), "令和7年7月12日(土) 13:00");
	assert_contains(BODY(r), "あなたの団体");
	assert_true(sql_int(s,
			    "SELECT count(*) FROM notifications WHERE kind = 'presentation' AND "
			    "user_id IN (SELECT user_id FROM group_members WHERE group_id = %lld)",
			    (long long)group_id(s, GROUP_A)) >= 1);
	/* Another group's member and residents see nothing yet. */
	struct client *visitor = client_new(s);
	r = get(visitor, pub);
	assert_status(r, 200);
	assert_not_contains(BODY(r), "市役所第一会議室");
	struct client *other = client_as(s, add_member_of(s, group_id(s, GROUP_C)));
	assert_not_contains(get(other, pub)->body, "市役所第一会議室");
	/* Published: everyone. */
	r = post_form(fx.admin, hfmt("/admin/screening/stages/%lld/public", fx.s2),
		      form_body("public", "1", "_csrf", csrf, NULL));
	assert_status(r, 303);
	r = get(visitor, pub);
	assert_status(r, 200);
	assert_contains(BODY(r), "市役所第一会議室");
	assert_contains(BODY(r), "石垣を歩く親子ツアー");
}

/* ---- what applicants see -------------------------------------------------- */

static void applicant_never_sees_reviewer_names(void **state)
{
	struct server *s = *state;
	struct client *member = client_as(s, add_member_of(s, group_id(s, GROUP_A)));
	const char *pages[] = {
	    "/proposals",
	    hfmt("/proposals/%lld", fx.pa),
	    hfmt("/proposals/%lld/print", fx.pa),
	    "/notifications",
	    hfmt("/challenge/calls/%lld", fx.call),
	    hfmt("/challenge/calls/%lld/presentations", fx.call),
	    "/review",
	    review_url(fx.s1, fx.pa),
	    hfmt("/admin/screening/stages/%lld", fx.s1),
	    hfmt("/admin/screening/stages/%lld/proposals/%lld", fx.s1, fx.pa),
	    "/",
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		struct resp *r = get(member, pages[i]);
		if (r->status != 200 && r->status != 403 && r->status != 404)
			fail_msg("%s gave %ld", pages[i], r->status);
		for (size_t k = 0; k < 4; k++)
			assert_not_contains(BODY(r), reviewer_names[k]);
		assert_not_contains(BODY(r), SECRET_COMMENT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(office_sets_up_the_default_stages),
	    cmocka_unit_test(office_pages_refuse_other_roles),
	    cmocka_unit_test(review_workspace_refuses_other_roles),
	    cmocka_unit_test(queue_lists_the_proposals_with_progress),
	    cmocka_unit_test(score_outside_the_scale_or_not_a_number_is_refused),
	    cmocka_unit_test(reviewer_saves_a_draft_then_submits),
	    cmocka_unit_test(reviewers_never_see_each_others_scores_while_open),
	    cmocka_unit_test(group_member_is_recused_and_cannot_score),
	    cmocka_unit_test(reviewer_declares_a_conflict),
	    cmocka_unit_test(reviewer_not_assigned_is_refused),
	    cmocka_unit_test(assigned_reviewer_reads_the_attachments),
	    cmocka_unit_test(continuation_shows_the_groups_earlier_years),
	    cmocka_unit_test(stage_edits_are_refused_once_scoring_started),
	    cmocka_unit_test(nobody_scores_after_the_window_or_the_close),
	    cmocka_unit_test(ranking_appears_after_the_close),
	    cmocka_unit_test(deciding_early_needs_a_reason),
	    cmocka_unit_test(admin_corrects_a_score_after_close_with_a_reason),
	    cmocka_unit_test(presentation_schedule_reaches_applicants_then_the_public),
	    cmocka_unit_test(applicant_never_sees_reviewer_names),
	    cmocka_unit_test(server_stops_gracefully_on_sigterm),
	};
	return cmocka_run_group_tests(tests, h_group_setup, h_group_teardown);
}
