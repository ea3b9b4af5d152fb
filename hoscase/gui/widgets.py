"""Small widgets and helpers the pages and dialogs share: date fields, the inline error label, form loading."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QFile, QIODevice, Qt, Signal
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from hoscase.gui.format import QT_DATE_FORMAT, from_qdate, to_qdate
from hoscase.paths import data_dir


def setup_date_edit(edit: QDateEdit, day: dt.date | None = None, *, latest: dt.date | None = None,
                    name: str = "") -> QDateEdit:
    """A date edit showing 22 Nov 2026 with a calendar pop-up; ``latest`` stops dates in the future."""
    edit.setDisplayFormat(QT_DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(1990, 1, 1))
    edit.setMaximumDate(to_qdate(latest) if latest else QDate(2079, 12, 31))
    if day:
        edit.setDate(to_qdate(day))
    if name:
        edit.setAccessibleName(name)
    return edit


def date_edit(day: dt.date | None = None, *, latest: dt.date | None = None, name: str = "") -> QDateEdit:
    return setup_date_edit(QDateEdit(), day, latest=latest, name=name)


def date_of(edit: QDateEdit) -> dt.date:
    return from_qdate(edit.date())


class OptionalDateEdit(QWidget):
    """A date that may be left unset: a tick box says whether there is one (no hidden sentinel dates)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox("Set", self)
        self.edit = date_edit()
        self.edit.setSpecialValueText("not set")  # shown at the minimum date, which stands for "none" while unticked
        self.edit.setEnabled(False)
        self.edit.setDate(self.edit.minimumDate())
        self.edit.setMinimumWidth(150)
        self.edit.setMaximumWidth(190)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.check.toggled.connect(self._on_toggled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)
        self.setFocusProxy(self.check)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt's name
        super().setAccessibleName(name)
        self.check.setAccessibleName(f"{name}: set")
        self.edit.setAccessibleName(name)

    def _on_toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on and self.edit.date() == self.edit.minimumDate():
            self.edit.setDate(QDate.currentDate())
        elif not on:
            self.edit.setDate(self.edit.minimumDate())

    def value(self) -> dt.date | None:
        return date_of(self.edit) if self.check.isChecked() else None

    def set_value(self, day: dt.date | str | None) -> None:
        qdate = to_qdate(day)
        self.check.setChecked(qdate.isValid())
        if qdate.isValid():
            self.edit.setDate(qdate)
        self._on_toggled(qdate.isValid())


class ErrorLabel(QLabel):
    """Where a dialog says what was wrong, in words (the colour only helps)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setAccessibleName("Problem")
        self.hide()

    def show_error(self, message: str) -> None:
        text = message[:1].upper() + message[1:]
        self.setText(f"⚠  {text}")
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


class InfoLabel(QLabel):
    """The live preview of what saving will do (for example the new due date)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("infoLabel")
        self.setWordWrap(True)
        self.setAccessibleName("What saving will do")


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """A Qt Designer form from ui/ (a checkout, a wheel or a bundle), loaded at run time."""
    path = data_dir("ui") / name
    loader = QUiLoader()
    loader.registerCustomWidget(OptionalDateEdit)
    file = QFile(str(path))
    if not file.open(QIODevice.ReadOnly):
        raise FileNotFoundError(f"cannot read the form {path}")
    try:
        widget = loader.load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"the form {path} could not be loaded: {loader.errorString()}")
    return widget


def child(form: QWidget, kind: type, name: str):
    """A named widget of a loaded form; a clear error when the form and the code disagree."""
    found = form.findChild(kind, name)
    if found is None:
        raise LookupError(f"the form has no {kind.__name__} named {name!r}")
    return found


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to ``width`` x ``height`` but never beyond the screen's free area less a title bar.

    A 1366x768 laptop, or a screen scaled to 200%, is smaller than the app's preferred window: without
    this the window's last row (the case window's Save button, the status bar) opens off the screen.
    """
    from PySide6.QtGui import QGuiApplication

    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, free.width())
        height = min(height, free.height() - TITLE_BAR_ALLOWANCE)
    window.resize(width, height)


TITLE_BAR_ALLOWANCE = 40  # logical pixels left for the window manager's title bar and frame


def text_box(placeholder: str, height: int = 70) -> QPlainTextEdit:
    """A several-line text field of a fixed height where Tab moves on, as in every other field of a form."""
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(height)
    box.setTabChangesFocus(True)
    return box


def form_group(title: str) -> tuple[QGroupBox, QFormLayout]:
    """A titled group with a form inside: labels right-aligned, fields taking the width, the app's spacing."""
    group = QGroupBox(title)
    form = QFormLayout(group)
    form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(7)
    return group, form
