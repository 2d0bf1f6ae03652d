/*
 * review: two-stage screening (1次審査・2次審査) — stages and criteria per
 * call, reviewer assignment, conflicts of interest, score sheets, the
 * aggregate per proposal, rankings and the office's decisions.
 *
 * This header starts with the functions other modules rely on; the
 * screening module adds the rest below.
 */
#ifndef KYODO_REVIEW_H
#define KYODO_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "challenge/score.h"
#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/form.h"

/*
 * Why the screening refused something, for the user to read: a message key
 * (messages/ja.screening.msg: review.why.*, score.why.*) and the texts of
 * its {1}.. (args, NULL-terminated).  The pages show it with
 * review_why_text().  key stays NULL when nothing is more precise than the
 * result code (review_rc_key()).  Every function below that takes a
 * struct review_why * accepts NULL.
 */
struct review_why {
	const char *key;
	const char *args[4];
};

/* The words of w (msg_format of its key and arguments), or NULL when w
 * has no key. */
const char *review_why_text(struct arena *a, const struct review_why *w);

/*
 * May proposal_id be adopted or not adopted (採択/不採択)?  True when its
 * call has review stages, the proposal passed every stage before the last
 * (decision "pass"), and the last stage is closed.  Otherwise false, with
 * *why the reason (e.g. review.why.not_passed: 「1次審査を通過していない提案は
 * 採択できません」).
 */
bool review_adoptable(struct db *db, struct arena *a, int64_t proposal_id, struct review_why *why);
/* transitional, for challenge/adoption*.c until they take a struct
 * review_why: review_adoptable() with *why the reason in words (its
 * review_why_text()), not a key. */
bool review_may_adopt(struct db *db, struct arena *a, int64_t proposal_id, const char **why);

/* ---- the screening module ----
 *
 * Stages.  A call has review stages in order (position): by default two,
 * 1次審査（書類） and 2次審査（公開プレゼンテーション）, made by
 * review_setup_defaults().  Each stage says which proposals enter it (all
 * submitted ones, or those whose decision in the previous stage is "pass"),
 * its criteria (name, description, maximum, weight), its scale, how scores
 * are aggregated (challenge/score.h) and its scoring window.  The
 * settings and the criteria may change until the first score sheet of the
 * stage exists (RC_STATE with review.why.locked afterwards): every sheet
 * must be read against the rules it was written under.  The window may
 * move until the office closes the stage.
 *
 * Reviewers.  A stage is assigned to every user with the reviewer role
 * (assignment "all") or to chosen reviewers, each for one category or for
 * all of them ("chosen").  A reviewer who is a member of a proposal's lead
 * or partner group is recused automatically (a recusals row with
 * automatic = 1, stored whenever a queue, a dashboard or a score is
 * computed); any reviewer may declare a conflict with a reason.  The
 * sheets a stage expects are (assigned reviewer × entering proposal) minus
 * recusals.
 *
 * Score sheets.  One per reviewer, proposal and stage: a score per
 * criterion and a comment, saved as a draft or submitted, changeable while
 * the stage is in its window and not closed.  Only submitted sheets of
 * reviewers still assigned and not recused are counted.  Reviewers read
 * their own sheets only; nothing here returns another reviewer's sheet to
 * a reviewer.  After the stage closes, an admin may correct a sheet with a
 * reason.
 *
 * The office closes a stage (closed_at), reads the ranking per category
 * and decides per proposal: pass, fail or retry (再審査: the proposal does
 * not go on, and the office may decide again later).  Deciding while some
 * expected sheet is not submitted needs a reason.
 *
 * Every change is audited inside its transaction: entity "review_stage"
 * (set-up, settings, criteria, window, assignment, presentations, close),
 * "score_sheet" (every score change and correction) and "proposal"
 * (decisions and declared conflicts).  When the audit entry cannot be
 * written nothing changes (RC_ERROR).  Audit summaries and notifications
 * are taken from the catalogue (review.audit.*, review.notify.*) in the
 * calling thread's language; nothing here holds words.
 *
 * Results are core/rc.h codes:
 *   RC_ERROR     storage failure
 *   RC_NOT_FOUND no such stage / criterion / proposal in the stage
 *   RC_INVALID   bad input: *why
 *   RC_FORBIDDEN not assigned to the proposal, or recused from it
 *   RC_CLOSED    outside the scoring window, or the stage is closed
 *   RC_STATE     not now: scoring has started, so settings and criteria
 *                are fixed (review.why.locked), or e.g. deciding before
 *                the stage is closed
 */

/* The screening's own message key for rc (review.rc.*: 「お探しの審査は見つ
 * かりませんでした。」...), for when no *why is more precise. */
const char *review_rc_key(enum rc rc);

#define REVIEW_MAX_STAGES    6
#define REVIEW_COMMENT_MAX   2000
#define REVIEW_REASON_MAX    1000
#define REVIEW_MAX_ASSIGNEES 1000
#define REVIEW_MAX_PROPOSALS 2000

/* Stored values and the message keys of their labels, in parallel; each
 * array is NULL-terminated (keys[] are F_CHOICE lists). */
extern const char *const review_kind_keys[];	    /* document, presentation */
extern const char *const review_kind_labels[];	    /* review.kind.*: 書類審査, ... */
extern const char *const review_entry_keys[];	    /* all_submitted, passed_previous */
extern const char *const review_entry_labels[];	    /* review.entry.* */
extern const char *const review_aggregation_keys[]; /* mean, sum */
extern const char *const review_aggregation_labels[];
extern const char *const review_fill_keys[]; /* exclude, mean */
extern const char *const review_fill_labels[];
extern const char *const review_assignment_keys[]; /* all, chosen */
extern const char *const review_assignment_labels[];
extern const char *const review_decision_keys[]; /* pass, fail, retry */
extern const char *const review_decision_labels[];
/* The label's message key of value key in keys[]/labels[], or NULL when
 * the value is unknown. */
const char *review_label(const char *const *keys, const char *const *labels, const char *key);

struct review_stage {
	int64_t id, call_id, position;
	const char *name, *kind, *entry, *aggregation, *recusal_fill, *assignment;
	int64_t scale_min, scale_max, pass_threshold;
	int64_t opens_at, closes_at;
	int64_t closed_at; /* 0 until the office closes the stage */
	bool presentations_public;
	int64_t nsheets; /* score sheets stored (any status): > 0 locks the settings */
	/* joined */
	const char *call_title;
	int64_t fiscal_year;
};

struct review_criterion {
	int64_t id, stage_id, position;
	const char *name, *description;
	int64_t max_score, weight;
};

/* Where a stage stands at now. */
enum review_phase {
	REVIEW_PHASE_BEFORE, /* before opens_at */
	REVIEW_PHASE_OPEN,   /* opens_at <= now <= closes_at, not closed */
	REVIEW_PHASE_ENDED,  /* the window is over; the office has not closed it yet */
	REVIEW_PHASE_CLOSED, /* closed by the office */
};
enum review_phase review_stage_phase(const struct review_stage *s, int64_t now);
/* The message key of its label (review.phase.*: 採点期間前, 採点受付中,
 * 採点期間終了, 締切済み). */
const char *review_phase_key(enum review_phase ph);

/*
 * Does a proposal enter a stage?  entry is the stage's rule; has_previous
 * says whether the stage has an earlier stage; submitted whether the
 * proposal was submitted and not withdrawn; prev_decision its decision in
 * the earlier stage ("" when none).  A first stage admits every submitted
 * proposal whatever its rule; passed_previous admits "pass" only (not
 * "retry": a proposal sent back is re-decided in its own stage first).
 */
bool review_enters(const char *entry, bool has_previous, bool submitted, const char *prev_decision);

/* The score.h view of a stage and its criteria (crit: n entries in the
 * arena).  RC_OK, or RC_INVALID with *why (a score.why.* key) when the
 * settings are out of range. */
enum rc review_score_stage(struct arena *a, const struct review_stage *s,
			   const struct review_criterion *c, size_t n, struct score_stage *out,
			   struct review_why *why);

/* ---- loading stages ---- */

/* The stages of call_id by position. */
enum rc review_stages(struct db *db, struct arena *a, int64_t call_id, struct review_stage **out,
		      size_t *n);
enum rc review_stage_get(struct db *db, struct arena *a, int64_t id, struct review_stage *s);
/* The criteria of stage_id by position. */
enum rc review_criteria(struct db *db, struct arena *a, int64_t stage_id,
			struct review_criterion **out, size_t *n);
/* Every stage not yet closed by the office, of every call, by opens_at. */
enum rc review_stages_unclosed(struct db *db, struct arena *a, struct review_stage **out,
			       size_t *n);

/* ---- setting up (the office; each write audited, in one transaction) ---- */

/*
 * Give call_id the two default stages with the default criteria (公益性,
 * 協働の必要性, 実現可能性, 独自性, 発展性, 費用対効果; each 0–5, weight 1),
 * mean aggregation, threshold 60, recusals excluded.  Windows come from
 * the call's 1次審査 / 2次審査 milestones when set, else two weeks each from
 * now.  The names and criteria are the catalogue's (review.default.*),
 * stored as data the office may change.  RC_NOT_FOUND without the call
 * (review.why.call_not_found); RC_STATE when it already has stages
 * (review.why.has_stages).
 */
enum rc review_setup_defaults(struct db *db, struct arena *a, int64_t call_id, int64_t user_id,
			      int64_t now, struct review_why *why);

/* Append a stage (documents, after the last one, with the default
 * criteria); *id gets it.  RC_INVALID beyond REVIEW_MAX_STAGES. */
enum rc review_stage_add(struct db *db, struct arena *a, int64_t call_id, int64_t user_id,
			 int64_t now, int64_t *id, struct review_why *why);

/* Remove a stage with its criteria, assignment, recusals, presentations
 * and decisions.  RC_STATE (review.why.locked_delete) once it has score sheets. */
enum rc review_stage_remove(struct db *db, struct arena *a, int64_t stage_id, int64_t user_id,
			    struct review_why *why);

/* The settings form. */
enum review_stage_field {
	RSF_NAME,
	RSF_KIND,
	RSF_ENTRY,
	RSF_SCALE_MIN,
	RSF_SCALE_MAX,
	RSF_AGGREGATION,
	RSF_RECUSAL_FILL,
	RSF_PASS_THRESHOLD,
	RSF__MAX
};
extern const struct field_spec review_stage_fields[RSF__MAX];

/* Copy a validated settings form into s; cross-field checks (the scale's
 * minimum below its maximum) add errors to f.  Returns the error count. */
int review_stage_from_form(struct form *f, struct review_stage *s);

/* Store s's settings (name, kind, entry, scale, aggregation, recusal fill,
 * threshold).  RC_STATE (review.why.locked) once scoring started; RC_INVALID with
 * *why when a criterion's maximum no longer fits the scale. */
enum rc review_stage_update(struct db *db, struct arena *a, const struct review_stage *s,
			    int64_t user_id, struct review_why *why);

enum review_window_field { RWF_OPENS_AT, RWF_CLOSES_AT, RWF__MAX };
extern const struct field_spec review_window_fields[RWF__MAX];
/* The scoring window: opens < closes (RC_INVALID), refused once the
 * stage is closed (RC_CLOSED). */
enum rc review_stage_set_window(struct db *db, struct arena *a, int64_t stage_id, int64_t opens_at,
				int64_t closes_at, int64_t user_id, struct review_why *why);

enum review_criterion_field { RCF_NAME, RCF_DESCRIPTION, RCF_MAX_SCORE, RCF_WEIGHT, RCF__MAX };
extern const struct field_spec review_criterion_fields[RCF__MAX];
/* Insert (c->id == 0, appended last) or update a criterion of c->stage_id.
 * RC_STATE (review.why.locked) once scoring started; RC_INVALID with *why when the
 * maximum exceeds the scale or there are SCORE_MAX_CRITERIA already. */
enum rc review_criterion_save(struct db *db, struct arena *a, struct review_criterion *c,
			      int64_t user_id, struct review_why *why);
/* RC_STATE (review.why.locked) once scoring started; RC_INVALID for the last one. */
enum rc review_criterion_delete(struct db *db, struct arena *a, int64_t stage_id, int64_t id,
				int64_t user_id, struct review_why *why);

/* ---- reviewers ---- */

struct review_reviewer {
	int64_t id;
	const char *name;
};
/* Users with the reviewer role (not disabled), by reading. */
enum rc review_reviewers(struct db *db, struct arena *a, struct review_reviewer **out, size_t *n);

/* One row of a chosen assignment: category_id 0 means every category. */
struct review_assignee {
	int64_t user_id, category_id;
};
enum rc review_assignees(struct db *db, struct arena *a, int64_t stage_id,
			 struct review_assignee **out, size_t *n);
/* Set the assignment: "all", or "chosen" with list[0..n) (duplicates are
 * ignored; each user must have the reviewer role: RC_INVALID).
 * RC_CLOSED once the stage is closed. */
enum rc review_assign(struct db *db, struct arena *a, int64_t stage_id, const char *assignment,
		      const struct review_assignee *list, size_t n, int64_t user_id,
		      struct review_why *why);

/* ---- proposals in a stage ---- */

struct review_entrant {
	int64_t proposal_id, category_id, group_id, previous_id;
	const char *receipt_no, *title, *group_name, *category_name, *category_short;
	const char *decision, *decision_reason; /* "" when not decided */
};
/* The proposals that enter stage s, by category and receipt number. */
enum rc review_entrants(struct db *db, struct arena *a, const struct review_stage *s,
			struct review_entrant **out, size_t *n);

/* Store the automatic recusals of stage s (reviewers who are members of a
 * proposal's lead or partner group).  Nothing changes once s is closed. */
enum rc review_sync_recusals(struct db *db, const struct review_stage *s, int64_t now);

/* Is user_id assigned to stage s for category_id? (a reviewer-role user
 * under "all"; listed for that category or for all under "chosen") */
bool review_is_assigned(struct db *db, const struct review_stage *s, int64_t user_id,
			int64_t category_id);

/* One proposal of a reviewer's queue. */
struct review_item {
	struct review_entrant e;
	const char *sheet_status; /* "", "draft", "submitted" */
	bool recused, automatic;
	const char *recusal_reason;
};
struct review_progress {
	size_t total;	  /* proposals to score (not recused) */
	size_t submitted; /* of those, submitted */
	size_t drafts;
	size_t recused;
};
/* The queue of reviewer_id in stage s: the entering proposals of the
 * categories the reviewer is assigned to (automatic recusals stored
 * first).  Empty when the reviewer is not assigned. */
enum rc review_queue(struct db *db, struct arena *a, const struct review_stage *s,
		     int64_t reviewer_id, int64_t now, struct review_item **out, size_t *n,
		     struct review_progress *pg);

/*
 * May reviewer_id read proposal_id as a reviewer?  True when the proposal
 * enters a stage of its call that has opened and the user is assigned to
 * it for the proposal's category (for attachments at /files/{id}).
 */
bool review_can_read(struct db *db, struct arena *a, int64_t proposal_id, int64_t reviewer_id,
		     int64_t now);

/* The group's earlier years, for a continuation: its projects before
 * fiscal_year (adopted = true), or when it has none its earlier submitted
 * proposals. */
struct review_history {
	int64_t fiscal_year;
	const char *title, *category_name, *receipt_no;
	bool adopted;
	int64_t grant_yen; /* 0 when unknown */
};
size_t review_history_of(struct db *db, struct arena *a, int64_t group_id, int64_t fiscal_year,
			 int64_t except_id, struct review_history **out);

/* ---- score sheets ---- */

struct review_sheet {
	int64_t id, stage_id, proposal_id, reviewer_id;
	const char *status; /* draft / submitted */
	const char *comment;
	int64_t updated_at, submitted_at;
	const char *reviewer_name;
	/* per criterion of the stage, in criteria order */
	int64_t *scores;
	bool *has_score;
	size_t n;
};

/* The sheet of reviewer_id on proposal_id in stage s, with its scores laid
 * out along crit[0..ncrit).  RC_NOT_FOUND when there is none. */
enum rc review_sheet_get(struct db *db, struct arena *a, const struct review_stage *s,
			 const struct review_criterion *crit, size_t ncrit, int64_t proposal_id,
			 int64_t reviewer_id, struct review_sheet *sh);
enum rc review_sheet_by_id(struct db *db, struct arena *a, int64_t sheet_id,
			   const struct review_criterion *crit, size_t ncrit,
			   struct review_sheet *sh);
/* Every sheet on proposal_id in stage s (the office's view after close). */
enum rc review_sheets_of(struct db *db, struct arena *a, const struct review_stage *s,
			 const struct review_criterion *crit, size_t ncrit, int64_t proposal_id,
			 struct review_sheet **out, size_t *n);

/*
 * May reviewer_id score proposal_id in stage s at now?  RC_OK, or:
 * RC_NOT_FOUND (the proposal does not enter the stage), RC_FORBIDDEN
 * (not assigned, or recused: *why says which), RC_CLOSED (before or
 * after the window, or closed: *why).  Stores automatic recusals first.
 */
enum rc review_may_score(struct db *db, struct arena *a, const struct review_stage *s,
			 int64_t proposal_id, int64_t reviewer_id, int64_t now,
			 struct review_why *why);

/* What a reviewer sends: scores[i] for criterion i when has[i]. */
struct review_input {
	const int64_t *scores;
	const bool *has;
	size_t n;
	const char *comment;
	bool submit; /* submitted, else a draft */
};

/*
 * Save reviewer_id's sheet on proposal_id: review_may_score() first, then
 * each score within scale_min..min(max_score, scale_max), every score
 * present when submitting (RC_INVALID with *why), all in one
 * transaction with its audit entry.  *sheet_id gets the sheet.
 */
enum rc review_sheet_save(struct db *db, struct arena *a, const struct review_stage *s,
			  const struct review_criterion *crit, size_t ncrit, int64_t proposal_id,
			  int64_t reviewer_id, const struct review_input *in, int64_t now,
			  int64_t *sheet_id, struct review_why *why);

/*
 * An admin's correction of sheet_id after the stage has closed (or its
 * window ended): every score present, and a reason (RC_INVALID).
 * RC_STATE while reviewers may still change it.  Audited with the
 * reason, the old and the new scores.
 */
enum rc review_sheet_correct(struct db *db, struct arena *a, const struct review_stage *s,
			     const struct review_criterion *crit, size_t ncrit, int64_t sheet_id,
			     const struct review_input *in, const char *reason, int64_t admin_id,
			     int64_t now, struct review_why *why);

/* A reviewer declares a conflict of interest on proposal_id (reason
 * required).  Must be assigned (RC_FORBIDDEN); refused once the stage
 * is closed or its window over (RC_CLOSED). */
enum rc review_declare_conflict(struct db *db, struct arena *a, const struct review_stage *s,
				int64_t proposal_id, int64_t reviewer_id, const char *reason,
				int64_t now, struct review_why *why);
/* The recusal of reviewer_id on proposal_id, if any: true with *reason. */
bool review_recusal(struct db *db, struct arena *a, int64_t stage_id, int64_t proposal_id,
		    int64_t reviewer_id, const char **reason, bool *automatic);

/* ---- the office ---- */

struct review_reviewer_progress {
	int64_t user_id;
	const char *name;
	size_t expected, submitted, drafts, recused;
};
struct review_proposal_progress {
	struct review_entrant e;
	size_t assigned, expected, submitted, drafts, recused;
};
struct review_dashboard {
	struct review_reviewer_progress *reviewers; /* assigned to something */
	size_t nreviewers;
	struct review_proposal_progress *proposals;
	size_t nproposals;
	size_t expected, submitted;
};
/* Completion per reviewer and per proposal (automatic recusals stored
 * first while the stage is not closed). */
enum rc review_dashboard(struct db *db, struct arena *a, const struct review_stage *s, int64_t now,
			 struct review_dashboard *d);

/* Close stage_id (closed_at = now).  RC_STATE when already closed
 * (review.why.already_closed). */
enum rc review_stage_close(struct db *db, struct arena *a, int64_t stage_id, int64_t user_id,
			   int64_t now, struct review_why *why);

struct review_ranked {
	struct score_rank r; /* proposal_id, result, rank, tie, disagreement */
	const struct review_proposal_progress *p;
	bool passes; /* total >= the stage's threshold */
};
struct review_category_ranking {
	int64_t category_id;
	const char *name;
	struct review_ranked *rows; /* ranked, highest first */
	size_t n;
};
/*
 * The ranking per category of stage s (challenge/score.h): each entering
 * proposal's submitted sheets from assigned, non-recused reviewers,
 * aggregated under the stage's rules.  d is the stage's dashboard (the
 * rows point into it).  RC_INVALID with *why when the stage's settings
 * are out of score.h's range.
 */
enum rc review_ranking(struct db *db, struct arena *a, const struct review_stage *s,
		       const struct review_criterion *crit, size_t ncrit,
		       const struct review_dashboard *d, struct review_category_ranking **out,
		       size_t *n, struct review_why *why);

/*
 * Decide proposal_id in stage s: decision one of review_decision_keys.
 * The stage must be closed (RC_STATE); the proposal must enter it
 * (RC_NOT_FOUND); when some expected sheet is not submitted the reason
 * is required (RC_INVALID, review.why.decision_reason: 「未提出の審査がある
 * ため、理由を入力してください」).  Replaces an earlier decision.  Audited.
 */
enum rc review_decide(struct db *db, struct arena *a, const struct review_stage *s,
		      int64_t proposal_id, const char *decision, const char *reason,
		      int64_t user_id, int64_t now, struct review_why *why);

/* ---- presentations (stages of kind "presentation") ---- */

struct review_presentation {
	int64_t id, stage_id, proposal_id, position, starts_at, duration_min;
	const char *venue, *video_url;
	/* joined */
	const char *title, *group_name, *category_name, *receipt_no;
	int64_t group_id;
};
enum rc review_presentations(struct db *db, struct arena *a, int64_t stage_id,
			     struct review_presentation **out, size_t *n);

enum review_presentation_field {
	RPF_POSITION,
	RPF_STARTS_AT,
	RPF_DURATION,
	RPF_VENUE,
	RPF_VIDEO_URL,
	RPF__MAX
};
extern const struct field_spec review_presentation_fields[RPF__MAX];

/* Set the slot of p->proposal_id in p->stage_id (a presentation stage the
 * proposal enters: RC_STATE / RC_NOT_FOUND); a venue or a video
 * URL is required (RC_INVALID).  The lead group's members are notified
 * with a link to the schedule.  Audited. */
enum rc review_presentation_save(struct db *db, struct arena *a, const struct review_stage *s,
				 const struct review_presentation *p, int64_t user_id,
				 struct review_why *why);
enum rc review_presentation_delete(struct db *db, struct arena *a, int64_t stage_id,
				   int64_t proposal_id, int64_t user_id, struct review_why *why);
/* Publish (or not) a stage's schedule to the public. */
enum rc review_set_public(struct db *db, int64_t stage_id, bool on, int64_t user_id);

/* Is user_id a member of proposal_id's lead or partner group? */
bool review_is_applicant(struct db *db, int64_t proposal_id, int64_t user_id);

#endif
