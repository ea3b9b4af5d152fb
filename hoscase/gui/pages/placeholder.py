"""The calm panel shown where a part of the app is not there yet, or could not be opened."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ComingLaterPage(QWidget):
    def __init__(self, title: str, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comingLaterPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        self.message = QLabel(message or "This part of the app is coming in a later release.")
        self.message.setObjectName("emptyState")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(heading)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addStretch(2)

    def refresh(self) -> None:
        """Nothing to refresh."""
