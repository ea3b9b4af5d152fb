"""The settings page, driven as the officer uses it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from hoscase.settings import OMBUDSMAN_DEFAULTS, ombudsman, organisation
from tests.conftest import TODAY


@pytest.fixture
def ctx(store):
    from hoscase.gui.context import AppContext

    return AppContext(store, today=TODAY)


@pytest.fixture
def page(qtbot, ctx):
    from hoscase.gui.pages.settings import SettingsPage

    widget = SettingsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    return widget


def _type(qtbot, edit, text):
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_edit_and_save(qtbot, page, ctx, store):
    assert page.omb_fields["address"].text() == OMBUDSMAN_DEFAULTS["address"]
    assert page.year_start.currentText() == "April"
    assert not page.has_unsaved_changes()
    _type(qtbot, page.name, "Ludlow Almshouses")
    _type(qtbot, page.email, "complaints@ludlow.example")
    _type(qtbot, page.homes, "36")
    _type(qtbot, page.signatory, "Priya Shah")
    page.year_start.setCurrentIndex(page.year_start.findData(1))
    _type(qtbot, page.omb_fields["phone"], "0300 111 3001")
    assert page.has_unsaved_changes() and "unsaved" in page.message.text()
    qtbot.mouseClick(page.add_handler_button, Qt.LeftButton)
    page.handlers.item(page.handlers.rowCount() - 1, 0).setText("Grace Okafor")
    qtbot.mouseClick(page.add_category_button, Qt.LeftButton)
    page.categories.item(page.categories.rowCount() - 1, 0).setText("Damp and mould")
    with qtbot.waitSignal(ctx.settings_changed, timeout=1000):
        qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert "Settings saved" in page.message.text()
    org = organisation(store)
    assert (org["name"], org["email"], org["homes"], org["signatory"]) == (
        "Ludlow Almshouses", "complaints@ludlow.example", 36, "Priya Shah")
    assert org["financial_year_start_month"] == 1
    assert ombudsman(store)["phone"] == "0300 111 3001"
    assert [h["name"] for h in store.handlers()] == ["Grace Okafor"]
    assert store.categories() == ["Damp and mould"]
    assert not page.has_unsaved_changes()
    # Untick a handler: kept, but no longer active.
    page.handlers.item(0, 2).setCheckState(Qt.Unchecked)
    assert page.save()
    assert store.handlers() == [] and len(store.handlers(active_only=False)) == 1


def test_bad_email_refused_nothing_saved(qtbot, page, store):
    _type(qtbot, page.name, "Ludlow Almshouses")
    _type(qtbot, page.email, "complaints at ludlow")
    _type(qtbot, page.homes, "36")
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert "Not saved" in page.message.text() and "email address" in page.message.text().lower()
    assert organisation(store)["name"] == ""  # nothing saved, not even the good fields
    assert page.email.text() == "complaints at ludlow"  # what was typed is kept to correct
    assert page.has_unsaved_changes()
    _type(qtbot, page.homes, "0")
    _type(qtbot, page.email, "complaints@ludlow.example")
    assert not page.save()
    assert "number of homes" in page.message.text().lower()
    assert organisation(store)["name"] == ""


def test_closure_day_added_moves_a_due_date(qtbot, page, ctx, new_case):
    from hoscase.gui.pages.calendar import CalendarPage
    from hoscase.gui.widgets import setup_date_edit

    case = new_case(received="2026-11-16")  # acknowledge by Monday 23 November
    calendar = CalendarPage(ctx)
    qtbot.addWidget(calendar)
    calendar.show()
    assert case.reference in calendar.references_on(dt.date(2026, 11, 23))
    setup_date_edit(page.closure_date, dt.date(2026, 11, 18))
    _type(qtbot, page.closure_name, "Office move")
    with qtbot.waitSignal(ctx.settings_changed, timeout=1000):
        qtbot.mouseClick(page.add_closure_button, Qt.LeftButton)
    assert page.closure_days() == {"2026-11-18": "Office move"}
    assert "18 Nov 2026" in page.closures.item(0, 0).text()
    assert ctx.service.get(case.reference).stages[1].acknowledge_due == dt.date(2026, 11, 24)
    assert case.reference in calendar.references_on(dt.date(2026, 11, 24))
    # A day that is already not a working day is not added.
    setup_date_edit(page.closure_date, dt.date(2026, 12, 25))
    assert not page.add_closure_day(dt.date(2026, 12, 25), "Christmas")
    assert "Christmas Day" in page.closure_message.text()
    # Removing it moves the deadline back.
    page.closures.selectRow(0)
    with qtbot.waitSignal(ctx.settings_changed, timeout=1000):
        qtbot.mouseClick(page.remove_closure_button, Qt.LeftButton)
    assert page.closure_days() == {}
    assert ctx.service.get(case.reference).stages[1].acknowledge_due == dt.date(2026, 11, 23)


def test_unsaved_edits_survive_a_refresh_and_undo(qtbot, page, store):
    _type(qtbot, page.name, "Typed but not saved")
    page.refresh()
    assert page.name.text() == "Typed but not saved"
    qtbot.mouseClick(page.revert_button, Qt.LeftButton)
    assert page.name.text() == "" and not page.has_unsaved_changes()


def test_logo_copied_into_the_data_folder(qtbot, page, ctx, tmp_path, store):
    from PySide6.QtGui import QColor, QImage

    image = QImage(120, 40, QImage.Format_RGB32)
    image.fill(QColor("#1d4f91"))
    source = tmp_path / "elsewhere" / "crest.png"
    source.parent.mkdir()
    image.save(str(source))
    assert page.set_logo_file(source)
    assert page.logo.startswith(str(ctx.data_folder)) and page.logo_preview.pixmap() is not None
    _type(qtbot, page.name, "Ludlow Almshouses")
    assert page.save()
    source.unlink()  # the original may go; the copy stays
    from hoscase.settings import logo_path

    assert logo_path(store) is not None and logo_path(store).is_file()
    assert not page.set_logo_file(tmp_path / "missing.png")
    assert "does not exist" in page.message.text()
