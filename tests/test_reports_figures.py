"""The report figures against the hand-counted cases A to G of 2025/26 described in tests/reports_support.py."""

from __future__ import annotations

import datetime as dt

import pytest
from reports_support import make_year_cases

from hoscase.figures import annual_figures, financial_year, quarter_period, stage_figures


@pytest.fixture
def year_cases(service, new_case, store):
    return make_year_cases(service, new_case, store)


def test_financial_year_and_quarters():
    assert financial_year(2025) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert quarter_period(2025, 1) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert quarter_period(2025, 3) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert quarter_period(2025, 4) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_stage1_headline_figures(service, year_cases):
    f = annual_figures(service, 2025)
    s1 = f["stage1"]
    # received: A B C D F (E refused, G in 2024/25)
    assert s1["received"] == 5
    # responded in the year: A B C D G (F answered in 2026/27)
    assert s1["responded"] == 5
    # within: A (on the due date), C (by the extension), D (from the acknowledgement due date), G; not B
    assert s1["responded_within_timescale"] == 4
    assert s1["within_timescale_pct"] == 80.0
    assert s1["per_1000_homes"] == 20.0  # 5 / 250 homes x 1,000
    assert s1["acknowledged"] == 4 and s1["acknowledged_within_5"] == 4  # D never acknowledged
    assert s1["extensions_used"] == 1
    assert s1["average_working_days_to_respond"] == 12.6  # (11 + 12 + 16 + 15 + 9) / 5
    assert s1["outcomes"] == {"upheld": 2, "partly-upheld": 1, "not-upheld": 2}
    assert s1["by_category"] == {"Repairs": 4, "Damp and mould": 1}
    assert s1["by_channel"] == {"email": 2, "phone": 2, "letter": 1}
    assert s1["by_month"]["2025-06"] == {"received": 2, "responded": 2, "responded_within_timescale": 1}
    assert s1["by_month"]["2025-04"] == {"received": 0, "responded": 1, "responded_within_timescale": 1}
    assert list(s1["by_month"]) == [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02", "2026-03"]


def test_stage2_and_refused(service, year_cases):
    f = annual_figures(service, 2025)
    s2 = f["stage2"]
    assert (s2["received"], s2["responded"], s2["responded_within_timescale"]) == (1, 1, 0)
    assert s2["within_timescale_pct"] == 0.0
    assert s2["per_1000_homes"] == 4.0
    assert f["refused"] == 1
    assert f["refused_by_reason"]["over-12-months"] == 1
    assert f["refused_by_category"] == {"Staff conduct": 1}
    assert f["escalation_pct"] == 20.0  # 1 stage 2 request for 5 stage 1 responses


def test_remedies_ombudsman_learning(service, year_cases):
    f = annual_figures(service, 2025)
    assert f["remedies"]["by_kind"]["apology"] == 1
    assert f["remedies"]["by_kind"]["compensation"] == 1
    assert f["remedies"]["compensation_pence"] == 5000
    assert f["actions"] == {"promised": 1, "done": 0, "open": 1, "open_overdue": 1}
    o = f["ombudsman"]
    assert o["referred"] == 1
    assert o["findings"] == {"maladministration": 1}
    assert o["adverse_findings"] == 1
    assert o["orders_complied_on_time"] == 1 and o["orders_overdue"] == 0
    assert [item["reference"] for item in f["learning"]] == [year_cases["C"]]


def test_cases_crossing_the_year_boundary(service, year_cases):
    before = annual_figures(service, 2024)
    assert before["stage1"]["received"] == 1  # G
    assert before["stage1"]["responded"] == 0
    after = annual_figures(service, 2026)
    assert after["stage1"]["received"] == 0
    assert after["stage1"]["responded"] == 1  # F, within (due 13 April over Easter)
    assert after["stage1"]["responded_within_timescale"] == 1
    current = annual_figures(service, 2025)
    assert current["previous"]["stage1"]["received"] == 1
    assert current["previous"]["year_label"] == "2024/25"


def test_homes_override_and_missing(service, year_cases, store):
    f = annual_figures(service, 2025, homes=1000)
    assert f["stage1"]["per_1000_homes"] == 5.0
    with store.transaction():
        store.put_setting("organisation", {"name": "No homes"})
    f = annual_figures(service, 2025)
    assert f["homes"] is None and f["stage1"]["per_1000_homes"] is None


def test_quarter_figures(service, year_cases):
    start, end = quarter_period(2025, 1)  # April to June 2025
    f = stage_figures(service, start, end)
    assert f["stage1"]["received"] == 2  # A, B
    assert f["stage1"]["responded"] == 3  # G (April), A, B
    assert f["stage1"]["responded_within_timescale"] == 2  # G, A
    assert f["stage2"]["received"] == 1


def test_a_late_acknowledgement_moves_the_response_due_date(service, new_case):
    """The response is due 10 working days from the actual acknowledgement, even when that was late."""
    ref = new_case(received="2025-06-02").reference
    service.acknowledge(ref, on="2025-06-16")  # late: due 9 June
    service.respond(ref, on="2025-06-30", decision="upheld", reasons="x")  # 16 Jun + 10 = 30 Jun
    s1 = annual_figures(service, 2025)["stage1"]
    assert s1["acknowledged_within_5"] == 0
    assert s1["responded_within_timescale"] == 1


def test_acknowledgements_not_owed_are_neither_late_nor_on_time(service, new_case):
    """Withdrawn before the acknowledgement was due, or not yet due: left out of the percentage. Answered in
    full within the 5 days without a separate acknowledgement: on time. Past due and never acknowledged: late."""
    on_time = new_case(received="2026-11-02").reference
    service.acknowledge(on_time, on="2026-11-03")
    withdrawn = new_case(received="2026-11-02").reference
    service.withdraw(withdrawn, on="2026-11-04")
    answered = new_case(received="2026-11-02").reference
    service.respond(answered, on="2026-11-05", decision="upheld", reasons="Fixed the same week.")
    missing = new_case(received="2026-11-02").reference  # due 9 Nov; today is 20 Nov
    not_due = new_case(received="2026-11-19").reference  # due 26 Nov
    assert {missing, not_due}
    s1 = annual_figures(service, 2026)["stage1"]
    assert s1["received"] == 5
    assert (s1["acknowledgements_owed"], s1["acknowledged_within_5"], s1["acknowledgements_missing"]) == (3, 2, 1)
    assert s1["acknowledged_within_5_pct"] == 66.7
