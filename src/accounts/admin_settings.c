/*
 * The admin menu (管理) and the site settings (core/settings.h): the site
 * name and the office's contact details shown in the footer, and the
 * values the rules read (cancellation deadline, retention, city code).
 * PERM_ADMIN (routes.c); a change is written with its audit entry in one
 * transaction.
 */
#include "accounts/handlers.h"
#include "core/audit.h"
#include "core/settings.h"
#include "core/who.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>

void h_admin(struct req *r)
{
	struct tv *ctx = page_ctx(r, msg("admin.title.index"), NAV_NONE);
	page_render(r, 200, "admin/index", ctx);
}

/* One F_LINE field per setting; built at run time from settings_table.
 * The site name and the office name appear on every page, so they must
 * not be empty. */
static struct field_spec *settings_fields(struct arena *a)
{
	struct field_spec *spec = arena_alloc(a, (size_t)settings_count * sizeof(*spec));
	for (int i = 0; i < settings_count; i++) {
		const char *key = settings_table[i].key;
		spec[i] = (struct field_spec){
		    .name = key,
		    .label = settings_table[i].label,
		    .kind = F_LINE,
		    .required = strcmp(key, "site_name") == 0 || strcmp(key, "office_name") == 0,
		    .max = 200,
		};
	}
	return spec;
}

static void settings_page(struct req *r, int status, const struct field_spec *spec,
			  const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg("admin.title.settings"), NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	const char **defaults = arena_alloc(a, (size_t)settings_count * sizeof(*defaults));
	for (int i = 0; db && i < settings_count; i++)
		defaults[i] = setting_get(db, a, settings_table[i].key);
	struct tv *fields = page_form(r, ctx, spec, (size_t)settings_count, f, defaults);
	page_field_set(fields, "site_name", "hint", tv_str(a, msg("admin.hint.site_name")));
	page_field_set(fields, "office_org", "hint", tv_str(a, msg("admin.hint.office_org")));
	page_field_set(fields, "office_phone", "hint", tv_str(a, msg("admin.hint.office_phone")));
	page_field_set(fields, "office_phone", "type", tv_str(a, "tel"));
	page_field_set(fields, "office_email", "type", tv_str(a, "email"));
	page_render(r, status, "admin/settings", ctx);
}

void h_admin_settings(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	settings_page(r, 200, settings_fields(&r->arena), NULL);
}

/* Write the settings of f that the form sent and that differ from the
 * stored ones, with the audit entry naming them, in one transaction. */
static bool save(struct req *r, struct db *db, const struct form *f)
{
	struct arena *a = &r->arena;
	if (db_begin(db) != DB_OK)
		return false;
	struct buf b = BUF_INIT;
	bool ok = true;
	for (int i = 0; ok && i < settings_count; i++) {
		const char *key = settings_table[i].key;
		/* Only keys the form sent: a setting missing from the form is
		 * left alone rather than emptied. */
		if (!req_form(r, key))
			continue;
		const char *value = form_s(f, (size_t)i);
		if (strcmp(setting_get(db, a, key), value) == 0)
			continue;
		ok = setting_set(db, key, value) == DB_OK;
		buf_printf(&b, "%s%s（%s）", b.n ? msg("admin.separator") : "",
			   msg(settings_table[i].label), key);
	}
	if (ok && b.n)
		ok = audit(db, r->user->id, "update", "settings", 0,
			   msgf(a, "admin.audit.settings_changed", b.p)) == DB_OK;
	buf_release(&b);
	if (!ok || db_commit(db) != DB_OK) {
		db_rollback(db);
		return false;
	}
	return true;
}

void h_admin_settings_save(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	const struct field_spec *spec = settings_fields(a);
	struct form f;
	form_check(a, spec, (size_t)settings_count, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, msg("admin.err.bad_fields"));
		return;
	}
	if (f.nerrors) {
		settings_page(r, 422, spec, &f);
		return;
	}
	if (!save(r, db, &f)) {
		web_error(r, 503, msg("admin.err.save_failed"));
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, "/admin/settings");
}
