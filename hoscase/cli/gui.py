"""`hoscase screenshot`: render a view of the desktop app to a PNG, offscreen when there is no display."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from hoscase.errors import HoscaseError

# The same as hoscase.gui.screenshot.VIEWS (not imported: that module loads Qt, and `--help` should not).
VIEWS = ("worklist", "cases", "calendar", "case", "selfassessment", "reports", "settings", "service_requests", "data",
         "setup")
SETUP_PAGES = ("welcome", "organisation", "contact", "handlers", "year", "summary")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("screenshot", help="render a view of the desktop app to a PNG")
    p.add_argument("--view", required=True, choices=VIEWS, help="which view to render")
    p.add_argument("--case", metavar="REF", help="for --view case: the case (default: the first open case)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.png", help="where to write the PNG")
    p.add_argument("--page", default="welcome", metavar="PAGE",
                   help="for --view setup: the first-run wizard's page, 1 to 6 or one of "
                        f"{', '.join(SETUP_PAGES)} (default welcome)")
    p.add_argument("--size", help="window size as WIDTHxHEIGHT (default 1280x800; 760x580 for --view setup)")
    p.set_defaults(run=_screenshot)


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text)
    if not match:
        raise HoscaseError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 1280x800")
    width, height = int(match.group(1)), int(match.group(2))
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise HoscaseError(f"size {text!r} is outside 320x240 to 8000x8000")
    return width, height


def _setup_page(text: str) -> int:
    """1 to 6 from "3" or "contact"."""
    word = str(text).strip().lower()
    if word in SETUP_PAGES:
        return SETUP_PAGES.index(word) + 1
    if word.isdigit() and 1 <= int(word) <= len(SETUP_PAGES):
        return int(word)
    raise HoscaseError(f"setup page {text!r} is not 1 to {len(SETUP_PAGES)} or one of: {', '.join(SETUP_PAGES)}")


def _screenshot(args, context) -> int:
    size = _size(args.size) if args.size else None
    page = _setup_page(args.page)
    if not args.output.lower().endswith(".png"):
        raise HoscaseError(f"the output {args.output!r} must be a .png file")
    no_display = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hoscase.gui.screenshot import render

    out = render(context.path, args.view, Path(args.output), size, case=args.case, page=page)
    print(out)
    return 0
