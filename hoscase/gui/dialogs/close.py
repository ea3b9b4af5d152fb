"""Close a case once it has been responded to."""

from __future__ import annotations

from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.format import plural, uk_date
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
            first = min(str(a["due"]) for a in open_actions)
            verb = "stays" if len(open_actions) == 1 else "stay"
            text += (f" {plural(len(open_actions), 'outstanding action')} {verb} on the work list until done, the "
                     f"first due {uk_date(first)}.")
        self.info.setText(text)

    def _save(self):
        return self.ctx.service.close(self.reference, date_of(self.on))
