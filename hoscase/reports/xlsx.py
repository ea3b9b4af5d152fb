"""The year's figures as a spreadsheet, one sheet per part of the report, for the governing body's papers or
the Ombudsman's submission form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from hoscase.pdffonts import write_atomically
from hoscase.rules import DECISIONS, REFUSAL_REASONS, REMEDY_KINDS

HEADER_FILL = PatternFill("solid", fgColor="E8EEF5")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (leading = + - @, or a tab/CR) is kept as text."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def write_figures_xlsx(figures: dict, path: Path | str) -> None:
    """Write the annual (or any period's) figures to ``path``."""
    path = Path(path)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    s1, s2 = figures["stage1"], figures["stage2"]
    prev = figures.get("previous")
    head = ["Measure", "Stage 1", "Stage 2"]
    if prev:
        head += [f"Stage 1 {prev['year_label']}", f"Stage 2 {prev['year_label']}"]
    rows = [
        ("Complaints received", "received"),
        ("Received per 1,000 homes (CH01)", "per_1000_homes"),
        ("Responses sent", "responded"),
        ("Responded within the Code's timescales", "responded_within_timescale"),
        ("% responded within timescales (CH02)", "within_timescale_pct"),
        ("Acknowledged within 5 working days", "acknowledged_within_5"),
        ("% acknowledged within 5 working days", "acknowledged_within_5_pct"),
        ("Average working days to respond", "average_working_days_to_respond"),
        ("Responses with an extension", "extensions_used"),
        ("Extensions beyond the Code's limit (good reason recorded)", "extensions_beyond_limit"),
        ("Withdrawn by the resident", "withdrawn"),
    ]
    _sheet_rows(summary, [f"Period {figures['period']['start']} to {figures['period']['end']}"
                          + (f"; homes {figures['homes']:,}" if figures.get("homes") else "; homes not recorded")],
                [])
    summary.append([])
    summary.append(head)
    _style_header(summary, summary.max_row)
    for name, key in rows:
        line = [name, s1.get(key), s2.get(key)]
        if prev:
            line += [prev["stage1"].get(key), prev["stage2"].get(key)]
        summary.append(line)
    summary.append(["Complaints not accepted (refused)", figures["refused"], None])
    summary.append(["Stage 2 requests as % of stage 1 responses", figures.get("escalation_pct"), None])
    _widths(summary, [58, 14, 14, 18, 18])

    ws = wb.create_sheet("By month")
    ws.append(["Month", "Stage 1 received", "Stage 1 responded", "Stage 1 within timescale", "Stage 2 received",
               "Stage 2 responded", "Stage 2 within timescale"])
    _style_header(ws, 1)
    for month in s1["by_month"]:
        a, b = s1["by_month"][month], s2["by_month"][month]
        ws.append([month, a["received"], a["responded"], a["responded_within_timescale"], b["received"],
                   b["responded"], b["responded_within_timescale"]])
    _widths(ws, [10, 16, 18, 22, 16, 18, 22])

    for title, key in (("By category", "by_category"), ("By channel", "by_channel")):
        ws = wb.create_sheet(title)
        ws.append([title[3:].capitalize(), "Stage 1", "Stage 2"])
        _style_header(ws, 1)
        for name in dict.fromkeys([*s1[key], *s2[key]]):
            ws.append([safe_cell(name), s1[key].get(name, 0), s2[key].get(name, 0)])
        _widths(ws, [36, 12, 12])

    ws = wb.create_sheet("Outcomes")
    ws.append(["Decision", "Stage 1", "Stage 2"])
    _style_header(ws, 1)
    for key, label in DECISIONS.items():
        ws.append([label, s1["outcomes"][key], s2["outcomes"][key]])
    _widths(ws, [24, 12, 12])

    ws = wb.create_sheet("Refused")
    ws.append(["Reason", "Number"])
    _style_header(ws, 1)
    for key, n in figures["refused_by_reason"].items():
        ws.append([REFUSAL_REASONS.get(key, key), n])
    ws.append(["Total", figures["refused"]])
    ws.append([])
    ws.append(["Category", "Number"])
    _style_header(ws, ws.max_row)
    for name, n in figures["refused_by_category"].items():
        ws.append([safe_cell(name), n])
    _widths(ws, [70, 12])

    ws = wb.create_sheet("Remedies")
    ws.append(["Remedy", "Number"])
    _style_header(ws, 1)
    for key, n in figures["remedies"]["by_kind"].items():
        ws.append([REMEDY_KINDS.get(key, key), n])
    ws.append(["Total remedies", figures["remedies"]["total"]])
    ws.append(["Total compensation offered (£)", figures["remedies"]["compensation_pence"] / 100])
    ws.cell(ws.max_row, 2).number_format = "£#,##0.00"
    ws.append([])
    for label, key in (("Actions promised", "promised"), ("Actions done", "done"), ("Actions still open", "open"),
                       ("Actions open and overdue", "open_overdue")):
        ws.append([label, figures["actions"][key]])
    _widths(ws, [52, 14])

    ws = wb.create_sheet("Ombudsman")
    o = figures["ombudsman"]
    for label, key in (("Referred in the period", "referred"), ("Determinations made in the period", "determined"),
                       ("Adverse findings", "adverse_findings"), ("Cases with orders", "with_orders"),
                       ("Orders complied with on time", "orders_complied_on_time"),
                       ("Orders complied with late", "orders_complied_late"), ("Orders overdue", "orders_overdue"),
                       ("Orders not yet due", "orders_not_yet_due")):
        ws.append([label, o[key]])
    ws.append([])
    ws.append(["Case", "Referred", "Determined", "Finding", "Orders", "Orders due", "Complied on", "Compliance"])
    _style_header(ws, ws.max_row)
    for c in o["cases"]:
        ws.append([safe_cell(c["reference"]), c["referred_on"], c.get("determined_on"), c["finding"],
                   safe_cell(c["orders"]), c["orders_due"], c["orders_complied_on"], c["compliance"]])
    _widths(ws, [30, 12, 12, 24, 50, 12, 12, 18])

    ws = wb.create_sheet("Learning")
    ws.append(["Case", "Category", "Learning / improvement"])
    _style_header(ws, 1)
    for item in figures["learning"]:
        ws.append([safe_cell(item["reference"]), safe_cell(item["category"]), safe_cell(item["learning"])])
    _widths(ws, [16, 24, 90])
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    save_workbook(wb, path)


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save via a temporary file, so a failure never leaves half a spreadsheet behind."""
    write_atomically(path, wb.save)


def _sheet_rows(ws: Any, first: list, rest: list) -> None:
    ws.append(first)
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for row in rest:
        ws.append(row)


def _style_header(ws: Any, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def _widths(ws: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
