-- hoscase schema, version 1: cases, their stages and events, and the audit history.
-- Due dates are never stored: they are derived from the dates recorded here.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE handlers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL DEFAULT 'Complaints officer',
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE closure_days (
    day TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT 'Office closed'
);

CREATE TABLE service_requests (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    resident_name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    received TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    completed_on TEXT,
    case_id INTEGER REFERENCES cases(id)
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    resident_name TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    preferred_contact TEXT NOT NULL DEFAULT 'letter',
    representative_name TEXT NOT NULL DEFAULT '',
    representative_contact TEXT NOT NULL DEFAULT '',
    property TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    received TEXT NOT NULL,
    issue_date TEXT,
    definition TEXT NOT NULL,
    outcome_sought TEXT NOT NULL DEFAULT '',
    not_responsible TEXT NOT NULL DEFAULT '',
    vulnerabilities TEXT NOT NULL DEFAULT '',
    adjustments TEXT NOT NULL DEFAULT '',
    adjustments_review TEXT,
    large_print INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    refused_on TEXT,
    refusal_reason TEXT,
    refusal_explanation TEXT,
    discretion_over_12_months INTEGER NOT NULL DEFAULT 0,
    withdrawn_on TEXT,
    withdrawn_reason TEXT,
    closed_on TEXT,
    learning TEXT NOT NULL DEFAULT '',
    legal_hold INTEGER NOT NULL DEFAULT 0,
    anonymised_on TEXT,
    ombudsman_referred_on TEXT,
    ombudsman_finding TEXT,
    ombudsman_orders TEXT NOT NULL DEFAULT '',
    ombudsman_orders_due TEXT,
    ombudsman_orders_complied_on TEXT,
    service_request_id INTEGER REFERENCES service_requests(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_status ON cases(status);
CREATE INDEX cases_received ON cases(received);

CREATE TABLE stages (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    stage INTEGER NOT NULL CHECK (stage IN (1, 2)),
    received TEXT NOT NULL,
    handler TEXT NOT NULL DEFAULT '',
    definition TEXT NOT NULL DEFAULT '',
    acknowledged TEXT,
    responded TEXT,
    decision TEXT CHECK (decision IS NULL OR decision IN ('upheld', 'partly-upheld', 'not-upheld')),
    reasons TEXT NOT NULL DEFAULT '',
    update_interval TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, stage)
);
CREATE INDEX stages_open ON stages(responded, stage);

CREATE TABLE extensions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    stage INTEGER NOT NULL,
    agreed_on TEXT NOT NULL,
    working_days INTEGER NOT NULL CHECK (working_days > 0),
    reason TEXT NOT NULL,
    good_reason INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX extensions_case ON extensions(case_id, stage);

CREATE TABLE remedies (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    stage INTEGER NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    amount_pence INTEGER,
    due TEXT,
    done TEXT
);
CREATE INDEX remedies_case ON remedies(case_id);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    stage INTEGER NOT NULL,
    description TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT NOT NULL,
    done TEXT
);
CREATE INDEX actions_open ON actions(done, due);

CREATE TABLE correspondence (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    on_date TEXT NOT NULL,
    direction TEXT NOT NULL DEFAULT 'out',
    summary TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'note',
    path TEXT
);
CREATE INDEX correspondence_case ON correspondence(case_id);

-- Append-only record of every change (Code 5.12).
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    case_id INTEGER,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    field TEXT,
    old TEXT,
    new TEXT
);
CREATE INDEX history_case ON history(case_id);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;

CREATE VIRTUAL TABLE cases_fts USING fts5(
    reference, resident_name, address, definition,
    content='cases', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts(rowid, reference, resident_name, address, definition)
    VALUES (new.id, new.reference, new.resident_name, new.address, new.definition);
END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, reference, resident_name, address, definition)
    VALUES ('delete', old.id, old.reference, old.resident_name, old.address, old.definition);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF reference, resident_name, address, definition ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, reference, resident_name, address, definition)
    VALUES ('delete', old.id, old.reference, old.resident_name, old.address, old.definition);
    INSERT INTO cases_fts(rowid, reference, resident_name, address, definition)
    VALUES (new.id, new.reference, new.resident_name, new.address, new.definition);
END;
