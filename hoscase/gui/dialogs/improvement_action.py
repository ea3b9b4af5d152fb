"""Add or edit an improvement action of the self-assessment's action plan: what, who owns it, by when, done."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from hoscase.gui.dialogs.base import ActionDialog
from hoscase.gui.widgets import OptionalDateEdit


class ImprovementActionDialog(ActionDialog):
    """Saved through SelfAssessments, which checks the provision, the text and the dates."""

    changes_cases = False  # the action plan is not a case

    def __init__(self, ctx, assessments: Any, assessment: Any, action: dict | None = None,
                 provision: str | None = None, parent: QWidget | None = None) -> None:
        self.save_text = "Save action" if action else "Add action"
        super().__init__(ctx, "Edit improvement action" if action else "Add an improvement action", parent,
                         f"Improvement plan for the {assessment.label}.")
        self.assessments = assessments
        self.assessment = assessment
        self.action = action
        self.provision = self.add_row("Code provision:", QComboBox(), "Code provision")
        for e in assessment.entries:
            self.provision.addItem(f"{e.number}  {e.provision.text[:70]}", e.number)
        chosen = (action or {}).get("provision") or provision
        if chosen:
            self.provision.setCurrentIndex(max(0, self.provision.findData(str(chosen))))
        self.text = self.add_row("Improvement action:", QPlainTextEdit((action or {}).get("action", "")),
                                 "Improvement action")
        self.text.setPlaceholderText("What will be done, e.g. review the complaints policy with residents")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(90)
        self.owner = self.add_row("Action owner:", QLineEdit((action or {}).get("owner", "")), "Action owner")
        self.due = self.add_row("Action by date:", OptionalDateEdit(), "Action by date")
        self.due.set_value((action or {}).get("due"))
        self.done_on = self.add_row("Done on:", OptionalDateEdit(), "Date done")
        self.done_on.set_value((action or {}).get("done"))
        self.finish_layout()

    def snapshot(self) -> Any:
        return (self.provision.currentData(), self.text.toPlainText(), self.owner.text(), self.due.value(),
                self.done_on.value())

    def _save(self) -> dict:
        provision, text, owner, due, done = self.snapshot()
        if self.action is None:
            row = self.assessments.add_action(self.assessment.id, provision, text, owner=owner, due=due)
            if done:
                row = self.assessments.update_action(row["id"], done=done)
            return row
        return self.assessments.update_action(self.action["id"], provision=provision, action=text, owner=owner,
                                              due=due, done=done)

    @classmethod
    def open_for(cls, ctx, assessments: Any, assessment: Any, action: dict | None = None,
                 provision: str | None = None, parent: QWidget | None = None) -> tuple[dict | None, bool]:
        """Open the dialog; returns (the saved action row, True), or (None, False) if cancelled."""
        return cls._run(ctx, assessments, assessment, action, provision, parent)
