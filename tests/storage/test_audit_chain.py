"""The audit log's head record catches what the chain alone cannot: a removed newest entry,
an emptied log, a log rewritten with recomputed hashes; in an encrypted folder the hashes
and the head record are keyed, so neither can be forged without the passphrase."""

from __future__ import annotations

import io
import json
from contextlib import closing, redirect_stdout
from pathlib import Path

import pytest
from sqlmodel import col, select

from j3490_desk.cli import run
from j3490_desk.models import AuditEntry
from j3490_desk.services import encryption
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage import audit
from j3490_desk.storage.audit_head import ANCHOR_FILE
from j3490_desk.storage.connections import connect
from tests.storage.filled_folder import fill

# The head record is a file of the data folder: a shared database has none
# (audit verify on a server: tests/cli/test_database_cli.py).
pytestmark = pytest.mark.sqlite_only

PASSPHRASE = "tidy walrus lantern quiet"


@pytest.fixture(params=[False, True], ids=["plain", "encrypted"])
def folder(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _filled(tmp_path / "data", request.param, monkeypatch)


def _filled(root: Path, encrypted: bool, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = open_app_data(root)
    try:
        fill(data)
    finally:
        data.close()
    if encrypted:
        encryption.enable(root, PASSPHRASE)
        monkeypatch.setenv("J3490_DESK_PASSPHRASE", PASSPHRASE)
        data = open_app_data(root)
        try:
            fill(data)  # entries written with the key
        finally:
            data.close()
    return root


def _verify(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        status = run(["--data-dir", str(root), "audit", "verify"])
    return status, out.getvalue()


def _sql(root: Path, statement: str) -> None:
    data = open_app_data(root)
    key = data.db.key
    data.close()
    with closing(connect(root / "claims.sqlite", key)) as connection:
        connection.execute(statement)
        connection.commit()


def test_an_untouched_log_verifies(folder: Path) -> None:
    assert _verify(folder) == (0, "audit log intact\n")


def test_keyed_hashes_in_an_encrypted_folder(folder: Path) -> None:
    data = open_app_data(folder)
    try:
        with data.db.read() as session:
            newest = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
    finally:
        data.close()
    assert newest is not None
    assert newest.entry_hash.startswith(audit.KEYED_PREFIX) == (data.db.key is not None)


def test_removing_the_newest_entry_is_reported(folder: Path) -> None:
    _sql(folder, "DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")
    status, out = _verify(folder)
    assert status == 1
    assert "the newest entries were removed" in out


def test_removing_every_entry_is_reported(folder: Path) -> None:
    _sql(folder, "DELETE FROM audit_entry")
    status, out = _verify(folder)
    assert status == 1
    assert "ends at entry 0, but its head record says" in out


def test_a_log_rewritten_with_recomputed_hashes_is_reported(folder: Path) -> None:
    """Someone edits an entry and recomputes every hash after it, as the code would (without
    the key: they do not have the passphrase)."""
    data = open_app_data(folder)
    try:
        with data.db.write() as session:
            previous = ""
            for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
                if entry.id == 2:
                    entry.user = "mallory"
                entry.prev_hash = previous
                entry.entry_hash = audit.entry_hash(entry)
                previous = entry.entry_hash
                session.add(entry)
    finally:
        data.close()
    status, out = _verify(folder)
    assert status == 1
    assert "does not match its head record" in out


def test_a_forged_head_record_is_reported_in_an_encrypted_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _filled(tmp_path / "data", True, monkeypatch)
    anchor = json.loads((folder / ANCHOR_FILE).read_text())
    _sql(folder, "DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")
    anchor.update(entry=anchor["entry"] - 1, head="anything")
    (folder / ANCHOR_FILE).write_text(json.dumps(anchor))
    status, out = _verify(folder)
    assert status == 1
    assert "not signed with this folder's key" in out
    (folder / ANCHOR_FILE).unlink()
    status, out = _verify(folder)
    assert status == 1 and "has lost its head record" in out


def test_a_folder_from_before_head_records_says_what_it_cannot_check(tmp_path: Path) -> None:
    data = open_app_data(tmp_path / "data")
    try:
        fill(data)
    finally:
        data.close()
    (tmp_path / "data" / ANCHOR_FILE).unlink()  # as an older version left the folder
    status, out = _verify(tmp_path / "data")
    assert status == 0
    assert "note: no head record yet" in out


def test_a_folder_encrypted_since_its_last_change_still_verifies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Encryption killed before it wrote its own audit entry: the head record is the plain
    one, which is right until the log holds a keyed entry, and no false alarm is raised."""
    root = tmp_path / "data"
    data = open_app_data(root)
    try:
        fill(data)
    finally:
        data.close()
    plain_head = (root / ANCHOR_FILE).read_bytes()
    encryption.enable(root, PASSPHRASE)
    monkeypatch.setenv("J3490_DESK_PASSPHRASE", PASSPHRASE)
    _sql(root, "DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")
    (root / ANCHOR_FILE).write_bytes(plain_head)  # as if killed before that entry was written
    assert _verify(root) == (0, "audit log intact\n")
    data = open_app_data(root)
    try:
        fill(data)  # keyed entries, and a signed head record
    finally:
        data.close()
    (root / ANCHOR_FILE).write_bytes(plain_head)
    status, out = _verify(root)
    assert status == 1 and "not signed with this folder's key" in out
