/*
 * 審査 (screening): the reviewers' workspace — /review, the list of the
 * stages assigned to the reviewer with their queues, and one proposal of a
 * queue: the proposal read-only, the reviewer's own score sheet and the
 * declaration of a conflict of interest; and the reviewers' rule for
 * attachments at /files/{id}.  See screening_common.c for who sees what.
 */
#include "challenge/budget.h"
#include "challenge/handlers.h"
#include "challenge/proposal.h"
#include "challenge/screening_internal.h"
#include "core/role.h"
#include "core/who.h"
#include "files/files.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>

/* ---- the list of stages ---- */

/* How a queue shows an item's sheet: its words and its badge. */
struct sheet_state {
	const char *key, *badge;
};

static struct sheet_state sheet_state(const struct review_item *it)
{
	if (it->recused)
		return (struct sheet_state){"screening.sheet.recused", ""};
	if (strcmp(it->sheet_status, "submitted") == 0)
		return (struct sheet_state){"screening.sheet.submitted", "badge--success"};
	if (strcmp(it->sheet_status, "draft") == 0)
		return (struct sheet_state){"screening.sheet.draft", "badge--warning"};
	return (struct sheet_state){"screening.sheet.untouched", "badge--error"};
}

/* The rows of a stage's queue (none before the window opens). */
static struct tv *queue_rows(struct req *r, const struct review_stage *s, int64_t now,
			     const struct review_item *items, size_t n)
{
	struct arena *a = &r->arena;
	struct tv *rows = tv_list(a);
	for (size_t k = 0; k < n && review_stage_phase(s, now) != REVIEW_PHASE_BEFORE; k++) {
		struct tv *x = tv_obj(a);
		tv_set_str(x, "receipt_no", items[k].e.receipt_no);
		tv_set_str(x, "title", scr_title(items[k].e.title));
		tv_set_str(x, "group_name", items[k].e.group_name);
		tv_set_str(x, "category", items[k].e.category_name);
		struct sheet_state st = sheet_state(&items[k]);
		tv_set_str(x, "status", msg(st.key));
		tv_set_str(x, "badge", st.badge);
		tv_set_str(x, "url",
			   arena_printf(a, "/review/stages/%lld/proposals/%lld", (long long)s->id,
					(long long)items[k].e.proposal_id));
		tv_push(rows, x);
	}
	return rows;
}

void h_review(struct req *r)
{
	struct db *db = page_db(r);
	if (!db || !scr_no_query(r))
		return;
	struct arena *a = &r->arena;
	int64_t now = scr_now();
	struct review_stage *stages;
	size_t n;
	if (review_stages_unclosed(db, a, &stages, &n) != RC_OK) {
		scr_refuse(r, RC_ERROR, NULL);
		return;
	}
	struct tv *ctx = page_ctx(r, msg("screening.title.review"), NAV_CHALLENGE);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct review_stage *s = &stages[i];
		struct review_item *items;
		size_t ni;
		struct review_progress pg;
		if (review_queue(db, a, s, r->user->id, now, &items, &ni, &pg) != RC_OK) {
			scr_refuse(r, RC_ERROR, NULL);
			return;
		}
		if (!ni)
			continue; /* not assigned, or nothing to review */
		struct tv *o = scr_stage_tv(r, s, now);
		tv_set_str(o, "progress",
			   msgf(a, "screening.progress.scored", scr_num(a, (int64_t)pg.submitted),
				scr_num(a, (int64_t)pg.total)));
		tv_set_bool(o, "done", pg.total && pg.submitted == pg.total);
		if (pg.recused) {
			tv_set_int(o, "recused", (int64_t)pg.recused);
			tv_set_str(
			    o, "recused_label",
			    msgf(a, "screening.review.recused", scr_num(a, (int64_t)pg.recused)));
		}
		tv_set_str(o, "queue_caption", msgf(a, "screening.review.queue_caption", s->name));
		tv_set(o, "items", queue_rows(r, s, now, items, ni));
		tv_push(list, o);
	}
	tv_set(ctx, "stages", list);
	tv_set_bool(ctx, "has_stages", tv_len(list) > 0);
	page_render(r, 200, "screening/review", ctx);
}

/* ---- one proposal ---- */

enum { RQ_DONE, RQ__MAX };
static const char *const review_done_codes[] = {"draft", "submitted", "conflict", NULL};
static const struct field_spec review_query[RQ__MAX] = {
    [RQ_DONE] = {"done", "screening.field.done", F_CHOICE, false, 20, 0, 0, review_done_codes},
};

enum { CFF_REASON, CFF__MAX };
static const struct field_spec conflict_fields[CFF__MAX] = {
    [CFF_REASON] = {"conflict_reason", "screening.field.conflict_reason", F_TEXT, true,
		    REVIEW_REASON_MAX, 0, 0, NULL},
};

/* The group's earlier years, for a continuation. */
static struct tv *history_tv(struct req *r, struct db *db, const struct proposal *p)
{
	struct arena *a = &r->arena;
	struct review_history *h;
	size_t n = review_history_of(db, a, p->group_id, p->fiscal_year, p->id, &h);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "year", scr_fy_label(a, h[i].fiscal_year));
		tv_set_str(o, "title", h[i].title);
		tv_set_str(o, "category", h[i].category_name);
		tv_set_bool(o, "adopted", h[i].adopted);
		if (h[i].grant_yen)
			tv_set_str(
			    o, "grant",
			    msgf(a, "screening.history.grant", budget_yen(a, h[i].grant_yen)));
		if (*h[i].receipt_no)
			tv_set_str(o, "receipt_no",
				   msgf(a, "screening.history.receipt_no", h[i].receipt_no));
		tv_push(list, o);
	}
	return list;
}

/* The reviewer's own sheet, read-only. */
static struct tv *own_sheet_tv(struct arena *a, const struct review_sheet *sh,
			       const struct review_criterion *crit, size_t ncrit)
{
	struct tv *o = tv_obj(a);
	bool submitted = strcmp(sh->status, "submitted") == 0;
	tv_set_bool(o, "submitted", submitted);
	tv_set_str(o, "status_label",
		   msg(submitted ? "screening.sheet.submitted" : "screening.sheet.draft"));
	tv_set_str(o, "updated_at", scr_when(a, sh->updated_at));
	tv_set_str(o, "submitted_at", scr_when(a, sh->submitted_at));
	struct tv *rows = tv_list(a);
	for (size_t i = 0; i < ncrit; i++) {
		struct tv *x = tv_obj(a);
		tv_set_str(x, "name", crit[i].name);
		tv_set_str(x, "score",
			   sh->has_score[i] ? scr_num(a, sh->scores[i])
					    : msg("screening.sheet.no_score"));
		tv_push(rows, x);
	}
	tv_set(o, "scores", rows);
	tv_set_str(o, "comment", sh->comment);
	return o;
}

/* The words after a redirect (?done=), by code. */
static const char *done_text(const char *done)
{
	static const char *const keys[] = {"screening.done.draft", "screening.done.submitted",
					   "screening.done.conflict"};
	for (size_t i = 0; done && review_done_codes[i]; i++)
		if (strcmp(done, review_done_codes[i]) == 0)
			return msg(keys[i]);
	return NULL;
}

/*
 * The reviewer's page for one proposal: the proposal read-only (the body
 * is web_proposal_tv(), the same object the applicants' pages draw,
 * without the controls), the group's earlier years for a continuation,
 * the reviewer's own sheet (a form while the window is open), and the
 * conflict declaration.  sheet_f and conflict_f carry a refused form's
 * errors; notice is the words of a refusal for the whole form.
 */
static void review_page(struct req *r, const struct scr_stage *x, int status, int64_t proposal_id,
			const struct form *sheet_f, const struct form *conflict_f, const char *done,
			const char *notice)
{
	struct arena *a = &r->arena;
	struct db *db = x->db;
	const struct review_stage *s = &x->s;
	int64_t now = scr_now();
	struct review_why why = {NULL, {NULL}};
	enum rc rc = review_may_score(db, a, s, proposal_id, r->user->id, now, &why);
	const char *reason = NULL;
	bool automatic = false;
	bool recused = review_recusal(db, a, s->id, proposal_id, r->user->id, &reason, &automatic);
	if (rc == RC_NOT_FOUND || rc == RC_ERROR || (rc == RC_FORBIDDEN && !recused)) {
		scr_refuse(r, rc, &why);
		return;
	}
	struct proposal p;
	if (proposal_get(db, a, proposal_id, &p) != RC_OK) {
		web_error(r, 404, msg("screening.err.proposal_not_found"));
		return;
	}
	struct tv *ctx =
	    page_ctx(r, msgf(a, "screening.title.proposal", p.title, s->name), NAV_CHALLENGE);
	tv_set(ctx, "stage", scr_stage_tv(r, s, now));
	tv_set(ctx, "p", web_proposal_tv(r, db, &p));
	if (p.previous_id) {
		struct tv *h = history_tv(r, db, &p);
		tv_set(ctx, "history", h);
		tv_set_bool(ctx, "is_continuation", true);
		tv_set_bool(ctx, "has_history", tv_len(h) > 0);
	}
	if (done_text(done))
		tv_set_str(ctx, "done", done_text(done));
	if (notice)
		tv_set_str(ctx, "notice", notice);
	if (recused) {
		tv_set_str(ctx, "recusal_reason", reason);
		tv_set_str(ctx, "recusal_text", msgf(a, "screening.review.recusal_text", reason));
		tv_set_bool(ctx, "recusal_automatic", automatic);
	}
	struct review_sheet sh;
	bool has_sheet =
	    review_sheet_get(db, a, s, x->crit, x->ncrit, proposal_id, r->user->id, &sh) == RC_OK;
	if (has_sheet)
		tv_set(ctx, "sheet", own_sheet_tv(a, &sh, x->crit, x->ncrit));
	/* The form, while the reviewer may score. */
	if (rc == RC_OK) {
		struct tv *sub = tv_obj(a);
		struct field_spec *spec = scr_sheet_spec(a, s, x->crit, x->ncrit, false);
		scr_sheet_form(r, sub, s, x->crit, x->ncrit, spec, sheet_f, has_sheet ? &sh : NULL,
			       x->ncrit + 1);
		tv_set_str(sub, "action",
			   arena_printf(a, "/review/stages/%lld/proposals/%lld", (long long)s->id,
					(long long)proposal_id));
		tv_set(ctx, "score_form", sub);
	} else if (!recused) {
		tv_set_str(ctx, "closed_message", scr_why(r, rc, &why));
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
	struct scr_stage x;
	int64_t pid;
	struct form q;
	if (!scr_open_proposal(r, &x, &pid) ||
	    !page_query(r, review_query, RQ__MAX, &q, "screening.err.bad_query"))
		return;
	review_page(r, &x, 200, pid, NULL, NULL, q.v[RQ_DONE].present ? form_s(&q, RQ_DONE) : NULL,
		    NULL);
}

void h_review_score(struct req *r)
{
	struct scr_stage x;
	int64_t pid;
	if (!scr_open_proposal(r, &x, &pid))
		return;
	struct arena *a = &r->arena;
	struct field_spec *spec = scr_sheet_spec(a, &x.s, x.crit, x.ncrit, false);
	struct form f;
	if (!scr_check_form(r, spec, x.ncrit + 2, &f))
		return;
	/* Who and when first: a refused reviewer learns nothing from the
	 * validation of their numbers. */
	struct review_why why = {NULL, {NULL}};
	int64_t now = scr_now();
	enum rc rc = review_may_score(x.db, a, &x.s, pid, r->user->id, now, &why);
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	bool submit = strcmp(form_s(&f, x.ncrit + 1), "submit") == 0;
	scr_sheet_messages(a, &f, x.ncrit, submit);
	if (f.nerrors) {
		review_page(r, &x, 422, pid, &f, NULL, NULL, NULL);
		return;
	}
	struct review_input in;
	scr_sheet_input(a, &f, x.ncrit, &in);
	in.submit = submit;
	rc = review_sheet_save(x.db, a, &x.s, x.crit, x.ncrit, pid, r->user->id, &in, now, NULL,
			       &why);
	if (rc == RC_INVALID) {
		review_page(r, &x, 422, pid, &f, NULL, NULL, scr_why(r, rc, &why));
		return;
	}
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	resp_redirect(r, arena_printf(a, "/review/stages/%lld/proposals/%lld?done=%s",
				      (long long)x.s.id, (long long)pid,
				      submit ? "submitted" : "draft"));
}

void h_review_conflict(struct req *r)
{
	struct scr_stage x;
	int64_t pid;
	struct form f;
	if (!scr_open_proposal(r, &x, &pid) || !scr_check_form(r, conflict_fields, CFF__MAX, &f))
		return;
	struct arena *a = &r->arena;
	struct review_why why = {NULL, {NULL}};
	enum rc rc;
	if (f.nerrors) {
		/* The same checks as a declaration, before showing the form again. */
		rc = review_may_score(x.db, a, &x.s, pid, r->user->id, scr_now(), &why);
		if (rc == RC_NOT_FOUND || rc == RC_FORBIDDEN) {
			scr_refuse(r, rc, &why);
			return;
		}
		review_page(r, &x, 422, pid, NULL, &f, NULL, NULL);
		return;
	}
	rc = review_declare_conflict(x.db, a, &x.s, pid, r->user->id, form_s(&f, CFF_REASON),
				     scr_now(), &why);
	if (rc != RC_OK) {
		scr_refuse(r, rc, &why);
		return;
	}
	resp_redirect(r, arena_printf(a, "/review/stages/%lld/proposals/%lld?done=conflict",
				      (long long)x.s.id, (long long)pid));
}

/* ---- attachments through /files/{id} ---- */

bool web_review_file_visible(struct req *r, struct db *db, const struct stored_file *f)
{
	if (!who_has(r->user, ROLE_REVIEWER))
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
	int64_t now = scr_now();
	for (size_t i = 0; i < n; i++)
		if (review_can_read(db, &r->arena, ids[i], r->user->id, now))
			return true;
	return false;
}
