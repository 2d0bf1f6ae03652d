/*
 * The audit log (管理 > 監査ログ): every change and every look at personal
 * data, newest first, filtered by entity, action and user, 50 to a page.
 * PERM_ADMIN (routes.c).  The words for an action or entity are
 * admin.audit.action.<action> and admin.audit.entity.<entity> in the
 * catalogue; one without words shows its stored name.
 */
#include "accounts/handlers.h"
#include "accounts/user.h"
#include "core/who.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <string.h>

#define AUDIT_PER_PAGE 50

/* The entities the filter offers, as stored in audit_log.entity. */
static const char *const audit_entities[] = {"group",
					     "user",
					     "session",
					     "theme",
					     "settings",
					     "program",
					     "call",
					     "category",
					     "milestone",
					     "call_document",
					     "division",
					     "consultation_slot",
					     "consultation_booking",
					     "division_consultation",
					     "proposal",
					     NULL};

enum { AQ_ENTITY, AQ_ACTION, AQ_USER, AQ_PAGE, AQ__MAX };
static const struct field_spec audit_fields[AQ__MAX] = {
    [AQ_ENTITY] = {"entity", "admin.field.audit_entity", F_CHOICE, false, 20, 0, 0, audit_entities},
    [AQ_ACTION] = {"action", "admin.field.audit_action", F_LINE, false, 30, 0, 0, NULL},
    [AQ_USER] = {"user", "admin.field.audit_user", F_ID, false, 20, 0, 0, NULL},
    [AQ_PAGE] = {"page", "admin.field.page", F_INT, false, 6, 1, 100000, NULL},
};

/* The words for a stored name of kind ("action", "entity"), or the name
 * itself when the catalogue has none. */
static const char *label(struct arena *a, const char *kind, const char *name)
{
	const char *key = arena_printf(a, "admin.audit.%s.%s", kind, name);
	return msg_exists(key) ? msg(key) : name;
}

/* ?1 entity, ?2 user id, ?3 action: NULL for any. */
static void bind_audit_filters(struct db_stmt *st, const struct form *f)
{
	if (f->v[AQ_ENTITY].present)
		db_bind_str(st, 1, form_s(f, AQ_ENTITY));
	else
		db_bind_null(st, 1);
	if (f->v[AQ_USER].present)
		db_bind_int(st, 2, f->v[AQ_USER].i);
	else
		db_bind_null(st, 2);
	if (f->v[AQ_ACTION].present)
		db_bind_str(st, 3, form_s(f, AQ_ACTION));
	else
		db_bind_null(st, 3);
}

/* One row of the log for the table. */
static struct tv *entry(struct arena *a, struct db_stmt *st)
{
	struct tv *o = tv_obj(a);
	tv_set_str(o, "at", page_datetime(a, db_int(st, 1)));
	if (!db_isnull(st, 2)) {
		int64_t uid = db_int(st, 2);
		const char *name = db_text(st, 3);
		tv_set_int(o, "user_id", uid);
		tv_set_str(o, "user_name",
			   name && *name ? arena_strdup(a, name)
					 : msgf(a, "admin.audit.unnamed_user",
						arena_printf(a, "%lld", (long long)uid)));
	}
	const char *action = arena_strdup(a, db_text(st, 4));
	const char *entity = arena_strdup(a, db_text(st, 5));
	tv_set_str(o, "action", label(a, "action", action));
	tv_set_str(o, "entity", label(a, "entity", entity));
	if (!db_isnull(st, 6)) {
		int64_t eid = db_int(st, 6);
		tv_set_int(o, "entity_id", eid);
		if (strcmp(entity, "group") == 0)
			tv_set_str(o, "entity_url",
				   arena_printf(a, "/groups/%lld", (long long)eid));
		else if (strcmp(entity, "user") == 0 || strcmp(entity, "session") == 0)
			tv_set_str(o, "entity_url",
				   arena_printf(a, "/admin/users/%lld", (long long)eid));
		/* A login's id is the user's, not a session's. */
		tv_set_str(
		    o, "id_label",
		    msg(strcmp(entity, "session") == 0 ? "admin.audit.user_id" : "admin.audit.id"));
	}
	const char *summary = db_text(st, 7);
	tv_set_str(o, "summary", arena_strdup(a, summary ? summary : ""));
	return o;
}

/* The filter form showing the current filters; page is not one of its
 * fields (a new search starts at the first page). */
static void filter_form(struct req *r, struct tv *ctx, const struct form *f)
{
	struct arena *a = &r->arena;
	struct tv *fields = page_form(r, ctx, audit_fields, AQ__MAX, f, NULL);
	struct tv *opts = tv_list(a);
	struct tv *any = tv_obj(a);
	tv_set_str(any, "value", "");
	tv_set_str(any, "label", msg("admin.audit.any"));
	tv_set_bool(any, "selected", !f->v[AQ_ENTITY].present);
	tv_push(opts, any);
	for (size_t i = 0; audit_entities[i]; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "value", audit_entities[i]);
		tv_set_str(o, "label",
			   msg(arena_printf(a, "admin.audit.entity.%s", audit_entities[i])));
		tv_set_bool(o, "selected", strcmp(form_s(f, AQ_ENTITY), audit_entities[i]) == 0);
		tv_push(opts, o);
	}
	page_field_set(fields, "entity", "options", opts);
	page_field_set(fields, "entity", "select", tv_bool(a, true));
	page_field_set(fields, "action", "hint", tv_str(a, msg("admin.hint.audit_action")));
	page_field_set(fields, "user", "hint", tv_str(a, msg("admin.hint.audit_user")));
}

void h_admin_audit(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, audit_fields, AQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, msg("admin.err.bad_filter"));
		return;
	}
	int64_t page = f.v[AQ_PAGE].present ? f.v[AQ_PAGE].i : 1;
	struct db_stmt *st = db_stmt(db, STMT_AUDIT_COUNT);
	bind_audit_filters(st, &f);
	if (db_step(st) != DB_ROW) {
		web_error(r, 503, msg("admin.err.audit_unavailable"));
		return;
	}
	int64_t total = db_int(st, 0);
	db_reset(st);
	if (page > 1 && (page - 1) * AUDIT_PER_PAGE >= total) {
		web_error(r, 404, msg("admin.err.no_such_page"));
		return;
	}

	struct tv *ctx = page_ctx(r, msg("admin.title.audit"), NAV_NONE);
	struct tv *rows = tv_list(a);
	st = db_stmt(db, STMT_AUDIT_LIST);
	bind_audit_filters(st, &f);
	db_bind_int(st, 4, AUDIT_PER_PAGE);
	db_bind_int(st, 5, (page - 1) * AUDIT_PER_PAGE);
	while (db_step(st) == DB_ROW)
		tv_push(rows, entry(a, st));
	tv_set(ctx, "entries", rows);
	tv_set_bool(ctx, "has_entries", tv_len(rows) > 0);
	bool filtering = f.v[AQ_ENTITY].present || f.v[AQ_ACTION].present || f.v[AQ_USER].present;
	tv_set_bool(ctx, "filtering", filtering);
	tv_set_str(ctx, "heading",
		   msgf(a, filtering ? "admin.audit.filtered" : "admin.audit.all",
			arena_printf(a, "%lld", (long long)total)));
	if (f.v[AQ_USER].present) {
		struct user u;
		if (user_get(db, a, f.v[AQ_USER].i, &u) == RC_OK)
			tv_set_str(ctx, "filter_user", msgf(a, "admin.audit.filter_user", u.name));
	}
	filter_form(r, ctx, &f);
	struct tv *p = respond_pagination(r, page, AUDIT_PER_PAGE, total, "/admin/audit", &f,
					  AQ_ENTITY, AQ_USER);
	if (p)
		tv_set(ctx, "pages", p);
	page_render(r, 200, "admin/audit", ctx);
}
