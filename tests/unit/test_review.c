/*
 * Unit tests for domain/review: which proposals enter a stage, where a
 * stage's window stands at its boundary seconds, and, on a temporary
 * migrated database, the whole screening path in order: default set-up,
 * automatic recusal, the score checks, the lock on settings once scoring
 * started, closing, deciding (a reason when sheets are missing), the
 * ranking, the second stage's entrants and review_adoptable().  Reasons
 * are checked by their message keys (and, where the words matter to
 * users, by their text from the catalogue).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "challenge/review.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/msg.h"

/* No reason yet. */
#define NO_WHY ((struct review_why){NULL, {NULL}})

/* ---- which proposals enter a stage ---- */

static void test_first_stage_admits_every_submitted_proposal(void **state)
{
	(void)state;
	assert_true(review_enters("all_submitted", false, true, ""));
	/* A first stage set to passed_previous has nothing to pass: all enter. */
	assert_true(review_enters("passed_previous", false, true, ""));
}

static void test_passed_previous_admits_pass_only(void **state)
{
	(void)state;
	assert_true(review_enters("passed_previous", true, true, "pass"));
	assert_false(review_enters("passed_previous", true, true, "fail"));
	assert_false(review_enters("passed_previous", true, true, "retry"));
	assert_false(review_enters("passed_previous", true, true, ""));
}

static void test_all_submitted_later_stage_ignores_the_previous_decision(void **state)
{
	(void)state;
	assert_true(review_enters("all_submitted", true, true, "fail"));
	assert_true(review_enters("all_submitted", true, true, ""));
}

static void test_unsubmitted_proposal_never_enters(void **state)
{
	(void)state;
	assert_false(review_enters("all_submitted", false, false, ""));
	assert_false(review_enters("passed_previous", true, false, "pass"));
}

/* ---- the window ---- */

static void test_phase_at_the_boundary_seconds(void **state)
{
	(void)state;
	struct review_stage s = {.opens_at = 1000, .closes_at = 2000};
	assert_int_equal(review_stage_phase(&s, 999), REVIEW_PHASE_BEFORE);
	assert_int_equal(review_stage_phase(&s, 1000), REVIEW_PHASE_OPEN);
	assert_int_equal(review_stage_phase(&s, 2000), REVIEW_PHASE_OPEN);
	assert_int_equal(review_stage_phase(&s, 2001), REVIEW_PHASE_ENDED);
	s.closed_at = 1500;
	assert_int_equal(review_stage_phase(&s, 1500), REVIEW_PHASE_CLOSED);
	assert_int_equal(review_stage_phase(&s, 999), REVIEW_PHASE_CLOSED);
}

static void test_score_stage_takes_the_rules_from_the_stage(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct review_stage s = {
	    .scale_min = 0, .scale_max = 10, .aggregation = "sum", .recusal_fill = "mean"};
	struct review_criterion c[2] = {{.max_score = 10, .weight = 2},
					{.max_score = 5, .weight = 1}};
	struct score_stage ss;
	struct review_why why = NO_WHY;
	assert_int_equal(review_score_stage(&a, &s, c, 2, &ss, &why), RC_OK);
	assert_int_equal(ss.rule, SCORE_RULE_SUM);
	assert_int_equal(ss.fill, SCORE_FILL_MEAN);
	assert_int_equal(ss.criteria[0].weight, 2);
	assert_int_equal(ss.criteria[1].max_score, 5);
	/* A maximum above the scale is refused by score.h's check. */
	c[1].max_score = 11;
	assert_int_equal(review_score_stage(&a, &s, c, 2, &ss, &why), RC_INVALID);
	assert_string_equal(why.key, "score.why.max_score");
	arena_free(&a);
}

/* ---- on a database ---- */

#define NOW ((int64_t)1750000000)

struct fixture {
	char path[64];
	struct db *db;
	sqlite3 *raw;
	struct arena a;
	int64_t stage1, stage2;
};

static void exec(struct fixture *fx, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	char *err = NULL;
	if (sqlite3_exec(fx->raw, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

static int64_t count(struct fixture *fx, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(fx->raw, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * Users: 1 admin; 2, 3, 4 reviewers (4 is also a member of group 2);
 * 5 a member of group 1.  Call 1 (令和7年度) with categories 1 (一般) and
 * 2 (学生).  Proposals: 1 (group 1, 一般), 2 (group 2, 一般), 3 (group 3,
 * 学生) submitted; 4 a draft; 5 withdrawn.
 */
static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	snprintf(fx->path, sizeof(fx->path), "/tmp/kyodo-review-XXXXXX");
	int fd = mkstemp(fx->path);
	if (fd < 0)
		return -1;
	close(fd);
	fx->db = db_open(fx->path);
	if (!fx->db || db_migrate(fx->db) < 0)
		return -1;
	if (sqlite3_open(fx->path, &fx->raw) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(fx->raw, 5000);
	arena_init(&fx->a);
	exec(fx, "INSERT INTO users(id, email, name, pw_hash, roles, created_at, updated_at) "
		 "VALUES (1, 'a@example.jp', '事務局', 'x', 1, 0, 0), "
		 "(2, 'r2@example.jp', '審査員2', 'x', 8, 0, 0), "
		 "(3, 'r3@example.jp', '審査員3', 'x', 8, 0, 0), "
		 "(4, 'r4@example.jp', '審査員4', 'x', 24, 0, 0), "
		 "(5, 'm@example.jp', '会員', 'x', 16, 0, 0)");
	exec(fx, "INSERT INTO groups(id, name, name_kana, name_sort, kind, created_at, updated_at) "
		 "VALUES (1, '団体A', 'ダンタイエー', 'a', '任意団体', 0, 0), "
		 "(2, '団体B', 'ダンタイビー', 'b', '任意団体', 0, 0), "
		 "(3, '団体C', 'ダンタイシー', 'c', '任意団体', 0, 0)");
	exec(fx, "INSERT INTO group_members(group_id, user_id) VALUES (2, 4), (1, 5)");
	exec(fx, "INSERT INTO programs(id, name) VALUES (1, 'チャレンジ事業')");
	exec(fx, "INSERT INTO calls(id, program_id, fiscal_year, title, published, created_at, "
		 "updated_at) VALUES (1, 1, 2025, '令和7年度の募集', 1, 0, 0)");
	exec(fx, "INSERT INTO call_categories(id, call_id, name, short_name, cap_yen, opens_at, "
		 "deadline_at, position) VALUES (1, 1, '一般部門', '一般', 500000, 0, 1, 1), "
		 "(2, 1, '学生部門', '学生', 100000, 0, 1, 2)");
	exec(fx, "INSERT INTO proposals(id, call_id, category_id, group_id, created_by, status, "
		 "receipt_seq, receipt_no, title, created_at, updated_at) VALUES "
		 "(1, 1, 1, 1, 5, 'submitted', 1, 'R7-一般-001', '提案A', 0, 0), "
		 "(2, 1, 1, 2, 1, 'submitted', 2, 'R7-一般-002', '提案B', 0, 0), "
		 "(3, 1, 2, 3, 1, 'submitted', 1, 'R7-学生-001', '提案C', 0, 0), "
		 "(4, 1, 1, 3, 1, 'draft', NULL, NULL, '下書き', 0, 0), "
		 "(5, 1, 2, 2, 1, 'withdrawn', 2, 'R7-学生-002', '取り下げ', 0, 0)");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	arena_free(&fx->a);
	sqlite3_close(fx->raw);
	db_close(fx->db);
	char side[80];
	unlink(fx->path);
	snprintf(side, sizeof(side), "%s-wal", fx->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", fx->path);
	unlink(side);
	free(fx);
	return 0;
}

static struct review_stage stage(struct fixture *fx, int64_t id)
{
	struct review_stage s;
	assert_int_equal(review_stage_get(fx->db, &fx->a, id, &s), RC_OK);
	return s;
}

static void criteria(struct fixture *fx, int64_t stage_id, struct review_criterion **c, size_t *n)
{
	assert_int_equal(review_criteria(fx->db, &fx->a, stage_id, c, n), RC_OK);
}

/* Save reviewer's sheet on proposal with every criterion scored v. */
static enum rc score_all(struct fixture *fx, int64_t stage_id, int64_t proposal, int64_t reviewer,
			 int64_t v, bool submit, struct review_why *why)
{
	struct review_stage s = stage(fx, stage_id);
	struct review_criterion *c;
	size_t n;
	criteria(fx, stage_id, &c, &n);
	int64_t scores[32];
	bool has[32];
	for (size_t i = 0; i < n; i++) {
		scores[i] = v;
		has[i] = true;
	}
	struct review_input in = {scores, has, n, "講評", submit};
	return review_sheet_save(fx->db, &fx->a, &s, c, n, proposal, reviewer, &in, NOW, NULL, why);
}

static void test_setup_makes_two_stages_with_the_six_criteria(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(review_setup_defaults(fx->db, &fx->a, 1, 1, NOW - 3600, NULL), RC_OK);
	struct review_stage *s;
	size_t n;
	assert_int_equal(review_stages(fx->db, &fx->a, 1, &s, &n), RC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].name, "1次審査（書類）");
	assert_string_equal(s[0].entry, "all_submitted");
	assert_string_equal(s[1].kind, "presentation");
	assert_string_equal(s[1].entry, "passed_previous");
	assert_int_equal(s[0].scale_max, 5);
	assert_int_equal(s[0].pass_threshold, 60);
	fx->stage1 = s[0].id;
	fx->stage2 = s[1].id;
	struct review_criterion *c;
	size_t nc;
	criteria(fx, fx->stage1, &c, &nc);
	assert_int_equal(nc, 6);
	assert_string_equal(c[0].name, "公益性");
	assert_string_equal(c[5].name, "費用対効果");
	/* Only once per call. */
	struct review_why why = NO_WHY;
	assert_int_equal(review_setup_defaults(fx->db, &fx->a, 1, 1, NOW, &why), RC_STATE);
	assert_string_equal(why.key, "review.why.has_stages");
	assert_int_equal(count(fx, "SELECT count(*) FROM audit_log WHERE entity = 'review_stage' "
				   "AND action = 'setup'"),
			 1);
}

static void test_first_stage_entrants_are_the_submitted_proposals(void **state)
{
	struct fixture *fx = *state;
	struct review_stage s = stage(fx, fx->stage1);
	struct review_entrant *e;
	size_t n;
	assert_int_equal(review_entrants(fx->db, &fx->a, &s, &e, &n), RC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(e[0].proposal_id, 1);
	assert_int_equal(e[1].proposal_id, 2);
	assert_int_equal(e[2].proposal_id, 3); /* the second category comes after */
}

static void test_group_member_is_recused_automatically(void **state)
{
	struct fixture *fx = *state;
	/* Open the first stage's window around NOW. */
	exec(fx, "UPDATE review_stages SET opens_at = %lld, closes_at = %lld WHERE id = %lld",
	     (long long)(NOW - 3600), (long long)(NOW + 3600), (long long)fx->stage1);
	struct review_stage s = stage(fx, fx->stage1);
	struct review_dashboard d;
	assert_int_equal(review_dashboard(fx->db, &fx->a, &s, NOW, &d), RC_OK);
	assert_int_equal(d.nreviewers, 3);
	assert_int_equal(d.expected, 3 * 3 - 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM recusals WHERE user_id = 4 AND "
				   "proposal_id = 2 AND automatic = 1"),
			 1);
	/* The member who is not a reviewer is not listed. */
	assert_int_equal(count(fx, "SELECT count(*) FROM recusals WHERE user_id = 5"), 0);
	struct review_why why = NO_WHY;
	assert_int_equal(score_all(fx, fx->stage1, 2, 4, 3, true, &why), RC_FORBIDDEN);
	assert_string_equal(why.key, "review.why.recused");
	assert_non_null(strstr(review_why_text(&fx->a, &why), "利益相反"));
}

static void test_score_outside_the_scale_is_refused(void **state)
{
	struct fixture *fx = *state;
	struct review_why why = NO_WHY;
	assert_int_equal(score_all(fx, fx->stage1, 1, 2, 6, true, &why), RC_INVALID);
	assert_string_equal(review_why_text(&fx->a, &why), "公益性は0〜5の整数で入力してください");
	assert_int_equal(score_all(fx, fx->stage1, 1, 2, -1, false, &why), RC_INVALID);
	assert_int_equal(count(fx, "SELECT count(*) FROM score_sheets"), 0);
}

static void test_submit_needs_every_score_a_draft_does_not(void **state)
{
	struct fixture *fx = *state;
	struct review_stage s = stage(fx, fx->stage1);
	struct review_criterion *c;
	size_t n;
	criteria(fx, fx->stage1, &c, &n);
	int64_t scores[6] = {4, 4, 4, 0, 0, 0};
	bool has[6] = {true, true, true, false, false, false};
	struct review_input in = {scores, has, n, "", true};
	struct review_why why = NO_WHY;
	assert_int_equal(review_sheet_save(fx->db, &fx->a, &s, c, n, 1, 3, &in, NOW, NULL, &why),
			 RC_INVALID);
	assert_string_equal(why.key, "review.why.score_missing");
	assert_string_equal(why.args[0], "独自性");
	in.submit = false;
	assert_int_equal(review_sheet_save(fx->db, &fx->a, &s, c, n, 1, 3, &in, NOW, NULL, &why),
			 RC_OK);
	assert_int_equal(count(fx, "SELECT count(*) FROM scores"), 3);
	assert_int_equal(count(fx, "SELECT count(*) FROM audit_log WHERE entity = 'score_sheet' "
				   "AND action = 'score_draft'"),
			 1);
}

static void test_settings_and_criteria_lock_once_scoring_started(void **state)
{
	struct fixture *fx = *state;
	struct review_stage s = stage(fx, fx->stage1);
	assert_true(s.nsheets > 0);
	struct review_why why = NO_WHY;
	s.scale_max = 10;
	assert_int_equal(review_stage_update(fx->db, &fx->a, &s, 1, &why), RC_STATE);
	assert_string_equal(why.key, "review.why.locked");
	struct review_criterion c = {.stage_id = fx->stage1,
				     .name = "地域性",
				     .description = "",
				     .max_score = 5,
				     .weight = 1};
	why = NO_WHY;
	assert_int_equal(review_criterion_save(fx->db, &fx->a, &c, 1, &why), RC_STATE);
	assert_string_equal(why.key, "review.why.locked");
	assert_int_equal(review_stage_remove(fx->db, &fx->a, fx->stage1, 1, &why), RC_STATE);
	assert_string_equal(why.key, "review.why.locked_delete");
	/* The second stage has no sheet yet: its settings may still change. */
	struct review_stage s2 = stage(fx, fx->stage2);
	s2.pass_threshold = 70;
	assert_int_equal(review_stage_update(fx->db, &fx->a, &s2, 1, &why), RC_OK);
	assert_int_equal(stage(fx, fx->stage2).pass_threshold, 70);
}

static void test_scores_count_only_when_submitted_and_ranking_follows(void **state)
{
	struct fixture *fx = *state;
	struct review_why why = NO_WHY;
	/* Proposal 1: 100, 60 and 80 → 80.00.  Proposal 2: 40 from reviewer 2
	 * only (reviewer 4 is recused; reviewer 3 never submits). */
	assert_int_equal(score_all(fx, fx->stage1, 1, 2, 5, true, &why), RC_OK);
	assert_int_equal(score_all(fx, fx->stage1, 1, 3, 3, true, &why), RC_OK);
	assert_int_equal(score_all(fx, fx->stage1, 1, 4, 4, true, &why), RC_OK);
	assert_int_equal(score_all(fx, fx->stage1, 2, 2, 2, true, &why), RC_OK);
	assert_int_equal(score_all(fx, fx->stage1, 3, 2, 4, true, &why), RC_OK);
	struct review_stage s = stage(fx, fx->stage1);
	struct review_dashboard d;
	assert_int_equal(review_dashboard(fx->db, &fx->a, &s, NOW, &d), RC_OK);
	assert_int_equal(d.submitted, 5);
	struct review_criterion *c;
	size_t n;
	criteria(fx, fx->stage1, &c, &n);
	struct review_category_ranking *cats;
	size_t ncat;
	assert_int_equal(review_ranking(fx->db, &fx->a, &s, c, n, &d, &cats, &ncat, &why), RC_OK);
	assert_int_equal(ncat, 2);
	assert_string_equal(cats[0].name, "一般部門");
	assert_int_equal(cats[0].n, 2);
	assert_int_equal(cats[0].rows[0].r.proposal_id, 1);
	assert_int_equal(cats[0].rows[0].r.rank, 1);
	assert_true(cats[0].rows[0].r.result.total > 79.99 &&
		    cats[0].rows[0].r.result.total < 80.01);
	assert_true(cats[0].rows[0].passes);
	assert_int_equal(cats[0].rows[1].r.proposal_id, 2);
	assert_int_equal(cats[0].rows[1].r.result.n_recused, 1);
	assert_false(cats[0].rows[1].passes);
}

static void test_no_score_after_the_window_or_the_close(void **state)
{
	struct fixture *fx = *state;
	struct review_why why = NO_WHY;
	struct review_stage s = stage(fx, fx->stage1);
	struct review_criterion *c;
	size_t n;
	criteria(fx, fx->stage1, &c, &n);
	int64_t scores[6] = {1, 1, 1, 1, 1, 1};
	bool has[6] = {true, true, true, true, true, true};
	struct review_input in = {scores, has, n, "", true};
	assert_int_equal(
	    review_sheet_save(fx->db, &fx->a, &s, c, n, 3, 3, &in, NOW + 3601, NULL, &why),
	    RC_CLOSED);
	assert_string_equal(why.key, "review.why.window_over");
	assert_string_equal(review_why_text(&fx->a, &why), "審査期間は終了しました。");
	assert_int_equal(
	    review_sheet_save(fx->db, &fx->a, &s, c, n, 3, 3, &in, NOW - 3601, NULL, &why),
	    RC_CLOSED);
	/* Deciding before the office closes the stage is refused. */
	assert_int_equal(review_decide(fx->db, &fx->a, &s, 1, "pass", "", 1, NOW, &why), RC_STATE);
	assert_int_equal(review_stage_close(fx->db, &fx->a, fx->stage1, 1, NOW, &why), RC_OK);
	assert_int_equal(review_stage_close(fx->db, &fx->a, fx->stage1, 1, NOW, &why), RC_STATE);
	assert_string_equal(why.key, "review.why.already_closed");
	s = stage(fx, fx->stage1);
	assert_int_equal(review_sheet_save(fx->db, &fx->a, &s, c, n, 3, 3, &in, NOW, NULL, &why),
			 RC_CLOSED);
}

static void test_deciding_with_missing_sheets_needs_a_reason(void **state)
{
	struct fixture *fx = *state;
	struct review_stage s = stage(fx, fx->stage1);
	struct review_why why = NO_WHY;
	/* Proposal 2: reviewer 3 never submitted. */
	assert_int_equal(review_decide(fx->db, &fx->a, &s, 2, "fail", "", 1, NOW, &why),
			 RC_INVALID);
	assert_string_equal(review_why_text(&fx->a, &why),
			    "未提出の審査があるため、理由を入力してください");
	assert_int_equal(
	    review_decide(fx->db, &fx->a, &s, 2, "fail", "審査員1名欠席のため", 1, NOW, &why),
	    RC_OK);
	/* Proposal 1 has every expected sheet: no reason needed. */
	assert_int_equal(review_decide(fx->db, &fx->a, &s, 1, "pass", "", 1, NOW, &why), RC_OK);
	assert_int_equal(review_decide(fx->db, &fx->a, &s, 1, "maybe", "", 1, NOW, &why),
			 RC_INVALID);
	/* A proposal that does not enter the stage. */
	assert_int_equal(review_decide(fx->db, &fx->a, &s, 4, "pass", "x", 1, NOW, &why),
			 RC_NOT_FOUND);
	assert_int_equal(count(fx, "SELECT count(*) FROM audit_log WHERE action = 'decide'"), 2);
}

static void test_admin_correction_after_close_needs_a_reason(void **state)
{
	struct fixture *fx = *state;
	struct review_stage s = stage(fx, fx->stage1);
	struct review_criterion *c;
	size_t n;
	criteria(fx, fx->stage1, &c, &n);
	int64_t sheet = count(fx, "SELECT id FROM score_sheets WHERE proposal_id = 1 AND "
				  "reviewer_id = 3");
	int64_t scores[6] = {4, 3, 3, 3, 3, 3};
	bool has[6] = {true, true, true, true, true, true};
	struct review_input in = {scores, has, n, "転記の誤りを修正", true};
	struct review_why why = NO_WHY;
	assert_int_equal(
	    review_sheet_correct(fx->db, &fx->a, &s, c, n, sheet, &in, "", 1, NOW, &why),
	    RC_INVALID);
	assert_int_equal(review_sheet_correct(fx->db, &fx->a, &s, c, n, sheet, &in,
					      "紙の評価票と照合", 1, NOW, &why),
			 RC_OK);
	assert_int_equal(count(fx,
			       "SELECT score FROM scores WHERE sheet_id = %lld AND "
			       "criterion_id = %lld",
			       (long long)sheet, (long long)c[0].id),
			 4);
	assert_int_equal(count(fx, "SELECT count(*) FROM audit_log WHERE action = 'score_correct' "
				   "AND summary LIKE '%%紙の評価票と照合%%'"),
			 1);
}

static void test_chosen_assignment_is_per_category(void **state)
{
	struct fixture *fx = *state;
	struct review_why why = NO_WHY;
	struct review_assignee only_students[] = {{2, 2}, {3, 0}, {3, 0}};
	assert_int_equal(
	    review_assign(fx->db, &fx->a, fx->stage2, "chosen", only_students, 3, 1, &why), RC_OK);
	struct review_stage s = stage(fx, fx->stage2);
	assert_string_equal(s.assignment, "chosen");
	assert_false(review_is_assigned(fx->db, &s, 2, 1));
	assert_true(review_is_assigned(fx->db, &s, 2, 2));
	assert_true(review_is_assigned(fx->db, &s, 3, 1)); /* every category */
	assert_false(review_is_assigned(fx->db, &s, 4, 2));
	assert_int_equal(count(fx, "SELECT count(*) FROM stage_reviewers WHERE stage_id = %lld",
			       (long long)fx->stage2),
			 2);
	/* Only users with the reviewer role; a category of another call is refused. */
	struct review_assignee member[] = {{5, 0}};
	assert_int_equal(review_assign(fx->db, &fx->a, fx->stage2, "chosen", member, 1, 1, &why),
			 RC_INVALID);
	struct review_assignee stray[] = {{2, 99}};
	assert_int_equal(review_assign(fx->db, &fx->a, fx->stage2, "chosen", stray, 1, 1, &why),
			 RC_INVALID);
	/* Back to everyone. */
	assert_int_equal(review_assign(fx->db, &fx->a, fx->stage2, "all", NULL, 0, 1, &why), RC_OK);
	s = stage(fx, fx->stage2);
	assert_true(review_is_assigned(fx->db, &s, 4, 2));
	assert_false(review_is_assigned(fx->db, &s, 5, 2)); /* a member, not a reviewer */
}

static void test_history_prefers_projects_then_earlier_proposals(void **state)
{
	struct fixture *fx = *state;
	exec(fx, "INSERT INTO calls(id, program_id, fiscal_year, title, published, created_at, "
		 "updated_at) VALUES (3, 1, 2023, '令和5年度の募集', 1, 0, 0)");
	exec(fx, "INSERT INTO proposals(id, call_id, category_id, group_id, created_by, status, "
		 "receipt_seq, receipt_no, title, created_at, updated_at) VALUES "
		 "(7, 3, 1, 1, 5, 'submitted', 7, 'R5-一般-007', '前の提案', 0, 0)");
	struct review_history *h;
	size_t n = review_history_of(fx->db, &fx->a, 1, 2025, 1, &h);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].title, "前の提案");
	assert_false(h[0].adopted);
	exec(fx, "INSERT INTO projects(fiscal_year, category_name, group_id, title, grant_yen, "
		 "created_at) VALUES (2022, '一般部門', 1, '採択された事業', 300000, 0)");
	n = review_history_of(fx->db, &fx->a, 1, 2025, 1, &h);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].title, "採択された事業");
	assert_true(h[0].adopted);
	assert_int_equal(h[0].grant_yen, 300000);
	/* Nothing of the same or later years. */
	assert_int_equal(review_history_of(fx->db, &fx->a, 1, 2022, 1, &h), 0);
}

static void test_second_stage_admits_only_the_passed(void **state)
{
	struct fixture *fx = *state;
	struct review_stage s = stage(fx, fx->stage2);
	struct review_entrant *e;
	size_t n;
	assert_int_equal(review_entrants(fx->db, &fx->a, &s, &e, &n), RC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].proposal_id, 1);
}

static void test_may_adopt_follows_the_stages(void **state)
{
	struct fixture *fx = *state;
	struct review_why why = NO_WHY;
	/* Failed the first stage. */
	assert_false(review_adoptable(fx->db, &fx->a, 2, &why));
	assert_string_equal(why.key, "review.why.not_passed");
	assert_string_equal(why.args[0], "1次審査（書類）");
	/* The same reason in words, for adoption (the transitional wrapper). */
	const char *text = NULL;
	assert_false(review_may_adopt(fx->db, &fx->a, 2, &text));
	assert_string_equal(text, "1次審査（書類）を通過していない提案は採択できません");
	/* Passed, but the last stage is still open. */
	assert_false(review_adoptable(fx->db, &fx->a, 1, &why));
	assert_string_equal(why.key, "review.why.not_closed");
	assert_non_null(strstr(review_why_text(&fx->a, &why), "締め切られていない"));
	/* Never submitted. */
	assert_false(review_adoptable(fx->db, &fx->a, 4, &why));
	assert_string_equal(review_why_text(&fx->a, &why), "提出されていない提案は採択できません");
	assert_int_equal(review_stage_close(fx->db, &fx->a, fx->stage2, 1, NOW, NULL), RC_OK);
	why = NO_WHY;
	assert_true(review_adoptable(fx->db, &fx->a, 1, &why));
	assert_null(why.key);
	/* A call without stages. */
	exec(fx, "INSERT INTO calls(id, program_id, fiscal_year, title, published, created_at, "
		 "updated_at) VALUES (2, 1, 2026, '令和8年度の募集', 1, 0, 0)");
	exec(fx, "INSERT INTO proposals(id, call_id, category_id, group_id, created_by, status, "
		 "receipt_seq, receipt_no, title, created_at, updated_at) VALUES "
		 "(6, 2, 1, 1, 5, 'submitted', 9, 'R8-一般-009', '提案F', 0, 0)");
	assert_false(review_adoptable(fx->db, &fx->a, 6, &why));
	assert_string_equal(why.key, "review.why.no_stages");
}

int main(void)
{
	/* The rules take their stored words (default names, audit summaries)
	 * from the catalogue; an unknown key fails the test. */
	char err[256];
	if (msg_init(err, sizeof err) != 0) {
		fprintf(stderr, "msg_init: %s\n", err);
		return 1;
	}
	msg_strict(true);
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(test_first_stage_admits_every_submitted_proposal),
	    cmocka_unit_test(test_passed_previous_admits_pass_only),
	    cmocka_unit_test(test_all_submitted_later_stage_ignores_the_previous_decision),
	    cmocka_unit_test(test_unsubmitted_proposal_never_enters),
	    cmocka_unit_test(test_phase_at_the_boundary_seconds),
	    cmocka_unit_test(test_score_stage_takes_the_rules_from_the_stage),
	};
	/* In order: each builds on the state the one before left. */
	const struct CMUnitTest with_db[] = {
	    cmocka_unit_test(test_setup_makes_two_stages_with_the_six_criteria),
	    cmocka_unit_test(test_first_stage_entrants_are_the_submitted_proposals),
	    cmocka_unit_test(test_group_member_is_recused_automatically),
	    cmocka_unit_test(test_score_outside_the_scale_is_refused),
	    cmocka_unit_test(test_submit_needs_every_score_a_draft_does_not),
	    cmocka_unit_test(test_settings_and_criteria_lock_once_scoring_started),
	    cmocka_unit_test(test_scores_count_only_when_submitted_and_ranking_follows),
	    cmocka_unit_test(test_no_score_after_the_window_or_the_close),
	    cmocka_unit_test(test_deciding_with_missing_sheets_needs_a_reason),
	    cmocka_unit_test(test_admin_correction_after_close_needs_a_reason),
	    cmocka_unit_test(test_chosen_assignment_is_per_category),
	    cmocka_unit_test(test_history_prefers_projects_then_earlier_proposals),
	    cmocka_unit_test(test_second_stage_admits_only_the_passed),
	    cmocka_unit_test(test_may_adopt_follows_the_stages),
	};
	int failed = cmocka_run_group_tests_name("review rules", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("review on a database", with_db, setup, teardown);
	return failed;
}
