"""The self-assessment against the Code: starting a year, the carry-over, editing, actions, approval, the diff,
the summary, overdue actions for the work list, and the evidence drawn from the records (counted by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

from hoscase.errors import HoscaseError
from hoscase.provisions import load_code
from hoscase.selfassessment import SelfAssessments, overdue_improvement_actions
from hoscase.selfassessment_evidence import record_evidence

TODAY = dt.date(2026, 11, 20)  # the service fixture's today


@pytest.fixture
def sa(service):
    return SelfAssessments(service)


@pytest.fixture
def code():
    return load_code("2024")


def test_an_unstarted_year_is_the_code_with_empty_answers(sa, code):
    a = sa.annual(2026)
    assert not a.started and a.id is None
    assert [e.number for e in a.entries] == [str(p.number) for p in code.provisions]
    assert len(a.entries) == 72 and a.entries[0].number == "1.2" and a.entries[-1].number == "9.8"
    assert all(e.comply is None and e.rag is None and e.evidence == "" for e in a.entries)
    assert [s for s, _title, _entries in a.sections()] == [str(n) for n in range(1, 10)]
    summary = sa.summary(a)
    assert summary["unanswered"] == 72 and summary["unrated"] == 72 and summary["green"] == 0


def test_a_new_year_starts_as_a_copy_of_last_year_with_its_open_actions(sa, store):
    first = sa.start(2024, completed_by="Priya Shah")
    assert first.started and first.completed_by == "Priya Shah" and first.year_label == "2024/25"
    sa.set_entry(first.id, "1.2", comply="Yes", rag="green", evidence="Complaints policy 3.1",
                 commentary="Definition adopted word for word")
    sa.set_entry(first.id, "6.13", comply="Partly", rag="amber")
    open_action = sa.add_action(first.id, "6.13", "Name a second handler for stage 2", "Tom Evans", "2025-09-30")
    done_action = sa.add_action(first.id, "1.2", "Publish the policy", "Priya Shah", "2025-01-31")
    sa.complete_action(done_action["id"], "2025-01-20")

    first = sa.get(first.id)
    second = sa.start(2025)
    assert second.id != first.id and second.year == 2025
    for number in ("1.2", "6.13"):
        assert second.entry(number).values() == first.entry(number).values()
    assert second.entry("1.2").evidence == "Complaints policy 3.1"
    assert second.entry("2.1").comply is None  # unanswered stays unanswered
    # only the still-open action comes across, linked to the one it came from
    assert [(a["provision"], a["action"], a["carried_from"]) for a in second.actions] == [
        ("6.13", "Name a second handler for stage 2", open_action["id"])]
    assert second.actions[0]["done"] is None and second.actions[0]["due"] == "2025-09-30"
    # last year's copy now says where it went, and it no longer counts as overdue
    old = {a["id"]: a for a in sa.get(first.id).actions}
    assert old[open_action["id"]]["carried_to"] == second.id and old[done_action["id"]]["carried_to"] is None
    assert sa.summary(sa.get(first.id), TODAY)["actions_overdue"] == 0
    assert sa.summary(sa.get(first.id), TODAY)["actions_carried"] == 1
    assert sa.summary(second, TODAY)["actions_overdue"] == 1
    # editing this year leaves last year alone
    sa.set_entry(second.id, "1.2", comply="No")
    assert sa.get(first.id).entry("1.2").comply == "Yes"


def test_the_first_year_starts_empty_and_a_year_starts_once(sa):
    a = sa.start(2025)
    assert all(e.comply is None for e in a.entries) and a.actions == []
    with pytest.raises(HoscaseError, match="already started"):
        sa.start(2025)
    with pytest.raises(HoscaseError, match="not a year"):
        sa.start("next")


def test_a_later_year_copies_the_newest_earlier_year_not_a_later_one(sa):
    y2023 = sa.start(2023)
    sa.set_entry(y2023.id, "3.1", comply="No")
    y2025 = sa.start(2025)
    sa.set_entry(y2025.id, "3.1", comply="Yes")
    y2024 = sa.start(2024)
    assert y2024.entry("3.1").comply == "No"  # from 2023, the newest year before 2024


def test_editing_validates_and_logs_history(sa, store):
    a = sa.start(2025)
    a = sa.set_entry(a.id, "6.2", comply="n/a", rag="AMBER", evidence="  Policy 4.2  ")
    e = a.entry("6.2")
    assert (e.comply, e.rag, e.evidence) == ("Not applicable", "amber", "Policy 4.2")
    before = a.entry("6.2").values()
    for bad in ({"comply": "Maybe"}, {"rag": "blue"}, {"evidence": "x\x00y"}, {"owner": "x"}):
        with pytest.raises(HoscaseError):
            sa.set_entry(a.id, "6.2", **bad)
    with pytest.raises(HoscaseError, match="no provision"):
        sa.set_entry(a.id, "6.99", comply="Yes")
    assert sa.get(a.id).entry("6.2").values() == before
    rows = store.query("SELECT * FROM history WHERE entity = 'selfassessment' AND action = 'edited' ORDER BY id")
    assert {(r["field"].split(") ", 1)[1], r["old"], r["new"]) for r in rows} == {
        ("6.2 comply", None, "Not applicable"), ("6.2 rag", None, "amber"), ("6.2 evidence", "", "Policy 4.2")}
    assert all(r["case_id"] is None and r["who"] == "Test Officer" for r in rows)
    # clearing an answer is allowed
    assert sa.set_entry(a.id, "6.2", comply="", rag=None).entry("6.2").comply is None
    with pytest.raises(HoscaseError, match="not been started"):
        sa.set_entry(None, "6.2", comply="Yes")


def test_improvement_actions_crud(sa, store):
    a = sa.start(2025)
    row = sa.add_action(a.id, "5.1", "Review the policy", "Priya Shah", "2026-01-31")
    assert (row["provision"], row["due"], row["done"]) == ("5.1", "2026-01-31", None)
    row = sa.update_action(row["id"], owner="Tom Evans", due="2026-02-28")
    assert (row["owner"], row["due"]) == ("Tom Evans", "2026-02-28")
    with pytest.raises(HoscaseError, match="in the future"):
        sa.complete_action(row["id"], "2027-01-01")
    with pytest.raises(HoscaseError):
        sa.add_action(a.id, "5.1", "   ")
    with pytest.raises(HoscaseError, match="no provision"):
        sa.add_action(a.id, "10.1", "Something")
    with pytest.raises(HoscaseError, match="not a real date"):
        sa.update_action(row["id"], due="31/02/2026")
    assert sa.complete_action(row["id"], "2026-02-20")["done"] == "2026-02-20"
    assert sa.reopen_action(row["id"])["done"] is None
    sa.delete_action(row["id"])
    assert sa.get(a.id).actions == []
    with pytest.raises(HoscaseError, match="no improvement action"):
        sa.delete_action(row["id"])


def test_overdue_improvement_actions_for_the_work_list(sa):
    a = sa.start(2025)
    late = sa.add_action(a.id, "9.1", "Name the member responsible for complaints", "Clerk", "2026-10-31")
    sa.add_action(a.id, "9.2", "Not yet due", "Clerk", "2026-12-31")
    sa.add_action(a.id, "9.3", "No date", "Clerk")
    done = sa.add_action(a.id, "9.4", "Done late", "Clerk", "2026-01-01")
    sa.complete_action(done["id"], "2026-02-01")
    found = overdue_improvement_actions(sa.store, TODAY)
    assert [(r["id"], r["provision"], r["days_overdue"], r["assessment"]) for r in found] == [
        (late["id"], "9.1", 20, "2025/26")]
    assert overdue_improvement_actions(sa.store, dt.date(2026, 10, 31)) == []
    # carried into next year: only the new copy is listed
    b = sa.start(2026)
    found = overdue_improvement_actions(sa.store, TODAY)
    assert [(r["assessment_id"], r["provision"]) for r in found] == [(b.id, "9.1")]


def test_approval_and_version_history(sa, store):
    a = sa.start(2025, completed_by="Priya Shah")
    with pytest.raises(HoscaseError, match="in the future"):
        sa.approve(a.id, "Board of Trustees", "2027-01-01")
    with pytest.raises(HoscaseError, match="approved by"):
        sa.approve(a.id, "  ", "2026-06-20")
    assert sa.get(a.id).approved_on is None and sa.get(a.id).versions == []
    a = sa.approve(a.id, "Board of Trustees", "2026-06-20", "Annual review")
    assert (a.approved_by, a.approved_on) == ("Board of Trustees", "2026-06-20")
    assert [(v["on_date"], v["changes"], v["by"], v["approved_by"], v["approved_on"]) for v in a.versions] == [
        ("2026-06-20", "Annual review", "Priya Shah", "Board of Trustees", "2026-06-20")]
    a = sa.add_version(a.id, "2026-07-01", "Actions updated", by="Priya Shah")
    assert [v["changes"] for v in a.versions] == ["Annual review", "Actions updated"]
    a = sa.set_details(a.id, completed_on="2026-06-01")
    assert a.completed_on == "2026-06-01"


def test_ad_hoc_assessment_after_a_restructure(sa):
    annual = sa.start(2025)
    sa.set_entry(annual.id, "4.1", comply="Yes")
    with pytest.raises(HoscaseError, match="reason"):
        sa.start_ad_hoc(2025, "After the merger", "")
    extra = sa.start_ad_hoc(2025, "After the merger", "Merger with Ludlow Almshouses (8.3)")
    assert extra.kind == "ad-hoc" and extra.entry("4.1").comply == "Yes"
    assert sa.annual(2025).id == annual.id  # the annual one is still the year's
    sa.set_entry(extra.id, "4.1", comply="Partly")
    assert [c["provision"] for c in sa.diff(sa.get(extra.id))] == ["4.1"]


def test_diff_against_last_year(sa):
    last = sa.start(2024)
    sa.set_entry(last.id, "6.2", comply="Yes", rag="green", evidence="Audit")
    sa.set_entry(last.id, "7.1", comply="Yes")
    this = sa.start(2025)
    assert sa.diff(this) == []
    sa.set_entry(this.id, "6.2", comply="Partly", rag="amber")
    sa.set_entry(this.id, "7.1", commentary="New remedies policy")
    sa.set_entry(this.id, "8.1", comply="Yes")
    changed = {c["provision"]: c for c in sa.diff(sa.get(this.id))}
    assert set(changed) == {"6.2", "7.1", "8.1"}
    assert changed["6.2"]["changes"] == {"comply": ("Yes", "Partly"), "rag": ("green", "amber")}
    assert changed["6.2"]["how"] == "comply Yes → Partly; RAG green → amber"
    assert changed["7.1"]["how"] == "commentary added"
    assert sa.diff(sa.get(last.id)) == []  # nothing before 2024


def test_summary_counts(sa):
    a = sa.start(2025)
    for number, rag in (("1.2", "green"), ("1.3", "green"), ("2.1", "amber"), ("6.2", "red")):
        sa.set_entry(a.id, number, comply="Yes", rag=rag)
    sa.add_action(a.id, "6.2", "Late", due="2026-11-19")
    sa.add_action(a.id, "6.2", "On time", due="2026-11-20")
    s = sa.summary(sa.get(a.id), TODAY)
    assert (s["green"], s["amber"], s["red"], s["unrated"], s["unanswered"]) == (2, 1, 1, 68, 68)
    assert (s["actions"], s["actions_open"], s["actions_overdue"]) == (2, 2, 1)


# --- evidence drawn from the records ------------------------------------------------------------------------


@pytest.fixture
def year_of_cases(service, new_case, store):
    """Financial year 2025/26 (1 April 2025 to 31 March 2026), counted by hand in the test below."""
    refs = {}
    # A: acknowledged in time (5 working days after Mon 2 Jun is Mon 9 Jun), responded in time; escalated to a
    # different handler, stage 2 acknowledged and answered in time.
    a = new_case(received="2025-06-02", handler="Priya Shah").reference
    service.acknowledge(a, "2025-06-04")
    service.respond(a, "2025-06-10", "upheld", "Repair was late",
                    remedies=[{"kind": "apology"}, {"kind": "compensation", "amount": "50"}])
    service.escalate(a, "2025-06-16", handler="Grace Okafor")
    service.acknowledge(a, "2025-06-18")
    service.respond(a, "2025-07-10", "partly-upheld", "Reviewed afresh")
    refs["A"] = a
    # B: acknowledged late (13 Jun), responded in time (due 27 Jun); escalated, then the stage 2 handler was
    # recorded as the stage 1 handler (as in imported records): a breach of 6.13; stage 2 never acknowledged.
    b = new_case(received="2025-06-02", handler="Priya Shah").reference
    service.acknowledge(b, "2025-06-13")
    service.respond(b, "2025-06-20", "partly-upheld", "Partly late",
                    remedies=[{"kind": "compensation", "amount": "25.50"}])
    service.escalate(b, "2025-06-25", handler="Tom Evans")
    with store.transaction():
        store.update_stage(service.get(b).id, 2, {"handler": "priya shah"})
    refs["B"] = b
    # C: acknowledged in time, responded late (due 16 Jul, sent 30 Jul).
    c = new_case(received="2025-07-01").reference
    service.acknowledge(c, "2025-07-02")
    service.respond(c, "2025-07-30", "not-upheld", "No fault")
    refs["C"] = c
    # D: the same dates with a 10 working day extension: due 30 Jul, so in time.
    d = new_case(received="2025-07-01").reference
    service.acknowledge(d, "2025-07-02")
    service.extend(d, 10, "Awaiting the surveyor", on="2025-07-10")
    service.respond(d, "2025-07-30", "not-upheld", "No fault")
    refs["D"] = d
    # E: not accepted (issue over 12 months old): not a received complaint.
    e = new_case(received="2025-08-04", issue_date="2024-01-10").reference
    service.refuse(e, "2025-08-05", "over-12-months", "The issue is from January 2024")
    refs["E"] = e
    # F: received in the previous year, responded in this one (due Fri 4 Apr): counts as a response only.
    f = new_case(received="2025-03-20").reference
    service.acknowledge(f, "2025-03-21")
    service.respond(f, "2025-04-02", "upheld", "Fixed", remedies=[{"kind": "apology"}])
    refs["F"] = f
    # G: the next financial year: counted nowhere here.
    g = new_case(received="2026-04-01").reference
    service.acknowledge(g, "2026-04-20")
    refs["G"] = g
    return refs


def test_record_evidence_against_hand_counts(service, year_of_cases, code):
    refs = year_of_cases
    ev = record_evidence(service, 2025, code.provisions)
    # stage 1 received in the year: A, B, C, D (E refused, F last year, G next year); in time: A, C, D
    assert "Stage 1 acknowledged within 5 working days: 3 of 4 (75%)" in ev["6.2"].lines
    # stage 1 responses sent in the year: A, B, C, D, F; in time: A, B, D (extension), F
    assert ("Stage 1 responded to within 10 working days of acknowledgement (with agreed extensions): "
            "4 of 5 (80%)") in ev["6.3"].lines
    assert "Stage 1 responses with an extension: 1 of 5" in ev["6.4"].lines
    # stage 2 requested in the year: A and B; acknowledged in time: A only; B not acknowledged
    assert "Stage 2 acknowledged within 5 working days: 1 of 2 (50%)" in ev["6.11"].lines
    assert "1 not yet acknowledged" in ev["6.11"].lines
    assert ("Stage 2 responded to within 20 working days of acknowledgement (with agreed extensions): "
            "1 of 1 (100%)") in ev["6.14"].lines
    # 6.13: A had a different handler, B the same one (case-insensitively)
    assert "Stage 2 handled by someone other than the stage 1 handler: 1 of 2 (50%)" in ev["6.13"].lines
    assert f"Same handler at both stages: {refs['B']}" in ev["6.13"].lines
    assert ev["6.13"].violations == [refs["B"]]
    # section 2: one refusal out of five complaints made (four received plus the refused one)
    for number in ("2.1", "2.2", "2.3", "2.4", "2.5"):
        assert "Complaints not accepted: 1 of 5 made (20%)" in ev[number].lines
        assert "By reason: issue over 12 months old 1" in ev[number].lines
    # section 7: remedies of responses sent in the year: A (apology, £50), B (£25.50), F (apology)
    for number in ("7.1", "7.2", "7.3"):
        assert "Remedies offered in responses: 4" in ev[number].lines
        assert "By kind: apology 2, financial remedy 2 (total £75.50)" in ev[number].lines
    assert ev["6.2"].lines[0] == "Records for 2025/26 (1 Apr 2025 to 31 Mar 2026)"
    assert "1.2" not in ev and "9.1" not in ev


def test_claims_the_records_contradict_are_flagged(service, year_of_cases):
    ev = record_evidence(service, 2025)
    warning = ev["6.2"].contradiction("Yes", None)
    assert warning and "75%" in warning and "3 of 4" in warning
    assert ev["6.2"].contradiction(None, "green")  # a green rating is a claim too
    assert ev["6.2"].contradiction("Partly", "amber") is None
    assert ev["6.2"].contradiction("No", "red") is None
    assert ev["6.14"].contradiction("Yes", "green") is None  # 100% in time
    warning = ev["6.13"].contradiction("Yes", "green")
    assert warning and year_of_cases["B"] in warning


def test_a_year_without_cases_gives_no_false_alarm(service):
    ev = record_evidence(service, 2030)
    assert "Stage 1 acknowledged within 5 working days: none this year" in ev["6.2"].lines
    assert all(item.contradiction("Yes", "green") is None for item in ev.values())


def test_evidence_dates_are_written_as_the_app_writes_them():
    """The record-drawn evidence says "1 Apr 2026", as every screen does (gui.format.uk_date), not "1 April 2026"."""
    import datetime as dt

    from hoscase.gui.format import uk_date
    from hoscase.selfassessment_evidence import short_date

    for day in (dt.date(2026, 4, 1), dt.date(2027, 3, 31), dt.date(2025, 12, 9), dt.date(2024, 2, 29)):
        assert short_date(day) == uk_date(day)
    assert short_date(dt.date(2026, 4, 1)) == "1 Apr 2026"
