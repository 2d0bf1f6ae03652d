-- 004: two-stage screening and adoption (1次審査・2次審査・採択), and the
-- project records that adoption creates.

-- A call's review stages, in order (position).  entry: all_submitted /
-- passed_previous.  aggregation: mean / sum (either scaled to 100).
-- recusal_fill: exclude (a recused reviewer's slot is left out) / mean (filled
-- with the mean of the others).  assignment: all (every reviewer) / chosen.
CREATE TABLE review_stages (
	id                   INTEGER PRIMARY KEY,
	call_id              INTEGER NOT NULL REFERENCES calls(id),
	position             INTEGER NOT NULL,
	name                 TEXT NOT NULL,            -- 1次審査（書類）
	kind                 TEXT NOT NULL DEFAULT 'document',   -- document / presentation
	entry                TEXT NOT NULL DEFAULT 'all_submitted',
	scale_min            INTEGER NOT NULL DEFAULT 0,
	scale_max            INTEGER NOT NULL DEFAULT 5,
	aggregation          TEXT NOT NULL DEFAULT 'mean',
	recusal_fill         TEXT NOT NULL DEFAULT 'exclude',
	pass_threshold       INTEGER NOT NULL DEFAULT 60,          -- out of 100
	assignment           TEXT NOT NULL DEFAULT 'all',
	opens_at             INTEGER NOT NULL,
	closes_at            INTEGER NOT NULL,
	closed_at            INTEGER,                  -- set when the office closes it
	presentations_public INTEGER NOT NULL DEFAULT 0,
	UNIQUE (call_id, position)
);

CREATE TABLE review_criteria (
	id          INTEGER PRIMARY KEY,
	stage_id    INTEGER NOT NULL REFERENCES review_stages(id),
	position    INTEGER NOT NULL,
	name        TEXT NOT NULL,                     -- 公益性
	description TEXT NOT NULL DEFAULT '',
	max_score   INTEGER NOT NULL,                  -- within the stage's scale
	weight      INTEGER NOT NULL DEFAULT 1         -- relative weight (integers keep arithmetic exact)
);
CREATE INDEX review_criteria_stage ON review_criteria(stage_id, position);

-- Chosen reviewers (assignment = chosen): per stage, optionally per category.
CREATE TABLE stage_reviewers (
	stage_id    INTEGER NOT NULL REFERENCES review_stages(id),
	user_id     INTEGER NOT NULL REFERENCES users(id),
	category_id INTEGER REFERENCES call_categories(id),   -- NULL: every category
	UNIQUE (stage_id, user_id, category_id)
);

-- Conflicts of interest: automatic (member of an applicant group) or declared.
CREATE TABLE recusals (
	stage_id    INTEGER NOT NULL REFERENCES review_stages(id),
	proposal_id INTEGER NOT NULL REFERENCES proposals(id),
	user_id     INTEGER NOT NULL REFERENCES users(id),
	reason      TEXT NOT NULL,
	automatic   INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (stage_id, proposal_id, user_id)
);

-- One score sheet per reviewer, proposal and stage.  status: draft / submitted.
CREATE TABLE score_sheets (
	id           INTEGER PRIMARY KEY,
	stage_id     INTEGER NOT NULL REFERENCES review_stages(id),
	proposal_id  INTEGER NOT NULL REFERENCES proposals(id),
	reviewer_id  INTEGER NOT NULL REFERENCES users(id),
	status       TEXT NOT NULL DEFAULT 'draft',
	comment      TEXT NOT NULL DEFAULT '',
	updated_at   INTEGER NOT NULL,
	submitted_at INTEGER,
	UNIQUE (stage_id, proposal_id, reviewer_id)
);

CREATE TABLE scores (
	sheet_id     INTEGER NOT NULL REFERENCES score_sheets(id),
	criterion_id INTEGER NOT NULL REFERENCES review_criteria(id),
	score        INTEGER NOT NULL,
	PRIMARY KEY (sheet_id, criterion_id)
);

-- The office's decision per proposal and stage: pass / fail / retry (再審査).
CREATE TABLE stage_decisions (
	stage_id    INTEGER NOT NULL REFERENCES review_stages(id),
	proposal_id INTEGER NOT NULL REFERENCES proposals(id),
	decision    TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	decided_by  INTEGER NOT NULL REFERENCES users(id),
	decided_at  INTEGER NOT NULL,
	PRIMARY KEY (stage_id, proposal_id)
);

-- 2次審査 presentations: order, start, duration, venue or video.
CREATE TABLE presentations (
	id           INTEGER PRIMARY KEY,
	stage_id     INTEGER NOT NULL REFERENCES review_stages(id),
	proposal_id  INTEGER NOT NULL REFERENCES proposals(id),
	position     INTEGER NOT NULL,
	starts_at    INTEGER NOT NULL,
	duration_min INTEGER NOT NULL,
	venue        TEXT NOT NULL DEFAULT '',
	video_url    TEXT NOT NULL DEFAULT '',
	UNIQUE (stage_id, proposal_id)
);

-- Adoption (採択) of a proposal that reached the last stage.
CREATE TABLE adoptions (
	proposal_id   INTEGER PRIMARY KEY REFERENCES proposals(id),
	adopted       INTEGER NOT NULL,        -- 1 採択, 0 不採択
	grant_yen     INTEGER,
	division_id   INTEGER REFERENCES divisions(id),
	contract_date TEXT,                    -- ISO date
	reason        TEXT NOT NULL DEFAULT '',   -- e.g. going over the expected number
	decided_by    INTEGER NOT NULL REFERENCES users(id),
	decided_at    INTEGER NOT NULL
);

-- Results released to applicants (and comments, when the office chooses).
ALTER TABLE calls ADD COLUMN results_released_at INTEGER;
ALTER TABLE calls ADD COLUMN comments_released INTEGER NOT NULL DEFAULT 0;

-- A project: what an adopted proposal becomes, and what later activities and
-- reports attach to.  proposal_id is NULL for adoptions from before kyodo
-- (history such as 「R4–6採択」).
CREATE TABLE projects (
	id            INTEGER PRIMARY KEY,
	proposal_id   INTEGER UNIQUE REFERENCES proposals(id),
	fiscal_year   INTEGER NOT NULL,
	call_id       INTEGER REFERENCES calls(id),
	category_id   INTEGER REFERENCES call_categories(id),
	category_name TEXT NOT NULL,           -- kept for history without a call
	group_id      INTEGER NOT NULL REFERENCES groups(id),   -- the lead group
	title         TEXT NOT NULL,
	summary       TEXT NOT NULL DEFAULT '',
	division_id   INTEGER REFERENCES divisions(id),
	grant_yen     INTEGER,
	period_start  TEXT,                    -- ISO dates
	period_end    TEXT,
	created_at    INTEGER NOT NULL
);
CREATE INDEX projects_year ON projects(fiscal_year, category_name);
CREATE INDEX projects_group ON projects(group_id, fiscal_year);

CREATE TABLE project_groups (
	project_id INTEGER NOT NULL REFERENCES projects(id),
	group_id   INTEGER NOT NULL REFERENCES groups(id),
	PRIMARY KEY (project_id, group_id)
);
CREATE INDEX project_groups_group ON project_groups(group_id);
