"""Issue 14: rules that must not block valid claims, and rules that must not stay quiet.

Reference facts come from the real importer on tests/fixtures/rules (reference_facts.py).
Each test applies the fix a finding describes and checks that it clears without a new blocker.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from j3490_desk.domain.check import check_claim
from j3490_desk.domain.claim import (
    Claim,
    DrugFacts,
    DrugKind,
    FdaStatus,
    PayerKind,
    PlaceOfService,
)
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.modifiers import modifier_conflicts
from j3490_desk.domain.noc_code import HOSPITAL_OUTPATIENT_OR_ASC, NOC_CODES, facts_for_line
from j3490_desk.domain.waste import billing_unit_for, expected_waste_modifier, jz_statement
from j3490_desk.services.drafts import noc_code_choices
from tests.domain import reference_facts as ref
from tests.domain import scenarios

DOS = date(2026, 2, 10)  # in the January 2026 crosswalk's quarter
TODAY = date(2026, 2, 16)
TZ = scenarios.CLINIC_TZ
NORIDIAN = replace(
    scenarios.PALMETTO, name="Medicare Part B - Noridian JF", narrative_profile="noridian"
)


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, DrugFacts]]:
    yield ref.imported_facts(tmp_path_factory.mktemp("reference"), DOS)


def _orencia_iv(**changes: Any) -> Claim:
    """750 mg abatacept IV (three 250 mg vials, nothing left) billed with J0129 = 10 mg a unit."""
    base = scenarios.rare_biologic().claim
    old = base.drug_lines[0]
    line = replace(
        old,
        brand_name="Orencia",
        generic_name="abatacept",
        ndc="0003-2187-13",
        strength="250 mg/15 mL",
        kind=DrugKind.BIOLOGIC,
        hcpcs_code="J0129",
        modifiers=("JZ",),
        billed_units=Decimal(75),
        package=replace(old.package, amount=Decimal(250), volume_ml=Decimal(15)),
        invoice=replace(
            old.invoice, date=date(2026, 2, 2), ndc="00003-2187-13", quantity=Decimal(3)
        ),
        dose=replace(
            old.dose, amount=Decimal(750), administered_at=datetime(2026, 2, 10, 9, 30, tzinfo=TZ)
        ),
        prescription=replace(old.prescription, date=date(2026, 2, 9)),
        lot=replace(old.lot, expiration=date(2027, 6, 30)),
        waste=replace(old.waste, amount=None, reason=""),
        administration=replace(
            old.administration,
            start=datetime(2026, 2, 10, 9, 30, tzinfo=TZ),
            end=datetime(2026, 2, 10, 10, 5, tzinfo=TZ),
        ),
    )
    claim = replace(base, payer=NORIDIAN, date_of_service=DOS, drug_lines=(line,))
    return _change(claim, **changes)


def _change(claim: Claim, **changes: Any) -> Claim:
    """Change fields of the first drug line; "dose__amount=..." changes a nested field."""
    line = claim.drug_lines[0]
    for key, value in changes.items():
        if "__" in key:
            part, field = key.split("__")
            value = replace(getattr(line, part), **{field: value})
            key = part
        line = replace(line, **{key: value})
    return replace(claim, drug_lines=(line, *claim.drug_lines[1:]))


def _check(claim: Claim, facts: dict[str, DrugFacts] | None) -> list[Finding]:
    """Every document (invoice, order, label photo) stored, as in the scenarios."""
    return check_claim(claim, today=TODAY, facts=facts, evidence=scenarios.STORED)


def _only(findings: list[Finding], code: str) -> Finding:
    (found,) = [f for f in findings if f.code == code]
    return found


def _blockers(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.severity is Severity.BLOCKER}


def test_the_base_claim_is_clean(facts: dict[str, DrugFacts]) -> None:
    assert [f for f in _check(_orencia_iv(), facts) if f.severity is not Severity.INFO] == []


def test_the_specific_code_fix_names_the_billing_units(facts: dict[str, DrugFacts]) -> None:
    """Quiet item 6: 750 mg at 10 mg a unit (J0129's HCPCS dosage) is 75 units."""
    noc = _orencia_iv(hcpcs_code="J3590", modifiers=(), billed_units=Decimal(1))
    finding = _only(_check(noc, facts), "SPECIFIC_HCPCS_EXISTS")
    assert finding.severity is Severity.BLOCKER
    assert "Bill J0129 with 75 unit(s) (750 mg at 10 mg a unit" in finding.fix
    fixed = _change(noc, hcpcs_code="J0129", billed_units=Decimal(75), modifiers=("JZ",))
    assert [f for f in _check(fixed, facts) if f.severity is not Severity.INFO] == []


def test_jz_for_waste_the_units_cover_is_accepted_and_told_truthfully(
    facts: dict[str, DrugFacts],
) -> None:
    """Wrong item 1 (Noridian, domain.md section 15): 745 mg given, 5 mg discarded: the 75
    units for the dose cover it, so JZ and no JW line; no blocker, and the packet's sentence
    must not say that nothing was discarded."""
    claim = _orencia_iv(dose__amount=Decimal(745), waste__amount=Decimal(5), waste__reason="rest")
    line = claim.drug_lines[0]
    line_facts = facts_for_line(line, facts)
    unit = billing_unit_for(line, DOS, line_facts)
    assert expected_waste_modifier(line, DOS, claim.payer, billing_unit=unit) == "JZ"
    assert [f for f in _check(claim, facts) if f.severity is not Severity.INFO] == []
    statement = jz_statement(line, DOS, line_facts)
    assert "no drug was discarded" not in statement and "5 mg discarded" in statement
    nothing_wasted = jz_statement(_orencia_iv().drug_lines[0], DOS, line_facts)
    assert "no drug was discarded" in nothing_wasted


def test_a_bla_drug_is_a_biologic_whatever_kind_was_picked(facts: dict[str, DrugFacts]) -> None:
    """Quiet item 1: the FDA directory's BLA makes Gamifant a biologic: J3590, not J3490."""
    claim = _orencia_iv(ndc="72171-505-01", kind=DrugKind.DRUG, hcpcs_code="J3490", modifiers=())
    finding = _only(_check(claim, facts), "NOC_CODE_MISMATCH")
    assert finding.severity is Severity.BLOCKER and "Use J3590" in finding.fix
    assert "BLA" in finding.fix
    fixed = _change(claim, hcpcs_code="J3590")
    assert not {"NOC_CODE_MISMATCH", "SPECIFIC_HCPCS_EXISTS"} & {
        f.code for f in _check(fixed, facts)
    }
    antineoplastic = _change(claim, kind=DrugKind.ANTINEOPLASTIC, hcpcs_code="J9999")
    assert "NOC_CODE_MISMATCH" not in {f.code for f in _check(antineoplastic, facts)}


@pytest.mark.parametrize("ndc", ["50114-7004-2", "0389-0486-10"])
def test_medicare_does_not_pay_unapproved_drugs(ndc: str, facts: dict[str, DrugFacts]) -> None:
    """Quiet item 3: BPM ch.15 §50.4.1, MACs deny drugs without final FDA approval
    (UNAPPROVED HOMEOPATHIC, UNAPPROVED DRUG OTHER); other payers: a warning."""
    claim = _orencia_iv(ndc=ndc, hcpcs_code="J3490", kind=DrugKind.DRUG, modifiers=())
    medicare = _only(_check(claim, facts), "DRUG_UNAPPROVED")
    assert medicare.severity is Severity.BLOCKER and "§50.4.1" in medicare.source
    commercial = replace(claim, payer=replace(claim.payer, kind=PayerKind.COMMERCIAL))
    assert _only(_check(commercial, facts), "DRUG_UNAPPROVED").severity is Severity.WARNING
    compound = _change(claim, kind=DrugKind.COMPOUNDED, hcpcs_code="J7999")
    assert _only(_check(compound, facts), "DRUG_UNAPPROVED").severity is Severity.WARNING


def test_a_prefilled_syringe_for_subcutaneous_use_asks_about_self_administration(
    facts: dict[str, DrugFacts],
) -> None:
    """Quiet item 4: Orencia 125 mg/mL glass syringes, subcutaneous (BPM ch.15 §50.2)."""
    claim = _orencia_iv(
        ndc="0003-2188-11",
        package__amount=Decimal(125),
        package__volume_ml=Decimal(1),
        dose__amount=Decimal(125),
        dose__route="subcutaneous",
        billed_units=Decimal(13),
        invoice__ndc="00003-2188-11",
        invoice__quantity=Decimal(1),
        administration__cpt_code="",
        administration__start=None,
        administration__end=None,
    )
    finding = _only(_check(claim, facts), "SELF_ADMINISTERED_DRUG")
    assert finding.severity is Severity.WARNING and finding.unverified
    assert "§50.2" in finding.source and "96372" in finding.fix
    given_in_office = _change(claim, administration__cpt_code="96372")
    after = _check(given_in_office, facts)
    assert "SELF_ADMINISTERED_DRUG" not in {f.code for f in after}
    assert _blockers(after) <= _blockers(_check(claim, facts))
    assert "SELF_ADMINISTERED_DRUG" not in {f.code for f in _check(_orencia_iv(), facts)}
    # A vial of a subcutaneous suspension: "SUSPENSION" holds the letters of "PEN", no pen.
    vial = _change(claim, ndc="0002-8315-01", invoice__ndc="00002-8315-01")
    assert facts[ref.HUMULIN_N_VIAL].dosage_form == "INJECTION, SUSPENSION"
    assert "SELF_ADMINISTERED_DRUG" not in {f.code for f in _check(vial, facts)}


def test_c9399_with_unknown_approval_asks_instead_of_blocking() -> None:
    """Wrong item 4: no directory data and FDA status unknown: confirm approval."""
    claim = replace(
        _orencia_iv(hcpcs_code="C9399", modifiers=(), billed_units=Decimal(1)),
        place_of_service=PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL,
    )
    claim = _change(claim, fda__status=FdaStatus.UNKNOWN)
    findings = _check(claim, None)
    finding = _only(findings, "C9399_APPROVAL_UNCONFIRMED")
    assert finding.severity is Severity.WARNING and finding.unverified
    assert "1 Jan 2004" in finding.message and "NOC_CODE_MISMATCH" not in _blockers(findings)
    confirmed = _change(claim, fda__status=FdaStatus.APPROVED)
    after = {f.code for f in _check(confirmed, None)}
    assert not after & {"C9399_APPROVAL_UNCONFIRMED", "NOC_CODE_MISMATCH"}


def test_c9399_is_for_drugs_approved_from_2004(facts: dict[str, DrugFacts]) -> None:
    """Quinidine gluconate injection: marketed since 1950, so approved long before 2004."""
    claim = replace(
        _orencia_iv(ndc="0002-1407-01", hcpcs_code="C9399", kind=DrugKind.DRUG, modifiers=()),
        place_of_service=PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL,
    )
    finding = _only(_check(claim, facts), "C9399_APPROVED_BEFORE_2004")
    assert finding.severity is Severity.WARNING and "1950-07-12" in finding.message
    assert "Use J3490" in finding.fix
    fixed = {f.code for f in _check(_change(claim, hcpcs_code="J3490"), facts)}
    assert not fixed & {"C9399_APPROVED_BEFORE_2004", "NOC_CODE_MISMATCH"}
    gamifant = _change(claim, ndc="72171-505-01", kind=DrugKind.BIOLOGIC)
    assert not {f.code for f in _check(gamifant, facts)} & {
        "C9399_APPROVED_BEFORE_2004",
        "C9399_APPROVAL_UNCONFIRMED",
        "NOC_CODE_MISMATCH",
    }
    office = replace(gamifant, place_of_service=PlaceOfService.OFFICE)
    assert _only(_check(office, facts), "C9399_OUTSIDE_HOSPITAL").severity is Severity.BLOCKER


@pytest.mark.parametrize("code", ["J8540", "J8499", "J8597", "J8498"])
def test_oral_codes_are_never_told_they_are_for_drugs_not_taken_orally(
    code: str, facts: dict[str, DrugFacts]
) -> None:
    """Wrong item 7: J8540 (oral dexamethasone) and the oral NOC codes."""
    claim = _orencia_iv(ndc="0054-4179-25", hcpcs_code=code, kind=DrugKind.DRUG, modifiers=())
    findings = _check(claim, facts)
    assert "ORAL_DRUG" not in {f.code for f in findings}
    assert not [f for f in findings if "other than orally" in f.message]
    injectable = _only(_check(_change(claim, hcpcs_code="J3490"), facts), "ORAL_DRUG")
    assert injectable.severity is Severity.BLOCKER and "Use J8499" in injectable.fix


def test_one_list_of_noc_codes_serves_rules_and_wizard() -> None:
    """Wrong item 8: the wizard's HCPCS choices and the modifier rule read NOC_CODES."""
    hospital = PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL
    assert [code for code, _ in noc_code_choices(hospital)] == list(NOC_CODES)
    for code in NOC_CODES:
        found = {f.code for f in modifier_conflicts(("KO",), hcpcs_code=code)}
        assert found == {"MODIFIER_UNIT_DOSE_ON_NOC"}, code


@pytest.mark.parametrize("place", list(PlaceOfService))
def test_c9399_is_offered_only_on_hospital_outpatient_and_asc_claims(
    place: PlaceOfService,
) -> None:
    """domain.md §16: C9399 is never offered on a physician-office claim."""
    offered = [code for code, _ in noc_code_choices(place)]
    assert ("C9399" in offered) is (place in HOSPITAL_OUTPATIENT_OR_ASC)
    assert [code for code in NOC_CODES if code != "C9399"] == [
        code for code in offered if code != "C9399"
    ]


@pytest.mark.parametrize("dos", [date(2025, 1, 1), date(2026, 2, 10)])
def test_340b_advice_after_2024_never_suggests_jg(dos: date) -> None:
    """Wrong item 9: the HCPCS file ends JG on 2024-12-31."""
    findings = modifier_conflicts(
        ("JG", "TB", "UD"), payer_kind=PayerKind.MEDICARE, date_of_service=dos
    )
    codes = {f.code for f in findings}
    assert {"MODIFIER_TERMINATED", "MODIFIER_JG_WITH_TB"} <= codes
    for finding in findings:
        assert "JG for" not in finding.fix and "use JG" not in finding.fix.lower(), finding
        assert "Keep JG" not in finding.fix
    before = modifier_conflicts(
        ("JG", "TB"), payer_kind=PayerKind.MEDICARE, date_of_service=date(2024, 6, 3)
    )
    assert "JG for everyone else" in _only(list(before), "MODIFIER_JG_WITH_TB").fix
