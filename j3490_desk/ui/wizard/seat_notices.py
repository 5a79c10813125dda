"""What the wizard says about the other seats: a save refused because someone saved the claim
first (reload theirs, compare, or keep editing), and a claim open elsewhere (read-only here)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.services.claim_history import Difference


class ConflictBar(QFrame):
    """Shown over the page when a save was refused: the clerk's draft stays on screen."""

    reload_requested = Signal()
    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Claim changed elsewhere")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.reload = QPushButton("&Reload theirs (discard mine)")
        self.reload.clicked.connect(self.reload_requested)
        self.compare = QPushButton("C&ompare…")
        self.compare.clicked.connect(self.compare_requested)
        self.keep = QPushButton("Keep &editing")
        self.keep.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        for button in (self.reload, self.compare, self.keep):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.hide()

    def show_refusal(self, message: str) -> None:
        self.message.setText(message)
        self.show()
        self.compare.setFocus()


class CompareDialog(QDialog):
    """Field by field, the clerk's unsaved claim beside the one another seat saved."""

    def __init__(
        self, claim_id: int, differences: list[Difference], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Claim {claim_id}: yours and theirs")
        self.table = QTableWidget(len(differences), 3)
        self.table.setAccessibleName("Differences")
        self.table.setHorizontalHeaderLabels(["Field", "Mine (not saved)", "Theirs (saved)"])
        self.table.verticalHeader().hide()
        for row, difference in enumerate(differences):
            for column, text in enumerate((difference.field, difference.mine, difference.theirs)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        note = QLabel(
            "Nothing differs: reload theirs and nothing of yours is lost."
            if not differences
            else "Copy what you need from 'Mine', reload theirs, and type it again."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(760, 420)
