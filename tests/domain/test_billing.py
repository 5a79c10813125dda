"""Billed lines: code, modifiers, units, charge, 24A shaded text, narrative, JW line."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.check import check_claim
from j3490_desk.domain.claim import Claim, PayerKind, Waste
from j3490_desk.domain.findings import Severity
from tests.domain import scenarios


def _with_line(claim: Claim, **changes: object) -> Claim:
    return replace(claim, drug_lines=(replace(claim.drug_lines[0], **changes),))  # type: ignore[arg-type]


def test_rare_biologic_gets_a_separate_jw_line() -> None:
    scenario = scenarios.rare_biologic()
    given_line, waste_line = bill_lines(
        scenario.claim, facts=scenario.facts, evidence=scenario.evidence
    )
    assert given_line.hcpcs_code == "J3590" and given_line.modifiers == ()
    assert given_line.units == 1
    assert given_line.shaded_24a == "N472171050501 ML9"  # 45 mg of 50 mg / 10 mL
    # Palmetto: nothing beyond name, dose and NDC, though the invoice is enclosed
    assert given_line.narrative == "EMAPALUMAB-LZSG (GAMIFANT) 45MG NDC 72171050501"
    assert given_line.narrative_placement[0] == "2400 SV101-7"
    assert waste_line.is_waste_line and waste_line.modifiers == ("JW",)
    assert waste_line.units == 1 and waste_line.shaded_24a == "N472171050501 ML1"
    # issue 19: the JW line states the amount discarded, not the given dose again
    assert waste_line.narrative == "EMAPALUMAB-LZSG (GAMIFANT) 5MG DISCARDED NDC 72171050501"
    assert given_line.charge + waste_line.charge == Decimal("7700.00")  # type: ignore[operator]
    assert waste_line.charge == Decimal("770.00")


def test_noc_units_go_out_as_entered_and_the_check_says_to_change_them() -> None:
    """WPS: 'Do not quantity-bill NOC drugs' (units = 1, else M123). The app never changes the
    clerk's units behind their back: the line carries them, and UNITS_NOT_ONE blocks (WPS)."""
    scenario = scenarios.new_immunotherapy()
    claim = _with_line(scenario.claim, billed_units=Decimal(350))
    (line,) = bill_lines(claim, facts=scenario.facts)
    assert line.units == 350 and line.hcpcs_code == "J9999"
    assert line.shaded_24a == "N461755000801 ML7"
    findings = check_claim(claim, today=scenario.today, facts=scenario.facts)
    (units,) = [f for f in findings if f.code == "UNITS_NOT_ONE"]
    assert units.severity is Severity.BLOCKER and "M123" in units.message
    fixed = _with_line(claim, billed_units=Decimal(1))
    assert bill_lines(fixed, facts=scenario.facts)[0].units == 1
    after = check_claim(fixed, today=scenario.today, facts=scenario.facts)
    assert "UNITS_NOT_ONE" not in {f.code for f in after}


def test_one_unit_is_a_medicare_rule_not_a_commercial_one() -> None:
    """domain.md sections 7 and 16: the generic profile asks for 1 unit only of Medicare."""
    scenario = scenarios.new_immunotherapy()
    claim = _with_line(scenario.claim, billed_units=Decimal(35))
    commercial = replace(
        claim,
        payer=replace(claim.payer, kind=PayerKind.COMMERCIAL, narrative_profile="generic"),
    )
    findings = check_claim(commercial, today=scenario.today, facts=scenario.facts)
    assert "UNITS_NOT_ONE" not in {f.code for f in findings}
    assert bill_lines(commercial, facts=scenario.facts)[0].units == 35
    medicare = replace(claim, payer=replace(claim.payer, narrative_profile="generic"))
    (units,) = [
        f
        for f in check_claim(medicare, today=scenario.today, facts=scenario.facts)
        if f.code == "UNITS_NOT_ONE"
    ]
    assert units.severity is Severity.WARNING and units.unverified


def test_jz_stays_on_the_line_and_coded_drugs_carry_no_narrative() -> None:
    scenario = scenarios.off_label_rituximab("J9312")
    (line,) = bill_lines(scenario.claim, facts=scenario.facts)
    assert line.modifiers == ("JZ",) and line.units == 100
    assert line.narrative == "" and line.narrative_placement == ()
    assert line.shaded_24a == "N450242005306 ML100"


def test_jw_units_for_a_coded_drug_come_from_the_crosswalk_dosage() -> None:
    """Rituximab J9312 = 10 mg: 985 mg given (99 units) + 15 mg discarded -> JW line of 1 unit
    (whole units of dose+waste minus whole units of the dose, domain.md section 15)."""
    scenario = scenarios.off_label_rituximab("J9312")
    line = scenario.claim.drug_lines[0]
    claim = _with_line(
        scenario.claim,
        modifiers=("JW",),
        dose=replace(line.dose, amount=Decimal(985)),
        waste=Waste(Decimal(15), "discarded"),
    )
    _, waste_line = bill_lines(claim, facts=scenario.facts)
    assert waste_line.units == 1 and waste_line.modifiers == ("JW",)


def test_compound_has_three_lines_each_with_its_jw_line() -> None:
    scenario = scenarios.compound_trimix()
    billed = bill_lines(scenario.claim, facts=scenario.facts)
    assert [b.drug_line for b in billed] == [0, 0, 1, 1, 2, 2]
    assert {b.hcpcs_code for b in billed} == {"J7999"}
    assert [b.shaded_24a for b in billed] == [
        "N400517400225 ML1",
        "N400517400225 ML1",
        "N400143956401 ME1",
        "N400143956401 ME4",
        "N400703150102 ML0.02",
        "N400703150102 ML0.98",
    ]


def test_railroad_caps_ndc_quantity_at_two_decimals() -> None:
    scenario = scenarios.compound_trimix()
    claim = replace(
        scenario.claim, payer=replace(scenario.claim.payer, narrative_profile="railroad")
    )
    line = replace(claim.drug_lines[2], dose=replace(claim.drug_lines[2].dose, amount=Decimal(7)))
    claim = replace(claim, drug_lines=(line,))
    assert bill_lines(claim)[0].shaded_24a == "N400703150102 ML0.01"


def test_unusable_ndc_leaves_the_shaded_line_empty() -> None:
    scenario = scenarios.rare_biologic()
    (line, _) = bill_lines(_with_line(scenario.claim, ndc="7217150501"))
    assert line.ndc11 == "" and line.shaded_24a == ""


def test_paper_narrative_uses_the_item_19_limit() -> None:
    scenario = scenarios.rare_biologic()
    claim = _with_line(scenario.claim, generic_name="emapalumab-lzsg for injection (human mAb)")
    electronic, paper = bill_lines(claim)[0].narrative, bill_lines(claim, paper=True)[0].narrative
    assert len(electronic) > 71 >= len(paper)


@given(st.integers(1, 1_000_000), st.integers(1, 49))
def test_split_charge_always_adds_up(cents: int, waste: int) -> None:
    scenario = scenarios.rare_biologic()
    line = scenario.claim.drug_lines[0]
    claim = _with_line(
        scenario.claim,
        charge=Decimal(cents) / 100,
        dose=replace(line.dose, amount=Decimal(50 - waste)),
        waste=Waste(Decimal(waste), "discarded"),
    )
    given_line, waste_line = bill_lines(claim)
    assert given_line.charge is not None and waste_line.charge is not None
    assert given_line.charge + waste_line.charge == Decimal(cents) / 100
    assert given_line.charge >= 0 and waste_line.charge >= 0


def test_a_jw_line_narrative_drops_the_route() -> None:
    """Novitas (name, dose, route): the JW line of the trimix's phentolamine says 4 mg
    discarded, without the route."""
    scenario = scenarios.compound_trimix()
    billed = bill_lines(scenario.claim, facts=scenario.facts, evidence=scenario.evidence)
    assert billed[2].narrative == "PHENTOLAMINE MESYLATE 1MG INTRACAVERNOUS"
    assert billed[3].narrative == "PHENTOLAMINE MESYLATE 4MG DISCARDED"


def test_a_jw_narrative_that_would_be_cut_blocks_like_the_given_one() -> None:
    """Palmetto (name, dose, NDC): a 55-character name fits the given line (76 characters) but
    not its JW line (85): the check says so, and a shorter name clears it."""
    scenario = scenarios.rare_biologic()
    long_name = replace(scenario.claim.drug_lines[0], brand_name="", generic_name="X" * 55)
    claim = replace(scenario.claim, drug_lines=(long_name,))
    given, waste = bill_lines(claim, facts=scenario.facts)
    assert len(given.narrative) == 76 and len(waste.narrative) == 80
    (finding,) = [
        f
        for f in check_claim(claim, today=scenario.today, facts=scenario.facts)
        if f.code == "NARRATIVE_TOO_LONG"
    ]
    assert finding.severity is Severity.BLOCKER and "JW line" in finding.message
    fixed = replace(long_name, generic_name="X" * 45)
    after = check_claim(
        replace(claim, drug_lines=(fixed,)), today=scenario.today, facts=scenario.facts
    )
    assert "NARRATIVE_TOO_LONG" not in {f.code for f in after}
    assert not [f for f in after if f.severity is Severity.BLOCKER]
