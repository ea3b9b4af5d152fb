"""An organisation whose financial year does not start in April (issue 8): an almshouse charity running January to
December. Its reports, quarters, labels, register filter, self-assessment evidence and submission date all follow
the start month saved in Settings, and the April default is unchanged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pypdf import PdfReader

from hoscase.cli import main
from hoscase.errors import HoscaseError
from hoscase.figures import annual_figures
from hoscase.reports.annual import write_annual_pdf
from hoscase.reports.quarterly import quarter_figures
from hoscase.reports.submission import submission_due
from hoscase.settings import save_settings
from hoscase.years import (
    financial_year,
    months_text,
    quarter_months,
    quarter_period,
    year_end,
    year_label,
    year_of,
    year_start_month,
)

D = dt.date


def _set_start(service, month, homes=40):
    save_settings(service, organisation_values={"name": "Ludlow Almshouse Trust", "homes": homes,
                                                "financial_year_start_month": month})


@pytest.fixture
def calendar_year(service, new_case):
    """A January-start charity with cases either side of 2026's edges; returns references by name."""
    _set_start(service, 1)
    refs = {}
    for name, received in (("dec25", "2025-12-15"), ("jan26", "2026-01-05"), ("mar26", "2026-03-30"),
                           ("apr26", "2026-04-01"), ("jun26", "2026-06-01"), ("nov26", "2026-11-02")):
        refs[name] = new_case(received=received).reference
    return refs


# --- the periods themselves ---------------------------------------------------------------------------------


def test_calendar_year_periods_and_labels():
    assert financial_year(2026, 1) == (D(2026, 1, 1), D(2026, 12, 31))
    assert year_end(2026, 1) == D(2026, 12, 31)
    assert year_label(2026, 1) == "2026" and year_label(2025, 1) == "2025"
    assert [quarter_period(2026, q, 1) for q in (1, 2, 3, 4)] == [
        (D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 9, 30)), (D(2026, 10, 1), D(2026, 12, 31))]
    assert year_of(D(2026, 1, 1), 1) == 2026 and year_of(D(2026, 12, 31), 1) == 2026
    assert quarter_months(1, 1) == "January to March" and quarter_months(4, 1) == "October to December"
    assert months_text(1) == "1 January to 31 December"


def test_other_start_months_straddle_two_years():
    assert financial_year(2025, 7) == (D(2025, 7, 1), D(2026, 6, 30))
    assert year_label(2025, 7) == "2025/26"
    assert quarter_period(2025, 3, 7) == (D(2026, 1, 1), D(2026, 3, 31))
    assert quarter_period(2025, 4, 7) == (D(2026, 4, 1), D(2026, 6, 30))
    assert year_of(D(2026, 6, 30), 7) == 2025 and year_of(D(2026, 7, 1), 7) == 2026
    assert financial_year(2027, 3) == (D(2027, 3, 1), D(2028, 2, 29))  # a leap February ends it
    assert months_text(3) == "1 March to 28 February"
    assert quarter_months(2, 12) == "March to May"


def test_april_default_is_unchanged():
    assert financial_year(2025) == financial_year(2025, 4) == (D(2025, 4, 1), D(2026, 3, 31))
    assert year_label(2025) == "2025/26" and year_label(2099) == "2099/00"
    assert quarter_period(2025, 4) == (D(2026, 1, 1), D(2026, 3, 31))
    assert year_of(D(2026, 3, 31)) == 2025 and year_of(D(2026, 4, 1)) == 2026
    assert quarter_months(1) == "April to June" and months_text() == "1 April to 31 March"


def test_bad_start_month_or_quarter_is_refused():
    with pytest.raises(HoscaseError, match="start month must be 1 to 12"):
        financial_year(2026, 13)
    with pytest.raises(HoscaseError, match="quarter must be 1 to 4"):
        quarter_period(2026, 5, 1)


def test_start_month_comes_from_the_settings(service, store):
    assert year_start_month(store) == 4  # nothing saved
    with store.transaction():
        store.put_setting("organisation", {"name": "X"})
    assert year_start_month(store) == 4
    _set_start(service, 1)
    assert year_start_month(store) == 1
    _set_start(service, 9)
    assert year_start_month(store) == 9
    with store.transaction():
        store.put_setting("organisation", {"name": "X", "financial_year_start_month": "nonsense"})
    assert year_start_month(store) == 4  # a damaged value falls back to April rather than failing
    with store.transaction():
        store.put_setting("organisation", {"name": "X", "year_end": "12-31"})  # an older database's year end
    assert year_start_month(store) == 1


# --- the reports --------------------------------------------------------------------------------------------


def test_annual_figures_count_january_to_december(service, calendar_year):
    f = annual_figures(service, 2026)
    assert f["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert f["year_label"] == "2026"
    assert f["stage1"]["received"] == 5  # 5 Jan to 2 Nov; not 15 Dec 2025
    assert sum(m["received"] for m in f["stage1"]["by_month"].values()) == 5
    assert list(f["stage1"]["by_month"])[0] == "2026-01" and list(f["stage1"]["by_month"])[-1] == "2026-12"
    assert f["previous"]["year_label"] == "2025" and f["previous"]["stage1"]["received"] == 1


def test_the_same_cases_counted_by_april_years(service, new_case):
    for received in ("2025-12-15", "2026-01-05", "2026-03-30", "2026-04-01", "2026-06-01", "2026-11-02"):
        new_case(received=received)
    f = annual_figures(service, 2026)  # no setting: 1 April 2026 to 31 March 2027
    assert f["year_label"] == "2026/27" and f["stage1"]["received"] == 3


def test_quarter_one_is_january_to_march(service, calendar_year):
    q1 = quarter_figures(service, 2026, 1)
    assert q1["period"] == {"start": "2026-01-01", "end": "2026-03-31"}
    assert q1["label"] == "Q1 2026"
    assert q1["stage1"]["received"] == 2  # 5 Jan and 30 Mar
    assert [t["label"] for t in q1["trend"]] == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026"]
    assert q1["trend"][-2]["stage1"]["received"] == 1  # Q4 2025 is October to December: 15 Dec
    q2 = quarter_figures(service, 2026, 2)
    assert q2["year_to_date"]["period"] == {"start": "2026-01-01", "end": "2026-06-30"}
    assert q2["year_to_date"]["stage1"]["received"] == 4


def test_annual_pdf_names_the_calendar_year(service, calendar_year, tmp_path):
    path = tmp_path / "annual.pdf"
    write_annual_pdf(service, 2026, path)
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(str(path)).pages).split())
    assert "1 January 2026 to 31 December 2026" in text
    assert "2026/27" not in text and "1 April" not in text


def test_cli_year_means_the_year_starting_in_it(db_path, service, calendar_year, capsys):
    capsys.readouterr()
    assert main(["--db", str(db_path), "report", "annual", "--year", "2026", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["year"] == "2026" and out["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert out["stage1"]["received"] == 5
    assert main(["--db", str(db_path), "report", "quarterly", "--year", "2026", "--quarter", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["quarter"] == "Q1 2026" and out["stage1"]["received"] == 2
    assert main(["--db", str(db_path), "report", "quarterly", "--year", "2026", "--quarter", "5", "--json"]) == 2
    assert "1 (January to March)" in capsys.readouterr().err
    assert main(["--db", str(db_path), "report", "narrative", "--year", "2026", "--section", "themes",
                 "--text", "Heating."]) == 0
    assert "themes for 2026 saved" in capsys.readouterr().out


# --- the register's year filter --------------------------------------------------------------------------------


def test_register_year_filter_follows_the_start_month(service, store, calendar_year):
    refs = calendar_year
    ids_2026 = set(store.register_ids({"year": 2026}))
    ids_2025 = set(store.register_ids({"year": 2025}))
    assert len(ids_2026) == 5 and len(ids_2025) == 1
    assert set(store.register_ids_quick({"year": 2026})) == ids_2026
    assert set(store.register_ids({"year": 2026, "search": refs["jan26"]})) <= ids_2026
    _set_start(service, 4)  # the same cases by April years
    assert len(store.register_ids({"year": 2026})) == 3  # 1 Apr, 1 Jun, 2 Nov 2026
    assert len(store.register_ids_quick({"year": 2025})) == 3  # 15 Dec 2025, 5 Jan and 30 Mar 2026


# --- the self-assessment ----------------------------------------------------------------------------------------


def test_self_assessment_evidence_and_labels_use_the_calendar_year(service, calendar_year):
    from hoscase.selfassessment import SelfAssessments
    from hoscase.selfassessment_evidence import record_evidence

    evidence = record_evidence(service, 2026)
    text = " ".join(e.text() for e in evidence.values())
    assert "Records for 2026 (1 Jan 2026 to 31 Dec 2026)" in text
    work = SelfAssessments(service)
    a = work.start(2026)
    assert a.year_label == "2026" and a.label == "2026 annual self-assessment"
    assert work.assessments()[0]["label"] == "2026"
    with pytest.raises(HoscaseError, match="the 2026 self-assessment is already started"):
        work.start(2026)


# --- the submission date and the work list ----------------------------------------------------------------------


@pytest.mark.parametrize("homes, today, due, label", [
    (40, D(2027, 1, 10), D(2027, 6, 30), "2026"),  # year end 31 Dec 2026: within six months
    (40, D(2026, 11, 20), D(2027, 6, 30), "2026"),  # 30 Jun 2026 (for 2025) has passed
    (40, D(2026, 6, 30), D(2026, 6, 30), "2025"),  # due today
    (5000, D(2027, 1, 10), D(2027, 9, 30), "2026"),  # 1,000 homes or more: by 30 September, as before
])
def test_submission_due_after_a_december_year_end(service, store, homes, today, due, label):
    _set_start(service, 1, homes)
    got, text = submission_due(store, today)
    assert got == due
    assert f"self-assessment for {label} to the Housing Ombudsman by {due.day} {due:%B %Y}" in text


def test_submission_due_for_a_july_year(service, store):
    _set_start(service, 7, 120)
    got, text = submission_due(store, D(2026, 8, 1))  # year end 30 Jun 2026
    assert got == D(2026, 12, 31) and "for 2025/26 " in text


def test_work_list_reminds_a_calendar_year_charity_in_spring(qtbot, store, tmp_path):
    from PySide6.QtCore import QSettings

    from hoscase.cases import CaseService
    from hoscase.gui.context import AppContext
    from hoscase.gui.main_window import MainWindow

    ctx = AppContext(store, today=D(2027, 4, 15), data_folder=tmp_path)
    window = MainWindow(ctx, QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    page = window.show_page("worklist")
    assert page.submission.isHidden()  # an April year: 2026/27's submission is due 30 Sep 2027, 168 days away
    _set_start(CaseService(store, today=D(2027, 4, 15)), 1)
    page.refresh()
    assert not page.submission.isHidden()
    assert "for 2026 to the Housing Ombudsman by 30 June 2027 (in 76 days" in page.submission.text()


# --- the desktop year lists -------------------------------------------------------------------------------------


def test_year_lists_read_calendar_years(qtbot, store, calendar_year, tmp_path):
    from hoscase.gui.context import AppContext
    from hoscase.gui.pages.cases import CasesPage
    from hoscase.gui.pages.reports import ReportsPage
    from hoscase.gui.pages.selfassessment import SelfAssessmentPage

    ctx = AppContext(store, today=D(2026, 11, 20), data_folder=tmp_path)
    cases = CasesPage(ctx)
    qtbot.addWidget(cases)
    cases.refresh()
    assert [cases.year_filter.itemText(i) for i in range(cases.year_filter.count())] == ["All years", "2026", "2025"]
    cases.year_filter.setCurrentIndex(1)
    cases._apply_filters()
    assert cases.model.rowCount() == 5

    reports = ReportsPage(ctx)
    qtbot.addWidget(reports)
    reports.refresh()
    assert reports.year_box.itemText(0) == "2026  (1 Jan 2026 to 31 Dec 2026)"
    assert reports.year_box.itemData(0) == 2026

    sa = SelfAssessmentPage(ctx)
    qtbot.addWidget(sa)
    assert [sa.year.itemText(i) for i in range(sa.year.count())] == [
        "2025 (not started)", "2026 (not started)", "2027 (not started)"]
    assert sa.selected_year() == 2026
    assert "1 January to 31 December" in sa.year.toolTip()

    # Back to an April year in Settings: the lists relabel on their next refresh.
    save_settings(ctx.service, organisation_values={"name": "Ludlow Almshouse Trust", "homes": 40,
                                                    "financial_year_start_month": 4})
    cases.refresh()
    assert cases.year_filter.itemText(1) == "2026/27"
    sa.refresh()
    assert sa.year.itemText(sa.year.currentIndex()) == "2026/27 (not started)"
