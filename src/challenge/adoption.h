/*
 * adoption: 採択 — the office's decision on each proposal that reached the
 * last review stage, the project record an adoption creates, the release
 * of results to applicants, and the public list of adopted projects
 * (採択事業一覧) with each group's history of adoptions.
 *
 * Deciding.  A proposal may be decided (adopted or not) when the screening
 * module says so (review_may_adopt: it passed every stage before the last,
 * and the last stage is closed).  An adoption carries a grant
 * (1 <= grant <= the requested amount, and <= the category's cap), a
 * partner division and a contract date (within the fiscal year, not after
 * the category's implementation end).  Going over the category's
 * expected_adoptions is allowed only with a reason.  The adoption, its
 * project (lead and partner groups, fiscal year, category, division,
 * grant, implementation period = contract date .. implementation end,
 * public summary = the proposal's summary) and the audit entries are
 * written in one transaction.  Deciding again replaces the decision and
 * updates (or removes) the project.  Once the call's results are released,
 * decisions are final (RC_CLOSED).
 *
 * Releasing.  The office releases a call's results once every proposal
 * that may be decided has been: results_released_at is set and every
 * applicant (members of the lead and partner groups) gets a notification.
 * Releasing the reviewers' comments is a separate switch; comments are
 * shown without any reviewer identifier.
 *
 * Public.  Projects appear on public pages only when they come from
 * before kyodo (call_id NULL) or their call's results are released.
 */
#ifndef KYODO_ADOPTION_H
#define KYODO_ADOPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "challenge/call.h"
#include "challenge/proposal.h"
#include "core/rc.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/form.h"

/*
 * Results are enum rc (core/rc.h): RC_NOT_FOUND (no such proposal or call,
 * or nothing decided), RC_INVALID (problems with the input: see the list
 * or *why), RC_STATE (the proposal may not be decided yet: *why), RC_CLOSED
 * (the call's results are released: decisions are final), RC_ERROR.
 */

/* The message key of rc as this module means it (adoption.err.*, rc.*). */
const char *adoption_rc_key(enum rc rc);

/* transitional: the old name of RC_OK, for cli/demo_screening.c; remove
 * once it says RC_OK. */
#define ADOPTION_OK RC_OK

/* A reason to be put in words: a message key and its arguments. */
struct adoption_reason {
	const char *key;
	const char *arg[3]; /* strings; unused ones NULL */
};

/* ---- deciding ---- */

/* "adopt" / "reject", NULL-terminated (an F_CHOICE list), and the message
 * keys of their labels (採択 / 不採択). */
extern const char *const adoption_decision_keys[];
extern const char *const adoption_decision_label_keys[];

enum adoption_field {
	ADF_DECISION,
	ADF_GRANT,
	ADF_DIVISION,
	ADF_CONTRACT_DATE,
	ADF_REASON,
	ADF__MAX
};
extern const struct field_spec adoption_fields[ADF__MAX];

/* The upper bound of any grant, whatever the cap (a sanity limit). */
#define ADOPTION_GRANT_MAX 100000000

struct adoption {
	int64_t proposal_id;
	bool adopted;
	int64_t grant_yen;	   /* 0 when not adopted */
	int64_t division_id;	   /* 0 when none */
	const char *division_name; /* "" when none */
	const char *contract_date; /* ISO date, "" when none */
	const char *reason;	   /* "" when none */
	int64_t decided_by, decided_at;
};

/* The decision on proposal_id: RC_NOT_FOUND while undecided. */
enum rc adoption_get(struct db *db, struct arena *a, int64_t proposal_id, struct adoption *out);

/* Copy a form validated against adoption_fields into out (proposal_id is
 * the caller's). */
void adoption_from_form(const struct form *f, struct adoption *out);

/* A problem with a decision, against one field of adoption_fields. */
struct adoption_problem {
	enum adoption_field field;
	struct adoption_reason why;
};

/* How many proposals of category_id are adopted, other than except_id. */
int64_t adoption_count(struct db *db, int64_t category_id, int64_t except_id);

/*
 * Decide in->proposal_id at now, by user_id.  RC_STATE with *why (a
 * message key, or the screening module's reason) when it may not be
 * decided; RC_CLOSED once the results are out; RC_INVALID with every
 * problem of the input in *problems (arena) — among them the warning that
 * the category's expected number of adoptions would be exceeded, on the
 * reason field, when no reason is given.  On success the adoption, its
 * project and the audit entries are stored in one transaction.
 */
enum rc adoption_decide(struct db *db, struct arena *a, const struct adoption *in, int64_t user_id,
			int64_t now, struct adoption_problem **problems, size_t *nproblems,
			const char **why);

/*
 * Store a decision for p (category k) without checking it: the adoption
 * row, the project (created, updated, or removed when not adopted) with
 * its groups, and audit entries by user_id.  Runs inside the caller's
 * transaction.  adoption_decide() calls it after its checks; the demo
 * loader calls it for history it builds itself.
 */
enum rc adoption_store(struct db *db, struct arena *a, const struct proposal *p,
		       const struct category *k, const struct adoption *in, int64_t user_id,
		       int64_t now);

/* ---- a call's proposals, for the office and the letters ---- */

struct adoption_row {
	int64_t proposal_id, group_id, category_id;
	const char *receipt_no, *title, *summary;
	const char *group_name, *rep_title, *rep_name; /* "" when unknown */
	const char *category_name, *implementation_end;
	int64_t expected_adoptions, cap_yen, requested;
	int64_t desired_division_id; /* the proposal's wish, 0 when none */
	/* the decision */
	bool decided, adopted;
	int64_t grant_yen, division_id;
	const char *division_name, *contract_date;
	int64_t decided_at;
	/* with_review only: may it be decided, and if not why (see above) */
	bool may_decide;
	const char *why;
};

/*
 * The proposals of call_id that were submitted and not withdrawn, by
 * category and receipt number (only proposal_id when it is not 0).  With
 * with_review, may_decide and why come from review_may_adopt() (why: a
 * message key or, transitionally, the screening module's words).
 */
enum rc adoption_rows(struct db *db, struct arena *a, int64_t call_id, int64_t proposal_id,
		      bool with_review, struct adoption_row **out, size_t *n);

/* ---- results ---- */

struct call_results {
	int64_t released_at; /* 0 while not released */
	bool comments_released;
};

/* RC_NOT_FOUND when there is no such call. */
enum rc adoption_results(struct db *db, int64_t call_id, struct call_results *out);
/* True when call_id's results are released. */
bool adoption_results_released(struct db *db, int64_t call_id);

/*
 * Release call_id's results (the first time: released_at = now and every
 * applicant of every proposal notified, once per proposal) and set whether
 * the reviewers' comments are released (applicants are told when they
 * become so).  RC_INVALID with *why when nothing is decided yet or some
 * proposal that may be decided is not.  *notified counts the
 * notifications queued.  Audited.
 */
enum rc adoption_release(struct db *db, struct arena *a, int64_t call_id, bool comments,
			 int64_t user_id, int64_t now, size_t *notified,
			 struct adoption_reason *why);

/*
 * The reviewers' comments on proposal_id, without any reviewer identifier:
 * the non-empty comments of the submitted score sheets of the latest stage
 * the proposal was scored in.  Sorted by their text, so that their order
 * tells nothing about who wrote them.  *out in the arena; the count.
 */
size_t adoption_comments(struct db *db, struct arena *a, int64_t proposal_id, const char ***out);

/* The first stage whose decision on proposal_id was "fail" (its name,
 * arena), or NULL: where a proposal that was not adopted stopped.  A
 * "retry" (再審査) is not final and does not count. */
const char *adoption_stopped_at(struct db *db, struct arena *a, int64_t proposal_id);

/* ---- the partner division's access ---- */

/* The division of user_id (users.division_id), or 0. */
int64_t adoption_user_division(struct db *db, int64_t user_id);
/* True when proposal_id is adopted with user_id's division as partner. */
bool adoption_division_may_read(struct db *db, int64_t proposal_id, int64_t user_id);

/* ---- projects (採択事業) ---- */

struct project {
	int64_t id, proposal_id, fiscal_year, call_id, category_id; /* 0 when none */
	const char *category_name, *title, *summary;
	int64_t group_id; /* the lead group */
	const char *group_name;
	int64_t division_id;		       /* 0 when none */
	const char *division_name;	       /* "" when none */
	int64_t grant_yen;		       /* -1 when unknown */
	const char *period_start, *period_end; /* ISO dates, "" when unknown */
	bool released;			       /* shown on public pages */
	const char **groups;		       /* every group's name, lead first */
	size_t ngroups;
};

struct project_query {
	int64_t fiscal_year, division_id, group_id; /* 0 for any */
	const char *category; /* a category's name or short name; NULL for any */
	bool with_unreleased; /* the division's own list */
};

/* At most this many projects in one list. */
#define PROJECT_LIST_MAX 2000

/* The query keys of the public list and the API. */
enum project_query_field { PJQ_YEAR, PJQ_CATEGORY, PJQ__MAX };
extern const struct field_spec project_query_fields[PJQ__MAX];

/* Projects matching q: newest fiscal year first, then by the category's
 * position and name, then in the order they were made. */
enum rc project_list(struct db *db, struct arena *a, const struct project_query *q,
		     struct project **out, size_t *n);

/* The fiscal years that have public projects, newest first. */
size_t project_years(struct db *db, struct arena *a, int64_t **out);

/* ---- history ---- */

/*
 * The adoption history of fiscal years years[0..n) (any order, repeats
 * allowed) as shown on a group's page: runs of consecutive years merged,
 * each year as its era's initial and era year (令和 R, 平成 H, 昭和 S,
 * 大正 T, 明治 M; the era in force on 1 May of the fiscal year), runs
 * joined with ・: {2022, 2023, 2024} → 「R4–6採択」, {2019} → 「R1採択」,
 * {2019, 2021, 2022} → 「R1・R3–4採択」, {2018, 2019} → 「H30–R1採択」
 * (the separator and the suffix are adoption.history.*).  NULL when n is
 * 0 or a year is before 明治.
 */
const char *adoption_years_label(struct arena *a, const int64_t *years, size_t n);

/* The public history of group_id (projects it led or took part in):
 * the label above, or NULL when it has none. */
const char *adoption_group_history(struct db *db, struct arena *a, int64_t group_id);

#endif
