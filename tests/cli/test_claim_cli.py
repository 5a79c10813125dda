"""`j3490-desk claim ...` as a script would call it: exact output, exit statuses, no stray writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from j3490_desk import __version__
from j3490_desk.cli import run
from j3490_desk.services import claim_json
from j3490_desk.storage.server_url import DATABASE_URL_ENV
from tests.sample_claims import sample_claim


@pytest.fixture
def claim_file(tmp_path: Path) -> Path:
    path = tmp_path / "claim.json"
    path.write_text(json.dumps(claim_json.claim_to_json(sample_claim())), encoding="utf-8")
    return path


def test_import_prints_id_then_list_and_export(
    tmp_path: Path, claim_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(tmp_path / "data")
    assert run(["--data-dir", data_dir, "claim", "import", str(claim_file)]) == 0
    assert capsys.readouterr().out.strip() == "1"
    assert run(["--data-dir", data_dir, "claim", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["patient"], r["status"]) for r in rows] == [(1, "Roe, Jane", "draft")]
    assert run(["--data-dir", data_dir, "claim", "export-json", "1"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["drug_lines"][0]["id"] == 1  # the store's ids travel; an import ignores them
    exported["drug_lines"][0]["id"] = None
    assert claim_json.claim_from_json(exported) == sample_claim()


def test_schema_violation_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"patient": {"name": "x"}}), encoding="utf-8")
    assert run(["--data-dir", str(data_dir), "claim", "import", str(bad)]) == 2
    assert "Claim field payer: is required but missing" in capsys.readouterr().err
    assert run(["--data-dir", str(data_dir), "claim", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_unknown_claim_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(tmp_path), "claim", "export-json", "7"]) == 1
    assert "no claim with id 7" in capsys.readouterr().err


def test_env_var_chooses_the_data_folder(
    tmp_path: Path,
    claim_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("J3490_DESK_DATA_DIR", str(tmp_path / "from-env"))
    assert run(["claim", "import", str(claim_file)]) == 0
    assert (tmp_path / "from-env").is_dir()
    if not os.environ.get(DATABASE_URL_ENV):  # on a server the claims are there, not in the folder
        assert (tmp_path / "from-env" / "claims.sqlite").exists()


def test_console_script_prints_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"j3490-desk {__version__}"


def test_claim_packet_is_a_claim_command() -> None:
    from j3490_desk.cli import build_parser
    from j3490_desk.cli.packet_commands import run_packet

    args = build_parser().parse_args(["claim", "packet", "7", "--out", "claim-7.pdf"])
    assert args.handler is run_packet


def test_check_names_each_finding_s_item_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`claim check` is read by a clerk: "Filing deadline", "Item 2", never the checklist's key
    ("timely_filing", "coding"); the --json output keeps the key for scripts."""
    example = Path(__file__).parents[2] / "resources" / "examples" / "1-new-immunotherapy.json"
    data_dir = str(tmp_path / "data")
    run(["--data-dir", data_dir, "claim", "check", str(example), "--today", "2026-12-05"])
    out = capsys.readouterr().out
    assert "FILING_DEADLINE_PASSED (Filing deadline):" in out
    assert "INVOICE_NOT_SENT (Item 2, drug 1):" in out
    assert "timely_filing" not in out and "(item " not in out
    run(["--data-dir", data_dir, "claim", "check", str(example), "--json", "--today", "2026-12-05"])
    items = {f["code"]: f["item"] for f in json.loads(capsys.readouterr().out)}
    assert items["FILING_DEADLINE_PASSED"] == "timely_filing"
