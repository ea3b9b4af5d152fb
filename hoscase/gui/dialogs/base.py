"""What every small dialog shares: a form, a live preview, an inline problem label, and save-by-the-core.

A dialog's ``_save()`` calls the core, which checks everything before it writes; a HoscaseError is
shown in the dialog (nothing was saved) and the dialog stays open so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hoscase.errors import HoscaseError
from hoscase.gui.widgets import ErrorLabel, InfoLabel

DATE_FIELD_WIDTH = 170  # a date needs no more; a date field the width of the dialog looks like a text box


def available_size(widget: QWidget | None = None) -> QSize:
    """The room on the screen the widget is on (or the main screen), less a margin for the window frame."""
    screen = None
    if widget is not None and widget.isVisible():
        screen = QGuiApplication.screenAt(widget.frameGeometry().center())
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1024, 700)
    room = screen.availableGeometry().size()
    return QSize(max(320, room.width() - 16), max(240, room.height() - 48))


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to the size asked for, but never beyond the screen: on a 1024 x 700 laptop nothing is cut off."""
    room = available_size(widget)
    widget.resize(min(width, room.width()), min(height, room.height()))


class ActionDialog(QDialog):
    """Subclasses build their fields into ``self.form`` and implement ``_save()`` returning the value."""

    save_text = "Save"
    ask_before_discarding = False
    changes_cases = True  # False for dialogs about something else (the self-assessment): no case page refreshes

    def __init__(self, ctx, title: str, parent: QWidget | None = None, intro: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.value: Any = None
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(480)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(18, 16, 18, 14)
        self.layout_.setSpacing(10)
        if intro:
            label = QLabel(intro)
            label.setObjectName("dialogIntro")
            label.setWordWrap(True)
            self.layout_.addWidget(label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(8)
        self.layout_.addLayout(self.form)
        self.info = InfoLabel()
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText(self.save_text)
        self.ok_button.setDefault(True)  # Enter saves, from any one-line field
        self.ok_button.setAccessibleName(self.save_text)
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        self._bottom_added = False
        self._clean_state: Any = None

    def finish_layout(self) -> None:
        """Add the preview, problem label and buttons below the subclass's fields."""
        if self._bottom_added:
            return
        self._bottom_added = True
        self.layout_.addWidget(self.info)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)
        # Enter saves: helper buttons in the form (Add remedy…, Choose…) must not take over as the default.
        for button in self.findChildren(QPushButton):
            if button.parent() is not self.buttons:
                button.setAutoDefault(False)
        self._clean_state = self.snapshot()
        self.update_preview()
        self._sync_info()

    def add_row(self, label: str, widget: QWidget, name: str | None = None) -> QWidget:
        if isinstance(widget, QDateEdit):
            widget.setMaximumWidth(DATE_FIELD_WIDTH)
        self.form.addRow(label, widget)
        widget.setAccessibleName(name or label.rstrip(":").replace("&", ""))
        return widget

    # --- hooks ---------------------------------------------------------

    def _save(self) -> Any:  # pragma: no cover - every dialog overrides
        raise NotImplementedError

    def update_preview(self) -> None:
        """Work out and show what saving will do (for example the resulting due date)."""

    def explain(self, message: str) -> str:
        """The core's message, worded for this dialog where the command line's wording would mislead."""
        return message

    def snapshot(self) -> Any:
        """What the officer has typed, to tell whether cancelling would lose anything."""
        return None

    # --- behaviour -----------------------------------------------------

    def _sync_info(self) -> None:
        """The preview box is shown only when it says something (an empty blue box looks like a fault)."""
        self.info.setVisible(bool(self.info.text().strip()))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._sync_info()
        super().showEvent(event)

    def show_problem(self, message: str) -> None:
        """Say what is wrong and grow the dialog so the message pushes nothing out of sight."""
        self.error.show_error(message)
        self._sync_info()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        # Grow by the message's own height at most: a table's generous size hint must not make the dialog jump.
        want = min(self.sizeHint().height(), self.height() + self.error.sizeHint().height() + self.layout_.spacing())
        if self.isVisible() and self.height() < want:
            self.resize(self.width(), min(want, available_size(self).height()))

    def _on_ok(self) -> None:
        self.error.clear_error()
        try:
            self.value = self._save()
        except HoscaseError as exc:
            self.show_problem(self.explain(str(exc)))
            return
        if self.changes_cases:
            self.ctx.cases_changed.emit()
        self.accept()

    def reject(self) -> None:
        if self.ask_before_discarding and self.snapshot() != self._clean_state:
            answer = QMessageBox.question(
                self, self.windowTitle(), "Discard what you have typed?",
                QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel,
            )
            if answer != QMessageBox.Discard:
                return
        super().reject()

    @classmethod
    def _run(cls, *args: Any, **kwargs: Any) -> tuple[Any, bool]:
        dialog = cls(*args, **kwargs)
        accepted = dialog.exec() == QDialog.Accepted
        value = dialog.value if accepted else None
        dialog.deleteLater()
        return value, accepted


class CaseActionDialog(ActionDialog):
    """A stage action on one case; opened with ``open_for_case(ctx, reference, parent)``."""

    def __init__(self, ctx, reference: str, title: str, parent: QWidget | None = None, intro: str = "") -> None:
        self.case = ctx.service.get(reference)
        super().__init__(ctx, f"{title}: {self.case.reference}", parent, intro)
        self.reference = self.case.reference

    @classmethod
    def open_for_case(cls, ctx, reference: str, parent: QWidget | None = None) -> tuple[Any, bool]:
        """Open the dialog; returns (the updated Case, True) once saved, or (None, False)."""
        return cls._run(ctx, reference, parent)
