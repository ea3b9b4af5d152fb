"""Record that the complaint (or escalation request) was acknowledged (Code 5.1, 6.4, 6.15)."""

from __future__ import annotations

from hoscase.gui.dialogs.base import CaseActionDialog
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import date_edit, date_of
from hoscase.rules import TIMESCALES, stage_deadlines


class AcknowledgeDialog(CaseActionDialog):
    save_text = "Acknowledge"

    def __init__(self, ctx, reference: str, parent=None) -> None:
        super().__init__(ctx, reference, "Acknowledge", parent)
        stage = self.case.current_stage
        self.stage = stage
        self.on = self.add_row("Acknowledged on:", date_edit(ctx.today, latest=ctx.today), "Date acknowledged")
        self.on.dateChanged.connect(self.update_preview)
        self.finish_layout()

    def update_preview(self) -> None:
        stage = self.stage
        day = date_of(self.on)
        scale = TIMESCALES[stage.stage]
        due = stage_deadlines(self.ctx.service.calendar, stage.stage, stage.received, day,
                              stage.extension_working_days).respond_due
        late = ""
        if day > stage.acknowledge_due:
            late = f" The acknowledgement was due by {uk_date(stage.acknowledge_due)}, so it is late."
        self.info.setText(
            f"Stage {stage.stage} response due by {uk_date(due)} ({scale.respond} working days after the "
            f"acknowledgement{', plus extensions' if stage.extension_working_days else ''}).{late}"
        )

    def _save(self):
        return self.ctx.service.acknowledge(self.reference, date_of(self.on))
