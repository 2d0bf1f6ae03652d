/*
 * 審査 (screening) pages: what the reviewers' workspace and the office's
 * pages share (screening_internal.h) — formatting a stage, the prologue
 * of every handler, refusals, and the score sheet form.
 *
 * Who sees what:
 * - a reviewer sees the stages assigned to them, the proposals of their
 *   queue read-only and their own score sheets, never anyone else's
 *   (screening_review.c);
 * - the office (admin) does everything else; coordinators may look at the
 *   office's pages but change nothing (screening_setup.c,
 *   screening_office.c);
 * - applicants see the presentation slots of their own proposals, and
 *   everyone sees a schedule the office has made public.  No page an
 *   applicant can reach names a reviewer.
 *
 * Pages with several forms give each form its own field names (stage_name,
 * criterion_name, correction_reason ...) so that control ids never repeat,
 * and show one edit form at a time (?edit=, ?correct=).
 *
 * The rules are in review_*.c; these files turn requests into calls to
 * them and results into pages.  Every word comes from the catalogue
 * (messages/ja.screening.msg).
 */
#include "challenge/screening_internal.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

int64_t scr_now(void)
{
	return (int64_t)time(NULL);
}

/* ---- formatting ---- */

const char *scr_when(struct arena *a, int64_t t)
{
	return t ? page_datetime(a, t) : NULL;
}

const char *scr_fy_label(struct arena *a, int64_t fy)
{
	struct buf b = BUF_INIT;
	jp_fiscal_year_label(&b, (int)fy);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

const char *scr_dt_value(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", j.y, j.m, j.d, j.hh, j.mi);
}

const char *scr_num(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

const char *scr_label(const char *const *keys, const char *const *labels, const char *key)
{
	const char *k = review_label(keys, labels, key);
	return k ? msg(k) : key ? key : "";
}

const char *scr_title(const char *title)
{
	return title && *title ? title : msg("screening.untitled");
}

const char *scr_why(struct req *r, enum rc rc, const struct review_why *why)
{
	const char *text = review_why_text(&r->arena, why);
	return text ? text : msg(review_rc_key(rc));
}

void scr_choice_field(struct req *r, struct tv *fields, const char *name, const char *const *keys,
		      const char *const *labels, const char *chosen)
{
	struct tv *field = tv_get(fields, name);
	if (!field)
		return;
	struct tv *list = tv_list(&r->arena);
	for (size_t i = 0; keys[i]; i++) {
		struct tv *o = tv_obj(&r->arena);
		tv_set_str(o, "value", keys[i]);
		tv_set_str(o, "label", msg(labels[i]));
		tv_set_bool(o, "selected", chosen && strcmp(chosen, keys[i]) == 0);
		tv_push(list, o);
	}
	tv_set(field, "options", list);
	tv_set_bool(field, "select", true);
}

void scr_hint(struct req *r, struct tv *fields, const char *name, const char *text)
{
	page_field_set(fields, name, "hint", tv_str(&r->arena, text));
}

static const char *phase_badge(enum review_phase ph)
{
	switch (ph) {
	case REVIEW_PHASE_OPEN:
		return "badge--success";
	case REVIEW_PHASE_ENDED:
		return "badge--warning";
	case REVIEW_PHASE_CLOSED:
		return "badge--primary";
	default:
		return "";
	}
}

struct tv *scr_stage_tv(struct req *r, const struct review_stage *s, int64_t now)
{
	struct arena *a = &r->arena;
	struct tv *o = tv_obj(a);
	enum review_phase ph = review_stage_phase(s, now);
	tv_set_int(o, "id", s->id);
	tv_set_int(o, "call_id", s->call_id);
	tv_set_int(o, "position", s->position);
	tv_set_str(o, "name", s->name);
	tv_set_str(o, "call_title", s->call_title);
	tv_set_str(o, "fy_label", scr_fy_label(a, s->fiscal_year));
	tv_set_str(o, "kind_label", scr_label(review_kind_keys, review_kind_labels, s->kind));
	tv_set_bool(o, "is_presentation", strcmp(s->kind, "presentation") == 0);
	tv_set_str(o, "entry_label", scr_label(review_entry_keys, review_entry_labels, s->entry));
	tv_set_str(o, "aggregation_label",
		   scr_label(review_aggregation_keys, review_aggregation_labels, s->aggregation));
	tv_set_str(o, "fill_label",
		   scr_label(review_fill_keys, review_fill_labels, s->recusal_fill));
	tv_set_str(o, "assignment_label",
		   scr_label(review_assignment_keys, review_assignment_labels, s->assignment));
	tv_set_int(o, "scale_min", s->scale_min);
	tv_set_int(o, "scale_max", s->scale_max);
	tv_set_int(o, "pass_threshold", s->pass_threshold);
	tv_set_str(o, "opens", scr_when(a, s->opens_at));
	tv_set_str(o, "closes", scr_when(a, s->closes_at));
	tv_set_str(o, "closed", scr_when(a, s->closed_at));
	tv_set_str(o, "phase_label", msg(review_phase_key(ph)));
	tv_set_str(o, "phase_badge", phase_badge(ph));
	tv_set_bool(o, "is_open", ph == REVIEW_PHASE_OPEN);
	tv_set_bool(o, "is_before", ph == REVIEW_PHASE_BEFORE);
	tv_set_bool(o, "is_closed", ph == REVIEW_PHASE_CLOSED);
	tv_set_bool(o, "locked", s->nsheets > 0);
	tv_set_int(o, "nsheets", s->nsheets);
	tv_set_str(o, "nsheets_label", msgf(a, "screening.stage.nsheets", scr_num(a, s->nsheets)));
	tv_set_str(
	    o, "scale_label",
	    msgf(a, "screening.stage.scale", scr_num(a, s->scale_min), scr_num(a, s->scale_max)));
	tv_set_str(o, "threshold_label",
		   msgf(a, "screening.points", scr_num(a, s->pass_threshold)));
	if (s->closed_at) {
		const char *closed = scr_when(a, s->closed_at);
		tv_set_str(o, "closed_label", msgf(a, "screening.stage.closed_done", closed));
		tv_set_str(o, "closed_short", msgf(a, "screening.stage.closed_on", closed));
	}
	tv_set_bool(o, "presentations_public", s->presentations_public);
	return o;
}

static const char *decision_badge(const char *d)
{
	if (strcmp(d, "pass") == 0)
		return "badge--success";
	if (strcmp(d, "fail") == 0)
		return "badge--error";
	if (strcmp(d, "retry") == 0)
		return "badge--warning";
	return "";
}

void scr_decision_tv(struct tv *o, const struct review_entrant *e)
{
	if (!*e->decision)
		return;
	tv_set_str(o, "decision",
		   scr_label(review_decision_keys, review_decision_labels, e->decision));
	tv_set_str(o, "decision_badge", decision_badge(e->decision));
}

/* ---- the prologue of a handler ---- */

bool scr_open_stage(struct req *r, struct scr_stage *x, bool with_criteria)
{
	x->db = page_db(r);
	x->crit = NULL;
	x->ncrit = 0;
	if (!x->db)
		return false;
	int64_t id = req_param_id(r, 0);
	enum rc rc = id < 0 ? RC_NOT_FOUND : review_stage_get(x->db, &r->arena, id, &x->s);
	if (rc == RC_OK && with_criteria)
		rc = review_criteria(x->db, &r->arena, x->s.id, &x->crit, &x->ncrit);
	if (rc == RC_NOT_FOUND) {
		web_error(r, 404, msg("screening.err.stage_not_found"));
		return false;
	}
	if (rc != RC_OK) {
		web_error(r, 503, msg(review_rc_key(RC_ERROR)));
		return false;
	}
	return true;
}

bool scr_open_proposal(struct req *r, struct scr_stage *x, int64_t *pid)
{
	return scr_open_stage(r, x, true) &&
	       scr_param(r, 1, "screening.err.proposal_not_found", pid);
}

bool scr_open_call(struct req *r, struct scr_call *x, bool published)
{
	x->db = page_db(r);
	if (!x->db || !scr_no_query(r))
		return false;
	int64_t id = req_param_id(r, 0);
	if (id < 0 || call_get(x->db, &r->arena, id, &x->c) != RC_OK ||
	    (published && !x->c.published)) {
		web_error(r, 404, msg("review.why.call_not_found"));
		return false;
	}
	if (review_stages(x->db, &r->arena, x->c.id, &x->stages, &x->n) != RC_OK) {
		scr_refuse(r, RC_ERROR, NULL);
		return false;
	}
	return true;
}

struct tv *scr_call_tv(struct req *r, const struct call *c)
{
	struct tv *co = tv_obj(&r->arena);
	tv_set_int(co, "id", c->id);
	tv_set_str(co, "title", c->title);
	tv_set_str(co, "fy_label", scr_fy_label(&r->arena, c->fiscal_year));
	return co;
}

bool scr_check_form(struct req *r, const struct field_spec *spec, size_t n, struct form *f)
{
	form_check(&r->arena, spec, n, r->form, r->nform, f);
	if (f->unknown || f->repeated) {
		web_error(r, 400, msg("screening.err.bad_fields"));
		return false;
	}
	return true;
}

bool scr_no_query(struct req *r)
{
	if (!r->nargs)
		return true;
	web_error(r, 400, msg("screening.err.bad_query"));
	return false;
}

bool scr_no_fields(struct req *r)
{
	if (!r->nform)
		return true;
	web_error(r, 400, msg("screening.err.bad_fields"));
	return false;
}

bool scr_param(struct req *r, size_t i, const char *key, int64_t *id)
{
	*id = req_param_id(r, (int)i);
	if (*id >= 0)
		return true;
	web_error(r, 404, msg(key));
	return false;
}

void scr_refuse(struct req *r, enum rc rc, const struct review_why *why)
{
	int status = rc_status(rc);
	/* A storage failure says so, whatever reason came with it. */
	web_error(r, status,
		  status >= 500 || status < 400 ? msg(review_rc_key(RC_ERROR))
						: scr_why(r, rc, why));
}

void scr_refuse_key(struct req *r, enum rc rc, const char *key)
{
	struct review_why w = {key, {NULL}};
	scr_refuse(r, rc, &w);
}

void scr_done(struct req *r, const char *flash, const char *url)
{
	page_flash(r, flash);
	resp_redirect(r, url);
}

/* ---- the score sheet form ---- */

static const char *const sheet_actions[] = {"draft", "submit", NULL};

struct field_spec *scr_sheet_spec(struct arena *a, const struct review_stage *s,
				  const struct review_criterion *c, size_t n, bool correction)
{
	struct field_spec *spec = arena_alloc(a, (n + 2) * sizeof(*spec));
	for (size_t i = 0; i < n; i++) {
		int64_t hi = c[i].max_score < s->scale_max ? c[i].max_score : s->scale_max;
		/* The criterion's name is data, shown as it is. */
		spec[i] = (struct field_spec){arena_printf(a, "score_%lld", (long long)c[i].id),
					      c[i].name,
					      F_INT,
					      correction,
					      10,
					      s->scale_min,
					      hi,
					      NULL};
	}
	spec[n] = (struct field_spec){
	    "comment", "screening.field.comment", F_TEXT, false, REVIEW_COMMENT_MAX, 0, 0, NULL};
	spec[n + 1] =
	    correction
		? (struct field_spec){"correction_reason",
				      "screening.field.correction_reason",
				      F_TEXT,
				      true,
				      REVIEW_REASON_MAX,
				      0,
				      0,
				      NULL}
		: (struct field_spec){
		      "action", "screening.field.action", F_CHOICE, true, 10, 0, 0, sheet_actions};
	return spec;
}

void scr_sheet_messages(struct arena *a, struct form *f, size_t n, bool complete)
{
	for (size_t i = 0; i < n; i++) {
		const struct field_spec *sp = &f->spec[i];
		struct field_value *v = &f->v[i];
		if (v->present && v->error)
			v->error = msgf(a, "review.why.score_range", sp->label, scr_num(a, sp->min),
					scr_num(a, sp->max_i));
		else if (!v->present && complete && !v->error)
			form_error(f, i, msgf(a, "review.why.score_missing", sp->label));
	}
}

void scr_sheet_input(struct arena *a, const struct form *f, size_t n, struct review_input *in)
{
	int64_t *scores = arena_alloc(a, (n + 1) * sizeof(*scores));
	bool *has = arena_alloc(a, (n + 1) * sizeof(*has));
	for (size_t i = 0; i < n; i++) {
		scores[i] = f->v[i].i;
		has[i] = f->v[i].present;
	}
	in->scores = scores;
	in->has = has;
	in->n = n;
	in->comment = form_s(f, n);
}

void scr_sheet_form(struct req *r, struct tv *sub, const struct review_stage *s,
		    const struct review_criterion *c, size_t n, const struct field_spec *spec,
		    const struct form *f, const struct review_sheet *sh, size_t nfields)
{
	struct arena *a = &r->arena;
	const char **defaults = arena_alloc(a, (n + 2) * sizeof(*defaults));
	if (sh) {
		for (size_t i = 0; i < n && i < sh->n; i++)
			if (sh->has_score[i])
				defaults[i] = scr_num(a, sh->scores[i]);
		defaults[n] = sh->comment;
	}
	struct tv *fields = page_form(r, sub, spec, nfields, f, defaults);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		const char *lo = scr_num(a, s->scale_min), *hi = scr_num(a, spec[i].max_i),
			   *w = scr_num(a, c[i].weight);
		scr_hint(r, fields, spec[i].name,
			 *c[i].description ? msgf(a, "screening.hint.score_described", lo, hi, w,
						  c[i].description)
					   : msgf(a, "screening.hint.score", lo, hi, w));
		tv_push(list, tv_get(fields, spec[i].name));
	}
	tv_set(sub, "score_fields", list);
	scr_hint(r, fields, "comment", msg("screening.hint.comment"));
}
