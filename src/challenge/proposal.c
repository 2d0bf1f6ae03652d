#include "challenge/proposal.h"
#include "core/audit.h"
#include "challenge/call.h"
#include "challenge/consultation.h"
#include "groups/group.h"
#include "accounts/membership.h"
#include "notifications/outbox.h"
#include "util/alloc.h"
#include "util/jp.h"
#include "util/str.h"
#include "util/text.h"

#include <string.h>

const char *const proposal_status_keys[PROPOSAL_STATUS__MAX + 1] = {
    [PROPOSAL_DRAFT] = "draft",		[PROPOSAL_SUBMITTED] = "submitted",
    [PROPOSAL_WITHDRAWN] = "withdrawn", [PROPOSAL_REOPENED] = "reopened",
    [PROPOSAL_STATUS__MAX] = NULL,
};

static const char *const status_labels[PROPOSAL_STATUS__MAX] = {
    [PROPOSAL_DRAFT] = "下書き",
    [PROPOSAL_SUBMITTED] = "提出済み",
    [PROPOSAL_WITHDRAWN] = "取り下げ",
    [PROPOSAL_REOPENED] = "差し戻し（修正中）",
};

const char *proposal_status_label(const char *key)
{
	for (int i = 0; i < PROPOSAL_STATUS__MAX; i++)
		if (key && strcmp(key, proposal_status_keys[i]) == 0)
			return status_labels[i];
	return key ? key : "";
}

bool proposal_status_editable(const char *key)
{
	return key && (strcmp(key, "draft") == 0 || strcmp(key, "reopened") == 0);
}

/* ---- fields ---- */

#define SCHED_ROW(n)                                                                               \
	[PRF_SCHED_WHEN(                                                                           \
	    n - 1)] = {"sched_when_" #n, "日程" #n "の時期", F_LINE, false, 50, 0, 0, NULL},       \
		[PRF_SCHED_WHAT(n - 1)] = {                                                        \
		    "sched_what_" #n, "日程" #n "の内容", F_LINE, false, 200, 0, 0, NULL}

#define BUDGET_LINE(kind, key, label, n)                                                           \
	[PRF_BUDGET(kind, n - 1,                                                                   \
		    BCOL_ITEM)] =                                                                  \
	    {key "_item_" #n, label #n "の項目", F_LINE, false, BUDGET_ITEM_MAX, 0, 0, NULL},      \
		    [PRF_BUDGET(kind, n - 1, BCOL_PRICE)] =                                        \
			{key "_price_" #n, label #n "の単価", F_LINE, false, 20, 0, 0, NULL},      \
		    [PRF_BUDGET(kind, n - 1, BCOL_QTY)] =                                          \
			{key "_qty_" #n, label #n "の数量", F_LINE, false, 20, 0, 0, NULL},        \
		    [PRF_BUDGET(kind, n - 1, BCOL_AMOUNT)] = {                                     \
			key "_amount_" #n, label #n "の金額", F_LINE, false, 20, 0, 0, NULL}

#define INCOME(n)  BUDGET_LINE(BUDGET_INCOME, "income", "収入", n)
#define EXPENSE(n) BUDGET_LINE(BUDGET_EXPENSE, "expense", "支出", n)

static const char *const actions[] = {"save", "submit", NULL};

const struct field_spec proposal_fields[PRF__MAX] = {
    [PRF_TITLE] = {"title", "事業名", F_LINE, false, 100, 0, 0, NULL},
    [PRF_SUMMARY] = {"summary", "事業の概要（公開）", F_TEXT, false, PROPOSAL_SUMMARY_MAX, 0, 0,
		     NULL},
    [PRF_BACKGROUND] = {"background", "背景と地域の課題", F_TEXT, false, 4000, 0, 0, NULL},
    [PRF_PURPOSE] = {"purpose", "事業の目的", F_TEXT, false, 4000, 0, 0, NULL},
    [PRF_CONTENT] = {"content", "事業の内容", F_TEXT, false, 4000, 0, 0, NULL},
    [PRF_ROLES_GROUP] = {"roles_group", "団体の役割", F_TEXT, false, 2000, 0, 0, NULL},
    [PRF_ROLES_CITY] = {"roles_city", "市（担当課）の役割", F_TEXT, false, 2000, 0, 0, NULL},
    [PRF_EFFECT] = {"effect", "期待される効果", F_TEXT, false, 2000, 0, 0, NULL},
    [PRF_DIVISION] = {"division", "協働を希望する課", F_ID, false, 20, 0, 0, NULL},
    [PRF_PREVIOUS] = {"previous", "継続する事業（前年度までの提案）", F_ID, false, 20, 0, 0, NULL},
    [PRF_PARTNER + 0] = {"partner_1", "連携団体1", F_LINE, false, 100, 0, 0, NULL},
    [PRF_PARTNER + 1] = {"partner_2", "連携団体2", F_LINE, false, 100, 0, 0, NULL},
    [PRF_PARTNER + 2] = {"partner_3", "連携団体3", F_LINE, false, 100, 0, 0, NULL},
    [PRF_PARTNER + 3] = {"partner_4", "連携団体4", F_LINE, false, 100, 0, 0, NULL},
    [PRF_ATTACHMENT] = {"attachment", "添付ファイル", F_LINE, false, 200, 0, 0, NULL},
    [PRF_ATTACHMENT_TITLE] = {"attachment_title", "添付ファイルの説明", F_LINE, false, 100, 0, 0,
			      NULL},
    [PRF_REMOVE_FILE] = {"remove_file", "削除する添付ファイル", F_MULTI, false, 20, 0, 0, NULL},
    [PRF_ACTION] = {"action", "操作", F_CHOICE, false, 10, 0, 0, actions},
    SCHED_ROW(1),
    SCHED_ROW(2),
    SCHED_ROW(3),
    SCHED_ROW(4),
    SCHED_ROW(5),
    SCHED_ROW(6),
    SCHED_ROW(7),
    SCHED_ROW(8),
    INCOME(1),
    INCOME(2),
    INCOME(3),
    INCOME(4),
    INCOME(5),
    INCOME(6),
    INCOME(7),
    INCOME(8),
    INCOME(9),
    INCOME(10),
    EXPENSE(1),
    EXPENSE(2),
    EXPENSE(3),
    EXPENSE(4),
    EXPENSE(5),
    EXPENSE(6),
    EXPENSE(7),
    EXPENSE(8),
    EXPENSE(9),
    EXPENSE(10),
};
_Static_assert(PROPOSAL_SCHED_ROWS == 8 && BUDGET_ROWS == 10 && PROPOSAL_PARTNER_SLOTS == 4,
	       "proposal_fields declares 8 schedule rows, 10 lines per kind and 4 partners");

const struct field_spec proposal_new_fields[PNF__MAX] = {
    [PNF_CALL] = {"call", "募集", F_ID, true, 20, 0, 0, NULL},
    [PNF_CATEGORY] = {"category", "部門", F_ID, true, 20, 0, 0, NULL},
    [PNF_GROUP] = {"group", "応募する団体", F_ID, true, 20, 0, 0, NULL},
};

const struct field_spec proposal_query_fields[PQ__MAX] = {
    [PQ_CALL] = {"call", "募集", F_ID, false, 20, 0, 0, NULL},
    [PQ_CATEGORY] = {"category", "部門", F_ID, false, 20, 0, 0, NULL},
    [PQ_STATUS] = {"status", "状態", F_CHOICE, false, 20, 0, 0, proposal_status_keys},
    [PQ_DIVISION] = {"division", "担当課", F_ID, false, 20, 0, 0, NULL},
    [PQ_PAGE] = {"page", "ページ", F_INT, false, 6, 1, 100000, NULL},
};

void proposal_query_from_form(const struct form *f, int64_t per_page, struct proposal_query *q)
{
	memset(q, 0, sizeof(*q));
	q->call_id = f->v[PQ_CALL].present ? f->v[PQ_CALL].i : 0;
	q->category_id = f->v[PQ_CATEGORY].present ? f->v[PQ_CATEGORY].i : 0;
	q->division_id = f->v[PQ_DIVISION].present ? f->v[PQ_DIVISION].i : 0;
	q->status = f->v[PQ_STATUS].present ? form_s(f, PQ_STATUS) : NULL;
	q->page = f->v[PQ_PAGE].present ? f->v[PQ_PAGE].i : 1;
	q->per_page = per_page;
}

const char *proposal_rc_message(enum proposal_rc rc)
{
	switch (rc) {
	case PROPOSAL_OK:
		return "";
	case PROPOSAL_NOT_FOUND:
		return "お探しの企画提案書は見つかりませんでした。";
	case PROPOSAL_INVALID:
		return "入力内容を確認してください。";
	case PROPOSAL_STATE:
		return "この企画提案書はすでに提出済みか、取り下げられているため、この操作はできま"
		       "せん。"
		       "最新の状態を確認してください。";
	case PROPOSAL_FORBIDDEN:
		return "この企画提案書を操作する権限がありません。";
	case PROPOSAL_CLOSED:
		return "この部門の受付期間は終了しました。";
	default:
		return "保存できませんでした。しばらくしてからお試しください。";
	}
}

/* ---- receipt numbers ---- */

const char *proposal_receipt_no(struct arena *a, int64_t fiscal_year, const char *short_name,
				int64_t seq)
{
	static const struct {
		const char *name, *initial;
	} eras[] = {{"令和", "R"}, {"平成", "H"}, {"昭和", "S"}, {"大正", "T"}, {"明治", "M"}};
	struct buf b = BUF_INIT;
	const char *out = NULL;
	/* The era of a fiscal year is the one in force on 1 May (as in
	 * jp_fiscal_year_label): 2019 is 令和元年度. */
	if (fiscal_year < 1868 || fiscal_year > 9999 ||
	    jp_wareki_year(&b, (int)fiscal_year, 5, 1) != 0)
		goto done;
	for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++) {
		size_t k = strlen(eras[i].name);
		if (strncmp(b.p, eras[i].name, k) != 0)
			continue;
		const char *y = b.p + k;
		int64_t year = 1;
		if (strncmp(y, "元", strlen("元")) != 0) {
			const char *end = strstr(y, "年");
			if (!end ||
			    str_to_i64((struct str){y, (size_t)(end - y)}, 1, 999, &year) != 0)
				goto done;
		}
		out = arena_printf(a, "%s%lld-%s-%03lld", eras[i].initial, (long long)year,
				   short_name, (long long)seq);
		break;
	}
done:
	buf_release(&b);
	return out;
}

/* ---- reading ---- */

static const char *dup(struct arena *a, struct db_stmt *st, int col)
{
	const char *s = db_text(st, col);
	return arena_strdup(a, s ? s : "");
}

/* Room for element n of an arena array of *cap elements of size bytes. */
static void *grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	size_t ncap = *cap ? xmul(*cap, 2) : 8;
	void *p = arena_alloc(a, xmul(ncap, size));
	if (n)
		memcpy(p, items, n * size);
	*cap = ncap;
	return p;
}

static enum proposal_rc read_partners(struct db *db, struct arena *a, struct proposal *p)
{
	size_t cap = 0;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_PARTNERS);
	db_bind_int(st, 1, p->id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		p->partners = grow(a, p->partners, p->npartners, &cap, sizeof(*p->partners));
		struct proposal_partner *x = &p->partners[p->npartners++];
		x->group_id = db_int(st, 0);
		x->group_name = dup(a, st, 1);
		x->confirmed_at = db_int(st, 2);
		x->confirmed_by = db_int(st, 3);
		x->confirmed_by_name = dup(a, st, 4);
	}
	return rc == DB_DONE ? PROPOSAL_OK : PROPOSAL_ERROR;
}

/* The proposal row and its children, inside the caller's (read or write)
 * transaction. */
static enum proposal_rc read_proposal(struct db *db, struct arena *a, int64_t id,
				      struct proposal *p)
{
	memset(p, 0, sizeof(*p));
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_GET);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PROPOSAL_NOT_FOUND : PROPOSAL_ERROR;
	p->id = db_int(st, 0);
	p->call_id = db_int(st, 1);
	p->category_id = db_int(st, 2);
	p->group_id = db_int(st, 3);
	p->created_by = db_int(st, 4);
	p->status = dup(a, st, 5);
	p->receipt_seq = db_int(st, 6);
	p->receipt_no = dup(a, st, 7);
	p->title = dup(a, st, 8);
	p->summary = dup(a, st, 9);
	p->background = dup(a, st, 10);
	p->purpose = dup(a, st, 11);
	p->content = dup(a, st, 12);
	p->roles_group = dup(a, st, 13);
	p->roles_city = dup(a, st, 14);
	p->effect = dup(a, st, 15);
	p->division_id = db_int(st, 16);
	p->previous_id = db_int(st, 17);
	p->reopen_reason = dup(a, st, 18);
	p->submitted_at = db_int(st, 19);
	p->created_at = db_int(st, 20);
	p->updated_at = db_int(st, 21);
	p->group_name = dup(a, st, 22);
	p->call_title = dup(a, st, 23);
	p->fiscal_year = db_int(st, 24);
	p->category_name = dup(a, st, 25);
	p->category_short = dup(a, st, 26);
	p->division_name = dup(a, st, 27);
	p->previous_title = dup(a, st, 28);
	p->previous_receipt_no = dup(a, st, 29);
	p->created_by_name = dup(a, st, 30);
	db_reset(st);

	if (read_partners(db, a, p) != PROPOSAL_OK)
		return PROPOSAL_ERROR;

	size_t cap = 0;
	st = db_stmt(db, STMT_PROPOSAL_SCHEDULE);
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		p->schedule = grow(a, p->schedule, p->nschedule, &cap, sizeof(*p->schedule));
		struct proposal_sched *s = &p->schedule[p->nschedule++];
		s->position = (int)db_int(st, 0);
		s->when = dup(a, st, 1);
		s->what = dup(a, st, 2);
	}
	if (rc != DB_DONE)
		return PROPOSAL_ERROR;

	cap = 0;
	st = db_stmt(db, STMT_PROPOSAL_BUDGET);
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		p->budget = grow(a, p->budget, p->nbudget, &cap, sizeof(*p->budget));
		struct budget_line *l = &p->budget[p->nbudget++];
		const char *kind = db_text(st, 0);
		l->kind = kind && strcmp(kind, "income") == 0 ? BUDGET_INCOME : BUDGET_EXPENSE;
		l->position = (int)db_int(st, 1);
		l->item = dup(a, st, 2);
		l->unit_price = db_int(st, 3);
		l->quantity = db_int(st, 4);
		l->amount = db_int(st, 5);
	}
	if (rc != DB_DONE)
		return PROPOSAL_ERROR;
	if (budget_total(p->budget, p->nbudget, &p->totals) != 0)
		return PROPOSAL_ERROR;

	cap = 0;
	st = db_stmt(db, STMT_PROPOSAL_FILES);
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		p->files = grow(a, p->files, p->nfiles, &cap, sizeof(*p->files));
		struct proposal_file *f = &p->files[p->nfiles++];
		f->id = db_int(st, 0);
		f->file_id = db_int(st, 1);
		f->title = dup(a, st, 2);
		f->name = dup(a, st, 3);
		f->mime = dup(a, st, 4);
		f->size = db_int(st, 5);
	}
	return rc == DB_DONE ? PROPOSAL_OK : PROPOSAL_ERROR;
}

enum proposal_rc proposal_get(struct db *db, struct arena *a, int64_t id, struct proposal *p)
{
	db_read_begin(db);
	enum proposal_rc rc = read_proposal(db, a, id, p);
	db_read_end(db);
	return rc;
}

bool proposal_is_applicant(struct db *db, const struct proposal *p, int64_t user_id)
{
	return user_id > 0 && group_is_member(db, p->group_id, user_id);
}

size_t proposal_partner_groups_of(struct db *db, struct arena *a, const struct proposal *p,
				  int64_t user_id, int64_t **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_PARTNER_GROUPS_OF);
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, user_id);
	while (db_step(st) == DB_ROW) {
		*out = grow(a, *out, n, &cap, sizeof(**out));
		(*out)[n++] = db_int(st, 0);
	}
	return n;
}

static const char *i64s(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

void proposal_form_values(struct arena *a, const struct proposal *p, const char **values)
{
	for (size_t i = 0; i < PRF__MAX; i++)
		values[i] = "";
	values[PRF_TITLE] = p->title;
	values[PRF_SUMMARY] = p->summary;
	values[PRF_BACKGROUND] = p->background;
	values[PRF_PURPOSE] = p->purpose;
	values[PRF_CONTENT] = p->content;
	values[PRF_ROLES_GROUP] = p->roles_group;
	values[PRF_ROLES_CITY] = p->roles_city;
	values[PRF_EFFECT] = p->effect;
	if (p->division_id)
		values[PRF_DIVISION] = i64s(a, p->division_id);
	if (p->previous_id)
		values[PRF_PREVIOUS] = i64s(a, p->previous_id);
	for (size_t i = 0; i < p->npartners && i < PROPOSAL_PARTNER_SLOTS; i++)
		values[PRF_PARTNER + i] = p->partners[i].group_name;
	for (size_t i = 0; i < p->nschedule; i++) {
		int row = p->schedule[i].position - 1;
		if (row < 0 || row >= PROPOSAL_SCHED_ROWS)
			continue;
		values[PRF_SCHED_WHEN(row)] = p->schedule[i].when;
		values[PRF_SCHED_WHAT(row)] = p->schedule[i].what;
	}
	for (size_t i = 0; i < p->nbudget; i++) {
		const struct budget_line *l = &p->budget[i];
		int row = l->position - 1;
		if (row < 0 || row >= BUDGET_ROWS)
			continue;
		values[PRF_BUDGET(l->kind, row, BCOL_ITEM)] = l->item;
		values[PRF_BUDGET(l->kind, row, BCOL_PRICE)] = i64s(a, l->unit_price);
		values[PRF_BUDGET(l->kind, row, BCOL_QTY)] = i64s(a, l->quantity);
		values[PRF_BUDGET(l->kind, row, BCOL_AMOUNT)] = i64s(a, l->amount);
	}
}

/* ---- the form ---- */

/* A group named by its number or its exact name; 0 when there is none (or
 * it is archived). */
static int64_t find_group(struct db *db, struct arena *a, const char *s)
{
	int64_t id = 0;
	const char *key = text_search_key(a, s, strlen(s));
	if (str_to_i64(str_c(key), 1, INT64_MAX, &id) != 0) {
		struct db_stmt *st = db_stmt(db, STMT_GROUP_BY_NAME);
		db_bind_str(st, 1, s);
		if (db_step(st) != DB_ROW)
			return 0;
		id = db_int(st, 0);
		db_reset(st);
	}
	struct group g;
	if (group_get(db, a, id, &g) != GROUP_OK || g.archived)
		return 0;
	return id;
}

int proposal_from_form(struct db *db, struct arena *a, struct form *f, const struct proposal *p,
		       struct proposal_draft *d)
{
	memset(d, 0, sizeof(*d));
	d->title = form_s(f, PRF_TITLE);
	d->summary = form_s(f, PRF_SUMMARY);
	d->background = form_s(f, PRF_BACKGROUND);
	d->purpose = form_s(f, PRF_PURPOSE);
	d->content = form_s(f, PRF_CONTENT);
	d->roles_group = form_s(f, PRF_ROLES_GROUP);
	d->roles_city = form_s(f, PRF_ROLES_CITY);
	d->effect = form_s(f, PRF_EFFECT);
	d->submit = strcmp(form_s(f, PRF_ACTION), "submit") == 0;

	if (f->v[PRF_DIVISION].present && !f->v[PRF_DIVISION].error) {
		struct division dv;
		int64_t id = f->v[PRF_DIVISION].i;
		/* An archived division stays valid for a proposal that chose it
		 * before it was archived. */
		if (division_get(db, a, id, &dv) != CALL_OK ||
		    (dv.archived && id != p->division_id))
			form_error(f, PRF_DIVISION, "協働を希望する課は選択肢から選んでください");
		else
			d->division_id = id;
	}

	if (f->v[PRF_PREVIOUS].present && !f->v[PRF_PREVIOUS].error) {
		struct proposal_ref *refs;
		size_t n =
		    proposal_previous_choices(db, a, p->group_id, p->id, p->fiscal_year, &refs);
		for (size_t i = 0; i < n; i++)
			if (refs[i].id == f->v[PRF_PREVIOUS].i)
				d->previous_id = refs[i].id;
		if (!d->previous_id)
			form_error(f, PRF_PREVIOUS,
				   "継続する事業は、この団体の前年度までの提案から選んでください");
	}

	struct category cat;
	bool joint = category_get(db, a, p->category_id, &cat) == CALL_OK && cat.min_groups >= 2;
	for (size_t i = 0; i < PROPOSAL_PARTNER_SLOTS; i++) {
		const struct field_value *v = &f->v[PRF_PARTNER + i];
		if (!v->present || v->error)
			continue;
		if (!joint) {
			form_error(f, PRF_PARTNER + i, "この部門では連携団体を指定できません");
			continue;
		}
		int64_t gid = find_group(db, a, v->s);
		if (!gid) {
			form_error(
			    f, PRF_PARTNER + i,
			    "団体が見つかりません。団体名を正確に、または団体ページの番号を入力"
			    "してください");
			continue;
		}
		if (gid == p->group_id) {
			form_error(f, PRF_PARTNER + i,
				   "提案する団体（代表団体）は連携団体に指定できません");
			continue;
		}
		bool dupe = false;
		for (size_t k = 0; k < d->npartners; k++)
			dupe |= d->partners[k] == gid;
		if (dupe) {
			form_error(f, PRF_PARTNER + i, "同じ団体が重複しています");
			continue;
		}
		d->partners[d->npartners++] = gid;
	}

	for (int i = 0; i < PROPOSAL_SCHED_ROWS; i++) {
		const struct field_value *w = &f->v[PRF_SCHED_WHEN(i)];
		const struct field_value *x = &f->v[PRF_SCHED_WHAT(i)];
		if (!w->present && !x->present)
			continue;
		if (!w->present)
			form_error(f, PRF_SCHED_WHEN(i),
				   "時期を入力してください（例：令和7年6月）");
		if (!x->present)
			form_error(f, PRF_SCHED_WHAT(i), "内容を入力してください");
		if (w->present && x->present && !w->error && !x->error) {
			struct proposal_sched *s = &d->schedule[d->nschedule++];
			s->position = i + 1;
			s->when = w->s;
			s->what = x->s;
		}
	}

	for (int k = 0; k < 2; k++) {
		enum budget_kind kind = k == 0 ? BUDGET_INCOME : BUDGET_EXPENSE;
		for (int i = 0; i < BUDGET_ROWS; i++) {
			int base = PRF_BUDGET(kind, i, BCOL_ITEM);
			bool bad = false;
			for (int c = 0; c < 4; c++)
				bad |= f->v[base + c].error != NULL;
			if (bad)
				continue; /* too long or not text: already reported */
			struct budget_input in = {
			    .item = form_s(f, base + BCOL_ITEM),
			    .price = form_s(f, base + BCOL_PRICE),
			    .qty = form_s(f, base + BCOL_QTY),
			    .amount = f->v[base + BCOL_AMOUNT].present
					  ? form_s(f, base + BCOL_AMOUNT)
					  : NULL,
			};
			struct budget_line l;
			struct budget_line_errors e;
			int rc = budget_line_read(a, kind, i + 1, &in, &l, &e);
			if (rc == 1) {
				d->budget[d->nbudget++] = l;
			} else if (rc < 0) {
				if (e.item)
					form_error(f, base + BCOL_ITEM, e.item);
				if (e.price)
					form_error(f, base + BCOL_PRICE, e.price);
				if (e.qty)
					form_error(f, base + BCOL_QTY, e.qty);
				if (e.amount)
					form_error(f, base + BCOL_AMOUNT, e.amount);
			}
		}
	}

	const struct field_value *rm = &f->v[PRF_REMOVE_FILE];
	if (rm->nlist) {
		int64_t *ids = arena_alloc(a, rm->nlist * sizeof(*ids));
		for (size_t i = 0; i < rm->nlist; i++) {
			int64_t id = 0;
			bool known = false;
			if (str_to_i64(str_c(rm->list[i]), 1, INT64_MAX, &id) == 0)
				for (size_t k = 0; k < p->nfiles; k++)
					known |= p->files[k].id == id;
			if (!known) {
				form_error(f, PRF_REMOVE_FILE,
					   "削除する添付ファイルが正しくありません");
				break;
			}
			ids[d->nremove++] = id;
		}
		d->remove_files = ids;
	}
	if (f->v[PRF_ATTACHMENT].present)
		form_error(f, PRF_ATTACHMENT,
			   "添付ファイルはファイルを選んで送信してください（文字では送れません）");
	d->new_files_title = form_s(f, PRF_ATTACHMENT_TITLE);
	return f->nerrors;
}

/* ---- writing ---- */

/* Notify every member of group_id.  DB_OK or an error. */
static int notify_group(struct db *db, struct arena *a, int64_t group_id, const char *kind,
			const char *subject, const char *body, const char *link)
{
	struct db_stmt *st = db_stmt(db, STMT_GROUP_MEMBERS);
	db_bind_int(st, 1, group_id);
	size_t n = 0, cap = 0;
	int64_t *ids = NULL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		ids = grow(a, ids, n, &cap, sizeof(*ids));
		ids[n++] = db_int(st, 0);
	}
	if (rc != DB_DONE)
		return DB_ERROR;
	/* The statement is finished before notify() runs others. */
	for (size_t i = 0; i < n; i++)
		if (notify(db, ids[i], kind, subject, body, link) != DB_OK)
			return DB_ERROR;
	return DB_OK;
}

static const char *link_of(struct arena *a, int64_t id)
{
	return arena_printf(a, "/proposals/%lld", (long long)id);
}

/* The status stored now (inside the write transaction); NULL on error. */
static const char *current_status(struct db *db, struct arena *a, int64_t id, int64_t *seq,
				  const char **receipt_no)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_STATE);
	db_bind_int(st, 1, id);
	if (db_step(st) != DB_ROW)
		return NULL;
	const char *s = dup(a, st, 0);
	if (seq)
		*seq = db_int(st, 1);
	if (receipt_no)
		*receipt_no = dup(a, st, 2);
	db_reset(st);
	return s;
}

/* Write d into proposal p inside the caller's transaction. */
static enum proposal_rc write_draft(struct db *db, struct arena *a, const struct proposal *p,
				    const struct proposal_draft *d, int64_t now, const char **why)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_UPDATE);
	db_bind_int(st, 1, p->id);
	db_bind_str(st, 2, d->title);
	db_bind_str(st, 3, d->summary);
	db_bind_str(st, 4, d->background);
	db_bind_str(st, 5, d->purpose);
	db_bind_str(st, 6, d->content);
	db_bind_str(st, 7, d->roles_group);
	db_bind_str(st, 8, d->roles_city);
	db_bind_str(st, 9, d->effect);
	if (d->division_id)
		db_bind_int(st, 10, d->division_id);
	else
		db_bind_null(st, 10);
	if (d->previous_id)
		db_bind_int(st, 11, d->previous_id);
	else
		db_bind_null(st, 11);
	db_bind_int(st, 12, now);
	if (db_exec(st) != DB_OK)
		return PROPOSAL_ERROR;
	if (db_changes(db) == 0)
		return PROPOSAL_STATE; /* submitted (or gone) meanwhile */

	st = db_stmt(db, STMT_PROPOSAL_SCHEDULE_CLEAR);
	db_bind_int(st, 1, p->id);
	if (db_exec(st) != DB_OK)
		return PROPOSAL_ERROR;
	for (size_t i = 0; i < d->nschedule; i++) {
		st = db_stmt(db, STMT_PROPOSAL_SCHEDULE_ADD);
		db_bind_int(st, 1, p->id);
		db_bind_int(st, 2, d->schedule[i].position);
		db_bind_str(st, 3, d->schedule[i].when);
		db_bind_str(st, 4, d->schedule[i].what);
		if (db_exec(st) != DB_OK)
			return PROPOSAL_ERROR;
	}

	st = db_stmt(db, STMT_PROPOSAL_BUDGET_CLEAR);
	db_bind_int(st, 1, p->id);
	if (db_exec(st) != DB_OK)
		return PROPOSAL_ERROR;
	for (size_t i = 0; i < d->nbudget; i++) {
		const struct budget_line *l = &d->budget[i];
		st = db_stmt(db, STMT_PROPOSAL_BUDGET_ADD);
		db_bind_int(st, 1, p->id);
		db_bind_str(st, 2, budget_kind_key(l->kind));
		db_bind_int(st, 3, l->position);
		db_bind_str(st, 4, l->item);
		db_bind_int(st, 5, l->unit_price);
		db_bind_int(st, 6, l->quantity);
		db_bind_int(st, 7, l->amount);
		if (db_exec(st) != DB_OK)
			return PROPOSAL_ERROR;
	}

	/* Partners as stored now (not as loaded before the transaction). */
	struct proposal cur = {.id = p->id};
	if (read_partners(db, a, &cur) != PROPOSAL_OK)
		return PROPOSAL_ERROR;
	for (size_t i = 0; i < cur.npartners; i++) {
		bool keep = false;
		for (size_t k = 0; k < d->npartners; k++)
			keep |= d->partners[k] == cur.partners[i].group_id;
		if (keep)
			continue;
		st = db_stmt(db, STMT_PROPOSAL_PARTNER_REMOVE);
		db_bind_int(st, 1, p->id);
		db_bind_int(st, 2, cur.partners[i].group_id);
		if (db_exec(st) != DB_OK)
			return PROPOSAL_ERROR;
	}
	for (size_t k = 0; k < d->npartners; k++) {
		st = db_stmt(db, STMT_PROPOSAL_PARTNER_ADD);
		db_bind_int(st, 1, p->id);
		db_bind_int(st, 2, d->partners[k]);
		if (db_exec(st) != DB_OK)
			return PROPOSAL_ERROR;
		if (db_changes(db) == 0)
			continue; /* already a partner */
		const char *title = *d->title ? d->title : "（事業名未定）";
		const char *body = arena_printf(
		    a,
		    "「%s」が、企画提案書「%s」（%s "
		    "%s）の連携団体としてあなたの団体を登録しました。"
		    "\n内容を確認し、参加する場合は企画提案書のページで「連携団体として確認する」を"
		    "押してください。",
		    p->group_name, title, p->call_title, p->category_name);
		if (notify_group(db, a, d->partners[k], "partner_confirm",
				 "連携団体としての確認のお願い", body, link_of(a, p->id)) != DB_OK)
			return PROPOSAL_ERROR;
	}

	/* Attachments: removals first, then the limit on what remains. */
	for (size_t i = 0; i < d->nremove; i++) {
		st = db_stmt(db, STMT_PROPOSAL_FILE_REMOVE);
		db_bind_int(st, 1, p->id);
		db_bind_int(st, 2, d->remove_files[i]);
		if (db_exec(st) != DB_OK)
			return PROPOSAL_ERROR;
	}
	if (d->nnew) {
		size_t have = 0;
		st = db_stmt(db, STMT_PROPOSAL_FILES);
		db_bind_int(st, 1, p->id);
		int rc;
		while ((rc = db_step(st)) == DB_ROW)
			have++;
		if (rc != DB_DONE)
			return PROPOSAL_ERROR;
		if (have + d->nnew > PROPOSAL_MAX_FILES) {
			*why = arena_printf(a, "添付ファイルは%d件までです（現在%zu件）",
					    PROPOSAL_MAX_FILES, have);
			return PROPOSAL_INVALID;
		}
		for (size_t i = 0; i < d->nnew; i++) {
			st = db_stmt(db, STMT_PROPOSAL_FILE_ADD);
			db_bind_int(st, 1, p->id);
			db_bind_int(st, 2, d->new_files[i]);
			db_bind_str(st, 3, d->new_files_title ? d->new_files_title : "");
			if (db_exec(st) != DB_OK)
				return PROPOSAL_ERROR;
		}
	}
	return PROPOSAL_OK;
}

enum proposal_rc proposal_save(struct db *db, struct arena *a, const struct proposal *p,
			       const struct proposal_draft *d, int64_t user_id, int64_t now,
			       const char **why)
{
	*why = NULL;
	if (db_begin(db) != DB_OK)
		return PROPOSAL_ERROR;
	enum proposal_rc rc = write_draft(db, a, p, d, now, why);
	if (rc != PROPOSAL_OK)
		goto fail;
	const char *summary =
	    arena_printf(a, "下書きを保存: %s", *d->title ? d->title : "（無題）");
	if (audit(db, user_id, "update", "proposal", p->id, summary) != DB_OK ||
	    db_commit(db) != DB_OK) {
		rc = PROPOSAL_ERROR;
		goto fail;
	}
	return PROPOSAL_OK;
fail:
	db_rollback(db);
	return rc;
}

enum proposal_rc proposal_create(struct db *db, struct arena *a, int64_t call_id,
				 int64_t category_id, int64_t group_id, int64_t user_id,
				 int64_t now, int64_t *id, const char **why)
{
	*why = NULL;
	struct call c;
	struct category k;
	struct group g;
	if (call_get(db, a, call_id, &c) != CALL_OK || !c.published ||
	    category_get(db, a, category_id, &k) != CALL_OK || k.call_id != call_id ||
	    group_get(db, a, group_id, &g) != GROUP_OK || g.archived)
		return PROPOSAL_NOT_FOUND;
	if (!group_is_member(db, group_id, user_id))
		return PROPOSAL_FORBIDDEN;
	if (now > k.deadline_at)
		return PROPOSAL_CLOSED;
	if (k.min_members > 0 && g.members < k.min_members) {
		*why =
		    g.members < 0
			? arena_printf(a,
				       "%sには会員が%lld人以上必要ですが、団体の会員数が登録されて"
				       "いません。団体の情報に会員数を登録してください",
				       k.name, (long long)k.min_members)
			: arena_printf(a,
				       "%sには会員が%lld人以上必要です（%sの会員数：%lld人）。"
				       "この部門には応募できません",
				       k.name, (long long)k.min_members, g.name,
				       (long long)g.members);
		return PROPOSAL_INVALID;
	}
	if (db_begin(db) != DB_OK)
		return PROPOSAL_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_INSERT);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, category_id);
	db_bind_int(st, 3, group_id);
	db_bind_int(st, 4, user_id);
	db_bind_int(st, 5, now);
	if (db_exec(st) != DB_OK)
		goto fail;
	*id = db_last_id(db);
	if (audit(db, user_id, "create", "proposal", *id,
		  arena_printf(a, "下書きを作成: %s %s（%s）", c.title, k.name, g.name)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return PROPOSAL_OK;
fail:
	db_rollback(db);
	*id = 0;
	return PROPOSAL_ERROR;
}

/* ---- submission ---- */

struct problems {
	struct proposal_problem *items;
	size_t n, cap;
	struct arena *a;
};

static void problem(struct problems *ps, const char *field, const char *message)
{
	ps->items = grow(ps->a, ps->items, ps->n, &ps->cap, sizeof(*ps->items));
	ps->items[ps->n].field = field;
	ps->items[ps->n].message = message;
	ps->n++;
}

static const char *jst(struct arena *a, int64_t t)
{
	struct buf b = BUF_INIT;
	call_format_jst(&b, t);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

size_t proposal_check(struct db *db, struct arena *a, const struct proposal *p, int64_t now,
		      struct proposal_problem **out)
{
	struct problems ps = {.a = a};
	static const int required[] = {PRF_TITLE,   PRF_SUMMARY,     PRF_BACKGROUND, PRF_PURPOSE,
				       PRF_CONTENT, PRF_ROLES_GROUP, PRF_ROLES_CITY, PRF_EFFECT};
	const char *values[] = {p->title,   p->summary,	    p->background, p->purpose,
				p->content, p->roles_group, p->roles_city, p->effect};
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!values[i] || !*values[i])
			problem(&ps, proposal_fields[required[i]].name,
				arena_printf(a, "%sを入力してください",
					     proposal_fields[required[i]].label));
	if (p->nschedule == 0)
		problem(&ps, "schedule", "実施スケジュールを1行以上入力してください");

	struct category k;
	if (category_get(db, a, p->category_id, &k) != CALL_OK) {
		problem(&ps, "category", "部門の情報を読み込めませんでした");
		goto done;
	}
	/* A reopened proposal was sent back by the office for correction and
	 * may be resubmitted after the deadline. */
	if (strcmp(p->status, "reopened") != 0 && !category_is_open(&k, now)) {
		if (now < k.opens_at)
			problem(&ps, "category",
				arena_printf(a, "%sの受付はまだ始まっていません（受付開始：%s）",
					     k.name, jst(a, k.opens_at)));
		else
			problem(&ps, "category",
				arena_printf(a, "%sの受付は締め切られました（締切：%s）", k.name,
					     jst(a, k.deadline_at)));
	}
	if (k.needs_division && !p->division_id)
		problem(&ps, "division", "協働を希望する課を選んでください");

	bool has_expense = false;
	for (size_t i = 0; i < p->nbudget; i++)
		has_expense |= p->budget[i].kind == BUDGET_EXPENSE;
	const char *bm = budget_check_request(a, &p->totals, k.cap_yen, has_expense);
	if (bm)
		problem(&ps, "budget", bm);

	struct group g;
	if (group_get(db, a, p->group_id, &g) != GROUP_OK) {
		problem(&ps, "group", "団体の情報を読み込めませんでした");
	} else if (k.min_members > 0 && g.members < k.min_members) {
		problem(
		    &ps, "group",
		    g.members < 0
			? arena_printf(a,
				       "%sには会員が%lld人以上必要です。団体の情報に会員数を登録"
				       "してください",
				       k.name, (long long)k.min_members)
			: arena_printf(a, "%sには会員が%lld人以上必要です（%sの会員数：%lld人）",
				       k.name, (long long)k.min_members, g.name,
				       (long long)g.members));
	}

	if (k.min_groups >= 2) {
		if ((int64_t)p->npartners + 1 < k.min_groups)
			problem(
			    &ps, "partners",
			    arena_printf(a,
					 "%sは%lld団体以上の連携による応募です。連携団体を入力して"
					 "ください",
					 k.name, (long long)k.min_groups));
		for (size_t i = 0; i < p->npartners; i++)
			if (!p->partners[i].confirmed_at)
				problem(&ps, "partners",
					arena_printf(a,
						     "連携団体「%s」の確認が済んでいません。"
						     "この団体のメンバーに確認を依頼してください",
						     p->partners[i].group_name));
	} else if (p->npartners) {
		problem(&ps, "partners", "この部門では連携団体を指定できません");
	}

	bool coord_missing, div_missing;
	proposal_missing_consultations(db, p, &coord_missing, &div_missing);
	if (coord_missing)
		problem(&ps, "consultation",
			"コーディネーターとの事前相談が済んでいません。事前相談を予約してください");
	if (div_missing)
		problem(&ps, "consultation",
			"担当課との事前相談が済んでいません。協働を希望する課に相談してください");
done:
	*out = ps.items;
	return ps.n;
}

size_t proposal_check_draft(struct db *db, struct arena *a, const struct proposal *p,
			    const struct proposal_draft *d, int64_t now,
			    struct proposal_problem **out)
{
	struct proposal q = *p;
	q.title = d->title;
	q.summary = d->summary;
	q.background = d->background;
	q.purpose = d->purpose;
	q.content = d->content;
	q.roles_group = d->roles_group;
	q.roles_city = d->roles_city;
	q.effect = d->effect;
	q.division_id = d->division_id;
	q.previous_id = d->previous_id;
	q.schedule = (struct proposal_sched *)d->schedule;
	q.nschedule = d->nschedule;
	q.budget = (struct budget_line *)d->budget;
	q.nbudget = d->nbudget;
	if (budget_total(q.budget, q.nbudget, &q.totals) != 0)
		memset(&q.totals, 0, sizeof(q.totals));
	/* Partners as named in d, keeping the confirmations already given. */
	q.partners = arena_alloc(a, (d->npartners + 1) * sizeof(*q.partners));
	q.npartners = 0;
	for (size_t i = 0; i < d->npartners; i++) {
		struct proposal_partner *x = &q.partners[q.npartners++];
		memset(x, 0, sizeof(*x));
		x->group_id = d->partners[i];
		x->group_name = membership_group_name(db, a, d->partners[i]);
		if (!x->group_name)
			x->group_name = "";
		for (size_t k = 0; k < p->npartners; k++)
			if (p->partners[k].group_id == x->group_id)
				*x = p->partners[k];
	}
	return proposal_check(db, a, &q, now, out);
}

void proposal_missing_consultations(struct db *db, const struct proposal *p,
				    bool *coordinator_missing, bool *division_missing)
{
	*coordinator_missing = *division_missing = false;
	struct arena a;
	arena_init(&a);
	struct category k;
	if (category_get(db, &a, p->category_id, &k) == CALL_OK &&
	    (k.needs_coordinator || k.needs_division)) {
		bool c = false, d = false;
		/* A storage error counts as missing: submission stays refused. */
		consultation_requirements(db, p->group_id, p->call_id, &c, &d);
		*coordinator_missing = k.needs_coordinator && !c;
		*division_missing = k.needs_division && !d;
	}
	arena_free(&a);
}

enum proposal_rc proposal_submit(struct db *db, struct arena *a, const struct proposal *p,
				 const struct proposal_draft *d, int64_t user_id, int64_t now,
				 struct proposal_problem **problems, size_t *nproblems,
				 const char **receipt_no)
{
	*problems = NULL;
	*nproblems = 0;
	*receipt_no = NULL;
	const char *why = NULL;
	enum proposal_rc rc = PROPOSAL_ERROR;
	/* BEGIN IMMEDIATE: a second submit of the same draft waits here until
	 * the first commits, then finds it submitted. */
	if (db_begin(db) != DB_OK)
		return PROPOSAL_ERROR;
	int64_t seq = 0;
	const char *status = current_status(db, a, p->id, &seq, NULL);
	if (!status) {
		rc = PROPOSAL_NOT_FOUND;
		goto fail;
	}
	if (!proposal_status_editable(status)) {
		rc = PROPOSAL_STATE;
		goto fail;
	}
	if (d && (rc = write_draft(db, a, p, d, now, &why)) != PROPOSAL_OK) {
		if (rc == PROPOSAL_INVALID) {
			*problems = arena_alloc(a, sizeof(**problems));
			(*problems)[0] = (struct proposal_problem){"attachment", why};
			*nproblems = 1;
		}
		goto fail;
	}
	struct proposal cur;
	if ((rc = read_proposal(db, a, p->id, &cur)) != PROPOSAL_OK)
		goto fail;
	*nproblems = proposal_check(db, a, &cur, now, problems);
	if (*nproblems) {
		rc = PROPOSAL_INVALID;
		goto fail;
	}
	bool resubmit = cur.receipt_seq > 0;
	const char *no = cur.receipt_no;
	if (!resubmit) {
		struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_NEXT_SEQ);
		db_bind_int(st, 1, cur.category_id);
		if (db_step(st) != DB_ROW) {
			rc = PROPOSAL_ERROR;
			goto fail;
		}
		seq = db_int(st, 0);
		db_reset(st);
		no = proposal_receipt_no(a, cur.fiscal_year, cur.category_short, seq);
		if (!no) {
			rc = PROPOSAL_ERROR;
			goto fail;
		}
	} else {
		seq = cur.receipt_seq;
	}
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_SUBMIT);
	db_bind_int(st, 1, cur.id);
	db_bind_int(st, 2, seq);
	db_bind_str(st, 3, no);
	db_bind_int(st, 4, now);
	rc = PROPOSAL_ERROR;
	if (db_exec(st) != DB_OK || db_changes(db) != 1)
		goto fail;
	if (audit(db, user_id, "submit", "proposal", cur.id,
		  arena_printf(a, "%s: %s %s", resubmit ? "再提出" : "提出", no, cur.title)) !=
	    DB_OK)
		goto fail;
	const char *body = arena_printf(
	    a,
	    "企画提案書を%sしました。\n\n受付番号：%s\n事業名：%s\n募集：%s\n部門：%s\n団体：%s\n"
	    "受付日時：%s\n\n内容は企画提案書のページで確認できます。",
	    resubmit ? "再提出" : "受け付け", no, cur.title, cur.call_title, cur.category_name,
	    cur.group_name, jst(a, now));
	if (notify_group(db, a, cur.group_id, "receipt",
			 arena_printf(a, "企画提案書の受付（受付番号 %s）", no), body,
			 link_of(a, cur.id)) != DB_OK)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;
	*receipt_no = no;
	return PROPOSAL_OK;
fail:
	db_rollback(db);
	return rc;
}

/* Move proposal id from one of the statuses in from[] to status to. */
static enum proposal_rc transition(struct db *db, struct arena *a, int64_t id,
				   const char *const *from, const char *to, const char *reason,
				   int64_t user_id, int64_t now, const char *action,
				   const char *summary)
{
	if (db_begin(db) != DB_OK)
		return PROPOSAL_ERROR;
	enum proposal_rc rc = PROPOSAL_NOT_FOUND;
	const char *status = current_status(db, a, id, NULL, NULL);
	if (!status)
		goto fail;
	rc = PROPOSAL_STATE;
	bool allowed = false;
	for (const char *const *s = from; *s; s++)
		allowed |= strcmp(*s, status) == 0;
	if (!allowed)
		goto fail;
	rc = PROPOSAL_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_SET_STATUS);
	db_bind_int(st, 1, id);
	db_bind_str(st, 2, status);
	db_bind_str(st, 3, to);
	db_bind_str(st, 4, reason); /* NULL keeps the stored reason */
	db_bind_int(st, 5, now);
	if (db_exec(st) != DB_OK || db_changes(db) != 1)
		goto fail;
	if (audit(db, user_id, action, "proposal", id, summary) != DB_OK)
		goto fail;
	if (strcmp(to, "reopened") == 0) {
		struct proposal p;
		if (read_proposal(db, a, id, &p) != PROPOSAL_OK)
			goto fail;
		const char *body = arena_printf(
		    a,
		    "事務局が企画提案書「%s」（受付番号 "
		    "%s）を修正のため差し戻しました。\n\n理由：%s\n\n"
		    "企画提案書のページで内容を修正し、もう一度提出してください。受付番号は変わりま"
		    "せん。",
		    p.title, p.receipt_no, reason);
		if (notify_group(
			db, a, p.group_id, "reopened",
			arena_printf(a, "企画提案書の差し戻し（受付番号 %s）", p.receipt_no), body,
			link_of(a, id)) != DB_OK)
			goto fail;
	}
	if (db_commit(db) != DB_OK)
		goto fail;
	return PROPOSAL_OK;
fail:
	db_rollback(db);
	return rc;
}

enum proposal_rc proposal_withdraw(struct db *db, struct arena *a, int64_t id, int64_t user_id,
				   int64_t now)
{
	struct proposal p;
	enum proposal_rc rc = proposal_get(db, a, id, &p);
	if (rc != PROPOSAL_OK)
		return rc;
	if (!proposal_is_applicant(db, &p, user_id))
		return PROPOSAL_FORBIDDEN;
	struct category k;
	if (category_get(db, a, p.category_id, &k) != CALL_OK)
		return PROPOSAL_ERROR;
	if (now > k.deadline_at)
		return PROPOSAL_CLOSED;
	static const char *const from[] = {"submitted", "reopened", NULL};
	return transition(db, a, id, from, "withdrawn", NULL, user_id, now, "withdraw",
			  arena_printf(a, "取り下げ: %s %s", p.receipt_no, p.title));
}

enum proposal_rc proposal_reopen(struct db *db, struct arena *a, int64_t id, const char *reason,
				 int64_t user_id, int64_t now)
{
	static const char *const from[] = {"submitted", NULL};
	return transition(db, a, id, from, "reopened", reason, user_id, now, "reopen",
			  arena_printf(a, "差し戻し: %s", reason));
}

enum proposal_rc proposal_confirm(struct db *db, struct arena *a, int64_t id, int64_t group_id,
				  int64_t user_id, int64_t now)
{
	if (!group_is_member(db, group_id, user_id))
		return PROPOSAL_FORBIDDEN;
	if (db_begin(db) != DB_OK)
		return PROPOSAL_ERROR;
	enum proposal_rc rc = PROPOSAL_NOT_FOUND;
	const char *status = current_status(db, a, id, NULL, NULL);
	if (!status)
		goto fail;
	rc = PROPOSAL_STATE;
	if (!proposal_status_editable(status))
		goto fail;
	rc = PROPOSAL_FORBIDDEN; /* not a partner of this proposal */
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_PARTNER_CONFIRM);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, group_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, user_id);
	if (db_exec(st) != DB_OK) {
		rc = PROPOSAL_ERROR;
		goto fail;
	}
	if (db_changes(db) == 0) {
		/* Either not a partner, or confirmed already (which is fine). */
		struct proposal p = {.id = id};
		if (read_partners(db, a, &p) != PROPOSAL_OK) {
			rc = PROPOSAL_ERROR;
			goto fail;
		}
		for (size_t i = 0; i < p.npartners; i++)
			if (p.partners[i].group_id == group_id)
				rc = PROPOSAL_OK;
		db_rollback(db);
		return rc;
	}
	const char *name = membership_group_name(db, a, group_id);
	if (audit(db, user_id, "partner_confirm", "proposal", id,
		  arena_printf(a, "連携団体の確認: %s", name)) != DB_OK ||
	    db_commit(db) != DB_OK) {
		rc = PROPOSAL_ERROR;
		goto fail;
	}
	return PROPOSAL_OK;
fail:
	db_rollback(db);
	return rc;
}

/* ---- lists ---- */

static void read_summary(struct db_stmt *st, struct arena *a, struct proposal_summary *s)
{
	s->id = db_int(st, 0);
	s->call_id = db_int(st, 1);
	s->category_id = db_int(st, 2);
	s->group_id = db_int(st, 3);
	s->status = dup(a, st, 4);
	s->receipt_no = dup(a, st, 5);
	s->title = dup(a, st, 6);
	s->submitted_at = db_int(st, 7);
	s->updated_at = db_int(st, 8);
	s->group_name = dup(a, st, 9);
	s->call_title = dup(a, st, 10);
	s->fiscal_year = db_int(st, 11);
	s->category_name = dup(a, st, 12);
	s->category_short = dup(a, st, 13);
	s->division_name = dup(a, st, 14);
	s->division_id = db_int(st, 15);
	s->summary = dup(a, st, 16);
	s->requested = db_int(st, 17);
}

static void bind_filters(struct db_stmt *st, const struct proposal_query *q)
{
	if (q->call_id)
		db_bind_int(st, 1, q->call_id);
	else
		db_bind_null(st, 1);
	if (q->category_id)
		db_bind_int(st, 2, q->category_id);
	else
		db_bind_null(st, 2);
	db_bind_str(st, 3, q->status);
	if (q->division_id)
		db_bind_int(st, 4, q->division_id);
	else
		db_bind_null(st, 4);
}

enum proposal_rc proposal_list(struct db *db, struct arena *a, const struct proposal_query *q,
			       struct proposal_summary **items, size_t *n, int64_t *total)
{
	*items = NULL;
	*n = 0;
	*total = 0;
	enum proposal_rc out = PROPOSAL_ERROR;
	db_read_begin(db);
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_LIST_COUNT);
	bind_filters(st, q);
	if (db_step(st) != DB_ROW)
		goto done;
	*total = db_int(st, 0);
	db_reset(st);
	st = db_stmt(db, STMT_PROPOSAL_LIST);
	bind_filters(st, q);
	db_bind_int(st, 5, q->per_page);
	db_bind_int(st, 6, (q->page - 1) * q->per_page);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*items = grow(a, *items, *n, &cap, sizeof(**items));
		read_summary(st, a, &(*items)[(*n)++]);
	}
	if (rc == DB_DONE)
		out = PROPOSAL_OK;
done:
	db_read_end(db);
	return out;
}

enum proposal_rc proposal_list_mine(struct db *db, struct arena *a, int64_t user_id, size_t max,
				    struct proposal_summary **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_LIST_MINE);
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, (int64_t)max);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*items = grow(a, *items, *n, &cap, sizeof(**items));
		read_summary(st, a, &(*items)[(*n)++]);
	}
	return rc == DB_DONE ? PROPOSAL_OK : PROPOSAL_ERROR;
}

enum proposal_rc proposal_counts(struct db *db, struct arena *a, int64_t call_id,
				 int64_t division_id, struct proposal_count **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_COUNTS);
	db_bind_int(st, 1, call_id);
	if (division_id)
		db_bind_int(st, 2, division_id);
	else
		db_bind_null(st, 2);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		struct proposal_count *c = &(*out)[(*n)++];
		c->category_id = db_int(st, 0);
		c->category_name = dup(a, st, 1);
		c->total = db_int(st, 2);
		c->draft = db_int(st, 3);
		c->submitted = db_int(st, 4);
		c->withdrawn = db_int(st, 5);
		c->reopened = db_int(st, 6);
	}
	return rc == DB_DONE ? PROPOSAL_OK : PROPOSAL_ERROR;
}

size_t proposal_previous_choices(struct db *db, struct arena *a, int64_t group_id,
				 int64_t except_id, int64_t fiscal_year, struct proposal_ref **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_PREVIOUS);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, except_id);
	db_bind_int(st, 3, fiscal_year);
	while (db_step(st) == DB_ROW) {
		*out = grow(a, *out, n, &cap, sizeof(**out));
		struct proposal_ref *r = &(*out)[n++];
		r->id = db_int(st, 0);
		r->title = dup(a, st, 1);
		r->receipt_no = dup(a, st, 2);
		r->fiscal_year = db_int(st, 3);
	}
	return n;
}
