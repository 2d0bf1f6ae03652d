/*
 * 審査 (screening): the office once sheets come in — a stage's completion
 * and ranking (/admin/screening/stages/{id}), closing it, one proposal in
 * a stage with its sheets, the decision and an admin's corrections, and
 * the presentation schedule: the office's editor and the page applicants
 * and the public read (/challenge/calls/{id}/presentations).  See
 * screening_common.c for who sees what.
 */
#include "challenge/call.h"
#include "challenge/handlers.h"
#include "challenge/screening_internal.h"
#include "core/who.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>

/* ---- completion and ranking ---- */

static struct tv *reviewer_rows(struct arena *a, const struct review_dashboard *d)
{
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < d->nreviewers; i++) {
		const struct review_reviewer_progress *p = &d->reviewers[i];
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", p->name);
		tv_set_int(o, "expected", (int64_t)p->expected);
		tv_set_int(o, "submitted", (int64_t)p->submitted);
		tv_set_int(o, "drafts", (int64_t)p->drafts);
		tv_set_int(o, "recused", (int64_t)p->recused);
		tv_set_bool(o, "complete", p->submitted == p->expected);
		tv_push(list, o);
	}
	return list;
}

/* The office's page of proposal_id in stage s. */
static const char *proposal_url(struct arena *a, const struct review_stage *s, int64_t proposal_id)
{
	return arena_printf(a, "/admin/screening/stages/%lld/proposals/%lld", (long long)s->id,
			    (long long)proposal_id);
}

/* 「3/4 提出済み」: sheets submitted of those expected. */
static const char *submitted_text(struct arena *a, size_t submitted, size_t expected)
{
	return msgf(a, "screening.progress.submitted", scr_num(a, (int64_t)submitted),
		    scr_num(a, (int64_t)expected));
}

static struct tv *proposal_rows(struct req *r, const struct review_stage *s,
				const struct review_dashboard *d)
{
	struct arena *a = &r->arena;
	struct tv *list = tv_list(a);
	for (size_t j = 0; j < d->nproposals; j++) {
		const struct review_proposal_progress *p = &d->proposals[j];
		struct tv *o = tv_obj(a);
		tv_set_str(o, "receipt_no", p->e.receipt_no);
		tv_set_str(o, "title", scr_title(p->e.title));
		tv_set_str(o, "group_name", p->e.group_name);
		tv_set_str(o, "category", p->e.category_name);
		tv_set_int(o, "expected", (int64_t)p->expected);
		tv_set_int(o, "submitted", (int64_t)p->submitted);
		tv_set_int(o, "recused", (int64_t)p->recused);
		tv_set_bool(o, "complete", p->submitted == p->expected);
		tv_set_str(o, "url", proposal_url(a, s, p->e.proposal_id));
		scr_decision_tv(o, &p->e);
		tv_push(list, o);
	}
	return list;
}

/* The criteria's names, for a table's heads. */
static struct tv *criteria_heads(struct arena *a, const struct review_criterion *crit, size_t n)
{
	struct tv *heads = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", crit[i].name);
		tv_set_str(o, "mean_heading", msgf(a, "screening.ranking.mean_of", crit[i].name));
		tv_push(heads, o);
	}
	return heads;
}

/* One row of a category's ranking. */
static struct tv *ranked_tv(struct arena *a, const struct review_stage *s, size_t ncrit,
			    const struct review_ranked *x)
{
	const struct score_result *res = &x->r.result;
	struct tv *o = tv_obj(a);
	if (x->r.rank)
		tv_set_int(o, "rank", x->r.rank);
	tv_set_str(o, "receipt_no", x->p->e.receipt_no);
	tv_set_str(o, "title", scr_title(x->p->e.title));
	tv_set_str(o, "group_name", x->p->e.group_name);
	const char *total = score_total_text(a, res);
	tv_set_str(o, "total", total ? total : msg("score.unscored"));
	tv_set_bool(o, "scored", res->scored);
	tv_set_str(o, "mean", score_format(a, res->mean));
	tv_set_str(o, "min", score_format(a, res->min));
	tv_set_str(o, "max", score_format(a, res->max));
	tv_set_str(o, "stdev", score_format(a, res->stdev));
	tv_set_str(o, "points",
		   arena_printf(a, "%s / %s", score_format(a, res->points),
				score_format(a, res->points_max)));
	struct tv *means = tv_list(a);
	for (size_t i = 0; i < ncrit && i < res->n_criteria; i++) {
		struct tv *m = tv_obj(a);
		tv_set_str(m, "value", score_format(a, res->criterion_mean[i]));
		tv_push(means, m);
	}
	tv_set(o, "means", means);
	tv_set_bool(o, "tie", x->r.tie);
	tv_set_bool(o, "disagreement", x->r.disagreement);
	tv_set_bool(o, "passes", x->passes);
	tv_set_str(o, "sheets", arena_printf(a, "%zu/%zu", x->p->submitted, x->p->expected));
	tv_set_bool(o, "incomplete", x->p->submitted < x->p->expected);
	tv_set_str(o, "url", proposal_url(a, s, x->p->e.proposal_id));
	scr_decision_tv(o, &x->p->e);
	return o;
}

/* The ranking of a closed stage into ctx; false (503 sent) on failure. */
static bool ranking_tv(struct req *r, struct tv *ctx, const struct scr_stage *x,
		       const struct review_dashboard *d)
{
	struct arena *a = &r->arena;
	struct review_category_ranking *cats;
	size_t ncat;
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_ranking(x->db, a, &x->s, x->crit, x->ncrit, d, &cats, &ncat, &why);
	if (rc == RC_INVALID) {
		tv_set_str(ctx, "ranking_error", scr_why(r, rc, &why));
	} else if (rc != RC_OK) {
		scr_refuse(r, RC_ERROR, NULL);
		return false;
	}
	tv_set(ctx, "criteria", criteria_heads(a, x->crit, x->ncrit));
	struct tv *list = tv_list(a);
	for (size_t c = 0; rc == RC_OK && c < ncat; c++) {
		struct tv *co = tv_obj(a);
		tv_set_str(co, "name", cats[c].name);
		tv_set_str(co, "anchor",
			   arena_printf(a, "rank-%lld", (long long)cats[c].category_id));
		struct tv *rows = tv_list(a);
		for (size_t k = 0; k < cats[c].n; k++)
			tv_push(rows, ranked_tv(a, &x->s, x->ncrit, &cats[c].rows[k]));
		tv_set(co, "rows", rows);
		tv_push(list, co);
	}
	tv_set(ctx, "ranking", list);
	tv_set_bool(ctx, "has_ranking", tv_len(list) > 0);
	return true;
}

void h_screening_stage(struct req *r)
{
	struct scr_stage x;
	if (!scr_open_stage(r, &x, true) || !scr_no_query(r))
		return;
	struct arena *a = &r->arena;
	int64_t now = scr_now();
	struct review_dashboard d;
	if (review_dashboard(x.db, a, &x.s, now, &d) != RC_OK) {
		scr_refuse(r, RC_ERROR, NULL);
		return;
	}
	struct tv *ctx = page_ctx(r, msgf(a, "screening.title.stage", x.s.name), NAV_NONE);
	struct tv *so = scr_stage_tv(r, &x.s, now);
	tv_set_str(
	    so, "rules_label",
	    msgf(a, "screening.stage.rules",
		 scr_label(review_aggregation_keys, review_aggregation_labels, x.s.aggregation),
		 scr_label(review_fill_keys, review_fill_labels, x.s.recusal_fill),
		 scr_num(a, x.s.pass_threshold)));
	tv_set_str(so, "close_label", msgf(a, "screening.stage.close", x.s.name));
	tv_set(ctx, "stage", so);
	tv_set(ctx, "reviewer_rows", reviewer_rows(a, &d));
	tv_set_bool(ctx, "has_reviewer_rows", d.nreviewers > 0);
	tv_set(ctx, "proposal_rows", proposal_rows(r, &x.s, &d));
	tv_set_bool(ctx, "has_proposal_rows", d.nproposals > 0);
	const char *completion = submitted_text(a, d.submitted, d.expected);
	tv_set_str(ctx, "completion", completion);
	tv_set_str(ctx, "incomplete_notice", msgf(a, "screening.stage.incomplete", completion));
	tv_set_bool(ctx, "can_close", who_is_admin(r->user) && !x.s.closed_at);
	tv_set_bool(ctx, "incomplete", d.submitted < d.expected);
	/* The ranking, once the stage is closed. */
	if (x.s.closed_at && !ranking_tv(r, ctx, &x, &d))
		return;
	page_render(r, 200, "screening/stage", ctx);
}

void h_screening_close(struct req *r)
{
	struct scr_stage x;
	if (!scr_open_stage(r, &x, false) || !scr_no_fields(r))
		return;
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_stage_close(x.db, &r->arena, x.s.id, r->user->id, scr_now(), &why);
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	scr_done(r, "saved",
		 arena_printf(&r->arena, "/admin/screening/stages/%lld", (long long)x.s.id));
}

/* ---- one proposal in a stage (sheets, decision, corrections) ---- */

enum { DF_DECISION, DF_REASON, DF__MAX };
static const struct field_spec decision_fields[DF__MAX] = {
    [DF_DECISION] = {"decision", "screening.field.decision", F_CHOICE, true, 10, 0, 0,
		     review_decision_keys},
    [DF_REASON] = {"reason", "screening.field.decision_reason", F_TEXT, false, REVIEW_REASON_MAX, 0,
		   0, NULL},
};

enum { OPQ_CORRECT, OPQ__MAX };
static const struct field_spec office_proposal_query[OPQ__MAX] = {
    [OPQ_CORRECT] = {"correct", "screening.field.correct", F_ID, false, 20, 0, 0, NULL},
};

/* The sheets of a proposal: statuses while the stage is open; scores,
 * totals and comments once closed, with a correction link for an admin. */
static struct tv *sheets_tv(struct req *r, const struct scr_stage *x, int64_t proposal_id,
			    const struct review_sheet *sheets, size_t nsheets, bool may_correct)
{
	struct arena *a = &r->arena;
	const struct review_stage *s = &x->s;
	size_t ncrit = x->ncrit;
	struct score_stage ss;
	bool stage_ok = review_score_stage(a, s, x->crit, ncrit, &ss, NULL) == RC_OK;
	struct tv *list = tv_list(a);
	for (size_t k = 0; k < nsheets; k++) {
		const struct review_sheet *sh = &sheets[k];
		struct tv *o = tv_obj(a);
		tv_set_str(o, "reviewer", sh->reviewer_name);
		bool submitted = strcmp(sh->status, "submitted") == 0;
		tv_set_str(o, "status",
			   msg(submitted ? "screening.sheet.submitted" : "screening.sheet.draft"));
		tv_set_str(o, "badge", submitted ? "badge--success" : "badge--warning");
		tv_set_bool(
		    o, "recused",
		    review_recusal(x->db, a, s->id, proposal_id, sh->reviewer_id, NULL, NULL));
		if (!s->closed_at) {
			tv_push(list, o);
			continue;
		}
		struct tv *cells = tv_list(a);
		int *ints = arena_alloc(a, (ncrit + 1) * sizeof(int));
		bool complete = true;
		for (size_t i = 0; i < ncrit; i++) {
			struct tv *c = tv_obj(a);
			tv_set_str(c, "value",
				   sh->has_score[i] ? scr_num(a, sh->scores[i])
						    : msg("screening.sheet.no_score_cell"));
			tv_push(cells, c);
			complete &= sh->has_score[i];
			ints[i] = sh->has_score[i] ? (int)sh->scores[i] : 0;
		}
		tv_set(o, "cells", cells);
		double total;
		const char *err;
		if (complete && stage_ok && score_sheet_total(&ss, ints, &total, &err) == 0)
			tv_set_str(o, "total", score_format(a, total));
		tv_set_str(o, "comment", sh->comment);
		if (may_correct)
			tv_set_str(o, "correct_url",
				   arena_printf(a, "%s?correct=%lld#correction",
						proposal_url(a, s, proposal_id),
						(long long)sh->id));
		tv_push(list, o);
	}
	return list;
}

/* The decision form of proposal pp for an admin (decision_f: a refused one). */
static struct tv *decision_form(struct req *r, const struct review_stage *s,
				const struct review_proposal_progress *pp,
				const struct form *decision_f)
{
	struct arena *a = &r->arena;
	struct tv *sub = tv_obj(a);
	const char *dd[DF__MAX] = {*pp->e.decision ? pp->e.decision : NULL,
				   *pp->e.decision_reason ? pp->e.decision_reason : NULL};
	struct tv *fields = page_form(r, sub, decision_fields, DF__MAX, decision_f, dd);
	scr_choice_field(r, fields, "decision", review_decision_keys, review_decision_labels,
			 decision_f ? form_s(decision_f, DF_DECISION) : pp->e.decision);
	if (pp->submitted < pp->expected)
		scr_hint(r, fields, "reason",
			 msgf(a, "screening.hint.missing_sheets",
			      scr_num(a, (int64_t)pp->submitted),
			      scr_num(a, (int64_t)pp->expected)));
	tv_set_str(sub, "action",
		   arena_printf(a, "%s/decision", proposal_url(a, s, pp->e.proposal_id)));
	return sub;
}

/*
 * The office's page for one proposal in stage x: completion by reviewer
 * (names and statuses only while the stage is open), the sheets with
 * scores and comments once closed, the decision form, and one correction
 * form (sheet correct_id) for an admin after close.  decision_f and
 * correct_f carry refused forms; why is the words of a refusal.
 */
static void office_proposal_page(struct req *r, const struct scr_stage *x, int status,
				 int64_t proposal_id, const struct form *decision_f,
				 int64_t correct_id, const struct form *correct_f, const char *why)
{
	struct arena *a = &r->arena;
	const struct review_stage *s = &x->s;
	int64_t now = scr_now();
	struct review_dashboard d;
	struct review_sheet *sheets;
	size_t nsheets = 0;
	if (review_dashboard(x->db, a, s, now, &d) != RC_OK) {
		scr_refuse(r, RC_ERROR, NULL);
		return;
	}
	const struct review_proposal_progress *pp = NULL;
	for (size_t j = 0; j < d.nproposals; j++)
		if (d.proposals[j].e.proposal_id == proposal_id)
			pp = &d.proposals[j];
	if (!pp) {
		scr_refuse_key(r, RC_NOT_FOUND, "review.why.not_in_stage");
		return;
	}
	if (review_sheets_of(x->db, a, s, x->crit, x->ncrit, proposal_id, &sheets, &nsheets) !=
	    RC_OK) {
		scr_refuse(r, RC_ERROR, NULL);
		return;
	}
	struct tv *ctx =
	    page_ctx(r, msgf(a, "screening.title.proposal", pp->e.title, s->name), NAV_NONE);
	struct tv *so = scr_stage_tv(r, s, now);
	tv_set_str(so, "back_label", msgf(a, "screening.proposal.back", s->name));
	tv_set(ctx, "stage", so);
	struct tv *po = tv_obj(a);
	tv_set_int(po, "id", proposal_id);
	tv_set_str(po, "receipt_no", pp->e.receipt_no);
	tv_set_str(po, "title", scr_title(pp->e.title));
	tv_set_str(po, "group_name", pp->e.group_name);
	tv_set_str(po, "category", pp->e.category_name);
	tv_set_str(po, "progress", submitted_text(a, pp->submitted, pp->expected));
	tv_set_int(po, "recused", (int64_t)pp->recused);
	tv_set_str(po, "recused_label",
		   msgf(a, "screening.proposal.recused", scr_num(a, (int64_t)pp->recused)));
	scr_decision_tv(po, &pp->e);
	if (*pp->e.decision_reason)
		tv_set_str(po, "decision_reason", pp->e.decision_reason);
	tv_set(ctx, "p", po);
	if (why)
		tv_set_str(ctx, "form_message", why);

	enum review_phase ph = review_stage_phase(s, now);
	bool admin = who_is_admin(r->user);
	bool may_correct = admin && (ph == REVIEW_PHASE_ENDED || ph == REVIEW_PHASE_CLOSED);
	tv_set(ctx, "criteria", criteria_heads(a, x->crit, x->ncrit));
	tv_set(ctx, "sheets", sheets_tv(r, x, proposal_id, sheets, nsheets, may_correct));
	tv_set_bool(ctx, "has_sheets", nsheets > 0);
	tv_set_bool(ctx, "show_scores", s->closed_at != 0);
	if (admin && s->closed_at)
		tv_set(ctx, "decision_form", decision_form(r, s, pp, decision_f));
	const struct review_sheet *correcting = NULL;
	for (size_t k = 0; k < nsheets; k++)
		if (sheets[k].id == correct_id)
			correcting = &sheets[k];
	if (may_correct && correcting) {
		struct tv *sub = tv_obj(a);
		struct field_spec *spec = scr_sheet_spec(a, s, x->crit, x->ncrit, true);
		scr_sheet_form(r, sub, s, x->crit, x->ncrit, spec, correct_f, correcting,
			       x->ncrit + 2);
		tv_set_str(sub, "reviewer", correcting->reviewer_name);
		tv_set_str(sub, "heading",
			   msgf(a, "screening.correction.heading", correcting->reviewer_name));
		tv_set_str(
		    sub, "action",
		    arena_printf(a, "/admin/screening/sheets/%lld", (long long)correcting->id));
		tv_set(ctx, "correction", sub);
	}
	page_render(r, status, "screening/proposal", ctx);
}

void h_screening_proposal(struct req *r)
{
	struct scr_stage x;
	struct form q;
	int64_t pid;
	if (!scr_open_stage(r, &x, true) ||
	    !page_query(r, office_proposal_query, OPQ__MAX, &q, "screening.err.bad_query") ||
	    !scr_param(r, 1, "screening.err.proposal_not_found", &pid))
		return;
	office_proposal_page(r, &x, 200, pid, NULL, q.v[OPQ_CORRECT].i, NULL, NULL);
}

void h_screening_decide(struct req *r)
{
	struct scr_stage x;
	int64_t pid;
	struct form f;
	if (!scr_open_proposal(r, &x, &pid) || !scr_check_form(r, decision_fields, DF__MAX, &f))
		return;
	if (!x.s.closed_at) {
		scr_refuse_key(r, RC_STATE, "review.why.close_first");
		return;
	}
	struct review_why why = {NULL, {NULL}};
	enum rc rc = RC_INVALID;
	if (!f.nerrors)
		rc = review_decide(x.db, &r->arena, &x.s, pid, form_s(&f, DF_DECISION),
				   form_s(&f, DF_REASON), r->user->id, scr_now(), &why);
	if (rc == RC_INVALID) {
		if (why.key)
			form_error(&f, DF_REASON, review_why_text(&r->arena, &why));
		office_proposal_page(r, &x, 422, pid, &f, 0, NULL, NULL);
		return;
	}
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	scr_done(r, "saved",
		 arena_printf(&r->arena, "/admin/screening/stages/%lld", (long long)x.s.id));
}

void h_screening_correct(struct req *r)
{
	struct scr_stage x = {.db = page_db(r)};
	if (!x.db)
		return;
	struct arena *a = &r->arena;
	int64_t sheet_id = req_param_id(r, 0);
	struct review_sheet sh;
	/* The sheet names its stage; its scores are read with the criteria. */
	if (sheet_id < 0 || review_sheet_by_id(x.db, a, sheet_id, NULL, 0, &sh) != RC_OK ||
	    review_stage_get(x.db, a, sh.stage_id, &x.s) != RC_OK ||
	    review_criteria(x.db, a, x.s.id, &x.crit, &x.ncrit) != RC_OK) {
		web_error(r, 404, msg("screening.err.sheet_not_found"));
		return;
	}
	struct field_spec *spec = scr_sheet_spec(a, &x.s, x.crit, x.ncrit, true);
	struct form f;
	if (!scr_check_form(r, spec, x.ncrit + 2, &f))
		return;
	scr_sheet_messages(a, &f, x.ncrit, true);
	enum review_phase ph = review_stage_phase(&x.s, scr_now());
	if (ph != REVIEW_PHASE_ENDED && ph != REVIEW_PHASE_CLOSED) {
		scr_refuse_key(r, RC_STATE, "review.why.correction_in_window");
		return;
	}
	struct review_why why = {NULL, {NULL}};
	enum rc rc = RC_INVALID;
	if (!f.nerrors) {
		struct review_input in;
		scr_sheet_input(a, &f, x.ncrit, &in);
		rc = review_sheet_correct(x.db, a, &x.s, x.crit, x.ncrit, sheet_id, &in,
					  form_s(&f, x.ncrit + 1), r->user->id, scr_now(), &why);
	}
	if (rc == RC_INVALID) {
		office_proposal_page(r, &x, 422, sh.proposal_id, NULL, sheet_id, &f,
				     review_why_text(a, &why));
		return;
	}
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	scr_done(r, "saved", proposal_url(a, &x.s, sh.proposal_id));
}

/* ---- presentations ---- */

enum { PF_PROPOSAL, PF__MAX };
static const struct field_spec presentation_proposal_field[PF__MAX] = {
    [PF_PROPOSAL] = {"proposal", "screening.field.proposal", F_ID, true, 20, 0, 0, NULL},
};

/* What every schedule shows of a slot. */
static struct tv *slot_tv(struct arena *a, const struct review_presentation *p)
{
	struct tv *o = tv_obj(a);
	tv_set_int(o, "position", p->position);
	tv_set_str(o, "starts", scr_when(a, p->starts_at));
	tv_set_int(o, "duration", p->duration_min);
	tv_set_str(o, "duration_label", msgf(a, "screening.minutes", scr_num(a, p->duration_min)));
	tv_set_str(o, "title", p->title);
	tv_set_str(o, "group_name", p->group_name);
	tv_set_str(o, "venue", p->venue);
	tv_set_str(o, "video_url", p->video_url);
	return o;
}

/* The slot form: the proposal select, then the slot's fields. */
#define SLOT_FIELDS (PF__MAX + RPF__MAX)
static void slot_spec(struct field_spec spec[SLOT_FIELDS])
{
	spec[0] = presentation_proposal_field[0];
	for (size_t i = 0; i < RPF__MAX; i++)
		spec[1 + i] = review_presentation_fields[i];
}

/* The slot form for an admin: defaults follow the last slot. */
static struct tv *slot_form(struct req *r, const struct review_stage *s,
			    const struct review_presentation *ps, size_t n,
			    const struct review_entrant *es, size_t ne, const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *sub = tv_obj(a);
	struct field_spec spec[SLOT_FIELDS];
	slot_spec(spec);
	const char *d[SLOT_FIELDS] = {0};
	d[1 + RPF_POSITION] = scr_num(a, (int64_t)n + 1);
	d[1 + RPF_STARTS_AT] =
	    scr_dt_value(a, n ? ps[n - 1].starts_at + 60 * ps[n - 1].duration_min : s->opens_at);
	d[1 + RPF_DURATION] = n ? scr_num(a, ps[n - 1].duration_min) : "15";
	d[1 + RPF_VENUE] = n ? ps[n - 1].venue : NULL;
	struct tv *fields = page_form(r, sub, spec, SLOT_FIELDS, f, d);
	struct tv *opts = tv_list(a);
	const char *chosen = f ? form_s(f, 0) : "";
	struct tv *blank = tv_obj(a);
	tv_set_str(blank, "value", "");
	tv_set_str(blank, "label", msg("web.select_prompt"));
	tv_push(opts, blank);
	for (size_t i = 0; i < ne; i++) {
		struct tv *o = tv_obj(a);
		const char *v = scr_num(a, es[i].proposal_id);
		tv_set_str(o, "value", v);
		tv_set_str(o, "label",
			   msgf(a, "screening.presentation.option", es[i].receipt_no, es[i].title,
				es[i].group_name));
		tv_set_bool(o, "selected", strcmp(chosen, v) == 0);
		tv_push(opts, o);
	}
	struct tv *field = tv_get(fields, "proposal");
	tv_set(field, "options", opts);
	tv_set_bool(field, "select", true);
	scr_hint(r, fields, "proposal", msg("screening.hint.proposal"));
	scr_hint(r, fields, "venue", msg("screening.hint.venue"));
	return sub;
}

/* The office's schedule editor: every slot, and one form for a slot. */
static void presentations_page(struct req *r, const struct scr_stage *x, int status,
			       const struct form *f)
{
	struct arena *a = &r->arena;
	const struct review_stage *s = &x->s;
	struct review_presentation *ps;
	size_t n = 0;
	struct review_entrant *es;
	size_t ne = 0;
	if (review_presentations(x->db, a, s->id, &ps, &n) != RC_OK ||
	    review_entrants(x->db, a, s, &es, &ne) != RC_OK) {
		scr_refuse(r, RC_ERROR, NULL);
		return;
	}
	struct tv *ctx = page_ctx(r, msgf(a, "screening.title.presentations", s->name), NAV_NONE);
	struct tv *so = scr_stage_tv(r, s, scr_now());
	tv_set_str(so, "presentations_heading",
		   msgf(a, "screening.presentations.heading", s->name));
	tv_set(ctx, "stage", so);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = slot_tv(a, &ps[i]);
		tv_set_str(o, "receipt_no", ps[i].receipt_no);
		tv_set_str(o, "delete_url",
			   arena_printf(a, "/admin/screening/stages/%lld/presentations/%lld/delete",
					(long long)s->id, (long long)ps[i].proposal_id));
		tv_push(list, o);
	}
	tv_set(ctx, "slots", list);
	tv_set_bool(ctx, "has_slots", n > 0);
	tv_set_str(ctx, "public_url",
		   arena_printf(a, "/challenge/calls/%lld/presentations", (long long)s->call_id));
	if (who_is_admin(r->user)) {
		tv_set(ctx, "slot_form", slot_form(r, s, ps, n, es, ne, f));
		tv_set_bool(ctx, "can_edit", true);
	}
	page_render(r, status, "screening/presentations_admin", ctx);
}

/* scr_open_stage() for a stage of kind "presentation" (404 otherwise). */
static bool open_presentation_stage(struct req *r, struct scr_stage *x)
{
	if (!scr_open_stage(r, x, false))
		return false;
	if (strcmp(x->s.kind, "presentation") != 0) {
		web_error(r, 404, msg("screening.err.not_presentation"));
		return false;
	}
	return true;
}

static void after_presentations(struct req *r, const struct review_stage *s)
{
	scr_done(r, "saved",
		 arena_printf(&r->arena, "/admin/screening/stages/%lld/presentations",
			      (long long)s->id));
}

void h_screening_presentations(struct req *r)
{
	struct scr_stage x;
	if (!open_presentation_stage(r, &x) || !scr_no_query(r))
		return;
	presentations_page(r, &x, 200, NULL);
}

void h_screening_presentation_save(struct req *r)
{
	struct scr_stage x;
	struct field_spec spec[SLOT_FIELDS];
	slot_spec(spec);
	struct form f;
	if (!open_presentation_stage(r, &x) || !scr_check_form(r, spec, SLOT_FIELDS, &f))
		return;
	if (f.nerrors) {
		presentations_page(r, &x, 422, &f);
		return;
	}
	struct review_presentation p = {
	    .stage_id = x.s.id,
	    .proposal_id = f.v[0].i,
	    .position = f.v[1 + RPF_POSITION].i,
	    .starts_at = f.v[1 + RPF_STARTS_AT].i,
	    .duration_min = f.v[1 + RPF_DURATION].i,
	    .venue = form_s(&f, 1 + RPF_VENUE),
	    .video_url = form_s(&f, 1 + RPF_VIDEO_URL),
	};
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_presentation_save(x.db, &r->arena, &x.s, &p, r->user->id, &why);
	if (rc == RC_INVALID || rc == RC_NOT_FOUND) {
		form_error(&f, rc == RC_INVALID ? 1 + RPF_VENUE : 0, scr_why(r, rc, &why));
		presentations_page(r, &x, 422, &f);
		return;
	}
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	after_presentations(r, &x.s);
}

void h_screening_presentation_delete(struct req *r)
{
	struct scr_stage x;
	if (!open_presentation_stage(r, &x))
		return;
	int64_t pid = req_param_id(r, 1);
	if (!scr_no_fields(r))
		return;
	struct review_why why = {"review.why.presentation_not_found", {NULL}};
	enum rc rc =
	    pid < 0 ? RC_NOT_FOUND
		    : review_presentation_delete(x.db, &r->arena, x.s.id, pid, r->user->id, &why);
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	after_presentations(r, &x.s);
}

enum { PUB_ON, PUB__MAX };
static const struct field_spec public_fields[PUB__MAX] = {
    [PUB_ON] = {"public", "screening.field.public", F_BOOL, false, 5, 0, 0, NULL},
};

void h_screening_public(struct req *r)
{
	struct scr_stage x;
	struct form f;
	if (!open_presentation_stage(r, &x) || !scr_check_form(r, public_fields, PUB__MAX, &f))
		return;
	if (f.nerrors) {
		web_error(r, 400, msg("screening.err.bad_fields"));
		return;
	}
	enum rc rc = review_set_public(x.db, x.s.id, f.v[PUB_ON].i != 0, r->user->id);
	if (rc != RC_OK) {
		scr_refuse(r, rc, NULL);
		return;
	}
	after_presentations(r, &x.s);
}

/* The slots of a presentation stage r's user may see: everyone sees a
 * public schedule (and staff every one); before that applicants see their
 * own proposals' slots only. */
static struct tv *public_slots(struct req *r, struct db *db, const struct review_stage *s,
			       const struct review_presentation *ps, size_t np)
{
	struct arena *a = &r->arena;
	bool everyone = s->presentations_public || who_is_staff(r->user);
	struct tv *rows = tv_list(a);
	for (size_t k = 0; k < np; k++) {
		bool own =
		    !everyone && r->user && review_is_applicant(db, ps[k].proposal_id, r->user->id);
		if (!everyone && !own)
			continue;
		struct tv *o = slot_tv(a, &ps[k]);
		tv_set_str(o, "starts_iso", scr_dt_value(a, ps[k].starts_at));
		tv_set_str(o, "category", ps[k].category_name);
		tv_set_bool(o, "own", own);
		tv_push(rows, o);
	}
	return rows;
}

/*
 * GET /challenge/calls/{id}/presentations: the presentation schedule of a
 * published call.  Everyone sees a stage's schedule once the office makes
 * it public; before that, applicants see their own proposals' slots and
 * staff see everything.
 */
void h_presentations(struct req *r)
{
	struct scr_call x;
	if (!scr_open_call(r, &x, true))
		return;
	struct arena *a = &r->arena;
	struct tv *ctx =
	    page_ctx(r, msgf(a, "screening.title.presentations", x.c.title), NAV_CHALLENGE);
	tv_set(ctx, "call", scr_call_tv(r, &x.c));
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < x.n; i++) {
		if (strcmp(x.stages[i].kind, "presentation") != 0)
			continue;
		struct review_presentation *ps;
		size_t np;
		if (review_presentations(x.db, a, x.stages[i].id, &ps, &np) != RC_OK) {
			scr_refuse(r, RC_ERROR, NULL);
			return;
		}
		struct tv *rows = public_slots(r, x.db, &x.stages[i], ps, np);
		if (!tv_len(rows))
			continue;
		struct tv *so = tv_obj(a);
		tv_set_str(so, "name", x.stages[i].name);
		tv_set_int(so, "id", x.stages[i].id);
		tv_set_bool(so, "public", x.stages[i].presentations_public);
		tv_set(so, "rows", rows);
		tv_push(list, so);
	}
	tv_set(ctx, "stages", list);
	tv_set_bool(ctx, "has_stages", tv_len(list) > 0);
	page_render(r, 200, "screening/presentations", ctx);
}
