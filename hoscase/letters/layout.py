"""The letter's page templates and text styles as data, in millimetres and points (the rst2pdf way).

A4, folded in three for a DL window envelope: the resident's name and address sit in the
window area (20 mm from the left, 50 mm from the top, 90 by 40 mm), nothing else does, and
fold marks at 99 and 198 mm guide the folding. Large print (16 pt and over, for residents who
asked for it as a reasonable adjustment) has its own set of sizes.
"""

from __future__ import annotations

from typing import Any

PAGE: dict[str, Any] = {
    "size_mm": (210.0, 297.0),
    "margins_mm": {"left": 20.0, "right": 20.0, "top": 18.0, "bottom": 20.0},
    "fold_marks_mm": (99.0, 198.0),
    # Frames on the first page: x and y from the top-left corner, width, height (mm).
    "first": {
        "letterhead": (20.0, 12.0, 170.0, 34.0),
        "address": (20.0, 50.0, 90.0, 40.0),
        "details": (118.0, 50.0, 72.0, 40.0),
        "body_top": 96.0,
    },
    "later": {"body_top": 22.0},
    "compact_letterhead": False,  # True: address on one line, contacts left to the details block
    "footer_mm": 10.0,  # baseline of "Page n of m", from the bottom edge
    "header_mm": 12.0,  # baseline of the running header on later pages, from the top edge
}

# Large print: the details move under the address (they would not fit beside it at 16 pt),
# and the window frame grows so a six-line address still fits.
PAGE_LARGE: dict[str, Any] = {
    **PAGE,
    "compact_letterhead": True,
    "first": {
        "letterhead": (20.0, 10.0, 170.0, 38.0),
        "address": (20.0, 50.0, 100.0, 46.0),
        "details": (20.0, 98.0, 170.0, 40.0),
        "body_top": 142.0,
    },
    "later": {"body_top": 24.0},
}

# Text styles: reportlab ParagraphStyle arguments, without the font names (the renderer sets them).
STYLES: dict[str, dict[str, Any]] = {
    "body": {"fontSize": 11, "leading": 15, "spaceAfter": 7},
    "title": {"fontSize": 12.5, "leading": 16, "spaceBefore": 2, "spaceAfter": 9, "bold": True},
    "heading": {"fontSize": 11.5, "leading": 15, "spaceBefore": 7, "spaceAfter": 3, "bold": True, "keepWithNext": 1},
    "bullet": {"fontSize": 11, "leading": 15, "spaceAfter": 3, "leftIndent": 14, "bulletIndent": 3},
    "cell": {"fontSize": 10, "leading": 13},
    "cell_head": {"fontSize": 10, "leading": 13, "bold": True},
    "box": {"fontSize": 10.5, "leading": 14, "spaceAfter": 2},
    "address": {"fontSize": 11, "leading": 14},
    "details": {"fontSize": 9.5, "leading": 13},
    "org_name": {"fontSize": 15, "leading": 18, "bold": True, "alignment": 2},
    "org_lines": {"fontSize": 9, "leading": 11.5, "alignment": 2},
    "page": {"fontSize": 8.5},
}

STYLES_LARGE: dict[str, dict[str, Any]] = {
    "body": {"fontSize": 16, "leading": 21, "spaceAfter": 9},
    "title": {"fontSize": 18, "leading": 23, "spaceBefore": 2, "spaceAfter": 11, "bold": True},
    "heading": {"fontSize": 17, "leading": 22, "spaceBefore": 9, "spaceAfter": 4, "bold": True, "keepWithNext": 1},
    "bullet": {"fontSize": 16, "leading": 21, "spaceAfter": 4, "leftIndent": 20, "bulletIndent": 4},
    "cell": {"fontSize": 16, "leading": 20},
    "cell_head": {"fontSize": 16, "leading": 20, "bold": True},
    "box": {"fontSize": 16, "leading": 20, "spaceAfter": 3},
    "address": {"fontSize": 16, "leading": 19},
    "details": {"fontSize": 16, "leading": 20},
    "org_name": {"fontSize": 20, "leading": 24, "bold": True, "alignment": 2},
    "org_lines": {"fontSize": 16, "leading": 18, "alignment": 2},
    "page": {"fontSize": 16},
}

TABLE: dict[str, Any] = {
    "grid_colour": "#8a8a8a",
    "head_background": "#e8e8e8",
    "box_colour": "#333333",
    "box_background": "#f4f4f4",
    "padding": 5,
    # Column shares of the text width.
    "remedies": (0.62, 0.14, 0.24),
    "actions": (0.56, 0.2, 0.24),
    "remedies_large": (0.5, 0.2, 0.3),
    "actions_large": (0.46, 0.24, 0.3),
}
