"""`hoscase closure list|add|remove`: the organisation's own closure days, which are not working days.

Due dates are worked out from the recorded dates every time, so adding or removing a closure day moves
every open deadline at once; the command says how many open cases' next deadlines moved.
"""

from __future__ import annotations

import argparse
import json

from hoscase.errors import HoscaseError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("closure", help="the organisation's closure days (not working days)")
    sub = p.add_subparsers(dest="closure_command", required=True)
    q = sub.add_parser("list", help="every closure day")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=_list)
    q = sub.add_parser("add", help="add a closure day (open deadlines move)")
    q.add_argument("date", help="YYYY-MM-DD")
    q.add_argument("name", help="what it is, e.g. 'Office closed: staff training'")
    q.set_defaults(run=_add)
    q = sub.add_parser("remove", help="remove a closure day (open deadlines move back)")
    q.add_argument("date", help="YYYY-MM-DD")
    q.set_defaults(run=_remove)


def _list(args, context) -> int:
    days = context.store.closure_days()
    if args.json:
        print(json.dumps([{"date": d, "name": n} for d, n in days.items()], indent=2, ensure_ascii=False))
    elif not days:
        print("no closure days")
    else:
        for day, name in days.items():
            print(f"{day}  {name}")
    return 0


def _deadlines(service) -> dict[str, str]:
    return {r["reference"]: r["due"].isoformat() for r in service.open_deadlines()}


def _save(context, change) -> tuple[str, int]:
    from hoscase.settings import save_closure_days
    from hoscase.workdays import parse_date

    service = context.service()
    days = dict(service.store.closure_days())
    before = _deadlines(service)
    day = change(days, parse_date)
    save_closure_days(service, days)
    moved = sum(1 for ref, due in _deadlines(context.service()).items() if before.get(ref) != due)
    return day, moved


def _add(args, context) -> int:
    def change(days, parse_date):
        day = parse_date(args.date, "closure day").isoformat()
        if day in days:
            raise HoscaseError(f"{day} is already a closure day ({days[day]})")
        days[day] = args.name
        return day

    day, moved = _save(context, change)
    print(f"{day} is now a closure day; {moved} open deadline{'s' if moved != 1 else ''} moved")
    return 0


def _remove(args, context) -> int:
    def change(days, parse_date):
        day = parse_date(args.date, "closure day").isoformat()
        if day not in days:
            raise HoscaseError(f"{day} is not a closure day")
        del days[day]
        return day

    day, moved = _save(context, change)
    print(f"{day} is no longer a closure day; {moved} open deadline{'s' if moved != 1 else ''} moved")
    return 0
