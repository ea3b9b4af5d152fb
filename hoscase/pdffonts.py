"""The one Unicode font of every PDF the app writes, registered with reportlab once per process.

Letters, the annual report, the self-assessment and the subject access export all print in it. DejaVu Sans ships in resources/fonts/ (free licence beside it) so accented, Polish, Cyrillic,
Hebrew and Arabic names print on any machine. A character the font lacks is refused with
its name: a resident's name must never turn silently into a box on the letter they receive.
"""

from __future__ import annotations

import threading
import unicodedata

from hoscase.errors import HoscaseError
from hoscase.paths import resource_path

REGULAR = "HoscaseSans"
BOLD = "HoscaseSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] = {}


def register_fonts() -> None:
    """Register the regular and bold faces (and the family, so <b> works) the first time only."""
    if _coverage:
        return
    with _lock:
        if _coverage:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        found = {}
        for name, filename in FILES.items():
            path = resource_path("fonts", filename)
            if not path.is_file():
                raise HoscaseError(f"the letter font {path} is missing; reinstall hoscase")
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            found[name] = frozenset(font.face.charToGlyph)
        for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
            addMapping(REGULAR, bold, italic, face)
        _no_latin_ligatures()
        _coverage.update(found)


def _no_latin_ligatures() -> None:
    """Shaping is switched on only for paragraphs with right-to-left text, but it shapes the whole
    paragraph: with reportlab's default features DejaVu then joins "st" and "fi" in the Latin words
    beside an Arabic name. Arabic joining and lam-alef are required features and stay on."""
    from reportlab.pdfbase import ttfonts

    defaults = getattr(ttfonts.shapeFragWord, "__defaults__", None)
    if defaults and isinstance(defaults[0], dict):
        defaults[0].update(liga=False, dlig=False)


def font_names() -> tuple[str, str]:
    """(regular, bold) for a report or export: the shipped font, or Helvetica if an install lost it (a report of
    figures still prints; letters, which carry residents' names, refuse instead through register_fonts)."""
    try:
        register_fonts()
    except (HoscaseError, OSError):
        return "Helvetica", "Helvetica-Bold"
    return REGULAR, BOLD


def write_atomically(path, write) -> None:
    """Call ``write(tmp)`` and move the finished file onto ``path``: a crash or an error never leaves half a PDF
    where the officer expects the whole one. An OSError becomes a message naming the file."""
    import os
    from pathlib import Path

    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise HoscaseError(f"could not write {path}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def coverage(font: str = REGULAR) -> frozenset[int]:
    register_fonts()
    return _coverage[font]


def check_glyphs(text: str, what: str, bold: bool = False) -> None:
    """Refuse text with a character the letter font cannot draw, naming the character and where it is."""
    have = coverage(BOLD if bold else REGULAR)
    for char in text:
        if char == "\n" or ord(char) in have:
            continue
        name = unicodedata.name(char, "unnamed character")
        style = "bold " if bold else ""
        raise HoscaseError(
            f"the letter cannot print {char!r} (U+{ord(char):04X} {name}) in {what}: the {style}letter font "
            "has no glyph for it; retype it or replace it with a similar character"
        )
