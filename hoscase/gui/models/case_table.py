"""The case register as a Qt table model that reads the store a page at a time.

The model holds only the ordered case ids (one integer a row). A search or filter reads the
count and the first FIRST_ROWS ids (a keystroke must not wait for 100,000 sorted ids); the rest
are read the first time a row beyond them is asked for. Display rows are fetched in pages of PAGE_SIZE as the view asks for them and kept in
a small LRU cache, so 100,000 cases scroll and filter without delay. Due dates are
worked out for the fetched rows only.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from hoscase.cases import STATUS_LABELS
from hoscase.gui.format import uk_date
from hoscase.rules import stage_deadlines
from hoscase.store.cases import OPEN_STATUSES

PAGE_SIZE = 100  # about four screenfuls: a search's first page is read and worked out in 2–3 ms
FIRST_ROWS = 400  # ids read with the count on each search; more than a tall screen shows
CACHE_PAGES = 80  # at most 8,000 display rows in memory

# (heading, key, SQL sort key or None when the column cannot be sorted by the database)
COLUMNS = [
    ("Reference", "reference", "reference"),
    ("Resident", "resident_name", "resident_name"),
    ("Address", "address", None),
    ("Category", "category", "category"),
    ("Stage", "stage", "stage"),
    ("Status", "status", "status"),
    ("Handler", "handler", "handler"),
    ("Received", "received", "received"),
    ("Next step", "next_step", None),
    ("Due", "due", None),
]
COLUMN_INDEX = {key: i for i, (_, key, _) in enumerate(COLUMNS)}
OVERDUE_COLOUR = QColor("#a4262c")
REFERENCE_ROLE = Qt.UserRole + 1
OVERDUE_ROLE = Qt.UserRole + 2
# Roles as plain ints: data() runs for every visible cell on every paint, and Qt enum comparisons are slow.
_DISPLAY = int(Qt.DisplayRole.value)
_ACCESSIBLE = int(Qt.AccessibleTextRole.value)
_TOOLTIP = int(Qt.ToolTipRole.value)
_FOREGROUND = int(Qt.ForegroundRole.value)
_FONT = int(Qt.FontRole.value)
_DECORATION = int(Qt.DecorationRole.value)
_REFERENCE = int(REFERENCE_ROLE)
_OVERDUE = int(OVERDUE_ROLE)
_ROLES = frozenset((_DISPLAY, _ACCESSIBLE, _TOOLTIP, _FOREGROUND, _FONT, _DECORATION, _REFERENCE, _OVERDUE))
_KEYS = [key for _, key, _ in COLUMNS]
_DUE_COLUMN = _KEYS.index("due")


def _short_status(status: str) -> str:
    """The status without its "Stage 1: " prefix, which the Stage column already shows."""
    label = STATUS_LABELS.get(status, status)
    head, _, tail = label.partition(": ")
    return tail[:1].upper() + tail[1:] if tail and head.startswith("Stage") else label


class CaseTableModel(QAbstractTableModel):
    """Rows of the register; ``set_filters`` and ``sort`` re-query the ids, never the rows."""

    reloaded = Signal()

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filters: dict[str, Any] = {}
        self.sort_key = "received"
        self.descending = True
        self._ids: list[int] = []
        self._total = 0  # rows in all; more than len(self._ids) until the rest of the ids are read
        self._reload_due = False
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self.cache_pages = CACHE_PAGES
        self.rows_fetched = 0  # display rows read from the store since the model was made (for tests and bench)
        self._loaded = False
        self._warning_icon = None
        self._overdue_brush = QBrush(OVERDUE_COLOUR)
        self._bold = QFont()
        self._bold.setBold(True)

    # --- loading -------------------------------------------------------

    def reload(self) -> None:
        """Re-run the id query with the current filters and sort; rows are fetched again as needed."""
        window = getattr(self.ctx.store, "register_window", None)
        if window is not None:
            ids, total = window(self.filters, self.sort_key, self.descending, FIRST_ROWS)
        else:
            ids = self.ctx.store.register_ids_quick(self.filters, self.sort_key, self.descending)
            total = len(ids)
        self.beginResetModel()
        self._ids, self._total = ids, total
        self._reload_due = False
        self._pages.clear()
        self._loaded = True
        self.endResetModel()
        self.reloaded.emit()

    @property
    def ids(self) -> list[int]:
        """Every matching case id in display order (reading the rest of them if only the first are held)."""
        self._complete()
        return self._ids

    @property
    def complete(self) -> bool:
        """Whether every id is held (a search shows its first rows before reading the rest)."""
        return len(self._ids) >= self._total

    def _complete(self) -> None:
        if len(self._ids) >= self._total or self._reload_due:
            return
        ids = self.ctx.store.register_ids_quick(self.filters, self.sort_key, self.descending)
        if ids[:len(self._ids)] != self._ids or len(ids) != self._total:
            # Changed since the first rows were read (a save elsewhere): show what is there now and
            # start again outside this paint; rows past the end show blank until then.
            self._pages.clear()
            self._reload_due = True
            QTimer.singleShot(0, self.reload)
        self._ids = ids

    def set_filters(self, filters: dict[str, Any]) -> None:
        self.filters = {k: v for k, v in filters.items() if v not in (None, "")}
        self.reload()

    def refresh_rows(self) -> None:
        """Cases changed: keep the order query fresh and drop cached rows."""
        self.reload()

    def _page(self, number: int) -> list[dict]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if (number + 1) * PAGE_SIZE > len(self._ids):
            self._complete()
        chunk = self._ids[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
        rows = self.ctx.store.register_rows(chunk)
        self.rows_fetched += len(rows)
        by_id = {row["id"]: row for row in rows}
        today, calendar = self.ctx.today, self.ctx.service.calendar  # once a page, not once a row
        page = [self._display(by_id.get(case_id), today, calendar) for case_id in chunk]
        self._pages[number] = page
        while len(self._pages) > self.cache_pages:
            self._pages.popitem(last=False)
        return page

    def _display(self, row: dict | None, today: dt.date | None = None, calendar=None) -> dict:
        """The shown values of one row, with its next step worked out from the recorded dates."""
        if row is None:  # deleted since the ids were read
            return {key: "" for _, key, _ in COLUMNS} | {"overdue": False, "due_date": None}
        today = today or self.ctx.today
        out = {
            "reference": row["reference"],
            "resident_name": row["resident_name"],
            "address": " ".join(str(row["address"]).split()),
            "category": row["category"],
            "stage": str(row["stage"]),
            "status": _short_status(row["status"]),
            "handler": row["handler"],
            "received": uk_date(row["received"]),
            "next_step": "",
            "due": "",
            "due_date": None,
            "overdue": False,
        }
        if row["status"] in OPEN_STATUSES:
            received = dt.date.fromisoformat(row["stage_received"])
            acknowledged = dt.date.fromisoformat(row["acknowledged"]) if row["acknowledged"] else None
            d = stage_deadlines(calendar or self.ctx.service.calendar, row["stage"], received, acknowledged,
                                row["extension_working_days"] or 0)
            step, due = ("Respond", d.respond_due) if acknowledged else ("Acknowledge", d.acknowledge_due)
            out["next_step"] = step
            out["due_date"] = due
            out["overdue"] = due < today
            out["due"] = f"Overdue · {uk_date(due)}" if due < today else uk_date(due)
        return out

    def row_values(self, row: int) -> dict:
        if row >= len(self._ids):
            self._complete()
            if row >= len(self._ids):
                return self._display(None)
        return self._page(row // PAGE_SIZE)[row % PAGE_SIZE]

    def reference_at(self, row: int) -> str:
        return self.row_values(row)["reference"]

    def row_of_reference(self, reference: str) -> int:
        """The row showing ``reference`` among the rows already fetched, or -1."""
        for number, page in self._pages.items():
            for i, values in enumerate(page):
                if values["reference"] == reference:
                    return number * PAGE_SIZE + i
        return -1

    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    # --- Qt model ------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][0]
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and COLUMNS[section][2] is None:
            return f"{COLUMNS[section][0]} (worked out from the recorded dates; sort by another column)"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        role = role if type(role) is int else int(role.value)
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if row >= self._total:
            return None
        page = self._pages.get(row // PAGE_SIZE)
        values = page[row % PAGE_SIZE] if page is not None else self.row_values(row)
        column = index.column()
        if role == _DISPLAY or role == _ACCESSIBLE:
            return values[_KEYS[column]]
        if role == _REFERENCE:
            return values["reference"]
        if role == _OVERDUE:
            return values["overdue"]
        overdue = values["overdue"] and column == _DUE_COLUMN
        if role == _TOOLTIP:
            if _KEYS[column] == "address":
                return values["address"]
            if overdue:
                days = self.ctx.service.calendar.between(values["due_date"], self.ctx.today)
                return f"{values['next_step']} was due {uk_date(values['due_date'])}: {days} working days overdue"
            return None
        if not overdue:
            return None
        if role == _FOREGROUND:
            return self._overdue_brush
        if role == _FONT:
            return self._bold
        if role == _DECORATION:
            if self._warning_icon is None:
                self._warning_icon = QApplication.style().standardIcon(QStyle.SP_MessageBoxWarning)
            return self._warning_icon
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        key = COLUMNS[column][2]
        if key is None:
            return  # due dates are derived, not stored: the database cannot order by them
        descending = order == Qt.DescendingOrder
        if key == self.sort_key and descending == self.descending and self._loaded:
            return
        self.sort_key, self.descending = key, descending
        self.reload()

    def sort_column(self) -> int:
        for i, (_, _, key) in enumerate(COLUMNS):
            if key == self.sort_key:
                return i
        return COLUMN_INDEX["received"]
