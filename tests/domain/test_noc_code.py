"""Which code fits (domain.md sections 6 and 13)."""

from __future__ import annotations

from datetime import date

import pytest

from j3490_desk.domain.claim import (
    Dose,
    DrugFacts,
    DrugKind,
    DrugLine,
    FdaApproval,
    FdaStatus,
    HcpcsMapping,
    PlaceOfService,
)
from j3490_desk.domain.noc_code import code_findings, is_noc_code, suggest_code

OFFICE = PlaceOfService.OFFICE
DOS = date(2025, 6, 2)


def line(kind: DrugKind = DrugKind.DRUG, code: str = "J3490", route: str = "IV") -> DrugLine:
    return DrugLine(
        kind=kind, hcpcs_code=code, dose=Dose(route=route), fda=FdaApproval(FdaStatus.APPROVED)
    )


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (DrugKind.DRUG, "J3490"),
        (DrugKind.BIOLOGIC, "J3590"),
        (DrugKind.ANTINEOPLASTIC, "J9999"),
        (DrugKind.COMPOUNDED, "J7999"),
    ],
)
def test_office_noc_codes(kind: DrugKind, code: str) -> None:
    suggestion = suggest_code(line(kind), DOS, OFFICE)
    assert suggestion.code == code and not suggestion.specific
    assert suggestion.why and suggestion.source.startswith("domain.md")


def test_compounds_before_2016_were_j3490() -> None:
    """J7999 added 2016-01-01 (CMS HCPCS file); before, MACs said J3490 (Palmetto, AAO)."""
    assert suggest_code(line(DrugKind.COMPOUNDED), date(2015, 12, 31), OFFICE).code == "J3490"
    assert suggest_code(line(DrugKind.COMPOUNDED), date(2016, 1, 1), OFFICE).code == "J7999"


def test_compound_code_follows_the_profile_override() -> None:
    assert (
        suggest_code(line(DrugKind.COMPOUNDED), DOS, OFFICE, compound_code="J3490").code == "J3490"
    )


def test_oral_drugs_are_never_j3490() -> None:
    assert suggest_code(line(route="PO"), DOS, OFFICE).code == "J8499"
    assert suggest_code(line(DrugKind.ANTINEOPLASTIC, route="oral"), DOS, OFFICE).code == "J8999"
    facts = DrugFacts("00000000000", oral=True)
    findings = code_findings(line(), 0, DOS, OFFICE, facts)
    assert [f.code for f in findings] == ["ORAL_DRUG"] and "J8499" in findings[0].fix


def test_c9399_only_in_hospital_outpatient_or_asc() -> None:
    for pos in (
        PlaceOfService.ON_CAMPUS_OUTPATIENT_HOSPITAL,
        PlaceOfService.OFF_CAMPUS_OUTPATIENT_HOSPITAL,
        PlaceOfService.AMBULATORY_SURGICAL_CENTER,
    ):
        assert suggest_code(line(), DOS, pos).code == "C9399"
    findings = code_findings(line(code="C9399"), 0, DOS, OFFICE)
    assert [f.code for f in findings] == ["C9399_OUTSIDE_HOSPITAL"]


def test_specific_code_wins_from_its_quarter() -> None:
    facts = DrugFacts("61755000801", specific_hcpcs=(HcpcsMapping("J9119", date(2019, 10, 1)),))
    noc = line(DrugKind.ANTINEOPLASTIC, "J9999")
    assert code_findings(noc, 0, date(2019, 9, 30), OFFICE, facts) == []
    findings = code_findings(noc, 0, date(2019, 10, 1), OFFICE, facts)
    assert [f.code for f in findings] == ["SPECIFIC_HCPCS_EXISTS"] and "J9119" in findings[
        0
    ].message


def test_specific_mapping_respects_its_end_date() -> None:
    mapping = HcpcsMapping("J9999X", date(2020, 1, 1), effective_to=date(2020, 12, 31))
    facts = DrugFacts("1", specific_hcpcs=(mapping,))
    assert suggest_code(line(), date(2021, 1, 1), OFFICE, facts).code == "J3490"


def test_wrong_noc_code_is_a_blocker_with_the_right_one_named() -> None:
    findings = code_findings(line(DrugKind.BIOLOGIC, "J3490"), 3, DOS, OFFICE)
    assert [(f.code, f.line) for f in findings] == [("NOC_CODE_MISMATCH", 3)]
    assert "J3590" in findings[0].fix


def test_is_noc_code() -> None:
    assert is_noc_code(" j3490 ") and is_noc_code("C9399") and not is_noc_code("J9312")
