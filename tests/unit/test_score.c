/*
 * Unit tests for domain/score: the arithmetic of screening, on worked
 * examples done by hand in the comments.
 *
 * Unless a test says otherwise, the stage is
 *
 *     公益性      weight 2, max 5
 *     実現可能性  weight 1, max 5        scale 0–5
 *
 * so a sheet's maximum is M = 2·5 + 1·5 = 15 weighted points, and these
 * reviewers' sheets recur:
 *
 *     A  4, 3   p = 2·4 + 1·3 = 11   11/15 × 100 = 73.333… → 73.33
 *     B  3, 4   p = 2·3 + 1·4 = 10   10/15 × 100 = 66.666… → 66.67
 *     C  2, 4   p = 2·2 + 1·4 =  8    8/15 × 100 = 53.333… → 53.33
 *     F  5, 5   p = 15               15/15 × 100 = 100.00
 *     G  3, 3   p =  9                9/15 × 100 = 60.00
 *
 * Numbers are compared as the text score_format() prints ("73.33"), which
 * is what the ranking page and the exports show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "challenge/score.h"

static struct arena A;

static const struct score_criterion CRIT[] = {{5, 2}, {5, 1}};

static const int SA[] = {4, 3}, SB[] = {3, 4}, SC[] = {2, 4}, SF[] = {5, 5}, SG[] = {3, 3};

static int setup(void **state)
{
	(void)state;
	arena_init(&A);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&A);
	return 0;
}

static struct score_stage stage(enum score_rule rule, enum score_fill fill)
{
	return (struct score_stage){.criteria = CRIT,
				    .n_criteria = 2,
				    .scale_min = 0,
				    .scale_max = 5,
				    .rule = rule,
				    .fill = fill};
}

#define assert_2dp(v, text) assert_string_equal(score_format(&A, (v)), (text))

/* Aggregate, failing the test when score_compute refuses. */
static struct score_result compute(const struct score_stage *st, const struct score_sheet *sheets,
				   size_t n, const int64_t *recused, size_t k)
{
	struct score_input in = {sheets, n, recused, k};
	struct score_result r;
	const char *err = NULL;
	if (score_compute(st, &in, &r, &err) != 0)
		fail_msg("score_compute refused: %s", err);
	return r;
}

/* The message when score_compute refuses (fails the test when it accepts). */
static const char *compute_err(const struct score_stage *st, const struct score_sheet *sheets,
			       size_t n)
{
	struct score_input in = {sheets, n, NULL, 0};
	struct score_result r;
	const char *err = NULL;
	if (score_compute(st, &in, &r, &err) == 0)
		fail_msg("score_compute accepted");
	assert_non_null(err);
	return err;
}

static double sheet(const struct score_stage *st, const int *scores)
{
	double x = -1;
	const char *err = NULL;
	if (score_sheet_total(st, scores, &x, &err) != 0)
		fail_msg("score_sheet_total refused: %s", err);
	return x;
}

/* ---- one sheet: weights and scaling ---- */

/* A: (2·4 + 1·3) / (2·5 + 1·5) = 11/15 → 73.33. */
static void test_sheet_weighted_and_scaled(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	assert_2dp(sheet(&st, SA), "73.33");
}

/* The weight matters: B scores 3, 4 — 7 of 10 raw points (70 %) — but the
 * weighted (2·3 + 1·4) / 15 = 10/15 → 66.67, because the weak score is on
 * the criterion that counts double. */
static void test_sheet_weight_changes_result(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	assert_2dp(sheet(&st, SB), "66.67");
}

/* Every criterion at its maximum is 100.00; every one at 0 is 0.00. */
static void test_sheet_full_marks_is_100(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	static const int zero[] = {0, 0};
	assert_2dp(sheet(&st, SF), "100.00");
	assert_2dp(sheet(&st, zero), "0.00");
}

/* A criterion whose maximum is below the scale's: 独自性 w1 max 3 on a 0–5
 * scale.  Scores 5 (公益性 w2 max 5) and 3 give (10 + 3) / (10 + 3) = 100,
 * i.e. the criterion is scaled by its own maximum, not the scale's. */
static void test_sheet_scaled_by_criterion_max(void **state)
{
	(void)state;
	static const struct score_criterion crit[] = {{5, 2}, {3, 1}};
	static const int s[] = {5, 3}, t[] = {4, 1};
	struct score_stage st = {crit, 2, 0, 5, SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE};
	assert_2dp(sheet(&st, s), "100.00");
	/* (2·4 + 1) / 13 = 9/13 = 69.230… → 69.23 */
	assert_2dp(sheet(&st, t), "69.23");
}

/* ---- one proposal: mean versus sum ---- */

/* Mean rule, A and B: points = (11 + 10) / 2 = 10.50 of 15; total =
 * 21 / (2·15) × 100 = 70.00 (the mean of 73.33… and 66.66…). */
static void test_mean_rule(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SB}};
	struct score_result r = compute(&st, s, 2, NULL, 0);
	assert_true(r.scored);
	assert_int_equal(r.n_sheets, 2);
	assert_2dp(r.points, "10.50");
	assert_2dp(r.points_max, "15.00");
	assert_2dp(r.total, "70.00");
}

/* Sum rule, A and B: points = 11 + 10 = 21 of 2·15 = 30; total = 21/30 ×
 * 100 = 70.00. */
static void test_sum_rule(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_SUM, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SB}};
	struct score_result r = compute(&st, s, 2, NULL, 0);
	assert_2dp(r.points, "21.00");
	assert_2dp(r.points_max, "30.00");
	assert_2dp(r.total, "70.00");
}

/* Scaled to 100, the rules agree.  A, B, C: Σp = 11 + 10 + 8 = 29.
 *   mean: 29/3 = 9.666… → 9.67 of 15;   sum: 29 of 45;
 *   both: 29/45 × 100 = 64.444… → 64.44.
 * (Had the mean rule averaged the rounded 73.33, 66.67, 53.33 it would
 * still be 64.44 here; the point is that both come from one fraction.) */
static void test_mean_and_sum_same_total(void **state)
{
	(void)state;
	struct score_stage mean = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_stage sum = stage(SCORE_RULE_SUM, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SB}, {3, SC}};
	struct score_result rm = compute(&mean, s, 3, NULL, 0);
	struct score_result rs = compute(&sum, s, 3, NULL, 0);
	assert_2dp(rm.points, "9.67");
	assert_2dp(rs.points, "29.00");
	assert_2dp(rs.points_max, "45.00");
	assert_2dp(rm.total, "64.44");
	assert_2dp(rs.total, "64.44");
}

/* ---- recusal ---- */

/* Three assigned reviewers, reviewer 3 recused, rule "exclude", sum: the
 * slot is left out of the sum but the panel is still three.  n_slots = 3;
 * points 11 + 10 = 21 of 3·15 = 45; total 21/45 × 100 = 46.67 — the
 * proposal loses what the recused reviewer would have given. */
static void test_recusal_excluded(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_SUM, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SB}};
	int64_t recused[] = {3};
	struct score_result r = compute(&st, s, 2, recused, 1);
	assert_int_equal(r.n_sheets, 2);
	assert_int_equal(r.n_recused, 1);
	assert_int_equal(r.n_slots, 3);
	assert_2dp(r.points, "21.00");
	assert_2dp(r.points_max, "45.00");
	assert_2dp(r.total, "46.67");
	/* The reviewers' own spread is unchanged: mean of 73.33 and 66.67. */
	assert_2dp(r.mean, "70.00");
}

/* Under the mean rule, leaving the slot out gives the mean of the others:
 * (11 + 10) / 2 = 10.5 of 15 → 70.00. */
static void test_recusal_excluded_mean_rule(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SB}};
	int64_t recused[] = {3};
	struct score_result r = compute(&st, s, 2, recused, 1);
	assert_int_equal(r.n_slots, 2);
	assert_2dp(r.points, "10.50");
	assert_2dp(r.total, "70.00");
}

/* The same with rule "mean": reviewer 3's slot is filled with the others'
 * mean (11 + 10) / 2 = 10.5.  n_slots = 3; points 11 + 10 + 10.5 = 31.50 of
 * 3·15 = 45; total 31.5/45 × 100 = 70.00 — the proposal is not penalised
 * for the missing reviewer, and the spread ignores the filled slot. */
static void test_recusal_mean_filled(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_SUM, SCORE_FILL_MEAN);
	struct score_sheet s[] = {{1, SA}, {2, SB}};
	int64_t recused[] = {3};
	struct score_result r = compute(&st, s, 2, recused, 1);
	assert_int_equal(r.n_sheets, 2);
	assert_int_equal(r.n_slots, 3);
	assert_2dp(r.points, "31.50");
	assert_2dp(r.points_max, "45.00");
	assert_2dp(r.total, "70.00");
	/* x = 73.33…, 66.66…: mean 70, each 3.33… away → stdev 3.33 */
	assert_2dp(r.stdev, "3.33");
}

/* A mean-filled slot under the mean rule changes nothing: A, B with one
 * recused → points (11 + 10 + 10.5) / 3 = 10.50 of 15. */
static void test_recusal_mean_filled_mean_rule(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_MEAN);
	struct score_sheet s[] = {{1, SA}, {2, SB}};
	int64_t recused[] = {3};
	struct score_result r = compute(&st, s, 2, recused, 1);
	assert_int_equal(r.n_slots, 3);
	assert_2dp(r.points, "10.50");
	assert_2dp(r.total, "70.00");
}

/* Reviewer 3 submitted C and declared a conflict afterwards: C is not
 * counted.  Without the recusal: 29/45 → 64.44; with it: 21/30 → 70.00. */
static void test_recused_reviewers_sheet_not_counted(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SB}, {3, SC}};
	int64_t recused[] = {3};
	struct score_result r = compute(&st, s, 3, recused, 1);
	assert_int_equal(r.n_sheets, 2);
	assert_2dp(r.total, "70.00");
}

/* The same reviewer listed twice as recused adds one slot, not two:
 * points 31.50 of 45 as in test_recusal_mean_filled. */
static void test_recusal_listed_twice_counts_once(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_SUM, SCORE_FILL_MEAN);
	struct score_sheet s[] = {{1, SA}, {2, SB}};
	int64_t recused[] = {3, 3};
	struct score_result r = compute(&st, s, 2, recused, 2);
	assert_int_equal(r.n_recused, 1);
	assert_int_equal(r.n_slots, 3);
	assert_2dp(r.points, "31.50");
}

/* ---- spread ---- */

/* F and G: x = 100 and 60, mean 80, each 20 away → population stdev
 * sqrt((20² + 20²) / 2) = 20.00 (the sample stdev would be 28.28). */
static void test_stdev_two_reviewers(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SF}, {2, SG}};
	struct score_result r = compute(&st, s, 2, NULL, 0);
	assert_2dp(r.mean, "80.00");
	assert_2dp(r.stdev, "20.00");
}

/* A, F, C: x = 73.33…, 100, 53.33…; Σp = 34, Σp² = 121 + 225 + 64 = 410.
 * stdev = 100 / (n·M) × sqrt(n·Σp² − (Σp)²) = 100/45 × sqrt(1230 − 1156)
 *       = 2.222… × sqrt(74) = 2.222… × 8.6023… = 19.116… → 19.12.
 * min 53.33, max 100.00, mean 34/45 = 75.555… → 75.56. */
static void test_stdev_min_max_three_reviewers(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SF}, {3, SC}};
	struct score_result r = compute(&st, s, 3, NULL, 0);
	assert_2dp(r.stdev, "19.12");
	assert_2dp(r.min, "53.33");
	assert_2dp(r.max, "100.00");
	assert_2dp(r.mean, "75.56");
}

/* One reviewer: no spread. */
static void test_stdev_single_sheet_is_zero(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}};
	struct score_result r = compute(&st, s, 1, NULL, 0);
	assert_2dp(r.stdev, "0.00");
	assert_2dp(r.min, "73.33");
	assert_2dp(r.max, "73.33");
}

/* Criterion means are raw, on the criterion's scale.  A, B, C:
 * 公益性 (4 + 3 + 2) / 3 = 3.00; 実現可能性 (3 + 4 + 4) / 3 = 3.666… → 3.67. */
static void test_criterion_means(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SB}, {3, SC}};
	struct score_result r = compute(&st, s, 3, NULL, 0);
	assert_int_equal(r.n_criteria, 2);
	assert_2dp(r.criterion_mean[0], "3.00");
	assert_2dp(r.criterion_mean[1], "3.67");
}

/* Halves round up from the exact fraction.  One criterion, w1 max 100 on a
 * 0–100 scale; 199 reviewers give 1 and one gives 2: Σ = 201 over 200.
 *   total = 201 / (200·100) × 100 = 1.005 → 1.01
 *   criterion mean = 201/200 = 1.005 → 1.01
 * (In binary 1.005 is 1.00499999…, so rounding the double would say 1.00.) */
static void test_rounding_half_up_exactly(void **state)
{
	(void)state;
	static const struct score_criterion crit[] = {{100, 1}};
	static const int one[] = {1}, two[] = {2};
	struct score_stage st = {crit, 1, 0, 100, SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE};
	struct score_sheet s[200];
	for (int i = 0; i < 200; i++)
		s[i] = (struct score_sheet){i + 1, i == 199 ? two : one};
	struct score_result r = compute(&st, s, 200, NULL, 0);
	assert_2dp(r.total, "1.01");
	assert_2dp(r.criterion_mean[0], "1.01");
}

/* ---- disagreement ---- */

/* F and B: x = 100 and 66.67; range 33.33 (< 40) but stdev 16.67 ≥ 15:
 * flagged at the default threshold, not at a threshold of 20. */
static void test_disagreement_by_stdev(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SF}, {2, SB}};
	struct score_result r = compute(&st, s, 2, NULL, 0);
	assert_2dp(r.stdev, "16.67");
	assert_true(score_disagree(&r, SCORE_DISAGREE_STDEV));
	assert_false(score_disagree(&r, 20.0));
}

/* Five reviewers give F (100) and one gives G (60): Σp = 84, Σp² = 1206,
 * stdev = 100/90 × sqrt(6·1206 − 84²) = 1.111… × sqrt(180) = 14.907… →
 * 14.91 (< 15), but max − min = 100 − 60 = 40 ≥ 40: flagged. */
static void test_disagreement_by_range(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SF}, {2, SF}, {3, SF}, {4, SF}, {5, SF}, {6, SG}};
	struct score_result r = compute(&st, s, 6, NULL, 0);
	assert_2dp(r.stdev, "14.91");
	assert_true(score_disagree(&r, SCORE_DISAGREE_STDEV));
}

/* A and B: stdev 3.33, range 6.67: no flag. */
static void test_no_disagreement_when_close(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, SB}};
	struct score_result r = compute(&st, s, 2, NULL, 0);
	assert_false(score_disagree(&r, SCORE_DISAGREE_STDEV));
}

/* ---- ranking ---- */

/* Proposals 10 (A, B: 70.00), 11 (F, C: 15 + 8 = 23 → 23/30 = 76.67),
 * 12 (F, G: 24/30 = 80.00) and 13 (A, A: 73.33) rank 12, 11, 13, 10. */
static void test_rank_sorted_by_total(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet p10[] = {{1, SA}, {2, SB}}, p11[] = {{1, SF}, {2, SC}},
			   p12[] = {{1, SF}, {2, SG}}, p13[] = {{1, SA}, {2, SA}};
	struct score_rank rows[] = {{.proposal_id = 10, .result = compute(&st, p10, 2, NULL, 0)},
				    {.proposal_id = 11, .result = compute(&st, p11, 2, NULL, 0)},
				    {.proposal_id = 12, .result = compute(&st, p12, 2, NULL, 0)},
				    {.proposal_id = 13, .result = compute(&st, p13, 2, NULL, 0)}};
	score_rank(rows, 4, SCORE_DISAGREE_STDEV);
	assert_int_equal(rows[0].proposal_id, 12);
	assert_int_equal(rows[1].proposal_id, 11);
	assert_int_equal(rows[2].proposal_id, 13);
	assert_int_equal(rows[3].proposal_id, 10);
	assert_int_equal(rows[3].rank, 4);
	assert_false(rows[0].tie);
	/* 12 is F, G: range exactly 40 → flagged; 13 (A, A) is not. */
	assert_true(rows[0].disagreement);
	assert_false(rows[2].disagreement);
}

/* Different sheets, equal totals: 20 (A, B: 21/30) and 21 (F and 2, 2:
 * 15 + 6 = 21 → 21/30) are both 70.00; 22 (A, A) is 73.33.  The two at
 * 70.00 share rank 2, both marked tied, the lower proposal id first; the
 * next rank would be 4. */
static void test_rank_ties_share_rank(void **state)
{
	(void)state;
	static const int s22[] = {2, 2};
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet p20[] = {{1, SA}, {2, SB}}, p21[] = {{1, SF}, {2, s22}},
			   p22[] = {{1, SA}, {2, SA}};
	struct score_rank rows[] = {{.proposal_id = 21, .result = compute(&st, p21, 2, NULL, 0)},
				    {.proposal_id = 20, .result = compute(&st, p20, 2, NULL, 0)},
				    {.proposal_id = 22, .result = compute(&st, p22, 2, NULL, 0)}};
	score_rank(rows, 3, SCORE_DISAGREE_STDEV);
	assert_int_equal(rows[0].proposal_id, 22);
	assert_int_equal(rows[0].rank, 1);
	assert_false(rows[0].tie);
	assert_int_equal(rows[1].proposal_id, 20);
	assert_int_equal(rows[2].proposal_id, 21);
	assert_int_equal(rows[1].rank, 2);
	assert_int_equal(rows[2].rank, 2);
	assert_true(rows[1].tie);
	assert_true(rows[2].tie);
}

/* Totals 0.01 apart are not tied (results set by hand: the ranking reads
 * only scored and total). */
static void test_rank_one_hundredth_apart_not_tied(void **state)
{
	(void)state;
	struct score_rank rows[] = {{.proposal_id = 1, .result = {.scored = true, .total = 69.99}},
				    {.proposal_id = 2, .result = {.scored = true, .total = 70.00}}};
	score_rank(rows, 2, SCORE_DISAGREE_STDEV);
	assert_int_equal(rows[0].proposal_id, 2);
	assert_int_equal(rows[0].rank, 1);
	assert_int_equal(rows[1].rank, 2);
	assert_false(rows[0].tie);
	assert_false(rows[1].tie);
}

/* ---- zero sheets ---- */

/* No sheet: no total, 未採点, and not an error. */
static void test_zero_sheets_unscored(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_SUM, SCORE_FILL_MEAN);
	struct score_result r = compute(&st, NULL, 0, NULL, 0);
	assert_false(r.scored);
	assert_int_equal(r.n_sheets, 0);
	assert_2dp(r.total, "0.00");
	assert_null(score_total_text(&A, &r)); /* the pages say 未採点 */
	assert_false(score_disagree(&r, SCORE_DISAGREE_STDEV));
}

/* Every assigned reviewer recused, mean fill: nothing to fill from, so the
 * proposal is 未採点 too (not 0 points). */
static void test_all_recused_unscored(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_SUM, SCORE_FILL_MEAN);
	int64_t recused[] = {1, 2};
	struct score_result r = compute(&st, NULL, 0, recused, 2);
	assert_false(r.scored);
	assert_int_equal(r.n_recused, 2);
	assert_null(score_total_text(&A, &r)); /* the pages say 未採点 */
}

/* Unscored proposals go last, unranked and never tied with each other,
 * even below a scored 0.00. */
static void test_rank_unscored_last(void **state)
{
	(void)state;
	static const int zero[] = {0, 0};
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet p2[] = {{1, zero}};
	struct score_rank rows[] = {{.proposal_id = 1, .result = compute(&st, NULL, 0, NULL, 0)},
				    {.proposal_id = 3, .result = compute(&st, NULL, 0, NULL, 0)},
				    {.proposal_id = 2, .result = compute(&st, p2, 1, NULL, 0)}};
	score_rank(rows, 3, SCORE_DISAGREE_STDEV);
	assert_int_equal(rows[0].proposal_id, 2);
	assert_int_equal(rows[0].rank, 1);
	assert_string_equal(score_total_text(&A, &rows[0].result), "0.00");
	assert_int_equal(rows[1].proposal_id, 1);
	assert_int_equal(rows[2].proposal_id, 3);
	assert_int_equal(rows[1].rank, 0);
	assert_int_equal(rows[2].rank, 0);
	assert_false(rows[1].tie);
	assert_false(rows[2].tie);
}

/* ---- bad input ---- */

/* 6 on a criterion whose maximum is 5 is refused. */
static void test_score_above_max_refused(void **state)
{
	(void)state;
	static const int bad[] = {6, 3};
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {2, bad}};
	assert_string_equal(compute_err(&st, s, 2), "score.why.score_range");
}

/* On a 1–5 scale, 0 is refused. */
static void test_score_below_scale_refused(void **state)
{
	(void)state;
	static const int bad[] = {0, 3};
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	st.scale_min = 1;
	struct score_sheet s[] = {{1, bad}};
	assert_string_equal(compute_err(&st, s, 1), "score.why.score_range");
}

/* Two sheets from one reviewer are a caller's bug, not a second vote. */
static void test_duplicate_reviewer_refused(void **state)
{
	(void)state;
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	struct score_sheet s[] = {{1, SA}, {1, SB}};
	assert_string_equal(compute_err(&st, s, 2), "score.why.duplicate_sheet");
}

/* Stage settings: a weight of 0, a maximum above the scale, no criteria. */
static void test_stage_check(void **state)
{
	(void)state;
	const char *err = NULL;
	struct score_criterion w0[] = {{5, 0}}, big[] = {{6, 1}};
	struct score_stage st = stage(SCORE_RULE_MEAN, SCORE_FILL_EXCLUDE);
	assert_int_equal(score_stage_check(&st, &err), 0);
	st.criteria = w0;
	st.n_criteria = 1;
	assert_int_equal(score_stage_check(&st, &err), -1);
	assert_string_equal(err, "score.why.weight");
	st.criteria = big;
	assert_int_equal(score_stage_check(&st, &err), -1);
	assert_string_equal(err, "score.why.max_score");
	st.n_criteria = 0;
	assert_int_equal(score_stage_check(&st, &err), -1);
	assert_string_equal(err, "score.why.no_criteria");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sheet_weighted_and_scaled),
	    cmocka_unit_test(test_sheet_weight_changes_result),
	    cmocka_unit_test(test_sheet_full_marks_is_100),
	    cmocka_unit_test(test_sheet_scaled_by_criterion_max),
	    cmocka_unit_test(test_mean_rule),
	    cmocka_unit_test(test_sum_rule),
	    cmocka_unit_test(test_mean_and_sum_same_total),
	    cmocka_unit_test(test_recusal_excluded),
	    cmocka_unit_test(test_recusal_excluded_mean_rule),
	    cmocka_unit_test(test_recusal_mean_filled),
	    cmocka_unit_test(test_recusal_mean_filled_mean_rule),
	    cmocka_unit_test(test_recused_reviewers_sheet_not_counted),
	    cmocka_unit_test(test_recusal_listed_twice_counts_once),
	    cmocka_unit_test(test_stdev_two_reviewers),
	    cmocka_unit_test(test_stdev_min_max_three_reviewers),
	    cmocka_unit_test(test_stdev_single_sheet_is_zero),
	    cmocka_unit_test(test_criterion_means),
	    cmocka_unit_test(test_rounding_half_up_exactly),
	    cmocka_unit_test(test_disagreement_by_stdev),
	    cmocka_unit_test(test_disagreement_by_range),
	    cmocka_unit_test(test_no_disagreement_when_close),
	    cmocka_unit_test(test_rank_sorted_by_total),
	    cmocka_unit_test(test_rank_ties_share_rank),
	    cmocka_unit_test(test_rank_one_hundredth_apart_not_tied),
	    cmocka_unit_test(test_zero_sheets_unscored),
	    cmocka_unit_test(test_all_recused_unscored),
	    cmocka_unit_test(test_rank_unscored_last),
	    cmocka_unit_test(test_score_above_max_refused),
	    cmocka_unit_test(test_score_below_scale_refused),
	    cmocka_unit_test(test_duplicate_reviewer_refused),
	    cmocka_unit_test(test_stage_check),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
