"""Looking NDCs up: FDA flags, the CMS codes for the date of service, DrugFacts, search,
staleness and the re-check after a new quarter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from j3490_desk.reference.errors import AmbiguousNdcError, InvalidNdcError, NdcNotFoundError
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.recheck import LineToRecheck
from j3490_desk.services.reference import ReferenceService
from tests.reference.conftest import CROSSWALK_2026Q1


def test_a_hyphenated_4_4_2_ndc_finds_its_package_and_product(
    loaded_service: ReferenceService,
) -> None:
    result = loaded_service.lookup("0002-1407-01")

    assert result.ndc11 == "00002140701"
    assert result.ndc_hyphenated == "00002-1407-01"
    assert result.package is not None and result.package.package_code == "0002-1407-01"
    assert result.proprietary_name == "Quinidine Gluconate"
    assert result.product is not None and result.product.application_number == "NDA007529"
    assert result.fda_approved is True
    assert result.oral is False
    assert result.active_on_date is None  # no date given


@pytest.mark.parametrize(
    ("ndc", "approved", "oral"),
    [
        ("0023-6002-01", True, True),  # Norco tablet, ANDA
        ("0052-0118-06", True, True),  # Saphris, sublingual
        ("0264-1290-55", False, False),  # dextrose, UNAPPROVED DRUG OTHER
        ("0164-2189-49", False, False),  # OTC monograph cream
        ("50242-060-01", True, False),  # Avastin, BLA
    ],
)
def test_approval_and_oral_flags(
    loaded_service: ReferenceService, ndc: str, approved: bool, oral: bool
) -> None:
    result = loaded_service.lookup(ndc)
    assert (result.fda_approved, result.oral) == (approved, oral)


def test_excluded_products_are_flagged(loaded_service: ReferenceService) -> None:
    flags = {ndc: loaded_service.lookup(ndc).excluded for ndc in ("0006-4045-00", "0002-1407-01")}
    assert flags == {"0006-4045-00": True, "0002-1407-01": False}


def test_marketing_end_date_decides_active_on_the_date_of_service(
    loaded_service: ReferenceService,
) -> None:
    ndc = "19515-900-11"  # package marketed until 2019-06-30
    assert loaded_service.lookup(ndc, date(2019, 6, 30)).active_on_date is True
    assert loaded_service.lookup(ndc, date(2019, 7, 1)).active_on_date is False
    assert loaded_service.lookup(ndc, date(2018, 1, 1)).active_on_date is False  # before start
    facts = loaded_service.drug_facts("19515090011", date(2019, 7, 1))
    assert facts.end_marketing_date == date(2019, 6, 30)


def test_a_bare_10_digit_ndc_is_resolved_through_the_directory(
    loaded_service: ReferenceService,
) -> None:
    assert loaded_service.lookup("0002140701").ndc11 == "00002140701"


def test_a_bare_10_digit_ndc_matching_two_packages_lists_both(
    loaded_service: ReferenceService,
) -> None:
    with pytest.raises(AmbiguousNdcError) as raised:
        loaded_service.lookup("2950090777")
    assert set(raised.value.matches) == {"29500-9077-07", "29500-0907-77"}
    assert "29500-9077-07" in raised.value.message and "29500-0907-77" in raised.value.message


def test_a_bare_10_digit_ndc_nobody_knows_is_not_found(loaded_service: ReferenceService) -> None:
    with pytest.raises(NdcNotFoundError, match="three readings"):
        loaded_service.lookup("1234567890")


def test_an_invalid_ndc_says_what_is_wrong(loaded_service: ReferenceService) -> None:
    with pytest.raises(InvalidNdcError, match="contains"):
        loaded_service.lookup("0002-14O7-01")


def test_crosswalk_codes_and_payment_limits_follow_the_date_of_service(
    loaded_service: ReferenceService,
) -> None:
    october = loaded_service.lookup("50242-0060-01", date(2025, 11, 15))
    january = loaded_service.lookup("50242-0060-01", date(2026, 2, 1))

    assert [m.code for m in october.hcpcs] == ["J9035"]
    (mapping,) = january.hcpcs
    assert mapping.billing_units_per_package == Decimal("10")
    assert october.hcpcs[0].payment_limit == Decimal("73.201")  # Oct 2025 ASP file
    assert mapping.payment_limit == Decimal("73.632")  # Jan 2026 payment limit file
    assert mapping.hcpcs_dosage == "10 MG"
    assert mapping.effective_from == date(2025, 10, 1)  # mapped in both loaded quarters
    assert mapping.effective_to is None


def test_a_code_new_this_quarter_applies_from_the_quarter_start(
    loaded_service: ReferenceService,
) -> None:
    ndc = "70069-0021-25"  # dexamethasone: in the Jan 2026 crosswalk only
    assert loaded_service.lookup(ndc, date(2025, 12, 31)).hcpcs == ()
    (mapping,) = loaded_service.lookup(ndc, date(2026, 1, 2)).hcpcs
    assert (mapping.code, mapping.effective_from) == ("J1100", date(2026, 1, 1))


def test_dates_outside_the_loaded_quarters_say_so(loaded_service: ReferenceService) -> None:
    before = loaded_service.lookup("50242-0060-01", date(2025, 6, 1))
    after = loaded_service.lookup("50242-0060-01", date(2026, 5, 1))

    assert before.hcpcs == ()
    assert any("No ASP NDC-HCPCS crosswalk loaded covers 2025-06-01" in n for n in before.notes)
    assert [m.code for m in after.hcpcs] == ["J9035"]
    assert any("newer CMS file may change" in note for note in after.notes)


def test_an_ndc_only_cms_knows_still_answers(loaded_service: ReferenceService) -> None:
    result = loaded_service.lookup("81298-8552-03", date(2025, 11, 1))

    assert not result.in_fda_directory and result.known
    assert result.fda_approved is None
    assert result.labeler == "Long Grove Pharmaceuticals, LLC"
    assert result.noc is not None
    assert result.noc.payment_limit == Decimal("2.462")
    assert result.noc.billing_units_per_package == Decimal("200")


def test_drug_facts_for_the_rules_engine(loaded_service: ReferenceService) -> None:
    facts = loaded_service.drug_facts("50242006001", date(2026, 2, 1))

    assert facts.found and facts.fda_approved and not facts.oral
    assert facts.proprietary_name == "Avastin"
    assert facts.nonproprietary_name == "bevacizumab"
    assert facts.marketing_category == "BLA"
    assert [m.code for m in facts.specific_hcpcs] == ["J9035"]


def test_drug_facts_for_an_unknown_ndc_say_not_found(loaded_service: ReferenceService) -> None:
    facts = loaded_service.drug_facts("12345678901", date(2026, 2, 1))
    assert (facts.ndc11, facts.found) == ("12345678901", False)


def test_lookups_see_a_new_import_at_once(service: ReferenceService) -> None:
    assert service.lookup("50242-0060-01", date(2026, 2, 1)).hcpcs == ()
    service.import_file([CROSSWALK_2026Q1])
    assert [m.code for m in service.lookup("50242-0060-01", date(2026, 2, 1)).hcpcs] == ["J9035"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("avast", "Avastin"), ("AVAST", "Avastin"), ("bevaci", "Avastin"), ("eyl", "EYLEA")],
)
def test_name_search_by_prefix_as_typed(
    loaded_service: ReferenceService, text: str, expected: str
) -> None:
    names = {match.proprietary_name for match in loaded_service.search(text)}
    assert names == {expected}


def test_name_search_is_limited(loaded_service: ReferenceService) -> None:
    assert len(loaded_service.search("a", limit=2)) == 2
    assert loaded_service.search("", limit=5) == []
    assert loaded_service.search("zzz") == []


def test_status_lists_what_is_loaded_and_what_is_old(loaded_service: ReferenceService) -> None:
    status = loaded_service.status(date(2026, 2, 10))
    by_kind = {item.kind: item for item in status.loaded}

    assert not by_kind[FileKind.ASP_CROSSWALK].stale  # 2026 Q1 covers Feb 2026
    assert by_kind[FileKind.ASP_CROSSWALK].period_text == "2026 Q1"
    assert by_kind[FileKind.HCPCS_CODES].stale  # October 2025 file, past its quarter
    assert by_kind[FileKind.FDA_NDC_DIRECTORY].stale  # 2019 snapshot
    assert (
        by_kind[FileKind.FDA_NDC_DIRECTORY].age_days == (date(2026, 2, 10) - date(2019, 4, 29)).days
    )
    warnings = "\n".join(status.warnings)
    assert "national-drug-code-directory" in warnings
    assert "quarterly-update" in warnings
    assert "quarters kept: 2025 Q4, 2026 Q1" in "\n".join(status.lines())


def test_status_of_an_empty_store_names_every_download_page(service: ReferenceService) -> None:
    status = service.status(date(2026, 2, 10))
    assert status.loaded == () and set(status.missing) == set(FileKind)
    assert "asp-pricing-files" in "\n".join(status.warnings)


def test_recheck_finds_lines_whose_ndc_now_has_its_own_code(
    loaded_service: ReferenceService,
) -> None:
    lines = [
        LineToRecheck(1, 0, "70069002125", date(2026, 1, 20)),  # J1100 from 2026 Q1
        LineToRecheck(2, 0, "70069002125", date(2025, 12, 20)),  # before the new quarter
        LineToRecheck(3, 1, "00002080001", date(2026, 2, 1)),  # no specific code
        LineToRecheck(4, 0, "99999999999", date(2026, 2, 1)),  # unknown NDC
    ]
    hits = loaded_service.lines_with_specific_code(lines, date(2026, 1, 1))

    assert [(hit.line.claim_id, hit.line.line_index) for hit in hits] == [(1, 0)]
    assert hits[0].mappings[0].code == "J1100"


def test_lookup_json_has_the_contract_keys(loaded_service: ReferenceService) -> None:
    data = loaded_service.lookup("50242-060-01", date(2026, 2, 1)).to_json()
    assert data["hcpcs"] == ["J9035"]
    assert data["billing_units_per_package"] == 10
    assert data["hcpcs_details"][0]["payment_limit"] == "73.632"


def test_service_works_on_a_fresh_folder(tmp_path: Path) -> None:
    service = ReferenceService.for_data_dir(tmp_path / "new")
    try:
        assert service.search("a") == []
    finally:
        service.close()
    assert (tmp_path / "new" / "reference.sqlite").exists()


def test_a_directory_ndc_no_cms_file_knows_has_no_codes_or_notes(
    loaded_service: ReferenceService,
) -> None:
    result = loaded_service.lookup("0002-1407-01", date(2026, 2, 1))
    assert (result.hcpcs, result.noc, result.notes) == ((), None, ())
    assert result.crosswalk_drug_name == "" and result.in_fda_directory
