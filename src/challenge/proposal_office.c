/*
 * The office's side of proposals (staff): the filtered list with counts
 * per category, and the same list as CSV (with BOM) and .xlsx exports.
 */
#include "challenge/call.h"
#include "challenge/handlers.h"
#include "challenge/proposal_web.h"
#include "util/csv.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <string.h>
#include <xlsxwriter.h>

#define OFFICE_PER_PAGE 50
#define EXPORT_MAX	10000

/* ---- the list ---- */

/* An id for each of n items, with its label. */
struct choices {
	int64_t *ids;
	const char **labels;
};

static struct choices choices_new(struct arena *a, size_t n)
{
	return (struct choices){arena_alloc(a, (n + 1) * sizeof(int64_t)),
				arena_alloc(a, (n + 1) * sizeof(const char *))};
}

/* The filters' options: calls, the chosen (or latest) call's categories,
 * statuses, divisions.  The call whose counts are shown goes to
 * *counts_call (0 when there is none) and its title to *counts_title. */
static void filter_options(struct req *r, struct db *db, struct tv *ctx,
			   const struct proposal_query *q, int64_t *counts_call,
			   const char **counts_title)
{
	struct arena *a = &r->arena;
	struct call *calls = NULL;
	size_t ncalls = 0;
	call_list(db, a, true, &calls, &ncalls);
	struct choices c = choices_new(a, ncalls);
	for (size_t i = 0; i < ncalls; i++) {
		c.ids[i] = calls[i].id;
		c.labels[i] = calls[i].title;
	}
	tv_set(ctx, "call_options",
	       proposal_web_options(a, "proposals.filter.all_calls", c.ids, c.labels, ncalls,
				    q->call_id));
	*counts_call = q->call_id ? q->call_id : (ncalls ? calls[0].id : 0);
	*counts_title = NULL;
	for (size_t i = 0; i < ncalls; i++)
		if (calls[i].id == *counts_call)
			*counts_title = calls[i].title;

	struct category *cats = NULL;
	size_t ncats = 0;
	if (*counts_call)
		call_categories(db, a, *counts_call, &cats, &ncats);
	c = choices_new(a, ncats);
	for (size_t i = 0; i < ncats; i++) {
		c.ids[i] = cats[i].id;
		c.labels[i] = cats[i].name;
	}
	tv_set(ctx, "category_options",
	       proposal_web_options(a, "proposals.filter.all_categories", c.ids, c.labels, ncats,
				    q->category_id));

	struct tv *st = tv_list(a);
	struct tv *o = tv_obj(a);
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", msg("proposals.filter.all_statuses"));
	tv_set_bool(o, "selected", !q->status);
	tv_push(st, o);
	for (int i = 0; proposal_status_keys[i]; i++) {
		o = tv_obj(a);
		tv_set_str(o, "value", proposal_status_keys[i]);
		tv_set_str(o, "label", proposal_web_status(proposal_status_keys[i]));
		tv_set_bool(o, "selected",
			    q->status && strcmp(q->status, proposal_status_keys[i]) == 0);
		tv_push(st, o);
	}
	tv_set(ctx, "status_options", st);

	struct division *divs = NULL;
	size_t ndivs = 0;
	division_list(db, a, true, &divs, &ndivs);
	c = choices_new(a, ndivs);
	for (size_t i = 0; i < ndivs; i++) {
		c.ids[i] = divs[i].id;
		c.labels[i] = divs[i].name;
	}
	tv_set(ctx, "division_options",
	       proposal_web_options(a, "proposals.filter.all_divisions", c.ids, c.labels, ndivs,
				    q->division_id));
}

/* One row of the counts table. */
static struct tv *count_tv(struct arena *a, const char *name, const struct proposal_count *c)
{
	struct tv *o = tv_obj(a);
	if (name)
		tv_set_str(o, "name", name);
	tv_set_int(o, "total", c->total);
	tv_set_int(o, "draft", c->draft);
	tv_set_int(o, "submitted", c->submitted);
	tv_set_int(o, "withdrawn", c->withdrawn);
	tv_set_int(o, "reopened", c->reopened);
	return o;
}

/* The counts per category of call_id (titled title), and their sum. */
static void counts(struct req *r, struct db *db, struct tv *ctx, int64_t call_id, const char *title,
		   int64_t division_id)
{
	struct arena *a = &r->arena;
	struct proposal_count *counts;
	size_t nc;
	if (!call_id || proposal_counts(db, a, call_id, division_id, &counts, &nc) != RC_OK)
		return;
	struct tv *cl = tv_list(a);
	struct proposal_count sum = {0};
	for (size_t i = 0; i < nc; i++) {
		tv_push(cl, count_tv(a, counts[i].category_name, &counts[i]));
		sum.total += counts[i].total;
		sum.draft += counts[i].draft;
		sum.submitted += counts[i].submitted;
		sum.withdrawn += counts[i].withdrawn;
		sum.reopened += counts[i].reopened;
	}
	tv_set(ctx, "counts", cl);
	tv_set(ctx, "count_sum", count_tv(a, NULL, &sum));
	tv_set_str(ctx, "counts_call", title);
	if (title)
		tv_set_str(ctx, "counts_heading", msgf(a, "proposals.list.counts_heading", title));
}

void proposal_office_list(struct req *r, struct db *db)
{
	struct arena *a = &r->arena;
	struct form f;
	if (!proposal_web_check(r, proposal_query_fields, PQ__MAX, r->args, r->nargs, true,
				"proposals.err.bad_filter", &f))
		return;
	struct tv *ctx = page_ctx(r, msg("proposals.title.office_list"), NAV_CHALLENGE);
	struct proposal_query q;
	proposal_query_from_form(&f, OFFICE_PER_PAGE, &q);
	int64_t counts_call;
	const char *counts_title;
	filter_options(r, db, ctx, &q, &counts_call, &counts_title);

	struct proposal_summary *items;
	size_t n;
	int64_t total;
	if (proposal_list(db, a, &q, &items, &n, &total) != RC_OK) {
		web_error(r, 503, msg("proposals.err.list_failed"));
		return;
	}
	proposal_web_list(a, ctx, items, n);
	tv_set_int(ctx, "total", total);
	bool filtering = q.call_id || q.category_id || q.status || q.division_id;
	tv_set_bool(ctx, "filtering", filtering);
	tv_set_str(
	    ctx, "list_heading",
	    msgf(a, filtering ? "proposals.list.heading_filtered" : "proposals.list.heading_all",
		 arena_printf(a, "%lld", (long long)total)));
	counts(r, db, ctx, counts_call, counts_title, q.division_id);

	/* The filters travel in the links: call, category, status, division. */
	tv_set_str(ctx, "csv_url",
		   respond_list_url(a, "/proposals/export.csv", &f, PQ_CALL, PQ_DIVISION, 1));
	tv_set_str(ctx, "xlsx_url",
		   respond_list_url(a, "/proposals/export.xlsx", &f, PQ_CALL, PQ_DIVISION, 1));
	tv_set(ctx, "pages",
	       respond_pagination(r, q.page, OFFICE_PER_PAGE, total, "/proposals", &f, PQ_CALL,
				  PQ_DIVISION));
	tv_set_bool(ctx, "office_view", true);
	page_render(r, 200, "proposals/list", ctx);
}

/* ---- exports ---- */

struct export
{
	struct proposal *ps;
	size_t n;
	const char *name; /* the file name without its extension */
};

/* The proposals an export covers: the office list's filters, every page. */
static bool export_load(struct req *r, struct db *db, struct export *x)
{
	struct arena *a = &r->arena;
	struct form f;
	if (!proposal_web_check(r, proposal_query_fields, PQ__MAX, r->args, r->nargs, true,
				"proposals.err.bad_export", &f))
		return false;
	if (f.v[PQ_PAGE].present) {
		web_error(r, 400, msg("proposals.err.bad_export"));
		return false;
	}
	struct proposal_query q;
	proposal_query_from_form(&f, EXPORT_MAX, &q);
	struct proposal_summary *items;
	size_t ni;
	int64_t total;
	if (proposal_list(db, a, &q, &items, &ni, &total) != RC_OK) {
		web_error(r, 503, msg("web.export_failed"));
		return false;
	}
	x->ps = arena_alloc(a, (ni + 1) * sizeof(*x->ps));
	x->n = 0;
	for (size_t i = 0; i < ni; i++)
		if (proposal_get(db, a, items[i].id, &x->ps[x->n]) == RC_OK)
			x->n++;
	x->name = msg("proposals.export.name");
	struct call c;
	if (q.call_id && call_get(db, a, q.call_id, &c) == RC_OK)
		x->name = arena_printf(a, "%s_%s", x->name, c.title);
	return true;
}

/* The columns of the proposals sheet and the CSV (message keys). */
static const char *const list_headers[] = {
    "proposals.export.col.id",
    "proposals.export.col.receipt_no",
    "proposals.export.col.status",
    "proposals.export.col.fiscal_year",
    "proposals.export.col.call",
    "proposals.export.col.category",
    "proposals.export.col.group",
    "proposals.export.col.partners",
    "proposals.field.title",
    "proposals.export.col.summary",
    "proposals.field.background",
    "proposals.field.purpose",
    "proposals.field.content",
    "proposals.field.roles_group",
    "proposals.field.roles_city",
    "proposals.field.effect",
    "proposals.part.schedule",
    "proposals.field.division",
    "proposals.export.col.previous",
    "proposals.export.col.income_total",
    "proposals.export.col.expense_total",
    "proposals.export.col.requested",
    "proposals.export.col.files",
    "proposals.export.col.submitted_at",
    "proposals.export.col.updated_at",
};
#define NLIST_COLS (sizeof(list_headers) / sizeof(list_headers[0]))

/* One proposal as cells; numbers are marked so that the spreadsheet keeps
 * them numeric. */
struct cell {
	const char *s;
	int64_t n;
	bool number;
};

/* p's partners, one a line, and its schedule, one row a line. */
static void list_lines(struct arena *a, const struct proposal *p, const char **partners,
		       const char **schedule)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < p->npartners; i++)
		buf_printf(&b, "%s%s%s", i ? "\n" : "", p->partners[i].group_name,
			   p->partners[i].confirmed_at ? "" : msg("proposals.export.unconfirmed"));
	*partners = arena_strdup(a, b.p ? b.p : "");
	buf_reset(&b);
	for (size_t i = 0; i < p->nschedule; i++)
		buf_printf(&b, "%s%s", i ? "\n" : "",
			   msgf(a, "proposals.export.schedule_row", p->schedule[i].when,
				p->schedule[i].what));
	*schedule = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
}

static void list_cells(struct arena *a, const struct proposal *p, struct cell *c)
{
	const char *partners, *schedule;
	list_lines(a, p, &partners, &schedule);
	const char *previous = p->previous_id ? msgf(a, "proposals.export.previous",
						     p->previous_title, p->previous_receipt_no)
					      : "";
	struct cell cells[NLIST_COLS] = {
	    {NULL, p->id, true},
	    {p->receipt_no, 0, false},
	    {proposal_web_status(p->status), 0, false},
	    {proposal_web_fiscal_year(a, p->fiscal_year), 0, false},
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

void h_proposals_csv(struct req *r)
{
	struct db *db = page_db(r);
	struct export x;
	if (!db || !export_load(r, db, &x))
		return;
	struct buf *body = &r->body;
	buf_reset(body);
	buf_adds(body, "\xEF\xBB\xBF"); /* BOM: Excel reads the file as UTF-8 */
	for (size_t i = 0; i < NLIST_COLS; i++)
		csv_field(body, msg(list_headers[i]), i == 0);
	buf_adds(body, "\r\n");
	struct cell cells[NLIST_COLS];
	for (size_t k = 0; k < x.n; k++) {
		list_cells(&r->arena, &x.ps[k], cells);
		for (size_t i = 0; i < NLIST_COLS; i++)
			csv_cell(body, &cells[i], i == 0);
		buf_adds(body, "\r\n");
	}
	respond_download(r, RESPOND_CSV, "proposals.csv",
			 arena_printf(&r->arena, "%s.csv", x.name));
}

/* The columns of the budget sheet (message keys). */
static const char *const budget_headers[] = {
    "proposals.export.col.id",	      "proposals.export.col.receipt_no",
    "proposals.export.col.group",     "proposals.field.title",
    "proposals.export.bcol.kind",     "proposals.export.bcol.row",
    "proposals.export.bcol.item",     "proposals.export.bcol.unit_price",
    "proposals.export.bcol.quantity", "proposals.export.bcol.amount",
};
#define NBUDGET_COLS (sizeof(budget_headers) / sizeof(budget_headers[0]))

struct formats {
	lxw_format *head, *text, *money;
};

/* The header row of a sheet, frozen. */
static void sheet_head(lxw_worksheet *ws, const char *const *keys, size_t n, lxw_format *head)
{
	for (size_t i = 0; i < n; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, msg(keys[i]), head);
	worksheet_freeze_panes(ws, 1, 0);
}

/* Row `row` of the proposals sheet for p. */
static void list_row(struct arena *a, lxw_worksheet *ws, lxw_row_t row, const struct proposal *p,
		     const struct formats *fm)
{
	struct cell cells[NLIST_COLS];
	list_cells(a, p, cells);
	for (size_t i = 0; i < NLIST_COLS; i++) {
		if (cells[i].number)
			worksheet_write_number(ws, row, (lxw_col_t)i, (double)cells[i].n,
					       i == 0 ? NULL : fm->money);
		else
			worksheet_write_string(ws, row, (lxw_col_t)i, cells[i].s ? cells[i].s : "",
					       fm->text);
	}
}

/* p's budget lines on the budget sheet from row *row on. */
static void budget_rows(lxw_worksheet *wsb, lxw_row_t *row, const struct proposal *p,
			const struct formats *fm)
{
	for (size_t i = 0; i < p->nbudget; i++, (*row)++) {
		const struct budget_line *l = &p->budget[i];
		worksheet_write_number(wsb, *row, 0, (double)p->id, NULL);
		worksheet_write_string(wsb, *row, 1, p->receipt_no, NULL);
		worksheet_write_string(wsb, *row, 2, p->group_name, NULL);
		worksheet_write_string(wsb, *row, 3, p->title, NULL);
		worksheet_write_string(wsb, *row, 4, msg(budget_kind_label_key(l->kind)), NULL);
		worksheet_write_number(wsb, *row, 5, l->position, NULL);
		worksheet_write_string(wsb, *row, 6, l->item, NULL);
		worksheet_write_number(wsb, *row, 7, (double)l->unit_price, fm->money);
		worksheet_write_number(wsb, *row, 8, (double)l->quantity, NULL);
		worksheet_write_number(wsb, *row, 9, (double)l->amount, fm->money);
	}
}

/* Write the workbook of the export arg to path (respond_xlsx).  0 or -1. */
static int write_xlsx(struct arena *a, const char *path, void *arg)
{
	const struct export *x = arg;
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return -1;
	struct formats fm = {workbook_add_format(wb), workbook_add_format(wb),
			     workbook_add_format(wb)};
	format_set_bold(fm.head);
	format_set_bg_color(fm.head, 0xE8EEF7);
	format_set_border(fm.head, LXW_BORDER_THIN);
	format_set_text_wrap(fm.text);
	format_set_align(fm.text, LXW_ALIGN_VERTICAL_TOP);
	format_set_num_format(fm.money, "#,##0");
	format_set_align(fm.money, LXW_ALIGN_VERTICAL_TOP);

	lxw_worksheet *ws = workbook_add_worksheet(wb, msg("proposals.export.sheet.list"));
	lxw_worksheet *wsb = workbook_add_worksheet(wb, msg("proposals.export.sheet.budget"));
	if (!ws || !wsb) {
		workbook_close(wb);
		return -1;
	}
	sheet_head(ws, list_headers, NLIST_COLS, fm.head);
	worksheet_set_column(ws, 0, 0, 6, NULL);
	worksheet_set_column(ws, 1, 7, 16, NULL);
	worksheet_set_column(ws, 8, 18, 30, NULL);
	worksheet_set_column(ws, 19, 22, 14, NULL);
	worksheet_set_column(ws, 23, 24, 24, NULL);
	sheet_head(wsb, budget_headers, NBUDGET_COLS, fm.head);
	worksheet_set_column(wsb, 1, 3, 20, NULL);
	worksheet_set_column(wsb, 6, 6, 24, NULL);
	worksheet_set_column(wsb, 7, 9, 14, NULL);

	lxw_row_t brow = 1;
	for (size_t k = 0; k < x->n; k++) {
		list_row(a, ws, (lxw_row_t)(k + 1), &x->ps[k], &fm);
		budget_rows(wsb, &brow, &x->ps[k], &fm);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

void h_proposals_xlsx(struct req *r)
{
	struct db *db = page_db(r);
	struct export x;
	if (!db || !export_load(r, db, &x))
		return;
	respond_xlsx(r, "proposals.xlsx", arena_printf(&r->arena, "%s.xlsx", x.name), write_xlsx,
		     &x);
}
