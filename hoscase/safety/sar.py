"""A subject access request: everything held about one resident, as one PDF plus the files, in a ZIP.

UK GDPR Article 15 gives the resident a copy of their personal data. The ZIP holds a readable PDF
(every case under the resident's name with its details, stages, extensions, remedies, actions,
correspondence and full history), the same data as JSON and CSV (a "commonly used electronic
form"), and the letters and attachments on file. Names are matched ignoring case, accents and
spacing, so "Siobhan O'Brien" finds "Siobhán  O'Brien".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import os
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from hoscase.cases import STATUS_LABELS, Case, CaseService
from hoscase.errors import HoscaseError
from hoscase.pdffonts import font_names
from hoscase.rules import DECISIONS, REMEDY_KINDS
from hoscase.spreadsheet import safe_row

CASE_LABELS = {
    "resident_name": "Resident", "address": "Address", "phone": "Phone", "email": "Email",
    "preferred_contact": "Preferred contact", "representative_name": "Representative",
    "representative_contact": "Representative's contact", "property": "Property", "channel": "Received by",
    "category": "Category", "received": "Received", "issue_date": "Date of the issue",
    "definition": "Complaint", "outcome_sought": "Outcome sought", "not_responsible": "Not our responsibility",
    "vulnerabilities": "Vulnerabilities", "adjustments": "Reasonable adjustments",
    "adjustments_review": "Adjustments to review on", "large_print": "Large print", "status": "Status",
    "refused_on": "Not accepted on", "refusal_reason": "Reason not accepted", "refusal_explanation": "Explanation",
    "withdrawn_on": "Withdrawn on", "withdrawn_reason": "Reason withdrawn", "closed_on": "Closed on",
    "learning": "Learning", "legal_hold": "Legal hold", "anonymised_on": "Anonymised on",
    "ombudsman_referred_on": "Referred to the Ombudsman", "ombudsman_finding": "Ombudsman's finding",
    "ombudsman_orders": "Ombudsman's orders", "ombudsman_orders_due": "Orders due",
    "ombudsman_orders_complied_on": "Orders complied with", "created_at": "Record created",
    "updated_at": "Record last changed",
}

FLAGS = ("large_print", "legal_hold", "discretion_over_12_months")


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(name))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("\u2019", "'").split())


def find_resident_cases(service: CaseService, resident: str) -> list[Case]:
    """Every case whose resident name matches, or a HoscaseError that suggests close names."""
    wanted = normalise_name(resident)
    if not wanted:
        raise HoscaseError("the resident's name is required")
    rows = service.store.resident_names()
    ids = [case_id for case_id, name in rows if normalise_name(name) == wanted]
    if not ids:
        names = sorted({name for _, name in rows})
        close = difflib.get_close_matches(resident, names, n=3, cutoff=0.75)
        hint = f"; did you mean {' or '.join(repr(n) for n in close)}?" if close else ""
        raise HoscaseError(f"no case is held for a resident named {resident!r}{hint}")
    return [service.get_by_id(i) for i in ids]


@dataclass
class SarResult:
    path: Path
    references: list[str]
    files: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _para(value: Any, style) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(_text(value)).replace("\n", "<br/>"), style)


def _files_of(service: CaseService, case: Case) -> list[tuple[dict, Path]]:
    base = service.store.path.parent
    out = []
    for row in case.correspondence:
        if row.get("path"):
            path = Path(row["path"])
            out.append((row, path if path.is_absolute() else base / path))
    return out


def _case_json(service: CaseService, case: Case) -> dict[str, Any]:
    return {
        "case": {k: v for k, v in case.fields.items() if k not in ("id", "service_request_id")},
        "stages": service.store.stage_rows(case.id),
        "extensions": service.store.extension_rows(case.id),
        "remedies": case.remedies, "actions": case.actions, "correspondence": case.correspondence,
        "service_requests": service.store.service_request_rows_for(case.id),
        "history": service.store.history_rows(case.id),
    }


def _build_pdf(service: CaseService, resident: str, cases: list[Case], data: list[dict], path: Path,
               attached: list[str], missing: list[str]) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = font_names()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5)
    label = ParagraphStyle("label", parent=body, fontName=bold)
    head = ParagraphStyle("head", parent=small, fontName=bold)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    # Headings keep with what follows, so none is left alone at the foot of a page.
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12.5, leading=16, spaceBefore=6, spaceAfter=4,
                        keepWithNext=1)
    h3 = ParagraphStyle("h3", parent=body, fontName=bold, fontSize=10, leading=13, spaceBefore=8, spaceAfter=2,
                        keepWithNext=1)
    grid = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c0cc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])
    pairs = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c0cc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f4f8")),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])
    width = A4[0] - 36 * mm

    def table(header: list[str], rows: list[list[Any]], widths: list[float], style=small) -> Table:
        cells = [[_para(h, head) for h in header]] + [[_para(v, style) for v in row] for row in rows]
        t = Table(cells, colWidths=[w * width for w in widths], repeatRows=1, splitInRow=1)
        t.setStyle(grid)
        return t

    org = (service.store.get_setting("organisation") or {}).get("name") or "the landlord"
    produced = dt.datetime.now().strftime("%d %B %Y")
    story: list[Any] = [
        Paragraph("Subject access request", h1),
        _para(f"The personal information {org} holds about {resident}, from its complaints records.", body),
        Spacer(1, 4),
        _para(f"Produced on {produced} by {service.who}. Cases found: {len(cases)} "
              f"({', '.join(c.reference for c in cases)}).", body),
        Spacer(1, 4),
        _para("This pack contains this report, the same information as data.json and cases.csv, and a copy of "
              "each letter and attachment on file (in the files folder).", body),
    ]
    if attached:
        story += [Paragraph("Files included", h3), table(["File in this pack"], [[f] for f in attached], [1.0])]
    if missing:
        story += [Paragraph("Files recorded but not found on this computer", h3),
                  table(["File"], [[f] for f in missing], [1.0])]
    for n, (case, item) in enumerate(zip(cases, data)):
        story += [PageBreak() if n else Spacer(1, 10), Paragraph(escape(f"Case {case.reference}: {case.status_label}"), h2)]
        rows = [[_para("Status", label), _para(case.status_label, body)]]
        for key, value in item["case"].items():
            if key in ("reference", "status") or value in (None, "", 0):
                continue
            shown = "yes" if key in FLAGS else value
            rows.append([_para(CASE_LABELS.get(key, key.replace("_", " ").capitalize()), label), _para(shown, body)])
        t = Table(rows, colWidths=[0.28 * width, 0.72 * width])
        t.setStyle(pairs)
        story.append(t)
        stage_rows = [[s["stage"], s["received"], s["handler"], s["acknowledged"], s["responded"],
                       DECISIONS.get(s["decision"] or "", s["decision"]), s["reasons"]] for s in item["stages"]]
        if stage_rows:
            story += [Paragraph("Stages", h3),
                      table(["Stage", "Received", "Handler", "Acknowledged", "Responded", "Decision", "Reasons"],
                            stage_rows, [0.08, 0.12, 0.14, 0.15, 0.13, 0.14, 0.24])]
        if item["extensions"]:
            story += [Paragraph("Extensions", h3),
                      table(["Stage", "Agreed on", "Working days", "Reason"],
                            [[e["stage"], e["agreed_on"], e["working_days"], e["reason"]] for e in item["extensions"]],
                            [0.1, 0.15, 0.15, 0.6])]
        if case.remedies:
            story += [Paragraph("Remedies", h3),
                      table(["Kind", "Description", "Amount", "Due", "Done"],
                            [[REMEDY_KINDS.get(r["kind"], r["kind"]), r["description"],
                              f"£{r['amount_pence'] / 100:,.2f}" if r.get("amount_pence") else "", r["due"], r["done"]]
                             for r in case.remedies], [0.22, 0.38, 0.12, 0.14, 0.14])]
        if case.actions:
            story += [Paragraph("Actions", h3),
                      table(["Action", "Owner", "Due", "Done"],
                            [[a["description"], a["owner"], a["due"], a["done"]] for a in case.actions],
                            [0.55, 0.17, 0.14, 0.14])]
        if item["service_requests"]:
            story += [Paragraph("Service requests", h3),
                      table(["Reference", "Received", "Description", "Status"],
                            [[r["reference"], r["received"], r["description"], r["status"]]
                             for r in item["service_requests"]], [0.15, 0.13, 0.57, 0.15])]
        if case.correspondence:
            story += [Paragraph("Correspondence", h3),
                      table(["Date", "In/out", "Kind", "Summary", "File"],
                            [[c["on_date"], c["direction"], c["kind"], c["summary"],
                              Path(c["path"]).name if c.get("path") else ""] for c in case.correspondence],
                            [0.12, 0.08, 0.12, 0.46, 0.22])]
        story += [Paragraph("History of the record", h3),
                  table(["When", "Who", "What", "Field", "Before", "After"],
                        [[_when(h["at"]), h["who"], f"{h['entity']} {h['action']}", h["field"],
                          _history_value(h["field"], h["old"]), _history_value(h["field"], h["new"])]
                         for h in item["history"]], [0.17, 0.13, 0.17, 0.15, 0.19, 0.19])]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(18 * mm, 10 * mm, f"Subject access request: {resident}. Confidential.")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"Subject access request: {resident}", author=org)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def _history_value(field_name: Any, value: Any) -> Any:
    """A recorded value as the resident reads it: a case status or a decision in words, not its code."""
    if field_name == "status":
        return STATUS_LABELS.get(value, value)
    if field_name == "decision":
        return DECISIONS.get(value, value)
    return value


def _when(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return _text(stamp)


def _safe_name(text: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_. " else "_" for c in text).strip(" .")
    return keep or "file"


def subject_access_export(service: CaseService, resident: str, out: Path | str) -> SarResult:
    """Write the ZIP for a subject access request; the file is readable by the user only."""
    out = Path(out).expanduser()
    if out.suffix.lower() != ".zip":
        raise HoscaseError(f"the subject access pack must be a .zip file, not {out.name}")
    if not out.parent.is_dir():
        raise HoscaseError(f"there is no folder {out.parent}")
    cases = find_resident_cases(service, resident)
    resident = cases[0].fields["resident_name"]  # as recorded, not as typed
    data = [_case_json(service, c) for c in cases]
    attached, missing, to_copy = [], [], []
    for case in cases:
        for n, (row, path) in enumerate(_files_of(service, case), start=1):
            name = f"files/{_safe_name(case.reference)}/{n:02d}-{_safe_name(path.name)}"
            if path.is_file():
                attached.append(name)
                to_copy.append((path, name))
            else:
                missing.append(f"{case.reference}: {row['path']}")
    tmp_pdf = out.with_name(f".{out.stem}.pdf.partial")
    tmp_zip = out.with_name(f".{out.name}.partial")
    try:
        _build_pdf(service, resident, cases, data, tmp_pdf, attached, missing)
        fd = os.open(tmp_zip, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        with zipfile.ZipFile(tmp_zip, "w", compression=zipfile.ZIP_DEFLATED) as pack:
            pack.write(tmp_pdf, "subject-access-request.pdf")
            pack.writestr("data.json", json.dumps({"resident": resident, "produced": dt.date.today().isoformat(),
                                                   "cases": data}, indent=2, ensure_ascii=False, default=str))
            pack.writestr("cases.csv", _cases_csv(cases))
            for path, name in to_copy:
                pack.write(path, name)
        os.replace(tmp_zip, out)
    except OSError as exc:
        raise HoscaseError(f"could not write {out}: {exc.strerror or exc}") from None
    finally:
        for tmp in (tmp_pdf, tmp_zip):
            with contextlib.suppress(OSError):
                tmp.unlink()
    return SarResult(out, [c.reference for c in cases], attached, missing)


def _cases_csv(cases: list[Case]) -> str:
    import csv
    import io

    columns = [k for k in CASE_LABELS if k not in ("created_at", "updated_at")]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Reference"] + [CASE_LABELS[k] for k in columns])
    for case in cases:
        writer.writerow(safe_row([case.reference] + [_text(case.fields.get(k)) for k in columns]))
    return "\ufeff" + buffer.getvalue()
