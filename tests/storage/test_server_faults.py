"""A shared server that fails: gone in the middle of a session, or refusing the password.

Mid-session, a TCP relay between the seat and the test server (tests/server_relay.py) is cut,
as a network cable pulled out would: the save that finds out is refused with a message saying what to do, the
claims saved before are all there, and the next save after the relay is back goes through.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from j3490_desk.services import claims
from j3490_desk.services.app_data import open_app_data
from j3490_desk.services.shared_database import check_server, parse_server_url
from j3490_desk.storage.server_database import (
    ServerLoginError,
    ServerTlsError,
    ServerUnreachableError,
    open_server_database,
)
from j3490_desk.storage.server_url import KEYCHAIN_SERVICE
from tests.password_cluster import PASSWORD, password_cluster, server_binaries
from tests.sample_claims import sample_claim
from tests.server_relay import Relay, relayed

pytestmark = pytest.mark.postgresql


def test_a_server_gone_mid_session_refuses_the_save_and_loses_nothing(
    tmp_path: Path, shared_url: str
) -> None:
    with relayed(shared_url) as (relay, through_relay):
        saved = _save_through(relay, through_relay, tmp_path)
    direct = open_app_data(tmp_path / "other-seat", database_url=shared_url)
    try:
        assert [claims.get_claim(direct, i).patient.name for i in saved] == ["Roe, Jane"] * 2
    finally:
        direct.close()


def _save_through(relay: Relay, through_relay: str, tmp_path: Path) -> list[int]:
    """One claim saved, the relay cut, a save refused, the relay back, one more saved."""
    data = open_app_data(tmp_path, database_url=through_relay)
    try:
        saved = claims.create_claim(data, sample_claim())
        relay.cut()
        with pytest.raises(ServerUnreachableError) as refused:
            claims.create_claim(data, sample_claim())
        assert "cannot be reached" in refused.value.message
        assert "the last change was not saved" in refused.value.message
        assert "What you typed is still on screen" in refused.value.hint
        with pytest.raises(ServerUnreachableError) as stale:
            claims.get_claim(data, saved)
        assert "stopped answering" in stale.value.message

        relay.start()  # the network is back, on the same port: the same session saves again
        return [saved, claims.create_claim(data, sample_claim())]
    finally:
        data.close()


@pytest.fixture(scope="module")
def scram_url() -> Iterator[str]:
    if server_binaries() is None:
        pytest.skip("PostgreSQL's server binaries are not installed")
    with password_cluster() as url:
        yield url


@pytest.fixture
def keychain(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    import keyring

    kept: dict[tuple[str, str], str] = {}
    monkeypatch.setattr(keyring, "set_password", lambda s, u, p: kept.__setitem__((s, u), p))
    monkeypatch.setattr(keyring, "get_password", lambda s, u: kept.get((s, u)))
    return kept


@pytest.mark.parametrize("password", [None, "not the password"])
def test_a_missing_or_wrong_password_is_named_with_where_to_put_it(
    scram_url: str,
    password: str | None,
    monkeypatch: pytest.MonkeyPatch,
    keychain: dict[tuple[str, str], str],
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    if password is not None:
        monkeypatch.setenv("PGPASSWORD", password)
    server = parse_server_url(scram_url)
    with pytest.raises(ServerLoginError) as refused:
        open_server_database(server)
    assert refused.value.message == (
        f"The database server {server.label} refused user 'billing': wrong or missing password."
    )
    assert (
        "j3490-desk database password" in refused.value.hint and "PGPASSWORD" in refused.value.hint
    )
    with pytest.raises(ServerLoginError):  # Test connection says the same
        check_server(server, password)


def test_the_password_comes_from_the_keychain_pgpassword_or_pgpass(
    scram_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    keychain: dict[tuple[str, str], str],
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    server = parse_server_url(scram_url)
    assert check_server(server, PASSWORD).startswith("connected")  # typed, not yet kept
    keychain[(KEYCHAIN_SERVICE, server.keychain_user)] = PASSWORD
    open_server_database(server).dispose()
    keychain.clear()
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    open_server_database(server).dispose()
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{server.url.port}:j3490:billing:{PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    open_server_database(server).dispose()


def test_a_server_without_tls_under_sslmode_require_is_a_tls_message(shared_url: str) -> None:
    """The test server offers no TLS: the clerk hears about TLS, not 'cannot be reached'."""
    server = parse_server_url(f"{shared_url}?sslmode=require")
    with pytest.raises(ServerTlsError) as refused:
        check_server(server)
    assert refused.value.message == (
        f"The secure connection (TLS) to the database server {server.label} could not be set "
        "up: server does not support SSL, but SSL was required."
    )
    assert "root.crt" in refused.value.hint and "ask your IT person" in refused.value.hint
