"""Posting 835 files written for the app's own claims: paid, partly paid, denied with CO-16/M119,
reversed, imported twice, unmatched, draft, unbalanced and damaged."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.models import AuditEntry, Claim, ClaimEvent
from j3490_desk.models.remittance import (
    RemittanceAdjustment,
    RemittanceFile,
    RemittanceLine,
    RemittancePosting,
)
from j3490_desk.services import claim_history, claim_status, claims, remittance
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import content_store
from j3490_desk.services.remittance import import_remittance, preview_remittance
from j3490_desk.services.remittance_file import RemittanceFileError
from j3490_desk.storage import audit
from tests.attachments import stored
from tests.remittance.era import claim_payment, era, service_line
from tests.sample_claims import sample_claim
from tests.work_queue.helpers import claim_in

SENT = date(2026, 11, 5)
CHARGE = "60100.00"  # the sample claim's one drug line: J3590 JZ


def _submitted(data: AppData, **changes: object) -> int:
    return claim_in(data, "submitted", submitted_on=SENT, **changes)


def _file(tmp_path: Path, content: bytes, name: str = "era.835") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _paid(claim_id: int, paid: str = CHARGE, **extra: object) -> list[str]:
    rest = Decimal(CHARGE) - Decimal(paid)
    adjustments = [("CO", "45", f"{rest:.2f}")] if rest else []
    line = service_line(
        "J3590", CHARGE, paid, modifiers=("JZ",), control=(claim_id, 0), adjustments=adjustments
    )
    return claim_payment(claim_id, "1", CHARGE, paid, lines=[line], **extra)  # type: ignore[arg-type]


def _events(data: AppData, claim_id: int) -> list[ClaimEvent]:
    with data.db.read() as session:
        return list(
            session.exec(
                select(ClaimEvent)
                .where(ClaimEvent.claim_id == claim_id)
                .order_by(col(ClaimEvent.id))
            ).all()
        )


def _postings(data: AppData, claim_id: int) -> list[RemittancePosting]:
    with data.db.read() as session:
        return list(
            session.exec(
                select(RemittancePosting)
                .where(RemittancePosting.claim_id == claim_id)
                .order_by(col(RemittancePosting.id))
            ).all()
        )


def test_paid_in_full_posts_amounts_check_and_payer_claim_number(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    result = import_remittance(
        app_data, _file(tmp_path, era([_paid(claim_id)], trace="EFT778", total=Decimal(CHARGE)))
    )
    assert result.to_json() == {
        "posted": [claim_id],
        "already_posted": [],
        "unmatched": [],
        "reversed": [],
        "problems": [],
    }
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.PAID
    (event,) = _events(app_data, claim_id)
    assert (event.from_status, event.to_status, event.amount) == (
        "submitted",
        "paid",
        Decimal(CHARGE),
    )
    assert (event.event_date, event.reference_number) == (date(2026, 12, 1), "EFT778")
    assert "Paid in full" in event.note
    (posting,) = _postings(app_data, claim_id)
    assert (posting.trace_number, posting.paid_on, posting.payer_claim_number) == (
        "EFT778",
        date(2026, 12, 1),
        "26335000123",
    )
    assert posting.event_id == event.id
    with app_data.db.read() as session:
        (line,) = session.exec(select(RemittanceLine)).all()
    drug_line = claims.get_claim(app_data, claim_id).drug_lines[0]
    assert (line.drug_line_id, line.control_number) == (drug_line.id, f"{claim_id}-1")
    history = claim_history.claim_history(app_data, claim_id)
    assert history[0].what == "Status changed"
    assert {c.field for c in history[0].changes} >= {"status", "amount", "note"}


def test_partly_paid_keeps_every_adjustment_with_its_group_and_reason(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    payment = _paid(claim_id, "48080.00", patient="12020.00")
    # the patient's share is PR-2 (coinsurance) on the line, instead of a contractual CO-45
    payment = [s.replace("CAS*CO*45*", "CAS*PR*2*") for s in payment]
    result = import_remittance(app_data, _file(tmp_path, era([payment])))
    assert result.posted == [claim_id]
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.PAID
    (event,) = _events(app_data, claim_id)
    assert event.amount == Decimal("48080.00") and event.carc_codes == "2"
    assert "Partly paid, the rest adjusted" in event.note and "PR-2 12020.00" in event.note
    (posting,) = _postings(app_data, claim_id)
    assert posting.patient_responsibility == Decimal("12020.00")
    with app_data.db.read() as session:
        (adjustment,) = session.exec(select(RemittanceAdjustment)).all()
    assert (adjustment.group_code, adjustment.reason_code, adjustment.amount) == (
        "PR",
        "2",
        Decimal("12020.00"),
    )
    assert adjustment.line_id is not None


def test_denied_with_co16_and_m119_posts_the_codes_to_the_claim_and_its_line(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    line = service_line(
        "J3590",
        CHARGE,
        "0.00",
        modifiers=("JZ",),
        control=(claim_id, 0),
        adjustments=[("CO", "16", CHARGE)],
        remarks=["M119"],
    )
    denial = claim_payment(claim_id, "4", CHARGE, "0.00", lines=[line])
    result = import_remittance(app_data, _file(tmp_path, era([denial])))
    assert result.posted == [claim_id]
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.DENIED
    (event,) = claim_status.claim_events(app_data, claim_id)
    assert (event.to_status, event.carc_codes, event.rarc_codes) == ("denied", ("16",), ("M119",))
    with app_data.db.read() as session:
        (posted_line,) = session.exec(select(RemittanceLine)).all()
    assert posted_line.remark_codes == "M119"


def test_reversal_undoes_the_payment_keeps_it_and_a_corrected_payment_follows(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    import_remittance(app_data, _file(tmp_path, era([_paid(claim_id, "50000.00")]), "first.835"))
    reversal = claim_payment(
        claim_id,
        "22",
        f"-{CHARGE}",
        "-50000.00",
        adjustments=[("CO", "45", "-10100.00")],
    )
    corrected = _paid(claim_id, "55000.00")
    later = era([reversal, corrected], trace="EFT900", control="000000102")
    result = import_remittance(app_data, _file(tmp_path, later, "later.835"))
    assert (result.reversed, result.posted, result.problems) == ([claim_id], [claim_id], [])
    events = _events(app_data, claim_id)
    assert [(e.from_status, e.to_status) for e in events] == [
        ("submitted", "paid"),
        ("paid", "submitted"),
        ("submitted", "paid"),
    ]
    assert "reverses its paid posting of 50000.00" in events[1].note
    assert events[1].amount == Decimal("-50000.00")
    first, undo, second = _postings(app_data, claim_id)  # all three kept, in order
    assert undo.reverses_id == first.id and second.reverses_id is None
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.PAID


def test_a_reversal_of_nothing_posted_is_a_problem(app_data: AppData, tmp_path: Path) -> None:
    claim_id = _submitted(app_data)
    reversal = claim_payment(claim_id, "22", f"-{CHARGE}", f"-{CHARGE}")
    result = import_remittance(app_data, _file(tmp_path, era([reversal])))
    assert result.reversed == [] and "never posted" in result.problems[0].message
    assert _events(app_data, claim_id) == []


def test_the_same_file_twice_posts_nothing_the_second_time(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    path = _file(tmp_path, era([_paid(claim_id)]))
    first = import_remittance(app_data, path)
    again = import_remittance(app_data, path)
    assert (first.posted, again.posted, again.already_posted) == ([claim_id], [], [claim_id])
    assert len(_events(app_data, claim_id)) == 1 and len(_postings(app_data, claim_id)) == 1
    # the same payment in a file the clearinghouse re-sent (new envelope) is no new payment
    resent = import_remittance(
        app_data, _file(tmp_path, era([_paid(claim_id)], control="000000555"), "resent.835")
    )
    assert resent.already_posted == [claim_id] and len(_postings(app_data, claim_id)) == 1


def test_the_file_is_kept_in_the_attachment_store_by_sha256(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    content = era([_paid(claim_id)])
    result = import_remittance(app_data, _file(tmp_path, content))
    digest = hashlib.sha256(content).hexdigest()
    assert result.sha256 == digest
    store = content_store(app_data)
    assert store.read_bytes(digest) == content
    with app_data.db.read() as session:
        (row,) = session.exec(select(RemittanceFile)).all()
    assert (row.sha256, row.original_name, row.size_bytes) == (digest, "era.835", len(content))


def test_unmatched_claim_numbers_are_listed_never_guessed(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    assert claim_id < 99999
    others = [
        claim_payment("99999", "1", "10.00", "10.00"),
        claim_payment(f"000{claim_id}", "1", "10.00", "10.00", payer_number="X2"),
    ]
    result = import_remittance(app_data, _file(tmp_path, era(others)))
    assert result.unmatched == ["99999", f"000{claim_id}"]
    assert result.posted == [] and _events(app_data, claim_id) == []


def test_a_claim_still_in_draft_is_listed_and_not_posted(app_data: AppData, tmp_path: Path) -> None:
    claim_id = claims.create_claim(app_data, sample_claim())
    result = import_remittance(app_data, _file(tmp_path, era([_paid(claim_id)])))
    assert result.posted == []
    (problem,) = result.problems
    assert problem.segment.startswith(f"CLP*{claim_id}*1*") and "still a draft" in problem.message
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.DRAFT


def test_amounts_that_do_not_add_up_are_a_problem_and_that_claim_is_not_posted(
    app_data: AppData, tmp_path: Path
) -> None:
    good, bad = _submitted(app_data), _submitted(app_data)
    unbalanced = [s.replace("CAS*CO*45*100.00", "CAS*CO*45*90.00") for s in _paid(bad, "60000.00")]
    result = import_remittance(app_data, _file(tmp_path, era([_paid(good), unbalanced])))
    assert result.posted == [good]
    (problem,) = result.problems
    assert (
        problem.segment.startswith(f"CLP*{bad}*") and "not the payment 60000.00" in problem.message
    )
    assert _events(app_data, bad) == []


def test_a_damaged_file_posts_nothing(app_data: AppData, tmp_path: Path) -> None:
    claim_id = _submitted(app_data)
    content = era([_paid(claim_id)])
    with pytest.raises(RemittanceFileError):
        import_remittance(app_data, _file(tmp_path, content[: len(content) - 30]))
    with pytest.raises(RemittanceFileError):
        import_remittance(app_data, _file(tmp_path, content.replace(b"SE*", b"SE*1"), "count.835"))
    assert _events(app_data, claim_id) == []
    with app_data.db.read() as session:
        assert session.exec(select(RemittanceFile)).all() == []


def test_preview_says_what_import_does_and_stores_nothing(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    path = _file(
        tmp_path, era([_paid(claim_id, "50000.00"), claim_payment("424242", "1", "1.00", "1.00")])
    )
    preview = preview_remittance(app_data, path)
    assert (preview.posted, preview.unmatched) == ([claim_id], ["424242"])
    assert preview.claims[0].outcome == "Partly paid, the rest adjusted"
    assert preview.claims[0].codes == ("CO-45 10100.00",)
    assert _events(app_data, claim_id) == []
    with app_data.db.read() as session:
        assert session.exec(select(RemittanceFile)).all() == []
    assert stored.stored_names(app_data) == []
    assert import_remittance(app_data, path).to_json() == preview.to_json()


def test_lines_without_a_control_number_match_by_code_modifiers_and_date(
    app_data: AppData, tmp_path: Path
) -> None:
    base = sample_claim()
    second = dataclasses.replace(base.drug_lines[0], hcpcs_code="J3490", modifiers=("JW",))
    claim_id = _submitted(app_data, drug_lines=(base.drug_lines[0], second))
    lines = [
        service_line("J3490", "100.00", "100.00", modifiers=("JW",)),
        service_line("96413", "200.00", "200.00"),  # the administration: no drug line
        service_line("J3490", "5.00", "5.00", modifiers=("JW",), served=date(2026, 11, 3)),
    ]
    payment = claim_payment(claim_id, "1", "305.00", "305.00", lines=lines)
    result = import_remittance(app_data, _file(tmp_path, era([payment])))
    assert result.posted == [claim_id] and result.problems == []
    ours = claims.get_claim(app_data, claim_id).drug_lines
    with app_data.db.read() as session:
        matched = [
            row.drug_line_id
            for row in session.exec(select(RemittanceLine).order_by(col(RemittanceLine.id)))
        ]
    assert matched == [ours[1].id, None, None]  # the other day's line is not guessed


def test_two_drug_lines_alike_are_not_guessed_between(app_data: AppData, tmp_path: Path) -> None:
    base = sample_claim()
    claim_id = _submitted(app_data, drug_lines=base.drug_lines * 2)
    line = service_line("J3590", "100.00", "100.00", modifiers=("JZ",))
    result = import_remittance(
        app_data,
        _file(tmp_path, era([claim_payment(claim_id, "1", "100.00", "100.00", lines=[line])])),
    )
    assert result.posted == [claim_id]
    assert "fits 2 drug lines" in result.problems[0].message


def test_a_public_sample_for_other_claims_posts_nothing_and_lists_them(
    app_data: AppData, tmp_path: Path
) -> None:
    sample = Path(__file__).parents[1] / "fixtures" / "x12" / "managed-care.835"
    result = import_remittance(app_data, sample)
    assert result.unmatched == ["5554555444", "8765432112"] and result.posted == []
    assert [p.segment for p in result.problems] == ["BPR (segment 2)", "PER (segment 8)"]


def test_a_faulty_claim_loop_matching_no_claim_is_unmatched_and_its_faults_listed(
    app_data: AppData, tmp_path: Path
) -> None:
    sample = Path(__file__).parents[1] / "fixtures" / "x12" / "secondary-payment.835"
    result = import_remittance(app_data, sample)
    assert result.unmatched == ["L0004828311", "0001000053"]
    assert any(p.segment == "SVC (segment 27)" for p in result.problems)


def test_a_claim_payment_repeated_in_one_file_posts_once(app_data: AppData, tmp_path: Path) -> None:
    claim_id = _submitted(app_data)
    result = import_remittance(app_data, _file(tmp_path, era([_paid(claim_id), _paid(claim_id)])))
    assert (result.posted, result.already_posted) == ([claim_id], [claim_id])
    assert len(_postings(app_data, claim_id)) == 1


def test_a_payment_and_its_reversal_in_the_same_file_both_post_in_order(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    reversal = claim_payment(
        claim_id, "22", f"-{CHARGE}", "-50000.00", adjustments=[("CO", "45", "-10100.00")]
    )
    result = import_remittance(
        app_data, _file(tmp_path, era([_paid(claim_id, "50000.00"), reversal]))
    )
    assert (result.posted, result.reversed, result.problems) == ([claim_id], [claim_id], [])
    paid, undo = _postings(app_data, claim_id)
    assert undo.reverses_id == paid.id
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.SUBMITTED


def test_a_jw_line_finds_its_drug_line_by_its_own_control_number(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _submitted(app_data)
    dose = service_line("J3590", "60000.00", "60000.00", modifiers=("JZ",), control=(claim_id, 0))
    waste = service_line("J3590", "100.00", "100.00", modifiers=("JW",), control=(claim_id, 0))
    waste = [s.replace(f"REF*6R*{claim_id}-1", f"REF*6R*{claim_id}-1W") for s in waste]
    payment = claim_payment(claim_id, "1", CHARGE, CHARGE, lines=[dose, waste])
    assert import_remittance(app_data, _file(tmp_path, era([payment]))).posted == [claim_id]
    drug_line = claims.get_claim(app_data, claim_id).drug_lines[0]
    with app_data.db.read() as session:
        rows = session.exec(select(RemittanceLine).order_by(col(RemittanceLine.id))).all()
    assert [(r.control_number, r.drug_line_id) for r in rows] == [
        (f"{claim_id}-1", drug_line.id),
        (f"{claim_id}-1W", drug_line.id),
    ]


def test_many_claims_in_one_file_each_posting_names_its_own_move_and_the_audit_chain_holds(
    app_data: AppData, tmp_path: Path
) -> None:
    """The moves are flushed together at the end, not claim by claim: each posting must still
    name its own claim's event, and each move's audit entry follow the one before it."""
    ids = [_submitted(app_data) for _ in range(3)]
    result = import_remittance(app_data, _file(tmp_path, era([_paid(n) for n in ids])))
    assert (result.posted, result.problems) == (ids, [])
    for claim_id in ids:
        (posting,) = _postings(app_data, claim_id)
        assert posting.event_id == _events(app_data, claim_id)[-1].id
    with app_data.db.read() as session:
        assert audit.verify_chain(session) == []
        moved = session.exec(
            select(AuditEntry.claim_id)
            .where(AuditEntry.action == "status")
            .order_by(col(AuditEntry.id))
        ).all()
    assert list(moved)[-3:] == ids


def _claim_row(data: AppData, claim_id: int) -> Claim:
    with data.db.read() as session:
        row = session.get(Claim, claim_id)
        assert row is not None
        return row


def test_posting_saves_each_claim_as_any_save_does_raising_its_version_once_per_write(
    app_data: AppData, tmp_path: Path
) -> None:
    """The moved claims are written back as plain rows, not through the ORM, and must still
    raise the version counter a seat's save checks, and carry the move's time."""
    claim_id = _submitted(app_data)
    before = _claim_row(app_data, claim_id).version
    import_remittance(app_data, _file(tmp_path, era([_paid(claim_id, "50000.00")]), "first.835"))
    first = _claim_row(app_data, claim_id)
    assert first.version == before + 1
    assert first.updated_at == _events(app_data, claim_id)[-1].at
    reversal = claim_payment(
        claim_id, "22", f"-{CHARGE}", "-50000.00", adjustments=[("CO", "45", "-10100.00")]
    )
    later = era([reversal, _paid(claim_id, "55000.00")], trace="EFT900", control="000000102")
    import_remittance(app_data, _file(tmp_path, later, "later.835"))
    last = _claim_row(app_data, claim_id)  # moved twice, written once as the moves left it
    assert (last.status, last.version) == ("paid", first.version + 1)
    assert last.updated_at == _events(app_data, claim_id)[-1].at


def test_a_claim_saved_elsewhere_after_it_was_loaded_refuses_the_whole_posting(
    app_data: AppData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the shared server another seat may save a claim while the file posts: that save is
    never overwritten; the posting is refused as a stale save is, and nothing is posted."""
    saved_elsewhere, other = _submitted(app_data), _submitted(app_data)
    load = remittance._known

    def loaded_then_saved_elsewhere(session: Session, numbers: list[str]) -> object:
        known = load(session, numbers)
        session.connection().execute(
            update(Claim)
            .where(col(Claim.id) == saved_elsewhere)
            .values(version=col(Claim.version) + 1)
        )
        return known

    monkeypatch.setattr(remittance, "_known", loaded_then_saved_elsewhere)
    with pytest.raises(StaleDataError):
        import_remittance(app_data, _file(tmp_path, era([_paid(other), _paid(saved_elsewhere)])))
    for claim_id in (saved_elsewhere, other):
        assert _postings(app_data, claim_id) == [] and _events(app_data, claim_id) == []
        assert _claim_row(app_data, claim_id).status == "submitted"


def test_a_reversal_mid_file_keeps_one_audit_chain_in_file_order_and_its_head_record(
    app_data: AppData, tmp_path: Path
) -> None:
    """A reversal writes what is pending before it, so the file's audit entries go in as two
    batches after the file's own entry: one chain, in file order, its head record current."""
    first, second = _submitted(app_data), _submitted(app_data)
    reversal = claim_payment(
        first, "22", f"-{CHARGE}", "-50000.00", adjustments=[("CO", "45", "-10100.00")]
    )
    content = era([_paid(first, "50000.00"), reversal, _paid(second)])
    assert import_remittance(app_data, _file(tmp_path, content)).problems == []
    with app_data.db.read() as session:
        breaks = audit.verify_chain(session, folder=app_data.paths.root, key=app_data.db.key)
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    assert breaks == []
    assert [(e.action, e.claim_id, json.loads(e.changes).get("status")) for e in entries][-4:] == [
        ("import", None, None),
        ("status", first, ["submitted", "paid"]),
        ("status", first, ["paid", "submitted"]),
        ("status", second, ["submitted", "paid"]),
    ]
