"""Service requests: a resident asking for something to be done, recorded apart from complaints (Code 1.4).

A service request is not a complaint, but if the resident is unhappy with how it went the officer raises it to
a stage 1 complaint (1.5); the complaint keeps a link to the request and the request records the complaint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hoscase.cases import Case, CaseService, _text
from hoscase.errors import HoscaseError
from hoscase.store.service_requests import SERVICE_REQUEST_STATUSES

STATUS_LABELS = {"open": "Open", "done": "Done", "raised": "Raised to complaint"}


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _log(service: CaseService, action: str, field: str, old: Any, new: Any, case_id: int | None = None) -> None:
    service.store.insert_history([{
        "at": _now(), "who": service.who, "case_id": case_id, "entity": "service_request", "action": action,
        "field": field, "old": None if old is None else str(old), "new": None if new is None else str(new),
    }])


def get(service: CaseService, reference: str) -> dict:
    row = service.store.service_request_row(str(reference or "").strip())
    if row is None:
        raise HoscaseError(f"no service request with reference {reference!r}")
    return row


def list_service_requests(service: CaseService, status: str | None = None) -> list[dict]:
    """Newest first; ``status`` open, done or raised (None or 'all' for every one)."""
    if status in (None, "", "all"):
        return service.store.service_request_rows()
    if status not in SERVICE_REQUEST_STATUSES:
        raise HoscaseError(f"status must be one of: all, {', '.join(SERVICE_REQUEST_STATUSES)}")
    return service.store.service_request_rows(status)


def add_service_request(service: CaseService, *, resident_name: str, address: str = "", received: Any,
                        description: str, reference: str | None = None) -> dict:
    """Record a service request; its reference is SR-<year received>-<number>."""
    row = {
        "resident_name": _text(resident_name, "resident name", True),
        "address": _text(address, "address"),
        "description": _text(description, "description of the request", True),
    }
    day = service._date(received, "received date")
    row["received"] = day.isoformat()
    with service.store.transaction():
        if reference:
            reference = _text(reference, "reference", True)
            if service.store.service_request_reference_exists(reference):
                raise HoscaseError(f"a service request with reference {reference} already exists")
        else:
            reference = service.store.next_service_request_reference(day.year)
        row.update(reference=reference, status="open")
        service.store.insert_service_request(row)
        _log(service, "recorded", "reference", None, reference)
    return get(service, reference)


def complete(service: CaseService, reference: str, on: Any) -> dict:
    """Mark an open request done on the given day."""
    request = get(service, reference)
    if request["status"] != "open":
        raise HoscaseError(f"{request['reference']} is {STATUS_LABELS[request['status']].lower()}, not open")
    day = service._date(on, "date done", not_before=dt.date.fromisoformat(request["received"]),
                        before_what="the date received")
    with service.store.transaction():
        service.store.update_service_request(request["id"], {"status": "done", "completed_on": day.isoformat()})
        _log(service, "done", request["reference"], "open", f"done {day.isoformat()}")
    return get(service, request["reference"])


def raise_to_complaint(service: CaseService, sr_ref: str, channel: str, category: str, definition: str = "",
                       handler: str = "", received: Any = None, outcome_sought: str = "",
                       address: str = "") -> Case:
    """Open a stage 1 complaint from a service request (1.5), keeping the link both ways, in one transaction.

    The complaint's received date is the day the resident expressed dissatisfaction, never before the request.
    """
    request = get(service, sr_ref)
    if request["status"] == "raised":
        raise HoscaseError(f"{request['reference']} was already raised to complaint {request['case_reference']}")
    received = received if received not in (None, "") else service.today
    day = service._date(received, "complaint received date",
                        not_before=dt.date.fromisoformat(request["received"]),
                        before_what="the service request's date")
    definition = _text(definition, "complaint definition") or request["description"]
    address = _text(address, "address") or request["address"]
    if not address:
        raise HoscaseError(f"{request['reference']} has no address; give the resident's address for the complaint")
    with service.store.transaction():
        case = service.add_case(
            resident_name=request["resident_name"], address=address, received=day, channel=channel,
            category=category, definition=definition, outcome_sought=outcome_sought, handler=handler,
            service_request_id=request["id"],
        )
        service.store.update_service_request(request["id"], {"status": "raised", "case_id": case.id})
        _log(service, "raised", request["reference"], request["status"], f"raised to {case.reference}", case.id)
    return service.get(case.reference)
