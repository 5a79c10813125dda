"""`j3490-desk database move-to URL`: a one-seat folder onto an empty server database, every
row and attachment checked there, the folder untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from j3490_desk.cli import run
from j3490_desk.paths import DataPaths
from j3490_desk.services import claims, encryption
from j3490_desk.services.app_data import folder_key, open_app_data
from j3490_desk.storage.attachment_store import AttachmentStore
from j3490_desk.storage.encryption import PASSPHRASE_ENV
from j3490_desk.storage.server_url import DATABASE_URL_ENV, chosen_server
from tests.sample_claims import sample_claim
from tests.storage.database_dump import (
    dump_folder,
    dump_server,
    folder_files,
    server_contents,
)
from tests.storage.filled_folder import fill
from tests.test_server import TestServer

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clerk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Who runs the commands on a shared database (each change there names a person)."""
    monkeypatch.setenv("J3490_DESK_USER", "dana")
    monkeypatch.setenv("J3490_DESK_USER_PASSWORD", "dana's long password")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataPaths:
    """A filled one-seat SQLite folder, whichever engine the run uses for the others."""
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    data = open_app_data(tmp_path / "data")
    try:
        fill(data)
    finally:
        data.close()
    return DataPaths(tmp_path / "data")


@pytest.mark.postgresql
def test_move_copies_every_row_and_attachment_and_leaves_the_folder_untouched(
    folder: DataPaths,
    test_server: TestServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = folder_files(folder.root)
    with test_server.empty_database() as url:
        assert run(["--data-dir", str(folder.root), "database", "move-to", url]) == 0
        out = capsys.readouterr().out
        assert "3 claims" in out and "1 attachment" in out
        assert "Settings > Data" in out and "--database-url" in out

        assert folder_files(folder.root) == before
        moved, kept = dump_server(url), dump_folder(folder.database)
        # Every value as stored, the audit log's times and text included; the server's log
        # has one entry more: the move itself.
        log = moved.pop("audit_entry")
        assert log[:-1] == kept.pop("audit_entry")
        assert log[-1][3:5] == ("move", "data_folder")
        assert moved == kept
        stored = set(AttachmentStore(folder.attachments).stored_hashes())
        assert stored and server_contents(url) == {sha: sha for sha in stored}

        seat = ["--data-dir", str(tmp_path / "seat"), "--database-url", url]
        assert run([*seat, "audit", "verify"]) == 0
        assert "audit log intact" in capsys.readouterr().out
        data = open_app_data(tmp_path / "seat", database_url=url)
        try:  # the server's id sequences go on after the copied ids
            assert claims.create_claim(data, sample_claim()) == 4
        finally:
            data.close()


@pytest.mark.postgresql
def test_a_database_that_holds_data_is_refused(
    folder: DataPaths, test_server: TestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with test_server.empty_database() as url:
        assert run(["--data-dir", str(folder.root), "database", "move-to", url]) == 0
        before = dump_server(url)
        capsys.readouterr()
        assert run(["--data-dir", str(folder.root), "database", "move-to", url]) == 2
        err = capsys.readouterr().err
        assert "already holds J3490 Desk data (3 claims)" in err
        assert "EMPTY database" in err and "Traceback" not in err
        assert dump_server(url) == before


@pytest.mark.postgresql
def test_a_database_of_another_program_is_refused(
    folder: DataPaths, test_server: TestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with test_server.empty_database() as url:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE invoices (id integer PRIMARY KEY)")
        engine.dispose()
        assert run(["--data-dir", str(folder.root), "database", "move-to", url]) == 2
        assert "tables of some other program" in capsys.readouterr().err
        assert set(dump_server(url)) == {"invoices"}  # none of ours was made


@pytest.mark.postgresql
def test_an_encrypted_folder_moves_and_its_audit_log_verifies_on_the_server(
    folder: DataPaths,
    test_server: TestServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    encryption.enable(folder.root, PASSPHRASE)
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    key = folder_key(folder, PASSPHRASE)
    before = folder_files(folder.root)
    with test_server.empty_database() as url:
        command = ["--data-dir", str(folder.root), "database", "move-to", url, "--use-it"]
        assert run(command) == 0
        assert "re-hashed for the server" in capsys.readouterr().out
        assert {
            k: v for k, v in folder_files(folder.root).items() if k != "shared-database.json"
        } == before
        assert chosen_server(folder.root) is not None  # --use-it saved the seat's choice
        moved, kept = dump_server(url), dump_folder(folder.database, key)
        moved.pop("audit_entry"), kept.pop("audit_entry")  # re-hashed: the key stays behind
        assert moved == kept
        assert len(server_contents(url)) == 1
        monkeypatch.delenv(PASSPHRASE_ENV)
        seat = ["--data-dir", str(tmp_path / "seat"), "--database-url", url]
        assert run([*seat, "audit", "verify"]) == 0


def test_an_unreachable_server_is_a_message(
    folder: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    before = folder_files(folder.root)
    url = "postgresql+psycopg://clerk@127.0.0.1:1/claims"
    assert run(["--data-dir", str(folder.root), "database", "move-to", url]) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "Traceback" not in err
    assert folder_files(folder.root) == before


def test_a_folder_without_a_database_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://clerk@127.0.0.1:1/claims"
    assert run(["--data-dir", str(tmp_path / "nothing"), "database", "move-to", url]) == 2
    assert "no J3490 Desk database" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()
