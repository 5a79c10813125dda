"""Modifier catalogue and conflicting combinations (domain.md section 5, vectors.json)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from j3490_desk.domain.claim import PayerKind
from j3490_desk.domain.modifiers import MODIFIERS, modifier_conflicts, modifier_info

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REQUIRED = {
    "JW",
    "JZ",
    "KD",
    "KX",
    "KP",
    "KQ",
    "KO",
    "U4",
    "UD",
    "25",
    "GA",
    "JA",
    "JB",
    "JG",
    "TB",
}


def _codes(modifiers: tuple[str, ...], **kwargs: object) -> set[str]:
    return {f.code for f in modifier_conflicts(modifiers, **kwargs)}  # type: ignore[arg-type]


def test_catalogue_covers_the_required_modifiers() -> None:
    assert set(MODIFIERS) >= REQUIRED
    for modifier in MODIFIERS.values():
        assert modifier.descriptor and modifier.purpose and modifier.when_it_fits
        assert modifier.source.startswith("domain.md")


def test_descriptors_match_the_official_hcpcs_file() -> None:
    """CMS HCPCS Level II file, October 2025 (slice in tests/fixtures)."""
    with (FIXTURES / "hcpcs_2025_oct_slice.csv").open(encoding="utf-8") as handle:
        official = {
            row["HCPC"].strip(): row["LONG DESCRIPTION"]
            for row in csv.DictReader(handle)
            if row["RECID"] == "7"
        }
    for code, descriptor in official.items():
        assert MODIFIERS[code].descriptor.lower() == descriptor.lower(), code


def test_descriptors_match_vectors_json() -> None:
    vectors = json.loads((FIXTURES / "modifier_vectors.json").read_text(encoding="utf-8"))[
        "modifiers"
    ]
    for code, vector in vectors.items():
        if code != "25":  # CPT text is paraphrased in both places
            assert MODIFIERS[code].descriptor.lower() == vector["official"].lower(), code


def test_jg_ends_in_2024_per_hcpcs_file() -> None:
    """HCPCS file Oct 2025: JG TERM DT 20241231; from 2025 every 340B entity uses TB."""
    assert MODIFIERS["JG"].valid_to == date(2024, 12, 31)
    assert "MODIFIER_TERMINATED" in _codes(("JG",), date_of_service=date(2025, 1, 1))
    assert "MODIFIER_TERMINATED" not in _codes(("JG",), date_of_service=date(2024, 12, 31))


@pytest.mark.parametrize(
    ("modifiers", "code"),
    [
        (("JW", "JZ"), "MODIFIER_JW_WITH_JZ"),
        (("jg", " tb "), "MODIFIER_JG_WITH_TB"),
        (("KP", "KQ"), "MODIFIER_KP_WITH_KQ"),
        (("KP",), "MODIFIER_UNIT_DOSE_ON_NOC"),
        (("25",), "MODIFIER_25_ON_DRUG_LINE"),
        (("KD",), "MODIFIER_KD_OFFICE"),
        (("XX",), "MODIFIER_UNKNOWN"),
        (("JZ", "JZ"), "MODIFIER_DUPLICATE"),
        (("KX",), "MODIFIER_NEEDS_DOCUMENT"),
    ],
)
def test_conflicts(modifiers: tuple[str, ...], code: str) -> None:
    assert code in _codes(modifiers)


def test_unit_dose_modifiers_only_flagged_on_noc_codes() -> None:
    assert "MODIFIER_UNIT_DOSE_ON_NOC" not in _codes(("KO",), hcpcs_code="J7613")


def test_state_defined_modifiers_only_flagged_on_medicare() -> None:
    assert "MODIFIER_STATE_DEFINED_ON_MEDICARE" in _codes(("UD",), payer_kind=PayerKind.MEDICARE)
    assert not _codes(("UD",), payer_kind=PayerKind.MEDICAID)


def test_clean_lines_have_no_findings() -> None:
    assert modifier_conflicts(["JW"]) == []
    assert modifier_conflicts(["JZ", "JB", "TB"], date_of_service=date(2025, 3, 1)) == []
    assert modifier_conflicts([" ", ""]) == []


def test_lookup_is_case_and_space_insensitive() -> None:
    info = modifier_info(" jz ")
    assert info is not None and info.descriptor.startswith("Zero drug amount")
    assert modifier_info("ZZ") is None


def test_findings_carry_the_line() -> None:
    assert {f.line for f in modifier_conflicts(["JW", "JZ"], line=2)} == {2}
