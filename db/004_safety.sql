-- hoscase schema, version 4: data safety.
-- The history stays append-only, with one exception the law requires: when a case is anonymised or
-- deleted under the retention policy, the personal values in its history (old, new) may be replaced
-- by '[removed]'. Nothing else in a history row can ever change.

DROP TRIGGER history_no_update;
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
WHEN NOT (
    new.id = old.id AND new.at = old.at AND new.who = old.who AND new.case_id IS old.case_id
    AND new.entity = old.entity AND new.action = old.action AND new.field IS old.field
    AND (new.old IS old.old OR new.old = '[removed]')
    AND (new.new IS old.new OR new.new = '[removed]')
)
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;

CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;

CREATE INDEX cases_ended ON cases(status, closed_on);
