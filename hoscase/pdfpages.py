"""Pages that know how many pages there are: "Page n of m" needs the total, which reportlab only knows at the end.

The canvas keeps each finished page's state, and once the document is complete draws every page's furniture
(header, footer, page number) with the total in hand. Letters, the annual report and the self-assessment each
pass their own furniture; the counting is here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# furniture(canvas, page_number, total_pages) draws what goes round the page's content.
Furniture = Callable[[Any, int, int], None]


def numbered_canvas(furniture: Furniture, extra_pages: int = 0) -> type:
    """A reportlab canvas class for ``doc.build(story, canvasmaker=...)``; ``extra_pages`` are pages appended to
    the file afterwards (the annual report's self-assessment), counted in the total."""
    from reportlab.pdfgen import canvas as pdf_canvas

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages) + extra_pages
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                furniture(self, self._pageNumber, total)
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas
