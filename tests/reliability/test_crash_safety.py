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


def _run_and_kill(data_dir: Path, seconds: float) -> set[int]:
    """Start the writer, SIGKILL it after `seconds`, return the ids it reported saved."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    reported: set[int] = set()
    reader = threading.Thread(target=lambda: reported.update(int(line) for line in child.stdout))  # type: ignore[union-attr]
    reader.start()
    time.sleep(seconds)
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join()
    return reported


@pytest.mark.slow
def test_sigkill_during_saves_never_loses_a_returned_save(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    open_app_data(data_dir).close()  # migrate once, so kills land in saves, not set-up
    chance = random.Random(3490)
    reported: set[int] = set()
    for _ in range(KILLS):
        # the writer needs ~0.5 s to import; kill across start-up and the saving loop
        reported |= _run_and_kill(data_dir, chance.uniform(0.05, 1.2))
        assert _integrity(data_dir / "claims.sqlite") == "ok"
        assert reported <= _stored_ids(data_dir / "claims.sqlite")
    print(f"{KILLS} kills, {len(reported)} saves reported and all of them present")
    assert len(reported) > KILLS  # the kills really landed while saving


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
