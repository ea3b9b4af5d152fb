"""The import preview: what a spreadsheet would bring in, or every problem that stops it, before anything is written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hoscase.cases import STATUS_LABELS
from hoscase.gui.dialogs.base import fit_to_screen
from hoscase.gui.format import uk_date
from hoscase.importer import ImportResult, imported_status

SHOWN_ROWS = 1000


class ImportPreviewDialog(QDialog):
    """Shows the checked file; the Import button is there only when every row is right."""

    def __init__(self, result: ImportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        name = Path(result.path).name
        self.setWindowTitle(f"Import cases: {name}")
        self.setModal(True)
        fit_to_screen(self, 860, 520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(8)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setObjectName("importNotes")
        layout.addWidget(self.notes)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.Ok)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill()

    def _fill(self) -> None:
        r = self.result
        notes = [f"Note: {n}" for n in r.notes] + [f"Warning: {w}" for w in r.warnings[:20]]
        if len(r.warnings) > 20:
            notes.append(f"… and {len(r.warnings) - 20} more warnings")
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        if r.errors:
            self.summary.setText(
                f"<b>Nothing can be imported yet.</b> {len(r.errors):,} problem{'s' if len(r.errors) != 1 else ''} "
                f"in {len(r.bad_rows()):,} of {r.rows:,} rows. Correct them in the spreadsheet (rows are numbered as "
                "in the spreadsheet, the header is row 1) and import it again.")
            self.summary.setTextFormat(Qt.RichText)
            self._set_rows(["Row", "Column", "Problem"],
                           [[str(e.row) if e.row else "", e.column, e.message] for e in r.errors[:SHOWN_ROWS]])
            self.table.setAccessibleName("Problems found in the spreadsheet")
            self.import_button.setVisible(False)
            self.buttons.button(QDialogButtonBox.Cancel).setText("Close")
        else:
            self.summary.setText(f"{r.summary()}. Every row was checked; nothing is added until you press Import, "
                                 "and then all of them are added in one go.")
            rows = []
            for case in r.cases[:SHOWN_ROWS]:
                rows.append([str(case["row"]), case["reference"] or "(new)", case["resident_name"],
                             uk_date(case["received"]), case["category"],
                             STATUS_LABELS.get(imported_status(case), imported_status(case))])
            self._set_rows(["Row", "Reference", "Resident", "Received", "Category", "Status"], rows)
            self.table.setAccessibleName("Cases to import")
            self.import_button.setText(f"Import {len(r.cases):,} case{'s' if len(r.cases) != 1 else ''}")
            self.import_button.setAccessibleName("Import")
        if len(r.errors if r.errors else r.cases) > SHOWN_ROWS:
            self.summary.setText(self.summary.text() + f" (the first {SHOWN_ROWS:,} are listed)")

    def _set_rows(self, headers: list[str], rows: list[list[str]]) -> None:
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                item = QTableWidgetItem(value.replace("\n", " ") if value else "")
                if j == 0:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(i, j, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)

    @classmethod
    def ask(cls, result: ImportResult, parent: QWidget | None = None) -> tuple[bool, bool]:
        """Show the preview; returns (import it, accepted). Import is only offered for a file without problems."""
        dialog = cls(result, parent)
        accepted = dialog.exec() == QDialog.Accepted
        dialog.deleteLater()
        return accepted and result.ok, accepted
