/*
 * 審査 (screening): the reviewers' workspace (/review), the office's pages
 * for stages, criteria, assignment, completion, ranking, decisions and
 * presentations (/admin/calls/{id}/screening, /admin/screening/...), and
 * the presentation schedule for applicants and the public
 * (/challenge/calls/{id}/presentations).  The rules are in domain/review.c;
 * this file turns requests into calls to it and results into pages.
 *
 * Who sees what:
 * - a reviewer sees the stages assigned to them, the proposals of their
 *   queue read-only and their own score sheets, never anyone else's;
 * - the office (admin) does everything else; coordinators may look at the
 *   office's pages but change nothing;
 * - applicants see the presentation slots of their own proposals, and
 *   everyone sees a schedule the office has made public.  No page an
 *   applicant can reach names a reviewer.
 *
 * Pages with several forms give each form its own field names (stage_name,
 * criterion_name, correction_reason ...) so that control ids never repeat,
 * and show one edit form at a time (?edit=, ?correct=).
 */
#include "core/who.h"
#include "challenge/budget.h"
#include "challenge/handlers.h"
#include "challenge/call.h"
#include "files/files.h"
#include "challenge/proposal.h"
#include "challenge/review.h"
#include "core/role.h"
#include "challenge/score.h"
#include "util/alloc.h"
#include "util/jp.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

static bool is_admin(const struct req *r)
{
	return r->user && (r->user->roles & ROLE_ADMIN);
}

static const char *const stage_not_found = "お探しの審査段階は見つかりませんでした。";
static const char *const bad_fields = "送信された項目が正しくありません。";
static const char *const bad_query = "指定された条件が正しくありません。";

/* ---- formatting ---- */

static const char *when(struct arena *a, int64_t t)
{
	return t ? page_datetime(a, t) : NULL;
}

static const char *fy_label(struct arena *a, int64_t fy)
{
	struct buf b = BUF_INIT;
	jp_fiscal_year_label(&b, (int)fy);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

/* The value of a datetime-local control: 2025-06-09T09:00 in JST. */
static const char *dt_value(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", j.y, j.m, j.d, j.hh, j.mi);
}

static const char *num(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

/* Make field name a <select> of keys (shown as labels), chosen selected. */
static void choice_field(struct req *r, struct tv *fields, const char *name,
			 const char *const *keys, const char *const *labels, const char *chosen)
{
	struct tv *field = tv_get(fields, name);
	if (!field)
		return;
	struct tv *list = tv_list(&r->arena);
	for (size_t i = 0; keys[i]; i++) {
		struct tv *o = tv_obj(&r->arena);
		tv_set_str(o, "value", keys[i]);
		tv_set_str(o, "label", labels[i]);
		tv_set_bool(o, "selected", chosen && strcmp(chosen, keys[i]) == 0);
		tv_push(list, o);
	}
	tv_set(field, "options", list);
	tv_set_bool(field, "select", true);
}

static void field_hint(struct req *r, struct tv *fields, const char *name, const char *hint)
{
	page_field_set(fields, name, "hint", tv_str(&r->arena, hint));
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

/* Everything a page says about a stage. */
static struct tv *stage_tv(struct req *r, const struct review_stage *s, int64_t now)
{
	struct arena *a = &r->arena;
	struct tv *o = tv_obj(a);
	enum review_phase ph = review_stage_phase(s, now);
	tv_set_int(o, "id", s->id);
	tv_set_int(o, "call_id", s->call_id);
	tv_set_int(o, "position", s->position);
	tv_set_str(o, "name", s->name);
	tv_set_str(o, "call_title", s->call_title);
	tv_set_str(o, "fy_label", fy_label(a, s->fiscal_year));
	tv_set_str(o, "kind_label", review_label(review_kind_keys, review_kind_labels, s->kind));
	tv_set_bool(o, "is_presentation", strcmp(s->kind, "presentation") == 0);
	tv_set_str(o, "entry_label",
		   review_label(review_entry_keys, review_entry_labels, s->entry));
	tv_set_str(
	    o, "aggregation_label",
	    review_label(review_aggregation_keys, review_aggregation_labels, s->aggregation));
	tv_set_str(o, "fill_label",
		   review_label(review_fill_keys, review_fill_labels, s->recusal_fill));
	tv_set_str(o, "assignment_label",
		   review_label(review_assignment_keys, review_assignment_labels, s->assignment));
	tv_set_int(o, "scale_min", s->scale_min);
	tv_set_int(o, "scale_max", s->scale_max);
	tv_set_int(o, "pass_threshold", s->pass_threshold);
	tv_set_str(o, "opens", when(a, s->opens_at));
	tv_set_str(o, "closes", when(a, s->closes_at));
	tv_set_str(o, "closed", when(a, s->closed_at));
	tv_set_str(o, "phase_label", review_phase_label(ph));
	tv_set_str(o, "phase_badge", phase_badge(ph));
	tv_set_bool(o, "is_open", ph == REVIEW_PHASE_OPEN);
	tv_set_bool(o, "is_before", ph == REVIEW_PHASE_BEFORE);
	tv_set_bool(o, "is_closed", ph == REVIEW_PHASE_CLOSED);
	tv_set_bool(o, "locked", s->nsheets > 0);
	tv_set_int(o, "nsheets", s->nsheets);
	tv_set_bool(o, "presentations_public", s->presentations_public);
	return o;
}

/* ---- the proposal, read-only ----
 *
 * The body is web_proposal_tv() (proposals.c), the same object the
 * applicants' pages draw; reviewers get the body without the controls.
 */

/* The group's earlier years, for a continuation. */
static struct tv *history_tv(struct req *r, struct db *db, const struct proposal *p)
{
	struct arena *a = &r->arena;
	struct review_history *h;
	size_t n = review_history_of(db, a, p->group_id, p->fiscal_year, p->id, &h);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "year", fy_label(a, h[i].fiscal_year));
		tv_set_str(o, "title", h[i].title);
		tv_set_str(o, "category", h[i].category_name);
		tv_set_bool(o, "adopted", h[i].adopted);
		if (h[i].grant_yen)
			tv_set_str(o, "grant", budget_yen(a, h[i].grant_yen));
		if (*h[i].receipt_no)
			tv_set_str(o, "receipt_no", h[i].receipt_no);
		tv_push(list, o);
	}
	return list;
}

/* ---- loading ---- */

/* The stage of route parameter 0 with its criteria: 404 when missing. */
static bool load_stage(struct req *r, struct db *db, struct review_stage *s,
		       struct review_criterion **crit, size_t *ncrit)
{
	int64_t id = req_param_id(r, 0);
	enum review_rc rc = id < 0 ? REVIEW_NOT_FOUND : review_stage_get(db, &r->arena, id, s);
	if (rc == REVIEW_OK && crit)
		rc = review_criteria(db, &r->arena, s->id, crit, ncrit);
	if (rc == REVIEW_NOT_FOUND) {
		web_error(r, 404, stage_not_found);
		return false;
	}
	if (rc != REVIEW_OK) {
		web_error(r, 503, review_rc_message(rc));
		return false;
	}
	return true;
}

/* Answer a refused write with the status its rc calls for. */
static void refuse(struct req *r, enum review_rc rc, const char *why)
{
	const char *m = why && *why ? why : review_rc_message(rc);
	switch (rc) {
	case REVIEW_NOT_FOUND:
		web_error(r, 404, m);
		return;
	case REVIEW_FORBIDDEN:
		web_error(r, 403, m);
		return;
	case REVIEW_LOCKED:
	case REVIEW_CLOSED:
	case REVIEW_STATE:
		web_error(r, 409, m);
		return;
	case REVIEW_INVALID:
		web_error(r, 422, m);
		return;
	default:
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
	}
}

/* Validate r's form against spec: 400 (and false) for unknown or repeated
 * keys. */
static bool check_form(struct req *r, const struct field_spec *spec, size_t n, struct form *f)
{
	form_check(&r->arena, spec, n, r->form, r->nform, f);
	if (f->unknown || f->repeated) {
		web_error(r, 400, bad_fields);
		return false;
	}
	return true;
}

/* ---- the score sheet form ---- */

static const char *const sheet_actions[] = {"draft", "submit", NULL};

/*
 * The fields of a score sheet: score_<criterion id> for each criterion (an
 * integer within the stage's scale and the criterion's maximum), the
 * comment, then either the reviewer's action (draft / submit) or, for an
 * admin's correction, the reason.
 */
static struct field_spec *sheet_spec(struct arena *a, const struct review_stage *s,
				     const struct review_criterion *c, size_t n, bool correction)
{
	struct field_spec *spec = arena_alloc(a, (n + 2) * sizeof(*spec));
	for (size_t i = 0; i < n; i++) {
		int64_t hi = c[i].max_score < s->scale_max ? c[i].max_score : s->scale_max;
		spec[i] = (struct field_spec){arena_printf(a, "score_%lld", (long long)c[i].id),
					      c[i].name,
					      F_INT,
					      correction,
					      10,
					      s->scale_min,
					      hi,
					      NULL};
	}
	spec[n] = (struct field_spec){"comment",	  "コメント", F_TEXT, false,
				      REVIEW_COMMENT_MAX, 0,	      0,      NULL};
	spec[n + 1] = correction ? (struct field_spec){"correction_reason",
						       "修正の理由",
						       F_TEXT,
						       true,
						       REVIEW_REASON_MAX,
						       0,
						       0,
						       NULL}
				 : (struct field_spec){"action", "操作", F_CHOICE, true,
						       10,	 0,	 0,	   sheet_actions};
	return spec;
}

/* The scale's message in place of the generic number one: 「公益性は0〜5の
 * 整数で入力してください」.  complete: every score is required. */
static void sheet_messages(struct arena *a, struct form *f, size_t n, bool complete)
{
	for (size_t i = 0; i < n; i++) {
		const struct field_spec *sp = &f->spec[i];
		struct field_value *v = &f->v[i];
		if (v->present && v->error)
			v->error =
			    arena_printf(a, "%sは%lld〜%lldの整数で入力してください", sp->label,
					 (long long)sp->min, (long long)sp->max_i);
		else if (!v->present && complete && !v->error)
			form_error(f, i, arena_printf(a, "%sの点数を入力してください", sp->label));
	}
}

static void sheet_input(struct arena *a, const struct form *f, size_t n, struct review_input *in)
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

/* The sheet form into sub (its own context): the fields, the list
 * score_fields in criteria order, and the hints. */
static void sheet_form(struct req *r, struct tv *sub, const struct review_stage *s,
		       const struct review_criterion *c, size_t n, const struct field_spec *spec,
		       const struct form *f, const struct review_sheet *sh, size_t nfields)
{
	struct arena *a = &r->arena;
	const char **defaults = arena_alloc(a, (n + 2) * sizeof(*defaults));
	if (sh) {
		for (size_t i = 0; i < n && i < sh->n; i++)
			if (sh->has_score[i])
				defaults[i] = num(a, sh->scores[i]);
		defaults[n] = sh->comment;
	}
	struct tv *fields = page_form(r, sub, spec, nfields, f, defaults);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		int64_t hi = c[i].max_score < s->scale_max ? c[i].max_score : s->scale_max;
		const char *hint =
		    *c[i].description
			? arena_printf(a, "%lld〜%lld点（重み%lld）。%s", (long long)s->scale_min,
				       (long long)hi, (long long)c[i].weight, c[i].description)
			: arena_printf(a, "%lld〜%lld点（重み%lld）", (long long)s->scale_min,
				       (long long)hi, (long long)c[i].weight);
		field_hint(r, fields, spec[i].name, hint);
		tv_push(list, tv_get(fields, spec[i].name));
	}
	tv_set(sub, "score_fields", list);
	field_hint(r, fields, "comment",
		   "審査の講評として、事務局がまとめて申請団体に伝えることがあります。審査員の名前"
		   "は伝えません。");
}

/* ---- the reviewer's workspace ---- */

static const char *sheet_label(const struct review_item *it)
{
	if (it->recused)
		return "利益相反のため採点しない";
	if (strcmp(it->sheet_status, "submitted") == 0)
		return "提出済み";
	if (strcmp(it->sheet_status, "draft") == 0)
		return "下書き";
	return "未着手";
}

static const char *sheet_badge(const struct review_item *it)
{
	if (it->recused)
		return "";
	if (strcmp(it->sheet_status, "submitted") == 0)
		return "badge--success";
	if (strcmp(it->sheet_status, "draft") == 0)
		return "badge--warning";
	return "badge--error";
}

void h_review(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	if (r->nargs) {
		web_error(r, 400, bad_query);
		return;
	}
	struct arena *a = &r->arena;
	int64_t now = now_s();
	struct review_stage *stages;
	size_t n;
	if (review_stages_unclosed(db, a, &stages, &n) != REVIEW_OK) {
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
		return;
	}
	struct tv *ctx = page_ctx(r, "審査", NAV_CHALLENGE);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct review_stage *s = &stages[i];
		struct review_item *items;
		size_t ni;
		struct review_progress pg;
		if (review_queue(db, a, s, r->user->id, now, &items, &ni, &pg) != REVIEW_OK) {
			web_error(r, 503, review_rc_message(REVIEW_ERROR));
			return;
		}
		if (!ni)
			continue; /* not assigned, or nothing to review */
		struct tv *o = stage_tv(r, s, now);
		tv_set_str(o, "progress",
			   arena_printf(a, "%zu/%zu 採点済み", pg.submitted, pg.total));
		tv_set_bool(o, "done", pg.total && pg.submitted == pg.total);
		if (pg.recused)
			tv_set_int(o, "recused", (int64_t)pg.recused);
		struct tv *rows = tv_list(a);
		for (size_t k = 0; k < ni && review_stage_phase(s, now) != REVIEW_PHASE_BEFORE;
		     k++) {
			struct tv *x = tv_obj(a);
			tv_set_str(x, "receipt_no", items[k].e.receipt_no);
			tv_set_str(x, "title",
				   *items[k].e.title ? items[k].e.title : "（事業名未定）");
			tv_set_str(x, "group_name", items[k].e.group_name);
			tv_set_str(x, "category", items[k].e.category_name);
			tv_set_str(x, "status", sheet_label(&items[k]));
			tv_set_str(x, "badge", sheet_badge(&items[k]));
			tv_set_str(x, "url",
				   arena_printf(a, "/review/stages/%lld/proposals/%lld",
						(long long)s->id,
						(long long)items[k].e.proposal_id));
			tv_push(rows, x);
		}
		tv_set(o, "items", rows);
		tv_push(list, o);
	}
	tv_set(ctx, "stages", list);
	tv_set_bool(ctx, "has_stages", tv_len(list) > 0);
	page_render(r, 200, "screening/review", ctx);
}

enum { RQ_DONE, RQ__MAX };
static const char *const review_done_codes[] = {"draft", "submitted", "conflict", NULL};
static const struct field_spec review_query[RQ__MAX] = {
    [RQ_DONE] = {"done", "結果", F_CHOICE, false, 20, 0, 0, review_done_codes},
};

enum { CFF_REASON, CFF__MAX };
static const struct field_spec conflict_fields[CFF__MAX] = {
    [CFF_REASON] = {"conflict_reason", "利益相反の内容", F_TEXT, true, REVIEW_REASON_MAX, 0, 0,
		    NULL},
};

/*
 * The reviewer's page for one proposal: the proposal read-only, the
 * group's earlier years for a continuation, the reviewer's own sheet (a
 * form while the window is open), and the conflict declaration.  sheet_f
 * and conflict_f carry a refused form's errors.
 */
static void review_page(struct req *r, struct db *db, int status, const struct review_stage *s,
			const struct review_criterion *crit, size_t ncrit, int64_t proposal_id,
			const struct form *sheet_f, const struct form *conflict_f, const char *done,
			const char *notice)
{
	struct arena *a = &r->arena;
	int64_t now = now_s();
	const char *why = NULL;
	enum review_rc rc = review_may_score(db, a, s, proposal_id, r->user->id, now, &why);
	const char *reason = NULL;
	bool automatic = false;
	bool recused = review_recusal(db, a, s->id, proposal_id, r->user->id, &reason, &automatic);
	if (rc == REVIEW_NOT_FOUND) {
		web_error(r, 404, why);
		return;
	}
	if (rc == REVIEW_FORBIDDEN && !recused) {
		web_error(r, 403, why);
		return;
	}
	if (rc == REVIEW_ERROR) {
		web_error(r, 503, review_rc_message(rc));
		return;
	}
	struct proposal p;
	if (proposal_get(db, a, proposal_id, &p) != PROPOSAL_OK) {
		web_error(r, 404, "お探しの企画提案書は見つかりませんでした。");
		return;
	}
	struct tv *ctx = page_ctx(r, arena_printf(a, "%s（%s）", p.title, s->name), NAV_CHALLENGE);
	tv_set(ctx, "stage", stage_tv(r, s, now));
	tv_set(ctx, "p", web_proposal_tv(r, db, &p));
	if (p.previous_id) {
		struct tv *h = history_tv(r, db, &p);
		tv_set(ctx, "history", h);
		tv_set_bool(ctx, "is_continuation", true);
		tv_set_bool(ctx, "has_history", tv_len(h) > 0);
	}
	if (done) {
		static const char *const messages[] = {
		    "下書きを保存しました。", "採点を提出しました。審査期間中は変更できます。",
		    "利益相反を申告しました。この提案は採点しません。"};
		for (size_t i = 0; review_done_codes[i]; i++)
			if (strcmp(done, review_done_codes[i]) == 0)
				tv_set_str(ctx, "done", messages[i]);
	}
	if (notice)
		tv_set_str(ctx, "notice", notice);
	if (recused) {
		tv_set_str(ctx, "recusal_reason", reason);
		tv_set_bool(ctx, "recusal_automatic", automatic);
	}
	struct review_sheet sh;
	bool has_sheet =
	    review_sheet_get(db, a, s, crit, ncrit, proposal_id, r->user->id, &sh) == REVIEW_OK;
	if (has_sheet) {
		struct tv *o = tv_obj(a);
		tv_set_bool(o, "submitted", strcmp(sh.status, "submitted") == 0);
		tv_set_str(o, "status_label",
			   strcmp(sh.status, "submitted") == 0 ? "提出済み" : "下書き");
		tv_set_str(o, "updated_at", when(a, sh.updated_at));
		tv_set_str(o, "submitted_at", when(a, sh.submitted_at));
		struct tv *rows = tv_list(a);
		for (size_t i = 0; i < ncrit; i++) {
			struct tv *x = tv_obj(a);
			tv_set_str(x, "name", crit[i].name);
			tv_set_str(x, "score", sh.has_score[i] ? num(a, sh.scores[i]) : "未入力");
			tv_push(rows, x);
		}
		tv_set(o, "scores", rows);
		tv_set_str(o, "comment", sh.comment);
		tv_set(ctx, "sheet", o);
	}
	/* The form, while the reviewer may score. */
	if (rc == REVIEW_OK) {
		struct tv *sub = tv_obj(a);
		struct field_spec *spec = sheet_spec(a, s, crit, ncrit, false);
		sheet_form(r, sub, s, crit, ncrit, spec, sheet_f, has_sheet ? &sh : NULL,
			   ncrit + 1);
		tv_set_str(sub, "action",
			   arena_printf(a, "/review/stages/%lld/proposals/%lld", (long long)s->id,
					(long long)proposal_id));
		tv_set(ctx, "score_form", sub);
	} else if (!recused) {
		tv_set_str(ctx, "closed_message", why);
	}
	/* A conflict may be declared until the window is over. */
	enum review_phase ph = review_stage_phase(s, now);
	if (!recused && (ph == REVIEW_PHASE_OPEN || ph == REVIEW_PHASE_BEFORE)) {
		struct tv *sub = tv_obj(a);
		page_form(r, sub, conflict_fields, CFF__MAX, conflict_f, NULL);
		tv_set_str(sub, "action",
			   arena_printf(a, "/review/stages/%lld/proposals/%lld/conflict",
					(long long)s->id, (long long)proposal_id));
		tv_set(ctx, "conflict", sub);
	}
	page_render(r, status, "screening/review_proposal", ctx);
}

void h_review_proposal(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	int64_t pid = req_param_id(r, 1);
	if (pid < 0) {
		web_error(r, 404, "お探しの企画提案書は見つかりませんでした。");
		return;
	}
	struct form q;
	form_check(&r->arena, review_query, RQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, bad_query);
		return;
	}
	review_page(r, db, 200, &s, crit, ncrit, pid, NULL, NULL,
		    q.v[RQ_DONE].present ? form_s(&q, RQ_DONE) : NULL, NULL);
}

void h_review_score(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	struct arena *a = &r->arena;
	int64_t pid = req_param_id(r, 1);
	if (pid < 0) {
		web_error(r, 404, "お探しの企画提案書は見つかりませんでした。");
		return;
	}
	struct field_spec *spec = sheet_spec(a, &s, crit, ncrit, false);
	struct form f;
	if (!check_form(r, spec, ncrit + 2, &f))
		return;
	/* Who and when first: a refused reviewer learns nothing from the
	 * validation of their numbers. */
	const char *why = NULL;
	int64_t now = now_s();
	enum review_rc rc = review_may_score(db, a, &s, pid, r->user->id, now, &why);
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	bool submit = strcmp(form_s(&f, ncrit + 1), "submit") == 0;
	sheet_messages(a, &f, ncrit, submit);
	if (f.nerrors) {
		review_page(r, db, 422, &s, crit, ncrit, pid, &f, NULL, NULL, NULL);
		return;
	}
	struct review_input in;
	sheet_input(a, &f, ncrit, &in);
	in.submit = submit;
	rc = review_sheet_save(db, a, &s, crit, ncrit, pid, r->user->id, &in, now, NULL, &why);
	if (rc == REVIEW_INVALID) {
		review_page(r, db, 422, &s, crit, ncrit, pid, &f, NULL, NULL, why);
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	resp_redirect(r,
		      arena_printf(a, "/review/stages/%lld/proposals/%lld?done=%s", (long long)s.id,
				   (long long)pid, submit ? "submitted" : "draft"));
}

void h_review_conflict(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	struct arena *a = &r->arena;
	int64_t pid = req_param_id(r, 1);
	if (pid < 0) {
		web_error(r, 404, "お探しの企画提案書は見つかりませんでした。");
		return;
	}
	struct form f;
	if (!check_form(r, conflict_fields, CFF__MAX, &f))
		return;
	const char *why = NULL;
	enum review_rc rc;
	if (f.nerrors) {
		/* The same checks as a declaration, before showing the form again. */
		rc = review_may_score(db, a, &s, pid, r->user->id, now_s(), &why);
		if (rc == REVIEW_NOT_FOUND || rc == REVIEW_FORBIDDEN) {
			refuse(r, rc, why);
			return;
		}
		review_page(r, db, 422, &s, crit, ncrit, pid, NULL, &f, NULL, NULL);
		return;
	}
	rc = review_declare_conflict(db, a, &s, pid, r->user->id, form_s(&f, CFF_REASON), now_s(),
				     &why);
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	resp_redirect(r, arena_printf(a, "/review/stages/%lld/proposals/%lld?done=conflict",
				      (long long)s.id, (long long)pid));
}

/* ---- the office: stages of a call ---- */

void h_screening_call(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	if (r->nargs) {
		web_error(r, 400, bad_query);
		return;
	}
	struct arena *a = &r->arena;
	int64_t id = req_param_id(r, 0);
	struct call c;
	if (id < 0 || call_get(db, a, id, &c) != CALL_OK) {
		web_error(r, 404, "お探しの募集は見つかりませんでした。");
		return;
	}
	struct review_stage *stages;
	size_t n;
	if (review_stages(db, a, c.id, &stages, &n) != REVIEW_OK) {
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
		return;
	}
	int64_t now = now_s();
	struct tv *ctx = page_ctx(r, arena_printf(a, "審査の管理（%s）", c.title), NAV_NONE);
	struct tv *co = tv_obj(a);
	tv_set_int(co, "id", c.id);
	tv_set_str(co, "title", c.title);
	tv_set_str(co, "fy_label", fy_label(a, c.fiscal_year));
	tv_set(ctx, "call", co);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(list, stage_tv(r, &stages[i], now));
	tv_set(ctx, "stages", list);
	tv_set_bool(ctx, "has_stages", n > 0);
	tv_set_bool(ctx, "can_edit", is_admin(r));
	tv_set_bool(ctx, "can_add", is_admin(r) && n > 0 && n < REVIEW_MAX_STAGES);
	page_render(r, 200, "screening/call", ctx);
}

void h_screening_setup(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	if (r->nform) {
		web_error(r, 400, bad_fields);
		return;
	}
	int64_t id = req_param_id(r, 0);
	enum review_rc rc = id < 0 ? REVIEW_NOT_FOUND
				   : review_setup_defaults(db, &r->arena, id, r->user->id, now_s());
	if (rc == REVIEW_STATE) {
		refuse(r, rc, "この募集には審査段階がすでにあります。");
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc,
		       rc == REVIEW_NOT_FOUND ? "お探しの募集は見つかりませんでした。" : NULL);
		return;
	}
	page_flash(r, "created");
	resp_redirect(r, arena_printf(&r->arena, "/admin/calls/%lld/screening", (long long)id));
}

void h_screening_stage_add(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	if (r->nform) {
		web_error(r, 400, bad_fields);
		return;
	}
	int64_t id = req_param_id(r, 0), sid = 0;
	const char *why = NULL;
	enum review_rc rc =
	    id < 0 ? REVIEW_NOT_FOUND
		   : review_stage_add(db, &r->arena, id, r->user->id, now_s(), &sid, &why);
	if (rc != REVIEW_OK) {
		refuse(r, rc,
		       rc == REVIEW_NOT_FOUND ? "お探しの募集は見つかりませんでした。" : why);
		return;
	}
	page_flash(r, "created");
	resp_redirect(
	    r, arena_printf(&r->arena, "/admin/screening/stages/%lld/settings", (long long)sid));
}

void h_screening_stage_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	if (!db || !load_stage(r, db, &s, NULL, NULL))
		return;
	if (r->nform) {
		web_error(r, 400, bad_fields);
		return;
	}
	enum review_rc rc = review_stage_remove(db, &r->arena, s.id, r->user->id);
	if (rc != REVIEW_OK) {
		refuse(r, rc,
		       rc == REVIEW_LOCKED ? "採点が始まっている審査段階は削除できません。" : NULL);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r,
		      arena_printf(&r->arena, "/admin/calls/%lld/screening", (long long)s.call_id));
}

/* ---- the office: settings, window, criteria, assignment ---- */

enum settings_form { SF_NONE, SF_SETTINGS, SF_WINDOW, SF_CRITERION, SF_ASSIGN };

enum { SQ_EDIT, SQ__MAX };
static const struct field_spec settings_query[SQ__MAX] = {
    [SQ_EDIT] = {"edit", "編集する評価項目", F_ID, false, 20, 0, 0, NULL},
};

/*
 * The stage's settings page.  which names the form f belongs to (a refused
 * one, shown with its errors); edit_id picks the criterion whose edit form
 * is shown instead of the add form; why is a message for the whole form.
 */
static void settings_page(struct req *r, struct db *db, int status, const struct review_stage *s,
			  const struct review_criterion *crit, size_t ncrit,
			  enum settings_form which, const struct form *f, int64_t edit_id,
			  const char *why)
{
	struct arena *a = &r->arena;
	int64_t now = now_s();
	bool admin = is_admin(r);
	bool locked = s->nsheets > 0;
	struct tv *ctx = page_ctx(r, arena_printf(a, "審査段階の設定（%s）", s->name), NAV_NONE);
	tv_set(ctx, "stage", stage_tv(r, s, now));
	if (why)
		tv_set_str(ctx, "form_message", why);

	/* Settings */
	if (admin && !locked) {
		struct tv *sub = tv_obj(a);
		const char *d[RSF__MAX] = {0};
		d[RSF_NAME] = s->name;
		d[RSF_KIND] = s->kind;
		d[RSF_ENTRY] = s->entry;
		d[RSF_SCALE_MIN] = num(a, s->scale_min);
		d[RSF_SCALE_MAX] = num(a, s->scale_max);
		d[RSF_AGGREGATION] = s->aggregation;
		d[RSF_RECUSAL_FILL] = s->recusal_fill;
		d[RSF_PASS_THRESHOLD] = num(a, s->pass_threshold);
		const struct form *ff = which == SF_SETTINGS ? f : NULL;
		struct tv *fields = page_form(r, sub, review_stage_fields, RSF__MAX, ff, d);
		choice_field(r, fields, "kind", review_kind_keys, review_kind_labels,
			     ff ? form_s(ff, RSF_KIND) : s->kind);
		choice_field(r, fields, "entry", review_entry_keys, review_entry_labels,
			     ff ? form_s(ff, RSF_ENTRY) : s->entry);
		choice_field(r, fields, "aggregation", review_aggregation_keys,
			     review_aggregation_labels,
			     ff ? form_s(ff, RSF_AGGREGATION) : s->aggregation);
		choice_field(r, fields, "recusal_fill", review_fill_keys, review_fill_labels,
			     ff ? form_s(ff, RSF_RECUSAL_FILL) : s->recusal_fill);
		field_hint(r, fields, "entry",
			   "最初の段階は、提出されたすべての提案が対象になります。");
		field_hint(r, fields, "aggregation", "どちらも100点満点に換算して順位をつけます。");
		field_hint(
		    r, fields, "pass_threshold",
		    "この点数以上の提案に「目安以上」と表示します。判定は事務局が行います。");
		tv_set(ctx, "settings", sub);
	}
	/* Window */
	if (admin && !s->closed_at) {
		struct tv *sub = tv_obj(a);
		const char *d[RWF__MAX] = {dt_value(a, s->opens_at), dt_value(a, s->closes_at)};
		page_form(r, sub, review_window_fields, RWF__MAX, which == SF_WINDOW ? f : NULL, d);
		tv_set(ctx, "window", sub);
	}
	/* Criteria */
	struct tv *list = tv_list(a);
	int64_t weight_total = 0;
	const struct review_criterion *editing = NULL;
	for (size_t i = 0; i < ncrit; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", crit[i].id);
		tv_set_str(o, "name", crit[i].name);
		tv_set_str(o, "description", crit[i].description);
		tv_set_int(o, "max_score", crit[i].max_score);
		tv_set_int(o, "weight", crit[i].weight);
		tv_push(list, o);
		weight_total += crit[i].weight * crit[i].max_score;
		if (crit[i].id == edit_id)
			editing = &crit[i];
	}
	tv_set(ctx, "criteria", list);
	tv_set_int(ctx, "points_max", weight_total);
	tv_set_bool(ctx, "can_edit_criteria", admin && !locked);
	if (admin && !locked) {
		struct tv *sub = tv_obj(a);
		const char *d[RCF__MAX] = {0};
		if (editing) {
			d[RCF_NAME] = editing->name;
			d[RCF_DESCRIPTION] = editing->description;
			d[RCF_MAX_SCORE] = num(a, editing->max_score);
			d[RCF_WEIGHT] = num(a, editing->weight);
			tv_set_str(sub, "heading",
				   arena_printf(a, "評価項目「%s」を編集", editing->name));
			tv_set_str(sub, "action",
				   arena_printf(a, "/admin/screening/stages/%lld/criteria/%lld",
						(long long)s->id, (long long)editing->id));
			tv_set_bool(sub, "editing", true);
		} else {
			d[RCF_MAX_SCORE] = num(a, s->scale_max);
			d[RCF_WEIGHT] = "1";
			tv_set_str(sub, "heading", "評価項目を追加");
			tv_set_str(sub, "action",
				   arena_printf(a, "/admin/screening/stages/%lld/criteria",
						(long long)s->id));
		}
		struct tv *fields = page_form(r, sub, review_criterion_fields, RCF__MAX,
					      which == SF_CRITERION ? f : NULL, d);
		field_hint(r, fields, "max_score",
			   arena_printf(a, "点数の上限（%lld）以下。", (long long)s->scale_max));
		field_hint(r, fields, "weight", "合計点を計算するときの倍率（1〜100）。");
		tv_set(ctx, "criterion_form", sub);
	}
	/* Assignment */
	struct review_reviewer *rv;
	size_t nrv = 0;
	struct review_assignee *as;
	size_t nas = 0;
	struct category *cats;
	size_t ncats = 0;
	review_reviewers(db, a, &rv, &nrv);
	review_assignees(db, a, s->id, &as, &nas);
	call_categories(db, a, s->call_id, &cats, &ncats);
	struct tv *cols = tv_list(a);
	for (size_t k = 0; k < ncats; k++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", cats[k].name);
		tv_push(cols, o);
	}
	tv_set(ctx, "categories", cols);
	struct tv *rows = tv_list(a);
	bool chosen = strcmp(s->assignment, "chosen") == 0;
	if (which == SF_ASSIGN && f)
		chosen = strcmp(form_s(f, 0), "chosen") == 0;
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
			tv_set_str(b, "value", num(a, cid));
			tv_set_str(b, "label", k == 0 ? "全部門" : cats[k - 1].name);
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
	tv_set_bool(ctx, "can_assign", admin && !s->closed_at);
	if (which == SF_ASSIGN && why)
		tv_set_str(ctx, "assign_error", why);
	tv_set_bool(ctx, "can_delete", admin && !locked);
	page_render(r, status, "screening/settings", ctx);
}

void h_screening_settings(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	struct form q;
	form_check(&r->arena, settings_query, SQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, bad_query);
		return;
	}
	settings_page(r, db, 200, &s, crit, ncrit, SF_NONE, NULL, q.v[SQ_EDIT].i, NULL);
}

static void after_settings(struct req *r, const struct review_stage *s)
{
	page_flash(r, "saved");
	resp_redirect(
	    r, arena_printf(&r->arena, "/admin/screening/stages/%lld/settings", (long long)s->id));
}

void h_screening_settings_save(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	struct form f;
	if (!check_form(r, review_stage_fields, RSF__MAX, &f))
		return;
	if (s.nsheets) {
		refuse(r, REVIEW_LOCKED, NULL);
		return;
	}
	struct review_stage next = s;
	if (review_stage_from_form(&f, &next)) {
		settings_page(r, db, 422, &s, crit, ncrit, SF_SETTINGS, &f, 0, NULL);
		return;
	}
	const char *why = NULL;
	enum review_rc rc = review_stage_update(db, &r->arena, &next, r->user->id, &why);
	if (rc == REVIEW_INVALID) {
		form_error(&f, RSF_SCALE_MAX, why);
		settings_page(r, db, 422, &s, crit, ncrit, SF_SETTINGS, &f, 0, NULL);
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	after_settings(r, &s);
}

void h_screening_window(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	struct form f;
	if (!check_form(r, review_window_fields, RWF__MAX, &f))
		return;
	if (s.closed_at) {
		refuse(r, REVIEW_CLOSED, "締め切った審査段階の採点期間は変更できません。");
		return;
	}
	const char *why = NULL;
	enum review_rc rc = REVIEW_INVALID;
	if (!f.nerrors)
		rc = review_stage_set_window(db, &r->arena, s.id, f.v[RWF_OPENS_AT].i,
					     f.v[RWF_CLOSES_AT].i, r->user->id, &why);
	if (rc == REVIEW_INVALID) {
		if (why)
			form_error(&f, RWF_CLOSES_AT, why);
		settings_page(r, db, 422, &s, crit, ncrit, SF_WINDOW, &f, 0, NULL);
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	after_settings(r, &s);
}

static void criterion_save(struct req *r, int64_t id)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	struct form f;
	if (!check_form(r, review_criterion_fields, RCF__MAX, &f))
		return;
	if (s.nsheets) {
		refuse(r, REVIEW_LOCKED, NULL);
		return;
	}
	if (f.nerrors) {
		settings_page(r, db, 422, &s, crit, ncrit, SF_CRITERION, &f, id, NULL);
		return;
	}
	struct review_criterion c = {
	    .id = id,
	    .stage_id = s.id,
	    .name = form_s(&f, RCF_NAME),
	    .description = form_s(&f, RCF_DESCRIPTION),
	    .max_score = f.v[RCF_MAX_SCORE].i,
	    .weight = f.v[RCF_WEIGHT].i,
	};
	const char *why = NULL;
	enum review_rc rc = review_criterion_save(db, &r->arena, &c, r->user->id, &why);
	if (rc == REVIEW_INVALID) {
		form_error(&f, RCF_MAX_SCORE, why);
		settings_page(r, db, 422, &s, crit, ncrit, SF_CRITERION, &f, id, NULL);
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	after_settings(r, &s);
}

void h_screening_criterion_create(struct req *r)
{
	criterion_save(r, 0);
}

void h_screening_criterion_update(struct req *r)
{
	int64_t cid = req_param_id(r, 1);
	if (cid < 0) {
		web_error(r, 404, "お探しの評価項目は見つかりませんでした。");
		return;
	}
	criterion_save(r, cid);
}

void h_screening_criterion_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	if (!db || !load_stage(r, db, &s, NULL, NULL))
		return;
	int64_t cid = req_param_id(r, 1);
	if (r->nform) {
		web_error(r, 400, bad_fields);
		return;
	}
	const char *why = NULL;
	enum review_rc rc =
	    cid < 0 ? REVIEW_NOT_FOUND
		    : review_criterion_delete(db, &r->arena, s.id, cid, r->user->id, &why);
	if (rc != REVIEW_OK) {
		refuse(r, rc,
		       rc == REVIEW_NOT_FOUND ? "お探しの評価項目は見つかりませんでした。" : why);
		return;
	}
	after_settings(r, &s);
}

void h_screening_assign(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	struct arena *a = &r->arena;
	struct review_reviewer *rv;
	size_t nrv;
	if (review_reviewers(db, a, &rv, &nrv) != REVIEW_OK) {
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
		return;
	}
	/* assignment, then one checkbox list per reviewer: reviewer_<id> with
	 * category ids (0 for every category). */
	struct field_spec *spec = arena_alloc(a, (nrv + 1) * sizeof(*spec));
	spec[0] = (struct field_spec){"assignment",	     "割り当て方", F_CHOICE, true, 10, 0, 0,
				      review_assignment_keys};
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
	struct form f;
	if (!check_form(r, spec, nrv + 1, &f))
		return;
	if (f.nerrors) {
		settings_page(r, db, 422, &s, crit, ncrit, SF_ASSIGN, &f, 0,
			      "割り当て方を選んでください。");
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
				web_error(r, 400, bad_fields);
				return;
			}
			list[n].user_id = rv[i].id;
			list[n].category_id = cid;
			n++;
		}
	}
	const char *why = NULL;
	enum review_rc rc = review_assign(db, a, s.id, form_s(&f, 0), list, n, r->user->id, &why);
	if (rc == REVIEW_INVALID) {
		settings_page(r, db, 422, &s, crit, ncrit, SF_ASSIGN, &f, 0, why);
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	after_settings(r, &s);
}

/* ---- the office: completion, close, ranking ---- */

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

static void decision_tv(struct tv *o, const struct review_entrant *e)
{
	if (*e->decision) {
		tv_set_str(o, "decision",
			   review_label(review_decision_keys, review_decision_labels, e->decision));
		tv_set_str(o, "decision_badge", decision_badge(e->decision));
	}
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
		tv_set_str(o, "title", *p->e.title ? p->e.title : "（事業名未定）");
		tv_set_str(o, "group_name", p->e.group_name);
		tv_set_str(o, "category", p->e.category_name);
		tv_set_int(o, "expected", (int64_t)p->expected);
		tv_set_int(o, "submitted", (int64_t)p->submitted);
		tv_set_int(o, "recused", (int64_t)p->recused);
		tv_set_bool(o, "complete", p->submitted == p->expected);
		tv_set_str(o, "url",
			   arena_printf(a, "/admin/screening/stages/%lld/proposals/%lld",
					(long long)s->id, (long long)p->e.proposal_id));
		decision_tv(o, &p->e);
		tv_push(list, o);
	}
	return list;
}

void h_screening_stage(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	if (r->nargs) {
		web_error(r, 400, bad_query);
		return;
	}
	struct arena *a = &r->arena;
	int64_t now = now_s();
	struct review_dashboard d;
	if (review_dashboard(db, a, &s, now, &d) != REVIEW_OK) {
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
		return;
	}
	struct tv *ctx = page_ctx(r, arena_printf(a, "審査の状況（%s）", s.name), NAV_NONE);
	tv_set(ctx, "stage", stage_tv(r, &s, now));
	tv_set(ctx, "reviewer_rows", reviewer_rows(a, &d));
	tv_set_bool(ctx, "has_reviewer_rows", d.nreviewers > 0);
	tv_set(ctx, "proposal_rows", proposal_rows(r, &s, &d));
	tv_set_bool(ctx, "has_proposal_rows", d.nproposals > 0);
	tv_set_str(ctx, "completion", arena_printf(a, "%zu/%zu 提出済み", d.submitted, d.expected));
	tv_set_bool(ctx, "can_close", is_admin(r) && !s.closed_at);
	tv_set_bool(ctx, "incomplete", d.submitted < d.expected);

	/* The ranking, once the stage is closed. */
	if (s.closed_at) {
		struct review_category_ranking *cats;
		size_t ncat;
		const char *why = NULL;
		enum review_rc rc = review_ranking(db, a, &s, crit, ncrit, &d, &cats, &ncat, &why);
		if (rc == REVIEW_INVALID) {
			tv_set_str(ctx, "ranking_error", why);
		} else if (rc != REVIEW_OK) {
			web_error(r, 503, review_rc_message(rc));
			return;
		}
		struct tv *heads = tv_list(a);
		for (size_t i = 0; i < ncrit; i++) {
			struct tv *o = tv_obj(a);
			tv_set_str(o, "name", crit[i].name);
			tv_push(heads, o);
		}
		tv_set(ctx, "criteria", heads);
		struct tv *list = tv_list(a);
		for (size_t c = 0; rc == REVIEW_OK && c < ncat; c++) {
			struct tv *co = tv_obj(a);
			tv_set_str(co, "name", cats[c].name);
			tv_set_str(co, "anchor",
				   arena_printf(a, "rank-%lld", (long long)cats[c].category_id));
			struct tv *rows = tv_list(a);
			for (size_t k = 0; k < cats[c].n; k++) {
				const struct review_ranked *x = &cats[c].rows[k];
				const struct score_result *res = &x->r.result;
				struct tv *o = tv_obj(a);
				if (x->r.rank)
					tv_set_int(o, "rank", x->r.rank);
				tv_set_str(o, "receipt_no", x->p->e.receipt_no);
				tv_set_str(o, "title",
					   *x->p->e.title ? x->p->e.title : "（事業名未定）");
				tv_set_str(o, "group_name", x->p->e.group_name);
				tv_set_str(o, "total", score_total_text(a, res));
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
					tv_set_str(m, "value",
						   score_format(a, res->criterion_mean[i]));
					tv_push(means, m);
				}
				tv_set(o, "means", means);
				tv_set_bool(o, "tie", x->r.tie);
				tv_set_bool(o, "disagreement", x->r.disagreement);
				tv_set_bool(o, "passes", x->passes);
				tv_set_str(
				    o, "sheets",
				    arena_printf(a, "%zu/%zu", x->p->submitted, x->p->expected));
				tv_set_bool(o, "incomplete", x->p->submitted < x->p->expected);
				tv_set_str(
				    o, "url",
				    arena_printf(a, "/admin/screening/stages/%lld/proposals/%lld",
						 (long long)s.id, (long long)x->p->e.proposal_id));
				decision_tv(o, &x->p->e);
				tv_push(rows, o);
			}
			tv_set(co, "rows", rows);
			tv_push(list, co);
		}
		tv_set(ctx, "ranking", list);
		tv_set_bool(ctx, "has_ranking", tv_len(list) > 0);
	}
	page_render(r, 200, "screening/stage", ctx);
}

void h_screening_close(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	if (!db || !load_stage(r, db, &s, NULL, NULL))
		return;
	if (r->nform) {
		web_error(r, 400, bad_fields);
		return;
	}
	enum review_rc rc = review_stage_close(db, &r->arena, s.id, r->user->id, now_s());
	if (rc != REVIEW_OK) {
		refuse(r, rc,
		       rc == REVIEW_STATE ? "この審査段階はすでに締め切られています。" : NULL);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/admin/screening/stages/%lld", (long long)s.id));
}

/* ---- the office: one proposal in a stage (sheets, decision, corrections) ---- */

enum { DF_DECISION, DF_REASON, DF__MAX };
static const struct field_spec decision_fields[DF__MAX] = {
    [DF_DECISION] = {"decision", "判定", F_CHOICE, true, 10, 0, 0, review_decision_keys},
    [DF_REASON] = {"reason", "判定の理由", F_TEXT, false, REVIEW_REASON_MAX, 0, 0, NULL},
};

enum { OPQ_CORRECT, OPQ__MAX };
static const struct field_spec office_proposal_query[OPQ__MAX] = {
    [OPQ_CORRECT] = {"correct", "修正する評価シート", F_ID, false, 20, 0, 0, NULL},
};

/*
 * The office's page for one proposal in stage s: completion by reviewer
 * (names and statuses only while the stage is open), the sheets with
 * scores and comments once closed, the decision form, and one correction
 * form (sheet correct_id) for an admin after close.  decision_f and
 * correct_f carry refused forms.
 */
static void office_proposal_page(struct req *r, struct db *db, int status,
				 const struct review_stage *s, const struct review_criterion *crit,
				 size_t ncrit, int64_t proposal_id, const struct form *decision_f,
				 int64_t correct_id, const struct form *correct_f, const char *why)
{
	struct arena *a = &r->arena;
	int64_t now = now_s();
	struct review_dashboard d;
	if (review_dashboard(db, a, s, now, &d) != REVIEW_OK) {
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
		return;
	}
	const struct review_proposal_progress *pp = NULL;
	for (size_t j = 0; j < d.nproposals; j++)
		if (d.proposals[j].e.proposal_id == proposal_id)
			pp = &d.proposals[j];
	if (!pp) {
		web_error(r, 404, "この提案はこの審査段階の対象ではありません。");
		return;
	}
	struct tv *ctx = page_ctx(r, arena_printf(a, "%s（%s）", pp->e.title, s->name), NAV_NONE);
	tv_set(ctx, "stage", stage_tv(r, s, now));
	struct tv *po = tv_obj(a);
	tv_set_int(po, "id", proposal_id);
	tv_set_str(po, "receipt_no", pp->e.receipt_no);
	tv_set_str(po, "title", *pp->e.title ? pp->e.title : "（事業名未定）");
	tv_set_str(po, "group_name", pp->e.group_name);
	tv_set_str(po, "category", pp->e.category_name);
	tv_set_str(po, "progress",
		   arena_printf(a, "%zu/%zu 提出済み", pp->submitted, pp->expected));
	tv_set_int(po, "recused", (int64_t)pp->recused);
	decision_tv(po, &pp->e);
	if (*pp->e.decision_reason)
		tv_set_str(po, "decision_reason", pp->e.decision_reason);
	tv_set(ctx, "p", po);
	if (why)
		tv_set_str(ctx, "form_message", why);

	/* Sheets: statuses while open; everything after close. */
	struct review_sheet *sheets;
	size_t nsheets = 0;
	if (review_sheets_of(db, a, s, crit, ncrit, proposal_id, &sheets, &nsheets) != REVIEW_OK) {
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
		return;
	}
	bool show_scores = s->closed_at != 0;
	struct score_stage ss;
	const char *err = NULL;
	bool stage_ok = review_score_stage(a, s, crit, ncrit, &ss, &err) == 0;
	struct tv *heads = tv_list(a);
	for (size_t i = 0; i < ncrit; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", crit[i].name);
		tv_push(heads, o);
	}
	tv_set(ctx, "criteria", heads);
	struct tv *list = tv_list(a);
	const struct review_sheet *correcting = NULL;
	enum review_phase ph = review_stage_phase(s, now);
	bool may_correct = is_admin(r) && (ph == REVIEW_PHASE_ENDED || ph == REVIEW_PHASE_CLOSED);
	for (size_t k = 0; k < nsheets; k++) {
		const struct review_sheet *sh = &sheets[k];
		struct tv *o = tv_obj(a);
		tv_set_str(o, "reviewer", sh->reviewer_name);
		bool submitted = strcmp(sh->status, "submitted") == 0;
		tv_set_str(o, "status", submitted ? "提出済み" : "下書き");
		tv_set_str(o, "badge", submitted ? "badge--success" : "badge--warning");
		bool recused =
		    review_recusal(db, a, s->id, proposal_id, sh->reviewer_id, NULL, NULL);
		tv_set_bool(o, "recused", recused);
		if (show_scores) {
			struct tv *cells = tv_list(a);
			int *ints = arena_alloc(a, (ncrit + 1) * sizeof(int));
			bool complete = true;
			for (size_t i = 0; i < ncrit; i++) {
				struct tv *c = tv_obj(a);
				tv_set_str(c, "value",
					   sh->has_score[i] ? num(a, sh->scores[i]) : "−");
				tv_push(cells, c);
				complete &= sh->has_score[i];
				ints[i] = sh->has_score[i] ? (int)sh->scores[i] : 0;
			}
			tv_set(o, "cells", cells);
			double total;
			if (complete && stage_ok && score_sheet_total(&ss, ints, &total, &err) == 0)
				tv_set_str(o, "total", score_format(a, total));
			tv_set_str(o, "comment", sh->comment);
			if (may_correct)
				tv_set_str(
				    o, "correct_url",
				    arena_printf(a,
						 "/admin/screening/stages/%lld/proposals/%lld?"
						 "correct=%lld#correction",
						 (long long)s->id, (long long)proposal_id,
						 (long long)sh->id));
		}
		if (sh->id == correct_id)
			correcting = sh;
		tv_push(list, o);
	}
	tv_set(ctx, "sheets", list);
	tv_set_bool(ctx, "has_sheets", nsheets > 0);
	tv_set_bool(ctx, "show_scores", show_scores);

	if (is_admin(r) && s->closed_at) {
		struct tv *sub = tv_obj(a);
		const char *dd[DF__MAX] = {*pp->e.decision ? pp->e.decision : NULL,
					   *pp->e.decision_reason ? pp->e.decision_reason : NULL};
		struct tv *fields = page_form(r, sub, decision_fields, DF__MAX, decision_f, dd);
		choice_field(r, fields, "decision", review_decision_keys, review_decision_labels,
			     decision_f ? form_s(decision_f, DF_DECISION) : pp->e.decision);
		if (pp->submitted < pp->expected)
			field_hint(
			    r, fields, "reason",
			    arena_printf(
				a,
				"未提出の審査があります（%zu/%zu）。判定するには理由が必要です。",
				pp->submitted, pp->expected));
		tv_set_str(sub, "action",
			   arena_printf(a, "/admin/screening/stages/%lld/proposals/%lld/decision",
					(long long)s->id, (long long)proposal_id));
		tv_set(ctx, "decision_form", sub);
	}
	if (may_correct && correcting) {
		struct tv *sub = tv_obj(a);
		struct field_spec *spec = sheet_spec(a, s, crit, ncrit, true);
		sheet_form(r, sub, s, crit, ncrit, spec, correct_f, correcting, ncrit + 2);
		tv_set_str(sub, "reviewer", correcting->reviewer_name);
		tv_set_str(
		    sub, "action",
		    arena_printf(a, "/admin/screening/sheets/%lld", (long long)correcting->id));
		tv_set(ctx, "correction", sub);
	}
	page_render(r, status, "screening/proposal", ctx);
}

void h_screening_proposal(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	struct form q;
	form_check(&r->arena, office_proposal_query, OPQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, bad_query);
		return;
	}
	int64_t pid = req_param_id(r, 1);
	if (pid < 0) {
		web_error(r, 404, "お探しの企画提案書は見つかりませんでした。");
		return;
	}
	office_proposal_page(r, db, 200, &s, crit, ncrit, pid, NULL, q.v[OPQ_CORRECT].i, NULL,
			     NULL);
}

void h_screening_decide(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	struct review_criterion *crit;
	size_t ncrit;
	if (!db || !load_stage(r, db, &s, &crit, &ncrit))
		return;
	int64_t pid = req_param_id(r, 1);
	if (pid < 0) {
		web_error(r, 404, "お探しの企画提案書は見つかりませんでした。");
		return;
	}
	struct form f;
	if (!check_form(r, decision_fields, DF__MAX, &f))
		return;
	if (!s.closed_at) {
		refuse(r, REVIEW_STATE, "審査段階を締め切ってから判定してください。");
		return;
	}
	const char *why = NULL;
	enum review_rc rc = REVIEW_INVALID;
	if (!f.nerrors)
		rc = review_decide(db, &r->arena, &s, pid, form_s(&f, DF_DECISION),
				   form_s(&f, DF_REASON), r->user->id, now_s(), &why);
	if (rc == REVIEW_INVALID) {
		if (why)
			form_error(&f, DF_REASON, why);
		office_proposal_page(r, db, 422, &s, crit, ncrit, pid, &f, 0, NULL, NULL);
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/admin/screening/stages/%lld", (long long)s.id));
}

void h_screening_correct(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t sheet_id = req_param_id(r, 0);
	struct review_sheet sh;
	struct review_stage s;
	struct review_criterion *crit = NULL;
	size_t ncrit = 0;
	/* The sheet names its stage; its scores are read with the criteria. */
	if (sheet_id < 0 || review_sheet_by_id(db, a, sheet_id, NULL, 0, &sh) != REVIEW_OK ||
	    review_stage_get(db, a, sh.stage_id, &s) != REVIEW_OK ||
	    review_criteria(db, a, s.id, &crit, &ncrit) != REVIEW_OK) {
		web_error(r, 404, "お探しの評価シートは見つかりませんでした。");
		return;
	}
	struct field_spec *spec = sheet_spec(a, &s, crit, ncrit, true);
	struct form f;
	if (!check_form(r, spec, ncrit + 2, &f))
		return;
	sheet_messages(a, &f, ncrit, true);
	const char *why = NULL;
	enum review_rc rc = REVIEW_INVALID;
	enum review_phase ph = review_stage_phase(&s, now_s());
	if (ph != REVIEW_PHASE_ENDED && ph != REVIEW_PHASE_CLOSED) {
		refuse(r, REVIEW_STATE, "審査期間中の評価は、審査員本人だけが変更できます。");
		return;
	}
	if (!f.nerrors) {
		struct review_input in;
		sheet_input(a, &f, ncrit, &in);
		rc = review_sheet_correct(db, a, &s, crit, ncrit, sheet_id, &in,
					  form_s(&f, ncrit + 1), r->user->id, now_s(), &why);
	}
	if (rc == REVIEW_INVALID) {
		office_proposal_page(r, db, 422, &s, crit, ncrit, sh.proposal_id, NULL, sheet_id,
				     &f, why);
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(a, "/admin/screening/stages/%lld/proposals/%lld",
				      (long long)s.id, (long long)sh.proposal_id));
}

/* ---- presentations ---- */

enum { PF_PROPOSAL, PF__MAX };
static const struct field_spec presentation_proposal_field[PF__MAX] = {
    [PF_PROPOSAL] = {"proposal", "発表する提案", F_ID, true, 20, 0, 0, NULL},
};

/* The office's schedule editor: every slot, and one form for a slot. */
static void presentations_page(struct req *r, struct db *db, int status,
			       const struct review_stage *s, const struct form *f, const char *why)
{
	struct arena *a = &r->arena;
	int64_t now = now_s();
	struct review_presentation *ps;
	size_t n = 0;
	struct review_entrant *es;
	size_t ne = 0;
	if (review_presentations(db, a, s->id, &ps, &n) != REVIEW_OK ||
	    review_entrants(db, a, s, &es, &ne) != REVIEW_OK) {
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
		return;
	}
	struct tv *ctx = page_ctx(r, arena_printf(a, "発表の日程（%s）", s->name), NAV_NONE);
	tv_set(ctx, "stage", stage_tv(r, s, now));
	if (why)
		tv_set_str(ctx, "form_message", why);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "position", ps[i].position);
		tv_set_str(o, "starts", when(a, ps[i].starts_at));
		tv_set_int(o, "duration", ps[i].duration_min);
		tv_set_str(o, "receipt_no", ps[i].receipt_no);
		tv_set_str(o, "title", ps[i].title);
		tv_set_str(o, "group_name", ps[i].group_name);
		tv_set_str(o, "venue", ps[i].venue);
		tv_set_str(o, "video_url", ps[i].video_url);
		tv_set_str(o, "delete_url",
			   arena_printf(a, "/admin/screening/stages/%lld/presentations/%lld/delete",
					(long long)s->id, (long long)ps[i].proposal_id));
		tv_push(list, o);
	}
	tv_set(ctx, "slots", list);
	tv_set_bool(ctx, "has_slots", n > 0);
	tv_set_str(ctx, "public_url",
		   arena_printf(a, "/challenge/calls/%lld/presentations", (long long)s->call_id));
	if (is_admin(r)) {
		struct tv *sub = tv_obj(a);
		/* The proposal select and the slot's fields, as one form. */
		struct field_spec spec[PF__MAX + RPF__MAX];
		spec[0] = presentation_proposal_field[0];
		for (size_t i = 0; i < RPF__MAX; i++)
			spec[1 + i] = review_presentation_fields[i];
		const char *d[PF__MAX + RPF__MAX] = {0};
		d[1 + RPF_POSITION] = num(a, (int64_t)n + 1);
		d[1 + RPF_STARTS_AT] = dt_value(
		    a, n ? ps[n - 1].starts_at + 60 * ps[n - 1].duration_min : s->opens_at);
		d[1 + RPF_DURATION] = n ? num(a, ps[n - 1].duration_min) : "15";
		d[1 + RPF_VENUE] = n ? ps[n - 1].venue : NULL;
		struct tv *fields = page_form(r, sub, spec, PF__MAX + RPF__MAX, f, d);
		struct tv *opts = tv_list(a);
		const char *chosen = f ? form_s(f, 0) : "";
		struct tv *blank = tv_obj(a);
		tv_set_str(blank, "value", "");
		tv_set_str(blank, "label", "選択してください");
		tv_push(opts, blank);
		for (size_t i = 0; i < ne; i++) {
			struct tv *o = tv_obj(a);
			const char *v = num(a, es[i].proposal_id);
			tv_set_str(o, "value", v);
			tv_set_str(o, "label",
				   arena_printf(a, "%s %s（%s）", es[i].receipt_no, es[i].title,
						es[i].group_name));
			tv_set_bool(o, "selected", strcmp(chosen, v) == 0);
			tv_push(opts, o);
		}
		struct tv *field = tv_get(fields, "proposal");
		tv_set(field, "options", opts);
		tv_set_bool(field, "select", true);
		field_hint(r, fields, "proposal",
			   "すでに日程がある提案を選ぶと、その日程を置き換えます。");
		field_hint(r, fields, "venue",
			   "会場か発表動画のURLの、どちらかを入力してください。");
		tv_set(ctx, "slot_form", sub);
		tv_set_bool(ctx, "can_edit", true);
	}
	page_render(r, status, "screening/presentations_admin", ctx);
}

static bool load_presentation_stage(struct req *r, struct db *db, struct review_stage *s)
{
	if (!load_stage(r, db, s, NULL, NULL))
		return false;
	if (strcmp(s->kind, "presentation") != 0) {
		web_error(r, 404, "この審査段階はプレゼンテーション審査ではありません。");
		return false;
	}
	return true;
}

void h_screening_presentations(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	if (!db || !load_presentation_stage(r, db, &s))
		return;
	if (r->nargs) {
		web_error(r, 400, bad_query);
		return;
	}
	presentations_page(r, db, 200, &s, NULL, NULL);
}

void h_screening_presentation_save(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	if (!db || !load_presentation_stage(r, db, &s))
		return;
	struct field_spec spec[PF__MAX + RPF__MAX];
	spec[0] = presentation_proposal_field[0];
	for (size_t i = 0; i < RPF__MAX; i++)
		spec[1 + i] = review_presentation_fields[i];
	struct form f;
	if (!check_form(r, spec, PF__MAX + RPF__MAX, &f))
		return;
	if (f.nerrors) {
		presentations_page(r, db, 422, &s, &f, NULL);
		return;
	}
	struct review_presentation p = {
	    .stage_id = s.id,
	    .proposal_id = f.v[0].i,
	    .position = f.v[1 + RPF_POSITION].i,
	    .starts_at = f.v[1 + RPF_STARTS_AT].i,
	    .duration_min = f.v[1 + RPF_DURATION].i,
	    .venue = form_s(&f, 1 + RPF_VENUE),
	    .video_url = form_s(&f, 1 + RPF_VIDEO_URL),
	};
	const char *why = NULL;
	enum review_rc rc = review_presentation_save(db, &r->arena, &s, &p, r->user->id, &why);
	if (rc == REVIEW_INVALID || rc == REVIEW_NOT_FOUND) {
		form_error(&f, rc == REVIEW_INVALID ? 1 + RPF_VENUE : 0, why);
		presentations_page(r, db, 422, &s, &f, NULL);
		return;
	}
	if (rc != REVIEW_OK) {
		refuse(r, rc, why);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/admin/screening/stages/%lld/presentations",
				      (long long)s.id));
}

void h_screening_presentation_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	if (!db || !load_presentation_stage(r, db, &s))
		return;
	int64_t pid = req_param_id(r, 1);
	if (r->nform) {
		web_error(r, 400, bad_fields);
		return;
	}
	enum review_rc rc = pid < 0
				? REVIEW_NOT_FOUND
				: review_presentation_delete(db, &r->arena, s.id, pid, r->user->id);
	if (rc != REVIEW_OK) {
		refuse(r, rc,
		       rc == REVIEW_NOT_FOUND ? "お探しの発表日程は見つかりませんでした。" : NULL);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/admin/screening/stages/%lld/presentations",
				      (long long)s.id));
}

enum { PUB_ON, PUB__MAX };
static const struct field_spec public_fields[PUB__MAX] = {
    [PUB_ON] = {"public", "一般に公開する", F_BOOL, false, 5, 0, 0, NULL},
};

void h_screening_public(struct req *r)
{
	struct db *db = page_db(r);
	struct review_stage s;
	if (!db || !load_presentation_stage(r, db, &s))
		return;
	struct form f;
	if (!check_form(r, public_fields, PUB__MAX, &f))
		return;
	if (f.nerrors) {
		web_error(r, 400, bad_fields);
		return;
	}
	enum review_rc rc = review_set_public(db, s.id, f.v[PUB_ON].i != 0, r->user->id);
	if (rc != REVIEW_OK) {
		refuse(r, rc, NULL);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/admin/screening/stages/%lld/presentations",
				      (long long)s.id));
}

/*
 * GET /challenge/calls/{id}/presentations: the presentation schedule of a
 * published call.  Everyone sees a stage's schedule once the office makes
 * it public; before that, applicants see their own proposals' slots and
 * staff see everything.
 */
void h_presentations(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	if (r->nargs) {
		web_error(r, 400, bad_query);
		return;
	}
	struct arena *a = &r->arena;
	int64_t id = req_param_id(r, 0);
	struct call c;
	if (id < 0 || call_get(db, a, id, &c) != CALL_OK || !c.published) {
		web_error(r, 404, "お探しの募集は見つかりませんでした。");
		return;
	}
	struct review_stage *stages;
	size_t n;
	if (review_stages(db, a, c.id, &stages, &n) != REVIEW_OK) {
		web_error(r, 503, review_rc_message(REVIEW_ERROR));
		return;
	}
	bool staff = r->user && (r->user->roles & PERM_STAFF);
	struct tv *ctx = page_ctx(r, arena_printf(a, "発表の日程（%s）", c.title), NAV_CHALLENGE);
	struct tv *co = tv_obj(a);
	tv_set_int(co, "id", c.id);
	tv_set_str(co, "title", c.title);
	tv_set_str(co, "fy_label", fy_label(a, c.fiscal_year));
	tv_set(ctx, "call", co);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(stages[i].kind, "presentation") != 0)
			continue;
		struct review_presentation *ps;
		size_t np;
		if (review_presentations(db, a, stages[i].id, &ps, &np) != REVIEW_OK) {
			web_error(r, 503, review_rc_message(REVIEW_ERROR));
			return;
		}
		bool everyone = stages[i].presentations_public || staff;
		struct tv *rows = tv_list(a);
		for (size_t k = 0; k < np; k++) {
			bool own = !everyone && r->user &&
				   review_is_applicant(db, ps[k].proposal_id, r->user->id);
			if (!everyone && !own)
				continue;
			struct tv *o = tv_obj(a);
			tv_set_int(o, "position", ps[k].position);
			tv_set_str(o, "starts", when(a, ps[k].starts_at));
			tv_set_str(o, "starts_iso", dt_value(a, ps[k].starts_at));
			tv_set_int(o, "duration", ps[k].duration_min);
			tv_set_str(o, "group_name", ps[k].group_name);
			tv_set_str(o, "title", ps[k].title);
			tv_set_str(o, "category", ps[k].category_name);
			tv_set_str(o, "venue", ps[k].venue);
			tv_set_str(o, "video_url", ps[k].video_url);
			tv_set_bool(o, "own", own);
			tv_push(rows, o);
		}
		if (!tv_len(rows))
			continue;
		struct tv *so = tv_obj(a);
		tv_set_str(so, "name", stages[i].name);
		tv_set_int(so, "id", stages[i].id);
		tv_set_bool(so, "public", stages[i].presentations_public);
		tv_set(so, "rows", rows);
		tv_push(list, so);
	}
	tv_set(ctx, "stages", list);
	tv_set_bool(ctx, "has_stages", tv_len(list) > 0);
	page_render(r, 200, "screening/presentations", ctx);
}

/* ---- attachments through /files/{id} ---- */

bool web_review_file_visible(struct req *r, struct db *db, const struct stored_file *f)
{
	if (!r->user || !(r->user->roles & ROLE_REVIEWER))
		return false;
	int64_t ids[16];
	size_t n = 0;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_FILE_OWNERS);
	db_bind_int(st, 1, f->id);
	while (db_step(st) == DB_ROW) {
		if (n == sizeof(ids) / sizeof(ids[0])) {
			db_reset(st);
			break;
		}
		ids[n++] = db_int(st, 0);
	}
	int64_t now = now_s();
	for (size_t i = 0; i < n; i++)
		if (review_can_read(db, &r->arena, ids[i], r->user->id, now))
			return true;
	return false;
}
