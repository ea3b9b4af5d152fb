"""Fill a database quickly with many synthetic cases, for benchmarks and the big-register tests.

Rows go in directly through the Store's insert methods in one transaction (no CaseService checks
and no history), so 100,000 cases take seconds, not minutes. Most cases are closed, as in a real
register that has been in use for years; a few hundred are open, some overdue.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoscase.rules import stage_deadlines  # noqa: E402
from hoscase.store import Store  # noqa: E402
from hoscase.workdays import WorkingCalendar  # noqa: E402

FIRST = ["Aisha", "Ben", "Chloe", "Dariusz", "Eilidh", "Femi", "Gareth", "Hannah", "Ivan", "Joanne", "Kofi", "Lena",
         "Mohammed", "Niamh", "Olga", "Patrick", "Rhiannon", "Siobhán", "Tariq", "Wiktoria", "Zoë"]
LAST = ["Ahmed", "Brown", "Campbell", "Davies", "Evans", "Fernández", "Green", "Hughes", "Jones", "Kowalski", "Lewis",
        "Morgan", "Nowak", "O'Brien", "Patel", "Roberts", "Smith", "Thomas", "Williams", "Zieliński"]
STREETS = ["Almshouse Lane", "Bridge Street", "Church Close", "Dyer's Row", "Elm Court", "Foundry Walk", "Glebe Road",
           "Hospital Yard", "Mill Terrace", "Quaker Gardens"]
TOWNS = ["Ludlow", "Leominster", "Tenbury Wells", "Church Stretton", "Bishop's Castle"]
CATEGORIES = ["Repairs", "Damp and mould", "Anti-social behaviour", "Staff conduct", "Rent and charges",
              "Estate services", "Lettings", "Communication"]
PROBLEMS = ["The kitchen tap has leaked for weeks and repair appointments were missed.",
            "Black mould has returned in the back bedroom.", "Noise reports were not followed up.",
            "A member of staff was dismissive on the phone.", "The service charge rose without explanation.",
            "The communal garden has not been maintained.", "An offer of a flat was withdrawn without a reason.",
            "Letters about planned works were never received."]
HANDLERS = ["Priya Shah", "Tom Evans", "Grace Okafor", "Mark Lewis"]


def seed_cases(store: Store, count: int, today: dt.date | None = None, open_share: float = 0.004,
               seed: int = 7, years: int = 10) -> int:
    """Insert ``count`` cases received over the last ``years`` years; returns how many were made."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    calendar = WorkingCalendar()
    span = years * 365
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    received_days = sorted(today - dt.timedelta(days=int(span * (1 - (i + rng.random()) / count)))
                           for i in range(count))
    numbers: dict[int, int] = {}
    with store.transaction():
        for name in HANDLERS:
            store.put_handler(name)
        for name in CATEGORIES:
            store.put_category(name)
        for received in received_days:
            numbers[received.year] = numbers.get(received.year, 0) + 1
            reference = f"B-{received.year}-{numbers[received.year]:05d}"
            category = rng.choice(CATEGORIES)
            handler = rng.choice(HANDLERS[:2])
            recent = (today - received).days < 60
            is_open = recent and rng.random() < max(open_share * 40, 0.05) or rng.random() < open_share
            acknowledged = calendar.add(received, rng.randint(1, 5))
            if acknowledged > today or (is_open and rng.random() < 0.4):
                acknowledged = None  # some open cases still wait to be acknowledged, the older ones overdue
            status = "closed"
            responded = None
            if is_open:
                status = "stage1-awaiting-response" if acknowledged else "stage1-awaiting-acknowledgement"
            else:
                d = stage_deadlines(calendar, 1, received, acknowledged, 0)
                responded = min(d.respond_due, today)
            number = rng.randint(1, 60)
            case_id = store.insert_case({
                "reference": reference, "resident_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "address": f"{number} {rng.choice(STREETS)}\n{rng.choice(TOWNS)}", "channel": "phone",
                "category": category, "received": received.isoformat(), "definition": rng.choice(PROBLEMS),
                "status": status, "created_at": now, "updated_at": now,
                "closed_on": responded.isoformat() if responded and status == "closed" else None,
            })
            store.insert_stage({"case_id": case_id, "stage": 1, "received": received.isoformat(), "handler": handler,
                                "definition": "", "acknowledged": acknowledged.isoformat() if acknowledged else None,
                                "responded": responded.isoformat() if responded else None,
                                "decision": rng.choice(["upheld", "partly-upheld", "not-upheld"]) if responded else None})
    return count


if __name__ == "__main__":
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Fill a database with synthetic cases")
    parser.add_argument("db")
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    with Store(args.db) as s:
        seed_cases(s, args.cases)
    print(f"{args.cases:,} cases in {time.perf_counter() - started:.1f} s at {args.db}")
