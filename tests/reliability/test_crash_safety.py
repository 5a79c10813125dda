"""Nothing committed is lost, and the database stays intact, when the process dies or the disk fills."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from j3490_desk.errors import StorageError
from j3490_desk.services import claims
from j3490_desk.services.app_data import AppData, open_app_data
from tests.sample_claims import sample_claim

KILLS = 100
KILLS_PER_MODE = 15
ROOT = Path(__file__).parents[2]


def _integrity(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        result = str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    connection.close()
    return result


def _stored_ids(database: Path) -> set[int]:
    with sqlite3.connect(database) as connection:
        ids = {row[0] for row in connection.execute("SELECT id FROM claim")}
    connection.close()
    return ids


def _run_and_kill(
    data_dir: Path,
    seconds: float,
    mode: str = "claims",
    out: Path | None = None,
    *,
    after_first: bool = False,
) -> set[str]:
    """Start the writer, SIGKILL it after `seconds` (counted from its first completed write when
    `after_first`, so a slow start on a busy machine cannot make every kill miss), and return
    what it reported written."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.writer",
            mode,
            str(data_dir),
            str(out or data_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    reported: list[str] = []
    first = threading.Event()

    def read() -> None:
        for line in child.stdout:  # type: ignore[union-attr]
            reported.append(line.strip())
            first.set()
        first.set()  # the writer ended

    reader = threading.Thread(target=read)
    reader.start()
    if after_first:
        first.wait(timeout=120)
    time.sleep(seconds)
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join()
    return set(reported)


@pytest.mark.slow
def test_sigkill_during_saves_never_loses_a_returned_save(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    open_app_data(data_dir).close()  # migrate once, so kills land in saves, not set-up
    chance = random.Random(3490)
    reported: set[int] = set()
    for kill in range(KILLS):
        # every other kill lands anywhere from start-up on; the rest after the first save, in
        # the saving loop, however slowly this machine starts Python today
        late = kill % 2 == 1
        wait = chance.uniform(0.0, 0.6) if late else chance.uniform(0.05, 1.2)
        reported |= {int(i) for i in _run_and_kill(data_dir, wait, after_first=late)}
        assert _integrity(data_dir / "claims.sqlite") == "ok"
        assert reported <= _stored_ids(data_dir / "claims.sqlite")
    print(f"{KILLS} kills, {len(reported)} saves reported and all of them present")
    assert len(reported) >= KILLS // 2  # the kills really landed while saving


def test_a_full_disk_refuses_the_save_and_keeps_everything_before(app_data: AppData) -> None:
    kept = claims.create_claim(app_data, sample_claim())
    with app_data.db.write() as session:
        pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()
        # the pooled connection keeps this limit: SQLite then answers SQLITE_FULL, as on a full disk
        session.connection().exec_driver_sql(f"PRAGMA max_page_count={pages}")
    with pytest.raises(StorageError, match=r"disk .* is full"):
        for _ in range(100):
            claims.create_claim(app_data, sample_claim())
    assert _integrity(app_data.paths.database) == "ok"
    assert kept in _stored_ids(app_data.paths.database)
    assert os.path.getsize(app_data.paths.database) > 0


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["attachments", "packets", "reference"])
def test_sigkill_during_other_writes_leaves_everything_whole(mode: str, tmp_path: Path) -> None:
    """Attachment adds, packet exports and reference imports, killed at random moments."""
    from pypdf import PdfReader

    from j3490_desk.services import attachments

    data_dir, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    open_app_data(data_dir).close()
    chance = random.Random(f"3490-{mode}")
    reported: set[str] = set()
    for _ in range(KILLS_PER_MODE):
        reported |= _run_and_kill(data_dir, chance.uniform(0.0, 1.5), mode, out, after_first=True)
        assert _integrity(data_dir / "claims.sqlite") == "ok"
        if (data_dir / "reference.sqlite").exists():
            assert _integrity(data_dir / "reference.sqlite") == "ok"
    data = open_app_data(data_dir)
    try:
        if mode == "attachments":
            assert attachments.verify_attachments(data) == []
            for attachment_id in reported:  # raises if a reported attachment is gone
                attachments.get_attachment(data, int(attachment_id))
        if mode == "reference":
            assert data.reference.status().loaded  # the last completed import is there
            # (the writer reported at least one import: checked below)
    finally:
        data.close()
    for pdf in out.glob("*.pdf"):  # only complete packets ever carry the final name
        assert len(PdfReader(pdf).pages) > 0
    print(f"{mode}: {KILLS_PER_MODE} kills, {len(reported)} writes reported and all of them whole")
    assert reported, "no write completed between the kills: the harness proves nothing"
