"""The composition root of the window app: Qt application, crash hook, data folder, main window."""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from j3490_desk import APP_NAME, APPLICATION_NAME, ORGANIZATION_NAME
from j3490_desk.errors import DatabaseDamagedError, KnownError
from j3490_desk.services.app_data import AppData, data_folder_warnings, open_app_data
from j3490_desk.ui.crash import install_crash_handler


def create_application(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setApplicationName(APPLICATION_NAME)
    app.setApplicationDisplayName(APP_NAME)
    return app


def open_data_or_explain(data_dir: str | None) -> AppData | None:
    """Open the data folder; a known problem becomes a dialog saying what to do.

    A damaged database is never replaced silently: the clerk is offered the latest backup,
    and the damaged file is set aside, not deleted.
    """
    try:
        data = open_app_data(data_dir, exclusive=True)
    except DatabaseDamagedError as error:
        return _offer_restore(data_dir, error)
    except KnownError as error:
        _explain(error)
        return None
    for warning in data_folder_warnings(data.paths):
        QMessageBox.warning(None, f"{APP_NAME}: about your data folder", warning)
    return data


def _explain(error: KnownError) -> None:
    text = f"{error.message}\n\n{error.hint}" if error.hint else error.message
    QMessageBox.critical(None, f"{APP_NAME}: cannot open your data", text)


def _offer_restore(data_dir: str | None, error: DatabaseDamagedError) -> AppData | None:
    from j3490_desk.services import backups  # loads the ORM; only on this rare path

    backup = backups.latest_backup(data_dir)
    if backup is None:
        _explain(error)
        return None
    answer = QMessageBox.question(
        None,
        f"{APP_NAME}: your database is damaged",
        f"{error.message}\n\nRestore the latest backup ({backup.name})? The damaged file is "
        "kept beside it, renamed, for your support contact.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        _explain(error)
        return None
    try:
        backups.restore_over_damaged(backup, data_dir)
        return open_app_data(data_dir, exclusive=True)
    except KnownError as failure:
        _explain(failure)
        return None


def run_app(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="j3490-desk")
    parser.add_argument("--data-dir")
    args, qt_args = parser.parse_known_args(list(argv))
    app = create_application(qt_args)
    install_crash_handler()
    data = open_data_or_explain(args.data_dir)
    if data is None:
        return 2
    from j3490_desk.ui.main_window import MainWindow  # after the data opened: keeps start-up lean

    window = MainWindow(data)
    window.show()
    _load_in_background("j3490_desk.services.claims")  # the ORM, before the clerk needs it
    try:
        return app.exec()
    finally:
        data.close()


def _load_in_background(module: str) -> None:
    threading.Thread(target=importlib.import_module, args=(module,), daemon=True).start()
