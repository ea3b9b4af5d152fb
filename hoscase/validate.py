"""Cleaning the text an officer types or imports, the same way everywhere the core takes it in.

One rule for every field: no NUL characters and no lone surrogates (both break SQLite or the PDF writer later,
far from where they were typed), surrounding white space dropped, required fields present, and a length limit
so a pasted file cannot become a field.
"""

from __future__ import annotations

from typing import Any

from hoscase.errors import HoscaseError

MAX_TEXT = 100_000


def clean_text(value: Any, what: str, required: bool = False, *, limit: int = MAX_TEXT) -> str:
    """``value`` as clean text, or a HoscaseError naming ``what`` and the problem."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise HoscaseError(f"{what} contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise HoscaseError(
            f"{what} contains bytes that are not valid text (check the file's or terminal's encoding)") from None
    text = text.strip()
    if required and not text:
        raise HoscaseError(f"{what} is required")
    if len(text) > limit:
        raise HoscaseError(f"{what} is too long ({len(text)} characters; the most is {limit})")
    return text
