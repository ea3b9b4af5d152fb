"""Opening a database the safe way: warn about its location, check it, back it up once a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from hoscase.errors import HoscaseError
from hoscase.safety.backup import daily_backup, restore_backup
from hoscase.safety.location import storage_warning
from hoscase.store import Store
from hoscase.store.safety import DamagedDatabaseError


def open_store(path: Path | str, *, warn: Callable[[str], None] | None = None,
               now: dt.datetime | None = None, defer_check: bool = False) -> Store:
    """A Store on ``path`` after the safety steps; ``warn`` receives each warning as one line of text.

    The Store itself runs quick_check (integrity_check after an unclean shutdown) and raises
    DamagedDatabaseError for a damaged file; this adds the network/cloud warning and the first
    backup of the day. A failed daily backup is a warning, not a reason to refuse to work.

    With ``defer_check`` the check runs in the background and the backup waits for it: the caller
    must call ``finish_opening`` (which raises DamagedDatabaseError) before anything is written.
    """
    warn = warn or (lambda _text: None)
    warning = storage_warning(path)
    if warning:
        warn(warning.message)
    store = Store(path, check_in_background=defer_check)
    if not store.check_pending:
        take_daily_backup(store, warn, now)
    return store


def take_daily_backup(store: Store, warn: Callable[[str], None], now: dt.datetime | None = None) -> None:
    try:
        daily_backup(store, now=now)
    except HoscaseError as exc:
        warn(f"today's backup could not be taken: {exc}")


def finish_opening(store: Store, warn: Callable[[str], None], now: dt.datetime | None = None) -> None:
    """After ``open_store(defer_check=True)``: wait for the check, then take the day's first backup.

    Raises DamagedDatabaseError (the file closed and moved aside) when the check failed.
    """
    if not store.check_pending:
        return
    store.wait_for_check()
    take_daily_backup(store, warn, now)


def open_database_for_app(path: Path | str, warn: Callable[[str], None],
                          offer_restore: Callable[[str, Path], bool] | None = None, *,
                          defer_check: bool = False) -> Store:
    """``open_store`` for the desktop app, which already holds the app lock on ``path``.

    When the file turns out damaged (it has been moved aside), ``offer_restore(message, backup)``
    asks the officer; on yes the newest good backup is restored and opened. With ``defer_check``
    the damage may only show in ``finish_opening``: pass that error to ``restore_after_damage``.
    """
    try:
        return open_store(path, warn=warn, defer_check=defer_check)
    except DamagedDatabaseError as exc:
        return restore_after_damage(path, exc, warn, offer_restore)


def restore_after_damage(path: Path | str, exc: DamagedDatabaseError, warn: Callable[[str], None],
                         offer_restore: Callable[[str, Path], bool] | None) -> Store:
    """The file was damaged and moved aside: offer the newest good backup; re-raises ``exc`` on no."""
    if exc.backup is None or offer_restore is None or not offer_restore(str(exc), exc.backup):
        raise exc
    restore_backup(path, exc.backup, lock_held=True)
    warn(f"The backup {exc.backup.name} was restored; anything entered after it was taken must be entered again.")
    return open_store(path, warn=warn)
