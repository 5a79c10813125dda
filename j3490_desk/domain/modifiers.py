"""The HCPCS modifiers a clinic billing unclassified drugs meets, and which combinations clash.

Descriptors are the official HCPCS Level II long descriptors (CMS HCPCS file, October 2025;
the same words as the 2019 file of domain.md section 5; 25 is AMA CPT, paraphrased).
See domain.md section 5 and vectors.json "modifiers". The waste modifiers' date and container
rules live in waste.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from j3490_desk.domain.claim import PayerKind
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.noc_code import is_noc_code
from j3490_desk.domain.sources import (
    CMS_DISCARDED_DRUGS,
    HCPCS_2025_OCT_FILE,
    NORIDIAN_JW_JZ,
    cite,
)


@dataclass(frozen=True)
class Modifier:
    code: str
    descriptor: str  # official long descriptor
    purpose: str  # what it is for, in plain words
    when_it_fits: str  # when the clerk should use it
    source: str
    valid_to: date | None = None  # the HCPCS file's termination date


MODIFIERS: dict[str, Modifier] = {
    m.code: m
    for m in (
        Modifier(
            "JW",
            "Drug amount discarded/not administered to any patient",
            "Bills the part of a single-dose vial that was thrown away.",
            "A single-dose vial or package was only partly used. The discarded amount goes on "
            "its own line with JW; record how much was wasted and why. Never for multi-dose vials.",
            cite("§5", CMS_DISCARDED_DRUGS),
        ),
        Modifier(
            "JZ",
            "Zero drug amount discarded/not administered to any patient",
            "Says nothing was thrown away from a single-dose vial.",
            "The whole single-dose vial was given (Medicare: required for dates of service from "
            "1 July 2023). Never together with JW, never on multi-dose vials.",
            cite("§5", CMS_DISCARDED_DRUGS, NORIDIAN_JW_JZ),
        ),
        Modifier(
            "KD",
            "Drug or biological infused through DME",
            "Marks a drug given through a durable medical equipment pump (DME MAC claims).",
            "Only when the drug ran through an external infusion pump billed as DME, "
            "not for an injection or infusion given in the office.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "KX",
            "Requirements specified in the medical policy have been met",
            "Tells the payer the coverage policy's documentation requirements are met.",
            "Only when an LCD or policy article for this drug tells you to add KX.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "KO",
            "Single drug unit dose formulation",
            "DME MAC inhalation (nebulizer) drugs in unit-dose form.",
            "Only on DME nebulizer drug codes; never on an office-administered drug line.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "KP",
            "First drug of a multiple drug unit dose formulation",
            "DME MAC inhalation drugs: the first drug of a multi-drug unit-dose nebulizer mix.",
            "Only on DME nebulizer drug codes; it does not mean 'first drug of the visit' "
            "and it has nothing to do with waste.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "KQ",
            "Second or subsequent drug of a multiple drug unit dose formulation",
            "DME MAC inhalation drugs: the second or later drug of a unit-dose nebulizer mix.",
            "Only on DME nebulizer drug codes, paired with KP on the other drug's line.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "U4",
            "Medicaid level of care 4, as defined by each state",
            "A Medicaid modifier whose meaning each state sets.",
            "Only when this state's Medicaid program (or plan) tells you what U4 means for it.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "UD",
            "Medicaid level of care 13, as defined by each state",
            "A Medicaid modifier whose meaning each state sets; several plans use it for 340B.",
            "Only when this Medicaid program or plan asks for it (often: drug bought under 340B; "
            "Texas uses U8 instead).",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "25",
            "Significant, separately identifiable evaluation and management service by the same "
            "physician or other qualified health care professional on the same day of the "
            "procedure or other service (AMA CPT, paraphrased)",
            "Lets an office visit be paid on the same day as a procedure.",
            "On the office-visit (E/M) line only, never on the drug line.",
            cite("§5"),
        ),
        Modifier(
            "GA",
            "Waiver of liability statement issued as required by payer policy, individual case",
            "Says a signed Advance Beneficiary Notice (ABN) is on file.",
            "Only when the patient signed an ABN before the drug was given because Medicare "
            "may find it not reasonable and necessary.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "JA",
            "Administered intravenously",
            "Informational: the drug was given into a vein.",
            "When the payer asks for the route as a modifier.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "JB",
            "Administered subcutaneously",
            "Informational: the drug was given under the skin.",
            "When the payer asks for the route as a modifier.",
            cite("§5", HCPCS_2025_OCT_FILE),
        ),
        Modifier(
            "JG",
            "Drug or biological acquired with 340B drug pricing program discount, reported for "
            "informational purposes",
            "Medicare 340B tracking (2018-2024) for 340B entities other than the TB hospitals.",
            "Dates of service up to 31 Dec 2024 only: the drug was bought at the 340B price. "
            "The HCPCS file ends JG on 2024-12-31; from 2025 every 340B entity uses TB.",
            cite("§15", HCPCS_2025_OCT_FILE),
            valid_to=date(2024, 12, 31),
        ),
        Modifier(
            "TB",
            "Drug or biological acquired with 340B drug pricing program discount, reported for "
            "informational purposes",
            "Medicare 340B tracking: the drug was bought at the 340B price.",
            "Dates of service from 1 Jan 2025: any 340B-acquired drug. Before 2025 only rural sole "
            "community, children's, PPS-exempt cancer and critical access hospitals used TB.",
            cite("§15", HCPCS_2025_OCT_FILE),
        ),
    )
}

CODES: dict[str, str] = {
    "MODIFIER_UNKNOWN": "A modifier code the app does not know",
    "MODIFIER_TERMINATED": "A modifier the HCPCS file ended before the date of service",
    "MODIFIER_DUPLICATE": "The same modifier appears twice on one line",
    "MODIFIER_JW_WITH_JZ": "JW and JZ on the same line",
    "MODIFIER_JG_WITH_TB": "JG and TB (both 340B) on the same line",
    "MODIFIER_KP_WITH_KQ": "KP and KQ on the same line",
    "MODIFIER_UNIT_DOSE_ON_NOC": "KO/KP/KQ (DME inhalation unit dose) on an unclassified drug line",
    "MODIFIER_25_ON_DRUG_LINE": "Modifier 25 (E/M service) on a drug line",
    "MODIFIER_KD_OFFICE": "KD (infused through DME) on an office drug line",
    "MODIFIER_STATE_DEFINED_ON_MEDICARE": "U4/UD (state Medicaid modifiers) on a Medicare claim",
    "MODIFIER_NEEDS_DOCUMENT": "KX or GA: only with the policy's documentation or a signed ABN",
}

_UNIT_DOSE = frozenset({"KO", "KP", "KQ"})
_STATE_DEFINED = frozenset({"U4", "UD"})


def medicare_340b_advice(date_of_service: date | None) -> str:
    """Which 340B modifier Medicare takes on the DOS: JG ended 2024-12-31 (HCPCS file TERM DT),
    after which every 340B entity reports TB (domain.md section 15 correction)."""
    jg_end = MODIFIERS["JG"].valid_to
    assert jg_end is not None
    if date_of_service is not None and date_of_service > jg_end:
        return "use TB for a 340B-acquired drug (JG ended on 2024-12-31)"
    tb_only = "TB for rural sole community, children's, PPS-exempt cancer or critical access"
    if date_of_service is None:
        return f"use TB from 2025; before 2025 {tb_only} hospitals, JG for everyone else"
    return f"use {tb_only} hospitals, JG for everyone else"


def normalize_modifier(text: str) -> str:
    return text.strip().upper()


def modifier_info(code: str) -> Modifier | None:
    return MODIFIERS.get(normalize_modifier(code))


def modifier_conflicts(
    modifiers: Sequence[str],
    *,
    hcpcs_code: str = "J3490",
    payer_kind: PayerKind | None = None,
    date_of_service: date | None = None,
    line: int | None = None,
) -> list[Finding]:
    """Problems with one drug line's modifiers, in the order a payer's edits would meet them."""
    codes = [normalize_modifier(m) for m in modifiers if m.strip()]
    present = set(codes)
    findings: list[Finding] = []

    def add(code: str, severity: Severity, message: str, fix: str, source: str) -> None:
        findings.append(Finding(code, severity, "modifiers", message, fix, line, source))

    for code in sorted(present - MODIFIERS.keys()):
        add(
            "MODIFIER_UNKNOWN",
            Severity.WARNING,
            f"Modifier {code} is not one the app knows for drug lines.",
            "Check the code against the payer's instructions; remove it if it was a typo.",
            cite("§5", HCPCS_2025_OCT_FILE),
        )
    for code in sorted(present & MODIFIERS.keys()):
        valid_to = MODIFIERS[code].valid_to
        if date_of_service and valid_to and date_of_service > valid_to:
            add(
                "MODIFIER_TERMINATED",
                Severity.BLOCKER,
                f"Modifier {code} ended on {valid_to.isoformat()}, before this date of service.",
                "Replace JG with TB: from 1 Jan 2025 every 340B entity reports TB."
                if code == "JG"
                else "Remove it; check the current HCPCS file for its replacement.",
                cite("§5 and §15", HCPCS_2025_OCT_FILE),
            )
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        add(
            "MODIFIER_DUPLICATE",
            Severity.WARNING,
            f"Modifier {code} is listed more than once.",
            "List each modifier once.",
            cite("§5"),
        )
    if {"JW", "JZ"} <= present:
        # JW bills waste, JZ says there was none: they contradict each other.
        add(
            "MODIFIER_JW_WITH_JZ",
            Severity.BLOCKER,
            "JW (amount discarded) and JZ (nothing discarded) are both on this line.",
            "Keep JW if part of the vial was thrown away (it is billed on its own line), "
            "otherwise keep JZ.",
            cite("§5", CMS_DISCARDED_DRUGS),
        )
    if {"JG", "TB"} <= present:
        add(
            "MODIFIER_JG_WITH_TB",
            Severity.BLOCKER,
            "JG and TB both mark a 340B drug; a line carries only one of them.",
            f"Keep one: {medicare_340b_advice(date_of_service)}.",
            cite("§15", HCPCS_2025_OCT_FILE),
        )
    if {"KP", "KQ"} <= present:
        add(
            "MODIFIER_KP_WITH_KQ",
            Severity.BLOCKER,
            "KP (first drug) and KQ (second drug) of a unit-dose mix are both on one line.",
            "Remove both: they belong on separate DME nebulizer drug lines, not here.",
            cite("§5", HCPCS_2025_OCT_FILE),
        )
    unit_dose = sorted(present & _UNIT_DOSE)
    if unit_dose and is_noc_code(hcpcs_code):
        add(
            "MODIFIER_UNIT_DOSE_ON_NOC",
            Severity.BLOCKER,
            f"{'/'.join(unit_dose)} are DME nebulizer unit-dose modifiers; they do not apply "
            f"to {hcpcs_code}.",
            "Remove them. They do not mean 'first/second drug of the visit' or waste.",
            cite("§5 and 'Where blog-style guidance is wrong' 6", HCPCS_2025_OCT_FILE),
        )
    if "25" in present:
        add(
            "MODIFIER_25_ON_DRUG_LINE",
            Severity.BLOCKER,
            "Modifier 25 belongs on the office-visit (E/M) line, not on the drug line.",
            "Remove 25 here and put it on the E/M line if a separate visit was documented.",
            cite("§5"),
        )
    if "KD" in present:
        add(
            "MODIFIER_KD_OFFICE",
            Severity.WARNING,
            "KD means the drug was infused through a DME pump; office injections never carry it.",
            "Remove KD unless the drug ran through a DME infusion pump billed to the DME MAC.",
            cite("§5", HCPCS_2025_OCT_FILE),
        )
    state_defined = sorted(present & _STATE_DEFINED)
    if state_defined and payer_kind is PayerKind.MEDICARE:
        add(
            "MODIFIER_STATE_DEFINED_ON_MEDICARE",
            Severity.WARNING,
            f"{'/'.join(state_defined)} are defined by each state's Medicaid program; "
            "Medicare gives them no meaning.",
            "Remove them on a Medicare claim; for a 340B drug "
            f"{medicare_340b_advice(date_of_service)}.",
            cite("§5", HCPCS_2025_OCT_FILE),
        )
    needs_document = sorted(present & {"KX", "GA"})
    if needs_document:
        add(
            "MODIFIER_NEEDS_DOCUMENT",
            Severity.INFO,
            f"{'/'.join(needs_document)}: KX only where an LCD or article asks for it; "
            "GA only with a signed ABN on file.",
            "Keep the policy reference or the signed ABN with the claim's documents.",
            cite("§5 and 'Where blog-style guidance is wrong' 8", HCPCS_2025_OCT_FILE),
        )
    return findings
