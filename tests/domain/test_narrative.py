"""NOC narrative per payer profile (domain.md section 7; payer-profiles.md sections 1 and 5)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.claim import Dose, DrugKind, DrugLine, Invoice, Payer, Waste
from j3490_desk.domain.narrative import build_narrative
from j3490_desk.domain.payer_profiles import (
    PAPER_ITEM_19_LIMIT,
    PROFILES,
    NarrativePart,
    profile_for,
)
from tests.domain import scenarios

REQUIRED_PROFILES = {
    "generic",
    "wps",
    "palmetto",
    "noridian",
    "novitas",
    "fcso",
    "cgs",
    "ngs",
    "railroad",
}
LINE = DrugLine(
    brand_name="Gamifant",
    generic_name="emapalumab-lzsg",
    ndc="72171-505-01",
    strength="5 mg/mL",
    dose=Dose(Decimal(45), "mg", "intravenous"),
)


def test_all_profiles_present_with_sources() -> None:
    assert set(PROFILES) >= REQUIRED_PROFILES
    for profile in PROFILES.values():
        assert NarrativePart.NAME in profile.parts and NarrativePart.DOSE in profile.parts
        assert profile.placement and profile.sources and profile.electronic_limit == 80


def test_generic_template() -> None:
    """domain.md section 7: name, strength, dose + unit, route, NDC."""
    text = build_narrative(LINE, PROFILES["generic"]).text
    assert text == "EMAPALUMAB-LZSG (GAMIFANT) 5MG/ML 45MG IV NDC 72171050501"


def test_palmetto_name_dose_ndc_and_never_mg_per_ml() -> None:
    """Palmetto AW8MMP6652: drug name, total dosage, NDC; 'mg/mL' rejected unless compounded."""
    text = build_narrative(LINE, PROFILES["palmetto"]).text
    assert text == "EMAPALUMAB-LZSG (GAMIFANT) 45MG NDC 72171050501"
    with_concentration = replace(LINE, brand_name="", generic_name="drugx 10 mg/mL")
    assert "MG/ML" not in build_narrative(with_concentration, PROFILES["palmetto"]).text
    compounded = replace(with_concentration, kind=DrugKind.COMPOUNDED)
    assert "10 MG/ML" in build_narrative(compounded, PROFILES["generic"]).text
    assert "MG/ML" in build_narrative(compounded, PROFILES["palmetto"]).text.replace(" ", "")


def test_wps_has_route_and_no_ndc() -> None:
    text = build_narrative(LINE, PROFILES["wps"]).text
    assert text == "EMAPALUMAB-LZSG (GAMIFANT) 45MG 5MG/ML IV"


def test_ngs_hyphenates_the_ndc_when_asked() -> None:
    profile = replace(PROFILES["ngs"], parts=(*PROFILES["ngs"].parts, NarrativePart.NDC))
    assert "NDC 72171-0505-01" in build_narrative(LINE, profile).text


def test_railroad_compound_invoice_note_only_with_the_invoice_enclosed() -> None:
    """Railroad Medicare: 'compounded drugs, invoice attached' and 'INV $250.00', when the
    invoice really goes with the claim; a claim file's "attached": true is not enough."""
    line = replace(
        LINE,
        kind=DrugKind.COMPOUNDED,
        invoice=Invoice(price_paid=Decimal(250), attached=True),
    )
    railroad = PROFILES["railroad"]
    text = build_narrative(line, railroad, invoice_enclosed=True).text
    assert text.endswith("COMPOUNDED DRUGS, INVOICE ATTACHED INV $250.00")
    assert "INVOICE" not in build_narrative(line, railroad).text
    drug = replace(line, kind=DrugKind.DRUG)
    assert "INVOICE" not in build_narrative(drug, railroad, invoice_enclosed=True).text


def test_only_railroad_asks_for_an_invoice_note() -> None:
    """payer-profiles.md §1: no other contractor lists an invoice note, and Palmetto rejects
    text beyond what it requires, so even an enclosed invoice is not mentioned."""
    compound = replace(LINE, kind=DrugKind.COMPOUNDED, invoice=Invoice(price_paid=Decimal(9)))
    for key, profile in PROFILES.items():
        text = build_narrative(compound, profile, invoice_enclosed=True).text
        assert ("INVOICE" in text) is (key == "railroad"), key


def test_abbreviates_then_cuts_and_reports() -> None:
    long_brand = replace(LINE, brand_name="Gamifant " * 5)
    result = build_narrative(long_brand, PROFILES["generic"])
    assert result.abbreviated and result.fits
    assert result.text == "EMAPALUMAB-LZSG 5MG/ML 45MG IV NDC 72171050501"
    too_long = replace(LINE, brand_name="", generic_name="x" * 120)
    result = build_narrative(too_long, PROFILES["generic"])
    assert not result.fits and len(result.text) == 80
    assert result.text.endswith("5MG/ML 45MG IV NDC 72171050501")


def test_paper_item_19_limit_is_a_parameter() -> None:
    profile = PROFILES["generic"]
    line = replace(LINE, generic_name="emapalumab-lzsg long descriptive name")
    assert build_narrative(line, profile).fits
    paper = build_narrative(line, profile, limit=profile.paper_limit)
    assert profile.paper_limit == PAPER_ITEM_19_LIMIT and len(paper.text) <= PAPER_ITEM_19_LIMIT


def test_missing_parts_are_listed() -> None:
    empty = DrugLine(ndc="72171-505-01")
    assert build_narrative(empty, PROFILES["wps"]).missing == (
        NarrativePart.NAME,
        NarrativePart.DOSE,
        NarrativePart.ROUTE,
    )
    assert build_narrative(empty, PROFILES["palmetto"]).missing == (
        NarrativePart.NAME,
        NarrativePart.DOSE,
    )


def test_profile_lookup_falls_back_to_generic() -> None:
    assert profile_for(Payer("x", narrative_profile=" Palmetto ")).key == "palmetto"
    assert profile_for(Payer("x", narrative_profile="unknown")).key == "generic"


def test_scenario_narratives() -> None:
    """Palmetto: name, dose, NDC and nothing more, invoice enclosed or not."""
    scenario = scenarios.rare_biologic()
    line, profile = scenario.claim.drug_lines[0], profile_for(scenario.claim.payer)
    for enclosed in (False, True):
        text = build_narrative(line, profile, invoice_enclosed=enclosed).text
        assert text == "EMAPALUMAB-LZSG (GAMIFANT) 45MG NDC 72171050501"


names = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=150)


@given(names, names, st.sampled_from(sorted(PROFILES)), st.integers(0, 120))
def test_narrative_never_exceeds_the_limit(generic: str, brand: str, key: str, limit: int) -> None:
    line = replace(LINE, generic_name=generic, brand_name=brand)
    result = build_narrative(line, PROFILES[key], limit=limit)
    assert len(result.text) <= limit


@given(names)
def test_palmetto_never_says_mg_per_ml(name: str) -> None:
    line = replace(LINE, generic_name=name + " 10 mg/mL", brand_name="")
    assert "MG/ML" not in build_narrative(line, PROFILES["palmetto"]).text.replace(" ", "")


# Issue 19: a JW (waste) line says it is the discarded amount, with its unit, and does not
# repeat the given-dose narrative.
WASTED = replace(LINE, waste=Waste(Decimal(5), "single-dose vial, remainder discarded"))


def test_a_jw_narrative_states_the_amount_discarded_with_its_unit() -> None:
    palmetto = build_narrative(WASTED, PROFILES["palmetto"], discarded=True).text
    assert palmetto == "EMAPALUMAB-LZSG (GAMIFANT) 5MG DISCARDED NDC 72171050501"
    generic = build_narrative(WASTED, PROFILES["generic"], discarded=True).text
    assert generic == "EMAPALUMAB-LZSG (GAMIFANT) 5MG/ML 5MG DISCARDED NDC 72171050501"
    for profile in PROFILES.values():
        given = build_narrative(WASTED, profile).text
        discarded = build_narrative(WASTED, profile, discarded=True).text
        assert "5MG DISCARDED" in discarded and "45MG" not in discarded, profile.key
        assert discarded != given, profile.key


def test_a_jw_narrative_has_no_route_except_where_the_contractor_rejects_without_it() -> None:
    """Nothing discarded was given by a route; WPS rejects a NOC line that lacks any of name,
    dose and route (M123), so its JW line keeps the route."""
    for key, profile in PROFILES.items():
        text = build_narrative(WASTED, profile, discarded=True).text
        assert (" IV" in text) is (key == "wps"), (key, text)
    novitas = build_narrative(WASTED, PROFILES["novitas"], discarded=True)
    assert novitas.text == "EMAPALUMAB-LZSG (GAMIFANT) 5MG DISCARDED" and not novitas.missing


def test_a_jw_narrative_carries_no_invoice_note() -> None:
    compound = replace(WASTED, kind=DrugKind.COMPOUNDED, invoice=Invoice(price_paid=Decimal(9)))
    railroad = PROFILES["railroad"]
    assert "INVOICE" in build_narrative(compound, railroad, invoice_enclosed=True).text
    jw = build_narrative(compound, railroad, invoice_enclosed=True, discarded=True).text
    assert "INVOICE" not in jw and jw.endswith("5MG DISCARDED")


def test_a_jw_narrative_without_the_amount_discarded_misses_its_dose() -> None:
    unknown = replace(WASTED, waste=Waste(None, "discarded"))
    assert build_narrative(unknown, PROFILES["fcso"], discarded=True).missing == (
        NarrativePart.DOSE,
    )
