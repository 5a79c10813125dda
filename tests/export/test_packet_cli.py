"""`j3490-desk claim packet ID --out FILE.pdf [--password]`: exit 0, 1 unknown claim, 2 known problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from j3490_desk.cli import run
from j3490_desk.cli.packet_commands import PACKET_PASSWORD_ENV
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


def test_writes_the_packet_with_the_password_from_the_environment(
    tmp_path: Path,
    claim_id: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PACKET_PASSWORD_ENV, "payer-pw-2026")
    out = tmp_path / "packet.pdf"
    data_dir = str(tmp_path / "data")
    command = ["claim", "packet", str(claim_id), "--out", str(out), "--password"]
    status = run(["--data-dir", data_dir, *command, "--today", "2019-06-10"])
    assert status == 0
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("payer-pw-2026")
    printed = capsys.readouterr().out
    assert str(out) in printed and "control number" in printed


def test_password_asks_at_the_terminal_twice(
    tmp_path: Path, claim_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PACKET_PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["payer-pw-2026", "payer-pw-2026"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    out = tmp_path / "packet.pdf"
    command = ["claim", "packet", str(claim_id), "--out", str(out), "--password"]
    assert run(["--data-dir", str(tmp_path / "data"), *command]) == 0
    assert PdfReader(out).decrypt("payer-pw-2026")


@pytest.mark.parametrize("password", ["", "x"])
def test_an_empty_or_one_character_password_is_refused(
    tmp_path: Path, claim_id: int, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.setenv(PACKET_PASSWORD_ENV, password)
    out = tmp_path / "packet.pdf"
    command = ["claim", "packet", str(claim_id), "--out", str(out), "--password"]
    assert run(["--data-dir", str(tmp_path / "data"), *command]) == 2
    assert not out.exists()


def test_password_without_a_terminal_or_variable_is_refused(
    tmp_path: Path, claim_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PACKET_PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    out = tmp_path / "packet.pdf"
    command = ["claim", "packet", str(claim_id), "--out", str(out), "--password"]
    assert run(["--data-dir", str(tmp_path / "data"), *command]) == 2
    assert not out.exists()


def test_a_password_given_as_an_argument_still_works_with_a_warning(
    tmp_path: Path,
    claim_id: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PACKET_PASSWORD_ENV, raising=False)
    out = tmp_path / "packet.pdf"
    command = ["claim", "packet", str(claim_id), "--out", str(out), "--password", "payer-pw-2026"]
    assert run(["--data-dir", str(tmp_path / "data"), *command]) == 0
    assert PdfReader(out).decrypt("payer-pw-2026")
    assert "shows the password to every user" in capsys.readouterr().err


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
