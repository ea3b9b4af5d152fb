"""Extend the response deadline (Code 6.4 stage 1, 6.15 stage 2): beyond the limit only with a good reason."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QSpinBox

from hoscase.errors import HoscaseError
from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.format import plural, uk_date
from hoscase.gui.widgets import date_edit, date_of
from hoscase.rules import TIMESCALES, stage_deadlines


class ExtendDialog(CaseActionDialog):
    save_text = "Extend"
    ask_before_discarding = True

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Extend the response deadline", parent)
        self.setMinimumWidth(560)
        self.stage = self.case.current_stage
        self.scale = TIMESCALES[self.stage.stage]
        self.days = QSpinBox()
        self.days.setRange(1, 200)
        self.days.setValue(min(self.scale.extension, 10))
        self.days.setSuffix(" working days")
        self.add_row("Extend by:", self.days, "Extension in working days")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why more time is needed, as explained to the resident")
        self.reason.setFixedHeight(80)
        self.reason.setTabChangesFocus(True)
        self.add_row("Reason:", self.reason, "Reason for the extension")
        self.good_reason = QCheckBox("There is a good reason for a longer extension")
        self.add_row("", self.good_reason, "Good reason for a longer extension")
        self.on = self.add_row("Agreed on:", date_edit(ctx.today, latest=ctx.today), "Date the extension was agreed")
        # The extension letter tells the resident how often they will hear from us meanwhile (Code 5.9).
        self.update_interval = QLineEdit(self.stage.update_interval or "")
        self.update_interval.setPlaceholderText("e.g. a phone call every Friday (the extension letter needs it)")
        self.add_row("Updates agreed:", self.update_interval, "Interval for updates agreed with the resident")
        self.days.valueChanged.connect(self.update_preview)
        self.good_reason.toggled.connect(self.update_preview)
        self.finish_layout()

    def snapshot(self):
        return (self.days.value(), self.reason.toPlainText(), self.good_reason.isChecked(), self.update_interval.text())

    def new_due(self) -> object:
        stage = self.stage
        return stage_deadlines(self.ctx.service.calendar, stage.stage, stage.received, stage.acknowledged,
                               stage.extension_working_days + self.days.value()).respond_due

    def update_preview(self) -> None:
        stage = self.stage
        total = stage.extension_working_days + self.days.value()
        text = (f"The response will be due by {uk_date(self.new_due())} (now due by {uk_date(stage.respond_due)}). "
                f"Extensions at stage {stage.stage} would total {plural(total, 'working day')}; the Code allows "
                f"{self.scale.extension} without a good reason (provision {self.scale.provision}).")
        if total > self.scale.extension and not self.good_reason.isChecked():
            text += " Tick ‘good reason’ if there is one, or shorten the extension."
        self.info.setText(text)

    def explain(self, message: str) -> str:
        # The core speaks to the command line; here the option is a tick box.
        return message.replace("record it with --good-reason if there is one", "tick ‘good reason’ if there is one")

    def _save(self):
        interval = " ".join(self.update_interval.text().split())
        if len(interval) > 500:  # checked before the extension is saved, so nothing is half-recorded
            raise HoscaseError("the agreed interval for updates is too long (500 characters at most)")
        case = self.ctx.service.extend(self.reference, self.days.value(), self.reason.toPlainText(),
                                       good_reason=self.good_reason.isChecked(), on=date_of(self.on))
        if interval:
            case = self.ctx.service.set_update_interval(self.reference, interval, self.stage.stage)
        return case
