/*
 * 審査 (screening): the office's set-up of a call's stages — the list of
 * stages (/admin/calls/{id}/screening), the default set-up, adding and
 * removing stages, and one stage's settings page: the settings, the
 * scoring window, the criteria and the reviewers' assignment.  See
 * screening_common.c for who sees what.
 */
#include "challenge/call.h"
#include "challenge/handlers.h"
#include "challenge/screening_internal.h"
#include "core/who.h"
#include "util/msg.h"
#include "util/str.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>

/* ---- the stages of a call ---- */

void h_screening_call(struct req *r)
{
	struct scr_call x;
	if (!scr_open_call(r, &x, false))
		return;
	struct arena *a = &r->arena;
	int64_t now = scr_now();
	struct tv *ctx = page_ctx(r, msgf(a, "screening.title.call", x.c.title), NAV_NONE);
	tv_set(ctx, "call", scr_call_tv(r, &x.c));
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < x.n; i++)
		tv_push(list, scr_stage_tv(r, &x.stages[i], now));
	tv_set(ctx, "stages", list);
	tv_set_bool(ctx, "has_stages", x.n > 0);
	tv_set_bool(ctx, "can_edit", who_is_admin(r->user));
	tv_set_bool(ctx, "can_add", who_is_admin(r->user) && x.n > 0 && x.n < REVIEW_MAX_STAGES);
	page_render(r, 200, "screening/call", ctx);
}

void h_screening_setup(struct req *r)
{
	struct db *db = page_db(r);
	if (!db || !scr_no_fields(r))
		return;
	int64_t id = req_param_id(r, 0);
	struct review_why why = {"review.why.call_not_found", {NULL}};
	enum rc rc = id < 0
			 ? RC_NOT_FOUND
			 : review_setup_defaults(db, &r->arena, id, r->user->id, scr_now(), &why);
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	scr_done(r, "created",
		 arena_printf(&r->arena, "/admin/calls/%lld/screening", (long long)id));
}

void h_screening_stage_add(struct req *r)
{
	struct db *db = page_db(r);
	if (!db || !scr_no_fields(r))
		return;
	int64_t id = req_param_id(r, 0), sid = 0;
	struct review_why why = {"review.why.call_not_found", {NULL}};
	enum rc rc = id < 0
			 ? RC_NOT_FOUND
			 : review_stage_add(db, &r->arena, id, r->user->id, scr_now(), &sid, &why);
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	scr_done(r, "created",
		 arena_printf(&r->arena, "/admin/screening/stages/%lld/settings", (long long)sid));
}

void h_screening_stage_delete(struct req *r)
{
	struct scr_stage x;
	if (!scr_open_stage(r, &x, false) || !scr_no_fields(r))
		return;
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_stage_remove(x.db, &r->arena, x.s.id, r->user->id, &why);
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	scr_done(r, "saved",
		 arena_printf(&r->arena, "/admin/calls/%lld/screening", (long long)x.s.call_id));
}

/* ---- one stage's settings page ---- */

enum settings_form { SF_NONE, SF_SETTINGS, SF_WINDOW, SF_CRITERION, SF_ASSIGN };

enum { SQ_EDIT, SQ__MAX };
static const struct field_spec settings_query[SQ__MAX] = {
    [SQ_EDIT] = {"edit", "screening.field.edit", F_ID, false, 20, 0, 0, NULL},
};

/* The settings form, with s's values unless f is a refused one. */
static void settings_form(struct req *r, struct tv *ctx, const struct review_stage *s,
			  const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *sub = tv_obj(a);
	const char *d[RSF__MAX] = {0};
	d[RSF_NAME] = s->name;
	d[RSF_KIND] = s->kind;
	d[RSF_ENTRY] = s->entry;
	d[RSF_SCALE_MIN] = scr_num(a, s->scale_min);
	d[RSF_SCALE_MAX] = scr_num(a, s->scale_max);
	d[RSF_AGGREGATION] = s->aggregation;
	d[RSF_RECUSAL_FILL] = s->recusal_fill;
	d[RSF_PASS_THRESHOLD] = scr_num(a, s->pass_threshold);
	struct tv *fields = page_form(r, sub, review_stage_fields, RSF__MAX, f, d);
	static const struct {
		const char *name;
		const char *const *keys, *const *labels;
		size_t field;
	} choices[] = {
	    {"kind", review_kind_keys, review_kind_labels, RSF_KIND},
	    {"entry", review_entry_keys, review_entry_labels, RSF_ENTRY},
	    {"aggregation", review_aggregation_keys, review_aggregation_labels, RSF_AGGREGATION},
	    {"recusal_fill", review_fill_keys, review_fill_labels, RSF_RECUSAL_FILL},
	};
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		scr_choice_field(r, fields, choices[i].name, choices[i].keys, choices[i].labels,
				 f ? form_s(f, choices[i].field) : d[choices[i].field]);
	scr_hint(r, fields, "entry", msg("screening.hint.entry"));
	scr_hint(r, fields, "aggregation", msg("screening.hint.aggregation"));
	scr_hint(r, fields, "pass_threshold", msg("screening.hint.pass_threshold"));
	tv_set(ctx, "settings", sub);
}

/* The criteria, and the add form or the edit form of criterion edit_id. */
static void criteria_part(struct req *r, struct tv *ctx, const struct scr_stage *x, bool may_edit,
			  const struct form *f, int64_t edit_id)
{
	struct arena *a = &r->arena;
	const struct review_stage *s = &x->s;
	struct tv *list = tv_list(a);
	int64_t weight_total = 0;
	const struct review_criterion *editing = NULL;
	for (size_t i = 0; i < x->ncrit; i++) {
		const struct review_criterion *c = &x->crit[i];
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", c->id);
		tv_set_str(o, "name", c->name);
		tv_set_str(o, "description", c->description);
		tv_set_int(o, "max_score", c->max_score);
		tv_set_int(o, "weight", c->weight);
		tv_push(list, o);
		weight_total += c->weight * c->max_score;
		if (c->id == edit_id)
			editing = c;
	}
	tv_set(ctx, "criteria", list);
	tv_set_int(ctx, "points_max", weight_total);
	tv_set_str(ctx, "criteria_caption",
		   msgf(a, "screening.settings.criteria_caption", scr_num(a, weight_total)));
	tv_set_bool(ctx, "can_edit_criteria", may_edit);
	if (!may_edit)
		return;
	struct tv *sub = tv_obj(a);
	const char *d[RCF__MAX] = {0};
	if (editing) {
		d[RCF_NAME] = editing->name;
		d[RCF_DESCRIPTION] = editing->description;
		d[RCF_MAX_SCORE] = scr_num(a, editing->max_score);
		d[RCF_WEIGHT] = scr_num(a, editing->weight);
		tv_set_str(sub, "heading", msgf(a, "screening.criterion.edit", editing->name));
		tv_set_str(sub, "action",
			   arena_printf(a, "/admin/screening/stages/%lld/criteria/%lld",
					(long long)s->id, (long long)editing->id));
		tv_set_bool(sub, "editing", true);
	} else {
		d[RCF_MAX_SCORE] = scr_num(a, s->scale_max);
		d[RCF_WEIGHT] = "1";
		tv_set_str(sub, "heading", msg("screening.criterion.add"));
		tv_set_str(
		    sub, "action",
		    arena_printf(a, "/admin/screening/stages/%lld/criteria", (long long)s->id));
	}
	struct tv *fields = page_form(r, sub, review_criterion_fields, RCF__MAX, f, d);
	scr_hint(r, fields, "max_score",
		 msgf(a, "screening.hint.max_score", scr_num(a, s->scale_max)));
	scr_hint(r, fields, "weight", msg("screening.hint.weight"));
	tv_set(ctx, "criterion_form", sub);
}

/* The assignment table: a row per reviewer, a box per category (and one
 * for every category); chosen says whether "chosen" is selected. */
static void assignment_part(struct req *r, struct tv *ctx, const struct scr_stage *x, bool chosen)
{
	struct arena *a = &r->arena;
	struct review_reviewer *rv;
	size_t nrv = 0;
	struct review_assignee *as;
	size_t nas = 0;
	struct category *cats;
	size_t ncats = 0;
	review_reviewers(x->db, a, &rv, &nrv);
	review_assignees(x->db, a, x->s.id, &as, &nas);
	call_categories(x->db, a, x->s.call_id, &cats, &ncats);
	struct tv *cols = tv_list(a);
	for (size_t k = 0; k < ncats; k++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", cats[k].name);
		tv_push(cols, o);
	}
	tv_set(ctx, "categories", cols);
	struct tv *rows = tv_list(a);
	for (size_t i = 0; i < nrv; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", rv[i].name);
		tv_set_int(o, "user_id", rv[i].id);
		struct tv *boxes = tv_list(a);
		for (size_t k = 0; k <= ncats; k++) {
			int64_t cid = k == 0 ? 0 : cats[k - 1].id;
			bool on = false;
			for (size_t j = 0; j < nas; j++)
				on |= as[j].user_id == rv[i].id && as[j].category_id == cid;
			struct tv *b = tv_obj(a);
			tv_set_str(b, "value", scr_num(a, cid));
			tv_set_str(b, "label",
				   k == 0 ? msg("screening.all_categories") : cats[k - 1].name);
			tv_set_str(
			    b, "id",
			    arena_printf(a, "r%lld-c%lld", (long long)rv[i].id, (long long)cid));
			tv_set_bool(b, "checked", on);
			tv_push(boxes, b);
		}
		tv_set(o, "boxes", boxes);
		tv_push(rows, o);
	}
	tv_set(ctx, "reviewers", rows);
	tv_set_bool(ctx, "has_reviewers", nrv > 0);
	tv_set_bool(ctx, "chosen", chosen);
}

/*
 * The stage's settings page.  which names the form f belongs to (a refused
 * one, shown with its errors); edit_id picks the criterion whose edit form
 * is shown instead of the add form; why is the words of a refusal (of the
 * assignment), shown at the top and at the assignment.
 */
static void settings_page(struct req *r, const struct scr_stage *x, int status,
			  enum settings_form which, const struct form *f, int64_t edit_id,
			  const char *why)
{
	struct arena *a = &r->arena;
	const struct review_stage *s = &x->s;
	bool admin = who_is_admin(r->user);
	bool locked = s->nsheets > 0;
	struct tv *ctx = page_ctx(r, msgf(a, "screening.title.settings", s->name), NAV_NONE);
	struct tv *so = scr_stage_tv(r, s, scr_now());
	tv_set_str(so, "settings_heading", msgf(a, "screening.settings.heading", s->name));
	tv_set_str(so, "locked_notice",
		   msgf(a, "screening.settings.locked", scr_num(a, s->nsheets)));
	tv_set_str(so, "delete_label", msgf(a, "screening.settings.delete", s->name));
	tv_set(ctx, "stage", so);
	if (why)
		tv_set_str(ctx, "form_message", why);
	if (admin && !locked)
		settings_form(r, ctx, s, which == SF_SETTINGS ? f : NULL);
	if (admin && !s->closed_at) {
		struct tv *sub = tv_obj(a);
		const char *d[RWF__MAX] = {scr_dt_value(a, s->opens_at),
					   scr_dt_value(a, s->closes_at)};
		page_form(r, sub, review_window_fields, RWF__MAX, which == SF_WINDOW ? f : NULL, d);
		tv_set(ctx, "window", sub);
	}
	criteria_part(r, ctx, x, admin && !locked, which == SF_CRITERION ? f : NULL, edit_id);
	bool chosen = which == SF_ASSIGN && f ? strcmp(form_s(f, 0), "chosen") == 0
					      : strcmp(s->assignment, "chosen") == 0;
	assignment_part(r, ctx, x, chosen);
	tv_set_bool(ctx, "can_assign", admin && !s->closed_at);
	if (which == SF_ASSIGN && why)
		tv_set_str(ctx, "assign_error", why);
	tv_set_bool(ctx, "can_delete", admin && !locked);
	page_render(r, status, "screening/settings", ctx);
}

void h_screening_settings(struct req *r)
{
	struct scr_stage x;
	struct form q;
	if (!scr_open_stage(r, &x, true) ||
	    !page_query(r, settings_query, SQ__MAX, &q, "screening.err.bad_query"))
		return;
	settings_page(r, &x, 200, SF_NONE, NULL, q.v[SQ_EDIT].i, NULL);
}

static void after_settings(struct req *r, const struct review_stage *s)
{
	scr_done(
	    r, "saved",
	    arena_printf(&r->arena, "/admin/screening/stages/%lld/settings", (long long)s->id));
}

/*
 * The prologue of a settings write: the stage with its criteria and the
 * form f of spec; refused with RC_STATE (review.why.locked) once scoring
 * started when unlocked is asked for.
 */
static bool settings_write(struct req *r, struct scr_stage *x, const struct field_spec *spec,
			   size_t n, struct form *f, bool unlocked)
{
	if (!scr_open_stage(r, x, true) || !scr_check_form(r, spec, n, f))
		return false;
	if (unlocked && x->s.nsheets) {
		scr_refuse_key(r, RC_STATE, "review.why.locked");
		return false;
	}
	return true;
}

/* After a settings write that returned rc: on to the page, the form again
 * (422) with why on field i for RC_INVALID, or the refusal. */
static void settings_written(struct req *r, const struct scr_stage *x, enum rc rc,
			     const struct review_why *why, enum settings_form which, struct form *f,
			     size_t i, int64_t edit_id)
{
	if (rc == RC_OK) {
		after_settings(r, &x->s);
	} else if (rc == RC_INVALID) {
		if (why && why->key)
			form_error(f, i, review_why_text(&r->arena, why));
		settings_page(r, x, 422, which, f, edit_id, NULL);
	} else {
		scr_refuse(r, rc, why);
	}
}

void h_screening_settings_save(struct req *r)
{
	struct scr_stage x;
	struct form f;
	if (!settings_write(r, &x, review_stage_fields, RSF__MAX, &f, true))
		return;
	struct review_stage next = x.s;
	struct review_why why = {NULL, {NULL}};
	enum rc rc = RC_INVALID;
	if (!review_stage_from_form(&f, &next))
		rc = review_stage_update(x.db, &r->arena, &next, r->user->id, &why);
	settings_written(r, &x, rc, &why, SF_SETTINGS, &f, RSF_SCALE_MAX, 0);
}

void h_screening_window(struct req *r)
{
	struct scr_stage x;
	struct form f;
	if (!settings_write(r, &x, review_window_fields, RWF__MAX, &f, false))
		return;
	if (x.s.closed_at) {
		scr_refuse_key(r, RC_CLOSED, "review.why.window_closed");
		return;
	}
	struct review_why why = {NULL, {NULL}};
	enum rc rc = RC_INVALID;
	if (!f.nerrors)
		rc = review_stage_set_window(x.db, &r->arena, x.s.id, f.v[RWF_OPENS_AT].i,
					     f.v[RWF_CLOSES_AT].i, r->user->id, &why);
	settings_written(r, &x, rc, &why, SF_WINDOW, &f, RWF_CLOSES_AT, 0);
}

static void criterion_save(struct req *r, int64_t id)
{
	struct scr_stage x;
	struct form f;
	if (!settings_write(r, &x, review_criterion_fields, RCF__MAX, &f, true))
		return;
	struct review_why why = {NULL, {NULL}};
	enum rc rc = RC_INVALID;
	if (!f.nerrors) {
		struct review_criterion c = {
		    .id = id,
		    .stage_id = x.s.id,
		    .name = form_s(&f, RCF_NAME),
		    .description = form_s(&f, RCF_DESCRIPTION),
		    .max_score = f.v[RCF_MAX_SCORE].i,
		    .weight = f.v[RCF_WEIGHT].i,
		};
		rc = review_criterion_save(x.db, &r->arena, &c, r->user->id, &why);
	}
	settings_written(r, &x, rc, &why, SF_CRITERION, &f, RCF_MAX_SCORE, id);
}

void h_screening_criterion_create(struct req *r)
{
	criterion_save(r, 0);
}

void h_screening_criterion_update(struct req *r)
{
	int64_t cid;
	if (scr_param(r, 1, "review.why.criterion_not_found", &cid))
		criterion_save(r, cid);
}

void h_screening_criterion_delete(struct req *r)
{
	struct scr_stage x;
	if (!scr_open_stage(r, &x, false))
		return;
	int64_t cid = req_param_id(r, 1);
	if (!scr_no_fields(r))
		return;
	struct review_why why = {"review.why.criterion_not_found", {NULL}};
	enum rc rc = cid < 0
			 ? RC_NOT_FOUND
			 : review_criterion_delete(x.db, &r->arena, x.s.id, cid, r->user->id, &why);
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	after_settings(r, &x.s);
}

/* The assignment form: assignment, then one checkbox list per reviewer,
 * reviewer_<id> with category ids (0 for every category). */
static struct field_spec *assign_spec(struct arena *a, const struct review_reviewer *rv, size_t nrv)
{
	struct field_spec *spec = arena_alloc(a, (nrv + 1) * sizeof(*spec));
	spec[0] = (struct field_spec){
	    "assignment",	   "screening.field.assignment", F_CHOICE, true, 10, 0, 0,
	    review_assignment_keys};
	/* A reviewer's name is data, shown as it is. */
	for (size_t i = 0; i < nrv; i++)
		spec[i + 1] =
		    (struct field_spec){arena_printf(a, "reviewer_%lld", (long long)rv[i].id),
					rv[i].name,
					F_MULTI,
					false,
					20,
					0,
					0,
					NULL};
	return spec;
}

void h_screening_assign(struct req *r)
{
	struct scr_stage x;
	if (!scr_open_stage(r, &x, true))
		return;
	struct arena *a = &r->arena;
	struct review_reviewer *rv;
	size_t nrv;
	if (review_reviewers(x.db, a, &rv, &nrv) != RC_OK) {
		scr_refuse(r, RC_ERROR, NULL);
		return;
	}
	struct form f;
	if (!scr_check_form(r, assign_spec(a, rv, nrv), nrv + 1, &f))
		return;
	if (f.nerrors) {
		settings_page(r, &x, 422, SF_ASSIGN, &f, 0, msg("screening.err.choose_assignment"));
		return;
	}
	struct review_assignee *list =
	    arena_alloc(a, (nrv * (FORM_MAX_LIST + 1) + 1) * sizeof(*list));
	size_t n = 0;
	for (size_t i = 0; i < nrv; i++) {
		const struct field_value *v = &f.v[i + 1];
		for (size_t k = 0; k < v->nlist; k++) {
			int64_t cid;
			if (str_to_i64(str_c(v->list[k]), 0, INT64_MAX, &cid) != 0) {
				web_error(r, 400, msg("screening.err.bad_fields"));
				return;
			}
			list[n].user_id = rv[i].id;
			list[n].category_id = cid;
			n++;
		}
	}
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_assign(x.db, a, x.s.id, form_s(&f, 0), list, n, r->user->id, &why);
	if (rc == RC_INVALID) {
		settings_page(r, &x, 422, SF_ASSIGN, &f, 0, scr_why(r, rc, &why));
		return;
	}
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	after_settings(r, &x.s);
}
