-- hoscase schema, version 3: the annual report's editable narratives, and indexes for period reporting.

CREATE TABLE report_narratives (
    year INTEGER NOT NULL,
    section TEXT NOT NULL CHECK (section IN ('introduction', 'themes', 'learning', 'governing_body_response')),
    text TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, section)
);

CREATE INDEX stages_received ON stages(received);
CREATE INDEX cases_refused_on ON cases(refused_on);
