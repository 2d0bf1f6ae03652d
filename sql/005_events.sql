-- 005: events and registrations (including the まちづくりHUB series), venues,
-- reports, and notifications that go to an e-mail address without an account.

-- Notifications may now be addressed to an e-mail alone (event registrants
-- have no account): user_id becomes optional and email is added.  SQLite
-- cannot relax NOT NULL in place, so the table is rebuilt.
CREATE TABLE notifications_new (
	id              INTEGER PRIMARY KEY,
	user_id         INTEGER REFERENCES users(id),
	email           TEXT NOT NULL DEFAULT '',   -- used when user_id is NULL
	kind            TEXT NOT NULL,
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	link            TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	read_at         INTEGER,
	state           TEXT NOT NULL DEFAULT 'pending',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	sent_at         INTEGER,
	CHECK (user_id IS NOT NULL OR email <> '')
);
INSERT INTO notifications_new (id, user_id, kind, subject, body, link, created_at, read_at, state,
	attempts, next_attempt_at, last_error, sent_at)
	SELECT id, user_id, kind, subject, body, link, created_at, read_at, state, attempts,
	       next_attempt_at, last_error, sent_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, created_at);
CREATE INDEX notifications_due ON notifications(state, next_attempt_at);

CREATE TABLE venues (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,     -- 金沢学生のまち市民交流館
	name_kana    TEXT NOT NULL DEFAULT '',
	pref         TEXT NOT NULL DEFAULT '',
	city         TEXT NOT NULL DEFAULT '',
	town         TEXT NOT NULL DEFAULT '',
	street       TEXT NOT NULL DEFAULT '',
	building     TEXT NOT NULL DEFAULT '',
	lat          REAL,
	lng          REAL,
	access       TEXT NOT NULL DEFAULT '',
	parking      TEXT NOT NULL DEFAULT '',
	barrier_free TEXT NOT NULL DEFAULT '',
	archived     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE event_series (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,      -- まちづくりHUB Project in 金沢
	description TEXT NOT NULL DEFAULT ''   -- Markdown
);

-- type: 説明会 講座 体験 ツアー 交流会 成果発表会 HUB その他.
-- organiser: the office (group_id and project_id NULL), a group, or a project.
CREATE TABLE events (
	id              INTEGER PRIMARY KEY,
	title           TEXT NOT NULL,
	title_kana      TEXT NOT NULL DEFAULT '',
	series_id       INTEGER REFERENCES event_series(id),
	series_no       INTEGER,               -- 第N回
	type            TEXT NOT NULL,
	group_id        INTEGER REFERENCES groups(id),
	project_id      INTEGER REFERENCES projects(id),
	starts_at       INTEGER NOT NULL,
	ends_at         INTEGER NOT NULL,
	venue_id        INTEGER REFERENCES venues(id),
	room            TEXT NOT NULL DEFAULT '',   -- 交流ホール (方書)
	online_url      TEXT NOT NULL DEFAULT '',
	capacity        INTEGER NOT NULL DEFAULT 0, -- people; 0 = no registration
	max_party       INTEGER NOT NULL DEFAULT 5, -- people per registration
	reg_opens_at    INTEGER,
	reg_closes_at   INTEGER,
	audience        TEXT NOT NULL DEFAULT '',   -- 親子 / 学生 / 一般 ... one per line
	fee_yen         INTEGER NOT NULL DEFAULT 0,
	fee_text        TEXT NOT NULL DEFAULT '',   -- 料金(詳細)
	accessibility   TEXT NOT NULL DEFAULT '',
	contact_name    TEXT NOT NULL DEFAULT '',
	contact_phone   TEXT NOT NULL DEFAULT '',
	contact_email   TEXT NOT NULL DEFAULT '',
	description     TEXT NOT NULL DEFAULT '',   -- Markdown
	published       INTEGER NOT NULL DEFAULT 1,
	created_by      INTEGER REFERENCES users(id),
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	CHECK (ends_at >= starts_at)
);
CREATE INDEX events_start ON events(published, starts_at);
CREATE INDEX events_series ON events(series_id, starts_at);
CREATE INDEX events_group ON events(group_id, starts_at);

CREATE TABLE event_images (
	id       INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id),
	file_id  INTEGER NOT NULL REFERENCES files(id),
	alt      TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0
);

-- Registrations need no account.  The secret link carries a random token;
-- only its hash is stored.  status: confirmed / waiting / cancelled.
-- anonymised_at: personal fields blanked after the retention period.
CREATE TABLE registrations (
	id            INTEGER PRIMARY KEY,
	event_id      INTEGER NOT NULL REFERENCES events(id),
	token_hash    TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	name_kana     TEXT NOT NULL,
	email         TEXT NOT NULL,
	phone         TEXT NOT NULL DEFAULT '',
	adults        INTEGER NOT NULL DEFAULT 1,
	children      INTEGER NOT NULL DEFAULT 0,
	notes         TEXT NOT NULL DEFAULT '',
	access_needs  TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	cancelled_at  INTEGER,
	promoted_at   INTEGER,
	attended_at   INTEGER,
	reminded_at   INTEGER,
	anonymised_at INTEGER,
	CHECK (adults >= 0 AND children >= 0 AND adults + children >= 1)
);
CREATE INDEX registrations_event ON registrations(event_id, status, id);
CREATE INDEX registrations_email ON registrations(event_id, email);

-- After the event.
CREATE TABLE event_reports (
	event_id        INTEGER PRIMARY KEY REFERENCES events(id),
	participants    INTEGER NOT NULL DEFAULT 0,
	minutes         TEXT NOT NULL DEFAULT '',   -- Markdown
	graphic_file_id INTEGER REFERENCES files(id),   -- グラフィック議事録
	graphic_summary TEXT NOT NULL DEFAULT '',   -- its text alternative
	updated_at      INTEGER NOT NULL
);

CREATE TABLE report_voices (
	id       INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id),
	position INTEGER NOT NULL,
	quote    TEXT NOT NULL,
	speaker  TEXT NOT NULL DEFAULT ''           -- e.g. 大学生、地域の方
);

CREATE TABLE report_notes (
	id       INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id),
	position INTEGER NOT NULL,
	place    TEXT NOT NULL,                     -- 材木地区 / テーブルA
	notes    TEXT NOT NULL
);
