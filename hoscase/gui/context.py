"""What every page of the desktop app shares: the open store, the case service, and change signals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from hoscase.cases import CaseService
from hoscase.store import Store


class AppContext(QObject):
    """One per open database. Pages listen to the signals to refresh what they show."""

    cases_changed = Signal()  # a case was added or changed
    settings_changed = Signal()  # settings, handlers, categories or closure days changed
    case_opened = Signal(str)  # a page asked for a case window, by reference
    page_requested = Signal(str)  # a page asked the main window to show another page, by key

    def __init__(self, store: Store, *, today: dt.date | None = None, data_folder: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.service = CaseService(store, today=today)
        self.data_folder = data_folder or store.path.parent
        self._fixed_today = today

    def replace_store(self, store: Store) -> None:
        """Use a re-opened database (after a restore from the Backups page); the old Store is already closed."""
        self.store = store
        self.service = CaseService(store, today=self._fixed_today)

    @property
    def today(self) -> dt.date:
        return self.service.today
