"""`j3490-desk clinic show --json | set KEY=VALUE ...` (a contract, issue 15 item 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from j3490_desk.services import records
from j3490_desk.services.app_data import open_app_data

REPOSITORY = Path(__file__).resolve().parents[2]
KEYS = [
    "name", "npi", "tax_id", "taxonomy", "address", "city", "state", "zip", "phone",
    "submitter_id", "submitter_contact", "receiver_id", "receiver_name", "usage",
]  # fmt: skip


def _cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--data-dir", str(data_dir), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_set_then_show_json_has_exactly_the_contract_keys(tmp_path: Path) -> None:
    result = _cli(
        tmp_path, "clinic", "set", "name=Lakeside Infusion", "npi=1234567893",
        "tax_id=41-1234567", "taxonomy=207Q00000X", "address=1200 Harbor Rd, Suite 4, Duluth MN 55802", "city=Duluth",
        "state=MN", "zip=558021234", "phone=218-555-0142", "submitter_id=LAKESIDE01",
        "submitter_contact=Maria Reyes", "receiver_id=CLEARHOUSE", "receiver_name=Clear House",
        "usage=P",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(_cli(tmp_path, "clinic", "show", "--json").stdout)
    assert list(shown) == KEYS
    assert shown["zip"] == "558021234" and shown["usage"] == "P" and shown["city"] == "Duluth"
    # the same row Settings > Clinic edits: one store
    data = open_app_data(tmp_path)
    try:
        settings = records.get_settings(data)
    finally:
        data.close()
    assert (settings.group_npi, settings.name) == ("1234567893", "Lakeside Infusion")


@pytest.mark.parametrize(
    ("assignment", "words"),
    [
        ("npi=1234567890", "npi: The last digit should be 3"),
        ("zip=5580", "ZIP code '5580' has 4 digits"),
        ("state=Minnesota", "not a state"),
        ("tax_id=41123", "tax ID has 5 digits"),
        ("usage=X", "Usage is T"),
        ("taxonomy=207Q", "not a provider taxonomy code"),
        ("submitter_id=has space", "not an X12 ID"),
        ("colour=blue", "'colour' is not a clinic setting"),
        ("city", "not KEY=VALUE"),
    ],
)
def test_a_bad_value_is_exit_2_and_nothing_is_saved(
    tmp_path: Path, assignment: str, words: str
) -> None:
    result = _cli(tmp_path, "clinic", "set", "name=Kept Out", assignment)
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr
    shown = json.loads(_cli(tmp_path, "clinic", "show", "--json").stdout)
    assert shown["name"] == ""  # the good value beside it was not saved either
