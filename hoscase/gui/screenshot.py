"""Render one view of the app offscreen to a PNG (for the README's pictures and for looking at changes)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from hoscase.errors import HoscaseError

VIEWS = ("worklist", "cases", "calendar", "case", "selfassessment", "reports", "settings", "service_requests")


def _settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def render(db_path: Path, view: str, out: Path, size: tuple[int, int] = (1280, 800), case: str | None = None,
           today: dt.date | None = None) -> Path:
    """Open ``db_path``, show ``view`` at ``size`` and save it to ``out``; returns the file written."""
    from hoscase.gui.app import make_application
    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow
    from hoscase.store import Store

    if view not in VIEWS:
        raise HoscaseError(f"view must be one of: {', '.join(VIEWS)}")
    if not Path(db_path).exists():
        raise HoscaseError(f"no database at {db_path}")
    app = make_application()
    store = Store(db_path, create=False)
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "screenshot.ini"), QSettings.IniFormat)  # never the user's own
        try:
            ctx = AppContext(store, today=today)
            window = MainWindow(ctx, settings)
            window.resize(*size)
            if view == "case":
                reference = case or _first_open_case(ctx)
                if reference is None:
                    raise HoscaseError("there are no cases to show")
                reference = ctx.service.get(reference).reference  # a clear error, not a message box
                target = window.open_case(reference)
                if target is None:
                    raise HoscaseError(f"no case with reference {reference!r}")
                target.resize(*size)
            else:
                _stage(window.show_page(view), view, ctx)
                target = window
            target.show()
            _settle(app)
            image = target.grab()
            out = Path(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(out), "PNG"):
                raise HoscaseError(f"could not write {out}")
            for w in list(window.case_windows.values()):
                w.close()
            window.close()
            window.deleteLater()
            _settle(app)
        finally:
            store.close()
    return out


def _first_open_case(ctx) -> str | None:
    deadlines = ctx.service.open_deadlines()
    if deadlines:
        return deadlines[0]["reference"]
    ids = ctx.store.register_ids({}, "received", True)
    rows = ctx.store.register_rows(ids[:1])
    return rows[0]["reference"] if rows else None


def _stage(page, view: str, ctx) -> None:
    """Show each page as a newcomer should first see it: the parts that explain it, not an empty corner."""
    if view == "selfassessment" and hasattr(page, "select_provision"):
        page.select_provision("6.2")  # a timescale provision, with the evidence drawn from the records beside it
    elif view == "calendar" and hasattr(page, "select_day"):
        page.ensure_loaded()
        buckets = getattr(page, "buckets", None)
        days = sorted(d for d in getattr(buckets, "by_day", {}) if d >= ctx.today)
        if days and (days[0].year, days[0].month) == (ctx.today.year, ctx.today.month):
            page.select_day(days[0])  # the next day with deadlines, its cases listed
