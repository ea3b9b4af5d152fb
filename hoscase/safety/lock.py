"""One app window at a time per database: a lock file beside it that names who holds it.

The operating system's own lock (flock on Linux and macOS, msvcrt.locking on Windows) decides;
it is released by the OS when the holder dies, so a crash never leaves the database locked. The
JSON inside only says who holds it, for the message. On a network share, where the OS lock may
not reach the other computer, the JSON is also honoured: a record from another computer that was
refreshed recently (``Lock.heartbeat``) refuses the open, unless the user forces it.

The command line does not take this lock: each command is one short transaction opened with
BEGIN IMMEDIATE, which SQLite's own locking already serialises against the app and other
commands. The lock is for the app, which shows cases on screen for hours and must not have a
second window or computer editing the same file behind it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path

from hoscase.errors import HoscaseError
from hoscase.store.safety import host_name, pid_alive

# A lock record from another computer counts as abandoned once it has not been refreshed for this long.
FOREIGN_STALE_AFTER = dt.timedelta(minutes=10)
HEARTBEAT_EVERY_SECONDS = 60
_WINDOWS_LOCK_OFFSET = 1 << 20  # lock a byte past the JSON so others can still read who holds it


def lock_path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


def _user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some Windows setups
        return "unknown user"


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _os_lock(fd: int) -> str:
    """Take the OS lock without waiting: "held", "busy" (another holds it) or "unsupported"."""
    if os.name == "nt":  # pragma: no cover - Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return "busy"
        except OSError:
            return "unsupported"
        return "held"
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return "busy"
    except OSError:
        # Some network filesystems refuse flock altogether; the JSON record is all there is.
        return "unsupported"
    return "held"


def _os_unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if os.name == "nt":  # pragma: no cover
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def read_holder(path: Path) -> dict | None:
    """Who the lock file says holds the database (None when empty or unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
        holder = json.loads(text) if text.strip() else None
    except (OSError, ValueError):
        return None
    return holder if isinstance(holder, dict) else None


def describe_holder(db_path: Path, holder: dict | None) -> str:
    if not holder:
        return f"{db_path} is open in another hoscase window"
    since = str(holder.get("since", "an unknown time"))
    with contextlib.suppress(ValueError):
        since = dt.datetime.fromisoformat(since).strftime("%d %B %Y %H:%M")
    return (f"{db_path} is open on {holder.get('host', 'another computer')} by {holder.get('user', 'someone')} "
            f"(process {holder.get('pid', '?')}) since {since}; close it there first")


class Lock:
    """The held lock on one database; ``release()`` when the window closes."""

    def __init__(self, db_path: Path, path: Path, fd: int, record: dict) -> None:
        self.db_path = db_path
        self.path = path
        self._fd: int | None = fd
        self.record = record

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _write(self) -> None:
        assert self._fd is not None
        data = json.dumps(self.record).encode("utf-8")
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, data)
        with contextlib.suppress(OSError):
            os.fsync(self._fd)

    def heartbeat(self) -> None:
        """Refresh the record so another computer on a share sees the lock is alive (call every minute)."""
        if self._fd is None:
            return
        self.record["seen"] = _now()
        with contextlib.suppress(OSError):
            self._write()

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        if os.name != "nt":
            # Remove the file while still holding the lock; a waiter re-checks it locked the file on disk.
            with contextlib.suppress(OSError):
                self.path.unlink()
        _os_unlock(fd)
        os.close(fd)

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release()


def _foreign_and_alive(holder: dict | None, here: str, now: dt.datetime) -> bool:
    """A record another computer wrote and refreshed recently: the OS lock may not reach across a share."""
    if not holder or holder.get("host") == here:
        return False
    try:
        seen = dt.datetime.fromisoformat(str(holder.get("seen") or holder.get("since")))
    except ValueError:
        return False
    return now - seen < FOREIGN_STALE_AFTER


def acquire_app_lock(db_path: Path | str, *, force: bool = False) -> Lock:
    """Take the lock on ``db_path`` for the life of an app window, or raise HoscaseError naming the holder.

    A lock left by a process that has died is taken over. ``force`` takes over a record left by
    another computer (only after the user confirms that computer no longer has it open).
    """
    db_path = Path(db_path)
    path = lock_path(db_path)
    here = host_name()
    for _attempt in range(5):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise HoscaseError(f"cannot create the lock file {path}: {exc.strerror or exc}") from None
        state = _os_lock(fd)
        if state == "busy":
            os.close(fd)
            raise HoscaseError(describe_holder(db_path, read_holder(path)))
        # The holder may have removed the file between our open and our lock: lock the file on disk.
        if os.name != "nt":
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                _os_unlock(fd)
                os.close(fd)
                continue
        holder = read_holder(path)
        now = dt.datetime.now().astimezone()
        if holder and not force:
            foreign = _foreign_and_alive(holder, here, now)
            # Where the OS lock works, a holder on this computer that let it go has died: take over.
            same_host_alive = (state == "unsupported" and holder.get("host") == here
                               and str(holder.get("pid", "")).isdigit() and pid_alive(int(holder["pid"])))
            if foreign or same_host_alive:
                _os_unlock(fd)
                os.close(fd)
                raise HoscaseError(describe_holder(db_path, holder)
                                   + ("; if that computer is off, open it anyway" if foreign else ""))
        stamp = _now()
        record = {"host": here, "user": _user(), "pid": os.getpid(), "since": stamp, "seen": stamp,
                  "database": str(db_path)}
        lock = Lock(db_path, path, fd, record)
        try:
            lock._write()
        except OSError as exc:
            lock.release()
            raise HoscaseError(f"cannot write the lock file {path}: {exc.strerror or exc}") from None
        return lock
    raise HoscaseError(f"could not take the lock on {db_path}: it kept changing; try again")
