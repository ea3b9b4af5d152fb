"""The annual complaints performance and service improvement report (Code 8.1, 8.2) as a PDF.

Figures come from hoscase.figures; the narrative sections and the governing body's response are written by the
officer per year. No personal data goes in: cases are named by reference only.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hoscase.errors import HoscaseError
from hoscase.figures import annual_figures, financial_year, year_start_month
from hoscase.pdffonts import write_atomically
from hoscase.reports import pdf
from hoscase.reports.pdf import FRAME_WIDTH, escape, fmt, money, narrative, para, rich, styles, table
from hoscase.rules import DECISIONS, REFUSAL_REASONS, REMEDY_KINDS
from hoscase.years import period_text

TITLE = "Annual complaints performance and service improvement report"
APPENDIX_PAGE_LABEL = "Self-assessment, page"  # the appended form's footers
LEARNING_LIMIT = 200  # learning entries listed in full; beyond this the report says how many more
OMBUDSMAN_LIMIT = 200


def organisation_name(store: Any) -> str:
    org = store.get_setting("organisation") or {}
    return (org.get("name") if isinstance(org, dict) else "") or "Our organisation"


def write_annual_pdf(service: Any, year: int, path: Path | str, homes: int | None = None,
                     figures: dict | None = None) -> dict:
    """Write the year's report to ``path``; returns the figures it shows."""
    path = Path(path)
    figures = figures or annual_figures(service, year, homes)
    store = service.store
    org = organisation_name(store)
    texts = store.report_narratives(year)
    start, end = financial_year(year, year_start_month(store))
    story = _story(figures, texts, org, start, end, service.today)
    self_assessment = _self_assessment_pdf(service, year)
    if self_assessment is None:
        story += [PageBreak(), rich("Appendix: the self-assessment against the Code (8.1a)", "h1"),
                  para("The self-assessment against the Complaint Handling Code for "
                       f"{figures['year_label']} is not yet recorded. Complete it in the app (Self-assessment) "
                       "and produce this report again: it is appended here.", "placeholder")]
    else:
        story += [rich("Appendix: the self-assessment against the Code (8.1a)", "h1"),
                  para(f"The self-assessment against the Complaint Handling Code for {figures['year_label']} "
                       "follows on the next pages.")]
    _build(path, story, org, f"{TITLE} {figures['year_label']}", _page_count(self_assessment))
    if self_assessment is not None:
        try:
            _append_pdf(path, self_assessment)
        finally:
            self_assessment.unlink(missing_ok=True)
    return figures


def _page_count(extra: Path | None) -> int:
    if extra is None:
        return 0
    from pypdf import PdfReader

    return len(PdfReader(str(extra)).pages)


def _build(path: Path, story: list, org: str, title: str, appended_pages: int = 0) -> None:
    """Write the report; its footers count ``appended_pages`` (added afterwards) in the "of m" total."""

    def write(tmp: Path) -> None:
        doc = SimpleDocTemplate(str(tmp), pagesize=pdf.A4, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
                                topMargin=16 * mm, bottomMargin=18 * mm, title=f"{org}: {title}", author=org,
                                subject=title, creator="hoscase")
        doc.build(story, canvasmaker=pdf.numbered_footer_canvas(org, title, appended_pages))

    write_atomically(path, write)


def _story(f: dict, texts: dict, org: str, start: dt.date, end: dt.date, today: dt.date) -> list:
    s1, s2 = f["stage1"], f["stage2"]
    label = f["year_label"]
    homes = f["homes"]
    story: list = [
        rich(pdf.escape(org), "subtitle"),
        rich(f"{TITLE}<br/>{label}", "title"),
        para(f"{period_text(start, end)}. Prepared {pdf.long_date(today)} under the Housing "
             "Ombudsman's Complaint Handling Code (2024), section 8.", "subtitle"),
    ]
    if homes:
        story.append(para(f"Homes managed: {homes:,}.", "small"))
    else:
        story.append(para("The number of homes is not recorded, so the complaints per 1,000 homes (CH01) cannot be "
                          "worked out: set it in Settings or pass --homes.", "placeholder"))

    story += [rich("Introduction", "h1"),
              *narrative(texts.get("introduction", ""), "No introduction written yet: add one on the Reports page "
                                                         "(or hoscase report narrative --section introduction).")]

    story += [rich("Our performance at a glance", "h1"), _key_sentences(f)]
    story.append(_summary_table(f))
    story.append(para("CH01 and CH02 are the Regulator of Social Housing's tenant satisfaction measures. A refused "
                      "complaint is not counted as received. A response is within the Code's timescale when it is "
                      "sent on or before the due date counted from the acknowledgement, including any extension "
                      "agreed. Responses are counted in the year they were sent.", "small"))

    story += [rich("Complaints over the year", "h1"), *_charts(f)]

    story += [rich("Outcomes", "h1"), table(
        [["Decision", "Stage 1", "% of stage 1", "Stage 2", "% of stage 2"]]
        + [[DECISIONS[k], s1["outcomes"][k], _share(s1["outcomes"][k], s1["responded"]), s2["outcomes"][k],
            _share(s2["outcomes"][k], s2["responded"])] for k in DECISIONS]
        + [["Total responses", s1["responded"], "", s2["responded"], ""]],
        [62 * mm, 26 * mm, 28 * mm, 26 * mm, 28 * mm])]

    story += [rich("What complaints were about", "h1"), _breakdown("Category", s1["by_category"],
                                                                    s2["by_category"])]
    story += [rich("How complaints were made", "h2"), _breakdown("Channel", s1["by_channel"], s2["by_channel"],
                                                                     label=_sentence_case)]

    story += _refused_section(f)
    story += _remedies_section(f)
    story += _ombudsman_section(f)
    story += _learning_section(f, texts)

    story += [rich("Themes and trends", "h1"),
              *narrative(texts.get("themes", ""), "No themes written yet: describe the year's themes and trends "
                                                  "on the Reports page.")]
    story += [rich("Comparison with the previous year", "h1"), _comparison_table(f)]
    if _no_records(f["previous"]):
        story.append(para(f"No complaints are recorded for {f['previous']['year_label']}, so there is no change to "
                          "show: the records kept in the app start later.", "small"))
    story += [rich("The governing body's response (8.2)", "h1"),
              *narrative(texts.get("governing_body_response", ""),
                         "The governing body's response is not yet recorded. The Code (8.2) requires the report "
                         "to go to the governing body and its response to be published alongside it.")]
    return story


def _key_sentences(f: dict) -> Any:
    s1, s2 = f["stage1"], f["stage2"]
    parts = [f"We received <b>{s1['received']:,}</b> stage 1 complaints and <b>{s2['received']:,}</b> stage 2 "
             f"escalations"]
    if f["homes"]:
        parts.append(f" ({fmt(s1['per_1000_homes'])} and {fmt(s2['per_1000_homes'])} per 1,000 homes)")
    parts.append(". ")
    if s1["responded"]:
        parts.append(f"{fmt(s1['within_timescale_pct'])}% of stage 1 responses were sent within the Code's "
                     "timescales")
        parts.append(f" and {fmt(s2['within_timescale_pct'])}% at stage 2. " if s2["responded"]
                     else "; there were no stage 2 responses. ")
    if f["refused"]:
        parts.append(f"{f['refused']:,} complaint{'s were' if f['refused'] != 1 else ' was'} not accepted. ")
    return rich("".join(parts))


def _summary_table(f: dict) -> Table:
    s1, s2, p = f["stage1"], f["stage2"], f["previous"]
    head = ["", "Stage 1", "Stage 2", f"Stage 1 {p['year_label']}", f"Stage 2 {p['year_label']}"]
    rows = [
        ["Complaints received", s1["received"], s2["received"], p["stage1"]["received"], p["stage2"]["received"]],
        ["Received per 1,000 homes (CH01)", s1["per_1000_homes"], s2["per_1000_homes"],
         p["stage1"]["per_1000_homes"], p["stage2"]["per_1000_homes"]],
        ["Responses sent", s1["responded"], s2["responded"], p["stage1"]["responded"], p["stage2"]["responded"]],
        ["Responded within the Code's timescales", s1["responded_within_timescale"],
         s2["responded_within_timescale"], p["stage1"]["responded_within_timescale"],
         p["stage2"]["responded_within_timescale"]],
        ["% responded within timescales (CH02)", _pct(s1["within_timescale_pct"]), _pct(s2["within_timescale_pct"]),
         _pct(p["stage1"]["within_timescale_pct"]), _pct(p["stage2"]["within_timescale_pct"])],
        ["% acknowledged within 5 working days", _pct(s1["acknowledged_within_5_pct"]),
         _pct(s2["acknowledged_within_5_pct"]), _pct(p["stage1"]["acknowledged_within_5_pct"]),
         _pct(p["stage2"]["acknowledged_within_5_pct"])],
        ["Average working days to respond", s1["average_working_days_to_respond"],
         s2["average_working_days_to_respond"], p["stage1"]["average_working_days_to_respond"],
         p["stage2"]["average_working_days_to_respond"]],
        ["Responses with an extension", s1["extensions_used"], s2["extensions_used"],
         p["stage1"]["extensions_used"], p["stage2"]["extensions_used"]],
        ["Withdrawn by the resident", s1["withdrawn"], s2["withdrawn"], None, None],
    ]
    return table([head] + rows, [66 * mm, 24 * mm, 24 * mm, 30 * mm, 30 * mm], bold_first_col=False)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _charts(f: dict) -> list:
    s1, s2 = f["stage1"], f["stage2"]
    months = list(s1["by_month"])
    labels = [pdf.month_label(m) for m in months]
    volumes = pdf.bar_chart("Complaints received by month", labels, [
        ("Stage 1", [s1["by_month"][m]["received"] for m in months]),
        ("Stage 2", [s2["by_month"][m]["received"] for m in months]),
    ])
    within = [s1["by_month"][m]["responded_within_timescale"] + s2["by_month"][m]["responded_within_timescale"]
              for m in months]
    late = [s1["by_month"][m]["responded"] + s2["by_month"][m]["responded"] - within[i] for i, m in enumerate(months)]
    timeliness = pdf.bar_chart("Responses by month: within the Code's timescales, and late", labels, [
        ("Within timescale", within), ("Late", late)], stacked=True)
    outcomes1 = pdf.pie_chart("Stage 1 outcomes", [(DECISIONS[k], s1["outcomes"][k]) for k in DECISIONS])
    outcomes2 = pdf.pie_chart("Stage 2 outcomes", [(DECISIONS[k], s2["outcomes"][k]) for k in DECISIONS])
    pies = Table([[outcomes1, outcomes2]], colWidths=[FRAME_WIDTH / 2] * 2)
    pies.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [volumes, Spacer(1, 4 * mm), timeliness, Spacer(1, 4 * mm), pies]


def _sentence_case(text: str) -> str:
    """A stored code word ("in person") as a label ("In person")."""
    return text[:1].upper() + text[1:]


def _breakdown(what: str, first: dict, second: dict, label: Any = str) -> Table:
    names = list(dict.fromkeys([*first, *second]))
    rows = [[what, "Stage 1", "Stage 2", "% of stage 1"]]
    total = sum(first.values())
    for name in names:
        rows.append([label(name), first.get(name, 0), second.get(name, 0), _pct(round(100 * first.get(name, 0) / total, 1)
                                                                         if total else None)])
    if not names:
        rows.append(["No complaints received in the year", None, None, None])
    return table(rows, [80 * mm, 28 * mm, 28 * mm, 30 * mm])


def _refused_section(f: dict) -> list:
    out = [rich("Complaints not accepted (8.1b)", "h1")]
    n = f["refused"]
    if not n:
        out.append(para("No complaint was refused during the year: every expression of dissatisfaction was taken "
                        "through the complaints process."))
        return out
    reasons = [(REFUSAL_REASONS[k], v) for k, v in f["refused_by_reason"].items() if v]
    top = max(reasons, key=lambda kv: kv[1])
    out.append(para(f"{n:,} complaint{'s were' if n != 1 else ' was'} not accepted into the complaints process, "
                    f"each with the reason explained to the resident and their right to take it to the Ombudsman. "
                    f"The most common reason: {top[0].lower()} ({top[1]:,})."))
    rows = [["Reason (Code section 2)", "Number"]] + [[REFUSAL_REASONS[k], v] for k, v in
                                                       f["refused_by_reason"].items()]
    rows.append(["Total", n])
    out.append(table(rows, [140 * mm, 30 * mm]))
    if f["refused_by_category"]:
        out.append(rich("What the refused complaints were about", "h2"))
        rows = [["Category", "Number"]] + [[k, v] for k, v in f["refused_by_category"].items()]
        out.append(table(rows, [140 * mm, 30 * mm]))
    return out


def _remedies_section(f: dict) -> list:
    r, a = f["remedies"], f["actions"]
    out = [rich("Putting things right", "h1")]
    out.append(para(f"Responses sent in the year offered {r['total']:,} remedies, including "
                    f"{money(r['compensation_pence'])} in financial remedies."))
    rows = [["Remedy (Code 7.1)", "Number"]] + [[REMEDY_KINDS[k], v] for k, v in r["by_kind"].items()]
    rows.append(["Total compensation offered", money(r["compensation_pence"])])
    out.append(table(rows, [140 * mm, 30 * mm]))
    out.append(rich("Actions promised to residents", "h2"))
    out.append(table([["Actions", "Number"], ["Promised in the year's responses", a["promised"]],
                      ["Completed", a["done"]], ["Still open", a["open"]],
                      ["Still open and past their due date", a["open_overdue"]]], [140 * mm, 30 * mm]))
    return out


def _ombudsman_section(f: dict, period: str = "year") -> list:
    o = f["ombudsman"]
    out = [rich("The Housing Ombudsman's involvement (8.1c, e, f)", "h1")]
    if not o["cases"]:
        out.append(para(f"No complaint was referred to the Housing Ombudsman during the {period}, and no "
                        "Ombudsman determination or order fell in it."))
        return out
    findings = ", ".join(f"{v} {k}" for k, v in o["findings"].items()) or "none"
    orders = "No orders were recorded." if not o["with_orders"] else (
        f"{o['with_orders']} case{'s' if o['with_orders'] != 1 else ''} had orders: "
        f"{o['orders_complied_on_time']} complied with on time, {o['orders_complied_late']} late, "
        f"{o['orders_overdue']} overdue and {o['orders_not_yet_due']} not yet due.")
    out.append(para(f"{o['referred']:,} complaint{'s were' if o['referred'] != 1 else ' was'} referred to the "
                    f"Ombudsman during the {period}. Determinations made in the {period}: {findings}. {orders}"))
    rows = [["Case", "Referred", "Finding, determined on", "Orders", "Due", "Complied", "Compliance"]]
    for c in o["cases"][:OMBUDSMAN_LIMIT]:
        finding = escape(c["finding"] or "awaiting")
        if c.get("determined_on"):  # the date under the finding: a column of its own would not fit the page
            finding += f"<br/>{escape(c['determined_on'])}"
        rows.append([c["reference"], c["referred_on"] or "", Paragraph(finding, styles()["cell"]), c["orders"] or "",
                     c["orders_due"] or "", c["orders_complied_on"] or "", c["compliance"]])
    # Widths fit a reference, an ISO date and "maladministration" on one line in DejaVu Sans 8.5 pt.
    out.append(table(rows, [23 * mm, 21 * mm, 31 * mm, 34 * mm, 21 * mm, 21 * mm, 23 * mm], numeric_from=99))
    if len(o["cases"]) > OMBUDSMAN_LIMIT:
        out.append(para(f"… and {len(o['cases']) - OMBUDSMAN_LIMIT:,} more cases (see the spreadsheet export).",
                        "small"))
    return out


def _learning_section(f: dict, texts: dict) -> list:
    out = [rich("Service improvements from complaints (8.1d)", "h1"),
           *narrative(texts.get("learning", ""), "No summary of the year's learning written yet: add one on the "
                                                 "Reports page. The improvements recorded on cases follow.")]
    grouped: dict[str, list[str]] = defaultdict(list)
    categories: dict[str, set] = defaultdict(set)
    for item in f["learning"]:
        grouped[item["learning"]].append(item["reference"])
        categories[item["learning"]].add(item["category"])
    if not grouped:
        out.append(para("No learning was recorded on the year's cases."))
        return out
    out.append(rich("Improvements recorded on cases", "h2"))
    rows = [["Improvement made", "Area", "Cases"]]
    ordered = sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for text, refs in ordered[:LEARNING_LIMIT]:
        shown = ", ".join(refs[:6]) + (f" and {len(refs) - 6} more" if len(refs) > 6 else "")
        rows.append([text, ", ".join(sorted(categories[text])), shown])
    out.append(table(rows, [92 * mm, 34 * mm, 48 * mm], numeric_from=99))
    if len(ordered) > LEARNING_LIMIT:
        out.append(para(f"… and {len(ordered) - LEARNING_LIMIT:,} more (see the spreadsheet export).", "small"))
    return out


def _no_records(p: dict) -> bool:
    """True when the previous year has nothing recorded at all (the app's records start later)."""
    return not any(p[f"stage{n}"][k] for n in (1, 2) for k in ("received", "responded")) and not p["refused"]


def _comparison_table(f: dict) -> Table:
    p = f["previous"]
    rows = [["Measure", p["year_label"], f["year_label"], "Change"]]
    nothing_before = _no_records(p)

    def add(name: str, before: Any, now: Any, unit: str = "") -> None:
        change = None if before is None or now is None or nothing_before else round(now - before, 1)
        shown = "–" if change is None else (f"{change:+,.1f}{unit}" if isinstance(change, float) else f"{change:+,}")
        rows.append([name, fmt(before, unit if before is not None else ""), fmt(now, unit if now is not None else ""),
                     shown])

    for n in (1, 2):
        cur, old = f[f"stage{n}"], p[f"stage{n}"]
        add(f"Stage {n} complaints received", old["received"], cur["received"])
        add(f"Stage {n} per 1,000 homes (CH01)", old["per_1000_homes"], cur["per_1000_homes"])
        add(f"Stage {n} within timescales (CH02)", old["within_timescale_pct"], cur["within_timescale_pct"], "%")
        add(f"Stage {n} average working days to respond", old["average_working_days_to_respond"],
            cur["average_working_days_to_respond"])
    add("Complaints not accepted", p["refused"], f["refused"])
    add("Remedies offered", p["remedies_total"], f["remedies"]["total"])
    rows.append(["Compensation offered", money(p["compensation_pence"]), money(f["remedies"]["compensation_pence"]),
                 "–" if nothing_before else _money_change(f["remedies"]["compensation_pence"]
                                                           - p["compensation_pence"])])
    add("Referred to the Ombudsman", p["ombudsman_referred"], f["ombudsman"]["referred"])
    return table(rows, [80 * mm, 30 * mm, 30 * mm, 30 * mm])


def _money_change(pence: int) -> str:
    return ("+" if pence >= 0 else "-") + money(abs(pence))


# --- the self-assessment (8.1a) -----------------------------------------------------------------------------


def _self_assessment_pdf(service: Any, year: int) -> Path | None:
    """The year's self-assessment as a PDF in a temporary file, when the app has one recorded."""
    try:
        from hoscase import selfassessment_export as sa  # written alongside this module (issue 5)
    except ImportError:
        return None
    writer = getattr(sa, "export_pdf", None) or getattr(sa, "write_pdf", None)
    if writer is None:
        return None
    fd, name = tempfile.mkstemp(suffix=".pdf", prefix="hoscase-sa-")
    os.close(fd)
    target = Path(name)
    try:
        if not _call_self_assessment(writer, service, year, target) or target.stat().st_size == 0:
            target.unlink(missing_ok=True)
            return None
    except HoscaseError:
        target.unlink(missing_ok=True)
        return None
    return target


def _call_self_assessment(writer: Any, service: Any, year: int, target: Path) -> bool:
    """Call the self-assessment export with whichever of the store or the service it takes."""
    import inspect

    params = list(inspect.signature(writer).parameters)
    first = service if params and params[0] in ("service", "case_service") else service.store
    # Its pages follow the report's: "Self-assessment, page 1 of 14", not a second "Page 1".
    extra = {"page_label": APPENDIX_PAGE_LABEL} if "page_label" in params else {}
    writer(first, year, target, **extra)
    return target.exists()


def _append_pdf(path: Path, extra: Path) -> None:
    from pypdf import PdfWriter

    merged = PdfWriter()
    merged.append(str(path))
    merged.append(str(extra))
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            merged.write(handle)

    write_atomically(path, write)
