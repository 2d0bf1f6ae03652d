/*
 * proposal: 企画提案書, the application a citizen group sends to a call.
 *
 * A member of a group starts a draft for one call and category on behalf of
 * that group (the lead group); in a category with min_groups >= 2 (団体連携
 * 部門) partner groups are named and a member of each partner group
 * confirms.  The draft is saved as often as people like, even incomplete;
 * what is stored is always well-formed (every budget line consistent, every
 * schedule row whole), and only completeness is left for submission.
 *
 * Submission checks everything and reports every problem at once: required
 * fields, the budget (requested amount more than 0 and at most the cap), the
 * category open now (to the second), the consultations the category
 * requires, the member minimum and the partners' confirmations.  It then,
 * in one write transaction, re-reads the status, gives the proposal the
 * next receipt number of its category (R7-一般-003), marks it submitted,
 * writes the audit entry and queues the receipt notification.  Writers are
 * serialised by the transaction, so two submits of the same draft yield one
 * submission: the second finds it submitted (RC_STATE).
 *
 * Statuses: draft → submitted → withdrawn (by the applicants, before the
 * deadline) or reopened (by the office, with a reason: editable again, and
 * resubmitted with the same receipt number even after the deadline).
 * Submitted proposals are read-only to applicants.  Every transition is
 * audited (entity "proposal") inside its transaction: when the audit entry
 * cannot be written, nothing is changed (RC_ERROR).
 *
 * Results are core/rc.h codes; what a user should read is given as message
 * keys of the catalogue (proposals.*, budget.*) with their arguments, never
 * as words.  Labels of fields and statuses are message keys too.  The
 * texts this module stores (notifications, audit summaries) are taken from
 * the catalogue in the calling thread's language.
 *
 * Fields are declared once (proposal_fields) and shared by the HTML form and
 * the JSON API.  Schedule rows and budget lines are fixed numbers of flat
 * keys (sched_when_1, income_item_1, income_price_1, income_qty_1,
 * income_amount_1 ...), because the API's JSON is converted to the same
 * key/value pairs as a form.
 */
#ifndef KYODO_PROPOSAL_H
#define KYODO_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "challenge/budget.h"
#include "core/access.h"
#include "core/rc.h"
#include "core/who.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/form.h"

#define PROPOSAL_SCHED_ROWS	8
#define PROPOSAL_PARTNER_SLOTS	4
#define PROPOSAL_SUMMARY_MAX	200
#define PROPOSAL_MAX_FILES	10
#define PROPOSAL_FILE_MAX_BYTES ((size_t)10 << 20) /* 10 MB per attachment */

enum proposal_status {
	PROPOSAL_DRAFT,
	PROPOSAL_SUBMITTED,
	PROPOSAL_WITHDRAWN,
	PROPOSAL_REOPENED,
	PROPOSAL_STATUS__MAX
};
/* "draft", "submitted", ... as stored; NULL-terminated (an F_CHOICE list). */
extern const char *const proposal_status_keys[PROPOSAL_STATUS__MAX + 1];
/* The message key of a status's label (proposals.status.draft: 下書き,
 * 提出済み, 取り下げ, 差し戻し（修正中）), or NULL for a status this module
 * does not know (added by later stages), which is shown as it is. */
const char *proposal_status_label_key(const char *key);
/* Applicants may edit in these statuses (draft, reopened). */
bool proposal_status_editable(const char *key);

/* The form and API fields.  Rows are flat keys; see the macros below. */
enum proposal_field {
	PRF_TITLE,
	PRF_SUMMARY,
	PRF_BACKGROUND,
	PRF_PURPOSE,
	PRF_CONTENT,
	PRF_ROLES_GROUP,
	PRF_ROLES_CITY,
	PRF_EFFECT,
	PRF_DIVISION,
	PRF_PREVIOUS,
	PRF_PARTNER, /* partner_1 .. partner_N: a group's name or number */
	PRF_ATTACHMENT = PRF_PARTNER + PROPOSAL_PARTNER_SLOTS, /* the file input's name */
	PRF_ATTACHMENT_TITLE,
	PRF_REMOVE_FILE, /* ids of attachments to remove */
	PRF_ACTION,	 /* save / submit */
	PRF_SCHED,	 /* sched_when_1, sched_what_1, sched_when_2 ... */
	PRF_INCOME = PRF_SCHED + 2 * PROPOSAL_SCHED_ROWS, /* item, price, qty, amount per line */
	PRF_EXPENSE = PRF_INCOME + 4 * BUDGET_ROWS,
	PRF__MAX = PRF_EXPENSE + 4 * BUDGET_ROWS
};
/* Row i (0-based) of the schedule; line i of a budget kind, column c. */
#define PRF_SCHED_WHEN(i) (PRF_SCHED + 2 * (i))
#define PRF_SCHED_WHAT(i) (PRF_SCHED + 2 * (i) + 1)
enum budget_col { BCOL_ITEM, BCOL_PRICE, BCOL_QTY, BCOL_AMOUNT };
#define PRF_BUDGET(kind, i, col)                                                                   \
	(((kind) == BUDGET_INCOME ? PRF_INCOME : PRF_EXPENSE) + 4 * (i) + (col))

extern const struct field_spec proposal_fields[PRF__MAX];

/* Keys that start a proposal (the new-proposal form, the API's POST). */
enum proposal_new_field { PNF_CALL, PNF_CATEGORY, PNF_GROUP, PNF__MAX };
extern const struct field_spec proposal_new_fields[PNF__MAX];

/* Query keys of the office list and its exports. */
enum proposal_query_field { PQ_CALL, PQ_CATEGORY, PQ_STATUS, PQ_DIVISION, PQ_PAGE, PQ__MAX };
extern const struct field_spec proposal_query_fields[PQ__MAX];

struct proposal_partner {
	int64_t group_id;
	const char *group_name;
	int64_t confirmed_at; /* 0 while not confirmed */
	int64_t confirmed_by;
	const char *confirmed_by_name; /* "" while not confirmed */
};

struct proposal_sched {
	int position; /* 1-based */
	const char *when, *what;
};

struct proposal_file {
	int64_t id; /* proposal_files row */
	int64_t file_id;
	const char *title, *name, *mime;
	int64_t size;
};

struct proposal {
	int64_t id, call_id, category_id, group_id, created_by;
	const char *status;
	int64_t receipt_seq;	/* 0 before the first submission */
	const char *receipt_no; /* "" before the first submission */
	const char *title, *summary, *background, *purpose, *content;
	const char *roles_group, *roles_city, *effect;
	int64_t division_id, previous_id; /* 0 when none */
	const char *reopen_reason;
	int64_t submitted_at, created_at, updated_at; /* submitted_at 0 when never */
	/* joined for display */
	const char *group_name, *call_title, *category_name, *category_short;
	const char *division_name, *previous_title, *previous_receipt_no, *created_by_name;
	int64_t fiscal_year;
	/* children, in form order */
	struct proposal_partner *partners;
	size_t npartners;
	struct proposal_sched *schedule;
	size_t nschedule;
	struct budget_line *budget; /* income lines first, each kind by position */
	size_t nbudget;
	struct budget_totals totals;
	struct proposal_file *files;
	size_t nfiles;
};

/* One row of a list. */
struct proposal_summary {
	int64_t id, call_id, category_id, group_id, division_id;
	const char *status, *receipt_no, *title, *summary;
	int64_t submitted_at, updated_at;
	const char *group_name, *call_title, *category_name, *category_short, *division_name;
	int64_t fiscal_year;
	int64_t requested; /* expenses - income */
};

/* A validated form, ready to store. */
struct proposal_draft {
	const char *title, *summary, *background, *purpose, *content;
	const char *roles_group, *roles_city, *effect;
	int64_t division_id, previous_id;
	int64_t partners[PROPOSAL_PARTNER_SLOTS];
	size_t npartners;
	struct proposal_sched schedule[PROPOSAL_SCHED_ROWS];
	size_t nschedule;
	struct budget_line budget[2 * BUDGET_ROWS];
	size_t nbudget;
	const int64_t *remove_files; /* proposal_files ids */
	size_t nremove;
	const int64_t *new_files; /* files ids stored by the caller (file_store) */
	size_t nnew;
	const char *new_files_title;
	bool submit; /* action=submit */
};

/*
 * A problem found at submission (or a reason for a refusal), as data.
 * field is a proposal_fields name, or one of "schedule", "budget",
 * "partners", "consultation", "category", "group", "attachment" for
 * problems of a whole part.  key is a message key (proposals.*, budget.*)
 * and args the texts of its {1}.. (NULL-terminated): the pages show it
 * with msg_format(a, key, args).
 */
struct proposal_problem {
	const char *field;
	const char *key;
	const char *args[5];
};

/*
 * Results are enum rc (core/rc.h): RC_OK; RC_ERROR (storage); RC_NOT_FOUND
 * (no such proposal / call / category / group); RC_INVALID (problems: see
 * the list or *why); RC_STATE (not in a status that allows this, e.g.
 * already submitted); RC_FORBIDDEN (the user may not do this); RC_CLOSED
 * (the category's deadline has passed).
 */
/* Transitional: callers outside this module still compare with it. */
#define PROPOSAL_OK RC_OK

/* The message key that tells a user about rc for a proposal
 * (proposals.rc.state: この企画提案書はすでに提出済みか...). */
const char *proposal_rc_key(enum rc rc);

/*
 * The one rule of who may do what with proposal id (core/access.h; the
 * ACCESS_PROPOSAL entry of web/features.c):
 *   ACCESS_VIEW   staff; members of the lead group or of a partner group;
 *                 a division user once it is adopted with their division
 *                 as partner (challenge/adoption.h)
 *   ACCESS_EDIT   members of the lead group (edit, submit, withdraw); the
 *                 status may still forbid it (proposal_status_editable)
 *   ACCESS_MANAGE the city office (reopen)
 * False for NULL w and for a proposal that does not exist.
 */
bool proposal_access(struct db *db, const struct who *w, int64_t id, enum access_act act);

/*
 * The receipt number for the seq-th submission of a category with
 * short_name in a call of fiscal year fy: R7-一般-003 (era initial and
 * era year of the fiscal year, as in 令和7年度; seq zero-padded to 3
 * digits, wider when needed).  NULL for a year before 明治.
 */
const char *proposal_receipt_no(struct arena *a, int64_t fiscal_year, const char *short_name,
				int64_t seq);

/*
 * Start a draft for call_id / category_id on behalf of group_id.  The user
 * must be a member of the group (RC_FORBIDDEN), the call published, the
 * category part of it and not past its deadline (RC_CLOSED), and the group
 * must meet the category's member minimum (RC_INVALID with *why).
 * Audited.  *id gets the new proposal.
 */
enum rc proposal_create(struct db *db, struct arena *a, int64_t call_id, int64_t category_id,
			int64_t group_id, int64_t user_id, int64_t now, int64_t *id,
			struct proposal_problem *why);

/* Load a proposal with its partners, schedule, budget, totals and files. */
enum rc proposal_get(struct db *db, struct arena *a, int64_t id, struct proposal *p);

/* True when user_id is a member of the lead group (may edit, submit,
 * withdraw). */
bool proposal_is_applicant(struct db *db, const struct proposal *p, int64_t user_id);
/* The proposals file_id (files/files.h) is attached to (arena); the
 * count. */
size_t proposal_file_owners(struct db *db, struct arena *a, int64_t file_id, int64_t **out);
/* The partner groups of p that user_id belongs to (arena); the count. */
size_t proposal_partner_groups_of(struct db *db, struct arena *a, const struct proposal *p,
				  int64_t user_id, int64_t **out);

/*
 * The values to show in the form for p: one string per proposal_fields
 * entry ("" when empty), amounts included.
 */
void proposal_form_values(struct arena *a, const struct proposal *p, const char **values);

/*
 * Fill d from a form validated against proposal_fields, for proposal p.
 * Row-level and database checks (a budget line's arithmetic, a schedule row
 * with only one half, an unknown partner group or division, a continuation
 * that is not the group's) add errors to f (form_error: a message key, or
 * the catalogue's words for a key with arguments).  Returns the number of
 * errors.
 */
int proposal_from_form(struct db *db, struct arena *a, struct form *f, const struct proposal *p,
		       struct proposal_draft *d);

/*
 * Save d into p (status draft or reopened, else RC_STATE) in one
 * transaction: the fields, the schedule, the budget, the partners (newly
 * named partners' members are notified), the attachments (at most
 * PROPOSAL_MAX_FILES: RC_INVALID with *why the key
 * proposals.err.too_many_files: see proposal_too_many_files()), and the audit
 * entry.
 */
enum rc proposal_save(struct db *db, struct arena *a, const struct proposal *p,
		      const struct proposal_draft *d, int64_t user_id, int64_t now,
		      const char **why);

/* The problem of a refused save or submit whose *why is
 * proposals.err.too_many_files, with its arguments (the limit, and the
 * attachments p keeps after d's removals). */
struct proposal_problem proposal_too_many_files(struct arena *a, const struct proposal *p,
						const struct proposal_draft *d);

/*
 * Every reason p cannot be submitted at now (empty list: it can).  p is a
 * loaded proposal.  *out is in the arena; returns the count.
 */
size_t proposal_check(struct db *db, struct arena *a, const struct proposal *p, int64_t now,
		      struct proposal_problem **out);

/*
 * proposal_check() for p as it would be with d applied (nothing is
 * stored): how a refused form reports the submission problems along with
 * its field errors, so that every problem is listed at once.
 */
size_t proposal_check_draft(struct db *db, struct arena *a, const struct proposal *p,
			    const struct proposal_draft *d, int64_t now,
			    struct proposal_problem **out);

/*
 * Save d (may be NULL) and submit, all in one transaction: nothing is kept
 * unless the submission succeeds.  RC_STATE when p is no longer editable
 * (e.g. a concurrent submit won); RC_INVALID with the problems in
 * *problems / *nproblems.  On success *receipt_no is the receipt number
 * (kept from the first submission when resubmitting a reopened proposal)
 * and the lead group's members are notified.
 */
enum rc proposal_submit(struct db *db, struct arena *a, const struct proposal *p,
			const struct proposal_draft *d, int64_t user_id, int64_t now,
			struct proposal_problem **problems, size_t *nproblems,
			const char **receipt_no);

/* Withdraw a submitted (or reopened) proposal up to its category's
 * deadline (RC_CLOSED after it).  Audited. */
enum rc proposal_withdraw(struct db *db, struct arena *a, int64_t id, int64_t user_id, int64_t now);

/* Reopen a submitted proposal for correction, with a reason; the lead
 * group's members are notified.  Audited. */
enum rc proposal_reopen(struct db *db, struct arena *a, int64_t id, const char *reason,
			int64_t user_id, int64_t now);

/* user_id confirms, for partner group group_id, taking part in proposal id
 * (must be a member of that group: RC_FORBIDDEN).  Audited. */
enum rc proposal_confirm(struct db *db, struct arena *a, int64_t id, int64_t group_id,
			 int64_t user_id, int64_t now);

/* The consultations the category requires that the group has not had yet
 * for the call.  Both false when none are missing (or none required). */
void proposal_missing_consultations(struct db *db, const struct proposal *p,
				    bool *coordinator_missing, bool *division_missing);

/* ---- lists ---- */

struct proposal_query {
	int64_t call_id, category_id, division_id; /* 0 for any */
	const char *status;			   /* NULL for any */
	int64_t page, per_page;			   /* page from 1 */
};

/* Fill q from a form validated against proposal_query_fields. */
void proposal_query_from_form(const struct form *f, int64_t per_page, struct proposal_query *q);

/* The office's list: every proposal matching q, by call, category and
 * receipt number; *total counts all matches. */
enum rc proposal_list(struct db *db, struct arena *a, const struct proposal_query *q,
		      struct proposal_summary **items, size_t *n, int64_t *total);

/* The proposals of the groups user_id belongs to (as lead or partner),
 * latest change first, at most max. */
enum rc proposal_list_mine(struct db *db, struct arena *a, int64_t user_id, size_t max,
			   struct proposal_summary **items, size_t *n);

struct proposal_count {
	int64_t category_id;
	const char *category_name;
	int64_t total, draft, submitted, withdrawn, reopened;
};

/* Counts per category of call_id (division_id 0 for every division). */
enum rc proposal_counts(struct db *db, struct arena *a, int64_t call_id, int64_t division_id,
			struct proposal_count **out, size_t *n);

/* A proposal a new one may continue. */
struct proposal_ref {
	int64_t id;
	const char *title, *receipt_no;
	int64_t fiscal_year;
};

/* The group's submitted (not withdrawn) proposals of fiscal years before
 * fiscal_year, other than except_id: the continuation choices. */
size_t proposal_previous_choices(struct db *db, struct arena *a, int64_t group_id,
				 int64_t except_id, int64_t fiscal_year, struct proposal_ref **out);

#endif
