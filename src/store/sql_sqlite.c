/*
 * The SQL of every statement for the SQLite backend, indexed by enum stmt.
 * Parameters are numbered (?1 ...) so a statement may use one twice.
 * Column orders are part of the contract with the callers: each statement's
 * caller in src/domain reads them by index.
 */
#include "store/sql_sqlite.h"

/* Columns of a full group row, read by domain/group.c group_read_row(). */
#define GROUP_COLS                                                                                 \
	"g.id, g.name, g.name_kana, g.kind, g.founded_year, g.founded_month, g.members, "          \
	"g.purpose, g.public_contact, g.private_contact, g.rep_title, g.rep_name, g.rep_kana, "    \
	"g.pref, g.city, g.town, g.street, g.building, g.website, g.sns, g.archived, "             \
	"g.created_at, g.updated_at"

/* Columns of a group in a list, read by domain/group.c group_read_summary(). */
#define GROUP_SUMMARY_COLS                                                                         \
	"g.id, g.name, g.name_kana, g.kind, g.city, g.town, g.members, substr(g.purpose, 1, "      \
	"120), "                                                                                   \
	"(SELECT group_concat(t.name, '、') FROM group_themes gt JOIN themes t ON t.id = "        \
	"gt.theme_id "                                                                             \
	"WHERE gt.group_id = g.id), g.archived"

/* Optional filters: ?1 kind (or NULL), ?2 theme id (or NULL). */
#define GROUP_FILTERS                                                                              \
	" AND (?1 IS NULL OR g.kind = ?1)"                                                         \
	" AND (?2 IS NULL OR EXISTS (SELECT 1 FROM group_themes x WHERE x.group_id = g.id AND "    \
	"x.theme_id = ?2))"

#define SCAN_TERMS                                                                                 \
	" AND g.search_text LIKE ?5 ESCAPE '\\'"                                                   \
	" AND (?7 IS NULL OR g.search_text LIKE ?7 ESCAPE '\\')"                                   \
	" AND (?8 IS NULL OR g.search_text LIKE ?8 ESCAPE '\\')"                                   \
	" AND (?9 IS NULL OR g.search_text LIKE ?9 ESCAPE '\\')"

const char *const sql_sqlite[STMT__MAX] = {
    [STMT_PING] = "SELECT 1",
    [STMT_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
    [STMT_SETTING_SET] = "INSERT INTO settings(key, value) VALUES (?1, ?2) "
			 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",

    [STMT_USER_INSERT] = "INSERT INTO users(email, name, name_kana, pw_hash, roles, disabled, "
			 "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6)",
    [STMT_USER_BY_EMAIL] = "SELECT id, email, name, name_kana, roles, disabled, pw_hash FROM users "
			   "WHERE email = ?1",
    [STMT_USER_BY_ID] = "SELECT id, email, name, name_kana, roles, disabled, pw_hash FROM users "
			"WHERE id = ?1",
    [STMT_USER_LIST] = "SELECT id, email, name, name_kana, roles, disabled FROM users "
		       "ORDER BY name_kana, id",
    [STMT_USER_UPDATE] = "UPDATE users SET name = ?2, name_kana = ?3, roles = ?4, disabled = ?5, "
			 "updated_at = ?6 WHERE id = ?1",
    [STMT_USER_SET_PASSWORD] = "UPDATE users SET pw_hash = ?2, updated_at = ?3 WHERE id = ?1",

    [STMT_SESSION_INSERT] = "INSERT INTO sessions(token_hash, user_id, created_at, seen_at) "
			    "VALUES (?1, ?2, ?3, ?3)",
    [STMT_SESSION_LOOKUP] = "SELECT s.id, s.created_at, s.seen_at, u.id, u.email, u.name, "
			    "u.roles, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id "
			    "WHERE s.token_hash = ?1",
    [STMT_SESSION_TOUCH] = "UPDATE sessions SET seen_at = ?2 WHERE id = ?1",
    [STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
    [STMT_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2",
    [STMT_SESSION_PURGE] = "DELETE FROM sessions WHERE seen_at < ?1 OR created_at < ?2",

    [STMT_TOKEN_INSERT] = "INSERT INTO api_tokens(token_hash, user_id, created_at) "
			  "VALUES (?1, ?2, ?3)",
    [STMT_TOKEN_LOOKUP] = "SELECT u.id, u.email, u.name, u.roles, u.disabled FROM api_tokens t "
			  "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",

    [STMT_LOGIN_FAIL_GET] = "SELECT window_start, count FROM login_failures WHERE key = ?1",
    /* ?2 now, ?3 window start cut-off: an old window restarts at 1. */
    [STMT_LOGIN_FAIL_HIT] = "INSERT INTO login_failures(key, window_start, count) "
			    "VALUES (?1, ?2, 1) ON CONFLICT(key) DO UPDATE SET "
			    "count = CASE WHEN window_start < ?3 THEN 1 ELSE count + 1 END, "
			    "window_start = CASE WHEN window_start < ?3 THEN ?2 "
			    "ELSE window_start END",
    [STMT_LOGIN_FAIL_CLEAR] = "DELETE FROM login_failures WHERE key = ?1",

    [STMT_AUDIT_INSERT] = "INSERT INTO audit_log(at, user_id, action, entity, entity_id, summary) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    /* ?1 entity, ?2 user id, ?3 action (each NULL for any), ?4 limit, ?5 offset */
    [STMT_AUDIT_LIST] = "SELECT a.id, a.at, a.user_id, coalesce(u.name, ''), a.action, a.entity, "
			"a.entity_id, a.summary FROM audit_log a LEFT JOIN users u ON "
			"u.id = a.user_id WHERE (?1 IS NULL OR a.entity = ?1) AND "
			"(?2 IS NULL OR a.user_id = ?2) AND (?3 IS NULL OR a.action = ?3) "
			"ORDER BY a.id DESC LIMIT ?4 OFFSET ?5",
    [STMT_AUDIT_COUNT] = "SELECT count(*) FROM audit_log a WHERE (?1 IS NULL OR a.entity = ?1) "
			 "AND (?2 IS NULL OR a.user_id = ?2) AND (?3 IS NULL OR a.action = ?3)",

    [STMT_THEME_LIST] = "SELECT id, name, position, archived FROM themes WHERE archived = 0 "
			"ORDER BY position, id",
    [STMT_THEME_LIST_ALL] = "SELECT id, name, position, archived FROM themes "
			    "ORDER BY archived, position, id",
    [STMT_THEME_INSERT] = "INSERT INTO themes(name, position) VALUES (?1, ?2)",
    [STMT_THEME_UPDATE] = "UPDATE themes SET name = ?2, position = ?3, archived = ?4 "
			  "WHERE id = ?1",
    [STMT_THEME_BY_NAME] = "SELECT id, name, position, archived FROM themes WHERE name = ?1",
    [STMT_THEME_BY_ID] = "SELECT id, name, position, archived FROM themes WHERE id = ?1",

    [STMT_GROUP_INSERT] =
	"INSERT INTO groups(name, name_kana, name_sort, kind, founded_year, founded_month, "
	"members, purpose, public_contact, private_contact, rep_title, rep_name, rep_kana, "
	"pref, city, town, street, building, website, sns, search_text, created_at, "
	"updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	"?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?22)",
    [STMT_GROUP_UPDATE] =
	"UPDATE groups SET name = ?1, name_kana = ?2, name_sort = ?3, kind = ?4, "
	"founded_year = ?5, founded_month = ?6, members = ?7, purpose = ?8, "
	"public_contact = ?9, private_contact = ?10, rep_title = ?11, rep_name = ?12, "
	"rep_kana = ?13, pref = ?14, city = ?15, town = ?16, street = ?17, building = ?18, "
	"website = ?19, sns = ?20, search_text = ?21, updated_at = ?22 WHERE id = ?23",
    [STMT_GROUP_GET] = "SELECT " GROUP_COLS " FROM groups g WHERE g.id = ?1",
    [STMT_GROUP_BY_NAME] = "SELECT id FROM groups WHERE name = ?1",
    [STMT_GROUP_ARCHIVE] = "UPDATE groups SET archived = ?2, updated_at = ?3 WHERE id = ?1",
    [STMT_GROUP_COUNT_PUBLIC] = "SELECT count(*) FROM groups WHERE archived = 0",
    [STMT_GROUP_THEMES] = "SELECT t.id, t.name FROM group_themes gt JOIN themes t ON "
			  "t.id = gt.theme_id WHERE gt.group_id = ?1 ORDER BY t.position, t.id",
    [STMT_GROUP_THEMES_CLEAR] = "DELETE FROM group_themes WHERE group_id = ?1",
    [STMT_GROUP_THEME_ADD] = "INSERT OR IGNORE INTO group_themes(group_id, theme_id) "
			     "VALUES (?1, ?2)",
    [STMT_GROUP_AWARDS] = "SELECT year, title FROM group_awards WHERE group_id = ?1 "
			  "ORDER BY year, id",
    [STMT_GROUP_AWARDS_CLEAR] = "DELETE FROM group_awards WHERE group_id = ?1",
    [STMT_GROUP_AWARD_ADD] = "INSERT INTO group_awards(group_id, year, title) VALUES (?1, ?2, ?3)",

    /* Lists: ?1 kind, ?2 theme, ?3 limit, ?4 offset; public rows only. */
    [STMT_GROUP_LIST] =
	"SELECT " GROUP_SUMMARY_COLS " FROM groups g WHERE g.archived = 0" GROUP_FILTERS
	" ORDER BY g.name_sort, g.id LIMIT ?3 OFFSET ?4",
    [STMT_GROUP_LIST_COUNT] = "SELECT count(*) FROM groups g WHERE g.archived = 0" GROUP_FILTERS,
    /* Search: ?5 the FTS5 query (see db_bind_match), ranked by bm25.  CROSS
     * JOIN keeps the match outside; the other order runs it once per group. */
    [STMT_GROUP_SEARCH] =
	"SELECT " GROUP_SUMMARY_COLS " FROM groups_fts f CROSS JOIN groups g ON "
	"g.id = f.rowid WHERE groups_fts MATCH ?5 AND g.archived = 0" GROUP_FILTERS
	" ORDER BY bm25(groups_fts), g.name_sort LIMIT ?3 OFFSET ?4",
    [STMT_GROUP_SEARCH_COUNT] =
	"SELECT count(*) FROM groups_fts f CROSS JOIN groups g ON "
	"g.id = f.rowid WHERE groups_fts MATCH ?5 AND g.archived = 0" GROUP_FILTERS,
    /* Short terms: a scan of the normalised text.  ?5, ?7, ?8, ?9 are LIKE
     * patterns for up to four terms (NULL when unused), ?6 the first term
     * (lists only); earlier matches (the name comes first) rank higher. */
    [STMT_GROUP_SCAN] =
	"SELECT " GROUP_SUMMARY_COLS " FROM groups g WHERE g.archived = 0" SCAN_TERMS GROUP_FILTERS
	" ORDER BY instr(g.search_text, ?6), g.name_sort LIMIT ?3 OFFSET ?4",
    [STMT_GROUP_SCAN_COUNT] =
	"SELECT count(*) FROM groups g WHERE g.archived = 0" SCAN_TERMS GROUP_FILTERS,

    [STMT_GROUP_MEMBER_CHECK] = "SELECT 1 FROM group_members WHERE group_id = ?1 AND user_id = ?2",
    [STMT_GROUP_MEMBER_ADD] = "INSERT OR IGNORE INTO group_members(group_id, user_id) "
			      "VALUES (?1, ?2)",
    [STMT_GROUP_MEMBER_REMOVE] = "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
    [STMT_GROUP_MEMBERS] = "SELECT u.id, u.email, u.name FROM group_members m JOIN users u ON "
			   "u.id = m.user_id WHERE m.group_id = ?1 ORDER BY u.name_kana",
    [STMT_USER_GROUPS] = "SELECT g.id, g.name FROM group_members m JOIN groups g ON "
			 "g.id = m.group_id WHERE m.user_id = ?1 ORDER BY g.name_sort",

    /* challenge: calls, divisions */

    /* files and outbox */

    /* consultations */

    /* proposals */
};
