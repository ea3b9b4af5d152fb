"""SQL for importing cases from a spreadsheet in bulk and exporting every case: one statement per table."""

from __future__ import annotations

from typing import Any

FTS_BULK_FROM = 2000  # imports this big rebuild the search index once instead of row by row

# The columns an import may write, per table (never names from the spreadsheet).
_IMPORT_TABLES = {
    "cases": {"id", "reference", "resident_name", "address", "channel", "category", "received", "definition",
              "status", "refused_on", "refusal_reason", "refusal_explanation", "closed_on", "withdrawn_on",
              "withdrawn_reason", "created_at", "updated_at"},
    "stages": {"case_id", "stage", "received", "handler", "definition", "acknowledged", "responded", "decision",
               "reasons", "update_interval"},
    "extensions": {"case_id", "stage", "agreed_on", "working_days", "reason", "good_reason"},
    "remedies": {"case_id", "stage", "kind", "description", "amount_pence", "due", "done"},
    "history": {"at", "who", "case_id", "entity", "action", "field", "old", "new"},
}


class TransferQueries:
    db: Any
    conn: Any

    def existing_references(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT reference FROM cases")]

    def max_case_id(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM cases").fetchone()[0]

    def insert_imported(self, cases: list[dict], stages: list[dict], extensions: list[dict],
                        remedies: list[dict], history: list[dict]) -> None:
        """Write a whole import; call inside ``transaction()`` so it lands entirely or not at all.

        Plain executemany: each table's rows share one set of keys, and 50,000 cases must go in within seconds.
        """
        trigger = self._fts_insert_trigger() if len(cases) >= FTS_BULK_FROM else None
        if trigger:
            # The search index's per-row trigger costs ~150 us a case; one rebuild of the index after a big
            # import costs a fraction of that. The trigger is put back, word for word, in the same transaction.
            self.conn.execute("DROP TRIGGER cases_fts_insert")
        for table, rows in (("cases", cases), ("stages", stages), ("extensions", extensions),
                            ("remedies", remedies), ("history", history)):
            if not rows:
                continue
            columns = list(rows[0])
            if table not in _IMPORT_TABLES or not set(columns) <= _IMPORT_TABLES[table]:
                raise ValueError(f"unexpected columns for {table}: {sorted(set(columns) - _IMPORT_TABLES.get(table, set()))}")
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            self.conn.executemany(sql, ([row[c] for c in columns] for row in rows))
        if trigger:
            self.conn.execute("INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')")
            self.conn.execute(trigger)

    def _fts_insert_trigger(self) -> str | None:
        """The search index's insert trigger, if it only feeds cases_fts (so a rebuild does the same work)."""
        row = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cases_fts_insert'").fetchone()
        if not row or not row[0]:
            return None
        body = row[0].split("BEGIN", 1)[-1]
        statements = [part for part in body.replace("END", "").split(";") if part.strip()]
        if len(statements) != 1 or "INSERT INTO cases_fts" not in statements[0]:
            return None
        return row[0]

    def export_case_rows(self) -> list[dict]:
        return self._transfer_rows(
            """SELECT id, reference, resident_name, address, received, channel, category, definition, refused_on,
                      refusal_reason, closed_on, withdrawn_on FROM cases ORDER BY received, id""")

    def export_stage_rows(self) -> list[dict]:
        return self._transfer_rows(
            "SELECT case_id, stage, received, handler, acknowledged, responded, decision FROM stages")

    def export_extension_totals(self) -> list[dict]:
        return self._transfer_rows(
            "SELECT case_id, stage, SUM(working_days) AS working_days FROM extensions GROUP BY case_id, stage")

    def export_compensation_totals(self) -> list[dict]:
        return self._transfer_rows(
            """SELECT case_id, SUM(amount_pence) AS amount_pence FROM remedies
               WHERE kind = 'compensation' AND amount_pence IS NOT NULL GROUP BY case_id""")

    def _transfer_rows(self, sql: str) -> list[dict]:
        cursor = self.conn.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
