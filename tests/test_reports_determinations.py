"""The Ombudsman's determinations counted in the year they were made (ombudsman_determined_on), falling back to
the year the case is reported in when no date is recorded. Hand-counted cases:

P  referred 1 Nov 2024 (2024/25), determined 10 Jun 2025 (2025/26): maladministration
Q  referred 1 May 2025 (2025/26), determined 15 May 2026 (2026/27): no maladministration
R  referred 1 Jul 2025 (2025/26), no date recorded: service failure (counts where it is reported: 2025/26)
S  referred 1 Aug 2025 (2025/26), not yet determined
T  referred 1 May 2023, determined 1 Feb 2024 (2023/24): severe maladministration, in none of the years below

2024/25: referred 1 (P), determinations 0.
2025/26: referred 3 (Q R S), determinations 2 (P maladministration, R service failure), both adverse.
2026/27: referred 0, determinations 1 (Q no maladministration), none adverse.
"""

from __future__ import annotations

import io

import pypdf
import pytest

from hoscase.figures import annual_figures


@pytest.fixture
def determinations(service, new_case, store):
    with store.transaction():
        store.put_setting("organisation", {"name": "Test Homes", "homes": 250})
    cases = {
        "P": ("2024-06-03", {"ombudsman_referred_on": "2024-11-01", "ombudsman_determined_on": "2025-06-10",
                             "ombudsman_finding": "maladministration"}),
        "Q": ("2024-12-02", {"ombudsman_referred_on": "2025-05-01", "ombudsman_determined_on": "2026-05-15",
                             "ombudsman_finding": "no maladministration"}),
        "R": ("2025-01-06", {"ombudsman_referred_on": "2025-07-01", "ombudsman_finding": "service failure"}),
        "S": ("2025-02-03", {"ombudsman_referred_on": "2025-08-01"}),
        "T": ("2022-09-05", {"ombudsman_referred_on": "2023-05-01", "ombudsman_determined_on": "2024-02-01",
                             "ombudsman_finding": "severe maladministration"}),
    }
    refs = {}
    for letter, (received, fields) in cases.items():
        refs[letter] = new_case(received=received).reference
        service.update(refs[letter], fields)
    return refs


def test_determinations_count_in_the_year_they_were_made(service, determinations):
    o = annual_figures(service, 2024)["ombudsman"]
    assert (o["referred"], o["determined"], o["findings"]) == (1, 0, {})

    o = annual_figures(service, 2025)["ombudsman"]
    assert o["referred"] == 3
    assert o["determined"] == 2
    assert o["findings"] == {"maladministration": 1, "service failure": 1}
    assert o["adverse_findings"] == 2
    shown = {c["reference"]: c for c in o["cases"]}
    assert set(shown) == {determinations[x] for x in "PQRS"}
    assert shown[determinations["P"]]["determined_on"] == "2025-06-10"
    assert shown[determinations["R"]]["determined_on"] is None

    o = annual_figures(service, 2026)["ombudsman"]
    assert (o["referred"], o["determined"], o["findings"], o["adverse_findings"]) == (
        0, 1, {"no maladministration": 1}, 0)


def test_annual_report_shows_the_determination_date(service, determinations, tmp_path):
    from hoscase.reports.annual import write_annual_pdf

    out = tmp_path / "annual.pdf"
    write_annual_pdf(service, 2025, out)
    text = " ".join(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(out.read_bytes()))
                             .pages).split())
    assert "Determinations made in the year: 1 maladministration, 1 service failure." in text
    assert "Finding, determined on" in text
    assert "maladministration 2025-06-10" in text
    assert "no maladministration 2026-05-15" in text


def test_appended_self_assessment_is_numbered_as_an_appendix(service, determinations, tmp_path):
    """The report counts every page ("Page 2 of N" over the whole file); the appended form's own footers read
    "Self-assessment, page 1 of M", never a second "Page 1"."""
    import re

    from hoscase.reports.annual import write_annual_pdf
    from hoscase.selfassessment import SelfAssessments

    SelfAssessments(service).start(2025)
    out = tmp_path / "annual.pdf"
    write_annual_pdf(service, 2025, out)
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(str(out)).pages]
    total = len(pages)
    own = [re.search(r"Page (\d+) of (\d+)", text) for text in pages]
    appended = [re.search(r"Self-assessment, page (\d+) of (\d+)", text) for text in pages]
    report_pages = [i for i, m in enumerate(appended) if m is None]
    sa_pages = [i for i, m in enumerate(appended) if m is not None]
    assert report_pages and sa_pages and report_pages[-1] < sa_pages[0]  # the report first, then its appendix
    for i in report_pages:
        assert own[i] is not None and (int(own[i].group(1)), int(own[i].group(2))) == (i + 1, total)
    for n, i in enumerate(sa_pages, start=1):
        assert (int(appended[i].group(1)), int(appended[i].group(2))) == (n, len(sa_pages))
        assert not re.search(r"(?<!, )\bPage \d+ of", pages[i])  # no bare "Page 1 of" on the appendix
