"""Starting the desktop app: the application object, the look, the database and the main window."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

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
    app.setDesktopFileName("hoscase")  # matches packaging/linux/hoscase.desktop, so the dock shows its icon
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")
    apply_style(app)
    return app


def app_icon() -> QIcon:
    """The app's icon in every size it ships (files are read only when a size is first painted)."""
    icon = QIcon()
    folder = data_dir("resources") / "icons"
    for size in (16, 32, 48, 64, 128, 256):
        path = folder / f"hoscase-{size}.png"
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


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
    from hoscase.safety.lock import acquire_app_lock
    from hoscase.safety.startup import open_database_for_app, restore_after_damage
    from hoscase.store import default_db_path
    from hoscase.store.safety import DamagedDatabaseError

    path = Path(db) if db else default_db_path()
    first_run = not path.exists() or path.stat().st_size == 0
    warnings: list[str] = []
    try:
        lock = acquire_app_lock(path)  # one window per database, for the life of the window
    except HoscaseError as exc:
        QMessageBox.critical(None, "hoscase", f"The database could not be opened.\n\n{exc}")
        return 2
    stores = []
    try:
        try:
            # The check on opening (300 ms at 100,000 cases) runs in a thread while the window is built;
            # nothing is written until it has passed (see _FinishOpening).
            stores.append(open_database_for_app(path, warnings.append, _offer_restore, defer_check=not first_run))
        except (HoscaseError, OSError) as exc:
            QMessageBox.critical(None, "hoscase", f"The database could not be opened.\n\n{exc}")
            return 2
        while True:
            try:
                return _show_main_window(app, stores[-1], path, first_run, warnings, lock)
            except DamagedDatabaseError as exc:  # the check, finished after the first paint, failed
                warnings = []
                try:
                    stores.append(restore_after_damage(path, exc, warnings.append, _offer_restore))
                except (HoscaseError, OSError) as error:
                    QMessageBox.critical(None, "hoscase", f"The database could not be opened.\n\n{error}")
                    return 2
                first_run = False
    finally:
        for store in stores:
            store.close()
        lock.release()


def _show_main_window(app, store, path: Path, first_run: bool, warnings: list[str], lock) -> int:
    """The main window on ``store`` until it is closed; raises DamagedDatabaseError when the check fails."""
    from hoscase.first_run import needs_first_run
    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow

    ctx = None
    window = opening = None
    try:
        try:
            ctx = AppContext(store)
            if needs_first_run(store):
                store.wait_for_check()  # the setup writes
                from hoscase.gui.dialogs.first_run import setup_if_needed  # 50 ms of imports a first run needs

                if not setup_if_needed(ctx):  # cancelled: close, and ask again next time
                    return 0
            window = MainWindow(ctx)
        except Exception:
            store.wait_for_check()  # what failed may have been read from a damaged file: the check says
            raise
        if first_run:
            window.statusBar().showMessage(f"Created a new database at {path}")
        else:
            window.statusBar().showMessage(f"Database: {path}", 8000)
        opening = _FinishOpening(window, store)
        window.show()
        for text in warnings:  # a network or cloud-synced location
            QMessageBox.warning(window, "hoscase", text)
        heartbeat = QTimer(window, interval=60_000, timeout=lock.heartbeat)  # tells another computer it is held
        heartbeat.start()
        code = 0
        if opening.damaged is None:
            opening.looping = True
            code = app.exec()
            opening.looping = False
        opening.finish()  # closed before the event loop ran it (a test's stand-in application)
        if opening.damaged is not None:
            raise opening.damaged
        return code
    finally:
        if ctx is not None and ctx.store is not store:  # re-opened after a restore (Backups & data page)
            ctx.store.close()
        if window is not None and opening is not None and opening.damaged is not None:
            window.hide()
            window.deleteLater()


class _FinishOpening(QObject):
    """Waits for the database's check on opening right after the main window's first paint.

    The window is built and painted while the check runs in a thread; then this blocks the event loop
    until the check is done, so no click or key is handled before it (and the store itself makes every
    write wait for it). A damaged file hides the window and ends the event loop: run_app then goes the
    way it always went for a damaged file (moved aside, the newest good backup offered). Last, the day's
    first backup, which must not copy an unchecked file.
    """

    def __init__(self, window: QWidget, store) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.damaged: Exception | None = None
        self.looping = False  # run_app's event loop is running
        self.done = not store.check_pending  # checked already (a new file, a migration, a restore): backed up too
        if self.done:
            return
        QApplication.instance().installEventFilter(self)
        QTimer.singleShot(1000, self, self.finish)  # in case no paint comes (a minimised start)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if (not self.done and event.type() == QEvent.Paint and obj.isWidgetType()
                and obj.window() is self.window):
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self.finish)
        return False

    def finish(self) -> None:
        if self.done:
            return
        self.done = True
        QApplication.instance().removeEventFilter(self)
        from hoscase.store.safety import DamagedDatabaseError

        try:
            self.store.wait_for_check()
        except DamagedDatabaseError as exc:
            self.damaged = exc
            self.window.hide()
            if self.looping:  # exit() outside the event loop would make the next dialog's loop end at once
                QApplication.instance().exit(0)
            return
        self._backup()

    def _backup(self) -> None:
        from hoscase.safety.startup import take_daily_backup

        warnings: list[str] = []
        take_daily_backup(self.store, warnings.append)
        for text in warnings:
            QMessageBox.warning(self.window, "hoscase", text)


def _offer_restore(message: str, backup: Path) -> bool:
    """The database was damaged and moved aside: ask whether to restore the newest good backup."""
    answer = QMessageBox.question(None, "hoscase", f"{message}\n\nRestore the newest good backup now?",
                                  QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
    return answer == QMessageBox.Yes
