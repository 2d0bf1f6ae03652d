/*
 * The office's account pages (管理 > 利用者の管理): the list, the form to
 * register a user, and the form that changes a user's name, roles, state,
 * group memberships and division.  Every route is PERM_ADMIN (routes.c):
 * the server has checked the role and the CSRF token before these handlers
 * run.  Each change is written with its audit entry in one transaction
 * (accounts/user.c), so that nothing changes unrecorded.
 */
#include "accounts/handlers.h"
#include "accounts/membership.h"
#include "accounts/user.h"
#include "challenge/call.h"
#include "core/role.h"
#include "core/who.h"
#include "util/msg.h"
#include "util/text.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>

#define MAX_USER_GROUPS 100

/* The names of a role set, for the list and the audit log:
 * 管理者（市民協働推進課）、審査員 — or （なし）. */
static const char *roles_label(struct arena *a, unsigned roles)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < role_count; i++) {
		if (!(roles & role_table[i].role))
			continue;
		if (b.n)
			buf_adds(&b, msg("admin.separator"));
		buf_adds(&b, msg(role_table[i].label));
	}
	const char *s = arena_strdup(a, b.p ? b.p : msg("role.none"));
	buf_release(&b);
	return s;
}

/* Append one "what changed" item to an audit summary. */
static void change(struct buf *b, const char *item)
{
	if (b->n)
		buf_adds(b, " ／ ");
	buf_adds(b, item);
}

void h_admin_users(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg("admin.title.users"), NAV_NONE);
	struct tv *list = tv_list(a);
	struct db_stmt *st = db_stmt(db, STMT_USER_LIST);
	while (db_step(st) == DB_ROW) {
		struct tv *o = tv_obj(a);
		int64_t id = db_int(st, 0);
		tv_set_int(o, "id", id);
		tv_set_str(o, "email", arena_strdup(a, db_text(st, 1)));
		tv_set_str(o, "name", arena_strdup(a, db_text(st, 2)));
		tv_set_str(o, "name_kana", arena_strdup(a, db_text(st, 3)));
		tv_set_str(o, "roles", roles_label(a, (unsigned)db_int(st, 4)));
		tv_set_bool(o, "disabled", db_int(st, 5) != 0);
		tv_set_bool(o, "is_self", id == r->user->id);
		tv_push(list, o);
	}
	tv_set(ctx, "users", list);
	tv_set_str(ctx, "lead", msgf(a, "admin.users.lead", arena_printf(a, "%zu", tv_len(list))));
	page_render(r, 200, "admin/users", ctx);
}

enum { NF_EMAIL, NF_NAME, NF_NAME_KANA, NF_ROLES, NF_PASSWORD, NF__MAX };
static const struct field_spec new_user_fields[NF__MAX] = {
    [NF_EMAIL] = {"email", "admin.field.email", F_EMAIL, true, 254, 0, 0, NULL},
    [NF_NAME] = {"name", "admin.field.name", F_LINE, true, 50, 0, 0, NULL},
    [NF_NAME_KANA] = {"name_kana", "admin.field.name_kana", F_KANA, false, 50, 0, 0, NULL},
    [NF_ROLES] = {"roles", "admin.field.roles", F_MULTI, false, 20, 0, 0, NULL},
    [NF_PASSWORD] = {"password", "admin.field.password", F_PASSWORD, true, 128, 0, 0, NULL},
};

enum { EF_NAME, EF_NAME_KANA, EF_ROLES, EF_DISABLED, EF_GROUPS, EF_DIVISION, EF__MAX };
static const struct field_spec edit_user_fields[EF__MAX] = {
    [EF_NAME] = {"name", "admin.field.name", F_LINE, true, 50, 0, 0, NULL},
    [EF_NAME_KANA] = {"name_kana", "admin.field.name_kana", F_KANA, false, 50, 0, 0, NULL},
    [EF_ROLES] = {"roles", "admin.field.roles", F_MULTI, false, 20, 0, 0, NULL},
    [EF_DISABLED] = {"disabled", "admin.field.disabled", F_BOOL, false, 5, 0, 0, NULL},
    [EF_GROUPS] = {"groups", "admin.field.groups", F_MULTI, false, 2000, 0, 0, NULL},
    [EF_DIVISION] = {"division_id", "admin.field.division", F_ID, false, 20, 0, 0, NULL},
};

/* The name of division id for audit summaries (なし for 0). */
static const char *division_label(struct db *db, struct arena *a, int64_t id)
{
	struct division d;
	if (id && division_get(db, a, id, &d) == RC_OK)
		return d.name;
	return msg("admin.division.none");
}

/* The role bits of the known keys among v's values. */
static unsigned roles_of(const struct field_value *v)
{
	unsigned roles = 0;
	for (size_t k = 0; k < v->nlist; k++)
		roles |= role_parse(v->list[k]);
	return roles;
}

/* The submitted roles.  Checkbox values come back as keys; anything else
 * was not offered by the form and is an error on the field. */
static unsigned read_roles(struct form *f, size_t i)
{
	const struct field_value *v = &f->v[i];
	for (size_t k = 0; k < v->nlist; k++)
		if (!role_parse(v->list[k]) && !v->error)
			form_error(f, i, "admin.err.role_choice");
	return roles_of(v);
}

/* The roles as checkboxes: value = key (what read_roles expects back),
 * label in the reader's language. */
static void role_checkboxes(struct req *r, struct tv *fields, unsigned checked)
{
	struct tv *field = tv_get(fields, "roles");
	struct tv *list = tv_list(&r->arena);
	for (int i = 0; i < role_count; i++) {
		struct tv *o = tv_obj(&r->arena);
		tv_set_str(o, "value", role_table[i].key);
		tv_set_str(o, "label", msg(role_table[i].label));
		tv_set_bool(o, "checked", checked & role_table[i].role);
		tv_push(list, o);
	}
	tv_set(field, "checkboxes", list);
	tv_set_bool(field, "checkbox_list", true);
}

/* The id on one line of the group list: false (with the error on field i)
 * when it is not a number or names no group. */
static bool read_group_id(struct req *r, struct db *db, struct form *f, size_t i, const char *t,
			  size_t tn, int64_t *id, const char **name)
{
	struct arena *a = &r->arena;
	if (str_to_i64(str_c(text_search_key(a, t, tn)), 1, INT64_MAX, id) != 0) {
		form_error(f, i, msgf(a, "admin.err.group_not_number", arena_strndup(a, t, tn)));
		return false;
	}
	*name = membership_group_name(db, a, *id);
	if (!*name) {
		form_error(
		    f, i,
		    msgf(a, "admin.err.group_not_found", arena_printf(a, "%lld", (long long)*id)));
		return false;
	}
	return true;
}

/*
 * The group ids typed one per line (full-width digits too).  Each must name
 * an existing group; repeats are dropped.  Problems go on field i.  names
 * gets each group's name, for the audit summary.
 */
static size_t read_group_ids(struct req *r, struct db *db, struct form *f, size_t i, int64_t **ids,
			     const char ***names)
{
	struct arena *a = &r->arena;
	const struct field_value *v = &f->v[i];
	size_t n = 0;
	*ids = arena_alloc(a, MAX_USER_GROUPS * sizeof(**ids));
	*names = arena_alloc(a, MAX_USER_GROUPS * sizeof(**names));
	for (size_t k = 0; k < v->nlist; k++) {
		for (const char *p = v->list[k]; *p;) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			size_t tn;
			const char *t = text_trim(p, len, &tn);
			p += len + (e ? 1 : 0);
			int64_t id;
			const char *name;
			if (!tn)
				continue;
			if (!read_group_id(r, db, f, i, t, tn, &id, &name))
				return 0;
			bool seen = false;
			for (size_t j = 0; j < n; j++)
				seen |= (*ids)[j] == id;
			if (seen)
				continue;
			if (n == MAX_USER_GROUPS) {
				form_error(f, i,
					   msgf(a, "admin.err.too_many_groups",
						arena_printf(a, "%d", MAX_USER_GROUPS)));
				return 0;
			}
			(*names)[n] = name;
			(*ids)[n++] = id;
		}
	}
	return n;
}

/* The edit form's account box, memberships and field defaults for u. */
static struct tv *edit_form(struct req *r, struct db *db, struct tv *ctx, const struct user *u,
			    const struct form *f)
{
	struct arena *a = &r->arena;
	tv_set_str(ctx, "action", arena_printf(a, "/admin/users/%lld", (long long)u->id));
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", u->id);
	tv_set_str(o, "email", u->email);
	tv_set_str(o, "name", u->name);
	tv_set_bool(o, "disabled", u->disabled);
	tv_set_bool(o, "is_self", r->user->id == u->id);
	tv_set(ctx, "account", o);

	struct membership *m = NULL;
	size_t nm = db ? membership_list(db, a, u->id, &m) : 0;
	struct tv *groups = tv_list(a);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < nm; i++) {
		struct tv *g = tv_obj(a);
		tv_set_int(g, "id", m[i].group_id);
		tv_set_str(g, "name", m[i].name);
		tv_push(groups, g);
		buf_printf(&b, "%s%lld", i ? "\n" : "", (long long)m[i].group_id);
	}
	tv_set(ctx, "groups", groups);
	tv_set_bool(ctx, "has_groups", nm > 0);

	int64_t division = db ? user_division(db, u->id) : 0;
	const char *defaults[EF__MAX] = {
	    [EF_NAME] = u->name,
	    [EF_NAME_KANA] = u->name_kana,
	    [EF_DISABLED] = "1",
	    [EF_GROUPS] = arena_strdup(a, b.p ? b.p : ""),
	    [EF_DIVISION] = division ? arena_printf(a, "%lld", (long long)division) : NULL,
	};
	buf_release(&b);
	struct tv *fields = page_form(r, ctx, edit_user_fields, EF__MAX, f, defaults);
	bool disabled = f ? f->v[EF_DISABLED].i != 0 : u->disabled;
	page_field_set(fields, "disabled", "value", tv_str(a, "1"));
	page_field_set(fields, "disabled", "checkbox", tv_bool(a, true));
	page_field_set(fields, "disabled", "checked", tv_bool(a, disabled));
	page_field_set(fields, "disabled", "hint", tv_str(a, msg("admin.hint.disabled")));
	page_field_set(fields, "groups", "textarea", tv_bool(a, true));
	web_division_select(r, fields, "division_id",
			    f ? form_s(f, EF_DIVISION) : defaults[EF_DIVISION]);
	page_field_set(fields, "division_id", "hint", tv_str(a, msg("admin.hint.division")));
	page_field_set(fields, "groups", "hint", tv_str(a, msg("admin.hint.groups")));
	return fields;
}

/* Draw the new-user form (u == NULL) or the edit form for u, with f's
 * values and errors when re-displaying a rejected submission. */
static void user_form_page(struct req *r, int status, const struct user *u, const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx =
	    page_ctx(r, msg(u ? "admin.title.user_edit" : "admin.title.user_new"), NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	struct tv *fields;
	unsigned checked;
	if (!u) {
		tv_set_str(ctx, "action", "/admin/users");
		fields = page_form(r, ctx, new_user_fields, NF__MAX, f, NULL);
		page_field_set(fields, "email", "autocomplete", tv_str(a, "off"));
		page_field_set(fields, "password", "autocomplete", tv_str(a, "new-password"));
		page_field_set(fields, "password", "hint", tv_str(a, msg("admin.hint.password")));
		checked = f ? roles_of(&f->v[NF_ROLES]) : 0;
	} else {
		fields = edit_form(r, db, ctx, u, f);
		checked = f ? roles_of(&f->v[EF_ROLES]) : u->roles;
	}
	page_field_set(fields, "name_kana", "hint", tv_str(a, msg("admin.hint.name_kana")));
	role_checkboxes(r, fields, checked);
	page_render(r, status, "admin/user_form", ctx);
}

void h_admin_user_new(struct req *r)
{
	user_form_page(r, 200, NULL, NULL);
}

void h_admin_user_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, new_user_fields, NF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, msg("admin.err.bad_fields"));
		return;
	}
	struct user u = {
	    .email = form_s(&f, NF_EMAIL),
	    .name = form_s(&f, NF_NAME),
	    .name_kana = form_s(&f, NF_NAME_KANA),
	    .roles = read_roles(&f, NF_ROLES),
	};
	struct user existing;
	/* Checked before hashing the password, so the message comes with the
	 * others; user_register() still catches a race. */
	if (!f.v[NF_EMAIL].error && user_by_email(db, a, u.email, &existing) == RC_OK)
		form_error(&f, NF_EMAIL, "admin.err.email_taken");
	if (f.nerrors) {
		user_form_page(r, 422, NULL, &f);
		return;
	}
	/* The password never goes into the log. */
	const char *summary =
	    msgf(a, "admin.audit.user_created", u.name, u.email, roles_label(a, u.roles));
	enum rc rc = user_register(db, &u, form_s(&f, NF_PASSWORD), r->user->id, summary, NULL);
	if (rc == RC_CONFLICT) {
		form_error(&f, NF_EMAIL, "admin.err.email_taken");
		user_form_page(r, 422, NULL, &f);
		return;
	}
	if (rc != RC_OK) {
		web_error(r, 503, msg("admin.err.save_failed"));
		return;
	}
	page_flash(r, "created");
	resp_redirect(r, "/admin/users");
}

/* The user named in the route, or a 404. */
static bool load_user(struct req *r, struct db *db, struct user *u)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || user_get(db, &r->arena, id, u) != RC_OK) {
		web_error(r, 404, msg("admin.err.user_not_found"));
		return false;
	}
	return true;
}

void h_admin_user_edit(struct req *r)
{
	struct db *db = page_db(r);
	struct user u;
	if (!db || !load_user(r, db, &u))
		return;
	user_form_page(r, 200, &u, NULL);
}

/* 名前（12）、名前（15）: the groups among ids[0..n) (names alike) that
 * are not among others[0..nothers), or "" when there is none. */
static const char *groups_missing(struct arena *a, const int64_t *ids, const char *const *names,
				  size_t n, const int64_t *others, size_t nothers)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < nothers; k++)
			found |= others[k] == ids[i];
		if (!found)
			buf_printf(&b, "%s%s（%lld）", b.n ? msg("admin.separator") : "", names[i],
				   (long long)ids[i]);
	}
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

/* The groups added and removed, for the audit summary. */
static void membership_changes(struct arena *a, struct buf *b, const struct membership *old,
			       size_t nold, const int64_t *ids, const char *const *names, size_t n)
{
	int64_t *old_ids = arena_alloc(a, (nold + 1) * sizeof(*old_ids));
	const char **old_names = arena_alloc(a, (nold + 1) * sizeof(*old_names));
	for (size_t k = 0; k < nold; k++) {
		old_ids[k] = old[k].group_id;
		old_names[k] = old[k].name;
	}
	const char *added = groups_missing(a, ids, names, n, old_ids, nold);
	const char *removed = groups_missing(a, old_ids, old_names, nold, ids, n);
	if (*added)
		change(b, msgf(a, "admin.change.groups_added", added));
	if (*removed)
		change(b, msgf(a, "admin.change.groups_removed", removed));
}

/* Refuse what an admin may not do to their own account: drop their admin
 * role or disable themselves.  Another admin has to do it, which also
 * means the last admin always stays. */
static void check_self(struct form *f, unsigned roles, bool disabled)
{
	if (!(roles & ROLE_ADMIN) && !f->v[EF_ROLES].error)
		form_error(f, EF_ROLES, "admin.err.self_admin");
	if (disabled && !f->v[EF_DISABLED].error)
		form_error(f, EF_DISABLED, "admin.err.self_disable");
}

/* The division submitted: division staff belong to one (challenge/call.h). */
static int64_t read_division(struct db *db, struct arena *a, struct form *f, unsigned roles)
{
	int64_t division = f->v[EF_DIVISION].present ? f->v[EF_DIVISION].i : 0;
	struct division dv;
	if (f->v[EF_DIVISION].error)
		return 0;
	if (division && division_get(db, a, division, &dv) != RC_OK)
		form_error(f, EF_DIVISION, "admin.err.division_choice");
	else if (!division && (roles & ROLE_DIVISION))
		form_error(f, EF_DIVISION, "admin.err.division_required");
	return division;
}

void h_admin_user_update(struct req *r)
{
	struct db *db = page_db(r);
	struct user old;
	if (!db || !load_user(r, db, &old))
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, edit_user_fields, EF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, msg("admin.err.bad_fields"));
		return;
	}
	struct user u = old;
	u.name = form_s(&f, EF_NAME);
	u.name_kana = form_s(&f, EF_NAME_KANA);
	u.roles = read_roles(&f, EF_ROLES);
	u.disabled = f.v[EF_DISABLED].i != 0;
	if (old.id == r->user->id)
		check_self(&f, u.roles, u.disabled);
	int64_t *ids = NULL;
	const char **names = NULL;
	size_t nids = 0;
	if (!f.v[EF_GROUPS].error)
		nids = read_group_ids(r, db, &f, EF_GROUPS, &ids, &names);
	int64_t division = read_division(db, a, &f, u.roles);
	if (f.nerrors) {
		user_form_page(r, 422, &old, &f);
		return;
	}

	int64_t old_division = user_division(db, old.id);
	struct membership *m;
	size_t nm = membership_list(db, a, old.id, &m);
	struct buf b = BUF_INIT;
	if (strcmp(u.name, old.name) != 0)
		change(&b, msgf(a, "admin.change.name", old.name, u.name));
	if (strcmp(u.name_kana, old.name_kana) != 0)
		change(&b, msgf(a, "admin.change.name_kana", old.name_kana, u.name_kana));
	if (u.roles != old.roles)
		change(&b, msgf(a, "admin.change.roles", roles_label(a, old.roles),
				roles_label(a, u.roles)));
	if (u.disabled != old.disabled)
		change(&b, msg(u.disabled ? "admin.change.disabled" : "admin.change.enabled"));
	membership_changes(a, &b, m, nm, ids, names, nids);
	if (division != old_division)
		change(&b, msgf(a, "admin.change.division", division_label(db, a, old_division),
				division_label(db, a, division)));
	const char *summary = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);

	if (user_save(db, a, &u, ids, nids, division, r->user->id, summary) != RC_OK) {
		web_error(r, 503, msg("admin.err.save_failed"));
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, "/admin/users");
}
