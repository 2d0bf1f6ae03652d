/*
 * proposal_submit: what happens to a proposal after its drafts: the
 * submission check (every problem at once), submission with its receipt
 * number, withdrawal, reopening by the office and partner confirmations.
 */
#include "accounts/membership.h"
#include "challenge/call.h"
#include "challenge/consultation.h"
#include "challenge/proposal_internal.h"
#include "core/audit.h"
#include "groups/group.h"
#include "util/msg.h"
#include "util/str.h"

#include <string.h>

/* ---- the check ---- */

struct problems {
	struct proposal_problem *items;
	size_t n, cap;
	struct arena *a;
};

/* Add a problem of field (or part) with key and up to four arguments. */
static void problem(struct problems *ps, const char *field, const char *key, const char *arg1,
		    const char *arg2, const char *arg3, const char *arg4)
{
	ps->items = arena_grow(ps->a, ps->items, ps->n, &ps->cap, sizeof(*ps->items));
	ps->items[ps->n++] = (struct proposal_problem){field, key, {arg1, arg2, arg3, arg4, NULL}};
}

#define PROBLEM(ps, field, key) problem(ps, field, key, NULL, NULL, NULL, NULL)

static const char *jst(struct arena *a, int64_t t)
{
	struct buf b = BUF_INIT;
	call_format_jst(&b, t);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

static const char *i64s(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

/* The texts submission needs, with the reason each gives when empty. */
static void check_required(struct problems *ps, const struct proposal *p)
{
	const struct {
		int field;
		const char *value, *key;
	} required[] = {
	    {PRF_TITLE, p->title, "proposals.required.title"},
	    {PRF_SUMMARY, p->summary, "proposals.required.summary"},
	    {PRF_BACKGROUND, p->background, "proposals.required.background"},
	    {PRF_PURPOSE, p->purpose, "proposals.required.purpose"},
	    {PRF_CONTENT, p->content, "proposals.required.content"},
	    {PRF_ROLES_GROUP, p->roles_group, "proposals.required.roles_group"},
	    {PRF_ROLES_CITY, p->roles_city, "proposals.required.roles_city"},
	    {PRF_EFFECT, p->effect, "proposals.required.effect"},
	};
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!required[i].value || !*required[i].value)
			PROBLEM(ps, proposal_fields[required[i].field].name, required[i].key);
	if (p->nschedule == 0)
		PROBLEM(ps, "schedule", "proposals.err.no_schedule");
}

/* The lead group's members against the category's minimum. */
static void check_group(struct db *db, struct problems *ps, const struct proposal *p,
			const struct category *k)
{
	struct group g;
	if (group_get(db, ps->a, p->group_id, &g)) {
		PROBLEM(ps, "group", "proposals.err.group_unreadable");
	} else if (k->min_members > 0 && g.members < k->min_members) {
		const char *min = i64s(ps->a, k->min_members);
		if (g.members < 0)
			problem(ps, "group", "proposals.err.members_unknown", k->name, min, NULL,
				NULL);
		else
			problem(ps, "group", "proposals.err.too_few_members", k->name, min, g.name,
				i64s(ps->a, g.members));
	}
}

static void check_partners(struct problems *ps, const struct proposal *p, const struct category *k)
{
	if (k->min_groups < 2) {
		if (p->npartners)
			PROBLEM(ps, "partners", "proposals.err.partner_not_allowed");
		return;
	}
	if ((int64_t)p->npartners + 1 < k->min_groups)
		problem(ps, "partners", "proposals.err.too_few_groups", k->name,
			i64s(ps->a, k->min_groups), NULL, NULL);
	for (size_t i = 0; i < p->npartners; i++)
		if (!p->partners[i].confirmed_at)
			problem(ps, "partners", "proposals.err.partner_unconfirmed",
				p->partners[i].group_name, NULL, NULL, NULL);
}

size_t proposal_check(struct db *db, struct arena *a, const struct proposal *p, int64_t now,
		      struct proposal_problem **out)
{
	struct problems ps = {.a = a};
	check_required(&ps, p);

	struct category k;
	if (category_get(db, a, p->category_id, &k) != RC_OK) {
		PROBLEM(&ps, "category", "proposals.err.category_unreadable");
		goto done;
	}
	/* A reopened proposal was sent back by the office for correction and
	 * may be resubmitted after the deadline. */
	if (strcmp(p->status, "reopened") != 0 && !category_is_open(&k, now)) {
		if (now < k.opens_at)
			problem(&ps, "category", "proposals.err.not_open", k.name,
				jst(a, k.opens_at), NULL, NULL);
		else
			problem(&ps, "category", "proposals.err.closed", k.name,
				jst(a, k.deadline_at), NULL, NULL);
	}
	if (k.needs_division && !p->division_id)
		PROBLEM(&ps, "division", "proposals.err.division_required");

	bool has_expense = false;
	for (size_t i = 0; i < p->nbudget; i++)
		has_expense |= p->budget[i].kind == BUDGET_EXPENSE;
	struct budget_msg bm;
	if (budget_check_request(a, &p->totals, k.cap_yen, has_expense, &bm) != 0)
		problem(&ps, "budget", bm.key, bm.args[0], bm.args[1], NULL, NULL);

	check_group(db, &ps, p, &k);
	check_partners(&ps, p, &k);

	bool coord_missing, div_missing;
	proposal_missing_consultations(db, p, &coord_missing, &div_missing);
	if (coord_missing)
		PROBLEM(&ps, "consultation", "proposals.err.no_coordinator_consultation");
	if (div_missing)
		PROBLEM(&ps, "consultation", "proposals.err.no_division_consultation");
done:
	*out = ps.items;
	return ps.n;
}

size_t proposal_check_draft(struct db *db, struct arena *a, const struct proposal *p,
			    const struct proposal_draft *d, int64_t now,
			    struct proposal_problem **out)
{
	struct proposal q = *p;
	q.title = d->title;
	q.summary = d->summary;
	q.background = d->background;
	q.purpose = d->purpose;
	q.content = d->content;
	q.roles_group = d->roles_group;
	q.roles_city = d->roles_city;
	q.effect = d->effect;
	q.division_id = d->division_id;
	q.previous_id = d->previous_id;
	q.schedule = (struct proposal_sched *)d->schedule;
	q.nschedule = d->nschedule;
	q.budget = (struct budget_line *)d->budget;
	q.nbudget = d->nbudget;
	if (budget_total(q.budget, q.nbudget, &q.totals) != 0)
		memset(&q.totals, 0, sizeof(q.totals));
	/* Partners as named in d, keeping the confirmations already given. */
	q.partners = arena_alloc(a, (d->npartners + 1) * sizeof(*q.partners));
	q.npartners = 0;
	for (size_t i = 0; i < d->npartners; i++) {
		struct proposal_partner *x = &q.partners[q.npartners++];
		memset(x, 0, sizeof(*x));
		x->group_id = d->partners[i];
		x->group_name = membership_group_name(db, a, d->partners[i]);
		if (!x->group_name)
			x->group_name = "";
		for (size_t k = 0; k < p->npartners; k++)
			if (p->partners[k].group_id == x->group_id)
				*x = p->partners[k];
	}
	return proposal_check(db, a, &q, now, out);
}

void proposal_missing_consultations(struct db *db, const struct proposal *p,
				    bool *coordinator_missing, bool *division_missing)
{
	*coordinator_missing = *division_missing = false;
	struct arena a;
	arena_init(&a);
	struct category k;
	if (category_get(db, &a, p->category_id, &k) == RC_OK &&
	    (k.needs_coordinator || k.needs_division)) {
		bool c = false, d = false;
		/* A storage error counts as missing: submission stays refused. */
		consultation_requirements(db, p->group_id, p->call_id, &c, &d);
		*coordinator_missing = k.needs_coordinator && !c;
		*division_missing = k.needs_division && !d;
	}
	arena_free(&a);
}

/* ---- submission ---- */

/* The receipt number cur gets: its own when resubmitted, else the next of
 * its category (*seq).  NULL on error. */
static const char *next_receipt(struct db *db, struct arena *a, const struct proposal *cur,
				int64_t *seq)
{
	if (cur->receipt_seq > 0) {
		*seq = cur->receipt_seq;
		return cur->receipt_no;
	}
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_NEXT_SEQ);
	db_bind_int(st, 1, cur->category_id);
	if (db_step(st) != DB_ROW)
		return NULL;
	*seq = db_int(st, 0);
	db_reset(st);
	return proposal_receipt_no(a, cur->fiscal_year, cur->category_short, *seq);
}

/* Mark cur submitted as no / seq, audit it and tell its group. */
static enum rc record_submission(struct db *db, struct arena *a, const struct proposal *cur,
				 const char *no, int64_t seq, int64_t user_id, int64_t now)
{
	bool resubmit = cur->receipt_seq > 0;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_SUBMIT);
	db_bind_int(st, 1, cur->id);
	db_bind_int(st, 2, seq);
	db_bind_str(st, 3, no);
	db_bind_int(st, 4, now);
	if (db_exec(st) != DB_OK || db_changes(db) != 1)
		return RC_ERROR;
	const char *summary = msgf(
	    a, resubmit ? "proposals.audit.resubmit" : "proposals.audit.submit", no, cur->title);
	if (audit(db, user_id, "submit", "proposal", cur->id, summary) != DB_OK)
		return RC_ERROR;
	const char *body = msgf(
	    a,
	    resubmit ? "proposals.notify.receipt.body_resubmit" : "proposals.notify.receipt.body",
	    no, cur->title, cur->call_title, cur->category_name, cur->group_name, jst(a, now));
	if (proposal_notify_group(db, a, cur->group_id, "receipt",
				  msgf(a, "proposals.notify.receipt.subject", no), body,
				  cur->id) != DB_OK)
		return RC_ERROR;
	return RC_OK;
}

/* The statuses applicants may change. */
static const char *const editable[] = {"draft", "reopened", NULL};

/* The status of proposal id as stored now (inside the write transaction)
 * into *status: RC_NOT_FOUND when there is none, RC_STATE when it is not
 * one of from[]. */
static enum rc status_in(struct db *db, struct arena *a, int64_t id, const char *const *from,
			 const char **status)
{
	*status = proposal_current_status(db, a, id, NULL);
	if (!*status)
		return RC_NOT_FOUND;
	for (const char *const *s = from; *s; s++)
		if (strcmp(*s, *status) == 0)
			return RC_OK;
	return RC_STATE;
}

/* proposal_submit() inside its transaction. */
static enum rc submit(struct db *db, struct arena *a, const struct proposal *p,
		      const struct proposal_draft *d, int64_t user_id, int64_t now,
		      struct proposal_problem **problems, size_t *nproblems,
		      const char **receipt_no)
{
	const char *status;
	enum rc rc = status_in(db, a, p->id, editable, &status);
	if (rc != RC_OK)
		return rc;
	struct proposal_problem why = {0};
	if (d && (rc = proposal_write_draft(db, a, p, d, now, &why)) != RC_OK) {
		if (rc == RC_INVALID) {
			*problems = arena_alloc(a, sizeof(**problems));
			(*problems)[0] = why;
			*nproblems = 1;
		}
		return rc;
	}
	struct proposal cur;
	if ((rc = proposal_read(db, a, p->id, &cur)) != RC_OK)
		return rc;
	*nproblems = proposal_check(db, a, &cur, now, problems);
	if (*nproblems)
		return RC_INVALID;
	int64_t seq = 0;
	*receipt_no = next_receipt(db, a, &cur, &seq);
	if (!*receipt_no)
		return RC_ERROR;
	return record_submission(db, a, &cur, *receipt_no, seq, user_id, now);
}

enum rc proposal_submit(struct db *db, struct arena *a, const struct proposal *p,
			const struct proposal_draft *d, int64_t user_id, int64_t now,
			struct proposal_problem **problems, size_t *nproblems,
			const char **receipt_no)
{
	*problems = NULL;
	*nproblems = 0;
	*receipt_no = NULL;
	/* BEGIN IMMEDIATE: a second submit of the same draft waits here until
	 * the first commits, then finds it submitted. */
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	enum rc rc =
	    proposal_finish(db, submit(db, a, p, d, user_id, now, problems, nproblems, receipt_no));
	if (rc != RC_OK)
		*receipt_no = NULL;
	return rc;
}

/* ---- withdrawal, reopening ---- */

/* Tell p's group that the office sent it back with reason. */
static int notify_reopened(struct db *db, struct arena *a, int64_t id, const char *reason)
{
	struct proposal p;
	if (proposal_read(db, a, id, &p) != RC_OK)
		return DB_ERROR;
	const char *body = msgf(a, "proposals.notify.reopened.body", p.title, p.receipt_no, reason);
	return proposal_notify_group(db, a, p.group_id, "reopened",
				     msgf(a, "proposals.notify.reopened.subject", p.receipt_no),
				     body, id);
}

/* Move proposal id from one of the statuses in from[] to status to,
 * audited as action with summary. */
static enum rc transition(struct db *db, struct arena *a, int64_t id, const char *const *from,
			  const char *to, const char *reason, int64_t user_id, int64_t now,
			  const char *action, const char *summary)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	const char *status;
	enum rc rc = status_in(db, a, id, from, &status);
	if (rc != RC_OK)
		return proposal_finish(db, rc);
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_SET_STATUS);
	db_bind_int(st, 1, id);
	db_bind_str(st, 2, status);
	db_bind_str(st, 3, to);
	db_bind_str(st, 4, reason); /* NULL keeps the stored reason */
	db_bind_int(st, 5, now);
	bool done = db_exec(st) == DB_OK && db_changes(db) == 1 &&
		    audit(db, user_id, action, "proposal", id, summary) == DB_OK &&
		    (strcmp(to, "reopened") != 0 || notify_reopened(db, a, id, reason) == DB_OK);
	return proposal_finish(db, done ? RC_OK : RC_ERROR);
}

enum rc proposal_withdraw(struct db *db, struct arena *a, int64_t id, int64_t user_id, int64_t now)
{
	struct proposal p;
	enum rc rc = proposal_get(db, a, id, &p);
	if (rc != RC_OK)
		return rc;
	if (!proposal_is_applicant(db, &p, user_id))
		return RC_FORBIDDEN;
	struct category k;
	if (category_get(db, a, p.category_id, &k) != RC_OK)
		return RC_ERROR;
	if (now > k.deadline_at)
		return RC_CLOSED;
	static const char *const from[] = {"submitted", "reopened", NULL};
	return transition(db, a, id, from, "withdrawn", NULL, user_id, now, "withdraw",
			  msgf(a, "proposals.audit.withdraw", p.receipt_no, p.title));
}

enum rc proposal_reopen(struct db *db, struct arena *a, int64_t id, const char *reason,
			int64_t user_id, int64_t now)
{
	static const char *const from[] = {"submitted", NULL};
	return transition(db, a, id, from, "reopened", reason, user_id, now, "reopen",
			  msgf(a, "proposals.audit.reopen", reason));
}

/* ---- partners ---- */

/* proposal_confirm() inside its transaction. */
static enum rc confirm(struct db *db, struct arena *a, int64_t id, int64_t group_id,
		       int64_t user_id, int64_t now)
{
	const char *status;
	enum rc rc = status_in(db, a, id, editable, &status);
	if (rc != RC_OK)
		return rc;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_PARTNER_CONFIRM);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, group_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, user_id);
	if (db_exec(st) != DB_OK)
		return RC_ERROR;
	if (db_changes(db) == 0) {
		/* Either not a partner, or confirmed already (which is fine:
		 * nothing changed, so nothing is audited). */
		struct proposal p = {.id = id};
		if (proposal_read_partners(db, a, &p) != RC_OK)
			return RC_ERROR;
		for (size_t i = 0; i < p.npartners; i++)
			if (p.partners[i].group_id == group_id)
				return RC_OK;
		return RC_FORBIDDEN; /* not a partner of this proposal */
	}
	const char *name = membership_group_name(db, a, group_id);
	if (audit(db, user_id, "partner_confirm", "proposal", id,
		  msgf(a, "proposals.audit.partner_confirm", name ? name : "")) != DB_OK)
		return RC_ERROR;
	return RC_OK;
}

enum rc proposal_confirm(struct db *db, struct arena *a, int64_t id, int64_t group_id,
			 int64_t user_id, int64_t now)
{
	if (!group_is_member(db, group_id, user_id))
		return RC_FORBIDDEN;
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	return proposal_finish(db, confirm(db, a, id, group_id, user_id, now));
}
