"""A shared server that dropped this seat's connections (restarted, or the laptop slept) is
met with new ones, not with a false "cannot be reached"."""

from __future__ import annotations

from pathlib import Path

import pytest

from j3490_desk.services import claim_list
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage import server_database
from tests.test_server import TestServer

pytestmark = pytest.mark.postgresql


def _drop_connections(server: TestServer, url: str) -> int:
    database = url.rsplit("/", 1)[1]
    rows = server.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    )
    return len(rows)


def test_connections_the_server_dropped_are_replaced(
    test_server: TestServer, shared_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = open_app_data(tmp_path / "seat", database_url=shared_url)
    try:
        assert claim_list.list_claims(data) == []
        with data.db.read() as session:  # a second pooled connection, idle in the pool too
            session.connection()
        assert _drop_connections(test_server, shared_url) >= 1
        monkeypatch.setattr(server_database, "IDLE_PING_S", 0.0)  # both count as left idle

        assert claim_list.list_claims(data) == []
        with data.db.read() as session:
            assert session.connection().exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        data.close()


def test_without_the_check_a_dropped_connection_fails(
    test_server: TestServer, shared_url: str, tmp_path: Path
) -> None:
    """The check above is what makes the difference: a connection used just now is trusted."""
    data = open_app_data(tmp_path / "seat", database_url=shared_url)
    try:
        claim_list.list_claims(data)
        _drop_connections(test_server, shared_url)
        with pytest.raises(server_database.ServerUnreachableError):
            claim_list.list_claims(data)
        assert claim_list.list_claims(data) == []  # and the pool has let the dead one go
    finally:
        data.close()
