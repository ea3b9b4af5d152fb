"""When the annual report and self-assessment are due at the Housing Ombudsman, for the work list.

Landlords with fewer than 1,000 homes submit within six months of the end of their financial year; those with
1,000 or more by 30 September. The year ends the day before the organisation's next year starts (its start
month from the settings, hoscase.years: 31 March by default, 31 December for a charity with a calendar year).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from hoscase.figures import homes_setting
from hoscase.years import financial_year, year_label, year_of, year_start_month

LARGE_LANDLORD_HOMES = 1000


def _plus_six_months(day: dt.date) -> dt.date:
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = calendar.monthrange(year, month)[1]
    # A month-end year end gives a month-end deadline (31 March -> 30 September).
    end_of_month = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if end_of_month else min(day.day, last))


def _due_for(year_end: dt.date, large: bool) -> dt.date:
    if large:
        due = dt.date(year_end.year, 9, 30)
        return due if due >= year_end else dt.date(year_end.year + 1, 9, 30)
    return _plus_six_months(year_end)


def submission_due(store: Any, today: dt.date) -> tuple[dt.date, str]:
    """The next submission deadline on or after ``today`` and a sentence for the work list."""
    homes = homes_setting(store)
    large = bool(homes and homes >= LARGE_LANDLORD_HOMES)
    month = year_start_month(store)
    year = year_of(today, month) - 1  # the latest year that has ended (it ends before today)
    due = _due_for(financial_year(year, month)[1], large)
    if due < today:
        year += 1
        due = _due_for(financial_year(year, month)[1], large)
    label = year_label(year, month)
    days = (due - today).days
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    if large:
        rule = f"{homes:,} homes: due by 30 September"
    elif homes:
        rule = f"{homes:,} homes: due within six months of the year end"
    else:
        rule = "due within six months of the year end (by 30 September for 1,000 homes or more); record the number "
        rule += "of homes in Settings"
    text = (f"Submit the annual complaints performance and service improvement report and self-assessment for "
            f"{label} to the Housing Ombudsman by {due.day} {due:%B %Y} ({when}; {rule}).")
    return due, text
