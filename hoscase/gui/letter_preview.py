"""Preview a stage letter, then print it or save a copy; either way it is kept with the case (Code 5.12).

The preview is not yet part of the record: the letter is filed (PDF in the data folder and a
correspondence row) the first time it is printed or saved, so the case holds what was sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hoscase.errors import HoscaseError
from hoscase.gui.dialogs.base import fit_to_screen
from hoscase.gui.widgets import ErrorLabel, InfoLabel
from hoscase.letters import LetterService, letter_kind
from hoscase.letters.content import LetterContent


class LetterPreviewDialog(QDialog):
    """Shows the letter as it will print, with Print, Save as… and a large-print switch."""

    letter_kept = Signal(str)  # the kept copy's path, once the letter is printed or saved

    def __init__(self, ctx, reference: str, kind: str, parent: QWidget | None = None, *,
                 templates_folder: Path | str | None = None, stage: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reference = reference
        self.kind = letter_kind(kind)
        self.stage = stage
        self.letters = LetterService(ctx.service, data_folder=ctx.data_folder, templates_folder=templates_folder)
        self.content: LetterContent | None = None
        self.pdf: bytes | None = None
        self.kept_path: Path | None = None
        self._kept_large: bool | None = None
        self._buffer: QBuffer | None = None
        self._bytes: QByteArray | None = None

        self.setWindowTitle(f"{self.kind.title} letter: {reference}")
        self.setModal(True)
        fit_to_screen(self, 760, 900)  # an A4 page's width; never taller than the screen (1024 x 700 laptops)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        intro = QLabel(f"The {self.kind.title.lower()} letter for {reference} (Code {self.kind.provisions}). "
                       "Check it, then print it or save a copy: it is kept with the case either way.")
        intro.setWordWrap(True)
        intro.setObjectName("dialogIntro")
        layout.addWidget(intro)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setAccessibleName("Letter preview")
        layout.addWidget(self.view, 1)
        # In the view's place while the letter cannot be produced: what to do, not an empty grey page.
        self.missing = QLabel("This letter cannot be produced yet: the case does not hold everything the Code "
                              "asks the letter to say (shown below).\n\nRecord it in the case window, then open "
                              "the letter again.")
        self.missing.setObjectName("emptyState")
        self.missing.setWordWrap(True)
        self.missing.setAlignment(Qt.AlignCenter)
        self.missing.hide()
        layout.addWidget(self.missing, 1)

        self.error = ErrorLabel()
        self.info = InfoLabel()
        layout.addWidget(self.error)
        layout.addWidget(self.info)

        row = QHBoxLayout()
        self.large_print = QCheckBox("&Large print (16 pt)")
        self.large_print.setAccessibleName("Large print")
        self.large_print.setToolTip("Set the letter in 16 pt type; on always when the case records large print "
                                    "as a reasonable adjustment")
        self.large_print.toggled.connect(self._on_large_print_toggled)
        row.addWidget(self.large_print)
        row.addStretch(1)
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the letter")
        self.print_button.clicked.connect(self._on_print)
        self.print_button.setDefault(True)
        self.save_button = QPushButton("&Save as…")
        self.save_button.setAccessibleName("Save the letter as a PDF file")
        self.save_button.clicked.connect(self._on_save_as)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self._on_close)
        for button in (self.print_button, self.save_button, self.close_button):
            row.addWidget(button)
        layout.addLayout(row)

        case_large = self._case_large_print()
        if case_large:
            self.large_print.blockSignals(True)
            self.large_print.setChecked(True)
            self.large_print.setEnabled(False)  # the resident's reasonable adjustment is not the officer's choice
            self.large_print.blockSignals(False)
        self._render()

    # --- rendering ---------------------------------------------------------

    def _say(self, text: str) -> None:
        """What the preview shows under the letter; the box is hidden when there is nothing to say."""
        self.info.setText(text)
        self.info.setVisible(bool(text))

    def _case_large_print(self) -> bool:
        try:
            return bool(self.ctx.service.get(self.reference).large_print)
        except HoscaseError:
            return False

    def _render(self) -> None:
        """Render the letter for the preview; what is missing for it is shown instead, and nothing can be sent."""
        self.error.clear_error()
        try:
            self.content, self.pdf = self.letters.preview(self.reference, self.kind.name,
                                                          large_print=self.large_print.isChecked(), stage=self.stage)
        except HoscaseError as exc:
            self.content, self.pdf = None, None
            self.document.close()
            self.error.show_error(str(exc))
            self._say("")
        else:
            self._load(self.pdf)
        self.view.setVisible(self.pdf is not None)
        self.missing.setVisible(self.pdf is None)
        if self.pdf is not None:
            pages = self.document.pageCount()
            self._say(f"{pages} page{'s' if pages != 1 else ''}{', large print' if self.content.large_print else ''}.")
        ready = self.pdf is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def _load(self, pdf: bytes) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    def _on_large_print_toggled(self, _checked: bool) -> None:
        self._render()

    # --- sending -----------------------------------------------------------

    def _keep(self) -> Path | None:
        """File the letter with the case the first time it is printed or saved (once per version)."""
        if self.content is None or self.pdf is None:
            return None
        if self.kept_path is not None and self._kept_large == self.content.large_print:
            return self.kept_path
        try:
            letter = self.letters.keep(self.content, self.pdf)
        except HoscaseError as exc:
            self.error.show_error(str(exc))
            return None
        self.kept_path = letter.path
        self._kept_large = self.content.large_print
        self.ctx.cases_changed.emit()
        self.letter_kept.emit(str(letter.path))
        self._say(f"Kept with the case as {letter.relative_path}.")
        return letter.path

    def _ask_save_path(self) -> str:
        """The file to save to (a hook the tests replace)."""
        suggested = str(Path.home() / f"{self.reference}-{self.kind.name}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, "Save the letter as", suggested, "PDF files (*.pdf)")
        return path

    def _on_save_as(self) -> None:
        self.error.clear_error()
        target = self._ask_save_path()
        if not target:
            return
        if not target.lower().endswith(".pdf"):
            target += ".pdf"
        if self._keep() is None:
            return
        try:
            Path(target).write_bytes(self.pdf or b"")
        except OSError as exc:
            self.error.show_error(f"cannot save {target}: {exc.strerror or exc}; the letter is kept with the case")
            return
        self._say(f"Saved as {target}, and kept with the case.")

    def _ask_printer(self) -> Any:
        """A printer chosen by the officer, or None if they cancelled (a hook the tests replace)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{self.reference} {self.kind.title}")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the letter")
        if dialog.exec() != QDialog.Accepted:
            return None
        return printer

    def _on_print(self) -> None:
        self.error.clear_error()
        printer = self._ask_printer()
        if printer is None:
            return
        if self._keep() is None:
            return
        try:
            print_pdf(self.document, printer)
        except RuntimeError as exc:
            self.error.show_error(f"the letter could not be printed ({exc}); it is kept with the case")
            return
        self._say("Sent to the printer, and kept with the case.")

    def _on_close(self) -> None:
        if self.kept_path is not None:
            self.accept()
        else:
            self.reject()

    # --- opening -----------------------------------------------------------

    @classmethod
    def open_for_case(cls, ctx, reference: str, kind: str, parent: QWidget | None = None,
                      **kwargs: Any) -> tuple[Path | None, bool]:
        """Preview the letter; returns (the kept copy's path, True) once it was printed or saved,
        else (None, False)."""
        dialog = cls(ctx, reference, kind, parent, **kwargs)
        accepted = dialog.exec() == QDialog.Accepted
        path = dialog.kept_path if accepted else None
        dialog.deleteLater()
        return path, accepted


def print_pdf(document: QPdfDocument, printer: Any) -> int:
    """Paint each page of the PDF onto the printer at its resolution; returns the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("the printer could not be started")
    try:
        dpi = min(printer.resolution(), 300)  # enough for text; a 1200 dpi page image would take ~500 MB
        count = document.pageCount()
        for index in range(count):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(max(1, round(points.width() / 72 * dpi)), max(1, round(points.height() / 72 * dpi)))
            image = document.render(index, size)
            target = painter.viewport()
            scale = min(target.width() / size.width(), target.height() / size.height())
            painter.drawImage(QRectF(0, 0, size.width() * scale, size.height() * scale), image)
        return count
    finally:
        painter.end()

