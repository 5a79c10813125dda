"""`j3490-desk --smoke-test [--data-dir DIR]`: prove a build starts, with no one at the screen.

The packaged app is checked with it (packaging/build_linux.sh, CI): it opens the data folder
the way the app does, shows the main window, lets the event loop process it, closes it and
exits 0. Nothing in it may block on a dialog, since it runs offscreen:

- a KnownError (damaged database, folder not writable, folder in use) is written to stderr,
  message and hint as the app's dialogs would show them, and the exit status is 2;
- a bug (an exception reaching the event loop) is written as the crash handler's report,
  which holds no patient data, and the exit status is 1.

From a source tree: `QT_QPA_PLATFORM=offscreen python -m j3490_desk.ui.smoke --data-dir DIR`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QTimer

from j3490_desk import APP_NAME
from j3490_desk.errors import KnownError
from j3490_desk.services.app_data import open_app_data
from j3490_desk.ui.app import create_application
from j3490_desk.ui.crash import crash_report

KNOWN_ERROR_STATUS = 2
BUG_STATUS = 1


def run_smoke(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="j3490-desk --smoke-test")
    parser.add_argument("--data-dir")
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
            from j3490_desk.ui.main_window import MainWindow

            window = MainWindow(data)
            window.show()
            shown: list[bool] = []

            def close_when_shown() -> None:
                shown.append(window.isVisible())
                window.close()
                app.exit(0 if shown[0] else BUG_STATUS)

            # After the window's own zero-delay work (its first paint, the reference check).
            QTimer.singleShot(100, close_when_shown)
            status = app.exec()
        finally:
            data.close()
    finally:
        sys.excepthook = previous_hook
    for report in bugs:
        _write(report + "\n")
    if status == 0 and shown == [True]:
        _write(
            f"smoke test: {APP_NAME} main window opened and closed; data folder {data.paths.root}\n"
        )
        return 0
    if not bugs:
        _write("smoke test: the main window did not show\n")
    return status or BUG_STATUS


def _write(text: str) -> None:
    """A windowed Windows build has no stderr at all: then there is no one to tell."""
    if sys.stderr is not None:
        sys.stderr.write(text)
        sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(run_smoke(sys.argv[1:]))
