"""The user guide, offline: the Markdown shipped in resources/help/ shown in a browser pane with contents.

The guide's source is docs/user-guide.md (readable on the project's pages too); docs/make_screenshots.sh copies
it and its pictures into resources/help/ so the wheel and the frozen bundle carry them, and a test checks the
copies match. Pictures are scaled down to the pane's width so nothing needs scrolling sideways.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from hoscase.gui.dialogs.base import fit_to_screen
from hoscase.paths import resource_path

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")


def guide_path() -> Path:
    """The user guide as shipped with the app."""
    return resource_path("help", "user-guide.md")


def guide_headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of each heading, skipping fenced code blocks."""
    headings, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            headings.append((len(match.group(1)), match.group(2)))
    return headings


class HelpBrowser(QTextBrowser):
    """A browser that keeps pictures within its width and opens web links outside the app."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._natural: dict[str, QImage] = {}

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_images()

    def fit_images(self) -> None:
        """Scale every picture to the visible width (never larger than it really is), smoothly."""
        document = self.document()
        room = max(120.0, self.viewport().width() - 2 * document.documentMargin() - 8)
        ratio = self.devicePixelRatioF() or 1.0
        cursor = QTextCursor(document)
        changed = False
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    changed |= self._fit(document, cursor, fragment, fmt.toImageFormat(), room, ratio)
                it += 1
            block = block.next()
        if changed:
            # Re-sizing a picture part-way through Qt's lazy layout left the text after it laid out with no
            # height (pictures drawn over each other, paragraphs gone): lay the whole guide out again.
            document.markContentsDirty(0, document.characterCount())

    def _fit(self, document: QTextDocument, cursor: QTextCursor, fragment, image: QTextImageFormat, room: float,
             ratio: float) -> bool:
        """Fit one picture; True if it changed size."""
        name = image.name()
        if name not in self._natural:
            loaded = document.resource(QTextDocument.ImageResource, QUrl(name))
            picture = loaded.toImage() if isinstance(loaded, QPixmap) else loaded
            self._natural[name] = picture if isinstance(picture, QImage) and not picture.isNull() else QImage()
        original = self._natural[name]
        if original.isNull():
            return False
        shown = min(float(original.width()), room)
        if abs(image.width() - shown) < 0.5:
            return False
        # Qt scales pictures in a document roughly; a smooth copy at the shown size keeps the text in them legible.
        scaled = original.scaledToWidth(max(1, round(shown * ratio)), Qt.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        document.addResource(QTextDocument.ImageResource, QUrl(name), scaled)
        fitted = QTextImageFormat(image)
        fitted.setWidth(shown)
        fitted.setHeight(original.height() * shown / original.width())
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.KeepAnchor)
        cursor.setCharFormat(fitted)
        return True

    def scroll_to_heading(self, title: str) -> bool:
        """Bring the heading called ``title`` to the top; False if there is none."""
        document = self.document()
        block = document.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().strip() == title.strip():
                cursor = QTextCursor(block)
                self.setTextCursor(cursor)
                top = document.documentLayout().blockBoundingRect(block).top()
                self.verticalScrollBar().setValue(int(top))
                return True
            block = block.next()
        return False

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)  # the officer's own browser; the app itself stays offline
        elif url.hasFragment() and not url.path():
            self.scroll_to_heading(url.fragment().replace("-", " "))


class UserGuideDialog(QDialog):
    """The guide with a contents list beside it; not modal, so it can stay open beside the work."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("User guide — hoscase")  # Qt adds " — hoscase" unless it ends so
        self.setWindowIcon(QIcon(str(resource_path("icons", "hoscase-64.png"))))
        fit_to_screen(self, 1000, 720)
        self.path = path or guide_path()
        self.browser = HelpBrowser()
        self.browser.setAccessibleName("User guide")
        self.contents = QListWidget()
        self.contents.setAccessibleName("Contents")
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.contents.setMinimumWidth(200)
        self.contents.setMaximumWidth(280)
        self.contents.itemActivated.connect(self._on_contents_item)
        self.contents.itemClicked.connect(self._on_contents_item)
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            text = f"# The user guide is missing\n\nThe file {self.path} could not be read ({exc})."
        document = self.browser.document()
        document.setDocumentMargin(14)
        document.setBaseUrl(QUrl.fromLocalFile(str(self.path.parent) + "/"))
        self.browser.setSearchPaths([str(self.path.parent)])
        document.setMarkdown(text, QTextDocument.MarkdownDialectGitHub)
        for level, title in guide_headings(text):
            if level == 1:
                continue
            item = QListWidgetItem(("    " if level == 3 else "") + title)
            item.setData(Qt.UserRole, title)
            self.contents.addItem(item)
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        splitter.setSizes([240, 760])
        self.browser.fit_images()
        self.show_top()

    def show_top(self) -> None:
        self.browser.moveCursor(QTextCursor.Start)
        self.browser.verticalScrollBar().setValue(0)

    def headings(self) -> list[str]:
        """The guide's headings as the reader sees them in the pane."""
        found, block = [], self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel():
                found.append(block.text())
            block = block.next()
        return found

    def _on_contents_item(self, item: QListWidgetItem) -> None:
        self.browser.scroll_to_heading(item.data(Qt.UserRole))


_open: UserGuideDialog | None = None


def show_user_guide(parent: QWidget | None = None) -> UserGuideDialog:
    """Show the guide (one window, brought forward if already open); returns it."""
    global _open
    if _open is None or not isValid(_open) or not _open.isVisible():
        _open = UserGuideDialog(parent)
    _open.show()
    _open.raise_()
    _open.activateWindow()
    return _open
