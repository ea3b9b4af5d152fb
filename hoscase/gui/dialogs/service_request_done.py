"""Mark a service request done."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel, QWidget

from hoscase.gui.dialogs.base import ActionDialog
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import date_edit, date_of
from hoscase.service_requests import complete, get


class ServiceRequestDoneDialog(ActionDialog):
    save_text = "Mark done"

    def __init__(self, ctx, reference: str, parent: QWidget | None = None) -> None:
        self.request = get(ctx.service, reference)
        super().__init__(ctx, f"Mark done: {self.request['reference']}", parent)
        about = QLabel(f"{self.request['resident_name']}, received {uk_date(self.request['received'])}:\n"
                       f"{self.request['description']}")
        about.setWordWrap(True)
        self.add_row("Request:", about, "The request")
        self.on = self.add_row("Done on:", date_edit(ctx.today, latest=ctx.today), "Date done")
        self.on.setMinimumDate(QDate.fromString(self.request["received"], "yyyy-MM-dd"))
        self.finish_layout()
        self.on.setFocus()

    def _save(self):
        return complete(self.ctx.service, self.request["reference"], date_of(self.on))

    @classmethod
    def mark_done(cls, ctx, reference: str, parent: QWidget | None = None) -> tuple[dict | None, bool]:
        """Open the dialog; returns (the updated request, True) once saved, or (None, False)."""
        return cls._run(ctx, reference, parent)

