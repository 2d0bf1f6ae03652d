/*
 * 採択 and results: the office's pages (the calls, a call's proposals with
 * their decisions and the release of results, the decision form, the
 * letters), the applicants' result page, the partner division's list of
 * its projects, the public 採択事業一覧 and its JSON API.  Rules live in
 * adoption.c; this file turns requests into calls to it.
 *
 * Who sees what: the office (admin) decides, releases and prints; staff
 * (admin, coordinator) read any result and letter; members of a
 * proposal's lead or partner groups read its result once released; the
 * division role lists its own projects; everyone reads the public list,
 * which shows a call's projects only after its results are released.
 */
#include "challenge/adoption.h"
#include "challenge/budget.h"
#include "challenge/call_pages.h"
#include "challenge/handlers.h"
#include "challenge/proposal.h"
#include "challenge/review.h"
#include "core/settings.h"
#include "core/who.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* ---- formatting -------------------------------------------------------- */

static const char *yen(struct arena *a, int64_t v)
{
	return budget_yen(a, v);
}

/* 令和7年3月31日 for an ISO date, or NULL when empty or invalid. */
static const char *date_label(struct arena *a, const char *iso)
{
	return call_date_label(a, iso, false);
}

/* A reason in words. */
static const char *reason_text(struct arena *a, const struct adoption_reason *why)
{
	return msgf(a, why->key, why->arg[0], why->arg[1], why->arg[2]);
}

/* Why a proposal may not be decided yet, in words: a message key, or
 * (transitional, until review.c gives keys) the screening module's words. */
static const char *refusal_text(const char *why)
{
	return msg_or_text(why);
}

/* 令和7年3月31日 for a Unix time, in JST. */
static const char *day_label(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	struct buf b = BUF_INIT;
	jp_wareki_date(&b, j.y, j.m, j.d, false);
	return call_take(a, &b);
}

/* A period such as 令和6年8月20日 〜 令和7年3月31日, or NULL when neither
 * end is known. */
static const char *period_label(struct arena *a, const char *from, const char *to)
{
	const char *f = date_label(a, from), *t = date_label(a, to);
	if (!f && !t)
		return NULL;
	return arena_printf(a, "%s 〜 %s", f ? f : "", t ? t : "");
}

/* The names after the lead's, joined with results.partners_separator, or
 * NULL when none. */
static const char *partners_label(struct arena *a, const struct project *p)
{
	if (p->ngroups < 2)
		return NULL;
	struct buf b = BUF_INIT;
	for (size_t i = 1; i < p->ngroups; i++)
		buf_printf(&b, "%s%s", i > 1 ? msg("results.partners_separator") : "",
			   p->groups[i]);
	return call_take(a, &b);
}

/* ---- the public list: 採択事業一覧 --------------------------------------- */

static struct tv *project_tv(struct arena *a, const struct project *p)
{
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", p->id);
	tv_set_int(o, "group_id", p->group_id);
	tv_set_str(o, "group", p->group_name);
	tv_set_str(o, "partners", partners_label(a, p));
	tv_set_str(o, "title", p->title);
	tv_set_str(o, "summary", p->summary);
	if (*p->division_name)
		tv_set_str(o, "division", p->division_name);
	if (p->grant_yen >= 0)
		tv_set_str(o, "grant", yen(a, p->grant_yen));
	tv_set_str(o, "period", period_label(a, p->period_start, p->period_end));
	tv_set_str(o, "fy_label", call_fy_label(a, p->fiscal_year));
	tv_set_str(o, "category", p->category_name);
	if (p->proposal_id)
		tv_set_int(o, "proposal_id", p->proposal_id);
	tv_set_bool(o, "released", p->released);
	return o;
}

/* Projects in list order, grouped under their category's name. */
static struct tv *by_category(struct arena *a, const struct project *ps, size_t n)
{
	struct tv *cats = tv_list(a);
	struct tv *items = NULL;
	const char *current = NULL;
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!current || strcmp(current, ps[i].category_name) != 0) {
			current = ps[i].category_name;
			struct tv *c = tv_obj(a);
			tv_set_str(c, "name", current);
			tv_set_int(c, "index", ++k);
			items = tv_list(a);
			tv_set(c, "projects", items);
			tv_push(cats, c);
		}
		tv_push(items, project_tv(a, &ps[i]));
	}
	return cats;
}

void h_results(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	if (!call_check_query(r, project_query_fields, PJQ__MAX, &f, "results.err.bad_query"))
		return;
	int64_t *years;
	size_t ny = project_years(db, a, &years);
	int64_t year = f.v[PJQ_YEAR].present ? f.v[PJQ_YEAR].i : (ny ? years[0] : 0);

	struct project *ps = NULL;
	size_t n = 0;
	if (year) {
		struct project_query q = {
		    .fiscal_year = year,
		    .category = f.v[PJQ_CATEGORY].present ? form_s(&f, PJQ_CATEGORY) : NULL,
		};
		if (project_list(db, a, &q, &ps, &n) != RC_OK) {
			web_error(r, 503, msg("results.err.load_failed"));
			return;
		}
	}
	const char *label = year ? call_fy_label(a, year) : "";
	struct tv *ctx = page_ctx(r, msgf(a, "results.title.index", label), NAV_CHALLENGE);
	tv_set_str(ctx, "fy_label", label);
	tv_set(ctx, "categories", by_category(a, ps, n));
	tv_set_int(ctx, "count", (int64_t)n);
	struct tv *yl = tv_list(a);
	for (size_t i = 0; i < ny; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "label", call_fy_label(a, years[i]));
		tv_set_str(o, "url",
			   arena_printf(a, "/challenge/results?year=%lld", (long long)years[i]));
		tv_set_bool(o, "current", years[i] == year);
		tv_push(yl, o);
	}
	tv_set(ctx, "years", yl);
	tv_set_bool(ctx, "has_years", ny > 1);
	tv_set_bool(ctx, "can_manage", who_is_admin(r->user));
	page_render(r, 200, "results/index", ctx);
}

/* ---- the API ----------------------------------------------------------- */

void h_api_projects(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, project_query_fields, PJQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		json_t *errors = json_object();
		for (size_t i = 0; i < PJQ__MAX; i++)
			if (f.v[i].error)
				json_object_set_new(errors, project_query_fields[i].name,
						    json_string(f.v[i].error));
		for (size_t k = 0; k < r->nargs; k++) {
			bool known = false;
			for (size_t i = 0; i < PJQ__MAX; i++)
				known |= strcmp(project_query_fields[i].name, r->args[k].key) == 0;
			if (!known)
				json_object_set_new(errors, r->args[k].key,
						    json_string(msg("results.err.unknown_key")));
		}
		if (f.repeated)
			json_object_set_new(errors, f.repeated,
					    json_string(msg("results.err.repeated")));
		respond_json(r, 422, json_pack("{s:o}", "errors", errors));
		return;
	}
	struct project_query q = {
	    .fiscal_year = f.v[PJQ_YEAR].present ? f.v[PJQ_YEAR].i : 0,
	    .category = f.v[PJQ_CATEGORY].present ? form_s(&f, PJQ_CATEGORY) : NULL,
	};
	struct project *ps;
	size_t n;
	if (project_list(db, a, &q, &ps, &n) != RC_OK) {
		web_error(r, 503, msg("results.err.load_failed"));
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct project *p = &ps[i];
		json_t *groups = json_array();
		for (size_t k = 0; k < p->ngroups; k++)
			json_array_append_new(groups, json_string(p->groups[k]));
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(p->id));
		json_object_set_new(o, "fiscal_year", json_integer(p->fiscal_year));
		json_object_set_new(o, "fiscal_year_label",
				    json_string(call_fy_label(a, p->fiscal_year)));
		json_object_set_new(o, "category", json_string(p->category_name));
		json_object_set_new(o, "group", json_string(p->group_name));
		json_object_set_new(o, "groups", groups);
		json_object_set_new(o, "title", json_string(p->title));
		json_object_set_new(o, "summary", json_string(p->summary));
		json_object_set_new(o, "division", json_str_or_null(p->division_name));
		/* The grant is public information in Japanese municipalities. */
		json_object_set_new(o, "grant_yen",
				    p->grant_yen >= 0 ? json_integer(p->grant_yen) : json_null());
		json_object_set_new(o, "period_start", json_str_or_null(p->period_start));
		json_object_set_new(o, "period_end", json_str_or_null(p->period_end));
		json_array_append_new(items, o);
	}
	respond_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- letters (採択通知書 / 不採択通知書) ---------------------------------- */

/* Which letter row r gets: the message key of 採択通知書 or 不採択通知書, or
 * NULL while its result is not known (undecided and not stopped at an
 * earlier stage). */
static const char *letter_kind(struct db *db, struct arena *a, const struct adoption_row *row,
			       const char **stopped)
{
	*stopped = NULL;
	if (row->decided)
		return row->adopted ? "adoption.letter.adopted" : "adoption.letter.rejected";
	*stopped = adoption_stopped_at(db, a, row->proposal_id);
	return *stopped ? "adoption.letter.rejected" : NULL;
}

/* One letter; NULL when row's result is not known yet. */
static struct tv *letter_tv(struct req *r, struct db *db, const struct call *c,
			    const struct call_results *cr, const struct adoption_row *row,
			    const char **settings)
{
	struct arena *a = &r->arena;
	const char *stopped;
	const char *kind = letter_kind(db, a, row, &stopped);
	if (!kind)
		return NULL;
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", row->proposal_id);
	tv_set_str(o, "kind", msg(kind));
	tv_set_bool(o, "adopted", row->decided && row->adopted);
	/* Dated the day the results were released (today for a draft). */
	tv_set_str(o, "date", day_label(a, cr->released_at ? cr->released_at : now_s()));
	tv_set_str(o, "group", row->group_name);
	tv_set_str(o, "rep",
		   *row->rep_name
		       ? msgf(a, "adoption.letter.rep",
			      *row->rep_title ? row->rep_title : msg("adoption.letter.rep_title"),
			      row->rep_name)
		       : msg("adoption.letter.rep_unknown"));
	tv_set_str(o, "head_title", settings[SETTING_OFFICE_HEAD_TITLE]);
	tv_set_str(o, "head_name", settings[SETTING_OFFICE_HEAD_NAME]);
	tv_set_str(o, "program",
		   arena_printf(a, "%s%s", call_fy_label(a, c->fiscal_year), c->program_name));
	tv_set_str(o, "receipt_no", row->receipt_no);
	tv_set_str(o, "title", row->title);
	tv_set_str(o, "category", row->category_name);
	if (row->decided && row->adopted) {
		tv_set_str(o, "grant", yen(a, row->grant_yen));
		tv_set_str(o, "division", row->division_name);
		tv_set_str(o, "contract_date", date_label(a, row->contract_date));
		tv_set_str(o, "period",
			   period_label(a, row->contract_date, row->implementation_end));
	}
	tv_set_str(o, "stopped", stopped);
	tv_set_str(
	    o, "office",
	    arena_printf(a, "%s %s", settings[SETTING_OFFICE_ORG], settings[SETTING_OFFICE_NAME]));
	tv_set_str(o, "phone", settings[SETTING_OFFICE_PHONE]);
	tv_set_str(o, "email", settings[SETTING_OFFICE_EMAIL]);
	return o;
}

static void letters_page(struct req *r, struct db *db, const struct call *c,
			 const struct adoption_row *rows, size_t n, bool single)
{
	struct arena *a = &r->arena;
	struct call_results cr;
	if (adoption_results(db, c->id, &cr) != RC_OK) {
		web_error(r, 503, msg("results.err.load_failed"));
		return;
	}
	const char **settings = arena_alloc(a, (size_t)settings_count * sizeof(*settings));
	settings_snapshot(db, a, settings);
	struct tv *letters = tv_list(a);
	size_t pending = 0;
	for (size_t i = 0; i < n; i++) {
		struct tv *o = letter_tv(r, db, c, &cr, &rows[i], settings);
		if (o)
			tv_push(letters, o);
		else
			pending++;
	}
	if (single && !tv_len(letters)) {
		web_error(r, 409, msg("adoption.err.no_letter_yet"));
		return;
	}
	const char *title = single ? msgf(a, "adoption.title.letter", rows[0].title)
				   : msgf(a, "adoption.title.letters", c->title);
	struct tv *ctx = page_ctx(r, title, NAV_NONE);
	tv_set_str(ctx, "heading", title);
	tv_set(ctx, "letters", letters);
	tv_set_int(ctx, "count", (int64_t)tv_len(letters));
	tv_set_int(ctx, "pending", (int64_t)pending);
	tv_set_bool(ctx, "draft", !cr.released_at);
	tv_set_int(ctx, "call_id", c->id);
	tv_set_bool(ctx, "single", single);
	if (single)
		tv_set_int(ctx, "proposal_id", rows[0].proposal_id);
	page_render(r, 200, "adoption/letters", ctx);
}

void h_admin_call_letters(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0);
	struct call c;
	if (id < 0 || call_get(db, &r->arena, id, &c) != RC_OK) {
		web_error(r, 404, msg("calls.err.no_call"));
		return;
	}
	struct adoption_row *rows;
	size_t n;
	if (adoption_rows(db, &r->arena, id, 0, false, &rows, &n) != RC_OK) {
		web_error(r, 503, msg("results.err.load_failed"));
		return;
	}
	letters_page(r, db, &c, rows, n, false);
}

void h_proposal_letter(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t id = req_param_id(r, 0);
	struct proposal p;
	struct call c;
	if (id < 0 || proposal_get(db, a, id, &p) != RC_OK ||
	    call_get(db, a, p.call_id, &c) != RC_OK) {
		web_error(r, 404, msg("adoption.err.not_found"));
		return;
	}
	struct adoption_row *rows;
	size_t n;
	if (adoption_rows(db, a, p.call_id, p.id, false, &rows, &n) != RC_OK) {
		web_error(r, 503, msg("results.err.load_failed"));
		return;
	}
	if (!n) {
		web_error(r, 409, msg("adoption.err.not_entered"));
		return;
	}
	letters_page(r, db, &c, rows, n, true);
}

/* ---- the applicant's result ---------------------------------------------- */

void h_proposal_result(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t id = req_param_id(r, 0);
	struct proposal p;
	if (id < 0 || proposal_get(db, a, id, &p) != RC_OK) {
		web_error(r, 404, msg("adoption.err.not_found"));
		return;
	}
	bool staff = who_is_staff(r->user);
	int64_t *partner;
	bool applicant = proposal_is_applicant(db, &p, r->user->id) ||
			 proposal_partner_groups_of(db, a, &p, r->user->id, &partner) > 0;
	if (!staff && !applicant) {
		/* Its existence is not revealed. */
		web_error(r, 404, msg("adoption.err.not_found"));
		return;
	}
	struct call_results cr;
	if (adoption_results(db, p.call_id, &cr) != RC_OK) {
		web_error(r, 503, msg("results.err.load_failed"));
		return;
	}
	struct tv *ctx = page_ctx(r, msgf(a, "results.title.show", p.title), NAV_CHALLENGE);
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", p.id);
	tv_set_str(o, "title", p.title);
	tv_set_str(o, "group_name", p.group_name);
	tv_set_str(o, "category_name", p.category_name);
	tv_set_str(o, "call_title", p.call_title);
	tv_set_str(o, "receipt_no", p.receipt_no);
	tv_set(ctx, "p", o);
	tv_set_bool(ctx, "staff", staff);
	tv_set_bool(ctx, "released", cr.released_at != 0);
	if (cr.released_at)
		tv_set_str(ctx, "released_at", page_datetime(a, cr.released_at));

	struct adoption_row *rows;
	size_t n;
	if (adoption_rows(db, a, p.call_id, p.id, false, &rows, &n) != RC_OK) {
		web_error(r, 503, msg("results.err.load_failed"));
		return;
	}
	/* Applicants see nothing of the result before the release; staff see
	 * a preview. */
	if (cr.released_at || staff) {
		struct tv *res = tv_obj(a);
		if (!n) {
			tv_set_bool(res, "not_entered", true);
		} else {
			const char *stopped;
			const char *kind = letter_kind(db, a, &rows[0], &stopped);
			tv_set_bool(res, "pending", kind == NULL);
			tv_set_bool(res, "adopted", rows[0].decided && rows[0].adopted);
			tv_set_bool(res, "rejected", kind && !(rows[0].decided && rows[0].adopted));
			tv_set_str(res, "stopped", stopped);
			if (rows[0].decided && rows[0].adopted) {
				tv_set_str(res, "grant", yen(a, rows[0].grant_yen));
				tv_set_str(res, "division", rows[0].division_name);
				tv_set_str(res, "contract_date",
					   date_label(a, rows[0].contract_date));
				tv_set_str(res, "period",
					   period_label(a, rows[0].contract_date,
							rows[0].implementation_end));
			}
			tv_set_bool(res, "has_letter", kind != NULL);
		}
		tv_set(ctx, "result", res);
	}
	/* The reviewers' comments, without names, once released. */
	if (cr.released_at && cr.comments_released) {
		const char **comments;
		size_t nc = adoption_comments(db, a, p.id, &comments);
		struct tv *list = tv_list(a);
		for (size_t i = 0; i < nc; i++)
			tv_push(list, tv_str(a, comments[i]));
		tv_set(ctx, "comments", list);
		tv_set_bool(ctx, "comments_released", true);
		tv_set_bool(ctx, "has_comments", nc > 0);
	}
	page_render(r, 200, "results/show", ctx);
}

/* ---- the partner division -------------------------------------------------- */

void h_division_projects(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t division = adoption_user_division(db, r->user->id);
	struct tv *ctx = page_ctx(r, msg("results.title.division"), NAV_NONE);
	if (division) {
		struct division d;
		if (division_get(db, a, division, &d) == RC_OK)
			tv_set_str(ctx, "division", d.name);
		struct project_query q = {.division_id = division, .with_unreleased = true};
		struct project *ps;
		size_t n;
		if (project_list(db, a, &q, &ps, &n) != RC_OK) {
			web_error(r, 503, msg("results.err.load_failed"));
			return;
		}
		struct tv *list = tv_list(a);
		for (size_t i = 0; i < n; i++)
			tv_push(list, project_tv(a, &ps[i]));
		tv_set(ctx, "projects", list);
		tv_set_bool(ctx, "has_projects", n > 0);
	}
	tv_set_bool(ctx, "has_division", division != 0);
	page_render(r, 200, "results/division", ctx);
}

/* ---- the office: calls ------------------------------------------------------- */

void h_admin_adoptions(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct call *calls;
	size_t n;
	if (call_list(db, a, true, &calls, &n) != RC_OK) {
		web_error(r, 503, msg("results.err.load_failed"));
		return;
	}
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", calls[i].id);
		tv_set_str(o, "title", calls[i].title);
		tv_set_str(o, "fy_label", call_fy_label(a, calls[i].fiscal_year));
		struct db_stmt *st = db_stmt(db, STMT_ADOPTION_CALL_COUNTS);
		db_bind_int(st, 1, calls[i].id);
		if (db_step(st) == DB_ROW) {
			tv_set_int(o, "entered", db_int(st, 0));
			tv_set_int(o, "decided", db_int(st, 1));
			tv_set_int(o, "adopted", db_int(st, 2));
			db_reset(st);
		}
		struct call_results cr;
		if (adoption_results(db, calls[i].id, &cr) == RC_OK && cr.released_at)
			tv_set_str(o, "released_at", page_datetime(a, cr.released_at));
		tv_push(list, o);
	}
	struct tv *ctx = page_ctx(r, msg("adoption.title.calls"), NAV_NONE);
	tv_set(ctx, "calls", list);
	tv_set_bool(ctx, "has_calls", n > 0);
	page_render(r, 200, "adoption/calls", ctx);
}

enum { DQ_DONE, DQ__MAX };
static const char *const done_codes[] = {"decided", "released", "comments", NULL};
static const struct field_spec done_query[DQ__MAX] = {
    [DQ_DONE] = {"done", "adoption.field.done", F_CHOICE, false, 20, 0, 0, done_codes},
};

enum { RLF_COMMENTS, RLF__MAX };
static const struct field_spec release_fields[RLF__MAX] = {
    [RLF_COMMENTS] = {"comments", "adoption.field.release_comments", F_BOOL, false, 5, 0, 0, NULL},
};

/* A call's proposals by category with their decisions; why (may be NULL)
 * is a refused release's reason. */
static void call_page(struct req *r, struct db *db, int status, const struct call *c,
		      const char *done, const struct adoption_reason *why)
{
	struct arena *a = &r->arena;
	struct call_results cr;
	struct adoption_row *rows;
	size_t n;
	if (adoption_results(db, c->id, &cr) != RC_OK ||
	    adoption_rows(db, a, c->id, 0, true, &rows, &n) != RC_OK) {
		web_error(r, 503, msg("results.err.load_failed"));
		return;
	}
	struct tv *ctx = page_ctx(r, msgf(a, "adoption.title.call", c->title), NAV_NONE);
	tv_set_int(ctx, "call_id", c->id);
	tv_set_str(ctx, "call_title", c->title);
	tv_set_str(ctx, "fy_label", call_fy_label(a, c->fiscal_year));
	/* adoption.done.<code>: what the office just did */
	for (size_t i = 0; done && done_codes[i]; i++)
		if (strcmp(done, done_codes[i]) == 0)
			tv_set_str(ctx, "done",
				   msg(arena_printf(a, "adoption.done.%s", done_codes[i])));
	if (why)
		tv_set_str(ctx, "refused", reason_text(a, why));

	struct tv *cats = tv_list(a), *items = NULL, *cat = NULL;
	int64_t current = 0, adopted = 0;
	size_t open = 0;
	for (size_t i = 0; i <= n; i++) {
		if (cat && (i == n || rows[i].category_id != current)) {
			const struct adoption_row *prev = &rows[i - 1];
			tv_set_int(cat, "adopted", adopted);
			tv_set_int(cat, "expected", prev->expected_adoptions);
			tv_set_bool(cat, "over",
				    prev->expected_adoptions > 0 &&
					adopted > prev->expected_adoptions);
		}
		if (i == n)
			break;
		const struct adoption_row *row = &rows[i];
		if (!cat || row->category_id != current) {
			current = row->category_id;
			adopted = 0;
			cat = tv_obj(a);
			tv_set_str(cat, "name", row->category_name);
			tv_set_int(cat, "id", row->category_id);
			items = tv_list(a);
			tv_set(cat, "rows", items);
			tv_push(cats, cat);
		}
		adopted += row->decided && row->adopted;
		open += !row->decided && row->may_decide;
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", row->proposal_id);
		tv_set_str(o, "receipt_no", row->receipt_no);
		tv_set_str(o, "title", row->title);
		tv_set_str(o, "group", row->group_name);
		tv_set_str(o, "requested", yen(a, row->requested));
		tv_set_bool(o, "may_decide", row->may_decide && !cr.released_at);
		/* Undecided: stopped at an earlier stage (不採択), or why not yet. */
		const char *stopped =
		    row->decided ? NULL : adoption_stopped_at(db, a, row->proposal_id);
		tv_set_str(o, "stopped", stopped);
		tv_set_str(o, "why", row->may_decide || stopped ? NULL : refusal_text(row->why));
		tv_set_bool(o, "decided", row->decided);
		tv_set_bool(o, "adopted", row->decided && row->adopted);
		if (row->decided && row->adopted) {
			tv_set_str(o, "grant", yen(a, row->grant_yen));
			tv_set_str(o, "division", row->division_name);
		}
		tv_push(items, o);
	}
	tv_set(ctx, "categories", cats);
	tv_set_bool(ctx, "has_rows", n > 0);
	tv_set_int(ctx, "open", (int64_t)open);
	tv_set_bool(ctx, "released", cr.released_at != 0);
	if (cr.released_at)
		tv_set_str(ctx, "released_at", page_datetime(a, cr.released_at));
	tv_set_bool(ctx, "comments_released", cr.comments_released);
	struct tv *fields = page_form(r, ctx, release_fields, RLF__MAX, NULL, NULL);
	page_field_set(fields, "comments", "value", tv_str(a, "1"));
	page_field_set(fields, "comments", "checkbox", tv_bool(a, true));
	page_field_set(fields, "comments", "checked", tv_bool(a, cr.comments_released));
	page_render(r, status, "adoption/call", ctx);
}

static bool load_call(struct req *r, struct db *db, struct call *c)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || call_get(db, &r->arena, id, c) != RC_OK) {
		web_error(r, 404, msg("calls.err.no_call"));
		return false;
	}
	return true;
}

void h_admin_call_adoptions(struct req *r)
{
	struct db *db = page_db(r);
	struct call c;
	if (!db || !load_call(r, db, &c))
		return;
	struct form q;
	if (!call_check_query(r, done_query, DQ__MAX, &q, "results.err.bad_query"))
		return;
	call_page(r, db, 200, &c, q.v[DQ_DONE].present ? form_s(&q, DQ_DONE) : NULL, NULL);
}

void h_admin_call_release(struct req *r)
{
	struct db *db = page_db(r);
	struct call c;
	if (!db || !load_call(r, db, &c))
		return;
	struct form f;
	if (!call_check_form(r, release_fields, RLF__MAX, &f))
		return;
	if (f.nerrors) {
		web_error(r, 400, msg("calls.err.bad_fields"));
		return;
	}
	bool was = adoption_results_released(db, c.id);
	size_t notified;
	struct adoption_reason why;
	enum rc rc = adoption_release(db, &r->arena, c.id, f.v[RLF_COMMENTS].i != 0, r->user->id,
				      now_s(), &notified, &why);
	if (rc == RC_INVALID) {
		call_page(r, db, 422, &c, NULL, &why);
		return;
	}
	if (rc != RC_OK) {
		web_error(r, rc == RC_NOT_FOUND ? 404 : 503, msg(adoption_rc_key(rc)));
		return;
	}
	resp_redirect(r, arena_printf(&r->arena, "/admin/calls/%lld/adoptions?done=%s",
				      (long long)c.id, was ? "comments" : "released"));
}

/* ---- the office: one decision ------------------------------------------------ */

/* The decision form for p; f carries a refused submission, why a refusal
 * of the whole decision. */
static void decision_page(struct req *r, struct db *db, int status, const struct proposal *p,
			  const struct form *f, const char *why)
{
	struct arena *a = &r->arena;
	struct category k;
	if (category_get(db, a, p->category_id, &k) != RC_OK) {
		web_error(r, 404, msg("adoption.err.not_found"));
		return;
	}
	struct tv *ctx = page_ctx(r, msgf(a, "adoption.title.decision", p->title), NAV_NONE);
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", p->id);
	tv_set_int(o, "call_id", p->call_id);
	tv_set_str(o, "title", p->title);
	tv_set_str(o, "summary", p->summary);
	tv_set_str(o, "receipt_no", p->receipt_no);
	tv_set_str(o, "group_name", p->group_name);
	tv_set_str(o, "category_name", p->category_name);
	tv_set_str(o, "call_title", p->call_title);
	tv_set_str(o, "requested", yen(a, p->totals.requested));
	tv_set_str(o, "cap", yen(a, k.cap_yen));
	tv_set_str(o, "desired_division", p->division_name);
	tv_set_str(o, "implementation_end", date_label(a, k.implementation_end));
	tv_set(ctx, "p", o);

	int64_t adopted = adoption_count(db, k.id, p->id);
	tv_set_int(ctx, "adopted_others", adopted);
	tv_set_int(ctx, "expected", k.expected_adoptions);
	tv_set_bool(ctx, "full", k.expected_adoptions > 0 && adopted >= k.expected_adoptions);
	tv_set_str(ctx, "full_note",
		   msgf(a, "adoption.form.full_note", p->category_name,
			arena_printf(a, "%lld", (long long)adopted),
			arena_printf(a, "%lld", (long long)k.expected_adoptions)));

	const char *refusal = why;
	if (!refusal) {
		const char *w = NULL;
		if (!review_may_adopt(db, a, p->id, &w))
			refusal = w ? w : "adoption.err.refused";
	}
	if (refusal)
		tv_set_str(ctx, "refused", refusal_text(refusal));
	if (adoption_results_released(db, p->call_id))
		tv_set_bool(ctx, "released", true);

	/* Defaults: the stored decision, else adopt the requested amount with
	 * the division the group asked for. */
	struct adoption cur;
	bool decided = adoption_get(db, a, p->id, &cur) == RC_OK;
	const char *defaults[ADF__MAX] = {0};
	if (decided) {
		defaults[ADF_DECISION] = cur.adopted ? "adopt" : "reject";
		defaults[ADF_GRANT] =
		    cur.adopted ? arena_printf(a, "%lld", (long long)cur.grant_yen) : "";
		defaults[ADF_DIVISION] =
		    cur.division_id ? arena_printf(a, "%lld", (long long)cur.division_id) : "";
		defaults[ADF_CONTRACT_DATE] = cur.contract_date;
		defaults[ADF_REASON] = cur.reason;
		tv_set_str(ctx, "current", msg(adoption_decision_label_keys[cur.adopted ? 0 : 1]));
	} else {
		defaults[ADF_GRANT] = p->totals.requested > 0
					  ? arena_printf(a, "%lld", (long long)p->totals.requested)
					  : "";
		defaults[ADF_DIVISION] =
		    p->division_id ? arena_printf(a, "%lld", (long long)p->division_id) : "";
	}
	struct tv *fields = page_form(r, ctx, adoption_fields, ADF__MAX, f, defaults);
	const char *decisions[2] = {msg(adoption_decision_label_keys[0]),
				    msg(adoption_decision_label_keys[1])};
	call_select_options(r, fields, "decision", adoption_decision_keys, decisions, 2,
			    f ? form_s(f, ADF_DECISION) : defaults[ADF_DECISION]);
	web_division_select(r, fields, "division",
			    f ? form_s(f, ADF_DIVISION) : defaults[ADF_DIVISION]);
	page_field_set(fields, "grant_yen", "hint",
		       tv_str(a, msgf(a, "adoption.hint.grant_yen", yen(a, p->totals.requested),
				      yen(a, k.cap_yen))));
	page_field_set(fields, "division", "hint", tv_str(a, msg("adoption.hint.division")));
	page_field_set(fields, "contract_date", "hint",
		       tv_str(a, msg("adoption.hint.contract_date")));
	page_field_set(
	    fields, "reason", "hint",
	    tv_str(a, k.expected_adoptions > 0
			  ? msgf(a, "adoption.hint.reason_expected", k.name,
				 arena_printf(a, "%lld", (long long)k.expected_adoptions))
			  : msg("adoption.hint.reason")));
	page_render(r, status, "adoption/form", ctx);
}

/* The proposal of the route, for the office. */
static bool load_proposal(struct req *r, struct db *db, struct proposal *p)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || proposal_get(db, &r->arena, id, p) != RC_OK) {
		web_error(r, 404, msg("adoption.err.not_found"));
		return false;
	}
	return true;
}

void h_admin_adoption_form(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !load_proposal(r, db, &p))
		return;
	decision_page(r, db, 200, &p, NULL, NULL);
}

void h_admin_adoption_save(struct req *r)
{
	struct db *db = page_db(r);
	struct proposal p;
	if (!db || !load_proposal(r, db, &p))
		return;
	struct arena *a = &r->arena;
	struct form f;
	if (!call_check_form(r, adoption_fields, ADF__MAX, &f))
		return;
	if (f.nerrors) {
		decision_page(r, db, 422, &p, &f, NULL);
		return;
	}
	struct adoption in = {.proposal_id = p.id};
	adoption_from_form(&f, &in);
	struct adoption_problem *ps;
	size_t np;
	const char *why;
	enum rc rc = adoption_decide(db, a, &in, r->user->id, now_s(), &ps, &np, &why);
	switch (rc) {
	case RC_OK:
		resp_redirect(r, arena_printf(a, "/admin/calls/%lld/adoptions?done=decided",
					      (long long)p.call_id));
		return;
	case RC_INVALID:
		for (size_t i = 0; i < np; i++)
			form_error(&f, ps[i].field, reason_text(a, &ps[i].why));
		decision_page(r, db, 422, &p, &f, NULL);
		return;
	case RC_STATE:
		decision_page(r, db, 422, &p, &f, why);
		return;
	case RC_CLOSED:
	case RC_NOT_FOUND:
		web_error(r, rc_status(rc), msg(adoption_rc_key(rc)));
		return;
	default:
		web_error(r, 503, msg(adoption_rc_key(rc)));
	}
}
