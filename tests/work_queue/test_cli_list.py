"""`claim list --json --due-within`: the contract fields deadline and days_left."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from j3490_desk.cli import run
from j3490_desk.domain import claim as d
from j3490_desk.services import claims
from j3490_desk.services.app_data import open_app_data
from tests.sample_claims import sample_claim


def test_list_json_has_deadline_and_days_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    data = open_app_data(data_dir)
    payer = d.Payer(name="Aetna", timely_filing_days=90)
    claims.create_claim(data, sample_claim())  # Medicare: deadline 2027-11-02
    claims.create_claim(data, sample_claim(payer=payer, date_of_service=date(2026, 9, 1)))
    data.close()
    base = ["--data-dir", str(data_dir), "claim", "list", "--json", "--today", "2026-11-27"]
    assert run(base) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["deadline"], r["days_left"]) for r in rows] == [
        ("2027-11-02", 340),
        ("2026-11-30", 3),
    ]
    assert run([*base, "--due-within", "3"]) == 0
    assert [r["days_left"] for r in json.loads(capsys.readouterr().out)] == [3]
    assert run([*base, "--status", "paid"]) == 0
    assert json.loads(capsys.readouterr().out) == []
