"""`hoscase report annual|quarterly|narrative|due`: the annual report, the governing body's update, and the
officer-written sections."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hoscase.cli import whole_number as _int
from hoscase.errors import HoscaseError


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("report", help="the annual complaints report and governing body updates")
    rsub = report.add_subparsers(dest="report_command", required=True)

    p = rsub.add_parser("annual", help="the annual complaints performance and service improvement report",
                        description="YEAR is the financial year it starts in: 2025 means 1 April 2025 to 31 March "
                                    "2026 (or 1 January to 31 December 2025 if your year starts in January: see "
                                    "Settings).")
    p.add_argument("--year", required=True, type=_int("--year"))
    p.add_argument("--homes", type=_int("--homes"), help="homes managed, for CH01 (default: from the settings)")
    p.add_argument("-o", "--output", metavar="FILE", help="FILE.pdf or FILE.xlsx")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(run=_annual)

    p = rsub.add_parser("quarterly", help="the quarterly update for the governing body and the MRC (9.7)")
    p.add_argument("--year", required=True, type=_int("--year"))
    p.add_argument("--quarter", required=True, type=_int("--quarter"),
                   help="1 to 4, the year's three-month blocks in order (1 is April to June for a year starting in "
                        "April, January to March for one starting in January)")
    p.add_argument("--homes", type=_int("--homes"))
    p.add_argument("-o", "--output", metavar="FILE", help="FILE.pdf")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_quarterly)

    p = rsub.add_parser("narrative", help="save a written section of the annual report")
    p.add_argument("--year", required=True, type=_int("--year"))
    p.add_argument("--section", required=True,
                   help="introduction, themes, learning or governing_body_response")
    p.add_argument("--text", help="the text ('-' reads it from standard input)")
    p.add_argument("--file", help="read the text from this UTF-8 file")
    p.set_defaults(run=_narrative)

    p = rsub.add_parser("due", help="when the annual submission to the Ombudsman is due")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_due)


def _check(year: int, homes: int | None) -> None:
    from hoscase.reports.narratives import check_year

    check_year(year)
    if homes is not None and not 1 <= homes <= 10_000_000:
        raise HoscaseError("--homes must be a positive number of homes")


def _annual(args, context) -> int:
    from hoscase.figures import annual_figures, headline_json

    _check(args.year, args.homes)
    if not args.output and not args.json:
        raise HoscaseError("give -o FILE.pdf or -o FILE.xlsx, or --json")
    out = Path(args.output) if args.output else None
    if out and out.suffix.lower() not in (".pdf", ".xlsx"):
        raise HoscaseError(f"{out.name}: the report can be written as .pdf or .xlsx")
    service = context.service()
    figures = annual_figures(service, args.year, args.homes)
    if out and out.suffix.lower() == ".pdf":
        from hoscase.reports.annual import write_annual_pdf

        write_annual_pdf(service, args.year, out, args.homes, figures=figures)
    elif out:
        from hoscase.reports.xlsx import write_figures_xlsx

        write_figures_xlsx(figures, out)
    if args.json:
        full = headline_json(figures)
        full["year"] = figures["year_label"]
        full["previous"] = figures["previous"]
        print(json.dumps(full, indent=2, ensure_ascii=False))
    elif out:
        print(f"wrote {out}")
    return 0


def _quarterly(args, context) -> int:
    from hoscase.figures import headline_json
    from hoscase.reports.quarterly import quarter_figures, write_quarterly_pdf

    _check(args.year, args.homes)
    if args.quarter not in (1, 2, 3, 4):
        from hoscase.years import quarter_months, year_start_month

        month = year_start_month(context.store)
        raise HoscaseError(f"--quarter must be 1 ({quarter_months(1, month)}), 2, 3 or 4 "
                           f"({quarter_months(4, month)})")
    if not args.output and not args.json:
        raise HoscaseError("give -o FILE.pdf, or --json")
    service = context.service()
    if args.output:
        out = Path(args.output)
        if out.suffix.lower() != ".pdf":
            raise HoscaseError(f"{out.name}: the quarterly update is written as .pdf")
        figures = write_quarterly_pdf(service, args.year, args.quarter, out, args.homes)
    else:
        figures = quarter_figures(service, args.year, args.quarter, args.homes)
    if args.json:
        full = headline_json(figures)
        full["quarter"] = figures["label"]
        print(json.dumps(full, indent=2, ensure_ascii=False))
    else:
        print(f"wrote {args.output}")
    return 0


def _narrative(args, context) -> int:
    import sys

    from hoscase.reports.narratives import save_narrative

    if (args.text is None) == (args.file is None):
        raise HoscaseError("give the text with --text TEXT or --file FILE")
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise HoscaseError(f"could not read {args.file}: {exc}") from None
    else:
        text = sys.stdin.read() if args.text == "-" else args.text
    save_narrative(context.store, args.year, args.section, text)
    from hoscase.years import year_label, year_start_month

    print(f"{args.section} for {year_label(args.year, year_start_month(context.store))} saved")
    return 0


def _due(args, context) -> int:
    from hoscase.reports.submission import submission_due

    due, text = submission_due(context.store, context.service().today)
    if args.json:
        print(json.dumps({"due": due.isoformat(), "text": text}, ensure_ascii=False))
    else:
        print(text)
    return 0
