/*
 * The office's theme list (管理 > 活動テーマ, /admin/themes): every theme
 * with the form to add one, or to change the one being edited.  PERM_ADMIN
 * (routes.c); the rules and the audit are groups/theme.c's.
 */
#include "core/who.h"
#include "groups/handlers.h"
#include "groups/theme.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

enum { TF_NAME, TF_POSITION, TF_ARCHIVED, TF__MAX };
/* Creating a theme takes the first TF_ARCHIVED fields; an update all. */
static const struct field_spec theme_fields[TF__MAX] = {
    [TF_NAME] = {"name", "groups.field.theme_name", F_LINE, true, 30, 0, 0, NULL},
    [TF_POSITION] = {"position", "groups.field.theme_position", F_INT, false, 6, 0,
		     THEME_POSITION_MAX, NULL},
    [TF_ARCHIVED] = {"archived", "groups.field.theme_archived", F_BOOL, false, 5, 0, 0, NULL},
};

enum { TQ_EDIT, TQ__MAX };
static const struct field_spec theme_query[TQ__MAX] = {
    [TQ_EDIT] = {"edit", "groups.field.theme_edit", F_ID, false, 20, 0, 0, NULL},
};

/* The list of every theme, and below it either the form to add one or,
 * with edit set, the form to change that theme. */
static void themes_page(struct req *r, int status, const struct theme *edit, const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg("groups.title.themes"), NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	struct theme *themes;
	size_t n = db ? theme_list(db, a, true, &themes) : 0;
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", themes[i].id);
		tv_set_str(o, "name", themes[i].name);
		tv_set_int(o, "position", themes[i].position);
		tv_set_bool(o, "archived", themes[i].archived);
		tv_set_bool(o, "editing", edit && edit->id == themes[i].id);
		tv_push(list, o);
	}
	tv_set(ctx, "themes", list);
	struct tv *fields;
	if (edit) {
		struct tv *e = tv_obj(a);
		tv_set_int(e, "id", edit->id);
		tv_set_str(e, "heading", msgf(a, "groups.themes.edit_heading", edit->name));
		tv_set(ctx, "edit", e);
		tv_set_str(ctx, "action",
			   arena_printf(a, "/admin/themes/%lld", (long long)edit->id));
		const char *defaults[TF__MAX] = {
		    [TF_NAME] = edit->name,
		    [TF_POSITION] = arena_printf(a, "%lld", (long long)edit->position),
		    [TF_ARCHIVED] = "1",
		};
		fields = page_form(r, ctx, theme_fields, TF__MAX, f, defaults);
		bool archived = f ? f->v[TF_ARCHIVED].i != 0 : edit->archived;
		page_field_set(fields, "archived", "value", tv_str(a, "1"));
		page_field_set(fields, "archived", "checkbox", tv_bool(a, true));
		page_field_set(fields, "archived", "checked", tv_bool(a, archived));
		page_field_set(fields, "position", "hint", tv_str(a, msg("groups.hint.position")));
	} else {
		tv_set_str(ctx, "action", "/admin/themes");
		fields = page_form(r, ctx, theme_fields, TF_ARCHIVED, f, NULL);
		page_field_set(fields, "position", "hint",
			       tv_str(a, msg("groups.hint.position_new")));
	}
	page_render(r, status, "groups/themes", ctx);
}

void h_admin_themes(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct form q;
	form_check(&r->arena, theme_query, TQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, msg("groups.err.theme_query"));
		return;
	}
	struct theme t;
	if (q.v[TQ_EDIT].present && theme_get(db, &r->arena, q.v[TQ_EDIT].i, &t) != RC_OK) {
		web_error(r, 404, msg("groups.err.theme_not_found"));
		return;
	}
	themes_page(r, 200, q.v[TQ_EDIT].present ? &t : NULL, NULL);
}

/* Check the posted theme form (the first n fields); false, with the
 * answer sent, when it cannot be saved as it is. */
static bool read_form(struct req *r, struct form *f, size_t n, const struct theme *old)
{
	form_check(&r->arena, theme_fields, n, r->form, r->nform, f);
	if (f->unknown || f->repeated) {
		web_error(r, 400, msg("groups.err.bad_fields"));
		return false;
	}
	if (f->nerrors) {
		themes_page(r, 422, old, f);
		return false;
	}
	return true;
}

/* Answer the outcome of saving a theme: the form again for a taken name,
 * 503 for a failure, else back to the list with the flash. */
static void saved(struct req *r, enum rc rc, struct form *f, const struct theme *old,
		  const char *flash)
{
	if (rc == RC_CONFLICT) {
		form_error(f, TF_NAME, "groups.err.theme_taken");
		themes_page(r, 422, old, f);
		return;
	}
	if (rc != RC_OK) {
		web_error(r, 503, msg("groups.err.save_failed"));
		return;
	}
	page_flash(r, flash);
	resp_redirect(r, "/admin/themes");
}

void h_admin_theme_create(struct req *r)
{
	struct db *db = page_db(r);
	struct form f;
	if (!db || !read_form(r, &f, TF_ARCHIVED, NULL))
		return;
	int64_t position = f.v[TF_POSITION].present ? f.v[TF_POSITION].i : -1;
	enum rc rc = theme_create(db, &r->arena, form_s(&f, TF_NAME), position, r->user->id, NULL);
	saved(r, rc, &f, NULL, "created");
}

void h_admin_theme_update(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct theme old;
	int64_t id = req_param_id(r, 0);
	if (id < 0 || theme_get(db, &r->arena, id, &old) != RC_OK) {
		web_error(r, 404, msg("groups.err.theme_not_found"));
		return;
	}
	struct form f;
	if (!read_form(r, &f, TF__MAX, &old))
		return;
	struct theme t = old;
	t.name = form_s(&f, TF_NAME);
	/* A cleared position keeps the current one. */
	if (f.v[TF_POSITION].present)
		t.position = f.v[TF_POSITION].i;
	t.archived = f.v[TF_ARCHIVED].i != 0;
	enum rc rc = theme_update(db, &r->arena, &t, &old, r->user->id);
	const char *flash = t.archived == old.archived ? "saved"
			    : t.archived	       ? "archived"
						       : "restored";
	saved(r, rc, &f, &old, flash);
}
