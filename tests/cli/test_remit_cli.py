"""`j3490-desk remit import FILE.835 [--json]` as a script runs it (a contract, issue 16)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from j3490_desk.services import claims
from j3490_desk.services.app_data import open_app_data
from tests.remittance.era import claim_payment, era, service_line
from tests.work_queue.helpers import claim_in

REPOSITORY = Path(__file__).resolve().parents[2]
KEYS = {"posted", "already_posted", "unmatched", "reversed", "problems"}


def _cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run(
        [sys.executable, "-m", "j3490_desk", "--data-dir", str(data_dir), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _folder(tmp_path: Path) -> tuple[Path, int, int]:
    """A submitted claim and a draft, in a data folder closed before the CLI opens it."""
    data_dir = tmp_path / "data"
    data = open_app_data(data_dir)
    try:
        sent = claim_in(data, "submitted", submitted_on=date(2026, 11, 5))
        draft = claim_in(data, "draft")
    finally:
        data.close()
    return data_dir, sent, draft


def _era(sent: int, draft: int) -> bytes:
    line = service_line(
        "J3590", "60100.00", "0.00", modifiers=("JZ",), control=(sent, 0),
        adjustments=[("CO", "16", "60100.00")], remarks=["M119"],
    )  # fmt: skip
    return era(
        [
            claim_payment(sent, "4", "60100.00", "0.00", lines=[line]),
            claim_payment("88888", "1", "10.00", "10.00"),
            claim_payment(draft, "1", "60100.00", "60100.00", payer_number="D1"),
            claim_payment(sent, "1", "100.00", "90.00", payer_number="B1"),  # 100 less no adjustment is not 90
        ]
    )


def test_import_json_has_exactly_the_contract_keys_and_exit_0(tmp_path: Path) -> None:
    data_dir, sent, draft = _folder(tmp_path)
    path = tmp_path / "era.835"
    path.write_bytes(_era(sent, draft))
    run = _cli(data_dir, "remit", "import", str(path), "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert set(result) == KEYS
    assert (result["posted"], result["unmatched"], result["reversed"]) == ([sent], ["88888"], [])
    segments = [p["segment"] for p in result["problems"]]
    assert set(result["problems"][0]) == {"segment", "message"}
    assert segments == [
        f"CLP*{draft}*1*60100.00*60100.00**MB*D1*11*1~",
        f"CLP*{sent}*1*100.00*90.00**MB*B1*11*1~",
    ]
    again = json.loads(_cli(data_dir, "remit", "import", str(path), "--json").stdout)
    assert (again["posted"], again["already_posted"]) == ([], [sent])
    data = open_app_data(data_dir)
    try:
        assert claims.get_claim(data, sent).status.value == "denied"
    finally:
        data.close()


def test_text_output_names_each_claim(tmp_path: Path) -> None:
    data_dir, sent, draft = _folder(tmp_path)
    path = tmp_path / "era.835"
    path.write_bytes(_era(sent, draft))
    run = _cli(data_dir, "remit", "import", str(path))
    assert run.returncode == 0, run.stderr
    assert f"claim {sent}: posted - Denied" in run.stdout
    assert "payer claim number 88888: unmatched" in run.stdout


def test_an_837_or_a_damaged_file_exits_2_with_a_message_and_posts_nothing(
    tmp_path: Path,
) -> None:
    data_dir, sent, draft = _folder(tmp_path)
    content = _era(sent, draft)
    for name, bad in (
        ("claim.837", content.replace(b"GS*HP", b"GS*HC")),
        ("cut.835", content[: len(content) // 2]),
        ("missing.835", None),
    ):
        path = tmp_path / name
        if bad is not None:
            path.write_bytes(bad)
        run = _cli(data_dir, "remit", "import", str(path), "--json")
        assert run.returncode == 2, name
        assert run.stdout == "" and "Traceback" not in run.stderr and name in run.stderr
    data = open_app_data(data_dir)
    try:
        assert claims.get_claim(data, sent).status.value == "submitted"
    finally:
        data.close()
