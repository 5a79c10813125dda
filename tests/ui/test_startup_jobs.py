"""Start-up jobs as the clerk sees them, and the start-up race (issue 19): 30 real starts, in
fresh processes, each of which must see every start-up job end."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from j3490_desk.services import claim_check, records, startup_jobs
from j3490_desk.services.app_data import AppData, open_app_data
from j3490_desk.ui.app import create_application, start_startup_jobs
from j3490_desk.ui.main_window import MainWindow

STARTS = 30
AT_ONCE = 3  # processes started side by side: each needs its own data folder (the folder lock)


def _choose_backup_folder(data: AppData, folder: Path) -> None:
    settings = records.get_settings(data)
    settings.backup_folder = str(folder)
    records.save_settings(data, settings)


def test_a_failed_backup_shows_in_the_status_bar_and_the_today_panel(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(claim_check, "warm_up", lambda: None)  # seconds; not what is tested
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    _choose_backup_folder(app_data, not_a_folder)
    create_application()
    window = MainWindow(app_data)
    qtbot.add_widget(window)
    window.show()
    jobs = start_startup_jobs(window, app_data)
    qtbot.waitUntil(lambda: jobs.done, timeout=60_000)
    assert [o.job for o in jobs.outcomes] == [job for job, _ in startup_jobs.JOBS]
    assert window.job_problems.isVisible()
    assert window.job_problems.text().startswith("⚠ Daily backup failed:")
    assert "file.txt" in window.job_problems.text()
    backup = window.today_panel.backup
    assert backup.isVisible() and backup.text().startswith("⚠ Daily backup failed:")


def test_a_backup_that_ran_says_where_in_the_today_panel(
    qtbot: QtBot, app_data: AppData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(claim_check, "warm_up", lambda: None)
    _choose_backup_folder(app_data, tmp_path / "usb")
    create_application()
    window = MainWindow(app_data)
    qtbot.add_widget(window)
    window.show()
    jobs = start_startup_jobs(window, app_data)
    qtbot.waitUntil(lambda: jobs.done, timeout=60_000)
    assert not window.job_problems.isVisible()
    assert window.today_panel.backup.text().startswith(f"Daily backup: Backed up to {tmp_path}")


def _start_repeatedly(data_dir: Path, times: int) -> list[tuple[int, str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "j3490_desk", "--smoke-test", "--startup-jobs"]
    results = []
    for _ in range(times):
        done = subprocess.run(
            [*command, "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
            check=False,
        )
        results.append((done.returncode, done.stderr))
    return results


@pytest.mark.slow
def test_thirty_starts_each_finish_every_start_up_job(tmp_path: Path) -> None:
    folders = []
    for n in range(AT_ONCE):
        folder = tmp_path / f"data{n}"
        data = open_app_data(folder)  # made and migrated here: each start opens an existing one
        _choose_backup_folder(data, tmp_path / f"usb{n}")  # so the backup job has work to do
        data.close()
        folders.append(folder)
    per_folder = [STARTS // AT_ONCE + (n < STARTS % AT_ONCE) for n in range(AT_ONCE)]
    with ThreadPoolExecutor(AT_ONCE) as pool:
        runs = [r for rs in pool.map(_start_repeatedly, folders, per_folder) for r in rs]
    assert len(runs) == STARTS
    for status, stderr in runs:
        assert status == 0, stderr
        for job, _ in startup_jobs.JOBS:
            assert f"start-up job {job}: finished" in stderr, stderr
        assert "partially initialized" not in stderr
    for n in range(AT_ONCE):
        assert len(list((tmp_path / f"usb{n}").glob("j3490-desk-backup-*.zip"))) == 1
