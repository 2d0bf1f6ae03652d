/*
 * The challenge program's calls (募集): the public program page and call
 * pages, the JSON API, and the office's admin pages for divisions,
 * programs, calls, categories, milestones and guide documents.
 *
 * A call's status and countdown depend on the clock, so none of these
 * routes is in the page cache (app.c).  Admin routes are PERM_ADMIN: the
 * server has checked the role and the CSRF token before they run; every
 * write goes through domain/call.c with its audit entry.
 */
#include "core/who.h"
#include "challenge/call.h"
#include "challenge/handlers.h"
#include "files/files.h"
#include "groups/group.h"
#include "core/role.h"
#include "util/jp.h"
#include "web/page.h"
#include "web/web.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Guide documents: PDF only, at most 10 MiB each. */
#define DOC_MAX_BYTES (10u << 20)
/* The one file field of the document form. */
static const char *const doc_file_field = "file";

static const char *const bad_fields = "送信された項目が正しくありません。";
static const char *const save_failed = "保存できませんでした。しばらくしてからお試しください。";
static const char *const no_call = "お探しの募集は見つかりませんでした。";

/* ---- formatting -------------------------------------------------------- */

/* An arena copy of b's text; releases b. */
static const char *take(struct arena *a, struct buf *b)
{
	const char *s = arena_strdup(a, b->p ? b->p : "");
	buf_release(b);
	return s;
}

/* 令和7年5月30日(金) 17:00 */
static const char *jst_label(struct arena *a, int64_t t)
{
	struct buf b = BUF_INIT;
	call_format_jst(&b, t);
	return take(a, &b);
}

/* "2025-05-30T17:00", the value of a datetime-local input. */
static const char *jst_input(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", j.y, j.m, j.d, j.hh, j.mi);
}

/* ISO 8601 with the JST offset, for the API. */
static const char *jst_iso(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", j.y, j.m, j.d, j.hh, j.mi,
			    j.ss);
}

/* 令和8年3月31日(火) for an ISO date, or NULL when empty/invalid. */
static const char *date_label(struct arena *a, const char *iso)
{
	int y, m, d;
	if (!iso || jp_parse_iso_date(iso, strlen(iso), &y, &m, &d) != 0)
		return NULL;
	struct buf b = BUF_INIT;
	jp_wareki_date(&b, y, m, d, true);
	return take(a, &b);
}

static const char *yen_label(struct arena *a, int64_t yen)
{
	struct buf b = BUF_INIT;
	call_format_yen(&b, yen);
	return take(a, &b);
}

static const char *fy_label(struct arena *a, int64_t fy)
{
	struct buf b = BUF_INIT;
	jp_fiscal_year_label(&b, (int)fy);
	return take(a, &b);
}

static const char *countdown(struct arena *a, int64_t deadline, int64_t now)
{
	struct buf b = BUF_INIT;
	call_countdown(&b, deadline, now);
	return take(a, &b);
}

/* The badge modifier for a status (the status is always in the text too). */
static const char *status_badge(enum call_status s)
{
	switch (s) {
	case CALL_STATUS_OPEN:
		return "badge--success";
	case CALL_STATUS_BEFORE:
		return "badge--primary";
	case CALL_STATUS_REVIEW:
		return "badge--warning";
	default:
		return "";
	}
}

static void set_status(struct tv *o, enum call_status s)
{
	tv_set_str(o, "status", call_status_key(s));
	tv_set_str(o, "status_label", call_status_label(s));
	tv_set_str(o, "status_badge", status_badge(s));
}

static bool is_staff(const struct req *r)
{
	return r->user && (r->user->roles & PERM_STAFF);
}

static bool is_admin(const struct req *r)
{
	return r->user && (r->user->roles & ROLE_ADMIN);
}

/* ---- template values ----------------------------------------------------- */

static struct tv *category_tv(struct req *r, const struct category *c, int64_t now)
{
	struct arena *a = &r->arena;
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", c->id);
	tv_set_int(o, "call_id", c->call_id);
	tv_set_str(o, "name", c->name);
	tv_set_str(o, "short_name", c->short_name);
	tv_set_str(o, "description", c->description);
	tv_set_str(o, "eligibility", c->eligibility);
	tv_set_str(o, "cap", yen_label(a, c->cap_yen));
	if (c->min_members > 0)
		tv_set_int(o, "min_members", c->min_members);
	if (c->min_groups > 1)
		tv_set_int(o, "min_groups", c->min_groups);
	tv_set_bool(o, "needs_coordinator", c->needs_coordinator);
	tv_set_bool(o, "needs_division", c->needs_division);
	tv_set_bool(o, "needs_any", c->needs_coordinator || c->needs_division);
	tv_set_str(o, "opens", jst_label(a, c->opens_at));
	tv_set_str(o, "deadline", jst_label(a, c->deadline_at));
	tv_set_str(o, "implementation_end", date_label(a, c->implementation_end));
	if (c->expected_adoptions > 0)
		tv_set_int(o, "expected_adoptions", c->expected_adoptions);
	tv_set_int(o, "position", c->position);
	bool open = category_is_open(c, now);
	tv_set_bool(o, "open", open);
	if (open) {
		tv_set_str(o, "state_label", "受付中");
		tv_set_str(o, "state_badge", "badge--success");
		tv_set_str(o, "countdown", countdown(a, c->deadline_at, now));
	} else if (now < c->opens_at) {
		tv_set_str(o, "state_label", "受付前");
		tv_set_str(o, "state_badge", "badge--primary");
	} else {
		tv_set_str(o, "state_label", "締切");
		tv_set_str(o, "state_badge", "");
	}
	return o;
}

/* "令和7年4月20日(日) 13:30〜15:00" or "〜 令和7年5月30日(金) 17:00". */
static const char *milestone_when(struct arena *a, const struct milestone *m)
{
	struct buf b = BUF_INIT;
	call_format_jst(&b, m->starts_at);
	if (m->ends_at) {
		struct jst s, e;
		jp_unix_to_jst(m->starts_at, &s);
		jp_unix_to_jst(m->ends_at, &e);
		if (s.y == e.y && s.m == e.m && s.d == e.d)
			buf_printf(&b, "〜%02d:%02d", e.hh, e.mi);
		else {
			buf_adds(&b, " 〜 ");
			call_format_jst(&b, m->ends_at);
		}
	}
	return take(a, &b);
}

static struct tv *timeline_tv(struct req *r, const struct call_view *v, int64_t now)
{
	struct arena *a = &r->arena;
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < v->nmilestones; i++) {
		const struct milestone *m = &v->milestones[i];
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", m->id);
		tv_set_str(o, "kind", milestone_kind_keys[m->kind]);
		tv_set_str(o, "kind_label", milestone_kind_labels[m->kind]);
		tv_set_str(o, "title", *m->label ? m->label : milestone_kind_labels[m->kind]);
		tv_set_str(o, "label", m->label);
		tv_set_str(o, "when", milestone_when(a, m));
		tv_set_str(o, "place", m->place);
		enum milestone_state s = milestone_state(v, i, now);
		tv_set_bool(o, "done", s == MS_STATE_DONE);
		tv_set_bool(o, "current", s == MS_STATE_CURRENT);
		tv_push(list, o);
	}
	return list;
}

/* "PDF・1.2MB" */
static const char *doc_meta(struct arena *a, const struct call_document *d)
{
	const char *kind = strcmp(d->mime, "application/pdf") == 0 ? "PDF" : d->mime;
	if (d->size >= 1024 * 1024)
		return arena_printf(a, "%s・%.1fMB", kind, (double)d->size / (1024.0 * 1024.0));
	return arena_printf(a, "%s・%lldKB", kind, (long long)((d->size + 1023) / 1024));
}

static struct tv *documents_tv(struct req *r, const struct call_view *v)
{
	struct arena *a = &r->arena;
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < v->ndocuments; i++) {
		const struct call_document *d = &v->documents[i];
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", d->id);
		tv_set_int(o, "file_id", d->file_id);
		tv_set_str(o, "title", d->title);
		tv_set_str(o, "meta", doc_meta(a, d));
		tv_push(list, o);
	}
	return list;
}

/* What the program page, the home page and the call page share. */
static struct tv *call_tv(struct req *r, const struct call_view *v, int64_t now)
{
	struct arena *a = &r->arena;
	const struct call *c = &v->call;
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", c->id);
	tv_set_str(o, "url", arena_printf(a, "/challenge/calls/%lld", (long long)c->id));
	tv_set_str(o, "title", c->title);
	tv_set_str(o, "program_name", c->program_name);
	tv_set_int(o, "fiscal_year", c->fiscal_year);
	tv_set_str(o, "fy_label", fy_label(a, c->fiscal_year));
	tv_set_bool(o, "published", c->published);
	enum call_status s = call_status(v, now);
	set_status(o, s);
	int64_t next = call_next_deadline(v, now);
	if (next) {
		tv_set_str(o, "countdown", countdown(a, next, now));
		tv_set_str(o, "next_deadline", jst_label(a, next));
	}
	/* The opening for a call that has yet to open. */
	if (s == CALL_STATUS_BEFORE) {
		int64_t first = 0;
		for (size_t i = 0; i < v->ncategories; i++)
			if (now < v->categories[i].opens_at &&
			    (!first || v->categories[i].opens_at < first))
				first = v->categories[i].opens_at;
		if (first)
			tv_set_str(o, "opens", jst_label(a, first));
	}
	struct tv *cats = tv_list(a);
	for (size_t i = 0; i < v->ncategories; i++)
		tv_push(cats, category_tv(r, &v->categories[i], now));
	tv_set(o, "categories", cats);
	tv_set_bool(o, "has_categories", v->ncategories > 0);
	return o;
}

/* ---- public pages ---------------------------------------------------------- */

void web_home_call(struct req *r, struct tv *ctx)
{
	struct db *db = db_thread();
	struct call c;
	struct call_view v;
	int64_t now = (int64_t)time(NULL);
	if (!db || call_current(db, &r->arena, now, &c) != CALL_OK ||
	    call_load(db, &r->arena, c.id, &v) != CALL_OK)
		return;
	tv_set(ctx, "current_call", call_tv(r, &v, now));
}

void h_challenge(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t now = (int64_t)time(NULL);
	bool staff = is_staff(r);

	struct call *calls;
	size_t n;
	if (call_list(db, a, staff, &calls, &n) != CALL_OK) {
		web_error(r, 503,
			  "募集の情報を読み込めませんでした。しばらくしてからお試しください。");
		return;
	}
	struct call cur;
	bool have_current = call_current(db, a, now, &cur) == CALL_OK;

	struct program *programs;
	size_t np = 0;
	program_list(db, a, &programs, &np);
	const char *title = np ? programs[0].name : "協働のまちづくりチャレンジ事業";
	if (have_current)
		title = cur.program_name;
	struct tv *ctx = page_ctx(r, title, NAV_CHALLENGE);
	tv_set_str(ctx, "heading", title);
	for (size_t i = 0; i < np; i++)
		if (strcmp(programs[i].name, title) == 0 && *programs[i].description)
			tv_set(ctx, "program_html",
			       tv_raw(a, markdown_html(a, programs[i].description)));

	if (have_current) {
		struct call_view v;
		if (call_load(db, a, cur.id, &v) == CALL_OK) {
			struct tv *o = call_tv(r, &v, now);
			tv_set(o, "timeline", timeline_tv(r, &v, now));
			tv_set_bool(o, "has_timeline", v.nmilestones > 0);
			tv_set(ctx, "current", o);
		}
	}
	/* The other calls, newest year first. */
	struct tv *others = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		if (have_current && calls[i].id == cur.id)
			continue;
		struct call_view v;
		if (call_load(db, a, calls[i].id, &v) != CALL_OK)
			continue;
		tv_push(others, call_tv(r, &v, now));
	}
	tv_set(ctx, "others", others);
	tv_set_bool(ctx, "has_others", tv_len(others) > 0);
	tv_set_bool(ctx, "can_manage", is_admin(r));
	page_render(r, 200, "calls/index", ctx);
}

void h_call(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t id = req_param_id(r, 0);
	struct call_view v;
	if (id < 0 || call_load(db, a, id, &v) != CALL_OK || (!v.call.published && !is_staff(r))) {
		web_error(r, 404, no_call);
		return;
	}
	int64_t now = (int64_t)time(NULL);
	struct tv *ctx = page_ctx(r, v.call.title, NAV_CHALLENGE);
	struct tv *o = call_tv(r, &v, now);
	tv_set(o, "description_html", tv_raw(a, markdown_html(a, v.call.description)));
	tv_set(o, "timeline", timeline_tv(r, &v, now));
	tv_set_bool(o, "has_timeline", v.nmilestones > 0);
	tv_set(o, "documents", documents_tv(r, &v));
	tv_set_bool(o, "has_documents", v.ndocuments > 0);
	tv_set(ctx, "call", o);
	tv_set_bool(ctx, "can_manage", is_admin(r));
	page_render(r, 200, "calls/show", ctx);
}

/* ---- API -------------------------------------------------------------------- */

static void send_json(struct req *r, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	buf_reset(&r->body);
	if (s)
		buf_adds(&r->body, s);
	free(s);
	json_decref(j);
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
}

static json_t *category_json(struct req *r, const struct category *c, int64_t now)
{
	struct arena *a = &r->arena;
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "name", json_string(c->name));
	json_object_set_new(j, "short_name", json_string(c->short_name));
	json_object_set_new(j, "description", json_string(c->description));
	json_object_set_new(j, "eligibility", json_string(c->eligibility));
	json_object_set_new(j, "cap_yen", json_integer(c->cap_yen));
	json_object_set_new(j, "min_members", json_integer(c->min_members));
	json_object_set_new(j, "min_groups", json_integer(c->min_groups));
	json_object_set_new(j, "needs_coordinator", json_boolean(c->needs_coordinator));
	json_object_set_new(j, "needs_division", json_boolean(c->needs_division));
	json_object_set_new(j, "opens_at", json_string(jst_iso(a, c->opens_at)));
	json_object_set_new(j, "deadline_at", json_string(jst_iso(a, c->deadline_at)));
	json_object_set_new(j, "implementation_end",
			    *c->implementation_end ? json_string(c->implementation_end)
						   : json_null());
	json_object_set_new(j, "expected_adoptions", json_integer(c->expected_adoptions));
	json_object_set_new(j, "open", json_boolean(category_is_open(c, now)));
	return j;
}

static json_t *call_json(struct req *r, const struct call_view *v, int64_t now)
{
	struct arena *a = &r->arena;
	const struct call *c = &v->call;
	enum call_status s = call_status(v, now);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(
	    j, "program",
	    json_pack("{s:I,s:s}", "id", (json_int_t)c->program_id, "name", c->program_name));
	json_object_set_new(j, "fiscal_year", json_integer(c->fiscal_year));
	json_object_set_new(j, "fiscal_year_label", json_string(fy_label(a, c->fiscal_year)));
	json_object_set_new(j, "title", json_string(c->title));
	json_object_set_new(j, "description", json_string(c->description));
	json_object_set_new(j, "status", json_string(call_status_key(s)));
	json_object_set_new(j, "status_label", json_string(call_status_label(s)));
	int64_t next = call_next_deadline(v, now);
	json_object_set_new(j, "next_deadline", next ? json_string(jst_iso(a, next)) : json_null());
	json_object_set_new(j, "url",
			    json_string(arena_printf(a, "%s/challenge/calls/%lld", web_base_url(),
						     (long long)c->id)));
	json_t *cats = json_array();
	for (size_t i = 0; i < v->ncategories; i++)
		json_array_append_new(cats, category_json(r, &v->categories[i], now));
	json_object_set_new(j, "categories", cats);
	json_t *ms = json_array();
	for (size_t i = 0; i < v->nmilestones; i++) {
		const struct milestone *m = &v->milestones[i];
		json_array_append_new(
		    ms, json_pack("{s:s,s:s,s:s,s:o,s:s}", "kind", milestone_kind_keys[m->kind],
				  "label", *m->label ? m->label : milestone_kind_labels[m->kind],
				  "starts_at", jst_iso(a, m->starts_at), "ends_at",
				  m->ends_at ? json_string(jst_iso(a, m->ends_at)) : json_null(),
				  "place", m->place));
	}
	json_object_set_new(j, "milestones", ms);
	json_t *docs = json_array();
	for (size_t i = 0; i < v->ndocuments; i++) {
		const struct call_document *d = &v->documents[i];
		json_array_append_new(docs,
				      json_pack("{s:s,s:s,s:s,s:I}", "title", d->title, "url",
						arena_printf(a, "%s/files/%lld", web_base_url(),
							     (long long)d->file_id),
						"mime", d->mime, "size", (json_int_t)d->size));
	}
	json_object_set_new(j, "documents", docs);
	return j;
}

void h_api_calls(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	if (r->nargs) {
		web_error(r, 400, "この一覧に指定できる条件はありません。");
		return;
	}
	struct arena *a = &r->arena;
	int64_t now = (int64_t)time(NULL);
	struct call *calls;
	size_t n;
	if (call_list(db, a, false, &calls, &n) != CALL_OK) {
		web_error(r, 503, "読み込めませんでした。");
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		struct call_view v;
		if (call_load(db, a, calls[i].id, &v) == CALL_OK)
			json_array_append_new(items, call_json(r, &v, now));
	}
	send_json(r, 200, json_pack("{s:o}", "items", items));
}

void h_api_call(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0);
	struct call_view v;
	if (id < 0 || call_load(db, &r->arena, id, &v) != CALL_OK || !v.call.published) {
		web_error(r, 404, "募集が見つかりません。");
		return;
	}
	send_json(r, 200, call_json(r, &v, (int64_t)time(NULL)));
}

/* ---- admin helpers ------------------------------------------------------------ */

/* Make field name a <select> with these values and labels; chosen is the
 * value to select (may be NULL). */
static void select_options(struct req *r, struct tv *fields, const char *name,
			   const char *const *values, const char *const *labels, size_t n,
			   const char *chosen)
{
	struct tv *field = tv_get(fields, name);
	if (!field)
		return;
	struct arena *a = &r->arena;
	struct tv *list = tv_list(a);
	struct tv *blank = tv_obj(a);
	tv_set_str(blank, "value", "");
	tv_set_str(blank, "label", "選択してください");
	tv_push(list, blank);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "value", values[i]);
		tv_set_str(o, "label", labels[i]);
		tv_set_bool(o, "selected", chosen && strcmp(chosen, values[i]) == 0);
		tv_push(list, o);
	}
	tv_set(field, "options", list);
	tv_set_bool(field, "select", true);
}

/* Make field name a single checkbox, checked or not. */
static void checkbox(struct req *r, struct tv *fields, const char *name, bool checked)
{
	page_field_set(fields, name, "value", tv_str(&r->arena, "1"));
	page_field_set(fields, name, "checkbox", tv_bool(&r->arena, true));
	page_field_set(fields, name, "checked", tv_bool(&r->arena, checked));
}

/*
 * util/form.c keeps a date-time as typed after case-folding, so
 * "2025-04-01T09:00" comes back as "2025-04-01t09:00", which a
 * datetime-local input does not accept: give re-displayed values their
 * capital T back.
 */
static void datetime_values(struct req *r, struct tv *fields, const struct form *f)
{
	for (size_t i = 0; f && i < f->n; i++) {
		const struct field_value *v = &f->v[i];
		if (f->spec[i].kind != F_DATETIME || v->n <= 10 || v->s[10] != 't')
			continue;
		char *s = arena_strndup(&r->arena, v->s, v->n);
		s[10] = 'T';
		page_field_set(fields, f->spec[i].name, "value", tv_str(&r->arena, s));
	}
}

void web_division_select(struct req *r, struct tv *fields, const char *name, const char *chosen)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct division *d = NULL;
	size_t n = 0;
	if (db)
		division_list(db, a, false, &d, &n);
	const char **values = arena_alloc(a, (n + 1) * sizeof(*values));
	const char **labels = arena_alloc(a, (n + 1) * sizeof(*labels));
	for (size_t i = 0; i < n; i++) {
		values[i] = arena_printf(a, "%lld", (long long)d[i].id);
		labels[i] = d[i].name;
	}
	select_options(r, fields, name, values, labels, n, chosen);
}

/* Validate r->form against spec; a 400 for undeclared or repeated keys
 * (a form we did not draw).  Returns false when the 400 was sent. */
static bool check_form(struct req *r, const struct field_spec *spec, size_t n, struct form *f)
{
	form_check(&r->arena, spec, n, r->form, r->nform, f);
	if (f->unknown || f->repeated) {
		web_error(r, 400, bad_fields);
		return false;
	}
	return true;
}

/* The call in route parameter i, or a 404. */
static bool load_call(struct req *r, struct db *db, int i, struct call_view *v)
{
	int64_t id = req_param_id(r, i);
	if (id < 0 || call_load(db, &r->arena, id, v) != CALL_OK) {
		web_error(r, 404, no_call);
		return false;
	}
	return true;
}

static const char *admin_call_url(struct req *r, int64_t id)
{
	return arena_printf(&r->arena, "/admin/calls/%lld", (long long)id);
}

/* ---- admin: divisions ---------------------------------------------------------- */

enum { DQ_EDIT, DQ__MAX };
static const struct field_spec division_query[DQ__MAX] = {
    [DQ_EDIT] = {"edit", "編集する担当課", F_ID, false, 20, 0, 0, NULL},
};

/* The archived checkbox of the edit form comes after division_fields. */
enum { DE_NAME, DE_CONTACT, DE_ARCHIVED, DE__MAX };
static const struct field_spec division_edit_fields[DE__MAX] = {
    [DE_NAME] = {"name", "担当課の名前", F_LINE, true, 50, 0, 0, NULL},
    [DE_CONTACT] = {"contact", "連絡先", F_LINE, false, 200, 0, 0, NULL},
    [DE_ARCHIVED] = {"archived", "アーカイブする（選択肢に表示しない）", F_BOOL, false, 5, 0, 0,
		     NULL},
};

static void divisions_page(struct req *r, int status, const struct division *edit,
			   const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "担当課の管理", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	struct division *list = NULL;
	size_t n = 0;
	if (db)
		division_list(db, a, true, &list, &n);
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", list[i].id);
		tv_set_str(o, "name", list[i].name);
		tv_set_str(o, "contact", list[i].contact);
		tv_set_bool(o, "archived", list[i].archived);
		tv_set_bool(o, "editing", edit && edit->id == list[i].id);
		tv_push(items, o);
	}
	tv_set(ctx, "divisions", items);
	struct tv *fields;
	if (edit) {
		struct tv *e = tv_obj(a);
		tv_set_int(e, "id", edit->id);
		tv_set_str(e, "name", edit->name);
		tv_set(ctx, "edit", e);
		tv_set_str(ctx, "action",
			   arena_printf(a, "/admin/divisions/%lld", (long long)edit->id));
		const char *defaults[DE__MAX] = {
		    [DE_NAME] = edit->name, [DE_CONTACT] = edit->contact};
		fields = page_form(r, ctx, division_edit_fields, DE__MAX, f, defaults);
		checkbox(r, fields, "archived", f ? f->v[DE_ARCHIVED].i != 0 : edit->archived);
	} else {
		tv_set_str(ctx, "action", "/admin/divisions");
		fields = page_form(r, ctx, division_fields, DIVF__MAX, f, NULL);
	}
	page_field_set(fields, "contact", "hint",
		       tv_str(a, "応募する団体に案内する電話番号やメールアドレスです。"));
	page_render(r, status, "admin/divisions", ctx);
}

void h_admin_divisions(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct form q;
	form_check(&r->arena, division_query, DQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, "リクエストの項目が正しくありません。");
		return;
	}
	if (q.v[DQ_EDIT].present) {
		struct division d;
		if (division_get(db, &r->arena, q.v[DQ_EDIT].i, &d) != CALL_OK) {
			web_error(r, 404, "お探しの担当課は見つかりませんでした。");
			return;
		}
		divisions_page(r, 200, &d, NULL);
		return;
	}
	divisions_page(r, 200, NULL, NULL);
}

static const char *const division_dup = "同じ名前の担当課が既にあります";

void h_admin_division_create(struct req *r)
{
	struct db *db = page_db(r);
	struct form f;
	if (!db || !check_form(r, division_fields, DIVF__MAX, &f))
		return;
	struct division d = {0};
	if (division_from_form(&f, &d)) {
		divisions_page(r, 422, NULL, &f);
		return;
	}
	enum call_rc rc = division_save(db, &d, r->user->id);
	if (rc == CALL_INVALID) {
		form_error(&f, DIVF_NAME, division_dup);
		divisions_page(r, 422, NULL, &f);
		return;
	}
	if (rc != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "created");
	resp_redirect(r, "/admin/divisions");
}

void h_admin_division_update(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct division old;
	int64_t id = req_param_id(r, 0);
	if (id < 0 || division_get(db, &r->arena, id, &old) != CALL_OK) {
		web_error(r, 404, "お探しの担当課は見つかりませんでした。");
		return;
	}
	struct form f;
	if (!check_form(r, division_edit_fields, DE__MAX, &f))
		return;
	if (f.nerrors) {
		divisions_page(r, 422, &old, &f);
		return;
	}
	struct division d = old;
	d.name = form_s(&f, DE_NAME);
	d.contact = form_s(&f, DE_CONTACT);
	bool archived = f.v[DE_ARCHIVED].i != 0;
	enum call_rc rc = CALL_OK;
	if (strcmp(d.name, old.name) != 0 || strcmp(d.contact, old.contact) != 0)
		rc = division_save(db, &d, r->user->id);
	if (rc == CALL_INVALID) {
		form_error(&f, DE_NAME, division_dup);
		divisions_page(r, 422, &old, &f);
		return;
	}
	if (rc == CALL_OK && archived != old.archived)
		rc = division_set_archived(db, id, archived, r->user->id);
	if (rc != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	if (archived != old.archived)
		page_flash(r, archived ? "archived" : "restored");
	else
		page_flash(r, "saved");
	resp_redirect(r, "/admin/divisions");
}

/* ---- admin: programs and calls ---------------------------------------------------- */

void h_admin_calls(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t now = (int64_t)time(NULL);
	struct tv *ctx = page_ctx(r, "募集の管理", NAV_NONE);
	struct call *calls = NULL;
	size_t n = 0;
	call_list(db, a, true, &calls, &n);
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct call_view v;
		if (call_load(db, a, calls[i].id, &v) != CALL_OK)
			continue;
		struct tv *o = call_tv(r, &v, now);
		tv_set_int(o, "ncategories", (int64_t)v.ncategories);
		tv_push(items, o);
	}
	tv_set(ctx, "calls", items);
	struct program *p = NULL;
	size_t np = 0;
	program_list(db, a, &p, &np);
	struct tv *programs = tv_list(a);
	for (size_t i = 0; i < np; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", p[i].id);
		tv_set_str(o, "name", p[i].name);
		tv_push(programs, o);
	}
	tv_set(ctx, "programs", programs);
	tv_set_bool(ctx, "has_programs", np > 0);
	page_render(r, 200, "admin/calls", ctx);
}

static void program_page(struct req *r, int status, const struct program *p, const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, p ? "事業の編集" : "事業の登録", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	tv_set_str(ctx, "action",
		   p ? arena_printf(a, "/admin/programs/%lld", (long long)p->id)
		     : "/admin/programs");
	if (p)
		tv_set_str(ctx, "program_name", p->name);
	const char *defaults[PROGF__MAX] = {0};
	if (p) {
		defaults[PROGF_NAME] = p->name;
		defaults[PROGF_DESCRIPTION] = p->description;
	}
	struct tv *fields = page_form(r, ctx, program_fields, PROGF__MAX, f, defaults);
	page_field_set(fields, "name", "hint", tv_str(a, "例：協働のまちづくりチャレンジ事業"));
	page_field_set(fields, "description", "hint",
		       tv_str(a, "チャレンジ事業のページの冒頭に表示します。"
				 "Markdown記法（見出し・箇条書き・リンク）が使えます。"));
	page_render(r, status, "admin/program_form", ctx);
}

void h_admin_program_new(struct req *r)
{
	program_page(r, 200, NULL, NULL);
}

static const char *const program_dup = "同じ名前の事業が既にあります";

/* Create (old == NULL) or update a program from the posted form. */
static void program_post(struct req *r, const struct program *old)
{
	struct db *db = page_db(r);
	struct form f;
	if (!db || !check_form(r, program_fields, PROGF__MAX, &f))
		return;
	struct program p = {0};
	if (old)
		p = *old;
	if (program_from_form(&f, &p)) {
		program_page(r, 422, old, &f);
		return;
	}
	enum call_rc rc = program_save(db, &p, r->user->id);
	if (rc == CALL_INVALID) {
		form_error(&f, PROGF_NAME, program_dup);
		program_page(r, 422, old, &f);
		return;
	}
	if (rc != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, old ? "saved" : "created");
	resp_redirect(r, "/admin/calls");
}

void h_admin_program_create(struct req *r)
{
	program_post(r, NULL);
}

static bool load_program(struct req *r, struct program *p)
{
	struct db *db = page_db(r);
	int64_t id = req_param_id(r, 0);
	if (!db)
		return false;
	if (id < 0 || program_get(db, &r->arena, id, p) != CALL_OK) {
		web_error(r, 404, "お探しの事業は見つかりませんでした。");
		return false;
	}
	return true;
}

void h_admin_program_edit(struct req *r)
{
	struct program p;
	if (load_program(r, &p))
		program_page(r, 200, &p, NULL);
}

void h_admin_program_update(struct req *r)
{
	struct program p;
	if (load_program(r, &p))
		program_post(r, &p);
}

/* The guide-document form: a title and the file (an upload, checked by
 * files.c, not a form key). */
enum { DOC_TITLE, DOC__MAX };
static const struct field_spec doc_fields[DOC__MAX] = {
    [DOC_TITLE] = {"doc_title", "資料の名前", F_LINE, true, 100, 0, 0, NULL},
};

/*
 * The call form: new (v == NULL) or the call's admin page, which also
 * lists its categories, schedule and documents.  f re-displays a rejected
 * call form; df and file_error a rejected document upload.
 */
static void call_page(struct req *r, int status, const struct call_view *v, const struct form *f,
		      const struct form *df, const char *file_error)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	int64_t now = (int64_t)time(NULL);
	struct tv *ctx = page_ctx(r, v ? "募集の編集" : "募集の作成", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	const char *defaults[CALLF__MAX] = {0};
	if (v) {
		const struct call *c = &v->call;
		tv_set_str(ctx, "action", admin_call_url(r, c->id));
		struct tv *o = call_tv(r, v, now);
		tv_set(o, "timeline", timeline_tv(r, v, now));
		tv_set_bool(o, "has_timeline", v->nmilestones > 0);
		tv_set(o, "documents", documents_tv(r, v));
		tv_set_bool(o, "has_documents", v->ndocuments > 0);
		tv_set(ctx, "call", o);
		defaults[CALLF_PROGRAM] = arena_printf(a, "%lld", (long long)c->program_id);
		defaults[CALLF_FISCAL_YEAR] = arena_printf(a, "%lld", (long long)c->fiscal_year);
		defaults[CALLF_TITLE] = c->title;
		defaults[CALLF_DESCRIPTION] = c->description;

		struct tv *doc = tv_obj(a);
		struct tv *dfields = page_form(r, doc, doc_fields, DOC__MAX, df, NULL);
		page_field_set(dfields, "doc_title", "hint", tv_str(a, "例：令和7年度 募集要項"));
		if (file_error) {
			tv_set_str(doc, "file_error", file_error);
			struct tv *e = tv_obj(a);
			tv_set_str(e, "field", doc_file_field);
			tv_set_str(e, "label", "ファイル");
			tv_set_str(e, "message", file_error);
			tv_push(tv_get(doc, "errors"), e);
			tv_set_int(doc, "error_count", (int64_t)tv_len(tv_get(doc, "errors")));
		}
		tv_set_str(doc, "action",
			   arena_printf(a, "/admin/calls/%lld/documents", (long long)c->id));
		tv_set(ctx, "doc", doc);
	} else {
		tv_set_str(ctx, "action", "/admin/calls");
		/* Next fiscal year from April: the usual time to prepare a call. */
		struct jst j;
		jp_unix_to_jst(now, &j);
		defaults[CALLF_FISCAL_YEAR] =
		    arena_printf(a, "%d", jp_fiscal_year(j.y, j.m, j.d) + (j.m >= 10 ? 1 : 0));
	}
	struct tv *fields = page_form(r, ctx, call_fields, CALLF__MAX, f, defaults);
	struct program *p = NULL;
	size_t np = 0;
	if (db)
		program_list(db, a, &p, &np);
	const char **values = arena_alloc(a, (np + 1) * sizeof(*values));
	const char **labels = arena_alloc(a, (np + 1) * sizeof(*labels));
	for (size_t i = 0; i < np; i++) {
		values[i] = arena_printf(a, "%lld", (long long)p[i].id);
		labels[i] = p[i].name;
	}
	if (!v && !f && np == 1)
		defaults[CALLF_PROGRAM] = values[0];
	select_options(r, fields, "program_id", values, labels, np,
		       f ? form_s(f, CALLF_PROGRAM) : defaults[CALLF_PROGRAM]);
	checkbox(r, fields, "published",
		 f ? f->v[CALLF_PUBLISHED].i != 0 : (v ? v->call.published : false));
	page_field_set(fields, "fiscal_year", "hint",
		       tv_str(a, "年度が始まる年を西暦で入力します（令和7年度なら2025）。"));
	page_field_set(fields, "description", "hint",
		       tv_str(a, "募集のページに表示します。Markdown記法（見出し・箇条書き・"
				 "リンク）が使えます。"));
	page_field_set(fields, "published", "hint",
		       tv_str(a, "公開するまで、募集は事務局とコーディネーターだけが見られます。"));
	page_render(r, status, v ? "admin/call_edit" : "admin/call_form", ctx);
}

void h_admin_call_new(struct req *r)
{
	call_page(r, 200, NULL, NULL, NULL, NULL);
}

/* Save the posted call form: new (old == NULL) or an update of old. */
static void call_post(struct req *r, struct db *db, const struct call_view *old)
{
	struct form f;
	if (!check_form(r, call_fields, CALLF__MAX, &f))
		return;
	struct call c = {0};
	if (old)
		c = old->call;
	if (call_from_form(db, &f, &c)) {
		call_page(r, 422, old, &f, NULL, NULL);
		return;
	}
	enum call_rc rc = call_save(db, &c, (int64_t)time(NULL), r->user->id);
	if (rc == CALL_INVALID) {
		form_error(&f, CALLF_FISCAL_YEAR,
			   arena_printf(&r->arena, "この事業の%sの募集は既にあります",
					fy_label(&r->arena, c.fiscal_year)));
		call_page(r, 422, old, &f, NULL, NULL);
		return;
	}
	if (rc != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, old ? "saved" : "created");
	resp_redirect(r, admin_call_url(r, c.id));
}

void h_admin_call_create(struct req *r)
{
	struct db *db = page_db(r);
	if (db)
		call_post(r, db, NULL);
}

void h_admin_call_edit(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	if (db && load_call(r, db, 0, &v))
		call_page(r, 200, &v, NULL, NULL, NULL);
}

void h_admin_call_update(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	if (db && load_call(r, db, 0, &v))
		call_post(r, db, &v);
}

/* ---- admin: categories -------------------------------------------------------------- */

static void category_page(struct req *r, int status, const struct call_view *v,
			  const struct category *k, const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, k ? "部門の編集" : "部門の追加", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	tv_set_int(ctx, "call_id", v->call.id);
	tv_set_str(ctx, "call_title", v->call.title);
	const char *base = arena_printf(a, "/admin/calls/%lld/categories", (long long)v->call.id);
	const char *defaults[CATF__MAX] = {0};
	if (k) {
		tv_set_str(ctx, "action", arena_printf(a, "%s/%lld", base, (long long)k->id));
		tv_set_str(ctx, "delete_action",
			   arena_printf(a, "%s/%lld/delete", base, (long long)k->id));
		tv_set_str(ctx, "category_name", k->name);
		defaults[CATF_NAME] = k->name;
		defaults[CATF_SHORT_NAME] = k->short_name;
		defaults[CATF_DESCRIPTION] = k->description;
		defaults[CATF_ELIGIBILITY] = k->eligibility;
		defaults[CATF_CAP_YEN] = arena_printf(a, "%lld", (long long)k->cap_yen);
		defaults[CATF_MIN_MEMBERS] = arena_printf(a, "%lld", (long long)k->min_members);
		defaults[CATF_MIN_GROUPS] = arena_printf(a, "%lld", (long long)k->min_groups);
		defaults[CATF_OPENS_AT] = jst_input(a, k->opens_at);
		defaults[CATF_DEADLINE_AT] = jst_input(a, k->deadline_at);
		defaults[CATF_IMPLEMENTATION_END] = k->implementation_end;
		defaults[CATF_EXPECTED_ADOPTIONS] =
		    arena_printf(a, "%lld", (long long)k->expected_adoptions);
		defaults[CATF_POSITION] = arena_printf(a, "%lld", (long long)k->position);
	} else {
		tv_set_str(ctx, "action", base);
		defaults[CATF_MIN_GROUPS] = "1";
		defaults[CATF_POSITION] = arena_printf(a, "%zu", (v->ncategories + 1) * 10);
	}
	struct tv *fields = page_form(r, ctx, category_fields, CATF__MAX, f, defaults);
	datetime_values(r, fields, f);
	checkbox(r, fields, "needs_coordinator",
		 f ? f->v[CATF_NEEDS_COORDINATOR].i != 0 : (k ? k->needs_coordinator : true));
	checkbox(r, fields, "needs_division",
		 f ? f->v[CATF_NEEDS_DIVISION].i != 0 : (k ? k->needs_division : false));
	page_field_set(fields, "short_name", "hint",
		       tv_str(a, "受付番号（例：R7-一般-003）に使う短い名前です。"
				 "「-」や空白は使えません。"));
	page_field_set(
	    fields, "cap_yen", "hint",
	    tv_str(a, "申請できる金額の上限を、円単位の整数で入力します（例：500000）。"));
	page_field_set(fields, "min_groups", "hint",
		       tv_str(a, "複数の団体が共同で応募する部門では2以上にします。"));
	page_field_set(fields, "opens_at", "hint", tv_str(a, "日本時間。例：2025-04-01 09:00"));
	page_field_set(
	    fields, "deadline_at", "hint",
	    tv_str(a, "日本時間。この時刻ちょうどまで受け付けます。例：2025-05-30 17:00"));
	page_field_set(fields, "implementation_end", "hint",
		       tv_str(a, "採択された事業を終える期限です。例：2026-03-31"));
	page_field_set(fields, "position", "hint", tv_str(a, "小さい数ほど先に表示されます。"));
	page_render(r, status, "admin/category_form", ctx);
}

/* The category in route parameter 1 of the call in v, or a 404. */
static bool load_category(struct req *r, struct db *db, const struct call_view *v,
			  struct category *k)
{
	int64_t id = req_param_id(r, 1);
	if (id < 0 || category_get(db, &r->arena, id, k) != CALL_OK || k->call_id != v->call.id) {
		web_error(r, 404, "お探しの部門は見つかりませんでした。");
		return false;
	}
	return true;
}

void h_admin_category_new(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	if (db && load_call(r, db, 0, &v))
		category_page(r, 200, &v, NULL, NULL);
}

static void category_post(struct req *r, struct db *db, const struct call_view *v,
			  const struct category *old)
{
	struct form f;
	if (!check_form(r, category_fields, CATF__MAX, &f))
		return;
	struct category k = {0};
	if (old)
		k = *old;
	k.call_id = v->call.id;
	if (category_from_form(&f, &k)) {
		category_page(r, 422, v, old, &f);
		return;
	}
	enum call_rc rc = category_save(db, &k, r->user->id);
	if (rc == CALL_INVALID) {
		form_error(&f, CATF_SHORT_NAME, "この募集に同じ略称の部門が既にあります");
		category_page(r, 422, v, old, &f);
		return;
	}
	if (rc != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, old ? "saved" : "created");
	resp_redirect(
	    r, arena_printf(&r->arena, "/admin/calls/%lld#categories", (long long)v->call.id));
}

void h_admin_category_create(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	if (db && load_call(r, db, 0, &v))
		category_post(r, db, &v, NULL);
}

void h_admin_category_edit(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	struct category k;
	if (db && load_call(r, db, 0, &v) && load_category(r, db, &v, &k))
		category_page(r, 200, &v, &k, NULL);
}

void h_admin_category_update(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	struct category k;
	if (db && load_call(r, db, 0, &v) && load_category(r, db, &v, &k))
		category_post(r, db, &v, &k);
}

void h_admin_category_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	struct category k;
	struct form f;
	if (!db || !load_call(r, db, 0, &v) || !load_category(r, db, &v, &k) ||
	    !check_form(r, NULL, 0, &f))
		return;
	enum call_rc rc = category_delete(db, k.id, r->user->id);
	if (rc == CALL_INVALID) {
		web_error(r, 422, "この部門にはすでに企画提案があるため、削除できません。");
		return;
	}
	if (rc != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	resp_redirect(
	    r, arena_printf(&r->arena, "/admin/calls/%lld#categories", (long long)v.call.id));
}

/* ---- admin: milestones ------------------------------------------------------------------ */

enum { MQ_EDIT, MQ__MAX };
static const struct field_spec milestone_query[MQ__MAX] = {
    [MQ_EDIT] = {"edit", "編集する日程", F_ID, false, 20, 0, 0, NULL},
};

static void milestones_page(struct req *r, int status, const struct call_view *v,
			    const struct milestone *edit, const struct form *f)
{
	struct arena *a = &r->arena;
	int64_t now = (int64_t)time(NULL);
	struct tv *ctx = page_ctx(r, "日程の編集", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	tv_set_int(ctx, "call_id", v->call.id);
	tv_set_str(ctx, "call_title", v->call.title);
	struct tv *items = timeline_tv(r, v, now);
	tv_set(ctx, "milestones", items);
	const char *base = arena_printf(a, "/admin/calls/%lld/milestones", (long long)v->call.id);
	tv_set_str(ctx, "base", base);
	const char *defaults[MSF__MAX] = {0};
	if (edit) {
		struct tv *e = tv_obj(a);
		tv_set_int(e, "id", edit->id);
		tv_set_str(e, "title",
			   *edit->label ? edit->label : milestone_kind_labels[edit->kind]);
		tv_set(ctx, "edit", e);
		tv_set_str(ctx, "action", arena_printf(a, "%s/%lld", base, (long long)edit->id));
		defaults[MSF_KIND] = milestone_kind_keys[edit->kind];
		defaults[MSF_LABEL] = edit->label;
		defaults[MSF_STARTS_AT] = jst_input(a, edit->starts_at);
		if (edit->ends_at)
			defaults[MSF_ENDS_AT] = jst_input(a, edit->ends_at);
		defaults[MSF_PLACE] = edit->place;
	} else {
		tv_set_str(ctx, "action", base);
	}
	struct tv *fields = page_form(r, ctx, milestone_fields, MSF__MAX, f, defaults);
	datetime_values(r, fields, f);
	select_options(r, fields, "kind", milestone_kind_keys, milestone_kind_labels, MS__MAX,
		       f ? form_s(f, MSF_KIND) : defaults[MSF_KIND]);
	page_field_set(fields, "label", "hint",
		       tv_str(a, "空欄なら種類の名前を表示します。例：学生・高校生部門 2次審査"));
	page_field_set(fields, "starts_at", "hint", tv_str(a, "日本時間。例：2025-04-20 13:30"));
	page_field_set(fields, "ends_at", "hint",
		       tv_str(a, "期間のある日程だけ入力します（日本時間）。"));
	page_render(r, status, "admin/milestones", ctx);
}

/* Milestone id (route parameter 1) of v, or a 404. */
static const struct milestone *find_milestone(struct req *r, const struct call_view *v)
{
	int64_t id = req_param_id(r, 1);
	for (size_t i = 0; id > 0 && i < v->nmilestones; i++)
		if (v->milestones[i].id == id)
			return &v->milestones[i];
	web_error(r, 404, "お探しの日程は見つかりませんでした。");
	return NULL;
}

void h_admin_milestones(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	if (!db || !load_call(r, db, 0, &v))
		return;
	struct form q;
	form_check(&r->arena, milestone_query, MQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, "リクエストの項目が正しくありません。");
		return;
	}
	const struct milestone *edit = NULL;
	if (q.v[MQ_EDIT].present) {
		for (size_t i = 0; i < v.nmilestones; i++)
			if (v.milestones[i].id == q.v[MQ_EDIT].i)
				edit = &v.milestones[i];
		if (!edit) {
			web_error(r, 404, "お探しの日程は見つかりませんでした。");
			return;
		}
	}
	milestones_page(r, 200, &v, edit, NULL);
}

static void milestone_post(struct req *r, struct db *db, const struct call_view *v,
			   const struct milestone *old)
{
	struct form f;
	if (!check_form(r, milestone_fields, MSF__MAX, &f))
		return;
	struct milestone m = {0};
	if (old)
		m = *old;
	m.call_id = v->call.id;
	if (milestone_from_form(&f, &m)) {
		milestones_page(r, 422, v, old, &f);
		return;
	}
	if (milestone_save(db, &m, r->user->id) != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, old ? "saved" : "created");
	resp_redirect(
	    r, arena_printf(&r->arena, "/admin/calls/%lld/milestones", (long long)v->call.id));
}

void h_admin_milestone_create(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	if (db && load_call(r, db, 0, &v))
		milestone_post(r, db, &v, NULL);
}

void h_admin_milestone_update(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	const struct milestone *m;
	if (db && load_call(r, db, 0, &v) && (m = find_milestone(r, &v)))
		milestone_post(r, db, &v, m);
}

void h_admin_milestone_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	const struct milestone *m;
	struct form f;
	if (!db || !load_call(r, db, 0, &v) || !(m = find_milestone(r, &v)) ||
	    !check_form(r, NULL, 0, &f))
		return;
	if (milestone_delete(db, v.call.id, m->id, r->user->id) != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	resp_redirect(
	    r, arena_printf(&r->arena, "/admin/calls/%lld/milestones", (long long)v.call.id));
}

/* ---- admin: guide documents ---------------------------------------------------------------- */

void h_admin_document_create(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	if (!db || !load_call(r, db, 0, &v))
		return;
	/* An empty file input may arrive as a text part named like the file
	 * field: it means "no file", not an undeclared key. */
	size_t w = 0;
	for (size_t i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].key, doc_file_field) != 0 || r->form[i].len != 0)
			r->form[w++] = r->form[i];
	r->nform = w;
	struct form f;
	if (!check_form(r, doc_fields, DOC__MAX, &f))
		return;
	/* Exactly the one declared file field; an empty file input sends a
	 * part with no name and no bytes, which counts as no file. */
	const struct upload *u = NULL;
	for (size_t i = 0; i < r->nuploads; i++) {
		const struct upload *x = &r->uploads[i];
		if (strcmp(x->field, doc_file_field) != 0 || u) {
			web_error(r, 400, bad_fields);
			return;
		}
		if (x->filename && *x->filename)
			u = x;
	}
	const char *file_error = NULL;
	if (!u)
		file_error = "ファイルを選んでください";
	int64_t file_id = 0;
	if (!f.nerrors && !file_error &&
	    file_store(db, &r->arena, u, FILE_PDF, DOC_MAX_BYTES, r->user->id, &file_id,
		       &file_error) != 0 &&
	    !file_error)
		file_error = "ファイルを保存できませんでした";
	if (f.nerrors || file_error) {
		call_page(r, 422, &v, NULL, &f, file_error);
		return;
	}
	int64_t id;
	if (call_document_add(db, v.call.id, file_id, form_s(&f, DOC_TITLE), r->user->id, &id) !=
	    CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "created");
	resp_redirect(r,
		      arena_printf(&r->arena, "/admin/calls/%lld#documents", (long long)v.call.id));
}

void h_admin_document_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	struct form f;
	if (!db || !load_call(r, db, 0, &v) || !check_form(r, NULL, 0, &f))
		return;
	int64_t id = req_param_id(r, 1);
	enum call_rc rc =
	    id < 0 ? CALL_NOT_FOUND : call_document_delete(db, v.call.id, id, r->user->id);
	if (rc == CALL_NOT_FOUND) {
		web_error(r, 404, "お探しの資料は見つかりませんでした。");
		return;
	}
	if (rc != CALL_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	resp_redirect(r,
		      arena_printf(&r->arena, "/admin/calls/%lld#documents", (long long)v.call.id));
}
