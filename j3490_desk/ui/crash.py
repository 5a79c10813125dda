"""Bugs end here: a dialog the clerk can copy from, with no patient data in it."""

from __future__ import annotations

import platform
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

import j3490_desk
from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError


def install_crash_handler() -> None:
    sys.excepthook = _show_crash


def crash_report(kind: type[BaseException], tb: TracebackType | None) -> str:
    """Where it happened, never what it held: exception values can carry PHI, so they are left out."""
    frames = traceback.extract_tb(tb)
    lines = [
        f"  {frame.filename.rsplit('j3490_desk', 1)[-1]}:{frame.lineno} in {frame.name}"
        for frame in frames
    ]
    return "\n".join(
        [
            f"{APP_NAME} {j3490_desk.__version__} on Python {platform.python_version()}, {platform.platform()}",
            f"Error type: {kind.__module__}.{kind.__qualname__}",
            "Where:",
            *lines,
        ]
    )


def save_open_drafts() -> int:
    """Save every open claim wizard's draft before the crash dialog; returns how many tried.

    Best effort: the app is in an unknown state, so one failing save must not stop the others
    or the dialog. The wizard module is only consulted if it was loaded.
    """
    wizard = sys.modules.get("j3490_desk.ui.wizard.window")
    windows = wizard.open_windows() if wizard is not None else []
    for window in windows:
        try:
            window.save_now()
        except Exception:  # noqa: BLE001 - mid-crash, anything may fail; the report follows
            continue
    return len(windows)


def _show_crash(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if isinstance(error, KnownError) and QApplication.instance() is not None:
        # The environment's fault that reached no handler of its own, such as the shared server
        # going away while a list refreshes: its message says what to do. Not a bug report.
        QMessageBox.warning(QApplication.activeWindow(), APP_NAME, str(error))
        return
    save_open_drafts()
    report = crash_report(kind, tb)
    sys.stderr.write(report + "\n")
    if QApplication.instance() is None:
        return
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        f"{APP_NAME}: something went wrong",
        (
            "J3490 Desk hit a problem it did not expect. Your saved work is safe in the database.\n\n"
            "Copy the details below and send them to your support contact. They hold no patient data."
        ),
    )
    box.setDetailedText(report)
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is copy:
        QApplication.clipboard().setText(report)
