/*
 * 企画提案書 (proposals): the applicants' pages (list, start, the long
 * form saved over several sittings, submission and its receipt,
 * withdrawal, partner confirmation), the office's pages (the filtered list
 * with counts per category, reopening, the A4 print view, CSV and .xlsx
 * exports), and the JSON API.  Rules live in domain/proposal.c; this file
 * turns requests into calls to it and results into pages.
 *
 * Who sees what: staff (admin, coordinator) see every proposal; a member
 * of the lead group sees, edits, submits and withdraws it; a member of a
 * partner group sees it and confirms; staff of the partner division of
 * its adoption read it (web/adoption.c's rule, domain/adoption.h); anyone
 * else gets 404 for the page and 403 for an edit.  Residents who are not logged in see none.
 */
#include "core/who.h"
#include "challenge/adoption.h"
#include "challenge/handlers.h"
#include "challenge/budget.h"
#include "challenge/call.h"
#include "files/files.h"
#include "accounts/membership.h"
#include "challenge/proposal.h"
#include "core/role.h"
#include "util/jp.h"
#include "util/csv.h"
#include "web/page.h"
#include "web/web.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define OFFICE_PER_PAGE 50
#define MINE_MAX	200
#define API_PER_PAGE	50
#define EXPORT_MAX	10000

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

static bool is_staff(const struct req *r)
{
	return r->user && (r->user->roles & PERM_STAFF);
}

static bool is_admin(const struct req *r)
{
	return r->user && (r->user->roles & ROLE_ADMIN);
}

/* What the current user may do with one proposal. */
struct access {
	bool staff, admin, applicant;
	int64_t *partner_groups; /* partner groups the user belongs to */
	size_t npartner;
	/* Staff of the partner division of the adopted project: read only. */
	bool division;
};

static bool can_view(const struct access *ac)
{
	return ac->staff || ac->applicant || ac->npartner > 0 || ac->division;
}

static void access_of(struct req *r, struct db *db, const struct proposal *p, struct access *ac)
{
	memset(ac, 0, sizeof(*ac));
	if (!r->user)
		return;
	ac->staff = is_staff(r);
	ac->admin = is_admin(r);
	ac->applicant = proposal_is_applicant(db, p, r->user->id);
	ac->npartner =
	    proposal_partner_groups_of(db, &r->arena, p, r->user->id, &ac->partner_groups);
	/* The division role sees its own projects' proposals once adopted. */
	ac->division =
	    (r->user->roles & ROLE_DIVISION) && adoption_division_may_read(db, p->id, r->user->id);
}

static const char *const not_found = "お探しの企画提案書は見つかりませんでした。";

/* Load the proposal of the route for viewing: 404 when it does not exist
 * or the user may not see it (its existence is not revealed). */
static bool load_visible(struct req *r, struct db *db, struct proposal *p, struct access *ac)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || proposal_get(db, &r->arena, id, p) != PROPOSAL_OK) {
		web_error(r, 404, not_found);
		return false;
	}
	access_of(r, db, p, ac);
	if (!can_view(ac)) {
		web_error(r, 404, not_found);
		return false;
	}
	return true;
}

/* Load the proposal of the route for a change by its applicants: 404 when
 * missing, 403 when the user is not a member of the lead group. */
static bool load_own(struct req *r, struct db *db, struct proposal *p, struct access *ac)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || proposal_get(db, &r->arena, id, p) != PROPOSAL_OK) {
		web_error(r, 404, not_found);
		return false;
	}
	access_of(r, db, p, ac);
	if (!ac->applicant) {
		web_error(r, 403,
			  "この企画提案書を編集できるのは、提案する団体のメンバーだけです。");
		return false;
	}
	return true;
}

/* ---- formatting ---- */

static const char *yen(struct arena *a, int64_t v)
{
	return budget_yen(a, v);
}

static const char *fy_label(struct arena *a, int64_t fy)
{
	struct buf b = BUF_INIT;
	jp_fiscal_year_label(&b, (int)fy);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

static const char *when(struct arena *a, int64_t t)
{
	return t ? page_datetime(a, t) : NULL;
}

/* ISO 8601 in JST, for the API and the exports: 2025-05-30T17:00:00+09:00. */
static const char *iso(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", j.y, j.m, j.d, j.hh, j.mi,
			    j.ss);
}

static const char *size_label(struct arena *a, int64_t n)
{
	if (n >= 1024 * 1024)
		return arena_printf(a, "%.1fMB", (double)n / (1024.0 * 1024.0));
	if (n >= 1024)
		return arena_printf(a, "%lldKB", (long long)((n + 1023) / 1024));
	return arena_printf(a, "%lldバイト", (long long)n);
}

static const char *kind_of_mime(const char *mime)
{
	if (strcmp(mime, "application/pdf") == 0)
		return "PDF";
	if (strcmp(mime, "image/png") == 0)
		return "PNG画像";
	if (strcmp(mime, "image/jpeg") == 0)
		return "JPEG画像";
	return mime;
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
		tv_set_str(o, "unit_price", yen(a, l->unit_price));
		tv_set_str(o, "quantity", yen(a, l->quantity));
		tv_set_str(o, "amount", yen(a, l->amount));
		tv_push(list, o);
	}
	return list;
}

/* Everything the view, print and receipt pages show of p. */
struct tv *web_proposal_tv(struct req *r, struct db *db, const struct proposal *p)
{
	struct arena *a = &r->arena;
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", p->id);
	tv_set_str(o, "title", *p->title ? p->title : "（事業名未定）");
	tv_set_str(o, "status", p->status);
	tv_set_str(o, "status_label", proposal_status_label(p->status));
	tv_set_str(o, "status_badge", status_badge(p->status));
	tv_set_bool(o, "is_draft", strcmp(p->status, "draft") == 0);
	tv_set_bool(o, "is_submitted", strcmp(p->status, "submitted") == 0);
	tv_set_bool(o, "is_reopened", strcmp(p->status, "reopened") == 0);
	tv_set_bool(o, "is_withdrawn", strcmp(p->status, "withdrawn") == 0);
	if (*p->receipt_no)
		tv_set_str(o, "receipt_no", p->receipt_no);
	tv_set_int(o, "group_id", p->group_id);
	tv_set_str(o, "group_name", p->group_name);
	tv_set_int(o, "call_id", p->call_id);
	tv_set_str(o, "call_title", p->call_title);
	tv_set_str(o, "fiscal_year", fy_label(a, p->fiscal_year));
	tv_set_str(o, "category_name", p->category_name);
	tv_set_str(o, "division_name", *p->division_name ? p->division_name : NULL);
	if (p->previous_id) {
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
	tv_set_str(o, "submitted_at", when(a, p->submitted_at));
	tv_set_str(o, "created_at", when(a, p->created_at));
	tv_set_str(o, "updated_at", when(a, p->updated_at));
	tv_set_str(o, "created_by_name", p->created_by_name);

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
	tv_set_str(o, "income_total", yen(a, p->totals.income));
	tv_set_str(o, "expense_total", yen(a, p->totals.expense));
	tv_set_str(o, "requested", yen(a, p->totals.requested));
	struct category k;
	if (category_get(db, a, p->category_id, &k) == CALL_OK) {
		tv_set_str(o, "cap", yen(a, k.cap_yen));
		tv_set_bool(o, "over_cap", p->totals.requested > k.cap_yen);
		tv_set_str(o, "deadline", when(a, k.deadline_at));
		tv_set_bool(o, "joint", k.min_groups >= 2);
		tv_set_int(o, "min_groups", k.min_groups);
	}

	list = tv_list(a);
	for (size_t i = 0; i < p->npartners; i++) {
		const struct proposal_partner *x = &p->partners[i];
		struct tv *g = tv_obj(a);
		tv_set_int(g, "group_id", x->group_id);
		tv_set_str(g, "name", x->group_name);
		tv_set_bool(g, "confirmed", x->confirmed_at != 0);
		tv_set_str(g, "confirmed_at", when(a, x->confirmed_at));
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
		tv_set_str(
		    x, "meta",
		    arena_printf(a, "%s、%s", kind_of_mime(f->mime), size_label(a, f->size)));
		tv_push(list, x);
	}
	tv_set(o, "files", list);
	tv_set_bool(o, "has_files", p->nfiles > 0);

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

static struct tv *summary_tv(struct arena *a, const struct proposal_summary *s)
{
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", s->id);
	tv_set_str(o, "title", *s->title ? s->title : "（事業名未定）");
	tv_set_str(o, "status_label", proposal_status_label(s->status));
	tv_set_str(o, "status_badge", status_badge(s->status));
	tv_set_str(o, "receipt_no", *s->receipt_no ? s->receipt_no : NULL);
	tv_set_str(o, "group_name", s->group_name);
	tv_set_str(o, "call_title", s->call_title);
	tv_set_str(o, "category_name", s->category_name);
	tv_set_str(o, "division_name", *s->division_name ? s->division_name : NULL);
	tv_set_str(o, "requested", yen(a, s->requested));
	tv_set_str(o, "submitted_at", when(a, s->submitted_at));
	tv_set_str(o, "updated_at", when(a, s->updated_at));
	return o;
}

/* <option>s with ids as values. */
static struct tv *id_options(struct arena *a, const char *blank, const int64_t *ids,
			     const char *const *labels, size_t n, int64_t chosen)
{
	struct tv *list = tv_list(a);
	struct tv *o = tv_obj(a);
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", blank);
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

/* "/proposals?call=..&page=N" keeping the current filters. */
static const char *office_url(struct arena *a, const char *path, const struct proposal_query *q,
			      int64_t page)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, path);
	char sep = '?';
	if (q->call_id)
		buf_printf(&b, "%ccall=%lld", sep, (long long)q->call_id), sep = '&';
	if (q->category_id)
		buf_printf(&b, "%ccategory=%lld", sep, (long long)q->category_id), sep = '&';
	if (q->status)
		buf_printf(&b, "%cstatus=%s", sep, q->status), sep = '&';
	if (q->division_id)
		buf_printf(&b, "%cdivision=%lld", sep, (long long)q->division_id), sep = '&';
	if (page > 1)
		buf_printf(&b, "%cpage=%lld", sep, (long long)page);
	const char *s = arena_strdup(a, b.p);
	buf_release(&b);
	return s;
}

static void office_list(struct req *r, struct db *db, struct tv *ctx)
{
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, proposal_query_fields, PQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, "絞り込みの条件が正しくありません。");
		return;
	}
	struct proposal_query q;
	proposal_query_from_form(&f, OFFICE_PER_PAGE, &q);

	/* Filters: calls, the chosen (or latest) call's categories, statuses,
	 * divisions. */
	struct call *calls = NULL;
	size_t ncalls = 0;
	call_list(db, a, true, &calls, &ncalls);
	int64_t *ids = arena_alloc(a, (ncalls + 1) * sizeof(*ids));
	const char **labels = arena_alloc(a, (ncalls + 1) * sizeof(*labels));
	for (size_t i = 0; i < ncalls; i++) {
		ids[i] = calls[i].id;
		labels[i] = calls[i].title;
	}
	tv_set(ctx, "call_options", id_options(a, "すべての募集", ids, labels, ncalls, q.call_id));
	int64_t counts_call = q.call_id ? q.call_id : (ncalls ? calls[0].id : 0);

	struct category *cats = NULL;
	size_t ncats = 0;
	if (counts_call)
		call_categories(db, a, counts_call, &cats, &ncats);
	ids = arena_alloc(a, (ncats + 1) * sizeof(*ids));
	labels = arena_alloc(a, (ncats + 1) * sizeof(*labels));
	for (size_t i = 0; i < ncats; i++) {
		ids[i] = cats[i].id;
		labels[i] = cats[i].name;
	}
	tv_set(ctx, "category_options",
	       id_options(a, "すべての部門", ids, labels, ncats, q.category_id));

	struct tv *st = tv_list(a);
	struct tv *o = tv_obj(a);
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", "すべての状態");
	tv_set_bool(o, "selected", !q.status);
	tv_push(st, o);
	for (int i = 0; proposal_status_keys[i]; i++) {
		o = tv_obj(a);
		tv_set_str(o, "value", proposal_status_keys[i]);
		tv_set_str(o, "label", proposal_status_label(proposal_status_keys[i]));
		tv_set_bool(o, "selected",
			    q.status && strcmp(q.status, proposal_status_keys[i]) == 0);
		tv_push(st, o);
	}
	tv_set(ctx, "status_options", st);

	struct division *divs = NULL;
	size_t ndivs = 0;
	division_list(db, a, true, &divs, &ndivs);
	ids = arena_alloc(a, (ndivs + 1) * sizeof(*ids));
	labels = arena_alloc(a, (ndivs + 1) * sizeof(*labels));
	for (size_t i = 0; i < ndivs; i++) {
		ids[i] = divs[i].id;
		labels[i] = divs[i].name;
	}
	tv_set(ctx, "division_options",
	       id_options(a, "すべての担当課", ids, labels, ndivs, q.division_id));

	struct proposal_summary *items;
	size_t n;
	int64_t total;
	if (proposal_list(db, a, &q, &items, &n, &total) != PROPOSAL_OK) {
		web_error(r, 503, "一覧を読み込めませんでした。しばらくしてからお試しください。");
		return;
	}
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(list, summary_tv(a, &items[i]));
	tv_set(ctx, "proposals", list);
	tv_set_bool(ctx, "has_proposals", n > 0);
	tv_set_int(ctx, "total", total);
	tv_set_bool(ctx, "filtering", q.call_id || q.category_id || q.status || q.division_id);

	struct proposal_count *counts;
	size_t nc;
	if (counts_call &&
	    proposal_counts(db, a, counts_call, q.division_id, &counts, &nc) == PROPOSAL_OK) {
		struct tv *cl = tv_list(a);
		struct proposal_count sum = {0};
		for (size_t i = 0; i < nc; i++) {
			struct tv *c = tv_obj(a);
			tv_set_str(c, "name", counts[i].category_name);
			tv_set_int(c, "total", counts[i].total);
			tv_set_int(c, "draft", counts[i].draft);
			tv_set_int(c, "submitted", counts[i].submitted);
			tv_set_int(c, "withdrawn", counts[i].withdrawn);
			tv_set_int(c, "reopened", counts[i].reopened);
			tv_push(cl, c);
			sum.total += counts[i].total;
			sum.draft += counts[i].draft;
			sum.submitted += counts[i].submitted;
			sum.withdrawn += counts[i].withdrawn;
			sum.reopened += counts[i].reopened;
		}
		tv_set(ctx, "counts", cl);
		struct tv *s = tv_obj(a);
		tv_set_int(s, "total", sum.total);
		tv_set_int(s, "draft", sum.draft);
		tv_set_int(s, "submitted", sum.submitted);
		tv_set_int(s, "withdrawn", sum.withdrawn);
		tv_set_int(s, "reopened", sum.reopened);
		tv_set(ctx, "count_sum", s);
		for (size_t i = 0; i < ncalls; i++)
			if (calls[i].id == counts_call)
				tv_set_str(ctx, "counts_call", calls[i].title);
	}
	tv_set_str(ctx, "csv_url", office_url(a, "/proposals/export.csv", &q, 1));
	tv_set_str(ctx, "xlsx_url", office_url(a, "/proposals/export.xlsx", &q, 1));

	int64_t pages = (total + OFFICE_PER_PAGE - 1) / OFFICE_PER_PAGE;
	if (pages > 1) {
		struct tv *p = tv_obj(a);
		tv_set_int(p, "current", q.page);
		tv_set_int(p, "total_pages", pages);
		if (q.page > 1)
			tv_set_str(p, "prev_url", office_url(a, "/proposals", &q, q.page - 1));
		if (q.page < pages)
			tv_set_str(p, "next_url", office_url(a, "/proposals", &q, q.page + 1));
		struct tv *pl = tv_list(a);
		int64_t from = q.page - 3 < 1 ? 1 : q.page - 3;
		int64_t to = q.page + 3 > pages ? pages : q.page + 3;
		for (int64_t i = from; i <= to; i++) {
			struct tv *it = tv_obj(a);
			tv_set_int(it, "number", i);
			tv_set_str(it, "url", office_url(a, "/proposals", &q, i));
			tv_set_bool(it, "current", i == q.page);
			tv_push(pl, it);
		}
		tv_set(p, "items", pl);
		tv_set(ctx, "pages", p);
	}
	tv_set_bool(ctx, "office_view", true);
	page_render(r, 200, "proposals/list", ctx);
}

/* The categories of the current call that accept proposals now or later,
 * as "start a proposal" links. */
static struct tv *open_categories(struct req *r, struct db *db)
{
	struct arena *a = &r->arena;
	struct call c;
	struct tv *list = tv_list(a);
	int64_t now = now_s();
	if (call_current(db, a, now, &c) != CALL_OK)
		return list;
	struct category *cats;
	size_t n;
	if (call_categories(db, a, c.id, &cats, &n) != CALL_OK)
		return list;
	for (size_t i = 0; i < n; i++) {
		if (now > cats[i].deadline_at)
			continue;
		struct tv *o = tv_obj(a);
		tv_set_str(o, "call_title", c.title);
		tv_set_str(o, "name", cats[i].name);
		tv_set_str(o, "url",
			   arena_printf(a, "/proposals/new?call=%lld&category=%lld",
					(long long)c.id, (long long)cats[i].id));
		tv_set_str(o, "deadline", when(a, cats[i].deadline_at));
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
	if (is_staff(r)) {
		struct tv *ctx = page_ctx(r, "企画提案書の一覧（事務局）", NAV_CHALLENGE);
		office_list(r, db, ctx);
		return;
	}
	if (r->nargs) {
		web_error(r, 400, "絞り込みは事務局だけが使えます。");
		return;
	}
	struct tv *ctx = page_ctx(r, "企画提案書", NAV_CHALLENGE);
	struct proposal_summary *items;
	size_t n = 0;
	if (proposal_list_mine(db, a, r->user->id, MINE_MAX, &items, &n) != PROPOSAL_OK) {
		web_error(r, 503, "一覧を読み込めませんでした。しばらくしてからお試しください。");
		return;
	}
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(list, summary_tv(a, &items[i]));
	tv_set(ctx, "proposals", list);
	tv_set_bool(ctx, "has_proposals", n > 0);
	if (r->user->roles & ROLE_MEMBER) {
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
	struct tv *ctx = page_ctx(r, "企画提案書の作成", NAV_CHALLENGE);
	tv_set_str(ctx, "call_title", c->title);
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
	int64_t now = now_s();
	for (size_t i = 0; i < n; i++) {
		ids[i] = cats[i].id;
		labels[i] = cats[i].name;
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", cats[i].name);
		tv_set_str(o, "cap", yen(a, cats[i].cap_yen));
		if (cats[i].min_members)
			tv_set_int(o, "min_members", cats[i].min_members);
		if (cats[i].min_groups >= 2)
			tv_set_int(o, "min_groups", cats[i].min_groups);
		tv_set_str(o, "deadline", when(a, cats[i].deadline_at));
		tv_set_bool(o, "closed", now > cats[i].deadline_at);
		tv_push(info, o);
	}
	tv_set(ctx, "categories", info);
	struct tv *field = tv_get(fields, "category");
	tv_set(field, "options", id_options(a, "選択してください", ids, labels, n, category_id));
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
	tv_set(field, "options", id_options(a, "選択してください", ids, labels, nm, group_id));
	tv_set_bool(field, "select", true);
	tv_set_bool(ctx, "no_groups", nm == 0);
	page_render(r, status, "proposals/new", ctx);
}

void h_proposal_new(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, proposal_new_fields, PNF__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, "指定された条件が正しくありません。");
		return;
	}
	struct call c;
	enum call_rc crc = f.v[PNF_CALL].present && !f.v[PNF_CALL].error
			       ? call_get(db, a, f.v[PNF_CALL].i, &c)
			       : call_current(db, a, now_s(), &c);
	if (crc != CALL_OK || !c.published) {
		web_error(r, 404, "応募できる募集が見つかりませんでした。");
		return;
	}
	int64_t cat =
	    f.v[PNF_CATEGORY].present && !f.v[PNF_CATEGORY].error ? f.v[PNF_CATEGORY].i : 0;
	int64_t grp = f.v[PNF_GROUP].present && !f.v[PNF_GROUP].error ? f.v[PNF_GROUP].i : 0;
	new_page(r, db, 200, &c, cat, grp, NULL);
}

void h_proposal_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, proposal_new_fields, PNF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, "送信された項目が正しくありません。");
		return;
	}
	struct call c;
	if (!f.v[PNF_CALL].present || f.v[PNF_CALL].error ||
	    call_get(db, a, f.v[PNF_CALL].i, &c) != CALL_OK || !c.published) {
		web_error(r, 404, "応募できる募集が見つかりませんでした。");
		return;
	}
	int64_t cat = f.v[PNF_CATEGORY].i, grp = f.v[PNF_GROUP].i;
	if (!f.nerrors) {
		int64_t id = 0;
		const char *why = NULL;
		enum proposal_rc rc =
		    proposal_create(db, a, c.id, cat, grp, r->user->id, now_s(), &id, &why);
		switch (rc) {
		case PROPOSAL_OK:
			page_flash(r, "created");
			resp_redirect(r, arena_printf(a, "/proposals/%lld/edit", (long long)id));
			return;
		case PROPOSAL_FORBIDDEN:
			form_error(&f, PNF_GROUP, "あなたが所属する団体を選んでください");
			break;
		case PROPOSAL_NOT_FOUND:
			form_error(&f, PNF_CATEGORY, "部門と団体は選択肢から選んでください");
			break;
		case PROPOSAL_CLOSED:
			form_error(&f, PNF_CATEGORY, "この部門の受付期間は終了しました");
			break;
		case PROPOSAL_INVALID:
			form_error(&f, PNF_CATEGORY, why);
			break;
		default:
			web_error(r, 503, proposal_rc_message(rc));
			return;
		}
	}
	new_page(r, db, 422, &c, cat, grp, &f);
}

/* ---- the form ---- */

/* Where a problem of a whole part is shown (an id in the form page). */
static const struct {
	const char *field, *label;
} parts[] = {
    {"schedule", "実施スケジュール"}, {"budget", "収支予算"}, {"partners", "連携団体"},
    {"consultation", "事前相談"},     {"category", "部門"},   {"group", "応募する団体"},
    {"attachment", "添付ファイル"},
};

/*
 * The submission problems of a form that has field errors too: a part whose
 * rows have errors is judged on its good rows only, so its problem (e.g.
 * "no expense line" while the one line has a bad price) would mislead and
 * is left out until the rows are fixed.
 */
static size_t draft_problems(struct db *db, struct arena *a, const struct proposal *p,
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
	size_t n = proposal_check_draft(db, a, p, d, now_s(), &ps), k = 0;
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

/* Record the submission problems: those of a field next to it, those of a
 * part next to the part and in the summary. */
static void add_problems(struct req *r, struct tv *ctx, struct form *f,
			 const struct proposal_problem *ps, size_t n)
{
	struct arena *a = &r->arena;
	struct tv *bypart = tv_obj(a);
	for (size_t i = 0; i < n; i++) {
		size_t k;
		for (k = 0; k < PRF__MAX; k++)
			if (strcmp(proposal_fields[k].name, ps[i].field) == 0)
				break;
		if (k < PRF__MAX) {
			/* A field's own error (e.g. an invalid choice) says more. */
			if (!f->v[k].error)
				form_error(f, k, ps[i].message);
			continue;
		}
		struct tv *list = tv_get(bypart, ps[i].field);
		if (!list) {
			list = tv_list(a);
			tv_set(bypart, ps[i].field, list);
		}
		tv_push(list, tv_str(a, ps[i].message));
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
			tv_set_str(e, "label", parts[i].label);
			tv_set_str(e, "message", ps[k].message);
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
	tv_set(field, "options", id_options(a, "選択してください", ids, labels, k, division_id));
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
		labels[i] = arena_printf(a, "%s %s（%s）", fy_label(a, refs[i].fiscal_year),
					 refs[i].title, refs[i].receipt_no);
	}
	tv_set(field, "options", id_options(a, "継続ではない", ids, labels, nr, previous_id));
	tv_set_bool(field, "select", true);
}

/* Draw the proposal form for p: values from f when re-displaying a posted
 * form (d is then what it parsed, for the computed amounts), else from p;
 * ps[0..np) are the problems of a refused submission. */
static void form_page(struct req *r, struct db *db, int status, const struct proposal *p,
		      struct form *f, const struct proposal_draft *d,
		      const struct proposal_problem *ps, size_t np)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "企画提案書の作成・編集", NAV_CHALLENGE);
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

	int64_t division_id =
	    f ? (f->v[PRF_DIVISION].present ? f->v[PRF_DIVISION].i : 0) : p->division_id;
	int64_t previous_id =
	    f ? (f->v[PRF_PREVIOUS].present ? f->v[PRF_PREVIOUS].i : 0) : p->previous_id;
	form_selects(r, db, fields, p, division_id, previous_id);
	/* Marked as required: what submission needs (a draft may leave them
	 * empty). */
	static const int needed[] = {PRF_TITLE,	  PRF_SUMMARY,	   PRF_BACKGROUND, PRF_PURPOSE,
				     PRF_CONTENT, PRF_ROLES_GROUP, PRF_ROLES_CITY, PRF_EFFECT};
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		page_field_set(fields, proposal_fields[needed[i]].name, "required",
			       tv_bool(a, true));
	struct category cat;
	if (category_get(db, a, p->category_id, &cat) == CALL_OK && cat.needs_division)
		page_field_set(fields, "division", "required", tv_bool(a, true));
	page_field_set(fields, "summary", "hint",
		       tv_str(a, "200文字以内。採択された場合などに公開されます。"));
	page_field_set(fields, "summary", "maxlength", tv_int(a, PROPOSAL_SUMMARY_MAX));
	page_field_set(fields, "previous", "hint",
		       tv_str(a, "前年度までに提案した事業を続ける場合に選んでください。"));

	/* Schedule rows. */
	struct tv *rows = tv_list(a);
	for (int i = 0; i < PROPOSAL_SCHED_ROWS; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "n", i + 1);
		tv_set(o, "when", tv_get(fields, proposal_fields[PRF_SCHED_WHEN(i)].name));
		tv_set(o, "what", tv_get(fields, proposal_fields[PRF_SCHED_WHAT(i)].name));
		tv_push(rows, o);
	}
	tv_set(ctx, "sched_rows", rows);

	/* Budget lines: the inputs, and the amounts the server computed (from
	 * the posted lines that were good, or from the stored ones). */
	const struct budget_line *lines = d ? d->budget : p->budget;
	size_t nlines = d ? d->nbudget : p->nbudget;
	struct budget_totals t;
	if (budget_total(lines, nlines, &t) != 0)
		memset(&t, 0, sizeof(t));
	for (int k = 0; k < 2; k++) {
		enum budget_kind kind = k == 0 ? BUDGET_INCOME : BUDGET_EXPENSE;
		rows = tv_list(a);
		for (int i = 0; i < BUDGET_ROWS; i++) {
			struct tv *o = tv_obj(a);
			tv_set_int(o, "n", i + 1);
			tv_set_str(o, "kind_label", budget_kind_label(kind));
			tv_set(
			    o, "item",
			    tv_get(fields, proposal_fields[PRF_BUDGET(kind, i, BCOL_ITEM)].name));
			struct tv *price =
			    tv_get(fields, proposal_fields[PRF_BUDGET(kind, i, BCOL_PRICE)].name);
			struct tv *qty =
			    tv_get(fields, proposal_fields[PRF_BUDGET(kind, i, BCOL_QTY)].name);
			tv_set_bool(price, "numeric", true);
			tv_set_bool(qty, "numeric", true);
			tv_set(o, "price", price);
			tv_set(o, "qty", qty);
			tv_set(
			    o, "amount",
			    tv_get(fields, proposal_fields[PRF_BUDGET(kind, i, BCOL_AMOUNT)].name));
			for (size_t j = 0; j < nlines; j++)
				if (lines[j].kind == kind && lines[j].position == i + 1)
					tv_set_str(o, "computed", yen(a, lines[j].amount));
			tv_push(rows, o);
		}
		tv_set(ctx, k == 0 ? "income_rows" : "expense_rows", rows);
	}
	tv_set_str(ctx, "income_total", yen(a, t.income));
	tv_set_str(ctx, "expense_total", yen(a, t.expense));
	tv_set_str(ctx, "requested", yen(a, t.requested));

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
	struct access ac;
	if (!db || !load_own(r, db, &p, &ac))
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
			web_error(r, 400, "送信された項目が正しくありません。");
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
				   arena_printf(a, "%s：%s", u->filename ? u->filename : "",
						err ? err : "保存できませんでした"));
			continue;
		}
		ids[n++] = id;
	}
	d->new_files = ids;
	d->nnew = n;
	return true;
}

void h_proposal_update(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_own(r, db, &p, &ac))
		return;
	struct arena *a = &r->arena;
	if (!proposal_status_editable(p.status)) {
		web_error(r, 409, proposal_rc_message(PROPOSAL_STATE));
		return;
	}
	struct form f;
	form_check(a, proposal_fields, PRF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, "送信された項目が正しくありません。");
		return;
	}
	struct proposal_draft d;
	proposal_from_form(db, a, &f, &p, &d);
	if (!store_uploads(r, db, &f, &d))
		return;
	if (f.nerrors) {
		/* A refused submit also lists what submission would refuse. */
		struct proposal_problem *ps;
		size_t np = draft_problems(db, a, &p, &d, &f, &ps);
		form_page(r, db, 422, &p, &f, &d, np ? ps : NULL, np);
		return;
	}
	const char *why = NULL;
	if (!d.submit) {
		enum proposal_rc rc = proposal_save(db, a, &p, &d, r->user->id, now_s(), &why);
		if (rc == PROPOSAL_OK) {
			page_flash(r, "saved");
			resp_redirect(r, arena_printf(a, "/proposals/%lld/edit", (long long)p.id));
		} else if (rc == PROPOSAL_INVALID) {
			form_error(&f, PRF_ATTACHMENT, why);
			form_page(r, db, 422, &p, &f, &d, NULL, 0);
		} else {
			web_error(r, rc == PROPOSAL_STATE ? 409 : 503, proposal_rc_message(rc));
		}
		return;
	}
	struct proposal_problem *ps;
	size_t np;
	const char *receipt;
	enum proposal_rc rc =
	    proposal_submit(db, a, &p, &d, r->user->id, now_s(), &ps, &np, &receipt);
	if (rc == PROPOSAL_OK) {
		resp_redirect(r, arena_printf(a, "/proposals/%lld/receipt", (long long)p.id));
		return;
	}
	if (rc == PROPOSAL_INVALID) {
		/* Every problem, next to its field; nothing was saved. */
		form_page(r, db, 422, &p, &f, &d, ps, np);
		return;
	}
	web_error(r, rc == PROPOSAL_STATE ? 409 : 503, proposal_rc_message(rc));
}

/* ---- the proposal page, receipt and print view ---- */

enum { VQ_DONE, VQ__MAX };
static const char *const done_codes[] = {"withdrawn", "reopened", "confirmed", NULL};
static const struct field_spec view_query[VQ__MAX] = {
    [VQ_DONE] = {"done", "結果", F_CHOICE, false, 20, 0, 0, done_codes},
};

static const char *done_message(const char *code)
{
	static const char *const messages[] = {
	    "企画提案書を取り下げました。",
	    "企画提案書を差し戻しました。団体のメンバーに通知しました。",
	    "連携団体として確認しました。",
	};
	for (size_t i = 0; done_codes[i]; i++)
		if (strcmp(code, done_codes[i]) == 0)
			return messages[i];
	return NULL;
}

enum { RF_REASON, RF__MAX };
static const struct field_spec reopen_fields[RF__MAX] = {
    [RF_REASON] = {"reason", "差し戻しの理由", F_TEXT, true, 1000, 0, 0, NULL},
};

/* The proposal page; reopen_form carries a refused reopen's errors. */
static void show_page(struct req *r, struct db *db, int status, const struct proposal *p,
		      const struct access *ac, const struct form *reopen_form, const char *done)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, *p->title ? p->title : "企画提案書", NAV_CHALLENGE);
	tv_set(ctx, "p", web_proposal_tv(r, db, p));
	if (done)
		tv_set_str(ctx, "done", done_message(done));
	bool editable = proposal_status_editable(p->status);
	tv_set_bool(ctx, "can_edit", ac->applicant && editable);
	struct category k;
	bool before_deadline =
	    category_get(db, a, p->category_id, &k) == CALL_OK && now_s() <= k.deadline_at;
	tv_set_bool(
	    ctx, "can_withdraw",
	    ac->applicant && before_deadline &&
		(strcmp(p->status, "submitted") == 0 || strcmp(p->status, "reopened") == 0));
	tv_set_bool(ctx, "can_reopen", ac->admin && strcmp(p->status, "submitted") == 0);
	tv_set_bool(ctx, "staff", ac->staff);
	/* The result page (web/adoption.c) is for applicants and staff. */
	tv_set_bool(ctx, "results_released",
		    (ac->staff || ac->applicant || ac->npartner) &&
			adoption_results_released(db, p->call_id));
	/* Partner groups of the user that have yet to confirm. */
	struct tv *confirm = tv_list(a);
	for (size_t i = 0; editable && i < ac->npartner; i++)
		for (size_t k2 = 0; k2 < p->npartners; k2++)
			if (p->partners[k2].group_id == ac->partner_groups[i] &&
			    !p->partners[k2].confirmed_at) {
				struct tv *o = tv_obj(a);
				tv_set_int(o, "group_id", p->partners[k2].group_id);
				tv_set_str(o, "name", p->partners[k2].group_name);
				tv_push(confirm, o);
			}
	tv_set(ctx, "confirm", confirm);
	if (ac->admin && strcmp(p->status, "submitted") == 0)
		page_form(r, ctx, reopen_fields, RF__MAX, reopen_form, NULL);
	page_render(r, status, "proposals/show", ctx);
}

void h_proposal(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_visible(r, db, &p, &ac))
		return;
	struct form q;
	form_check(&r->arena, view_query, VQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, "指定された条件が正しくありません。");
		return;
	}
	show_page(r, db, 200, &p, &ac, NULL, q.v[VQ_DONE].present ? form_s(&q, VQ_DONE) : NULL);
}

void h_proposal_receipt(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_visible(r, db, &p, &ac))
		return;
	if (strcmp(p.status, "submitted") != 0) {
		resp_redirect(r, arena_printf(&r->arena, "/proposals/%lld", (long long)p.id));
		return;
	}
	struct tv *ctx = page_ctx(r, "企画提案書の受付", NAV_CHALLENGE);
	tv_set(ctx, "p", web_proposal_tv(r, db, &p));
	page_render(r, 200, "proposals/receipt", ctx);
}

void h_proposal_print(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_visible(r, db, &p, &ac))
		return;
	struct tv *ctx =
	    page_ctx(r, arena_printf(&r->arena, "企画提案書（印刷用）%s", p.title), NAV_CHALLENGE);
	tv_set(ctx, "p", web_proposal_tv(r, db, &p));
	tv_set_str(ctx, "printed_at", page_datetime(&r->arena, now_s()));
	page_render(r, 200, "proposals/print", ctx);
}

/* ---- transitions ---- */

static void after_transition(struct req *r, enum proposal_rc rc, int64_t id, const char *done)
{
	switch (rc) {
	case PROPOSAL_OK:
		resp_redirect(
		    r, arena_printf(&r->arena, "/proposals/%lld?done=%s", (long long)id, done));
		return;
	case PROPOSAL_NOT_FOUND:
		web_error(r, 404, not_found);
		return;
	case PROPOSAL_FORBIDDEN:
		web_error(r, 403, proposal_rc_message(rc));
		return;
	case PROPOSAL_STATE:
	case PROPOSAL_CLOSED:
		web_error(r, 409, proposal_rc_message(rc));
		return;
	default:
		web_error(r, 503, proposal_rc_message(rc));
	}
}

void h_proposal_withdraw(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_own(r, db, &p, &ac))
		return;
	if (r->nform) {
		web_error(r, 400, "送信された項目が正しくありません。");
		return;
	}
	after_transition(r, proposal_withdraw(db, &r->arena, p.id, r->user->id, now_s()), p.id,
			 "withdrawn");
}

void h_proposal_reopen(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_visible(r, db, &p, &ac))
		return;
	struct form f;
	form_check(&r->arena, reopen_fields, RF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, "送信された項目が正しくありません。");
		return;
	}
	if (f.nerrors) {
		show_page(r, db, 422, &p, &ac, &f, NULL);
		return;
	}
	after_transition(
	    r, proposal_reopen(db, &r->arena, p.id, form_s(&f, RF_REASON), r->user->id, now_s()),
	    p.id, "reopened");
}

enum { CF_GROUP, CF__MAX };
static const struct field_spec confirm_fields[CF__MAX] = {
    [CF_GROUP] = {"group", "連携団体", F_ID, true, 20, 0, 0, NULL},
};

void h_proposal_confirm(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_visible(r, db, &p, &ac))
		return;
	struct form f;
	form_check(&r->arena, confirm_fields, CF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, "送信された項目が正しくありません。");
		return;
	}
	after_transition(
	    r, proposal_confirm(db, &r->arena, p.id, f.v[CF_GROUP].i, r->user->id, now_s()), p.id,
	    "confirmed");
}

/* ---- exports (staff) ---- */

/* The proposals an export covers: the office list's filters, every page. */
static bool export_load(struct req *r, struct db *db, struct proposal **out, size_t *n,
			const char **call_label)
{
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, proposal_query_fields, PQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors || f.v[PQ_PAGE].present) {
		web_error(r, 400, "出力の条件が正しくありません。");
		return false;
	}
	struct proposal_query q;
	proposal_query_from_form(&f, EXPORT_MAX, &q);
	struct proposal_summary *items;
	size_t ni;
	int64_t total;
	if (proposal_list(db, a, &q, &items, &ni, &total) != PROPOSAL_OK) {
		web_error(r, 503, "出力できませんでした。しばらくしてからお試しください。");
		return false;
	}
	*out = arena_alloc(a, (ni + 1) * sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < ni; i++)
		if (proposal_get(db, a, items[i].id, &(*out)[*n]) == PROPOSAL_OK)
			(*n)++;
	*call_label = NULL;
	struct call c;
	if (q.call_id && call_get(db, a, q.call_id, &c) == CALL_OK)
		*call_label = c.title;
	return true;
}

/* The columns of the proposals sheet and the CSV. */
static const char *const list_headers[] = {
    "ID",
    "受付番号",
    "状態",
    "年度",
    "募集",
    "部門",
    "団体",
    "連携団体",
    "事業名",
    "事業の概要",
    "背景と地域の課題",
    "事業の目的",
    "事業の内容",
    "団体の役割",
    "市（担当課）の役割",
    "期待される効果",
    "実施スケジュール",
    "協働を希望する課",
    "継続する事業",
    "収入合計（円）",
    "支出合計（円）",
    "申請額（円）",
    "添付ファイル数",
    "提出日時",
    "最終更新日時",
};
#define NLIST_COLS (sizeof(list_headers) / sizeof(list_headers[0]))

/* One proposal as cells; numbers are marked so that the spreadsheet keeps
 * them numeric. */
struct cell {
	const char *s;
	int64_t n;
	bool number;
};

static void list_cells(struct arena *a, const struct proposal *p, struct cell *c)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < p->npartners; i++)
		buf_printf(&b, "%s%s%s", i ? "\n" : "", p->partners[i].group_name,
			   p->partners[i].confirmed_at ? "" : "（未確認）");
	const char *partners = arena_strdup(a, b.p ? b.p : "");
	buf_reset(&b);
	for (size_t i = 0; i < p->nschedule; i++)
		buf_printf(&b, "%s%s：%s", i ? "\n" : "", p->schedule[i].when, p->schedule[i].what);
	const char *schedule = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	const char *previous =
	    p->previous_id ? arena_printf(a, "%s（%s）", p->previous_title, p->previous_receipt_no)
			   : "";
	struct cell cells[NLIST_COLS] = {
	    {NULL, p->id, true},
	    {p->receipt_no, 0, false},
	    {proposal_status_label(p->status), 0, false},
	    {fy_label(a, p->fiscal_year), 0, false},
	    {p->call_title, 0, false},
	    {p->category_name, 0, false},
	    {p->group_name, 0, false},
	    {partners, 0, false},
	    {p->title, 0, false},
	    {p->summary, 0, false},
	    {p->background, 0, false},
	    {p->purpose, 0, false},
	    {p->content, 0, false},
	    {p->roles_group, 0, false},
	    {p->roles_city, 0, false},
	    {p->effect, 0, false},
	    {schedule, 0, false},
	    {p->division_name, 0, false},
	    {previous, 0, false},
	    {NULL, p->totals.income, true},
	    {NULL, p->totals.expense, true},
	    {NULL, p->totals.requested, true},
	    {NULL, (int64_t)p->nfiles, true},
	    {p->submitted_at ? page_datetime(a, p->submitted_at) : "", 0, false},
	    {page_datetime(a, p->updated_at), 0, false},
	};
	memcpy(c, cells, sizeof(cells));
}

/* One cell of a CSV row: numbers as digits, text through csv_field(). */
static void csv_cell(struct buf *b, const struct cell *c, bool first)
{
	if (!c->number) {
		csv_field(b, c->s, first);
		return;
	}
	if (!first)
		buf_addc(b, ',');
	buf_printf(b, "%lld", (long long)c->n);
}

static const char *export_name(struct arena *a, const char *call_label, const char *ext)
{
	return arena_printf(a, "企画提案書一覧%s%s.%s", call_label ? "_" : "",
			    call_label ? call_label : "", ext);
}

void h_proposals_csv(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct proposal *ps;
	size_t n;
	const char *call_label;
	if (!export_load(r, db, &ps, &n, &call_label))
		return;
	buf_reset(&r->body);
	buf_adds(&r->body, "\xEF\xBB\xBF"); /* BOM: Excel reads the file as UTF-8 */
	for (size_t i = 0; i < NLIST_COLS; i++) {
		struct cell h = {list_headers[i], 0, false};
		csv_cell(&r->body, &h, i == 0);
	}
	buf_adds(&r->body, "\r\n");
	struct cell cells[NLIST_COLS];
	for (size_t k = 0; k < n; k++) {
		list_cells(a, &ps[k], cells);
		for (size_t i = 0; i < NLIST_COLS; i++)
			csv_cell(&r->body, &cells[i], i == 0);
		buf_adds(&r->body, "\r\n");
	}
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition",
		    page_attachment(a, "proposals.csv", export_name(a, call_label, "csv")));
}

static const char *const budget_headers[] = {
    "ID", "受付番号", "団体", "事業名", "区分", "行", "項目", "単価（円）", "数量", "金額（円）",
};
#define NBUDGET_COLS (sizeof(budget_headers) / sizeof(budget_headers[0]))

/* Write the workbook for ps[0..n) to path.  0 or -1. */
static int write_xlsx(struct arena *a, const char *path, const struct proposal *ps, size_t n)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return -1;
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xE8EEF7);
	format_set_border(head, LXW_BORDER_THIN);
	lxw_format *text = workbook_add_format(wb);
	format_set_text_wrap(text);
	format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
	lxw_format *money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0");
	format_set_align(money, LXW_ALIGN_VERTICAL_TOP);

	lxw_worksheet *ws = workbook_add_worksheet(wb, "提案一覧");
	lxw_worksheet *wsb = workbook_add_worksheet(wb, "収支予算");
	if (!ws || !wsb) {
		workbook_close(wb);
		return -1;
	}
	for (size_t i = 0; i < NLIST_COLS; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, list_headers[i], head);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, 0, 6, NULL);
	worksheet_set_column(ws, 1, 7, 16, NULL);
	worksheet_set_column(ws, 8, 18, 30, NULL);
	worksheet_set_column(ws, 19, 22, 14, NULL);
	worksheet_set_column(ws, 23, 24, 24, NULL);
	for (size_t i = 0; i < NBUDGET_COLS; i++)
		worksheet_write_string(wsb, 0, (lxw_col_t)i, budget_headers[i], head);
	worksheet_freeze_panes(wsb, 1, 0);
	worksheet_set_column(wsb, 1, 3, 20, NULL);
	worksheet_set_column(wsb, 6, 6, 24, NULL);
	worksheet_set_column(wsb, 7, 9, 14, NULL);

	struct cell cells[NLIST_COLS];
	lxw_row_t brow = 1;
	for (size_t k = 0; k < n; k++) {
		const struct proposal *p = &ps[k];
		list_cells(a, p, cells);
		for (size_t i = 0; i < NLIST_COLS; i++) {
			lxw_row_t row = (lxw_row_t)(k + 1);
			if (cells[i].number)
				worksheet_write_number(ws, row, (lxw_col_t)i, (double)cells[i].n,
						       i == 0 ? NULL : money);
			else
				worksheet_write_string(ws, row, (lxw_col_t)i,
						       cells[i].s ? cells[i].s : "", text);
		}
		for (size_t i = 0; i < p->nbudget; i++, brow++) {
			const struct budget_line *l = &p->budget[i];
			worksheet_write_number(wsb, brow, 0, (double)p->id, NULL);
			worksheet_write_string(wsb, brow, 1, p->receipt_no, NULL);
			worksheet_write_string(wsb, brow, 2, p->group_name, NULL);
			worksheet_write_string(wsb, brow, 3, p->title, NULL);
			worksheet_write_string(wsb, brow, 4, budget_kind_label(l->kind), NULL);
			worksheet_write_number(wsb, brow, 5, l->position, NULL);
			worksheet_write_string(wsb, brow, 6, l->item, NULL);
			worksheet_write_number(wsb, brow, 7, (double)l->unit_price, money);
			worksheet_write_number(wsb, brow, 8, (double)l->quantity, NULL);
			worksheet_write_number(wsb, brow, 9, (double)l->amount, money);
		}
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* Read the whole file at path into out.  0 or -1. */
static int slurp(const char *path, struct buf *out)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	char chunk[16384];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, k);
	int rc = ferror(fp) ? -1 : 0;
	fclose(fp);
	return rc;
}

void h_proposals_xlsx(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct proposal *ps;
	size_t n;
	const char *call_label;
	if (!export_load(r, db, &ps, &n, &call_label))
		return;
	/* libxlsxwriter writes to a file: a private temporary one, read back
	 * into the response and removed. */
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(a, "%s/kyodo-export-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "kyodo: export: mkstemp: %s\n", strerror(errno));
		web_error(r, 503, "出力できませんでした。しばらくしてからお試しください。");
		return;
	}
	close(fd);
	buf_reset(&r->body);
	int rc = write_xlsx(a, path, ps, n);
	if (rc == 0)
		rc = slurp(path, &r->body);
	unlink(path);
	if (rc != 0) {
		buf_reset(&r->body);
		web_error(r, 503, "出力できませんでした。しばらくしてからお試しください。");
		return;
	}
	r->status = 200;
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_header(r, "Content-Disposition",
		    page_attachment(a, "proposals.xlsx", export_name(a, call_label, "xlsx")));
}

/* ---- attachments through /files/{id} ---- */

bool web_proposal_file_visible(struct req *r, struct db *db, const struct stored_file *f)
{
	if (!r->user)
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
	for (size_t i = 0; i < n; i++) {
		struct proposal p;
		struct access ac;
		if (proposal_get(db, &r->arena, ids[i], &p) != PROPOSAL_OK)
			continue;
		access_of(r, db, &p, &ac);
		if (can_view(&ac))
			return true;
	}
	return false;
}

/* ---- JSON API ---- */

static void send_json(struct req *r, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	buf_reset(&r->body);
	if (s)
		buf_adds(&r->body, s);
	free(s);
	json_decref(j);
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *time_or_null(struct arena *a, int64_t t)
{
	return t ? json_string(iso(a, t)) : json_null();
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *proposal_json(struct req *r, struct db *db, const struct proposal *p)
{
	struct arena *a = &r->arena;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "call_id", json_integer(p->call_id));
	json_object_set_new(j, "call", json_string(p->call_title));
	json_object_set_new(j, "category_id", json_integer(p->category_id));
	json_object_set_new(j, "category", json_string(p->category_name));
	json_object_set_new(j, "group_id", json_integer(p->group_id));
	json_object_set_new(j, "group", json_string(p->group_name));
	json_object_set_new(j, "status", json_string(p->status));
	json_object_set_new(j, "status_label", json_string(proposal_status_label(p->status)));
	json_object_set_new(j, "receipt_no", str_or_null(p->receipt_no));
	/* The form's own keys, so that a client can PATCH what it read. */
	const char **values = arena_alloc(a, PRF__MAX * sizeof(*values));
	proposal_form_values(a, p, values);
	for (size_t i = 0; i < PRF__MAX; i++) {
		const struct field_spec *sp = &proposal_fields[i];
		if (i == PRF_ATTACHMENT || i == PRF_ATTACHMENT_TITLE || i == PRF_REMOVE_FILE ||
		    i == PRF_ACTION)
			continue;
		if (i == PRF_DIVISION || i == PRF_PREVIOUS) {
			json_object_set_new(
			    j, sp->name,
			    id_or_null(i == PRF_DIVISION ? p->division_id : p->previous_id));
			continue;
		}
		bool row = i >= PRF_PARTNER && i < PRF_PARTNER + PROPOSAL_PARTNER_SLOTS;
		row |= i >= PRF_SCHED;
		if (row && !*values[i])
			continue; /* empty rows are left out */
		json_object_set_new(j, sp->name, json_string(values[i]));
	}
	json_object_set_new(j, "division_name", str_or_null(p->division_name));
	json_t *partners = json_array();
	for (size_t i = 0; i < p->npartners; i++)
		json_array_append_new(partners,
				      json_pack("{s:I,s:s,s:b,s:o}", "group_id",
						(json_int_t)p->partners[i].group_id, "name",
						p->partners[i].group_name, "confirmed",
						p->partners[i].confirmed_at != 0, "confirmed_at",
						time_or_null(a, p->partners[i].confirmed_at)));
	json_object_set_new(j, "partners", partners);
	json_object_set_new(j, "income_total", json_integer(p->totals.income));
	json_object_set_new(j, "expense_total", json_integer(p->totals.expense));
	json_object_set_new(j, "requested", json_integer(p->totals.requested));
	struct category k;
	if (category_get(db, a, p->category_id, &k) == CALL_OK)
		json_object_set_new(j, "cap", json_integer(k.cap_yen));
	json_t *files = json_array();
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct proposal_file *f = &p->files[i];
		json_array_append_new(
		    files, json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)f->id,
				     "file_id", (json_int_t)f->file_id, "title", f->title, "name",
				     f->name, "mime", f->mime, "size", (json_int_t)f->size, "url",
				     arena_printf(a, "%s/files/%lld", web_base_url(),
						  (long long)f->file_id)));
	}
	json_object_set_new(j, "files", files);
	bool cm, dm;
	proposal_missing_consultations(db, p, &cm, &dm);
	json_t *missing = json_array();
	if (cm)
		json_array_append_new(missing, json_string("coordinator"));
	if (dm)
		json_array_append_new(missing, json_string("division"));
	json_object_set_new(j, "missing_consultations", missing);
	json_object_set_new(j, "submitted_at", time_or_null(a, p->submitted_at));
	json_object_set_new(j, "created_at", time_or_null(a, p->created_at));
	json_object_set_new(j, "updated_at", time_or_null(a, p->updated_at));
	return j;
}

static json_t *summary_json(struct arena *a, const struct proposal_summary *s)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(s->id));
	json_object_set_new(j, "call_id", json_integer(s->call_id));
	json_object_set_new(j, "category_id", json_integer(s->category_id));
	json_object_set_new(j, "category", json_string(s->category_name));
	json_object_set_new(j, "group_id", json_integer(s->group_id));
	json_object_set_new(j, "group", json_string(s->group_name));
	json_object_set_new(j, "status", json_string(s->status));
	json_object_set_new(j, "receipt_no", str_or_null(s->receipt_no));
	json_object_set_new(j, "title", json_string(s->title));
	json_object_set_new(j, "division", id_or_null(s->division_id));
	json_object_set_new(j, "requested", json_integer(s->requested));
	json_object_set_new(j, "submitted_at", time_or_null(a, s->submitted_at));
	json_object_set_new(j, "updated_at", time_or_null(a, s->updated_at));
	return j;
}

/* 422 with the errors of the forms fs[0..nf) and every key of kv[0..n)
 * none of them declares: {"errors":{"field":"message"}}.  Problems of a
 * submission (ps[0..np)) are added by their field or part name; two for
 * the same name are joined by a line break. */
static void send_errors(struct req *r, const struct form *const *fs, size_t nf, const struct kv *kv,
			size_t n, const struct proposal_problem *ps, size_t np)
{
	json_t *errors = json_object();
	for (size_t k = 0; k < nf; k++) {
		const struct form *f = fs[k];
		for (size_t i = 0; i < f->n; i++)
			if (f->v[i].error)
				json_object_set_new(errors, f->spec[i].name,
						    json_string(f->v[i].error));
		if (f->repeated)
			json_object_set_new(errors, f->repeated,
					    json_string("値は1つだけ指定してください"));
	}
	for (size_t i = 0; i < np; i++) {
		json_t *old = json_object_get(errors, ps[i].field);
		const char *msg =
		    old ? arena_printf(&r->arena, "%s\n%s", json_string_value(old), ps[i].message)
			: ps[i].message;
		json_object_set_new(errors, ps[i].field, json_string(msg));
	}
	for (size_t i = 0; i < n; i++) {
		bool known = false;
		for (size_t k = 0; k < nf; k++)
			for (size_t f = 0; f < fs[k]->n; f++)
				known |= strcmp(fs[k]->spec[f].name, kv[i].key) == 0;
		if (!known)
			json_object_set_new(errors, kv[i].key, json_string("不明な項目です"));
	}
	if (r->json_type_error)
		json_object_set_new(errors, r->json_type_error,
				    json_string("値の型が正しくありません"));
	send_json(r, 422, json_pack("{s:o}", "errors", errors));
}

void h_api_proposals(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, proposal_query_fields, PQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		const struct form *fs[] = {&f};
		send_errors(r, fs, 1, r->args, r->nargs, NULL, 0);
		return;
	}
	struct proposal_query q;
	proposal_query_from_form(&f, API_PER_PAGE, &q);
	json_t *items = json_array();
	int64_t total = 0;
	if (is_staff(r)) {
		struct proposal_summary *ps;
		size_t n;
		if (proposal_list(db, a, &q, &ps, &n, &total) != PROPOSAL_OK) {
			json_decref(items);
			web_error(r, 503, "一覧を読み込めませんでした。");
			return;
		}
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, summary_json(a, &ps[i]));
	} else {
		/* Applicants: their groups' proposals, with the same filters. */
		struct proposal_summary *ps;
		size_t n;
		if (proposal_list_mine(db, a, r->user->id, MINE_MAX, &ps, &n) != PROPOSAL_OK) {
			json_decref(items);
			web_error(r, 503, "一覧を読み込めませんでした。");
			return;
		}
		int64_t skip = (q.page - 1) * q.per_page;
		for (size_t i = 0; i < n; i++) {
			const struct proposal_summary *s = &ps[i];
			if ((q.call_id && s->call_id != q.call_id) ||
			    (q.category_id && s->category_id != q.category_id) ||
			    (q.status && strcmp(q.status, s->status) != 0) ||
			    (q.division_id && s->division_id != q.division_id))
				continue;
			if (total++ < skip || (int64_t)json_array_size(items) >= q.per_page)
				continue;
			json_array_append_new(items, summary_json(a, s));
		}
	}
	send_json(r, 200,
		  json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			    (json_int_t)q.page, "per_page", (json_int_t)q.per_page));
}

void h_api_proposal(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_visible(r, db, &p, &ac))
		return;
	send_json(r, 200, proposal_json(r, db, &p));
}

/* Split the body's pairs into the new-proposal keys and the others. */
static void split_pairs(struct req *r, struct kv **nk, size_t *nn, struct kv **ok, size_t *on)
{
	*nk = arena_alloc(&r->arena, (r->nform + 1) * sizeof(**nk));
	*ok = arena_alloc(&r->arena, (r->nform + 1) * sizeof(**ok));
	*nn = *on = 0;
	for (size_t i = 0; i < r->nform; i++) {
		bool is_new = false;
		for (size_t k = 0; k < PNF__MAX; k++)
			is_new |= strcmp(proposal_new_fields[k].name, r->form[i].key) == 0;
		if (is_new)
			(*nk)[(*nn)++] = r->form[i];
		else
			(*ok)[(*on)++] = r->form[i];
	}
}

void h_api_proposal_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct kv *nk, *ok;
	size_t nn, on;
	split_pairs(r, &nk, &nn, &ok, &on);
	struct form fn, fp;
	form_check(a, proposal_new_fields, PNF__MAX, nk, nn, &fn);
	form_check(a, proposal_fields, PRF__MAX, ok, on, &fp);
	const struct form *fs[] = {&fn, &fp};
	if (fn.nerrors || fn.repeated || fp.unknown || fp.repeated || r->json_type_error) {
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	if (strcmp(form_s(&fp, PRF_ACTION), "submit") == 0) {
		form_error(&fp, PRF_ACTION,
			   "作成と同時には提出できません。作成した後に PATCH で action=submit "
			   "を送ってください");
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	/* Check everything before anything is created, against what the new
	 * proposal will be. */
	struct call c;
	struct category k;
	struct proposal p0 = {0};
	if (call_get(db, a, fn.v[PNF_CALL].i, &c) != CALL_OK ||
	    category_get(db, a, fn.v[PNF_CATEGORY].i, &k) != CALL_OK || k.call_id != c.id) {
		form_error(&fn, PNF_CATEGORY, "募集と部門の組み合わせが正しくありません");
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	p0.call_id = c.id;
	p0.category_id = k.id;
	p0.group_id = fn.v[PNF_GROUP].i;
	p0.fiscal_year = c.fiscal_year;
	p0.status = "draft";
	p0.group_name = p0.call_title = p0.category_name = p0.division_name = "";
	struct proposal_draft d;
	if (proposal_from_form(db, a, &fp, &p0, &d)) {
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	}
	int64_t id = 0;
	const char *why = NULL;
	enum proposal_rc rc =
	    proposal_create(db, a, c.id, k.id, p0.group_id, r->user->id, now_s(), &id, &why);
	switch (rc) {
	case PROPOSAL_OK:
		break;
	case PROPOSAL_FORBIDDEN:
		web_error(r, 403, "所属していない団体の企画提案書は作成できません。");
		return;
	case PROPOSAL_NOT_FOUND:
	case PROPOSAL_CLOSED:
	case PROPOSAL_INVALID:
		form_error(&fn, rc == PROPOSAL_NOT_FOUND ? PNF_GROUP : PNF_CATEGORY,
			   rc == PROPOSAL_INVALID ? why
			   : rc == PROPOSAL_CLOSED ? "この部門の受付期間は終了しました"
						   : "募集・部門・団体が見つかりません");
		send_errors(r, fs, 2, r->form, r->nform, NULL, 0);
		return;
	default:
		web_error(r, 503, proposal_rc_message(rc));
		return;
	}
	struct proposal p;
	if (proposal_get(db, a, id, &p) != PROPOSAL_OK ||
	    proposal_save(db, a, &p, &d, r->user->id, now_s(), &why) != PROPOSAL_OK ||
	    proposal_get(db, a, id, &p) != PROPOSAL_OK) {
		web_error(r, 503, "保存できませんでした。");
		return;
	}
	resp_header(r, "Location",
		    arena_printf(a, "%s/api/v1/proposals/%lld", web_base_url(), (long long)id));
	send_json(r, 201, proposal_json(r, db, &p));
}

void h_api_proposal_patch(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	struct access ac;
	if (!db || !load_own(r, db, &p, &ac))
		return;
	struct arena *a = &r->arena;
	if (!proposal_status_editable(p.status)) {
		web_error(r, 409, proposal_rc_message(PROPOSAL_STATE));
		return;
	}
	/* Only the keys sent change: the stored values fill in the rest (but
	 * not the amounts, which are computed again from price × quantity). */
	const char **values = arena_alloc(a, PRF__MAX * sizeof(*values));
	proposal_form_values(a, &p, values);
	struct kv *kv = arena_alloc(a, (PRF__MAX + r->nform + 1) * sizeof(*kv));
	size_t n = 0;
	for (size_t i = 0; i < PRF__MAX; i++) {
		const struct field_spec *sp = &proposal_fields[i];
		bool sent = false;
		for (size_t k = 0; k < r->nform; k++)
			sent |= strcmp(r->form[k].key, sp->name) == 0;
		if (sent || !*values[i] || sp->kind == F_MULTI || i == PRF_ACTION ||
		    (i >= PRF_INCOME && (i - PRF_INCOME) % 4 == BCOL_AMOUNT))
			continue;
		kv[n++] = (struct kv){sp->name, values[i], strlen(values[i])};
	}
	memcpy(kv + n, r->form, r->nform * sizeof(*kv));
	n += r->nform;
	struct form f;
	form_check(a, proposal_fields, PRF__MAX, kv, n, &f);
	const struct form *fs[] = {&f};
	struct proposal_draft d;
	proposal_from_form(db, a, &f, &p, &d);
	if (f.nerrors || f.unknown || f.repeated || r->json_type_error) {
		struct proposal_problem *ps;
		size_t np = draft_problems(db, a, &p, &d, &f, &ps);
		send_errors(r, fs, 1, r->form, r->nform, ps, np);
		return;
	}
	enum proposal_rc rc;
	const char *why = NULL;
	if (d.submit) {
		struct proposal_problem *ps;
		size_t np;
		const char *receipt;
		rc = proposal_submit(db, a, &p, &d, r->user->id, now_s(), &ps, &np, &receipt);
		if (rc == PROPOSAL_INVALID) {
			send_errors(r, fs, 1, r->form, r->nform, ps, np);
			return;
		}
	} else {
		rc = proposal_save(db, a, &p, &d, r->user->id, now_s(), &why);
	}
	if (rc != PROPOSAL_OK) {
		web_error(r, rc == PROPOSAL_STATE ? 409 : 503, proposal_rc_message(rc));
		return;
	}
	if (proposal_get(db, a, p.id, &p) != PROPOSAL_OK) {
		web_error(r, 503, "読み込めませんでした。");
		return;
	}
	send_json(r, 200, proposal_json(r, db, &p));
}
