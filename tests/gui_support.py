"""Helpers for the desktop-app tests: a context on a fresh database, and driving modal dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def drive_modal(trigger: Callable[[], object], fill: Callable[[QWidget], None], timeout_ms: int = 5000) -> None:
    """Call ``trigger`` (which opens a modal dialog and waits in it) and, once the dialog is up, ``fill`` it.

    ``fill`` acts as the user would and must end by closing the dialog (Save, Cancel...). If it fails, or
    leaves the dialog open, the dialog is closed so the test fails instead of hanging.
    """
    outcome: dict[str, BaseException] = {}
    waited = [0]

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            waited[0] += 10
            if waited[0] > timeout_ms:
                outcome["error"] = AssertionError("no modal dialog appeared")
                return
            QTimer.singleShot(10, step)
            return
        try:
            fill(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test below
            outcome["error"] = exc
        if dialog.isVisible():
            if "error" not in outcome:
                error = getattr(dialog, "error", None)
                message = error.text() if error is not None else ""
                outcome["error"] = AssertionError(f"the dialog stayed open: {message}")
            dialog.done(0)

    QTimer.singleShot(0, step)
    trigger()
    if "error" in outcome:
        raise outcome["error"]
