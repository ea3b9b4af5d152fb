"""The Housing Ombudsman's Complaint Handling Code, provision by provision, read from resources/code/<edition>.json.

The Code's wording is data, not code: the self-assessment, the letters and the reports all quote it, and a new
edition of the Code should be a new JSON file, not a change to the program. Everything here is immutable so one
loaded edition can be shared freely (it is cached).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hoscase.errors import HoscaseError
from hoscase.paths import resource_path

DEFAULT_EDITION = "2024"
_NUMBER = re.compile(r"^([1-9]\d*)\.([1-9]\d*)$")
_EDITION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


@dataclass(frozen=True)
class Provision:
    """One numbered requirement of the Code, with the section (and stage subheading) it sits under.

    ``text`` is the Ombudsman's wording exactly; lettered or bulleted list items are on their own lines.
    """

    number: str
    section: int
    section_title: str
    subheading: str | None
    text: str

    @property
    def sort_key(self) -> tuple[int, int]:
        """Numeric order, so 5.10 comes after 5.9 rather than after 5.1."""
        return number_key(self.number)


@dataclass(frozen=True)
class Section:
    """A numbered section of the Code and its provisions, in order."""

    number: int
    title: str
    provisions: tuple[Provision, ...]


@dataclass(frozen=True)
class CodeEdition:
    """One edition of the Code: its provisions in order, and the same grouped by section."""

    edition: str
    title: str
    provisions: tuple[Provision, ...]
    sections: tuple[Section, ...]
    publisher: str = "Housing Ombudsman Service"
    in_force: dt.date | None = None

    def provision(self, number: str) -> Provision:
        """The provision numbered ``number`` (e.g. "6.19"); a clear error if this edition has none."""
        wanted = str(number).strip()
        for p in self.provisions:
            if p.number == wanted:
                return p
        raise HoscaseError(f"the {self.edition} Code has no provision {wanted!r}")

    def __contains__(self, number: object) -> bool:
        return any(p.number == str(number).strip() for p in self.provisions)

    def __len__(self) -> int:
        return len(self.provisions)


def number_key(number: str) -> tuple[int, int]:
    """Turn "6.10" into (6, 10), so provision numbers sort as numbers, not as text."""
    m = _NUMBER.match(str(number).strip())
    if not m:
        raise ValueError(f"{number!r} is not a provision number like 5.6")
    return int(m.group(1)), int(m.group(2))


def code_dir() -> Path:
    """The folder holding one JSON file per edition of the Code."""
    return resource_path("code")


def editions() -> list[str]:
    """The editions of the Code the app carries, oldest first (the names of resources/code/*.json)."""
    folder = code_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if _EDITION.match(p.stem))


@lru_cache(maxsize=8)
def load_code(edition: str = DEFAULT_EDITION) -> CodeEdition:
    """Read and check one edition of the Code; a damaged or missing file is an error, never a partial Code."""
    edition = str(edition).strip()
    if not _EDITION.match(edition):
        raise HoscaseError(f"{edition!r} is not an edition name")
    path = code_dir() / f"{edition}.json"
    if not path.is_file():
        known = ", ".join(editions()) or "none"
        raise HoscaseError(f"no {edition} edition of the Code is installed (available: {known})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HoscaseError(f"the {edition} Code file {path} cannot be read: {exc}") from None
    return _parse(data, edition, path)


def provision(number: str, edition: str = DEFAULT_EDITION) -> Provision:
    """The provision numbered ``number`` in ``edition`` (the 2024 Code unless told otherwise)."""
    return load_code(edition).provision(number)


def _parse(data: dict, edition: str, path: Path) -> CodeEdition:
    """Build the edition from its JSON, refusing duplicates, gaps in order and empty sections."""

    def bad(why: str) -> HoscaseError:
        return HoscaseError(f"the Code file {path} is damaged: {why}")

    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise bad("no list of sections")
    if str(data.get("edition", edition)) != edition:
        raise bad(f"it says it is the {data.get('edition')} edition")
    in_force = None
    if data.get("in_force"):
        try:
            in_force = dt.date.fromisoformat(str(data["in_force"]))
        except ValueError:
            raise bad(f"in_force {data['in_force']!r} is not a date") from None

    sections: list[Section] = []
    everything: list[Provision] = []
    seen: set[str] = set()
    for s in data["sections"]:
        try:
            number, title = int(s["number"]), str(s["title"])
            raw = s["provisions"]
        except (KeyError, TypeError, ValueError):
            raise bad("a section lacks its number, title or provisions") from None
        provisions: list[Provision] = []
        for p in raw:
            try:
                pnum, text = str(p["number"]).strip(), str(p["text"])
            except (KeyError, TypeError):
                raise bad(f"a provision in section {number} lacks its number or text") from None
            try:
                key = number_key(pnum)
            except ValueError as exc:
                raise bad(str(exc)) from None
            if key[0] != number:
                raise bad(f"provision {pnum} is filed under section {number}")
            if pnum in seen:
                raise bad(f"provision {pnum} appears twice")
            if not text.strip():
                raise bad(f"provision {pnum} has no text")
            seen.add(pnum)
            provisions.append(Provision(number=pnum, section=number, section_title=title,
                                        subheading=p.get("subheading") or None, text=text))
        if not provisions:
            raise bad(f"section {number} has no provisions")
        sections.append(Section(number=number, title=title, provisions=tuple(provisions)))
        everything.extend(provisions)

    keys = [p.sort_key for p in everything]
    if keys != sorted(keys):
        raise bad("the provisions are out of order")
    return CodeEdition(edition=edition, title=str(data.get("title", "Complaint Handling Code")),
                       provisions=tuple(everything), sections=tuple(sections),
                       publisher=str(data.get("publisher", "Housing Ombudsman Service")), in_force=in_force)
