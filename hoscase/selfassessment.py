"""The annual self-assessment against the Complaint Handling Code, and its improvement plan (Code 8.1a, 8.2, 8.3).

Each financial year has one annual assessment; an ad-hoc one follows a restructure, merger or change in procedure
(8.3). A new assessment starts as a copy of the previous one (its answers and its still-open improvement actions)
so the officer edits only what changed. Every edit goes into the append-only history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hoscase.errors import HoscaseError
from hoscase.figures import year_label, year_start_month
from hoscase.provisions import load_code
from hoscase.validate import clean_text as _text
from hoscase.workdays import parse_date

CURRENT_EDITION = "2024"
COMPLY_VALUES = ("Yes", "No", "Partly", "Not applicable")
RAG_VALUES = ("green", "amber", "red")
RAG_LABELS = {
    "green": "Compliant with appropriate assurance",
    "amber": "Compliant but further assurance needed",
    "red": "Not compliant and/or significant assurance gaps",
}
# Shared by the PDF and the desktop table, so the printed form and the screen agree.
RAG_COLOURS = {"green": "#00B050", "amber": "#FFC000", "red": "#E0201B"}
KINDS = ("annual", "ad-hoc")
ENTRY_FIELDS = ("comply", "evidence", "commentary", "rag")
_COMPLY_ALIASES = {"y": "Yes", "yes": "Yes", "n": "No", "no": "No", "partly": "Partly", "partial": "Partly",
                   "partially": "Partly", "not applicable": "Not applicable", "n/a": "Not applicable",
                   "na": "Not applicable"}


@dataclass
class Entry:
    """The answer for one provision."""

    provision: Any  # hoscase.provisions.Provision
    comply: str | None = None
    evidence: str = ""
    commentary: str = ""
    rag: str | None = None

    @property
    def number(self) -> str:
        return str(self.provision.number)

    @property
    def answered(self) -> bool:
        return self.comply is not None

    def values(self) -> dict[str, Any]:
        return {"comply": self.comply, "evidence": self.evidence, "commentary": self.commentary, "rag": self.rag}


@dataclass
class Assessment:
    """One self-assessment; ``id`` is None for a year not yet started (the Code with empty answers)."""

    id: int | None
    year: int
    kind: str
    title: str
    reason: str
    edition: str
    completed_by: str
    completed_on: str | None
    approved_by: str
    approved_on: str | None
    created_at: str | None
    entries: list[Entry]
    actions: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)
    start_month: int = 4  # the month the organisation's financial year starts in (hoscase.years)

    @property
    def started(self) -> bool:
        return self.id is not None

    @property
    def year_label(self) -> str:
        return year_label(self.year, self.start_month)

    @property
    def label(self) -> str:
        if self.kind == "annual":
            return f"{self.year_label} annual self-assessment"
        return f"{self.year_label} ad-hoc self-assessment" + (f": {self.title}" if self.title else "")

    def entry(self, number: str) -> Entry:
        for e in self.entries:
            if e.number == str(number):
                return e
        raise HoscaseError(f"the {self.edition} Code has no provision {number!r}")

    def sections(self) -> list[tuple[str, str, list[Entry]]]:
        """(section number, section title, entries) in the Code's order."""
        out: list[tuple[str, str, list[Entry]]] = []
        for e in self.entries:
            section = str(e.provision.section)
            if not out or out[-1][0] != section:
                out.append((section, e.provision.section_title, []))
            out[-1][2].append(e)
        return out

    def actions_for(self, number: str) -> list[dict]:
        return [a for a in self.actions if a["provision"] == str(number)]


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def clean_comply(value: Any) -> str | None:
    """'Yes', 'No', 'Partly', 'Not applicable' (also y, n, n/a in any case), or None for no answer yet."""
    if value is None or str(value).strip() == "":
        return None
    found = _COMPLY_ALIASES.get(str(value).strip().casefold())
    if found is None:
        raise HoscaseError(f"comply must be one of: {', '.join(COMPLY_VALUES)} (not {value!r})")
    return found


def clean_rag(value: Any) -> str | None:
    """'green', 'amber' or 'red' in any case, or None for no rating yet."""
    if value is None or str(value).strip() == "":
        return None
    found = str(value).strip().casefold()
    if found not in RAG_VALUES:
        raise HoscaseError(f"RAG rating must be one of: {', '.join(RAG_VALUES)} (not {value!r})")
    return found


def check_year(year: Any) -> int:
    try:
        number = int(str(year).strip())
    except (TypeError, ValueError):
        raise HoscaseError(f"year {year!r} is not a year such as 2025") from None
    if not 2000 <= number <= 2099:
        raise HoscaseError(f"year {number} is outside the years the app handles (2000 to 2099)")
    return number


def _optional_date(value: Any, what: str) -> str | None:
    if value in (None, ""):
        return None
    return parse_date(value, what).isoformat()


class SelfAssessments:
    """The officer's work on self-assessments, over one CaseService (for the store, who and today)."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.store = service.store

    @property
    def who(self) -> str:
        return self.service.who

    @property
    def today(self) -> dt.date:
        return self.service.today

    @property
    def start_month(self) -> int:
        return year_start_month(self.store)

    # --- reading -------------------------------------------------------

    def annual_years(self) -> list[int]:
        return [r["year"] for r in self.store.assessment_rows() if r["kind"] == "annual"]

    def assessments(self) -> list[dict]:
        """Every assessment recorded, oldest first, with its label."""
        out = []
        month = self.start_month
        for r in self.store.assessment_rows():
            label = year_label(r["year"], month) + (" ad-hoc" + (f": {r['title']}" if r["title"] else "")
                                             if r["kind"] == "ad-hoc" else "")
            out.append({**r, "label": label})
        return out

    def annual(self, year: Any) -> Assessment:
        """The year's annual assessment, or the Code with empty answers if it is not started."""
        year = check_year(year)
        row = self.store.annual_assessment_row(year)
        if row is None:
            return self._blank(year)
        return self._build(row)

    def get(self, assessment_id: int) -> Assessment:
        row = self.store.assessment_row(assessment_id)
        if row is None:
            raise HoscaseError(f"no self-assessment with id {assessment_id}")
        return self._build(row)

    def _blank(self, year: int, edition: str = CURRENT_EDITION) -> Assessment:
        code = load_code(edition)
        return Assessment(id=None, year=year, kind="annual", title="", reason="", edition=edition, completed_by="",
                          completed_on=None, approved_by="", approved_on=None, created_at=None,
                          entries=[Entry(p) for p in code.provisions], start_month=self.start_month)

    def _build(self, row: dict) -> Assessment:
        code = load_code(row["edition"])
        saved = {r["provision"]: r for r in self.store.assessment_entry_rows(row["id"])}
        entries = []
        for p in code.provisions:
            r = saved.get(str(p.number))
            if r is None:
                entries.append(Entry(p))
            else:
                entries.append(Entry(p, r["comply"], r["evidence"] or "", r["commentary"] or "", r["rag"]))
        return Assessment(
            id=row["id"], year=row["year"], kind=row["kind"], title=row["title"] or "", reason=row["reason"] or "",
            edition=row["edition"], completed_by=row["completed_by"] or "", completed_on=row["completed_on"],
            approved_by=row["approved_by"] or "", approved_on=row["approved_on"], created_at=row["created_at"],
            entries=entries, actions=self.store.improvement_action_rows(row["id"]),
            versions=self.store.assessment_version_rows(row["id"]), start_month=self.start_month,
        )

    def _require(self, assessment_id: Any) -> Assessment:
        if assessment_id is None:
            raise HoscaseError("this self-assessment has not been started yet: start the year first")
        return self.get(int(assessment_id))

    # --- history -------------------------------------------------------

    def _log(self, assessment: Assessment, action: str, changes: dict[str, tuple[Any, Any]] | None = None) -> None:
        """Every change goes into the append-only history (entity 'selfassessment', no case)."""
        at = _now()
        where = f"{assessment.label} (id {assessment.id})"
        rows = []
        for name, (old, new) in (changes or {"": (None, None)}).items():
            rows.append({"at": at, "who": self.who, "case_id": None, "entity": "selfassessment",
                         "action": action, "field": f"{where} {name}".strip(),
                         "old": None if old is None else str(old), "new": None if new is None else str(new)})
        self.store.insert_history(rows)

    # --- starting ------------------------------------------------------

    def start(self, year: Any, completed_by: str | None = None, edition: str = CURRENT_EDITION) -> Assessment:
        """Start the year's annual assessment as a copy of the newest earlier year's (answers and open actions)."""
        year = check_year(year)
        if self.store.annual_assessment_row(year) is not None:
            raise HoscaseError(f"the {year_label(year, self.start_month)} self-assessment is already started")
        source = self.store.previous_annual_assessment_row(year)
        return self._start(year, "annual", "", "", edition, completed_by, source)

    def start_ad_hoc(self, year: Any, title: str, reason: str, completed_by: str | None = None,
                     edition: str = CURRENT_EDITION) -> Assessment:
        """An extra assessment after a restructure, merger or change in procedure (8.3), copied from the latest."""
        year = check_year(year)
        title = _text(title, "title", True)
        reason = _text(reason, "reason for the ad-hoc assessment (restructure, merger, change in procedure)", True)
        return self._start(year, "ad-hoc", title, reason, edition, completed_by, self.store.latest_assessment_row())

    def _start(self, year: int, kind: str, title: str, reason: str, edition: str, completed_by: str | None,
               source: dict | None) -> Assessment:
        code = load_code(edition)
        numbers = {str(p.number) for p in code.provisions}
        with self.store.transaction():
            new_id = self.store.insert_assessment({
                "year": year, "kind": kind, "title": title, "reason": reason, "edition": edition,
                "completed_by": _text(completed_by if completed_by is not None else self.who, "completed by"),
                "created_at": _now(),
            })
            copied = 0
            carried = 0
            if source is not None:
                rows = [{**{k: r[k] for k in ("provision", *ENTRY_FIELDS)}, "assessment_id": new_id}
                        for r in self.store.assessment_entry_rows(source["id"]) if r["provision"] in numbers]
                self.store.put_assessment_entries(rows)
                copied = len(rows)
                for a in self.store.improvement_action_rows(source["id"]):
                    if a["done"] is None and a["provision"] in numbers:
                        self.store.insert_improvement_action({
                            "assessment_id": new_id, "provision": a["provision"], "action": a["action"],
                            "owner": a["owner"], "due": a["due"], "done": None, "carried_from": a["id"]})
                        carried += 1
            assessment = self.get(new_id)
            changes: dict[str, tuple[Any, Any]] = {"started": (None, assessment.label)}
            if source is not None:
                changes["copied from"] = (None, f"id {source['id']} ({year_label(source['year'], self.start_month)}): {copied} "
                                                f"answers, {carried} open actions")
            self._log(assessment, "started", changes)
        return self.get(new_id)

    # --- editing -------------------------------------------------------

    def set_entry(self, assessment_id: Any, provision: str, **changes: Any) -> Assessment:
        """Change one provision's comply, evidence, commentary or RAG rating; the rest stay as they were."""
        assessment = self._require(assessment_id)
        entry = assessment.entry(str(provision).strip())
        unknown = set(changes) - set(ENTRY_FIELDS)
        if unknown:
            raise HoscaseError(f"unknown self-assessment field(s): {', '.join(sorted(unknown))}")
        new = entry.values()
        if "comply" in changes:
            new["comply"] = clean_comply(changes["comply"])
        if "rag" in changes:
            new["rag"] = clean_rag(changes["rag"])
        for name in ("evidence", "commentary"):
            if name in changes:
                new[name] = _text(changes[name], name)
        old = entry.values()
        diff = {f"{entry.number} {k}": (old[k], new[k]) for k in ENTRY_FIELDS if old[k] != new[k]}
        if not diff:
            return assessment
        with self.store.transaction():
            self.store.put_assessment_entries([{"assessment_id": assessment.id, "provision": entry.number, **new}])
            self._log(assessment, "edited", diff)
        return self.get(assessment.id)

    def set_details(self, assessment_id: Any, **changes: Any) -> Assessment:
        """Who completed it and when, and an ad-hoc assessment's title and reason."""
        assessment = self._require(assessment_id)
        allowed = {"completed_by", "completed_on", "title", "reason"}
        unknown = set(changes) - allowed
        if unknown:
            raise HoscaseError(f"unknown self-assessment detail(s): {', '.join(sorted(unknown))}")
        clean = {}
        for name, value in changes.items():
            clean[name] = _optional_date(value, "date completed") if name == "completed_on" else _text(value, name)
        old = {"completed_by": assessment.completed_by, "completed_on": assessment.completed_on,
               "title": assessment.title, "reason": assessment.reason}
        diff = {k: (old[k], v) for k, v in clean.items() if old[k] != v}
        if not diff:
            return assessment
        with self.store.transaction():
            self.store.update_assessment(assessment.id, clean)
            self._log(assessment, "details", diff)
        return self.get(assessment.id)

    # --- improvement actions --------------------------------------------

    def _action_fields(self, assessment: Assessment, values: dict, partial: bool) -> dict:
        out: dict[str, Any] = {}
        if "provision" in values or not partial:
            out["provision"] = assessment.entry(str(values.get("provision", "")).strip()).number
        if "action" in values or not partial:
            out["action"] = _text(values.get("action"), "improvement action", True)
        if "owner" in values or not partial:
            out["owner"] = _text(values.get("owner", ""), "action owner")
        if "due" in values or not partial:
            out["due"] = _optional_date(values.get("due"), "action by date")
        if "done" in values:
            out["done"] = _optional_date(values.get("done"), "date done")
            if out["done"] and dt.date.fromisoformat(out["done"]) > self.today:
                raise HoscaseError(f"date done {out['done']} is in the future")
        return out

    def add_action(self, assessment_id: Any, provision: str, action: str, owner: str = "",
                   due: Any = None) -> dict:
        """An improvement action for a provision: what, who owns it, and the date it is due by."""
        assessment = self._require(assessment_id)
        row = self._action_fields(assessment, {"provision": provision, "action": action, "owner": owner,
                                               "due": due}, partial=False)
        with self.store.transaction():
            action_id = self.store.insert_improvement_action({"assessment_id": assessment.id, **row})
            self._log(assessment, "action added", {f"{row['provision']} action {action_id}": (None, row["action"]),
                                                   "due": (None, row["due"])})
        return self.store.improvement_action_row(action_id)

    def _own_action(self, action_id: Any) -> tuple[Assessment, dict]:
        try:
            row = self.store.improvement_action_row(int(action_id))
        except (TypeError, ValueError):
            row = None
        if row is None:
            raise HoscaseError(f"no improvement action with id {action_id}")
        return self.get(row["assessment_id"]), row

    def update_action(self, action_id: Any, **changes: Any) -> dict:
        allowed = {"provision", "action", "owner", "due", "done"}
        unknown = set(changes) - allowed
        if unknown:
            raise HoscaseError(f"unknown improvement action field(s): {', '.join(sorted(unknown))}")
        assessment, row = self._own_action(action_id)
        clean = self._action_fields(assessment, changes, partial=True)
        diff = {f"action {row['id']} {k}": (row[k], v) for k, v in clean.items() if row.get(k) != v}
        if diff:
            with self.store.transaction():
                self.store.update_improvement_action(row["id"], clean)
                self._log(assessment, "action edited", diff)
        return self.store.improvement_action_row(row["id"])

    def complete_action(self, action_id: Any, on: Any = None) -> dict:
        return self.update_action(action_id, done=on if on not in (None, "") else self.today.isoformat())

    def reopen_action(self, action_id: Any) -> dict:
        return self.update_action(action_id, done=None)

    def delete_action(self, action_id: Any) -> None:
        assessment, row = self._own_action(action_id)
        with self.store.transaction():
            self.store.delete_improvement_action(row["id"])
            self._log(assessment, "action deleted", {f"action {row['id']}": (row["action"], None)})

    # --- approval and versions ------------------------------------------

    def approve(self, assessment_id: Any, approved_by: str, approved_on: Any, changes: str = "") -> Assessment:
        """The governing body's approval (8.2), recorded with a line in the version history."""
        assessment = self._require(assessment_id)
        approved_by = _text(approved_by, "approved by (the governing body)", True)
        day = parse_date(approved_on, "approval date")
        if day > self.today:
            raise HoscaseError(f"approval date {day.isoformat()} is in the future")
        changes = _text(changes, "changes made") or (
            "Approved by the governing body" if not assessment.versions else "Revised and approved")
        with self.store.transaction():
            self.store.update_assessment(assessment.id, {"approved_by": approved_by,
                                                         "approved_on": day.isoformat()})
            self.store.insert_assessment_version({
                "assessment_id": assessment.id, "on_date": day.isoformat(), "changes": changes,
                "by": assessment.completed_by or self.who, "approved_by": approved_by,
                "approved_on": day.isoformat()})
            self._log(assessment, "approved", {"approved_by": (assessment.approved_by or None, approved_by),
                                               "approved_on": (assessment.approved_on, day.isoformat())})
        return self.get(assessment.id)

    def add_version(self, assessment_id: Any, on_date: Any, changes: str, by: str = "", approved_by: str = "",
                    approved_on: Any = None) -> Assessment:
        """A line of the version history: the date, the changes made, by whom, and any approval."""
        assessment = self._require(assessment_id)
        row = {"assessment_id": assessment.id, "on_date": parse_date(on_date, "version date").isoformat(),
               "changes": _text(changes, "changes made", True), "by": _text(by or self.who, "by"),
               "approved_by": _text(approved_by, "approved by"),
               "approved_on": _optional_date(approved_on, "approval date")}
        with self.store.transaction():
            self.store.insert_assessment_version(row)
            self._log(assessment, "version", {"version": (None, f"{row['on_date']}: {row['changes']}")})
        return self.get(assessment.id)

    # --- comparing and summing up ---------------------------------------

    def previous(self, assessment: Assessment) -> Assessment | None:
        """What this assessment is compared with: last year's annual one (for an ad-hoc one, the one before it)."""
        if assessment.kind == "annual":
            row = self.store.previous_annual_assessment_row(assessment.year)
        else:
            row = self.store.latest_assessment_row(before_id=assessment.id) if assessment.id else None
        return self._build(row) if row else None

    def diff(self, assessment: Assessment, previous: Assessment | None = None) -> list[dict]:
        """Which provisions changed since the previous assessment, and how (one item per changed provision)."""
        previous = previous if previous is not None else self.previous(assessment)
        if previous is None:
            return []
        before = {e.number: e for e in previous.entries}
        out = []
        for e in assessment.entries:
            old = before.get(e.number)
            if old is None:
                out.append({"provision": e.number, "changes": {}, "how": "new in this edition of the Code"})
                continue
            changes = {k: (old.values()[k], e.values()[k]) for k in ENTRY_FIELDS if old.values()[k] != e.values()[k]}
            if changes:
                out.append({"provision": e.number, "changes": changes, "how": describe_changes(changes)})
        numbers = {e.number for e in assessment.entries}
        for number in before:
            if number not in numbers:
                out.append({"provision": number, "changes": {}, "how": "not in this edition of the Code"})
        return out

    def summary(self, assessment: Assessment, today: dt.date | None = None) -> dict[str, int]:
        """How many provisions are green, amber, red or unrated, how many unanswered, and the actions' state."""
        today_iso = (today or self.today).isoformat()
        counts = {"provisions": len(assessment.entries), "green": 0, "amber": 0, "red": 0, "unrated": 0,
                  "unanswered": 0}
        for e in assessment.entries:
            counts[e.rag or "unrated"] += 1
            if e.comply is None:
                counts["unanswered"] += 1
        counts["actions"] = len(assessment.actions)
        counts["actions_done"] = sum(1 for a in assessment.actions if a["done"])
        counts["actions_carried"] = sum(1 for a in assessment.actions if not a["done"] and a.get("carried_to"))
        counts["actions_open"] = counts["actions"] - counts["actions_done"] - counts["actions_carried"]
        counts["actions_overdue"] = sum(1 for a in assessment.actions if action_state(a, today_iso) == "overdue")
        return counts


def describe_changes(changes: dict[str, tuple[Any, Any]]) -> str:
    """'comply Yes → Partly; RAG green → amber; evidence changed' for the what-changed list."""
    parts = []
    for name, (old, new) in changes.items():
        if name in ("comply", "rag"):
            label = "RAG" if name == "rag" else "comply"
            parts.append(f"{label} {old or '(none)'} → {new or '(none)'}")
        else:
            parts.append(f"{name} {'added' if not old else 'removed' if not new else 'changed'}")
    return "; ".join(parts)


def action_state(action: dict, today_iso: str) -> str:
    """'done', 'carried' (open, and carried into a later assessment), 'overdue' or 'open'."""
    if action.get("done"):
        return "done"
    if action.get("carried_to"):
        return "carried"
    if action.get("due") and action["due"] < today_iso:
        return "overdue"
    return "open"


def overdue_improvement_actions(store: Any, today: dt.date) -> list[dict]:
    """Open improvement actions past their action-by date, for the work list (not those carried into a later
    assessment: the newest copy is the one that counts)."""
    out = []
    month = year_start_month(store)
    for row in store.overdue_improvement_action_rows(today.isoformat()):
        label = year_label(row["year"], month) + (" ad-hoc" if row["kind"] == "ad-hoc" else "")
        out.append({"id": row["id"], "assessment_id": row["assessment_id"], "assessment": label,
                    "year": row["year"], "provision": row["provision"], "action": row["action"],
                    "owner": row["owner"], "due": row["due"],
                    "days_overdue": (today - dt.date.fromisoformat(row["due"])).days})
    return out
