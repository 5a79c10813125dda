"""What the drug pages fill in for the clerk to confirm: the FDA directory's names for a typed
NDC (item 1), the JW/JZ modifier the waste rule expects (item 8), and the unclassified codes
the HCPCS field offers (the rules' one list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from j3490_desk.domain import claim as domain
from j3490_desk.domain.noc_code import facts_for_line, offered_noc_codes
from j3490_desk.domain.waste import billing_unit_for, expected_waste_modifier
from j3490_desk.errors import KnownError
from j3490_desk.services import claim_check
from j3490_desk.services.app_data import AppData


def noc_code_choices(place_of_service: domain.PlaceOfService) -> tuple[tuple[str, str], ...]:
    """(label, code) pairs for the HCPCS field: the unclassified codes that fit the claim's
    setting (no C9399 outside hospital outpatient and ASC claims)."""
    return tuple((code, code) for code in offered_noc_codes(place_of_service))


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
        facts=facts,
    )
