/*
 * review: the screening workflow (see review.h).  Rules live here; the SQL
 * is in store/sql_sqlite.c (STMT_REVIEW_*), the arithmetic of aggregation
 * in domain/score.c, the pages in web/screening.c.
 *
 * Every write runs in one BEGIN IMMEDIATE transaction that re-reads the
 * stage first, so that a check ("no score sheet yet", "the window is
 * open", "the stage is closed") and the write it guards see the same
 * state, and so that the audit entry lands with the change or not at all.
 */
#include "challenge/review.h"
#include "core/audit.h"
#include "challenge/call.h"
#include "notifications/outbox.h"
#include "core/role.h"
#include "util/alloc.h"

#include <limits.h>
#include <string.h>

#define DAY (24 * 60 * 60)

const char *const review_kind_keys[] = {"document", "presentation", NULL};
const char *const review_kind_labels[] = {"書類審査", "プレゼンテーション審査", NULL};
const char *const review_entry_keys[] = {"all_submitted", "passed_previous", NULL};
const char *const review_entry_labels[] = {"提出されたすべての提案", "前の段階を通過した提案",
					   NULL};
const char *const review_aggregation_keys[] = {"mean", "sum", NULL};
const char *const review_aggregation_labels[] = {"審査員の平均", "審査員の合計", NULL};
const char *const review_fill_keys[] = {"exclude", "mean", NULL};
const char *const review_fill_labels[] = {"集計から除く", "他の審査員の平均で補う", NULL};
const char *const review_assignment_keys[] = {"all", "chosen", NULL};
const char *const review_assignment_labels[] = {"審査員全員", "部門ごとに選んだ審査員", NULL};
const char *const review_decision_keys[] = {"pass", "fail", "retry", NULL};
const char *const review_decision_labels[] = {"通過", "不通過", "再審査", NULL};

const char *review_label(const char *const *keys, const char *const *labels, const char *key)
{
	for (size_t i = 0; key && keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return labels[i];
	return key ? key : "";
}

static bool is_key(const char *const *keys, const char *key)
{
	for (size_t i = 0; key && keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

const char *review_rc_message(enum review_rc rc)
{
	switch (rc) {
	case REVIEW_OK:
		return "";
	case REVIEW_NOT_FOUND:
		return "お探しの審査は見つかりませんでした。";
	case REVIEW_INVALID:
		return "入力内容を確認してください。";
	case REVIEW_LOCKED:
		return "採点が始まっているため、審査段階の設定と評価項目は変更できません。";
	case REVIEW_FORBIDDEN:
		return "この提案を採点することはできません。";
	case REVIEW_CLOSED:
		return "審査期間は終了しました。";
	case REVIEW_STATE:
		return "この操作は今は行えません。";
	case REVIEW_ERROR:
	default:
		return "処理できませんでした。しばらくしてからもう一度お試しください。";
	}
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

const char *review_phase_label(enum review_phase ph)
{
	switch (ph) {
	case REVIEW_PHASE_BEFORE:
		return "採点期間前";
	case REVIEW_PHASE_OPEN:
		return "採点受付中";
	case REVIEW_PHASE_ENDED:
		return "採点期間終了";
	case REVIEW_PHASE_CLOSED:
	default:
		return "締切済み";
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

int review_score_stage(struct arena *a, const struct review_stage *s,
		       const struct review_criterion *c, size_t n, struct score_stage *out,
		       const char **why)
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
	return score_stage_check(out, why);
}

/* ---- helpers ---- */

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

static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return s ? arena_strndup(a, s, db_len(st, i)) : "";
}

/* The upper bound of a score on criterion c in stage s. */
static int64_t score_max(const struct review_stage *s, const struct review_criterion *c)
{
	return c->max_score < s->scale_max ? c->max_score : s->scale_max;
}

static void read_stage(struct arena *a, struct db_stmt *st, struct review_stage *s)
{
	memset(s, 0, sizeof(*s));
	s->id = db_int(st, 0);
	s->call_id = db_int(st, 1);
	s->position = db_int(st, 2);
	s->name = col(a, st, 3);
	s->kind = col(a, st, 4);
	s->entry = col(a, st, 5);
	s->scale_min = db_int(st, 6);
	s->scale_max = db_int(st, 7);
	s->aggregation = col(a, st, 8);
	s->recusal_fill = col(a, st, 9);
	s->pass_threshold = db_int(st, 10);
	s->assignment = col(a, st, 11);
	s->opens_at = db_int(st, 12);
	s->closes_at = db_int(st, 13);
	s->closed_at = db_int(st, 14);
	s->presentations_public = db_int(st, 15) != 0;
	s->nsheets = db_int(st, 16);
	s->call_title = col(a, st, 17);
	s->fiscal_year = db_int(st, 18);
}

static enum review_rc read_stages(struct arena *a, struct db_stmt *st, struct review_stage **out,
				  size_t *n)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		read_stage(a, st, &(*out)[(*n)++]);
	}
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

enum review_rc review_stages(struct db *db, struct arena *a, int64_t call_id,
			     struct review_stage **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_LIST);
	db_bind_int(st, 1, call_id);
	return read_stages(a, st, out, n);
}

enum review_rc review_stages_unclosed(struct db *db, struct arena *a, struct review_stage **out,
				      size_t *n)
{
	return read_stages(a, db_stmt(db, STMT_REVIEW_STAGE_UNCLOSED), out, n);
}

enum review_rc review_stage_get(struct db *db, struct arena *a, int64_t id, struct review_stage *s)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_GET);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_DONE)
		return REVIEW_NOT_FOUND;
	if (rc != DB_ROW)
		return REVIEW_ERROR;
	read_stage(a, st, s);
	db_reset(st);
	return REVIEW_OK;
}

enum review_rc review_criteria(struct db *db, struct arena *a, int64_t stage_id,
			       struct review_criterion **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_CRITERIA);
	db_bind_int(st, 1, stage_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		struct review_criterion *c = &(*out)[(*n)++];
		c->id = db_int(st, 0);
		c->stage_id = db_int(st, 1);
		c->position = db_int(st, 2);
		c->name = col(a, st, 3);
		c->description = col(a, st, 4);
		c->max_score = db_int(st, 5);
		c->weight = db_int(st, 6);
	}
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

/* ---- set-up ---- */

static const struct {
	const char *name, *description;
} default_criteria[] = {
    {"公益性", "地域や市民に広く役立ち、まちづくりにつながる事業か。"},
    {"協働の必要性", "市と団体が力を合わせることで、単独よりも大きな効果が見込めるか。"},
    {"実現可能性", "計画、体制、日程、予算が具体的で、期間内にやり遂げられるか。"},
    {"独自性", "団体ならではの視点や、これまでにない工夫があるか。"},
    {"発展性", "事業が終わった後も活動が続き、ほかの地域や団体に広がる見込みがあるか。"},
    {"費用対効果", "経費の使い道が妥当で、かける費用に見合う効果が期待できるか。"},
};

static enum review_rc insert_stage(struct db *db, int64_t call_id, int64_t position,
				   const char *name, const char *kind, const char *entry,
				   int64_t opens, int64_t closes, int64_t *id)
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
		return REVIEW_ERROR;
	*id = db_last_id(db);
	for (size_t i = 0; i < sizeof(default_criteria) / sizeof(default_criteria[0]); i++) {
		st = db_stmt(db, STMT_REVIEW_CRITERION_INSERT);
		db_bind_int(st, 1, *id);
		db_bind_str(st, 2, default_criteria[i].name);
		db_bind_str(st, 3, default_criteria[i].description);
		db_bind_int(st, 4, 5);
		db_bind_int(st, 5, 1);
		if (db_exec(st) != DB_OK)
			return REVIEW_ERROR;
	}
	return REVIEW_OK;
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

enum review_rc review_setup_defaults(struct db *db, struct arena *a, int64_t call_id,
				     int64_t user_id, int64_t now)
{
	struct call_view v;
	enum call_rc crc = call_load(db, a, call_id, &v);
	if (crc == CALL_NOT_FOUND)
		return REVIEW_NOT_FOUND;
	if (crc != CALL_OK)
		return REVIEW_ERROR;
	int64_t o1 = now, c1 = now + 14 * DAY, o2, c2;
	milestone_window(&v, MS_REVIEW1, &o1, &c1);
	if (!milestone_window(&v, MS_REVIEW2, &o2, &c2)) {
		o2 = c1;
		c2 = c1 + 14 * DAY;
	}
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	enum review_rc rc = REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_COUNT);
	db_bind_int(st, 1, call_id);
	if (db_step(st) != DB_ROW)
		goto fail;
	int64_t existing = db_int(st, 0);
	db_reset(st);
	if (existing) {
		rc = REVIEW_STATE;
		goto fail;
	}
	int64_t id1, id2;
	if (insert_stage(db, call_id, 1, "1次審査（書類）", "document", "all_submitted", o1, c1,
			 &id1) != REVIEW_OK ||
	    insert_stage(db, call_id, 2, "2次審査（公開プレゼンテーション）", "presentation",
			 "passed_previous", o2, c2, &id2) != REVIEW_OK)
		goto fail;
	if (audit(db, user_id, "setup", "review_stage", id1,
		  arena_printf(a, "募集 %lld に審査段階を初期設定（1次審査・2次審査）",
			       (long long)call_id)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

enum review_rc review_stage_add(struct db *db, struct arena *a, int64_t call_id, int64_t user_id,
				int64_t now, int64_t *id, const char **why)
{
	struct call c;
	enum call_rc crc = call_get(db, a, call_id, &c);
	if (crc == CALL_NOT_FOUND)
		return REVIEW_NOT_FOUND;
	if (crc != CALL_OK)
		return REVIEW_ERROR;
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	enum review_rc rc = REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_COUNT);
	db_bind_int(st, 1, call_id);
	if (db_step(st) != DB_ROW)
		goto fail;
	int64_t count = db_int(st, 0), last = db_int(st, 1);
	db_reset(st);
	if (count >= REVIEW_MAX_STAGES) {
		*why = arena_printf(a, "審査段階は%d段階までです", REVIEW_MAX_STAGES);
		rc = REVIEW_INVALID;
		goto fail;
	}
	const char *name = arena_printf(a, "%lld次審査", (long long)(count + 1));
	if (insert_stage(db, call_id, last + 1, name, "document",
			 count ? "passed_previous" : "all_submitted", now, now + 14 * DAY,
			 id) != REVIEW_OK)
		goto fail;
	if (audit(db, user_id, "create", "review_stage", *id,
		  arena_printf(a, "募集 %lld に審査段階「%s」を追加", (long long)call_id, name)) !=
		DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

/* Run a statement that takes the stage id as ?1 only. */
static int exec_stage(struct db *db, enum stmt id, int64_t stage_id)
{
	struct db_stmt *st = db_stmt(db, id);
	db_bind_int(st, 1, stage_id);
	return db_exec(st);
}

enum review_rc review_stage_remove(struct db *db, struct arena *a, int64_t stage_id,
				   int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage s;
	enum review_rc rc = review_stage_get(db, a, stage_id, &s);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_LOCKED;
	if (s.nsheets)
		goto fail;
	rc = REVIEW_ERROR;
	static const enum stmt children[] = {
	    STMT_REVIEW_STAGE_CLEAR_CRITERIA,  STMT_REVIEW_STAGE_CLEAR_REVIEWERS,
	    STMT_REVIEW_STAGE_CLEAR_RECUSALS,  STMT_REVIEW_STAGE_CLEAR_PRESENTATIONS,
	    STMT_REVIEW_STAGE_CLEAR_DECISIONS, STMT_REVIEW_STAGE_DELETE,
	};
	for (size_t i = 0; i < sizeof(children) / sizeof(children[0]); i++)
		if (exec_stage(db, children[i], stage_id) != DB_OK)
			goto fail;
	if (audit(db, user_id, "delete", "review_stage", stage_id,
		  arena_printf(a, "審査段階「%s」（%s）を削除", s.name, s.call_title)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

const struct field_spec review_stage_fields[RSF__MAX] = {
    [RSF_NAME] = {"stage_name", "審査段階の名前", F_LINE, true, 50, 0, 0, NULL},
    [RSF_KIND] = {"kind", "審査の方法", F_CHOICE, true, 20, 0, 0, review_kind_keys},
    [RSF_ENTRY] = {"entry", "審査の対象", F_CHOICE, true, 20, 0, 0, review_entry_keys},
    [RSF_SCALE_MIN] = {"scale_min", "点数の下限", F_INT, true, 10, 0, SCORE_MAX_SCALE - 1, NULL},
    [RSF_SCALE_MAX] = {"scale_max", "点数の上限", F_INT, true, 10, 1, SCORE_MAX_SCALE, NULL},
    [RSF_AGGREGATION] = {"aggregation", "審査員の間の集計", F_CHOICE, true, 10, 0, 0,
			 review_aggregation_keys},
    [RSF_RECUSAL_FILL] = {"recusal_fill", "利益相反で採点しない審査員の扱い", F_CHOICE, true, 10, 0,
			  0, review_fill_keys},
    [RSF_PASS_THRESHOLD] = {"pass_threshold", "通過の目安（100点満点中）", F_INT, true, 10, 0, 100,
			    NULL},
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
		form_error(f, RSF_SCALE_MAX, "点数の上限は下限より大きくしてください");
	return f->nerrors;
}

enum review_rc review_stage_update(struct db *db, struct arena *a, const struct review_stage *s,
				   int64_t user_id, const char **why)
{
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage cur;
	struct review_criterion *crit;
	size_t n;
	enum review_rc rc = review_stage_get(db, a, s->id, &cur);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_LOCKED;
	if (cur.nsheets)
		goto fail;
	rc = REVIEW_ERROR;
	if (review_criteria(db, a, s->id, &crit, &n) != REVIEW_OK)
		goto fail;
	/* The criteria must still fit the new scale. */
	struct score_stage ss;
	if (n && review_score_stage(a, s, crit, n, &ss, why) != 0) {
		rc = REVIEW_INVALID;
		goto fail;
	}
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
	if (audit(db, user_id, "update", "review_stage", s->id,
		  arena_printf(a, "%s：%s、%s、%lld〜%lld点、%s、回避は%s、通過の目安%lld点",
			       s->name, review_label(review_kind_keys, review_kind_labels, s->kind),
			       review_label(review_entry_keys, review_entry_labels, s->entry),
			       (long long)s->scale_min, (long long)s->scale_max,
			       review_label(review_aggregation_keys, review_aggregation_labels,
					    s->aggregation),
			       review_label(review_fill_keys, review_fill_labels, s->recusal_fill),
			       (long long)s->pass_threshold)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

const struct field_spec review_window_fields[RWF__MAX] = {
    [RWF_OPENS_AT] = {"opens_at", "採点の開始", F_DATETIME, true, 20, 0, 0, NULL},
    [RWF_CLOSES_AT] = {"closes_at", "採点の締切", F_DATETIME, true, 20, 0, 0, NULL},
};

enum review_rc review_stage_set_window(struct db *db, struct arena *a, int64_t stage_id,
				       int64_t opens_at, int64_t closes_at, int64_t user_id,
				       const char **why)
{
	if (opens_at >= closes_at) {
		*why = "採点の締切は開始より後にしてください";
		return REVIEW_INVALID;
	}
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage s;
	enum review_rc rc = review_stage_get(db, a, stage_id, &s);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_CLOSED;
	if (s.closed_at)
		goto fail;
	rc = REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_WINDOW);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, opens_at);
	db_bind_int(st, 3, closes_at);
	if (db_exec(st) != DB_OK || db_changes(db) != 1)
		goto fail;
	if (audit(db, user_id, "window", "review_stage", stage_id,
		  arena_printf(a, "%s：採点期間 %lld〜%lld", s.name, (long long)opens_at,
			       (long long)closes_at)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

const struct field_spec review_criterion_fields[RCF__MAX] = {
    [RCF_NAME] = {"criterion_name", "評価項目", F_LINE, true, 50, 0, 0, NULL},
    [RCF_DESCRIPTION] = {"criterion_description", "評価の観点", F_TEXT, false, 500, 0, 0, NULL},
    [RCF_MAX_SCORE] = {"max_score", "配点（満点）", F_INT, true, 10, 1, SCORE_MAX_SCALE, NULL},
    [RCF_WEIGHT] = {"weight", "重み", F_INT, true, 10, 1, SCORE_MAX_WEIGHT, NULL},
};

enum review_rc review_criterion_save(struct db *db, struct arena *a, struct review_criterion *c,
				     int64_t user_id, const char **why)
{
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage s;
	struct review_criterion *crit;
	size_t n;
	enum review_rc rc = review_stage_get(db, a, c->stage_id, &s);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_LOCKED;
	if (s.nsheets)
		goto fail;
	rc = REVIEW_ERROR;
	if (review_criteria(db, a, s.id, &crit, &n) != REVIEW_OK)
		goto fail;
	/* The set as it would be, checked against score.h's limits. */
	struct review_criterion *next = arena_alloc(a, xmul(n + 1, sizeof(*next)));
	size_t nn = 0;
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		next[nn] = crit[i];
		if (c->id && crit[i].id == c->id) {
			next[nn] = *c;
			found = true;
		}
		nn++;
	}
	if (!c->id)
		next[nn++] = *c;
	rc = REVIEW_NOT_FOUND;
	if (c->id && !found)
		goto fail;
	rc = REVIEW_INVALID;
	if (nn > SCORE_MAX_CRITERIA) {
		*why = arena_printf(a, "評価項目は%d項目までです", SCORE_MAX_CRITERIA);
		goto fail;
	}
	if (c->max_score > s.scale_max || c->max_score <= s.scale_min) {
		*why = arena_printf(a, "配点は%lldより大きく、点数の上限（%lld）以下にしてください",
				    (long long)s.scale_min, (long long)s.scale_max);
		goto fail;
	}
	struct score_stage ss;
	if (review_score_stage(a, &s, next, nn, &ss, why) != 0)
		goto fail;
	rc = REVIEW_ERROR;
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
	if (audit(db, user_id, found ? "criterion_update" : "criterion_create", "review_stage",
		  s.id,
		  arena_printf(a, "%s：評価項目「%s」配点%lld 重み%lld", s.name, c->name,
			       (long long)c->max_score, (long long)c->weight)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

enum review_rc review_criterion_delete(struct db *db, struct arena *a, int64_t stage_id, int64_t id,
				       int64_t user_id, const char **why)
{
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage s;
	struct review_criterion *crit;
	size_t n;
	enum review_rc rc = review_stage_get(db, a, stage_id, &s);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_LOCKED;
	if (s.nsheets)
		goto fail;
	rc = REVIEW_ERROR;
	if (review_criteria(db, a, s.id, &crit, &n) != REVIEW_OK)
		goto fail;
	const char *name = NULL;
	for (size_t i = 0; i < n; i++)
		if (crit[i].id == id)
			name = crit[i].name;
	rc = REVIEW_NOT_FOUND;
	if (!name)
		goto fail;
	rc = REVIEW_INVALID;
	if (n <= 1) {
		*why = "評価項目は1つ以上必要です";
		goto fail;
	}
	rc = REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_CRITERION_DELETE);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, stage_id);
	if (db_exec(st) != DB_OK ||
	    audit(db, user_id, "criterion_delete", "review_stage", stage_id,
		  arena_printf(a, "%s：評価項目「%s」を削除", s.name, name)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

/* ---- reviewers and assignment ---- */

enum review_rc review_reviewers(struct db *db, struct arena *a, struct review_reviewer **out,
				size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_REVIEWERS);
	db_bind_int(st, 1, ROLE_REVIEWER);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[*n].id = db_int(st, 0);
		(*out)[*n].name = col(a, st, 1);
		(*n)++;
	}
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

enum review_rc review_assignees(struct db *db, struct arena *a, int64_t stage_id,
				struct review_assignee **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_ASSIGNEES);
	db_bind_int(st, 1, stage_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[*n].user_id = db_int(st, 0);
		(*out)[*n].category_id = db_int(st, 1);
		(*n)++;
	}
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

static bool is_reviewer(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_IS_REVIEWER);
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, ROLE_REVIEWER);
	if (db_step(st) != DB_ROW)
		return false;
	db_reset(st);
	return true;
}

enum review_rc review_assign(struct db *db, struct arena *a, int64_t stage_id,
			     const char *assignment, const struct review_assignee *list, size_t n,
			     int64_t user_id, const char **why)
{
	if (!is_key(review_assignment_keys, assignment)) {
		*why = "割り当て方を選んでください";
		return REVIEW_INVALID;
	}
	if (n > REVIEW_MAX_ASSIGNEES) {
		*why = "割り当てが多すぎます";
		return REVIEW_INVALID;
	}
	bool chosen = strcmp(assignment, "chosen") == 0;
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage s;
	enum review_rc rc = review_stage_get(db, a, stage_id, &s);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_CLOSED;
	if (s.closed_at)
		goto fail;
	rc = REVIEW_ERROR;
	if (exec_stage(db, STMT_REVIEW_STAGE_CLEAR_REVIEWERS, stage_id) != DB_OK)
		goto fail;
	size_t stored = 0;
	for (size_t i = 0; chosen && i < n; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= list[k].user_id == list[i].user_id &&
			       list[k].category_id == list[i].category_id;
		if (dup)
			continue;
		if (!is_reviewer(db, list[i].user_id)) {
			*why = "審査員の役割を持つ利用者だけを割り当てられます";
			rc = REVIEW_INVALID;
			goto fail;
		}
		if (list[i].category_id) {
			struct category k;
			if (category_get(db, a, list[i].category_id, &k) != CALL_OK ||
			    k.call_id != s.call_id) {
				*why = "この募集の部門を選んでください";
				rc = REVIEW_INVALID;
				goto fail;
			}
		}
		struct db_stmt *st = db_stmt(db, STMT_REVIEW_ASSIGN_ADD);
		db_bind_int(st, 1, stage_id);
		db_bind_int(st, 2, list[i].user_id);
		if (list[i].category_id)
			db_bind_int(st, 3, list[i].category_id);
		else
			db_bind_null(st, 3);
		if (db_exec(st) != DB_OK)
			goto fail;
		stored++;
	}
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_ASSIGNMENT);
	db_bind_int(st, 1, stage_id);
	db_bind_str(st, 2, assignment);
	if (db_exec(st) != DB_OK)
		goto fail;
	if (audit(db, user_id, "assign", "review_stage", stage_id,
		  chosen ? arena_printf(a, "%s：審査員を選んで割り当て（%zu件）", s.name, stored)
			 : arena_printf(a, "%s：審査員全員に割り当て", s.name)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

bool review_is_assigned(struct db *db, const struct review_stage *s, int64_t user_id,
			int64_t category_id)
{
	if (strcmp(s->assignment, "chosen") != 0)
		return is_reviewer(db, user_id);
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

/*
 * Who is assigned to what, loaded once for a whole stage (the dashboard
 * and the ranking ask for every reviewer × proposal pair).
 */
struct assignment {
	bool chosen;
	struct review_reviewer *reviewers; /* every reviewer-role user */
	size_t nreviewers;
	struct review_assignee *rows; /* chosen rows */
	size_t nrows;
};

static enum review_rc assignment_load(struct db *db, struct arena *a, const struct review_stage *s,
				      struct assignment *as)
{
	memset(as, 0, sizeof(*as));
	as->chosen = strcmp(s->assignment, "chosen") == 0;
	if (review_reviewers(db, a, &as->reviewers, &as->nreviewers) != REVIEW_OK)
		return REVIEW_ERROR;
	if (as->chosen && review_assignees(db, a, s->id, &as->rows, &as->nrows) != REVIEW_OK)
		return REVIEW_ERROR;
	return REVIEW_OK;
}

/* Is reviewer i of as (an index into as->reviewers) assigned to category? */
static bool assigned_to(const struct assignment *as, size_t i, int64_t category_id)
{
	if (!as->chosen)
		return true;
	for (size_t k = 0; k < as->nrows; k++)
		if (as->rows[k].user_id == as->reviewers[i].id &&
		    (as->rows[k].category_id == 0 || as->rows[k].category_id == category_id))
			return true;
	return false;
}

/* Is reviewer i assigned to anything at all? */
static bool assigned_any(const struct assignment *as, size_t i)
{
	if (!as->chosen)
		return true;
	for (size_t k = 0; k < as->nrows; k++)
		if (as->rows[k].user_id == as->reviewers[i].id)
			return true;
	return false;
}

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

enum review_rc review_entrants(struct db *db, struct arena *a, const struct review_stage *s,
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
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		struct review_entrant *e = &(*out)[(*n)++];
		e->proposal_id = db_int(st, 0);
		e->category_id = db_int(st, 1);
		e->group_id = db_int(st, 2);
		e->previous_id = db_int(st, 3);
		e->receipt_no = col(a, st, 4);
		e->title = col(a, st, 5);
		e->group_name = col(a, st, 6);
		e->category_name = col(a, st, 7);
		e->category_short = col(a, st, 8);
		e->decision = col(a, st, 11);
		e->decision_reason = col(a, st, 12);
	}
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

static const struct review_entrant *find_entrant(const struct review_entrant *es, size_t n,
						 int64_t proposal_id)
{
	for (size_t i = 0; i < n; i++)
		if (es[i].proposal_id == proposal_id)
			return &es[i];
	return NULL;
}

enum review_rc review_sync_recusals(struct db *db, const struct review_stage *s, int64_t now)
{
	if (s->closed_at)
		return REVIEW_OK;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_RECUSAL_SYNC);
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, now);
	db_bind_str(st, 3, "申請団体のメンバーのため（自動）");
	db_bind_int(st, 4, ROLE_REVIEWER);
	return db_exec(st) == DB_OK ? REVIEW_OK : REVIEW_ERROR;
}

bool review_recusal(struct db *db, struct arena *a, int64_t stage_id, int64_t proposal_id,
		    int64_t reviewer_id, const char **reason, bool *automatic)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_RECUSAL_GET);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, proposal_id);
	db_bind_int(st, 3, reviewer_id);
	if (db_step(st) != DB_ROW)
		return false;
	if (reason)
		*reason = col(a, st, 0);
	if (automatic)
		*automatic = db_int(st, 1) != 0;
	db_reset(st);
	return true;
}

/* A stage's recusals and sheet statuses, loaded once. */
struct recusal_row {
	int64_t proposal_id, user_id;
	bool automatic;
};
struct sheet_row {
	int64_t proposal_id, user_id;
	bool submitted;
};

static enum review_rc load_recusals(struct db *db, struct arena *a, int64_t stage_id,
				    struct recusal_row **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_RECUSALS);
	db_bind_int(st, 1, stage_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[*n].proposal_id = db_int(st, 0);
		(*out)[*n].user_id = db_int(st, 1);
		(*out)[*n].automatic = db_int(st, 2) != 0;
		(*n)++;
	}
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

static enum review_rc load_sheet_rows(struct db *db, struct arena *a, int64_t stage_id,
				      struct sheet_row **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEETS_STAGE);
	db_bind_int(st, 1, stage_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[*n].proposal_id = db_int(st, 0);
		(*out)[*n].user_id = db_int(st, 1);
		const char *status = db_text(st, 2);
		(*out)[*n].submitted = status && strcmp(status, "submitted") == 0;
		(*n)++;
	}
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

static bool recused_in(const struct recusal_row *r, size_t n, int64_t proposal_id, int64_t user_id)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].proposal_id == proposal_id && r[i].user_id == user_id)
			return true;
	return false;
}

/* The sheet of user_id on proposal_id: NULL when there is none. */
static const struct sheet_row *sheet_in(const struct sheet_row *r, size_t n, int64_t proposal_id,
					int64_t user_id)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].proposal_id == proposal_id && r[i].user_id == user_id)
			return &r[i];
	return NULL;
}

enum review_rc review_queue(struct db *db, struct arena *a, const struct review_stage *s,
			    int64_t reviewer_id, int64_t now, struct review_item **out, size_t *n,
			    struct review_progress *pg)
{
	struct review_entrant *es;
	size_t ne, nsheets;
	struct sheet_row *sheets;
	memset(pg, 0, sizeof(*pg));
	*out = NULL;
	*n = 0;
	if (review_sync_recusals(db, s, now) != REVIEW_OK ||
	    review_entrants(db, a, s, &es, &ne) != REVIEW_OK ||
	    load_sheet_rows(db, a, s->id, &sheets, &nsheets) != REVIEW_OK)
		return REVIEW_ERROR;
	*out = arena_alloc(a, xmul(ne + 1, sizeof(**out)));
	/* Whether the reviewer is assigned, per category (asked once each). */
	int64_t cats[64];
	bool yes[64];
	size_t ncats = 0;
	for (size_t i = 0; i < ne; i++) {
		bool assigned = false;
		size_t k;
		for (k = 0; k < ncats; k++)
			if (cats[k] == es[i].category_id)
				break;
		if (k < ncats) {
			assigned = yes[k];
		} else {
			assigned = review_is_assigned(db, s, reviewer_id, es[i].category_id);
			if (ncats < sizeof(cats) / sizeof(cats[0])) {
				cats[ncats] = es[i].category_id;
				yes[ncats++] = assigned;
			}
		}
		if (!assigned)
			continue;
		struct review_item *it = &(*out)[(*n)++];
		it->e = es[i];
		it->recused = review_recusal(db, a, s->id, es[i].proposal_id, reviewer_id,
					     &it->recusal_reason, &it->automatic);
		const struct sheet_row *sh =
		    sheet_in(sheets, nsheets, es[i].proposal_id, reviewer_id);
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
	return REVIEW_OK;
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
		if (review_stage_get(db, a, ids[i], &s) != REVIEW_OK || s.opens_at > now ||
		    review_entrants(db, a, &s, &es, &ne) != REVIEW_OK)
			continue;
		const struct review_entrant *e = find_entrant(es, ne, proposal_id);
		if (e && review_is_assigned(db, &s, reviewer_id, e->category_id))
			return true;
	}
	return false;
}

size_t review_history_of(struct db *db, struct arena *a, int64_t group_id, int64_t fiscal_year,
			 int64_t except_id, struct review_history **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_HISTORY_PROJECTS);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, fiscal_year);
	while (db_step(st) == DB_ROW) {
		*out = grow(a, *out, n, &cap, sizeof(**out));
		struct review_history *h = &(*out)[n++];
		memset(h, 0, sizeof(*h));
		h->fiscal_year = db_int(st, 0);
		h->title = col(a, st, 1);
		h->category_name = col(a, st, 2);
		h->grant_yen = db_int(st, 3);
		h->receipt_no = "";
		h->adopted = true;
	}
	if (n)
		return n;
	st = db_stmt(db, STMT_REVIEW_HISTORY_PROPOSALS);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, fiscal_year);
	db_bind_int(st, 3, except_id);
	while (db_step(st) == DB_ROW) {
		*out = grow(a, *out, n, &cap, sizeof(**out));
		struct review_history *h = &(*out)[n++];
		memset(h, 0, sizeof(*h));
		h->fiscal_year = db_int(st, 0);
		h->title = col(a, st, 1);
		h->category_name = col(a, st, 2);
		h->receipt_no = col(a, st, 3);
	}
	return n;
}

/* ---- score sheets ---- */

static void read_sheet(struct arena *a, struct db_stmt *st, struct review_sheet *sh)
{
	memset(sh, 0, sizeof(*sh));
	sh->id = db_int(st, 0);
	sh->stage_id = db_int(st, 1);
	sh->proposal_id = db_int(st, 2);
	sh->reviewer_id = db_int(st, 3);
	sh->status = col(a, st, 4);
	sh->comment = col(a, st, 5);
	sh->updated_at = db_int(st, 6);
	sh->submitted_at = db_int(st, 7);
	sh->reviewer_name = col(a, st, 8);
}

/* Lay out sh's stored scores along crit[0..n). */
static enum review_rc load_scores(struct db *db, struct arena *a, struct review_sheet *sh,
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
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

static enum review_rc one_sheet(struct db *db, struct arena *a, struct db_stmt *st,
				const struct review_criterion *crit, size_t ncrit,
				struct review_sheet *sh)
{
	int rc = db_step(st);
	if (rc == DB_DONE)
		return REVIEW_NOT_FOUND;
	if (rc != DB_ROW)
		return REVIEW_ERROR;
	read_sheet(a, st, sh);
	db_reset(st);
	return load_scores(db, a, sh, crit, ncrit);
}

enum review_rc review_sheet_get(struct db *db, struct arena *a, const struct review_stage *s,
				const struct review_criterion *crit, size_t ncrit,
				int64_t proposal_id, int64_t reviewer_id, struct review_sheet *sh)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEET_GET);
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, proposal_id);
	db_bind_int(st, 3, reviewer_id);
	return one_sheet(db, a, st, crit, ncrit, sh);
}

enum review_rc review_sheet_by_id(struct db *db, struct arena *a, int64_t sheet_id,
				  const struct review_criterion *crit, size_t ncrit,
				  struct review_sheet *sh)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEET_BY_ID);
	db_bind_int(st, 1, sheet_id);
	return one_sheet(db, a, st, crit, ncrit, sh);
}

enum review_rc review_sheets_of(struct db *db, struct arena *a, const struct review_stage *s,
				const struct review_criterion *crit, size_t ncrit,
				int64_t proposal_id, struct review_sheet **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEETS_OF_PROPOSAL);
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, proposal_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		read_sheet(a, st, &(*out)[(*n)++]);
	}
	if (rc != DB_DONE)
		return REVIEW_ERROR;
	/* Scores after the list statement has finished. */
	for (size_t i = 0; i < *n; i++)
		if (load_scores(db, a, &(*out)[i], crit, ncrit) != REVIEW_OK)
			return REVIEW_ERROR;
	return REVIEW_OK;
}

/* The checks of review_may_score() on a stage already loaded. */
static enum review_rc may_score(struct db *db, struct arena *a, const struct review_stage *s,
				int64_t proposal_id, int64_t reviewer_id, int64_t now,
				bool window_matters, const struct review_entrant **entrant,
				const char **why)
{
	struct review_entrant *es;
	size_t ne;
	if (review_sync_recusals(db, s, now) != REVIEW_OK ||
	    review_entrants(db, a, s, &es, &ne) != REVIEW_OK)
		return REVIEW_ERROR;
	const struct review_entrant *e = find_entrant(es, ne, proposal_id);
	if (!e) {
		*why = "この提案はこの審査段階の対象ではありません。";
		return REVIEW_NOT_FOUND;
	}
	if (entrant)
		*entrant = e;
	if (!review_is_assigned(db, s, reviewer_id, e->category_id)) {
		*why = "この提案の審査は割り当てられていません。";
		return REVIEW_FORBIDDEN;
	}
	const char *reason = NULL;
	if (review_recusal(db, a, s->id, proposal_id, reviewer_id, &reason, NULL)) {
		*why =
		    arena_printf(a, "利益相反があるため、この提案は採点できません（%s）。", reason);
		return REVIEW_FORBIDDEN;
	}
	if (!window_matters)
		return REVIEW_OK;
	switch (review_stage_phase(s, now)) {
	case REVIEW_PHASE_OPEN:
		return REVIEW_OK;
	case REVIEW_PHASE_BEFORE:
		*why = "審査期間はまだ始まっていません。";
		return REVIEW_CLOSED;
	default:
		*why = "審査期間は終了しました。";
		return REVIEW_CLOSED;
	}
}

enum review_rc review_may_score(struct db *db, struct arena *a, const struct review_stage *s,
				int64_t proposal_id, int64_t reviewer_id, int64_t now,
				const char **why)
{
	return may_score(db, a, s, proposal_id, reviewer_id, now, true, NULL, why);
}

/* Check in's scores against the stage: ranges always, completeness when
 * complete is true. */
static enum review_rc check_input(struct arena *a, const struct review_stage *s,
				  const struct review_criterion *crit, size_t ncrit,
				  const struct review_input *in, bool complete, const char **why)
{
	if (in->n != ncrit) {
		*why = "評価項目が変わりました。ページを読み込み直してください。";
		return REVIEW_INVALID;
	}
	for (size_t i = 0; i < ncrit; i++) {
		int64_t hi = score_max(s, &crit[i]);
		if (!in->has[i]) {
			if (complete) {
				*why = arena_printf(a, "%sの点数を入力してください", crit[i].name);
				return REVIEW_INVALID;
			}
			continue;
		}
		if (in->scores[i] < s->scale_min || in->scores[i] > hi) {
			*why = arena_printf(a, "%sは%lld〜%lldの整数で入力してください",
					    crit[i].name, (long long)s->scale_min, (long long)hi);
			return REVIEW_INVALID;
		}
	}
	if (in->comment && strlen(in->comment) > 4 * REVIEW_COMMENT_MAX) {
		*why = "コメントが長すぎます";
		return REVIEW_INVALID;
	}
	return REVIEW_OK;
}

/* "公益性4 協働の必要性3 ..." for the audit log. */
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

enum review_rc review_sheet_save(struct db *db, struct arena *a, const struct review_stage *s,
				 const struct review_criterion *crit, size_t ncrit,
				 int64_t proposal_id, int64_t reviewer_id,
				 const struct review_input *in, int64_t now, int64_t *sheet_id,
				 const char **why)
{
	enum review_rc rc = check_input(a, s, crit, ncrit, in, in->submit, why);
	if (rc != REVIEW_OK)
		return rc;
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	/* Re-read the stage inside the transaction: the office may have
	 * closed it since the page was drawn. */
	struct review_stage cur;
	const struct review_entrant *e = NULL;
	rc = review_stage_get(db, a, s->id, &cur);
	if (rc != REVIEW_OK)
		goto fail;
	rc = may_score(db, a, &cur, proposal_id, reviewer_id, now, true, &e, why);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_ERROR;
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
	if (review_sheet_get(db, a, &cur, crit, ncrit, proposal_id, reviewer_id, &sh) !=
		REVIEW_OK ||
	    write_scores(db, sh.id, crit, in) != DB_OK)
		goto fail;
	if (audit(db, reviewer_id, in->submit ? "score_submit" : "score_draft", "score_sheet",
		  sh.id,
		  arena_printf(a, "%s %s：%s", cur.name, e->receipt_no,
			       scores_text(a, crit, ncrit, in->scores, in->has))) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	if (sheet_id)
		*sheet_id = sh.id;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

enum review_rc review_sheet_correct(struct db *db, struct arena *a, const struct review_stage *s,
				    const struct review_criterion *crit, size_t ncrit,
				    int64_t sheet_id, const struct review_input *in,
				    const char *reason, int64_t admin_id, int64_t now,
				    const char **why)
{
	if (!reason || !*reason) {
		*why = "修正の理由を入力してください";
		return REVIEW_INVALID;
	}
	enum review_rc rc = check_input(a, s, crit, ncrit, in, true, why);
	if (rc != REVIEW_OK)
		return rc;
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage cur;
	struct review_sheet old;
	rc = review_stage_get(db, a, s->id, &cur);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_STATE;
	enum review_phase ph = review_stage_phase(&cur, now);
	if (ph != REVIEW_PHASE_ENDED && ph != REVIEW_PHASE_CLOSED) {
		*why = "審査期間中の評価は、審査員本人だけが変更できます。";
		goto fail;
	}
	rc = review_sheet_by_id(db, a, sheet_id, crit, ncrit, &old);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_NOT_FOUND;
	if (old.stage_id != cur.id)
		goto fail;
	rc = REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SHEET_UPDATE);
	db_bind_int(st, 1, sheet_id);
	db_bind_str(st, 2, in->comment ? in->comment : "");
	db_bind_int(st, 3, now);
	if (db_exec(st) != DB_OK || write_scores(db, sheet_id, crit, in) != DB_OK)
		goto fail;
	if (audit(db, admin_id, "score_correct", "score_sheet", sheet_id,
		  arena_printf(a, "%s 提案 %lld（%s）：%s → %s。理由：%s", cur.name,
			       (long long)old.proposal_id, old.reviewer_name,
			       scores_text(a, crit, ncrit, old.scores, old.has_score),
			       scores_text(a, crit, ncrit, in->scores, in->has), reason)) !=
		DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

enum review_rc review_declare_conflict(struct db *db, struct arena *a, const struct review_stage *s,
				       int64_t proposal_id, int64_t reviewer_id, const char *reason,
				       int64_t now, const char **why)
{
	if (!reason || !*reason) {
		*why = "利益相反の内容を入力してください";
		return REVIEW_INVALID;
	}
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage cur;
	const struct review_entrant *e = NULL;
	enum review_rc rc = review_stage_get(db, a, s->id, &cur);
	if (rc != REVIEW_OK)
		goto fail;
	rc = may_score(db, a, &cur, proposal_id, reviewer_id, now, false, &e, why);
	if (rc == REVIEW_FORBIDDEN && e &&
	    review_is_assigned(db, &cur, reviewer_id, e->category_id))
		rc = REVIEW_OK; /* already recused: declaring again changes nothing */
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_CLOSED;
	enum review_phase ph = review_stage_phase(&cur, now);
	if (ph == REVIEW_PHASE_ENDED || ph == REVIEW_PHASE_CLOSED) {
		*why = "審査期間は終了しました。";
		goto fail;
	}
	rc = REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_RECUSAL_INSERT);
	db_bind_int(st, 1, cur.id);
	db_bind_int(st, 2, proposal_id);
	db_bind_int(st, 3, reviewer_id);
	db_bind_str(st, 4, reason);
	db_bind_int(st, 5, now);
	if (db_exec(st) != DB_OK ||
	    audit(db, reviewer_id, "conflict", "proposal", proposal_id,
		  arena_printf(a, "%s：利益相反の申告（%s）", cur.name, reason)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

/* ---- the office ---- */

enum review_rc review_dashboard(struct db *db, struct arena *a, const struct review_stage *s,
				int64_t now, struct review_dashboard *d)
{
	memset(d, 0, sizeof(*d));
	struct review_entrant *es;
	size_t ne, nrec, nsheets;
	struct recusal_row *rec;
	struct sheet_row *sheets;
	struct assignment as;
	if (review_sync_recusals(db, s, now) != REVIEW_OK ||
	    review_entrants(db, a, s, &es, &ne) != REVIEW_OK ||
	    assignment_load(db, a, s, &as) != REVIEW_OK ||
	    load_recusals(db, a, s->id, &rec, &nrec) != REVIEW_OK ||
	    load_sheet_rows(db, a, s->id, &sheets, &nsheets) != REVIEW_OK)
		return REVIEW_ERROR;
	d->proposals = arena_alloc(a, xmul(ne + 1, sizeof(*d->proposals)));
	d->nproposals = ne;
	for (size_t j = 0; j < ne; j++)
		d->proposals[j].e = es[j];
	d->reviewers = arena_alloc(a, xmul(as.nreviewers + 1, sizeof(*d->reviewers)));
	for (size_t i = 0; i < as.nreviewers; i++) {
		if (!assigned_any(&as, i))
			continue;
		struct review_reviewer_progress *rp = &d->reviewers[d->nreviewers++];
		rp->user_id = as.reviewers[i].id;
		rp->name = as.reviewers[i].name;
		for (size_t j = 0; j < ne; j++) {
			struct review_proposal_progress *pp = &d->proposals[j];
			if (!assigned_to(&as, i, es[j].category_id))
				continue;
			pp->assigned++;
			if (recused_in(rec, nrec, es[j].proposal_id, rp->user_id)) {
				rp->recused++;
				pp->recused++;
				continue;
			}
			rp->expected++;
			pp->expected++;
			d->expected++;
			const struct sheet_row *sh =
			    sheet_in(sheets, nsheets, es[j].proposal_id, rp->user_id);
			if (sh && sh->submitted) {
				rp->submitted++;
				pp->submitted++;
				d->submitted++;
			} else if (sh) {
				rp->drafts++;
				pp->drafts++;
			}
		}
	}
	return REVIEW_OK;
}

enum review_rc review_stage_close(struct db *db, struct arena *a, int64_t stage_id, int64_t user_id,
				  int64_t now)
{
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage s;
	enum review_rc rc = review_stage_get(db, a, stage_id, &s);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_STATE;
	if (s.closed_at)
		goto fail;
	rc = REVIEW_ERROR;
	/* The last automatic recusals before the stage is frozen. */
	if (review_sync_recusals(db, &s, now) != REVIEW_OK)
		goto fail;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_CLOSE);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, now);
	if (db_exec(st) != DB_OK || db_changes(db) != 1 ||
	    audit(db, user_id, "close", "review_stage", stage_id,
		  arena_printf(a, "%s（%s）を締め切り", s.name, s.call_title)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

/* A submitted sheet's scores, in criteria order, while building a ranking. */
struct scored_sheet {
	int64_t proposal_id, user_id;
	int *scores;
	size_t have; /* criteria with a score */
};

enum review_rc review_ranking(struct db *db, struct arena *a, const struct review_stage *s,
			      const struct review_criterion *crit, size_t ncrit,
			      const struct review_dashboard *d,
			      struct review_category_ranking **out, size_t *n, const char **why)
{
	*out = NULL;
	*n = 0;
	struct score_stage ss;
	if (review_score_stage(a, s, crit, ncrit, &ss, why) != 0)
		return REVIEW_INVALID;
	struct assignment as;
	struct recusal_row *rec;
	size_t nrec;
	if (assignment_load(db, a, s, &as) != REVIEW_OK ||
	    load_recusals(db, a, s->id, &rec, &nrec) != REVIEW_OK)
		return REVIEW_ERROR;

	/* Every submitted sheet with its scores (rows come by proposal, reviewer). */
	struct scored_sheet *sheets = NULL;
	size_t nsh = 0, cap = 0;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_SCORES_STAGE);
	db_bind_int(st, 1, s->id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t pid = db_int(st, 0), uid = db_int(st, 1), cid = db_int(st, 2);
		if (!nsh || sheets[nsh - 1].proposal_id != pid || sheets[nsh - 1].user_id != uid) {
			sheets = grow(a, sheets, nsh, &cap, sizeof(*sheets));
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
	if (rc != DB_DONE)
		return REVIEW_ERROR;

	struct review_category_ranking *cats =
	    arena_alloc(a, xmul(d->nproposals + 1, sizeof(*cats)));
	size_t ncat = 0;
	for (size_t j = 0; j < d->nproposals; j++) {
		const struct review_entrant *e = &d->proposals[j].e;
		if (!ncat || cats[ncat - 1].category_id != e->category_id) {
			cats[ncat].category_id = e->category_id;
			cats[ncat].name = e->category_name;
			cats[ncat].rows =
			    arena_alloc(a, xmul(d->nproposals + 1, sizeof(struct review_ranked)));
			cats[ncat].n = 0;
			ncat++;
		}
	}
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
				if (!assigned_to(&as, i, e->category_id))
					continue;
				if (recused_in(rec, nrec, e->proposal_id, uid)) {
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
			if (score_compute(&ss, &in, &r->result, why) != 0)
				return REVIEW_INVALID;
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
	return REVIEW_OK;
}

enum review_rc review_decide(struct db *db, struct arena *a, const struct review_stage *s,
			     int64_t proposal_id, const char *decision, const char *reason,
			     int64_t user_id, int64_t now, const char **why)
{
	if (!is_key(review_decision_keys, decision)) {
		*why = "判定を選んでください";
		return REVIEW_INVALID;
	}
	if (!reason)
		reason = "";
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage cur;
	struct review_dashboard d;
	enum review_rc rc = review_stage_get(db, a, s->id, &cur);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_STATE;
	if (!cur.closed_at) {
		*why = "審査段階を締め切ってから判定してください。";
		goto fail;
	}
	rc = review_dashboard(db, a, &cur, now, &d);
	if (rc != REVIEW_OK)
		goto fail;
	const struct review_proposal_progress *p = NULL;
	for (size_t j = 0; j < d.nproposals; j++)
		if (d.proposals[j].e.proposal_id == proposal_id)
			p = &d.proposals[j];
	rc = REVIEW_NOT_FOUND;
	if (!p) {
		*why = "この提案はこの審査段階の対象ではありません。";
		goto fail;
	}
	rc = REVIEW_INVALID;
	if (p->submitted < p->expected && !*reason) {
		*why = "未提出の審査があるため、理由を入力してください";
		goto fail;
	}
	rc = REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_DECISION_SET);
	db_bind_int(st, 1, cur.id);
	db_bind_int(st, 2, proposal_id);
	db_bind_str(st, 3, decision);
	db_bind_str(st, 4, reason);
	db_bind_int(st, 5, user_id);
	db_bind_int(st, 6, now);
	if (db_exec(st) != DB_OK ||
	    audit(db, user_id, "decide", "proposal", proposal_id,
		  arena_printf(a, "%s %s：%s（提出 %zu/%zu）%s%s", cur.name, p->e.receipt_no,
			       review_label(review_decision_keys, review_decision_labels, decision),
			       p->submitted, p->expected, *reason ? " 理由：" : "", reason)) !=
		DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

/* ---- presentations ---- */

enum review_rc review_presentations(struct db *db, struct arena *a, int64_t stage_id,
				    struct review_presentation **out, size_t *n)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_PRESENTATIONS);
	db_bind_int(st, 1, stage_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, *n, &cap, sizeof(**out));
		struct review_presentation *p = &(*out)[(*n)++];
		p->id = db_int(st, 0);
		p->stage_id = db_int(st, 1);
		p->proposal_id = db_int(st, 2);
		p->position = db_int(st, 3);
		p->starts_at = db_int(st, 4);
		p->duration_min = db_int(st, 5);
		p->venue = col(a, st, 6);
		p->video_url = col(a, st, 7);
		p->title = col(a, st, 8);
		p->group_name = col(a, st, 9);
		p->category_name = col(a, st, 10);
		p->receipt_no = col(a, st, 11);
		p->group_id = db_int(st, 12);
	}
	return rc == DB_DONE ? REVIEW_OK : REVIEW_ERROR;
}

const struct field_spec review_presentation_fields[RPF__MAX] = {
    [RPF_POSITION] = {"position", "発表順", F_INT, true, 5, 1, 999, NULL},
    [RPF_STARTS_AT] = {"starts_at", "開始時刻", F_DATETIME, true, 20, 0, 0, NULL},
    [RPF_DURATION] = {"duration_min", "持ち時間（分）", F_INT, true, 5, 1, 600, NULL},
    [RPF_VENUE] = {"venue", "会場", F_LINE, false, 100, 0, 0, NULL},
    [RPF_VIDEO_URL] = {"video_url", "発表動画のURL", F_URL, false, 500, 0, 0, NULL},
};

/* Notify every member of group_id (after the statement has finished). */
static int notify_members(struct db *db, struct arena *a, int64_t group_id, const char *kind,
			  const char *subject, const char *body, const char *link)
{
	struct db_stmt *st = db_stmt(db, STMT_GROUP_MEMBERS);
	db_bind_int(st, 1, group_id);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		ids = grow(a, ids, n, &cap, sizeof(*ids));
		ids[n++] = db_int(st, 0);
	}
	if (rc != DB_DONE)
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

enum review_rc review_presentation_save(struct db *db, struct arena *a,
					const struct review_stage *s,
					const struct review_presentation *p, int64_t user_id,
					const char **why)
{
	if ((!p->venue || !*p->venue) && (!p->video_url || !*p->video_url)) {
		*why = "会場または発表動画のURLを入力してください";
		return REVIEW_INVALID;
	}
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct review_stage cur;
	struct review_entrant *es;
	size_t ne;
	enum review_rc rc = review_stage_get(db, a, s->id, &cur);
	if (rc != REVIEW_OK)
		goto fail;
	rc = REVIEW_STATE;
	if (strcmp(cur.kind, "presentation") != 0) {
		*why = "発表の日程はプレゼンテーション審査の段階にだけ設定できます。";
		goto fail;
	}
	rc = REVIEW_ERROR;
	if (review_entrants(db, a, &cur, &es, &ne) != REVIEW_OK)
		goto fail;
	const struct review_entrant *e = find_entrant(es, ne, p->proposal_id);
	rc = REVIEW_NOT_FOUND;
	if (!e) {
		*why = "この提案はこの審査段階の対象ではありません。";
		goto fail;
	}
	rc = REVIEW_ERROR;
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
	const char *where = p->venue && *p->venue ? arena_printf(a, "会場：%s", p->venue)
						  : arena_printf(a, "発表動画：%s", p->video_url);
	const char *body = arena_printf(
	    a,
	    "企画提案「%s」（受付番号 %s）の%sの発表日時をお知らせします。\n\n"
	    "発表順：%lld番目\n開始：%s\n持ち時間：%lld分\n%s\n\n"
	    "日程は変わることがあります。最新の日程は発表日程のページでご確認ください。",
	    e->title, e->receipt_no, cur.name, (long long)p->position, jst_text(a, p->starts_at),
	    (long long)p->duration_min, where);
	if (notify_members(db, a, e->group_id, "presentation",
			   arena_printf(a, "%sの発表日時（受付番号 %s）", cur.name, e->receipt_no),
			   body,
			   arena_printf(a, "/challenge/calls/%lld/presentations",
					(long long)cur.call_id)) != DB_OK)
		goto fail;
	if (audit(db, user_id, "presentation", "review_stage", cur.id,
		  arena_printf(a, "%s %s：%lld番目 %s %lld分 %s", cur.name, e->receipt_no,
			       (long long)p->position, jst_text(a, p->starts_at),
			       (long long)p->duration_min, where)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return rc;
}

enum review_rc review_presentation_delete(struct db *db, struct arena *a, int64_t stage_id,
					  int64_t proposal_id, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_PRESENTATION_DELETE);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, proposal_id);
	if (db_exec(st) != DB_OK)
		goto fail;
	if (db_changes(db) != 1) {
		db_rollback(db);
		return REVIEW_NOT_FOUND;
	}
	if (audit(db, user_id, "presentation_delete", "review_stage", stage_id,
		  arena_printf(a, "提案 %lld の発表日程を削除", (long long)proposal_id)) != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return REVIEW_ERROR;
}

enum review_rc review_set_public(struct db *db, int64_t stage_id, bool on, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return REVIEW_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_STAGE_PUBLIC);
	db_bind_int(st, 1, stage_id);
	db_bind_int(st, 2, on);
	if (db_exec(st) != DB_OK)
		goto fail;
	if (db_changes(db) != 1) {
		db_rollback(db);
		return REVIEW_NOT_FOUND;
	}
	if (audit(db, user_id, on ? "publish" : "unpublish", "review_stage", stage_id,
		  on ? "発表日程を一般に公開" : "発表日程の一般公開をやめる") != DB_OK ||
	    db_commit(db) != DB_OK)
		goto fail;
	return REVIEW_OK;
fail:
	db_rollback(db);
	return REVIEW_ERROR;
}

bool review_is_applicant(struct db *db, int64_t proposal_id, int64_t user_id)
{
	struct db_stmt *st = db_stmt(db, STMT_REVIEW_IS_APPLICANT);
	db_bind_int(st, 1, proposal_id);
	db_bind_int(st, 2, user_id);
	if (db_step(st) != DB_ROW)
		return false;
	db_reset(st);
	return true;
}

/* ---- the contract with adoption ---- */

bool review_may_adopt(struct db *db, struct arena *a, int64_t proposal_id, const char **why)
{
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_STATE);
	db_bind_int(st, 1, proposal_id);
	if (db_step(st) != DB_ROW) {
		*why = "企画提案書が見つかりません";
		return false;
	}
	const char *status = db_text(st, 0);
	bool submitted = !db_isnull(st, 2) && status && strcmp(status, "draft") != 0 &&
			 strcmp(status, "withdrawn") != 0;
	db_reset(st);
	if (!submitted) {
		*why = "提出されていない提案は採択できません";
		return false;
	}
	struct row {
		const char *name, *decision;
		int64_t closed_at;
	} *rows = NULL;
	size_t n = 0, cap = 0;
	st = db_stmt(db, STMT_REVIEW_DECISIONS_OF_PROPOSAL);
	db_bind_int(st, 1, proposal_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		rows = grow(a, rows, n, &cap, sizeof(*rows));
		rows[n].name = col(a, st, 1);
		rows[n].closed_at = db_int(st, 2);
		rows[n].decision = col(a, st, 3);
		n++;
	}
	if (rc != DB_DONE) {
		*why = "審査の状況を読み込めませんでした";
		return false;
	}
	if (!n) {
		*why = "この募集には審査段階が設定されていません";
		return false;
	}
	for (size_t i = 0; i + 1 < n; i++)
		if (strcmp(rows[i].decision, "pass") != 0) {
			*why =
			    arena_printf(a, "%sを通過していない提案は採択できません", rows[i].name);
			return false;
		}
	if (!rows[n - 1].closed_at) {
		*why = arena_printf(a, "%sが締め切られていないため、まだ採択を決められません",
				    rows[n - 1].name);
		return false;
	}
	return true;
}
