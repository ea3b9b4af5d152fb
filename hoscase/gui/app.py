"""Starting the desktop app: the application object, the look, the database and the main window."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from hoscase.errors import HoscaseError
from hoscase.paths import data_dir

log = logging.getLogger(__name__)
ORGANISATION = "hoscase"
APPLICATION = "hoscase"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, set up for QSettings, high-DPI screens and the app's stylesheet."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("hoscase")
    app.setStyle("Fusion")
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    try:
        app.setStyleSheet((data_dir("ui") / "style.qss").read_text(encoding="utf-8"))
    except OSError as exc:  # the app still works in the plain style
        log.warning("stylesheet not loaded: %s", exc)


def _log_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("hoscase", appauthor=False)) / "errors.log"


_showing_error = False


def _excepthook(kind, exc, tb) -> None:
    """Any error that reached the event loop: a calm message and a log entry, never a bare traceback."""
    global _showing_error
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    details = "".join(traceback.format_exception(kind, exc, tb))
    where = ""
    try:
        path = _log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n{details}\n")
        where = f" The details were written to {path}."
    except OSError:
        pass
    sys.stderr.write(details)
    if QApplication.instance() is None or _showing_error:
        return
    _showing_error = True
    try:
        if isinstance(exc, HoscaseError):
            QMessageBox.warning(None, "hoscase", str(exc))
            return
        box = QMessageBox(QMessageBox.Warning, "hoscase",
                          "Something went wrong, and the last thing you did may not have been saved. "
                          f"Your data is safe: every saved change is in the database.{where}")
        box.setDetailedText(details)
        box.exec()
    finally:
        _showing_error = False


def install_excepthook() -> None:
    sys.excepthook = _excepthook


def run_app(db: str | None) -> int:
    """Open the database (creating it on a first run) and show the main window until it is closed."""
    app = make_application()
    install_excepthook()
    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow
    from hoscase.safety.lock import acquire_app_lock
    from hoscase.safety.startup import open_database_for_app
    from hoscase.store import default_db_path

    path = Path(db) if db else default_db_path()
    first_run = not path.exists() or path.stat().st_size == 0
    warnings: list[str] = []
    try:
        lock = acquire_app_lock(path)  # one window per database, for the life of the window
    except HoscaseError as exc:
        QMessageBox.critical(None, "hoscase", f"The database could not be opened.\n\n{exc}")
        return 2
    try:
        store = open_database_for_app(path, warnings.append, _offer_restore)
    except (HoscaseError, OSError) as exc:
        lock.release()
        QMessageBox.critical(None, "hoscase", f"The database could not be opened.\n\n{exc}")
        return 2
    ctx = None
    try:
        ctx = AppContext(store)
        from hoscase.gui.dialogs.first_run import setup_if_needed

        if not setup_if_needed(ctx):  # cancelled: close, and ask again next time
            return 0
        window = MainWindow(ctx)
        if first_run:
            window.statusBar().showMessage(f"Created a new database at {path}")
        else:
            window.statusBar().showMessage(f"Database: {path}", 8000)
        window.show()
        for text in warnings:  # a network or cloud-synced location, a backup that could not be taken
            QMessageBox.warning(window, "hoscase", text)
        heartbeat = QTimer(window, interval=60_000, timeout=lock.heartbeat)  # tells another computer it is held
        heartbeat.start()
        return app.exec()
    finally:
        if ctx is not None and ctx.store is not store:  # re-opened after a restore (Backups & data page)
            ctx.store.close()
        store.close()
        lock.release()


def _offer_restore(message: str, backup: Path) -> bool:
    """The database was damaged and moved aside: ask whether to restore the newest good backup."""
    answer = QMessageBox.question(None, "hoscase", f"{message}\n\nRestore the newest good backup now?",
                                  QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
    return answer == QMessageBox.Yes
