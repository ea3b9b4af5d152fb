"""Service requests: their own list, apart from complaints (Code 1.4), and raising one to a complaint (1.5)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hoscase.gui.format import plural, uk_date
from hoscase.service_requests import STATUS_LABELS, list_service_requests

COLUMNS = (("reference", "Reference"), ("received", "Received"), ("resident_name", "Resident"),
           ("address", "Address"), ("description", "Request"), ("status", "Status"))
FILTERS = (("open", "Open"), ("done", "Done"), ("raised", "Raised to complaint"), ("all", "All"))
ROW_ROLE = Qt.UserRole + 1
SORT_ROLE = Qt.UserRole + 2


class ServiceRequestModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, row: dict, key: str) -> str:
        if key == "received":
            return uk_date(row["received"])
        if key == "status":
            label = STATUS_LABELS.get(row["status"], row["status"])
            if row["status"] == "done" and row.get("completed_on"):
                return f"{label} {uk_date(row['completed_on'])}"
            if row["status"] == "raised" and row.get("case_reference"):
                return f"{label} {row['case_reference']}"
            return label
        return " ".join(str(row.get(key) or "").split())

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            return self._text(row, key)
        if role == Qt.ToolTipRole and key in ("description", "address"):
            return row.get(key) or None
        if role == SORT_ROLE:
            return row.get(key) or ""
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][1]
        return None


class _Table(QTableView):
    """Enter on a row does what double-click does."""

    activated_row = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ServiceRequestsPage(QWidget):
    """The list of service requests with New, Mark done and Raise to complaint."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        self.title = QLabel("Service requests")
        self.title.setObjectName("pageTitle")
        intro = QLabel("A request for a service is not a complaint and is recorded here, apart from complaints "
                       "(Code 1.4). If the resident is unhappy with how one was handled, raise it to a stage 1 "
                       "complaint (1.5); the two stay linked.")
        intro.setObjectName("pageSummary")
        intro.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(intro)

        bar = QHBoxLayout()
        self.new_button = QPushButton("New request…")
        self.new_button.setAccessibleName("New service request")
        self.new_button.setObjectName("primaryButton")
        self.done_button = QPushButton("Mark done…")
        self.done_button.setAccessibleName("Mark the selected request done")
        self.raise_button = QPushButton("Raise to complaint…")
        self.raise_button.setAccessibleName("Raise the selected request to a complaint")
        self.open_button = QPushButton("Open complaint")
        self.open_button.setAccessibleName("Open the complaint raised from the selected request")
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show service requests")
        for key, label in FILTERS:
            self.filter.addItem(label, key)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search requests")
        self.search.setAccessibleName("Search service requests")
        self.search.setClearButtonEnabled(True)
        show_label = QLabel("&Show:")
        show_label.setBuddy(self.filter)
        for widget in (self.new_button, self.done_button, self.raise_button, self.open_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(show_label)
        bar.addWidget(self.filter)
        bar.addWidget(self.search)
        layout.addLayout(bar)

        self.model = ServiceRequestModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = _Table()
        self.table.setObjectName("serviceRequests")
        self.table.setAccessibleName("Service requests")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column, width in enumerate((115, 105, 160, 170, 320, 210)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setObjectName("statusLine")
        self.status.setAccessibleName("Service requests status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        for a, b in ((self.new_button, self.done_button), (self.done_button, self.raise_button),
                     (self.raise_button, self.open_button), (self.open_button, self.filter),
                     (self.filter, self.search), (self.search, self.table)):
            QWidget.setTabOrder(a, b)

        self.new_button.clicked.connect(self._on_new)
        self.done_button.clicked.connect(self._on_done)
        self.raise_button.clicked.connect(self._on_raise)
        self.open_button.clicked.connect(self._on_open_case)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.textChanged.connect(self._on_search)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(self._on_row_activated)
        self.table.activated_row.connect(self._on_row_activated)
        ctx.cases_changed.connect(self.refresh)
        self.refresh()

    # --- data ----------------------------------------------------------

    def refresh(self) -> None:
        selected = self.current_request()
        rows = list_service_requests(self.ctx.service, self.filter.currentData())
        self.model.set_rows(rows)
        counts = {key: 0 for key in STATUS_LABELS}
        for row in self.ctx.store.service_request_rows():
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        self.status.setText(f"{plural(counts['open'], 'open request')}, {counts['done']} done, "
                            f"{counts['raised']} raised to complaints.")
        if selected:
            self.select_reference(selected["reference"])
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def current_request(self) -> dict | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.index(index.row(), 0).data(ROW_ROLE)

    def select_reference(self, reference: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(Qt.DisplayRole) == reference:
                self.table.selectRow(row)
                return True
        return False

    def references(self) -> list[str]:
        return [self.proxy.index(row, 0).data(Qt.DisplayRole) for row in range(self.proxy.rowCount())]

    def _update_buttons(self) -> None:
        request = self.current_request()
        status = request["status"] if request else None
        self.done_button.setEnabled(status == "open")
        self.raise_button.setEnabled(status in ("open", "done"))
        self.open_button.setEnabled(status == "raised")

    # --- actions -------------------------------------------------------

    def _on_search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_buttons()

    def _on_new(self) -> None:
        from hoscase.gui.dialogs.service_request import NewServiceRequestDialog

        row, accepted = NewServiceRequestDialog.create_request(self.ctx, self)
        if accepted and row:
            if self.filter.currentData() not in ("open", "all"):
                self.filter.setCurrentIndex(0)
            self.refresh()
            self.select_reference(row["reference"])
            self.status.setText(f"{row['reference']} recorded.")

    def _on_done(self) -> None:
        from hoscase.gui.dialogs.service_request_done import ServiceRequestDoneDialog

        request = self.current_request()
        if not request:
            return
        row, accepted = ServiceRequestDoneDialog.mark_done(self.ctx, request["reference"], self)
        if accepted and row:
            self.refresh()
            self.status.setText(f"{row['reference']} marked done on {uk_date(row['completed_on'])}.")

    def _on_raise(self) -> None:
        from hoscase.gui.dialogs.raise_complaint import RaiseToComplaintDialog

        request = self.current_request()
        if not request:
            return
        case, accepted = RaiseToComplaintDialog.raise_request(self.ctx, request["reference"], self)
        if accepted and case is not None:
            self.refresh()
            self.status.setText(f"{request['reference']} raised to complaint {case.reference}.")
            self.ctx.case_opened.emit(case.reference)

    def _on_open_case(self) -> None:
        request = self.current_request()
        if request and request.get("case_reference"):
            self.ctx.case_opened.emit(request["case_reference"])

    def _on_row_activated(self, _index: QModelIndex) -> None:
        """Double-click or Enter on a raised request opens its complaint."""
        request = self.current_request()
        if request and request["status"] == "raised":
            self._on_open_case()
