"""`j3490-desk claim ready | submit` as a script runs them (a contract, issue 15 item 1)."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from j3490_desk.services import claims
from j3490_desk.services.app_data import open_app_data
from tests.sample_claims import sample_claim
from tests.work_queue.helpers import PDF

REPOSITORY = Path(__file__).resolve().parents[2]


def _cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--data-dir", str(data_dir), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _store(data_dir: Path, *, complete: bool) -> int:
    """The sample claim; without the NDC unit qualifier its check keeps one blocker."""
    claim = sample_claim()
    if complete:
        line = claim.drug_lines[0]
        line = dataclasses.replace(
            line, package=dataclasses.replace(line.package, ndc_unit_qualifier="ML")
        )
        claim = dataclasses.replace(claim, drug_lines=(line,))
    data = open_app_data(data_dir)
    try:
        return claims.create_claim(data, claim)
    finally:
        data.close()


def _status(data_dir: Path, claim_id: int) -> str:
    shown = _cli(data_dir, "claim", "list", "--json")
    return {row["id"]: row["status"] for row in json.loads(shown.stdout)}[claim_id]


def test_ready_exits_1_naming_the_blocker_and_leaves_the_claim_a_draft(tmp_path: Path) -> None:
    claim_id = _store(tmp_path, complete=False)
    result = _cli(tmp_path, "claim", "ready", str(claim_id))
    assert result.returncode == 1
    assert "NDC_QUANTITY_INVALID" in result.stderr
    assert "Traceback" not in result.stderr
    assert _status(tmp_path, claim_id) == "draft"


def test_ready_then_submit_with_proof_moves_the_claim(tmp_path: Path) -> None:
    claim_id = _store(tmp_path, complete=True)
    ready = _cli(tmp_path, "claim", "ready", str(claim_id))
    assert ready.returncode == 0, ready.stderr
    assert ready.stdout.startswith(f"Claim {claim_id} is ready")
    assert _status(tmp_path, claim_id) == "ready"

    proof = tmp_path / "confirmation.pdf"
    proof.write_bytes(PDF)
    submit = ["claim", "submit", str(claim_id), "--how", "clearinghouse", "--reference", "TRN-88"]
    without_proof = _cli(tmp_path, *submit, "--date", "2026-11-05")
    assert without_proof.returncode == 2
    assert "proof of filing" in without_proof.stderr
    assert _status(tmp_path, claim_id) == "ready"

    done = _cli(tmp_path, *submit, "--proof", str(proof), "--date", "2026-11-05")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Claim {claim_id} is submitted (clearinghouse)."
    assert _status(tmp_path, claim_id) == "submitted"
    listed = _cli(tmp_path, "attachments", "list", str(claim_id), "--json")
    assert [row["file_name"] for row in json.loads(listed.stdout)] == ["confirmation.pdf"]


@pytest.mark.parametrize(
    ("argv", "status", "words"),
    [
        (["claim", "ready", "99"], 1, "no claim with id 99"),
        (["claim", "submit", "{id}", "--how", "mail"], 2, "invalid choice"),
        (["claim", "submit", "{id}", "--how", "fax", "--date", "5/11/2026"], 2, "--date"),
        # A draft cannot be submitted: the same rule as the app's status dialog.
        (["claim", "submit", "{id}", "--how", "fax", "--reference", "R"], 2, "draft claim"),
    ],
)
def test_bad_input_is_a_message_and_no_move(
    tmp_path: Path, argv: list[str], status: int, words: str
) -> None:
    claim_id = _store(tmp_path, complete=True)
    result = _cli(tmp_path, *[part.format(id=claim_id) for part in argv])
    assert result.returncode == status
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert _status(tmp_path, claim_id) == "draft"
