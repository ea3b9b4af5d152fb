"""The self-assessment page offscreen: start a year, edit a provision through the widgets, see the records'
warning, the action plan, approval and an export run off the GUI thread."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from hoscase.gui.context import AppContext
from hoscase.selfassessment import SelfAssessments

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def ctx(store, service):
    context = AppContext(store, today=TODAY)
    context.service.who = "Test Officer"
    return context


@pytest.fixture
def page(qtbot, ctx):
    from hoscase.gui.pages.selfassessment import SelfAssessmentPage

    widget = SelfAssessmentPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    return widget


def late_acknowledgements(service, new_case):
    """Three 2026/27 complaints, two acknowledged late: 1 of 3 in time."""
    for received, ack in (("2026-06-01", "2026-06-02"), ("2026-06-01", "2026-06-15"), ("2026-07-01", "2026-07-20")):
        ref = new_case(received=received).reference
        service.acknowledge(ref, ack)


def choose(combo, data):
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_start_edit_and_warning(qtbot, page, ctx, service, new_case, tmp_path):
    late_acknowledgements(service, new_case)
    page.refresh()
    assert page.selected_year() == 2026  # today is in 2026/27
    assert not page.assessment.started and page.start_button.isEnabled()
    assert not page.comply.isEnabled()
    assert page.tree.topLevelItemCount() == 9
    assert sum(page.tree.topLevelItem(i).childCount() for i in range(9)) == 72

    qtbot.mouseClick(page.start_button, Qt.LeftButton)
    assert page.assessment.started and not page.start_button.isEnabled() and page.comply.isEnabled()

    page.tree.setCurrentItem(page._item_for("6.2"))
    assert page.current == "6.2" and "five working days" in page.requirement.text()
    assert "1 of 3 (33%)" in page.records.text()
    assert page.warning.isHidden()
    choose(page.comply, "Yes")
    assert not page.warning.isHidden() and "33%" in page.warning.text()  # live, before saving
    choose(page.rag, "green")
    page.evidence_edit.setPlainText("Acknowledgement letters audited monthly")
    page.commentary.setPlainText("Two late in the summer")
    qtbot.mouseClick(page.save_button, Qt.LeftButton)

    saved = SelfAssessments(service).annual(2026).entry("6.2")
    assert (saved.comply, saved.rag, saved.evidence, saved.commentary) == (
        "Yes", "green", "Acknowledgement letters audited monthly", "Two late in the summer")
    item = page._item_for("6.2")
    assert item.text(3) == "Green" and item.background(3).color().name() == "#00b050"
    assert "⚠" in item.text(2)
    assert page.counts["green"].text() == "Green: 1"
    choose(page.comply, "Partly")
    choose(page.rag, "amber")
    assert page.warning.isHidden()

    # moving to another provision saves the one being edited
    page.tree.setCurrentItem(page._item_for("1.2"))
    assert SelfAssessments(service).annual(2026).entry("6.2").rag == "amber"
    assert page.counts["amber"].text() == "Amber: 1" and page.counts["green"].text() == "Green: 0"
    # a refresh (the main window's, when cases change) keeps what was typed
    page.commentary.setPlainText("Typed, not yet saved")
    page.refresh()
    assert SelfAssessments(service).annual(2026).entry("1.2").commentary == "Typed, not yet saved"
    assert page.current == "1.2" and page.commentary.toPlainText() == "Typed, not yet saved"
    page.grab().save(str(tmp_path / "selfassessment.png"))


def test_action_plan_approval_and_export(qtbot, page, ctx, service, tmp_path, monkeypatch):
    from hoscase.gui.dialogs.approve_assessment import ApproveAssessmentDialog
    from hoscase.gui.dialogs.improvement_action import ImprovementActionDialog

    qtbot.mouseClick(page.start_button, Qt.LeftButton)
    a = page.assessment

    dialog = ImprovementActionDialog(ctx, page.assessments, a, provision="6.13")
    qtbot.addWidget(dialog)
    assert dialog.provision.currentData() == "6.13"
    dialog._on_ok()  # no action text: refused in the dialog, nothing saved
    assert not dialog.error.isHidden() and SelfAssessments(service).get(a.id).actions == []
    dialog.text.setPlainText("Appoint a second handler for stage 2")
    dialog.owner.setText("Grace Okafor")
    dialog.due.set_value("2026-10-31")
    dialog._on_ok()
    assert dialog.result() == QDialog.DialogCode.Accepted.value and dialog.value["action"] == "Appoint a second handler for stage 2"

    monkeypatch.setattr(ImprovementActionDialog, "open_for", classmethod(lambda cls, *a, **k: (None, False)))
    page._after_action_change(dialog.value["id"])
    assert page.actions_table.rowCount() == 1
    assert page.actions_table.item(0, 5).text() == "Overdue"
    assert page.counts["actions_overdue"].text() == "Actions overdue: 1"
    assert page.done_action_button.isEnabled()
    qtbot.mouseClick(page.done_action_button, Qt.LeftButton)
    assert page.actions_table.item(0, 5).text() == "Done"
    assert page.actions_table.item(0, 4).text() == "20 Nov 2026"
    assert page.counts["actions_overdue"].text() == "Actions overdue: 0"

    approve = ApproveAssessmentDialog(ctx, page.assessments, page.assessment)
    qtbot.addWidget(approve)
    approve.by.setText("Board of Trustees")
    approve.changes.setText("Annual review")
    approve._on_ok()
    assert approve.result() == QDialog.DialogCode.Accepted.value
    page.refresh()
    assert "approved by Board of Trustees" in page.state.text()

    with qtbot.waitSignal(page.exported, timeout=20000) as blocker:
        page.export_to(tmp_path / "sa.pdf", "pdf")
    assert blocker.args[0].endswith("sa.pdf") and (tmp_path / "sa.pdf").stat().st_size > 1000
    with qtbot.waitSignal(page.exported, timeout=20000):
        page.export_to(tmp_path / "plan.pdf", "plan")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(tmp_path / "plan.pdf")).pages)
    assert "Appoint a second handler" in text
    assert "Written" in page.export_note.text()


def test_year_selector_and_changes_tab(qtbot, page, service):
    sa = SelfAssessments(service)
    last = sa.start(2025)
    sa.set_entry(last.id, "3.1", comply="Yes")
    this = sa.start(2026)
    sa.set_entry(this.id, "3.1", comply="No", rag="red")
    page._fill_years()
    page.select_year(2026)
    page.refresh()
    assert page.changes_table.rowCount() == 1
    assert page.changes_table.item(0, 0).text() == "3.1"
    assert page.changes_table.item(0, 1).text() == "comply Yes → No; RAG (none) → red"
    page.select_year(2025)
    assert page.assessment.year == 2025 and page.assessment.entry("3.1").comply == "Yes"
    assert "no earlier self-assessment" in page.changes_note.text()
