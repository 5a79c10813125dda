"""Work off the GUI thread: one callable on its own QThread, its outcome back as signals.

`BackgroundJob(work)` runs `work(control)` on a QThread once `start()` is called. Whatever
happens there reaches the thread that created the job (the GUI thread) as a signal, so the
slots may touch widgets:

- `progress(value, text)` each time the work calls `control.report(...)` (an empty text
  means "keep the label");
- then exactly one of `succeeded(result)`, `failed(error)` for an error of the `expected`
  types (KnownError by default: the environment's fault, with a message for the user), or
  `cancelled()` when the work stopped by raising one of the `cancelled_by` types;
- then `finished()`. By then the thread has ended, and the job deletes itself later.

Work that can stop early asks `control.is_cancelled()` at its own checkpoints; `cancel()`
only sets the flag, so it is safe from any thread. Any other exception is a bug: it is raised
again on the GUI thread, where the crash handler sees it, after the thread has ended.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from j3490_desk.errors import KnownError

ErrorTypes = tuple[type[BaseException], ...]

_SUCCEEDED, _FAILED, _CANCELLED, _CRASHED = "succeeded", "failed", "cancelled", "crashed"


class JobControl:
    """What the work sees of its job: a cancel flag to check and a way to report progress."""

    def __init__(self, report: Callable[[int, str], None]) -> None:
        self._cancel = threading.Event()
        self._report = report

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def report(self, value: int, text: str = "") -> None:
        """Progress for the GUI (a progress dialog's value and, when given, its label)."""
        self._report(value, text)


class _Runner(QThread):
    """The thread itself: runs the work once and says how it ended (emitted from the thread)."""

    progress = Signal(int, str)
    done = Signal(str, object)  # one of the outcome names above, and the result or error

    def __init__(
        self,
        work: Callable[[JobControl], Any],
        expected: ErrorTypes,
        cancelled_by: ErrorTypes,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.control = JobControl(self.progress.emit)
        self._work = work
        self._expected = expected
        self._cancelled_by = cancelled_by

    def run(self) -> None:
        try:
            result = self._work(self.control)
        except self._cancelled_by:
            self.done.emit(_CANCELLED, None)
        except self._expected as error:
            self.done.emit(_FAILED, error)
        except Exception as error:  # noqa: BLE001 - a bug: raised again on the GUI thread
            self.done.emit(_CRASHED, error)
        else:
            self.done.emit(_SUCCEEDED, result)


class BackgroundJob(QObject):
    """Runs `work(control)` off the GUI thread; see the module docstring for the signals."""

    progress = Signal(int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the expected exception, e.g. a KnownError
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self,
        work: Callable[[JobControl], Any],
        *,
        expected: ErrorTypes = (KnownError,),
        cancelled_by: ErrorTypes = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = _Runner(work, expected, cancelled_by, self)
        # Bound slots of this GUI-thread object: Qt queues these calls to the GUI thread.
        self._runner.progress.connect(self._relay_progress)
        self._runner.done.connect(self._on_done)
        self._ended = False

    @property
    def running(self) -> bool:
        return not self._ended

    def start(self) -> None:
        self._runner.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; thread-safe, returns at once."""
        self._runner.control.cancel()

    def is_cancelled(self) -> bool:
        return self._runner.control.is_cancelled()

    def wait(self) -> None:
        """Block until the work has returned (e.g. a cancelled import has rolled back)."""
        self._runner.wait()

    @Slot(int, str)
    def _relay_progress(self, value: int, text: str) -> None:
        if not self._ended:
            self.progress.emit(value, text)

    @Slot(str, object)
    def _on_done(self, outcome: str, value: object) -> None:
        if self._ended:
            return
        self._ended = True
        self._runner.wait()  # run() has returned: this only lets the thread finish
        self.deleteLater()
        if outcome == _CRASHED:
            self.finished.emit()
            assert isinstance(value, BaseException)
            raise value
        if outcome == _SUCCEEDED:
            self.succeeded.emit(value)
        elif outcome == _FAILED:
            self.failed.emit(value)
        else:
            self.cancelled.emit()
        self.finished.emit()


def run_in_background(
    work: Callable[[JobControl], Any],
    *,
    parent: QObject,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[Any], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    on_progress: Callable[[int, str], None] | None = None,
    expected: ErrorTypes = (KnownError,),
    cancelled_by: ErrorTypes = (),
) -> BackgroundJob:
    """Start a BackgroundJob with these slots connected; returns it (to cancel or wait on).

    With no `on_failure`, an expected error is raised on the GUI thread like a bug, never
    dropped: the crash handler sees it, as it would have had the work run there.
    """
    job = BackgroundJob(work, expected=expected, cancelled_by=cancelled_by, parent=parent)
    for signal, slot in (
        (job.succeeded, on_success),
        (job.failed, on_failure or _raise),
        (job.cancelled, on_cancel),
        (job.progress, on_progress),
    ):
        if slot is not None:
            signal.connect(slot)
    job.start()
    return job


def progress_dialog_for(
    job: BackgroundJob, parent: QWidget, *, title: str, label: str, steps: int, cancelling: str
) -> QProgressDialog:
    """The window-modal progress dialog of a cancellable job: it follows the job's progress,
    its Cancel asks the job to stop (showing `cancelling` meanwhile), and it closes itself
    when the job has ended, however it ended."""
    dialog = QProgressDialog(label, "Cancel", 0, steps, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(0)

    def follow(value: int, text: str) -> None:
        if text:  # an empty text keeps the label
            dialog.setLabelText(text)
        dialog.setValue(value)

    def cancel() -> None:
        job.cancel()
        dialog.setLabelText(cancelling)

    job.progress.connect(follow)
    dialog.canceled.connect(cancel)
    job.finished.connect(dialog.close)
    job.finished.connect(dialog.deleteLater)
    dialog.show()
    return dialog


def _raise(error: BaseException) -> None:
    raise error
