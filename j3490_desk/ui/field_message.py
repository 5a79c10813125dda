"""The message under a form field, in space kept for it, so a message that appears or goes
never moves the fields below it (a clerk's next keys would land in the wrong field)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

RESERVED_LINES = 2  # longer messages are cut here; the tooltip and the step's list hold all


class FieldMessage(QLabel):
    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(accessible_name)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * RESERVED_LINES + 2)

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setToolTip(text)
        self.setAccessibleDescription(text)
