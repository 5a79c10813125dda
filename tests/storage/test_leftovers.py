"""No plain copy of a patient's document survives in an encrypted folder, or on the backup
drive, whatever step an attachment add or a backup is killed at; what a killed process
leaves is removed, and never goes into a backup."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from j3490_desk.services import backups, claims, encryption
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage.encryption import PASSPHRASE_ENV
from tests.sample_claims import sample_claim
from tests.storage.test_encryption import PHI, _readable_phi

# Files a killed process leaves in a data folder: with a server, attachments are not files there.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).parents[2]
PASSPHRASE = "tidy walrus lantern quiet"
PATIENT = "Roe, Jane"  # the sample claim's patient, as PHI lists it


def _letter(path: Path) -> Path:
    """A PDF whose text is stored uncompressed: the patient's name is in its bytes."""
    page = canvas.Canvas(str(path), pageCompression=0)
    page.drawString(72, 720, f"Patient: {PATIENT}, DOB 1950-01-01, invoice for the vial")
    page.save()
    assert PATIENT.encode() in path.read_bytes()
    return path


def _encrypted_folder(root: Path) -> int:
    data = open_app_data(root)
    try:
        claim_id = claims.create_claim(data, sample_claim())
    finally:
        data.close()
    encryption.enable(root, PASSPHRASE)
    return claim_id


def _killed(kill_at: int, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.storage.step_killer", str(kill_at), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, PASSPHRASE_ENV: PASSPHRASE},
        check=False,
    )


def _steps(*arguments: str) -> int:
    run = _killed(0, *arguments)
    assert run.returncode == 0, run.stderr
    return int(run.stdout.rsplit("steps: ", 1)[1])


@pytest.mark.slow
@pytest.mark.sqlite_only  # attachment files staged in the folder, and its encryption
def test_a_killed_attachment_add_leaves_no_plain_copy(tmp_path: Path) -> None:
    template = tmp_path / "template"
    claim_id = _encrypted_folder(template)
    letter = _letter(tmp_path / "letter.pdf")
    dry_run = tmp_path / "dry-run"
    shutil.copytree(template, dry_run)
    steps = _steps("attach", str(dry_run), str(claim_id), str(letter))
    for step in range(1, steps + 1):
        folder = tmp_path / f"kill-{step}"
        shutil.copytree(template, folder)
        run = _killed(step, "attach", str(folder), str(claim_id), str(letter))
        assert run.returncode == -signal.SIGKILL, run.stderr
        assert _readable_phi(folder) == [], f"killed at step {step} of {steps}"
        data = open_app_data(folder, passphrase=PASSPHRASE)  # start-up removes leftovers
        try:
            backup = backups.back_up(data, tmp_path / f"usb-{step}")
        finally:
            data.close()
        assert _readable_phi(backup.parent) == []
        assert not any(name.rsplit("/", 1)[-1].startswith(".") for name in _members(backup))
        shutil.rmtree(folder)


@pytest.mark.slow
@pytest.mark.sqlite_only  # attachment files staged in the folder, and its encryption
def test_a_killed_backup_leaves_nothing_readable_and_is_cleaned_up(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    claim_id = _encrypted_folder(folder)
    data = open_app_data(folder, passphrase=PASSPHRASE)
    try:
        from j3490_desk.services import attachments

        attachments.add_attachment(
            data,
            claim_id=claim_id,
            drug_line_id=None,
            kind=attachments.AttachmentKind.INVOICE,
            source=_letter(tmp_path / "letter.pdf"),
            original_name="letter.pdf",
        )
    finally:
        data.close()
    usb = tmp_path / "usb"
    steps = _steps("--data-dir", str(folder), "backup", "create", "--to", str(usb))
    for step in range(1, steps + 1):
        run = _killed(step, "--data-dir", str(folder), "backup", "create", "--to", str(usb))
        assert run.returncode == -signal.SIGKILL, run.stderr
        assert _readable_phi(usb) == [], f"killed at step {step} of {steps}"
        assert _readable_phi(folder) == []
        for leftover in usb.glob(".backup-*"):
            assert stat.S_IMODE(leftover.stat().st_mode) == 0o700
    assert (
        _killed(0, "--data-dir", str(folder), "backup", "create", "--to", str(usb)).returncode == 0
    )
    assert not list(usb.glob(".*")), "the next backup removes what killed ones left"
    for backup in usb.glob("j3490-desk-backup-*.zip"):
        assert backups.verify(backup, passphrase=PASSPHRASE) == []


@pytest.mark.sqlite_only  # attachment files staged in the folder, and its encryption
def test_plain_leftovers_never_go_into_a_backup_and_go_at_start_up(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    data = open_app_data(folder)
    claims.create_claim(data, sample_claim())
    incoming = data.paths.attachments / ".incoming-killed"
    data.paths.attachments.mkdir(parents=True, exist_ok=True)
    incoming.write_bytes(PHI[0])
    stray = data.paths.attachments / ".incoming-other"
    stray.write_bytes(PHI[0])
    restore_work = folder / ".restore-killed"
    restore_work.mkdir()
    (restore_work / "claims.sqlite").write_bytes(PHI[0])
    try:
        backup = backups.back_up(data, tmp_path / "usb")
    finally:
        data.close()
    assert set(_members(backup)) == {"claims.sqlite", "manifest.json"}
    young = time.time() - 60  # perhaps an add still running beside us: kept
    os.utime(stray, (young, young))
    old = time.time() - 24 * 3600
    os.utime(incoming, (old, old))
    open_app_data(folder).close()
    assert not incoming.exists() and not restore_work.exists()
    assert stray.exists()


def _members(backup: Path) -> list[str]:
    with zipfile.ZipFile(backup) as archive:
        return archive.namelist()
