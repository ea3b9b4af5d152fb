"""Automatic and manual backups, their rotation, and restoring one.

Every backup is taken with SQLite's online backup API (a consistent snapshot even while the app
writes), written under a temporary name, re-opened and fully checked, and only then renamed into
place; only after that may rotation delete an older one. Rotation keeps everything from the last
24 hours, then the newest backup of each of the last 7 days, 4 weeks and 12 months that have one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hoscase.errors import HoscaseError
from hoscase.store.safety import (
    FileCheck,
    check_file,
    copy_file,
    create_private,
    fsync_dir,
    move_aside,
    restore_into,
)

if TYPE_CHECKING:
    from hoscase.store import Store

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
KEEP_ALL_HOURS = 24
_STAMP = "%Y-%m-%d-%H%M%S"


@dataclass
class BackupInfo:
    """One backup file in the backup folder."""

    path: Path
    taken: dt.datetime
    reason: str
    size: int
    cases: int | None = None
    ok: bool | None = None
    problem: str = ""


def default_backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def backup_folder(store: Store) -> Path:
    """The folder chosen in the settings ("backup_folder"), else backups/ beside the database."""
    chosen = store.get_setting("backup_folder")
    return Path(chosen).expanduser() if chosen else default_backup_folder(store.path)


def _pattern(stem: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(stem)}-(\d{{4}}-\d{{2}}-\d{{2}}-\d{{6}})-([a-z0-9-]+?)(?:\.(\d+))?\.sqlite3$")


def _slug(reason: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return slug or "manual"


def scan_backups(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """Backups of the database named ``stem`` (every database when None) in ``folder``, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not path.name.endswith(".sqlite3"):
            continue
        match = None
        if stem is not None:
            match = _pattern(stem).match(path.name)
        else:
            generic = re.match(r"^(.+?)-(\d{4}-\d{2}-\d{2}-\d{6})-", path.name)
            if generic:
                match = _pattern(generic.group(1)).match(path.name)
        if not match:
            continue
        try:
            taken = dt.datetime.strptime(match.group(1), _STAMP)
            stat = path.stat()
        except (ValueError, OSError):
            continue
        found.append((BackupInfo(path, taken, match.group(2), stat.st_size), stat.st_mtime_ns))
    # Two backups in the same second: the one written later is the newer.
    found.sort(key=lambda item: (item[0].taken, item[1], item[0].path.name), reverse=True)
    return [info for info, _ in found]


def list_backups(folder: Path, stem: str | None = None, *, check: bool = True) -> list[BackupInfo]:
    """Backups newest first, each with its case count and whether it passes the integrity check."""
    backups = scan_backups(folder, stem)
    if check:
        for b in backups:
            result = check_file(b.path)
            b.ok, b.cases, b.problem = result.ok, result.cases, result.problem
    return backups


def newest_good_backup(folder: Path, stem: str | None = None) -> Path | None:
    """The newest backup in ``folder`` that opens and passes the full integrity check."""
    for b in scan_backups(folder, stem):
        if check_file(b.path).ok:
            return b.path
    return None


def _new_name(folder: Path, stem: str, reason: str, now: dt.datetime) -> Path:
    base = f"{stem}-{now.strftime(_STAMP)}-{_slug(reason)}"
    path, n = folder / f"{base}.sqlite3", 1
    while path.exists():
        n += 1
        path = folder / f"{base}.{n}.sqlite3"
    return path


def _make_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)


def _verified_copy(write, dest: Path) -> FileCheck:
    """Write a copy under a temporary name, check it, and only then put it at ``dest``."""
    # Unique per writer: two processes backing up in the same second must not write into one file.
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        write(tmp)
        result = check_file(tmp)
        if not result.ok:
            raise HoscaseError(f"the backup did not pass its check ({result.problem}); the older backups are kept")
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    result.path = dest
    return result


def make_backup(store: Store, reason: str, *, folder: Path | None = None, now: dt.datetime | None = None,
                rotate_after: bool = True) -> Path:
    """A checked backup of the open database into the backup folder, then rotation."""
    if str(store.path) == ":memory:":
        raise HoscaseError("an in-memory database cannot be backed up")
    folder = Path(folder) if folder else backup_folder(store)
    now = now or dt.datetime.now()
    try:
        _make_folder(folder)
        dest = _new_name(folder, store.path.stem, reason, now)
        _verified_copy(store.backup_to, dest)
    except OSError as exc:
        raise HoscaseError(f"could not write a backup to {folder}: {exc.strerror or exc}") from None
    if rotate_after:
        rotate(folder, store.path.stem, now=now)
    return dest


def backup_before(store: Store, reason: str) -> Path:
    """Back up before something that changes many rows at once (an import, a schema migration, a restore).

    Raises HoscaseError when the backup cannot be made, so the caller does not go ahead without one.
    """
    try:
        return make_backup(store, f"before-{reason}")
    except HoscaseError as exc:
        what = reason.replace("-", " ")
        raise HoscaseError(f"no backup could be taken before the {what}, so it was not done: {exc}") from None


def daily_backup(store: Store, *, now: dt.datetime | None = None) -> Path | None:
    """The first start of each day backs up; later starts that day do nothing. Empty databases are skipped."""
    if str(store.path) == ":memory:" or store.count_cases() == 0:
        return None
    now = now or dt.datetime.now()
    folder = backup_folder(store)
    today = now.date()
    if any(b.taken.date() == today and b.reason == "daily" for b in scan_backups(folder, store.path.stem)):
        return None
    return make_backup(store, "daily", folder=folder, now=now)


def rotate(folder: Path, stem: str, *, now: dt.datetime | None = None, daily: int = KEEP_DAILY,
           weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY) -> list[Path]:
    """Delete the backups that rotation no longer keeps; returns what was deleted."""
    now = now or dt.datetime.now()
    backups = scan_backups(folder, stem)
    keep = {b.path for b in backups if now - b.taken < dt.timedelta(hours=KEEP_ALL_HOURS)}
    periods = (
        (lambda t: t.date(), daily),
        (lambda t: tuple(t.isocalendar())[:2], weekly),
        (lambda t: (t.year, t.month), monthly),
    )
    for key, count in periods:
        seen: list = []
        for b in backups:  # newest first: the newest backup of each period is the one kept
            k = key(b.taken)
            if k in seen:
                continue
            if len(seen) == count:
                break
            seen.append(k)
            keep.add(b.path)
    deleted = []
    for partial in Path(folder).glob(f".{stem}-*.partial"):  # left by a backup that was cut off
        with contextlib.suppress(OSError):
            if now.timestamp() - partial.stat().st_mtime > 3600:
                partial.unlink()
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(OSError):
                b.path.unlink()
                deleted.append(b.path)
    return deleted


def export_backup(store: Store, dest: Path | str) -> FileCheck:
    """``hoscase backup -o FILE``: a checked copy anywhere the user chooses (not rotated)."""
    dest = Path(dest).expanduser()
    if dest.exists() and dest.resolve() == store.path.resolve():
        raise HoscaseError("the backup cannot overwrite the database itself")
    if dest.is_dir():
        dest = dest / _new_name(dest, store.path.stem, "manual", dt.datetime.now()).name
    if not dest.parent.is_dir():
        raise HoscaseError(f"there is no folder {dest.parent}")
    try:
        return _verified_copy(store.backup_to, dest)
    except OSError as exc:
        raise HoscaseError(f"could not write {dest}: {exc.strerror or exc}") from None


def check_backup(path: Path | str) -> FileCheck:
    """A backup fit to restore: a hoscase database that passes the full check and is not from a newer version."""
    from hoscase.store.database import migrations

    path = Path(path).expanduser()
    if not path.is_file():
        raise HoscaseError(f"there is no backup file {path}")
    result = check_file(path)
    if not result.ok:
        raise HoscaseError(f"{path} cannot be restored: {result.problem}")
    newest = max((n for n, _ in migrations()), default=0)
    if result.schema > newest:
        raise HoscaseError(f"{path} was written by a newer hoscase (schema {result.schema}); it cannot be restored here")
    return result


@dataclass
class RestoreResult:
    restored: FileCheck
    previous_backup: Path | None  # the backup of the database as it was just before
    moved_aside: Path | None  # the damaged database, when it was


def restore_backup(db_path: Path | str, backup: Path | str, *, folder: Path | None = None,
                   lock_held: bool = False) -> RestoreResult:
    """Replace the database with a backup: check the backup, back up the current file, then swap atomically.

    The app lock is taken for the duration (so the desktop app cannot be writing); a caller that
    already holds it (the desktop app restoring from its own menu) says ``lock_held=True`` and must
    have closed its Store first.
    """
    from hoscase.safety.lock import acquire_app_lock

    db_path = Path(db_path).expanduser()
    backup = Path(backup).expanduser()
    if backup.resolve() == db_path.resolve():
        raise HoscaseError("that file is the database itself, not a backup")
    check_backup(backup)
    own_lock = None if lock_held else acquire_app_lock(db_path)
    try:
        previous, moved = None, None
        if db_path.exists() and db_path.stat().st_size > 0:
            current = check_file(db_path)
            if current.ok:
                folder = Path(folder) if folder else _folder_for(db_path)
                _make_folder(folder)
                previous = _new_name(folder, db_path.stem, "before-restore", dt.datetime.now())
                try:
                    _verified_copy(lambda tmp: copy_file(db_path, tmp), previous)
                except OSError as exc:
                    raise HoscaseError(f"could not back up the current database first ({exc}); "
                                       "nothing was restored") from None
            else:
                moved = move_aside(db_path)
        if not db_path.exists():
            db_path.parent.mkdir(parents=True, exist_ok=True)
            create_private(db_path)
        try:
            restore_into(backup, db_path)
        except Exception as exc:  # noqa: BLE001 - reported to the user; the transaction rolled back
            raise HoscaseError(f"the restore failed and the database was left as it was: {exc}") from None
        with contextlib.suppress(OSError):
            os.chmod(db_path, 0o600)
        after = check_file(db_path)
        if not after.ok:
            raise HoscaseError(f"the restored database did not pass its check ({after.problem}); "
                               f"the copy taken just before is {previous}")
        return RestoreResult(after, previous, moved)
    finally:
        if own_lock is not None:
            own_lock.release()


def _folder_for(db_path: Path) -> Path:
    from hoscase.store.safety import read_setting_from_file

    chosen = read_setting_from_file(db_path, "backup_folder")
    return Path(chosen).expanduser() if chosen else default_backup_folder(db_path)


def set_backup_folder(service, folder: Path | str | None) -> Path:
    """Choose where backups go (None: backups/ beside the database); the change is logged in the history."""
    store = service.store
    old = store.get_setting("backup_folder")
    value = None
    if folder is not None and str(folder).strip():
        target = Path(str(folder).strip()).expanduser().absolute()
        try:
            _make_folder(target)
        except OSError as exc:
            raise HoscaseError(f"cannot use {target} for backups: {exc.strerror or exc}") from None
        if not os.access(target, os.W_OK):
            raise HoscaseError(f"cannot write to {target}")
        value = str(target)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    with store.transaction():
        if value is None:
            store.delete_setting_value("backup_folder")
        else:
            store.put_setting("backup_folder", value)
        store.insert_history([{"at": now, "who": service.who, "case_id": None, "entity": "settings",
                               "action": "changed", "field": "backup_folder", "old": old, "new": value}])
    return backup_folder(store)
