"""The officer-written parts of the annual report, saved per financial year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hoscase.errors import HoscaseError
from hoscase.store.reports import NARRATIVE_SECTIONS

SECTION_LABELS = {
    "introduction": "Introduction",
    "themes": "Themes and trends",
    "learning": "Learning and service improvement",
    "governing_body_response": "The governing body's response (8.2)",
}
MAX_NARRATIVE = 50_000


def save_narrative(store: Any, year: int, section: str, text: str) -> None:
    """Save one section's text for the year (empty text clears it)."""
    section = (section or "").strip().lower().replace("-", "_").replace(" ", "_")
    if section not in NARRATIVE_SECTIONS:
        raise HoscaseError(f"section must be one of: {', '.join(NARRATIVE_SECTIONS)}")
    year = check_year(year)
    text = "" if text is None else str(text)
    if "\x00" in text:
        raise HoscaseError("the text contains a NUL character")
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_NARRATIVE:
        raise HoscaseError(f"the text is too long ({len(text):,} characters; the most is {MAX_NARRATIVE:,})")
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    with store.transaction():
        store.put_report_narrative(year, section, text, now)


def check_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise HoscaseError(f"year {year!r} is not a year") from None
    if not 1990 <= value <= 2078:
        raise HoscaseError(f"year {value} is outside the years the app handles (1990 to 2078)")
    return value
