"""`hoscase screenshot`: render a view of the desktop app to a PNG, offscreen when there is no display."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from hoscase.errors import HoscaseError

VIEWS = ("worklist", "cases", "calendar", "case", "selfassessment", "reports", "settings", "service_requests")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("screenshot", help="render a view of the desktop app to a PNG")
    p.add_argument("--view", required=True, choices=VIEWS, help="which view to render")
    p.add_argument("--case", metavar="REF", help="for --view case: the case (default: the first open case)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.png", help="where to write the PNG")
    p.add_argument("--size", default="1280x800", help="window size as WIDTHxHEIGHT (default 1280x800)")
    p.set_defaults(run=_screenshot)


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text)
    if not match:
        raise HoscaseError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 1280x800")
    width, height = int(match.group(1)), int(match.group(2))
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise HoscaseError(f"size {text!r} is outside 320x240 to 8000x8000")
    return width, height


def _screenshot(args, context) -> int:
    size = _size(args.size)
    if not args.output.lower().endswith(".png"):
        raise HoscaseError(f"the output {args.output!r} must be a .png file")
    no_display = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hoscase.gui.screenshot import render

    out = render(context.path, args.view, Path(args.output), size, case=args.case)
    print(out)
    return 0
