"""The claim's History tab: who changed what and when, from the audit log, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_history import claim_history


class HistoryView(QTreeWidget):
    def __init__(self, data: AppData, claim_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.claim_id = claim_id
        self.setColumnCount(3)
        self.setHeaderLabels(["When", "Who", "What"])
        self.setAccessibleName("Claim history")
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)

    def refresh(self) -> None:
        self.clear()
        for entry in claim_history(self.data, self.claim_id):
            when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
            item = QTreeWidgetItem([when, entry.user, entry.what])
            self.addTopLevelItem(item)
            for change in entry.changes:
                # One change a line, across all columns: the panel is narrow, the values long.
                detail = QTreeWidgetItem([f"{change.field}: {change.old} → {change.new}"])
                detail.setToolTip(0, detail.text(0))
                item.addChild(detail)
                detail.setFirstColumnSpanned(True)
        for column in range(2):
            self.resizeColumnToContents(column)
