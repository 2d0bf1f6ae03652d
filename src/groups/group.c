#include "groups/group.h"
#include "core/audit.h"
#include "core/role.h"
#include "util/jp.h"
#include "util/msg.h"
#include "util/str.h"
#include "util/text.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Stored values (groups.kind, groups.pref), not UI text: the database and
 * the API hold these words. */
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
    [GF_NAME] = {"name", "groups.field.name", F_LINE, true, 100, 0, 0, NULL},
    [GF_NAME_KANA] = {"name_kana", "groups.field.name_kana", F_KANA, true, 200, 0, 0, NULL},
    [GF_KIND] = {"kind", "groups.field.kind", F_CHOICE, true, 20, 0, 0, group_kinds},
    [GF_FOUNDED] = {"founded", "groups.field.founded", F_MONTH, false, 7, 0, 0, NULL},
    [GF_MEMBERS] = {"members", "groups.field.members", F_INT, false, 7, 0, 1000000, NULL},
    [GF_THEMES] = {"themes", "groups.field.themes", F_MULTI, false, 50, 0, 0, NULL},
    [GF_PURPOSE] = {"purpose", "groups.field.purpose", F_TEXT, true, 4000, 0, 0, NULL},
    [GF_AWARDS] = {"awards", "groups.field.awards", F_MULTI, false, 2000, 0, 0, NULL},
    [GF_WEBSITE] = {"website", "groups.field.website", F_URL, false, 500, 0, 0, NULL},
    [GF_SNS] = {"sns", "groups.field.sns", F_MULTI, false, 2000, 0, 0, NULL},
    [GF_PUBLIC_CONTACT] = {"public_contact", "groups.field.public_contact", F_TEXT, false, 500, 0,
			   0, NULL},
    [GF_PRIVATE_CONTACT] = {"private_contact", "groups.field.private_contact", F_TEXT, false, 500,
			    0, 0, NULL},
    [GF_REP_TITLE] = {"rep_title", "groups.field.rep_title", F_LINE, false, 50, 0, 0, NULL},
    [GF_REP_NAME] = {"rep_name", "groups.field.rep_name", F_LINE, false, 50, 0, 0, NULL},
    [GF_REP_KANA] = {"rep_kana", "groups.field.rep_kana", F_KANA, false, 100, 0, 0, NULL},
    [GF_PREF] = {"pref", "groups.field.pref", F_CHOICE, false, 10, 0, 0, prefectures},
    [GF_CITY] = {"city", "groups.field.city", F_LINE, false, 50, 0, 0, NULL},
    [GF_TOWN] = {"town", "groups.field.town", F_LINE, false, 100, 0, 0, NULL},
    [GF_STREET] = {"street", "groups.field.street", F_LINE, false, 100, 0, 0, NULL},
    [GF_BUILDING] = {"building", "groups.field.building", F_LINE, false, 100, 0, 0, NULL},
};

const struct field_spec group_query_fields[GQ__MAX] = {
    [GQ_Q] = {"q", "groups.field.q", F_LINE, false, 100, 0, 0, NULL},
    [GQ_THEME] = {"theme", "groups.field.themes", F_ID, false, 20, 0, 0, NULL},
    [GQ_KIND] = {"kind", "groups.field.kind", F_CHOICE, false, 20, 0, 0, group_kinds},
    [GQ_PAGE] = {"page", "groups.field.page", F_INT, false, 6, 1, 100000, NULL},
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

static enum rc group_read(struct db *db, struct arena *a, int64_t id, struct group *g);

enum rc group_get(struct db *db, struct arena *a, int64_t id, struct group *g)
{
	db_read_begin(db);
	enum rc rc = group_read(db, a, id, g);
	db_read_end(db);
	return rc;
}

enum rc group_find(struct db *db, struct arena *a, int64_t id, bool archived_too, struct group *g)
{
	enum rc rc = id > 0 ? group_get(db, a, id, g) : RC_NOT_FOUND;
	if (rc == RC_OK && g->archived && !archived_too)
		return RC_NOT_FOUND;
	return rc;
}

/* The group row, its themes and awards (inside one read transaction). */
static enum rc group_read(struct db *db, struct arena *a, int64_t id, struct group *g)
{
	struct db_stmt *st = db_stmt(db, STMT_GROUP_GET);
	db_bind_int(st, 1, id);
	int step = db_step(st);
	if (step != DB_ROW)
		return step == DB_DONE ? RC_NOT_FOUND : RC_ERROR;
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
	size_t nlines = 1;
	for (const char *p = sns; *p; p++)
		nlines += *p == '\n';
	g->sns = arena_alloc(a, nlines * sizeof(*g->sns));
	for (const char *p = sns; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len)
			g->sns[g->nsns++] = arena_strndup(a, p, len);
		p += len + (e ? 1 : 0);
	}

	st = db_stmt(db, STMT_GROUP_THEMES);
	db_bind_int(st, 1, id);
	size_t cap = 0;
	g->themes = arena_alloc(a, sizeof(*g->themes));
	while (db_step(st) == DB_ROW) {
		g->themes = arena_grow(a, g->themes, g->nthemes, &cap, sizeof(*g->themes));
		g->themes[g->nthemes++] = dup(a, st, 1);
	}

	st = db_stmt(db, STMT_GROUP_AWARDS);
	db_bind_int(st, 1, id);
	cap = 0;
	g->awards = arena_alloc(a, sizeof(*g->awards));
	while (db_step(st) == DB_ROW) {
		g->awards = arena_grow(a, g->awards, g->nawards, &cap, sizeof(*g->awards));
		g->awards[g->nawards].year = db_int(st, 0);
		g->awards[g->nawards].title = dup(a, st, 1);
		g->nawards++;
	}
	return RC_OK;
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
					   msgf(a, "groups.err.theme_unknown", v->list[i]));
	}
	if ((!present || present[GF_SNS]) && !f->v[GF_SNS].error) {
		g->sns = split_lines(a, &f->v[GF_SNS], &g->nsns);
		for (size_t i = 0; i < g->nsns; i++)
			if (!is_url(g->sns[i]))
				form_error(f, GF_SNS, "groups.err.sns_url");
		if (g->nsns > 10)
			form_error(f, GF_SNS, "groups.err.sns_max");
	}
	if ((!present || present[GF_AWARDS]) && !f->v[GF_AWARDS].error) {
		size_t n;
		const char **lines = split_lines(a, &f->v[GF_AWARDS], &n);
		g->awards = arena_alloc(a, (n + 1) * sizeof(*g->awards));
		g->nawards = 0;
		for (size_t i = 0; i < n; i++) {
			/* 2020 いいね金沢環境活動賞: year, white space, title. */
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
				form_error(f, GF_AWARDS, "groups.err.awards");
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

/* Add the words of key to the list of changed fields in b. */
static void changed(struct buf *b, const char *key)
{
	if (b->n)
		buf_adds(b, msg("groups.separator"));
	buf_adds(b, msg(key));
}

/* Names of the fields that differ between old and g, for the audit log
 * (変更: 会員数、受賞歴). */
static const char *changes(struct arena *a, const struct group *old, const struct group *g)
{
	struct buf b = BUF_INIT;
#define CMP(member)                                                                                \
	if (strcmp(old->member, g->member) != 0)                                                   \
	changed(&b, "groups.change." #member)
	CMP(name);
	CMP(name_kana);
	CMP(kind);
	CMP(purpose);
	CMP(website);
	CMP(public_contact);
	CMP(private_contact);
	CMP(rep_title);
	CMP(rep_name);
	CMP(rep_kana);
	CMP(pref);
	CMP(city);
	CMP(town);
	CMP(street);
	CMP(building);
#undef CMP
	if (old->founded_year != g->founded_year || old->founded_month != g->founded_month)
		changed(&b, "groups.change.founded");
	if (old->members != g->members)
		changed(&b, "groups.change.members");
	if (strcmp(join_lines(a, old->themes, old->nthemes), join_lines(a, g->themes, g->nthemes)))
		changed(&b, "groups.change.themes");
	if (strcmp(join_lines(a, old->sns, old->nsns), join_lines(a, g->sns, g->nsns)))
		changed(&b, "groups.change.sns");
	bool awards_same = old->nawards == g->nawards;
	for (size_t i = 0; awards_same && i < g->nawards; i++)
		awards_same = old->awards[i].year == g->awards[i].year &&
			      strcmp(old->awards[i].title, g->awards[i].title) == 0;
	if (!awards_same)
		changed(&b, "groups.change.awards");
	const char *s = msgf(a, "groups.audit.changed", b.p ? b.p : msg("groups.audit.nothing"));
	buf_release(&b);
	return s;
}

/* End a write transaction with its audit entry: both land, or (RC_ERROR)
 * neither does, nor anything written before in the transaction. */
static enum rc commit_audited(struct db *db, int64_t user_id, const char *action, int64_t id,
			      const char *summary)
{
	if (audit(db, user_id, action, "group", id, summary) == DB_OK && db_commit(db) == DB_OK)
		return RC_OK;
	db_rollback(db);
	return RC_ERROR;
}

static void bind_nullable_int(struct db_stmt *st, int i, int64_t v, int64_t none)
{
	if (v == none)
		db_bind_null(st, i);
	else
		db_bind_int(st, i, v);
}

enum rc group_save(struct db *db, struct arena *a, struct group *g, const struct group *old,
		   int64_t user_id)
{
	char *kana_sort = jp_sort_key(a, g->name_kana);
	int64_t now = (int64_t)time(NULL);
	bool insert = g->id == 0;

	if (db_begin(db) != DB_OK)
		return RC_ERROR;
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
	    insert || !old ? msgf(a, "groups.audit.created", g->name) : changes(a, old, g);
	if (commit_audited(db, user_id, insert ? "create" : "update", g->id, summary) == RC_OK)
		return RC_OK;
	if (insert)
		g->id = 0;
	return RC_ERROR;
fail:
	db_rollback(db);
	if (insert)
		g->id = 0;
	return RC_ERROR;
}

enum rc group_set_archived(struct db *db, int64_t id, bool archived, int64_t user_id)
{
	if (db_begin(db) != DB_OK)
		return RC_ERROR;
	struct db_stmt *st = db_stmt(db, STMT_GROUP_ARCHIVE);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, archived);
	db_bind_int(st, 3, (int64_t)time(NULL));
	if (db_exec(st) != DB_OK)
		goto fail;
	if (db_changes(db) == 0) {
		db_rollback(db);
		return RC_NOT_FOUND;
	}
	return commit_audited(db, user_id, archived ? "archive" : "unarchive", id,
			      msg(archived ? "groups.audit.archived" : "groups.audit.unarchived"));
fail:
	db_rollback(db);
	return RC_ERROR;
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

enum rc group_list(struct db *db, struct arena *a, const struct group_query *q,
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
	return rc == DB_ROW || rc == DB_DONE ? RC_OK : RC_ERROR;
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

bool group_access(struct db *db, const struct who *w, int64_t id, enum access_act act)
{
	if (who_is_staff(w))
		return true;
	/* Archiving and the like stay with the office. */
	if (act == ACCESS_MANAGE)
		return false;
	return who_has(w, ROLE_MEMBER) && db && group_is_member(db, id, w->id);
}

int group_log_private_view(struct db *db, int64_t id, int64_t user_id)
{
	return audit(db, user_id, "view_personal", "group", id, msg("groups.audit.viewed_private"));
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
