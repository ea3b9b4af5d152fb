"""Backups & data: where the database is, its backups and restoring one, retention, and subject access requests.

The core does the work and the logging (``hoscase.safety``); this page shows it in plain words, asks
before anything that cannot be undone, and runs the long steps (backing up, restoring, writing a
subject access pack) off the GUI thread. Restoring closes the database, puts the backup in its
place with the app lock still held (so nothing else can open it in between) and opens it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hoscase.cases import STATUS_LABELS, CaseService
from hoscase.errors import HoscaseError
from hoscase.gui.format import plural, uk_date
from hoscase.safety.backup import (
    BackupInfo,
    backup_folder,
    check_backup,
    export_backup,
    make_backup,
    restore_backup,
    scan_backups,
    set_backup_folder,
)
from hoscase.safety.location import storage_warning
from hoscase.safety.retention import (
    RetentionItem,
    anonymise_case,
    delete_case,
    retention_list,
    retention_years,
    set_retention_years,
)
from hoscase.safety.sar import find_resident_cases, subject_access_export
from hoscase.store import Store
from hoscase.store.safety import FileCheck, check_file

BACKUP_COLUMNS = ("Taken", "Why", "Size", "Cases", "Check")
RETENTION_COLUMNS = ("Reference", "Status", "Category", "Ended", "Review from", "Legal hold")
SAR_COLUMNS = ("Reference", "Received", "Status", "Category", "Address")
ITEM_ROLE = Qt.UserRole + 1
_REASONS = {"daily": "Daily (first start of the day)", "manual": "Backed up by hand",
            "before-restore": "Before a restore", "before-import": "Before an import"}


def size_text(n: int) -> str:
    """1.4 MB: the size of a file as a person would say it."""
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} bytes"


def reason_text(reason: str) -> str:
    """The reason slug in a backup's file name, in words."""
    if reason in _REASONS:
        return _REASONS[reason]
    if reason.startswith("before-migration"):
        return "Before an upgrade"
    words = reason.replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Backup"


def taken_text(moment: dt.datetime) -> str:
    return f"{uk_date(moment.date())} {moment:%H:%M}"


class _CheckSignals(QObject):
    checked = Signal(int, object)  # generation, FileCheck
    finished = Signal(int)


class _BackupChecker(QRunnable):
    """Opens each backup read-only and runs the full check, away from the GUI thread (it reads whole files)."""

    def __init__(self, generation: int, paths: list[Path], signals: _CheckSignals) -> None:
        super().__init__()
        self.generation = generation
        self.paths = paths
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            for path in self.paths:
                try:
                    result = check_file(path)
                except Exception as exc:  # noqa: BLE001 - shown in the row as the reason it failed
                    result = FileCheck(path, False, str(exc))
                self.signals.checked.emit(self.generation, result)
            self.signals.finished.emit(self.generation)
        except RuntimeError:
            pass  # the page closed while the check ran


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    return table


def _item(text: str, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(ITEM_ROLE, data)
    return item


def _button(text: str, name: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    if primary:
        button.setObjectName("primaryButton")
    return button


class DataPage(QWidget):
    """Where the database is, its backups, retention review and subject access requests."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backups: list[BackupInfo] = []
        self.retention_items: list[RetentionItem] = []
        self.sar_cases: list = []
        self.sar_name = ""
        self._op = None
        self._restoring = False
        self._check_generation = 0
        self._checks_running = 0
        self._checked: dict[tuple[str, int, int], FileCheck] = {}  # (path, size, mtime) -> result
        self._check_signals = _CheckSignals(self)
        self._check_signals.checked.connect(self._on_backup_checked, Qt.QueuedConnection)
        self._check_signals.finished.connect(self._on_checks_finished, Qt.QueuedConnection)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        title = QLabel("Backups & data")
        title.setObjectName("pageTitle")
        intro = QLabel("Your cases are kept in one file on this computer. Here you can see where it is, back it up and "
                       "put a backup back, review ended cases whose retention period has run out, and answer a "
                       "resident's subject access request.")
        intro.setObjectName("pageSummary")
        intro.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self._build_location())
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Backups and data")
        self.tabs.addTab(self._build_backups(), "Backups")
        self.tabs.addTab(self._build_retention(), "Retention")
        self.tabs.addTab(self._build_sar(), "Subject access request")
        layout.addWidget(self.tabs, 1)
        self.status = QLabel()
        self.status.setObjectName("statusLine")
        self.status.setAccessibleName("Backups and data status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.refresh()  # the main window refreshes the page again when cases or settings change

    # --- building ------------------------------------------------------

    def _build_location(self) -> QWidget:
        box = QGroupBox("Where your cases are kept")
        inner = QVBoxLayout(box)
        self.db_path_label = QLabel()
        self.db_path_label.setAccessibleName("Database file")
        self.db_path_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.db_path_label.setWordWrap(True)
        self.location_warning = QLabel()
        self.location_warning.setObjectName("warningLabel")
        self.location_warning.setAccessibleName("Warning about where the database is")
        self.location_warning.setWordWrap(True)
        self.location_warning.hide()
        inner.addWidget(self.db_path_label)
        inner.addWidget(self.location_warning)
        return box

    def _build_backups(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        explain = QLabel("hoscase backs the database up at the first start of each day and before every import, "
                         "upgrade and restore. Each backup is checked before it replaces an older one; 7 daily, "
                         "4 weekly and 12 monthly backups are kept.")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Backups go to:"))
        self.folder_label = QLabel()
        self.folder_label.setAccessibleName("Backup folder")
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        folder_row.addWidget(self.folder_label, 1)
        self.choose_folder_button = _button("Choose folder…", "Choose the backup folder")
        self.default_folder_button = _button("Use the default", "Put backups beside the database again")
        folder_row.addWidget(self.choose_folder_button)
        folder_row.addWidget(self.default_folder_button)
        layout.addLayout(folder_row)
        self.folder_hint = QLabel()
        self.folder_hint.setObjectName("hintLabel")
        self.folder_hint.setWordWrap(True)
        layout.addWidget(self.folder_hint)

        bar = QHBoxLayout()
        self.backup_button = _button("Back up now", "Back up now", primary=True)
        self.export_button = _button("Save a copy to…", "Save a checked copy of the database to a file")
        self.restore_button = _button("Restore…", "Restore the selected backup")
        self.restore_file_button = _button("Restore from a file…", "Restore a backup from a file you choose")
        for b in (self.backup_button, self.export_button, self.restore_button, self.restore_file_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.backup_table = _table(BACKUP_COLUMNS, "Backups, newest first")
        self.backup_table.setObjectName("backupTable")
        for column, width in enumerate((150, 230, 90, 80)):
            self.backup_table.setColumnWidth(column, width)
        self.backup_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.backup_table, 1)
        self.backup_empty = QLabel("No backups yet. Press Back up now to make the first one.")
        self.backup_empty.setObjectName("emptyState")
        self.backup_empty.hide()
        layout.addWidget(self.backup_empty)

        self.choose_folder_button.clicked.connect(self._on_choose_folder)
        self.default_folder_button.clicked.connect(self._on_default_folder)
        self.backup_button.clicked.connect(self._on_backup_now)
        self.export_button.clicked.connect(self._on_export)
        self.restore_button.clicked.connect(self._on_restore)
        self.restore_file_button.clicked.connect(self._on_restore_file)
        self.backup_table.itemSelectionChanged.connect(self._update_buttons)
        return tab

    def _build_retention(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        explain = QLabel("Personal data is kept no longer than needed. A case that ended (closed, not accepted or "
                         "withdrawn) more than the retention period ago is listed here for review: anonymise it "
                         "(the resident's details go; dates, category, decisions and amounts stay for reports) or "
                         "delete it. A legal hold stops both. Every step is recorded in the history.")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        period_row = QHBoxLayout()
        period_label = QLabel("&Keep ended cases for")
        self.years_spin = QSpinBox()
        self.years_spin.setRange(1, 100)
        self.years_spin.setSuffix(" years")
        self.years_spin.setAccessibleName("Retention period in years")
        period_label.setBuddy(self.years_spin)
        self.years_button = _button("Save period", "Save the retention period")
        period_row.addWidget(period_label)
        period_row.addWidget(self.years_spin)
        period_row.addWidget(QLabel("after they end"))
        period_row.addWidget(self.years_button)
        period_row.addStretch(1)
        self.show_all = QCheckBox("Show every ended case, not only those due for review")
        self.show_all.setAccessibleName("Show every ended case")
        period_row.addWidget(self.show_all)
        layout.addLayout(period_row)

        bar = QHBoxLayout()
        self.anonymise_button = _button("Anonymise…", "Anonymise the selected case")
        self.delete_button = _button("Delete…", "Delete the selected case")
        self.hold_button = _button("Set legal hold…", "Set or lift a legal hold on the selected case")
        self.open_case_button = _button("Open case", "Open the selected case")
        for b in (self.anonymise_button, self.delete_button, self.hold_button, self.open_case_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.retention_table = _table(RETENTION_COLUMNS, "Ended cases for retention review")
        self.retention_table.setObjectName("retentionTable")
        for column, width in enumerate((120, 130, 190, 110, 170)):
            self.retention_table.setColumnWidth(column, width)
        self.retention_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.retention_table, 1)
        self.retention_summary = QLabel()
        self.retention_summary.setObjectName("hintLabel")
        self.retention_summary.setWordWrap(True)
        layout.addWidget(self.retention_summary)

        self.years_spin.valueChanged.connect(lambda _v: self._update_buttons())
        self.years_button.clicked.connect(self._on_save_years)
        self.show_all.toggled.connect(lambda _on: self._fill_retention())
        self.anonymise_button.clicked.connect(self._on_anonymise)
        self.delete_button.clicked.connect(self._on_delete)
        self.hold_button.clicked.connect(self._on_toggle_hold)
        self.open_case_button.clicked.connect(self._on_open_case)
        self.retention_table.itemSelectionChanged.connect(self._update_buttons)
        self.retention_table.itemDoubleClicked.connect(lambda _item: self._on_open_case())
        return tab

    def _build_sar(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        explain = QLabel("A resident may ask for a copy of everything held about them (UK GDPR Article 15), to be "
                         "answered within a month. Type their name as recorded (capitals and accents do not matter) "
                         "to see their cases, then save the pack: one readable PDF with every case, its history, "
                         "letters and attachments, the same data as a spreadsheet and JSON, in one ZIP file.")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        row = QHBoxLayout()
        name_label = QLabel("Resident's &name:")
        self.sar_name_edit = QLineEdit()
        self.sar_name_edit.setAccessibleName("Resident's name")
        self.sar_name_edit.setPlaceholderText("e.g. Siobhán O'Brien")
        self.sar_name_edit.setClearButtonEnabled(True)
        name_label.setBuddy(self.sar_name_edit)
        self.sar_find_button = _button("Find cases", "Find the resident's cases")
        self.sar_export_button = _button("Save the pack…", "Save the subject access pack as a ZIP file",
                                         primary=True)
        row.addWidget(name_label)
        row.addWidget(self.sar_name_edit, 1)
        row.addWidget(self.sar_find_button)
        row.addWidget(self.sar_export_button)
        layout.addLayout(row)
        self.sar_message = QLabel()
        self.sar_message.setWordWrap(True)
        self.sar_message.setAccessibleName("Subject access request: what was found")
        layout.addWidget(self.sar_message)
        self.sar_table = _table(SAR_COLUMNS, "The resident's cases")
        self.sar_table.setObjectName("sarTable")
        for column, width in enumerate((120, 110, 200, 170)):
            self.sar_table.setColumnWidth(column, width)
        self.sar_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.sar_table, 1)
        self.sar_name_edit.returnPressed.connect(self._on_find_resident)
        self.sar_name_edit.textChanged.connect(lambda _t: self._update_buttons())
        self.sar_find_button.clicked.connect(self._on_find_resident)
        self.sar_export_button.clicked.connect(self._on_export_sar)
        self.sar_table.itemDoubleClicked.connect(
            lambda item: self.ctx.case_opened.emit(self.sar_table.item(item.row(), 0).text()))
        return tab

    # --- what tests replace (file choosers and questions) ---------------

    def _ask_folder(self, title: str, start: Path) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, title, str(start))
        return Path(folder) if folder else None

    def _ask_save_path(self, title: str, suggested: Path, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, title, str(suggested), filters)
        return Path(name) if name else None

    def _ask_open_path(self, title: str, start: Path, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, title, str(start), filters)
        return Path(name) if name else None

    def _confirm(self, title: str, text: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.NoButton, self)
        yes = box.addButton(action, QMessageBox.AcceptRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(QMessageBox.Cancel)
        box.exec()
        return box.clickedButton() is yes

    def _tell(self, title: str, text: str, problem: bool = False) -> None:
        if problem:
            QMessageBox.warning(self, title, text)
        else:
            QMessageBox.information(self, title, text)

    # --- data ----------------------------------------------------------

    def refresh(self) -> None:
        if self._restoring:
            return  # the database is closed for the moment; the restore refreshes when it is open again
        store = self.ctx.store
        self.db_path_label.setText(f"Database: <b>{_html(str(store.path))}</b>")
        warning = storage_warning(store.path)
        self.location_warning.setVisible(warning is not None)
        if warning is not None:
            self.location_warning.setText(f"⚠  The database {warning.reason}. {warning.advice}")
        self._fill_backups()
        years = retention_years(store)
        self.years_spin.blockSignals(True)
        self.years_spin.setValue(years)
        self.years_spin.blockSignals(False)
        self._fill_retention()
        if self.sar_cases:
            self._find_resident(self.sar_name, quiet=True)
        self._update_buttons()

    def _fill_backups(self) -> None:
        store = self.ctx.store
        folder = backup_folder(store)
        chosen = bool(store.get_setting("backup_folder"))
        self.folder_label.setText(f"<b>{_html(str(folder))}</b>" + ("" if chosen else " (the default)"))
        self.default_folder_button.setEnabled(chosen)
        same_disk = _inside(folder, store.path.parent)
        self.folder_hint.setText("Backups kept beside the database are lost with this computer: choose a folder on "
                                 "another drive or a network share, or save a copy elsewhere now and then."
                                 if same_disk else "")
        self.folder_hint.setVisible(same_disk)
        selected = self.selected_backup()
        self.backups = scan_backups(folder, store.path.stem) if str(store.path) != ":memory:" else []
        table = self.backup_table
        table.setRowCount(len(self.backups))
        to_check = []
        for row, info in enumerate(self.backups):
            table.setItem(row, 0, _item(taken_text(info.taken), str(info.path)))
            table.setItem(row, 1, _item(reason_text(info.reason)))
            size = _item(size_text(info.size))
            size.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            table.setItem(row, 2, size)
            table.setItem(row, 3, _item(""))
            table.setItem(row, 4, _item("Checking…"))
            table.item(row, 0).setToolTip(str(info.path))
            known = self._checked.get(_check_key(info))
            if known is not None:
                self._show_check(row, known)
            else:
                to_check.append(info.path)
        self.backup_table.setVisible(bool(self.backups))
        self.backup_empty.setVisible(not self.backups)
        if selected is not None:
            self.select_backup(selected.path)
        self._check_generation += 1
        if to_check:
            self._checks_running += 1
            QThreadPool.globalInstance().start(_BackupChecker(self._check_generation, to_check, self._check_signals))

    def checks_pending(self) -> bool:
        return self._checks_running > 0

    @Slot(int, object)
    def _on_backup_checked(self, generation: int, result: FileCheck) -> None:
        for info in self.backups:
            if info.path == result.path:
                info.ok, info.cases, info.problem = result.ok, result.cases, result.problem
                self._checked[_check_key(info)] = result
                if generation == self._check_generation:
                    self._show_check(self.backups.index(info), result)
                break
        self._update_buttons()

    @Slot(int)
    def _on_checks_finished(self, _generation: int) -> None:
        self._checks_running = max(0, self._checks_running - 1)

    def _show_check(self, row: int, result: FileCheck) -> None:
        info = self.backups[row]
        info.ok, info.cases, info.problem = result.ok, result.cases, result.problem
        cases = _item("" if result.cases is None else f"{result.cases:,}")
        cases.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.backup_table.setItem(row, 3, cases)
        check = _item("Checked: OK" if result.ok else f"Damaged: {result.problem}")
        if not result.ok:
            check.setForeground(Qt.darkRed)
            check.setToolTip(result.problem)
        self.backup_table.setItem(row, 4, check)

    def selected_backup(self) -> BackupInfo | None:
        rows = self.backup_table.selectionModel().selectedRows() if self.backup_table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.backups):
            return None
        return self.backups[rows[0].row()]

    def select_backup(self, path: Path) -> bool:
        for row, info in enumerate(self.backups):
            if info.path == path:
                self.backup_table.selectRow(row)
                return True
        return False

    def _fill_retention(self) -> None:
        if self._restoring:
            return
        selected = self.selected_retention()
        due_only = not self.show_all.isChecked()
        self.retention_items = retention_list(self.ctx.service, due_only=due_only)
        table = self.retention_table
        table.setRowCount(len(self.retention_items))
        today = self.ctx.today
        for row, item in enumerate(self.retention_items):
            table.setItem(row, 0, _item(item.reference, item.reference))
            table.setItem(row, 1, _item(STATUS_LABELS.get(item.status, item.status)))
            table.setItem(row, 2, _item(item.category or ""))
            table.setItem(row, 3, _item(uk_date(item.ended_on)))
            review = _item(uk_date(item.review_due) + ("" if item.review_due <= today else " (not yet)"))
            table.setItem(row, 4, review)
            table.setItem(row, 5, _item("Legal hold" if item.legal_hold else ""))
        years = retention_years(self.ctx.store)
        due = sum(1 for i in self.retention_items if i.review_due <= today)
        if due_only:
            text = (f"{plural(due, 'ended case')} past the {years}-year retention period, for review."
                    if due else f"No case is due for review: none ended more than {years} years ago.")
        else:
            text = (f"{plural(len(self.retention_items), 'ended case')} not yet anonymised; {due} past the "
                    f"{years}-year retention period.")
        self.retention_summary.setText(text)
        if selected is not None:
            self.select_retention(selected.reference)
        self._update_buttons()

    def selected_retention(self) -> RetentionItem | None:
        model = self.retention_table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self.retention_items):
            return None
        return self.retention_items[rows[0].row()]

    def select_retention(self, reference: str) -> bool:
        for row, item in enumerate(self.retention_items):
            if item.reference == reference:
                self.retention_table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        busy = self.busy()
        backup = self.selected_backup()
        self.backup_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and backup is not None and backup.ok is not False)
        self.restore_file_button.setEnabled(not busy)
        self.years_button.setEnabled(self.years_spin.value() != retention_years(self.ctx.store)
                                     if not self._restoring else False)
        item = self.selected_retention()
        free = item is not None and not item.legal_hold
        self.anonymise_button.setEnabled(free)
        self.delete_button.setEnabled(free)
        self.hold_button.setEnabled(item is not None)
        self.hold_button.setText("Lift legal hold…" if item is not None and item.legal_hold else "Set legal hold…")
        self.open_case_button.setEnabled(item is not None)
        self.sar_find_button.setEnabled(bool(self.sar_name_edit.text().strip()))
        self.sar_export_button.setEnabled(bool(self.sar_cases) and not busy)

    def busy(self) -> bool:
        return self._restoring or (self._op is not None and not self._op.done)

    def _say(self, text: str, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a4262c;" if problem else "")

    # --- backups -------------------------------------------------------

    def _on_choose_folder(self) -> None:
        current = backup_folder(self.ctx.store)
        folder = self._ask_folder("Choose where backups go", current if current.exists() else Path.home())
        if folder is None:
            return
        self._set_folder(folder)

    def _on_default_folder(self) -> None:
        self._set_folder(None)

    def _set_folder(self, folder: Path | None) -> None:
        try:
            chosen = set_backup_folder(self.ctx.service, folder)
        except HoscaseError as exc:
            self._say(f"The backup folder was not changed: {exc}", problem=True)
            self._tell("Backup folder", f"The backup folder was not changed: {exc}", problem=True)
            return
        self._say(f"Backups now go to {chosen}. The backups already taken stay where they were.")
        self.ctx.settings_changed.emit()
        self._fill_backups()
        self._update_buttons()

    def _worker_store(self) -> Callable[[], Store]:
        path = self.ctx.store.path
        return lambda: Store(path)

    def _on_backup_now(self) -> None:
        folder = backup_folder(self.ctx.store)
        open_store = self._worker_store()

        def work(_progress) -> tuple[Path, int]:
            with open_store() as store:
                return make_backup(store, "manual", folder=folder), store.count_cases()

        def done(result: tuple[Path, int]) -> None:
            path, cases = result
            self._fill_backups()
            self.select_backup(path)
            self._say(f"Backed up {plural(cases, 'case')} to {path} (checked).")

        self._start("Backing up", work, done)

    def _on_export(self) -> None:
        store = self.ctx.store
        suggested = Path.home() / f"{store.path.stem}-copy-{dt.date.today().isoformat()}.sqlite3"
        dest = self._ask_save_path("Save a copy of the database", suggested, "hoscase database (*.sqlite3)")
        if dest is None:
            return
        if not dest.suffix:
            dest = dest.with_suffix(".sqlite3")
        open_store = self._worker_store()

        def work(_progress) -> FileCheck:
            with open_store() as worker:
                return export_backup(worker, dest)

        def done(result: FileCheck) -> None:
            self._say(f"Saved a checked copy with {plural(result.cases or 0, 'case')} to {result.path}. "
                      "Keep it somewhere other than this computer.")

        self._start("Saving a copy", work, done)

    def _on_restore(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            return
        if backup.ok is False:
            self._tell("Restore", f"That backup cannot be restored: {backup.problem}.", problem=True)
            return
        cases = "" if backup.cases is None else f", {plural(backup.cases, 'case')}"
        self.restore(backup.path, f"the backup taken on {taken_text(backup.taken)}{cases}")

    def _on_restore_file(self) -> None:
        start = backup_folder(self.ctx.store)
        path = self._ask_open_path("Choose a backup to restore", start if start.exists() else Path.home(),
                                   "hoscase database (*.sqlite3 *.sqlite *.db);;All files (*)")
        if path is None:
            return
        try:
            result = check_backup(path)
        except HoscaseError as exc:
            self._say(str(exc), problem=True)
            self._tell("Restore", str(exc), problem=True)
            return
        self.restore(path, f"{path.name} ({plural(result.cases or 0, 'case')})")

    def restore(self, backup: Path, description: str) -> bool:
        """Ask, close the case windows and the database, put the backup in its place off the GUI thread, reopen."""
        current = self.ctx.store.count_cases()
        text = (f"Put back {description}?\n\n"
                f"The database now holds {plural(current, 'case')}. Anything entered or changed since that backup "
                "was taken will no longer be in it. The database as it is now is backed up first (listed as "
                "\u201cBefore a restore\u201d), so you can go back to it.\n\n"
                "hoscase will close any open case windows, close the database, put the backup in its place and "
                "open it again.")
        if not self._confirm("Restore a backup", text, "Restore"):
            return False
        if not self._close_case_windows():
            self._say("Nothing was restored: a case window with unsaved changes is still open.", problem=True)
            return False
        store = self.ctx.store
        db_path, folder = store.path, backup_folder(store)
        store.close()
        self._restoring = True
        self._set_window_enabled(False)
        self._update_buttons()

        def work(_progress):
            return restore_backup(db_path, backup, folder=folder, lock_held=True)

        def done(result) -> None:
            if not self._reopen(db_path):
                return
            kept = f" The database as it was is kept as {result.previous_backup.name}." if result.previous_backup else ""
            self._say(f"Restored {plural(result.restored.cases or 0, 'case')} from {description}.{kept}")
            self._tell("Restore", f"The backup was restored: the database now holds "
                                  f"{plural(result.restored.cases or 0, 'case')}.{kept}")

        def failed(exc: BaseException) -> None:
            if not self._reopen(db_path):
                return
            message = str(exc) if isinstance(exc, HoscaseError) else f"{type(exc).__name__}: {exc}"
            self._say(f"Nothing was restored: {message}", problem=True)
            self._tell("Restore", f"Nothing was restored: {message}", problem=True)

        from hoscase.gui.ops import run_in_background

        self._say("Restoring…")
        self._op = run_in_background(self, "Restoring the backup", work, on_success=done, on_error=failed,
                                     cancellable=False)
        return True

    def _close_case_windows(self) -> bool:
        windows = getattr(self.window(), "case_windows", None) or {}
        return all(window.close() for window in list(windows.values()))

    def _set_window_enabled(self, on: bool) -> None:
        top = self.window()
        if top is not self:
            top.setEnabled(on)
        self.setEnabled(on)

    def _reopen(self, db_path: Path) -> bool:
        """Open the database again after a restore (or a failed one) and tell every page."""
        self._restoring = False
        self._set_window_enabled(True)
        try:
            store = Store(db_path)
        except (HoscaseError, OSError) as exc:
            self._say(f"The database could not be opened again: {exc}", problem=True)
            self._tell("Restore", f"The database could not be opened again: {exc}\n\nhoscase will close; "
                                  "start it again to restore another backup.", problem=True)
            top = self.window()
            if top is not self:
                top.close()
            return False
        self.ctx.replace_store(store)
        self._checked.clear()
        self.ctx.settings_changed.emit()
        self.ctx.cases_changed.emit()
        self.refresh()
        return True

    # --- retention -----------------------------------------------------

    def _on_save_years(self) -> None:
        try:
            years = set_retention_years(self.ctx.service, self.years_spin.value())
        except HoscaseError as exc:
            self._say(str(exc), problem=True)
            return
        self._say(f"Ended cases are now kept for {years} years after they end.")
        self.ctx.settings_changed.emit()
        self._fill_retention()

    def _early(self, item: RetentionItem) -> str:
        if item.review_due <= self.ctx.today:
            return ""
        return (f"\n\n{item.reference} is kept until {uk_date(item.review_due)} under the retention period. Remove "
                "it early only for a good reason, such as the resident's request to erase their data.")

    def _on_anonymise(self) -> None:
        item = self.selected_retention()
        if item is None or item.legal_hold:
            return
        text = (f"Anonymise {item.reference}?\n\nThe resident's name becomes \u201cAnonymised\u201d and their address, "
                "contact details, the complaint's description, vulnerabilities and other personal details are "
                "removed, here and in the case's history. Letters and attachments kept with the database are "
                "deleted. The dates, category, decisions and remedy amounts stay, so reports still count the case."
                "\n\nThis cannot be undone (older backups keep the details until they age out)." + self._early(item))
        if self._confirm("Anonymise a case", text, "Anonymise"):
            self._remove(item, anonymise_case)

    def _on_delete(self) -> None:
        item = self.selected_retention()
        if item is None or item.legal_hold:
            return
        text = (f"Delete {item.reference}?\n\nThe case and everything under it (stages, remedies, actions, "
                "correspondence, letters and attachments kept with the database) are deleted. It will no longer "
                "count in reports; the history keeps only that it existed and was deleted.\n\nThis cannot be "
                "undone (older backups keep it until they age out)." + self._early(item))
        if self._confirm("Delete a case", text, "Delete"):
            self._remove(item, delete_case)

    def _remove(self, item: RetentionItem, act: Callable[..., Any]) -> None:
        try:
            result = act(self.ctx.service, item.reference, early=item.review_due > self.ctx.today)
        except HoscaseError as exc:
            self._say(str(exc), problem=True)
            self._tell("Retention", str(exc), problem=True)
            return
        files = f" {plural(len(result.files_removed), 'file')} deleted." if result.files_removed else ""
        self._say(f"{result.reference} {result.action}.{files}")
        self.ctx.cases_changed.emit()
        self._fill_retention()
        if result.files_elsewhere:
            listing = "\n".join(str(p) for p in result.files_elsewhere)
            self._tell("Retention", f"{result.reference} was {result.action}. These files are outside the data folder "
                                    f"and were not touched; delete them yourself:\n\n{listing}")

    def _on_toggle_hold(self) -> None:
        item = self.selected_retention()
        if item is None:
            return
        if item.legal_hold:
            text = (f"Lift the legal hold on {item.reference}?\n\nIt can then be anonymised or deleted once its "
                    "retention period has run out.")
            title, action = "Lift a legal hold", "Lift the hold"
        else:
            text = (f"Put {item.reference} under a legal hold?\n\nIt will not be anonymised or deleted until the hold "
                    "is lifted. Use it while a claim, an Ombudsman investigation or a court case may need the "
                    "case.")
            title, action = "Set a legal hold", "Set the hold"
        if not self._confirm(title, text, action):
            return
        try:
            self.ctx.service.update(item.reference, {"legal_hold": not item.legal_hold})
        except HoscaseError as exc:
            self._say(str(exc), problem=True)
            return
        self._say(f"{item.reference}: legal hold {'lifted' if item.legal_hold else 'set'}.")
        self.ctx.cases_changed.emit()
        self._fill_retention()

    def _on_open_case(self) -> None:
        item = self.selected_retention()
        if item is not None:
            self.ctx.case_opened.emit(item.reference)

    # --- subject access requests ----------------------------------------

    def _on_find_resident(self) -> None:
        self._find_resident(self.sar_name_edit.text())

    def _find_resident(self, name: str, quiet: bool = False) -> list:
        self.sar_cases, self.sar_name = [], ""
        self.sar_table.setRowCount(0)
        try:
            cases = find_resident_cases(self.ctx.service, name)
        except HoscaseError as exc:
            message = "" if quiet else str(exc)
            self.sar_message.setText(message[:1].upper() + message[1:] + ("." if message else ""))
            self.sar_message.setStyleSheet("color: #a4262c;")
            self._update_buttons()
            return []
        self.sar_cases, self.sar_name = cases, name.strip()
        self.sar_table.setRowCount(len(cases))
        for row, case in enumerate(cases):
            self.sar_table.setItem(row, 0, _item(case.reference, case.reference))
            self.sar_table.setItem(row, 1, _item(uk_date(case.fields.get("received"))))
            self.sar_table.setItem(row, 2, _item(case.status_label))
            self.sar_table.setItem(row, 3, _item(case.fields.get("category") or ""))
            self.sar_table.setItem(row, 4, _item(" ".join(str(case.fields.get("address") or "").split())))
        recorded = cases[0].fields.get("resident_name", name)
        self.sar_message.setText(f"{plural(len(cases), 'case')} held for {recorded}.")
        self.sar_message.setStyleSheet("")
        self._update_buttons()
        return cases

    def _on_export_sar(self) -> None:
        if not self.sar_cases:
            return
        name = self.sar_name
        recorded = self.sar_cases[0].fields.get("resident_name", name)
        slug = "-".join("".join(c if c.isalnum() else " " for c in recorded).lower().split()) or "resident"
        suggested = Path.home() / f"subject-access-{slug}-{self.ctx.today.isoformat()}.zip"
        dest = self._ask_save_path("Save the subject access pack", suggested, "ZIP file (*.zip)")
        if dest is None:
            return
        if dest.suffix.lower() != ".zip":
            dest = dest.with_name(dest.name + ".zip")
        open_store = self._worker_store()
        today, who = self.ctx.today, self.ctx.service.who

        def work(_progress):
            with open_store() as store:
                return subject_access_export(CaseService(store, who=who, today=today), name, dest)

        def done(result) -> None:
            missing = (f" {plural(len(result.missing_files), 'file')} on record could not be found and are listed "
                       "in the pack." if result.missing_files else "")
            self._say(f"Saved the subject access pack for {recorded} to {result.path}: "
                      f"{plural(len(result.references), 'case')}, {plural(len(result.files), 'file')}.{missing} "
                      "It holds personal data: send it securely.")

        self._start("Writing the subject access pack", work, done)

    # --- plumbing ------------------------------------------------------

    def _start(self, title: str, work: Callable, done: Callable) -> None:
        from hoscase.gui.ops import Cancelled, run_in_background

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            if isinstance(exc, Cancelled):
                self._say(f"{title}: cancelled.")
                return
            message = str(exc) if isinstance(exc, HoscaseError) else f"{type(exc).__name__}: {exc}"
            self._say(f"{title} did not finish: {message}", problem=True)
            self._tell(title, f"{title} did not finish: {message}", problem=True)

        def succeeded(result: Any) -> None:
            done(result)
            self._update_buttons()

        self._say(f"{title}…")
        self._op = run_in_background(self, title, work, on_success=succeeded, on_error=failed, cancellable=False)
        self._update_buttons()


def _check_key(info: BackupInfo) -> tuple[str, int, int]:
    try:
        mtime = info.path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    return str(info.path), info.size, mtime


def _inside(folder: Path, parent: Path) -> bool:
    try:
        return Path(folder).resolve().is_relative_to(Path(parent).resolve())
    except OSError:
        return False


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

