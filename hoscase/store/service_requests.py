"""SQL for service requests: recorded apart from complaints (Code 1.4), linked to one when raised (1.5)."""

from __future__ import annotations

from typing import Any

SERVICE_REQUEST_STATUSES = ("open", "done", "raised")


class ServiceRequestQueries:
    db: Any
    conn: Any

    def _sr_rows(self, sql: str, params: tuple = ()) -> list[dict]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def next_service_request_reference(self, year: int) -> str:
        row = self.conn.execute(
            "SELECT reference FROM service_requests WHERE reference LIKE ? "
            "ORDER BY length(reference) DESC, reference DESC LIMIT 1",
            (f"SR-{int(year)}-%",),
        ).fetchone()
        tail = row[0].rsplit("-", 1)[-1] if row else ""
        number = int(tail) + 1 if tail.isdigit() else 1
        return f"SR-{int(year)}-{number:04d}"

    def service_request_reference_exists(self, reference: str) -> bool:
        sql = "SELECT 1 FROM service_requests WHERE reference = ? COLLATE NOCASE"
        return self.conn.execute(sql, (reference,)).fetchone() is not None

    def insert_service_request(self, row: dict) -> int:
        return self.db["service_requests"].insert(row).last_pk

    def update_service_request(self, request_id: int, fields: dict) -> None:
        self.db["service_requests"].update(request_id, fields)

    _SELECT = """SELECT r.*, c.reference AS case_reference FROM service_requests r
                 LEFT JOIN cases c ON c.id = r.case_id"""

    def service_request_row(self, reference: str) -> dict | None:
        rows = self._sr_rows(f"{self._SELECT} WHERE r.reference = ? COLLATE NOCASE", (reference,))
        return rows[0] if rows else None

    def service_request_rows(self, status: str | None = None) -> list[dict]:
        """Newest first; ``status`` one of open, done, raised, or None for all."""
        where, params = "", ()
        if status:
            where, params = " WHERE r.status = ?", (status,)
        return self._sr_rows(f"{self._SELECT}{where} ORDER BY r.received DESC, r.id DESC", params)
