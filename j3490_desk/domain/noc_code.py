"""Which code a drug line should carry: its specific HCPCS code, or which unclassified (NOC) code.

domain.md sections 6 and 13. NOC codes are not interchangeable: payers reject the wrong one.
A drug that has its own code keeps it, off-label use included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

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
    HCPCS_2025_OCT_FILE,
    NGS_C9399,
    NOVITAS_NOC,
    PALMETTO_NOC,
    cite,
)

J7999_START = date(2016, 1, 1)  # J7999 "Compounded drug, NOC" added 2016-01-01 (HCPCS file)
HOSPITAL_OUTPATIENT_OR_ASC = frozenset(
    {
        PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL,
        PlaceOfService.OFF_CAMPUS_OUTPATIENT_HOSPITAL,
        PlaceOfService.AMBULATORY_SURGICAL_CENTER,
    }
)
ORAL_ROUTES = frozenset({"ORAL", "PO", "BUCCAL", "SUBLINGUAL"})  # FDA ROUTENAME values (§10)

NOC_DESCRIPTORS = {  # official long descriptors, HCPCS file (domain.md section 6)
    "J3490": "Unclassified drugs",
    "J3590": "Unclassified biologics",
    "J3591": "Unclassified drug or biological used for ESRD on dialysis",
    "J7999": "Compounded drug, not otherwise classified",
    "J9999": "Not otherwise classified, antineoplastic drugs",
    "J8499": "Prescription drug, oral, non chemotherapeutic, NOS",
    "J8999": "Prescription drug, oral, chemotherapeutic, NOS",
    "C9399": "Unclassified drugs or biologicals",
}

CODES: dict[str, str] = {
    "SPECIFIC_HCPCS_EXISTS": "A specific HCPCS code covers this NDC on the date of service",
    "NOC_CODE_MISMATCH": "The line's unclassified code is not the one that fits the drug",
    "C9399_OUTSIDE_HOSPITAL": "C9399 on a claim that is not hospital outpatient or ASC",
    "ORAL_DRUG": "An oral drug billed with an injectable unclassified code",
}


@dataclass(frozen=True)
class CodeSuggestion:
    code: str
    why: str  # plain words for the clerk
    source: str
    specific: bool = False  # True when it is the drug's own HCPCS code, not a NOC code


def is_noc_code(code: str) -> bool:
    return code.strip().upper() in NOC_DESCRIPTORS


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
            f"'{NOC_DESCRIPTORS[code]}' (J8499 is rarely covered by Part B).",
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
    fda_approved = line.fda.status is FdaStatus.APPROVED or bool(facts and facts.fda_approved)
    if place_of_service in HOSPITAL_OUTPATIENT_OR_ASC and fda_approved:
        return CodeSuggestion(
            "C9399",
            "Hospital outpatient or ASC claim: C9399 ('Unclassified drugs or biologicals') is "
            "for FDA-approved drugs with no code yet, billed as 1 unit with the NDC and dose.",
            cite("§6", NGS_C9399),
        )
    if line.kind is DrugKind.BIOLOGIC:
        return CodeSuggestion(
            "J3590",
            "A biologic without its own code: J3590 ('Unclassified biologics'), not J3490.",
            cite("§6", HCPCS_2025_OCT_FILE),
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
    if suggestion.specific and is_noc_code(billed):
        off_label = (
            " The use is off-label, which does not change the code." if line.fda.off_label else ""
        )
        return [
            Finding(
                "SPECIFIC_HCPCS_EXISTS",
                Severity.BLOCKER,
                "coding",
                f"This drug has its own code, {suggestion.code}, on the date of service; "
                f"{billed} will be denied.{off_label} Off-label use changes coverage and the "
                "documents needed (compendium support, medical necessity), not the code.",
                f"Bill {suggestion.code} with its billing units, and drop the NOC narrative.",
                index,
                suggestion.source,
            )
        ]
    if billed == "C9399" and place_of_service not in HOSPITAL_OUTPATIENT_OR_ASC:
        return [
            Finding(
                "C9399_OUTSIDE_HOSPITAL",
                Severity.BLOCKER,
                "coding",
                "C9399 is for hospital outpatient and ASC claims only, never a physician-office "
                f"claim (place of service {place_of_service.value}).",
                f"Use {suggestion.code}: {suggestion.why}",
                index,
                cite("§6 and §16", NGS_C9399),
            )
        ]
    if is_oral(line, facts) and billed not in {"J8499", "J8999"}:
        return [
            Finding(
                "ORAL_DRUG",
                Severity.BLOCKER,
                "coding",
                f"This drug is taken by mouth; {billed} is for drugs given other than orally.",
                f"Use {suggestion.code}, and check whether the payer covers the oral drug at all.",
                index,
                suggestion.source,
            )
        ]
    if is_noc_code(billed) and not suggestion.specific:
        # C9399 is the better code for a new drug in a hospital, but J3490 there is only
        # packaged (OPPS status N), not rejected: a warning.
        severity = Severity.WARNING if suggestion.code == "C9399" else Severity.BLOCKER
        return [
            Finding(
                "NOC_CODE_MISMATCH",
                severity,
                "coding",
                f"{billed} does not fit this drug; unclassified codes are not interchangeable "
                "and the wrong one is rejected.",
                f"Use {suggestion.code}. {suggestion.why}",
                index,
                suggestion.source,
            )
        ]
    return []
