"""Render one view of the app offscreen to a PNG (for the README's pictures and for looking at changes)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication

from hoscase.errors import HoscaseError

VIEWS = ("worklist", "cases", "calendar", "case", "selfassessment", "reports", "settings", "service_requests", "data",
         "setup")
SETUP_PAGES = 6  # the first-run wizard: welcome, organisation, contact, handlers, year, summary
DEFAULT_SIZE = (1280, 800)
SETUP_SIZE = (760, 580)  # the wizard is a dialog, not the main window


def _settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def render(db_path: Path, view: str, out: Path, size: tuple[int, int] | None = None, case: str | None = None,
           today: dt.date | None = None, page: int = 1) -> Path:
    """Open ``db_path``, show ``view`` at ``size`` and save it to ``out``; returns the file written.

    ``setup`` is the first-run wizard, shown (never run modally, so nothing waits for a click) at its page
    ``page`` (1 is the welcome); nothing is saved. Without ``size`` the main window is 1280x800, the wizard 760x580.
    """
    from hoscase.gui.app import make_application
    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow
    from hoscase.store import Store

    if view not in VIEWS:
        raise HoscaseError(f"view must be one of: {', '.join(VIEWS)}")
    if not Path(db_path).exists():
        raise HoscaseError(f"no database at {db_path}")
    if view == "setup" and not 1 <= int(page) <= SETUP_PAGES:
        raise HoscaseError(f"the setup page must be 1 to {SETUP_PAGES}, not {page}")
    if size is None:
        size = SETUP_SIZE if view == "setup" else DEFAULT_SIZE
    app = make_application()
    store = Store(db_path, create=False)
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "screenshot.ini"), QSettings.IniFormat)  # never the user's own
        try:
            ctx = AppContext(store, today=today)
            if view == "setup":
                return _render_setup(app, ctx, Path(out), size, int(page))
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
            if view == "data":
                _wait_for_checks(app, window.show_page("data"))
            out = _save(target.grab(), Path(out))
            for w in list(window.case_windows.values()):
                w.close()
            window.close()
            window.deleteLater()
            _settle(app)
        finally:
            store.close()
    return out


def _save(image, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise HoscaseError(f"could not write {out}")
    return out


def _render_setup(app: QApplication, ctx, out: Path, size: tuple[int, int], page: int) -> Path:
    """The first-run wizard at ``page``, as the officer sees it; shown, grabbed and closed without saving."""
    from hoscase.gui.dialogs.first_run import FirstRunWizard

    wizard = FirstRunWizard(ctx)
    try:
        if page > 1:
            # Straight to the page, without the checks Next runs (an empty database could not get past them):
            # a picture of a page, not a setup. Back shows, greyed, as it would part-way through.
            wizard.setOption(wizard.WizardOption.NoBackButtonOnStartPage, False)
            wizard.setStartId(wizard.pageIds()[page - 1])
        wizard.resize(*size)
        wizard.show()
        _settle(app)
        return _save(wizard.grab(), out)
    finally:
        wizard.close()
        wizard.deleteLater()
        # Gone now, not at some later event loop: the next render restyles every widget still alive.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        _settle(app)


def _wait_for_checks(app: QApplication, page, seconds: float = 20.0) -> None:
    """Let the Backups page finish checking its backups, so the picture shows the results, not "Checking…"."""
    import time

    ends = time.monotonic() + seconds
    while getattr(page, "checks_pending", lambda: False)() and time.monotonic() < ends:
        app.processEvents()
        time.sleep(0.02)
    _settle(app)


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
