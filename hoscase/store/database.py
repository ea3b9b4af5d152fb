"""Opening the SQLite file, upgrading its schema, and one transaction per user action."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from hoscase.errors import HoscaseError
from hoscase.paths import data_dir
from hoscase.store.assessments import AssessmentQueries
from hoscase.store.cases import CaseQueries
from hoscase.store.register import RegisterQueries
from hoscase.store.reports import ReportQueries
from hoscase.store.safety import SafetyQueries, _check_connection, damaged_database
from hoscase.store.service_requests import ServiceRequestQueries
from hoscase.store.settings import SettingsQueries
from hoscase.store.transfer import TransferQueries

_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def default_db_path() -> Path:
    """HOSCASE_DB if set, else hoscase.sqlite3 in the user's data folder."""
    env = os.environ.get("HOSCASE_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("hoscase", appauthor=False)) / "hoscase.sqlite3"


def migrations() -> list[tuple[int, Path]]:
    """The numbered SQL files in db/, in order."""
    found = []
    for path in sorted(data_dir("db").glob("*.sql")):
        match = _MIGRATION.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return found


class Store(CaseQueries, SettingsQueries, ReportQueries, AssessmentQueries, SafetyQueries, ServiceRequestQueries, TransferQueries,
            RegisterQueries):
    """One open database file. Methods that write belong inside ``transaction()``."""

    def __init__(self, path: Path | str, *, create: bool = True, check_in_background: bool = False) -> None:
        """Open (creating if allowed) and upgrade the file, after checking it.

        ``check_in_background`` (the desktop app) runs the check on opening on a second connection in a
        thread, so the main window is built meanwhile; the file is only read until ``wait_for_check``
        says it is healthy: every write (``transaction``, ``db``) waits for the check first, and a
        damaged file raises DamagedDatabaseError there, moved aside, as it would have here.
        """
        self.path = Path(path)
        if not create and not self.path.exists():
            raise HoscaseError(f"no database at {self.path}")
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                # Readable by the user only: the file holds special category personal data.
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
        conn = None
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
            _enter_wal(conn)
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            # A damaged file is never used: it is moved aside and the newest good backup is offered.
            raise damaged_database(self.path, exc) from None
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA secure_delete=ON")
        self.conn = conn
        self._db = None
        self._pending_check: tuple[_BackgroundCheck, list[Path], bool] | None = None
        self._check_lock = threading.Lock()
        early = _take_early_check(self.path)
        if check_in_background and self._nothing_to_migrate():
            stale, unclean = self._open_markers()
            if early is not None and not unclean and early.same_file():
                thread = early  # started by hoscase.cli before PySide6 was imported: the same quick_check
            else:  # a full check is due, or the file changed: a check of its own, once the early one let go
                thread = _BackgroundCheck(self.path, full=unclean, after=early)
                thread.start()
            self._pending_check = (thread, stale, unclean)
        else:
            if early is not None:  # a migration or a first run: its read-only connection goes first
                early.join()
            self.check_on_open()
        self.migrate()

    def _nothing_to_migrate(self) -> bool:
        """The background check is only for a file at the current schema: a migration writes, so it waits."""
        if str(self.path) == ":memory:":
            return False
        latest = migrations()
        try:
            return bool(latest) and self.schema_version == latest[-1][0]
        except sqlite3.DatabaseError:  # the synchronous check says what is wrong
            return False

    @property
    def check_pending(self) -> bool:
        """The check on opening is still running (or finished, but its result has not been acted on)."""
        return self._pending_check is not None

    def wait_for_check(self) -> None:
        """Wait for the background check on opening and act on it, once; a no-op after that.

        Raises DamagedDatabaseError (the file closed and moved aside) when the check failed.
        """
        if self._pending_check is None:
            return
        with self._check_lock:
            pending, self._pending_check = self._pending_check, None
            if pending is None:
                return
            thread, stale, unclean = pending
            thread.join()
            result = thread.result
            if thread.early and isinstance(result, BaseException):
                # The early check's read-only connection could not read the file: it does not say the file
                # is damaged, so the check runs again the usual way, whose error does.
                thread = _BackgroundCheck(self.path, full=unclean)
                thread.run()
                result = thread.result
            if isinstance(result, BaseException) and not isinstance(result, sqlite3.DatabaseError):
                self.conn.close()
                raise result
            self._after_check(stale, unclean, result if result is not None else [])

    @property
    def db(self):
        """sqlite-utils over the same connection, made on first use.

        Importing sqlite-utils (click, pluggy, dateutil) and loading its plugins costs about 100 ms,
        which the desktop app's launch need not pay: only writes use it, reads go to the connection.
        """
        if self._db is None:
            self.wait_for_check()  # sqlite-utils is how the store writes: never before the file is checked
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def change_stamp(self) -> tuple[int, int]:
        """Equal stamps mean nothing was written in between, by this connection or any other.

        Lets readers keep what they derived from the database (the working calendar) until it may have changed.
        """
        return self.conn.total_changes, self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        pending, self._pending_check = self._pending_check, None
        if pending is not None:  # closed before the check was waited for: let its connection go first
            pending[0].join()
        self.conn.close()
        self.mark_clean_close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> list[int]:
        """Apply every numbered migration newer than the file's user_version, each in its own transaction."""
        applied = []
        latest = migrations()
        newest = latest[-1][0] if latest else 0
        if self.schema_version > newest:
            raise HoscaseError(
                f"{self.path} was written by a newer hoscase (schema {self.schema_version}, this one knows {newest})"
            )
        if self.schema_version and any(number > self.schema_version for number, _ in latest):
            from hoscase.safety.backup import backup_before

            backup_before(self, f"migration-{newest}")
        for number, path in latest:
            if number <= self.schema_version:
                continue
            sql = path.read_text(encoding="utf-8")
            self.conn.execute("BEGIN IMMEDIATE")
            if number <= self.schema_version:  # another process applied it while this one waited
                self.conn.execute("COMMIT")
                continue
            try:
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            applied.append(number)
        return applied

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One user action: BEGIN IMMEDIATE so a write never fails half-way on a lock."""
        self.wait_for_check()  # nothing is written to a file that has not passed its check
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Rows of a SELECT as dicts (a repeated column name gets sqlite-utils' _2 suffix)."""
        cursor = self.conn.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() can only be used with SQL that returns rows")
        keys = [d[0] for d in cursor.description]
        if len(set(keys)) != len(keys):
            from sqlite_utils.utils import dedupe_keys

            keys = dedupe_keys(keys)
        return [dict(zip(keys, row)) for row in cursor]


def _enter_wal(conn: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch to WAL, waiting while another process holds the file. Changing the journal mode can report
    "database is locked" at once without SQLite's busy handler (several processes creating one new file at
    the same moment), so it is retried here for as long as any other write would wait."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class _BackgroundCheck(threading.Thread):
    """quick_check (integrity_check after an unclean shutdown) on its own read-only connection.

    SQLite lets go of the GIL for the whole check, so on a large register (220 ms at 100,000 cases) it
    runs beside the imports and the building of the main window. ``result`` is the list of problems, or
    the error. An ``early`` check is started by ``start_check_early`` before the Store exists; ``after``
    is an early check this one waits for, so the file is never moved aside under its connection.
    """

    def __init__(self, path: Path, *, full: bool, early: bool = False, after: _BackgroundCheck | None = None) -> None:
        super().__init__(name="hoscase-check-on-open", daemon=True)
        self.path = path
        self.full = full
        self.early = early
        self.after = after
        self.result: list[str] | BaseException | None = None
        self.file_id = _file_id(path)

    def same_file(self) -> bool:
        """The file the Store opened is the one this check read (not replaced, by a restore, in between)."""
        return self.file_id is not None and self.file_id == _file_id(self.path)

    def run(self) -> None:
        if self.after is not None:
            self.after.join()
        try:
            if self.early:  # may be the only connection: mode=ro cannot write, nor checkpoint the WAL on close
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                                       isolation_level=None)
            else:
                conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            try:
                conn.execute("PRAGMA query_only=ON")
                self.result = _check_connection(conn, self.full)
            finally:
                conn.close()
        except Exception as exc:  # noqa: BLE001 - handed to the thread that waits for the check
            self.result = exc


def _file_id(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_size


_early_checks: dict[Path, _BackgroundCheck] = {}


def start_check_early(path: Path | str) -> None:
    """Start the check on opening ``path`` now, before the desktop app imports PySide6 (about 100 ms).

    Only reads, on a read-only connection; the Store made on ``path`` with ``check_in_background`` takes
    it over when it is the check that is due (quick_check: no session ended without closing) on the same
    file, and otherwise runs its own. A missing or empty file (a first run) is left alone.
    """
    path = Path(path)
    try:
        if str(path) == ":memory:" or not path.is_file() or path.stat().st_size == 0:
            return
    except OSError:
        return
    key = path.resolve()
    if key in _early_checks:
        return
    thread = _BackgroundCheck(path, full=False, early=True)
    _early_checks[key] = thread
    thread.start()


def _take_early_check(path: Path) -> _BackgroundCheck | None:
    if not _early_checks or str(path) == ":memory:":
        return None
    return _early_checks.pop(path.resolve(), None)


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], []
    for line in sql.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("--")):
            continue
        current.append(line)
        text = "\n".join(current)
        if stripped.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            current = []
    if current and "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements
