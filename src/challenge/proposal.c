/*
 * proposal: statuses, the declared fields, receipt numbers, who may do
 * what, reading, the form, drafts (create, save) and lists.  Submission
 * and the later transitions are in proposal_submit.c.
 */
#include "challenge/proposal_internal.h"
#include "accounts/membership.h"
#include "challenge/adoption.h"
#include "challenge/call.h"
#include "core/audit.h"
#include "core/role.h"
#include "groups/group.h"
#include "notifications/outbox.h"
#include "store/row.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/str.h"
#include "util/text.h"

#include <string.h>

const char *const proposal_status_keys[PROPOSAL_STATUS__MAX + 1] = {
    [PROPOSAL_DRAFT] = "draft",		[PROPOSAL_SUBMITTED] = "submitted",
    [PROPOSAL_WITHDRAWN] = "withdrawn", [PROPOSAL_REOPENED] = "reopened",
    [PROPOSAL_STATUS__MAX] = NULL,
};

static const char *const status_label_keys[PROPOSAL_STATUS__MAX] = {
    [PROPOSAL_DRAFT] = "proposals.status.draft",
    [PROPOSAL_SUBMITTED] = "proposals.status.submitted",
    [PROPOSAL_WITHDRAWN] = "proposals.status.withdrawn",
    [PROPOSAL_REOPENED] = "proposals.status.reopened",
};

const char *proposal_status_label_key(const char *key)
{
	for (int i = 0; i < PROPOSAL_STATUS__MAX; i++)
		if (key && strcmp(key, proposal_status_keys[i]) == 0)
			return status_label_keys[i];
	return NULL;
}

bool proposal_status_editable(const char *key)
{
	return key && (strcmp(key, "draft") == 0 || strcmp(key, "reopened") == 0);
}

const char *proposal_rc_key(enum rc rc)
{
	switch (rc) {
	case RC_NOT_FOUND:
		return "proposals.rc.not_found";
	case RC_STATE:
		return "proposals.rc.state";
	case RC_FORBIDDEN:
		return "proposals.rc.forbidden";
	case RC_CLOSED:
		return "proposals.rc.closed";
	case RC_OK:
	case RC_INVALID:
		return rc_key(rc);
	default:
		return "proposals.rc.error";
	}
}

/* ---- fields ---- */

/* Each field's label is the message key proposals.field.<name>. */
#define FIELD(name, kind, max)                                                                     \
	{                                                                                          \
		name, "proposals.field." name, kind, false, max, 0, 0, NULL                        \
	}

#define SCHED_ROW(n)                                                                               \
	[PRF_SCHED_WHEN(n - 1)] = FIELD("sched_when_" #n, F_LINE, 50),                             \
			    [PRF_SCHED_WHAT(n - 1)] = FIELD("sched_what_" #n, F_LINE, 200)

#define BUDGET_LINE(kind, key, n)                                                                  \
	[PRF_BUDGET(kind, n - 1,                                                                   \
		    BCOL_ITEM)] = FIELD(key "_item_" #n, F_LINE, BUDGET_ITEM_MAX),                 \
		    [PRF_BUDGET(kind, n - 1, BCOL_PRICE)] = FIELD(key "_price_" #n, F_LINE, 20),   \
		    [PRF_BUDGET(kind, n - 1, BCOL_QTY)] = FIELD(key "_qty_" #n, F_LINE, 20),       \
		    [PRF_BUDGET(kind, n - 1, BCOL_AMOUNT)] = FIELD(key "_amount_" #n, F_LINE, 20)

#define INCOME(n)  BUDGET_LINE(BUDGET_INCOME, "income", n)
#define EXPENSE(n) BUDGET_LINE(BUDGET_EXPENSE, "expense", n)

static const char *const actions[] = {"save", "submit", NULL};

const struct field_spec proposal_fields[PRF__MAX] = {
    [PRF_TITLE] = FIELD("title", F_LINE, 100),
    [PRF_SUMMARY] = FIELD("summary", F_TEXT, PROPOSAL_SUMMARY_MAX),
    [PRF_BACKGROUND] = FIELD("background", F_TEXT, 4000),
    [PRF_PURPOSE] = FIELD("purpose", F_TEXT, 4000),
    [PRF_CONTENT] = FIELD("content", F_TEXT, 4000),
    [PRF_ROLES_GROUP] = FIELD("roles_group", F_TEXT, 2000),
    [PRF_ROLES_CITY] = FIELD("roles_city", F_TEXT, 2000),
    [PRF_EFFECT] = FIELD("effect", F_TEXT, 2000),
    [PRF_DIVISION] = FIELD("division", F_ID, 20),
    [PRF_PREVIOUS] = FIELD("previous", F_ID, 20),
    [PRF_PARTNER + 0] = FIELD("partner_1", F_LINE, 100),
    [PRF_PARTNER + 1] = FIELD("partner_2", F_LINE, 100),
    [PRF_PARTNER + 2] = FIELD("partner_3", F_LINE, 100),
    [PRF_PARTNER + 3] = FIELD("partner_4", F_LINE, 100),
    [PRF_ATTACHMENT] = FIELD("attachment", F_LINE, 200),
    [PRF_ATTACHMENT_TITLE] = FIELD("attachment_title", F_LINE, 100),
    [PRF_REMOVE_FILE] = FIELD("remove_file", F_MULTI, 20),
    [PRF_ACTION] = {"action", "proposals.field.action", F_CHOICE, false, 10, 0, 0, actions},
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
    [PNF_CALL] = {"call", "proposals.field.call", F_ID, true, 20, 0, 0, NULL},
    [PNF_CATEGORY] = {"category", "proposals.field.category", F_ID, true, 20, 0, 0, NULL},
    [PNF_GROUP] = {"group", "proposals.field.group", F_ID, true, 20, 0, 0, NULL},
};

const struct field_spec proposal_query_fields[PQ__MAX] = {
    [PQ_CALL] = {"call", "proposals.field.call", F_ID, false, 20, 0, 0, NULL},
    [PQ_CATEGORY] = {"category", "proposals.field.category", F_ID, false, 20, 0, 0, NULL},
    [PQ_STATUS] = {"status", "proposals.query.status", F_CHOICE, false, 20, 0, 0,
		   proposal_status_keys},
    [PQ_DIVISION] = {"division", "proposals.query.division", F_ID, false, 20, 0, 0, NULL},
    [PQ_PAGE] = {"page", "proposals.query.page", F_INT, false, 6, 1, 100000, NULL},
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

/* ---- who may do what ---- */

bool proposal_access(struct db *db, const struct who *w, int64_t id, enum access_act act)
{
	if (!w)
		return false;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_MEMBERSHIP);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, w->id);
	if (db_step(st) != DB_ROW)
		return false; /* no such proposal (or a storage error: refuse) */
	bool lead = db_int(st, 0) != 0, partner = db_int(st, 1) != 0;
	db_reset(st);
	switch (act) {
	case ACCESS_VIEW:
		/* The division role sees its own projects' proposals once adopted. */
		return who_is_staff(w) || lead || partner ||
		       (who_has(w, ROLE_DIVISION) && adoption_division_may_read(db, id, w->id));
	case ACCESS_EDIT:
		return lead;
	case ACCESS_MANAGE:
		return who_is_admin(w);
	}
	return false;
}

/* ---- receipt numbers ---- */

const char *proposal_receipt_no(struct arena *a, int64_t fiscal_year, const char *short_name,
				int64_t seq)
{
	/* The era names as util/jp.c writes them, and their initials: data of
	 * the receipt number, not words shown by themselves. */
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
		/* The era year in digits, or 元 (no digits) for year 1. */
		const char *y = b.p + k;
		size_t digits = strspn(y, "0123456789");
		int64_t year = 1;
		if (digits && str_to_i64((struct str){y, digits}, 1, 999, &year) != 0)
			goto done;
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

/*
 * Every row of st, read by read into a new arena array of size-byte
 * elements; the count in *n.  *rc is RC_OK, or RC_ERROR when a step fails
 * (the rows read until then are kept).
 */
static void *read_all(struct db_stmt *st, struct arena *a, db_read_fn read, size_t size, size_t *n,
		      enum rc *rc)
{
	void *items = NULL;
	size_t cap = 0;
	int step;
	*n = 0;
	while ((step = db_step(st)) == DB_ROW) {
		items = arena_grow(a, items, *n, &cap, size);
		read(st, a, (char *)items + *n * size);
		(*n)++;
	}
	*rc = step == DB_DONE ? RC_OK : RC_ERROR;
	return items;
}

static void read_id(struct db_stmt *st, struct arena *a, void *out)
{
	(void)a;
	*(int64_t *)out = db_int(st, 0);
}

static void read_partner(struct db_stmt *st, struct arena *a, void *out)
{
	struct proposal_partner *x = out;
	x->group_id = db_int(st, 0);
	x->group_name = dup(a, st, 1);
	x->confirmed_at = db_int(st, 2);
	x->confirmed_by = db_int(st, 3);
	x->confirmed_by_name = dup(a, st, 4);
}

static void read_sched(struct db_stmt *st, struct arena *a, void *out)
{
	struct proposal_sched *s = out;
	s->position = (int)db_int(st, 0);
	s->when = dup(a, st, 1);
	s->what = dup(a, st, 2);
}

static void read_budget_line(struct db_stmt *st, struct arena *a, void *out)
{
	struct budget_line *l = out;
	const char *kind = db_text(st, 0);
	l->kind = kind && strcmp(kind, "income") == 0 ? BUDGET_INCOME : BUDGET_EXPENSE;
	l->position = (int)db_int(st, 1);
	l->item = dup(a, st, 2);
	l->unit_price = db_int(st, 3);
	l->quantity = db_int(st, 4);
	l->amount = db_int(st, 5);
}

static void read_file(struct db_stmt *st, struct arena *a, void *out)
{
	struct proposal_file *f = out;
	f->id = db_int(st, 0);
	f->file_id = db_int(st, 1);
	f->title = dup(a, st, 2);
	f->name = dup(a, st, 3);
	f->mime = dup(a, st, 4);
	f->size = db_int(st, 5);
}

/* The columns of STMT_PROPOSAL_GET. */
static void read_row(struct db_stmt *st, struct arena *a, void *out)
{
	struct proposal *p = out;
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
}

/* Run statement id with ?1 = the proposal's id. */
static struct db_stmt *children(struct db *db, enum stmt id, int64_t proposal_id)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, proposal_id);
	return st;
}

enum rc proposal_read_partners(struct db *db, struct arena *a, struct proposal *p)
{
	enum rc rc;
	p->partners = read_all(children(db, STMT_PROPOSAL_PARTNERS, p->id), a, read_partner,
			       sizeof(*p->partners), &p->npartners, &rc);
	return rc;
}

enum rc proposal_read(struct db *db, struct arena *a, int64_t id, struct proposal *p)
{
	memset(p, 0, sizeof(*p));
	enum rc rc = db_get(db, STMT_PROPOSAL_GET, id, read_row, a, p);
	if (rc != RC_OK || (rc = proposal_read_partners(db, a, p)) != RC_OK)
		return rc;
	p->schedule = read_all(children(db, STMT_PROPOSAL_SCHEDULE, id), a, read_sched,
			       sizeof(*p->schedule), &p->nschedule, &rc);
	if (rc != RC_OK)
		return rc;
	p->budget = read_all(children(db, STMT_PROPOSAL_BUDGET, id), a, read_budget_line,
			     sizeof(*p->budget), &p->nbudget, &rc);
	if (rc != RC_OK)
		return rc;
	if (budget_total(p->budget, p->nbudget, &p->totals) != 0)
		return RC_ERROR;
	p->files = read_all(children(db, STMT_PROPOSAL_FILES, id), a, read_file, sizeof(*p->files),
			    &p->nfiles, &rc);
	return rc;
}

enum rc proposal_get(struct db *db, struct arena *a, int64_t id, struct proposal *p)
{
	db_read_begin(db);
	enum rc rc = proposal_read(db, a, id, p);
	db_read_end(db);
	return rc;
}

bool proposal_is_applicant(struct db *db, const struct proposal *p, int64_t user_id)
{
	return user_id > 0 && group_is_member(db, p->group_id, user_id);
}

size_t proposal_file_owners(struct db *db, struct arena *a, int64_t file_id, int64_t **out)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_FILE_OWNERS);
	db_bind_int(st, 1, file_id);
	size_t n;
	enum rc rc;
	*out = read_all(st, a, read_id, sizeof(**out), &n, &rc);
	return n;
}

size_t proposal_partner_groups_of(struct db *db, struct arena *a, const struct proposal *p,
				  int64_t user_id, int64_t **out)
{
	struct db_stmt *st = children(db, STMT_PROPOSAL_PARTNER_GROUPS_OF, p->id);
	db_bind_int(st, 2, user_id);
	size_t n;
	enum rc rc;
	*out = read_all(st, a, read_id, sizeof(**out), &n, &rc);
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
	if (group_get(db, a, id, &g) || g.archived)
		return 0;
	return id;
}

/* The partner slots of f, checked: named groups that exist, are not the
 * lead group and are named once, in a category for several groups. */
static void partners_from_form(struct db *db, struct arena *a, struct form *f,
			       const struct proposal *p, struct proposal_draft *d)
{
	struct category cat;
	bool joint = category_get(db, a, p->category_id, &cat) == RC_OK && cat.min_groups >= 2;
	for (size_t i = 0; i < PROPOSAL_PARTNER_SLOTS; i++) {
		const struct field_value *v = &f->v[PRF_PARTNER + i];
		if (!v->present || v->error)
			continue;
		int64_t gid = joint ? find_group(db, a, v->s) : 0;
		bool dupe = false;
		for (size_t k = 0; k < d->npartners; k++)
			dupe |= d->partners[k] == gid;
		const char *why = !joint	       ? "proposals.err.partner_not_allowed"
				  : !gid	       ? "proposals.err.partner_not_found"
				  : gid == p->group_id ? "proposals.err.partner_is_lead"
				  : dupe	       ? "proposals.err.partner_twice"
						       : NULL;
		if (why)
			form_error(f, PRF_PARTNER + i, why);
		else
			d->partners[d->npartners++] = gid;
	}
}

static void schedule_from_form(struct form *f, struct proposal_draft *d)
{
	for (int i = 0; i < PROPOSAL_SCHED_ROWS; i++) {
		const struct field_value *w = &f->v[PRF_SCHED_WHEN(i)];
		const struct field_value *x = &f->v[PRF_SCHED_WHAT(i)];
		if (!w->present && !x->present)
			continue;
		if (!w->present)
			form_error(f, PRF_SCHED_WHEN(i), "proposals.err.sched_when");
		if (!x->present)
			form_error(f, PRF_SCHED_WHAT(i), "proposals.err.sched_what");
		if (w->present && x->present && !w->error && !x->error) {
			struct proposal_sched *s = &d->schedule[d->nschedule++];
			s->position = i + 1;
			s->when = w->s;
			s->what = x->s;
		}
	}
}

/* Record a budget reason against field i.  Its words are formatted here
 * because they carry numbers (form_error takes a key or finished words). */
static void budget_error(struct arena *a, struct form *f, size_t i, const struct budget_msg *m)
{
	if (m->key)
		form_error(f, i, msg_format(a, m->key, m->args));
}

static void budget_from_form(struct arena *a, struct form *f, struct proposal_draft *d)
{
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
				budget_error(a, f, base + BCOL_ITEM, &e.item);
				budget_error(a, f, base + BCOL_PRICE, &e.price);
				budget_error(a, f, base + BCOL_QTY, &e.qty);
				budget_error(a, f, base + BCOL_AMOUNT, &e.amount);
			}
		}
	}
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
		if (division_get(db, a, id, &dv) != RC_OK || (dv.archived && id != p->division_id))
			form_error(f, PRF_DIVISION, "proposals.err.division_choice");
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
			form_error(f, PRF_PREVIOUS, "proposals.err.previous_choice");
	}

	partners_from_form(db, a, f, p, d);
	schedule_from_form(f, d);
	budget_from_form(a, f, d);

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
				form_error(f, PRF_REMOVE_FILE, "proposals.err.remove_file");
				break;
			}
			ids[d->nremove++] = id;
		}
		d->remove_files = ids;
	}
	if (f->v[PRF_ATTACHMENT].present)
		form_error(f, PRF_ATTACHMENT, "proposals.err.attachment_as_text");
	d->new_files_title = form_s(f, PRF_ATTACHMENT_TITLE);
	return f->nerrors;
}

/* ---- writing ---- */

const char *proposal_title_or_untitled(const char *title)
{
	return title && *title ? title : msg("proposals.untitled");
}

int proposal_notify_group(struct db *db, struct arena *a, int64_t group_id, const char *kind,
			  const char *subject, const char *body, int64_t id)
{
	size_t n;
	enum rc rc;
	int64_t *ids =
	    read_all(children(db, STMT_GROUP_MEMBERS, group_id), a, read_id, sizeof(*ids), &n, &rc);
	if (rc != RC_OK)
		return DB_ERROR;
	/* The statement is finished before notify() runs others. */
	const char *link = arena_printf(a, "/proposals/%lld", (long long)id);
	for (size_t i = 0; i < n; i++)
		if (notify(db, ids[i], kind, subject, body, link) != DB_OK)
			return DB_ERROR;
	return DB_OK;
}

const char *proposal_current_status(struct db *db, struct arena *a, int64_t id, int64_t *seq)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_STATE);
	db_bind_int(st, 1, id);
	if (db_step(st) != DB_ROW)
		return NULL;
	const char *s = dup(a, st, 0);
	if (seq)
		*seq = db_int(st, 1);
	db_reset(st);
	return s;
}

enum rc proposal_finish(struct db *db, enum rc rc)
{
	if (rc == RC_OK && db_commit(db) == DB_OK)
		return RC_OK;
	db_rollback(db);
	return rc == RC_OK ? RC_ERROR : rc;
}

/* Bind id, or NULL for 0. */
static void bind_id(struct db_stmt *st, int col, int64_t id)
{
	if (id)
		db_bind_int(st, col, id);
	else
		db_bind_null(st, col);
}

static enum rc write_fields(struct db *db, const struct proposal *p, const struct proposal_draft *d,
			    int64_t now)
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
	bind_id(st, 10, d->division_id);
	bind_id(st, 11, d->previous_id);
	db_bind_int(st, 12, now);
	if (db_exec(st) != DB_OK)
		return RC_ERROR;
	return db_changes(db) == 0 ? RC_STATE /* submitted (or gone) meanwhile */ : RC_OK;
}

static enum rc write_rows(struct db *db, const struct proposal *p, const struct proposal_draft *d)
{
	if (db_exec(children(db, STMT_PROPOSAL_SCHEDULE_CLEAR, p->id)) != DB_OK)
		return RC_ERROR;
	for (size_t i = 0; i < d->nschedule; i++) {
		struct db_stmt *st = children(db, STMT_PROPOSAL_SCHEDULE_ADD, p->id);
		db_bind_int(st, 2, d->schedule[i].position);
		db_bind_str(st, 3, d->schedule[i].when);
		db_bind_str(st, 4, d->schedule[i].what);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	}
	if (db_exec(children(db, STMT_PROPOSAL_BUDGET_CLEAR, p->id)) != DB_OK)
		return RC_ERROR;
	for (size_t i = 0; i < d->nbudget; i++) {
		const struct budget_line *l = &d->budget[i];
		struct db_stmt *st = children(db, STMT_PROPOSAL_BUDGET_ADD, p->id);
		db_bind_str(st, 2, budget_kind_key(l->kind));
		db_bind_int(st, 3, l->position);
		db_bind_str(st, 4, l->item);
		db_bind_int(st, 5, l->unit_price);
		db_bind_int(st, 6, l->quantity);
		db_bind_int(st, 7, l->amount);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	}
	return RC_OK;
}

/* The partners of d: those no longer named go, newly named ones come and
 * their members are asked to confirm. */
static enum rc write_partners(struct db *db, struct arena *a, const struct proposal *p,
			      const struct proposal_draft *d)
{
	/* Partners as stored now (not as loaded before the transaction). */
	struct proposal cur = {.id = p->id};
	if (proposal_read_partners(db, a, &cur) != RC_OK)
		return RC_ERROR;
	for (size_t i = 0; i < cur.npartners; i++) {
		bool keep = false;
		for (size_t k = 0; k < d->npartners; k++)
			keep |= d->partners[k] == cur.partners[i].group_id;
		if (keep)
			continue;
		struct db_stmt *st = children(db, STMT_PROPOSAL_PARTNER_REMOVE, p->id);
		db_bind_int(st, 2, cur.partners[i].group_id);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	}
	for (size_t k = 0; k < d->npartners; k++) {
		struct db_stmt *st = children(db, STMT_PROPOSAL_PARTNER_ADD, p->id);
		db_bind_int(st, 2, d->partners[k]);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
		if (db_changes(db) == 0)
			continue; /* already a partner */
		const char *body =
		    msgf(a, "proposals.notify.partner.body", p->group_name,
			 proposal_title_or_untitled(d->title), p->call_title, p->category_name);
		if (proposal_notify_group(db, a, d->partners[k], "partner_confirm",
					  msg("proposals.notify.partner.subject"), body,
					  p->id) != DB_OK)
			return RC_ERROR;
	}
	return RC_OK;
}

/* Attachments: removals first, then the limit on what remains. */
static enum rc write_files(struct db *db, struct arena *a, const struct proposal *p,
			   const struct proposal_draft *d, struct proposal_problem *why)
{
	for (size_t i = 0; i < d->nremove; i++) {
		struct db_stmt *st = children(db, STMT_PROPOSAL_FILE_REMOVE, p->id);
		db_bind_int(st, 2, d->remove_files[i]);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	}
	if (!d->nnew)
		return RC_OK;
	size_t have = 0;
	struct db_stmt *st = children(db, STMT_PROPOSAL_FILES, p->id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		have++;
	if (rc != DB_DONE)
		return RC_ERROR;
	if (have + d->nnew > PROPOSAL_MAX_FILES) {
		*why = (struct proposal_problem){
		    "attachment",
		    "proposals.err.too_many_files",
		    {i64s(a, PROPOSAL_MAX_FILES), i64s(a, (int64_t)have), NULL},
		};
		return RC_INVALID;
	}
	for (size_t i = 0; i < d->nnew; i++) {
		st = children(db, STMT_PROPOSAL_FILE_ADD, p->id);
		db_bind_int(st, 2, d->new_files[i]);
		db_bind_str(st, 3, d->new_files_title ? d->new_files_title : "");
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	}
	return RC_OK;
}

enum rc proposal_write_draft(struct db *db, struct arena *a, const struct proposal *p,
			     const struct proposal_draft *d, int64_t now,
			     struct proposal_problem *why)
{
	enum rc rc = write_fields(db, p, d, now);
	if (rc == RC_OK)
		rc = write_rows(db, p, d);
	if (rc == RC_OK)
		rc = write_partners(db, a, p, d);
	if (rc == RC_OK)
		rc = write_files(db, a, p, d, why);
	return rc;
}

struct proposal_problem proposal_too_many_files(struct arena *a, const struct proposal *p,
						const struct proposal_draft *d)
{
	size_t have = p->nfiles > d->nremove ? p->nfiles - d->nremove : 0;
	return (struct proposal_problem){
	    "attachment",
	    "proposals.err.too_many_files",
	    {i64s(a, PROPOSAL_MAX_FILES), i64s(a, (int64_t)have), NULL},
	};
}

enum rc proposal_save(struct db *db, struct arena *a, const struct proposal *p,
		      const struct proposal_draft *d, int64_t user_id, int64_t now,
		      const char **why)
{
	*why = NULL;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct proposal_problem problem = {0};
	enum rc rc = proposal_write_draft(db, a, p, d, now, &problem);
	*why = problem.key;
	if (rc == RC_OK) {
		const char *summary = msgf(a, "proposals.audit.save",
					   *d->title ? d->title : msg("proposals.audit.untitled"));
		if (audit(db, user_id, "update", "proposal", p->id, summary) != DB_OK)
			rc = RC_ERROR;
	}
	return proposal_finish(db, rc);
}

/* The reason group g is too small for category k, for proposal_create. */
static struct proposal_problem too_few_members(struct arena *a, const struct category *k,
					       const struct group *g)
{
	const char *min = i64s(a, k->min_members);
	if (g->members < 0)
		return (struct proposal_problem){
		    "category", "proposals.err.create_members_unknown", {k->name, min, NULL}};
	return (struct proposal_problem){"category",
					 "proposals.err.create_too_few_members",
					 {k->name, min, g->name, i64s(a, g->members)}};
}

enum rc proposal_create(struct db *db, struct arena *a, int64_t call_id, int64_t category_id,
			int64_t group_id, int64_t user_id, int64_t now, int64_t *id,
			struct proposal_problem *why)
{
	memset(why, 0, sizeof(*why));
	struct call c;
	struct category k;
	struct group g;
	if (call_get(db, a, call_id, &c) != RC_OK || !c.published ||
	    category_get(db, a, category_id, &k) != RC_OK || k.call_id != call_id ||
	    group_get(db, a, group_id, &g) || g.archived)
		return RC_NOT_FOUND;
	if (!group_is_member(db, group_id, user_id))
		return RC_FORBIDDEN;
	if (now > k.deadline_at)
		return RC_CLOSED;
	if (k.min_members > 0 && g.members < k.min_members) {
		*why = too_few_members(a, &k, &g);
		return RC_INVALID;
	}
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_INSERT);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, category_id);
	db_bind_int(st, 3, group_id);
	db_bind_int(st, 4, user_id);
	db_bind_int(st, 5, now);
	bool done = db_exec(st) == DB_OK;
	*id = done ? db_last_id(db) : 0;
	done = done && audit(db, user_id, "create", "proposal", *id,
			     msgf(a, "proposals.audit.create", c.title, k.name, g.name)) == DB_OK;
	enum rc rc = proposal_finish(db, done ? RC_OK : RC_ERROR);
	if (rc != RC_OK)
		*id = 0;
	return rc;
}

/* ---- lists ---- */

static void read_summary(struct db_stmt *st, struct arena *a, void *out)
{
	struct proposal_summary *s = out;
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
	bind_id(st, 1, q->call_id);
	bind_id(st, 2, q->category_id);
	db_bind_str(st, 3, q->status);
	bind_id(st, 4, q->division_id);
}

enum rc proposal_list(struct db *db, struct arena *a, const struct proposal_query *q,
		      struct proposal_summary **items, size_t *n, int64_t *total)
{
	*items = NULL;
	*n = 0;
	*total = 0;
	enum rc rc = RC_ERROR;
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
	*items = read_all(st, a, read_summary, sizeof(**items), n, &rc);
done:
	db_read_end(db);
	return rc;
}

enum rc proposal_list_mine(struct db *db, struct arena *a, int64_t user_id, size_t max,
			   struct proposal_summary **items, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_LIST_MINE);
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, (int64_t)max);
	enum rc rc;
	*items = read_all(st, a, read_summary, sizeof(**items), n, &rc);
	return rc;
}

static void read_count(struct db_stmt *st, struct arena *a, void *out)
{
	struct proposal_count *c = out;
	c->category_id = db_int(st, 0);
	c->category_name = dup(a, st, 1);
	c->total = db_int(st, 2);
	c->draft = db_int(st, 3);
	c->submitted = db_int(st, 4);
	c->withdrawn = db_int(st, 5);
	c->reopened = db_int(st, 6);
}

enum rc proposal_counts(struct db *db, struct arena *a, int64_t call_id, int64_t division_id,
			struct proposal_count **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_COUNTS);
	db_bind_int(st, 1, call_id);
	bind_id(st, 2, division_id);
	enum rc rc;
	*out = read_all(st, a, read_count, sizeof(**out), n, &rc);
	return rc;
}

static void read_ref(struct db_stmt *st, struct arena *a, void *out)
{
	struct proposal_ref *r = out;
	r->id = db_int(st, 0);
	r->title = dup(a, st, 1);
	r->receipt_no = dup(a, st, 2);
	r->fiscal_year = db_int(st, 3);
}

size_t proposal_previous_choices(struct db *db, struct arena *a, int64_t group_id,
				 int64_t except_id, int64_t fiscal_year, struct proposal_ref **out)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_PREVIOUS);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, except_id);
	db_bind_int(st, 3, fiscal_year);
	size_t n;
	enum rc rc;
	*out = read_all(st, a, read_ref, sizeof(**out), &n, &rc);
	return n;
}
