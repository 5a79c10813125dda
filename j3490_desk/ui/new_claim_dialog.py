"""New claim: who, which payer, which provider, when and where. Saved at once as a draft."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.domain import claim as domain
from j3490_desk.errors import InvalidInputError
from j3490_desk.models import Payer, Provider
from j3490_desk.services import claims, records
from j3490_desk.services.app_data import AppData


def _date_edit(value: date, label: str) -> QDateEdit:
    edit = QDateEdit(QDate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")  # one unambiguous format, whatever the locale
    edit.setAccessibleName(label)
    return edit


class NewClaimDialog(QDialog):
    def __init__(self, data: AppData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New claim")
        self._data = data
        self.claim_id: int | None = None
        self.patient_name = QLineEdit()
        self.patient_name.setMaxLength(120)
        self.patient_dob = _date_edit(date(1970, 1, 1), "Patient date of birth")
        self.member_id = QLineEdit()
        self.member_id.setMaxLength(40)
        self.payer = QComboBox()
        self.provider = QComboBox()
        for payer in records.list_records(data, Payer):
            self.payer.addItem(payer.name, payer)
        for provider in records.list_records(data, Provider):
            self.provider.addItem(f"{provider.name}, {provider.credentials}", provider)
        self.date_of_service = _date_edit(date.today(), "Date of service")
        self.place = QComboBox()
        for place in domain.PlaceOfService:
            self.place.addItem(f"{place.value} {place.name.replace('_', ' ').lower()}", place)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (
            ("Patient name", self.patient_name),
            ("Patient date of birth", self.patient_dob),
            ("Member ID", self.member_id),
            ("Payer", self.payer),
            ("Rendering provider", self.provider),
            ("Date of service", self.date_of_service),
            ("Place of service", self.place),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not self.payer.count() or not self.provider.count():
            layout.addWidget(
                QLabel("Tip: add your payers and providers once in Settings; then pick them here.")
            )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> None:
        name = self.patient_name.text().strip()
        if not name:
            self.message.setText("Type the patient's name (as on their insurance card).")
            return
        payer = self.payer.currentData()
        provider = self.provider.currentData()
        claim = domain.Claim(
            patient=domain.Patient(
                name=name,
                date_of_birth=self.patient_dob.date().toPython(),
                member_id=self.member_id.text().strip(),
            ),
            payer=domain.Payer(name=payer.name, kind=domain.PayerKind(payer.kind))
            if payer
            else domain.Payer(name=""),
            provider=domain.Provider(
                name=provider.name, credentials=provider.credentials, npi=provider.npi
            )
            if provider
            else domain.Provider(name=""),
            date_of_service=self.date_of_service.date().toPython(),
            place_of_service=self.place.currentData(),
        )
        try:
            self.claim_id = claims.create_claim(self._data, claim)
        except InvalidInputError as error:
            self.message.setText(str(error))
            return
        self.accept()
