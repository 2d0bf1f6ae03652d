#include "challenge/call.h"
#include "core/audit.h"
#include "util/jp.h"
#include "util/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Upper bounds on what one call holds, so that a page stays bounded. */
#define MAX_ROWS 200

const char *const milestone_kind_keys[MS__MAX + 1] = {"briefing", "open",     "deadline", "review1",
						      "review2",  "announce", "results",  NULL};
const char *const milestone_kind_labels[MS__MAX + 1] = {
    "説明会", "受付開始", "締切", "1次審査", "2次審査", "採択発表", "成果発表会", NULL};

int milestone_kind_parse(const char *key)
{
	for (int i = 0; key && i < MS__MAX; i++)
		if (strcmp(milestone_kind_keys[i], key) == 0)
			return i;
	return -1;
}

/* ---- reading rows ------------------------------------------------------ */

/* db_text may be NULL for a NULL column. */
static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return arena_strndup(a, s ? s : "", s ? db_len(st, i) : 0);
}

static void read_division(struct arena *a, struct db_stmt *st, struct division *d)
{
	d->id = db_int(st, 0);
	d->name = col(a, st, 1);
	d->contact = col(a, st, 2);
	d->archived = db_int(st, 3) != 0;
}

static void read_program(struct arena *a, struct db_stmt *st, struct program *p)
{
	p->id = db_int(st, 0);
	p->name = col(a, st, 1);
	p->description = col(a, st, 2);
}

/* The columns of CALL_COLS (store/sql_sqlite.c). */
static void read_call(struct arena *a, struct db_stmt *st, struct call *c)
{
	c->id = db_int(st, 0);
	c->program_id = db_int(st, 1);
	c->program_name = col(a, st, 2);
	c->fiscal_year = db_int(st, 3);
	c->title = col(a, st, 4);
	c->description = col(a, st, 5);
	c->published = db_int(st, 6) != 0;
	c->created_at = db_int(st, 7);
	c->updated_at = db_int(st, 8);
}

/* The columns of CATEGORY_COLS (store/sql_sqlite.c). */
static void read_category(struct arena *a, struct db_stmt *st, struct category *c)
{
	c->id = db_int(st, 0);
	c->call_id = db_int(st, 1);
	c->name = col(a, st, 2);
	c->short_name = col(a, st, 3);
	c->description = col(a, st, 4);
	c->eligibility = col(a, st, 5);
	c->cap_yen = db_int(st, 6);
	c->min_members = db_int(st, 7);
	c->min_groups = db_int(st, 8);
	c->needs_coordinator = db_int(st, 9) != 0;
	c->needs_division = db_int(st, 10) != 0;
	c->opens_at = db_int(st, 11);
	c->deadline_at = db_int(st, 12);
	c->implementation_end = col(a, st, 13);
	c->expected_adoptions = db_int(st, 14);
	c->position = db_int(st, 15);
}

static void read_milestone(struct arena *a, struct db_stmt *st, struct milestone *m)
{
	m->id = db_int(st, 0);
	m->call_id = db_int(st, 1);
	int k = milestone_kind_parse(db_text(st, 2));
	m->kind = k < 0 ? MS_BRIEFING : (enum milestone_kind)k;
	m->label = col(a, st, 3);
	m->starts_at = db_int(st, 4);
	m->ends_at = db_isnull(st, 5) ? 0 : db_int(st, 5);
	m->place = col(a, st, 6);
}

static void read_document(struct arena *a, struct db_stmt *st, struct call_document *d)
{
	d->id = db_int(st, 0);
	d->call_id = db_int(st, 1);
	d->file_id = db_int(st, 2);
	d->title = col(a, st, 3);
	d->position = db_int(st, 4);
	d->mime = col(a, st, 5);
	d->size = db_int(st, 6);
}

/*
 * Run st (already bound) and read up to MAX_ROWS rows of size bytes each
 * with read into an arena array.  Returns CALL_OK or CALL_ERROR.
 */
static enum call_rc read_rows(struct arena *a, struct db_stmt *st, size_t size,
			      void (*read)(struct arena *, struct db_stmt *, void *), void **out,
			      size_t *n)
{
	char *rows = arena_alloc(a, MAX_ROWS * size);
	int rc;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == MAX_ROWS) {
			db_reset(st);
			rc = DB_DONE;
			break;
		}
		read(a, st, rows + *n * size);
		(*n)++;
	}
	*out = rows;
	return rc == DB_DONE ? CALL_OK : CALL_ERROR;
}

/* Adapters with the generic signature read_rows() takes. */
static void read_division_v(struct arena *a, struct db_stmt *st, void *p)
{
	read_division(a, st, p);
}
static void read_program_v(struct arena *a, struct db_stmt *st, void *p)
{
	read_program(a, st, p);
}
static void read_call_v(struct arena *a, struct db_stmt *st, void *p)
{
	read_call(a, st, p);
}
static void read_category_v(struct arena *a, struct db_stmt *st, void *p)
{
	read_category(a, st, p);
}
static void read_milestone_v(struct arena *a, struct db_stmt *st, void *p)
{
	read_milestone(a, st, p);
}
static void read_document_v(struct arena *a, struct db_stmt *st, void *p)
{
	read_document(a, st, p);
}

/* Run st (bound) for one row read with read into out. */
static enum call_rc read_one(struct arena *a, struct db_stmt *st,
			     void (*read)(struct arena *, struct db_stmt *, void *), void *out)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		read(a, st, out);
		db_reset(st);
		return CALL_OK;
	}
	return rc == DB_DONE ? CALL_NOT_FOUND : CALL_ERROR;
}

/* ---- divisions, programs ------------------------------------------------ */

enum call_rc division_list(struct db *db, struct arena *a, bool with_archived,
			   struct division **list, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_DIVISION_LIST);
	db_bind_int(st, 1, with_archived);
	return read_rows(a, st, sizeof(**list), read_division_v, (void **)list, n);
}

enum call_rc division_get(struct db *db, struct arena *a, int64_t id, struct division *d)
{
	struct db_stmt *st = db_stmt(db, STMT_DIVISION_GET);
	db_bind_int(st, 1, id);
	return read_one(a, st, read_division_v, d);
}

enum call_rc program_list(struct db *db, struct arena *a, struct program **list, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_PROGRAM_LIST);
	return read_rows(a, st, sizeof(**list), read_program_v, (void **)list, n);
}

enum call_rc program_get(struct db *db, struct arena *a, int64_t id, struct program *p)
{
	struct db_stmt *st = db_stmt(db, STMT_PROGRAM_GET);
	db_bind_int(st, 1, id);
	return read_one(a, st, read_program_v, p);
}

/* ---- calls --------------------------------------------------------------- */

enum call_rc call_get(struct db *db, struct arena *a, int64_t id, struct call *c)
{
	struct db_stmt *st = db_stmt(db, STMT_CALL_GET);
	db_bind_int(st, 1, id);
	return read_one(a, st, read_call_v, c);
}

enum call_rc call_list(struct db *db, struct arena *a, bool with_unpublished, struct call **list,
		       size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_CALL_LIST);
	db_bind_int(st, 1, with_unpublished);
	return read_rows(a, st, sizeof(**list), read_call_v, (void **)list, n);
}

enum call_rc call_categories(struct db *db, struct arena *a, int64_t call_id,
			     struct category **list, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_CATEGORY_LIST);
	db_bind_int(st, 1, call_id);
	return read_rows(a, st, sizeof(**list), read_category_v, (void **)list, n);
}

enum call_rc category_get(struct db *db, struct arena *a, int64_t id, struct category *c)
{
	struct db_stmt *st = db_stmt(db, STMT_CATEGORY_GET);
	db_bind_int(st, 1, id);
	return read_one(a, st, read_category_v, c);
}

enum call_rc call_load(struct db *db, struct arena *a, int64_t id, struct call_view *v)
{
	memset(v, 0, sizeof(*v));
	db_read_begin(db);
	enum call_rc rc = call_get(db, a, id, &v->call);
	if (rc == CALL_OK)
		rc = call_categories(db, a, id, &v->categories, &v->ncategories);
	if (rc == CALL_OK) {
		struct db_stmt *st = db_stmt(db, STMT_MILESTONE_LIST);
		db_bind_int(st, 1, id);
		rc = read_rows(a, st, sizeof(*v->milestones), read_milestone_v,
			       (void **)&v->milestones, &v->nmilestones);
	}
	if (rc == CALL_OK) {
		struct db_stmt *st = db_stmt(db, STMT_CALL_DOCUMENT_LIST);
		db_bind_int(st, 1, id);
		rc = read_rows(a, st, sizeof(*v->documents), read_document_v,
			       (void **)&v->documents, &v->ndocuments);
	}
	db_read_end(db);
	return rc;
}

enum call_rc call_current(struct db *db, struct arena *a, int64_t now, struct call *c)
{
	struct db_stmt *st = db_stmt(db, STMT_CALL_CURRENT_OPEN);
	db_bind_int(st, 1, now);
	enum call_rc rc = read_one(a, st, read_call_v, c);
	if (rc != CALL_NOT_FOUND)
		return rc;
	/* Nothing open: the newest published call (one line: LIST orders by
	 * fiscal year, newest first). */
	st = db_stmt(db, STMT_CALL_LIST);
	db_bind_int(st, 1, 0);
	return read_one(a, st, read_call_v, c);
}

/* ---- status ---------------------------------------------------------------- */

bool category_is_open(const struct category *c, int64_t now)
{
	return c->opens_at <= now && now <= c->deadline_at;
}

/* The start of the first (first == true) or last milestone of kind, or 0. */
static int64_t milestone_at(const struct call_view *v, enum milestone_kind kind, bool first)
{
	int64_t t = 0;
	for (size_t i = 0; i < v->nmilestones; i++) {
		const struct milestone *m = &v->milestones[i];
		if (m->kind != kind)
			continue;
		if (!t || (first ? m->starts_at < t : m->starts_at > t))
			t = m->starts_at;
	}
	return t;
}

enum call_status call_status(const struct call_view *v, int64_t now)
{
	int64_t announce = milestone_at(v, MS_ANNOUNCE, false);
	if (announce && now >= announce)
		return CALL_STATUS_ANNOUNCED;

	bool any_open = false, any_future = false, any = false;
	for (size_t i = 0; i < v->ncategories; i++) {
		const struct category *c = &v->categories[i];
		any = true;
		any_open |= category_is_open(c, now);
		any_future |= now < c->opens_at;
	}
	if (!any) {
		/* No categories yet: the schedule alone. */
		struct category c = {.opens_at = milestone_at(v, MS_OPEN, true),
				     .deadline_at = milestone_at(v, MS_DEADLINE, false)};
		if (c.opens_at && c.deadline_at) {
			any_open = category_is_open(&c, now);
			any_future = now < c.opens_at;
		} else {
			any_future = true;
		}
	}
	if (any_open)
		return CALL_STATUS_OPEN;
	if (any_future)
		return CALL_STATUS_BEFORE;
	int64_t review = milestone_at(v, MS_REVIEW1, true);
	return review && now >= review ? CALL_STATUS_REVIEW : CALL_STATUS_CLOSED;
}

const char *call_status_key(enum call_status s)
{
	static const char *const keys[CALL_STATUS__MAX] = {"before", "open", "closed", "review",
							   "announced"};
	return (unsigned)s < CALL_STATUS__MAX ? keys[s] : "before";
}

const char *call_status_label(enum call_status s)
{
	static const char *const labels[CALL_STATUS__MAX] = {"受付前", "受付中", "締切", "審査中",
							     "結果発表済"};
	return (unsigned)s < CALL_STATUS__MAX ? labels[s] : "受付前";
}

int64_t call_next_deadline(const struct call_view *v, int64_t now)
{
	int64_t t = 0;
	for (size_t i = 0; i < v->ncategories; i++) {
		const struct category *c = &v->categories[i];
		if (category_is_open(c, now) && (!t || c->deadline_at < t))
			t = c->deadline_at;
	}
	return t;
}

void call_countdown(struct buf *out, int64_t deadline, int64_t now)
{
	int64_t left = deadline - now;
	if (left < 0)
		left = 0;
	int64_t days = left / 86400, hours = left % 86400 / 3600, minutes = left % 3600 / 60;
	if (days > 0)
		buf_printf(out, "締切まであと %lld日 %lld時間", (long long)days, (long long)hours);
	else if (hours > 0)
		buf_printf(out, "締切まであと %lld時間", (long long)hours);
	else if (minutes > 0)
		buf_printf(out, "締切まであと %lld分", (long long)minutes);
	else
		buf_adds(out, "締切まであと 1分未満");
}

/* Same JST calendar day. */
static bool same_day(int64_t a, int64_t b)
{
	struct jst x, y;
	jp_unix_to_jst(a, &x);
	jp_unix_to_jst(b, &y);
	return x.y == y.y && x.m == y.m && x.d == y.d;
}

/*
 * Milestones are sorted by start.  One with an end is current from its
 * start to its end.  受付開始 lasts until the first 締切 after it: the
 * reception period.  Any other point in time stays current until a later
 * milestone starts (the last one: for its day), so that the timeline
 * always says where the call stands.
 */
enum milestone_state milestone_state(const struct call_view *v, size_t i, int64_t now)
{
	if (i >= v->nmilestones)
		return MS_STATE_FUTURE;
	const struct milestone *m = &v->milestones[i];
	if (now < m->starts_at)
		return MS_STATE_FUTURE;
	if (m->ends_at)
		return now <= m->ends_at ? MS_STATE_CURRENT : MS_STATE_DONE;
	if (m->kind == MS_OPEN) {
		for (size_t k = i + 1; k < v->nmilestones; k++)
			if (v->milestones[k].kind == MS_DEADLINE)
				return now < v->milestones[k].starts_at ? MS_STATE_CURRENT
									: MS_STATE_DONE;
	}
	for (size_t k = i + 1; k < v->nmilestones; k++)
		if (v->milestones[k].starts_at > m->starts_at)
			return now < v->milestones[k].starts_at ? MS_STATE_CURRENT : MS_STATE_DONE;
	return same_day(m->starts_at, now) ? MS_STATE_CURRENT : MS_STATE_DONE;
}

void call_format_jst(struct buf *out, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	jp_wareki_date(out, j.y, j.m, j.d, true);
	buf_printf(out, " %02d:%02d", j.hh, j.mi);
}

void call_format_yen(struct buf *out, int64_t yen)
{
	char digits[24];
	if (yen < 0) {
		buf_addc(out, '-');
		/* INT64_MIN has no positive counterpart; caps never get there. */
		yen = yen == INT64_MIN ? INT64_MAX : -yen;
	}
	int n = snprintf(digits, sizeof(digits), "%lld", (long long)yen);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_addc(out, ',');
		buf_addc(out, digits[i]);
	}
}

/* ---- forms ------------------------------------------------------------- */

const struct field_spec division_fields[DIVF__MAX] = {
    [DIVF_NAME] = {"name", "担当課の名前", F_LINE, true, 50, 0, 0, NULL},
    [DIVF_CONTACT] = {"contact", "連絡先", F_LINE, false, 200, 0, 0, NULL},
};

const struct field_spec program_fields[PROGF__MAX] = {
    [PROGF_NAME] = {"name", "事業の名前", F_LINE, true, 100, 0, 0, NULL},
    [PROGF_DESCRIPTION] = {"description", "事業の説明", F_TEXT, false, 5000, 0, 0, NULL},
};

const struct field_spec call_fields[CALLF__MAX] = {
    [CALLF_PROGRAM] = {"program_id", "事業", F_ID, true, 20, 0, 0, NULL},
    [CALLF_FISCAL_YEAR] = {"fiscal_year", "年度（西暦）", F_INT, true, 4, 2000, 2100, NULL},
    [CALLF_TITLE] = {"title", "募集の名前", F_LINE, true, 100, 0, 0, NULL},
    [CALLF_DESCRIPTION] = {"description", "募集の案内", F_TEXT, false, 20000, 0, 0, NULL},
    [CALLF_PUBLISHED] = {"published", "公開する（一般の人が見られるようにする）", F_BOOL, false, 5,
			 0, 0, NULL},
};

const struct field_spec category_fields[CATF__MAX] = {
    [CATF_NAME] = {"name", "部門の名前", F_LINE, true, 50, 0, 0, NULL},
    [CATF_SHORT_NAME] = {"short_name", "略称（受付番号に使います）", F_LINE, true, 10, 0, 0, NULL},
    [CATF_DESCRIPTION] = {"description", "部門の説明", F_TEXT, false, 2000, 0, 0, NULL},
    [CATF_ELIGIBILITY] = {"eligibility", "応募できる団体", F_TEXT, false, 2000, 0, 0, NULL},
    [CATF_CAP_YEN] = {"cap_yen", "上限額（円）", F_INT, true, 12, 0, 100000000, NULL},
    [CATF_MIN_MEMBERS] = {"min_members", "最少の構成員数（人）", F_INT, false, 6, 0, 10000, NULL},
    [CATF_MIN_GROUPS] = {"min_groups", "最少の団体数", F_INT, false, 3, 1, 20, NULL},
    [CATF_NEEDS_COORDINATOR] = {"needs_coordinator", "コーディネーターへの事前相談が必要", F_BOOL,
				false, 5, 0, 0, NULL},
    [CATF_NEEDS_DIVISION] = {"needs_division", "担当課への事前相談が必要", F_BOOL, false, 5, 0, 0,
			     NULL},
    [CATF_OPENS_AT] = {"opens_at", "受付開始日時", F_DATETIME, true, 19, 0, 0, NULL},
    [CATF_DEADLINE_AT] = {"deadline_at", "締切日時", F_DATETIME, true, 19, 0, 0, NULL},
    [CATF_IMPLEMENTATION_END] = {"implementation_end", "事業の実施期限", F_DATE, false, 10, 0, 0,
				 NULL},
    [CATF_EXPECTED_ADOPTIONS] = {"expected_adoptions", "採択予定件数", F_INT, false, 4, 0, 1000,
				 NULL},
    [CATF_POSITION] = {"position", "表示順", F_INT, false, 6, 0, 10000, NULL},
};

const struct field_spec milestone_fields[MSF__MAX] = {
    [MSF_KIND] = {"kind", "種類", F_CHOICE, true, 20, 0, 0, milestone_kind_keys},
    [MSF_LABEL] = {"label", "表示名", F_LINE, false, 100, 0, 0, NULL},
    [MSF_STARTS_AT] = {"starts_at", "開始日時", F_DATETIME, true, 19, 0, 0, NULL},
    [MSF_ENDS_AT] = {"ends_at", "終了日時", F_DATETIME, false, 19, 0, 0, NULL},
    [MSF_PLACE] = {"place", "場所", F_LINE, false, 200, 0, 0, NULL},
};

int division_from_form(struct form *f, struct division *d)
{
	d->name = form_s(f, DIVF_NAME);
	d->contact = form_s(f, DIVF_CONTACT);
	return f->nerrors;
}

int program_from_form(struct form *f, struct program *p)
{
	p->name = form_s(f, PROGF_NAME);
	p->description = form_s(f, PROGF_DESCRIPTION);
	return f->nerrors;
}

int call_from_form(struct db *db, struct form *f, struct call *c)
{
	c->program_id = f->v[CALLF_PROGRAM].i;
	c->fiscal_year = f->v[CALLF_FISCAL_YEAR].i;
	c->title = form_s(f, CALLF_TITLE);
	c->description = form_s(f, CALLF_DESCRIPTION);
	c->published = f->v[CALLF_PUBLISHED].i != 0;
	if (f->v[CALLF_PROGRAM].present && !f->v[CALLF_PROGRAM].error) {
		struct arena a;
		struct program p;
		arena_init(&a);
		if (program_get(db, &a, c->program_id, &p) != CALL_OK)
			form_error(f, CALLF_PROGRAM, "事業は選択肢から選んでください");
		arena_free(&a);
	}
	return f->nerrors;
}

int category_from_form(struct form *f, struct category *c)
{
	c->name = form_s(f, CATF_NAME);
	c->short_name = form_s(f, CATF_SHORT_NAME);
	c->description = form_s(f, CATF_DESCRIPTION);
	c->eligibility = form_s(f, CATF_ELIGIBILITY);
	c->cap_yen = f->v[CATF_CAP_YEN].i;
	c->min_members = f->v[CATF_MIN_MEMBERS].present ? f->v[CATF_MIN_MEMBERS].i : 0;
	c->min_groups = f->v[CATF_MIN_GROUPS].present ? f->v[CATF_MIN_GROUPS].i : 1;
	c->needs_coordinator = f->v[CATF_NEEDS_COORDINATOR].i != 0;
	c->needs_division = f->v[CATF_NEEDS_DIVISION].i != 0;
	c->opens_at = f->v[CATF_OPENS_AT].i;
	c->deadline_at = f->v[CATF_DEADLINE_AT].i;
	c->implementation_end = form_s(f, CATF_IMPLEMENTATION_END);
	c->expected_adoptions =
	    f->v[CATF_EXPECTED_ADOPTIONS].present ? f->v[CATF_EXPECTED_ADOPTIONS].i : 0;
	c->position = f->v[CATF_POSITION].present ? f->v[CATF_POSITION].i : 0;

	/* A minus sign gets a message that says what is wrong with it. */
	const struct field_value *cap = &f->v[CATF_CAP_YEN];
	if (cap->error && cap->present && cap->s[0] == '-')
		f->v[CATF_CAP_YEN].error = "上限額は0円以上の整数で入力してください";
	/* The short name goes into receipt numbers such as R7-一般-003. */
	const char *sn = c->short_name;
	if (!f->v[CATF_SHORT_NAME].error &&
	    (strchr(sn, '-') || strchr(sn, ' ') || strstr(sn, "\xe3\x80\x80")))
		form_error(f, CATF_SHORT_NAME, "略称に「-」や空白は使えません");
	/* A deadline of 17:00 means 17:00:00 JST, the moment the office
	 * closes; it must come after the opening. */
	if (!f->v[CATF_OPENS_AT].error && !f->v[CATF_DEADLINE_AT].error &&
	    f->v[CATF_OPENS_AT].present && f->v[CATF_DEADLINE_AT].present &&
	    c->deadline_at <= c->opens_at)
		form_error(f, CATF_DEADLINE_AT, "締切は受付開始より後にしてください");
	return f->nerrors;
}

int milestone_from_form(struct form *f, struct milestone *m)
{
	int k = milestone_kind_parse(form_s(f, MSF_KIND));
	m->kind = k < 0 ? MS_BRIEFING : (enum milestone_kind)k;
	m->label = form_s(f, MSF_LABEL);
	m->starts_at = f->v[MSF_STARTS_AT].i;
	m->ends_at = f->v[MSF_ENDS_AT].present ? f->v[MSF_ENDS_AT].i : 0;
	m->place = form_s(f, MSF_PLACE);
	if (m->ends_at && !f->v[MSF_STARTS_AT].error && !f->v[MSF_ENDS_AT].error &&
	    f->v[MSF_STARTS_AT].present && m->ends_at <= m->starts_at)
		form_error(f, MSF_ENDS_AT, "終了は開始より後にしてください");
	return f->nerrors;
}

/* ---- writes ---------------------------------------------------------------- */

/*
 * Finish a write begun with db_begin(): on DB_OK add the audit entry and
 * commit; otherwise (or if either fails) roll back.  A constraint
 * violation becomes CALL_INVALID.
 */
static enum call_rc finish(struct db *db, int rc, int64_t user_id, const char *action,
			   const char *entity, int64_t id, const char *summary)
{
	if (rc == DB_OK && audit(db, user_id, action, entity, id, summary) == DB_OK &&
	    db_commit(db) == DB_OK)
		return CALL_OK;
	db_rollback(db);
	return rc == DB_CONSTRAINT ? CALL_INVALID : CALL_ERROR;
}

/* The audit summary "「name」": names can be long, the log line is not. */
static char *quoted(struct arena *a, const char *name)
{
	return arena_printf(a, "「%s」", name);
}

enum call_rc division_save(struct db *db, struct division *d, int64_t user_id)
{
	bool insert = d->id == 0;
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, insert ? STMT_DIVISION_INSERT : STMT_DIVISION_UPDATE);
	int i = 1;
	if (!insert)
		db_bind_int(st, i++, d->id);
	db_bind_str(st, i++, d->name);
	db_bind_str(st, i, d->contact);
	int rc = db_exec(st);
	if (rc == DB_OK && insert)
		d->id = db_last_id(db);
	else if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	struct arena a;
	arena_init(&a);
	enum call_rc out = finish(db, rc, user_id, insert ? "create" : "update", "division", d->id,
				  quoted(&a, d->name));
	arena_free(&a);
	return out;
}

enum call_rc division_set_archived(struct db *db, int64_t id, bool archived, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_DIVISION_ARCHIVE);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, archived);
	int rc = db_exec(st);
	if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	return finish(db, rc, user_id, archived ? "archive" : "unarchive", "division", id,
		      archived ? "アーカイブ" : "アーカイブ解除");
}

enum call_rc program_save(struct db *db, struct program *p, int64_t user_id)
{
	bool insert = p->id == 0;
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, insert ? STMT_PROGRAM_INSERT : STMT_PROGRAM_UPDATE);
	int i = 1;
	if (!insert)
		db_bind_int(st, i++, p->id);
	db_bind_str(st, i++, p->name);
	db_bind_str(st, i, p->description);
	int rc = db_exec(st);
	if (rc == DB_OK && insert)
		p->id = db_last_id(db);
	else if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	struct arena a;
	arena_init(&a);
	enum call_rc out = finish(db, rc, user_id, insert ? "create" : "update", "program", p->id,
				  quoted(&a, p->name));
	arena_free(&a);
	return out;
}

enum call_rc call_save(struct db *db, struct call *c, int64_t now, int64_t user_id)
{
	bool insert = c->id == 0;
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, insert ? STMT_CALL_INSERT : STMT_CALL_UPDATE);
	db_bind_int(st, 1, c->program_id);
	db_bind_int(st, 2, c->fiscal_year);
	db_bind_str(st, 3, c->title);
	db_bind_str(st, 4, c->description);
	db_bind_int(st, 5, c->published);
	db_bind_int(st, 6, now);
	if (!insert)
		db_bind_int(st, 7, c->id);
	int rc = db_exec(st);
	if (rc == DB_OK && insert) {
		c->id = db_last_id(db);
		c->created_at = now;
	} else if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	c->updated_at = now;
	struct arena a;
	arena_init(&a);
	enum call_rc out =
	    finish(db, rc, user_id, insert ? "create" : "update", "call", c->id,
		   arena_printf(&a, "「%s」（%lld年度）%s", c->title, (long long)c->fiscal_year,
				c->published ? "公開" : "非公開"));
	arena_free(&a);
	return out;
}

enum call_rc category_save(struct db *db, struct category *c, int64_t user_id)
{
	bool insert = c->id == 0;
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, insert ? STMT_CATEGORY_INSERT : STMT_CATEGORY_UPDATE);
	db_bind_int(st, 1, c->call_id);
	db_bind_str(st, 2, c->name);
	db_bind_str(st, 3, c->short_name);
	db_bind_str(st, 4, c->description);
	db_bind_str(st, 5, c->eligibility);
	db_bind_int(st, 6, c->cap_yen);
	db_bind_int(st, 7, c->min_members);
	db_bind_int(st, 8, c->min_groups);
	db_bind_int(st, 9, c->needs_coordinator);
	db_bind_int(st, 10, c->needs_division);
	db_bind_int(st, 11, c->opens_at);
	db_bind_int(st, 12, c->deadline_at);
	db_bind_str(st, 13, c->implementation_end ? c->implementation_end : "");
	db_bind_int(st, 14, c->expected_adoptions);
	db_bind_int(st, 15, c->position);
	if (!insert)
		db_bind_int(st, 16, c->id);
	int rc = db_exec(st);
	if (rc == DB_OK && insert)
		c->id = db_last_id(db);
	else if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	struct arena a;
	arena_init(&a);
	struct buf b = BUF_INIT;
	buf_printf(&b, "「%s」（%s）上限 ", c->name, c->short_name);
	call_format_yen(&b, c->cap_yen);
	buf_adds(&b, "円　締切 ");
	call_format_jst(&b, c->deadline_at);
	enum call_rc out = finish(db, rc, user_id, insert ? "create" : "update", "category", c->id,
				  arena_strdup(&a, b.p));
	buf_release(&b);
	arena_free(&a);
	return out;
}

enum call_rc category_delete(struct db *db, int64_t id, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_CATEGORY_IN_USE);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		db_reset(st);
		db_rollback(db);
		return CALL_INVALID;
	}
	if (rc != DB_DONE) {
		db_rollback(db);
		return CALL_ERROR;
	}
	st = db_stmt(db, STMT_CATEGORY_DELETE);
	db_bind_int(st, 1, id);
	rc = db_exec(st);
	if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	return finish(db, rc, user_id, "delete", "category", id, "部門を削除");
}

enum call_rc milestone_save(struct db *db, struct milestone *m, int64_t user_id)
{
	bool insert = m->id == 0;
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, insert ? STMT_MILESTONE_INSERT : STMT_MILESTONE_UPDATE);
	db_bind_int(st, 1, m->call_id);
	db_bind_str(st, 2, milestone_kind_keys[m->kind]);
	db_bind_str(st, 3, m->label);
	db_bind_int(st, 4, m->starts_at);
	if (m->ends_at)
		db_bind_int(st, 5, m->ends_at);
	else
		db_bind_null(st, 5);
	db_bind_str(st, 6, m->place);
	if (!insert)
		db_bind_int(st, 7, m->id);
	int rc = db_exec(st);
	if (rc == DB_OK && insert)
		m->id = db_last_id(db);
	else if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	struct arena a;
	arena_init(&a);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s%s%s ", milestone_kind_labels[m->kind], *m->label ? "：" : "", m->label);
	call_format_jst(&b, m->starts_at);
	enum call_rc out = finish(db, rc, user_id, insert ? "create" : "update", "milestone", m->id,
				  arena_strdup(&a, b.p));
	buf_release(&b);
	arena_free(&a);
	return out;
}

enum call_rc milestone_delete(struct db *db, int64_t call_id, int64_t id, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_MILESTONE_DELETE);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, id);
	int rc = db_exec(st);
	if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	return finish(db, rc, user_id, "delete", "milestone", id, "日程を削除");
}

enum call_rc call_document_add(struct db *db, int64_t call_id, int64_t file_id, const char *title,
			       int64_t user_id, int64_t *id)
{
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_CALL_DOCUMENT_INSERT);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, file_id);
	db_bind_str(st, 3, title);
	int rc = db_exec(st);
	*id = rc == DB_OK ? db_last_id(db) : 0;
	struct arena a;
	arena_init(&a);
	enum call_rc out = finish(db, rc, user_id, "create", "call_document", *id,
				  arena_printf(&a, "募集%lldに資料「%s」（ファイル%lld）を追加",
					       (long long)call_id, title, (long long)file_id));
	arena_free(&a);
	return out;
}

enum call_rc call_document_delete(struct db *db, int64_t call_id, int64_t id, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return CALL_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_CALL_DOCUMENT_DELETE);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, id);
	int rc = db_exec(st);
	if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return CALL_NOT_FOUND;
	}
	return finish(db, rc, user_id, "delete", "call_document", id, "資料を削除");
}
