"""The report files: the annual and quarterly PDFs read back, the figures spreadsheet, the CLI, the narratives and
the submission reminder."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reports_support import make_year_cases

from hoscase.cli import main
from hoscase.errors import HoscaseError
from hoscase.figures import annual_figures
from hoscase.reports.annual import write_annual_pdf
from hoscase.reports.narratives import save_narrative
from hoscase.reports.quarterly import previous_quarters, write_quarterly_pdf
from hoscase.reports.submission import submission_due
from hoscase.reports.xlsx import write_figures_xlsx


@pytest.fixture
def year_cases(service, new_case, store):
    return make_year_cases(service, new_case, store)


def _text(path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_annual_pdf_shows_figures_narratives_and_sections(service, store, year_cases, tmp_path):
    save_narrative(store, 2025, "introduction", "Test Homes manages 250 almshouses in Ludlow.")
    save_narrative(store, 2025, "governing_body_response", "The trustees accepted the report on 3 June 2026.")
    out = tmp_path / "annual.pdf"
    write_annual_pdf(service, 2025, out)
    text = _flat(_text(out))
    assert "Annual complaints performance and service improvement report" in text
    assert "2025/26" in text and "1 April 2025 to 31 March 2026" in text
    assert "Test Homes manages 250 almshouses in Ludlow." in text
    assert "The trustees accepted the report on 3 June 2026." in text
    assert "% responded within timescales (CH02) 80.0% 0.0%" in text
    assert "Received per 1,000 homes (CH01) 20.0 4.0" in text
    assert "Complaints not accepted (8.1b)" in text
    assert "The issue giving rise to the complaint occurred over twelve months ago 1" in text
    assert "£50.00" in text
    assert "maladministration" in text and year_cases["B"] in text
    assert "Surveyor visits are now booked within five days." in text
    assert "Comparison with the previous year" in text
    assert "self-assessment" in text.lower()
    assert "Ann Example" not in text  # residents are never named in the report
    assert not list(tmp_path.glob(".*.part"))


def test_annual_pdf_without_narratives_says_what_is_missing(service, year_cases, tmp_path):
    out = tmp_path / "annual.pdf"
    write_annual_pdf(service, 2025, out)
    text = _flat(_text(out))
    assert "No introduction written yet" in text
    assert "The governing body's response is not yet recorded" in text


def test_quarterly_pdf(service, year_cases, tmp_path):
    out = tmp_path / "q1.pdf"
    write_quarterly_pdf(service, 2025, 1, out)
    text = _flat(_text(out))
    assert "Q1 2025/26" in text and "1 April 2025 to 30 June 2025" in text
    assert "(9.7a)" in text and "(9.7b)" in text and "(9.7c)" in text and "(9.7d)" in text
    assert "Q1 2024/25" in text  # the trend goes back five quarters
    assert "Complaints received 2 1" in text


def test_previous_quarters_wrap_the_year():
    assert previous_quarters(2025, 2, 5) == [(2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2)]


def test_figures_xlsx(service, year_cases, tmp_path):
    out = tmp_path / "figures.xlsx"
    write_figures_xlsx(annual_figures(service, 2025), out)
    wb = load_workbook(out, read_only=True)
    rows = {r[0]: r[1:] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Complaints received"][:2] == (5, 1)
    assert rows["% responded within timescales (CH02)"][:2] == (80.0, 0.0)
    assert rows["Complaints not accepted (refused)"][0] == 1
    learning = list(wb["Learning"].iter_rows(values_only=True))
    assert learning[1][2] == "Surveyor visits are now booked within five days."
    assert {"By month", "By category", "Refused", "Remedies", "Ombudsman"} <= set(wb.sheetnames)


def test_cli_annual_json(db_path, service, year_cases, capsys):
    assert main(["--db", str(db_path), "report", "annual", "--year", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stage1"]["received"] == 5
    assert data["stage1"]["responded"] == 5
    assert data["stage1"]["responded_within_timescale"] == 4
    assert data["stage1"]["within_timescale_pct"] == 80.0
    assert data["stage1"]["per_1000_homes"] == 20.0
    assert data["stage2"]["within_timescale_pct"] == 0.0
    assert data["refused"] == 1
    assert main(["--db", str(db_path), "report", "annual", "--year", "2025", "--homes", "500", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stage1"]["per_1000_homes"] == 10.0


def test_cli_writes_files_and_refuses_bad_input(db_path, service, year_cases, tmp_path, capsys):
    pdf, xlsx, quarterly = tmp_path / "a.pdf", tmp_path / "a.xlsx", tmp_path / "q.pdf"
    assert main(["--db", str(db_path), "report", "annual", "--year", "2025", "-o", str(pdf)]) == 0
    assert main(["--db", str(db_path), "report", "annual", "--year", "2025", "-o", str(xlsx)]) == 0
    assert main(["--db", str(db_path), "report", "quarterly", "--year", "2025", "--quarter", "2", "-o",
                 str(quarterly)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-" and quarterly.read_bytes()[:5] == b"%PDF-"
    assert load_workbook(xlsx)["Summary"]
    capsys.readouterr()
    assert main(["--db", str(db_path), "report", "annual", "--year", "2025", "-o", str(tmp_path / "a.doc")]) == 2
    assert "pdf or .xlsx" in capsys.readouterr().err
    assert main(["--db", str(db_path), "report", "quarterly", "--year", "2025", "--quarter", "5", "-o",
                 str(quarterly)]) == 2
    assert main(["--db", str(db_path), "report", "annual", "--year", "abc", "--json"]) == 2
    assert main(["--db", str(db_path), "report", "annual", "--year", "2025", "--homes", "0", "--json"]) == 2


def test_cli_narrative(db_path, store, capsys):
    assert main(["--db", str(db_path), "report", "narrative", "--year", "2025", "--section", "themes",
                 "--text", "Damp and mould again."]) == 0
    assert store.report_narratives(2025)["themes"] == "Damp and mould again."
    assert store.report_narratives(2024)["themes"] == ""
    assert main(["--db", str(db_path), "report", "narrative", "--year", "2025", "--section", "themes",
                 "--text", "Replaced."]) == 0
    assert store.report_narratives(2025)["themes"] == "Replaced."
    capsys.readouterr()
    assert main(["--db", str(db_path), "report", "narrative", "--year", "2025", "--section", "summary",
                 "--text", "x"]) == 2
    assert "section must be one of" in capsys.readouterr().err


def test_narrative_checks(store):
    with pytest.raises(HoscaseError, match="NUL"):
        save_narrative(store, 2025, "introduction", "a\x00b")
    with pytest.raises(HoscaseError, match="too long"):
        save_narrative(store, 2025, "introduction", "x" * 60_000)
    assert store.report_narratives(2025)["introduction"] == ""


@pytest.mark.parametrize("homes, year_end, today, due", [
    (420, None, dt.date(2026, 5, 1), dt.date(2026, 9, 30)),  # six months after 31 March 2026
    (420, None, dt.date(2026, 10, 1), dt.date(2027, 9, 30)),  # the 2025/26 date has passed: next year's
    (5000, None, dt.date(2026, 1, 10), dt.date(2026, 9, 30)),  # 1,000 homes or more: by 30 September
    (120, "12-31", dt.date(2026, 3, 1), dt.date(2026, 6, 30)),  # a calendar year end: within six months
    (120, "12-31", dt.date(2026, 7, 1), dt.date(2027, 6, 30)),
    (None, None, dt.date(2026, 9, 30), dt.date(2026, 9, 30)),  # due today
])
def test_submission_due(store, homes, year_end, today, due):
    org = {"name": "X"}
    if homes:
        org["homes"] = homes
    if year_end:
        org["year_end"] = year_end
    with store.transaction():
        store.put_setting("organisation", org)
    got, text = submission_due(store, today)
    assert got == due
    assert f"{due.day} {due:%B %Y}" in text
    assert "Housing Ombudsman" in text
    if homes is None:
        assert "record the number of homes" in text


def test_the_years_self_assessment_is_appended(service, year_cases, tmp_path):
    sa = pytest.importorskip("hoscase.selfassessment")
    without = tmp_path / "without.pdf"
    write_annual_pdf(service, 2025, without)
    assert "self-assessment against the Complaint Handling Code for 2025/26 is not yet recorded" in _flat(_text(without))
    sa.SelfAssessments(service).start(2025)
    with_sa = tmp_path / "with.pdf"
    write_annual_pdf(service, 2025, with_sa)
    assert len(PdfReader(str(with_sa)).pages) > len(PdfReader(str(without)).pages)
    text = _flat(_text(with_sa))
    assert "follows on the next pages" in text
    assert "Code for 2025/26 is not yet recorded" not in text
    assert "Complaint Handling Code: self-assessment 2025/26" in text  # the appended form's own title
