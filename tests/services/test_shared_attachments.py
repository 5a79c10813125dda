"""Attachment content on a shared PostgreSQL database: chunked, stored once, re-hashed on read.

Each test opens its own fresh database on the test server (`shared_url`), whatever --engine
says, as a seat with `--database-url` would.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import select

from j3490_desk.errors import KnownError
from j3490_desk.models.shared import AttachmentChunk, AttachmentContent
from j3490_desk.services import attachments, claims
from j3490_desk.services.app_data import AppData, open_app_data
from j3490_desk.services.attachments import AttachmentKind, content_store
from j3490_desk.storage.attachment_store import ContentState
from j3490_desk.storage.database_attachment_store import CHUNK_BYTES, DatabaseAttachmentStore
from tests.attachments import files, stored
from tests.sample_claims import sample_claim

pytestmark = pytest.mark.postgresql
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def seat(shared_url: str, tmp_path: Path) -> Iterator[AppData]:
    data = open_app_data(tmp_path / "seat", database_url=shared_url)
    yield data
    data.close()


def _chunks(data: AppData, sha256: str) -> list[int]:
    with data.db.read() as session:
        rows = session.exec(
            select(AttachmentChunk.position).where(AttachmentChunk.sha256 == sha256)
        )
        return sorted(rows)


def _keep(data: AppData, content: bytes) -> str:
    store = content_store(data)
    with store.staged(content, max_bytes=50 * 1024 * 1024) as staged:
        store.keep(staged)
    return staged.sha256


def test_a_shared_seat_keeps_content_in_the_database_not_the_folder(seat: AppData) -> None:
    assert isinstance(content_store(seat), DatabaseAttachmentStore)
    _keep(seat, b"%PDF-1.4 invoice")
    assert not seat.paths.attachments.exists()


def test_a_file_of_several_chunks_comes_back_whole(seat: AppData) -> None:
    content = os.urandom(2 * CHUNK_BYTES + 12345)
    sha256 = _keep(seat, content)
    assert sha256 == hashlib.sha256(content).hexdigest()
    assert _chunks(seat, sha256) == [0, 1, 2]
    with seat.db.read() as session:
        row = session.get(AttachmentContent, sha256)
    assert row is not None and (row.size_bytes, row.chunk_count) == (len(content), 3)
    store = content_store(seat)
    assert store.read_bytes(sha256) == content
    assert store.state(sha256) is ContentState.OK
    assert list(store.stored_hashes()) == [sha256]


def test_the_same_file_added_twice_is_stored_once(seat: AppData, tmp_path: Path) -> None:
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf")
    claim_id = claims.create_claim(seat, sample_claim())
    other = claims.create_claim(seat, sample_claim())
    added = [
        attachments.add_attachment(
            seat,
            claim_id=c,
            drug_line_id=None,
            kind=AttachmentKind.INVOICE,
            source=pdf,
            original_name="invoice.pdf",
        )
        for c in (claim_id, other)
    ]
    assert added[0].sha256 == added[1].sha256
    assert stored.stored_names(seat) == [added[0].sha256]
    assert _chunks(seat, added[0].sha256) == [0]
    attachments.remove_attachment(seat, added[0].id)
    assert stored.stored_names(seat) == [added[0].sha256]  # the other claim still uses it
    attachments.remove_attachment(seat, added[1].id)
    assert stored.stored_names(seat) == []
    assert _chunks(seat, added[0].sha256) == []


def test_two_seats_keeping_the_same_file_at_once_store_it_once(
    seat: AppData, shared_url: str, tmp_path: Path
) -> None:
    """The second seat's insert waits on the first's uncommitted row, then finds it stored."""
    other = open_app_data(tmp_path / "other-seat", database_url=shared_url)
    content = os.urandom(CHUNK_BYTES + 1)
    first_store, second_store = content_store(seat), content_store(other)
    first_kept = threading.Event()

    def second() -> None:
        first_kept.wait(10)
        with second_store.staged(content, max_bytes=len(content)) as staged:
            second_store.keep(staged)

    try:
        with ThreadPoolExecutor(1) as pool:
            second_seat = pool.submit(second)
            with (
                first_store.staged(content, max_bytes=len(content)) as staged,
                seat.db.write() as session,
            ):
                first_store.keep(staged, session=session)
                first_kept.set()
                with pytest.raises(TimeoutError):  # waiting for our commit, not failing
                    second_seat.result(timeout=0.5)
            second_seat.result(timeout=10)  # raises what the second seat raised, if anything
    finally:
        other.close()
    sha256 = hashlib.sha256(content).hexdigest()
    assert stored.stored_names(seat) == [sha256] and _chunks(seat, sha256) == [0, 1]
    assert content_store(seat).read_bytes(sha256) == content


def test_a_damaged_chunk_is_reported_changed_and_never_served(seat: AppData) -> None:
    content = os.urandom(CHUNK_BYTES + 100)
    sha256 = _keep(seat, content)
    stored.overwrite(seat, sha256, b"\x00" * CHUNK_BYTES)
    store = content_store(seat)
    assert store.state(sha256) is ContentState.CHANGED
    with pytest.raises(KnownError, match="is damaged in the shared database") as caught:
        store.read_bytes(sha256)
    assert "attachments verify" in (caught.value.hint or "")
    _keep(seat, content)  # attaching the file again heals it
    assert store.state(sha256) is ContentState.OK and store.read_bytes(sha256) == content


def test_a_missing_chunk_is_reported_changed(seat: AppData) -> None:
    content = os.urandom(2 * CHUNK_BYTES)
    sha256 = _keep(seat, content)
    with seat.db.write() as session:
        chunk = session.get(AttachmentChunk, (sha256, 1))
        session.delete(chunk)
    assert content_store(seat).state(sha256) is ContentState.CHANGED


def test_the_viewer_gets_a_private_copy(seat: AppData, tmp_path: Path) -> None:
    claim_id = claims.create_claim(seat, sample_claim())
    info = attachments.add_attachment(
        seat, claim_id=claim_id, drug_line_id=None, kind=AttachmentKind.INVOICE,
        source=files.invoice_pdf(tmp_path / "invoice.pdf"), original_name="invoice.pdf",
    )  # fmt: skip
    copy = attachments.viewer_copy(seat, info)
    assert copy.read_bytes() == (tmp_path / "invoice.pdf").read_bytes()
    assert (copy.stat().st_mode & 0o777, copy.parent.stat().st_mode & 0o777) == (0o600, 0o700)


def _cli(url: str, data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    # A command on the shared database runs for a named account (cli.signed_in).
    person = {"J3490_DESK_USER": "clerk", "J3490_DESK_USER_PASSWORD": "clerk's long password"}
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), **person}
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--data-dir", str(data_dir), "--database-url", url,
         *argv],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def test_attachments_add_list_and_verify_through_the_cli(
    seat: AppData, shared_url: str, tmp_path: Path
) -> None:
    claim_id = claims.create_claim(seat, sample_claim())
    invoice = files.invoice_pdf(tmp_path / "invoice.pdf")
    folder = tmp_path / "cli-seat"
    added = _cli(shared_url, folder, "attachments", "add", str(claim_id), str(invoice),
                 "--kind", "invoice")  # fmt: skip
    assert added.returncode == 0, added.stderr
    sha256 = added.stdout.strip()
    assert stored.stored_names(seat) == [sha256]  # in the database, seen by the other seat
    listed = _cli(shared_url, folder, "attachments", "list", str(claim_id), "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"file_name": "invoice.pdf"' in listed.stdout and sha256 in listed.stdout
    verified = _cli(shared_url, folder, "attachments", "verify")
    assert verified.returncode == 0 and "unchanged" in verified.stdout, verified.stderr
    stored.overwrite(seat, sha256, b"%PDF-1.4 edited")
    verified = _cli(shared_url, folder, "attachments", "verify")
    assert verified.returncode == 1, verified.stderr
    assert "('invoice.pdf', claim" in verified.stdout and "has changed" in verified.stdout
    assert "Traceback" not in verified.stderr


def test_a_removal_on_one_seat_never_takes_content_another_seat_is_attaching(
    seat: AppData, shared_url: str, tmp_path: Path
) -> None:
    """Seat B attaches a file seat A is removing the last use of: A's removal waits for B's
    commit, then sees B's attachment and leaves the content in place."""
    pdf = files.invoice_pdf(tmp_path / "invoice.pdf")
    claim_id = claims.create_claim(seat, sample_claim())
    old = attachments.add_attachment(
        seat, claim_id=claim_id, drug_line_id=None, kind=AttachmentKind.INVOICE, source=pdf,
        original_name="invoice.pdf",
    )  # fmt: skip
    other = open_app_data(tmp_path / "other-seat", database_url=shared_url)
    try:
        with (
            ThreadPoolExecutor(1) as pool,
            attachments.attaching(
                other, claim_id=claim_id, drug_line_id=None, kind=AttachmentKind.OTHER,
                source=pdf, original_name="copy.pdf",
            ) as (_, new),
        ):  # fmt: skip
            removal = pool.submit(attachments.remove_attachment, seat, old.id)
            with pytest.raises(TimeoutError):  # waiting for the content row B holds
                removal.result(timeout=0.5)
        removal.result(timeout=10)
    finally:
        other.close()
    assert [a.id for a in attachments.list_attachments(seat, claim_id)] == [new.id]
    assert attachments.attachment_bytes(seat, new) == pdf.read_bytes()
