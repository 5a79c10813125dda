"""The wizard's checklist as a clerk sees it: a new claim shows nothing complete, typing moves a
row to what the rules say, and clicking a row opens the step that fixes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from j3490_desk.services import drafts
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.wizard.window import ClaimWizard, open_wizard

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "propagateSizeHints")
TODAY = date(2026, 4, 20)


@pytest.fixture
def wizard(qtbot: QtBot, app_data: AppData) -> Iterator[ClaimWizard]:
    create_application()
    window = open_wizard(app_data, drafts.start_draft(app_data, today=TODAY), today=TODAY)
    yield window
    if shiboken6.isValid(window):
        window.close()


def _click_row(qtbot: QtBot, wizard: ClaimWizard, name: str) -> None:
    panel = wizard.checklist
    row = next(panel.item(i) for i in range(panel.count()) if panel.item(i).text().startswith(name))
    rect = panel.visualItemRect(row)
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_new_claim_shows_nothing_complete(wizard: ClaimWizard) -> None:
    panel = wizard.checklist
    texts = [panel.item(i).text() for i in range(panel.count())]
    assert not [text for text in texts if "✔ complete" in text]
    for name in ("6. FDA status", "8. Waste and modifiers", "9. Administration times"):
        assert panel.state_of(name) == "○ not started", name
    assert panel.state_of("1. Drug name and NDC") == "✖ blocker"
    assert len(texts) == len({text.split(":", 1)[0] for text in texts})  # no row twice


def test_typing_a_lot_number_turns_the_row_into_warnings(qtbot: QtBot, wizard: ClaimWizard) -> None:
    _click_row(qtbot, wizard, "7. Lot and expiry")
    assert wizard.step == drafts.line_step(0, "7")
    number = wizard.drug_pages["7"].inputs["lot.number"]
    qtbot.mouseClick(number, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(number, "CEM8X01")
    # no expiry typed, and no label photo stored: two warnings, each in the row's tooltip
    qtbot.waitUntil(lambda: wizard.checklist.state_of("7. Lot and expiry") == "⚠ 2 warnings")
    row = next(
        wizard.checklist.item(i)
        for i in range(wizard.checklist.count())
        if wizard.checklist.item(i).text().startswith("7. ")
    )
    assert "expiration" in row.toolTip() and "label photo" in row.toolTip()


def test_an_administration_code_alone_does_not_complete_its_row(
    qtbot: QtBot, wizard: ClaimWizard
) -> None:
    """The tester's case: the code typed but no time; typing the start and end times (digit
    by digit) is what turns row 9 complete."""
    _click_row(qtbot, wizard, "9. Administration times")
    assert wizard.step == drafts.line_step(0, "9")
    inputs = wizard.drug_pages["9"].inputs
    code = inputs["administration.cpt_code"]
    qtbot.mouseClick(code, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(code, "96372")
    qtbot.waitUntil(lambda: wizard.claim.drug_lines[0].administration.cpt_code == "96372")
    qtbot.wait(500)  # the check runs after a pause in typing
    assert wizard.checklist.state_of("9. Administration times") == "○ not started"
    for path, typed in (
        ("administration.start", "202604200930"),
        ("administration.end", "202604200935"),
    ):
        field = inputs[path]
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(field, typed)
        qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: wizard.checklist.state_of("9. Administration times") == "✔ complete")
