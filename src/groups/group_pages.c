/*
 * The citizen-group directory: public list and detail pages, and the forms
 * staff and members use to create and edit groups.
 */
#include "core/who.h"
#include "challenge/adoption.h"
#include "groups/handlers.h"
#include "core/audit.h"
#include "groups/group.h"
#include "core/role.h"
#include "util/jp.h"
#include "util/text.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>

#define PER_PAGE 20

struct theme_row {
	int64_t id;
	const char *name;
};

/* Active themes in their display order. */
static size_t load_themes(struct db *db, struct arena *a, struct theme_row **out)
{
	size_t n = 0, cap = 32;
	struct theme_row *t = arena_alloc(a, cap * sizeof(*t));
	struct db_stmt *st = db_stmt(db, STMT_THEME_LIST);
	while (db_step(st) == DB_ROW) {
		if (n == cap) {
			db_reset(st);
			break;
		}
		t[n].id = db_int(st, 0);
		t[n].name = arena_strdup(a, db_text(st, 1));
		n++;
	}
	*out = t;
	return n;
}

/* "/groups?q=..&kind=..&theme=..&page=N" keeping the current filters. */
static const char *list_url(struct req *r, const struct form *f, int64_t page)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "/groups");
	char sep = '?';
	for (int i = GQ_Q; i <= GQ_KIND; i++) {
		if (!f->v[i].present)
			continue;
		buf_printf(&b, "%c%s=", sep, group_query_fields[i].name);
		buf_add_urlenc(&b, f->v[i].s, f->v[i].n);
		sep = '&';
	}
	if (page > 1)
		buf_printf(&b, "%cpage=%lld", sep, (long long)page);
	char *s = arena_strdup(&r->arena, b.p);
	buf_release(&b);
	return s;
}

static struct tv *pagination(struct req *r, const struct form *f, int64_t page, int64_t total)
{
	struct arena *a = &r->arena;
	int64_t pages = (total + PER_PAGE - 1) / PER_PAGE;
	struct tv *p = tv_obj(a);
	if (pages <= 1)
		return NULL;
	tv_set_int(p, "current", page);
	tv_set_int(p, "total_pages", pages);
	if (page > 1)
		tv_set_str(p, "prev_url", list_url(r, f, page - 1));
	if (page < pages)
		tv_set_str(p, "next_url", list_url(r, f, page + 1));
	struct tv *items = tv_list(a);
	int64_t from = page - 3 < 1 ? 1 : page - 3, to = page + 3 > pages ? pages : page + 3;
	for (int64_t i = from; i <= to; i++) {
		struct tv *it = tv_obj(a);
		tv_set_int(it, "number", i);
		tv_set_str(it, "url", list_url(r, f, i));
		tv_set_bool(it, "current", i == page);
		tv_push(items, it);
	}
	tv_set(p, "items", items);
	return p;
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
		web_error(r, 400, "検索条件が正しくありません。");
		return;
	}
	struct group_query q;
	group_query_from_form(&f, PER_PAGE, &q);
	struct group_page res;
	if (group_list(db, a, &q, &res) != GROUP_OK) {
		web_error(r, 503, "検索できませんでした。しばらくしてからお試しください。");
		return;
	}
	struct tv *ctx = page_ctx(r, "団体をさがす", NAV_GROUPS);
	tv_set_str(ctx, "q", q.q);
	tv_set_int(ctx, "total", res.total);
	tv_set_bool(ctx, "searching", *q.q || q.kind || q.theme_id);
	tv_set_bool(ctx, "can_create", r->user && (r->user->roles & PERM_STAFF));
	struct tv *items = tv_list(a);
	for (size_t i = 0; i < res.n; i++) {
		const struct group_summary *s = &res.items[i];
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
		tv_push(items, o);
	}
	tv_set(ctx, "groups", items);

	struct theme_row *themes;
	size_t nt = load_themes(db, a, &themes);
	struct tv *tl = tv_list(a);
	for (size_t i = 0; i < nt; i++) {
		struct tv *o = tv_obj(a);
		tv_set_int(o, "id", themes[i].id);
		tv_set_str(o, "name", themes[i].name);
		tv_set_bool(o, "selected", themes[i].id == q.theme_id);
		tv_push(tl, o);
	}
	tv_set(ctx, "themes", tl);
	struct tv *kl = tv_list(a);
	for (const char *const *k = group_kinds; *k; k++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "name", *k);
		tv_set_bool(o, "selected", q.kind && strcmp(q.kind, *k) == 0);
		tv_push(kl, o);
	}
	tv_set(ctx, "kinds", kl);
	struct tv *p = pagination(r, &f, q.page, res.total);
	if (p)
		tv_set(ctx, "pages", p);
	page_render(r, 200, "groups/list", ctx);
}

static const char *founded_label(struct arena *a, const struct group *g)
{
	if (!g->founded_year)
		return NULL;
	struct buf b = BUF_INIT;
	jp_wareki_year(&b, (int)g->founded_year, (int)g->founded_month, 28);
	buf_printf(&b, "%lld月（%lld年）", (long long)g->founded_month, (long long)g->founded_year);
	char *s = arena_strdup(a, b.p);
	buf_release(&b);
	return s;
}

void h_group(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	int64_t id = req_param_id(r, 0);
	struct group g;
	bool staff = r->user && (r->user->roles & PERM_STAFF);
	if (id < 0 || group_get(db, a, id, &g) != GROUP_OK || (g.archived && !staff)) {
		web_error(r, 404, "お探しの団体は見つかりませんでした。");
		return;
	}
	bool can_edit = web_can_edit_group(r, id);
	struct tv *ctx = page_ctx(r, g.name, NAV_GROUPS);
	struct tv *o = tv_obj(a);
	tv_set_int(o, "id", g.id);
	tv_set_str(o, "name", g.name);
	tv_set_str(o, "name_kana", g.name_kana);
	tv_set_str(o, "kind", g.kind);
	tv_set_str(o, "founded", founded_label(a, &g));
	if (g.members >= 0)
		tv_set_int(o, "members", g.members);
	tv_set(o, "purpose_html", tv_raw(a, markdown_html(a, g.purpose)));
	tv_set_str(o, "public_contact", g.public_contact);
	if (g.rep_name[0]) {
		tv_set_str(o, "rep_title", g.rep_title);
		tv_set_str(o, "rep_name", g.rep_name);
		tv_set_str(o, "rep_kana", g.rep_kana);
	}
	tv_set_str(o, "address", arena_printf(a, "%s%s%s", g.pref, g.city, g.town));
	tv_set_str(o, "website", g.website);
	tv_set_bool(o, "archived", g.archived);
	struct tv *list = tv_list(a);
	for (size_t i = 0; i < g.nthemes; i++)
		tv_push(list, tv_str(a, g.themes[i]));
	tv_set(o, "themes", list);
	list = tv_list(a);
	for (size_t i = 0; i < g.nsns; i++)
		tv_push(list, tv_str(a, g.sns[i]));
	tv_set(o, "sns", list);
	tv_set_bool(o, "has_sns", g.nsns > 0);
	list = tv_list(a);
	for (size_t i = 0; i < g.nawards; i++) {
		struct tv *aw = tv_obj(a);
		tv_set_int(aw, "year", g.awards[i].year);
		tv_set_str(aw, "title", g.awards[i].title);
		tv_push(list, aw);
	}
	tv_set(o, "awards", list);
	tv_set_bool(o, "has_awards", g.nawards > 0);
	/* Years of adoption in the challenge program: 「R4–6採択」. */
	tv_set_str(o, "adoption_history", adoption_group_history(db, a, g.id));
	tv_set_str(o, "updated", page_datetime(a, g.updated_at));

	/* Personal data: the private contact and the full address are shown
	 * to staff and the group's own members only, and each look is logged. */
	if (can_edit) {
		struct tv *priv = tv_obj(a);
		tv_set_str(priv, "contact", g.private_contact);
		tv_set_str(priv, "street", g.street);
		tv_set_str(priv, "building", g.building);
		tv_set(o, "private", priv);
		audit(db, r->user->id, "view_personal", "group", g.id, "非公開の連絡先を表示");
	}
	tv_set(ctx, "group", o);
	tv_set_bool(ctx, "can_edit", can_edit);
	tv_set_bool(ctx, "can_archive", staff);
	if (staff)
		tv_set_str(ctx, "csrf", req_csrf(r));
	page_render(r, 200, "groups/show", ctx);
}

/* Draw the group form: new (g == NULL) or edit, with f's values and errors
 * when re-displaying a rejected submission. */
static void form_page(struct req *r, int status, const struct group *g, const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, g ? "団体情報の編集" : "団体の登録", NAV_GROUPS);
	tv_set_str(ctx, "csrf", req_csrf(r));
	tv_set_str(ctx, "action",
		   g ? arena_printf(a, "/groups/%lld", (long long)g->id) : "/groups");
	if (g) {
		tv_set_int(ctx, "id", g->id);
		tv_set_str(ctx, "group_name", g->name);
	}
	const char *defaults[GF__MAX] = {0};
	const char **chosen = NULL;
	size_t nchosen = 0;
	if (g) {
		defaults[GF_NAME] = g->name;
		defaults[GF_NAME_KANA] = g->name_kana;
		defaults[GF_KIND] = g->kind;
		if (g->founded_year)
			defaults[GF_FOUNDED] =
			    arena_printf(a, "%04lld-%02lld", (long long)g->founded_year,
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
		chosen = g->themes;
		nchosen = g->nthemes;
	} else {
		defaults[GF_PREF] = "石川県";
	}
	if (f) {
		chosen = f->v[GF_THEMES].list;
		nchosen = f->v[GF_THEMES].nlist;
	}
	struct tv *fields = page_form(r, ctx, group_fields, GF__MAX, f, defaults);

	struct theme_row *themes;
	size_t nt = db ? load_themes(db, a, &themes) : 0;
	const char **names = arena_alloc(a, (nt + 1) * sizeof(*names));
	for (size_t i = 0; i < nt; i++)
		names[i] = themes[i].name;
	page_field_options(r, fields, "themes", names, nt, chosen, nchosen, true);

	const char *kind = f ? form_s(f, GF_KIND) : defaults[GF_KIND];
	size_t nk = 0;
	while (group_kinds[nk])
		nk++;
	page_field_options(r, fields, "kind", (const char *const *)group_kinds, nk, &kind, 1,
			   false);
	const char *pref = f ? form_s(f, GF_PREF) : defaults[GF_PREF];
	size_t np = 0;
	while (prefectures[np])
		np++;
	page_field_options(r, fields, "pref", (const char *const *)prefectures, np, &pref, 1,
			   false);
	page_field_set(fields, "awards", "textarea", tv_bool(a, true));
	page_field_set(fields, "sns", "textarea", tv_bool(a, true));
	page_field_set(fields, "name_kana", "hint",
		       tv_str(a, "ひらがなで入力しても、カタカナで登録されます。"));
	page_field_set(fields, "rep_kana", "hint",
		       tv_str(a, "ひらがなで入力しても、カタカナで登録されます。"));
	page_field_set(fields, "founded", "hint", tv_str(a, "例：2018-06"));
	page_field_set(fields, "purpose", "hint",
		       tv_str(a, "Markdown記法（見出し・箇条書き・リンク）が使えます。"));
	page_field_set(
	    fields, "awards", "hint",
	    tv_str(
		a,
		"1行に1件、「2020 いいね金沢環境活動賞」のように年と賞の名前を入力してください。"));
	page_field_set(fields, "sns", "hint", tv_str(a, "1行に1つずつURLを入力してください。"));
	page_field_set(fields, "private_contact", "hint",
		       tv_str(a, "事務局と団体のメンバーだけが見られます。"));
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
		web_error(r, 400, "送信された項目が正しくありません。");
		return false;
	}
	group_from_form(db, &r->arena, &f, NULL, g);
	if (f.nerrors) {
		form_page(r, 422, old, &f);
		return false;
	}
	return true;
}

void h_group_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct group g = {0};
	if (!read_form(r, db, &g, NULL))
		return;
	if (group_save(db, &r->arena, &g, NULL, r->user->id) != GROUP_OK) {
		web_error(r, 503, "保存できませんでした。しばらくしてからお試しください。");
		return;
	}
	page_flash(r, "created");
	resp_redirect(r, arena_printf(&r->arena, "/groups/%lld", (long long)g.id));
}

/* Load the group in the route for editing, refusing users who may not. */
static bool load_editable(struct req *r, struct db *db, struct group *g)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || group_get(db, &r->arena, id, g) != GROUP_OK) {
		web_error(r, 404, "お探しの団体は見つかりませんでした。");
		return false;
	}
	if (!web_can_edit_group(r, id)) {
		web_error(r, 403, "この団体を編集する権限がありません。");
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
	if (group_save(db, &r->arena, &g, &old, r->user->id) != GROUP_OK) {
		web_error(r, 503, "保存できませんでした。しばらくしてからお試しください。");
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, arena_printf(&r->arena, "/groups/%lld", (long long)g.id));
}

enum { AF_ARCHIVED, AF__MAX };
static const struct field_spec archive_fields[AF__MAX] = {
    [AF_ARCHIVED] = {"archived", "アーカイブ", F_BOOL, true, 5, 0, 0, NULL},
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
		web_error(r, 400, "送信された項目が正しくありません。");
		return;
	}
	bool archived = f.v[AF_ARCHIVED].i != 0;
	enum group_rc rc =
	    id < 0 ? GROUP_NOT_FOUND : group_set_archived(db, id, archived, r->user->id);
	if (rc == GROUP_NOT_FOUND) {
		web_error(r, 404, "お探しの団体は見つかりませんでした。");
		return;
	}
	if (rc != GROUP_OK) {
		web_error(r, 503, "保存できませんでした。しばらくしてからお試しください。");
		return;
	}
	page_flash(r, archived ? "archived" : "restored");
	resp_redirect(r, arena_printf(&r->arena, "/groups/%lld", (long long)id));
}
