/*
 * review: the screening workflow (see review.h).  This part holds the
 * labels, the pure rules, the helpers the other parts share
 * (review_internal.h), loading stages and the office's set-up: stages,
 * settings, the scoring window, criteria and the reviewers' assignment.
 * Score sheets and recusals are in review_sheet.c; the dashboard, closing,
 * ranking, decisions and presentations in review_decide.c.  The SQL is in
 * challenge.stmts (STMT_REVIEW_*), the arithmetic of aggregation in
 * score.c, the pages in screening_*.c.
 *
 * Every write runs in one BEGIN IMMEDIATE transaction that re-reads the
 * stage first, so that a check ("no score sheet yet", "the window is
 * open", "the stage is closed") and the write it guards see the same
 * state, and so that the audit entry lands with the change or not at all.
 */
#include "challenge/call.h"
#include "challenge/review_internal.h"
#include "core/audit.h"
#include "core/role.h"
#include "util/alloc.h"
#include "util/msg.h"

#include <limits.h>
#include <string.h>

const char *const review_kind_keys[] = {"document", "presentation", NULL};
const char *const review_kind_labels[] = {"review.kind.document", "review.kind.presentation", NULL};
const char *const review_entry_keys[] = {"all_submitted", "passed_previous", NULL};
const char *const review_entry_labels[] = {"review.entry.all_submitted",
					   "review.entry.passed_previous", NULL};
const char *const review_aggregation_keys[] = {"mean", "sum", NULL};
const char *const review_aggregation_labels[] = {"review.aggregation.mean",
						 "review.aggregation.sum", NULL};
const char *const review_fill_keys[] = {"exclude", "mean", NULL};
const char *const review_fill_labels[] = {"review.fill.exclude", "review.fill.mean", NULL};
const char *const review_assignment_keys[] = {"all", "chosen", NULL};
const char *const review_assignment_labels[] = {"review.assignment.all", "review.assignment.chosen",
						NULL};
const char *const review_decision_keys[] = {"pass", "fail", "retry", NULL};
const char *const review_decision_labels[] = {"review.decision.pass", "review.decision.fail",
					      "review.decision.retry", NULL};

const char *review_label(const char *const *keys, const char *const *labels, const char *key)
{
	for (size_t i = 0; key && keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return labels[i];
	return NULL;
}

const char *review_label_text(const char *const *keys, const char *const *labels, const char *key)
{
	const char *k = review_label(keys, labels, key);
	return k ? msg(k) : key ? key : "";
}

const char *review_rc_key(enum rc rc)
{
	static const char *const keys[RC__MAX] = {
	    [RC_NOT_FOUND] = "review.rc.not_found", [RC_INVALID] = "review.rc.invalid",
	    [RC_FORBIDDEN] = "review.rc.forbidden", [RC_CLOSED] = "review.rc.closed",
	    [RC_STATE] = "review.rc.state",	    [RC_ERROR] = "review.rc.error",
	};
	return (unsigned)rc < RC__MAX && keys[rc] ? keys[rc] : rc_key(rc);
}

enum rc review_refuse(struct review_why *w, enum rc rc, const char *key, const char *a1,
		      const char *a2, const char *a3)
{
	if (w)
		*w = (struct review_why){key, {a1, a1 ? a2 : NULL, a1 && a2 ? a3 : NULL, NULL}};
	return rc;
}

const char *review_why_text(struct arena *a, const struct review_why *w)
{
	return w && w->key ? msg_format(a, w->key, w->args) : NULL;
}

const char *review_num(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

/* ---- pure rules ---- */

enum review_phase review_stage_phase(const struct review_stage *s, int64_t now)
{
	if (s->closed_at)
		return REVIEW_PHASE_CLOSED;
	if (now < s->opens_at)
		return REVIEW_PHASE_BEFORE;
	if (now > s->closes_at)
		return REVIEW_PHASE_ENDED;
	return REVIEW_PHASE_OPEN;
}

const char *review_phase_key(enum review_phase ph)
{
	switch (ph) {
	case REVIEW_PHASE_BEFORE:
		return "review.phase.before";
	case REVIEW_PHASE_OPEN:
		return "review.phase.open";
	case REVIEW_PHASE_ENDED:
		return "review.phase.ended";
	case REVIEW_PHASE_CLOSED:
	default:
		return "review.phase.closed";
	}
}

bool review_enters(const char *entry, bool has_previous, bool submitted, const char *prev_decision)
{
	if (!submitted)
		return false;
	if (!has_previous || !entry || strcmp(entry, "passed_previous") != 0)
		return true;
	return prev_decision && strcmp(prev_decision, "pass") == 0;
}

/* An int for score.h; out-of-range values become -1, which every check
 * there refuses. */
static int to_int(int64_t v)
{
	return v < 0 || v > INT_MAX ? -1 : (int)v;
}

enum rc review_score_stage(struct arena *a, const struct review_stage *s,
			   const struct review_criterion *c, size_t n, struct score_stage *out,
			   struct review_why *why)
{
	struct score_criterion *sc = arena_alloc(a, xmul(n + 1, sizeof(*sc)));
	for (size_t i = 0; i < n; i++) {
		sc[i].max_score = to_int(c[i].max_score);
		sc[i].weight = to_int(c[i].weight);
	}
	out->criteria = sc;
	out->n_criteria = n;
	out->scale_min = to_int(s->scale_min);
	out->scale_max = to_int(s->scale_max);
	out->rule = strcmp(s->aggregation, "sum") == 0 ? SCORE_RULE_SUM : SCORE_RULE_MEAN;
	out->fill = strcmp(s->recusal_fill, "mean") == 0 ? SCORE_FILL_MEAN : SCORE_FILL_EXCLUDE;
	const char *key = NULL;
	if (score_stage_check(out, &key) != 0)
		return review_refuse(why, RC_INVALID, key, NULL, NULL, NULL);
	return RC_OK;
}

/* ---- helpers shared by the parts (review_internal.h) ---- */

void *review_rows(struct db_stmt *st, struct arena *a, size_t size, db_read_fn read, size_t *n,
		  enum rc *rc)
{
	unsigned char *items = NULL;
	size_t cap = 0;
	int step;
	*n = 0;
	while ((step = db_step(st)) == DB_ROW) {
		items = arena_grow(a, items, *n, &cap, size);
		read(st, a, items + *n * size);
		(*n)++;
	}
	*rc = step == DB_DONE ? RC_OK : RC_ERROR;
	return items;
}

void *review_list(struct db *db, enum stmt id, int64_t key, struct arena *a, size_t size,
		  db_read_fn read, size_t *n, enum rc *rc)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, key);
	return review_rows(st, a, size, read, n, rc);
}

enum rc review_first(struct db_stmt *st, struct arena *a, db_read_fn read, void *out)
{
	int step = db_step(st);
	if (step == DB_DONE)
		return RC_NOT_FOUND;
	if (step != DB_ROW)
		return RC_ERROR;
	read(st, a, out);
	db_reset(st);
	return RC_OK;
}

enum rc review_audit_commit(struct db *db, int64_t user_id, const char *action, const char *entity,
			    int64_t id, const char *summary)
{
	if (audit(db, user_id, action, entity, id, summary) == DB_OK && db_commit(db) == DB_OK)
		return RC_OK;
	db_rollback(db);
	return RC_ERROR;
}

int review_exec_stage(struct db *db, enum stmt id, int64_t stage_id)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, stage_id);
	return db_exec(st);
}

const struct review_entrant *review_find_entrant(const struct review_entrant *es, size_t n,
						 int64_t proposal_id)
{
	for (size_t i = 0; i < n; i++)
		if (es[i].proposal_id == proposal_id)
			return &es[i];
	return NULL;
}

/* ---- loading stages ---- */

static void read_stage(struct db_stmt *st, struct arena *a, void *out)
{
	struct review_stage *s = out;
	memset(s, 0, sizeof(*s));
	s->id = db_int(st, 0);
	s->call_id = db_int(st, 1);
	s->position = db_int(st, 2);
	s->name = review_col(a, st, 3);
	s->kind = review_col(a, st, 4);
	s->entry = review_col(a, st, 5);
	s->scale_min = db_int(st, 6);
	s->scale_max = db_int(st, 7);
	s->aggregation = review_col(a, st, 8);
	s->recusal_fill = review_col(a, st, 9);
	s->pass_threshold = db_int(st, 10);
	s->assignment = review_col(a, st, 11);
	s->opens_at = db_int(st, 12);
	s->closes_at = db_int(st, 13);
	s->closed_at = db_int(st, 14);
	s->presentations_public = db_int(st, 15) != 0;
	s->nsheets = db_int(st, 16);
	s->call_title = review_col(a, st, 17);
	s->fiscal_year = db_int(st, 18);
}

enum rc review_stages(struct db *db, struct arena *a, int64_t call_id, struct review_stage **out,
		      size_t *n)
{
	enum rc rc;
	*out =
	    review_list(db, STMT_REVIEW_STAGE_LIST, call_id, a, sizeof(**out), read_stage, n, &rc);
	return rc;
}

enum rc review_stages_unclosed(struct db *db, struct arena *a, struct review_stage **out, size_t *n)
{
	enum rc rc;
	*out = review_rows(db_stmt(db, STMT_REVIEW_STAGE_UNCLOSED), a, sizeof(**out), read_stage, n,
			   &rc);
	return rc;
}

enum rc review_stage_get(struct db *db, struct arena *a, int64_t id, struct review_stage *s)
{
	return db_get(db, STMT_REVIEW_STAGE_GET, id, read_stage, a, s);
}

static void read_criterion(struct db_stmt *st, struct arena *a, void *out)
{
	struct review_criterion *c = out;
	c->id = db_int(st, 0);
	c->stage_id = db_int(st, 1);
	c->position = db_int(st, 2);
	c->name = review_col(a, st, 3);
	c->description = review_col(a, st, 4);
	c->max_score = db_int(st, 5);
	c->weight = db_int(st, 6);
}

enum rc review_criteria(struct db *db, struct arena *a, int64_t stage_id,
			struct review_criterion **out, size_t *n)
{
	enum rc rc;
	*out = review_list(db, STMT_REVIEW_CRITERIA, stage_id, a, sizeof(**out), read_criterion, n,
			   &rc);
	return rc;
}

/*
 * The stage stage_id, re-read inside a write's transaction, with its
 * criteria when crit is not NULL.  RC_STATE (review.why.locked) when
 * unlocked is asked for and scoring has started.
 */
static enum rc stage_for_write(struct db *db, struct arena *a, int64_t stage_id, bool unlocked,
			       struct review_stage *s, struct review_criterion **crit, size_t *n,
			       struct review_why *why)
{
	enum rc rc = review_stage_get(db, a, stage_id, s);
	if (rc != RC_OK)
		return rc;
	if (unlocked && s->nsheets)
		return review_refuse(why, RC_STATE, "review.why.locked", NULL, NULL, NULL);
	return crit ? review_criteria(db, a, s->id, crit, n) : RC_OK;
}

/* ---- set-up ---- */

/* The default criteria: review.default.<name> and <name>_desc. */
static const char *const default_criteria[] = {
    "benefit", "collaboration", "feasibility", "originality", "growth", "value",
};

static enum rc insert_stage(struct db *db, struct arena *a, int64_t call_id, int64_t position,
			    const char *name, const char *kind, const char *entry, int64_t opens,
			    int64_t closes, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_INSERT);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, position);
	db_bind_str(st, 3, name);
	db_bind_str(st, 4, kind);
	db_bind_str(st, 5, entry);
	db_bind_int(st, 6, opens);
	db_bind_int(st, 7, closes);
	if (db_exec(st) != DB_OK)
		return RC_ERROR;
	*id = db_last_id(db);
	for (size_t i = 0; i < sizeof(default_criteria) / sizeof(default_criteria[0]); i++) {
		const char *key = arena_printf(a, "review.default.%s", default_criteria[i]);
		st = db_stmt(db, STMT_REVIEW_CRITERION_INSERT);
		db_bind_int(st, 1, *id);
		db_bind_str(st, 2, msg(key));
		db_bind_str(st, 3, msg(arena_printf(a, "%s_desc", key)));
		db_bind_int(st, 4, 5);
		db_bind_int(st, 5, 1);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
	}
	return RC_OK;
}

/* The window of the first milestone of kind k, if the call has one. */
static bool milestone_window(const struct call_view *v, enum milestone_kind k, int64_t *opens,
			     int64_t *closes)
{
	for (size_t i = 0; i < v->nmilestones; i++) {
		const struct milestone *m = &v->milestones[i];
		if (m->kind != k)
			continue;
		*opens = m->starts_at;
		*closes = m->ends_at > m->starts_at ? m->ends_at : m->starts_at + 7 * DAY;
		return true;
	}
	return false;
}

/* The number of stages of call_id and the last position; false on error. */
static bool stage_count(struct db *db, int64_t call_id, int64_t *count, int64_t *last)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_COUNT);
	db_bind_int(st, 1, call_id);
	if (db_step(st) != DB_ROW)
		return false;
	*count = db_int(st, 0);
	*last = db_int(st, 1);
	db_reset(st);
	return true;
}

enum rc review_setup_defaults(struct db *db, struct arena *a, int64_t call_id, int64_t user_id,
			      int64_t now, struct review_why *why)
{
	struct call_view v;
	enum rc rc = call_load(db, a, call_id, &v);
	if (rc == RC_NOT_FOUND)
		return review_refuse(why, rc, "review.why.call_not_found", NULL, NULL, NULL);
	if (rc != RC_OK)
		return RC_ERROR;
	int64_t o1 = now, c1 = now + 14 * DAY, o2, c2;
	milestone_window(&v, MS_REVIEW1, &o1, &c1);
	if (!milestone_window(&v, MS_REVIEW2, &o2, &c2)) {
		o2 = c1;
		c2 = c1 + 14 * DAY;
	}
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	int64_t existing, last, id1, id2;
	rc = RC_ERROR;
	if (!stage_count(db, call_id, &existing, &last))
		goto fail;
	if (existing) {
		rc = review_refuse(why, RC_STATE, "review.why.has_stages", NULL, NULL, NULL);
		goto fail;
	}
	if (insert_stage(db, a, call_id, 1, msg("review.default.stage1"), "document",
			 "all_submitted", o1, c1, &id1) != RC_OK ||
	    insert_stage(db, a, call_id, 2, msg("review.default.stage2"), "presentation",
			 "passed_previous", o2, c2, &id2) != RC_OK)
		goto fail;
	return review_audit_commit(db, user_id, "setup", "review_stage", id1,
				   msgf(a, "review.audit.setup", review_num(a, call_id)));
fail:
	db_rollback(db);
	return rc;
}

enum rc review_stage_add(struct db *db, struct arena *a, int64_t call_id, int64_t user_id,
			 int64_t now, int64_t *id, struct review_why *why)
{
	struct call c;
	enum rc rc = call_get(db, a, call_id, &c);
	if (rc == RC_NOT_FOUND)
		return review_refuse(why, rc, "review.why.call_not_found", NULL, NULL, NULL);
	if (rc != RC_OK)
		return RC_ERROR;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	int64_t count, last;
	rc = RC_ERROR;
	if (!stage_count(db, call_id, &count, &last))
		goto fail;
	if (count >= REVIEW_MAX_STAGES) {
		rc = review_refuse(why, RC_INVALID, "review.why.too_many_stages",
				   review_num(a, REVIEW_MAX_STAGES), NULL, NULL);
		goto fail;
	}
	const char *name = msgf(a, "review.default.stage_n", review_num(a, count + 1));
	if (insert_stage(db, a, call_id, last + 1, name, "document",
			 count ? "passed_previous" : "all_submitted", now, now + 14 * DAY,
			 id) != RC_OK)
		goto fail;
	return review_audit_commit(db, user_id, "create", "review_stage", *id,
				   msgf(a, "review.audit.stage_add", review_num(a, call_id), name));
fail:
	db_rollback(db);
	return rc;
}

enum rc review_stage_remove(struct db *db, struct arena *a, int64_t stage_id, int64_t user_id,
			    struct review_why *why)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage s;
	enum rc rc = stage_for_write(db, a, stage_id, false, &s, NULL, NULL, why);
	if (rc != RC_OK)
		goto fail;
	if (s.nsheets) {
		rc = review_refuse(why, RC_STATE, "review.why.locked_delete", NULL, NULL, NULL);
		goto fail;
	}
	rc = RC_ERROR;
	static const enum stmt children[] = {
	    STMT_REVIEW_STAGE_CLEAR_CRITERIA,  STMT_REVIEW_STAGE_CLEAR_REVIEWERS,
	    STMT_REVIEW_STAGE_CLEAR_RECUSALS,  STMT_REVIEW_STAGE_CLEAR_PRESENTATIONS,
	    STMT_REVIEW_STAGE_CLEAR_DECISIONS, STMT_REVIEW_STAGE_DELETE,
	};
	for (size_t i = 0; i < sizeof(children) / sizeof(children[0]); i++)
		if (review_exec_stage(db, children[i], stage_id) != DB_OK)
			goto fail;
	return review_audit_commit(db, user_id, "delete", "review_stage", stage_id,
				   msgf(a, "review.audit.stage_delete", s.name, s.call_title));
fail:
	db_rollback(db);
	return rc;
}

/* ---- settings ---- */

const struct field_spec review_stage_fields[RSF__MAX] = {
    [RSF_NAME] = {"stage_name", "review.field.stage_name", F_LINE, true, 50, 0, 0, NULL},
    [RSF_KIND] = {"kind", "review.field.kind", F_CHOICE, true, 20, 0, 0, review_kind_keys},
    [RSF_ENTRY] = {"entry", "review.field.entry", F_CHOICE, true, 20, 0, 0, review_entry_keys},
    [RSF_SCALE_MIN] = {"scale_min", "review.field.scale_min", F_INT, true, 10, 0,
		       SCORE_MAX_SCALE - 1, NULL},
    [RSF_SCALE_MAX] = {"scale_max", "review.field.scale_max", F_INT, true, 10, 1, SCORE_MAX_SCALE,
		       NULL},
    [RSF_AGGREGATION] = {"aggregation", "review.field.aggregation", F_CHOICE, true, 10, 0, 0,
			 review_aggregation_keys},
    [RSF_RECUSAL_FILL] = {"recusal_fill", "review.field.recusal_fill", F_CHOICE, true, 10, 0, 0,
			  review_fill_keys},
    [RSF_PASS_THRESHOLD] = {"pass_threshold", "review.field.pass_threshold", F_INT, true, 10, 0,
			    100, NULL},
};

int review_stage_from_form(struct form *f, struct review_stage *s)
{
	s->name = form_s(f, RSF_NAME);
	s->kind = form_s(f, RSF_KIND);
	s->entry = form_s(f, RSF_ENTRY);
	s->scale_min = f->v[RSF_SCALE_MIN].i;
	s->scale_max = f->v[RSF_SCALE_MAX].i;
	s->aggregation = form_s(f, RSF_AGGREGATION);
	s->recusal_fill = form_s(f, RSF_RECUSAL_FILL);
	s->pass_threshold = f->v[RSF_PASS_THRESHOLD].i;
	if (!f->v[RSF_SCALE_MIN].error && !f->v[RSF_SCALE_MAX].error &&
	    s->scale_min >= s->scale_max)
		form_error(f, RSF_SCALE_MAX, "review.why.scale_order");
	return f->nerrors;
}

enum rc review_stage_update(struct db *db, struct arena *a, const struct review_stage *s,
			    int64_t user_id, struct review_why *why)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage cur;
	struct review_criterion *crit;
	size_t n;
	enum rc rc = stage_for_write(db, a, s->id, true, &cur, &crit, &n, why);
	if (rc != RC_OK)
		goto fail;
	/* The criteria must still fit the new scale. */
	struct score_stage ss;
	if (n && (rc = review_score_stage(a, s, crit, n, &ss, why)) != RC_OK)
		goto fail;
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_UPDATE);
	db_bind_int(st, 1, s->id);
	db_bind_str(st, 2, s->name);
	db_bind_str(st, 3, s->kind);
	db_bind_str(st, 4, s->entry);
	db_bind_int(st, 5, s->scale_min);
	db_bind_int(st, 6, s->scale_max);
	db_bind_str(st, 7, s->aggregation);
	db_bind_str(st, 8, s->recusal_fill);
	db_bind_int(st, 9, s->pass_threshold);
	if (db_exec(st) != DB_OK)
		goto fail;
	return review_audit_commit(
	    db, user_id, "update", "review_stage", s->id,
	    msgf(a, "review.audit.stage_update", s->name,
		 review_label_text(review_kind_keys, review_kind_labels, s->kind),
		 review_label_text(review_entry_keys, review_entry_labels, s->entry),
		 review_num(a, s->scale_min), review_num(a, s->scale_max),
		 review_label_text(review_aggregation_keys, review_aggregation_labels,
				   s->aggregation),
		 review_label_text(review_fill_keys, review_fill_labels, s->recusal_fill),
		 review_num(a, s->pass_threshold)));
fail:
	db_rollback(db);
	return rc;
}

const struct field_spec review_window_fields[RWF__MAX] = {
    [RWF_OPENS_AT] = {"opens_at", "review.field.opens_at", F_DATETIME, true, 20, 0, 0, NULL},
    [RWF_CLOSES_AT] = {"closes_at", "review.field.closes_at", F_DATETIME, true, 20, 0, 0, NULL},
};

enum rc review_stage_set_window(struct db *db, struct arena *a, int64_t stage_id, int64_t opens_at,
				int64_t closes_at, int64_t user_id, struct review_why *why)
{
	if (opens_at >= closes_at)
		return review_refuse(why, RC_INVALID, "review.why.window_order", NULL, NULL, NULL);
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage s;
	enum rc rc = stage_for_write(db, a, stage_id, false, &s, NULL, NULL, why);
	if (rc != RC_OK)
		goto fail;
	if (s.closed_at) {
		rc = review_refuse(why, RC_CLOSED, "review.why.window_closed", NULL, NULL, NULL);
		goto fail;
	}
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_WINDOW);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, opens_at);
	db_bind_int(st, 3, closes_at);
	if (db_exec(st) != DB_OK || db_changes(db) != 1)
		goto fail;
	return review_audit_commit(db, user_id, "window", "review_stage", stage_id,
				   msgf(a, "review.audit.window", s.name, review_num(a, opens_at),
					review_num(a, closes_at)));
fail:
	db_rollback(db);
	return rc;
}

/* ---- criteria ---- */

const struct field_spec review_criterion_fields[RCF__MAX] = {
    [RCF_NAME] = {"criterion_name", "review.field.criterion_name", F_LINE, true, 50, 0, 0, NULL},
    [RCF_DESCRIPTION] = {"criterion_description", "review.field.criterion_description", F_TEXT,
			 false, 500, 0, 0, NULL},
    [RCF_MAX_SCORE] = {"max_score", "review.field.max_score", F_INT, true, 10, 1, SCORE_MAX_SCALE,
		       NULL},
    [RCF_WEIGHT] = {"weight", "review.field.weight", F_INT, true, 10, 1, SCORE_MAX_WEIGHT, NULL},
};

/* The criteria as they would be after saving c, checked against the
 * stage's scale and score.h's limits. */
static enum rc check_criteria(struct arena *a, const struct review_stage *s,
			      const struct review_criterion *crit, size_t n,
			      const struct review_criterion *c, bool *found, struct review_why *why)
{
	struct review_criterion *next = arena_alloc(a, xmul(n + 1, sizeof(*next)));
	size_t nn = 0;
	*found = false;
	for (size_t i = 0; i < n; i++) {
		next[nn] = crit[i];
		if (c->id && crit[i].id == c->id) {
			next[nn] = *c;
			*found = true;
		}
		nn++;
	}
	if (!c->id)
		next[nn++] = *c;
	if (c->id && !*found)
		return review_refuse(why, RC_NOT_FOUND, "review.why.criterion_not_found", NULL,
				     NULL, NULL);
	if (nn > SCORE_MAX_CRITERIA)
		return review_refuse(why, RC_INVALID, "review.why.too_many_criteria",
				     review_num(a, SCORE_MAX_CRITERIA), NULL, NULL);
	if (c->max_score > s->scale_max || c->max_score <= s->scale_min)
		return review_refuse(why, RC_INVALID, "review.why.max_score_range",
				     review_num(a, s->scale_min), review_num(a, s->scale_max),
				     NULL);
	struct score_stage ss;
	return review_score_stage(a, s, next, nn, &ss, why);
}

enum rc review_criterion_save(struct db *db, struct arena *a, struct review_criterion *c,
			      int64_t user_id, struct review_why *why)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage s;
	struct review_criterion *crit;
	size_t n;
	bool found;
	enum rc rc = stage_for_write(db, a, c->stage_id, true, &s, &crit, &n, why);
	if (rc != RC_OK || (rc = check_criteria(a, &s, crit, n, c, &found, why)) != RC_OK)
		goto fail;
	rc = RC_ERROR;
	struct db_stmt *st;
	if (c->id) {
		st = db_stmt(db, STMT_REVIEW_CRITERION_UPDATE);
		db_bind_int(st, 1, c->id);
		db_bind_int(st, 2, s.id);
		db_bind_str(st, 3, c->name);
		db_bind_str(st, 4, c->description);
		db_bind_int(st, 5, c->max_score);
		db_bind_int(st, 6, c->weight);
	} else {
		st = db_stmt(db, STMT_REVIEW_CRITERION_INSERT);
		db_bind_int(st, 1, s.id);
		db_bind_str(st, 2, c->name);
		db_bind_str(st, 3, c->description);
		db_bind_int(st, 4, c->max_score);
		db_bind_int(st, 5, c->weight);
	}
	if (db_exec(st) != DB_OK)
		goto fail;
	if (!c->id)
		c->id = db_last_id(db);
	return review_audit_commit(db, user_id, found ? "criterion_update" : "criterion_create",
				   "review_stage", s.id,
				   msgf(a, "review.audit.criterion", s.name, c->name,
					review_num(a, c->max_score), review_num(a, c->weight)));
fail:
	db_rollback(db);
	return rc;
}

enum rc review_criterion_delete(struct db *db, struct arena *a, int64_t stage_id, int64_t id,
				int64_t user_id, struct review_why *why)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage s;
	struct review_criterion *crit;
	size_t n;
	enum rc rc = stage_for_write(db, a, stage_id, true, &s, &crit, &n, why);
	if (rc != RC_OK)
		goto fail;
	const char *name = NULL;
	for (size_t i = 0; i < n; i++)
		if (crit[i].id == id)
			name = crit[i].name;
	if (!name) {
		rc = review_refuse(why, RC_NOT_FOUND, "review.why.criterion_not_found", NULL, NULL,
				   NULL);
		goto fail;
	}
	if (n <= 1) {
		rc = review_refuse(why, RC_INVALID, "review.why.last_criterion", NULL, NULL, NULL);
		goto fail;
	}
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_CRITERION_DELETE);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, stage_id);
	if (db_exec(st) != DB_OK)
		goto fail;
	return review_audit_commit(db, user_id, "criterion_delete", "review_stage", stage_id,
				   msgf(a, "review.audit.criterion_delete", s.name, name));
fail:
	db_rollback(db);
	return rc;
}

/* ---- reviewers and assignment ---- */

static void read_reviewer(struct db_stmt *st, struct arena *a, void *out)
{
	struct review_reviewer *r = out;
	r->id = db_int(st, 0);
	r->name = review_col(a, st, 1);
}

enum rc review_reviewers(struct db *db, struct arena *a, struct review_reviewer **out, size_t *n)
{
	enum rc rc;
	*out = review_list(db, STMT_REVIEW_REVIEWERS, ROLE_REVIEWER, a, sizeof(**out),
			   read_reviewer, n, &rc);
	return rc;
}

static void read_assignee(struct db_stmt *st, struct arena *a, void *out)
{
	(void)a;
	struct review_assignee *x = out;
	x->user_id = db_int(st, 0);
	x->category_id = db_int(st, 1);
}

enum rc review_assignees(struct db *db, struct arena *a, int64_t stage_id,
			 struct review_assignee **out, size_t *n)
{
	enum rc rc;
	*out = review_list(db, STMT_REVIEW_ASSIGNEES, stage_id, a, sizeof(**out), read_assignee, n,
			   &rc);
	return rc;
}

bool review_exists(struct db *db, enum stmt id, int64_t k1, int64_t k2)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, k1);
	db_bind_int(st, 2, k2);
	if (db_step(st) != DB_ROW)
		return false;
	db_reset(st);
	return true;
}

bool review_is_reviewer(struct db *db, int64_t user_id)
{
	return review_exists(db, STMT_REVIEW_IS_REVIEWER, user_id, ROLE_REVIEWER);
}

/* Store the chosen rows list[0..n) of stage s (duplicates skipped) into
 * *stored; each user a reviewer, each category one of the stage's call. */
static enum rc assign_rows(struct db *db, struct arena *a, const struct review_stage *s,
			   const struct review_assignee *list, size_t n, size_t *stored,
			   struct review_why *why)
{
	*stored = 0;
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= list[k].user_id == list[i].user_id &&
			       list[k].category_id == list[i].category_id;
		if (dup)
			continue;
		if (!review_is_reviewer(db, list[i].user_id))
			return review_refuse(why, RC_INVALID, "review.why.not_a_reviewer", NULL,
					     NULL, NULL);
		struct category k;
		if (list[i].category_id && (category_get(db, a, list[i].category_id, &k) != RC_OK ||
					    k.call_id != s->call_id))
			return review_refuse(why, RC_INVALID, "review.why.other_call_category",
					     NULL, NULL, NULL);
		struct db_stmt *st = db_stmt(db, STMT_REVIEW_ASSIGN_ADD);
		db_bind_int(st, 1, s->id);
		db_bind_int(st, 2, list[i].user_id);
		if (list[i].category_id)
			db_bind_int(st, 3, list[i].category_id);
		else
			db_bind_null(st, 3);
		if (db_exec(st) != DB_OK)
			return RC_ERROR;
		(*stored)++;
	}
	return RC_OK;
}

enum rc review_assign(struct db *db, struct arena *a, int64_t stage_id, const char *assignment,
		      const struct review_assignee *list, size_t n, int64_t user_id,
		      struct review_why *why)
{
	if (!review_is_key(review_assignment_keys, assignment))
		return review_refuse(why, RC_INVALID, "review.why.choose_assignment", NULL, NULL,
				     NULL);
	if (n > REVIEW_MAX_ASSIGNEES)
		return review_refuse(why, RC_INVALID, "review.why.too_many_assignees", NULL, NULL,
				     NULL);
	bool chosen = strcmp(assignment, "chosen") == 0;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct review_stage s;
	size_t stored = 0;
	enum rc rc = stage_for_write(db, a, stage_id, false, &s, NULL, NULL, why);
	if (rc != RC_OK)
		goto fail;
	rc = RC_CLOSED;
	if (s.closed_at)
		goto fail;
	rc = RC_ERROR;
	if (review_exec_stage(db, STMT_REVIEW_STAGE_CLEAR_REVIEWERS, stage_id) != DB_OK)
		goto fail;
	if (chosen && (rc = assign_rows(db, a, &s, list, n, &stored, why)) != RC_OK)
		goto fail;
	rc = RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_ASSIGNMENT);
	db_bind_int(st, 1, stage_id);
	db_bind_str(st, 2, assignment);
	if (db_exec(st) != DB_OK)
		goto fail;
	return review_audit_commit(
	    db, user_id, "assign", "review_stage", stage_id,
	    chosen ? msgf(a, "review.audit.assign_chosen", s.name, review_num(a, (int64_t)stored))
		   : msgf(a, "review.audit.assign_all", s.name));
fail:
	db_rollback(db);
	return rc;
}

bool review_is_assigned(struct db *db, const struct review_stage *s, int64_t user_id,
			int64_t category_id)
{
	if (strcmp(s->assignment, "chosen") != 0)
		return review_is_reviewer(db, user_id);
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_IS_ASSIGNED_CHOSEN);
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, category_id);
	db_bind_int(st, 4, ROLE_REVIEWER);
	if (db_step(st) != DB_ROW)
		return false;
	db_reset(st);
	return true;
}

enum rc review_assignment_load(struct db *db, struct arena *a, const struct review_stage *s,
			       struct review_assignment *as)
{
	memset(as, 0, sizeof(*as));
	as->chosen = strcmp(s->assignment, "chosen") == 0;
	if (review_reviewers(db, a, &as->reviewers, &as->nreviewers) != RC_OK)
		return RC_ERROR;
	if (as->chosen && review_assignees(db, a, s->id, &as->rows, &as->nrows) != RC_OK)
		return RC_ERROR;
	return RC_OK;
}

bool review_assigned_to(const struct review_assignment *as, size_t i, int64_t category_id)
{
	if (!as->chosen)
		return true;
	for (size_t k = 0; k < as->nrows; k++)
		if (as->rows[k].user_id == as->reviewers[i].id &&
		    (as->rows[k].category_id == 0 || as->rows[k].category_id == category_id))
			return true;
	return false;
}

bool review_assigned_any(const struct review_assignment *as, size_t i)
{
	if (!as->chosen)
		return true;
	for (size_t k = 0; k < as->nrows; k++)
		if (as->rows[k].user_id == as->reviewers[i].id)
			return true;
	return false;
}
