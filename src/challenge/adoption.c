/*
 * adoption: the office's decisions (採択・不採択), the projects they create,
 * the release of results and the public list of projects.  See adoption.h
 * for the rules.
 */
#include "challenge/adoption.h"
#include "core/audit.h"
#include "challenge/budget.h"
#include "notifications/outbox.h"
#include "challenge/review.h"
#include "util/jp.h"
#include "util/msg.h"

#include <stdlib.h>
#include <string.h>

const char *const adoption_decision_keys[] = {"adopt", "reject", NULL};
const char *const adoption_decision_label_keys[] = {"adoption.decision.adopt",
						    "adoption.decision.reject", NULL};

const struct field_spec adoption_fields[ADF__MAX] = {
    [ADF_DECISION] = {"decision", "adoption.field.decision", F_CHOICE, true, 10, 0, 0,
		      adoption_decision_keys},
    [ADF_GRANT] = {"grant_yen", "adoption.field.grant_yen", F_INT, false, 12, 1, ADOPTION_GRANT_MAX,
		   NULL},
    [ADF_DIVISION] = {"division", "adoption.field.division", F_ID, false, 20, 0, 0, NULL},
    [ADF_CONTRACT_DATE] = {"contract_date", "adoption.field.contract_date", F_DATE, false, 10, 0, 0,
			   NULL},
    [ADF_REASON] = {"reason", "adoption.field.reason", F_TEXT, false, 1000, 0, 0, NULL},
};

const struct field_spec project_query_fields[PJQ__MAX] = {
    [PJQ_YEAR] = {"year", "results.field.year", F_INT, false, 4, 1868, 9999, NULL},
    [PJQ_CATEGORY] = {"category", "results.field.category", F_LINE, false, 50, 0, 0, NULL},
};

const char *adoption_rc_key(enum rc rc)
{
	switch (rc) {
	case RC_NOT_FOUND:
		return "adoption.err.not_found";
	case RC_INVALID:
		return rc_key(rc);
	case RC_STATE:
		return "adoption.err.refused";
	case RC_CLOSED:
		return "adoption.err.released";
	default:
		return "adoption.err.save_failed";
	}
}

/* db_text may be NULL for a NULL column. */
static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return arena_strndup(a, s ? s : "", s ? db_len(st, i) : 0);
}

static const char *yen(struct arena *a, int64_t v)
{
	return budget_yen(a, v);
}

/* 令和7年3月31日 for an ISO date; the ISO text when it does not parse. */
static const char *date_label(struct arena *a, const char *iso)
{
	int y, m, d;
	if (jp_parse_iso_date(iso, strlen(iso), &y, &m, &d) != 0)
		return iso;
	struct buf b = BUF_INIT;
	jp_wareki_date(&b, y, m, d, false);
	const char *s = arena_strdup(a, b.p ? b.p : iso);
	buf_release(&b);
	return s;
}

/* ---- deciding ---------------------------------------------------------- */

enum rc adoption_get(struct db *db, struct arena *a, int64_t proposal_id, struct adoption *out)
{
	memset(out, 0, sizeof(*out));
	out->proposal_id = proposal_id;
	out->division_name = out->contract_date = out->reason = "";
	struct db_stmt *st = db_stmt(db, STMT_ADOPTION_GET);
	db_bind_int(st, 1, proposal_id);
	int rc = db_step(st);
	if (rc == DB_DONE)
		return RC_NOT_FOUND;
	if (rc != DB_ROW)
		return RC_ERROR;
	out->adopted = db_int(st, 0) != 0;
	out->grant_yen = db_int(st, 1);
	out->division_id = db_int(st, 2);
	out->division_name = col(a, st, 3);
	out->contract_date = col(a, st, 4);
	out->reason = col(a, st, 5);
	out->decided_by = db_int(st, 6);
	out->decided_at = db_int(st, 7);
	db_reset(st);
	return RC_OK;
}

void adoption_from_form(const struct form *f, struct adoption *out)
{
	int64_t id = out->proposal_id;
	memset(out, 0, sizeof(*out));
	out->proposal_id = id;
	out->adopted = strcmp(form_s(f, ADF_DECISION), "adopt") == 0;
	out->grant_yen = f->v[ADF_GRANT].present ? f->v[ADF_GRANT].i : 0;
	out->division_id = f->v[ADF_DIVISION].present ? f->v[ADF_DIVISION].i : 0;
	out->division_name = "";
	out->contract_date = form_s(f, ADF_CONTRACT_DATE);
	out->reason = form_s(f, ADF_REASON);
}

int64_t adoption_count(struct db *db, int64_t category_id, int64_t except_id)
{
	struct db_stmt *st = db_stmt(db, STMT_ADOPTION_COUNT);
	db_bind_int(st, 1, category_id);
	db_bind_int(st, 2, except_id);
	int64_t n = 0;
	if (db_step(st) == DB_ROW) {
		n = db_int(st, 0);
		db_reset(st);
	}
	return n;
}

/* Submitted (or reopened after submission), not withdrawn: the proposals
 * that entered screening. */
static bool entered(const struct proposal *p)
{
	return p->submitted_at && strcmp(p->status, "draft") != 0 &&
	       strcmp(p->status, "withdrawn") != 0;
}

static void problem(struct arena *a, struct adoption_problem **ps, size_t *n,
		    enum adoption_field field, struct adoption_reason why)
{
	struct adoption_problem *np = arena_alloc(a, (*n + 1) * sizeof(*np));
	if (*n)
		memcpy(np, *ps, *n * sizeof(*np));
	np[*n] = (struct adoption_problem){field, why};
	*ps = np;
	(*n)++;
}

/* The checks on an adoption's grant, division and contract date. */
static void check_adoption(struct db *db, struct arena *a, const struct proposal *p,
			   const struct category *k, const struct adoption *in,
			   struct adoption_problem **ps, size_t *n)
{
	int64_t requested = p->totals.requested;
	if (!in->grant_yen)
		problem(a, ps, n, ADF_GRANT,
			(struct adoption_reason){.key = "adoption.err.grant_required"});
	else if (in->grant_yen > requested)
		problem(a, ps, n, ADF_GRANT,
			(struct adoption_reason){.key = "adoption.err.grant_over_request",
						 .arg = {yen(a, requested)}});
	else if (in->grant_yen > k->cap_yen)
		problem(a, ps, n, ADF_GRANT,
			(struct adoption_reason){.key = "adoption.err.grant_over_cap",
						 .arg = {yen(a, k->cap_yen)}});

	struct division d;
	if (!in->division_id)
		problem(a, ps, n, ADF_DIVISION,
			(struct adoption_reason){.key = "adoption.err.division_required"});
	else if (division_get(db, a, in->division_id, &d) != RC_OK || d.archived)
		problem(a, ps, n, ADF_DIVISION,
			(struct adoption_reason){.key = "adoption.err.division_choice"});

	const char *date = in->contract_date ? in->contract_date : "";
	int y, m, dd;
	if (!*date) {
		problem(a, ps, n, ADF_CONTRACT_DATE,
			(struct adoption_reason){.key = "adoption.err.contract_date_required"});
		return;
	}
	if (jp_parse_iso_date(date, strlen(date), &y, &m, &dd) != 0) {
		problem(a, ps, n, ADF_CONTRACT_DATE,
			(struct adoption_reason){.key = "adoption.err.contract_date_format"});
		return;
	}
	if (jp_fiscal_year(y, m, dd) != p->fiscal_year) {
		struct buf b = BUF_INIT;
		jp_fiscal_year_label(&b, (int)p->fiscal_year);
		problem(a, ps, n, ADF_CONTRACT_DATE,
			(struct adoption_reason){
			    .key = "adoption.err.contract_date_fy",
			    .arg = {arena_strdup(a, b.p ? b.p : ""),
				    arena_printf(a, "%lld", (long long)p->fiscal_year),
				    arena_printf(a, "%lld", (long long)p->fiscal_year + 1)}});
		buf_release(&b);
	} else if (*k->implementation_end && strcmp(date, k->implementation_end) > 0) {
		problem(a, ps, n, ADF_CONTRACT_DATE,
			(struct adoption_reason){.key = "adoption.err.contract_date_after_end",
						 .arg = {date_label(a, k->implementation_end)}});
	}
}

enum rc adoption_decide(struct db *db, struct arena *a, const struct adoption *in, int64_t user_id,
			int64_t now, struct adoption_problem **problems, size_t *nproblems,
			const char **why)
{
	*problems = NULL;
	*nproblems = 0;
	*why = NULL;
	/* Everything is read and written in one write transaction, so that two
	 * offices deciding at once cannot both take the last expected slot. */
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	enum rc rc = RC_NOT_FOUND;
	struct proposal p;
	struct category k;
	struct call_results cr;
	if (proposal_get(db, a, in->proposal_id, &p) != RC_OK)
		goto fail;
	if (category_get(db, a, p.category_id, &k) != RC_OK ||
	    adoption_results(db, p.call_id, &cr) != RC_OK)
		goto fail;
	rc = RC_CLOSED;
	if (cr.released_at)
		goto fail;
	rc = RC_STATE;
	if (!entered(&p)) {
		*why = "adoption.err.not_submitted";
		goto fail;
	}
	if (!review_may_adopt(db, a, p.id, why)) {
		if (!*why)
			*why = "adoption.err.refused";
		goto fail;
	}
	if (in->adopted) {
		check_adoption(db, a, &p, &k, in, problems, nproblems);
		int64_t others = adoption_count(db, k.id, p.id);
		if (k.expected_adoptions > 0 && others + 1 > k.expected_adoptions &&
		    !(in->reason && *in->reason))
			problem(
			    a, problems, nproblems, ADF_REASON,
			    (struct adoption_reason){
				.key = "adoption.err.over_expected",
				.arg = {k.name,
					arena_printf(a, "%lld", (long long)k.expected_adoptions),
					arena_printf(a, "%lld", (long long)others + 1)}});
	}
	rc = RC_INVALID;
	if (*nproblems)
		goto fail;
	rc = adoption_store(db, a, &p, &k, in, user_id, now);
	if (rc != RC_OK)
		goto fail;
	if (db_commit(db) != DB_OK) {
		rc = RC_ERROR;
		goto fail;
	}
	return RC_OK;
fail:
	db_rollback(db);
	return rc;
}

enum rc adoption_store(struct db *db, struct arena *a, const struct proposal *p,
		       const struct category *k, const struct adoption *in, int64_t user_id,
		       int64_t now)
{
	struct db_stmt *st = db_stmt(db, STMT_ADOPTION_UPSERT);
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, in->adopted);
	if (in->adopted) {
		db_bind_int(st, 3, in->grant_yen);
		db_bind_int(st, 4, in->division_id);
		db_bind_str(st, 5, in->contract_date);
	} else {
		db_bind_null(st, 3);
		db_bind_null(st, 4);
		db_bind_null(st, 5);
	}
	db_bind_str(st, 6, in->reason ? in->reason : "");
	db_bind_int(st, 7, user_id);
	db_bind_int(st, 8, now);
	if (db_exec(st) != DB_OK)
		return RC_ERROR;

	int64_t project = 0;
	st = db_stmt(db, STMT_PROJECT_BY_PROPOSAL);
	db_bind_int(st, 1, p->id);
	if (db_step(st) == DB_ROW) {
		project = db_int(st, 0);
		db_reset(st);
	}
	/* The audit summaries are stored in the catalogue's words. */
	const char *summary;
	if (in->adopted) {
		summary = msgf(a, "adoption.audit.adopted", p->receipt_no, p->title,
			       yen(a, in->grant_yen), in->contract_date);
		if (in->reason && *in->reason)
			summary = msgf(a, "adoption.audit.reason", summary, in->reason);
	} else {
		summary = msgf(a, "adoption.audit.rejected", p->receipt_no, p->title);
	}
	if (audit(db, user_id, in->adopted ? "adopt" : "reject", "proposal", p->id, summary) !=
	    DB_OK)
		return RC_ERROR;

	if (project) {
		st = db_stmt(db, STMT_PROJECT_GROUPS_CLEAR);
		db_bind_int(st, 1, project);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	}
	if (!in->adopted) {
		if (!project)
			return RC_OK;
		st = db_stmt(db, STMT_PROJECT_DELETE);
		db_bind_int(st, 1, project);
		if (db_exec(st) != DB_OK ||
		    audit(db, user_id, "delete", "project", project,
			  msgf(a, "adoption.audit.project_removed", p->title)) != DB_OK)
			return RC_ERROR;
		return RC_OK;
	}

	/* The implementation period runs from the contract to the category's
	 * implementation end. */
	const char *end = *k->implementation_end ? k->implementation_end : NULL;
	if (project) {
		st = db_stmt(db, STMT_PROJECT_UPDATE);
		db_bind_int(st, 1, project);
		db_bind_str(st, 2, p->title);
		db_bind_str(st, 3, p->summary);
		db_bind_int(st, 4, in->division_id);
		db_bind_int(st, 5, in->grant_yen);
		db_bind_str(st, 6, in->contract_date);
		db_bind_str(st, 7, end);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	} else {
		st = db_stmt(db, STMT_PROJECT_INSERT);
		db_bind_int(st, 1, p->id);
		db_bind_int(st, 2, p->fiscal_year);
		db_bind_int(st, 3, p->call_id);
		db_bind_int(st, 4, k->id);
		db_bind_str(st, 5, k->name);
		db_bind_int(st, 6, p->group_id);
		db_bind_str(st, 7, p->title);
		db_bind_str(st, 8, p->summary);
		db_bind_int(st, 9, in->division_id);
		db_bind_int(st, 10, in->grant_yen);
		db_bind_str(st, 11, in->contract_date);
		db_bind_str(st, 12, end);
		db_bind_int(st, 13, now);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
		project = db_last_id(db);
	}
	st = db_stmt(db, STMT_PROJECT_GROUP_ADD);
	db_bind_int(st, 1, project);
	db_bind_int(st, 2, p->group_id);
	if (db_exec(st) != DB_OK)
		return RC_ERROR;
	for (size_t i = 0; i < p->npartners; i++) {
		st = db_stmt(db, STMT_PROJECT_GROUP_ADD);
		db_bind_int(st, 1, project);
		db_bind_int(st, 2, p->partners[i].group_id);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	}
	if (audit(db, user_id, "update", "project", project,
		  msgf(a, "adoption.audit.project",
		       arena_printf(a, "%lld", (long long)p->fiscal_year), k->name, p->title,
		       in->contract_date, end ? end : "")) != DB_OK)
		return RC_ERROR;
	return RC_OK;
}

/* ---- a call's proposals ------------------------------------------------- */

enum rc adoption_rows(struct db *db, struct arena *a, int64_t call_id, int64_t proposal_id,
		      bool with_review, struct adoption_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct adoption_row *rows = NULL;
	struct db_stmt *st = db_stmt(db, STMT_ADOPTION_ROWS);
	db_bind_int(st, 1, call_id);
	if (proposal_id)
		db_bind_int(st, 2, proposal_id);
	else
		db_bind_null(st, 2);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		rows = arena_grow(a, rows, *n, &cap, sizeof(*rows));
		struct adoption_row *r = &rows[(*n)++];
		memset(r, 0, sizeof(*r));
		r->proposal_id = db_int(st, 0);
		r->receipt_no = col(a, st, 1);
		r->title = col(a, st, 2);
		r->summary = col(a, st, 3);
		r->group_id = db_int(st, 4);
		r->group_name = col(a, st, 5);
		r->rep_title = col(a, st, 6);
		r->rep_name = col(a, st, 7);
		r->category_id = db_int(st, 8);
		r->category_name = col(a, st, 9);
		r->implementation_end = col(a, st, 10);
		r->expected_adoptions = db_int(st, 11);
		r->cap_yen = db_int(st, 12);
		r->requested = db_int(st, 13);
		r->desired_division_id = db_int(st, 14);
		r->decided = db_int(st, 15) != 0;
		r->adopted = db_int(st, 16) != 0;
		r->grant_yen = db_int(st, 17);
		r->division_id = db_int(st, 18);
		r->division_name = col(a, st, 19);
		r->contract_date = col(a, st, 20);
		r->decided_at = db_int(st, 21);
		if (*n >= REVIEW_MAX_PROPOSALS) {
			db_reset(st);
			rc = DB_DONE;
			break;
		}
	}
	if (rc != DB_DONE)
		return RC_ERROR;
	/* After the statement is done: review_may_adopt runs statements of its
	 * own. */
	for (size_t i = 0; with_review && i < *n; i++) {
		rows[i].why = NULL;
		rows[i].may_decide = review_may_adopt(db, a, rows[i].proposal_id, &rows[i].why);
		if (!rows[i].may_decide && !rows[i].why)
			rows[i].why = "adoption.err.refused";
	}
	*out = rows;
	return RC_OK;
}

/* ---- results ----------------------------------------------------------- */

enum rc adoption_results(struct db *db, int64_t call_id, struct call_results *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_stmt(db, STMT_CALL_RESULTS_GET);
	db_bind_int(st, 1, call_id);
	int rc = db_step(st);
	if (rc == DB_DONE)
		return RC_NOT_FOUND;
	if (rc != DB_ROW)
		return RC_ERROR;
	out->released_at = db_int(st, 0);
	out->comments_released = db_int(st, 1) != 0;
	db_reset(st);
	return RC_OK;
}

bool adoption_results_released(struct db *db, int64_t call_id)
{
	struct call_results cr;
	return adoption_results(db, call_id, &cr) == RC_OK && cr.released_at;
}

/* Notify every applicant of row r; adds to *count. */
static int notify_applicants(struct db *db, struct arena *a, const struct adoption_row *r,
			     const char *subject, const char *body, size_t *count)
{
	int64_t users[256];
	size_t n = 0;
	struct db_stmt *st = db_stmt(db, STMT_ADOPTION_APPLICANTS);
	db_bind_int(st, 1, r->proposal_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == sizeof(users) / sizeof(users[0])) {
			db_reset(st);
			rc = DB_DONE;
			break;
		}
		users[n++] = db_int(st, 0);
	}
	if (rc != DB_DONE)
		return DB_ERROR;
	const char *link = arena_printf(a, "/proposals/%lld/result", (long long)r->proposal_id);
	for (size_t i = 0; i < n; i++) {
		if (notify(db, users[i], "results", subject, body, link) != DB_OK)
			return DB_ERROR;
		(*count)++;
	}
	return DB_OK;
}

enum rc adoption_release(struct db *db, struct arena *a, int64_t call_id, bool comments,
			 int64_t user_id, int64_t now, size_t *notified,
			 struct adoption_reason *why)
{
	*notified = 0;
	*why = (struct adoption_reason){.key = NULL};
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	enum rc rc;
	struct call c;
	struct call_results cr;
	struct adoption_row *rows;
	size_t n;
	rc = RC_NOT_FOUND;
	if (call_get(db, a, call_id, &c) != RC_OK)
		goto fail;
	if ((rc = adoption_results(db, call_id, &cr)) != RC_OK)
		goto fail;
	if ((rc = adoption_rows(db, a, call_id, 0, !cr.released_at, &rows, &n)) != RC_OK)
		goto fail;
	if (!cr.released_at) {
		size_t decided = 0, open = 0;
		for (size_t i = 0; i < n; i++) {
			decided += rows[i].decided;
			open += !rows[i].decided && rows[i].may_decide;
		}
		rc = RC_INVALID;
		if (n && !decided) {
			*why = (struct adoption_reason){.key = "adoption.err.none_decided"};
			goto fail;
		}
		if (open) {
			*why = (struct adoption_reason){.key = "adoption.err.undecided",
							.arg = {arena_printf(a, "%zu", open)}};
			goto fail;
		}
	}
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_CALL_RESULTS_RELEASE);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, comments);
	if (db_exec(st) != DB_OK)
		goto fail;
	const char *summary = NULL;
	if (!cr.released_at) {
		for (size_t i = 0; i < n; i++) {
			const char *subject =
			    msgf(a, "adoption.notify.results.subject", rows[i].title);
			const char *body =
			    msgf(a, "adoption.notify.results.body", c.title, rows[i].title,
				 rows[i].receipt_no,
				 comments ? msg("adoption.notify.results.with_comments") : "");
			if (notify_applicants(db, a, &rows[i], subject, body, notified) != DB_OK)
				goto fail;
		}
		summary = msgf(a, "adoption.audit.released", arena_printf(a, "%zu", n),
			       msg(comments ? "adoption.audit.with" : "adoption.audit.without"));
	} else if (comments != cr.comments_released) {
		for (size_t i = 0; comments && i < n; i++) {
			const char *subject =
			    msgf(a, "adoption.notify.comments.subject", rows[i].title);
			const char *body = msgf(a, "adoption.notify.comments.body", rows[i].title,
						rows[i].receipt_no);
			if (notify_applicants(db, a, &rows[i], subject, body, notified) != DB_OK)
				goto fail;
		}
		summary =
		    msg(comments ? "adoption.audit.comments_on" : "adoption.audit.comments_off");
	}
	if (summary && audit(db, user_id, "release", "call", call_id, summary) != DB_OK)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;
	return RC_OK;
fail:
	db_rollback(db);
	return rc;
}

size_t adoption_comments(struct db *db, struct arena *a, int64_t proposal_id, const char ***out)
{
	size_t n = 0, cap = 0;
	const char **list = NULL;
	struct db_stmt *st = db_stmt(db, STMT_ADOPTION_COMMENTS);
	db_bind_int(st, 1, proposal_id);
	while (db_step(st) == DB_ROW) {
		list = arena_grow(a, list, n, &cap, sizeof(*list));
		list[n++] = col(a, st, 0);
		if (n >= REVIEW_MAX_ASSIGNEES) {
			db_reset(st);
			break;
		}
	}
	*out = list;
	return n;
}

const char *adoption_stopped_at(struct db *db, struct arena *a, int64_t proposal_id)
{
	struct db_stmt *st = db_stmt(db, STMT_ADOPTION_STOPPED_AT);
	db_bind_int(st, 1, proposal_id);
	if (db_step(st) != DB_ROW)
		return NULL;
	const char *s = col(a, st, 0);
	db_reset(st);
	return s;
}

/* ---- the partner division ------------------------------------------------ */

int64_t adoption_user_division(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_stmt(db, STMT_USER_DIVISION_GET);
	db_bind_int(st, 1, user_id);
	int64_t id = 0;
	if (db_step(st) == DB_ROW) {
		id = db_int(st, 0);
		db_reset(st);
	}
	return id;
}

bool adoption_division_may_read(struct db *db, int64_t proposal_id, int64_t user_id)
{
	struct db_stmt *st = db_stmt(db, STMT_ADOPTION_DIVISION_READ);
	db_bind_int(st, 1, proposal_id);
	db_bind_int(st, 2, user_id);
	if (db_step(st) != DB_ROW)
		return false;
	db_reset(st);
	return true;
}

/* ---- projects ---------------------------------------------------------- */

static void bind_or_null(struct db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

enum rc project_list(struct db *db, struct arena *a, const struct project_query *q,
		     struct project **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct project *list = NULL;
	db_read_begin(db);
	struct db_stmt *st = db_stmt(db, STMT_PROJECT_LIST);
	bind_or_null(st, 1, q->fiscal_year);
	db_bind_str(st, 2, q->category);
	bind_or_null(st, 3, q->division_id);
	bind_or_null(st, 4, q->group_id);
	db_bind_int(st, 5, q->with_unreleased);
	db_bind_int(st, 6, PROJECT_LIST_MAX);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		list = arena_grow(a, list, *n, &cap, sizeof(*list));
		struct project *p = &list[(*n)++];
		memset(p, 0, sizeof(*p));
		p->id = db_int(st, 0);
		p->proposal_id = db_int(st, 1);
		p->fiscal_year = db_int(st, 2);
		p->call_id = db_int(st, 3);
		p->category_id = db_int(st, 4);
		p->category_name = col(a, st, 5);
		p->group_id = db_int(st, 6);
		p->group_name = col(a, st, 7);
		p->title = col(a, st, 8);
		p->summary = col(a, st, 9);
		p->division_id = db_int(st, 10);
		p->division_name = col(a, st, 11);
		p->grant_yen = db_int(st, 12);
		p->period_start = col(a, st, 13);
		p->period_end = col(a, st, 14);
		p->released = db_int(st, 15) != 0;
	}
	enum rc result = rc == DB_DONE ? RC_OK : RC_ERROR;
	for (size_t i = 0; result == RC_OK && i < *n; i++) {
		size_t gcap = 0;
		struct project *p = &list[i];
		st = db_stmt(db, STMT_PROJECT_GROUPS);
		db_bind_int(st, 1, p->id);
		while ((rc = db_step(st)) == DB_ROW) {
			p->groups = arena_grow(a, p->groups, p->ngroups, &gcap, sizeof(*p->groups));
			p->groups[p->ngroups++] = col(a, st, 0);
		}
		if (rc != DB_DONE)
			result = RC_ERROR;
	}
	db_read_end(db);
	if (result == RC_OK)
		*out = list;
	else
		*n = 0;
	return result;
}

size_t project_years(struct db *db, struct arena *a, int64_t **out)
{
	size_t n = 0, cap = 0;
	int64_t *years = NULL;
	struct db_stmt *st = db_stmt(db, STMT_PROJECT_YEARS);
	while (db_step(st) == DB_ROW) {
		years = arena_grow(a, years, n, &cap, sizeof(*years));
		years[n++] = db_int(st, 0);
		if (n >= 1000) {
			db_reset(st);
			break;
		}
	}
	*out = years;
	return n;
}

/* ---- history ----------------------------------------------------------- */

/*
 * The era initial (R, H, S, T, M) and era year of fiscal year fy, in
 * force on 1 May as in jp_fiscal_year_label().  0, or -1 before 明治.
 * The eras' first days are util/jp.h's; the initials are the usual
 * romanisation, the same in every language.
 */
static int era_year(int64_t fy, const char **initial, int64_t *year)
{
	static const struct {
		int y, m, d;
		const char *initial;
	} eras[] = {{2019, 5, 1, "R"},
		    {1989, 1, 8, "H"},
		    {1926, 12, 25, "S"},
		    {1912, 7, 30, "T"},
		    {1868, 1, 25, "M"}};
	if (fy > 9999)
		return -1;
	/* 1 May of fy as yyyymmdd, against each era's first day. */
	int64_t may1 = fy * 10000 + 501;
	for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++) {
		if (may1 < (int64_t)eras[i].y * 10000 + eras[i].m * 100 + eras[i].d)
			continue;
		*initial = eras[i].initial;
		*year = fy - eras[i].y + 1;
		return 0;
	}
	return -1;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

const char *adoption_years_label(struct arena *a, const int64_t *years, size_t n)
{
	if (!n)
		return NULL;
	int64_t *ys = arena_alloc(a, n * sizeof(*ys));
	memcpy(ys, years, n * sizeof(*ys));
	qsort(ys, n, sizeof(*ys), cmp_i64);
	struct buf b = BUF_INIT;
	const char *out = NULL;
	size_t i = 0;
	while (i < n) {
		/* One run of consecutive years: ys[i] .. ys[j]. */
		size_t j = i;
		while (j + 1 < n && ys[j + 1] <= ys[j] + 1)
			j++;
		const char *ei, *ej;
		int64_t yi, yj;
		if (era_year(ys[i], &ei, &yi) != 0 || era_year(ys[j], &ej, &yj) != 0)
			goto done;
		if (b.n)
			buf_adds(&b, msg("adoption.history.separator"));
		buf_printf(&b, "%s%lld", ei, (long long)yi);
		if (ys[j] != ys[i]) {
			/* The era is written again only when the run crosses into a
			 * new one: H30–R1. */
			buf_adds(&b, "–");
			if (strcmp(ei, ej) != 0)
				buf_adds(&b, ej);
			buf_printf(&b, "%lld", (long long)yj);
		}
		i = j + 1;
	}
	out = msgf(a, "adoption.history.label", b.p);
done:
	buf_release(&b);
	return out;
}

const char *adoption_group_history(struct db *db, struct arena *a, int64_t group_id)
{
	struct project_query q = {.group_id = group_id};
	struct project *ps;
	size_t n;
	if (project_list(db, a, &q, &ps, &n) != RC_OK || !n)
		return NULL;
	int64_t *years = arena_alloc(a, n * sizeof(*years));
	for (size_t i = 0; i < n; i++)
		years[i] = ps[i].fiscal_year;
	return adoption_years_label(a, years, n);
}
