"""The always-visible checklist: each row with an icon and a word, never colour alone, and under
it what keeps the row from being complete (the blocker, the warning, or what is not entered)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from j3490_desk.services.drafts import ChecklistEntry, RowState

_LOOK = {
    RowState.COMPLETE: ("✔ complete", QStyle.StandardPixmap.SP_DialogApplyButton),
    RowState.WARNING: ("⚠ warning", QStyle.StandardPixmap.SP_MessageBoxWarning),
    RowState.NOT_STARTED: ("○ not started", QStyle.StandardPixmap.SP_MessageBoxInformation),
    RowState.BLOCKER: ("✖ blocker", QStyle.StandardPixmap.SP_MessageBoxCritical),
}
STEP_ROLE = Qt.ItemDataRole.UserRole


class ChecklistPanel(QListWidget):
    """Activating an entry (click, or Enter) asks to jump to the step that fixes it."""

    jump_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Checklist")
        self.setWordWrap(True)
        self.itemClicked.connect(self._jump)
        self.itemActivated.connect(self._jump)

    def show_entries(self, entries: tuple[ChecklistEntry, ...]) -> None:
        current = self.currentRow()
        self.clear()
        for entry in entries:
            word, pixmap = _LOOK[entry.state]
            warnings = f"{entry.warnings} warning{'s' if entry.warnings > 1 else ''}"
            if entry.state is RowState.NOT_STARTED and entry.warnings:
                word += f", ⚠ {warnings}"
            elif entry.state is RowState.WARNING and entry.warnings > 1:
                word = f"⚠ {warnings}"  # the first is said below; the tooltip lists them all
            text = f"{entry.name}: {word}" + (f"\n{entry.detail}" if entry.detail else "")
            item = QListWidgetItem(self.style().standardIcon(pixmap), text)
            item.setData(STEP_ROLE, entry.step)
            item.setToolTip("\n".join(entry.notes) or word)
            self.addItem(item)
        self.setCurrentRow(current)

    def state_of(self, name: str) -> str:
        for row in range(self.count()):
            text = self.item(row).text()
            if text.startswith(f"{name}: "):
                return text.split(": ", 1)[1].split("\n", 1)[0].split(", ", 1)[0]
        raise KeyError(name)

    def _jump(self, item: QListWidgetItem) -> None:
        self.jump_requested.emit(str(item.data(STEP_ROLE)))
