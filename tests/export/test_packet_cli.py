"""`j3490-desk claim packet ID --out FILE.pdf [--password P]`: exit 0, 1 unknown claim, 2 known problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from j3490_desk.cli import run
from j3490_desk.services import claims
from j3490_desk.services.app_data import open_app_data
from tests.domain.scenarios import rare_biologic


@pytest.fixture
def claim_id(tmp_path: Path) -> int:
    data = open_app_data(tmp_path / "data")
    try:
        return claims.create_claim(data, rare_biologic().claim)
    finally:
        data.close()


def test_writes_the_packet(
    tmp_path: Path, claim_id: int, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "packet.pdf"
    data_dir = str(tmp_path / "data")
    command = ["claim", "packet", str(claim_id), "--out", str(out), "--password", "pw"]
    status = run(["--data-dir", data_dir, *command, "--today", "2019-06-10"])
    assert status == 0
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("pw")
    printed = capsys.readouterr().out
    assert str(out) in printed and "control number" in printed


def test_unknown_claim_exits_1(tmp_path: Path, claim_id: int) -> None:
    data_dir = str(tmp_path / "data")
    out = tmp_path / "p.pdf"
    assert run(["--data-dir", data_dir, "claim", "packet", "99", "--out", str(out)]) == 1
    assert not out.exists()


def test_missing_folder_exits_2(tmp_path: Path, claim_id: int) -> None:
    data_dir = str(tmp_path / "data")
    out = tmp_path / "no-such-folder" / "p.pdf"
    assert run(["--data-dir", data_dir, "claim", "packet", str(claim_id), "--out", str(out)]) == 2
    assert not out.parent.exists()
