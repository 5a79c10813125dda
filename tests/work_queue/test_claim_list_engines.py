"""The claim list answers the same rows on SQLite and on PostgreSQL (run with --engine both
ways): where the engines read the same SQL differently, the query says which way it means."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from j3490_desk.domain import claim as d
from j3490_desk.services import claims
from j3490_desk.services.app_data import AppData
from j3490_desk.services.claim_list import ClaimFilter, list_claims
from tests.sample_claims import sample_claim

TODAY = date(2026, 11, 27)


def _claim(data: AppData, name: str, **changes: object) -> int:
    return claims.create_claim(data, sample_claim(patient=d.Patient(name=name), **changes))


def _found(data: AppData, text: str) -> set[int]:
    return {row.id for row in list_claims(data, claim_filter=ClaimFilter(search=text))}


def test_search_ignores_the_case_of_a_to_z_only(app_data: AppData) -> None:
    zoe = _claim(app_data, "Ångström, Zoë")
    assert _found(app_data, "ZOË") == set()  # Ë is not ë, as SQLite's LIKE has it
    assert _found(app_data, "zoë") == {zoe}
    assert _found(app_data, "Ångström, ZOë") == {zoe}
    assert _found(app_data, "ångström") == set()


def test_a_backslash_in_the_search_is_an_ordinary_character(app_data: AppData) -> None:
    slash = _claim(app_data, "Roe\\Smith, Jane")
    _claim(app_data, "Roe Smith, Jane")
    assert _found(app_data, "roe\\s") == {slash}
    assert _found(app_data, "\\") == {slash}  # PostgreSQL refuses a pattern ending in its escape


def test_claims_without_the_sorted_value_come_first_ascending_last_descending(
    app_data: AppData,
) -> None:
    without = _claim(app_data, "Roe, Jane")
    approved = d.PriorAuthorization(d.PriorAuthStatus.APPROVED, "PA1", valid_to=TODAY)
    with_auth = _claim(app_data, "Doe, John", prior_auth=approved)

    def order(descending: bool) -> list[int]:
        chosen = ClaimFilter(sort="prior_auth_valid_to", descending=descending)
        return [row.id for row in list_claims(app_data, claim_filter=chosen)]

    assert order(descending=False) == [without, with_auth]
    assert order(descending=True) == [with_auth, without]


def test_billed_totals_sort_as_amounts_not_text(app_data: AppData) -> None:
    line = sample_claim().drug_lines[0]
    ids = [
        _claim(app_data, name, drug_lines=(dataclasses.replace(line, charge=Decimal(charge)),))
        for name, charge in (("A", "900.00"), ("B", "10000.00"), ("C", "95.50"))
    ]
    ascending = list_claims(
        app_data, claim_filter=ClaimFilter(sort="billed_total", descending=False)
    )
    assert [row.id for row in ascending] == [ids[2], ids[0], ids[1]]


def test_every_row_after_an_offset_when_no_page_size_is_given(app_data: AppData) -> None:
    ids = [_claim(app_data, name) for name in ("A", "B", "C")]
    everything = list_claims(app_data, claim_filter=ClaimFilter(sort="id", descending=False))
    assert [row.id for row in everything] == ids
    assert all(row.drugs == "Adstiladrin" for row in everything)
    rest = list_claims(app_data, claim_filter=ClaimFilter(sort="id", descending=False), offset=1)
    assert [row.id for row in rest] == ids[1:]


def test_a_number_longer_than_any_claim_id_is_searched_as_an_ndc_only(app_data: AppData) -> None:
    claim_id = _claim(app_data, "Roe, Jane")
    assert _found(app_data, "5556610500") == {claim_id}  # part of its NDC, dashes left out
    assert _found(app_data, "1234567890123456789012345") == set()  # once an OverflowError


def test_a_save_after_reading_the_list_is_still_one_unit_of_work(app_data: AppData) -> None:
    """The list reads in autocommit on the server; the pooled connection must not keep it, or a
    save that fails half-way would leave its first half written."""
    from j3490_desk.models import Patient

    list_claims(app_data, limit=10)
    with pytest.raises(RuntimeError), app_data.db.write() as session:
        session.add(Patient(name="Half, Saved", member_id="H1"))
        session.flush()
        raise RuntimeError("the save fails after its first statement")
    with app_data.db.read() as session:
        assert session.exec(select(Patient).where(Patient.name == "Half, Saved")).all() == []
