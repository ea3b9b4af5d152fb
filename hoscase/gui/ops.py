"""Long work off the GUI thread: a small op with a cancellable progress dialog (after Anki's ops).

    run_in_background(self, "Importing cases", lambda progress: do_import(path, progress),
                      on_success=lambda count: self.status(f"{count} cases imported"))

``fn`` receives ``progress(done, total)``; calling it reports how far the work has got and raises
``Cancelled`` once the user has pressed Cancel, so the work stops at a clean point. ``fn`` runs on a
worker thread: it must not touch widgets, and should open its own Store if it writes while the
officer keeps working.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from hoscase.errors import HoscaseError


class Cancelled(Exception):
    """The user pressed Cancel; raised inside the work by the progress callable."""


class _Signals(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object, str)


class _Runner(QRunnable):
    def __init__(self, op: BackgroundOp) -> None:
        super().__init__()
        self.op = op
        self.setAutoDelete(True)

    def run(self) -> None:
        op = self.op
        try:
            try:
                result = op.fn(op.progress)
            except BaseException as exc:  # noqa: BLE001 - reported on the GUI thread
                op.signals.failed.emit(exc, traceback.format_exc())
            else:
                op.signals.succeeded.emit(result)
        except RuntimeError:
            pass  # the app closed while the work ran: there is nobody left to tell


class BackgroundOp(QObject):
    """One piece of background work and its progress dialog. Keep it until ``finished`` if you need it."""

    finished = Signal()

    _running: set[BackgroundOp] = set()  # keeps ops alive until they finish

    def __init__(self, parent: QWidget | None, title: str, fn: Callable[[Callable[[int, int], None]], Any],
                 on_success: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 cancellable: bool) -> None:
        super().__init__(parent)
        self.fn = fn
        self.title = title
        self.on_success = on_success
        self.on_error = on_error
        self.cancel_requested = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.signals = _Signals()
        self.signals.progressed.connect(self._on_progressed, Qt.QueuedConnection)
        self.signals.succeeded.connect(self._on_succeeded, Qt.QueuedConnection)
        self.signals.failed.connect(self._on_failed, Qt.QueuedConnection)
        self.dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModal)
        self.dialog.setMinimumDuration(400)  # quick work finishes without a dialog flashing up
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setAccessibleName(f"{title}: progress")
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.canceled.connect(self._on_cancel_clicked)

    def progress(self, done: int, total: int) -> None:
        """Called by the work (any thread): report progress, stop if the user cancelled."""
        if self.cancel_requested.is_set():
            raise Cancelled()
        self.signals.progressed.emit(int(done), int(total))

    def cancel(self) -> None:
        self.cancel_requested.set()

    def start(self) -> BackgroundOp:
        BackgroundOp._running.add(self)
        QThreadPool.globalInstance().start(_Runner(self))
        return self

    @Slot()
    def _on_cancel_clicked(self) -> None:
        self.cancel_requested.set()
        self.dialog.setLabelText(f"{self.title}: stopping…")

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        if self.done:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)

    @Slot(object)
    def _on_succeeded(self, result: Any) -> None:
        self.result = result
        self._finish()
        if self.on_success is not None:
            self.on_success(result)

    @Slot(object, str)
    def _on_failed(self, exc: BaseException, details: str) -> None:
        self.error = exc
        self._finish()
        if self.on_error is not None:
            self.on_error(exc)
        elif isinstance(exc, Cancelled):
            pass  # the user asked for it; nothing to report
        elif isinstance(exc, HoscaseError):
            QMessageBox.warning(self.parent(), self.title, str(exc))
        else:
            box = QMessageBox(QMessageBox.Warning, self.title,
                              f"{self.title} did not finish: {type(exc).__name__}: {exc}", QMessageBox.Ok,
                              self.parent())
            box.setDetailedText(details)
            box.exec()

    def _finish(self) -> None:
        self.done = True
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        BackgroundOp._running.discard(self)
        QTimer.singleShot(0, self.finished.emit)


def run_in_background(parent: QWidget | None, title: str, fn: Callable[[Callable[[int, int], None]], Any],
                      on_success: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None = None,
                      cancellable: bool = True) -> BackgroundOp:
    """Run ``fn(progress)`` on a worker thread with a progress dialog; callbacks run on the GUI thread.

    ``on_error`` receives the exception (``Cancelled`` when the user cancelled); without it, errors are
    shown in a calm message box and a cancel is silent.
    """
    return BackgroundOp(parent, title, fn, on_success, on_error, cancellable).start()
