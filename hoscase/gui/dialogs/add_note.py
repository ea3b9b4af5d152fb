"""Add a note or a record of correspondence to the case's timeline."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPlainTextEdit

from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.widgets import date_edit, date_of

KINDS = (("Note", "note"), ("Phone call", "phone"), ("Email", "email"), ("Letter", "letter"), ("Meeting", "meeting"))


class AddNoteDialog(CaseActionDialog):
    save_text = "Add to timeline"
    ask_before_discarding = True

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Add a note", parent)
        self.on = self.add_row("Date:", date_edit(ctx.today, latest=ctx.today), "Date")
        self.kind = QComboBox()
        for label, key in KINDS:
            self.kind.addItem(label, key)
        self.add_row("Kind:", self.kind, "Kind of entry")
        self.direction = QComboBox()
        self.direction.addItem("From us (outgoing)", "out")
        self.direction.addItem("From the resident (incoming)", "in")
        self.add_row("Direction:", self.direction, "Direction")
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("What was said or done")
        self.summary.setMinimumHeight(100)
        self.summary.setTabChangesFocus(True)
        self.add_row("Summary:", self.summary, "Summary")
        self.finish_layout()

    def snapshot(self):
        return self.summary.toPlainText()

    def _save(self):
        return self.ctx.service.add_correspondence(self.reference, date_of(self.on), self.summary.toPlainText(),
                                                   direction=self.direction.currentData(),
                                                   kind=self.kind.currentData())
