"""What each letter must say under the Code, checked against the case record before anything is drawn.

Each kind of letter offers a fixed set of placeholders to its template and names the content
the Code requires it to give. ``letter_content`` refuses, listing everything missing, while the
record lacks that content: a response letter with no decision is worse than no letter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from hoscase.cases import Case, CaseService, StageView
from hoscase.errors import HoscaseError
from hoscase.letters.details import address_lines, ombudsman_details, organisation_details
from hoscase.letters.markup import clean_text
from hoscase.rules import DECISIONS, REFUSAL_REASONS, REMEDY_KINDS, stage_deadlines

COMMON = {
    "reference": "the case reference",
    "letter_date": "the date of the letter",
    "resident_name": "the resident's name",
    "recipient_name": "who the letter is addressed to: the representative when it goes to them (Code 5.6), "
                      "otherwise the resident",
    "representative_name": "the resident's representative, if one is recorded",
    "to_representative": "set when the letter goes to the representative on the resident's behalf",
    "address": "the resident's address on one line",
    "category": "the complaint's category",
    "received": "the date the complaint was first received",
    "organisation_name": "your organisation's name",
    "organisation_address": "your organisation's address on one line",
    "organisation_phone": "your organisation's telephone number",
    "organisation_email": "your organisation's email address",
    "organisation_website": "your organisation's website",
    "handler_name": "the name of the person handling the complaint",
    "handler_role": "their role",
    "ombudsman": "the Housing Ombudsman's contact box (alone on its line)",
    "ombudsman_name": "the Ombudsman's name",
    "ombudsman_address": "the Ombudsman's postal address on one line",
    "ombudsman_phone": "the Ombudsman's telephone number",
    "ombudsman_website": "the Ombudsman's website",
    "ombudsman_form": "the Ombudsman's online complaint form",
}
STAGE = {
    "stage": "the stage number (1 or 2)",
    "stage_received": "the date this stage was received (the complaint, or the request for stage 2)",
    "definition": "the complaint definition (Code 5.6)",
    "outcome_sought": "the outcome the resident is seeking (Code 5.6)",
    "not_responsible": "what the landlord is not responsible for (Code 5.7), if anything",
    "acknowledged": "the date the stage was acknowledged",
    "respond_due": "the date the response is due",
}
RESPONSE = {
    "decision": "the decision, e.g. 'partly upheld'",
    "reasons": "the reasons for the decision",
    "remedies": "the table of remedies offered (alone on its line)",
    "actions": "the table of outstanding actions with dates (alone on its line)",
    "responded": "the date of the response",
}
EXTENSION = {
    "extension_days": "the working days of the latest extension",
    "extension_reason": "the reason for the extension",
    "update_interval": "the interval for updates agreed with the resident (Code 5.9)",
    "previous_due": "the response date before this extension",
}
REFUSAL = {
    "refusal_reason": "why the complaint is not being taken through the process (the Code's ground)",
    "refusal_explanation": "the explanation given",
    "refused_on": "the date of the decision",
}
STAGE2 = {"stage1_responded": "the date of the stage 1 response"}


@dataclass(frozen=True)
class LetterKind:
    name: str
    title: str
    provisions: str
    placeholders: dict[str, str]
    required: tuple[str, ...]  # placeholders the template must use, so the letter says what the Code requires


KINDS: dict[str, LetterKind] = {
    k.name: k
    for k in (
        LetterKind("stage1-acknowledgement", "Stage 1 acknowledgement", "3.7, 5.6, 5.7",
                   {**COMMON, **STAGE}, ("definition", "outcome_sought", "not_responsible", "respond_due", "ombudsman")),
        LetterKind("stage1-response", "Stage 1 response", "6.9",
                   {**COMMON, **STAGE, **RESPONSE},
                   ("definition", "decision", "reasons", "remedies", "actions", "ombudsman")),
        LetterKind("extension", "Extension", "5.9, 6.5, 6.16",
                   {**COMMON, **STAGE, **EXTENSION},
                   ("respond_due", "extension_reason", "update_interval", "ombudsman")),
        LetterKind("stage2-acknowledgement", "Stage 2 acknowledgement", "5.6, 5.7",
                   {**COMMON, **STAGE, **STAGE2},
                   ("definition", "outcome_sought", "not_responsible", "respond_due", "ombudsman")),
        LetterKind("stage2-response", "Stage 2 final response", "6.19",
                   {**COMMON, **STAGE, **RESPONSE, **STAGE2},
                   ("definition", "decision", "reasons", "remedies", "actions", "ombudsman")),
        LetterKind("refusal", "Complaint not accepted", "2.4",
                   {**COMMON, "definition": STAGE["definition"], "outcome_sought": STAGE["outcome_sought"], **REFUSAL},
                   ("refusal_reason", "refusal_explanation", "ombudsman")),
    )
}


def letter_kind(name: str) -> LetterKind:
    kind = KINDS.get(str(name).strip().lower())
    if kind is None:
        raise HoscaseError(f"no letter called {name!r}; the letters are: {', '.join(KINDS)}")
    return kind


def long_date(day: dt.date | str | None, weekday: bool = False) -> str:
    """A date as a resident reads it: 4 December 2026 (Friday 4 December 2026)."""
    if not day:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if weekday else text


def money(pence: int | None) -> str:
    if not pence:
        return ""
    return f"£{pence // 100:,}.{pence % 100:02d}"


@dataclass
class LetterContent:
    """Everything a letter prints: the placeholders' values and the parts the layout places itself."""

    kind: LetterKind
    case: Case
    values: dict[str, Any]
    organisation: dict[str, str]
    ombudsman: dict[str, str]
    address_block: list[str]  # the recipient's name and address lines, for the window envelope
    large_print: bool
    letter_date: dt.date
    on_behalf_of: str = ""  # the resident, when the letter goes to their representative
    copy_to: list[str] = field(default_factory=list)  # "cc" lines printed after the signature


_EMAIL = re.compile(r"\S+@\S+\.\S+")
_PHONE = re.compile(r"^[+()\d][\d ()+.-]{6,}$")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Representative:
    """A resident's representative as the case records them (Code 5.6): a name and free-text contact details."""

    name: str
    address: list[str]  # postal address lines, empty when the contact holds none
    other: list[str]  # the email addresses and telephone numbers in the contact

    @property
    def postal(self) -> bool:
        return bool(self.name and self.address)


def representative(case: Case) -> Representative | None:
    """The case's representative, with any postal address read out of the one free-text contact field.

    The contact is one line typed by the officer ("Citizens Advice, 3 Castle Street, Ludlow, SY8 1AS;
    jo@ca.example" or only "07700 900123"): its parts that are neither an email address nor a telephone
    number are a postal address only when they look like one (a postcode, or a numbered street line among
    two or more lines), so a letter is never posted to "her daughter"."""
    name = " ".join((case.representative_name or "").split())
    if not name:
        return None
    contact = case.representative_contact or ""
    parts = [p.strip().rstrip(",").strip() for p in re.split(r"[\n;,]", contact)]
    address, other = [], []
    for part in (p for p in parts if p):
        (other if _EMAIL.search(part) or _PHONE.match(part) else address).append(part)
    looks_postal = any(_POSTCODE.search(p) for p in address) or (
        len(address) >= 2 and any(re.match(r"^(flat |unit )?\d", p, re.IGNORECASE) for p in address))
    return Representative(name, address if looks_postal else [], other)


def letter_content(service: CaseService, reference: str, kind_name: str, *, on: dt.date | None = None,
                   large_print: bool | None = None, stage: int | None = None) -> LetterContent:
    """Gather and check a letter's content; a HoscaseError lists whatever the Code requires and the record lacks.

    Large print is on when asked for or when the case records it as a reasonable adjustment;
    ``stage`` picks the stage of an extension letter (default: the latest stage with an extension)."""
    kind = letter_kind(kind_name)
    case = service.get(reference)
    if case.status == "refused" and kind.name != "refusal":
        raise HoscaseError(f"{case.reference} was not accepted as a complaint, so it has no "
                           f"{kind.title.lower()} letter: send the refusal letter")
    store = service.store
    organisation = organisation_details(store)
    ombudsman = ombudsman_details(store)
    on = on or service.today
    missing: list[str] = []
    if not organisation["name"]:
        missing.append("your organisation's name (Settings, Organisation)")
    if not organisation["address"]:
        missing.append("your organisation's address (Settings, Organisation)")

    values: dict[str, Any] = {
        "reference": case.reference,
        "letter_date": long_date(on),
        "resident_name": case.resident_name,
        "recipient_name": case.resident_name,
        "representative_name": "",
        "to_representative": "",
        "address": ", ".join(address_lines(case.address)),
        "category": case.category,
        "received": long_date(case.received),
        "organisation_name": organisation["name"],
        "organisation_address": ", ".join(address_lines(organisation["address"])),
        "organisation_phone": organisation["phone"],
        "organisation_email": organisation["email"],
        "organisation_website": organisation["website"],
        "ombudsman": ombudsman,
        "ombudsman_name": ombudsman["name"],
        "ombudsman_address": ", ".join(address_lines(ombudsman["address"])),
        "ombudsman_phone": ombudsman["phone"],
        "ombudsman_website": ombudsman["website"],
        "ombudsman_form": ombudsman["complaint_form"],
    }
    title = kind.title.lower()
    view = _stage_for(case, kind.name, stage, missing)
    if view is not None:
        values.update(_stage_values(case, view))
        if kind.name.endswith("acknowledgement") and not values["outcome_sought"]:
            missing.append("the outcome the resident is seeking (Code 5.6)")
        if kind.name.endswith("response"):
            _response_values(case, view, values, missing)
        if kind.name == "extension":
            _extension_values(service, case, view, values, missing)
        if kind.name == "stage2-acknowledgement" or kind.name == "stage2-response":
            values["stage1_responded"] = long_date(case.stages[1].responded)
    if kind.name == "refusal":
        _refusal_values(case, values, missing)
        values["definition"] = case.stages[1].definition or case.definition
        values["outcome_sought"] = case.outcome_sought

    handler = (view.handler if view is not None else case.stages[1].handler) or organisation["signatory"]
    if not handler:
        missing.append("the name of the person handling the complaint (record the handler, or a signatory in Settings)")
    values["handler_name"] = handler
    values["handler_role"] = _role(store, handler, organisation)

    if missing:
        raise HoscaseError(f"cannot produce the {title} letter for {case.reference} yet: it needs "
                           + "; ".join(dict.fromkeys(missing)))
    if set(values) != set(kind.placeholders):  # a programming slip, caught by the tests
        raise AssertionError(sorted(set(values) ^ set(kind.placeholders)))
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = clean_text(value)
    block = [clean_text(case.resident_name)] + [clean_text(line) for line in address_lines(case.address)]
    on_behalf_of = ""
    copy_to: list[str] = []
    rep = representative(case)
    if rep is not None:
        values["representative_name"] = clean_text(rep.name)
        if rep.postal:  # Code 5.6: the letter goes to the person acting for the resident, naming the resident
            values["recipient_name"] = clean_text(rep.name)
            values["to_representative"] = "yes"
            resident_block = block
            block = [clean_text(rep.name)] + [clean_text(line) for line in rep.address]
            on_behalf_of = values["resident_name"]
            # The mirror of the line below: the resident is copied in at their own address.
            copy_to.append(", ".join(line for line in resident_block if line))
        else:  # no address to post to: the resident gets the letter, the representative a copy
            how = f" ({', '.join(rep.other)})" if rep.other else ""
            copy_to.append(clean_text(f"{rep.name}, your representative{how}"))
    return LetterContent(kind, case, values, organisation, ombudsman, block,
                         bool(large_print) or bool(case.large_print), on, on_behalf_of, copy_to)


def _stage_for(case: Case, kind: str, stage: int | None, missing: list[str]) -> StageView | None:
    if kind == "refusal":
        return None
    if kind == "extension":
        number = stage or max((s for s in case.stages if case.stages[s].extensions), default=case.current_stage.stage)
    else:
        number = int(kind[5])  # "stage1-…" or "stage2-…"
    view = case.stages.get(number)
    if view is None:
        missing.append("a stage 2 escalation: the complaint has not been escalated to stage 2" if number == 2
                       else f"stage {number} of the complaint")
    return view


def _stage_values(case: Case, view: StageView) -> dict[str, Any]:
    return {
        "stage": str(view.stage),
        "stage_received": long_date(view.received),
        "definition": view.definition or case.definition,
        "outcome_sought": case.outcome_sought,
        "not_responsible": case.not_responsible,
        "acknowledged": long_date(view.acknowledged),
        "respond_due": long_date(view.respond_due, weekday=True),
    }


def _response_values(case: Case, view: StageView, values: dict, missing: list[str]) -> None:
    code = "6.9" if view.stage == 1 else "6.19"
    if not view.responded:
        missing.append(f"the stage {view.stage} response recorded, with the decision on the complaint "
                       f"(Code {code} c) and the reasons for the decision (Code {code} d)")
    else:
        if not view.decision:
            missing.append(f"the decision on the complaint at stage {view.stage} (Code {code} c)")
        if not (view.reasons or "").strip():
            missing.append(f"the reasons for the decision at stage {view.stage} (Code {code} d)")
    values["decision"] = DECISIONS.get(view.decision or "", view.decision or "").lower()
    values["reasons"] = view.reasons or ""
    values["responded"] = long_date(view.responded)
    values["remedies"] = [
        {"what": (r["description"] or REMEDY_KINDS.get(r["kind"], r["kind"])),
         "kind": REMEDY_KINDS.get(r["kind"], r["kind"]),
         "amount": money(r["amount_pence"]),
         "due": f"done {long_date(r['done'])}" if r.get("done") else long_date(r["due"])}
        for r in case.remedies if r["stage"] == view.stage
    ]
    values["actions"] = [
        {"what": a["description"], "who": a["owner"], "due": long_date(a["due"])}
        for a in case.actions if a["stage"] == view.stage and not a.get("done")
    ]


def _extension_values(service: CaseService, case: Case, view: StageView, values: dict, missing: list[str]) -> None:
    if not view.extensions:
        missing.append(f"an extension agreed at stage {view.stage}: none is recorded")
        values.update(extension_days="", extension_reason="", update_interval=view.update_interval, previous_due="")
        return
    latest = view.extensions[-1]
    if not (latest["reason"] or "").strip():
        missing.append("the reason for the extension")
    if not (view.update_interval or "").strip():
        missing.append("the interval for updates agreed with the resident (Code 5.9)")
    before = stage_deadlines(service.calendar, view.stage, view.received, view.acknowledged,
                             view.extension_working_days - latest["working_days"])
    values.update(extension_days=str(latest["working_days"]), extension_reason=latest["reason"] or "",
                  update_interval=view.update_interval or "",
                  previous_due=long_date(before.respond_due, weekday=True))


def _refusal_values(case: Case, values: dict, missing: list[str]) -> None:
    if case.status != "refused" or not case.refusal_reason:
        missing.append("a decision not to accept the complaint: it has not been refused")
    if not (case.refusal_explanation or "").strip():
        missing.append("the explanation of why it is not being taken through the process (Code 2.4)")
    values["refusal_reason"] = REFUSAL_REASONS.get(case.refusal_reason or "", case.refusal_reason or "")
    values["refusal_explanation"] = case.refusal_explanation or ""
    values["refused_on"] = long_date(case.refused_on)


def _role(store: Any, handler: str, organisation: dict[str, str]) -> str:
    for row in store.handlers(active_only=False):
        if row["name"].casefold() == handler.casefold():
            return row["role"] or ""
    if organisation["signatory"] and handler.casefold() == organisation["signatory"].casefold():
        return organisation["signatory_role"]
    return "Complaints officer"
