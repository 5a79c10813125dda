"""File > Import remittance (835)…: what the payer's file would post, shown before anything
is posted (services.remittance.preview_remittance), then posted when the clerk confirms."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.errors import KnownError
from j3490_desk.services import remittance
from j3490_desk.services.app_data import AppData
from j3490_desk.services.remittance import ClaimResult, ImportResult

# What each result will be, in the preview's words
WILL = {
    ClaimResult.POSTED: "will be posted",
    ClaimResult.REVERSED: "will be reversed",
    ClaimResult.ALREADY_POSTED: "already posted: nothing to do",
    ClaimResult.UNMATCHED: "matches no claim: not posted",
    ClaimResult.NOT_POSTED: "not posted: see the problems",
}
COLUMNS = ("Claim", "Payer's claim number", "Result", "Payer's decision", "Charged", "Paid",
           "Patient owes", "Codes")  # fmt: skip


class RemittanceDialog(QDialog):
    def __init__(
        self, data: AppData, path: Path, preview: ImportResult, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._data, self._path = data, path
        self.posted: ImportResult | None = None
        self.setWindowTitle(f"Import remittance: {path.name}")
        self.resize(960, 480)
        layout = QVBoxLayout(self)
        counts = (
            f"{len(preview.posted)} claim(s) to post, {len(preview.reversed)} to reverse, "
            f"{len(preview.already_posted)} already posted, {len(preview.unmatched)} matching "
            "no claim. Nothing is posted until you click Post."
        )
        layout.addWidget(QLabel(counts))
        self.table = QTableWidget(len(preview.claims), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, line in enumerate(preview.claims):
            cells = (
                str(line.claim_id) if line.claim_id else "-",
                line.claim_number,
                WILL[line.result],
                line.outcome,
                f"{line.charged:,.2f}",
                f"{line.paid:,.2f}",
                f"{line.patient_responsibility:,.2f}",
                "; ".join(line.codes),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == len(cells) - 1 and line.described:
                    item.setToolTip("\n".join(line.described))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        self.problems = QLabel(
            "\n".join(f"{p.segment}: {p.message}" for p in preview.problems) or "No problems."
        )
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.post_button: QPushButton = buttons.addButton(
            "Post", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.post_button.setEnabled(bool(preview.posted or preview.reversed))
        buttons.accepted.connect(self.post)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def post(self) -> None:
        """Post the file; a refusal stays in the dialog, and nothing was posted then."""
        try:
            self.posted = remittance.import_remittance(self._data, self._path)
        except KnownError as error:
            self.message.setText(str(error))
            return
        self.accept()
