"""What one HCPCS billing unit of a specific code is, and a dose counted in whole units.

The CMS crosswalk's "HCPCS dosage" (e.g. "10 MG") is the descriptor's amount per unit; without
it, the package's content divided by the crosswalk's billing units per package (domain.md
sections 13 and 15). Partial units are rounded up, as the waste rules count them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from j3490_desk.domain.claim import DrugLine, HcpcsMapping, Package
from j3490_desk.domain.units import UnitError, convert_dose, is_positive, normalize_unit


@dataclass(frozen=True)
class BillingUnit:
    """What one HCPCS billing unit is, e.g. 10 mg (the crosswalk's "HCPCS dosage")."""

    amount: Decimal
    unit: str


_DOSAGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$")


def parse_hcpcs_dosage(text: str) -> BillingUnit | None:
    """ "10 MG" -> BillingUnit(10, "mg"); None for text like "1 VIAL" or "per dose"."""
    match = _DOSAGE.match(text)
    if match is None:
        return None
    try:
        return BillingUnit(Decimal(match.group(1)), normalize_unit(match.group(2)))
    except UnitError:
        return None


def mapping_billing_unit(mapping: HcpcsMapping, package: Package) -> BillingUnit | None:
    """One unit of the mapping's code: its "HCPCS dosage", else package content / BILLUNITSPKG."""
    parsed = parse_hcpcs_dosage(mapping.hcpcs_dosage)
    per_package = mapping.billing_units_per_package
    if parsed is not None or per_package is None or package.amount is None:
        return parsed
    if not (is_positive(per_package) and is_positive(package.amount)) or not package.unit:
        return None
    try:
        return BillingUnit(package.amount / per_package, normalize_unit(package.unit))
    except UnitError:
        return None


def whole_units(amount: Decimal, line: DrugLine, billing_unit: BillingUnit) -> Decimal | None:
    """An amount (in the dose's unit) as whole billing units, partial units rounded up."""
    if not is_positive(billing_unit.amount):
        return None
    try:
        in_unit = convert_dose(amount, line.dose.unit, billing_unit.unit, line.package)
    except UnitError:
        return None
    return (in_unit / billing_unit.amount).to_integral_value(rounding=ROUND_CEILING)
