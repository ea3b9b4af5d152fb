"""The Backups & data page offscreen: the database's place and its warning, backups (made, copied, checked,
restored off the GUI thread and the database reopened), the backup folder, retention review and the
subject access pack. File choosers and questions are replaced on the page; the core does the work."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from hoscase.errors import HoscaseError
from hoscase.safety.backup import backup_folder, make_backup, scan_backups
from hoscase.safety.location import StorageWarning
from hoscase.safety.retention import retention_years
from hoscase.store.safety import check_file

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def ctx(store):
    from hoscase.gui.context import AppContext

    return AppContext(store, today=TODAY)


@pytest.fixture
def told(monkeypatch):
    """What the page would have shown in a message box, instead of blocking the test."""
    from hoscase.gui.pages.data import DataPage

    said: list[tuple[str, bool]] = []
    monkeypatch.setattr(DataPage, "_tell", lambda self, title, text, problem=False: said.append((text, problem)))
    return said


@pytest.fixture
def page(qtbot, ctx, told):
    from hoscase.gui.pages.data import DataPage

    widget = DataPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    yield widget
    qtbot.waitUntil(lambda: not widget.busy() and not widget.checks_pending(), timeout=20_000)


def _case(service, name="Ann Example", received="2026-10-01"):
    return service.add_case(resident_name=name, address="1 Mill Terrace, Ludlow", received=received, channel="phone",
                            category="Repairs", definition="The kitchen tap leaks.", handler="Priya Shah").reference


def _ended(service, name="Zebedee Quargle", closed="2019-05-20", received="2019-04-01"):
    ref = _case(service, name, received)
    service.acknowledge(ref, received[:8] + "02")
    service.respond(ref, received[:8] + "20", "upheld", "We failed on the tap.")
    service.close(ref, closed)
    return ref


def _wait(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.busy() and not page.checks_pending(), timeout=20_000)


def _cell(table, row, col) -> str:
    item = table.item(row, col)
    return item.text() if item else ""


# --- where the database is ---------------------------------------------------------------------------------------


def test_page_shows_the_database_and_no_warning_on_a_local_disk(page, ctx):
    assert str(ctx.store.path) in page.db_path_label.text()
    assert page.location_warning.isHidden()


def test_a_network_or_cloud_location_is_warned_about_with_the_advice(qtbot, ctx, told, monkeypatch):
    from hoscase.gui.pages import data
    from hoscase.safety.location import ADVICE, storage_warning

    mounts = [("//nas/office", str(ctx.store.path.parent), "cifs")]
    warning = storage_warning(ctx.store.path, mounts=mounts)
    assert warning is not None
    monkeypatch.setattr(data, "storage_warning", lambda path: warning)
    widget = data.DataPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.location_warning.isVisible()
    assert "network share (cifs filesystem //nas/office" in widget.location_warning.text()
    assert ADVICE in widget.location_warning.text()
    _wait(qtbot, widget)


def test_the_app_shows_the_storage_warning_at_start(qtbot, tmp_path, monkeypatch):
    """run_app collects open_database_for_app's warnings and shows each once the window is up."""
    from hoscase.gui import app as app_module
    from hoscase.safety import startup
    from hoscase.store import Store

    db = tmp_path / "cloud.sqlite3"
    with Store(db) as store:
        store.put_setting("organisation", {"name": "Ludlow Almshouses"})
    monkeypatch.setattr(startup, "storage_warning",
                        lambda path: StorageWarning(Path(path), "is inside a folder that OneDrive synchronises"))
    monkeypatch.setattr("hoscase.gui.dialogs.first_run.setup_if_needed", lambda ctx: True)
    shown = []
    monkeypatch.setattr(app_module.QMessageBox, "warning", staticmethod(lambda parent, title, text: shown.append(text)))

    class _App:
        def exec(self) -> int:
            return 0

    monkeypatch.setattr(app_module, "make_application", lambda: _App())
    monkeypatch.setattr(app_module, "install_excepthook", lambda: None)
    monkeypatch.setattr("hoscase.gui.main_window.QSettings", lambda: QSettings(str(tmp_path / "s.ini"),
                                                                               QSettings.IniFormat))
    from hoscase.gui import main_window

    windows = []

    class _Window(main_window.MainWindow):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            windows.append(self)
            qtbot.addWidget(self)  # closed and deleted after the test: its shortcuts must not outlive it

    monkeypatch.setattr(main_window, "MainWindow", _Window)
    assert app_module.run_app(str(db)) == 0
    assert len(windows) == 1
    assert len(shown) == 1 and "OneDrive synchronises" in shown[0] and "backup folder" in shown[0]
    assert not (tmp_path / "cloud.sqlite3.lock").exists()  # the lock was let go when the window closed


# --- backups -----------------------------------------------------------------------------------------------------


def test_backups_are_listed_with_reason_size_and_a_checked_case_count(qtbot, page, ctx):
    _case(ctx.service)
    make_backup(ctx.store, "daily", now=dt.datetime(2026, 11, 19, 9, 5))
    _case(ctx.service, "Bea Second")
    make_backup(ctx.store, "before-import", now=dt.datetime(2026, 11, 20, 10, 30))
    page.refresh()
    _wait(qtbot, page)
    table = page.backup_table
    assert table.rowCount() == 2
    assert [_cell(table, r, 0) for r in range(2)] == ["20 Nov 2026 10:30", "19 Nov 2026 09:05"]
    assert [_cell(table, r, 1) for r in range(2)] == ["Before an import", "Daily (first start of the day)"]
    assert [_cell(table, r, 3) for r in range(2)] == ["2", "1"]
    assert [_cell(table, r, 4) for r in range(2)] == ["Checked: OK", "Checked: OK"]
    assert _cell(table, 0, 2).endswith("KB")
    assert "(the default)" in page.folder_label.text() and not page.default_folder_button.isEnabled()
    assert page.folder_hint.isVisible()  # backups beside the database: advice to keep one elsewhere


def test_a_damaged_backup_is_shown_and_cannot_be_restored(qtbot, page, ctx):
    _case(ctx.service)
    good = make_backup(ctx.store, "daily", now=dt.datetime(2026, 11, 19, 9, 0))
    bad = good.with_name(good.name.replace("2026-11-19-090000-daily", "2026-11-20-090000-manual"))
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    page.refresh()
    _wait(qtbot, page)
    assert _cell(page.backup_table, 0, 4).startswith("Damaged: ")
    page.backup_table.selectRow(0)
    assert not page.restore_button.isEnabled()
    page.backup_table.selectRow(1)
    assert page.restore_button.isEnabled()


def test_back_up_now_runs_off_the_gui_thread_and_lists_the_new_backup(qtbot, page, ctx):
    _case(ctx.service)
    page.backup_button.click()
    assert page.busy() and not page.backup_button.isEnabled()
    _wait(qtbot, page)
    backups = scan_backups(backup_folder(ctx.store), ctx.store.path.stem)
    assert [b.reason for b in backups] == ["manual"]
    assert check_file(backups[0].path).cases == 1
    assert page.backup_table.rowCount() == 1 and _cell(page.backup_table, 0, 1) == "Backed up by hand"
    assert page.selected_backup().path == backups[0].path
    assert "Backed up 1 case to" in page.status.text() and "(checked)" in page.status.text()


def test_save_a_copy_writes_a_checked_file_where_chosen(qtbot, page, ctx, tmp_path, monkeypatch):
    _case(ctx.service)
    _case(ctx.service, "Bea Second")
    target = tmp_path / "usb" / "my-copy"
    target.parent.mkdir()
    monkeypatch.setattr(page, "_ask_save_path", lambda title, suggested, filters: target)
    page.export_button.click()
    _wait(qtbot, page)
    written = target.with_suffix(".sqlite3")
    assert check_file(written).ok and check_file(written).cases == 2
    assert "Saved a checked copy with 2 cases" in page.status.text()


def test_save_a_copy_to_a_missing_folder_is_a_clear_message(qtbot, page, ctx, tmp_path, monkeypatch, told):
    monkeypatch.setattr(page, "_ask_save_path", lambda *a: tmp_path / "nowhere" / "copy.sqlite3")
    page.export_button.click()
    _wait(qtbot, page)
    assert told and told[-1][1] and "there is no folder" in told[-1][0]
    assert "did not finish" in page.status.text()


def test_choosing_the_backup_folder_is_saved_logged_and_used(qtbot, page, ctx, tmp_path, tmp_path_factory,
                                                              monkeypatch, told):
    chosen = tmp_path_factory.mktemp("share") / "hoscase-backups"  # not beside the database
    monkeypatch.setattr(page, "_ask_folder", lambda title, start: chosen)
    with qtbot.waitSignal(ctx.settings_changed):
        page.choose_folder_button.click()
    assert ctx.store.get_setting("backup_folder") == str(chosen)
    assert str(chosen) in page.folder_label.text() and page.default_folder_button.isEnabled()
    assert not page.folder_hint.isVisible()
    row = ctx.store.query("SELECT * FROM history WHERE field = 'backup_folder'")[-1]
    assert row["new"] == str(chosen)
    page.backup_button.click()
    _wait(qtbot, page)
    assert len(scan_backups(chosen, ctx.store.path.stem)) == 1

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(page, "_ask_folder", lambda title, start: blocker / "sub")
    page.choose_folder_button.click()
    assert ctx.store.get_setting("backup_folder") == str(chosen)  # nothing changed
    assert told[-1][1] and "was not changed" in told[-1][0]

    page.default_folder_button.click()
    assert ctx.store.get_setting("backup_folder") is None
    assert backup_folder(ctx.store) == ctx.store.path.parent / "backups"


# --- restoring ---------------------------------------------------------------------------------------------------


def _backup_with_one_case(ctx) -> Path:
    _case(ctx.service, "Kept Resident")
    path = make_backup(ctx.store, "daily", now=dt.datetime(2026, 11, 19, 9, 0))
    _case(ctx.service, "Lost Resident")
    _case(ctx.service, "Also Lost")
    return path


def test_restore_closes_the_database_puts_the_backup_back_and_reopens(qtbot, ctx, tmp_path, monkeypatch, told):
    """In the main window, as in the app: the lock stays held, case windows close, every page sees the new data."""
    from hoscase.gui.main_window import MainWindow
    from hoscase.safety.lock import acquire_app_lock

    lock = acquire_app_lock(ctx.store.path)  # as run_app holds it for the life of the window
    try:
        backup = _backup_with_one_case(ctx)
        window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
        qtbot.addWidget(window)
        window.show()
        window.open_case(ctx.store.register_rows(ctx.store.register_ids({}, "received", True))[0]["reference"])
        assert window.case_windows
        page = window.show_page("data")
        _wait(qtbot, page)
        page.select_backup(backup)
        asked = []
        monkeypatch.setattr(page, "_confirm", lambda title, text, action: asked.append(text) or True)
        old_store = ctx.store
        with qtbot.waitSignal(ctx.cases_changed, timeout=20_000):
            page.restore_button.click()
            assert page.busy()
        _wait(qtbot, page)
        assert "holds 3 cases" in asked[0] and "backed up first" in asked[0] and "open it again" in asked[0]
        assert ctx.store is not old_store and ctx.service.store is ctx.store
        assert ctx.store.count_cases() == 1
        assert not window.case_windows  # closed before the database was
        assert window.isEnabled() and page.isEnabled()
        assert "1 open case" in window.counts_label.text()
        assert "Restored 1 case" in page.status.text() and told and not told[-1][1]
        kept = [b for b in scan_backups(backup_folder(ctx.store), ctx.store.path.stem) if b.reason == "before-restore"]
        assert len(kept) == 1 and check_file(kept[0].path).cases == 3  # the database as it was, kept
        assert any(_cell(page.backup_table, r, 1) == "Before a restore" for r in range(page.backup_table.rowCount()))
        with pytest.raises(HoscaseError):
            acquire_app_lock(ctx.store.path)  # still held by this window throughout
        _case(ctx.service, "After Restore")  # the reopened database takes new work
        assert ctx.store.count_cases() == 2
        window.close()
    finally:
        ctx.store.close()
        lock.release()


def test_restore_can_be_cancelled_and_then_nothing_changes(qtbot, page, ctx, monkeypatch):
    backup = _backup_with_one_case(ctx)
    page.refresh()
    _wait(qtbot, page)
    page.select_backup(backup)
    store = ctx.store
    monkeypatch.setattr(page, "_confirm", lambda *a: False)
    page.restore_button.click()
    assert ctx.store is store and ctx.store.count_cases() == 3 and not page.busy()


def test_a_restore_that_fails_reopens_the_database_as_it_was(qtbot, page, ctx, monkeypatch, told):
    from hoscase.gui.pages import data

    backup = _backup_with_one_case(ctx)
    page.refresh()
    _wait(qtbot, page)
    page.select_backup(backup)
    monkeypatch.setattr(page, "_confirm", lambda *a: True)

    def broken(*args, **kwargs):
        raise HoscaseError("the restore failed and the database was left as it was: disk full")

    monkeypatch.setattr(data, "restore_backup", broken)
    old = ctx.store
    page.restore_button.click()
    _wait(qtbot, page)
    assert ctx.store is not old and ctx.store.count_cases() == 3
    assert "Nothing was restored" in page.status.text() and told[-1][1]
    ctx.store.close()


def test_restore_from_a_chosen_file_refuses_what_is_not_a_backup(qtbot, page, ctx, tmp_path, monkeypatch, told):
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("shopping list")
    monkeypatch.setattr(page, "_ask_open_path", lambda *a: junk)
    confirmed = []
    monkeypatch.setattr(page, "_confirm", lambda *a: confirmed.append(a) or True)
    page.restore_file_button.click()
    assert not confirmed and told[-1][1] and "cannot be restored" in told[-1][0]


def test_restore_from_a_chosen_file(qtbot, page, ctx, tmp_path, monkeypatch):
    _case(ctx.service, "Kept Resident")
    copy = tmp_path / "elsewhere.sqlite3"
    from hoscase.safety.backup import export_backup

    export_backup(ctx.store, copy)
    _case(ctx.service, "Lost Resident")
    monkeypatch.setattr(page, "_ask_open_path", lambda *a: copy)
    monkeypatch.setattr(page, "_confirm", lambda title, text, action: "elsewhere.sqlite3 (1 case)" in text)
    page.restore_file_button.click()
    _wait(qtbot, page)
    assert ctx.store.count_cases() == 1
    ctx.store.close()


# --- retention ---------------------------------------------------------------------------------------------------


def test_retention_period_is_saved_and_logged(qtbot, page, ctx):
    assert page.years_spin.value() == 6 and not page.years_button.isEnabled()
    page.years_spin.setValue(8)
    assert page.years_button.isEnabled()
    with qtbot.waitSignal(ctx.settings_changed):
        page.years_button.click()
    assert retention_years(ctx.store) == 8 and not page.years_button.isEnabled()
    row = ctx.store.query("SELECT * FROM history WHERE field = 'retention_years'")[-1]
    assert row["new"] == "8"


def test_retention_list_anonymise_delete_and_legal_hold(qtbot, page, ctx, monkeypatch, told):
    old = _ended(ctx.service)
    other = _ended(ctx.service, "Olive Other", closed="2019-06-03")
    recent = _ended(ctx.service, "Recent Resident", closed="2025-01-10", received="2024-12-02")
    _case(ctx.service, "Still Open")
    page.refresh()
    table = page.retention_table
    assert [_cell(table, r, 0) for r in range(table.rowCount())] == [old, other]
    assert _cell(table, 0, 3) == "20 May 2019" and _cell(table, 0, 4) == "20 May 2025"
    assert "2 ended cases past the 6-year retention period" in page.retention_summary.text()
    assert not page.anonymise_button.isEnabled()  # nothing selected yet

    asked = []
    answer = [True]
    monkeypatch.setattr(page, "_confirm", lambda title, text, action: asked.append((title, text)) or answer[0])
    # a legal hold stops both
    page.select_retention(other)
    page.hold_button.click()
    assert ctx.service.get(other).fields["legal_hold"] == 1
    assert _cell(table, 1, 5) == "Legal hold" and page.hold_button.text() == "Lift legal hold…"
    assert not page.anonymise_button.isEnabled() and not page.delete_button.isEnabled()
    assert any(h["field"] == "legal_hold" for h in ctx.service.history(other))

    # cancelling changes nothing
    page.select_retention(old)
    answer[0] = False
    page.anonymise_button.click()
    assert ctx.service.get(old).fields["resident_name"] == "Zebedee Quargle"
    answer[0] = True
    with qtbot.waitSignal(ctx.cases_changed):
        page.anonymise_button.click()
    assert "cannot be undone" in asked[-1][1] and "Anonymised" in asked[-1][1]
    case = ctx.service.get(old)
    assert case.fields["resident_name"] == "Anonymised" and case.fields["anonymised_on"]
    assert ctx.service.history(old)[-1]["action"] == "anonymised"
    assert [_cell(table, r, 0) for r in range(table.rowCount())] == [other]
    assert f"{old} anonymised" in page.status.text()

    # an ended case not yet due: shown with "every ended case", removed early only after saying so
    page.show_all.setChecked(True)
    assert recent in [_cell(table, r, 0) for r in range(table.rowCount())]
    page.select_retention(recent)
    with qtbot.waitSignal(ctx.cases_changed):
        page.delete_button.click()
    assert "kept until 10 Jan 2031" in asked[-1][1] and "erase" in asked[-1][1]
    with pytest.raises(HoscaseError):
        ctx.service.get(recent)
    assert recent not in [_cell(table, r, 0) for r in range(table.rowCount())]

    page.select_retention(other)
    page.hold_button.click()  # lifting the hold
    assert "Lift" in asked[-1][0] and ctx.service.get(other).fields["legal_hold"] == 0
    assert page.anonymise_button.isEnabled()


def test_open_case_from_the_retention_list(qtbot, page, ctx):
    old = _ended(ctx.service)
    page.refresh()
    page.select_retention(old)
    with qtbot.waitSignal(ctx.case_opened) as blocker:
        page.open_case_button.click()
    assert blocker.args == [old]


# --- subject access requests -------------------------------------------------------------------------------------


def test_subject_access_find_and_export_the_pack(qtbot, page, ctx, tmp_path, monkeypatch):
    first = _case(ctx.service, "Siobhán O'Brien")
    second = _ended(ctx.service, "Siobhán  O'Brien")
    _case(ctx.service, "Someone Else")
    page.tabs.setCurrentIndex(2)
    assert not page.sar_export_button.isEnabled()
    page.sar_name_edit.setText("Siobhan O'BRIEN")
    page.sar_find_button.click()
    assert sorted(_cell(page.sar_table, r, 0) for r in range(page.sar_table.rowCount())) == sorted([first, second])
    assert page.sar_message.text().startswith("2 cases held for Siobhán")
    target = tmp_path / "sar-pack"
    monkeypatch.setattr(page, "_ask_save_path", lambda title, suggested, filters: target)
    page.sar_export_button.click()
    _wait(qtbot, page)
    written = tmp_path / "sar-pack.zip"
    with zipfile.ZipFile(written) as pack:
        names = pack.namelist()
    assert "subject-access-request.pdf" in names and "data.json" in names
    assert "2 cases" in page.status.text() and str(written) in page.status.text()


def test_subject_access_unknown_name_suggests_a_close_one(qtbot, page, ctx):
    _case(ctx.service, "Margaret Thompson")
    page.sar_name_edit.setText("Margret Thompson")
    page.sar_find_button.click()
    assert "did you mean 'Margaret Thompson'" in page.sar_message.text()
    assert page.sar_table.rowCount() == 0 and not page.sar_export_button.isEnabled()


def test_the_main_window_shows_the_page_not_a_placeholder(qtbot, ctx, tmp_path, told):
    from hoscase.gui.main_window import MainWindow
    from hoscase.gui.pages.data import DataPage

    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    page = window.show_page("data")
    assert isinstance(page, DataPage)
    _wait(qtbot, page)
