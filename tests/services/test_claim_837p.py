"""Exporting stored claims as an 837P (services.claim_837p and `j3490-desk claim 837p`): the
app's gate, the clinic's details, the packet's control number, nothing half-written."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from j3490_desk.domain import claim as d
from j3490_desk.services import claim_837p, claim_history, claims, clinic, packets
from j3490_desk.services.app_data import AppData, open_app_data
from j3490_desk.services.claim_837p import ExportRefused
from tests.export.x12_claims import SUBMITTER, electronic_sample_claim
from tests.sample_claims import sample_claim

REPOSITORY = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 20)


def _set_clinic(data: AppData) -> None:
    clinic.set_clinic_details(data, dataclasses.asdict(SUBMITTER))


def test_the_pwk_number_is_the_one_printed_on_the_saved_packet(
    app_data: AppData, tmp_path: Path
) -> None:
    _set_clinic(app_data)
    claim_id = claims.create_claim(
        app_data, electronic_sample_claim(documents_sent=d.DocumentsSent.FAX)
    )
    out = tmp_path / "claims.837"
    with pytest.raises(ExportRefused, match="no packet with its current content"):
        claim_837p.export_837p(app_data, [claim_id], out, today=TODAY)
    assert not out.exists()

    packet = packets.export_packet(app_data, claim_id, tmp_path / "packet.pdf", today=TODAY)
    printed = PdfReader(tmp_path / "packet.pdf").pages[0].extract_text()
    result = claim_837p.export_837p(app_data, [claim_id], out, today=TODAY)
    [pwk] = [s for s in out.read_text().splitlines() if s.startswith("PWK*")]
    acn = pwk.rstrip("~").split("*")[6]
    assert acn == packet.control_number and acn in printed
    assert result.claim_ids == (claim_id,)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert claims.get_claim(app_data, claim_id).status is d.ClaimStatus.DRAFT  # unchanged
    [written] = [e for e in claim_history.claim_history(app_data, claim_id)
                 if e.what == "837P file written"]  # fmt: skip
    assert {c.field for c in written.changes} == {"file name", "sha256", "interchange number"}


def test_a_blocker_or_a_missing_clinic_detail_refuses_and_writes_nothing(
    app_data: AppData, tmp_path: Path
) -> None:
    blocked = claims.create_claim(app_data, sample_claim())  # no NDC unit: a blocker
    out = tmp_path / "claims.837"
    with pytest.raises(ExportRefused) as refused:
        claim_837p.export_837p(app_data, [blocked], out, today=TODAY)
    message = str(refused.value)
    assert "the clinic's npi is missing" in message and "the clinic's tax_id is missing" in message
    assert f"claim {blocked}: NDC_QUANTITY_INVALID" in message
    assert f"claim {blocked}: X12_PATIENT_ADDRESS_MISSING" in message
    assert not out.exists() and list(tmp_path.glob(".claims.837*")) == []


def _cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--data-dir", str(data_dir), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_command_line_contract(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data = open_app_data(data_dir)
    try:
        ready = claims.create_claim(data, electronic_sample_claim(status=d.ClaimStatus.READY))
        draft = claims.create_claim(data, electronic_sample_claim())
    finally:
        data.close()
    out = tmp_path / "out.837"

    missing = _cli(data_dir, "claim", "837p", str(ready), "--out", str(out))
    assert missing.returncode == 1 and "the clinic's submitter_id is missing" in missing.stderr
    assert not out.exists()

    settings = [f"{key}={value}" for key, value in dataclasses.asdict(SUBMITTER).items()]
    assert _cli(data_dir, "clinic", "set", *settings).returncode == 0
    written = _cli(data_dir, "claim", "837p", "--status", "ready", "--out", str(out))
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == str(out)
    text = out.read_text()
    assert [s.split("*")[1] for s in text.splitlines() if s.startswith("CLM*")] == [str(ready)]
    listed = json.loads(_cli(data_dir, "claim", "list", "--json").stdout)
    assert {row["id"]: row["status"] for row in listed} == {ready: "ready", draft: "draft"}

    both = _cli(data_dir, "claim", "837p", str(ready), str(draft), "--out", str(out))
    assert both.returncode == 0 and text.count("CLM*") == 1
    assert out.read_text().count("CLM*") == 2

    for argv, words in (
        ([str(99)], "no claim with id 99"),
        (["--status", "ready", str(ready)], "not both"),
    ):
        bad = _cli(data_dir, "claim", "837p", *argv, "--out", str(out))
        assert bad.returncode == 2 and words in bad.stderr, bad.stderr
    nowhere = _cli(data_dir, "claim", "837p", str(ready), "--out", str(tmp_path / "no" / "x.837"))
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr
    assert "Traceback" not in nowhere.stderr


def test_two_exports_in_the_same_second_never_share_an_interchange_number(
    app_data: AppData, tmp_path: Path
) -> None:
    """A clearinghouse rejects a repeated ISA13 as a duplicate file: the clock's seconds gave
    the same number to two exports in one second, and would again after a clock set back."""
    _set_clinic(app_data)
    claim_id = claims.create_claim(app_data, electronic_sample_claim())
    moment = datetime(2026, 11, 20, 14, 30, 5).astimezone()
    numbers = [
        claim_837p.export_837p(
            app_data, [claim_id], tmp_path / f"{n}.837", today=TODAY, now=when
        ).interchange_number
        for n, when in enumerate([moment, moment, moment - timedelta(days=1)])
    ]
    assert len(set(numbers)) == 3 and numbers == sorted(numbers)
    isa13 = {(tmp_path / f"{n}.837").read_text().split("*")[13] for n in range(3)}
    assert len(isa13) == 3
