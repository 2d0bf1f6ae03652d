/*
 * review: the office's side of a stage once sheets come in — completion
 * (the dashboard), closing, the ranking per category, decisions, the
 * presentation schedule — and the contract with adoption (see review.h).
 */
#include "challenge/call.h"
#include "challenge/review_internal.h"
#include "notifications/outbox.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/str.h"

#include <limits.h>
#include <string.h>

/* ---- completion ---- */

/* Count sheet sh (NULL when there is none) into the reviewer's and the
 * proposal's progress and the stage's totals. */
static void count_sheet(struct review_reviewer_progress *rp, struct review_proposal_progress *pp,
			struct review_dashboard *d, const struct review_sheet_row *sh)
{
	rp->expected++;
	pp->expected++;
	d->expected++;
	if (sh && sh->submitted) {
		rp->submitted++;
		pp->submitted++;
		d->submitted++;
	} else if (sh) {
		rp->drafts++;
		pp->drafts++;
	}
}

enum rc review_dashboard(struct db *db, struct arena *a, const struct review_stage *s, int64_t now,
			 struct review_dashboard *d)
{
	memset(d, 0, sizeof(*d));
	struct review_entrant *es;
	size_t ne, nrec, nsheets;
	struct review_recusal_row *rec;
	struct review_sheet_row *sheets;
	struct review_assignment as;
	if (review_sync_recusals(db, s, now) != RC_OK ||
	    review_entrants(db, a, s, &es, &ne) != RC_OK ||
	    review_assignment_load(db, a, s, &as) != RC_OK ||
	    review_load_recusals(db, a, s->id, &rec, &nrec) != RC_OK ||
	    review_load_sheet_rows(db, a, s->id, &sheets, &nsheets) != RC_OK)
		return RC_ERROR;
	d->proposals = arena_alloc(a, xmul(ne + 1, sizeof(*d->proposals)));
	d->nproposals = ne;
	for (size_t j = 0; j < ne; j++)
		d->proposals[j].e = es[j];
	d->reviewers = arena_alloc(a, xmul(as.nreviewers + 1, sizeof(*d->reviewers)));
	for (size_t i = 0; i < as.nreviewers; i++) {
		if (!review_assigned_any(&as, i))
			continue;
		struct review_reviewer_progress *rp = &d->reviewers[d->nreviewers++];
		rp->user_id = as.reviewers[i].id;
		rp->name = as.reviewers[i].name;
		for (size_t j = 0; j < ne; j++) {
			struct review_proposal_progress *pp = &d->proposals[j];
			if (!review_assigned_to(&as, i, es[j].category_id))
				continue;
			pp->assigned++;
			if (review_recused_in(rec, nrec, es[j].proposal_id, rp->user_id)) {
				rp->recused++;
				pp->recused++;
				continue;
			}
			count_sheet(
			    rp, pp, d,
			    review_sheet_in(sheets, nsheets, es[j].proposal_id, rp->user_id));
		}
	}
	return RC_OK;
}

enum rc review_stage_close(struct db *db, struct arena *a, int64_t stage_id, int64_t user_id,
			   int64_t now, struct review_why *why)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage s;
	enum rc rc = review_stage_get(db, a, stage_id, &s);
	if (rc != RC_OK)
		goto fail;
	if (s.closed_at) {
		rc = review_refuse(why, RC_STATE, "review.why.already_closed", NULL, NULL, NULL);
		goto fail;
	}
	rc = RC_ERROR;
	/* The last automatic recusals before the stage is frozen. */
	if (review_sync_recusals(db, &s, now) != RC_OK)
		goto fail;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_CLOSE);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, now);
	if (db_exec(st) != DB_OK || db_changes(db) != 1)
		goto fail;
	return review_audit_commit(db, user_id, "close", "review_stage", stage_id,
				   msgf(a, "review.audit.close", s.name, s.call_title));
fail:
	db_rollback(db);
	return rc;
}

/* ---- the ranking ---- */

/* A submitted sheet's scores, in criteria order, while building a ranking. */
struct scored_sheet {
	int64_t proposal_id, user_id;
	int *scores;
	size_t have; /* criteria with a score */
};

/* Every submitted sheet of stage s with its scores (rows come by proposal,
 * reviewer). */
static enum rc scored_sheets(struct db *db, struct arena *a, const struct review_stage *s,
			     const struct review_criterion *crit, size_t ncrit,
			     struct scored_sheet **out, size_t *n)
{
	struct scored_sheet *sheets = NULL;
	size_t nsh = 0, cap = 0;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SCORES_STAGE);
	db_bind_int(st, 1, s->id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t pid = db_int(st, 0), uid = db_int(st, 1), cid = db_int(st, 2);
		if (!nsh || sheets[nsh - 1].proposal_id != pid || sheets[nsh - 1].user_id != uid) {
			sheets = arena_grow(a, sheets, nsh, &cap, sizeof(*sheets));
			sheets[nsh].proposal_id = pid;
			sheets[nsh].user_id = uid;
			sheets[nsh].scores = arena_alloc(a, xmul(ncrit + 1, sizeof(int)));
			sheets[nsh].have = 0;
			nsh++;
		}
		for (size_t i = 0; i < ncrit; i++)
			if (crit[i].id == cid) {
				int64_t v = db_int(st, 3);
				sheets[nsh - 1].scores[i] =
				    v < INT_MIN || v > INT_MAX ? -1 : (int)v;
				sheets[nsh - 1].have++;
			}
	}
	*out = sheets;
	*n = nsh;
	return rc == DB_DONE ? RC_OK : RC_ERROR;
}

/* The categories of d's proposals, in their order, each with room for
 * every row. */
static struct review_category_ranking *
ranking_categories(struct arena *a, const struct review_dashboard *d, size_t *ncat)
{
	struct review_category_ranking *cats =
	    arena_alloc(a, xmul(d->nproposals + 1, sizeof(*cats)));
	*ncat = 0;
	for (size_t j = 0; j < d->nproposals; j++) {
		const struct review_entrant *e = &d->proposals[j].e;
		if (*ncat && cats[*ncat - 1].category_id == e->category_id)
			continue;
		cats[*ncat].category_id = e->category_id;
		cats[*ncat].name = e->category_name;
		cats[*ncat].rows =
		    arena_alloc(a, xmul(d->nproposals + 1, sizeof(struct review_ranked)));
		cats[*ncat].n = 0;
		(*ncat)++;
	}
	return cats;
}

enum rc review_ranking(struct db *db, struct arena *a, const struct review_stage *s,
		       const struct review_criterion *crit, size_t ncrit,
		       const struct review_dashboard *d, struct review_category_ranking **out,
		       size_t *n, struct review_why *why)
{
	*out = NULL;
	*n = 0;
	struct score_stage ss;
	enum rc rc = review_score_stage(a, s, crit, ncrit, &ss, why);
	if (rc != RC_OK)
		return rc;
	struct review_assignment as;
	struct review_recusal_row *rec;
	struct scored_sheet *sheets;
	size_t nrec, nsh, ncat;
	if (review_assignment_load(db, a, s, &as) != RC_OK ||
	    review_load_recusals(db, a, s->id, &rec, &nrec) != RC_OK ||
	    scored_sheets(db, a, s, crit, ncrit, &sheets, &nsh) != RC_OK)
		return RC_ERROR;
	struct review_category_ranking *cats = ranking_categories(a, d, &ncat);
	struct score_sheet *in_sheets = arena_alloc(a, xmul(as.nreviewers + 1, sizeof(*in_sheets)));
	int64_t *in_rec = arena_alloc(a, xmul(as.nreviewers + 1, sizeof(*in_rec)));
	for (size_t c = 0; c < ncat; c++) {
		struct score_rank *rows =
		    arena_alloc(a, xmul(d->nproposals + 1, sizeof(struct score_rank)));
		size_t nrows = 0;
		for (size_t j = 0; j < d->nproposals; j++) {
			const struct review_entrant *e = &d->proposals[j].e;
			if (e->category_id != cats[c].category_id)
				continue;
			struct score_input in = {in_sheets, 0, in_rec, 0};
			for (size_t i = 0; i < as.nreviewers; i++) {
				int64_t uid = as.reviewers[i].id;
				if (!review_assigned_to(&as, i, e->category_id))
					continue;
				if (review_recused_in(rec, nrec, e->proposal_id, uid)) {
					in_rec[in.n_recused++] = uid;
					continue;
				}
				for (size_t k = 0; k < nsh; k++)
					if (sheets[k].proposal_id == e->proposal_id &&
					    sheets[k].user_id == uid && sheets[k].have == ncrit) {
						in_sheets[in.n_sheets].reviewer_id = uid;
						in_sheets[in.n_sheets].scores = sheets[k].scores;
						in.n_sheets++;
					}
			}
			struct score_rank *r = &rows[nrows++];
			memset(r, 0, sizeof(*r));
			r->proposal_id = e->proposal_id;
			const char *key = NULL;
			if (score_compute(&ss, &in, &r->result, &key) != 0)
				return review_refuse(why, RC_INVALID, key, NULL, NULL, NULL);
		}
		score_rank(rows, nrows, SCORE_DISAGREE_STDEV);
		for (size_t k = 0; k < nrows; k++) {
			struct review_ranked *x = &cats[c].rows[cats[c].n++];
			x->r = rows[k];
			for (size_t j = 0; j < d->nproposals; j++)
				if (d->proposals[j].e.proposal_id == rows[k].proposal_id)
					x->p = &d->proposals[j];
			x->passes = rows[k].result.scored &&
				    rows[k].result.total >= (double)s->pass_threshold;
		}
	}
	*out = cats;
	*n = ncat;
	return RC_OK;
}

/* ---- decisions ---- */

enum rc review_decide(struct db *db, struct arena *a, const struct review_stage *s,
		      int64_t proposal_id, const char *decision, const char *reason,
		      int64_t user_id, int64_t now, struct review_why *why)
{
	if (!review_is_key(review_decision_keys, decision))
		return review_refuse(why, RC_INVALID, "review.why.choose_decision", NULL, NULL,
				     NULL);
	if (!reason)
		reason = "";
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage cur;
	struct review_dashboard d;
	enum rc rc = review_stage_get(db, a, s->id, &cur);
	if (rc != RC_OK)
		goto fail;
	if (!cur.closed_at) {
		rc = review_refuse(why, RC_STATE, "review.why.close_first", NULL, NULL, NULL);
		goto fail;
	}
	rc = review_dashboard(db, a, &cur, now, &d);
	if (rc != RC_OK)
		goto fail;
	const struct review_proposal_progress *p = NULL;
	for (size_t j = 0; j < d.nproposals; j++)
		if (d.proposals[j].e.proposal_id == proposal_id)
			p = &d.proposals[j];
	if (!p) {
		rc = review_refuse(why, RC_NOT_FOUND, "review.why.not_in_stage", NULL, NULL, NULL);
		goto fail;
	}
	if (p->submitted < p->expected && !*reason) {
		rc = review_refuse(why, RC_INVALID, "review.why.decision_reason", NULL, NULL, NULL);
		goto fail;
	}
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_DECISION_SET);
	db_bind_int(st, 1, cur.id);
	db_bind_int(st, 2, proposal_id);
	db_bind_str(st, 3, decision);
	db_bind_str(st, 4, reason);
	db_bind_int(st, 5, user_id);
	db_bind_int(st, 6, now);
	if (db_exec(st) != DB_OK)
		goto fail;
	return review_audit_commit(
	    db, user_id, "decide", "proposal", proposal_id,
	    msgf(a, *reason ? "review.audit.decide_reason" : "review.audit.decide", cur.name,
		 p->e.receipt_no,
		 review_label_text(review_decision_keys, review_decision_labels, decision),
		 review_num(a, (int64_t)p->submitted), review_num(a, (int64_t)p->expected),
		 reason));
fail:
	db_rollback(db);
	return rc;
}

/* ---- presentations ---- */

static void read_presentation(struct db_stmt *st, struct arena *a, void *out)
{
	struct review_presentation *p = out;
	p->id = db_int(st, 0);
	p->stage_id = db_int(st, 1);
	p->proposal_id = db_int(st, 2);
	p->position = db_int(st, 3);
	p->starts_at = db_int(st, 4);
	p->duration_min = db_int(st, 5);
	p->venue = review_col(a, st, 6);
	p->video_url = review_col(a, st, 7);
	p->title = review_col(a, st, 8);
	p->group_name = review_col(a, st, 9);
	p->category_name = review_col(a, st, 10);
	p->receipt_no = review_col(a, st, 11);
	p->group_id = db_int(st, 12);
}

enum rc review_presentations(struct db *db, struct arena *a, int64_t stage_id,
			     struct review_presentation **out, size_t *n)
{
	enum rc rc;
	*out = review_list(db, STMT_REVIEW_PRESENTATIONS, stage_id, a, sizeof(**out),
			   read_presentation, n, &rc);
	return rc;
}

const struct field_spec review_presentation_fields[RPF__MAX] = {
    [RPF_POSITION] = {"position", "review.field.position", F_INT, true, 5, 1, 999, NULL},
    [RPF_STARTS_AT] = {"starts_at", "review.field.starts_at", F_DATETIME, true, 20, 0, 0, NULL},
    [RPF_DURATION] = {"duration_min", "review.field.duration", F_INT, true, 5, 1, 600, NULL},
    [RPF_VENUE] = {"venue", "review.field.venue", F_LINE, false, 100, 0, 0, NULL},
    [RPF_VIDEO_URL] = {"video_url", "review.field.video_url", F_URL, false, 500, 0, 0, NULL},
};

static void read_member(struct db_stmt *st, struct arena *a, void *out)
{
	(void)a;
	*(int64_t *)out = db_int(st, 0);
}

/* Notify every member of group_id (after the statement has finished). */
static int notify_members(struct db *db, struct arena *a, int64_t group_id, const char *kind,
			  const char *subject, const char *body, const char *link)
{
	size_t n;
	enum rc rc;
	int64_t *ids =
	    review_list(db, STMT_GROUP_MEMBERS, group_id, a, sizeof(*ids), read_member, &n, &rc);
	if (rc != RC_OK)
		return DB_ERROR;
	for (size_t i = 0; i < n; i++)
		if (notify(db, ids[i], kind, subject, body, link) != DB_OK)
			return DB_ERROR;
	return DB_OK;
}

/* 令和7年7月12日(土) 13:00 */
static const char *jst_text(struct arena *a, int64_t t)
{
	struct buf b = BUF_INIT;
	call_format_jst(&b, t);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

/* Tell the lead group's members about p's slot in stage cur (entrant e). */
static int notify_slot(struct db *db, struct arena *a, const struct review_stage *cur,
		       const struct review_entrant *e, const struct review_presentation *p,
		       const char *where)
{
	const char *body = msgf(a, "review.notify.presentation_body", e->title, e->receipt_no,
				cur->name, review_num(a, p->position), jst_text(a, p->starts_at),
				review_num(a, p->duration_min), where);
	return notify_members(
	    db, a, e->group_id, "presentation",
	    msgf(a, "review.notify.presentation_subject", cur->name, e->receipt_no), body,
	    arena_printf(a, "/challenge/calls/%lld/presentations", (long long)cur->call_id));
}

enum rc review_presentation_save(struct db *db, struct arena *a, const struct review_stage *s,
				 const struct review_presentation *p, int64_t user_id,
				 struct review_why *why)
{
	if ((!p->venue || !*p->venue) && (!p->video_url || !*p->video_url))
		return review_refuse(why, RC_INVALID, "review.why.venue_or_video", NULL, NULL,
				     NULL);
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage cur;
	struct review_entrant *es;
	size_t ne;
	enum rc rc = review_stage_get(db, a, s->id, &cur);
	if (rc != RC_OK)
		goto fail;
	if (strcmp(cur.kind, "presentation") != 0) {
		rc = review_refuse(why, RC_STATE, "review.why.not_presentation", NULL, NULL, NULL);
		goto fail;
	}
	rc = RC_ERROR;
	if (review_entrants(db, a, &cur, &es, &ne) != RC_OK)
		goto fail;
	const struct review_entrant *e = review_find_entrant(es, ne, p->proposal_id);
	if (!e) {
		rc = review_refuse(why, RC_NOT_FOUND, "review.why.not_in_stage", NULL, NULL, NULL);
		goto fail;
	}
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_PRESENTATION_SET);
	db_bind_int(st, 1, cur.id);
	db_bind_int(st, 2, p->proposal_id);
	db_bind_int(st, 3, p->position);
	db_bind_int(st, 4, p->starts_at);
	db_bind_int(st, 5, p->duration_min);
	db_bind_str(st, 6, p->venue ? p->venue : "");
	db_bind_str(st, 7, p->video_url ? p->video_url : "");
	if (db_exec(st) != DB_OK)
		goto fail;
	const char *where = p->venue && *p->venue ? msgf(a, "review.notify.venue", p->venue)
						  : msgf(a, "review.notify.video", p->video_url);
	if (notify_slot(db, a, &cur, e, p, where) != DB_OK)
		goto fail;
	return review_audit_commit(db, user_id, "presentation", "review_stage", cur.id,
				   msgf(a, "review.audit.presentation", cur.name, e->receipt_no,
					review_num(a, p->position), jst_text(a, p->starts_at),
					review_num(a, p->duration_min), where));
fail:
	db_rollback(db);
	return rc;
}

/*
 * Run statement id with ?1 stage_id and ?2 value, expecting one changed
 * row (RC_NOT_FOUND otherwise), and audit it in the same transaction.
 */
static enum rc stage_row_write(struct db *db, enum stmt id, int64_t stage_id, int64_t value,
			       int64_t user_id, const char *action, const char *summary)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	enum rc rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, value);
	if (db_exec(st) != DB_OK)
		goto fail;
	rc = RC_NOT_FOUND;
	if (db_changes(db) != 1)
		goto fail;
	return review_audit_commit(db, user_id, action, "review_stage", stage_id, summary);
fail:
	db_rollback(db);
	return rc;
}

enum rc review_presentation_delete(struct db *db, struct arena *a, int64_t stage_id,
				   int64_t proposal_id, int64_t user_id, struct review_why *why)
{
	enum rc rc = stage_row_write(
	    db, STMT_REVIEW_PRESENTATION_DELETE, stage_id, proposal_id, user_id,
	    "presentation_delete",
	    msgf(a, "review.audit.presentation_delete", review_num(a, proposal_id)));
	if (rc == RC_NOT_FOUND)
		return review_refuse(why, rc, "review.why.presentation_not_found", NULL, NULL,
				     NULL);
	return rc;
}

enum rc review_set_public(struct db *db, int64_t stage_id, bool on, int64_t user_id)
{
	return stage_row_write(db, STMT_REVIEW_STAGE_PUBLIC, stage_id, on, user_id,
			       on ? "publish" : "unpublish",
			       msg(on ? "review.audit.publish" : "review.audit.unpublish"));
}

bool review_is_applicant(struct db *db, int64_t proposal_id, int64_t user_id)
{
	return review_exists(db, STMT_REVIEW_IS_APPLICANT, proposal_id, user_id);
}

/* ---- the contract with adoption ---- */

/* A stage of a proposal's call with the proposal's decision in it. */
struct stage_decision {
	const char *name, *decision;
	int64_t closed_at;
};

static void read_stage_decision(struct db_stmt *st, struct arena *a, void *out)
{
	struct stage_decision *r = out;
	r->name = review_col(a, st, 1);
	r->closed_at = db_int(st, 2);
	r->decision = review_col(a, st, 3);
}

bool review_adoptable(struct db *db, struct arena *a, int64_t proposal_id, struct review_why *why)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_STATE);
	db_bind_int(st, 1, proposal_id);
	if (db_step(st) != DB_ROW) {
		review_refuse(why, RC_NOT_FOUND, "review.why.proposal_not_found", NULL, NULL, NULL);
		return false;
	}
	const char *status = db_text(st, 0);
	bool submitted = !db_isnull(st, 2) && status && strcmp(status, "draft") != 0 &&
			 strcmp(status, "withdrawn") != 0;
	db_reset(st);
	const char *key = NULL, *name = NULL;
	size_t n = 0;
	enum rc rc = RC_OK;
	struct stage_decision *rows = NULL;
	if (submitted)
		rows = review_list(db, STMT_REVIEW_DECISIONS_OF_PROPOSAL, proposal_id, a,
				   sizeof(*rows), read_stage_decision, &n, &rc);
	if (!submitted)
		key = "review.why.not_submitted";
	else if (rc != RC_OK)
		key = "review.why.status_unreadable";
	else if (!n)
		key = "review.why.no_stages";
	for (size_t i = 0; !key && i + 1 < n; i++)
		if (strcmp(rows[i].decision, "pass") != 0) {
			key = "review.why.not_passed";
			name = rows[i].name;
		}
	if (!key && !rows[n - 1].closed_at) {
		key = "review.why.not_closed";
		name = rows[n - 1].name;
	}
	if (key)
		review_refuse(why, RC_STATE, key, name, NULL, NULL);
	return !key;
}

bool review_may_adopt(struct db *db, struct arena *a, int64_t proposal_id, const char **why)
{
	struct review_why w = {NULL, {NULL}};
	bool ok = review_adoptable(db, a, proposal_id, &w);
	if (!ok)
		*why = review_why_text(a, &w);
	return ok;
}
