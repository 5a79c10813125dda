"""Where each finding is shown: the field it is about, or the step where it is fixed; and the
message next to each field, from the findings and the live checks the claim check does not
make."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from j3490_desk.domain import claim as domain
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.ndc import NdcError, ndc_candidates
from j3490_desk.domain.units import UnitError, dose_package_problem
from j3490_desk.services.drafts.steps import HEADER, LINE_ITEMS, STEP_OF_ITEM, line_step
from j3490_desk.services.drafts.typed_text import LONG_TEXT_LIMIT, TEXT_LIMIT, clean_text

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
    "C9399_APPROVAL_UNCONFIRMED": "fda.status",
    "C9399_APPROVED_BEFORE_2004": "hcpcs_code",
    "SELF_ADMINISTERED_DRUG": "administration.cpt_code",
    "HCPCS_CODE_INVALID": "hcpcs_code",
    "UNITS_NOT_POSITIVE": "billed_units",
    "PACKAGE_UNIT_INVALID": "package.unit",
    "CHARGE_NOT_POSITIVE": "charge",
    "DRUG_NOT_PURCHASED": "acquisition",
    "INVOICE_MISSING": "invoice.on_file",
    "INVOICE_NOT_SENT": "invoice.on_file",
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
    "PRESCRIPTION_MISSING": "prescription.on_file",
    "PRESCRIPTION_NOT_SENT": "prescription.on_file",
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
    "WASTE_DWARFS_DOSE": "waste.amount",  # confirm the amount discarded (domain/sanity.py)
    "ADMIN_END_BEFORE_START": "administration.end",
    "INFUSION_TIMES_MISSING": "administration.start",
    "INFUSION_TOO_SHORT": "administration.end",
    "INFUSION_ADD_ON_HOURS_MISSING": "administration.cpt_code",  # the add-on code goes there
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
    target = STEP_OF_ITEM.get(finding.item, finding.item)
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
    for finding in sorted(findings, key=severity_rank):
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


def severity_rank(finding: Finding) -> int:
    return (Severity.BLOCKER, Severity.WARNING, Severity.INFO).index(finding.severity)
