"""The Code's timescales and the deadlines derived from a case's recorded events.

Nothing here is stored: every due date is worked out again from the dates the
officer recorded, so a change of closure days moves every open deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hoscase.workdays import WorkingCalendar


@dataclass(frozen=True)
class StageTimescale:
    stage: int
    acknowledge: int  # working days from receipt of the complaint or the escalation request
    respond: int  # working days from acknowledgement
    extension: int  # longest extension without a recorded good reason
    provision: str


STAGE_1 = StageTimescale(stage=1, acknowledge=5, respond=10, extension=10, provision="6.4")
STAGE_2 = StageTimescale(stage=2, acknowledge=5, respond=20, extension=20, provision="6.15")
TIMESCALES = {1: STAGE_1, 2: STAGE_2}

# Code 2.3: a complaint about an issue that occurred over 12 months ago may be excluded.
EXCLUSION_MONTHS = 12

REFUSAL_REASONS = {
    "over-12-months": "The issue giving rise to the complaint occurred over twelve months ago",
    "legal-proceedings": "Legal proceedings have been started",
    "previously-considered": "The matter has previously been considered under the complaints policy",
    "other": "Another reason set out in the complaints policy",
}

DECISIONS = {"upheld": "Upheld", "partly-upheld": "Partly upheld", "not-upheld": "Not upheld"}

# Code 7.1: the ways a landlord can put things right.
REMEDY_KINDS = {
    "apology": "Apologising",
    "acknowledge": "Acknowledging where things have gone wrong",
    "explanation": "Providing an explanation, assistance or reasons",
    "action": "Taking action if there has been delay",
    "reconsider": "Reconsidering or changing a decision",
    "amend-record": "Amending a record or adding a correction or addendum",
    "compensation": "Providing a financial remedy",
    "policy-change": "Changing policies, procedures or practices",
}


@dataclass(frozen=True)
class StageDeadlines:
    acknowledge_due: dt.date
    respond_due: dt.date
    extension_working_days: int


def stage_deadlines(
    calendar: WorkingCalendar,
    stage: int,
    received: dt.date,
    acknowledged: dt.date | None,
    extension_working_days: int,
) -> StageDeadlines:
    """Due dates for one stage: the response counts from the actual acknowledgement,
    or from the acknowledgement due date while none is recorded."""
    (acknowledge_due,), (respond_due,) = deadline_ordinals(
        calendar, [stage], [received.toordinal()], [acknowledged.toordinal() if acknowledged else None],
        [extension_working_days])
    return StageDeadlines(dt.date.fromordinal(acknowledge_due), dt.date.fromordinal(respond_due),
                          extension_working_days)


def deadline_ordinals(
    calendar: WorkingCalendar,
    stages: list[int],
    received: list[int],
    acknowledged: list[int | None],
    extension_working_days: list[int],
) -> tuple[list[int], list[int]]:
    """``stage_deadlines`` for many stages at once, on date ordinals: (acknowledge dues, respond dues).

    The one place the rule is written; lists in, lists out, so every open deadline of a large register
    is worked out in a few milliseconds without making a date object per step."""
    acknowledge_due = calendar.add_ordinals(received, [TIMESCALES[s].acknowledge for s in stages])
    respond_from = [a or due for a, due in zip(acknowledged, acknowledge_due)]
    respond_due = calendar.add_ordinals(
        respond_from, [TIMESCALES[s].respond + e for s, e in zip(stages, extension_working_days)])
    return acknowledge_due, respond_due


def older_than_exclusion_window(issue_date: dt.date, received: dt.date) -> bool:
    """Whether the issue occurred over 12 months before the complaint was received (2.3)."""
    try:
        cutoff = received.replace(year=received.year - 1)
    except ValueError:  # 29 February
        cutoff = received.replace(year=received.year - 1, day=28)
    return issue_date < cutoff
