/*
 * demo_util: the demo loaders' shared lookups, calls and proposals (see
 * demo_util.h).
 */
#include "cli/demo_util.h"
#include "util/msg.h"

#include <stdio.h>
#include <string.h>

const char demo_program_name[] = "協働のまちづくりチャレンジ事業";

/* ---- finding demo rows ---- */

/* The first column of the first row of statement id (with name as ?1 when
 * it is not NULL), or 0. */
static int64_t lookup(struct db *db, enum stmt id, const char *name)
{
	struct db_stmt *st = db_stmt(db, id);
	if (name)
		db_bind_str(st, 1, name);
	if (db_step(st) != DB_ROW)
		return 0;
	int64_t v = db_int(st, 0);
	db_reset(st);
	return v;
}

int64_t demo_group(struct db *db, const char *name)
{
	return lookup(db, STMT_GROUP_BY_NAME, name);
}

int64_t demo_admin(struct db *db)
{
	return lookup(db, STMT_PROPOSAL_FIRST_ADMIN, NULL);
}

int64_t demo_division(struct db *db, struct arena *a, const char *name)
{
	struct division *ds;
	size_t n;
	if (!name || division_list(db, a, true, &ds, &n) != RC_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ds[i].name, name) == 0)
			return ds[i].id;
	return 0;
}

int64_t demo_program(struct db *db, struct arena *a, const char *name)
{
	struct program *ps;
	size_t n;
	if (program_list(db, a, &ps, &n) != RC_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ps[i].name, name) == 0)
			return ps[i].id;
	return 0;
}

int64_t demo_call_of(struct db *db, struct arena *a, int64_t program_id, int64_t fy)
{
	struct call *cs;
	size_t n;
	if (call_list(db, a, true, &cs, &n) != RC_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (cs[i].program_id == program_id && cs[i].fiscal_year == fy)
			return cs[i].id;
	return 0;
}

int64_t demo_category(struct db *db, struct arena *a, int64_t call_id, const char *short_name,
		      struct category *out)
{
	struct category *ks;
	size_t n;
	if (call_categories(db, a, call_id, &ks, &n) != RC_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ks[i].short_name, short_name) == 0) {
			if (out)
				*out = ks[i];
			return ks[i].id;
		}
	return 0;
}

/* ---- calls ---- */

int demo_call_add(struct db *db, struct arena *a, int64_t program_id, const struct demo_call *c,
		  int64_t *id)
{
	*id = demo_call_of(db, a, program_id, c->fiscal_year);
	if (*id)
		return 0;
	struct call call = {.program_id = program_id,
			    .fiscal_year = c->fiscal_year,
			    .title = c->title,
			    .description = c->description,
			    .published = true};
	if (call_save(db, &call, c->created, 0) != RC_OK)
		return -1;
	for (size_t i = 0; i < c->ncategories; i++) {
		const struct demo_category *d = &c->categories[i];
		struct category k = {
		    .call_id = call.id,
		    .name = d->name,
		    .short_name = d->short_name,
		    .description = d->description,
		    .eligibility = d->eligibility,
		    .cap_yen = d->cap_yen,
		    .min_members = d->min_members,
		    .min_groups = d->min_groups,
		    .needs_coordinator = true,
		    .needs_division = d->needs_division,
		    .opens_at = c->opens,
		    .deadline_at = d->needs_division ? c->deadline : c->other_deadline,
		    .implementation_end = arena_printf(a, "%lld-%s", (long long)c->fiscal_year + 1,
						       d->implementation_end),
		    .expected_adoptions = d->expected,
		    .position = (int64_t)(i + 1) * 10,
		};
		if (category_save(db, &k, 0) != RC_OK)
			return -1;
	}
	/* One deadline, or two when the categories without a division close
	 * later. */
	bool two = c->other_deadline != c->deadline;
	const struct {
		enum milestone_kind kind;
		const char *label;
		int64_t starts_at, ends_at;
		const char *place;
	} ms[] = {
	    {MS_OPEN, "", c->opens, 0, ""},
	    {MS_BRIEFING, "事前説明会・交流会", c->briefing[0], c->briefing[1],
	     "金沢市民活動サポートセンター"},
	    {MS_DEADLINE, two ? "締切（スタート・一般・団体連携部門）" : "", c->deadline, 0, ""},
	    {MS_REVIEW1, "1次審査（書類審査）", c->review1[0], c->review1[1], ""},
	    {MS_DEADLINE, "締切（学生・高校生部門）", two ? c->other_deadline : 0, 0, ""},
	    {MS_REVIEW2, "2次審査（公開プレゼンテーション）", c->review2[0], c->review2[1],
	     "金沢市役所 第一本庁舎"},
	    {MS_REVIEW2, "学生・高校生部門 2次審査", c->other_review2[0], c->other_review2[1],
	     "金沢学生のまち市民交流館"},
	    {MS_ANNOUNCE, "", c->announce, 0, ""},
	    {MS_RESULTS, "", c->results[0], c->results[1], "金沢学生のまち市民交流館 交流ホール"},
	};
	for (size_t i = 0; i < DEMO_COUNT(ms); i++) {
		struct milestone m = {.call_id = call.id,
				      .kind = ms[i].kind,
				      .label = ms[i].label,
				      .starts_at = ms[i].starts_at,
				      .ends_at = ms[i].ends_at,
				      .place = ms[i].place};
		if (m.starts_at && milestone_save(db, &m, 0) != RC_OK)
			return -1;
	}
	*id = call.id;
	return 1;
}

/* ---- proposals ---- */

void demo_budget(struct proposal_draft *d, const struct demo_line *income, size_t ni,
		 const struct demo_line *expense, size_t ne)
{
	for (int k = 0; k < 2; k++) {
		const struct demo_line *lines = k == 0 ? income : expense;
		size_t n = k == 0 ? ni : ne;
		int position = 1;
		for (size_t i = 0; i < n && lines[i].item; i++) {
			if (!lines[i].qty || d->nbudget == DEMO_COUNT(d->budget))
				continue;
			d->budget[d->nbudget++] =
			    (struct budget_line){.kind = k == 0 ? BUDGET_INCOME : BUDGET_EXPENSE,
						 .position = position++,
						 .item = lines[i].item,
						 .unit_price = lines[i].price,
						 .quantity = lines[i].qty,
						 .amount = lines[i].price * lines[i].qty};
		}
	}
}

/* The proposal of call_id and group_id titled title, or 0. */
static int64_t proposal_titled(struct db *db, struct arena *a, int64_t call_id, int64_t group_id,
			       const char *title)
{
	struct proposal_query q = {.call_id = call_id, .page = 1, .per_page = 1000};
	struct proposal_summary *ps;
	size_t n;
	int64_t total;
	if (proposal_list(db, a, &q, &ps, &n, &total) != RC_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (ps[i].group_id == group_id && strcmp(ps[i].title, title) == 0)
			return ps[i].id;
	return 0;
}

/*
 * A step no rule covers: entering a proposal as it arrived in a past
 * year.  proposal_create() and proposal_submit() act for a member of the
 * group, while the category is open, once its consultations are done; the
 * demo has no group members, and its calls closed long ago.  So the row,
 * the partners' confirmation and the submission are written with the
 * proposal module's own statements (the smallest direct path; the
 * confirmation and the submission in one transaction), while the content
 * goes through proposal_save().
 */
int demo_proposal_add(struct db *db, struct arena *a, int64_t call_id, int64_t category_id,
		      int64_t group_id, int64_t author, const struct proposal_draft *d,
		      int64_t created, int64_t submitted, int64_t *id)
{
	struct proposal p;
	const char *why = NULL;
	*id = proposal_titled(db, a, call_id, group_id, d->title);
	if (*id)
		return 0;
	struct db_stmt *st = db_stmt(db, STMT_PROPOSAL_INSERT);
	db_bind_int(st, 1, call_id);
	db_bind_int(st, 2, category_id);
	db_bind_int(st, 3, group_id);
	db_bind_int(st, 4, author);
	db_bind_int(st, 5, created);
	if (db_exec(st) != DB_OK)
		goto fail;
	*id = db_last_id(db);
	if (proposal_get(db, a, *id, &p) != RC_OK)
		goto fail;
	if (proposal_save(db, a, &p, d, author, created, &why) != RC_OK)
		goto fail;
	if (!submitted)
		return 1;
	if (db_begin(db) != DB_OK)
		goto fail;
	for (size_t i = 0; i < d->npartners; i++) {
		st = db_stmt(db, STMT_PROPOSAL_PARTNER_CONFIRM);
		db_bind_int(st, 1, *id);
		db_bind_int(st, 2, d->partners[i]);
		db_bind_int(st, 3, submitted - 3 * 86400);
		db_bind_int(st, 4, author);
		if (db_exec(st) != DB_OK)
			goto rollback;
	}
	st = db_stmt(db, STMT_PROPOSAL_NEXT_SEQ);
	db_bind_int(st, 1, category_id);
	int64_t seq = db_step(st) == DB_ROW ? db_int(st, 0) : 0;
	db_reset(st);
	const char *no = seq ? proposal_receipt_no(a, p.fiscal_year, p.category_short, seq) : NULL;
	if (!no)
		goto rollback;
	st = db_stmt(db, STMT_PROPOSAL_SUBMIT);
	db_bind_int(st, 1, *id);
	db_bind_int(st, 2, seq);
	db_bind_str(st, 3, no);
	db_bind_int(st, 4, submitted);
	if (db_exec(st) != DB_OK || db_commit(db) != DB_OK)
		goto rollback;
	return 1;
rollback:
	db_rollback(db);
fail:
	fprintf(stderr, "kyodo: could not add the demo proposal %s: %s\n", d->title,
		why ? msg(why) : db_errmsg(db));
	return -1;
}
