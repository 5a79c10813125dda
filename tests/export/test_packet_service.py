"""export_packet: written atomically and recorded, or nothing written and a clear message."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from j3490_desk.domain.claim import ClaimStatus
from j3490_desk.errors import InvalidInputError, KnownError, NotFoundError
from j3490_desk.export.errors import CorruptAttachmentError, PacketCancelled
from j3490_desk.models import AuditEntry, PacketExport
from j3490_desk.services import attachments, claims, packets
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentKind
from j3490_desk.services.packets import PacketWriteError, export_packet
from tests.attachments import stored as stored_content
from tests.domain.scenarios import Scenario, off_label_rituximab, rare_biologic
from tests.export.documents import record_pdf, scanned_page


def _stored(app_data: AppData, scenario: Scenario, folder: Path) -> int:
    claim_id = claims.create_claim(app_data, scenario.claim)
    line_id = claims.get_claim(app_data, claim_id).drug_lines[0].id
    folder.mkdir(parents=True, exist_ok=True)
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=line_id,
        kind=AttachmentKind.INVOICE,
        source=scanned_page(folder / "invoice.jpg", dpi=150),
        original_name="invoice.jpg",
    )
    attachments.add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=None,
        kind=AttachmentKind.MEDICAL_RECORD,
        source=record_pdf(folder / "record.pdf", "Infusion record"),
        original_name="record.pdf",
    )
    return claim_id


@pytest.fixture
def stored(app_data: AppData, tmp_path: Path) -> tuple[int, Scenario]:
    scenario = rare_biologic()
    return _stored(app_data, scenario, tmp_path / "sources"), scenario


def _exports(app_data: AppData) -> list[PacketExport]:
    with app_data.db.read() as session:
        return list(session.exec(select(PacketExport)))


def _left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_export_writes_the_file_and_records_it(
    app_data: AppData, stored: tuple[int, Scenario], tmp_path: Path
) -> None:
    claim_id, scenario = stored
    out = tmp_path / "out" / "packet.pdf"
    out.parent.mkdir()
    result = export_packet(app_data, claim_id, out, today=scenario.today)
    assert _left_in(out.parent) == ["packet.pdf"]
    assert result.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert len(PdfReader(out).pages) == result.page_count == result.manifest[-1].last_page
    assert len(result.control_number) <= 50
    assert result.control_number.startswith(f"{scenario.today:%Y%m%d}-{claim_id}-")
    assert [e.title for e in result.manifest][-2:] == [
        "Invoice (invoice.jpg)",
        "Medical record (record.pdf)",
    ]
    (row,) = _exports(app_data)
    assert (row.claim_id, row.sha256, row.control_number, row.page_count, row.file_name) == (
        claim_id,
        result.sha256,
        result.control_number,
        result.page_count,
        "packet.pdf",
    )
    assert row.exported_by == app_data.user and row.exported_at.utcoffset() is not None
    assert not row.draft and not result.draft
    with app_data.db.read() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "export_packet")).one()
    assert entry.claim_id == claim_id and result.control_number in entry.changes


def test_reexport_keeps_the_control_number_until_the_content_changes(
    app_data: AppData, stored: tuple[int, Scenario], tmp_path: Path
) -> None:
    claim_id, scenario = stored
    first = export_packet(app_data, claim_id, tmp_path / "a.pdf", today=scenario.today)
    later = scenario.today.replace(day=scenario.today.day + 1)
    submitted = dataclasses.replace(
        claims.get_claim(app_data, claim_id), status=ClaimStatus.SUBMITTED
    )
    claims.update_claim(app_data, submitted)  # the status is not printed: same number
    again = export_packet(app_data, claim_id, tmp_path / "b.pdf", today=later)
    assert again.control_number == first.control_number
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    claim = claims.get_claim(app_data, claim_id)
    line = dataclasses.replace(
        claim.drug_lines[0], lot=dataclasses.replace(claim.drug_lines[0].lot, number="EMA19C05")
    )
    claims.update_claim(app_data, dataclasses.replace(claim, drug_lines=(line,)), correction=True)
    changed = export_packet(app_data, claim_id, tmp_path / "c.pdf", today=later)
    assert changed.control_number != first.control_number
    assert changed.control_number.startswith(f"{later:%Y%m%d}-")
    assert len(_exports(app_data)) == 3


def test_claim_with_blockers_exports_only_as_draft(app_data: AppData, tmp_path: Path) -> None:
    scenario = off_label_rituximab()
    claim_id = _stored(app_data, scenario, tmp_path / "sources")
    result = export_packet(app_data, claim_id, tmp_path / "p.pdf", today=scenario.today)
    assert result.draft and _exports(app_data)[0].draft
    reader = PdfReader(tmp_path / "p.pdf")
    assert all("DRAFT" in page.extract_text() for page in reader.pages)
    assert "(DRAFT)" in (reader.metadata.title or "")


def test_password_protects_the_file(
    app_data: AppData, stored: tuple[int, Scenario], tmp_path: Path
) -> None:
    claim_id, scenario = stored
    export_packet(
        app_data, claim_id, tmp_path / "p.pdf", password="payer-pw-2026", today=scenario.today
    )
    reader = PdfReader(tmp_path / "p.pdf")
    assert reader.is_encrypted and reader.decrypt("payer-pw-2026")


@pytest.mark.parametrize("password", ["", "x", "1234567"])
def test_a_short_password_is_refused_and_nothing_written(
    app_data: AppData, stored: tuple[int, Scenario], tmp_path: Path, password: str
) -> None:
    claim_id, scenario = stored
    with pytest.raises(InvalidInputError, match="at least 8 characters"):
        export_packet(
            app_data, claim_id, tmp_path / "p.pdf", password=password, today=scenario.today
        )
    assert not (tmp_path / "p.pdf").exists()


def test_unknown_claim(app_data: AppData, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        export_packet(app_data, 999, tmp_path / "p.pdf")
    assert _left_in(tmp_path) == ["data"]


def _stored_hash(app_data: AppData, claim_id: int, kind: AttachmentKind) -> str:
    info = next(i for i in attachments.list_attachments(app_data, claim_id) if i.kind is kind)
    return info.sha256


def test_attachment_missing_from_the_store(
    app_data: AppData, stored: tuple[int, Scenario], tmp_path: Path
) -> None:
    claim_id, scenario = stored
    stored_content.remove(app_data, _stored_hash(app_data, claim_id, AttachmentKind.INVOICE))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(KnownError, match=r"attachment 'invoice\.jpg' is missing from the"):
        export_packet(app_data, claim_id, out / "p.pdf", today=scenario.today)
    assert _left_in(out) == [] and _exports(app_data) == []


def test_corrupt_attached_pdf(
    app_data: AppData, stored: tuple[int, Scenario], tmp_path: Path
) -> None:
    claim_id, scenario = stored
    stored_content.overwrite(
        app_data,
        _stored_hash(app_data, claim_id, AttachmentKind.MEDICAL_RECORD),
        b"%PDF-1.4\n%damaged on disk\n",
    )
    out = tmp_path / "out"
    out.mkdir()
    # The shared database re-hashes what it reads, so the damage is found before the PDF is
    # opened; a plain folder's file is read as it is, and the PDF reader finds it.
    refused = (
        (KnownError, "is damaged in the shared database")
        if app_data.db.shared
        else (CorruptAttachmentError, "Medical record")
    )
    with pytest.raises(refused[0], match=refused[1]):
        export_packet(app_data, claim_id, out / "p.pdf", today=scenario.today)
    assert _left_in(out) == [] and _exports(app_data) == []


def test_folder_without_write_permission(
    app_data: AppData,
    stored: tuple[int, Scenario],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claim_id, scenario = stored

    def refuse(*_args: object, **_kwargs: object) -> None:
        # Tests run as root, where chmod cannot take write access away: the OS's answer.
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PacketWriteError, match="permission") as caught:
        export_packet(app_data, claim_id, out / "p.pdf", today=scenario.today)
    assert "Nothing was written" in caught.value.hint
    assert _left_in(out) == [] and _exports(app_data) == []


def test_disk_fills_during_the_write(
    app_data: AppData,
    stored: tuple[int, Scenario],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claim_id, scenario = stored

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PacketWriteError, match="full"):
        export_packet(app_data, claim_id, out / "p.pdf", today=scenario.today)
    assert _left_in(out) == [] and _exports(app_data) == []


def test_existing_file_survives_a_failed_export(
    app_data: AppData,
    stored: tuple[int, Scenario],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claim_id, scenario = stored
    out = tmp_path / "p.pdf"
    out.write_bytes(b"the packet sent last week")

    def fail_rename(*_args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", fail_rename)
    with pytest.raises(PacketWriteError, match="could not be saved"):
        export_packet(app_data, claim_id, out, today=scenario.today)
    assert out.read_bytes() == b"the packet sent last week"
    assert _exports(app_data) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


@pytest.mark.parametrize("polls_before_cancel", [0, 3], ids=["at-once", "mid-layout"])
def test_cancel_while_building_leaves_nothing(
    app_data: AppData, stored: tuple[int, Scenario], tmp_path: Path, polls_before_cancel: int
) -> None:
    claim_id, scenario = stored
    polls = iter(range(10_000))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PacketCancelled):
        export_packet(
            app_data,
            claim_id,
            out / "p.pdf",
            today=scenario.today,
            cancelled=lambda: next(polls) >= polls_before_cancel,
        )
    assert _left_in(out) == [] and _exports(app_data) == []


def test_cancel_after_the_write_removes_the_temporary_file(
    app_data: AppData,
    stored: tuple[int, Scenario],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claim_id, scenario = stored
    written: list[Path] = []
    original = packets._write_temporary

    def write_and_note(path: Path, content: bytes) -> Path:
        written.append(original(path, content))
        return written[-1]

    monkeypatch.setattr(packets, "_write_temporary", write_and_note)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PacketCancelled):
        export_packet(
            app_data, claim_id, out / "p.pdf", today=scenario.today, cancelled=lambda: bool(written)
        )
    assert written and _left_in(out) == [] and _exports(app_data) == []
