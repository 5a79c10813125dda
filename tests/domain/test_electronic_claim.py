"""What an 837P needs beyond the paper check (domain.electronic_claim): warnings on the claim,
blockers only when an 837P is exported; a version-1 claim file reads, and its gaps are findings."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from j3490_desk.domain import claim as d
from j3490_desk.domain.electronic_claim import (
    Submitter,
    as_export_blockers,
    electronic_findings,
    street_line,
    submitter_problems,
)
from j3490_desk.domain.findings import Severity
from j3490_desk.paths import resources_dir
from j3490_desk.services import claim_json
from tests.domain import scenarios

V2_FIELDS = ("patient_details", "frequency", "original_claim_number", "documents_sent")
COMPLETE = Submitter(
    "Lakeside Infusion", "1234567893", "41-1234567", "207Q00000X", "1200 Harbor Rd, Duluth MN 55802", "Duluth",
    "MN", "55802-1234", "218-555-0142", "LAKESIDE01", "Maria Reyes", "CLEARHOUSE", "Clear House",
)  # fmt: skip


def _codes(claim: d.Claim) -> list[str]:
    return [f.code for f in electronic_findings(claim)]


def _version_1(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((resources_dir() / "examples" / name).read_text())
    for field in V2_FIELDS:
        del data[field]
    for field in ("payer_id", "pwk_report_type"):
        del data["payer"][field]
    return {**data, "format_version": 1}


def test_the_examples_need_nothing_more() -> None:
    for make in (scenarios.new_immunotherapy, scenarios.compound_trimix, scenarios.rare_biologic):
        assert _codes(make().claim) == []


def test_a_version_1_file_imports_and_its_gaps_are_warnings_that_their_fixes_clear() -> None:
    claim = claim_json.claim_from_json(_version_1("1-new-immunotherapy.json"))
    findings = electronic_findings(claim)
    assert {f.code: f.severity for f in findings} == {
        "X12_PATIENT_ADDRESS_MISSING": Severity.WARNING,
        "X12_PATIENT_SEX_MISSING": Severity.WARNING,
        "X12_RELATIONSHIP_MISSING": Severity.WARNING,
        "X12_PAYER_ID_MISSING": Severity.WARNING,
    }
    fixed = scenarios.new_immunotherapy().claim
    fixed = dataclasses.replace(fixed, documents_sent=d.DocumentsSent.NONE)
    assert (
        electronic_findings(
            dataclasses.replace(claim, patient_details=fixed.patient_details, payer=fixed.payer)
        )
        == []
    )


def test_export_turns_them_into_blockers() -> None:
    claim = dataclasses.replace(
        scenarios.compound_trimix().claim, patient_details=d.PatientDetails()
    )
    blockers = as_export_blockers(electronic_findings(claim))
    assert blockers and {f.severity for f in blockers} == {Severity.BLOCKER}


def test_a_replacement_needs_the_original_number_and_the_number_clears_it() -> None:
    claim = dataclasses.replace(
        scenarios.compound_trimix().claim, frequency=d.ClaimFrequency.REPLACEMENT
    )
    assert _codes(claim) == ["X12_ORIGINAL_CLAIM_NUMBER_MISSING"]
    assert _codes(dataclasses.replace(claim, original_claim_number="2226010123456")) == []


def test_a_dependant_needs_the_insured_name() -> None:
    claim = scenarios.compound_trimix().claim
    child = dataclasses.replace(
        claim.patient_details, relationship=d.Relationship.CHILD, subscriber_name=""
    )
    claim = dataclasses.replace(claim, patient_details=child)
    assert _codes(claim) == ["X12_SUBSCRIBER_NAME_MISSING"]
    named = dataclasses.replace(child, subscriber_name="Brennan-Okafor, Ada")
    assert _codes(dataclasses.replace(claim, patient_details=named)) == []


def test_an_invalid_payer_id_and_a_transmission_the_payer_refuses() -> None:
    claim = scenarios.new_immunotherapy().claim  # WPS: BM or FX only
    bad_id = dataclasses.replace(claim.payer, payer_id="05-202")
    assert _codes(dataclasses.replace(claim, payer=bad_id)) == ["X12_PAYER_ID_INVALID"]
    upload = dataclasses.replace(claim, documents_sent=d.DocumentsSent.UPLOAD)
    assert _codes(upload) == ["X12_PWK_TRANSMISSION_NOT_ACCEPTED"]
    assert _codes(dataclasses.replace(upload, documents_sent=d.DocumentsSent.MAIL)) == []


def test_submitter_problems_name_each_missing_key_and_the_9_digit_zip() -> None:
    assert submitter_problems(COMPLETE) == []
    problems = submitter_problems(dataclasses.replace(COMPLETE, npi="", zip="55802"))
    assert problems == [
        "the clinic's npi is missing (j3490-desk clinic set npi=...)",
        "the clinic's zip has 5 digits; the 837P's billing provider needs all 9 (ZIP+4, "
        "on the USPS ZIP code lookup)",
    ]
    assert any("tax_id" in p for p in submitter_problems(Submitter()))


def _break_zip(c: d.Claim) -> d.Claim:
    return dataclasses.replace(
        c, patient_details=dataclasses.replace(c.patient_details, zip="7820")
    )


def _no_birth_date(c: d.Claim) -> d.Claim:
    return dataclasses.replace(c, patient=dataclasses.replace(c.patient, date_of_birth=None))


def _no_member_id(c: d.Claim) -> d.Claim:
    return dataclasses.replace(c, patient=dataclasses.replace(c.patient, member_id=""))


def _no_charge(c: d.Claim) -> d.Claim:
    line = dataclasses.replace(c.drug_lines[0], charge=None)
    return dataclasses.replace(c, drug_lines=(line, *c.drug_lines[1:]))


@pytest.mark.parametrize(
    ("code", "broken"),
    [
        ("X12_PATIENT_ADDRESS_INVALID", _break_zip),
        ("X12_PATIENT_BIRTH_DATE_MISSING", _no_birth_date),
        ("X12_MEMBER_ID_MISSING", _no_member_id),
        ("X12_CHARGE_MISSING", _no_charge),
    ],
)
def test_each_gap_is_one_warning_and_the_entered_value_clears_it(
    code: str, broken: Callable[[d.Claim], d.Claim]
) -> None:
    complete = scenarios.compound_trimix().claim
    findings = electronic_findings(broken(complete))
    assert [(f.code, f.severity) for f in findings] == [(code, Severity.WARNING)]
    assert electronic_findings(complete) == []  # entering the value back clears it


@pytest.mark.parametrize(
    ("address", "street"),
    [
        ("1200 Harbor Rd, Suite 4, Duluth MN 55802", "1200 Harbor Rd, Suite 4"),
        ("1200 Harbor Rd, Duluth, MN 55802-1234", "1200 Harbor Rd"),
        ("1200 Harbor Rd", "1200 Harbor Rd"),  # a street line alone stays as it is
    ],
)
def test_the_837p_street_line_is_the_mailing_address_without_city_state_zip(
    address: str, street: str
) -> None:
    assert street_line(dataclasses.replace(COMPLETE, address=address)) == street
