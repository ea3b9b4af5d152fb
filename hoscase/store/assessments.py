"""SQL for the self-assessment against the Code, its improvement plan and version history,
and the bulk reads of a year's stages that the record-drawn evidence is worked out from."""

from __future__ import annotations

from typing import Any

_ASSESSMENT_COLUMNS = ("year", "kind", "title", "reason", "edition", "completed_by", "completed_on",
                       "approved_by", "approved_on", "created_at")
_ACTION_COLUMNS = ("assessment_id", "provision", "action", "owner", "due", "done", "carried_from")
_VERSION_COLUMNS = ("assessment_id", "on_date", "changes", "by", "approved_by", "approved_on")


def _columns(fields: dict, allowed: tuple[str, ...]) -> list[str]:
    """Only known column names ever reach the SQL text."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown columns: {', '.join(sorted(unknown))}")
    return list(fields)


class AssessmentQueries:
    db: Any
    conn: Any

    def _sa_rows(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    # --- assessments ---------------------------------------------------

    def assessment_rows(self) -> list[dict]:
        return self._sa_rows("SELECT * FROM assessments ORDER BY year, kind = 'ad-hoc', created_at, id")

    def assessment_row(self, assessment_id: int) -> dict | None:
        rows = self._sa_rows("SELECT * FROM assessments WHERE id = ?", (int(assessment_id),))
        return rows[0] if rows else None

    def annual_assessment_row(self, year: int) -> dict | None:
        rows = self._sa_rows("SELECT * FROM assessments WHERE kind = 'annual' AND year = ?", (int(year),))
        return rows[0] if rows else None

    def previous_annual_assessment_row(self, year: int) -> dict | None:
        """The newest annual assessment of a year before ``year``: what a new year starts from."""
        rows = self._sa_rows(
            "SELECT * FROM assessments WHERE kind = 'annual' AND year < ? ORDER BY year DESC LIMIT 1", (int(year),))
        return rows[0] if rows else None

    def latest_assessment_row(self, before_id: int | None = None) -> dict | None:
        """The most recently created assessment of any kind (optionally only those older than ``before_id``)."""
        if before_id is None:
            rows = self._sa_rows("SELECT * FROM assessments ORDER BY created_at DESC, id DESC LIMIT 1")
        else:
            rows = self._sa_rows("SELECT * FROM assessments WHERE id < ? ORDER BY id DESC LIMIT 1", (int(before_id),))
        return rows[0] if rows else None

    def insert_assessment(self, row: dict) -> int:
        cols = _columns(row, _ASSESSMENT_COLUMNS)
        cursor = self.conn.execute(
            f"INSERT INTO assessments ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols])
        return cursor.lastrowid

    def update_assessment(self, assessment_id: int, fields: dict) -> None:
        cols = _columns(fields, _ASSESSMENT_COLUMNS)
        if cols:
            self.conn.execute(f"UPDATE assessments SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                              [fields[c] for c in cols] + [int(assessment_id)])

    # --- entries -------------------------------------------------------

    def assessment_entry_rows(self, assessment_id: int) -> list[dict]:
        return self._sa_rows("SELECT * FROM assessment_entries WHERE assessment_id = ?", (int(assessment_id),))

    def put_assessment_entries(self, rows: list[dict]) -> None:
        """Insert or replace whole entries (assessment_id, provision, comply, evidence, commentary, rag)."""
        self.conn.executemany(
            """INSERT INTO assessment_entries (assessment_id, provision, comply, evidence, commentary, rag)
               VALUES (:assessment_id, :provision, :comply, :evidence, :commentary, :rag)
               ON CONFLICT (assessment_id, provision) DO UPDATE SET comply = excluded.comply,
                   evidence = excluded.evidence, commentary = excluded.commentary, rag = excluded.rag""",
            [{"comply": None, "evidence": "", "commentary": "", "rag": None, **r} for r in rows])

    # --- improvement actions -------------------------------------------

    def improvement_action_rows(self, assessment_id: int) -> list[dict]:
        return self._sa_rows(
            """SELECT a.*, (SELECT later.assessment_id FROM improvement_actions later
                            WHERE later.carried_from = a.id ORDER BY later.id LIMIT 1) AS carried_to
               FROM improvement_actions a WHERE a.assessment_id = ?
               ORDER BY a.due IS NULL, a.due, a.id""", (int(assessment_id),))

    def improvement_action_row(self, action_id: int) -> dict | None:
        rows = self._sa_rows(
            """SELECT a.*, (SELECT later.assessment_id FROM improvement_actions later
                            WHERE later.carried_from = a.id ORDER BY later.id LIMIT 1) AS carried_to
               FROM improvement_actions a WHERE a.id = ?""", (int(action_id),))
        return rows[0] if rows else None

    def insert_improvement_action(self, row: dict) -> int:
        cols = _columns(row, _ACTION_COLUMNS)
        cursor = self.conn.execute(
            f"INSERT INTO improvement_actions ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols])
        return cursor.lastrowid

    def update_improvement_action(self, action_id: int, fields: dict) -> None:
        cols = _columns(fields, _ACTION_COLUMNS)
        if cols:
            self.conn.execute(f"UPDATE improvement_actions SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
                              [fields[c] for c in cols] + [int(action_id)])

    def delete_improvement_action(self, action_id: int) -> None:
        self.conn.execute("DELETE FROM improvement_actions WHERE id = ?", (int(action_id),))

    def overdue_improvement_action_rows(self, today: str) -> list[dict]:
        """Open improvement actions due before ``today`` that were not carried into a later assessment."""
        return self._sa_rows(
            """SELECT a.*, s.year, s.kind, s.title FROM improvement_actions a
               JOIN assessments s ON s.id = a.assessment_id
               WHERE a.done IS NULL AND a.due IS NOT NULL AND a.due < ?
                 AND NOT EXISTS (SELECT 1 FROM improvement_actions later WHERE later.carried_from = a.id)
               ORDER BY a.due, a.id""", (today,))

    # --- versions ------------------------------------------------------

    def assessment_version_rows(self, assessment_id: int) -> list[dict]:
        return self._sa_rows(
            """SELECT id, assessment_id, on_date, changes, "by" AS by, approved_by, approved_on
               FROM assessment_versions WHERE assessment_id = ? ORDER BY on_date, id""", (int(assessment_id),))

    def insert_assessment_version(self, row: dict) -> int:
        cols = _columns(row, _VERSION_COLUMNS)
        quoted = ", ".join(f'"{c}"' for c in cols)
        cursor = self.conn.execute(
            f"INSERT INTO assessment_versions ({quoted}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols])
        return cursor.lastrowid

    # --- a year's records, for the evidence drawn from them -----------

    def year_stage_rows(self, start: str, end: str) -> list[dict]:
        """Every stage received or responded to between start and end (ISO, inclusive), with what the figures
        need: the case's refusal or withdrawal, the stage's total extension and the stage 1 handler."""
        return self._sa_rows(
            """SELECT s.case_id, c.reference, s.stage, s.received, s.acknowledged, s.responded, s.decision,
                      s.handler, s1.handler AS stage1_handler, c.status, c.refused_on, c.refusal_reason,
                      c.withdrawn_on,
                      COALESCE((SELECT SUM(e.working_days) FROM extensions e
                                WHERE e.case_id = s.case_id AND e.stage = s.stage), 0) AS extension_working_days,
                      (SELECT COUNT(*) FROM extensions e
                       WHERE e.case_id = s.case_id AND e.stage = s.stage) AS extensions,
                      COALESCE((SELECT MAX(e.good_reason) FROM extensions e
                                WHERE e.case_id = s.case_id AND e.stage = s.stage), 0) AS good_reason
               FROM stages s JOIN cases c ON c.id = s.case_id
               LEFT JOIN stages s1 ON s1.case_id = s.case_id AND s1.stage = 1
               WHERE s.received BETWEEN :start AND :end OR s.responded BETWEEN :start AND :end
               ORDER BY s.received, s.case_id, s.stage""",
            {"start": start, "end": end})
