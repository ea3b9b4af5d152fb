"""Working days: Monday to Friday, not an England and Wales bank holiday, not a closure day.

The Code counts every timescale in working days. Counting is done against a
sorted table of working days so that computing every open deadline of a large
register is a lookup, not a day-by-day walk.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path

from hoscase.errors import HoscaseError

FIRST_YEAR = 1990
LAST_YEAR = 2080
_CACHE_NAME = "bank-holidays-england-wales.json"


@lru_cache(maxsize=1)
def bank_holidays() -> dict[dt.date, str]:
    """England and Wales bank holidays, substitute days included, over the years the app handles.

    Worked out by the ``holidays`` package once, then read from the user's cache folder, kept under the
    package's version: importing it (with its 250 countries) costs a quarter of a second at every launch.
    A missing, unreadable or out-of-date copy is worked out again."""
    return load_bank_holidays(_cache_folder())


def load_bank_holidays(folder: Path | None) -> dict[dt.date, str]:
    """``bank_holidays`` from the copy kept in ``folder`` when it is there and current, else worked out and kept."""
    key = _holidays_version()
    path = folder / _CACHE_NAME if folder is not None and key else None
    if path is not None:
        kept = _read_kept(path, key)
        if kept is not None:
            return kept
    found = compute_bank_holidays()
    if path is not None:
        _keep(path, key, found)
    return found


def compute_bank_holidays() -> dict[dt.date, str]:
    """The bank holidays straight from the ``holidays`` package (slow to import: see ``bank_holidays``)."""
    import holidays

    found = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return {day: str(name) for day, name in sorted(found.items())}


def _holidays_version() -> str | None:
    """Which ``holidays`` package is installed, without importing it; None when it cannot be told."""
    try:
        spec = importlib.util.find_spec("holidays")
        folder = Path(spec.origin).parent
        text = (folder / "version.py").read_bytes()
    except (AttributeError, TypeError, ValueError, ImportError, OSError):
        return None
    return hashlib.sha256(b"%s\n%s\n%d-%d" % (str(folder).encode(), text, FIRST_YEAR, LAST_YEAR)).hexdigest()


def _cache_folder() -> Path | None:
    if sys.platform.startswith("linux"):  # platformdirs' rule, without its 7 ms import at every launch
        base = os.environ.get("XDG_CACHE_HOME", "")
        return Path(base if base.strip() else os.path.expanduser("~/.cache")) / "hoscase"
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("hoscase", appauthor=False))
    except Exception:  # noqa: BLE001 - no cache folder: the holidays are worked out each time
        return None


def _read_kept(path: Path, key: str) -> dict[dt.date, str] | None:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["key"] != key:
            return None
        days = {dt.date.fromisoformat(day): str(name) for day, name in kept["days"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    # A copy that could not have come from the package (cut short, edited) is not trusted.
    if len(days) < 8 * (LAST_YEAR - FIRST_YEAR + 1) or min(days).year != FIRST_YEAR or max(days).year != LAST_YEAR:
        return None
    return days


def _keep(path: Path, key: str, days: dict[dt.date, str]) -> None:
    """Write the copy under a temporary name and move it into place, so a reader never sees half a file."""
    text = json.dumps({"key": key, "days": {day.isoformat(): name for day, name in days.items()}}, ensure_ascii=False)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError:  # a read-only or full disk: worked out again next launch
        with contextlib.suppress(OSError):
            partial.unlink()


def parse_date(text: str, what: str = "date") -> dt.date:
    """An ISO date (YYYY-MM-DD) or a clear error naming what was wrong."""
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise HoscaseError(f"{what} {text!r} is not a real date in the form YYYY-MM-DD") from None


class _Memo(dict):
    """A dict that works out and keeps a missing value on first lookup (lookups of known keys stay C-fast)."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class WorkingCalendar:
    """Which days are working days for one organisation, and counting over them."""

    def __init__(self, closures: Iterable[dt.date] | dict[dt.date, str] = ()) -> None:
        if isinstance(closures, dict):
            self.closures = dict(closures)
        else:
            self.closures = {day: "Office closed" for day in closures}
        start = dt.date(FIRST_YEAR, 1, 1).toordinal()
        end = dt.date(LAST_YEAR, 12, 31).toordinal()
        # Ordinal 1 (1 January of year 1) was a Monday, so (ordinal - 1) % 7 is the weekday: the 33,000 days
        # are a repeated Monday-to-Friday pattern with the closed days cleared, no date objects made, which
        # keeps building a calendar (at every launch) to a few ms.
        days = end - start + 1
        weekday = (start - 1) % 7
        working = bytearray((b"\x01\x01\x01\x01\x01\x00\x00" * (days // 7 + 2))[weekday:weekday + days])
        for day in (*bank_holidays(), *self.closures):
            if start <= (ordinal := day.toordinal()) <= end:
                working[ordinal - start] = 0
        self._ordinals = list(compress(range(start, end + 1), working))
        # _rank[ordinal - _first] is how many working days fall on or before that day, so adding working
        # days is two list lookups: every open deadline of a large register is worked out in a few ms.
        self._rank = list(accumulate(working))
        self._first = start
        self._last_start = dt.date(LAST_YEAR - 1, 12, 31).toordinal()
        # Stored ISO dates to ordinals and ordinals to dates, each worked out once per session: the open
        # deadlines are recomputed after every change, mostly from the same few hundred dates.
        self.ordinal_of: dict[str, int] = _Memo(lambda text: dt.date.fromisoformat(text).toordinal())
        self.date_of: dict[int, dt.date] = _Memo(dt.date.fromordinal)

    def _check_range(self, day: dt.date) -> None:
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
        return dt.date.fromordinal(self.add_ordinal(start.toordinal(), working_days))

    def add_ordinal(self, start: int, working_days: int) -> int:
        """``add`` on proleptic ordinals (``date.toordinal()``): for loops over many cases, no dates made."""
        if not self._first <= start <= self._last_start:
            self._check_range(dt.date.fromordinal(start))  # raises: outside the years counted
        if working_days < 0:
                raise HoscaseError("a number of working days cannot be negative")
        done = self._rank[start - self._first]
        if working_days == 0:
            return start if done and self._ordinals[done - 1] == start else self._ordinals[done]
        return self._ordinals[done + working_days - 1]

    def add_ordinals(self, starts: list[int], working_days: list[int]) -> list[int]:
        """``add_ordinal`` over lists at once (one range check, then one lookup each): for a whole register."""
        if not starts:
            return []
        if min(working_days) < 1 or not self._first <= min(starts) <= max(starts) <= self._last_start:
            return [self.add_ordinal(s, n) for s, n in zip(starts, working_days)]  # raises for the bad one
        rank, ordinals, first = self._rank, self._ordinals, self._first
        return [ordinals[rank[s - first] + n - 1] for s, n in zip(starts, working_days)]

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end is earlier)."""
        a = bisect.bisect_right(self._ordinals, start.toordinal())
        b = bisect.bisect_right(self._ordinals, end.toordinal())
        return b - a
