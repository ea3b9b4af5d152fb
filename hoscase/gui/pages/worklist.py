"""The work list, the start page: what needs doing today, most pressing first."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from hoscase.gui.format import as_date, plural, uk_date, uk_date_long
from hoscase.rules import REMEDY_KINDS

HORIZON_WORKING_DAYS = 5
SUBMISSION_NOTICE_DAYS = 90  # the annual submission shows on the work list from this many days before it is due
OVERDUE_COLOUR = QColor("#a4262c")
GROUPS = (
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("soon", f"Due in the next {HORIZON_WORKING_DAYS} working days"),
    ("actions", "Outstanding actions overdue or coming due"),
    ("adjustments", "Reasonable adjustments due for review"),
    ("ombudsman", "Housing Ombudsman orders to comply with"),
    ("improvement", "Self-assessment improvement actions overdue"),
)
COLUMNS = ("What is due", "Reference", "Resident", "Due", "Overdue by", "Handler", "Detail")
GROUP_BACKGROUND = QColor("#e6ebf1")
REFERENCE_ROLE = Qt.UserRole + 1
PAGE_ROLE = Qt.UserRole + 2  # rows that open a page rather than a case (the self-assessment's action plan)


class _Tree(QTreeWidget):
    """A tree where Enter opens the case, as double-click does."""

    activated_row = Signal(QTreeWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentItem() is not None:
            self.activated_row.emit(self.currentItem())
            return
        super().keyPressEvent(event)


class WorkListPage(QWidget):
    """Grouped rows of what is due; double-click or Enter opens the case."""

    refreshed_when_made = True  # __init__ fills it, so the main window does not refresh it again at once

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: dict[str, list[dict]] = {key: [] for key, _ in GROUPS}
        self.deadlines_read: tuple | None = None  # (store, change stamp, today, open deadlines) of the last collect
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        self.title = QLabel("Work list")
        self.title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("pageSummary")
        self.summary.setWordWrap(True)
        self.submission = QLabel()
        self.submission.setObjectName("submissionReminder")
        self.submission.setWordWrap(True)
        self.submission.setAccessibleName("Annual submission to the Housing Ombudsman")
        self.submission.hide()
        self.tree = _Tree()
        self.tree.setObjectName("workList")
        self.tree.setAccessibleName("Work list: what needs doing")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QTreeWidget.SelectRows)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column, width in enumerate((190, 120, 180, 115, 150, 120, 200)):
            self.tree.setColumnWidth(column, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.Stretch)
        self.empty = QLabel("Nothing needs doing today. Every open complaint is within its timescale.")
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.hide()
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.submission)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        self.tree.itemDoubleClicked.connect(self._on_item_activated)
        self.tree.activated_row.connect(self._on_item_activated)
        self.setFocusProxy(self.tree)
        self.refresh()

    # --- data ----------------------------------------------------------

    def collect(self) -> dict[str, list[dict]]:
        """What is due, grouped; each row has what, reference, resident, due, handler."""
        today = self.ctx.today
        calendar = self.ctx.service.calendar
        horizon = calendar.add(today, HORIZON_WORKING_DAYS)
        groups: dict[str, list[dict]] = {key: [] for key, _ in GROUPS}
        store = self.ctx.store
        stamp = store.change_stamp()
        deadlines = self.ctx.service.open_deadlines()
        self.deadlines_read = (store, stamp, today, deadlines)  # the status bar's counts reuse them: open_deadlines
        for row in deadlines:
            due = row["due"]
            if due > horizon:
                continue
            key = "overdue" if due < today else "today" if due == today else "soon"
            groups[key].append({"what": f"{row['action'].capitalize()} (stage {row['stage']})",
                                "reference": row["reference"], "resident": row["resident_name"], "due": due,
                                "handler": row["handler"], "detail": row["category"]})
        for row in self.ctx.store.open_action_rows():
            due = as_date(row["due"])
            if due is None or due > horizon:
                continue
            groups["actions"].append({"what": "Follow up action", "reference": row["reference"],
                                      "resident": row["resident_name"], "due": due, "handler": row.get("owner", ""),
                                      "detail": row["description"]})
        for row in self.ctx.store.open_remedy_rows():  # remedies promised by a date (Code 7.3)
            due = as_date(row["due"])
            if due is None or due > horizon:
                continue
            kind = REMEDY_KINDS.get(row["kind"], row["kind"])
            groups["actions"].append({"what": "Carry out remedy", "reference": row["reference"],
                                      "resident": row["resident_name"], "due": due, "handler": "",
                                      "detail": f"{kind}: {row['description']}" if row["description"] else kind})
        for row in self.ctx.store.adjustment_review_rows():
            due = as_date(row["adjustments_review"])
            if due is None or due > horizon:
                continue
            groups["adjustments"].append({"what": "Review adjustments", "reference": row["reference"],
                                          "resident": row["resident_name"], "due": due, "handler": "",
                                          "detail": "Reasonable adjustments and contact arrangements"})
        for row in self.ctx.store.ombudsman_order_rows():
            due = as_date(row["ombudsman_orders_due"])
            if due is None or due > horizon:
                continue
            groups["ombudsman"].append({"what": "Comply with Ombudsman orders", "reference": row["reference"],
                                        "resident": row["resident_name"], "due": due, "handler": "",
                                        "detail": row["ombudsman_orders"] or "Orders from the determination"})
        improvement = []
        if self.ctx.store.overdue_improvement_action_rows(today.isoformat()):  # the module costs a launch 17 ms
            from hoscase.selfassessment import overdue_improvement_actions

            improvement = overdue_improvement_actions(self.ctx.store, today)
        for row in improvement:
            groups["improvement"].append({"what": "Improvement action", "reference": f"Provision {row['provision']}",
                                          "resident": row["assessment"], "due": as_date(row["due"]),
                                          "handler": row["owner"] or "", "detail": row["action"],
                                          "page": "selfassessment"})
        for rows in groups.values():
            rows.sort(key=lambda r: (r["due"], r["reference"]))
        return groups

    def refresh(self) -> None:
        today = self.ctx.today
        calendar = self.ctx.service.calendar
        self.rows = self.collect()
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        overdue_brush, group_brush = QBrush(OVERDUE_COLOUR), QBrush(GROUP_BACKGROUND)
        first_row = None
        for key, label in GROUPS:
            rows = self.rows[key]
            if not rows:
                continue
            group = QTreeWidgetItem(self.tree, [f"{label} ({len(rows)})"])
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemIsEnabled)
            group.setData(0, Qt.UserRole, key)
            for column in range(len(COLUMNS)):
                group.setBackground(column, group_brush)
            for row in rows:
                due: dt.date = row["due"]
                late = due < today
                working = calendar.between(due, today) if late else 0
                # Past its date but no working day lost yet (due Friday, today Sunday): still say so in words.
                overdue = (plural(working, "working day") if working else "Overdue") if late else ""
                item = QTreeWidgetItem(group, [row["what"], row["reference"], row["resident"], uk_date(due), overdue,
                                               row["handler"], row["detail"]])
                if row.get("page"):
                    item.setData(0, PAGE_ROLE, row["page"])
                else:
                    item.setData(0, REFERENCE_ROLE, row["reference"])
                item.setToolTip(len(COLUMNS) - 1, row["detail"])
                if late:
                    for column in (3, 4):
                        item.setForeground(column, overdue_brush)
                        item.setFont(column, bold)
                if first_row is None:
                    first_row = item
            group.setExpanded(True)
        counts = {key: len(rows) for key, rows in self.rows.items()}
        any_rows = any(counts.values())
        self.tree.setVisible(any_rows)
        self.empty.setVisible(not any_rows)
        self.summary.setText(
            f"{uk_date_long(today)}.  {counts['overdue']} overdue, {counts['today']} due today, "
            f"{counts['soon']} due in the next {HORIZON_WORKING_DAYS} working days; "
            f"{plural(counts['actions'], 'action')} and {plural(counts['adjustments'], 'adjustment review')} coming due"
            + (f"; {plural(counts['ombudsman'], 'case')} with Ombudsman orders due" if counts["ombudsman"] else "")
            + (f"; {plural(counts['improvement'], 'self-assessment improvement action')} overdue"
               if counts["improvement"] else "") + "."
        )
        self._show_submission(today)
        if first_row is not None and self.tree.currentItem() is None:
            self.tree.setCurrentItem(first_row)

    def _show_submission(self, today: dt.date) -> None:
        """The annual report and self-assessment go to the Ombudsman by a fixed date: say so as it comes."""
        from hoscase.reports.submission import submission_due

        due, text = submission_due(self.ctx.store, today)
        coming = (due - today).days <= SUBMISSION_NOTICE_DAYS
        self.submission.setText(text if coming else "")
        self.submission.setVisible(coming)

    def open_deadlines(self) -> list[dict] | None:
        """The open deadlines this page last read, if nothing was written and the day has not changed since."""
        read, store = self.deadlines_read, self.ctx.store
        if read is None or read[0] is not store or read[2] != self.ctx.today or read[1] != store.change_stamp():
            return None
        return read[3]

    def references(self, group: str) -> list[str]:
        return [row["reference"] for row in self.rows.get(group, [])]

    def select_reference(self, reference: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                if item.data(0, REFERENCE_ROLE) == reference:
                    self.tree.setCurrentItem(item)
                    self.tree.scrollToItem(item)
                    return

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        reference = item.data(0, REFERENCE_ROLE)
        if reference:
            self.ctx.case_opened.emit(reference)
            return
        page = item.data(0, PAGE_ROLE)
        if page:
            self.ctx.page_requested.emit(page)
