"""The wizard with another seat on the same claim, driven as a clerk would: a save refused
because they saved first keeps what I typed and offers Reload, Compare and Keep editing; a
claim open in their window is read-only in mine, naming them, until they close it."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from j3490_desk.domain import claim as d
from j3490_desk.models import Claim
from j3490_desk.services import claims, drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard
from tests.sample_claims import sample_claim

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")
Seats = tuple[AppData, AppData]
TODAY = date(2026, 11, 20)


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[ClaimWizard]]:
    opened: list[ClaimWizard] = []
    yield opened
    for wizard in opened:
        if shiboken6.isValid(wizard):
            wizard.dirty = False  # a test left a refused draft: nothing to ask on close
            wizard.close()


def _my_window(mine: AppData, windows: list[ClaimWizard]) -> tuple[int, ClaimWizard]:
    """A new claim, open in my wizard."""
    claim_id = claims.create_claim(mine, sample_claim())
    create_application()
    wizard = open_wizard(mine, claim_id, today=TODAY)
    windows.append(wizard)
    return claim_id, wizard


def _member_id(wizard: ClaimWizard) -> QLineEdit:
    field = wizard.header_page.inputs["patient.member_id"]
    assert isinstance(field, QLineEdit)
    return field


def _retype(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def _their_save(theirs: AppData, claim_id: int, member_id: str) -> None:
    """Their window (or a command) saves the same claim, from the version it loaded."""
    opened = drafts.open_draft(theirs, claim_id)
    patient = dataclasses.replace(opened.claim.patient, member_id=member_id)
    drafts.save_draft(
        theirs,
        dataclasses.replace(opened.claim, patient=patient),
        drafts.HEADER,
        version=opened.version,
    )


def test_a_save_refused_keeps_my_draft_and_offers_compare_keep_editing_and_reload(
    qtbot: QtBot, two_seats: Seats, windows: list[ClaimWizard]
) -> None:
    mine, theirs = two_seats
    claim_id, wizard = _my_window(mine, windows)
    _their_save(theirs, claim_id, "THEIRS-1")  # holds are advisory: a command can still save

    _retype(qtbot, _member_id(wizard), "MINE-2")
    bar = wizard.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)  # the autosave was refused

    assert f"Claim {claim_id} was changed by jchen at " in bar.message.text()
    assert "your changes were not saved" in bar.message.text()
    assert _member_id(wizard).text() == "MINE-2" and wizard.claim.patient.member_id == "MINE-2"
    assert claims.get_claim(mine, claim_id).patient.member_id == "THEIRS-1"  # not overwritten

    qtbot.mouseClick(bar.compare, Qt.MouseButton.LeftButton)
    dialog = wizard.compare_dialog
    assert dialog is not None and dialog.isVisible()
    rows = {
        dialog.table.item(row, 0).text(): (
            dialog.table.item(row, 1).text(),
            dialog.table.item(row, 2).text(),
        )
        for row in range(dialog.table.rowCount())
    }
    assert rows == {"patient.member id": ("MINE-2", "THEIRS-1")}
    dialog.reject()

    qtbot.mouseClick(bar.keep, Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and _member_id(wizard).text() == "MINE-2"
    qtbot.keyClicks(_member_id(wizard), "X")
    assert not wizard.autosave.isActive()  # no save over theirs in the background
    assert claims.get_claim(mine, claim_id).patient.member_id == "THEIRS-1"

    wizard.save_now()  # Ctrl+S: refused again, the bar back
    assert bar.isVisible()
    qtbot.mouseClick(bar.reload, Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and _member_id(wizard).text() == "THEIRS-1"

    _retype(qtbot, _member_id(wizard), "MINE-3")
    qtbot.waitUntil(
        lambda: claims.get_claim(mine, claim_id).patient.member_id == "MINE-3", timeout=5000
    )
    with mine.db.read() as session:
        row = session.get(Claim, claim_id)
        assert row is not None and row.updated_by == "mreyes"


def test_a_claim_open_in_another_seat_is_read_only_here_until_they_close_it(
    qtbot: QtBot, two_seats: Seats, windows: list[ClaimWizard]
) -> None:
    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    create_application()
    their_window = ClaimWizard(theirs, claim_id, today=TODAY)  # another computer's window
    windows.append(their_window)
    their_window.show()
    wizard = open_wizard(mine, claim_id, today=TODAY)
    windows.append(wizard)

    notice = wizard.hold_notice.text()
    assert notice.startswith(f"Open by jchen on {socket.gethostname()} since ")
    assert notice.endswith(" — read-only here") and wizard.hold_notice.isVisible()
    _retype(qtbot, _member_id(wizard), "MINE-9")
    assert _member_id(wizard).text() == sample_claim().patient.member_id
    assert not wizard.dirty and not wizard.add_drug_button.isEnabled()

    their_window.close()
    wizard.renew_hold()  # what the window's timer does every minute
    assert not wizard.hold_notice.isVisible()
    _retype(qtbot, _member_id(wizard), "MINE-9")
    qtbot.waitUntil(
        lambda: claims.get_claim(mine, claim_id).patient.member_id == "MINE-9", timeout=5000
    )
    assert claims.get_claim(mine, claim_id).status is d.ClaimStatus.DRAFT


def test_the_claim_list_says_who_has_the_selected_claim_open(
    qtbot: QtBot, two_seats: Seats, windows: list[ClaimWizard]
) -> None:
    from j3490_desk.ui.main_window import MainWindow

    mine, theirs = two_seats
    claim_id = claims.create_claim(mine, sample_claim())
    create_application()
    their_window = ClaimWizard(theirs, claim_id, today=TODAY)
    windows.append(their_window)
    main = MainWindow(mine)
    qtbot.add_widget(main)
    main.show()
    main.refresh()
    main.table.setFocus()
    qtbot.keyClick(main.table, Qt.Key.Key_Down)  # the first row: the claim
    qtbot.keyClick(main.table, Qt.Key.Key_Home)
    message = main.statusBar().currentMessage()
    assert message.startswith(f"Claim {claim_id}: Open by jchen on {socket.gethostname()}")


def test_closing_with_a_refused_draft_asks_before_it_is_discarded(
    qtbot: QtBot, two_seats: Seats, windows: list[ClaimWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from j3490_desk.services import claim_holds

    mine, theirs = two_seats
    claim_id, wizard = _my_window(mine, windows)
    _their_save(theirs, claim_id, "THEIRS-1")
    _retype(qtbot, _member_id(wizard), "MINE-2")
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> None:
        def question(_parent: object, _title: str, text: str, *_args: object) -> object:
            asked.append(text)
            return reply

        monkeypatch.setattr(QMessageBox, "question", question)

    answer(QMessageBox.StandardButton.No)
    wizard.close()  # the close saves first: refused, so it asks
    assert asked and "changed by jchen" in asked[0] and wizard.isVisible()
    assert wizard.claim.patient.member_id == "MINE-2"

    answer(QMessageBox.StandardButton.Yes)
    wizard.close()
    assert not wizard.isVisible()
    assert claims.get_claim(mine, claim_id).patient.member_id == "THEIRS-1"
    assert claim_holds.holder_of(theirs, claim_id) is None  # the window let the claim go


def test_closing_while_the_server_cannot_be_reached_asks_before_the_draft_is_discarded(
    qtbot: QtBot, two_seats: Seats, windows: list[ClaimWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server gone mid-session: what was typed lives only in this window, so closing it
    asks first; once the server is back the same window saves it."""
    from PySide6.QtWidgets import QMessageBox

    from j3490_desk.storage.server_database import ServerUnreachableError

    mine, _ = two_seats
    claim_id, wizard = _my_window(mine, windows)
    save_draft = drafts.save_draft

    def server_gone(*_args: object, **_options: object) -> object:
        raise ServerUnreachableError("The database server claims on db:5432 cannot be reached.")

    monkeypatch.setattr(drafts, "save_draft", server_gone)
    _retype(qtbot, _member_id(wizard), "TYPED-9")
    asked: list[str] = []

    def no(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    wizard.close()
    assert asked and "cannot be reached" in asked[0] and wizard.isVisible()

    monkeypatch.setattr(drafts, "save_draft", save_draft)  # the server is back
    wizard.close()
    assert not wizard.isVisible() and len(asked) == 1
    assert claims.get_claim(mine, claim_id).patient.member_id == "TYPED-9"
