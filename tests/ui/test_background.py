"""BackgroundJob: the work runs off the GUI thread, and every outcome comes back on it."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from j3490_desk.errors import InvalidInputError, KnownError
from j3490_desk.ui.background import BackgroundJob, JobControl, run_in_background

TIMEOUT_MS = 10_000


class Stopped(Exception):
    pass


@pytest.fixture
def owner(qapp: QApplication) -> QObject:
    return QObject()


def _gui_thread() -> threading.Thread:
    return threading.main_thread()


def test_result_and_progress_arrive_on_the_gui_thread(qtbot: QtBot, owner: QObject) -> None:
    seen: list[tuple[str, object, bool]] = []

    def work(control: JobControl) -> str:
        worker = threading.current_thread()
        control.report(10, "first")
        control.report(20)
        return "done" if worker is not _gui_thread() else "on the GUI thread"

    job = BackgroundJob(work, parent=owner)
    job.progress.connect(
        lambda value, text: seen.append(("progress", (value, text), _on_gui_thread()))
    )
    job.succeeded.connect(lambda result: seen.append(("succeeded", result, _on_gui_thread())))
    with qtbot.wait_signal(job.finished, timeout=TIMEOUT_MS):
        job.start()
    assert seen == [
        ("progress", (10, "first"), True),
        ("progress", (20, ""), True),
        ("succeeded", "done", True),
    ]
    assert not job.running


def test_an_expected_error_arrives_as_failed(qtbot: QtBot, owner: QObject) -> None:
    def work(_control: JobControl) -> None:
        raise InvalidInputError("Blocker: no NDC")

    failures: list[object] = []
    job = run_in_background(work, parent=owner, on_failure=failures.append)
    qtbot.wait_until(lambda: not job.running, timeout=TIMEOUT_MS)
    assert len(failures) == 1 and isinstance(failures[0], KnownError)
    assert str(failures[0]) == "Blocker: no NDC"


def test_cancel_is_seen_by_the_work_and_arrives_as_cancelled(qtbot: QtBot, owner: QObject) -> None:
    started = threading.Event()

    def work(control: JobControl) -> None:
        started.set()
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not control.is_cancelled() and time.monotonic() < deadline:
            time.sleep(0.005)
        raise Stopped()

    outcomes: list[str] = []
    job = run_in_background(
        work,
        parent=owner,
        on_success=lambda _result: outcomes.append("succeeded"),
        on_cancel=lambda: outcomes.append("cancelled"),
        cancelled_by=(Stopped,),
    )
    assert started.wait(TIMEOUT_MS / 1000)
    begun = time.monotonic()
    with qtbot.wait_signal(job.cancelled, timeout=TIMEOUT_MS):
        job.cancel()
    assert time.monotonic() - begun < TIMEOUT_MS / 1000 / 2  # seen, not timed out
    assert outcomes == ["cancelled"] and job.is_cancelled()


def test_wait_blocks_until_the_work_has_returned(owner: QObject) -> None:
    returned = threading.Event()

    def work(_control: JobControl) -> None:
        time.sleep(0.05)
        returned.set()

    job = run_in_background(work, parent=owner)
    job.wait()
    assert returned.is_set()


def test_a_bug_in_the_work_is_raised_again_on_the_gui_thread(qtbot: QtBot, owner: QObject) -> None:
    def work(_control: JobControl) -> None:
        raise ZeroDivisionError("a bug")

    with qtbot.capture_exceptions() as exceptions:
        job = run_in_background(work, parent=owner)
        qtbot.wait_until(lambda: not job.running, timeout=TIMEOUT_MS)
    assert [type(e[1]) for e in exceptions] == [ZeroDivisionError]


def test_an_unhandled_expected_error_is_not_dropped(qtbot: QtBot, owner: QObject) -> None:
    def work(_control: JobControl) -> None:
        raise KnownError("The disk is full.")

    with qtbot.capture_exceptions() as exceptions:
        job = run_in_background(work, parent=owner)
        qtbot.wait_until(lambda: not job.running, timeout=TIMEOUT_MS)
    assert [type(e[1]) for e in exceptions] == [KnownError]


def _on_gui_thread() -> bool:
    return threading.current_thread() is _gui_thread()
