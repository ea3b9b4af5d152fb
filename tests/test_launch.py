"""The faster launch (issue 9) keeps the safety of opening: the check on opening may run in a thread while the
main window is built, but nothing is written before it passed, and a damaged file still goes the usual way."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hoscase.cases import CaseService
from hoscase.safety import backup as backups
from hoscase.store import Store
from hoscase.store.safety import DamagedDatabaseError


def _fill(path: Path, n: int) -> None:
    with Store(path) as store:
        service = CaseService(store)
        for i in range(n):
            service.add_case(resident_name=f"Resident {i}", address=f"{i} Mill Terrace", received="2026-10-01",
                             channel="phone", category="Repairs", definition=f"Complaint {i}", handler="Priya Shah")
        store.put_setting("organisation", {"name": "Ludlow Almshouses"})
        backups.make_backup(store, "daily", now=dt.datetime(2026, 11, 19, 9))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _corrupt_pages(path: Path) -> bytes:
    """Junk over b-tree pages, the header and schema page left intact (as tests/test_safety.py does)."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(os.urandom(min(size - 4096 * 2, 4096 * 6)))
    return path.read_bytes()


def test_a_write_waits_for_the_background_check_and_then_the_store_is_marked_open(db_path):
    _fill(db_path, 3)
    store = Store(db_path, check_in_background=True)
    try:
        assert store.check_pending
        assert not list(db_path.parent.glob(".*.open.*"))  # marked open only once the check has passed
        assert store.count_cases() == 3  # reading does not wait
        with store.transaction():
            store.put_setting("greeting", "hello")
        assert not store.check_pending and store.unclean_shutdown_found is False
        assert len(list(db_path.parent.glob(".*.open.*"))) == 1
    finally:
        store.close()
    assert not list(db_path.parent.glob(".*.open.*"))


def test_a_damaged_file_checked_in_the_background_is_moved_aside_before_any_write(db_path):
    _fill(db_path, 40)
    damaged = _corrupt_pages(db_path)
    store = Store(db_path, check_in_background=True)
    assert store.check_pending
    with pytest.raises(DamagedDatabaseError) as err:
        with store.transaction():
            store.put_setting("greeting", "never written")
    store.close()
    exc = err.value
    assert "has not been used" in str(exc) and exc.backup is not None
    assert not db_path.exists() and exc.moved_to.read_bytes() == damaged  # not one byte written
    assert not list(db_path.parent.glob(".*.open.*"))


def test_a_migration_is_never_run_before_the_check(db_path, monkeypatch):
    """A file whose schema is behind is checked first, as before: the migration writes."""
    _fill(db_path, 2)
    with Store(db_path) as store:
        store.conn.execute("PRAGMA user_version = 5")
    store = Store(db_path, check_in_background=True)
    try:
        assert not store.check_pending and store.schema_version > 5
    finally:
        store.close()


@pytest.mark.parametrize("found", ["after the first paint", "while the window is built"])
def test_the_app_on_a_damaged_file_moves_it_aside_untouched_and_offers_the_backup(qtbot, tmp_path, monkeypatch, found):
    """run_app with the check in a thread. Damage the window's reads do not meet is found by the check after
    the first paint: the window is hidden. Damage they meet makes the build fail, and the check is waited for
    then. Either way the file is moved aside untouched, the newest good backup is offered and, on yes,
    restored and opened in a new window."""
    import shiboken6
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    import hoscase.store.database as database
    from hoscase.gui import app as app_module
    from hoscase.gui import main_window

    db = tmp_path / "cases.sqlite3"
    _fill(db, 40)
    if found == "after the first paint":  # pages the launch does not read: the check says so, a moment late
        damaged = db.read_bytes()
        real_check = database._check_connection
        calls = []

        def slow_failing_check(conn, full):
            calls.append(full)
            if len(calls) > 1:  # the restored file
                return real_check(conn, full)
            time.sleep(0.3)
            return ["*** in database main ***", "Page 61: btreeInitPage() returns error code 11"]

        monkeypatch.setattr(database, "_check_connection", slow_failing_check)
    else:
        damaged = _corrupt_pages(db)
    offered: list[tuple[str, Path]] = []
    monkeypatch.setattr(app_module, "_offer_restore", lambda message, backup: offered.append((message, backup)) or True)
    monkeypatch.setattr(app_module, "install_excepthook", lambda: None)
    monkeypatch.setattr(app_module, "make_application", QApplication.instance)
    monkeypatch.setattr(app_module.QMessageBox, "warning", staticmethod(lambda *args: None))
    monkeypatch.setattr(main_window, "QSettings", lambda: QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    openings: list = []

    class _Opening(app_module._FinishOpening):
        def __init__(self, window, store) -> None:
            super().__init__(window, store)
            if self.done:  # the restored file's window: closed and deleted after the test (the app deletes the other)
                qtbot.addWidget(window)
            openings.append((self, window, store.check_pending))

    monkeypatch.setattr(app_module, "_FinishOpening", _Opening)

    real_exec = QApplication.exec

    def event_loop(self) -> int:  # the real loop; the restored file's window is closed once it is up
        closer = QTimer(singleShot=True, interval=50, timeout=lambda: self.exit(0))
        if openings[-1][0].done:
            closer.start()
        watchdog = QTimer(singleShot=True, interval=10_000, timeout=lambda: self.exit(1))  # never hang the run
        watchdog.start()
        try:
            return real_exec()
        finally:
            watchdog.stop()  # a stray exit() would end a later test's event loop
            closer.stop()

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert app_module.run_app(str(db)) == 0
    assert len(offered) == 1 and "moved aside" in offered[0][0] and offered[0][1].parent.name == "backups"
    moved = [path for path in tmp_path.glob("cases.sqlite3.damaged-*") if not path.name.endswith(("-wal", "-shm"))]
    assert len(moved) == 1 and moved[0].read_bytes() == damaged  # nothing was written to the damaged file first
    wal = moved[0].with_name(moved[0].name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nor to its write-ahead log
    if found == "after the first paint":
        assert len(openings) == 2
        first, first_window, pending = openings[0]
        assert pending and first.damaged is not None and first.damaged.backup == offered[0][1]
        assert not shiboken6.isValid(first_window) or not first_window.isVisible()  # hidden, then deleted
    else:
        assert len(openings) == 1  # no window on the damaged file
    second, second_window, pending = openings[-1]
    assert not pending and second.damaged is None  # the restored file was checked before its window
    with Store(db) as store:
        assert store.count_cases() == 40


def test_the_compiled_main_window_form_matches_the_designer_form():
    """hoscase/gui/main_window_form.py is pyside6-uic's output for ui/main_window.ui (imports trimmed)."""
    uic = shutil.which("pyside6-uic") or str(Path(sys.executable).with_name("pyside6-uic"))
    if not Path(uic).exists():
        pytest.skip("pyside6-uic is not installed")
    root = Path(__file__).resolve().parents[1]
    made = subprocess.run([uic, str(root / "ui" / "main_window.ui")], capture_output=True, text=True, check=True).stdout

    def code(text: str) -> list[str]:
        body = text[text.index("class Ui_MainWindowBody"):]
        return [line.rstrip() for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")]

    kept = (root / "hoscase" / "gui" / "main_window_form.py").read_text(encoding="utf-8")
    assert code(kept) == code(made)


def test_the_bank_holiday_cache_folder_is_platformdirs_own(monkeypatch, tmp_path):
    platformdirs = pytest.importorskip("platformdirs")
    from hoscase import workdays

    if not sys.platform.startswith("linux"):
        pytest.skip("the shortcut is for Linux")
    for value in (str(tmp_path / "cache"), "", "   "):
        monkeypatch.setenv("XDG_CACHE_HOME", value)
        assert workdays._cache_folder() == Path(platformdirs.user_cache_dir("hoscase", appauthor=False))
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert workdays._cache_folder() == Path(platformdirs.user_cache_dir("hoscase", appauthor=False))


def test_the_working_day_table_is_every_weekday_that_is_not_closed():
    from hoscase.workdays import FIRST_YEAR, LAST_YEAR, WorkingCalendar, bank_holidays

    closures = {dt.date(2026, 12, 29): "Office closed", dt.date(2026, 12, 30): "Office closed"}
    calendar = WorkingCalendar(closures)
    holidays = bank_holidays()
    day, end = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
    expected = []
    while day <= end:
        if day.weekday() < 5 and day not in holidays and day not in closures:
            expected.append(day.toordinal())
        day += dt.timedelta(days=1)
    assert calendar._ordinals == expected
    assert calendar.add(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 31)


# --- the check started by hoscase.cli before PySide6 is imported ------------------------------------


def _early_thread(path: Path):
    import hoscase.store.database as database

    database.start_check_early(path)
    return database._early_checks.get(path.resolve())


def test_the_store_takes_over_the_check_started_early_and_writes_wait_for_it(db_path):
    _fill(db_path, 3)
    early = _early_thread(db_path)
    assert early is not None and early.early
    store = Store(db_path, check_in_background=True)
    try:
        assert store.check_pending and store._pending_check[0] is early  # the same check, not a second one
        assert not list(db_path.parent.glob(".*.open.*"))
        with store.transaction():
            store.put_setting("greeting", "hello")
        assert early.result == [] and not store.check_pending
        assert len(list(db_path.parent.glob(".*.open.*"))) == 1
    finally:
        store.close()


def test_a_damaged_file_checked_early_is_left_untouched_wal_and_all_then_moved_aside(db_path):
    """The early check may be the only connection on the file (a killed session's WAL beside it): its
    read-only connection neither writes nor checkpoints on close; the Store then finds the damage."""
    _fill(db_path, 40)
    killed = ("import os, sys\nfrom hoscase.store import Store\ns = Store(sys.argv[1])\n"
              "s.conn.execute('PRAGMA wal_autocheckpoint=0')\n"
              "with s.transaction():\n    s.put_setting('greeting', 'in the wal')\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", killed, str(db_path)], check=True, timeout=60)
    wal = db_path.with_name(db_path.name + "-wal")
    wal_bytes = wal.read_bytes()
    assert wal_bytes
    damaged = _corrupt_pages(db_path)
    early = _early_thread(db_path)
    early.join()
    assert early.result  # problems found, or the file could not be read: either way not passed
    assert db_path.read_bytes() == damaged and wal.read_bytes() == wal_bytes
    store = Store(db_path, check_in_background=True)
    with pytest.raises(DamagedDatabaseError) as err:
        with store.transaction():
            store.put_setting("greeting", "never written")
    store.close()
    assert "has not been used" in str(err.value) and not db_path.exists()


def test_an_early_check_that_could_not_read_the_file_is_run_again_the_usual_way(db_path):
    import sqlite3

    _fill(db_path, 3)
    early = _early_thread(db_path)
    early.join()
    early.result = sqlite3.OperationalError("attempt to write a readonly database")  # not a sign of damage
    store = Store(db_path, check_in_background=True)
    try:
        assert store._pending_check[0] is early
        store.wait_for_check()  # checked again, passes: nothing moved aside
        assert db_path.exists() and store.count_cases() == 3
    finally:
        store.close()


def test_after_an_unclean_shutdown_the_early_quick_check_is_not_enough(db_path):
    from hoscase.store.safety import host_name

    _fill(db_path, 3)
    marker = db_path.with_name(f".{db_path.name}.open.{host_name().replace('.', '_')}.999999999.deadbeef")
    marker.write_text("")
    early = _early_thread(db_path)
    store = Store(db_path, check_in_background=True)
    try:
        thread = store._pending_check[0]
        assert thread is not early and thread.full and thread.after is early  # integrity_check, after the early one
        store.wait_for_check()
        assert store.unclean_shutdown_found and not marker.exists()
    finally:
        store.close()


def test_a_file_replaced_after_the_early_check_is_checked_again(db_path, tmp_path):
    _fill(db_path, 3)
    early = _early_thread(db_path)
    early.join()
    other = tmp_path / "other.sqlite3"
    _fill(other, 5)
    os.replace(other, db_path)  # a restore in between
    store = Store(db_path, check_in_background=True)
    try:
        assert store._pending_check[0] is not early
        assert store.count_cases() == 5
        store.wait_for_check()
    finally:
        store.close()


def test_opening_the_app_from_the_command_line_starts_the_check_before_pyside6_is_imported(db_path, monkeypatch):
    """`hoscase --db FILE` starts the check, then imports the app (and with it PySide6); the app's Store takes it."""
    import importlib.util

    import hoscase.store.database as database
    from hoscase import cli

    _fill(db_path, 3)
    seen = []

    class _App:  # stands in for hoscase.gui.app: notes what was running when it was imported
        def find_spec(self, name, path=None, target=None):
            if name != "hoscase.gui.app":
                return None
            return importlib.util.spec_from_loader(name, self)

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            seen.append(("imported", dict(database._early_checks)))
            module.run_app = run_app

    def run_app(db):
        early = database._take_early_check(Path(db))
        seen.append((db, early))
        if early is not None:
            early.join()
        return 0

    import hoscase.gui

    monkeypatch.delitem(sys.modules, "hoscase.gui.app", raising=False)
    # importing sets the package's attribute too: put the real module back afterwards, or leave none
    monkeypatch.setattr(hoscase.gui, "app", getattr(hoscase.gui, "app", None), raising=False)
    monkeypatch.setattr(sys, "meta_path", [_App(), *sys.meta_path])
    assert cli.main(["--db", str(db_path)]) == 0
    (_, running), (db, early) = seen
    assert running.get(db_path.resolve()) is early and early.early and db == str(db_path)
    new = db_path.with_name("new.sqlite3")
    assert cli.main(["--db", str(new)]) == 0  # a first run: no file, no check, nothing made
    assert seen[-1] == (str(new), None) and not new.exists()


def test_the_status_bar_counts_reuse_the_work_lists_deadlines_until_something_is_written(qtbot, store, tmp_path,
                                                                                        monkeypatch):
    """At launch the work list and the status bar's counts read every open deadline once, not twice; after a
    write (here by another connection, as the command line would) they are read again and the counts follow."""
    from PySide6.QtCore import QSettings

    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow

    service = CaseService(store)
    for i in range(3):
        service.add_case(resident_name=f"Resident {i}", address="1 Mill Terrace", received="2026-10-01",
                         channel="phone", category="Repairs", definition=f"Complaint {i}", handler="Priya Shah")
    ctx = AppContext(store, today=dt.date(2026, 11, 20), data_folder=tmp_path)
    calls = []
    real = type(ctx.service).open_deadlines
    monkeypatch.setattr(type(ctx.service), "open_deadlines", lambda self: calls.append(1) or real(self))
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    assert len(calls) == 1 and "3 open cases · 3 overdue" in window.counts_label.text()
    with Store(store.path) as other:
        CaseService(other).add_case(resident_name="Resident 4", address="2 Mill Terrace", received="2026-11-19",
                                    channel="phone", category="Repairs", definition="Complaint 4",
                                    handler="Priya Shah")
    window._update_counts()
    assert len(calls) == 2 and "4 open cases · 3 overdue" in window.counts_label.text()
