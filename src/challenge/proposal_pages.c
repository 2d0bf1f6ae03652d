/*
 * 企画提案書 (proposals): the applicants' pages (list, start, the long
 * form saved over several sittings, submission and its receipt,
 * withdrawal, partner confirmation), the proposal page with the office's
 * reopening, and the A4 print view.  The office's list and exports are in
 * proposal_office.c, the JSON API in proposal_api.c.  Rules live in
 * challenge/proposal.c; this file turns requests into calls to it and
 * results into pages.
 *
 * Who sees what is proposal_access() (challenge/proposal.h): staff see
 * every proposal; a member of the lead group sees, edits, submits and
 * withdraws it; a member of a partner group sees it and confirms; staff
 * of the partner division of its adoption read it; anyone else gets 404
 * for the page and 403 for an edit.  Residents who are not logged in see
 * none.
 */
#include "accounts/membership.h"
#include "challenge/adoption.h"
#include "challenge/call.h"
#include "challenge/handlers.h"
#include "challenge/proposal_web.h"
#include "core/role.h"
#include "core/who.h"
#include "files/files.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

/* ---- shared by the proposal pages, the office and the API ---- */

int64_t proposal_web_now(void)
{
	return (int64_t)time(NULL);
}

bool proposal_web_check(struct req *r, const struct field_spec *spec, size_t n, const struct kv *kv,
			size_t nkv, bool strict, const char *why, struct form *f)
{
	form_check(&r->arena, spec, n, kv, nkv, f);
	if (f->unknown || f->repeated || (strict && f->nerrors)) {
		web_error(r, 400, msg(why));
		return false;
	}
	return true;
}

bool proposal_web_load(struct req *r, struct db *db, enum access_act act, struct proposal *p)
{
	int64_t id = req_param_id(r, 0);
	bool may = id >= 0 && proposal_access(db, r->user, id, act);
	if (id < 0 || proposal_get(db, &r->arena, id, p) != RC_OK || (act == ACCESS_VIEW && !may)) {
		web_error(r, 404, msg("proposals.rc.not_found"));
		return false;
	}
	if (!may) {
		web_error(r, 403,
			  msg(act == ACCESS_EDIT ? "proposals.err.not_applicant"
						 : "proposals.rc.forbidden"));
		return false;
	}
	return true;
}

bool proposal_web_load_draft(struct req *r, struct db *db, struct proposal *p)
{
	if (!proposal_web_load(r, db, ACCESS_EDIT, p))
		return false;
	if (!proposal_status_editable(p->status)) {
		web_error(r, 409, msg(proposal_rc_key(RC_STATE)));
		return false;
	}
	return true;
}

const char *proposal_web_status(const char *status)
{
	const char *key = proposal_status_label_key(status);
	return key ? msg(key) : status ? status : "";
}

const char *proposal_web_problem(struct arena *a, const struct proposal_problem *p)
{
	return msg_format(a, p->key, p->args);
}

const char *proposal_web_fiscal_year(struct arena *a, int64_t fy)
{
	struct buf b = BUF_INIT;
	jp_fiscal_year_label(&b, (int)fy);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

const char *proposal_web_when(struct arena *a, int64_t t)
{
	return t ? page_datetime(a, t) : NULL;
}

/* 12,000円: an amount with its unit, for sentences. */
static const char *yen_words(struct arena *a, int64_t v)
{
	return msgf(a, "proposals.yen", budget_yen(a, v));
}

static const char *title_of(const char *title)
{
	return *title ? title : msg("proposals.untitled");
}

static const char *status_badge(const char *status)
{
	if (strcmp(status, "submitted") == 0)
		return "badge--success";
	if (strcmp(status, "reopened") == 0)
		return "badge--warning";
	if (strcmp(status, "withdrawn") == 0)
		return "badge--error";
	return "";
}

static struct tv *summary_tv(struct arena *a, const struct proposal_summary *s)
{
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", s->id);
	tv_set_str(o, "title", title_of(s->title));
	tv_set_str(o, "status_label", proposal_web_status(s->status));
	tv_set_str(o, "status_badge", status_badge(s->status));
	tv_set_str(o, "receipt_no", *s->receipt_no ? s->receipt_no : NULL);
	tv_set_str(o, "group_name", s->group_name);
	tv_set_str(o, "call_title", s->call_title);
	tv_set_str(o, "category_name", s->category_name);
	tv_set_str(o, "division_name", *s->division_name ? s->division_name : NULL);
	tv_set_str(o, "requested", budget_yen(a, s->requested));
	tv_set_str(o, "requested_yen", yen_words(a, s->requested));
	tv_set_str(o, "submitted_at", proposal_web_when(a, s->submitted_at));
	tv_set_str(o, "updated_at", proposal_web_when(a, s->updated_at));
	return o;
}

void proposal_web_list(struct arena *a, struct tv *ctx, const struct proposal_summary *items,
		       size_t n)
{
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(list, summary_tv(a, &items[i]));
	tv_set(ctx, "proposals", list);
	tv_set_bool(ctx, "has_proposals", n > 0);
}

struct tv *proposal_web_options(struct arena *a, const char *blank_key, const int64_t *ids,
				const char *const *labels, size_t n, int64_t chosen)
{
	struct tv *list = tv_list(a);
	struct tv *o = tv_obj(a);
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", msg(blank_key));
	tv_set_bool(o, "selected", chosen == 0);
	tv_push(list, o);
	for (size_t i = 0; i < n; i++) {
		o = tv_obj(a);
		tv_set_str(o, "value", arena_printf(a, "%lld", (long long)ids[i]));
		tv_set_str(o, "label", labels[i]);
		tv_set_bool(o, "selected", ids[i] == chosen);
		tv_push(list, o);
	}
	return list;
}

size_t proposal_web_draft_problems(struct db *db, struct arena *a, const struct proposal *p,
				   const struct proposal_draft *d, const struct form *f,
				   struct proposal_problem **out)
{
	*out = NULL;
	if (!d->submit)
		return 0;
	bool bad_sched = false, bad_budget = false, bad_partner = false;
	for (size_t i = 0; i < PRF__MAX; i++) {
		if (!f->v[i].error)
			continue;
		bad_sched |= i >= PRF_SCHED && i < PRF_INCOME;
		bad_budget |= i >= PRF_INCOME;
		bad_partner |= i >= PRF_PARTNER && i < PRF_PARTNER + PROPOSAL_PARTNER_SLOTS;
	}
	struct proposal_problem *ps;
	size_t n = proposal_check_draft(db, a, p, d, proposal_web_now(), &ps), k = 0;
	for (size_t i = 0; i < n; i++) {
		if ((bad_sched && strcmp(ps[i].field, "schedule") == 0) ||
		    (bad_budget && strcmp(ps[i].field, "budget") == 0) ||
		    (bad_partner && strcmp(ps[i].field, "partners") == 0))
			continue;
		ps[k++] = ps[i];
	}
	*out = ps;
	return k;
}

/* ---- the body of a proposal ---- */

static const char *size_label(struct arena *a, int64_t n)
{
	if (n >= 1024 * 1024)
		return arena_printf(a, "%.1fMB", (double)n / (1024.0 * 1024.0));
	if (n >= 1024)
		return arena_printf(a, "%lldKB", (long long)((n + 1023) / 1024));
	return msgf(a, "proposals.file.bytes", arena_printf(a, "%lld", (long long)n));
}

static const char *kind_of_mime(const char *mime)
{
	if (strcmp(mime, "application/pdf") == 0)
		return "PDF";
	if (strcmp(mime, "image/png") == 0)
		return msg("proposals.file.png");
	if (strcmp(mime, "image/jpeg") == 0)
		return msg("proposals.file.jpeg");
	return mime;
}

static struct tv *budget_rows(struct arena *a, const struct proposal *p, enum budget_kind kind)
{
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < p->nbudget; i++) {
		const struct budget_line *l = &p->budget[i];
		if (l->kind != kind)
			continue;
		struct tv *o = tv_obj(a);
		tv_set_int(o, "position", l->position);
		tv_set_str(o, "item", l->item);
		tv_set_str(o, "unit_price", budget_yen(a, l->unit_price));
		tv_set_str(o, "quantity", budget_yen(a, l->quantity));
		tv_set_str(o, "amount", budget_yen(a, l->amount));
		tv_push(list, o);
	}
	return list;
}

/* The schedule, the budget and its category's terms. */
static void plan_tv(struct db *db, struct arena *a, const struct proposal *p, struct tv *o)
{
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < p->nschedule; i++) {
		struct tv *s = tv_obj(a);
		tv_set_str(s, "when", p->schedule[i].when);
		tv_set_str(s, "what", p->schedule[i].what);
		tv_push(list, s);
	}
	tv_set(o, "schedule", list);
	tv_set_bool(o, "has_schedule", p->nschedule > 0);

	tv_set(o, "income", budget_rows(a, p, BUDGET_INCOME));
	tv_set(o, "expense", budget_rows(a, p, BUDGET_EXPENSE));
	tv_set_bool(o, "has_budget", p->nbudget > 0);
	tv_set_str(o, "income_total", budget_yen(a, p->totals.income));
	tv_set_str(o, "expense_total", budget_yen(a, p->totals.expense));
	tv_set_str(o, "requested", budget_yen(a, p->totals.requested));
	tv_set_str(o, "requested_yen", yen_words(a, p->totals.requested));
	struct category k;
	if (category_get(db, a, p->category_id, &k) == RC_OK) {
		tv_set_str(o, "cap", budget_yen(a, k.cap_yen));
		tv_set_str(o, "cap_note",
			   msgf(a, "proposals.body.cap_note", budget_yen(a, k.cap_yen)));
		tv_set_bool(o, "over_cap", p->totals.requested > k.cap_yen);
		tv_set_str(o, "deadline", proposal_web_when(a, k.deadline_at));
		tv_set_bool(o, "joint", k.min_groups >= 2);
		tv_set_int(o, "min_groups", k.min_groups);
	}
}

/* The partners with their confirmations, and the attachments. */
static void parties_tv(struct arena *a, const struct proposal *p, struct tv *o)
{
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < p->npartners; i++) {
		const struct proposal_partner *x = &p->partners[i];
		struct tv *g = tv_obj(a);
		tv_set_int(g, "group_id", x->group_id);
		tv_set_str(g, "name", x->group_name);
		tv_set_bool(g, "confirmed", x->confirmed_at != 0);
		tv_set_str(g, "confirmed_at", proposal_web_when(a, x->confirmed_at));
		tv_set_str(g, "confirmed_by", x->confirmed_by_name);
		tv_push(list, g);
	}
	tv_set(o, "partners", list);
	tv_set_bool(o, "has_partners", p->npartners > 0);

	list = tv_list(a);
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct proposal_file *f = &p->files[i];
		struct tv *x = tv_obj(a);
		tv_set_int(x, "id", f->id);
		tv_set_int(x, "file_id", f->file_id);
		tv_set_str(x, "title", *f->title ? f->title : f->name);
		tv_set_str(x, "name", f->name);
		tv_set_str(x, "remove_label",
			   msgf(a, "proposals.form.remove_file", *f->title ? f->title : f->name));
		tv_set_str(
		    x, "meta",
		    msgf(a, "proposals.file.meta", kind_of_mime(f->mime), size_label(a, f->size)));
		tv_push(list, x);
	}
	tv_set(o, "files", list);
	tv_set_bool(o, "has_files", p->nfiles > 0);
}

/* Everything the view, print and receipt pages show of p. */
struct tv *web_proposal_tv(struct req *r, struct db *db, const struct proposal *p)
{
	struct arena *a = &r->arena;
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", p->id);
	tv_set_str(o, "title", title_of(p->title));
	tv_set_str(o, "status", p->status);
	tv_set_str(o, "status_label", proposal_web_status(p->status));
	tv_set_str(o, "status_badge", status_badge(p->status));
	tv_set_bool(o, "is_draft", strcmp(p->status, "draft") == 0);
	tv_set_bool(o, "is_submitted", strcmp(p->status, "submitted") == 0);
	tv_set_bool(o, "is_reopened", strcmp(p->status, "reopened") == 0);
	tv_set_bool(o, "is_withdrawn", strcmp(p->status, "withdrawn") == 0);
	tv_set_str(o, "receipt_no", *p->receipt_no ? p->receipt_no : NULL);
	tv_set_int(o, "group_id", p->group_id);
	tv_set_str(o, "group_name", p->group_name);
	tv_set_int(o, "call_id", p->call_id);
	tv_set_str(o, "call_title", p->call_title);
	tv_set_str(o, "fiscal_year", proposal_web_fiscal_year(a, p->fiscal_year));
	tv_set_str(o, "category_name", p->category_name);
	tv_set_str(o, "division_name", *p->division_name ? p->division_name : NULL);
	if (p->previous_id) {
		tv_set_str(
		    o, "previous_line",
		    msgf(a, "proposals.body.continues", p->previous_title, p->previous_receipt_no));
		tv_set_str(o, "previous_title", p->previous_title);
		tv_set_str(o, "previous_receipt_no", p->previous_receipt_no);
		tv_set_int(o, "previous_id", p->previous_id);
	}
	/* Long text: "x" says whether it is there, "x_html" shows it. */
	const struct {
		const char *key, *html, *value;
	} texts[] = {
	    {"summary", "summary_html", p->summary},
	    {"background", "background_html", p->background},
	    {"purpose", "purpose_html", p->purpose},
	    {"content", "content_html", p->content},
	    {"roles_group", "roles_group_html", p->roles_group},
	    {"roles_city", "roles_city_html", p->roles_city},
	    {"effect", "effect_html", p->effect},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		tv_set_str(o, texts[i].key, texts[i].value);
		tv_set(o, texts[i].html, page_text_html(a, texts[i].value));
	}
	if (strcmp(p->status, "reopened") == 0 && *p->reopen_reason)
		tv_set_str(o, "reopen_reason", p->reopen_reason);
	tv_set_str(o, "submitted_at", proposal_web_when(a, p->submitted_at));
	tv_set_str(o, "created_at", proposal_web_when(a, p->created_at));
	tv_set_str(o, "updated_at", proposal_web_when(a, p->updated_at));
	tv_set_str(o, "created_by_name", p->created_by_name);
	plan_tv(db, a, p, o);
	parties_tv(a, p, o);

	bool cm, dm;
	proposal_missing_consultations(db, p, &cm, &dm);
	if (cm || dm) {
		struct tv *m = tv_obj(a);
		tv_set_bool(m, "coordinator", cm);
		tv_set_bool(m, "division", dm);
		tv_set(o, "missing", m);
	}
	return o;
}

/* ---- the list ---- */

/* The categories of the current call that accept proposals now or later,
 * as "start a proposal" links. */
static struct tv *open_categories(struct req *r, struct db *db)
{
	struct arena *a = &r->arena;
	struct call c;
	struct tv *list = tv_list(a);
	int64_t now = proposal_web_now();
	if (call_current(db, a, now, &c) != RC_OK)
		return list;
	struct category *cats;
	size_t n;
	if (call_categories(db, a, c.id, &cats, &n) != RC_OK)
		return list;
	for (size_t i = 0; i < n; i++) {
		if (now > cats[i].deadline_at)
			continue;
		struct tv *o = tv_obj(a);
		tv_set_str(o, "call_title", c.title);
		tv_set_str(o, "name", cats[i].name);
		tv_set_str(o, "create_label", msgf(a, "proposals.list.create_for", cats[i].name));
		tv_set_str(o, "url",
			   arena_printf(a, "/proposals/new?call=%lld&category=%lld",
					(long long)c.id, (long long)cats[i].id));
		tv_set_str(o, "deadline", proposal_web_when(a, cats[i].deadline_at));
		tv_set_bool(o, "open", category_is_open(&cats[i], now));
		tv_push(list, o);
	}
	return list;
}

void h_proposals(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	if (who_is_staff(r->user)) {
		proposal_office_list(r, db);
		return;
	}
	if (r->nargs) {
		web_error(r, 400, msg("proposals.err.filter_staff_only"));
		return;
	}
	struct tv *ctx = page_ctx(r, msg("proposals.title.list"), NAV_CHALLENGE);
	struct proposal_summary *items;
	size_t n = 0;
	if (proposal_list_mine(db, a, r->user->id, PROPOSALS_MINE_MAX, &items, &n) != RC_OK) {
		web_error(r, 503, msg("proposals.err.list_failed"));
		return;
	}
	proposal_web_list(a, ctx, items, n);
	if (who_has(r->user, ROLE_MEMBER)) {
		struct tv *open = open_categories(r, db);
		tv_set(ctx, "open_categories", open);
		tv_set_bool(ctx, "has_open", tv_len(open) > 0);
		tv_set_bool(ctx, "member", true);
	}
	page_render(r, 200, "proposals/list", ctx);
}

/* ---- starting a proposal ---- */

/* The new-proposal form for call c (the user's groups and c's categories),
 * with f's values and errors when re-displaying. */
static void new_page(struct req *r, struct db *db, int status, const struct call *c,
		     int64_t category_id, int64_t group_id, const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg("proposals.title.new"), NAV_CHALLENGE);
	tv_set_str(ctx, "call_title", c->title);
	tv_set_str(ctx, "lead", msgf(a, "proposals.new.lead", c->title));
	tv_set_int(ctx, "call_id", c->id);
	const char *defaults[PNF__MAX] = {0};
	defaults[PNF_CALL] = arena_printf(a, "%lld", (long long)c->id);
	struct tv *fields = page_form(r, ctx, proposal_new_fields, PNF__MAX, f, defaults);

	struct category *cats;
	size_t n = 0;
	call_categories(db, a, c->id, &cats, &n);
	int64_t *ids = arena_alloc(a, (n + 1) * sizeof(*ids));
	const char **labels = arena_alloc(a, (n + 1) * sizeof(*labels));
	struct tv *info = tv_list(a);
	int64_t now = proposal_web_now();
	for (size_t i = 0; i < n; i++) {
		ids[i] = cats[i].id;
		labels[i] = cats[i].name;
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", cats[i].name);
		tv_set_str(o, "cap", budget_yen(a, cats[i].cap_yen));
		tv_set_str(o, "cap_yen", yen_words(a, cats[i].cap_yen));
		if (cats[i].min_members)
			tv_set_str(o, "min_members",
				   msgf(a, "proposals.new.min_members",
					arena_printf(a, "%lld", (long long)cats[i].min_members)));
		if (cats[i].min_groups >= 2)
			tv_set_str(o, "min_groups",
				   msgf(a, "proposals.new.min_groups",
					arena_printf(a, "%lld", (long long)cats[i].min_groups)));
		tv_set_str(o, "deadline", proposal_web_when(a, cats[i].deadline_at));
		tv_set_bool(o, "closed", now > cats[i].deadline_at);
		tv_push(info, o);
	}
	tv_set(ctx, "categories", info);
	struct tv *field = tv_get(fields, "category");
	tv_set(field, "options",
	       proposal_web_options(a, "web.select_prompt", ids, labels, n, category_id));
	tv_set_bool(field, "select", true);

	struct membership *ms;
	size_t nm = membership_list(db, a, r->user->id, &ms);
	ids = arena_alloc(a, (nm + 1) * sizeof(*ids));
	labels = arena_alloc(a, (nm + 1) * sizeof(*labels));
	for (size_t i = 0; i < nm; i++) {
		ids[i] = ms[i].group_id;
		labels[i] = ms[i].name;
	}
	if (nm == 1 && !group_id)
		group_id = ids[0];
	field = tv_get(fields, "group");
	tv_set(field, "options",
	       proposal_web_options(a, "web.select_prompt", ids, labels, nm, group_id));
	tv_set_bool(field, "select", true);
	tv_set_bool(ctx, "no_groups", nm == 0);
	page_render(r, status, "proposals/new", ctx);
}

/* The id of field i when given and valid, else 0. */
static int64_t id_of(const struct form *f, size_t i)
{
	return f->v[i].present && !f->v[i].error ? f->v[i].i : 0;
}

void h_proposal_new(struct req *r)
{
	struct db *db = page_db(r);
	struct form f;
	if (!db || !proposal_web_check(r, proposal_new_fields, PNF__MAX, r->args, r->nargs, false,
				       "proposals.err.bad_query", &f))
		return;
	struct call c;
	enum rc crc = id_of(&f, PNF_CALL) ? call_get(db, &r->arena, id_of(&f, PNF_CALL), &c)
					  : call_current(db, &r->arena, proposal_web_now(), &c);
	if (crc != RC_OK || !c.published) {
		web_error(r, 404, msg("proposals.err.no_call"));
		return;
	}
	new_page(r, db, 200, &c, id_of(&f, PNF_CATEGORY), id_of(&f, PNF_GROUP), NULL);
}

/* Where a refused proposal_create() is shown on the new-proposal form. */
static void create_refused(struct req *r, struct form *f, enum rc rc,
			   const struct proposal_problem *why)
{
	switch (rc) {
	case RC_FORBIDDEN:
		form_error(f, PNF_GROUP, "proposals.err.choose_own_group");
		break;
	case RC_NOT_FOUND:
		form_error(f, PNF_CATEGORY, "proposals.err.choose_category_group");
		break;
	case RC_CLOSED:
		form_error(f, PNF_CATEGORY, "proposals.err.category_closed");
		break;
	default: /* RC_INVALID */
		form_error(f, PNF_CATEGORY, proposal_web_problem(&r->arena, why));
		break;
	}
}

void h_proposal_create(struct req *r)
{
	struct db *db = page_db(r);
	struct form f;
	if (!db || !proposal_web_check(r, proposal_new_fields, PNF__MAX, r->form, r->nform, false,
				       "proposals.err.bad_form", &f))
		return;
	struct arena *a = &r->arena;
	struct call c;
	if (!id_of(&f, PNF_CALL) || call_get(db, a, id_of(&f, PNF_CALL), &c) != RC_OK ||
	    !c.published) {
		web_error(r, 404, msg("proposals.err.no_call"));
		return;
	}
	int64_t cat = f.v[PNF_CATEGORY].i, grp = f.v[PNF_GROUP].i;
	if (!f.nerrors) {
		int64_t id = 0;
		struct proposal_problem why;
		enum rc rc = proposal_create(db, a, c.id, cat, grp, r->user->id, proposal_web_now(),
					     &id, &why);
		if (rc == RC_OK) {
			page_flash(r, "created");
			resp_redirect(r, arena_printf(a, "/proposals/%lld/edit", (long long)id));
			return;
		}
		if (rc == RC_ERROR) {
			web_error(r, rc_status(rc), msg(proposal_rc_key(rc)));
			return;
		}
		create_refused(r, &f, rc, &why);
	}
	new_page(r, db, 422, &c, cat, grp, &f);
}

/* ---- the form ---- */

/* Where a problem of a whole part is shown (an id in the form page). */
static const struct {
	const char *field, *label_key;
} parts[] = {
    {"schedule", "proposals.part.schedule"},	 {"budget", "proposals.part.budget"},
    {"partners", "proposals.part.partners"},	 {"consultation", "proposals.part.consultation"},
    {"category", "proposals.part.category"},	 {"group", "proposals.part.group"},
    {"attachment", "proposals.part.attachment"},
};

/* Record the submission problems: those of a field next to it, those of a
 * part next to the part and in the summary. */
static void add_problems(struct req *r, struct tv *ctx, struct form *f,
			 const struct proposal_problem *ps, size_t n)
{
	struct arena *a = &r->arena;
	struct tv *bypart = tv_obj(a);
	for (size_t i = 0; i < n; i++) {
		const char *text = proposal_web_problem(a, &ps[i]);
		size_t k;
		for (k = 0; k < PRF__MAX; k++)
			if (strcmp(proposal_fields[k].name, ps[i].field) == 0)
				break;
		if (k < PRF__MAX) {
			/* A field's own error (e.g. an invalid choice) says more. */
			if (!f->v[k].error)
				form_error(f, k, text);
			continue;
		}
		struct tv *list = tv_get(bypart, ps[i].field);
		if (!list) {
			list = tv_list(a);
			tv_set(bypart, ps[i].field, list);
		}
		tv_push(list, tv_str(a, text));
	}
	tv_set(ctx, "part_errors", bypart);
}

/* The entries of the error summary for problems of whole parts, appended
 * after page_form() made the field entries, in the order of the page. */
static void summary_parts(struct req *r, struct tv *ctx, const struct proposal_problem *ps,
			  size_t np)
{
	struct arena *a = &r->arena;
	struct tv *errors = tv_get(ctx, "errors");
	if (!errors)
		return;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		for (size_t k = 0; k < np; k++) {
			if (strcmp(ps[k].field, parts[i].field) != 0)
				continue;
			struct tv *e = tv_obj(a);
			tv_set_str(e, "field", parts[i].field);
			tv_set_str(e, "label", msg(parts[i].label_key));
			tv_set_str(e, "message", proposal_web_problem(a, &ps[k]));
			tv_push(errors, e);
		}
	}
	tv_set_int(ctx, "error_count", (int64_t)tv_len(errors));
}

/* A select's options for division and continuation. */
static void form_selects(struct req *r, struct db *db, struct tv *fields, const struct proposal *p,
			 int64_t division_id, int64_t previous_id)
{
	struct arena *a = &r->arena;
	struct division *divs = NULL;
	size_t nd = 0;
	division_list(db, a, false, &divs, &nd);
	int64_t *ids = arena_alloc(a, (nd + 2) * sizeof(*ids));
	const char **labels = arena_alloc(a, (nd + 2) * sizeof(*labels));
	size_t k = 0;
	bool seen = false;
	for (size_t i = 0; i < nd; i++) {
		ids[k] = divs[i].id;
		labels[k++] = divs[i].name;
		seen |= divs[i].id == division_id;
	}
	/* Keep an archived division the proposal already chose. */
	if (division_id && !seen && p->division_id == division_id && *p->division_name) {
		ids[k] = division_id;
		labels[k++] = p->division_name;
	}
	struct tv *field = tv_get(fields, "division");
	tv_set(field, "options",
	       proposal_web_options(a, "web.select_prompt", ids, labels, k, division_id));
	tv_set_bool(field, "select", true);

	struct proposal_ref *refs;
	size_t nr = proposal_previous_choices(db, a, p->group_id, p->id, p->fiscal_year, &refs);
	field = tv_get(fields, "previous");
	if (!nr) {
		tv_set_bool(field, "none", true);
		return;
	}
	ids = arena_alloc(a, nr * sizeof(*ids));
	labels = arena_alloc(a, nr * sizeof(*labels));
	for (size_t i = 0; i < nr; i++) {
		ids[i] = refs[i].id;
		labels[i] = msgf(a, "proposals.field.previous_choice",
				 proposal_web_fiscal_year(a, refs[i].fiscal_year), refs[i].title,
				 refs[i].receipt_no);
	}
	tv_set(
	    field, "options",
	    proposal_web_options(a, "proposals.field.previous_none", ids, labels, nr, previous_id));
	tv_set_bool(field, "select", true);
}

/* The budget lines' inputs, and the amounts the server computed (from the
 * posted lines that were good, or from the stored ones). */
static void budget_form(struct arena *a, struct tv *ctx, struct tv *fields,
			const struct budget_line *lines, size_t nlines)
{
	struct budget_totals t;
	if (budget_total(lines, nlines, &t) != 0)
		memset(&t, 0, sizeof(t));
	for (int k = 0; k < 2; k++) {
		enum budget_kind kind = k == 0 ? BUDGET_INCOME : BUDGET_EXPENSE;
		struct tv *rows = tv_list(a);
		for (int i = 0; i < BUDGET_ROWS; i++) {
			struct tv *o = tv_obj(a);
			tv_set_int(o, "n", i + 1);
			tv_set_str(o, "kind_label", msg(budget_kind_label_key(kind)));
			static const char *const cols[] = {"item", "price", "qty", "amount"};
			for (int c = BCOL_ITEM; c <= BCOL_AMOUNT; c++) {
				struct tv *field =
				    tv_get(fields, proposal_fields[PRF_BUDGET(kind, i, c)].name);
				if (c == BCOL_PRICE || c == BCOL_QTY)
					tv_set_bool(field, "numeric", true);
				tv_set(o, cols[c], field);
			}
			const char *computed = NULL; /* null: no line yet */
			for (size_t j = 0; j < nlines; j++)
				if (lines[j].kind == kind && lines[j].position == i + 1)
					computed = budget_yen(a, lines[j].amount);
			tv_set_str(o, "computed", computed);
			tv_push(rows, o);
		}
		tv_set(ctx, k == 0 ? "income_rows" : "expense_rows", rows);
	}
	tv_set_str(ctx, "income_total", budget_yen(a, t.income));
	tv_set_str(ctx, "expense_total", budget_yen(a, t.expense));
	tv_set_str(ctx, "requested", budget_yen(a, t.requested));
	tv_set_str(ctx, "requested_yen", yen_words(a, t.requested));
}

/* Draw the proposal form for p: values from f when re-displaying a posted
 * form (d is then what it parsed, for the computed amounts), else from p;
 * ps[0..np) are the problems of a refused submission. */
static void form_page(struct req *r, struct db *db, int status, const struct proposal *p,
		      struct form *f, const struct proposal_draft *d,
		      const struct proposal_problem *ps, size_t np)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg("proposals.title.edit"), NAV_CHALLENGE);
	if (ps) {
		add_problems(r, ctx, f, ps, np);
		tv_set_bool(ctx, "submit_failed", true);
	}
	tv_set(ctx, "p", web_proposal_tv(r, db, p));
	tv_set_str(ctx, "action", arena_printf(a, "/proposals/%lld", (long long)p->id));
	const char **values = arena_alloc(a, PRF__MAX * sizeof(*values));
	proposal_form_values(a, p, values);
	struct tv *fields = page_form(r, ctx, proposal_fields, PRF__MAX, f, values);
	summary_parts(r, ctx, ps, np);

	form_selects(r, db, fields, p, f ? id_of(f, PRF_DIVISION) : p->division_id,
		     f ? id_of(f, PRF_PREVIOUS) : p->previous_id);
	/* Marked as required: what submission needs (a draft may leave them
	 * empty). */
	static const int needed[] = {PRF_TITLE,	  PRF_SUMMARY,	   PRF_BACKGROUND, PRF_PURPOSE,
				     PRF_CONTENT, PRF_ROLES_GROUP, PRF_ROLES_CITY, PRF_EFFECT};
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		page_field_set(fields, proposal_fields[needed[i]].name, "required",
			       tv_bool(a, true));
	struct category cat;
	bool have_cat = category_get(db, a, p->category_id, &cat) == RC_OK;
	if (have_cat && cat.needs_division)
		page_field_set(fields, "division", "required", tv_bool(a, true));
	const char *cap = have_cat ? budget_yen(a, cat.cap_yen) : "";
	tv_set_str(ctx, "budget_hint", msgf(a, "proposals.form.budget_hint", cap));
	tv_set_str(ctx, "cap_limit", msgf(a, "proposals.form.cap_limit", cap));
	tv_set_str(ctx, "partners_legend",
		   msgf(a, "proposals.form.partners_legend",
			arena_printf(a, "%lld", have_cat ? (long long)cat.min_groups : 0LL)));
	page_field_set(fields, "summary", "hint", tv_str(a, msg("proposals.hint.summary")));
	page_field_set(fields, "summary", "maxlength", tv_int(a, PROPOSAL_SUMMARY_MAX));
	page_field_set(fields, "previous", "hint", tv_str(a, msg("proposals.hint.previous")));

	struct tv *rows = tv_list(a);
	for (int i = 0; i < PROPOSAL_SCHED_ROWS; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "n", i + 1);
		tv_set(o, "when", tv_get(fields, proposal_fields[PRF_SCHED_WHEN(i)].name));
		tv_set(o, "what", tv_get(fields, proposal_fields[PRF_SCHED_WHAT(i)].name));
		tv_push(rows, o);
	}
	tv_set(ctx, "sched_rows", rows);
	budget_form(a, ctx, fields, d ? d->budget : p->budget, d ? d->nbudget : p->nbudget);

	/* Partners: the slots, and who has confirmed. */
	rows = tv_list(a);
	bool partner_errors = false;
	for (int i = 0; i < PROPOSAL_PARTNER_SLOTS; i++) {
		tv_push(rows, tv_get(fields, proposal_fields[PRF_PARTNER + i].name));
		partner_errors |= f && f->v[PRF_PARTNER + i].error;
	}
	tv_set(ctx, "partner_fields", rows);
	tv_set_bool(ctx, "partner_errors", partner_errors);
	page_render(r, status, "proposals/form", ctx);
}

void h_proposal_edit(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !proposal_web_load(r, db, ACCESS_EDIT, &p))
		return;
	if (!proposal_status_editable(p.status)) {
		resp_redirect(r, arena_printf(&r->arena, "/proposals/%lld", (long long)p.id));
		return;
	}
	form_page(r, db, 200, &p, NULL, NULL, NULL, 0);
}

/* Store the uploads of the attachment field; their ids go to d.  Refusals
 * become errors on the field.  Returns false when a request is malformed
 * (an upload under another name): the caller has answered. */
static bool store_uploads(struct req *r, struct db *db, struct form *f, struct proposal_draft *d)
{
	struct arena *a = &r->arena;
	int64_t *ids = arena_alloc(a, (r->nuploads + 1) * sizeof(*ids));
	size_t n = 0;
	for (size_t i = 0; i < r->nuploads; i++) {
		const struct upload *u = &r->uploads[i];
		if (strcmp(u->field, "attachment") != 0) {
			web_error(r, 400, msg("proposals.err.bad_form"));
			return false;
		}
		/* A file input left empty is sent as a part with no name. */
		if ((!u->filename || !*u->filename) && u->data.n == 0)
			continue;
		if (f->nerrors)
			continue; /* nothing is stored for a form that is refused */
		int64_t id;
		const char *err = NULL;
		if (file_store(db, a, u, FILE_DOCUMENTS, PROPOSAL_FILE_MAX_BYTES, r->user->id, &id,
			       &err) != 0) {
			form_error(f, PRF_ATTACHMENT,
				   msgf(a, "proposals.err.upload", u->filename ? u->filename : "",
					err ? err : msg("proposals.err.upload_failed")));
			continue;
		}
		ids[n++] = id;
	}
	d->new_files = ids;
	d->nnew = n;
	return true;
}

/* Save d (no submission): back to the form, or its errors. */
static void save_draft(struct req *r, struct db *db, const struct proposal *p, struct form *f,
		       const struct proposal_draft *d)
{
	struct arena *a = &r->arena;
	const char *why = NULL;
	enum rc rc = proposal_save(db, a, p, d, r->user->id, proposal_web_now(), &why);
	if (rc == RC_OK) {
		page_flash(r, "saved");
		resp_redirect(r, arena_printf(a, "/proposals/%lld/edit", (long long)p->id));
	} else if (rc == RC_INVALID) {
		struct proposal_problem problem = proposal_too_many_files(a, p, d);
		form_error(f, PRF_ATTACHMENT, proposal_web_problem(a, &problem));
		form_page(r, db, 422, p, f, d, NULL, 0);
	} else {
		web_error(r, rc_status(rc), msg(proposal_rc_key(rc)));
	}
}

void h_proposal_update(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !proposal_web_load_draft(r, db, &p))
		return;
	struct arena *a = &r->arena;
	struct form f;
	if (!proposal_web_check(r, proposal_fields, PRF__MAX, r->form, r->nform, false,
				"proposals.err.bad_form", &f))
		return;
	struct proposal_draft d;
	proposal_from_form(db, a, &f, &p, &d);
	if (!store_uploads(r, db, &f, &d))
		return;
	if (f.nerrors) {
		/* A refused submit also lists what submission would refuse. */
		struct proposal_problem *ps;
		size_t np = proposal_web_draft_problems(db, a, &p, &d, &f, &ps);
		form_page(r, db, 422, &p, &f, &d, np ? ps : NULL, np);
		return;
	}
	if (!d.submit) {
		save_draft(r, db, &p, &f, &d);
		return;
	}
	struct proposal_problem *ps;
	size_t np;
	const char *receipt;
	enum rc rc =
	    proposal_submit(db, a, &p, &d, r->user->id, proposal_web_now(), &ps, &np, &receipt);
	if (rc == RC_OK)
		resp_redirect(r, arena_printf(a, "/proposals/%lld/receipt", (long long)p.id));
	else if (rc == RC_INVALID) /* every problem, next to its field; nothing was saved */
		form_page(r, db, 422, &p, &f, &d, ps, np);
	else
		web_error(r, rc_status(rc), msg(proposal_rc_key(rc)));
}

/* ---- the proposal page, receipt and print view ---- */

enum { VQ_DONE, VQ__MAX };
static const char *const done_codes[] = {"withdrawn", "reopened", "confirmed", NULL};
static const struct field_spec view_query[VQ__MAX] = {
    [VQ_DONE] = {"done", "proposals.query.done", F_CHOICE, false, 20, 0, 0, done_codes},
};

enum { RF_REASON, RF__MAX };
static const struct field_spec reopen_fields[RF__MAX] = {
    [RF_REASON] = {"reason", "proposals.field.reason", F_TEXT, true, 1000, 0, 0, NULL},
};

/* The partner groups of the user that have yet to confirm p. */
static struct tv *to_confirm(struct req *r, struct db *db, const struct proposal *p)
{
	struct arena *a = &r->arena;
	struct tv *confirm = tv_list(a);
	int64_t *mine;
	size_t n = proposal_partner_groups_of(db, a, p, r->user->id, &mine);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < p->npartners; k++)
			if (p->partners[k].group_id == mine[i] && !p->partners[k].confirmed_at) {
				const char *name = p->partners[k].group_name;
				struct tv *o = tv_obj(a);
				tv_set_int(o, "group_id", p->partners[k].group_id);
				tv_set_str(o, "name", name);
				tv_set_str(o, "heading",
					   msgf(a, "proposals.show.confirm_heading", name));
				tv_set_str(o, "text", msgf(a, "proposals.show.confirm_text", name));
				tv_set_str(o, "button",
					   msgf(a, "proposals.show.confirm_button", name));
				tv_push(confirm, o);
			}
	return confirm;
}

/* The proposal page; reopen_form carries a refused reopen's errors, done
 * the code of what was just done. */
static void show_page(struct req *r, struct db *db, int status, const struct proposal *p,
		      const struct form *reopen_form, const char *done)
{
	struct arena *a = &r->arena;
	struct tv *ctx =
	    page_ctx(r, *p->title ? p->title : msg("proposals.title.show"), NAV_CHALLENGE);
	tv_set(ctx, "p", web_proposal_tv(r, db, p));
	if (done)
		tv_set_str(ctx, "done", msg(arena_printf(a, "proposals.done.%s", done)));
	bool editable = proposal_status_editable(p->status);
	bool applicant = proposal_access(db, r->user, p->id, ACCESS_EDIT);
	bool manager = proposal_access(db, r->user, p->id, ACCESS_MANAGE);
	bool staff = who_is_staff(r->user);
	tv_set_bool(ctx, "can_edit", applicant && editable);
	struct category k;
	bool before_deadline =
	    category_get(db, a, p->category_id, &k) == RC_OK && proposal_web_now() <= k.deadline_at;
	tv_set_bool(
	    ctx, "can_withdraw",
	    applicant && before_deadline &&
		(strcmp(p->status, "submitted") == 0 || strcmp(p->status, "reopened") == 0));
	tv_set_str(ctx, "withdraw_text",
		   msgf(a, "proposals.show.withdraw_text",
			before_deadline ? proposal_web_when(a, k.deadline_at) : ""));
	bool can_reopen = manager && strcmp(p->status, "submitted") == 0;
	tv_set_bool(ctx, "can_reopen", can_reopen);
	tv_set_bool(ctx, "staff", staff);
	struct tv *confirm = editable ? to_confirm(r, db, p) : tv_list(a);
	tv_set(ctx, "confirm", confirm);
	/* The result page (adoption_pages.c) is for applicants, partners and
	 * staff, not for the division that reads the proposal. */
	int64_t *partner_of;
	bool party = staff || applicant ||
		     proposal_partner_groups_of(db, a, p, r->user->id, &partner_of) > 0;
	tv_set_bool(ctx, "results_released", party && adoption_results_released(db, p->call_id));
	if (can_reopen)
		page_form(r, ctx, reopen_fields, RF__MAX, reopen_form, NULL);
	page_render(r, status, "proposals/show", ctx);
}

void h_proposal(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct form q;
	if (!db || !proposal_web_load(r, db, ACCESS_VIEW, &p) ||
	    !proposal_web_check(r, view_query, VQ__MAX, r->args, r->nargs, true,
				"proposals.err.bad_query", &q))
		return;
	show_page(r, db, 200, &p, NULL, q.v[VQ_DONE].present ? form_s(&q, VQ_DONE) : NULL);
}

void h_proposal_receipt(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !proposal_web_load(r, db, ACCESS_VIEW, &p))
		return;
	if (strcmp(p.status, "submitted") != 0) {
		resp_redirect(r, arena_printf(&r->arena, "/proposals/%lld", (long long)p.id));
		return;
	}
	struct tv *ctx = page_ctx(r, msg("proposals.title.receipt"), NAV_CHALLENGE);
	tv_set(ctx, "p", web_proposal_tv(r, db, &p));
	page_render(r, 200, "proposals/receipt", ctx);
}

void h_proposal_print(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !proposal_web_load(r, db, ACCESS_VIEW, &p))
		return;
	struct tv *ctx =
	    page_ctx(r, msgf(&r->arena, "proposals.title.print", p.title), NAV_CHALLENGE);
	tv_set(ctx, "p", web_proposal_tv(r, db, &p));
	tv_set_str(ctx, "printed_at", page_datetime(&r->arena, proposal_web_now()));
	page_render(r, 200, "proposals/print", ctx);
}

/* ---- transitions ---- */

static void after_transition(struct req *r, enum rc rc, int64_t id, const char *done)
{
	if (rc == RC_OK)
		resp_redirect(
		    r, arena_printf(&r->arena, "/proposals/%lld?done=%s", (long long)id, done));
	else
		web_error(r, rc_status(rc), msg(proposal_rc_key(rc)));
}

void h_proposal_withdraw(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !proposal_web_load(r, db, ACCESS_EDIT, &p))
		return;
	if (r->nform) {
		web_error(r, 400, msg("proposals.err.bad_form"));
		return;
	}
	after_transition(r, proposal_withdraw(db, &r->arena, p.id, r->user->id, proposal_web_now()),
			 p.id, "withdrawn");
}

void h_proposal_reopen(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct form f;
	if (!db || !proposal_web_load(r, db, ACCESS_MANAGE, &p) ||
	    !proposal_web_check(r, reopen_fields, RF__MAX, r->form, r->nform, false,
				"proposals.err.bad_form", &f))
		return;
	if (f.nerrors) {
		show_page(r, db, 422, &p, &f, NULL);
		return;
	}
	after_transition(r,
			 proposal_reopen(db, &r->arena, p.id, form_s(&f, RF_REASON), r->user->id,
					 proposal_web_now()),
			 p.id, "reopened");
}

enum { CF_GROUP, CF__MAX };
static const struct field_spec confirm_fields[CF__MAX] = {
    [CF_GROUP] = {"group", "proposals.field.confirm_group", F_ID, true, 20, 0, 0, NULL},
};

void h_proposal_confirm(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct form f;
	if (!db || !proposal_web_load(r, db, ACCESS_VIEW, &p) ||
	    !proposal_web_check(r, confirm_fields, CF__MAX, r->form, r->nform, true,
				"proposals.err.bad_form", &f))
		return;
	after_transition(
	    r,
	    proposal_confirm(db, &r->arena, p.id, f.v[CF_GROUP].i, r->user->id, proposal_web_now()),
	    p.id, "confirmed");
}

/* ---- attachments through /files/{id} ---- */

bool web_proposal_file_visible(struct req *r, struct db *db, const struct stored_file *f)
{
	if (!r->user)
		return false;
	int64_t *ids;
	size_t n = proposal_file_owners(db, &r->arena, f->id, &ids);
	for (size_t i = 0; i < n; i++)
		if (proposal_access(db, r->user, ids[i], ACCESS_VIEW))
			return true;
	return false;
}
