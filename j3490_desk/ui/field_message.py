"""The message under a form field, in space kept for it, so a message that appears or goes
never moves the fields below it (a clerk's next keys would land in the wrong field)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

RESERVED_LINES = 2  # a longer message ends in "…" here; its tooltip holds all of it
_ELLIPSIS = "…"


class FieldMessage(QLabel):
    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._message = ""
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(accessible_name)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * RESERVED_LINES + 2)

    def show_message(self, text: str) -> None:
        self._message = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self._fit()

    def text(self) -> str:
        """The whole message, even when the label shows it cut short."""
        return self._message

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Show as many whole words as the reserved lines hold, then "…"."""
        words = self._message.split(" ")
        if self._fits(self._message):
            super().setText(self._message)
            return
        low, high = 0, len(words)  # the longest prefix of words that fits with the ellipsis
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits(" ".join(words[:middle]) + _ELLIPSIS):
                low = middle
            else:
                high = middle - 1
        super().setText(" ".join(words[:low]) + _ELLIPSIS)

    def _fits(self, text: str) -> bool:
        width = max(self.contentsRect().width(), 1)
        flags = int(Qt.TextFlag.TextWordWrap)
        needed = self.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), flags, text)
        return needed.height() <= self.contentsRect().height()
