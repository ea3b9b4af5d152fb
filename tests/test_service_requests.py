"""Service requests: kept apart from complaints (Code 1.4), raised to a complaint keeping the link (1.5)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from hoscase.errors import HoscaseError
from hoscase.service_requests import add_service_request, complete, get, list_service_requests, raise_to_complaint
from tests.conftest import TODAY


def _add(service, **overrides):
    fields = dict(resident_name="Ann Example", address="1 Mill Terrace, Ludlow", received="2026-11-02",
                  description="The gate latch is broken.")
    fields.update(overrides)
    return add_service_request(service, **fields)


def test_add_numbers_by_year_and_keeps_requests_apart_from_complaints(service, store):
    first = _add(service)
    second = _add(service, resident_name="Bob Second")
    older = _add(service, received="2025-12-30")
    assert (first["reference"], second["reference"], older["reference"]) == ("SR-2026-0001", "SR-2026-0002",
                                                                            "SR-2025-0001")
    assert first["status"] == "open" and first["case_id"] is None
    assert store.count_cases() == 0  # a service request is not a complaint
    assert [r["reference"] for r in list_service_requests(service)] == ["SR-2026-0002", "SR-2026-0001",
                                                                        "SR-2025-0001"]
    history = [r for r in store.query("SELECT * FROM history WHERE entity = 'service_request'")]
    assert [h["new"] for h in history] == ["SR-2026-0001", "SR-2026-0002", "SR-2025-0001"]


@pytest.mark.parametrize("overrides, message", [
    ({"resident_name": "  "}, "resident name is required"),
    ({"description": ""}, "description of the request is required"),
    ({"received": "2026-02-30"}, "not a real date"),
    ({"received": "2026-12-01"}, "in the future"),
])
def test_bad_input_is_refused_and_nothing_saved(service, store, overrides, message):
    with pytest.raises(HoscaseError, match=message):
        _add(service, **overrides)
    assert list_service_requests(service) == []


def test_complete(service):
    row = _add(service)
    with pytest.raises(HoscaseError, match="before the date received"):
        complete(service, row["reference"], "2026-11-01")
    done = complete(service, row["reference"].lower(), "2026-11-05")
    assert (done["status"], done["completed_on"]) == ("done", "2026-11-05")
    with pytest.raises(HoscaseError, match="not open"):
        complete(service, row["reference"], "2026-11-06")
    assert [r["reference"] for r in list_service_requests(service, "done")] == [row["reference"]]
    assert list_service_requests(service, "open") == []
    with pytest.raises(HoscaseError, match="status must be one of"):
        list_service_requests(service, "closed")


def test_raise_to_complaint_keeps_the_link_both_ways(service, store):
    row = _add(service)
    case = raise_to_complaint(service, row["reference"], channel="phone", category="Repairs", definition="",
                              handler="Priya Shah", received="2026-11-10")
    assert case.service_request_id == row["id"]
    assert case.definition == "The gate latch is broken."  # the request's description by default
    assert case.resident_name == "Ann Example" and case.address == "1 Mill Terrace, Ludlow"
    assert case.status == "stage1-awaiting-acknowledgement"
    assert case.stages[1].handler == "Priya Shah"
    assert case.stages[1].acknowledge_due.isoformat() == "2026-11-17"
    raised = get(service, row["reference"])
    assert (raised["status"], raised["case_id"], raised["case_reference"]) == ("raised", case.id, case.reference)
    history = service.history(case.reference)
    assert any(h["entity"] == "service_request" and h["action"] == "raised" for h in history)
    with pytest.raises(HoscaseError, match=f"already raised to complaint {case.reference}"):
        raise_to_complaint(service, row["reference"], channel="phone", category="Repairs", received="2026-11-10")


def test_raise_is_one_transaction(service, store):
    row = _add(service)
    with pytest.raises(HoscaseError, match="category is required"):
        raise_to_complaint(service, row["reference"], channel="phone", category=" ", received="2026-11-10")
    with pytest.raises(HoscaseError, match="before the service request"):
        raise_to_complaint(service, row["reference"], channel="phone", category="Repairs", received="2026-11-01")
    assert store.count_cases() == 0
    assert get(service, row["reference"])["status"] == "open"


def test_raise_a_done_request_and_one_without_address(service):
    done = _add(service)
    complete(service, done["reference"], "2026-11-03")
    case = raise_to_complaint(service, done["reference"], channel="email", category="Repairs", received=TODAY)
    assert case.received == TODAY.isoformat()
    bare = _add(service, address="")
    with pytest.raises(HoscaseError, match="has no address"):
        raise_to_complaint(service, bare["reference"], channel="email", category="Repairs")
    case = raise_to_complaint(service, bare["reference"], channel="email", category="Repairs",
                              address="2 Mill Terrace")
    assert case.address == "2 Mill Terrace"


def test_cli_add_list_done_raise(db_path, capsys):
    from hoscase.cli import main

    db = ["--db", str(db_path)]
    assert main([*db, "service-request", "add", "--resident", "Ann Example", "--address", "1 Mill Terrace",
                 "--received", "2026-01-05", "--description", "Hall light out", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["reference"] == "SR-2026-0001"
    assert main([*db, "service-request", "add", "--resident", "Bob", "--received", "2026-01-06",
                 "--description", "Key safe"]) == 0
    assert capsys.readouterr().out.strip() == "SR-2026-0002: recorded"
    assert main([*db, "service-request", "done", "SR-2026-0002", "--on", "2026-01-07"]) == 0
    capsys.readouterr()
    assert main([*db, "service-request", "raise", "SR-2026-0001", "--channel", "phone", "--category", "Repairs",
                 "--received", "2026-01-20", "--handler", "Priya Shah", "--json"]) == 0
    case = json.loads(capsys.readouterr().out)
    assert case["reference"] == "C-2026-0001" and case["service_request_id"] == added["id"]
    assert main([*db, "service-request", "list", "--json"]) == 0
    rows = {r["reference"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["SR-2026-0001"]["status"] == "raised" and rows["SR-2026-0001"]["case_reference"] == "C-2026-0001"
    assert rows["SR-2026-0002"]["status"] == "done"
    assert main([*db, "service-request", "list", "--status", "open"]) == 0
    assert "no service requests" in capsys.readouterr().out
    # Refusals: one line on stderr, exit 2, nothing written.
    assert main([*db, "service-request", "raise", "SR-2026-0001", "--channel", "phone", "--category", "X"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already raised" in err
    assert main([*db, "service-request", "done", "SR-2026-0099", "--on", "2026-01-07"]) == 2
    assert "no service request" in capsys.readouterr().err


# --- the page ------------------------------------------------------------------------------------------


@pytest.fixture
def ctx(store):
    from hoscase.gui.context import AppContext

    return AppContext(store, today=TODAY)


def test_page_lists_filters_and_raises(qtbot, ctx, monkeypatch):
    from hoscase.gui.dialogs.raise_complaint import RaiseToComplaintDialog
    from hoscase.gui.pages.service_requests import ServiceRequestsPage

    first = _add(ctx.service)
    second = _add(ctx.service, resident_name="Bob Second", description="Key safe")
    page = ServiceRequestsPage(ctx)
    qtbot.addWidget(page)
    assert sorted(page.references()) == [first["reference"], second["reference"]]
    page.search.setText("key safe")
    assert page.references() == [second["reference"]]
    page.search.clear()

    # The raise dialog as the officer fills it in (exec replaced by accepting the filled dialog).
    def fill_and_save(dialog):
        dialog.category.setEditText("Repairs")
        dialog.definition.setPlainText("The resident is unhappy the gate was not fixed.")
        dialog._on_ok()
        return dialog.result()

    monkeypatch.setattr(RaiseToComplaintDialog, "exec", fill_and_save)
    page.select_reference(first["reference"])
    assert page.raise_button.isEnabled() and not page.open_button.isEnabled()
    with qtbot.waitSignal(ctx.case_opened, timeout=2000) as opened:
        qtbot.mouseClick(page.raise_button, Qt.LeftButton)
    case = ctx.service.get(opened.args[0])
    assert case.service_request_id == first["id"]
    assert case.definition == "The resident is unhappy the gate was not fixed."
    assert page.references() == [second["reference"]]  # the Open filter no longer shows it
    page.filter.setCurrentIndex(page.filter.findData("raised"))
    assert page.references() == [first["reference"]]
    page.select_reference(first["reference"])
    assert page.open_button.isEnabled() and not page.raise_button.isEnabled()
    assert case.reference in page.model.data(page.model.index(0, 5))
    with qtbot.waitSignal(ctx.case_opened, timeout=2000) as opened:
        qtbot.mouseClick(page.open_button, Qt.LeftButton)
    assert opened.args == [case.reference]


def test_new_request_dialog_refuses_bad_input_and_keeps_it(qtbot, ctx):
    from hoscase.gui.dialogs.service_request import NewServiceRequestDialog

    dialog = NewServiceRequestDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.resident_name.setText("Ann Example")
    dialog._on_ok()
    assert "description of the request is required" in dialog.error.text().lower()
    assert dialog.result() == 0 and list_service_requests(ctx.service) == []
    dialog.description.setPlainText("Hall light out")
    with qtbot.waitSignal(ctx.cases_changed, timeout=1000):
        dialog._on_ok()
    assert dialog.value["reference"] == "SR-2026-0001"
    assert dialog.value["received"] == TODAY.isoformat()
