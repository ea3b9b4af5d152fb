"""Record a service request: a request for something to be done, kept apart from complaints (Code 1.4)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from hoscase.gui.dialogs.base import ActionDialog
from hoscase.gui.widgets import date_edit, date_of
from hoscase.gui.widgets import text_box as _text_box
from hoscase.service_requests import add_service_request


class NewServiceRequestDialog(ActionDialog):
    save_text = "Record request"
    ask_before_discarding = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New service request", parent,
                         "A request for a service (a repair, a visit, information) is not a complaint. If the "
                         "resident later says they are unhappy with how it was handled, raise it to a complaint.")
        self.setMinimumWidth(560)
        self.resident_name = self.add_row("Resident: *", QLineEdit(), "Resident name")
        self.address = self.add_row("Address:", _text_box("House number, street, town, postcode", 60), "Address")
        self.received = self.add_row("Received: *", date_edit(ctx.today, latest=ctx.today), "Date received")
        self.description = self.add_row("Request: *", _text_box("What the resident asked for", 90),
                                        "What was requested")
        self.finish_layout()
        self.resident_name.setFocus()

    def snapshot(self):
        return (self.resident_name.text(), self.address.toPlainText(), self.description.toPlainText())

    def _save(self):
        return add_service_request(self.ctx.service, resident_name=self.resident_name.text(),
                                   address=self.address.toPlainText(), received=date_of(self.received),
                                   description=self.description.toPlainText())

    @classmethod
    def create_request(cls, ctx, parent: QWidget | None = None) -> tuple[dict | None, bool]:
        """Open the dialog; returns (the new request, True) once recorded, or (None, False)."""
        return cls._run(ctx, parent)
