"""The user guide: shipped with the app, the same as the docs/ copy, and shown offline with its pictures."""

from __future__ import annotations

import re
from pathlib import Path

from hoscase.paths import resource_path

ROOT = Path(__file__).resolve().parent.parent
DOCS_GUIDE = ROOT / "docs" / "user-guide.md"
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def test_shipped_guide_is_the_docs_guide():
    """docs/user-guide.md is the source; docs/make_screenshots.sh copies it into resources/help/."""
    shipped = resource_path("help", "user-guide.md")
    assert shipped.read_text(encoding="utf-8") == DOCS_GUIDE.read_text(encoding="utf-8"), (
        "resources/help/user-guide.md differs from docs/user-guide.md: run docs/make_screenshots.sh")


def test_every_picture_the_guide_shows_is_there_in_both_places():
    links = IMAGE_LINK.findall(DOCS_GUIDE.read_text(encoding="utf-8"))
    assert len(links) >= 6
    for link in links:
        in_docs = DOCS_GUIDE.parent / link
        shipped = resource_path("help", link)
        assert in_docs.is_file(), f"{link} is missing from docs/"
        assert shipped.is_file(), f"{link} is missing from resources/help/"
        assert in_docs.read_bytes() == shipped.read_bytes(), f"{link} differs: run docs/make_screenshots.sh"
        assert in_docs.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_guide_covers_the_journey_and_the_yearly_work():
    from hoscase.gui.help import guide_headings

    titles = " | ".join(title.lower() for _, title in guide_headings(DOCS_GUIDE.read_text(encoding="utf-8")))
    for topic in ("log the complaint", "acknowledge", "stage 1", "stage 2", "letters", "calendar",
                  "self-assessment", "annual report"):
        assert topic in titles, f"the guide has no heading about {topic}"


def test_dialog_opens_offscreen_and_shows_the_guides_headings(qtbot):
    from hoscase.gui.help import UserGuideDialog, guide_headings, guide_path

    dialog = UserGuideDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    expected = [title for _, title in guide_headings(guide_path().read_text(encoding="utf-8"))]
    assert dialog.headings() == expected
    assert dialog.contents.count() == len([1 for level, _ in guide_headings(
        guide_path().read_text(encoding="utf-8")) if level > 1])
    assert dialog.browser.verticalScrollBar().value() == 0  # opens at the top


def test_pictures_load_and_fit_the_pane(qtbot):
    from PySide6.QtGui import QTextDocument

    from hoscase.gui.help import UserGuideDialog

    dialog = UserGuideDialog()
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    document = dialog.browser.document()
    room = dialog.browser.viewport().width()
    widths = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                image = fmt.toImageFormat()
                loaded = document.resource(QTextDocument.ImageResource, image.name())
                assert loaded is not None and not loaded.isNull(), f"{image.name()} did not load"
                widths.append(image.width())
            it += 1
        block = block.next()
    assert len(widths) >= 6
    assert all(0 < width <= room for width in widths)


def test_contents_scrolls_to_a_heading(qtbot):
    from hoscase.gui.help import UserGuideDialog

    dialog = UserGuideDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    items = [dialog.contents.item(i) for i in range(dialog.contents.count())]
    target = next(item for item in items if "annual report" in item.text().lower())
    dialog.contents.itemClicked.emit(target)
    assert dialog.browser.verticalScrollBar().value() > 0
    assert dialog.browser.textCursor().block().text() == "The annual report"


def test_show_user_guide_keeps_one_window(qtbot):
    from hoscase.gui.help import show_user_guide

    first = show_user_guide()
    qtbot.addWidget(first)
    assert show_user_guide() is first
    first.close()
