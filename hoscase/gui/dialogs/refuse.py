"""Decline to take a complaint through the process, with the Code's reason (2.1 to 2.5)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPlainTextEdit

from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.widgets import date_edit, date_of
from hoscase.rules import REFUSAL_REASONS


class RefuseDialog(CaseActionDialog):
    save_text = "Decline the complaint"
    ask_before_discarding = True

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Decline the complaint", parent,
                         intro="The resident must be told why, and that they can ask the Ombudsman to look at "
                               "the decision (Code 2.4).")
        self.on = self.add_row("Decided on:", date_edit(ctx.today, latest=ctx.today), "Date of the decision")
        self.reason = QComboBox()
        for key, label in REFUSAL_REASONS.items():
            self.reason.addItem(label, key)
        if self.case.over_12_months():
            self.reason.setCurrentIndex(self.reason.findData("over-12-months"))
        self.add_row("Reason:", self.reason, "Reason for declining")
        self.explanation = QPlainTextEdit()
        self.explanation.setPlaceholderText("The explanation given to the resident")
        self.explanation.setMinimumHeight(90)
        self.explanation.setTabChangesFocus(True)
        self.add_row("Explanation:", self.explanation, "Explanation")
        self.finish_layout()
        self.info.setText("No further deadlines: the case leaves the work list.")

    def snapshot(self):
        return (self.reason.currentIndex(), self.explanation.toPlainText())

    def _save(self):
        return self.ctx.service.refuse(self.reference, date_of(self.on), self.reason.currentData(),
                                       self.explanation.toPlainText())
