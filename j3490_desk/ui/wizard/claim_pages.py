"""The steps entered once per claim: the header, item 4 (medical necessity), item 10."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel

from j3490_desk.domain import claim as domain
from j3490_desk.services import drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.services.drafts import Assessment
from j3490_desk.ui.wizard.fields import FieldPage, Spec, enum_choices, with_mnemonic

PLACES = tuple(
    (f"{p.value} {p.name.replace('_', ' ').lower()}", p.value) for p in domain.PlaceOfService
)


class ClaimPage(FieldPage):
    scope = "claim"

    def __init__(self, data: AppData) -> None:
        self.data = data
        super().__init__()


# A patient is stored by name: without one, what was typed about them is not kept.
_NAME_FIRST = "⚠ Type the patient's name: without it the date of birth and member ID are not saved."


class HeaderPage(ClaimPage):
    title = "Claim header"
    guidance = (
        "Who was treated, who pays, who gave the drug, and when and where. Pick saved "
        "patients, payers and providers from the lists, or type a new one: it is saved with "
        "the claim. Some payers require prior authorization for unlisted drugs; record its "
        "status and number here. Dates are year-month-day: type 2026-04-14 or 20260414."
    )
    patient_specs = (
        Spec("patient.name", "Patient name"),
        Spec("patient.date_of_birth", "Date of birth", "date"),
        Spec("patient.member_id", "Member ID"),
    )
    payer_specs = (
        Spec("payer.name", "Payer name"),
        Spec("payer.kind", "Payer type", "choice", enum_choices(domain.PayerKind)),
    )
    visit_specs = (
        Spec("date_of_service", "Date of service", "date", required_date=True),
        Spec("place_of_service", "Place of service", "choice", PLACES),
        Spec(
            "prior_auth.status",
            "Prior authorization",
            "choice",
            enum_choices(domain.PriorAuthStatus),
        ),
        Spec("prior_auth.number", "Authorization number"),
        Spec("prior_auth.valid_from", "Authorized from", "date"),
        Spec("prior_auth.valid_to", "Authorized to", "date"),
    )
    specs = patient_specs + payer_specs + visit_specs

    def add_fields(self) -> None:
        # Each picker sits right above the fields it fills, so Tab follows the form.
        self.patient_picker = self._picker("Saved patient")
        self.patient_picker.activated.connect(self._patient_picked)
        for spec in self.patient_specs:
            self.add_field(spec)
        self.payer_picker = self._picker("Saved payer")
        self.payer_picker.activated.connect(self._payer_picked)
        for spec in self.payer_specs:
            self.add_field(spec)
        self.provider_picker = self._picker("Rendering provider")
        self.provider_picker.activated.connect(self._provider_picked)
        for spec in self.visit_specs:
            self.add_field(spec)
        self._patients: list[domain.Patient] = []
        self._payers: list[domain.Payer] = []
        self._providers: list[domain.Provider] = []
        self._picked_provider: domain.Provider | None = None
        self._picked_payer: domain.Payer | None = None

    def _picker(self, label: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(label)
        shown = QLabel(with_mnemonic(label, self.mnemonics))
        shown.setBuddy(combo)
        self.form.addRow(shown, combo)
        return combo

    def fill_extra(self, claim: domain.Claim, line: int | None) -> None:
        self._patients = drafts.saved_patients(self.data)
        self._payers = drafts.saved_payers(self.data)
        self._providers = drafts.saved_providers(self.data)
        self._fill_picker(self.patient_picker, self._patients, claim.patient, "New: type below")
        self._fill_picker(self.payer_picker, self._payers, claim.payer, "New: type below")
        self._fill_picker(self.provider_picker, self._providers, claim.provider, "None")
        self._picked_provider = None
        self._picked_payer = None

    @staticmethod
    def _fill_picker(combo: QComboBox, saved: list[Any], current: Any, empty: str) -> None:
        # Items carry an index into the saved list: Qt keeps plain ints, not Python objects.
        combo.clear()
        combo.addItem(empty, -1)
        for index, record in enumerate(saved):
            extra = getattr(record, "credentials", "")
            combo.addItem(f"{record.name}, {extra}" if extra else record.name, index)
        names = [record.name for record in saved]
        exact = [index for index, record in enumerate(saved) if record == current]
        if exact:  # of two saved records with one name, the claim's own
            combo.setCurrentIndex(exact[0] + 1)
        else:
            combo.setCurrentIndex(names.index(current.name) + 1 if current.name in names else 0)

    @staticmethod
    def _picked(combo: QComboBox, saved: list[Any], index: int) -> Any:
        position = combo.itemData(index)
        return saved[position] if isinstance(position, int) and position >= 0 else None

    def _patient_picked(self, index: int) -> None:
        patient = self._picked(self.patient_picker, self._patients, index)
        if patient is None:
            return
        self.loading = True
        self.inputs["patient.name"].setText(patient.name)  # type: ignore[attr-defined]
        self.inputs["patient.member_id"].setText(patient.member_id)  # type: ignore[attr-defined]
        self._show_value(self.patient_specs[1], patient.date_of_birth, None)
        self.loading = False
        self.changed.emit()

    def _payer_picked(self, index: int) -> None:
        payer = self._picked(self.payer_picker, self._payers, index)
        if payer is None:
            return
        self._picked_payer = payer
        self.loading = True
        self.inputs["payer.name"].setText(payer.name)  # type: ignore[attr-defined]
        kind = self.inputs["payer.kind"]
        assert isinstance(kind, QComboBox)
        kind.setCurrentIndex(kind.findData(payer.kind.value))
        self.loading = False
        self.changed.emit()

    def _provider_picked(self, index: int) -> None:
        self._picked_provider = self._picked(self.provider_picker, self._providers, index)
        if self._picked_provider is not None:
            self.changed.emit()

    def apply_extra(self, claim: domain.Claim, line: int | None) -> domain.Claim:
        patient = claim.patient
        if not patient.name and (patient.date_of_birth or patient.member_id):
            self.local_messages["patient.name"] = _NAME_FIRST
        elif self.local_messages.get("patient.name") == _NAME_FIRST:
            del self.local_messages["patient.name"]
        # A saved payer brings its pricing and filing settings: the one picked, else the first
        # of that name; never over settings the claim already shares with a saved payer of
        # that name (two may share a name: an import keeps a file's own settings).
        picked, self._picked_payer = self._picked_payer, None
        same_name = [payer for payer in self._payers if payer.name == claim.payer.name]
        current = [
            payer for payer in same_name if replace(payer, kind=claim.payer.kind) == claim.payer
        ]
        chosen = picked if picked is not None and picked.name == claim.payer.name else None
        if chosen is None and same_name and not current:
            chosen = same_name[0]
        if chosen is not None:
            claim = replace(claim, payer=replace(chosen, kind=claim.payer.kind))
        if self._picked_provider is not None:
            claim = replace(claim, provider=self._picked_provider)
            self._picked_provider = None
        return claim


class NecessityPage(ClaimPage):
    title = "Item 4: medical necessity"
    guidance = (
        "The payer pays only for a drug the patient needed. Give the ICD-10-CM diagnosis "
        "codes (the app shows each code's description), what was tried before and why it "
        "failed or could not be used, and how this drug treats the condition. This is "
        "entered once for the whole claim."
    )
    specs = (
        Spec("medical_necessity.icd10_codes", "ICD-10-CM codes", "codes"),
        Spec("medical_necessity.prior_treatments", "Treatments tried before", "long"),
        Spec("medical_necessity.why_standard_failed", "Why they failed", "long"),
        Spec("medical_necessity.rationale", "How this drug treats the condition", "long"),
    )

    def build_bottom(self) -> None:
        self.descriptions = QLabel()
        self.descriptions.setWordWrap(True)
        self.descriptions.setAccessibleName("Diagnosis descriptions")
        self.form.insertRow(1, "", self.descriptions)

    def show_assessment(self, assessment: Assessment, line: int | None) -> None:
        super().show_assessment(assessment, line)
        codes = self.inputs["medical_necessity.icd10_codes"].text()  # type: ignore[attr-defined]
        self.descriptions.setText("\n".join(drafts.diagnosis_lines(codes)))


class ProviderPage(ClaimPage):
    title = "Item 10: the provider"
    guidance = (
        "The rendering provider's NPI identifies who gave the drug; a mistyped NPI gets the "
        "claim rejected before anyone reads it. Their credentials (MD, DO, NP) show they may "
        "order it. Pick the provider on the header step, or correct them here."
    )
    specs = (
        Spec("provider.name", "Provider name"),
        Spec("provider.credentials", "Credentials"),
        Spec("provider.npi", "NPI"),
    )
