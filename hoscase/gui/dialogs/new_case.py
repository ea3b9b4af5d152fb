"""Record a new stage 1 complaint with everything the Code asks to be captured at the start (5.6, 5.12, 4.x)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hoscase.cases import CHANNELS, CONTACT_PREFERENCES
from hoscase.gui.dialogs.base import ActionDialog, available_size
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import OptionalDateEdit, date_edit, date_of
from hoscase.gui.widgets import form_group as _form
from hoscase.gui.widgets import text_box as _text_box
from hoscase.rules import older_than_exclusion_window, stage_deadlines


class NewCaseDialog(ActionDialog):
    save_text = "Record complaint"
    ask_before_discarding = True

    def __init__(self, ctx, parent: QWidget | None = None, prefill: dict | None = None) -> None:
        super().__init__(ctx, "New complaint", parent)
        self.setMinimumWidth(min(940, available_size(self).width()))
        today = ctx.today
        resident_box, resident = _form("Resident")
        complaint_box, complaint = _form("Complaint")
        support_box, support = _form("Support needs")

        def row(form: QFormLayout, label: str, widget: QWidget, name: str | None = None):
            form.addRow(label, widget)
            widget.setAccessibleName(name or label.rstrip(":*").strip())
            return widget

        self.resident_name = row(resident, "Name: *", QLineEdit(), "Resident name")
        self.address = row(resident, "Address: *", _text_box("House number, street, town, postcode", 64), "Address")
        self.property = row(resident, "Property:", QLineEdit(), "Property the complaint is about")
        self.property.setPlaceholderText("If different from the address")
        self.phone = row(resident, "Phone:", QLineEdit())
        self.email = row(resident, "Email:", QLineEdit())
        self.preferred_contact = row(resident, "Prefers:", QComboBox(), "Preferred contact")
        for choice in CONTACT_PREFERENCES:
            self.preferred_contact.addItem(choice.capitalize(), choice)
        self.representative_name = row(resident, "Representative:", QLineEdit(), "Representative name")
        self.representative_name.setPlaceholderText("Someone acting for the resident, if any")
        self.representative_contact = row(resident, "Their contact:", QLineEdit(), "Representative contact")

        self.received = row(complaint, "Received: *", date_edit(today, latest=today), "Date received")
        self.channel = row(complaint, "Channel: *", QComboBox(), "How it was received")
        for choice in CHANNELS:
            self.channel.addItem(choice.capitalize(), choice)
        self.category = row(complaint, "Category: *", QComboBox(), "Category")
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.NoInsert)
        for name in ctx.store.categories():
            self.category.addItem(name)
        self.category.setCurrentIndex(-1)
        self.category.lineEdit().setPlaceholderText("Choose or type a category")
        self.handler = row(complaint, "Handler:", QComboBox(), "Stage 1 handler")
        self.handler.setEditable(True)
        self.handler.setInsertPolicy(QComboBox.NoInsert)
        for handler in ctx.store.handlers():
            self.handler.addItem(handler["name"])
        me = ctx.store.get_setting("current_user")
        self.handler.setCurrentIndex(max(self.handler.findText(me), 0) if me else 0 if self.handler.count() else -1)
        self.issue_date = row(complaint, "Issue arose:", OptionalDateEdit(), "Date the issue arose")
        self.issue_warning = QLabel()
        self.issue_warning.setObjectName("warningLabel")
        self.issue_warning.setWordWrap(True)
        self.issue_warning.hide()
        complaint.addRow("", self.issue_warning)
        self.discretion = row(complaint, "", QCheckBox("Accept it anyway (discretion, Code 2.3)"),
                              "Accept a complaint over 12 months old")
        self.discretion.hide()
        self.definition = row(complaint, "Complaint: *", _text_box("The complaint in the resident's words", 84),
                              "Complaint definition")
        self.outcome_sought = row(complaint, "Outcome sought:", _text_box("What the resident wants to happen", 56))
        self.not_responsible = row(complaint, "Not ours:", _text_box(
            "Parts we are not responsible for, and who is (Code 5.6)", 48), "Not responsible for")

        self.vulnerabilities = row(support, "Vulnerabilities:", _text_box("Anything that affects how we help", 48))
        self.adjustments = row(support, "Adjustments:", _text_box("Reasonable adjustments agreed with the resident", 48))
        self.adjustments_review = row(support, "Review on:", OptionalDateEdit(), "Adjustments review date")
        self.large_print = row(support, "", QCheckBox("Letters in large print"), "Large print letters")

        left = QVBoxLayout()
        left.addWidget(resident_box)
        left.addWidget(support_box)
        left.addStretch(1)
        fields = QWidget()
        fields.setObjectName("newCaseFields")
        columns = QHBoxLayout(fields)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(14)
        columns.addLayout(left, 1)
        columns.addWidget(complaint_box, 1)
        # On a small laptop screen (1024 x 700) the fields scroll; the preview and the buttons stay in sight.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("dialogScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setWidget(fields)
        self.fields = fields
        self.layout_.addWidget(self.scroll, 1)
        note = QLabel("* required")
        note.setObjectName("hintLabel")
        self.layout_.addWidget(note)

        for prefill_key, value in (prefill or {}).items():
            widget = getattr(self, prefill_key, None)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))

        self.received.dateChanged.connect(self.update_preview)
        self.issue_date.changed.connect(self.update_preview)
        self.finish_layout()
        self._fit_fields()
        self.resident_name.setFocus()

    def _fit_fields(self) -> None:
        """Show every field without scrolling where the screen has room; otherwise as much as fits."""
        room = available_size(self).height() - 190  # title, '* required', preview, a problem line and the buttons
        self.fields.adjustSize()
        want = self.fields.minimumSizeHint().height()
        self.scroll.setMinimumHeight(max(200, min(want, room)))
        self.scroll.setMinimumWidth(min(self.fields.minimumSizeHint().width(), available_size(self).width() - 40))

    def snapshot(self):
        return tuple(w.text() for w in (self.resident_name, self.phone, self.email, self.property)) + tuple(
            w.toPlainText() for w in (self.address, self.definition, self.outcome_sought, self.vulnerabilities))

    def over_12_months(self) -> bool:
        issue = self.issue_date.value()
        return bool(issue) and older_than_exclusion_window(issue, date_of(self.received))

    def update_preview(self) -> None:
        d = stage_deadlines(self.ctx.service.calendar, 1, date_of(self.received), None, 0)
        self.info.setText(f"Acknowledge by {uk_date(d.acknowledge_due)} (5 working days); the stage 1 response "
                          f"is then due by {uk_date(d.respond_due)} (10 working days after acknowledging).")
        old = self.over_12_months()
        self.issue_warning.setText(
            "⚠  The issue arose more than 12 months before the complaint was received. The Code lets you decline "
            "it (2.3), but you may accept it where there is good reason." if old else "")
        changed = self.issue_warning.isVisibleTo(self) != old
        self.issue_warning.setVisible(old)
        self.discretion.setVisible(old)
        if changed and hasattr(self, "fields"):
            self._fit_fields()

    def values(self) -> dict:
        """Everything typed, as CaseService.add_case takes it."""
        handler = self.handler.currentText().strip()
        category = self.category.currentText().strip()
        return {
            "resident_name": self.resident_name.text(),
            "address": self.address.toPlainText(),
            "received": date_of(self.received),
            "channel": self.channel.currentData(),
            "category": category,
            "definition": self.definition.toPlainText(),
            "outcome_sought": self.outcome_sought.toPlainText(),
            "handler": handler,
            "phone": self.phone.text(),
            "email": self.email.text(),
            "preferred_contact": self.preferred_contact.currentData(),
            "representative_name": self.representative_name.text(),
            "representative_contact": self.representative_contact.text(),
            "property": self.property.text(),
            "issue_date": self.issue_date.value(),
            "discretion_over_12_months": self.discretion.isChecked() and self.over_12_months(),
            "not_responsible": self.not_responsible.toPlainText(),
            "vulnerabilities": self.vulnerabilities.toPlainText(),
            "adjustments": self.adjustments.toPlainText(),
            "adjustments_review": self.adjustments_review.value(),
            "large_print": self.large_print.isChecked(),
        }

    def _save(self):
        return self.ctx.service.add_case(**self.values())

    @classmethod
    def create_case(cls, ctx, parent: QWidget | None = None, prefill: dict | None = None):
        """Open the dialog; returns (the new Case, True) once recorded, or (None, False)."""
        return cls._run(ctx, parent, prefill)
