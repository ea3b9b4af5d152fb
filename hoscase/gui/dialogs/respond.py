"""Record the stage response: decision, reasons, remedies and outstanding actions (Code 6.9, 6.19, 7.1)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from hoscase.gui.dialogs.base import CaseActionDialog, available_size
from hoscase.gui.format import plural, uk_date
from hoscase.gui.widgets import OptionalDateEdit, date_edit, date_of
from hoscase.rules import DECISIONS, REMEDY_KINDS


class _RowTable(QWidget):
    """A small table of rows the officer adds and removes, each cell an editor widget."""

    def __init__(self, headings: list[str], make_row, name: str, add_text: str) -> None:
        super().__init__()
        self.make_row = make_row
        self.table = QTableWidget(0, len(headings))
        self.table.setHorizontalHeaderLabels(headings)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAccessibleName(name)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(110)
        self.add_button = QPushButton(add_text)
        self.add_button.setAccessibleName(add_text.rstrip("…"))
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName(f"Remove from {name.lower()}")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)

    def add(self) -> list[QWidget]:
        row = self.table.rowCount()
        self.table.insertRow(row)
        widgets = self.make_row()
        for column, widget in enumerate(widgets):
            self.table.setCellWidget(row, column, widget)
        self.table.setRowHeight(row, max(widget.sizeHint().height() for widget in widgets) + 4)
        widgets[0].setFocus()
        return widgets

    def remove(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)

    def widgets(self, row: int) -> list[QWidget]:
        return [self.table.cellWidget(row, column) for column in range(self.table.columnCount())]

    def rows(self) -> list[list[QWidget]]:
        """The editor widgets of each complete row (a row being added has none yet)."""
        rows = [self.widgets(row) for row in range(self.table.rowCount())]
        return [widgets for widgets in rows if all(w is not None for w in widgets)]


class RespondDialog(CaseActionDialog):
    save_text = "Record response"
    ask_before_discarding = True

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Respond", parent)
        self.setMinimumWidth(min(900, available_size(self).width()))
        self.stage = self.case.current_stage
        self.on = self.add_row("Responded on:", date_edit(ctx.today, latest=ctx.today), "Date of the response")
        self.decision = QComboBox()
        self.decision.addItem("Choose the decision…", "")
        for key, label in DECISIONS.items():
            self.decision.addItem(label, key)
        self.add_row("Decision:", self.decision, "Decision")
        self.reasons = QPlainTextEdit()
        self.reasons.setPlaceholderText("The reasons for the decision on each part of the complaint")
        self.reasons.setMinimumHeight(90)
        self.reasons.setTabChangesFocus(True)
        self.add_row("Reasons:", self.reasons, "Reasons for the decision")
        self.remedies = _RowTable(["Remedy", "Amount (£)", "What will happen", "By (optional)"], self._remedy_row,
                                  "Remedies", "Add remedy…")
        self.remedies.table.setColumnWidth(0, 200)
        self.remedies.table.setColumnWidth(1, 95)
        self.remedies.table.setColumnWidth(3, 215)  # the tick box and a whole date
        self._stretch(self.remedies, 2)
        self.add_row("Remedies:", self.remedies, "Remedies")
        self.actions = _RowTable(["Outstanding action", "Owner", "Due"], self._action_row, "Outstanding actions",
                                 "Add action…")
        self.actions.table.setColumnWidth(1, 150)
        self.actions.table.setColumnWidth(2, 170)
        self._stretch(self.actions, 0)
        self.add_row("Outstanding actions:", self.actions, "Outstanding actions")
        self.on.dateChanged.connect(self.update_preview)
        self.decision.currentIndexChanged.connect(self.update_preview)
        self.remedies.add_button.clicked.connect(self.update_preview)
        self.actions.add_button.clicked.connect(self.update_preview)  # after the row's widgets exist
        self.actions.table.model().rowsRemoved.connect(self.update_preview)
        self.remedies.table.model().rowsRemoved.connect(self.update_preview)
        self.finish_layout()

    @staticmethod
    def _stretch(rows: _RowTable, column: int) -> None:
        """The free-text column takes the spare width, so the date column is never cut off."""
        header = rows.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(column, QHeaderView.Stretch)

    def explain(self, message: str) -> str:
        # The core lists the command line's words for a missing decision; here it is a choice in a list.
        if message.lower().startswith("decision must be one of"):
            return "Decision must be one of: upheld, partly upheld or not upheld; choose it in the Decision list"
        return message

    def _remedy_row(self) -> list[QWidget]:
        kind = QComboBox()
        for key, label in REMEDY_KINDS.items():
            kind.addItem(label, key)
        kind.setAccessibleName("Remedy kind")
        amount = QLineEdit()
        amount.setPlaceholderText("0.00")
        amount.setAccessibleName("Amount in pounds")
        description = QLineEdit()
        description.setAccessibleName("Remedy description")
        due = OptionalDateEdit()
        due.setAccessibleName("Remedy due date")
        due.changed.connect(self.update_preview)
        return [kind, amount, description, due]

    def _action_row(self) -> list[QWidget]:
        description = QLineEdit()
        description.setAccessibleName("Action description")
        owner = QLineEdit(self.stage.handler)
        owner.setAccessibleName("Action owner")
        due = date_edit(self.ctx.today + dt.timedelta(days=14), name="Action due date")
        due.dateChanged.connect(self.update_preview)
        return [description, owner, due]

    def snapshot(self):
        return (self.decision.currentIndex(), self.reasons.toPlainText(), self.remedies.table.rowCount(),
                self.actions.table.rowCount())

    def update_preview(self) -> None:
        stage = self.stage
        day = date_of(self.on)
        timing = (f"on time (due by {uk_date(stage.respond_due)})" if day <= stage.respond_due
                  else f"late: it was due by {uk_date(stage.respond_due)}")
        text = f"This stage {stage.stage} response is {timing}."
        if stage.stage == 1:
            text += " The resident may then ask to escalate to stage 2."
        else:
            text += " This is the final response; the resident may refer the complaint to the Ombudsman."
        actions = [date_of(widgets[2]) for widgets in self.actions.rows()]
        remedies = [widgets[3].value() for widgets in self.remedies.rows() if widgets[3].value()]
        dues = sorted(actions + remedies)
        if dues:
            what = " and ".join(part for part in (plural(len(actions), "outstanding action") if actions else "",
                                                  plural(len(remedies), "dated remedy", "dated remedies")
                                                  if remedies else "") if part)
            verb = "goes" if len(dues) == 1 else "go"
            text += f" {what} {verb} on the work list, the first due {uk_date(dues[0])}."
        if self.decision.currentData() in ("upheld", "partly-upheld") and not self.remedies.table.rowCount():
            # A reminder, not a refusal: an apology or an explanation may be the whole remedy, but it is recorded.
            text += (" Where something has gone wrong the Code (7.1) expects it to be put right: record the remedy, "
                     "even if it is an apology, so the letter and the annual report show it.")
        self.info.setText(text)

    def _save(self):
        remedies = [{"kind": kind.currentData(), "amount": amount.text().strip(), "description": description.text(),
                     "due": due.value()}
                    for kind, amount, description, due in self.remedies.rows()]
        actions = [{"description": description.text(), "owner": owner.text(), "due": date_of(due)}
                   for description, owner, due in self.actions.rows()]
        return self.ctx.service.respond(self.reference, date_of(self.on), self.decision.currentData() or "",
                                        self.reasons.toPlainText(), remedies=remedies, actions=actions)
