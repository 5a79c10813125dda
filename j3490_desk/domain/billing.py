"""Each drug line as it goes on the claim: code, modifiers, units, charge, 24A shaded text,
narrative, plus the separate JW line for a discarded amount.

`bill_lines` renders the claim's data as entered (the clerk's modifiers decide JW/JZ); the
rules in check.py say where that data is wrong. Used by the review page and the PDF packet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from j3490_desk.domain.amounts import round_cents
from j3490_desk.domain.billing_units import BillingUnit, whole_units
from j3490_desk.domain.claim import Claim, DrugFacts, DrugLine
from j3490_desk.domain.evidence import NO_EVIDENCE, Evidence, EvidenceKind
from j3490_desk.domain.narrative import build_narrative
from j3490_desk.domain.ndc import NdcError, ndc_quantity, shaded_line_24a, to_billing_ndc
from j3490_desk.domain.noc_code import facts_for_line, is_noc_code
from j3490_desk.domain.payer_profiles import PayerProfile, ndc_quantity_decimals, profile_for
from j3490_desk.domain.units import is_positive
from j3490_desk.domain.waste import billing_unit_for


@dataclass(frozen=True)
class BilledLine:
    drug_line: int  # index into claim.drug_lines
    hcpcs_code: str
    modifiers: tuple[str, ...]
    units: Decimal | None  # None: billing unit unknown for a coded drug's JW line
    charge: Decimal | None
    ndc11: str  # "" when the line's NDC cannot be used (check.py says why)
    ndc_quantity: Decimal | None
    ndc_unit_qualifier: str
    shaded_24a: str  # CMS-1500 item 24A shaded text, "" when it cannot be built
    narrative: str  # "" on coded drugs: a narrative there gets the line rejected (Novitas, FCSO)
    narrative_placement: tuple[str, ...]
    is_waste_line: bool = False


def _jw_units(line: DrugLine, billing_unit: BillingUnit | None) -> Decimal | None:
    """Units for the waste: whole units of dose+waste minus whole units of the dose (§15)."""
    dose, waste = line.dose.amount, line.waste.amount
    if billing_unit is None or dose is None or waste is None:
        return None
    total_units = whole_units(dose + waste, line, billing_unit)
    dose_units = whole_units(dose, line, billing_unit)
    if total_units is None or dose_units is None:
        return None
    return total_units - dose_units


def split_charge(line: DrugLine) -> tuple[Decimal | None, Decimal | None]:
    """The line's charge covers dose + waste; the JW line gets the waste's share (in cents),
    the administered line the rest, so the two always add up to the charge."""
    charge, dose, waste = line.charge, line.dose.amount, line.waste.amount
    if charge is None or dose is None or waste is None or not is_positive(dose + waste):
        return charge, None
    waste_charge = round_cents(charge * waste / (dose + waste))
    return charge - waste_charge, waste_charge


def _ndc_fields(
    line: DrugLine, amount: Decimal | None, decimals: int, facts: DrugFacts | None
) -> tuple[str, Decimal | None, str]:
    try:
        ndc11 = to_billing_ndc(line.ndc)
    except NdcError:
        # A hyphen-less 10-digit NDC the directory reads one way only (check.py says so).
        if facts is None or not facts.found:
            return "", None, ""
        ndc11 = facts.ndc11
    if amount is None:
        return ndc11, None, ""
    try:
        quantity = ndc_quantity(amount, line.dose.unit, line.package)
        shaded = shaded_line_24a(ndc11, line.package.ndc_unit_qualifier, quantity, decimals)
    except NdcError:
        return ndc11, None, ""
    return ndc11, quantity, shaded


def _bill_one(
    line: DrugLine,
    index: int,
    claim: Claim,
    profile: PayerProfile,
    facts: DrugFacts | None,
    narrative_limit: int,
    evidence: Evidence,
) -> list[BilledLine]:
    code = line.hcpcs_code.strip().upper()
    noc = is_noc_code(code)
    modifiers = tuple(dict.fromkeys(m.strip().upper() for m in line.modifiers if m.strip()))
    decimals = ndc_quantity_decimals(claim.payer, profile)
    waste = line.waste.amount
    bills_waste = "JW" in modifiers and waste is not None and is_positive(waste)
    admin_charge, waste_charge = split_charge(line) if bills_waste else (line.charge, None)

    ndc11, quantity, shaded = _ndc_fields(line, line.dose.amount, decimals, facts)

    def narrative(discarded: bool) -> str:
        if not noc:
            return ""
        return build_narrative(
            line,
            profile,
            limit=narrative_limit,
            discarded=discarded,
            invoice_enclosed=evidence.has(EvidenceKind.INVOICE, index),
            resolved_ndc11=ndc11,
        ).text

    administered = BilledLine(
        drug_line=index,
        hcpcs_code=code,
        modifiers=tuple(m for m in modifiers if m != "JW"),
        units=line.billed_units,  # as the clerk entered them; UNITS_NOT_ONE says when to change
        charge=admin_charge,
        ndc11=ndc11,
        ndc_quantity=quantity,
        ndc_unit_qualifier=line.package.ndc_unit_qualifier.strip().upper(),
        shaded_24a=shaded,
        narrative=narrative(discarded=False),
        narrative_placement=profile.placement if noc else (),
    )
    if not bills_waste:
        return [administered]
    _, waste_quantity, waste_shaded = _ndc_fields(line, waste, decimals, facts)
    billing_unit = billing_unit_for(line, claim.date_of_service, facts)
    return [
        administered,
        BilledLine(
            drug_line=index,
            hcpcs_code=code,
            modifiers=("JW", *(m for m in modifiers if m not in {"JW", "JZ"})),
            # A NOC code has no unit of measure: the app's JW line carries 1, its amount
            # goes in the narrative and the NDC quantity (domain.md sections 7 and 16).
            units=Decimal(1) if noc else _jw_units(line, billing_unit),
            charge=waste_charge,
            ndc11=ndc11,
            ndc_quantity=waste_quantity,
            ndc_unit_qualifier=administered.ndc_unit_qualifier,
            shaded_24a=waste_shaded,
            narrative=narrative(discarded=True),
            narrative_placement=administered.narrative_placement,
            is_waste_line=True,
        ),
    ]


def bill_lines(
    claim: Claim,
    *,
    facts: Mapping[str, DrugFacts] | None = None,
    paper: bool = False,
    evidence: Evidence = NO_EVIDENCE,
) -> tuple[BilledLine, ...]:
    """All billed lines in claim order; a JW line follows the line whose waste it bills.

    `paper` sizes the narrative for item 19 (profile.paper_limit) instead of SV101-7 (80).
    `evidence`: the documents stored with the claim (an invoice note needs the invoice).
    """
    profile = profile_for(claim.payer)
    limit = profile.paper_limit if paper else profile.electronic_limit
    billed: list[BilledLine] = []
    for index, line in enumerate(claim.drug_lines):
        billed += _bill_one(
            line, index, claim, profile, facts_for_line(line, facts), limit, evidence
        )
    return tuple(billed)
