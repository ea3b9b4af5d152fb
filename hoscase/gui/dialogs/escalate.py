"""Escalate to stage 2 at the resident's request (Code 6.11 to 6.13): no reason needed, a new handler is."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPlainTextEdit

from hoscase.errors import HoscaseError
from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import date_edit, date_of
from hoscase.rules import stage_deadlines


class EscalateDialog(CaseActionDialog):
    save_text = "Escalate to stage 2"

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Escalate to stage 2", parent,
                         intro="The resident does not have to explain why they want to escalate (Code 6.12). "
                               "Stage 2 must be handled by someone other than the stage 1 handler (6.13).")
        self.stage1 = self.case.stages[1]
        self.on = self.add_row("Requested on:", date_edit(ctx.today, latest=ctx.today), "Date escalation requested")
        self.handler = QComboBox()
        self.handler.setEditable(True)
        self.handler.setInsertPolicy(QComboBox.NoInsert)
        for handler in ctx.store.handlers():
            label = handler["name"]
            if handler["role"]:
                label += f" ({handler['role']})"
            self.handler.addItem(label, handler["name"])
        self.handler.setCurrentIndex(-1)
        self.handler.lineEdit().setPlaceholderText("Who will handle stage 2")
        self.add_row("Stage 2 handler:", self.handler, "Stage 2 handler")
        self.definition = QPlainTextEdit()
        self.definition.setPlaceholderText("What remains unresolved, in the resident's words (blank: as stage 1)")
        self.definition.setFixedHeight(70)
        self.definition.setTabChangesFocus(True)
        self.add_row("Still unresolved:", self.definition, "Stage 2 complaint definition")
        self.on.dateChanged.connect(self.update_preview)
        self.finish_layout()

    def handler_name(self) -> str:
        text = self.handler.currentText().strip()
        index = self.handler.findText(text)
        return self.handler.itemData(index) if index >= 0 else text

    def update_preview(self) -> None:
        d = stage_deadlines(self.ctx.service.calendar, 2, date_of(self.on), None, 0)
        self.info.setText(f"Stage 2 acknowledgement due by {uk_date(d.acknowledge_due)}; the final response due by "
                          f"{uk_date(d.respond_due)} (20 working days after the acknowledgement). "
                          f"Stage 1 was handled by {self.stage1.handler or 'nobody recorded'}.")

    def _save(self):
        # The Code (6.13) needs a different person at stage 2: without a name nobody could check that.
        if not self.handler_name():
            raise HoscaseError("Stage 2 handler is required: choose who will handle stage 2, someone other than "
                               f"the stage 1 handler{f' ({self.stage1.handler})' if self.stage1.handler else ''}")
        return self.ctx.service.escalate(self.reference, date_of(self.on), self.handler_name(),
                                         self.definition.toPlainText())
