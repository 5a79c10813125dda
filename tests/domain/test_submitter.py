"""The 837P submitter identifiers: taxonomy, X12 IDs, usage, phone (domain.submitter)."""

from __future__ import annotations

import pytest

from j3490_desk.domain import submitter


@pytest.mark.parametrize("text", ["207Q00000X", "261QM1300X", "", "  "])
def test_taxonomy_codes_that_pass(text: str) -> None:
    assert submitter.taxonomy_problem(text) is None


@pytest.mark.parametrize("text", ["207Q00000", "207Q00000Y", "207Q-0000X"])
def test_taxonomy_codes_that_fail(text: str) -> None:
    assert "taxonomy code" in (submitter.taxonomy_problem(text) or "")


def test_x12_ids_are_2_to_15_letters_or_digits() -> None:
    assert submitter.x12_id_problem("ZIRMED01") is None
    assert submitter.x12_id_problem("A") is not None
    assert submitter.x12_id_problem("A" * 16) is not None
    assert submitter.x12_id_problem("AB*CD") is not None  # would break the X12 separators


def test_usage_is_t_or_p_and_never_empty() -> None:
    assert submitter.usage_problem("t") is None and submitter.usage_problem("P") is None
    assert submitter.usage_problem("") is not None


def test_phone_needs_ten_digits() -> None:
    assert submitter.phone_problem("(218) 555-0142") is None
    assert "9 digits" in (submitter.phone_problem("218-555-014") or "")
