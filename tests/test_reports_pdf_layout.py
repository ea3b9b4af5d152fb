"""Layout and wording of the report PDFs read back: the annual report's channels and previous-year comparison,
and the subject access request PDF (headings kept with their tables, codes printed as words)."""

from __future__ import annotations

import zipfile

import pytest
from pypdf import PdfReader
from reports_support import make_year_cases

from hoscase.reports.annual import write_annual_pdf
from hoscase.safety.sar import subject_access_export


def _pages(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def year_cases(service, new_case, store):
    return make_year_cases(service, new_case, store)


def test_channels_print_as_words(service, year_cases, tmp_path):
    out = tmp_path / "annual.pdf"
    write_annual_pdf(service, 2025, out)
    text = _flat(" ".join(_pages(out)))
    assert "How complaints were made" in text
    assert "Phone" in text and "Email" in text


def test_comparison_with_an_empty_previous_year_shows_no_change(service, new_case, tmp_path):
    for day in ("2026-10-01", "2026-10-05"):  # the records start in 2026/27
        ref = new_case(received=day).reference
        service.acknowledge(ref, on=day)
        service.respond(ref, on="2026-10-20", decision="upheld", reasons="We were wrong.",
                        remedies=[{"kind": "compensation", "amount": "50.00"}])
    out = tmp_path / "annual.pdf"
    figures = write_annual_pdf(service, 2026, out)
    assert figures["previous"]["stage1"]["received"] == 0 and figures["stage1"]["received"] == 2
    text = _flat(" ".join(_pages(out)))
    comparison = text[text.index("Comparison with the previous year"):text.index("The governing body's response")]
    assert "No complaints are recorded for 2025/26" in comparison
    assert "+" not in comparison  # no "+7" against a year with no records


def test_comparison_with_a_recorded_previous_year_shows_the_change(service, year_cases, tmp_path):
    out = tmp_path / "annual.pdf"
    write_annual_pdf(service, 2026, out)  # 2025/26 has the fixture's cases
    text = _flat(" ".join(_pages(out)))
    comparison = text[text.index("Comparison with the previous year"):text.index("The governing body's response")]
    assert "No complaints are recorded" not in comparison
    assert "-" in comparison or "–" in comparison or "+" in comparison


def test_sar_pdf_keeps_headings_with_their_tables_and_prints_words(service, tmp_path):
    ref = service.add_case(resident_name="Zoë Thomas", address="4 Elm Court, Ludlow", received="2026-10-01",
                           channel="phone", category="Repairs", definition="Tap leaking", handler="Priya Shah").reference
    service.acknowledge(ref, on="2026-10-02")
    service.respond(ref, on="2026-10-20", decision="partly-upheld", reasons="Late repair. " * 30,
                    remedies=[{"kind": "compensation", "description": "Time and trouble", "amount": "75"}])
    for n in range(40):  # a long history, so the record runs over pages
        service.add_correspondence(ref, "2026-10-21", f"Update call {n}", direction="out", kind="phone")
    out = tmp_path / "sar.zip"
    subject_access_export(service, "Zoë Thomas", out)
    with zipfile.ZipFile(out) as pack:
        (tmp_path / "sar.pdf").write_bytes(pack.read("subject-access-request.pdf"))
    pages = _pages(tmp_path / "sar.pdf")
    assert len(pages) >= 2
    headings = ("Stages", "Remedies", "Correspondence", "History of the record")
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith("Subject access request:")]
        assert body[-1] not in headings, f"{body[-1]!r} left alone at the foot of a page"
    text = _flat(" ".join(pages))
    assert "Partly upheld" in text and "partly-upheld" not in text
    assert "Providing a financial remedy" in text
    assert "Stage 1: to respond" in text  # a status in the history as words
    assert "stage1-awaiting" not in text


def test_ombudsman_table_keeps_references_dates_and_findings_whole(service, store, year_cases, tmp_path):
    """Narrow columns broke "C-2025-0002" and "2025-10-01" over two lines in the Ombudsman table."""
    out = tmp_path / "annual.pdf"
    write_annual_pdf(service, 2025, out)
    text = _flat(" ".join(_pages(out)))
    assert f"{year_cases['B']} 2025-10-01 maladministration" in text
