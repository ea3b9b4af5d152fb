"""`hoscase import cases FILE`, `hoscase import template -o FILE` and `hoscase export cases -o FILE`."""

from __future__ import annotations

import argparse
import json
import sys

from hoscase.errors import HoscaseError

SHOWN_ERRORS = 500


def register(subparsers: argparse._SubParsersAction) -> None:
    imp = subparsers.add_parser("import", help="import cases from a spreadsheet")
    isub = imp.add_subparsers(dest="import_command", required=True)
    p = isub.add_parser("cases", help="import cases from FILE.csv or FILE.xlsx (every row checked first)",
                        description="Every row is checked first; if any row is wrong nothing is imported and each "
                                    "problem is listed by row and column (exit status 2).")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check the file and say what would be imported")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_import_cases)
    p = isub.add_parser("template", help="write the empty import spreadsheet")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.csv or FILE.xlsx")
    p.set_defaults(run=_template)

    exp = subparsers.add_parser("export", help="export cases to a spreadsheet")
    esub = exp.add_subparsers(dest="export_command", required=True)
    p = esub.add_parser("cases", help="every case, in the import's columns")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.csv or FILE.xlsx")
    p.set_defaults(run=_export_cases)


def _import_cases(args, context) -> int:
    from hoscase.importer import import_cases

    service = context.service()
    result = import_cases(context.store, args.file, today=service.today, who=service.who, dry_run=args.dry_run)
    if args.dry_run or not result.ok:  # a dry run or a refused file leaves no new database behind
        context.discard_if_new()
    if args.json:
        print(json.dumps({
            "ok": result.ok, "imported": result.imported, "rows": result.rows, "cases": len(result.cases),
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors],
            "warnings": result.warnings, "notes": result.notes,
        }, indent=2, ensure_ascii=False))
        return 0 if result.ok else 2
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if not result.ok:
        for error in result.errors[:SHOWN_ERRORS]:
            print(f"hoscase: error: {error}", file=sys.stderr)
        if len(result.errors) > SHOWN_ERRORS:
            print(f"hoscase: … and {len(result.errors) - SHOWN_ERRORS:,} more problems", file=sys.stderr)
        print(f"hoscase: {result.summary()}", file=sys.stderr)
        return 2
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary() + (" (dry run: nothing written)" if args.dry_run else ""))
    return 0


def _template(args, context) -> int:
    from hoscase.importer import write_template

    write_template(args.output)
    print(f"wrote {args.output}")
    return 0


def _export_cases(args, context) -> int:
    from hoscase.importer import export_cases

    if not context.path.exists() and not context.db_path:
        raise HoscaseError(f"no database at {context.path}")
    count = export_cases(context.store, args.output)
    print(f"wrote {count:,} cases to {args.output}")
    return 0
