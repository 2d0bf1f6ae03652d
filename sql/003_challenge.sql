-- 003: the challenge program (協働のまちづくりチャレンジ事業): partner divisions,
-- programs and their yearly calls with categories and milestones, stored files,
-- the notification outbox, pre-consultations and proposals.
-- Times are Unix seconds (UTC); forms enter and pages show them in JST.

CREATE TABLE divisions (
	id       INTEGER PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE,          -- 子育て支援課
	contact  TEXT NOT NULL DEFAULT '',      -- phone / e-mail shown to applicants
	archived INTEGER NOT NULL DEFAULT 0
);
-- Staff with the division role belong to one division.
ALTER TABLE users ADD COLUMN division_id INTEGER REFERENCES divisions(id);

CREATE TABLE programs (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,       -- 協働のまちづくりチャレンジ事業
	description TEXT NOT NULL DEFAULT ''    -- Markdown
);

-- One call (募集) per program and fiscal year.
CREATE TABLE calls (
	id          INTEGER PRIMARY KEY,
	program_id  INTEGER NOT NULL REFERENCES programs(id),
	fiscal_year INTEGER NOT NULL,           -- 2025 for 令和7年度
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',   -- Markdown
	published   INTEGER NOT NULL DEFAULT 0, -- visible to the public
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	UNIQUE (program_id, fiscal_year)
);

-- The schedule shown as a timeline.  kind is one of: briefing (説明会),
-- open (受付開始), deadline (締切), review1 (1次審査), review2 (2次審査),
-- announce (採択発表), results (成果発表会).
CREATE TABLE call_milestones (
	id        INTEGER PRIMARY KEY,
	call_id   INTEGER NOT NULL REFERENCES calls(id),
	kind      TEXT NOT NULL,
	label     TEXT NOT NULL DEFAULT '',
	starts_at INTEGER NOT NULL,
	ends_at   INTEGER,
	place     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX call_milestones_call ON call_milestones(call_id, starts_at);

-- 部門.  short_name appears in receipt numbers (R7-一般-003).
CREATE TABLE call_categories (
	id                  INTEGER PRIMARY KEY,
	call_id             INTEGER NOT NULL REFERENCES calls(id),
	name                TEXT NOT NULL,      -- 一般部門
	short_name          TEXT NOT NULL,      -- 一般
	description         TEXT NOT NULL DEFAULT '',
	eligibility         TEXT NOT NULL DEFAULT '',
	cap_yen             INTEGER NOT NULL,   -- upper limit of the requested amount
	min_members         INTEGER NOT NULL DEFAULT 0,
	min_groups          INTEGER NOT NULL DEFAULT 1,  -- 2 for 団体連携部門
	needs_coordinator   INTEGER NOT NULL DEFAULT 0,  -- consultation required
	needs_division      INTEGER NOT NULL DEFAULT 0,
	opens_at            INTEGER NOT NULL,
	deadline_at         INTEGER NOT NULL,   -- submissions accepted while now <= deadline_at
	implementation_end  TEXT NOT NULL DEFAULT '',    -- ISO date, e.g. 2026-03-31
	expected_adoptions  INTEGER NOT NULL DEFAULT 0,
	position            INTEGER NOT NULL DEFAULT 0,
	UNIQUE (call_id, short_name)
);

-- Uploaded files: stored under KYODO_FILES by content hash, type sniffed.
CREATE TABLE files (
	id          INTEGER PRIMARY KEY,
	sha256      TEXT NOT NULL,
	name        TEXT NOT NULL,              -- the uploader's file name, cleaned
	mime        TEXT NOT NULL,              -- sniffed: application/pdf, image/png, image/jpeg
	size        INTEGER NOT NULL,
	uploaded_by INTEGER REFERENCES users(id),
	created_at  INTEGER NOT NULL
);

CREATE TABLE call_documents (
	id       INTEGER PRIMARY KEY,
	call_id  INTEGER NOT NULL REFERENCES calls(id),
	file_id  INTEGER NOT NULL REFERENCES files(id),
	title    TEXT NOT NULL,
	position INTEGER NOT NULL DEFAULT 0
);

-- The outbox: every notification is stored first, then delivered by e-mail
-- when SMTP is configured.  state: pending / sent / failed / skipped.
CREATE TABLE notifications (
	id              INTEGER PRIMARY KEY,
	user_id         INTEGER NOT NULL REFERENCES users(id),
	kind            TEXT NOT NULL,          -- receipt, booking, booking_cancelled, reopened, partner_confirm ...
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	link            TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	read_at         INTEGER,
	state           TEXT NOT NULL DEFAULT 'pending',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	sent_at         INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
CREATE INDEX notifications_due ON notifications(state, next_attempt_at);

-- Pre-consultations with a coordinator: one booking per slot.
CREATE TABLE consultation_slots (
	id             INTEGER PRIMARY KEY,
	coordinator_id INTEGER NOT NULL REFERENCES users(id),
	starts_at      INTEGER NOT NULL,
	ends_at        INTEGER NOT NULL,
	place          TEXT NOT NULL DEFAULT '',
	online         INTEGER NOT NULL DEFAULT 0,
	cancelled      INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL
);
CREATE INDEX consultation_slots_time ON consultation_slots(starts_at);

CREATE TABLE consultation_bookings (
	id           INTEGER PRIMARY KEY,
	slot_id      INTEGER NOT NULL REFERENCES consultation_slots(id),
	group_id     INTEGER NOT NULL REFERENCES groups(id),
	call_id      INTEGER REFERENCES calls(id),
	booked_by    INTEGER NOT NULL REFERENCES users(id),
	booked_at    INTEGER NOT NULL,
	cancelled_at INTEGER,
	done_at      INTEGER,
	notes        TEXT NOT NULL DEFAULT ''   -- private to staff
);
-- At most one live booking per slot, enforced by the database so that two
-- people booking at the same moment cannot both win.
CREATE UNIQUE INDEX consultation_bookings_one_per_slot ON consultation_bookings(slot_id)
	WHERE cancelled_at IS NULL;
CREATE INDEX consultation_bookings_group ON consultation_bookings(group_id);

-- Consultations with a partner division, recorded by its staff or a coordinator.
CREATE TABLE division_consultations (
	id          INTEGER PRIMARY KEY,
	group_id    INTEGER NOT NULL REFERENCES groups(id),
	call_id     INTEGER REFERENCES calls(id),
	division_id INTEGER NOT NULL REFERENCES divisions(id),
	held_on     TEXT NOT NULL,              -- ISO date
	notes       TEXT NOT NULL DEFAULT '',
	recorded_by INTEGER NOT NULL REFERENCES users(id),
	created_at  INTEGER NOT NULL
);
CREATE INDEX division_consultations_group ON division_consultations(group_id, call_id);

-- 企画提案書.  status: draft / submitted / withdrawn / reopened (the screening
-- issue adds the ones after submitted).
CREATE TABLE proposals (
	id                   INTEGER PRIMARY KEY,
	call_id              INTEGER NOT NULL REFERENCES calls(id),
	category_id          INTEGER NOT NULL REFERENCES call_categories(id),
	group_id             INTEGER NOT NULL REFERENCES groups(id),   -- the lead group
	created_by           INTEGER NOT NULL REFERENCES users(id),
	status               TEXT NOT NULL DEFAULT 'draft',
	receipt_seq          INTEGER,           -- per category, from 1
	receipt_no           TEXT,              -- R7-一般-003
	title                TEXT NOT NULL DEFAULT '',
	summary              TEXT NOT NULL DEFAULT '',   -- public, <= 200 characters
	background           TEXT NOT NULL DEFAULT '',
	purpose              TEXT NOT NULL DEFAULT '',
	content              TEXT NOT NULL DEFAULT '',
	roles_group          TEXT NOT NULL DEFAULT '',
	roles_city           TEXT NOT NULL DEFAULT '',
	effect               TEXT NOT NULL DEFAULT '',
	division_id          INTEGER REFERENCES divisions(id),        -- desired partner division
	previous_proposal_id INTEGER REFERENCES proposals(id),        -- continuation
	reopen_reason        TEXT NOT NULL DEFAULT '',
	submitted_at         INTEGER,
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL,
	UNIQUE (category_id, receipt_seq),
	UNIQUE (receipt_no)
);
CREATE INDEX proposals_call ON proposals(call_id, category_id, status);
CREATE INDEX proposals_group ON proposals(group_id);

-- Partner groups of a joint proposal (団体連携部門); each confirms.
CREATE TABLE proposal_partners (
	proposal_id  INTEGER NOT NULL REFERENCES proposals(id),
	group_id     INTEGER NOT NULL REFERENCES groups(id),
	confirmed_at INTEGER,
	confirmed_by INTEGER REFERENCES users(id),
	PRIMARY KEY (proposal_id, group_id)
);

CREATE TABLE proposal_schedule (
	id          INTEGER PRIMARY KEY,
	proposal_id INTEGER NOT NULL REFERENCES proposals(id),
	position    INTEGER NOT NULL,
	when_text   TEXT NOT NULL,             -- 令和7年6月 / 2025-06
	what        TEXT NOT NULL
);
CREATE INDEX proposal_schedule_proposal ON proposal_schedule(proposal_id, position);

-- 収支予算: amount = unit_price * quantity, checked by the server.
CREATE TABLE proposal_budget (
	id          INTEGER PRIMARY KEY,
	proposal_id INTEGER NOT NULL REFERENCES proposals(id),
	kind        TEXT NOT NULL,             -- income / expense
	position    INTEGER NOT NULL,
	item        TEXT NOT NULL,
	unit_price  INTEGER NOT NULL,
	quantity    INTEGER NOT NULL,
	amount      INTEGER NOT NULL
);
CREATE INDEX proposal_budget_proposal ON proposal_budget(proposal_id, kind, position);

CREATE TABLE proposal_files (
	id          INTEGER PRIMARY KEY,
	proposal_id INTEGER NOT NULL REFERENCES proposals(id),
	file_id     INTEGER NOT NULL REFERENCES files(id),
	title       TEXT NOT NULL DEFAULT ''
);
