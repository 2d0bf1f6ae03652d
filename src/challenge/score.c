/*
 * score: see score.h for the definitions and the rounding rule.
 *
 * Every quantity that score.h calls exact is kept as an integer fraction
 * (int64) and divided once, into hundredths, by rhu(); only the standard
 * deviation needs a square root and so a double.  The limits in score.h
 * keep every product far below 2^63 (see the bound above score_compute), so
 * no product here can overflow.
 */
#include "challenge/score.h"

#include <math.h>
#include <stdlib.h>

/* num / den rounded to the nearest integer, halves up; num >= 0, den > 0. */
static int64_t rhu(int64_t num, int64_t den)
{
	return (2 * num + den) / (2 * den);
}

static double hundredths(int64_t h)
{
	return (double)h / 100.0;
}

/* The total as whole hundredths, so that equal means equal. */
static int64_t total_cents(const struct score_result *r)
{
	return llround(r->total * 100.0);
}

int score_stage_check(const struct score_stage *st, const char **err)
{
	if (st->n_criteria == 0 || st->criteria == NULL) {
		*err = "score.why.no_criteria";
		return -1;
	}
	if (st->n_criteria > SCORE_MAX_CRITERIA) {
		*err = "score.why.too_many_criteria";
		return -1;
	}
	if (st->scale_min < 0 || st->scale_min >= st->scale_max ||
	    st->scale_max > SCORE_MAX_SCALE) {
		*err = "score.why.scale";
		return -1;
	}
	for (size_t i = 0; i < st->n_criteria; i++) {
		const struct score_criterion *c = &st->criteria[i];
		if (c->max_score <= st->scale_min || c->max_score > st->scale_max) {
			*err = "score.why.max_score";
			return -1;
		}
		if (c->weight < 1 || c->weight > SCORE_MAX_WEIGHT) {
			*err = "score.why.weight";
			return -1;
		}
	}
	if (st->rule != SCORE_RULE_MEAN && st->rule != SCORE_RULE_SUM) {
		*err = "score.why.rule";
		return -1;
	}
	if (st->fill != SCORE_FILL_EXCLUDE && st->fill != SCORE_FILL_MEAN) {
		*err = "score.why.fill";
		return -1;
	}
	return 0;
}

/* M = Σ w·m for a checked stage. */
static int64_t max_points(const struct score_stage *st)
{
	int64_t m = 0;
	for (size_t i = 0; i < st->n_criteria; i++)
		m += (int64_t)st->criteria[i].weight * st->criteria[i].max_score;
	return m;
}

/* p = Σ w·s into *p, or -1 with *err when a score is out of range. */
static int sheet_points(const struct score_stage *st, const int *scores, int64_t *p,
			const char **err)
{
	int64_t sum = 0;
	for (size_t i = 0; i < st->n_criteria; i++) {
		if (scores[i] < st->scale_min || scores[i] > st->criteria[i].max_score) {
			*err = "score.why.score_range";
			return -1;
		}
		sum += (int64_t)st->criteria[i].weight * scores[i];
	}
	*p = sum;
	return 0;
}

int score_sheet_total(const struct score_stage *st, const int *scores, double *out,
		      const char **err)
{
	int64_t p;
	if (score_stage_check(st, err) != 0 || sheet_points(st, scores, &p, err) != 0)
		return -1;
	*out = hundredths(rhu(10000 * p, max_points(st)));
	return 0;
}

static bool is_recused(const struct score_input *in, int64_t reviewer_id)
{
	for (size_t i = 0; i < in->n_recused; i++)
		if (in->recused[i] == reviewer_id)
			return true;
	return false;
}

/* Distinct reviewers in in->recused (a list repeated by mistake must not
 * add slots). */
static size_t count_recused(const struct score_input *in)
{
	size_t k = 0;
	for (size_t i = 0; i < in->n_recused; i++) {
		size_t j = 0;
		while (j < i && in->recused[j] != in->recused[i])
			j++;
		if (j == i)
			k++;
	}
	return k;
}

/*
 * Bounds: M ≤ 20 criteria × 100 × 1000 = 2·10^6, so Σp ≤ 256 × M ≈ 5.1·10^8,
 * 10000·Σp ≈ 5.1·10^12, n·Σp² ≤ 256² × M² ≈ 2.6·10^17 and
 * 100·Σp·(n + k) ≈ 2.6·10^13: all far below 2^63.
 */
int score_compute(const struct score_stage *st, const struct score_input *in,
		  struct score_result *out, const char **err)
{
	int64_t sum_p = 0, sum_p2 = 0, min_p = 0, max_p = 0;
	int64_t sum_c[SCORE_MAX_CRITERIA] = {0};
	size_t n = 0, k;

	*out = (struct score_result){0};
	if (score_stage_check(st, err) != 0)
		return -1;
	if (in->n_sheets > SCORE_MAX_SHEETS || in->n_recused > SCORE_MAX_SHEETS) {
		*err = "score.why.too_many_sheets";
		return -1;
	}
	for (size_t i = 0; i < in->n_sheets; i++) {
		const struct score_sheet *s = &in->sheets[i];
		int64_t p;
		for (size_t j = 0; j < i; j++)
			if (in->sheets[j].reviewer_id == s->reviewer_id) {
				*err = "score.why.duplicate_sheet";
				return -1;
			}
		if (sheet_points(st, s->scores, &p, err) != 0)
			return -1;
		if (is_recused(in, s->reviewer_id))
			continue;
		if (n == 0 || p < min_p)
			min_p = p;
		if (n == 0 || p > max_p)
			max_p = p;
		sum_p += p;
		sum_p2 += p * p;
		for (size_t c = 0; c < st->n_criteria; c++)
			sum_c[c] += s->scores[c];
		n++;
	}

	k = count_recused(in);
	out->n_sheets = n;
	out->n_recused = k;
	/* Under the sum rule the panel is every assigned reviewer, recused or
	 * not: a left-out slot counts as nothing, which is why the mean fill
	 * exists.  Under the mean rule a left-out slot and a slot filled with
	 * the mean give the same mean. */
	bool sum = st->rule == SCORE_RULE_SUM;
	out->n_slots = sum || st->fill == SCORE_FILL_MEAN ? n + k : n;
	out->n_criteria = st->n_criteria;
	if (n == 0)
		return 0;

	int64_t m = max_points(st), nn = (int64_t)n, slots = (int64_t)out->n_slots;
	bool penalised = sum && st->fill == SCORE_FILL_EXCLUDE && k > 0;
	out->scored = true;
	out->total = penalised ? hundredths(rhu(10000 * sum_p, slots * m))
			       : hundredths(rhu(10000 * sum_p, nn * m));
	out->mean = hundredths(rhu(10000 * sum_p, nn * m));
	out->min = hundredths(rhu(10000 * min_p, m));
	out->max = hundredths(rhu(10000 * max_p, m));
	/* Population variance of x_i = 100·p_i/M is (100/(n·M))² (nΣp² − (Σp)²);
	 * the bracket is exact and ≥ 0 (Cauchy–Schwarz). */
	double spread = sqrt((double)(nn * sum_p2 - sum_p * sum_p));
	out->stdev = round(100.0 * spread / (double)(nn * m) * 100.0) / 100.0;
	if (!sum) {
		out->points = hundredths(rhu(100 * sum_p, nn));
		out->points_max = (double)m;
	} else if (penalised) {
		out->points = hundredths(100 * sum_p);
		out->points_max = (double)(slots * m);
	} else {
		/* Σp + k·Σp/n = Σp·slots/n. */
		out->points = hundredths(rhu(100 * sum_p * slots, nn));
		out->points_max = (double)(slots * m);
	}
	for (size_t c = 0; c < st->n_criteria; c++)
		out->criterion_mean[c] = hundredths(rhu(100 * sum_c[c], nn));
	return 0;
}

bool score_disagree(const struct score_result *r, double stdev_threshold)
{
	if (!r->scored)
		return false;
	/* Compare in hundredths: the numbers are rounded already, and 55.00 −
	 * 15.00 must count as 40. */
	return llround(r->stdev * 100.0) >= llround(stdev_threshold * 100.0) ||
	       llround(r->max * 100.0) - llround(r->min * 100.0) >=
		   llround(SCORE_DISAGREE_RANGE * 100.0);
}

static int rank_cmp(const void *pa, const void *pb)
{
	const struct score_rank *a = pa, *b = pb;
	if (a->result.scored != b->result.scored)
		return a->result.scored ? -1 : 1;
	if (a->result.scored) {
		int64_t ta = total_cents(&a->result), tb = total_cents(&b->result);
		if (ta != tb)
			return ta > tb ? -1 : 1;
	}
	if (a->proposal_id != b->proposal_id)
		return a->proposal_id < b->proposal_id ? -1 : 1;
	return 0;
}

void score_rank(struct score_rank *rows, size_t n, double stdev_threshold)
{
	if (n == 0)
		return;
	qsort(rows, n, sizeof *rows, rank_cmp);
	for (size_t i = 0; i < n; i++) {
		struct score_rank *r = &rows[i];
		r->rank = 0;
		r->tie = false;
		r->disagreement = score_disagree(&r->result, stdev_threshold);
		if (!r->result.scored)
			continue;
		int64_t t = total_cents(&r->result);
		if (i > 0 && rows[i - 1].result.scored && total_cents(&rows[i - 1].result) == t) {
			r->rank = rows[i - 1].rank;
			r->tie = true;
			rows[i - 1].tie = true;
		} else {
			r->rank = (int)i + 1;
		}
	}
}

const char *score_format(struct arena *a, double v)
{
	return arena_printf(a, "%.2f", v);
}

const char *score_total_text(struct arena *a, const struct score_result *r)
{
	return r->scored ? score_format(a, r->total) : NULL;
}
