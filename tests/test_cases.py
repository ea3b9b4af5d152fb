"""The case lifecycle and every refusal the Code asks for."""

import datetime as dt

import pytest

from hoscase.errors import HoscaseError

D = dt.date


def test_new_case_gets_its_deadlines_from_receipt(new_case):
    case = new_case(received="2025-12-20")
    stage = case.stages[1]
    assert case.status == "stage1-awaiting-acknowledgement"
    assert stage.acknowledge_due == D(2025, 12, 30)
    # before acknowledgement, the response counts from the acknowledgement due date
    assert stage.respond_due == D(2026, 1, 14)
    assert case.next_step() == ("acknowledge", D(2025, 12, 30))


def test_full_journey_to_stage_two(service, new_case):
    ref = new_case(received="2026-09-01").reference
    case = service.acknowledge(ref, "2026-09-02")
    assert case.stages[1].respond_due == D(2026, 9, 16)
    case = service.extend(ref, 10, "Waiting for the surveyor")
    assert case.stages[1].respond_due == D(2026, 9, 30)
    case = service.respond(ref, "2026-09-29", "partly-upheld", "The repair was late.",
                           remedies=[{"kind": "compensation", "amount": "£75.50", "description": "Time and trouble"}],
                           actions=[{"description": "Replace the tap", "due": "2026-10-15", "owner": "Tom"}])
    assert case.status == "stage1-responded"
    assert case.remedies[0]["amount_pence"] == 7550
    assert case.actions[0]["due"] == "2026-10-15" and case.actions[0]["done"] is None
    case = service.escalate(ref, "2026-10-05", handler="Grace Okafor")
    assert case.status == "stage2-awaiting-acknowledgement"
    assert case.stages[2].acknowledge_due == D(2026, 10, 12)
    case = service.acknowledge(ref, "2026-10-06")
    assert case.stages[2].respond_due == D(2026, 11, 3)
    case = service.respond(ref, "2026-11-02", "upheld", "Our final response.")
    case = service.close(ref, "2026-11-03")
    assert case.status == "closed"
    # the outstanding action stays tracked after the response
    case = service.complete_action(ref, case.actions[0]["id"], "2026-11-10")
    assert case.actions[0]["done"] == "2026-11-10"


def test_same_handler_cannot_take_stage_two(service, new_case):
    ref = new_case(handler="Priya Shah").reference
    service.acknowledge(ref, "2026-10-02")
    service.respond(ref, "2026-10-10", "not-upheld", "No fault found.")
    with pytest.raises(HoscaseError, match="6.13"):
        service.escalate(ref, "2026-10-12", handler=" priya shah ")
    assert service.get(ref).status == "stage1-responded"  # nothing written
    service.escalate(ref, "2026-10-12", handler="Someone Else")
    with pytest.raises(HoscaseError, match="6.13"):
        service.assign_handler(ref, "Priya Shah")
    assert service.get(ref).stages[2].handler == "Someone Else"


def test_extension_limits(service, new_case):
    ref = new_case().reference
    service.acknowledge(ref, "2026-10-02")
    with pytest.raises(HoscaseError, match="at most 10 working days"):
        service.extend(ref, 11, "Contractor delay")
    service.extend(ref, 6, "Contractor delay")
    with pytest.raises(HoscaseError, match="would make 12"):
        service.extend(ref, 6, "More delay")
    case = service.extend(ref, 6, "Specialist report awaited", good_reason=True)
    assert case.stages[1].extension_working_days == 12
    with pytest.raises(HoscaseError, match="reason"):
        service.extend(ref, 1, "  ")


def test_stage_two_extension_up_to_twenty(service, new_case):
    ref = new_case().reference
    service.acknowledge(ref, "2026-10-02")
    service.respond(ref, "2026-10-05", "upheld", "Sorry.")
    service.escalate(ref, "2026-10-06", handler="Grace")
    service.acknowledge(ref, "2026-10-07")
    case = service.extend(ref, 20, "Independent survey")
    assert case.stages[2].extension_working_days == 20
    with pytest.raises(HoscaseError, match="at most 20"):
        service.extend(ref, 1, "More")


@pytest.mark.parametrize(
    ("action", "kwargs", "message"),
    [
        ("acknowledge", {"on": "2026-09-30"}, "before the date received"),
        ("acknowledge", {"on": "2026-13-01"}, "not a real date"),
        ("acknowledge", {"on": "2026-12-25"}, "in the future"),
        ("respond", {"on": "2026-09-01", "decision": "upheld", "reasons": "x"}, "before the date received"),
        ("respond", {"on": "2026-10-05", "decision": "maybe", "reasons": "x"}, "decision must be one of"),
        ("respond", {"on": "2026-10-05", "decision": "upheld", "reasons": ""}, "reasons for the decision is required"),
        ("escalate", {"on": "2026-10-05", "handler": "X"}, "cannot escalate"),
        ("close", {"on": "2026-10-05"}, "cannot close"),
        ("refuse", {"on": "2026-10-05", "reason": "bored", "explanation": "x"}, "refusal reason must be one of"),
        ("refuse", {"on": "2026-10-05", "reason": "other", "explanation": ""}, "explanation is required"),
    ],
)
def test_bad_actions_are_refused_and_change_nothing(service, new_case, store, action, kwargs, message):
    ref = new_case().reference
    history_before = len(service.history(ref))
    with pytest.raises(HoscaseError, match=message):
        getattr(service, action)(ref, **kwargs)
    case = service.get(ref)
    assert case.status == "stage1-awaiting-acknowledgement"
    assert len(service.history(ref)) == history_before


@pytest.mark.parametrize("missing", ["resident_name", "address", "channel", "category", "definition"])
def test_required_fields(new_case, store, missing):
    with pytest.raises(HoscaseError, match="required"):
        new_case(**{missing: "  "})
    assert store.count_cases() == 0


def test_unknown_reference(service):
    with pytest.raises(HoscaseError, match="no case with reference 'NOPE-1'"):
        service.get("NOPE-1")


def test_refusal_and_twelve_month_flag(service, new_case):
    case = new_case(received="2026-10-01", issue_date="2025-09-01")
    assert case.over_12_months()
    assert not new_case(received="2026-10-01", issue_date="2025-10-01").over_12_months()
    case = service.refuse(case.reference, "2026-10-03", "over-12-months", "The issue happened over a year ago.")
    assert case.status == "refused"
    assert case.refusal_reason == "over-12-months"
    assert case.next_step() is None
    with pytest.raises(HoscaseError, match="cannot acknowledge"):
        service.acknowledge(case.reference, "2026-10-04")


def test_withdrawn_case_has_no_deadline(service, new_case):
    ref = new_case().reference
    case = service.withdraw(ref, "2026-10-02", "Resolved informally")
    assert case.status == "withdrawn" and case.next_step() is None
    assert all(d["reference"] != ref for d in service.open_deadlines())


def test_history_records_old_and_new_values(service, new_case, store):
    ref = new_case().reference
    service.update(ref, {"address": "2 Mill Terrace"})
    edits = [h for h in service.history(ref) if h["field"] == "address"]
    assert edits[-1]["old"] == "1 Mill Terrace, Ludlow" and edits[-1]["new"] == "2 Mill Terrace"
    assert edits[-1]["who"] == "Test Officer"
    with pytest.raises(Exception, match="append-only"):
        with store.transaction():
            store.conn.execute("UPDATE history SET who = 'someone else'")


def test_closure_day_moves_every_open_deadline(service, new_case, store):
    ref = new_case(received="2025-12-20").reference
    assert service.get(ref).stages[1].acknowledge_due == D(2025, 12, 30)
    with store.transaction():
        store.put_closure_day("2025-12-29", "Office closed")
    assert service.get(ref).stages[1].acknowledge_due == D(2025, 12, 31)


def test_overdue_listing(service, new_case):
    late = new_case(received="2026-10-01").reference  # acknowledgement was due 8 Oct
    fresh = new_case(received="2026-11-19").reference
    overdue = service.list_cases(overdue=True)
    assert [row["reference"] for row in overdue] == [late]
    assert overdue[0]["next_action"] == "acknowledge" and overdue[0]["due"] == "2026-10-08"
    everything = {row["reference"]: row for row in service.list_cases()}
    assert set(everything) == {late, fresh} and not everything[fresh]["overdue"]


def test_money_parsing():
    from hoscase.cases import parse_money

    assert parse_money("£1,250.50") == 125050
    for bad in ("abc", "-5", "1.005", "NaN", "1e9"):
        with pytest.raises(HoscaseError):
            parse_money(bad)
