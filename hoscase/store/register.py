"""Quick id queries for the case register as the officer types (the desktop app's search-as-you-type).

``register_ids_quick`` returns exactly what ``register_ids`` returns, faster in the common cases:
without a stage or handler filter or sort it needs no join to the stages table (every case has its
stage 1 row), and a typed reference ("C-2026-00") is looked up on the reference index instead of
the full-text index, where its one-letter prefix would match every case.
"""

from __future__ import annotations

import re
from typing import Any

from hoscase.store.cases import SORTABLE, fts_query

_REFERENCE = re.compile(r"[A-Za-z]{1,6}-(?:\d{1,4}(?:-\d{0,6})?)?")
_NEEDS_STAGE = {"handler", "stage"}


# Sort keys with an index whose order is (key, id): a first screenful can be read in display order by walking
# the index and stopping early, instead of sorting every match.
_INDEXED_SORTS = {"received", "reference", "status"}
FULL_UNDER = 3000  # fewer matches than this: the whole sorted id list is cheaper than counting and windowing


class RegisterQueries:
    conn: Any

    def _quick_where(self, filters: dict, steer: bool = False) -> tuple[str, list]:
        """The WHERE clause over ``cases c`` alone. ``steer`` writes the search and status terms with a unary
        plus so SQLite cannot use their indexes and walks the sort column's index instead (the first rows of a
        search matching most of the register are then found at once, where sorting every match is 60 ms)."""
        plus = "+" if steer else ""
        clauses, params = [], []
        search = (filters.get("search") or "").strip()
        if search and _REFERENCE.fullmatch(search):
            low = search.upper()
            high = low[:-1] + chr(ord(low[-1]) + 1)
            clauses.append(f"{plus}c.reference >= ? AND {plus}c.reference < ?")
            params.extend([low, high])
        elif search:
            query = fts_query(search)
            if query:
                clauses.append(f"{plus}c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)")
                params.append(query)
        for key in ("status", "category"):
            if filters.get(key):
                clauses.append(f"{plus if key == 'status' else ''}c.{key} = ?")
                params.append(filters[key])
        if filters.get("year"):
            clauses.append("c.received >= ? AND c.received < ?")
            params.extend(self._year_bounds(filters["year"]))  # type: ignore[attr-defined]
        if filters.get("ids") is not None:
            ids = list(filters["ids"])
            clauses.append(f"c.id IN ({','.join('?' * len(ids)) or 'NULL'})")
            params.extend(ids)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def register_ids_quick(self, filters: dict, sort: str = "received", descending: bool = True) -> list[int]:
        if any(filters.get(key) for key in _NEEDS_STAGE) or sort in _NEEDS_STAGE:
            return self.register_ids(filters, sort, descending)  # type: ignore[attr-defined]
        search = (filters.get("search") or "").strip()
        where, params = self._quick_where(filters)
        order = SORTABLE.get(sort, "c.received")
        direction = "DESC" if descending else "ASC"
        sql = f"SELECT c.id FROM cases c{where} ORDER BY {order} {direction}, c.id {direction}"
        found = [row[0] for row in self.conn.execute(sql, params)]
        if not found and search and _REFERENCE.fullmatch(search):
            return self.register_ids(filters, sort, descending)  # type: ignore[attr-defined]
        return found

    def register_window(self, filters: dict, sort: str = "received", descending: bool = True,
                        limit: int = 400) -> tuple[list[int], int]:
        """The first ``limit`` or more ids of ``register_ids_quick`` and how many there are in all.

        For search as you type: a keystroke needs the first screenful and the count, not 100,000 sorted ids.
        When the ids returned are fewer than the count, ``register_ids_quick`` gives the rest (when the
        officer scrolls past them). Small results come whole."""
        if any(filters.get(key) for key in _NEEDS_STAGE) or sort in _NEEDS_STAGE:
            ids = self.register_ids(filters, sort, descending)  # type: ignore[attr-defined]
            return ids, len(ids)
        where, params = self._quick_where(filters)
        search = (filters.get("search") or "").strip()
        words = bool(search) and not _REFERENCE.fullmatch(search)
        if words and not any(filters.get(key) for key in ("status", "category", "year", "ids")):
            # Only words typed: the full-text index counts them itself (1 ms, where reading each case is 15 ms).
            query = fts_query(search)
            total = self.conn.execute("SELECT COUNT(*) FROM cases_fts WHERE cases_fts MATCH ?",
                                      (query,)).fetchone()[0] if query else self.count_cases()  # type: ignore[attr-defined]
        else:
            total = self.conn.execute(f"SELECT COUNT(*) FROM cases c{where}", params).fetchone()[0]
        if total < max(FULL_UNDER, limit):
            ids = self.register_ids_quick(filters, sort, descending)
            return ids, len(ids)
        # Walking the sort index pays off when matches are spread through it: words are, and so is anything
        # matching most cases; a reference prefix or a status matching fewer is found faster on its own index.
        if sort in _INDEXED_SORTS and (words or total * 2 > self.count_cases()):  # type: ignore[attr-defined]
            where, params = self._quick_where(filters, steer=True)
        order = SORTABLE.get(sort, "c.received")
        direction = "DESC" if descending else "ASC"
        sql = f"SELECT c.id FROM cases c{where} ORDER BY {order} {direction}, c.id {direction} LIMIT ?"
        return [row[0] for row in self.conn.execute(sql, [*params, limit])], total

    def oldest_received(self) -> str | None:
        """The earliest date a case was received (ISO), or None for an empty register."""
        return self.conn.execute("SELECT MIN(received) FROM cases").fetchone()[0]
