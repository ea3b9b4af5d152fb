"""Close a case once it has been responded to."""

from __future__ import annotations

from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import date_edit, date_of


class CloseDialog(CaseActionDialog):
    save_text = "Close the case"

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Close the case", parent)
        self.on = self.add_row("Closed on:", date_edit(ctx.today, latest=ctx.today), "Date closed")
        self.finish_layout()
        open_actions = [a for a in self.case.actions if not a["done"]]
        text = "No further deadlines."
        if self.case.status == "stage1-responded":
            text += " The resident can still ask to escalate to stage 2; the case can be reopened for that."
        if open_actions:
            text += (f" {len(open_actions)} outstanding action(s) stay on the work list until done, the first due "
                     f"{uk_date(open_actions[0]['due'])}.")
        self.info.setText(text)

    def _save(self):
        return self.ctx.service.close(self.reference, date_of(self.on))
