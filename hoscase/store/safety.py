"""SQL for data safety: checks on opening, backups through SQLite's backup API, purging, retention and SAR.

The policy (when to back up, rotation, which cases are due for review) lives in ``hoscase.safety``;
everything here is the part that has to speak SQL or touch the database file itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoscase.errors import HoscaseError

SQLITE_HEADER = b"SQLite format 3\x00"
# Files with these suffixes are taken to be ours when they turn out not to be a database at all.
DATABASE_SUFFIXES = {".sqlite3", ".sqlite", ".db", ".hoscase"}
# The statuses a case ends in: the retention clock starts from the day it ended.
ENDED_STATUSES = ("closed", "refused", "withdrawn")
REMOVED = "[removed]"


class DamagedDatabaseError(HoscaseError):
    """The database file failed its check: it has been moved aside, and ``backup`` is the newest good backup."""

    def __init__(self, message: str, *, path: Path, moved_to: Path | None, backup: Path | None, problem: str) -> None:
        super().__init__(message)
        self.path = path
        self.moved_to = moved_to
        self.backup = backup
        self.problem = problem


@dataclass
class FileCheck:
    """What a look inside a database file found."""

    path: Path
    ok: bool
    problem: str = ""
    cases: int | None = None
    schema: int = 0


def host_name() -> str:
    return socket.gethostname() or "this computer"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (a stale lock or marker names a dead one)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (a no-op where directories cannot be opened)."""
    if os.name == "nt":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def create_private(path: Path) -> None:
    """An empty file readable by the user only (special category personal data goes into it)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def _check_connection(conn: sqlite3.Connection, full: bool) -> list[str]:
    """quick_check (or the full integrity_check) and foreign_key_check; an empty list means healthy."""
    pragma = "integrity_check" if full else "quick_check"
    problems = [row[0] for row in conn.execute(f"PRAGMA {pragma}") if row[0] != "ok"]
    if full:
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"row {rowid} of {table} points to a missing {parent}")
    return problems


def check_file(path: Path | str, *, full: bool = True) -> FileCheck:
    """Open a database file read-only and check it; never changes the file."""
    path = Path(path)
    if not path.is_file():
        return FileCheck(path, False, "the file does not exist")
    with open(path, "rb") as handle:
        header = handle.read(16)
    if path.stat().st_size and header != SQLITE_HEADER:
        return FileCheck(path, False, "it is not an SQLite database")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        return FileCheck(path, False, str(exc))
    try:
        problems = _check_connection(conn, full)
        if problems:
            return FileCheck(path, False, "; ".join(problems[:5]))
        schema = conn.execute("PRAGMA user_version").fetchone()[0]
        has_cases = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cases'").fetchone()
        if not has_cases:
            return FileCheck(path, False, "it holds no hoscase cases table", schema=schema)
        cases = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        return FileCheck(path, True, "", cases, schema)
    except sqlite3.Error as exc:
        return FileCheck(path, False, str(exc))
    finally:
        conn.close()


def _finish_copy(dest: sqlite3.Connection) -> None:
    # A backup is one self-contained file: no -wal beside it to lose when it is copied elsewhere.
    dest.execute("PRAGMA journal_mode=DELETE")
    dest.close()


def copy_connection(source: sqlite3.Connection, dest_path: Path) -> None:
    """Copy an open database to a new file with the online backup API (a consistent snapshot)."""
    create_private(dest_path)
    dest = sqlite3.connect(str(dest_path))
    try:
        source.backup(dest)
    except BaseException:
        dest.close()
        raise
    _finish_copy(dest)
    with open(dest_path, "rb+") as handle:
        os.fsync(handle.fileno())


def copy_file(source_path: Path, dest_path: Path) -> None:
    """Copy a database file (which another process may be writing) to a new file, consistently."""
    source = sqlite3.connect(str(source_path), timeout=30)
    try:
        copy_connection(source, dest_path)
    finally:
        source.close()


def restore_into(backup_path: Path, dest_path: Path) -> None:
    """Replace the content of ``dest_path`` with the backup in one transaction, so a crash leaves old or new."""
    source = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    dest = sqlite3.connect(str(dest_path), timeout=30, isolation_level=None)
    try:
        dest.execute("PRAGMA busy_timeout=30000")
        dest.execute("PRAGMA journal_mode=WAL")
        dest.execute("PRAGMA synchronous=FULL")
        source.backup(dest)
        # The backup file is in rollback mode; the live database stays in WAL.
        dest.execute("PRAGMA journal_mode=WAL")
        dest.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        source.close()
        dest.close()


def read_setting_from_file(path: Path, key: str) -> Any:
    """Best effort: a setting from a file that may be damaged (None when it cannot be read)."""
    import json

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
        return json.loads(row[0]) if row else None
    except Exception:  # noqa: BLE001 - the file is damaged; the default will do
        return None


def move_aside(path: Path, now: dt.datetime | None = None) -> Path:
    """Rename a damaged database (and its -wal and -shm) to ``NAME.damaged-TIMESTAMP`` so it is never used again."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    fsync_dir(path.parent)
    return target


def is_damage(exc: BaseException) -> bool:
    """SQLite says the file is corrupt or not a database (not: busy, locked, no permission, disk full)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB
    return type(exc) is sqlite3.DatabaseError


def damaged_database(path: Path, problem: str | BaseException) -> HoscaseError:
    """The error for a file that failed its check, after moving it aside when it is ours.

    An exception that is not damage (the file is locked or busy, the disk is full, no permission)
    gives a plain error and the file stays where it is.

    A file that is not a database at all and does not carry a database name (someone typed the
    wrong file after --db) is left untouched: renaming a user's spreadsheet would be worse.
    """
    path = Path(path)
    if isinstance(problem, BaseException):
        if not is_damage(problem):
            return HoscaseError(f"{path} could not be opened ({problem}); nothing was changed")
        problem = str(problem)
    with contextlib.suppress(OSError):
        with open(path, "rb") as handle:
            header = handle.read(16)
        if header != SQLITE_HEADER and path.suffix.lower() not in DATABASE_SUFFIXES:
            return HoscaseError(f"{path} is not a hoscase database ({problem}); nothing was changed")
    from hoscase.safety.backup import default_backup_folder, newest_good_backup

    folder = read_setting_from_file(path, "backup_folder")
    folders = [Path(folder)] if folder else []
    folders.append(default_backup_folder(path))
    try:
        moved = move_aside(path)
    except OSError as exc:
        return HoscaseError(f"{path} is damaged ({problem}) and could not be moved aside ({exc}); "
                            "do not use it: restore a backup")
    backup = None
    for candidate in folders:
        backup = newest_good_backup(candidate, stem=path.stem)
        if backup:
            break
    if backup:
        offer = f"The newest good backup is {backup}; restore it with: hoscase --db \"{path}\" restore \"{backup}\""
    else:
        offer = "No good backup was found."
    message = (f"{path} is damaged or is not a hoscase database ({problem}), so it has not been used. It has been moved aside to {moved.name}. "
               f"{offer}")
    return DamagedDatabaseError(message, path=path, moved_to=moved, backup=backup, problem=problem)


class SafetyQueries:
    conn: Any
    db: Any
    path: Path

    # --- opening and closing --------------------------------------------

    def _marker_prefix(self) -> str:
        return f".{self.path.name}.open."

    def check_on_open(self) -> bool:
        """quick_check on every opening; the full integrity_check when a session ended without closing.

        Each open Store leaves a marker file beside the database and removes it when closed. A marker
        whose process is gone means the app was killed, crashed or lost power. Returns whether the
        full check ran.
        """
        if str(self.path) == ":memory:":
            return False
        stale, unclean = self._open_markers()
        try:
            problems: list[str] | BaseException = _check_connection(self.conn, full=unclean)
        except sqlite3.DatabaseError as exc:
            problems = exc
        self._after_check(stale, unclean, problems)
        return unclean

    def _open_markers(self) -> tuple[list[Path], bool]:
        """The markers of sessions that ended without closing (this computer's, to remove once checked), and
        whether there was any: then the full integrity_check is due."""
        here = host_name().replace(".", "_")
        stale, unclean = [], False
        for marker in self.path.parent.glob(self._marker_prefix() + "*"):
            parts = marker.name[len(self._marker_prefix()):].rsplit(".", 2)
            if len(parts) != 3 or not parts[1].isdigit():
                continue
            host, pid = parts[0], int(parts[1])
            if host != here:
                unclean = True  # another computer: it cannot be told apart from a crash there
            elif not pid_alive(pid):
                unclean = True
                stale.append(marker)
        return stale, unclean

    def _after_check(self, stale: list[Path], unclean: bool, problems: list[str] | BaseException) -> None:
        """Act on the check's result: a damaged file is closed and moved aside (raises), a healthy one marked open."""
        if isinstance(problems, BaseException):
            self.conn.close()
            raise damaged_database(self.path, problems) from None
        if problems:
            self.conn.close()
            raise damaged_database(self.path, "; ".join(problems[:5]))
        for marker in stale:
            with contextlib.suppress(OSError):
                marker.unlink()
        here = host_name().replace(".", "_")
        self._open_marker = self.path.with_name(
            f"{self._marker_prefix()}{here}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        )
        with contextlib.suppress(OSError):
            create_private(self._open_marker)
        self.unclean_shutdown_found = unclean

    def mark_clean_close(self) -> None:
        marker = getattr(self, "_open_marker", None)
        if marker is not None:
            with contextlib.suppress(OSError):
                marker.unlink()
            self._open_marker = None

    def integrity_problems(self, full: bool = True) -> list[str]:
        return _check_connection(self.conn, full)

    # --- backups --------------------------------------------------------

    def backup_to(self, dest_path: Path) -> None:
        """A consistent copy of this database, taken while others may be writing."""
        copy_connection(self.conn, dest_path)

    def delete_setting_value(self, key: str) -> None:
        self.conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    # --- really deleting --------------------------------------------------

    def purge_deleted(self) -> None:
        """After personal data is deleted: rebuild the search index and empty the WAL.

        secure_delete zeroes freed pages; the search index keeps deleted words in old segments until
        it is merged, and the WAL keeps old page images until a TRUNCATE checkpoint.
        """
        self.conn.execute("INSERT INTO cases_fts(cases_fts) VALUES ('optimize')")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- retention --------------------------------------------------------

    def ended_case_rows(self) -> list[dict]:
        placeholders = ",".join("?" * len(ENDED_STATUSES))
        cursor = self.conn.execute(
            f"""SELECT id, reference, resident_name, status, category, received, legal_hold, anonymised_on,
                       COALESCE(closed_on, refused_on, withdrawn_on,
                                (SELECT MAX(responded) FROM stages s WHERE s.case_id = cases.id), received) AS ended_on
                FROM cases WHERE status IN ({placeholders}) ORDER BY ended_on, id""",
            ENDED_STATUSES,
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def anonymise_case_rows(self, case_id: int, case_fields: dict[str, Any], on: str) -> None:
        """Replace the personal fields of a case and of everything under it; dates, figures and decisions stay."""
        sets = ", ".join(f"{name} = ?" for name in case_fields)
        self.conn.execute(f"UPDATE cases SET {sets}, anonymised_on = ?, updated_at = ? WHERE id = ?",
                          (*case_fields.values(), on, dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                           case_id))
        self.conn.execute("UPDATE stages SET definition = ?, reasons = CASE WHEN reasons = '' THEN '' ELSE ? END "
                          "WHERE case_id = ?", (REMOVED, REMOVED, case_id))
        self.conn.execute("UPDATE extensions SET reason = ? WHERE case_id = ?", (REMOVED, case_id))
        self.conn.execute("UPDATE remedies SET description = CASE WHEN description = '' THEN '' ELSE ? END "
                          "WHERE case_id = ?", (REMOVED, case_id))
        self.conn.execute("UPDATE actions SET description = ? WHERE case_id = ?", (REMOVED, case_id))
        self.conn.execute("UPDATE correspondence SET summary = ?, path = NULL WHERE case_id = ?", (REMOVED, case_id))
        self.conn.execute(
            "UPDATE service_requests SET resident_name = ?, address = '', description = ? "
            "WHERE case_id = ? OR id = (SELECT service_request_id FROM cases WHERE id = ?)",
            (case_fields.get("resident_name", REMOVED), REMOVED, case_id, case_id),
        )

    def redact_history(self, case_id: int, keep_fields: set[str]) -> int:
        """Remove the old and new values of a case's history except the non-personal fields named."""
        placeholders = ",".join("?" * len(keep_fields)) or "NULL"
        cursor = self.conn.execute(
            f"""UPDATE history SET
                    old = CASE WHEN old IS NULL THEN NULL ELSE ? END,
                    new = CASE WHEN new IS NULL THEN NULL ELSE ? END
                WHERE case_id = ? AND (field IS NULL OR field NOT IN ({placeholders}))
                  AND (old IS NOT NULL AND old != ? OR new IS NOT NULL AND new != ?)""",
            (REMOVED, REMOVED, case_id, *sorted(keep_fields), REMOVED, REMOVED),
        )
        return cursor.rowcount

    def case_file_paths(self, case_id: int) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT path FROM correspondence WHERE case_id = ? AND path IS NOT NULL AND path != ''", (case_id,))]

    def delete_service_requests_of(self, case_id: int) -> None:
        """The service request a case grew out of goes with it (it holds the same resident's details)."""
        row = self.conn.execute("SELECT service_request_id FROM cases WHERE id = ?", (case_id,)).fetchone()
        self.conn.execute("UPDATE cases SET service_request_id = NULL WHERE id = ?", (case_id,))
        self.conn.execute("DELETE FROM service_requests WHERE case_id = ? OR id = ?",
                          (case_id, row[0] if row else None))

    # --- subject access ----------------------------------------------------

    def resident_names(self) -> list[tuple[int, str]]:
        return [(row[0], row[1]) for row in self.conn.execute("SELECT id, resident_name FROM cases ORDER BY received, id")]

    def service_request_rows_for(self, case_id: int) -> list[dict]:
        cursor = self.conn.execute(
            "SELECT * FROM service_requests WHERE case_id = ? OR id = (SELECT service_request_id FROM cases WHERE id = ?)",
            (case_id, case_id))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def table_rows(self, table: str) -> list[dict]:
        """Every row of one table in rowid order (round-trip checks)."""
        if table not in {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}:
            raise HoscaseError(f"no table {table}")
        cursor = self.conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def user_tables(self) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'cases_fts%' ORDER BY name")]
