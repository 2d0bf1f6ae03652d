/*
 * The challenge program's set-up, the office's side: partner divisions
 * (担当課), programs, calls, their categories, schedule and guide
 * documents.  The public pages and the values shared with these are in
 * call_pages.c.
 *
 * Every route here is PERM_ADMIN (routes.c): the server has checked the
 * role and the CSRF token before they run; every write goes through
 * challenge/call.c with its audit entry.
 */
#include "challenge/call_pages.h"
#include "challenge/handlers.h"
#include "core/who.h"
#include "files/files.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

/* Guide documents: PDF only, at most 10 MiB each. */
#define DOC_MAX_BYTES (10u << 20)
/* The one file field of the document form. */
static const char *const doc_file_field = "file";

/* "2025-05-30T17:00", the value of a datetime-local input. */
static const char *jst_input(struct arena *a, int64_t t)
{
	struct jst j;
	jp_unix_to_jst(t, &j);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", j.y, j.m, j.d, j.hh, j.mi);
}

/* True when a write went through; otherwise the 503 is sent. */
static bool saved(struct req *r, enum rc rc)
{
	if (rc == RC_OK)
		return true;
	web_error(r, 503, msg("calls.err.save_failed"));
	return false;
}

/* ---- admin helpers ------------------------------------------------------------ */

/* Make field name a single checkbox, checked or not. */
static void checkbox(struct req *r, struct tv *fields, const char *name, bool checked)
{
	page_field_set(fields, name, "value", tv_str(&r->arena, "1"));
	page_field_set(fields, name, "checkbox", tv_bool(&r->arena, true));
	page_field_set(fields, name, "checked", tv_bool(&r->arena, checked));
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
	call_select_options(r, fields, name, values, labels, n, chosen);
}

/* The call in route parameter i, or a 404. */
static bool load_call(struct req *r, struct db *db, int i, struct call_view *v)
{
	int64_t id = req_param_id(r, i);
	if (id < 0 || call_load(db, &r->arena, id, v) != RC_OK) {
		web_error(r, 404, msg("calls.err.no_call"));
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
    [DQ_EDIT] = {"edit", "calls.field.edit_division", F_ID, false, 20, 0, 0, NULL},
};

/* The archived checkbox of the edit form comes after division_fields. */
enum { DE_NAME, DE_CONTACT, DE_ARCHIVED, DE__MAX };
static const struct field_spec division_edit_fields[DE__MAX] = {
    [DE_NAME] = {"name", "calls.field.division_name", F_LINE, true, 50, 0, 0, NULL},
    [DE_CONTACT] = {"contact", "calls.field.division_contact", F_LINE, false, 200, 0, 0, NULL},
    [DE_ARCHIVED] = {"archived", "calls.field.division_archived", F_BOOL, false, 5, 0, 0, NULL},
};

static void divisions_page(struct req *r, int status, const struct division *edit,
			   const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg("calls.title.divisions"), NAV_NONE);
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
	page_field_set(fields, "contact", "hint", tv_str(a, msg("calls.hint.division_contact")));
	page_render(r, status, "admin/divisions", ctx);
}

void h_admin_divisions(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct form q;
	if (!call_check_query(r, division_query, DQ__MAX, &q, "calls.err.bad_query"))
		return;
	if (q.v[DQ_EDIT].present) {
		struct division d;
		if (division_get(db, &r->arena, q.v[DQ_EDIT].i, &d) != RC_OK) {
			web_error(r, 404, msg("calls.err.no_division"));
			return;
		}
		divisions_page(r, 200, &d, NULL);
		return;
	}
	divisions_page(r, 200, NULL, NULL);
}

void h_admin_division_create(struct req *r)
{
	struct db *db = page_db(r);
	struct form f;
	if (!db || !call_check_form(r, division_fields, DIVF__MAX, &f))
		return;
	struct division d = {0};
	if (division_from_form(&f, &d)) {
		divisions_page(r, 422, NULL, &f);
		return;
	}
	enum rc rc = division_save(db, &d, r->user->id);
	if (rc == RC_CONFLICT) {
		form_error(&f, DIVF_NAME, "calls.err.division_taken");
		divisions_page(r, 422, NULL, &f);
		return;
	}
	if (!saved(r, rc))
		return;
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
	if (id < 0 || division_get(db, &r->arena, id, &old) != RC_OK) {
		web_error(r, 404, msg("calls.err.no_division"));
		return;
	}
	struct form f;
	if (!call_check_form(r, division_edit_fields, DE__MAX, &f))
		return;
	if (f.nerrors) {
		divisions_page(r, 422, &old, &f);
		return;
	}
	struct division d = old;
	d.name = form_s(&f, DE_NAME);
	d.contact = form_s(&f, DE_CONTACT);
	bool archived = f.v[DE_ARCHIVED].i != 0;
	enum rc rc = RC_OK;
	if (strcmp(d.name, old.name) != 0 || strcmp(d.contact, old.contact) != 0)
		rc = division_save(db, &d, r->user->id);
	if (rc == RC_CONFLICT) {
		form_error(&f, DE_NAME, "calls.err.division_taken");
		divisions_page(r, 422, &old, &f);
		return;
	}
	if (rc == RC_OK && archived != old.archived)
		rc = division_set_archived(db, id, archived, r->user->id);
	if (!saved(r, rc))
		return;
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
	struct tv *ctx = page_ctx(r, msg("calls.title.admin_calls"), NAV_NONE);
	struct call *calls = NULL;
	size_t n = 0;
	call_list(db, a, true, &calls, &n);
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct call_view v;
		if (call_load(db, a, calls[i].id, &v) != RC_OK)
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
	struct tv *ctx =
	    page_ctx(r, msg(p ? "calls.title.program_edit" : "calls.title.program_new"), NAV_NONE);
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
	page_field_set(fields, "name", "hint", tv_str(a, msg("calls.hint.program_name")));
	page_field_set(fields, "description", "hint",
		       tv_str(a, msg("calls.hint.program_description")));
	page_render(r, status, "admin/program_form", ctx);
}

void h_admin_program_new(struct req *r)
{
	program_page(r, 200, NULL, NULL);
}

/* Create (old == NULL) or update a program from the posted form. */
static void program_post(struct req *r, const struct program *old)
{
	struct db *db = page_db(r);
	struct form f;
	if (!db || !call_check_form(r, program_fields, PROGF__MAX, &f))
		return;
	struct program p = {0};
	if (old)
		p = *old;
	if (program_from_form(&f, &p)) {
		program_page(r, 422, old, &f);
		return;
	}
	enum rc rc = program_save(db, &p, r->user->id);
	if (rc == RC_CONFLICT) {
		form_error(&f, PROGF_NAME, "calls.err.program_taken");
		program_page(r, 422, old, &f);
		return;
	}
	if (!saved(r, rc))
		return;
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
	if (id < 0 || program_get(db, &r->arena, id, p) != RC_OK) {
		web_error(r, 404, msg("calls.err.no_program_found"));
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
    [DOC_TITLE] = {"doc_title", "calls.field.doc_title", F_LINE, true, 100, 0, 0, NULL},
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
	struct tv *ctx =
	    page_ctx(r, msg(v ? "calls.title.call_edit" : "calls.title.call_new"), NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	const char *defaults[CALLF__MAX] = {0};
	if (v) {
		const struct call *c = &v->call;
		tv_set_str(ctx, "action", admin_call_url(r, c->id));
		tv_set(ctx, "call", call_full_tv(r, v, now, true));
		defaults[CALLF_PROGRAM] = arena_printf(a, "%lld", (long long)c->program_id);
		defaults[CALLF_FISCAL_YEAR] = arena_printf(a, "%lld", (long long)c->fiscal_year);
		defaults[CALLF_TITLE] = c->title;
		defaults[CALLF_DESCRIPTION] = c->description;

		struct tv *doc = tv_obj(a);
		struct tv *dfields = page_form(r, doc, doc_fields, DOC__MAX, df, NULL);
		page_field_set(dfields, "doc_title", "hint",
			       tv_str(a, msg("calls.hint.doc_title")));
		if (file_error) {
			/* transitional: files.c may still give words, not a key */
			file_error = msg_or_text(file_error);
			tv_set_str(doc, "file_error", file_error);
			struct tv *e = tv_obj(a);
			tv_set_str(e, "field", doc_file_field);
			tv_set_str(e, "label", msg("calls.field.file"));
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
	call_select_options(r, fields, "program_id", values, labels, np,
			    f ? form_s(f, CALLF_PROGRAM) : defaults[CALLF_PROGRAM]);
	checkbox(r, fields, "published",
		 f ? f->v[CALLF_PUBLISHED].i != 0 : (v ? v->call.published : false));
	page_field_set(fields, "fiscal_year", "hint", tv_str(a, msg("calls.hint.fiscal_year")));
	page_field_set(fields, "description", "hint",
		       tv_str(a, msg("calls.hint.call_description")));
	page_field_set(fields, "published", "hint", tv_str(a, msg("calls.hint.published")));
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
	if (!call_check_form(r, call_fields, CALLF__MAX, &f))
		return;
	struct call c = {0};
	if (old)
		c = old->call;
	if (call_from_form(db, &f, &c)) {
		call_page(r, 422, old, &f, NULL, NULL);
		return;
	}
	enum rc rc = call_save(db, &c, (int64_t)time(NULL), r->user->id);
	if (rc == RC_CONFLICT) {
		form_error(&f, CALLF_FISCAL_YEAR,
			   msgf(&r->arena, "calls.err.call_taken",
				call_fy_label(&r->arena, c.fiscal_year)));
		call_page(r, 422, old, &f, NULL, NULL);
		return;
	}
	if (!saved(r, rc))
		return;
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
	struct tv *ctx = page_ctx(
	    r, msg(k ? "calls.title.category_edit" : "calls.title.category_new"), NAV_NONE);
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
	call_datetime_values(r, fields, f);
	checkbox(r, fields, "needs_coordinator",
		 f ? f->v[CATF_NEEDS_COORDINATOR].i != 0 : (k ? k->needs_coordinator : true));
	checkbox(r, fields, "needs_division",
		 f ? f->v[CATF_NEEDS_DIVISION].i != 0 : (k ? k->needs_division : false));
	page_field_set(fields, "short_name", "hint", tv_str(a, msg("calls.hint.short_name")));
	page_field_set(fields, "cap_yen", "hint", tv_str(a, msg("calls.hint.cap_yen")));
	page_field_set(fields, "min_groups", "hint", tv_str(a, msg("calls.hint.min_groups")));
	page_field_set(fields, "opens_at", "hint", tv_str(a, msg("calls.hint.opens_at")));
	page_field_set(fields, "deadline_at", "hint", tv_str(a, msg("calls.hint.deadline_at")));
	page_field_set(fields, "implementation_end", "hint",
		       tv_str(a, msg("calls.hint.implementation_end")));
	page_field_set(fields, "position", "hint", tv_str(a, msg("calls.hint.position")));
	page_render(r, status, "admin/category_form", ctx);
}

/* The category in route parameter 1 of the call in v, or a 404. */
static bool load_category(struct req *r, struct db *db, const struct call_view *v,
			  struct category *k)
{
	int64_t id = req_param_id(r, 1);
	if (id < 0 || category_get(db, &r->arena, id, k) != RC_OK || k->call_id != v->call.id) {
		web_error(r, 404, msg("calls.err.no_category"));
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
	if (!call_check_form(r, category_fields, CATF__MAX, &f))
		return;
	struct category k = {0};
	if (old)
		k = *old;
	k.call_id = v->call.id;
	if (category_from_form(&f, &k)) {
		category_page(r, 422, v, old, &f);
		return;
	}
	enum rc rc = category_save(db, &k, r->user->id);
	if (rc == RC_CONFLICT) {
		form_error(&f, CATF_SHORT_NAME, "calls.err.short_name_taken");
		category_page(r, 422, v, old, &f);
		return;
	}
	if (!saved(r, rc))
		return;
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
	    !call_check_form(r, NULL, 0, &f))
		return;
	enum rc rc = category_delete(db, k.id, r->user->id);
	if (rc == RC_STATE) {
		web_error(r, 422, msg("calls.err.category_in_use"));
		return;
	}
	if (!saved(r, rc))
		return;
	resp_redirect(
	    r, arena_printf(&r->arena, "/admin/calls/%lld#categories", (long long)v.call.id));
}

/* ---- admin: milestones ------------------------------------------------------------------ */

enum { MQ_EDIT, MQ__MAX };
static const struct field_spec milestone_query[MQ__MAX] = {
    [MQ_EDIT] = {"edit", "calls.field.edit_milestone", F_ID, false, 20, 0, 0, NULL},
};

static void milestones_page(struct req *r, int status, const struct call_view *v,
			    const struct milestone *edit, const struct form *f)
{
	struct arena *a = &r->arena;
	int64_t now = (int64_t)time(NULL);
	struct tv *ctx = page_ctx(r, msg("calls.title.milestones"), NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	tv_set_int(ctx, "call_id", v->call.id);
	tv_set_str(ctx, "call_title", v->call.title);
	struct tv *items = call_timeline_tv(r, v, now);
	tv_set(ctx, "milestones", items);
	const char *base = arena_printf(a, "/admin/calls/%lld/milestones", (long long)v->call.id);
	tv_set_str(ctx, "base", base);
	const char *defaults[MSF__MAX] = {0};
	if (edit) {
		struct tv *e = tv_obj(a);
		tv_set_int(e, "id", edit->id);
		tv_set_str(e, "title", call_milestone_title(edit));
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
	call_datetime_values(r, fields, f);
	const char *kinds[MS__MAX];
	for (size_t i = 0; i < MS__MAX; i++)
		kinds[i] = msg(milestone_kind_label_keys[i]);
	call_select_options(r, fields, "kind", milestone_kind_keys, kinds, MS__MAX,
			    f ? form_s(f, MSF_KIND) : defaults[MSF_KIND]);
	page_field_set(fields, "label", "hint", tv_str(a, msg("calls.hint.milestone_label")));
	page_field_set(fields, "starts_at", "hint", tv_str(a, msg("calls.hint.starts_at")));
	page_field_set(fields, "ends_at", "hint", tv_str(a, msg("calls.hint.ends_at")));
	page_render(r, status, "admin/milestones", ctx);
}

/* Milestone id (route parameter 1) of v, or a 404. */
static const struct milestone *find_milestone(struct req *r, const struct call_view *v)
{
	int64_t id = req_param_id(r, 1);
	for (size_t i = 0; id > 0 && i < v->nmilestones; i++)
		if (v->milestones[i].id == id)
			return &v->milestones[i];
	web_error(r, 404, msg("calls.err.no_milestone"));
	return NULL;
}

void h_admin_milestones(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	if (!db || !load_call(r, db, 0, &v))
		return;
	struct form q;
	if (!call_check_query(r, milestone_query, MQ__MAX, &q, "calls.err.bad_query"))
		return;
	const struct milestone *edit = NULL;
	if (q.v[MQ_EDIT].present) {
		for (size_t i = 0; i < v.nmilestones; i++)
			if (v.milestones[i].id == q.v[MQ_EDIT].i)
				edit = &v.milestones[i];
		if (!edit) {
			web_error(r, 404, msg("calls.err.no_milestone"));
			return;
		}
	}
	milestones_page(r, 200, &v, edit, NULL);
}

static void milestone_post(struct req *r, struct db *db, const struct call_view *v,
			   const struct milestone *old)
{
	struct form f;
	if (!call_check_form(r, milestone_fields, MSF__MAX, &f))
		return;
	struct milestone m = {0};
	if (old)
		m = *old;
	m.call_id = v->call.id;
	if (milestone_from_form(&f, &m)) {
		milestones_page(r, 422, v, old, &f);
		return;
	}
	if (!saved(r, milestone_save(db, &m, r->user->id)))
		return;
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
	    !call_check_form(r, NULL, 0, &f))
		return;
	if (!saved(r, milestone_delete(db, v.call.id, m->id, r->user->id)))
		return;
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
	if (!call_check_form(r, doc_fields, DOC__MAX, &f))
		return;
	/* Exactly the one declared file field; an empty file input sends a
	 * part with no name and no bytes, which counts as no file. */
	const struct upload *u = NULL;
	for (size_t i = 0; i < r->nuploads; i++) {
		const struct upload *x = &r->uploads[i];
		if (strcmp(x->field, doc_file_field) != 0 || u) {
			web_error(r, 400, msg("calls.err.bad_fields"));
			return;
		}
		if (x->filename && *x->filename)
			u = x;
	}
	const char *file_error = NULL;
	if (!u)
		file_error = msg("calls.err.choose_file");
	int64_t file_id = 0;
	if (!f.nerrors && !file_error &&
	    file_store(db, &r->arena, u, FILE_PDF, DOC_MAX_BYTES, r->user->id, &file_id,
		       &file_error) != 0 &&
	    !file_error)
		file_error = msg("calls.err.file_store");
	if (f.nerrors || file_error) {
		call_page(r, 422, &v, NULL, &f, file_error);
		return;
	}
	int64_t id;
	if (!saved(r, call_document_add(db, v.call.id, file_id, form_s(&f, DOC_TITLE), r->user->id,
					&id)))
		return;
	page_flash(r, "created");
	resp_redirect(r,
		      arena_printf(&r->arena, "/admin/calls/%lld#documents", (long long)v.call.id));
}

void h_admin_document_delete(struct req *r)
{
	struct db *db = page_db(r);
	struct call_view v;
	struct form f;
	if (!db || !load_call(r, db, 0, &v) || !call_check_form(r, NULL, 0, &f))
		return;
	int64_t id = req_param_id(r, 1);
	enum rc rc = id < 0 ? RC_NOT_FOUND : call_document_delete(db, v.call.id, id, r->user->id);
	if (rc == RC_NOT_FOUND) {
		web_error(r, 404, msg("calls.err.no_document"));
		return;
	}
	if (!saved(r, rc))
		return;
	resp_redirect(r,
		      arena_printf(&r->arena, "/admin/calls/%lld#documents", (long long)v.call.id));
}
