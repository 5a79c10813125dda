"""CARC/RARC formats and the lifecycle's allowed moves (pure)."""

from __future__ import annotations

import pytest

from j3490_desk.domain.adjustment_codes import CodeType, code_problem, split_codes
from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.domain.claim_lifecycle import ALLOWED, transition_problem


@pytest.mark.parametrize("code", ["1", "4", "16", "197", "272", "A1", "B7", "P2", "W1", "Y3"])
def test_published_carc_formats_pass(code: str) -> None:
    assert code_problem(CodeType.CARC, code) is None


@pytest.mark.parametrize("code", ["0", "1234", "016", "AB1", "M119", "A", "CO-16", "16A"])
def test_malformed_carcs_are_named(code: str) -> None:
    assert code in (code_problem(CodeType.CARC, code) or "")


@pytest.mark.parametrize("code", ["M119", "M123", "MA130", "MA01", "N350", "N4"])
def test_published_rarc_formats_pass(code: str) -> None:
    assert code_problem(CodeType.RARC, code) is None


@pytest.mark.parametrize("code", ["16", "M", "MA1", "N", "X12", "N12345"])
def test_malformed_rarcs_are_named(code: str) -> None:
    assert code_problem(CodeType.RARC, code) is not None


def test_codes_split_on_commas_and_spaces_without_duplicates() -> None:
    assert split_codes(" 16, a1 16;N350 ") == ["16", "A1", "N350"]


def test_every_status_is_reachable_and_closed_is_final() -> None:
    reachable = {ClaimStatus.DRAFT} | set().union(*ALLOWED.values())
    assert reachable == set(ClaimStatus)
    assert (
        "nothing (it is closed)"
        in (transition_problem(ClaimStatus.CLOSED, ClaimStatus.PAID) or pytest.fail()).hint
    )
