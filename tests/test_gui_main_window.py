"""The main window: navigation, pages that are not there yet, shortcuts, remembered layout, the work list,
About, the screenshot command, background work and the calm error dialog."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time

import pytest
from gui_support import drive_modal
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def ctx(store, tmp_path):
    from hoscase.gui.context import AppContext

    with store.transaction():
        store.put_handler("Priya Shah")
        store.put_category("Repairs")
    return AppContext(store, today=TODAY, data_folder=tmp_path)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def window(qtbot, ctx, settings):
    from hoscase.gui.main_window import MainWindow

    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    for case_window in list(w.case_windows.values()):
        case_window.close()


def _add(service, resident, received, **more):
    return service.add_case(resident_name=resident, address="1 Mill Terrace", received=received, channel="phone",
                            category="Repairs", definition="Leaking tap", handler="Priya Shah", **more)


def test_navigation_and_a_missing_page_shows_a_calm_panel(qtbot, window, monkeypatch):
    from hoscase.gui.main_window import PAGES
    from hoscase.gui.pages.placeholder import ComingLaterPage

    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Work list", "Cases", "Calendar", "Service requests", "Self-assessment", "Reports", "Settings",
        "Backups & data"]
    assert window.current_page_key() == "worklist"
    monkeypatch.setitem(sys.modules, "hoscase.gui.pages.reports", None)  # as if the module were not there yet
    window.nav.setCurrentRow([p.key for p in PAGES].index("reports"))
    page = window.stack.currentWidget()
    assert isinstance(page, ComingLaterPage)
    assert "coming in a later release" in page.message.text()
    qtbot.keyClick(window, Qt.Key_2, Qt.ControlModifier)
    assert window.current_page_key() == "cases"


def test_layout_and_page_are_remembered(qtbot, ctx, settings):
    from hoscase.gui.main_window import MainWindow

    first = MainWindow(ctx, settings)
    qtbot.addWidget(first)
    first.show()
    first.show_page("settings")
    first.resize(760, 590)  # the offscreen screen is 800 pixels wide; restoring keeps a window on screen
    first.close()
    second = MainWindow(ctx, settings)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (760, 590)
    assert second.current_page_key() == "settings"
    second.show_page("cases")
    assert second.minimumSizeHint().width() <= 1024  # the register fits a small laptop screen


def test_work_list_groups_and_opens_cases(qtbot, window, ctx):
    service = ctx.service
    overdue = _add(service, "Olive Overdue", "2026-10-01").reference
    today = _add(service, "Tess Today", "2026-11-13").reference  # acknowledge due 20 Nov
    soon = _add(service, "Sam Soon", "2026-11-18").reference
    later = _add(service, "Lou Later", "2026-10-01")
    service.acknowledge(later.reference, "2026-11-19")  # respond due in December: not on the list
    responded = _add(service, "Ada Action", "2026-10-01")
    service.acknowledge(responded.reference, "2026-10-02")
    service.respond(responded.reference, "2026-10-10", "upheld", "Fixed.",
                    actions=[{"description": "Replace the tap", "due": "2026-11-23"}])
    _add(service, "Ray Review", "2026-11-02", adjustments="Large print", adjustments_review="2026-11-16")
    ctx.cases_changed.emit()
    page = window.pages["worklist"]
    assert page.references("overdue")[0] == overdue
    assert today in page.references("today")
    assert soon in page.references("soon")
    assert later.reference not in page.references("overdue") + page.references("today") + page.references("soon")
    assert page.references("actions") == [responded.reference]
    assert "C-2026-0006" in page.references("adjustments")

    group = page.tree.topLevelItem(0)
    assert group.text(0).startswith("Overdue (")
    first = group.child(0)
    assert first.text(0) == "Acknowledge (stage 1)" and first.text(3) == "8 Oct 2026"
    assert first.text(4).endswith("working days")  # overdue said in words, not only in red
    action_group = next(page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())
                        if page.tree.topLevelItem(i).text(0).startswith("Outstanding actions"))
    assert action_group.child(0).text(0) == "Follow up action" and action_group.child(0).text(6) == "Replace the tap"

    page.tree.setFocus()
    page.tree.setCurrentItem(first)
    qtbot.keyClick(page.tree, Qt.Key_Return)
    assert overdue in window.case_windows

    # F8 goes round the overdue cases, most overdue first.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    review = "C-2026-0006"  # received 2 Nov, acknowledgement due 9 Nov: the other overdue case
    assert window.overdue_references() == [overdue, review]
    window.case_windows[overdue].close()
    qtbot.keyClick(window, Qt.Key_F8)
    assert overdue in window.case_windows
    assert window.statusBar().currentMessage() == f"Overdue 1 of 2: {overdue}"
    assert window.next_overdue() == review and review in window.case_windows
    assert window.next_overdue() == overdue  # round again


def test_about_names_version_licence_and_code_edition(qtbot, window):
    import hoscase

    seen = {}

    def read(box):
        seen["text"] = box.text()
        box.accept()

    drive_modal(window.about, read)
    assert hoscase.__version__ in seen["text"]
    assert "GPL-3.0-or-later" in seen["text"]
    assert f"({hoscase.CODE_EDITION} edition)" in seen["text"]


def test_screenshot_command_renders_views(qtbot, tmp_path, store, new_case):
    from hoscase.cli import main

    new_case()
    store.close()
    db = tmp_path / "test.sqlite3"
    out = tmp_path / "case.png"
    assert main(["--db", str(db), "screenshot", "--view", "case", "-o", str(out), "--size", "1000x700"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    assert main(["--db", str(db), "screenshot", "--view", "case", "--case", "C-1999-0001", "-o", str(out)]) == 2
    assert main(["--db", str(db), "screenshot", "--view", "cases", "-o", str(out), "--size", "big"]) == 2

    # From a shell with no display, as the README's pictures are made.
    result = subprocess.run([sys.executable, "-m", "hoscase", "--db", str(db), "screenshot", "--view", "worklist",
                             "-o", str(tmp_path / "worklist.png")], capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")})
    assert result.returncode == 0, result.stderr
    assert QImage(str(tmp_path / "worklist.png")).width() == 1280


def test_background_work_reports_progress_success_and_cancel(qtbot):
    from hoscase.errors import HoscaseError
    from hoscase.gui.ops import Cancelled, run_in_background

    done = []
    seen_thread = []

    def work(progress):
        seen_thread.append(threading.current_thread() is threading.main_thread())
        for i in range(5):
            progress(i, 5)
        return "finished"

    op = run_in_background(None, "Counting", work, done.append)
    with qtbot.waitSignal(op.finished, timeout=3000):
        pass
    assert done == ["finished"] and seen_thread == [False]

    started = threading.Event()
    errors = []

    def slow(progress):
        started.set()
        for i in range(1000):
            progress(i, 1000)
            time.sleep(0.005)
        return "should not finish"

    op = run_in_background(None, "Slow", slow, done.append, on_error=errors.append)
    assert started.wait(2)
    qtbot.wait(50)
    cancel = next(b for b in op.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.LeftButton)  # the user presses Cancel
    with qtbot.waitSignal(op.finished, timeout=3000):
        pass
    assert len(errors) == 1 and isinstance(errors[0], Cancelled) and done == ["finished"]

    def bad(progress):
        raise HoscaseError("the file is not a hoscase export")

    op = run_in_background(None, "Import", bad, done.append, on_error=errors.append)
    with qtbot.waitSignal(op.finished, timeout=3000):
        pass
    assert str(errors[-1]) == "the file is not a hoscase export"


def test_unexpected_errors_get_a_calm_dialog(qtbot, monkeypatch, tmp_path):
    from hoscase.gui import app

    monkeypatch.setattr(app, "_log_path", lambda: tmp_path / "errors.log")
    seen = {}

    def read(box):
        seen["text"] = box.text()
        seen["details"] = box.detailedText()
        box.accept()

    def boom():
        try:
            raise ValueError("bad thing")
        except ValueError:
            app._excepthook(*sys.exc_info())

    drive_modal(boom, read)
    assert "Something went wrong" in seen["text"] and "Traceback" not in seen["text"]
    assert "ValueError: bad thing" in seen["details"]
    assert "ValueError: bad thing" in (tmp_path / "errors.log").read_text()
    assert QApplication.activeModalWidget() is None


def test_work_list_shows_overdue_improvement_actions_and_opens_the_self_assessment(qtbot, window, ctx):
    from hoscase.gui.pages.worklist import PAGE_ROLE
    from hoscase.selfassessment import SelfAssessments

    sa = SelfAssessments(ctx.service)
    assessment = sa.start(2025)
    sa.add_action(assessment.id, "9.1", "Name the member responsible for complaints", "Clerk", "2026-10-31")
    sa.add_action(assessment.id, "9.2", "Not yet due", "Clerk", "2026-12-31")
    ctx.cases_changed.emit()
    page = window.show_page("worklist")
    assert [r["detail"] for r in page.rows["improvement"]] == ["Name the member responsible for complaints"]
    assert "1 self-assessment improvement action overdue" in page.summary.text()
    group = next(page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())
                 if page.tree.topLevelItem(i).data(0, Qt.UserRole) == "improvement")
    item = group.child(0)
    assert item.data(0, PAGE_ROLE) == "selfassessment"
    assert item.text(1) == "Provision 9.1" and item.text(4)  # says how overdue in words, not colour alone
    page.tree.setCurrentItem(item)
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key_Return)
    assert window.current_page_key() == "selfassessment"
    assert window.case_windows == {}


def test_work_list_shows_the_annual_submission_as_it_comes(qtbot, ctx, settings):
    from hoscase.gui.main_window import MainWindow

    with ctx.store.transaction():
        ctx.store.put_setting("organisation", {"name": "Almshouse Trust", "homes": 40})
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    page = w.show_page("worklist")
    # Today is 20 Nov 2026: the 2025/26 year's submission was due 30 Sep 2026, the next one 30 Sep 2027.
    assert page.submission.isHidden()
    soon = ctx.service.__class__(ctx.store, today=dt.date(2026, 8, 3))
    ctx.service = soon
    page.refresh()
    assert not page.submission.isHidden()
    assert "by 30 September 2026" in page.submission.text() and "2025/26" in page.submission.text()


def test_help_menu_opens_the_user_guide_with_f1(qtbot, window):
    from hoscase.gui import help as help_module

    assert window.guide_action.shortcut().matches(Qt.Key_F1) or window.guide_action.shortcut().toString() == "F1"
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClick(window, Qt.Key_F1)
    guide = help_module._open
    assert guide is not None and guide.isVisible()
    qtbot.addWidget(guide)
    assert "hoscase" in guide.windowTitle() or "guide" in guide.windowTitle().lower()
    guide.close()


def test_work_list_shows_ombudsman_orders_until_complied_with(qtbot, window, ctx, new_case):
    case = new_case()
    ctx.service.update(case.reference, {"ombudsman_referred_on": "2026-06-01", "ombudsman_finding": "maladministration",
                                        "ombudsman_orders": "Apologise and pay £250",
                                        "ombudsman_orders_due": "2026-11-24"})
    ctx.cases_changed.emit()
    page = window.show_page("worklist")
    assert [(r["reference"], r["detail"]) for r in page.rows["ombudsman"]] == [
        (case.reference, "Apologise and pay £250")]
    assert "1 case with Ombudsman orders due" in page.summary.text()
    ctx.service.update(case.reference, {"ombudsman_orders_complied_on": "2026-11-19"})
    ctx.cases_changed.emit()
    assert page.rows["ombudsman"] == []


def test_going_to_a_page_by_keyboard_puts_the_focus_in_it(qtbot, window, ctx, new_case):
    new_case(received="2026-11-02")  # overdue to acknowledge: the work list's first row
    ctx.cases_changed.emit()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_2, Qt.ControlModifier)
    assert QApplication.focusWidget() is window.pages["cases"].search
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    page = window.pages["worklist"]
    assert QApplication.focusWidget() is page.tree
    opened: list[str] = []
    ctx.case_opened.disconnect(window.open_case)
    ctx.case_opened.connect(opened.append)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert opened == [page.rows["overdue"][0]["reference"]]
