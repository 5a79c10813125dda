"""Every finding, held to what it promises (issue 14, "Tests that would have caught these").

- Severity: each code's case (test_check.CASES) raises it with the severity asserted here.
- Fix clears it: apply the fix its message describes; the finding is gone and no blocker
  appears that was not there before (this is what caught "JZ picked, then JZ blocked").
- Unverified facts never block: a finding resting on a U fact of domain.md or on a default
  the clerk never confirmed is never a BLOCKER, whatever the payer or profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from j3490_desk.domain.check import FINDING_CODES, check_claim
from j3490_desk.domain.claim import (
    Acquisition,
    ClaimStatus,
    FdaStatus,
    PayerKind,
    PriorAuthorization,
    PriorAuthStatus,
)
from j3490_desk.domain.findings import Finding, Severity
from tests.domain import scenarios
from tests.domain.test_check import CASES, Case, _line, _run

B, W, N = Severity.BLOCKER, Severity.WARNING, Severity.INFO  # N: notice (info)
TZ = scenarios.CLINIC_TZ

SEVERITY: dict[str, Severity] = {
    "MODIFIER_UNKNOWN": W,
    "MODIFIER_TERMINATED": B,  # HCPCS file TERM DT (V)
    "MODIFIER_DUPLICATE": W,
    "MODIFIER_JW_WITH_JZ": B,
    "MODIFIER_JG_WITH_TB": B,
    "MODIFIER_KP_WITH_KQ": B,
    "MODIFIER_UNIT_DOSE_ON_NOC": B,
    "MODIFIER_25_ON_DRUG_LINE": B,
    "MODIFIER_KD_OFFICE": W,
    "MODIFIER_STATE_DEFINED_ON_MEDICARE": W,
    "MODIFIER_NEEDS_DOCUMENT": N,
    "WASTE_WITHOUT_JW": B,  # J3590 under Palmetto, whose NOC page says JW
    "WASTE_JZ_WITH_WASTE": B,  # idem
    "WASTE_JW_WITHOUT_WASTE": B,
    "WASTE_JZ_MISSING": W,  # JZ on a NOC line: no contractor instruction (section 5, U)
    "WASTE_JW_UNITS_COVER": B,  # J9312: a coded drug, Noridian's units rule (V)
    "WASTE_ON_MULTI_DOSE": W,
    "WASTE_MODIFIER_ON_MULTI_DOSE": B,
    "WASTE_MODIFIER_NOT_APPLICABLE": W,
    "WASTE_EXCEEDS_PACKAGE": B,
    "WASTE_UNACCOUNTED": W,
    "WASTE_NEGATIVE": B,
    "WASTE_REASON_MISSING": W,
    "SPECIFIC_HCPCS_EXISTS": B,
    "NOC_CODE_MISMATCH": B,
    "C9399_OUTSIDE_HOSPITAL": B,
    "ORAL_DRUG": B,
    "C9399_APPROVAL_UNCONFIRMED": W,
    "C9399_APPROVED_BEFORE_2004": W,
    "SELF_ADMINISTERED_DRUG": W,
    "REFERENCE_DATA_NOT_LOADED": N,
    "NO_DRUG_LINES": B,
    "NDC_MISSING": B,
    "NDC_AMBIGUOUS": B,
    "NDC_INVALID": B,
    "NDC_NOT_IN_DIRECTORY": W,
    "NDC_MARKETING_ENDED": W,
    "NDC_QUANTITY_INVALID": B,
    "UNITS_NOT_ONE": W,  # Palmetto publishes no units rule: the app's default only warns
    "DRUG_INVESTIGATIONAL": B,
    "DRUG_UNAPPROVED": W,  # a BLA drug the directory row says is not approved: not denied
    "OFF_LABEL_NO_RATIONALE": B,
    "OFF_LABEL_NO_COMPENDIUM": W,
    "DRUG_NOT_PURCHASED": B,
    "INVOICE_MISSING": B,
    "INVOICE_NOT_SENT": W,
    "PRESCRIPTION_NOT_SENT": W,
    "LABEL_PHOTO_MISSING": W,
    "INVOICE_NDC_MISMATCH": B,
    "INVOICE_AFTER_ADMINISTRATION": B,
    "INVOICE_QUANTITY_TOO_SMALL": B,
    "DOSE_MISSING": B,
    "DOSE_NOT_POSITIVE": B,
    "DOSE_IMPLAUSIBLE": W,  # the app's 100-package guess, not a payer rule
    "DOSE_UNIT_INVALID": B,
    "DOSE_UNIT_INCOMPATIBLE": B,
    "PACKAGE_AMOUNT_MISSING": B,  # the NDC quantity in mL cannot be built without it
    "PACKAGE_UNIT_INVALID": B,
    "AMOUNT_UNREADABLE": B,
    "UNITS_NOT_POSITIVE": B,
    "HCPCS_CODE_INVALID": B,
    "CHARGE_NOT_POSITIVE": B,
    "ADMINISTRATION_IN_FUTURE": B,
    "ADMINISTRATION_DATE_NOT_DOS": W,
    "DIAGNOSIS_MISSING": B,
    "DIAGNOSIS_SYNTAX": B,
    "DIAGNOSIS_UNKNOWN": W,  # 2019 DOS, checked against the FY2026 code set
    "DIAGNOSIS_NOT_BILLABLE": W,  # idem
    "STANDARD_TREATMENT_NOT_DOCUMENTED": W,
    "PRESCRIPTION_MISSING": W,
    "LOT_NUMBER_MISSING": W,
    "LOT_EXPIRATION_MISSING": W,
    "LOT_EXPIRED": B,
    "PRIOR_AUTH_MISSING": B,
    "PRIOR_AUTH_PENDING": B,
    "PRIOR_AUTH_DENIED": B,
    "PRIOR_AUTH_NUMBER_MISSING": W,
    "PRIOR_AUTH_NOT_YET_VALID": B,
    "PRIOR_AUTH_EXPIRED": B,
    "PRIOR_AUTH_EXPIRING": W,
    "FILING_DEADLINE_PASSED": B,  # Medicare: 12 months, 42 CFR 424.44 (V)
    "FILING_DEADLINE_NEAR": W,
    "FILING_DEADLINE_UNVERIFIED": N,
    "CLINIC_SUBMIT_STANDARD_PASSED": W,
    "ADMIN_END_BEFORE_START": B,
    "INFUSION_TIMES_MISSING": B,
    "INFUSION_TOO_SHORT": W,
    "PROVIDER_NPI_INVALID": B,
    "PROVIDER_CREDENTIALS_MISSING": W,
    "NARRATIVE_MISSING": B,
    "NARRATIVE_TOO_LONG": B,
    "CHARGE_MISSING": W,
    "PRICING_INCOMPLETE": W,
    "WASTE_DWARFS_DOSE": W,
    "INFUSION_ADD_ON_HOURS_MISSING": W,
    "OPPS_STATUS_UNKNOWN": W,  # no Addendum B loaded: the app says so, it does not guess
    "NDC_READ_FROM_DIRECTORY": W,
    "HCPCS_DESCRIPTOR_NAMES_DRUG": W,  # matched by name: a second signal (section 13)
}

# Findings whose fix is to check something outside the claim: nothing the clerk types makes
# them go away, so none of them may block (MODIFIER_NEEDS_DOCUMENT is information), except a
# Medicare filing deadline that really has passed (42 CFR 424.44: the claim cannot be paid).
NOTHING_TO_TYPE = {
    "MODIFIER_NEEDS_DOCUMENT",
    "NDC_NOT_IN_DIRECTORY",
    "NDC_MARKETING_ENDED",
    "DRUG_UNAPPROVED",
    "OPPS_STATUS_UNKNOWN",  # import the Addendum B (tests/reference/test_reference_rules.py)
}
FINAL = {"FILING_DEADLINE_PASSED"}

_Fix = Callable[[Case, Finding], Case]


def _store_every_document(case: Case, _: Finding) -> Case:
    """Attach the scan: the case without its own evidence runs with every document stored."""
    return case[0], case[1], case[2]


def _line_fix(**changes: Any) -> _Fix:
    return lambda case, _: (_line(case[0], **changes), case[1], case[2])


def _claim_fix(**changes: Any) -> _Fix:
    return lambda case, _: (replace(case[0], **changes), case[1], case[2])


def _base_facts(case: Case, _: Finding) -> Case:
    return case[0], case[1], scenarios.rare_biologic().facts


def _code_from_fix(case: Case, finding: Finding) -> Case:
    """'Use J3590 ...' / 'Bill J9312 with 100 unit(s)': the code (and units) the fix names."""
    named = re.search(r"(?:Use|Bill) ([A-Z]\d{4})", finding.fix)
    assert named, finding.fix
    units = re.search(r"with (\d+) unit", finding.fix)
    changes: dict[str, Any] = {"hcpcs_code": named.group(1)}
    if units:
        changes["billed_units"] = Decimal(units.group(1))
    return _line(case[0], **changes), case[1], case[2]


def _submitted(case: Case, _: Finding) -> Case:
    claim, today, facts = case
    return replace(claim, status=ClaimStatus.SUBMITTED, submitted_on=today), today, facts


def _approved_auth(case: Case, _: Finding) -> Case:
    auth = PriorAuthorization(PriorAuthStatus.APPROVED, "PA-1")
    return replace(case[0], prior_auth=auth), case[1], case[2]


BASE = scenarios.rare_biologic().claim
BASE_LINE = BASE.drug_lines[0]
FIXES: dict[str, _Fix] = {
    "MODIFIER_UNKNOWN": _line_fix(modifiers=("JW",)),
    "MODIFIER_TERMINATED": _line_fix(modifiers=("JZ", "TB")),  # "Replace JG with TB"
    "MODIFIER_DUPLICATE": _line_fix(modifiers=("JW",)),
    "MODIFIER_JW_WITH_JZ": _line_fix(modifiers=("JW",)),  # waste recorded: keep JW
    "MODIFIER_JG_WITH_TB": _line_fix(modifiers=("JW", "JG")),  # 2019, a clinic: JG
    "MODIFIER_KP_WITH_KQ": _line_fix(modifiers=("JW",)),
    "MODIFIER_UNIT_DOSE_ON_NOC": _line_fix(modifiers=("JW",)),
    "MODIFIER_25_ON_DRUG_LINE": _line_fix(modifiers=("JW",)),
    "MODIFIER_KD_OFFICE": _line_fix(modifiers=("JW",)),
    "MODIFIER_STATE_DEFINED_ON_MEDICARE": _line_fix(modifiers=("JW",)),
    "WASTE_WITHOUT_JW": _line_fix(modifiers=("JW",)),
    "WASTE_JZ_WITH_WASTE": _line_fix(modifiers=("JW",)),
    "WASTE_JW_WITHOUT_WASTE": _line_fix(modifiers=()),
    "WASTE_JZ_MISSING": _line_fix(modifiers=("JZ",)),
    "WASTE_JW_UNITS_COVER": _line_fix(modifiers=("JZ",)),  # waste stays recorded
    "WASTE_ON_MULTI_DOSE": _line_fix(waste__amount=None),
    "WASTE_MODIFIER_ON_MULTI_DOSE": _line_fix(modifiers=(), waste__amount=None),
    "WASTE_MODIFIER_NOT_APPLICABLE": _line_fix(modifiers=()),
    "WASTE_EXCEEDS_PACKAGE": _line_fix(waste__amount=Decimal(5)),
    "WASTE_UNACCOUNTED": _line_fix(waste__amount=Decimal(5)),
    "WASTE_NEGATIVE": _line_fix(waste__amount=Decimal(5)),
    "WASTE_REASON_MISSING": _line_fix(waste__reason="single-dose vial, remainder discarded"),
    "SPECIFIC_HCPCS_EXISTS": _code_from_fix,
    "NOC_CODE_MISMATCH": _code_from_fix,
    "C9399_OUTSIDE_HOSPITAL": _code_from_fix,
    "ORAL_DRUG": _code_from_fix,
    "C9399_APPROVAL_UNCONFIRMED": _line_fix(fda__status=FdaStatus.APPROVED),
    "C9399_APPROVED_BEFORE_2004": _code_from_fix,
    "SELF_ADMINISTERED_DRUG": _line_fix(administration__cpt_code="96372"),
    "REFERENCE_DATA_NOT_LOADED": _base_facts,
    "NO_DRUG_LINES": _claim_fix(drug_lines=(BASE_LINE,)),
    "NDC_MISSING": _line_fix(ndc=BASE_LINE.ndc),
    "NDC_AMBIGUOUS": _line_fix(ndc="72171-505-01"),  # the reading printed on the label
    "NDC_INVALID": _line_fix(ndc=BASE_LINE.ndc),
    "NDC_QUANTITY_INVALID": _line_fix(package__ndc_unit_qualifier="ML"),
    "UNITS_NOT_ONE": _line_fix(billed_units=Decimal(1)),
    "DRUG_INVESTIGATIONAL": _line_fix(fda__status=FdaStatus.APPROVED),
    "OFF_LABEL_NO_RATIONALE": _line_fix(
        fda__off_label_rationale="Refractory HLH", fda__compendium_reference="DrugDex"
    ),
    "OFF_LABEL_NO_COMPENDIUM": _line_fix(
        fda__off_label_rationale="Refractory HLH", fda__compendium_reference="DrugDex"
    ),
    "DRUG_NOT_PURCHASED": _line_fix(acquisition=Acquisition.PURCHASED),
    "INVOICE_MISSING": _store_every_document,
    "INVOICE_NOT_SENT": _store_every_document,
    "PRESCRIPTION_NOT_SENT": _store_every_document,
    "LABEL_PHOTO_MISSING": _store_every_document,
    "INVOICE_NDC_MISMATCH": _line_fix(invoice__ndc=BASE_LINE.invoice.ndc),
    "INVOICE_AFTER_ADMINISTRATION": _line_fix(invoice__date=BASE_LINE.invoice.date),
    "INVOICE_QUANTITY_TOO_SMALL": _line_fix(invoice__quantity=Decimal(1)),
    "DOSE_MISSING": _line_fix(dose__amount=Decimal(45)),
    "DOSE_NOT_POSITIVE": _line_fix(dose__amount=Decimal(45)),
    "DOSE_IMPLAUSIBLE": _line_fix(dose__amount=Decimal(45)),
    "DOSE_UNIT_INVALID": _line_fix(dose__unit="mg"),
    "DOSE_UNIT_INCOMPATIBLE": _line_fix(dose__unit="mg"),
    "PACKAGE_AMOUNT_MISSING": _line_fix(package__amount=Decimal(50)),
    "PACKAGE_UNIT_INVALID": _line_fix(package__unit="mg"),
    "AMOUNT_UNREADABLE": _line_fix(dose__amount=Decimal(45)),
    "UNITS_NOT_POSITIVE": _line_fix(billed_units=Decimal(1)),
    "HCPCS_CODE_INVALID": _line_fix(hcpcs_code="J3590"),
    "CHARGE_NOT_POSITIVE": _line_fix(charge=Decimal("7700.00")),
    "ADMINISTRATION_IN_FUTURE": lambda case, _: (case[0], date(2019, 6, 10), case[2]),
    "ADMINISTRATION_DATE_NOT_DOS": _line_fix(
        dose__administered_at=datetime(2019, 6, 4, 9, 30, tzinfo=TZ)
    ),
    "DIAGNOSIS_MISSING": _claim_fix(medical_necessity=BASE.medical_necessity),
    "DIAGNOSIS_SYNTAX": _claim_fix(medical_necessity=BASE.medical_necessity),
    "DIAGNOSIS_UNKNOWN": _claim_fix(medical_necessity=BASE.medical_necessity),
    "DIAGNOSIS_NOT_BILLABLE": _claim_fix(medical_necessity=BASE.medical_necessity),
    "STANDARD_TREATMENT_NOT_DOCUMENTED": _claim_fix(medical_necessity=BASE.medical_necessity),
    "PRESCRIPTION_MISSING": _store_every_document,
    "LOT_NUMBER_MISSING": _line_fix(lot__number="EMA19C04"),
    "LOT_EXPIRATION_MISSING": _line_fix(lot__expiration=date(2020, 12, 31)),
    "LOT_EXPIRED": _line_fix(lot__expiration=date(2020, 12, 31)),
    "PRIOR_AUTH_MISSING": _approved_auth,
    "PRIOR_AUTH_PENDING": _approved_auth,
    "PRIOR_AUTH_DENIED": _approved_auth,  # after a successful appeal
    "PRIOR_AUTH_NUMBER_MISSING": _approved_auth,
    "PRIOR_AUTH_NOT_YET_VALID": _approved_auth,  # backdated: no longer starts after the DOS
    "PRIOR_AUTH_EXPIRED": _approved_auth,  # extended
    "PRIOR_AUTH_EXPIRING": _submitted,
    "FILING_DEADLINE_NEAR": _submitted,
    "FILING_DEADLINE_UNVERIFIED": lambda case, _: (
        replace(case[0], payer=replace(case[0].payer, timely_filing_days=365)),
        case[1],
        case[2],
    ),
    "CLINIC_SUBMIT_STANDARD_PASSED": _submitted,
    "ADMIN_END_BEFORE_START": _line_fix(administration=BASE_LINE.administration),
    "INFUSION_TIMES_MISSING": _line_fix(administration=BASE_LINE.administration),
    "INFUSION_TOO_SHORT": _line_fix(administration=BASE_LINE.administration),
    "PROVIDER_NPI_INVALID": _claim_fix(provider=BASE.provider),
    "PROVIDER_CREDENTIALS_MISSING": _claim_fix(provider=BASE.provider),
    "NARRATIVE_MISSING": _line_fix(brand_name="Gamifant", generic_name="emapalumab-lzsg"),
    "NARRATIVE_TOO_LONG": _line_fix(brand_name="Gamifant", generic_name="emapalumab-lzsg"),
    "CHARGE_MISSING": _line_fix(charge=Decimal("7700.00")),
    "PRICING_INCOMPLETE": _line_fix(invoice__price_paid=Decimal("7000.00")),
    "WASTE_DWARFS_DOSE": _line_fix(waste__amount=Decimal(5)),  # the amount from the record
    "INFUSION_ADD_ON_HOURS_MISSING": _line_fix(administration__cpt_code="96365 96366"),
    "NDC_READ_FROM_DIRECTORY": _line_fix(ndc="72171-505-01"),  # as the directory reads it
    "HCPCS_DESCRIPTOR_NAMES_DRUG": _code_from_fix,
}


def _blockers(findings: list[Finding]) -> set[tuple[str, int | None]]:
    return {(f.code, f.line) for f in findings if f.severity is Severity.BLOCKER}


def test_every_code_has_a_severity_and_a_fix_or_a_reason_for_none() -> None:
    assert set(SEVERITY) == set(FINDING_CODES) == set(CASES)
    assert set(FIXES) | NOTHING_TO_TYPE | FINAL == set(FINDING_CODES)


@pytest.mark.parametrize("code", sorted(SEVERITY))
def test_severity(code: str) -> None:
    found = {f.severity for f in _run(CASES[code]()) if f.code == code}
    assert found == {SEVERITY[code]}


@pytest.mark.parametrize("code", sorted(FIXES))
def test_applying_the_fix_clears_the_finding_and_raises_no_new_blocker(code: str) -> None:
    case = CASES[code]()
    before = _run(case)
    finding = next(f for f in before if f.code == code)
    after = _run(FIXES[code](case, finding))
    assert code not in {f.code for f in after}, [f for f in after if f.code == code]
    new = _blockers(after) - _blockers(before)
    assert not new, [f for f in after if (f.code, f.line) in new]


@pytest.mark.parametrize("code", sorted(NOTHING_TO_TYPE))
def test_a_finding_nothing_typed_can_clear_never_blocks(code: str) -> None:
    assert all(f.severity is not Severity.BLOCKER for f in _run(CASES[code]()) if f.code == code)


def _payers() -> list[tuple[str, Any]]:
    medicare = BASE.payer
    return [
        ("medicare-" + profile, replace(medicare, narrative_profile=profile))
        for profile in ("generic", "palmetto", "noridian", "wps", "novitas", "cgs", "ngs")
    ] + [
        (
            "medicaid-default",
            replace(medicare, kind=PayerKind.MEDICAID, narrative_profile="generic"),
        ),
        (
            "commercial-default",
            replace(medicare, kind=PayerKind.COMMERCIAL, narrative_profile="generic"),
        ),
    ]


@pytest.mark.parametrize(("name", "payer"), _payers())
def test_a_finding_on_an_unverified_fact_or_unconfirmed_default_never_blocks(
    name: str, payer: Any
) -> None:
    """domain.md preamble and section 16: U facts and defaults are never hard blockers.
    Every code's case, under every payer kind and profile, also a year and a half later."""
    for code, make in CASES.items():
        claim, today, facts, *stored = make()
        claim = replace(claim, payer=payer)
        evidence = stored[0] if stored else scenarios.STORED
        for day in (today, date(today.year + 1, 12, 31)):
            for finding in check_claim(claim, today=day, facts=facts, evidence=evidence):
                assert not (finding.unverified and finding.severity is Severity.BLOCKER), (
                    code,
                    finding,
                )


def test_the_unverified_situations_are_flagged() -> None:
    """The situations issue 14 names rest on U facts or defaults: each is flagged, so the
    test above holds them to warnings."""
    medicaid = replace(BASE.payer, kind=PayerKind.MEDICAID, narrative_profile="generic")
    commercial = replace(medicaid, kind=PayerKind.COMMERCIAL)
    for payer, figure in ((medicaid, "365 days"), (commercial, "90 days")):
        claim, _, facts = CASES["FILING_DEADLINE_PASSED"]()
        late = check_claim(replace(claim, payer=payer), today=date(2021, 1, 1), facts=facts)
        (passed,) = [f for f in late if f.code == "FILING_DEADLINE_PASSED"]
        assert passed.unverified and passed.severity is Severity.WARNING
        assert figure in passed.message and "Settings > Payers" in passed.message
        own = replace(claim, payer=replace(payer, timely_filing_days=200))
        (real,) = [
            f
            for f in check_claim(own, today=date(2021, 1, 1), facts=facts)
            if f.code == "FILING_DEADLINE_PASSED"
        ]
        assert real.severity is Severity.BLOCKER and not real.unverified
    noridian = replace(BASE.payer, narrative_profile="noridian")
    claim, today, facts = CASES["WASTE_WITHOUT_JW"]()
    (waste,) = [
        f
        for f in check_claim(replace(claim, payer=noridian), today=today, facts=facts)
        if f.code == "WASTE_WITHOUT_JW"
    ]
    assert waste.unverified and waste.severity is Severity.WARNING


# Issue 14, wrong item 10: each finding cites the rule it states (and not a neighbour's).
CITES: dict[str, tuple[str, str | None]] = {
    # code -> (in the source, never in the source)
    "NO_DRUG_LINES": ("item 24", "§7"),
    "ADMINISTRATION_IN_FUTURE": ("24A dates of service", "§9"),
    "ADMINISTRATION_DATE_NOT_DOS": ("24A dates of service", "§9"),
    "PROVIDER_CREDENTIALS_MISSING": ("item 31", "§14"),
    "STANDARD_TREATMENT_NOT_DOCUMENTED": ("§50.4 (reasonableness", "§13"),
    "DRUG_INVESTIGATIONAL": ("§50.4.1", None),
    "DRUG_NOT_PURCHASED": ("§50.3", "pricing"),
    "OFF_LABEL_NO_RATIONALE": ("§50.4.2", None),
    "OFF_LABEL_NO_COMPENDIUM": ("§50.4.2", None),
    "CHARGE_MISSING": ("24F charges", None),
    "UNITS_NOT_POSITIVE": ("24G units", None),
    "MODIFIER_TERMINATED": ("HCPCS Level II file", None),
    "MODIFIER_JG_WITH_TB": ("HCPCS Level II file", None),
    "SELF_ADMINISTERED_DRUG": ("§50.2", None),
    "FILING_DEADLINE_PASSED": ("§9", None),
    "WASTE_JW_UNITS_COVER": ("§15", None),
    "C9399_APPROVAL_UNCONFIRMED": ("ngsmedicare", None),
    # The signed order: Medicare's signature rule for what is ordered, and the packet (§14);
    # §9 is filing deadlines and record retention.
    "PRESCRIPTION_MISSING": ("Program Integrity Manual ch.3 §3.3.2.4", "§9"),
    "PRESCRIPTION_NOT_SENT": ("Program Integrity Manual ch.3 §3.3.2.4", "§9"),
    # Lot and expiry come from the package's GS1 barcode (§3); an expired lot is the FDA's
    # expiration-dating rule, not the barcode's.
    "LOT_NUMBER_MISSING": ("§3", None),
    "LOT_EXPIRATION_MISSING": ("§3", None),
    "LOT_EXPIRED": ("21 CFR 211.137", None),
}


@pytest.mark.parametrize("code", sorted(CITES))
def test_each_finding_cites_the_rule_it_states(code: str) -> None:
    wanted, unwanted = CITES[code]
    for finding in (f for f in _run(CASES[code]()) if f.code == code):
        assert wanted in finding.source, finding.source
        assert unwanted is None or unwanted not in finding.source, finding.source
