"""`j3490-desk --smoke-test [--data-dir DIR] [--startup-jobs]`: prove a build starts, with no one
at the screen.

The packaged app is checked with it (packaging/build_linux.sh, CI): it opens the data folder
the way the app does, shows the main window, lets the event loop process it, closes it and
exits 0. Nothing in it may block on a dialog, since it runs offscreen:

- a KnownError (damaged database, folder not writable, folder in use) is written to stderr,
  message and hint as the app's dialogs would show them, and the exit status is 2;
- a bug (an exception reaching the event loop) is written as the crash handler's report,
  which holds no patient data, and the exit status is 1;
- with `--startup-jobs`, the window stays open until the start-up jobs (viewer-copy clean-up,
  ICD-10-CM warm-up, daily backup) have all ended, one line each is written, and a job that
  failed or did not end within JOBS_TIMEOUT_MS makes the exit status 1.

From a source tree: `QT_QPA_PLATFORM=offscreen python -m j3490_desk.ui.smoke --data-dir DIR`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError
from j3490_desk.services.app_data import open_app_data
from j3490_desk.services.startup_jobs import JOBS
from j3490_desk.ui.app import create_application
from j3490_desk.ui.crash import crash_report

if TYPE_CHECKING:
    from j3490_desk.ui.startup_jobs import StartupJobs

KNOWN_ERROR_STATUS = 2
BUG_STATUS = 1
JOBS_TIMEOUT_MS = 120_000


def run_smoke(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="j3490-desk --smoke-test")
    parser.add_argument("--data-dir")
    parser.add_argument("--startup-jobs", action="store_true")
    args, qt_args = parser.parse_known_args([a for a in argv if a != "--smoke-test"])
    app = create_application(qt_args)
    bugs: list[str] = []

    def record_bug(kind: type[BaseException], _: BaseException, tb: TracebackType | None) -> None:
        bugs.append(crash_report(kind, tb))
        app.exit(BUG_STATUS)

    previous_hook = sys.excepthook
    sys.excepthook = record_bug
    try:
        try:
            data = open_app_data(args.data_dir, exclusive=True)
        except KnownError as error:
            _write(f"{APP_NAME}: cannot open your data\n{error.message}\n")
            if error.hint:
                _write(f"What to do: {error.hint}\n")
            return KNOWN_ERROR_STATUS
        try:
            from j3490_desk.ui.app import start_startup_jobs
            from j3490_desk.ui.main_window import MainWindow

            window = MainWindow(data)
            window.show()
            shown: list[bool] = []
            jobs = start_startup_jobs(window, data) if args.startup_jobs else None
            waiting_for = {"first paint", *(["start-up jobs"] if jobs is not None else [])}

            def close_when_done(what: str) -> None:
                waiting_for.discard(what)
                if not waiting_for:
                    shown.append(window.isVisible())
                    window.close()
                    app.exit(0 if shown[0] else BUG_STATUS)

            # After the window's own zero-delay work (its first paint, the reference check).
            QTimer.singleShot(100, lambda: close_when_done("first paint"))
            if jobs is not None:
                jobs.all_done.connect(lambda: close_when_done("start-up jobs"))
                QTimer.singleShot(JOBS_TIMEOUT_MS, lambda: app.exit(BUG_STATUS))
            status = app.exec()
        finally:
            data.close()
    finally:
        sys.excepthook = previous_hook
    for report in bugs:
        _write(report + "\n")
    jobs_status = _report_jobs(jobs) if jobs is not None else 0
    if status == 0 and shown == [True]:
        _write(
            f"smoke test: {APP_NAME} main window opened and closed; data folder {data.paths.root}\n"
        )
        return jobs_status
    if not bugs:
        _write("smoke test: the main window did not show\n")
    return status or BUG_STATUS


def _report_jobs(jobs: StartupJobs) -> int:
    """One line per start-up job; BUG_STATUS when one failed or never ended."""
    ended = {outcome.job for outcome in jobs.outcomes}
    for outcome in jobs.outcomes:
        verdict = "FAILED" if outcome.failed else "finished"
        _write(f"start-up job {outcome.job}: {verdict}: {outcome.message}\n")
    for job, _ in JOBS:
        if job not in ended:
            _write(f"start-up job {job}: did not end\n")
    failed = any(outcome.failed for outcome in jobs.outcomes) or ended != {j for j, _ in JOBS}
    return BUG_STATUS if failed else 0


def _write(text: str) -> None:
    """A windowed Windows build has no stderr at all: then there is no one to tell."""
    if sys.stderr is not None:
        sys.stderr.write(text)
        sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(run_smoke(sys.argv[1:]))
