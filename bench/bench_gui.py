"""Desktop-app speed with a big register (issue 3): launch to first paint, a search keystroke to the updated
list, scrolling, and peak memory. Targets: paint < 1.5 s, search < 50 ms, memory < 300 MB.

    .venv/bin/python bench/bench_gui.py [--cases 100000] [--db /tmp/bench100k.sqlite3]

The database is seeded once (bench/seed.py) and reused while it has the asked-for number of cases.
Each measurement runs in a fresh process, offscreen, so one does not warm the next.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def child_launch(db: str, started: float) -> dict:
    """Launch as the app does and report when the main window first painted (wall clock from Popen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication

    from hoscase.gui.app import make_application
    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow
    from hoscase.store import Store

    painted = {}

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Paint and "at" not in painted:
                painted["at"] = time.time()
            return False

    app = make_application()
    store = Store(db)
    ctx = AppContext(store)
    settings = QSettings(str(Path(db).with_suffix(".bench.ini")), QSettings.IniFormat)
    settings.clear()
    window = MainWindow(ctx, settings)
    window.resize(1280, 800)
    watch = PaintWatch()
    page = window.pages["worklist"]
    page.tree.viewport().installEventFilter(watch)
    window.show()
    deadline = time.time() + 10
    while "at" not in painted and time.time() < deadline:
        app.processEvents()
    QApplication.processEvents()
    return {"launch_to_paint_s": painted["at"] - started, "peak_rss_mb": _peak_rss_mb()}


def child_register(db: str) -> dict:
    """Open the Cases page and time search keystrokes, filters, sorting and scrolling; report peak memory."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest

    from hoscase.gui.app import make_application
    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow
    from hoscase.store import Store

    app = make_application()
    store = Store(db)
    ctx = AppContext(store)
    settings = QSettings(str(Path(db).with_suffix(".bench.ini")), QSettings.IniFormat)
    settings.clear()
    window = MainWindow(ctx, settings)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    t = time.perf_counter()
    page = window.show_page("cases")
    page.table.viewport().repaint()
    open_ms = (time.perf_counter() - t) * 1000

    def keystroke(text: str) -> float:
        """Type one character; time from the search firing (after the typing pause) to the repainted table."""
        QTest.keyClicks(page.search, text)
        t0 = time.perf_counter()
        page._search_timer.timeout.emit()  # what the 150 ms typing pause then does
        page.table.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    results = {"open_cases_page_ms": open_ms, "search": {}}
    for word in ("mould", "zielinski", "quaker gardens", "B-2024-0"):
        page.search.clear()
        page._apply_filters()
        times = [keystroke(ch) for ch in word]
        results["search"][word] = {"per_keystroke_ms": [round(x, 1) for x in times], "rows": page.model.rowCount()}
    page.search.clear()
    page._apply_filters()
    t0 = time.perf_counter()
    page.table.scrollToBottom()
    page.table.viewport().repaint()
    results["scroll_to_bottom_ms"] = (time.perf_counter() - t0) * 1000
    for i in range(0, page.model.rowCount(), 5000):  # scroll through the register in big jumps
        page.table.scrollTo(page.model.index(i, 0))
        page.table.viewport().repaint()
    t0 = time.perf_counter()
    page.table.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
    page.table.viewport().repaint()
    results["sort_by_reference_ms"] = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    page.year_filter.setCurrentIndex(2)
    page.table.viewport().repaint()
    results["year_filter_ms"] = (time.perf_counter() - t0) * 1000
    results["rows_fetched"] = page.model.rows_fetched
    results["peak_rss_mb"] = _peak_rss_mb()
    window.close()
    return results


def _run_child(kind: str, db: str) -> dict:
    started = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--db", db, "--started", repr(started)],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/hoscase-bench-gui.sqlite3")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=("launch", "register"))
    parser.add_argument("--started", type=float)
    args = parser.parse_args()
    if args.child == "launch":
        print(json.dumps(child_launch(args.db, args.started)))
        return
    if args.child == "register":
        print(json.dumps(child_register(args.db)))
        return

    from hoscase.store import Store

    db = Path(args.db)
    with Store(db) as store:
        have = store.count_cases()
    if have != args.cases:
        from seed import seed_cases

        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        t = time.perf_counter()
        with Store(db) as store:
            seed_cases(store, args.cases)
        print(f"seeded {args.cases:,} cases in {time.perf_counter() - t:.1f} s")

    launches = [_run_child("launch", str(db)) for _ in range(args.runs)]
    paint = statistics.median(r["launch_to_paint_s"] for r in launches)
    register = _run_child("register", str(db))
    keystrokes = [ms for word in register["search"].values() for ms in word["per_keystroke_ms"]]
    worst_word = {w: max(v["per_keystroke_ms"]) for w, v in register["search"].items()}
    peak = max([r["peak_rss_mb"] for r in launches] + [register["peak_rss_mb"]])

    print(f"hoscase desktop app with {args.cases:,} cases ({db})")
    runs = ", ".join(f"{r['launch_to_paint_s']:.2f}" for r in launches)
    print(f"  launch to first paint of the main window: {paint:.2f} s median of {args.runs} (runs: {runs})"
          "  target < 1.5 s")
    print(f"  open the Cases page (all {args.cases:,} ids, first page painted): {register['open_cases_page_ms']:.0f} ms")
    print(f"  search keystroke to repainted list: median {statistics.median(keystrokes):.1f} ms, "
          f"worst {max(keystrokes):.1f} ms  target < 50 ms (after the 150 ms typing pause)")
    for word, info in register["search"].items():
        print(f"    {word!r}: per keystroke {info['per_keystroke_ms']} ms -> {info['rows']:,} rows "
              f"(worst {worst_word[word]:.1f} ms)")
    print(f"  scroll to the bottom and repaint: {register['scroll_to_bottom_ms']:.1f} ms; "
          f"sort by reference: {register['sort_by_reference_ms']:.0f} ms; "
          f"financial-year filter: {register['year_filter_ms']:.0f} ms")
    print(f"  display rows read from the store during all that: {register['rows_fetched']:,}")
    print(f"  peak memory (RSS): {peak:.0f} MB  target < 300 MB")


if __name__ == "__main__":
    main()
