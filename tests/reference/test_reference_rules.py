"""Rules that read what the imported FDA/CMS files say (issue 14 and 19), with facts from the
real importer run on the fixture slices, never hand-built DrugFacts.

For each finding: its severity, and that applying the fix it names clears it without a new
blocker.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.check import check_claim
from j3490_desk.domain.claim import (
    Claim,
    ContainerType,
    DrugFacts,
    DrugKind,
    Package,
    PlaceOfService,
    Wac,
)
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.ndc_resolution import facts_key
from j3490_desk.domain.pricing import PricingError, price_claim
from j3490_desk.domain.waste import expected_waste_modifier
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.recheck import LineToRecheck
from j3490_desk.reference.schema import SCHEMA_VERSION
from j3490_desk.reference.store import ReferenceStore
from j3490_desk.services.reference import ReferenceService
from tests.domain import scenarios
from tests.reference.conftest import REFERENCE_FIXTURES

OPPS_SLICE = REFERENCE_FIXTURES / "opps_addendum_b_2025q4_slice.csv"
DOS_2025Q4 = date(2025, 11, 12)
DOS_2026Q1 = date(2026, 2, 11)


def _claim(
    ndc: str,
    code: str,
    dos: date,
    *,
    generic: str,
    package: Package,
    dose_mg: str,
    place: PlaceOfService = PlaceOfService.OFFICE,
    modifiers: tuple[str, ...] = ("JZ",),
) -> Claim:
    """The off-label example's claim, carrying another drug (fields as on its label)."""
    base = scenarios.off_label_rituximab().claim
    line = base.drug_lines[0]
    administered = datetime.combine(dos, datetime.min.time(), scenarios.CLINIC_TZ).replace(hour=9)
    line = replace(
        line,
        brand_name="",
        generic_name=generic,
        ndc=ndc,
        hcpcs_code=code,
        kind=DrugKind.DRUG,
        modifiers=modifiers,
        package=package,
        invoice=replace(line.invoice, ndc=ndc, date=dos, quantity=Decimal(10)),
        dose=replace(line.dose, amount=Decimal(dose_mg), administered_at=administered),
        fda=replace(line.fda, off_label=False),
        lot=replace(line.lot, expiration=date(2028, 1, 31)),
        administration=replace(
            line.administration,
            start=administered,
            end=administered.replace(hour=10),
        ),
    )
    return replace(base, date_of_service=dos, place_of_service=place, drug_lines=(line,))


ORENCIA_VIAL = Package(Decimal(250), "mg", Decimal(15), ContainerType.SINGLE_DOSE, "ML")
DEXAMETHASONE = Package(Decimal(10), "mg", Decimal(1), ContainerType.SINGLE_DOSE, "ML")


def _facts(service: ReferenceService, claim: Claim) -> dict[str, DrugFacts]:
    """What services.claim_check.drug_facts builds: facts keyed as the check reads them."""
    facts: dict[str, DrugFacts] = {}
    for line in claim.drug_lines:
        key = facts_key(line.ndc)
        if key is not None:
            facts[key] = service.drug_facts(key, claim.date_of_service)
    return facts


def _check(service: ReferenceService | None, claim: Claim) -> list[Finding]:
    facts = _facts(service, claim) if service is not None else None
    return check_claim(claim, today=claim.date_of_service, facts=facts)


def _only(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, [f.code for f in findings]
    return matching[0]


def _blockers(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.severity is Severity.BLOCKER}


def _assert_fix_clears(before: list[Finding], after: list[Finding], code: str) -> None:
    assert code not in {f.code for f in after}
    assert _blockers(after) <= _blockers(before) - {code}


@pytest.fixture
def with_opps(loaded_service: ReferenceService) -> ReferenceService:
    (outcome,) = loaded_service.import_files([OPPS_SLICE])
    assert outcome.error is None, outcome.error
    return loaded_service


# --- OPPS Addendum B: imported, and read by the JW/JZ rule -------------------------------


def test_addendum_b_is_imported_with_its_status_indicators(service: ReferenceService) -> None:
    (outcome,) = service.import_files([OPPS_SLICE])

    summary = outcome.summary
    assert summary is not None and summary.kind is FileKind.OPPS_ADDENDUM_B
    # The October 2025 file's title names only the year: "... by HCPCS Code for CY 2025".
    assert (summary.effective_from, summary.effective_to) == (date(2025, 1, 1), date(2025, 12, 31))
    assert "CY 2025" in summary.lines()[0]
    assert (summary.rows_read, summary.rows_kept) == (11, 11)
    statuses = service.drug_facts("00003218710", DOS_2025Q4).opps_status
    assert statuses is not None
    # J9999 and J7999 are packaged too, not only the J3490 and J3590 of the old hand list.
    assert {code: statuses[code] for code in ("J3490", "J3590", "J9999", "J7999")} == dict.fromkeys(
        ("J3490", "J3590", "J9999", "J7999"), "N"
    )
    assert statuses["J9035"] == "K" and statuses["C9399"] == "A"


@pytest.mark.parametrize("code", ["J9999", "J7999"])
def test_packaged_codes_in_a_hospital_take_neither_jw_nor_jz(
    with_opps: ReferenceService, code: str
) -> None:
    claim = _claim(
        "70069-021-25",
        code,
        DOS_2025Q4,
        generic="dexamethasone sodium phosphate",
        package=DEXAMETHASONE,
        dose_mg="10",
        place=PlaceOfService.OFF_CAMPUS_OUTPATIENT_HOSPITAL,
    )
    findings = _check(with_opps, claim)

    finding = _only(findings, "WASTE_MODIFIER_NOT_APPLICABLE")
    assert finding.severity is Severity.WARNING
    fixed = replace(claim, drug_lines=(replace(claim.drug_lines[0], modifiers=()),))
    after = _check(with_opps, fixed)
    _assert_fix_clears(findings, after, "WASTE_MODIFIER_NOT_APPLICABLE")
    assert not {"WASTE_JZ_MISSING", "OPPS_STATUS_UNKNOWN"} & {f.code for f in after}


def test_a_separately_paid_code_in_a_hospital_follows_the_waste_rule(
    with_opps: ReferenceService,
) -> None:
    """Avastin J9035 has status K (paid separately): JZ applies in the hospital as in the office."""
    claim = _claim(
        "50242-060-01",
        "J9035",
        DOS_2025Q4,
        generic="bevacizumab",
        package=Package(Decimal(100), "mg", Decimal(4), ContainerType.SINGLE_DOSE, "ML"),
        dose_mg="100",
        place=PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL,
    )
    facts = _facts(with_opps, claim)
    line = claim.drug_lines[0]
    expected = expected_waste_modifier(
        line,
        claim.date_of_service,
        claim.payer,
        place_of_service=claim.place_of_service,
        facts=facts["50242006001"],
    )
    assert expected == "JZ"
    codes = {f.code for f in check_claim(claim, today=claim.date_of_service, facts=facts)}
    assert not {"WASTE_MODIFIER_NOT_APPLICABLE", "OPPS_STATUS_UNKNOWN"} & codes


def test_without_addendum_b_a_hospital_line_is_a_warning_not_a_guess(
    loaded_service: ReferenceService,
) -> None:
    claim = _claim(
        "70069-021-25",
        "J9999",
        DOS_2025Q4,
        generic="dexamethasone sodium phosphate",
        package=DEXAMETHASONE,
        dose_mg="10",
        place=PlaceOfService.OFF_CAMPUS_OUTPATIENT_HOSPITAL,
    )
    findings = _check(loaded_service, claim)

    finding = _only(findings, "OPPS_STATUS_UNKNOWN")
    assert finding.severity is Severity.WARNING
    assert "no OPPS Addendum B" in finding.message and "Addendum B" in finding.fix
    assert "WASTE_MODIFIER_NOT_APPLICABLE" not in {f.code for f in findings}
    # The fix: import the Addendum B.
    (outcome,) = loaded_service.import_files([OPPS_SLICE])
    assert outcome.error is None
    _assert_fix_clears(findings, _check(loaded_service, claim), "OPPS_STATUS_UNKNOWN")


def test_a_version_1_database_gets_the_opps_table_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "reference.sqlite"
    ReferenceStore.open(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE opps_status")
        connection.execute("PRAGMA user_version = 1")
    store = ReferenceStore.open(path)
    try:
        version = store.connection.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION == 2
        assert store.connection.execute("SELECT count(*) FROM opps_status").fetchone() == (0,)
    finally:
        store.close()


# --- A 10-digit NDC typed without hyphens --------------------------------------------------


def _orencia(ndc: str, code: str = "J0129") -> Claim:
    return _claim(ndc, code, DOS_2026Q1, generic="abatacept", package=ORENCIA_VIAL, dose_mg="750")


def test_a_bare_10_digit_ndc_the_directory_lists_once_is_used_and_said(
    loaded_service: ReferenceService,
) -> None:
    claim = _orencia("0003218710")
    findings = _check(loaded_service, claim)

    finding = _only(findings, "NDC_READ_FROM_DIRECTORY")
    assert finding.severity is Severity.WARNING
    assert "00003-2187-10" in finding.message and "00003218710" in finding.message
    assert "NDC_AMBIGUOUS" not in {f.code for f in findings}
    # The claim carries the 11-digit form it names: 24A and the narrative (Palmetto wants it).
    (billed,) = bill_lines(claim, facts=_facts(loaded_service, claim))
    assert billed.ndc11 == "00003218710" and billed.shaded_24a.startswith("N400003218710")
    as_noc = _orencia("0003218710", code="J3490")
    (billed,) = bill_lines(as_noc, facts=_facts(loaded_service, as_noc))
    assert "NDC 00003218710" in billed.narrative
    # The fix: type the NDC as the directory reads it.
    fixed = replace(claim, drug_lines=(replace(claim.drug_lines[0], ndc="00003-2187-10"),))
    _assert_fix_clears(findings, _check(loaded_service, fixed), "NDC_READ_FROM_DIRECTORY")


def test_a_bare_10_digit_ndc_listed_under_two_readings_is_asked_not_guessed(
    loaded_service: ReferenceService,
) -> None:
    """29500-9077-07 and 29500-0907-77 are both FDA packages: 2950090777 could be either."""
    findings = _check(loaded_service, _orencia("2950090777", code="J3490"))

    finding = _only(findings, "NDC_AMBIGUOUS")
    assert finding.severity is Severity.BLOCKER
    assert "lists 2 of them (29500-0907-77, 29500-9077-07)" in finding.message


@pytest.mark.parametrize(
    ("with_data", "said"),
    [(True, "None of them is in the loaded"), (False, "No FDA NDC Directory is loaded")],
)
def test_a_bare_10_digit_ndc_with_no_listed_reading_or_no_data_is_asked(
    loaded_service: ReferenceService, with_data: bool, said: str
) -> None:
    claim = _orencia("1234567890", code="J3490")
    findings = _check(loaded_service if with_data else None, claim)

    finding = _only(findings, "NDC_AMBIGUOUS")
    assert finding.severity is Severity.BLOCKER and said in finding.message
    fixed = replace(claim, drug_lines=(replace(claim.drug_lines[0], ndc="0003-2187-10"),))
    assert "NDC_AMBIGUOUS" not in {f.code for f in _check(loaded_service, fixed)}


# --- The crosswalk matched by product, and HCPCS descriptors by name ------------------------


def test_j3490_for_a_product_whose_other_package_has_a_code_is_a_blocker(
    loaded_service: ReferenceService,
) -> None:
    """Orencia 0003-2187-10 is not in the crosswalk; 0003-2187-13 (same product) is J0129."""
    claim = _orencia("0003-2187-10", code="J3490")
    facts = _facts(loaded_service, claim)["00003218710"]
    assert facts.specific_hcpcs == () and [m.code for m in facts.product_hcpcs] == ["J0129"]
    findings = _check(loaded_service, claim)

    finding = _only(findings, "SPECIFIC_HCPCS_EXISTS")
    assert finding.severity is Severity.BLOCKER and "J0129" in finding.message
    assert "HCPCS_DESCRIPTOR_NAMES_DRUG" not in {f.code for f in findings}
    # Billed as J3490 it is denied, so it has no price; as J0129 the ASP limit prices it.
    (unpriced,) = price_claim(claim, facts=_facts(loaded_service, claim))
    assert isinstance(unpriced, PricingError) and "own code, J0129" in str(unpriced)
    fixed = replace(claim, drug_lines=(replace(claim.drug_lines[0], hcpcs_code="J0129"),))
    _assert_fix_clears(findings, _check(loaded_service, fixed), "SPECIFIC_HCPCS_EXISTS")
    (priced,) = price_claim(fixed, facts=_facts(loaded_service, fixed))
    assert not isinstance(priced, PricingError), priced
    assert priced.total == Decimal("3357.68")  # 750 mg = 75 units of 10 mg x $44.769


def test_a_hcpcs_descriptor_naming_the_drug_is_a_warning(
    loaded_service: ReferenceService,
) -> None:
    """Dexamethasone 70069-021 joins the crosswalk (J1100) only in 2026 Q1; in 2025 Q4 the
    HCPCS descriptor 'Injection, dexamethasone sodium phosphate, 1 mg' still names it."""
    claim = _claim(
        "70069-021-25",
        "J3490",
        DOS_2025Q4,
        generic="dexamethasone sodium phosphate",
        package=DEXAMETHASONE,
        dose_mg="10",
    )
    findings = _check(loaded_service, claim)

    finding = _only(findings, "HCPCS_DESCRIPTOR_NAMES_DRUG")
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("J1100 describes dexamethasone sodium phosphate; check")
    assert "SPECIFIC_HCPCS_EXISTS" not in {f.code for f in findings}
    fixed = replace(claim, drug_lines=(replace(claim.drug_lines[0], hcpcs_code="J1100"),))
    _assert_fix_clears(findings, _check(loaded_service, fixed), "HCPCS_DESCRIPTOR_NAMES_DRUG")


def test_a_compound_keeps_its_code_whatever_its_ingredients_descriptors_say(
    loaded_service: ReferenceService,
) -> None:
    claim = _claim(
        "70069-021-25",
        "J7999",
        DOS_2025Q4,
        generic="dexamethasone sodium phosphate",
        package=DEXAMETHASONE,
        dose_mg="10",
    )
    claim = replace(claim, drug_lines=(replace(claim.drug_lines[0], kind=DrugKind.COMPOUNDED),))
    assert "HCPCS_DESCRIPTOR_NAMES_DRUG" not in {f.code for f in _check(loaded_service, claim)}


def test_descriptor_names_match_whole_words_only(loaded_service: ReferenceService) -> None:
    directory = loaded_service.directory
    snapshot = directory._cms_now()
    assert [d.code for d in snapshot.descriptors_naming("abatacept", DOS_2026Q1)] == ["J0129"]
    assert snapshot.descriptors_naming("abata", DOS_2026Q1) == ()
    assert snapshot.descriptors_naming("mg", DOS_2026Q1) == ()


# --- NOC pricing: the NOC pricing file reaches the pricing rule ------------------------------


def test_a_noc_drug_is_priced_from_the_noc_pricing_file(loaded_service: ReferenceService) -> None:
    """Vasopressin (Long Grove) 81298-8552-03: in the NOC crosswalk, $2.462 per 1 UNIT in the
    NOC pricing file (October 2025). Medicare's order: no ASP code, so the NOC file."""
    claim = _claim(
        "81298-8552-03",
        "J3490",
        DOS_2025Q4,
        generic="vasopressin",
        package=Package(Decimal(20), "units", Decimal(1), ContainerType.MULTI_DOSE, "ML"),
        dose_mg="20",
        modifiers=(),
    )
    claim = replace(
        claim,
        drug_lines=(
            replace(claim.drug_lines[0], dose=replace(claim.drug_lines[0].dose, unit="units")),
        ),
    )
    facts = _facts(loaded_service, claim)
    noc = facts["81298855203"].noc_pricing
    assert noc is not None and noc.payment_limit == Decimal("2.462") and noc.dosage == "1 UNIT"
    (result,) = price_claim(claim, facts=facts)

    assert not isinstance(result, PricingError), result
    assert result.total == Decimal("49.24")  # 20 units x $2.462
    assert "CMS NOC pricing file, 2025 Q4" in result.parts[0].label
    assert "PRICING_INCOMPLETE" not in {f.code for f in _check(loaded_service, claim)}


def test_the_new_quarter_recheck_finds_a_line_whose_product_has_a_code(
    loaded_service: ReferenceService,
) -> None:
    line = LineToRecheck(7, 0, "00003218710", DOS_2026Q1)  # Orencia vial not in the crosswalk
    (hit,) = loaded_service.lines_with_specific_code([line], date(2026, 1, 1))
    assert [mapping.code for mapping in hit.mappings] == ["J0129"]


def test_ndc_lookup_names_the_products_code_for_a_package_the_crosswalk_lacks(
    loaded_service: ReferenceService,
) -> None:
    data = loaded_service.lookup("0003-2187-10", DOS_2026Q1).to_json()
    assert data["hcpcs"] == []  # the contract key stays this package's own codes
    assert [item["code"] for item in data["product_hcpcs"]] == ["J0129"]
    assert any("another package of the same product is: J0129" in n for n in data["notes"])


def test_a_line_with_no_price_is_priced_once_the_clerk_enters_the_wac_and_its_source(
    loaded_service: ReferenceService,
) -> None:
    """No ASP code and not in the NOC file on the date, and no invoice price: nothing prices
    it until the WAC is entered (Palmetto: WAC + 6%)."""
    claim = _claim(
        "70069-021-25",
        "J3490",
        DOS_2025Q4,
        generic="dexamethasone sodium phosphate",
        package=DEXAMETHASONE,
        dose_mg="10",
    )
    line = replace(
        claim.drug_lines[0], invoice=replace(claim.drug_lines[0].invoice, price_paid=None)
    )
    claim = replace(claim, drug_lines=(line,))
    findings = _check(loaded_service, claim)
    finding = _only(findings, "PRICING_INCOMPLETE")
    assert finding.severity is Severity.WARNING and "no WAC is entered" in finding.message

    priced_line = replace(line, wac=Wac(Decimal("2.50"), "Red Book, October 2025"))
    fixed = replace(claim, drug_lines=(priced_line,))
    _assert_fix_clears(findings, _check(loaded_service, fixed), "PRICING_INCOMPLETE")
    (priced,) = price_claim(fixed, facts=_facts(loaded_service, fixed))
    assert not isinstance(priced, PricingError)
    assert priced.total == Decimal("2.65")  # one 10 mg vial at $2.50, plus Palmetto's 6%
