"""Issue 18 items 9, 10 and 13: what used to end in a traceback or a misleading message is a
clear message and exit 2. (The claim-file classes are in tests/reliability/test_bad_inputs.py.)"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from j3490_desk.cli import run
from j3490_desk.paths import resources_dir

ROOT = Path(__file__).parents[2]
EXAMPLE = resources_dir() / "examples" / "4-rare-biologic-infusion.json"


def cli_process(*arguments: str, **options: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "j3490_desk", *arguments],
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        **options,  # type: ignore[call-overload]
    )


def test_import_of_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(tmp_path / "d"), "claim", "import", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["import", "check"])
def test_a_fifo_or_device_fails_at_once(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "claim.json"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/zero")):
        process = cli_process("--data-dir", str(tmp_path / "d"), "claim", command, str(target))
        _, err = process.communicate(timeout=60)  # a blocking read would never return
        assert process.returncode == 2, err
        assert "not a regular file" in err


def test_a_top_level_list_is_called_a_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = tmp_path / "list.json"
    listed.write_text("[1,2,3]", encoding="utf-8")
    assert run(["--data-dir", str(tmp_path / "d"), "claim", "import", str(listed)]) == 2
    err = capsys.readouterr().err
    assert "holds a list, not a claim" in err and "number" not in err


def test_a_data_dir_that_is_a_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "claims.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    assert run(["--data-dir", str(a_file), "claim", "list"]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "encryption.json" not in err


@pytest.mark.parametrize("command", ["list", "check 1", "packet 1 --out x.pdf"])
def test_a_today_no_calendar_reaches_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit) as refused:
        run(["--data-dir", str(tmp_path / "d"), "claim", *command.split(), "--today", "9999-12-31"])
    assert refused.value.code == 2
    assert "outside the years 1900 to 2199" in capsys.readouterr().err


def test_a_broken_pipe_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    data_dir = str(tmp_path / "d")
    assert run(["--data-dir", data_dir, "claim", "import", str(EXAMPLE)]) == 0
    process = cli_process("--data-dir", data_dir, "claim", "list", stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # `| head` that has read enough: the list is written to no one
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "Traceback" not in err and "output was closed" in err


def test_label_read_refuses_a_huge_image_from_its_header(tmp_path: Path) -> None:
    huge = tmp_path / "label.png"
    Image.new("1", (21_000, 21_000), 1).save(huge)  # 441 megapixels in a 95 kB file
    process = cli_process("--data-dir", str(tmp_path / "d"), "label", "read", str(huge), "--json")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert "larger than the 50 megapixels" in err and "Traceback" not in err
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < 1024**3


def test_an_image_attachment_over_the_budget_is_refused_before_decoding(
    tmp_path: Path,
) -> None:
    from j3490_desk.errors import InvalidInputError
    from j3490_desk.services.attachments import open_image

    big = tmp_path / "scan.png"
    Image.new("1", (10_000, 6_000), 1).save(big)  # 60 megapixels
    with pytest.raises(InvalidInputError, match="10,000 x 6,000 pixels"):
        open_image(big, "scan.png")


def test_a_packet_of_the_largest_accepted_scans_stays_under_1_gb(tmp_path: Path) -> None:
    """Issue 18 item 10: two colour PNGs just under the 50-megapixel budget, prepared at once."""
    from j3490_desk.services import attachments
    from j3490_desk.services.app_data import open_app_data

    gradient = Image.linear_gradient("L").resize((8_000, 6_000))
    scan = tmp_path / "scan.png"
    Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), gradient)).save(
        scan
    )
    data_dir = tmp_path / "d"
    assert run(["--data-dir", str(data_dir), "claim", "import", str(EXAMPLE)]) == 0
    data = open_app_data(data_dir)
    try:
        for kind in list(attachments.AttachmentKind)[:2]:
            attachments.add_attachment(
                data,
                claim_id=1,
                drug_line_id=None,
                kind=kind,
                source=scan,
                original_name=scan.name,
            )
    finally:
        data.close()
    out = tmp_path / "packet.pdf"
    process = cli_process("--data-dir", str(data_dir), "claim", "packet", "1", "--out", str(out))
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < 1024**3


def test_a_stored_image_over_the_budget_is_refused_by_the_packet_not_decoded(
    tmp_path: Path,
) -> None:
    """A file stored before the budget existed: the packet says so from the header."""
    from j3490_desk.export.attachment_pages import prepare_attachment
    from j3490_desk.export.errors import CorruptAttachmentError
    from j3490_desk.export.packet_input import PacketAttachment

    big = tmp_path / "old-scan.png"
    Image.new("1", (10_000, 6_000), 1).save(big)  # 60 megapixels
    stored = PacketAttachment("Invoice", "invoice", "0" * 64, "image/png", big.read_bytes)
    with pytest.raises(CorruptAttachmentError, match="larger than 50 megapixels"):
        prepare_attachment(stored)


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("backup", "verify"), "not a backup file"),
        (("backup", "restore"), "not a backup file"),
        (("reference", "import"), "not a regular file"),
    ],
)
def test_a_fifo_given_as_a_backup_or_reference_file_fails_at_once(
    tmp_path: Path, arguments: tuple[str, ...], said: str
) -> None:
    """Opening a FIFO blocks until something writes to it: `backup verify` hung on one."""
    fifo = tmp_path / "pipe.zip"
    os.mkfifo(fifo)
    process = cli_process("--data-dir", str(tmp_path / "d"), *arguments, str(fifo))
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    assert said in err and "Traceback" not in err



@pytest.mark.parametrize(
    "command",
    [
        ("claim", "export-json", "99999999999"),
        ("claim", "check", "99999999999"),
        ("claim", "ready", "0"),
        ("claim", "837p", "2147483648", "--out", "out.837"),
        ("attachments", "list", "99999999999"),
    ],
)
def test_a_claim_number_no_claim_can_have_is_refused(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Past PostgreSQL's 32-bit ids the server failed with a traceback; on either engine the
    number is now refused with the same message."""
    process = cli_process("--data-dir", str(tmp_path / "data"), *command, cwd=tmp_path)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    assert "is not a claim number (they run from 1 to 2147483647)" in err
    assert "Traceback" not in err
