"""A day at the desk, checked across the whole app: every control on every page and dialog has a name a
screen reader can say, dialogs tab top to bottom, the keyboard shortcuts work, and the demo looks alive."""

from __future__ import annotations

import datetime as dt

import pytest
from gui_support import drive_modal
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tests.conftest import TODAY


@pytest.fixture
def ctx(store, tmp_path):
    from hoscase.cases import CaseService
    from hoscase.demo import build_demo
    from hoscase.demo_extras import add_demo_extras
    from hoscase.gui.context import AppContext

    build_demo(store, today=TODAY, cases=40)
    add_demo_extras(CaseService(store, who="Priya Shah", today=TODAY), TODAY)
    return AppContext(store, today=TODAY, data_folder=tmp_path)


@pytest.fixture
def window(qtbot, ctx, tmp_path):
    from hoscase.gui.main_window import MainWindow

    w = MainWindow(ctx, QSettings(str(tmp_path / "ui.ini"), QSettings.IniFormat))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    for case_window in list(w.case_windows.values()):
        case_window.close()


# --- names a screen reader can say ------------------------------------------


def _internal(widget: QWidget) -> bool:
    """Parts of a compound control (a spin box's text, a combo's editor, a view's viewport) named by their owner."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            return True
        if isinstance(parent, QAbstractItemView) and widget is not parent:
            return True  # a cell editor or the viewport
        parent = parent.parentWidget()
    return False


def _buddies(root: QWidget) -> set[int]:
    return {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}


def unnamed_controls(root: QWidget) -> list[str]:
    """Every control a keyboard user can reach under ``root`` with nothing to call it by."""
    buddies = _buddies(root)
    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.isEnabled() and not isinstance(widget, QAbstractButton):
            continue
        if not widget.focusPolicy() & Qt.TabFocus or _internal(widget):
            continue
        if widget.accessibleName().strip() or id(widget) in buddies:
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue  # a button's own words are its name
        if isinstance(widget, QTabBar) and widget.count():
            continue  # each tab says its title
        if isinstance(widget, QComboBox) and widget.isEditable() and id(widget.lineEdit()) in buddies:
            continue
        missing.append(f"{type(widget).__name__} {widget.objectName() or ''} "
                       f"{getattr(widget, 'text', lambda: '')() if isinstance(widget, QLineEdit) else ''}".strip())
    return missing


PAGES = ("worklist", "cases", "calendar", "service_requests", "selfassessment", "reports", "settings", "data")


@pytest.mark.parametrize("key", PAGES)
def test_every_control_on_every_page_has_a_name(qtbot, window, key):
    page = window.show_page(key)
    qtbot.wait(10)
    from hoscase.gui.pages.placeholder import ComingLaterPage

    assert not isinstance(page, ComingLaterPage), f"the {key} page did not open"
    if hasattr(page, "tabs"):  # the controls on every tab, not just the first
        for index in range(page.tabs.count()):
            page.tabs.setCurrentIndex(index)
            assert unnamed_controls(page) == [], f"{key}, tab {page.tabs.tabText(index)}"
    else:
        assert unnamed_controls(page) == [], key


def test_the_navigation_and_the_status_counts_are_named(window):
    assert window.nav.accessibleName()
    assert window.counts_label.accessibleName()


# --- the dialogs not about cases: names and tab order ----------------------------------


def _dialogs(ctx):
    from hoscase.gui.dialogs.approve_assessment import ApproveAssessmentDialog
    from hoscase.gui.dialogs.improvement_action import ImprovementActionDialog
    from hoscase.gui.dialogs.raise_complaint import RaiseToComplaintDialog
    from hoscase.gui.dialogs.service_request import NewServiceRequestDialog
    from hoscase.gui.dialogs.service_request_done import ServiceRequestDoneDialog
    from hoscase.selfassessment import SelfAssessments
    from hoscase.service_requests import list_service_requests

    work = SelfAssessments(ctx.service)
    assessment = work.annual(work.annual_years()[-1])
    open_request = list_service_requests(ctx.service, "open")[0]["reference"]
    return {
        "improvement action": lambda: ImprovementActionDialog(ctx, work, assessment, provision="6.2"),
        "approve": lambda: ApproveAssessmentDialog(ctx, work, assessment),
        "raise to complaint": lambda: RaiseToComplaintDialog(ctx, open_request),
        "new service request": lambda: NewServiceRequestDialog(ctx),
        "service request done": lambda: ServiceRequestDoneDialog(ctx, open_request),
    }


def _focus_chain(dialog: QDialog) -> list[QWidget]:
    """The controls in the order Tab visits them, from the first."""
    seen: list[QWidget] = []
    start = dialog.nextInFocusChain()
    widget = start
    for _ in range(500):
        if (widget.isVisibleTo(dialog) and widget.isEnabled() and widget.focusPolicy() & Qt.TabFocus
                and not _internal(widget) and dialog.isAncestorOf(widget) and widget not in seen):
            seen.append(widget)
        widget = widget.nextInFocusChain()
        if widget is start:
            break
    return seen


@pytest.mark.parametrize("name", ["improvement action", "approve", "raise to complaint", "new service request",
                                  "service request done"])
def test_dialogs_are_named_and_tab_from_top_to_bottom(qtbot, ctx, name):
    dialog = _dialogs(ctx)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert unnamed_controls(dialog) == []
    fields = [w for w in _focus_chain(dialog) if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox,
                                                                 QAbstractSpinBox, QAbstractButton))]
    assert fields, name
    tops = [w.mapTo(dialog, w.rect().topLeft()).y() for w in fields]
    # Tab goes down the form (controls side by side on one row may come in either order), ending at the buttons.
    for before, after, widget in zip(tops, tops[1:], fields[1:], strict=False):
        assert after >= before - 12, f"{name}: Tab jumps back up to {type(widget).__name__} " \
                                     f"{widget.accessibleName() or getattr(widget, 'text', lambda: '')()}"
    dialog.reject()


# --- the keyboard ------------------------------------------------------------


def test_ctrl_numbers_go_to_every_page(qtbot, window):
    from hoscase.gui.main_window import PAGE_KEYS

    for number, key in enumerate(PAGE_KEYS, start=1):
        qtbot.keyClick(window, getattr(Qt, f"Key_{number}"), Qt.ControlModifier)
        assert window.current_page_key() == key


def test_ctrl_f_finds_and_f8_opens_the_next_overdue_case(qtbot, window):
    window.show_page("calendar")
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    cases = window.pages["cases"]
    assert window.current_page_key() == "cases"
    qtbot.waitUntil(lambda: cases.search.hasFocus(), timeout=2000)
    overdue = window.overdue_references()
    assert len(overdue) >= 2  # the demo always has some
    qtbot.keyClick(window, Qt.Key_F8)
    assert overdue[0] in window.case_windows
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_F8)
    assert overdue[1] in window.case_windows


def test_ctrl_n_opens_the_new_case_dialog(qtbot, window):
    seen = {}

    def fill(dialog):
        seen["title"] = dialog.windowTitle()
        dialog.reject()

    drive_modal(lambda: qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier), fill)
    assert "complaint" in seen["title"].lower()


# --- the demo looks lived in --------------------------------------------------


def test_demo_has_last_years_approved_assessment_and_this_years_started_from_it(ctx):
    from hoscase.selfassessment import SelfAssessments

    work = SelfAssessments(ctx.service)
    years = work.annual_years()
    assert years == [2025, 2026]
    last, this = work.annual(2025), work.annual(2026)
    assert last.approved_on and not this.approved_on
    assert all(e.answered for e in this.entries)
    changed = {c["provision"] for c in work.diff(this, last)}
    assert changed == {"3.7", "9.7"}
    assert any(a["carried_from"] for a in this.actions)  # last year's open actions came across


def test_self_assessment_page_shows_rag_in_words_and_record_evidence_beside_the_entry(qtbot, window):
    page = window.show_page("selfassessment")
    page.select_provision("6.2")
    item = page._item_for("6.2")
    assert item.text(3) in ("Green", "Amber", "Red")  # never colour alone
    assert page.records_box.isVisibleTo(page)
    assert "acknowledged within 5 working days" in page.records.text()
    counts = {key: label.text() for key, label in page.counts.items()}
    assert counts["green"].startswith("Green: ") and counts["actions_overdue"].startswith("Actions overdue: ")
    section = page.tree.topLevelItem(0)
    assert section.isFirstColumnSpanned() and section.text(0).startswith("Section 1")


def test_reports_page_dates_are_uk_style_and_an_empty_year_shows_dashes(qtbot, window):
    page = window.show_page("reports")
    label = page.year_box.currentText()
    assert "(1 Apr 2025 to 31 Mar 2026)" in label, label
    previous = [page.figures_table.item(0, 3).text()]
    assert previous == ["–"]  # the demo starts in 2025/26: nothing to compare with, not a column of noughts
    names = [page.figures_table.item(r, 0).text() for r in range(page.figures_table.rowCount())]
    assert "Outcome: upheld" in names and any(n.startswith("Promised actions still open") for n in names)
    for editor in page.editors.values():
        assert editor.accessibleName()
    assert page.editors["introduction"].toPlainText()  # the demo's narrative


def test_service_requests_page_lists_the_demo_requests(qtbot, window, ctx):
    page = window.show_page("service_requests")
    assert page.table.model().rowCount() >= 1
    from hoscase.service_requests import list_service_requests

    statuses = {r["status"] for r in list_service_requests(ctx.service)}
    assert statuses == {"open", "done", "raised"}


def test_calendar_marks_weekends_holidays_and_today(qtbot, window, ctx):
    page = window.show_page("calendar")
    page.show_month(2026, 12)
    model = page.model
    christmas = model.cell_at(model.index_of(dt.date(2026, 12, 25)))
    closure = model.cell_at(model.index_of(dt.date(2026, 12, 24)))
    saturday = model.cell_at(model.index_of(dt.date(2026, 12, 5)))
    assert (christmas.off_kind, christmas.off_name) == ("bank", "Christmas Day")
    assert closure.off_kind == "closure" and "closed" in closure.off_name.lower()
    assert saturday.off_kind == "weekend"
    assert QApplication.instance() is not None


def test_first_run_wizard_pages_are_named_and_tab_in_order(qtbot, tmp_path):
    from hoscase.gui.context import AppContext
    from hoscase.gui.dialogs.first_run import FirstRunWizard
    from hoscase.store import Store

    store = Store(tmp_path / "new.sqlite3")
    try:
        wizard = FirstRunWizard(AppContext(store, today=TODAY, data_folder=tmp_path))
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        for page_id in wizard.pageIds():
            page = wizard.page(page_id)
            assert unnamed_controls(page) == [], page.title()
        wizard.reject()
    finally:
        store.close()


def test_user_guide_lays_out_every_paragraph_after_fitting_its_pictures(qtbot):
    """Fitting the pictures used to leave the text after them with no height: paragraphs vanished under images."""
    from hoscase.gui.help import UserGuideDialog

    dialog = UserGuideDialog()
    qtbot.addWidget(dialog)
    dialog.resize(1100, 750)
    dialog.show()
    qtbot.waitExposed(dialog)
    document = dialog.browser.document()
    layout = document.documentLayout()
    block, empty = document.begin(), []
    while block.isValid():
        if block.text().strip() and layout.blockBoundingRect(block).height() <= 0:
            empty.append(block.text()[:40])
        block = block.next()
    assert empty == []
    assert dialog.browser.scroll_to_heading("The annual report")
    assert dialog.browser.verticalScrollBar().value() > 0
