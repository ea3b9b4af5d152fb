"""Data safety: the app lock, checks on opening, backups and restore, storage warnings, retention, SAR, exports."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hoscase.cases import CaseService
from hoscase.cli import main
from hoscase.errors import HoscaseError
from hoscase.safety import backup as backups
from hoscase.safety.location import parse_bsd_mount, parse_proc_mounts, storage_warning
from hoscase.safety.lock import acquire_app_lock, lock_path
from hoscase.safety.retention import anonymise_case, delete_case, retention_list, set_retention_years
from hoscase.safety.sar import subject_access_export
from hoscase.spreadsheet import safe_cell, write_csv, write_xlsx
from hoscase.store import Store
from hoscase.store.safety import DamagedDatabaseError, check_file

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 20)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _fill(service: CaseService, n: int = 5) -> list[str]:
    refs = []
    for i in range(n):
        case = service.add_case(resident_name=f"Resident {i}", address=f"{i} Mill Terrace", received="2026-10-01",
                                channel="phone", category="Repairs", definition=f"Complaint {i}", handler="Priya Shah")
        refs.append(case.reference)
    return refs


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(str(path))
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        dump = {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables
                if not t.startswith("cases_fts_")}
        dump["user_version"] = conn.execute("PRAGMA user_version").fetchall()
        return dump
    finally:
        conn.close()


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


# --- the app lock -------------------------------------------------------------------------------------------------


def test_lock_names_the_holder_to_a_second_window_and_is_released(db_path):
    lock = acquire_app_lock(db_path)
    assert _mode(lock_path(db_path)) == 0o600
    record = json.loads(lock_path(db_path).read_text())
    assert record["pid"] == os.getpid() and record["host"] == socket.gethostname()
    with pytest.raises(HoscaseError) as err:
        acquire_app_lock(db_path)
    message = str(err.value)
    assert f"is open on {socket.gethostname()} by {record['user']} (process {os.getpid()}) since" in message
    lock.release()
    assert not lock_path(db_path).exists()
    acquire_app_lock(db_path).release()


def test_lock_refuses_another_process_and_is_taken_over_when_it_dies(db_path, service):
    _fill(service, 1)
    saved = backups.export_backup(service.store, db_path.with_name("saved.sqlite3")).path
    holder = _python("import sys, time\nfrom hoscase.safety.lock import acquire_app_lock\n"
                     "lock = acquire_app_lock(sys.argv[1])\nprint('held', flush=True)\ntime.sleep(60)\n", str(db_path))
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(HoscaseError, match=f"process {holder.pid}"):
            acquire_app_lock(db_path)
        # The command line's restore also refuses while the app holds the database.
        with pytest.raises(HoscaseError, match="is open on"):
            backups.restore_backup(db_path, saved)
    finally:
        holder.kill()
        holder.wait()
    # Killed without releasing: the file still names the dead process, and the lock is taken over.
    assert json.loads(lock_path(db_path).read_text())["pid"] == holder.pid
    lock = acquire_app_lock(db_path)
    assert json.loads(lock_path(db_path).read_text())["pid"] == os.getpid()
    lock.release()


def test_lock_from_another_computer_is_honoured_until_stale(db_path):
    now = dt.datetime.now().astimezone()
    record = {"host": "office-pc", "user": "gokafor", "pid": 4242, "since": now.isoformat(), "seen": now.isoformat()}
    lock_path(db_path).write_text(json.dumps(record))
    with pytest.raises(HoscaseError, match="is open on office-pc by gokafor \\(process 4242\\)"):
        acquire_app_lock(db_path)
    acquire_app_lock(db_path, force=True).release()
    record["seen"] = (now - dt.timedelta(hours=1)).isoformat()
    lock_path(db_path).write_text(json.dumps(record))
    acquire_app_lock(db_path).release()


# --- checks on opening ----------------------------------------------------------------------------------------------


def test_clean_close_leaves_no_marker_and_an_unclean_one_gets_the_full_check(db_path):
    Store(db_path).close()
    assert not list(db_path.parent.glob(".*.open.*"))
    s = Store(db_path)
    assert s.unclean_shutdown_found is False
    s.close()
    child = _python("import os, sys\nfrom hoscase.store import Store\nStore(sys.argv[1])\nos._exit(0)\n", str(db_path))
    assert child.wait() == 0
    assert len(list(db_path.parent.glob(".*.open.*"))) == 1  # the crashed session's marker
    s = Store(db_path)
    assert s.unclean_shutdown_found is True
    s.close()
    assert not list(db_path.parent.glob(".*.open.*"))


def _corrupt_pages(path: Path) -> None:
    """Overwrite the middle of the file (b-tree pages) with junk, keeping the header valid."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(os.urandom(min(size - 4096 * 2, 4096 * 6)))


def test_damaged_database_is_moved_aside_and_the_newest_good_backup_offered(db_path, service):
    _fill(service, 40)
    older = backups.make_backup(service.store, "daily", now=dt.datetime(2026, 11, 19, 9))
    newest = backups.make_backup(service.store, "daily", now=dt.datetime(2026, 11, 20, 9))
    service.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    service.store.close()
    _corrupt_pages(db_path)
    with pytest.raises(DamagedDatabaseError) as err:
        Store(db_path)
    exc = err.value
    assert "is damaged" in str(exc) and "moved aside" in str(exc) and str(newest) in str(exc)
    assert exc.backup == newest and older.exists()
    assert not db_path.exists() and exc.moved_to.exists() and ".damaged-" in exc.moved_to.name
    assert backups.newest_good_backup(db_path.parent / "backups", stem=db_path.stem) == newest
    # Restoring the offered backup brings back every case.
    result = backups.restore_backup(db_path, exc.backup)
    assert result.restored.cases == 40
    with Store(db_path) as s:
        assert s.count_cases() == 40


def test_a_file_that_is_not_a_database_is_never_used(tmp_path):
    damaged = tmp_path / "cases.sqlite3"
    damaged.write_bytes(b"this is not SQLite at all" * 200)
    with pytest.raises(DamagedDatabaseError, match="has not been used"):
        Store(damaged)
    assert not damaged.exists()
    # Someone's spreadsheet named by mistake is not ours to rename: refused, left where it is.
    sheet = tmp_path / "complaints.xlsx"
    sheet.write_bytes(b"PK\x03\x04 spreadsheet" * 100)
    with pytest.raises(HoscaseError, match="not a hoscase database.*nothing was changed"):
        Store(sheet)
    assert sheet.exists()


def test_newest_good_backup_skips_a_damaged_one(tmp_path, service):
    _fill(service, 30)
    good = backups.make_backup(service.store, "daily", now=dt.datetime(2026, 11, 18, 9))
    bad = backups.make_backup(service.store, "daily", now=dt.datetime(2026, 11, 19, 9))
    _corrupt_pages(bad)
    assert backups.newest_good_backup(good.parent, stem=service.store.path.stem) == good


# --- backups --------------------------------------------------------------------------------------------------------


def test_backup_is_private_checked_and_counts_cases(service, db_path):
    _fill(service, 3)
    path = backups.make_backup(service.store, "manual")
    assert path.parent == db_path.parent / "backups"
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert check_file(path).ok and check_file(path).cases == 3
    assert not list(path.parent.glob(".*partial"))
    listed = backups.list_backups(path.parent, db_path.stem)
    assert [(b.path, b.cases, b.ok, b.reason) for b in listed] == [(path, 3, True, "manual")]


def test_a_backup_that_fails_its_check_replaces_nothing(service, monkeypatch):
    _fill(service, 3)
    first = backups.make_backup(service.store, "daily", now=dt.datetime(2026, 1, 1, 9))
    monkeypatch.setattr(backups, "check_file", lambda path, full=True: backups.FileCheck(Path(path), False, "bad"))
    with pytest.raises(HoscaseError, match="did not pass its check"):
        backups.make_backup(service.store, "daily", now=dt.datetime(2026, 11, 20, 9))
    assert [b.path for b in backups.scan_backups(first.parent)] == [first]
    assert not list(first.parent.glob(".*partial"))


def test_daily_backup_once_a_day_and_only_with_cases(service):
    store = service.store
    assert backups.daily_backup(store, now=dt.datetime(2026, 11, 20, 8)) is None  # nothing to keep yet
    _fill(service, 2)
    first = backups.daily_backup(store, now=dt.datetime(2026, 11, 20, 8))
    assert first is not None and first.exists()
    assert backups.daily_backup(store, now=dt.datetime(2026, 11, 20, 17)) is None
    assert backups.daily_backup(store, now=dt.datetime(2026, 11, 21, 8)) is not None


def test_backup_folder_setting_is_used_and_logged(service, tmp_path):
    _fill(service, 1)
    chosen = tmp_path / "share" / "hoscase-backups"
    assert backups.set_backup_folder(service, chosen) == chosen
    path = backups.make_backup(service.store, "manual")
    assert path.parent == chosen
    row = service.store.query("SELECT * FROM history WHERE field = 'backup_folder'")[-1]
    assert row["new"] == str(chosen) and row["who"] == "Test Officer"
    assert backups.set_backup_folder(service, None) == service.store.path.parent / "backups"


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path, service):
    _fill(service, 1)
    template = backups.make_backup(service.store, "manual", folder=tmp_path / "seed")
    folder = tmp_path / "rot"
    folder.mkdir()
    now = dt.datetime(2026, 11, 20, 10, 0)
    days = [now.date() - dt.timedelta(days=n) for n in range(0, 420)]
    for day in days:
        name = f"test-{day:%Y-%m-%d}-090000-daily.sqlite3"
        (folder / name).write_bytes(template.read_bytes())
    for hour in (7, 8):  # two more today: everything from the last 24 hours is kept
        (folder / f"test-{now:%Y-%m-%d}-0{hour}0000-before-import.sqlite3").write_bytes(template.read_bytes())
    deleted = backups.rotate(folder, "test", now=now)
    kept = {(b.taken.date(), b.taken.hour) for b in backups.scan_backups(folder, "test")}
    daily = set(days[:7])
    weekly, monthly = [], []
    for day in days:  # newest first: the first day seen in each week or month is that period's newest
        if day.isocalendar()[:2] not in [d.isocalendar()[:2] for d in weekly] and len(weekly) < 4:
            weekly.append(day)
        if (day.year, day.month) not in [(d.year, d.month) for d in monthly] and len(monthly) < 12:
            monthly.append(day)
    expected = {(d, 9) for d in daily | set(weekly) | set(monthly)} | {(now.date(), 7), (now.date(), 8)}
    assert kept == expected
    assert len(deleted) == len(days) + 2 - len(expected)
    assert min(d for d, _ in kept) == dt.date(2025, 12, 31)  # the newest of the twelfth month back


def test_backup_before_an_import(service):
    _fill(service, 2)
    path = backups.backup_before(service.store, "import")
    assert path.name.endswith("-before-import.sqlite3") and check_file(path).cases == 2


def test_backup_before_refuses_when_it_cannot_back_up(service, tmp_path):
    _fill(service, 1)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    service.store.put_setting("backup_folder", str(blocker))
    with pytest.raises(HoscaseError, match="no backup could be taken before the import, so it was not done"):
        backups.backup_before(service.store, "import")


def test_backup_before_every_schema_migration(tmp_path, monkeypatch):
    import hoscase.store.database as database

    path = tmp_path / "old.sqlite3"
    every = database.migrations()
    monkeypatch.setattr(database, "migrations", lambda: every[:-1])
    with Store(path) as old:
        CaseService(old, who="t", today=TODAY).add_case(
            resident_name="Ann", address="1 Row", received="2026-10-01", channel="phone", category="Repairs",
            definition="Tap")
        assert old.schema_version == every[-2][0]
    monkeypatch.setattr(database, "migrations", lambda: every)
    with Store(path) as new:
        assert new.schema_version == every[-1][0]
    made = backups.scan_backups(tmp_path / "backups", "old")
    assert [b.reason for b in made] == [f"before-migration-{every[-1][0]}"]
    check = check_file(made[0].path)
    assert check.ok and check.schema == every[-2][0] and check.cases == 1


def test_restore_round_trip_keeps_every_row_identical(tmp_path):
    from hoscase.demo import build_demo

    db = tmp_path / "demo.sqlite3"
    with Store(db) as store:
        build_demo(store, today=TODAY, cases=40)
        saved = backups.export_backup(store, tmp_path / "saved.sqlite3")
    before = _dump(db)
    with Store(db) as store:
        service = CaseService(store, who="t", today=TODAY)
        _fill(service, 3)
        ref = service.list_cases()[0]["reference"]
        service.update(ref, {"phone": "07700 900123"})
    assert _dump(db) != before
    result = backups.restore_backup(db, saved.path)
    assert _dump(db) == before
    assert result.previous_backup is not None and check_file(result.previous_backup).cases == 43
    assert _mode(db) == 0o600
    with Store(db) as store:  # the app opens it normally, in WAL mode
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.count_cases() == 40


def test_restore_refuses_a_damaged_backup_and_leaves_the_database(service, tmp_path):
    _fill(service, 30)
    bad = backups.export_backup(service.store, tmp_path / "bad.sqlite3").path
    _corrupt_pages(bad)
    service.store.close()
    before = _dump(service.store.path)
    with pytest.raises(HoscaseError, match="cannot be restored"):
        backups.restore_backup(service.store.path, bad)
    assert _dump(service.store.path) == before
    with pytest.raises(HoscaseError, match="no backup file"):
        backups.restore_backup(service.store.path, tmp_path / "missing.sqlite3")


def test_export_backup_refuses_to_overwrite_the_database(service):
    with pytest.raises(HoscaseError, match="cannot overwrite the database"):
        backups.export_backup(service.store, service.store.path)


# --- where the database lives ----------------------------------------------------------------------------------------


MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
tmpfs /tmp tmpfs rw 0 0
//nas/office /mnt/office cifs rw,vers=3.0 0 0
nas:/export/home /home/shared nfs4 rw 0 0
user@host:/data /home/me/remote fuse.sshfs rw 0 0
/dev/sdb1 /mnt/office/usb ext4 rw 0 0
//nas/My\\040Files /mnt/my\\040files smb3 rw 0 0
"""


@pytest.mark.parametrize("path, fstype", [
    ("/mnt/office/hoscase.sqlite3", "cifs"),
    ("/home/shared/x/hoscase.sqlite3", "nfs4"),
    ("/home/me/remote/hoscase.sqlite3", "fuse.sshfs"),
    ("/mnt/my files/hoscase.sqlite3", "smb3"),
])
def test_network_filesystems_are_detected(path, fstype):
    warning = storage_warning(path, mounts=parse_proc_mounts(MOUNTS))
    assert warning is not None and fstype in warning.reason
    assert "Keep the database on this computer" in warning.message and "backups" in warning.advice


@pytest.mark.parametrize("path", ["/home/me/hoscase.sqlite3", "/mnt/office/usb/hoscase.sqlite3", "/tmp/x.sqlite3"])
def test_local_disks_are_not_warned_about(path):
    assert storage_warning(path, mounts=parse_proc_mounts(MOUNTS)) is None


@pytest.mark.parametrize("path, provider", [
    ("\\\\fileserver\\housing\\hoscase.sqlite3", "network share"),
    ("//fileserver/housing/hoscase.sqlite3", "network share"),
    ("/home/me/OneDrive - Almshouse Trust/hoscase.sqlite3", "OneDrive"),
    ("/home/me/Dropbox/work/hoscase.sqlite3", "Dropbox"),
    ("/Users/me/Library/CloudStorage/GoogleDrive-me@example.org/My Drive/hoscase.sqlite3", "Google Drive"),
    ("/Users/me/Library/Mobile Documents/com~apple~CloudDocs/hoscase.sqlite3", "iCloud"),
    ("/run/user/1000/gvfs/smb-share:server=nas,share=office/hoscase.sqlite3", "GVFS"),
])
def test_shares_and_synced_folders_are_detected(path, provider):
    warning = storage_warning(path, mounts=parse_proc_mounts(MOUNTS))
    assert warning is not None and provider in warning.reason


def test_macos_mount_table_is_read():
    table = parse_bsd_mount("/dev/disk3s1s1 on / (apfs, sealed, local)\n"
                            "//me@nas._smb._tcp.local/Office on /Volumes/Office (smbfs, nodev, nosuid)\n")
    warning = storage_warning("/Volumes/Office/hoscase.sqlite3", mounts=table)
    assert warning is not None and "smbfs" in warning.reason
    assert storage_warning("/Users/me/hoscase.sqlite3", mounts=table) is None


def test_the_real_mount_table_finds_this_test_folder_local(tmp_path):
    assert storage_warning(tmp_path / "x.sqlite3") is None


def test_cli_warns_on_stderr_about_a_synced_folder(tmp_path, capsys):
    db = tmp_path / "Dropbox" / "h.sqlite3"
    assert main(["--db", str(db), "init"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("hoscase: warning: ") and "Dropbox" in err and "backups" in err


# --- deleting and retention ------------------------------------------------------------------------------------------


def _ended_case(service: CaseService, name: str = "Zebedee Quargle", closed: str = "2019-05-20", **extra):
    case = service.add_case(resident_name=name, address="7 Quaker Gardens, Ludlow", received="2019-04-01",
                            channel="email", category="Damp and mould", handler="Priya Shah",
                            definition=f"{name} reports black mould in the bedroom", phone="07700 900777",
                            email="zq@example.org", vulnerabilities="Asthma; uses a wheelchair",
                            adjustments="Large print letters", **extra)
    ref = case.reference
    service.update(ref, {"representative_name": "Quentin Quargle", "adjustments_review": "2019-06-01"})
    service.acknowledge(ref, "2019-04-02")
    service.extend(ref, 5, "Awaiting the surveyor, who will visit Zebedee Quargle", on="2019-04-10")
    service.respond(ref, "2019-05-10", "upheld", "We failed Zebedee Quargle on the mould",
                    remedies=[{"kind": "compensation", "amount": "250", "description": "For Zebedee's distress"}],
                    actions=[{"description": "Treat mould at Zebedee's", "due": "2019-06-01"}])
    service.close(ref, closed)
    return ref


def test_retention_queue_lists_only_ended_cases_past_the_period(service):
    old = _ended_case(service)
    recent = _ended_case(service, name="Recent Resident", closed="2023-01-10")
    open_ref = _fill(service, 1)[0]
    queued = retention_list(service)
    assert [i.reference for i in queued] == [old]
    assert queued[0].ended_on == dt.date(2019, 5, 20) and queued[0].review_due == dt.date(2025, 5, 20)
    every = {i.reference for i in retention_list(service, due_only=False)}
    assert every == {old, recent} and open_ref not in every
    set_retention_years(service, 3)
    assert {i.reference for i in retention_list(service)} == {old, recent}
    with pytest.raises(HoscaseError):
        set_retention_years(service, "0")


def test_anonymise_keeps_the_figures_and_removes_the_person(service, db_path):
    ref = _ended_case(service)
    other = _fill(service, 1)[0]
    personal = ["Zebedee", "Quargle", "Quaker Gardens", "07700 900777", "zq@example.org", "Asthma", "wheelchair"]
    before = service.get(ref)
    result = anonymise_case(service, ref)
    after = service.get(ref)
    assert result.action == "anonymised"
    assert after.resident_name == "Anonymised" and after.address == "[removed]" and after.phone == "[removed]"
    assert after.vulnerabilities == "[removed]" and after.representative_name == "[removed]"
    assert after.adjustments_review is None and after.anonymised_on == TODAY.isoformat()
    # What reports count is kept.
    for name in ("received", "category", "channel", "status", "closed_on"):
        assert after.fields[name] == before.fields[name]
    assert after.stages[1].responded == before.stages[1].responded and after.stages[1].decision == "upheld"
    assert after.stages[1].extension_working_days == 5
    assert [r["amount_pence"] for r in after.remedies] == [25000]
    assert after.actions[0]["due"] == "2019-06-01"
    # Nothing personal is left anywhere in the case or its history, and the step is logged.
    text = json.dumps(service.store.query("SELECT * FROM history")) + json.dumps(after.to_json(), default=str)
    text += json.dumps(service.store.query("SELECT * FROM extensions")) + json.dumps(after.correspondence)
    for word in personal:
        assert word not in text, word
    history = service.history(ref)
    assert history[-1]["action"] == "anonymised" and history[-1]["who"] == "Test Officer"
    assert any(h["field"] == "status" and h["new"] == "closed" for h in history)  # dates and statuses kept
    assert service.store.register_ids({"search": "Quargle"}) == []
    assert service.get(other).resident_name == "Resident 0"
    # Really deleted: not in the database file nor its WAL.
    service.store.close()
    raw = db_path.read_bytes() + (db_path.with_name(db_path.name + "-wal").read_bytes()
                                  if db_path.with_name(db_path.name + "-wal").exists() else b"")
    for word in personal:
        assert word.encode() not in raw, word


def test_delete_removes_the_case_its_files_and_every_trace(service, db_path, tmp_path):
    ref = _ended_case(service)
    letters = db_path.parent / "letters"
    letters.mkdir()
    (letters / "ack.pdf").write_bytes(b"%PDF letter to Zebedee")
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere.pdf"
    outside.write_bytes(b"%PDF")
    service.add_correspondence(ref, "2019-04-02", "Acknowledgement to Zebedee Quargle", kind="letter",
                               path="letters/ack.pdf")
    service.add_correspondence(ref, "2019-04-03", "Photo", direction="in", kind="attachment", path=str(outside))
    case_id = service.get(ref).id
    result = delete_case(service, ref)
    assert result.files_removed == [(letters / "ack.pdf").resolve()] and not (letters / "ack.pdf").exists()
    assert result.files_elsewhere == [outside.resolve()] and outside.exists()
    with pytest.raises(HoscaseError, match="no case"):
        service.get(ref)
    for table in ("stages", "extensions", "remedies", "actions", "correspondence"):
        assert service.store.query(f"SELECT * FROM {table} WHERE case_id = ?", (case_id,)) == []
    history = service.store.history_rows(case_id)
    assert history[-1]["action"] == "deleted"
    assert "Quargle" not in json.dumps(history)
    service.store.close()
    assert b"Quargle" not in db_path.read_bytes()
    outside.unlink()


def test_legal_hold_and_open_cases_and_early_removal_are_refused(service):
    held = _ended_case(service, legal_hold=True)
    recent = _ended_case(service, name="Recent Resident", closed="2026-01-10")
    open_ref = _fill(service, 1)[0]
    for act in (anonymise_case, delete_case):
        with pytest.raises(HoscaseError, match="legal hold"):
            act(service, held)
        with pytest.raises(HoscaseError, match="only a closed, refused or withdrawn"):
            act(service, open_ref)
        with pytest.raises(HoscaseError, match="is kept until 2032-01-10"):
            act(service, recent)
    assert service.get(held).resident_name == "Zebedee Quargle"
    assert anonymise_case(service, recent, early=True).action == "anonymised"
    assert "before the retention period" in service.history(recent)[-1]["new"]


def test_history_stays_append_only(service):
    ref = _fill(service, 1)[0]
    conn = service.store.conn
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE history SET who = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE history SET new = 'changed' WHERE new IS NOT NULL")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM history")
    assert service.history(ref)[0]["new"] == ref


# --- subject access request -----------------------------------------------------------------------------------------


def test_subject_access_request_pack(service, db_path, tmp_path):
    from pypdf import PdfReader

    ref1 = _ended_case(service, name="Siobhán O'Brien")
    ref2 = service.add_case(resident_name="SIOBHAN  O'BRIEN", address="4 Mill Terrace", received="2026-10-01",
                            channel="phone", category="Repairs", definition="Tap leaking").reference
    _fill(service, 2)
    (db_path.parent / "letters").mkdir()
    (db_path.parent / "letters" / "ack.pdf").write_bytes(b"%PDF-1.4 letter")
    service.add_correspondence(ref2, "2026-10-02", "Acknowledgement sent", kind="letter", path="letters/ack.pdf")
    service.add_correspondence(ref2, "2026-10-03", "Photo", direction="in", kind="attachment", path="gone.jpg")
    out = tmp_path / "sar.zip"
    result = subject_access_export(service, "siobhan o'brien", out)
    assert result.references == [ref1, ref2]
    assert result.files == [f"files/{ref2}/01-ack.pdf"] and result.missing_files == [f"{ref2}: gone.jpg"]
    assert _mode(out) == 0o600
    with zipfile.ZipFile(out) as pack:
        names = set(pack.namelist())
        assert {"subject-access-request.pdf", "data.json", "cases.csv", f"files/{ref2}/01-ack.pdf"} <= names
        assert pack.read(f"files/{ref2}/01-ack.pdf") == b"%PDF-1.4 letter"
        data = json.loads(pack.read("data.json"))
        pdf_path = tmp_path / "sar.pdf"
        pdf_path.write_bytes(pack.read("subject-access-request.pdf"))
        csv_text = pack.read("cases.csv").decode("utf-8-sig")
    assert [c["case"]["reference"] for c in data["cases"]] == [ref1, ref2]
    assert data["cases"][0]["history"] and data["cases"][0]["case"]["vulnerabilities"] == "Asthma; uses a wheelchair"
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf_path)).pages)
    for needle in ("Siobhán O'Brien", ref1, ref2, "Asthma", "History of the record", "£250.00", "Acknowledgement sent"):
        assert needle in text, needle
    assert "Resident 0" not in text and "Resident 0" not in csv_text  # nobody else's data
    with pytest.raises(HoscaseError, match="no case is held for a resident named 'Siobhan Obrian'; did you mean"):
        subject_access_export(service, "Siobhan Obrian", tmp_path / "x.zip")


# --- spreadsheets ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+441234", "'+441234"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Ann", "Ann"), ("", ""),
    (-5, -5), (12.5, 12.5), (None, None), ("a=b", "a=b"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_and_xlsx_exports_hold_no_formulas(tmp_path):
    import csv

    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    rows = [["=1+1", "@cmd", 5, dt.date(2026, 1, 2)], ["Ann", "-10", None, "+x"]]
    path = write_csv(tmp_path / "x.csv", ["a", "b", "c", "d"], rows)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        read = list(csv.reader(handle))
    assert read[1][:2] == ["'=1+1", "'@cmd"] and read[2][1] == "'-10" and read[2][3] == "'+x"
    path = write_xlsx(tmp_path / "x.xlsx", {"Cases": (["a", "b", "c", "d"], rows)})
    sheet = load_workbook(path).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert sheet["A2"].value == "'=1+1" and sheet["C2"].value == 5
    assert DEFUSEDXML is True  # openpyxl reads XLSX through defusedxml


# --- the command line -----------------------------------------------------------------------------------------------


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_backup_list_restore(tmp_path, capsys):
    db = str(tmp_path / "h.sqlite3")
    for i in range(3):
        code, _, err = _run(capsys, "--db", db, "case", "add", "--resident", f"R{i}", "--address", "1 Row",
                            "--received", "2026-10-01", "--channel", "phone", "--category", "Repairs",
                            "--definition", "Tap")
        assert code == 0, err
    code, out, err = _run(capsys, "--db", db, "backup", "-o", str(tmp_path / "copy.sqlite3"))
    assert code == 0 and "backed up 3 cases" in out and _mode(tmp_path / "copy.sqlite3") == 0o600
    code, out, _ = _run(capsys, "--db", db, "backup", "list")
    # The second command was the first start with cases in it: it took the day's backup, holding 1 case.
    assert code == 0 and "1 case " in out and "daily" in out
    code, out, _ = _run(capsys, "--db", db, "backup", "list", "--json")
    listed = json.loads(out)
    assert listed and all(b["ok"] and b["size"] > 0 for b in listed)
    _run(capsys, "--db", db, "case", "add", "--resident", "R3", "--address", "1 Row", "--received", "2026-10-01",
         "--channel", "phone", "--category", "Repairs", "--definition", "Tap")
    code, out, err = _run(capsys, "--db", db, "restore", str(tmp_path / "copy.sqlite3"))
    assert code == 0, err
    assert "restored 3 cases" in out and "before-restore" in out
    code, out, err = _run(capsys, "--db", db, "restore", str(tmp_path / "nope.sqlite3"))
    assert code == 2 and err.startswith("hoscase: error: there is no backup file")


def test_cli_retention_and_sar(tmp_path, capsys, monkeypatch):
    db = tmp_path / "h.sqlite3"
    with Store(db) as store:
        service = CaseService(store, who="t", today=TODAY)
        ref = _ended_case(service)
    code, out, _ = _run(capsys, "--db", str(db), "retention", "list")
    assert code == 0 and ref in out
    code, out, _ = _run(capsys, "--db", str(db), "retention", "list", "--json")
    assert json.loads(out)[0]["reference"] == ref
    code, out, err = _run(capsys, "--db", str(db), "sar", "--resident", "zebedee quargle", "-o", str(tmp_path / "s.zip"))
    assert code == 0 and ref in out and zipfile.is_zipfile(tmp_path / "s.zip")
    code, out, err = _run(capsys, "--db", str(db), "retention", "anonymise", ref)
    assert code == 0 and f"{ref} anonymised" in out
    code, out, err = _run(capsys, "--db", str(db), "sar", "--resident", "Zebedee Quargle", "-o", str(tmp_path / "t.zip"))
    assert code == 2 and "no case is held" in err
    code, out, err = _run(capsys, "--db", str(db), "retention", "delete", ref)
    assert code == 0 and f"{ref} deleted" in out
    code, out, _ = _run(capsys, "--db", str(db), "retention", "period", "8")
    assert code == 0 and "8 years" in out


def test_a_locked_or_unreadable_file_is_not_taken_for_damage(service, tmp_path):
    from hoscase.store.safety import damaged_database, is_damage

    _fill(service, 1)
    path = service.store.path
    error = damaged_database(path, sqlite3.OperationalError("database is locked"))
    assert not isinstance(error, DamagedDatabaseError) and "nothing was changed" in str(error)
    assert path.exists()
    with pytest.raises(sqlite3.Error) as cannot_open:
        sqlite3.connect(str(tmp_path)).execute("SELECT 1")  # a folder: SQLITE_CANTOPEN
    assert not is_damage(cannot_open.value)
    with pytest.raises(sqlite3.DatabaseError) as not_a_database:
        sqlite3.connect(str(ROOT / "README.md")).execute("PRAGMA journal_mode=WAL")
    assert is_damage(not_a_database.value)  # SQLITE_NOTADB
