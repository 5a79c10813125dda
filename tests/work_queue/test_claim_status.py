"""The lifecycle service: every move audited with its event, every refusal explained."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from j3490_desk.domain.claim_lifecycle import SubmissionMethod
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.errors import InvalidInputError
from j3490_desk.models import AuditEntry
from j3490_desk.services import attachments, checks, claim_status, claims
from j3490_desk.services.app_data import AppData
from tests.work_queue.helpers import PDF, claim_in

DOS = date(2026, 11, 2)


def _submit(data: AppData, claim_id: int, day: date = date(2026, 11, 5)) -> None:
    claim_status.submit(
        data,
        claim_id,
        submitted_on=day,
        method=SubmissionMethod.PORTAL,
        reference_number="ICN 2026310000123",
        proof=PDF,
        proof_name="portal-confirmation.pdf",
        today=date(2026, 11, 27),
    )


def test_submission_keeps_proof_event_and_audit(app_data: AppData) -> None:
    claim_id = claim_in(app_data, "ready")
    _submit(app_data, claim_id)
    stored = claims.get_claim(app_data, claim_id)
    assert stored.status.value == "submitted" and stored.submitted_on == date(2026, 11, 5)
    [event] = claim_status.claim_events(app_data, claim_id)
    assert (event.from_status, event.to_status, event.method) == ("ready", "submitted", "portal")
    proof = attachments.get_attachment(app_data, event.attachment_id or 0)
    assert proof.original_name == "portal-confirmation.pdf"
    with app_data.db.read() as session:
        actions = [e.action for e in session.exec(select(AuditEntry))]
    assert actions.count("status") == 1


def test_submission_before_the_date_of_service_is_refused(app_data: AppData) -> None:
    claim_id = claim_in(app_data, "ready")
    with pytest.raises(InvalidInputError, match="before the date of service"):
        _submit(app_data, claim_id, day=date(2026, 11, 1))
    assert attachments.list_attachments(app_data, claim_id) == []  # no stray proof file


def test_a_draft_cannot_be_submitted(app_data: AppData) -> None:
    claim_id = claim_in(app_data, "draft")
    with pytest.raises(InvalidInputError, match="draft claim cannot be marked submitted"):
        _submit(app_data, claim_id)


def test_negative_payment_is_refused(app_data: AppData) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    with pytest.raises(InvalidInputError, match="cannot be negative"):
        claim_status.record_payment(
            app_data, claim_id, amount=Decimal("-1"), paid_on=date(2026, 11, 20)
        )


def test_payment_over_billed_needs_confirmation(app_data: AppData) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    with pytest.raises(InvalidInputError, match=r"more than the billed amount 60100\.00"):
        claim_status.record_payment(
            app_data, claim_id, amount=Decimal("70000"), paid_on=date(2026, 11, 20)
        )
    claim_status.record_payment(
        app_data,
        claim_id,
        amount=Decimal("70000"),
        paid_on=date(2026, 11, 20),
        confirmed_over_billed=True,
    )
    assert claims.get_claim(app_data, claim_id).status.value == "paid"


@pytest.mark.parametrize(
    ("carc", "rarc", "message"),
    [
        ("CO-16", "", "includes the group code CO"),
        ("1234", "", "not a CARC"),
        ("16", "X12", "not a RARC"),
        ("", "M119", "at least one CARC"),
    ],
)
def test_bad_denial_codes_are_refused(
    app_data: AppData, carc: str, rarc: str, message: str
) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    with pytest.raises(InvalidInputError, match=message):
        claim_status.record_denial(
            app_data, claim_id, denied_on=date(2026, 11, 20), carc=carc, rarc=rarc
        )


def test_denial_keeps_its_codes(app_data: AppData) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    claim_status.record_denial(
        app_data, claim_id, denied_on=date(2026, 11, 20), carc="16, a1", rarc="M119 N350"
    )
    [event] = claim_status.claim_events(app_data, claim_id)
    assert event.carc_codes == ("16", "A1") and event.rarc_codes == ("M119", "N350")


def test_mark_ready_refused_with_blockers_and_keeps_findings_when_clear(
    app_data: AppData, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim_id = claim_in(app_data, "draft")
    blocker = Finding("NDC_MISSING", Severity.BLOCKER, "1", "No NDC.", "Type it.")
    warning = Finding("PRIOR_AUTH_EXPIRING", Severity.WARNING, "prior_auth", "Soon.", "Renew.")
    monkeypatch.setattr(checks, "claim_findings", lambda *a, **k: [blocker, warning])
    with pytest.raises(InvalidInputError, match="1 blocker"):
        claim_status.mark_ready(app_data, claim_id)
    monkeypatch.setattr(checks, "claim_findings", lambda *a, **k: [warning])
    assert claim_status.mark_ready(app_data, claim_id) == ["PRIOR_AUTH_EXPIRING"]
    [event] = claim_status.claim_events(app_data, claim_id)
    assert json.loads(event.note) == {"findings": ["PRIOR_AUTH_EXPIRING"]}


def test_drug_changes_on_a_sent_claim_need_correct_claim(app_data: AppData) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    stored = claims.get_claim(app_data, claim_id)
    line = dataclasses.replace(stored.drug_lines[0], billed_units=Decimal("10"))
    changed = dataclasses.replace(stored, drug_lines=(line,))
    with pytest.raises(InvalidInputError, match="Correct claim"):
        claims.update_claim(app_data, changed)  # what the wizard calls
    with pytest.raises(InvalidInputError, match="what was corrected"):
        claim_status.correct_claim(app_data, changed, note=" ")
    claim_status.correct_claim(app_data, changed, note="units 1 -> 10")
    after = claims.get_claim(app_data, claim_id)
    assert after.status.value == "corrected" and after.drug_lines[0].billed_units == 10
    assert claim_status.claim_events(app_data, claim_id)[-1].note == "units 1 -> 10"


def test_delete_refused_before_retain_until_except_unsent_draft(app_data: AppData) -> None:
    draft = claim_in(app_data, "draft")
    claim_status.delete_claim(app_data, draft, today=date(2026, 11, 27))
    sent = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    with pytest.raises(InvalidInputError, match="kept until 2033-11-02"):
        claim_status.delete_claim(app_data, sent, today=date(2026, 11, 27))
    claim_status.delete_claim(app_data, sent, today=date(2033, 11, 2))


def test_archive_hides_the_claim_from_the_list(app_data: AppData) -> None:
    from j3490_desk.services.claim_list import ClaimFilter, list_claims

    claim_id = claim_in(app_data, "paid")
    claim_status.archive(app_data, claim_id)
    assert list_claims(app_data) == []
    [row] = list_claims(app_data, claim_filter=ClaimFilter(include_archived=True))
    assert row.archived and row.retain_until == date(2033, 11, 2)


class PowerCut(Exception):
    """The process dying half-way through a save."""


def _fail_on_status_event(monkeypatch: pytest.MonkeyPatch) -> None:
    def dies(**event: object) -> object:
        raise PowerCut

    monkeypatch.setattr(claim_status, "ClaimEvent", dies)


def test_correct_claim_is_one_transaction(
    app_data: AppData, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    stored = claims.get_claim(app_data, claim_id)
    line = dataclasses.replace(stored.drug_lines[0], billed_units=Decimal("10"))
    _fail_on_status_event(monkeypatch)  # dies after the edit, before the status move
    with pytest.raises(PowerCut):
        claim_status.correct_claim(
            app_data, dataclasses.replace(stored, drug_lines=(line,)), note="units 1 -> 10"
        )
    assert claims.get_claim(app_data, claim_id) == stored  # the edit went with the move


def test_submission_is_one_transaction(app_data: AppData, monkeypatch: pytest.MonkeyPatch) -> None:
    claim_id = claim_in(app_data, "ready")
    _fail_on_status_event(monkeypatch)  # dies after the proof is filed, before the move
    with pytest.raises(PowerCut):
        _submit(app_data, claim_id)
    assert claims.get_claim(app_data, claim_id).status.value == "ready"
    assert attachments.list_attachments(app_data, claim_id) == []  # no proof without the move
