"""Evidence drawn from the records for the self-assessment: what this year's cases say about the provisions on
timescales (6.2, 6.3, 6.4, 6.11, 6.14, 6.15), the stage 2 handler (6.13), exclusions (section 2) and remedies
(section 7), so the officer does not claim a compliance the records contradict.

The counts are the annual report's (hoscase.figures), so the two published documents agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hoscase.figures import financial_year, stage_figures, year_label, year_start_month
from hoscase.rules import REFUSAL_REASONS, REMEDY_KINDS, TIMESCALES

# A claim of "Yes" (or a green rating) is questioned when the records show fewer than this share on time.
CLAIM_THRESHOLD_PCT = 90.0

REFUSAL_LABELS = {
    "over-12-months": "issue over 12 months old",
    "legal-proceedings": "legal proceedings started",
    "previously-considered": "previously considered",
    "other": "other reason in the policy",
}
REMEDY_LABELS = {
    "apology": "apology",
    "acknowledge": "acknowledging what went wrong",
    "explanation": "explanation or assistance",
    "action": "action taken",
    "reconsider": "decision reconsidered",
    "amend-record": "record amended",
    "compensation": "financial remedy",
    "policy-change": "policy or practice changed",
}


@dataclass
class Measure:
    """One count the records give, such as stage 1 acknowledged in time: ``within`` of ``of``."""

    what: str
    within: int
    of: int

    @property
    def pct(self) -> float | None:
        return 100.0 * self.within / self.of if self.of else None

    def text(self) -> str:
        if not self.of:
            return f"{self.what}: none this year"
        return f"{self.what}: {self.within} of {self.of} ({format_pct(self.pct)})"


@dataclass
class ProvisionEvidence:
    """What the records say about one provision; ``violations`` are cases that break it outright."""

    provision: str
    lines: list[str] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    violation_what: str = ""

    def text(self) -> str:
        return "\n".join(self.lines)

    def contradiction(self, comply: str | None, rag: str | None) -> str | None:
        """A warning when a 'Yes' or green claim is not borne out by the records, else None."""
        claims = comply == "Yes" or rag == "green"
        if not claims:
            return None
        claim = " and ".join(x for x in (f"comply '{comply}'" if comply == "Yes" else "",
                                         "a green rating" if rag == "green" else "") if x)
        problems = []
        for m in self.measures:
            if m.pct is not None and m.pct < CLAIM_THRESHOLD_PCT:
                problems.append(f"{m.what.lower()} in only {format_pct(m.pct)} ({m.within} of {m.of})")
        if self.violations:
            refs = ", ".join(self.violations[:5]) + (" …" if len(self.violations) > 5 else "")
            problems.append(f"{len(self.violations)} {self.violation_what} ({refs})")
        if not problems:
            return None
        return f"The records contradict {claim}: " + "; ".join(problems) + "."


def format_pct(value: float | None) -> str:
    if value is None:
        return "–"
    shown = round(value)
    if shown == 100 and value < 100:
        shown = 99  # never round a shortfall up to full compliance
    elif shown == 0 and value > 0:
        shown = 1
    return f"{shown}%"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: dt.date) -> str:
    """1 Apr 2026: the app's own date style (as ``hoscase.gui.format.uk_date``), without importing Qt."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _money(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


def handler_figures(service: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Stage 2 requests of the period and whether someone other than the stage 1 handler took them (6.13)."""
    s, e = start.isoformat(), end.isoformat()
    differs, same, unknown = [], [], []
    for row in service.store.year_stage_rows(s, e):
        if row["stage"] != 2 or not (s <= row["received"] <= e) or row["refused_on"]:
            continue
        first, second = (row["stage1_handler"] or "").strip(), (row["handler"] or "").strip()
        if not first or not second:
            unknown.append(row["reference"])
        elif first.casefold() == second.casefold():
            same.append(row["reference"])
        else:
            differs.append(row["reference"])
    return {"stage2": len(differs) + len(same) + len(unknown), "differs": len(differs), "same": same,
            "unknown": unknown}


def record_evidence(service: Any, year: int, provisions: list[Any] | None = None) -> dict[str, ProvisionEvidence]:
    """Evidence from the financial year's cases, keyed by provision number.

    ``provisions`` (Provision objects of the edition) map section 2 and section 7 evidence onto each of their
    provisions; without it only the numbered timescale and handler provisions are filled.
    """
    month = year_start_month(service.store)
    start, end = financial_year(year, month)
    figures = stage_figures(service, start, end)
    handlers = handler_figures(service, start, end)
    period = f"Records for {year_label(year, month)} ({short_date(start)} to {short_date(end)})"
    out: dict[str, ProvisionEvidence] = {}

    for number, ack_provision, respond_provision, extend_provision in ((1, "6.2", "6.3", "6.4"),
                                                                        (2, "6.11", "6.14", "6.15")):
        f = figures[f"stage{number}"]
        scale = TIMESCALES[number]
        ack = Measure(f"Stage {number} acknowledged within {scale.acknowledge} working days",
                      f["acknowledged_within_5"], f["acknowledgements_owed"])
        lines = [ack.text()]
        if f["acknowledgements_missing"]:
            lines.append(f"{f['acknowledgements_missing']} not yet acknowledged")
        waiting = f["received"] - f["acknowledgements_owed"]
        if waiting:
            lines.append(f"{waiting} not counted: not yet due, or withdrawn before the acknowledgement was due")
        out[ack_provision] = ProvisionEvidence(ack_provision, lines, [ack])

        respond = Measure(f"Stage {number} responded to within {scale.respond} working days of acknowledgement "
                          "(with agreed extensions)", f["responded_within_timescale"], f["responded"])
        out[respond_provision] = ProvisionEvidence(respond_provision, [respond.text()], [respond])

        ext_lines = [f"Stage {number} responses with an extension: {f['extensions_used']} of {f['responded']}"]
        if f["extensions_beyond_limit"]:
            ext_lines.append(f"{f['extensions_beyond_limit']} extended beyond {scale.extension} working days")
        out[extend_provision] = ProvisionEvidence(extend_provision, ext_lines)

    handler = Measure("Stage 2 handled by someone other than the stage 1 handler", handlers["differs"],
                      handlers["stage2"])
    lines = [handler.text()]
    if handlers["same"]:
        lines.append(f"Same handler at both stages: {', '.join(handlers['same'])}")
    if handlers["unknown"]:
        lines.append(f"No handler recorded at one stage: {', '.join(handlers['unknown'])}")
    out["6.13"] = ProvisionEvidence("6.13", lines, [], list(handlers["same"]),
                                    "stage 2 complaints handled by the stage 1 handler")

    received = figures["stage1"]["received"]
    refused = figures["refused"]
    considered = received + refused
    refusal_lines = [f"Complaints not accepted: {refused} of {considered} made"
                     + (f" ({format_pct(100.0 * refused / considered)})" if considered else "")]
    reasons = [f"{REFUSAL_LABELS.get(k, REFUSAL_REASONS.get(k, k))} {n}"
               for k, n in figures["refused_by_reason"].items() if n]
    if reasons:
        refusal_lines.append("By reason: " + ", ".join(reasons))

    remedies = figures["remedies"]
    kinds: Counter = Counter({k: n for k, n in remedies["by_kind"].items() if n})
    remedy_lines = [f"Remedies offered in responses: {remedies['total']}"]
    if kinds:
        parts = []
        for key in REMEDY_KINDS:
            if kinds.get(key):
                label = REMEDY_LABELS.get(key, key)
                if key == "compensation":
                    parts.append(f"{label} {kinds[key]} (total {_money(remedies['compensation_pence'])})")
                else:
                    parts.append(f"{label} {kinds[key]}")
        remedy_lines.append("By kind: " + ", ".join(parts))
    upheld = figures["stage1"]["outcomes"]
    decided = sum(upheld.values()) + sum(figures["stage2"]["outcomes"].values())
    if decided:
        found = upheld.get("upheld", 0) + upheld.get("partly-upheld", 0) + figures["stage2"]["outcomes"].get(
            "upheld", 0) + figures["stage2"]["outcomes"].get("partly-upheld", 0)
        remedy_lines.append(f"Responses upheld in whole or part: {found} of {decided}")

    for provision in provisions or []:
        number = str(provision.number)
        if str(provision.section) == "2" or number.startswith("2."):
            out[number] = ProvisionEvidence(number, list(refusal_lines))
        elif str(provision.section) == "7" or number.startswith("7."):
            out[number] = ProvisionEvidence(number, list(remedy_lines))
    for item in out.values():
        item.lines.insert(0, period)
    return out
