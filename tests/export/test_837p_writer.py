"""The 837P writer and its checks, without a database: the four examples pass pyx12, two match
their golden files, bad input is named by claim, line and element, and the file reads back."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from pathlib import Path

import pytest
import pyx12.x12file

from j3490_desk.domain import claim as domain
from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.narrative import cut_at_word
from j3490_desk.domain.ndc import parse_shaded_line_24a
from j3490_desk.export.x12.claim_837p import ClaimToSend, write_837p
from j3490_desk.export.x12.validation import validate_837p
from tests.domain import scenarios
from tests.export.x12_claims import ENVELOPE, SCENARIOS, SUBMITTER, to_send

GOLDEN = Path(__file__).parents[1] / "fixtures" / "x12"


def _text(*items: ClaimToSend) -> str:
    return write_837p(items, SUBMITTER, ENVELOPE).text


def _segments(text: str, tag: str) -> list[str]:
    return [line.rstrip("~") for line in text.splitlines() if line.startswith(f"{tag}*")]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_example_passes_pyx12_and_our_checks(name: str) -> None:
    assert validate_837p(_text(to_send(name))) == []


def test_all_four_in_one_interchange_pass() -> None:
    items = [to_send(name, claim_id) for claim_id, name in enumerate(sorted(SCENARIOS), 1)]
    text = _text(*items)
    assert validate_837p(text) == []
    assert [s.split("*")[1] for s in _segments(text, "CLM")] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("name", ["1-new-immunotherapy", "2-compound-three-drugs"])
def test_golden_file(name: str) -> None:
    """Control numbers and time are fixed by ENVELOPE; any other change shows as a diff."""
    expected = (GOLDEN / f"{name}.837").read_text(encoding="ascii")
    assert _text(to_send(name)) == expected


def test_round_trip_through_pyx12_gives_the_claims_ndcs_quantities_units_and_charges() -> None:
    items = [to_send(name, claim_id) for claim_id, name in enumerate(sorted(SCENARIOS), 1)]
    read: list[tuple[str, str, Decimal, str, Decimal]] = []
    line: dict[str, str] = {}
    for seg in pyx12.x12file.X12Reader(io.StringIO(_text(*items))):
        tag = seg.get_seg_id()
        if tag == "SV1":
            line = {"code": seg.get_value("SV101-2"), "charge": seg.get_value("SV102")}
        elif tag == "LIN":
            line["ndc"] = seg.get_value("LIN03")
        elif tag == "CTP":
            read.append(
                (
                    line["code"],
                    line["ndc"],
                    Decimal(seg.get_value("CTP04")),
                    seg.get_value("CTP05-1"),
                    Decimal(line["charge"]),
                )
            )
    expected = []
    for item in items:
        for billed in item.billed:
            ndc11, unit, quantity = parse_shaded_line_24a(billed.shaded_24a)
            assert billed.charge is not None
            expected.append((billed.hcpcs_code, ndc11, quantity, unit, billed.charge))
    assert read == expected
    assert len(read) == 1 + 6 + 1 + 2  # the compound's three drugs and two JW lines each


def test_a_compound_is_one_service_line_per_drug_and_waste_with_unique_line_numbers() -> None:
    text = _text(to_send("2-compound-three-drugs", 7))
    procedures = [s.split("*")[1] for s in _segments(text, "SV1")]
    assert [p.split(":")[2] for p in procedures] == ["", "JW", "", "JW", "", "JW"]
    # domain.line_control: the drug line's number, its JW line marked W (the 835 matches both)
    assert [s.split("*")[2] for s in _segments(text, "REF") if s.startswith("REF*6R")] == [
        "7-1",
        "7-1W",
        "7-2",
        "7-2W",
        "7-3",
        "7-3W",
    ]


def test_waste_goes_on_its_own_jw_line_with_the_wasted_quantity() -> None:
    text = _text(to_send("4-rare-biologic-infusion"))
    assert _segments(text, "CTP") == ["CTP****9*ML", "CTP****1*ML"]  # 45 mg given, 5 mg wasted
    assert _segments(text, "SV1")[1].startswith("SV1*HC:J3590:JW::::EMAPALUMAB")


def test_pwk_carries_report_type_transmission_and_the_control_number() -> None:
    text = _text(to_send("1-new-immunotherapy", 3))
    assert _segments(text, "PWK") == ["PWK*04*FX***AC*20260305-3-0123456789"]
    assert _segments(_text(to_send("2-compound-three-drugs")), "PWK") == []  # nothing sent


def test_nte_add_only_where_the_payer_profile_asks() -> None:
    assert _segments(_text(to_send("3-off-label-use")), "NTE")  # Palmetto: SV101-7 and NTE
    assert not _segments(_text(to_send("1-new-immunotherapy")), "NTE")  # WPS: not NTE


def test_a_100_character_narrative_is_shortened_to_80_with_a_warning() -> None:
    scenario = scenarios.off_label_rituximab()
    line = dataclasses.replace(
        scenario.claim.drug_lines[0],
        generic_name="rituximab-abbs biosimilar monoclonal antibody for infusion",
        brand_name="Truxima Single Dose Vial Presentation",
    )
    claim = dataclasses.replace(scenario.claim, drug_lines=(line,))
    billed = bill_lines(claim, facts=scenario.facts, evidence=scenario.evidence)
    written = write_837p((ClaimToSend(5, claim, billed),), SUBMITTER, ENVELOPE)
    description = _segments(written.text, "SV1")[0].split("*")[1].split(":")[6]
    assert len(description) <= 80 and description.endswith("NDC 50242005306")
    assert written.warnings == (
        f"Claim 5, line 1: the drug description was shortened to fit SV101-7's 80 characters: "
        f"'{description}'.",
    )
    assert validate_837p(written.text) == []


def test_a_cut_ends_at_a_word_boundary() -> None:
    text = "ALPHA BETA 25MG IV NDC 12345678901"
    assert cut_at_word(text, 17) == "ALPHA BETA 25MG"
    assert cut_at_word(text, 15) == "ALPHA BETA 25MG"
    assert cut_at_word(text, 80) == text


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("LIN**N4*61755000801~", "LIN**N4*6175500080~", "claim 1, line 1, LIN03: The NDC"),
        ("LIN**N4*61755000801~", "LIN**N4*61755-0008-01~", "claim 1, line 1, LIN03"),
        ("CTP****7*ML~", "CTP****0*ML~", "claim 1, line 1, CTP04: The NDC quantity '0'"),
        (":::::CEMIPLIMAB-RWLC (LIBTAYO) 350MG 50MG/ML IV*", "*", "line 1, SV101-7: J9999"),
        ("SE*29*0001~", "SE*30*0001~", "SE01: The SE01 says 30 segments; there are 29"),
        ("IEA*1*000004711~", "IEA*1*000004712~", "IEA02"),
    ],
)
def test_a_broken_file_is_refused_naming_claim_line_and_element(
    old: str, new: str, words: str
) -> None:
    text = _text(to_send("1-new-immunotherapy"))
    assert old in text
    problems = [str(p) for p in validate_837p(text.replace(old, new))]
    assert any(words in p for p in problems), problems


def test_a_dependent_patient_gets_the_patient_loop_and_passes() -> None:
    item = to_send("2-compound-three-drugs")
    details = dataclasses.replace(
        item.claim.patient_details,
        relationship=domain.Relationship.SPOUSE,
        subscriber_name="Brennan-Okafor, Ada",
    )
    claim = dataclasses.replace(
        item.claim,
        patient_details=details,
        frequency=domain.ClaimFrequency.REPLACEMENT,
        original_claim_number="2226010123456",
    )
    text = _text(dataclasses.replace(item, claim=claim))
    assert validate_837p(text) == []
    assert _segments(text, "PAT") == ["PAT*01"]
    assert "NM1*IL*1*BRENNAN-OKAFOR*ADA****MI*4TQ8YR2WJ51" in _segments(text, "NM1")
    assert "NM1*QC*1*BRENNAN-OKAFOR*WALTER" in _segments(text, "NM1")
    assert _segments(text, "CLM")[0].split("*")[5] == "11:B:7"
    assert "REF*F8*2226010123456" in _segments(text, "REF")


def test_novitas_gets_the_drug_in_a_2300_note_and_a_warning_when_it_cannot_fit() -> None:
    """Novitas's profile places the narrative in 2300 NTE too (payer-profiles.md section 1):
    one drug fits the 80-character note; three compounded drugs do not, and a note that left
    one out would misstate the claim, so none is sent and the clerk is told why."""
    three = to_send("2-compound-three-drugs")
    assert three.claim.payer.narrative_profile == "novitas"
    first = three.billed[0]
    one = dataclasses.replace(three, billed=(first,))
    written = write_837p((one,), SUBMITTER, ENVELOPE)
    notes = _segments(written.text, "NTE")
    assert notes == [f"NTE*ADD*{first.narrative}"]
    assert written.text.index("NTE*ADD") < written.text.index("HI*ABK")  # 2300 order: NTE, HI
    assert validate_837p(written.text) == []
    crowded = write_837p((three,), SUBMITTER, ENVELOPE)
    assert _segments(crowded.text, "NTE") == []
    assert any("2300 NTE" in warning and "PWK" in warning for warning in crowded.warnings)
    assert validate_837p(crowded.text) == []
