"""The small dialogs as the officer meets them: previews that follow the dates, problems that name the field,
Enter saves, and nothing cut off on a 1024 x 700 laptop screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QDate

from tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def ctx(store, tmp_path):
    from hoscase.gui.context import AppContext

    with store.transaction():
        for name in ("Priya Shah", "Grace Okafor"):
            store.put_handler(name)
        store.put_category("Repairs")
    context = AppContext(store, today=TODAY, data_folder=tmp_path / "data")
    context.service.who = "Test Officer"
    return context


def _shown(qtbot, dialog):
    dialog.ask_before_discarding = False  # closing at the end of a test must not stop to ask
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_acknowledge_preview_follows_the_date(qtbot, ctx, new_case):
    from hoscase.gui.dialogs.acknowledge import AcknowledgeDialog

    case = new_case(received="2026-11-02")
    dialog = _shown(qtbot, AcknowledgeDialog(ctx, case.reference))
    dialog.on.setDate(QDate(2026, 11, 3))
    early = dialog.info.text()
    assert "response due by 17 Nov 2026" in early and "late" not in early
    dialog.on.setDate(QDate(2026, 11, 13))  # after the 5 working days
    late = dialog.info.text()
    assert "response due by 27 Nov 2026" in late
    assert "was due by 9 Nov 2026, so it is late" in late


def test_escalate_preview_follows_the_date_and_a_missing_handler_is_named(qtbot, ctx, new_case):
    from hoscase.gui.dialogs.escalate import EscalateDialog

    case = new_case(received="2026-10-01")
    ctx.service.acknowledge(case.reference, "2026-10-02")
    ctx.service.respond(case.reference, "2026-10-10", "not-upheld", "Repair done on time.")
    dialog = _shown(qtbot, EscalateDialog(ctx, case.reference))
    dialog.on.setDate(QDate(2026, 11, 2))
    first = dialog.info.text()
    dialog.on.setDate(QDate(2026, 11, 9))
    assert dialog.info.text() != first
    assert "acknowledgement due by 16 Nov 2026" in dialog.info.text()
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert "Stage 2 handler is required" in dialog.error.text()
    assert "Priya Shah" in dialog.error.text()  # who it must not be
    assert ctx.service.get(case.reference).status == "stage1-responded"  # nothing changed


def test_respond_names_the_missing_decision_in_plain_words(qtbot, ctx, new_case):
    from hoscase.gui.dialogs.respond import RespondDialog

    case = new_case(received="2026-11-02")
    ctx.service.acknowledge(case.reference, "2026-11-03")
    dialog = _shown(qtbot, RespondDialog(ctx, case.reference))
    dialog.reasons.setPlainText("The repair was late.")
    dialog.ok_button.click()
    message = dialog.error.text()
    assert "Decision list" in message and "partly upheld" in message
    assert "partly-upheld" not in message  # not the command line's spelling
    assert ctx.service.get(case.reference).status == "stage1-awaiting-response"


def test_remedy_date_column_is_not_cut_off(qtbot, ctx, new_case):
    from hoscase.gui.dialogs.respond import RespondDialog

    case = new_case(received="2026-11-02")
    ctx.service.acknowledge(case.reference, "2026-11-03")
    dialog = _shown(qtbot, RespondDialog(ctx, case.reference))
    dialog.remedies.add()
    qtbot.wait(10)
    table = dialog.remedies.table
    due = table.cellWidget(0, 3)
    right = table.columnViewportPosition(3) + table.columnWidth(3)
    assert right <= table.viewport().width() + 1
    assert table.columnWidth(3) >= due.sizeHint().width()


def test_preview_box_hidden_when_it_has_nothing_to_say(qtbot, ctx, new_case):
    from hoscase.gui.dialogs.add_note import AddNoteDialog

    case = new_case()
    dialog = _shown(qtbot, AddNoteDialog(ctx, case.reference))
    assert not dialog.info.isVisible()
    dialog.ok_button.click()
    assert dialog.error.isVisible() and "Summary is required" in dialog.error.text()


def test_a_problem_message_pushes_nothing_out_of_sight(qtbot, ctx):
    from hoscase.gui.dialogs.service_request import NewServiceRequestDialog

    dialog = _shown(qtbot, NewServiceRequestDialog(ctx))
    dialog.ok_button.click()
    qtbot.wait(10)
    assert "Resident name is required" in dialog.error.text()
    box = dialog.description.geometry()
    problem = dialog.error.geometry()
    assert dialog.error.isVisible()
    assert box.bottom() < dialog.info.geometry().top() or not dialog.info.isVisible()
    assert box.bottom() < problem.top()  # the request box is not drawn under the message
    assert problem.bottom() < dialog.buttons.geometry().top()


@pytest.mark.parametrize("module, cls", [
    ("acknowledge", "AcknowledgeDialog"), ("extend", "ExtendDialog"), ("respond", "RespondDialog"),
    ("withdraw", "WithdrawDialog"), ("add_action", "AddActionDialog"), ("add_remedy", "AddRemedyDialog"),
    ("add_note", "AddNoteDialog"), ("refuse", "RefuseDialog"),
])
def test_enter_saves_and_dates_read_uk_style(qtbot, ctx, new_case, module, cls):
    import importlib

    from PySide6.QtWidgets import QDateEdit

    case = new_case(received="2026-11-02")
    if module in ("extend", "respond"):
        ctx.service.acknowledge(case.reference, "2026-11-03")
    dialog = _shown(qtbot, getattr(importlib.import_module(f"hoscase.gui.dialogs.{module}"), cls)(ctx, case.reference))
    assert dialog.ok_button.isDefault()
    for edit in dialog.findChildren(QDateEdit):
        if edit.isEnabled():
            assert edit.displayFormat() == "d MMM yyyy"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", dialog.info.text())  # 22 Nov 2026, never 2026-11-22


def test_close_counts_outstanding_actions_in_words(qtbot, ctx, new_case):
    from hoscase.gui.dialogs.close import CloseDialog

    case = new_case(received="2026-11-02")
    ctx.service.acknowledge(case.reference, "2026-11-03")
    ctx.service.respond(case.reference, "2026-11-10", "upheld", "Tap replaced late.", actions=[
        {"description": "Check the tap", "owner": "Priya Shah", "due": dt.date(2026, 12, 4)}])
    dialog = _shown(qtbot, CloseDialog(ctx, case.reference))
    assert "1 outstanding action stays on the work list" in dialog.info.text()
    assert "4 Dec 2026" in dialog.info.text()
    assert "(s)" not in dialog.info.text()


def test_import_preview_dates_are_uk_style(qtbot, store, tmp_path):
    from hoscase.gui.dialogs.import_preview import ImportPreviewDialog
    from hoscase.importer import check_file

    sheet = tmp_path / "cases.csv"
    sheet.write_text("resident,address,received,channel,category,definition,handler\n"
                     "Ann Example,1 Mill Terrace,2026-11-02,phone,Repairs,The tap leaks,Priya Shah\n",
                     encoding="utf-8")
    result = check_file(store, sheet, TODAY)
    assert result.ok, [e.message for e in result.errors]
    dialog = _shown(qtbot, ImportPreviewDialog(result))
    column = [dialog.table.horizontalHeaderItem(i).text() for i in range(dialog.table.columnCount())].index("Received")
    assert dialog.table.item(0, column).text() == "2 Nov 2026"
    assert dialog.import_button.isDefault()


def test_big_dialogs_fit_a_small_screen(qtbot, ctx, new_case, monkeypatch):
    """On a 1024 x 700 laptop: the new complaint form scrolls, the letter preview and the guide fit."""
    from PySide6.QtCore import QSize

    from hoscase.gui.dialogs import base

    monkeypatch.setattr(base, "available_size", lambda widget=None: QSize(1008, 652))
    from hoscase.gui import help as help_module
    from hoscase.gui import letter_preview
    from hoscase.gui.dialogs import new_case as new_case_module

    monkeypatch.setattr(new_case_module, "available_size", base.available_size)
    dialog = _shown(qtbot, new_case_module.NewCaseDialog(ctx))
    assert dialog.minimumSizeHint().height() <= 652
    assert dialog.height() <= 652 and dialog.width() <= 1008
    dialog.issue_date.set_value("2024-01-02")  # the over-12-months warning appears
    dialog.ok_button.click()
    assert "Resident name is required" in dialog.error.text()
    assert dialog.height() <= 652
    assert dialog.buttons.geometry().bottom() <= dialog.height()

    case = new_case(received="2026-11-02")
    preview = letter_preview.LetterPreviewDialog(ctx, case.reference, "stage1-acknowledgement")
    qtbot.addWidget(preview)
    assert preview.height() <= 652 and preview.width() <= 1008
    guide = help_module.UserGuideDialog()
    qtbot.addWidget(guide)
    assert guide.height() <= 652 and guide.width() <= 1008


def test_respond_reminds_that_an_upheld_complaint_is_put_right(qtbot, ctx, new_case):
    from hoscase.gui.dialogs.respond import RespondDialog

    case = new_case(received="2026-11-02")
    ctx.service.acknowledge(case.reference, "2026-11-03")
    dialog = _shown(qtbot, RespondDialog(ctx, case.reference))
    assert "7.1" not in dialog.info.text()
    dialog.decision.setCurrentIndex(dialog.decision.findData("partly-upheld"))
    assert "Code (7.1)" in dialog.info.text()
    dialog.remedies.add_button.click()
    assert "7.1" not in dialog.info.text()  # a remedy recorded: nothing to remind
    dialog.remedies.remove_button.click()
    dialog.decision.setCurrentIndex(dialog.decision.findData("not-upheld"))
    assert "7.1" not in dialog.info.text()
