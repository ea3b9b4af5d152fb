"""Complaint cases and what the officer does to them, checked against the Code before anything is saved.

Every action runs in one transaction and appends to the case's history (Code 5.12).
Due dates are derived from the recorded dates each time a case is read.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from typing import Any

from hoscase.errors import HoscaseError
from hoscase.rules import (
    DECISIONS,
    REFUSAL_REASONS,
    REMEDY_KINDS,
    TIMESCALES,
    deadline_ordinals,
    older_than_exclusion_window,
    stage_deadlines,
)
from hoscase.store import Store
from hoscase.store.cases import OPEN_STATUSES
from hoscase.validate import MAX_TEXT  # noqa: F401 - importer and tests read it here
from hoscase.validate import clean_text as _text
from hoscase.workdays import WorkingCalendar, parse_date

STATUS_LABELS = {
    "stage1-awaiting-acknowledgement": "Stage 1: to acknowledge",
    "stage1-awaiting-response": "Stage 1: to respond",
    "stage1-responded": "Stage 1: responded",
    "stage2-awaiting-acknowledgement": "Stage 2: to acknowledge",
    "stage2-awaiting-response": "Stage 2: to respond",
    "stage2-responded": "Stage 2: final response sent",
    "closed": "Closed",
    "refused": "Not accepted",
    "withdrawn": "Withdrawn",
}
CHANNELS = ("phone", "email", "letter", "in person", "online form", "social media", "representative")
CONTACT_PREFERENCES = ("letter", "email", "phone", "text message")

# Fields of a case the officer may edit after it is opened (others change only through stage actions).
EDITABLE_FIELDS = (
    "resident_name", "address", "phone", "email", "preferred_contact", "representative_name",
    "representative_contact", "property", "channel", "category", "issue_date", "definition",
    "outcome_sought", "not_responsible", "vulnerabilities", "adjustments", "adjustments_review",
    "large_print", "learning", "discretion_over_12_months", "legal_hold", "ombudsman_referred_on",
    "ombudsman_determined_on", "ombudsman_finding", "ombudsman_orders", "ombudsman_orders_due",
    "ombudsman_orders_complied_on",
)
# Who handles each stage, editable beside the case's details; saved on the stage, never the same person twice (6.13).
HANDLER_FIELDS = {"stage1_handler": 1, "stage2_handler": 2}
DATE_FIELDS = {"issue_date", "adjustments_review", "ombudsman_referred_on", "ombudsman_determined_on",
               "ombudsman_orders_due", "ombudsman_orders_complied_on", "received"}
OMBUDSMAN_FINDINGS = ("", "no maladministration", "service failure", "maladministration",
                      "severe maladministration", "outside jurisdiction", "resolved by landlord")


def _check_issue_date(issue: str | None, received: str | None) -> None:
    """The issue complained about cannot have happened after the complaint about it arrived."""
    if issue and received and issue > received:
        raise HoscaseError(f"the issue date {issue} is after the date the complaint was received ({received})")


@dataclass
class StageView:
    """One stage of a case with its derived due dates."""

    stage: int
    received: dt.date
    handler: str
    definition: str
    acknowledged: dt.date | None
    responded: dt.date | None
    decision: str | None
    reasons: str
    update_interval: str
    extensions: list[dict]
    acknowledge_due: dt.date
    respond_due: dt.date

    @property
    def extension_working_days(self) -> int:
        return sum(e["working_days"] for e in self.extensions)

    def next_step(self) -> tuple[str, dt.date] | None:
        if self.responded:
            return None
        if not self.acknowledged:
            return ("acknowledge", self.acknowledge_due)
        return ("respond", self.respond_due)

    def to_json(self) -> dict[str, Any]:
        key = "received" if self.stage == 1 else "requested"
        return {
            key: _iso(self.received),
            "handler": self.handler,
            "acknowledge_due": _iso(self.acknowledge_due),
            "acknowledged": _iso(self.acknowledged),
            "respond_due": _iso(self.respond_due),
            "responded": _iso(self.responded),
            "extension_working_days": self.extension_working_days,
            "extensions": [
                {"agreed_on": e["agreed_on"], "working_days": e["working_days"], "reason": e["reason"],
                 "good_reason": bool(e["good_reason"])}
                for e in self.extensions
            ],
            "decision": self.decision,
            "reasons": self.reasons,
        }


@dataclass
class Case:
    id: int
    reference: str
    status: str
    fields: dict[str, Any]
    stages: dict[int, StageView]
    remedies: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    correspondence: list[dict] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def current_stage(self) -> StageView:
        return self.stages[max(self.stages)]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def next_step(self) -> tuple[str, dt.date] | None:
        return self.current_stage.next_step() if self.is_open else None

    def is_overdue(self, today: dt.date) -> bool:
        step = self.next_step()
        return step is not None and step[1] < today

    def over_12_months(self) -> bool:
        """The issue date is more than 12 months before receipt (Code 2.3), so exclusion may apply."""
        issue = self.fields.get("issue_date")
        return bool(issue) and older_than_exclusion_window(parse_date(issue), parse_date(self.fields["received"]))

    def allowed_actions(self) -> set[str]:
        """Which stage actions apply now: the desktop buttons and the CLI share this."""
        s = self.status
        allowed: set[str] = set()
        if s in OPEN_STATUSES:
            allowed |= {"withdraw", "extend", "respond"}
            if s.endswith("awaiting-acknowledgement"):
                allowed.add("acknowledge")
            if s.startswith("stage1"):
                allowed.add("refuse")
        if s == "stage1-responded" or (s == "closed" and 2 not in self.stages):
            allowed.add("escalate")
        if s in ("stage1-responded", "stage2-responded"):
            allowed.add("close")
        return allowed

    def to_json(self) -> dict[str, Any]:
        out = {"reference": self.reference, "status": self.status, "status_label": self.status_label}
        out.update({k: v for k, v in self.fields.items() if k not in ("id", "reference", "status")})
        out["over_12_months"] = self.over_12_months()
        out["stage1"] = self.stages[1].to_json() if 1 in self.stages else None
        out["stage2"] = self.stages[2].to_json() if 2 in self.stages else None
        out["remedies"] = self.remedies
        out["actions"] = self.actions
        step = self.next_step()
        out["next_step"] = {"action": step[0], "due": step[1].isoformat()} if step else None
        return out


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class CaseService:
    """The officer's actions on cases. One instance per open database."""

    def __init__(self, store: Store, who: str | None = None, today: dt.date | None = None) -> None:
        self.store = store
        self.who = who or store.get_setting("current_user") or _login_name()
        self._today = today
        self._calendar: WorkingCalendar | None = None
        self._closures_key: tuple | None = None
        self._calendar_stamp: tuple | None = None

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def calendar(self) -> WorkingCalendar:
        """The working calendar, rebuilt when the organisation's closure days change.

        The closure days are read again only after something was written to the database (its change
        stamp moved), not on every call: the work list and the register ask many times a second."""
        stamp_of = getattr(self.store, "change_stamp", None)
        stamp = stamp_of() if stamp_of is not None else None
        if self._calendar is not None and stamp is not None and stamp == self._calendar_stamp:
            return self._calendar
        self._calendar_stamp = stamp
        closures = self.store.closure_days()
        key = tuple(sorted(closures.items()))
        if self._calendar is None or key != self._closures_key:
            self._calendar = WorkingCalendar({dt.date.fromisoformat(d): n for d, n in closures.items()})
            self._closures_key = key
        return self._calendar

    # --- reading -------------------------------------------------------

    def get(self, reference: str) -> Case:
        row = self.store.case_row(str(reference).strip())
        if row is None:
            raise HoscaseError(f"no case with reference {reference!r}")
        return self._build(row)

    def get_by_id(self, case_id: int) -> Case:
        row = self.store.case_row_by_id(case_id)
        if row is None:
            raise HoscaseError(f"no case with id {case_id}")
        return self._build(row)

    def _build(self, row: dict) -> Case:
        calendar = self.calendar
        extensions = self.store.extension_rows(row["id"])
        stages = {}
        for s in self.store.stage_rows(row["id"]):
            own = [e for e in extensions if e["stage"] == s["stage"]]
            received = dt.date.fromisoformat(s["received"])
            acknowledged = dt.date.fromisoformat(s["acknowledged"]) if s["acknowledged"] else None
            deadlines = stage_deadlines(calendar, s["stage"], received, acknowledged,
                                        sum(e["working_days"] for e in own))
            stages[s["stage"]] = StageView(
                stage=s["stage"], received=received, handler=s["handler"], definition=s["definition"],
                acknowledged=acknowledged,
                responded=dt.date.fromisoformat(s["responded"]) if s["responded"] else None,
                decision=s["decision"], reasons=s["reasons"], update_interval=s["update_interval"],
                extensions=own, acknowledge_due=deadlines.acknowledge_due, respond_due=deadlines.respond_due,
            )
        return Case(
            id=row["id"], reference=row["reference"], status=row["status"], fields=row, stages=stages,
            remedies=self.store.remedy_rows(row["id"]), actions=self.store.action_rows(row["id"]),
            correspondence=self.store.correspondence_rows(row["id"]),
        )

    def history(self, reference: str) -> list[dict]:
        return self.store.history_rows(self.get(reference).id)

    # --- checks --------------------------------------------------------

    def _date(self, value: Any, what: str, *, not_before: dt.date | None = None, before_what: str = "") -> dt.date:
        if value is None or value == "":
            raise HoscaseError(f"{what} is required")
        day = parse_date(value, what)
        if day > self.today:
            raise HoscaseError(f"{what} {day.isoformat()} is in the future")
        if not_before and day < not_before:
            raise HoscaseError(f"{what} {day.isoformat()} is before {before_what} {not_before.isoformat()}")
        try:
            self.calendar._check_range(day)
        except HoscaseError:
            raise HoscaseError(f"{what} {day.isoformat()} is outside the years the app handles") from None
        return day

    def _stamp(self) -> str:
        """When a change happened, for the history (the demo replays past dates through this)."""
        return _now()

    def _log(self, case_id: int | None, entity: str, action: str, changes: dict[str, tuple[Any, Any]] | None = None) -> None:
        at = self._stamp()
        rows = []
        if not changes:
            rows.append({"at": at, "who": self.who, "case_id": case_id, "entity": entity, "action": action,
                         "field": None, "old": None, "new": None})
        for name, (old, new) in (changes or {}).items():
            rows.append({"at": at, "who": self.who, "case_id": case_id, "entity": entity, "action": action,
                         "field": name, "old": None if old is None else str(old),
                         "new": None if new is None else str(new)})
        self.store.insert_history(rows)

    # --- actions -------------------------------------------------------

    def add_case(self, *, resident_name: str, address: str, received: Any, channel: str, category: str,
                 definition: str, outcome_sought: str = "", handler: str = "", reference: str | None = None,
                 service_request_id: int | None = None, **extra: Any) -> Case:
        """Open a stage 1 complaint."""
        row = {
            "resident_name": _text(resident_name, "resident name", True),
            "address": _text(address, "address", True),
            "channel": _text(channel, "channel", True),
            "category": _text(category, "category", True),
            "definition": _text(definition, "complaint definition", True),
            "outcome_sought": _text(outcome_sought, "outcome sought"),
        }
        received_day = self._date(received, "received date")
        row["received"] = received_day.isoformat()
        for name, value in extra.items():
            if name not in EDITABLE_FIELDS:
                raise HoscaseError(f"unknown case field {name!r}")
            row[name] = self._clean_field(name, value)
        _check_issue_date(row.get("issue_date"), row["received"])
        handler = _text(handler, "handler")
        with self.store.transaction():
            if reference:
                reference = _text(reference, "reference", True)
                if self.store.reference_exists(reference):
                    raise HoscaseError(f"a case with reference {reference} already exists")
            else:
                prefix = self.store.get_setting("reference_prefix", "C")
                reference = self.store.next_reference(received_day.year, prefix)
            now = _now()
            row.update(reference=reference, status="stage1-awaiting-acknowledgement", created_at=now,
                       updated_at=now, service_request_id=service_request_id)
            case_id = self.store.insert_case(row)
            self.store.insert_stage({"case_id": case_id, "stage": 1, "received": row["received"],
                                     "handler": handler, "definition": row["definition"]})
            self._log(case_id, "case", "opened", {"reference": (None, reference), "received": (None, row["received"])})
        return self.get(reference)

    def _clean_field(self, name: str, value: Any) -> Any:
        if name in ("large_print", "discretion_over_12_months", "legal_hold"):
            return int(bool(value))
        if name in DATE_FIELDS:
            if value in (None, ""):
                return None
            return parse_date(value, name.replace("_", " ")).isoformat()
        if name == "ombudsman_finding" and value not in OMBUDSMAN_FINDINGS:
            raise HoscaseError(f"ombudsman finding must be one of: {', '.join(f for f in OMBUDSMAN_FINDINGS if f)}")
        return _text(value, name.replace("_", " "))

    def update(self, reference: str, changes: dict[str, Any]) -> Case:
        """Edit a case's details; every changed field goes into the history."""
        case = self.get(reference)
        clean, handlers = {}, {}
        for name, value in changes.items():
            if name in HANDLER_FIELDS:
                number = HANDLER_FIELDS[name]
                if number not in case.stages:
                    raise HoscaseError(f"{case.reference} has no stage {number} to give a handler")
                handlers[number] = " ".join(_text(value, f"stage {number} handler").split())
                continue
            if name not in EDITABLE_FIELDS:
                raise HoscaseError(f"{name!r} cannot be edited directly")
            clean[name] = self._clean_field(name, value)
        for name in ("resident_name", "address", "definition", "channel", "category"):
            if name in clean and not clean[name]:
                raise HoscaseError(f"{name.replace('_', ' ')} is required")
        _check_issue_date(clean.get("issue_date", case.fields.get("issue_date")),
                          clean.get("received", case.fields.get("received")))
        if 2 in case.stages:
            first = handlers.get(1, case.stages[1].handler)
            second = handlers.get(2, case.stages[2].handler)
            if first and second and first.casefold() == second.casefold():
                raise HoscaseError(
                    f"the stage 2 handler must not be the person who handled stage 1 ({second}) (Code 6.13)"
                )
        diff = {k: (case.fields.get(k), v) for k, v in clean.items() if case.fields.get(k) != v}
        handler_diff = {n: (case.stages[n].handler, h) for n, h in handlers.items() if case.stages[n].handler != h}
        if not diff and not handler_diff:
            return case
        with self.store.transaction():
            if diff:
                self.store.update_case(case.id, {**{k: v for k, (_, v) in diff.items()}, "updated_at": _now()})
                if "definition" in diff:
                    self.store.update_stage(case.id, case.current_stage.stage, {"definition": clean["definition"]})
                self._log(case.id, "case", "edited", diff)
            for number, (old, new) in handler_diff.items():
                self.store.update_stage(case.id, number, {"handler": new})
                self._log(case.id, f"stage{number}", "handler", {"handler": (old or None, new or None)})
        return self.get(reference)

    def _require(self, case: Case, action: str) -> None:
        if action not in case.allowed_actions():
            raise HoscaseError(f"cannot {action} {case.reference}: it is {case.status_label.lower()}")

    def acknowledge(self, reference: str, on: Any) -> Case:
        case = self.get(reference)
        self._require(case, "acknowledge")
        stage = case.current_stage
        day = self._date(on, "acknowledgement date", not_before=stage.received,
                         before_what="the date received" if stage.stage == 1 else "the escalation request")
        with self.store.transaction():
            self.store.update_stage(case.id, stage.stage, {"acknowledged": day.isoformat()})
            self._set_status(case, f"stage{stage.stage}-awaiting-response")
            self._log(case.id, f"stage{stage.stage}", "acknowledged", {"acknowledged": (None, day.isoformat())})
        return self.get(reference)

    def extend(self, reference: str, working_days: int, reason: str, good_reason: bool = False,
               on: Any = None) -> Case:
        """Extend the response deadline (6.4, 6.15): beyond the Code's limit only with a recorded good reason."""
        case = self.get(reference)
        self._require(case, "extend")
        stage = case.current_stage
        try:
            days = int(working_days)
        except (TypeError, ValueError):
            raise HoscaseError(f"extension {working_days!r} is not a whole number of working days") from None
        if days < 1:
            raise HoscaseError("an extension must be at least 1 working day")
        reason = _text(reason, "reason for the extension", True)
        limit = TIMESCALES[stage.stage].extension
        total = stage.extension_working_days + days
        if total > limit and not good_reason:
            raise HoscaseError(
                f"stage {stage.stage} extensions may total at most {limit} working days without a recorded good "
                f"reason (this would make {total}); record it with --good-reason if there is one"
            )
        if total > 200:
            raise HoscaseError(f"an extension of {total} working days in all is not credible; check the number")
        day = self._date(on if on not in (None, "") else self.today, "extension date",
                         not_before=stage.received, before_what="the stage's receipt")
        with self.store.transaction():
            self.store.insert_extension({"case_id": case.id, "stage": stage.stage, "agreed_on": day.isoformat(),
                                         "working_days": days, "reason": reason, "good_reason": int(bool(good_reason))})
            self._log(case.id, f"stage{stage.stage}", "extended",
                      {"extension_working_days": (stage.extension_working_days, total), "reason": (None, reason)})
        return self.get(reference)

    def respond(self, reference: str, on: Any, decision: str, reasons: str,
                remedies: list[dict] | None = None, actions: list[dict] | None = None) -> Case:
        """Record the stage response with its decision, reasons, remedies and outstanding actions (6.9, 6.19)."""
        case = self.get(reference)
        self._require(case, "respond")
        stage = case.current_stage
        floor, floor_what = stage.received, "the date received" if stage.stage == 1 else "the escalation request"
        if stage.acknowledged:
            floor, floor_what = stage.acknowledged, "the acknowledgement"
        day = self._date(on, "response date", not_before=floor, before_what=floor_what)
        decision = (decision or "").strip().lower().replace(" ", "-").replace("_", "-")
        if decision not in DECISIONS:
            raise HoscaseError(f"decision must be one of: {', '.join(DECISIONS)}")
        reasons = _text(reasons, "reasons for the decision", True)
        remedy_rows = [self._remedy_row(case.id, stage.stage, r) for r in remedies or []]
        action_rows = [self._action_row(case.id, stage.stage, a) for a in actions or []]
        with self.store.transaction():
            self.store.update_stage(case.id, stage.stage,
                                    {"responded": day.isoformat(), "decision": decision, "reasons": reasons})
            for r in remedy_rows:
                self.store.insert_remedy(r)
            for a in action_rows:
                self.store.insert_action(a)
            self._set_status(case, f"stage{stage.stage}-responded")
            self._log(case.id, f"stage{stage.stage}", "responded",
                      {"responded": (None, day.isoformat()), "decision": (None, decision)})
        return self.get(reference)

    def _remedy_row(self, case_id: int, stage: int, remedy: dict) -> dict:
        kind = remedy.get("kind", "")
        if kind not in REMEDY_KINDS:
            raise HoscaseError(f"remedy kind must be one of: {', '.join(REMEDY_KINDS)}")
        amount = remedy.get("amount_pence")
        if amount is None and remedy.get("amount") not in (None, ""):
            amount = parse_money(remedy["amount"])
        if kind == "compensation" and not amount:
            raise HoscaseError("a financial remedy needs an amount")
        return {"case_id": case_id, "stage": stage, "kind": kind,
                "description": _text(remedy.get("description", ""), "remedy description"),
                "amount_pence": amount,
                "due": parse_date(remedy["due"], "remedy due date").isoformat() if remedy.get("due") else None,
                "done": None}

    def _action_row(self, case_id: int, stage: int, action: dict) -> dict:
        return {"case_id": case_id, "stage": stage,
                "description": _text(action.get("description"), "action description", True),
                "owner": _text(action.get("owner", ""), "action owner"),
                "due": parse_date(action.get("due") or "", "action due date").isoformat(), "done": None}

    def add_remedy(self, reference: str, remedy: dict) -> Case:
        case = self.get(reference)
        row = self._remedy_row(case.id, case.current_stage.stage, remedy)
        with self.store.transaction():
            self.store.insert_remedy(row)
            self._log(case.id, "remedy", "added", {"kind": (None, row["kind"]), "amount_pence": (None, row["amount_pence"]),
                                                   "description": (None, row["description"] or None),
                                                   "due": (None, row["due"])})
        return self.get(reference)

    def add_action(self, reference: str, action: dict) -> Case:
        """An outstanding action promised to the resident, tracked after the response (6.6, 7.3)."""
        case = self.get(reference)
        row = self._action_row(case.id, case.current_stage.stage, action)
        with self.store.transaction():
            self.store.insert_action(row)
            self._log(case.id, "action", "added", {"description": (None, row["description"]), "due": (None, row["due"])})
        return self.get(reference)

    def complete_action(self, reference: str, action_id: int, on: Any) -> Case:
        case = self.get(reference)
        if not any(a["id"] == action_id for a in case.actions):
            raise HoscaseError(f"{reference} has no action {action_id}")
        day = self._date(on, "date done")
        with self.store.transaction():
            self.store.update_action(action_id, {"done": day.isoformat()})
            self._log(case.id, "action", "done", {f"action {action_id}": (None, day.isoformat())})
        return self.get(reference)

    def complete_remedy(self, reference: str, remedy_id: int, on: Any) -> Case:
        """Record that a remedy was carried out (7.3: what was promised is tracked until it is done)."""
        case = self.get(reference)
        remedy = next((r for r in case.remedies if r["id"] == remedy_id), None)
        if remedy is None:
            raise HoscaseError(f"{case.reference} has no remedy {remedy_id}")
        if remedy["done"]:
            raise HoscaseError(f"remedy {remedy_id} of {case.reference} was already marked done on {remedy['done']}")
        stage = case.stages.get(remedy["stage"])
        floor = stage.responded if stage and stage.responded else None
        day = self._date(on, "date done", not_before=floor, before_what="the response that offered it")
        with self.store.transaction():
            self.store.update_remedy(remedy_id, {"done": day.isoformat()})
            self._log(case.id, "remedy", "done", {f"remedy {remedy_id}": (None, day.isoformat())})
        return self.get(reference)

    def add_correspondence(self, reference: str, on: Any, summary: str, direction: str = "out",
                           kind: str = "note", path: str | None = None) -> Case:
        case = self.get(reference)
        day = self._date(on, "correspondence date")
        if direction not in ("in", "out"):
            raise HoscaseError("direction must be 'in' or 'out'")
        row = {"case_id": case.id, "on_date": day.isoformat(), "direction": direction,
               "summary": _text(summary, "summary", True), "kind": kind, "path": path}
        with self.store.transaction():
            self.store.insert_correspondence(row)
            self._log(case.id, kind, "added", {"summary": (None, row["summary"])})
        return self.get(reference)

    def escalate(self, reference: str, on: Any, handler: str = "", definition: str = "") -> Case:
        """Open stage 2 at the resident's request; no reason is needed (6.12), a new handler is (6.13)."""
        case = self.get(reference)
        self._require(case, "escalate")
        stage1 = case.stages[1]
        day = self._date(on, "escalation request date", not_before=stage1.responded or stage1.received,
                         before_what="the stage 1 response")
        handler = _text(handler, "stage 2 handler")
        if handler and stage1.handler and handler.casefold() == stage1.handler.casefold():
            raise HoscaseError(
                f"the stage 2 handler must not be the person who handled stage 1 ({stage1.handler}) (Code 6.13)"
            )
        with self.store.transaction():
            self.store.insert_stage({"case_id": case.id, "stage": 2, "received": day.isoformat(), "handler": handler,
                                     "definition": _text(definition, "stage 2 definition") or stage1.definition})
            self._set_status(case, "stage2-awaiting-acknowledgement")
            self._log(case.id, "stage2", "escalated", {"requested": (None, day.isoformat()), "handler": (None, handler)})
        return self.get(reference)

    def set_update_interval(self, reference: str, interval: str, stage: int | None = None) -> Case:
        """Record the interval for updates agreed with the resident when a response will take longer (5.9)."""
        case = self.get(reference)
        number = stage or case.current_stage.stage
        view = case.stages.get(number)
        if view is None:
            raise HoscaseError(f"{case.reference} has no stage {number}")
        text = " ".join(_text(interval, "the agreed interval for updates").split())
        if not text:
            raise HoscaseError("the agreed interval for updates is required (for example 'every Friday by phone')")
        if len(text) > 500:
            raise HoscaseError("the agreed interval for updates is too long (500 characters at most)")
        if text == view.update_interval:
            return case
        with self.store.transaction():
            self.store.update_stage(case.id, number, {"update_interval": text})
            self._log(case.id, f"stage{number}", "update interval", {"update_interval": (view.update_interval or None, text)})
        return self.get(reference)

    def assign_handler(self, reference: str, handler: str, stage: int | None = None) -> Case:
        """Record who handles a stage (the current one unless ``stage`` is given); never the same person at both (6.13)."""
        case = self.get(reference)
        stage = case.stages.get(stage) if stage else case.current_stage
        if stage is None:
            raise HoscaseError(f"{case.reference} has no such stage")
        handler = _text(handler, "handler", True)
        other = case.stages.get(3 - stage.stage)
        if other is not None and other.handler and other.handler.casefold() == handler.casefold():
            raise HoscaseError(
                f"the stage 2 handler must not be the person who handled stage 1 ({handler}) (Code 6.13)"
            )
        if handler == stage.handler:
            return case
        with self.store.transaction():
            self.store.update_stage(case.id, stage.stage, {"handler": handler})
            self._log(case.id, f"stage{stage.stage}", "handler", {"handler": (stage.handler, handler)})
        return self.get(reference)

    def refuse(self, reference: str, on: Any, reason: str, explanation: str) -> Case:
        """Decline to take the complaint through the process, with the Code's reason (2.1 to 2.5)."""
        case = self.get(reference)
        self._require(case, "refuse")
        if reason not in REFUSAL_REASONS:
            raise HoscaseError(f"refusal reason must be one of: {', '.join(REFUSAL_REASONS)}")
        explanation = _text(explanation, "explanation", True)
        day = self._date(on, "refusal date", not_before=case.stages[1].received, before_what="the date received")
        with self.store.transaction():
            self.store.update_case(case.id, {"refused_on": day.isoformat(), "refusal_reason": reason,
                                             "refusal_explanation": explanation})
            self._set_status(case, "refused")
            self._log(case.id, "case", "refused", {"refusal_reason": (None, reason)})
        return self.get(reference)

    def withdraw(self, reference: str, on: Any, reason: str = "") -> Case:
        case = self.get(reference)
        self._require(case, "withdraw")
        day = self._date(on, "withdrawal date", not_before=case.current_stage.received, before_what="the stage's receipt")
        with self.store.transaction():
            self.store.update_case(case.id, {"withdrawn_on": day.isoformat(),
                                             "withdrawn_reason": _text(reason, "reason")})
            self._set_status(case, "withdrawn")
            self._log(case.id, "case", "withdrawn", {"withdrawn_on": (None, day.isoformat())})
        return self.get(reference)

    def close(self, reference: str, on: Any) -> Case:
        case = self.get(reference)
        self._require(case, "close")
        day = self._date(on, "closing date", not_before=case.current_stage.responded, before_what="the response")
        with self.store.transaction():
            self.store.update_case(case.id, {"closed_on": day.isoformat()})
            self._set_status(case, "closed")
            self._log(case.id, "case", "closed", {"closed_on": (None, day.isoformat())})
        return self.get(reference)

    def _set_status(self, case: Case, status: str) -> None:
        self.store.update_case(case.id, {"status": status, "updated_at": _now()})
        self._log(case.id, "case", "status", {"status": (case.status, status)})

    # --- lists ---------------------------------------------------------

    def open_deadlines(self) -> list[dict]:
        """Every open case's next step and its due date, worked out now from recorded dates.

        Run on every refresh of the work list and the calendar, so it works on whole lists of date ordinals
        and reuses the calendar's parsed dates: a large register's open deadlines take a few milliseconds."""
        rows = self.store.open_stage_rows()
        calendar = self.calendar
        ordinal, date = calendar.ordinal_of, calendar.date_of
        acknowledge_due, respond_due = deadline_ordinals(
            calendar, [r["stage"] for r in rows], [ordinal[r["received"]] for r in rows],
            [ordinal[r["acknowledged"]] if r["acknowledged"] else None for r in rows],
            [r["extension_working_days"] for r in rows])
        for row, acknowledge, respond in zip(rows, acknowledge_due, respond_due):  # the rows are ours to extend
            acknowledge, respond = date[acknowledge], date[respond]
            if row["acknowledged"]:
                row["action"], row["due"] = "respond", respond
            else:
                row["action"], row["due"] = "acknowledge", acknowledge
            row["respond_due"], row["acknowledge_due"] = respond, acknowledge
        rows.sort(key=itemgetter("reference"))
        rows.sort(key=itemgetter("due"))  # stable: by due date, then by reference
        return rows

    def list_cases(self, overdue: bool = False) -> list[dict]:
        today = self.today
        if overdue:
            late = [r for r in self.open_deadlines() if r["due"] < today]
            return [_deadline_json(r, today, self.calendar.between(r["due"], today)) for r in late]
        deadlines = {r["case_id"]: r for r in self.open_deadlines()}
        rows = self.store.register_rows(self.store.all_case_ids())
        out = []
        for row in rows:
            item = {"reference": row["reference"], "resident": row["resident_name"], "status": row["status"],
                    "stage": row["stage"], "received": row["received"], "category": row["category"],
                    "handler": row["handler"], "next_action": None, "due": None, "overdue": False}
            d = deadlines.get(row["id"])
            if d:
                item.update(next_action=d["action"], due=d["due"].isoformat(), overdue=d["due"] < today)
            out.append(item)
        return out


def _deadline_json(row: dict, today: dt.date, late_by: int | None = None) -> dict:
    return {"reference": row["reference"], "resident": row["resident_name"], "status": row["status"],
            "stage": row["stage"], "received": row["received"], "category": row["category"],
            "handler": row["handler"], "next_action": row["action"], "due": row["due"].isoformat(),
            "overdue": row["due"] < today, "working_days_overdue": late_by}


_MONEY = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?")


def parse_money(text: Any) -> int:
    """Pounds as typed (e.g. '£1,250.50') to whole pence; a clear error otherwise.

    Only plain digits, thousands commas in the right places and up to two decimals are
    accepted, so '1e3' or '1,2,3' can never slip through as a sum paid to a resident.
    """
    raw = str(text).strip().replace("£", "", 1).strip()
    if not raw.isascii() or not _MONEY.fullmatch(raw):
        raise HoscaseError(f"{text!r} is not an amount of money (write it like 1,250.50)")
    pounds, _, pence = raw.replace(",", "").partition(".")
    value = int(pounds) * 100 + int((pence + "00")[:2])
    if value > 1_000_000_000:
        raise HoscaseError(f"{text!r} is not a sensible amount of money")
    return value


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some frozen Windows setups
        return "officer"


def case_summary(case: Case) -> dict:
    return asdict(case.current_stage)
