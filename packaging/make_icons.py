"""Render the hand-drawn app icon (resources/icons/hoscase.svg) to the PNG sizes desktops ask for, and an .ico.

Run from anywhere: ``python packaging/make_icons.py``. The PNGs are committed, so a build never needs this;
run it again only after changing the SVG. Pillow (if installed) writes the Windows .ico; without it the .ico
is skipped with a note and the Windows build falls back to the 256 px PNG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


def render(svg: Path, size: int, target: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format_ARGB32_Premultiplied)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setRenderHint(QPainter.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"could not write {target}")


def make_ico(pngs: dict[int, Path], target: Path) -> bool:
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is not installed: skipped hoscase.ico (pip install pillow, then run this again)")
        return False
    largest = Image.open(pngs[max(pngs)])
    largest.save(target, format="ICO", sizes=[(s, s) for s in sorted(pngs)])
    return True


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage needs one
    svg = ICONS / "hoscase.svg"
    pngs = {}
    for size in SIZES:
        target = ICONS / f"hoscase-{size}.png"
        render(svg, size, target)
        pngs[size] = target
        print(f"wrote {target}")
    if make_ico(pngs, ICONS / "hoscase.ico"):
        print(f"wrote {ICONS / 'hoscase.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
