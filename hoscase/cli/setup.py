"""`hoscase init`: create a database, optionally filled with the demo."""

from __future__ import annotations

import argparse

from hoscase.errors import HoscaseError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("init", help="create the database (with --demo, a realistic demo)")
    p.add_argument("--demo", action="store_true", help="fill it with a year and more of example cases")
    p.add_argument("--cases", type=int, default=160, help="how many demo cases")
    p.add_argument("--force", action="store_true", help="with --demo, replace an existing demo database")
    p.set_defaults(run=_init)


def _init(args, context) -> int:
    path = context.path
    existed = path.exists() and path.stat().st_size > 0
    if args.demo and existed:
        from hoscase.store import Store

        with Store(path) as store:
            has_cases = store.count_cases() > 0
            is_demo = bool(store.get_setting("demo", False))
        if has_cases and not (args.force and is_demo):
            if is_demo:
                print(f"the demo database at {path} is already there")
                return 0
            raise HoscaseError(f"{path} already holds cases; the demo goes only into an empty database")
        if args.force and is_demo:
            path.unlink()
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
    store = context.store
    if args.demo:
        from hoscase.demo import build_demo

        made = build_demo(store, cases=args.cases)
        from hoscase.cases import CaseService
        from hoscase.demo_extras import add_demo_extras

        demo_service = CaseService(store, who="Priya Shah")
        made += add_demo_extras(demo_service, demo_service.today)
        print(f"demo database with {made} cases at {path}")
    else:
        print(f"database ready at {path}")
    return 0
