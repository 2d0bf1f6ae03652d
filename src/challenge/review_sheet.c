/*
 * review: which proposals enter a stage, recusals, the reviewer's queue
 * and what a reviewer may read, and score sheets — reading, the checks of
 * who may score when, saving, the office's corrections and declared
 * conflicts of interest (see review.h; the set-up is in review_setup.c).
 */
#include "challenge/review_internal.h"
#include "core/role.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/str.h"

#include <string.h>

/* ---- proposals in a stage ---- */

static int64_t previous_stage(struct db *db, const struct review_stage *s)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_PREVIOUS);
	db_bind_int(st, 1, s->call_id);
	db_bind_int(st, 2, s->position);
	if (db_step(st) != DB_ROW)
		return 0;
	int64_t id = db_int(st, 0);
	db_reset(st);
	return id;
}

static void read_entrant(struct db_stmt *st, struct arena *a, struct review_entrant *e)
{
	e->proposal_id = db_int(st, 0);
	e->category_id = db_int(st, 1);
	e->group_id = db_int(st, 2);
	e->previous_id = db_int(st, 3);
	e->receipt_no = review_col(a, st, 4);
	e->title = review_col(a, st, 5);
	e->group_name = review_col(a, st, 6);
	e->category_name = review_col(a, st, 7);
	e->category_short = review_col(a, st, 8);
	e->decision = review_col(a, st, 11);
	e->decision_reason = review_col(a, st, 12);
}

enum rc review_entrants(struct db *db, struct arena *a, const struct review_stage *s,
			struct review_entrant **out, size_t *n)
{
	int64_t prev = previous_stage(db, s);
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_ENTRANTS);
	db_bind_int(st, 1, s->call_id);
	if (prev)
		db_bind_int(st, 2, prev);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, s->id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *status = db_text(st, 9);
		bool submitted =
		    status && strcmp(status, "draft") != 0 && strcmp(status, "withdrawn") != 0;
		if (!review_enters(s->entry, prev != 0, submitted, db_text(st, 10)))
			continue;
		if (*n == REVIEW_MAX_PROPOSALS) {
			db_reset(st);
			rc = DB_DONE;
			break;
		}
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		read_entrant(st, a, &(*out)[(*n)++]);
	}
	return rc == DB_DONE ? RC_OK : RC_ERROR;
}

/* ---- recusals ---- */

enum rc review_sync_recusals(struct db *db, const struct review_stage *s, int64_t now)
{
	if (s->closed_at)
		return RC_OK;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_RECUSAL_SYNC);
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, now);
	db_bind_str(st, 3, msg("review.recusal.automatic"));
	db_bind_int(st, 4, ROLE_REVIEWER);
	return db_exec(st) == DB_OK ? RC_OK : RC_ERROR;
}

struct recusal {
	const char *reason;
	bool automatic;
};

static void read_recusal(struct db_stmt *st, struct arena *a, void *out)
{
	struct recusal *r = out;
	r->reason = review_col(a, st, 0);
	r->automatic = db_int(st, 1) != 0;
}

bool review_recusal(struct db *db, struct arena *a, int64_t stage_id, int64_t proposal_id,
		    int64_t reviewer_id, const char **reason, bool *automatic)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_RECUSAL_GET);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, proposal_id);
	db_bind_int(st, 3, reviewer_id);
	struct recusal r;
	if (review_first(st, a, read_recusal, &r) != RC_OK)
		return false;
	if (reason)
		*reason = r.reason;
	if (automatic)
		*automatic = r.automatic;
	return true;
}

static void read_recusal_row(struct db_stmt *st, struct arena *a, void *out)
{
	(void)a;
	struct review_recusal_row *r = out;
	r->proposal_id = db_int(st, 0);
	r->user_id = db_int(st, 1);
	r->automatic = db_int(st, 2) != 0;
}

enum rc review_load_recusals(struct db *db, struct arena *a, int64_t stage_id,
			     struct review_recusal_row **out, size_t *n)
{
	enum rc rc;
	*out = review_list(db, STMT_REVIEW_RECUSALS, stage_id, a, sizeof(**out), read_recusal_row,
			   n, &rc);
	return rc;
}

static void read_sheet_row(struct db_stmt *st, struct arena *a, void *out)
{
	(void)a;
	struct review_sheet_row *r = out;
	r->proposal_id = db_int(st, 0);
	r->user_id = db_int(st, 1);
	const char *status = db_text(st, 2);
	r->submitted = status && strcmp(status, "submitted") == 0;
}

enum rc review_load_sheet_rows(struct db *db, struct arena *a, int64_t stage_id,
			       struct review_sheet_row **out, size_t *n)
{
	enum rc rc;
	*out = review_list(db, STMT_REVIEW_SHEETS_STAGE, stage_id, a, sizeof(**out), read_sheet_row,
			   n, &rc);
	return rc;
}

bool review_recused_in(const struct review_recusal_row *r, size_t n, int64_t proposal_id,
		       int64_t user_id)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].proposal_id == proposal_id && r[i].user_id == user_id)
			return true;
	return false;
}

const struct review_sheet_row *review_sheet_in(const struct review_sheet_row *r, size_t n,
					       int64_t proposal_id, int64_t user_id)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].proposal_id == proposal_id && r[i].user_id == user_id)
			return &r[i];
	return NULL;
}

/* ---- the reviewer's queue ---- */

/* Whether the reviewer is assigned, per category, asked once each. */
struct assigned_cache {
	int64_t cats[64];
	bool yes[64];
	size_t n;
};

static bool assigned_cached(struct db *db, const struct review_stage *s, int64_t reviewer_id,
			    int64_t category_id, struct assigned_cache *c)
{
	for (size_t k = 0; k < c->n; k++)
		if (c->cats[k] == category_id)
			return c->yes[k];
	bool assigned = review_is_assigned(db, s, reviewer_id, category_id);
	if (c->n < sizeof(c->cats) / sizeof(c->cats[0])) {
		c->cats[c->n] = category_id;
		c->yes[c->n++] = assigned;
	}
	return assigned;
}

enum rc review_queue(struct db *db, struct arena *a, const struct review_stage *s,
		     int64_t reviewer_id, int64_t now, struct review_item **out, size_t *n,
		     struct review_progress *pg)
{
	struct review_entrant *es;
	size_t ne, nsheets;
	struct review_sheet_row *sheets;
	memset(pg, 0, sizeof(*pg));
	*out = NULL;
	*n = 0;
	if (review_sync_recusals(db, s, now) != RC_OK ||
	    review_entrants(db, a, s, &es, &ne) != RC_OK ||
	    review_load_sheet_rows(db, a, s->id, &sheets, &nsheets) != RC_OK)
		return RC_ERROR;
	*out = arena_alloc(a, xmul(ne + 1, sizeof(**out)));
	struct assigned_cache cache = {.n = 0};
	for (size_t i = 0; i < ne; i++) {
		if (!assigned_cached(db, s, reviewer_id, es[i].category_id, &cache))
			continue;
		struct review_item *it = &(*out)[(*n)++];
		it->e = es[i];
		it->recused = review_recusal(db, a, s->id, es[i].proposal_id, reviewer_id,
					     &it->recusal_reason, &it->automatic);
		const struct review_sheet_row *sh =
		    review_sheet_in(sheets, nsheets, es[i].proposal_id, reviewer_id);
		it->sheet_status = !sh ? "" : sh->submitted ? "submitted" : "draft";
		if (it->recused) {
			pg->recused++;
			continue;
		}
		pg->total++;
		if (sh && sh->submitted)
			pg->submitted++;
		else if (sh)
			pg->drafts++;
	}
	return RC_OK;
}

bool review_can_read(struct db *db, struct arena *a, int64_t proposal_id, int64_t reviewer_id,
		     int64_t now)
{
	/* The stages of the proposal's call, by id (the statement lists each
	 * stage with the proposal's decision in it). */
	int64_t ids[REVIEW_MAX_STAGES + 4];
	size_t n = 0;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_DECISIONS_OF_PROPOSAL);
	db_bind_int(st, 1, proposal_id);
	while (db_step(st) == DB_ROW) {
		if (n == sizeof(ids) / sizeof(ids[0])) {
			db_reset(st);
			break;
		}
		ids[n++] = db_int(st, 0);
	}
	for (size_t i = 0; i < n; i++) {
		struct review_stage s;
		struct review_entrant *es;
		size_t ne;
		if (review_stage_get(db, a, ids[i], &s) != RC_OK || s.opens_at > now ||
		    review_entrants(db, a, &s, &es, &ne) != RC_OK)
			continue;
		const struct review_entrant *e = review_find_entrant(es, ne, proposal_id);
		if (e && review_is_assigned(db, &s, reviewer_id, e->category_id))
			return true;
	}
	return false;
}

static void read_project_history(struct db_stmt *st, struct arena *a, void *out)
{
	struct review_history *h = out;
	memset(h, 0, sizeof(*h));
	h->fiscal_year = db_int(st, 0);
	h->title = review_col(a, st, 1);
	h->category_name = review_col(a, st, 2);
	h->grant_yen = db_int(st, 3);
	h->receipt_no = "";
	h->adopted = true;
}

static void read_proposal_history(struct db_stmt *st, struct arena *a, void *out)
{
	struct review_history *h = out;
	memset(h, 0, sizeof(*h));
	h->fiscal_year = db_int(st, 0);
	h->title = review_col(a, st, 1);
	h->category_name = review_col(a, st, 2);
	h->receipt_no = review_col(a, st, 3);
}

size_t review_history_of(struct db *db, struct arena *a, int64_t group_id, int64_t fiscal_year,
			 int64_t except_id, struct review_history **out)
{
	size_t n;
	enum rc rc;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_HISTORY_PROJECTS);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, fiscal_year);
	*out = review_rows(st, a, sizeof(**out), read_project_history, &n, &rc);
	if (n)
		return n;
	st = db_stmt(db, STMT_REVIEW_HISTORY_PROPOSALS);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, fiscal_year);
	db_bind_int(st, 3, except_id);
	*out = review_rows(st, a, sizeof(**out), read_proposal_history, &n, &rc);
	return n;
}

/* ---- score sheets ---- */

static void read_sheet(struct db_stmt *st, struct arena *a, void *out)
{
	struct review_sheet *sh = out;
	memset(sh, 0, sizeof(*sh));
	sh->id = db_int(st, 0);
	sh->stage_id = db_int(st, 1);
	sh->proposal_id = db_int(st, 2);
	sh->reviewer_id = db_int(st, 3);
	sh->status = review_col(a, st, 4);
	sh->comment = review_col(a, st, 5);
	sh->updated_at = db_int(st, 6);
	sh->submitted_at = db_int(st, 7);
	sh->reviewer_name = review_col(a, st, 8);
}

/* Lay out sh's stored scores along crit[0..n). */
static enum rc load_scores(struct db *db, struct arena *a, struct review_sheet *sh,
			   const struct review_criterion *crit, size_t n)
{
	sh->n = n;
	sh->scores = arena_alloc(a, xmul(n + 1, sizeof(*sh->scores)));
	sh->has_score = arena_alloc(a, xmul(n + 1, sizeof(*sh->has_score)));
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEET_SCORES);
	db_bind_int(st, 1, sh->id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t cid = db_int(st, 0);
		for (size_t i = 0; i < n; i++)
			if (crit[i].id == cid) {
				sh->scores[i] = db_int(st, 1);
				sh->has_score[i] = true;
			}
	}
	return rc == DB_DONE ? RC_OK : RC_ERROR;
}

enum rc review_sheet_get(struct db *db, struct arena *a, const struct review_stage *s,
			 const struct review_criterion *crit, size_t ncrit, int64_t proposal_id,
			 int64_t reviewer_id, struct review_sheet *sh)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEET_GET);
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, proposal_id);
	db_bind_int(st, 3, reviewer_id);
	enum rc rc = review_first(st, a, read_sheet, sh);
	return rc == RC_OK ? load_scores(db, a, sh, crit, ncrit) : rc;
}

enum rc review_sheet_by_id(struct db *db, struct arena *a, int64_t sheet_id,
			   const struct review_criterion *crit, size_t ncrit,
			   struct review_sheet *sh)
{
	enum rc rc = db_get(db, STMT_REVIEW_SHEET_BY_ID, sheet_id, read_sheet, a, sh);
	return rc == RC_OK ? load_scores(db, a, sh, crit, ncrit) : rc;
}

enum rc review_sheets_of(struct db *db, struct arena *a, const struct review_stage *s,
			 const struct review_criterion *crit, size_t ncrit, int64_t proposal_id,
			 struct review_sheet **out, size_t *n)
{
	enum rc rc;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEETS_OF_PROPOSAL);
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, proposal_id);
	*out = review_rows(st, a, sizeof(**out), read_sheet, n, &rc);
	/* Scores after the list statement has finished. */
	for (size_t i = 0; rc == RC_OK && i < *n; i++)
		rc = load_scores(db, a, &(*out)[i], crit, ncrit);
	return rc;
}

/* The checks of review_may_score() on a stage already loaded. */
static enum rc may_score(struct db *db, struct arena *a, const struct review_stage *s,
			 int64_t proposal_id, int64_t reviewer_id, int64_t now, bool window_matters,
			 const struct review_entrant **entrant, struct review_why *why)
{
	struct review_entrant *es;
	size_t ne;
	if (review_sync_recusals(db, s, now) != RC_OK ||
	    review_entrants(db, a, s, &es, &ne) != RC_OK)
		return RC_ERROR;
	const struct review_entrant *e = review_find_entrant(es, ne, proposal_id);
	if (!e)
		return review_refuse(why, RC_NOT_FOUND, "review.why.not_in_stage", NULL, NULL,
				     NULL);
	if (entrant)
		*entrant = e;
	if (!review_is_assigned(db, s, reviewer_id, e->category_id))
		return review_refuse(why, RC_FORBIDDEN, "review.why.not_assigned", NULL, NULL,
				     NULL);
	const char *reason = NULL;
	if (review_recusal(db, a, s->id, proposal_id, reviewer_id, &reason, NULL))
		return review_refuse(why, RC_FORBIDDEN, "review.why.recused", reason, NULL, NULL);
	if (!window_matters)
		return RC_OK;
	switch (review_stage_phase(s, now)) {
	case REVIEW_PHASE_OPEN:
		return RC_OK;
	case REVIEW_PHASE_BEFORE:
		return review_refuse(why, RC_CLOSED, "review.why.before_window", NULL, NULL, NULL);
	default:
		return review_refuse(why, RC_CLOSED, "review.why.window_over", NULL, NULL, NULL);
	}
}

enum rc review_may_score(struct db *db, struct arena *a, const struct review_stage *s,
			 int64_t proposal_id, int64_t reviewer_id, int64_t now,
			 struct review_why *why)
{
	return may_score(db, a, s, proposal_id, reviewer_id, now, true, NULL, why);
}

/* Check in's scores against the stage: ranges always, completeness when
 * complete is true. */
static enum rc check_input(struct arena *a, const struct review_stage *s,
			   const struct review_criterion *crit, size_t ncrit,
			   const struct review_input *in, bool complete, struct review_why *why)
{
	if (in->n != ncrit)
		return review_refuse(why, RC_INVALID, "review.why.criteria_changed", NULL, NULL,
				     NULL);
	for (size_t i = 0; i < ncrit; i++) {
		int64_t hi = review_score_max(s, &crit[i]);
		if (!in->has[i] && complete)
			return review_refuse(why, RC_INVALID, "review.why.score_missing",
					     crit[i].name, NULL, NULL);
		if (in->has[i] && (in->scores[i] < s->scale_min || in->scores[i] > hi))
			return review_refuse(why, RC_INVALID, "review.why.score_range",
					     crit[i].name, review_num(a, s->scale_min),
					     review_num(a, hi));
	}
	if (in->comment && strlen(in->comment) > 4 * REVIEW_COMMENT_MAX)
		return review_refuse(why, RC_INVALID, "review.why.comment_too_long", NULL, NULL,
				     NULL);
	return RC_OK;
}

/* 「公益性4 協働の必要性3 ...」 for the audit log. */
static const char *scores_text(struct arena *a, const struct review_criterion *crit, size_t n,
			       const int64_t *scores, const bool *has)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (has[i])
			buf_printf(&b, "%s%s%lld", i ? " " : "", crit[i].name,
				   (long long)scores[i]);
		else
			buf_printf(&b, "%s%s-", i ? " " : "", crit[i].name);
	}
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

static int write_scores(struct db *db, int64_t sheet_id, const struct review_criterion *crit,
			const struct review_input *in)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SCORES_CLEAR);
	db_bind_int(st, 1, sheet_id);
	if (db_exec(st) != DB_OK)
		return DB_ERROR;
	for (size_t i = 0; i < in->n; i++) {
		if (!in->has[i])
			continue;
		st = db_stmt(db, STMT_REVIEW_SCORE_ADD);
		db_bind_int(st, 1, sheet_id);
		db_bind_int(st, 2, crit[i].id);
		db_bind_int(st, 3, in->scores[i]);
		if (db_exec(st) != DB_OK)
			return DB_ERROR;
	}
	return DB_OK;
}

enum rc review_sheet_save(struct db *db, struct arena *a, const struct review_stage *s,
			  const struct review_criterion *crit, size_t ncrit, int64_t proposal_id,
			  int64_t reviewer_id, const struct review_input *in, int64_t now,
			  int64_t *sheet_id, struct review_why *why)
{
	enum rc rc = check_input(a, s, crit, ncrit, in, in->submit, why);
	if (rc != RC_OK)
		return rc;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	/* Re-read the stage inside the transaction: the office may have
	 * closed it since the page was drawn. */
	struct review_stage cur;
	const struct review_entrant *e = NULL;
	rc = review_stage_get(db, a, s->id, &cur);
	if (rc != RC_OK)
		goto fail;
	rc = may_score(db, a, &cur, proposal_id, reviewer_id, now, true, &e, why);
	if (rc != RC_OK)
		goto fail;
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEET_UPSERT);
	db_bind_int(st, 1, cur.id);
	db_bind_int(st, 2, proposal_id);
	db_bind_int(st, 3, reviewer_id);
	db_bind_str(st, 4, in->submit ? "submitted" : "draft");
	db_bind_str(st, 5, in->comment ? in->comment : "");
	db_bind_int(st, 6, now);
	if (in->submit)
		db_bind_int(st, 7, now);
	else
		db_bind_null(st, 7);
	if (db_exec(st) != DB_OK)
		goto fail;
	struct review_sheet sh;
	if (review_sheet_get(db, a, &cur, crit, ncrit, proposal_id, reviewer_id, &sh) != RC_OK ||
	    write_scores(db, sh.id, crit, in) != DB_OK)
		goto fail;
	if (sheet_id)
		*sheet_id = sh.id;
	return review_audit_commit(db, reviewer_id, in->submit ? "score_submit" : "score_draft",
				   "score_sheet", sh.id,
				   msgf(a, "review.audit.score", cur.name, e->receipt_no,
					scores_text(a, crit, ncrit, in->scores, in->has)));
fail:
	db_rollback(db);
	return rc;
}

enum rc review_sheet_correct(struct db *db, struct arena *a, const struct review_stage *s,
			     const struct review_criterion *crit, size_t ncrit, int64_t sheet_id,
			     const struct review_input *in, const char *reason, int64_t admin_id,
			     int64_t now, struct review_why *why)
{
	if (!reason || !*reason)
		return review_refuse(why, RC_INVALID, "review.why.correction_reason", NULL, NULL,
				     NULL);
	enum rc rc = check_input(a, s, crit, ncrit, in, true, why);
	if (rc != RC_OK)
		return rc;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage cur;
	struct review_sheet old;
	rc = review_stage_get(db, a, s->id, &cur);
	if (rc != RC_OK)
		goto fail;
	enum review_phase ph = review_stage_phase(&cur, now);
	if (ph != REVIEW_PHASE_ENDED && ph != REVIEW_PHASE_CLOSED) {
		rc = review_refuse(why, RC_STATE, "review.why.correction_in_window", NULL, NULL,
				   NULL);
		goto fail;
	}
	rc = review_sheet_by_id(db, a, sheet_id, crit, ncrit, &old);
	if (rc != RC_OK)
		goto fail;
	rc = RC_NOT_FOUND;
	if (old.stage_id != cur.id)
		goto fail;
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEET_UPDATE);
	db_bind_int(st, 1, sheet_id);
	db_bind_str(st, 2, in->comment ? in->comment : "");
	db_bind_int(st, 3, now);
	if (db_exec(st) != DB_OK || write_scores(db, sheet_id, crit, in) != DB_OK)
		goto fail;
	return review_audit_commit(db, admin_id, "score_correct", "score_sheet", sheet_id,
				   msgf(a, "review.audit.correct", cur.name,
					review_num(a, old.proposal_id), old.reviewer_name,
					scores_text(a, crit, ncrit, old.scores, old.has_score),
					scores_text(a, crit, ncrit, in->scores, in->has), reason));
fail:
	db_rollback(db);
	return rc;
}

enum rc review_declare_conflict(struct db *db, struct arena *a, const struct review_stage *s,
				int64_t proposal_id, int64_t reviewer_id, const char *reason,
				int64_t now, struct review_why *why)
{
	if (!reason || !*reason)
		return review_refuse(why, RC_INVALID, "review.why.conflict_reason", NULL, NULL,
				     NULL);
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage cur;
	const struct review_entrant *e = NULL;
	enum rc rc = review_stage_get(db, a, s->id, &cur);
	if (rc != RC_OK)
		goto fail;
	rc = may_score(db, a, &cur, proposal_id, reviewer_id, now, false, &e, why);
	if (rc == RC_FORBIDDEN && e && review_is_assigned(db, &cur, reviewer_id, e->category_id))
		rc = RC_OK; /* already recused: declaring again changes nothing */
	if (rc != RC_OK)
		goto fail;
	enum review_phase ph = review_stage_phase(&cur, now);
	if (ph == REVIEW_PHASE_ENDED || ph == REVIEW_PHASE_CLOSED) {
		rc = review_refuse(why, RC_CLOSED, "review.why.window_over", NULL, NULL, NULL);
		goto fail;
	}
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_RECUSAL_INSERT);
	db_bind_int(st, 1, cur.id);
	db_bind_int(st, 2, proposal_id);
	db_bind_int(st, 3, reviewer_id);
	db_bind_str(st, 4, reason);
	db_bind_int(st, 5, now);
	if (db_exec(st) != DB_OK)
		goto fail;
	return review_audit_commit(db, reviewer_id, "conflict", "proposal", proposal_id,
				   msgf(a, "review.audit.conflict", cur.name, reason));
fail:
	db_rollback(db);
	return rc;
}
