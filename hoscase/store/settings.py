"""Settings, handlers, categories and closure days."""

from __future__ import annotations

import json
from typing import Any


class SettingsQueries:
    db: Any
    conn: Any

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def all_settings(self) -> dict[str, Any]:
        return {key: json.loads(value) for key, value in self.conn.execute("SELECT key, value FROM settings")}

    def put_setting(self, key: str, value: Any) -> None:
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def handlers(self, active_only: bool = True) -> list[dict]:
        sql = "SELECT id, name, role, active FROM handlers"
        if active_only:
            sql += " WHERE active = 1"
        return [dict(zip(("id", "name", "role", "active"), row)) for row in self.conn.execute(sql + " ORDER BY name")]

    def put_handler(self, name: str, role: str = "Complaints officer", active: bool = True) -> None:
        self.conn.execute(
            "INSERT INTO handlers(name, role, active) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET role = excluded.role, active = excluded.active",
            (name, role, int(active)),
        )

    def categories(self, active_only: bool = True) -> list[str]:
        sql = "SELECT name FROM categories" + (" WHERE active = 1" if active_only else "") + " ORDER BY name"
        return [row[0] for row in self.conn.execute(sql)]

    def put_category(self, name: str, active: bool = True) -> None:
        self.conn.execute(
            "INSERT INTO categories(name, active) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET active = excluded.active",
            (name, int(active)),
        )

    def closure_days(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT day, name FROM closure_days ORDER BY day"))

    def put_closure_day(self, day: str, name: str) -> None:
        self.conn.execute(
            "INSERT INTO closure_days(day, name) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET name = excluded.name",
            (day, name),
        )

    def delete_closure_day(self, day: str) -> None:
        self.conn.execute("DELETE FROM closure_days WHERE day = ?", (day,))
