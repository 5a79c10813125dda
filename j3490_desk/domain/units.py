"""Dose and package units: canonical spellings and exact Decimal conversion.

Mass (mcg, mg, g) and volume (mL, L) convert by powers of ten. Units and international
units (IU) measure biological activity, which differs from product to product, so they never
convert to mass or volume, nor to each other. The NDC quantity on a claim is counted in
mg, g, mL, IU or packages (domain.md section 2), and these conversions feed it.
"""

from __future__ import annotations

from decimal import Decimal

from j3490_desk.domain.claim import Package


class UnitError(ValueError):
    """A unit that is unknown, or an amount that cannot be expressed in the unit asked for."""


MASS = "mass"
VOLUME = "volume"

# Canonical unit -> (dimension, power of ten relative to the dimension's base unit).
# "units" and "IU" are each their own dimension: neither converts to anything else.
_UNITS: dict[str, tuple[str, int]] = {
    "mcg": (MASS, -6),
    "mg": (MASS, -3),
    "g": (MASS, 0),
    "mL": (VOLUME, -3),
    "L": (VOLUME, 0),
    "units": ("units", 0),
    "IU": ("IU", 0),
}

# Lower-cased spellings seen on labels, invoices and orders -> canonical unit.
_SPELLINGS: dict[str, str] = {
    "mcg": "mcg",
    "µg": "mcg",  # micro sign U+00B5
    "μg": "mcg",  # Greek small mu U+03BC
    "ug": "mcg",
    "microgram": "mcg",
    "micrograms": "mcg",
    "mg": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "g": "g",
    "gm": "g",
    "gram": "g",
    "grams": "g",
    "ml": "mL",
    "cc": "mL",
    "milliliter": "mL",
    "milliliters": "mL",
    "millilitre": "mL",
    "millilitres": "mL",
    "l": "L",
    "liter": "L",
    "liters": "L",
    "litre": "L",
    "litres": "L",
    "units": "units",
    "unit": "units",
    "u": "units",
    "iu": "IU",
    "international unit": "IU",
    "international units": "IU",
}

_KNOWN_UNITS_HINT = "mcg, mg, g, mL, L, units or IU"


def is_positive(amount: Decimal) -> bool:
    """True for a finite amount above zero (a NaN or infinite Decimal is never a dose)."""
    return amount.is_finite() and amount > 0


def normalize_unit(text: str) -> str:
    """Return the canonical spelling of a dose or package unit (e.g. "cc" -> "mL")."""
    key = " ".join(text.replace(".", "").split()).lower()
    if not key:
        raise UnitError(f"The unit is empty. Choose one of {_KNOWN_UNITS_HINT}.")
    try:
        return _SPELLINGS[key]
    except KeyError:
        raise UnitError(
            f"'{text.strip()}' is not a unit this app knows. Use one of {_KNOWN_UNITS_HINT}."
        ) from None


def dimension(unit: str) -> str:
    """What the unit measures: "mass", "volume", "units" or "IU"."""
    return _UNITS[normalize_unit(unit)][0]


def convert(amount: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert between mcg/mg/g or between mL/L, exactly (no binary floating point)."""
    source, target = normalize_unit(from_unit), normalize_unit(to_unit)
    (source_dim, source_exp), (target_dim, target_exp) = _UNITS[source], _UNITS[target]
    if source_dim != target_dim:
        raise UnitError(_mismatch_message(source, target))
    shift = source_exp - target_exp
    if shift >= 0:
        return amount * Decimal(10) ** shift
    return amount / Decimal(10) ** -shift


def _mismatch_message(source: str, target: str) -> str:
    dims = {_UNITS[source][0], _UNITS[target][0]}
    if dims == {"units", "IU"}:
        return (
            "Units and international units (IU) are different measures and cannot be "
            "swapped. Enter the dose in the same kind of unit the package label uses."
        )
    if dims & {"units", "IU"}:
        return (
            f"An amount in {source} cannot be turned into {target}: how many {source} a "
            f"{target} holds depends on the product. Enter the dose in {target}, as on the label."
        )
    return (
        f"An amount in {source} ({_UNITS[source][0]}) cannot be turned into {target} "
        f"({_UNITS[target][0]}) without the package's strength. Enter the package's drug "
        "amount and its volume in mL."
    )


def convert_dose(amount: Decimal, from_unit: str, to_unit: str, package: Package) -> Decimal:
    """Convert a dose, crossing mass <-> volume through the package's concentration.

    The package holds `package.amount` `package.unit` in `package.volume_ml` mL, so e.g. a
    50 mg dose from a 100 mg / 10 mL vial is 5 mL.
    """
    source, target = normalize_unit(from_unit), normalize_unit(to_unit)
    if dimension(source) == dimension(target):
        return convert(amount, source, target)
    if package.amount is None or not package.unit or package.volume_ml is None:
        raise UnitError(_mismatch_message(source, target))
    content_unit = normalize_unit(package.unit)
    if not (is_positive(package.amount) and is_positive(package.volume_ml)):
        raise UnitError(
            "The package's drug amount and volume must both be more than 0. "
            "Correct them from the package label."
        )
    if dimension(target) == VOLUME and dimension(source) == dimension(content_unit):
        millilitres = convert(amount, source, content_unit) * package.volume_ml / package.amount
        return convert(millilitres, "mL", target)
    if dimension(source) == VOLUME and dimension(content_unit) == dimension(target):
        content = convert(amount, source, "mL") * package.amount / package.volume_ml
        return convert(content, content_unit, target)
    raise UnitError(_mismatch_message(source, target))


def dose_package_problem(dose_amount: Decimal, dose_unit: str, package: Package) -> str | None:
    """Say what is wrong when the dose cannot be compared with one package, else None.

    A dose larger than one package is reported too: it is right only when several packages
    (vials) were opened, and the NDC quantity and waste depend on that.
    """
    if not is_positive(dose_amount):
        return "The dose must be more than 0. Enter the amount given, from the order or MAR."
    if package.amount is None or not package.unit:
        return "The package's drug amount is not entered. Enter it from the package label."
    try:
        dose_in_package_unit = convert_dose(dose_amount, dose_unit, package.unit, package)
    except UnitError as error:
        return str(error)
    if dose_in_package_unit > package.amount:
        return (
            f"The dose ({dose_amount} {normalize_unit(dose_unit)}) is more than one package "
            f"holds ({package.amount} {normalize_unit(package.unit)}). If several packages were "
            "used, that is fine; otherwise check the dose and the package size."
        )
    return None


def dose_fits_package(dose_amount: Decimal, dose_unit: str, package: Package) -> bool:
    """True when the dose is in a comparable unit and one package holds it."""
    return dose_package_problem(dose_amount, dose_unit, package) is None
