"""Add an outstanding action promised to the resident, tracked until done (Code 6.6, 7.3)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit

from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import date_edit, date_of


class AddActionDialog(CaseActionDialog):
    save_text = "Add action"

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Add an outstanding action", parent)
        self.description = self.add_row("Action:", QLineEdit(), "Action description")
        self.description.setPlaceholderText("What was promised, e.g. replace the kitchen tap")
        self.owner = self.add_row("Owner:", QLineEdit(self.case.current_stage.handler), "Action owner")
        self.due = self.add_row("Due:", date_edit(ctx.today + dt.timedelta(days=14)), "Action due date")
        self.due.dateChanged.connect(self.update_preview)
        self.finish_layout()

    def update_preview(self) -> None:
        self.info.setText(f"Shown on the work list from five working days before {uk_date(date_of(self.due))}.")

    def _save(self):
        return self.ctx.service.add_action(self.reference, {"description": self.description.text(),
                                                            "owner": self.owner.text(), "due": date_of(self.due)})
