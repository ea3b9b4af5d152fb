"""The self-assessment and its improvement action plan as the published forms (PDF), and as CSV and XLSX.

The PDF follows the form landlords publish: landscape A4, a table per section of the Code with the columns Code
provision | Requirement | Comply | Evidence | Commentary | RAG, the header repeated on every page, the RAG key at the
start and the version history at the end. The writers take an already-loaded Assessment, so the desktop app can
run them off the GUI thread without touching the database.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hoscase.errors import HoscaseError
from hoscase.pdffonts import font_names, write_atomically
from hoscase.pdfpages import numbered_canvas
from hoscase.selfassessment import RAG_COLOURS, RAG_LABELS, Assessment, SelfAssessments

PAGE = landscape(A4)
MARGIN = 12 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
INK = colors.HexColor("#1f2933")
HEAD = colors.HexColor("#1d4e89")
HEAD_TEXT = colors.white
SUBHEAD = colors.HexColor("#e8eef5")
GRID = colors.HexColor("#8fa3b8")
RAG_TEXT = {"green": colors.white, "amber": INK, "red": colors.white}

FORM_TITLE = "Housing Ombudsman Complaint Handling Code: self-assessment"
PLAN_TITLE = "Housing Ombudsman Complaint Handling Code: self-assessment improvement action plan"
CSV_COLUMNS = ("provision", "section", "requirement", "comply", "evidence", "commentary", "rag", "actions")
# Cells a spreadsheet would run as a formula; such text gets a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- fonts and styles -----------------------------------------------------------------------------------------


def fonts() -> tuple[str, str]:
    """(regular, bold): the app's one PDF font (hoscase.pdffonts), registered once for letters and reports alike."""
    return font_names()


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    cell = ParagraphStyle("sa_cell", fontName=regular, fontSize=8, leading=10, textColor=INK)
    return {
        "cell": cell,
        "cell_bold": ParagraphStyle("sa_cell_bold", parent=cell, fontName=bold),
        "head": ParagraphStyle("sa_head", parent=cell, fontName=bold, textColor=HEAD_TEXT),
        "rag": ParagraphStyle("sa_rag", parent=cell, fontName=bold, alignment=1),
        "title": ParagraphStyle("sa_title", parent=cell, fontName=bold, fontSize=16, leading=20, textColor=HEAD,
                                spaceAfter=4),
        "body": ParagraphStyle("sa_body", parent=cell, fontSize=9, leading=12, spaceAfter=4),
        "section": ParagraphStyle("sa_section", parent=cell, fontName=bold, fontSize=12, leading=15,
                                  textColor=HEAD, spaceBefore=10, spaceAfter=5),
        "subheading": ParagraphStyle("sa_subheading", parent=cell, fontName=bold, fontSize=8.5),
    }


def _p(text: Any, style: str = "cell") -> Paragraph:
    """User or Code text as a paragraph: escaped, line breaks kept."""
    body = escape("" if text is None else str(text)).replace("\r\n", "\n").replace("\n", "<br/>")
    return Paragraph(body, styles()[style])


def _date(text: str | None) -> str:
    if not text:
        return ""
    try:
        day = dt.date.fromisoformat(text)
        return f"{day.day} {day:%B %Y}"
    except ValueError:
        return str(text)


def organisation_name(store: Any) -> str:
    org = store.get_setting("organisation") or {}
    name = org.get("name") if isinstance(org, dict) else ""
    return (name or "").strip() or "Our organisation"


# --- page furniture -------------------------------------------------------------------------------------------


def _numbered_canvas(header: str, page_label: str = "Page") -> type:
    """A canvas that draws the running header and 'Page n of m' once it knows how many pages there are.

    ``page_label`` replaces "Page": appended to the annual report the form reads "Self-assessment, page 1 of 14",
    so its numbering is not mistaken for the report's own.
    """

    def furniture(canvas: Any, page: int, total: int) -> None:
        regular, _ = fonts()
        width, height = PAGE
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.HexColor("#52606d"))
        canvas.drawString(MARGIN, height - 8 * mm, header[:160])
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, height - 9.5 * mm, width - MARGIN, height - 9.5 * mm)
        canvas.drawRightString(width - MARGIN, 7 * mm, f"{page_label} {page} of {total}")

    return numbered_canvas(furniture)


def _build(path: Path, story: list, title: str, author: str, page_label: str = "Page") -> None:
    """Write atomically: a failed export never leaves half a file where the last good one was."""

    def write(tmp: Path) -> None:
        doc = SimpleDocTemplate(str(tmp), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=14 * mm, bottomMargin=13 * mm, title=title, author=author,
                                subject=title, creator="hoscase")
        doc.build(story, canvasmaker=_numbered_canvas(f"{author} · {title}", page_label))

    write_atomically(path, write)


def _rag_key() -> Table:
    rows = [[_p("RAG key", "cell_bold"), ""]]
    for rag, label in RAG_LABELS.items():
        rows.append([_rag_cell(rag), _p(label)])
    t = Table(rows, colWidths=[22 * mm, 90 * mm], hAlign="LEFT")
    commands = [("SPAN", (0, 0), (1, 0)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("GRID", (0, 1), (-1, -1), 0.4, GRID), ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for r, rag in enumerate(RAG_LABELS, start=1):
        commands.append(("BACKGROUND", (0, r), (0, r), colors.HexColor(RAG_COLOURS[rag])))
    t.setStyle(TableStyle(commands))
    return t


def _rag_cell(rag: str | None) -> Paragraph:
    if not rag:
        return _p("", "rag")
    colour = RAG_TEXT[rag]
    style = ParagraphStyle(f"sa_rag_{rag}", parent=styles()["rag"], textColor=colour)
    return Paragraph(rag.capitalize(), style)


# The tallest a row may be and still fit on a fresh page under a section heading and the repeated header row.
_ROW_LIMIT = PAGE[1] - 14 * mm - 13 * mm - 80
_PADDING = 6  # left plus right cell padding


def _pieces(cell: Any, width: float) -> list[Any]:
    """A cell's paragraph cut into pieces that each fit on a page (just the cell itself when it fits)."""
    if not isinstance(cell, Paragraph):
        return [cell]
    out, rest = [], cell
    while True:
        _w, height = rest.wrap(width - _PADDING, _ROW_LIMIT * 50)
        if height <= _ROW_LIMIT:
            return out + [rest]
        parts = rest.split(width - _PADDING, _ROW_LIMIT)
        if len(parts) < 2:
            return out + [rest]
        out.append(parts[0])
        rest = parts[1]


def _table(rows: list[list[Any]], widths: list[float], commands: list) -> Table:
    """A form table: the header row repeated on each page; rows are kept whole, except that a row taller than a
    page continues in rows marked 'continued' (reportlab's own in-row split repeats the header mid-page)."""
    out: list[list[Any]] = []
    first: list[int] = []
    last: list[int] = []
    for index, row in enumerate(rows):
        first.append(len(out))
        pieces = [_pieces(cell, width) for cell, width in zip(row, widths)] if index else [[c] for c in row]
        for n in range(max(len(p) for p in pieces)):
            line = [p[n] if n < len(p) else "" for p in pieces]
            if n and isinstance(row[0], Paragraph):
                line[0] = _p(f"{getattr(row[0], 'text', '')} continued".strip())
            out.append(line)
        last.append(len(out) - 1)
    remapped = []
    for command in commands:
        name, (c0, r0), (c1, r1), *rest = command
        r0 = first[r0] if r0 >= 0 else r0
        r1 = last[r1] if r1 >= 0 else r1
        remapped.append((name, (c0, r0), (c1, r1), *rest))
    table = Table(out, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle(remapped))
    return table


def _section_heading(text: str) -> list:
    """A heading that starts a new page rather than sit alone at the foot of one; the table below it then flows."""
    return [CondPageBreak(45 * mm), Paragraph(escape(text), styles()["section"])]


def _grid_style(header_rows: int = 1) -> list:
    regular, _ = fonts()
    return [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]


# --- the self-assessment form ---------------------------------------------------------------------------------

FORM_HEADINGS = ("Code provision", "Code requirement", "Comply: Yes / No", "Our evidence",
                 "Commentary / explanation", "RAG")
FORM_WIDTHS = [19 * mm, 82 * mm, 18 * mm, 64 * mm, 70 * mm, 20 * mm]


def _intro(assessment: Assessment, organisation: str, title: str) -> list:
    story: list = [_p(organisation, "body"), Paragraph(escape(f"{title} {assessment.year_label}"), styles()["title"])]
    lines = [f"Edition of the Code: {assessment.edition}."]
    if assessment.kind == "ad-hoc":
        lines.append(f"Ad-hoc self-assessment (Code 8.3){': ' + assessment.title if assessment.title else ''}."
                     + (f" Reason: {assessment.reason}." if assessment.reason else ""))
    if not assessment.started:
        lines.append("This self-assessment has not been started: the Code's provisions are listed with empty "
                     "answers.")
    if assessment.completed_by or assessment.completed_on:
        lines.append("Completed by " + (assessment.completed_by or "—")
                     + (f" on {_date(assessment.completed_on)}" if assessment.completed_on else "") + ".")
    if assessment.approved_on:
        lines.append(f"Approved by {assessment.approved_by or 'the governing body'} on "
                     f"{_date(assessment.approved_on)}.")
    elif assessment.started:
        lines.append("Not yet approved by the governing body.")
    story.append(_p(" ".join(lines), "body"))
    return story


def form_story(assessment: Assessment, organisation: str) -> list:
    story = _intro(assessment, organisation, FORM_TITLE)
    story += [Spacer(1, 2 * mm), _rag_key(), Spacer(1, 3 * mm)]
    for section, section_title, entries in assessment.sections():
        story += _section_heading(f"Section {section}: {section_title}")
        rows: list[list[Any]] = [[_p(h, "head") for h in FORM_HEADINGS]]
        commands = _grid_style()
        subheading = None
        for e in entries:
            sub = getattr(e.provision, "subheading", "") or ""
            if sub and sub != subheading:
                r = len(rows)
                rows.append([_p(sub, "subheading"), "", "", "", "", ""])
                commands += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), SUBHEAD)]
            subheading = sub
            r = len(rows)
            rows.append([_p(e.number, "cell_bold"), _p(e.provision.text), _p(e.comply or ""), _p(e.evidence),
                         _p(e.commentary), _rag_cell(e.rag)])
            if e.rag:
                commands.append(("BACKGROUND", (5, r), (5, r), colors.HexColor(RAG_COLOURS[e.rag])))
        story.append(_table(rows, FORM_WIDTHS, commands))
    story += _versions(assessment)
    return story


def _versions(assessment: Assessment) -> list:
    story: list = _section_heading("Version control")
    if not assessment.versions:
        return story + [_p("No versions recorded yet: the governing body's approval adds the first.", "body")]
    rows = [[_p(h, "head") for h in ("Date", "Changes made", "Completed by", "Approved by", "Approved on")]]
    for v in assessment.versions:
        rows.append([_p(_date(v["on_date"])), _p(v["changes"]), _p(v["by"]), _p(v["approved_by"]),
                     _p(_date(v["approved_on"]))])
    return story + [_table(rows, [30 * mm, 105 * mm, 45 * mm, 60 * mm, 30 * mm], _grid_style())]


def write_assessment_pdf(assessment: Assessment, path: Path | str, organisation: str,
                         page_label: str = "Page") -> Path:
    """The self-assessment form as the published PDF (``page_label``: see ``_numbered_canvas``)."""
    _build(Path(path), form_story(assessment, organisation), f"{FORM_TITLE} {assessment.year_label}", organisation,
           page_label)
    return Path(path)


# --- the improvement action plan ------------------------------------------------------------------------------

PLAN_HEADINGS = ("Code provision", "Code requirement", "Comply: Yes / No", "Improvement plan", "Action owner",
                 "Action by date", "Done")
PLAN_WIDTHS = [19 * mm, 82 * mm, 18 * mm, 76 * mm, 32 * mm, 24 * mm, 22 * mm]


def _action_status(action: dict) -> str:
    if action["done"]:
        return _date(action["done"])
    return "Carried forward to the next self-assessment" if action.get("carried_to") else "Open"


def plan_story(assessment: Assessment, organisation: str) -> list:
    story = _intro(assessment, organisation, PLAN_TITLE)
    any_actions = False
    for section, section_title, entries in assessment.sections():
        with_actions = [(e, assessment.actions_for(e.number)) for e in entries]
        with_actions = [(e, acts) for e, acts in with_actions if acts]
        if not with_actions:
            continue
        any_actions = True
        story += _section_heading(f"Section {section}: {section_title}")
        rows: list[list[Any]] = [[_p(h, "head") for h in PLAN_HEADINGS]]
        commands = _grid_style()
        for e, acts in with_actions:
            first = len(rows)
            for i, a in enumerate(acts):
                rows.append([_p(e.number, "cell_bold") if i == 0 else "", _p(e.provision.text) if i == 0 else "",
                             _p(e.comply or "") if i == 0 else "", _p(a["action"]), _p(a["owner"]),
                             _p(_date(a["due"])), _p(_action_status(a))])
            last = len(rows) - 1
            if last > first:
                # one provision, several actions: no rule between its rows in the first three columns
                commands.append(("LINEBELOW", (0, first), (2, last - 1), 0.4, colors.white))
        story.append(_table(rows, PLAN_WIDTHS, commands))
    if not any_actions:
        story.append(_p("No improvement actions are recorded for this self-assessment.", "body"))
    return story


def write_plan_pdf(assessment: Assessment, path: Path | str, organisation: str) -> Path:
    """The improvement action plan: each provision with actions, what will be done, by whom and by when."""
    _build(Path(path), plan_story(assessment, organisation), f"{PLAN_TITLE} {assessment.year_label}", organisation)
    return Path(path)


# --- spreadsheets ---------------------------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _action_text(a: dict) -> str:
    bits = []
    if a["owner"]:
        bits.append(f"owner {a['owner']}")
    if a["due"]:
        bits.append(f"by {a['due']}")
    bits.append(f"done {a['done']}" if a["done"] else "carried forward" if a.get("carried_to") else "open")
    return f"{a['action']} ({'; '.join(bits)})"


def rows(assessment: Assessment) -> list[dict[str, str]]:
    """One row per provision with the columns of CSV_COLUMNS (before neutralising formulas)."""
    out = []
    for section, section_title, entries in assessment.sections():
        for e in entries:
            out.append({
                "provision": e.number, "section": f"Section {section}: {section_title}",
                "requirement": e.provision.text, "comply": e.comply or "", "evidence": e.evidence,
                "commentary": e.commentary, "rag": e.rag or "",
                "actions": "\n".join(_action_text(a) for a in assessment.actions_for(e.number)),
            })
    return out


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    write_atomically(path, write)
    return Path(path)


def write_csv(assessment: Assessment, path: Path | str) -> Path:
    """UTF-8 with a byte order mark, so Excel opens names with accents correctly."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_COLUMNS)
            for row in rows(assessment):
                writer.writerow([safe_cell(row[c]) for c in CSV_COLUMNS])

    return _atomic(Path(path), write)


def write_xlsx(assessment: Assessment, path: Path | str, organisation: str = "") -> Path:
    """A workbook: the assessment (one row per provision, RAG cells coloured), the action plan and the versions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Self-assessment"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(list(CSV_COLUMNS))
    for cell in ws[1]:
        cell.font = bold
    for row in rows(assessment):
        ws.append([safe_cell(row[c]) for c in CSV_COLUMNS])
        rag = row["rag"]
        if rag:
            ws.cell(row=ws.max_row, column=CSV_COLUMNS.index("rag") + 1).fill = PatternFill(
                "solid", fgColor=RAG_COLOURS[rag].lstrip("#").upper())
    for letter, width in zip("ABCDEFGH", (10, 30, 70, 14, 50, 50, 10, 50)):
        ws.column_dimensions[letter].width = width
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
    ws.freeze_panes = "A2"

    plan = wb.create_sheet("Action plan")
    plan.append(["provision", "action", "owner", "due", "done"])
    for cell in plan[1]:
        cell.font = bold
    for a in assessment.actions:
        plan.append([safe_cell(a["provision"]), safe_cell(a["action"]), safe_cell(a["owner"]), a["due"] or "",
                     a["done"] or ""])
    versions = wb.create_sheet("Versions")
    versions.append(["date", "changes made", "completed by", "approved by", "approved on"])
    for cell in versions[1]:
        cell.font = bold
    for v in assessment.versions:
        versions.append([v["on_date"], safe_cell(v["changes"]), safe_cell(v["by"]), safe_cell(v["approved_by"]),
                         v["approved_on"] or ""])
    wb.properties.title = f"{FORM_TITLE} {assessment.year_label}"
    wb.properties.creator = safe_cell(organisation) or "hoscase"

    return _atomic(Path(path), lambda tmp: wb.save(str(tmp)))


# --- by year, for the command line and the annual report ------------------------------------------------------

FORMATS = (".pdf", ".csv", ".xlsx")


def write(assessment: Assessment, path: Path | str, organisation: str, plan: bool = False) -> Path:
    """Write the export its file name asks for: .pdf (the form, or with ``plan`` the action plan), .csv or .xlsx."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise HoscaseError(f"{path.name}: the file name must end in .pdf, .csv or .xlsx")
    if plan and suffix != ".pdf":
        raise HoscaseError("the action plan is a PDF: give a file name ending in .pdf")
    if suffix == ".pdf":
        return (write_plan_pdf if plan else write_assessment_pdf)(assessment, path, organisation)
    if suffix == ".csv":
        return write_csv(assessment, path)
    return write_xlsx(assessment, path, organisation)


def export(service: Any, year: Any, path: Path | str, plan: bool = False) -> Path:
    """The year's annual self-assessment (the Code with empty answers if not started) written to ``path``."""
    assessment = SelfAssessments(service).annual(year)
    return write(assessment, path, organisation_name(service.store), plan=plan)


def export_pdf(service: Any, year: Any, path: Path | str, require_started: bool = True,
               page_label: str = "Page") -> Path:
    """The year's self-assessment form as a PDF, for the annual report to append (Code 8.1a); a year not started
    is refused unless ``require_started`` is False, so the report says it is missing instead."""
    assessment = SelfAssessments(service).annual(year)
    if require_started and not assessment.started:
        raise HoscaseError(f"the {assessment.year_label} self-assessment has not been started")
    return write_assessment_pdf(assessment, Path(path), organisation_name(service.store), page_label)
