/*
 * call: programs, calls, categories, milestones, guide documents and
 * partner divisions (see call.h).  Reads go through one row reader per
 * kind; every write is one transaction with its audit entry.
 */
#include "challenge/call.h"
#include "core/audit.h"
#include "store/row.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Upper bounds on what one call holds, so that a page stays bounded. */
#define MAX_ROWS 200

const char *const milestone_kind_keys[MS__MAX + 1] = {"briefing", "open",     "deadline", "review1",
						      "review2",  "announce", "results",  NULL};
const char *const milestone_kind_label_keys[MS__MAX + 1] = {
    "calls.milestone.briefing", "calls.milestone.open",
    "calls.milestone.deadline", "calls.milestone.review1",
    "calls.milestone.review2",	"calls.milestone.announce",
    "calls.milestone.results",	NULL};

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

/* The readers, one per kind (store/row.h's db_read_fn). */

static void read_division(struct db_stmt *st, struct arena *a, void *out)
{
	struct division *d = out;
	d->id = db_int(st, 0);
	d->name = col(a, st, 1);
	d->contact = col(a, st, 2);
	d->archived = db_int(st, 3) != 0;
}

static void read_program(struct db_stmt *st, struct arena *a, void *out)
{
	struct program *p = out;
	p->id = db_int(st, 0);
	p->name = col(a, st, 1);
	p->description = col(a, st, 2);
}

/* The columns of CALL_COLS (challenge.stmts). */
static void read_call(struct db_stmt *st, struct arena *a, void *out)
{
	struct call *c = out;
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

/* The columns of CATEGORY_COLS (challenge.stmts). */
static void read_category(struct db_stmt *st, struct arena *a, void *out)
{
	struct category *c = out;
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

static void read_milestone(struct db_stmt *st, struct arena *a, void *out)
{
	struct milestone *m = out;
	m->id = db_int(st, 0);
	m->call_id = db_int(st, 1);
	int k = milestone_kind_parse(db_text(st, 2));
	m->kind = k < 0 ? MS_BRIEFING : (enum milestone_kind)k;
	m->label = col(a, st, 3);
	m->starts_at = db_int(st, 4);
	m->ends_at = db_isnull(st, 5) ? 0 : db_int(st, 5);
	m->place = col(a, st, 6);
}

static void read_document(struct db_stmt *st, struct arena *a, void *out)
{
	struct call_document *d = out;
	d->id = db_int(st, 0);
	d->call_id = db_int(st, 1);
	d->file_id = db_int(st, 2);
	d->title = col(a, st, 3);
	d->position = db_int(st, 4);
	d->mime = col(a, st, 5);
	d->size = db_int(st, 6);
}

/*
 * Run statement id with ?1 bound to key and read up to MAX_ROWS rows of
 * size bytes each with read into an arena array.  RC_OK or RC_ERROR.
 */
static enum rc read_rows(struct db *db, struct arena *a, enum stmt id, int64_t key, size_t size,
			 db_read_fn read, void **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, id);
	char *rows = arena_alloc(a, MAX_ROWS * size);
	int rc;
	db_bind_int(st, 1, key);
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == MAX_ROWS) {
			db_reset(st);
			rc = DB_DONE;
			break;
		}
		read(st, a, rows + *n * size);
		(*n)++;
	}
	*out = rows;
	return rc == DB_DONE ? RC_OK : RC_ERROR;
}

/* ---- divisions, programs ------------------------------------------------ */

enum rc division_list(struct db *db, struct arena *a, bool with_archived, struct division **list,
		      size_t *n)
{
	return read_rows(db, a, STMT_DIVISION_LIST, with_archived, sizeof(**list), read_division,
			 (void **)list, n);
}

enum rc division_get(struct db *db, struct arena *a, int64_t id, struct division *d)
{
	return db_get(db, STMT_DIVISION_GET, id, read_division, a, d);
}

enum rc program_list(struct db *db, struct arena *a, struct program **list, size_t *n)
{
	return read_rows(db, a, STMT_PROGRAM_LIST, 0, sizeof(**list), read_program, (void **)list,
			 n);
}

enum rc program_get(struct db *db, struct arena *a, int64_t id, struct program *p)
{
	return db_get(db, STMT_PROGRAM_GET, id, read_program, a, p);
}

/* ---- calls --------------------------------------------------------------- */

enum rc call_get(struct db *db, struct arena *a, int64_t id, struct call *c)
{
	return db_get(db, STMT_CALL_GET, id, read_call, a, c);
}

enum rc call_list(struct db *db, struct arena *a, bool with_unpublished, struct call **list,
		  size_t *n)
{
	return read_rows(db, a, STMT_CALL_LIST, with_unpublished, sizeof(**list), read_call,
			 (void **)list, n);
}

enum rc call_categories(struct db *db, struct arena *a, int64_t call_id, struct category **list,
			size_t *n)
{
	return read_rows(db, a, STMT_CATEGORY_LIST, call_id, sizeof(**list), read_category,
			 (void **)list, n);
}

enum rc category_get(struct db *db, struct arena *a, int64_t id, struct category *c)
{
	return db_get(db, STMT_CATEGORY_GET, id, read_category, a, c);
}

enum rc call_load(struct db *db, struct arena *a, int64_t id, struct call_view *v)
{
	memset(v, 0, sizeof(*v));
	db_read_begin(db);
	enum rc rc = call_get(db, a, id, &v->call);
	if (rc == RC_OK)
		rc = call_categories(db, a, id, &v->categories, &v->ncategories);
	if (rc == RC_OK)
		rc = read_rows(db, a, STMT_MILESTONE_LIST, id, sizeof(*v->milestones),
			       read_milestone, (void **)&v->milestones, &v->nmilestones);
	if (rc == RC_OK)
		rc = read_rows(db, a, STMT_CALL_DOCUMENT_LIST, id, sizeof(*v->documents),
			       read_document, (void **)&v->documents, &v->ndocuments);
	db_read_end(db);
	return rc;
}

enum rc call_current(struct db *db, struct arena *a, int64_t now, struct call *c)
{
	enum rc rc = db_get(db, STMT_CALL_CURRENT_OPEN, now, read_call, a, c);
	if (rc != RC_NOT_FOUND)
		return rc;
	/* Nothing open: the newest published call (the first row: LIST with
	 * ?1 = 0 lists the published ones, newest fiscal year first). */
	return db_get(db, STMT_CALL_LIST, 0, read_call, a, c);
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

const char *call_status_label_key(enum call_status s)
{
	static const char *const keys[CALL_STATUS__MAX] = {
	    "calls.status.before", "calls.status.open", "calls.status.closed",
	    "calls.status.review", "calls.status.announced"};
	return (unsigned)s < CALL_STATUS__MAX ? keys[s] : keys[CALL_STATUS_BEFORE];
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

const char *call_countdown(int64_t deadline, int64_t now, int64_t left[2])
{
	int64_t secs = deadline > now ? deadline - now : 0;
	int64_t days = secs / 86400, hours = secs % 86400 / 3600, minutes = secs % 3600 / 60;
	left[0] = left[1] = 0;
	if (days > 0) {
		left[0] = days;
		left[1] = hours;
		return "calls.countdown.days";
	}
	if (hours > 0) {
		left[0] = hours;
		return "calls.countdown.hours";
	}
	if (minutes > 0) {
		left[0] = minutes;
		return "calls.countdown.minutes";
	}
	return "calls.countdown.under_minute";
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
    [DIVF_NAME] = {"name", "calls.field.division_name", F_LINE, true, 50, 0, 0, NULL},
    [DIVF_CONTACT] = {"contact", "calls.field.division_contact", F_LINE, false, 200, 0, 0, NULL},
};

const struct field_spec program_fields[PROGF__MAX] = {
    [PROGF_NAME] = {"name", "calls.field.program_name", F_LINE, true, 100, 0, 0, NULL},
    [PROGF_DESCRIPTION] = {"description", "calls.field.program_description", F_TEXT, false, 5000, 0,
			   0, NULL},
};

const struct field_spec call_fields[CALLF__MAX] = {
    [CALLF_PROGRAM] = {"program_id", "calls.field.program", F_ID, true, 20, 0, 0, NULL},
    [CALLF_FISCAL_YEAR] = {"fiscal_year", "calls.field.fiscal_year", F_INT, true, 4, 2000, 2100,
			   NULL},
    [CALLF_TITLE] = {"title", "calls.field.title", F_LINE, true, 100, 0, 0, NULL},
    [CALLF_DESCRIPTION] = {"description", "calls.field.description", F_TEXT, false, 20000, 0, 0,
			   NULL},
    [CALLF_PUBLISHED] = {"published", "calls.field.published", F_BOOL, false, 5, 0, 0, NULL},
};

const struct field_spec category_fields[CATF__MAX] = {
    [CATF_NAME] = {"name", "calls.field.category_name", F_LINE, true, 50, 0, 0, NULL},
    [CATF_SHORT_NAME] = {"short_name", "calls.field.short_name", F_LINE, true, 10, 0, 0, NULL},
    [CATF_DESCRIPTION] = {"description", "calls.field.category_description", F_TEXT, false, 2000, 0,
			  0, NULL},
    [CATF_ELIGIBILITY] = {"eligibility", "calls.field.eligibility", F_TEXT, false, 2000, 0, 0,
			  NULL},
    [CATF_CAP_YEN] = {"cap_yen", "calls.field.cap_yen", F_INT, true, 12, 0, 100000000, NULL},
    [CATF_MIN_MEMBERS] = {"min_members", "calls.field.min_members", F_INT, false, 6, 0, 10000,
			  NULL},
    [CATF_MIN_GROUPS] = {"min_groups", "calls.field.min_groups", F_INT, false, 3, 1, 20, NULL},
    [CATF_NEEDS_COORDINATOR] = {"needs_coordinator", "calls.field.needs_coordinator", F_BOOL, false,
				5, 0, 0, NULL},
    [CATF_NEEDS_DIVISION] = {"needs_division", "calls.field.needs_division", F_BOOL, false, 5, 0, 0,
			     NULL},
    [CATF_OPENS_AT] = {"opens_at", "calls.field.opens_at", F_DATETIME, true, 19, 0, 0, NULL},
    [CATF_DEADLINE_AT] = {"deadline_at", "calls.field.deadline_at", F_DATETIME, true, 19, 0, 0,
			  NULL},
    [CATF_IMPLEMENTATION_END] = {"implementation_end", "calls.field.implementation_end", F_DATE,
				 false, 10, 0, 0, NULL},
    [CATF_EXPECTED_ADOPTIONS] = {"expected_adoptions", "calls.field.expected_adoptions", F_INT,
				 false, 4, 0, 1000, NULL},
    [CATF_POSITION] = {"position", "calls.field.position", F_INT, false, 6, 0, 10000, NULL},
};

const struct field_spec milestone_fields[MSF__MAX] = {
    [MSF_KIND] = {"kind", "calls.field.milestone_kind", F_CHOICE, true, 20, 0, 0,
		  milestone_kind_keys},
    [MSF_LABEL] = {"label", "calls.field.milestone_label", F_LINE, false, 100, 0, 0, NULL},
    [MSF_STARTS_AT] = {"starts_at", "calls.field.starts_at", F_DATETIME, true, 19, 0, 0, NULL},
    [MSF_ENDS_AT] = {"ends_at", "calls.field.ends_at", F_DATETIME, false, 19, 0, 0, NULL},
    [MSF_PLACE] = {"place", "calls.field.place", F_LINE, false, 200, 0, 0, NULL},
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
		if (program_get(db, &a, c->program_id, &p) != RC_OK)
			form_error(f, CALLF_PROGRAM, "calls.err.no_program");
		arena_free(&a);
	}
	return f->nerrors;
}

/* Field i holds no error of its own and a value: ready for a cross-field check. */
static bool usable(const struct form *f, size_t i)
{
	return f->v[i].present && !f->v[i].error;
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

	/* A minus sign gets a message that says what is wrong with it (in
	 * place of the range message). */
	const struct field_value *cap = &f->v[CATF_CAP_YEN];
	if (cap->error && cap->present && cap->s[0] == '-')
		form_error(f, CATF_CAP_YEN, "calls.err.negative_cap");
	/* The short name goes into receipt numbers such as R7-一般-003. */
	const char *sn = c->short_name;
	if (!f->v[CATF_SHORT_NAME].error &&
	    (strchr(sn, '-') || strchr(sn, ' ') || strstr(sn, "\xe3\x80\x80")))
		form_error(f, CATF_SHORT_NAME, "calls.err.short_name_chars");
	/* A deadline of 17:00 means 17:00:00 JST, the moment the office
	 * closes; it must come after the opening. */
	if (usable(f, CATF_OPENS_AT) && usable(f, CATF_DEADLINE_AT) &&
	    c->deadline_at <= c->opens_at)
		form_error(f, CATF_DEADLINE_AT, "calls.err.deadline_before_opening");
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
	if (m->ends_at && usable(f, MSF_STARTS_AT) && !f->v[MSF_ENDS_AT].error &&
	    m->ends_at <= m->starts_at)
		form_error(f, MSF_ENDS_AT, "calls.err.end_before_start");
	return f->nerrors;
}

/* ---- writes ---------------------------------------------------------------- */

/*
 * Finish a write begun with db_begin(): execute st (bound), then add the
 * audit entry (action on entity *id, summary) and commit.  For an insert
 * *id gets the new row's id; otherwise a statement that changed no row
 * means RC_NOT_FOUND.  Any failure rolls back; a constraint violation (a
 * duplicate) is RC_CONFLICT.
 */
static enum rc exec_audited(struct db *db, struct db_stmt *st, bool insert, int64_t *id,
			    int64_t user_id, const char *action, const char *entity,
			    const char *summary)
{
	int rc = db_exec(st);
	if (rc == DB_OK && insert)
		*id = db_last_id(db);
	else if (rc == DB_OK && db_changes(db) == 0) {
		db_rollback(db);
		return RC_NOT_FOUND;
	}
	if (rc == DB_OK && audit(db, user_id, action, entity, *id, summary) == DB_OK &&
	    db_commit(db) == DB_OK)
		return RC_OK;
	db_rollback(db);
	return rc == DB_CONSTRAINT ? RC_CONFLICT : RC_ERROR;
}

/* The audit summaries are stored as written, in the catalogue's words. */

/* Insert or update a (name, text) row: a division or a program.  The
 * update statement takes the id first. */
static enum rc save_named(struct db *db, enum stmt insert_stmt, enum stmt update_stmt,
			  const char *entity, int64_t *id, const char *name, const char *text,
			  int64_t user_id)
{
	bool insert = *id == 0;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, insert ? insert_stmt : update_stmt);
	int i = 1;
	if (!insert)
		db_bind_int(st, i++, *id);
	db_bind_str(st, i++, name);
	db_bind_str(st, i, text);
	struct arena a;
	arena_init(&a);
	enum rc rc = exec_audited(db, st, insert, id, user_id, insert ? "create" : "update", entity,
				  msgf(&a, "calls.audit.named", name));
	arena_free(&a);
	return rc;
}

enum rc division_save(struct db *db, struct division *d, int64_t user_id)
{
	return save_named(db, STMT_DIVISION_INSERT, STMT_DIVISION_UPDATE, "division", &d->id,
			  d->name, d->contact, user_id);
}

enum rc program_save(struct db *db, struct program *p, int64_t user_id)
{
	return save_named(db, STMT_PROGRAM_INSERT, STMT_PROGRAM_UPDATE, "program", &p->id, p->name,
			  p->description, user_id);
}

/* Delete row id of call call_id with statement stmt (?1 the call, ?2 the
 * id), audited with the summary of summary_key. */
static enum rc delete_child(struct db *db, enum stmt stmt, int64_t call_id, int64_t id,
			    int64_t user_id, const char *entity, const char *summary_key)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, stmt);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, id);
	return exec_audited(db, st, false, &id, user_id, "delete", entity, msg(summary_key));
}

enum rc division_set_archived(struct db *db, int64_t id, bool archived, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_DIVISION_ARCHIVE);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, archived);
	return exec_audited(db, st, false, &id, user_id, archived ? "archive" : "unarchive",
			    "division",
			    msg(archived ? "calls.audit.archived" : "calls.audit.unarchived"));
}

enum rc call_save(struct db *db, struct call *c, int64_t now, int64_t user_id)
{
	bool insert = c->id == 0;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, insert ? STMT_CALL_INSERT : STMT_CALL_UPDATE);
	db_bind_int(st, 1, c->program_id);
	db_bind_int(st, 2, c->fiscal_year);
	db_bind_str(st, 3, c->title);
	db_bind_str(st, 4, c->description);
	db_bind_int(st, 5, c->published);
	db_bind_int(st, 6, now);
	if (!insert)
		db_bind_int(st, 7, c->id);
	struct arena a;
	arena_init(&a);
	const char *summary = msgf(
	    &a, "calls.audit.call", c->title, arena_printf(&a, "%lld", (long long)c->fiscal_year),
	    msg(c->published ? "calls.audit.published" : "calls.audit.unpublished"));
	enum rc rc = exec_audited(db, st, insert, &c->id, user_id, insert ? "create" : "update",
				  "call", summary);
	arena_free(&a);
	if (rc == RC_OK) {
		if (insert)
			c->created_at = now;
		c->updated_at = now;
	}
	return rc;
}

enum rc category_save(struct db *db, struct category *c, int64_t user_id)
{
	bool insert = c->id == 0;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
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
	struct arena a;
	arena_init(&a);
	struct buf yen = BUF_INIT, deadline = BUF_INIT;
	call_format_yen(&yen, c->cap_yen);
	call_format_jst(&deadline, c->deadline_at);
	const char *summary = msgf(&a, "calls.audit.category", c->name, c->short_name,
				   yen.p ? yen.p : "", deadline.p ? deadline.p : "");
	buf_release(&yen);
	buf_release(&deadline);
	enum rc rc = exec_audited(db, st, insert, &c->id, user_id, insert ? "create" : "update",
				  "category", summary);
	arena_free(&a);
	return rc;
}

enum rc category_delete(struct db *db, int64_t id, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_CATEGORY_IN_USE);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		db_reset(st);
	if (rc != DB_DONE) {
		db_rollback(db);
		return rc == DB_ROW ? RC_STATE : RC_ERROR;
	}
	st = db_stmt(db, STMT_CATEGORY_DELETE);
	db_bind_int(st, 1, id);
	return exec_audited(db, st, false, &id, user_id, "delete", "category",
			    msg("calls.audit.category_deleted"));
}

enum rc milestone_save(struct db *db, struct milestone *m, int64_t user_id)
{
	bool insert = m->id == 0;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
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
	struct arena a;
	arena_init(&a);
	struct buf when = BUF_INIT;
	call_format_jst(&when, m->starts_at);
	const char *kind = msg(milestone_kind_label_keys[m->kind]);
	const char *summary =
	    *m->label ? msgf(&a, "calls.audit.milestone_labelled", kind, m->label, when.p)
		      : msgf(&a, "calls.audit.milestone", kind, when.p);
	buf_release(&when);
	enum rc rc = exec_audited(db, st, insert, &m->id, user_id, insert ? "create" : "update",
				  "milestone", summary);
	arena_free(&a);
	return rc;
}

enum rc milestone_delete(struct db *db, int64_t call_id, int64_t id, int64_t user_id)
{
	return delete_child(db, STMT_MILESTONE_DELETE, call_id, id, user_id, "milestone",
			    "calls.audit.milestone_deleted");
}

enum rc call_document_add(struct db *db, int64_t call_id, int64_t file_id, const char *title,
			  int64_t user_id, int64_t *id)
{
	*id = 0;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_CALL_DOCUMENT_INSERT);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, file_id);
	db_bind_str(st, 3, title);
	struct arena a;
	arena_init(&a);
	const char *summary =
	    msgf(&a, "calls.audit.document_added", arena_printf(&a, "%lld", (long long)call_id),
		 title, arena_printf(&a, "%lld", (long long)file_id));
	enum rc rc = exec_audited(db, st, true, id, user_id, "create", "call_document", summary);
	arena_free(&a);
	return rc;
}

enum rc call_document_delete(struct db *db, int64_t call_id, int64_t id, int64_t user_id)
{
	return delete_child(db, STMT_CALL_DOCUMENT_DELETE, call_id, id, user_id, "call_document",
			    "calls.audit.document_deleted");
}
