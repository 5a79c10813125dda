"""Discarded drug: JW and JZ, and whether dose plus waste add up to what was opened.

domain.md sections 5 and 15; CMS discarded-drugs page. A drug line's `modifiers` are what the
clerk chose: "JW" there means "bill the wasted amount on its own JW line" (billing.py makes
that line from `waste.amount`), "JZ" goes on the administered line.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, Decimal

from j3490_desk.domain.amounts import plain_amount
from j3490_desk.domain.billing_units import (
    BillingUnit,
    mapping_billing_unit,
    whole_units,
)
from j3490_desk.domain.claim import (
    ContainerType,
    DrugFacts,
    DrugLine,
    Payer,
    PayerKind,
    PlaceOfService,
)
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.noc_code import is_noc_code, specific_mapping
from j3490_desk.domain.opps import opps_status_unknown, packaged_under_opps
from j3490_desk.domain.payer_profiles import PayerProfile, profile_for
from j3490_desk.domain.sources import CMS_DISCARDED_DRUGS, NORIDIAN_JW_JZ, cite
from j3490_desk.domain.units import UnitError, convert_dose, is_positive, normalize_unit

JW_REQUIRED_FROM = date(2017, 1, 1)  # CMS: JW required on single-dose waste since 1 Jan 2017
JZ_REQUIRED_FROM = date(2023, 7, 1)  # CMS: JZ required for DOS on/after 1 Jul 2023
# Neither modifier where the drug is not separately payable (domain.md section 5):
NOT_SEPARATELY_PAID_SETTINGS = frozenset({PlaceOfService.FQHC, PlaceOfService.RHC})
HOSPITAL_SETTINGS = frozenset(
    {
        PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL,
        PlaceOfService.OFF_CAMPUS_OUTPATIENT_HOSPITAL,
        PlaceOfService.AMBULATORY_SURGICAL_CENTER,
    }
)

CODES: dict[str, str] = {
    "WASTE_WITHOUT_JW": "Drug was discarded from a single-dose container but JW is not billed",
    "WASTE_JZ_WITH_WASTE": "JZ on a line whose recorded waste the billed units do not cover",
    "WASTE_JW_WITHOUT_WASTE": "JW on a line that records no wasted amount",
    "WASTE_JZ_MISSING": "Single-dose container, nothing wasted, and no JZ",
    "WASTE_JW_UNITS_COVER": "JW billed although the administered units already cover the waste",
    "WASTE_ON_MULTI_DOSE": "Waste recorded on a multi-dose container",
    "WASTE_MODIFIER_ON_MULTI_DOSE": "JW or JZ on a multi-dose container",
    "WASTE_MODIFIER_NOT_APPLICABLE": "JW or JZ where the drug is not separately payable",
    "WASTE_EXCEEDS_PACKAGE": "Dose plus waste is more than the packages opened hold",
    "WASTE_UNACCOUNTED": "Dose plus waste is less than the single-dose packages opened hold",
    "WASTE_NEGATIVE": "Wasted amount below zero",
    "WASTE_REASON_MISSING": "Waste recorded without a reason",
}


def waste_modifiers_apply(
    line: DrugLine,
    place_of_service: PlaceOfService,
    profile: PayerProfile,
    facts: DrugFacts | None = None,
) -> bool:
    """JW/JZ only for separately payable drugs from single-dose containers (domain.md §5).
    In a hospital outpatient department or ASC an unknown OPPS status counts as "not
    known to apply" (waste_findings says so rather than guess)."""
    code = line.hcpcs_code.strip().upper()
    return not (
        line.package.container is ContainerType.MULTI_DOSE
        or place_of_service in NOT_SEPARATELY_PAID_SETTINGS
        or (place_of_service in HOSPITAL_SETTINGS and packaged_under_opps(code, facts) is not False)
        # NOC lines: sources disagree (section 5), so the payer profile decides.
        or (is_noc_code(code) and not profile.noc_waste_modifiers)
    )


def _amount_in(amount: Decimal, line: DrugLine, unit: str) -> Decimal | None:
    try:
        return convert_dose(amount, line.dose.unit, unit, line.package)
    except UnitError:
        return None


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def billing_unit_for(
    line: DrugLine, date_of_service: date, facts: DrugFacts | None
) -> BillingUnit | None:
    """What one unit of the line's own code is, from the crosswalk row in force on the DOS."""
    mapping = specific_mapping(facts, date_of_service)
    if mapping is None or mapping.code != line.hcpcs_code.strip().upper():
        return None
    return mapping_billing_unit(mapping, line.package)


def units_cover_waste(line: DrugLine, billing_unit: BillingUnit) -> bool:
    """Noridian (§15): whole billing units for the dose already include the discarded amount."""
    dose, waste = line.dose.amount, line.waste.amount or Decimal(0)
    if dose is None or not is_positive(dose) or not is_positive(billing_unit.amount):
        return False
    dose_units = whole_units(dose, line, billing_unit)
    if dose_units is None:
        return False
    try:
        total = convert_dose(dose + waste, line.dose.unit, billing_unit.unit, line.package)
    except UnitError:
        return False
    return dose_units * billing_unit.amount >= total


def expected_waste_modifier(
    line: DrugLine,
    date_of_service: date,
    payer: Payer,
    *,
    place_of_service: PlaceOfService = PlaceOfService.OFFICE,
    billing_unit: BillingUnit | None = None,
    facts: DrugFacts | None = None,
) -> str | None:
    """ "JW" (bill the waste on a JW line), "JZ" (on the line) or None, by the CMS rule.

    Non-Medicare payers get the same answer; the findings only warn there, since some
    have not adopted JZ (BCBS ND, domain.md section 5).
    """
    if not waste_modifiers_apply(line, place_of_service, profile_for(payer), facts):
        return None
    wasted = line.waste.amount is not None and is_positive(line.waste.amount)
    if wasted and not (billing_unit and units_cover_waste(line, billing_unit)):
        return "JW" if date_of_service >= JW_REQUIRED_FROM else None
    return "JZ" if date_of_service >= JZ_REQUIRED_FROM else None


def waste_findings(
    line: DrugLine,
    index: int,
    date_of_service: date,
    payer: Payer,
    *,
    place_of_service: PlaceOfService = PlaceOfService.OFFICE,
    billing_unit: BillingUnit | None = None,
    facts: DrugFacts | None = None,
) -> list[Finding]:
    findings: list[Finding] = []
    modifiers = {m.strip().upper() for m in line.modifiers}
    waste = line.waste.amount
    wasted = waste is not None and is_positive(waste)
    wasted_text = plain_amount(waste) if waste is not None and waste.is_finite() else "0"
    medicare = payer.kind is PayerKind.MEDICARE

    def add(
        code: str,
        severity: Severity,
        item: str,
        message: str,
        fix: str,
        src: str,
        *,
        unverified: bool = False,
    ) -> None:
        findings.append(Finding(code, severity, item, message, fix, index, src, unverified))

    if waste is not None and waste < 0:
        add(
            "WASTE_NEGATIVE",
            Severity.BLOCKER,
            "8",
            f"The wasted amount is {waste}; it cannot be below zero.",
            "Enter the amount thrown away, or leave it empty if nothing was.",
            cite("§5"),
        )
        return findings
    if line.package.container is ContainerType.MULTI_DOSE:
        if wasted:
            add(
                "WASTE_ON_MULTI_DOSE",
                Severity.WARNING,
                "8",
                "Waste is recorded on a multi-dose vial; waste from multi-dose vials is never "
                "billed.",
                "Clear the wasted amount (the rest of the vial stays in stock), or correct the "
                "container type if the vial was single-dose.",
                cite("§5", CMS_DISCARDED_DRUGS),
            )
        if modifiers & {"JW", "JZ"}:
            add(
                "WASTE_MODIFIER_ON_MULTI_DOSE",
                Severity.BLOCKER,
                "modifiers",
                "JW and JZ are only for single-dose containers; this is a multi-dose vial.",
                "Remove JW/JZ from this line.",
                cite("§5", CMS_DISCARDED_DRUGS),
            )
        return findings

    findings += _package_accounting(line, index)
    if wasted and not line.waste.reason.strip():
        add(
            "WASTE_REASON_MISSING",
            Severity.WARNING,
            "8",
            "Waste is recorded without saying why; CMS expects the discarded amount to be "
            "documented.",
            "Write why the rest was discarded (e.g. 'single-dose vial, remainder discarded').",
            cite("§5", CMS_DISCARDED_DRUGS),
        )
    code = line.hcpcs_code
    if place_of_service in HOSPITAL_SETTINGS and packaged_under_opps(code, facts) is None:
        findings.append(opps_status_unknown(line, index, facts))
        return findings
    if not waste_modifiers_apply(line, place_of_service, profile_for(payer), facts):
        if modifiers & {"JW", "JZ"}:
            add(
                "WASTE_MODIFIER_NOT_APPLICABLE",
                Severity.WARNING,
                "modifiers",
                "JW/JZ do not apply here: the drug is not separately paid in this setting "
                "(FQHC/RHC, packaged hospital code) or the payer wants none on NOC lines.",
                "Remove JW/JZ from this line.",
                cite("§5", NORIDIAN_JW_JZ),
            )
        return findings

    expected = expected_waste_modifier(
        line,
        date_of_service,
        payer,
        place_of_service=place_of_service,
        billing_unit=billing_unit,
        facts=facts,
    )
    profile = profile_for(payer)
    noc = is_noc_code(line.hcpcs_code)
    # CMS requires JW/JZ of Medicare lines; on NOC lines no CMS text says so (section 5, U),
    # so only a contractor that instructs it (Palmetto: NOC waste with JW) makes it a blocker.
    jw_cited = medicare and (not noc or bool(profile.noc_waste_instruction))
    jz_cited = medicare and not noc
    jw_severity = Severity.BLOCKER if jw_cited else Severity.WARNING
    noc_note = (
        f" {profile.name} gives no instruction on JW/JZ for unclassified codes; CMS's rule is "
        "applied as a default."
        if medicare and noc and not jw_cited
        else ""
    )
    jw_source = (
        cite("§5", CMS_DISCARDED_DRUGS, profile.noc_waste_instruction)
        if noc and profile.noc_waste_instruction
        else cite("§5", CMS_DISCARDED_DRUGS)
    )
    if wasted and "JZ" in modifiers and expected != "JZ":
        add(
            "WASTE_JZ_WITH_WASTE",
            jw_severity,
            "modifiers",
            f"JZ says nothing was discarded, but {wasted_text} {line.dose.unit} is "
            "recorded as waste and the units billed for the dose do not cover it." + noc_note,
            "Replace JZ with JW (the app bills the waste on its own JW line), or clear the "
            "wasted amount if nothing was discarded.",
            jw_source,
            unverified=not jw_cited,
        )
    if not wasted and "JW" in modifiers:
        add(
            "WASTE_JW_WITHOUT_WASTE",
            Severity.BLOCKER,
            "8",
            "JW is chosen but no wasted amount is recorded, so there is nothing to bill on it.",
            "Enter the amount discarded, or remove JW.",
            cite("§5", CMS_DISCARDED_DRUGS),
        )
    if expected == "JW" and not modifiers & {"JW", "JZ"}:
        add(
            "WASTE_WITHOUT_JW",
            jw_severity,
            "8",
            f"{wasted_text} {line.dose.unit} was discarded from a single-dose "
            "container; it is billed on its own line with JW (required since 1 Jan 2017)."
            + ("" if medicare else " Check that this payer follows the CMS rule.")
            + noc_note,
            "Add JW: the app bills the wasted amount on a separate JW line.",
            jw_source,
            unverified=not jw_cited,
        )
    if expected == "JZ" and wasted and "JW" in modifiers:
        add(
            "WASTE_JW_UNITS_COVER",
            Severity.BLOCKER if medicare else Severity.WARNING,
            "modifiers",
            "The billing units for the dose, rounded up, already include the discarded amount; "
            "a JW line is not allowed here.",
            "Replace JW with JZ and keep the wasted amount recorded (Noridian's 100 mg vial "
            "example: 70 mg given, 30 mg discarded, 1 unit with JZ).",
            cite("§15", NORIDIAN_JW_JZ),
            unverified=not medicare,
        )
    if expected == "JZ" and not modifiers & {"JW", "JZ"}:
        covered = (
            f" The {wasted_text} {line.dose.unit} discarded is within the units billed "
            "for the dose, so no JW line: JZ goes on the line (Noridian)."
            if wasted
            else ""
        )
        add(
            "WASTE_JZ_MISSING",
            Severity.BLOCKER if jz_cited else Severity.WARNING if medicare else Severity.INFO,
            "modifiers",
            ("No JW line is due" if wasted else "Nothing was discarded")
            + " from this single-dose container; Medicare requires JZ for dates of service "
            "from 1 Jul 2023."
            + covered
            + ("" if medicare else " Some payers have not adopted JZ (e.g. BCBS ND).")
            + noc_note,
            "Add JZ to the line." if medicare else "Add JZ if this payer asks for it.",
            cite("§5", CMS_DISCARDED_DRUGS) + (f"; {NORIDIAN_JW_JZ}" if wasted else ""),
            unverified=not jz_cited,
        )
    return findings


def jz_statement(line: DrugLine, date_of_service: date, facts: DrugFacts | None) -> str:
    """What JZ on the line tells the payer, in words that are true for this line (packet)."""
    waste = line.waste.amount
    if waste is None or not is_positive(waste):
        return "JZ, no drug was discarded from the single-dose container."
    unit = billing_unit_for(line, date_of_service, facts)
    if unit is not None and units_cover_waste(line, unit):
        return (
            f"JZ, {plain_amount(waste)} {line.dose.unit} discarded "
            f"({line.waste.reason or 'reason not entered'}) is within the units billed for the "
            "dose, so it is not billed on a JW line (Noridian, domain.md section 15)."
        )
    return (
        f"JZ, although {plain_amount(waste)} {line.dose.unit} is recorded as discarded: the "
        "claim check asks for JW instead."
    )


def _package_accounting(line: DrugLine, index: int) -> list[Finding]:
    """Single-dose: dose + waste = what the opened packages hold (in the package's unit)."""
    dose, package = line.dose.amount, line.package
    if dose is None or not is_positive(dose) or package.amount is None or not package.unit:
        return []
    if not is_positive(package.amount):
        return []
    dose_in_pkg = _amount_in(dose, line, package.unit)
    waste_in_pkg = _amount_in(line.waste.amount or Decimal(0), line, package.unit)
    if dose_in_pkg is None or waste_in_pkg is None:
        return []  # check.py reports the unit problem
    opened = _ceil(dose_in_pkg / package.amount)
    holds = opened * package.amount
    used = dose_in_pkg + waste_in_pkg
    unit = normalize_unit(package.unit)
    if used > holds:
        return [
            Finding(
                "WASTE_EXCEEDS_PACKAGE",
                Severity.BLOCKER,
                "8",
                f"Dose plus waste is {plain_amount(used)} {unit}, but the {plain_amount(opened)} "
                f"package(s) the dose needs hold {plain_amount(holds)} {unit}.",
                "Correct the dose, the wasted amount or the package size from the label.",
                index,
                cite("§5", CMS_DISCARDED_DRUGS),
            )
        ]
    if used < holds:
        return [
            Finding(
                "WASTE_UNACCOUNTED",
                Severity.WARNING,
                "8",
                f"{plain_amount(holds - used)} {unit} of the single-dose package(s) is "
                "neither given nor recorded as waste.",
                "Record the remainder as waste (it was discarded), or correct the dose.",
                index,
                cite("§5", CMS_DISCARDED_DRUGS),
            )
        ]
    return []
