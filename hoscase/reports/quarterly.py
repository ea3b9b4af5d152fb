"""The quarterly update for the governing body and the Member Responsible for Complaints (Code 9.6, 9.7 a to d):
the quarter's figures, the trend over the last five quarters, the Ombudsman's outcomes and the annual report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from hoscase.figures import financial_year, quarter_period, stage_figures, year_label, year_start_month
from hoscase.reports import pdf
from hoscase.reports.annual import (
    _breakdown,
    _build,
    _ombudsman_section,
    _pct,
    _share,
    organisation_name,
)
from hoscase.reports.pdf import fmt, money, para, rich, table
from hoscase.reports.submission import submission_due
from hoscase.rules import DECISIONS, REFUSAL_REASONS

TITLE = "Complaints update for the governing body"


def previous_quarters(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    """(year, quarter) for the ``count`` quarters ending with this one, oldest first."""
    out = []
    y, q = int(year), int(quarter)
    for _ in range(count):
        out.append((y, q))
        y, q = (y - 1, 4) if q == 1 else (y, q - 1)
    return out[::-1]


def quarter_figures(service: Any, year: int, quarter: int, homes: int | None = None) -> dict:
    """The quarter's figures, the five quarters' trend and the year to date."""
    month = year_start_month(service.store)
    start, end = quarter_period(year, quarter, month)
    figures = stage_figures(service, start, end, homes)
    figures["label"] = f"Q{quarter} {year_label(year, month)}"
    trend = []
    for y, q in previous_quarters(year, quarter, 5):
        s, e = quarter_period(y, q, month)
        f = figures if (y, q) == (int(year), int(quarter)) else stage_figures(service, s, e, homes)
        trend.append({"label": f"Q{q} {year_label(y, month)}", "stage1": f["stage1"], "stage2": f["stage2"],
                      "refused": f["refused"], "ombudsman_referred": f["ombudsman"]["referred"]})
    figures["trend"] = trend
    year_start, _ = financial_year(year, month)
    figures["year_to_date"] = stage_figures(service, year_start, end, homes)
    return figures


def write_quarterly_pdf(service: Any, year: int, quarter: int, path: Path | str, homes: int | None = None) -> dict:
    f = quarter_figures(service, year, quarter, homes)
    org = organisation_name(service.store)
    start, end = quarter_period(year, quarter, year_start_month(service.store))
    story = _story(service, f, org, start, end)
    _build(Path(path), story, org, f"{TITLE}, {f['label']}")
    return f


def _story(service: Any, f: dict, org: str, start: dt.date, end: dt.date) -> list:
    s1, s2 = f["stage1"], f["stage2"]
    prev = f["trend"][-2] if len(f["trend"]) > 1 else None
    ytd = f["year_to_date"]
    story: list = [
        rich(pdf.escape(org), "subtitle"),
        rich(f"{TITLE}<br/>{f['label']}", "title"),
        para(f"{pdf.long_date(start)} to {pdf.long_date(end)}. For the governing body and the Member Responsible "
             f"for Complaints (Code 9.6, 9.7). Prepared {pdf.long_date(service.today)}.", "subtitle"),
        rich("Volume, categories, outcomes and performance (9.7a)", "h1"),
    ]
    head = ["", "Stage 1", "Stage 2"]
    if prev:
        head += [f"Stage 1 {prev['label']}", f"Stage 2 {prev['label']}"]
    rows = []
    for name, key, pct in (("Complaints received", "received", False), ("Per 1,000 homes (CH01)", "per_1000_homes", False),
                           ("Responses sent", "responded", False),
                           ("Responded within the Code's timescales", "responded_within_timescale", False),
                           ("% within timescales (CH02)", "within_timescale_pct", True),
                           ("% acknowledged within 5 working days", "acknowledged_within_5_pct", True),
                           ("Average working days to respond", "average_working_days_to_respond", False),
                           ("Responses with an extension", "extensions_used", False)):
        show = _pct if pct else (lambda v: v)
        row = [name, show(s1[key]), show(s2[key])]
        if prev:
            row += [show(prev["stage1"][key]), show(prev["stage2"][key])]
        rows.append(row)
    widths = [62 * mm, 22 * mm, 22 * mm, 34 * mm, 34 * mm] if prev else [80 * mm, 30 * mm, 30 * mm]
    story.append(table([head] + rows, widths))
    story.append(para(f"Complaints not accepted this quarter: {f['refused']}"
                      + (" (" + ", ".join(f"{REFUSAL_REASONS[k].lower()}: {v}" for k, v in f["refused_by_reason"].items()
                                         if v) + ")" if f["refused"] else "") + ". "
                      f"Remedies offered: {f['remedies']['total']}, with {money(f['remedies']['compensation_pence'])}"
                      f" in financial remedies. Actions promised this quarter still open: {f['actions']['open']} "
                      f"({f['actions']['open_overdue']} overdue).", "body"))
    story.append(rich("Outcomes", "h2"))
    story.append(table([["Decision", "Stage 1", "% of stage 1", "Stage 2", "% of stage 2"]]
                       + [[DECISIONS[k], s1["outcomes"][k], _share(s1["outcomes"][k], s1["responded"]),
                           s2["outcomes"][k], _share(s2["outcomes"][k], s2["responded"])] for k in DECISIONS],
                       [62 * mm, 26 * mm, 28 * mm, 26 * mm, 28 * mm]))
    story.append(rich("What complaints were about", "h2"))
    story.append(_breakdown("Category", s1["by_category"], s2["by_category"]))

    story.append(rich("Issues and trends (9.7b)", "h1"))
    trend = f["trend"]
    story.append(pdf.bar_chart("Complaints received, last five quarters", [t["label"] for t in trend], [
        ("Stage 1", [t["stage1"]["received"] for t in trend]), ("Stage 2", [t["stage2"]["received"] for t in trend]),
    ], height=55 * mm))
    story.append(Spacer(1, 3 * mm))
    rows = [["Quarter", "Stage 1 received", "Stage 1 CH02", "Stage 2 received", "Stage 2 CH02", "Not accepted",
             "To the Ombudsman"]]
    for t in trend:
        rows.append([t["label"], t["stage1"]["received"], _pct(t["stage1"]["within_timescale_pct"]),
                     t["stage2"]["received"], _pct(t["stage2"]["within_timescale_pct"]), t["refused"],
                     t["ombudsman_referred"]])
    story.append(table(rows, [28 * mm, 24 * mm, 22 * mm, 24 * mm, 22 * mm, 24 * mm, 30 * mm]))
    if prev:
        story.append(para(_category_changes(s1["by_category"], prev["stage1"].get("by_category", {}))))
    if f["learning"]:
        story.append(rich("Learning recorded on this quarter's cases", "h2"))
        seen: dict[str, list[str]] = {}
        for item in f["learning"]:
            seen.setdefault(item["learning"], []).append(item["reference"])
        rows = [["Improvement", "Cases"]] + [[text, ", ".join(refs[:5]) + (f" +{len(refs) - 5}" if len(refs) > 5 else "")]
                                             for text, refs in list(seen.items())[:50]]
        story.append(table(rows, [120 * mm, 54 * mm], numeric_from=99))

    ombudsman = _ombudsman_section(f, "quarter")
    ombudsman[0] = rich("The Ombudsman's investigations and orders (9.7c)", "h1")
    story += ombudsman
    severe = [c for c in f["ombudsman"]["cases"] if c["finding"] == "severe maladministration"]
    if severe:
        story.append(para(f"Severe maladministration findings: {len(severe)}. Progress on their orders: "
                          + "; ".join(f"{c['reference']}: {c['compliance'] or 'no orders recorded'}" for c in severe)
                          + "."))

    _, text = submission_due(service.store, service.today)
    # A short closing section: kept on one page, never its last line alone on a page of its own.
    story.append(KeepTogether([rich("The annual complaints performance report (9.7d)", "h1"), para(text), para(f"Year to date ({pdf.long_date(dt.date.fromisoformat(ytd['period']['start']))} to "
                      f"{pdf.long_date(end)}): {ytd['stage1']['received']:,} stage 1 complaints "
                      f"({_pct(ytd['stage1']['within_timescale_pct'])} answered within timescales) and "
                      f"{ytd['stage2']['received']:,} stage 2 "
                      f"({_pct(ytd['stage2']['within_timescale_pct'])}); {ytd['refused']:,} not accepted.")]))
    return story


def _category_changes(now: dict, before: dict) -> str:
    changes = []
    for name in dict.fromkeys([*now, *before]):
        delta = now.get(name, 0) - before.get(name, 0)
        if delta:
            changes.append((delta, name))
    if not changes:
        return "Stage 1 complaints by category were the same as the quarter before."
    changes.sort(key=lambda kv: (-abs(kv[0]), kv[1]))
    shown = ", ".join(f"{name} {fmt(now.get(name, 0))} ({delta:+d})" for delta, name in changes[:4])
    return f"Largest changes in stage 1 complaints by category since the quarter before: {shown}."
