/*
 * The citizen-group directory: public list and detail pages, and the forms
 * staff and members use to create and edit groups.  Who may see a group's
 * private fields, edit or archive it is group_access()'s answer, asked
 * through access_may().
 */
#include "challenge/adoption.h"
#include "core/access.h"
#include "core/settings.h"
#include "core/who.h"
#include "groups/group.h"
#include "groups/handlers.h"
#include "groups/theme.h"
#include "util/jp.h"
#include "util/msg.h"
#include "web/page.h"
#include "web/respond.h"
#include "web/web.h"

#include <string.h>

#define PER_PAGE 20

/* The list's filter choices: the active themes and the kinds, with the
 * current query's selected. */
static void filter_choices(struct req *r, struct db *db, struct tv *ctx,
			   const struct group_query *q)
{
	struct arena *a = &r->arena;
	struct theme *themes;
	size_t nt = theme_list(db, a, false, &themes);
	struct tv *tl = tv_list(a);
	for (size_t i = 0; i < nt; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", themes[i].id);
		tv_set_str(o, "name", themes[i].name);
		tv_set_bool(o, "selected", themes[i].id == q->theme_id);
		tv_push(tl, o);
	}
	tv_set(ctx, "themes", tl);
	struct tv *kl = tv_list(a);
	for (const char *const *k = group_kinds; *k; k++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", *k);
		tv_set_bool(o, "selected", q->kind && strcmp(q->kind, *k) == 0);
		tv_push(kl, o);
	}
	tv_set(ctx, "kinds", kl);
}

/* One card of the list. */
static struct tv *summary_tv(struct arena *a, const struct group_summary *s)
{
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", s->id);
	tv_set_str(o, "name", s->name);
	tv_set_str(o, "name_kana", s->name_kana);
	tv_set_str(o, "kind", s->kind);
	tv_set_str(o, "area", arena_printf(a, "%s%s", s->city, s->town));
	tv_set_str(o, "excerpt", s->excerpt);
	struct tv *themes = tv_list(a);
	for (size_t k = 0; k < s->nthemes; k++)
		tv_push(themes, tv_str(a, s->themes[k]));
	tv_set(o, "themes", themes);
	if (s->members >= 0)
		tv_set_int(o, "members", s->members);
	return o;
}

void h_groups(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, group_query_fields, GQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, msg("groups.err.bad_query"));
		return;
	}
	struct group_query q;
	group_query_from_form(&f, PER_PAGE, &q);
	struct group_page res;
	if (group_list(db, a, &q, &res) != RC_OK) {
		web_error(r, 503, msg("groups.err.search_failed"));
		return;
	}
	struct tv *ctx = page_ctx(r, msg("groups.title.list"), NAV_GROUPS);
	tv_set_str(ctx, "q", q.q);
	bool searching = *q.q || q.kind || q.theme_id;
	tv_set_bool(ctx, "searching", searching);
	tv_set_str(ctx, "results_heading",
		   msgf(a, searching ? "groups.list.results" : "groups.list.all",
			arena_printf(a, "%lld", (long long)res.total)));
	tv_set_bool(ctx, "can_create", who_is_staff(r->user));
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < res.n; i++)
		tv_push(items, summary_tv(a, &res.items[i]));
	tv_set(ctx, "groups", items);
	filter_choices(r, db, ctx, &q);
	struct tv *p =
	    respond_pagination(r, q.page, PER_PAGE, res.total, "/groups", &f, GQ_Q, GQ_KIND);
	if (p)
		tv_set(ctx, "pages", p);
	page_render(r, 200, "groups/list", ctx);
}

/* 令和元年6月（2019年）, or NULL when the founding date is unknown. */
static const char *founded_label(struct arena *a, const struct group *g)
{
	if (!g->founded_year)
		return NULL;
	struct buf b = BUF_INIT;
	jp_wareki_year(&b, (int)g->founded_year, (int)g->founded_month, 28);
	const char *s = msgf(a, "groups.founded", b.p ? b.p : "",
			     arena_printf(a, "%lld", (long long)g->founded_month),
			     arena_printf(a, "%lld", (long long)g->founded_year));
	buf_release(&b);
	return s;
}

/* A list of strings for a template. */
static struct tv *strings_tv(struct arena *a, const char *const *items, size_t n)
{
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(list, tv_str(a, items[i]));
	return list;
}

/* What everybody sees of g. */
static struct tv *group_tv(struct arena *a, struct db *db, const struct group *g)
{
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", g->id);
	tv_set_str(o, "name", g->name);
	tv_set_str(o, "name_kana", g->name_kana);
	tv_set_str(o, "kind", g->kind);
	tv_set_str(o, "founded", founded_label(a, g));
	if (g->members >= 0) {
		tv_set_int(o, "members", g->members);
		tv_set_str(
		    o, "members_label",
		    msgf(a, "groups.show.members", arena_printf(a, "%lld", (long long)g->members)));
	}
	tv_set(o, "purpose_html", tv_raw(a, markdown_html(a, g->purpose)));
	tv_set_str(o, "public_contact", g->public_contact);
	if (g->rep_name[0]) {
		tv_set_str(o, "rep_title", g->rep_title);
		tv_set_str(o, "rep_name", g->rep_name);
		tv_set_str(o, "rep_kana", g->rep_kana);
	}
	tv_set_str(o, "address", arena_printf(a, "%s%s%s", g->pref, g->city, g->town));
	tv_set_str(o, "website", g->website);
	tv_set_bool(o, "archived", g->archived);
	tv_set(o, "themes", strings_tv(a, g->themes, g->nthemes));
	tv_set(o, "sns", strings_tv(a, g->sns, g->nsns));
	tv_set_bool(o, "has_sns", g->nsns > 0);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < g->nawards; i++) {
		struct tv *aw = tv_obj(a);
		tv_set_str(aw, "label",
			   msgf(a, "groups.show.award",
				arena_printf(a, "%lld", (long long)g->awards[i].year),
				g->awards[i].title));
		tv_push(list, aw);
	}
	tv_set(o, "awards", list);
	tv_set_bool(o, "has_awards", g->nawards > 0);
	/* Years of adoption in the challenge program: 「R4–6採択」. */
	tv_set_str(o, "adoption_history", adoption_group_history(db, a, g->id));
	tv_set_str(o, "updated", page_datetime(a, g->updated_at));
	return o;
}

/* Load the group in the route; an archived one only when archived_too.
 * False with the answer sent. */
static bool load_group(struct req *r, struct db *db, struct group *g, bool archived_too)
{
	enum rc rc = group_find(db, &r->arena, req_param_id(r, 0), archived_too, g);
	if (rc != RC_OK) {
		web_error(
		    r, rc_status(rc),
		    msg(rc == RC_NOT_FOUND ? "groups.err.not_found" : "groups.err.load_failed"));
		return false;
	}
	return true;
}

void h_group(struct req *r)
{
	struct db *db = page_db(r);
	struct group g;
	/* Archived groups have left the public pages; staff still see them. */
	if (!db || !load_group(r, db, &g, who_is_staff(r->user)))
		return;
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, g.name, NAV_GROUPS);
	struct tv *o = group_tv(a, db, &g);
	/* Personal data: the private contact and the full address are shown
	 * to staff and the group's own members only, and each look is logged;
	 * a look that cannot be logged is not shown. */
	if (access_may(db, r->user, ACCESS_GROUP, g.id, ACCESS_VIEW)) {
		if (group_log_private_view(db, g.id, r->user->id) != DB_OK) {
			web_error(r, 503, msg("groups.err.audit_view"));
			return;
		}
		struct tv *priv = tv_obj(a);
		tv_set_str(priv, "contact", g.private_contact);
		tv_set_str(priv, "street", g.street);
		tv_set_str(priv, "building", g.building);
		tv_set(o, "private", priv);
	}
	tv_set(ctx, "group", o);
	tv_set_bool(ctx, "can_edit", access_may(db, r->user, ACCESS_GROUP, g.id, ACCESS_EDIT));
	bool manage = access_may(db, r->user, ACCESS_GROUP, g.id, ACCESS_MANAGE);
	tv_set_bool(ctx, "can_archive", manage);
	if (manage)
		tv_set_str(ctx, "csrf", req_csrf(r));
	page_render(r, 200, "groups/show", ctx);
}

/* The prefecture the office's address starts with, as the new-group
 * form's default; NULL when it names none. */
static const char *office_pref(struct db *db, struct arena *a)
{
	const char *address = db ? setting_get(db, a, "office_address") : "";
	for (const char *const *p = prefectures; *p; p++)
		if (strncmp(address, *p, strlen(*p)) == 0)
			return *p;
	return NULL;
}

/* The form's values for stored group g (NULL: a new group). */
static void form_defaults(struct arena *a, struct db *db, const struct group *g,
			  const char *defaults[GF__MAX])
{
	if (!g) {
		defaults[GF_PREF] = office_pref(db, a);
		return;
	}
	defaults[GF_NAME] = g->name;
	defaults[GF_NAME_KANA] = g->name_kana;
	defaults[GF_KIND] = g->kind;
	if (g->founded_year)
		defaults[GF_FOUNDED] = arena_printf(a, "%04lld-%02lld", (long long)g->founded_year,
						    (long long)g->founded_month);
	if (g->members >= 0)
		defaults[GF_MEMBERS] = arena_printf(a, "%lld", (long long)g->members);
	defaults[GF_PURPOSE] = g->purpose;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < g->nawards; i++)
		buf_printf(&b, "%s%lld %s", i ? "\n" : "", (long long)g->awards[i].year,
			   g->awards[i].title);
	defaults[GF_AWARDS] = arena_strdup(a, b.p ? b.p : "");
	buf_reset(&b);
	for (size_t i = 0; i < g->nsns; i++)
		buf_printf(&b, "%s%s", i ? "\n" : "", g->sns[i]);
	defaults[GF_SNS] = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	defaults[GF_WEBSITE] = g->website;
	defaults[GF_PUBLIC_CONTACT] = g->public_contact;
	defaults[GF_PRIVATE_CONTACT] = g->private_contact;
	defaults[GF_REP_TITLE] = g->rep_title;
	defaults[GF_REP_NAME] = g->rep_name;
	defaults[GF_REP_KANA] = g->rep_kana;
	defaults[GF_PREF] = g->pref;
	defaults[GF_CITY] = g->city;
	defaults[GF_TOWN] = g->town;
	defaults[GF_STREET] = g->street;
	defaults[GF_BUILDING] = g->building;
}

/* A NULL-terminated list's length. */
static size_t count(const char *const *list)
{
	size_t n = 0;
	while (list[n])
		n++;
	return n;
}

/* The hints under the form's fields: field name, message key. */
static const char *const form_hints[][2] = {
    {"name_kana", "groups.hint.kana"},
    {"rep_kana", "groups.hint.kana"},
    {"founded", "groups.hint.founded"},
    {"purpose", "groups.hint.purpose"},
    {"awards", "groups.hint.awards"},
    {"sns", "groups.hint.sns"},
    {"private_contact", "groups.hint.private_contact"},
};

/* Draw the group form: new (g == NULL) or edit, with f's values and errors
 * when re-displaying a rejected submission. */
static void form_page(struct req *r, int status, const struct group *g, const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, msg(g ? "groups.title.edit" : "groups.title.new"), NAV_GROUPS);
	tv_set_str(ctx, "csrf", req_csrf(r));
	tv_set_str(ctx, "action",
		   g ? arena_printf(a, "/groups/%lld", (long long)g->id) : "/groups");
	if (g) {
		tv_set_int(ctx, "id", g->id);
		tv_set_str(ctx, "group_name", g->name);
	}
	const char *defaults[GF__MAX] = {0};
	form_defaults(a, db, g, defaults);
	const char **chosen = g ? g->themes : NULL;
	size_t nchosen = g ? g->nthemes : 0;
	if (f) {
		chosen = f->v[GF_THEMES].list;
		nchosen = f->v[GF_THEMES].nlist;
	}
	struct tv *fields = page_form(r, ctx, group_fields, GF__MAX, f, defaults);

	struct theme *themes;
	size_t nt = db ? theme_list(db, a, false, &themes) : 0;
	const char **names = arena_alloc(a, (nt + 1) * sizeof(*names));
	for (size_t i = 0; i < nt; i++)
		names[i] = themes[i].name;
	page_field_options(r, fields, "themes", names, nt, chosen, nchosen, true);
	const char *kind = f ? form_s(f, GF_KIND) : defaults[GF_KIND];
	page_field_options(r, fields, "kind", group_kinds, count(group_kinds), &kind, 1, false);
	const char *pref = f ? form_s(f, GF_PREF) : defaults[GF_PREF];
	page_field_options(r, fields, "pref", prefectures, count(prefectures), &pref, 1, false);
	page_field_set(fields, "awards", "textarea", tv_bool(a, true));
	page_field_set(fields, "sns", "textarea", tv_bool(a, true));
	for (size_t i = 0; i < sizeof(form_hints) / sizeof(form_hints[0]); i++)
		page_field_set(fields, form_hints[i][0], "hint", tv_str(a, msg(form_hints[i][1])));
	page_render(r, status, "groups/form", ctx);
}

void h_group_new(struct req *r)
{
	form_page(r, 200, NULL, NULL);
}

/* Validate the posted form into g; re-displays the form and returns false
 * on errors. */
static bool read_form(struct req *r, struct db *db, struct group *g, const struct group *old)
{
	struct form f;
	form_check(&r->arena, group_fields, GF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, msg("groups.err.bad_fields"));
		return false;
	}
	group_from_form(db, &r->arena, &f, NULL, g);
	if (f.nerrors) {
		form_page(r, 422, old, &f);
		return false;
	}
	return true;
}

/* After a change to group id: 503 when it failed, else its page with the
 * flash. */
static void changed(struct req *r, enum rc rc, int64_t id, const char *flash)
{
	if (rc != RC_OK) {
		web_error(
		    r, rc_status(rc),
		    msg(rc == RC_NOT_FOUND ? "groups.err.not_found" : "groups.err.save_failed"));
		return;
	}
	page_flash(r, flash);
	resp_redirect(r, arena_printf(&r->arena, "/groups/%lld", (long long)id));
}

void h_group_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct group g = {0};
	if (!read_form(r, db, &g, NULL))
		return;
	enum rc rc = group_save(db, &r->arena, &g, NULL, r->user->id);
	changed(r, rc, g.id, "created");
}

/* Load the group in the route for editing, refusing users who may not. */
static bool load_editable(struct req *r, struct db *db, struct group *g)
{
	if (!load_group(r, db, g, true))
		return false;
	if (!access_may(db, r->user, ACCESS_GROUP, g->id, ACCESS_EDIT)) {
		web_error(r, 403, msg("groups.err.forbidden"));
		return false;
	}
	return true;
}

void h_group_edit(struct req *r)
{
	struct db *db = page_db(r);
	struct group g;
	if (!db || !load_editable(r, db, &g))
		return;
	form_page(r, 200, &g, NULL);
}

void h_group_update(struct req *r)
{
	struct db *db = page_db(r);
	struct group old;
	if (!db || !load_editable(r, db, &old))
		return;
	struct group g = old;
	if (!read_form(r, db, &g, &old))
		return;
	enum rc rc = group_save(db, &r->arena, &g, &old, r->user->id);
	changed(r, rc, g.id, "saved");
}

enum { AF_ARCHIVED, AF__MAX };
static const struct field_spec archive_fields[AF__MAX] = {
    [AF_ARCHIVED] = {"archived", "groups.field.archived", F_BOOL, true, 5, 0, 0, NULL},
};

void h_group_archive(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	int64_t id = req_param_id(r, 0);
	struct form f;
	form_check(&r->arena, archive_fields, AF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, msg("groups.err.bad_fields"));
		return;
	}
	if (id >= 0 && !access_may(db, r->user, ACCESS_GROUP, id, ACCESS_MANAGE)) {
		web_error(r, 403, msg("groups.err.forbidden"));
		return;
	}
	bool archived = f.v[AF_ARCHIVED].i != 0;
	enum rc rc = id < 0 ? RC_NOT_FOUND : group_set_archived(db, id, archived, r->user->id);
	changed(r, rc, id, archived ? "archived" : "restored");
}
