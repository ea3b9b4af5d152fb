"""The letter preview dialog: shows the letter, refuses to send one with missing content, and keeps
what is printed or saved with the case."""

from __future__ import annotations

import pytest
from letters_support import case_through_stage1, flat, pdf_text, respond_stage1, set_up_office
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hoscase.gui.context import AppContext
from hoscase.gui.letter_preview import LetterPreviewDialog

TODAY = __import__("datetime").date(2026, 11, 20)


@pytest.fixture
def ctx(store, tmp_path):
    set_up_office(store)
    return AppContext(store, today=TODAY, data_folder=tmp_path / "data")


@pytest.fixture
def responded(ctx, new_case):
    # new_case uses the conftest service on the same store; the dialog reads through ctx.service.
    ref = case_through_stage1(ctx.service, new_case)
    respond_stage1(ctx.service, ref)
    return ref


def _letters(ctx, ref):
    return [c for c in ctx.service.get(ref).correspondence if c["kind"] == "letter"]


def test_preview_shows_the_letter_and_saves_it(qtbot, ctx, responded, tmp_path, monkeypatch):
    dialog = LetterPreviewDialog(ctx, responded, "stage1-response", templates_folder=tmp_path / "own")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.document.pageCount() >= 1
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert dialog.error.text() == ""
    qtbot.wait(300)  # QPdfView draws its pages on a render thread
    dialog.grab().save(str(tmp_path / "letter-preview.png"))
    assert _letters(ctx, responded) == []  # a preview is not yet part of the record

    target = tmp_path / "out" / "copy"
    target.parent.mkdir()
    monkeypatch.setattr(dialog, "_ask_save_path", lambda: str(target))
    with qtbot.waitSignal(dialog.letter_kept, timeout=2000):
        dialog.save_button.click()
    saved = target.with_suffix(".pdf")
    assert saved.read_bytes() == dialog.kept_path.read_bytes()
    assert "partly upheld" in flat(pdf_text(saved.read_bytes()))
    rows = _letters(ctx, responded)
    assert len(rows) == 1 and rows[0]["path"].startswith(f"letters/{responded}/")

    dialog.save_button.click()  # saving again is the same letter: kept once
    assert len(_letters(ctx, responded)) == 1


def test_print_goes_to_the_printer_and_keeps_the_letter(qtbot, ctx, responded, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter

    dialog = LetterPreviewDialog(ctx, responded, "stage1-response", templates_folder=tmp_path / "own")
    qtbot.addWidget(dialog)
    printed = tmp_path / "printed.pdf"

    def printer():
        p = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(printed))
        return p

    monkeypatch.setattr(dialog, "_ask_printer", printer)
    dialog.print_button.click()
    assert printed.exists() and printed.stat().st_size > 5000
    assert len(_letters(ctx, responded)) == 1
    assert "printer" in dialog.info.text()


def test_missing_content_is_shown_and_nothing_can_be_sent(qtbot, ctx, new_case, tmp_path):
    ref = case_through_stage1(ctx.service, new_case)  # not responded yet
    dialog = LetterPreviewDialog(ctx, ref, "stage1-response", templates_folder=tmp_path / "own")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "the decision on the complaint" in dialog.error.text()
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    assert dialog.missing.isVisible() and not dialog.view.isVisible()  # guidance, not an empty page
    dialog.grab().save(str(tmp_path / "letter-preview-refused.png"))


def test_large_print_switch_rerenders_and_case_setting_locks_it(qtbot, ctx, responded, tmp_path):
    dialog = LetterPreviewDialog(ctx, responded, "stage1-response", templates_folder=tmp_path / "own")
    qtbot.addWidget(dialog)
    pages = dialog.document.pageCount()
    dialog.large_print.setChecked(True)
    assert dialog.content.large_print and dialog.document.pageCount() > pages
    ctx.service.update(responded, {"large_print": True})
    locked = LetterPreviewDialog(ctx, responded, "stage1-response", templates_folder=tmp_path / "own")
    qtbot.addWidget(locked)
    assert locked.large_print.isChecked() and not locked.large_print.isEnabled()
    assert locked.content.large_print


def test_open_for_case_returns_the_kept_path(qtbot, ctx, responded, tmp_path, monkeypatch):
    target = tmp_path / "sent.pdf"
    monkeypatch.setattr(LetterPreviewDialog, "_ask_save_path", lambda self: str(target))

    def drive():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LetterPreviewDialog)
        dialog.save_button.click()
        dialog.close_button.click()

    QTimer.singleShot(0, drive)
    path, accepted = LetterPreviewDialog.open_for_case(ctx, responded, "stage1-response",
                                                       templates_folder=tmp_path / "own")
    assert accepted and path is not None and path.exists()
    assert path.read_bytes() == target.read_bytes()


def test_open_for_case_closed_without_sending(qtbot, ctx, responded, tmp_path):
    def drive():
        QApplication.activeModalWidget().close_button.click()

    QTimer.singleShot(0, drive)
    path, accepted = LetterPreviewDialog.open_for_case(ctx, responded, "stage1-response",
                                                       templates_folder=tmp_path / "own")
    assert (path, accepted) == (None, False)
    assert _letters(ctx, responded) == []
