"""A newcomer's first look on a real screen: windows that fit a small laptop, the app's icon, titles that
name the organisation once, and a calendar that stays readable when its cells are narrow."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def ctx(store, tmp_path):
    from hoscase.gui.context import AppContext

    with store.transaction():
        store.put_handler("Priya Shah")
        store.put_category("Repairs")
        store.put_setting("organisation", {"name": "Ludlow Almshouse Trust", "address": "1 Church Street"})
    return AppContext(store, today=TODAY, data_folder=tmp_path)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


def test_fit_to_screen_never_opens_a_window_bigger_than_the_screen(qtbot):
    from hoscase.gui.widgets import TITLE_BAR_ALLOWANCE, fit_to_screen

    widget = QWidget()
    qtbot.addWidget(widget)
    free = widget.screen().availableGeometry()
    fit_to_screen(widget, free.width() + 500, free.height() + 500)
    assert widget.width() <= free.width()
    assert widget.height() <= free.height() - TITLE_BAR_ALLOWANCE
    fit_to_screen(widget, 300, 200)  # a small request is kept as asked
    assert (widget.width(), widget.height()) == (300, 200)


def test_main_window_fits_the_screen_and_names_the_organisation_once(qtbot, ctx, settings):
    from hoscase.gui.main_window import MainWindow

    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()
    assert window.height() <= free.height() and window.width() <= free.width()
    title = window.windowTitle()
    # Qt appends the display name unless the title already ends with it: "hoscase — X — hoscase" otherwise.
    assert title == "Ludlow Almshouse Trust — hoscase"
    assert title.count("hoscase") == 1


def test_the_app_has_its_icon_and_desktop_file_name(qapp):
    from hoscase.gui.app import app_icon, make_application

    sheet, style = qapp.styleSheet(), qapp.style().name()
    try:
        app = make_application()
        assert not app_icon().isNull() and len(app_icon().availableSizes()) >= 4
        assert not QApplication.windowIcon().isNull()
        assert app.desktopFileName() == "hoscase"
    finally:  # the app's stylesheet would change every later test's widget sizes
        qapp.setStyleSheet(sheet)
        qapp.setStyle(style)


def test_a_narrow_calendar_cell_shows_the_whole_count_in_a_smaller_font(qapp):
    from hoscase.gui.pages.calendar import fitted_headline

    bold = QFont(QApplication.font())
    bold.setBold(True)
    small = QFont(QApplication.font())
    small.setPointSizeF(bold.pointSizeF() * 0.88)
    text = "▲ 4 due soon"
    full = QFontMetrics(bold).horizontalAdvance(text)
    font, shown = fitted_headline(text, bold, small, full + 2)
    assert shown == text and font.pointSizeF() == bold.pointSizeF()
    small_bold = QFont(small)
    small_bold.setBold(True)
    squeezed = QFontMetrics(small_bold).horizontalAdvance(text) + 1
    font, shown = fitted_headline(text, bold, small, squeezed)
    assert shown == text and font.pointSizeF() < bold.pointSizeF() and font.bold()
    font, shown = fitted_headline(text, bold, small, squeezed // 2)  # still too narrow: elided, never clipped
    assert shown != text and QFontMetrics(font).horizontalAdvance(shown) <= squeezed // 2


def test_the_calendar_day_list_wraps_instead_of_scrolling_sideways(qtbot, ctx):
    from hoscase.gui.pages.calendar import CalendarPage

    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    assert page.day_list.wordWrap()
    assert page.day_list.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff


def test_case_window_tables_never_cut_their_headings(qtbot, ctx, settings, new_case):
    from hoscase.gui.case_window import CaseWindow
    from hoscase.paths import data_dir

    case = new_case()
    window = CaseWindow(ctx, case.reference, None, settings)
    qtbot.addWidget(window)
    window.setStyleSheet((data_dir("ui") / "style.qss").read_text(encoding="utf-8"))  # bold headings, as in the app
    window.show()
    qtbot.waitExposed(window)
    for tree in (window.timeline, window.attachments, window.remedies, window.actions_tree):
        bold = QFont(tree.header().font())
        bold.setBold(True)  # the stylesheet sets the headings in bold
        metrics = QFontMetrics(bold)
        for column in range(tree.columnCount() - 1):  # the last one stretches
            heading = tree.headerItem().text(column)
            assert tree.columnWidth(column) >= metrics.horizontalAdvance(heading) + 12, (tree.objectName(), heading)
