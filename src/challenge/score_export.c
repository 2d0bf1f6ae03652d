/*
 * score_export: a call's score sheets (採点票) for the office, as .xlsx
 * (one worksheet per review stage) and as CSV (every stage, with a 段階
 * column).  One row per proposal × reviewer that has a sheet or a recusal:
 * 受付番号, 部門, 団体, 提案名, 審査員, one column per criterion, 合計(100点換算)
 * (score.c's scaled score of that one sheet), コメント and 状態
 * (下書き / 提出済み / 利益相反); the words are scores.* in the catalogue.  A recused reviewer's
 * row keeps whatever they had scored before declaring the conflict; 状態 says it is not counted.
 *
 * Staff only (admin, coordinator): reviewer names are in here, which the
 * office may see and applicants never.  Every export is audited ("call",
 * "export_scores"); an export whose audit entry cannot be written is not
 * sent.
 */
#include "challenge/call.h"
#include "challenge/handlers.h"
#include "challenge/score.h"
#include "core/audit.h"
#include "core/who.h"
#include "store/db.h"
#include "util/csv.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <string.h>
#include <xlsxwriter.h>

#define EXPORT_MAX_STAGES   20
#define EXPORT_MAX_CRITERIA 64	  /* per stage; more than score.h scores, so none is lost */
#define EXPORT_MAX_ROWS	    20000 /* per stage */
#define SHEET_NAME_MAX	    31	  /* characters: Excel's limit */

/* The column headings (message keys) before the criteria, after the
 * CSV's 段階, and after the criteria. */
static const char *const left_columns[] = {"scores.col.receipt_no", "scores.col.category",
					   "scores.col.group", "scores.col.title",
					   "scores.col.reviewer"};
static const char *const right_columns[] = {"scores.col.total", "scores.col.comment",
					    "scores.col.state"};
#define NLEFT  (sizeof(left_columns) / sizeof(left_columns[0]))
#define NRIGHT (sizeof(right_columns) / sizeof(right_columns[0]))

struct xcrit {
	int64_t id;
	const char *name;
};

struct xrow {
	const char *receipt, *category, *group, *title, *reviewer, *comment, *state;
	int *scores; /* [ncrit] */
	bool *has;   /* [ncrit]: a score is recorded */
	bool has_total;
	double total;
};

struct xstage {
	int64_t id;
	const char *name;
	struct score_stage st;
	struct score_criterion *sc; /* [ncrit] */
	struct xcrit *crit;	    /* [ncrit] */
	size_t ncrit;
	struct xrow *rows;
	size_t nrows;
};

/* ---- loading ---- */

static const char *text_dup(struct arena *a, struct db_stmt *st, int col)
{
	const char *s = db_text(st, col);
	return arena_strdup(a, s ? s : "");
}

static int load_criteria(struct db *db, struct arena *a, struct xstage *x)
{
	struct db_stmt *st = db_stmt(db, STMT_SCORE_EXPORT_CRITERIA);
	size_t ccap = 0, scap = 0, n = 0;
	int rc;
	x->crit = NULL;
	x->sc = NULL;
	db_bind_int(st, 1, x->id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == EXPORT_MAX_CRITERIA) {
			db_reset(st);
			return -1;
		}
		x->crit = arena_grow(a, x->crit, n, &ccap, sizeof(*x->crit));
		x->sc = arena_grow(a, x->sc, n, &scap, sizeof(*x->sc));
		x->crit[n] = (struct xcrit){db_int(st, 0), text_dup(a, st, 1)};
		x->sc[n] = (struct score_criterion){(int)db_int(st, 2), (int)db_int(st, 3)};
		n++;
	}
	x->ncrit = n;
	x->st.criteria = x->sc;
	x->st.n_criteria = n;
	return rc == DB_DONE ? 0 : -1;
}

static const char *state_label(const char *status, bool recused)
{
	if (recused)
		return msg("scores.state.recused");
	if (status && strcmp(status, "submitted") == 0)
		return msg("scores.state.submitted");
	if (status && strcmp(status, "draft") == 0)
		return msg("scores.state.draft");
	return "";
}

/* The sheet's scores into row; its total when every criterion is scored and
 * the stage's settings and the scores are in range (else left blank). */
static int load_scores(struct db *db, struct arena *a, const struct xstage *x, int64_t sheet_id,
		       struct xrow *row)
{
	row->scores = arena_alloc(a, (x->ncrit + 1) * sizeof(*row->scores));
	row->has = arena_alloc(a, (x->ncrit + 1) * sizeof(*row->has));
	if (sheet_id == 0)
		return 0;
	struct db_stmt *st = db_stmt(db, STMT_SCORE_EXPORT_SCORES);
	int rc;
	db_bind_int(st, 1, sheet_id);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t cid = db_int(st, 0);
		for (size_t i = 0; i < x->ncrit; i++)
			if (x->crit[i].id == cid) {
				row->scores[i] = (int)db_int(st, 1);
				row->has[i] = true;
			}
	}
	if (rc != DB_DONE)
		return -1;
	size_t got = 0;
	for (size_t i = 0; i < x->ncrit; i++)
		got += row->has[i];
	const char *err;
	if (x->ncrit > 0 && got == x->ncrit &&
	    score_sheet_total(&x->st, row->scores, &row->total, &err) == 0)
		row->has_total = true;
	return 0;
}

static int load_rows(struct db *db, struct arena *a, struct xstage *x)
{
	struct db_stmt *st = db_stmt(db, STMT_SCORE_EXPORT_ROWS);
	size_t rcap = 0, scap = 0, n = 0;
	int64_t *sheet = NULL;
	int rc;
	x->rows = NULL;
	db_bind_int(st, 1, x->id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == EXPORT_MAX_ROWS) {
			db_reset(st);
			return -1;
		}
		x->rows = arena_grow(a, x->rows, n, &rcap, sizeof(*x->rows));
		sheet = arena_grow(a, sheet, n, &scap, sizeof(*sheet));
		struct xrow *row = &x->rows[n];
		*row = (struct xrow){0};
		row->receipt = text_dup(a, st, 0);
		row->category = text_dup(a, st, 1);
		row->group = text_dup(a, st, 2);
		row->title = text_dup(a, st, 3);
		row->reviewer = text_dup(a, st, 4);
		sheet[n] = db_isnull(st, 5) ? 0 : db_int(st, 5);
		row->state = state_label(db_text(st, 6), db_int(st, 8) != 0);
		row->comment = text_dup(a, st, 7);
		n++;
	}
	if (rc != DB_DONE)
		return -1;
	x->nrows = n;
	for (size_t i = 0; i < n; i++)
		if (load_scores(db, a, x, sheet[i], &x->rows[i]) != 0)
			return -1;
	return 0;
}

/* Every stage of call_id with its criteria and rows.  0 or -1. */
static int load_stages(struct db *db, struct arena *a, int64_t call_id, struct xstage **out,
		       size_t *nout)
{
	struct xstage *xs = arena_alloc(a, EXPORT_MAX_STAGES * sizeof(*xs));
	size_t n = 0;
	int rc;
	struct db_stmt *st = db_stmt(db, STMT_SCORE_EXPORT_STAGES);
	db_bind_int(st, 1, call_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == EXPORT_MAX_STAGES) {
			db_reset(st);
			return -1;
		}
		const char *agg = db_text(st, 4), *fill = db_text(st, 5);
		xs[n] = (struct xstage){.id = db_int(st, 0), .name = text_dup(a, st, 1)};
		xs[n].st.scale_min = (int)db_int(st, 2);
		xs[n].st.scale_max = (int)db_int(st, 3);
		xs[n].st.rule = agg && strcmp(agg, "sum") == 0 ? SCORE_RULE_SUM : SCORE_RULE_MEAN;
		xs[n].st.fill =
		    fill && strcmp(fill, "mean") == 0 ? SCORE_FILL_MEAN : SCORE_FILL_EXCLUDE;
		n++;
	}
	if (rc != DB_DONE)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (load_criteria(db, a, &xs[i]) != 0 || load_rows(db, a, &xs[i]) != 0)
			return -1;
	*out = xs;
	*nout = n;
	return 0;
}

/*
 * The common start of both handlers: no query keys, the call exists, and
 * its stages are loaded in one read transaction.  Sends the error itself
 * and returns false when any of that fails.
 */
static bool export_load(struct req *r, struct db *db, struct call *c, struct xstage **xs, size_t *n)
{
	if (r->nargs) {
		web_error(r, 400, msg("scores.err.bad_query"));
		return false;
	}
	int64_t id = req_param_id(r, 0);
	if (id < 0 || call_get(db, &r->arena, id, c) != RC_OK) {
		web_error(r, 404, msg("calls.err.call_not_found"));
		return false;
	}
	db_read_begin(db);
	int rc = load_stages(db, &r->arena, id, xs, n);
	db_read_end(db);
	if (rc != 0) {
		web_error(r, 503, msg("web.export_failed"));
		return false;
	}
	return true;
}

/* Record the export (its summary in the catalogue's words); false when
 * the entry cannot be written. */
static bool audited(struct req *r, struct db *db, const struct call *c, const char *format)
{
	const char *summary = msgf(&r->arena, "scores.audit.export", c->title, format);
	return audit(db, r->user->id, "export_scores", "call", c->id, summary) == DB_OK;
}

/* The download's real name: 採点票_<call>.<ext>. */
static const char *file_name(struct req *r, const struct call *c, const char *ext)
{
	return msgf(&r->arena, "scores.file_name", c->title, ext);
}

/* ---- CSV ---- */

/* The CSV's criterion columns: the union of every stage's criterion names,
 * in order of first appearance, so that 公益性 is one column across stages.
 * col[s][i] is the column of stage s's criterion i. */
static size_t csv_columns(struct arena *a, const struct xstage *xs, size_t n, const char ***names,
			  size_t ***col)
{
	size_t total = 0, nn = 0;
	for (size_t s = 0; s < n; s++)
		total += xs[s].ncrit;
	*names = arena_alloc(a, (total + 1) * sizeof(**names));
	*col = arena_alloc(a, (n + 1) * sizeof(**col));
	for (size_t s = 0; s < n; s++) {
		(*col)[s] = arena_alloc(a, (xs[s].ncrit + 1) * sizeof(***col));
		for (size_t i = 0; i < xs[s].ncrit; i++) {
			size_t k = 0;
			/* the first column with this name that this stage has not used */
			for (; k < nn; k++) {
				if (strcmp((*names)[k], xs[s].crit[i].name) != 0)
					continue;
				size_t j = 0;
				while (j < i && (*col)[s][j] != k)
					j++;
				if (j == i)
					break;
			}
			if (k == nn)
				(*names)[nn++] = xs[s].crit[i].name;
			(*col)[s][i] = k;
		}
	}
	return nn;
}

void h_score_export_csv(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct call c;
	struct xstage *xs;
	size_t n;
	if (!export_load(r, db, &c, &xs, &n))
		return;
	const char **names;
	size_t **col;
	size_t ncols = csv_columns(a, xs, n, &names, &col);
	const char **cells = arena_alloc(a, (ncols + 1) * sizeof(*cells));
	struct buf *b = &r->body;

	buf_reset(b);
	buf_adds(b, "\xEF\xBB\xBF"); /* BOM: Excel reads the file as UTF-8 */
	csv_field(b, msg("scores.col.stage"), true);
	for (size_t i = 0; i < NLEFT; i++)
		csv_field(b, msg(left_columns[i]), false);
	for (size_t k = 0; k < ncols; k++)
		csv_field(b, names[k], false);
	for (size_t i = 0; i < NRIGHT; i++)
		csv_field(b, msg(right_columns[i]), false);
	buf_adds(b, "\r\n");
	for (size_t s = 0; s < n; s++) {
		for (size_t i = 0; i < xs[s].nrows; i++) {
			const struct xrow *row = &xs[s].rows[i];
			csv_field(b, xs[s].name, true);
			csv_field(b, row->receipt, false);
			csv_field(b, row->category, false);
			csv_field(b, row->group, false);
			csv_field(b, row->title, false);
			csv_field(b, row->reviewer, false);
			for (size_t k = 0; k < ncols; k++)
				cells[k] = "";
			for (size_t j = 0; j < xs[s].ncrit; j++)
				if (row->has[j])
					cells[col[s][j]] = arena_printf(a, "%d", row->scores[j]);
			/* numbers are ours, never formulas: written as they are */
			for (size_t k = 0; k < ncols; k++)
				buf_printf(b, ",%s", cells[k]);
			buf_printf(b, ",%s", row->has_total ? score_format(a, row->total) : "");
			csv_field(b, row->comment, false);
			csv_field(b, row->state, false);
			buf_adds(b, "\r\n");
		}
	}
	if (!audited(r, db, &c, "CSV")) {
		buf_reset(b);
		web_error(r, 503, msg("web.export_failed"));
		return;
	}
	respond_download(r, RESPOND_CSV, "scores.csv", file_name(r, &c, "csv"));
}

/* ---- xlsx ---- */

/* A worksheet name from a stage name: no []:*?/\ (each becomes ＿), no
 * apostrophe at either end, at most 31 characters.  Falls back to 段階N
 * (N = the stage's place) when that is empty or taken by an earlier stage,
 * and to 段階N-ID when even that is taken. */
static const char *sheet_name(struct arena *a, lxw_workbook *wb, const struct xstage *x, size_t pos)
{
	struct buf b = BUF_INIT;
	size_t chars = 0;
	for (const char *p = x->name; *p && chars < SHEET_NAME_MAX; chars++) {
		size_t len = 1;
		while ((p[len] & 0xC0) == 0x80)
			len++;
		if (strchr("[]:*?/\\", *p))
			buf_adds(&b, "＿");
		else
			buf_add(&b, p, len);
		p += len;
	}
	char *name = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	while (*name == '\'')
		name++;
	char *end = name + strlen(name);
	while (end > name && end[-1] == '\'')
		*--end = '\0';
	if (*name && workbook_validate_sheet_name(wb, name) == LXW_NO_ERROR)
		return name;
	const char *place = arena_printf(a, "%zu", pos + 1);
	const char *fallback = msgf(a, "scores.sheet_fallback", place);
	if (workbook_validate_sheet_name(wb, fallback) == LXW_NO_ERROR)
		return fallback;
	return msgf(a, "scores.sheet_fallback_id", place,
		    arena_printf(a, "%lld", (long long)x->id));
}

/* What write_xlsx() writes: the stages of a call, for whom. */
struct export
{
	struct req *r;
	struct db *db;
	const struct call *c;
	const struct xstage *xs;
	size_t n;
};

/* Write the workbook to path: a worksheet per stage.  0 or -1. */
static int write_workbook(struct arena *a, const char *path, const struct xstage *xs, size_t n)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return -1;
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xE8EEF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	lxw_format *text = workbook_add_format(wb);
	format_set_text_wrap(text);
	format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
	lxw_format *number = workbook_add_format(wb);
	format_set_align(number, LXW_ALIGN_VERTICAL_TOP);
	lxw_format *total = workbook_add_format(wb);
	format_set_num_format(total, "0.00");
	format_set_align(total, LXW_ALIGN_VERTICAL_TOP);

	if (n == 0) {
		/* A workbook needs a sheet; say why it is empty. */
		lxw_worksheet *ws = workbook_add_worksheet(wb, msg("scores.sheet_empty"));
		if (ws)
			worksheet_write_string(ws, 0, 0, msg("scores.no_stages"), NULL);
	}
	const lxw_col_t nleft = NLEFT;
	for (size_t s = 0; s < n; s++) {
		const struct xstage *x = &xs[s];
		lxw_worksheet *ws = workbook_add_worksheet(wb, sheet_name(a, wb, x, s));
		if (!ws) {
			workbook_close(wb);
			return -1;
		}
		const lxw_col_t c_total = nleft + (lxw_col_t)x->ncrit;
		for (lxw_col_t i = 0; i < nleft; i++)
			worksheet_write_string(ws, 0, i, msg(left_columns[i]), head);
		for (size_t i = 0; i < x->ncrit; i++)
			worksheet_write_string(ws, 0, nleft + (lxw_col_t)i, x->crit[i].name, head);
		for (lxw_col_t i = 0; i < NRIGHT; i++)
			worksheet_write_string(ws, 0, c_total + i, msg(right_columns[i]), head);
		worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(ws, 0, 2, 16, NULL);
		worksheet_set_column(ws, 3, 3, 30, NULL);
		worksheet_set_column(ws, 4, 4, 14, NULL);
		worksheet_set_column(ws, c_total + 1, c_total + 1, 40, NULL);
		worksheet_set_column(ws, c_total + 2, c_total + 2, 10, NULL);

		for (size_t i = 0; i < x->nrows; i++) {
			const struct xrow *row = &x->rows[i];
			lxw_row_t y = (lxw_row_t)(i + 1);
			const char *cells[] = {row->receipt, row->category, row->group, row->title,
					       row->reviewer};
			/* write_string stores text as text: a leading = is not a
			 * formula in a worksheet, so no guard is needed here. */
			for (lxw_col_t k = 0; k < nleft; k++)
				worksheet_write_string(ws, y, k, cells[k], text);
			for (size_t k = 0; k < x->ncrit; k++)
				if (row->has[k])
					worksheet_write_number(ws, y, nleft + (lxw_col_t)k,
							       row->scores[k], number);
			if (row->has_total)
				worksheet_write_number(ws, y, c_total, row->total, total);
			worksheet_write_string(ws, y, c_total + 1, row->comment, text);
			worksheet_write_string(ws, y, c_total + 2, row->state, text);
		}
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* respond_xlsx()'s writer: the workbook, then the audit entry, so that an
 * export that cannot be recorded is not sent. */
static int write_xlsx(struct arena *a, const char *path, void *arg)
{
	const struct export *e = arg;
	if (write_workbook(a, path, e->xs, e->n) != 0)
		return -1;
	return audited(e->r, e->db, e->c, "Excel") ? 0 : -1;
}

void h_score_export_xlsx(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct call c;
	struct xstage *xs;
	size_t n;
	if (!export_load(r, db, &c, &xs, &n))
		return;
	struct export e = {r, db, &c, xs, n};
	respond_xlsx(r, "scores.xlsx", file_name(r, &c, "xlsx"), write_xlsx, &e);
}
