/*
 * The challenge program's calls (募集), public side: the program page, a
 * call's page, the current call on the home page and the JSON API, and
 * the template values and labels the office's pages (call_admin_pages.c)
 * and the consultation and adoption pages share (call_pages.h).
 *
 * A call's status and countdown depend on the clock, so none of these
 * routes is in the page cache (routes.c).
 */
#include "challenge/call_pages.h"
#include "challenge/handlers.h"
#include "core/who.h"
#include "groups/group.h" /* markdown_html */
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

/* ---- formatting -------------------------------------------------------- */

const char *call_take(struct arena *a, struct buf *b)
{
	const char *s = arena_strdup(a, b->p ? b->p : "");
	buf_release(b);
	return s;
}

const char *call_jst_label(struct arena *a, int64_t t)
{
	struct buf b = BUF_INIT;
	call_format_jst(&b, t);
	return call_take(a, &b);
}

/* ISO 8601 with the JST offset, for the API. */
static const char *jst_iso(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d+09:00", j.y, j.m, j.d, j.hh, j.mi,
			    j.ss);
}

const char *call_date_label(struct arena *a, const char *iso, bool with_weekday)
{
	int y, m, d;
	if (!iso || jp_parse_iso_date(iso, strlen(iso), &y, &m, &d) != 0)
		return NULL;
	struct buf b = BUF_INIT;
	jp_wareki_date(&b, y, m, d, with_weekday);
	return call_take(a, &b);
}

static const char *yen_label(struct arena *a, int64_t yen)
{
	struct buf b = BUF_INIT;
	call_format_yen(&b, yen);
	return call_take(a, &b);
}

const char *call_fy_label(struct arena *a, int64_t fy)
{
	struct buf b = BUF_INIT;
	jp_fiscal_year_label(&b, (int)fy);
	return call_take(a, &b);
}

/* 締切まであと 3日 4時間 */
static const char *countdown(struct arena *a, int64_t deadline, int64_t now)
{
	int64_t left[2];
	const char *key = call_countdown(deadline, now, left);
	return msgf(a, key, arena_printf(a, "%lld", (long long)left[0]),
		    arena_printf(a, "%lld", (long long)left[1]));
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

const char *call_milestone_title(const struct milestone *m)
{
	return *m->label ? m->label : msg(milestone_kind_label_keys[m->kind]);
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
	tv_set_str(o, "opens", call_jst_label(a, c->opens_at));
	tv_set_str(o, "deadline", call_jst_label(a, c->deadline_at));
	tv_set_str(o, "implementation_end", call_date_label(a, c->implementation_end, true));
	if (c->expected_adoptions > 0)
		tv_set_int(o, "expected_adoptions", c->expected_adoptions);
	tv_set_int(o, "position", c->position);
	bool open = category_is_open(c, now);
	/* The category's own window, in the words of a call's status. */
	enum call_status s = open		 ? CALL_STATUS_OPEN
			     : now < c->opens_at ? CALL_STATUS_BEFORE
						 : CALL_STATUS_CLOSED;
	tv_set_bool(o, "open", open);
	tv_set_str(o, "state_label", msg(call_status_label_key(s)));
	tv_set_str(o, "state_badge", status_badge(s));
	if (open)
		tv_set_str(o, "countdown", countdown(a, c->deadline_at, now));
	return o;
}

/* When a milestone takes place: 令和7年4月20日(日) 13:30〜15:00, or with
 * its end on another day 令和7年5月1日(木) 09:00 〜 令和7年5月30日(金) 17:00. */
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
	return call_take(a, &b);
}

struct tv *call_timeline_tv(struct req *r, const struct call_view *v, int64_t now)
{
	struct arena *a = &r->arena;
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < v->nmilestones; i++) {
		const struct milestone *m = &v->milestones[i];
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", m->id);
		tv_set_str(o, "kind", milestone_kind_keys[m->kind]);
		tv_set_str(o, "kind_label", msg(milestone_kind_label_keys[m->kind]));
		tv_set_str(o, "title", call_milestone_title(m));
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

/* The kind and size of a document: PDF・1.2MB (calls.doc_meta_*). */
static const char *doc_meta(struct arena *a, const struct call_document *d)
{
	const char *kind = strcmp(d->mime, "application/pdf") == 0 ? "PDF" : d->mime;
	if (d->size >= 1024 * 1024)
		return msgf(a, "calls.doc_meta_mb", kind,
			    arena_printf(a, "%.1f", (double)d->size / (1024.0 * 1024.0)));
	return msgf(a, "calls.doc_meta_kb", kind,
		    arena_printf(a, "%lld", (long long)((d->size + 1023) / 1024)));
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

struct tv *call_tv(struct req *r, const struct call_view *v, int64_t now)
{
	struct arena *a = &r->arena;
	const struct call *c = &v->call;
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", c->id);
	tv_set_str(o, "url", arena_printf(a, "/challenge/calls/%lld", (long long)c->id));
	tv_set_str(o, "title", c->title);
	tv_set_str(o, "program_name", c->program_name);
	tv_set_int(o, "fiscal_year", c->fiscal_year);
	tv_set_str(o, "fy_label", call_fy_label(a, c->fiscal_year));
	tv_set_bool(o, "published", c->published);
	enum call_status s = call_status(v, now);
	tv_set_str(o, "status", call_status_key(s));
	tv_set_str(o, "status_label", msg(call_status_label_key(s)));
	tv_set_str(o, "status_badge", status_badge(s));
	int64_t next = call_next_deadline(v, now);
	if (next) {
		tv_set_str(o, "countdown", countdown(a, next, now));
		tv_set_str(o, "next_deadline", call_jst_label(a, next));
	}
	/* The opening for a call that has yet to open. */
	if (s == CALL_STATUS_BEFORE) {
		int64_t first = 0;
		for (size_t i = 0; i < v->ncategories; i++)
			if (now < v->categories[i].opens_at &&
			    (!first || v->categories[i].opens_at < first))
				first = v->categories[i].opens_at;
		if (first)
			tv_set_str(o, "opens", call_jst_label(a, first));
	}
	struct tv *cats = tv_list(a);
	for (size_t i = 0; i < v->ncategories; i++)
		tv_push(cats, category_tv(r, &v->categories[i], now));
	tv_set(o, "categories", cats);
	tv_set_bool(o, "has_categories", v->ncategories > 0);
	return o;
}

struct tv *call_full_tv(struct req *r, const struct call_view *v, int64_t now, bool documents)
{
	struct tv *o = call_tv(r, v, now);
	tv_set(o, "timeline", call_timeline_tv(r, v, now));
	tv_set_bool(o, "has_timeline", v->nmilestones > 0);
	if (documents) {
		tv_set(o, "documents", documents_tv(r, v));
		tv_set_bool(o, "has_documents", v->ndocuments > 0);
	}
	return o;
}

/* ---- forms ----------------------------------------------------------------- */

void call_select_options(struct req *r, struct tv *fields, const char *name,
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
	tv_set_str(blank, "label", msg("web.select_prompt"));
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

/*
 * util/form.c keeps a date-time as typed after case-folding, so
 * "2025-04-01T09:00" comes back as "2025-04-01t09:00", which a
 * datetime-local input does not accept: give re-displayed values their
 * capital T back.
 */
void call_datetime_values(struct req *r, struct tv *fields, const struct form *f)
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

bool call_check_form(struct req *r, const struct field_spec *spec, size_t n, struct form *f)
{
	form_check(&r->arena, spec, n, r->form, r->nform, f);
	if (f->unknown || f->repeated) {
		web_error(r, 400, msg("calls.err.bad_fields"));
		return false;
	}
	return true;
}

bool call_check_query(struct req *r, const struct field_spec *spec, size_t n, struct form *f,
		      const char *key)
{
	form_check(&r->arena, spec, n, r->args, r->nargs, f);
	if (f->unknown || f->repeated || f->nerrors) {
		web_error(r, 400, msg(key));
		return false;
	}
	return true;
}

/* ---- public pages ---------------------------------------------------------- */

void web_home_call(struct req *r, struct tv *ctx)
{
	struct db *db = db_thread();
	struct call c;
	struct call_view v;
	int64_t now = (int64_t)time(NULL);
	if (!db || call_current(db, &r->arena, now, &c) != RC_OK ||
	    call_load(db, &r->arena, c.id, &v) != RC_OK)
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
	bool staff = who_is_staff(r->user);

	struct call *calls;
	size_t n;
	if (call_list(db, a, staff, &calls, &n) != RC_OK) {
		web_error(r, 503, msg("calls.err.load_failed"));
		return;
	}
	struct call cur;
	bool have_current = call_current(db, a, now, &cur) == RC_OK;

	struct program *programs;
	size_t np = 0;
	program_list(db, a, &programs, &np);
	const char *title = np ? programs[0].name : msg("calls.title.default_program");
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
		if (call_load(db, a, cur.id, &v) == RC_OK)
			tv_set(ctx, "current", call_full_tv(r, &v, now, false));
	}
	/* The other calls, newest year first. */
	struct tv *others = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		if (have_current && calls[i].id == cur.id)
			continue;
		struct call_view v;
		if (call_load(db, a, calls[i].id, &v) != RC_OK)
			continue;
		tv_push(others, call_tv(r, &v, now));
	}
	tv_set(ctx, "others", others);
	tv_set_bool(ctx, "has_others", tv_len(others) > 0);
	tv_set_bool(ctx, "can_manage", who_is_admin(r->user));
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
	if (id < 0 || call_load(db, a, id, &v) != RC_OK ||
	    (!v.call.published && !who_is_staff(r->user))) {
		web_error(r, 404, msg("calls.err.no_call"));
		return;
	}
	int64_t now = (int64_t)time(NULL);
	struct tv *ctx = page_ctx(r, v.call.title, NAV_CHALLENGE);
	struct tv *o = call_full_tv(r, &v, now, true);
	tv_set(o, "description_html", tv_raw(a, markdown_html(a, v.call.description)));
	tv_set(ctx, "call", o);
	tv_set_bool(ctx, "can_manage", who_is_admin(r->user));
	page_render(r, 200, "calls/show", ctx);
}

/* ---- API -------------------------------------------------------------------- */

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
	json_object_set_new(j, "implementation_end", json_str_or_null(c->implementation_end));
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
	json_object_set_new(j, "fiscal_year_label", json_string(call_fy_label(a, c->fiscal_year)));
	json_object_set_new(j, "title", json_string(c->title));
	json_object_set_new(j, "description", json_string(c->description));
	json_object_set_new(j, "status", json_string(call_status_key(s)));
	json_object_set_new(j, "status_label", json_string(msg(call_status_label_key(s))));
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
				  "label", call_milestone_title(m), "starts_at",
				  jst_iso(a, m->starts_at), "ends_at",
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
		web_error(r, 400, msg("calls.err.no_query"));
		return;
	}
	struct arena *a = &r->arena;
	int64_t now = (int64_t)time(NULL);
	struct call *calls;
	size_t n;
	if (call_list(db, a, false, &calls, &n) != RC_OK) {
		web_error(r, 503, msg("calls.err.read_failed"));
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		struct call_view v;
		if (call_load(db, a, calls[i].id, &v) == RC_OK)
			json_array_append_new(items, call_json(r, &v, now));
	}
	respond_json(r, 200, json_pack("{s:o}", "items", items));
}

void h_api_call(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0);
	struct call_view v;
	if (id < 0 || call_load(db, &r->arena, id, &v) != RC_OK || !v.call.published) {
		web_error(r, 404, msg("calls.err.call_not_found"));
		return;
	}
	respond_json(r, 200, call_json(r, &v, (int64_t)time(NULL)));
}
