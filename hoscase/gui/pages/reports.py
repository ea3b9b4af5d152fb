"""The Reports page: the year's figures, the annual report's written sections, the reports themselves, and moving
cases in and out of spreadsheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hoscase.errors import HoscaseError
from hoscase.figures import annual_figures, financial_year, year_label, year_of, year_start_month
from hoscase.gui.format import plural, uk_date
from hoscase.reports.narratives import SECTION_LABELS, save_narrative
from hoscase.rules import REFUSAL_REASONS
from hoscase.store.reports import NARRATIVE_SECTIONS
from hoscase.years import file_label, quarter_months

FIGURE_ROWS = (
    ("Complaints received", "received", ""),
    ("Received per 1,000 homes (CH01)", "per_1000_homes", ""),
    ("Responses sent", "responded", ""),
    ("Responded within the Code's timescales", "responded_within_timescale", ""),
    ("% within timescales (CH02)", "within_timescale_pct", "%"),
    ("% acknowledged within 5 working days", "acknowledged_within_5_pct", "%"),
    ("Average working days to respond", "average_working_days_to_respond", ""),
    ("Responses with an extension", "extensions_used", ""),
)

OUTCOME_ROWS = (
    ("Outcome: upheld", "upheld"),
    ("Outcome: partly upheld", "partly-upheld"),
    ("Outcome: not upheld", "not-upheld"),
)


def _show(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}"
    return f"{value:,}{unit}"


class ReportsPage(QWidget):
    """Year picker, figures, narrative editors and the report, import and export buttons."""

    report_written = Signal(str)  # the path of a report or spreadsheet just written
    cases_imported = Signal(int)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year: int | None = None
        self._month = 4  # the month the organisation's financial year starts in, read at each refresh
        self.figures: dict | None = None
        self._saved_texts: dict[str, str] = {}
        self._stale = False
        self._op = None  # the background op running, kept alive for tests and the progress dialog

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        title = QLabel("Reports")
        title.setObjectName("pageTitle")
        layout.addWidget(title)

        top = QHBoxLayout()
        top.addWidget(QLabel("Financial year:"))
        self.year_box = QComboBox()
        self.year_box.setAccessibleName("Financial year")
        self.year_box.setMinimumWidth(220)
        self.year_box.currentIndexChanged.connect(self._on_year_changed)
        top.addWidget(self.year_box)
        top.addStretch(1)
        layout.addLayout(top)
        # Its own full-width row: squeezed beside the year box it wrapped to a tall column and was cut off.
        self.due_label = QLabel()
        self.due_label.setObjectName("submissionDue")
        self.due_label.setWordWrap(True)
        layout.addWidget(self.due_label)

        splitter = QSplitter(Qt.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.figures_table = QTableWidget(len(FIGURE_ROWS) + 2 + len(OUTCOME_ROWS) + 1, 4)
        self.figures_table.setAccessibleName("The year's figures")
        self.figures_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.figures_table.setAlternatingRowColors(True)
        self.figures_table.verticalHeader().setVisible(False)
        header = self.figures_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Stretch)  # the figures keep their width; the names take the rest
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignCenter)
        left_layout.addWidget(self.figures_table, 1)
        self.figures_note = QLabel()
        self.figures_note.setWordWrap(True)
        left_layout.addWidget(self.figures_note)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("The report's written sections, saved for the year:"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("The report's written sections")
        self.editors: dict[str, QPlainTextEdit] = {}
        for section in NARRATIVE_SECTIONS:
            editor = QPlainTextEdit()
            editor.setAccessibleName(SECTION_LABELS[section])
            editor.setPlaceholderText(_PLACEHOLDERS[section])
            editor.textChanged.connect(self._on_text_changed)
            self.editors[section] = editor
            self.tabs.addTab(editor, _TAB_LABELS[section])
        right_layout.addWidget(self.tabs, 1)
        save_row = QHBoxLayout()
        self.save_button = QPushButton("Save written sections")
        self.save_button.clicked.connect(self._on_save_clicked)
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        right_layout.addLayout(save_row)
        splitter.addWidget(right)
        splitter.setSizes([520, 520])
        layout.addWidget(splitter, 1)

        buttons = QGridLayout()
        self.annual_pdf_button = self._button("Annual report PDF…", self._on_annual_pdf_clicked)
        self.annual_xlsx_button = self._button("Figures spreadsheet (XLSX)…", self._on_annual_xlsx_clicked)
        self.quarterly_button = self._button("Quarterly update PDF…", self._on_quarterly_clicked)
        self.import_button = self._button("Import cases…", self._on_import_clicked)
        self.template_button = self._button("Download import template…", self._on_template_clicked)
        self.export_button = self._button("Export all cases…", self._on_export_clicked)
        for i, button in enumerate((self.annual_pdf_button, self.annual_xlsx_button, self.quarterly_button)):
            buttons.addWidget(button, 0, i)
        for i, button in enumerate((self.import_button, self.template_button, self.export_button)):
            buttons.addWidget(button, 1, i)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("pageStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.status)

        ctx.cases_changed.connect(self._on_cases_changed)
        if hasattr(ctx, "settings_changed"):
            ctx.settings_changed.connect(self._on_cases_changed)

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- showing -------------------------------------------------------

    def refresh(self) -> None:
        """Fill the year list (every year with cases, and this one) and show the chosen year's figures."""
        today = self.ctx.today
        month = self._month = year_start_month(self.ctx.store)
        current = year_of(today, month)
        first = current
        earliest = self.ctx.store.earliest_received()
        if earliest:
            first = min(current, year_of(dt.date.fromisoformat(earliest), month))
        years = list(range(current, first - 1, -1))
        chosen = self.year if self.year in years else (current - 1 if current - 1 in years else current)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in years:
            start, end = financial_year(y, month)
            self.year_box.addItem(f"{year_label(y, month)}  ({uk_date(start)} to {uk_date(end)})", y)
        self.year_box.setCurrentIndex(years.index(chosen))
        self.year_box.blockSignals(False)
        self._show_year(chosen)
        try:
            from hoscase.reports.submission import submission_due

            _, text = submission_due(self.ctx.store, today)
            self.due_label.setText(text)
        except HoscaseError as exc:
            self.due_label.setText(str(exc))

    def _show_year(self, year: int) -> None:
        self.year = year
        self._stale = False
        self.figures = annual_figures(self.ctx.service, year)
        f = self.figures
        prev = f["previous"]
        table = self.figures_table
        # A year before the records began shows dashes, not a column of noughts that reads as a bad year.
        had_cases = bool(prev["stage1"]["received"] or prev["stage2"]["received"] or prev["refused"])
        last = (lambda value, unit="": _show(value, unit)) if had_cases else (lambda value, unit="": "–")
        table.setHorizontalHeaderLabels(["", "Stage 1", "Stage 2", f"Stage 1\n{prev['year_label']}"])
        table.horizontalHeaderItem(3).setToolTip(
            f"Stage 1 in {prev['year_label']}, for comparison" if had_cases
            else f"No cases were recorded in {prev['year_label']}, so there is nothing to compare with")
        for row, (name, key, unit) in enumerate(FIGURE_ROWS):
            values = [name, _show(f["stage1"][key], unit), _show(f["stage2"][key], unit),
                      last(prev["stage1"][key], unit)]
            self._set_row(row, values)
        row = len(FIGURE_ROWS)
        self._set_row(row, ["Complaints not accepted", _show(f["refused"]), "", last(prev["refused"])])
        self._set_row(row + 1, ["Referred to the Ombudsman", _show(f["ombudsman"]["referred"]), "",
                                last(prev["ombudsman_referred"])])
        for offset, (name, key) in enumerate(OUTCOME_ROWS, start=2):
            self._set_row(row + offset, [name, _show(f["stage1"]["outcomes"].get(key, 0)),
                                         _show(f["stage2"]["outcomes"].get(key, 0)), ""])
        actions = f["actions"]
        self._set_row(row + 2 + len(OUTCOME_ROWS),
                      ["Promised actions still open (overdue)", f"{actions['open']:,} ({actions['open_overdue']:,})",
                       "", ""])
        note = []
        if not f["homes"]:
            note.append("The number of homes is not set, so CH01 (per 1,000 homes) cannot be worked out.")
        note.append(f"Remedies offered: {f['remedies']['total']:,}, compensation £{f['remedies']['compensation_pence'] / 100:,.2f}; "
                    f"learning recorded on {plural(len(f['learning']), 'case')}.")
        refused = [f"{v:,} because {REFUSAL_REASONS.get(k, k)[0].lower()}{REFUSAL_REASONS.get(k, k)[1:]}"
                   for k, v in f["refused_by_reason"].items() if v]
        if refused:  # the reasons in the Code's words, as the annual report gives them (8.1b)
            note.append("Not accepted: " + "; ".join(refused) + ".")
        omb = f["ombudsman"]
        if omb["findings"] or omb["with_orders"]:  # the Ombudsman's outcomes (8.1c, f)
            findings = ", ".join(f"{v:,} {k}" for k, v in omb["findings"].items()) or "no findings yet"
            note.append(f"Ombudsman findings: {findings}; orders complied with on time: "
                        f"{omb['orders_complied_on_time']:,} of {omb['with_orders']:,}.")
        self.figures_note.setText(" ".join(note))
        texts = self.ctx.store.report_narratives(year)
        self._saved_texts = dict(texts)
        for section, editor in self.editors.items():
            editor.blockSignals(True)
            editor.setPlainText(texts.get(section, ""))
            editor.blockSignals(False)
        self._on_text_changed()

    def _set_row(self, row: int, values: list[str]) -> None:
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            if col:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.figures_table.setItem(row, col, item)

    def _on_cases_changed(self) -> None:
        """Recount now if the page is on screen; otherwise when it is next shown (a big year takes a moment)."""
        if self.year is None:
            return
        if self.isVisible() and not self.is_dirty():
            self._show_year(self.year)
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale and self.year is not None and not self.is_dirty():
            self._stale = False
            self._show_year(self.year)

    # --- narratives ----------------------------------------------------

    def texts(self) -> dict[str, str]:
        return {section: editor.toPlainText() for section, editor in self.editors.items()}

    def is_dirty(self) -> bool:
        return any(text.strip() != self._saved_texts.get(s, "").strip() for s, text in self.texts().items())

    def _on_text_changed(self) -> None:
        self.save_button.setEnabled(self.is_dirty())

    def save_texts(self) -> bool:
        """Save every changed section for the year shown; False (with the reason shown) if one was refused."""
        if self.year is None:
            return True
        try:
            for section, text in self.texts().items():
                if text.strip() != self._saved_texts.get(section, "").strip():
                    save_narrative(self.ctx.store, self.year, section, text)
                    self._saved_texts[section] = text.strip()
        except HoscaseError as exc:
            self._say(str(exc), problem=True)
            return False
        self._on_text_changed()
        self._say(f"Written sections for {year_label(self.year, self._month)} saved.")
        return True

    def _on_save_clicked(self) -> None:
        self.save_texts()

    def _on_year_changed(self, index: int) -> None:
        year = self.year_box.itemData(index)
        if year is None or year == self.year:
            return
        if self.is_dirty() and not self.save_texts():
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.year_box.findData(self.year))
            self.year_box.blockSignals(False)
            return
        self._show_year(year)

    # --- reports -------------------------------------------------------

    def _ask_save_path(self, title: str, suggested: str, filters: str) -> Path | None:
        folder = Path(getattr(self.ctx, "data_folder", Path.home()))
        name, _ = QFileDialog.getSaveFileName(self, title, str(folder / suggested), filters)
        return Path(name) if name else None

    def write_annual_pdf(self, path: Path | None = None) -> None:
        if self.year is None or not self.save_texts():
            return
        year = self.year
        path = path or self._ask_save_path("Save the annual report", f"annual-complaints-report-{file_label(year, self._month)}.pdf",
                                           "PDF (*.pdf)")
        if path:
            self._run_report("Writing the annual report", path,
                             lambda service: _annual_pdf(service, year, path))

    def write_annual_xlsx(self, path: Path | None = None) -> None:
        if self.year is None:
            return
        year = self.year
        path = path or self._ask_save_path("Save the figures", f"complaints-figures-{file_label(year, self._month)}.xlsx",
                                           "Excel workbook (*.xlsx)")
        if path:
            self._run_report("Writing the figures spreadsheet", path,
                             lambda service: _annual_xlsx(service, year, path))

    def write_quarterly_pdf(self, quarter: int | None = None, path: Path | None = None) -> None:
        if self.year is None:
            return
        year = self.year
        if quarter is None:
            labels = [f"Q{q}: {quarter_months(q, self._month)}" for q in (1, 2, 3, 4)]
            choice, ok = QInputDialog.getItem(self, "Quarterly update", f"Quarter of {year_label(year, self._month)}:",
                                              labels, 0, False)
            if not ok:
                return
            quarter = labels.index(choice) + 1
        path = path or self._ask_save_path("Save the quarterly update",
                                           f"complaints-update-q{quarter}-{file_label(year, self._month)}.pdf",
                                           "PDF (*.pdf)")
        if path:
            self._run_report("Writing the quarterly update", path,
                             lambda service: _quarterly_pdf(service, year, quarter, path))

    def _on_annual_pdf_clicked(self) -> None:
        self.write_annual_pdf()

    def _on_annual_xlsx_clicked(self) -> None:
        self.write_annual_xlsx()

    def _on_quarterly_clicked(self) -> None:
        self.write_quarterly_pdf()

    def _run_report(self, title: str, path: Path, work: Callable[[Any], None]) -> None:
        db_path, today = self.ctx.store.path, self.ctx.today

        def job(progress: Callable[[int, int], None]) -> str:
            progress(0, 0)
            with _worker_service(db_path, today) as service:
                work(service)
            return str(path)

        def done(result: str) -> None:
            self._say(f"Wrote {result}")
            self.report_written.emit(result)

        self._start(title, job, done)

    # --- import and export ---------------------------------------------

    def import_file(self, path: Path | None = None, *, confirm: Callable[[Any], bool] | None = None) -> None:
        """Check the file off the GUI thread, preview it, and import it if the officer agrees.

        ``confirm`` replaces the preview dialog (tests); it receives the checked ImportResult.
        """
        if path is None:
            folder = Path(getattr(self.ctx, "data_folder", Path.home()))
            name, _ = QFileDialog.getOpenFileName(self, "Import cases", str(folder),
                                                  "Spreadsheets (*.csv *.xlsx);;CSV (*.csv);;Excel (*.xlsx)")
            if not name:
                return
            path = Path(name)
        db_path, today = self.ctx.store.path, self.ctx.today

        def check(progress: Callable[[int, int], None]) -> Any:
            from hoscase.importer import check_file
            from hoscase.store import Store

            progress(0, 0)
            store = Store(db_path)
            try:
                return check_file(store, path, today)
            finally:
                store.close()

        def checked(result: Any) -> None:
            if confirm is not None:
                go = confirm(result) and result.ok
            else:
                from hoscase.gui.dialogs.import_preview import ImportPreviewDialog

                go, _ = ImportPreviewDialog.ask(result, self)
            if not result.ok:
                self._say(f"{Path(path).name}: {result.summary()}.", problem=True)
                return
            if go:
                self._run_import(path)

        self._start("Checking the spreadsheet", check, checked)

    def _run_import(self, path: Path) -> None:
        db_path, today, who = self.ctx.store.path, self.ctx.today, self.ctx.service.who

        def work(progress: Callable[[int, int], None]) -> Any:
            from hoscase.importer import import_cases
            from hoscase.store import Store

            progress(0, 0)
            store = Store(db_path)
            try:
                return import_cases(store, path, today=today, who=who)
            finally:
                store.close()

        def done(result: Any) -> None:
            if not result.ok:  # the database changed since the preview
                self._say(f"{Path(path).name}: {result.summary()}: " + "; ".join(map(str, result.errors[:5])),
                          problem=True)
                return
            self._say(result.summary() + ".")
            self.ctx.cases_changed.emit()
            self.cases_imported.emit(len(result.cases))

        self._start("Importing cases", work, done, cancellable=False)

    def write_template(self, path: Path | None = None) -> None:
        from hoscase.importer import write_template

        path = path or self._ask_save_path("Save the import template", "hoscase-import-template.xlsx",
                                           "Excel workbook (*.xlsx);;CSV (*.csv)")
        if not path:
            return
        try:
            write_template(path)
        except HoscaseError as exc:
            self._say(str(exc), problem=True)
            return
        self._say(f"Wrote the import template to {path}")
        self.report_written.emit(str(path))

    def export_cases(self, path: Path | None = None) -> None:
        path = path or self._ask_save_path("Export all cases", f"hoscase-cases-{self.ctx.today.isoformat()}.xlsx",
                                           "Excel workbook (*.xlsx);;CSV (*.csv)")
        if not path:
            return
        db_path, today = self.ctx.store.path, self.ctx.today

        def work(progress: Callable[[int, int], None]) -> str:
            from hoscase.importer import export_cases

            progress(0, 0)
            with _worker_service(db_path, today) as service:
                count = export_cases(service.store, path)
            return f"Exported {count:,} cases to {path}"

        def done(message: str) -> None:
            self._say(message)
            self.report_written.emit(str(path))

        self._start("Exporting cases", work, done)

    def _on_import_clicked(self) -> None:
        self.import_file()

    def _on_template_clicked(self) -> None:
        self.write_template()

    def _on_export_clicked(self) -> None:
        self.export_cases()

    # --- plumbing ------------------------------------------------------

    def _start(self, title: str, work: Callable, done: Callable, cancellable: bool = True) -> None:
        from hoscase.gui.ops import run_in_background

        def failed(exc: BaseException) -> None:
            from hoscase.gui.ops import Cancelled

            if isinstance(exc, Cancelled):
                self._say(f"{title}: cancelled.")
            elif isinstance(exc, HoscaseError):
                self._say(str(exc), problem=True)
                QMessageBox.warning(self, title, str(exc))
            else:
                self._say(f"{title} did not finish: {type(exc).__name__}: {exc}", problem=True)
                QMessageBox.warning(self, title, f"{title} did not finish: {type(exc).__name__}: {exc}")

        self._say(f"{title}…")
        self._op = run_in_background(self, title, work, on_success=done, on_error=failed, cancellable=cancellable)

    def busy(self) -> bool:
        return self._op is not None and not self._op.done

    def _say(self, text: str, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("problem", problem)
        self.status.setStyleSheet("color: #a4262c;" if problem else "")


_TAB_LABELS = {"introduction": "Introduction", "themes": "Themes", "learning": "Learning",
               "governing_body_response": "Governing body's response"}
_PLACEHOLDERS = {
    "introduction": "Introduce the report: who you are, how many homes, how complaints are handled and who the "
                    "Member Responsible for Complaints is.",
    "themes": "The year's themes and trends: what residents complained about most and why.",
    "learning": "What changed because of complaints this year (8.1d). The learning recorded on cases is listed "
                "after this text.",
    "governing_body_response": "The governing body's response to this report (8.2), once it has considered it.",
}


class _worker_service:  # noqa: N801 - used as a context manager, reads like a function
    """A CaseService on its own connection, for work on a worker thread."""

    def __init__(self, db_path: Path, today: dt.date) -> None:
        self.db_path = db_path
        self.today = today
        self.store = None

    def __enter__(self):
        from hoscase.cases import CaseService
        from hoscase.store import Store

        self.store = Store(self.db_path)
        return CaseService(self.store, who="report", today=self.today)

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()


def _annual_pdf(service: Any, year: int, path: Path) -> None:
    from hoscase.reports.annual import write_annual_pdf

    write_annual_pdf(service, year, path)


def _annual_xlsx(service: Any, year: int, path: Path) -> None:
    from hoscase.reports.xlsx import write_figures_xlsx

    write_figures_xlsx(annual_figures(service, year), path)


def _quarterly_pdf(service: Any, year: int, quarter: int, path: Path) -> None:
    from hoscase.reports.quarterly import write_quarterly_pdf

    write_quarterly_pdf(service, year, quarter, path)
