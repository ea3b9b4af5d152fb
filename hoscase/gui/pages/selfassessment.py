"""The self-assessment against the Code: a year's answers provision by provision, the evidence the records give,
the improvement action plan, what changed since last year, the governing body's approval, and the exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hoscase.errors import HoscaseError
from hoscase.figures import year_start_month
from hoscase.gui.format import plural, uk_date
from hoscase.selfassessment import (
    COMPLY_VALUES,
    RAG_COLOURS,
    RAG_LABELS,
    RAG_VALUES,
    Assessment,
    SelfAssessments,
    action_state,
)
from hoscase.years import months_text, year_label, year_of

PROVISION_ROLE = Qt.UserRole + 1
RAG_TEXT_COLOURS = {"green": "#ffffff", "amber": "#1f2933", "red": "#ffffff"}
EXPORTS = {
    "pdf": ("Export self-assessment (PDF)", "PDF files (*.pdf)", ".pdf", False),
    "plan": ("Export improvement action plan (PDF)", "PDF files (*.pdf)", ".pdf", True),
    "csv": ("Export self-assessment (CSV)", "CSV files (*.csv)", ".csv", False),
    "xlsx": ("Export self-assessment (Excel)", "Excel workbooks (*.xlsx)", ".xlsx", False),
}


class SelfAssessmentPage(QWidget):
    """One year's self-assessment; edits are saved through the core and go into the history."""

    assessment_changed = Signal()  # an answer, an action or the approval was saved
    exported = Signal(str)  # the path of a finished export

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.assessments = SelfAssessments(ctx.service)
        self.assessment: Assessment | None = None
        self.evidence: dict[str, Any] = {}
        self.current: str | None = None  # the provision in the editor
        self._loading = False
        self._ops: list[Any] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)

        top = QHBoxLayout()
        self.title = QLabel("Self-assessment against the Code")
        self.title.setObjectName("pageTitle")
        self.year = QComboBox()
        self._years_month = 0  # the year start month the year list was made for
        self.year.setAccessibleName("Financial year")
        self.year.setToolTip("The financial year of the self-assessment (1 April to 31 March)")
        self.start_button = QPushButton("Start year")
        self.start_button.setAccessibleName("Start this year's self-assessment")
        self.start_button.setToolTip("Start as a copy of last year's answers and open actions")
        self.approve_button = QPushButton("Record approval…")
        self.approve_button.setAccessibleName("Record the governing body's approval")
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(QLabel("Year:"))
        top.addWidget(self.year)
        top.addWidget(self.start_button)
        top.addWidget(self.approve_button)
        layout.addLayout(top)

        self.state = QLabel()
        self.state.setObjectName("pageSummary")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)

        strip = QHBoxLayout()
        self.counts: dict[str, QLabel] = {}
        for key, text in (("green", "Green"), ("amber", "Amber"), ("red", "Red"), ("unrated", "Not rated"),
                          ("unanswered", "Unanswered"), ("actions_open", "Actions open"),
                          ("actions_overdue", "Actions overdue")):
            label = QLabel()
            label.setObjectName(f"count_{key}")
            label.setAccessibleName(text)
            label.setProperty("caption", text)
            label.setMargin(4)
            if key in RAG_COLOURS:
                label.setStyleSheet(f"background: {RAG_COLOURS[key]}; color: {RAG_TEXT_COLOURS[key]}; "
                                    "border-radius: 3px; font-weight: bold;")
            self.counts[key] = label
            strip.addWidget(label)
        strip.addStretch(1)
        self.export_buttons: dict[str, QPushButton] = {}
        for key, text in (("pdf", "PDF…"), ("plan", "Action plan PDF…"), ("csv", "CSV…"), ("xlsx", "Excel…")):
            button = QPushButton(text)
            button.setAccessibleName(EXPORTS[key][0])
            button.setToolTip(EXPORTS[key][0])
            button.clicked.connect(lambda _checked=False, k=key: self._on_export_clicked(k))
            self.export_buttons[key] = button
            strip.addWidget(button)
        layout.addLayout(strip)
        self.export_note = QLabel()
        self.export_note.setAccessibleName("Last export")
        self.export_note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.export_note)
        self.export_note.hide()  # no empty gap until there is something to say

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Self-assessment views")
        self.tabs.addTab(self._build_provisions_tab(), "Provisions")
        self.tabs.addTab(self._build_actions_tab(), "Improvement action plan")
        self.tabs.addTab(self._build_changes_tab(), "Changed since last year")
        layout.addWidget(self.tabs, 1)

        self.year.currentIndexChanged.connect(self._on_year_changed)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.approve_button.clicked.connect(self._on_approve_clicked)
        self._fill_years()
        self.refresh()

    # --- building ------------------------------------------------------

    def _build_provisions_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setObjectName("provisionTree")
        self.tree.setAccessibleName("The Code's provisions by section")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(("Provision", "Requirement", "Comply", "RAG"))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for column, width in ((0, 90), (2, 110), (3, 80)):
            self.tree.setColumnWidth(column, width)
        self.tree.currentItemChanged.connect(self._on_current_item_changed)
        splitter.addWidget(self.tree)

        editor = QWidget()
        form = QVBoxLayout(editor)
        form.setContentsMargins(8, 0, 0, 0)
        self.provision_title = QLabel("Choose a provision")
        self.provision_title.setObjectName("sectionTitle")
        font = QFont(self.provision_title.font())
        font.setBold(True)
        self.provision_title.setFont(font)
        self.requirement = QLabel()
        self.requirement.setWordWrap(True)
        self.requirement.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.requirement.setAccessibleName("The Code's requirement")
        fields = QFormLayout()
        self.comply = QComboBox()
        self.comply.setAccessibleName("Comply")
        self.comply.addItem("(not answered)", None)
        for value in COMPLY_VALUES:
            self.comply.addItem(value, value)
        self.rag = QComboBox()
        self.rag.setAccessibleName("RAG rating")
        self.rag.addItem("(not rated)", None)
        for value in RAG_VALUES:
            self.rag.addItem(f"{value.capitalize()}: {RAG_LABELS[value]}", value)
        self.evidence_edit = QPlainTextEdit()
        self.evidence_edit.setAccessibleName("Our evidence")
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_edit.setPlaceholderText("Where the evidence is, e.g. Complaints Policy section 3.1")
        self.commentary = QPlainTextEdit()
        self.commentary.setAccessibleName("Commentary or explanation")
        self.commentary.setTabChangesFocus(True)
        fields.addRow("Comply:", self.comply)
        fields.addRow("RAG:", self.rag)
        fields.addRow("Our evidence:", self.evidence_edit)
        fields.addRow("Commentary:", self.commentary)
        self.records_box = QGroupBox("From the records")
        records = QVBoxLayout(self.records_box)
        self.records = QLabel()
        self.records.setWordWrap(True)
        self.records.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.records.setAccessibleName("Evidence from the records")
        self.warning = QLabel()
        self.warning.setObjectName("errorLabel")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Warning: the records contradict the claim")
        self.warning.setStyleSheet("color: #8a1c1c; background: #fdecea; padding: 4px;")
        self.warning.hide()
        records.addWidget(self.records)
        records.addWidget(self.warning)
        buttons = QHBoxLayout()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #8a1c1c;")
        self.problem.setAccessibleName("Problem")
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save this provision")
        self.add_action_button = QPushButton("Add improvement action…")
        buttons.addWidget(self.problem, 1)
        buttons.addWidget(self.add_action_button)
        buttons.addWidget(self.save_button)
        form.addWidget(self.provision_title)
        form.addWidget(self.requirement)
        form.addLayout(fields)
        form.addWidget(self.records_box)
        form.addLayout(buttons)
        form.addStretch(1)
        splitter.addWidget(editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 440])  # the requirement text needs the room more than the editor
        self.comply.currentIndexChanged.connect(self._on_claim_changed)
        self.rag.currentIndexChanged.connect(self._on_claim_changed)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.add_action_button.clicked.connect(self._on_add_action_clicked)
        return splitter

    def _build_actions_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.actions_table = QTableWidget(0, 6)
        self.actions_table.setObjectName("actionPlan")
        self.actions_table.setAccessibleName("Improvement action plan")
        self.actions_table.setHorizontalHeaderLabels(("Provision", "Improvement plan", "Action owner",
                                                      "Action by date", "Done", "Status"))
        self.actions_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.actions_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.actions_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.actions_table.verticalHeader().hide()
        self.actions_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.actions_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.actions_table.doubleClicked.connect(self._on_edit_action_clicked)
        self.actions_table.itemSelectionChanged.connect(self._on_action_selection_changed)
        buttons = QHBoxLayout()
        self.new_action_button = QPushButton("Add…")
        self.new_action_button.setAccessibleName("Add an improvement action")
        self.edit_action_button = QPushButton("Edit…")
        self.edit_action_button.setAccessibleName("Edit the improvement action")
        self.done_action_button = QPushButton("Mark done")
        self.done_action_button.setAccessibleName("Mark the improvement action done today")
        self.reopen_action_button = QPushButton("Reopen")
        self.delete_action_button = QPushButton("Delete")
        for button in (self.new_action_button, self.edit_action_button, self.done_action_button,
                       self.reopen_action_button, self.delete_action_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.new_action_button.clicked.connect(self._on_add_action_clicked)
        self.edit_action_button.clicked.connect(self._on_edit_action_clicked)
        self.done_action_button.clicked.connect(self._on_done_action_clicked)
        self.reopen_action_button.clicked.connect(self._on_reopen_action_clicked)
        self.delete_action_button.clicked.connect(self._on_delete_action_clicked)
        layout.addWidget(self.actions_table, 1)
        layout.addLayout(buttons)
        return page

    def _build_changes_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.changes_note = QLabel()
        self.changes_note.setWordWrap(True)
        self.changes_table = QTableWidget(0, 2)
        self.changes_table.setAccessibleName("Provisions changed since last year")
        self.changes_table.setHorizontalHeaderLabels(("Provision", "What changed"))
        self.changes_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.changes_table.verticalHeader().hide()
        self.changes_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.changes_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        layout.addWidget(self.changes_note)
        layout.addWidget(self.changes_table, 1)
        return page

    # --- data ----------------------------------------------------------

    def _fill_years(self) -> None:
        month = year_start_month(self.ctx.store)
        current = year_of(self.ctx.today, month)
        started = self.assessments.annual_years()
        years = sorted(set(started) | {current - 1, current, current + 1})
        self.year.setToolTip(f"The financial year of the self-assessment ({months_text(month)})")
        self._years_month = month
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(year_label(y, month) + ("" if y in started else " (not started)"), y)
        self.year.setCurrentIndex(self.year.findData(current))
        self.year.blockSignals(False)

    def selected_year(self) -> int:
        return int(self.year.currentData())

    def select_year(self, year: int) -> None:
        index = self.year.findData(int(year))
        if index >= 0:
            self.year.setCurrentIndex(index)

    def refresh(self) -> None:
        """Read the chosen year's assessment again and redraw everything (keeps the provision in the editor)."""
        from hoscase.provisions import load_code
        from hoscase.selfassessment_evidence import record_evidence

        if self.assessment is not None:
            self.save_current()  # typed text is never lost to a refresh
        if self._years_month != year_start_month(self.ctx.store):
            chosen = self.selected_year()
            self._fill_years()  # the year now starts in another month (Settings): relabel the list
            self.year.blockSignals(True)
            self.select_year(chosen)
            self.year.blockSignals(False)
        year = self.selected_year()
        self.assessment = self.assessments.annual(year)
        a = self.assessment
        try:
            self.evidence = record_evidence(self.ctx.service, year, load_code(a.edition).provisions)
        except HoscaseError:
            self.evidence = {}
        self._show_state()
        self._show_summary()
        self._fill_tree()
        self._fill_actions()
        self._fill_changes()
        self._load_editor(self.current or (a.entries[0].number if a.entries else None))

    def _show_state(self) -> None:
        a = self.assessment
        started = a.started
        if not started:
            text = (f"The {a.year_label} self-assessment is not started. Start it to copy last year's answers and "
                    "open improvement actions; the exports show the Code with empty answers until then.")
        elif a.approved_on:
            text = f"{a.label}: approved by {a.approved_by} on {uk_date(a.approved_on)}."
        else:
            text = f"{a.label}: not yet approved by the governing body (Code 8.2)."
        if started and a.completed_by:
            text += f" Completed by {a.completed_by}."
        self.state.setText(text)
        self.start_button.setEnabled(not started)
        self.approve_button.setEnabled(started)
        for widget in (self.comply, self.rag, self.evidence_edit, self.commentary, self.save_button,
                       self.add_action_button, self.new_action_button):
            widget.setEnabled(started)

    def _show_summary(self) -> None:
        counts = self.assessments.summary(self.assessment, self.ctx.today)
        for key, label in self.counts.items():
            label.setText(f"{label.property('caption')}: {counts[key]}")
        overdue = self.counts["actions_overdue"]
        overdue.setStyleSheet("color: #a4262c; font-weight: bold;" if counts["actions_overdue"] else "")

    def _fill_tree(self) -> None:
        self._loading = True
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for section, title, entries in self.assessment.sections():
            top = QTreeWidgetItem([f"Section {section}   {title}", "", "", ""])
            top.setFont(0, bold)
            top.setFlags(top.flags() & ~Qt.ItemIsSelectable)
            self.tree.addTopLevelItem(top)
            for e in entries:
                item = QTreeWidgetItem([e.number, e.provision.text.replace("\n", " "), e.comply or "", ""])
                item.setData(0, PROVISION_ROLE, e.number)
                item.setToolTip(1, e.provision.text)
                self._paint_rag(item, e.rag)
                warning = self._warning_for(e.number, e.comply, e.rag)
                if warning:
                    item.setText(2, f"{e.comply} ⚠")
                    item.setToolTip(2, warning)
                top.addChild(item)
            top.setFirstColumnSpanned(True)  # the section's title across the row, never clipped
            top.setExpanded(True)
        self._loading = False

    def _paint_rag(self, item: QTreeWidgetItem, rag: str | None) -> None:
        item.setText(3, rag.capitalize() if rag else "")
        if rag:
            item.setBackground(3, QBrush(QColor(RAG_COLOURS[rag])))
            item.setForeground(3, QBrush(QColor(RAG_TEXT_COLOURS[rag])))
            item.setToolTip(3, RAG_LABELS[rag])
        else:
            item.setBackground(3, QBrush())
            item.setForeground(3, QBrush())

    def _item_for(self, number: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, PROVISION_ROLE) == number:
                    return top.child(j)
        return None

    def _fill_actions(self) -> None:
        a = self.assessment
        today = self.ctx.today.isoformat()
        self.actions_table.setRowCount(0)
        for row in a.actions:
            r = self.actions_table.rowCount()
            self.actions_table.insertRow(r)
            state = action_state(row, today)
            overdue = state == "overdue"
            status = {"done": "Done", "carried": "Carried forward", "overdue": "Overdue", "open": "Open"}[state]
            values = (row["provision"], row["action"], row["owner"], uk_date(row["due"]), uk_date(row["done"]),
                      status)
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.UserRole, row["id"])
                if overdue:
                    cell.setForeground(QBrush(QColor("#a4262c")))
                self.actions_table.setItem(r, c, cell)
        self.actions_table.resizeColumnToContents(0)
        self._on_action_selection_changed()

    def _fill_changes(self) -> None:
        a = self.assessment
        previous = self.assessments.previous(a) if a.started else None
        changes = self.assessments.diff(a, previous) if previous else []
        if not a.started:
            note = "Start the year to compare it with last year."
        elif previous is None:
            note = "There is no earlier self-assessment to compare with."
        elif not changes:
            note = f"No provision has changed since {previous.year_label}."
        else:
            note = f"{plural(len(changes), 'provision')} changed since {previous.year_label}."
        self.changes_note.setText(note)
        self.changes_table.setRowCount(len(changes))
        for r, change in enumerate(changes):
            self.changes_table.setItem(r, 0, QTableWidgetItem(change["provision"]))
            self.changes_table.setItem(r, 1, QTableWidgetItem(change["how"]))

    # --- the editor ----------------------------------------------------

    def _warning_for(self, number: str, comply: str | None, rag: str | None) -> str | None:
        found = self.evidence.get(number)
        return found.contradiction(comply, rag) if found else None

    def _load_editor(self, number: str | None) -> None:
        self._loading = True
        try:
            self.current = number
            if number is None:
                return
            e = self.assessment.entry(number)
            self.provision_title.setText(f"{e.number}  Section {e.provision.section}: {e.provision.section_title}")
            self.requirement.setText(e.provision.text)
            self.comply.setCurrentIndex(max(0, self.comply.findData(e.comply)) if e.comply else 0)
            self.rag.setCurrentIndex(max(0, self.rag.findData(e.rag)) if e.rag else 0)
            self.evidence_edit.setPlainText(e.evidence)
            self.commentary.setPlainText(e.commentary)
            self.problem.clear()
            found = self.evidence.get(number)
            self.records_box.setVisible(found is not None)
            self.records.setText(found.text() if found else "")
            item = self._item_for(number)
            if item is not None and self.tree.currentItem() is not item:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item, QAbstractItemView.PositionAtCenter)
        finally:
            self._loading = False
        self._on_claim_changed()

    def select_provision(self, number: str) -> None:
        """Show ``number`` (e.g. "6.2") in the editor, saving what was typed for the one before."""
        if self.current is not None and self.current != number:
            self.save_current()
        self._load_editor(number)

    def editor_values(self) -> dict[str, Any]:
        return {"comply": self.comply.currentData(), "rag": self.rag.currentData(),
                "evidence": self.evidence_edit.toPlainText(), "commentary": self.commentary.toPlainText()}

    def editor_dirty(self) -> bool:
        if self.current is None or self.assessment is None or not self.assessment.started:
            return False
        saved = self.assessment.entry(self.current).values()
        values = self.editor_values()
        return any((saved[k] or "") != (values[k] or "").strip() if k in ("evidence", "commentary")
                   else saved[k] != values[k] for k in values)

    def save_current(self) -> bool:
        """Save the provision in the editor; False (with the problem shown) if the core refused it."""
        if not self.editor_dirty():
            return True
        try:
            self.assessment = self.assessments.set_entry(self.assessment.id, self.current, **self.editor_values())
        except HoscaseError as exc:
            self.problem.setText(f"⚠  {exc}")
            return False
        self.problem.clear()
        e = self.assessment.entry(self.current)
        item = self._item_for(self.current)
        if item is not None:
            item.setText(2, e.comply or "")
            self._paint_rag(item, e.rag)
            warning = self._warning_for(e.number, e.comply, e.rag)
            if warning:
                item.setText(2, f"{e.comply} ⚠")
            item.setToolTip(2, warning or "")
        self._show_summary()
        self._fill_changes()
        self.assessment_changed.emit()
        return True

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Leaving the page keeps what was typed."""
        if self.assessment is not None:
            self.save_current()
        super().hideEvent(event)

    def _on_claim_changed(self, *_args: Any) -> None:
        if self._loading:
            return
        warning = self._warning_for(self.current, self.comply.currentData(), self.rag.currentData()) \
            if self.current else None
        self.warning.setText(f"⚠  {warning}" if warning else "")
        self.warning.setVisible(bool(warning))

    def _on_current_item_changed(self, item: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if self._loading or item is None:
            return
        number = item.data(0, PROVISION_ROLE)
        if number is None or number == self.current:
            return
        if not self.save_current():
            self._loading = True
            self.tree.setCurrentItem(previous)
            self._loading = False
            return
        self._load_editor(number)

    def _on_save_clicked(self) -> None:
        self.save_current()

    def _on_year_changed(self, _index: int) -> None:
        if self.assessment is not None and self.assessment.started and not self.save_current():
            self.year.blockSignals(True)
            self.select_year(self.assessment.year)
            self.year.blockSignals(False)
            return
        self.refresh()

    def _on_start_clicked(self) -> None:
        year = self.selected_year()
        try:
            self.assessments.start(year)
        except HoscaseError as exc:
            QMessageBox.warning(self, "Start the self-assessment", str(exc))
            return
        self._fill_years()
        self.select_year(year)
        self.refresh()
        self.assessment_changed.emit()

    def _on_approve_clicked(self) -> None:
        from hoscase.gui.dialogs.approve_assessment import ApproveAssessmentDialog

        if not self.save_current():
            return
        _value, accepted = ApproveAssessmentDialog.open_for(self.ctx, self.assessments, self.assessment, self)
        if accepted:
            self.refresh()
            self.assessment_changed.emit()

    # --- the action plan -----------------------------------------------

    def selected_action_id(self) -> int | None:
        rows = self.actions_table.selectionModel().selectedRows() if self.actions_table.selectionModel() else []
        if not rows:
            return None
        return self.actions_table.item(rows[0].row(), 0).data(Qt.UserRole)

    def _action(self, action_id: int | None) -> dict | None:
        return next((a for a in self.assessment.actions if a["id"] == action_id), None)

    def _on_action_selection_changed(self) -> None:
        action = self._action(self.selected_action_id())
        started = self.assessment is not None and self.assessment.started
        self.edit_action_button.setEnabled(started and action is not None)
        self.delete_action_button.setEnabled(started and action is not None)
        self.done_action_button.setEnabled(started and action is not None and not action["done"])
        self.reopen_action_button.setEnabled(started and action is not None and bool(action["done"]))

    def _after_action_change(self, select_id: int | None = None) -> None:
        self.assessment = self.assessments.get(self.assessment.id)
        self._fill_actions()
        self._show_summary()
        if select_id is not None:
            for r in range(self.actions_table.rowCount()):
                if self.actions_table.item(r, 0).data(Qt.UserRole) == select_id:
                    self.actions_table.selectRow(r)
        self.assessment_changed.emit()

    def _on_add_action_clicked(self) -> None:
        from hoscase.gui.dialogs.improvement_action import ImprovementActionDialog

        if not self.assessment.started:
            return
        provision = self.current if self.sender() is self.add_action_button else None
        value, accepted = ImprovementActionDialog.open_for(self.ctx, self.assessments, self.assessment,
                                                           provision=provision, parent=self)
        if accepted and value:
            self._after_action_change(value["id"])

    def _on_edit_action_clicked(self, *_args: Any) -> None:
        from hoscase.gui.dialogs.improvement_action import ImprovementActionDialog

        action = self._action(self.selected_action_id())
        if action is None or not self.assessment.started:
            return
        value, accepted = ImprovementActionDialog.open_for(self.ctx, self.assessments, self.assessment,
                                                           action=action, parent=self)
        if accepted and value:
            self._after_action_change(value["id"])

    def _on_done_action_clicked(self) -> None:
        action_id = self.selected_action_id()
        if action_id is None:
            return
        try:
            self.assessments.complete_action(action_id, self.ctx.today)
        except HoscaseError as exc:
            QMessageBox.warning(self, "Mark done", str(exc))
            return
        self._after_action_change(action_id)

    def _on_reopen_action_clicked(self) -> None:
        action_id = self.selected_action_id()
        if action_id is None:
            return
        self.assessments.reopen_action(action_id)
        self._after_action_change(action_id)

    def _on_delete_action_clicked(self) -> None:
        action = self._action(self.selected_action_id())
        if action is None:
            return
        answer = QMessageBox.question(self, "Delete improvement action",
                                      f"Delete the action for {action['provision']}: {action['action'][:80]}?",
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        self.assessments.delete_action(action["id"])
        self._after_action_change()

    # --- exports -------------------------------------------------------

    def _on_export_clicked(self, kind: str) -> None:
        if not self.save_current():
            return
        caption, filter_, suffix, plan = EXPORTS[kind]
        a = self.assessment
        stem = f"self-assessment-action-plan-{a.year}" if plan else f"self-assessment-{a.year}"
        suggested = str(Path(self.ctx.data_folder) / f"{stem}{suffix}")
        path, _filter = QFileDialog.getSaveFileName(self, caption, suggested, filter_)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        self.export_to(path, kind)

    def export_to(self, path: str | Path, kind: str) -> Any:
        """Write the loaded assessment to ``path`` off the GUI thread (the data is read here, first)."""
        from hoscase.selfassessment_export import organisation_name, write

        _caption, _filter, _suffix, plan = EXPORTS[kind]
        assessment = self.assessment
        organisation = organisation_name(self.ctx.store)

        def work(_progress: Any) -> Path:
            return write(assessment, path, organisation, plan=plan)

        def done(result: Path) -> None:
            self.export_note.setText(f"Written {result}")
            self.export_note.show()
            self.exported.emit(str(result))

        try:
            from hoscase.gui.ops import run_in_background
        except ImportError:  # pragma: no cover - ops.py ships with the app
            done(work(None))
            return None
        op = run_in_background(self, "Exporting the self-assessment", work, on_success=done, cancellable=False)
        self._ops.append(op)
        op.finished.connect(lambda: self._ops.remove(op) if op in self._ops else None)
        return op
