"""Reading 835 files: the public X12 samples (tests/fixtures/x12, Apache-2.0) and files the
tests write; anything not a whole 005010X221A1 835 is refused as a whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from j3490_desk.domain.remittance import Adjustment, Outcome
from j3490_desk.services.remittance_file import RemittanceFileError, read_remittance
from tests.conftest import FIXTURES
from tests.reliability.fuzz_tally import TRIED
from tests.remittance.era import claim_payment, era, service_line

SAMPLES = FIXTURES / "x12"


def _read(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_managed_care_sample_is_read_with_claim_and_line_adjustments() -> None:
    remittance = read_remittance(_read("managed-care.835"), "managed-care.835")
    (payment,) = remittance.payments
    assert (payment.payer, payment.total, payment.trace_number) == (
        "RUSHMORE LIFE",
        Decimal("945.00"),
        "7170066655",
    )
    # BPR16 (20002316) is no date: pyx12 says so, and the production date (DTM*405) stands in
    assert payment.paid_on == date(2002, 3, 14)
    assert any("BPR16" in p.message for p in remittance.problems)
    first, second = payment.claims
    assert (first.claim_number, first.outcome, first.paid) == (
        "5554555444",
        Outcome.PAID,
        Decimal("450.00"),
    )
    assert first.payer_claim_number == "94060555410000"
    assert first.patient_responsibility == Decimal("300.00")
    assert first.adjustments == (Adjustment("CO", "A2", Decimal("50.00")),)
    (line,) = second.services
    assert (line.procedure, line.charged, line.paid, line.service_date) == (
        "93555",
        Decimal("1200.00"),
        Decimal("550.00"),
        date(2002, 3, 10),
    )
    assert [a.label for a in line.adjustments] == ["PR-1", "CO-45"]
    assert first.problems == second.problems == ()


def test_medicare_sample_keeps_its_moa_remark() -> None:
    remittance = read_remittance(_read("medicare-part-a.835"), "medicare-part-a.835")
    claims = remittance.payments[0].claims
    assert [c.claim_number for c in claims] == ["666123", "777777"]
    assert claims[1].remark_codes == ("MA02",)


def test_a_fault_inside_a_claim_loop_stays_with_that_claim() -> None:
    # this sample's 2110 lines sit where the map does not allow them: pyx12 says which
    remittance = read_remittance(_read("secondary-payment.835"), "secondary-payment.835")
    good, faulty = remittance.payments[0].claims
    assert good.problems == ()
    assert faulty.problems and all("line " in p.message for p in faulty.problems)
    assert not any(p in remittance.problems for p in faulty.problems)


def test_own_claim_file_reads_back_line_control_numbers_and_remarks() -> None:
    content = era(
        [
            claim_payment(
                7,
                "4",
                "100.00",
                "0.00",
                lines=[
                    service_line(
                        "J3490",
                        "100.00",
                        "0.00",
                        modifiers=("JZ",),
                        control=(7, 0),
                        adjustments=[("CO", "16", "100.00")],
                        remarks=["M119"],
                    )
                ],
            )
        ],
        total=Decimal("0.00"),
    )
    (claim,) = read_remittance(content, "era.835").payments[0].claims
    assert claim.outcome is Outcome.DENIED
    (line,) = claim.services
    assert (line.procedure, line.modifiers, line.control_number) == ("J3490", ("JZ",), "7-1")
    assert line.remark_codes == ("M119",)
    assert claim.all_adjustments == (Adjustment("CO", "16", Decimal("100.00")),)


def _one_claim() -> bytes:
    return era([claim_payment(7, "1", "100.00", "80.00", adjustments=[("CO", "45", "20.00")])])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (_one_claim()[: len(_one_claim()) // 2], "cut off"),
        (_one_claim().replace(b"SE*", b"SE*9"), "SE count"),
        (_one_claim().replace(b"GE*1*1", b"GE*2*1"), "GE"),
        (_one_claim().replace(b"005010X221A1", b"004010X091A1"), "004010X091A1"),
        (_one_claim().replace(b"GS*HP", b"GS*HC"), "not an 835"),
        (b"%PDF-1.7 not x12", "not an X12 file"),
        (b"\xff\xfe\x00", "not an X12 text file"),
    ],
    ids=["cut", "se-count", "ge-count", "4010", "837-group", "pdf", "binary"],
)
def test_damaged_or_foreign_files_are_refused_whole(content: bytes, words: str) -> None:
    with pytest.raises(RemittanceFileError) as refused:
        read_remittance(content, "era.835")
    assert words in refused.value.message
    assert refused.value.hint


def test_an_837_claim_file_is_not_an_835() -> None:
    claim_file = (
        _read("managed-care.835")
        .replace(b"GS*HP", b"GS*HC")
        .replace(b"005010X221A1", b"005010X222A1")
        .replace(b"ST*835", b"ST*837")
    )
    with pytest.raises(RemittanceFileError, match="not an 835"):
        read_remittance(claim_file, Path("claim.837").name)


_LINE = service_line(
    "J3490",
    "100.00",
    "0.00",
    control=(7, 0),
    adjustments=[("CO", "16", "100.00")],
    remarks=["M119"],
)
_WHOLE = era([claim_payment(7, "4", "100.00", "0.00", lines=[_LINE])])


@settings(max_examples=40, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(_WHOLE)),
    at=st.integers(min_value=0, max_value=len(_WHOLE) - 1),
    byte=st.binary(min_size=1, max_size=1),
)
@example(cut=0, at=162, byte=b"\x00")  # pyx12 raised IndexError on this one
def test_any_cut_or_changed_byte_reads_or_is_refused_never_a_traceback(
    cut: int, at: int, byte: bytes
) -> None:
    TRIED["835 reader"] += 2
    for content in (_WHOLE[:cut], _WHOLE[:at] + byte + _WHOLE[at + 1 :]):
        try:
            read_remittance(content, "era.835")
        except RemittanceFileError as refused:
            assert refused.message and refused.hint


def test_a_later_group_that_is_not_an_835_refuses_the_whole_file() -> None:
    first = _one_claim().split(b"IEA*")[0]
    second = _one_claim().split(b"~\n", 1)[1].replace(b"GS*HP", b"GS*HC")  # from GS on
    groups = (
        first.replace(b"GE*1*1~\n", b"GE*1*1~\n" + second.split(b"IEA*")[0]) + b"IEA*2*000000101~\n"
    )
    with pytest.raises(RemittanceFileError, match="not an 835"):
        read_remittance(groups, "era.835")
