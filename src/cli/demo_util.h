/*
 * demo_util: what the demo loaders (cli/demo*.c) share.  Rows are found by
 * name through the domain's own lists; a call is added with its categories
 * and schedule through call.h; a proposal is entered as it was sent in a
 * past year (demo_proposal_add(): its row and submission are one of the
 * few steps no rule covers, and are written directly).
 *
 * Every loader leaves alone what is present, so `kyodo demo` may run again.
 */
#ifndef KYODO_DEMO_UTIL_H
#define KYODO_DEMO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "challenge/call.h"
#include "challenge/proposal.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/jp.h"

/* JST wall-clock time as Unix seconds. */
#define JST(y, m, d, hh, mi) jp_jst_to_unix(y, m, d, hh, mi, 0)
/* The number of entries of a static table. */
#define DEMO_COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* The challenge program every demo call belongs to. */
extern const char demo_program_name[];

/* ---- finding demo rows (0 when absent) ---- */

int64_t demo_group(struct db *db, const char *name);
/* The division named name, archived or not; 0 also for a NULL name. */
int64_t demo_division(struct db *db, struct arena *a, const char *name);
int64_t demo_program(struct db *db, struct arena *a, const char *name);
/* The call of program_id for fiscal year fy, published or not. */
int64_t demo_call_of(struct db *db, struct arena *a, int64_t program_id, int64_t fy);
/* The category of call_id with short_name (*out, when not NULL, gets it). */
int64_t demo_category(struct db *db, struct arena *a, int64_t call_id, const char *short_name,
		      struct category *out);
/* The oldest admin who is not disabled: the demo's author of proposals and
 * the office that screens them. */
int64_t demo_admin(struct db *db);

/* ---- calls ---- */

struct demo_category {
	const char *name, *short_name, *description, *eligibility;
	int64_t cap_yen, min_members, min_groups;
	bool needs_division;
	const char *implementation_end; /* "MM-DD" of the year after the fiscal year */
	int64_t expected;
};

/*
 * A call and its year as the demo tells it.  Every category opens at
 * opens; those that need a division close at deadline, the others at
 * other_deadline.  The schedule is the usual year's: each pair is a start
 * and an end (0 for a point in time), and a milestone whose start is 0 is
 * left out — other_review2 is the students' own presentations, results
 * the closing report meeting.
 */
struct demo_call {
	int64_t fiscal_year;
	const char *title, *description;
	int64_t created; /* when the office entered it */
	int64_t opens, deadline, other_deadline;
	int64_t briefing[2], review1[2], review2[2], other_review2[2], announce, results[2];
	const struct demo_category *categories;
	size_t ncategories;
};

/*
 * Add c (published) to program_id with its categories and schedule
 * through call_save(), category_save() and milestone_save(), unless the
 * program has a call for that fiscal year.  *id gets the call, new or
 * present.  1 when added, 0 when present, -1 on a storage error.
 */
int demo_call_add(struct db *db, struct arena *a, int64_t program_id, const struct demo_call *c,
		  int64_t *id);

/* ---- proposals ---- */

struct demo_line {
	const char *item;
	int64_t price, qty;
};

/* Append to d's budget the lines of income[0..ni) and expense[0..ne), up
 * to the first NULL item of each and leaving out lines of quantity 0; each
 * kind is numbered from 1. */
void demo_budget(struct proposal_draft *d, const struct demo_line *income, size_t ni,
		 const struct demo_line *expense, size_t ne);

/*
 * Enter the proposal d of group_id for category_id of call_id, written by
 * author from created; when submitted is not 0, its partners confirm it
 * three days before and it is submitted at submitted with the category's
 * next receipt number.  A proposal of the call and group with d's title
 * is left as it is.  *id gets the proposal.  1 when added, 0 when present,
 * -1 on an error (with a message on stderr).
 */
int demo_proposal_add(struct db *db, struct arena *a, int64_t call_id, int64_t category_id,
		      int64_t group_id, int64_t author, const struct proposal_draft *d,
		      int64_t created, int64_t submitted, int64_t *id);

#endif
