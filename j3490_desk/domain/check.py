"""Check a claim the way a payer would: one small rule per problem, composed by `check_claim`.

Every finding has a stable code (FINDING_CODES lists them all, including those of
modifiers.py, waste.py and noc_code.py), the documentation item or checklist it belongs to,
a message and a fix a clerk can act on, and the published rule behind it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from j3490_desk.domain import modifiers, noc_code, opps, sanity, waste
from j3490_desk.domain.amounts import plain_amount
from j3490_desk.domain.claim import (
    Acquisition,
    Claim,
    ClaimStatus,
    DrugFacts,
    DrugKind,
    DrugLine,
    FdaStatus,
    PayerKind,
    PricingPolicy,
    PriorAuthStatus,
)
from j3490_desk.domain.deadlines import (
    clinic_submit_by,
    filing_deadline,
    prior_auth_expiring,
)
from j3490_desk.domain.evidence import NO_EVIDENCE, Evidence, EvidenceKind
from j3490_desk.domain.findings import ClinicRules, Finding, Severity
from j3490_desk.domain.icd10 import (
    CODE_SET_NAME,
    code_set_covers,
    icd10_syntax_problem,
    lookup_icd10,
    normalize_icd10,
)
from j3490_desk.domain.narrative import build_narrative
from j3490_desk.domain.ndc import (
    NdcError,
    hyphenate_ndc11,
    ndc_candidates,
    ndc_quantity,
    to_billing_ndc,
)
from j3490_desk.domain.ndc_resolution import directory_ndc11, resolved_facts
from j3490_desk.domain.noc_code import (
    code_findings,
    facts_for_line,
    is_noc_code,
    specific_mapping,
)
from j3490_desk.domain.npi import npi_problem
from j3490_desk.domain.payer_profiles import PayerProfile, noc_units_one, profile_for
from j3490_desk.domain.pricing import PricingError, price_line
from j3490_desk.domain.sources import (
    BPM_15_50_2,
    BPM_15_50_3,
    BPM_15_50_4,
    BPM_15_50_4_1,
    BPM_15_50_4_2,
    FCSO_PRICING,
    FDA_EXPIRATION_DATING,
    FDA_NDC_DIRECTORY,
    HCPCS_2025_OCT_FILE,
    ICD10_STRUCTURE,
    NORIDIAN_NOC,
    NPI_CHECK_DIGIT,
    NUCC_ITEM_24,
    NUCC_ITEM_31,
    PIM_3_3_2_4,
    STEDI_NDC_EDIT,
    WPS_NOC_5010,
    X12_RFI_2151,
    cite,
)
from j3490_desk.domain.units import UnitError, convert_dose, is_positive, normalize_unit

INFUSION_CODES = frozenset({"96365", "96366", "96367", "96368", "96413", "96415", "96417"})
INITIAL_INFUSION_CODES = frozenset({"96365", "96413"})  # need more than 15 minutes (§12)
# FDA MARKETINGCATEGORYNAME values that mean "no FDA approval" outright (domain.md section 10).
MEDICARE_DENIED_CATEGORIES = frozenset({"UNAPPROVED DRUG OTHER", "UNAPPROVED HOMEOPATHIC"})
# Words of an FDA dosage form / package description for a device patients inject themselves
# with (a whole word: "PEN" must not match "SUSPENSION").
SELF_INJECTION_FORMS = re.compile(r"\b(PEN|SYRINGE|AUTO-?INJECTOR|INJECTOR)S?\b")
MAX_PACKAGES_PER_DOSE = 100  # more than this many packages in one dose is likely a typo
MAX_DESCRIPTOR_CODES_SHOWN = 3  # e.g. a biologic and its biosimilars' codes
# A HCPCS Level II code (a letter and four digits) or a CPT code (five characters).
HCPCS_SYNTAX = re.compile(r"[A-V]\d{4}|\d{4}[0-9AFTU]")
UNSUBMITTED = frozenset({ClaimStatus.DRAFT, ClaimStatus.READY})
DEFAULT_RULES = ClinicRules()  # frozen: safe to share as a default

_CHECK_CODES: dict[str, str] = {
    "REFERENCE_DATA_NOT_LOADED": "No FDA/CMS reference data: drug-eligibility checks skipped",
    "NO_DRUG_LINES": "The claim has no drug line",
    "NDC_MISSING": "Drug line without an NDC",
    "NDC_AMBIGUOUS": "10-digit NDC typed without hyphens: three possible readings",
    "NDC_READ_FROM_DIRECTORY": "10-digit NDC without hyphens, read as the one package listed",
    "NDC_INVALID": "NDC that is not a valid NDC layout",
    "NDC_NOT_IN_DIRECTORY": "NDC not found in the loaded FDA/CMS reference data",
    "NDC_MARKETING_ENDED": "The NDC's marketing ended before the date of service",
    "HCPCS_DESCRIPTOR_NAMES_DRUG": "A HCPCS code's descriptor names the drug billed as NOC",
    "NDC_QUANTITY_INVALID": "The NDC quantity for 24A / CTP04 cannot be built",
    "UNITS_NOT_ONE": "NOC line with units other than 1 for a payer that wants 1",
    "DRUG_INVESTIGATIONAL": "Investigational drug",
    "DRUG_UNAPPROVED": "Drug not FDA-approved (NDA/ANDA/BLA)",
    "SELF_ADMINISTERED_DRUG": "Directory form suggests a self-administered drug (Medicare)",
    "OFF_LABEL_NO_RATIONALE": "Off-label use without a written rationale",
    "OFF_LABEL_NO_COMPENDIUM": "Off-label use without a compendium or literature reference",
    "DRUG_NOT_PURCHASED": "Donated drug or free sample: not billable",
    "INVOICE_MISSING": "No purchase invoice file stored with the claim",
    "INVOICE_NOT_SENT": "Invoice on file at the clinic, not sent with the claim",
    "INVOICE_NDC_MISMATCH": "Invoice NDC differs from the line's NDC",
    "INVOICE_AFTER_ADMINISTRATION": "Invoice dated after the drug was given",
    "INVOICE_QUANTITY_TOO_SMALL": "Invoice quantity smaller than the amount used",
    "DOSE_MISSING": "No dose entered",
    "DOSE_NOT_POSITIVE": "Dose zero or negative",
    "DOSE_IMPLAUSIBLE": "Dose larger than 100 packages",
    "DOSE_UNIT_INVALID": "Dose unit not recognised",
    "DOSE_UNIT_INCOMPATIBLE": "Dose unit cannot be converted to the package's unit",
    "PACKAGE_AMOUNT_MISSING": "The package's drug amount or unit is not entered",
    "PACKAGE_UNIT_INVALID": "The package's unit is not one the app knows",
    "AMOUNT_UNREADABLE": "An amount on the line that is not a finite number",
    "UNITS_NOT_POSITIVE": "Billed units zero or negative",
    "HCPCS_CODE_INVALID": "The line's HCPCS code is missing or not a HCPCS/CPT code",
    "CHARGE_NOT_POSITIVE": "Charge zero or negative",
    "ADMINISTRATION_IN_FUTURE": "Date of service or administration after today",
    "ADMINISTRATION_DATE_NOT_DOS": "Administration date differs from the date of service",
    "DIAGNOSIS_MISSING": "No ICD-10-CM diagnosis",
    "DIAGNOSIS_SYNTAX": "Diagnosis that is not ICD-10-CM syntax",
    "DIAGNOSIS_UNKNOWN": "Diagnosis not in the ICD-10-CM code set",
    "DIAGNOSIS_NOT_BILLABLE": "Diagnosis is a header code, not a billable code",
    "STANDARD_TREATMENT_NOT_DOCUMENTED": "No statement of why standard treatment failed",
    "PRESCRIPTION_MISSING": "No signed order/prescription file stored with the claim",
    "PRESCRIPTION_NOT_SENT": "Signed order on file at the clinic, not sent with the claim",
    "LABEL_PHOTO_MISSING": "No label photo stored: lot and expiry as typed",
    "LOT_NUMBER_MISSING": "No lot number recorded",
    "LOT_EXPIRATION_MISSING": "No lot expiration date recorded",
    "LOT_EXPIRED": "Lot expired on the date of service",
    "PRIOR_AUTH_MISSING": "Prior authorization required but not obtained",
    "PRIOR_AUTH_PENDING": "Prior authorization still pending",
    "PRIOR_AUTH_DENIED": "Prior authorization denied",
    "PRIOR_AUTH_NUMBER_MISSING": "Approved prior authorization without its number",
    "PRIOR_AUTH_NOT_YET_VALID": "Prior authorization starts after the date of service",
    "PRIOR_AUTH_EXPIRED": "Prior authorization ended before the date of service",
    "PRIOR_AUTH_EXPIRING": "Prior authorization ends within the warning window",
    "FILING_DEADLINE_PASSED": "Timely filing deadline passed",
    "FILING_DEADLINE_NEAR": "Timely filing deadline within the warning window",
    "FILING_DEADLINE_UNVERIFIED": "Filing deadline from an unverified default",
    "CLINIC_SUBMIT_STANDARD_PASSED": "Clinic's submit-within-days standard passed",
    "ADMIN_END_BEFORE_START": "Administration ends before it starts",
    "INFUSION_TIMES_MISSING": "Infusion code without start and end times",
    "INFUSION_TOO_SHORT": "Initial infusion of 15 minutes or less",
    "PROVIDER_NPI_INVALID": "Rendering provider NPI missing or invalid",
    "PROVIDER_CREDENTIALS_MISSING": "Rendering provider credentials missing",
    "NARRATIVE_MISSING": "NOC narrative lacks a part the payer requires",
    "NARRATIVE_TOO_LONG": "NOC narrative does not fit the payer's field",
    "CHARGE_MISSING": "No charge entered",
    "PRICING_INCOMPLETE": "The expected payment cannot be computed",
}

FINDING_CODES: Mapping[str, str] = {
    **modifiers.CODES,
    **waste.CODES,
    **noc_code.CODES,
    **opps.CODES,
    **sanity.CODES,
    **_CHECK_CODES,
}


@dataclass(frozen=True)
class _Context:
    claim: Claim
    today: date
    facts: Mapping[str, DrugFacts] | None
    rules: ClinicRules
    profile: PayerProfile
    evidence: Evidence

    @property
    def unsubmitted(self) -> bool:
        return self.claim.status in UNSUBMITTED and self.claim.submitted_on is None


def _f(
    code: str,
    severity: Severity,
    item: str,
    message: str,
    fix: str,
    source: str,
    line: int | None = None,
    *,
    unverified: bool = False,
) -> Finding:
    assert code in _CHECK_CODES, code  # every code is registered, so tests can cover it
    return Finding(code, severity, item, message, fix, line, source, unverified)


# --- claim-level rules --------------------------------------------------------------------


def _reference_data(ctx: _Context) -> Iterable[Finding]:
    if ctx.facts is None:
        yield _f(
            "REFERENCE_DATA_NOT_LOADED",
            Severity.INFO,
            "coding",
            "No FDA NDC Directory or CMS crosswalk data is loaded, so the checks for a "
            "specific HCPCS code, oral drugs, FDA approval and NDC listing were skipped.",
            "Load the reference data (Settings > Reference data) and check again.",
            cite("§10, §13"),
        )


def _drug_lines_present(ctx: _Context) -> Iterable[Finding]:
    if not ctx.claim.drug_lines:
        yield _f(
            "NO_DRUG_LINES",
            Severity.BLOCKER,
            "1",
            "The claim has no drug line.",
            "Add the drug that was given.",
            NUCC_ITEM_24,
        )


def _date_of_service(ctx: _Context) -> Iterable[Finding]:
    if ctx.claim.date_of_service > ctx.today:
        yield _f(
            "ADMINISTRATION_IN_FUTURE",
            Severity.BLOCKER,
            "3",
            f"The date of service {ctx.claim.date_of_service.isoformat()} is after today.",
            "Bill only after the drug has been given; correct the date if it is a typo.",
            NUCC_ITEM_24,
        )


def _diagnoses(ctx: _Context) -> Iterable[Finding]:
    codes = [c for c in ctx.claim.medical_necessity.icd10_codes if c.strip()]
    if not codes:
        yield _f(
            "DIAGNOSIS_MISSING",
            Severity.BLOCKER,
            "4",
            "No diagnosis is entered; the payer cannot judge medical necessity without one.",
            "Enter the ICD-10-CM code(s) from the order or the chart.",
            cite("§11", ICD10_STRUCTURE),
        )
    for raw in codes:
        problem = icd10_syntax_problem(raw)
        if problem is not None:
            yield _f(
                "DIAGNOSIS_SYNTAX",
                Severity.BLOCKER,
                "4",
                f"Diagnosis '{raw.strip()}': {problem}",
                "Correct the code from the chart.",
                cite("§11", ICD10_STRUCTURE),
            )
            continue
        code = normalize_icd10(raw)
        found = lookup_icd10(code)
        if found is not None and found.billable:
            continue
        # The shipped code set is exact only for its own dates; other DOS get a warning (§11).
        covered = code_set_covers(ctx.claim.date_of_service)
        severity = Severity.BLOCKER if covered else Severity.WARNING
        caveat = "" if covered else f" (checked against {CODE_SET_NAME}, not the DOS's code set)"
        if found is None:
            yield _f(
                "DIAGNOSIS_UNKNOWN",
                severity,
                "4",
                f"Diagnosis {code} is not in the ICD-10-CM code set{caveat}.",
                "Check the code for a typo; use the code set in force on the date of service.",
                cite("§11", ICD10_STRUCTURE),
            )
        else:
            yield _f(
                "DIAGNOSIS_NOT_BILLABLE",
                severity,
                "4",
                f"Diagnosis {found.code} ({found.description}) is a category heading, not a "
                f"billable code{caveat}.",
                "Use the most specific code under it (all characters to the lowest level).",
                cite("§11", ICD10_STRUCTURE),
            )


def _standard_treatment(ctx: _Context) -> Iterable[Finding]:
    if not ctx.claim.medical_necessity.why_standard_failed.strip():
        yield _f(
            "STANDARD_TREATMENT_NOT_DOCUMENTED",
            Severity.WARNING,
            "4",
            "The claim does not say why standard treatment failed or was not suitable.",
            "Write what was tried before and why it failed or is contraindicated.",
            BPM_15_50_4,
        )


def _provider(ctx: _Context) -> Iterable[Finding]:
    provider = ctx.claim.provider
    problem = npi_problem(provider.npi)
    if problem is not None:
        yield _f(
            "PROVIDER_NPI_INVALID",
            Severity.BLOCKER,
            "10",
            f"Rendering provider {provider.name or '(no name)'}: {problem}",
            "Copy the NPI from the provider's NPPES record.",
            cite("§4", NPI_CHECK_DIGIT),
        )
    if not provider.credentials.strip():
        yield _f(
            "PROVIDER_CREDENTIALS_MISSING",
            Severity.WARNING,
            "10",
            f"The credentials of {provider.name or 'the rendering provider'} (MD, DO, NP...) "
            "are not entered.",
            "Enter the provider's credentials as they sign the record.",
            NUCC_ITEM_31,
        )


def _prior_auth(ctx: _Context) -> Iterable[Finding]:
    auth, dos = ctx.claim.prior_auth, ctx.claim.date_of_service
    required = ctx.claim.payer.prior_auth_required
    status = auth.status
    if required and status is PriorAuthStatus.NOT_REQUESTED:
        yield _f(
            "PRIOR_AUTH_MISSING",
            Severity.BLOCKER,
            "prior_auth",
            f"{ctx.claim.payer.name} requires prior authorization for unlisted drugs, and "
            "none was requested.",
            "Request the authorization (retro-authorization if the payer allows it).",
            "Payer setting: prior authorization required",
        )
    if required and status is PriorAuthStatus.PENDING:
        yield _f(
            "PRIOR_AUTH_PENDING",
            Severity.BLOCKER,
            "prior_auth",
            "The prior authorization is still pending.",
            "Wait for the decision before submitting; follow up with the payer.",
            "Payer setting: prior authorization required",
        )
    if status is PriorAuthStatus.DENIED:
        yield _f(
            "PRIOR_AUTH_DENIED",
            Severity.BLOCKER,
            "prior_auth",
            "The prior authorization was denied.",
            "Appeal the denial or get a signed ABN/waiver before billing the patient.",
            "Payer setting: prior authorization required",
        )
    if status is not PriorAuthStatus.APPROVED:
        return
    if not auth.number.strip():
        yield _f(
            "PRIOR_AUTH_NUMBER_MISSING",
            Severity.WARNING,
            "prior_auth",
            "The authorization is approved but its number is not entered (item 23).",
            "Enter the authorization number from the approval letter.",
            "CMS-1500 item 23 (NUCC)",
        )
    if auth.valid_from and auth.valid_from > dos:
        yield _f(
            "PRIOR_AUTH_NOT_YET_VALID",
            Severity.BLOCKER,
            "prior_auth",
            f"The authorization starts on {auth.valid_from.isoformat()}, after the date of "
            "service.",
            "Ask the payer to backdate the authorization or correct the dates.",
            "Payer prior authorization terms",
        )
    if auth.valid_to and auth.valid_to < dos:
        yield _f(
            "PRIOR_AUTH_EXPIRED",
            Severity.BLOCKER,
            "prior_auth",
            f"The authorization ended on {auth.valid_to.isoformat()}, before the date of service.",
            "Request an extension or a new authorization covering the date of service.",
            "Payer prior authorization terms",
        )
    elif ctx.unsubmitted and prior_auth_expiring(
        auth, ctx.today, ctx.rules.prior_auth_warning_days
    ):
        assert auth.valid_to is not None
        yield _f(
            "PRIOR_AUTH_EXPIRING",
            Severity.WARNING,
            "prior_auth",
            f"The authorization ends on {auth.valid_to.isoformat()}, within "
            f"{ctx.rules.prior_auth_warning_days} days.",
            "Submit soon, and request an extension if more doses are planned.",
            "Clinic rule: prior_auth_warning_days",
        )


def _timely_filing(ctx: _Context) -> Iterable[Finding]:
    if not ctx.unsubmitted:
        return
    claim = ctx.claim
    deadline = filing_deadline(claim.payer, claim.date_of_service, ctx.today)
    when = deadline.deadline.isoformat()
    if deadline.days_left < 0 and deadline.verified:
        yield _f(
            "FILING_DEADLINE_PASSED",
            Severity.BLOCKER,
            "timely_filing",
            f"The filing deadline was {when}. {deadline.basis}",
            "Check whether an exception applies (42 CFR 424.44(b) for Medicare); "
            "otherwise the claim cannot be paid.",
            deadline.source,
        )
    elif deadline.days_left < 0:
        # A default, not the payer's own limit: the claim may still be in time (domain.md §9).
        yield _f(
            "FILING_DEADLINE_PASSED",
            Severity.WARNING,
            "timely_filing",
            f"By the default limit the filing deadline was {when}. {deadline.basis}",
            "Look up this payer's own timely filing limit and enter it on the payer; if the "
            "real limit has passed too, ask the payer about exceptions.",
            deadline.source,
            unverified=True,
        )
    elif deadline.days_left <= ctx.rules.filing_warning_days:
        yield _f(
            "FILING_DEADLINE_NEAR",
            Severity.WARNING,
            "timely_filing",
            f"Only {deadline.days_left} days left to file (deadline {when}). {deadline.basis}",
            "Submit now.",
            deadline.source,
            unverified=not deadline.verified,
        )
    elif not deadline.verified:
        yield _f(
            "FILING_DEADLINE_UNVERIFIED",
            Severity.INFO,
            "timely_filing",
            f"The deadline {when} comes from a default. {deadline.basis}",
            "Enter this payer's timely filing days from its provider manual or contract.",
            deadline.source,
        )
    submit_by = clinic_submit_by(claim.date_of_service, ctx.rules.submit_within_days)
    if ctx.today > submit_by:
        yield _f(
            "CLINIC_SUBMIT_STANDARD_PASSED",
            Severity.WARNING,
            "timely_filing",
            f"The clinic's standard is to submit within {ctx.rules.submit_within_days} days "
            f"of service ({submit_by.isoformat()}).",
            "Finish and submit this claim.",
            "Clinic rule: submit_within_days",
        )


# --- line rules ---------------------------------------------------------------------------


def _ndc(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    if not line.ndc.strip():
        yield _f(
            "NDC_MISSING",
            Severity.BLOCKER,
            "1",
            "The NDC is missing; Medicare contractors need it to identify and price a NOC drug.",
            "Scan the barcode or type the NDC printed on the vial or carton.",
            cite("§2", X12_RFI_2151),
            i,
        )
        return
    try:
        ndc11 = to_billing_ndc(line.ndc)
    except NdcError as error:
        if not error.candidates:
            yield _f(
                "NDC_INVALID",
                Severity.BLOCKER,
                "1",
                str(error),
                _ndc_fix(error),
                cite("§1", STEDI_NDC_EDIT),
                i,
            )
            return
        yield _unhyphenated_ndc(line, i, ctx, error)
        resolved = directory_ndc11(line.ndc, ctx.facts)
        if resolved is None:
            return
        ndc11 = resolved
    if ctx.facts is None:
        return
    facts = resolved_facts(line.ndc, ctx.facts)
    if facts is None or not facts.found:
        yield _f(
            "NDC_NOT_IN_DIRECTORY",
            Severity.WARNING,
            "1",
            f"NDC {ndc11} is not in the loaded FDA directory or CMS files. The directory "
            "omits some products, so this is not proof of a wrong NDC.",
            "Compare the NDC with the label; if it is right, keep the label photo with the claim.",
            cite("§10", FDA_NDC_DIRECTORY),
            i,
        )
    elif facts.end_marketing_date and facts.end_marketing_date < ctx.claim.date_of_service:
        yield _f(
            "NDC_MARKETING_ENDED",
            Severity.WARNING,
            "1",
            f"The FDA directory says NDC {ndc11} stopped being marketed on "
            f"{facts.end_marketing_date.isoformat()}, before the date of service.",
            "Check the NDC on the vial actually used.",
            cite("§10", FDA_NDC_DIRECTORY),
            i,
        )


def _unhyphenated_ndc(line: DrugLine, i: int, ctx: _Context, error: NdcError) -> Finding:
    """A 10-digit NDC without hyphens: the directory decides when it lists exactly one of
    the three readings (domain.md section 1); otherwise the clerk is asked, never guessed for."""
    resolved = directory_ndc11(line.ndc, ctx.facts)
    source = cite("§1", FDA_NDC_DIRECTORY, STEDI_NDC_EDIT)
    if resolved is not None:
        return _f(
            "NDC_READ_FROM_DIRECTORY",
            Severity.WARNING,
            "1",
            f"NDC {line.ndc.strip()} has no hyphens, so it could be read three ways; the FDA "
            f"NDC Directory lists only {hyphenate_ndc11(resolved)}, so the check and the claim "
            f"use {resolved}.",
            f"Compare with the label and type the NDC as {hyphenate_ndc11(resolved)}.",
            source,
            i,
        )
    found = resolved_facts(line.ndc, ctx.facts)
    listed = found.directory_readings if found is not None else ()
    if ctx.facts is None:
        known = " No FDA NDC Directory is loaded to tell which is meant."
    elif listed:
        known = (
            f" The FDA NDC Directory lists {len(listed)} of them ("
            + ", ".join(hyphenate_ndc11(reading) for reading in listed)
            + ")."
        )
    else:
        known = " None of them is in the loaded FDA NDC Directory or CMS files."
    return _f(
        "NDC_AMBIGUOUS", Severity.BLOCKER, "1", str(error) + known, _ndc_fix(error), source, i
    )


def _ndc_fix(error: NdcError) -> str:
    if error.candidates:
        return (
            "Type the NDC with its hyphens as printed on the label ("
            + ", ".join(error.candidates)
            + " are the possible readings)."
        )
    return "Type the NDC exactly as printed on the label, with its hyphens."


def _package_known(line: DrugLine) -> bool:
    amount = line.package.amount
    return amount is not None and is_positive(amount) and bool(line.package.unit.strip())


def _ndc_quantity_error(line: DrugLine) -> NdcError | None:
    dose = line.dose.amount
    if dose is None or not is_positive(dose):
        return None  # the dose rules report it
    try:
        ndc_quantity(dose, line.dose.unit, line.package)
    except NdcError as error:
        return error
    return None


def _ndc_quantity(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    error = _ndc_quantity_error(line)
    if error is None or not line.ndc.strip():
        return  # the NDC rule reports a missing NDC
    if not _package_known(line):
        return  # PACKAGE_AMOUNT_MISSING names the field the quantity needs
    yield _f(
        "NDC_QUANTITY_INVALID",
        Severity.BLOCKER,
        "1",
        f"The NDC quantity (24A shaded line / CTP04) cannot be built: {error}",
        "Choose the NDC unit (ML, ME, GR, F2, UN) and enter the package's amount and volume.",
        cite("§2", X12_RFI_2151),
        i,
    )


def _units(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    if not is_positive(line.billed_units):
        yield _f(
            "UNITS_NOT_POSITIVE",
            Severity.BLOCKER,
            "coding",
            f"The units (24G / SV104) are {line.billed_units}; a claim line bills more than "
            "zero units.",
            "Enter the units: 1 for a NOC code on Medicare, else the dose in the code's "
            "billing units.",
            NUCC_ITEM_24,
            i,
        )
        return
    if not (is_noc_code(line.hcpcs_code) and noc_units_one(ctx.claim.payer, ctx.profile)):
        return
    if line.billed_units == 1:
        return
    # WPS publishes "units = 1, else M123"; for the other Medicare profiles it is the app's
    # default from domain.md section 16, so it only warns (and the units go out as entered).
    instruction = ctx.profile.noc_units_instruction
    yield _f(
        "UNITS_NOT_ONE",
        Severity.BLOCKER if instruction else Severity.WARNING,
        "coding",
        f"{plain_amount(line.billed_units)} units are entered, but Medicare contractors want "
        "NOC drugs billed as 1 unit"
        + (
            f" ({ctx.profile.name} rejects other units with remark code M123)."
            if instruction
            else "."
        )
        + " The claim carries the units as entered.",
        "Set units to 1; the dose goes in the narrative and the NDC quantity.",
        cite("§7, §16", *((instruction,) if instruction else ()), WPS_NOC_5010),
        i,
        unverified=not instruction,
    )


def _codes(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    code = line.hcpcs_code.strip().upper()
    if not HCPCS_SYNTAX.fullmatch(code):
        yield _f(
            "HCPCS_CODE_INVALID",
            Severity.BLOCKER,
            "coding",
            f"The HCPCS code '{line.hcpcs_code.strip()}' is not a HCPCS Level II code (a letter "
            "and four digits, e.g. J3490) or a CPT code (five characters, e.g. 90371)."
            if code
            else "No HCPCS code is entered for the drug.",
            "Pick the drug's code: its own code if it has one, else the unclassified code.",
            NUCC_ITEM_24,
            i,
        )
        return
    claim = ctx.claim
    facts = facts_for_line(line, ctx.facts)
    yield from code_findings(
        line,
        i,
        claim.date_of_service,
        claim.place_of_service,
        facts,
        compound_code=ctx.profile.compound_code,
    )


def _descriptor_names_drug(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    """domain.md section 13: the crosswalk covers only ASP-priced drugs; a HCPCS long
    descriptor that names the drug is a second signal, matched by name: a warning."""
    facts = facts_for_line(line, ctx.facts)
    billed = line.hcpcs_code.strip().upper()
    if facts is None or not facts.descriptor_codes or not is_noc_code(billed):
        return
    if line.kind is DrugKind.COMPOUNDED:
        return  # a compound is billed with its compound code whatever its ingredients are
    if noc_code.specific_mapping(facts, ctx.claim.date_of_service) is not None:
        return  # the crosswalk itself gives the code: SPECIFIC_HCPCS_EXISTS says so
    name = facts.nonproprietary_name or (
        facts.noc_pricing.generic_name if facts.noc_pricing else ""
    )
    shown = facts.descriptor_codes[:MAX_DESCRIPTOR_CODES_SHOWN]
    codes = " / ".join(item.code for item in shown)
    described = "; ".join(f"{item.code}: '{item.long_description}'" for item in shown)
    more = len(facts.descriptor_codes) - len(shown)
    yield _f(
        "HCPCS_DESCRIPTOR_NAMES_DRUG",
        Severity.WARNING,
        "coding",
        f"{codes} {'describes' if len(shown) == 1 else 'describe'} {name.lower()}; check "
        f"whether {'it applies' if len(shown) == 1 else 'one applies'} to this drug "
        f"({described}{f'; and {more} more' if more else ''}). The CMS crosswalk does not "
        f"list this NDC, but a drug with its own code is denied under {billed}.",
        f"Bill {shown[0].code if len(shown) == 1 else 'the code that fits'} with its billing "
        f"units if the descriptor fits this drug; if it does not, keep {billed}.",
        cite("§13", HCPCS_2025_OCT_FILE),
        i,
    )


def _fda_status(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    facts = facts_for_line(line, ctx.facts)
    if line.fda.status is FdaStatus.INVESTIGATIONAL:
        yield _f(
            "DRUG_INVESTIGATIONAL",
            Severity.BLOCKER,
            "6",
            "The drug is investigational; Medicare and most payers do not pay for it outside "
            "an approved clinical trial.",
            "Bill it only as the trial's billing rules allow (a sponsor-paid drug is never "
            "billed); if the drug is not investigational, correct its FDA status.",
            BPM_15_50_4_1,
            i,
        )
    elif line.fda.status is FdaStatus.UNAPPROVED or (
        facts is not None and facts.fda_approved is False
    ):
        category = facts.marketing_category.strip().upper() if facts else ""
        # Medicare denies drugs without final FDA marketing approval (BPM ch.15 §50.4.1); the
        # directory's category says so for these two. A compound's ingredient is judged as
        # part of the compound (J7999, priced by invoice), OTC monographs are not "unapproved".
        denied = (
            ctx.claim.payer.kind is PayerKind.MEDICARE
            and category in MEDICARE_DENIED_CATEGORIES
            and line.kind is not DrugKind.COMPOUNDED
        )
        named = f" (FDA category: {facts.marketing_category})" if category and facts else ""
        yield _f(
            "DRUG_UNAPPROVED",
            Severity.BLOCKER if denied else Severity.WARNING,
            "6",
            f"The drug is not FDA-approved under an NDA, ANDA or BLA{named}. Having an NDC "
            "does not mean approval; "
            + (
                "Medicare denies drugs that have no final FDA marketing approval."
                if denied
                else "payers may deny it."
            ),
            "Do not bill Medicare for this product; use an FDA-approved product, or get a "
            "signed ABN before giving it."
            if denied
            else "Attach the reason this product was used and check the payer's coverage policy.",
            cite("§10 and 'Where blog-style guidance is wrong' 15", FDA_NDC_DIRECTORY)
            + ("; " + BPM_15_50_4_1 if denied else ""),
            i,
        )


def _self_administered(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    """Medicare Part B excludes drugs usually self-administered (BPM ch.15 §50.2); each MAC
    publishes its own exclusion list, so the directory's hint only warns."""
    facts = facts_for_line(line, ctx.facts)
    if ctx.claim.payer.kind is not PayerKind.MEDICARE or facts is None:
        return
    route = facts.route.upper()
    form = f"{facts.dosage_form} {facts.package_description}".upper()
    if "SUBCUTANEOUS" not in route or not SELF_INJECTION_FORMS.search(form):
        return
    if line.administration.cpt_code.strip():
        return  # the clerk recorded who gave it: an administration code billed by the office
    yield _f(
        "SELF_ADMINISTERED_DRUG",
        Severity.WARNING,
        "9",
        f"The FDA directory lists this drug for subcutaneous use as {facts.dosage_form.lower()}"
        + (f" ({facts.package_description})" if facts.package_description else "")
        + ": a form patients usually inject themselves. Part B does not pay for drugs on "
        "the contractor's self-administered drug exclusion list.",
        "Check the contractor's self-administered drug list. If the drug is not on it and "
        "staff gave it in the office, enter the administration code (item 9, e.g. 96372).",
        BPM_15_50_2,
        i,
        unverified=True,
    )


def _off_label(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    if not line.fda.off_label:
        return
    if not line.fda.off_label_rationale.strip():
        yield _f(
            "OFF_LABEL_NO_RATIONALE",
            Severity.BLOCKER,
            "6",
            "The use is off-label and no rationale is written.",
            "Write why this drug is used for this diagnosis, and cite the supporting evidence.",
            cite("§13", BPM_15_50_4_2),
            i,
        )
    if not line.fda.compendium_reference.strip():
        yield _f(
            "OFF_LABEL_NO_COMPENDIUM",
            Severity.WARNING,
            "6",
            "The off-label use cites no compendium or peer-reviewed literature.",
            "Add the compendium listing (e.g. DrugDex, NCCN, AHFS-DI) or the article.",
            cite("§13", BPM_15_50_4_2),
            i,
        )


def _acquisition(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    if line.acquisition is not Acquisition.PURCHASED:
        how = "a free sample" if line.acquisition is Acquisition.FREE_SAMPLE else "donated"
        yield _f(
            "DRUG_NOT_PURCHASED",
            Severity.BLOCKER,
            "2",
            f"The drug was {how}; a drug the clinic did not pay for cannot be billed.",
            "Do not submit this drug line (the administration may still be billed on its own); "
            "if the clinic did buy the drug, correct how it was acquired.",
            BPM_15_50_3,
            i,
        )


def _invoice(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    if line.acquisition is not Acquisition.PURCHASED:
        return
    invoice = line.invoice
    if not ctx.evidence.has(EvidenceKind.INVOICE, i):
        yield _invoice_not_stored(line, i, ctx)
    yield from _invoice_ndc(line, i)
    dos = ctx.claim.date_of_service
    if invoice.date and invoice.date > dos:
        yield _f(
            "INVOICE_AFTER_ADMINISTRATION",
            Severity.BLOCKER,
            "2",
            f"The invoice is dated {invoice.date.isoformat()}, after the drug was given "
            f"({dos.isoformat()}); it cannot be the purchase of this drug.",
            "Attach the invoice for the stock the dose came from.",
            cite("§8", FCSO_PRICING),
            i,
        )
    yield from _invoice_quantity(line, i)


def _invoice_not_stored(line: DrugLine, i: int, ctx: _Context) -> Finding:
    """Only a stored invoice file proves the purchase; paper kept at the clinic is a warning
    (contractors such as FCSO ask for the invoice later, by ADR)."""
    needed = (
        line.kind is DrugKind.COMPOUNDED
        or ctx.claim.payer.pricing_policy is PricingPolicy.INVOICE_MARKUP
    )
    if line.invoice.on_file:
        return _f(
            "INVOICE_NOT_SENT",
            Severity.WARNING,
            "2",
            "The invoice is on file at the clinic and is not sent with this claim; the "
            "packet says so and encloses no invoice"
            + (
                ". This line is priced from the invoice: expect the contractor to ask for it."
                if needed
                else "."
            ),
            "Scan the invoice and attach it, or send it when the contractor asks for it.",
            cite("§8, §14", FCSO_PRICING),
            i,
        )
    return _f(
        "INVOICE_MISSING",
        Severity.BLOCKER if needed else Severity.WARNING,
        "2",
        _not_stored("an invoice", "invoice", line.invoice.attached)
        + (
            "; this line is priced from the invoice."
            if needed
            else "; contractors ask for one when there is no ASP or WAC price."
        ),
        "Attach the supplier invoice showing the NDC, quantity and net price (or, when only "
        "the paper is at hand, mark it on file at the clinic).",
        cite("§8", FCSO_PRICING),
        i,
    )


def _not_stored(document: str, kind: str, stated_attached: bool) -> str:
    """A claim file's "attached": true is named, so the clerk sees why it does not count."""
    if stated_attached:
        return f"The claim says {document} is attached, but no {kind} file is stored with it"
    return f"No {kind} file is stored with this claim"


def _invoice_ndc(line: DrugLine, i: int) -> Iterable[Finding]:
    if not (line.invoice.ndc.strip() and line.ndc.strip()):
        return
    try:
        line_ndc = to_billing_ndc(line.ndc)
        invoice_readings = ndc_candidates(line.invoice.ndc)
    except NdcError:
        return  # the line's NDC rule reports a bad NDC; an unreadable invoice NDC can't compare
    if line_ndc not in invoice_readings:
        yield _f(
            "INVOICE_NDC_MISMATCH",
            Severity.BLOCKER,
            "2",
            f"The invoice's NDC ({line.invoice.ndc.strip()}) is not the line's NDC ({line_ndc}).",
            "Attach the invoice for the NDC actually given, or correct the line's NDC.",
            cite("§8", FCSO_PRICING),
            i,
        )


def _invoice_quantity(line: DrugLine, i: int) -> Iterable[Finding]:
    bought, dose, package = line.invoice.quantity, line.dose.amount, line.package
    if bought is None or dose is None or package.amount is None or not package.unit:
        return
    try:
        used = convert_dose(
            dose + (line.waste.amount or Decimal(0)), line.dose.unit, package.unit, package
        )
    except UnitError:
        return
    if bought * package.amount < used:
        unit = normalize_unit(package.unit)
        yield _f(
            "INVOICE_QUANTITY_TOO_SMALL",
            Severity.BLOCKER,
            "2",
            f"The invoice covers {plain_amount(bought * package.amount)} {unit}, less than the "
            f"{plain_amount(used)} {unit} given and discarded.",
            "Attach every invoice the dose came from.",
            cite("§8", FCSO_PRICING),
            i,
        )


def _dose(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    dose = line.dose
    src = cite("§7", NORIDIAN_NOC)
    if dose.amount is None:
        yield _f(
            "DOSE_MISSING",
            Severity.BLOCKER,
            "3",
            "No dose is entered.",
            "Enter the amount given, from the order or the administration record.",
            src,
            i,
        )
        return
    if not is_positive(dose.amount):
        yield _f(
            "DOSE_NOT_POSITIVE",
            Severity.BLOCKER,
            "3",
            f"The dose is {dose.amount}; it must be more than zero.",
            "Enter the amount actually given.",
            src,
            i,
        )
        return
    package = line.package
    if not _package_known(line):
        # One finding for the missing package size: the NDC quantity, waste and price rules
        # that need it stay quiet. It blocks when the NDC quantity cannot be built without it.
        needed = _ndc_quantity_error(line) is not None
        yield _f(
            "PACKAGE_AMOUNT_MISSING",
            Severity.BLOCKER if needed else Severity.WARNING,
            "1",
            "The package's drug amount or unit is not entered, so the "
            + ("NDC quantity (24A / CTP04), " if needed else "")
            + "waste and expected payment cannot be worked out.",
            "Enter how much drug one package holds, from the label.",
            cite("§2", X12_RFI_2151),
            i,
        )
        return
    assert package.amount is not None  # _package_known; the units convert (_dose_unit)
    in_package = convert_dose(dose.amount, dose.unit, package.unit, package)
    if in_package > MAX_PACKAGES_PER_DOSE * package.amount:
        # The 100-package ceiling is the app's guess at a typo, not a payer rule: it warns.
        yield _f(
            "DOSE_IMPLAUSIBLE",
            Severity.WARNING,
            "3",
            f"The dose ({plain_amount(dose.amount)} {normalize_unit(dose.unit)}) is more than "
            f"{MAX_PACKAGES_PER_DOSE} packages; that is almost surely a typo or a wrong unit.",
            "Check the dose and its unit against the order.",
            src,
            i,
            unverified=True,
        )


def _administration_date(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    given = line.dose.administered_at
    if given is None:
        return
    if given.date() > ctx.today:
        yield _f(
            "ADMINISTRATION_IN_FUTURE",
            Severity.BLOCKER,
            "3",
            f"The administration time {given:%Y-%m-%d %H:%M} is after today.",
            "Correct the administration date and time.",
            NUCC_ITEM_24,
            i,
        )
    elif given.date() != ctx.claim.date_of_service:
        yield _f(
            "ADMINISTRATION_DATE_NOT_DOS",
            Severity.WARNING,
            "3",
            f"The drug was given on {given.date().isoformat()}, but the date of service is "
            f"{ctx.claim.date_of_service.isoformat()}.",
            "Make the date of service the day the drug was given.",
            NUCC_ITEM_24,
            i,
        )


def _prescription(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    if ctx.evidence.has(EvidenceKind.ORDER, i):
        return
    if line.prescription.on_file:
        yield _f(
            "PRESCRIPTION_NOT_SENT",
            Severity.WARNING,
            "5",
            "The signed order is on file at the clinic and is not sent with this claim.",
            "Scan the signed order and attach it, or send it when the payer asks for it.",
            cite("§14", PIM_3_3_2_4),
            i,
        )
        return
    yield _f(
        "PRESCRIPTION_MISSING",
        Severity.WARNING,
        "5",
        _not_stored("the signed order", "signed order", line.prescription.attached) + ".",
        "Attach the physician's order (drug, dose, route, date, signature), or mark the "
        "paper on file at the clinic.",
        cite("§14", PIM_3_3_2_4),
        i,
    )


def _lot(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    lot = line.lot
    if not ctx.evidence.has(EvidenceKind.LABEL, i):
        # The label's GS1 barcode carries lot and expiry (§3); no payer rule asks for the
        # photo, so its absence is a warning, never a blocker.
        yield _f(
            "LABEL_PHOTO_MISSING",
            Severity.WARNING,
            "7",
            "No label photo is stored with this claim, so the lot and expiry are only as typed.",
            "Photograph the vial or carton label (its barcode holds the lot and expiry) and "
            "attach the photo.",
            cite("§3"),
            i,
        )
    # Lot and expiry are printed and barcoded on every Rx package (DSCSA, §3), so the record
    # can always hold them; no payer rule asks for them, so their absence is a warning.
    if not lot.number.strip():
        yield _f(
            "LOT_NUMBER_MISSING",
            Severity.WARNING,
            "7",
            "No lot number is recorded.",
            "Scan the barcode or copy the lot number from the vial.",
            cite("§3"),
            i,
        )
    if lot.expiration is None:
        yield _f(
            "LOT_EXPIRATION_MISSING",
            Severity.WARNING,
            "7",
            "No expiration date is recorded for the lot.",
            "Scan the barcode or copy the expiry date from the vial.",
            cite("§3"),
            i,
        )
    elif lot.expiration < ctx.claim.date_of_service:
        yield _f(
            "LOT_EXPIRED",
            Severity.BLOCKER,
            "7",
            f"The lot expired on {lot.expiration.isoformat()}, before the date of service.",
            "Check the expiry on the vial used; an expired drug must not be billed.",
            cite("§3", FDA_EXPIRATION_DATING),
            i,
        )


def _administration(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    admin = line.administration
    src = cite("§12")
    if admin.start and admin.end and admin.end < admin.start:
        yield _f(
            "ADMIN_END_BEFORE_START",
            Severity.BLOCKER,
            "9",
            f"The administration ends ({admin.end:%H:%M}) before it starts ({admin.start:%H:%M}).",
            "Correct the start and end times.",
            src,
            i,
        )
        return
    # The initial infusion code, also when its add-on hours are typed beside it (sanity.py).
    cpt = next((c for c in sanity.administration_codes(admin) if c in INFUSION_CODES), "")
    if not cpt:
        return
    if admin.start is None or admin.end is None:
        yield _f(
            "INFUSION_TIMES_MISSING",
            Severity.BLOCKER,
            "9",
            f"Infusion code {cpt} needs the infusion's start and end times.",
            "Enter the start and stop times from the infusion record; without them only a "
            "push can be supported.",
            src,
            i,
        )
        return
    minutes = (admin.end - admin.start).total_seconds() / 60
    if cpt in INITIAL_INFUSION_CODES and minutes <= 15:
        yield _f(
            "INFUSION_TOO_SHORT",
            Severity.WARNING,
            "9",
            f"The infusion lasted {minutes:.0f} minutes; {cpt} needs more than 15 minutes "
            "(15 or less is coded as a push).",
            "Check the times, or code the IV push instead.",
            src,
            i,
        )


def _waste(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    claim = ctx.claim
    facts = facts_for_line(line, ctx.facts)
    yield from waste.waste_findings(
        line,
        i,
        claim.date_of_service,
        claim.payer,
        place_of_service=claim.place_of_service,
        billing_unit=waste.billing_unit_for(line, claim.date_of_service, facts),
        facts=facts,
    )


def _modifiers(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    yield from modifiers.modifier_conflicts(
        line.modifiers,
        hcpcs_code=line.hcpcs_code,
        payer_kind=ctx.claim.payer.kind,
        date_of_service=ctx.claim.date_of_service,
        line=i,
    )


def _narrative(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    if not is_noc_code(line.hcpcs_code):
        return
    narrative = build_narrative(
        line, ctx.profile, resolved_ndc11=directory_ndc11(line.ndc, ctx.facts) or ""
    )
    src = cite("§7", *ctx.profile.sources)
    if narrative.missing:
        parts = ", ".join(p.value for p in narrative.missing)
        yield _f(
            "NARRATIVE_MISSING",
            Severity.BLOCKER,
            "narrative",
            f"{ctx.profile.name} needs the drug's {parts} in the narrative, and it is not entered.",
            f"Enter the {parts} on the drug line.",
            src,
            i,
        )
    # The JW line's narrative (the amount discarded) must fit too: it is sent on its own line.
    waste = line.waste.amount
    billed_as_waste = "JW" in {m.strip().upper() for m in line.modifiers} and (
        waste is not None and is_positive(waste)
    )
    discarded = build_narrative(line, ctx.profile, discarded=True) if billed_as_waste else None
    cut = [
        (which, text)
        for which, text in (("The narrative", narrative), ("The JW line's narrative", discarded))
        if text is not None and not text.fits
    ]
    if cut:  # one finding: the fix (a shorter name) serves both lines
        which, text = cut[0]
        yield _f(
            "NARRATIVE_TOO_LONG",
            Severity.BLOCKER,
            "narrative",
            f"{which} does not fit in {text.limit} characters even abbreviated; "
            f"it was cut to '{text.text}'.",
            "Shorten the drug name with a standard abbreviation, or send the description as "
            "an attachment (paper) or PWK (electronic).",
            src,
            i,
        )


def _pricing(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    if line.acquisition is not Acquisition.PURCHASED:
        return
    if line.charge is not None and not is_positive(line.charge):
        yield _f(
            "CHARGE_NOT_POSITIVE",
            Severity.BLOCKER,
            "pricing",
            f"The charge is {line.charge}; a billed charge is more than zero.",
            "Enter the clinic's charge for the drug.",
            NUCC_ITEM_24,
            i,
        )
    if line.charge is None:
        yield _f(
            "CHARGE_MISSING",
            Severity.WARNING,
            "pricing",
            "No charge is entered.",
            "Enter the clinic's charge for the drug.",
            NUCC_ITEM_24,
            i,
        )
    claim = ctx.claim
    facts = facts_for_line(line, ctx.facts)
    if not _package_known(line):
        return  # PACKAGE_AMOUNT_MISSING says the price needs the package size
    if _wrong_noc_code(line, claim.date_of_service, facts):
        return  # priced once the line carries its own code (SPECIFIC_HCPCS_EXISTS says which)
    try:
        price_line(line, claim.date_of_service, claim.payer, facts)
    except PricingError as error:
        yield _f(
            "PRICING_INCOMPLETE",
            Severity.WARNING,
            "pricing",
            f"The expected payment cannot be computed: {error.reason}",
            error.fix,
            cite("§8"),
            i,
        )


def _sanity(line: DrugLine, i: int, ctx: _Context) -> Iterable[Finding]:
    yield from sanity.waste_dwarfs_dose(line, i)
    yield from sanity.infusion_add_on_hours(line, i)


def _wrong_noc_code(line: DrugLine, date_of_service: date, facts: DrugFacts | None) -> bool:
    """A NOC line whose NDC has its own code on the DOS: any price for the NOC code is moot."""
    return (
        is_noc_code(line.hcpcs_code)
        and line.kind is not DrugKind.COMPOUNDED
        and specific_mapping(facts, date_of_service) is not None
    )


def _amount_fields(line: DrugLine) -> dict[str, Decimal | None]:
    return {
        "dose": line.dose.amount,
        "wasted amount": line.waste.amount,
        "package's drug amount": line.package.amount,
        "package's volume (mL)": line.package.volume_ml,
        "units": line.billed_units,
        "charge": line.charge,
        "invoice quantity": line.invoice.quantity,
        "invoice price": line.invoice.price_paid,
    }


def _unreadable(line: DrugLine, i: int) -> Iterable[Finding]:
    """Input no rule can judge (a NaN or infinite amount, a package unit the app does not
    know): one finding naming the field, instead of a crash or a silent pass."""
    for label, amount in _amount_fields(line).items():
        if amount is not None and not amount.is_finite():
            yield _f(
                "AMOUNT_UNREADABLE",
                Severity.BLOCKER,
                "1",
                f"The {label} is '{amount}', which is not a number; the rest of this line is "
                "checked once it is corrected.",
                f"Enter the {label} as a number.",
                cite("§2"),
                i,
            )
    unit = line.package.unit.strip()
    if unit:
        try:
            normalize_unit(unit)
        except UnitError as error:
            yield _f(
                "PACKAGE_UNIT_INVALID",
                Severity.BLOCKER,
                "1",
                f"The package's unit: {error} The rest of this line is checked once it is "
                "corrected.",
                "Pick the unit of the package's drug amount from the list (as on the label).",
                cite("§2"),
                i,
            )
            return
    amount = line.package.amount
    if amount is not None and amount.is_finite() and not is_positive(amount):
        yield _f(
            "PACKAGE_AMOUNT_MISSING",
            Severity.BLOCKER,
            "1",
            f"The package's drug amount is {amount}; one package holds more than nothing. "
            "The rest of this line is checked once it is corrected.",
            "Enter how much drug one package holds, from the label.",
            cite("§2", X12_RFI_2151),
            i,
        )
        return
    yield from _dose_unit(line, i)


def _dose_unit(line: DrugLine, i: int) -> Iterable[Finding]:
    """A dose unit that is unknown, or that cannot be counted in the package's unit."""
    dose, package = line.dose, line.package
    if dose.amount is None or not is_positive(dose.amount):
        return  # DOSE_MISSING / DOSE_NOT_POSITIVE (the _dose rule)
    src = cite("§7", NORIDIAN_NOC)
    try:
        normalize_unit(dose.unit)
        if _package_known(line):
            convert_dose(dose.amount, dose.unit, package.unit, package)
    except UnitError as error:
        unknown = not _known_unit(dose.unit)
        yield _f(
            "DOSE_UNIT_INVALID" if unknown else "DOSE_UNIT_INCOMPATIBLE",
            Severity.BLOCKER,
            "3",
            f"{error} The rest of this line is checked once the dose unit is corrected.",
            "Pick the dose unit from the list."
            if unknown
            else "Enter the dose in the unit the package label uses.",
            src,
            i,
        )


def _known_unit(text: str) -> bool:
    try:
        normalize_unit(text)
    except UnitError:
        return False
    return True


_ClaimRule = Callable[[_Context], Iterable[Finding]]
_LineRule = Callable[[DrugLine, int, _Context], Iterable[Finding]]

CLAIM_RULES: tuple[_ClaimRule, ...] = (
    _reference_data,
    _drug_lines_present,
    _date_of_service,
    _diagnoses,
    _standard_treatment,
    _prior_auth,
    _timely_filing,
    _provider,
)
LINE_RULES: tuple[_LineRule, ...] = (
    _ndc,
    _ndc_quantity,
    _codes,
    _descriptor_names_drug,
    _units,
    _fda_status,
    _self_administered,
    _off_label,
    _acquisition,
    _invoice,
    _dose,
    _administration_date,
    _prescription,
    _lot,
    _waste,
    _modifiers,
    _administration,
    _narrative,
    _pricing,
    _sanity,
)


def check_claim(
    claim: Claim,
    *,
    today: date | None = None,
    facts: Mapping[str, DrugFacts] | None = None,
    rules: ClinicRules = DEFAULT_RULES,
    evidence: Evidence = NO_EVIDENCE,
) -> list[Finding]:
    """All findings for the claim: claim-level first, then line by line.

    `facts` is the reference data keyed by 11-digit NDC; None means none is loaded.
    `evidence` is the documents stored with the claim (none unless the caller says).
    `today` defaults to the system date; tests pass a fixed day.
    """
    ctx = _Context(claim, today or date.today(), facts, rules, profile_for(claim.payer), evidence)
    findings = [f for rule in CLAIM_RULES for f in rule(ctx)]
    for index, line in enumerate(claim.drug_lines):
        unreadable = list(_unreadable(line, index))
        rules_for_line = () if unreadable else LINE_RULES  # judged once the field is fixed
        findings += unreadable + [f for rule in rules_for_line for f in rule(line, index, ctx)]
    return findings
