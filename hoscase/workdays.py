"""Working days: Monday to Friday, not an England and Wales bank holiday, not a closure day.

The Code counts every timescale in working days. Counting is done against a
sorted table of working days so that computing every open deadline of a large
register is a lookup, not a day-by-day walk.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

FIRST_YEAR = 1990
LAST_YEAR = 2080


@lru_cache(maxsize=1)
def bank_holidays() -> dict[dt.date, str]:
    """England and Wales bank holidays, substitute days included, over the years the app handles."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return {day: str(name) for day, name in sorted(found.items())}


def parse_date(text: str, what: str = "date") -> dt.date:
    """An ISO date (YYYY-MM-DD) or a clear error naming what was wrong."""
    from hoscase.errors import HoscaseError

    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise HoscaseError(f"{what} {text!r} is not a real date in the form YYYY-MM-DD") from None


class WorkingCalendar:
    """Which days are working days for one organisation, and counting over them."""

    def __init__(self, closures: Iterable[dt.date] | dict[dt.date, str] = ()) -> None:
        if isinstance(closures, dict):
            self.closures = dict(closures)
        else:
            self.closures = {day: "Office closed" for day in closures}
        holiday_days = bank_holidays()
        start = dt.date(FIRST_YEAR, 1, 1).toordinal()
        end = dt.date(LAST_YEAR, 12, 31).toordinal()
        ordinals = []
        for ordinal in range(start, end + 1):
            day = dt.date.fromordinal(ordinal)
            if day.weekday() < 5 and day not in holiday_days and day not in self.closures:
                ordinals.append(ordinal)
        self._ordinals = ordinals

    def _check_range(self, day: dt.date) -> None:
        from hoscase.errors import HoscaseError

        if not FIRST_YEAR <= day.year <= LAST_YEAR - 1:
            raise HoscaseError(f"{day.isoformat()} is outside the years the app counts ({FIRST_YEAR} to {LAST_YEAR - 1})")

    def is_working_day(self, day: dt.date) -> bool:
        i = bisect.bisect_left(self._ordinals, day.toordinal())
        return i < len(self._ordinals) and self._ordinals[i] == day.toordinal()

    def why_not_working(self, day: dt.date) -> str | None:
        """Name of the bank holiday or closure, 'Weekend', or None for a working day."""
        if day in bank_holidays():
            return bank_holidays()[day]
        if day in self.closures:
            return self.closures[day]
        if day.weekday() >= 5:
            return "Weekend"
        return None

    def add(self, start: dt.date, working_days: int) -> dt.date:
        """The date ``working_days`` working days after ``start``.

        The start day never counts; a start on a non-working day counts from the
        next working day (received on a Saturday, day one is the Monday).
        """
        self._check_range(start)
        if working_days < 0:
            from hoscase.errors import HoscaseError

            raise HoscaseError("a number of working days cannot be negative")
        done = bisect.bisect_right(self._ordinals, start.toordinal())
        if working_days == 0:
            return start if self.is_working_day(start) else dt.date.fromordinal(self._ordinals[done])
        return dt.date.fromordinal(self._ordinals[done + working_days - 1])

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end is earlier)."""
        a = bisect.bisect_right(self._ordinals, start.toordinal())
        b = bisect.bisect_right(self._ordinals, end.toordinal())
        return b - a
