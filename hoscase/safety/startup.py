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
               now: dt.datetime | None = None) -> Store:
    """A Store on ``path`` after the safety steps; ``warn`` receives each warning as one line of text.

    The Store itself runs quick_check (integrity_check after an unclean shutdown) and raises
    DamagedDatabaseError for a damaged file; this adds the network/cloud warning and the first
    backup of the day. A failed daily backup is a warning, not a reason to refuse to work.
    """
    warn = warn or (lambda _text: None)
    warning = storage_warning(path)
    if warning:
        warn(warning.message)
    store = Store(path)
    try:
        daily_backup(store, now=now)
    except HoscaseError as exc:
        warn(f"today's backup could not be taken: {exc}")
    return store


def open_database_for_app(path: Path | str, warn: Callable[[str], None],
                          offer_restore: Callable[[str, Path], bool] | None = None) -> Store:
    """``open_store`` for the desktop app, which already holds the app lock on ``path``.

    When the file turns out damaged (it has been moved aside), ``offer_restore(message, backup)``
    asks the officer; on yes the newest good backup is restored and opened.
    """
    try:
        return open_store(path, warn=warn)
    except DamagedDatabaseError as exc:
        if exc.backup is None or offer_restore is None or not offer_restore(str(exc), exc.backup):
            raise
        restore_backup(path, exc.backup, lock_held=True)
        warn(f"The backup {exc.backup.name} was restored; anything entered after it was taken must be entered again.")
        return open_store(path, warn=warn)
