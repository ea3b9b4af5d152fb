"""Settings: the organisation's details for letters and reports, handlers, categories, closure days and the
Housing Ombudsman's contact details.

Everything but closure days is saved together with Save settings, in one transaction, after the core has
checked it all; a problem is named and nothing is saved. Closure days are saved the moment they are added or
removed, because every open deadline moves with them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hoscase.errors import HoscaseError
from hoscase.gui.format import uk_date
from hoscase.gui.widgets import date_edit, date_of
from hoscase.gui.widgets import form_group as _form_group
from hoscase.settings import (
    OMBUDSMAN_DEFAULTS,
    category_rows,
    copy_logo,
    ombudsman,
    organisation,
    save_closure_days,
    save_settings,
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAY_ROLE = Qt.UserRole + 1
EXISTING_ROLE = Qt.UserRole + 2


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hintLabel")
    label.setWordWrap(True)
    return label


def _table(columns: tuple[str, ...], name: str, height: int, most: int) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
    for column in range(1, len(columns)):
        table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeToContents)
    table.setMinimumHeight(height)
    table.setMaximumHeight(most)
    table.verticalHeader().setDefaultSectionSize(26)
    return table


def _check_item(checked: bool, name: str) -> QTableWidgetItem:
    item = QTableWidgetItem("Active")
    item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable)
    item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
    item.setData(Qt.AccessibleTextRole, f"{name}: {'active' if checked else 'not active'}")
    return item


class SettingsPage(QWidget):
    """The organisation's settings, edited in place and saved together."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.logo = ""
        self._clean: tuple | None = None
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(8)
        self.title = QLabel("Settings")
        self.title.setObjectName("pageTitle")
        outer.addWidget(self.title)

        scroll = QScrollArea()
        scroll.setAccessibleName("Settings")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        body = QWidget()
        # Two columns on a wide window, one on a small screen (see resizeEvent): never a sideways scroll.
        columns = QBoxLayout(QBoxLayout.LeftToRight, body)
        columns.setContentsMargins(0, 0, 6, 0)
        columns.setSpacing(16)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.scroll, self._columns, self._left, self._right = scroll, columns, left, right

        # --- the organisation ---
        org_box, org = _form_group("Organisation (letterhead and reports)")
        self.name = self._line(org, "Name: *", "Organisation name")
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setMinimumHeight(78)
        self.address.setMaximumHeight(96)
        self.address.setPlaceholderText("Address as printed on letters, one line per line")
        self._add(org, "Address:", self.address, "Organisation address")
        logo_row = QWidget()
        logo_layout = QHBoxLayout(logo_row)
        logo_layout.setContentsMargins(0, 0, 0, 0)
        self.logo_preview = QLabel("No logo")
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(150, 56)
        self.logo_preview.setAlignment(Qt.AlignCenter)
        self.logo_preview.setFrameShape(QLabel.StyledPanel)
        self.logo_preview.setAccessibleName("Logo preview")
        self.logo_button = QPushButton("Choose…")
        self.logo_button.setAccessibleName("Choose a logo image")
        self.logo_clear = QPushButton("Remove")
        self.logo_clear.setAccessibleName("Remove the logo")
        logo_layout.addWidget(self.logo_preview)
        logo_layout.addWidget(self.logo_button)
        logo_layout.addWidget(self.logo_clear)
        logo_layout.addStretch(1)
        org.addRow("Logo:", logo_row)
        self.phone = self._line(org, "Phone:", "Organisation phone")
        self.email = self._line(org, "Email:", "Organisation email address")
        self.email.setPlaceholderText("complaints@example.org")
        self.website = self._line(org, "Website:", "Organisation website")
        self.website.setPlaceholderText("www.example.org")
        self.homes = self._line(org, "Number of homes:", "Number of homes")
        self.homes.setPlaceholderText("e.g. 420 (for the complaints per 1,000 homes figure)")
        self.prefix = self._line(org, "Case reference prefix:", "Case reference prefix")
        self.prefix.setMaxLength(10)
        self.prefix_hint = _hint("")
        org.addRow("", self.prefix_hint)
        self.year_start = QComboBox()
        for number, month in enumerate(MONTHS, start=1):
            self.year_start.addItem(month, number)
        self._add(org, "Financial year starts:", self.year_start, "Financial year start month")
        left.addWidget(org_box)

        sign_box, sign = _form_group("Letters are signed by")
        self.signatory = self._line(sign, "Name:", "Signatory name")
        self.signatory_role = self._line(sign, "Role:", "Signatory role")
        left.addWidget(sign_box)

        omb_box, omb = _form_group("Housing Ombudsman (printed on letters)")
        self.omb_fields: dict[str, QLineEdit] = {}
        for key, label in (("name", "Name:"), ("address", "Address:"), ("phone", "Phone:"),
                           ("website", "Website:"), ("complaint_form", "Complaint form:")):
            self.omb_fields[key] = self._line(omb, label, f"Ombudsman {label.rstrip(':').lower()}")
        self.omb_reset = QPushButton("Use the published details")
        self.omb_reset.setAccessibleName("Restore the Ombudsman's published contact details")
        omb.addRow("", self.omb_reset)
        omb.addRow("", _hint("The Ombudsman no longer takes new complaints by email, so letters point residents "
                             "to the online complaint form."))
        left.addWidget(omb_box)
        left.addStretch(1)

        # --- handlers and categories ---
        hand_box = QGroupBox("Complaint handlers")
        hand_layout = QVBoxLayout(hand_box)
        self.handlers = _table(("Name", "Role", "Active"), "Complaint handlers", 110, 170)
        self.add_handler_button = QPushButton("Add handler")
        self.add_handler_button.setAccessibleName("Add a complaint handler")
        hand_layout.addWidget(self.handlers)
        hand_layout.addWidget(_hint("Untick Active for someone who no longer handles complaints; past cases keep "
                                    "the name they were handled by. To rename, add the new name."))
        hand_layout.addWidget(self.add_handler_button, 0, Qt.AlignLeft)
        right.addWidget(hand_box)

        cat_box = QGroupBox("Complaint categories")
        cat_layout = QVBoxLayout(cat_box)
        self.categories = _table(("Category", "Active"), "Complaint categories", 130, 200)
        self.add_category_button = QPushButton("Add category")
        self.add_category_button.setAccessibleName("Add a complaint category")
        cat_layout.addWidget(self.categories)
        cat_layout.addWidget(self.add_category_button, 0, Qt.AlignLeft)
        right.addWidget(cat_box)

        # --- closure days: saved at once ---
        closure_box = QGroupBox("Closure days")
        closure_layout = QVBoxLayout(closure_box)
        closure_layout.addWidget(_hint("Days the office is closed besides weekends and bank holidays. They are not "
                                       "working days, so deadlines skip them. Adding or removing one is saved at "
                                       "once and moves every open deadline straight away."))
        self.closures = _table(("Date", "Why closed"), "Closure days", 90, 150)
        self.closures.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.closures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.closures.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        closure_layout.addWidget(self.closures)
        add_row = QHBoxLayout()
        self.closure_date = date_edit(ctx.today, name="Closure date")
        self.closure_name = QLineEdit()
        self.closure_name.setPlaceholderText("e.g. Office closed for Christmas")
        self.closure_name.setAccessibleName("Why the office is closed")
        self.add_closure_button = QPushButton("Add closure day")
        self.add_closure_button.setAccessibleName("Add the closure day")
        self.remove_closure_button = QPushButton("Remove selected")
        self.remove_closure_button.setAccessibleName("Remove the selected closure day")
        add_row.addWidget(self.closure_date)
        add_row.addWidget(self.closure_name, 1)
        add_row.addWidget(self.add_closure_button)
        closure_layout.addLayout(add_row)
        closure_layout.addWidget(self.remove_closure_button, 0, Qt.AlignLeft)
        self.closure_message = QLabel()
        self.closure_message.setWordWrap(True)
        self.closure_message.setAccessibleName("Closure days message")
        closure_layout.addWidget(self.closure_message)
        right.addWidget(closure_box)
        right.addStretch(1)

        # --- save bar ---
        bar = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Settings message")
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.revert_button = QPushButton("Undo changes")
        self.revert_button.setAccessibleName("Undo unsaved changes")
        self.save_button = QPushButton("Save settings")
        self.save_button.setAccessibleName("Save settings")
        self.save_button.setObjectName("primaryButton")
        self.save_button.setDefault(True)
        bar.addWidget(self.message, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        outer.addLayout(bar)

        order = [self.name, self.address, self.logo_button, self.logo_clear, self.phone, self.email, self.website,
                 self.homes, self.prefix, self.year_start, self.signatory, self.signatory_role,
                 *self.omb_fields.values(), self.omb_reset, self.handlers, self.add_handler_button, self.categories,
                 self.add_category_button, self.closures, self.closure_date, self.closure_name,
                 self.add_closure_button, self.remove_closure_button, self.revert_button, self.save_button]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

        self.logo_button.clicked.connect(self._on_choose_logo)
        self.logo_clear.clicked.connect(self._on_clear_logo)
        self.omb_reset.clicked.connect(self._on_ombudsman_defaults)
        self.add_handler_button.clicked.connect(self._on_add_handler)
        self.add_category_button.clicked.connect(self._on_add_category)
        self.add_closure_button.clicked.connect(self._on_add_closure)
        self.closure_name.returnPressed.connect(self._on_add_closure)
        self.remove_closure_button.clicked.connect(self._on_remove_closure)
        self.closures.itemSelectionChanged.connect(self._update_buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.prefix.textChanged.connect(self._update_prefix_hint)
        for widget in (self.name, self.phone, self.email, self.website, self.homes, self.prefix, self.signatory,
                       self.signatory_role, *self.omb_fields.values()):
            widget.textChanged.connect(self._on_edited)
        self.address.textChanged.connect(self._on_edited)
        self.year_start.currentIndexChanged.connect(self._on_edited)
        self.handlers.itemChanged.connect(self._on_edited)
        self.categories.itemChanged.connect(self._on_edited)
        ctx.settings_changed.connect(self.refresh)
        self.load()

    # --- layout --------------------------------------------------------

    def _two_columns_fit(self) -> bool:
        """Whether both columns fit side by side in the scroll area's width at their smallest."""
        need = (self._left.minimumSize().width() + self._right.minimumSize().width() + self._columns.spacing()
                + 6 + self.scroll.verticalScrollBar().sizeHint().width())
        return self.scroll.viewport().width() >= need

    def _arrange_columns(self) -> None:
        direction = QBoxLayout.LeftToRight if self._two_columns_fit() else QBoxLayout.TopToBottom
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)
            self._left.setStretch(self._left.count() - 1, 1 if direction == QBoxLayout.LeftToRight else 0)
            self._right.setStretch(self._right.count() - 1, 1 if direction == QBoxLayout.LeftToRight else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._arrange_columns()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._arrange_columns()

    # --- building blocks -----------------------------------------------

    def _add(self, form: QFormLayout, label: str, widget: QWidget, name: str) -> QWidget:
        form.addRow(label, widget)
        widget.setAccessibleName(name)
        return widget

    def _line(self, form: QFormLayout, label: str, name: str) -> QLineEdit:
        return self._add(form, label, QLineEdit(), name)

    # --- loading and the unsaved-changes state --------------------------

    def refresh(self) -> None:
        """Re-read the settings, unless the officer has typed changes not yet saved (never lose those)."""
        if self.has_unsaved_changes():
            self._load_closures()
            return
        self.load()

    def load(self) -> None:
        """Fill every field from the database, dropping unsaved edits."""
        store = self.ctx.store
        self._loading = True
        try:
            org = organisation(store)
            self.name.setText(org["name"] or "")
            self.address.setPlainText(org["address"] or "")
            self._set_logo(org.get("logo") or "")
            self.phone.setText(org["phone"] or "")
            self.email.setText(org["email"] or "")
            self.website.setText(org["website"] or "")
            self.homes.setText("" if org["homes"] in (None, "") else str(org["homes"]))
            self.prefix.setText(org["reference_prefix"])
            month = org.get("financial_year_start_month") or 4
            self.year_start.setCurrentIndex(max(0, self.year_start.findData(int(month))))
            self.signatory.setText(org["signatory"] or "")
            self.signatory_role.setText(org["signatory_role"] or "")
            for key, value in ombudsman(store).items():
                self.omb_fields[key].setText(value)
            self.handlers.setRowCount(0)
            for handler in store.handlers(active_only=False):
                self._append_handler(handler["name"], handler["role"], bool(handler["active"]), existing=True)
            self.categories.setRowCount(0)
            for row in category_rows(store):
                self._append_category(row["name"], row["active"], existing=True)
            self._load_closures()
        finally:
            self._loading = False
        self._clean = self.snapshot()
        self._update_prefix_hint()
        self._on_edited()

    def _load_closures(self) -> None:
        self.closures.setRowCount(0)
        for day, name in self.ctx.store.closure_days().items():
            row = self.closures.rowCount()
            self.closures.insertRow(row)
            date_item = QTableWidgetItem(uk_date(day))
            date_item.setData(DAY_ROLE, day)
            self.closures.setItem(row, 0, date_item)
            self.closures.setItem(row, 1, QTableWidgetItem(name))
        self._update_buttons()

    def snapshot(self) -> tuple:
        """Everything editable except closure days (they save at once)."""
        return (self.values(), self.ombudsman_values(), tuple(map(tuple, (d.values() for d in self.handler_rows()))),
                tuple(map(tuple, (d.values() for d in self.category_values()))))

    def has_unsaved_changes(self) -> bool:
        return self._clean is not None and self.snapshot() != self._clean

    def _on_edited(self, *_args) -> None:
        if self._loading:
            return
        if self.has_unsaved_changes():
            self.message.setText("You have unsaved changes: Save settings to keep them.")
            self.message.setStyleSheet("color: #6b4500; font-weight: 600;")
        elif self.message.text().startswith("You have unsaved"):
            self.message.clear()

    def _update_buttons(self) -> None:
        self.remove_closure_button.setEnabled(bool(self.closures.selectedItems()))

    def _update_prefix_hint(self, *_args) -> None:
        prefix = self.prefix.text().strip() or "C"
        self.prefix_hint.setText(f"New complaints are numbered like {prefix}-{self.ctx.today.year}-0001.")

    # --- reading the fields ---------------------------------------------

    def values(self) -> dict:
        return {
            "name": self.name.text(), "address": self.address.toPlainText(), "logo": self.logo,
            "phone": self.phone.text(), "email": self.email.text(), "website": self.website.text(),
            "homes": self.homes.text(), "reference_prefix": self.prefix.text(),
            "financial_year_start_month": self.year_start.currentData(),
            "signatory": self.signatory.text(), "signatory_role": self.signatory_role.text(),
        }

    def ombudsman_values(self) -> dict:
        return {key: edit.text() for key, edit in self.omb_fields.items()}

    def handler_rows(self) -> list[dict]:
        rows = []
        for row in range(self.handlers.rowCount()):
            name_item, role_item, active_item = (self.handlers.item(row, c) for c in range(3))
            name = name_item.text().strip() if name_item else ""
            if not name and not name_item.data(EXISTING_ROLE):
                continue  # a new row left blank
            rows.append({"name": name, "role": role_item.text() if role_item else "",
                         "active": active_item.checkState() == Qt.Checked})
        return rows

    def category_values(self) -> list[dict]:
        rows = []
        for row in range(self.categories.rowCount()):
            name_item, active_item = self.categories.item(row, 0), self.categories.item(row, 1)
            name = name_item.text().strip() if name_item else ""
            if not name and not name_item.data(EXISTING_ROLE):
                continue
            rows.append({"name": name, "active": active_item.checkState() == Qt.Checked})
        return rows

    def closure_days(self) -> dict[str, str]:
        return {self.closures.item(r, 0).data(DAY_ROLE): self.closures.item(r, 1).text()
                for r in range(self.closures.rowCount())}

    # --- saving ---------------------------------------------------------

    def save(self) -> bool:
        """Check and save everything but closure days in one go; on a problem say what and save nothing."""
        try:
            changes = save_settings(self.ctx.service, organisation_values=self.values(),
                                    ombudsman_values=self.ombudsman_values(), handlers=self.handler_rows(),
                                    categories=self.category_values())
        except HoscaseError as exc:
            self._show_problem(str(exc))
            return False
        self.load()
        self.ctx.settings_changed.emit()
        count = len(changes)
        self.message.setStyleSheet("")
        self.message.setText(f"Settings saved ({count} change{'s' if count != 1 else ''}) at "
                             f"{dt.datetime.now():%H:%M}." if count else "Settings saved; nothing had changed.")
        return True

    def revert(self) -> None:
        had_changes = self.has_unsaved_changes()
        self.load()
        self.message.setStyleSheet("")
        self.message.setText("Unsaved changes undone." if had_changes else "There were no unsaved changes.")

    def _show_problem(self, text: str) -> None:
        self.message.setStyleSheet("color: #a4262c; font-weight: bold;")
        self.message.setText(f"⚠  Not saved: {text[:1].upper() + text[1:]}. Correct it and save again.")
        lowered = text.casefold()
        fields = [("the ombudsman's complaint form", self.omb_fields["complaint_form"]),
                  ("the ombudsman's website", self.omb_fields["website"]),
                  ("the ombudsman's phone", self.omb_fields["phone"]),
                  ("the ombudsman's address", self.omb_fields["address"]),
                  ("the ombudsman's name", self.omb_fields["name"]), ("organisation name", self.name),
                  ("email", self.email), ("website", self.website), ("phone", self.phone),
                  ("number of homes", self.homes), ("reference prefix", self.prefix), ("signatory's role",
                  self.signatory_role), ("signatory", self.signatory), ("handler", self.handlers),
                  ("category", self.categories), ("address", self.address)]
        for words, widget in fields:
            if words in lowered:
                widget.setFocus()
                break

    # --- the logo -------------------------------------------------------

    def _set_logo(self, path: str) -> None:
        self.logo = path or ""
        pixmap = QPixmap(self.logo) if self.logo and Path(self.logo).is_file() else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("Logo file missing" if self.logo else "No logo")
        else:
            self.logo_preview.setPixmap(pixmap.scaled(self.logo_preview.size(), Qt.KeepAspectRatio,
                                                      Qt.SmoothTransformation))
        self.logo_clear.setEnabled(bool(self.logo))

    def set_logo_file(self, source: str | Path) -> bool:
        """Copy a chosen image into the data folder and show it; saved with the other settings."""
        try:
            path = copy_logo(source, Path(self.ctx.data_folder))
        except (HoscaseError, OSError) as exc:
            self._show_problem(str(exc))
            return False
        self._set_logo(path)
        self._on_edited()
        return True

    def _on_choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Choose the organisation's logo", str(Path.home()),
                                                    "Images (*.png *.jpg *.jpeg)")
        if path:
            self.set_logo_file(path)

    def _on_clear_logo(self) -> None:
        self._set_logo("")
        self._on_edited()

    def _on_ombudsman_defaults(self) -> None:
        for key, value in OMBUDSMAN_DEFAULTS.items():
            self.omb_fields[key].setText(value)

    # --- handlers and categories ------------------------------------------

    def _append_handler(self, name: str, role: str, active: bool, existing: bool) -> int:
        row = self.handlers.rowCount()
        self.handlers.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(EXISTING_ROLE, existing)
        if existing:
            name_item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            name_item.setToolTip("Past cases keep this name; untick Active instead of renaming")
        self.handlers.setItem(row, 0, name_item)
        self.handlers.setItem(row, 1, QTableWidgetItem(role))
        self.handlers.setItem(row, 2, _check_item(active, name or "new handler"))
        return row

    def _append_category(self, name: str, active: bool, existing: bool) -> int:
        row = self.categories.rowCount()
        self.categories.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(EXISTING_ROLE, existing)
        if existing:
            name_item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        self.categories.setItem(row, 0, name_item)
        self.categories.setItem(row, 1, _check_item(active, name or "new category"))
        return row

    def _on_add_handler(self) -> None:
        row = self._append_handler("", "Complaints officer", True, existing=False)
        self.handlers.setCurrentCell(row, 0)
        self.handlers.editItem(self.handlers.item(row, 0))

    def _on_add_category(self) -> None:
        row = self._append_category("", True, existing=False)
        self.categories.setCurrentCell(row, 0)
        self.categories.editItem(self.categories.item(row, 0))

    # --- closure days (saved at once) ---------------------------------------

    def _save_closures(self, days: dict[str, str], done: str) -> bool:
        try:
            save_closure_days(self.ctx.service, days)
        except HoscaseError as exc:
            self.closure_message.setText(f"⚠  Not saved: {exc}.")
            return False
        self._load_closures()
        self.closure_message.setText(done)
        self.ctx.settings_changed.emit()
        return True

    def add_closure_day(self, day: dt.date, name: str) -> bool:
        name = name.strip() or "Office closed"
        days = self.closure_days()
        why = self.ctx.service.calendar.why_not_working(day)
        if why and day.isoformat() not in days:
            self.closure_message.setText(f"⚠  Not added: {uk_date(day)} is already not a working day ({why}).")
            return False
        verb = "renamed" if day.isoformat() in days else "added"
        days[day.isoformat()] = name
        return self._save_closures(days, f"Closure day {uk_date(day)} {verb}; every open deadline has moved with it.")

    def remove_closure_day(self, day: str) -> bool:
        days = self.closure_days()
        if day not in days:
            return False
        del days[day]
        return self._save_closures(days, f"Closure day {uk_date(day)} removed; open deadlines have moved back.")

    def _on_add_closure(self) -> None:
        if self.add_closure_day(date_of(self.closure_date), self.closure_name.text()):
            self.closure_name.clear()

    def _on_remove_closure(self) -> None:
        row = self.closures.currentRow()
        if row >= 0:
            self.remove_closure_day(self.closures.item(row, 0).data(DAY_ROLE))
