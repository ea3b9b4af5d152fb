"""Retention: ended cases kept no longer than the organisation's period, then anonymised or deleted.

UK GDPR's storage limitation principle: personal data is kept no longer than needed. A case that
ended (closed, not accepted or withdrawn) more than ``retention_years`` ago (default 6, the
limitation period for most claims) is queued for review. Anonymising keeps what reports count
(dates, category, channel, stage dates, decisions, remedy kinds and amounts) and replaces
everything that says who the resident is or what their circumstances are; deleting removes the
case. A legal hold stops both. Each step is logged in the history, which keeps no personal value
of the case afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoscase.cases import CaseService
from hoscase.errors import HoscaseError
from hoscase.store.safety import ENDED_STATUSES, REMOVED

RETENTION_SETTING = "retention_years"
DEFAULT_RETENTION_YEARS = 6
ANONYMOUS_NAME = "Anonymised"

# Case fields that identify the resident or describe them; each non-empty value becomes REMOVED
# (so a report can still tell that, say, adjustments were recorded) and the name becomes ANONYMOUS_NAME.
PERSONAL_TEXT_FIELDS = (
    "address", "phone", "email", "representative_name", "representative_contact", "property", "definition",
    "outcome_sought", "not_responsible", "vulnerabilities", "adjustments", "refusal_explanation",
    "withdrawn_reason", "learning", "ombudsman_orders",
)
# History fields whose values are kept after anonymising: dates, statuses, decisions and figures.
KEEP_HISTORY_FIELDS = {
    "reference", "received", "requested", "status", "acknowledged", "responded", "decision", "closed_on",
    "refused_on", "refusal_reason", "withdrawn_on", "extension_working_days", "kind", "amount_pence", "due",
    "category", "channel", "handler", "legal_hold", "issue_date", "large_print", "discretion_over_12_months",
    "ombudsman_referred_on", "ombudsman_finding", "ombudsman_orders_due", "ombudsman_orders_complied_on",
    "retention", "anonymised_on",
}


@dataclass
class RetentionItem:
    """One ended case and when its retention period runs out."""

    case_id: int
    reference: str
    status: str
    category: str
    ended_on: dt.date
    review_due: dt.date
    legal_hold: bool
    anonymised_on: str | None

    def to_json(self) -> dict[str, Any]:
        return {"reference": self.reference, "status": self.status, "category": self.category,
                "ended_on": self.ended_on.isoformat(), "review_due": self.review_due.isoformat(),
                "legal_hold": self.legal_hold, "anonymised_on": self.anonymised_on}


def retention_years(store: Any) -> int:
    value = store.get_setting(RETENTION_SETTING, DEFAULT_RETENTION_YEARS)
    try:
        years = int(value)
    except (TypeError, ValueError):
        return DEFAULT_RETENTION_YEARS
    return years if years >= 1 else DEFAULT_RETENTION_YEARS


def set_retention_years(service: CaseService, years: Any) -> int:
    """Change the retention period (logged in the history like every settings change)."""
    try:
        value = int(str(years).strip())
    except ValueError:
        raise HoscaseError(f"the retention period {years!r} is not a whole number of years") from None
    if not 1 <= value <= 100:
        raise HoscaseError("the retention period must be between 1 and 100 years")
    store = service.store
    old = store.get_setting(RETENTION_SETTING)
    with store.transaction():
        store.put_setting(RETENTION_SETTING, value)
        store.insert_history([_history_row(service, None, "settings", "changed", RETENTION_SETTING, old, value)])
    return value


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_list(service: CaseService, *, due_only: bool = True) -> list[RetentionItem]:
    """Ended, not yet anonymised cases; with ``due_only`` only those past their retention period."""
    years = retention_years(service.store)
    today = service.today
    items = []
    for row in service.store.ended_case_rows():
        if row["anonymised_on"]:
            continue
        ended = dt.date.fromisoformat(row["ended_on"])
        due = add_years(ended, years)
        if due_only and due > today:
            continue
        items.append(RetentionItem(row["id"], row["reference"], row["status"], row["category"], ended, due,
                                   bool(row["legal_hold"]), row["anonymised_on"]))
    return items


def _history_row(service: CaseService, case_id: int | None, entity: str, action: str, field: str | None,
                 old: Any, new: Any) -> dict:
    return {"at": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "who": service.who,
            "case_id": case_id, "entity": entity, "action": action, "field": field,
            "old": None if old is None else str(old), "new": None if new is None else str(new)}


def _check_may_remove(service: CaseService, reference: str, what: str, early: bool):
    case = service.get(reference)
    if case.status not in ENDED_STATUSES:
        raise HoscaseError(f"{case.reference} is {case.status_label.lower()}: only a closed, refused or withdrawn "
                           f"case can be {what}")
    if case.fields.get("legal_hold"):
        raise HoscaseError(f"{case.reference} is under a legal hold and cannot be {what}; lift the hold first")
    if case.fields.get("anonymised_on") and what == "anonymised":
        raise HoscaseError(f"{case.reference} was already anonymised on {case.fields['anonymised_on']}")
    item = next((i for i in retention_list(service, due_only=False) if i.case_id == case.id), None)
    if item and item.review_due > service.today and not early:
        raise HoscaseError(f"{case.reference} is kept until {item.review_due.isoformat()} under the "
                           f"{retention_years(service.store)}-year retention period; to remove it earlier "
                           "(an erasure request) confirm it is early (on the command line: --early)")
    return case


def _files_of(service: CaseService, case_id: int) -> list[Path]:
    base = service.store.path.parent
    files = []
    for raw in service.store.case_file_paths(case_id):
        path = Path(raw)
        files.append(path if path.is_absolute() else base / path)
    return files


def _remove_files(service: CaseService, files: list[Path]) -> tuple[list[Path], list[Path]]:
    """Delete letters and attachments kept in the data folder; files elsewhere are listed, not touched."""
    base = service.store.path.parent.resolve()
    removed, kept = [], []
    for path in files:
        try:
            resolved = path.resolve()
        except OSError:
            continue
        if not resolved.exists():
            continue
        if resolved.is_relative_to(base):
            with contextlib.suppress(OSError):
                resolved.unlink()
                removed.append(resolved)
                continue
        kept.append(resolved)
    return removed, kept


@dataclass
class RemovalResult:
    reference: str
    action: str  # "anonymised" or "deleted"
    files_removed: list[Path]
    files_elsewhere: list[Path]  # attachments outside the data folder: the officer deletes these by hand


def anonymise_case(service: CaseService, reference: str, *, early: bool = False) -> RemovalResult:
    """Replace the personal fields of an ended case; dates, categories, decisions and amounts stay for reports."""
    case = _check_may_remove(service, reference, "anonymised", early)
    store = service.store
    fields: dict[str, Any] = {"resident_name": ANONYMOUS_NAME, "adjustments_review": None, "large_print": 0}
    for name in PERSONAL_TEXT_FIELDS:
        value = case.fields.get(name)
        if value not in (None, ""):
            fields[name] = REMOVED
    files = _files_of(service, case.id)
    today = service.today.isoformat()
    with store.transaction():
        store.anonymise_case_rows(case.id, fields, today)
        store.redact_history(case.id, KEEP_HISTORY_FIELDS)
        store.insert_history([_history_row(service, case.id, "case", "anonymised", "retention", None,
                                           f"{retention_years(store)}-year retention period"
                                           if not early else "before the retention period ended")])
    store.purge_deleted()
    removed, kept = _remove_files(service, files)
    return RemovalResult(case.reference, "anonymised", removed, kept)


def delete_case(service: CaseService, reference: str, *, early: bool = False) -> RemovalResult:
    """Delete an ended case and everything under it; the history keeps only that it existed and was deleted."""
    case = _check_may_remove(service, reference, "deleted", early)
    store = service.store
    files = _files_of(service, case.id)
    with store.transaction():
        store.delete_service_requests_of(case.id)
        store.delete_case(case.id)
        store.redact_history(case.id, KEEP_HISTORY_FIELDS)
        store.insert_history([_history_row(service, case.id, "case", "deleted", "retention", None,
                                           f"{retention_years(store)}-year retention period"
                                           if not early else "before the retention period ended")])
    store.purge_deleted()
    removed, kept = _remove_files(service, files)
    return RemovalResult(case.reference, "deleted", removed, kept)
