"""`j3490-desk label read IMAGE [--json]` and `j3490-desk attachments verify`: output and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from j3490_desk import cli
from j3490_desk.cli import label_commands
from j3490_desk.domain.gs1 import gtin_from_ndc10
from j3490_desk.paths import DataPaths
from j3490_desk.services.app_data import AppData
from j3490_desk.services.attachments import AttachmentKind, add_attachment
from j3490_desk.services.claims import create_claim
from j3490_desk.services.reference import ReferenceService
from tests.attachments import files, stored
from tests.reference.conftest import write_ndctext_zip
from tests.sample_claims import sample_claim

CONTRACT_KEYS = {"gtin", "ndc10_digits", "ndc11", "lot", "expiry", "serial"}


def test_label_commands_are_registered() -> None:
    assert label_commands in cli.COMMAND_GROUPS


def _label_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert cli.run(argv) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_label_read_json_prints_the_contract_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = files.save(files.rotated(files.label_photo(), 20), tmp_path / "label.jpg")
    result = _label_json(
        capsys, "--data-dir", str(tmp_path / "data"), "label", "read", str(photo), "--json"
    )
    assert result.keys() >= CONTRACT_KEYS
    assert {key: result[key] for key in CONTRACT_KEYS} == {
        "gtin": "00355566105011",
        "ndc10_digits": "5556610501",
        "ndc11": None,  # ambiguous, and no reference data loaded here
        "lot": "L2231A",
        "expiry": "2027-06-30",
        "serial": "SN000123",
    }
    assert not (tmp_path / "data" / "reference.sqlite").exists()  # reading creates nothing


def test_reference_data_settles_the_ten_digit_ndc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    service = ReferenceService(DataPaths(data_dir))
    service.import_file([write_ndctext_zip(tmp_path / "ndctext.zip")])
    service.close()
    gtin = gtin_from_ndc10("0002080001")  # NDC 0002-0800-01, in the FDA slice
    gs1 = f"(01){gtin}(17)280131(10)D123456(21)100200300"
    photo = files.save(files.label_photo(gs1), tmp_path / "label.png")
    result = _label_json(capsys, "--data-dir", str(data_dir), "label", "read", str(photo), "--json")
    assert (result["ndc10_digits"], result["ndc11"]) == ("0002080001", "00002080001")
    assert (result["lot"], result["expiry"], result["serial"]) == (
        "D123456",
        "2028-01-31",
        "100200300",
    )


def test_label_read_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = files.save(files.label_photo(), tmp_path / "label.png")
    assert cli.run(["--data-dir", str(tmp_path / "d"), "label", "read", str(photo)]) == 0
    out = capsys.readouterr().out
    assert "Lot:" in out and "L2231A" in out and "2027-06-30" in out and "ambiguous" in out


def test_no_barcode_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = files.save(files.label_photo().crop((0, 0, 600, 800)), tmp_path / "text.jpg")
    assert cli.run(["--data-dir", str(tmp_path / "d"), "label", "read", str(photo), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "No barcode was found" in captured.err


@pytest.mark.parametrize("content", [b"", b"not an image"])
def test_unreadable_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    junk = tmp_path / "label.jpg"
    junk.write_bytes(content)
    assert cli.run(["--data-dir", str(tmp_path / "d"), "label", "read", str(junk), "--json"]) == 2
    assert "not an image" in capsys.readouterr().err


def test_bad_check_digit_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = files.label_photo(f"(01){files.bad_check_digit_gtin()}(10)L2231A")
    photo = files.save(bad, tmp_path / "bad.png")
    assert cli.run(["--data-dir", str(tmp_path / "d"), "label", "read", str(photo)]) == 2
    assert "check digit" in capsys.readouterr().err


def test_attachments_verify(
    app_data: AppData, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_id = create_claim(app_data, sample_claim())
    info = add_attachment(
        app_data,
        claim_id=claim_id,
        drug_line_id=None,
        kind=AttachmentKind.INVOICE,
        source=files.invoice_pdf(tmp_path / "invoice.pdf"),
        original_name="invoice.pdf",
    )
    argv = ["--data-dir", str(app_data.paths.root), "attachments", "verify"]
    assert cli.run(argv) == 0
    assert "unchanged" in capsys.readouterr().out
    stored.remove(app_data, info.sha256)
    assert cli.run(argv) == 1
    assert f"Attachment {info.id} ('invoice.pdf', claim {claim_id}) is missing" in (
        capsys.readouterr().out
    )
