"""Units: canonical spellings and exact conversion (metric prefixes; domain.md section 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.claim import Package
from j3490_desk.domain.units import (
    UnitError,
    convert,
    convert_dose,
    dimension,
    dose_fits_package,
    dose_package_problem,
    normalize_unit,
)

VIAL_100MG_10ML = Package(amount=Decimal("100"), unit="mg", volume_ml=Decimal("10"))

amounts = st.decimals(
    min_value=Decimal("0.001"), max_value=Decimal("1000000"), places=3, allow_nan=False
)


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("mcg", "mcg"),
        ("µg", "mcg"),
        ("μg", "mcg"),
        ("ug", "mcg"),
        ("Micrograms", "mcg"),
        ("microgram", "mcg"),
        ("MG", "mg"),
        ("milligrams", "mg"),
        ("g", "g"),
        ("gm", "g"),
        ("gram", "g"),
        ("mL", "mL"),
        ("ml", "mL"),
        ("ML", "mL"),
        ("cc", "mL"),
        ("millilitre", "mL"),
        ("L", "L"),
        ("units", "units"),
        ("Unit", "units"),
        ("U", "units"),
        ("IU", "IU"),
        ("international units", "IU"),
        ("International  Unit", "IU"),
        (" i.u. ", "IU"),
    ],
)
def test_normalize_unit(spelling: str, canonical: str) -> None:
    assert normalize_unit(spelling) == canonical


@pytest.mark.parametrize("text", ["", "  ", "tablespoon", "mg/mL", "kg"])
def test_unknown_unit_says_which_units_work(text: str) -> None:
    with pytest.raises(UnitError, match="mcg, mg, g, mL, L, units or IU"):
        normalize_unit(text)


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        ("1", "g", "mg", "1000"),
        ("2.5", "mg", "mcg", "2500"),
        ("250", "mcg", "mg", "0.25"),
        ("1", "mcg", "g", "0.000001"),
        ("1.5", "L", "mL", "1500"),
        ("5", "cc", "L", "0.005"),
        ("40", "units", "units", "40"),
        ("40", "IU", "IU", "40"),
    ],
)
def test_convert_is_exact(amount: str, source: str, target: str, expected: str) -> None:
    assert convert(Decimal(amount), source, target) == Decimal(expected)


def test_convert_does_not_use_binary_floats() -> None:
    # 0.1 mg is 100 mcg exactly; a float would give 100.00000000000001.
    assert str(convert(Decimal("0.1"), "mg", "mcg")) == "100.0"


@pytest.mark.parametrize(
    ("source", "target", "words"),
    [
        ("units", "IU", "different measures"),
        ("IU", "units", "different measures"),
        ("IU", "mg", "depends on the product"),
        ("mg", "units", "depends on the product"),
        ("mg", "mL", "strength"),
        ("L", "g", "strength"),
    ],
)
def test_incompatible_units_explain_why(source: str, target: str, words: str) -> None:
    with pytest.raises(UnitError, match=words):
        convert(Decimal("1"), source, target)


def test_dimensions() -> None:
    assert [dimension(u) for u in ("mcg", "cc", "U", "IU")] == ["mass", "volume", "units", "IU"]


@given(amounts)
def test_mg_to_mcg_and_back_is_equal(amount: Decimal) -> None:
    assert convert(convert(amount, "mg", "mcg"), "mcg", "mg") == amount


@given(amounts, st.sampled_from(["mcg", "mg", "g"]), st.sampled_from(["mcg", "mg", "g"]))
def test_mass_round_trip_is_exact(amount: Decimal, source: str, target: str) -> None:
    assert convert(convert(amount, source, target), target, source) == amount


@given(amounts)
def test_volume_round_trip_is_exact(amount: Decimal) -> None:
    assert convert(convert(amount, "mL", "L"), "L", "mL") == amount


def test_convert_dose_mass_to_volume_through_strength() -> None:
    # 50 mg from a 100 mg / 10 mL vial is 5 mL.
    assert convert_dose(Decimal("50"), "mg", "mL", VIAL_100MG_10ML) == Decimal("5")
    assert convert_dose(Decimal("500"), "mcg", "mL", VIAL_100MG_10ML) == Decimal("0.05")


def test_convert_dose_volume_to_mass_through_strength() -> None:
    assert convert_dose(Decimal("2.5"), "mL", "mg", VIAL_100MG_10ML) == Decimal("25")


def test_convert_dose_needs_the_strength_for_mass_to_volume() -> None:
    with pytest.raises(UnitError, match="strength"):
        convert_dose(Decimal("50"), "mg", "mL", Package(amount=Decimal("100"), unit="mg"))


def test_convert_dose_never_turns_iu_into_mass() -> None:
    package = Package(amount=Decimal("1000"), unit="IU", volume_ml=Decimal("10"))
    with pytest.raises(UnitError, match="depends on the product"):
        convert_dose(Decimal("50"), "IU", "mg", package)


@given(amounts)
def test_convert_dose_mass_volume_round_trip(dose: Decimal) -> None:
    millilitres = convert_dose(dose, "mg", "mL", VIAL_100MG_10ML)
    assert convert_dose(millilitres, "mL", "mg", VIAL_100MG_10ML) == dose


def test_dose_within_one_package_fits() -> None:
    assert dose_fits_package(Decimal("70"), "mg", VIAL_100MG_10ML)
    assert dose_fits_package(Decimal("100000"), "mcg", VIAL_100MG_10ML)
    assert dose_fits_package(Decimal("10"), "mL", VIAL_100MG_10ML)


def test_dose_larger_than_a_package_is_reported() -> None:
    problem = dose_package_problem(Decimal("250"), "mg", VIAL_100MG_10ML)
    assert problem is not None
    assert "more than one package holds" in problem
    assert "several packages" in problem


@pytest.mark.parametrize(
    ("amount", "unit", "package", "words"),
    [
        ("0", "mg", VIAL_100MG_10ML, "more than 0"),
        ("-5", "mg", VIAL_100MG_10ML, "more than 0"),
        ("NaN", "mg", VIAL_100MG_10ML, "more than 0"),
        ("5", "mg", Package(), "not entered"),
        ("5", "IU", VIAL_100MG_10ML, "depends on the product"),
        ("5", "units", Package(amount=Decimal("100"), unit="IU"), "different measures"),
        ("5", "spoon", VIAL_100MG_10ML, "not a unit"),
    ],
)
def test_dose_package_problems(amount: str, unit: str, package: Package, words: str) -> None:
    problem = dose_package_problem(Decimal(amount), unit, package)
    assert problem is not None
    assert words in problem
    assert not dose_fits_package(Decimal(amount), unit, package)
