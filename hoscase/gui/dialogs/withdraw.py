"""Record that the resident withdrew the complaint."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.widgets import date_edit, date_of


class WithdrawDialog(CaseActionDialog):
    save_text = "Withdraw"

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Withdraw", parent)
        self.on = self.add_row("Withdrawn on:", date_edit(ctx.today, latest=ctx.today), "Date withdrawn")
        self.reason = self.add_row("Reason:", QLineEdit(), "Reason for withdrawing")
        self.reason.setPlaceholderText("What the resident said, if anything")
        self.finish_layout()
        self.info.setText("No further deadlines: the case leaves the work list.")

    def _save(self):
        return self.ctx.service.withdraw(self.reference, date_of(self.on), self.reason.text())
