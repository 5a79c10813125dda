"""The start-up jobs without Qt: every job runs, in order, after the imports; a failing one is
reported (a bug by its type only) and does not stop the next."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from j3490_desk.errors import KnownError
from j3490_desk.services import attachments, claim_check, records, startup_jobs
from j3490_desk.services.app_data import AppData
from j3490_desk.services.startup_jobs import JobOutcome, run_startup_jobs


@pytest.fixture(autouse=True)
def _no_icd_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claim_check, "warm_up", lambda: None)  # seconds, and tested elsewhere


def _run(app_data: AppData) -> list[JobOutcome]:
    outcomes: list[JobOutcome] = []
    run_startup_jobs(app_data, outcomes.append)
    return outcomes


def test_every_job_runs_in_order_and_says_what_it_did(app_data: AppData, tmp_path: Path) -> None:
    settings = records.get_settings(app_data)
    settings.backup_folder = str(tmp_path / "usb")
    records.save_settings(app_data, settings)
    outcomes = _run(app_data)
    assert [o.job for o in outcomes] == [job for job, _ in startup_jobs.JOBS]
    assert not any(o.failed for o in outcomes)
    backup = outcomes[-1]
    assert backup.job == startup_jobs.DAILY_BACKUP and backup.message.startswith("Backed up to")
    again = _run(app_data)[-1]
    assert again.message.startswith("Not due: the last one")


def test_a_failing_job_is_reported_and_the_next_still_runs(
    app_data: AppData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug() -> int:
        raise RuntimeError("Roe, Jane")  # a bug's text may hold patient data

    monkeypatch.setattr(attachments, "remove_viewer_copies", bug)
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    settings = records.get_settings(app_data)
    settings.backup_folder = str(not_a_folder)
    records.save_settings(app_data, settings)
    viewer, warm_up, backup = _run(app_data)
    assert viewer.failed and "RuntimeError" in viewer.message and "Roe" not in viewer.message
    assert not warm_up.failed
    assert backup.failed and isinstance(backup.error, KnownError)
    assert "file.txt" in backup.message


def test_an_import_that_fails_fails_every_job(
    app_data: AppData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup_jobs, "MODULES", ("j3490_desk.no_such_module",))
    outcomes = _run(app_data)
    assert len(outcomes) == len(startup_jobs.JOBS) and all(o.failed for o in outcomes)
    assert all("ModuleNotFoundError" in o.message for o in outcomes)


def test_actions_wait_while_the_start_up_imports_run(
    app_data: AppData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's actions call wait_for_imports: it holds them while the jobs' thread
    imports the ORM, so no two threads import it at once, and only then."""
    release = threading.Event()
    monkeypatch.setattr(startup_jobs, "JOBS", ())
    monkeypatch.setattr(startup_jobs.importlib, "import_module", lambda name: release.wait(10))
    startup_jobs.wait_for_imports()  # nothing under way: returns at once
    startup_jobs.imports_pending()  # as the window does, before the jobs' thread starts
    jobs = threading.Thread(target=run_startup_jobs, args=(app_data, lambda outcome: None))
    waited = threading.Event()
    action = threading.Thread(target=lambda: (startup_jobs.wait_for_imports(), waited.set()))
    jobs.start()
    action.start()
    assert not waited.wait(0.3)  # held while the imports run
    release.set()
    assert waited.wait(10)
    jobs.join(10)
    action.join(10)
