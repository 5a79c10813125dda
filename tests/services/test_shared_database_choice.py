"""The seat's database choice as Settings > Data holds it: fields to URL and back, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from j3490_desk.errors import InvalidInputError, KnownError
from j3490_desk.services import shared_database
from j3490_desk.services.shared_database import ServerFields


def test_fields_make_the_url_and_come_back_from_it() -> None:
    fields = ServerFields("db.clinic.example", 5433, "j3490", "billing", "verify-full")
    server = shared_database.address_from_fields(fields)
    assert server.text == (
        "postgresql+psycopg://billing@db.clinic.example:5433/j3490?sslmode=verify-full"
    )
    assert shared_database.fields_of(server) == fields


def test_a_url_without_sslmode_shows_libpqs_own_default() -> None:
    server = shared_database.parse_server_url("postgresql+psycopg://billing@db/j3490")
    assert shared_database.fields_of(server).sslmode == "prefer"


@pytest.mark.parametrize("empty", ["host", "database", "user"])
def test_an_empty_field_is_named(empty: str) -> None:
    fields = {"host": "db", "database": "j3490", "user": "billing"} | {empty: "  "}
    with pytest.raises(InvalidInputError) as refused:
        shared_database.address_from_fields(ServerFields(**fields))
    label = {"host": "server"}.get(empty, empty)
    assert refused.value.message == f"The {label} is empty."


def test_a_user_name_cannot_smuggle_a_password_into_the_url() -> None:
    fields = ServerFields("db", 5432, "j3490", "billing:hunter22", "prefer")
    server = shared_database.address_from_fields(fields)  # the colon is the name's, escaped
    assert server.url.password is None and server.url.username == "billing:hunter22"


def test_a_broken_choice_file_is_a_message_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(shared_database.DATABASE_URL_ENV, raising=False)  # the file's choice
    (tmp_path / "shared-database.json").write_text("{not json")
    with pytest.raises(KnownError) as refused:
        shared_database.saved_choice(tmp_path)
    assert "Choose the shared database again in Settings > Data" in refused.value.hint
    said = shared_database.save_choice(tmp_path, None)  # choosing again mends it
    assert said.startswith("Saved: this computer will use the SQLite file")
    assert shared_database.saved_choice(tmp_path) is None
