"""Raise a service request to a stage 1 complaint (Code 1.5), keeping the link between the two."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from hoscase.cases import CHANNELS
from hoscase.gui.dialogs.base import ActionDialog
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import date_edit, date_of
from hoscase.gui.widgets import text_box as _text_box
from hoscase.rules import stage_deadlines
from hoscase.service_requests import get, raise_to_complaint


def _combo(items: list[str], editable: bool, placeholder: str = "") -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    combo.setInsertPolicy(QComboBox.NoInsert)
    combo.addItems(items)
    if editable and placeholder:
        combo.lineEdit().setPlaceholderText(placeholder)
    return combo


class RaiseToComplaintDialog(ActionDialog):
    save_text = "Raise to complaint"
    ask_before_discarding = True

    def __init__(self, ctx, reference: str, parent: QWidget | None = None) -> None:
        self.request = get(ctx.service, reference)
        super().__init__(ctx, f"Raise to complaint: {self.request['reference']}", parent,
                         "The resident is unhappy with how this service request was handled, so it becomes a stage 1 "
                         "complaint (Code 1.5). The complaint and the request stay linked.")
        self.setMinimumWidth(620)
        request = self.request
        about = QLabel(f"{request['resident_name']}, received {uk_date(request['received'])}:\n{request['description']}")
        about.setWordWrap(True)
        self.add_row("Request:", about, "The service request")
        self.received = self.add_row("Complaint received: *", date_edit(ctx.today, latest=ctx.today),
                                     "Date the complaint was received")
        self.received.setMinimumDate(QDate.fromString(request["received"], "yyyy-MM-dd"))
        self.channel = self.add_row("Channel: *", QComboBox(), "How the complaint was received")
        for choice in CHANNELS:
            self.channel.addItem(choice.capitalize(), choice)
        self.category = self.add_row("Category: *", _combo(ctx.store.categories(), True, "Choose or type a category"),
                                     "Category")
        self.category.setCurrentIndex(-1)
        self.handler = self.add_row("Handler:", _combo([h["name"] for h in ctx.store.handlers()], True),
                                    "Stage 1 handler")
        me = ctx.store.get_setting("current_user")
        if me and self.handler.findText(me) >= 0:
            self.handler.setCurrentIndex(self.handler.findText(me))
        self.address = self.add_row("Address: *", _text_box("House number, street, town, postcode", 56), "Address")
        self.address.setPlainText(request["address"])
        self.definition = self.add_row("Complaint: *", _text_box("The complaint in the resident's words", 84),
                                       "Complaint definition")
        self.definition.setPlainText(request["description"])
        self.outcome_sought = self.add_row("Outcome sought:", _text_box("What the resident wants to happen", 56))
        self.received.dateChanged.connect(self.update_preview)
        self.finish_layout()
        self.channel.setFocus()

    def snapshot(self):
        return (self.category.currentText(), self.definition.toPlainText(), self.outcome_sought.toPlainText(),
                self.address.toPlainText())

    def update_preview(self) -> None:
        d = stage_deadlines(self.ctx.service.calendar, 1, date_of(self.received), None, 0)
        self.info.setText(f"Acknowledge by {uk_date(d.acknowledge_due)} (5 working days); the stage 1 response is "
                          f"then due by {uk_date(d.respond_due)}.")

    def _save(self):
        return raise_to_complaint(
            self.ctx.service, self.request["reference"], channel=self.channel.currentData(),
            category=self.category.currentText(), definition=self.definition.toPlainText(),
            handler=self.handler.currentText(), received=date_of(self.received),
            outcome_sought=self.outcome_sought.toPlainText(), address=self.address.toPlainText(),
        )

    @classmethod
    def raise_request(cls, ctx, reference: str, parent: QWidget | None = None):
        """Open the dialog; returns (the new Case, True) once raised, or (None, False)."""
        return cls._run(ctx, reference, parent)
