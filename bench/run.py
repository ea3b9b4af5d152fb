"""Every speed figure of hoscase against what a small landlord would otherwise use, in one run.

    .venv/bin/python -m bench.run --sizes 1000,10000,100000 [--json out.json] [--only launch,deadlines]

For each size, seeds a temporary database with that many synthetic cases (bench/seed.py's register, made
realistic here: both stages, extensions, refusals, withdrawals, remedies, actions, closure days) and measures
the launch, the register's search, the calendar, a case window and the open deadlines. Then, once per run:
letters (against Word-style documents converted by LibreOffice), the annual report, an import, a backup and
peak memory. Each comparison is measured in the same run on the same machine, so the ratio is the figure.
A piece whose module is not there yet is reported "not available"; LibreOffice missing is a skipped row.
Not a test: nothing here fails a build. docs/benchmarks.md holds the figures and what limits them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PER_SIZE = ("launch", "search", "calendar", "case_window", "deadlines")
ONCE = ("letter", "import", "report", "backup", "memory")
MEASURES = PER_SIZE + ONCE
BIG = 100_000  # the register size for the backup and the peak memory
LETTER_KIND = "stage1-response"
ORGANISATION = {
    "name": "St Wilfrid's Almshouse Charity", "address": "The Clerk's Office\n4 Hospital Yard\nLudlow\nSY8 1AB",
    "phone": "01584 000 111", "email": "complaints@stwilfrids.example", "website": "www.stwilfrids.example",
    "signatory": "Priya Shah", "signatory_role": "Complaints Officer", "homes": 25_000,
}
REASONS = ("We looked at the repair records, spoke to the contractor and visited the home. The appointment on "
           "the 12th was missed without notice and the follow-up was not booked, which was a failure of service.")


@dataclass
class Row:
    """One line of the table: a figure, and where there is one its floor, ratio and target."""

    key: str
    label: str
    size: int | None = None
    value: float | None = None
    unit: str = "ms"
    floor_label: str = ""
    floor: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


class NotAvailable(Exception):
    """A piece of the app this row measures is not built yet (or fails to import)."""


def _import(module: str, names: str = ""):
    """Import a piece of the app, turning its absence into NotAvailable so the run goes on."""
    import importlib

    try:
        mod = importlib.import_module(module)
        return [getattr(mod, n) for n in names.split()] if names else mod
    except (ImportError, AttributeError) as exc:
        raise NotAvailable(f"{module}: {exc}") from None


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call; bench/bench_calendar.py's helper when it is there."""
    try:
        from bench.bench_calendar import timed as theirs
    except Exception:  # noqa: BLE001 - their script mid-edit must not stop the run
        theirs = None
    if theirs is not None:
        return theirs(fn, repeat)
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- seeding -------------------------------------------------------------


def seed_realistic(store, count: int, today: dt.date, seed: int = 7) -> dict[str, int]:
    """bench/seed.py's register, then the rest of a real one: stage 2s, extensions, refusals, remedies.

    seed.py writes stage 1 of every case (most closed, a few hundred open); this pass turns shares of them
    into what a real register also holds, through the Store's own insert and update methods in one
    transaction. Returns how many cases of each kind were made."""
    from bench.seed import seed_cases
    from hoscase.rules import REFUSAL_REASONS
    from hoscase.workdays import WorkingCalendar

    with store.transaction():
        store.put_setting("organisation", ORGANISATION)
        store.put_handler("Priya Shah", "Complaints Officer")
        store.put_handler("Grace Okafor", "Head of Housing Services")
        for year in range(today.year - 10, today.year + 2):  # the office shuts between Christmas and New Year
            for day in (27, 28, 29, 30, 31):
                store.put_closure_day(f"{year}-12-{day:02d}", "Office closed for Christmas")
    seed_cases(store, count, today=today, seed=seed)
    closures = {dt.date.fromisoformat(d): n for d, n in store.closure_days().items()}
    calendar = WorkingCalendar(closures)
    rng = random.Random(seed + 1)
    rows = store.query("""SELECT c.id, c.status, c.received, s.acknowledged, s.responded, s.handler
                          FROM cases c JOIN stages s ON s.case_id = c.id AND s.stage = 1 ORDER BY c.id""")
    made = dict.fromkeys(("refused", "withdrawn", "stage2", "stage2_open", "extended", "remedies", "actions",
                          "responded_not_closed"), 0)
    reasons = list(REFUSAL_REASONS)

    def on_or_before_today(day: dt.date) -> dt.date | None:
        return day if day <= today else None

    with store.transaction():
        for r in rows:
            case_id, status = r["id"], r["status"]
            received = dt.date.fromisoformat(r["received"])
            ack = dt.date.fromisoformat(r["acknowledged"]) if r["acknowledged"] else None
            if status != "closed":  # open at stage 1: some have agreed an extension
                if ack and rng.random() < 0.15:
                    store.insert_extension({"case_id": case_id, "stage": 1, "agreed_on": ack.isoformat(),
                                            "working_days": rng.choice([5, 10]), "reason": "Awaiting a survey",
                                            "good_reason": 0})
                    made["extended"] += 1
                continue
            roll = rng.random()
            if roll < 0.03:
                store.update_stage(case_id, 1, {"responded": None, "decision": None, "acknowledged": None})
                store.update_case(case_id, {
                    "status": "refused", "closed_on": None, "refused_on": calendar.add(received, 2).isoformat(),
                    "refusal_reason": rng.choice(reasons),
                    "refusal_explanation": "The issue was raised more than twelve months after it occurred."})
                made["refused"] += 1
                continue
            if roll < 0.04:
                store.update_stage(case_id, 1, {"responded": None, "decision": None})
                store.update_case(case_id, {"status": "withdrawn", "closed_on": None,
                                            "withdrawn_on": calendar.add(received, 3).isoformat(),
                                            "withdrawn_reason": "The resident said the repair is now done."})
                made["withdrawn"] += 1
                continue
            responded = dt.date.fromisoformat(r["responded"])
            store.update_stage(case_id, 1, {"reasons": REASONS})
            if rng.random() < 0.10:
                store.insert_extension({"case_id": case_id, "stage": 1, "agreed_on": (ack or received).isoformat(),
                                        "working_days": rng.choice([5, 5, 10, 15]), "reason": "Awaiting the surveyor",
                                        "good_reason": int(rng.random() < 0.3)})
                made["extended"] += 1
            if rng.random() < 0.25:
                store.insert_remedy({"case_id": case_id, "stage": 1, "kind": "apology",
                                     "description": "We apologise for the missed appointments.", "amount_pence": None,
                                     "due": None, "done": responded.isoformat()})
                if rng.random() < 0.4:  # paid within four weeks; the last few weeks' still outstanding
                    due = responded + dt.timedelta(days=20)
                    paid = due - dt.timedelta(days=rng.randint(0, 10))
                    store.insert_remedy({"case_id": case_id, "stage": 1, "kind": "compensation",
                                         "description": "For time and trouble", "due": due.isoformat(),
                                         "amount_pence": rng.randint(2, 40) * 2500,
                                         "done": paid.isoformat() if paid < today - dt.timedelta(days=14) else None})
                made["remedies"] += 1
            if rng.random() < 0.05:
                due = responded + dt.timedelta(days=28)
                store.insert_action({"case_id": case_id, "stage": 1, "description": "Replace the kitchen cupboard",
                                     "owner": "Repairs team", "due": due.isoformat(),
                                     "done": due.isoformat() if due < today - dt.timedelta(days=14) else None})
                made["actions"] += 1
            if rng.random() < 0.12:  # escalated: stage 2 with a different handler (6.13)
                requested = on_or_before_today(responded + dt.timedelta(days=rng.randint(1, 14)))
                if requested is None:
                    continue
                s2_ack = on_or_before_today(calendar.add(requested, rng.randint(1, 5)))
                s2_resp = s2_ack and on_or_before_today(calendar.add(s2_ack, rng.randint(8, 22)))
                store.insert_stage({"case_id": case_id, "stage": 2, "received": requested.isoformat(),
                                    "handler": "Grace Okafor", "definition": "",
                                    "acknowledged": s2_ack.isoformat() if s2_ack else None,
                                    "responded": s2_resp.isoformat() if s2_resp else None,
                                    "decision": rng.choice(["upheld", "partly-upheld", "not-upheld"]) if s2_resp else None,
                                    "reasons": REASONS if s2_resp else ""})
                if s2_resp:
                    store.update_case(case_id, {"status": "closed", "closed_on": s2_resp.isoformat()})
                    made["stage2"] += 1
                else:
                    status = "stage2-awaiting-response" if s2_ack else "stage2-awaiting-acknowledgement"
                    store.update_case(case_id, {"status": status, "closed_on": None})
                    made["stage2_open"] += 1
            elif (today - responded).days < 40 and rng.random() < 0.5:  # responded, not yet closed
                store.update_case(case_id, {"status": "stage1-responded", "closed_on": None})
                made["responded_not_closed"] += 1
    return made


def seed_database(path: Path, count: int, today: dt.date) -> tuple[float, dict]:
    """A fresh database at ``path`` with ``count`` realistic cases; returns (seconds, what was made)."""
    from hoscase.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    with Store(path) as store:
        made = seed_realistic(store, count, today)
        made["open"] = len(store.open_stage_rows())
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started, made


# --- launch and memory: a fresh process each time --------------------------

# Run as `python -c CHILD mode db`: a real launch (hoscase's own entry point, as the `hoscase` console script
# calls it) or a bare QMainWindow, with the same hook in both reporting the moment the first paint of the
# main window has finished. The hook is installed when PySide6.QtWidgets is first imported, by whoever
# imports it: the child itself imports nothing of PySide6 first, so the app's own import order is measured.
CHILD = r"""
import json, os, sys, time
mode, db = sys.argv[1], sys.argv[2]
# hoscase does not depend on numpy; the bench extra installs it, and sqlite-utils imports it when it is
# there (80 ms, 15 MB). The app as shipped never pays that, so neither does the measured launch.
sys.modules["numpy"] = None

def status():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmHWM", "VmRSS")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024
    import resource
    out["maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out

def report(window):
    from PySide6.QtWidgets import QApplication
    out = {"painted": time.time()}
    # What the app does right after its first paint before it takes input (it waits there for the check on
    # opening, if that is still running): reported beside the launch, not in it.
    QApplication.instance().processEvents()
    out["settled"] = time.time()
    if mode.endswith("-memory"):
        app = QApplication.instance()
        out["before"] = status()
        for key in ("cases", "calendar", "worklist"):
            if hasattr(window, "show_page"):
                window.show_page(key)
                app.processEvents()
                page = window.pages.get(key) if hasattr(window, "pages") else None
                table = getattr(page, "table", None)
                if table is not None:  # scroll the whole register, as the officer would
                    rows = table.model().rowCount()
                    for row in range(0, rows, max(rows // 50, 1)):
                        table.scrollTo(table.model().index(row, 0))
                        table.viewport().repaint()
                    out["register_rows"] = rows
        reference = os.environ.get("BENCH_CASE")
        if reference and hasattr(window, "open_case"):
            window.open_case(reference)
            app.processEvents()
    out.update(status())
    print("BENCH " + json.dumps(out), flush=True)
    # Close as the officer would, so the store marks a clean shutdown: a killed process would make the
    # next launch run the full integrity check, which is not what a normal launch costs.
    QApplication.instance().closeAllWindows()
    QApplication.instance().quit()

def hook_first_paint(widgets):
    # Called once PySide6.QtWidgets has been imported, by whoever imports it first (hoscase itself, in
    # the app): QMainWindow.show installs a filter that reports the end of the window's first paint.
    from PySide6.QtCore import QEvent, QObject, QTimer
    QApplication, QMainWindow = widgets.QApplication, widgets.QMainWindow

    class Painted(QObject):
        def __init__(self, window):
            super().__init__()
            self.window = window

        def eventFilter(self, obj, event):
            if self.window is not None and event.type() == QEvent.Paint and obj.isWidgetType() and obj.window() is self.window:
                window, self.window = self.window, None
                QApplication.instance().removeEventFilter(self)
                QTimer.singleShot(0, lambda: report(window))
            return False

    hooks = []
    original_show = QMainWindow.show
    def show(self):
        if not hooks and QApplication.instance() is not None:
            hooks.append(Painted(self))
            QApplication.instance().installEventFilter(hooks[0])
        original_show(self)
    QMainWindow.show = show

class AfterQtWidgets:
    # An import hook, so the child imports nothing of PySide6 before the code it measures does: a real
    # `hoscase --db FILE` imports hoscase.cli first, and PySide6 only when (and where) hoscase asks for it.
    def find_spec(self, name, path=None, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            hook_first_paint(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, AfterQtWidgets())

if mode.startswith("app"):
    # What the `hoscase` console script does, with `hoscase --db FILE`.
    sys.argv = ["hoscase", "--db", db]
    from hoscase.cli import main
    sys.exit(main())
else:
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)
    window.show()
    sys.exit(app.exec())
"""


def child_env(home: Path) -> dict[str, str]:
    """Offscreen, with a fresh settings folder so no saved window state or page changes what is measured."""
    env = dict(os.environ)
    # An installed hoscase has its bytecode cached (pip compiles a wheel's modules; a bundle ships them; a checkout
    # writes them on its first run). Where the environment forbids writing it, every launch would compile
    # hoscase's own modules again (35 ms), which no officer's launch does: the warm-up launch writes them.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), PYTHONPATH=str(ROOT))
    return env


def launch_once(mode: str, db: Path, home: Path, extra_env: dict | None = None) -> dict:
    """One fresh process; returns the child's report with ``ms`` from before the process started to painted."""
    env = child_env(home)
    env.update(extra_env or {})
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(db)], env=env, capture_output=True, text=True,
                          timeout=600, cwd=str(home))
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            out = json.loads(line[6:])
            out["ms"] = (out["painted"] - started) * 1000
            out["settled_ms"] = (out.get("settled", out["painted"]) - started) * 1000
            return out
    raise RuntimeError(f"{mode} launch did not paint (exit {done.returncode}): {done.stderr.strip()[-600:]}")


def measure_launch(db: Path, home: Path, size: int, repeat: int) -> list[Row]:
    launch_once("app", db, home)  # the first run pays for the OS file cache and writes the bytecode, as an install does
    launch_once("bare", db, home)
    app_ms, bare_ms, ready_ms = [], [], []
    for _ in range(repeat):  # interleaved, so a busy moment of the machine hits both
        run = launch_once("app", db, home)
        app_ms.append(run["ms"])
        ready_ms.append(run["settled_ms"])
        bare_ms.append(launch_once("bare", db, home)["ms"])
    app, bare = median(app_ms), median(bare_ms)
    ratio = app / bare
    return [Row("launch", "launch to main window painted", size, app, floor_label="bare PySide6 QMainWindow",
                floor=bare, ratio=ratio, target="≤ 2.5× floor", met=ratio <= 2.5,
                note=f"median of {repeat} fresh processes each; app runs {min(app_ms):.0f}–{max(app_ms):.0f} ms; "
                     f"the check on opening passed and input taken at {median(ready_ms):.0f} ms (median)")]


def measure_memory(db: Path, home: Path, reference: str | None) -> list[Row]:
    app = launch_once("app-memory", db, home, {"BENCH_CASE": reference or ""})
    bare = launch_once("bare-memory", db, home)
    peak = app.get("VmHWM", app["maxrss"])
    rows = app.get("register_rows")
    note = (f"peak RSS after painting the main window, paging through the whole register ({rows:,} rows), the calendar, "
            f"the work list and a case window; {app['before'].get('VmHWM', 0):.0f} MB at first paint"
            if rows else "peak RSS at first paint (the pages could not be opened)")
    return [Row("memory", f"peak memory, {BIG:,} cases open", BIG, peak, unit="MB",
                floor_label="bare QMainWindow", floor=bare.get("VmHWM", bare["maxrss"]),
                ratio=peak / bare.get("VmHWM", bare["maxrss"]), target="< 300 MB", met=peak < 300, note=note)]


# --- in-process GUI measurements -----------------------------------------


def qt_app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    def quiet(_mode, _context, message: str) -> None:  # the offscreen platform's note on every window
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    if QApplication.instance() is None:
        qInstallMessageHandler(quiet)
    return QApplication.instance() or QApplication([sys.argv[0]])


def make_context(store, today: dt.date):
    (AppContext,) = _import("hoscase.gui.context", "AppContext")
    return AppContext(store, today=today)


def search_words(store) -> list[str]:
    """What an officer types: a surname, a street, part of a reference."""
    row = store.query("SELECT reference, resident_name, address FROM cases ORDER BY id LIMIT 1 OFFSET "
                      "(SELECT COUNT(*) / 2 FROM cases)")[0]
    surname = row["resident_name"].split()[-1]
    street = " ".join(row["address"].split("\n")[0].split()[1:3])
    return [surname.lower(), street.lower(), row["reference"][:8]]


def measure_search(store, today: dt.date, size: int) -> list[Row]:
    (CasesPage,) = _import("hoscase.gui.pages.cases", "CasesPage")
    from PySide6.QtTest import QTest

    app = qt_app()
    ctx = make_context(store, today)
    page = CasesPage(ctx)
    page.resize(1280, 800)
    page.show()
    page.refresh()
    app.processEvents()
    timer = getattr(page, "_search_timer", None)
    debounce = timer.interval() if timer is not None else 0
    if timer is not None:
        timer.setInterval(0)  # the deliberate pause after typing is not work: measured without it
    resets = [0]
    page.model.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))

    def wait(before: int) -> None:
        limit = time.perf_counter() + 10
        while resets[0] == before and time.perf_counter() < limit:
            app.processEvents()

    latencies, found = [], []
    for word in search_words(store) * 2:
        before = resets[0]
        page.search.clear()
        wait(before)
        for ch in word:
            before = resets[0]
            start = time.perf_counter()
            QTest.keyClick(page.search, ch)
            wait(before)
            page.table.viewport().repaint()  # the matching rows painted
            latencies.append((time.perf_counter() - start) * 1000)
        found.append(page.model.rowCount())
    page.close()
    page.deleteLater()
    app.processEvents()
    worst = max(latencies)
    return [Row("search", "search as you type (keystroke to rows painted)", size, median(latencies),
                target="< 50 ms", met=worst < 50,
                note=f"median of {len(latencies)} keystrokes, worst {worst:.1f} ms; plus the {debounce} ms pause "
                     f"after typing stops; final queries matched {min(found):,}–{max(found):,} cases")]


def measure_search_bench_gui(db: Path, size: int) -> list[Row]:
    """Search as bench/bench_gui.py measures it (its register child, a fresh process on the same database)."""
    try:
        from bench import bench_gui
    except Exception as exc:  # noqa: BLE001 - absent or mid-edit: this run measures search itself
        raise NotAvailable(f"bench/bench_gui.py: {exc}") from None
    try:
        register = bench_gui._run_child("register", str(db))
    except SystemExit as exc:  # its way of reporting a failed child
        raise RuntimeError(f"bench_gui register child failed: {str(exc)[-300:]}") from None
    keystrokes = [ms for word in register["search"].values() for ms in word["per_keystroke_ms"]]
    worst = max(keystrokes)
    words = ", ".join(f"{w!r} {v['rows']:,}" for w, v in register["search"].items())
    return [Row("search", "search as you type (keystroke to rows painted)", size, median(keystrokes),
                target="< 50 ms", met=worst < 50,
                note=f"bench/bench_gui.py: median of {len(keystrokes)} keystrokes, worst {worst:.1f} ms, after the "
                     f"150 ms typing pause; final matches {words}; Cases page opened in "
                     f"{register['open_cases_page_ms']:.0f} ms, scroll to the bottom {register['scroll_to_bottom_ms']:.0f} ms, "
                     f"sort by reference {register['sort_by_reference_ms']:.0f} ms, year filter "
                     f"{register['year_filter_ms']:.0f} ms")]


def measure_calendar(store, today: dt.date, size: int) -> list[Row]:
    (CalendarPage,) = _import("hoscase.gui.pages.calendar", "CalendarPage")
    app = qt_app()
    ctx = make_context(store, today)
    start = time.perf_counter()
    page = CalendarPage(ctx)
    page.resize(1280, 820)
    page.show()
    app.processEvents()
    opened = (time.perf_counter() - start) * 1000
    refresh = timed(page.refresh, 3)
    months = iter([(today.year + (today.month - 1 + k) // 12, (today.month - 1 + k) % 12 + 1)
                   for k in range(-6, 6)] * 10)

    def render_month() -> None:
        year, month = next(months)
        page.show_month(year, month)
        page.view.viewport().repaint()

    timed(render_month, 1)  # the first paint fills Qt's glyph caches
    render = timed(render_month, 60)
    page.close()
    page.deleteLater()
    app.processEvents()
    return [Row("calendar", "calendar month render", size, median(render), target="< 100 ms", met=max(render) < 100,
                note=f"median of 60 months paged, worst {max(render):.1f} ms; opening the page "
                     f"{opened:.0f} ms, re-reading every deadline {median(refresh):.0f} ms")]


def sample_references(store, n: int) -> list[str]:
    """Cases with the most to show: stage 2s with remedies first, then open ones."""
    rows = store.query("""SELECT c.reference FROM cases c WHERE EXISTS (SELECT 1 FROM stages s WHERE s.case_id = c.id
                          AND s.stage = 2) AND EXISTS (SELECT 1 FROM remedies r WHERE r.case_id = c.id)
                          ORDER BY c.id LIMIT ?""", (n // 2,))
    rows += store.query("SELECT reference FROM cases WHERE status LIKE 'stage1-awaiting%' ORDER BY id LIMIT ?",
                        (n - len(rows),))
    return [r["reference"] for r in rows]


def measure_case_window(store, today: dt.date, size: int, home: Path) -> list[Row]:
    (CaseWindow,) = _import("hoscase.gui.case_window", "CaseWindow")
    from PySide6.QtCore import QSettings

    app = qt_app()
    ctx = make_context(store, today)
    settings = QSettings(str(home / "case_window.ini"), QSettings.IniFormat)
    refs = sample_references(store, 12)
    if not refs:
        raise NotAvailable("no case to open")

    def open_one(reference: str) -> float:
        start = time.perf_counter()
        window = CaseWindow(ctx, reference, settings=settings)
        window.show()
        app.processEvents()
        window.repaint()
        took = (time.perf_counter() - start) * 1000
        window.close()
        window.deleteLater()
        app.processEvents()
        return took

    open_one(refs[0])  # warm: the first window loads its .ui forms and icons
    times = [open_one(r) for r in refs]
    return [Row("case_window", "opening a case window (to painted)", size, median(times), target="",
                note=f"median of {len(times)} cases (stage 2 with remedies, and open ones), worst {max(times):.0f} ms")]


# --- deadlines against numpy ------------------------------------------------


def numpy_deadlines(np, rows: list[dict], busdaycal) -> tuple:
    """The same due dates with numpy: acknowledge 5 working days after receipt, respond 10 (stage 2: 20)
    plus extensions after the acknowledgement or its due date, sorted by due date then reference.

    roll='backward' matches WorkingCalendar.add: a start on a non-working day counts from the next working day."""
    received = np.array([r["received"] for r in rows], dtype="datetime64[D]")
    acknowledged = np.array([r["acknowledged"] or "NaT" for r in rows], dtype="datetime64[D]")
    days = np.array([(10 if r["stage"] == 1 else 20) + r["extension_working_days"] for r in rows])
    references = np.array([r["reference"] for r in rows])
    acknowledge_due = np.busday_offset(received, 5, roll="backward", busdaycal=busdaycal)
    waiting = np.isnat(acknowledged)
    respond_due = np.busday_offset(np.where(waiting, acknowledge_due, acknowledged), days, roll="backward",
                                   busdaycal=busdaycal)
    due = np.where(waiting, acknowledge_due, respond_due)
    order = np.lexsort((references, due))
    return due[order], references[order]


def measure_deadlines(store, today: dt.date, size: int, repeat: int) -> list[Row]:
    from hoscase.cases import CaseService
    from hoscase.workdays import bank_holidays

    try:
        import numpy as np
    except ImportError:
        raise NotAvailable("numpy is not installed (pip install -e '.[bench]')") from None
    service = CaseService(store, who="bench", today=today)
    calendar = service.calendar  # built once per session by the app; numpy's calendar likewise below
    holidays = sorted(set(bank_holidays()) | set(calendar.closures))
    busdaycal = np.busdaycalendar(weekmask="1111100", holidays=np.array([d.isoformat() for d in holidays],
                                                                         dtype="datetime64[D]"))
    rows = store.open_stage_rows()
    if not rows:
        raise NotAvailable("no open case to work out")
    ours = service.open_deadlines()
    due, references = numpy_deadlines(np, rows, busdaycal)
    same = (len(ours) == len(due) and [r["reference"] for r in ours] == references.tolist()
            and all(r["due"] == d.item() for r, d in zip(ours, due)))
    whole = timed(service.open_deadlines, repeat)
    fetch = timed(store.open_stage_rows, repeat)
    original = store.open_stage_rows
    store.open_stage_rows = lambda: rows  # the same rows in memory for both: the arithmetic alone
    try:
        compute = timed(service.open_deadlines, repeat)
    finally:
        del store.open_stage_rows
    assert store.open_stage_rows == original
    floor = timed(lambda: numpy_deadlines(np, rows, busdaycal), repeat)
    ratio = median(compute) / median(floor)
    note = (f"{len(rows):,} open stages; rows already read for both (the app's open_deadlines with its query: "
            f"{median(whole):.2f} ms, of which the query {median(fetch):.2f} ms); "
            + ("numpy's due dates and order are identical" if same else "NUMPY'S DATES DIFFER"))
    return [Row("deadlines", "every open deadline worked out", size, median(compute),
                floor_label="numpy busday_offset", floor=median(floor), ratio=ratio, target="≤ 3× floor",
                met=ratio <= 3 and same, note=note)]


# --- letters against LibreOffice ----------------------------------------------


def letter_cases(store, n: int) -> list[str]:
    rows = store.query("""SELECT c.reference FROM cases c JOIN stages s ON s.case_id = c.id AND s.stage = 1
                          WHERE c.status IN ('closed', 'stage1-responded', 'stage2-awaiting-acknowledgement',
                          'stage2-awaiting-response') AND s.responded IS NOT NULL AND s.reasons != ''
                          ORDER BY c.id DESC LIMIT ?""", (n,))
    return [r["reference"] for r in rows]


def write_docx(text: str, path: Path) -> Path:
    """The letter as a Word document (python-docx), or as HTML when python-docx is not installed."""
    try:
        import docx
    except ImportError:
        import html

        path = path.with_suffix(".html")
        body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
        path.write_text(f"<html><body style='font-family: Arial'>{body}</body></html>", encoding="utf-8")
        return path
    document = docx.Document()
    lines = [line for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = i < 2
    document.save(str(path))
    return path


def soffice_convert(soffice: str, profile: Path, files: list[Path], outdir: Path) -> float:
    """Seconds for one `soffice --headless --convert-to pdf` of ``files``, as a fresh process each time."""
    started = time.perf_counter()
    done = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(outdir), *map(str, files)], capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - started
    missing = [f for f in files if not (outdir / f"{f.stem}.pdf").exists()]
    if done.returncode != 0 or missing:
        raise RuntimeError(f"soffice failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return took


def measure_letters(store, today: dt.date, home: Path, repeat: int, size: int | None = None) -> list[Row]:
    (LetterService,) = _import("hoscase.letters", "LetterService")
    from hoscase.cases import CaseService

    service = CaseService(store, who="bench", today=today)
    letters = LetterService(service, data_folder=home / "letters-data")
    references = letter_cases(store, 101)
    if len(references) < 101:
        raise NotAvailable(f"only {len(references)} answered cases to write to (need 101)")
    out = home / "letters-out"
    out.mkdir(exist_ok=True)
    first = references[0]

    def one(reference: str = first) -> bytes:
        _content, pdf = letters.preview(reference, LETTER_KIND)
        (out / f"{reference}.pdf").write_bytes(pdf)
        return pdf

    cold_start = time.perf_counter()
    pdf = one()  # cold: fonts and templates load once per session
    cold = (time.perf_counter() - cold_start) * 1000
    try:  # bench/bench_letters.py's timer also gives the CPU time, the fairer figure on a busy machine
        from bench.bench_letters import _time as letter_time
    except Exception:  # noqa: BLE001 - their script absent or mid-edit
        letter_time = None
    if letter_time is not None:
        single, cpu = letter_time(one, max(repeat * 4, 10))
    else:
        single, cpu = timed(one, max(repeat * 4, 10)), []
    batch_refs = references[1:101]
    started = time.perf_counter()
    for reference in batch_refs:  # what the officer's "make the letter" does: render, keep, record
        letters.produce(reference, LETTER_KIND)
    batch = (time.perf_counter() - started) * 1000
    ours = median(single)
    rows = [Row("letter", "one letter PDF (warm)", size, ours, target="< 50 ms", met=ours < 50,
                note=f"stage 1 response with remedies, content read from the database and the PDF written; "
                     f"median of {len(single)}" + (f" ({median(cpu):.1f} ms CPU)" if cpu else "")
                     + f"; the first of the session {cold:.0f} ms"),
            Row("letter", "a batch of 100 letters", size, batch, target="",
                note="100 cases: rendered, kept with the case and recorded in its correspondence and history")]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        rows.append(Row("letter", "LibreOffice route", None, None, note="skipped: soffice is not installed "
                        "(apt-get install libreoffice-writer-nogui)"))
        return rows
    import io

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    docs = home / "docx"
    docs.mkdir(exist_ok=True)
    sources = [write_docx(text.replace(first, reference), docs / f"letter-{i:03d}.docx")
               for i, reference in enumerate(references[:100])]
    profile = home / "soffice-profile"
    pdfs = home / "soffice-pdf"
    pdfs.mkdir(exist_ok=True)
    soffice_convert(soffice, profile, sources[:1], pdfs)  # the first start creates LibreOffice's profile
    lo_single = [soffice_convert(soffice, profile, [sources[i]], pdfs) * 1000 for i in range(max(repeat, 3))]
    lo_batch = soffice_convert(soffice, profile, sources, pdfs) * 1000
    lo = median(lo_single)
    kind = sources[0].suffix
    rows[0].floor_label, rows[0].floor, rows[0].ratio = f"{kind} → PDF by LibreOffice", lo, lo / ours
    rows[0].target, rows[0].met = "< 50 ms and ≥ 50× faster", ours < 50 and lo / ours >= 50
    rows[1].floor_label, rows[1].floor, rows[1].ratio = f"100 {kind} → PDF, one soffice", lo_batch, lo_batch / batch
    rows[0].note += f"; LibreOffice: median of {len(lo_single)} fresh `soffice --headless --convert-to pdf`"
    rows[1].note += "; LibreOffice converts the 100 documents in one soffice process"
    return rows


# --- reports, import, backup ------------------------------------------------


def measure_import_and_report(home: Path, cases: int) -> list[Row]:
    from hoscase.cases import CaseService
    from hoscase.store import Store

    write_year_csv, today = _import("bench.bench_reports", "write_year_csv TODAY")
    (import_cases,) = _import("hoscase.importer", "import_cases")
    (write_annual_pdf,) = _import("hoscase.reports.annual", "write_annual_pdf")
    folder = home / "import"
    folder.mkdir(exist_ok=True)
    csv_path = folder / "cases.csv"
    write_year_csv(csv_path, cases)
    for suffix in ("", "-wal", "-shm"):  # a fresh database each run, also with --keep
        (folder / f"import.sqlite3{suffix}").unlink(missing_ok=True)
    store = Store(folder / "import.sqlite3")
    try:
        with store.transaction():
            store.put_setting("organisation", ORGANISATION)
        started = time.perf_counter()
        result = import_cases(store, csv_path, today=today, who="bench")
        imported = time.perf_counter() - started
        if not (result.ok and store.count_cases() == cases):
            raise RuntimeError(f"the import did not take every row: {getattr(result, 'errors', [])[:3]}")
        service = CaseService(store, who="bench", today=today)
        service.calendar  # noqa: B018 - built once per app session, not per report
        reports = []
        for n in range(3):
            started = time.perf_counter()
            write_annual_pdf(service, 2025, folder / f"annual-{n}.pdf")
            reports.append(time.perf_counter() - started)
        report = median(reports)
        size_mb = (folder / "annual-0.pdf").stat().st_size / 1e6
    finally:
        store.close()
    return [Row("import", f"importing {cases:,} rows (CSV)", cases, imported, unit="s", target="< 10 s",
                met=imported < 10, note=f"checked and written in one transaction; {csv_path.stat().st_size / 1e6:.1f} MB"),
            Row("report", f"annual report PDF, a {cases:,}-case year", cases, report, unit="s", target="< 3 s",
                met=report < 3, note=f"figures, charts and the PDF ({size_mb:.2f} MB); median of 3, "
                                     f"worst {max(reports):.2f} s")]


def measure_backup(db: Path, home: Path, repeat: int) -> list[Row]:
    (make_backup,) = _import("hoscase.safety.backup", "make_backup")
    from hoscase.store import Store

    folder = home / "backups"
    with Store(db) as store:
        took = []
        for _ in range(max(repeat, 3)):
            start = time.perf_counter()
            path = make_backup(store, "bench", folder=folder, rotate_after=False)
            took.append(time.perf_counter() - start)
            size = path.stat().st_size / 1e6
            path.unlink()
    return [Row("backup", f"backup of a {BIG:,}-case database", BIG, median(took), unit="s",
                note=f"{size:.0f} MB copied and checked; median of {len(took)}")]


# --- the run -------------------------------------------------------------------


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        info["pyside6"], info["qt"] = PySide6.__version__, qVersion()
    except ImportError:
        pass
    import sqlite3

    info["sqlite"] = sqlite3.sqlite_version
    try:
        info["soffice"] = subprocess.run(["soffice", "--version"], capture_output=True, text=True,
                                         timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        info["soffice"] = None
    return info


def attempt(rows: list[Row], key: str, label: str, size: int | None, fn: Callable[[], list[Row]]) -> None:
    """Run one measurement; a missing piece or a failure becomes a row saying so, and the run goes on."""
    print(f"  {label}{f' at {size:,}' if size else ''}…", file=sys.stderr, flush=True)
    try:
        rows.extend(fn())
    except NotAvailable as exc:
        rows.append(Row(key, label, size, note=f"not available: {exc}"))
    except Exception as exc:  # noqa: BLE001 - a broken piece is reported, not fatal
        traceback.print_exc()
        rows.append(Row(key, label, size, note=f"failed: {type(exc).__name__}: {exc}"[:300]))


def run(sizes: list[int], only: set[str], workdir: Path, repeat: int, report_cases: int,
        reuse: bool = False) -> list[Row]:
    from hoscase.store import Store

    today = dt.date.today()
    rows: list[Row] = []
    databases: dict[int, Path] = {}

    def database(size: int) -> Path:
        if size not in databases:
            path = workdir / f"bench-{size}.sqlite3"
            if reuse and path.exists():
                with Store(path) as store:
                    if store.count_cases() == size:
                        databases[size] = path
                        return path
            print(f"seeding {size:,} cases…", file=sys.stderr, flush=True)
            seconds, made = seed_database(path, size, today)
            databases[size] = path
            rows.append(Row("seed", f"seeding {size:,} cases", size, seconds, unit="s",
                            note=", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in made.items())))
        return databases[size]

    for size in sizes:
        if not only & set(PER_SIZE):
            break
        db = database(size)
        if "launch" in only:
            attempt(rows, "launch", "launch to main window painted", size,
                    lambda db=db, size=size: measure_launch(db, workdir, size, repeat))
        if "search" in only:  # bench/bench_gui.py's measure when it is there, this script's otherwise
            found: list[Row] = []
            attempt(found, "search", "search as you type", size,
                    lambda db=db, size=size: measure_search_bench_gui(db, size))
            if found and found[0].value is not None:
                rows.extend(found)
            else:
                with Store(db) as store:
                    attempt(rows, "search", "search as you type", size,
                            lambda store=store, size=size: measure_search(store, today, size))
                if found:
                    rows[-1].note += f" (bench/bench_gui.py {found[0].note})"
        with Store(db) as store:
            for key, label, fn in (
                ("calendar", "calendar month render", lambda s, n: measure_calendar(s, today, n)),
                ("case_window", "opening a case window", lambda s, n: measure_case_window(s, today, n, workdir)),
                ("deadlines", "every open deadline worked out", lambda s, n: measure_deadlines(s, today, n, repeat * 4)),
            ):
                if key in only:
                    attempt(rows, key, label, size, lambda fn=fn, store=store, size=size: fn(store, size))
    if "letter" in only:
        db = database(min(sizes))
        with Store(db) as store:
            attempt(rows, "letter", "letter PDF", min(sizes),
                    lambda: measure_letters(store, today, workdir, repeat, min(sizes)))
    if only & {"import", "report"}:
        attempt(rows, "import", "import and annual report", report_cases,
                lambda: measure_import_and_report(workdir, report_cases))
    if "backup" in only:
        attempt(rows, "backup", "backup", BIG, lambda: measure_backup(database(BIG), workdir, repeat))
    if "memory" in only:
        db = database(BIG)
        with Store(db) as store:
            refs = sample_references(store, 1)
        attempt(rows, "memory", "peak memory", BIG,
                lambda: measure_memory(db, workdir, refs[0] if refs else None))
    return [r for r in rows if r.key in only or r.key == "seed"]


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:,.2f} ms" if value < 10 else f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:,.0f} {unit}"


def table(rows: list[Row]) -> str:
    """A Markdown table: readable in a terminal and pasted as it is into docs/benchmarks.md."""
    head = ["Cases", "Measure", "hoscase", "Floor / alternative", "Ratio", "Target", "Met", "Notes"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        floor = f"{r.floor_label}: {figure(r.floor, r.unit)}" if r.floor is not None else (r.floor_label or "")
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        cells = [f"{r.size:,}" if r.size else "", r.label, figure(r.value, r.unit), floor,
                 f"{r.ratio:.1f}×" if r.ratio is not None else "", r.target, met, r.note.replace("|", "/")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="register sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--only", default="", help=f"measures to run, comma-separated, from: {', '.join(MEASURES)}")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of the slower measures (default 5)")
    parser.add_argument("--report-cases", type=int, default=50_000,
                        help="cases in the imported year and its annual report (default 50000)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the databases and files")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: use the databases already seeded in DIR (seeding 100,000 takes a minute)")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--sizes {args.sizes!r} is not a list of whole numbers")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes needs at least one size of 1 or more")
    only = {s.strip() for s in args.only.split(",") if s.strip()} or set(MEASURES)
    unknown = only - set(MEASURES)
    if unknown:
        parser.error(f"unknown measures {', '.join(sorted(unknown))}; choose from {', '.join(MEASURES)}")
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hoscase-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.update(child_env(workdir))  # this process too: no saved settings of the real user
    started = dt.datetime.now().astimezone()
    try:
        rows = run(sizes, only, workdir, max(args.repeat, 1), args.report_cases, reuse=args.reuse and bool(args.keep))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    print(table(rows))
    result = {"command": command.strip(), "date": started.isoformat(timespec="seconds"),
              "seconds": round((dt.datetime.now().astimezone() - started).total_seconds(), 1),
              "machine": machine(), "rows": [asdict(r) for r in rows]}
    print(json.dumps(result, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
