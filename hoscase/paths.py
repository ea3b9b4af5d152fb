"""Find the app's data folders (resources/, ui/, db/) wherever the app runs from.

A checkout keeps them beside the package; an installed wheel carries them inside
``hoscase/_data``; a PyInstaller bundle unpacks them under ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    found = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        found.append(Path(frozen) / name)
    found.append(_PACKAGE / "_data" / name)
    found.append(_PACKAGE.parent / name)
    return found


def data_dir(name: str) -> Path:
    """The folder ``name`` (resources, ui or db) from the first place that has it."""
    for candidate in _candidates(name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the app's {name}/ folder is missing (looked in {', '.join(map(str, _candidates(name)))})")


def resource_path(*parts: str) -> Path:
    """A file or folder under resources/."""
    return data_dir("resources").joinpath(*parts)
