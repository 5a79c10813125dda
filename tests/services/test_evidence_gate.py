"""The Ready gate and the packet trust stored files, not flags (issue 19).

The same gate serves the app and the CLI (claim_status.mark_ready); a packet is a DRAFT while
the claim is not ready. Removing the invoice from a ready claim sends it back to draft.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from j3490_desk.domain.claim import Claim, ClaimStatus
from j3490_desk.domain.claim_lifecycle import SubmissionMethod
from j3490_desk.domain.findings import Severity
from j3490_desk.errors import InvalidInputError
from j3490_desk.services import (
    attachments,
    checks,
    claim_import,
    claim_json,
    claim_status,
    claims,
    packets,
)
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentKind
from tests.attachments import files
from tests.domain.scenarios import rare_biologic

SCENARIO = rare_biologic()  # J3590, Palmetto priced from the invoice: a missing invoice blocks
TODAY = SCENARIO.today


def _claim(*, attached: bool, on_file: bool) -> Claim:
    line = SCENARIO.claim.drug_lines[0]
    line = dataclasses.replace(
        line,
        invoice=dataclasses.replace(line.invoice, attached=attached, on_file=on_file),
        prescription=dataclasses.replace(line.prescription, attached=attached, on_file=on_file),
    )
    return dataclasses.replace(SCENARIO.claim, drug_lines=(line,), status=ClaimStatus.DRAFT)


def _imported(app_data: AppData, folder: Path, *, attached: bool, on_file: bool) -> int:
    """The claim as a file from elsewhere: its JSON may say "attached": true."""
    path = folder / "claim.json"
    path.write_text(
        json.dumps(claim_json.claim_to_json(_claim(attached=attached, on_file=on_file)))
    )
    return claim_import.import_claim_file(app_data, path).claim_id


def _attach_invoice(app_data: AppData, claim_id: int, folder: Path) -> attachments.AttachmentInfo:
    line_id = claims.get_claim(app_data, claim_id).drug_lines[0].id
    return attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=line_id,
        kind=AttachmentKind.INVOICE,
        source=files.invoice_pdf(folder / "invoice.pdf", ndc="72171-0505-01", price="7,000.00"),
        original_name="invoice.pdf",
    )


def _codes(app_data: AppData, claim_id: int, severity: Severity) -> set[str]:
    findings = checks.claim_findings(app_data, claim_id, today=TODAY)
    return {f.code for f in findings if f.severity is severity}


def test_attached_true_without_a_file_is_missing_evidence_and_not_ready(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _imported(app_data, tmp_path, attached=True, on_file=False)
    assert claims.get_claim(app_data, claim_id).drug_lines[0].invoice.attached  # kept as imported
    assert "INVOICE_MISSING" in _codes(app_data, claim_id, Severity.BLOCKER)
    with pytest.raises(InvalidInputError, match="INVOICE_MISSING"):
        claim_status.mark_ready(app_data, claim_id, today=TODAY)
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.DRAFT
    built = packets.build_packet(app_data, claim_id, today=TODAY)
    assert built.draft and "blocking problem" in built.draft_reason


def test_the_file_opens_the_gate_and_removing_it_closes_it_again(
    app_data: AppData, tmp_path: Path
) -> None:
    claim_id = _imported(app_data, tmp_path, attached=True, on_file=False)
    invoice = _attach_invoice(app_data, claim_id, tmp_path)
    assert "INVOICE_MISSING" not in _codes(app_data, claim_id, Severity.BLOCKER)
    claim_status.mark_ready(app_data, claim_id, today=TODAY)
    ready = packets.build_packet(app_data, claim_id, today=TODAY)
    assert not ready.draft and ready.draft_reason == ""

    attachments.remove_attachment(app_data, invoice.id)  # allowed: the claim is not sent yet

    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.DRAFT
    last = claim_status.claim_events(app_data, claim_id)[-1]
    assert (last.from_status, last.to_status) == ("ready", "draft")
    assert "invoice.pdf" in last.note
    assert "INVOICE_MISSING" in _codes(app_data, claim_id, Severity.BLOCKER)
    with pytest.raises(InvalidInputError, match="INVOICE_MISSING"):
        claim_status.mark_ready(app_data, claim_id, today=TODAY)
    assert packets.build_packet(app_data, claim_id, today=TODAY).draft


def test_not_ready_without_blockers_still_packets_as_a_draft(
    app_data: AppData, tmp_path: Path
) -> None:
    """Paper on file: a warning, so the gate opens; until then the packet is a DRAFT."""
    claim_id = _imported(app_data, tmp_path, attached=False, on_file=True)
    assert {"INVOICE_NOT_SENT", "PRESCRIPTION_NOT_SENT"} <= _codes(
        app_data, claim_id, Severity.WARNING
    )
    assert not _codes(app_data, claim_id, Severity.BLOCKER)
    draft = packets.build_packet(app_data, claim_id, today=TODAY)
    assert draft.draft and draft.draft_reason == "The claim has not been marked ready to submit."
    claim_status.mark_ready(app_data, claim_id, today=TODAY)
    assert not packets.build_packet(app_data, claim_id, today=TODAY).draft


def test_a_sent_claim_keeps_its_files(app_data: AppData, tmp_path: Path) -> None:
    claim_id = _imported(app_data, tmp_path, attached=False, on_file=False)
    invoice = _attach_invoice(app_data, claim_id, tmp_path)
    claim_status.mark_ready(app_data, claim_id, today=TODAY)
    claim_status.submit(
        app_data,
        claim_id,
        submitted_on=TODAY,
        method=SubmissionMethod.PORTAL,
        reference_number="ICN 1",
        proof=files.invoice_pdf(tmp_path / "proof.pdf"),
        proof_name="proof.pdf",
        today=TODAY,
    )
    with pytest.raises(InvalidInputError, match="submitted"):
        attachments.remove_attachment(app_data, invoice.id)
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.SUBMITTED


def test_only_a_document_of_the_right_kind_counts(app_data: AppData, tmp_path: Path) -> None:
    claim_id = _imported(app_data, tmp_path, attached=False, on_file=False)
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=None,
        kind=AttachmentKind.MEDICAL_RECORD,
        source=files.invoice_pdf(tmp_path / "record.pdf"),
        original_name="record.pdf",
    )
    assert "INVOICE_MISSING" in _codes(
        app_data, claim_id, Severity.BLOCKER
    )  # a record is no invoice


def test_a_save_never_moves_the_status(app_data: AppData, tmp_path: Path) -> None:
    """A window still holding the claim as it was when ready saves it after a file was
    removed: the status stays where the removal put it (only claim_status moves it)."""
    from j3490_desk.services import drafts

    claim_id = _imported(app_data, tmp_path, attached=True, on_file=False)
    invoice = _attach_invoice(app_data, claim_id, tmp_path)
    claim_status.mark_ready(app_data, claim_id, today=TODAY)
    held = claims.get_claim(app_data, claim_id)
    attachments.remove_attachment(app_data, invoice.id)

    stored = drafts.save_draft(app_data, held, "line0.item2", today=TODAY).claim

    assert stored.status is ClaimStatus.DRAFT
    assert claims.get_claim(app_data, claim_id).status is ClaimStatus.DRAFT
    assert packets.build_packet(app_data, claim_id, today=TODAY).draft


def test_an_edit_that_brings_a_blocker_sends_a_ready_claim_back_to_draft(
    app_data: AppData, tmp_path: Path
) -> None:
    """Ready means the claim passed the check: a change that fails it (the NDC deleted) undoes
    Ready, as removing the invoice does; a change that keeps it clean leaves it ready."""
    from j3490_desk.services import drafts

    claim_id = _imported(app_data, tmp_path, attached=True, on_file=False)
    _attach_invoice(app_data, claim_id, tmp_path)
    claim_status.mark_ready(app_data, claim_id, today=TODAY)
    ready = claims.get_claim(app_data, claim_id)
    line = ready.drug_lines[0]
    lot = dataclasses.replace(line, lot=dataclasses.replace(line.lot, number="EMA19C06"))
    kept = drafts.save_draft(
        app_data, dataclasses.replace(ready, drug_lines=(lot,)), "line0.item7", today=TODAY
    ).claim
    assert kept.status is ClaimStatus.READY

    no_ndc = dataclasses.replace(kept, drug_lines=(dataclasses.replace(lot, ndc=""),))
    stored = drafts.save_draft(app_data, no_ndc, "line0.item1", today=TODAY).claim

    assert stored.status is ClaimStatus.DRAFT
    last = claim_status.claim_events(app_data, claim_id)[-1]
    assert (last.from_status, last.to_status) == ("ready", "draft")
    assert "NDC_MISSING" in last.note
    assert packets.build_packet(app_data, claim_id, today=TODAY).draft
