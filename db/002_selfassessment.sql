-- hoscase schema, version 2: the self-assessment against the Code (8.1, 8.2, 8.3) and its improvement plan.

-- One assessment a financial year (kind 'annual', year = the year it starts in), and ad-hoc ones after a
-- restructure, merger or change in procedure (8.3), each against one edition of the Code.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'annual' CHECK (kind IN ('annual', 'ad-hoc')),
    title TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    edition TEXT NOT NULL,
    completed_by TEXT NOT NULL DEFAULT '',
    completed_on TEXT,
    approved_by TEXT NOT NULL DEFAULT '',
    approved_on TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX assessments_one_annual ON assessments(year) WHERE kind = 'annual';

-- The answer for one provision: comply, evidence, commentary and the RAG rating.
CREATE TABLE assessment_entries (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    provision TEXT NOT NULL,
    comply TEXT CHECK (comply IS NULL OR comply IN ('Yes', 'No', 'Partly', 'Not applicable')),
    evidence TEXT NOT NULL DEFAULT '',
    commentary TEXT NOT NULL DEFAULT '',
    rag TEXT CHECK (rag IS NULL OR rag IN ('green', 'amber', 'red')),
    PRIMARY KEY (assessment_id, provision)
);

-- The improvement plan. An open action carried into next year's assessment keeps a link to the one it came from,
-- so only the newest copy counts on the work list.
CREATE TABLE improvement_actions (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    provision TEXT NOT NULL,
    action TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT,
    done TEXT,
    carried_from INTEGER REFERENCES improvement_actions(id) ON DELETE SET NULL
);
CREATE INDEX improvement_actions_assessment ON improvement_actions(assessment_id);
CREATE INDEX improvement_actions_open ON improvement_actions(done, due);
CREATE INDEX improvement_actions_carried ON improvement_actions(carried_from);

-- The version history printed at the end of the published form.
CREATE TABLE assessment_versions (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    on_date TEXT NOT NULL,
    changes TEXT NOT NULL,
    "by" TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '',
    approved_on TEXT
);
CREATE INDEX assessment_versions_assessment ON assessment_versions(assessment_id);
