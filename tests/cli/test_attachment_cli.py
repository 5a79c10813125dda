"""`j3490-desk attachments add | list --json` as a script runs them (a contract, issue 19)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from j3490_desk import cli
from j3490_desk.cli import attachment_commands, label_commands
from j3490_desk.services import attachments, checks, claims
from j3490_desk.services.app_data import open_app_data
from j3490_desk.services.attachments import AttachmentKind
from tests.attachments import files
from tests.sample_claims import sample_claim

REPOSITORY = Path(__file__).resolve().parents[2]
LIST_KEYS = {"sha256", "kind", "line", "file_name", "pages"}


def _cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--data-dir", str(data_dir), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def stored_claim(tmp_path: Path) -> tuple[Path, int]:
    """A two-drug claim in its own data folder (closed again before the CLI opens it)."""
    data_dir = tmp_path / "data"
    data = open_app_data(data_dir)
    try:
        claim = sample_claim()
        claim_id = claims.create_claim(data, sample_claim(drug_lines=claim.drug_lines * 2))
    finally:
        data.close()
    return data_dir, claim_id


def test_the_attachments_group_is_registered_once() -> None:
    assert attachment_commands in cli.COMMAND_GROUPS
    assert label_commands in cli.COMMAND_GROUPS  # `label read` stays where it was


def test_add_prints_the_sha256_and_list_json_has_the_contract_keys(
    stored_claim: tuple[Path, int], tmp_path: Path
) -> None:
    data_dir, claim_id = stored_claim
    invoice = files.invoice_pdf(tmp_path / "invoice.pdf")
    added = _cli(data_dir, "attachments", "add", str(claim_id), str(invoice), "--kind", "invoice",
                 "--line", "2")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == hashlib.sha256(invoice.read_bytes()).hexdigest()
    order = files.invoice_pdf(tmp_path / "order.pdf", price="1.00")
    assert _cli(data_dir, "attachments", "add", str(claim_id), str(order), "--kind",
                "order").returncode == 0  # fmt: skip

    listed = _cli(data_dir, "attachments", "list", str(claim_id), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [set(row) for row in rows] == [LIST_KEYS, LIST_KEYS]
    assert rows[0] == {
        "sha256": added.stdout.strip(),
        "kind": "invoice",
        "line": 2,
        "file_name": "invoice.pdf",
        "pages": 1,
    }
    assert (rows[1]["kind"], rows[1]["line"]) == ("order", None)

    # The same service as the app: the file is evidence for line 2 only, and audited.
    data = open_app_data(data_dir)
    try:
        (stored, _) = attachments.list_attachments(data, claim_id)
        assert stored.kind is AttachmentKind.INVOICE
        findings = checks.claim_findings(data, claim_id, today=sample_claim().date_of_service)
    finally:
        data.close()
    missing = {(f.code, f.line) for f in findings if f.code.startswith("INVOICE_")}
    assert ("INVOICE_NOT_SENT", 0) in missing and not any(line == 1 for _, line in missing)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "999", "{invoice}", "--kind", "invoice"], "no claim with id 999"),
        (["add", "{claim}", "{folder}/absent.pdf", "--kind", "invoice"], "cannot be read"),
        (["add", "{claim}", "{invoice}", "--kind", "receipt"], "invalid choice: 'receipt'"),
        (["add", "{claim}", "{invoice}", "--kind", "label", "--line", "3"], "no drug line 3"),
        (["add", "{claim}", "{folder}/notes.txt", "--kind", "other"], "not a file type"),
        (["list", "999", "--json"], "no claim with id 999"),
    ],
)
def test_bad_input_is_a_message_and_exit_2(
    stored_claim: tuple[Path, int], tmp_path: Path, argv: list[str], message: str
) -> None:
    data_dir, claim_id = stored_claim
    invoice = files.invoice_pdf(tmp_path / "invoice.pdf")
    (tmp_path / "notes.txt").write_text("not a scan")
    values = {"claim": str(claim_id), "invoice": str(invoice), "folder": str(tmp_path)}
    result = _cli(data_dir, "attachments", *(part.format(**values) for part in argv))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    data = open_app_data(data_dir)
    try:
        assert attachments.list_attachments(data, claim_id) == []  # nothing stored
    finally:
        data.close()
