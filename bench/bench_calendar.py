"""How fast the deadline calendar is with a large register.

    .venv/bin/python bench/bench_calendar.py [--cases 100000] [--open 0.2] [--db /tmp/bench_calendar.sqlite3]

Seeds the database once (bulk rows, not one transaction per case, so seeding takes seconds), then measures:
- refresh: working out every open deadline and bucketing it by date (done once per change of data);
- month: showing a month from the buckets and painting the grid (what paging and the first paint cost).
The target in the issue is a calendar month in under 100 ms at 100,000 cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoscase.store import Store  # noqa: E402
from hoscase.workdays import WorkingCalendar  # noqa: E402

CATEGORIES = ["Repairs", "Damp and mould", "Anti-social behaviour", "Staff conduct", "Rent and charges"]
HANDLERS = ["Priya Shah", "Tom Evans", "Grace Okafor"]


def seed(store: Store, cases: int, open_fraction: float, today: dt.date) -> None:
    """``cases`` complaints received over the last four years; ``open_fraction`` of them still open."""
    rng = random.Random(7)
    calendar = WorkingCalendar()
    now = dt.datetime.now().isoformat(timespec="seconds")
    case_rows, stage_rows = [], []
    span = 4 * 365
    for i in range(1, cases + 1):
        is_open = rng.random() < open_fraction
        # Open cases are recent (the last ten weeks), closed ones spread over four years.
        age = rng.randint(0, 70) if is_open else rng.randint(30, span)
        received = today - dt.timedelta(days=age)
        stage1 = {"case_id": i, "stage": 1, "received": received.isoformat(), "handler": rng.choice(HANDLERS),
                  "definition": "Bench complaint", "acknowledged": None, "responded": None, "decision": None}
        if is_open:
            if rng.random() < 0.6:
                ack = calendar.add(received, rng.randint(1, 5))
                if ack <= today:
                    stage1["acknowledged"] = ack.isoformat()
            status = ("stage1-awaiting-response" if stage1["acknowledged"] else "stage1-awaiting-acknowledgement")
        else:
            ack = calendar.add(received, rng.randint(1, 5))
            stage1.update(acknowledged=ack.isoformat(), responded=calendar.add(ack, rng.randint(3, 10)).isoformat(),
                          decision=rng.choice(["upheld", "partly-upheld", "not-upheld"]))
            status = "closed"
        case_rows.append({
            "id": i, "reference": f"C-{received.year}-{i:06d}", "resident_name": f"Resident {i}",
            "address": f"{i} Bench Street", "channel": "phone", "category": rng.choice(CATEGORIES),
            "received": received.isoformat(), "definition": "Bench complaint", "status": status,
            "created_at": now, "updated_at": now,
        })
        stage_rows.append(stage1)
    with store.transaction():
        store.db["cases"].insert_all(case_rows, batch_size=2000)
        store.db["stages"].insert_all(stage_rows, batch_size=2000)


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--open", type=float, default=0.2, help="fraction of cases still open")
    parser.add_argument("--db", default="/tmp/bench_calendar.sqlite3")
    args = parser.parse_args()
    today = dt.date.today()
    path = Path(args.db)
    store = Store(path)
    if store.count_cases() != args.cases:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        store = Store(path)
        start = time.perf_counter()
        seed(store, args.cases, args.open, today)
        print(f"seeded {args.cases:,} cases in {time.perf_counter() - start:.1f} s")

    from PySide6.QtWidgets import QApplication

    from hoscase.gui.context import AppContext
    from hoscase.gui.pages.calendar import CalendarPage

    app = QApplication.instance() or QApplication([])
    ctx = AppContext(store, today=today)
    start = time.perf_counter()
    page = CalendarPage(ctx)
    construct = (time.perf_counter() - start) * 1000
    page.resize(1280, 820)
    start = time.perf_counter()
    page.show()  # the first show reads the deadlines
    app.processEvents()
    first_show = (time.perf_counter() - start) * 1000
    open_count = sum(len(v) for v in page.buckets.by_day.values())

    refresh = timed(page.refresh, 5)

    months = [(today.year + (today.month - 1 + k) // 12, (today.month - 1 + k) % 12 + 1) for k in range(-6, 6)]

    def render_month(year_month=iter(months * 10)):
        year, month = next(year_month)
        page.show_month(year, month)
        page.view.viewport().repaint()  # paint now, synchronously

    first = timed(render_month, 1)[0]  # the first paint also fills Qt's glyph caches
    render = timed(render_month, 60)
    app.processEvents()
    print(f"cases: {store.count_cases():,}; open deadlines and actions bucketed: {open_count:,}")
    print(f"page construct: {construct:.0f} ms; first show (deadlines read and painted): {first_show:.0f} ms")
    print(f"refresh (all deadlines worked out and bucketed): median {statistics.median(refresh):.0f} ms, "
          f"max {max(refresh):.0f} ms")
    print(f"first month paint after opening: {first:.1f} ms")
    print(f"month render (buckets to painted grid, 60 months paged): median {statistics.median(render):.1f} ms, "
          f"max {max(render):.1f} ms  (target < 100 ms)")
    store.close()
    return 0 if max(render) < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
