"""`audit verify` on a shared database: the chain is checked as in a data folder, and the
answer says what it cannot check there (no head record), without the folder's "it is written
with the next change", which a server never does."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from j3490_desk.cli import run
from j3490_desk.models import AuditEntry
from j3490_desk.services import claims
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage.audit_head import ANCHOR_FILE
from j3490_desk.storage.server_url import DATABASE_URL_ENV
from tests.sample_claims import sample_claim

pytestmark = pytest.mark.postgresql


def test_audit_verify_on_a_shared_database(
    tmp_path: Path,
    shared_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, shared_url)
    seat = tmp_path / "seat"
    data = open_app_data(seat)
    try:
        for _ in range(2):
            claims.create_claim(data, sample_claim())
    finally:
        data.close()

    assert run(["--data-dir", str(seat), "audit", "verify"]) == 0
    assert capsys.readouterr().out == (
        "audit log intact\nnote: a shared database keeps no head record: "
        "removing the newest entries would not show\n"
    )
    assert not (seat / ANCHOR_FILE).exists()

    data = open_app_data(seat)
    try:
        with data.db.write() as session:
            entry = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).first()
            assert entry is not None
            entry.user = "mallory"
            session.add(entry)
            edited = entry.id
    finally:
        data.close()
    assert run(["--data-dir", str(seat), "audit", "verify"]) == 1
    assert f"audit entry {edited} was changed after it was written" in capsys.readouterr().out
