"""How fast importing a large spreadsheet and producing the annual report are.

    .venv/bin/python bench/bench_reports.py [--cases 50000] [--keep /tmp/bench_reports]

Writes a CSV of ``--cases`` complaints received in the financial year 2025/26 (a realistic mix: most answered,
some late, some extended, some escalated, a few refused, compensation on some), then measures:
- check: reading and checking every row (the dry run the app's preview shows);
- import: checking again and writing every case in one transaction (target: under 10 s for 50,000 rows);
- figures: the annual figures for the year, with the previous year's for comparison;
- report: figures and the annual report PDF (target: under 3 s for a year of 50,000 cases);
- xlsx: the figures spreadsheet.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoscase.cases import CaseService  # noqa: E402
from hoscase.figures import annual_figures  # noqa: E402
from hoscase.importer import COLUMNS, check_file, import_cases  # noqa: E402
from hoscase.reports.annual import write_annual_pdf  # noqa: E402
from hoscase.reports.xlsx import write_figures_xlsx  # noqa: E402
from hoscase.store import Store  # noqa: E402
from hoscase.workdays import WorkingCalendar  # noqa: E402

TODAY = dt.date(2026, 11, 20)
CATEGORIES = ["Repairs", "Damp and mould", "Anti-social behaviour", "Staff conduct", "Rent and charges",
              "Estate services", "Lettings", "Communication"]
CHANNELS = ["phone", "email", "letter", "in person", "online form"]
HANDLERS = ["Priya Shah", "Tom Evans"]
DECISIONS = ["upheld", "partly upheld", "not upheld"]


def write_year_csv(path: Path, cases: int) -> None:
    rng = random.Random(11)
    calendar = WorkingCalendar()
    start = dt.date(2025, 4, 1)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(cases):
            received = start + dt.timedelta(days=rng.randint(0, 364))
            handler = rng.choice(HANDLERS)
            r = dict.fromkeys(COLUMNS, "")
            r.update(reference=f"B-{i:06d}", resident=f"Resident {i}", address=f"{i} Bench Street, Ludlow",
                     received=received.strftime("%d/%m/%Y") if i % 2 else received.isoformat(),
                     channel=rng.choice(CHANNELS), category=rng.choice(CATEGORIES),
                     definition="A synthetic complaint for the benchmark.", handler=handler)
            if rng.random() < 0.03:
                r.update(refused_on=calendar.add(received, 2).isoformat(), refusal_reason="over-12-months")
            else:
                ack = calendar.add(received, rng.choice([1, 2, 3, 4, 5, 5, 6]))
                r["acknowledged"] = ack.isoformat()
                extension = rng.choice([0] * 8 + [5, 10])
                if extension:
                    r["extension_working_days"] = str(extension)
                responded = calendar.add(ack, rng.randint(4, 12) + extension)
                r.update(responded=responded.isoformat(), decision=rng.choice(DECISIONS))
                if rng.random() < 0.2:
                    r["compensation"] = f"{rng.randint(2, 40) * 25}.00"
                if rng.random() < 0.12:
                    requested = calendar.add(responded, rng.randint(1, 10))
                    s2_ack = calendar.add(requested, rng.randint(1, 5))
                    r.update(stage2_requested=requested.isoformat(), stage2_handler="Grace Okafor",
                             stage2_acknowledged=s2_ack.isoformat(),
                             stage2_responded=calendar.add(s2_ack, rng.randint(10, 24)).isoformat(),
                             stage2_decision=rng.choice(DECISIONS))
            writer.writerow([r[c] for c in COLUMNS])


def timed(label: str, fn):
    began = time.perf_counter()
    value = fn()
    took = time.perf_counter() - began
    print(f"{label:<10} {took:7.2f} s")
    return value, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--keep", help="a folder to keep the CSV, database and report in")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hoscase-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, db_path = folder / "cases.csv", folder / "bench_reports.sqlite3"
    for p in folder.glob("bench_reports.sqlite3*"):
        p.unlink()
    write_year_csv(csv_path, args.cases)
    print(f"{args.cases:,} cases in {csv_path} ({csv_path.stat().st_size / 1e6:.1f} MB)")
    store = Store(db_path)
    with store.transaction():
        store.put_setting("organisation", {"name": "Bench Homes", "homes": 25_000})
    result, _ = timed("check", lambda: check_file(store, csv_path, TODAY))
    assert result.ok, result.errors[:5]
    result, import_s = timed("import", lambda: import_cases(store, csv_path, today=TODAY, who="bench"))
    assert result.ok and result.imported and store.count_cases() == args.cases
    service = CaseService(store, who="bench", today=TODAY)
    service.calendar  # noqa: B018 - built once per app session, not per report
    figures, figures_s = timed("figures", lambda: annual_figures(service, 2025))
    pdf = folder / "annual-2025-26.pdf"
    _, report_s = timed("report", lambda: write_annual_pdf(service, 2025, pdf))
    timed("xlsx", lambda: write_figures_xlsx(figures, folder / "figures-2025-26.xlsx"))
    s1, s2 = figures["stage1"], figures["stage2"]
    print(f"stage 1: received {s1['received']:,}, responded {s1['responded']:,}, within timescale "
          f"{s1['responded_within_timescale']:,} ({s1['within_timescale_pct']}%), {s1['per_1000_homes']} per 1,000 homes")
    print(f"stage 2: received {s2['received']:,}, responded {s2['responded']:,}, within timescale "
          f"{s2['responded_within_timescale']:,} ({s2['within_timescale_pct']}%)")
    print(f"refused {figures['refused']:,}; compensation £{figures['remedies']['compensation_pence'] / 100:,.2f}")
    ok = import_s < 10 and report_s < 3
    print(f"targets: import < 10 s {'met' if import_s < 10 else 'MISSED'}; annual report < 3 s "
          f"{'met' if report_s < 3 else 'MISSED'}")
    store.close()
    print(f"files in {folder}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
