"""The work the app does in the background once its window shows: delete the viewer copies
earlier sessions left behind, load the ICD-10-CM code set before the first claim check, and
write the day's automatic backup.

They run on one thread, one after the other, after that thread has imported everything they
use. Started side by side, each importing the ORM for the first time, they once died in 5 of 18
starts with "cannot import name ... from partially initialized module 'sqlalchemy.engine'":
Python's import locks are per module, and SQLAlchemy's and pydantic's packages import
themselves in a circle. For the same reason the window's actions that load the ORM wait for
those imports (`wait_for_imports`), which only ever waits in the first seconds. Each job's
outcome is reported as it ends, and a job that fails does not stop the next.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from j3490_desk.errors import KnownError
from j3490_desk.services.app_data import AppData

VIEWER_COPIES, WARM_UP, DAILY_BACKUP = "viewer copies", "warm-up", "daily backup"
JOB_TITLES = {
    VIEWER_COPIES: "Clean-up of viewed attachments",
    WARM_UP: "Loading the ICD-10-CM code set",
    DAILY_BACKUP: "Daily backup",
}

# Everything the jobs import, the ORM first: imported here, on the jobs' own thread, before any
# job runs.
MODULES = (
    "sqlalchemy",
    "sqlmodel",
    "j3490_desk.models",
    "j3490_desk.services.attachments",
    "j3490_desk.services.claim_check",
    "j3490_desk.services.auto_backup",
)


IMPORT_WAIT_SECONDS = 60.0  # far longer than the imports take; never a hang if one stalls
_importing = threading.Event()  # set while the jobs' thread imports MODULES
_imports_done = threading.Event()


def imports_pending() -> None:
    """From now until the jobs' thread has imported MODULES, `wait_for_imports` waits. Called on
    the thread that starts the jobs, before it starts them, so no action can slip in between."""
    _imports_done.clear()
    _importing.set()


def wait_for_imports() -> None:
    """Return once no start-up import is under way (at once, almost always)."""
    if _importing.is_set():
        _imports_done.wait(IMPORT_WAIT_SECONDS)


@dataclass(frozen=True)
class JobOutcome:
    job: str  # VIEWER_COPIES, WARM_UP or DAILY_BACKUP
    message: str  # what it did, or why it failed; never patient data
    error: BaseException | None = None  # a failure: KnownError (the environment) or a bug

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def title(self) -> str:
        return JOB_TITLES[self.job]


def _remove_viewer_copies(_data: AppData) -> str:
    from j3490_desk.services import attachments

    removed = attachments.remove_viewer_copies()
    return f"{removed} viewer cop{'y' if removed == 1 else 'ies'} from earlier sessions deleted."


def _warm_up(_data: AppData) -> str:
    from j3490_desk.services import claim_check

    claim_check.warm_up()
    return "The ICD-10-CM code set is loaded."


def _daily_backup(data: AppData) -> str:
    from j3490_desk.services import auto_backup

    return auto_backup.daily_backup(data)


JOBS: tuple[tuple[str, Callable[[AppData], str]], ...] = (
    (VIEWER_COPIES, _remove_viewer_copies),  # first: those copies are patient documents
    (WARM_UP, _warm_up),  # before the backup, which may take minutes on a slow share
    (DAILY_BACKUP, _daily_backup),
)


def run_startup_jobs(data: AppData, report: Callable[[JobOutcome], None]) -> None:
    """Run on a background thread: import what the jobs need, then each job in turn, calling
    `report` with each outcome (from this thread). Any exception is reported, not raised: a
    thread's uncaught exception reaches nobody the clerk can see."""
    imports_pending()
    try:
        for name in MODULES:
            importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - reported for every job, which cannot run
        for job, _ in JOBS:
            report(JobOutcome(job, _failure(error), error))
        return
    finally:
        _imports_done.set()
        _importing.clear()
    for job, work in JOBS:
        try:
            report(JobOutcome(job, work(data)))
        except Exception as error:  # noqa: BLE001 - reported to the clerk, with the bug's type
            report(JobOutcome(job, _failure(error), error))


def _failure(error: BaseException) -> str:
    if isinstance(error, KnownError):
        return error.message
    # A bug's text may quote patient data: only its type is shown; the crash report has where.
    return f"stopped on an unexpected error ({type(error).__name__})."
