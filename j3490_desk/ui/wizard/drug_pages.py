"""The steps entered once per drug line: items 1, 2, 3, 5, 6, 7, 8 and 9."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from j3490_desk.domain import claim as domain
from j3490_desk.domain.amounts import dollars
from j3490_desk.services import drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.services.drafts import Assessment
from j3490_desk.ui.date_field import DateField
from j3490_desk.ui.wizard.fields import FieldPage, Spec, enum_choices, with_mnemonic

if TYPE_CHECKING:
    from j3490_desk.services.label_reading import LabelReading
    from j3490_desk.ui.attachments_panel import AttachmentsPanel

UNITS = tuple((u, u) for u in ("mg", "mcg", "g", "mL", "units", "IU"))
ROUTES = tuple(
    (r, r)
    for r in (
        "intravenous",
        "intramuscular",
        "subcutaneous",
        "intradermal",
        "intravitreal",
        "intracavernous",
        "intrathecal",
        "intra-articular",
    )
)
QUALIFIERS = (
    ("", ""),
    ("ML: milliliters", "ML"),
    ("UN: units (each)", "UN"),
    ("GR: grams", "GR"),
    ("ME: milligrams", "ME"),
    ("F2: international units", "F2"),
)
ATTACHMENTS_AVAILABLE = importlib.util.find_spec("j3490_desk.ui.attachments_panel") is not None


class DrugPage(FieldPage):
    """A step about one drug line; `data` answers look-ups, never the widgets themselves."""

    evidence_changed = Signal()  # a file was attached or removed
    item = ""
    attachment_kind = ""  # "invoice", "prescription", "label_photo": files this step proves
    document = ""  # what that file is called in the state line: "invoice", "signed order"

    def __init__(self, data: AppData) -> None:
        self.data = data
        self.attachments: AttachmentsPanel | None = None
        super().__init__()

    def build_bottom(self) -> None:
        # Whether the file is stored, read from the attachments themselves: no tick box can
        # say a file is attached (only a stored attachment proves the item).
        self.evidence_state = QLabel()
        self.evidence_state.setWordWrap(True)
        self.evidence_state.setAccessibleName(f"{self.title}: attached file")
        self.evidence_state.setVisible(bool(self.attachment_kind))
        self.column.addWidget(self.evidence_state)
        self.attachment_box = QVBoxLayout()
        self.column.addLayout(self.attachment_box)

    def load(self, claim: domain.Claim, line: int | None) -> None:
        super().load(claim, line)
        if not self.attachment_kind or not ATTACHMENTS_AVAILABLE:
            return
        if self.attachments is not None:
            self.attachments.deleteLater()
            self.attachments = None
        drug = claim.drug_lines[line or 0]
        if claim.id is None or drug.id is None:
            return  # the wizard saves a new line at once, so this is only a moment
        from j3490_desk.services.attachments import AttachmentKind
        from j3490_desk.ui.attachments_panel import AttachmentsPanel

        self.attachments = AttachmentsPanel(
            self.data,
            claim.id,
            drug_line_id=drug.id,
            default_kind=AttachmentKind(self.attachment_kind),
        )
        self.attachments.setAccessibleName(f"{self.title}: attached files")
        self.attachments.attachments_changed.connect(self._files_changed)
        self.attachments.label_confirmed.connect(self.label_confirmed)
        self.attachment_box.addWidget(self.attachments)
        self._attachments_changed()

    def _files_changed(self) -> None:
        """A file of any kind was attached or removed here (the panel lists the line's every
        file): removing one from a ready claim moved it to draft, which the wizard must learn."""
        self._attachments_changed()
        self.evidence_changed.emit()

    def _attachments_changed(self) -> None:
        """Say which file of this step's kind is stored for the line (or the whole claim)."""
        if self.attachments is None or not self.attachment_kind:
            return
        line_id = self.attachments.drug_line_id
        names = [
            info.original_name or "pasted image"
            for info in self.attachments.attachments()
            if info.kind == self.attachment_kind and info.drug_line_id in (line_id, None)
        ]
        on_file = any(spec.path.endswith(".on_file") for spec in self.specs)
        text = (
            f"{self.document.capitalize()} file attached: {', '.join(names)}."
            if names
            else f"No {self.document} file is attached. Attach it below"
            + (
                "; if only the paper is at hand, tick \u201con file at the clinic\u201d above."
                if on_file
                else "."
            )
        )
        self.evidence_state.setText(text)

    def label_confirmed(self, reading: object) -> None:
        """The clerk confirmed what a label photo says (lot step only)."""


class DrugNamePage(DrugPage):
    item = "1"
    title = "Item 1: the drug and its NDC"
    guidance = (
        "An unclassified code (J3490 and its siblings) does not say which drug was given, so "
        "the payer reads it from the drug's name and its 11-digit NDC. Copy the NDC from the "
        "vial or carton with its hyphens; the package's size lets the app work out the NDC "
        "quantity and the waste."
    )
    specs = (
        Spec("brand_name", "Brand name"),
        Spec("generic_name", "Generic name"),
        Spec("ndc", "NDC (as printed on the label)"),
        Spec("strength", "Strength"),
        Spec("kind", "Kind of drug", "choice", enum_choices(domain.DrugKind)),
        Spec("hcpcs_code", "HCPCS code", "combo"),  # choices follow the place of service
        Spec("billed_units", "Units billed", "amount"),
        Spec("package.amount", "Drug per package", "amount"),
        Spec("package.unit", "Package unit", "combo", UNITS),
        Spec("package.volume_ml", "Package volume (mL)", "amount"),
        Spec("package.container", "Container", "choice", enum_choices(domain.ContainerType)),
        Spec("package.ndc_unit_qualifier", "NDC unit qualifier", "choice", QUALIFIERS),
    )

    def build_top(self) -> None:
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.suggestion.setAccessibleName("Suggested code")
        self.column.addWidget(self.suggestion)

    def build_bottom(self) -> None:
        self.lookup_button = QPushButton(with_mnemonic("Look up in FDA directory", self.mnemonics))
        self.lookup_button.clicked.connect(self.look_up)
        self.fill_button = QPushButton(with_mnemonic("Fill in these names", self.mnemonics))
        self.fill_button.setEnabled(False)
        self.fill_button.clicked.connect(self.fill_from_lookup)
        self.lookup_result = QLabel()
        self.lookup_result.setWordWrap(True)
        self.lookup_result.setAccessibleName("FDA directory result")
        row = QHBoxLayout()
        row.addWidget(self.lookup_button)
        row.addWidget(self.fill_button)
        row.addStretch()
        self.column.addLayout(row)
        self.column.addWidget(self.lookup_result)
        self._found: drafts.NdcFill | None = None
        self._date_of_service: date | None = None

    def load(self, claim: domain.Claim, line: int | None) -> None:
        # Offer the codes that fit the claim's setting before the line's own code is shown
        # (a code typed earlier stays as typed: the check says if it does not fit).
        codes = self.inputs["hcpcs_code"]
        assert isinstance(codes, QComboBox)
        self.loading = True  # refilling the list is no edit by the clerk
        codes.clear()
        for shown, code in drafts.noc_code_choices(claim.place_of_service):
            codes.addItem(shown, code)
        super().load(claim, line)

    def fill_extra(self, claim: domain.Claim, line: int | None) -> None:
        self._date_of_service = claim.date_of_service
        self.lookup_result.clear()
        self.fill_button.setEnabled(False)

    def look_up(self) -> None:
        ndc = self.inputs["ndc"].text()  # type: ignore[attr-defined]
        self._found = drafts.lookup_ndc(self.data, ndc, self._date_of_service)
        self.lookup_result.setText(self._found.summary)
        self.fill_button.setEnabled(self._found.problem is None)

    def fill_from_lookup(self) -> None:
        """The clerk confirmed the directory's names: put them in the fields."""
        found = self._found
        if found is None or found.problem:
            return
        for path, value in (
            ("brand_name", found.brand_name),
            ("generic_name", found.generic_name),
            ("strength", found.strength),
        ):
            self.inputs[path].setText(value)  # type: ignore[attr-defined]
        self.changed.emit()

    def show_assessment(self, assessment: Assessment, line: int | None) -> None:
        super().show_assessment(assessment, line)
        index = line or 0
        if index < len(assessment.suggestions):
            hint = assessment.suggestions[index]
            self.suggestion.setText(f"Suggested code: {hint.code}. {hint.why}")


class InvoicePage(DrugPage):
    item = "2"
    attachment_kind = "invoice"
    document = "invoice"
    title = "Item 2: the purchase invoice"
    guidance = (
        "Most payers price an unclassified drug from what the clinic paid: they want the "
        "supplier's invoice showing the same NDC, the quantity bought and the net price. A "
        "donated drug or free sample cannot be billed."
    )
    specs = (
        Spec(
            "acquisition", "How the drug was obtained", "choice", enum_choices(domain.Acquisition)
        ),
        Spec("invoice.date", "Invoice date", "date"),
        Spec("invoice.supplier", "Supplier"),
        Spec("invoice.number", "Invoice number"),
        Spec("invoice.drug", "Drug as named on the invoice"),
        Spec("invoice.ndc", "NDC on the invoice"),
        Spec("invoice.quantity", "Packages bought", "amount"),
        Spec("invoice.price_paid", "Price paid", "amount"),
        # WAC pricing (domain.md section 8): no CMS file carries it, so the clerk enters it.
        Spec("wac.per_package", "WAC per package (for WAC pricing)", "amount"),
        Spec("wac.source", "WAC from (the invoice, or price list and date)"),
        Spec("charge", "Clinic's charge", "amount"),
        Spec("invoice.on_file", "Paper invoice on file at the clinic, not sent", "bool"),
    )

    def build_bottom(self) -> None:
        self.invoice_offer = QLabel()
        self.invoice_offer.setWordWrap(True)
        self.invoice_offer.setAccessibleName("What the invoice file says")
        self.use_invoice = QPushButton("Fill in from the invoice file")
        self.use_invoice.clicked.connect(self.fill_from_invoice)
        self.invoice_offer.hide()
        self.use_invoice.hide()
        self.column.addWidget(self.invoice_offer)
        self.column.addWidget(self.use_invoice)
        self._offer: tuple[str, str] = ("", "")  # NDC and price read from the invoice
        self._line_ndc = ""
        super().build_bottom()

    def load(self, claim: domain.Claim, line: int | None) -> None:
        self._line_ndc = claim.drug_lines[line or 0].ndc
        super().load(claim, line)

    def _attachments_changed(self) -> None:
        """A text PDF invoice is read for its NDC and price, offered for the fields, and an
        NDC that is not the drug's own is said plainly."""
        super()._attachments_changed()
        from j3490_desk.services import attachments, invoice_text

        pdfs = [
            info
            for info in (self.attachments.attachments() if self.attachments else [])
            if info.kind == "invoice" and info.is_pdf
        ]
        if not pdfs:  # removed, or another line's: nothing left to offer
            self._offer = ("", "")
            self.invoice_offer.hide()
            self.use_invoice.hide()
            return
        invoice = pdfs[-1]
        reading = invoice_text.read_invoice(
            attachments.attachment_bytes(self.data, invoice), name=invoice.original_name
        )
        if not reading.has_text:
            self.invoice_offer.setText("The invoice file is a scan without text: type its values.")
            self.invoice_offer.show()
            return
        ndc = next((n.text for n in reading.ndcs), "")
        price = str(reading.price_paid or "")
        self._offer = (ndc, price)
        shown = dollars(reading.price_paid) if reading.price_paid else "(none found)"
        lines = [f"The invoice file shows NDC {ndc or '(none found)'}, price {shown}."]
        if invoice_text.ndc_matches_line(reading, self._line_ndc) is False:
            lines.append(
                f"⚠ Its NDC is not this drug's NDC ({self._line_ndc}): check that the invoice is "
                "for the vial given; payers deny a mismatch."
            )
        self.invoice_offer.setText("\n".join(lines))
        self.invoice_offer.show()
        self.use_invoice.setVisible(bool(ndc or price))

    def fill_from_invoice(self) -> None:
        ndc, price = self._offer
        for path, value in (("invoice.ndc", ndc), ("invoice.price_paid", price)):
            field = self.inputs[path]
            if value and isinstance(field, QLineEdit):
                field.setText(value)
        self._edited()  # programmatic text emits no textEdited: save like a typed change


class DosePage(DrugPage):
    item = "3"
    title = "Item 3: the dose given"
    guidance = (
        "The payer pays for the amount given, so it needs the dose with its unit, the route "
        "and the date and time, exactly as in the administration record."
    )
    specs = (
        Spec("dose.amount", "Dose given", "amount"),
        Spec("dose.unit", "Dose unit", "combo", UNITS),
        Spec("dose.route", "Route", "combo", ROUTES),
        Spec("dose.administered_at", "Given at", "datetime"),
    )


class PrescriptionPage(DrugPage):
    item = "5"
    attachment_kind = "prescription"
    document = "signed order"
    title = "Item 5: the prescription or order"
    guidance = (
        "A signed order shows the drug was prescribed for this patient: the payer asks for "
        "it on review. Note who ordered it and when, and attach the scan."
    )
    specs = (
        Spec("prescription.prescriber", "Prescriber"),
        Spec("prescription.date", "Order date", "date"),
        Spec("prescription.on_file", "Paper signed order on file at the clinic, not sent", "bool"),
    )


class FdaPage(DrugPage):
    item = "6"
    title = "Item 6: FDA approval"
    guidance = (
        "Payers cover FDA-approved drugs. For an off-label use they want the reason this drug "
        "was chosen and the compendium or published study that supports it."
    )
    specs = (
        Spec("fda.status", "FDA status", "choice", enum_choices(domain.FdaStatus)),
        Spec("fda.off_label", "Used off-label", "bool"),
        Spec("fda.off_label_rationale", "Off-label rationale", "long"),
        Spec("fda.compendium_reference", "Compendium or literature reference"),
    )


class LotPage(DrugPage):
    item = "7"
    attachment_kind = "label_photo"
    document = "label photo"
    title = "Item 7: lot number and expiry"
    guidance = (
        "The lot number ties the dose to the vial (for recalls and audits); an expired lot "
        "must not be billed. Copy both from the vial, or scan its barcode."
    )
    specs = (
        Spec("lot.number", "Lot number"),
        Spec("lot.expiration", "Expiration date", "date"),
    )

    def load(self, claim: domain.Claim, line: int | None) -> None:
        self._ndc = claim.drug_lines[line or 0].ndc  # typed on item 1, not on this step
        super().load(claim, line)
        if self.attachments is not None:
            self.attachments.set_typed_values(self.typed_on_screen)

    def typed_on_screen(self) -> tuple[str, str, date | str | None]:
        """The NDC, and the lot and expiry as they are in the fields now (typed or not yet
        saved); an expiry that is not a date yet is given as its text."""
        number = self.inputs["lot.number"]
        expiry = self.inputs["lot.expiration"]
        assert isinstance(number, QLineEdit) and isinstance(expiry, DateField)
        typed_expiry = expiry.value()
        return (
            self._ndc,
            number.text(),
            typed_expiry if isinstance(typed_expiry, date) else (expiry.text()),
        )

    def label_confirmed(self, reading: object) -> None:
        label = cast("LabelReading", reading)
        number = self.inputs["lot.number"]
        expiry = self.inputs["lot.expiration"]
        assert isinstance(number, QLineEdit) and isinstance(expiry, DateField)
        if label.lot:
            number.setText(label.lot)
        if label.expiry:
            expiry.set_value(label.expiry)
        self.changed.emit()


class WastePage(DrugPage):
    item = "8"
    _waste_before: Decimal | None = None  # the amount last loaded or typed
    title = "Item 8: waste"
    guidance = (
        "What is left in a single-dose vial and thrown away can be billed, on its own line "
        "with the JW modifier; when nothing is discarded, Medicare wants JZ. Enter the amount "
        "discarded and why; the app picks JW or JZ from it."
    )
    specs = (
        Spec("waste.amount", "Amount discarded", "amount"),
        Spec("waste.reason", "Reason"),
        Spec("modifiers", "Modifiers", "modifiers"),
    )

    def apply_extra(self, claim: domain.Claim, line: int | None) -> domain.Claim:
        index = line or 0
        before = self._waste_before
        drug = claim.drug_lines[index]
        self._waste_before = drug.waste.amount
        if drug.waste.amount == before:
            return claim  # the clerk's own modifier choice stands
        expected = drafts.expected_modifier(claim, index, self.data)
        modifiers = drafts.with_waste_modifier(drug.modifiers, expected)
        self.inputs["modifiers"].setText(" ".join(modifiers))  # type: ignore[attr-defined]
        lines = list(claim.drug_lines)
        lines[index] = replace(drug, modifiers=modifiers)
        return replace(claim, drug_lines=tuple(lines))

    def fill_extra(self, claim: domain.Claim, line: int | None) -> None:
        self._waste_before = claim.drug_lines[line or 0].waste.amount


class AdministrationPage(DrugPage):
    item = "9"
    title = "Item 9: administration times"
    guidance = (
        "Infusion codes are paid by time, so the payer needs the start and stop times from "
        "the infusion record. Leave them empty for an injection."
    )
    specs = (
        Spec("administration.start", "Start", "datetime"),
        Spec("administration.end", "End", "datetime"),
        Spec("administration.cpt_code", "Administration code (CPT)"),
    )


DRUG_PAGES: tuple[type[DrugPage], ...] = (
    DrugNamePage,
    InvoicePage,
    DosePage,
    PrescriptionPage,
    FdaPage,
    LotPage,
    WastePage,
    AdministrationPage,
)
