"""Encryption as the clerk meets it: the passphrase prompt at start-up, Settings > Security,
and the lock screen of an encrypted folder without user accounts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from j3490_desk.services import claims, encryption
from j3490_desk.services.app_data import open_app_data
from j3490_desk.ui import app as app_module
from j3490_desk.ui.app import create_application, open_data_or_explain, start_auto_lock
from j3490_desk.ui.passphrase_dialogs import NewPassphraseDialog, UnlockDialog
from j3490_desk.ui.security_page import SecurityPage
from tests.sample_claims import sample_claim

PASSPHRASE = "tidy walrus lantern quiet"


def _encrypted_folder(folder: Path) -> int:
    data = open_app_data(folder)
    try:
        claim_id = claims.create_claim(data, sample_claim())
    finally:
        data.close()
    encryption.enable(folder, PASSPHRASE)
    return claim_id


def _answer_unlock(qtbot, monkeypatch, answers: list[str | None], seen: list[str]) -> None:
    """Type each answer into the real dialog and press Open (None presses Cancel)."""

    def exec_(dialog: UnlockDialog) -> int:
        qtbot.add_widget(dialog)
        seen.append(dialog.problem.text() if dialog.problem.isVisibleTo(dialog) else "")
        answer = answers.pop(0)
        buttons = dialog.findChild(QDialogButtonBox)
        if answer is None:
            buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
        else:
            qtbot.keyClicks(dialog.passphrase, answer)
            buttons.button(QDialogButtonBox.StandardButton.Open).click()
        return dialog.result()

    monkeypatch.setattr(UnlockDialog, "exec", exec_)


def test_start_up_asks_again_after_a_wrong_passphrase(qtbot, monkeypatch, tmp_path: Path) -> None:
    create_application()
    claim_id = _encrypted_folder(tmp_path)
    seen: list[str] = []
    _answer_unlock(qtbot, monkeypatch, ["not the passphrase at all", PASSPHRASE], seen)
    data = open_data_or_explain(str(tmp_path))
    assert data is not None
    try:
        assert seen[0] == ""
        assert "does not open this data folder" in seen[1]
        assert claims.export_claim_json(data, claim_id)["patient"]["name"] == "Roe, Jane"
    finally:
        data.close()


def test_cancelling_the_passphrase_opens_nothing(qtbot, monkeypatch, tmp_path: Path) -> None:
    create_application()
    _encrypted_folder(tmp_path)
    _answer_unlock(qtbot, monkeypatch, [None], [])
    assert open_data_or_explain(str(tmp_path)) is None
    # the instance lock was let go: the folder opens again at once
    open_app_data(tmp_path, exclusive=True, passphrase=PASSPHRASE).close()


def _answer_new_passphrase(
    qtbot, monkeypatch, rounds: list[tuple[str, str]], problems: list[str]
) -> None:
    """Fill the real dialog round by round; every round but the last must be refused."""

    def exec_(dialog: NewPassphraseDialog) -> int:
        qtbot.add_widget(dialog)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        for first, second in rounds:
            dialog.first.clear()
            dialog.second.clear()
            qtbot.keyClicks(dialog.first, first)
            qtbot.keyClicks(dialog.second, second)
            ok.click()
            if dialog.problem.isVisibleTo(dialog):
                problems.append(dialog.problem.text())
        return dialog.result()

    monkeypatch.setattr(NewPassphraseDialog, "exec", exec_)


def test_security_page_encrypts_the_open_folder_and_work_goes_on(
    qtbot, monkeypatch, tmp_path: Path
) -> None:
    data = open_app_data(tmp_path, exclusive=True)
    try:
        claim_id = claims.create_claim(data, sample_claim())
        page = SecurityPage(data)
        qtbot.add_widget(page)
        assert "Not encrypted" in page.state.text()
        assert "BitLocker" in page.findChildren(type(page.state))[1].text()
        problems: list[str] = []
        _answer_new_passphrase(
            qtbot,
            monkeypatch,
            [("short", "short"), (PASSPHRASE, PASSPHRASE + "x"), (PASSPHRASE, PASSPHRASE)],
            problems,
        )
        qtbot.mouseClick(page.encrypt, Qt.MouseButton.LeftButton)
        assert "at least 12 characters" in problems[0]
        assert "differ" in problems[1]
        assert len(problems) == 2
        assert page.state.text().startswith("<b>Encrypted.</b>")
        assert page.change.isVisibleTo(page) and not page.encrypt.isVisibleTo(page)
        assert data.db.key is not None
        assert not (tmp_path / "claims.sqlite").read_bytes().startswith(b"SQLite format 3")
        assert claims.export_claim_json(data, claim_id)["patient"]["name"] == "Roe, Jane"
        claims.create_claim(data, sample_claim())  # the window goes on saving, encrypted
    finally:
        data.close()
    reopened = open_app_data(tmp_path, passphrase=PASSPHRASE)
    reopened.close()


def test_change_passphrase_from_the_security_page(qtbot, monkeypatch, tmp_path: Path) -> None:
    _encrypted_folder(tmp_path)
    data = open_app_data(tmp_path, exclusive=True, passphrase=PASSPHRASE)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    try:
        page = SecurityPage(data)
        qtbot.add_widget(page)

        def exec_(dialog: NewPassphraseDialog) -> int:
            qtbot.add_widget(dialog)
            assert dialog.current is not None
            qtbot.keyClicks(dialog.current, PASSPHRASE)
            qtbot.keyClicks(dialog.first, "the new clinic passphrase")
            qtbot.keyClicks(dialog.second, "the new clinic passphrase")
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
            return dialog.result()

        monkeypatch.setattr(NewPassphraseDialog, "exec", exec_)
        qtbot.mouseClick(page.change, Qt.MouseButton.LeftButton)
        assert shown == ["The passphrase was changed."]
    finally:
        data.close()
    open_app_data(tmp_path, passphrase="the new clinic passphrase").close()


def test_lock_screen_of_an_encrypted_folder_wants_its_passphrase(qtbot, tmp_path: Path) -> None:
    _encrypted_folder(tmp_path)
    data = open_app_data(tmp_path, passphrase=PASSPHRASE)
    try:
        lock = start_auto_lock(data)
        check: Callable[[str], bool] | None = lock._check
        assert check is not None
        assert check(PASSPHRASE)
        assert not check("not the passphrase at all")
        lock.timer.stop()
    finally:
        data.close()


def test_plain_folder_without_accounts_keeps_the_click_to_unlock(app_data) -> None:
    lock = start_auto_lock(app_data)
    assert lock._check is None
    lock.timer.stop()


@pytest.fixture(autouse=True)
def _no_real_message_boxes(monkeypatch) -> None:
    monkeypatch.setattr(app_module.QMessageBox, "critical", lambda *args: None)
