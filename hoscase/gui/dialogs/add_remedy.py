"""Add a remedy offered to the resident (Code 7.1): its kind, any money, what will happen and by when (7.3)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QLineEdit

from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import OptionalDateEdit
from hoscase.rules import REMEDY_KINDS


class AddRemedyDialog(CaseActionDialog):
    save_text = "Add remedy"
    ask_before_discarding = True

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Add a remedy", parent)
        self.kind = QComboBox()
        for key, label in REMEDY_KINDS.items():
            self.kind.addItem(label, key)
        self.add_row("Remedy:", self.kind, "Remedy kind")
        self.amount = self.add_row("Amount (£):", QLineEdit(), "Amount in pounds")
        self.amount.setPlaceholderText("Only for a financial remedy, e.g. 150.00")
        self.description = self.add_row("What will happen:", QLineEdit(), "Remedy description")
        self.description.setPlaceholderText("e.g. £150 paid to the rent account for the missed appointments")
        self.due = OptionalDateEdit()
        self.due.set_value(ctx.today + dt.timedelta(days=14))
        self.add_row("By:", self.due, "Remedy due date")
        self.kind.currentIndexChanged.connect(self.update_preview)
        self.due.changed.connect(self.update_preview)
        self.finish_layout()

    def snapshot(self):
        return (self.kind.currentIndex(), self.amount.text(), self.description.text())

    def update_preview(self) -> None:
        due = self.due.value()
        if due:
            text = (f"To be done by {uk_date(due)}: shown on the work list from five working days before, "
                    "until it is marked done.")
        else:
            text = "No date: the remedy is listed on the case but not on the work list."
        if self.kind.currentData() == "compensation":
            text += " A financial remedy needs the amount."
        self.info.setText(text)

    def _save(self):
        return self.ctx.service.add_remedy(self.reference, {
            "kind": self.kind.currentData(), "amount": self.amount.text().strip(),
            "description": self.description.text(), "due": self.due.value(),
        })
