#include "groups/group.h"
#include "core/audit.h"
#include "util/jp.h"
#include "util/str.h"
#include "util/text.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const group_kinds[] = {"NPO法人", "一般社団法人", "任意団体", "町会・地域団体",
				   "商店街",  "学生団体",     "その他",	  NULL};

const char *const prefectures[] = {
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県",	  "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",	  "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県",	  "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県", NULL};

const struct field_spec group_fields[GF__MAX] = {
    [GF_NAME] = {"name", "団体名", F_LINE, true, 100, 0, 0, NULL},
    [GF_NAME_KANA] = {"name_kana", "団体名（フリガナ）", F_KANA, true, 200, 0, 0, NULL},
    [GF_KIND] = {"kind", "団体の種類", F_CHOICE, true, 20, 0, 0, group_kinds},
    [GF_FOUNDED] = {"founded", "設立年月", F_MONTH, false, 7, 0, 0, NULL},
    [GF_MEMBERS] = {"members", "会員数", F_INT, false, 7, 0, 1000000, NULL},
    [GF_THEMES] = {"themes", "活動テーマ", F_MULTI, false, 50, 0, 0, NULL},
    [GF_PURPOSE] = {"purpose", "活動の目的", F_TEXT, true, 4000, 0, 0, NULL},
    [GF_AWARDS] = {"awards", "受賞歴", F_MULTI, false, 2000, 0, 0, NULL},
    [GF_WEBSITE] = {"website", "ウェブサイト", F_URL, false, 500, 0, 0, NULL},
    [GF_SNS] = {"sns", "SNS", F_MULTI, false, 2000, 0, 0, NULL},
    [GF_PUBLIC_CONTACT] = {"public_contact", "公開する連絡先", F_TEXT, false, 500, 0, 0, NULL},
    [GF_PRIVATE_CONTACT] = {"private_contact", "事務局用の連絡先（非公開）", F_TEXT, false, 500, 0,
			    0, NULL},
    [GF_REP_TITLE] = {"rep_title", "代表者の役職", F_LINE, false, 50, 0, 0, NULL},
    [GF_REP_NAME] = {"rep_name", "代表者氏名", F_LINE, false, 50, 0, 0, NULL},
    [GF_REP_KANA] = {"rep_kana", "代表者氏名（フリガナ）", F_KANA, false, 100, 0, 0, NULL},
    [GF_PREF] = {"pref", "都道府県", F_CHOICE, false, 10, 0, 0, prefectures},
    [GF_CITY] = {"city", "市区町村", F_LINE, false, 50, 0, 0, NULL},
    [GF_TOWN] = {"town", "町字", F_LINE, false, 100, 0, 0, NULL},
    [GF_STREET] = {"street", "番地以下", F_LINE, false, 100, 0, 0, NULL},
    [GF_BUILDING] = {"building", "建物名・部屋番号", F_LINE, false, 100, 0, 0, NULL},
};

const struct field_spec group_query_fields[GQ__MAX] = {
    [GQ_Q] = {"q", "団体名・キーワード", F_LINE, false, 100, 0, 0, NULL},
    [GQ_THEME] = {"theme", "活動テーマ", F_ID, false, 20, 0, 0, NULL},
    [GQ_KIND] = {"kind", "団体の種類", F_CHOICE, false, 20, 0, 0, group_kinds},
    [GQ_PAGE] = {"page", "ページ", F_INT, false, 6, 1, 100000, NULL},
};

void group_query_from_form(const struct form *f, int64_t per_page, struct group_query *q)
{
	q->q = form_s(f, GQ_Q);
	q->kind = f->v[GQ_KIND].present ? form_s(f, GQ_KIND) : NULL;
	q->theme_id = f->v[GQ_THEME].present ? f->v[GQ_THEME].i : 0;
	q->page = f->v[GQ_PAGE].present ? f->v[GQ_PAGE].i : 1;
	q->per_page = per_page;
}

static const char *dup(struct arena *a, struct db_stmt *st, int col)
{
	const char *s = db_text(st, col);
	return arena_strdup(a, s ? s : "");
}

static enum group_rc group_read(struct db *db, struct arena *a, int64_t id, struct group *g);

enum group_rc group_get(struct db *db, struct arena *a, int64_t id, struct group *g)
{
	db_read_begin(db);
	enum group_rc rc = group_read(db, a, id, g);
	db_read_end(db);
	return rc;
}

/* The group row, its themes and awards (inside one read transaction). */
static enum group_rc group_read(struct db *db, struct arena *a, int64_t id, struct group *g)
{
	struct db_stmt *st = db_stmt(db, STMT_GROUP_GET);
	db_bind_int(st, 1, id);
	if (db_step(st) != DB_ROW)
		return GROUP_NOT_FOUND;
	memset(g, 0, sizeof(*g));
	g->id = db_int(st, 0);
	g->name = dup(a, st, 1);
	g->name_kana = dup(a, st, 2);
	g->kind = dup(a, st, 3);
	g->founded_year = db_int(st, 4);
	g->founded_month = db_int(st, 5);
	g->members = db_isnull(st, 6) ? -1 : db_int(st, 6);
	g->purpose = dup(a, st, 7);
	g->public_contact = dup(a, st, 8);
	g->private_contact = dup(a, st, 9);
	g->rep_title = dup(a, st, 10);
	g->rep_name = dup(a, st, 11);
	g->rep_kana = dup(a, st, 12);
	g->pref = dup(a, st, 13);
	g->city = dup(a, st, 14);
	g->town = dup(a, st, 15);
	g->street = dup(a, st, 16);
	g->building = dup(a, st, 17);
	g->website = dup(a, st, 18);
	const char *sns = dup(a, st, 19);
	g->archived = db_int(st, 20) != 0;
	g->created_at = db_int(st, 21);
	g->updated_at = db_int(st, 22);
	db_reset(st);

	/* SNS links are stored one per line. */
	size_t cap = 1;
	for (const char *p = sns; *p; p++)
		cap += *p == '\n';
	g->sns = arena_alloc(a, cap * sizeof(*g->sns));
	for (const char *p = sns; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len)
			g->sns[g->nsns++] = arena_strndup(a, p, len);
		p += len + (e ? 1 : 0);
	}

	st = db_stmt(db, STMT_GROUP_THEMES);
	db_bind_int(st, 1, id);
	size_t tcap = 8;
	g->themes = arena_alloc(a, tcap * sizeof(*g->themes));
	while (db_step(st) == DB_ROW) {
		if (g->nthemes == tcap) {
			const char **nt = arena_alloc(a, 2 * tcap * sizeof(*nt));
			memcpy(nt, g->themes, tcap * sizeof(*nt));
			g->themes = nt;
			tcap *= 2;
		}
		g->themes[g->nthemes++] = dup(a, st, 1);
	}

	st = db_stmt(db, STMT_GROUP_AWARDS);
	db_bind_int(st, 1, id);
	size_t acap = 8;
	g->awards = arena_alloc(a, acap * sizeof(*g->awards));
	while (db_step(st) == DB_ROW) {
		if (g->nawards == acap) {
			struct award *na = arena_alloc(a, 2 * acap * sizeof(*na));
			memcpy(na, g->awards, acap * sizeof(*na));
			g->awards = na;
			acap *= 2;
		}
		g->awards[g->nawards].year = db_int(st, 0);
		g->awards[g->nawards].title = dup(a, st, 1);
		g->nawards++;
	}
	return GROUP_OK;
}

/* Split every value of a multi field on newlines into trimmed, non-empty
 * lines (a textarea sends one value, the API an array). */
static const char **split_lines(struct arena *a, const struct field_value *v, size_t *n)
{
	size_t cap = 0;
	for (size_t i = 0; i < v->nlist; i++) {
		cap++;
		for (const char *p = v->list[i]; *p; p++)
			cap += *p == '\n';
	}
	const char **out = arena_alloc(a, (cap + 1) * sizeof(*out));
	*n = 0;
	for (size_t i = 0; i < v->nlist; i++) {
		for (const char *p = v->list[i]; *p;) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p), tn;
			const char *t = text_trim(p, len, &tn);
			if (tn)
				out[(*n)++] = arena_strndup(a, t, tn);
			p += len + (e ? 1 : 0);
		}
	}
	return out;
}

static bool is_url(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return false;
	const char *host = strstr(s, "//") + 2;
	if (!*host || *host == '/' || strlen(s) > 500)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"<>\\`", *p))
			return false;
	return true;
}

/* Theme names must exist and be active. */
static bool theme_exists(struct db *db, const char *name)
{
	struct db_stmt *st = db_stmt(db, STMT_THEME_BY_NAME);
	db_bind_str(st, 1, name);
	bool ok = false;
	if (db_step(st) == DB_ROW) {
		ok = db_int(st, 3) == 0;
		db_reset(st);
	}
	return ok;
}

int group_from_form(struct db *db, struct arena *a, struct form *f, const bool *present,
		    struct group *g)
{
#define TAKE(field, member)                                                                        \
	do {                                                                                       \
		if (!present || present[field])                                                    \
			g->member = form_s(f, field);                                              \
	} while (0)
	TAKE(GF_NAME, name);
	TAKE(GF_NAME_KANA, name_kana);
	TAKE(GF_KIND, kind);
	TAKE(GF_PURPOSE, purpose);
	TAKE(GF_WEBSITE, website);
	TAKE(GF_PUBLIC_CONTACT, public_contact);
	TAKE(GF_PRIVATE_CONTACT, private_contact);
	TAKE(GF_REP_TITLE, rep_title);
	TAKE(GF_REP_NAME, rep_name);
	TAKE(GF_REP_KANA, rep_kana);
	TAKE(GF_PREF, pref);
	TAKE(GF_CITY, city);
	TAKE(GF_TOWN, town);
	TAKE(GF_STREET, street);
	TAKE(GF_BUILDING, building);
#undef TAKE
	if (!present || present[GF_FOUNDED]) {
		int64_t ym = f->v[GF_FOUNDED].present ? f->v[GF_FOUNDED].i : 0;
		g->founded_year = ym / 100;
		g->founded_month = ym % 100;
	}
	if (!present || present[GF_MEMBERS])
		g->members = f->v[GF_MEMBERS].present ? f->v[GF_MEMBERS].i : -1;

	if ((!present || present[GF_THEMES]) && !f->v[GF_THEMES].error) {
		const struct field_value *v = &f->v[GF_THEMES];
		g->themes = v->list;
		g->nthemes = v->nlist;
		for (size_t i = 0; i < v->nlist; i++)
			if (!theme_exists(db, v->list[i]))
				form_error(f, GF_THEMES,
					   arena_printf(a, "活動テーマ「%s」は登録されていません",
							v->list[i]));
	}
	if ((!present || present[GF_SNS]) && !f->v[GF_SNS].error) {
		g->sns = split_lines(a, &f->v[GF_SNS], &g->nsns);
		for (size_t i = 0; i < g->nsns; i++)
			if (!is_url(g->sns[i]))
				form_error(f, GF_SNS,
					   "SNSは1行に1つずつ、http:// または https:// "
					   "で始まるURLを入力してください");
		if (g->nsns > 10)
			form_error(f, GF_SNS, "SNSは10件までです");
	}
	if ((!present || present[GF_AWARDS]) && !f->v[GF_AWARDS].error) {
		size_t n;
		const char **lines = split_lines(a, &f->v[GF_AWARDS], &n);
		g->awards = arena_alloc(a, (n + 1) * sizeof(*g->awards));
		g->nawards = 0;
		for (size_t i = 0; i < n; i++) {
			/* "2020 いいね金沢環境活動賞": year, white space, title. */
			const char *s = text_search_key(a, lines[i], 4) ? lines[i] : "";
			int64_t year;
			const char *sp = s;
			while (*sp && *sp != ' ' && (unsigned char)*sp != 0xe3)
				sp++;
			char *ynorm = text_search_key(a, s, (size_t)(sp - s));
			size_t tn;
			const char *title = text_trim(sp, strlen(sp), &tn);
			if (str_to_i64(str_c(ynorm), 1868, 2100, &year) != 0 || tn == 0 ||
			    text_length(title, tn) > 100) {
				form_error(f, GF_AWARDS,
					   "受賞歴は「2020 いいね金沢環境活動賞」のように、"
					   "1行に1件ずつ年と賞の名前を入力してください");
				break;
			}
			g->awards[g->nawards].year = year;
			g->awards[g->nawards].title = arena_strndup(a, title, tn);
			g->nawards++;
		}
	}
	return f->nerrors;
}

/* The normalised text the search index holds for g. */
static char *search_text(struct arena *a, const struct group *g)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s %s %s %s%s %s", g->name, g->name_kana, g->kind, g->city, g->town,
		   g->rep_name);
	for (size_t i = 0; i < g->nthemes; i++)
		buf_printf(&b, " %s", g->themes[i]);
	for (size_t i = 0; i < g->nawards; i++)
		buf_printf(&b, " %s", g->awards[i].title);
	buf_printf(&b, " %s", g->purpose);
	char *key = text_search_key(a, b.p, b.n);
	buf_release(&b);
	return key;
}

static char *join_lines(struct arena *a, const char **items, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "\n" : "", items[i]);
	char *s = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

/* Names of the fields that differ between old and g, for the audit log. */
static const char *changes(struct arena *a, const struct group *old, const struct group *g)
{
	struct buf b = BUF_INIT;
#define CMP(member, label)                                                                         \
	if (strcmp(old->member, g->member) != 0)                                                   \
	buf_printf(&b, "%s%s", b.n ? "、" : "", label)
	CMP(name, "団体名");
	CMP(name_kana, "フリガナ");
	CMP(kind, "種類");
	CMP(purpose, "活動の目的");
	CMP(website, "ウェブサイト");
	CMP(public_contact, "公開連絡先");
	CMP(private_contact, "非公開連絡先");
	CMP(rep_title, "代表者役職");
	CMP(rep_name, "代表者氏名");
	CMP(rep_kana, "代表者フリガナ");
	CMP(pref, "都道府県");
	CMP(city, "市区町村");
	CMP(town, "町字");
	CMP(street, "番地以下");
	CMP(building, "建物名");
#undef CMP
	if (old->founded_year != g->founded_year || old->founded_month != g->founded_month)
		buf_printf(&b, "%s設立年月", b.n ? "、" : "");
	if (old->members != g->members)
		buf_printf(&b, "%s会員数", b.n ? "、" : "");
	if (strcmp(join_lines(a, old->themes, old->nthemes), join_lines(a, g->themes, g->nthemes)))
		buf_printf(&b, "%s活動テーマ", b.n ? "、" : "");
	if (strcmp(join_lines(a, old->sns, old->nsns), join_lines(a, g->sns, g->nsns)))
		buf_printf(&b, "%sSNS", b.n ? "、" : "");
	bool awards_same = old->nawards == g->nawards;
	for (size_t i = 0; awards_same && i < g->nawards; i++)
		awards_same = old->awards[i].year == g->awards[i].year &&
			      strcmp(old->awards[i].title, g->awards[i].title) == 0;
	if (!awards_same)
		buf_printf(&b, "%s受賞歴", b.n ? "、" : "");
	const char *s = arena_printf(a, "変更: %s", b.p ? b.p : "なし");
	buf_release(&b);
	return s;
}

static void bind_nullable_int(struct db_stmt *st, int i, int64_t v, int64_t none)
{
	if (v == none)
		db_bind_null(st, i);
	else
		db_bind_int(st, i, v);
}

enum group_rc group_save(struct db *db, struct arena *a, struct group *g, const struct group *old,
			 int64_t user_id)
{
	char *kana_sort = jp_sort_key(a, g->name_kana);
	int64_t now = (int64_t)time(NULL);
	bool insert = g->id == 0;

	if (db_begin(db) != DB_OK)
		return GROUP_ERROR;
	struct db_stmt *st = db_stmt(db, insert ? STMT_GROUP_INSERT : STMT_GROUP_UPDATE);
	db_bind_str(st, 1, g->name);
	db_bind_str(st, 2, g->name_kana);
	db_bind_str(st, 3, kana_sort);
	db_bind_str(st, 4, g->kind);
	bind_nullable_int(st, 5, g->founded_year, 0);
	bind_nullable_int(st, 6, g->founded_month, 0);
	bind_nullable_int(st, 7, g->members, -1);
	db_bind_str(st, 8, g->purpose);
	db_bind_str(st, 9, g->public_contact);
	db_bind_str(st, 10, g->private_contact);
	db_bind_str(st, 11, g->rep_title);
	db_bind_str(st, 12, g->rep_name);
	db_bind_str(st, 13, g->rep_kana);
	db_bind_str(st, 14, g->pref);
	db_bind_str(st, 15, g->city);
	db_bind_str(st, 16, g->town);
	db_bind_str(st, 17, g->street);
	db_bind_str(st, 18, g->building);
	db_bind_str(st, 19, g->website);
	db_bind_str(st, 20, join_lines(a, g->sns, g->nsns));
	db_bind_str(st, 21, search_text(a, g));
	db_bind_int(st, 22, now);
	if (!insert)
		db_bind_int(st, 23, g->id);
	if (db_exec(st) != DB_OK)
		goto fail;
	if (insert)
		g->id = db_last_id(db);

	st = db_stmt(db, STMT_GROUP_THEMES_CLEAR);
	db_bind_int(st, 1, g->id);
	if (db_exec(st) != DB_OK)
		goto fail;
	for (size_t i = 0; i < g->nthemes; i++) {
		struct db_stmt *t = db_stmt(db, STMT_THEME_BY_NAME);
		db_bind_str(t, 1, g->themes[i]);
		if (db_step(t) != DB_ROW)
			goto fail;
		int64_t tid = db_int(t, 0);
		db_reset(t);
		st = db_stmt(db, STMT_GROUP_THEME_ADD);
		db_bind_int(st, 1, g->id);
		db_bind_int(st, 2, tid);
		if (db_exec(st) != DB_OK)
			goto fail;
	}
	st = db_stmt(db, STMT_GROUP_AWARDS_CLEAR);
	db_bind_int(st, 1, g->id);
	if (db_exec(st) != DB_OK)
		goto fail;
	for (size_t i = 0; i < g->nawards; i++) {
		st = db_stmt(db, STMT_GROUP_AWARD_ADD);
		db_bind_int(st, 1, g->id);
		db_bind_int(st, 2, g->awards[i].year);
		db_bind_str(st, 3, g->awards[i].title);
		if (db_exec(st) != DB_OK)
			goto fail;
	}
	const char *summary =
	    insert || !old ? arena_printf(a, "登録: %s", g->name) : changes(a, old, g);
	if (audit(db, user_id, insert ? "create" : "update", "group", g->id, summary) != DB_OK)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;
	return GROUP_OK;
fail:
	db_rollback(db);
	if (insert)
		g->id = 0;
	return GROUP_ERROR;
}

enum group_rc group_set_archived(struct db *db, int64_t id, bool archived, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return GROUP_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_GROUP_ARCHIVE);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, archived);
	db_bind_int(st, 3, (int64_t)time(NULL));
	if (db_exec(st) != DB_OK)
		goto fail;
	if (db_changes(db) == 0) {
		db_rollback(db);
		return GROUP_NOT_FOUND;
	}
	if (audit(db, user_id, archived ? "archive" : "unarchive", "group", id,
		  archived ? "アーカイブ" : "アーカイブ解除") != DB_OK)
		goto fail;
	if (db_commit(db) != DB_OK)
		goto fail;
	return GROUP_OK;
fail:
	db_rollback(db);
	return GROUP_ERROR;
}

/* Split the "、"-joined theme names of a list row. */
static const char **split_joined(struct arena *a, const char *joined, size_t *n)
{
	static const char sep[] = "、";
	size_t cap = 1;
	*n = 0;
	if (!joined)
		return NULL;
	for (const char *p = joined; (p = strstr(p, sep)); p += sizeof(sep) - 1)
		cap++;
	const char **out = arena_alloc(a, cap * sizeof(*out));
	for (const char *p = joined; *p;) {
		const char *e = strstr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);
		out[(*n)++] = arena_strndup(a, p, len);
		p += len + (e ? sizeof(sep) - 1 : 0);
	}
	return out;
}

/* Bind the filters shared by list and count statements: ?1 kind, ?2 theme. */
static void bind_filters(struct db_stmt *st, const struct group_query *q)
{
	db_bind_str(st, 1, q->kind);
	if (q->theme_id > 0)
		db_bind_int(st, 2, q->theme_id);
	else
		db_bind_null(st, 2);
}

#define MAX_SCAN_TERMS 4

/* Bind the search terms of key: the FTS query, or for a scan one LIKE
 * pattern per term (?5, ?7, ?8, ?9; further terms are not used) and, for
 * lists, the first term for ranking (?6). */
static void bind_terms(struct db_stmt *st, struct arena *a, const char *key, bool fts, bool list)
{
	if (fts) {
		db_bind_match(st, 5, key);
		return;
	}
	static const int slots[MAX_SCAN_TERMS] = {5, 7, 8, 9};
	int k = 0;
	for (const char *p = key; *p && k < MAX_SCAN_TERMS;) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *term = arena_strndup(a, p, len);
		db_bind_like(st, slots[k], term);
		if (k == 0 && list)
			db_bind_str(st, 6, term);
		k++;
		p += len + (e ? 1 : 0);
	}
	for (; k < MAX_SCAN_TERMS; k++)
		db_bind_null(st, slots[k]);
}

enum group_rc group_list(struct db *db, struct arena *a, const struct group_query *q,
			 struct group_page *out)
{
	const char *key = q->q ? text_search_key(a, q->q, strlen(q->q)) : "";
	enum stmt list = STMT_GROUP_LIST, count = STMT_GROUP_LIST_COUNT;
	bool fts = false;

	if (*key) {
		/* Every term must be long enough for the trigram index, or the
		 * query scans the normalised text term by term. */
		fts = true;
		for (const char *p = key; *p;) {
			const char *e = strchr(p, ' ');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			if (text_length(p, len) < db_match_min_chars())
				fts = false;
			p += len + (e ? 1 : 0);
		}
		list = fts ? STMT_GROUP_SEARCH : STMT_GROUP_SCAN;
		count = fts ? STMT_GROUP_SEARCH_COUNT : STMT_GROUP_SCAN_COUNT;
	}
	db_read_begin(db);
	struct db_stmt *st = db_stmt(db, count);
	bind_filters(st, q);
	if (*key)
		bind_terms(st, a, key, fts, false);
	out->total = 0;
	if (db_step(st) == DB_ROW) {
		out->total = db_int(st, 0);
		db_reset(st);
	}

	st = db_stmt(db, list);
	bind_filters(st, q);
	db_bind_int(st, 3, q->per_page);
	db_bind_int(st, 4, (q->page - 1) * q->per_page);
	if (*key)
		bind_terms(st, a, key, fts, true);
	out->items = arena_alloc(a, (size_t)q->per_page * sizeof(*out->items));
	out->n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && out->n < (size_t)q->per_page) {
		struct group_summary *s = &out->items[out->n++];
		s->id = db_int(st, 0);
		s->name = dup(a, st, 1);
		s->name_kana = dup(a, st, 2);
		s->kind = dup(a, st, 3);
		s->city = dup(a, st, 4);
		s->town = dup(a, st, 5);
		s->members = db_isnull(st, 6) ? -1 : db_int(st, 6);
		s->excerpt = dup(a, st, 7);
		s->themes = split_joined(a, db_text(st, 8), &s->nthemes);
	}
	if (rc == DB_ROW)
		db_reset(st);
	db_read_end(db);
	return rc == DB_ROW || rc == DB_DONE ? GROUP_OK : GROUP_ERROR;
}

bool group_is_member(struct db *db, int64_t group_id, int64_t user_id)
{
	struct db_stmt *st = db_stmt(db, STMT_GROUP_MEMBER_CHECK);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, user_id);
	bool yes = db_step(st) == DB_ROW;
	if (yes)
		db_reset(st);
	return yes;
}

int group_add_member(struct db *db, int64_t group_id, int64_t user_id)
{
	struct db_stmt *st = db_stmt(db, STMT_GROUP_MEMBER_ADD);
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, user_id);
	return db_exec(st);
}

char *markdown_html(struct arena *a, const char *md)
{
	/* CMARK_OPT_DEFAULT is safe in cmark 0.30: raw HTML and dangerous URLs
	 * (javascript:, data: other than images) are dropped. */
	char *html =
	    cmark_markdown_to_html(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_HARDBREAKS);
	if (!html)
		return arena_strdup(a, "");
	char *out = arena_strdup(a, html);
	free(html);
	return out;
}
