"""Which code a drug line should carry: its specific HCPCS code, or which unclassified (NOC) code.

domain.md sections 6 and 13. NOC codes are not interchangeable: payers reject the wrong one.
A drug that has its own code keeps it, off-label use included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from j3490_desk.domain.amounts import plain_amount
from j3490_desk.domain.billing_units import mapping_billing_unit, whole_units
from j3490_desk.domain.claim import (
    DrugFacts,
    DrugKind,
    DrugLine,
    FdaStatus,
    HcpcsMapping,
    PlaceOfService,
)
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.ndc_resolution import resolved_facts
from j3490_desk.domain.sources import (
    FCSO_NOC,
    FDA_NDC_DIRECTORY,
    HCPCS_2025_OCT_FILE,
    NGS_C9399,
    NOVITAS_NOC,
    PALMETTO_NOC,
    cite,
)
from j3490_desk.domain.units import UnitError, is_positive, normalize_unit

J7999_START = date(2016, 1, 1)  # J7999 "Compounded drug, NOC" added 2016-01-01 (HCPCS file)
HOSPITAL_OUTPATIENT_OR_ASC = frozenset(
    {
        PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL,
        PlaceOfService.OFF_CAMPUS_OUTPATIENT_HOSPITAL,
        PlaceOfService.AMBULATORY_SURGICAL_CENTER,
    }
)
ORAL_ROUTES = frozenset({"ORAL", "PO", "BUCCAL", "SUBLINGUAL"})  # FDA ROUTENAME values (§10)

C9399_APPROVED_FROM = date(2004, 1, 1)  # C9399: drugs FDA-approved on/after this day (§6)

# The one list of unclassified (NOC) drug codes: official long descriptors, CMS HCPCS file
# October 2025 (domain.md section 6). Every caller (rules, services, the wizard) reads it here.
NOC_CODES: dict[str, str] = {
    "J3490": "Unclassified drugs",
    "J3590": "Unclassified biologics",
    "J3591": "Unclassified drug or biological used for ESRD on dialysis",
    "J7999": "Compounded drug, not otherwise classified",
    "J9999": "Not otherwise classified, antineoplastic drugs",
    "C9399": "Unclassified drugs or biologicals",
    "J8499": "Prescription drug, oral, non chemotherapeutic, NOS",
    "J8999": "Prescription drug, oral, chemotherapeutic, NOS",
    "J8597": "Antiemetic drug, oral, not otherwise specified",
    "J8498": "Antiemetic drug, rectal/suppository, not otherwise specified",
}
# NOC codes for drugs not injected (oral, or J8498 rectal): "given other than orally" never
# describes them, and which of them fits an oral drug is the clerk's call (antiemetic or not).
NOT_INJECTED_NOC_CODES = frozenset({"J8499", "J8999", "J8597", "J8498"})

CODES: dict[str, str] = {
    "SPECIFIC_HCPCS_EXISTS": "A specific HCPCS code covers this NDC on the date of service",
    "NOC_CODE_MISMATCH": "The line's unclassified code is not the one that fits the drug",
    "C9399_OUTSIDE_HOSPITAL": "C9399 on a claim that is not hospital outpatient or ASC",
    "C9399_APPROVAL_UNCONFIRMED": "C9399 on a drug whose FDA approval is not confirmed",
    "C9399_APPROVED_BEFORE_2004": "C9399 on a drug on the market before 2004",
    "ORAL_DRUG": "An oral drug billed with an injectable unclassified code",
}


@dataclass(frozen=True)
class CodeSuggestion:
    code: str
    why: str  # plain words for the clerk
    source: str
    specific: bool = False  # True when it is the drug's own HCPCS code, not a NOC code


def offered_noc_codes(place_of_service: PlaceOfService) -> tuple[str, ...]:
    """The unclassified codes to offer a clerk for a claim in this setting: C9399 only on a
    hospital outpatient or ASC claim, never on a physician-office one (domain.md §16, §6)."""
    hospital = place_of_service in HOSPITAL_OUTPATIENT_OR_ASC
    return tuple(code for code in NOC_CODES if hospital or code != "C9399")


def is_noc_code(code: str) -> bool:
    return code.strip().upper() in NOC_CODES


def fda_approved(line: DrugLine, facts: DrugFacts | None) -> bool | None:
    """True/False from the clerk's FDA status or the directory's category; None if unknown."""
    if line.fda.status is FdaStatus.APPROVED or (facts is not None and facts.fda_approved):
        return True
    if line.fda.status in {FdaStatus.UNAPPROVED, FdaStatus.INVESTIGATIONAL} or (
        facts is not None and facts.fda_approved is False
    ):
        return False
    return None


def on_market_before_c9399(facts: DrugFacts | None) -> bool:
    """Marketed before 2004 (FDA directory), hence approved before C9399's cut-off date."""
    started = facts.start_marketing_date if facts is not None else None
    return started is not None and started < C9399_APPROVED_FROM


def is_biologic(line: DrugLine, facts: DrugFacts | None) -> bool:
    """The clerk's kind, or the FDA directory's BLA (a biologics licence) for a plain drug."""
    if line.kind is DrugKind.BIOLOGIC:
        return True
    category = facts.marketing_category.strip().upper() if facts is not None else ""
    return line.kind is DrugKind.DRUG and category == "BLA"


def is_oral(line: DrugLine, facts: DrugFacts | None) -> bool:
    """Oral per the FDA directory when known, else per the route the clerk entered."""
    if facts is not None and facts.oral is not None:
        return facts.oral
    return line.dose.route.strip().upper() in ORAL_ROUTES


def facts_for_line(line: DrugLine, facts: Mapping[str, DrugFacts] | None) -> DrugFacts | None:
    """The reference data for the line's NDC (keyed by 11-digit NDC, or by the digits of a
    hyphen-less 10-digit NDC the directory resolved); None if none applies."""
    return resolved_facts(line.ndc, facts)


def specific_mapping(facts: DrugFacts | None, date_of_service: date) -> HcpcsMapping | None:
    """The crosswalk code in effect on the DOS: a new code starts in its quarter (§13)."""
    if facts is None:
        return None
    # A code another package of the same product carries names this drug too (issue 19).
    for mapping in (*facts.specific_hcpcs, *facts.product_hcpcs):
        ends = mapping.effective_to
        if mapping.effective_from <= date_of_service and (ends is None or date_of_service <= ends):
            return mapping
    return None


def _crosswalk_subject(mapping: HcpcsMapping, facts: DrugFacts | None) -> str:
    if facts is not None and mapping in facts.product_hcpcs:
        return "this drug (another package of the same labeler and product code)"
    return "this NDC"


def suggest_code(
    line: DrugLine,
    date_of_service: date,
    place_of_service: PlaceOfService,
    facts: DrugFacts | None = None,
    *,
    compound_code: str = "J7999",
) -> CodeSuggestion:
    """The code this line should carry; `compound_code` is the payer profile's override."""
    mapping = specific_mapping(facts, date_of_service)
    if mapping is not None and line.kind is not DrugKind.COMPOUNDED:
        return CodeSuggestion(
            mapping.code,
            f"The CMS NDC-HCPCS crosswalk gives {_crosswalk_subject(mapping, facts)} its own "
            f"code, {mapping.code}, from "
            f"{mapping.effective_from.isoformat()}. A code names the drug, not the use, so "
            "off-label use keeps it too.",
            cite("§13", NOVITAS_NOC),
            specific=True,
        )
    if is_oral(line, facts):
        code = "J8999" if line.kind is DrugKind.ANTINEOPLASTIC else "J8499"
        return CodeSuggestion(
            code,
            f"The drug is taken by mouth; oral drugs are never J3490. {code} is "
            f"'{NOC_CODES[code]}' (J8499 is rarely covered by Part B).",
            cite("§6", HCPCS_2025_OCT_FILE),
        )
    if line.kind is DrugKind.COMPOUNDED:
        if date_of_service >= J7999_START:
            return CodeSuggestion(
                compound_code,
                f"A compounded drug: {compound_code}"
                + (
                    " ('Compounded drug, not otherwise classified') has been the code since "
                    "1 Jan 2016 (Novitas, FCSO and Palmetto list it; some payers still say J3490)."
                    if compound_code == "J7999"
                    else " is this payer's instruction for compounds."
                ),
                cite("§6", NOVITAS_NOC, FCSO_NOC),
            )
        return CodeSuggestion(
            "J3490",
            "A compounded drug given before 1 Jan 2016, when J7999 did not yet exist: "
            "contractors then told providers to use J3490.",
            cite("§6", PALMETTO_NOC),
        )
    if (
        place_of_service in HOSPITAL_OUTPATIENT_OR_ASC
        and fda_approved(line, facts)
        and not on_market_before_c9399(facts)
    ):
        return CodeSuggestion(
            "C9399",
            "Hospital outpatient or ASC claim: C9399 ('Unclassified drugs or biologicals') is "
            "for drugs FDA-approved on or after 1 Jan 2004 with no code yet, billed as 1 unit "
            "with the NDC and dose.",
            cite("§6", NGS_C9399),
        )
    if is_biologic(line, facts):  # antineoplastics stay J9999 (kind decides first)
        why = (
            "A biologic"
            if line.kind is DrugKind.BIOLOGIC
            else "The FDA directory lists this drug under a BLA (a biologics licence): a biologic"
        )
        return CodeSuggestion(
            "J3590",
            f"{why} without its own code: J3590 ('Unclassified biologics'), not J3490.",
            cite("§6", HCPCS_2025_OCT_FILE, FDA_NDC_DIRECTORY),
        )
    if line.kind is DrugKind.ANTINEOPLASTIC:
        return CodeSuggestion(
            "J9999",
            "An anticancer drug without its own code: J9999 ('Not otherwise classified, "
            "antineoplastic drugs').",
            cite("§6", HCPCS_2025_OCT_FILE),
        )
    return CodeSuggestion(
        "J3490",
        "A drug given other than by mouth, not a biologic, anticancer drug or compound, with no "
        "code of its own: J3490 ('Unclassified drugs').",
        cite("§6", HCPCS_2025_OCT_FILE),
    )


def specific_code_units(line: DrugLine, mapping: HcpcsMapping) -> str:
    """ "75 units (750 mg at 10 mg a unit)" for the dose given; "" when it cannot be counted."""
    unit = mapping_billing_unit(mapping, line.package)
    dose = line.dose.amount
    if unit is None or dose is None or not is_positive(dose):
        return ""
    units = whole_units(dose, line, unit)
    if units is None:
        return ""
    try:
        given = f"{plain_amount(dose)} {normalize_unit(line.dose.unit)}"
    except UnitError:
        return ""
    return (
        f"{plain_amount(units)} unit(s) ({given} at {plain_amount(unit.amount)} {unit.unit} "
        "a unit, partial units rounded up)"
    )


def code_findings(
    line: DrugLine,
    index: int,
    date_of_service: date,
    place_of_service: PlaceOfService,
    facts: DrugFacts | None = None,
    *,
    compound_code: str = "J7999",
) -> list[Finding]:
    """One finding at most: the first reason the line's code is wrong."""
    billed = line.hcpcs_code.strip().upper()
    suggestion = suggest_code(
        line, date_of_service, place_of_service, facts, compound_code=compound_code
    )
    if billed == suggestion.code:
        return []

    def finding(
        code: str,
        severity: Severity,
        message: str,
        fix: str,
        source: str,
        *,
        unconfirmed: bool = False,
    ) -> list[Finding]:
        return [Finding(code, severity, "coding", message, fix, index, source, unconfirmed)]

    if suggestion.specific and is_noc_code(billed):
        off_label = (
            " The use is off-label, which does not change the code." if line.fda.off_label else ""
        )
        mapping = specific_mapping(facts, date_of_service)
        units = specific_code_units(line, mapping) if mapping is not None else ""
        return finding(
            "SPECIFIC_HCPCS_EXISTS",
            Severity.BLOCKER,
            f"This drug has its own code, {suggestion.code}, on the date of service; "
            f"{billed} will be denied.{off_label} Off-label use changes coverage and the "
            "documents needed (compendium support, medical necessity), not the code.",
            f"Bill {suggestion.code} with "
            + (units or "its billing units (the HCPCS descriptor's amount per unit)")
            + ", and drop the NOC narrative.",
            suggestion.source,
        )
    if billed == "C9399" and place_of_service not in HOSPITAL_OUTPATIENT_OR_ASC:
        return finding(
            "C9399_OUTSIDE_HOSPITAL",
            Severity.BLOCKER,
            "C9399 is for hospital outpatient and ASC claims only, never a physician-office "
            f"claim (place of service {place_of_service.value}).",
            f"Use {suggestion.code}: {suggestion.why}",
            cite("§6 and §16", NGS_C9399),
        )
    if billed == "C9399" and fda_approved(line, facts) is None:
        # Approval is a condition of C9399, and nothing on the line says either way: ask.
        return finding(
            "C9399_APPROVAL_UNCONFIRMED",
            Severity.WARNING,
            "C9399 is for drugs FDA-approved on or after 1 Jan 2004 that have no code yet, "
            "and this drug's FDA approval is not known (not in the loaded FDA directory, and "
            "FDA status is 'unknown').",
            "Check the approval (FDA label or approval letter) and set FDA status to approved; "
            f"if the drug is not FDA-approved, use {suggestion.code}.",
            cite("§6", NGS_C9399),
            unconfirmed=True,
        )
    if billed == "C9399" and fda_approved(line, facts) and on_market_before_c9399(facts):
        assert facts is not None and facts.start_marketing_date is not None
        return finding(
            "C9399_APPROVED_BEFORE_2004",
            Severity.WARNING,
            "C9399 is for drugs FDA-approved on or after 1 Jan 2004; the FDA directory says "
            f"this product has been marketed since {facts.start_marketing_date.isoformat()}, "
            "so it was approved before then.",
            f"Use {suggestion.code}. {suggestion.why}",
            cite("§6", NGS_C9399, FDA_NDC_DIRECTORY),
        )
    if is_oral(line, facts) and is_noc_code(billed) and billed not in NOT_INJECTED_NOC_CODES:
        return finding(
            "ORAL_DRUG",
            Severity.BLOCKER,
            f"This drug is taken by mouth; {billed} ('{NOC_CODES[billed]}') is for drugs given "
            "other than orally.",
            f"Use {suggestion.code}, and check whether the payer covers the oral drug at all.",
            suggestion.source,
        )
    if is_oral(line, facts) and billed in NOT_INJECTED_NOC_CODES - {"J8499", "J8999"}:
        return []  # J8597/J8498 (antiemetics) fit an oral drug as well as J8499: the clerk knows
    if is_noc_code(billed) and not suggestion.specific:
        # C9399 is the better code for a new drug in a hospital, but J3490 there is only
        # packaged (OPPS status N), not rejected: a warning.
        severity = Severity.WARNING if suggestion.code == "C9399" else Severity.BLOCKER
        return finding(
            "NOC_CODE_MISMATCH",
            severity,
            f"{billed} does not fit this drug; unclassified codes are not interchangeable "
            "and the wrong one is rejected.",
            f"Use {suggestion.code}. {suggestion.why}",
            suggestion.source,
        )
    return []
