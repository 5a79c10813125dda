"""One dialog per status move: it asks only what that move needs, and shows the service's
refusal in place (the dialog stays open so the biller can fix the field)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.domain.adjustment_codes import split_codes
from j3490_desk.domain.claim_lifecycle import SubmissionMethod
from j3490_desk.errors import InvalidInputError, KnownError
from j3490_desk.services import claim_status, claims
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.date_field import DateField

TITLES = {
    "ready": "Mark ready",
    "draft": "Back to draft",
    "submit": "Mark submitted",
    "resubmit": "Mark resubmitted",
    "paid": "Record payment",
    "denied": "Record denial",
    "appeal": "Record appeal",
    "correct": "Correct claim",
    "close": "Close claim",
}


class StatusDialog(QDialog):
    def __init__(
        self,
        data: AppData,
        claim_id: int,
        action: str,
        *,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data, self._claim_id, self.action = data, claim_id, action
        self._today = today or date.today()
        self.setWindowTitle(f"{TITLES[action]}: claim {claim_id}")  # the number, never a name
        self.form = QFormLayout()
        self.day = DateField(self._today)
        self.method = QComboBox()
        for method in SubmissionMethod:
            self.method.addItem(method.value.capitalize(), method.value)
        self.reference = QLineEdit()
        self.proof_path: Path | None = None
        self.proof_label = QLabel("No file chosen")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0.00")
        self.over_billed = QCheckBox("The payer paid more than billed: I checked the remittance")
        self.carc = QLineEdit()
        self.carc.setPlaceholderText("e.g. 16 or 16, 4")
        self.rarc = QLineEdit()
        self.rarc.setPlaceholderText("e.g. M119 N350")
        self.code_help = QLabel()
        self.code_help.setWordWrap(True)
        self.note = QLineEdit()
        self._build_fields()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setAccessibleName("Problem")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(TITLES[action])
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _build_fields(self) -> None:
        if self.action in ("submit", "resubmit"):
            choose = QPushButton("Choose file…")
            choose.clicked.connect(self._choose_proof)
            proof = QHBoxLayout()
            proof.addWidget(self.proof_label, 1)
            proof.addWidget(choose)
            self.form.addRow("Sent on", self.day)
            self.form.addRow("How", self.method)
            self.form.addRow("Reference number", self.reference)
            self.form.addRow("Proof of filing", proof)
        elif self.action == "paid":
            self.form.addRow("Paid on", self.day)
            self.form.addRow("Amount paid", self.amount)
            self.form.addRow("", self.over_billed)
        elif self.action == "denied":
            self.carc.textChanged.connect(self._describe_codes)
            self.rarc.textChanged.connect(self._describe_codes)
            self.form.addRow("Denied on", self.day)
            self.form.addRow("CARC", self.carc)
            self.form.addRow("RARC", self.rarc)
            self.form.addRow("", self.code_help)
            self.form.addRow("Payer's note", self.note)
        elif self.action == "appeal":
            self.form.addRow("Appealed on", self.day)
            self.form.addRow("Reference number", self.reference)
            self.form.addRow("Note", self.note)
        elif self.action in ("draft", "close"):
            self.form.addRow("Note", self.note)
        elif self.action == "correct":
            self.note.setPlaceholderText("e.g. units 10 -> 1 (M123)")
            self.form.addRow(
                QLabel("The claim becomes editable again; resubmit it when corrected.")
            )
            self.form.addRow("What is corrected", self.note)
        else:
            self.form.addRow(QLabel("The claim is checked; with no blockers it becomes ready."))

    def _choose_proof(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Proof of filing", "", "Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
        )
        if path:
            self.set_proof(Path(path))

    def set_proof(self, path: Path) -> None:
        self.proof_path = path
        self.proof_label.setText(path.name)

    def _describe_codes(self) -> None:
        from j3490_desk.services.work_queue import code_descriptions

        names = code_descriptions(self._data)
        lines = [
            f"{code}: {names.get((kind, code), 'not in the code list')}"
            for kind, field in (("CARC", self.carc), ("RARC", self.rarc))
            for code in split_codes(field.text())
        ]
        self.code_help.setText("\n".join(lines))

    def _amount(self) -> Decimal:
        try:
            return Decimal(self.amount.text().replace(",", "").replace("$", "").strip())
        except InvalidOperation as error:
            raise InvalidInputError(
                f"'{self.amount.text()}' is not an amount.", "Type it as on the remittance: 1234.56"
            ) from error

    def apply(self) -> bool:
        """Run the move; on a refusal show why and stay open. True when it was recorded."""
        try:
            self._run()
        except KnownError as error:
            self.message.setText(str(error))
            return False
        self.accept()
        return True

    def _run(self) -> None:
        data, claim_id, day = self._data, self._claim_id, self.day.day("Date")
        if self.action in ("submit", "resubmit"):
            if self.proof_path is None:
                raise InvalidInputError(
                    "Attach the proof of filing.",
                    "The portal confirmation, clearinghouse acceptance report or fax receipt.",
                )
            send = claim_status.submit if self.action == "submit" else claim_status.resubmit
            send(
                data,
                claim_id,
                submitted_on=day,
                method=SubmissionMethod(self.method.currentData()),
                reference_number=self.reference.text(),
                proof=self.proof_path,
                proof_name=self.proof_path.name,
                today=self._today,
            )
        elif self.action == "paid":
            claim_status.record_payment(
                data,
                claim_id,
                amount=self._amount(),
                paid_on=day,
                confirmed_over_billed=self.over_billed.isChecked(),
            )
        elif self.action == "denied":
            claim_status.record_denial(
                data,
                claim_id,
                denied_on=day,
                carc=self.carc.text(),
                rarc=self.rarc.text(),
                note=self.note.text(),
            )
        elif self.action == "appeal":
            claim_status.appeal(
                data, claim_id, appealed_on=day, reference_number=self.reference.text(),
                note=self.note.text(),
            )  # fmt: skip
        elif self.action == "draft":
            claim_status.back_to_draft(data, claim_id, note=self.note.text())
        elif self.action == "close":
            claim_status.close(data, claim_id, note=self.note.text())
        elif self.action == "correct":
            stored = claims.get_claim(data, claim_id)
            claim_status.correct_claim(data, stored, note=self.note.text())
        else:
            claim_status.mark_ready(data, claim_id, today=self._today)
