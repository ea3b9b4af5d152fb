"""Record the governing body's approval of a self-assessment (Code 8.2), with a line for the version history."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from hoscase.gui.dialogs.base import ActionDialog
from hoscase.gui.widgets import date_edit, date_of


class ApproveAssessmentDialog(ActionDialog):
    changes_cases = False  # an approval is not a change to any case
    save_text = "Record approval"

    def __init__(self, ctx, assessments: Any, assessment: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Approve the {assessment.label}", parent,
                         "The governing body must review and approve the self-assessment at least once a year "
                         "(Code 8.2). The approval is added to the version history printed with it.")
        self.assessments = assessments
        self.assessment = assessment
        self.by = self.add_row("Approved by:", QLineEdit(assessment.approved_by), "Approved by")
        self.by.setPlaceholderText("The governing body, e.g. Board of Trustees")
        self.on = self.add_row("Approved on:", date_edit(ctx.today, latest=ctx.today), "Approval date")
        self.changes = self.add_row("Changes made:", QLineEdit(), "Changes made")
        self.changes.setPlaceholderText("For the version history, e.g. Annual review; actions updated")
        self.finish_layout()

    def _save(self) -> Any:
        return self.assessments.approve(self.assessment.id, self.by.text(), date_of(self.on), self.changes.text())

    @classmethod
    def open_for(cls, ctx, assessments: Any, assessment: Any, parent: QWidget | None = None) -> tuple[Any, bool]:
        """Open the dialog; returns (the approved Assessment, True), or (None, False) if cancelled."""
        return cls._run(ctx, assessments, assessment, parent)
