"""The claim wizard's use cases, Qt-free: start and save a draft, where the clerk left off,
the messages shown next to each field, the checklist, the review, and "mark ready".

Every message comes from the rules in `j3490_desk.domain`; this module only decides which
field or step a finding belongs to, so the wizard pages never run a rule themselves.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from j3490_desk.domain import claim as domain
from j3490_desk.domain.billing import BilledLine, bill_lines
from j3490_desk.domain.deadlines import FilingDeadline, filing_deadline
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.icd10 import icd10_syntax_problem, lookup_icd10, normalize_icd10
from j3490_desk.domain.ndc import NdcError, ndc_candidates
from j3490_desk.domain.noc_code import CodeSuggestion, facts_for_line, suggest_code
from j3490_desk.domain.payer_profiles import profile_for
from j3490_desk.domain.pricing import PriceBreakdown, PricingError, price_claim
from j3490_desk.domain.units import UnitError, dose_package_problem
from j3490_desk.domain.waste import billing_unit_for, expected_waste_modifier
from j3490_desk.errors import KnownError
from j3490_desk.models import Claim as ClaimRow
from j3490_desk.models import Patient, Payer, Provider
from j3490_desk.services import claim_check, claims, records
from j3490_desk.services.app_data import AppData

# --- steps -----------------------------------------------------------------------------------

HEADER = "header"
NECESSITY = "item4"
PROVIDER = "item10"
REVIEW = "review"
LINE_ITEMS = ("1", "2", "3", "5", "6", "7", "8", "9")  # items 4 and 10 belong to the claim


def line_step(line: int, item: str) -> str:
    return f"line{line}.item{item}"


def parse_step(step: str) -> tuple[int | None, str]:
    """(line index, item or step name) of a step key; (None, "header") for the header."""
    if step.startswith("line") and ".item" in step:
        line, item = step[4:].split(".item", 1)
        return int(line), item
    return None, step


def step_keys(claim: domain.Claim) -> list[str]:
    """Every step of the wizard for this claim, in order."""
    lines = [line_step(i, item) for i in range(len(claim.drug_lines)) for item in LINE_ITEMS]
    return [HEADER, *lines, NECESSITY, PROVIDER, REVIEW]


# --- drafts ----------------------------------------------------------------------------------


def start_draft(data: AppData, *, today: date | None = None) -> int:
    """A new claim with no patient yet and one empty drug line, dated today."""
    claim = domain.Claim(
        patient=domain.Patient(name=""),
        payer=domain.Payer(name=""),
        provider=domain.Provider(name=""),
        date_of_service=today or date.today(),
        drug_lines=(domain.DrugLine(),),
    )
    return claims.create_claim(data, claim)


def save_draft(data: AppData, claim: domain.Claim, step: str) -> domain.Claim:
    """Save the whole draft, blockers or not, and the step the clerk is on.

    Returns the stored claim: new drug lines come back with their ids.
    """
    claims.update_claim(data, claim)
    set_resume_step(data, _claim_id(claim), step)
    return claims.get_claim(data, _claim_id(claim))


def resume_step(data: AppData, claim_id: int) -> str:
    with data.db.read() as session:
        row = session.get(ClaimRow, claim_id)
        return row.resume_step if row is not None else ""


def set_resume_step(data: AppData, claim_id: int, step: str) -> None:
    # Where the clerk is is not a change to the claim: no audit entry, no updated_at.
    with data.db.write() as session:
        row = session.get(ClaimRow, claim_id)
        if row is not None and row.resume_step != step:
            row.resume_step = step


def _claim_id(claim: domain.Claim) -> int:
    if claim.id is None:
        raise ValueError("a draft is always stored: start it with start_draft")
    return claim.id


def _is_blocker(finding: Finding) -> bool:
    return finding.severity is Severity.BLOCKER


# --- saved records, as plain data for the pickers -------------------------------------------


def saved_patients(data: AppData) -> list[domain.Patient]:
    return [
        domain.Patient(p.name, p.date_of_birth, p.member_id)
        for p in records.list_records(data, Patient)
    ]


def saved_payers(data: AppData) -> list[domain.Payer]:
    return [
        domain.Payer(
            name=p.name,
            kind=domain.PayerKind(p.kind),
            timely_filing_days=p.timely_filing_days,
            pricing_policy=domain.PricingPolicy(p.pricing_policy),
            markup_percent=p.markup_percent,
            prior_auth_required=p.prior_auth_required,
            narrative_profile=p.narrative_profile,
            ndc_quantity_decimals=p.ndc_quantity_decimals,
            address=p.address,
            fax=p.fax,
        )
        for p in records.list_records(data, Payer)
    ]


def saved_providers(data: AppData) -> list[domain.Provider]:
    return [
        domain.Provider(p.name, p.credentials, p.npi) for p in records.list_records(data, Provider)
    ]


# --- typed text ------------------------------------------------------------------------------

TEXT_LIMIT = 200  # names, numbers, short references
LONG_TEXT_LIMIT = 2000  # rationale and history paragraphs


@dataclass(frozen=True)
class Parsed:
    """What a typed field means: its value (None when empty or unreadable) and a message."""

    value: Decimal | None
    problem: str | None = None


def parse_amount(text: str) -> Parsed:
    """An amount as typed: digits with one decimal point; "1,000" is read as 1000."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return Parsed(None)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return Parsed(None, f"'{text.strip()[:20]}' is not a number. Type digits, e.g. 45 or 12.5.")
    if not value.is_finite():
        return Parsed(None, "Type an amount in digits, e.g. 45 or 12.5.")
    return Parsed(value)


def clean_text(text: str, limit: int = TEXT_LIMIT) -> tuple[str, str | None]:
    """The text to keep, trimmed to `limit`, and a message when it was cut or will not print."""
    kept = text.strip()[:limit]
    if len(text.strip()) > limit:
        return kept, (f"Too long: {len(text.strip())} characters. Only the first {limit} are kept.")
    if any(_unprintable_on_claim(c) for c in kept):
        return kept, (
            "Contains characters a claim form cannot carry (such as emoji). They are kept in "
            "the draft; remove them before submitting."
        )
    return kept, None


def _unprintable_on_claim(character: str) -> bool:
    # CMS-1500 and X12 carry letters, digits and punctuation; emoji and symbols do not survive.
    return ord(character) > 0xFFFF or unicodedata.category(character) in {"So", "Cs", "Co", "Cc"}


def diagnosis_lines(text: str) -> list[str]:
    """Each typed ICD-10-CM code with its description, or what is wrong with it."""
    shown = []
    for raw in split_codes(text):
        problem = icd10_syntax_problem(raw)
        if problem is not None:
            shown.append(f"{raw[:20]}: {problem}")
            continue
        found = lookup_icd10(raw)
        if found is None:
            shown.append(f"{normalize_icd10(raw)}: not in the ICD-10-CM code set.")
        else:
            heading = "" if found.billable else " (a heading: use a more specific code)"
            shown.append(f"{found.code}: {found.description}{heading}")
    return shown


def split_codes(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.replace(",", " ").replace(";", " ").split() if part)


def with_waste_modifier(modifiers: tuple[str, ...], expected: str | None) -> tuple[str, ...]:
    """The line's modifiers with JW/JZ replaced by the one the waste rule expects."""
    others = tuple(m for m in modifiers if m.strip().upper() not in {"JW", "JZ"})
    return (*others, expected) if expected else others


def expected_modifier(claim: domain.Claim, line: int, data: AppData) -> str | None:
    """JW, JZ or None for the line's recorded waste (domain.waste), as item 8 chooses it."""
    drug = claim.drug_lines[line]
    facts = facts_for_line(drug, claim_check.drug_facts(data, claim))
    return expected_waste_modifier(
        drug,
        claim.date_of_service,
        claim.payer,
        place_of_service=claim.place_of_service,
        billing_unit=billing_unit_for(drug, claim.date_of_service, facts),
    )


# --- NDC look-up -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NdcFill:
    """What the FDA directory says about a typed NDC, for the clerk to confirm."""

    brand_name: str = ""
    generic_name: str = ""
    dosage_form: str = ""
    route: str = ""
    strength: str = ""
    problem: str | None = None  # set instead of the names when the look-up failed

    @property
    def summary(self) -> str:
        if self.problem:
            return self.problem
        parts = (self.dosage_form.lower(), self.route.lower(), self.strength)
        return f"{self.brand_name} ({self.generic_name}): " + ", ".join(p for p in parts if p)


def lookup_ndc(data: AppData, ndc: str, date_of_service: date | None) -> NdcFill:
    if not data.paths.reference_database.exists():
        return NdcFill(problem="No FDA directory is loaded (Settings > Reference data).")
    try:
        found = data.reference.lookup(ndc, date_of_service)
    except KnownError as error:
        return NdcFill(problem=str(error))
    product = found.product
    if product is None:
        name = found.crosswalk_drug_name
        return NdcFill(
            brand_name=name, problem=None if name else "The FDA directory does not list it."
        )
    return NdcFill(
        brand_name=product.proprietary_name,
        generic_name=product.nonproprietary_name,
        dosage_form=product.dosage_form,
        route=product.route,
        strength=product.strength,
    )


# --- what the pages show after each change ---------------------------------------------------

FieldKey = tuple[int | None, str]  # (drug line index or None for the claim, field name)

# Which field a finding is about: its message is shown next to that field.
_FIELD_OF_CODE: dict[str, str] = {
    "NDC_MISSING": "ndc",
    "NDC_AMBIGUOUS": "ndc",
    "NDC_INVALID": "ndc",
    "NDC_NOT_IN_DIRECTORY": "ndc",
    "NDC_MARKETING_ENDED": "ndc",
    "NDC_QUANTITY_INVALID": "package.ndc_unit_qualifier",
    "PACKAGE_AMOUNT_MISSING": "package.amount",
    "UNITS_NOT_ONE": "billed_units",
    "SPECIFIC_HCPCS_EXISTS": "hcpcs_code",
    "NOC_CODE_MISMATCH": "hcpcs_code",
    "C9399_OUTSIDE_HOSPITAL": "hcpcs_code",
    "ORAL_DRUG": "hcpcs_code",
    "DRUG_NOT_PURCHASED": "acquisition",
    "INVOICE_MISSING": "invoice.attached",
    "INVOICE_NDC_MISMATCH": "invoice.ndc",
    "INVOICE_AFTER_ADMINISTRATION": "invoice.date",
    "INVOICE_QUANTITY_TOO_SMALL": "invoice.quantity",
    "CHARGE_MISSING": "charge",
    "DOSE_MISSING": "dose.amount",
    "DOSE_NOT_POSITIVE": "dose.amount",
    "DOSE_IMPLAUSIBLE": "dose.amount",
    "DOSE_UNIT_INVALID": "dose.unit",
    "DOSE_UNIT_INCOMPATIBLE": "dose.unit",
    "ADMINISTRATION_IN_FUTURE": "dose.administered_at",
    "ADMINISTRATION_DATE_NOT_DOS": "dose.administered_at",
    "PRESCRIPTION_MISSING": "prescription.attached",
    "DRUG_INVESTIGATIONAL": "fda.status",
    "DRUG_UNAPPROVED": "fda.status",
    "OFF_LABEL_NO_RATIONALE": "fda.off_label_rationale",
    "OFF_LABEL_NO_COMPENDIUM": "fda.compendium_reference",
    "LOT_NUMBER_MISSING": "lot.number",
    "LOT_EXPIRATION_MISSING": "lot.expiration",
    "LOT_EXPIRED": "lot.expiration",
    "WASTE_NEGATIVE": "waste.amount",
    "WASTE_EXCEEDS_PACKAGE": "waste.amount",
    "WASTE_UNACCOUNTED": "waste.amount",
    "WASTE_ON_MULTI_DOSE": "waste.amount",
    "WASTE_REASON_MISSING": "waste.reason",
    "ADMIN_END_BEFORE_START": "administration.end",
    "INFUSION_TIMES_MISSING": "administration.start",
    "INFUSION_TOO_SHORT": "administration.end",
    "DIAGNOSIS_MISSING": "medical_necessity.icd10_codes",
    "DIAGNOSIS_SYNTAX": "medical_necessity.icd10_codes",
    "DIAGNOSIS_UNKNOWN": "medical_necessity.icd10_codes",
    "DIAGNOSIS_NOT_BILLABLE": "medical_necessity.icd10_codes",
    "STANDARD_TREATMENT_NOT_DOCUMENTED": "medical_necessity.why_standard_failed",
    "PROVIDER_NPI_INVALID": "provider.npi",
    "PROVIDER_CREDENTIALS_MISSING": "provider.credentials",
    "PRIOR_AUTH_MISSING": "prior_auth.status",
    "PRIOR_AUTH_PENDING": "prior_auth.status",
    "PRIOR_AUTH_DENIED": "prior_auth.status",
    "PRIOR_AUTH_NUMBER_MISSING": "prior_auth.number",
    "PRIOR_AUTH_NOT_YET_VALID": "prior_auth.valid_from",
    "PRIOR_AUTH_EXPIRED": "prior_auth.valid_to",
    "PRIOR_AUTH_EXPIRING": "prior_auth.valid_to",
}
_CLAIM_FIELD_OF_CODE = {"ADMINISTRATION_IN_FUTURE": "date_of_service"}  # the DOS, not a line

# Which step shows a finding that has no field of its own.
_STEP_OF_ITEM = {
    "coding": "1",
    "narrative": "1",
    "pricing": "2",
    "modifiers": "8",
    "prior_auth": HEADER,
    "timely_filing": HEADER,
    "4": NECESSITY,
    "10": PROVIDER,
}


def field_of(finding: Finding) -> FieldKey | None:
    if finding.line is None:
        name = _CLAIM_FIELD_OF_CODE.get(finding.code) or _FIELD_OF_CODE.get(finding.code)
    else:
        name = _FIELD_OF_CODE.get(finding.code)
        if name is None and finding.code.startswith(("MODIFIER_", "WASTE_")):
            name = "modifiers"
    return (finding.line, name) if name else None


def step_of(finding: Finding) -> str:
    """The wizard step where the clerk fixes this finding."""
    if field_of(finding) == (None, "date_of_service"):
        return HEADER
    target = _STEP_OF_ITEM.get(finding.item, finding.item)
    if target in LINE_ITEMS:
        return line_step(finding.line or 0, target)
    return target


def field_problems(
    claim: domain.Claim, findings: Iterable[Finding], texts: Mapping[FieldKey, str] = {}
) -> dict[FieldKey, str]:
    """The message to show next to each field: the worst finding about it, then the live
    checks the claim check does not make (an invoice NDC typo, a dose over one package,
    text that is too long or will not print). `texts` is what is typed in text fields."""
    problems: dict[FieldKey, str] = {}
    for finding in sorted(findings, key=_severity_rank):
        key = field_of(finding)
        if key is not None and key not in problems:
            problems[key] = _marked(finding.severity, finding.message)
    for index, line in enumerate(claim.drug_lines):
        for key, message in _line_field_problems(index, line):
            problems.setdefault(key, message)
    for key, text in texts.items():
        _, trimmed = clean_text(text, LONG_TEXT_LIMIT if _long_field(key) else TEXT_LIMIT)
        if trimmed:
            problems[key] = _marked(Severity.WARNING, trimmed)
    return problems


def _line_field_problems(index: int, line: domain.DrugLine) -> Iterable[tuple[FieldKey, str]]:
    if line.invoice.ndc.strip():
        try:
            ndc_candidates(line.invoice.ndc)
        except NdcError as error:
            yield (index, "invoice.ndc"), _marked(Severity.WARNING, str(error))
    dose = line.dose
    if dose.amount is not None and dose.unit:
        try:
            problem = dose_package_problem(dose.amount, dose.unit, line.package)
        except UnitError as error:
            problem = str(error)
        if problem is not None:
            yield (index, "dose.amount"), _marked(Severity.INFO, problem)


def _long_field(key: FieldKey) -> bool:
    return key[1].endswith(("prior_treatments", "why_standard_failed", "rationale"))


_MARKS = {
    Severity.BLOCKER: "✖ Blocker: ",
    Severity.WARNING: "⚠ Warning: ",
    Severity.INFO: "ℹ Note: ",
}


def _marked(severity: Severity, message: str) -> str:
    return _MARKS[severity] + message  # a sign and a word, never colour alone


def _severity_rank(finding: Finding) -> int:
    return (Severity.BLOCKER, Severity.WARNING, Severity.INFO).index(finding.severity)


@dataclass(frozen=True)
class ChecklistEntry:
    name: str  # "NDC", "Item 3: dose", ...
    state: str  # "complete", "warning" or "missing"
    step: str  # where to fix it
    detail: str = ""  # the first finding's message


COMPLETE, WARNING, MISSING = "complete", "warning", "missing"

_ITEM_NAMES = {
    "1": "Drug name and NDC",
    "2": "Purchase invoice",
    "3": "Dose, route, date",
    "4": "Medical necessity",
    "5": "Prescription",
    "6": "FDA status",
    "7": "Lot and expiry",
    "8": "Waste",
    "9": "Administration times",
    "10": "Provider and NPI",
}


def checklist(claim: domain.Claim, findings: list[Finding]) -> list[ChecklistEntry]:
    """The pre-submission checklist, then the ten items, each complete / warning / missing."""

    def entry(name: str, about: list[Finding], step: str) -> ChecklistEntry:
        worst = sorted(about, key=_severity_rank)
        if not worst:
            return ChecklistEntry(name, COMPLETE, step)
        state = MISSING if worst[0].severity is Severity.BLOCKER else WARNING
        if worst[0].severity is Severity.INFO:
            state = COMPLETE
        return ChecklistEntry(name, state, step_of(worst[0]), worst[0].message)

    first_line = line_step(0, "1") if claim.drug_lines else HEADER
    by_item: dict[str, list[Finding]] = {}
    for finding in findings:
        by_item.setdefault(finding.item, []).append(finding)
        home = _STEP_OF_ITEM.get(finding.item)
        if home in LINE_ITEMS:  # coding and narrative count for item 1, pricing for item 2
            by_item.setdefault(home, []).append(finding)
    entries = [
        entry("NDC", [f for f in findings if f.code.startswith("NDC_")], first_line),
        entry("Invoice", by_item.get("2", []), line_step(0, "2")),
        entry(
            "Medical necessity statement",
            [f for f in by_item.get("4", []) if f.code != "DIAGNOSIS_MISSING"]
            + [f for f in findings if f.code == "OFF_LABEL_NO_RATIONALE"],
            NECESSITY,
        ),
        entry(
            "Modifiers",
            by_item.get("modifiers", [])
            + [f for f in findings if f.code.startswith(("MODIFIER_", "WASTE_"))],
            line_step(0, "8"),
        ),
        entry("Authorization status", by_item.get("prior_auth", []), HEADER),
    ]
    for item, name in _ITEM_NAMES.items():
        home = NECESSITY if item == "4" else PROVIDER if item == "10" else line_step(0, item)
        entries.append(entry(f"{item}. {name}", by_item.get(item, []), home))
    return [e if e.step in step_keys(claim) else replace(e, step=HEADER) for e in entries]


@dataclass(frozen=True)
class Assessment:
    """What the wizard shows after a change: findings, field messages, the checklist."""

    findings: tuple[Finding, ...]
    fields: Mapping[FieldKey, str]
    checklist: tuple[ChecklistEntry, ...]
    suggestions: tuple[CodeSuggestion, ...]  # the code each drug line should carry

    def step_findings(self, step: str) -> list[Finding]:
        """Findings fixed on this step that have no field of their own there."""
        return [f for f in self.findings if step_of(f) == step and field_of(f) is None]

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if _is_blocker(f)]


def assess(
    data: AppData,
    claim: domain.Claim,
    *,
    today: date | None = None,
    texts: Mapping[FieldKey, str] = {},
) -> Assessment:
    facts = claim_check.drug_facts(data, claim)
    findings = claim_check.findings_for(data, claim, today=today)
    compound_code = profile_for(claim.payer).compound_code
    suggestions = tuple(
        suggest_code(
            line,
            claim.date_of_service,
            claim.place_of_service,
            facts_for_line(line, facts),
            compound_code=compound_code,
        )
        for line in claim.drug_lines
    )
    return Assessment(
        findings=tuple(findings),
        fields=field_problems(claim, findings, texts),
        checklist=tuple(checklist(claim, findings)),
        suggestions=suggestions,
    )


# --- the review page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    blockers: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    infos: tuple[Finding, ...]
    prices: tuple[PriceBreakdown | PricingError, ...]  # one per drug line
    paper_lines: tuple[BilledLine, ...]  # item 19 narrative (paper CMS-1500)
    electronic_lines: tuple[BilledLine, ...]  # NTE / SV101-7 narrative (837P)
    deadline: FilingDeadline
    status: domain.ClaimStatus

    @property
    def can_mark_ready(self) -> bool:
        return not self.blockers

    @property
    def expected_total(self) -> Decimal | None:
        totals = [p.total for p in self.prices if isinstance(p, PriceBreakdown)]
        return sum(totals, Decimal(0)) if totals and len(totals) == len(self.prices) else None


def review(data: AppData, claim: domain.Claim, *, today: date | None = None) -> Review:
    day = today or date.today()
    facts = claim_check.drug_facts(data, claim)
    findings = claim_check.findings_for(data, claim, today=day)
    return Review(
        blockers=tuple(f for f in findings if f.severity is Severity.BLOCKER),
        warnings=tuple(f for f in findings if f.severity is Severity.WARNING),
        infos=tuple(f for f in findings if f.severity is Severity.INFO),
        prices=price_claim(claim, facts=facts),
        paper_lines=bill_lines(claim, facts=facts, paper=True),
        electronic_lines=bill_lines(claim, facts=facts),
        deadline=filing_deadline(claim.payer, claim.date_of_service, day),
        status=claim.status,
    )
