"""The composition root of the window app: Qt application, crash hook, data folder, main window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from j3490_desk import APP_NAME, APPLICATION_NAME, ORGANIZATION_NAME
from j3490_desk.errors import (
    DatabaseDamagedError,
    KnownError,
    PassphraseRequiredError,
    WrongPassphraseError,
)
from j3490_desk.paths import resources_dir
from j3490_desk.services.app_data import (
    AppData,
    accounts_enabled,
    accounts_required,
    auto_lock_minutes,
    data_folder_warnings,
    open_app_data,
)
from j3490_desk.services.shared_database import DATABASE_URL_ENV, ServerLoginError, saved_choice
from j3490_desk.ui.auto_lock import AutoLock
from j3490_desk.ui.crash import install_crash_handler

if TYPE_CHECKING:
    from j3490_desk.ui.main_window import MainWindow
    from j3490_desk.ui.startup_jobs import StartupJobs


def create_application(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setApplicationName(APPLICATION_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "j3490-desk-256.png")))
    return app


def open_data_or_explain(data_dir: str | None) -> AppData | None:
    """Open the data folder; a known problem becomes a dialog saying what to do.

    A damaged database is never replaced silently: the clerk is offered the latest backup,
    and the damaged file is set aside, not deleted.
    """
    passphrase: str | None = None
    while True:
        try:
            data = open_app_data(data_dir, exclusive=True, passphrase=passphrase)
            break
        except (PassphraseRequiredError, WrongPassphraseError) as error:
            wrong = error.message if isinstance(error, WrongPassphraseError) else ""
            passphrase = ask_passphrase(data_dir, wrong)
            if passphrase is None:
                return None
        except ServerLoginError as error:
            if not ask_server_password(data_dir, error):
                return None
        except DatabaseDamagedError as error:
            if not _on_server(data_dir):
                return _offer_restore(data_dir, error, passphrase)
            # The server's: no local backup replaces it.
            if not choose_another_database(data_dir, error):
                return None
        except KnownError as error:
            if not _on_server(data_dir):
                _explain(error)
                return None
            if not choose_another_database(data_dir, error):
                return None
    for warning in data_folder_warnings(data.paths):
        QMessageBox.warning(None, f"{APP_NAME}: about your data folder", warning)
    return data


def ask_passphrase(data_dir: str | None, problem: str) -> str | None:
    """The passphrase of an encrypted folder, or None when the clerk cancels."""
    from j3490_desk.paths import resolve_data_dir
    from j3490_desk.ui.passphrase_dialogs import UnlockDialog

    dialog = UnlockDialog(str(resolve_data_dir(data_dir)), problem)
    return dialog.value() if dialog.exec() else None


def ask_server_password(data_dir: str | None, refusal: KnownError) -> bool:
    """The server refused the login: ask for its password, keep it in the keychain once the
    server takes it, and say so; False when the clerk cancels."""
    from j3490_desk.ui.server_password_dialog import ServerPasswordDialog

    server = saved_choice(data_dir)
    assert server is not None  # only a server refuses a login
    return bool(ServerPasswordDialog(server, refusal.message).exec())


def _on_server(data_dir: str | None) -> bool:
    try:
        return saved_choice(data_dir) is not None
    except KnownError:  # the choice itself cannot be read: choosing again mends it
        return True


def choose_another_database(data_dir: str | None, error: KnownError) -> bool:
    """The chosen server cannot be used: say why, and offer Settings > Data from here, since
    the window's own Settings are out of reach. True when a new choice was saved."""
    from j3490_desk.ui.shared_database_page import DatabaseChoiceDialog

    text = f"{error.message}\n\n{error.hint}" if error.hint else error.message
    box = QMessageBox(QMessageBox.Icon.Critical, f"{APP_NAME}: cannot open your data", text)
    choose = box.addButton("Choose the database…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    return box.clickedButton() is choose and bool(DatabaseChoiceDialog(data_dir).exec())


def _explain(error: KnownError) -> None:
    text = f"{error.message}\n\n{error.hint}" if error.hint else error.message
    QMessageBox.critical(None, f"{APP_NAME}: cannot open your data", text)


def _offer_restore(
    data_dir: str | None, error: DatabaseDamagedError, passphrase: str | None
) -> AppData | None:
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
        backups.restore_over_damaged(backup, data_dir, passphrase=passphrase)
        return open_app_data(data_dir, exclusive=True, passphrase=passphrase)
    except KnownError as failure:
        _explain(failure)
        return None


def run_app(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="j3490-desk")
    parser.add_argument("--data-dir")
    parser.add_argument("--database-url")
    args, qt_args = parser.parse_known_args(list(argv))
    if args.database_url:  # for this run, as the command line's option (storage.server_url)
        os.environ[DATABASE_URL_ENV] = args.database_url
    app = create_application(qt_args)
    install_crash_handler()
    data = open_data_or_explain(args.data_dir)
    if data is None:
        return 2
    from j3490_desk.ui.main_window import MainWindow  # after the data opened: keeps start-up lean

    if not sign_in_if_needed(data):
        data.close()
        return 0
    window = MainWindow(data)
    window.show()
    lock = start_auto_lock(data)
    start_startup_jobs(window, data)  # also loads the ORM before the clerk needs it
    try:
        return app.exec()
    finally:
        lock.timer.stop()
        data.close()


def sign_in_if_needed(data: AppData) -> bool:
    """With user accounts set up, nobody gets past this without a password; on a shared
    database accounts are required, so the first clerk there makes the first one."""
    if not accounts_enabled(data):
        if not accounts_required(data):
            return True
        from j3490_desk.ui.first_account_dialog import FirstAccountDialog

        return bool(FirstAccountDialog(data).exec())
    from j3490_desk.ui.login_dialog import LoginDialog  # loads the ORM: only with accounts

    return bool(LoginDialog(data).exec())


def start_auto_lock(data: AppData) -> AutoLock:
    minutes = auto_lock_minutes(data)
    if not accounts_enabled(data):
        from j3490_desk.services.encryption import passphrase_opens, remembered

        if data.db.key is not None and not remembered(data.paths.root):
            # An encrypted folder without accounts: its passphrase is what the clerk knows.
            return AutoLock(minutes, lambda typed: passphrase_opens(data.paths.root, typed))
        return AutoLock(minutes, None)  # no accounts: the lock still hides patient data
    username = data.user

    def same_user_again(password: str) -> bool:
        from j3490_desk.services import users

        return users.sign_in(data, username, password)

    return AutoLock(minutes, same_user_again)


def start_startup_jobs(window: MainWindow, data: AppData) -> StartupJobs:
    """The background jobs of every start, in order on one thread; each outcome is shown in
    the window (a failure in the status bar, the backup also in the Today panel)."""
    from j3490_desk.ui.startup_jobs import StartupJobs

    jobs = StartupJobs(data, parent=window)
    jobs.outcome.connect(window.show_job_outcome)
    jobs.start()
    return jobs
