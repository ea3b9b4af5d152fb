"""The deadline calendar, driven as the officer uses it: days, names of days off, clicks and month paging."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.conftest import TODAY


@pytest.fixture
def ctx(store):
    from hoscase.gui.context import AppContext

    return AppContext(store, today=TODAY)


@pytest.fixture
def page(qtbot, ctx):
    from hoscase.gui.pages.calendar import CalendarPage

    widget = CalendarPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _cell_text(page, day: dt.date) -> str:
    index = page.model.index_of(day)
    assert index.isValid(), f"{day} is not on the month shown"
    return index.data(Qt.DisplayRole)


def _click_day(qtbot, page, day: dt.date) -> None:
    index = page.model.index_of(day)
    qtbot.mouseClick(page.view.viewport(), Qt.LeftButton, pos=page.view.visualRect(index).center())


def test_acknowledge_deadline_on_the_right_day(qtbot, ctx, new_case):
    case = new_case(received="2026-11-16")  # Monday: 5 working days on is Monday 23 November
    from hoscase.gui.pages.calendar import CalendarPage

    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    assert page.month_label.text() == "November 2026"
    assert case.reference in page.references_on(dt.date(2026, 11, 23))
    assert case.reference not in page.references_on(dt.date(2026, 11, 20))
    text = _cell_text(page, dt.date(2026, 11, 23))
    assert case.reference in text and "due soon" in text
    assert "nothing due" in _cell_text(page, dt.date(2026, 11, 24))


def test_overdue_and_actions_marked_in_words(qtbot, ctx, new_case, service):
    late = new_case(received="2026-10-01")  # never acknowledged: due 8 October, long overdue
    done = new_case(received="2026-10-05")
    service.acknowledge(done.reference, "2026-10-06")
    service.respond(done.reference, "2026-10-20", "upheld", "The repair was late.",
                    actions=[{"description": "Replace the tap", "due": "2026-11-26"}])
    from hoscase.gui.pages.calendar import CalendarPage

    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    page.show_month(2026, 10)
    text = _cell_text(page, dt.date(2026, 10, 8))
    assert late.reference in text and "overdue" in text
    page.select_day(dt.date(2026, 10, 8))
    assert page.day_list.item(0).text().startswith("! Overdue")
    page.show_month(2026, 11)
    assert done.reference in page.references_on(dt.date(2026, 11, 26))
    page.select_day(dt.date(2026, 11, 26))
    assert "Replace the tap" in page.day_list.item(0).text()


def test_bank_holiday_and_closure_day_named(qtbot, ctx, store):
    with store.transaction():
        store.put_closure_day("2026-12-24", "Office closed for Christmas")
        store.put_closure_day("2026-12-29", "Staff training")
    ctx.settings_changed.emit()
    from hoscase.gui.pages.calendar import CalendarPage, DayDelegate

    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    page.show_month(2026, 12)
    assert "bank holiday: Christmas Day" in _cell_text(page, dt.date(2026, 12, 25))
    assert "office closed: Office closed for Christmas" in _cell_text(page, dt.date(2026, 12, 24))
    assert "office closed: Staff training" in _cell_text(page, dt.date(2026, 12, 29))
    assert "weekend" in _cell_text(page, dt.date(2026, 12, 27))
    assert "weekend" not in _cell_text(page, dt.date(2026, 12, 23))
    page.select_day(dt.date(2026, 12, 29))
    assert "Office closed: Staff training" in page.day_note.text()
    assert isinstance(page.view.itemDelegate(), DayDelegate)


def test_closure_day_moves_the_deadline_at_once(page, ctx, store, new_case):
    case = new_case(received="2026-11-16")
    ctx.cases_changed.emit()
    assert case.reference in page.references_on(dt.date(2026, 11, 23))
    with store.transaction():
        store.put_closure_day("2026-11-18", "Office move")
    ctx.settings_changed.emit()
    assert case.reference not in page.references_on(dt.date(2026, 11, 23))
    assert case.reference in page.references_on(dt.date(2026, 11, 24))
    assert "office closed: Office move" in _cell_text(page, dt.date(2026, 11, 18))


def test_clicking_a_day_lists_its_cases_and_double_click_opens(qtbot, page, ctx, new_case):
    first = new_case(received="2026-11-16")
    second = new_case(received="2026-11-16", resident_name="Bob Second")
    ctx.cases_changed.emit()
    _click_day(qtbot, page, dt.date(2026, 11, 23))
    assert page.selected_day == dt.date(2026, 11, 23)
    assert sorted(page.listed_references()) == sorted([first.reference, second.reference])
    assert "Monday 23 Nov 2026" in page.day_heading.text()
    _click_day(qtbot, page, dt.date(2026, 11, 24))
    assert page.listed_references() == []
    _click_day(qtbot, page, dt.date(2026, 11, 23))
    item = page.day_list.item(1)
    rect = page.day_list.visualItemRect(item)
    with qtbot.waitSignal(ctx.case_opened, timeout=2000) as blocker:
        qtbot.mouseClick(page.day_list.viewport(), Qt.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.day_list.viewport(), Qt.LeftButton, pos=rect.center())
    assert blocker.args == [item.data(Qt.UserRole + 2)]
    with qtbot.waitSignal(ctx.case_opened, timeout=2000) as blocker:
        page.day_list.setCurrentRow(0)
        page.day_list.setFocus()
        qtbot.keyClick(page.day_list, Qt.Key_Return)
    assert blocker.args == [page.day_list.item(0).data(Qt.UserRole + 2)]


def test_month_navigation_buttons_and_keys(qtbot, page):
    assert page.month_label.text() == "November 2026"
    qtbot.mouseClick(page.next_button, Qt.LeftButton)
    assert page.month_label.text() == "December 2026"
    qtbot.mouseClick(page.next_button, Qt.LeftButton)
    assert page.month_label.text() == "January 2027"
    qtbot.mouseClick(page.prev_button, Qt.LeftButton)
    qtbot.mouseClick(page.prev_button, Qt.LeftButton)
    qtbot.mouseClick(page.prev_button, Qt.LeftButton)
    assert page.month_label.text() == "October 2026"
    qtbot.mouseClick(page.today_button, Qt.LeftButton)
    assert page.month_label.text() == "November 2026"
    assert page.selected_day == TODAY
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key_PageDown)
    assert page.month_label.text() == "December 2026"
    assert page.selected_day == dt.date(2026, 12, 20)
    qtbot.keyClick(page.view, Qt.Key_PageUp)
    qtbot.keyClick(page.view, Qt.Key_PageUp)
    assert page.month_label.text() == "October 2026"
    qtbot.keyClick(page.view, Qt.Key_Home)
    assert page.month_label.text() == "November 2026"
    qtbot.keyClick(page.view, Qt.Key_Right)
    assert page.selected_day == dt.date(2026, 11, 21)
    # A day of the next month shown greyed at the end of the grid: clicking it goes to that month.
    _click_day(qtbot, page, dt.date(2026, 12, 3))
    qtbot.waitUntil(lambda: page.month_label.text() == "December 2026", timeout=2000)
    assert page.selected_day == dt.date(2026, 12, 3)


def test_month_render_reads_only_the_buckets(qtbot, page, ctx, monkeypatch):
    """Paging months must not go back to the database: deadlines are worked out once per refresh."""
    calls = []
    monkeypatch.setattr(ctx.service, "open_deadlines", lambda: calls.append(1) or [])
    for _ in range(24):
        page.step_month(1)
    assert calls == []
    assert page.month_label.text() == "November 2028"
