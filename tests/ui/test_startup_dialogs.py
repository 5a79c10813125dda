"""What the clerk sees when the data folder is in trouble at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from j3490_desk.services import backups, claims
from j3490_desk.services.app_data import open_app_data
from j3490_desk.ui.app import create_application, open_data_or_explain
from tests.sample_claims import sample_claim


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record message boxes instead of showing them; answer Yes to questions."""
    shown: list[tuple[str, str]] = []

    def record(kind: str, answer: object = None) -> object:
        def box(parent: object, title: str, text: str, *args: object) -> object:
            shown.append((kind, text))
            return answer

        return box

    monkeypatch.setattr(QMessageBox, "critical", record("critical"))
    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    return shown


def _damage(database: Path) -> bytes:
    damaged = b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 300
    database.write_bytes(damaged)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return damaged


def test_damaged_database_without_backup_is_explained_and_untouched(
    qapp: object, tmp_path: Path, dialogs: list[tuple[str, str]]
) -> None:
    create_application()
    tmp_path.joinpath("claims.sqlite").write_bytes(b"not a database")
    assert open_data_or_explain(str(tmp_path)) is None
    assert dialogs[0][0] == "critical" and "not a J3490 Desk database" in dialogs[0][1]
    assert tmp_path.joinpath("claims.sqlite").read_bytes() == b"not a database"


def test_damaged_database_offers_the_latest_backup_and_keeps_the_damaged_file(
    qapp: object, tmp_path: Path, dialogs: list[tuple[str, str]]
) -> None:
    create_application()
    data = open_app_data(tmp_path)
    claim_id = claims.create_claim(data, sample_claim())
    backups.back_up(data)
    data.close()
    damaged = _damage(tmp_path / "claims.sqlite")
    restored = open_data_or_explain(str(tmp_path))
    assert restored is not None
    try:
        assert dialogs[0][0] == "question" and "Restore the latest backup" in dialogs[0][1]
        assert claims.get_claim(restored, claim_id).patient.name == "Roe, Jane"
    finally:
        restored.close()
    kept = list(tmp_path.glob("claims-damaged-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


def test_network_share_is_warned_about(
    qapp: object, tmp_path: Path, dialogs: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    monkeypatch.setattr("j3490_desk.services.app_data.is_network_path", lambda path: True)
    data = open_data_or_explain(str(tmp_path))
    assert data is not None
    data.close()
    assert dialogs[0][0] == "warning" and "sqlite.org/useovernet.html" in dialogs[0][1]
