"""`claim import` stores what the file says and tells the clerk the rest (issues 18 item 7, 11
and 19 "Import must not change what it imports")."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from j3490_desk.cli import run
from j3490_desk.models import Payer
from j3490_desk.paths import resources_dir
from j3490_desk.services import claim_json, claims, records
from j3490_desk.services.app_data import open_app_data

EXAMPLE = json.loads((resources_dir() / "examples" / "4-rare-biologic-infusion.json").read_text())


def claim_document(**payer: Any) -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    document["status"] = "draft"
    document["payer"].update(payer)
    return document


def write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    status = run(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def without_ids(document: dict[str, Any]) -> dict[str, Any]:
    copied = copy.deepcopy(document)
    copied.pop("id", None)
    for line in copied["drug_lines"]:
        line.pop("id", None)
    return copied


def test_a_payer_with_the_same_name_keeps_the_files_settings_and_says_what_differs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    first = write(tmp_path, "first.json", claim_document(pricing_policy="asp"))
    second_document = claim_document(pricing_policy="invoice_markup", markup_percent="6")
    second = write(tmp_path, "second.json", second_document)
    assert cli(capsys, data_dir, "claim", "import", str(first))[0] == 0
    status, out, err = cli(capsys, data_dir, "claim", "import", str(second))
    assert (status, out.strip()) == (0, "2")  # stdout holds the id alone
    assert "Matched saved patient #1" in err
    assert "Matched saved provider #1" in err
    assert "Saved payer #1" in err
    assert "pricing_policy: saved asp, file invoice_markup" in err
    assert "markup_percent: saved 0, file 6" in err
    assert "--use-saved payer" in err

    _, exported, _ = cli(capsys, data_dir, "claim", "export-json", "2")
    as_read = claim_json.claim_to_json(claim_json.claim_from_json(second_document))  # defaults
    assert without_ids(json.loads(exported)) == without_ids(as_read)  # as in the file


def test_use_saved_takes_the_saved_payers_settings_when_the_clerk_asks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    first = write(tmp_path, "first.json", claim_document(pricing_policy="asp"))
    second = write(tmp_path, "second.json", claim_document(markup_percent="6"))
    cli(capsys, data_dir, "claim", "import", str(first))
    status, _, err = cli(capsys, data_dir, "claim", "import", "--use-saved", "payer", str(second))
    assert status == 0
    assert "Used saved payer #1" in err
    _, exported, _ = cli(capsys, data_dir, "claim", "export-json", "2")
    assert json.loads(exported)["payer"]["pricing_policy"] == "asp"
    with pytest.raises(SystemExit) as refused:
        cli(capsys, data_dir, "claim", "import", "--use-saved", "clinic", str(second))
    assert refused.value.code == 2


def test_the_queue_and_the_check_read_the_same_filing_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18 item 7: a claim `claim check` says is due in 24 days is in `--due-within 30`."""
    data_dir = tmp_path / "data"
    first = write(tmp_path, "first.json", claim_document(kind="commercial", timely_filing_days=365))
    second = write(
        tmp_path, "second.json", claim_document(kind="commercial", timely_filing_days=30)
    )
    cli(capsys, data_dir, "claim", "import", str(first))
    cli(capsys, data_dir, "claim", "import", str(second))
    today = "2019-06-10"  # the date of service is 2019-06-04: 30 days -> 2019-07-04, 24 left
    _, out, _ = cli(capsys, data_dir, "claim", "check", "2", "--json", "--today", today)
    near = [f for f in json.loads(out) if f["code"] == "FILING_DEADLINE_NEAR"]
    assert near and "2019-07-04" in near[0]["message"]
    _, out, _ = cli(
        capsys, data_dir, "claim", "list", "--json", "--due-within", "30", "--today", today
    )
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows[2]["deadline"] == "2019-07-04"
    assert rows[2]["days_left"] == 24
    assert 1 not in rows  # its payer allows a year


def test_editing_a_saved_payer_moves_its_claims_deadlines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    document = claim_document(kind="commercial", timely_filing_days=365)
    cli(capsys, data_dir, "claim", "import", str(write(tmp_path, "a.json", document)))
    data = open_app_data(str(data_dir))
    try:
        (payer,) = records.list_records(data, Payer)
        payer.timely_filing_days = 30
        records.save_record(data, payer)
    finally:
        data.close()
    _, out, _ = cli(
        capsys, data_dir, "claim", "list", "--json", "--due-within", "30", "--today", "2019-06-10"
    )
    assert [(row["id"], row["deadline"]) for row in json.loads(out)] == [(1, "2019-07-04")]


def test_the_same_claim_imported_twice_is_named_as_a_likely_duplicate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    path = write(tmp_path, "claim.json", claim_document())
    assert "duplicate" not in cli(capsys, data_dir, "claim", "import", str(path))[2]
    status, out, err = cli(capsys, data_dir, "claim", "import", str(path))
    assert (status, out.strip()) == (0, "2")
    assert "Warning: claim 1 has the same patient, date of service (2019-06-04) and NDC" in err


def test_ready_with_a_blocker_arrives_as_a_draft_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    document = claim_document()
    document["status"] = "ready"
    path = write(tmp_path, "ready.json", document)
    status, _, err = cli(capsys, data_dir, "claim", "import", str(path))  # today: years late
    assert status == 0
    assert (
        "the file says ready, but the claim check finds 1 blocker(s): FILING_DEADLINE_PASSED" in err
    )
    _, _, err = cli(capsys, data_dir, "claim", "import", str(path), "--today", "2019-06-10")
    assert "Status: ready, as the file says; the claim check finds no blocker." in err
    data = open_app_data(str(data_dir))
    try:
        assert claims.get_claim(data, 1).status.value == "draft"
        assert claims.get_claim(data, 2).status.value == "ready"  # no blocker on 2019-06-10
    finally:
        data.close()


@pytest.mark.parametrize("said", ["submitted", "paid", "closed"])
def test_a_sent_status_arrives_as_a_draft_without_its_submission_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], said: str
) -> None:
    document = claim_document()
    document.update(status=said, submitted_on="9999-12-31" if said == "submitted" else None)
    if said == "submitted":  # a date no lifecycle allows is refused outright
        status, _, err = cli(
            capsys, tmp_path / "data", "claim", "import", str(write(tmp_path, "c.json", document))
        )
        assert status == 2 and "submitted_on" in err
        document["submitted_on"] = "2019-06-20"
    status, _, err = cli(
        capsys, tmp_path / "data", "claim", "import", str(write(tmp_path, "c.json", document))
    )
    assert status == 0
    assert f"the file says {said}, but a claim file does not carry the submission's record" in err
    _, out, _ = cli(capsys, tmp_path / "data", "claim", "list", "--json")
    assert [row["status"] for row in json.loads(out)] == ["draft"]
