"""`hoscase backup`, `hoscase restore`, `hoscase retention …` and `hoscase sar`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hoscase.errors import HoscaseError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backup", help="back up the database (checked copy), list backups, choose their folder",
                              description="Without a subcommand: take a checked backup now, into the backup "
                                          "folder (rotated) or, with -o, into FILE.")
    p.add_argument("-o", "--output", metavar="FILE", help="write the backup to FILE (kept, not rotated)")
    p.set_defaults(run=_backup)
    bsub = p.add_subparsers(dest="backup_command")
    q = bsub.add_parser("list", help="the backups with their date, size and case count")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=_backup_list)
    q = bsub.add_parser("folder", help="show the backup folder, or set it (a network share is a good place)")
    q.add_argument("folder", nargs="?")
    q.add_argument("--default", action="store_true", help="go back to backups/ beside the database")
    q.set_defaults(run=_backup_folder)

    p = subparsers.add_parser("restore", help="replace the database with a backup (the current one is backed up first)")
    p.add_argument("file", help="the backup file (see: hoscase backup list)")
    p.set_defaults(run=_restore)

    p = subparsers.add_parser("retention", help="ended cases past the retention period: review, anonymise, delete")
    rsub = p.add_subparsers(dest="retention_command", required=True)
    q = rsub.add_parser("list", help="cases due for review (ended more than the retention period ago)")
    q.add_argument("--all", action="store_true", help="every ended case not yet anonymised, with its review date")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=_retention_list)
    for name, verb in (("anonymise", "replace the personal details of"), ("delete", "delete")):
        q = rsub.add_parser(name, help=f"{verb} an ended case (not under a legal hold)")
        q.add_argument("ref")
        q.add_argument("--early", action="store_true",
                       help="before its retention period has run out (for example an erasure request)")
        q.set_defaults(run=_retention_remove, action=name)
    q = rsub.add_parser("period", help="show the retention period in years, or set it")
    q.add_argument("years", nargs="?")
    q.set_defaults(run=_retention_period)

    p = subparsers.add_parser("sar", help="subject access request: everything held about one resident, as a ZIP")
    p.add_argument("--resident", required=True, help="the resident's name as recorded (case and accents ignored)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.zip")
    p.set_defaults(run=_sar)


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _backup(args, context) -> int:
    from hoscase.safety.backup import export_backup, make_backup

    store = context.store
    if args.output:
        result = export_backup(store, args.output)
        print(f"backed up {result.cases} cases to {result.path} (checked)")
    else:
        path = make_backup(store, "manual")
        print(f"backed up {store.count_cases()} cases to {path} (checked)")
    return 0


def _backup_list(args, context) -> int:
    from hoscase.safety.backup import backup_folder, list_backups

    store = context.store
    folder = backup_folder(store)
    backups = list_backups(folder, store.path.stem)
    if args.json:
        print(json.dumps([{"file": str(b.path), "taken": b.taken.isoformat(timespec="seconds"), "reason": b.reason,
                           "size": b.size, "cases": b.cases, "ok": b.ok, "problem": b.problem} for b in backups],
                         indent=2))
        return 0
    if not backups:
        print(f"no backups yet in {folder}")
        return 0
    print(f"backups in {folder}, newest first:")
    for b in backups:
        state = f"{b.cases} case{'' if b.cases == 1 else 's'}" if b.ok else f"DAMAGED: {b.problem}"
        print(f"  {b.taken:%Y-%m-%d %H:%M}  {_size(b.size):>9}  {state:<12}  {b.reason:<22}  {b.path.name}")
    return 0


def _backup_folder(args, context) -> int:
    from hoscase.safety.backup import backup_folder, set_backup_folder

    store = context.store
    if args.folder or args.default:
        if args.folder and args.default:
            raise HoscaseError("give a folder or --default, not both")
        folder = set_backup_folder(context.service(), None if args.default else args.folder)
        print(f"backups now go to {folder}")
    else:
        print(backup_folder(store))
    return 0


def _restore(args, context) -> int:
    from hoscase.safety.backup import restore_backup

    result = restore_backup(context.path, Path(args.file))
    if result.moved_aside:
        print(f"the damaged database was moved aside to {result.moved_aside}")
    if result.previous_backup:
        print(f"the database as it was is kept in {result.previous_backup}")
    print(f"restored {result.restored.cases} cases from {args.file} into {context.path}")
    return 0


def _retention_list(args, context) -> int:
    from hoscase.safety.retention import retention_list, retention_years

    service = context.service()
    items = retention_list(service, due_only=not args.all)
    if args.json:
        print(json.dumps([i.to_json() for i in items], indent=2))
        return 0
    years = retention_years(service.store)
    if not items:
        print(f"no case is due for review (retention period: {years} years after the case ended)")
        return 0
    title = "ended cases" if args.all else f"cases past the {years}-year retention period, for review"
    print(f"{title}:")
    for i in items:
        hold = "  LEGAL HOLD" if i.legal_hold else ""
        print(f"  {i.reference:<14} {i.status:<10} ended {i.ended_on}  review from {i.review_due}  {i.category}{hold}")
    return 0


def _retention_remove(args, context) -> int:
    from hoscase.safety.retention import anonymise_case, delete_case

    service = context.service()
    act = anonymise_case if args.action == "anonymise" else delete_case
    result = act(service, args.ref, early=args.early)
    print(f"{result.reference} {result.action}")
    if result.files_removed:
        print(f"  {len(result.files_removed)} letter or attachment file(s) deleted")
    for path in result.files_elsewhere:
        print(f"  not deleted (outside the data folder; delete it yourself): {path}")
    return 0


def _retention_period(args, context) -> int:
    from hoscase.safety.retention import retention_years, set_retention_years

    service = context.service()
    if args.years is None:
        print(f"{retention_years(service.store)} years after a case ended")
    else:
        print(f"retention period set to {set_retention_years(service, args.years)} years")
    return 0


def _sar(args, context) -> int:
    from hoscase.safety.sar import subject_access_export

    result = subject_access_export(context.service(), args.resident, Path(args.output))
    print(f"wrote {result.path}: {len(result.references)} case(s) ({', '.join(result.references)}), "
          f"{len(result.files)} file(s)")
    for missing in result.missing_files:
        print(f"  recorded but not found: {missing}")
    return 0
