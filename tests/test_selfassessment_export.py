"""The self-assessment exports read back: every provision's exact text in the PDF, CSV and XLSX, the answers, the
action plan, the version history, formula cells neutralised, and the command line."""

from __future__ import annotations

import csv
import json
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hoscase.cli import main
from hoscase.provisions import load_code
from hoscase.selfassessment import SelfAssessments
from hoscase.selfassessment_export import CSV_COLUMNS, export, export_pdf, safe_cell

FORMULA = '=HYPERLINK("http://evil.example","click")'


def squash(text: str) -> str:
    """Text without any whitespace or soft hyphenation, so wrapped lines compare equal to the source."""
    return re.sub(r"\s+", "", text).replace("\u00ad", "")


def pdf_pages(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


@pytest.fixture
def code():
    return load_code("2024")


@pytest.fixture
def filled(service, store):
    """A 2025/26 assessment with answers, actions (one carried from last year) and an approval."""
    with store.transaction():
        store.put_setting("organisation", {"name": "St Wilfrid's Almshouse Charity"})
    sa = SelfAssessments(service)
    last = sa.start(2024)
    sa.add_action(last.id, "5.1", "Carried action from last year", "Clerk", "2025-06-30")
    a = sa.start(2025, completed_by="Priya Shah")
    sa.set_entry(a.id, "1.2", comply="Yes", rag="green", evidence="Complaints Policy section 3.1",
                 commentary="Adopted word for word; reviewed by Siobhán O'Brien")
    sa.set_entry(a.id, "6.2", comply="Partly", rag="amber", evidence=FORMULA, commentary="-10 days late twice")
    sa.set_entry(a.id, "9.8", comply="No", rag="red", evidence="@import", commentary="+ objective to follow")
    long_text = " ".join(f"Evidence item {i} is the quarterly audit of acknowledgement letters." for i in range(180))
    sa.set_entry(a.id, "5.3", comply="Yes", evidence=long_text)
    sa.add_action(a.id, "6.2", "Add a daily acknowledgement check", "Tom Evans", "2026-01-31")
    done = sa.add_action(a.id, "6.2", "Retrain the team on logging", "Priya Shah", "2025-12-31")
    sa.complete_action(done["id"], "2025-12-15")
    sa.approve(a.id, "Board of Trustees", "2026-06-20", "Annual review")
    return sa.get(a.id)


def test_unstarted_year_pdf_has_every_provision_with_its_exact_text(service, tmp_path, code):
    out = export(service, 2030, tmp_path / "blank.pdf")
    pages = pdf_pages(out)
    text = squash("".join(pages))
    assert "2030/31" in pages[0] and "has not been started" in " ".join(pages[0].split())
    for p in code.provisions:
        assert squash(p.text) in text, f"provision {p.number} text missing from the PDF"
    for section in range(1, 10):
        assert f"Section {section}:" in "\n".join(pages)
    # header repeated on every page with the table, page numbers with the total
    total = len(pages)
    assert total >= 5
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in page
        if n < total:
            assert "Code requirement" in page and "Commentary / explanation" in page


def test_filled_pdf_shows_answers_rag_words_and_version_history(service, tmp_path, filled):
    out = export(service, 2025, tmp_path / "sa.pdf")
    pages = pdf_pages(out)
    joined = "\n".join(pages)
    flat = squash(joined)
    assert "St Wilfrid's Almshouse Charity" in pages[0]
    assert squash("Adopted word for word; reviewed by Siobhán O'Brien") in flat
    assert squash(FORMULA) in flat  # the PDF prints what was typed
    for word in ("Green", "Amber", "Red"):
        assert word in joined
    assert squash("Compliant with appropriate assurance") in flat  # the RAG key
    assert "Version control" in joined
    assert squash("20 June 2026 Annual review Priya Shah Board of Trustees 20 June 2026") in flat
    # the long evidence flowed over a page break rather than being cut off
    assert squash("Evidence item 179 is the quarterly audit") in flat
    long_pages = [i for i, page in enumerate(pages) if "Evidence item" in page]
    assert len(long_pages) >= 2
    for i in long_pages:
        assert "Code requirement" in pages[i]  # the header repeats on the continued page


def test_action_plan_pdf(service, tmp_path, filled):
    out = export(service, 2025, tmp_path / "plan.pdf", plan=True)
    joined = "\n".join(pdf_pages(out))
    flat = squash(joined)
    assert "improvement action plan 2025/26" in joined
    for text in ("Add a daily acknowledgement check", "Tom Evans", "31 January 2026", "Retrain the team on logging",
                 "15 December 2025", "Carried action from last year", "Improvement plan", "Action by date"):
        assert squash(text) in flat, text
    sixtwo = next(p for p in load_code("2024").provisions if p.number == "6.2")
    assert squash(sixtwo.text) in flat
    assert "Section 1:" not in joined  # sections without actions are left out


def test_csv_one_row_per_provision_exact_text_formulas_neutralised(service, tmp_path, filled, code):
    out = export(service, 2025, tmp_path / "sa.csv")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, r)) for r in rows[1:]]
    assert [r["provision"] for r in body] == [p.number for p in code.provisions]
    for r, p in zip(body, code.provisions):
        assert r["requirement"] == p.text
        assert r["section"] == f"Section {p.section}: {p.section_title}"
    by = {r["provision"]: r for r in body}
    assert (by["1.2"]["comply"], by["1.2"]["rag"]) == ("Yes", "green")
    assert by["1.2"]["commentary"] == "Adopted word for word; reviewed by Siobhán O'Brien"
    assert by["6.2"]["evidence"] == "'" + FORMULA
    assert by["6.2"]["commentary"] == "'-10 days late twice"
    assert by["9.8"]["evidence"] == "'@import" and by["9.8"]["commentary"] == "'+ objective to follow"
    assert by["6.2"]["actions"].splitlines() == [
        "Retrain the team on logging (owner Priya Shah; by 2025-12-31; done 2025-12-15)",
        "Add a daily acknowledgement check (owner Tom Evans; by 2026-01-31; open)",
    ]
    assert by["5.1"]["actions"] == "Carried action from last year (owner Clerk; by 2025-06-30; open)"
    assert by["2.1"]["comply"] == "" and by["2.1"]["actions"] == ""


def test_xlsx_rows_read_back(service, tmp_path, filled, code):
    out = export(service, 2025, tmp_path / "sa.xlsx")
    wb = load_workbook(out)
    ws = wb["Self-assessment"]
    rows = list(ws.iter_rows(values_only=True))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, r)) for r in rows[1:]]
    assert len(body) == 72
    assert [r["requirement"] for r in body] == [p.text for p in code.provisions]
    by = {r["provision"]: r for r in body}
    assert by["6.2"]["evidence"] == "'" + FORMULA
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)  # no formula anywhere
    rag_cell = ws.cell(row=[r["provision"] for r in body].index("1.2") + 2, column=CSV_COLUMNS.index("rag") + 1)
    assert rag_cell.value == "green" and rag_cell.fill.fgColor.rgb.endswith("00B050")
    plan = list(wb["Action plan"].iter_rows(values_only=True))
    assert ("6.2", "Add a daily acknowledgement check", "Tom Evans", "2026-01-31", None) in [tuple(r) for r in plan]
    versions = list(wb["Versions"].iter_rows(values_only=True))
    assert versions[1][:2] == ("2026-06-20", "Annual review")


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("+44 1584") == "'+44 1584"
    assert safe_cell("-x") == "'-x" and safe_cell("@SUM") == "'@SUM"
    assert safe_cell("Policy 3.1") == "Policy 3.1" and safe_cell(5) == 5 and safe_cell(None) is None


def test_export_pdf_for_the_annual_report_refuses_an_unstarted_year(service, tmp_path, filled):
    from hoscase.errors import HoscaseError

    with pytest.raises(HoscaseError, match="not been started"):
        export_pdf(service, 2031, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    assert export_pdf(service, 2025, tmp_path / "y.pdf").stat().st_size > 1000


def test_bad_file_names_are_refused_and_nothing_is_written(service, tmp_path):
    from hoscase.errors import HoscaseError

    with pytest.raises(HoscaseError, match=r"\.pdf, \.csv or \.xlsx"):
        export(service, 2025, tmp_path / "sa.docx")
    with pytest.raises(HoscaseError, match="action plan is a PDF"):
        export(service, 2025, tmp_path / "plan.csv", plan=True)
    assert not any(p.name.startswith(("sa.", "plan.", ".sa.", ".plan.")) for p in tmp_path.iterdir())


# --- the command line -----------------------------------------------------------------------------------------


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_start_set_show_export(capsys, tmp_path, code):
    db = tmp_path / "cli.sqlite3"
    assert run(capsys, "--db", db, "selfassessment", "set", "--year", "2025", "--provision", "6.2",
               "--comply", "Yes")[0] == 2  # not started yet
    code_, out, err = run(capsys, "--db", db, "selfassessment", "start", "--year", "2025")
    assert code_ == 0, err
    assert "2025/26" in out
    code_, out, err = run(capsys, "--db", db, "selfassessment", "set", "--year", "2025", "--provision", "6.2",
                          "--comply", "Yes", "--rag", "green", "--evidence", "Audit of letters",
                          "--commentary", "All on time")
    assert code_ == 0, err
    code_, _out, err = run(capsys, "--db", db, "selfassessment", "set", "--year", "2025", "--provision", "6.2",
                           "--comply", "Sometimes")
    assert code_ == 2 and "comply must be one of" in err and err.count("\n") == 1
    code_, out, err = run(capsys, "--db", db, "selfassessment", "action", "--year", "2025", "--provision", "6.2",
                          "--add", "Check letters weekly", "--owner", "Clerk", "--due", "2026-01-31")
    assert code_ == 0, err
    shown = json.loads(run(capsys, "--db", db, "selfassessment", "show", "--year", "2025", "--json")[1])
    assert shown["started"] and shown["label"] == "2025/26" and len(shown["entries"]) == 72
    entry = next(e for e in shown["entries"] if e["provision"] == "6.2")
    assert (entry["comply"], entry["rag"], entry["evidence"], entry["commentary"]) == (
        "Yes", "green", "Audit of letters", "All on time")
    assert entry["from_records"][1] == "Stage 1 acknowledged within 5 working days: none this year"
    assert shown["summary"]["green"] == 1 and shown["actions"][0]["action"] == "Check letters weekly"
    code_, out, err = run(capsys, "--db", db, "selfassessment", "approve", "--year", "2025", "--by", "Board",
                          "--on", "2026-06-20")
    assert code_ == 0, err
    for name, extra in (("sa.pdf", []), ("plan.pdf", ["--plan"]), ("sa.csv", []), ("sa.xlsx", [])):
        target = tmp_path / name
        code_, out, err = run(capsys, "--db", db, "selfassessment", "export", "--year", "2025", "-o", target, *extra)
        assert code_ == 0, err
        assert target.stat().st_size > 0 and str(target) in out
    assert "Check letters weekly" in "".join(pdf_pages(tmp_path / "plan.pdf"))
    code_, _out, err = run(capsys, "--db", db, "selfassessment", "export", "--year", "2025", "-o", tmp_path / "x.txt")
    assert code_ == 2 and "must end in" in err
    # an unstarted year exports the Code with empty answers
    code_, _out, err = run(capsys, "--db", db, "selfassessment", "export", "--year", "2027", "-o", tmp_path / "b.csv")
    assert code_ == 0, err
    with open(tmp_path / "b.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 72 and all(r["comply"] == "" for r in rows)
