"""The claim as the billing rules see it: plain, immutable data, no database and no Qt.

The store, the JSON interchange format, the wizard and the packet all convert to and from
these classes, so every rule in this package reads one shape. Item numbers refer to the ten
documentation items (see DEVELOPERS.md); claim-level items (4 and 10) live on `Claim`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class PayerKind(enum.StrEnum):
    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"


class PricingPolicy(enum.StrEnum):
    """How the payer prices an unclassified drug line (domain.md section 8)."""

    INVOICE_MARKUP = "invoice_markup"  # invoice cost plus the payer's markup percentage
    ASP = "asp"  # CMS payment limit (ASP + 6%, already included in the file) x billing units
    WAC = "wac"  # new drugs without ASP: WAC + the add-on (Medicare: the contractor's figure)


class PriorAuthStatus(enum.StrEnum):
    NOT_REQUESTED = "not_requested"
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


class ClaimStatus(enum.StrEnum):
    DRAFT = "draft"
    READY = "ready"
    SUBMITTED = "submitted"
    PAID = "paid"
    DENIED = "denied"
    CORRECTED = "corrected"
    APPEALED = "appealed"
    RESUBMITTED = "resubmitted"
    CLOSED = "closed"


class PlaceOfService(enum.StrEnum):
    """CMS place-of-service codes a J3490 claim meets most (CMS POS code set)."""

    OFFICE = "11"
    HOME = "12"
    ON_CAMPUS_OUTPATIENT_HOSPITAL = "22"
    AMBULATORY_SURGICAL_CENTER = "24"
    OFF_CAMPUS_OUTPATIENT_HOSPITAL = "19"
    FQHC = "50"
    RHC = "72"
    INDEPENDENT_CLINIC = "49"


class DrugKind(enum.StrEnum):
    """What kind of drug this is; it decides which NOC code fits (domain.md section 6)."""

    DRUG = "drug"
    BIOLOGIC = "biologic"
    ANTINEOPLASTIC = "antineoplastic"
    COMPOUNDED = "compounded"


class ContainerType(enum.StrEnum):
    SINGLE_DOSE = "single_dose"
    MULTI_DOSE = "multi_dose"


class Acquisition(enum.StrEnum):
    PURCHASED = "purchased"
    DONATED = "donated"
    FREE_SAMPLE = "free_sample"


class FdaStatus(enum.StrEnum):
    APPROVED = "approved"  # NDA, ANDA, BLA, NDA AUTHORIZED GENERIC
    UNAPPROVED = "unapproved"
    INVESTIGATIONAL = "investigational"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Patient:
    name: str
    date_of_birth: date | None = None
    member_id: str = ""


@dataclass(frozen=True)
class Payer:
    name: str
    kind: PayerKind = PayerKind.COMMERCIAL
    timely_filing_days: int | None = None  # None: the published default for the kind
    pricing_policy: PricingPolicy = PricingPolicy.INVOICE_MARKUP
    markup_percent: Decimal = Decimal("0")
    prior_auth_required: bool = False  # for unlisted (NOC) drugs
    narrative_profile: str = "generic"  # key into domain.narrative profiles
    ndc_quantity_decimals: int = 3  # NUCC allows 3; some payers cap at 2 (domain.md section 2)
    address: str = ""
    fax: str = ""


@dataclass(frozen=True)
class Provider:
    """Item 10: the rendering provider."""

    name: str
    credentials: str = ""  # e.g. "MD", "DO", "NP"
    npi: str = ""


@dataclass(frozen=True)
class PriorAuthorization:
    status: PriorAuthStatus = PriorAuthStatus.NOT_REQUESTED
    number: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class MedicalNecessity:
    """Item 4, entered once per claim."""

    icd10_codes: tuple[str, ...] = ()
    prior_treatments: str = ""  # what was tried before
    why_standard_failed: str = ""  # why those treatments failed or are contraindicated
    rationale: str = ""  # how this drug treats the condition


@dataclass(frozen=True)
class Package:
    """What one package (the NDC's unit of sale) holds: e.g. a 10 mL vial of 100 mg."""

    amount: Decimal | None = None  # drug content per package, in `unit`
    unit: str = ""  # mg, mcg, g, mL, L, units, IU
    volume_ml: Decimal | None = None  # liquid volume per package, when the NDC is billed in mL
    container: ContainerType = ContainerType.SINGLE_DOSE
    ndc_unit_qualifier: str = ""  # F2, GR, ME, ML, UN: how the NDC quantity is counted


@dataclass(frozen=True)
class Invoice:
    """Item 2: the purchase invoice."""

    date: date | None = None
    supplier: str = ""
    number: str = ""
    drug: str = ""
    ndc: str = ""  # as printed on the invoice
    quantity: Decimal | None = None  # packages bought
    price_paid: Decimal | None = None  # total paid for `quantity` packages
    # What a claim file states; never proof: only a stored attachment is (domain.evidence).
    attached: bool = False
    on_file: bool = False  # the clerk: the paper invoice is kept at the clinic, not sent


@dataclass(frozen=True)
class Wac:
    """The wholesale acquisition cost the clerk read, for WAC pricing (domain.md section 8).

    CMS files carry no WAC: it comes from the invoice's WAC column or a price list (e.g. Red
    Book), and `source` says which, with its date, so the packet can name it.
    """

    per_package: Decimal | None = None
    source: str = ""


@dataclass(frozen=True)
class Dose:
    """Item 3: what was given."""

    amount: Decimal | None = None
    unit: str = ""
    route: str = ""  # IV, IM, SC, ID, intravitreal, ...
    administered_at: datetime | None = None


@dataclass(frozen=True)
class Prescription:
    """Item 5: the order."""

    prescriber: str = ""
    date: date | None = None
    attached: bool = False  # what a claim file states; never proof (domain.evidence)
    on_file: bool = False  # the clerk: the signed order is kept at the clinic, not sent


@dataclass(frozen=True)
class FdaApproval:
    """Item 6."""

    status: FdaStatus = FdaStatus.UNKNOWN
    off_label: bool = False
    off_label_rationale: str = ""
    compendium_reference: str = ""  # compendium or peer-reviewed literature supporting the use


@dataclass(frozen=True)
class Lot:
    """Item 7."""

    number: str = ""
    expiration: date | None = None


@dataclass(frozen=True)
class Waste:
    """Item 8: the amount discarded, in the dose's unit."""

    amount: Decimal | None = None
    reason: str = ""


@dataclass(frozen=True)
class Administration:
    """Item 9: infusion start and end, and the administration code billed with the drug."""

    start: datetime | None = None
    end: datetime | None = None
    cpt_code: str = ""  # 96365, 96372, ...


@dataclass(frozen=True)
class DrugLine:
    """One drug on the claim, with items 1-3 and 5-9. A compound of three drugs is three lines."""

    brand_name: str = ""
    generic_name: str = ""
    ndc: str = ""  # as entered or scanned; normalised by domain.ndc
    strength: str = ""  # e.g. "10 mg/mL", for the narrative
    kind: DrugKind = DrugKind.DRUG
    hcpcs_code: str = "J3490"
    modifiers: tuple[str, ...] = ()
    billed_units: Decimal = Decimal("1")
    charge: Decimal | None = None
    acquisition: Acquisition = Acquisition.PURCHASED
    package: Package = field(default_factory=Package)
    invoice: Invoice = field(default_factory=Invoice)
    wac: Wac = field(default_factory=Wac)
    dose: Dose = field(default_factory=Dose)
    prescription: Prescription = field(default_factory=Prescription)
    fda: FdaApproval = field(default_factory=FdaApproval)
    lot: Lot = field(default_factory=Lot)
    waste: Waste = field(default_factory=Waste)
    administration: Administration = field(default_factory=Administration)
    id: int | None = None  # the store's id; attachments hang on it, so it survives edits


@dataclass(frozen=True)
class Claim:
    patient: Patient
    payer: Payer
    provider: Provider
    date_of_service: date
    place_of_service: PlaceOfService = PlaceOfService.OFFICE
    prior_auth: PriorAuthorization = field(default_factory=PriorAuthorization)
    medical_necessity: MedicalNecessity = field(default_factory=MedicalNecessity)
    drug_lines: tuple[DrugLine, ...] = ()
    status: ClaimStatus = ClaimStatus.DRAFT
    submitted_on: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class HcpcsMapping:
    """A specific HCPCS code the CMS crosswalk gives an NDC, and the quarter it takes effect."""

    code: str
    effective_from: date
    effective_to: date | None = None
    billing_units_per_package: Decimal | None = None
    payment_limit: Decimal | None = None  # CMS payment limit per billing unit
    hcpcs_dosage: str = ""  # e.g. "10 MG": what one billing unit is


@dataclass(frozen=True)
class HcpcsDescriptor:
    """A HCPCS code whose long descriptor names the drug (CMS HCPCS Level II file)."""

    code: str
    long_description: str


@dataclass(frozen=True)
class NocPricing:
    """How Medicare prices an NDC that has no code of its own (CMS NOC crosswalk + pricing)."""

    generic_name: str
    dosage: str  # what the payment limit is per, e.g. "1 UNIT"
    billing_units_per_package: Decimal | None
    payment_limit: Decimal | None  # per `dosage`; already ASP + 6% (domain.md section 8)
    quarter: str


@dataclass(frozen=True)
class DrugFacts:
    """What the reference data (FDA NDC Directory, CMS files) says about one 11-digit NDC.

    The reference layer builds these; the rules only read them, so the rules stay
    free of any database.
    """

    ndc11: str
    found: bool = True
    proprietary_name: str = ""
    nonproprietary_name: str = ""
    dosage_form: str = ""
    route: str = ""
    marketing_category: str = ""
    fda_approved: bool | None = None
    oral: bool | None = None
    end_marketing_date: date | None = None
    start_marketing_date: date | None = None  # C9399: approved before 2004 if marketed before
    package_description: str = ""  # e.g. "1 SYRINGE in 1 CARTON": hints at self-administration
    excluded: bool = False
    specific_hcpcs: tuple[HcpcsMapping, ...] = ()
    # Codes the crosswalk gives other packages of the same product (labeler + product code)
    # on the date of service: a code names the drug, not the package size (issue 19).
    product_hcpcs: tuple[HcpcsMapping, ...] = ()
    # HCPCS codes whose long descriptor names the drug's generic name (domain.md section 13:
    # a second signal, matched by name).
    descriptor_codes: tuple[HcpcsDescriptor, ...] = ()
    noc_pricing: NocPricing | None = None
    # OPPS Addendum B status indicator by HCPCS code for the date of service; None when no
    # Addendum B covering it is loaded. Shared and read-only, so kept out of repr/compare.
    opps_status: Mapping[str, str] | None = field(default=None, repr=False, compare=False)
    # Facts for an unhyphenated 10-digit NDC are keyed by its digits. With exactly one
    # reading listed, `ndc11` is that reading; otherwise `found` is False and this holds the
    # readings the files list (several, or none).
    directory_readings: tuple[str, ...] = ()
