"""SQL for the annual and quarterly reports: one bulk query per table for a period, and the report narratives."""

from __future__ import annotations

from typing import Any

REPORT_STAGE_COLUMNS = ("case_id", "stage", "received", "acknowledged", "responded", "decision", "category",
                        "channel", "refused_on")
NARRATIVE_SECTIONS = ("introduction", "themes", "learning", "governing_body_response")

# Stages that belong to a period: requested (received) in it, or responded to in it.
_PERIOD_STAGES = "SELECT case_id FROM stages WHERE received BETWEEN :start AND :end OR responded BETWEEN :start AND :end"


class ReportQueries:
    db: Any
    conn: Any

    def _report_rows(self, sql: str, params: dict) -> list[dict]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def report_stage_rows(self, start: str, end: str) -> list[tuple]:
        """Every stage received or responded to between start and end (ISO dates, inclusive), with the case's
        category, channel and refusal date, as tuples in the order of REPORT_STAGE_COLUMNS (50,000 a year)."""
        return self.conn.execute(
            """SELECT s.case_id, s.stage, s.received, s.acknowledged, s.responded, s.decision,
                      c.category, c.channel, c.refused_on
               FROM stages s JOIN cases c ON c.id = s.case_id
               WHERE s.received BETWEEN :start AND :end OR s.responded BETWEEN :start AND :end""",
            {"start": start, "end": end},
        ).fetchall()

    def report_case_rows(self, start: str, end: str) -> list[dict]:
        """The cases with more to report than their stages: refused, withdrawn or with the Ombudsman in the
        period, or with learning recorded on a case whose stages fall in it."""
        return self._report_rows(
            f"""SELECT id, reference, category, status, refused_on, refusal_reason, withdrawn_on, learning,
                       ombudsman_referred_on, ombudsman_determined_on, ombudsman_finding, ombudsman_orders,
                       ombudsman_orders_due, ombudsman_orders_complied_on
                FROM cases
                WHERE refused_on BETWEEN :start AND :end
                   OR withdrawn_on BETWEEN :start AND :end
                   OR ombudsman_referred_on BETWEEN :start AND :end
                   OR ombudsman_determined_on BETWEEN :start AND :end
                   OR ombudsman_orders_due BETWEEN :start AND :end
                   OR ombudsman_orders_complied_on BETWEEN :start AND :end
                   OR (learning != '' AND id IN ({_PERIOD_STAGES}))""",
            {"start": start, "end": end},
        )

    def report_extension_rows(self, start: str, end: str) -> list[dict]:
        """Total extension per stage for the period's stages."""
        return self._report_rows(
            f"""SELECT case_id, stage, SUM(working_days) AS working_days, COUNT(*) AS count,
                       MAX(good_reason) AS good_reason
                FROM extensions WHERE case_id IN ({_PERIOD_STAGES}) GROUP BY case_id, stage""",
            {"start": start, "end": end},
        )

    def report_remedy_rows(self, start: str, end: str) -> list[dict]:
        """Remedies offered in the period: those of stages responded to in it."""
        return self._report_rows(
            """SELECT r.case_id, r.stage, r.kind, r.amount_pence, r.due, r.done FROM remedies r
               JOIN stages s ON s.case_id = r.case_id AND s.stage = r.stage
               WHERE s.responded BETWEEN :start AND :end""",
            {"start": start, "end": end},
        )

    def report_action_rows(self, start: str, end: str) -> list[dict]:
        """Actions promised in the period (stages responded to in it), with whether they are done."""
        return self._report_rows(
            """SELECT a.case_id, a.stage, a.due, a.done FROM actions a
               JOIN stages s ON s.case_id = a.case_id AND s.stage = a.stage
               WHERE s.responded BETWEEN :start AND :end""",
            {"start": start, "end": end},
        )

    def earliest_received(self) -> str | None:
        """The first date any complaint was received, so the year picker starts there."""
        return self.conn.execute("SELECT MIN(received) FROM cases").fetchone()[0]

    # --- narratives ----------------------------------------------------

    def report_narratives(self, year: int) -> dict[str, str]:
        found = dict(self.conn.execute("SELECT section, text FROM report_narratives WHERE year = ?", (int(year),)))
        return {section: found.get(section, "") for section in NARRATIVE_SECTIONS}

    def put_report_narrative(self, year: int, section: str, text: str, updated_at: str) -> None:
        self.conn.execute(
            "INSERT INTO report_narratives(year, section, text, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(year, section) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            (int(year), section, text, updated_at),
        )
