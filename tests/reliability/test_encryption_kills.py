"""Encrypting a folder can be killed at any moment: running it again finishes the job, and
every claim and attachment is still there, unchanged."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from j3490_desk.services import attachments, claims, encryption
from j3490_desk.services.app_data import open_app_data
from j3490_desk.storage.encryption import PASSPHRASE_ENV
from j3490_desk.storage.folder_encryption import IN_PROGRESS_MARKER
from tests.attachments.files import invoice_pdf
from tests.sample_claims import sample_claim

KILLS = 12
PASSPHRASE = "tidy walrus lantern quiet"


def _plain_folder(root: Path) -> tuple[list[int], list[object], list[str]]:
    data = open_app_data(root)
    try:
        ids = [claims.create_claim(data, sample_claim()) for _ in range(3)]
        for index, claim_id in enumerate(ids * 3):  # nine files: a wider window to land in
            attachments.add_attachment(
                data,
                claim_id=claim_id,
                drug_line_id=None,
                kind=attachments.AttachmentKind.INVOICE,
                source=invoice_pdf(
                    root.parent / f"invoice-{index}.pdf", price=f"{index + 1},000.00"
                ),
                original_name=f"invoice-{index}.pdf",
            )
        exports = [claims.export_claim_json(data, claim_id) for claim_id in ids]
        hashes = sorted(a.sha256 for i in ids for a in attachments.list_attachments(data, i))
    finally:
        data.close()
    return ids, exports, hashes


def test_sigkill_during_encryption_then_finish_loses_nothing(tmp_path: Path) -> None:
    template = tmp_path / "template"
    ids, exports, hashes = _plain_folder(template)
    env = {**os.environ, PASSPHRASE_ENV: PASSPHRASE}
    rng = random.Random(3490)
    interrupted_midway = 0
    for attempt in range(KILLS):
        folder = tmp_path / f"run-{attempt}"
        shutil.copytree(template, folder)
        child = subprocess.Popen(
            [sys.executable, "-m", "j3490_desk", "--data-dir", str(folder), "encryption", "enable"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Counted from the moment it starts changing files, so a slow start on a busy machine
        # cannot make the kills miss: some land in the database swap, some among attachments.
        marker = folder / IN_PROGRESS_MARKER
        deadline = time.monotonic() + 60
        while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.05))
        child.kill()
        child.wait()
        state = encryption.status(folder)
        interrupted_midway += state.encrypted and state.unfinished

        data = open_app_data(folder, exclusive=True, passphrase=PASSPHRASE)  # finishes it
        try:
            assert [claims.export_claim_json(data, i) for i in ids] == exports
            found = sorted(a.sha256 for i in ids for a in attachments.list_attachments(data, i))
            assert found == hashes
            assert attachments.verify_attachments(data) == []
            with data.db.read_plain() as connection:
                assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            data.close()
        if encryption.status(folder).encrypted:
            assert not encryption.status(folder).unfinished
        assert not list(folder.glob("*.encrypting")), "a half-made copy was left behind"
    print(f"\nencryption kills: {KILLS}, of which {interrupted_midway} landed mid-way")
    assert interrupted_midway, "no kill landed while files were being encrypted"
