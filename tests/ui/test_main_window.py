"""The app shell, driven as a clerk would: keys, clicks, dialogs."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from j3490_desk import paths
from j3490_desk.models import Provider
from j3490_desk.services import claim_list, claims, records
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.about_dialog import about_text
from j3490_desk.ui.app import create_application
from j3490_desk.ui.claim_table_model import ClaimTableModel
from j3490_desk.ui.crash import crash_report
from j3490_desk.ui.main_window import MainWindow
from j3490_desk.ui.settings_dialog import SettingsDialog
from tests.sample_claims import sample_claim


@pytest.fixture
def window(qtbot: QtBot, app_data: AppData) -> MainWindow:
    create_application()
    main = MainWindow(app_data)
    qtbot.add_widget(main)
    main.show()
    return main


def test_default_data_folder_is_qts_app_data_location(qapp: QApplication) -> None:
    create_application()
    qt_location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert str(paths.default_data_dir()) == qt_location


def test_empty_state_tells_a_new_user_what_to_do(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.empty_state
    text = " ".join(label.text() for label in window.empty_state.findChildren(QLabel))
    assert "no claims yet" in text and "Settings" in text and "New claim" in text


def test_claims_replace_the_empty_state(window: MainWindow, app_data: AppData) -> None:
    claims.create_claim(app_data, sample_claim())
    window.refresh()
    assert window.stack.currentWidget() is window.table
    assert window.model.index(0, 1).data() == "Roe, Jane"


def test_shortcuts_are_bound(window: MainWindow) -> None:
    assert window.actions["new"].shortcut().toString() == "Ctrl+N"
    assert window.actions["open"].shortcut().toString() == "Ctrl+O"
    assert window.actions["settings"].shortcut().toString() == "Ctrl+,"


def test_settings_flags_a_mistyped_npi_and_saves_a_provider(
    qtbot: QtBot, app_data: AppData
) -> None:
    dialog = SettingsDialog(app_data)
    qtbot.add_widget(dialog)
    editor = dialog.providers
    qtbot.keyClicks(editor.input("name"), "Ann Smith")
    qtbot.keyClicks(editor.input("npi"), "1234567894")
    assert "digit" in editor._messages["npi"].text()
    editor.input("npi").clear()
    qtbot.keyClicks(editor.input("npi"), "1234567893")
    assert editor._messages["npi"].text() == ""
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert [p.npi for p in records.list_records(app_data, Provider)] == ["1234567893"]


def test_clinic_settings_refuse_short_retention(qtbot: QtBot, app_data: AppData) -> None:
    dialog = SettingsDialog(app_data)
    qtbot.add_widget(dialog)
    dialog.clinic.retention.setValue(5)
    assert not dialog.clinic.save()
    assert "7 years" in dialog.clinic.status.text()
    dialog.clinic.retention.setValue(10)
    qtbot.keyClicks(dialog.clinic.inputs["name"], "Lakeside Clinic")
    assert dialog.clinic.save()
    assert records.get_settings(app_data).name == "Lakeside Clinic"


def test_about_names_version_folder_and_size(app_data: AppData) -> None:
    text = about_text(app_data)
    assert str(app_data.paths.root) in text and "MB" in text and "0.1" in text


def test_crash_report_holds_no_exception_text() -> None:
    try:
        raise ValueError("Roe, Jane DOB 1950-04-02")
    except ValueError as error:
        report = crash_report(type(error), error.__traceback__)
    assert "Roe" not in report and "1950" not in report
    assert "builtins.ValueError" in report and "test_main_window.py" in report


def test_paged_claim_model_passes_qt_model_tests(qtmodeltester: object, app_data: AppData) -> None:
    for n in range(7):
        claims.create_claim(app_data, sample_claim(date_of_service=date(2026, 1, 1 + n)))
    model = ClaimTableModel(
        lambda offset, limit: claim_list.list_claims(app_data, offset=offset, limit=limit),
        page_size=3,
    )
    model.reload()
    assert model.rowCount() == 3 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 7 and not model.canFetchMore()
    assert [model.index(r, 2).data() for r in (0, 6)] == ["2026-01-07", "2026-01-01"]
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_missing_reference_data_is_announced_with_where_to_get_it(window: MainWindow) -> None:
    window.show_reference_warnings()
    assert window.reference_banner.isVisible()
    assert "No FDA NDC Directory is loaded" in window.reference_banner.text()
    assert "fda.gov" in window.reference_banner.text()


def test_settings_has_the_reference_data_page(qtbot: QtBot, app_data: AppData) -> None:
    dialog = SettingsDialog(app_data)
    qtbot.add_widget(dialog)
    titles = [dialog.tabs.tabText(i).replace("&", "") for i in range(dialog.tabs.count())]
    assert titles == ["Clinic", "Payers", "Providers", "Reference data", "Data", "Security"]


def test_back_up_now_from_the_file_menu_writes_a_backup_that_verifies(
    qtbot: QtBot, window: MainWindow, app_data: AppData, tmp_path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from j3490_desk.services import backups

    claims.create_claim(app_data, sample_claim())
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(usb))
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    [action] = [a for a in file_menu.actions() if a.text() == "&Back up now…"]
    with qtbot.waitSignal(window.backup_finished, timeout=20_000) as finished:
        action.trigger()
        assert not action.isEnabled()  # one backup at a time
    [made] = usb.glob("j3490-desk-backup-*.zip")
    assert finished.args == [f"Backed up to {made}"]
    assert action.isEnabled()
    assert backups.verify(made) == []


def test_back_up_now_into_an_unwritable_place_says_why(
    qtbot: QtBot, window: MainWindow, tmp_path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    warned: list[str] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(not_a_folder))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    with qtbot.waitSignal(window.backup_finished, timeout=20_000):
        window.back_up_now()
    assert warned and "file.txt" in warned[0]


def _answer_restore_dialogs(monkeypatch, backup, shown: list[str]) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(backup), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))


def test_restore_from_backup_replaces_the_data_after_a_safety_copy(
    window: MainWindow, app_data: AppData, tmp_path, monkeypatch
) -> None:
    from j3490_desk.services import backups

    kept = claims.create_claim(app_data, sample_claim())
    backup = backups.back_up(app_data, tmp_path / "usb")
    later = claims.create_claim(app_data, sample_claim())
    shown: list[str] = []
    _answer_restore_dialogs(monkeypatch, backup, shown)
    assert window.restore_from_backup()
    assert [c.id for c in claim_list.list_claims(app_data)] == [kept]
    assert shown[0].startswith(f"Restored {backup.name}")
    [safety] = app_data.paths.backups.glob("j3490-desk-backup-*.zip")
    assert str(safety) in shown[0]
    assert window.model.rowCount() == 1  # the window shows the restored data
    # the safety copy holds the claim the restore replaced
    backups.restore(safety, tmp_path / "check")
    from j3490_desk.services.app_data import open_app_data

    check = open_app_data(tmp_path / "check")
    try:
        assert {c.id for c in claim_list.list_claims(check)} == {kept, later}
    finally:
        check.close()


def test_restore_of_an_encrypted_backup_asks_its_passphrase(
    window: MainWindow, app_data: AppData, tmp_path, monkeypatch
) -> None:
    from j3490_desk.services import backups, encryption
    from j3490_desk.services.app_data import open_app_data
    from j3490_desk.ui import app as app_module

    other = open_app_data(tmp_path / "other")
    claims.create_claim(other, sample_claim())
    other.close()
    encryption.enable(tmp_path / "other", "other clinic passphrase")
    other = open_app_data(tmp_path / "other", passphrase="other clinic passphrase")
    backup = backups.back_up(other, tmp_path / "usb")
    other.close()
    shown: list[str] = []
    _answer_restore_dialogs(monkeypatch, backup, shown)
    answers = iter(["not the passphrase", "other clinic passphrase"])
    monkeypatch.setattr(app_module, "ask_passphrase", lambda *args: next(answers))
    assert not window.restore_from_backup()
    assert "does not open this backup" in shown[-1]
    assert claim_list.list_claims(app_data) == []  # nothing changed
    assert window.restore_from_backup()
    assert app_data.db.key is not None
    assert len(claim_list.list_claims(app_data)) == 1


def test_restore_waits_until_no_claim_is_open(
    window: MainWindow, app_data: AppData, tmp_path, monkeypatch
) -> None:
    from j3490_desk.ui.wizard import window as wizard_window

    monkeypatch.setattr(wizard_window, "open_wizard_count", lambda: 1)
    shown: list[str] = []
    _answer_restore_dialogs(monkeypatch, tmp_path / "none.zip", shown)
    assert not window.restore_from_backup()
    assert shown == ["Close the open claims first, then restore."]
