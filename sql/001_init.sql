-- 001: accounts, sessions, audit, settings, and the citizen-group directory.
-- Times are Unix seconds (UTC) written by the application; dates are ISO text.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name       TEXT NOT NULL,
	name_kana  TEXT NOT NULL DEFAULT '',
	pw_hash    TEXT NOT NULL,
	roles      INTEGER NOT NULL DEFAULT 0,   -- bit set, see domain/user.h
	disabled   INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,         -- hex BLAKE2b of the cookie token
	user_id    INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL
);

-- Failed logins counted per key ("ip:1.2.3.4" or "email:x@y") in a window.
CREATE TABLE login_failures (
	key          TEXT PRIMARY KEY,
	window_start INTEGER NOT NULL,
	count        INTEGER NOT NULL
);

CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	user_id   INTEGER REFERENCES users(id),
	action    TEXT NOT NULL,      -- create / update / archive / login / view_personal ...
	entity    TEXT NOT NULL,      -- group / user / theme / settings / session
	entity_id INTEGER,
	summary   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_at ON audit_log(at);

CREATE TABLE themes (
	id       INTEGER PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE,
	position INTEGER NOT NULL DEFAULT 0,
	archived INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE groups (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL,
	name_kana       TEXT NOT NULL,
	name_sort       TEXT NOT NULL,       -- 50音順 key from the reading
	kind            TEXT NOT NULL,
	founded_year    INTEGER,
	founded_month   INTEGER,
	members         INTEGER,
	purpose         TEXT NOT NULL DEFAULT '',   -- Markdown
	public_contact  TEXT NOT NULL DEFAULT '',
	private_contact TEXT NOT NULL DEFAULT '',   -- staff and the group's members only
	rep_title       TEXT NOT NULL DEFAULT '',
	rep_name        TEXT NOT NULL DEFAULT '',
	rep_kana        TEXT NOT NULL DEFAULT '',
	pref            TEXT NOT NULL DEFAULT '',   -- 都道府県
	city            TEXT NOT NULL DEFAULT '',   -- 市区町村
	town            TEXT NOT NULL DEFAULT '',   -- 町字
	street          TEXT NOT NULL DEFAULT '',   -- 番地以下
	building        TEXT NOT NULL DEFAULT '',
	website         TEXT NOT NULL DEFAULT '',
	sns             TEXT NOT NULL DEFAULT '',   -- one URL per line
	archived        INTEGER NOT NULL DEFAULT 0,
	search_text     TEXT NOT NULL DEFAULT '',   -- NFKC case-folded, for search
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX groups_public_order ON groups(archived, name_sort);
CREATE INDEX groups_kind ON groups(kind, archived, name_sort);

CREATE TABLE group_themes (
	group_id INTEGER NOT NULL REFERENCES groups(id),
	theme_id INTEGER NOT NULL REFERENCES themes(id),
	PRIMARY KEY (group_id, theme_id)
);
CREATE INDEX group_themes_theme ON group_themes(theme_id, group_id);

CREATE TABLE group_awards (
	id       INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES groups(id),
	year     INTEGER NOT NULL,
	title    TEXT NOT NULL
);
CREATE INDEX group_awards_group ON group_awards(group_id);

CREATE TABLE group_members (
	group_id INTEGER NOT NULL REFERENCES groups(id),
	user_id  INTEGER NOT NULL REFERENCES users(id),
	PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

-- Trigram full-text index over the normalised search text (external content).
CREATE VIRTUAL TABLE groups_fts USING fts5(search_text, content='groups', content_rowid='id',
	tokenize='trigram');
CREATE TRIGGER groups_fts_ai AFTER INSERT ON groups BEGIN
	INSERT INTO groups_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER groups_fts_ad AFTER DELETE ON groups BEGIN
	INSERT INTO groups_fts(groups_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER groups_fts_au AFTER UPDATE OF search_text ON groups BEGIN
	INSERT INTO groups_fts(groups_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
	INSERT INTO groups_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
