"""Backups restore exactly what was there, and a damaged backup is never restored."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from pathlib import Path

import pytest

from j3490_desk.cli import run
from j3490_desk.errors import DataFolderError, InvalidInputError
from j3490_desk.paths import DataPaths
from j3490_desk.services import attachments, backups, claims
from j3490_desk.services.app_data import AppData, open_app_data
from tests.sample_claims import sample_claim
from tests.storage.filled_folder import fill


def _attachment_hashes(paths: DataPaths) -> dict[str, str]:
    return {
        p.relative_to(paths.root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in paths.attachments.rglob("*")
        if p.is_file()
    }


@pytest.mark.sqlite_only  # a folder's backups; the server's: test_server_backup.py
def test_round_trip_restores_every_claim_and_attachment(app_data: AppData, tmp_path: Path) -> None:
    ids = fill(app_data)
    file = backups.back_up(app_data, tmp_path / "usb")
    assert backups.verify(file) == []
    backups.restore(file, tmp_path / "restored")
    restored = open_app_data(tmp_path / "restored")
    try:
        for claim_id in ids:
            assert claims.export_claim_json(restored, claim_id) == claims.export_claim_json(
                app_data, claim_id
            )
        assert _attachment_hashes(restored.paths) == _attachment_hashes(app_data.paths)
        assert _attachment_hashes(restored.paths)  # the invoice really was in the backup
        assert attachments.verify_attachments(restored) == []
        [restored_invoice] = attachments.list_attachments(restored, ids[0])
        assert restored_invoice.original_name == "invoice.pdf"
    finally:
        restored.close()


@pytest.mark.sqlite_only  # a folder's backups; the server's: test_server_backup.py
def test_a_changed_member_fails_verification_and_is_not_restored(
    app_data: AppData, tmp_path: Path
) -> None:
    fill(app_data)
    file = backups.back_up(app_data, tmp_path)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(
                item, content + b"x" if item.filename.startswith("attachments/") else content
            )
    problems = backups.verify(tampered)
    assert [p.problem for p in problems] == ["does not match its SHA-256 in the manifest"]
    with pytest.raises(InvalidInputError, match="did not verify"):
        backups.restore(tampered, tmp_path / "new")
    assert not (tmp_path / "new" / "claims.sqlite").exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "photo.zip"
    other.write_bytes(b"not a zip at all")
    with pytest.raises(InvalidInputError, match="not a J3490 Desk backup"):
        backups.verify(other)


@pytest.mark.sqlite_only  # a folder's backups; the server's: test_server_backup.py
def test_restore_over_existing_data_needs_consent_and_keeps_a_copy(
    app_data: AppData, tmp_path: Path
) -> None:
    fill(app_data)
    file = backups.back_up(app_data, tmp_path)
    claims.create_claim(app_data, sample_claim())  # made after the backup
    with pytest.raises(DataFolderError, match="already holds"):
        backups.restore(file, app_data.paths.root)
    safety = backups.restore(file, app_data.paths.root, replace_existing=True)
    assert safety is not None and backups.verify(safety) == []
    with sqlite3.connect(app_data.paths.database) as connection:
        assert connection.execute("SELECT count(*) FROM claim").fetchone() == (3,)
    connection.close()


@pytest.mark.sqlite_only  # a folder's backups; the server's: test_server_backup.py
def test_cli_backup_and_audit_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(tmp_path / "data")
    data = open_app_data(data_dir)
    fill(data)
    data.close()
    assert run(["--data-dir", data_dir, "backup", "create", "--to", str(tmp_path / "out")]) == 0
    file = capsys.readouterr().out.strip()
    assert run(["backup", "verify", file]) == 0
    assert run(["--data-dir", data_dir, "audit", "verify"]) == 0
    with sqlite3.connect(Path(data_dir) / "claims.sqlite") as connection:
        connection.execute("UPDATE audit_entry SET user = 'mallory' WHERE id = 2")
    connection.close()
    capsys.readouterr()
    assert run(["--data-dir", data_dir, "audit", "verify"]) == 1
    assert "audit entry 2 was changed after it was written" in capsys.readouterr().out
