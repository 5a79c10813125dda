"""Settings > Data > Shared database, and what the window does on a shared database: the
first account before the main window, folder encryption refused, the database named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from sqlalchemy.engine import make_url

from j3490_desk.services import backups, claims, users
from j3490_desk.services.app_data import AppData, accounts_enabled, open_app_data
from j3490_desk.services.shared_database import database_in_use, parse_server_url, save_choice
from j3490_desk.storage.server_url import KEYCHAIN_SERVICE, SETTINGS_FILE
from j3490_desk.ui.about_dialog import about_text
from j3490_desk.ui.app import create_application, open_data_or_explain, sign_in_if_needed
from j3490_desk.ui.first_account_dialog import FirstAccountDialog
from j3490_desk.ui.security_page import SecurityPage
from j3490_desk.ui.server_password_dialog import ServerPasswordDialog
from j3490_desk.ui.shared_database_page import SharedDatabasePage
from tests.sample_claims import sample_claim

PASSWORD = "staple battery horse"


@pytest.fixture
def keychain(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    """The OS keychain, in memory."""
    import keyring

    kept: dict[tuple[str, str], str] = {}
    monkeypatch.setattr(keyring, "set_password", lambda s, u, p: kept.__setitem__((s, u), p))
    monkeypatch.setattr(keyring, "get_password", lambda s, u: kept.get((s, u)))
    return kept


@pytest.fixture
def shared_data(tmp_path: Path, shared_url: str) -> Iterator[AppData]:
    data = open_app_data(tmp_path / "seat", database_url=shared_url)
    yield data
    data.close()


def _page(qtbot, data: AppData) -> SharedDatabasePage:
    page = SharedDatabasePage(data.paths.root, database_in_use(data))
    qtbot.add_widget(page)
    page.show()
    return page


def _type_server(qtbot, page: SharedDatabasePage, host: str, port: int, db: str, user: str):
    qtbot.mouseClick(page.server, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.host, host)
    page.port.setFocus()
    qtbot.keyClick(page.port, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.port, str(port))
    qtbot.keyClicks(page.database, db)
    qtbot.keyClicks(page.user, user)


def test_a_new_seat_shows_sqlite_with_the_server_fields_off(qtbot, app_data: AppData) -> None:
    page = _page(qtbot, app_data)
    assert page.sqlite.isChecked() and not page.server_fields.isEnabled()
    assert page.sslmode.currentData() == "verify-full"  # the README's advice, preselected
    assert "next time" in page.status.text()


def test_saving_a_server_keeps_the_url_in_the_folder_and_the_password_in_the_keychain(
    qtbot, app_data: AppData, keychain: dict[tuple[str, str], str]
) -> None:
    page = _page(qtbot, app_data)
    _type_server(qtbot, page, "db.clinic.example", 5433, "j3490", "billing")
    qtbot.keyClicks(page.password, PASSWORD)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "takes effect the next time J3490 Desk starts" in page.status.text()
    assert "`j3490-desk database move-to URL`" in page.status.text()  # nothing copied by choosing
    saved = (app_data.paths.root / SETTINGS_FILE).read_text(encoding="utf-8")
    assert json.loads(saved) == {
        "url": "postgresql+psycopg://billing@db.clinic.example:5433/j3490?sslmode=verify-full"
    }
    assert PASSWORD not in saved and page.password.text() == ""
    assert keychain == {(KEYCHAIN_SERVICE, "billing@db.clinic.example:5433/j3490"): PASSWORD}
    reopened = _page(qtbot, app_data)  # Settings opened again shows the saved choice
    assert reopened.server.isChecked() and reopened.host.text() == "db.clinic.example"
    assert reopened.port.value() == 5433

    qtbot.mouseClick(reopened.sqlite, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(reopened.save_button, Qt.MouseButton.LeftButton)
    assert not (app_data.paths.root / SETTINGS_FILE).exists()
    assert "SQLite file" in reopened.status.text()
    assert "Claims saved on a server stay there" in reopened.status.text()


def test_empty_fields_are_named_before_any_connection(qtbot, app_data: AppData) -> None:
    page = _page(qtbot, app_data)
    qtbot.mouseClick(page.server, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.host, "db.clinic.example")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert page.status.text().startswith("The database is empty.")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not (app_data.paths.root / SETTINGS_FILE).exists()


def test_test_connection_to_a_closed_port_says_unreachable_off_the_gui_thread(
    qtbot, app_data: AppData
) -> None:
    page = _page(qtbot, app_data)
    _type_server(qtbot, page, "127.0.0.1", 1, "j3490", "billing")
    qtbot.keyClicks(page.sslmode, "disable")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert page.status.text().startswith("Connecting to j3490 on 127.0.0.1:1")  # not blocked
    qtbot.waitUntil(lambda: "cannot be reached" in page.status.text(), timeout=15_000)
    assert "Connection refused" in page.status.text()
    assert "Nothing was changed" in page.status.text()
    assert page.test_button.isEnabled()


@pytest.mark.postgresql
def test_test_connection_reports_the_schema_of_the_test_server(
    qtbot, app_data: AppData, shared_url: str
) -> None:
    url = make_url(shared_url)
    page = _page(qtbot, app_data)
    _type_server(qtbot, page, str(url.host), int(url.port or 5432), str(url.database), "j3490")
    qtbot.keyClicks(page.sslmode, "disable")
    assert page.sslmode.currentData() == "disable"
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("connected"), timeout=15_000)
    assert page.status.text() == "connected, schema 0009"


@pytest.mark.postgresql
def test_the_first_clerk_on_a_shared_database_makes_the_first_account(
    qtbot, shared_data: AppData, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not accounts_enabled(shared_data)

    def exec_(dialog: FirstAccountDialog) -> int:
        qtbot.add_widget(dialog)
        qtbot.keyClicks(dialog.username, "alice")
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClicks(dialog.repeat, PASSWORD + "!")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert "differ" in dialog.message.text() and not accounts_enabled(shared_data)
        qtbot.keyClicks(dialog.repeat, PASSWORD)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(FirstAccountDialog, "exec", exec_)
    assert sign_in_if_needed(shared_data)
    assert shared_data.user == "alice" and accounts_enabled(shared_data)
    assert [user.username for user in users.list_users(shared_data)] == ["alice"]


@pytest.mark.postgresql
def test_cancelling_the_first_account_keeps_the_window_shut(
    qtbot, shared_data: AppData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FirstAccountDialog, "exec", lambda dialog: 0)
    assert not sign_in_if_needed(shared_data)


@pytest.mark.postgresql
def test_security_page_refuses_folder_encryption_on_a_shared_database(
    qtbot, shared_data: AppData
) -> None:
    page = SecurityPage(shared_data)
    qtbot.add_widget(page)
    page.show()
    text = page.state.text()
    assert "Folder encryption does not apply" in text and "disk encryption" in text
    assert "TLS" in text and "passphrase" in text
    assert not page.encrypt.isVisible() and not page.change.isVisible()
    assert not page.advice.isVisible()  # "encryption here protects the claims" would be untrue


@pytest.mark.postgresql
def test_about_box_names_the_shared_database(shared_data: AppData) -> None:
    text = about_text(shared_data)
    assert f"the shared PostgreSQL database {shared_data.db.server.label}" in text
    assert "Database size" not in text  # this computer's file is not where the claims are


def test_about_box_and_status_bar_name_the_sqlite_file(qtbot, app_data: AppData) -> None:
    from j3490_desk.ui.main_window import MainWindow

    assert "the SQLite file in the data folder" in about_text(app_data)
    window = MainWindow(app_data)
    qtbot.add_widget(window)
    assert window.database_label.text() == (
        "Database: the SQLite file in the data folder (this computer only)"
    )


def _closed_when_shown(monkeypatch: pytest.MonkeyPatch, shown: list[str], choose: bool = False):
    """Record each message box's text; close it, or press "Choose the database…"."""

    def exec_(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    def clicked(box: QMessageBox) -> object:
        wanted = [b for b in box.buttons() if b.text() == "Choose the database…"]
        return wanted[0] if choose and wanted else None

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "clickedButton", clicked)


def test_an_unreachable_server_at_start_up_is_a_dialog_not_a_crash(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    shown: list[str] = []
    _closed_when_shown(monkeypatch, shown)
    monkeypatch.setenv("J3490_DESK_DATABASE_URL", "postgresql+psycopg://billing@127.0.0.1:1/j3490")
    assert open_data_or_explain(str(tmp_path)) is None
    assert len(shown) == 1 and "cannot be reached (Connection refused)" in shown[0]
    assert not list(tmp_path.glob("*.sqlite"))  # no stray SQLite file in its place


def test_at_start_up_the_clerk_can_go_back_to_this_folders_own_data(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's Settings are out of reach when its database cannot open: the choice is
    offered from the message itself, and the app opens with the new one."""
    from j3490_desk.ui.shared_database_page import DatabaseChoiceDialog

    create_application()
    save_choice(tmp_path, parse_server_url("postgresql+psycopg://billing@127.0.0.1:1/j3490"))
    shown: list[str] = []
    _closed_when_shown(monkeypatch, shown, choose=True)

    def exec_(dialog: DatabaseChoiceDialog) -> int:
        qtbot.add_widget(dialog)
        assert dialog.page.server.isChecked() and dialog.page.port.value() == 1
        qtbot.mouseClick(dialog.page.sqlite, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.page.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(DatabaseChoiceDialog, "exec", exec_)
    data = open_data_or_explain(str(tmp_path))
    assert data is not None
    try:
        assert not data.db.shared and "cannot be reached" in shown[0]
    finally:
        data.close()


@pytest.mark.postgresql
def test_a_database_not_ours_is_explained_without_offering_a_local_backup(
    qapp: QApplication, tmp_path: Path, test_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    shown: list[str] = []
    _closed_when_shown(monkeypatch, shown)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: pytest.fail("offered a restore"))
    seat = open_app_data(tmp_path)  # this seat's own SQLite data, with a backup beside it
    claims.create_claim(seat, sample_claim())
    backups.back_up(seat)
    seat.close()
    with test_server.empty_database() as url:
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE invoices (id integer)")
        engine.dispose()
        monkeypatch.setenv("J3490_DESK_DATABASE_URL", url)
        assert open_data_or_explain(str(tmp_path)) is None
    assert "tables of some other program" in shown[0]


@pytest.fixture(scope="module")
def scram_url() -> Iterator[str]:
    from tests.password_cluster import password_cluster, server_binaries

    if server_binaries() is None:
        pytest.skip("PostgreSQL's server binaries are not installed")
    with password_cluster() as url:
        yield url


@pytest.mark.postgresql
def test_a_refused_login_at_start_up_asks_for_the_password_and_keeps_it_in_the_keychain(
    qtbot,
    tmp_path: Path,
    scram_url: str,
    keychain: dict[tuple[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.password_cluster import PASSWORD as SERVER_PASSWORD

    create_application()
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("J3490_DESK_DATABASE_URL", scram_url)
    problems: list[str] = []

    def exec_(dialog: ServerPasswordDialog) -> int:
        qtbot.add_widget(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.keyClicks(dialog.password, "not the password")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "refused user 'billing'" in dialog.message.text(), timeout=15_000)
        problems.append(dialog.message.text())
        assert keychain == {}  # a password the server refused is not kept
        qtbot.keyClicks(dialog.password, SERVER_PASSWORD)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.result() == 1, timeout=15_000)
        return dialog.result()

    monkeypatch.setattr(ServerPasswordDialog, "exec", exec_)
    data = open_data_or_explain(str(tmp_path))
    assert data is not None and data.db.shared
    data.close()
    assert problems and list(keychain.values()) == [SERVER_PASSWORD]


@pytest.mark.postgresql
@pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")
def test_the_wizard_keeps_the_draft_on_screen_while_the_server_is_away(
    qtbot, tmp_path: Path, shared_url: str
) -> None:
    from datetime import date

    from j3490_desk.services import drafts
    from j3490_desk.ui.wizard.window import open_wizard
    from tests.server_relay import relayed

    create_application()
    with relayed(shared_url) as (relay, through_relay):
        data = open_app_data(tmp_path, database_url=through_relay)
        claim_id = drafts.start_draft(data, today=date(2026, 4, 20))
        wizard = open_wizard(data, claim_id)
        try:
            relay.cut()
            name = wizard.header_page.inputs["patient.name"]
            qtbot.keyClicks(name, "Solano, Beatriz")
            wizard.save_now()
            assert wizard.save_status.text().startswith("Not saved: The database server")
            assert "What you typed is still on screen" in wizard.save_status.text()
            assert name.text() == "Solano, Beatriz" and wizard.dirty
            relay.start()  # back: the autosave that keeps trying gets it through
            qtbot.waitUntil(lambda: "Draft saved" in wizard.save_status.text(), timeout=10_000)
        finally:
            wizard.close()
            data.close()
    seat = open_app_data(tmp_path / "other-seat", database_url=shared_url)
    try:
        assert claims.get_claim(seat, claim_id).patient.name == "Solano, Beatriz"
    finally:
        seat.close()


def test_a_server_fault_no_handler_caught_is_its_message_not_a_crash_report(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from j3490_desk.storage.server_database import ServerUnreachableError
    from j3490_desk.ui.crash import install_crash_handler

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail("a crash dialog"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back afterwards
    install_crash_handler()
    fault = ServerUnreachableError("The database server j3490 on db:5432 stopped answering.", "")
    sys.excepthook(type(fault), fault, None)  # as a slot's uncaught error reaches it
    assert shown == ["The database server j3490 on db:5432 stopped answering."]


@pytest.mark.postgresql
def test_test_connection_with_a_typed_password_says_what_the_server_says(
    qtbot, app_data: AppData, scram_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.password_cluster import PASSWORD as SERVER_PASSWORD

    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = make_url(scram_url)
    page = _page(qtbot, app_data)
    _type_server(qtbot, page, str(url.host), int(url.port or 5432), "j3490", "billing")
    qtbot.keyClicks(page.sslmode, "disable")
    qtbot.keyClicks(page.password, "not the password")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "refused user 'billing'" in page.status.text(), timeout=15_000)
    qtbot.keyClick(page.password, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.password, SERVER_PASSWORD)
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("connected"), timeout=15_000)


def test_the_window_takes_database_url_as_the_command_line_does(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from j3490_desk.__main__ import _wants_cli
    from j3490_desk.ui.app import run_app

    url = "postgresql+psycopg://billing@127.0.0.1:1/j3490"
    assert not _wants_cli(["--data-dir", str(tmp_path), "--database-url", url])
    assert not _wants_cli([f"--database-url={url}"])
    assert _wants_cli(["--database-url", url, "claim", "list"])
    shown: list[str] = []
    _closed_when_shown(monkeypatch, shown)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own
    # Recorded as unset, so what run_app sets there goes with the test.
    monkeypatch.setenv("J3490_DESK_DATABASE_URL", "sqlite:///never-read")
    assert run_app(["--data-dir", str(tmp_path), "--database-url", url]) == 2
    assert "j3490 on 127.0.0.1:1 cannot be reached" in shown[0]
