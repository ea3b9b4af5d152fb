"""How the desktop app writes dates, money and counts: one place, so every screen agrees (UK style)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

# Qt display format for QDateEdit: 22 Nov 2026.
QT_DATE_FORMAT = "d MMM yyyy"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def as_date(value: dt.date | str | None) -> dt.date | None:
    """A date from a date or an ISO string; None for nothing or something unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def uk_date(value: dt.date | str | None, empty: str = "") -> str:
    """22 Nov 2026 (no leading zero, short month, not locale dependent)."""
    day = as_date(value)
    if day is None:
        return empty if value in (None, "") else str(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def uk_date_long(value: dt.date | str | None) -> str:
    """Friday 20 Nov 2026, for headings."""
    day = as_date(value)
    return "" if day is None else f"{_DAYS[day.weekday()]} {uk_date(day)}"


def uk_datetime(value: str | None) -> str:
    """An ISO timestamp as 20 Nov 2026 14:05."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{uk_date(moment.date())} {moment:%H:%M}"


def money(pence: int | None) -> str:
    if pence is None:
        return ""
    return f"£{pence / 100:,.2f}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def to_qdate(day: dt.date | str | None) -> QDate:
    day = as_date(day)
    return QDate(day.year, day.month, day.day) if day else QDate()


def from_qdate(qdate: QDate) -> dt.date | None:
    return dt.date(qdate.year(), qdate.month(), qdate.day()) if qdate.isValid() else None
