"""A restore killed at any step never strands the folder: the next open finishes it (or finds
the data untouched), and the folder holds either the data that was there or the backup's,
whole, never a mix. Every path: over plain data, over encrypted data, into an empty folder,
and restoring the safety copy a restore took."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from j3490_desk.services import attachments, backups, claims, encryption
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage import audit
from j3490_desk.storage.attachment_store import AttachmentStore
from j3490_desk.storage.connections import is_plain_sqlite
from j3490_desk.storage.encryption import PASSPHRASE_ENV, SETTINGS_FILE
from j3490_desk.storage.restore_swap import RESTORE_JOURNAL
from tests.attachments.files import invoice_pdf
from tests.sample_claims import sample_claim

# The swap of a folder's files, killed at every step: a restore on a server swaps no files.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).parents[2]
PASSPHRASE = "tidy walrus lantern quiet"

State = tuple[int, tuple[str, ...]]  # claims, stored attachment hashes
EMPTY: State = (0, ())


def _folder_with(root: Path, claim_count: int, price: str, *, encrypted: bool) -> State:
    data = open_app_data(root)
    try:
        ids = [claims.create_claim(data, sample_claim()) for _ in range(claim_count)]
        attachments.add_attachment(
            data,
            claim_id=ids[0],
            drug_line_id=None,
            kind=attachments.AttachmentKind.INVOICE,
            source=invoice_pdf(root.parent / f"invoice-{price}.pdf", price=price),
            original_name="invoice.pdf",
        )
    finally:
        data.close()
    if encrypted:
        encryption.enable(root, PASSPHRASE)
    return _state(root)


def _state(folder: Path) -> State:
    """Open the folder (which finishes an interrupted restore) and check it is whole."""
    data = open_app_data(folder, passphrase=PASSPHRASE)
    try:
        with data.db.read_plain() as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = connection.execute("SELECT count(*) FROM claim").fetchone()[0]
        assert attachments.verify_attachments(data) == []
        with data.db.read() as session:
            assert audit.verify_chain(session, folder=folder, key=data.db.key) == []
        encrypted = (folder / SETTINGS_FILE).exists()
        assert encrypted == (data.db.key is not None) == (not is_plain_sqlite(data.paths.database))
        stored = tuple(AttachmentStore(data.paths.attachments, data.db.key).stored_hashes())
    finally:
        data.close()
    assert not (folder / RESTORE_JOURNAL).exists()
    assert not list(folder.glob(".restore-*")), "a killed restore's work folder was left"
    return count, stored


def _restore(folder: Path, backup: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, "-m", "tests.storage.step_killer", str(kill_at)),
            *("--data-dir", str(folder), "backup", "restore", str(backup), "--replace"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, PASSPHRASE_ENV: PASSPHRASE},
        check=False,
    )


def _backup_of(folder: Path, usb: Path) -> Path:
    data = open_app_data(folder, passphrase=PASSPHRASE)
    try:
        return backups.back_up(data, usb)
    finally:
        data.close()


def _kill_at_every_step(tmp_path: Path, template: Path, backup: Path, allowed: set[State]) -> None:
    """Restore `backup` over a copy of `template` once to the end, counting its steps, then
    once per step, killed there."""
    dry_run = tmp_path / "dry-run"
    shutil.copytree(template, dry_run)
    full = _restore(dry_run, backup, 0)
    assert full.returncode == 0, full.stderr
    steps = int(full.stdout.rsplit("steps: ", 1)[1])
    seen = set()
    for step in range(1, steps + 1):
        folder = tmp_path / f"kill-{step}"
        shutil.copytree(template, folder)
        run = _restore(folder, backup, step)
        assert run.returncode == -signal.SIGKILL, f"step {step}: {run.stderr}"
        state = _state(folder)
        assert state in allowed, f"killed at step {step} of {steps}: {state} is a mix"
        seen.add(state)
        for safety_copy in (folder / "backups").glob("j3490-desk-backup-*.zip"):
            assert backups.verify(safety_copy, passphrase=PASSPHRASE) == []
        shutil.rmtree(folder)
    assert seen == allowed, f"no kill left the folder as {allowed - seen}"


@pytest.mark.slow
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_restore_over_data_killed_at_every_step(tmp_path: Path, encrypted: bool) -> None:
    old = _folder_with(tmp_path / "old", 3, "1,000.00", encrypted=encrypted)
    new = _folder_with(tmp_path / "new", 1, "2,000.00", encrypted=encrypted)
    backup = _backup_of(tmp_path / "new", tmp_path / "usb")
    _kill_at_every_step(tmp_path, tmp_path / "old", backup, {old, new})


@pytest.mark.slow
def test_restore_into_an_empty_folder_killed_at_every_step(tmp_path: Path) -> None:
    new = _folder_with(tmp_path / "new", 1, "2,000.00", encrypted=True)
    backup = _backup_of(tmp_path / "new", tmp_path / "usb")
    (tmp_path / "empty").mkdir()
    _kill_at_every_step(tmp_path, tmp_path / "empty", backup, {EMPTY, new})


@pytest.mark.slow
def test_restoring_the_safety_copy_killed_at_every_step(tmp_path: Path) -> None:
    """The copy a restore takes of the data it replaces puts that data back, even killed."""
    old = _folder_with(tmp_path / "old", 3, "1,000.00", encrypted=True)
    new = _folder_with(tmp_path / "new", 1, "2,000.00", encrypted=True)
    backup = _backup_of(tmp_path / "new", tmp_path / "usb")
    assert _restore(tmp_path / "old", backup, 0).returncode == 0
    [safety_copy] = (tmp_path / "old" / "backups").glob("j3490-desk-backup-*.zip")
    shutil.copy2(safety_copy, tmp_path / "safety-copy.zip")
    assert _state(tmp_path / "old") == new
    _kill_at_every_step(tmp_path, tmp_path / "old", tmp_path / "safety-copy.zip", {new, old})
