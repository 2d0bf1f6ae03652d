/*
 * The admin area (管理): accounts and their group memberships, the audit
 * log, activity themes and the site settings.  Every route is PERM_ADMIN
 * (app.c): the server has checked the role and the CSRF token before these
 * handlers run.  Each change is written with its audit entry in one
 * transaction, so that nothing changes unrecorded.
 */
#include "core/who.h"
#include "core/audit.h"
#include "accounts/handlers.h"
#include "challenge/call.h"
#include "accounts/membership.h"
#include "core/role.h"
#include "core/settings.h"
#include "accounts/user.h"
#include "util/text.h"
#include "web/page.h"
#include "web/web.h"

#include <string.h>

#define AUDIT_PER_PAGE	50
#define MAX_USER_GROUPS 100

static const char *const bad_fields = "送信された項目が正しくありません。";
static const char *const save_failed = "保存できませんでした。しばらくしてからお試しください。";

/* An arena copy of b's text; releases b. */
static const char *buf_take(struct arena *a, struct buf *b)
{
	const char *s = arena_strdup(a, b->p ? b->p : "");
	buf_release(b);
	return s;
}

/* db_text may be NULL for a NULL column. */
static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_text(st, i);
	return arena_strdup(a, s ? s : "");
}

/* Append one "what changed" item to a summary. */
static void change(struct buf *b, const char *fmt, const char *from, const char *to)
{
	if (b->n)
		buf_adds(b, " ／ ");
	buf_printf(b, fmt, from, to);
}

void h_admin(struct req *r)
{
	struct tv *ctx = page_ctx(r, "管理メニュー", NAV_NONE);
	page_render(r, 200, "admin/index", ctx);
}

/* ---- Users ------------------------------------------------------------ */

void h_admin_users(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "利用者の管理", NAV_NONE);
	struct tv *list = tv_list(a);
	struct db_stmt *st = db_stmt(db, STMT_USER_LIST);
	while (db_step(st) == DB_ROW) {
		struct tv *o = tv_obj(a);
		int64_t id = db_int(st, 0);
		tv_set_int(o, "id", id);
		tv_set_str(o, "email", col(a, st, 1));
		tv_set_str(o, "name", col(a, st, 2));
		tv_set_str(o, "name_kana", col(a, st, 3));
		tv_set_str(o, "roles", user_roles_label(a, (unsigned)db_int(st, 4)));
		tv_set_bool(o, "disabled", db_int(st, 5) != 0);
		tv_set_bool(o, "is_self", id == r->user->id);
		tv_push(list, o);
	}
	tv_set(ctx, "users", list);
	tv_set_int(ctx, "count", (int64_t)tv_len(list));
	page_render(r, 200, "admin/users", ctx);
}

enum { NF_EMAIL, NF_NAME, NF_NAME_KANA, NF_ROLES, NF_PASSWORD, NF__MAX };
static const struct field_spec new_user_fields[NF__MAX] = {
    [NF_EMAIL] = {"email", "メールアドレス", F_EMAIL, true, 254, 0, 0, NULL},
    [NF_NAME] = {"name", "氏名", F_LINE, true, 50, 0, 0, NULL},
    [NF_NAME_KANA] = {"name_kana", "フリガナ", F_KANA, false, 50, 0, 0, NULL},
    [NF_ROLES] = {"roles", "役割", F_MULTI, false, 20, 0, 0, NULL},
    [NF_PASSWORD] = {"password", "初期パスワード", F_PASSWORD, true, 128, 0, 0, NULL},
};

enum { EF_NAME, EF_NAME_KANA, EF_ROLES, EF_DISABLED, EF_GROUPS, EF_DIVISION, EF__MAX };
static const struct field_spec edit_user_fields[EF__MAX] = {
    [EF_NAME] = {"name", "氏名", F_LINE, true, 50, 0, 0, NULL},
    [EF_NAME_KANA] = {"name_kana", "フリガナ", F_KANA, false, 50, 0, 0, NULL},
    [EF_ROLES] = {"roles", "役割", F_MULTI, false, 20, 0, 0, NULL},
    [EF_DISABLED] = {"disabled", "この利用者を無効にする（ログインできなくなります）", F_BOOL,
		     false, 5, 0, 0, NULL},
    [EF_GROUPS] = {"groups", "所属団体の番号", F_MULTI, false, 2000, 0, 0, NULL},
    [EF_DIVISION] = {"division_id", "所属する担当課", F_ID, false, 20, 0, 0, NULL},
};

/* The division a user belongs to (users.division_id), or 0. */
static int64_t user_division(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_stmt(db, STMT_USER_DIVISION_GET);
	db_bind_int(st, 1, user_id);
	int64_t id = 0;
	if (db_step(st) == DB_ROW) {
		id = db_isnull(st, 0) ? 0 : db_int(st, 0);
		db_reset(st);
	}
	return id;
}

/* The name of division id for audit summaries ("なし" for 0). */
static const char *division_label(struct db *db, struct arena *a, int64_t id)
{
	struct division d;
	if (id && division_get(db, a, id, &d) == CALL_OK)
		return d.name;
	return "なし";
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
			form_error(f, i, "役割は選択肢から選んでください");
	return roles_of(v);
}

/* The roles as checkboxes: value = key (what read_roles expects back),
 * label in Japanese. */
static void role_checkboxes(struct req *r, struct tv *fields, unsigned checked)
{
	struct tv *field = tv_get(fields, "roles");
	struct tv *list = tv_list(&r->arena);
	for (int i = 0; i < role_count; i++) {
		struct tv *o = tv_obj(&r->arena);
		tv_set_str(o, "value", role_table[i].key);
		tv_set_str(o, "label", role_table[i].label);
		tv_set_bool(o, "checked", checked & role_table[i].role);
		tv_push(list, o);
	}
	tv_set(field, "checkboxes", list);
	tv_set_bool(field, "checkbox_list", true);
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
		const char *p = v->list[k];
		while (*p) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			size_t tn;
			const char *t = text_trim(p, len, &tn);
			p += len + (e ? 1 : 0);
			if (!tn)
				continue;
			const char *key = text_search_key(a, t, tn);
			int64_t id;
			if (str_to_i64(str_c(key), 1, INT64_MAX, &id) != 0) {
				form_error(
				    f, i,
				    arena_printf(a,
						 "「%s」は団体の番号ではありません。"
						 "番号（数字）を1行に1つずつ入力してください",
						 arena_strndup(a, t, tn)));
				return 0;
			}
			bool seen = false;
			for (size_t j = 0; j < n; j++)
				seen |= (*ids)[j] == id;
			if (seen)
				continue;
			const char *name = membership_group_name(db, a, id);
			if (!name) {
				form_error(f, i,
					   arena_printf(a, "番号%lldの団体は見つかりません",
							(long long)id));
				return 0;
			}
			if (n == MAX_USER_GROUPS) {
				form_error(f, i,
					   arena_printf(a, "所属団体は%d件までにしてください",
							MAX_USER_GROUPS));
				return 0;
			}
			(*names)[n] = name;
			(*ids)[n++] = id;
		}
	}
	return n;
}

/* Draw the new-user form (u == NULL) or the edit form for u, with f's
 * values and errors when re-displaying a rejected submission. */
static void user_form_page(struct req *r, int status, const struct user *u, const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, u ? "利用者の編集" : "利用者の登録", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	struct tv *fields;
	unsigned checked = 0;
	if (!u) {
		tv_set_str(ctx, "action", "/admin/users");
		fields = page_form(r, ctx, new_user_fields, NF__MAX, f, NULL);
		page_field_set(fields, "email", "autocomplete", tv_str(a, "off"));
		page_field_set(fields, "password", "autocomplete", tv_str(a, "new-password"));
		page_field_set(fields, "password", "hint",
			       tv_str(a, "10文字以上。ご本人に伝え、最初のログインの後に"
					 "「パスワード変更」から変えてもらってください。"));
		if (f)
			checked = roles_of(&f->v[NF_ROLES]);
	} else {
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
		    [EF_GROUPS] = buf_take(a, &b),
		    [EF_DIVISION] = division ? arena_printf(a, "%lld", (long long)division) : NULL,
		};
		fields = page_form(r, ctx, edit_user_fields, EF__MAX, f, defaults);
		bool disabled = u->disabled;
		checked = u->roles;
		if (f) {
			checked = roles_of(&f->v[EF_ROLES]);
			disabled = f->v[EF_DISABLED].i != 0;
		}
		page_field_set(fields, "disabled", "value", tv_str(a, "1"));
		page_field_set(fields, "disabled", "checkbox", tv_bool(a, true));
		page_field_set(fields, "disabled", "checked", tv_bool(a, disabled));
		page_field_set(
		    fields, "disabled", "hint",
		    tv_str(a, "無効にすると、ログイン中の画面からも直ちにログアウトされます。"));
		page_field_set(fields, "groups", "textarea", tv_bool(a, true));
		web_division_select(r, fields, "division_id",
				    f ? form_s(f, EF_DIVISION) : defaults[EF_DIVISION]);
		page_field_set(
		    fields, "division_id", "hint",
		    tv_str(a, "担当課の役割を持つ利用者は、所属する担当課を1つ選びます。"));
		page_field_set(fields, "groups", "hint",
			       tv_str(a, "団体の番号を1行に1つずつ入力してください。番号は団体の"
					 "ページのアドレス（/groups/番号）で確かめられます。"
					 "団体メンバーの役割を持つ利用者は、ここに入力した団体の"
					 "情報を編集できます。"));
	}
	page_field_set(fields, "name_kana", "hint",
		       tv_str(a, "ひらがなで入力しても、カタカナで登録されます。"));
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
		web_error(r, 400, bad_fields);
		return;
	}
	unsigned roles = read_roles(&f, NF_ROLES);
	const char *email = form_s(&f, NF_EMAIL);
	const char *dup = "このメールアドレスは既に登録されています";
	struct user existing;
	/* Checked before hashing the password, so the message comes with the
	 * others; the insert below still catches a race. */
	if (!f.v[NF_EMAIL].error && user_by_email(db, a, email, &existing) == USER_OK)
		form_error(&f, NF_EMAIL, dup);
	if (f.nerrors) {
		user_form_page(r, 422, NULL, &f);
		return;
	}
	const char *name = form_s(&f, NF_NAME);
	int64_t id = 0;
	if (db_begin(db) != DB_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	enum user_rc rc = user_create(db, email, name, form_s(&f, NF_NAME_KANA), roles,
				      form_s(&f, NF_PASSWORD), &id);
	if (rc == USER_DUPLICATE) {
		db_rollback(db);
		form_error(&f, NF_EMAIL, dup);
		user_form_page(r, 422, NULL, &f);
		return;
	}
	/* The password never goes into the log. */
	const char *summary = arena_printf(a, "「%s」（%s）を登録　役割：%s", name, email,
					   user_roles_label(a, roles));
	if (rc != USER_OK || audit(db, r->user->id, "create", "user", id, summary) != DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "created");
	resp_redirect(r, "/admin/users");
}

/* The user named in the route, or a 404. */
static bool load_user(struct req *r, struct db *db, struct user *u)
{
	int64_t id = req_param_id(r, 0);
	if (id < 0 || user_get(db, &r->arena, id, u) != USER_OK) {
		web_error(r, 404, "お探しの利用者は見つかりませんでした。");
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

/* The groups added and removed, for the audit summary. */
static void membership_changes(struct buf *b, const struct membership *old, size_t nold,
			       const int64_t *ids, const char *const *names, size_t n)
{
	struct buf added = BUF_INIT, removed = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		bool had = false;
		for (size_t k = 0; k < nold; k++)
			had |= old[k].group_id == ids[i];
		if (!had)
			buf_printf(&added, "%s%s（%lld）", added.n ? "、" : "", names[i],
				   (long long)ids[i]);
	}
	for (size_t k = 0; k < nold; k++) {
		bool keep = false;
		for (size_t i = 0; i < n; i++)
			keep |= old[k].group_id == ids[i];
		if (!keep)
			buf_printf(&removed, "%s%s（%lld）", removed.n ? "、" : "", old[k].name,
				   (long long)old[k].group_id);
	}
	if (added.n)
		change(b, "所属団体に追加：%s%s", added.p, "");
	if (removed.n)
		change(b, "所属団体から削除：%s%s", removed.p, "");
	buf_release(&added);
	buf_release(&removed);
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
		web_error(r, 400, bad_fields);
		return;
	}
	unsigned roles = read_roles(&f, EF_ROLES);
	bool disabled = f.v[EF_DISABLED].i != 0;
	/* An admin cannot lock themselves out; another admin has to do it,
	 * which also means the last admin always stays. */
	if (old.id == r->user->id) {
		if (!(roles & ROLE_ADMIN) && !f.v[EF_ROLES].error)
			form_error(
			    &f, EF_ROLES,
			    "自分自身の管理者の役割は外せません。ほかの管理者に依頼してください");
		if (disabled && !f.v[EF_DISABLED].error)
			form_error(&f, EF_DISABLED, "自分自身を無効にすることはできません");
	}
	int64_t *ids = NULL;
	const char **names = NULL;
	size_t nids = 0;
	if (!f.v[EF_GROUPS].error)
		nids = read_group_ids(r, db, &f, EF_GROUPS, &ids, &names);
	/* Division staff belong to one division (domain/call.h). */
	int64_t division = f.v[EF_DIVISION].present ? f.v[EF_DIVISION].i : 0;
	struct division dv;
	if (division && !f.v[EF_DIVISION].error && division_get(db, a, division, &dv) != CALL_OK)
		form_error(&f, EF_DIVISION, "所属する担当課は選択肢から選んでください");
	else if (!division && (roles & ROLE_DIVISION) && !f.v[EF_DIVISION].error)
		form_error(&f, EF_DIVISION, "担当課の役割には、所属する担当課を選んでください");
	if (f.nerrors) {
		user_form_page(r, 422, &old, &f);
		return;
	}
	int64_t old_division = user_division(db, old.id);
	struct user u = old;
	u.name = form_s(&f, EF_NAME);
	u.name_kana = form_s(&f, EF_NAME_KANA);
	u.roles = roles;
	u.disabled = disabled;

	struct membership *m;
	size_t nm = membership_list(db, a, old.id, &m);
	struct buf b = BUF_INIT;
	if (strcmp(u.name, old.name) != 0)
		change(&b, "氏名：「%s」→「%s」", old.name, u.name);
	if (strcmp(u.name_kana, old.name_kana) != 0)
		change(&b, "フリガナ：「%s」→「%s」", old.name_kana, u.name_kana);
	if (u.roles != old.roles)
		change(&b, "役割：%s → %s", user_roles_label(a, old.roles),
		       user_roles_label(a, u.roles));
	if (u.disabled != old.disabled)
		change(&b, "%s%s", u.disabled ? "無効にした" : "有効に戻した", "");
	membership_changes(&b, m, nm, ids, names, nids);
	if (division != old_division)
		change(&b, "所属する担当課：%s → %s", division_label(db, a, old_division),
		       division_label(db, a, division));
	const char *summary = buf_take(a, &b);

	if (db_begin(db) != DB_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	bool ok =
	    user_update(db, &u) == USER_OK && membership_replace(db, a, u.id, ids, nids) == DB_OK;
	if (ok && division != old_division) {
		struct db_stmt *st = db_stmt(db, STMT_USER_DIVISION_SET);
		db_bind_int(st, 1, u.id);
		if (division)
			db_bind_int(st, 2, division);
		else
			db_bind_null(st, 2);
		ok = db_exec(st) == DB_OK;
	}
	if (ok && u.disabled) {
		/* Disabled accounts are refused at lookup too; deleting the
		 * sessions makes the logout immediate and final. */
		struct db_stmt *st = db_stmt(db, STMT_SESSION_DELETE_USER);
		db_bind_int(st, 1, u.id);
		db_bind_int(st, 2, 0);
		ok = db_exec(st) == DB_OK;
	}
	if (ok && *summary)
		ok = audit(db, r->user->id, "update", "user", u.id, summary) == DB_OK;
	if (!ok || db_commit(db) != DB_OK) {
		db_rollback(db);
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, "/admin/users");
}

/* ---- Audit log -------------------------------------------------------- */

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
static const char *const audit_entity_labels[] = {"団体",	    "利用者",
						  "ログイン",	    "活動テーマ",
						  "設定",	    "事業",
						  "募集",	    "部門",
						  "日程",	    "募集の資料",
						  "担当課",	    "事前相談の枠",
						  "事前相談の予約", "担当課との事前相談",
						  "企画提案"};
_Static_assert(sizeof(audit_entities) / sizeof(audit_entities[0]) ==
		   sizeof(audit_entity_labels) / sizeof(audit_entity_labels[0]) + 1,
	       "every audit entity needs a label");

enum { AQ_ENTITY, AQ_ACTION, AQ_USER, AQ_PAGE, AQ__MAX };
static const struct field_spec audit_fields[AQ__MAX] = {
    [AQ_ENTITY] = {"entity", "対象の種類", F_CHOICE, false, 20, 0, 0, audit_entities},
    [AQ_ACTION] = {"action", "操作", F_LINE, false, 30, 0, 0, NULL},
    [AQ_USER] = {"user", "利用者の番号", F_ID, false, 20, 0, 0, NULL},
    [AQ_PAGE] = {"page", "ページ", F_INT, false, 6, 1, 100000, NULL},
};

static const struct {
	const char *key, *label;
} audit_actions[] = {
    {"create", "登録"},
    {"update", "更新"},
    {"archive", "アーカイブ"},
    {"unarchive", "アーカイブ解除"},
    {"login", "ログイン"},
    {"logout", "ログアウト"},
    {"password", "パスワード変更"},
    {"view_personal", "非公開情報の閲覧"},
    {"cancel", "取消"},
    {"done", "実施済み"},
    {"submit", "提出"},
    {"withdraw", "取り下げ"},
    {"reopen", "差し戻し"},
    {"partner_confirm", "連携団体の確認"},
    {"setup", "初期設定"},
    {"delete", "削除"},
    {"window", "審査期間の変更"},
    {"assign", "審査員の割り当て"},
    {"conflict", "利益相反の申告"},
    {"criterion_create", "評価項目の追加"},
    {"criterion_update", "評価項目の変更"},
    {"criterion_delete", "評価項目の削除"},
    {"score_draft", "採点（下書き）"},
    {"score_submit", "採点（提出）"},
    {"score_correct", "採点の訂正"},
    {"close", "審査の締切"},
    {"decide", "判定"},
    {"presentation", "プレゼン日程"},
    {"presentation_delete", "プレゼン日程の削除"},
    {"release", "結果の公表"},
    {"publish", "公開"},
    {"unpublish", "非公開"},
    {"export_scores", "採点票の出力"},
};

static const char *entity_label(const char *key)
{
	for (size_t i = 0; audit_entities[i]; i++)
		if (strcmp(audit_entities[i], key) == 0)
			return audit_entity_labels[i];
	return key;
}

static const char *action_label(const char *key)
{
	for (size_t i = 0; i < sizeof(audit_actions) / sizeof(audit_actions[0]); i++)
		if (strcmp(audit_actions[i].key, key) == 0)
			return audit_actions[i].label;
	return key;
}

/* "/admin/audit?entity=..&action=..&user=..&page=N" keeping the filters. */
static const char *audit_url(struct req *r, const struct form *f, int64_t page)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "/admin/audit");
	char sep = '?';
	for (int i = AQ_ENTITY; i <= AQ_USER; i++) {
		if (!f->v[i].present)
			continue;
		buf_printf(&b, "%c%s=", sep, audit_fields[i].name);
		buf_add_urlenc(&b, f->v[i].s, f->v[i].n);
		sep = '&';
	}
	if (page > 1)
		buf_printf(&b, "%cpage=%lld", sep, (long long)page);
	return buf_take(&r->arena, &b);
}

static void pagination_item(struct req *r, struct tv *items, const struct form *f, int64_t i,
			    int64_t page)
{
	struct tv *it = tv_obj(&r->arena);
	tv_set_int(it, "number", i);
	tv_set_str(it, "url", audit_url(r, f, i));
	tv_set_bool(it, "current", i == page);
	tv_push(items, it);
}

/* The pages around the current one, plus the first and the last. */
static struct tv *audit_pagination(struct req *r, const struct form *f, int64_t page, int64_t total)
{
	struct arena *a = &r->arena;
	int64_t pages = (total + AUDIT_PER_PAGE - 1) / AUDIT_PER_PAGE;
	if (pages <= 1)
		return NULL;
	struct tv *p = tv_obj(a);
	tv_set_int(p, "current", page);
	tv_set_int(p, "total_pages", pages);
	if (page > 1)
		tv_set_str(p, "prev_url", audit_url(r, f, page - 1));
	if (page < pages)
		tv_set_str(p, "next_url", audit_url(r, f, page + 1));
	struct tv *items = tv_list(a);
	int64_t from = page - 2 < 1 ? 1 : page - 2, to = page + 2 > pages ? pages : page + 2;
	struct tv *gap = tv_obj(a);
	tv_set_bool(gap, "current", false);
	if (from > 1)
		pagination_item(r, items, f, 1, page);
	if (from > 2)
		tv_push(items, gap);
	for (int64_t i = from; i <= to; i++)
		pagination_item(r, items, f, i, page);
	if (to < pages - 1)
		tv_push(items, gap);
	if (to < pages)
		pagination_item(r, items, f, pages, page);
	tv_set(p, "items", items);
	return p;
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

void h_admin_audit(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, audit_fields, AQ__MAX, r->args, r->nargs, &f);
	if (f.unknown || f.repeated || f.nerrors) {
		web_error(r, 400, "絞り込みの条件が正しくありません。");
		return;
	}
	int64_t page = f.v[AQ_PAGE].present ? f.v[AQ_PAGE].i : 1;
	int64_t total = 0;
	struct db_stmt *st = db_stmt(db, STMT_AUDIT_COUNT);
	bind_audit_filters(st, &f);
	if (db_step(st) != DB_ROW) {
		web_error(r, 503,
			  "監査ログを読み込めませんでした。しばらくしてからお試しください。");
		return;
	}
	total = db_int(st, 0);
	db_reset(st);
	if (page > 1 && (page - 1) * AUDIT_PER_PAGE >= total) {
		web_error(r, 404, "このページには記録がありません。");
		return;
	}

	struct tv *ctx = page_ctx(r, "監査ログ", NAV_NONE);
	struct tv *rows = tv_list(a);
	st = db_stmt(db, STMT_AUDIT_LIST);
	bind_audit_filters(st, &f);
	db_bind_int(st, 4, AUDIT_PER_PAGE);
	db_bind_int(st, 5, (page - 1) * AUDIT_PER_PAGE);
	while (db_step(st) == DB_ROW) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "at", page_datetime(a, db_int(st, 1)));
		if (!db_isnull(st, 2)) {
			int64_t uid = db_int(st, 2);
			const char *name = col(a, st, 3);
			tv_set_int(o, "user_id", uid);
			tv_set_str(o, "user_name",
				   *name ? name : arena_printf(a, "利用者%lld", (long long)uid));
		}
		const char *action = col(a, st, 4);
		const char *entity = col(a, st, 5);
		tv_set_str(o, "action", action_label(action));
		tv_set_str(o, "entity", entity_label(entity));
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
			tv_set_str(o, "id_label",
				   strcmp(entity, "session") == 0 ? "利用者番号" : "番号");
		}
		tv_set_str(o, "summary", col(a, st, 7));
		tv_push(rows, o);
	}
	tv_set(ctx, "entries", rows);
	tv_set_bool(ctx, "has_entries", tv_len(rows) > 0);
	tv_set_int(ctx, "total", total);
	bool filtering = f.v[AQ_ENTITY].present || f.v[AQ_ACTION].present || f.v[AQ_USER].present;
	tv_set_bool(ctx, "filtering", filtering);
	if (f.v[AQ_USER].present) {
		struct user u;
		if (user_get(db, a, f.v[AQ_USER].i, &u) == USER_OK)
			tv_set_str(ctx, "filter_user", u.name);
	}

	/* The filter form shows the current filters; page is not one of its
	 * fields (a new search starts at the first page). */
	struct tv *fields = page_form(r, ctx, audit_fields, AQ__MAX, &f, NULL);
	struct tv *opts = tv_list(a);
	struct tv *any = tv_obj(a);
	tv_set_str(any, "value", "");
	tv_set_str(any, "label", "すべて");
	tv_set_bool(any, "selected", !f.v[AQ_ENTITY].present);
	tv_push(opts, any);
	for (size_t i = 0; audit_entities[i]; i++) {
		struct tv *o = tv_obj(a);
		tv_set_str(o, "value", audit_entities[i]);
		tv_set_str(o, "label", audit_entity_labels[i]);
		tv_set_bool(o, "selected", strcmp(form_s(&f, AQ_ENTITY), audit_entities[i]) == 0);
		tv_push(opts, o);
	}
	page_field_set(fields, "entity", "options", opts);
	page_field_set(fields, "entity", "select", tv_bool(a, true));
	page_field_set(fields, "action", "hint",
		       tv_str(a, "英字で入力します。例：create（登録）、update（更新）、"
				 "archive（アーカイブ）、login（ログイン）、"
				 "view_personal（非公開情報の閲覧）"));
	page_field_set(fields, "user", "hint",
		       tv_str(a, "利用者の管理画面のアドレス（/admin/users/番号）の番号です。"));
	struct tv *p = audit_pagination(r, &f, page, total);
	if (p)
		tv_set(ctx, "pages", p);
	page_render(r, 200, "admin/audit", ctx);
}

/* ---- Themes ----------------------------------------------------------- */

enum { TF_NAME, TF_POSITION, TF_ARCHIVED, TF__MAX };
/* Creating a theme takes the first TF_ARCHIVED fields; an update all. */
static const struct field_spec theme_fields[TF__MAX] = {
    [TF_NAME] = {"name", "テーマ名", F_LINE, true, 30, 0, 0, NULL},
    [TF_POSITION] = {"position", "表示順", F_INT, false, 6, 0, 10000, NULL},
    [TF_ARCHIVED] = {"archived", "アーカイブする（団体の登録や検索で選べなくなります）", F_BOOL,
		     false, 5, 0, 0, NULL},
};

enum { TQ_EDIT, TQ__MAX };
static const struct field_spec theme_query[TQ__MAX] = {
    [TQ_EDIT] = {"edit", "編集するテーマ", F_ID, false, 20, 0, 0, NULL},
};

struct theme {
	int64_t id;
	const char *name;
	int64_t position;
	bool archived;
};

static bool theme_get(struct db *db, struct arena *a, int64_t id, struct theme *t)
{
	struct db_stmt *st = db_stmt(db, STMT_THEME_BY_ID);
	db_bind_int(st, 1, id);
	if (db_step(st) != DB_ROW)
		return false;
	t->id = db_int(st, 0);
	t->name = col(a, st, 1);
	t->position = db_int(st, 2);
	t->archived = db_int(st, 3) != 0;
	db_reset(st);
	return true;
}

/* The list of every theme, and below it either the form to add one or,
 * with edit set, the form to change that theme. */
static void themes_page(struct req *r, int status, const struct theme *edit, const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "活動テーマ", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	struct tv *list = tv_list(a);
	struct db_stmt *st = db ? db_stmt(db, STMT_THEME_LIST_ALL) : NULL;
	while (st && db_step(st) == DB_ROW) {
		struct tv *o = tv_obj(a);
		int64_t id = db_int(st, 0);
		tv_set_int(o, "id", id);
		tv_set_str(o, "name", col(a, st, 1));
		tv_set_int(o, "position", db_int(st, 2));
		tv_set_bool(o, "archived", db_int(st, 3) != 0);
		tv_set_bool(o, "editing", edit && edit->id == id);
		tv_push(list, o);
	}
	tv_set(ctx, "themes", list);
	struct tv *fields;
	if (edit) {
		struct tv *e = tv_obj(a);
		tv_set_int(e, "id", edit->id);
		tv_set_str(e, "name", edit->name);
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
		page_field_set(fields, "position", "hint",
			       tv_str(a, "小さい数ほど先に表示されます（0〜10000）。"));
	} else {
		tv_set_str(ctx, "action", "/admin/themes");
		fields = page_form(r, ctx, theme_fields, TF_ARCHIVED, f, NULL);
		page_field_set(fields, "position", "hint",
			       tv_str(a, "小さい数ほど先に表示されます（0〜10000）。"
					 "空欄なら最後に加わります。"));
	}
	page_render(r, status, "admin/themes", ctx);
}

void h_admin_themes(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct form q;
	form_check(&r->arena, theme_query, TQ__MAX, r->args, r->nargs, &q);
	if (q.unknown || q.repeated || q.nerrors) {
		web_error(r, 400, "リクエストの項目が正しくありません。");
		return;
	}
	struct theme t;
	if (q.v[TQ_EDIT].present) {
		if (!theme_get(db, &r->arena, q.v[TQ_EDIT].i, &t)) {
			web_error(r, 404, "お探しの活動テーマは見つかりませんでした。");
			return;
		}
		themes_page(r, 200, &t, NULL);
		return;
	}
	themes_page(r, 200, NULL, NULL);
}

static const char *const theme_dup = "同じ名前の活動テーマが既にあります";

void h_admin_theme_create(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct form f;
	form_check(a, theme_fields, TF_ARCHIVED, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, bad_fields);
		return;
	}
	if (f.nerrors) {
		themes_page(r, 422, NULL, &f);
		return;
	}
	if (db_begin(db) != DB_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	int64_t position = f.v[TF_POSITION].i;
	if (!f.v[TF_POSITION].present) {
		/* After the last one, leaving room to slot others between. */
		position = 0;
		struct db_stmt *st = db_stmt(db, STMT_THEME_LIST_ALL);
		while (db_step(st) == DB_ROW)
			if (db_int(st, 2) + 10 > position)
				position = db_int(st, 2) + 10;
		if (position > 10000)
			position = 10000;
	}
	const char *name = form_s(&f, TF_NAME);
	struct db_stmt *st = db_stmt(db, STMT_THEME_INSERT);
	db_bind_str(st, 1, name);
	db_bind_int(st, 2, position);
	int rc = db_exec(st);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		form_error(&f, TF_NAME, theme_dup);
		themes_page(r, 422, NULL, &f);
		return;
	}
	int64_t id = db_last_id(db);
	if (rc != DB_OK ||
	    audit(db, r->user->id, "create", "theme", id,
		  arena_printf(a, "「%s」を追加　表示順：%lld", name, (long long)position)) !=
		DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "created");
	resp_redirect(r, "/admin/themes");
}

void h_admin_theme_update(struct req *r)
{
	struct db *db = page_db(r);
	if (!db)
		return;
	struct arena *a = &r->arena;
	struct theme old;
	int64_t id = req_param_id(r, 0);
	if (id < 0 || !theme_get(db, a, id, &old)) {
		web_error(r, 404, "お探しの活動テーマは見つかりませんでした。");
		return;
	}
	struct form f;
	form_check(a, theme_fields, TF__MAX, r->form, r->nform, &f);
	if (f.unknown || f.repeated) {
		web_error(r, 400, bad_fields);
		return;
	}
	if (f.nerrors) {
		themes_page(r, 422, &old, &f);
		return;
	}
	struct theme t = old;
	t.name = form_s(&f, TF_NAME);
	/* A cleared position keeps the current one. */
	if (f.v[TF_POSITION].present)
		t.position = f.v[TF_POSITION].i;
	t.archived = f.v[TF_ARCHIVED].i != 0;

	struct buf b = BUF_INIT;
	if (strcmp(t.name, old.name) != 0)
		change(&b, "名前：「%s」→「%s」", old.name, t.name);
	if (t.position != old.position)
		change(&b, "表示順：%s → %s", arena_printf(a, "%lld", (long long)old.position),
		       arena_printf(a, "%lld", (long long)t.position));
	if (t.archived != old.archived)
		change(&b, "%s%s", t.archived ? "アーカイブした" : "アーカイブを解除した", "");
	const char *summary = buf_take(a, &b);
	if (*summary) {
		if (db_begin(db) != DB_OK) {
			web_error(r, 503, save_failed);
			return;
		}
		struct db_stmt *st = db_stmt(db, STMT_THEME_UPDATE);
		db_bind_int(st, 1, t.id);
		db_bind_str(st, 2, t.name);
		db_bind_int(st, 3, t.position);
		db_bind_int(st, 4, t.archived);
		int rc = db_exec(st);
		if (rc == DB_CONSTRAINT) {
			db_rollback(db);
			form_error(&f, TF_NAME, theme_dup);
			themes_page(r, 422, &old, &f);
			return;
		}
		if (rc != DB_OK ||
		    audit(db, r->user->id, "update", "theme", t.id, summary) != DB_OK ||
		    db_commit(db) != DB_OK) {
			db_rollback(db);
			web_error(r, 503, save_failed);
			return;
		}
	}
	if (t.archived != old.archived)
		page_flash(r, t.archived ? "archived" : "restored");
	else
		page_flash(r, "saved");
	resp_redirect(r, "/admin/themes");
}

/* ---- Settings --------------------------------------------------------- */

/* One F_LINE field per setting; built at run time from settings_table.
 * The site name and the office name appear on every page, so they must
 * not be empty. */
static struct field_spec *settings_fields(struct arena *a)
{
	struct field_spec *spec = arena_alloc(a, (size_t)settings_count * sizeof(*spec));
	for (int i = 0; i < settings_count; i++) {
		const char *key = settings_table[i].key;
		spec[i] = (struct field_spec){
		    key,    settings_table[i].label,
		    F_LINE, strcmp(key, "site_name") == 0 || strcmp(key, "office_name") == 0,
		    200,    0,
		    0,	    NULL,
		};
	}
	return spec;
}

static void settings_page(struct req *r, int status, const struct field_spec *spec,
			  const struct form *f)
{
	struct db *db = db_thread();
	struct arena *a = &r->arena;
	struct tv *ctx = page_ctx(r, "設定", NAV_NONE);
	tv_set_str(ctx, "csrf", req_csrf(r));
	const char **defaults = arena_alloc(a, (size_t)settings_count * sizeof(*defaults));
	for (int i = 0; db && i < settings_count; i++)
		defaults[i] = setting_get(db, a, settings_table[i].key);
	struct tv *fields = page_form(r, ctx, spec, (size_t)settings_count, f, defaults);
	page_field_set(fields, "site_name", "hint",
		       tv_str(a, "ページの上部と、ブラウザのタブに表示されます。"));
	page_field_set(fields, "office_org", "hint",
		       tv_str(a, "サイト名の上と、お問い合わせ先に表示されます。"));
	page_field_set(fields, "office_phone", "hint", tv_str(a, "例：076-220-2026"));
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
		web_error(r, 400, bad_fields);
		return;
	}
	if (f.nerrors) {
		settings_page(r, 422, spec, &f);
		return;
	}
	if (db_begin(db) != DB_OK) {
		web_error(r, 503, save_failed);
		return;
	}
	struct buf b = BUF_INIT;
	bool ok = true;
	for (int i = 0; ok && i < settings_count; i++) {
		const char *key = settings_table[i].key;
		/* Only keys the form sent: a setting missing from the form is
		 * left alone rather than emptied. */
		if (!req_form(r, key))
			continue;
		const char *value = form_s(&f, (size_t)i);
		if (strcmp(setting_get(db, a, key), value) == 0)
			continue;
		ok = setting_set(db, key, value) == DB_OK;
		buf_printf(&b, "%s%s（%s）", b.n ? "、" : "変更した項目：", settings_table[i].label,
			   key);
	}
	const char *summary = buf_take(a, &b);
	if (ok && *summary)
		ok = audit(db, r->user->id, "update", "settings", 0, summary) == DB_OK;
	if (!ok || db_commit(db) != DB_OK) {
		db_rollback(db);
		web_error(r, 503, save_failed);
		return;
	}
	page_flash(r, "saved");
	resp_redirect(r, "/admin/settings");
}
