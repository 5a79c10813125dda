"""File > Import remittance (835)…: the clerk sees what the file would post, clicks Post, and
the claim list shows the result."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from j3490_desk.services import claim_status, claims
from j3490_desk.services.app_data import AppData
from j3490_desk.ui.app import create_application
from j3490_desk.ui.claim_table_model import COLUMNS
from j3490_desk.ui.main_window import MainWindow
from tests.remittance.era import claim_payment, era, service_line
from tests.work_queue.helpers import claim_in


@pytest.fixture
def window(qtbot: QtBot, app_data: AppData) -> MainWindow:
    create_application()
    main = MainWindow(app_data, today=date(2026, 12, 2))
    qtbot.add_widget(main)
    main.show()
    return main


def _file_menu_action(window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    (action,) = [a for a in menu.actions() if a.text() == text]
    return action


def test_preview_then_post_and_the_work_queue_names_what_to_fix(
    qtbot: QtBot, window: MainWindow, app_data: AppData, tmp_path: Path, monkeypatch
) -> None:
    claim_id = claim_in(app_data, "submitted", submitted_on=date(2026, 11, 5))
    line = service_line(
        "J3590", "60100.00", "0.00", modifiers=("JZ",), control=(claim_id, 0),
        adjustments=[("CO", "16", "60100.00")], remarks=["M119"],
    )  # fmt: skip
    path = tmp_path / "wps.835"
    path.write_bytes(
        era(
            [
                claim_payment(claim_id, "4", "60100.00", "0.00", lines=[line]),
                claim_payment("77777", "1", "10.00", "10.00"),
            ]
        )
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    _file_menu_action(window, "Import &remittance (835)…").trigger()
    dialog = window.remittance_dialog
    qtbot.waitUntil(dialog.isVisible)
    table = dialog.table
    assert [table.item(0, c).text() for c in range(4)] == [
        str(claim_id), str(claim_id), "will be posted", "Denied",
    ]  # fmt: skip
    assert table.item(0, 7).text() == "CO-16 60100.00; M119"
    assert "National Drug Code" in table.item(0, 7).toolTip()
    assert [table.item(1, c).text() for c in range(3)] == [
        "-",
        "77777",
        "matches no claim: not posted",
    ]
    # nothing is posted before the clerk clicks Post
    assert claim_status.claim_events(app_data, claim_id) == []
    qtbot.mouseClick(dialog.post_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert claims.get_claim(app_data, claim_id).status.value == "denied"
    assert "1 posted" in window.statusBar().currentMessage()
    assert "1 unmatched" in window.statusBar().currentMessage()
    readiness = [c.title for c in COLUMNS].index("Readiness")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    shown = window.model.index(0, readiness).data()
    assert shown == "denied: fix the NDC (item 1: 11 digits, active on the date of service)"


def test_a_damaged_file_is_refused_before_any_preview(
    window: MainWindow, app_data: AppData, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "cut.835"
    path.write_bytes(era([claim_payment("1", "1", "1.00", "1.00")])[:200])
    warned: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    _file_menu_action(window, "Import &remittance (835)…").trigger()
    assert len(warned) == 1 and "cut off" in warned[0]
    assert not hasattr(window, "remittance_dialog")
