/*
 * score: the arithmetic of screening (審査の集計) — a proposal's score sheets
 * turned into one total on 100, its spread, and a ranking.  Pure: no
 * database, no HTTP; the screening module loads the sheets and calls this,
 * and tests/unit/test_score.c pins every rule with worked examples.
 *
 * Definitions.  For criteria c with integer weight w_c and maximum m_c, a
 * reviewer's sheet with scores s_c gives
 *
 *     weighted points   p   = Σ w_c·s_c
 *     maximum points    M   = Σ w_c·m_c
 *     scaled score      x   = p / M × 100           (0–100)
 *
 * (a scale starting at 1 still divides by M, so its floor is above 0).
 * For one proposal with n counted sheets and k recused reviewers:
 *
 *     mean rule: total = Σp / (n × M) × 100, the mean of the reviewers'
 *                scaled scores.  Leaving a recused slot out and filling it
 *                with the mean of the others give the same mean.
 *                points = p̄ = Σp / n out of M.
 *     sum rule:  the panel is every assigned reviewer, n_slots = n + k.
 *                "mean" fill: each recused slot gets the others' mean p̄,
 *                points = Σp + k·p̄ out of n_slots × M, so the total equals
 *                the mean rule's;
 *                "exclude": the slot is left out of the sum, points = Σp out
 *                of n_slots × M, so a proposal with a recused reviewer scores
 *                lower — which is why a stage summing scores usually fills.
 *     total    = points / points_max × 100
 *
 * Example: criteria 5 points at most each (M = 15 with weights 2 and 1),
 * reviewers A (4, 3) → p = 11 and B (3, 4) → p = 10, and one recused:
 * mean rule 10.5 of 15 = 70.00; sum + mean fill 31.5 of 45 = 70.00;
 * sum + exclude 21 of 45 = 46.67.
 *
 * The spread — mean, min, max and population standard deviation
 * sqrt(Σ(x_i − x̄)² / n) — is over the n reviewers' own scaled scores x_i;
 * a filled slot is not a reviewer and does not count.  criterion_mean[c] is
 * the mean raw score Σ s_c / n on that criterion's own scale (e.g. 3.50 of
 * 5).
 *
 * Rounding.  Every number in a result is rounded once, at the end, to 2
 * decimals: the nearest multiple of 0.01, halves up (nothing is negative).
 * total, mean, min, max, points and criterion_mean are computed from exact
 * integer fractions, so 70.005 rounds to 70.01 and never to 70.00 by
 * binary accident; stdev is the rounded square root of an exact integer.
 * Nothing is computed from already-rounded numbers.  Two totals are equal
 * (a tie) when they are equal after this rounding.
 *
 * Zero sheets: a proposal with no counted sheet has no total.  scored is
 * false, every number is 0, score_total_text() gives NULL (未採点), and a ranking
 * puts it after every scored proposal, unranked, never tied or flagged.
 */
#ifndef KYODO_SCORE_H
#define KYODO_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

/* Limits, checked by score_compute(); also what the stage editor allows. */
#define SCORE_MAX_CRITERIA 20
#define SCORE_MAX_WEIGHT   100	/* weights are 1..100 */
#define SCORE_MAX_SCALE	   1000 /* scale_max (and every max_score) at most this */
#define SCORE_MAX_SHEETS   256	/* sheets or recusals per proposal */

/* High disagreement: stdev ≥ the threshold passed (this by default), or
 * max − min ≥ SCORE_DISAGREE_RANGE, both in points on the 100 scale. */
#define SCORE_DISAGREE_STDEV 15.0
#define SCORE_DISAGREE_RANGE 40.0

enum score_rule { SCORE_RULE_MEAN, SCORE_RULE_SUM };	 /* review_stages.aggregation */
enum score_fill { SCORE_FILL_EXCLUDE, SCORE_FILL_MEAN }; /* review_stages.recusal_fill */

struct score_criterion {
	int max_score; /* 1..scale_max */
	int weight;    /* 1..SCORE_MAX_WEIGHT */
};

/* A stage's settings; criteria in the stage's order (the order of every
 * score array below). */
struct score_stage {
	const struct score_criterion *criteria;
	size_t n_criteria; /* 1..SCORE_MAX_CRITERIA */
	int scale_min;	   /* 0 <= scale_min < scale_max */
	int scale_max;
	enum score_rule rule;
	enum score_fill fill;
};

/* One reviewer's submitted sheet: scores[i] for criteria[i], each within
 * scale_min..criteria[i].max_score.  Pass submitted sheets only; drafts
 * are not counted. */
struct score_sheet {
	int64_t reviewer_id;
	const int *scores;
};

/* Everything about one proposal.  recused lists the assigned reviewers
 * recused from it; a sheet whose reviewer is in that list (a conflict
 * declared after submitting) is not counted. */
struct score_input {
	const struct score_sheet *sheets;
	size_t n_sheets;
	const int64_t *recused;
	size_t n_recused;
};

struct score_result {
	bool scored;	  /* false: no counted sheet (未採点); numbers are 0 */
	size_t n_sheets;  /* sheets counted (n) */
	size_t n_recused; /* recused reviewers (k) */
	size_t n_slots;	  /* n + k under mean fill, n under exclude */
	double total;	  /* 0–100 */
	double points;	  /* unscaled, under the stage's rule (see above) */
	double points_max;
	double mean, min, max, stdev; /* of the reviewers' scaled scores */
	size_t n_criteria;
	double criterion_mean[SCORE_MAX_CRITERIA]; /* raw, on each criterion's scale */
};

/*
 * Check a stage's settings against the limits above.  Returns 0, or -1
 * with *err the message key of what is wrong (score.why.*, e.g.
 * score.why.weight: 評価項目の重みは1〜100の整数で指定してください).
 */
int score_stage_check(const struct score_stage *st, const char **err);

/*
 * One sheet's scaled score x = Σ w·s / Σ w·m × 100, rounded to 2 decimals,
 * into *out — for a reviewer's own view and the exports (drafts too).
 * Returns 0, or -1 with *err when the stage or a score is out of range.
 */
int score_sheet_total(const struct score_stage *st, const int *scores, double *out,
		      const char **err);

/*
 * Aggregate one proposal's sheets under the stage's rules into *out (fully
 * overwritten).  Returns 0, or -1 with *err (a score.why.* key) when the
 * stage is out of range, a score is outside scale_min..max_score, or there
 * are more than SCORE_MAX_SHEETS sheets or recusals.  Zero sheets is not an
 * error: *out says scored = false.
 */
int score_compute(const struct score_stage *st, const struct score_input *in,
		  struct score_result *out, const char **err);

/*
 * High disagreement between reviewers: r->stdev ≥ stdev_threshold or
 * r->max − r->min ≥ SCORE_DISAGREE_RANGE.  Pass SCORE_DISAGREE_STDEV for
 * the default.  False for an unscored proposal.
 */
bool score_disagree(const struct score_result *r, double stdev_threshold);

/* One row of a ranking: the caller fills proposal_id and result; the rest
 * is filled by score_rank(). */
struct score_rank {
	int64_t proposal_id;
	struct score_result result;
	int rank;	   /* 1, 2, 2, 4 … (ties share a rank); 0 when unscored */
	bool tie;	   /* another scored row has the same total */
	bool disagreement; /* score_disagree(&result, threshold) */
};

/*
 * Rank the proposals of one category: sort rows[0..n) in place by total,
 * highest first, then by proposal_id (ascending) among equal totals; the
 * unscored come last.  Fills rank, tie and disagreement.
 */
void score_rank(struct score_rank *rows, size_t n, double stdev_threshold);

/* "73.33" for a scored result, in the arena; NULL when it is not scored
 * (the pages say 未採点: score.unscored). */
const char *score_total_text(struct arena *a, const struct score_result *r);

/* A number as the exports and pages print it: two decimals ("70.00"). */
const char *score_format(struct arena *a, double v);

#endif
