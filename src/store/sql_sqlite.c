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

/* Columns of a venue, read by domain/event.c read_venue(). */
#define VENUE_COLS                                                                                 \
	"id, name, name_kana, pref, city, town, street, building, lat, lng, access, parking, "     \
	"barrier_free, archived"

/* Columns of an event with its joined names, read by domain/event.c read_event(). */
#define EVENT_COLS                                                                                 \
	"e.id, e.title, e.title_kana, e.series_id, e.series_no, e.type, e.group_id, "              \
	"e.project_id, e.starts_at, e.ends_at, e.venue_id, e.room, e.online_url, e.capacity, "     \
	"e.max_party, e.reg_opens_at, e.reg_closes_at, e.audience, e.fee_yen, e.fee_text, "        \
	"e.accessibility, e.contact_name, e.contact_phone, e.contact_email, e.description, "       \
	"e.published, e.created_by, e.created_at, e.updated_at, coalesce(v.name, ''), "            \
	"coalesce(s.name, ''), coalesce(g.name, ''), "                                             \
	"EXISTS (SELECT 1 FROM event_reports r WHERE r.event_id = e.id)"

/* A project's event is organised by the project's lead group. */
#define EVENT_FROM                                                                                 \
	"events e LEFT JOIN venues v ON v.id = e.venue_id "                                        \
	"LEFT JOIN event_series s ON s.id = e.series_id "                                          \
	"LEFT JOIN groups g ON g.id = coalesce(e.group_id, "                                       \
	"(SELECT p.group_id FROM projects p WHERE p.id = e.project_id))"

#define EVENT_FILTERS                                                                              \
	"(?1 = 0 OR e.published = 1) AND (?2 IS NULL OR e.starts_at >= ?2) "                       \
	"AND (?3 IS NULL OR e.starts_at < ?3) AND (?4 IS NULL OR e.type = ?4) "                    \
	"AND (?5 IS NULL OR e.series_id = ?5) AND (?6 IS NULL OR e.group_id = ?6) "                \
	"AND (?7 IS NULL OR instr(char(10) || e.audience || char(10), "                            \
	"char(10) || ?7 || char(10)) > 0) "                                                        \
	"AND (?8 = 2 OR (?8 = 1 AND e.ends_at < ?9) OR (?8 = 0 AND e.ends_at >= ?9))"

#define SCAN_TERMS                                                                                 \
	" AND g.search_text LIKE ?5 ESCAPE '\\'"                                                   \
	" AND (?7 IS NULL OR g.search_text LIKE ?7 ESCAPE '\\')"                                   \
	" AND (?8 IS NULL OR g.search_text LIKE ?8 ESCAPE '\\')"                                   \
	" AND (?9 IS NULL OR g.search_text LIKE ?9 ESCAPE '\\')"

/* Columns of a call, read by domain/call.c read_call(). */
#define CALL_COLS                                                                                  \
	"c.id, c.program_id, p.name, c.fiscal_year, c.title, c.description, c.published, "         \
	"c.created_at, c.updated_at"
#define CALL_FROM " FROM calls c JOIN programs p ON p.id = c.program_id"

/* Columns of a category, read by domain/call.c read_category(). */
#define CATEGORY_COLS                                                                              \
	"id, call_id, name, short_name, description, eligibility, cap_yen, min_members, "          \
	"min_groups, needs_coordinator, needs_division, opens_at, deadline_at, "                   \
	"implementation_end, expected_adoptions, position"

/* Columns of a full proposal, read by domain/proposal.c read_proposal(). */
#define PROPOSAL_COLS                                                                              \
	"p.id, p.call_id, p.category_id, p.group_id, p.created_by, p.status, p.receipt_seq, "      \
	"p.receipt_no, p.title, p.summary, p.background, p.purpose, p.content, p.roles_group, "    \
	"p.roles_city, p.effect, p.division_id, p.previous_proposal_id, p.reopen_reason, "         \
	"p.submitted_at, p.created_at, p.updated_at, g.name, c.title, c.fiscal_year, k.name, "     \
	"k.short_name, d.name, prev.title, prev.receipt_no, u.name"

/* Columns of a proposal in a list, read by domain/proposal.c read_summary();
 * the last is the requested amount (expenses - income). */
#define PROPOSAL_SUMMARY_COLS                                                                      \
	"p.id, p.call_id, p.category_id, p.group_id, p.status, p.receipt_no, p.title, "            \
	"p.submitted_at, p.updated_at, g.name, c.title, c.fiscal_year, k.name, k.short_name, "     \
	"d.name, p.division_id, p.summary, "                                                       \
	"(SELECT coalesce(sum(CASE b.kind WHEN 'expense' THEN b.amount ELSE -b.amount END), 0) "   \
	"FROM proposal_budget b WHERE b.proposal_id = p.id)"

#define PROPOSAL_FROM                                                                              \
	" FROM proposals p JOIN groups g ON g.id = p.group_id JOIN calls c ON c.id = p.call_id "   \
	"JOIN call_categories k ON k.id = p.category_id LEFT JOIN divisions d ON "                 \
	"d.id = p.division_id"

/* Office filters: ?1 call, ?2 category, ?3 status, ?4 division (each NULL for any). */
#define PROPOSAL_FILTERS                                                                           \
	" WHERE (?1 IS NULL OR p.call_id = ?1) AND (?2 IS NULL OR p.category_id = ?2) AND "        \
	"(?3 IS NULL OR p.status = ?3) AND (?4 IS NULL OR p.division_id = ?4)"

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
    [STMT_DIVISION_LIST] = "SELECT id, name, contact, archived FROM divisions "
			   "WHERE ?1 OR archived = 0 ORDER BY archived, name, id",
    [STMT_DIVISION_GET] = "SELECT id, name, contact, archived FROM divisions WHERE id = ?1",
    [STMT_DIVISION_BY_NAME] = "SELECT id, name, contact, archived FROM divisions WHERE name = ?1",
    [STMT_DIVISION_INSERT] = "INSERT INTO divisions(name, contact) VALUES (?1, ?2)",
    [STMT_DIVISION_UPDATE] = "UPDATE divisions SET name = ?2, contact = ?3 WHERE id = ?1",
    [STMT_DIVISION_ARCHIVE] = "UPDATE divisions SET archived = ?2 WHERE id = ?1",
    [STMT_USER_DIVISION_GET] = "SELECT division_id FROM users WHERE id = ?1",
    [STMT_USER_DIVISION_SET] = "UPDATE users SET division_id = ?2 WHERE id = ?1",
    [STMT_PROGRAM_LIST] = "SELECT id, name, description FROM programs ORDER BY id",
    [STMT_PROGRAM_GET] = "SELECT id, name, description FROM programs WHERE id = ?1",
    [STMT_PROGRAM_BY_NAME] = "SELECT id, name, description FROM programs WHERE name = ?1",
    [STMT_PROGRAM_INSERT] = "INSERT INTO programs(name, description) VALUES (?1, ?2)",
    [STMT_PROGRAM_UPDATE] = "UPDATE programs SET name = ?2, description = ?3 WHERE id = ?1",
    /* Calls: columns read by domain/call.c read_call(). */
    [STMT_CALL_GET] = "SELECT " CALL_COLS CALL_FROM " WHERE c.id = ?1",
    [STMT_CALL_LIST] = "SELECT " CALL_COLS CALL_FROM " WHERE ?1 OR c.published = 1 "
		       "ORDER BY c.fiscal_year DESC, c.id DESC",
    /* The published call with a category open at ?1, earliest deadline first. */
    [STMT_CALL_CURRENT_OPEN] =
	"SELECT " CALL_COLS ", (SELECT min(k.deadline_at) FROM call_categories k "
	"WHERE k.call_id = c.id AND k.opens_at <= ?1 AND k.deadline_at >= ?1) AS "
	"next_deadline" CALL_FROM
	" WHERE c.published = 1 AND next_deadline IS NOT NULL ORDER BY next_deadline, c.id LIMIT 1",
    [STMT_CALL_BY_PROGRAM_YEAR] = "SELECT id FROM calls WHERE program_id = ?1 AND fiscal_year = ?2",
    [STMT_CALL_INSERT] =
	"INSERT INTO calls(program_id, fiscal_year, title, description, published, "
	"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    [STMT_CALL_UPDATE] = "UPDATE calls SET program_id = ?1, fiscal_year = ?2, title = ?3, "
			 "description = ?4, published = ?5, updated_at = ?6 WHERE id = ?7",
    /* Categories: columns read by domain/call.c read_category(). */
    [STMT_CATEGORY_LIST] = "SELECT " CATEGORY_COLS " FROM call_categories WHERE call_id = ?1 "
			   "ORDER BY position, id",
    [STMT_CATEGORY_GET] = "SELECT " CATEGORY_COLS " FROM call_categories WHERE id = ?1",
    [STMT_CATEGORY_INSERT] =
	"INSERT INTO call_categories(call_id, name, short_name, description, eligibility, cap_yen, "
	"min_members, min_groups, needs_coordinator, needs_division, opens_at, deadline_at, "
	"implementation_end, expected_adoptions, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	"?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [STMT_CATEGORY_UPDATE] =
	"UPDATE call_categories SET name = ?2, short_name = ?3, description = ?4, eligibility = "
	"?5, "
	"cap_yen = ?6, min_members = ?7, min_groups = ?8, needs_coordinator = ?9, "
	"needs_division = ?10, opens_at = ?11, deadline_at = ?12, implementation_end = ?13, "
	"expected_adoptions = ?14, position = ?15 WHERE id = ?16 AND call_id = ?1",
    [STMT_CATEGORY_DELETE] = "DELETE FROM call_categories WHERE id = ?1",
    [STMT_CATEGORY_IN_USE] = "SELECT 1 FROM proposals WHERE category_id = ?1 LIMIT 1",
    [STMT_MILESTONE_LIST] = "SELECT id, call_id, kind, label, starts_at, ends_at, place "
			    "FROM call_milestones WHERE call_id = ?1 ORDER BY starts_at, id",
    [STMT_MILESTONE_INSERT] = "INSERT INTO call_milestones(call_id, kind, label, starts_at, "
			      "ends_at, place) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [STMT_MILESTONE_UPDATE] = "UPDATE call_milestones SET kind = ?2, label = ?3, starts_at = ?4, "
			      "ends_at = ?5, place = ?6 WHERE id = ?7 AND call_id = ?1",
    [STMT_MILESTONE_DELETE] = "DELETE FROM call_milestones WHERE id = ?2 AND call_id = ?1",
    [STMT_CALL_DOCUMENT_LIST] =
	"SELECT d.id, d.call_id, d.file_id, d.title, d.position, f.mime, f.size "
	"FROM call_documents d JOIN files f ON f.id = d.file_id WHERE d.call_id = ?1 "
	"ORDER BY d.position, d.id",
    [STMT_CALL_DOCUMENT_INSERT] =
	"INSERT INTO call_documents(call_id, file_id, title, position) VALUES (?1, ?2, ?3, "
	"(SELECT coalesce(max(position), 0) + 1 FROM call_documents WHERE call_id = ?1))",
    [STMT_CALL_DOCUMENT_DELETE] = "DELETE FROM call_documents WHERE id = ?2 AND call_id = ?1",

    /* files and outbox */
    [STMT_FILE_INSERT] = "INSERT INTO files(sha256, name, mime, size, uploaded_by, created_at) "
			 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [STMT_FILE_GET] = "SELECT id, sha256, name, mime, size, coalesce(uploaded_by, 0) FROM files "
		      "WHERE id = ?1",
    /* A file is public when a published call lists it among its documents. */
    [STMT_FILE_IN_PUBLIC_CALL] = "SELECT 1 FROM call_documents d JOIN calls c ON c.id = d.call_id "
				 "WHERE d.file_id = ?1 AND c.published = 1 LIMIT 1",
    [STMT_NOTIFY_INSERT] = "INSERT INTO notifications(user_id, kind, subject, body, link, "
			   "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    /* ?1 user, ?2 limit, ?3 offset; newest first. */
    [STMT_NOTIFICATION_LIST] = "SELECT id, kind, subject, body, link, created_at, "
			       "read_at IS NULL FROM notifications WHERE user_id = ?1 "
			       "ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3",
    [STMT_NOTIFICATION_COUNT] = "SELECT count(*), coalesce(sum(read_at IS NULL), 0) "
				"FROM notifications WHERE user_id = ?1",
    [STMT_NOTIFICATION_UNREAD] = "SELECT count(*) FROM notifications WHERE user_id = ?1 "
				 "AND read_at IS NULL",
    [STMT_NOTIFICATION_READ_ALL] = "UPDATE notifications SET read_at = ?2 WHERE user_id = ?1 "
				   "AND read_at IS NULL",
    /* The next message to send: ?1 now, ?2 the most attempts. */
    [STMT_OUTBOX_DUE] = "SELECT n.id, n.subject, n.body, n.link, n.attempts, n.created_at, "
			"CASE WHEN n.user_id IS NULL THEN n.email ELSE coalesce(u.email, '') END, "
			"CASE WHEN n.user_id IS NULL THEN 0 ELSE coalesce(u.disabled, 1) END "
			"FROM notifications n "
			"LEFT JOIN users u ON u.id = n.user_id "
			"WHERE n.state IN ('pending', 'failed') AND n.next_attempt_at <= ?1 "
			"AND n.attempts < ?2 ORDER BY n.next_attempt_at, n.id LIMIT 1",
    [STMT_OUTBOX_SENT] = "UPDATE notifications SET state = 'sent', sent_at = ?2, "
			 "attempts = attempts + 1, last_error = '' WHERE id = ?1",
    [STMT_OUTBOX_FAILED] = "UPDATE notifications SET state = 'failed', attempts = ?2, "
			   "last_error = ?3, next_attempt_at = ?4 WHERE id = ?1",
    [STMT_OUTBOX_SKIPPED] = "UPDATE notifications SET state = 'skipped', last_error = ?2 "
			    "WHERE id = ?1",
    /* ?1 state (NULL for any), ?2 limit, ?3 offset; newest first. */
    [STMT_OUTBOX_LIST] =
	"SELECT n.id, n.user_id, coalesce(u.name, ''), coalesce(u.email, n.email), "
	"n.kind, n.subject, n.state, n.attempts, n.last_error, n.created_at, "
	"n.sent_at, n.next_attempt_at FROM notifications n LEFT JOIN users u "
	"ON u.id = n.user_id WHERE (?1 IS NULL OR n.state = ?1) "
	"ORDER BY n.id DESC LIMIT ?2 OFFSET ?3",
    [STMT_OUTBOX_COUNT] = "SELECT count(*) FROM notifications WHERE (?1 IS NULL OR state = ?1)",
    [STMT_OUTBOX_STATES] = "SELECT state, count(*) FROM notifications GROUP BY state",

    /* consultations */
    [STMT_CONSULT_SLOT_INSERT] =
	"INSERT INTO consultation_slots(coordinator_id, starts_at, ends_at, place, online, "
	"created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
/* Columns of a slot with its live booking, read by consultation.c read_slot(). */
#define CONSULT_SLOT_COLS                                                                          \
	"s.id, s.coordinator_id, s.starts_at, s.ends_at, s.place, s.online, s.cancelled, "         \
	"s.created_at, cu.name, b.id, b.group_id, g.name, b.call_id, c.title, b.booked_by, "       \
	"bu.name, b.booked_at, b.done_at, b.notes "                                                \
	"FROM consultation_slots s JOIN users cu ON cu.id = s.coordinator_id "                     \
	"LEFT JOIN consultation_bookings b ON b.slot_id = s.id AND b.cancelled_at IS NULL "        \
	"LEFT JOIN groups g ON g.id = b.group_id LEFT JOIN calls c ON c.id = b.call_id "           \
	"LEFT JOIN users bu ON bu.id = b.booked_by"
/* Columns of a booking with its slot, read by consultation.c read_booking(). */
#define CONSULT_BOOKING_COLS                                                                       \
	"b.id, b.slot_id, b.group_id, g.name, b.call_id, c.title, b.booked_by, bu.name, "          \
	"b.booked_at, b.cancelled_at, b.done_at, b.notes, s.starts_at, s.ends_at, "                \
	"s.coordinator_id, cu.name, s.place, s.online "                                            \
	"FROM consultation_bookings b JOIN consultation_slots s ON s.id = b.slot_id "              \
	"JOIN groups g ON g.id = b.group_id JOIN users cu ON cu.id = s.coordinator_id "            \
	"LEFT JOIN users bu ON bu.id = b.booked_by LEFT JOIN calls c ON c.id = b.call_id"
    [STMT_CONSULT_SLOT_GET] = "SELECT " CONSULT_SLOT_COLS " WHERE s.id = ?1",
    [STMT_CONSULT_SLOT_CANCEL] =
	"UPDATE consultation_slots SET cancelled = 1 WHERE id = ?1 AND cancelled = 0",
    /* ?1 now, ?2 limit */
    [STMT_CONSULT_SLOTS_FREE] =
	"SELECT " CONSULT_SLOT_COLS " WHERE s.cancelled = 0 AND s.starts_at > ?1 AND b.id IS NULL "
	"ORDER BY s.starts_at, s.id LIMIT ?2",
    /* ?1 coordinator (0 for all), ?2 oldest end shown, ?3 limit */
    [STMT_CONSULT_SLOTS_STAFF] =
	"SELECT " CONSULT_SLOT_COLS " WHERE s.cancelled = 0 AND (?1 = 0 OR s.coordinator_id = ?1) "
	"AND s.ends_at >= ?2 ORDER BY s.starts_at, s.id LIMIT ?3",
    [STMT_CONSULT_BOOKING_INSERT] =
	"INSERT INTO consultation_bookings(slot_id, group_id, call_id, booked_by, booked_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5)",
    [STMT_CONSULT_BOOKING_GET] = "SELECT " CONSULT_BOOKING_COLS " WHERE b.id = ?1",
    [STMT_CONSULT_BOOKING_LIVE] = "SELECT id, group_id FROM consultation_bookings "
				  "WHERE slot_id = ?1 AND cancelled_at IS NULL",
    [STMT_CONSULT_BOOKING_CANCEL] = "UPDATE consultation_bookings SET cancelled_at = ?2 "
				    "WHERE id = ?1 AND cancelled_at IS NULL AND done_at IS NULL",
    [STMT_CONSULT_BOOKING_DONE] =
	"UPDATE consultation_bookings SET done_at = coalesce(done_at, ?2), notes = ?3 "
	"WHERE id = ?1 AND cancelled_at IS NULL",
    /* ?1 user, ?2 limit: live bookings first, then the latest slots */
    [STMT_CONSULT_BOOKINGS_OF_MEMBER] =
	"SELECT " CONSULT_BOOKING_COLS " WHERE b.group_id IN "
	"(SELECT group_id FROM group_members WHERE user_id = ?1) "
	"ORDER BY b.cancelled_at IS NOT NULL, s.starts_at DESC, b.id DESC LIMIT ?2",
    [STMT_CONSULT_CALL_TITLE] = "SELECT title FROM calls WHERE id = ?1 AND published = 1",
    [STMT_CONSULT_CALLS_PUBLISHED] = "SELECT id, title FROM calls WHERE published = 1 "
				     "ORDER BY fiscal_year DESC, id DESC LIMIT ?1",
    [STMT_CONSULT_DONE_FOR] =
	"SELECT 1 FROM consultation_bookings WHERE group_id = ?1 AND done_at IS NOT NULL "
	"AND cancelled_at IS NULL AND (call_id IS NULL OR call_id = ?2) LIMIT 1",
    [STMT_CONSULT_USER_DIVISION] = "SELECT d.id, d.name FROM users u JOIN divisions d ON "
				   "d.id = u.division_id WHERE u.id = ?1",
    [STMT_CONSULT_DIVISIONS] = "SELECT id, name FROM divisions WHERE archived = 0 "
			       "ORDER BY name, id",
    [STMT_DIVCONSULT_INSERT] =
	"INSERT INTO division_consultations(group_id, call_id, division_id, held_on, notes, "
	"recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    /* ?1 division (0 for all), ?2 limit */
    [STMT_DIVCONSULT_LIST] =
	"SELECT d.id, d.group_id, g.name, d.call_id, c.title, d.division_id, dv.name, "
	"d.held_on, d.notes, d.recorded_by, u.name, d.created_at "
	"FROM division_consultations d JOIN groups g ON g.id = d.group_id "
	"JOIN divisions dv ON dv.id = d.division_id LEFT JOIN calls c ON c.id = d.call_id "
	"LEFT JOIN users u ON u.id = d.recorded_by WHERE (?1 = 0 OR d.division_id = ?1) "
	"ORDER BY d.held_on DESC, d.id DESC LIMIT ?2",
    [STMT_DIVCONSULT_EXISTS] = "SELECT 1 FROM division_consultations WHERE group_id = ?1 "
			       "AND (call_id IS NULL OR call_id = ?2) LIMIT 1",
    /* The demo's slot owner: ?1 roles that may own slots, ?2 the preferred role. */
    [STMT_CONSULT_DEMO_OWNER] = "SELECT id, name FROM users WHERE disabled = 0 AND "
				"(roles & ?1) != 0 ORDER BY (roles & ?2) = 0, id LIMIT 1",
    [STMT_CONSULT_SLOT_COUNT] = "SELECT count(*) FROM consultation_slots",

    /* proposals */
    [STMT_PROPOSAL_INSERT] =
	"INSERT INTO proposals(call_id, category_id, group_id, created_by, "
	"status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?5)",
    [STMT_PROPOSAL_GET] = "SELECT " PROPOSAL_COLS PROPOSAL_FROM
			  " LEFT JOIN proposals prev ON prev.id = p.previous_proposal_id "
			  "LEFT JOIN users u ON u.id = p.created_by WHERE p.id = ?1",
    /* Only an editable proposal changes: a submit that won the race makes
     * this a no-op (db_changes() == 0). */
    [STMT_PROPOSAL_UPDATE] =
	"UPDATE proposals SET title = ?2, summary = ?3, background = ?4, purpose = ?5, "
	"content = ?6, roles_group = ?7, roles_city = ?8, effect = ?9, division_id = ?10, "
	"previous_proposal_id = ?11, updated_at = ?12 WHERE id = ?1 AND status IN ('draft', "
	"'reopened')",
    [STMT_PROPOSAL_STATE] = "SELECT status, receipt_seq, receipt_no FROM proposals WHERE id = ?1",
    [STMT_PROPOSAL_NEXT_SEQ] = "SELECT coalesce(max(receipt_seq), 0) + 1 FROM proposals "
			       "WHERE category_id = ?1",
    [STMT_PROPOSAL_SUBMIT] = "UPDATE proposals SET status = 'submitted', receipt_seq = ?2, "
			     "receipt_no = ?3, submitted_at = ?4, updated_at = ?4 "
			     "WHERE id = ?1 AND status IN ('draft', 'reopened')",
    /* ?2 the expected current status, ?3 the new one, ?4 a reopen reason
     * (NULL keeps the stored one). */
    [STMT_PROPOSAL_SET_STATUS] = "UPDATE proposals SET status = ?3, reopen_reason = "
				 "coalesce(?4, reopen_reason), updated_at = ?5 "
				 "WHERE id = ?1 AND status = ?2",
    /* ?5 limit, ?6 offset. */
    [STMT_PROPOSAL_LIST] = "SELECT " PROPOSAL_SUMMARY_COLS PROPOSAL_FROM PROPOSAL_FILTERS
			   " ORDER BY c.fiscal_year DESC, c.id DESC, k.position, k.id, "
			   "p.receipt_seq IS NULL, p.receipt_seq, p.id LIMIT ?5 OFFSET ?6",
    [STMT_PROPOSAL_LIST_COUNT] = "SELECT count(*)" PROPOSAL_FROM PROPOSAL_FILTERS,
    /* Proposals of the groups user ?1 belongs to, as lead or partner. */
    [STMT_PROPOSAL_LIST_MINE] =
	"SELECT " PROPOSAL_SUMMARY_COLS PROPOSAL_FROM
	" WHERE p.group_id IN (SELECT group_id FROM group_members WHERE user_id = ?1) OR p.id IN "
	"(SELECT x.proposal_id FROM proposal_partners x JOIN group_members m ON "
	"m.group_id = x.group_id WHERE m.user_id = ?1) ORDER BY p.updated_at DESC, p.id DESC "
	"LIMIT ?2",
    /* Per category of call ?1 (division ?2 or NULL): total and per status. */
    [STMT_PROPOSAL_COUNTS] =
	"SELECT k.id, k.name, count(p.id), coalesce(sum(p.status = 'draft'), 0), "
	"coalesce(sum(p.status = 'submitted'), 0), coalesce(sum(p.status = 'withdrawn'), 0), "
	"coalesce(sum(p.status = 'reopened'), 0) FROM call_categories k LEFT JOIN proposals p ON "
	"p.category_id = k.id AND (?2 IS NULL OR p.division_id = ?2) WHERE k.call_id = ?1 "
	"GROUP BY k.id ORDER BY k.position, k.id",
    /* Continuation: group ?1's submitted proposals of fiscal years before ?3
     * (other than ?2). */
    [STMT_PROPOSAL_PREVIOUS] =
	"SELECT p.id, p.title, p.receipt_no, c.fiscal_year FROM proposals p JOIN calls c ON "
	"c.id = p.call_id WHERE p.group_id = ?1 AND p.id <> ?2 AND p.receipt_no IS NOT NULL "
	"AND p.status <> 'withdrawn' AND c.fiscal_year < ?3 ORDER BY c.fiscal_year DESC, p.id DESC",
    [STMT_PROPOSAL_PARTNERS] =
	"SELECT x.group_id, g.name, x.confirmed_at, x.confirmed_by, u.name FROM proposal_partners "
	"x "
	"JOIN groups g ON g.id = x.group_id LEFT JOIN users u ON u.id = x.confirmed_by "
	"WHERE x.proposal_id = ?1 ORDER BY g.name_sort, g.id",
    [STMT_PROPOSAL_PARTNER_ADD] = "INSERT OR IGNORE INTO proposal_partners(proposal_id, group_id) "
				  "VALUES (?1, ?2)",
    [STMT_PROPOSAL_PARTNER_REMOVE] = "DELETE FROM proposal_partners WHERE proposal_id = ?1 AND "
				     "group_id = ?2",
    [STMT_PROPOSAL_PARTNER_CONFIRM] =
	"UPDATE proposal_partners SET confirmed_at = ?3, confirmed_by = ?4 "
	"WHERE proposal_id = ?1 AND group_id = ?2 AND confirmed_at IS NULL",
    /* The partner groups of proposal ?1 that user ?2 is a member of. */
    [STMT_PROPOSAL_PARTNER_GROUPS_OF] =
	"SELECT x.group_id FROM proposal_partners x JOIN group_members m ON "
	"m.group_id = x.group_id WHERE x.proposal_id = ?1 AND m.user_id = ?2 ORDER BY x.group_id",
    [STMT_PROPOSAL_SCHEDULE] = "SELECT position, when_text, what FROM proposal_schedule "
			       "WHERE proposal_id = ?1 ORDER BY position, id",
    [STMT_PROPOSAL_SCHEDULE_CLEAR] = "DELETE FROM proposal_schedule WHERE proposal_id = ?1",
    [STMT_PROPOSAL_SCHEDULE_ADD] = "INSERT INTO proposal_schedule(proposal_id, position, "
				   "when_text, what) VALUES (?1, ?2, ?3, ?4)",
    [STMT_PROPOSAL_BUDGET] = "SELECT kind, position, item, unit_price, quantity, amount FROM "
			     "proposal_budget WHERE proposal_id = ?1 ORDER BY kind = 'expense', "
			     "position, id",
    [STMT_PROPOSAL_BUDGET_CLEAR] = "DELETE FROM proposal_budget WHERE proposal_id = ?1",
    [STMT_PROPOSAL_BUDGET_ADD] =
	"INSERT INTO proposal_budget(proposal_id, kind, position, item, "
	"unit_price, quantity, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [STMT_PROPOSAL_FILES] = "SELECT x.id, x.file_id, x.title, f.name, f.mime, f.size FROM "
			    "proposal_files x JOIN files f ON f.id = x.file_id "
			    "WHERE x.proposal_id = ?1 ORDER BY x.id",
    [STMT_PROPOSAL_FILE_ADD] = "INSERT INTO proposal_files(proposal_id, file_id, title) "
			       "VALUES (?1, ?2, ?3)",
    [STMT_PROPOSAL_FILE_REMOVE] = "DELETE FROM proposal_files WHERE proposal_id = ?1 AND id = ?2",
    /* The proposals a stored file is attached to (for /files/{id}). */
    [STMT_PROPOSAL_FILE_OWNERS] = "SELECT proposal_id FROM proposal_files WHERE file_id = ?1 "
				  "ORDER BY proposal_id",
    /* The demo loader's author of proposals. */
    [STMT_PROPOSAL_FIRST_ADMIN] = "SELECT id FROM users WHERE roles & 1 AND disabled = 0 "
				  "ORDER BY id LIMIT 1",
    [STMT_PROPOSAL_BY_TITLE] = "SELECT id FROM proposals WHERE call_id = ?1 AND group_id = ?2 "
			       "AND title = ?3",

    /* screening: stages, criteria, reviewers, scores, decisions */
    /* Score sheet exports (web/score_export.c): a call's stages, a stage's
     * criteria, one row per proposal x reviewer with a sheet or a recusal,
     * and a sheet's scores. */
    [STMT_SCORE_EXPORT_STAGES] = "SELECT id, name, scale_min, scale_max, aggregation, recusal_fill "
				 "FROM review_stages WHERE call_id = ?1 ORDER BY position, id",
    [STMT_SCORE_EXPORT_CRITERIA] = "SELECT id, name, max_score, weight FROM review_criteria "
				   "WHERE stage_id = ?1 ORDER BY position, id",
    [STMT_SCORE_EXPORT_ROWS] =
	"SELECT p.receipt_no, k.name, g.name, p.title, u.name, s.id, s.status, s.comment, "
	"EXISTS (SELECT 1 FROM recusals r WHERE r.stage_id = ?1 AND r.proposal_id = x.proposal_id "
	"AND r.user_id = x.user_id) "
	"FROM (SELECT proposal_id, reviewer_id AS user_id FROM score_sheets WHERE stage_id = ?1 "
	"UNION SELECT proposal_id, user_id FROM recusals WHERE stage_id = ?1) x "
	"JOIN proposals p ON p.id = x.proposal_id JOIN call_categories k ON k.id = p.category_id "
	"JOIN groups g ON g.id = p.group_id JOIN users u ON u.id = x.user_id "
	"LEFT JOIN score_sheets s ON s.stage_id = ?1 AND s.proposal_id = x.proposal_id "
	"AND s.reviewer_id = x.user_id "
	"ORDER BY k.position, k.id, p.receipt_seq, p.id, u.id",
    [STMT_SCORE_EXPORT_SCORES] = "SELECT criterion_id, score FROM scores WHERE sheet_id = ?1",
/* Columns of a stage, read by domain/review.c read_stage(). */
#define REVIEW_STAGE_COLS                                                                          \
	"s.id, s.call_id, s.position, s.name, s.kind, s.entry, s.scale_min, s.scale_max, "         \
	"s.aggregation, s.recusal_fill, s.pass_threshold, s.assignment, s.opens_at, s.closes_at, " \
	"coalesce(s.closed_at, 0), s.presentations_public, "                                       \
	"(SELECT count(*) FROM score_sheets x WHERE x.stage_id = s.id), c.title, c.fiscal_year "   \
	"FROM review_stages s JOIN calls c ON c.id = s.call_id"
/* Columns of a score sheet, read by domain/review.c read_sheet(). */
#define REVIEW_SHEET_COLS                                                                          \
	"sh.id, sh.stage_id, sh.proposal_id, sh.reviewer_id, sh.status, sh.comment, "              \
	"sh.updated_at, coalesce(sh.submitted_at, 0), u.name "                                     \
	"FROM score_sheets sh JOIN users u ON u.id = sh.reviewer_id"
    [STMT_REVIEW_STAGE_LIST] = "SELECT " REVIEW_STAGE_COLS " WHERE s.call_id = ?1 "
			       "ORDER BY s.position",
    [STMT_REVIEW_STAGE_GET] = "SELECT " REVIEW_STAGE_COLS " WHERE s.id = ?1",
    [STMT_REVIEW_STAGE_UNCLOSED] = "SELECT " REVIEW_STAGE_COLS " WHERE s.closed_at IS NULL "
				   "ORDER BY s.opens_at, s.call_id, s.position",
    /* The stage before position ?2 of call ?1. */
    [STMT_REVIEW_STAGE_PREVIOUS] = "SELECT id FROM review_stages WHERE call_id = ?1 AND "
				   "position < ?2 ORDER BY position DESC LIMIT 1",
    [STMT_REVIEW_STAGE_COUNT] = "SELECT count(*), coalesce(max(position), 0) FROM review_stages "
				"WHERE call_id = ?1",
    [STMT_REVIEW_STAGE_INSERT] = "INSERT INTO review_stages (call_id, position, name, kind, entry, "
				 "opens_at, closes_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [STMT_REVIEW_STAGE_UPDATE] =
	"UPDATE review_stages SET name = ?2, kind = ?3, entry = ?4, scale_min = ?5, "
	"scale_max = ?6, aggregation = ?7, recusal_fill = ?8, pass_threshold = ?9 WHERE id = ?1",
    [STMT_REVIEW_STAGE_WINDOW] = "UPDATE review_stages SET opens_at = ?2, closes_at = ?3 "
				 "WHERE id = ?1 AND closed_at IS NULL",
    [STMT_REVIEW_STAGE_ASSIGNMENT] = "UPDATE review_stages SET assignment = ?2 WHERE id = ?1 "
				     "AND closed_at IS NULL",
    [STMT_REVIEW_STAGE_PUBLIC] = "UPDATE review_stages SET presentations_public = ?2 "
				 "WHERE id = ?1",
    [STMT_REVIEW_STAGE_CLOSE] = "UPDATE review_stages SET closed_at = ?2 WHERE id = ?1 "
				"AND closed_at IS NULL",
    [STMT_REVIEW_STAGE_DELETE] = "DELETE FROM review_stages WHERE id = ?1",
    [STMT_REVIEW_STAGE_CLEAR_CRITERIA] = "DELETE FROM review_criteria WHERE stage_id = ?1",
    [STMT_REVIEW_STAGE_CLEAR_REVIEWERS] = "DELETE FROM stage_reviewers WHERE stage_id = ?1",
    [STMT_REVIEW_STAGE_CLEAR_RECUSALS] = "DELETE FROM recusals WHERE stage_id = ?1",
    [STMT_REVIEW_STAGE_CLEAR_PRESENTATIONS] = "DELETE FROM presentations WHERE stage_id = ?1",
    [STMT_REVIEW_STAGE_CLEAR_DECISIONS] = "DELETE FROM stage_decisions WHERE stage_id = ?1",
    [STMT_REVIEW_SHEET_COUNT] = "SELECT count(*) FROM score_sheets WHERE stage_id = ?1",
    [STMT_REVIEW_CRITERIA] = "SELECT id, stage_id, position, name, description, max_score, weight "
			     "FROM review_criteria WHERE stage_id = ?1 ORDER BY position, id",
    [STMT_REVIEW_CRITERION_INSERT] =
	"INSERT INTO review_criteria (stage_id, position, name, description, max_score, weight) "
	"VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM review_criteria WHERE "
	"stage_id = ?1), ?2, ?3, ?4, ?5)",
    [STMT_REVIEW_CRITERION_UPDATE] = "UPDATE review_criteria SET name = ?3, description = ?4, "
				     "max_score = ?5, weight = ?6 WHERE id = ?1 AND stage_id = ?2",
    [STMT_REVIEW_CRITERION_DELETE] = "DELETE FROM review_criteria WHERE id = ?1 AND "
				     "stage_id = ?2",
    /* ?1 the reviewer role's bit. */
    [STMT_REVIEW_REVIEWERS] = "SELECT id, name FROM users WHERE (roles & ?1) != 0 AND "
			      "disabled = 0 ORDER BY name_kana, id",
    [STMT_REVIEW_IS_REVIEWER] = "SELECT 1 FROM users WHERE id = ?1 AND (roles & ?2) != 0 AND "
				"disabled = 0",
    [STMT_REVIEW_ASSIGNEES] = "SELECT user_id, coalesce(category_id, 0) FROM stage_reviewers "
			      "WHERE stage_id = ?1 ORDER BY user_id, category_id",
    [STMT_REVIEW_ASSIGN_ADD] = "INSERT OR IGNORE INTO stage_reviewers (stage_id, user_id, "
			       "category_id) VALUES (?1, ?2, ?3)",
    /* Is user ?2 (who must still hold role bit ?4) chosen for stage ?1 and
     * category ?3? */
    [STMT_REVIEW_IS_ASSIGNED_CHOSEN] =
	"SELECT 1 FROM stage_reviewers r JOIN users u ON u.id = r.user_id WHERE r.stage_id = ?1 "
	"AND r.user_id = ?2 AND (r.category_id IS NULL OR r.category_id = ?3) AND "
	"(u.roles & ?4) != 0 AND u.disabled = 0 LIMIT 1",
    /* The proposals of call ?1 with a receipt number, with their decisions in
     * the previous stage ?2 (NULL when none) and in this stage ?3. */
    [STMT_REVIEW_ENTRANTS] =
	"SELECT p.id, p.category_id, p.group_id, coalesce(p.previous_proposal_id, 0), "
	"p.receipt_no, p.title, g.name, k.name, k.short_name, p.status, "
	"coalesce(pd.decision, ''), coalesce(d.decision, ''), coalesce(d.reason, '') "
	"FROM proposals p JOIN groups g ON g.id = p.group_id "
	"JOIN call_categories k ON k.id = p.category_id "
	"LEFT JOIN stage_decisions pd ON pd.stage_id = ?2 AND pd.proposal_id = p.id "
	"LEFT JOIN stage_decisions d ON d.stage_id = ?3 AND d.proposal_id = p.id "
	"WHERE p.call_id = ?1 AND p.receipt_no IS NOT NULL "
	"ORDER BY k.position, k.id, p.receipt_seq, p.id",
    /* Automatic recusals of stage ?1 at time ?2 with reason ?3: every user
     * with role bit ?4 who is a member of a proposal's lead or partner group. */
    [STMT_REVIEW_RECUSAL_SYNC] =
	"INSERT OR IGNORE INTO recusals (stage_id, proposal_id, user_id, reason, automatic, "
	"created_at) SELECT DISTINCT s.id, p.id, m.user_id, ?3, 1, ?2 FROM review_stages s "
	"JOIN proposals p ON p.call_id = s.call_id AND p.receipt_no IS NOT NULL "
	"JOIN group_members m ON m.group_id = p.group_id OR m.group_id IN "
	"(SELECT x.group_id FROM proposal_partners x WHERE x.proposal_id = p.id) "
	"JOIN users u ON u.id = m.user_id AND (u.roles & ?4) != 0 "
	"WHERE s.id = ?1 AND s.closed_at IS NULL",
    [STMT_REVIEW_RECUSALS] = "SELECT proposal_id, user_id, automatic FROM recusals "
			     "WHERE stage_id = ?1",
    [STMT_REVIEW_RECUSAL_GET] = "SELECT reason, automatic FROM recusals WHERE stage_id = ?1 AND "
				"proposal_id = ?2 AND user_id = ?3",
    [STMT_REVIEW_RECUSAL_INSERT] = "INSERT OR IGNORE INTO recusals (stage_id, proposal_id, "
				   "user_id, reason, automatic, created_at) VALUES (?1, ?2, ?3, "
				   "?4, 0, ?5)",
    /* Is user ?2 a member of proposal ?1's lead or partner group? */
    [STMT_REVIEW_IS_APPLICANT] =
	"SELECT 1 FROM proposals p JOIN group_members m ON m.user_id = ?2 AND "
	"(m.group_id = p.group_id OR m.group_id IN (SELECT x.group_id FROM proposal_partners x "
	"WHERE x.proposal_id = p.id)) WHERE p.id = ?1 LIMIT 1",
    [STMT_REVIEW_SHEET_GET] = "SELECT " REVIEW_SHEET_COLS " WHERE sh.stage_id = ?1 AND "
			      "sh.proposal_id = ?2 AND sh.reviewer_id = ?3",
    [STMT_REVIEW_SHEET_BY_ID] = "SELECT " REVIEW_SHEET_COLS " WHERE sh.id = ?1",
    [STMT_REVIEW_SHEETS_OF_PROPOSAL] = "SELECT " REVIEW_SHEET_COLS " WHERE sh.stage_id = ?1 AND "
				       "sh.proposal_id = ?2 ORDER BY u.name_kana, sh.id",
    [STMT_REVIEW_SHEET_SCORES] = "SELECT criterion_id, score FROM scores WHERE sheet_id = ?1",
    [STMT_REVIEW_SHEET_UPSERT] =
	"INSERT INTO score_sheets (stage_id, proposal_id, reviewer_id, status, comment, "
	"updated_at, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	"ON CONFLICT (stage_id, proposal_id, reviewer_id) DO UPDATE SET status = excluded.status, "
	"comment = excluded.comment, updated_at = excluded.updated_at, "
	"submitted_at = excluded.submitted_at",
    [STMT_REVIEW_SHEET_UPDATE] = "UPDATE score_sheets SET comment = ?2, updated_at = ?3 "
				 "WHERE id = ?1",
    [STMT_REVIEW_SCORES_CLEAR] = "DELETE FROM scores WHERE sheet_id = ?1",
    [STMT_REVIEW_SCORE_ADD] = "INSERT INTO scores (sheet_id, criterion_id, score) "
			      "VALUES (?1, ?2, ?3)",
    [STMT_REVIEW_SHEETS_STAGE] = "SELECT proposal_id, reviewer_id, status FROM score_sheets "
				 "WHERE stage_id = ?1",
    [STMT_REVIEW_SCORES_STAGE] =
	"SELECT sh.proposal_id, sh.reviewer_id, sc.criterion_id, sc.score FROM score_sheets sh "
	"JOIN scores sc ON sc.sheet_id = sh.id WHERE sh.stage_id = ?1 AND "
	"sh.status = 'submitted' ORDER BY sh.proposal_id, sh.reviewer_id",
    [STMT_REVIEW_DECISION_SET] =
	"INSERT INTO stage_decisions (stage_id, proposal_id, decision, reason, decided_by, "
	"decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (stage_id, proposal_id) "
	"DO UPDATE SET decision = excluded.decision, reason = excluded.reason, "
	"decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    /* Every stage of proposal ?1's call with the proposal's decision in it. */
    [STMT_REVIEW_DECISIONS_OF_PROPOSAL] =
	"SELECT s.id, s.name, coalesce(s.closed_at, 0), coalesce(d.decision, '') FROM proposals p "
	"JOIN review_stages s ON s.call_id = p.call_id LEFT JOIN stage_decisions d ON "
	"d.stage_id = s.id AND d.proposal_id = p.id WHERE p.id = ?1 ORDER BY s.position",
    [STMT_REVIEW_PRESENTATIONS] =
	"SELECT pr.id, pr.stage_id, pr.proposal_id, pr.position, pr.starts_at, pr.duration_min, "
	"pr.venue, pr.video_url, p.title, g.name, k.name, coalesce(p.receipt_no, ''), p.group_id "
	"FROM presentations pr JOIN proposals p ON p.id = pr.proposal_id "
	"JOIN groups g ON g.id = p.group_id JOIN call_categories k ON k.id = p.category_id "
	"WHERE pr.stage_id = ?1 ORDER BY pr.position, pr.starts_at, pr.id",
    [STMT_REVIEW_PRESENTATION_SET] =
	"INSERT INTO presentations (stage_id, proposal_id, position, starts_at, duration_min, "
	"venue, video_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (stage_id, "
	"proposal_id) DO UPDATE SET position = excluded.position, starts_at = excluded.starts_at, "
	"duration_min = excluded.duration_min, venue = excluded.venue, "
	"video_url = excluded.video_url",
    [STMT_REVIEW_PRESENTATION_DELETE] = "DELETE FROM presentations WHERE stage_id = ?1 AND "
					"proposal_id = ?2",
    /* Projects of group ?1 (lead or partner) before fiscal year ?2. */
    [STMT_REVIEW_HISTORY_PROJECTS] =
	"SELECT pj.fiscal_year, pj.title, pj.category_name, coalesce(pj.grant_yen, 0) "
	"FROM projects pj WHERE (pj.group_id = ?1 OR EXISTS (SELECT 1 FROM project_groups x "
	"WHERE x.project_id = pj.id AND x.group_id = ?1)) AND pj.fiscal_year < ?2 "
	"ORDER BY pj.fiscal_year DESC, pj.id LIMIT 20",
    /* Submitted proposals of group ?1 before fiscal year ?2, other than ?3. */
    [STMT_REVIEW_HISTORY_PROPOSALS] =
	"SELECT c.fiscal_year, p.title, k.name, p.receipt_no FROM proposals p "
	"JOIN calls c ON c.id = p.call_id JOIN call_categories k ON k.id = p.category_id "
	"WHERE p.group_id = ?1 AND c.fiscal_year < ?2 AND p.id != ?3 AND "
	"p.receipt_no IS NOT NULL AND p.status != 'withdrawn' "
	"ORDER BY c.fiscal_year DESC, p.id LIMIT 20",

    /* adoption, projects, results */
    [STMT_ADOPTION_GET] =
	"SELECT a.adopted, a.grant_yen, a.division_id, coalesce(d.name, ''), "
	"coalesce(a.contract_date, ''), a.reason, a.decided_by, a.decided_at FROM adoptions a "
	"LEFT JOIN divisions d ON d.id = a.division_id WHERE a.proposal_id = ?1",
    [STMT_ADOPTION_UPSERT] =
	"INSERT INTO adoptions (proposal_id, adopted, grant_yen, division_id, contract_date, "
	"reason, decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	"ON CONFLICT (proposal_id) DO UPDATE SET adopted = excluded.adopted, "
	"grant_yen = excluded.grant_yen, division_id = excluded.division_id, "
	"contract_date = excluded.contract_date, reason = excluded.reason, "
	"decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    /* Adopted proposals of category ?1 other than ?2. */
    [STMT_ADOPTION_COUNT] = "SELECT count(*) FROM adoptions a JOIN proposals p ON "
			    "p.id = a.proposal_id WHERE p.category_id = ?1 AND a.adopted = 1 "
			    "AND a.proposal_id <> ?2",
    /* The proposals of call ?1 that entered screening (submitted, not
     * withdrawn), or only proposal ?2, with their decisions. */
    [STMT_ADOPTION_ROWS] =
	"SELECT p.id, coalesce(p.receipt_no, ''), p.title, p.summary, p.group_id, g.name, "
	"g.rep_title, g.rep_name, p.category_id, k.name, k.implementation_end, "
	"k.expected_adoptions, k.cap_yen, "
	"(SELECT coalesce(sum(CASE b.kind WHEN 'expense' THEN b.amount ELSE -b.amount END), 0) "
	"FROM proposal_budget b WHERE b.proposal_id = p.id), coalesce(p.division_id, 0), "
	"a.proposal_id IS NOT NULL, coalesce(a.adopted, 0), coalesce(a.grant_yen, 0), "
	"coalesce(a.division_id, 0), coalesce(d.name, ''), coalesce(a.contract_date, ''), "
	"coalesce(a.decided_at, 0) FROM proposals p JOIN groups g ON g.id = p.group_id "
	"JOIN call_categories k ON k.id = p.category_id LEFT JOIN adoptions a ON "
	"a.proposal_id = p.id LEFT JOIN divisions d ON d.id = a.division_id "
	"WHERE p.call_id = ?1 AND (?2 IS NULL OR p.id = ?2) AND p.submitted_at IS NOT NULL "
	"AND p.status NOT IN ('draft', 'withdrawn') "
	"ORDER BY k.position, k.id, p.receipt_seq, p.id",
    /* Active members of proposal ?1's lead and partner groups. */
    [STMT_ADOPTION_APPLICANTS] =
	"SELECT DISTINCT m.user_id FROM group_members m JOIN users u ON u.id = m.user_id "
	"WHERE u.disabled = 0 AND m.group_id IN (SELECT group_id FROM proposals WHERE id = ?1 "
	"UNION SELECT group_id FROM proposal_partners WHERE proposal_id = ?1) ORDER BY m.user_id",
    /* Comments of the submitted sheets of the latest stage proposal ?1 was
     * scored in; no reviewer column, sorted by text. */
    [STMT_ADOPTION_COMMENTS] =
	"SELECT s.comment FROM score_sheets s JOIN review_stages g ON g.id = s.stage_id "
	"WHERE s.proposal_id = ?1 AND s.status = 'submitted' AND s.comment <> '' AND "
	"g.position = (SELECT max(g2.position) FROM score_sheets s2 JOIN review_stages g2 ON "
	"g2.id = s2.stage_id WHERE s2.proposal_id = ?1 AND s2.status = 'submitted') "
	"ORDER BY s.comment",
    [STMT_ADOPTION_STOPPED_AT] =
	"SELECT g.name FROM stage_decisions x JOIN review_stages g ON g.id = x.stage_id "
	"WHERE x.proposal_id = ?1 AND x.decision = 'fail' ORDER BY g.position LIMIT 1",
    [STMT_ADOPTION_DIVISION_READ] =
	"SELECT 1 FROM adoptions a JOIN users u ON u.division_id = a.division_id "
	"WHERE a.proposal_id = ?1 AND a.adopted = 1 AND u.id = ?2 AND u.disabled = 0",
    /* Entered, decided and adopted proposals of call ?1. */
    [STMT_ADOPTION_CALL_COUNTS] =
	"SELECT count(*), count(a.proposal_id), coalesce(sum(a.adopted), 0) FROM proposals p "
	"LEFT JOIN adoptions a ON a.proposal_id = p.id WHERE p.call_id = ?1 AND "
	"p.submitted_at IS NOT NULL AND p.status NOT IN ('draft', 'withdrawn')",
    [STMT_CALL_RESULTS_GET] =
	"SELECT coalesce(results_released_at, 0), comments_released FROM calls WHERE id = ?1",
    /* The first release keeps its time; later ones only switch comments. */
    [STMT_CALL_RESULTS_RELEASE] =
	"UPDATE calls SET results_released_at = coalesce(results_released_at, ?2), "
	"comments_released = ?3 WHERE id = ?1",
    [STMT_PROJECT_BY_PROPOSAL] = "SELECT id FROM projects WHERE proposal_id = ?1",
    [STMT_PROJECT_INSERT] =
	"INSERT INTO projects (proposal_id, fiscal_year, call_id, category_id, category_name, "
	"group_id, title, summary, division_id, grant_yen, period_start, period_end, created_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [STMT_PROJECT_UPDATE] =
	"UPDATE projects SET title = ?2, summary = ?3, division_id = ?4, grant_yen = ?5, "
	"period_start = ?6, period_end = ?7 WHERE id = ?1",
    [STMT_PROJECT_DELETE] = "DELETE FROM projects WHERE id = ?1",
    [STMT_PROJECT_GROUPS_CLEAR] = "DELETE FROM project_groups WHERE project_id = ?1",
    [STMT_PROJECT_GROUP_ADD] =
	"INSERT OR IGNORE INTO project_groups (project_id, group_id) VALUES (?1, ?2)",
    /* ?1 year, ?2 category name or short name, ?3 division, ?4 group (lead
     * or partner): NULL for any; ?5 1 to include unreleased; ?6 limit. */
    [STMT_PROJECT_LIST] =
	"SELECT p.id, coalesce(p.proposal_id, 0), p.fiscal_year, coalesce(p.call_id, 0), "
	"coalesce(p.category_id, 0), p.category_name, p.group_id, g.name, p.title, p.summary, "
	"coalesce(p.division_id, 0), coalesce(d.name, ''), coalesce(p.grant_yen, -1), "
	"coalesce(p.period_start, ''), coalesce(p.period_end, ''), "
	"p.call_id IS NULL OR c.results_released_at IS NOT NULL FROM projects p "
	"JOIN groups g ON g.id = p.group_id LEFT JOIN divisions d ON d.id = p.division_id "
	"LEFT JOIN calls c ON c.id = p.call_id LEFT JOIN call_categories k ON "
	"k.id = p.category_id WHERE (?1 IS NULL OR p.fiscal_year = ?1) AND "
	"(?2 IS NULL OR p.category_name = ?2 OR k.short_name = ?2) AND "
	"(?3 IS NULL OR p.division_id = ?3) AND (?4 IS NULL OR p.id IN "
	"(SELECT project_id FROM project_groups WHERE group_id = ?4)) AND "
	"(?5 = 1 OR p.call_id IS NULL OR c.results_released_at IS NOT NULL) "
	"ORDER BY p.fiscal_year DESC, coalesce(k.position, 1000000000), p.category_name, p.id "
	"LIMIT ?6",
    /* The groups of project ?1, the lead first, then in the order added. */
    [STMT_PROJECT_GROUPS] =
	"SELECT g.name FROM project_groups x JOIN groups g ON g.id = x.group_id JOIN projects p "
	"ON p.id = x.project_id WHERE x.project_id = ?1 ORDER BY g.id <> p.group_id, x.rowid",
    [STMT_PROJECT_YEARS] =
	"SELECT DISTINCT p.fiscal_year FROM projects p LEFT JOIN calls c ON c.id = p.call_id "
	"WHERE p.call_id IS NULL OR c.results_released_at IS NOT NULL ORDER BY 1 DESC",
    [STMT_PROJECT_FIND] =
	"SELECT id FROM projects WHERE group_id = ?1 AND fiscal_year = ?2 AND title = ?3",
    [STMT_DEMO_STAGE_COUNT] = "SELECT count(*) FROM review_stages WHERE call_id = ?1",
    [STMT_DEMO_STAGE_INSERT] =
	"INSERT INTO review_stages (call_id, position, name, kind, entry, pass_threshold, "
	"opens_at, closes_at, closed_at, presentations_public) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [STMT_DEMO_CRITERION_INSERT] =
	"INSERT INTO review_criteria (stage_id, position, name, description, max_score, weight) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [STMT_DEMO_SHEET_INSERT] =
	"INSERT INTO score_sheets (stage_id, proposal_id, reviewer_id, status, comment, "
	"updated_at, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [STMT_DEMO_SCORE_INSERT] =
	"INSERT INTO scores (sheet_id, criterion_id, score) VALUES (?1, ?2, ?3)",
    [STMT_DEMO_DECISION_INSERT] =
	"INSERT INTO stage_decisions (stage_id, proposal_id, decision, reason, decided_by, "
	"decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    /* Users with the reviewer role (bit 8), oldest first. */
    [STMT_DEMO_REVIEWERS] =
	"SELECT id FROM users WHERE roles & 8 AND disabled = 0 ORDER BY id LIMIT ?1",
    [STMT_DEMO_SUBMITTED] = "SELECT id FROM proposals WHERE call_id = ?1 AND "
			    "status = 'submitted' ORDER BY category_id, receipt_seq, id",

    /* events: venues, series, events, public pages */
    [STMT_VENUE_LIST] = "SELECT " VENUE_COLS " FROM venues WHERE ?1 = 1 OR archived = 0 "
			"ORDER BY name_kana, name",
    [STMT_VENUE_GET] = "SELECT " VENUE_COLS " FROM venues WHERE id = ?1",
    [STMT_VENUE_INSERT] =
	"INSERT INTO venues (name, name_kana, pref, city, town, street, building, lat, lng, "
	"access, parking, barrier_free, archived) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [STMT_VENUE_UPDATE] =
	"UPDATE venues SET name = ?1, name_kana = ?2, pref = ?3, city = ?4, town = ?5, "
	"street = ?6, building = ?7, lat = ?8, lng = ?9, access = ?10, parking = ?11, "
	"barrier_free = ?12, archived = ?13 WHERE id = ?14",
    [STMT_VENUE_FIND] = "SELECT id FROM venues WHERE name = ?1",
    [STMT_SERIES_LIST] = "SELECT id, name, description FROM event_series ORDER BY name",
    [STMT_SERIES_GET] = "SELECT id, name, description FROM event_series WHERE id = ?1",
    [STMT_SERIES_INSERT] = "INSERT INTO event_series (name, description) VALUES (?1, ?2)",
    [STMT_SERIES_UPDATE] = "UPDATE event_series SET name = ?1, description = ?2 WHERE id = ?3",
    [STMT_SERIES_FIND] = "SELECT id FROM event_series WHERE name = ?1",
    [STMT_EVENT_GET] = "SELECT " EVENT_COLS " FROM " EVENT_FROM " WHERE e.id = ?1",
    /* ?1 published only, ?2 from, ?3 to, ?4 type, ?5 series, ?6 group,
     * ?7 audience (a line), ?8 0 upcoming / 1 past / 2 any, ?9 now,
     * ?10 limit, ?11 offset. */
    [STMT_EVENT_LIST] = "SELECT " EVENT_COLS " FROM " EVENT_FROM " WHERE " EVENT_FILTERS
			" ORDER BY CASE WHEN ?8 = 1 THEN -e.starts_at ELSE e.starts_at END, "
			"e.id LIMIT ?10 OFFSET ?11",
    [STMT_EVENT_COUNT] = "SELECT count(*) FROM events e WHERE " EVENT_FILTERS,
    [STMT_EVENT_INSERT] =
	"INSERT INTO events (title, title_kana, series_id, series_no, type, group_id, "
	"project_id, starts_at, ends_at, venue_id, room, online_url, capacity, max_party, "
	"reg_opens_at, reg_closes_at, audience, fee_yen, fee_text, accessibility, contact_name, "
	"contact_phone, contact_email, description, published, created_by, created_at, "
	"updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
	"?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?27)",
    [STMT_EVENT_UPDATE] =
	"UPDATE events SET title = ?1, title_kana = ?2, series_id = ?3, series_no = ?4, "
	"type = ?5, group_id = ?6, project_id = ?7, starts_at = ?8, ends_at = ?9, "
	"venue_id = ?10, room = ?11, online_url = ?12, capacity = ?13, max_party = ?14, "
	"reg_opens_at = ?15, reg_closes_at = ?16, audience = ?17, fee_yen = ?18, "
	"fee_text = ?19, accessibility = ?20, contact_name = ?21, contact_phone = ?22, "
	"contact_email = ?23, description = ?24, published = ?25, updated_at = ?27 "
	"WHERE id = ?28",
    [STMT_EVENT_CONFIRMED_PEOPLE] = "SELECT coalesce(sum(adults + children), 0) FROM registrations "
				    "WHERE event_id = ?1 AND status = 'confirmed'",
    [STMT_EVENT_IMAGES] = "SELECT id, event_id, file_id, alt, position FROM event_images "
			  "WHERE event_id = ?1 ORDER BY position, id",
    [STMT_EVENT_IMAGE_ADD] =
	"INSERT INTO event_images (event_id, file_id, alt, position) VALUES (?1, ?2, ?3, "
	"(SELECT coalesce(max(position), 0) + 1 FROM event_images WHERE event_id = ?1))",
    [STMT_EVENT_IMAGE_DELETE] = "DELETE FROM event_images WHERE event_id = ?1 AND id = ?2",
    [STMT_EVENT_FIND_IN_SERIES] =
	"SELECT id FROM events WHERE series_id = ?1 AND series_no = ?2 ORDER BY id LIMIT 1",
    [STMT_EVENT_FIND] =
	"SELECT id FROM events WHERE title = ?1 AND (?2 = 0 OR starts_at = ?2) ORDER BY id LIMIT 1",
    /* Groups an event may be organised by (the organiser select). */
    [STMT_EVENT_GROUP_CHOICES] =
	"SELECT id, name FROM groups WHERE archived = 0 ORDER BY name_sort, id LIMIT 1000",
    /* The event an image file belongs to (for /files/{id}). */
    [STMT_EVENT_IMAGE_EVENT] = "SELECT event_id FROM event_images WHERE file_id = ?1 LIMIT 1",

    /* registrations */
    [STMT_NOTIFY_EMAIL_INSERT] = "INSERT INTO notifications(user_id, email, kind, subject, body, "
				 "link, created_at) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6)",
/* The columns of a registration, in the order domain/registration.c reads. */
#define REG_SELECT                                                                                 \
	"SELECT r.id, r.event_id, r.name, r.name_kana, r.email, r.phone, r.adults, r.children, "   \
	"r.notes, r.access_needs, r.status, r.created_at, coalesce(r.cancelled_at, 0), "           \
	"coalesce(r.promoted_at, 0), coalesce(r.attended_at, 0), coalesce(r.anonymised_at, 0), "   \
	"e.title, e.starts_at, r.token_hash FROM registrations r JOIN events e ON e.id = "         \
	"r.event_id "
    /* An event's registration facts; unpublished events take no sign-ups. */
    [STMT_REG_EVENT] = "SELECT id, title, starts_at, ends_at, capacity, max_party, "
		       "coalesce(reg_opens_at, 0), coalesce(reg_closes_at, 0) FROM events "
		       "WHERE id = ?1 AND published = 1",
    [STMT_REG_CONFIRMED_PEOPLE] = "SELECT coalesce(sum(adults + children), 0) FROM registrations "
				  "WHERE event_id = ?1 AND status = 'confirmed'",
    [STMT_REG_WAITING_COUNT] =
	"SELECT count(*) FROM registrations WHERE event_id = ?1 AND status = 'waiting'",
    [STMT_REG_DUPLICATE] = "SELECT id FROM registrations WHERE event_id = ?1 AND email = ?2 "
			   "AND status <> 'cancelled' LIMIT 1",
    [STMT_REG_INSERT] =
	"INSERT INTO registrations (event_id, token_hash, name, name_kana, email, phone, adults, "
	"children, notes, access_needs, status, created_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [STMT_REG_BY_TOKEN] = REG_SELECT "WHERE r.token_hash = ?1",
    [STMT_REG_CANCEL] = "UPDATE registrations SET status = 'cancelled', cancelled_at = ?2 "
			"WHERE id = ?1 AND status <> 'cancelled'",
    /* The waiting list in order of arrival. */
    [STMT_REG_WAITING_LIST] = "SELECT id, adults + children, email FROM registrations "
			      "WHERE event_id = ?1 AND status = 'waiting' ORDER BY id",
    [STMT_REG_PROMOTE] = "UPDATE registrations SET status = 'confirmed', promoted_at = ?2 "
			 "WHERE id = ?1 AND status = 'waiting'",
    [STMT_REG_COUNTS] = "SELECT status, count(*), coalesce(sum(adults + children), 0), "
			"count(attended_at), coalesce(sum(CASE WHEN attended_at IS NOT NULL "
			"THEN adults + children END), 0) FROM registrations WHERE event_id = ?1 "
			"GROUP BY status",
    /* Registrations of an event in order of arrival: every list and the
     * check-in search (name or reading containing the term). */
    [STMT_REG_LIST] = REG_SELECT "WHERE r.event_id = ?1 ORDER BY r.id LIMIT ?2",
    [STMT_REG_SEARCH] = REG_SELECT "WHERE r.event_id = ?1 AND (r.name LIKE ?3 ESCAPE '\\' OR "
				   "r.name_kana LIKE ?4 ESCAPE '\\') ORDER BY r.id LIMIT ?2",
    [STMT_REG_BY_ID] = REG_SELECT "WHERE r.id = ?1 AND r.event_id = ?2",
    [STMT_REG_ATTEND] = "UPDATE registrations SET attended_at = ?2 WHERE id = ?1 AND "
			"status = 'confirmed' AND attended_at IS NULL",

    /* event reports, feeds, open data */
    [STMT_REPORT_GET] = "SELECT participants, minutes, graphic_file_id, graphic_summary, "
			"updated_at FROM event_reports WHERE event_id = ?1",
    [STMT_REPORT_VOICES] = "SELECT quote, speaker FROM report_voices WHERE event_id = ?1 "
			   "ORDER BY position, id",
    [STMT_REPORT_NOTES] = "SELECT place, notes FROM report_notes WHERE event_id = ?1 "
			  "ORDER BY position, id",
    [STMT_REPORT_UPSERT] =
	"INSERT INTO event_reports (event_id, participants, minutes, graphic_file_id, "
	"graphic_summary, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (event_id) DO UPDATE SET participants = excluded.participants, "
	"minutes = excluded.minutes, graphic_file_id = excluded.graphic_file_id, "
	"graphic_summary = excluded.graphic_summary, updated_at = excluded.updated_at",
    [STMT_REPORT_VOICES_CLEAR] = "DELETE FROM report_voices WHERE event_id = ?1",
    [STMT_REPORT_NOTES_CLEAR] = "DELETE FROM report_notes WHERE event_id = ?1",
    [STMT_REPORT_VOICE_ADD] =
	"INSERT INTO report_voices (event_id, position, quote, speaker) VALUES (?1, ?2, ?3, ?4)",
    [STMT_REPORT_NOTE_ADD] =
	"INSERT INTO report_notes (event_id, position, place, notes) VALUES (?1, ?2, ?3, ?4)",
    /* The graphic minutes of a published event are as public as its page. */
    [STMT_REPORT_FILE_PUBLIC] = "SELECT 1 FROM event_reports r JOIN events e ON e.id = r.event_id "
				"WHERE r.graphic_file_id = ?1 AND e.published = 1 LIMIT 1",

    /* jobs: reminders and retention (domain/jobs.c) */
    /* Confirmed registrations of published events starting in [?1, ?2)
     * not yet reminded, a batch at a time. */
    [STMT_JOBS_REMIND_DUE] =
	"SELECT r.id, r.name, r.email, r.adults + r.children, e.id, e.title, e.starts_at, "
	"e.ends_at, coalesce(v.name, ''), e.room, e.online_url FROM events e "
	"JOIN registrations r ON r.event_id = e.id LEFT JOIN venues v ON v.id = e.venue_id "
	"WHERE e.published = 1 AND e.starts_at >= ?1 AND e.starts_at < ?2 "
	"AND r.status = 'confirmed' AND r.reminded_at IS NULL AND r.anonymised_at IS NULL "
	"ORDER BY r.id LIMIT 64",
    [STMT_JOBS_REMIND_MARK] = "UPDATE registrations SET reminded_at = ?2 WHERE id = ?1 "
			      "AND reminded_at IS NULL AND status = 'confirmed'",
    /* Registrations of events that ended before ?1: personal fields
     * blanked, name ?3; status, party size and attendance kept. */
    [STMT_JOBS_ANONYMISE] =
	"UPDATE registrations SET name = ?3, name_kana = '', email = '', phone = '', notes = '', "
	"access_needs = '', anonymised_at = ?2 WHERE anonymised_at IS NULL "
	"AND event_id IN (SELECT id FROM events WHERE ends_at < ?1)",
    /* Registrants' notifications (no account) created before ?1: the
     * address cannot be empty (CHECK), so it becomes ?2 like the subject;
     * an unsent one is never sent. */
    [STMT_JOBS_NOTIFY_BLANK] =
	"UPDATE notifications SET email = ?2, subject = ?2, body = '', link = '', "
	"state = CASE WHEN state IN ('pending', 'failed') THEN 'skipped' ELSE state END "
	"WHERE user_id IS NULL AND created_at < ?1 AND subject <> ?2 "
	"AND (kind LIKE 'registration%' OR kind LIKE 'event\\_%' ESCAPE '\\')",
};
