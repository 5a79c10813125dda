"""check_claim: the four scenarios, and every code in FINDING_CODES triggered at least once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from j3490_desk.domain.check import FINDING_CODES, check_claim
from j3490_desk.domain.claim import (
    Acquisition,
    Claim,
    ContainerType,
    DrugFacts,
    DrugKind,
    FdaStatus,
    HcpcsDescriptor,
    PayerKind,
    PlaceOfService,
    PriorAuthorization,
    PriorAuthStatus,
)
from j3490_desk.domain.evidence import Evidence, EvidenceKind
from j3490_desk.domain.findings import Finding, Severity
from tests.domain import reference_facts as ref
from tests.domain import scenarios

# (claim, today, facts[, the documents stored: every scan when left out])
Case = (
    tuple[Claim, date, dict[str, DrugFacts] | None]
    | tuple[Claim, date, dict[str, DrugFacts] | None, Evidence]
)
GAMIFANT = "72171050501"
TZ = scenarios.CLINIC_TZ


def _base() -> scenarios.Scenario:
    return scenarios.rare_biologic()


def _line(claim: Claim, **changes: Any) -> Claim:
    """Replace fields of the first drug line; "package__amount=..." changes a nested field."""
    line = claim.drug_lines[0]
    for key, value in changes.items():
        if "__" in key:
            part, field = key.split("__")
            value = replace(getattr(line, part), **{field: value})
            key = part
        line = replace(line, **{key: value})
    return replace(claim, drug_lines=(line, *claim.drug_lines[1:]))


def _case(today: date | None = None, facts: Any = "keep", **line_changes: Any) -> Case:
    scenario = _base()
    claim = _line(scenario.claim, **line_changes) if line_changes else scenario.claim
    return claim, today or scenario.today, scenario.facts if facts == "keep" else facts


def _imported_case(ndc11: str, ndc: str, *, hospital: bool = False, **changes: Any) -> Case:
    """The base claim with another drug, whose facts come from the real importer."""
    claim, today, _ = _case(ndc=ndc, **changes)
    facts = {ndc11: ref.facts_on(claim.date_of_service)[ndc11]}
    if hospital:
        claim = replace(claim, place_of_service=PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL)
    return claim, today, facts


def _hospital_case(**line_changes: Any) -> Case:
    claim, today, facts = _case(**line_changes)
    return (
        replace(claim, place_of_service=PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL),
        today,
        facts,
    )


def _unstored(kind: EvidenceKind, **line_changes: Any) -> Case:
    """The base case with one document not stored (its paper may still be on file)."""
    claim, today, facts = _case(**line_changes)
    return claim, today, facts, scenarios.stored_without(kind)


def _claim_case(today: date | None = None, **claim_changes: Any) -> Case:
    scenario = _base()
    return replace(scenario.claim, **claim_changes), today or scenario.today, scenario.facts


def _necessity(**changes: Any) -> Case:
    claim = _base().claim
    return _claim_case(medical_necessity=replace(claim.medical_necessity, **changes))


def _payer(**changes: Any) -> Case:
    return _claim_case(payer=replace(_base().claim.payer, **changes))


def _auth(*, required: bool = False, **changes: Any) -> Case:
    claim = _base().claim
    return _claim_case(
        payer=replace(claim.payer, prior_auth_required=required),
        prior_auth=PriorAuthorization(**changes),
    )


def _provider(**changes: Any) -> Case:
    return _claim_case(provider=replace(_base().claim.provider, **changes))


def _facts(**changes: Any) -> dict[str, DrugFacts]:
    facts = dict(_base().facts)
    facts[GAMIFANT] = replace(facts[GAMIFANT], **changes)
    return facts


def _scenario_case(make: Callable[[], scenarios.Scenario], **line_changes: Any) -> Case:
    scenario = make()
    return _line(scenario.claim, **line_changes), scenario.today, scenario.facts


APPROVED: dict[str, Any] = {"status": PriorAuthStatus.APPROVED, "number": "PA-1"}

# code -> a claim that must produce it (base: the rare-biologic scenario, which is clean).
CASES: dict[str, Callable[[], Case]] = {
    # modifiers.py
    "MODIFIER_UNKNOWN": lambda: _case(modifiers=("JW", "ZZ")),
    "MODIFIER_TERMINATED": lambda: _scenario_case(
        scenarios.off_label_rituximab, modifiers=("JZ", "JG")
    ),
    "MODIFIER_DUPLICATE": lambda: _case(modifiers=("JW", "jw")),
    "MODIFIER_JW_WITH_JZ": lambda: _case(modifiers=("JW", "JZ")),
    "MODIFIER_JG_WITH_TB": lambda: _case(modifiers=("JW", "JG", "TB")),
    "MODIFIER_KP_WITH_KQ": lambda: _case(modifiers=("JW", "KP", "KQ")),
    "MODIFIER_UNIT_DOSE_ON_NOC": lambda: _case(modifiers=("JW", "KO")),
    "MODIFIER_25_ON_DRUG_LINE": lambda: _case(modifiers=("JW", "25")),
    "MODIFIER_KD_OFFICE": lambda: _case(modifiers=("JW", "KD")),
    "MODIFIER_STATE_DEFINED_ON_MEDICARE": lambda: _case(modifiers=("JW", "UD")),
    "MODIFIER_NEEDS_DOCUMENT": lambda: _case(modifiers=("JW", "GA")),
    # waste.py
    "WASTE_WITHOUT_JW": lambda: _case(modifiers=()),
    "WASTE_JZ_WITH_WASTE": lambda: _case(modifiers=("JZ",)),
    "WASTE_JW_WITHOUT_WASTE": lambda: _case(waste__amount=None, dose__amount=Decimal(50)),
    "WASTE_JZ_MISSING": lambda: _scenario_case(scenarios.off_label_rituximab, modifiers=()),
    "WASTE_JW_UNITS_COVER": lambda: _scenario_case(
        lambda: scenarios.off_label_rituximab("J9312"),
        modifiers=("JW",),
        dose__amount=Decimal(995),
        waste__amount=Decimal(5),
        waste__reason="remainder discarded",
    ),
    "WASTE_ON_MULTI_DOSE": lambda: _case(modifiers=(), package__container=ContainerType.MULTI_DOSE),
    "WASTE_MODIFIER_ON_MULTI_DOSE": lambda: _case(package__container=ContainerType.MULTI_DOSE),
    "WASTE_MODIFIER_NOT_APPLICABLE": lambda: _claim_case(place_of_service=PlaceOfService.FQHC),
    "WASTE_EXCEEDS_PACKAGE": lambda: _case(waste__amount=Decimal(10)),
    "WASTE_UNACCOUNTED": lambda: _case(waste__amount=Decimal(2)),
    "WASTE_NEGATIVE": lambda: _case(waste__amount=Decimal(-1)),
    "WASTE_REASON_MISSING": lambda: _case(waste__reason=""),
    # noc_code.py
    "SPECIFIC_HCPCS_EXISTS": lambda: _scenario_case(scenarios.off_label_rituximab),
    "NOC_CODE_MISMATCH": lambda: _case(hcpcs_code="J3490"),
    "C9399_OUTSIDE_HOSPITAL": lambda: _case(hcpcs_code="C9399"),
    "ORAL_DRUG": lambda: _case(facts=_facts(oral=True)),
    "C9399_APPROVAL_UNCONFIRMED": lambda: _hospital_case(
        facts=None, hcpcs_code="C9399", fda__status=FdaStatus.UNKNOWN
    ),
    "C9399_APPROVED_BEFORE_2004": lambda: _imported_case(
        ref.QUINIDINE, "0002-1407-01", hospital=True, hcpcs_code="C9399", kind=DrugKind.DRUG
    ),
    "SELF_ADMINISTERED_DRUG": lambda: _imported_case(
        ref.ORENCIA_SC,
        "0003-2188-11",
        package__amount=Decimal(125),
        package__volume_ml=Decimal(1),
        dose__amount=Decimal(125),
        dose__route="subcutaneous",
        waste__amount=None,
        modifiers=("JZ",),
        invoice__ndc="00003-2188-11",
        administration__cpt_code="",
        administration__start=None,
        administration__end=None,
    ),
    # check.py
    "REFERENCE_DATA_NOT_LOADED": lambda: _case(facts=None),
    "NO_DRUG_LINES": lambda: _claim_case(drug_lines=()),
    "NDC_MISSING": lambda: _case(ndc=""),
    "NDC_AMBIGUOUS": lambda: _case(ndc="7217150501"),
    "NDC_INVALID": lambda: _case(ndc="1234-567-89"),
    "NDC_NOT_IN_DIRECTORY": lambda: _case(facts={}),
    "NDC_MARKETING_ENDED": lambda: _case(facts=_facts(end_marketing_date=date(2019, 1, 31))),
    "NDC_QUANTITY_INVALID": lambda: _case(package__ndc_unit_qualifier=""),
    "UNITS_NOT_ONE": lambda: _case(billed_units=Decimal(45)),
    "DRUG_INVESTIGATIONAL": lambda: _case(fda__status=FdaStatus.INVESTIGATIONAL),
    "DRUG_UNAPPROVED": lambda: _case(facts=_facts(fda_approved=False)),
    "OFF_LABEL_NO_RATIONALE": lambda: _case(fda__off_label=True),
    "OFF_LABEL_NO_COMPENDIUM": lambda: _case(fda__off_label=True),
    "DRUG_NOT_PURCHASED": lambda: _case(acquisition=Acquisition.FREE_SAMPLE),
    "INVOICE_MISSING": lambda: _unstored(EvidenceKind.INVOICE, invoice__on_file=False),
    "INVOICE_NOT_SENT": lambda: _unstored(EvidenceKind.INVOICE),
    "INVOICE_NDC_MISMATCH": lambda: _case(invoice__ndc="61755-0008-01"),
    "INVOICE_AFTER_ADMINISTRATION": lambda: _case(invoice__date=date(2019, 6, 5)),
    "INVOICE_QUANTITY_TOO_SMALL": lambda: _case(invoice__quantity=Decimal("0.5")),
    "DOSE_MISSING": lambda: _case(dose__amount=None),
    "DOSE_NOT_POSITIVE": lambda: _case(dose__amount=Decimal(0)),
    "DOSE_IMPLAUSIBLE": lambda: _case(dose__amount=Decimal(6000)),
    "DOSE_UNIT_INVALID": lambda: _case(dose__unit="tabs"),
    "DOSE_UNIT_INCOMPATIBLE": lambda: _case(dose__unit="units"),
    "PACKAGE_AMOUNT_MISSING": lambda: _case(package__amount=None),
    "PACKAGE_UNIT_INVALID": lambda: _case(package__unit="tabs"),
    "AMOUNT_UNREADABLE": lambda: _case(dose__amount=Decimal("NaN")),
    "UNITS_NOT_POSITIVE": lambda: _case(billed_units=Decimal(0)),
    "HCPCS_CODE_INVALID": lambda: _case(hcpcs_code="J349"),
    "CHARGE_NOT_POSITIVE": lambda: _case(charge=Decimal("-7700.00")),
    "ADMINISTRATION_IN_FUTURE": lambda: _case(today=date(2019, 6, 1)),
    "ADMINISTRATION_DATE_NOT_DOS": lambda: _case(
        dose__administered_at=datetime(2019, 6, 3, 9, tzinfo=TZ)
    ),
    "DIAGNOSIS_MISSING": lambda: _necessity(icd10_codes=()),
    "DIAGNOSIS_SYNTAX": lambda: _necessity(icd10_codes=("0D76.1",)),
    "DIAGNOSIS_UNKNOWN": lambda: _necessity(icd10_codes=("Z99.99",)),
    "DIAGNOSIS_NOT_BILLABLE": lambda: _necessity(icd10_codes=("G70.0",)),
    "STANDARD_TREATMENT_NOT_DOCUMENTED": lambda: _necessity(why_standard_failed=""),
    "PRESCRIPTION_MISSING": lambda: _unstored(EvidenceKind.ORDER, prescription__on_file=False),
    "PRESCRIPTION_NOT_SENT": lambda: _unstored(EvidenceKind.ORDER),
    "LABEL_PHOTO_MISSING": lambda: _unstored(EvidenceKind.LABEL),
    "LOT_NUMBER_MISSING": lambda: _case(lot__number=""),
    "LOT_EXPIRATION_MISSING": lambda: _case(lot__expiration=None),
    "LOT_EXPIRED": lambda: _case(lot__expiration=date(2019, 5, 31)),
    "PRIOR_AUTH_MISSING": lambda: _auth(required=True),
    "PRIOR_AUTH_PENDING": lambda: _auth(required=True, status=PriorAuthStatus.PENDING),
    "PRIOR_AUTH_DENIED": lambda: _auth(status=PriorAuthStatus.DENIED),
    "PRIOR_AUTH_NUMBER_MISSING": lambda: _auth(status=PriorAuthStatus.APPROVED),
    "PRIOR_AUTH_NOT_YET_VALID": lambda: _auth(**APPROVED, valid_from=date(2019, 6, 5)),
    "PRIOR_AUTH_EXPIRED": lambda: _auth(**APPROVED, valid_to=date(2019, 6, 3)),
    "PRIOR_AUTH_EXPIRING": lambda: _auth(**APPROVED, valid_to=date(2019, 6, 20)),
    "FILING_DEADLINE_PASSED": lambda: _case(today=date(2020, 6, 5)),
    "FILING_DEADLINE_NEAR": lambda: _case(today=date(2020, 5, 20)),
    "FILING_DEADLINE_UNVERIFIED": lambda: _payer(kind=PayerKind.MEDICAID),
    "CLINIC_SUBMIT_STANDARD_PASSED": lambda: _case(today=date(2019, 6, 25)),
    "ADMIN_END_BEFORE_START": lambda: _case(administration__end=datetime(2019, 6, 4, 9, tzinfo=TZ)),
    "INFUSION_TIMES_MISSING": lambda: _case(administration__start=None),
    "INFUSION_TOO_SHORT": lambda: _case(administration__end=datetime(2019, 6, 4, 9, 40, tzinfo=TZ)),
    "PROVIDER_NPI_INVALID": lambda: _provider(npi="1234567890"),
    "PROVIDER_CREDENTIALS_MISSING": lambda: _provider(credentials=""),
    "NARRATIVE_MISSING": lambda: _case(brand_name="", generic_name=""),
    "NARRATIVE_TOO_LONG": lambda: _case(brand_name="", generic_name="emapalumab-lzsg " * 6),
    "CHARGE_MISSING": lambda: _case(charge=None),
    "PRICING_INCOMPLETE": lambda: _case(invoice__price_paid=None),
    # Registry only: tests/reference/test_reference_rules.py tests these on imported facts.
    "OPPS_STATUS_UNKNOWN": lambda: _claim_case(
        place_of_service=PlaceOfService.OFF_CAMPUS_OUTPATIENT_HOSPITAL
    ),
    "NDC_READ_FROM_DIRECTORY": lambda: _case(
        ndc="7217150501", facts={"7217150501": _base().facts[GAMIFANT]}
    ),
    "HCPCS_DESCRIPTOR_NAMES_DRUG": lambda: _case(
        facts=_facts(descriptor_codes=(HcpcsDescriptor("J9210", "Injection, emapalumab"),))
    ),
    "WASTE_DWARFS_DOSE": lambda: _case(waste__amount=Decimal("450")),
    "INFUSION_ADD_ON_HOURS_MISSING": lambda: _case(
        administration__end=datetime(2019, 6, 4, 11, 5, tzinfo=TZ)
    ),
}


def _run(case: Case) -> list[Finding]:
    claim, today, facts, *stored = case
    evidence = stored[0] if stored else scenarios.STORED
    return check_claim(claim, today=today, facts=facts, evidence=evidence)


def _codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def test_every_registered_code_is_triggered() -> None:
    triggered = set().union(*(_codes(_run(make())) for make in CASES.values()))
    untriggered = sorted(set(FINDING_CODES) - triggered)
    assert not untriggered, f"codes no test triggers: {untriggered}"


def test_registry_has_no_unknown_cases() -> None:
    assert set(CASES) <= set(FINDING_CODES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_case_triggers_its_code(code: str) -> None:
    findings = _run(CASES[code]())
    assert code in _codes(findings)
    for finding in findings:
        assert finding.code in FINDING_CODES
        assert finding.code == finding.code.upper() and " " not in finding.code
        assert finding.message and finding.fix and finding.source
        assert finding.item in {str(n) for n in range(1, 11)} | {
            "coding",
            "modifiers",
            "prior_auth",
            "timely_filing",
            "narrative",
            "pricing",
        }


def _not_info(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is not Severity.INFO]


@pytest.mark.parametrize("make", scenarios.ALL_SCENARIOS[:2] + scenarios.ALL_SCENARIOS[3:])
def test_scenarios_have_no_unexpected_problems(make: Callable[[], scenarios.Scenario]) -> None:
    scenario = make()
    findings = check_claim(
        scenario.claim, today=scenario.today, facts=scenario.facts, evidence=scenario.evidence
    )
    # The trimix's alprostadil waste is 49 times its dose: a warning to confirm (sanity.py).
    expected = {"compound": {"DRUG_UNAPPROVED", "WASTE_DWARFS_DOSE"}}.get(scenario.name, set())
    assert _codes(_not_info(findings)) == expected


def test_new_immunotherapy_has_no_code_yet_then_gets_j9119() -> None:
    """Cemiplimab: J9119 takes effect 1 Oct 2019 (HCPCS file ADD DT); before it, J9999. The
    crosswalks loaded (October 2025, January 2026) map the Libtayo NDC to J9119: the same claim
    given in their quarters is told to bill J9119, with the facts imported for that date."""
    scenario = scenarios.new_immunotherapy()
    before = check_claim(
        scenario.claim, today=scenario.today, facts=scenario.facts, evidence=scenario.evidence
    )
    assert "SPECIFIC_HCPCS_EXISTS" not in _codes(before)
    dos = date(2025, 11, 12)
    later = replace(scenario.claim, date_of_service=dos)
    later = _line(later, dose__administered_at=datetime(2025, 11, 12, 10, tzinfo=TZ))
    after = check_claim(later, today=date(2025, 11, 20), facts=scenarios.reference_facts(dos))
    specific = [f for f in after if f.code == "SPECIFIC_HCPCS_EXISTS"]
    assert len(specific) == 1 and "J9119" in specific[0].message
    assert specific[0].severity is Severity.BLOCKER


def test_new_immunotherapy_as_j3490_is_the_wrong_noc_code() -> None:
    scenario = scenarios.new_immunotherapy()
    claim = _line(scenario.claim, hcpcs_code="J3490")
    findings = check_claim(
        claim, today=scenario.today, facts=scenario.facts, evidence=scenario.evidence
    )
    mismatch = [f for f in findings if f.code == "NOC_CODE_MISMATCH"]
    assert mismatch and "J9999" in mismatch[0].fix and mismatch[0].severity is Severity.BLOCKER


def test_compound_as_j3490_wants_j7999() -> None:
    """Compounds: J7999 since 2016-01-01 (CMS HCPCS file ADD DT; Novitas and FCSO list it),
    although the rule of thumb (AAO) still says "J3490 or J7999" (domain.md section 6)."""
    scenario = scenarios.compound_trimix()
    claim = _line(scenario.claim, hcpcs_code="J3490")
    findings = check_claim(
        claim, today=scenario.today, facts=scenario.facts, evidence=scenario.evidence
    )
    mismatch = [f for f in findings if f.code == "NOC_CODE_MISMATCH"]
    assert [f.line for f in mismatch] == [0] and "J7999" in mismatch[0].fix


def test_compound_ingredient_with_its_own_code_stays_j7999() -> None:
    scenario = scenarios.compound_trimix()
    assert scenario.facts["00143956401"].specific_hcpcs[0].code == "J2760"
    findings = check_claim(
        scenario.claim, today=scenario.today, facts=scenario.facts, evidence=scenario.evidence
    )
    assert "SPECIFIC_HCPCS_EXISTS" not in _codes(findings)


def test_compound_papaverine_is_unapproved() -> None:
    scenario = scenarios.compound_trimix()
    findings = check_claim(
        scenario.claim, today=scenario.today, facts=scenario.facts, evidence=scenario.evidence
    )
    unapproved = [f for f in findings if f.code == "DRUG_UNAPPROVED"]
    assert [f.line for f in unapproved] == [0]
    assert "UNAPPROVED DRUG OTHER" in unapproved[0].message


def test_off_label_keeps_the_specific_code() -> None:
    """domain.md section 13: a code names the drug, not the indication."""
    scenario = scenarios.off_label_rituximab()
    findings = check_claim(
        scenario.claim, today=scenario.today, facts=scenario.facts, evidence=scenario.evidence
    )
    specific = [f for f in findings if f.code == "SPECIFIC_HCPCS_EXISTS"]
    assert len(specific) == 1
    assert specific[0].severity is Severity.BLOCKER
    assert "J9312" in specific[0].message and "off-label" in specific[0].message


def test_off_label_billed_with_its_code_is_clean() -> None:
    scenario = scenarios.off_label_rituximab("J9312")
    # Its 4 h 15 min infusion goes with three add-on hours (sanity.py): entered beside 96413.
    claim = _line(scenario.claim, administration__cpt_code="96413 96415")
    findings = check_claim(
        claim, today=scenario.today, facts=scenario.facts, evidence=scenario.evidence
    )
    assert _not_info(findings) == []


def test_rare_biologic_as_j3490_wants_j3590() -> None:
    findings = _run(_case(hcpcs_code="J3490"))
    mismatch = next(f for f in findings if f.code == "NOC_CODE_MISMATCH")
    assert "J3590" in mismatch.fix


def test_no_reference_data_is_one_info_and_skips_eligibility() -> None:
    scenario = scenarios.off_label_rituximab()
    findings = check_claim(scenario.claim, today=scenario.today, facts=None)
    info = [f for f in findings if f.code == "REFERENCE_DATA_NOT_LOADED"]
    assert len(info) == 1 and info[0].severity is Severity.INFO
    assert "SPECIFIC_HCPCS_EXISTS" not in _codes(findings)


def test_ambiguous_ndc_names_the_candidates() -> None:
    finding = next(f for f in _run(_case(ndc="7217150501")) if f.code == "NDC_AMBIGUOUS")
    assert "07217150501" in finding.fix and "72171050501" in finding.fix


def test_invoice_ndc_compared_in_11_digit_form() -> None:
    assert "INVOICE_NDC_MISMATCH" not in _codes(_run(_case(invoice__ndc="72171050501")))


def test_medicare_deadline_is_12_months_not_90_days() -> None:
    """42 CFR 424.44 (CGS timely filing page): 12 months from the DOS, not the "90 days"
    rule of thumb that holds for many commercial contracts (domain.md section 9)."""
    assert "FILING_DEADLINE_PASSED" not in _codes(_run(_case(today=date(2019, 12, 1))))


def test_submitted_claims_skip_filing_rules() -> None:
    claim, _, facts = _case()
    claim = replace(claim, submitted_on=date(2019, 6, 5))
    findings = check_claim(claim, today=date(2021, 1, 1), facts=facts)
    assert not _codes(findings) & {"FILING_DEADLINE_PASSED", "CLINIC_SUBMIT_STANDARD_PASSED"}


def test_diagnosis_outside_code_set_dates_is_a_warning() -> None:
    """icd10.py ships the FY2026 April code set; for a 2019 DOS 'not found' is a warning."""
    finding = next(f for f in _run(CASES["DIAGNOSIS_UNKNOWN"]()) if f.code == "DIAGNOSIS_UNKNOWN")
    assert finding.severity is Severity.WARNING


def test_default_today_is_the_system_date() -> None:
    """A date of service tomorrow is in the future only if `today` really is the system date."""
    claim, _, facts = _case()
    tomorrow = date.today() + timedelta(days=1)
    claim = replace(claim, date_of_service=tomorrow)
    future = [f for f in check_claim(claim, facts=facts) if f.code == "ADMINISTRATION_IN_FUTURE"]
    assert [f.line for f in future] == [None]
    yesterday = replace(claim, date_of_service=date.today() - timedelta(days=1))
    assert not [
        f
        for f in check_claim(yesterday, facts=facts)
        if f.code == "ADMINISTRATION_IN_FUTURE" and f.line is None
    ]


BAD_INPUT: dict[str, tuple[dict[str, Any], str, str]] = {
    # what is typed -> (the line change, the finding, words naming the field)
    "unknown package unit": ({"package__unit": "tabs"}, "PACKAGE_UNIT_INVALID", "package's unit"),
    "no package unit": ({"package__unit": ""}, "PACKAGE_AMOUNT_MISSING", "package's drug amount"),
    "no package size": ({"package__amount": None}, "PACKAGE_AMOUNT_MISSING", "package's drug"),
    "zero package size": (
        {"package__amount": Decimal(0)},
        "PACKAGE_AMOUNT_MISSING",
        "package's drug amount",
    ),
    "unknown dose unit": ({"dose__unit": "tabs"}, "DOSE_UNIT_INVALID", "tabs"),
    "no dose unit": ({"dose__unit": ""}, "DOSE_UNIT_INVALID", "unit"),
    "dose unit of another kind": ({"dose__unit": "units"}, "DOSE_UNIT_INCOMPATIBLE", "units"),
    "dose not a number": ({"dose__amount": Decimal("NaN")}, "AMOUNT_UNREADABLE", "dose"),
    "waste infinite": ({"waste__amount": Decimal("Infinity")}, "AMOUNT_UNREADABLE", "wasted"),
    "price not a number": ({"invoice__price_paid": Decimal("NaN")}, "AMOUNT_UNREADABLE", "price"),
    "zero units": ({"billed_units": Decimal(0)}, "UNITS_NOT_POSITIVE", "units"),
    "no HCPCS code": ({"hcpcs_code": ""}, "HCPCS_CODE_INVALID", "HCPCS code"),
    "negative charge": ({"charge": Decimal(-1)}, "CHARGE_NOT_POSITIVE", "charge"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_input_the_rules_cannot_judge_gets_one_finding_naming_the_field(name: str) -> None:
    """Issue 14 "Bad input": never a crash or a silent pass; one clear finding for the line."""
    changes, code, words = BAD_INPUT[name]
    line_findings = [f for f in _run(_case(**changes)) if f.line == 0]
    assert [f.code for f in line_findings] == [code]
    (finding,) = line_findings
    assert finding.severity is Severity.BLOCKER or code == "PACKAGE_AMOUNT_MISSING"
    assert words.lower() in finding.message.lower(), finding.message
