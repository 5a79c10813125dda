"""`j3490-desk reference ...` and `j3490-desk ndc ...`: output, JSON keys and exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from j3490_desk import cli
from j3490_desk.cli import reference_commands
from tests.reference.conftest import CMS_FILES, CROSSWALK_2026Q1, NOC_PRICING, REFERENCE_FIXTURES

CONTRACT_KEYS = {
    "ndc11",
    "ndc_hyphenated",
    "proprietary_name",
    "nonproprietary_name",
    "dosage_form",
    "route",
    "labeler",
    "marketing_category",
    "fda_approved",
    "oral",
    "active_on_date",
    "hcpcs",
    "billing_units_per_package",
}


def test_reference_commands_are_registered() -> None:
    assert reference_commands in cli.COMMAND_GROUPS


@pytest.fixture
def loaded(data_dir: Path, ndctext_zip: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(data_dir, "reference", "import", str(ndctext_zip), *map(str, CMS_FILES)) == 0
    capsys.readouterr()
    return data_dir


def run(data_dir: Path, *args: str) -> int:
    return cli.run(["--data-dir", str(data_dir), *args])


def test_import_prints_a_summary_per_file_and_progress_on_stderr(
    data_dir: Path, ndctext_zip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(data_dir, "reference", "import", str(ndctext_zip), str(CROSSWALK_2026Q1))
    out, err = capsys.readouterr()

    assert status == 0
    assert "ndctext.zip: FDA NDC Directory, as of 2019-04-29" in out
    assert "rows read 48; kept 48; rejected 0" in out
    assert "rejected 1 × NDC is not a valid 11-digit or hyphenated NDC" in out
    assert "now in effect: 2026 Q1" in out
    assert "100%" in err


def test_import_of_good_and_wrong_files_imports_the_good_ones_and_lists_each_bad_one(
    data_dir: Path, ndctext_zip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "notes.csv"
    wrong.write_text("Patient,Drug\r\nA,B\r\n")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    status = run(
        data_dir, "reference", "import", str(wrong), str(ndctext_zip), str(empty), str(NOC_PRICING)
    )
    out, err = capsys.readouterr()

    assert status == 0  # something was imported: not "nothing imported"
    assert "ndctext.zip: FDA NDC Directory" in out and "noc_pricing_2025q4.csv" in out
    assert "REJECTED" not in out
    assert "notes.csv: REJECTED" in err and "Expected the FDA NDC Directory" in err
    assert "empty.csv: REJECTED" in err
    assert "2 of 4 files imported; 2 rejected" in err
    assert run(data_dir, "reference", "status", "--json") == 0
    loaded = {item["kind"] for item in json.loads(capsys.readouterr().out)["loaded"]}
    assert loaded == {"fda_ndc_directory", "noc_payment_limits"}


def test_import_where_every_file_is_rejected_exits_2(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "notes.csv"
    wrong.write_text("Patient,Drug\r\nA,B\r\n")

    status = run(data_dir, "reference", "import", str(wrong), str(tmp_path / "missing.csv"))
    _, err = capsys.readouterr()

    assert status == 2
    assert "notes.csv: REJECTED" in err and "missing.csv: REJECTED" in err
    assert "0 of 2 files imported" in err and "Nothing was imported." in err


def test_import_of_the_opps_addendum_b_is_accepted(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 14: it was refused as unreadable."""
    slice_ = REFERENCE_FIXTURES / "opps_addendum_b_2025q4_slice.csv"
    assert run(data_dir, "reference", "import", str(slice_)) == 0
    out = capsys.readouterr().out
    assert "CMS OPPS Addendum B (status indicators), CY 2025" in out
    assert "rows read 11; kept 11; rejected 0" in out


def test_status_lists_loaded_files(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(loaded, "reference", "status", "--today", "2026-02-10") == 0
    out, _ = capsys.readouterr()
    assert "CMS ASP NDC-HCPCS crosswalk" in out and "2026 Q1" in out
    assert "OUT OF DATE" in out

    assert run(loaded, "reference", "status", "--today", "2026-02-10", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert {item["kind"] for item in data["loaded"]} >= {"fda_ndc_directory", "asp_crosswalk"}


def test_ndc_lookup_json_has_the_contract_keys(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(loaded, "ndc", "lookup", "50242-060-01", "--date", "2026-02-01", "--json")
    data = json.loads(capsys.readouterr().out)

    assert status == 0
    assert data.keys() >= CONTRACT_KEYS
    assert data["ndc11"] == "50242006001"
    assert data["ndc_hyphenated"] == "50242-0060-01"
    assert data["proprietary_name"] == "Avastin"
    assert data["fda_approved"] is True and data["oral"] is False
    assert data["active_on_date"] is True
    assert data["hcpcs"] == ["J9035"]
    assert data["billing_units_per_package"] == 10


def test_ndc_lookup_without_json_prints_readable_lines(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(loaded, "ndc", "lookup", "0002-1407-01") == 0
    assert "proprietary_name: Quinidine Gluconate" in capsys.readouterr().out


def test_unknown_ndc_exits_1(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(loaded, "ndc", "lookup", "12345-6789-01", "--json") == 1
    out, err = capsys.readouterr()
    assert out == "" and "is not in the loaded FDA NDC Directory" in err


def test_invalid_ndc_exits_2_saying_what_is_wrong(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(loaded, "ndc", "lookup", "0002-14O7-01", "--json") == 2
    assert "letter O" in capsys.readouterr().err


def test_ambiguous_bare_ndc_exits_2_listing_both(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(loaded, "ndc", "lookup", "2950090777", "--json") == 2
    err = capsys.readouterr().err
    assert "29500-9077-07" in err and "29500-0907-77" in err


def test_a_bad_date_exits_2(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(loaded, "ndc", "lookup", "0002-1407-01", "--date", "02/01/2026") == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_ndc_search(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(loaded, "ndc", "search", "avas", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["proprietary_name"] for row in rows} == {"Avastin"}
    assert run(loaded, "ndc", "search", "zzzz") == 1


def test_an_ndc_only_cms_lists_is_not_shown_approved(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The contract makes fda_approved and oral booleans; in_fda_directory says why they are false."""
    assert run(loaded, "ndc", "lookup", "81298-8552-03", "--date", "2026-02-01", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["in_fda_directory"] is False
    assert data["fda_approved"] is False and data["oral"] is False
    assert data["hcpcs"] == ["J2596"]
