"""Settings: the clinic, its payers and providers (typed once, picked on every claim)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from j3490_desk.domain.claim import PayerKind, PricingPolicy
from j3490_desk.errors import InvalidInputError
from j3490_desk.models import ClinicSettings, Payer, Provider
from j3490_desk.services import recheck, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.reference import ImportOutcome
from j3490_desk.services.shared_database import database_in_use
from j3490_desk.ui.field_message import FieldMessage
from j3490_desk.ui.record_editor import FieldSpec, RecordEditor
from j3490_desk.ui.reference_page import ReferencePage
from j3490_desk.ui.security_page import SecurityPage
from j3490_desk.ui.shared_database_page import SharedDatabasePage

PAYER_FIELDS = (
    FieldSpec("name", "Payer name"),
    FieldSpec(
        "kind",
        "Payer type",
        "choice",
        (
            (PayerKind.MEDICARE.value, "Medicare"),
            (PayerKind.MEDICAID.value, "Medicaid"),
            (PayerKind.COMMERCIAL.value, "Commercial"),
        ),
    ),
    FieldSpec("timely_filing_days", "Timely filing limit (days; 0 = payer-type default)", "int"),
    FieldSpec(
        "pricing_policy",
        "How they price unlisted drugs",
        "choice",
        (
            (PricingPolicy.INVOICE_MARKUP.value, "Invoice cost plus markup"),
            (PricingPolicy.ASP.value, "CMS payment limit (ASP)"),
            (PricingPolicy.WAC.value, "Wholesale acquisition cost (WAC)"),
        ),
    ),
    FieldSpec("markup_percent", "Markup over invoice or WAC (%)", "decimal"),
    FieldSpec("prior_auth_required", "Requires prior authorization for unlisted drugs", "bool"),
    FieldSpec("narrative_profile", "Claim narrative profile (e.g. wps, palmetto, generic)"),
    FieldSpec("ndc_quantity_decimals", "Decimals allowed in the NDC quantity", "int"),
    FieldSpec("address", "Mailing address (street, city, state ZIP)"),
    FieldSpec("fax", "Fax"),
    FieldSpec("payer_id", "Electronic payer ID (837P)"),
    FieldSpec("pwk_report_type", "PWK report type for the packet (04 drugs administered)"),
)

PROVIDER_FIELDS = (
    FieldSpec("name", "Provider name"),
    FieldSpec("credentials", "Credentials (MD, DO, NP, PA)"),
    FieldSpec("npi", "NPI (10 digits)"),
)


class ClinicPage(QWidget):
    FIELDS = (
        ("name", "Clinic name"),
        ("address", "Address (street, city, state ZIP)"),
        ("phone", "Phone"),
        ("fax", "Fax"),
        ("group_npi", "Group NPI (10 digits)"),
        ("tax_id", "Tax ID (EIN, 9 digits)"),
    )
    # The billing provider and submitter of the 837P, after the clinic's own settings.
    SUBMITTER_FIELDS = (
        ("taxonomy", "Provider taxonomy code"),
        ("city", "City (837P)"),
        ("state", "State, 2 letters (837P)"),
        ("zip", "ZIP+4, 9 digits (837P)"),
        ("submitter_id", "Clearinghouse submitter ID"),
        ("submitter_contact", "Submitter contact name"),
        ("receiver_id", "Clearinghouse receiver ID"),
        ("receiver_name", "Clearinghouse name"),
        ("usage", "Usage: T test, P production"),
    )

    def __init__(self, data: AppData) -> None:
        super().__init__()
        self._data = data
        self._settings = records.get_settings(data)
        form = QFormLayout(self)
        self.inputs: dict[str, QLineEdit] = {}
        self.messages: dict[str, FieldMessage] = {}
        for name, label in self.FIELDS:
            self._add_line(form, name, label)
        self.retention = QSpinBox()
        self.retention.setRange(1, 30)
        self.retention.setValue(self._settings.retention_years)
        self.retention.setAccessibleName("Keep records for (years)")
        form.addRow("Keep records for (years)", self.retention)
        self.auto_lock = self._spin(
            "Lock the window after this many idle minutes (0 = never)",
            0,
            240,
            self._settings.auto_lock_minutes,
            form,
        )
        self.backup_folder = QLineEdit(self._settings.backup_folder)
        self.backup_folder.setAccessibleName("Daily backup folder")
        self.backup_folder.setPlaceholderText("empty: no automatic backups")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._pick_backup_folder)
        row = QHBoxLayout()
        row.addWidget(self.backup_folder)
        row.addWidget(browse)
        form.addRow("Daily backup folder", row)
        self.backup_keep = self._spin(
            "Automatic backups to keep", 1, 365, self._settings.backup_keep, form
        )
        for name, label in self.SUBMITTER_FIELDS:
            self._add_line(form, name, label)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton("&Save clinic")
        self.save_button.clicked.connect(self.save)
        form.addRow(self.status)
        form.addRow(self.save_button)

    def _add_line(self, form: QFormLayout, name: str, label: str) -> None:
        line = QLineEdit(str(getattr(self._settings, name)))
        line.setAccessibleName(label)
        line.setMaxLength(200)
        self.inputs[name] = line
        check = records.SETTINGS_CHECKS.get(name)
        if check is None:
            form.addRow(label, line)
            return
        message = FieldMessage(f"{label}: message")
        message.setStyleSheet("color: #b00020;")
        line.textChanged.connect(lambda text, m=message, c=check: m.show_message(c(text) or ""))
        self.messages[name] = message
        cell = QVBoxLayout()
        cell.setSpacing(2)
        cell.addWidget(line)
        cell.addWidget(message)
        form.addRow(label, cell)

    @staticmethod
    def _spin(label: str, low: int, high: int, value: int, form: QFormLayout) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setAccessibleName(label)
        form.addRow(label, spin)
        return spin

    def _pick_backup_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Daily backup folder", self.backup_folder.text()
        )
        if folder:
            self.backup_folder.setText(folder)

    def save(self) -> bool:
        settings = self._settings.model_copy(
            update={name: line.text().strip() for name, line in self.inputs.items()}
            | {
                "retention_years": self.retention.value(),
                "auto_lock_minutes": self.auto_lock.value(),
                "backup_folder": self.backup_folder.text().strip(),
                "backup_keep": self.backup_keep.value(),
            }
        )
        for name, problem in records.field_problems(settings, records.SETTINGS_CHECKS).items():
            self.messages[name].show_message(problem)
        try:
            records.save_settings(self._data, ClinicSettings.model_validate(settings.model_dump()))
        except InvalidInputError as error:
            self.status.setText(str(error))
            return False
        self.status.setText("Saved.")
        return True


class SettingsDialog(QDialog):
    def __init__(self, data: AppData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.resize(820, 560)
        self.tabs = QTabWidget()
        self.clinic = ClinicPage(data)
        self.payers = RecordEditor(data, Payer, PAYER_FIELDS)
        self.providers = RecordEditor(data, Provider, PROVIDER_FIELDS)
        self.tabs.addTab(self.clinic, "&Clinic")
        self.tabs.addTab(self.payers, "&Payers")
        self.tabs.addTab(self.providers, "P&roviders")
        self.reference = ReferencePage(data.reference)
        self.reference.import_finished.connect(self._recheck_claims)
        self.tabs.addTab(self.reference, "Reference &data")
        self.shared_database = SharedDatabasePage(data.paths.root, database_in_use(data))
        self.tabs.addTab(self.shared_database, "Dat&a")
        self.security = SecurityPage(data)
        self.tabs.addTab(self.security, "&Security")
        self._data = data
        self.recheck_box: QMessageBox | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _recheck_claims(self, outcomes: list[ImportOutcome]) -> None:
        """A new quarter took effect: list unsubmitted claim lines that now have their own code."""
        summaries = [outcome.summary for outcome in outcomes if outcome.summary is not None]
        hits = [
            hit
            for start in recheck.new_quarter_starts(summaries)
            for hit in recheck.recheck_unsubmitted(self._data, start)
        ]
        if not hits:
            return
        lines = "\n".join(
            f"Claim {hit.line.claim_id}, drug {hit.line.line_index + 1} "
            f"(NDC {hit.line.ndc11}, served {hit.line.date_of_service}): "
            f"now {', '.join(m.code for m in hit.mappings)}"
            for hit in hits
        )
        self.recheck_box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Claims to recode",
            "With the new quarter's files, these drugs have their own HCPCS code on their date "
            "of service. Billing J3490 for them will be denied; open each claim and change the "
            f"code.\n\n{lines}",
            QMessageBox.StandardButton.Ok,
            self,
        )
        self.recheck_box.open()
