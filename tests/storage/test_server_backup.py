"""Backups of the shared server: the same zip as a folder's (so `backup verify` is the same),
restorable onto a server and into a folder alike; a restore that fails part-way changes
nothing; an older server schema is backed up before it is migrated."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from j3490_desk.cli import run
from j3490_desk.paths import DataPaths
from j3490_desk.services import backups, claims, encryption
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage import table_copy
from j3490_desk.storage.database import upgrade_schema
from j3490_desk.storage.database_attachment_store import DatabaseAttachmentStore
from j3490_desk.storage.encryption import PASSPHRASE_ENV
from j3490_desk.storage.server_url import DATABASE_URL_ENV
from tests.sample_claims import sample_claim
from tests.storage.database_dump import dump_folder, dump_server, server_contents
from tests.storage.filled_folder import fill
from tests.test_server import TestServer

PASSPHRASE = "correct horse battery staple"
pytestmark = pytest.mark.postgresql


@pytest.fixture(autouse=True)
def _clerk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Who runs the commands on a shared database (each change there names a person)."""
    monkeypatch.setenv("J3490_DESK_USER", "dana")
    monkeypatch.setenv("J3490_DESK_USER_PASSWORD", "dana's long password")


@pytest.fixture
def filled_server(
    test_server: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A server database holding a filled folder's data (attachments in the database too)."""
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    data = open_app_data(tmp_path / "one-seat")
    try:
        fill(data)
    finally:
        data.close()
    with test_server.empty_database() as url:
        assert run(["--data-dir", str(tmp_path / "one-seat"), "database", "move-to", url]) == 0
        yield url


def _back_up(url: str, seat: Path) -> Path:
    data = open_app_data(seat, database_url=url)
    try:
        return backups.back_up(data, seat / "usb")
    finally:
        data.close()


def test_a_server_backup_verifies_and_restores_onto_a_server_and_into_a_folder(
    filled_server: str,
    test_server: TestServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    original = dump_server(filled_server)
    contents = server_contents(filled_server)
    file = _back_up(filled_server, tmp_path / "seat")
    with zipfile.ZipFile(file) as archive:
        names = archive.namelist()
    assert "claims.sqlite" in names and "manifest.json" in names
    assert sum(name.startswith("attachments/") for name in names) == 1
    assert run(["backup", "verify", str(file)]) == 0
    assert "backup verified" in capsys.readouterr().out

    with test_server.empty_database() as url:
        seat = ["--data-dir", str(tmp_path / "seat-2"), "--database-url", url]
        assert run([*seat, "backup", "restore", "--replace", str(file)]) == 0
        restored = dump_server(url)
        assert restored["audit_entry"][:-1] == original["audit_entry"]  # then: the restore
        assert restored["audit_entry"][-1][3] == "restore"
        assert {k: v for k, v in restored.items() if k != "audit_entry"} == {
            k: v for k, v in original.items() if k != "audit_entry"
        }
        assert server_contents(url) == contents
        assert run([*seat, "audit", "verify"]) == 0

    folder = DataPaths(tmp_path / "restored")
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert run(["--data-dir", str(folder.root), "backup", "restore", str(file)]) == 0
    in_folder = dump_folder(folder.database)
    assert in_folder["audit_entry"][:-1] == original["audit_entry"]
    assert {k: v for k, v in in_folder.items() if k != "audit_entry"} == {
        k: v for k, v in original.items() if k != "audit_entry"
    }
    assert run(["--data-dir", str(folder.root), "audit", "verify"]) == 0


def test_a_server_backup_is_one_moment_while_another_seat_saves(
    filled_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_seat = open_app_data(tmp_path / "other-seat", database_url=filled_server)
    real_insert = table_copy.insert
    saved: list[int] = []

    def insert_while_another_seat_saves(table: Any) -> Any:
        if not saved:  # the first rows are being copied: the claims are still to come
            saved.append(claims.create_claim(other_seat, sample_claim()))
        return real_insert(table)

    monkeypatch.setattr(table_copy, "insert", insert_while_another_seat_saves)
    try:
        file = _back_up(filled_server, tmp_path / "seat")
    finally:
        other_seat.close()
    assert saved == [4] and len(dump_server(filled_server)["claim"]) == 4
    assert backups.verify(file) == []
    with zipfile.ZipFile(file) as archive:
        archive.extract("claims.sqlite", tmp_path / "unpacked")
    in_backup = dump_folder(tmp_path / "unpacked" / "claims.sqlite")
    assert len(in_backup["claim"]) == 3  # as of the moment the backup began
    assert not any(row[4] == "claim" and row[5] == 4 for row in in_backup["audit_entry"])


def test_an_encrypted_server_backup_restores_with_its_passphrase(
    filled_server: str, test_server: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    seat = ["--data-dir", str(tmp_path / "seat"), "--database-url", filled_server]
    assert run([*seat, "backup", "create", "--encrypt", "--to", str(tmp_path / "usb")]) == 0
    [file] = (tmp_path / "usb").glob("j3490-desk-backup-*.zip")
    with zipfile.ZipFile(file) as archive:
        assert "encryption.json" in archive.namelist()
        assert b"Roe" not in archive.read("claims.sqlite")  # the sample patient's name
    assert backups.verify(file, passphrase=PASSPHRASE) == []
    assert backups.is_signed(file)
    with test_server.empty_database() as url:
        other_seat = ["--data-dir", str(tmp_path / "seat-2"), "--database-url", url]
        assert run([*other_seat, "backup", "restore", "--replace", str(file)]) == 0
        assert run([*other_seat, "audit", "verify"]) == 0
        assert server_contents(url) == server_contents(filled_server)
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    folder = DataPaths(tmp_path / "restored")
    backups.restore(file, folder.root, passphrase=PASSPHRASE)
    assert run(["--data-dir", str(folder.root), "audit", "verify"]) == 0
    assert run(["--data-dir", str(folder.root), "attachments", "verify"]) == 0


def test_a_restore_that_fails_part_way_leaves_the_server_as_it_was(
    filled_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _back_up(filled_server, tmp_path / "seat")
    data = open_app_data(tmp_path / "seat", database_url=filled_server)
    try:
        fill(data)  # more since the backup: three more claims
        assert "for every computer that uses it" in backups.restore_target(data)  # the window asks
        before = dump_server(filled_server)

        def fail(*_args: object, **_kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        # after every row was copied, the content fails
        monkeypatch.setattr(DatabaseAttachmentStore, "keep", fail)
        with pytest.raises(OSError):
            backups.restore_into_open_folder(data, file)
    finally:
        data.close()
    after = dump_server(filled_server)
    assert len(after["claim"]) == 6
    assert after == before


def test_an_older_server_schema_is_backed_up_before_it_is_migrated(
    test_server: TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with test_server.empty_database() as url:
        engine = create_engine(url)
        with engine.begin() as connection:
            upgrade_schema(connection, "0008")
            connection.exec_driver_sql(
                "INSERT INTO payer (id, name, kind, timely_filing_days, pricing_policy, "
                "markup_percent, prior_auth_required, narrative_profile, "
                "ndc_quantity_decimals, address, fax, payer_id, pwk_report_type) VALUES "
                "(7, 'Older Payer', 'commercial', 365, 'invoice_markup', '6', false, "
                "'generic', 3, '', '', '', '04')"
            )
        engine.dispose()
        open_app_data(tmp_path / "seat", database_url=url).close()
        [file] = DataPaths(tmp_path / "seat").backups.glob("j3490-desk-backup-*.zip")
        assert run(["backup", "verify", str(file)]) == 0
        with zipfile.ZipFile(file) as archive:
            archive.extract("claims.sqlite", tmp_path / "unpacked")
        assert dump_folder(tmp_path / "unpacked" / "claims.sqlite")["payer"][0][:2] == (
            7,
            "Older Payer",
        )
        assert dump_server(url)["payer"][0][:2] == (7, "Older Payer")


def test_an_encrypted_folders_backup_restores_onto_a_server_and_verifies_there(
    test_server: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    folder = tmp_path / "one-seat"
    data = open_app_data(folder)
    try:
        fill(data)
    finally:
        data.close()
    encryption.enable(folder, PASSPHRASE)
    data = open_app_data(folder, passphrase=PASSPHRASE)
    try:
        file = backups.back_up(data, tmp_path / "usb")
    finally:
        data.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    with test_server.empty_database() as url:
        seat = ["--data-dir", str(tmp_path / "seat"), "--database-url", url]
        assert run([*seat, "backup", "restore", "--replace", str(file)]) == 0
        entries = dump_server(url)["audit_entry"]
        assert entries[-1][3] == "restore"
        assert "re-hashed without the folder key" in entries[-1][7]
        monkeypatch.delenv(PASSPHRASE_ENV)
        assert run([*seat, "audit", "verify"]) == 0  # (signing in first makes the first account)
        assert len(dump_server(url)["claim"]) == 3
