"""`j3490-desk database show|use|password`, accounts on the shared database, and every fault
of a shared server told as a message with exit 2 (never a traceback), each in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT_URL = "postgresql+psycopg://billing@127.0.0.1:1/j3490"
PASSWORD = "staple battery horse"
FILE_ENV = "J3490_TEST_KEYRING_FILE"  # tests/file_keyring.py: imported, it would be a keychain
ALICE = {"J3490_DESK_USER": "alice", "J3490_DESK_USER_PASSWORD": PASSWORD}


def _cli(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**_without_choice(), "PYTHONPATH": str(ROOT), **env},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed


def _without_choice() -> dict[str, str]:
    """The environment without the engine run's database and person: each test sets its own."""
    chosen = ("J3490_DESK_DATABASE_URL", "J3490_DESK_USER", "J3490_DESK_USER_PASSWORD")
    return {name: value for name, value in os.environ.items() if name not in chosen}


def _refused(completed: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert completed.returncode == 2, (completed.stdout, completed.stderr)
    for phrase in phrases:
        assert phrase in completed.stderr + completed.stdout


def _sql(url: str, statement: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


def test_show_on_a_new_seat_is_the_sqlite_file(tmp_path: Path) -> None:
    shown = _cli(tmp_path, "database", "show", "--json")
    assert shown.returncode == 0
    assert json.loads(shown.stdout) == {
        "engine": "sqlite",
        "url": None,
        "path": str(tmp_path / "claims.sqlite"),
        "schema": None,
        "reachable": True,
        "error": None,
    }


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite:///claims.sqlite", "for sqlite"),
        ("mysql://billing@db.clinic.example/j3490", "for mysql"),
        ("postgresql+psycopg://billing:hunter22@db.clinic.example/j3490", "contains a password"),
        ("postgresql+psycopg://billing@db.clinic.example/j3490?sslmode=sometimes", "sslmode"),
    ],
)
def test_use_refuses_what_cannot_be_shared_and_saves_nothing(
    tmp_path: Path, url: str, says: str
) -> None:
    _refused(_cli(tmp_path, "database", "use", url), says)
    assert not (tmp_path / "shared-database.json").exists()
    # the same refusal when the URL comes as the global option, for any command
    _refused(_cli(tmp_path, "--database-url", url, "claim", "list"), says)


def test_use_saves_the_choice_and_show_says_an_unreachable_server_is_unreachable(
    tmp_path: Path,
) -> None:
    seat = tmp_path / "new-seat"
    used = _cli(seat, "database", "use", CLOSED_PORT_URL)
    assert used.returncode == 0 and "next time J3490 Desk starts" in used.stdout
    assert seat.stat().st_mode & 0o777 == 0o700  # a new data folder, private as ever
    assert (seat / "shared-database.json").stat().st_mode & 0o777 == 0o600
    shown = _cli(seat, "database", "show", "--json")
    assert shown.returncode == 2
    described = json.loads(shown.stdout)
    assert described["engine"] == "postgresql" and described["url"] == CLOSED_PORT_URL
    assert not described["reachable"] and "cannot be reached" in described["error"]
    back = _cli(seat, "database", "use", "--sqlite")
    assert back.returncode == 0 and not (seat / "shared-database.json").exists()


def test_an_unreachable_server_at_start_up_is_exit_2_with_what_to_do(tmp_path: Path) -> None:
    _refused(
        _cli(tmp_path, "--database-url", CLOSED_PORT_URL, "claim", "list"),  # before the person
        "cannot be reached (Connection refused)",
        "the server is running",
    )


def test_password_goes_to_the_keychain_only(tmp_path: Path) -> None:
    keychain = tmp_path / "keychain.json"
    env = {"PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring", FILE_ENV: str(keychain)}
    _refused(_cli(tmp_path, "database", "password", **env), "no server password")
    _cli(tmp_path, "database", "use", CLOSED_PORT_URL)
    _refused(_cli(tmp_path, "database", "password", **env), "no terminal to ask on")
    stored = _cli(tmp_path, "database", "password", J3490_DESK_DATABASE_PASSWORD="s3cret", **env)
    assert "kept in this computer's keychain" in stored.stdout
    _refused(stored, "cannot be reached")  # kept, and the check after it says the server is down
    assert json.loads(keychain.read_text()) == {
        "J3490 Desk database server|billing@127.0.0.1:1/j3490": "s3cret"
    }
    assert "s3cret" not in (tmp_path / "shared-database.json").read_text()
    _refused(_cli(tmp_path, "database", "password", "s3cret", **env), "unrecognized arguments")


@pytest.mark.postgresql
def test_show_on_the_test_server(tmp_path: Path, shared_url: str) -> None:
    shown = _cli(tmp_path, "--database-url", shared_url, "database", "show")
    assert shown.returncode == 0
    assert "engine: postgresql" in shown.stdout and "schema: 0009" in shown.stdout
    assert "reachable: yes" in shown.stdout


@pytest.mark.postgresql
def test_commands_on_the_shared_database_name_a_person(tmp_path: Path, shared_url: str) -> None:
    url = ("--database-url", shared_url)
    _refused(
        _cli(tmp_path, *url, "user", "list"), "no J3490 Desk user was named", "J3490_DESK_USER"
    )
    first = _cli(tmp_path, *url, "user", "list", **ALICE)  # the first account, as the app asks
    assert first.returncode == 0 and first.stdout.split()[0] == "alice"
    _refused(_cli(tmp_path, *url, "user", "list", J3490_DESK_USER="alice"), "no terminal to ask on")
    _refused(
        _cli(
            tmp_path, *url, "user", "list", **{**ALICE, "J3490_DESK_USER_PASSWORD": "not it at all"}
        ),
        "'alice' and that password do not match",
    )
    _refused(_cli(tmp_path, *url, "user", "list", **{**ALICE, "J3490_DESK_USER": "mallory"}))
    verified = _cli(tmp_path, *url, "audit", "verify", **ALICE)
    assert verified.returncode == 0 and "audit log intact" in verified.stdout
    assert "the audit chain lives on the database server" in verified.stdout
    assert "no head record yet" not in verified.stdout  # the one-seat folder's file note


@pytest.mark.postgresql
def test_folder_encryption_is_refused_on_a_shared_database(tmp_path: Path, shared_url: str) -> None:
    _refused(
        _cli(tmp_path, "--database-url", shared_url, "encryption", "enable"),
        "nothing here for folder encryption to protect",
        "TLS",
        "disk encryption",
        "Backups can still be encrypted with a passphrase",
    )
    assert not (tmp_path / "encryption.json").exists()
    status = _cli(tmp_path, "--database-url", shared_url, "encryption", "status")
    assert status.returncode == 0 and status.stdout.startswith("not applicable: ")


@pytest.mark.postgresql
def test_a_database_of_a_newer_version_is_refused_unchanged(
    tmp_path: Path, shared_url: str
) -> None:
    _sql(shared_url, "UPDATE alembic_version SET version_num = '9999'")
    for command in (("database", "show"), ("user", "list")):
        _refused(
            _cli(tmp_path, "--database-url", shared_url, *command, **ALICE),
            "written by a newer version of J3490 Desk (schema 9999)",
            "Install the newer version",
        )


@pytest.mark.postgresql
def test_a_database_of_another_program_is_refused_unchanged(tmp_path: Path, test_server) -> None:
    with test_server.empty_database() as url:
        _sql(url, "CREATE TABLE invoices (id integer)")
        for command in (("database", "show"), ("user", "list")):
            _refused(
                _cli(tmp_path, "--database-url", url, *command, **ALICE),
                "holds tables of some other program",
                "an empty database",
            )
        engine = create_engine(url)
        with engine.connect() as connection:
            tables = connection.exec_driver_sql(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchall()
        engine.dispose()
        assert tables == [("invoices",)]


@pytest.mark.postgresql
def test_a_database_that_does_not_exist_is_named(tmp_path: Path, test_server) -> None:
    url = test_server.url_of("shared_ui_no_such_database")
    _refused(
        _cli(tmp_path, "--database-url", url, "user", "list", **ALICE),
        "There is no database 'shared_ui_no_such_database'",
    )


@pytest.fixture(scope="module")
def scram_url() -> Iterator[str]:
    from tests.password_cluster import password_cluster, server_binaries

    if server_binaries() is None:
        pytest.skip("PostgreSQL's server binaries are not installed")
    with password_cluster() as url:
        yield url


@pytest.mark.postgresql
def test_the_keychain_password_opens_a_server_that_asks_for_one(
    tmp_path: Path, scram_url: str
) -> None:
    from tests.password_cluster import PASSWORD as SERVER_PASSWORD

    keychain = {"PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring"}
    keychain[FILE_ENV] = str(tmp_path / "keychain.json")
    assert _cli(tmp_path, "database", "use", scram_url).returncode == 0
    _refused(_cli(tmp_path, "user", "list", **ALICE, **keychain), "refused user 'billing'")
    _refused(
        _cli(tmp_path, "database", "password", J3490_DESK_DATABASE_PASSWORD="wrong", **keychain),
        "refused user 'billing'",
    )
    assert not (tmp_path / "keychain.json").exists()  # a password the server refused is not kept
    stored = _cli(
        tmp_path, "database", "password", J3490_DESK_DATABASE_PASSWORD=SERVER_PASSWORD, **keychain
    )
    assert stored.returncode == 0 and stored.stdout.splitlines()[-1].startswith("connected")
    listed = _cli(tmp_path, "user", "list", **ALICE, **keychain)
    assert listed.returncode == 0 and listed.stdout.split()[0] == "alice"
