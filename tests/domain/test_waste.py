"""JW/JZ and package accounting (domain.md sections 5 and 15; CMS discarded-drugs page)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.billing_units import BillingUnit, parse_hcpcs_dosage
from j3490_desk.domain.claim import (
    ContainerType,
    Dose,
    DrugLine,
    Package,
    Payer,
    PayerKind,
    PlaceOfService,
    Waste,
)
from j3490_desk.domain.findings import Severity
from j3490_desk.domain.waste import (
    expected_waste_modifier,
    units_cover_waste,
    waste_findings,
)

MEDICARE = Payer("Medicare", kind=PayerKind.MEDICARE)
COMMERCIAL = Payer("Acme Health")
AFTER_JZ = date(2024, 5, 1)


def vial(
    dose: str,
    waste: str | None,
    *,
    modifiers: tuple[str, ...] = (),
    container: ContainerType = ContainerType.SINGLE_DOSE,
) -> DrugLine:
    """A 100 mg / 10 mL vial."""
    package = Package(Decimal(100), "mg", Decimal(10), container, "ML")
    return DrugLine(
        hcpcs_code="J3490",
        modifiers=modifiers,
        package=package,
        dose=Dose(Decimal(dose), "mg", "IV"),
        waste=Waste(None if waste is None else Decimal(waste), "remainder discarded"),
    )


def codes(line: DrugLine, dos: date = AFTER_JZ, payer: Payer = MEDICARE, **kw: object) -> set[str]:
    return {f.code for f in waste_findings(line, 0, dos, payer, **kw)}  # type: ignore[arg-type]


def test_waste_goes_on_a_jw_line() -> None:
    assert expected_waste_modifier(vial("70", "30"), AFTER_JZ, MEDICARE) == "JW"
    assert codes(vial("70", "30", modifiers=("JW",))) == set()
    assert "WASTE_WITHOUT_JW" in codes(vial("70", "30"))


def test_nothing_wasted_means_jz_from_july_2023() -> None:
    """CMS: JZ required for DOS on/after 1 Jul 2023 (not 1 Jan 2023, its effective date)."""
    assert expected_waste_modifier(vial("100", None), date(2023, 7, 1), MEDICARE) == "JZ"
    assert expected_waste_modifier(vial("100", None), date(2023, 6, 30), MEDICARE) is None
    assert "WASTE_JZ_MISSING" in codes(vial("100", None))
    assert codes(vial("100", None, modifiers=("JZ",))) == set()


def test_jw_required_only_from_2017() -> None:
    assert expected_waste_modifier(vial("70", "30"), date(2016, 12, 31), MEDICARE) is None
    assert expected_waste_modifier(vial("70", "30"), date(2017, 1, 1), MEDICARE) == "JW"


def test_multi_dose_vials_take_neither() -> None:
    line = vial("70", "30", modifiers=("JW",), container=ContainerType.MULTI_DOSE)
    assert expected_waste_modifier(line, AFTER_JZ, MEDICARE) is None
    assert codes(line) == {"WASTE_ON_MULTI_DOSE", "WASTE_MODIFIER_ON_MULTI_DOSE"}


def test_jz_with_waste_and_jw_without_waste() -> None:
    assert "WASTE_JZ_WITH_WASTE" in codes(vial("70", "30", modifiers=("JZ",)))
    assert "WASTE_JW_WITHOUT_WASTE" in codes(vial("100", None, modifiers=("JW",)))


def test_dose_plus_waste_must_match_the_vials_opened() -> None:
    assert "WASTE_EXCEEDS_PACKAGE" in codes(vial("70", "40", modifiers=("JW",)))
    assert "WASTE_UNACCOUNTED" in codes(vial("70", "20", modifiers=("JW",)))
    assert codes(vial("150", "50", modifiers=("JW",))) == set()  # two vials opened


def test_waste_in_another_mass_unit_is_converted() -> None:
    line = replace(vial("70", None, modifiers=("JW",)), waste=Waste(Decimal(30000), "x"))
    line = replace(line, dose=Dose(Decimal(70000), "mcg", "IV"))
    assert codes(line) == set()


def test_noridian_units_rule() -> None:
    """Noridian "Modifier JZ" (domain.md section 15): 100 mg vial, 1 unit = 100 mg, 70 mg given,
    30 mg discarded: bill 1 unit with JZ, not a JW line."""
    unit = BillingUnit(Decimal(100), "mg")
    line = replace(vial("70", "30", modifiers=("JW",)), hcpcs_code="J9999X")
    assert units_cover_waste(line, unit)
    assert expected_waste_modifier(line, AFTER_JZ, MEDICARE, billing_unit=unit) == "JZ"
    assert "WASTE_JW_UNITS_COVER" in codes(line, billing_unit=unit)
    ten_mg = BillingUnit(Decimal(10), "mg")
    assert not units_cover_waste(line, ten_mg)
    assert expected_waste_modifier(line, AFTER_JZ, MEDICARE, billing_unit=ten_mg) == "JW"


def test_commercial_payers_get_warnings_at_most() -> None:
    """domain.md section 5: payers that have not adopted JZ (e.g. BCBS ND)."""
    severities = {
        f.code: f.severity for f in waste_findings(vial("100", None), 0, AFTER_JZ, COMMERCIAL)
    }
    assert severities == {"WASTE_JZ_MISSING": Severity.INFO}
    severities = {
        f.code: f.severity for f in waste_findings(vial("70", "30"), 0, AFTER_JZ, COMMERCIAL)
    }
    assert severities == {"WASTE_WITHOUT_JW": Severity.WARNING}


def test_not_separately_payable_settings() -> None:
    line = vial("70", "30", modifiers=("JW",))
    pos = PlaceOfService.FQHC
    assert expected_waste_modifier(line, AFTER_JZ, MEDICARE, place_of_service=pos) is None
    assert codes(line, place_of_service=pos) == {"WASTE_MODIFIER_NOT_APPLICABLE"}


def test_hospital_setting_without_opps_status_says_so_and_does_not_guess() -> None:
    """The OPPS status comes from Addendum B (tests/reference/test_reference_rules.py); with
    none loaded the app neither demands nor removes JW/JZ."""
    line = vial("70", "30", modifiers=("JW",))
    pos = PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL
    assert expected_waste_modifier(line, AFTER_JZ, MEDICARE, place_of_service=pos) is None
    findings = waste_findings(line, 0, AFTER_JZ, MEDICARE, place_of_service=pos)
    assert [(f.code, f.severity) for f in findings] == [("OPPS_STATUS_UNKNOWN", Severity.WARNING)]


def test_negative_waste_and_missing_reason() -> None:
    assert codes(vial("70", "-1")) == {"WASTE_NEGATIVE"}
    line = replace(vial("70", "30", modifiers=("JW",)), waste=Waste(Decimal(30)))
    assert codes(line) == {"WASTE_REASON_MISSING"}


def test_parse_hcpcs_dosage() -> None:
    assert parse_hcpcs_dosage("10 MG") == BillingUnit(Decimal(10), "mg")
    assert parse_hcpcs_dosage("0.5 ML") == BillingUnit(Decimal("0.5"), "mL")
    assert parse_hcpcs_dosage("1 VIAL") is None
    assert parse_hcpcs_dosage("per dose") is None


WASTE_MODIFIER_CODES = {
    "WASTE_WITHOUT_JW",
    "WASTE_JZ_WITH_WASTE",
    "WASTE_JW_WITHOUT_WASTE",
    "WASTE_JZ_MISSING",
    "WASTE_JW_UNITS_COVER",
}


@given(
    st.integers(1, 300),
    st.integers(0, 300),
    st.sampled_from([Decimal(1), Decimal(10), Decimal(25), Decimal(100)]),
)
def test_the_modifier_the_app_picks_never_raises_a_waste_modifier_finding(
    dose: int, waste: int, unit_mg: Decimal
) -> None:
    """The wizard fills in expected_waste_modifier; the check must accept what it picked
    (issue 14: JZ was picked for covered waste, then WASTE_JZ_WITH_WASTE blocked it)."""
    unit = BillingUnit(unit_mg, "mg")
    line = replace(vial(str(dose), str(waste) if waste else None), hcpcs_code="J9035")
    picked = expected_waste_modifier(line, AFTER_JZ, MEDICARE, billing_unit=unit)
    assert picked in {"JW", "JZ"}
    line = replace(line, modifiers=(picked,))
    assert not codes(line, billing_unit=unit) & WASTE_MODIFIER_CODES


def test_jz_with_waste_the_units_cover_is_not_a_blocker() -> None:
    """Noridian (domain.md section 15): 100 mg a unit, 70 mg given, 30 mg discarded: 1 unit
    with JZ, and the 30 mg stays recorded as waste (deleting it leaves 30 mg unaccounted)."""
    unit = BillingUnit(Decimal(100), "mg")
    line = replace(vial("70", "30", modifiers=("JZ",)), hcpcs_code="J9035")
    assert waste_findings(line, 0, AFTER_JZ, MEDICARE, billing_unit=unit) == []
    not_covered = BillingUnit(Decimal(10), "mg")
    (finding,) = waste_findings(line, 0, AFTER_JZ, MEDICARE, billing_unit=not_covered)
    assert finding.code == "WASTE_JZ_WITH_WASTE" and finding.severity is Severity.BLOCKER
    assert "do not cover" in finding.message


def test_waste_modifiers_on_noc_lines_block_only_where_the_contractor_says_so() -> None:
    """domain.md section 5: no CMS text on JW/JZ for NOC codes (U); Palmetto instructs JW."""
    line = vial("70", "30")  # J3490
    generic = {f.code: f for f in waste_findings(line, 0, AFTER_JZ, MEDICARE)}
    assert generic["WASTE_WITHOUT_JW"].severity is Severity.WARNING
    assert generic["WASTE_WITHOUT_JW"].unverified
    palmetto = replace(MEDICARE, narrative_profile="palmetto")
    cited = {f.code: f for f in waste_findings(line, 0, AFTER_JZ, palmetto)}
    assert cited["WASTE_WITHOUT_JW"].severity is Severity.BLOCKER
    assert "palmettogba" in cited["WASTE_WITHOUT_JW"].source
    nothing_wasted = {f.code: f for f in waste_findings(vial("100", None), 0, AFTER_JZ, palmetto)}
    assert nothing_wasted["WASTE_JZ_MISSING"].severity is Severity.WARNING
