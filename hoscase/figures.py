"""Complaint figures for a period: the numbers behind the annual report (Code 8.1), the governing body's
updates (9.7), the self-assessment, and the tenant satisfaction measures CH01 and CH02.

Counting rules, so that the figures match the Regulator's TSM definitions and can be checked by hand:

- A stage is *received* in the period when stage 1 was received (or stage 2 requested) in it. A refused
  complaint (Code section 2) is not a received complaint, whenever it was refused.
- A stage is *responded* in the period when its response is dated in it, whenever it was received; so a
  complaint received in March and answered in April counts as received in one year and responded in the next.
- *Responded within timescale*: the response date is on or before the due date counted from the actual
  acknowledgement (from the acknowledgement due date if none was recorded), including every recorded
  extension (hoscase.rules.stage_deadlines). The CH02 percentage is that over the responses in the period.
- *Per 1,000 homes* (CH01): stage received / homes x 1,000, to one decimal place.
- *Working days to respond*: from receipt (or the escalation request) to the response.
- Remedies and actions count when the stage they belong to was responded to in the period.

Everything is fetched in one query per table and computed here, so a year of 50,000 cases takes well under a
second.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from hoscase.rules import DECISIONS, REFUSAL_REASONS, REMEDY_KINDS, TIMESCALES, stage_deadlines
from hoscase.years import (  # noqa: F401 - the periods, re-exported: reports have always taken them from here
    DEFAULT_START_MONTH,
    financial_year,
    quarter_period,
    year_label,
    year_of,
    year_start_month,
)

FINDINGS_ADVERSE = ("service failure", "maladministration", "severe maladministration")


def homes_setting(store: Any) -> int | None:
    """The number of homes from the organisation settings, or None when not recorded."""
    org = store.get_setting("organisation") or {}
    try:
        homes = int(org.get("homes") or 0) if isinstance(org, dict) else 0
    except (TypeError, ValueError):
        return None
    return homes or None


def pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def months_between(start: dt.date, end: dt.date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class _Tally:
    """Running counts for one stage."""

    def __init__(self) -> None:
        self.received = self.responded = self.within = self.acknowledged = self.ack_within = self.ack_owed = 0
        self.ack_missing = 0
        self.ext_used = self.ext_beyond = self.days_total = 0
        self.outcomes: Counter = Counter()
        self.by_category: Counter = Counter()
        self.by_channel: Counter = Counter()
        self.month_received: Counter = Counter()
        self.month_responded: Counter = Counter()
        self.month_within: Counter = Counter()


def stage_figures(service: Any, start: dt.date, end: dt.date, homes: int | None = None) -> dict[str, Any]:
    """Every figure of the period ``start`` to ``end`` (inclusive), stage 1 and stage 2 separately.

    ``service`` is a CaseService (for its store, working calendar and today). ``homes`` overrides the
    organisation setting for CH01.
    """
    store = service.store
    calendar = service.calendar
    today = service.today
    if homes is None:
        homes = homes_setting(store)
    s, e = start.isoformat(), end.isoformat()
    today_iso = today.isoformat()
    cases = {row["id"]: row for row in store.report_case_rows(s, e)}
    stage_rows = store.report_stage_rows(s, e)
    extensions = {(r["case_id"], r["stage"]): r["working_days"] for r in store.report_extension_rows(s, e)}
    months = months_between(start, end)
    out: dict[str, Any] = {"period": {"start": s, "end": e}, "homes": homes}

    # Many complaints share dates, so each due date and working-day count is worked out once.
    deadlines: dict[tuple, tuple[str, str]] = {}
    spans: dict[tuple, int] = {}
    tally = {n: _Tally() for n in (1, 2)}
    last_stage: dict[int, int] = {}
    for case_id, number, received, acknowledged, responded, decision, category, channel, refused_on in stage_rows:
        if last_stage.get(case_id, 0) < number:
            last_stage[case_id] = number
        if refused_on:
            continue  # a refused complaint is not a received complaint
        t = tally[number]
        ext_days = extensions.get((case_id, number), 0)
        key = (number, received, acknowledged, ext_days)
        due = deadlines.get(key)
        if due is None:
            d = stage_deadlines(calendar, number, _day(received), _day(acknowledged), ext_days)
            due = deadlines[key] = (d.acknowledge_due.isoformat(), d.respond_due.isoformat())
        if s <= received <= e:
            t.received += 1
            t.by_category[category or "(none)"] += 1
            t.by_channel[channel or "(none)"] += 1
            t.month_received[received[:7]] += 1
            # Acknowledgements owed: done, or past their due date today. One not yet due, or not owed because
            # the complaint was withdrawn first or answered in full within the 5 days, is neither late nor on time.
            if acknowledged:
                t.acknowledged += 1
                t.ack_owed += 1
                if acknowledged <= due[0]:
                    t.ack_within += 1
            elif responded and responded <= due[0]:
                t.ack_owed += 1
                t.ack_within += 1
            elif due[0] < today_iso:
                withdrawn_on = (cases.get(case_id) or {}).get("withdrawn_on")
                if not (withdrawn_on and withdrawn_on <= due[0]):
                    t.ack_owed += 1
                    t.ack_missing += 1
        if responded and s <= responded <= e:
            t.responded += 1
            month = responded[:7]
            t.month_responded[month] += 1
            if responded <= due[1]:
                t.within += 1
                t.month_within[month] += 1
            span = spans.get((received, responded))
            if span is None:
                span = spans[(received, responded)] = calendar.between(_day(received), _day(responded))
            t.days_total += span
            if decision:
                t.outcomes[decision] += 1
            if ext_days:
                t.ext_used += 1
                if ext_days > TIMESCALES[number].extension:
                    t.ext_beyond += 1

    for number in (1, 2):
        t = tally[number]
        withdrawn = sum(
            1 for c in cases.values()
            if c["withdrawn_on"] and s <= c["withdrawn_on"] <= e and last_stage.get(c["id"], 1) == number
        )
        out[f"stage{number}"] = {
            "received": t.received,
            "responded": t.responded,
            "responded_within_timescale": t.within,
            "within_timescale_pct": pct(t.within, t.responded),
            "per_1000_homes": round(t.received * 1000.0 / homes, 1) if homes else None,
            "acknowledged": t.acknowledged,
            "acknowledged_within_5": t.ack_within,
            "acknowledgements_owed": t.ack_owed,
            "acknowledgements_missing": t.ack_missing,
            "acknowledged_within_5_pct": pct(t.ack_within, t.ack_owed),
            "average_working_days_to_respond": round(t.days_total / t.responded, 1) if t.responded else None,
            "extensions_used": t.ext_used,
            "extensions_beyond_limit": t.ext_beyond,
            "withdrawn": withdrawn,
            "outcomes": {key: t.outcomes.get(key, 0) for key in DECISIONS},
            "by_category": dict(sorted(t.by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_channel": dict(sorted(t.by_channel.items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_month": {m: {"received": t.month_received.get(m, 0), "responded": t.month_responded.get(m, 0),
                             "responded_within_timescale": t.month_within.get(m, 0)} for m in months},
        }
    out["escalation_pct"] = pct(out["stage2"]["received"], out["stage1"]["responded"])

    refused = [c for c in cases.values() if c["refused_on"] and s <= c["refused_on"] <= e]
    out["refused"] = len(refused)
    by_reason = Counter(c["refusal_reason"] or "other" for c in refused)
    out["refused_by_reason"] = {key: by_reason.get(key, 0) for key in REFUSAL_REASONS}
    out["refused_by_category"] = dict(sorted(Counter(c["category"] or "(none)" for c in refused).items(),
                                             key=lambda kv: (-kv[1], kv[0])))

    remedy_kinds: Counter = Counter()
    compensation = 0
    for r in store.report_remedy_rows(s, e):
        remedy_kinds[r["kind"]] += 1
        if r["kind"] == "compensation" and r["amount_pence"]:
            compensation += r["amount_pence"]
    out["remedies"] = {
        "by_kind": {key: remedy_kinds.get(key, 0) for key in REMEDY_KINDS},
        "total": sum(remedy_kinds.values()),
        "compensation_pence": compensation,
    }
    actions = store.report_action_rows(s, e)
    today_iso = today.isoformat()
    out["actions"] = {
        "promised": len(actions),
        "done": sum(1 for a in actions if a["done"]),
        "open": sum(1 for a in actions if not a["done"]),
        "open_overdue": sum(1 for a in actions if not a["done"] and a["due"] < today_iso),
    }
    out["ombudsman"] = _ombudsman(cases.values(), s, e, today_iso)
    learning = [
        {"reference": c["reference"], "category": c["category"], "learning": c["learning"].strip()}
        for c in cases.values() if (c["learning"] or "").strip()
    ]
    learning.sort(key=lambda item: item["reference"])
    out["learning"] = learning
    return out


def _ombudsman(cases: Any, s: str, e: str, today_iso: str) -> dict[str, Any]:
    """Cases referred to the Ombudsman, its findings, and its orders and whether they were met on time."""
    involved = []
    for c in cases:
        determined_on = c.get("ombudsman_determined_on")
        dates = (c["ombudsman_referred_on"], determined_on, c["ombudsman_orders_due"],
                 c["ombudsman_orders_complied_on"])
        if not any(d and s <= d <= e for d in dates):
            continue
        due, complied = c["ombudsman_orders_due"], c["ombudsman_orders_complied_on"]
        has_orders = bool((c["ombudsman_orders"] or "").strip() or due)
        if not has_orders:
            compliance = ""
        elif complied:
            compliance = "complied on time" if not due or complied <= due else "complied late"
        elif due and due < today_iso:
            compliance = "overdue"
        else:
            compliance = "not yet due"
        involved.append({
            "reference": c["reference"], "category": c["category"],
            "referred_on": c["ombudsman_referred_on"], "determined_on": determined_on,
            "finding": c["ombudsman_finding"] or "",
            # A determination counts in the period it was made; with no date recorded, in the period the case
            # is reported in (as before the date was kept).
            "determined_in_period": bool(c["ombudsman_finding"]) and (
                s <= determined_on <= e if determined_on else True),
            "orders": (c["ombudsman_orders"] or "").strip(), "orders_due": due, "orders_complied_on": complied,
            "compliance": compliance,
        })
    involved.sort(key=lambda item: (item["referred_on"] or "", item["reference"]))
    findings = Counter(i["finding"] for i in involved if i["determined_in_period"])
    compliance = Counter(i["compliance"] for i in involved if i["compliance"])
    return {
        "referred": sum(1 for i in involved if i["referred_on"] and s <= i["referred_on"] <= e),
        "determined": sum(findings.values()),
        "findings": dict(sorted(findings.items())),
        "adverse_findings": sum(findings.get(f, 0) for f in FINDINGS_ADVERSE),
        "with_orders": sum(1 for i in involved if i["compliance"]),
        "orders_complied_on_time": compliance.get("complied on time", 0),
        "orders_complied_late": compliance.get("complied late", 0),
        "orders_overdue": compliance.get("overdue", 0),
        "orders_not_yet_due": compliance.get("not yet due", 0),
        "cases": involved,
    }


def annual_figures(service: Any, year: int, homes: int | None = None) -> dict[str, Any]:
    """The financial year starting in ``year`` (in the organisation's start month), with the previous year's
    figures alongside for comparison."""
    month = year_start_month(service.store)
    start, end = financial_year(year, month)
    current = stage_figures(service, start, end, homes)
    current["year"] = int(year)
    current["year_label"] = year_label(year, month)
    p_start, p_end = financial_year(int(year) - 1, month)
    previous = stage_figures(service, p_start, p_end, homes)
    current["previous"] = {
        "year_label": year_label(int(year) - 1, month),
        "stage1": _headline(previous["stage1"]),
        "stage2": _headline(previous["stage2"]),
        "refused": previous["refused"],
        "remedies_total": previous["remedies"]["total"],
        "compensation_pence": previous["remedies"]["compensation_pence"],
        "ombudsman_referred": previous["ombudsman"]["referred"],
        "adverse_findings": previous["ombudsman"]["adverse_findings"],
    }
    return current


HEADLINE_KEYS = ("received", "responded", "responded_within_timescale", "within_timescale_pct", "per_1000_homes",
                 "acknowledged_within_5_pct", "average_working_days_to_respond", "extensions_used")


def _headline(stage: dict) -> dict:
    return {key: stage[key] for key in HEADLINE_KEYS}


def headline_json(figures: dict) -> dict[str, Any]:
    """The short form the CLI's --json prints: CH01 and CH02 per stage and the refusals."""
    return {
        "period": figures["period"],
        "homes": figures["homes"],
        "stage1": _headline(figures["stage1"]),
        "stage2": _headline(figures["stage2"]),
        "refused": figures["refused"],
    }
