"""The start-up jobs (services.startup_jobs) on their background thread, their outcomes back on
the GUI thread as signals; a bug's report (no patient data) goes to stderr as the crash
handler's would."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal

from j3490_desk.errors import KnownError
from j3490_desk.services.app_data import AppData
from j3490_desk.services.startup_jobs import JobOutcome, imports_pending, run_startup_jobs
from j3490_desk.ui.crash import crash_report


class StartupJobs(QObject):
    outcome = Signal(object)  # a JobOutcome, as each job ends
    all_done = Signal()
    _reported = Signal(object)  # from the jobs' thread, see __init__
    _finished = Signal()

    def __init__(self, data: AppData, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.outcomes: list[JobOutcome] = []
        self.done = False
        # Emitted from the jobs' thread: Qt queues them to this object's (the GUI) thread.
        self._reported.connect(self._keep)
        self._finished.connect(self._end)

    def start(self) -> None:
        imports_pending()
        threading.Thread(target=self._run, name="start-up jobs", daemon=True).start()

    def _run(self) -> None:
        run_startup_jobs(self._data, self._reported.emit)
        self._finished.emit()

    def _keep(self, outcome: JobOutcome) -> None:
        self.outcomes.append(outcome)
        error = outcome.error
        if error is not None and not isinstance(error, KnownError):
            sys.stderr.write(crash_report(type(error), error.__traceback__) + "\n")
        self.outcome.emit(outcome)

    def _end(self) -> None:
        self.done = True
        self.all_done.emit()
