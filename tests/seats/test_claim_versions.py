"""Two clerks saving the same claim: the later save, made from the version before the other's,
is refused saying who changed it and when, and nothing of it is written."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from j3490_desk.domain import claim as d
from j3490_desk.models import AuditEntry, Claim, Payer
from j3490_desk.services import claim_status, claims, drafts, records
from j3490_desk.services.app_data import AppData
from j3490_desk.services.concurrency import ClaimChangedElsewhereError
from tests.sample_claims import sample_claim

Seats = tuple[AppData, AppData]


def _rationale(claim: d.Claim, text: str) -> d.Claim:
    necessity = dataclasses.replace(claim.medical_necessity, rationale=text)
    return dataclasses.replace(claim, medical_necessity=necessity)


def test_a_save_over_another_seats_newer_save_is_refused_with_who_and_when(
    two_seats: Seats,
) -> None:
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    opened = drafts.open_draft(mine, claim_id)  # my window opens the claim
    other = drafts.open_draft(theirs, claim_id)  # so does theirs
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    saved = drafts.save_draft(
        theirs, _rationale(other.claim, "theirs"), drafts.HEADER, version=other.version
    )
    assert saved.version == other.version + 1

    with pytest.raises(ClaimChangedElsewhereError) as refused:
        drafts.save_draft(
            mine, _rationale(opened.claim, "mine"), drafts.HEADER, version=opened.version
        )

    error = refused.value
    assert (error.claim_id, error.by) == (claim_id, "jchen")
    assert error.at is not None and error.at >= before
    assert error.message.startswith(
        f"Claim {claim_id} was changed by jchen at {error.at.astimezone():%H:%M} "
    )
    assert "your changes were not saved" in error.message
    stored, version = claims.get_claim_version(mine, claim_id)
    assert stored.medical_necessity.rationale == "theirs" and version == saved.version
    with mine.db.read() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.claim_id == claim_id))
        users = [entry.user for entry in entries]
    assert users == ["mreyes", "jchen"]  # the create and their save: nothing of mine


def test_each_save_names_its_clerk_and_a_save_from_the_new_version_goes_through(
    two_seats: Seats,
) -> None:
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    opened = drafts.open_draft(mine, claim_id)
    first = drafts.save_draft(
        mine, _rationale(opened.claim, "one"), drafts.HEADER, version=opened.version
    )
    second = drafts.save_draft(
        mine, _rationale(first.claim, "two"), drafts.HEADER, version=first.version
    )
    assert second.claim.medical_necessity.rationale == "two"
    reloaded = drafts.open_draft(theirs, claim_id)
    drafts.save_draft(
        theirs, _rationale(reloaded.claim, "three"), drafts.HEADER, version=reloaded.version
    )
    with theirs.db.read() as session:
        row = session.get(Claim, claim_id)
        assert row is not None and row.updated_by == "jchen"


def test_where_the_clerk_is_and_the_check_counts_do_not_count_as_a_change(
    two_seats: Seats,
) -> None:
    """The step a window is on and the readiness counts are no edit: another seat's window
    saving them does not make my save stale."""
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    opened = drafts.open_draft(mine, claim_id)
    drafts.set_resume_step(theirs, claim_id, drafts.REVIEW)
    claims.record_readiness(theirs, claim_id, [])
    saved = drafts.save_draft(
        mine, _rationale(opened.claim, "mine"), drafts.HEADER, version=opened.version
    )
    assert saved.claim.medical_necessity.rationale == "mine"


def test_a_payers_new_filing_limit_moves_deadlines_without_making_windows_stale(
    two_seats: Seats,
) -> None:
    mine, theirs = two_seats
    aetna = d.Payer(name="Aetna", kind=d.PayerKind.COMMERCIAL, timely_filing_days=90)
    claim_id = claims.create_claim(mine, sample_claim(payer=aetna))
    opened = drafts.open_draft(mine, claim_id)
    [payer] = records.list_records(theirs, Payer)
    before = claims.get_claim(theirs, claim_id)
    records.save_record(theirs, payer.model_copy(update={"timely_filing_days": 30}))
    with theirs.db.read() as session:
        row = session.get(Claim, claim_id)
        assert row is not None and row.filing_deadline is not None
        assert row.filing_deadline != records.queue_deadline(before.payer, before.date_of_service)
    claims.update_claim(mine, _rationale(opened.claim, "mine"), version=opened.version)


def test_a_status_move_by_another_seat_makes_an_open_window_stale(two_seats: Seats) -> None:
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    opened = drafts.open_draft(mine, claim_id)
    claim_status.archive(theirs, claim_id)
    with pytest.raises(ClaimChangedElsewhereError, match="changed by jchen"):
        claims.update_claim(mine, _rationale(opened.claim, "mine"), version=opened.version)


def test_mark_ready_from_a_stale_window_is_refused(two_seats: Seats) -> None:
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    opened = drafts.open_draft(mine, claim_id)
    other = drafts.open_draft(theirs, claim_id)
    claims.update_claim(theirs, _rationale(other.claim, "theirs"), version=other.version)
    with pytest.raises(ClaimChangedElsewhereError):
        claim_status.mark_ready(mine, claim_id, version=opened.version)
    assert claims.get_claim(mine, claim_id).status is d.ClaimStatus.DRAFT


def test_differences_name_each_field_with_both_values() -> None:
    claim = sample_claim()
    line = dataclasses.replace(claim.drug_lines[0], lot=d.Lot(number="L9", expiration=None))
    other = dataclasses.replace(
        _rationale(claim, "theirs"),
        patient=dataclasses.replace(claim.patient, member_id="XYZ"),
        drug_lines=(line,),
    )
    changes = claims.differences(claim, other)
    assert changes["necessity_rationale"] == (claim.medical_necessity.rationale, "theirs")
    assert changes["patient.member_id"] == (claim.patient.member_id, "XYZ")
    assert changes["drug_lines[0].lot_number"] == ("L2231A", "L9")
