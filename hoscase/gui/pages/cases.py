"""The case register: every case, searched as you type and filtered, in a table that reads lazily."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hoscase.cases import STATUS_LABELS
from hoscase.gui.format import as_date, plural
from hoscase.gui.models.case_table import COLUMN_INDEX, COLUMNS, CaseTableModel
from hoscase.years import year_label, year_of, year_start_month

SEARCH_DELAY_MS = 150
MIN_SEARCH = 2  # one letter matches half the register: wait for the second
# Typical widest values, so columns fit what they show in the user's font ("Overdue · 22 Nov 2026" must fit).
COLUMN_SAMPLES = {"reference": "C-2026-0000", "resident_name": "Dariusz Campbell", "address": "12 Mill Terrace",
                  "category": "Damp and mould", "stage": "2", "status": "To acknowledge", "handler": "Grace Okafor",
                  "received": "30 Sep 2026", "next_step": "Acknowledge", "due": "Overdue · 30 Sep 2026"}
COLUMN_MARGIN = 10  # the cell's own padding, both sides together


class _Table(QTableView):
    """The register table: Enter opens the selected case."""

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class CasesPage(QWidget):
    new_case_requested = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = CaseTableModel(ctx, self)
        self._years_known = False
        self._years_month = 0  # the year start month the year list was made for

        self.title = QLabel("Cases")
        self.title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setObjectName("searchEdit")
        self.search.setPlaceholderText("Search reference, resident, address or complaint…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search cases")
        self.search.setMinimumWidth(220)
        self.new_button = QPushButton("New case…")
        self.new_button.setObjectName("primaryButton")
        self.new_button.setAccessibleName("New case")
        self.new_button.setToolTip("Record a new complaint (Ctrl+N)")

        self.status_filter = self._combo("Status", [("All statuses", "")] + [(label, key) for key, label in STATUS_LABELS.items()])
        self.stage_filter = self._combo("Stage", [("Both stages", ""), ("Stage 1", 1), ("Stage 2", 2)])
        self.category_filter = self._combo("Category", [("All categories", "")])
        self.handler_filter = self._combo("Handler", [("All handlers", "")])
        self.year_filter = self._combo("Financial year", [("All years", "")])
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setAccessibleName("Number of cases shown")

        self.table = _Table()
        self.table.setObjectName("caseTable")
        self.table.setAccessibleName("Case register")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setHighlightSections(False)
        self._size_columns()
        header.setSectionResizeMode(COLUMN_INDEX["address"], QHeaderView.Stretch)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COLUMN_INDEX["received"], Qt.DescendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        header.setSectionsClickable(True)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addSpacing(8)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        for label, combo in (("Status", self.status_filter), ("Stage", self.stage_filter),
                             ("Category", self.category_filter), ("Handler", self.handler_filter),
                             ("Year", self.year_filter)):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.stage_filter)
        self.setTabOrder(self.stage_filter, self.category_filter)
        self.setTabOrder(self.category_filter, self.handler_filter)
        self.setTabOrder(self.handler_filter, self.year_filter)
        self.setTabOrder(self.year_filter, self.table)
        self.setTabOrder(self.table, self.new_button)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self._apply_filters())
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._on_search_return)
        self.setFocusProxy(self.search)  # Ctrl+2 lands in the search box, ready to type
        for combo in (self.status_filter, self.stage_filter, self.category_filter, self.handler_filter,
                      self.year_filter):
            combo.currentIndexChanged.connect(lambda _index: self._apply_filters())
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.open_requested.connect(self._open_row)
        self.new_button.clicked.connect(self.new_case_requested)
        self.model.modelReset.connect(self._update_count)

    def _size_columns(self) -> None:
        """Each column as wide as its longest usual value and no wider, so Address (which stretches) gets the rest.

        The Due column fits a bold "Overdue · 30 Sep 2026" and its warning icon exactly; the others fit their
        sample with a small margin. The officer can still drag any column wider or narrower.
        """
        plain = self.table.fontMetrics()
        bold_font = self.table.font()
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(plain.horizontalAdvance("0000"))
        icon = self.table.style().pixelMetric(QStyle.PM_SmallIconSize)
        for key, sample in COLUMN_SAMPLES.items():
            column = COLUMN_INDEX[key]
            width = max(plain.horizontalAdvance(sample), bold.horizontalAdvance(COLUMNS[column][0]) + 8)
            if key == "due":
                width = bold.horizontalAdvance(sample) + icon + 6  # bold, with the warning icon
            self.table.setColumnWidth(column, width + COLUMN_MARGIN)

    def _combo(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(f"Filter by {name.lower()}")
        combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        combo.setMinimumWidth(90)  # may shrink so the window fits a small laptop; the list opens full width
        for label, value in items:
            combo.addItem(label, value)
        return combo

    # --- behaviour -----------------------------------------------------

    def refresh(self) -> None:
        self._fill_choices()
        if self._years_known and self._years_month != year_start_month(self.ctx.store):
            self._fill_years()  # the year now starts in another month (Settings)
        self._apply_filters(force=True)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    def filters(self) -> dict:
        search = self.search.text().strip()
        return {
            "search": search if len(search.replace(" ", "")) >= MIN_SEARCH else "",
            "status": self.status_filter.currentData(),
            "stage": self.stage_filter.currentData(),
            "category": self.category_filter.currentData(),
            "handler": self.handler_filter.currentData(),
            "year": self.year_filter.currentData(),
        }

    def _apply_filters(self, force: bool = False) -> None:
        self._search_timer.stop()
        filters = {k: v for k, v in self.filters().items() if v not in (None, "")}
        if not force and self.model.loaded and filters == self.model.filters:
            return  # nothing the officer asked for has changed
        self.model.set_filters(filters)
        if not self._years_known and not any(self.filters().values()):
            self._fill_years()

    def _fill_choices(self) -> None:
        store = self.ctx.store
        categories = sorted(set(store.categories()) | set(store.distinct_values("category")), key=str.casefold)
        handlers = sorted({h["name"] for h in store.handlers(active_only=False)} | set(store.distinct_values("handler")),
                          key=str.casefold)
        self._reset_items(self.category_filter, "All categories", [(c, c) for c in categories])
        self._reset_items(self.handler_filter, "All handlers", [(h, h) for h in handlers])

    def _fill_years(self) -> None:
        """Financial years (in the organisation's start month) from the oldest case to this year."""
        month = year_start_month(self.ctx.store)
        this_year = year_of(self.ctx.today, month)
        first = this_year
        oldest = as_date(self.ctx.store.oldest_received())
        if oldest:
            first = min(year_of(oldest, month), this_year)
        years = [(f"{year_label(y, month)}", y) for y in range(this_year, first - 1, -1)]
        self._reset_items(self.year_filter, "All years", years)
        self._years_known = True
        self._years_month = month

    @staticmethod
    def _reset_items(combo: QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, "")
        for label, value in items:
            combo.addItem(label, value)
        index = combo.findData(current) if current not in (None, "") else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if any(self.filters().values()):
            total = self.ctx.store.count_cases()
            self.count_label.setText(f"{shown:,} of {plural(total, 'case')}")
        else:
            self.count_label.setText(plural(shown, "case"))

    def _on_search_return(self) -> None:
        self._apply_filters()
        if self.model.rowCount() == 1:
            self._open_row(0)
        elif self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _on_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if COLUMNS[column][2] is None:
            # Derived columns cannot be ordered by the database: put the indicator back.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(),
                                    Qt.DescendingOrder if self.model.descending else Qt.AscendingOrder)
            header.blockSignals(False)
            return
        self.model.sort(column, order)

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.ctx.case_opened.emit(self.model.reference_at(row))
