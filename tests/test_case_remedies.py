"""Remedies tracked after the response (Code 7.1, 7.3), stage handlers edited with the details (6.13),
the Ombudsman's determination date, and a demo that shows every part of a case record."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hoscase.cli import main
from hoscase.errors import HoscaseError

TODAY = dt.date(2026, 11, 20)


def _responded(service, new_case, **remedy):
    ref = new_case().reference
    service.acknowledge(ref, "2026-10-02")
    remedies = [{"kind": "apology", "description": "Sorry"},
                {"kind": "compensation", "amount": "150", "description": "Paid to the rent account",
                 "due": "2026-10-30", **remedy}]
    return service.respond(ref, "2026-10-10", "upheld", "Fixed.", remedies=remedies)


def test_complete_remedy_is_recorded_in_the_history(service, new_case):
    case = _responded(service, new_case)
    money = next(r for r in case.remedies if r["kind"] == "compensation")
    assert money["due"] == "2026-10-30" and money["done"] is None
    case = service.complete_remedy(case.reference, money["id"], "2026-10-28")
    assert next(r for r in case.remedies if r["id"] == money["id"])["done"] == "2026-10-28"
    rows = [h for h in service.history(case.reference) if h["entity"] == "remedy" and h["action"] == "done"]
    assert [(r["field"], r["old"], r["new"]) for r in rows] == [(f"remedy {money['id']}", None, "2026-10-28")]


@pytest.mark.parametrize("on, message", [
    ("2026-10-05", "before the response"), ("2026-12-01", "in the future"), ("2026-02-30", "not a real date"),
])
def test_complete_remedy_refuses_bad_dates_and_writes_nothing(service, new_case, on, message):
    case = _responded(service, new_case)
    remedy_id = case.remedies[1]["id"]
    before = len(service.history(case.reference))
    with pytest.raises(HoscaseError, match=message):
        service.complete_remedy(case.reference, remedy_id, on)
    assert service.get(case.reference).remedies[1]["done"] is None
    assert len(service.history(case.reference)) == before


def test_complete_remedy_refuses_unknown_or_already_done(service, new_case):
    case = _responded(service, new_case)
    other = new_case(resident_name="Bob Other")
    with pytest.raises(HoscaseError, match="has no remedy"):
        service.complete_remedy(other.reference, case.remedies[0]["id"], "2026-11-01")
    service.complete_remedy(case.reference, case.remedies[0]["id"], "2026-11-01")
    with pytest.raises(HoscaseError, match="already marked done on 2026-11-01"):
        service.complete_remedy(case.reference, case.remedies[0]["id"], "2026-11-02")


def test_open_remedy_rows_are_the_dated_ones_not_done(service, new_case, store):
    case = _responded(service, new_case)
    rows = store.open_remedy_rows()
    assert [(r["reference"], r["kind"], r["due"]) for r in rows] == [(case.reference, "compensation", "2026-10-30")]
    service.complete_remedy(case.reference, rows[0]["id"], "2026-10-30")
    assert store.open_remedy_rows() == []


def test_handlers_are_edited_with_the_details_and_never_the_same_at_both_stages(service, new_case):
    case = _responded(service, new_case)
    with pytest.raises(HoscaseError, match="no stage 2"):
        service.update(case.reference, {"stage2_handler": "Grace Okafor"})
    service.escalate(case.reference, "2026-10-20", "Grace Okafor")
    with pytest.raises(HoscaseError, match="6.13"):
        service.update(case.reference, {"stage1_handler": "grace okafor", "address": "2 New Road"})
    assert service.get(case.reference).address == "1 Mill Terrace, Ludlow"  # nothing half-saved
    case = service.update(case.reference, {"stage1_handler": "Tom Evans", "stage2_handler": "Priya Shah"})
    assert (case.stages[1].handler, case.stages[2].handler) == ("Tom Evans", "Priya Shah")
    rows = [h for h in service.history(case.reference) if h["action"] == "handler"]
    assert {(r["entity"], r["old"], r["new"]) for r in rows} == {("stage1", "Priya Shah", "Tom Evans"),
                                                                ("stage2", "Grace Okafor", "Priya Shah")}
    with pytest.raises(HoscaseError, match="6.13"):
        service.assign_handler(case.reference, "Tom Evans", stage=2)


def test_ombudsman_determination_date_is_a_checked_date_field(service, new_case):
    ref = new_case().reference
    case = service.update(ref, {"ombudsman_referred_on": "2026-03-01", "ombudsman_determined_on": "2026-08-01",
                                "ombudsman_finding": "maladministration"})
    assert case.ombudsman_determined_on == "2026-08-01"
    with pytest.raises(HoscaseError, match="not a real date"):
        service.update(ref, {"ombudsman_determined_on": "2026-13-01"})


def _run(capsys, *args):
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_remedy_add_and_done(capsys, tmp_path, monkeypatch):
    db = str(tmp_path / "c.sqlite3")
    code, out, _ = _run(capsys, "--db", db, "case", "add", "--resident", "A", "--address", "1 Road",
                        "--received", "2025-01-06", "--channel", "phone", "--category", "Repairs",
                        "--definition", "Leak", "--json")
    ref = json.loads(out)["reference"]
    assert _run(capsys, "--db", db, "case", "ack", ref, "--on", "2025-01-07")[0] == 0
    assert _run(capsys, "--db", db, "case", "respond", ref, "--on", "2025-01-15", "--decision", "upheld",
                "--reasons", "Yes")[0] == 0
    code, out, err = _run(capsys, "--db", db, "case", "remedy", ref, "--add", "compensation")
    assert code == 2 and "needs an amount" in err and "Traceback" not in err
    code, out, _ = _run(capsys, "--db", db, "case", "remedy", ref, "--add", "compensation", "--amount", "75.50",
                        "--description", "Paid", "--due", "2025-02-01")
    assert code == 0 and "due 2025-02-01" in out
    remedy_id = out.split("remedy ")[1].split()[0]
    code, _, err = _run(capsys, "--db", db, "case", "remedy", ref, "--done", remedy_id, "--on", "2025-01-01")
    assert code == 2 and "before the response" in err
    assert _run(capsys, "--db", db, "case", "remedy", ref, "--done", remedy_id, "--on", "2025-01-30")[0] == 0
    code, out, _ = _run(capsys, "--db", db, "case", "show", ref, "--json")
    remedy = json.loads(out)["remedies"][0]
    assert (remedy["amount_pence"], remedy["due"], remedy["done"]) == (7550, "2025-02-01", "2025-01-30")
    code, _, err = _run(capsys, "--db", db, "case", "remedy", ref)
    assert code == 2 and "either --add" in err


def test_demo_covers_every_part_of_the_record(store):
    from hoscase.cases import CaseService
    from hoscase.demo import build_demo
    from hoscase.rules import REFUSAL_REASONS

    assert build_demo(store, today=TODAY) == 160
    service = CaseService(store, who="t", today=TODAY)
    cases = [service.get(r["reference"]) for r in service.list_cases()]
    statuses = {c.status for c in cases}
    assert statuses >= {"stage1-awaiting-acknowledgement", "stage1-awaiting-response", "stage1-responded",
                        "stage2-awaiting-acknowledgement", "stage2-awaiting-response", "stage2-responded",
                        "closed", "refused", "withdrawn"}
    assert {c.refusal_reason for c in cases if c.status == "refused"} == set(REFUSAL_REASONS)
    assert any(c.is_overdue(TODAY) for c in cases)
    extensions = [e for c in cases for s in c.stages.values() for e in s.extensions]
    assert extensions and any(e["good_reason"] for e in extensions)
    dated = [r for c in cases for r in c.remedies if r["due"]]
    assert any(r["done"] for r in dated) and any(not r["done"] and r["due"] < TODAY.isoformat() for r in dated)
    assert any(c.learning for c in cases) and any(c.representative_name for c in cases)
    assert sum(bool(c.correspondence) for c in cases) > 40
    findings = {c.ombudsman_finding for c in cases if c.ombudsman_determined_on}
    assert {"maladministration", "severe maladministration"} <= findings
    assert any(c.ombudsman_orders_complied_on and c.ombudsman_orders_complied_on <= c.ombudsman_orders_due
               for c in cases if c.ombudsman_orders_due)
    assert any(c.ombudsman_referred_on and not c.ombudsman_finding for c in cases)
    assert all(c.stages[1].handler != c.stages[2].handler for c in cases if 2 in c.stages)
    # The history reads true: an acknowledgement is recorded on the day it stands for.
    case = next(c for c in cases if c.stages[1].acknowledged)
    acknowledged = [h for h in service.history(case.reference) if h["action"] == "acknowledged"][0]
    assert acknowledged["at"].startswith(case.stages[1].acknowledged.isoformat())
