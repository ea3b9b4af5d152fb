"""Record text made safe for reportlab's paragraph markup.

reportlab reads a Paragraph's text as XML-like markup, so a name such as
``Siobhán O'Brien & <Sons>`` would be misread or would inject a link, an image or
a colour. Every value from the record goes through ``to_markup``: cleaned of
invisible control characters, escaped, its line breaks kept.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

_LINE_SEPARATORS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x85": "\n"}
_RTL_CLASSES = {"R", "AL"}
_SPACE_SPLIT = re.compile(r"(\s+)")


def clean_text(value: object) -> str:
    """Text as it should print: normalised line breaks, tabs and odd spaces as spaces, no invisible controls."""
    text = "" if value is None else str(value)
    for old, new in _LINE_SEPARATORS.items():
        text = text.replace(old, new)
    out = []
    for char in text:
        if char == "\n" or char == " " or char == "\u00a0":
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category == "Zs" or char == "\t":
            out.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            # Control, format (soft hyphen, direction marks, BOM), surrogate and unassigned
            # characters print as nothing, or as a box: leave them out.
            continue
        else:
            out.append(char)
    return "".join(out)


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def _direction(word: str) -> str:
    for char in word:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return "R"
        if kind == "L":
            return "L"
    return "N"


def visual_order(text: str) -> str:
    """Put runs of right-to-left words into visual order, line by line.

    reportlab lays words out left to right; with text shaping each Arabic or Hebrew word is
    drawn correctly, but a run of such words (a two-word name) must be reversed as a whole
    so that it reads right to left. Left-to-right text is returned unchanged.
    """
    if not has_rtl(text):
        return text
    return "\n".join(_visual_line(line) for line in text.split("\n"))


def _visual_line(line: str) -> str:
    tokens = [t for t in _SPACE_SPLIT.split(line) if t]
    directions = ["S" if t.isspace() else _direction(t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if directions[i] != "R":
            out.append(tokens[i])
            i += 1
            continue
        # A run starts at an RTL word and extends over neutral words and spaces up to the last RTL word.
        end = i
        j = i
        while j < len(tokens) and directions[j] != "L":
            if directions[j] == "R":
                end = j
            j += 1
        out.extend(reversed(tokens[i:end + 1]))
        i = end + 1
    return "".join(out)


def to_markup(value: object) -> str:
    """Escape record text for a Paragraph, keeping its line breaks. The only markup it can contain is <br/>."""
    text = visual_order(clean_text(value))
    return escape(text).replace("\n", "<br/>")
