"""The organisation's financial year: the one place that knows when it starts.

The officer says in the first-run setup or Settings which month the year starts in (``organisation``
setting ``financial_year_start_month``, 1 to 12, default 4: a housing association's April to March; an almshouse
charity often runs January to December). Year ``Y`` is the twelve months from the 1st of that month in ``Y``;
its quarters are its four three-month blocks; it ends the day before the next year starts. Every report, year
list and filter takes its periods from here, so they all agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_START_MONTH = 4
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def year_start_month(store: Any) -> int:
    """The month (1 to 12) the organisation's financial year starts in, from its settings (default April).

    A database written before the start month was kept may hold a year end as ``year_end`` "MM-DD" instead;
    a month-end year end there means the year starts the month after.
    """
    org = store.get_setting("organisation") or {}
    if not isinstance(org, dict):
        return DEFAULT_START_MONTH
    month = org.get("financial_year_start_month")
    if month is None:
        return _legacy_start_month(org.get("year_end"))
    try:
        month = int(month)
    except (TypeError, ValueError):
        return DEFAULT_START_MONTH
    return month if 1 <= month <= 12 else DEFAULT_START_MONTH


def _legacy_start_month(text: Any) -> int:
    try:
        month, day = (int(part) for part in str(text or "").split("-"))
        end = dt.date(2001, month, day)  # a real day of a non-leap year
    except ValueError:
        return DEFAULT_START_MONTH
    if (end + dt.timedelta(days=1)).day != 1:
        return DEFAULT_START_MONTH  # not a month end: no whole-month year to map it onto
    return month % 12 + 1


def _month(start_month: int) -> int:
    month = int(start_month)
    if not 1 <= month <= 12:
        from hoscase.errors import HoscaseError

        raise HoscaseError(f"the financial year start month must be 1 to 12, not {start_month!r}")
    return month


def _month_start(year: int, month_index: int) -> dt.date:
    """The 1st of month ``month_index`` counted from January of ``year`` (13 is January of the year after)."""
    return dt.date(year + (month_index - 1) // 12, (month_index - 1) % 12 + 1, 1)


def financial_year(year: int, start_month: int = DEFAULT_START_MONTH) -> tuple[dt.date, dt.date]:
    """The first and last day of the financial year that starts in ``year``."""
    month = _month(start_month)
    start = dt.date(int(year), month, 1)
    return start, _month_start(int(year), month + 12) - dt.timedelta(days=1)


def year_end(year: int, start_month: int = DEFAULT_START_MONTH) -> dt.date:
    return financial_year(year, start_month)[1]


def year_label(year: int, start_month: int = DEFAULT_START_MONTH) -> str:
    """"2026" for a calendar year, "2025/26" for one that straddles two."""
    if _month(start_month) == 1:
        return f"{int(year)}"
    return f"{int(year)}/{(int(year) + 1) % 100:02d}"


def year_of(day: dt.date, start_month: int = DEFAULT_START_MONTH) -> int:
    """The financial year (by the calendar year it starts in) that ``day`` falls in."""
    return day.year if day.month >= _month(start_month) else day.year - 1


def quarter_period(year: int, quarter: int, start_month: int = DEFAULT_START_MONTH) -> tuple[dt.date, dt.date]:
    """Quarter 1 to 4 of the financial year starting in ``year`` (Q1 is its first three months)."""
    if quarter not in (1, 2, 3, 4):
        from hoscase.errors import HoscaseError

        raise HoscaseError(f"quarter must be 1 to 4, not {quarter!r}")
    first = _month(start_month) + 3 * (quarter - 1)
    start = _month_start(int(year), first)
    return start, _month_start(int(year), first + 3) - dt.timedelta(days=1)


def quarter_months(quarter: int, start_month: int = DEFAULT_START_MONTH) -> str:
    """"April to June" for quarter 1 of an April year."""
    first = (_month(start_month) - 1 + 3 * (int(quarter) - 1)) % 12
    return f"{MONTHS[first]} to {MONTHS[(first + 2) % 12]}"


def months_text(start_month: int = DEFAULT_START_MONTH) -> str:
    """"1 April to 31 March": the span of any year, for tooltips and help."""
    start, end = financial_year(2001, start_month)  # a non-leap year
    return f"1 {MONTHS[start.month - 1]} to {end.day} {MONTHS[end.month - 1]}"


def period_text(start: dt.date, end: dt.date) -> str:
    """"1 April 2025 to 31 March 2026", in English whatever the locale."""
    return (f"{start.day} {MONTHS[start.month - 1]} {start.year} to "
            f"{end.day} {MONTHS[end.month - 1]} {end.year}")


def file_label(year: int, start_month: int = DEFAULT_START_MONTH) -> str:
    """The year as it goes into a file name: "2025-26", or "2026" for a calendar year."""
    return year_label(year, start_month).replace("/", "-")
